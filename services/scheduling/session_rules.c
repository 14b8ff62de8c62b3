/*  services/scheduling/session_rules.c - what may happen to a session.
    See session_rules.h. */
#include "session_rules.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/vocab.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define S_DAY_MS ((int64_t)86400000)
//  1900-01-01T00:00Z and 9999-12-31T00:00Z: the calendar the rest of samen
//  can show, with a day's margin for the Amsterdam offset at the top end.
#define S_TIME_MIN_MS ((int64_t)-2208988800000LL)
#define S_TIME_MAX_MS ((int64_t)253402214400000LL)

static const char *const s_action_names[SESSION_ACTION_COUNT] = {
    "confirm", "hold", "cancel", "reschedule", "register", "attend"};

const char *session_status_name(session_status_t status)
{
    return (int)status >= 0 && status < SESSION_STATUS_COUNT
               ? sm_vocab_code(&SM_VOCAB_SESSION_STATUS, (int)status)
               : "?";
}

int session_status_parse(const char *text, session_status_t *out, const char *field, sm_err_t *err)
{
    const char *what = field ? field : "status";
    /*  A code, or a name in any language samen speaks (common/vocab.h). */
    int i = sm_vocab_find(&SM_VOCAB_SESSION_STATUS, text);
    if (i >= 0 && i < SESSION_STATUS_COUNT) {
        *out = (session_status_t)i;
        return 0;
    }
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, what,
                      _("%s is not a session status; use planned, confirmed, held or cancelled"),
                      what);
}

const char *session_action_name(session_action_t action)
{
    return (int)action >= 0 && action < SESSION_ACTION_COUNT ? s_action_names[action] : "?";
}

/* ==== Value checks ====================================================== */

int session_check_interval(int64_t start_ms, int64_t end_ms, sm_err_t *err)
{
    if (start_ms < S_TIME_MIN_MS || start_ms > S_TIME_MAX_MS)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "start",
                          _("start is outside the calendar; give a time between 1900 and 9999"));
    if (end_ms < S_TIME_MIN_MS || end_ms > S_TIME_MAX_MS)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "end",
                          _("end is outside the calendar; give a time between 1900 and 9999"));
    if (end_ms <= start_ms) {
        char s[24], e[24];
        sm_datetime_format_local(start_ms, s);
        sm_datetime_format_local(end_ms, e);
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "end",
                          _("end %s is not after start %s; give an end later than the start"), e,
                          s);
    }
    if (end_ms - start_ms > SESSION_DURATION_MAX_MS)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "end",
                          _("a session lasts at most 366 days; check the year of start and end"));
    return 0;
}

int session_check_capacity(int64_t capacity, sm_err_t *err)
{
    if ((capacity < SESSION_CAPACITY_MIN && capacity != SESSION_CAPACITY_NONE) ||
        capacity > SESSION_CAPACITY_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "capacity",
                          _("capacity %1$" PRId64 " is not possible; give a number of places "
                            "from %2$d to %3$d, or %4$d for no limit"),
                          capacity, SESSION_CAPACITY_MIN, SESSION_CAPACITY_MAX,
                          SESSION_CAPACITY_NONE);
    return 0;
}

int session_check_reimbursement(int64_t cents, sm_err_t *err)
{
    if (cents < 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "reimbursement_cents",
                          _("reimbursement must not be negative; give an amount of EUR 0.00 or "
                            "more (e.g. 15.00)"));
    if (cents > SM_MONEY_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "reimbursement_cents",
                          _("reimbursement is too large; give at most EUR 10,000,000,000,000.00"));
    return 0;
}

int session_validate(const session_t *s, sm_err_t *err)
{
    if (!method_valid((int)s->method))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "method",
                          _("method is not valid; use FG, I, SB, E, KB, WB, T, C or N"));
    if ((int)s->status < 0 || s->status >= SESSION_STATUS_COUNT)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "status",
                          _("status is not valid; use planned, confirmed, held or cancelled"));
    if (s->has_time) {
        if (session_check_interval(s->start_ms, s->end_ms, err) != 0)
            return -1;
    } else {
        const sm_period_t *p = &s->period;
        if ((int)p->kind < SM_PERIOD_DAY || p->kind > SM_PERIOD_RANGE ||
            !sm_date_valid(p->from.y, p->from.m, p->from.d) ||
            !sm_date_valid(p->to.y, p->to.m, p->to.d) || sm_date_cmp(p->from, p->to) > 0)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "period",
                              _("a session needs an exact start and end or a period (2020-03, "
                                "2020-Q2 or 2019-09-01..2019-11-30)"));
    }
    if (session_check_capacity(s->capacity, err) != 0 ||
        session_check_reimbursement(s->reimbursement_cents, err) != 0)
        return -1;
    return session_check_deadline(s, err);
}

sm_date_t session_latest_deadline(const session_t *s)
{
    return s->has_time ? sm_date_of_ms(s->start_ms) : s->period.to;
}

int session_check_deadline(const session_t *s, sm_err_t *err)
{
    const sm_date_t *d = &s->registration_deadline;
    if (d->y == 0)
        return 0;
    if (!sm_date_valid(d->y, d->m, d->d))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "register_by",
                          "%s",
                          _("the registration deadline is not a day of the calendar; give a date "
                            "like 2020-03-05"));
    sm_date_t last = session_latest_deadline(s);
    if (sm_date_cmp(*d, last) > 0) {
        char a[12], b[12];
        sm_date_format(*d, a);
        sm_date_format(last, b);
        if (s->has_time)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "register_by",
                              _("the registration deadline %1$s is after the session's day %2$s; "
                                "give %2$s or earlier"),
                              a, b);
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "register_by",
                          _("the registration deadline %1$s is after the session's last possible "
                            "day %2$s; give %2$s or earlier"),
                          a, b);
    }
    return 0;
}

int session_registration_open(const session_t *s, sm_date_t today, bool after_deadline,
                              sm_err_t *err)
{
    if (s->registration_deadline.y == 0 || after_deadline ||
        sm_date_cmp(today, s->registration_deadline) <= 0)
        return 0;
    char d[12];
    return sm_err_set(err, SM_E_FAILED_PRECONDITION, "session",
                      _("registration for S%1$" PRIu64 " closed on %2$s (its registration "
                        "deadline); to register anyway, give after_deadline: true (samenctl: "
                        "--after-deadline)"),
                      s->id, sm_date_format(s->registration_deadline, d));
}

/* ==== Transitions ======================================================= */

/*  Refuse action on s because it has no exact time. Returns -1. */
static int s_needs_time(const session_t *s, const char *to_do, sm_err_t *err)
{
    char period[32];
    sm_period_format(&s->period, period);
    return sm_err_set(err, SM_E_FAILED_PRECONDITION, "start",
                      _("session S%" PRIu64 " has only a period (%s); set an exact start and end "
                        "before %s"),
                      s->id, period, to_do);
}

int session_transition_check(const session_t *s, session_action_t action, sm_err_t *err)
{
    const char *F = SM_E_FAILED_PRECONDITION;
    uint64_t id = s->id;
    bool cancelled = s->status == SESSION_CANCELLED;
    bool held = s->status == SESSION_HELD;
    switch (action) {
    case SESSION_CONFIRM:
        if (cancelled)
            return sm_err_set(err, F, "session",
                              _("session S%" PRIu64 " is cancelled; it cannot be confirmed (plan a "
                                "new session instead)"),
                              id);
        if (held)
            return sm_err_set(err, F, "session",
                              _("session S%" PRIu64 " has already been held; there is nothing to "
                                "confirm"),
                              id);
        if (s->status == SESSION_CONFIRMED)
            return sm_err_set(err, F, "session", _("session S%" PRIu64 " is already confirmed"),
                              id);
        if (!s->has_time)
            return s_needs_time(s, "confirming", err);
        return 0;
    case SESSION_HOLD:
        if (cancelled)
            return sm_err_set(err, F, "session",
                              _("session S%" PRIu64 " is cancelled; a cancelled session cannot be "
                                "recorded as held"),
                              id);
        if (held)
            return sm_err_set(err, F, "session",
                              _("session S%" PRIu64 " is already recorded as held"), id);
        if (!s->has_time)
            return s_needs_time(s, "recording it as held", err);
        return 0;
    case SESSION_CANCEL:
        if (held)
            return sm_err_set(
                err, F, "session",
                _("session S%" PRIu64 " has already been held; it cannot be cancelled"), id);
        if (cancelled)
            return sm_err_set(err, F, "session", _("session S%" PRIu64 " is already cancelled"),
                              id);
        return 0;
    case SESSION_RESCHEDULE:
        if (held)
            return sm_err_set(err, F, "session",
                              _("session S%" PRIu64 " has already been held; it cannot be "
                                "rescheduled"),
                              id);
        if (cancelled)
            return sm_err_set(err, F, "session",
                              _("session S%" PRIu64 " is cancelled; plan a new session instead of "
                                "rescheduling it"),
                              id);
        return 0;
    case SESSION_REGISTER:
        if (held)
            return sm_err_set(
                err, F, "session",
                _("session S%" PRIu64 " has already been held; registration is closed"), id);
        if (cancelled)
            return sm_err_set(err, F, "session",
                              _("session S%" PRIu64 " is cancelled; registration is closed"), id);
        return 0;
    case SESSION_ATTEND:
        if (!held)
            return sm_err_set(err, F, "session",
                              _("session S%" PRIu64 " is %s; attendance can be recorded only once "
                                "it is held"),
                              id, sm_vocab_name(&SM_VOCAB_SESSION_STATUS, (int)s->status));
        return 0;
    default:
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "action",
                          _("action is not known; use confirm, hold, cancel, reschedule, register "
                            "or attend"));
    }
}

void session_apply(session_t *s, session_action_t action)
{
    switch (action) {
    case SESSION_CONFIRM:
        s->status = SESSION_CONFIRMED;
        s->tentative = false;
        break;
    case SESSION_HOLD:
        s->status = SESSION_HELD;
        s->tentative = false;
        break;
    case SESSION_CANCEL:
        s->status = SESSION_CANCELLED;
        break;
    default:
        break;
    }
}

/* ==== Facilitator double-booking ======================================== */

long session_find_overlap(int64_t start_ms, int64_t end_ms, uint64_t self_id,
                          const session_t *others, size_t n_others)
{
    long best = -1;
    for (size_t i = 0; i < n_others; i++) {
        const session_t *o = &others[i];
        if (o->status == SESSION_CANCELLED || !o->has_time || (self_id && o->id == self_id))
            continue;
        //  Half-open: [a, b) and [c, d) overlap when a < d and c < b.
        if (!(start_ms < o->end_ms && o->start_ms < end_ms))
            continue;
        if (best < 0 || o->start_ms < others[best].start_ms ||
            (o->start_ms == others[best].start_ms && o->id < others[best].id))
            best = (long)i;
    }
    return best;
}

int session_check_facilitator(const char *facilitator, int64_t start_ms, int64_t end_ms,
                              uint64_t self_id, const session_t *others, size_t n_others,
                              sm_err_t *err)
{
    long i = session_find_overlap(start_ms, end_ms, self_id, others, n_others);
    if (i < 0)
        return 0;
    const session_t *o = &others[i];
    //  "YYYY-MM-DD HH:MM": the date is the first 10 bytes, the time from 11.
    char s[24], e[24];
    sm_datetime_format_local(o->start_ms, s);
    sm_datetime_format_local(o->end_ms, e);
    s[10] = '\0';
    e[10] = '\0';
    const char *who = facilitator && *facilitator ? facilitator : "(unnamed)";
    if (strcmp(s, e) == 0)
        return sm_err_set(
            err, SM_E_CONFLICT, "start",
            _("facilitator %.40s is already booked in S%" PRIu64 " from %s to %s on %s"), who,
            o->id, s + 11, e + 11, s);
    return sm_err_set(
        err, SM_E_CONFLICT, "start",
        _("facilitator %.40s is already booked in S%" PRIu64 " from %s on %s to %s on %s"), who,
        o->id, s + 11, s, e + 11, e);
}

/* ==== Recurring series ================================================== */

int series_spec_per_year(int times_a_year, int count, series_spec_t *out, sm_err_t *err)
{
    if (times_a_year < 1 || times_a_year > 12 || 12 % times_a_year != 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "times_a_year",
                          _("%d times a year does not divide the year into whole months; use 1, "
                            "2, 3, 4, 6 or 12 (or a weekly rhythm)"),
                          times_a_year);
    series_spec_t spec = {count, 12 / times_a_year, 0, SERIES_SAME_WEEKDAY};
    if (series_spec_check(&spec, err) != 0)
        return -1;
    *out = spec;
    return 0;
}

const char *series_day_name(series_day_t day)
{
    switch (day) {
    case SERIES_SAME_WEEKDAY: return "weekday";
    case SERIES_SAME_DATE: return "date";
    default: return "?";
    }
}

sm_date_t series_month_day(sm_date_t first, int months, series_day_t day)
{
    if (day == SERIES_SAME_DATE)
        return sm_date_add_months(first, months);
    //  Not the day of the month: a Wednesday café moved by four months
    //  from 15 January lands on a Friday (15 May), then a Tuesday.
    sm_date_t month = sm_date_add_months((sm_date_t){first.y, first.m, 1}, months);
    return sm_date_nth_weekday(month.y, month.m, sm_date_weekday(first),
                               sm_date_weekday_ordinal(first));
}

int series_spec_check(const series_spec_t *spec, sm_err_t *err)
{
    if (spec->count < 1 || spec->count > SERIES_COUNT_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "count",
                          _("count %d is not possible; a series has 1 to %d meetings"), spec->count,
                          SERIES_COUNT_MAX);
    if ((spec->every_months > 0) == (spec->every_weeks > 0) || spec->every_months < 0 ||
        spec->every_weeks < 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "every_months",
                          _("give either every_months or every_weeks (one of them, positive)"));
    if (spec->every_months > 120)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "every_months",
                          _("every_months %d is too far apart; give 1 to 120"),
                          spec->every_months);
    if ((int)spec->day < 0 || spec->day >= SERIES_DAY_COUNT)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "keep", "%s",
                          _("keep must be weekday or date"));
    if (spec->every_weeks > 520)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "every_weeks",
                          _("every_weeks %d is too far apart; give 1 to 520"), spec->every_weeks);
    return 0;
}

/*  The UTC instant of Amsterdam wall-clock time local_ms (milliseconds
    since 1970-01-01T00:00 local). In the autumn overlap the first (summer
    time) instant is taken, as in sm_datetime_parse; a time in the spring
    gap, which does not exist, is taken an hour later. Can't fail. */
static int64_t s_local_to_utc(int64_t local_ms)
{
    int64_t summer = local_ms - 7200 * 1000;
    if (sm_amsterdam_offset(summer) == 7200)
        return summer;
    return local_ms - 3600 * 1000;
}

/*  floor(a / b) for b > 0. */
static int64_t s_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

int session_series(int64_t first_start_ms, int64_t first_end_ms, const series_spec_t *spec,
                   occurrence_t *out, size_t out_len, sm_err_t *err)
{
    if (session_check_interval(first_start_ms, first_end_ms, err) != 0 ||
        series_spec_check(spec, err) != 0)
        return -1;
    if (out_len < (size_t)spec->count)
        return sm_err_set(err, SM_E_INTERNAL, "count", _("no room for %d occurrences (only %zu)"),
                          spec->count, out_len);
    int64_t local = first_start_ms + (int64_t)sm_amsterdam_offset(first_start_ms) * 1000;
    int64_t days = s_floor_div(local, S_DAY_MS);
    int64_t time_of_day = local - days * S_DAY_MS;
    sm_date_t first = sm_date_from_days(days);
    int64_t duration = first_end_ms - first_start_ms;
    for (int k = 0; k < spec->count; k++) {
        //  From the first date each time, not from the previous occurrence,
        //  so that one clamped month (31 Jan -> 29 Feb) does not drag the
        //  rest of the series to the 29th.
        sm_date_t d = spec->every_months
                          ? series_month_day(first, k * spec->every_months, spec->day)
                          : sm_date_add_days(first, (int64_t)k * 7 * spec->every_weeks);
        if (d.y > 9999)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "count",
                              _("the series runs past the year 9999; give fewer meetings"));
        int64_t start = s_local_to_utc(sm_date_to_days(d) * S_DAY_MS + time_of_day);
        out[k].start_ms = start;
        out[k].end_ms = start + duration;
    }
    return spec->count;
}

/*  True when d is the last day of its month. */
static bool s_month_end(sm_date_t d)
{
    return d.d == sm_days_in_month(d.y, d.m);
}

int session_series_periods(const sm_period_t *first, const series_spec_t *spec, sm_period_t *out,
                           size_t out_len, sm_err_t *err)
{
    if (series_spec_check(spec, err) != 0)
        return -1;
    if (spec->every_weeks > 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "every_weeks",
                          _("a weekly series needs an exact start and end for its first meeting; "
                            "with only a period, give a rhythm in months (e.g. times_a_year 3)"));
    if ((int)first->kind < SM_PERIOD_DAY || first->kind > SM_PERIOD_RANGE ||
        !sm_date_valid(first->from.y, first->from.m, first->from.d) ||
        !sm_date_valid(first->to.y, first->to.m, first->to.d) ||
        sm_date_cmp(first->from, first->to) > 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "period",
                          _("the first meeting's period is not valid; give e.g. 2020-03, 2020-Q2 "
                            "or 2019-09-01..2019-11-30"));
    if (out_len < (size_t)spec->count)
        return sm_err_set(err, SM_E_INTERNAL, "count", _("no room for %d occurrences (only %zu)"),
                          spec->count, out_len);
    int step = spec->every_months;
    sm_period_kind_t kind = first->kind;
    if ((kind == SM_PERIOD_QUARTER && step % 3 != 0) || (kind == SM_PERIOD_YEAR && step % 12 != 0))
        kind = SM_PERIOD_RANGE;
    bool keep_end = s_month_end(first->to);
    for (int k = 0; k < spec->count; k++) {
        sm_period_t p;
        p.kind = kind;
        p.from = kind == SM_PERIOD_DAY ? series_month_day(first->from, k * step, spec->day)
                                       : sm_date_add_months(first->from, k * step);
        p.to = sm_date_add_months(first->to, k * step);
        if (keep_end && kind != SM_PERIOD_DAY)
            p.to.d = sm_days_in_month(p.to.y, p.to.m);
        if (kind == SM_PERIOD_DAY)
            p.to = p.from;
        if (p.to.y > 9999 || (k > 0 && sm_date_cmp(p.from, out[k - 1].from) <= 0))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "count",
                              _("the series runs past the year 9999; give fewer meetings"));
        out[k] = p;
    }
    return spec->count;
}
