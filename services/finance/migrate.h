/*  services/finance/migrate.h - upgrading a finance store written by an
    older schema.

    Schema versions:
      1  the first stored forms
      2  municipality_names: the name index of municipalities (name key ->
         code), so that adding a municipality or finding one by name does
         not read every municipality
*/
#ifndef SAMEN_FINANCE_MIGRATE_H
#define SAMEN_FINANCE_MIGRATE_H

#include "../../common/store.h"

#define FINANCE_SCHEMA 2

/*  The store's migrate function (sm_migrate_fn): brings the data in txn
    from schema version `from` to FINANCE_SCHEMA, inside the store's
    opening transaction. Returns 0 or -1 with err. */
int finance_migrate(MDB_txn *txn, sm_store_t *store, int from, sm_err_t *err);

#endif
