/*  services/finance/contribution.c - contributions as decided beside
    contributions as computed. See contribution.h. */
#include "contribution.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/money.h"
#include <stdio.h>

int64_t contribution_invoiced(const contribution_row_t *row)
{
    return row->has_decided ? row->decided_cents : row->computed_cents;
}

int64_t contribution_difference(const contribution_row_t *row)
{
    return row->has_decided ? row->decided_cents - row->computed_cents : 0;
}

/*  True when a + b stays within 0..SM_MONEY_MAX (both at least 0). */
static bool s_fits(int64_t a, int64_t b)
{
    return a >= 0 && b >= 0 && b <= SM_MONEY_MAX - a;
}

int contribution_totals(const contribution_row_t *rows, size_t count, int64_t cost_cents,
                        contribution_totals_t *out, sm_err_t *err)
{
    contribution_totals_t t = {.cost_cents = cost_cents};
    if (cost_cents < 0 || cost_cents > SM_MONEY_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "rows",
                          _("the cost is out of range; give an amount from 0 up"));
    for (size_t i = 0; i < count; i++) {
        const contribution_row_t *r = &rows[i];
        int64_t inv = contribution_invoiced(r);
        if (r->computed_cents < 0 || (r->has_decided && r->decided_cents < 0))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "rows",
                              _("a contribution is negative; give amounts from 0 up"));
        if (!s_fits(t.computed_cents, r->computed_cents) || !s_fits(t.invoiced_cents, inv))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "rows",
                              _("the contributions add up to more than the largest amount "
                                "accepted"));
        t.computed_cents += r->computed_cents;
        t.invoiced_cents += inv;
        t.differing += contribution_difference(r) != 0;
    }
    t.difference_cents = t.invoiced_cents - t.computed_cents;
    t.balance_cents = t.invoiced_cents - t.cost_cents;
    *out = t;
    return 0;
}

int contribution_decide(contribution_row_t *rows, size_t count, size_t at, int64_t decided_cents,
                        bool has_reason, sm_err_t *err)
{
    char a[SM_L10N_NUMBER_SIZE], b[SM_L10N_NUMBER_SIZE], c[SM_L10N_NUMBER_SIZE],
        d[SM_L10N_NUMBER_SIZE];
    if (at >= count)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "municipality",
                          _("that municipality has no contribution in this allocation"));
    if (decided_cents < 0 || decided_cents > SM_MONEY_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "decided_cents",
                          _("a decided amount runs from nothing up to the largest amount "
                            "accepted"));
    contribution_row_t *r = &rows[at];
    contribution_row_t after = *r;
    after.has_decided = true;
    after.decided_cents = decided_cents;
    if (r->paid && contribution_invoiced(&after) != contribution_invoiced(r))
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "municipality",
                          _("the invoice of %1$s was paid for %2$s; a decided amount of %3$s "
                            "can no longer change it"),
                          r->name ? r->name : "?", sm_l10n_money(contribution_invoiced(r), a),
                          sm_l10n_money(decided_cents, b));
    int64_t total_diff = 0;
    bool differs = false;
    for (size_t i = 0; i < count; i++) {
        int64_t diff = contribution_difference(i == at ? &after : &rows[i]);
        total_diff += diff;
        differs |= diff != 0;
    }
    if (differs && !has_reason)
        /*  TRANSLATORS: %1$s is the amount decided, %2$s the municipality,
            %3$s the computed amount, %4$s and %5$s differences (negative
            when less was decided). */
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "reason",
                          _("the decided %1$s for %2$s differs from the computed %3$s by %4$s "
                            "(in total the decided contributions differ by %5$s); give the "
                            "decision's reason once for this allocation"),
                          sm_l10n_money(decided_cents, a), r->name ? r->name : "?",
                          sm_l10n_money(r->computed_cents, b),
                          sm_l10n_money(decided_cents - r->computed_cents, c),
                          sm_l10n_money(total_diff, d));
    *r = after;
    return 0;
}

char *contribution_balance_words(int64_t balance_cents, char *buf, size_t size)
{
    char m[SM_L10N_NUMBER_SIZE];
    if (balance_cents < 0)
        snprintf(buf, size, _("a shortfall of %s"), sm_l10n_money(-balance_cents, m));
    else if (balance_cents > 0)
        snprintf(buf, size, _("a surplus of %s"), sm_l10n_money(balance_cents, m));
    else
        snprintf(buf, size, "%s", _("no shortfall or surplus"));
    return buf;
}
