/*  tests/unit/test_store.c - the LMDB store wrapper: creation and the
    schema version, refusal of a newer store, migration of an older one,
    map growth after MDB_MAP_FULL, hot backup, keys and meta values. */
#include "common/log.h"
#include "common/store.h"
#include "test.h"
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const s_dbs[] = {"things", NULL};

/*  A fresh temporary directory; path is written into buf. */
static char *s_tmpdir(char *buf, size_t size)
{
    snprintf(buf, size, "/tmp/samen-test-store-XXXXXX");
    return mkdtemp(buf);
}

static void s_rmrf(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("     could not remove %s\n", dir);
}

static bool s_has(const sm_err_t *e, const char *code, const char *part)
{
    bool ok = e->code && strcmp(e->code, code) == 0 && strstr(e->message, part);
    if (!ok)
        printf("     error %s \"%s\", expected %s containing \"%s\"\n", e->code ? e->code : "-",
               e->message, code, part);
    return ok;
}

/*  Put key -> val into db in its own write transaction. Returns the LMDB rc. */
static int s_put(sm_store_t *st, const char *db, const char *key, const char *val)
{
    MDB_txn *txn;
    if (sm_store_begin(st, true, &txn, NULL) != 0)
        return -1;
    MDB_val k = {strlen(key), (void *)key}, v = {strlen(val), (void *)val};
    int rc = mdb_put(txn, sm_store_dbi(st, db), &k, &v, 0);
    if (rc) {
        mdb_txn_abort(txn);
        return rc;
    }
    return mdb_txn_commit(txn);
}

/*  Read key from db into buf ("" when absent). */
static const char *s_get(sm_store_t *st, const char *db, const char *key, char *buf, size_t size)
{
    MDB_txn *txn;
    buf[0] = '\0';
    if (sm_store_begin(st, false, &txn, NULL) != 0)
        return buf;
    MDB_val k = {strlen(key), (void *)key}, v;
    if (mdb_get(txn, sm_store_dbi(st, db), &k, &v) == 0)
        snprintf(buf, size, "%.*s", (int)v.mv_size, (const char *)v.mv_data);
    mdb_txn_abort(txn);
    return buf;
}

static uint64_t s_schema(sm_store_t *st)
{
    MDB_txn *txn;
    if (sm_store_begin(st, false, &txn, NULL) != 0)
        return 0;
    uint64_t v = sm_meta_u64(st, txn, "schema_version");
    mdb_txn_abort(txn);
    return v;
}

/* ==== Open, create, schema ============================================= */

TEST(open_creates_the_directory_and_writes_the_schema_version)
{
    char tmp[64], dir[128];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    snprintf(dir, sizeof dir, "%s/var/finance", tmp); /*  two levels that do not exist */
    sm_err_t e;
    sm_err_clear(&e);
    sm_store_t *st = sm_store_open(dir, NULL, s_dbs, 3, NULL, 0, &e);
    CHECK(st != NULL);
    CHECK(!sm_err_is_set(&e));
    struct stat sb;
    CHECK(stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode));
    CHECK_INT(s_schema(st), 3);
    /*  default map of 64 MiB */
    CHECK_INT(sm_store_map_size(st), 64u << 20);
    CHECK(sm_store_used_bytes(st) > 0);
    /*  every builtin database exists, and the service's own */
    MDB_txn *txn;
    CHECK_INT(sm_store_begin(st, false, &txn, &e), 0);
    MDB_stat ms;
    CHECK_INT(mdb_stat(txn, sm_store_dbi(st, "events"), &ms), 0);
    CHECK_INT(mdb_stat(txn, sm_store_dbi(st, "idem"), &ms), 0);
    CHECK_INT(mdb_stat(txn, sm_store_dbi(st, "cursors"), &ms), 0);
    CHECK_INT(mdb_stat(txn, sm_store_dbi(st, "things"), &ms), 0);
    CHECK_INT(ms.ms_entries, 0);
    mdb_txn_abort(txn);
    CHECK_INT(s_put(st, "things", "a", "1"), 0);
    sm_store_destroy(&st);
    CHECK(st == NULL);
    sm_store_destroy(&st); /*  safe twice */

    /*  reopened with the same version: the data is there */
    st = sm_store_open(dir, NULL, s_dbs, 3, NULL, 0, &e);
    CHECK(st != NULL);
    char buf[16];
    CHECK_STR(s_get(st, "things", "a", buf, sizeof buf), "1");
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

TEST(open_refuses_a_directory_it_cannot_create)
{
    sm_err_t e;
    sm_err_clear(&e);
    sm_store_t *st = sm_store_open("/proc/samen-no-such/x", NULL, s_dbs, 1, NULL, 0, &e);
    CHECK(st == NULL);
    CHECK(s_has(&e, SM_E_INVALID_ARGUMENT, "cannot create data directory"));
    CHECK_STR(e.field, "data_dir");
}

TEST(a_store_newer_than_the_binary_is_refused_and_left_untouched)
{
    char tmp[64];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    sm_err_t e;
    sm_store_t *st = sm_store_open(tmp, NULL, s_dbs, 2, NULL, 0, &e);
    CHECK(st != NULL);
    CHECK_INT(s_put(st, "things", "k", "v"), 0);
    sm_store_destroy(&st);

    sm_err_clear(&e);
    st = sm_store_open(tmp, NULL, s_dbs, 1, NULL, 0, &e);
    CHECK(st == NULL);
    CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, "schema version 2"));
    CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, "only up to 1"));
    CHECK(strstr(e.message, tmp) != NULL); /*  says which store */
    CHECK_STR(e.field, "data_dir");

    st = sm_store_open(tmp, NULL, s_dbs, 2, NULL, 0, &e);
    CHECK(st != NULL);
    CHECK_INT(s_schema(st), 2);
    char buf[8];
    CHECK_STR(s_get(st, "things", "k", buf, sizeof buf), "v");
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

/*  A migration that leaves its evidence in the store it is handed (no
    static state): meta["migrated_from"] and a rewritten value, both inside
    the migration's transaction. Returns 0 or -1 with err. */
static int s_migrate_ok(MDB_txn *txn, sm_store_t *store, int from, sm_err_t *err)
{
    if (sm_meta_put_u64(store, txn, "migrated_from", (uint64_t)from) != 0)
        return sm_err_set(err, SM_E_INTERNAL, NULL, "cannot write");
    MDB_val k = {1, "k"}, v = {8, "upgraded"};
    if (mdb_put(txn, sm_store_dbi(store, "things"), &k, &v, 0) != 0)
        return sm_err_set(err, SM_E_INTERNAL, NULL, "cannot write");
    return 0;
}

/*  A migration that writes, then fails: its write must not survive.
    Returns -1 with err. */
static int s_migrate_fails(MDB_txn *txn, sm_store_t *store, int from, sm_err_t *err)
{
    MDB_val k = {1, "k"}, v = {4, "half"};
    mdb_put(txn, sm_store_dbi(store, "things"), &k, &v, 0);
    return sm_err_set(err, SM_E_FAILED_PRECONDITION, "data_dir",
                      "cannot migrate from version %d", from);
}

TEST(an_older_store_is_migrated_with_its_old_version_in_one_transaction)
{
    char tmp[64];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    sm_err_t e;
    sm_store_t *st = sm_store_open(tmp, NULL, s_dbs, 1, NULL, 0, &e);
    CHECK(st != NULL);
    CHECK_INT(s_put(st, "things", "k", "original"), 0);
    sm_store_destroy(&st);

    /*  No migration function: refused, store untouched. */
    sm_err_clear(&e);
    st = sm_store_open(tmp, NULL, s_dbs, 3, NULL, 0, &e);
    CHECK(st == NULL);
    CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, "no migration"));

    /*  A failing migration: refused, nothing it wrote remains. */
    sm_err_clear(&e);
    st = sm_store_open(tmp, NULL, s_dbs, 3, s_migrate_fails, 0, &e);
    CHECK(st == NULL);
    CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, "cannot migrate from version 1"));
    st = sm_store_open(tmp, NULL, s_dbs, 1, NULL, 0, &e);
    CHECK(st != NULL);
    char buf[16];
    CHECK_STR(s_get(st, "things", "k", buf, sizeof buf), "original");
    CHECK_INT(s_schema(st), 1);
    sm_store_destroy(&st);

    /*  A working migration: called with from = 1, version becomes 3. */
    st = sm_store_open(tmp, NULL, s_dbs, 3, s_migrate_ok, 0, &e);
    CHECK(st != NULL);
    CHECK_INT(s_schema(st), 3);
    MDB_txn *txn;
    CHECK_INT(sm_store_begin(st, false, &txn, &e), 0);
    CHECK_INT(sm_meta_u64(st, txn, "migrated_from"), 1);
    mdb_txn_abort(txn);
    CHECK_STR(s_get(st, "things", "k", buf, sizeof buf), "upgraded");
    sm_store_destroy(&st);

    /*  Opening again at 3 does not migrate again. */
    st = sm_store_open(tmp, NULL, s_dbs, 3, s_migrate_fails, 0, &e);
    CHECK(st != NULL);
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

TEST(an_unknown_database_name_is_a_loud_programming_error)
{
    char tmp[64];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    sm_store_t *st = sm_store_open(tmp, NULL, s_dbs, 1, NULL, 0, NULL);
    CHECK(st != NULL);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        /*  The child dies by abort(); keep its stderr quiet. */
        if (!freopen("/dev/null", "w", stderr))
            _exit(3);
        sm_store_dbi(st, "no-such-db");
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

/* ==== Growth ============================================================ */

/*  Write distinct 1 KiB values until the map is full, growing and going on
    each time, until `target` values are stored. Returns the number of
    growths, or -1 on any other failure. */
static int s_fill(sm_store_t *st, int target, int *stored)
{
    char val[1024];
    memset(val, 'v', sizeof val);
    int grows = 0;
    while (*stored < target) {
        MDB_txn *txn;
        if (sm_store_begin(st, true, &txn, NULL) != 0)
            return -1;
        int rc = 0;
        int batch = 0;
        for (; batch < 16 && *stored + batch < target; batch++) {
            uint8_t key[8];
            sm_key_u64((uint64_t)(*stored + batch), key);
            MDB_val k = {8, key}, v = {sizeof val, val};
            if ((rc = mdb_put(txn, sm_store_dbi(st, "things"), &k, &v, 0)) != 0)
                break;
        }
        if (rc == 0)
            rc = mdb_txn_commit(txn);
        else
            mdb_txn_abort(txn);
        if (rc == MDB_MAP_FULL) {
            /*  As the service does: grow with no transaction open, redo. */
            if (sm_store_grow(st, NULL) != 0)
                return -1;
            grows++;
            continue;
        }
        if (rc != 0) {
            printf("     unexpected LMDB error %s\n", mdb_strerror(rc));
            return -1;
        }
        *stored += batch;
    }
    return grows;
}

TEST(a_full_map_grows_by_doubling_and_writing_goes_on)
{
    char tmp[64];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    sm_err_t e;
    sm_err_clear(&e);
    /*  64 KiB: 16 pages, enough for the databases and little else. */
    sm_store_t *st = sm_store_open(tmp, NULL, s_dbs, 1, NULL, 64u << 10, &e);
    CHECK(st != NULL);
    if (!st) {
        printf("     %s\n", e.message);
        return;
    }
    CHECK_INT(sm_store_map_size(st), 64u << 10);
    int stored = 0;
    int grows = s_fill(st, 2000, &stored); /*  ~2 MB of values */
    CHECK(grows >= 5);                     /*  64K -> at least 2M */
    CHECK_INT(stored, 2000);
    CHECK_INT(sm_store_map_size(st), (uint64_t)(64u << 10) << grows);
    CHECK(sm_store_used_bytes(st) <= sm_store_map_size(st));
    CHECK(sm_store_used_bytes(st) > 2000u * 1024);

    /*  Every value is there. */
    MDB_txn *txn;
    CHECK_INT(sm_store_begin(st, false, &txn, &e), 0);
    MDB_stat ms;
    mdb_stat(txn, sm_store_dbi(st, "things"), &ms);
    CHECK_INT(ms.ms_entries, 2000);
    mdb_txn_abort(txn);
    uint64_t grown = sm_store_map_size(st);
    sm_store_destroy(&st);

    /*  Reopened with the tiny map again: LMDB keeps at least the data's
        size, the data reads back, and writing grows again. */
    st = sm_store_open(tmp, NULL, s_dbs, 1, NULL, 64u << 10, &e);
    CHECK(st != NULL);
    CHECK(sm_store_map_size(st) >= sm_store_used_bytes(st));
    CHECK(sm_store_map_size(st) <= grown);
    int more = 2000;
    CHECK(s_fill(st, 2100, &more) >= 0);
    CHECK_INT(more, 2100);
    CHECK_INT(sm_store_begin(st, false, &txn, &e), 0);
    mdb_stat(txn, sm_store_dbi(st, "things"), &ms);
    CHECK_INT(ms.ms_entries, 2100);
    mdb_txn_abort(txn);
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

/* ==== Backup ============================================================ */

TEST(a_backup_is_a_store_that_opens_with_the_data)
{
    char tmp[64], src[128], dst[128];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    snprintf(src, sizeof src, "%s/live", tmp);
    snprintf(dst, sizeof dst, "%s/backups/2026-11-23", tmp);
    sm_err_t e;
    sm_store_t *st = sm_store_open(src, NULL, s_dbs, 4, NULL, 0, &e);
    CHECK(st != NULL);
    CHECK_INT(s_put(st, "things", "GM0402", "Hilversum"), 0);
    /*  a reader stays open meanwhile: the copy is hot */
    MDB_txn *reader;
    CHECK_INT(sm_store_begin(st, false, &reader, &e), 0);
    sm_err_clear(&e);
    CHECK_INT(sm_store_backup(st, dst, &e), 0);
    CHECK(!sm_err_is_set(&e));
    mdb_txn_abort(reader);

    /*  Refusals: the same path again, and a relative path. */
    CHECK_INT(sm_store_backup(st, dst, &e), -1);
    CHECK(s_has(&e, SM_E_ALREADY_EXISTS, "already exists"));
    CHECK_STR(e.field, "path");
    CHECK_INT(sm_store_backup(st, "backups/x", &e), -1);
    CHECK(s_has(&e, SM_E_INVALID_ARGUMENT, "absolute"));
    CHECK_INT(sm_store_backup(st, NULL, &e), -1);
    CHECK(s_has(&e, SM_E_INVALID_ARGUMENT, "absolute"));
    /*  A write after the backup is not in it. */
    CHECK_INT(s_put(st, "things", "GM0363", "Amsterdam"), 0);
    sm_store_destroy(&st);

    /*  Restore = open the copy. */
    st = sm_store_open(dst, NULL, s_dbs, 4, NULL, 0, &e);
    CHECK(st != NULL);
    char buf[32];
    CHECK_STR(s_get(st, "things", "GM0402", buf, sizeof buf), "Hilversum");
    CHECK_STR(s_get(st, "things", "GM0363", buf, sizeof buf), "");
    CHECK_INT(s_schema(st), 4);
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

/* ==== Keys and meta values ============================================== */

TEST(u64_keys_are_big_endian_so_they_sort_numerically)
{
    uint8_t a[8], b[8];
    sm_key_u64(1, a);
    sm_key_u64(256, b);
    CHECK(memcmp(a, "\0\0\0\0\0\0\0\1", 8) == 0);
    CHECK(memcmp(b, "\0\0\0\0\0\0\1\0", 8) == 0);
    CHECK(memcmp(a, b, 8) < 0);
    sm_key_u64(UINT64_MAX, a);
    CHECK(sm_key_u64_decode(a) == UINT64_MAX);
    sm_key_u64(0x0102030405060708ull, a);
    CHECK(sm_key_u64_decode(a) == 0x0102030405060708ull);
}

TEST(meta_u64_reads_back_and_is_zero_when_absent)
{
    char tmp[64];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    sm_store_t *st = sm_store_open(tmp, NULL, NULL, 1, NULL, 0, NULL);
    CHECK(st != NULL);
    MDB_txn *txn;
    CHECK_INT(sm_store_begin(st, true, &txn, NULL), 0);
    CHECK_INT(sm_meta_u64(st, txn, "next_P"), 0);
    CHECK_INT(sm_meta_put_u64(st, txn, "next_P", 12), 0);
    CHECK_INT(sm_meta_put_u64(st, txn, "big", UINT64_MAX), 0);
    CHECK_INT(sm_meta_u64(st, txn, "next_P"), 12);
    CHECK_INT(mdb_txn_commit(txn), 0);
    CHECK_INT(sm_store_begin(st, false, &txn, NULL), 0);
    CHECK_INT(sm_meta_u64(st, txn, "next_P"), 12);
    CHECK(sm_meta_u64(st, txn, "big") == UINT64_MAX);
    mdb_txn_abort(txn);
    /*  A value that is not 8 bytes reads as 0 (not garbage). */
    CHECK_INT(s_put(st, "meta", "odd", "abc"), 0);
    CHECK_INT(sm_store_begin(st, false, &txn, NULL), 0);
    CHECK_INT(sm_meta_u64(st, txn, "odd"), 0);
    mdb_txn_abort(txn);
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

TEST(a_store_knows_its_service_and_refuses_another_without_changing)
{
    char tmp[64];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    sm_err_t e;
    sm_err_clear(&e);
    static const char *fin_dbs[] = {"budget_lines", NULL};
    static const char *intake_dbs[] = {"participants", NULL};
    sm_store_t *st = sm_store_open(tmp, "finance", fin_dbs, 1, NULL, 0, &e);
    CHECK(st != NULL);
    CHECK_STR(sm_store_service(st), "finance");
    char instance[33];
    snprintf(instance, sizeof instance, "%s", sm_store_instance(st));
    CHECK_INT(strlen(instance), 32);
    sm_store_destroy(&st);

    /*  intake pointed at finance's directory: refused, naming both. */
    st = sm_store_open(tmp, "intake", intake_dbs, 1, NULL, 0, &e);
    CHECK(st == NULL);
    CHECK_STR(e.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(e.field, "data_dir");
    CHECK(strstr(e.message, "belongs to samen-finance, not samen-intake") != NULL);

    /*  nothing of intake's was created in it; the instance is the same */
    sm_err_clear(&e);
    st = sm_store_open(tmp, NULL, NULL, 1, NULL, 0, &e);
    CHECK(st != NULL);
    MDB_txn *txn;
    MDB_dbi dbi;
    CHECK_INT(sm_store_begin(st, false, &txn, NULL), 0);
    CHECK_INT(mdb_dbi_open(txn, "participants", 0, &dbi), MDB_NOTFOUND);
    mdb_txn_abort(txn);
    CHECK_STR(sm_store_instance(st), instance);
    sm_store_destroy(&st);

    /*  the owner reopens it with the same instance ID */
    st = sm_store_open(tmp, "finance", fin_dbs, 1, NULL, 0, &e);
    CHECK(st != NULL);
    CHECK_STR(sm_store_instance(st), instance);
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

TEST(a_store_without_an_owner_is_adopted_by_the_first_service)
{
    char tmp[64];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    sm_store_t *st = sm_store_open(tmp, NULL, s_dbs, 1, NULL, 0, NULL);
    CHECK(st != NULL);
    CHECK_STR(sm_store_instance(st), "");
    sm_store_destroy(&st);
    st = sm_store_open(tmp, "reporting", s_dbs, 1, NULL, 0, NULL);
    CHECK(st != NULL);
    CHECK_STR(sm_store_service(st), "reporting");
    CHECK_INT(strlen(sm_store_instance(st)), 32);
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

/* ==== One process per store; damaged stores refused ===================== */

/*  A store in dir holding about kib KiB of values, closed again. Returns
    the bytes its last transaction uses (last page + 1, in bytes). */
static uint64_t s_make_store(const char *dir, int kib)
{
    sm_store_t *st = sm_store_open(dir, "finance", s_dbs, 1, NULL, 0, NULL);
    if (!st)
        return 0;
    int stored = 0;
    s_fill(st, kib, &stored);
    uint64_t used = sm_store_used_bytes(st);
    sm_store_destroy(&st);
    return used;
}

static long long s_file_size(const char *dir, const char *name)
{
    char path[256];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

static int s_truncate(const char *dir, long long size)
{
    char path[256];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    return truncate(path, size);
}

TEST(a_second_open_of_a_store_is_refused_naming_the_holder)
{
    char tmp[64];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    sm_err_t e;
    sm_err_clear(&e);
    sm_store_t *st = sm_store_open(tmp, "intake", s_dbs, 1, NULL, 0, &e);
    CHECK(st != NULL);
    sm_store_t *again = sm_store_open(tmp, "intake", s_dbs, 1, NULL, 0, &e);
    CHECK(again == NULL);
    char pid[64];
    snprintf(pid, sizeof pid, "process %ld (samen-intake)", (long)getpid());
    CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, pid));
    CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, "one process per store"));
    CHECK_STR(e.field, "data_dir");
    /*  The first one still works; once closed, the store opens again. */
    CHECK_INT(s_put(st, "things", "a", "1"), 0);
    sm_store_destroy(&st);
    st = sm_store_open(tmp, "intake", s_dbs, 1, NULL, 0, &e);
    CHECK(st != NULL);
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

TEST(a_new_store_needs_an_empty_directory_or_init)
{
    char tmp[64], path[128];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    snprintf(path, sizeof path, "%s/notes.txt", tmp);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    sm_err_t e;
    sm_err_clear(&e);
    sm_store_t *st = sm_store_open(tmp, "intake", s_dbs, 1, NULL, 0, &e);
    CHECK(st == NULL);
    CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, "not empty (notes.txt)"));
    CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, "--init"));
    CHECK_INT(s_file_size(tmp, "data.mdb"), -1); /*  nothing created */
    sm_store_opts_t opts = {.init = true};
    st = sm_store_open_opts(tmp, "intake", s_dbs, 1, NULL, &opts, &e);
    CHECK(st != NULL);
    sm_store_destroy(&st);
    /*  Once there, the store opens without --init. */
    st = sm_store_open(tmp, "intake", s_dbs, 1, NULL, 0, &e);
    CHECK(st != NULL);
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

TEST(a_lost_data_file_beside_its_lock_file_is_not_replaced)
{
    char tmp[64], path[128];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    CHECK(s_make_store(tmp, 10) > 0);
    snprintf(path, sizeof path, "%s/data.mdb", tmp);
    CHECK_INT(unlink(path), 0);
    sm_err_t e;
    sm_err_clear(&e);
    sm_store_t *st = sm_store_open(tmp, "finance", s_dbs, 1, NULL, 0, &e);
    CHECK(st == NULL);
    CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, "lost its data.mdb"));
    CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, "restore the latest backup"));
    CHECK_INT(s_file_size(tmp, "data.mdb"), -1);
    s_rmrf(tmp);
}

TEST(a_data_file_truncated_to_nothing_is_refused_not_made_new)
{
    char tmp[64];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    CHECK(s_make_store(tmp, 10) > 0);
    CHECK_INT(s_truncate(tmp, 0), 0);
    sm_err_t e;
    sm_err_clear(&e);
    sm_store_t *st = sm_store_open(tmp, "finance", s_dbs, 1, NULL, 0, &e);
    CHECK(st == NULL);
    CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, "is damaged: data.mdb is empty (0 bytes)"));
    CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, "restore the latest backup"));
    CHECK_INT(s_file_size(tmp, "data.mdb"), 0); /*  left as it was */
    /*  --init does not replace it either. */
    sm_store_opts_t opts = {.init = true};
    st = sm_store_open_opts(tmp, "finance", s_dbs, 1, NULL, &opts, &e);
    CHECK(st == NULL);
    CHECK_INT(s_file_size(tmp, "data.mdb"), 0);
    s_rmrf(tmp);
}

TEST(a_data_file_cut_short_is_refused_without_a_crash)
{
    /*  Before the check, each of these sizes made LMDB read past the end
        of the file: SIGBUS. */
    static const long long sizes[] = {100, 4096, 8192, 12288, 65536, 200000, 300 * 1024};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char tmp[64];
        CHECK(s_tmpdir(tmp, sizeof tmp));
        uint64_t used = s_make_store(tmp, 600);
        CHECK(used > 400 * 1024);
        CHECK_INT(s_truncate(tmp, sizes[i]), 0);
        sm_err_t e;
        sm_err_clear(&e);
        sm_store_t *st = sm_store_open(tmp, "finance", s_dbs, 1, NULL, 0, &e);
        CHECK(st == NULL);
        CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, "is damaged"));
        if (sizes[i] >= 8192)
            CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, "cut short"));
        CHECK_INT(s_file_size(tmp, "data.mdb"), sizes[i]);
        sm_store_destroy(&st);
        s_rmrf(tmp);
    }
}

TEST(a_garbage_last_page_is_refused_at_open)
{
    /*  The last page the newest transaction wrote, overwritten three ways:
        zeros, all ones, and (fixed-seed) noise. */
    for (int kind = 0; kind < 3; kind++) {
        char tmp[64], path[128];
        CHECK(s_tmpdir(tmp, sizeof tmp));
        uint64_t used = s_make_store(tmp, 300);
        CHECK(used >= 8192);
        uint8_t page[4096];
        srand(42 + kind);
        for (size_t i = 0; i < sizeof page; i++)
            page[i] = kind == 0 ? 0 : kind == 1 ? 0xff : (uint8_t)rand();
        snprintf(path, sizeof path, "%s/data.mdb", tmp);
        FILE *f = fopen(path, "r+b");
        CHECK(f != NULL);
        if (!f)
            continue;
        CHECK_INT(fseek(f, (long)(used - sizeof page), SEEK_SET), 0);
        CHECK_INT(fwrite(page, 1, sizeof page, f), sizeof page);
        fclose(f);
        sm_err_t e;
        sm_err_clear(&e);
        sm_store_t *st = sm_store_open(tmp, "finance", s_dbs, 1, NULL, 0, &e);
        CHECK(st == NULL);
        CHECK(s_has(&e, SM_E_FAILED_PRECONDITION, "is damaged"));
        sm_store_destroy(&st);
        s_rmrf(tmp);
    }
}

TEST(a_sound_store_with_data_passes_the_check)
{
    char tmp[64];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    CHECK(s_make_store(tmp, 600) > 0);
    sm_err_t e;
    sm_err_clear(&e);
    sm_store_t *st = sm_store_open(tmp, "finance", s_dbs, 1, NULL, 0, &e);
    CHECK(st != NULL);
    if (!st)
        printf("     %s\n", e.message);
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

/* ==== Disk full ========================================================= */

TEST(the_map_ceiling_refuses_growth_as_disk_full_and_reads_go_on)
{
    char tmp[64];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    sm_err_t e;
    sm_err_clear(&e);
    sm_store_opts_t opts = {.map_size = 256u << 10, .max_map = 1u << 20};
    sm_store_t *st = sm_store_open_opts(tmp, "finance", s_dbs, 1, NULL, &opts, &e);
    CHECK(st != NULL);
    if (!st)
        return;
    int stored = 0;
    CHECK_INT(s_fill(st, 5000, &stored), -1); /*  5 MB do not fit in 1 MiB */
    CHECK(stored > 100 && stored < 1100);
    CHECK_INT(sm_store_map_size(st), 1u << 20);
    sm_err_clear(&e);
    CHECK_INT(sm_store_grow(st, &e), -1);
    CHECK(s_has(&e, SM_E_RESOURCE_EXHAUSTED, "disk full on "));
    CHECK(s_has(&e, SM_E_RESOURCE_EXHAUSTED, "max_map_mb"));
    CHECK(strstr(e.message, tmp) != NULL);
    /*  Reads go on. */
    MDB_txn *txn;
    CHECK_INT(sm_store_begin(st, false, &txn, &e), 0);
    MDB_stat ms;
    mdb_stat(txn, sm_store_dbi(st, "things"), &ms);
    CHECK_INT(ms.ms_entries, (size_t)stored);
    mdb_txn_abort(txn);
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

TEST(want_of_space_is_reported_as_disk_full_other_errors_as_internal)
{
    char tmp[64];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    sm_store_t *st = sm_store_open(tmp, NULL, s_dbs, 1, NULL, 0, NULL);
    CHECK(st != NULL);
    if (!st)
        return;
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(sm_store_fail(st, ENOSPC, "commit", &e), -1);
    CHECK(s_has(&e, SM_E_RESOURCE_EXHAUSTED, "disk full on "));
    CHECK(strstr(e.message, tmp) != NULL);
    CHECK_INT(sm_store_fail(st, EDQUOT, "commit", &e), -1);
    CHECK(s_has(&e, SM_E_RESOURCE_EXHAUSTED, "disk full on "));
    /*  /tmp has more than 4 MiB free here: an EIO is a real I/O error. */
    CHECK_INT(sm_store_fail(st, EIO, "commit", &e), -1);
    CHECK(s_has(&e, SM_E_INTERNAL, "Input/output error"));
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

int main(void)
{
    sm_log_init("test_store", SM_LOG_WARN); /*  growth and migration log at info */
    RUN(open_creates_the_directory_and_writes_the_schema_version);
    RUN(open_refuses_a_directory_it_cannot_create);
    RUN(a_store_newer_than_the_binary_is_refused_and_left_untouched);
    RUN(an_older_store_is_migrated_with_its_old_version_in_one_transaction);
    RUN(an_unknown_database_name_is_a_loud_programming_error);
    RUN(a_full_map_grows_by_doubling_and_writing_goes_on);
    RUN(a_backup_is_a_store_that_opens_with_the_data);
    RUN(u64_keys_are_big_endian_so_they_sort_numerically);
    RUN(meta_u64_reads_back_and_is_zero_when_absent);
    RUN(a_store_knows_its_service_and_refuses_another_without_changing);
    RUN(a_store_without_an_owner_is_adopted_by_the_first_service);
    RUN(a_second_open_of_a_store_is_refused_naming_the_holder);
    RUN(a_new_store_needs_an_empty_directory_or_init);
    RUN(a_lost_data_file_beside_its_lock_file_is_not_replaced);
    RUN(a_data_file_truncated_to_nothing_is_refused_not_made_new);
    RUN(a_data_file_cut_short_is_refused_without_a_crash);
    RUN(a_garbage_last_page_is_refused_at_open);
    RUN(a_sound_store_with_data_passes_the_check);
    RUN(the_map_ceiling_refuses_growth_as_disk_full_and_reads_go_on);
    RUN(want_of_space_is_reported_as_disk_full_other_errors_as_internal);
    return DONE();
}
