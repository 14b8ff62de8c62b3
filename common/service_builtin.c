/*  common/service_builtin.c - the ops every service answers (service.info,
    events.read, store.backup, audit.list), and binding a service's declared
    ops to its handlers. The declarations of the built-in ops are in
    proto/ops_builtin.c. */
#include "common/i18n.h"
#include "common/service_internal.h"
#include <fcntl.h>
#include <sys/stat.h>

/* ==== Built-in ops ====================================================== */

static int s_op_info(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_service_t *svc = ctx->svc;
    msgpack_packer *pk = ctx->reply;
    msgpack_pack_map(pk, 16);
    sm_pack_kv_str(pk, "name", svc->def->name);
    sm_pack_kv_str(pk, "version", svc->def->version);
    sm_pack_kv_int(pk, "schema_version", svc->def->schema_version);
    sm_pack_kv_str(pk, "instance", sm_store_instance(svc->store));
    sm_pack_kv_uint(pk, "last_seq", svc->next_seq - 1);
    sm_pack_kv_uint(pk, "epoch", sm_store_epoch(svc->store, NULL, NULL));
    sm_pack_kv_int(pk, "workers", svc->nworkers);
    sm_pack_kv_int(pk, "uptime_s", (svc_mono_ms() - svc->started_ms) / 1000);
    sm_pack_kv_uint(pk, "store_bytes", sm_store_used_bytes(svc->store));
    sm_pack_kv_uint(pk, "map_bytes", sm_store_map_size(svc->store));
    sm_pack_kv_uint(pk, "requests", svc->requests);
    sm_pack_str(pk, "following");
    msgpack_pack_map(pk, (size_t)svc->nfollow);
    for (int i = 0; i < svc->nfollow; i++)
        sm_pack_kv_uint(pk, svc->follow[i].service, svc->follow[i].cursor);
    /*  {producer: reason} for each followed service whose events are no
        longer applied (service_follow.c); empty when all is well. */
    int halted = 0;
    for (int i = 0; i < svc->nfollow; i++)
        halted += svc->follow[i].halted[0] != '\0';
    sm_pack_str(pk, "following_halted");
    msgpack_pack_map(pk, (size_t)halted);
    for (int i = 0; i < svc->nfollow; i++)
        if (svc->follow[i].halted[0])
            sm_pack_kv_str(pk, svc->follow[i].service, svc->follow[i].halted);
    sm_pack_str(pk, "counts");
    if (svc->def->counts)
        svc->def->counts(ctx, pk);
    else
        msgpack_pack_map(pk, 0);
    sm_pack_str(pk, "ops");
    msgpack_pack_array(pk, (size_t)svc->nops);
    for (int i = 0; i < svc->nops; i++)
        sm_pack_str(pk, svc->ops[i].decl.name);
    /*  What each op takes and who may call it (common/op.h). */
    sm_pack_str(pk, "declarations");
    msgpack_pack_array(pk, (size_t)svc->nops);
    for (int i = 0; i < svc->nops; i++)
        sm_decl_pack(pk, &svc->ops[i].decl);
    return 0;
}

static int s_op_events_read(sm_ctx_t *ctx, const msgpack_object *args)
{
    uint64_t after = (uint64_t)sm_arg_int(ctx, "after", 0);
    int64_t limit = sm_arg_int(ctx, "limit", 100);
    /*  Keep the reply well under the broker's message limit. */
    size_t max_bytes = (size_t)(ctx->svc->max_message / 2);
    sm_evlog_epoch_t ep = {.instance = sm_store_instance(ctx->svc->store)};
    ep.epoch = sm_store_epoch(ctx->svc->store, &ep.from, &ep.prev);
    sm_evlog_read_epoch(ctx->svc->store, ctx->txn, after, (unsigned)limit, max_bytes, &ep,
                        ctx->reply);
    return 0;
}

/*  True when name is a plain file name for a backup: letters, digits, '.',
    '_' and '-', not starting with '.', so never "..", never a path. */
static bool s_backup_name_ok(const char *name)
{
    if (!name[0] || name[0] == '.')
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return false;
    return true;
}

/*  mkdir -p path with mode 0700 for what it creates. Returns 0 or -1 with
    errno set. */
static int s_mkdirs(const char *path)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0700) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(buf, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/*  Write a compacting copy of the store into backup_dir/name/data.mdb.
    The directory is made with mkdirat and the file with openat relative
    to it, both without following symbolic links and refusing what exists,
    so a name can neither escape backup_dir nor overwrite anything; the
    files are the owner's only (0700 / 0600). */
static int s_op_backup(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_service_t *svc = ctx->svc;
    const char *name = sm_arg_str(ctx, "name");
    if (!s_backup_name_ok(name))
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "name",
                           _("field \"name\" must be a plain name of letters, digits, '.', '_' "
                             "and '-' that does not start with '.', e.g. intake-2026-11-23; the "
                             "backup goes into %s"),
                           svc->backup_dir);
    if (svc->backup_busy)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, NULL,
                           _("a backup of %s is already being written; try again when it is done"),
                           svc->def->name);
    if (s_mkdirs(svc->backup_dir) != 0)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, NULL,
                           _("cannot create the backup directory %s: %s; check the setting "
                             "%s/backup_dir"),
                           svc->backup_dir, strerror(errno), svc->def->name);
    int dirfd = open(svc->backup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, NULL,
                           _("cannot open the backup directory %s: %s"), svc->backup_dir,
                           strerror(errno));
    int rc = -1, fd = -1, subfd = -1;
    if (mkdirat(dirfd, name, 0700) != 0) {
        if (errno == EEXIST)
            sm_ctx_fail(ctx, SM_E_ALREADY_EXISTS, "name",
                        _("a backup called %s already exists in %s; give a new name"), name,
                        svc->backup_dir);
        else
            sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "name", _("cannot create %s/%s: %s"),
                        svc->backup_dir, name, strerror(errno));
        goto done;
    }
    subfd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (subfd >= 0)
        fd = openat(subfd, "data.mdb", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot create the backup file in %s/%s: %s"),
                    svc->backup_dir, name, strerror(errno));
        goto done;
    }
    svc->backup_busy = true;
    int mrc = mdb_env_copyfd2(sm_store_env(svc->store), fd, MDB_CP_COMPACT);
    if (!mrc && fsync(fd) != 0)
        mrc = errno;
    svc->backup_busy = false;
    if (mrc) {
        unlinkat(subfd, "data.mdb", 0);
        unlinkat(dirfd, name, AT_REMOVEDIR);
        sm_ctx_fail(ctx, mrc == ENOSPC ? SM_E_RESOURCE_EXHAUSTED : SM_E_INTERNAL, NULL,
                    _("the backup into %s/%s failed: %s"), svc->backup_dir, name,
                    mdb_strerror(mrc));
        goto done;
    }
    char path[700];
    snprintf(path, sizeof path, "%s/%s", svc->backup_dir, name);
    /*  The copy knows it is one: opened as a live store it begins a new
        event epoch (common/store.h), which followers notice. */
    close(fd);
    fd = -1;
    sm_err_t me;
    if (sm_store_mark_restored(path, &me) != 0) {
        unlinkat(subfd, "data.mdb", 0);
        unlinkat(dirfd, name, AT_REMOVEDIR);
        sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "%s", me.message);
        goto done;
    }
    msgpack_pack_map(ctx->reply, 3);
    sm_pack_kv_str(ctx->reply, "name", name);
    sm_pack_kv_str(ctx->reply, "path", path);
    sm_pack_kv_uint(ctx->reply, "last_seq", svc->next_seq - 1);
    sm_info("backup written", "name=%s last_seq=%llu", name,
            (unsigned long long)(svc->next_seq - 1));
    rc = 0;
done:
    if (fd >= 0)
        close(fd);
    if (subfd >= 0)
        close(subfd);
    close(dirfd);
    return rc;
}

/* ==== Binding =========================================================== */

static const sm_handler_t s_builtin_handlers[] = {{"service.info", s_op_info},
                                                  {"events.read", s_op_events_read},
                                                  {"store.backup", s_op_backup},
                                                  {"audit.list", svc_op_audit_list},
                                                  {"follow.resync", svc_op_follow_resync},
                                                  {NULL, NULL}};

/*  The handler called name in hs, or NULL. */
static sm_op_fn *s_handler(const sm_handler_t *hs, const char *name)
{
    for (int i = 0; hs && hs[i].name; i++)
        if (strcmp(hs[i].name, name) == 0)
            return hs[i].fn;
    return NULL;
}

int svc_bind_ops(sm_service_t *svc, sm_err_t *err)
{
    const sm_service_def_t *def = svc->def;
    int n = 0, ndecl = 0, nhandlers = 0;
    while (sm_builtin_decls[n].name)
        n++;
    while (def->decls && def->decls[ndecl].name)
        ndecl++;
    while (def->handlers && def->handlers[nhandlers].name)
        nhandlers++;
    svc->ops = calloc((size_t)(n + ndecl), sizeof *svc->ops);
    if (!svc->ops)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    for (int i = 0; i < n; i++) {
        svc->ops[svc->nops].decl = sm_builtin_decls[i];
        svc->ops[svc->nops++].fn = s_handler(s_builtin_handlers, sm_builtin_decls[i].name);
    }
    for (int i = 0; i < ndecl; i++) {
        const sm_opdecl_t *d = &def->decls[i];
        sm_op_fn *fn = s_handler(def->handlers, d->name);
        if (!fn)
            return sm_err_set(err, SM_E_INTERNAL, NULL,
                              _("op %s is declared but has no handler (a programming error)"),
                              d->name);
        if (!d->roles)
            return sm_err_set(err, SM_E_INTERNAL, NULL,
                              _("op %s declares no role that may call it (a programming error)"),
                              d->name);
        if (svc_find_op(svc, d->name))
            return sm_err_set(err, SM_E_INTERNAL, NULL,
                              _("op %s is declared twice (a programming error)"), d->name);
        svc->ops[svc->nops].decl = *d;
        svc->ops[svc->nops++].fn = fn;
    }
    for (int i = 0; i < nhandlers; i++)
        if (!sm_decl_find(def->decls, def->handlers[i].name))
            return sm_err_set(err, SM_E_INTERNAL, NULL,
                              _("handler %s has no declaration in proto/ (a programming error)"),
                              def->handlers[i].name);
    return 0;
}

const bound_op_t *svc_find_op(sm_service_t *svc, const char *name)
{
    for (int i = 0; i < svc->nops; i++)
        if (strcmp(svc->ops[i].decl.name, name) == 0)
            return &svc->ops[i];
    return NULL;
}
