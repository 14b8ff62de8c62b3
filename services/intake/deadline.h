/*  services/intake/deadline.h - deadlines for answering and evaluating
    signals and advice.

    The advisory council (adviesraad) sends solicited and unsolicited
    advice, residents send signals. Each deserves an answer, including why
    a proposal was not adopted, and each answer deserves an evaluation some
    time later; the programmes say that both are forgotten. So every inbound
    item runs through

        received --answer--> answered --evaluate--> evaluated

    with two deadlines:

        answer due      = received + answer period     (default 6 weeks)
        evaluation due  = answered + evaluation period (default 6 months)

    An item is overdue when today is past the deadline of its current
    state: days late = today - due (so 0 on the day itself).

    Periods are written "42d", "6w", "6m" or "2y": a whole number (no sign,
    no leading zero) and one of d (days), w (weeks, 7 days), m (calendar
    months; 2020-01-31 + 1m = 2020-02-29, the day clamped to the month's
    end) or y (years, 12 months; also how long a consent holds before it is
    reviewed, review.h). Each item keeps the periods it was received with, so changing the
    configured default never moves an existing deadline.

    The answer's outcome is adopted, partly_adopted or not_adopted; the
    last two need a reason (the council must hear why).
*/
#ifndef SAMEN_INTAKE_DEADLINE_H
#define SAMEN_INTAKE_DEADLINE_H

#include "common/date.h"
#include "common/err.h"
#include <stdbool.h>
#include <stdint.h>

#define DEADLINE_ANSWER_PERIOD_DEFAULT "6w"
#define DEADLINE_EVALUATION_PERIOD_DEFAULT "6m"
#define DEADLINE_ID_SIZE 16
#define DEADLINE_REASON_MAX_CHARS 1000
#define DEADLINE_REASON_SIZE (DEADLINE_REASON_MAX_CHARS * 4 + 1)

/*  Bounds of a period, so that no deadline leaves the calendar. */
#define DEADLINE_MAX_DAYS 3660
#define DEADLINE_MAX_WEEKS 520
#define DEADLINE_MAX_MONTHS 120
#define DEADLINE_MAX_YEARS 10
/*  Dates accepted for receiving, answering and evaluating. */
#define DEADLINE_YEAR_MIN 1900
#define DEADLINE_YEAR_MAX 9000

typedef struct {
    int count;
    char unit; /*  'd', 'w', 'm' or 'y' */
} deadline_period_t;

typedef enum {
    DEADLINE_SIGNAL = 0,
    DEADLINE_SOLICITED_ADVICE = 1,   /*  gevraagd advies */
    DEADLINE_UNSOLICITED_ADVICE = 2, /*  ongevraagd advies */
} deadline_kind_t;

typedef enum {
    DEADLINE_OUTCOME_NONE = 0, /*  not answered yet */
    DEADLINE_ADOPTED = 1,
    DEADLINE_PARTLY_ADOPTED = 2,
    DEADLINE_NOT_ADOPTED = 3,
} deadline_outcome_t;

typedef enum {
    DEADLINE_RECEIVED = 0,
    DEADLINE_ANSWERED = 1,
    DEADLINE_EVALUATED = 2,
} deadline_state_t;

/*  A signal or advice as far as deadlines go. Plain data: store it as is. */
typedef struct {
    char id[DEADLINE_ID_SIZE]; /*  e.g. "A7" */
    deadline_kind_t kind;
    deadline_state_t state;
    sm_date_t received;
    sm_date_t answered;  /*  set from state ANSWERED on */
    sm_date_t evaluated; /*  set in state EVALUATED */
    deadline_outcome_t outcome;
    char reason[DEADLINE_REASON_SIZE]; /*  why (partly) not adopted; may be "" when adopted */
    deadline_period_t answer_period;
    deadline_period_t evaluation_period;
} deadline_item_t;

/*  Which deadline an item is waiting for. */
typedef enum {
    DEADLINE_NEXT_NONE = 0, /*  evaluated: nothing left to do */
    DEADLINE_NEXT_ANSWER = 1,
    DEADLINE_NEXT_EVALUATION = 2,
} deadline_next_t;

typedef struct {
    deadline_next_t next;
    sm_date_t due;     /*  undefined when next is NONE */
    int64_t days_late; /*  today - due: > 0 overdue, 0 due today, < 0 days left */
    bool overdue;      /*  days_late > 0 */
} deadline_status_t;

/* ==== Periods ============================================================ */

/*  Parse a period spec ("42d", "6w", "2m", "2y") strictly. Returns 0, or -1 with
    err naming field and saying what is accepted. */
int deadline_period_parse(const char *text, const char *field, deadline_period_t *out,
                          sm_err_t *err);

/*  The canonical spec of a period ("6w"); buf at least 8 bytes. Returns buf. */
char *deadline_period_format(deadline_period_t period, char *buf);

/*  d + period (months clamped to the month's end). The period must be one
    that deadline_period_parse accepts. */
sm_date_t deadline_period_add(sm_date_t d, deadline_period_t period);

/*  today - due in days: positive when late. Can't fail. */
int64_t deadline_days_late(sm_date_t due, sm_date_t today);

/* ==== Names ============================================================== */

/*  Parse "signal", "solicited_advice", "unsolicited_advice" / "adopted",
    "partly_adopted", "not_adopted". Returns 0, or -1 with err naming field
    and listing the accepted words. */
int deadline_kind_parse(const char *text, const char *field, deadline_kind_t *out, sm_err_t *err);
int deadline_outcome_parse(const char *text, const char *field, deadline_outcome_t *out,
                           sm_err_t *err);

/*  The words for kinds, outcomes and states ("unsolicited_advice",
    "partly_adopted", "answered"); "none"/"unknown" for anything else. */
const char *deadline_kind_name(deadline_kind_t kind);
const char *deadline_outcome_name(deadline_outcome_t outcome);
const char *deadline_state_name(deadline_state_t state);

/* ==== The item's life ===================================================== */

/*  Start an item in state received. id is 1..15 printable ASCII
    characters. Returns 0, or -1 with err (field "id", "kind", "received",
    "answer_period" or "evaluation_period"). */
int deadline_item_init(deadline_item_t *item, const char *id, deadline_kind_t kind,
                       sm_date_t received, deadline_period_t answer_period,
                       deadline_period_t evaluation_period, sm_err_t *err);

/*  Record the answer: on date (not before received), with outcome, and a
    reason (1..1000 characters, required unless adopted; NULL or "" for
    none). Returns 0, or -1 with err and the item unchanged:
    failed_precondition when the item is already answered or evaluated
    ("advice A7 is already answered"), invalid_argument for a bad date
    ("answered"), outcome ("outcome") or reason ("reason"). */
int deadline_item_answer(deadline_item_t *item, sm_date_t date, deadline_outcome_t outcome,
                         const char *reason, sm_err_t *err);

/*  Record the evaluation on date (not before answered). Returns 0, or -1
    with err and the item unchanged: failed_precondition when not answered
    yet or already evaluated, invalid_argument for a bad date
    ("evaluated"). */
int deadline_item_evaluate(deadline_item_t *item, sm_date_t date, sm_err_t *err);

/*  received + answer period. Can't fail. */
sm_date_t deadline_answer_due(const deadline_item_t *item);

/*  answered + evaluation period. Returns 0 with *due set, or -1 when the
    item is not answered yet (there is no evaluation deadline then). */
int deadline_evaluation_due(const deadline_item_t *item, sm_date_t *due);

/*  What the item waits for on today, when it is due, and how late it is.
    Can't fail. */
deadline_status_t deadline_item_status(const deadline_item_t *item, sm_date_t today);

/*  Whether an "overdue" notice is to go out for item on today. A notice
    goes out once per kind of lateness (once for a late answer, once for a
    late evaluation), not on every check: announced_answer and
    announced_evaluation say which went out already. Returns
    DEADLINE_NEXT_ANSWER or DEADLINE_NEXT_EVALUATION when a notice is due
    now (the caller then records it as announced), DEADLINE_NEXT_NONE
    otherwise; *status (may be NULL) gets deadline_item_status. Can't fail. */
deadline_next_t deadline_overdue_notice(const deadline_item_t *item, sm_date_t today,
                                        bool announced_answer, bool announced_evaluation,
                                        deadline_status_t *status);

#endif
