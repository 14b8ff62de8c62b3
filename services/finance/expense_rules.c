/*  services/finance/expense_rules.c - what an expense does to its budget line. */
#include "expense_rules.h"
#include "common/i18n.h"
#include "common/money.h"
#include <string.h>

static const char *const s_categories[] = {NULL,       "facilitator", "expertise",
                                           "catering", "room",        "other"};
static const char *const s_statuses[] = {NULL, "committed", "spent", "cancelled"};

const char *expense_category_name(expense_category_t c)
{
    if (c < EXPENSE_FACILITATOR || c > EXPENSE_OTHER)
        return "unknown";
    return s_categories[c];
}

int expense_category_parse(const char *text, expense_category_t *c, sm_err_t *err)
{
    for (int i = EXPENSE_FACILITATOR; i <= EXPENSE_OTHER; i++)
        if (text && strcmp(text, s_categories[i]) == 0) {
            *c = (expense_category_t)i;
            return 0;
        }
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, "category",
                      _("unknown expense category; give facilitator, expertise, catering, room or "
                        "other"));
}

const char *expense_status_name(expense_status_t s)
{
    if (s < EXPENSE_COMMITTED || s > EXPENSE_CANCELLED)
        return "unknown";
    return s_statuses[s];
}

int expense_status_parse(const char *text, expense_status_t *s, sm_err_t *err)
{
    for (int i = EXPENSE_COMMITTED; i <= EXPENSE_CANCELLED; i++)
        if (text && strcmp(text, s_statuses[i]) == 0) {
            *s = (expense_status_t)i;
            return 0;
        }
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, "status",
                      _("unknown expense status; give committed, spent or cancelled"));
}

/*  Refuse an amount that is not more than zero or beyond SM_MONEY_MAX. */
static int s_check_amount(int64_t cents, sm_err_t *err)
{
    if (cents <= 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "amount_cents",
                          cents < 0 ? _("an expense of a negative amount is no expense; give an "
                                        "amount above zero")
                                    : _("an expense of zero is no expense; give an amount above "
                                        "zero"));
    if (cents > SM_MONEY_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "amount_cents",
                          _("the amount is beyond the largest amount accepted"));
    return 0;
}

int expense_book(int64_t amount_cents, bool committed, expense_status_t *status,
                 expense_delta_t *delta, sm_err_t *err)
{
    if (s_check_amount(amount_cents, err))
        return -1;
    *status = committed ? EXPENSE_COMMITTED : EXPENSE_SPENT;
    delta->committed_cents = committed ? amount_cents : 0;
    delta->spent_cents = committed ? 0 : amount_cents;
    return 0;
}

/*  The refusal for a step on an expense that is not committed. */
static int s_not_committed(expense_status_t s, const char *step, sm_err_t *err)
{
    if (s == EXPENSE_SPENT)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "expense",
                          _("the expense is already spent; only a committed expense can be %s; "
                            "correct a wrong booking with a new one"),
                          step);
    if (s == EXPENSE_CANCELLED)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "expense",
                          _("the expense is cancelled; only a committed expense can be %s"), step);
    return sm_err_set(err, SM_E_FAILED_PRECONDITION, "expense",
                      _("the expense is in an unknown state; only a committed expense can be %s"),
                      step);
}

int expense_settle(expense_status_t *status, int64_t committed_cents, int64_t actual_cents,
                   expense_delta_t *delta, sm_err_t *err)
{
    if (*status != EXPENSE_COMMITTED)
        return s_not_committed(*status, C_("expense step", "settled"), err);
    if (s_check_amount(actual_cents, err))
        return -1;
    *status = EXPENSE_SPENT;
    delta->committed_cents = -committed_cents;
    delta->spent_cents = actual_cents;
    return 0;
}

int expense_cancel(expense_status_t *status, int64_t committed_cents, expense_delta_t *delta,
                   sm_err_t *err)
{
    if (*status != EXPENSE_COMMITTED)
        return s_not_committed(*status, C_("expense step", "cancelled"), err);
    *status = EXPENSE_CANCELLED;
    delta->committed_cents = -committed_cents;
    delta->spent_cents = 0;
    return 0;
}
