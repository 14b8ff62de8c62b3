/*  services/reporting/reach.h - reach and representation statistics.

    The programmes name their own weak spots: "always the same people", youth
    and migrants under-represented, some municipalities barely reached,
    feedback that never arrives. This module measures exactly those, from
    plain arrays the service keeps (IDs, coarse attributes and dates only;
    no personal data goes in or comes out).

    Definitions, for a calendar year Y:

    - An attendance is an attendance record with attended = true for a
      held session; the same (session, participant) pair counts once.
      Records for unknown or not-held sessions are ignored.
    - participants: distinct participants with an attendance in a session
      held in Y. A participant's first attendance is the earliest held date
      over all their attendances, all years; first-timers are participants
      whose first attendance falls in Y, returning are the others.
    - concentration: the share of all attendances in Y made by the most
      frequent 10% of participants: the top k = ceil(participants / 10) by
      number of attendances in Y, ties broken by participant ID in natural
      order (P2 before P10). (The tie-break decides who is in the top, never
      the share: tied participants have equal counts.)
    - per municipality: the share of Y's participants living there against
      its share of the inhabitants of all municipalities given, and the
      ratio (participants share / inhabitants share * 100, an integer
      percentage: 100 = represented exactly in proportion, 50 = half as
      often). The ratio is computed from the counts, not from the rounded
      shares, and is -1 when undefined (no participants at all, or a
      municipality with 0 inhabitants). Participants whose municipality is
      missing or not in the list count as "outside".
      Municipality names are matched ignoring ASCII case.
    - per target group: participants in Y having that group (a participant
      counts once in each of their groups).
    - youth: participants in Y whose age band lies wholly under 27 (see
      reach_age_band_is_youth).
    - per method: sessions held in Y with that method code, and attendances
      in them.
    - feedback loop: of the sessions held in Y, how many have a published
      report, how many had their report sent within allowed_days (day
      allowed_days after the session still counts), and the median of the
      days from session to sending over the sent ones; for an even count the
      median is the lower of the two middle values (an integer, never a
      half day).

    All figures are integers. A share is in basis points (1/100 of a
    percent: 10000 = 100%), rounded half up; a share of nothing is 0.
    Cost: sorting plus linear passes, O((S + A + P) log(S + A + P)) for S
    sessions, A attendance records and P participants; 100,000 attendances
    take milliseconds.

    Result strings (names, codes, IDs) point into the input arrays: keep
    the input alive while the result is used.
*/
#ifndef SAMEN_REPORTING_REACH_H
#define SAMEN_REPORTING_REACH_H

#include "common/date.h"
#include "common/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*  Largest number of inhabitants accepted for one municipality. */
#define REACH_INHABITANTS_MAX INT64_C(100000000)

/* ==== Input ============================================================== */

typedef struct {
    const char *session_id;
    const char *participant_id;
    bool attended; //  false: registered but did not come
} reach_attendance_t;

typedef struct {
    const char *id;       //  "S31"
    const char *theme_id; //  "T4"
    const char *method;   //  method code, "FG"
    bool held;            //  only held sessions count; held_on is the day
    sm_date_t held_on;
    bool youth_relevant;   //  on a theme of the Youth Transformation Plan, with youth or parents
    bool report_published; //  its report is published (or sent)
    bool report_sent;      //  its report was sent to the participants on report_sent_on
    sm_date_t report_sent_on;
} reach_session_t;

typedef struct {
    const char *id;           //  "P12"
    const char *municipality; //  name as in the municipality list; NULL when unknown
    const char *const *target_groups;
    size_t n_target_groups;
    const char *age_band; //  "18-26", "65+", "<18"; NULL when unknown
} reach_participant_t;

typedef struct {
    const char *name;
    int64_t inhabitants;
} reach_municipality_t;

typedef struct {
    const reach_session_t *sessions;
    size_t n_sessions;
    const reach_attendance_t *attendance;
    size_t n_attendance;
    const reach_participant_t *participants;
    size_t n_participants;
    const reach_municipality_t *municipalities;
    size_t n_municipalities;
} reach_input_t;

/* ==== Yearly statistics ================================================== */

typedef struct {
    const char *name;
    int64_t inhabitants;
    size_t participants;
    int participants_bp;
    int inhabitants_bp;
    int64_t ratio_pct; //  -1 when undefined
} reach_municipality_row_t;

typedef struct {
    const char *group;
    size_t participants;
    int bp; //  of all participants in the year
} reach_group_row_t;

typedef struct {
    const char *method; //  code; "?" for a session without one
    size_t sessions;
    size_t attendances;
} reach_method_row_t;

typedef struct {
    int year;
    size_t sessions_held;
    size_t attendances;
    size_t participants;
    size_t first_timers;
    size_t returning;
    int first_timers_bp;
    //  "Always the same people"
    size_t top_participants; //  k = ceil(participants / 10)
    size_t top_attendances;  //  attendances made by those k
    int concentration_bp;
    //  Municipalities, in the order given
    reach_municipality_row_t *municipalities;
    size_t n_municipalities;
    int64_t inhabitants_total;
    size_t outside_participants;
    int outside_bp;
    //  Target groups, by name (strcmp order)
    reach_group_row_t *groups;
    size_t n_groups;
    size_t youth;
    int youth_bp;
    //  Methods, by code (strcmp order)
    reach_method_row_t *methods;
    size_t n_methods;
    //  The feedback loop
    int allowed_days;
    size_t reports_published;
    int published_bp;
    size_t reports_sent;
    size_t reports_sent_in_time;
    int sent_in_time_bp;
    bool has_median;             //  false when no report was sent
    int64_t median_days_to_send; //  lower middle for an even count
} reach_t;

/*  Compute the statistics of year (1..9999), counting a report as sent in
    time within allowed_days (1..366; 28 is the programme's rule).
    Returns a new result (destroy with reach_destroy), or NULL with err:
    invalid_argument for year ("year"), allowed_days ("days"), a duplicate
    session, participant or municipality ("sessions", "participants",
    "municipalities"), a municipality with inhabitants out of
    0..REACH_INHABITANTS_MAX ("municipalities"); resource_exhausted when
    out of memory. */
reach_t *reach_compute(const reach_input_t *in, int year, int allowed_days, sm_err_t *err);

/*  Destroy a result and set *self_p to NULL. Safe on NULL and twice. */
void reach_destroy(reach_t **self_p);

/* ==== Tallies for one theme or the youth report ========================== */

/*  Which held sessions a tally counts: all conditions must hold. */
typedef struct {
    int year;             //  0: every year
    const char *theme_id; //  NULL: every theme
    bool youth_only;      //  only youth-relevant sessions
} reach_filter_t;

typedef struct {
    const char *theme_id; //  "?" for sessions without a theme
    size_t sessions;
    size_t attendances;
    size_t participants;             //  distinct
    sm_date_t first_held, last_held; //  of its sessions counted
    size_t first_method, n_methods;  //  its slice of the tally's theme_methods
} reach_theme_row_t;

typedef struct {
    size_t sessions;
    size_t attendances;
    size_t participants;             //  distinct over all sessions counted
    sm_date_t first_held, last_held; //  meaningful when sessions > 0
    reach_method_row_t *methods;     //  by code (strcmp order)
    size_t n_methods;
    reach_theme_row_t *themes; //  by theme ID, natural order (T4 before T10)
    size_t n_themes;
    //  Per theme and method: each theme's rows lie together, by code; a
    //  theme row's first_method and n_methods say where.
    reach_method_row_t *theme_methods;
    size_t n_theme_methods;
} reach_tally_t;

/*  Count the held sessions matching filter: sessions, attendances,
    distinct participants, per method, per theme and per theme and method
    (one tally for a year gives every theme's numbers for the yearly
    overview). Returns a new tally (destroy with reach_tally_destroy), or
    NULL with err as for reach_compute (year may also be 0 here). */
reach_tally_t *reach_tally(const reach_input_t *in, const reach_filter_t *filter, sm_err_t *err);

/*  Destroy a tally and set *self_p to NULL. Safe on NULL and twice. */
void reach_tally_destroy(reach_tally_t **self_p);

/* ==== Vocabulary ========================================================= */

/*  True when an age band lies wholly under 27 years: "A-B" with A <= B <= 26
    ("12-17", "18-26"), or "<N" / "under N" with N <= 27 ("<18"). "A+"
    ("65+"), a band reaching 27 or beyond ("18-30") and anything
    unrecognised (NULL included) are not youth. Spaces around the parts and
    the case of "under" do not matter. This function can't fail. */
bool reach_age_band_is_youth(const char *band);

/*  The name of a method code in the reader's language ("FG" -> "focus
    group", "focusgroep"), or NULL for a code not in the programme's list
    (FG I SB E KB WB T C N, common/vocab.h). */
const char *reach_method_name(const char *code);

#endif
