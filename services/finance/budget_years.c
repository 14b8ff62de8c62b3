/*  services/finance/budget_years.c - the multi-year view. See
    budget_years.h. */
#include "budget_years.h"
#include "allocation.h"
#include "budget_line.h"
#include "common/i18n.h"
#include "multiyear.h"
#include <string.h>

/*  The years finance books in (proto/ops_finance.c). */
#define S_YEAR_FIRST 2000

/*  Default rounding: EUR 1,000, as the programme's documents round. */
#define S_ROUND_DEFAULT_CENTS 100000

/*  Gathering the contributions per year. */
typedef struct {
    int from, to;
    multiyear_row_t *rows;         /*  to - from + 1 of them */
    int64_t earlier_contributions; /*  of the years before from */
    int64_t without_year;          /*  allocations that name no year */
} s_gather_t;

/*  Count allocation a's contributions in its (first) year. */
static int s_contrib_visit(sm_ctx_t *ctx, const alloc_summary_t *a, void *arg)
{
    s_gather_t *g = arg;
    (void)ctx;
    if (!a->has_year)
        g->without_year++;
    else if (a->year < g->from)
        g->earlier_contributions += a->invoiced_cents;
    else if (a->year <= g->to) {
        g->rows[a->year - g->from].contributions_cents += a->invoiced_cents;
        g->rows[a->year - g->from].received_cents += a->paid_cents;
    }
    return 0;
}

/*  Pack one row's figures (exact, and rounded to unit under "rounded"),
    with lines as its number of budget lines. */
static void s_pack_row(msgpack_packer *pk, const multiyear_row_t *r, int64_t lines, int64_t unit)
{
    static const char *const keys[] = {
        "budget_cents",   "committed_cents",  "spent_cents",        "contributions_cents",
        "received_cents", "carried_in_cents", "carried_over_cents", "budget_balance_cents"};
    const int64_t v[] = {r->budget_cents,        r->committed_cents,     r->spent_cents,
                         r->contributions_cents, r->received_cents,      r->carried_in_cents,
                         r->carried_over_cents,  r->budget_balance_cents};
    size_t n = sizeof keys / sizeof keys[0];
    msgpack_pack_map(pk, n + 3);
    if (r->year)
        sm_pack_kv_int(pk, "year", r->year);
    else
        sm_pack_kv_nil(pk, "year");
    sm_pack_kv_int(pk, "lines", lines);
    for (size_t i = 0; i < n; i++)
        sm_pack_kv_int(pk, keys[i], v[i]);
    sm_pack_str(pk, "rounded");
    msgpack_pack_map(pk, n);
    for (size_t i = 0; i < n; i++)
        sm_pack_kv_int(pk, keys[i], multiyear_round(v[i], unit));
}

int op_budget_years(sm_ctx_t *ctx, const msgpack_object *args)
{
    int from = (int)sm_arg_int(ctx, "from_year", 0), to = (int)sm_arg_int(ctx, "to_year", 0);
    int64_t unit = sm_arg_int(ctx, "round_cents", S_ROUND_DEFAULT_CENTS);
    if (to < from)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "to_year",
                           _("to_year %1$d is before from_year %2$d; give the years in order"), to,
                           from);
    if (to - from + 1 > MULTIYEAR_MAX_YEARS)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "to_year",
                           _("%1$d years are more than one view shows; give at most %2$d years"),
                           to - from + 1, MULTIYEAR_MAX_YEARS);
    multiyear_row_t rows[MULTIYEAR_MAX_YEARS];
    int64_t lines[MULTIYEAR_MAX_YEARS];
    size_t n = (size_t)(to - from + 1);
    memset(rows, 0, sizeof rows);
    s_gather_t g = {.from = from, .to = to, .rows = rows};
    if (alloc_each(ctx, s_contrib_visit, &g))
        return -1;
    /*  What the years before the view spent: the carry-over into its first
        year is what they were given less what they spent. */
    int64_t earlier_spent = 0;
    for (int y = S_YEAR_FIRST; y < from; y++) {
        line_year_t ly;
        if (line_year_sum(ctx, y, &ly))
            return -1;
        earlier_spent += ly.spent_cents;
    }
    for (size_t i = 0; i < n; i++) {
        line_year_t ly;
        if (line_year_sum(ctx, from + (int)i, &ly))
            return -1;
        rows[i].year = from + (int)i;
        rows[i].budget_cents = ly.budget_cents;
        rows[i].committed_cents = ly.committed_cents;
        rows[i].spent_cents = ly.spent_cents;
        lines[i] = ly.lines;
    }
    multiyear_row_t total;
    int64_t all_lines = 0;
    if (multiyear_carry(rows, n, g.earlier_contributions - earlier_spent, sm_ctx_err(ctx)) ||
        multiyear_total(rows, n, &total, sm_ctx_err(ctx)))
        return -1;
    for (size_t i = 0; i < n; i++)
        all_lines += lines[i];
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 6);
    sm_pack_kv_int(pk, "from_year", from);
    sm_pack_kv_int(pk, "to_year", to);
    sm_pack_kv_int(pk, "round_cents", unit);
    sm_pack_str(pk, "years");
    msgpack_pack_array(pk, n);
    for (size_t i = 0; i < n; i++)
        s_pack_row(pk, &rows[i], lines[i], unit);
    sm_pack_str(pk, "total");
    s_pack_row(pk, &total, all_lines, unit);
    sm_pack_kv_int(pk, "allocations_without_year", g.without_year);
    return 0;
}
