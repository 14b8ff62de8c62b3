/*  services/finance/main.c - samen-finance: municipalities, budgets, cost
    sharing, reimbursements, expenses and grants. Wires the handlers into
    the service loop (common/service.h). */
#include "../../common/service.h"
#include "municipality.h"

#define FINANCE_SCHEMA 1

static const char *s_dbs[] = {"municipalities", NULL};

static const sm_op_t s_ops[] = {
    {"municipality.add", op_municipality_add, SM_OP_WRITE,
     "add a member municipality with a first inhabitant count"},
    {"municipality.count", op_municipality_count, SM_OP_WRITE,
     "add an inhabitant count valid from a date (history is kept)"},
    {"municipality.get", op_municipality_get, SM_OP_READ, "one municipality, count on a date"},
    {"municipality.list", op_municipality_list, SM_OP_READ, "all municipalities, counts on a date"},
    {NULL, NULL, 0, NULL}};

static void s_counts(sm_ctx_t *ctx, msgpack_packer *pk)
{
    MDB_stat st;
    mdb_stat(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, "municipalities"), &st);
    msgpack_pack_map(pk, 1);
    sm_pack_kv_uint(pk, "municipalities", st.ms_entries);
}

static const sm_service_def_t s_def = {
    .name = "finance",
    .version = "0.1.0",
    .schema_version = FINANCE_SCHEMA,
    .dbs = s_dbs,
    .ops = s_ops,
    .counts = s_counts,
};

int main(int argc, char **argv)
{
    return sm_service_main(&s_def, argc, argv);
}
