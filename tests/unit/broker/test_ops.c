/*  tests/unit/broker/test_ops.c - the broker's own services, without sockets. */
#include "../test.h"
#include "services/broker/ops.h"
#include <string.h>

static int s_parse(const char *op, size_t nframes, sm_err_t *e)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 1);
    sm_pack_kv_str(&b.pk, "op", op);
    sm_broker_req_t req;
    int rc = sm_broker_op_parse(b.sbuf.data, b.sbuf.size, nframes, &req, e);
    sm_broker_req_free(&req);
    sm_buf_free(&b);
    return rc;
}

TEST(status_op_is_recognised)
{
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(s_parse("status", 1, &e), SM_BROKER_OP_STATUS);
}

TEST(unknown_op_is_refused_naming_the_op_field)
{
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(s_parse("reboot", 1, &e), -1);
    CHECK_STR(e.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(e.field, "op");
    CHECK(strstr(e.message, "status") != NULL);
}

TEST(two_body_frames_are_refused_naming_the_body)
{
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(s_parse("status", 2, &e), -1);
    CHECK_STR(e.field, "body");
}

TEST(a_body_that_is_not_a_map_is_refused)
{
    sm_err_t e;
    sm_err_clear(&e);
    const unsigned char arr[] = {0x91, 0x01};
    sm_broker_req_t req;
    CHECK_INT(sm_broker_op_parse(arr, sizeof arr, 1, &req, &e), -1);
    sm_broker_req_free(&req);
    CHECK_STR(e.field, "body");
    const unsigned char lie[] = {0xdd, 0xff, 0xff, 0xff, 0xff};
    sm_err_clear(&e);
    CHECK_INT(sm_broker_op_parse(lie, sizeof lie, 1, &req, &e), -1);
    sm_broker_req_free(&req);
    CHECK_STR(e.field, "body");
}

TEST(mmi_answers_200_404_and_501_as_rfc8_says)
{
    CHECK_STR(sm_broker_mmi_code("mmi.service", 11, true), "200");
    CHECK_STR(sm_broker_mmi_code("mmi.service", 11, false), "404");
    CHECK_STR(sm_broker_mmi_code("mmi.echo", 8, true), "501");
}

TEST(broker_and_mmi_names_are_reserved_for_the_broker)
{
    CHECK(sm_broker_name_reserved("broker", 6));
    CHECK(sm_broker_name_reserved("mmi.service", 11));
    CHECK(!sm_broker_name_reserved("intake", 6));
    CHECK(!sm_broker_name_reserved("brokerage", 9));
}

TEST(service_names_must_be_printable_without_spaces)
{
    CHECK(sm_broker_name_valid("intake", 6));
    CHECK(!sm_broker_name_valid("", 0));
    CHECK(!sm_broker_name_valid("in take", 7));
    CHECK(!sm_broker_name_valid("in\ntake", 7));
    char longname[300];
    memset(longname, 'a', sizeof longname);
    CHECK(!sm_broker_name_valid(longname, sizeof longname));
}

TEST(status_reply_carries_every_counter)
{
    sm_broker_service_stat_t svc = {"finance", 7, 32, 30, 0};
    sm_broker_stats_t st;
    memset(&st, 0, sizeof st);
    st.services = &svc;
    st.service_count = 1;
    st.requests_routed = 5;
    st.max_message_bytes = 1048576;
    sm_buf_t b;
    sm_buf_init(&b);
    sm_broker_pack_status(&b, &st);
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    CHECK(doc != NULL);
    const msgpack_object *data = sm_map_get(sm_doc_root(doc), "data");
    CHECK(sm_obj_streq(sm_map_get(sm_doc_root(doc), "ok"), "x") == false);
    const char *keys[] = {"version", "uptime_s", "services", "requests_routed", "replies_routed",
                          "requests_expired", "invalid_dropped", "oversize_dropped",
                          "events_forwarded", "events_dropped", "subscriptions",
                          "max_message_bytes", "security", "keys_trusted",
                          "handshakes_refused", "unauthenticated", "workers_refused",
                          "claims_refused", "requests_denied", "events_refused",
                          "subscribers_cut", NULL};
    for (int i = 0; keys[i]; i++)
        CHECK(sm_map_get(data, keys[i]) != NULL);
    uint64_t routed = 0;
    CHECK_INT(sm_get_uint(data, "requests_routed", true, UINT64_MAX, &routed, NULL), 1);
    CHECK_INT(routed, 5);
    const msgpack_object *list = sm_map_get(data, "services");
    CHECK(list && list->type == MSGPACK_OBJECT_ARRAY && list->via.array.size == 1);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

/*  Parse a request with op and an args map packed by the caller into req. */
static int s_parse_args(const char *op, const sm_buf_t *args, sm_broker_req_t *req, sm_err_t *e)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 2);
    sm_pack_kv_str(&b.pk, "op", op);
    sm_pack_str(&b.pk, "args");
    sm_pack_raw(&b.pk, args->sbuf.data, args->sbuf.size);
    int rc = sm_broker_op_parse(b.sbuf.data, b.sbuf.size, 1, req, e);
    sm_buf_free(&b);
    return rc;
}

TEST(service_claim_takes_a_service_and_a_hex_instance)
{
    sm_err_t e;
    sm_broker_req_t req;
    sm_buf_t a;
    sm_buf_init(&a);
    msgpack_pack_map(&a.pk, 2);
    sm_pack_kv_str(&a.pk, "service", "finance");
    sm_pack_kv_str(&a.pk, "instance", "30640a49ca95028ab856104ecbc03f68");
    sm_err_clear(&e);
    CHECK_INT(s_parse_args("service.claim", &a, &req, &e), SM_BROKER_OP_CLAIM);
    CHECK_STR(req.service, "finance");
    CHECK_STR(req.instance, "30640a49ca95028ab856104ecbc03f68");
    CHECK_STR(req.incarnation, "");
    CHECK(req.decl && (req.decl->roles & SM_ROLE_SVC_FINANCE) && !(req.decl->roles & SM_ROLE_ADMIN));
    sm_broker_req_free(&req);
    const char *bad[][3] = {{"finance", "XYZ", "instance"},
                            {"broker", "ab", "service"},
                            {"mmi.service", "ab", "service"},
                            {"fin ance", "ab", "service"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sm_buf_reset(&a);
        msgpack_pack_map(&a.pk, 2);
        sm_pack_kv_str(&a.pk, "service", bad[i][0]);
        sm_pack_kv_str(&a.pk, "instance", bad[i][1]);
        sm_err_clear(&e);
        CHECK_INT(s_parse_args("service.claim", &a, &req, &e), -1);
        sm_broker_req_free(&req);
        CHECK_STR(e.field, bad[i][2]);
    }
    sm_buf_reset(&a);
    msgpack_pack_map(&a.pk, 1);
    sm_pack_kv_str(&a.pk, "service", "finance");
    sm_err_clear(&e);
    CHECK_INT(s_parse_args("service.claim", &a, &req, &e), -1);
    sm_broker_req_free(&req);
    CHECK_STR(e.field, "instance");
    /*  The daemon's incarnation: optional (above: "" when absent), lower-case hex. */
    const char *incarnations[][2] = {{"9b1f0c2e77d04a5e8f3a6c1d2e4b5a69", NULL},
                                     {"9B1F", "incarnation"},
                                     {"process-1", "incarnation"},
                                     {"", "incarnation"}};
    for (size_t i = 0; i < sizeof incarnations / sizeof incarnations[0]; i++) {
        sm_buf_reset(&a);
        msgpack_pack_map(&a.pk, 3);
        sm_pack_kv_str(&a.pk, "service", "finance");
        sm_pack_kv_str(&a.pk, "instance", "30640a49ca95028ab856104ecbc03f68");
        sm_pack_kv_str(&a.pk, "incarnation", incarnations[i][0]);
        sm_err_clear(&e);
        int rc = s_parse_args("service.claim", &a, &req, &e);
        if (incarnations[i][1]) {
            CHECK_INT(rc, -1);
            CHECK_STR(e.field, incarnations[i][1]);
        } else {
            CHECK_INT(rc, SM_BROKER_OP_CLAIM);
            CHECK_STR(req.incarnation, incarnations[i][0]);
        }
        sm_broker_req_free(&req);
    }
    sm_buf_free(&a);
}

TEST(audit_list_takes_the_services_filters)
{
    sm_err_t e;
    sm_broker_req_t req;
    sm_buf_t a;
    sm_buf_init(&a);
    msgpack_pack_map(&a.pk, 4);
    sm_pack_kv_str(&a.pk, "since", "2026-11-23");
    sm_pack_kv_str(&a.pk, "until", "2026-11-24");
    sm_pack_kv_str(&a.pk, "who", "admin");
    sm_pack_kv_str(&a.pk, "id", "alice");
    sm_err_clear(&e);
    CHECK_INT(s_parse_args("audit.list", &a, &req, &e), SM_BROKER_OP_AUDIT_LIST);
    CHECK_INT(req.limit, 100);
    CHECK_INT(req.after, 0);
    sm_audit_entry_t ent;
    memset(&ent, 0, sizeof ent);
    snprintf(ent.who, sizeof ent.who, "admin");
    snprintf(ent.key, sizeof ent.key, "alice");
    snprintf(ent.op, sizeof ent.op, "key.new");
    /*  Days are Amsterdam days (UTC+1 in November), as in the services. */
    snprintf(ent.ts, sizeof ent.ts, "2026-11-24T22:59:59Z");
    CHECK(sm_broker_audit_match(&req, &ent));
    snprintf(ent.ts, sizeof ent.ts, "2026-11-24T23:00:00Z");
    CHECK(!sm_broker_audit_match(&req, &ent));
    snprintf(ent.ts, sizeof ent.ts, "2026-11-22T22:59:59Z");
    CHECK(!sm_broker_audit_match(&req, &ent));
    snprintf(ent.ts, sizeof ent.ts, "2026-11-22T23:00:00Z");
    CHECK(sm_broker_audit_match(&req, &ent));
    snprintf(ent.who, sizeof ent.who, "bob");
    CHECK(!sm_broker_audit_match(&req, &ent));
    snprintf(ent.who, sizeof ent.who, "admin");
    snprintf(ent.key, sizeof ent.key, "carol");
    CHECK(!sm_broker_audit_match(&req, &ent));
    sm_broker_req_free(&req);
    const char *bad[][2] = {{"since", "yesterday"}, {"until", "2026-13-01"}, {"frobnicate", "x"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sm_buf_reset(&a);
        msgpack_pack_map(&a.pk, 1);
        sm_pack_kv_str(&a.pk, bad[i][0], bad[i][1]);
        sm_err_clear(&e);
        CHECK_INT(s_parse_args("audit.list", &a, &req, &e), -1);
        sm_broker_req_free(&req);
        CHECK_STR(e.field, bad[i][0]);
    }
    sm_buf_free(&a);
}

int main(void)
{
    RUN(status_op_is_recognised);
    RUN(unknown_op_is_refused_naming_the_op_field);
    RUN(two_body_frames_are_refused_naming_the_body);
    RUN(a_body_that_is_not_a_map_is_refused);
    RUN(mmi_answers_200_404_and_501_as_rfc8_says);
    RUN(broker_and_mmi_names_are_reserved_for_the_broker);
    RUN(service_names_must_be_printable_without_spaces);
    RUN(status_reply_carries_every_counter);
    RUN(service_claim_takes_a_service_and_a_hex_instance);
    RUN(audit_list_takes_the_services_filters);
    return DONE();
}
