/*  services/finance/split.c - cost sharing by largest remainder.

    See split.h for the method and the tie rule. Everything here is integer
    arithmetic; products that may exceed 64 bits are taken in __int128.
*/
#include "split.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/money.h"
#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 s_i128;

/*  True when member a comes before member b in the order that hands out
    left-over units: larger remainder, then more inhabitants, then name in
    byte order. This function can't fail. */
static bool s_first(int64_t rem_a, const split_member_t *a, int64_t rem_b, const split_member_t *b)
{
    if (rem_a != rem_b)
        return rem_a > rem_b;
    if (a->inhabitants != b->inhabitants)
        return a->inhabitants > b->inhabitants;
    return strcmp(a->name, b->name) < 0;
}

/*  Check the members one by one and pairwise for repeated names.
    Returns 0 with *sum set to the sum of inhabitants, or -1 with err set. */
static int s_check_members(const split_member_t *members, size_t count, int64_t *sum, sm_err_t *err)
{
    if (!members || count == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "municipalities",
                          _("no municipalities to share the cost among; give at least one "
                            "municipality with its inhabitants"));
    if (count > SPLIT_MAX_MEMBERS)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "municipalities",
                          _("%zu municipalities is more than one split accepts; give at most %d"),
                          count, SPLIT_MAX_MEMBERS);
    int64_t total = 0;
    for (size_t i = 0; i < count; i++) {
        const split_member_t *m = &members[i];
        if (!m->name || !m->name[0])
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "municipalities",
                              _("municipality number %zu has no name; give every municipality "
                                "its name or statistics-office code"),
                              i + 1);
        char field[64];
        snprintf(field, sizeof field, "inhabitants[%s]", m->name);
        if (m->inhabitants <= 0)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s has %lld inhabitants; give the statistics office's count, "
                                "a whole number above zero"),
                              m->name, (long long)m->inhabitants);
        if (m->inhabitants > SPLIT_MAX_INHABITANTS)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s has %lld inhabitants, more than the %lld a municipality may "
                                "have here; check the count"),
                              m->name, (long long)m->inhabitants, (long long)SPLIT_MAX_INHABITANTS);
        for (size_t j = 0; j < i; j++)
            if (strcmp(members[j].name, m->name) == 0)
                return sm_err_set(err, SM_E_INVALID_ARGUMENT, "municipalities",
                                  _("%s is given twice; give each municipality once"), m->name);
        total += m->inhabitants; /*  at most 1000 x 10^9: no overflow */
    }
    *sum = total;
    return 0;
}

/*  Check total and unit. Returns 0, or -1 with err set. */
static int s_check_amounts(int64_t total, int64_t unit, sm_err_t *err)
{
    char a[48], b[48];
    if (total <= 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "total",
                          _("total %s is not a cost to share; give an amount above zero"),
                          sm_l10n_money(total, a));
    if (total > SM_MONEY_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "total",
                          _("total %s is larger than the largest amount accepted, %s"),
                          sm_l10n_money(total, a), sm_l10n_money(SM_MONEY_MAX, b));
    if (unit <= 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "unit",
                          _("unit %s cannot round anything; give a unit above zero, e.g. "
                            "EUR 1,000.00 or EUR 10.00"),
                          sm_l10n_money(unit, a));
    if (unit > total)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "unit",
                          _("unit %s is larger than the total %s; give a unit no larger than "
                            "the total"),
                          sm_l10n_money(unit, a), sm_l10n_money(total, b));
    if (total % unit != 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "total",
                          _("total %s is not a multiple of the unit %s; give a total in whole "
                            "units, or a smaller unit"),
                          sm_l10n_money(total, a), sm_l10n_money(unit, b));
    return 0;
}

int split_compute(const split_member_t *members, size_t count, int64_t total_cents,
                  int64_t unit_cents, split_share_t *out, sm_err_t *err)
{
    int64_t sum = 0;
    if (s_check_amounts(total_cents, unit_cents, err) != 0)
        return -1;
    if (s_check_members(members, count, &sum, err) != 0)
        return -1;
    if (!out)
        return sm_err_set(err, SM_E_INTERNAL, NULL,
                          _("split_compute called without room for its result"));

    int64_t total_units = total_cents / unit_cents;
    int64_t given = 0;
    /*  The remainders of the quotas in units are kept in share_remainder
        for a moment: they share the denominator (sum), so comparing them is
        comparing the fractions. */
    for (size_t i = 0; i < count; i++) {
        s_i128 quota_num = (s_i128)total_units * members[i].inhabitants;
        split_share_t *s = &out[i];
        s->name = members[i].name;
        s->inhabitants = members[i].inhabitants;
        s->units = (int64_t)(quota_num / sum);
        s->share_remainder = (int64_t)(quota_num % sum);
        given += s->units;
    }
    int64_t left = total_units - given; /*  0 <= left < count */

    /*  Rank by counting who comes first: O(count^2) comparisons, fine for
        SPLIT_MAX_MEMBERS and needs no allocation. */
    for (size_t i = 0; i < count; i++) {
        int64_t ahead = 0;
        for (size_t j = 0; j < count && ahead < left; j++)
            if (j != i &&
                s_first(out[j].share_remainder, &members[j], out[i].share_remainder, &members[i]))
                ahead++;
        out[i].extra_unit = ahead < left;
    }

    for (size_t i = 0; i < count; i++) {
        split_share_t *s = &out[i];
        if (s->extra_unit)
            s->units++;
        s->contribution_cents = s->units * unit_cents;
        s_i128 exact_num = (s_i128)total_cents * s->inhabitants;
        s->share_cents = (int64_t)(exact_num / sum);
        s->share_remainder = (int64_t)(exact_num % sum);
        s->share_denominator = sum;
        /*  Half up: floor((2 * inh * 10000 + sum) / (2 * sum)). */
        s->percent_bp = (int64_t)(((s_i128)s->inhabitants * 20000 + sum) / ((s_i128)sum * 2));
    }
    return 0;
}
