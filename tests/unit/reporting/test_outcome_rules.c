/*  tests/unit/reporting/test_outcome_rules.c - outcome items: checks, what was done, follow-up. */
#include "services/reporting/outcome_rules.h"
#include "tests/unit/test.h"
#include <stdlib.h>

static outcome_t s_item(void)
{
    return (outcome_t){.brought_in = "Drivers often arrive late.",
                       .n_sessions = 1,
                       .done = "A penalty clause was added.",
                       .effect = OUTCOME_EFFECT_CHANGED_DECISION,
                       .status = OUTCOME_DONE};
}

/*  What outcome_put_what_was_done writes for o, as a malloc'd string. */
static char *s_done(const outcome_t *o)
{
    strbuf_t *sb = strbuf_new();
    outcome_put_what_was_done(sb, o);
    char *s = strbuf_detach(sb);
    strbuf_destroy(&sb);
    return s;
}

static char *s_follow(const char *const *items, size_t n)
{
    strbuf_t *sb = strbuf_new();
    outcome_put_follow_ups(sb, items, n);
    char *s = strbuf_detach(sb);
    strbuf_destroy(&sb);
    return s;
}

TEST(an_item_with_a_session_and_what_was_brought_in_is_accepted)
{
    outcome_t o = s_item();
    sm_err_t err = {0};
    CHECK_INT(outcome_check(&o, &err), 0);
}

TEST(an_item_needs_one_to_32_sessions)
{
    outcome_t o = s_item();
    sm_err_t err = {0};
    o.n_sessions = 0;
    CHECK_INT(outcome_check(&o, &err), -1);
    CHECK_STR(err.field, "sessions");
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    o.n_sessions = OUTCOME_SESSIONS_MAX + 1;
    CHECK_INT(outcome_check(&o, &err), -1);
    CHECK_STR(err.field, "sessions");
    o.n_sessions = OUTCOME_SESSIONS_MAX;
    CHECK_INT(outcome_check(&o, &err), 0);
}

TEST(not_adopted_needs_a_reason_and_no_effect)
{
    outcome_t o = s_item();
    sm_err_t err = {0};
    o.status = OUTCOME_NOT_ADOPTED;
    o.effect = OUTCOME_EFFECT_NONE;
    CHECK_INT(outcome_check(&o, &err), -1);
    CHECK_STR(err.field, "reason");
    o.reason = "The contract runs until 2022.";
    CHECK_INT(outcome_check(&o, &err), 0);
    o.effect = OUTCOME_EFFECT_ADOPTED_IN_PLAN;
    CHECK_INT(outcome_check(&o, &err), -1);
    CHECK_STR(err.field, "effect");
    CHECK_STR(err.message, "an outcome that was not adopted cannot be adopted in a plan; give "
                           "effect none, or another status");
}

TEST(texts_are_checked_naming_the_field)
{
    outcome_t o = s_item();
    sm_err_t err = {0};
    o.brought_in = "  \n";
    CHECK_INT(outcome_check(&o, &err), -1);
    CHECK_STR(err.field, "brought_in");
    o = s_item();
    o.follow_up = "\xff\xfe";
    CHECK_INT(outcome_check(&o, &err), -1);
    CHECK_STR(err.field, "follow_up");
    char *big = malloc(OVERVIEW_TEXT_MAX + 2);
    memset(big, 'a', OVERVIEW_TEXT_MAX + 1);
    big[OVERVIEW_TEXT_MAX + 1] = '\0';
    o = s_item();
    o.follow_up = big;
    CHECK_INT(outcome_check(&o, &err), -1);
    CHECK_STR(err.field, "follow_up");
    o.follow_up = NULL;
    o.done = big;
    CHECK_INT(outcome_check(&o, &err), -1);
    CHECK_STR(err.field, "done");
    free(big);
}

TEST(effect_names_parse_and_print)
{
    outcome_effect_t e;
    sm_err_t err = {0};
    CHECK_INT(outcome_effect_parse("adopted_in_plan", &e, "effect", &err), 0);
    CHECK_INT(e, OUTCOME_EFFECT_ADOPTED_IN_PLAN);
    CHECK_INT(outcome_effect_parse("changed decision", &e, "effect", &err), 0);
    CHECK_INT(e, OUTCOME_EFFECT_CHANGED_DECISION);
    CHECK_INT(outcome_effect_parse("none", &e, "effect", &err), 0);
    CHECK_INT(e, OUTCOME_EFFECT_NONE);
    CHECK_INT(outcome_effect_parse("ignored", &e, "effect", &err), -1);
    CHECK_STR(err.message, "effect must be one of none, adopted_in_plan, changed_decision");
    CHECK_STR(outcome_effect_name(OUTCOME_EFFECT_CHANGED_DECISION), "changed_decision");
    CHECK_STR(outcome_effect_name((outcome_effect_t)9), "?");
}

TEST(what_was_done_reads_as_effect_and_text)
{
    outcome_t o = s_item();
    char *s = s_done(&o);
    CHECK_STR(s, "Changed a decision: A penalty clause was added.");
    free(s);
    o.effect = OUTCOME_EFFECT_ADOPTED_IN_PLAN;
    o.done = NULL;
    s = s_done(&o);
    CHECK_STR(s, "Adopted in a plan.");
    free(s);
    o.effect = OUTCOME_EFFECT_NONE;
    o.done = "Discussed in the council.";
    s = s_done(&o);
    CHECK_STR(s, "Discussed in the council.");
    free(s);
    o.done = " ";
    s = s_done(&o);
    CHECK_STR(s, "");
    free(s);
}

TEST(follow_ups_are_joined_as_sentences_without_repeats_or_blanks)
{
    const char *items[] = {
        "Mirror meeting in Q2 2020.",   NULL,     "  ", "Sounding board in autumn",
        " Mirror meeting in Q2 2020. ", "Really?"};
    char *s = s_follow(items, 6);
    CHECK_STR(s, "Mirror meeting in Q2 2020. Sounding board in autumn. Really?");
    free(s);
    s = s_follow(items + 1, 2);
    CHECK_STR(s, "");
    free(s);
    s = s_follow(NULL, 0);
    CHECK_STR(s, "");
    free(s);
}

int main(void)
{
    RUN(an_item_with_a_session_and_what_was_brought_in_is_accepted);
    RUN(an_item_needs_one_to_32_sessions);
    RUN(not_adopted_needs_a_reason_and_no_effect);
    RUN(texts_are_checked_naming_the_field);
    RUN(effect_names_parse_and_print);
    RUN(what_was_done_reads_as_effect_and_text);
    RUN(follow_ups_are_joined_as_sentences_without_repeats_or_blanks);
    return DONE();
}
