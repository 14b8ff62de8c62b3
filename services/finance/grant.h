/*  services/finance/grant.h - grants for residents' initiatives.

    A small grants budget ("Samen Sterk") for initiatives by and for people
    who find it hard to take part. Money sits in pools: a small "lubricant"
    pool per district (wijk), a city-wide pool (some vulnerable groups are
    too small for a neighbourhood initiative) and earmarked pools (e.g.
    vulnerable elderly, keeping meeting places open). Each pool has a kind,
    a year and an amount; awards from it never exceed it.

    Each application states an intended result: whatever brings people now
    outside the community back in, in a way that suits them. The working
    method is small amounts paid in advance, an interim evaluation (a
    visit) while the initiative runs, and accountability afterwards, where
    failure is accepted: the result is recorded as reached, partly reached
    or not reached, and the application is closed either way.

    An application moves through these states:

        submitted --award--> awarded --pay--> paid --evaluate--> evaluated
            |                   |               |                     |
            |                   |               +-------account-------+
            |                   |                          |
            |                   |                          v
            |                   |                      accounted --close--> closed
            |                   |
            +-----withdraw------+--> withdrawn
            |
            +--reject--> rejected

    - award: only while submitted; more than zero, at most the amount
      requested and at most the pool's remainder (pool amount minus the
      awards standing in it).
    - reject: only while submitted, and only with a reason.
    - withdraw: by the initiative, before any money is paid; the award goes
      back to the pool.
    - pay: only once awarded; more than zero and at most the award.
    - evaluate (the interim visit): only once paid. It is recommended, not
      required: a one-day festival may be over before anyone could visit.
    - account: once paid (evaluated or not), with the result.
    - close: once accounted.
    rejected, withdrawn and closed are final.

    The awards standing in a pool are those of applications that are
    awarded, paid, evaluated, accounted or closed.
*/
#ifndef SAMEN_FINANCE_GRANT_H
#define SAMEN_FINANCE_GRANT_H

#include "common/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*  Years a pool may belong to. */
#define GRANT_YEAR_MIN 2000
#define GRANT_YEAR_MAX 2100
/*  Longest rejection reason accepted, in bytes. */
#define GRANT_REASON_MAX 1000

typedef enum {
    GRANT_POOL_DISTRICT = 1, /*  one district's small pool */
    GRANT_POOL_CITY_WIDE,    /*  for groups too small for one neighbourhood */
    GRANT_POOL_EARMARKED     /*  set aside for one purpose */
} grant_pool_kind_t;

typedef struct {
    grant_pool_kind_t kind;
    int year;
    int64_t amount_cents;
    const char *district; /*  DISTRICT: the district's name; NULL otherwise */
    const char *earmark;  /*  EARMARKED: what it is for; NULL otherwise */
} grant_pool_t;

typedef enum {
    GRANT_SUBMITTED = 1,
    GRANT_AWARDED,
    GRANT_REJECTED,
    GRANT_PAID,
    GRANT_EVALUATED,
    GRANT_ACCOUNTED,
    GRANT_CLOSED,
    GRANT_WITHDRAWN
} grant_state_t;

typedef enum {
    GRANT_RESULT_NONE = 0, /*  not accounted yet */
    GRANT_RESULT_REACHED,
    GRANT_RESULT_PARTLY,
    GRANT_RESULT_NOT_REACHED
} grant_result_t;

/*  One application, as far as the rules need it (the texts and the
    applicants live in the store, not here). */
typedef struct {
    grant_state_t state;
    int64_t requested_cents;
    int64_t awarded_cents; /*  set by award */
    int64_t paid_cents;    /*  set by pay */
    grant_result_t result; /*  set by account */
} grant_application_t;

/*  Figures over a set of applications. */
typedef struct {
    int64_t count;           /*  applications */
    int64_t requested_cents; /*  asked for, by all */
    int64_t awarded_cents;   /*  awards standing */
    int64_t paid_cents;
    int64_t awarded_count; /*  applications with an award standing */
    int64_t rejected_count;
    int64_t withdrawn_count;
    int64_t accounted_count; /*  with a result (accounted or closed) */
    int64_t reached_count;
    int64_t partly_count;
    int64_t not_reached_count;
    /*  reached / accounted in basis points, half up; 0 when none accounted:
        65 of 85 = 7647 ("more than three quarters"). */
    int64_t reached_bp;
} grant_stats_t;

/* ==== Names ============================================================== */

/*  "district", "city_wide", "earmarked"; "unknown" otherwise. Can't fail. */
const char *grant_pool_kind_name(grant_pool_kind_t kind);
/*  Returns 0, or -1 with err (field "kind"). */
int grant_pool_kind_parse(const char *text, grant_pool_kind_t *kind, sm_err_t *err);
/*  "submitted", "awarded", "rejected", "paid", "evaluated", "accounted",
    "closed", "withdrawn"; "unknown" otherwise. Can't fail. */
const char *grant_state_name(grant_state_t state);
/*  Returns 0, or -1 with err (field "state"). */
int grant_state_parse(const char *text, grant_state_t *state, sm_err_t *err);
/*  "none", "reached", "partly", "not_reached". Can't fail. */
const char *grant_result_name(grant_result_t result);
/*  Parses "reached", "partly", "not_reached" (or "not"). "none" is not a
    result. Returns 0, or -1 with err (field "result"). */
int grant_result_parse(const char *text, grant_result_t *result, sm_err_t *err);

/* ==== Pools ============================================================== */

/*  Check a pool: a known kind, a year in GRANT_YEAR_MIN..MAX, an amount
    from zero to SM_MONEY_MAX, a district name for (and only for) a district
    pool, a purpose for (and only for) an earmarked pool. Returns 0, or -1
    with err (SM_E_INVALID_ARGUMENT; field "kind", "year", "amount",
    "district" or "earmark"). */
int grant_pool_validate(const grant_pool_t *pool, sm_err_t *err);

/*  Sum of the awards standing among count applications (the caller passes
    the pool's own). Returns 0 with *awarded_cents set, or -1 with err when
    the sum overflows. */
int grant_pool_awarded(const grant_application_t *apps, size_t count, int64_t *awarded_cents,
                       sm_err_t *err);

/*  The pool's remainder: amount - awarded (negative only if the pool was
    lowered below its awards). This function can't fail. */
int64_t grant_pool_remaining(int64_t pool_amount_cents, int64_t awarded_cents);

/* ==== Applications ======================================================= */

/*  Start an application: submitted, with its requested amount (more than
    zero, at most SM_MONEY_MAX). Returns 0, or -1 with err (field
    "requested") and app untouched. */
int grant_application_init(grant_application_t *app, int64_t requested_cents, sm_err_t *err);

/*  The transitions below change app only when they succeed. Each returns
    0, or -1 with err: SM_E_FAILED_PRECONDITION (field "state") when the
    application's state does not allow it ("application is paid; only a
    submitted application can be awarded", "application is already
    awarded"), SM_E_INVALID_ARGUMENT for bad input (field named). */

/*  Award amount_cents from a pool with pool_remaining_cents left. Refused
    beyond the pool ("award EUR 2,000.00 exceeds pool's remaining
    EUR 1,500.00", SM_E_FAILED_PRECONDITION, field "amount") and beyond the
    request (SM_E_INVALID_ARGUMENT, field "amount"). */
int grant_award(grant_application_t *app, int64_t amount_cents, int64_t pool_remaining_cents,
                sm_err_t *err);
/*  Reject, with a reason that holds more than white space and at most
    GRANT_REASON_MAX bytes (field "reason"). */
int grant_reject(grant_application_t *app, const char *reason, sm_err_t *err);
/*  Withdraw a submitted or awarded (unpaid) application. */
int grant_withdraw(grant_application_t *app, sm_err_t *err);
/*  Record the payment: more than zero, at most the award (field "amount"). */
int grant_pay(grant_application_t *app, int64_t amount_cents, sm_err_t *err);
/*  Record the interim evaluation (the visit). */
int grant_evaluate(grant_application_t *app, sm_err_t *err);
/*  Record the accountability afterwards with its result (field "result"). */
int grant_account(grant_application_t *app, grant_result_t result, sm_err_t *err);
/*  Close an accounted application. */
int grant_close(grant_application_t *app, sm_err_t *err);

/* ==== Figures ============================================================ */

/*  Count and sum count applications into *stats. Returns 0, or -1 with err
    (SM_E_INTERNAL) when a sum overflows. */
int grant_stats(const grant_application_t *apps, size_t count, grant_stats_t *stats, sm_err_t *err);

#endif
