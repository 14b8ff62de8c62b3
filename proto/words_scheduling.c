/*  proto/words_scheduling.c - the words scheduling's ops accept. See
    words_scheduling.h. */
#include "proto/words_scheduling.h"
#include <string.h>

/* ==== Matching ============================================================ */

int words_fold(const char *text, char *out, size_t size)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        unsigned char c = *p;
        if (c == ' ' || c == '-' || c == '_' || c == '\t')
            continue;
        //  U+00C8..U+00CB (ÈÉÊË) and U+00E8..U+00EB (èéêë): "enquête" = "enquete"
        if (c == 0xC3 && ((p[1] >= 0x88 && p[1] <= 0x8B) || (p[1] >= 0xA8 && p[1] <= 0xAB))) {
            c = 'e';
            p++;
        }
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (n + 1 >= size)
            return -1;
        out[n++] = (char)c;
    }
    if (size == 0)
        return -1;
    out[n] = '\0';
    return 0;
}

/*  True when folded equals the folded form of word. */
static int s_same(const char *folded, const char *word)
{
    char buf[96];
    return words_fold(word, buf, sizeof buf) == 0 && strcmp(folded, buf) == 0;
}

int words_find(const char *text, const char *const *names, int n, const word_alias_t *aliases)
{
    char folded[96];
    if (!text || words_fold(text, folded, sizeof folded) != 0 || !*folded)
        return -1;
    for (int i = 0; i < n; i++)
        if (names[i] && s_same(folded, names[i]))
            return i;
    for (size_t a = 0; aliases && aliases[a].word; a++)
        if (s_same(folded, aliases[a].word))
            return aliases[a].index;
    return -1;
}

/* ==== The lists =========================================================== */

const char *const sched_domains[] = {"youth",           "social_support", "shelter_and_protection",
                                     "work_and_income", "health",         "other",
                                     NULL};
const word_alias_t sched_domain_aliases[] = {{"jeugd", 0},
                                             {"wmo", 1},
                                             {"maatschappelijke ondersteuning", 1},
                                             {"shelter", 2},
                                             {"shelter and care", 2},
                                             {"opvang en bescherming", 2},
                                             {"beschermd wonen en opvang", 2},
                                             {"work and income", 3},
                                             {"werk en inkomen", 3},
                                             {"participatie", 3},
                                             {"gezondheid", 4},
                                             {"overig", 5},
                                             {NULL, 0}};

const char *const sched_phases[] = {"agenda", "development", "implementation", "evaluation", NULL};
const word_alias_t sched_phase_aliases[] = {{"agenda setting", 0},
                                            {"agendering", 0},
                                            {"policy development", 1},
                                            {"beleidsontwikkeling", 1},
                                            {"ontwikkeling", 1},
                                            {"uitvoering", 2},
                                            {"evaluatie", 3},
                                            {NULL, 0}};

const char *const sched_sources[] = {"residents_signals", "regional_agenda", "municipal_request",
                                     NULL};
const word_alias_t sched_source_aliases[] = {{"residents", 0},
                                             {"signals", 0},
                                             {"signalen", 0},
                                             {"regional", 1},
                                             {"regionale agenda", 1},
                                             {"municipal", 2},
                                             {"municipality", 2},
                                             {"gemeente", 2},
                                             {"verzoek gemeente", 2},
                                             {NULL, 0}};

const char *const sched_theme_statuses[] = {"proposed", "active", "completed", "dropped", NULL};
const word_alias_t sched_theme_status_aliases[] = {
    {"voorgesteld", 0}, {"actief", 1}, {"afgerond", 2}, {"vervallen", 3}, {NULL, 0}};

const char *const sched_scopes[] = {"local", "regional", NULL};
const word_alias_t sched_scope_aliases[] = {{"lokaal", 0}, {"regionaal", 1}, {NULL, 0}};

const char *const sched_location_kinds[] = {"address", "online", "on_site", NULL};
const word_alias_t sched_location_kind_aliases[] = {{"adres", 0},      {"venue", 0},
                                                    {"video", 1},      {"op locatie", 2},
                                                    {"vindplaats", 2}, {NULL, 0}};

const char *const sched_tasks[] = {"recruitment", "facilitation", "minutes", "feedback",
                                   "programme",   "contacts",     "handover", NULL};
const word_alias_t sched_task_aliases[] = {{"werving", 0},         {"gespreksleiding", 1},
                                           {"verslaglegging", 2},  {"verslag", 2},
                                           {"report", 2},          {"terugkoppeling", 3},
                                           {"program", 4},         {"programma", 4},
                                           {"contacten", 5},       {"overdracht", 6},
                                           {NULL, 0}};

const char *const sched_session_statuses[] = {"planned", "confirmed", "held", "cancelled", NULL};

const char *const sched_grid_formats[] = {"text", "csv", "md", "html", NULL};
const word_alias_t sched_grid_format_aliases[] = {{"markdown", 2}, {NULL, 0}};
const char *const sched_series_days[] = {"weekday", "date", NULL};
const word_alias_t sched_series_day_aliases[] = {
    {"weekdag", 0}, {"dag van de week", 0}, {"datum", 1}, {"day of month", 1}, {NULL, 0}};

const sched_method_t sched_methods[SCHED_METHODS] = {
    {"FG", "focus group", "focusgroep", {"focusgroup", NULL}},
    {"I", "interviews", "interviews", {"interview", NULL}},
    {"SB", "mirror meeting", "spiegelbijeenkomst", {"spiegelgesprek", NULL}},
    {"E", "survey", "enquête", {"questionnaire", "vragenlijst", NULL}},
    {"KB", "sounding-board group", "klankbordgroep", {"soundingboard", NULL}},
    {"WB", "work visit", "werkbezoek", {NULL}},
    {"T", "test session", "testsessie", {"test", "usabilitytest", NULL}},
    {"C", "café", "café", {"recurringmeeting", "terugkerendebijeenkomst", NULL}},
    {"N", "network meeting", "netwerkbijeenkomst", {NULL}},
};

const char *const sched_method_codes[] = {"FG", "I", "SB", "E", "KB", "WB", "T", "C", "N", NULL};

int sched_method_find(const char *text)
{
    char folded[96];
    if (!text || words_fold(text, folded, sizeof folded) != 0 || !*folded)
        return -1;
    for (int m = 0; m < SCHED_METHODS; m++) {
        const sched_method_t *info = &sched_methods[m];
        if (s_same(folded, info->code) || s_same(folded, info->name) ||
            s_same(folded, info->name_nl))
            return m;
        for (size_t a = 0; info->aliases[a]; a++)
            if (s_same(folded, info->aliases[a]))
                return m;
    }
    return -1;
}

/* ==== Canonical words ===================================================== */

/*  The canonical word of names for text, or NULL. */
static const char *s_canon(const char *text, const char *const *names,
                           const word_alias_t *aliases)
{
    int n = 0;
    while (names[n])
        n++;
    int i = words_find(text, names, n, aliases);
    return i >= 0 ? names[i] : NULL;
}

const char *sched_domain_canon(const char *text)
{
    return s_canon(text, sched_domains, sched_domain_aliases);
}

const char *sched_phase_canon(const char *text)
{
    return s_canon(text, sched_phases, sched_phase_aliases);
}

const char *sched_source_canon(const char *text)
{
    return s_canon(text, sched_sources, sched_source_aliases);
}

const char *sched_theme_status_canon(const char *text)
{
    return s_canon(text, sched_theme_statuses, sched_theme_status_aliases);
}

const char *sched_scope_canon(const char *text)
{
    return s_canon(text, sched_scopes, sched_scope_aliases);
}

const char *sched_location_kind_canon(const char *text)
{
    return s_canon(text, sched_location_kinds, sched_location_kind_aliases);
}

const char *sched_task_canon(const char *text)
{
    return s_canon(text, sched_tasks, sched_task_aliases);
}

const char *sched_grid_format_canon(const char *text)
{
    return s_canon(text, sched_grid_formats, sched_grid_format_aliases);
}

const char *sched_series_day_canon(const char *text)
{
    return s_canon(text, sched_series_days, sched_series_day_aliases);
}

const char *sched_method_canon(const char *text)
{
    int m = sched_method_find(text);
    return m >= 0 ? sched_methods[m].code : NULL;
}
