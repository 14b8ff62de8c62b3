/*  cli/budget.c - samenctl budget: a year's budget computed from its lines
    (finance). Verbs and flags come from finance's declarations; here is
    what a person reads back. */
#include "cli.h"
#include "cli/finance_print.h"
#include "nouns.h"
#include <string.h>

/*  One line in words, and its inconsistency if any. */
static void s_print_line(cli_t *cli, const msgpack_object *l)
{
    char id[24], name[160], f[240], b[48], s[48], c[48], sp[48], r[48], msg[600];
    printf("%s %s: %s = %s\n", cli_text(sm_map_get(l, "id"), id, sizeof id),
           cli_text(sm_map_get(l, "name"), name, sizeof name),
           cli_text(sm_map_get(l, "formula"), f, sizeof f),
           cli_money(cli, sm_map_get(l, "budget_cents"), b, sizeof b));
    const msgpack_object *st = sm_map_get(l, "stated_cents");
    if (st && st->type != MSGPACK_OBJECT_NIL)
        printf("  stated: %s\n", cli_money(cli, st, s, sizeof s));
    printf("  committed %s, spent %s, remaining %s\n",
           cli_money(cli, sm_map_get(l, "committed_cents"), c, sizeof c),
           cli_money(cli, sm_map_get(l, "spent_cents"), sp, sizeof sp),
           cli_money(cli, sm_map_get(l, "remaining_cents"), r, sizeof r));
    const msgpack_object *inc = sm_map_get(l, "inconsistency");
    if (inc && inc->type == MSGPACK_OBJECT_STR)
        printf("  INCONSISTENT: %s\n", cli_text(inc, msg, sizeof msg));
}

static const cli_col_t s_show_cols[] = {{N_("LINE"), "id", 't'},
                                        {N_("NAME"), "name", 't'},
                                        {N_("FORMULA"), "formula", 't'},
                                        {N_("BUDGET"), "budget_cents", 'm'},
                                        {N_("COMMITTED"), "committed_cents", 'm'},
                                        {N_("SPENT"), "spent_cents", 'm'},
                                        {N_("REMAINING"), "remaining_cents", 'm'},
                                        {/* xgettext:no-c-format */ N_("USED %"), "used", 't'}};

/*  Rows for the show table: each line with "used" as a percentage text
    and "!" marking an inconsistent line. Returns a document to destroy. */
static sm_doc_t *s_show_rows(const msgpack_object *lines, const msgpack_object *totals)
{
    sm_buf_t b;
    sm_buf_init(&b);
    uint32_t n = lines && lines->type == MSGPACK_OBJECT_ARRAY ? lines->via.array.size : 0;
    msgpack_pack_array(&b.pk, n + 1);
    for (uint32_t i = 0; i <= n; i++) {
        const msgpack_object *l = i < n ? &lines->via.array.ptr[i] : totals;
        static const char *const keys[] = {"budget_cents", "committed_cents", "spent_cents",
                                           "remaining_cents", NULL};
        char used[24] = "", id[32] = "TOTAL", name[160] = "", f[240] = "";
        const msgpack_object *bp = sm_map_get(l, "used_bp");
        if (bp && bp->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
            snprintf(used, sizeof used, "%llu.%02llu", (unsigned long long)(bp->via.u64 / 100),
                     (unsigned long long)(bp->via.u64 % 100));
        if (i < n) {
            const msgpack_object *c = sm_map_get(l, "consistent");
            cli_text(sm_map_get(l, "id"), id, sizeof id);
            if (c && c->type == MSGPACK_OBJECT_BOOLEAN && !c->via.boolean)
                strncat(id, " !", sizeof id - strlen(id) - 1);
            cli_text(sm_map_get(l, "name"), name, sizeof name);
            cli_text(sm_map_get(l, "formula"), f, sizeof f);
        }
        msgpack_pack_map(&b.pk, 8);
        sm_pack_kv_str(&b.pk, "id", id);
        sm_pack_kv_str(&b.pk, "name", name);
        sm_pack_kv_str(&b.pk, "formula", f);
        for (int k = 0; keys[k]; k++) {
            sm_pack_str(&b.pk, keys[k]);
            const msgpack_object *v = sm_map_get(l, keys[k]);
            if (v)
                sm_pack_obj(&b.pk, v);
            else
                msgpack_pack_nil(&b.pk);
        }
        sm_pack_kv_str(&b.pk, "used", used);
    }
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    sm_buf_free(&b);
    return doc;
}

static void s_print_show(cli_t *cli, const msgpack_object *data)
{
    bool text = !cli->format || strcmp(cli->format, "text") == 0;
    const msgpack_object *lines = sm_map_get(data, "lines");
    char y[16];
    if (text)
        printf("budget %s\n\n", cli_text(sm_map_get(data, "year"), y, sizeof y));
    sm_doc_t *doc = s_show_rows(lines, sm_map_get(data, "totals"));
    if (doc)
        cli_table(cli, s_show_cols, 8, sm_doc_root(doc));
    sm_doc_destroy(&doc);
    if (!text)
        return;
    bool first = true;
    for (uint32_t i = 0; lines && lines->type == MSGPACK_OBJECT_ARRAY && i < lines->via.array.size;
         i++) {
        const msgpack_object *inc = sm_map_get(&lines->via.array.ptr[i], "inconsistency");
        char id[24], msg[600];
        if (!inc || inc->type != MSGPACK_OBJECT_STR)
            continue;
        if (first)
            printf("\n! inconsistent stated amounts:\n");
        first = false;
        printf("  %s: %s\n", cli_text(sm_map_get(&lines->via.array.ptr[i], "id"), id, sizeof id),
               cli_text(inc, msg, sizeof msg));
    }
    cli_print_budget_hours(cli, data);
    cli_print_budget_funding(cli, data);
}

static const cli_col_t s_check_cols[] = {{N_("LINE"), "id", 't'},
                                         {N_("NAME"), "name", 't'},
                                         {N_("COMPUTED"), "computed_cents", 'm'},
                                         {N_("STATED"), "stated_cents", 'm'},
                                         {N_("DIFFERENCE"), "difference_cents", 'm'},
                                         {N_("WHAT"), "message", 't'}};

static void s_print_check(cli_t *cli, const msgpack_object *data)
{
    bool text = !cli->format || strcmp(cli->format, "text") == 0;
    char y[16], n[16], t[48], msg[400];
    const msgpack_object *incs = sm_map_get(data, "inconsistencies");
    const msgpack_object *total = sm_map_get(data, "total_inconsistency");
    uint32_t k = incs && incs->type == MSGPACK_OBJECT_ARRAY ? incs->via.array.size : 0;
    if (!text) {
        cli_table(cli, s_check_cols, 6, incs);
        return;
    }
    printf("budget %s: %s lines, computed total %s\n",
           cli_text(sm_map_get(data, "year"), y, sizeof y),
           cli_text(sm_map_get(data, "lines"), n, sizeof n),
           cli_money(cli, sm_map_get(data, "total_cents"), t, sizeof t));
    if (k == 0 && (!total || total->type != MSGPACK_OBJECT_STR)) {
        printf("every stated amount matches its computation\n");
        return;
    }
    for (uint32_t i = 0; i < k; i++) {
        char id[24];
        printf("! %s: %s\n", cli_text(sm_map_get(&incs->via.array.ptr[i], "id"), id, sizeof id),
               cli_text(sm_map_get(&incs->via.array.ptr[i], "message"), msg, sizeof msg));
    }
    if (total && total->type == MSGPACK_OBJECT_STR)
        printf("! total: %s\n", cli_text(total, msg, sizeof msg));
}

static const cli_verb_t s_verbs[] = {
    {.verb = "add-line",
     .print = s_print_line,
     .example = "samenctl budget add-line 2019 --name coordination --kind hours_per_week --hours "
                "10 --rate 80 --weeks 46"},
    {.verb = "update-line",
     .print = s_print_line,
     .example = "samenctl budget update-line L4 --kind total_hours --hours 120 --rate 50 --stated "
                "6000"},
    {.verb = "line", .print = s_print_line, .example = "samenctl budget line L2"},
    {.verb = "show", .print = s_print_show, .example = "samenctl budget show 2019 --format md"},
    {.verb = "check",
     .print = s_print_check,
     .example = "samenctl budget check 2019 --stated-total 82000"},
    {.verb = "years",
     .print = cli_print_budget_years,
     .example = "samenctl budget years 2019 2022"},
    {0}};

const cli_noun_t cli_noun_budget = {"budget", N_("a year's budget computed from its lines"), s_verbs};
