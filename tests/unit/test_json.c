/*  tests/unit/test_json.c - samenctl's JSON <-> MessagePack bridge: round
    trips, the refusal of fractional numbers, depth and syntax limits. */
#include "common/json.h"
#include "test.h"
#include <stdlib.h>

/*  JSON -> MessagePack -> (checked, decoded) -> JSON. Returns the JSON text
    (caller frees) or NULL with err. */
static char *s_round_trip(const char *json, sm_err_t *err)
{
    sm_buf_t b;
    sm_buf_init(&b);
    char *out = NULL;
    if (sm_json_to_msgpack(json, &b.pk, "args", err) == 0) {
        sm_doc_t *d = sm_doc_parse(b.sbuf.data, b.sbuf.size, err);
        if (d)
            out = sm_msgpack_to_json(sm_doc_root(d), false);
        sm_doc_destroy(&d);
    }
    sm_buf_free(&b);
    return out;
}

static bool s_has(const sm_err_t *e, const char *field, const char *part)
{
    bool ok = e->code && strcmp(e->code, SM_E_INVALID_ARGUMENT) == 0 &&
              strcmp(e->field, field) == 0 && strstr(e->message, part);
    if (!ok)
        printf("     error %s field \"%s\" \"%s\"; expected field \"%s\" and \"%s\"\n",
               e->code ? e->code : "-", e->field, e->message, field, part);
    return ok;
}

TEST(json_round_trips_through_msgpack_unchanged)
{
    static const char *const cases[] = {
        "{}",
        "[]",
        "[null,true,false,0,-1]",
        "[9223372036854775807,-9223372036854775808]",
        "\"Hilversum\"",
        "[\"caf\xC3\xA9 \xE2\x82\xAC 15\"]",
        "[\"line\\nbreak \\\"quoted\\\" back\\\\slash\"]",
        "{\"name\":\"Hilversum\",\"code\":\"GM0402\",\"inhabitants\":90000,\"tentative\":false}",
        "{\"groups\":[\"youth\",\"elderly\"],\"nested\":{\"a\":[1,[2,[3]]]},\"none\":null}",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sm_err_t e;
        sm_err_clear(&e);
        char *out = s_round_trip(cases[i], &e);
        if (!out || strcmp(out, cases[i]) != 0) {
            printf("     %s -> %s (%s)\n", cases[i], out ? out : "(refused)", e.message);
            CHECK(!"round trip");
        }
        free(out);
    }
}

TEST(json_whitespace_around_the_value_is_accepted)
{
    sm_err_t e;
    char *out = s_round_trip("  \n{ \"a\" : 1 }\n\t ", &e);
    CHECK_STR(out, "{\"a\":1}");
    free(out);
}

TEST(json_to_msgpack_gives_integers_and_text_of_the_right_types)
{
    sm_buf_t b;
    sm_buf_init(&b);
    sm_err_t e;
    CHECK_INT(sm_json_to_msgpack("{\"cents\": -2250000, \"n\": 3, \"s\": \"x\", \"t\": true}",
                                 &b.pk, "args", &e),
              0);
    sm_doc_t *d = sm_doc_parse(b.sbuf.data, b.sbuf.size, &e);
    const msgpack_object *m = sm_doc_root(d);
    int64_t v = 0;
    uint64_t u = 0;
    bool t = false;
    char s[4];
    CHECK_INT(sm_get_int(m, "cents", true, INT64_MIN, 0, &v, &e), 1);
    CHECK_INT(v, -2250000);
    CHECK_INT(sm_get_uint(m, "n", true, 10, &u, &e), 1);
    CHECK_INT(u, 3);
    CHECK_INT(sm_get_str(m, "s", true, s, sizeof s, false, &e), 1);
    CHECK_INT(sm_get_bool(m, "t", true, &t, &e), 1);
    CHECK(t);
    sm_doc_destroy(&d);
    sm_buf_free(&b);
}

TEST(a_fractional_number_is_refused_with_a_hint_about_cents)
{
    static const char *const cases[] = {"[15.5]", "{\"amount\": 15.50}", "[1, 2.0]", "[1e3]",
                                        "{\"a\": {\"b\": -0.01}}"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sm_buf_t b;
        sm_buf_init(&b);
        sm_err_t e;
        sm_err_clear(&e);
        int rc = sm_json_to_msgpack(cases[i], &b.pk, "args", &e);
        if (rc != -1 || !s_has(&e, "args", "fractional") || !s_has(&e, "args", "cents")) {
            printf("     case %s\n", cases[i]);
            CHECK(!"fraction refused");
        }
        sm_buf_free(&b);
    }
}

TEST(invalid_json_is_refused_naming_the_field)
{
    static const char *const cases[] = {"", "{", "{\"a\": }", "{\"a\" 1}", "[1, 2,]x",
                                        "{\"a\": 1} {\"b\": 2}", "nul", "\"unterminated"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sm_buf_t b;
        sm_buf_init(&b);
        sm_err_t e;
        sm_err_clear(&e);
        int rc = sm_json_to_msgpack(cases[i], &b.pk, "--args", &e);
        if (rc != -1 || !s_has(&e, "--args", "--args")) {
            printf("     case \"%s\"\n", cases[i]);
            CHECK(!"invalid JSON refused");
        }
        sm_buf_free(&b);
    }
}

/*  n nested JSON arrays around 1. */
static char *s_nested(int n)
{
    char *p = malloc(2 * (size_t)n + 2);
    memset(p, '[', (size_t)n);
    p[n] = '1';
    memset(p + n + 1, ']', (size_t)n);
    p[2 * n + 1] = '\0';
    return p;
}

TEST(json_deeper_than_the_codec_limit_is_refused)
{
    sm_err_t e;
    char *deep = s_nested(1000);
    sm_buf_t b;
    sm_buf_init(&b);
    sm_err_clear(&e);
    CHECK_INT(sm_json_to_msgpack(deep, &b.pk, "args", &e), -1);
    CHECK(s_has(&e, "args", "not valid JSON"));
    free(deep);
    sm_buf_free(&b);

    /*  Whatever JSON is accepted also passes the codec's own check. */
    for (int n = 1; n <= SM_CODEC_MAX_DEPTH + 2; n++) {
        char *j = s_nested(n);
        sm_buf_init(&b);
        sm_err_clear(&e);
        if (sm_json_to_msgpack(j, &b.pk, "args", &e) == 0 &&
            sm_msgpack_check(b.sbuf.data, b.sbuf.size, &e) != 0) {
            printf("     depth %d: accepted as JSON, refused by the codec\n", n);
            CHECK(!"json depth within codec depth");
        }
        sm_buf_free(&b);
        free(j);
    }
}

TEST(msgpack_to_json_renders_every_type)
{
    /*  {"bin": bin(01 ff), "f": 1.5, "n": nil, "u": 2^64-1, 7: "skipped"} */
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 5);
    sm_pack_str(&b.pk, "bin");
    msgpack_pack_bin(&b.pk, 2);
    msgpack_pack_bin_body(&b.pk, "\x01\xff", 2);
    sm_pack_str(&b.pk, "f");
    msgpack_pack_double(&b.pk, 1.5);
    sm_pack_kv_nil(&b.pk, "n");
    sm_pack_kv_uint(&b.pk, "u", UINT64_MAX);
    msgpack_pack_int(&b.pk, 7);
    sm_pack_str(&b.pk, "skipped");
    sm_doc_t *d = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    CHECK(d != NULL);
    char *j = sm_msgpack_to_json(sm_doc_root(d), false);
    CHECK_STR(j, "{\"bin\":\"01ff\",\"f\":1.5,\"n\":null,\"u\":18446744073709551615}");
    free(j);
    /*  pretty output is still the same JSON, over several lines */
    j = sm_msgpack_to_json(sm_doc_root(d), true);
    CHECK(j && strchr(j, '\n') && strstr(j, "\"bin\": \"01ff\""));
    free(j);
    sm_doc_destroy(&d);
    sm_buf_free(&b);
    /*  a bare nil renders as null */
    d = sm_doc_parse("\xc0", 1, NULL);
    j = sm_msgpack_to_json(sm_doc_root(d), false);
    CHECK_STR(j, "null");
    free(j);
    sm_doc_destroy(&d);
}

TEST(json_integers_outside_int64_are_refused_not_clamped)
{
    sm_err_t e;
    sm_err_clear(&e);
    char *out = s_round_trip("{\"amount_cents\": 99999999999999999999999}", &e);
    CHECK(out == NULL);
    CHECK(s_has(&e, "args", "outside the whole numbers"));
    free(out);
}

TEST(json_bare_top_level_values_are_accepted)
{
    sm_err_t e;
    sm_err_clear(&e);
    char *out = s_round_trip("15", &e);
    CHECK_STR(out, "15");
    free(out);
    out = s_round_trip("null", &e);
    CHECK_STR(out, "null");
    free(out);
}

TEST(json_comments_are_refused)
{
    sm_err_t e;
    sm_err_clear(&e);
    char *out = s_round_trip("{\"a\": 1 /* note */}", &e);
    CHECK(out == NULL);
    free(out);
}

int main(void)
{
    RUN(json_round_trips_through_msgpack_unchanged);
    RUN(json_integers_outside_int64_are_refused_not_clamped);
    RUN(json_bare_top_level_values_are_accepted);
    RUN(json_comments_are_refused);
    RUN(json_whitespace_around_the_value_is_accepted);
    RUN(json_to_msgpack_gives_integers_and_text_of_the_right_types);
    RUN(a_fractional_number_is_refused_with_a_hint_about_cents);
    RUN(invalid_json_is_refused_naming_the_field);
    RUN(json_deeper_than_the_codec_limit_is_refused);
    RUN(msgpack_to_json_renders_every_type);
    return DONE();
}
