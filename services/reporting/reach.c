/*  services/reporting/reach.c - reach and representation statistics. See reach.h.

    Everything is sorting and linear passes: sessions and participants are
    sorted by ID once so that lookups are binary searches, and the attended
    records are sorted by (participant, session) so that each participant's
    records lie together and duplicates lie side by side.
*/
#include "reach.h"
#include "common/i18n.h"
#include "common/vocab.h"
#include "ident.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*  Largest number of municipalities accepted (the region has eight); keeps
    the sums of inhabitants far from overflowing. */
#define S_MUNICIPALITIES_MAX 100000

/* ==== Small helpers ====================================================== */

/*  part / whole in basis points, rounded half up; 0 when whole is 0. */
static int s_bp(uint64_t part, uint64_t whole)
{
    if (whole == 0)
        return 0;
    return (int)(((unsigned __int128)part * 10000u + whole / 2) / whole);
}

/*  num / den rounded half up, for den > 0. */
static int64_t s_round_div(unsigned __int128 num, unsigned __int128 den)
{
    return (int64_t)((num + den / 2) / den);
}

/*  ASCII-only case-insensitive compare, independent of the locale. */
static int s_ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca = (unsigned char)(ca - 'A' + 'a');
        if (cb >= 'A' && cb <= 'Z')
            cb = (unsigned char)(cb - 'A' + 'a');
        if (ca != cb || ca == '\0')
            return (int)ca - (int)cb;
    }
}

/*  True when s starts with prefix (lower case), ignoring ASCII case. */
static bool s_ascii_casecmp_prefix(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
        if (c != *prefix)
            return false;
    }
    return true;
}

/*  A sort key: a string and the index of the row it came from. */
typedef struct {
    const char *key;
    size_t idx;
} s_key_t;

static int s_key_cmp(const void *a, const void *b)
{
    const s_key_t *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->idx < y->idx ? -1 : (x->idx > y->idx));
}

static int s_key_find_cmp(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const s_key_t *)elem)->key);
}

static int s_key_casecmp(const void *a, const void *b)
{
    const s_key_t *x = a, *y = b;
    int c = s_ascii_casecmp(x->key, y->key);
    return c ? c : (x->idx < y->idx ? -1 : (x->idx > y->idx));
}

static int s_key_find_casecmp(const void *key, const void *elem)
{
    return s_ascii_casecmp((const char *)key, ((const s_key_t *)elem)->key);
}

/*  qsort, but fine with no elements (qsort's pointer must not be NULL). */
static void s_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

/*  calloc that never asks for 0 bytes, so that NULL always means failure. */
static void *s_alloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

static int s_oom(sm_err_t *err)
{
    return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL,
                      _("out of memory while computing statistics; try again later"));
}

/* ==== The index ========================================================== */

/*  One attended (participant, session) pair; session is an index into the
    input's sessions. */
typedef struct {
    const char *pid;
    size_t session;
} s_rec_t;

static int s_rec_cmp(const void *a, const void *b)
{
    const s_rec_t *x = a, *y = b;
    int c = strcmp(x->pid, y->pid);
    return c ? c : (x->session < y->session ? -1 : (x->session > y->session));
}

typedef struct {
    const reach_input_t *in;
    s_key_t *sessions;     //  by ID
    s_key_t *participants; //  by ID
    s_rec_t *recs;         //  attended records of held sessions, by (pid, session), no repeats
    size_t n_recs;
} s_index_t;

static void s_index_free(s_index_t *ix)
{
    free(ix->sessions);
    free(ix->participants);
    free(ix->recs);
    *ix = (s_index_t){0};
}

/*  Sort n IDs into keys and refuse a missing or repeated one.
    Returns 0, or -1 with err. */
static int s_sort_ids(s_key_t *keys, size_t n, const char *field, const char *noun, sm_err_t *err)
{
    for (size_t i = 0; i < n; i++)
        if (!keys[i].key || !*keys[i].key)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s number %zu has no ID; every %s needs one"), noun, i + 1, noun);
    s_sort(keys, n, sizeof *keys, s_key_cmp);
    for (size_t i = 1; i < n; i++)
        if (strcmp(keys[i].key, keys[i - 1].key) == 0)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s %.32s appears twice; give each %s once"), noun, keys[i].key,
                              noun);
    return 0;
}

/*  Build the index. Returns 0, or -1 with err and ix empty. */
static int s_index_build(const reach_input_t *in, s_index_t *ix, sm_err_t *err)
{
    *ix = (s_index_t){.in = in};
    ix->sessions = s_alloc(in->n_sessions, sizeof *ix->sessions);
    ix->participants = s_alloc(in->n_participants, sizeof *ix->participants);
    ix->recs = s_alloc(in->n_attendance, sizeof *ix->recs);
    if (!ix->sessions || !ix->participants || !ix->recs) {
        s_index_free(ix);
        return s_oom(err);
    }
    for (size_t i = 0; i < in->n_sessions; i++)
        ix->sessions[i] = (s_key_t){in->sessions[i].id, i};
    for (size_t i = 0; i < in->n_participants; i++)
        ix->participants[i] = (s_key_t){in->participants[i].id, i};
    if (s_sort_ids(ix->sessions, in->n_sessions, "sessions", "session", err) != 0 ||
        s_sort_ids(ix->participants, in->n_participants, "participants", "participant", err) != 0) {
        s_index_free(ix);
        return -1;
    }
    for (size_t i = 0; i < in->n_attendance; i++) {
        const reach_attendance_t *a = &in->attendance[i];
        if (!a->attended || !a->participant_id || !a->session_id)
            continue;
        const s_key_t *s = bsearch(a->session_id, ix->sessions, in->n_sessions,
                                   sizeof *ix->sessions, s_key_find_cmp);
        if (!s || !in->sessions[s->idx].held)
            continue;
        ix->recs[ix->n_recs++] = (s_rec_t){a->participant_id, s->idx};
    }
    s_sort(ix->recs, ix->n_recs, sizeof *ix->recs, s_rec_cmp);
    //  The same person marked present twice for one session is one attendance.
    size_t kept = 0;
    for (size_t i = 0; i < ix->n_recs; i++)
        if (kept == 0 || s_rec_cmp(&ix->recs[kept - 1], &ix->recs[i]) != 0)
            ix->recs[kept++] = ix->recs[i];
    ix->n_recs = kept;
    return 0;
}

/*  The participant row of pid, or NULL when the input has none. */
static const reach_participant_t *s_participant(const s_index_t *ix, const char *pid)
{
    const s_key_t *k = bsearch(pid, ix->participants, ix->in->n_participants,
                               sizeof *ix->participants, s_key_find_cmp);
    return k ? &ix->in->participants[k->idx] : NULL;
}

/*  Per-method rows for the sessions marked in chosen, and the attendances
    among recs in them. Returns the rows (by code) with *n_out set, or NULL
    when out of memory. */
static reach_method_row_t *s_method_rows(const s_index_t *ix, const bool *chosen, size_t *n_out)
{
    const reach_input_t *in = ix->in;
    reach_method_row_t *rows = NULL;
    s_key_t *keys = s_alloc(in->n_sessions, sizeof *keys);
    if (!keys)
        return NULL;
    size_t n_keys = 0;
    for (size_t i = 0; i < in->n_sessions; i++)
        if (chosen[i])
            keys[n_keys++] = (s_key_t){in->sessions[i].method ? in->sessions[i].method : "?", i};
    s_sort(keys, n_keys, sizeof *keys, s_key_cmp);
    rows = s_alloc(n_keys, sizeof *rows);
    if (!rows)
        goto cleanup;
    size_t n_rows = 0;
    for (size_t i = 0; i < n_keys; i++) {
        if (n_rows == 0 || strcmp(rows[n_rows - 1].method, keys[i].key) != 0)
            rows[n_rows++] = (reach_method_row_t){.method = keys[i].key};
        rows[n_rows - 1].sessions++;
    }
    for (size_t i = 0; i < ix->n_recs; i++) {
        size_t s = ix->recs[i].session;
        if (!chosen[s])
            continue;
        const char *method = in->sessions[s].method ? in->sessions[s].method : "?";
        //  rows are in strcmp order of method, the first member of the row.
        size_t lo = 0, hi = n_rows;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = strcmp(rows[mid].method, method);
            if (c == 0) {
                rows[mid].attendances++;
                break;
            }
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    *n_out = n_rows;
cleanup:
    free(keys);
    return rows;
}

/* ==== Yearly statistics ================================================== */

typedef struct {
    const char *pid;
    size_t n;                     //  attendances in the year
    const reach_participant_t *p; //  NULL when the input has no row
} s_yearly_t;

/*  Most attendances first, then ID in natural order: the concentration's
    tie-break. */
static int s_yearly_cmp(const void *a, const void *b)
{
    const s_yearly_t *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return ident_cmp(x->pid, y->pid);
}

static int s_int64_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int s_check_municipalities(const reach_input_t *in, s_key_t *keys, sm_err_t *err)
{
    for (size_t i = 0; i < in->n_municipalities; i++) {
        const reach_municipality_t *m = &in->municipalities[i];
        if (!m->name || !*m->name)
            return sm_err_set(
                err, SM_E_INVALID_ARGUMENT, "municipalities",
                _("municipality number %zu has no name; every municipality needs one"), i + 1);
        if (m->inhabitants < 0 || m->inhabitants > REACH_INHABITANTS_MAX)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "municipalities",
                              _("municipality %.64s has %lld inhabitants; give a number from 0 to "
                                "%lld"),
                              m->name, (long long)m->inhabitants, (long long)REACH_INHABITANTS_MAX);
        keys[i] = (s_key_t){m->name, i};
    }
    s_sort(keys, in->n_municipalities, sizeof *keys, s_key_casecmp);
    for (size_t i = 1; i < in->n_municipalities; i++)
        if (s_ascii_casecmp(keys[i].key, keys[i - 1].key) == 0)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "municipalities",
                              _("municipality %.64s appears twice; give each municipality once"),
                              keys[i].key);
    return 0;
}

/*  Fill the municipality rows and the outside count. Returns 0 or -1 (oom). */
static int s_municipalities(reach_t *r, const reach_input_t *in, const s_key_t *keys,
                            const s_yearly_t *yearly, size_t n_yearly)
{
    r->municipalities = s_alloc(in->n_municipalities, sizeof *r->municipalities);
    if (!r->municipalities)
        return -1;
    r->n_municipalities = in->n_municipalities;
    for (size_t i = 0; i < in->n_municipalities; i++) {
        r->municipalities[i].name = in->municipalities[i].name;
        r->municipalities[i].inhabitants = in->municipalities[i].inhabitants;
        r->inhabitants_total += in->municipalities[i].inhabitants;
    }
    for (size_t i = 0; i < n_yearly; i++) {
        const char *name = yearly[i].p ? yearly[i].p->municipality : NULL;
        const s_key_t *k =
            name ? bsearch(name, keys, in->n_municipalities, sizeof *keys, s_key_find_casecmp)
                 : NULL;
        if (k)
            r->municipalities[k->idx].participants++;
        else
            r->outside_participants++;
    }
    for (size_t i = 0; i < r->n_municipalities; i++) {
        reach_municipality_row_t *m = &r->municipalities[i];
        m->participants_bp = s_bp(m->participants, r->participants);
        m->inhabitants_bp = s_bp((uint64_t)m->inhabitants, (uint64_t)r->inhabitants_total);
        //  (p / P) / (i / I) * 100 = p * I * 100 / (P * i), from the counts so
        //  that the rounding of the two shares does not add up.
        if (r->participants > 0 && m->inhabitants > 0)
            m->ratio_pct = s_round_div(
                (unsigned __int128)m->participants * (uint64_t)r->inhabitants_total * 100u,
                (unsigned __int128)r->participants * (uint64_t)m->inhabitants);
        else
            m->ratio_pct = -1;
    }
    r->outside_bp = s_bp(r->outside_participants, r->participants);
    return 0;
}

/*  Fill the target-group rows. Returns 0 or -1 (oom). */
static int s_groups(reach_t *r, const s_yearly_t *yearly, size_t n_yearly)
{
    size_t n_pairs = 0;
    for (size_t i = 0; i < n_yearly; i++)
        if (yearly[i].p && yearly[i].p->target_groups)
            n_pairs += yearly[i].p->n_target_groups;
    s_key_t *pairs = s_alloc(n_pairs, sizeof *pairs);
    if (!pairs)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < n_yearly; i++) {
        const reach_participant_t *p = yearly[i].p;
        if (!p || !p->target_groups)
            continue;
        for (size_t g = 0; g < p->n_target_groups; g++)
            if (p->target_groups[g] && *p->target_groups[g])
                pairs[n++] = (s_key_t){p->target_groups[g], i};
    }
    s_sort(pairs, n, sizeof *pairs, s_key_cmp);
    r->groups = s_alloc(n, sizeof *r->groups);
    if (!r->groups) {
        free(pairs);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        bool new_group = i == 0 || strcmp(pairs[i].key, pairs[i - 1].key) != 0;
        if (new_group)
            r->groups[r->n_groups++] = (reach_group_row_t){.group = pairs[i].key};
        //  A group listed twice for one participant still counts them once.
        if (new_group || pairs[i].idx != pairs[i - 1].idx)
            r->groups[r->n_groups - 1].participants++;
    }
    for (size_t i = 0; i < r->n_groups; i++)
        r->groups[i].bp = s_bp(r->groups[i].participants, r->participants);
    free(pairs);
    return 0;
}

/*  Fill the feedback-loop figures from the sessions marked in chosen.
    Returns 0 or -1 (oom). */
static int s_feedback(reach_t *r, const reach_input_t *in, const bool *chosen)
{
    int64_t *days = s_alloc(in->n_sessions, sizeof *days);
    if (!days)
        return -1;
    for (size_t i = 0; i < in->n_sessions; i++) {
        if (!chosen[i])
            continue;
        const reach_session_t *s = &in->sessions[i];
        if (s->report_published || s->report_sent)
            r->reports_published++;
        if (s->report_sent) {
            int64_t d = sm_date_diff(s->held_on, s->report_sent_on);
            days[r->reports_sent++] = d;
            if (d <= r->allowed_days)
                r->reports_sent_in_time++;
        }
    }
    r->published_bp = s_bp(r->reports_published, r->sessions_held);
    r->sent_in_time_bp = s_bp(r->reports_sent_in_time, r->sessions_held);
    if (r->reports_sent > 0) {
        s_sort(days, r->reports_sent, sizeof *days, s_int64_cmp);
        r->has_median = true;
        r->median_days_to_send = days[(r->reports_sent - 1) / 2];
    }
    free(days);
    return 0;
}

static int s_check_common(const reach_input_t *in, sm_err_t *err)
{
    if (!in || (in->n_sessions && !in->sessions) || (in->n_attendance && !in->attendance) ||
        (in->n_participants && !in->participants) || (in->n_municipalities && !in->municipalities))
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("statistics asked for without input"));
    if (in->n_municipalities > S_MUNICIPALITIES_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "municipalities",
                          _("%zu municipalities given; at most %d are accepted"),
                          in->n_municipalities, S_MUNICIPALITIES_MAX);
    return 0;
}

reach_t *reach_compute(const reach_input_t *in, int year, int allowed_days, sm_err_t *err)
{
    if (s_check_common(in, err) != 0)
        return NULL;
    if (year < 1 || year > 9999) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "year",
                   _("year must be a whole number from 1 to 9999, got %d"), year);
        return NULL;
    }
    if (allowed_days < 1 || allowed_days > 366) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "days",
                   _("days must be a whole number from 1 to 366 (the programme uses 28), got %d"),
                   allowed_days);
        return NULL;
    }
    reach_t *r = NULL;
    s_index_t ix = {0};
    s_key_t *mkeys = NULL;
    bool *chosen = NULL;
    s_yearly_t *yearly = NULL;
    bool ok = false;

    mkeys = s_alloc(in->n_municipalities, sizeof *mkeys);
    if (!mkeys) {
        s_oom(err);
        goto cleanup;
    }
    if (s_check_municipalities(in, mkeys, err) != 0)
        goto cleanup;
    if (s_index_build(in, &ix, err) != 0)
        goto cleanup;
    r = calloc(1, sizeof *r);
    chosen = s_alloc(in->n_sessions, sizeof *chosen);
    yearly = s_alloc(ix.n_recs, sizeof *yearly);
    if (!r || !chosen || !yearly) {
        s_oom(err);
        goto cleanup;
    }
    r->year = year;
    r->allowed_days = allowed_days;
    for (size_t i = 0; i < in->n_sessions; i++) {
        chosen[i] = in->sessions[i].held && in->sessions[i].held_on.y == year;
        r->sessions_held += chosen[i];
    }

    //  One pass over each participant's records (they lie together): the
    //  first attendance ever, and the attendances in the year.
    size_t n_yearly = 0;
    for (size_t i = 0; i < ix.n_recs;) {
        size_t j = i;
        int64_t first = INT64_MAX;
        size_t in_year = 0;
        for (; j < ix.n_recs && strcmp(ix.recs[j].pid, ix.recs[i].pid) == 0; j++) {
            const reach_session_t *s = &in->sessions[ix.recs[j].session];
            int64_t d = sm_date_to_days(s->held_on);
            if (d < first)
                first = d;
            in_year += chosen[ix.recs[j].session];
        }
        if (in_year > 0) {
            yearly[n_yearly++] =
                (s_yearly_t){ix.recs[i].pid, in_year, s_participant(&ix, ix.recs[i].pid)};
            r->attendances += in_year;
            if (sm_date_from_days(first).y == year)
                r->first_timers++;
        }
        i = j;
    }
    r->participants = n_yearly;
    r->returning = n_yearly - r->first_timers;
    r->first_timers_bp = s_bp(r->first_timers, n_yearly);

    s_sort(yearly, n_yearly, sizeof *yearly, s_yearly_cmp);
    r->top_participants = (n_yearly + 9) / 10;
    for (size_t i = 0; i < r->top_participants; i++)
        r->top_attendances += yearly[i].n;
    r->concentration_bp = s_bp(r->top_attendances, r->attendances);

    for (size_t i = 0; i < n_yearly; i++)
        if (yearly[i].p && reach_age_band_is_youth(yearly[i].p->age_band))
            r->youth++;
    r->youth_bp = s_bp(r->youth, n_yearly);

    if (s_municipalities(r, in, mkeys, yearly, n_yearly) != 0 ||
        s_groups(r, yearly, n_yearly) != 0 || s_feedback(r, in, chosen) != 0 ||
        !(r->methods = s_method_rows(&ix, chosen, &r->n_methods))) {
        s_oom(err);
        goto cleanup;
    }
    ok = true;
cleanup:
    if (!ok)
        reach_destroy(&r);
    free(mkeys);
    free(chosen);
    free(yearly);
    s_index_free(&ix);
    return r;
}

void reach_destroy(reach_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    reach_t *self = *self_p;
    free(self->municipalities);
    free(self->groups);
    free(self->methods);
    free(self);
    *self_p = NULL;
}

/* ==== Tallies ============================================================ */

typedef struct {
    const char *theme;
    const char *pid;
} s_theme_pid_t;

static int s_theme_pid_cmp(const void *a, const void *b)
{
    const s_theme_pid_t *x = a, *y = b;
    int c = strcmp(x->theme, y->theme);
    return c ? c : strcmp(x->pid, y->pid);
}

/*  A chosen session by (theme, method). */
typedef struct {
    const char *theme;
    const char *method;
    size_t idx;
} s_theme_method_t;

static int s_theme_method_cmp(const void *a, const void *b)
{
    const s_theme_method_t *x = a, *y = b;
    int c = strcmp(x->theme, y->theme);
    if (c == 0)
        c = strcmp(x->method, y->method);
    return c ? c : (x->idx < y->idx ? -1 : (x->idx > y->idx));
}

static int s_theme_row_cmp(const void *a, const void *b)
{
    return ident_cmp(((const reach_theme_row_t *)a)->theme_id,
                     ((const reach_theme_row_t *)b)->theme_id);
}

static const char *s_theme_of(const reach_session_t *s)
{
    return s->theme_id ? s->theme_id : "?";
}

static const char *s_method_of(const reach_session_t *s)
{
    return s->method ? s->method : "?";
}

/*  The row of theme among rows[0..n) in strcmp order, or NULL. */
static reach_theme_row_t *s_find_theme(reach_theme_row_t *rows, size_t n, const char *theme)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(rows[mid].theme_id, theme);
        if (c == 0)
            return &rows[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/*  Fill the per-theme and per-theme-and-method rows. Returns 0 or -1 (oom). */
static int s_theme_rows(reach_tally_t *t, const s_index_t *ix, const bool *chosen)
{
    const reach_input_t *in = ix->in;
    int rc = -1;
    s_theme_method_t *keys = s_alloc(t->sessions, sizeof *keys);
    s_theme_pid_t *pairs = s_alloc(t->attendances, sizeof *pairs);
    t->themes = s_alloc(t->sessions, sizeof *t->themes);
    t->theme_methods = s_alloc(t->sessions, sizeof *t->theme_methods);
    if (!keys || !pairs || !t->themes || !t->theme_methods)
        goto cleanup;
    size_t n_keys = 0, n_pairs = 0;
    for (size_t i = 0; i < in->n_sessions; i++)
        if (chosen[i])
            keys[n_keys++] =
                (s_theme_method_t){s_theme_of(&in->sessions[i]), s_method_of(&in->sessions[i]), i};
    s_sort(keys, n_keys, sizeof *keys, s_theme_method_cmp);
    for (size_t i = 0; i < n_keys; i++) {
        sm_date_t held = in->sessions[keys[i].idx].held_on;
        bool new_theme = i == 0 || strcmp(keys[i].theme, keys[i - 1].theme) != 0;
        if (new_theme)
            t->themes[t->n_themes++] = (reach_theme_row_t){.theme_id = keys[i].theme,
                                                           .first_held = held,
                                                           .last_held = held,
                                                           .first_method = t->n_theme_methods};
        reach_theme_row_t *row = &t->themes[t->n_themes - 1];
        if (new_theme || strcmp(keys[i].method, keys[i - 1].method) != 0) {
            t->theme_methods[t->n_theme_methods++] = (reach_method_row_t){.method = keys[i].method};
            row->n_methods++;
        }
        t->theme_methods[t->n_theme_methods - 1].sessions++;
        row->sessions++;
        if (sm_date_cmp(held, row->first_held) < 0)
            row->first_held = held;
        if (sm_date_cmp(held, row->last_held) > 0)
            row->last_held = held;
    }
    //  Attendances per theme and method; a theme has a handful of methods,
    //  so its slice is searched in a line.
    for (size_t i = 0; i < ix->n_recs; i++) {
        const reach_session_t *s = &in->sessions[ix->recs[i].session];
        if (!chosen[ix->recs[i].session])
            continue;
        reach_theme_row_t *row = s_find_theme(t->themes, t->n_themes, s_theme_of(s));
        if (!row)
            continue; //  cannot happen: every chosen session made its theme's row
        row->attendances++;
        for (size_t m = row->first_method; m < row->first_method + row->n_methods; m++)
            if (strcmp(t->theme_methods[m].method, s_method_of(s)) == 0) {
                t->theme_methods[m].attendances++;
                break;
            }
        pairs[n_pairs++] = (s_theme_pid_t){s_theme_of(s), ix->recs[i].pid};
    }
    s_sort(pairs, n_pairs, sizeof *pairs, s_theme_pid_cmp);
    for (size_t i = 0; i < n_pairs; i++) {
        if (i > 0 && s_theme_pid_cmp(&pairs[i], &pairs[i - 1]) == 0)
            continue;
        reach_theme_row_t *row = s_find_theme(t->themes, t->n_themes, pairs[i].theme);
        if (row)
            row->participants++;
    }
    //  Only now, with every lookup done, into the order people read.
    s_sort(t->themes, t->n_themes, sizeof *t->themes, s_theme_row_cmp);
    rc = 0;
cleanup:
    free(keys);
    free(pairs);
    return rc;
}

reach_tally_t *reach_tally(const reach_input_t *in, const reach_filter_t *filter, sm_err_t *err)
{
    if (s_check_common(in, err) != 0)
        return NULL;
    reach_filter_t f = filter ? *filter : (reach_filter_t){0};
    if (f.year < 0 || f.year > 9999) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "year",
                   _("year must be a whole number from 1 to 9999 (or 0 for every year), got %d"),
                   f.year);
        return NULL;
    }
    reach_tally_t *t = NULL;
    s_index_t ix = {0};
    bool *chosen = NULL;
    bool ok = false;
    if (s_index_build(in, &ix, err) != 0)
        goto cleanup;
    t = calloc(1, sizeof *t);
    chosen = s_alloc(in->n_sessions, sizeof *chosen);
    if (!t || !chosen) {
        s_oom(err);
        goto cleanup;
    }
    for (size_t i = 0; i < in->n_sessions; i++) {
        const reach_session_t *s = &in->sessions[i];
        chosen[i] = s->held && (f.year == 0 || s->held_on.y == f.year) &&
                    (!f.theme_id || (s->theme_id && strcmp(s->theme_id, f.theme_id) == 0)) &&
                    (!f.youth_only || s->youth_relevant);
        if (!chosen[i])
            continue;
        if (t->sessions == 0 || sm_date_cmp(s->held_on, t->first_held) < 0)
            t->first_held = s->held_on;
        if (t->sessions == 0 || sm_date_cmp(s->held_on, t->last_held) > 0)
            t->last_held = s->held_on;
        t->sessions++;
    }
    //  Records are sorted by participant: a new participant starts where the ID changes.
    const char *last = NULL;
    for (size_t i = 0; i < ix.n_recs; i++) {
        if (!chosen[ix.recs[i].session])
            continue;
        t->attendances++;
        if (!last || strcmp(last, ix.recs[i].pid) != 0)
            t->participants++;
        last = ix.recs[i].pid;
    }
    if (!(t->methods = s_method_rows(&ix, chosen, &t->n_methods)) ||
        s_theme_rows(t, &ix, chosen) != 0) {
        s_oom(err);
        goto cleanup;
    }
    ok = true;
cleanup:
    if (!ok)
        reach_tally_destroy(&t);
    free(chosen);
    s_index_free(&ix);
    return t;
}

void reach_tally_destroy(reach_tally_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    reach_tally_t *self = *self_p;
    free(self->methods);
    free(self->themes);
    free(self->theme_methods);
    free(self);
    *self_p = NULL;
}

/* ==== Vocabulary ========================================================= */

/*  Skip spaces, read a whole number of at most 3 digits (ages). Returns the
    position after it, or NULL when there is none. */
static const char *s_age(const char *p, int *out)
{
    while (*p == ' ')
        p++;
    if (*p < '0' || *p > '9')
        return NULL;
    int v = 0, n = 0;
    for (; *p >= '0' && *p <= '9'; p++, n++) {
        if (n == 3)
            return NULL;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    while (*p == ' ')
        p++;
    return p;
}

bool reach_age_band_is_youth(const char *band)
{
    if (!band)
        return false;
    const char *p = band;
    while (*p == ' ')
        p++;
    int lo, hi;
    if (*p == '<' || s_ascii_casecmp_prefix(p, "under ")) {
        p += *p == '<' ? 1 : 6;
        p = s_age(p, &hi);
        //  "<27" and "under 27" exclude 27 itself.
        return p && *p == '\0' && hi <= 27;
    }
    p = s_age(p, &lo);
    if (!p || *p != '-')
        return false;
    p = s_age(p + 1, &hi);
    return p && *p == '\0' && lo <= hi && hi <= 26;
}

const char *reach_method_name(const char *code)
{
    /*  Codes only: the store holds canonical codes, and a text that merely
        spells a method is not one of the programme's codes. */
    for (int i = 0; code && i < SM_VOCAB_METHOD.count; i++)
        if (strcmp(code, sm_vocab_code(&SM_VOCAB_METHOD, i)) == 0)
            return sm_vocab_name(&SM_VOCAB_METHOD, i);
    return NULL;
}
