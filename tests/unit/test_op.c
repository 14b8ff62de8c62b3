/*  tests/unit/test_op.c - checking arguments against an op's declaration:
    every type, its limits, and the refusals naming the field. */
#include "common/op.h"
#include "proto/ops.h"
#include "tests/unit/test.h"
#include <stdlib.h>

static const char *const s_kinds[] = {"advice", "signal", NULL};

static const sm_opdecl_t s_op = {
    .name = "thing.add",
    .flags = SM_OP_WRITE,
    .roles = R_COORD,
    .summary = "add a thing",
    .args = (const sm_arg_t[]){
        {.name = "name", .type = SM_T_STR, .flags = SM_A_REQUIRED, .max = 10, .help = "its name"},
        {.name = "note", .type = SM_T_TEXT, .max = 50, .help = "a note"},
        {.name = "count", .type = SM_T_INT, .min = 1, .max = 5, .help = "how many"},
        {.name = "amount_cents", .type = SM_T_MONEY, .help = "how much"},
        {.name = "urgent", .type = SM_T_BOOL, .help = "urgent?"},
        {.name = "on", .type = SM_T_DATE, .help = "when"},
        {.name = "participant", .type = SM_T_ID, .letter = 'P', .help = "who"},
        {.name = "kind", .type = SM_T_ENUM, .values = s_kinds, .help = "what kind"},
        {.name = "labels", .type = SM_T_LIST, .max = 3, .item_max = 5, .help = "labels"},
        {.name = "sessions", .type = SM_T_LIST, .item = SM_T_ID, .letter = 'S', .help = "sessions"},
        {.name = "extra", .type = SM_T_MAP, .help = "anything"},
        {0}}};

static sm_doc_t *s_doc(sm_buf_t *b)
{
    return sm_doc_parse(b->sbuf.data, b->sbuf.size, NULL);
}

/*  Check args; returns the checked values or NULL with *e set. */
static sm_args_t *s_check(sm_buf_t *b, sm_err_t *e, sm_doc_t **doc)
{
    *doc = s_doc(b);
    sm_err_clear(e);
    return sm_args_check(&s_op, sm_doc_root(*doc), e);
}

TEST(every_type_is_checked_and_read_back_in_canonical_form)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 11);
    sm_pack_kv_str(&b.pk, "name", "  Ab  ");
    sm_pack_kv_str(&b.pk, "note", "line one\r\nline\ttwo");
    sm_pack_kv_int(&b.pk, "count", 3);
    sm_pack_kv_int(&b.pk, "amount_cents", 1500);
    sm_pack_kv_bool(&b.pk, "urgent", true);
    sm_pack_kv_str(&b.pk, "on", "2020-03-12");
    sm_pack_kv_str(&b.pk, "participant", "p12");
    sm_pack_kv_str(&b.pk, "kind", "Signal");
    sm_pack_str(&b.pk, "labels");
    msgpack_pack_array(&b.pk, 2);
    sm_pack_str(&b.pk, "a");
    sm_pack_str(&b.pk, " b ");
    sm_pack_str(&b.pk, "sessions");
    msgpack_pack_array(&b.pk, 1);
    sm_pack_str(&b.pk, "s31");
    sm_pack_str(&b.pk, "extra");
    msgpack_pack_map(&b.pk, 0);
    sm_err_t e;
    sm_doc_t *doc;
    sm_args_t *a = s_check(&b, &e, &doc);
    CHECK(a != NULL);
    if (a) {
        CHECK_STR(sm_args_str(a, "name"), "Ab");
        CHECK_STR(sm_args_str(a, "note"), "line one\nline\ttwo");
        CHECK_INT(sm_args_int(a, "count", 0), 3);
        CHECK_INT(sm_args_int(a, "amount_cents", 0), 1500);
        CHECK(sm_args_bool(a, "urgent", false));
        sm_date_t d;
        CHECK(sm_args_date(a, "on", &d) && d.y == 2020 && d.m == 3 && d.d == 12);
        CHECK_STR(sm_args_str(a, "participant"), "P12");
        CHECK_INT(sm_args_id(a, "participant"), 12);
        CHECK_STR(sm_args_str(a, "kind"), "signal");
        const char *const *items;
        CHECK_INT(sm_args_list(a, "labels", &items), 2);
        CHECK_STR(items[1], "b");
        const uint64_t *ids;
        CHECK_INT(sm_args_ids(a, "sessions", &ids), 1);
        CHECK_INT(ids[0], 31);
        CHECK(sm_args_obj(a, "extra") != NULL);
    }
    sm_args_destroy(&a);
    CHECK(a == NULL);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

TEST(absent_optional_arguments_read_as_their_defaults)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 2);
    sm_pack_kv_str(&b.pk, "name", "x");
    sm_pack_kv_nil(&b.pk, "count"); /*  nil counts as absent */
    sm_err_t e;
    sm_doc_t *doc;
    sm_args_t *a = s_check(&b, &e, &doc);
    CHECK(a != NULL);
    if (a) {
        CHECK(!sm_args_has(a, "count"));
        CHECK_INT(sm_args_int(a, "count", 7), 7);
        CHECK(sm_args_str(a, "note") == NULL);
        CHECK_INT(sm_args_id(a, "participant"), 0);
        const char *const *items;
        CHECK_INT(sm_args_list(a, "labels", &items), 0);
    }
    sm_args_destroy(&a);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

/*  Check a map with name "x" plus one more pair packed by the caller; the
    refusal must name field and contain what. */
static void s_refused(void (*pack)(msgpack_packer *), const char *field, const char *what)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 2);
    sm_pack_kv_str(&b.pk, "name", "x");
    pack(&b.pk);
    sm_err_t e;
    sm_doc_t *doc;
    sm_args_t *a = s_check(&b, &e, &doc);
    CHECK(a == NULL);
    CHECK_STR(e.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(e.field, field);
    if (!strstr(e.message, what))
        printf("     message: %s (wanted \"%s\")\n", e.message, what);
    CHECK(strstr(e.message, what) != NULL);
    sm_args_destroy(&a);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

static void p_unknown(msgpack_packer *pk) { sm_pack_kv_int(pk, "colour", 1); }
static void p_dup(msgpack_packer *pk) { sm_pack_kv_str(pk, "name", "y"); }
static void p_count_big(msgpack_packer *pk) { sm_pack_kv_int(pk, "count", 6); }
static void p_count_float(msgpack_packer *pk)
{
    sm_pack_str(pk, "count");
    msgpack_pack_double(pk, 2.5);
}
static void p_money_neg(msgpack_packer *pk) { sm_pack_kv_int(pk, "amount_cents", -1); }
static void p_money_frac(msgpack_packer *pk)
{
    sm_pack_str(pk, "amount_cents");
    msgpack_pack_double(pk, 10.5);
}
static void p_date_bad(msgpack_packer *pk) { sm_pack_kv_str(pk, "on", "2020-02-31"); }
static void p_id_bad(msgpack_packer *pk) { sm_pack_kv_str(pk, "participant", "S12"); }
static void p_enum_bad(msgpack_packer *pk) { sm_pack_kv_str(pk, "kind", "rumour"); }
static void p_bool_bad(msgpack_packer *pk) { sm_pack_kv_str(pk, "urgent", "yes"); }
static void p_note_esc(msgpack_packer *pk) { sm_pack_kv_str(pk, "note", "a\x1b[2Jb"); }
static void p_list_long(msgpack_packer *pk)
{
    sm_pack_str(pk, "labels");
    msgpack_pack_array(pk, 4);
    for (int i = 0; i < 4; i++)
        sm_pack_str(pk, "a");
}
static void p_item_long(msgpack_packer *pk)
{
    sm_pack_str(pk, "labels");
    msgpack_pack_array(pk, 1);
    sm_pack_str(pk, "abcdef");
}
static void p_item_id(msgpack_packer *pk)
{
    sm_pack_str(pk, "sessions");
    msgpack_pack_array(pk, 2);
    sm_pack_str(pk, "S1");
    sm_pack_str(pk, "T1");
}
static void p_map_bad(msgpack_packer *pk) { sm_pack_kv_int(pk, "extra", 1); }

TEST(each_bad_value_is_refused_naming_the_field_and_what_is_accepted)
{
    s_refused(p_unknown, "colour", "unknown argument \"colour\" for thing.add; it takes: name");
    s_refused(p_dup, "name", "given twice");
    s_refused(p_count_big, "count", "a whole number from 1 to 5");
    s_refused(p_count_float, "count", "is not a whole number");
    s_refused(p_money_neg, "amount_cents", "a negative amount");
    s_refused(p_money_frac, "amount_cents", "a fraction of a cent");
    s_refused(p_date_bad, "on", "2020-02-31");
    s_refused(p_id_bad, "participant", "an ID like P12");
    s_refused(p_enum_bad, "kind", "one of advice or signal");
    s_refused(p_bool_bad, "urgent", "true or false");
    s_refused(p_note_esc, "note", "control character (U+001B)");
    s_refused(p_list_long, "labels", "has 4 items");
    s_refused(p_item_long, "labels", "item 1 of field \"labels\" is 6 characters long; give at most 5");
    s_refused(p_item_id, "sessions", "item 2 of field \"sessions\" must be an ID like S12");
    s_refused(p_map_bad, "extra", "is not a map");
}

TEST(a_required_argument_missing_or_one_line_text_with_a_newline_is_refused)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 0);
    sm_err_t e;
    sm_doc_t *doc;
    sm_args_t *a = s_check(&b, &e, &doc);
    CHECK(a == NULL);
    CHECK_STR(e.field, "name");
    CHECK(strstr(e.message, "is required: its name") != NULL);
    sm_doc_destroy(&doc);
    sm_buf_reset(&b);
    msgpack_pack_map(&b.pk, 1);
    sm_pack_kv_str(&b.pk, "name", "two\nlines");
    a = s_check(&b, &e, &doc);
    CHECK(a == NULL);
    CHECK(strstr(e.message, "U+000A") != NULL);
    sm_doc_destroy(&doc);
    sm_buf_reset(&b);
    msgpack_pack_map(&b.pk, 1);
    sm_pack_kv_str(&b.pk, "name", "   ");
    a = s_check(&b, &e, &doc);
    CHECK(a == NULL);
    CHECK(strstr(e.message, "is empty; give 1 to 10 characters") != NULL);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

TEST(bidi_overrides_and_invalid_utf8_are_refused)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 1);
    sm_pack_kv_str(&b.pk, "name", "ab\xe2\x80\xaeZ"); /*  U+202E right-to-left override */
    sm_err_t e;
    sm_doc_t *doc;
    sm_args_t *a = s_check(&b, &e, &doc);
    CHECK(a == NULL);
    CHECK(strstr(e.message, "U+202E") != NULL);
    sm_doc_destroy(&doc);
    sm_buf_reset(&b);
    msgpack_pack_map(&b.pk, 1);
    sm_pack_kv_str(&b.pk, "name", "a\xff");
    a = s_check(&b, &e, &doc);
    CHECK(a == NULL);
    CHECK(strstr(e.message, "not valid UTF-8") != NULL);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

static void s_count_id(const char *id, void *arg)
{
    (void)id;
    (*(int *)arg)++;
}

TEST(the_ids_among_the_arguments_are_visited_for_the_audit_log)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 3);
    sm_pack_kv_str(&b.pk, "name", "x");
    sm_pack_kv_str(&b.pk, "participant", "P3");
    sm_pack_str(&b.pk, "sessions");
    msgpack_pack_array(&b.pk, 2);
    sm_pack_str(&b.pk, "S1");
    sm_pack_str(&b.pk, "S2");
    sm_err_t e;
    sm_doc_t *doc;
    sm_args_t *a = s_check(&b, &e, &doc);
    int n = 0;
    if (a)
        sm_args_each_id(a, s_count_id, &n);
    CHECK_INT(n, 3);
    sm_args_destroy(&a);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

TEST(a_declaration_packs_for_service_info_and_roles_allow_as_declared)
{
    sm_buf_t b;
    sm_buf_init(&b);
    sm_decl_pack(&b.pk, &s_op);
    sm_doc_t *doc = s_doc(&b);
    CHECK(doc != NULL);
    const msgpack_object *m = sm_doc_root(doc);
    CHECK(sm_obj_streq(sm_map_get(m, "kind"), "write"));
    const msgpack_object *args = sm_map_get(m, "args");
    CHECK(args && args->type == MSGPACK_OBJECT_ARRAY && args->via.array.size == 11);
    const msgpack_object *roles = sm_map_get(m, "roles");
    CHECK(roles && roles->via.array.size == 2);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
    CHECK(sm_decl_allows(&s_op, SM_ROLE_COORDINATOR));
    CHECK(!sm_decl_allows(&s_op, SM_ROLE_AUDITOR | SM_ROLE_FINANCE));
    char acc[200];
    CHECK_STR(sm_arg_accepts(&s_op.args[0], acc, sizeof acc), "1 to 10 characters on one line");
}

static const sm_opdecl_t s_years_op = {
    .name = "thing.plan",
    .flags = SM_OP_WRITE,
    .roles = R_COORD,
    .summary = "plan a thing",
    .args = (const sm_arg_t[]){{.name = "years", .type = SM_T_LIST, .item = SM_T_INT,
                                .min = 1, .max = 3, .item_min = 2000, .item_max = 2100,
                                .help = "agenda years"},
                               {0}}};

/*  Check {"years": [items...]} against s_years_op; n items from ys, or one
    text item when text is not NULL. */
static sm_args_t *s_years(const int64_t *ys, size_t n, const char *text, sm_err_t *e,
                          sm_doc_t **doc)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 1);
    sm_pack_str(&b.pk, "years");
    msgpack_pack_array(&b.pk, text ? 1 : n);
    if (text)
        sm_pack_str(&b.pk, text);
    for (size_t i = 0; !text && i < n; i++)
        msgpack_pack_int64(&b.pk, ys[i]);
    *doc = s_doc(&b);
    sm_buf_free(&b);
    sm_err_clear(e);
    return sm_args_check(&s_years_op, sm_doc_root(*doc), e);
}

TEST(a_list_of_whole_numbers_is_checked_item_by_item)
{
    sm_err_t e;
    sm_doc_t *doc;
    const int64_t good[] = {2021, 2020};
    sm_args_t *a = s_years(good, 2, NULL, &e, &doc);
    CHECK(a != NULL);
    const int64_t *ys = NULL;
    if (a) {
        CHECK_INT(sm_args_ints(a, "years", &ys), 2);
        CHECK(ys && ys[0] == 2021 && ys[1] == 2020);
    }
    sm_args_destroy(&a);
    sm_doc_destroy(&doc);
    const int64_t low[] = {2020, 1999};
    a = s_years(low, 2, NULL, &e, &doc);
    CHECK(a == NULL);
    CHECK_STR(e.field, "years");
    CHECK(strstr(e.message, "item 2 of field \"years\" is 1999; give a list of 1 to 3 items, "
                            "each a whole number from 2000 to 2100") != NULL);
    sm_doc_destroy(&doc);
    a = s_years(NULL, 0, "2020", &e, &doc);
    CHECK(a == NULL);
    CHECK(strstr(e.message, "item 1 of field \"years\" is not a whole number") != NULL);
    sm_doc_destroy(&doc);
    a = s_years(NULL, 0, NULL, &e, &doc);
    CHECK(a == NULL);
    CHECK(strstr(e.message, "has 0 items") != NULL);
    sm_doc_destroy(&doc);
    char acc[200];
    CHECK_STR(sm_arg_accepts(&s_years_op.args[0], acc, sizeof acc),
              "a list of 1 to 3 items, each a whole number from 2000 to 2100");
}

TEST(samenctl_flags_come_from_argument_names)
{
    char f[64];
    const sm_arg_t as_of = {.name = "as_of", .type = SM_T_DATE};
    const sm_arg_t amount = {.name = "amount_cents", .type = SM_T_MONEY};
    const sm_arg_t count = {.name = "count_cents", .type = SM_T_INT};
    const sm_arg_t flagged = {.name = "labels", .type = SM_T_LIST, .flag = "label"};
    CHECK_STR(sm_arg_flag(&as_of, f, sizeof f), "as-of");
    CHECK_STR(sm_arg_flag(&amount, f, sizeof f), "amount");
    CHECK_STR(sm_arg_flag(&count, f, sizeof f), "count-cents");
    CHECK_STR(sm_arg_flag(&flagged, f, sizeof f), "label");
}

int main(void)
{
    RUN(every_type_is_checked_and_read_back_in_canonical_form);
    RUN(samenctl_flags_come_from_argument_names);
    RUN(absent_optional_arguments_read_as_their_defaults);
    RUN(each_bad_value_is_refused_naming_the_field_and_what_is_accepted);
    RUN(a_required_argument_missing_or_one_line_text_with_a_newline_is_refused);
    RUN(bidi_overrides_and_invalid_utf8_are_refused);
    RUN(the_ids_among_the_arguments_are_visited_for_the_audit_log);
    RUN(a_declaration_packs_for_service_info_and_roles_allow_as_declared);
    RUN(a_list_of_whole_numbers_is_checked_item_by_item);
    return DONE();
}
