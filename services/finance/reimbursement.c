/*  services/finance/reimbursement.c - entitlement states and the yearly cap.

    See reimbursement.h for the state diagram.
*/
#include "reimbursement.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/money.h"
#include <stdio.h>
#include <string.h>

static const char *const s_state_names[] = {
    NULL, "entitled", "claimed", "approved", "paid", "waived",
};
static const char *const s_action_names[] = {
    NULL, "claim", "approve", "pay", "waive",
};

const char *reimbursement_state_name(reimbursement_state_t state)
{
    if (state < REIMBURSEMENT_ENTITLED || state > REIMBURSEMENT_WAIVED)
        return "unknown";
    return s_state_names[state];
}

int reimbursement_state_parse(const char *text, reimbursement_state_t *state, sm_err_t *err)
{
    for (int s = REIMBURSEMENT_ENTITLED; s <= REIMBURSEMENT_WAIVED; s++)
        if (text && strcmp(text, s_state_names[s]) == 0) {
            *state = (reimbursement_state_t)s;
            return 0;
        }
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, "state",
                      _("unknown reimbursement state; give entitled, claimed, approved, paid or "
                        "waived"));
}

const char *reimbursement_action_name(reimbursement_action_t action)
{
    if (action < REIMBURSEMENT_CLAIM || action > REIMBURSEMENT_WAIVE)
        return "unknown";
    return s_action_names[action];
}

int reimbursement_amount(bool session_has_amount, int64_t session_amount_cents,
                         int64_t default_cents, int64_t *amount_cents, sm_err_t *err)
{
    int64_t amount = session_has_amount ? session_amount_cents : default_cents;
    if (amount < 0 && session_has_amount)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "amount",
                          _("the session's reimbursement is negative; give an amount of zero or "
                            "more"));
    if (amount < 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "amount",
                          _("the default reimbursement is negative; give an amount of zero or "
                            "more"));
    if (amount > SM_MONEY_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "amount",
                          session_has_amount
                              ? _("the session's reimbursement is beyond any amount accepted; "
                                  "give an amount of zero or more")
                              : _("the default reimbursement is beyond any amount accepted; give "
                                  "an amount of zero or more"));
    *amount_cents = amount;
    return 0;
}

/*  The refusal for an action that the state does not allow.
    Returns -1 always. */
static int s_refuse(reimbursement_state_t from, reimbursement_action_t action, sm_err_t *err)
{
    const char *why;
    switch (from) {
    case REIMBURSEMENT_PAID:
        why = action == REIMBURSEMENT_WAIVE
                  ? _("entitlement is already paid; a payment cannot be waived")
                  : _("entitlement is already paid; nothing more can be done with it");
        break;
    case REIMBURSEMENT_WAIVED:
        why = action == REIMBURSEMENT_WAIVE
                  ? _("entitlement is already waived")
                  : _("entitlement is waived; it cannot be claimed, approved or paid any more");
        break;
    case REIMBURSEMENT_ENTITLED:
        why = action == REIMBURSEMENT_APPROVE
                  ? _("entitlement is not claimed yet; record the claim first")
                  : _("entitlement is not claimed yet; record and approve the claim first");
        break;
    case REIMBURSEMENT_CLAIMED:
        why = action == REIMBURSEMENT_CLAIM ? _("entitlement is already claimed")
                                            : _("entitlement is not approved yet; approve the "
                                                "claim first");
        break;
    case REIMBURSEMENT_APPROVED:
        why = _("entitlement is already approved");
        break;
    default:
        why = _("entitlement is in an unknown state");
        break;
    }
    return sm_err_set(err, SM_E_FAILED_PRECONDITION, "entitlement", "%s", why);
}

int reimbursement_next(reimbursement_state_t from, reimbursement_action_t action,
                       reimbursement_state_t *to, sm_err_t *err)
{
    if (from < REIMBURSEMENT_ENTITLED || from > REIMBURSEMENT_WAIVED)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "state",
                          _("unknown reimbursement state; give entitled, claimed, approved, paid "
                            "or waived"));
    reimbursement_state_t next;
    switch (action) {
    case REIMBURSEMENT_CLAIM:
        if (from != REIMBURSEMENT_ENTITLED)
            return s_refuse(from, action, err);
        next = REIMBURSEMENT_CLAIMED;
        break;
    case REIMBURSEMENT_APPROVE:
        if (from != REIMBURSEMENT_CLAIMED)
            return s_refuse(from, action, err);
        next = REIMBURSEMENT_APPROVED;
        break;
    case REIMBURSEMENT_PAY:
        if (from != REIMBURSEMENT_APPROVED)
            return s_refuse(from, action, err);
        next = REIMBURSEMENT_PAID;
        break;
    case REIMBURSEMENT_WAIVE:
        if (from == REIMBURSEMENT_PAID || from == REIMBURSEMENT_WAIVED)
            return s_refuse(from, action, err);
        next = REIMBURSEMENT_WAIVED;
        break;
    default:
        return sm_err_set(
            err, SM_E_INVALID_ARGUMENT, "action",
            _("unknown action on a reimbursement; give claim, approve, pay or waive"));
    }
    *to = next;
    return 0;
}

/*  True when s holds something other than white space. */
static bool s_has_text(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return true;
    return false;
}

int reimbursement_cap_check(int64_t year_paid_cents, int64_t amount_cents, int64_t cap_cents,
                            const char *override_reason, reimbursement_cap_check_t *check,
                            sm_err_t *err)
{
    memset(check, 0, sizeof *check);
    check->outcome = REIMBURSEMENT_CAP_REFUSED;
    const char *field = NULL;
    if (amount_cents < 0 || amount_cents > SM_MONEY_MAX)
        field = "amount";
    else if (year_paid_cents < 0 || year_paid_cents > SM_MONEY_MAX)
        field = "year_paid";
    else if (cap_cents < 0 || cap_cents > SM_MONEY_MAX)
        field = "cap";
    if (field)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s must be an amount from zero up to the largest accepted"), field);
    if (override_reason && strlen(override_reason) > REIMBURSEMENT_REASON_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "override_reason",
                          _("the override reason is longer than %d bytes; say it shorter"),
                          REIMBURSEMENT_REASON_MAX);

    int64_t after = year_paid_cents + amount_cents; /*  both <= 10^15: no overflow */
    check->paid_after_cents = after;
    if (after <= cap_cents) {
        check->outcome = REIMBURSEMENT_CAP_WITHIN;
        return 0;
    }
    check->over_cents = after - cap_cents;
    char a[48], t[48], o[48], c[48];
    sm_l10n_money(amount_cents, a);
    sm_l10n_money(after, t);
    sm_l10n_money(check->over_cents, o);
    sm_l10n_money(cap_cents, c);
    if (s_has_text(override_reason)) {
        check->outcome = REIMBURSEMENT_CAP_OVERRIDDEN;
        snprintf(check->message, sizeof check->message,
                 _("paying %s brings this year's reimbursements to %s, %s past the yearly cap "
                   "of %s; paid on override"),
                 a, t, o, c);
        return 0;
    }
    snprintf(check->message, sizeof check->message,
             _("paying %s would bring this year's reimbursements to %s, %s past the yearly cap "
               "of %s; give an override reason to pay anyway"),
             a, t, o, c);
    return sm_err_set(err, SM_E_FAILED_PRECONDITION, "amount", "%s", check->message);
}
