/*  tests/unit/test_idem.c - the stored replies of idempotent requests and
    their two indexes (common/service_idem.c): by the IDs a reply names, so
    that erasure reads only the replies about that person, and by the time
    stored, so that the purge reads only the expired ones; and the indexing
    of a store written before the indexes existed. */
#include "common/service_internal.h"
#include "tests/unit/test.h"

/*  A service with just a store in a new directory (dir: filled in). */
static sm_service_t *s_service(char *dir, size_t size)
{
    static const char *const dbs[] = {"idem_by_time", "idem_by_id", NULL};
    snprintf(dir, size, "/tmp/samen-test-idem-%d-%d", (int)getpid(), rand());
    sm_service_t *svc = calloc(1, sizeof *svc);
    svc->store = sm_store_open(dir, NULL, dbs, 1, NULL, 0, NULL);
    svc->idem_ttl_ms = 86400000;
    return svc;
}

static void s_service_free(sm_service_t *svc, const char *dir)
{
    sm_store_destroy(&svc->store);
    free(svc);
    t_remove_store(dir);
}

/*  Store the reply {"ok": true, "data": {"id": a, "also": [b, ...]}} for
    rid at wall time now_ms (0: now) in a transaction of its own; data
    strings given as a NULL-terminated list. */
static int s_store(sm_service_t *svc, const char *rid, int64_t now_ms, const char *const *strs)
{
    MDB_txn *txn;
    if (sm_store_begin(svc->store, true, &txn, NULL) != 0)
        return -1;
    sm_ctx_t ctx;
    svc_ctx_init(&ctx, svc, txn, true);
    if (now_ms)
        ctx.now_ms = now_ms;
    request_t r;
    memset(&r, 0, sizeof r);
    snprintf(r.rid, sizeof r.rid, "%s", rid);
    snprintf(r.op_name, sizeof r.op_name, "participant.update");
    sm_buf_init(&r.reply);
    svc_reply_prefix(&r.reply);
    size_t n = 0;
    while (strs[n])
        n++;
    msgpack_pack_array(&r.reply.pk, n);
    for (size_t i = 0; i < n; i++)
        sm_pack_str(&r.reply.pk, strs[i]);
    int rc = svc_idem_store(&ctx, &r);
    sm_buf_free(&r.reply);
    sm_buf_free(&ctx.event_data);
    if (rc != 0) {
        mdb_txn_abort(txn);
        return -1;
    }
    return mdb_txn_commit(txn) == 0 ? 0 : -1;
}

/*  1 when rid's reply is stored (its bytes into *out, if given), else 0. */
static int s_stored(sm_service_t *svc, const char *rid, sm_buf_t *out)
{
    MDB_txn *txn;
    if (sm_store_begin(svc->store, false, &txn, NULL) != 0)
        return -1;
    sm_ctx_t ctx;
    svc_ctx_init(&ctx, svc, txn, false);
    request_t r;
    memset(&r, 0, sizeof r);
    snprintf(r.rid, sizeof r.rid, "%s", rid);
    snprintf(r.op_name, sizeof r.op_name, "participant.update");
    sm_buf_init(&r.reply);
    bool hit = false;
    svc_idem_lookup(&ctx, &r, &hit);
    if (hit && out) {
        sm_buf_reset(out);
        sm_pack_raw(&out->pk, r.reply.sbuf.data, r.reply.sbuf.size);
    }
    sm_buf_free(&r.reply);
    mdb_txn_abort(txn);
    return hit;
}

/*  Forget the replies naming id in a transaction of its own. Returns the count. */
static int s_forget(sm_service_t *svc, const char *id)
{
    MDB_txn *txn;
    if (sm_store_begin(svc->store, true, &txn, NULL) != 0)
        return -1;
    sm_ctx_t ctx;
    svc_ctx_init(&ctx, svc, txn, true);
    int n = sm_ctx_forget_replies(&ctx, id);
    sm_buf_free(&ctx.event_data);
    if (n < 0 || mdb_txn_commit(txn) != 0)
        return -1;
    return n;
}

/*  Entries in db. */
static size_t s_entries(sm_service_t *svc, const char *db)
{
    MDB_txn *txn;
    MDB_stat st;
    if (sm_store_begin(svc->store, false, &txn, NULL) != 0)
        return (size_t)-1;
    mdb_stat(txn, sm_store_dbi(svc->store, db), &st);
    mdb_txn_abort(txn);
    return st.ms_entries;
}

TEST(forgetting_an_id_drops_exactly_the_replies_that_name_it_and_keeps_the_others)
{
    char dir[128];
    sm_service_t *svc = s_service(dir, sizeof dir);
    CHECK(svc->store != NULL);
    CHECK_INT(s_store(svc, "r1", 0, (const char *const[]){"P1", "S3", NULL}), 0);
    CHECK_INT(s_store(svc, "r2", 0, (const char *const[]){"P2", NULL}), 0);
    CHECK_INT(s_store(svc, "r3", 0, (const char *const[]){"x", "P1", "P1", NULL}), 0);
    CHECK_INT(s_store(svc, "r4", 0, (const char *const[]){"P10", "P1 is not named here", NULL}), 0);
    CHECK_INT(s_store(svc, "r5", 0, (const char *const[]){"GM0402", "p1", NULL}), 0);
    sm_buf_t before, after;
    sm_buf_init(&before);
    sm_buf_init(&after);
    CHECK_INT(s_stored(svc, "r2", &before), 1);

    CHECK_INT(s_forget(svc, "P1"), 2);
    CHECK_INT(s_stored(svc, "r1", NULL), 0);
    CHECK_INT(s_stored(svc, "r3", NULL), 0);
    CHECK_INT(s_stored(svc, "r4", NULL), 1); /*  P10 is not P1; text around it is not the ID */
    CHECK_INT(s_stored(svc, "r5", NULL), 1);
    CHECK_INT(s_stored(svc, "r2", &after), 1);
    CHECK(before.sbuf.size == after.sbuf.size &&
          memcmp(before.sbuf.data, after.sbuf.data, before.sbuf.size) == 0);
    /*  r1's other index entries went with it: nothing names S3 any more. */
    CHECK_INT(s_forget(svc, "S3"), 0);
    CHECK_INT(s_forget(svc, "P1"), 0);
    CHECK_INT(s_forget(svc, "P10"), 1);
    CHECK_INT(s_forget(svc, "GM0402"), 0); /*  not an ID: nothing is indexed under it */
    CHECK_INT(s_entries(svc, "idem"), 2);
    CHECK_INT(s_entries(svc, "idem_by_time"), 2);
    CHECK_INT(s_entries(svc, "idem_by_id"), 1); /*  r2's P2 */
    /*  A rid forgotten can be stored again, and is found by its IDs again. */
    CHECK_INT(s_store(svc, "r1", 0, (const char *const[]){"P1", NULL}), 0);
    CHECK_INT(s_forget(svc, "P1"), 1);
    sm_buf_free(&before);
    sm_buf_free(&after);
    s_service_free(svc, dir);
}

TEST(the_purge_drops_expired_replies_with_their_index_entries_and_keeps_the_rest)
{
    char dir[128];
    sm_service_t *svc = s_service(dir, sizeof dir);
    int64_t now = svc_wall_ms();
    char rid[32];
    /*  2,500 expired (more than one purge transaction), 3 fresh. */
    for (int i = 0; i < 2500; i++) {
        snprintf(rid, sizeof rid, "old%d", i);
        if (s_store(svc, rid, now - svc->idem_ttl_ms - 60000 + i, (const char *const[]){"P7", NULL}))
            break;
    }
    CHECK_INT(s_store(svc, "new1", now - 1000, (const char *const[]){"P7", NULL}), 0);
    CHECK_INT(s_store(svc, "new2", now, (const char *const[]){"P8", NULL}), 0);
    CHECK_INT(s_store(svc, "new3", 0, (const char *const[]){"S1", NULL}), 0);
    CHECK_INT(s_entries(svc, "idem"), 2503);
    svc_idem_purge(svc);
    CHECK_INT(s_entries(svc, "idem"), 3);
    CHECK_INT(s_entries(svc, "idem_by_time"), 3);
    CHECK_INT(s_entries(svc, "idem_by_id"), 3);
    CHECK_INT(s_stored(svc, "old0", NULL), 0);
    CHECK_INT(s_stored(svc, "old2499", NULL), 0);
    CHECK_INT(s_stored(svc, "new1", NULL), 1);
    CHECK_INT(s_forget(svc, "P7"), 1); /*  new1 only: the expired ones are gone from the index */
    s_service_free(svc, dir);
}

TEST(a_store_written_before_the_indexes_is_indexed_at_start)
{
    char dir[128];
    sm_service_t *svc = s_service(dir, sizeof dir);
    /*  Replies as an older binary stored them: idem only, one damaged. */
    MDB_txn *txn;
    CHECK_INT(sm_store_begin(svc->store, true, &txn, NULL), 0);
    const char *const ids[][2] = {{"a1", "P1"}, {"a2", "P2"}, {"a3", "P1"}};
    for (int i = 0; i < 3; i++) {
        sm_buf_t b;
        sm_buf_init(&b);
        uint8_t head[9 + 18];
        sm_key_u64((uint64_t)svc_wall_ms(), head);
        head[8] = 18;
        memcpy(head + 9, "participant.update", 18);
        msgpack_pack_bin_body(&b.pk, head, sizeof head);
        sm_buf_t reply;
        sm_buf_init(&reply);
        svc_reply_prefix(&reply);
        sm_pack_str(&reply.pk, ids[i][1]);
        msgpack_pack_bin_body(&b.pk, reply.sbuf.data, reply.sbuf.size);
        MDB_val k = {2, (void *)ids[i][0]}, v = {b.sbuf.size, b.sbuf.data};
        CHECK_INT(mdb_put(txn, sm_store_dbi(svc->store, "idem"), &k, &v, 0), 0);
        sm_buf_free(&reply);
        sm_buf_free(&b);
    }
    MDB_val dk = {2, "zz"}, dv = {3, "bad"};
    CHECK_INT(mdb_put(txn, sm_store_dbi(svc->store, "idem"), &dk, &dv, 0), 0);
    CHECK_INT(mdb_txn_commit(txn), 0);
    CHECK_INT(s_entries(svc, "idem_by_time"), 0);

    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(svc_idem_index_check(svc, &err), 0);
    CHECK_INT(s_entries(svc, "idem"), 3); /*  the damaged one (never replayed) went */
    CHECK_INT(s_entries(svc, "idem_by_time"), 3);
    CHECK_INT(s_entries(svc, "idem_by_id"), 3);
    CHECK_INT(s_stored(svc, "a2", NULL), 1);
    CHECK_INT(s_forget(svc, "P1"), 2);
    CHECK_INT(s_stored(svc, "a2", NULL), 1);
    /*  Indexed stores are left alone at the next start. */
    CHECK_INT(svc_idem_index_check(svc, &err), 0);
    CHECK_INT(s_entries(svc, "idem_by_id"), 1);
    s_service_free(svc, dir);
}

int main(void)
{
    sm_log_init("test", SM_LOG_WARN);
    RUN(forgetting_an_id_drops_exactly_the_replies_that_name_it_and_keeps_the_others);
    RUN(the_purge_drops_expired_replies_with_their_index_entries_and_keeps_the_rest);
    RUN(a_store_written_before_the_indexes_is_indexed_at_start);
    return DONE();
}
