/*  tests/unit/test_owner.c - owners and deputies: what a handover does to
    an item, and what an item's owners may be (common/owner.h). */
#include "common/owner.h"
#include "test.h"

#define W3 3
#define W5 5
#define W7 7

/*  The owners of an item after W3 leaves, handing over to successor. */
static sm_owners_t s_after(uint64_t owner, uint64_t deputy, uint64_t successor,
                           sm_handover_role_t *role)
{
    sm_owners_t was = {owner, deputy}, now;
    *role = sm_owner_after_leave(&was, W3, successor, &now);
    return now;
}

TEST(an_owner_leaving_hands_the_item_to_its_deputy_who_is_then_no_longer_deputy)
{
    sm_handover_role_t role;
    sm_owners_t now = s_after(W3, W5, 0, &role);
    CHECK_INT(role, SM_HANDOVER_OWNER);
    CHECK_INT(now.owner, W5);
    CHECK_INT(now.deputy, 0);
    CHECK_STR(sm_handover_role_name(role), "owner");
}

TEST(an_owner_without_deputy_leaves_the_item_without_owner)
{
    sm_handover_role_t role;
    sm_owners_t now = s_after(W3, 0, 0, &role);
    CHECK_INT(role, SM_HANDOVER_OWNER);
    CHECK_INT(now.owner, 0);
    CHECK_INT(now.deputy, 0);
}

TEST(a_named_successor_takes_over_and_the_deputy_stays)
{
    sm_handover_role_t role;
    sm_owners_t now = s_after(W3, W5, W7, &role);
    CHECK_INT(role, SM_HANDOVER_OWNER);
    CHECK_INT(now.owner, W7);
    CHECK_INT(now.deputy, W5);
    //  Without a deputy the successor still takes over.
    now = s_after(W3, 0, W7, &role);
    CHECK_INT(now.owner, W7);
    CHECK_INT(now.deputy, 0);
}

TEST(a_successor_who_was_the_deputy_is_not_both)
{
    sm_handover_role_t role;
    sm_owners_t now = s_after(W3, W7, W7, &role);
    CHECK_INT(now.owner, W7);
    CHECK_INT(now.deputy, 0);
}

TEST(a_deputy_leaving_is_replaced_by_the_successor_or_by_nobody)
{
    sm_handover_role_t role;
    sm_owners_t now = s_after(W5, W3, W7, &role);
    CHECK_INT(role, SM_HANDOVER_DEPUTY);
    CHECK_INT(now.owner, W5);
    CHECK_INT(now.deputy, W7);
    CHECK_STR(sm_handover_role_name(role), "deputy");
    now = s_after(W5, W3, 0, &role);
    CHECK_INT(now.owner, W5);
    CHECK_INT(now.deputy, 0);
    //  The successor owns the item already: no deputy, not the owner twice.
    now = s_after(W7, W3, W7, &role);
    CHECK_INT(now.owner, W7);
    CHECK_INT(now.deputy, 0);
}

TEST(an_item_of_others_does_not_change)
{
    sm_handover_role_t role;
    sm_owners_t now = s_after(W5, W7, W5, &role);
    CHECK_INT(role, SM_HANDOVER_NONE);
    CHECK_INT(now.owner, W5);
    CHECK_INT(now.deputy, W7);
    CHECK_STR(sm_handover_role_name(role), "");
    now = s_after(0, 0, W7, &role);
    CHECK_INT(role, SM_HANDOVER_NONE);
    CHECK_INT(now.owner, 0);
}

TEST(a_deputy_needs_an_owner_and_is_not_the_owner)
{
    sm_err_t err = {0};
    sm_owners_t ok = {W3, W5}, alone = {W3, 0}, none = {0, 0}, orphan = {0, W5}, twice = {W3, W3};
    CHECK_INT(sm_owners_check(&ok, &err), 0);
    CHECK_INT(sm_owners_check(&alone, &err), 0);
    CHECK_INT(sm_owners_check(&none, &err), 0);
    CHECK_INT(sm_owners_check(&orphan, &err), -1);
    CHECK_STR(err.field, "deputy");
    sm_err_clear(&err);
    CHECK_INT(sm_owners_check(&twice, &err), -1);
    CHECK_STR(err.field, "deputy");
    CHECK(strstr(err.message, "W3 cannot be both owner and deputy") != NULL);
}

TEST(a_person_is_an_m_id_or_none)
{
    sm_err_t err = {0};
    uint64_t m = 99;
    CHECK_INT(sm_owner_parse("W12", "owner", &m, &err), 0);
    CHECK_INT(m, 12);
    CHECK_INT(sm_owner_parse("w4", "owner", &m, &err), 0);
    CHECK_INT(m, 4);
    const char *nones[] = {"none", "None", "", "-"};
    for (int i = 0; i < 4; i++) {
        m = 99;
        CHECK_INT(sm_owner_parse(nones[i], "deputy", &m, &err), 0);
        CHECK_INT(m, 0);
    }
    const char *bad[] = {"P3", "W0", "Jan", "M3", "W3x", "3"}; //  M3 is a mail
    for (int i = 0; i < 6; i++) {
        sm_err_clear(&err);
        CHECK_INT(sm_owner_parse(bad[i], "deputy", &m, &err), -1);
        CHECK_STR(err.field, "deputy");
        CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    }
}

TEST(a_list_filters_on_the_owner_or_on_having_none)
{
    sm_owners_t mine = {W3, W5}, deputised = {W5, W3}, nobodys = {0, 0};
    sm_owner_filter_t off = {false, 0}, m3 = {true, W3}, none = {true, 0};
    CHECK(sm_owner_filter_match(&off, &mine) && sm_owner_filter_match(&off, &nobodys));
    CHECK(sm_owner_filter_match(&m3, &mine));
    CHECK(!sm_owner_filter_match(&m3, &deputised)); //  the owner, not the deputy
    CHECK(!sm_owner_filter_match(&m3, &nobodys));
    CHECK(sm_owner_filter_match(&none, &nobodys));
    CHECK(!sm_owner_filter_match(&none, &mine));
}

TEST(owners_are_stored_as_ids_and_read_back)
{
    sm_buf_t b;
    sm_buf_init(&b);
    sm_owners_t o = {W3, 0}, back = {1, 1};
    msgpack_pack_map(&b.pk, SM_OWNERS_NPAIRS);
    sm_owners_pack(&b.pk, &o);
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    CHECK(doc != NULL);
    if (doc) {
        const msgpack_object *owner = sm_map_get(sm_doc_root(doc), "owner");
        CHECK(owner && owner->type == MSGPACK_OBJECT_STR && owner->via.str.size == 2 &&
              memcmp(owner->via.str.ptr, "W3", 2) == 0);
        CHECK_INT(sm_map_get(sm_doc_root(doc), "deputy")->type, MSGPACK_OBJECT_NIL);
        sm_owners_read(sm_doc_root(doc), &back);
        CHECK_INT(back.owner, W3);
        CHECK_INT(back.deputy, 0);
    }
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
    //  A record from before owners (schema 2) has none.
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 0);
    doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    back = (sm_owners_t){1, 1};
    sm_owners_read(sm_doc_root(doc), &back);
    CHECK_INT(back.owner, 0);
    CHECK_INT(back.deputy, 0);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

int main(void)
{
    RUN(an_owner_leaving_hands_the_item_to_its_deputy_who_is_then_no_longer_deputy);
    RUN(an_owner_without_deputy_leaves_the_item_without_owner);
    RUN(a_named_successor_takes_over_and_the_deputy_stays);
    RUN(a_successor_who_was_the_deputy_is_not_both);
    RUN(a_deputy_leaving_is_replaced_by_the_successor_or_by_nobody);
    RUN(an_item_of_others_does_not_change);
    RUN(a_deputy_needs_an_owner_and_is_not_the_owner);
    RUN(a_person_is_an_m_id_or_none);
    RUN(a_list_filters_on_the_owner_or_on_having_none);
    RUN(owners_are_stored_as_ids_and_read_back);
    return DONE();
}
