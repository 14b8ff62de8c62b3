/*  common/service_builtin.c - the ops every service answers: service.info,
    events.read, store.backup. */
#include "common/service_internal.h"

/* ==== Built-in ops ====================================================== */

static int s_op_info(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_service_t *svc = ctx->svc;
    msgpack_packer *pk = ctx->reply;
    int nops = 0;
    while (svc->def->ops[nops].name)
        nops++;
    msgpack_pack_map(pk, 12);
    sm_pack_kv_str(pk, "name", svc->def->name);
    sm_pack_kv_str(pk, "version", svc->def->version);
    sm_pack_kv_int(pk, "schema_version", svc->def->schema_version);
    sm_pack_kv_uint(pk, "last_seq", svc->next_seq - 1);
    sm_pack_kv_int(pk, "workers", svc->nworkers);
    sm_pack_kv_int(pk, "uptime_s", (svc_mono_ms() - svc->started_ms) / 1000);
    sm_pack_kv_uint(pk, "store_bytes", sm_store_used_bytes(svc->store));
    sm_pack_kv_uint(pk, "map_bytes", sm_store_map_size(svc->store));
    sm_pack_kv_uint(pk, "requests", svc->requests);
    sm_pack_str(pk, "following");
    msgpack_pack_map(pk, (size_t)svc->nfollow);
    for (int i = 0; i < svc->nfollow; i++)
        sm_pack_kv_uint(pk, svc->follow[i].service, svc->follow[i].cursor);
    sm_pack_str(pk, "counts");
    if (svc->def->counts)
        svc->def->counts(ctx, pk);
    else
        msgpack_pack_map(pk, 0);
    sm_pack_str(pk, "ops");
    msgpack_pack_array(pk, (size_t)nops + 3);
    sm_pack_str(pk, "service.info");
    sm_pack_str(pk, "events.read");
    sm_pack_str(pk, "store.backup");
    for (int i = 0; i < nops; i++)
        sm_pack_str(pk, svc->def->ops[i].name);
    return 0;
}

static int s_op_events_read(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"after", "limit", NULL};
    uint64_t after = 0, limit = 100;
    if (sm_check_keys(args, keys, &ctx->err) ||
        sm_get_uint(args, "after", false, UINT64_MAX, &after, &ctx->err) < 0 ||
        sm_get_uint(args, "limit", false, 1000, &limit, &ctx->err) < 0)
        return -1;
    if (limit == 0)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "limit",
                           "field \"limit\" must be from 1 to 1000");
    /*  Keep the reply well under the broker's message limit. */
    size_t max_bytes = (size_t)(ctx->svc->max_message / 2);
    sm_evlog_read(ctx->svc->store, ctx->txn, after, (unsigned)limit, max_bytes, ctx->reply);
    return 0;
}

static int s_op_backup(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"path", NULL};
    char path[400];
    if (sm_check_keys(args, keys, &ctx->err) ||
        sm_get_str(args, "path", true, path, sizeof path, false, &ctx->err) < 0)
        return -1;
    if (sm_store_backup(ctx->svc->store, path, &ctx->err) != 0)
        return -1;
    msgpack_pack_map(ctx->reply, 2);
    sm_pack_kv_str(ctx->reply, "path", path);
    sm_pack_kv_uint(ctx->reply, "last_seq", ctx->svc->next_seq - 1);
    sm_info("backup written", "last_seq=%llu", (unsigned long long)(ctx->svc->next_seq - 1));
    return 0;
}

static const sm_op_t s_builtin_ops[] = {
    {"service.info", s_op_info, SM_OP_READ, "name, version, schema, last event seq, counts"},
    {"events.read", s_op_events_read, SM_OP_READ, "stored events after a seq, in order"},
    {"store.backup", s_op_backup, SM_OP_READ, "compacting hot copy of the store"},
    {NULL, NULL, 0, NULL}};

const sm_op_t *svc_find_op(sm_service_t *svc, const char *name)
{
    for (int i = 0; s_builtin_ops[i].name; i++)
        if (strcmp(s_builtin_ops[i].name, name) == 0)
            return &s_builtin_ops[i];
    for (int i = 0; svc->def->ops[i].name; i++)
        if (strcmp(svc->def->ops[i].name, name) == 0)
            return &svc->def->ops[i];
    return NULL;
}

