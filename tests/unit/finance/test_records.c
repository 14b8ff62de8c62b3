/*  tests/unit/finance/test_records.c - merging a change into a stored
    record, as finance's entitlements and applications are changed
    (common/record.h). */
#include "common/record.h"
#include "tests/unit/test.h"

/*  Merge upd into old (both built by the callers) and return the JSON-ish
    view of the result as a parsed document. */
static sm_doc_t *s_merge(const sm_buf_t *old, const sm_buf_t *upd)
{
    sm_doc_t *o = sm_doc_parse(old->sbuf.data, old->sbuf.size, NULL);
    sm_doc_t *u = sm_doc_parse(upd->sbuf.data, upd->sbuf.size, NULL);
    sm_buf_t out;
    sm_buf_init(&out);
    sm_rec_merge(&out.pk, sm_doc_root(o), sm_doc_root(u));
    sm_doc_t *m = sm_doc_parse(out.sbuf.data, out.sbuf.size, NULL);
    sm_buf_free(&out);
    sm_doc_destroy(&o);
    sm_doc_destroy(&u);
    return m;
}

TEST(a_merge_replaces_changed_fields_in_place_and_keeps_the_rest)
{
    sm_buf_t old, upd;
    sm_buf_init(&old);
    sm_buf_init(&upd);
    msgpack_pack_map(&old.pk, 3);
    sm_pack_kv_str(&old.pk, "id", "E1");
    sm_pack_kv_str(&old.pk, "state", "entitled");
    sm_pack_kv_int(&old.pk, "amount_cents", 1500);
    msgpack_pack_map(&upd.pk, 2);
    sm_pack_kv_str(&upd.pk, "state", "claimed");
    sm_pack_kv_str(&upd.pk, "claimed_on", "2019-11-12");
    sm_doc_t *m = s_merge(&old, &upd);
    const msgpack_object *r = sm_doc_root(m);
    char buf[32];
    CHECK_INT(r->via.map.size, 4);
    CHECK_STR(sm_rec_str(r, "state", buf, sizeof buf), "claimed");
    CHECK_STR(sm_rec_str(r, "claimed_on", buf, sizeof buf), "2019-11-12");
    CHECK_INT(sm_rec_int(r, "amount_cents", 0), 1500);
    /*  Keys keep their place; new keys go at the end. */
    CHECK(sm_obj_streq(&r->via.map.ptr[0].key, "id"));
    CHECK(sm_obj_streq(&r->via.map.ptr[1].key, "state"));
    CHECK(sm_obj_streq(&r->via.map.ptr[3].key, "claimed_on"));
    sm_doc_destroy(&m);
    sm_buf_free(&old);
    sm_buf_free(&upd);
}

TEST(a_field_can_be_cleared_to_nil_by_a_merge)
{
    sm_buf_t old, upd;
    sm_buf_init(&old);
    sm_buf_init(&upd);
    msgpack_pack_map(&old.pk, 2);
    sm_pack_kv_str(&old.pk, "applicant", "P4");
    sm_pack_kv_int(&old.pk, "awarded_cents", 40000);
    msgpack_pack_map(&upd.pk, 1);
    sm_pack_kv_nil(&upd.pk, "applicant");
    sm_doc_t *m = s_merge(&old, &upd);
    const msgpack_object *r = sm_doc_root(m);
    CHECK_INT(r->via.map.size, 2);
    CHECK(sm_map_get(r, "applicant")->type == MSGPACK_OBJECT_NIL);
    CHECK_INT(sm_rec_int(r, "awarded_cents", 0), 40000);
    sm_doc_destroy(&m);
    sm_buf_free(&old);
    sm_buf_free(&upd);
}

TEST(stored_fields_read_as_their_zero_value_when_absent)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 1);
    sm_pack_kv_bool(&b.pk, "paid", true);
    sm_doc_t *d = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    char buf[8] = "x";
    CHECK_INT(sm_rec_int(sm_doc_root(d), "amount_cents", 0), 0);
    CHECK_STR(sm_rec_str(sm_doc_root(d), "state", buf, sizeof buf), "");
    CHECK(sm_rec_bool(sm_doc_root(d), "paid", false));
    CHECK(!sm_rec_bool(sm_doc_root(d), "other", false));
    sm_doc_destroy(&d);
    sm_buf_free(&b);
}

int main(void)
{
    RUN(a_merge_replaces_changed_fields_in_place_and_keeps_the_rest);
    RUN(a_field_can_be_cleared_to_nil_by_a_merge);
    RUN(stored_fields_read_as_their_zero_value_when_absent);
    return DONE();
}
