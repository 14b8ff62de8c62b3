/*  services/finance/migrate.c - upgrading a finance store written by an
    older schema. */
#include "migrate.h"
#include "../../common/municipalities.h"

int finance_migrate(MDB_txn *txn, sm_store_t *store, int from, sm_err_t *err)
{
    /*  2: municipality_names, the same index (and key) as a follower's. */
    if (from < 2 && sm_muni_index_build(txn, store, err) != 0)
        return -1;
    /*  3: decided contributions, hours, owners and deputies; nothing to
        rewrite (migrate.h). */
    return 0;
}
