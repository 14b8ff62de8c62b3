/*  services/finance/reimbursement.h - participants' reimbursement rules.

    A participant who attends a session is entitled to a small reimbursement
    (vergoeding): the session's own amount if it has one, else EUR 15. Not
    everyone claims it. The yearly budget for it is EUR 2,500, and payments
    that would take the year past that cap are refused unless someone
    overrides with a stated reason.

    An entitlement moves through these states:

        entitled --claim--> claimed --approve--> approved --pay--> paid
            \                  |                    |
             +------waive------+-------waive--------+--> waived

    paid and waived are final: a payment is never undone here (a wrong
    payment is corrected as a new booking, not by rewriting history).
*/
#ifndef SAMEN_FINANCE_REIMBURSEMENT_H
#define SAMEN_FINANCE_REIMBURSEMENT_H

#include "common/err.h"
#include <stdbool.h>
#include <stdint.h>

/*  EUR 15 per participant per session. */
#define REIMBURSEMENT_DEFAULT_CENTS ((int64_t)1500)
/*  EUR 2,500 a year. */
#define REIMBURSEMENT_YEAR_CAP_CENTS ((int64_t)250000)
/*  Longest override reason accepted, in bytes. */
#define REIMBURSEMENT_REASON_MAX 500

typedef enum {
    REIMBURSEMENT_ENTITLED = 1,
    REIMBURSEMENT_CLAIMED,
    REIMBURSEMENT_APPROVED,
    REIMBURSEMENT_PAID,
    REIMBURSEMENT_WAIVED
} reimbursement_state_t;

typedef enum {
    REIMBURSEMENT_CLAIM = 1,
    REIMBURSEMENT_APPROVE,
    REIMBURSEMENT_PAY,
    REIMBURSEMENT_WAIVE
} reimbursement_action_t;

typedef enum {
    REIMBURSEMENT_CAP_WITHIN = 1, /*  the year stays within the cap */
    REIMBURSEMENT_CAP_OVERRIDDEN, /*  past the cap, allowed by an override reason */
    REIMBURSEMENT_CAP_REFUSED     /*  past the cap without a reason, or bad input */
} reimbursement_cap_outcome_t;

typedef struct {
    reimbursement_cap_outcome_t outcome;
    int64_t paid_after_cents; /*  the year's paid total with this payment */
    int64_t over_cents;       /*  how far that is past the cap; 0 within */
    /*  Empty when within; else what happened, e.g. "paying EUR 15.00
        would bring this year's reimbursements to EUR 2,510.00, EUR 10.00
        past the yearly cap of EUR 2,500.00; ..." */
    char message[512];
} reimbursement_cap_check_t;

/*  The state's name in the protocol: "entitled", "claimed", "approved",
    "paid", "waived"; "unknown" otherwise. This function can't fail. */
const char *reimbursement_state_name(reimbursement_state_t state);

/*  Parse a state's name. Returns 0, or -1 with err (field "state"). */
int reimbursement_state_parse(const char *text, reimbursement_state_t *state, sm_err_t *err);

/*  The action's name: "claim", "approve", "pay", "waive". This function
    can't fail. */
const char *reimbursement_action_name(reimbursement_action_t action);

/*  The amount of an entitlement: the session's amount when it has one
    (zero included: a session without reimbursement), else default_cents.
    Returns 0 with *amount_cents set, or -1 with err (SM_E_INVALID_ARGUMENT,
    field "amount") when the amount in use is negative or above
    SM_MONEY_MAX. */
int reimbursement_amount(bool session_has_amount, int64_t session_amount_cents,
                         int64_t default_cents, int64_t *amount_cents, sm_err_t *err);

/*  Where action takes an entitlement in state from. Returns 0 with *to
    set, or -1 with err (SM_E_FAILED_PRECONDITION, field "entitlement")
    saying why not, e.g. "entitlement is already paid; ...", or
    (SM_E_INVALID_ARGUMENT) for an unknown state or action. */
int reimbursement_next(reimbursement_state_t from, reimbursement_action_t action,
                       reimbursement_state_t *to, sm_err_t *err);

/*  May amount_cents be paid when year_paid_cents has been paid this year
    and the yearly cap is cap_cents? Up to the cap (inclusive) it may. Past
    it only with an override_reason that holds more than white space (and
    at most REIMBURSEMENT_REASON_MAX bytes).
    Returns 0 when the payment may go ahead (check->outcome WITHIN, or
    OVERRIDDEN with a message saying by how much the cap is passed); -1
    when it may not (check->outcome REFUSED, the same sentence in err with
    SM_E_FAILED_PRECONDITION and field "amount"), or when an amount is
    negative or beyond SM_MONEY_MAX, or the reason is too long
    (SM_E_INVALID_ARGUMENT). */
int reimbursement_cap_check(int64_t year_paid_cents, int64_t amount_cents, int64_t cap_cents,
                            const char *override_reason, reimbursement_cap_check_t *check,
                            sm_err_t *err);

#endif
