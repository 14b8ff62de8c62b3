/*  tests/unit/test_l10n.c - the language setting, and numbers, money, dates
    and periods as Dutch and English readers write them; reading what a
    Dutch user types.

    Runs against the catalogue the build made (build/MODE/locale, found
    from the test's own path), so a Dutch format that comes out English
    means the catalogue or the lookup is broken. */
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/money.h"
#include "test.h"
#include <stdlib.h>

static void s_nl(void)
{
    sm_err_t err;
    sm_err_clear(&err);
    if (sm_i18n_init("nl", &err) != 0)
        printf("cannot speak Dutch: %s\n", err.message);
}

/* ==== The language setting =============================================== */

TEST(language_names_people_write_are_understood)
{
    CHECK_STR(sm_i18n_lang_parse("nl"), "nl");
    CHECK_STR(sm_i18n_lang_parse("NL"), "nl");
    CHECK_STR(sm_i18n_lang_parse("nl_NL.UTF-8"), "nl");
    CHECK_STR(sm_i18n_lang_parse("nl-BE"), "nl");
    CHECK_STR(sm_i18n_lang_parse("Nederlands"), "nl");
    CHECK_STR(sm_i18n_lang_parse("en_GB"), "en");
    CHECK_STR(sm_i18n_lang_parse("English"), "en");
    CHECK(sm_i18n_lang_parse("fr") == NULL);
    CHECK(sm_i18n_lang_parse("nld") == NULL);
    CHECK(sm_i18n_lang_parse("nl_") == NULL);
    CHECK(sm_i18n_lang_parse("") == NULL);
    CHECK(sm_i18n_lang_parse(NULL) == NULL);
}

TEST(language_comes_from_flag_then_environment_then_file)
{
    sm_err_t err;
    sm_err_clear(&err);
    const char *lang = NULL;
    sm_config_t *cfg = sm_config_load(NULL, NULL);
    sm_config_set(cfg, "samen/locale", "nl");
    unsetenv("SAMEN_LOCALE");
    CHECK_INT(sm_i18n_resolve(NULL, NULL, &lang, &err), 0);
    CHECK_STR(lang, "en");
    CHECK_INT(sm_i18n_resolve(NULL, cfg, &lang, &err), 0);
    CHECK_STR(lang, "nl");
    setenv("SAMEN_LOCALE", "en", 1);
    CHECK_INT(sm_i18n_resolve(NULL, cfg, &lang, &err), 0);
    CHECK_STR(lang, "en");
    CHECK_INT(sm_i18n_resolve("nl_NL", cfg, &lang, &err), 0);
    CHECK_STR(lang, "nl");
    setenv("SAMEN_LOCALE", "klingon", 1);
    CHECK_INT(sm_i18n_resolve(NULL, cfg, &lang, &err), -1);
    CHECK_STR(err.field, "SAMEN_LOCALE");
    CHECK(strstr(err.message, "klingon") && strstr(err.message, "nl (Nederlands)"));
    unsetenv("SAMEN_LOCALE");
    sm_config_set(cfg, "samen/locale", "fr");
    CHECK_INT(sm_i18n_resolve(NULL, cfg, &lang, &err), -1);
    CHECK_STR(err.field, "samen/locale");
    sm_config_destroy(&cfg);
}

TEST(dutch_catalogue_is_found_and_english_needs_none)
{
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(sm_i18n_init("en", &err), 0);
    CHECK_STR(sm_i18n_lang(), "en");
    CHECK_STR(_("not a date; %s"), "not a date; %s");
    CHECK_INT(sm_i18n_init("nl", &err), 0);
    CHECK_STR(sm_i18n_lang(), "nl");
    CHECK(strstr(sm_i18n_localedir(), "locale") != NULL);
    CHECK_STR(_("not a date; %s"), "geen datum; %s");
    CHECK_STR(C_("month", "May"), "mei");
    CHECK_STR(C_("month abbreviation", "Mar"), "mrt");
}

TEST(a_request_may_switch_language_and_back)
{
    s_nl();
    CHECK_INT(sm_i18n_use("en"), 0);
    CHECK_STR(sm_i18n_lang(), "en");
    CHECK_STR(C_("month", "October"), "October");
    CHECK_INT(sm_i18n_use(NULL), 0); /*  back to the default */
    CHECK_STR(sm_i18n_lang(), "nl");
    CHECK_STR(C_("month", "October"), "oktober");
    CHECK_STR(Q_("%zu session", "%zu sessions", 1), "%zu session"); /*  not in the catalogue */
    CHECK_INT(sm_i18n_use("en"), 0);
    CHECK_STR(Q_("%zu session", "%zu sessions", 2), "%zu sessions");
    sm_i18n_use(NULL);
}

/* ==== Numbers and money =================================================== */

TEST(dutch_numbers_group_with_points_and_decimals_with_a_comma)
{
    s_nl();
    char b[SM_L10N_NUMBER_SIZE];
    CHECK_STR(sm_l10n_int(257186, b), "257.186");
    CHECK_STR(sm_l10n_int(999, b), "999");
    CHECK_STR(sm_l10n_int(-1000, b), "-1.000");
    CHECK_STR(sm_l10n_decimal(3415, 2, b), "34,15");
    CHECK_STR(sm_l10n_decimal(-5, 1, b), "-0,5");
    CHECK_STR(sm_l10n_decimal(3750, 2, b), "37,50");
    CHECK_STR(sm_l10n_percent_bp(3415, b), "34,15%");
    CHECK_STR(sm_l10n_percent_bp(10000, b), "100,00%");
    CHECK_STR(sm_l10n_percent_bp(0, b), "0,00%");
}

TEST(dutch_money_is_euro_sign_points_and_comma)
{
    s_nl();
    char b[SM_L10N_NUMBER_SIZE];
    CHECK_STR(sm_l10n_money(2250000, b), "\xE2\x82\xAC 22.500,00");
    CHECK_STR(sm_l10n_money(1500, b), "\xE2\x82\xAC 15,00");
    CHECK_STR(sm_l10n_money(-500, b), "-\xE2\x82\xAC 5,00");
    CHECK_STR(sm_l10n_money(INT64_MIN, b), "-\xE2\x82\xAC 92.233.720.368.547.758,08");
    /*  the fixed formatter keeps its two forms */
    char m[40];
    CHECK_STR(sm_money_format(2250000, true, m), "\xE2\x82\xAC 22.500,00");
    CHECK_STR(sm_money_format(-2250000, false, m), "-EUR 22,500.00");
}

TEST(english_keeps_its_own_conventions)
{
    s_nl();
    sm_i18n_use("en");
    char b[SM_L10N_NUMBER_SIZE];
    CHECK_STR(sm_l10n_money(2250000, b), "EUR 22,500.00");
    CHECK_STR(sm_l10n_percent_bp(374, b), "3.74%");
    CHECK_STR(sm_l10n_int(257186, b), "257,186");
    char d[SM_L10N_DATE_SIZE];
    CHECK_STR(sm_l10n_date((sm_date_t){2020, 3, 12}, d), "2020-03-12");
    CHECK_STR(sm_l10n_date_long((sm_date_t){2020, 3, 12}, d), "12 March 2020");
    CHECK_STR(sm_l10n_month_column(2019, 10, d), "Oct19");
    char p[SM_L10N_PERIOD_SIZE];
    sm_period_t q;
    sm_period_parse("2020-Q2", &q, "period", NULL);
    CHECK_STR(sm_l10n_period(&q, p, sizeof p), "Q2 2020");
    sm_period_parse("2019-09..2019-11", &q, "period", NULL);
    CHECK_STR(sm_l10n_period(&q, p, sizeof p), "Autumn 2019");
    sm_i18n_use(NULL);
}

/* ==== Dates and periods =================================================== */

TEST(dutch_dates_in_tables_and_documents)
{
    s_nl();
    char b[SM_L10N_DATE_SIZE];
    CHECK_STR(sm_l10n_date((sm_date_t){2020, 3, 12}, b), "12-03-2020");
    CHECK_STR(sm_l10n_date_long((sm_date_t){2020, 3, 12}, b), "12 maart 2020");
    CHECK_STR(sm_l10n_date_long((sm_date_t){2019, 10, 30}, b), "30 oktober 2019");
    CHECK_STR(sm_l10n_month(2019, 10, true, b), "okt 2019");
    CHECK_STR(sm_l10n_month(2019, 10, false, b), "oktober 2019");
    CHECK_STR(sm_l10n_month_column(2019, 10, b), "Okt 19");
    CHECK_STR(sm_l10n_month_column(2020, 3, b), "Mrt 20");
    CHECK_STR(sm_l10n_month_column(2020, 5, b), "Mei 20");
    /*  2020-03-12 was a Thursday */
    CHECK_STR(sm_l10n_weekday_name(sm_date_weekday((sm_date_t){2020, 3, 12})), "donderdag");
    CHECK_STR(sm_l10n_weekday_name(7), "zondag");
    CHECK_STR(sm_l10n_weekday_name(8), "?");
    /*  19:30 in Amsterdam on 2020-03-12 is 18:30 UTC */
    int64_t ms;
    CHECK_INT(sm_datetime_parse("2020-03-12T19:30", &ms, "start", NULL), 0);
    CHECK_STR(sm_l10n_datetime(ms, b), "12-03-2020 19:30");
}

/*  The period text of what people enter, in Dutch. */
static void s_period_is(const char *entered, const char *expected)
{
    sm_period_t p;
    sm_err_t err;
    sm_err_clear(&err);
    char b[SM_L10N_PERIOD_SIZE];
    if (sm_period_parse(entered, &p, "period", &err) != 0) {
        printf("FAIL %s: period %s refused: %s\n", t_cur, entered, err.message);
        t_cur_failed = 1;
        return;
    }
    CHECK_STR(sm_l10n_period(&p, b, sizeof b), expected);
}

TEST(periods_read_as_the_regions_planning_documents_write_them)
{
    s_nl();
    s_period_is("2019-10-30", "30 oktober 2019");
    s_period_is("2019-10", "Oktober 2019");
    s_period_is("2020-Q2", "Kwartaal 2 van 2020");
    s_period_is("2020-K2", "Kwartaal 2 van 2020");
    s_period_is("2020", "2020");
    s_period_is("2019-10..2019-12", "Kwartaal 4 van 2019");
    s_period_is("2019-10-01..2019-12-31", "Kwartaal 4 van 2019");
    s_period_is("2019-11..2020-01", "Nov 2019-jan 2020");
    s_period_is("2019-10..2019-11", "Oktober/november 2019");
    s_period_is("2020-05..2020-06", "Mei/juni 2020");
    s_period_is("2019-09..2019-11", "Najaar 2019");
    s_period_is("2020-03..2020-05", "Voorjaar 2020");
    s_period_is("2019-12..2020-02", "Winter 2019/2020");
    s_period_is("2019-08..2019-12", "Aug-dec 2019");
    s_period_is("2019-10..2020-03", "Okt 2019-mrt 2020");
    s_period_is("2020-03-12..2020-03-20", "12 t/m 20 maart 2020");
    s_period_is("12-03-2020..3-4-2020", "12 maart t/m 3 april 2020");
    s_period_is("2019-12-30..2020-01-03", "30 december 2019 t/m 3 januari 2020");
}

/* ==== Reading what people type ============================================ */

TEST(dates_typed_the_dutch_way_or_iso_are_read)
{
    s_nl();
    char iso[11];
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(sm_l10n_read_date("12-03-2020", iso, "on", &err), 0);
    CHECK_STR(iso, "2020-03-12");
    CHECK_INT(sm_l10n_read_date("12-3-2020", iso, "on", &err), 0);
    CHECK_STR(iso, "2020-03-12");
    CHECK_INT(sm_l10n_read_date("1-1-2020", iso, "on", &err), 0);
    CHECK_STR(iso, "2020-01-01");
    CHECK_INT(sm_l10n_read_date("2020-03-12", iso, "on", &err), 0);
    CHECK_STR(iso, "2020-03-12");
    CHECK_INT(sm_l10n_read_date("29-02-2020", iso, "on", &err), 0);
    CHECK_STR(iso, "2020-02-29");
    /*  in a time too */
    int64_t a, b;
    CHECK_INT(sm_datetime_parse("12-03-2020 19:30", &a, "start", &err), 0);
    CHECK_INT(sm_datetime_parse("2020-03-12T19:30", &b, "start", &err), 0);
    CHECK_INT(a, b);
}

TEST(wrong_dates_are_refused_naming_the_field_and_the_forms)
{
    s_nl();
    char iso[11] = "";
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(sm_l10n_read_date("31-02-2020", iso, "held_on", &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "held_on");
    CHECK_STR(err.message,
              "datum \"31-02-2020\" (veld \"held_on\"): februari 2020 heeft 29 dagen; geef een "
              "datum als DD-MM-JJJJ of JJJJ-MM-DD, bijvoorbeeld 12-03-2020, 12-3-2020 of "
              "2020-03-12");
    CHECK_STR(iso, "");
    const char *bad[] = {"12-03-20", "123-03-2020", "12/03/2020", "2020-3-12", "12-03-2020 ",
                         "1203-2020", "12--2020", "12-03-20201"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(sm_l10n_read_date(bad[i], iso, "on", &err), -1);
        CHECK(strstr(err.message, "(veld \"on\"): geen datum; geef een datum als DD-MM-JJJJ"));
    }
    CHECK_INT(sm_l10n_read_date("12-13-2020", iso, "on", &err), -1);
    CHECK(strstr(err.message, "maand 13 bestaat niet"));
    sm_i18n_use("en");
    CHECK_INT(sm_l10n_read_date("31-02-2020", iso, "held_on", &err), -1);
    CHECK_STR(err.message, "date \"31-02-2020\" (field \"held_on\"): February 2020 has 29 days; "
                           "give a date as DD-MM-YYYY or YYYY-MM-DD, e.g. 12-03-2020 or "
                           "2020-03-12");
    sm_i18n_use(NULL);
}

TEST(amounts_typed_the_dutch_way_or_english_are_read)
{
    s_nl();
    int64_t c = 0;
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(sm_l10n_read_amount("5.000", false, &c, "total", &err), 0);
    CHECK_INT(c, 500000);
    CHECK_INT(sm_l10n_read_amount("5000,50", false, &c, "total", &err), 0);
    CHECK_INT(c, 500050);
    CHECK_INT(sm_l10n_read_amount("\xE2\x82\xAC 5.000,50", false, &c, "total", &err), 0);
    CHECK_INT(c, 500050);
    CHECK_INT(sm_l10n_read_amount("22,500.00", false, &c, "total", &err), 0);
    CHECK_INT(c, 2250000);
    CHECK_INT(sm_l10n_read_amount("\xE2\x82\xAC 15,-", false, &c, "total", &err), 0);
    CHECK_INT(c, 1500);
}

TEST(wrong_amounts_are_refused_naming_the_field_and_the_forms)
{
    s_nl();
    int64_t c = 7;
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(sm_l10n_read_amount("5.000.0", false, &c, "total", &err), -1);
    CHECK_STR(err.field, "total");
    CHECK_STR(err.message, "bedrag \"5.000.0\" (veld \"total\"): scheidingstekens op de verkeerde "
                           "plaats; geef euro's en centen, zoals 15, 15,50, 5.000 of "
                           "\xE2\x82\xAC 5.000,50");
    CHECK_INT(c, 7);
    CHECK_INT(sm_l10n_read_amount("15,505", false, &c, "total", &err), 0); /*  thousands */
    CHECK_INT(sm_l10n_read_amount("0,505", false, &c, "total", &err), -1);
    CHECK(strstr(err.message, "bedragen zijn hele centen"));
    CHECK_INT(sm_l10n_read_amount("-5", false, &c, "total", &err), -1);
    CHECK(strstr(err.message, "negatieve bedragen"));
    CHECK_INT(sm_l10n_read_amount("", false, &c, "total", &err), -1);
    CHECK_STR(err.message, "bedrag (veld \"total\") is leeg; geef euro's en centen, zoals 15, "
                           "15,50, 5.000 of \xE2\x82\xAC 5.000,50");
}

int main(void)
{
    RUN(language_names_people_write_are_understood);
    RUN(language_comes_from_flag_then_environment_then_file);
    RUN(dutch_catalogue_is_found_and_english_needs_none);
    RUN(a_request_may_switch_language_and_back);
    RUN(dutch_numbers_group_with_points_and_decimals_with_a_comma);
    RUN(dutch_money_is_euro_sign_points_and_comma);
    RUN(english_keeps_its_own_conventions);
    RUN(dutch_dates_in_tables_and_documents);
    RUN(periods_read_as_the_regions_planning_documents_write_them);
    RUN(dates_typed_the_dutch_way_or_iso_are_read);
    RUN(wrong_dates_are_refused_naming_the_field_and_the_forms);
    RUN(amounts_typed_the_dutch_way_or_english_are_read);
    RUN(wrong_amounts_are_refused_naming_the_field_and_the_forms);
    return DONE();
}
