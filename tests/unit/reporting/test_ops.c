/*  tests/unit/reporting/test_ops.c - reporting's op declarations
    (proto/ops_reporting.c): who may call what, limits that are the rules'
    own, enum values the rules parse, and the checks the loop makes before
    any handler runs. */
#include "proto/ops.h"
#include "services/reporting/outcome_rules.h"
#include "services/reporting/overview.h"
#include "services/reporting/report_rules.h"
#include "services/reporting/youth.h"
#include "services/reporting/youth_report.h"
#include "tests/unit/test.h"
#include <stdlib.h>

/*  The declaration of op (which must exist). */
static const sm_opdecl_t *s_op(const char *name)
{
    const sm_opdecl_t *op = sm_decl_find(sm_ops_reporting, name);
    if (!op)
        printf("     no declaration of %s\n", name);
    return op;
}

/*  The declaration of argument name of op, or NULL. */
static const sm_arg_t *s_arg(const char *op, const char *name)
{
    const sm_opdecl_t *d = s_op(op);
    for (size_t i = 0; d && d->args && d->args[i].name; i++)
        if (strcmp(d->args[i].name, name) == 0)
            return &d->args[i];
    printf("     %s declares no argument %s\n", op, name);
    return NULL;
}

/*  The declared max of an argument, -1 when it is not declared. */
static int64_t s_max(const char *op, const char *name)
{
    const sm_arg_t *a = s_arg(op, name);
    return a ? a->max : -1;
}

/*  Check the packed map in b against op's declaration. */
static sm_args_t *s_check(const char *op, sm_buf_t *b, sm_err_t *e, sm_doc_t **doc)
{
    *doc = sm_doc_parse(b->sbuf.data, b->sbuf.size, NULL);
    sm_err_clear(e);
    return sm_args_check(s_op(op), sm_doc_root(*doc), e);
}

TEST(writes_need_a_coordinator_reads_any_reading_role_and_no_auditor_sees_personal_data)
{
    size_t n = 0;
    for (const sm_opdecl_t *op = sm_ops_reporting; op->name; op++, n++) {
        bool write = op->flags & SM_OP_WRITE;
        if (write)
            CHECK_INT(op->roles, R_COORD);
        else
            CHECK_INT(op->roles & R_READ, R_READ);
        CHECK(!sm_decl_allows(op, SM_ROLE_SUBSCRIBER));
        CHECK_INT(op->personal & (SM_ROLE_AUDITOR | SM_ROLE_FINANCE), 0);
        CHECK(op->summary && op->summary[0]);
        for (size_t i = 0; op->args && op->args[i].name; i++)
            CHECK(op->args[i].help && op->args[i].help[0]);
        if (!write && !(op->flags & SM_OP_PERSONAL))
            CHECK_INT(op->personal, 0);
    }
    CHECK_INT(n, 37); //  26, report.react|reactions, decision.add|get|list,
                      //  yardstick.record|show|missing|checklist, report.public.list|get
    //  A resident's reaction: recorded by those who run the programme, its
    //  words shown to them only.
    CHECK_INT(s_op("report.react")->roles, R_COORD);
    CHECK(s_op("report.reactions")->flags & SM_OP_PERSONAL);
    CHECK_INT(s_op("report.reactions")->personal, R_COORD);
    CHECK(sm_decl_allows(s_op("report.reactions"), SM_ROLE_AUDITOR));
    //  The public view (samen-site): readable by the role service:site,
    //  nothing personal in it, and never a write or a draft for that role.
    CHECK(sm_decl_allows(s_op("report.public.list"), SM_ROLE_SVC_SITE));
    CHECK(sm_decl_allows(s_op("report.public.get"), SM_ROLE_SVC_SITE));
    CHECK(!(s_op("report.public.get")->flags & SM_OP_PERSONAL));
    CHECK(!sm_decl_allows(s_op("report.get"), SM_ROLE_SVC_SITE));
    CHECK(!sm_decl_allows(s_op("report.publish"), SM_ROLE_SVC_SITE));
    CHECK(!sm_decl_allows(s_op("report.publish"), SM_ROLE_FINANCE));
    CHECK(!sm_decl_allows(s_op("outcome.add"), SM_ROLE_AUDITOR));
    CHECK(sm_decl_allows(s_op("report.get"), SM_ROLE_AUDITOR));
    //  report.check shows the matched names and addresses to those who run
    //  the programme only.
    CHECK(s_op("report.check")->flags & SM_OP_PERSONAL);
    CHECK_INT(s_op("report.check")->personal, R_COORD);
    //  The deployment's allow list holds names: changed by those who run
    //  the programme, its texts shown to them only, never logged.
    CHECK_INT(s_op("allowlist.add")->roles, R_COORD);
    CHECK(s_op("allowlist.list")->flags & SM_OP_PERSONAL);
    CHECK_INT(s_op("allowlist.list")->personal, R_COORD);
    CHECK(s_op("allowlist.add")->args[0].flags & SM_A_PERSONAL);
    CHECK(s_op("allowlist.remove")->args[0].flags & SM_A_PERSONAL);
}

TEST(intake_may_ask_for_the_export_and_sees_the_attributes)
{
    const sm_opdecl_t *op = s_op("participant.export");
    CHECK(op->flags & SM_OP_PERSONAL);
    CHECK(sm_decl_allows(op, SM_ROLE_SVC_INTAKE));
    CHECK(op->personal & SM_ROLE_SVC_INTAKE);
    CHECK(!sm_decl_allows(op, SM_ROLE_SVC_FINANCE));
    //  intake reads a report to mail its published text to those who
    //  attended (services/intake/mail.h); it changes none.
    CHECK(sm_decl_allows(s_op("report.get"), SM_ROLE_SVC_INTAKE));
    CHECK(!sm_decl_allows(s_op("report.publish"), SM_ROLE_SVC_INTAKE));
    CHECK(!sm_decl_allows(s_op("report.sent"), SM_ROLE_SVC_INTAKE));
}

TEST(declared_limits_are_the_rules_own)
{
    CHECK_INT(s_max("report.draft", "text"), REPORT_TEXT_MAX);
    CHECK_INT(s_max("report.revise", "text"), REPORT_TEXT_MAX);
    CHECK_INT(s_max("report.revise", "note"), REPORT_NOTE_MAX);
    CHECK_INT(s_max("report.due", "days"), REPORT_DUE_DAYS_MAX);
    CHECK_INT(s_max("stats.reach", "days"), REPORT_DUE_DAYS_MAX);
    CHECK_INT(s_max("report.youth", "year"), 9998);
    CHECK_INT(s_max("youth.finding.update", "n"), YOUTH_FINDINGS_MAX);
    static const char *const youth_texts[][2] = {{"youth.finding.add", "finding"},
                                                 {"youth.finding.add", "done"},
                                                 {"youth.finding.update", "finding"},
                                                 {"youth.finding.update", "done"}};
    for (size_t i = 0; i < 4; i++)
        CHECK_INT(s_max(youth_texts[i][0], youth_texts[i][1]), YOUTH_TEXT_MAX);
    static const char *const texts[] = {"brought_in", "done", "reason", "follow_up"};
    for (size_t i = 0; i < 4; i++) {
        CHECK_INT(s_max("outcome.add", texts[i]), OVERVIEW_TEXT_MAX);
        CHECK_INT(s_max("outcome.update", texts[i]), OVERVIEW_TEXT_MAX);
    }
    CHECK_INT(s_max("outcome.add", "sessions"), OUTCOME_SESSIONS_MAX);
    CHECK_INT(s_max("outcome.update", "sessions"), OUTCOME_SESSIONS_MAX);
}

TEST(declared_enum_values_are_what_the_rules_parse)
{
    const sm_arg_t *status = s_arg("outcome.add", "status");
    const sm_arg_t *effect = s_arg("outcome.add", "effect");
    const sm_arg_t *state = s_arg("report.list", "state");
    sm_err_t e;
    size_t n = 0;
    for (size_t i = 0; status && status->values[i]; i++, n++) {
        overview_status_t st;
        CHECK_INT(overview_status_parse(status->values[i], &st, "status", &e), 0);
        CHECK_STR(overview_status_name(st), status->values[i]);
    }
    CHECK_INT(n, 4);
    n = 0;
    for (size_t i = 0; effect && effect->values[i]; i++, n++) {
        outcome_effect_t ef;
        CHECK_INT(outcome_effect_parse(effect->values[i], &ef, "effect", &e), 0);
        CHECK_STR(outcome_effect_name(ef), effect->values[i]);
    }
    CHECK_INT(n, 3);
    n = 0;
    for (size_t i = 0; state && state->values[i]; i++, n++) {
        report_state_t rs;
        CHECK_INT(report_state_parse(state->values[i], &rs, "state", &e), 0);
        CHECK_STR(report_state_name(rs), state->values[i]);
    }
    CHECK_INT(n, 4);
}

TEST(a_status_or_effect_typed_with_spaces_arrives_in_its_wire_form)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 3);
    sm_pack_kv_str(&b.pk, "outcome", "u7");
    sm_pack_kv_str(&b.pk, "status", "Not Adopted");
    sm_pack_kv_str(&b.pk, "effect", "adopted in plan");
    sm_err_t e;
    sm_doc_t *doc;
    sm_args_t *a = s_check("outcome.update", &b, &e, &doc);
    CHECK(a != NULL);
    if (a) {
        CHECK_STR(sm_args_str(a, "status"), "not_adopted");
        CHECK_STR(sm_args_str(a, "effect"), "adopted_in_plan");
        CHECK_INT(sm_args_id(a, "outcome"), 7);
    }
    sm_args_destroy(&a);
    sm_doc_destroy(&doc);
    sm_buf_reset(&b);
    msgpack_pack_map(&b.pk, 2);
    sm_pack_kv_str(&b.pk, "outcome", "U7");
    sm_pack_kv_str(&b.pk, "status", "maybe");
    a = s_check("outcome.update", &b, &e, &doc);
    CHECK(a == NULL);
    CHECK_STR(e.field, "status");
    CHECK(strstr(e.message, "in_progress") != NULL);
    sm_args_destroy(&a);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

/*  Pack {session: "S1", text: n x "x"} into b. */
static void s_draft(sm_buf_t *b, size_t n)
{
    char *text = malloc(n + 1);
    memset(text, 'x', n);
    text[n] = '\0';
    sm_buf_reset(b);
    msgpack_pack_map(&b->pk, 2);
    sm_pack_kv_str(&b->pk, "session", "S1");
    sm_pack_kv_str(&b->pk, "text", text);
    free(text);
}

TEST(a_report_one_character_over_the_limit_is_refused_naming_the_text)
{
    sm_buf_t b;
    sm_buf_init(&b);
    sm_err_t e;
    sm_doc_t *doc;
    s_draft(&b, REPORT_TEXT_MAX);
    sm_args_t *a = s_check("report.draft", &b, &e, &doc);
    CHECK(a != NULL);
    sm_args_destroy(&a);
    sm_doc_destroy(&doc);
    s_draft(&b, REPORT_TEXT_MAX + 1);
    a = s_check("report.draft", &b, &e, &doc);
    CHECK(a == NULL);
    CHECK_STR(e.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(e.field, "text");
    sm_args_destroy(&a);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

TEST(an_empty_outcome_text_clears_it_but_an_empty_youth_text_is_refused)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 2);
    sm_pack_kv_str(&b.pk, "outcome", "U1");
    sm_pack_kv_str(&b.pk, "done", "");
    sm_err_t e;
    sm_doc_t *doc;
    sm_args_t *a = s_check("outcome.update", &b, &e, &doc);
    CHECK(a != NULL);
    if (a)
        CHECK_STR(sm_args_str(a, "done"), "");
    sm_args_destroy(&a);
    sm_doc_destroy(&doc);
    sm_buf_reset(&b);
    msgpack_pack_map(&b.pk, 3);
    sm_pack_kv_int(&b.pk, "year", 2019);
    sm_pack_kv_str(&b.pk, "finding", "Parents want one contact person.");
    sm_pack_kv_str(&b.pk, "done", "");
    a = s_check("youth.finding.add", &b, &e, &doc);
    CHECK(a == NULL);
    CHECK_STR(e.field, "done");
    sm_args_destroy(&a);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

TEST(an_outcome_names_1_to_32_sessions_by_their_ids)
{
    sm_buf_t b;
    sm_buf_init(&b);
    sm_err_t e;
    sm_doc_t *doc;
    for (int n = 0; n <= OUTCOME_SESSIONS_MAX + 1; n += OUTCOME_SESSIONS_MAX + 1) {
        sm_buf_reset(&b);
        msgpack_pack_map(&b.pk, 3);
        sm_pack_kv_str(&b.pk, "theme", "T1");
        sm_pack_kv_str(&b.pk, "brought_in", "x");
        sm_pack_str(&b.pk, "sessions");
        msgpack_pack_array(&b.pk, (size_t)n);
        for (int i = 0; i < n; i++)
            sm_pack_str(&b.pk, "S1");
        sm_args_t *a = s_check("outcome.add", &b, &e, &doc);
        CHECK(a == NULL);
        CHECK_STR(e.field, "sessions");
        sm_args_destroy(&a);
        sm_doc_destroy(&doc);
    }
    sm_buf_reset(&b);
    msgpack_pack_map(&b.pk, 3);
    sm_pack_kv_str(&b.pk, "theme", "T1");
    sm_pack_kv_str(&b.pk, "brought_in", "x");
    sm_pack_str(&b.pk, "sessions");
    msgpack_pack_array(&b.pk, 2);
    sm_pack_str(&b.pk, "s31");
    sm_pack_str(&b.pk, "S9");
    sm_args_t *a = s_check("outcome.add", &b, &e, &doc);
    CHECK(a != NULL);
    if (a) {
        const uint64_t *ids;
        const char *const *names;
        CHECK_INT(sm_args_ids(a, "sessions", &ids), 2);
        CHECK_INT(ids[0], 31);
        CHECK_INT(sm_args_list(a, "sessions", &names), 2);
        CHECK_STR(names[0], "S31");
    }
    sm_args_destroy(&a);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

int main(void)
{
    RUN(writes_need_a_coordinator_reads_any_reading_role_and_no_auditor_sees_personal_data);
    RUN(intake_may_ask_for_the_export_and_sees_the_attributes);
    RUN(declared_limits_are_the_rules_own);
    RUN(declared_enum_values_are_what_the_rules_parse);
    RUN(a_status_or_effect_typed_with_spaces_arrives_in_its_wire_form);
    RUN(a_report_one_character_over_the_limit_is_refused_naming_the_text);
    RUN(an_empty_outcome_text_clears_it_but_an_empty_youth_text_is_refused);
    RUN(an_outcome_names_1_to_32_sessions_by_their_ids);
    return DONE();
}
