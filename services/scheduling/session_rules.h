/*  services/scheduling/session_rules.h - what may happen to a session (bijeenkomst).

    A session is planned for an exact start and end (UTC unix ms, shown in
    Europe/Amsterdam time) or only for a period: a month, a quarter ("2020-Q2")
    or a date range ("autumn 2019" = 2019-09-01..2019-11-30). Its status moves

        planned --confirm--> confirmed --hold--> held
           |                    |
           +------cancel--------+-----> cancelled

    (planned may also be held directly: not every session is formally
    confirmed first). A tentative session (onder voorbehoud, "ovb") is one
    whose plan may still change; confirming clears the flag.

    These are plain functions over a plain struct: the service decodes a
    request, fills a session_t from its store, asks the rule, and only then
    changes state. Nothing here touches sockets or LMDB.

    Refusals carry SM_E_FAILED_PRECONDITION (wrong state), SM_E_INVALID_ARGUMENT
    (bad value) or SM_E_CONFLICT (facilitator double-booked), name the field,
    and say what would be accepted.
*/
#ifndef SAMEN_SCHEDULING_SESSION_RULES_H
#define SAMEN_SCHEDULING_SESSION_RULES_H

#include "common/date.h"
#include "common/err.h"
#include "method.h"
#include <stddef.h>
#include <stdint.h>

#define SESSION_CAPACITY_MIN 1
#define SESSION_CAPACITY_MAX 10000
//  A capacity of 0: no limit on places (a survey has none).
#define SESSION_CAPACITY_NONE 0
//  A session longer than a year is a typo in the year, not a session.
#define SESSION_DURATION_MAX_MS ((int64_t)366 * 24 * 3600 * 1000)

typedef enum {
    SESSION_PLANNED,
    SESSION_CONFIRMED,
    SESSION_HELD,
    SESSION_CANCELLED,
    SESSION_STATUS_COUNT
} session_status_t;

typedef enum {
    SESSION_CONFIRM,    //  fix the plan (clears tentative)
    SESSION_HOLD,       //  record that it took place
    SESSION_CANCEL,     //  call it off
    SESSION_RESCHEDULE, //  change its time or period
    SESSION_REGISTER,   //  a participant signs up
    SESSION_ATTEND,     //  record a participant's attendance
    SESSION_ACTION_COUNT
} session_action_t;

typedef struct {
    uint64_t id;       //  S<id>
    uint64_t theme_id; //  T<id>
    method_t method;
    session_status_t status;
    bool tentative; //  onder voorbehoud (ovb)
    //  Exact time when has_time: [start_ms, end_ms) in UTC unix ms.
    //  Otherwise period says roughly when (it must then be set).
    bool has_time;
    int64_t start_ms;
    int64_t end_ms;
    sm_period_t period;
    //  The last day (Amsterdam) on which a participant may register; y == 0:
    //  none. On or before the session's first day (see session_check_deadline).
    sm_date_t registration_deadline;
    int32_t capacity;            //  SESSION_CAPACITY_MIN..SESSION_CAPACITY_MAX, or
                                 //  SESSION_CAPACITY_NONE: no limit
    int64_t reimbursement_cents; //  per participant, >= 0 (EUR 15 = 1500)
    //  Borrowed text for calendars; each may be NULL. Never personal data.
    const char *title;    //  shown after the method name ("Focus group: <title>")
    const char *location; //  a venue, not somebody's home address
    const char *question; //  the central question put to residents
} session_t;

/*  Returns the status as a lower-case word ("planned"), or "?" when out of
    range. Static string. */
const char *session_status_name(session_status_t status);

/*  Parse "planned", "confirmed", "held" or "cancelled" (ASCII case ignored).
    Returns 0, or -1 with err listing the accepted words. */
int session_status_parse(const char *text, session_status_t *out, const char *field, sm_err_t *err);

/*  Returns the action as a verb ("confirm"), or "?" when out of range. */
const char *session_action_name(session_action_t action);

/*  Check an exact time: end strictly after start, both within the years
    1..9999, at most SESSION_DURATION_MAX_MS long. Returns 0, or -1 with err
    (field "end" or "start"). */
int session_check_interval(int64_t start_ms, int64_t end_ms, sm_err_t *err);

/*  Check a capacity: SESSION_CAPACITY_MIN..SESSION_CAPACITY_MAX, or
    SESSION_CAPACITY_NONE (no limit). Takes
    int64_t so that a huge value from the wire is refused, not truncated.
    Returns 0, or -1 with err (field "capacity"). */
int session_check_capacity(int64_t capacity, sm_err_t *err);

/*  Check a reimbursement per participant: 0 up to SM_MONEY_MAX cents.
    Returns 0, or -1 with err (field "reimbursement_cents", as on the wire). */
int session_check_reimbursement(int64_t cents, sm_err_t *err);

/*  The last day a session with registration deadline may open: the day an
    exact session starts (Amsterdam), or the last day of its period (it may
    take place any day up to then). */
sm_date_t session_latest_deadline(const session_t *s);

/*  Check s's registration deadline, when it has one: a real day, not after
    session_latest_deadline (registering closes before the meeting, not
    after it). Returns 0, or -1 with err (field "register_by"),
    e.g. "the registration deadline 2020-03-14 is after the session's day
    2020-03-12; give 2020-03-12 or earlier". */
int session_check_deadline(const session_t *s, sm_err_t *err);

/*  May a participant register for s on today? Yes without a deadline, or
    on or before it, or when after_deadline (the coordinator's override: a
    late phone call that still fits). Returns 0, or -1 with err
    (SM_E_FAILED_PRECONDITION, field "session"): "registration for S31
    closed on 2020-03-05 (its registration deadline); to register anyway,
    give after_deadline: true (samenctl: --after-deadline)". */
int session_registration_open(const session_t *s, sm_date_t today, bool after_deadline,
                              sm_err_t *err);

/*  Check a whole session as the service is about to store it: a valid
    method and status, an exact time (see session_check_interval) or a
    period whose from is not after its to, a valid capacity and
    reimbursement, and its registration deadline (session_check_deadline).
    Returns 0, or -1 with err naming the first bad field. */
int session_validate(const session_t *s, sm_err_t *err);

/*  May action happen to s now? Returns 0 when it may, or -1 with err
    (SM_E_FAILED_PRECONDITION) when not:
      - confirm: not when cancelled, held or already confirmed; not without
        an exact start and end;
      - hold: not when cancelled or already held; not without an exact time;
      - cancel: not when held or already cancelled;
      - reschedule: not when held or cancelled;
      - register: not when held or cancelled;
      - attend: only when held.
    This function can't fail otherwise. */
int session_transition_check(const session_t *s, session_action_t action, sm_err_t *err);

/*  Apply an action already allowed by session_transition_check: confirm sets
    confirmed and clears tentative, hold sets held, cancel sets cancelled;
    reschedule, register and attend leave the status as it is (the caller
    changes the time or the registration list). Can't fail. */
void session_apply(session_t *s, session_action_t action);

/*  Find the earliest of others (ties: lowest id) that overlaps [start_ms,
    end_ms). Intervals are half-open, so one session ending at 21:00 and
    the next starting at 21:00 do not overlap. Sessions that are cancelled,
    have no exact time, or have id self_id (the session being rescheduled;
    pass 0 for a new one) are skipped. Returns the index into others, or -1
    when there is no overlap. Can't fail. */
long session_find_overlap(int64_t start_ms, int64_t end_ms, uint64_t self_id,
                          const session_t *others, size_t n_others);

/*  Refuse to double-book a facilitator (gespreksleider): others are the
    facilitator's other sessions, facilitator its identifier as users know
    it (e.g. "P7"; not a name: messages may be logged). Returns 0 when free,
    or -1 with err (SM_E_CONFLICT, field "start"), e.g. "facilitator P7 is
    already booked in S12 from 19:00 to 21:00 on 2020-03-12". */
int session_check_facilitator(const char *facilitator, int64_t start_ms, int64_t end_ms,
                              uint64_t self_id, const session_t *others, size_t n_others,
                              sm_err_t *err);

/* ==== Recurring series ================================================== */

#define SERIES_COUNT_MAX 260 //  five years of weekly meetings

/*  Which day a monthly rhythm keeps (a weekly one keeps its weekday anyway).
    Meetings are on a weekday people keep free ("the foster-parent café is
    on the second Wednesday"), so that is the default; the same day of the
    month is for the rare meeting tied to a date. */
typedef enum {
    SERIES_SAME_WEEKDAY = 0, //  the first meeting's weekday at the same place in the month:
                             //  the third Wednesday stays the third Wednesday; a fifth
                             //  one (the 29th-31st) becomes the month's last
    SERIES_SAME_DATE,        //  the first meeting's day of the month, clamped to the month's end
    SERIES_DAY_COUNT
} series_day_t;

/*  Returns "weekday" or "date", or "?" when out of range. Static string. */
const char *series_day_name(series_day_t day);

/*  A rhythm: count occurrences (the first included), every_months months
    or every_weeks weeks apart. Exactly one of every_months / every_weeks is
    positive. "3 times a year" is {count, every_months = 4}; day says what
    a monthly rhythm keeps (zero: the weekday). */
typedef struct {
    int count;
    int every_months;
    int every_weeks;
    series_day_t day;
} series_spec_t;

/*  The day of the meeting months months after a first meeting on first:
    by day, the same weekday at the same place in the month
    (sm_date_weekday_ordinal: 1st..4th, or the last for a fifth), or the
    same day of the month clamped to its end. Can't fail (saturates at the
    year 9999 as common/date.h does). */
sm_date_t series_month_day(sm_date_t first, int months, series_day_t day);

typedef struct {
    int64_t start_ms;
    int64_t end_ms;
} occurrence_t;

/*  Fill *out for "times_a_year times a year, count times in all":
    times_a_year must divide 12 (1, 2, 3, 4, 6 or 12). Returns 0, or -1 with
    err (field "times_a_year" or "count"). */
int series_spec_per_year(int times_a_year, int count, series_spec_t *out, sm_err_t *err);

/*  Check a spec. Returns 0, or -1 with err (field "count", "every_months"
    or "every_weeks"). */
int series_spec_check(const series_spec_t *spec, sm_err_t *err);

/*  The occurrences of a series whose first meeting is [first_start_ms,
    first_end_ms): occurrence k starts on the first's Amsterdam date plus
    k x the interval (months by series_month_day: on the same weekday, the
    third Wednesday of January then the third Wednesday of May; or with
    SERIES_SAME_DATE on the same day, clamped to the month's end: a series
    starting 31 January meets 29 February, then 31 March), at the same Amsterdam wall
    clock time, so 19:00 stays 19:00 across summer time; each lasts as long
    as the first. out must have room for spec->count entries (out_len).
    Returns the number written (spec->count), or -1 with err (bad interval,
    bad spec, out_len too small, or an occurrence past year 9999). */
int session_series(int64_t first_start_ms, int64_t first_end_ms, const series_spec_t *spec,
                   occurrence_t *out, size_t out_len, sm_err_t *err);

/*  The periods of a series whose first meeting is known only by a period
    ("a café 3 times a year, the first some time in 2020-03"): occurrence k
    is the first period moved k x every_months months. The kind is kept
    where it still fits: a day stays a day (by series_month_day), a
    month a month, a quarter a quarter when the step is a whole number of
    quarters, a year a year when it is whole years; anything else becomes a
    range, whose end stays on its month's last day when it was on it.
    A weekly rhythm needs an exact time. out must have room for spec->count
    entries (out_len). Returns the number written, or -1 with err (field
    "every_weeks" for a weekly rhythm, "count"/"every_months" for a bad
    spec, "period" when the first period is not valid, or an occurrence
    past the year 9999). */
int session_series_periods(const sm_period_t *first, const series_spec_t *spec, sm_period_t *out,
                           size_t out_len, sm_err_t *err);

#endif
