/*  cli/funding.c - money as decided and several years side by side, as a
    person reads them: an allocation's computed and decided contributions,
    the budget's funding against its cost, and the multi-year view. See
    cli/finance_print.h. */
#include "cli/finance_print.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/money.h"
#include <stdio.h>
#include <string.h>

/* ==== Shared ============================================================== */

int64_t cli_int(const msgpack_object *map, const char *key)
{
    const msgpack_object *o = sm_map_get(map, key);
    if (o && o->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
        return (int64_t)o->via.u64;
    if (o && o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        return o->via.i64;
    return 0;
}

const char *cli_x100(const msgpack_object *o, char *buf)
{
    buf[0] = '\0';
    if (!o ||
        (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER && o->type != MSGPACK_OBJECT_NEGATIVE_INTEGER))
        return buf;
    int64_t v = o->type == MSGPACK_OBJECT_POSITIVE_INTEGER ? (int64_t)o->via.u64 : o->via.i64;
    int decimals = v % 100 == 0 ? 0 : v % 10 == 0 ? 1 : 2;
    return sm_l10n_decimal(decimals == 0 ? v / 100 : decimals == 1 ? v / 10 : v, decimals, buf);
}

sm_doc_t *cli_rows_doc(sm_buf_t *b)
{
    sm_doc_t *doc = sm_doc_parse(b->sbuf.data, b->sbuf.size, NULL);
    sm_buf_free(b);
    return doc;
}

/*  True for plain text output (no --format, or --format text). */
static bool s_text(cli_t *cli)
{
    return !cli->format || strcmp(cli->format, "text") == 0;
}

/*  Pack key: the value of the same key in map (nil when absent). */
static void s_copy(msgpack_packer *pk, const msgpack_object *map, const char *key)
{
    const msgpack_object *v = sm_map_get(map, key);
    sm_pack_str(pk, key);
    if (v)
        sm_pack_obj(pk, v);
    else
        msgpack_pack_nil(pk);
}

/*  The balance of contributions against a cost as one sentence. */
static void s_print_balance(cli_t *cli, int64_t cost, int64_t invoiced)
{
    char c[48], d[48];
    sm_money_format(cost, cli->nl, c);
    if (invoiced < cost)
        printf(_("The contributions as decided fall %1$s short of the cost, %2$s.\n"),
               sm_money_format(cost - invoiced, cli->nl, d), c);
    else if (invoiced > cost)
        printf(_("The contributions as decided exceed the cost, %1$s, by %2$s.\n"), c,
               sm_money_format(invoiced - cost, cli->nl, d));
    else
        printf(_("The contributions as decided cover the cost, %s, exactly.\n"), c);
}

/* ==== An allocation ======================================================= */

static const cli_col_t s_alloc_cols[] = {{N_("INVOICE"), "invoice", 't'},
                                         {N_("MUNICIPALITY"), "name", 't'},
                                         {N_("INHABITANTS"), "inhabitants", 't'},
                                         {/* xgettext:no-c-format */ N_("%"), "percent", 't'},
                                         {N_("COMPUTED"), "contribution_cents", 'm'},
                                         {N_("DECIDED"), "decided_cents", 'm'},
                                         {N_("DIFFERENCE"), "difference_cents", 'm'},
                                         {N_("INVOICED"), "invoice_cents", 'm'},
                                         {N_("PAID"), "paid", 't'},
                                         {N_("PAID ON"), "paid_on", 't'},
                                         {N_("REFERENCE"), "reference", 't'}};
#define S_ALLOC_COLS (int)(sizeof s_alloc_cols / sizeof s_alloc_cols[0])

void cli_print_allocation(cli_t *cli, const msgpack_object *data)
{
    char a[48], b[48], d[24], id[32], name[400], y1[16], y2[16], years[40], msg[1200];
    if (s_text(cli)) {
        cli_text(sm_map_get(data, "id"), id, sizeof id);
        cli_text(sm_map_get(data, "name"), name, sizeof name);
        cli_money(cli, sm_map_get(data, "total_cents"), a, sizeof a);
        cli_money(cli, sm_map_get(data, "unit_cents"), b, sizeof b);
        cli_text(sm_map_get(data, "as_of"), d, sizeof d);
        cli_text(sm_map_get(data, "year"), y1, sizeof y1);
        cli_text(sm_map_get(data, "to_year"), y2, sizeof y2);
        snprintf(years, sizeof years, strcmp(y1, y2) != 0 ? "%s-%s" : "%s", y1, y2);
        if (y1[0])
            printf(_("allocation %1$s \"%2$s\": %3$s in units of %4$s, inhabitants on %5$s, "
                     "for %6$s\n"),
                   id, name, a, b, d, years);
        else
            printf(_("allocation %1$s \"%2$s\": %3$s in units of %4$s, inhabitants on %5$s\n"), id,
                   name, a, b, d);
        const msgpack_object *dec = sm_map_get(data, "decision");
        if (dec && dec->type == MSGPACK_OBJECT_MAP) {
            char on[24], ref[200];
            cli_text(sm_map_get(dec, "decided_on"), on, sizeof on);
            cli_text(sm_map_get(dec, "reference"), ref, sizeof ref);
            cli_text(sm_map_get(dec, "reason"), msg, sizeof msg);
            if (ref[0] && msg[0])
                printf(_("decided on %1$s (%2$s): %3$s\n"), on, ref, msg);
            else if (ref[0])
                printf(_("decided on %1$s (%2$s)\n"), on, ref);
            else if (msg[0])
                printf(_("decided on %1$s: %2$s\n"), on, msg);
            else
                printf(_("decided on %s\n"), on);
        }
        printf("\n");
    }
    const msgpack_object *rows = sm_map_get(data, "rows");
    uint32_t n = rows && rows->type == MSGPACK_OBJECT_ARRAY ? rows->via.array.size : 0;
    sm_buf_t t;
    sm_buf_init(&t);
    msgpack_pack_array(&t.pk, n + 1);
    for (uint32_t i = 0; i < n; i++)
        sm_pack_obj(&t.pk, &rows->via.array.ptr[i]);
    msgpack_pack_map(&t.pk, 6);
    sm_pack_kv_str(&t.pk, "invoice", "TOTAL");
    sm_pack_kv_int(&t.pk, "inhabitants", cli_int(data, "total_inhabitants"));
    sm_pack_kv_str(&t.pk, "percent", "100.00");
    sm_pack_kv_int(&t.pk, "contribution_cents", cli_int(data, "computed_cents"));
    sm_pack_kv_int(&t.pk, "difference_cents", cli_int(data, "difference_cents"));
    sm_pack_kv_int(&t.pk, "invoice_cents", cli_int(data, "invoiced_cents"));
    sm_doc_t *doc = cli_rows_doc(&t);
    if (doc)
        cli_table(cli, s_alloc_cols, S_ALLOC_COLS, sm_doc_root(doc));
    sm_doc_destroy(&doc);
    if (!s_text(cli))
        return;
    printf("\n");
    int64_t diff = cli_int(data, "difference_cents");
    if (diff != 0)
        printf(_("The decided contributions differ from the computed ones by %s.\n"),
               sm_money_format(diff, cli->nl, a));
    s_print_balance(cli, cli_int(data, "total_cents"), cli_int(data, "invoiced_cents"));
    printf(_("paid %1$s, outstanding %2$s\n"),
           cli_money(cli, sm_map_get(data, "paid_cents"), a, sizeof a),
           cli_money(cli, sm_map_get(data, "outstanding_cents"), b, sizeof b));
}

/* ==== The budget's funding ================================================ */

static const cli_col_t s_funding_cols[] = {{N_("ALLOCATION"), "id", 't'},
                                           {N_("NAME"), "name", 't'},
                                           {N_("YEARS"), "years", 't'},
                                           {N_("COST"), "cost_cents", 'm'},
                                           {N_("COMPUTED"), "computed_cents", 'm'},
                                           {N_("DECIDED"), "invoiced_cents", 'm'},
                                           {N_("DIFFERENCE"), "difference_cents", 'm'},
                                           {N_("PAID"), "paid_cents", 'm'}};

void cli_print_budget_funding(cli_t *cli, const msgpack_object *data)
{
    if (!s_text(cli))
        return;
    const msgpack_object *f = sm_map_get(data, "funding");
    const msgpack_object *al = f ? sm_map_get(f, "allocations") : NULL;
    uint32_t n = al && al->type == MSGPACK_OBJECT_ARRAY ? al->via.array.size : 0;
    char y[16];
    cli_text(sm_map_get(data, "year"), y, sizeof y);
    printf("\n%s\n", _("funding"));
    if (n == 0) {
        printf(_("No allocation pays for %1$s; give one the year with finance split ... --year "
                 "%2$s.\n"),
               y, y);
        return;
    }
    sm_buf_t t;
    sm_buf_init(&t);
    msgpack_pack_array(&t.pk, n);
    for (uint32_t i = 0; i < n; i++) {
        const msgpack_object *a = &al->via.array.ptr[i];
        char years[24];
        int64_t from = cli_int(a, "year"), to = cli_int(a, "to_year");
        if (to != from)
            snprintf(years, sizeof years, "%lld-%lld", (long long)from, (long long)to);
        else
            snprintf(years, sizeof years, "%lld", (long long)from);
        msgpack_pack_map(&t.pk, 8);
        s_copy(&t.pk, a, "id");
        s_copy(&t.pk, a, "name");
        sm_pack_kv_str(&t.pk, "years", years);
        s_copy(&t.pk, a, "cost_cents");
        s_copy(&t.pk, a, "computed_cents");
        s_copy(&t.pk, a, "invoiced_cents");
        s_copy(&t.pk, a, "difference_cents");
        s_copy(&t.pk, a, "paid_cents");
    }
    sm_doc_t *doc = cli_rows_doc(&t);
    if (doc)
        cli_table(cli, s_funding_cols, 8, sm_doc_root(doc));
    sm_doc_destroy(&doc);
    printf("\n");
    s_print_balance(cli, cli_int(f, "cost_cents"), cli_int(f, "invoiced_cents"));
}

/* ==== Several years ======================================================= */

static const cli_col_t s_years_cols[] = {{N_("YEAR"), "year", 't'},
                                         {N_("BUDGET"), "budget", 't'},
                                         {N_("CONTRIBUTIONS"), "contributions", 't'},
                                         {N_("CARRIED IN"), "carried_in", 't'},
                                         {N_("SPENT"), "spent", 't'},
                                         {N_("COMMITTED"), "committed", 't'},
                                         {N_("CARRIED OVER"), "carried_over", 't'},
                                         {N_("BUDGET BALANCE"), "budget_balance", 't'}};

/*  Money rounded to unit as documents print it: without the cents when
    the unit is whole euros ("EUR 46,000"). buf at least 48 bytes. */
static const char *s_rounded(cli_t *cli, int64_t cents, int64_t unit, char *buf)
{
    sm_money_format(cents, cli->nl, buf);
    size_t n = strlen(buf);
    if (unit % 100 == 0 && n > 3 && buf[n - 3] == (cli->nl ? ',' : '.') &&
        strcmp(buf + n - 2, "00") == 0)
        buf[n - 3] = '\0';
    return buf;
}

void cli_print_budget_years(cli_t *cli, const msgpack_object *data)
{
    static const char *const keys[][2] = {{"budget", "budget_cents"},
                                          {"contributions", "contributions_cents"},
                                          {"carried_in", "carried_in_cents"},
                                          {"spent", "spent_cents"},
                                          {"committed", "committed_cents"},
                                          {"carried_over", "carried_over_cents"},
                                          {"budget_balance", "budget_balance_cents"}};
    int64_t unit = cli_int(data, "round_cents");
    const msgpack_object *years = sm_map_get(data, "years");
    uint32_t n = years && years->type == MSGPACK_OBJECT_ARRAY ? years->via.array.size : 0;
    char a[48], b[48], u[48];
    cli_text(sm_map_get(data, "from_year"), a, sizeof a);
    cli_text(sm_map_get(data, "to_year"), b, sizeof b);
    if (s_text(cli) && unit <= 1)
        printf(_("budget %1$s-%2$s, exact amounts\n\n"), a, b);
    else if (s_text(cli))
        /*  TRANSLATORS: "afgerond" is the region's own word for rounded
            figures; keep it in brackets in English. */
        printf(_("budget %1$s-%2$s, amounts rounded to %3$s (afgerond)\n\n"), a, b,
               s_rounded(cli, unit, unit, u));
    sm_buf_t t;
    sm_buf_init(&t);
    msgpack_pack_array(&t.pk, n + 1);
    for (uint32_t i = 0; i <= n; i++) {
        const msgpack_object *r = i < n ? &years->via.array.ptr[i] : sm_map_get(data, "total");
        const msgpack_object *rounded = sm_map_get(r, "rounded");
        char y[16] = "TOTAL";
        if (i < n)
            cli_text(sm_map_get(r, "year"), y, sizeof y);
        msgpack_pack_map(&t.pk, 8);
        sm_pack_kv_str(&t.pk, "year", y);
        for (int k = 0; k < 7; k++)
            sm_pack_kv_str(&t.pk, keys[k][0],
                           s_rounded(cli, cli_int(rounded, keys[k][1]), unit, a));
    }
    sm_doc_t *doc = cli_rows_doc(&t);
    if (doc)
        cli_table(cli, s_years_cols, 8, sm_doc_root(doc));
    sm_doc_destroy(&doc);
    if (!s_text(cli))
        return;
    printf("\n%s\n", _("Carried over is carried in plus contributions less spent; the budget "
                       "balance is carried in plus contributions less the budget. Each amount is "
                       "rounded on its own, so a column need not add up to its rounded total."));
    int64_t loose = cli_int(data, "allocations_without_year");
    if (loose > 0)
        printf(Q_("%lld allocation names no year and is in none of these figures.\n",
                  "%lld allocations name no year and are in none of these figures.\n",
                  (unsigned long)loose),
               (long long)loose);
}
