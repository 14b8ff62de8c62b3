/*  tests/unit/test_vocab.c - the programme's words: shown in the reader's
    language, accepted in every language samen speaks, codes on the wire. */
#include "common/i18n.h"
#include "common/vocab.h"
#include "test.h"

static const sm_vocab_t *const s_all[] = {
    &SM_VOCAB_METHOD,         &SM_VOCAB_DOMAIN,         &SM_VOCAB_PHASE,
    &SM_VOCAB_THEME_SOURCE,   &SM_VOCAB_THEME_STATUS,   &SM_VOCAB_SCOPE,
    &SM_VOCAB_SESSION_STATUS, &SM_VOCAB_LOCATION,       &SM_VOCAB_TASK,
    &SM_VOCAB_LABEL,          &SM_VOCAB_NEED,           &SM_VOCAB_PARTICIPANT_STATUS,
    &SM_VOCAB_TARGET_GROUP,   &SM_VOCAB_ADVICE_KIND,    &SM_VOCAB_ADVICE_OUTCOME,
    &SM_VOCAB_ADVICE_STATE,   &SM_VOCAB_ORGANISATION_KIND, &SM_VOCAB_OUTCOME_STATUS,
    &SM_VOCAB_OUTCOME_EFFECT, &SM_VOCAB_REPORT_STATE,   &SM_VOCAB_YOUTH_STATUS,
    &SM_VOCAB_PERSON_ROLE,    &SM_VOCAB_YARDSTICK_SCORE};
#define S_NALL (sizeof s_all / sizeof s_all[0])

static void s_lang(const char *lang)
{
    sm_err_t err;
    sm_err_clear(&err);
    if (sm_i18n_init(lang, &err) != 0)
        printf("cannot speak %s: %s\n", lang, err.message);
}

TEST(every_word_has_a_dutch_name_that_reads_back_as_itself)
{
    s_lang("nl");
    for (size_t t = 0; t < S_NALL; t++) {
        const sm_vocab_t *v = s_all[t];
        for (int i = 0; i < v->count; i++) {
            const char *nl = sm_vocab_name(v, i);
            /*  translated (café and interviews read the same in both) */
            if (strcmp(nl, v->words[i].name) == 0 && strcmp(nl, "café") != 0 &&
                strcmp(nl, "interviews") != 0 && strcmp(nl, "online") != 0 &&
                strcmp(nl, "open") != 0 && strcmp(nl, "school") != 0 &&
                strcmp(nl, "professional") != 0 && strcmp(nl, "professionals") != 0) {
                printf("FAIL %s: %s \"%s\" has no Dutch name\n", t_cur, v->context, nl);
                t_cur_failed = 1;
            }
            if (sm_vocab_find(v, nl) != i) {
                printf("FAIL %s: %s \"%s\" does not read back as entry %d\n", t_cur, v->context,
                       nl, i);
                t_cur_failed = 1;
            }
            if (sm_vocab_find(v, v->words[i].code) != i || sm_vocab_find(v, v->words[i].name) != i) {
                printf("FAIL %s: %s code or English name of %s collides\n", t_cur, v->context,
                       v->words[i].code);
                t_cur_failed = 1;
            }
        }
    }
}

TEST(dutch_words_are_accepted_in_an_english_deployment)
{
    s_lang("en");
    CHECK_STR(sm_vocab_name(&SM_VOCAB_METHOD, 0), "focus group");
    CHECK_INT(sm_vocab_find(&SM_VOCAB_METHOD, "spiegelbijeenkomst"), 2);
    CHECK_INT(sm_vocab_find(&SM_VOCAB_METHOD, "Enquete"), 3);
    CHECK_INT(sm_vocab_find(&SM_VOCAB_METHOD, "groepsgesprek"), 0);
    CHECK_INT(sm_vocab_find(&SM_VOCAB_PHASE, "agendavorming"), 0);
    CHECK_INT(sm_vocab_find(&SM_VOCAB_LABEL, "ervaringsdeskundige"), 5);
    CHECK_INT(sm_vocab_find(&SM_VOCAB_LABEL, "Opgeleide ervaringsdeskundige"), 6);
    CHECK_INT(sm_vocab_find(&SM_VOCAB_LABEL, "cliënt"), 1);
    CHECK_INT(sm_vocab_find(&SM_VOCAB_ADVICE_KIND, "ongevraagd advies"), 2);
    CHECK_INT(sm_vocab_find(&SM_VOCAB_ADVICE_OUTCOME, "deels overgenomen"), 2);
    CHECK_INT(sm_vocab_find(&SM_VOCAB_ADVICE_STATE, "geevalueerd"), 2);
    CHECK_INT(sm_vocab_find(&SM_VOCAB_TASK, "terugkoppeling deelnemers"), 3);
    CHECK_INT(sm_vocab_find(&SM_VOCAB_NEED, "gebarentaal"), 5);
    CHECK_STR(sm_vocab_code(&SM_VOCAB_NEED, 5), "sign_language");
    CHECK_INT(sm_vocab_find(&SM_VOCAB_METHOD, "brainstorm"), -1);
    CHECK_INT(sm_vocab_find(&SM_VOCAB_METHOD, ""), -1);
    CHECK_INT(sm_vocab_find(&SM_VOCAB_METHOD, NULL), -1);
}

TEST(words_are_shown_in_the_readers_language)
{
    s_lang("nl");
    CHECK_STR(sm_vocab_name(&SM_VOCAB_METHOD, 4), "klankbordgroep");
    CHECK_STR(sm_vocab_name(&SM_VOCAB_ADVICE_KIND, 2), "ongevraagd advies");
    CHECK_STR(sm_vocab_name(&SM_VOCAB_LABEL, 5), "ervaringsdeskundige");
    CHECK_STR(sm_vocab_show(&SM_VOCAB_TARGET_GROUP, "foster parents"), "pleegouders");
    CHECK_STR(sm_vocab_show(&SM_VOCAB_TARGET_GROUP, "statushouders"), "statushouders");
    CHECK_STR(sm_vocab_show(&SM_VOCAB_TARGET_GROUP, "Refugees"), "statushouders");
    CHECK_STR(sm_vocab_show(&SM_VOCAB_TARGET_GROUP, "bewoners van Oost"), "bewoners van Oost");
    CHECK_STR(sm_vocab_show(&SM_VOCAB_TARGET_GROUP, NULL), "");
    sm_i18n_use("en");
    CHECK_STR(sm_vocab_show(&SM_VOCAB_TARGET_GROUP, "pleegouders"), "foster parents");
    CHECK_STR(sm_vocab_code(&SM_VOCAB_METHOD, 99), "?");
    CHECK_STR(sm_vocab_name(&SM_VOCAB_METHOD, -1), "?");
    sm_i18n_use(NULL);
}

TEST(an_unknown_word_is_refused_in_dutch_naming_field_and_choices)
{
    s_lang("nl");
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(sm_vocab_parse(&SM_VOCAB_METHOD, "brainstorm", "method", &err), -1);
    CHECK_STR(err.field, "method");
    CHECK_STR(err.message, "method: \"brainstorm\" is geen bekende werkvorm; gebruik een van FG "
                           "(focusgroep), I (interviews), SB (spiegelbijeenkomst), E (enquête), "
                           "KB (klankbordgroep), WB (werkbezoek), T (testsessie), C (café), N "
                           "(netwerkbijeenkomst)");
    CHECK_INT(sm_vocab_parse(&SM_VOCAB_PHASE, "design", "phase", &err), -1);
    CHECK_STR(err.message, "phase: \"design\" is geen fase van de beleidscyclus; gebruik een van "
                           "agendavorming, beleidsontwikkeling, uitvoering, evaluatie");
    CHECK_INT(sm_vocab_parse(&SM_VOCAB_PHASE, "Beleidsontwikkeling", "phase", &err), 1);
}

TEST(op_declarations_get_the_wire_code_of_what_was_typed)
{
    s_lang("en");
    CHECK_STR(sm_canon_participant_status("gepauzeerd"), "paused");
    CHECK_STR(sm_canon_participant_status("Active"), "active");
    CHECK_STR(sm_canon_method("spiegelbijeenkomst"), "SB");
    CHECK_STR(sm_canon_advice_kind("ongevraagd advies"), "unsolicited_advice");
    CHECK_STR(sm_canon_phase("Beleidsontwikkeling"), "development");
    CHECK(sm_canon_participant_status("erased") == NULL);
    CHECK(sm_canon_method(NULL) == NULL);
}

TEST(folding_ignores_case_blanks_hyphens_and_accents)
{
    char out[32];
    CHECK_INT(sm_vocab_fold("Enquête - Ronde_2", out, sizeof out), 0);
    CHECK_STR(out, "enqueteronde2");
    CHECK_INT(sm_vocab_fold("Geëvalueerd", out, sizeof out), 0);
    CHECK_STR(out, "geevalueerd");
    CHECK_INT(sm_vocab_fold("far too long for this small buffer", out, 8), -1);
    CHECK_INT(sm_vocab_fold(NULL, out, sizeof out), -1);
}

int main(void)
{
    RUN(every_word_has_a_dutch_name_that_reads_back_as_itself);
    RUN(dutch_words_are_accepted_in_an_english_deployment);
    RUN(words_are_shown_in_the_readers_language);
    RUN(an_unknown_word_is_refused_in_dutch_naming_field_and_choices);
    RUN(op_declarations_get_the_wire_code_of_what_was_typed);
    RUN(folding_ignores_case_blanks_hyphens_and_accents);
    return DONE();
}
