/*  services/intake/deadline.c - deadlines for answering and evaluating
    signals and advice. See deadline.h. */
#include "deadline.h"
#include "common/i18n.h"
#include "common/text.h"
#include "common/vocab.h"
#include "validate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*  Kinds, outcomes and states are common/vocab.h's tables, in the order
    of their enums. */

/* ==== Periods ============================================================ */

/*  The largest count accepted for unit, or 0 for an unknown unit. */
static int s_unit_max(char unit)
{
    switch (unit) {
    case 'd':
        return DEADLINE_MAX_DAYS;
    case 'w':
        return DEADLINE_MAX_WEEKS;
    case 'm':
        return DEADLINE_MAX_MONTHS;
    case 'y':
        return DEADLINE_MAX_YEARS;
    }
    return 0;
}

static const char *s_unit_word(char unit)
{
    return unit == 'd'   ? _("days")
           : unit == 'w' ? _("weeks")
           : unit == 'y' ? _("years")
                         : _("months");
}

/*  True when period is one deadline_period_parse would have produced. */
static bool s_period_ok(deadline_period_t period)
{
    int max = s_unit_max(period.unit);
    return max > 0 && period.count >= 1 && period.count <= max;
}

/*  Quote a short printable-ASCII value into buf for a message, or "" when
    it is not safe to repeat. Returns buf. */
static const char *s_echo(const char *text, char *buf, size_t size)
{
    size_t n = text ? strlen(text) : 0;
    buf[0] = '\0';
    if (n == 0 || n > 20 || n + 4 > size)
        return buf;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] >= 0x7F || text[i] == '"')
            return buf;
    snprintf(buf, size, " \"%s\"", text);
    return buf;
}

int deadline_period_parse(const char *text, const char *field, deadline_period_t *out,
                          sm_err_t *err)
{
    char echo[32];
    s_echo(text, echo, sizeof echo);
    size_t n = text ? strlen(text) : 0;
    //  Strict: 1 to 4 digits without a leading zero, then exactly one unit.
    bool ok = n >= 2 && n <= 5 && text[0] >= '1' && text[0] <= '9';
    int count = 0;
    for (size_t i = 0; ok && i + 1 < n; i++) {
        ok = text[i] >= '0' && text[i] <= '9';
        count = count * 10 + (text[i] - '0');
    }
    char unit = n ? text[n - 1] : '\0';
    if (!ok || s_unit_max(unit) == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s%s is not a period: give a whole number and d (days), w (weeks), "
                            "m (months) or y (years), like 42d, 6w, 6m or 2y"),
                          field, echo);
    if (count > s_unit_max(unit))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          unit == 'y' ? _("%s%s is too long: give at most %d %s")
                                      : _("%s%s is too long: give at most %d %s (10 years)"),
                          field, echo, s_unit_max(unit), s_unit_word(unit));
    out->count = count;
    out->unit = unit;
    return 0;
}

char *deadline_period_format(deadline_period_t period, char *buf)
{
    //  Counts are at most 4 digits (DEADLINE_MAX_DAYS), so 8 bytes suffice.
    snprintf(buf, 8, "%d%c", period.count % 10000, period.unit);
    return buf;
}

sm_date_t deadline_period_add(sm_date_t d, deadline_period_t period)
{
    switch (period.unit) {
    case 'd':
        return sm_date_add_days(d, period.count);
    case 'w':
        return sm_date_add_days(d, (int64_t)period.count * 7);
    case 'm':
        return sm_date_add_months(d, period.count);
    case 'y':
        return sm_date_add_months(d, period.count * 12);
    }
    fprintf(stderr, "PANIC: deadline: period unit '%c' is not d, w, m or y\n", period.unit);
    abort(); //  a bug: periods come from deadline_period_parse
}

int64_t deadline_days_late(sm_date_t due, sm_date_t today)
{
    return sm_date_diff(due, today);
}

/* ==== Names ============================================================== */

/*  Find text among names[from..count). Returns the index or -1. */
/*  The index of text in v (a code, or a name in any language samen
    speaks) when it is at least from, else -1. */
static int s_find(const char *text, const sm_vocab_t *v, int from)
{
    int i = sm_vocab_find(v, text);
    return i >= from ? i : -1;
}

int deadline_kind_parse(const char *text, const char *field, deadline_kind_t *out, sm_err_t *err)
{
    int i = s_find(text, &SM_VOCAB_ADVICE_KIND, 0);
    if (i < 0) {
        char echo[32];
        return sm_err_set(
            err, SM_E_INVALID_ARGUMENT, field,
            _("%s%s is not known; use signal, solicited_advice or unsolicited_advice"), field,
            s_echo(text, echo, sizeof echo));
    }
    *out = (deadline_kind_t)i;
    return 0;
}

int deadline_outcome_parse(const char *text, const char *field, deadline_outcome_t *out,
                           sm_err_t *err)
{
    int i = s_find(text, &SM_VOCAB_ADVICE_OUTCOME, 1);
    if (i < 0) {
        char echo[32];
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s%s is not known; use adopted, partly_adopted or not_adopted"), field,
                          s_echo(text, echo, sizeof echo));
    }
    *out = (deadline_outcome_t)i;
    return 0;
}

const char *deadline_kind_name(deadline_kind_t kind)
{
    return (unsigned)kind < 3 ? sm_vocab_code(&SM_VOCAB_ADVICE_KIND, (int)kind) : "unknown";
}

const char *deadline_outcome_name(deadline_outcome_t outcome)
{
    return (unsigned)outcome < 4 ? sm_vocab_code(&SM_VOCAB_ADVICE_OUTCOME, (int)outcome)
                                 : "unknown";
}

const char *deadline_state_name(deadline_state_t state)
{
    return (unsigned)state < 3 ? sm_vocab_code(&SM_VOCAB_ADVICE_STATE, (int)state) : "unknown";
}

/* ==== The item's life ===================================================== */

/*  "signal" or "advice": what people call the item in a sentence. */
static const char *s_noun(const deadline_item_t *item)
{
    return item->kind == DEADLINE_SIGNAL ? C_("advice item", "signal")
                                         : C_("advice item", "advice");
}

/*  Check a date given for field. Returns 0 or -1 with err. */
static int s_date_check(sm_date_t d, const char *field, sm_err_t *err)
{
    if (!sm_date_valid(d.y, d.m, d.d) || d.y < DEADLINE_YEAR_MIN || d.y > DEADLINE_YEAR_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is not a valid date; give a date (YYYY-MM-DD) from %d to %d"),
                          field, DEADLINE_YEAR_MIN, DEADLINE_YEAR_MAX);
    return 0;
}

int deadline_item_init(deadline_item_t *item, const char *id, deadline_kind_t kind,
                       sm_date_t received, deadline_period_t answer_period,
                       deadline_period_t evaluation_period, sm_err_t *err)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n >= DEADLINE_ID_SIZE)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "id",
                          _("id must be 1 to %d characters, like A7"), DEADLINE_ID_SIZE - 1);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] <= 0x20 || (unsigned char)id[i] >= 0x7F)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "id",
                              _("id must be printable ASCII without spaces, like A7"));
    if ((unsigned)kind > DEADLINE_UNSOLICITED_ADVICE)
        return sm_err_set(
            err, SM_E_INVALID_ARGUMENT, "kind",
            _("kind is not known; use signal, solicited_advice or unsolicited_advice"));
    if (s_date_check(received, "received", err))
        return -1;
    if (!s_period_ok(answer_period))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "answer_period",
                          _("answer_period is not a period: give a whole number and d (days), w "
                            "(weeks) or m (months), like 42d, 6w or 6m"));
    if (!s_period_ok(evaluation_period))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "evaluation_period",
                          _("evaluation_period is not a period: give a whole number and d (days), "
                            "w (weeks) or m (months), like 42d, 6w or 6m"));
    memset(item, 0, sizeof *item);
    memcpy(item->id, id, n + 1);
    item->kind = kind;
    item->state = DEADLINE_RECEIVED;
    item->received = received;
    item->outcome = DEADLINE_OUTCOME_NONE;
    item->answer_period = answer_period;
    item->evaluation_period = evaluation_period;
    return 0;
}

/*  Check a reason text (already trimmed, n > 0 bytes): UTF-8, at most
    DEADLINE_REASON_MAX_CHARS characters, no control characters other than
    line breaks and tabs (a reason may be a few paragraphs). Returns 0 or
    -1 with err. */
static int s_reason_check(const char *s, size_t n, sm_err_t *err)
{
    if (!sm_utf8_valid(s, n))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "reason",
                          _("reason is not valid UTF-8; send it as UTF-8 text"));
    size_t chars = sm_utf8_len(s, n);
    if (chars > DEADLINE_REASON_MAX_CHARS || n >= DEADLINE_REASON_SIZE)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "reason",
                          _("reason is %zu characters long; give at most %d characters"), chars,
                          DEADLINE_REASON_MAX_CHARS);
    size_t pos = 0;
    while (pos < n) {
        uint32_t cp = sm_utf8_next(s, n, &pos);
        if ((cp < 0x20 && cp != '\n' && cp != '\r' && cp != '\t') || cp == 0x7F ||
            (cp >= 0x80 && cp <= 0x9F))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "reason",
                              _("reason contains a control character (U+%04X); give plain text "
                                "(line breaks are fine)"),
                              (unsigned)cp);
    }
    return 0;
}

int deadline_item_answer(deadline_item_t *item, sm_date_t date, deadline_outcome_t outcome,
                         const char *reason, sm_err_t *err)
{
    char d1[11], d2[11];
    if (item->state == DEADLINE_ANSWERED)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "id",
                          _("%s %s is already answered (on %s)"), s_noun(item), item->id,
                          sm_date_format(item->answered, d1));
    if (item->state == DEADLINE_EVALUATED)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "id",
                          _("%s %s is already answered (on %s) and evaluated (on %s)"),
                          s_noun(item), item->id, sm_date_format(item->answered, d1),
                          sm_date_format(item->evaluated, d2));
    if (s_date_check(date, "answered", err))
        return -1;
    if (sm_date_cmp(date, item->received) < 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "answered",
                          _("answered %s is before %s %s was received; give a date on or after %s"),
                          sm_date_format(date, d1), s_noun(item), item->id,
                          sm_date_format(item->received, d2));
    if (outcome != DEADLINE_ADOPTED && outcome != DEADLINE_PARTLY_ADOPTED &&
        outcome != DEADLINE_NOT_ADOPTED)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "outcome",
                          _("outcome is required: use adopted, partly_adopted or not_adopted"));
    size_t start = 0, n = reason ? strlen(reason) : 0;
    while (start < n && strchr(" \t\r\n\v\f", reason[start]))
        start++;
    while (n > start && strchr(" \t\r\n\v\f", reason[n - 1]))
        n--;
    n -= start;
    if (n == 0 && outcome != DEADLINE_ADOPTED)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "reason",
                          outcome == DEADLINE_PARTLY_ADOPTED
                              ? _("reason is required when the outcome is %s: say why the %s was "
                                  "not adopted in full")
                              : _("reason is required when the outcome is %s: say why the %s was "
                                  "not adopted"),
                          deadline_outcome_name(outcome), s_noun(item));
    if (n > 0 && s_reason_check(reason + start, n, err))
        return -1;
    item->state = DEADLINE_ANSWERED;
    item->answered = date;
    item->outcome = outcome;
    memcpy(item->reason, reason ? reason + start : "", n);
    item->reason[n] = '\0';
    return 0;
}

int deadline_item_evaluate(deadline_item_t *item, sm_date_t date, sm_err_t *err)
{
    char d1[11], d2[11];
    if (item->state == DEADLINE_RECEIVED)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "id",
                          _("%s %s is not answered yet; answer it before evaluating"), s_noun(item),
                          item->id);
    if (item->state == DEADLINE_EVALUATED)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "id",
                          _("%s %s is already evaluated (on %s)"), s_noun(item), item->id,
                          sm_date_format(item->evaluated, d1));
    if (s_date_check(date, "evaluated", err))
        return -1;
    if (sm_date_cmp(date, item->answered) < 0)
        return sm_err_set(
            err, SM_E_INVALID_ARGUMENT, "evaluated",
            _("evaluated %s is before %s %s was answered; give a date on or after %s"),
            sm_date_format(date, d1), s_noun(item), item->id, sm_date_format(item->answered, d2));
    item->state = DEADLINE_EVALUATED;
    item->evaluated = date;
    return 0;
}

sm_date_t deadline_answer_due(const deadline_item_t *item)
{
    return deadline_period_add(item->received, item->answer_period);
}

int deadline_evaluation_due(const deadline_item_t *item, sm_date_t *due)
{
    if (item->state == DEADLINE_RECEIVED)
        return -1;
    *due = deadline_period_add(item->answered, item->evaluation_period);
    return 0;
}

deadline_status_t deadline_item_status(const deadline_item_t *item, sm_date_t today)
{
    deadline_status_t status;
    memset(&status, 0, sizeof status);
    if (item->state == DEADLINE_EVALUATED) {
        status.next = DEADLINE_NEXT_NONE;
        return status;
    }
    if (item->state == DEADLINE_RECEIVED) {
        status.next = DEADLINE_NEXT_ANSWER;
        status.due = deadline_answer_due(item);
    } else {
        status.next = DEADLINE_NEXT_EVALUATION;
        deadline_evaluation_due(item, &status.due);
    }
    status.days_late = deadline_days_late(status.due, today);
    status.overdue = status.days_late > 0;
    return status;
}

deadline_next_t deadline_overdue_notice(const deadline_item_t *item, sm_date_t today,
                                        bool announced_answer, bool announced_evaluation,
                                        deadline_status_t *status)
{
    deadline_status_t st = deadline_item_status(item, today);
    if (status)
        *status = st;
    if (!st.overdue)
        return DEADLINE_NEXT_NONE;
    if (st.next == DEADLINE_NEXT_ANSWER && !announced_answer)
        return DEADLINE_NEXT_ANSWER;
    if (st.next == DEADLINE_NEXT_EVALUATION && !announced_evaluation)
        return DEADLINE_NEXT_EVALUATION;
    return DEADLINE_NEXT_NONE;
}
