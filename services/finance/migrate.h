/*  services/finance/migrate.h - upgrading a finance store written by an
    older schema.

    Schema versions:
      1  the first stored forms
      2  municipality_names: the name index of municipalities (name key ->
         code), so that adding a municipality or finding one by name does
         not read every municipality
      3  decided contributions in allocations (rows' decided_cents, the
         allocation's year, to_year and decision), hours worked on budget
         lines (worked_hours_x100) and the hours databases; grant
         applications have an owner and a deputy (common/owner.h). Nothing
         to rewrite: what a version 2 store lacks reads as absent (nothing
         decided, no hours, no owner). The version changes so that an
         older binary refuses such a store instead of invoicing the
         computed amounts or moving its cursor past a leave without
         handing anything over.
*/
#ifndef SAMEN_FINANCE_MIGRATE_H
#define SAMEN_FINANCE_MIGRATE_H

#include "../../common/store.h"

#define FINANCE_SCHEMA 3

/*  The store's migrate function (sm_migrate_fn): brings the data in txn
    from schema version `from` to FINANCE_SCHEMA, inside the store's
    opening transaction. Returns 0 or -1 with err. */
int finance_migrate(MDB_txn *txn, sm_store_t *store, int from, sm_err_t *err);

#endif
