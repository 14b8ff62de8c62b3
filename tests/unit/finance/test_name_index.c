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
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

/*  Open a store of schema 1 (municipalities only) in dir and write the
    records built by put, in one transaction. Returns 0 or -1. */
typedef void(s_pack_fn)(msgpack_packer *pk, const char *code, const char *name);

static int s_write_v1(const char *dir, s_pack_fn *pack, const char *const (*rows)[2], int n)
{
    static const char *const v1[] = {"municipalities", NULL};
    sm_store_t *st = sm_store_open(dir, NULL, v1, 1, NULL, 0, NULL);
    MDB_txn *txn;
    if (!st || sm_store_begin(st, true, &txn, NULL) != 0) {
        sm_store_destroy(&st);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        sm_buf_t b;
        sm_buf_init(&b);
        pack(&b.pk, rows[i][0], rows[i][1]);
        MDB_val k = {6, (void *)rows[i][0]}, v = {b.sbuf.size, b.sbuf.data};
        rc = mdb_put(txn, sm_store_dbi(st, "municipalities"), &k, &v, 0);
        sm_buf_free(&b);
    }
    rc = rc ? (mdb_txn_abort(txn), -1) : mdb_txn_commit(txn);
    sm_store_destroy(&st);
    return rc;
}

/*  Reopen dir at version with migrate and check that the name index holds
    exactly rows (name key -> code) and the schema is version. */
static void s_check_migrated(const char *dir, int version, sm_migrate_fn *migrate,
                             const char *const (*rows)[2], int n)
{
    static const char *const v2[] = {"municipalities", "municipality_names", NULL};
    sm_err_t e;
    sm_store_t *st = sm_store_open(dir, NULL, v2, version, migrate, 0, &e);
    CHECK(st != NULL);
    MDB_txn *txn;
    if (!st || sm_store_begin(st, false, &txn, NULL) != 0)
        return;
    CHECK_INT(sm_meta_u64(st, txn, "schema_version"), version);
    MDB_stat ms;
    mdb_stat(txn, sm_store_dbi(st, "municipality_names"), &ms);
    CHECK_INT(ms.ms_entries, n);
    for (int i = 0; i < n; i++) {
        char key[SM_MUNI_NAME_KEY_MAX], got[8] = "";
        MDB_val k = {sm_muni_name_key(rows[i][1], key), key}, v;
        if (mdb_get(txn, sm_store_dbi(st, "municipality_names"), &k, &v) == 0 && v.mv_size < 8)
            memcpy(got, v.mv_data, v.mv_size);
        CHECK_STR(got, rows[i][0]);
    }
    mdb_txn_abort(txn);
    sm_store_destroy(&st);
}

TEST(the_name_key_folds_ascii_case_only)
{
    char key[SM_MUNI_NAME_KEY_MAX + 1];
    size_t n = sm_muni_name_key("Gooise MEREN", key);
    key[n] = '\0';
    CHECK_STR(key, "gooise meren");
    /*  UTF-8 bytes are kept as they are, as strcasecmp in the C locale does. */
    n = sm_muni_name_key("S\xc3\xba" "dwest-Frysl\xc3\xa2n", key);
    key[n] = '\0';
    CHECK_STR(key, "s\xc3\xba" "dwest-frysl\xc3\xa2n");
    CHECK_INT(sm_muni_name_key("", key), 0);
    /*  Longer than any stored name (63 bytes at most): no key, not found. */
    char longer[SM_MUNI_NAME_KEY_MAX + 2];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    CHECK_INT(sm_muni_name_key(longer, key), 0);
    longer[SM_MUNI_NAME_KEY_MAX] = '\0';
    CHECK_INT(sm_muni_name_key(longer, key), SM_MUNI_NAME_KEY_MAX);
}

/*  A municipality as finance stores it. */
static void s_pack_finance(msgpack_packer *pk, const char *code, const char *name)
{
    municipality_t m;
    memset(&m, 0, sizeof m);
    snprintf(m.code, sizeof m.code, "%s", code);
    snprintf(m.name, sizeof m.name, "%s", name);
    m.ncounts = 1;
    m.counts[0].inhabitants = 1000;
    m.counts[0].as_of = (sm_date_t){2016, 1, 1};
    muni_encode(&m, pk);
}

/*  A follower's copy of a municipality (common/municipalities.c). */
static void s_pack_copy(msgpack_packer *pk, const char *code, const char *name)
{
    msgpack_pack_map(pk, 4);
    sm_pack_kv_str(pk, "code", code);
    sm_pack_kv_str(pk, "name", name);
    sm_pack_kv_int(pk, "inhabitants", 1000);
    sm_pack_kv_str(pk, "as_of", "2016-01-01");
}

static const char *const s_rows[][2] = {
    {"GM0402", "Hilversum"}, {"GM1942", "Gooise Meren"}, {"GM0417", "Laren"}};

TEST(a_finance_store_of_schema_1_gets_its_name_index_at_open)
{
    char tmp[] = "/tmp/samen-test-names-XXXXXX";
    CHECK(mkdtemp(tmp) != NULL);
    CHECK_INT(s_write_v1(tmp, s_pack_finance, s_rows, 3), 0);
    s_check_migrated(tmp, FINANCE_SCHEMA, finance_migrate, s_rows, 3);
    if (t_remove_store(tmp) != 0)
        printf("     could not remove %s\n", tmp);
}

TEST(a_followers_copy_of_schema_1_gets_its_name_index_at_open)
{
    char tmp[] = "/tmp/samen-test-names-XXXXXX";
    CHECK(mkdtemp(tmp) != NULL);
    CHECK_INT(s_write_v1(tmp, s_pack_copy, s_rows, 3), 0);
    s_check_migrated(tmp, SM_MUNI_NAMES_SCHEMA, sm_muni_migrate, s_rows, 3);
    if (t_remove_store(tmp) != 0)
        printf("     could not remove %s\n", tmp);
}

int main(void)
{
    sm_log_init("test_name_index", SM_LOG_WARN);
    RUN(the_name_key_folds_ascii_case_only);
    RUN(a_finance_store_of_schema_1_gets_its_name_index_at_open);
    RUN(a_followers_copy_of_schema_1_gets_its_name_index_at_open);
    return DONE();
}
