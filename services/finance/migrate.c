/*  services/finance/migrate.c - upgrading a finance store written by an
    older schema. */
#include "migrate.h"
#include "municipality.h"

int finance_migrate(MDB_txn *txn, sm_store_t *store, int from, sm_err_t *err)
{
    if (from < 2 && muni_index_build(txn, store, err) != 0)
        return -1;
    return 0;
}
