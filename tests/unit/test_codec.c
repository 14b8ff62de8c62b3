/*  tests/unit/test_codec.c - the MessagePack codec on untrusted input: the
    pre-decoder's limits, every typed getter's present/absent/invalid path,
    key checks, and the encoding helpers (pack -> parse round trip). */
#include "common/codec.h"
#include "test.h"
#include <stdlib.h>

/* ==== Helpers =========================================================== */

/*  True when err holds code, field and a message containing part. */
static bool s_err_is(const sm_err_t *e, const char *code, const char *field, const char *part)
{
    if (!e->code || strcmp(e->code, code) != 0) {
        printf("     error code \"%s\", expected \"%s\"\n", e->code ? e->code : "(none)", code);
        return false;
    }
    if (field && strcmp(e->field, field) != 0) {
        printf("     error field \"%s\", expected \"%s\"\n", e->field, field);
        return false;
    }
    if (part && !strstr(e->message, part)) {
        printf("     message \"%s\" lacks \"%s\"\n", e->message, part);
        return false;
    }
    return true;
}

/*  sm_msgpack_check on raw bytes; err filled. */
static int s_check(const char *bytes, size_t size, sm_err_t *e)
{
    sm_err_clear(e);
    return sm_msgpack_check(bytes, size, e);
}

/*  The nasty inputs the codec must refuse before any allocation, each
    with a piece of the expected message. */
typedef struct {
    const char *why;
    const char *bytes;
    size_t size;
    const char *says;
} nasty_t;

static const nasty_t s_nasty[] = {
    {"array32 announcing 4 billion elements", "\xdd\xff\xff\xff\xff", 5, "elements"},
    {"map32 announcing 4 billion pairs", "\xdf\xff\xff\xff\xff", 5, "elements"},
    {"str32 announcing 4 GB", "\xdb\xff\xff\xff\xff", 5, "bytes"},
    {"bin32 announcing 4 GB", "\xc6\xff\xff\xff\xff", 5, "bytes"},
    {"ext32 announcing 4 GB", "\xc9\xff\xff\xff\xff\x01", 6, "bytes"},
    {"str8 longer than the data", "\xd9\x05" "abc", 5, "bytes"},
    {"fixstr longer than the data", "\xa5" "ab", 3, "bytes"},
    {"array16 announcing more than remains", "\xdc\x00\x05\xc0\xc0", 5, "elements"},
    {"map with a key and no value", "\x81\xa1k", 3, "ends too early"},
    {"truncated uint64", "\xcf\x00\x00\x00", 4, "bytes"},
    {"truncated float64", "\xcb\x3f\xf0", 3, "bytes"},
    {"truncated length of str16", "\xda\x00", 2, "inside a length"},
    {"truncated length of map32", "\xdf\x00\x00", 3, "inside a length"},
    {"the never-used byte 0xc1", "\xc1", 1, "0xc1"},
    {"0xc1 inside an array", "\x92\x01\xc1", 3, "0xc1"},
    {"trailing bytes after one object", "\x01\x02", 2, "follow"},
    {"trailing byte after a map", "\x80\xc0", 2, "follow"},
};

/* ==== sm_msgpack_check: refusals ======================================== */

TEST(check_refuses_each_nasty_input_with_a_clear_message)
{
    for (size_t i = 0; i < sizeof s_nasty / sizeof s_nasty[0]; i++) {
        sm_err_t e;
        int rc = s_check(s_nasty[i].bytes, s_nasty[i].size, &e);
        if (rc != -1 || !s_err_is(&e, SM_E_INVALID_ARGUMENT, "body", s_nasty[i].says)) {
            printf("     case: %s\n", s_nasty[i].why);
            CHECK(!"nasty input refused");
        }
    }
}

TEST(parse_refuses_the_4_billion_element_array_without_allocating)
{
    /*  Under ASan an attempt to allocate tens of GB would abort the test:
        the refusal must come from the pre-decoder. */
    sm_err_t e;
    sm_err_clear(&e);
    sm_doc_t *d = sm_doc_parse("\xdd\xff\xff\xff\xff", 5, &e);
    CHECK(d == NULL);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "body", "4294967295 elements"));
    sm_err_clear(&e);
    d = sm_doc_parse("\xdf\xff\xff\xff\xff", 5, &e);
    CHECK(d == NULL);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "body", "8589934590 elements"));
    sm_err_clear(&e);
    d = sm_doc_parse("\xdb\xff\xff\xff\xff", 5, &e);
    CHECK(d == NULL);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "body", "4294967295 bytes"));
}

TEST(check_refuses_empty_input)
{
    sm_err_t e;
    CHECK_INT(s_check("", 0, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "body", "empty"));
    sm_err_clear(&e);
    CHECK_INT(sm_msgpack_check(NULL, 5, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "body", "empty"));
}

TEST(check_refuses_every_truncation_of_a_valid_request)
{
    /*  {"op": "municipality.get", "args": {"municipality": "GM0402"}} */
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 2);
    sm_pack_kv_str(&b.pk, "op", "municipality.get");
    sm_pack_str(&b.pk, "args");
    msgpack_pack_map(&b.pk, 1);
    sm_pack_kv_str(&b.pk, "municipality", "GM0402");
    sm_err_t e;
    CHECK_INT(s_check(b.sbuf.data, b.sbuf.size, &e), 0);
    for (size_t n = 0; n < b.sbuf.size; n++) {
        if (s_check(b.sbuf.data, n, &e) != -1) {
            printf("     prefix of %zu bytes accepted\n", n);
            CHECK(!"truncation refused");
        }
        sm_doc_t *d = sm_doc_parse(b.sbuf.data, n, &e);
        CHECK(d == NULL);
        sm_doc_destroy(&d);
    }
    sm_buf_free(&b);
}

/*  n nested fixarrays of one element around a nil. */
static char *s_nested(int n, size_t *size)
{
    char *p = malloc((size_t)n + 1);
    memset(p, 0x91, (size_t)n);
    p[n] = (char)0xc0;
    *size = (size_t)n + 1;
    return p;
}

TEST(check_refuses_1000_deep_nesting)
{
    size_t size;
    char *p = s_nested(1000, &size);
    sm_err_t e;
    CHECK_INT(s_check(p, size, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "body", "deeper than 16"));
    sm_doc_t *d = sm_doc_parse(p, size, &e);
    CHECK(d == NULL);
    free(p);
    /*  The same with maps: {"a": {"a": ...}} */
    char *m = malloc(3000 + 1);
    for (int i = 0; i < 1000; i++)
        memcpy(m + 3 * i, "\x81\xa1"
                          "a",
               3);
    m[3000] = 0x01;
    CHECK_INT(s_check(m, 3001, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "body", "deeper"));
    free(m);
}

TEST(check_accepts_nesting_up_to_the_limit)
{
    size_t size;
    sm_err_t e;
    /*  15 containers around a scalar: the scalar sits at level 16. */
    char *p = s_nested(SM_CODEC_MAX_DEPTH - 1, &size);
    CHECK_INT(s_check(p, size, &e), 0);
    sm_doc_t *d = sm_doc_parse(p, size, &e);
    CHECK(d != NULL);
    sm_doc_destroy(&d);
    free(p);
    p = s_nested(SM_CODEC_MAX_DEPTH, &size);
    CHECK_INT(s_check(p, size, &e), -1);
    free(p);
}

TEST(check_refuses_more_objects_than_the_limit)
{
    /*  An array32 of nils: the array plus its elements are counted. */
    size_t ok_n = SM_CODEC_MAX_OBJECTS - 1, bad_n = SM_CODEC_MAX_OBJECTS;
    char *p = malloc(5 + bad_n);
    p[0] = (char)0xdd;
    memset(p + 5, 0xc0, bad_n);
    p[1] = (char)(ok_n >> 24), p[2] = (char)(ok_n >> 16), p[3] = (char)(ok_n >> 8),
    p[4] = (char)ok_n;
    sm_err_t e;
    CHECK_INT(s_check(p, 5 + ok_n, &e), 0);
    p[1] = (char)(bad_n >> 24), p[2] = (char)(bad_n >> 16), p[3] = (char)(bad_n >> 8),
    p[4] = (char)bad_n;
    CHECK_INT(s_check(p, 5 + bad_n, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "body", "objects"));
    free(p);
}

/* ==== sm_msgpack_check: every valid type ================================ */

typedef struct {
    const char *why;
    const char *bytes;
    size_t size;
    msgpack_object_type type;
} valid_t;

static const valid_t s_valid[] = {
    {"positive fixint", "\x7f", 1, MSGPACK_OBJECT_POSITIVE_INTEGER},
    {"negative fixint", "\xe0", 1, MSGPACK_OBJECT_NEGATIVE_INTEGER},
    {"nil", "\xc0", 1, MSGPACK_OBJECT_NIL},
    {"false", "\xc2", 1, MSGPACK_OBJECT_BOOLEAN},
    {"true", "\xc3", 1, MSGPACK_OBJECT_BOOLEAN},
    {"bin8", "\xc4\x02\x00\xff", 4, MSGPACK_OBJECT_BIN},
    {"bin16", "\xc5\x00\x01\x00", 4, MSGPACK_OBJECT_BIN},
    {"bin32", "\xc6\x00\x00\x00\x01\x00", 6, MSGPACK_OBJECT_BIN},
    {"ext8", "\xc7\x01\x05\x00", 4, MSGPACK_OBJECT_EXT},
    {"ext16", "\xc8\x00\x01\x05\x00", 5, MSGPACK_OBJECT_EXT},
    {"ext32", "\xc9\x00\x00\x00\x01\x05\x00", 7, MSGPACK_OBJECT_EXT},
    {"float32", "\xca\x3f\x80\x00\x00", 5, MSGPACK_OBJECT_FLOAT32},
    {"float64", "\xcb\x3f\xf0\x00\x00\x00\x00\x00\x00", 9, MSGPACK_OBJECT_FLOAT64},
    {"uint8", "\xcc\xff", 2, MSGPACK_OBJECT_POSITIVE_INTEGER},
    {"uint16", "\xcd\xff\xff", 3, MSGPACK_OBJECT_POSITIVE_INTEGER},
    {"uint32", "\xce\xff\xff\xff\xff", 5, MSGPACK_OBJECT_POSITIVE_INTEGER},
    {"uint64", "\xcf\xff\xff\xff\xff\xff\xff\xff\xff", 9, MSGPACK_OBJECT_POSITIVE_INTEGER},
    {"int8", "\xd0\x80", 2, MSGPACK_OBJECT_NEGATIVE_INTEGER},
    {"int16", "\xd1\x80\x00", 3, MSGPACK_OBJECT_NEGATIVE_INTEGER},
    {"int32", "\xd2\x80\x00\x00\x00", 5, MSGPACK_OBJECT_NEGATIVE_INTEGER},
    {"int64", "\xd3\x80\x00\x00\x00\x00\x00\x00\x00", 9, MSGPACK_OBJECT_NEGATIVE_INTEGER},
    {"fixext1", "\xd4\x01\x00", 3, MSGPACK_OBJECT_EXT},
    {"fixext2", "\xd5\x01\x00\x00", 4, MSGPACK_OBJECT_EXT},
    {"fixext4", "\xd6\x01\x00\x00\x00\x00", 6, MSGPACK_OBJECT_EXT},
    {"fixext8", "\xd7\x01\x00\x00\x00\x00\x00\x00\x00\x00", 10, MSGPACK_OBJECT_EXT},
    {"fixext16",
     "\xd8\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 18,
     MSGPACK_OBJECT_EXT},
    {"fixstr", "\xa3" "abc", 4, MSGPACK_OBJECT_STR},
    {"empty fixstr", "\xa0", 1, MSGPACK_OBJECT_STR},
    {"str8", "\xd9\x01" "a", 3, MSGPACK_OBJECT_STR},
    {"str16", "\xda\x00\x01" "a", 4, MSGPACK_OBJECT_STR},
    {"str32", "\xdb\x00\x00\x00\x01" "a", 6, MSGPACK_OBJECT_STR},
    {"fixarray", "\x92\x01\x02", 3, MSGPACK_OBJECT_ARRAY},
    {"empty fixarray", "\x90", 1, MSGPACK_OBJECT_ARRAY},
    {"array16", "\xdc\x00\x01\xc0", 4, MSGPACK_OBJECT_ARRAY},
    {"array32", "\xdd\x00\x00\x00\x01\xc0", 6, MSGPACK_OBJECT_ARRAY},
    {"fixmap", "\x81\xa1k\x01", 4, MSGPACK_OBJECT_MAP},
    {"empty fixmap", "\x80", 1, MSGPACK_OBJECT_MAP},
    {"map16", "\xde\x00\x01\xa1k\xc0", 6, MSGPACK_OBJECT_MAP},
    {"map32", "\xdf\x00\x00\x00\x01\xa1k\xc0", 8, MSGPACK_OBJECT_MAP},
    {"map with a non-text key", "\x81\x01\x02", 3, MSGPACK_OBJECT_MAP},
};

TEST(check_and_parse_accept_every_valid_type)
{
    for (size_t i = 0; i < sizeof s_valid / sizeof s_valid[0]; i++) {
        sm_err_t e;
        sm_err_clear(&e);
        sm_doc_t *d = sm_doc_parse(s_valid[i].bytes, s_valid[i].size, &e);
        if (s_check(s_valid[i].bytes, s_valid[i].size, &e) != 0 || !d ||
            sm_doc_root(d)->type != s_valid[i].type) {
            printf("     case: %s (%s)\n", s_valid[i].why, e.message);
            CHECK(!"valid input accepted with its type");
        }
        sm_doc_destroy(&d);
        sm_doc_destroy(&d); /*  safe twice */
    }
}

TEST(parse_keeps_its_own_copy_of_the_bytes)
{
    char bytes[] = "\x81\xa4name\xa9Hilversum";
    sm_doc_t *d = sm_doc_parse(bytes, sizeof bytes - 1, NULL);
    CHECK(d != NULL);
    memset(bytes, 0, sizeof bytes);
    char buf[16];
    CHECK_INT(sm_get_str(sm_doc_root(d), "name", true, buf, sizeof buf, false, NULL), 1);
    CHECK_STR(buf, "Hilversum");
    sm_doc_destroy(&d);
}

/* ==== Typed getters ===================================================== */

/*  A map with one field of each kind the getters meet. */
static sm_doc_t *s_fields(void)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 16);
    sm_pack_kv_str(&b.pk, "name", "Hilversum");
    sm_pack_kv_str(&b.pk, "empty", "");
    sm_pack_kv_int(&b.pk, "capacity", 42);
    sm_pack_kv_int(&b.pk, "neg", -3);
    sm_pack_kv_uint(&b.pk, "huge", UINT64_MAX);
    sm_pack_kv_int(&b.pk, "min", INT64_MIN);
    sm_pack_str(&b.pk, "frac");
    msgpack_pack_double(&b.pk, 1.5);
    sm_pack_kv_bool(&b.pk, "flag", true);
    sm_pack_kv_nil(&b.pk, "nothing");
    sm_pack_str(&b.pk, "groups");
    msgpack_pack_array(&b.pk, 2);
    sm_pack_str(&b.pk, "youth");
    sm_pack_str(&b.pk, "elderly");
    sm_pack_str(&b.pk, "inner");
    msgpack_pack_map(&b.pk, 1);
    sm_pack_kv_int(&b.pk, "x", 1);
    sm_pack_str(&b.pk, "overlong");
    sm_pack_strn(&b.pk, "\xC0\xAF", 2);
    sm_pack_str(&b.pk, "nul");
    sm_pack_strn(&b.pk, "a\0b", 3);
    sm_pack_str(&b.pk, "blob");
    msgpack_pack_bin(&b.pk, 2);
    msgpack_pack_bin_body(&b.pk, "ab", 2);
    sm_pack_str(&b.pk, "mixed");
    msgpack_pack_array(&b.pk, 2);
    sm_pack_str(&b.pk, "youth");
    msgpack_pack_int(&b.pk, 7);
    sm_pack_str(&b.pk, "with_empty");
    msgpack_pack_array(&b.pk, 1);
    sm_pack_str(&b.pk, "");
    sm_err_t e;
    sm_doc_t *d = sm_doc_parse(b.sbuf.data, b.sbuf.size, &e);
    sm_buf_free(&b);
    return d;
}

TEST(get_str_present_absent_and_invalid)
{
    sm_doc_t *d = s_fields();
    const msgpack_object *m = sm_doc_root(d);
    char buf[16] = "untouched";
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(sm_get_str(m, "name", true, buf, sizeof buf, false, &e), 1);
    CHECK_STR(buf, "Hilversum");
    CHECK(!sm_err_is_set(&e));

    strcpy(buf, "untouched");
    CHECK_INT(sm_get_str(m, "missing", false, buf, sizeof buf, false, &e), 0);
    CHECK_STR(buf, "untouched");
    CHECK(!sm_err_is_set(&e));
    CHECK_INT(sm_get_str(m, "nothing", false, buf, sizeof buf, false, &e), 0);

    CHECK_INT(sm_get_str(m, "missing", true, buf, sizeof buf, false, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "missing", "field \"missing\" is required"));
    sm_err_clear(&e);
    CHECK_INT(sm_get_str(m, "nothing", true, buf, sizeof buf, false, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "nothing", "is required"));

    sm_err_clear(&e);
    CHECK_INT(sm_get_str(m, "capacity", true, buf, sizeof buf, false, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "capacity", "must be text, got a number"));
    CHECK_INT(sm_get_str(m, "frac", true, buf, sizeof buf, false, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "frac", "got a fractional number"));
    CHECK_INT(sm_get_str(m, "groups", true, buf, sizeof buf, false, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "groups", "got a list"));
    CHECK_INT(sm_get_str(m, "inner", true, buf, sizeof buf, false, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "inner", "got a map"));
    CHECK_INT(sm_get_str(m, "flag", true, buf, sizeof buf, false, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "flag", "got a boolean"));
    CHECK_INT(sm_get_str(m, "blob", true, buf, sizeof buf, false, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "blob", "got binary data"));

    CHECK_INT(sm_get_str(m, "empty", true, buf, sizeof buf, false, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "empty", "must not be empty"));
    CHECK_INT(sm_get_str(m, "empty", true, buf, sizeof buf, true, &e), 1);
    CHECK_STR(buf, "");

    CHECK_INT(sm_get_str(m, "overlong", true, buf, sizeof buf, false, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "overlong", "not valid UTF-8"));
    CHECK_INT(sm_get_str(m, "nul", true, buf, sizeof buf, false, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "nul", "NUL"));
    sm_doc_destroy(&d);
}

TEST(get_str_takes_exactly_size_minus_one_bytes)
{
    sm_doc_t *d = s_fields();
    const msgpack_object *m = sm_doc_root(d);
    char buf[10];
    sm_err_t e;
    CHECK_INT(sm_get_str(m, "name", true, buf, 10, false, &e), 1); /*  9 bytes */
    CHECK_STR(buf, "Hilversum");
    sm_err_clear(&e);
    CHECK_INT(sm_get_str(m, "name", true, buf, 9, false, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "name", "9 bytes long; at most 8"));
    sm_doc_destroy(&d);
}

TEST(get_text_returns_a_copy_within_max_bytes)
{
    sm_doc_t *d = s_fields();
    const msgpack_object *m = sm_doc_root(d);
    char *t = NULL;
    sm_err_t e;
    CHECK_INT(sm_get_text(m, "name", true, 100, &t, &e), 1);
    CHECK_STR(t, "Hilversum");
    free(t);
    t = NULL;
    CHECK_INT(sm_get_text(m, "missing", false, 100, &t, &e), 0);
    CHECK(t == NULL);
    sm_err_clear(&e);
    CHECK_INT(sm_get_text(m, "missing", true, 100, &t, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "missing", "required"));
    CHECK_INT(sm_get_text(m, "name", true, 5, &t, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "name", "at most 5"));
    CHECK_INT(sm_get_text(m, "empty", true, 5, &t, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "empty", "must not be empty"));
    CHECK_INT(sm_get_text(m, "capacity", true, 5, &t, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "capacity", "must be text"));
    CHECK_INT(sm_get_text(m, "nul", true, 5, &t, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "nul", "UTF-8"));
    CHECK(t == NULL);
    sm_doc_destroy(&d);
}

TEST(get_int_present_absent_and_invalid)
{
    sm_doc_t *d = s_fields();
    const msgpack_object *m = sm_doc_root(d);
    int64_t v = 99;
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(sm_get_int(m, "capacity", true, 1, 10000, &v, &e), 1);
    CHECK_INT(v, 42);
    CHECK_INT(sm_get_int(m, "neg", true, -10, 10, &v, &e), 1);
    CHECK_INT(v, -3);
    CHECK_INT(sm_get_int(m, "min", true, INT64_MIN, INT64_MAX, &v, &e), 1);
    CHECK(v == INT64_MIN);
    CHECK(!sm_err_is_set(&e));
    v = 99;
    CHECK_INT(sm_get_int(m, "missing", false, 1, 10000, &v, &e), 0);
    CHECK_INT(v, 99);
    CHECK_INT(sm_get_int(m, "missing", true, 1, 10000, &v, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "missing", "is required"));

    CHECK_INT(sm_get_int(m, "neg", true, 1, 10000, &v, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "neg",
                   "field \"neg\" must be a whole number from 1 to 10000, got -3"));
    CHECK_INT(sm_get_int(m, "capacity", true, 1, 10, &v, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "capacity", "from 1 to 10, got 42"));
    CHECK_INT(sm_get_int(m, "huge", true, 0, INT64_MAX, &v, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "huge", "must be a whole number"));
    CHECK_INT(sm_get_int(m, "frac", true, 0, 10, &v, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "frac", "got a fractional number"));
    CHECK_INT(sm_get_int(m, "name", true, 0, 10, &v, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "name", "got text"));
    CHECK_INT(sm_get_int(m, "flag", true, 0, 10, &v, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "flag", "got a boolean"));
    CHECK_INT(v, 99); /*  untouched by refusals */
    sm_doc_destroy(&d);
}

TEST(get_uint_present_absent_and_invalid)
{
    sm_doc_t *d = s_fields();
    const msgpack_object *m = sm_doc_root(d);
    uint64_t v = 99;
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(sm_get_uint(m, "capacity", true, 1000, &v, &e), 1);
    CHECK_INT(v, 42);
    CHECK_INT(sm_get_uint(m, "huge", true, UINT64_MAX, &v, &e), 1);
    CHECK(v == UINT64_MAX);
    CHECK(!sm_err_is_set(&e));
    v = 99;
    CHECK_INT(sm_get_uint(m, "missing", false, 10, &v, &e), 0);
    CHECK_INT(v, 99);
    CHECK_INT(sm_get_uint(m, "nothing", true, 10, &v, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "nothing", "is required"));
    CHECK_INT(sm_get_uint(m, "capacity", true, 10, &v, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "capacity", "from 0 to 10, got a larger number"));
    CHECK_INT(sm_get_uint(m, "neg", true, 10, &v, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "neg", "from 0 to 10"));
    CHECK_INT(sm_get_uint(m, "name", true, 10, &v, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "name", "got text"));
    CHECK_INT(v, 99);
    sm_doc_destroy(&d);
}

TEST(get_bool_present_absent_and_invalid)
{
    sm_doc_t *d = s_fields();
    const msgpack_object *m = sm_doc_root(d);
    bool v = false;
    sm_err_t e;
    CHECK_INT(sm_get_bool(m, "flag", true, &v, &e), 1);
    CHECK(v == true);
    CHECK_INT(sm_get_bool(m, "missing", false, &v, &e), 0);
    sm_err_clear(&e);
    CHECK_INT(sm_get_bool(m, "missing", true, &v, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "missing", "is required"));
    CHECK_INT(sm_get_bool(m, "capacity", true, &v, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "capacity",
                   "field \"capacity\" must be true or false, got a number"));
    CHECK_INT(sm_get_bool(m, "name", false, &v, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "name", "got text"));
    sm_doc_destroy(&d);
}

TEST(get_str_array_present_absent_and_invalid)
{
    sm_doc_t *d = s_fields();
    const msgpack_object *m = sm_doc_root(d);
    char items[4][8];
    size_t n = 99;
    sm_err_t e;
    CHECK_INT(sm_get_str_array(m, "groups", true, &items[0][0], 8, 4, &n, &e), 1);
    CHECK_INT(n, 2);
    CHECK_STR(items[0], "youth");
    CHECK_STR(items[1], "elderly");
    n = 99;
    CHECK_INT(sm_get_str_array(m, "missing", false, &items[0][0], 8, 4, &n, &e), 0);
    CHECK_INT(n, 0);
    sm_err_clear(&e);
    CHECK_INT(sm_get_str_array(m, "missing", true, &items[0][0], 8, 4, &n, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "missing", "is required"));
    CHECK_INT(sm_get_str_array(m, "groups", true, &items[0][0], 8, 1, &n, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "groups", "has 2 items; at most 1"));
    CHECK_INT(sm_get_str_array(m, "groups", true, &items[0][0], 6, 4, &n, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "groups", "at most 5"));
    CHECK_INT(sm_get_str_array(m, "name", true, &items[0][0], 8, 4, &n, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "name", "must be a list of text, got text"));
    CHECK_INT(sm_get_str_array(m, "mixed", true, &items[0][0], 8, 4, &n, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "mixed", "must be text, got a number"));
    CHECK_INT(sm_get_str_array(m, "with_empty", true, &items[0][0], 8, 4, &n, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "with_empty", "must not be empty"));
    sm_doc_destroy(&d);
}

TEST(get_map_and_get_array_present_absent_and_invalid)
{
    sm_doc_t *d = s_fields();
    const msgpack_object *m = sm_doc_root(d), *o = NULL;
    sm_err_t e;
    CHECK_INT(sm_get_map(m, "inner", true, &o, &e), 1);
    CHECK(o && o->type == MSGPACK_OBJECT_MAP && o->via.map.size == 1);
    o = NULL;
    CHECK_INT(sm_get_map(m, "missing", false, &o, &e), 0);
    CHECK(o == NULL);
    sm_err_clear(&e);
    CHECK_INT(sm_get_map(m, "missing", true, &o, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "missing", "is required"));
    CHECK_INT(sm_get_map(m, "groups", true, &o, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "groups", "must be a map, got a list"));

    CHECK_INT(sm_get_array(m, "groups", true, &o, &e), 1);
    CHECK(o && o->type == MSGPACK_OBJECT_ARRAY && o->via.array.size == 2);
    CHECK_INT(sm_get_array(m, "nothing", false, &o, &e), 0);
    CHECK_INT(sm_get_array(m, "inner", true, &o, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "inner", "must be a list, got a map"));
    sm_doc_destroy(&d);
}

TEST(getters_on_something_that_is_not_a_map_see_absent_fields)
{
    sm_doc_t *d = sm_doc_parse("\x92\x01\x02", 3, NULL);
    const msgpack_object *arr = sm_doc_root(d);
    int64_t v;
    char buf[8];
    CHECK(sm_map_get(arr, "x") == NULL);
    CHECK(sm_map_get(NULL, "x") == NULL);
    CHECK_INT(sm_get_int(arr, "x", false, 0, 1, &v, NULL), 0);
    CHECK_INT(sm_get_str(arr, "x", true, buf, sizeof buf, false, NULL), -1);
    CHECK_INT(sm_get_str(NULL, "x", false, buf, sizeof buf, false, NULL), 0);
    CHECK_INT(sm_check_keys(arr, (const char *const[]){"a", NULL}, NULL), 0);
    sm_doc_destroy(&d);
}

TEST(getters_accept_a_null_error_pointer)
{
    sm_doc_t *d = s_fields();
    const msgpack_object *m = sm_doc_root(d);
    int64_t v;
    CHECK_INT(sm_get_int(m, "name", true, 0, 1, &v, NULL), -1);
    CHECK_INT(sm_get_int(m, "missing", true, 0, 1, &v, NULL), -1);
    sm_doc_destroy(&d);
}

TEST(obj_streq_compares_whole_strings_only)
{
    sm_doc_t *d = s_fields();
    const msgpack_object *name = sm_map_get(sm_doc_root(d), "name");
    CHECK(sm_obj_streq(name, "Hilversum"));
    CHECK(!sm_obj_streq(name, "Hilver"));
    CHECK(!sm_obj_streq(name, "Hilversum2"));
    CHECK(!sm_obj_streq(NULL, "Hilversum"));
    CHECK(!sm_obj_streq(sm_map_get(sm_doc_root(d), "capacity"), "42"));
    sm_doc_destroy(&d);
}

/* ==== Key checks ======================================================== */

TEST(check_keys_names_the_unknown_field_and_lists_the_accepted_ones)
{
    static const char *const keys[] = {"op", "args", "rid", NULL};
    static const char ok[] = "\x82\xa2op\xa1x\xa4"
                             "args\x80";
    sm_doc_t *d = sm_doc_parse(ok, sizeof ok - 1, NULL);
    CHECK(d != NULL);
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(sm_check_keys(sm_doc_root(d), keys, &e), 0);
    CHECK(!sm_err_is_set(&e));
    sm_doc_destroy(&d);

    static const char extra[] = "\x82\xa2op\xa1x\xa5"
                                "extra\x80";
    d = sm_doc_parse(extra, sizeof extra - 1, NULL);
    CHECK_INT(sm_check_keys(sm_doc_root(d), keys, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "extra", "unknown field \"extra\""));
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "extra", "accepted fields: op, args, rid"));
    sm_doc_destroy(&d);
}

TEST(check_keys_does_not_echo_a_binary_or_huge_key)
{
    static const char *const keys[] = {"op", NULL};
    /*  {1: 2} - a key that is not text */
    sm_doc_t *d = sm_doc_parse("\x81\x01\x02", 3, NULL);
    sm_err_t e;
    CHECK_INT(sm_check_keys(sm_doc_root(d), keys, &e), -1);
    CHECK(s_err_is(&e, SM_E_INVALID_ARGUMENT, "?", "unknown field \"?\""));
    sm_doc_destroy(&d);
    /*  a 300-byte text key is cut to fit the field name */
    sm_buf_t b;
    sm_buf_init(&b);
    char big[300];
    memset(big, 'k', sizeof big);
    msgpack_pack_map(&b.pk, 1);
    sm_pack_strn(&b.pk, big, sizeof big);
    msgpack_pack_nil(&b.pk);
    d = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    CHECK_INT(sm_check_keys(sm_doc_root(d), keys, &e), -1);
    CHECK(strlen(e.field) <= 60);
    CHECK(strlen(e.message) < sizeof e.message - 1);
    sm_doc_destroy(&d);
    sm_buf_free(&b);
    /*  an invalid UTF-8 key is not echoed */
    d = sm_doc_parse("\x81\xa2\xc0\xaf\x01", 5, NULL);
    CHECK_INT(sm_check_keys(sm_doc_root(d), keys, &e), -1);
    CHECK_STR(e.field, "?");
    sm_doc_destroy(&d);
}

/* ==== Encoding: pack -> parse round trip ================================ */

TEST(packed_values_parse_back_to_the_same_values)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 8);
    sm_pack_kv_str(&b.pk, "name", "'s-Hertogenbosch");
    sm_pack_kv_str(&b.pk, "none", NULL);
    sm_pack_kv_int(&b.pk, "cents", -2250000);
    sm_pack_kv_int(&b.pk, "big", INT64_MAX);
    sm_pack_kv_uint(&b.pk, "seq", UINT64_MAX);
    sm_pack_kv_bool(&b.pk, "yes", true);
    sm_pack_kv_nil(&b.pk, "nil");
    sm_pack_str(&b.pk, "raw");
    sm_pack_raw(&b.pk, "\x92\xa1" "a\x07", 4); /*  ["a", 7] already encoded */
    sm_err_t e;
    sm_err_clear(&e);
    sm_doc_t *d = sm_doc_parse(b.sbuf.data, b.sbuf.size, &e);
    CHECK(d != NULL);
    const msgpack_object *m = sm_doc_root(d);
    char s[32];
    int64_t i;
    uint64_t u;
    bool f;
    const msgpack_object *raw;
    CHECK_INT(sm_get_str(m, "name", true, s, sizeof s, false, &e), 1);
    CHECK_STR(s, "'s-Hertogenbosch");
    CHECK_INT(sm_get_str(m, "none", false, s, sizeof s, false, &e), 0);
    CHECK_INT(sm_get_int(m, "cents", true, INT64_MIN, INT64_MAX, &i, &e), 1);
    CHECK_INT(i, -2250000);
    CHECK_INT(sm_get_int(m, "big", true, INT64_MIN, INT64_MAX, &i, &e), 1);
    CHECK(i == INT64_MAX);
    CHECK_INT(sm_get_uint(m, "seq", true, UINT64_MAX, &u, &e), 1);
    CHECK(u == UINT64_MAX);
    CHECK_INT(sm_get_bool(m, "yes", true, &f, &e), 1);
    CHECK(f);
    CHECK(sm_map_get(m, "nil") && sm_map_get(m, "nil")->type == MSGPACK_OBJECT_NIL);
    CHECK_INT(sm_get_array(m, "raw", true, &raw, &e), 1);
    CHECK(raw->via.array.size == 2 && sm_obj_streq(&raw->via.array.ptr[0], "a") &&
          raw->via.array.ptr[1].via.u64 == 7);

    /*  sm_pack_obj re-encodes the decoded document to the same bytes. */
    sm_buf_t again;
    sm_buf_init(&again);
    sm_pack_obj(&again.pk, m);
    CHECK_INT(again.sbuf.size, b.sbuf.size);
    CHECK(memcmp(again.sbuf.data, b.sbuf.data, b.sbuf.size) == 0);
    sm_buf_free(&again);
    sm_doc_destroy(&d);

    /*  reset reuses the buffer; free is safe twice */
    sm_buf_reset(&b);
    CHECK_INT(b.sbuf.size, 0);
    sm_pack_str(&b.pk, "x");
    CHECK_INT(b.sbuf.size, 2);
    sm_buf_free(&b);
    sm_buf_free(&b);
}

TEST(long_strings_round_trip_through_str16_and_str32)
{
    size_t sizes[] = {31, 32, 255, 256, 65535, 65536, 200000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        char *s = malloc(n);
        memset(s, 'x', n);
        sm_buf_t b;
        sm_buf_init(&b);
        msgpack_pack_map(&b.pk, 1);
        sm_pack_str(&b.pk, "t");
        sm_pack_strn(&b.pk, s, n);
        sm_doc_t *d = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
        char *out = NULL;
        CHECK(d != NULL);
        CHECK_INT(sm_get_text(sm_doc_root(d), "t", true, n, &out, NULL), 1);
        CHECK(out && strlen(out) == n);
        free(out);
        sm_doc_destroy(&d);
        sm_buf_free(&b);
        free(s);
    }
}

int main(void)
{
    RUN(check_refuses_each_nasty_input_with_a_clear_message);
    RUN(parse_refuses_the_4_billion_element_array_without_allocating);
    RUN(check_refuses_empty_input);
    RUN(check_refuses_every_truncation_of_a_valid_request);
    RUN(check_refuses_1000_deep_nesting);
    RUN(check_accepts_nesting_up_to_the_limit);
    RUN(check_refuses_more_objects_than_the_limit);
    RUN(check_and_parse_accept_every_valid_type);
    RUN(parse_keeps_its_own_copy_of_the_bytes);
    RUN(get_str_present_absent_and_invalid);
    RUN(get_str_takes_exactly_size_minus_one_bytes);
    RUN(get_text_returns_a_copy_within_max_bytes);
    RUN(get_int_present_absent_and_invalid);
    RUN(get_uint_present_absent_and_invalid);
    RUN(get_bool_present_absent_and_invalid);
    RUN(get_str_array_present_absent_and_invalid);
    RUN(get_map_and_get_array_present_absent_and_invalid);
    RUN(getters_on_something_that_is_not_a_map_see_absent_fields);
    RUN(getters_accept_a_null_error_pointer);
    RUN(obj_streq_compares_whole_strings_only);
    RUN(check_keys_names_the_unknown_field_and_lists_the_accepted_ones);
    RUN(check_keys_does_not_echo_a_binary_or_huge_key);
    RUN(packed_values_parse_back_to_the_same_values);
    RUN(long_strings_round_trip_through_str16_and_str32);
    return DONE();
}
