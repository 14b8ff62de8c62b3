/*  tests/unit/test_evlog.c - the per-service event log: seq 1..N appended
    in order, last_seq, and events.read's paging by after, limit and
    max_bytes, with the exact reply shape {events, last_seq}. */
#include "common/evlog.h"
#include "common/log.h"
#include "test.h"
#include <stdlib.h>

/*  A temporary store with an event log; the directory is written to dir. */
static sm_store_t *s_store(char *dir, size_t size)
{
    snprintf(dir, size, "/tmp/samen-test-evlog-XXXXXX");
    if (!mkdtemp(dir))
        return NULL;
    return sm_store_open(dir, NULL, NULL, 1, NULL, 0, NULL);
}

static void s_cleanup(sm_store_t **st, const char *dir)
{
    sm_store_destroy(st);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("     could not remove %s\n", dir);
}

/*  Append events first..last in one write transaction, each with data
    {"n": seq} (every event encodes to the same number of bytes for
    seq < 128). Returns 0 or the LMDB rc. */
static int s_append(sm_store_t *st, uint64_t first, uint64_t last)
{
    MDB_txn *txn;
    if (sm_store_begin(st, true, &txn, NULL) != 0)
        return -1;
    sm_buf_t data, out;
    sm_buf_init(&data);
    sm_buf_init(&out);
    int rc = 0;
    for (uint64_t seq = first; seq <= last && rc == 0; seq++) {
        sm_buf_reset(&data);
        msgpack_pack_map(&data.pk, 1);
        sm_pack_kv_uint(&data.pk, "n", seq);
        rc = sm_evlog_append(st, txn, seq, 1795000000000 + (int64_t)seq, "test.thing.added",
                             data.sbuf.data, data.sbuf.size, &out);
    }
    sm_buf_free(&data);
    sm_buf_free(&out);
    if (rc) {
        mdb_txn_abort(txn);
        return rc;
    }
    return mdb_txn_commit(txn);
}

static uint64_t s_last(sm_store_t *st)
{
    MDB_txn *txn;
    if (sm_store_begin(st, false, &txn, NULL) != 0)
        return 0;
    uint64_t v = sm_evlog_last_seq(st, txn);
    mdb_txn_abort(txn);
    return v;
}

/*  Run sm_evlog_read and decode the reply; *n gets the returned count. */
static sm_doc_t *s_read(sm_store_t *st, uint64_t after, unsigned limit, size_t max_bytes,
                        unsigned *n)
{
    MDB_txn *txn;
    if (sm_store_begin(st, false, &txn, NULL) != 0)
        return NULL;
    sm_buf_t b;
    sm_buf_init(&b);
    *n = sm_evlog_read(st, txn, after, limit, max_bytes, &b.pk);
    mdb_txn_abort(txn);
    sm_err_t e;
    sm_doc_t *d = sm_doc_parse(b.sbuf.data, b.sbuf.size, &e);
    if (!d)
        printf("     the reply does not parse: %s\n", e.message);
    sm_buf_free(&b);
    return d;
}

/*  Check the reply is exactly {"events": [...], "last_seq": last} with
    events seq first, first+1, ..., count of them. */
static bool s_reply_is(const sm_doc_t *d, uint64_t first, unsigned count, uint64_t last)
{
    static const char *const keys[] = {"events", "last_seq", NULL};
    const msgpack_object *root = d ? sm_doc_root(d) : NULL, *events = NULL;
    uint64_t got_last = 0;
    if (!root || root->type != MSGPACK_OBJECT_MAP || root->via.map.size != 2 ||
        sm_check_keys(root, keys, NULL) != 0 ||
        sm_get_array(root, "events", true, &events, NULL) != 1 ||
        sm_get_uint(root, "last_seq", true, UINT64_MAX, &got_last, NULL) != 1) {
        printf("     reply is not {events, last_seq}\n");
        return false;
    }
    if (got_last != last || events->via.array.size != count) {
        printf("     %u events, last_seq %llu; expected %u, %llu\n", events->via.array.size,
               (unsigned long long)got_last, count, (unsigned long long)last);
        return false;
    }
    for (unsigned i = 0; i < count; i++) {
        const msgpack_object *ev = &events->via.array.ptr[i], *data = NULL;
        uint64_t seq = 0, n = 0;
        int64_t ts = 0;
        char type[40];
        if (ev->type != MSGPACK_OBJECT_MAP || ev->via.map.size != 4 ||
            sm_get_uint(ev, "seq", true, UINT64_MAX, &seq, NULL) != 1 ||
            sm_get_int(ev, "ts", true, 0, INT64_MAX, &ts, NULL) != 1 ||
            sm_get_str(ev, "type", true, type, sizeof type, false, NULL) != 1 ||
            sm_get_map(ev, "data", true, &data, NULL) != 1 ||
            sm_get_uint(data, "n", true, UINT64_MAX, &n, NULL) != 1) {
            printf("     event %u is not {seq, ts, type, data}\n", i);
            return false;
        }
        if (seq != first + i || n != seq || ts != 1795000000000 + (int64_t)seq ||
            strcmp(type, "test.thing.added") != 0) {
            printf("     event %u has seq %llu, expected %llu\n", i, (unsigned long long)seq,
                   (unsigned long long)(first + i));
            return false;
        }
    }
    return true;
}

/*  The stored size of one event (all are the same size in these tests). */
static size_t s_event_size(sm_store_t *st)
{
    MDB_txn *txn;
    MDB_val v;
    uint8_t key[8];
    sm_key_u64(1, key);
    MDB_val k = {8, key};
    size_t n = 0;
    if (sm_store_begin(st, false, &txn, NULL) == 0) {
        if (mdb_get(txn, sm_store_dbi(st, "events"), &k, &v) == 0)
            n = v.mv_size;
        mdb_txn_abort(txn);
    }
    return n;
}

TEST(an_empty_log_has_last_seq_zero_and_reads_as_no_events)
{
    char dir[64];
    sm_store_t *st = s_store(dir, sizeof dir);
    CHECK(st != NULL);
    CHECK_INT(s_last(st), 0);
    unsigned n = 99;
    sm_doc_t *d = s_read(st, 0, 100, 1 << 20, &n);
    CHECK_INT(n, 0);
    CHECK(s_reply_is(d, 1, 0, 0));
    sm_doc_destroy(&d);
    s_cleanup(&st, dir);
}

TEST(appended_events_get_seq_1_to_n_and_last_seq_follows)
{
    char dir[64];
    sm_store_t *st = s_store(dir, sizeof dir);
    CHECK_INT(s_append(st, 1, 1), 0);
    CHECK_INT(s_last(st), 1);
    CHECK_INT(s_append(st, 2, 50), 0);
    CHECK_INT(s_last(st), 50);
    unsigned n = 0;
    sm_doc_t *d = s_read(st, 0, 1000, 1 << 20, &n);
    CHECK_INT(n, 50);
    CHECK(s_reply_is(d, 1, 50, 50));
    sm_doc_destroy(&d);
    s_cleanup(&st, dir);
}

TEST(reading_after_the_largest_seq_returns_nothing_instead_of_wrapping_to_the_start)
{
    char dir[64];
    sm_store_t *st = s_store(dir, sizeof dir);
    CHECK_INT(s_append(st, 1, 5), 0);
    unsigned n = 99;
    sm_doc_t *d = s_read(st, UINT64_MAX, 100, 1 << 20, &n);
    CHECK_INT(n, 0);
    CHECK(s_reply_is(d, 1, 0, 5));
    sm_doc_destroy(&d);
    d = s_read(st, 5, 100, 1 << 20, &n);
    CHECK_INT(n, 0);
    sm_doc_destroy(&d);
    s_cleanup(&st, dir);
}

TEST(the_stored_event_is_the_published_encoding)
{
    char dir[64];
    sm_store_t *st = s_store(dir, sizeof dir);
    MDB_txn *txn;
    CHECK_INT(sm_store_begin(st, true, &txn, NULL), 0);
    sm_buf_t out;
    sm_buf_init(&out);
    CHECK_INT(sm_evlog_append(st, txn, 1, 1795000000001, "test.thing.added", "\x81\xa1n\x01", 4,
                              &out),
              0);
    /*  out holds exactly what was stored (and what is published) */
    MDB_val v;
    uint8_t key[8];
    sm_key_u64(1, key);
    MDB_val k = {8, key};
    CHECK_INT(mdb_get(txn, sm_store_dbi(st, "events"), &k, &v), 0);
    CHECK_INT(v.mv_size, out.sbuf.size);
    CHECK(memcmp(v.mv_data, out.sbuf.data, v.mv_size) == 0);
    CHECK_INT(mdb_txn_commit(txn), 0);
    sm_buf_free(&out);
    s_cleanup(&st, dir);
}

TEST(a_duplicate_or_lower_seq_is_refused_by_the_log)
{
    char dir[64];
    sm_store_t *st = s_store(dir, sizeof dir);
    CHECK_INT(s_append(st, 1, 3), 0);
    CHECK(s_append(st, 3, 3) != 0); /*  MDB_KEYEXIST under MDB_APPEND */
    CHECK(s_append(st, 2, 2) != 0);
    CHECK_INT(s_last(st), 3);
    s_cleanup(&st, dir);
}

TEST(read_returns_the_events_after_the_given_seq)
{
    char dir[64];
    sm_store_t *st = s_store(dir, sizeof dir);
    CHECK_INT(s_append(st, 1, 20), 0);
    unsigned n = 0;
    sm_doc_t *d = s_read(st, 7, 1000, 1 << 20, &n);
    CHECK_INT(n, 13);
    CHECK(s_reply_is(d, 8, 13, 20));
    sm_doc_destroy(&d);
    d = s_read(st, 19, 1000, 1 << 20, &n);
    CHECK_INT(n, 1);
    CHECK(s_reply_is(d, 20, 1, 20));
    sm_doc_destroy(&d);
    d = s_read(st, 20, 1000, 1 << 20, &n); /*  up to date */
    CHECK_INT(n, 0);
    CHECK(s_reply_is(d, 21, 0, 20));
    sm_doc_destroy(&d);
    d = s_read(st, 500, 1000, 1 << 20, &n); /*  beyond the end */
    CHECK_INT(n, 0);
    CHECK(s_reply_is(d, 501, 0, 20));
    sm_doc_destroy(&d);
    d = s_read(st, UINT64_MAX - 1, 10, 1 << 20, &n);
    CHECK_INT(n, 0);
    sm_doc_destroy(&d);
    s_cleanup(&st, dir);
}

TEST(read_returns_at_most_limit_events)
{
    char dir[64];
    sm_store_t *st = s_store(dir, sizeof dir);
    CHECK_INT(s_append(st, 1, 20), 0);
    unsigned n = 0;
    sm_doc_t *d = s_read(st, 0, 5, 1 << 20, &n);
    CHECK_INT(n, 5);
    CHECK(s_reply_is(d, 1, 5, 20));
    sm_doc_destroy(&d);
    d = s_read(st, 17, 5, 1 << 20, &n);
    CHECK_INT(n, 3);
    CHECK(s_reply_is(d, 18, 3, 20));
    sm_doc_destroy(&d);
    d = s_read(st, 0, 0, 1 << 20, &n);
    CHECK_INT(n, 0);
    CHECK(s_reply_is(d, 1, 0, 20));
    sm_doc_destroy(&d);
    s_cleanup(&st, dir);
}

TEST(read_stops_before_max_bytes_but_always_gives_one_event)
{
    char dir[64];
    sm_store_t *st = s_store(dir, sizeof dir);
    CHECK_INT(s_append(st, 1, 20), 0);
    size_t one = s_event_size(st);
    CHECK(one > 20);
    unsigned n = 0;
    sm_doc_t *d = s_read(st, 0, 100, 3 * one, &n); /*  exactly three fit */
    CHECK_INT(n, 3);
    CHECK(s_reply_is(d, 1, 3, 20));
    sm_doc_destroy(&d);
    d = s_read(st, 0, 100, 3 * one - 1, &n); /*  one byte short of three */
    CHECK_INT(n, 2);
    CHECK(s_reply_is(d, 1, 2, 20));
    sm_doc_destroy(&d);
    d = s_read(st, 4, 100, 1, &n); /*  less than one event: still one */
    CHECK_INT(n, 1);
    CHECK(s_reply_is(d, 5, 1, 20));
    sm_doc_destroy(&d);
    d = s_read(st, 4, 2, 10 * one, &n); /*  limit binds first */
    CHECK_INT(n, 2);
    CHECK(s_reply_is(d, 5, 2, 20));
    sm_doc_destroy(&d);
    s_cleanup(&st, dir);
}

TEST(paging_with_after_and_limit_visits_every_event_once)
{
    char dir[64];
    sm_store_t *st = s_store(dir, sizeof dir);
    CHECK_INT(s_append(st, 1, 100), 0);
    uint64_t after = 0;
    unsigned pages = 0, total = 0;
    while (pages < 100) {
        unsigned n = 0;
        sm_doc_t *d = s_read(st, after, 7, 1 << 20, &n);
        if (n == 0) {
            sm_doc_destroy(&d);
            break;
        }
        CHECK(s_reply_is(d, after + 1, n, 100));
        sm_doc_destroy(&d);
        after += n;
        total += n;
        pages++;
    }
    CHECK_INT(total, 100);
    CHECK_INT(pages, 15); /*  14 pages of 7 and one of 2 */
    s_cleanup(&st, dir);
}

#define I1 "0123456789abcdef0123456789abcdef"
#define I2 "fedcba9876543210fedcba9876543210"

/*  The epoch rule with the producer saying (inst, epoch, from, prev). */
static const char *s_rule(const char *known, uint64_t known_epoch, uint64_t cursor,
                          const char *inst, uint64_t epoch, uint64_t from, uint64_t prev,
                          uint64_t last)
{
    sm_evlog_epoch_t said = {inst, epoch, from, prev};
    return sm_evlog_follow_check(known, known_epoch, cursor, &said, last);
}

TEST(the_epoch_rule_halts_a_follower_when_its_producer_went_back_in_time)
{
    const uint64_t E2 = 1764777600;
    /*  Nothing known yet: take the producer as it is. */
    CHECK_STR(s_rule("", 0, 0, I1, 1, 0, 0, 0), SM_FOLLOW_ADOPT);
    CHECK_STR(s_rule("", 0, 40, I1, 1, 0, 0, 40), SM_FOLLOW_ADOPT);
    /*  ...unless its log already ends before what was applied. */
    CHECK_STR(s_rule("", 0, 40, I1, 1, 0, 0, 39), SM_FOLLOW_BEHIND);
    /*  The same producer, same epoch, at or past the cursor: go on. */
    CHECK(s_rule(I1, 1, 40, I1, 1, 0, 0, 40) == NULL);
    CHECK(s_rule(I1, 1, 40, I1, 1, 0, 0, 400) == NULL);
    /*  Its log ends before the cursor (its files put back by hand). */
    CHECK_STR(s_rule(I1, 1, 40, I1, 1, 0, 0, 39), SM_FOLLOW_BEHIND);
    /*  Restored from a backup of seq 300 while we had applied up to 326:
        a new epoch, even when its seqs have grown past the cursor again
        (seq 327 handed out twice). */
    CHECK_STR(s_rule(I1, 1, 326, I1, E2, 300, 1, 330), SM_FOLLOW_NEW_EPOCH);
    CHECK_STR(s_rule(I1, 1, 326, I1, E2, 300, 1, 310), SM_FOLLOW_NEW_EPOCH);
    /*  Restored from a copy made in the epoch we know that holds all we
        applied (all four restored from copies made together): go on. */
    CHECK_STR(s_rule(I1, 1, 300, I1, E2, 300, 1, 300), SM_FOLLOW_ADOPT);
    CHECK_STR(s_rule(I1, 1, 290, I1, E2, 300, 1, 305), SM_FOLLOW_ADOPT);
    /*  ...but not from a copy made in an epoch we never saw: what we
        applied after that epoch's start may differ from what it holds. */
    CHECK_STR(s_rule(I1, 1, 290, I1, E2 + 9, 300, E2, 305), SM_FOLLOW_NEW_EPOCH);
    /*  Another store altogether. */
    CHECK_STR(s_rule(I1, 1, 5, I2, 1, 0, 0, 5), SM_FOLLOW_OTHER_STORE);
    /*  An older producer that says nothing of its epoch: seqs alone. */
    CHECK(s_rule(I1, 1, 5, "", 0, 0, 0, 5) == NULL);
    CHECK(sm_evlog_follow_check(NULL, 0, 5, NULL, 6) == NULL);
    CHECK_STR(s_rule(I1, 1, 5, "", 0, 0, 0, 4), SM_FOLLOW_BEHIND);
}

TEST(a_backup_opened_as_the_live_store_begins_a_new_epoch_once)
{
    char dir[64], copy[128];
    snprintf(dir, sizeof dir, "/tmp/samen-test-epoch-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    sm_store_t *st = sm_store_open(dir, "intake", NULL, 1, NULL, 0, NULL);
    CHECK(st != NULL);
    uint64_t from = 99;
    CHECK_INT(sm_store_epoch(st, &from, NULL), 1);
    CHECK_INT(from, 0);
    CHECK_INT(s_append(st, 1, 5), 0);
    snprintf(copy, sizeof copy, "%s/backup", dir);
    CHECK_INT(sm_store_backup(st, copy, NULL), 0);
    CHECK_INT(s_append(st, 6, 9), 0);
    /*  The live store is unchanged by the backup. */
    CHECK_INT(sm_store_epoch(st, NULL, NULL), 1);
    sm_store_destroy(&st);
    st = sm_store_open(dir, "intake", NULL, 1, NULL, 0, NULL);
    CHECK_INT(sm_store_epoch(st, NULL, NULL), 1);
    sm_store_destroy(&st);
    /*  The copy, opened by its owner: a new epoch from seq 5. */
    st = sm_store_open(copy, "intake", NULL, 1, NULL, 0, NULL);
    CHECK(st != NULL);
    uint64_t prev = 9;
    uint64_t epoch = sm_store_epoch(st, &from, &prev);
    CHECK(epoch > 1);
    CHECK_INT(prev, 1);
    CHECK_INT(from, 5);
    CHECK_INT(s_last(st), 5);
    sm_store_destroy(&st);
    /*  Opened again: the same epoch (the marker went with the first open). */
    st = sm_store_open(copy, "intake", NULL, 1, NULL, 0, NULL);
    CHECK_INT(sm_store_epoch(st, &from, NULL), epoch);
    CHECK_INT(from, 5);
    s_cleanup(&st, dir);
}

int main(void)
{
    sm_log_init("test_evlog", SM_LOG_WARN);
    RUN(an_empty_log_has_last_seq_zero_and_reads_as_no_events);
    RUN(reading_after_the_largest_seq_returns_nothing_instead_of_wrapping_to_the_start);
    RUN(appended_events_get_seq_1_to_n_and_last_seq_follows);
    RUN(the_stored_event_is_the_published_encoding);
    RUN(a_duplicate_or_lower_seq_is_refused_by_the_log);
    RUN(read_returns_the_events_after_the_given_seq);
    RUN(read_returns_at_most_limit_events);
    RUN(read_stops_before_max_bytes_but_always_gives_one_event);
    RUN(paging_with_after_and_limit_visits_every_event_once);
    RUN(the_epoch_rule_halts_a_follower_when_its_producer_went_back_in_time);
    RUN(a_backup_opened_as_the_live_store_begins_a_new_epoch_once);
    return DONE();
}
