/*  services/finance/multiyear.c - several years side by side. See
    multiyear.h. */
#include "multiyear.h"
#include "common/i18n.h"
#include <stdbool.h>

/*  *acc += v, false on overflow (acc unchanged). */
static bool s_add(int64_t *acc, int64_t v)
{
    int64_t r;
    if (__builtin_add_overflow(*acc, v, &r))
        return false;
    *acc = r;
    return true;
}

int multiyear_carry(multiyear_row_t *rows, size_t count, int64_t carried_in_cents, sm_err_t *err)
{
    int64_t carry = carried_in_cents;
    for (size_t i = 0; i < count; i++) {
        multiyear_row_t *r = &rows[i];
        int64_t over = carry, balance = carry;
        if (!s_add(&over, r->contributions_cents) || !s_add(&over, -r->spent_cents) ||
            !s_add(&balance, r->contributions_cents) || !s_add(&balance, -r->budget_cents))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "years",
                              _("the figures of %d are out of range"), r->year);
        r->carried_in_cents = carry;
        r->carried_over_cents = over;
        r->budget_balance_cents = balance;
        carry = over;
    }
    return 0;
}

int multiyear_total(const multiyear_row_t *rows, size_t count, multiyear_row_t *total,
                    sm_err_t *err)
{
    multiyear_row_t t = {0};
    if (count > 0) {
        t.carried_in_cents = rows[0].carried_in_cents;
        t.carried_over_cents = rows[count - 1].carried_over_cents;
    }
    for (size_t i = 0; i < count; i++)
        if (!s_add(&t.budget_cents, rows[i].budget_cents) ||
            !s_add(&t.committed_cents, rows[i].committed_cents) ||
            !s_add(&t.spent_cents, rows[i].spent_cents) ||
            !s_add(&t.contributions_cents, rows[i].contributions_cents) ||
            !s_add(&t.received_cents, rows[i].received_cents))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "years",
                              _("the totals are out of range"));
    t.budget_balance_cents = t.carried_in_cents;
    if (!s_add(&t.budget_balance_cents, t.contributions_cents) ||
        !s_add(&t.budget_balance_cents, -t.budget_cents))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "years", _("the totals are out of range"));
    *total = t;
    return 0;
}

int64_t multiyear_round(int64_t cents, int64_t unit_cents)
{
    if (unit_cents <= 1)
        return cents;
    __extension__ typedef __int128 s_i128;
    s_i128 a = cents < 0 ? -(s_i128)cents : (s_i128)cents;
    s_i128 q = (a * 2 + unit_cents) / ((s_i128)unit_cents * 2) * unit_cents;
    /*  Rounding up can pass INT64_MAX only for amounts far beyond money. */
    if (q > INT64_MAX)
        q = (INT64_MAX / unit_cents) * unit_cents;
    return cents < 0 ? -(int64_t)q : (int64_t)q;
}
