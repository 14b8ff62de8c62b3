/*  services/finance/grant.c - grant pools, applications and their figures.

    See grant.h for the states and the rules of each step.
*/
#include "grant.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/money.h"
#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 s_i128;

static const char *const s_kind_names[] = {NULL, "district", "city_wide", "earmarked"};
static const char *const s_state_names[] = {
    NULL,        "submitted", "awarded", "rejected",  "paid",
    "evaluated", "accounted", "closed",  "withdrawn",
};
static const char *const s_result_names[] = {"none", "reached", "partly", "not_reached"};

/* ==== Names ============================================================== */

const char *grant_pool_kind_name(grant_pool_kind_t kind)
{
    if (kind < GRANT_POOL_DISTRICT || kind > GRANT_POOL_EARMARKED)
        return "unknown";
    return s_kind_names[kind];
}

int grant_pool_kind_parse(const char *text, grant_pool_kind_t *kind, sm_err_t *err)
{
    for (int k = GRANT_POOL_DISTRICT; k <= GRANT_POOL_EARMARKED; k++)
        if (text && strcmp(text, s_kind_names[k]) == 0) {
            *kind = (grant_pool_kind_t)k;
            return 0;
        }
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, "kind",
                      _("unknown pool kind; give district, city_wide or earmarked"));
}

const char *grant_state_name(grant_state_t state)
{
    if (state < GRANT_SUBMITTED || state > GRANT_WITHDRAWN)
        return "unknown";
    return s_state_names[state];
}

int grant_state_parse(const char *text, grant_state_t *state, sm_err_t *err)
{
    for (int s = GRANT_SUBMITTED; s <= GRANT_WITHDRAWN; s++)
        if (text && strcmp(text, s_state_names[s]) == 0) {
            *state = (grant_state_t)s;
            return 0;
        }
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, "state",
                      _("unknown application state; give submitted, awarded, rejected, paid, "
                        "evaluated, accounted, closed or withdrawn"));
}

const char *grant_result_name(grant_result_t result)
{
    if (result < GRANT_RESULT_NONE || result > GRANT_RESULT_NOT_REACHED)
        return "unknown";
    return s_result_names[result];
}

int grant_result_parse(const char *text, grant_result_t *result, sm_err_t *err)
{
    if (text && strcmp(text, "not") == 0) {
        *result = GRANT_RESULT_NOT_REACHED;
        return 0;
    }
    for (int r = GRANT_RESULT_REACHED; r <= GRANT_RESULT_NOT_REACHED; r++)
        if (text && strcmp(text, s_result_names[r]) == 0) {
            *result = (grant_result_t)r;
            return 0;
        }
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, "result",
                      _("unknown result; give reached, partly or not_reached"));
}

/* ==== Pools ============================================================== */

/*  True when s holds something other than white space. */
static bool s_has_text(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return true;
    return false;
}

int grant_pool_validate(const grant_pool_t *pool, sm_err_t *err)
{
    if (!pool)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "pool", _("no pool given"));
    if (pool->kind < GRANT_POOL_DISTRICT || pool->kind > GRANT_POOL_EARMARKED)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "kind",
                          _("unknown pool kind; give district, city_wide or earmarked"));
    if (pool->year < GRANT_YEAR_MIN || pool->year > GRANT_YEAR_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "year",
                          _("year %d is out of range; give a year from %d to %d"), pool->year,
                          GRANT_YEAR_MIN, GRANT_YEAR_MAX);
    if (pool->amount_cents < 0 || pool->amount_cents > SM_MONEY_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "amount",
                          pool->amount_cents < 0
                              ? _("the pool's amount is negative; give an amount of zero or more")
                              : _("the pool's amount is beyond any amount accepted; give an "
                                  "amount of zero or more"));
    bool district = pool->kind == GRANT_POOL_DISTRICT;
    bool earmarked = pool->kind == GRANT_POOL_EARMARKED;
    if (district && !s_has_text(pool->district))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "district",
                          _("a district pool needs the district's name"));
    if (!district && pool->district)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "district",
                          _("a %s pool belongs to no district; leave district out or choose kind "
                            "district"),
                          grant_pool_kind_name(pool->kind));
    if (earmarked && !s_has_text(pool->earmark))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "earmark",
                          _("an earmarked pool needs its purpose, e.g. \"vulnerable elderly\""));
    if (!earmarked && pool->earmark)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "earmark",
                          _("a %s pool has no earmark; leave earmark out or choose kind earmarked"),
                          grant_pool_kind_name(pool->kind));
    return 0;
}

/*  True when an award stands in state: it counts against its pool. */
static bool s_award_stands(grant_state_t state)
{
    return state == GRANT_AWARDED || state == GRANT_PAID || state == GRANT_EVALUATED ||
           state == GRANT_ACCOUNTED || state == GRANT_CLOSED;
}

int grant_pool_awarded(const grant_application_t *apps, size_t count, int64_t *awarded_cents,
                       sm_err_t *err)
{
    int64_t sum = 0;
    for (size_t i = 0; i < count; i++)
        if (s_award_stands(apps[i].state) &&
            __builtin_add_overflow(sum, apps[i].awarded_cents, &sum))
            return sm_err_set(
                err, SM_E_INTERNAL, NULL,
                _("the pool's awards do not add up in 64 bits; the store holds nonsense"));
    *awarded_cents = sum;
    return 0;
}

int64_t grant_pool_remaining(int64_t pool_amount_cents, int64_t awarded_cents)
{
    return pool_amount_cents - awarded_cents;
}

/* ==== Applications ======================================================= */

/*  The refusal for a step the application's state does not allow:
    "application is already <target>" when it is there, else "application
    is <state>; <only>", only being a whole translated sentence such as
    "only a submitted application can be awarded". Returns -1. */
static int s_refuse(const grant_application_t *app, grant_state_t target, const char *only,
                    sm_err_t *err)
{
    if (app->state == target)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "state", _("application is already %s"),
                          grant_state_name(target));
    /*  TRANSLATORS: the state (a code such as "paid"), then why the step is refused. */
    return sm_err_set(err, SM_E_FAILED_PRECONDITION, "state", _("application is %1$s; %2$s"),
                      grant_state_name(app->state), only);
}

int grant_application_init(grant_application_t *app, int64_t requested_cents, sm_err_t *err)
{
    if (requested_cents <= 0 || requested_cents > SM_MONEY_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "requested",
                          _("the requested amount must be more than zero and at most the largest "
                            "amount accepted"));
    memset(app, 0, sizeof *app);
    app->state = GRANT_SUBMITTED;
    app->requested_cents = requested_cents;
    app->result = GRANT_RESULT_NONE;
    return 0;
}

int grant_award(grant_application_t *app, int64_t amount_cents, int64_t pool_remaining_cents,
                sm_err_t *err)
{
    char a[48], b[48];
    if (app->state != GRANT_SUBMITTED)
        return s_refuse(app, GRANT_AWARDED, _("only a submitted application can be awarded"), err);
    if (amount_cents <= 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "amount",
                          _("award %s is not a grant; give an amount above zero, or reject the "
                            "application with a reason"),
                          sm_l10n_money(amount_cents, a));
    if (amount_cents > app->requested_cents)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "amount",
                          _("award %s exceeds the %s requested; award at most what was asked"),
                          sm_l10n_money(amount_cents, a), sm_l10n_money(app->requested_cents, b));
    if (amount_cents > pool_remaining_cents)
        return sm_err_set(
            err, SM_E_FAILED_PRECONDITION, "amount",
            _("award %s exceeds pool's remaining %s; award less, or from another pool"),
            sm_l10n_money(amount_cents, a),
            sm_l10n_money(pool_remaining_cents < 0 ? 0 : pool_remaining_cents, b));
    app->state = GRANT_AWARDED;
    app->awarded_cents = amount_cents;
    return 0;
}

int grant_reject(grant_application_t *app, const char *reason, sm_err_t *err)
{
    if (app->state != GRANT_SUBMITTED)
        return s_refuse(app, GRANT_REJECTED, _("only a submitted application can be rejected"),
                        err);
    if (!s_has_text(reason))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "reason",
                          _("a rejection needs a reason the initiative can read; give one"));
    if (strlen(reason) > GRANT_REASON_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "reason",
                          _("the reason is longer than %d bytes; say it shorter"),
                          GRANT_REASON_MAX);
    app->state = GRANT_REJECTED;
    return 0;
}

int grant_withdraw(grant_application_t *app, sm_err_t *err)
{
    if (app->state != GRANT_SUBMITTED && app->state != GRANT_AWARDED)
        return s_refuse(app, GRANT_WITHDRAWN,
                        _("only a submitted or awarded (unpaid) application can be withdrawn"),
                        err);
    app->state = GRANT_WITHDRAWN;
    return 0;
}

int grant_pay(grant_application_t *app, int64_t amount_cents, sm_err_t *err)
{
    char a[48], b[48];
    if (app->state != GRANT_AWARDED)
        return s_refuse(app, GRANT_PAID, _("only an awarded application can be paid"), err);
    if (amount_cents <= 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "amount",
                          _("payment %s is not a payment; give an amount above zero"),
                          sm_l10n_money(amount_cents, a));
    if (amount_cents > app->awarded_cents)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "amount",
                          _("payment %s exceeds the award of %s; pay at most what was awarded"),
                          sm_l10n_money(amount_cents, a), sm_l10n_money(app->awarded_cents, b));
    app->state = GRANT_PAID;
    app->paid_cents = amount_cents;
    return 0;
}

int grant_evaluate(grant_application_t *app, sm_err_t *err)
{
    if (app->state != GRANT_PAID)
        return s_refuse(app, GRANT_EVALUATED, _("only a paid application can be evaluated"), err);
    app->state = GRANT_EVALUATED;
    return 0;
}

int grant_account(grant_application_t *app, grant_result_t result, sm_err_t *err)
{
    if (app->state != GRANT_PAID && app->state != GRANT_EVALUATED)
        return s_refuse(app, GRANT_ACCOUNTED,
                        _("only a paid or evaluated application can be accounted for"), err);
    if (result != GRANT_RESULT_REACHED && result != GRANT_RESULT_PARTLY &&
        result != GRANT_RESULT_NOT_REACHED)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "result",
                          _("accountability needs its result; give reached, partly or "
                            "not_reached"));
    app->state = GRANT_ACCOUNTED;
    app->result = result;
    return 0;
}

int grant_close(grant_application_t *app, sm_err_t *err)
{
    if (app->state != GRANT_ACCOUNTED)
        return s_refuse(app, GRANT_CLOSED, _("only an accounted application can be closed"), err);
    app->state = GRANT_CLOSED;
    return 0;
}

/* ==== Figures ============================================================ */

int grant_stats(const grant_application_t *apps, size_t count, grant_stats_t *stats, sm_err_t *err)
{
    grant_stats_t s;
    memset(&s, 0, sizeof s);
    bool overflow = false;
    for (size_t i = 0; i < count; i++) {
        const grant_application_t *a = &apps[i];
        s.count++;
        overflow |=
            __builtin_add_overflow(s.requested_cents, a->requested_cents, &s.requested_cents);
        if (s_award_stands(a->state)) {
            s.awarded_count++;
            overflow |= __builtin_add_overflow(s.awarded_cents, a->awarded_cents, &s.awarded_cents);
            overflow |= __builtin_add_overflow(s.paid_cents, a->paid_cents, &s.paid_cents);
        }
        if (a->state == GRANT_REJECTED)
            s.rejected_count++;
        if (a->state == GRANT_WITHDRAWN)
            s.withdrawn_count++;
        if ((a->state == GRANT_ACCOUNTED || a->state == GRANT_CLOSED) &&
            a->result != GRANT_RESULT_NONE) {
            s.accounted_count++;
            if (a->result == GRANT_RESULT_REACHED)
                s.reached_count++;
            else if (a->result == GRANT_RESULT_PARTLY)
                s.partly_count++;
            else
                s.not_reached_count++;
        }
    }
    if (overflow)
        return sm_err_set(err, SM_E_INTERNAL, NULL,
                          _("grant figures do not add up in 64 bits; the store holds nonsense"));
    if (s.accounted_count > 0)
        s.reached_bp = (int64_t)(((s_i128)s.reached_count * 20000 + s.accounted_count) /
                                 ((s_i128)s.accounted_count * 2));
    *stats = s;
    return 0;
}
