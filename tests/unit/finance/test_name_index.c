/*  tests/unit/finance/test_name_index.c - the name index of municipalities:
    its key, and the migrations that build it for a store written before it
    existed (finance's own list, schema 1 -> 2, and a follower's copy,
    common/municipalities.h). */
#include "common/log.h"
#include "common/municipalities.h"
#include "common/store.h"
#include "services/finance/migrate.h"
#include "services/finance/municipality.h"
#include "tests/unit/test.h"
#include <stdlib.h>
#include <unistd.h>

static char *s_tmpdir(char *buf, size_t size)
{
    snprintf(buf, size, "/tmp/samen-test-names-XXXXXX");
    return mkdtemp(buf);
}

static void s_rmrf(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("     could not remove %s\n", dir);
}

/*  Put value under key in db and commit. Returns 0 or an LMDB code. */
static int s_put(sm_store_t *st, const char *db, const char *key, const void *val, size_t len)
{
    MDB_txn *txn;
    if (sm_store_begin(st, true, &txn, NULL) != 0)
        return -1;
    MDB_val k = {strlen(key), (void *)key}, v = {len, (void *)val};
    int rc = mdb_put(txn, sm_store_dbi(st, db), &k, &v, 0);
    if (rc) {
        mdb_txn_abort(txn);
        return rc;
    }
    return mdb_txn_commit(txn);
}

/*  The value under key in db as a string into buf ("" when absent). */
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

static size_t s_entries(sm_store_t *st, const char *db)
{
    MDB_txn *txn;
    MDB_stat s;
    if (sm_store_begin(st, false, &txn, NULL) != 0)
        return 0;
    mdb_stat(txn, sm_store_dbi(st, db), &s);
    mdb_txn_abort(txn);
    return s.ms_entries;
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

TEST(the_name_key_folds_ascii_case_only)
{
    char key[MUNI_NAME_KEY_MAX + 1];
    size_t n = muni_name_key("Gooise MEREN", key);
    key[n] = '\0';
    CHECK_STR(key, "gooise meren");
    /*  UTF-8 bytes are kept as they are, as strcasecmp in the C locale does. */
    n = muni_name_key("S\xc3\xba" "dwest-Frysl\xc3\xa2n", key);
    key[n] = '\0';
    CHECK_STR(key, "s\xc3\xba" "dwest-frysl\xc3\xa2n");
    CHECK_INT(muni_name_key("", key), 0);
}

/*  Store m as finance stores it. */
static int s_put_muni(sm_store_t *st, const char *code, const char *name)
{
    municipality_t m;
    memset(&m, 0, sizeof m);
    snprintf(m.code, sizeof m.code, "%s", code);
    snprintf(m.name, sizeof m.name, "%s", name);
    m.ncounts = 1;
    m.counts[0].inhabitants = 1000;
    m.counts[0].as_of = (sm_date_t){2016, 1, 1};
    sm_buf_t b;
    sm_buf_init(&b);
    muni_encode(&m, &b.pk);
    int rc = s_put(st, "municipalities", code, b.sbuf.data, b.sbuf.size);
    sm_buf_free(&b);
    return rc;
}

TEST(a_finance_store_of_schema_1_gets_its_name_index_at_open)
{
    static const char *const v1[] = {"municipalities", NULL};
    static const char *const v2[] = {"municipalities", "municipality_names", NULL};
    char tmp[64], buf[32];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    sm_err_t e;
    sm_store_t *st = sm_store_open(tmp, NULL, v1, 1, NULL, 0, &e);
    CHECK(st != NULL);
    CHECK_INT(s_put_muni(st, "GM0402", "Hilversum"), 0);
    CHECK_INT(s_put_muni(st, "GM1942", "Gooise Meren"), 0);
    CHECK_INT(s_put_muni(st, "GM0417", "Laren"), 0);
    sm_store_destroy(&st);

    st = sm_store_open(tmp, NULL, v2, FINANCE_SCHEMA, finance_migrate, 0, &e);
    CHECK(st != NULL);
    CHECK_INT(s_schema(st), 2);
    CHECK_INT(s_entries(st, "municipality_names"), 3);
    CHECK_STR(s_get(st, "municipality_names", "hilversum", buf, sizeof buf), "GM0402");
    CHECK_STR(s_get(st, "municipality_names", "gooise meren", buf, sizeof buf), "GM1942");
    CHECK_STR(s_get(st, "municipality_names", "laren", buf, sizeof buf), "GM0417");
    CHECK_STR(s_get(st, "municipality_names", "Laren", buf, sizeof buf), "");
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

/*  A follower's migrate function, as intake, scheduling and reporting have. */
static int s_follower_migrate(MDB_txn *txn, sm_store_t *store, int from, sm_err_t *err)
{
    return from < 2 ? sm_muni_index_build(txn, store, err) : 0;
}

/*  Store a follower's copy of a municipality. */
static int s_put_copy(sm_store_t *st, const char *code, const char *name)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 4);
    sm_pack_kv_str(&b.pk, "code", code);
    sm_pack_kv_str(&b.pk, "name", name);
    sm_pack_kv_int(&b.pk, "inhabitants", 1000);
    sm_pack_kv_str(&b.pk, "as_of", "2016-01-01");
    int rc = s_put(st, "municipalities", code, b.sbuf.data, b.sbuf.size);
    sm_buf_free(&b);
    return rc;
}

TEST(a_followers_copy_of_schema_1_gets_its_name_index_at_open)
{
    static const char *const v1[] = {"municipalities", NULL};
    static const char *const v2[] = {"municipalities", "municipality_names", NULL};
    char tmp[64], buf[32];
    CHECK(s_tmpdir(tmp, sizeof tmp));
    sm_err_t e;
    sm_store_t *st = sm_store_open(tmp, NULL, v1, 1, NULL, 0, &e);
    CHECK(st != NULL);
    CHECK_INT(s_put_copy(st, "GM0406", "Huizen"), 0);
    CHECK_INT(s_put_copy(st, "GM1696", "Wijdemeren"), 0);
    sm_store_destroy(&st);

    st = sm_store_open(tmp, NULL, v2, 2, s_follower_migrate, 0, &e);
    CHECK(st != NULL);
    CHECK_INT(s_schema(st), 2);
    CHECK_INT(s_entries(st, "municipality_names"), 2);
    CHECK_STR(s_get(st, "municipality_names", "huizen", buf, sizeof buf), "GM0406");
    CHECK_STR(s_get(st, "municipality_names", "wijdemeren", buf, sizeof buf), "GM1696");
    sm_store_destroy(&st);
    s_rmrf(tmp);
}

int main(void)
{
    sm_log_init("test_name_index", SM_LOG_WARN);
    RUN(the_name_key_folds_ascii_case_only);
    RUN(a_finance_store_of_schema_1_gets_its_name_index_at_open);
    RUN(a_followers_copy_of_schema_1_gets_its_name_index_at_open);
    return DONE();
}
