/*  proto/words_scheduling.c - the words scheduling's ops accept. See
    words_scheduling.h; the words themselves are common/vocab.c's. */
#include "proto/words_scheduling.h"
#include "common/vocab.h"
#include <string.h>

/* ==== Matching ============================================================ */

int words_fold(const char *text, char *out, size_t size)
{
    return sm_vocab_fold(text, out, size);
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

/*  The codes of common/vocab.h's tables, spelt out for the declarations
    (test_theme_rules checks that they agree). */
const char *const sched_domains[] = {"youth",           "social_support", "shelter_and_protection",
                                     "work_and_income", "health",         "other",
                                     NULL};
const char *const sched_phases[] = {"agenda", "development", "implementation", "evaluation", NULL};
const char *const sched_sources[] = {"residents_signals", "regional_agenda", "municipal_request",
                                     NULL};
const char *const sched_theme_statuses[] = {"proposed", "active", "completed", "dropped", NULL};
const char *const sched_scopes[] = {"local", "regional", NULL};
const char *const sched_location_kinds[] = {"address", "online", "on_site", NULL};
const char *const sched_tasks[] = {"recruitment", "facilitation", "minutes", "feedback",
                                   "programme",   "contacts",     "handover", NULL};
const char *const sched_session_statuses[] = {"planned", "confirmed", "held", "cancelled", NULL};
const char *const sched_method_codes[] = {"FG", "I", "SB", "E", "KB", "WB", "T", "C", "N", NULL};

const char *const sched_grid_formats[] = {"text", "csv", "md", "html", NULL};
const word_alias_t sched_grid_format_aliases[] = {{"markdown", 2}, {NULL, 0}};
const char *const sched_series_days[] = {"weekday", "date", NULL};
const word_alias_t sched_series_day_aliases[] = {
    {"weekdag", 0}, {"dag van de week", 0}, {"datum", 1}, {"day of month", 1}, {NULL, 0}};

/* ==== Canonical words ===================================================== */

const char *sched_domain_canon(const char *text)
{
    return sm_canon_domain(text);
}

const char *sched_phase_canon(const char *text)
{
    return sm_canon_phase(text);
}

const char *sched_source_canon(const char *text)
{
    return sm_canon_theme_source(text);
}

const char *sched_theme_status_canon(const char *text)
{
    return sm_canon_theme_status(text);
}

const char *sched_scope_canon(const char *text)
{
    return sm_canon_scope(text);
}

const char *sched_location_kind_canon(const char *text)
{
    return sm_canon_location(text);
}

const char *sched_task_canon(const char *text)
{
    return sm_canon_task(text);
}

const char *sched_session_status_canon(const char *text)
{
    return sm_canon_session_status(text);
}

const char *sched_grid_format_canon(const char *text)
{
    int i = words_find(text, sched_grid_formats, 4, sched_grid_format_aliases);
    return i >= 0 ? sched_grid_formats[i] : NULL;
}

const char *sched_series_day_canon(const char *text)
{
    int i = words_find(text, sched_series_days, 2, sched_series_day_aliases);
    return i >= 0 ? sched_series_days[i] : NULL;
}

const char *sched_method_canon(const char *text)
{
    return sm_canon_method(text);
}
