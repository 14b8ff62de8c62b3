/*  services/scheduling/main.c - samen-scheduling. Wires the handlers into the service
    loop (common/service.h). */
#include "../../common/service.h"
#include "../../common/municipalities.h"

#define SCHEMA_VERSION 1

static const char *s_dbs[] = {"municipalities", NULL};

static const sm_op_t s_ops[] = {
    {NULL, NULL, 0, NULL}};

static const sm_follow_t s_follows[] = {
    {"finance", "finance.municipality.", on_finance_municipality},
    {NULL, NULL, NULL}};

static void s_counts(sm_ctx_t *ctx, msgpack_packer *pk)
{
    MDB_stat st;
    mdb_stat(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, "municipalities"), &st);
    msgpack_pack_map(pk, 1);
    sm_pack_kv_uint(pk, "municipalities_known", st.ms_entries);
}

static const sm_service_def_t s_def = {
    .name = "scheduling",
    .version = "0.1.0",
    .schema_version = SCHEMA_VERSION,
    .dbs = s_dbs,
    .ops = s_ops,
    .follows = s_follows,
    .counts = s_counts,
};

int main(int argc, char **argv)
{
    return sm_service_main(&s_def, argc, argv);
}
