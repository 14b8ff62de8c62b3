/*  common/store.c - one LMDB environment per service. */
#include "store.h"
#include "common/i18n.h"
#include "log.h"
#include "store_check.h"
#include "text.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *s_builtin_dbs[] = {"events", "meta", "idem", "cursors", NULL};

struct _sm_store_t {
    MDB_env *env;
    int lock_fd;       /*  DIR/samen.lock, flocked while the store is open */
    uint64_t max_map;  /*  growth ceiling in bytes, 0 = none */
    char dir[512];
    char service[32];  /*  the owner, "" when opened without one */
    char instance[33]; /*  32 hex digits made when the owner first opened it */
    uint64_t epoch;      /*  the event log's epoch (1 until a restore) */
    uint64_t epoch_from; /*  the last seq the restored copy held (0 in epoch 1) */
    uint64_t epoch_prev; /*  the epoch the copy was made in (0 in epoch 1) */
    int ndbs;
    char *names[SM_STORE_MAX_DBS];
    MDB_dbi dbis[SM_STORE_MAX_DBS];
};

void sm_key_u64(uint64_t v, uint8_t out[8])
{
    for (int i = 7; i >= 0; i--) {
        out[i] = (uint8_t)(v & 0xff);
        v >>= 8;
    }
}

uint64_t sm_key_u64_decode(const void *p)
{
    const uint8_t *b = p;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | b[i];
    return v;
}

/*  mkdir -p for the data directory. Returns 0 or -1 with errno set. */
static int s_mkdirs(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0750) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    if (mkdir(path, 0750) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

uint64_t sm_meta_u64(sm_store_t *self, MDB_txn *txn, const char *key)
{
    MDB_val k = {strlen(key), (void *)key}, v;
    if (mdb_get(txn, sm_store_dbi(self, "meta"), &k, &v) != 0 || v.mv_size != 8)
        return 0;
    return sm_key_u64_decode(v.mv_data);
}

int sm_meta_put_u64(sm_store_t *self, MDB_txn *txn, const char *key, uint64_t val)
{
    uint8_t b[8];
    sm_key_u64(val, b);
    MDB_val k = {strlen(key), (void *)key}, v = {8, b};
    return mdb_put(txn, sm_store_dbi(self, "meta"), &k, &v, 0);
}

/*  meta[key] as text into buf ("" when absent). Can't fail. */
static void s_meta_text(sm_store_t *self, MDB_txn *txn, const char *key, char *buf, size_t size)
{
    MDB_val k = {strlen(key), (void *)key}, v;
    buf[0] = '\0';
    if (mdb_get(txn, sm_store_dbi(self, "meta"), &k, &v) == 0 && v.mv_size < size) {
        memcpy(buf, v.mv_data, v.mv_size);
        buf[v.mv_size] = '\0';
    }
}

static int s_meta_put_text(sm_store_t *self, MDB_txn *txn, const char *key, const char *val)
{
    MDB_val k = {strlen(key), (void *)key}, v = {strlen(val), (void *)val};
    return mdb_put(txn, sm_store_dbi(self, "meta"), &k, &v, 0);
}

/*  Check that the store belongs to self->service, or make it so when it
    has no owner yet (a new store, or one written before owners were
    recorded). Runs before the service's own databases are created, so a
    service pointed at another's directory changes nothing in it.
    Returns 0 or -1 with err. */
static int s_claim(sm_store_t *self, MDB_txn *txn, sm_err_t *err)
{
    char owner[64];
    s_meta_text(self, txn, "service", owner, sizeof owner);
    if (owner[0] && strcmp(owner, self->service) != 0)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "data_dir",
                          _("the store in %s belongs to samen-%s, not samen-%s; give samen-%s "
                            "its own data directory"),
                          self->dir, owner, self->service, self->service);
    if (owner[0] && strlen(self->instance) == 32)
        return 0;
    if (sm_random_id(self->instance) != 0)
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot make an instance ID: %s"),
                          strerror(errno));
    int rc = s_meta_put_text(self, txn, "service", self->service);
    if (!rc)
        rc = s_meta_put_text(self, txn, "instance", self->instance);
    if (rc)
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot record the store's owner: %s"),
                          mdb_strerror(rc));
    sm_info("store identity recorded", "service=%s instance=%s", self->service, self->instance);
    return 0;
}

/*  The event log's epoch: meta "epoch" (absent: 1). A store opened by its
    owner with the "restored" marker (written into a backup copy by
    sm_store_mark_restored) begins a new epoch: the larger of epoch + 1 and
    the current Unix time in seconds, so that restoring the same copy twice
    still gives two different epochs; "epoch_from" records the last seq
    the copy held and "epoch_prev" the epoch it was made in, and the
    marker goes, in the set-up transaction.
    Returns 0 or an LMDB rc. */
static int s_epoch(sm_store_t *self, MDB_txn *txn)
{
    self->epoch = sm_meta_u64(self, txn, "epoch");
    self->epoch_from = sm_meta_u64(self, txn, "epoch_from");
    self->epoch_prev = sm_meta_u64(self, txn, "epoch_prev");
    if (self->epoch == 0)
        self->epoch = 1;
    if (!self->service[0] || sm_meta_u64(self, txn, "restored") == 0)
        return 0;
    uint64_t now = (uint64_t)time(NULL), last = 0;
    MDB_cursor *cur;
    MDB_val k, v;
    if (mdb_cursor_open(txn, sm_store_dbi(self, "events"), &cur) == 0) {
        if (mdb_cursor_get(cur, &k, &v, MDB_LAST) == 0 && k.mv_size == 8)
            last = sm_key_u64_decode(k.mv_data);
        mdb_cursor_close(cur);
    }
    self->epoch_prev = self->epoch;
    self->epoch = now > self->epoch ? now : self->epoch + 1;
    self->epoch_from = last;
    MDB_val mk = {8, "restored"};
    int rc = sm_meta_put_u64(self, txn, "epoch", self->epoch);
    if (!rc)
        rc = sm_meta_put_u64(self, txn, "epoch_from", last);
    if (!rc)
        rc = sm_meta_put_u64(self, txn, "epoch_prev", self->epoch_prev);
    if (!rc)
        rc = mdb_del(txn, sm_store_dbi(self, "meta"), &mk, NULL);
    if (!rc)
        sm_warn("store restored from a backup: a new event epoch begins",
                "service=%s epoch=%llu from_seq=%llu", self->service,
                (unsigned long long)self->epoch, (unsigned long long)last);
    return rc;
}

int sm_store_mark_restored(const char *dir, sm_err_t *err)
{
    MDB_env *env = NULL;
    MDB_txn *txn = NULL;
    MDB_dbi dbi;
    uint8_t one[8];
    sm_key_u64(1, one);
    MDB_val k = {8, "restored"}, v = {8, one};
    /*  MDB_NOLOCK: the copy is new and nobody else has it open; no
        lock.mdb is left beside it. */
    int rc = mdb_env_create(&env);
    if (!rc)
        rc = mdb_env_set_maxdbs(env, SM_STORE_MAX_DBS);
    if (!rc)
        rc = mdb_env_open(env, dir, MDB_NOLOCK, 0600);
    if (!rc)
        rc = mdb_txn_begin(env, NULL, 0, &txn);
    if (!rc)
        rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &dbi);
    if (!rc)
        rc = mdb_put(txn, dbi, &k, &v, 0);
    if (!rc) {
        rc = mdb_txn_commit(txn);
        txn = NULL;
    }
    if (txn)
        mdb_txn_abort(txn);
    if (env)
        mdb_env_close(env);
    if (rc)
        return sm_err_set(err, SM_E_INTERNAL, NULL,
                          _("cannot mark the backup in %s as a copy: %s"), dir, mdb_strerror(rc));
    return 0;
}

static int s_add_db(sm_store_t *self, MDB_txn *txn, const char *name, sm_err_t *err)
{
    if (self->ndbs >= SM_STORE_MAX_DBS)
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("too many databases (max %d)"),
                          SM_STORE_MAX_DBS);
    int rc = mdb_dbi_open(txn, name, MDB_CREATE, &self->dbis[self->ndbs]);
    if (rc)
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot open database %s: %s"), name,
                          mdb_strerror(rc));
    self->names[self->ndbs++] = strdup(name);
    return 0;
}

sm_store_t *sm_store_open(const char *dir, const char *service, const char *const *dbs,
                          int schema_version, sm_migrate_fn *migrate, uint64_t map_size,
                          sm_err_t *err)
{
    sm_store_opts_t opts = {.map_size = map_size};
    return sm_store_open_opts(dir, service, dbs, schema_version, migrate, &opts, err);
}

sm_store_t *sm_store_open_opts(const char *dir, const char *service, const char *const *dbs,
                               int schema_version, sm_migrate_fn *migrate,
                               const sm_store_opts_t *opts, sm_err_t *err)
{
    static const sm_store_opts_t s_defaults = {0};
    sm_store_t *self = calloc(1, sizeof *self);
    MDB_txn *txn = NULL;
    int rc;
    if (!self) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        return NULL;
    }
    if (!opts)
        opts = &s_defaults;
    self->lock_fd = -1;
    self->max_map = opts->max_map;
    uint64_t map_size = opts->map_size ? opts->map_size : (64u << 20);
    if (self->max_map && map_size > self->max_map)
        map_size = self->max_map;
    snprintf(self->dir, sizeof self->dir, "%s", dir);
    snprintf(self->service, sizeof self->service, "%s", service ? service : "");
    if (s_mkdirs(dir) != 0) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "data_dir", _("cannot create data directory %s: %s"),
                   dir, strerror(errno));
        goto fail;
    }
    /*  The lock first, so that no other process changes the directory
        while it is checked; then the checks, before LMDB maps anything. */
    bool fresh = false;
    if ((self->lock_fd = sm_store_lock(dir, self->service, err)) < 0 ||
        sm_store_check_dir(dir, opts->init, &fresh, err) != 0)
        goto fail;
    if ((rc = mdb_env_create(&self->env)) || (rc = mdb_env_set_maxdbs(self->env, SM_STORE_MAX_DBS)) ||
        (rc = mdb_env_set_mapsize(self->env, map_size))) {
        sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot set up LMDB: %s"), mdb_strerror(rc));
        goto fail;
    }
    /*  MDB_NOTLS: reader slots belong to transactions, not threads. No
        NOSYNC/NOMETASYNC/WRITEMAP: a commit is durable when it returns. */
    if ((rc = mdb_env_open(self->env, dir, MDB_NOTLS, 0640))) {
        sm_err_set(err, SM_E_INTERNAL, "data_dir", _("cannot open the store in %s: %s"), dir,
                   mdb_strerror(rc));
        goto fail;
    }
    /*  Grow the map if the file is already larger than asked (a grown store). */
    MDB_envinfo info;
    mdb_env_info(self->env, &info);
    int dead = 0;
    mdb_reader_check(self->env, &dead);
    if (dead)
        sm_warn("stale readers cleared", "count=%d", dead);

    if ((rc = mdb_txn_begin(self->env, NULL, 0, &txn))) {
        sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot begin a transaction: %s"), mdb_strerror(rc));
        goto fail;
    }
    for (int i = 0; s_builtin_dbs[i]; i++)
        if (s_add_db(self, txn, s_builtin_dbs[i], err))
            goto fail;

    uint64_t have = sm_meta_u64(self, txn, "schema_version");
    MDB_stat st;
    mdb_stat(txn, sm_store_dbi(self, "meta"), &st);
    s_meta_text(self, txn, "instance", self->instance, sizeof self->instance);
    if (self->service[0] && s_claim(self, txn, err))
        goto fail;
    if ((rc = s_epoch(self, txn))) {
        sm_store_fail(self, rc, "epoch", err);
        goto fail;
    }
    for (int i = 0; dbs && dbs[i]; i++)
        if (s_add_db(self, txn, dbs[i], err))
            goto fail;
    if (have == 0 && st.ms_entries == 0) {
        /*  A new store. */
        if ((rc = sm_meta_put_u64(self, txn, "schema_version", (uint64_t)schema_version))) {
            sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot write schema version: %s"),
                       mdb_strerror(rc));
            goto fail;
        }
    } else if (have > (uint64_t)schema_version) {
        sm_err_set(err, SM_E_FAILED_PRECONDITION, "data_dir",
                   _("the store in %s has schema version %llu but this binary knows only up to "
                     "%d; run a newer samen or restore a backup made by this version"),
                   dir, (unsigned long long)have, schema_version);
        goto fail;
    } else if (have < (uint64_t)schema_version) {
        if (!migrate) {
            sm_err_set(err, SM_E_FAILED_PRECONDITION, "data_dir",
                       _("the store in %s has schema version %llu and no migration to %d exists"),
                       dir, (unsigned long long)have, schema_version);
            goto fail;
        }
        if (migrate(txn, self, (int)have, err) != 0)
            goto fail;
        sm_meta_put_u64(self, txn, "schema_version", (uint64_t)schema_version);
        sm_info("store migrated", "from=%llu to=%d", (unsigned long long)have, schema_version);
    }
    if ((rc = mdb_txn_commit(txn))) {
        txn = NULL;
        sm_store_fail(self, rc, "store set-up", err);
        goto fail;
    }
    if (fresh)
        sm_info("new store created", "dir=%s", sm_log_quote(dir, (char[600]){0}, 600));
    return self;
fail:
    if (txn)
        mdb_txn_abort(txn);
    sm_store_destroy(&self);
    return NULL;
}

void sm_store_destroy(sm_store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sm_store_t *self = *self_p;
    for (int i = 0; i < self->ndbs; i++)
        free(self->names[i]);
    if (self->env)
        mdb_env_close(self->env);
    if (self->lock_fd >= 0)
        close(self->lock_fd); /*  releases the flock */
    free(self);
    *self_p = NULL;
}

const char *sm_store_dir(sm_store_t *self)
{
    return self->dir;
}

int sm_store_fail(sm_store_t *self, int rc, const char *what, sm_err_t *err)
{
    /*  LMDB reports a short write as EIO (mdb_page_flush), which is what a
        nearly full disk gives; a real I/O error with space to spare stays
        internal. */
    if (rc == ENOSPC || rc == EDQUOT || (rc == EIO && sm_store_free_bytes(self->dir) < (4u << 20)))
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL,
                          _("disk full on %s: the %s could not be written; nothing was changed. "
                            "Free space there and try again (reads go on meanwhile)"),
                          self->dir, what);
    return sm_err_set(err, SM_E_INTERNAL, NULL, _("store %s failed: %s"), what, mdb_strerror(rc));
}

const char *sm_store_service(sm_store_t *self)
{
    return self->service;
}

const char *sm_store_instance(sm_store_t *self)
{
    return self->instance;
}

uint64_t sm_store_epoch(sm_store_t *self, uint64_t *from, uint64_t *prev)
{
    if (from)
        *from = self->epoch_from;
    if (prev)
        *prev = self->epoch_prev;
    return self->epoch;
}

MDB_env *sm_store_env(sm_store_t *self)
{
    return self->env;
}

MDB_dbi sm_store_dbi(sm_store_t *self, const char *name)
{
    for (int i = 0; i < self->ndbs; i++)
        if (strcmp(self->names[i], name) == 0)
            return self->dbis[i];
    fprintf(stderr, "PANIC: unknown database \"%s\" (a programming error)\n", name);
    abort();
}

int sm_store_begin(sm_store_t *self, bool write, MDB_txn **txn, sm_err_t *err)
{
    int rc = mdb_txn_begin(self->env, NULL, write ? 0 : MDB_RDONLY, txn);
    if (rc == MDB_MAP_RESIZED) {
        /*  Another handle grew the map; adopt the new size and retry. */
        mdb_env_set_mapsize(self->env, 0);
        rc = mdb_txn_begin(self->env, NULL, write ? 0 : MDB_RDONLY, txn);
    }
    if (rc)
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot begin a transaction: %s"),
                          mdb_strerror(rc));
    return 0;
}

int sm_store_grow(sm_store_t *self, sm_err_t *err)
{
    MDB_envinfo info;
    mdb_env_info(self->env, &info);
    size_t next = info.me_mapsize * 2;
    if (self->max_map && next > self->max_map)
        next = self->max_map;
    if (self->max_map && info.me_mapsize >= self->max_map)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL,
                          _("disk full on %s: the store reached its ceiling of %llu MiB "
                            "(max_map_mb); nothing was changed. Raise max_map_mb or free space "
                            "in the store, and try again (reads go on meanwhile)"),
                          self->dir, (unsigned long long)(self->max_map >> 20));
    int rc = mdb_env_set_mapsize(self->env, next);
    if (rc)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL,
                          _("cannot grow the store to %zu bytes: %s"), next, mdb_strerror(rc));
    sm_info("store grown", "map_bytes=%zu", next);
    return 0;
}

uint64_t sm_store_map_size(sm_store_t *self)
{
    MDB_envinfo info;
    mdb_env_info(self->env, &info);
    return info.me_mapsize;
}

uint64_t sm_store_used_bytes(sm_store_t *self)
{
    MDB_envinfo info;
    MDB_stat st;
    mdb_env_info(self->env, &info);
    mdb_env_stat(self->env, &st);
    return (uint64_t)(info.me_last_pgno + 1) * st.ms_psize;
}

int sm_store_backup(sm_store_t *self, const char *path, sm_err_t *err)
{
    if (!path || path[0] != '/')
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "path",
                          _("give an absolute directory path for the backup, e.g. "
                            "/var/backups/samen/intake-2026-11-23"));
    struct stat st;
    if (stat(path, &st) == 0)
        return sm_err_set(err, SM_E_ALREADY_EXISTS, "path",
                          _("%s already exists; a backup goes into a new directory"), path);
    if (s_mkdirs(path) != 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "path", _("cannot create %s: %s"), path,
                          strerror(errno));
    int rc = mdb_env_copy2(self->env, path, MDB_CP_COMPACT);
    if (!rc && self->service[0] && sm_store_mark_restored(path, NULL) != 0)
        rc = EIO;
    if (rc) {
        rmdir(path);
        return sm_err_set(err, SM_E_INTERNAL, "path", _("backup to %s failed: %s"), path,
                          mdb_strerror(rc));
    }
    return 0;
}
