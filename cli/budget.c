/*  cli/budget.c - samenctl budget add-line|update-line|line|show|check:
    a year's budget computed from its lines. */
#include "../common/money.h"
#include "cli.h"
#include "nouns.h"
#include <stdlib.h>
#include <string.h>

/*  "37.5" -> 3750, "10" -> 1000, "4,25" -> 425: hours and weeks in
    hundredths, as the service takes them (no binary fractions anywhere).
    Returns 0, or -1 when text is not such a number. */
static int s_hundredths(const char *text, int64_t *out)
{
    int64_t whole = 0, frac = 0;
    int digits = 0, decimals = -1;
    for (const char *p = text; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (decimals >= 0) {
                if (++decimals > 2)
                    return -1;
                frac = frac * 10 + (*p - '0');
            } else {
                if (++digits > 12)
                    return -1;
                whole = whole * 10 + (*p - '0');
            }
        } else if ((*p == '.' || *p == ',') && decimals < 0 && digits > 0)
            decimals = 0;
        else
            return -1;
    }
    if (digits == 0 || decimals == 0)
        return -1;
    if (decimals == 1)
        frac *= 10;
    *out = whole * 100 + frac;
    return 0;
}

/*  Pack flags into a map like cli_pack_flags, with one more type: h, a
    number with at most two decimals sent in hundredths. specs are
    "flag:key:type". Returns 0 or CLI_USAGE (printed). */
static int s_pack(cli_t *cli, sm_buf_t *out, const char *const specs[][3], const char *const *extra)
{
    size_t n = 0;
    for (int i = 0; extra && extra[i]; i += 2)
        n++;
    for (int i = 0; specs[i][0]; i++)
        n += cli_has(cli, specs[i][0]);
    msgpack_pack_map(&out->pk, n);
    for (int i = 0; extra && extra[i]; i += 2)
        sm_pack_kv_str(&out->pk, extra[i], extra[i + 1]);
    for (int i = 0; specs[i][0]; i++) {
        const char *v = cli_flag(cli, specs[i][0]);
        if (!v)
            continue;
        int64_t num = 0;
        sm_err_t e;
        char type = specs[i][2][0];
        if (type == 'm' && sm_money_parse(v, false, &num, specs[i][0], &e) != 0)
            return cli_usage_error(cli, "--%s: %s", specs[i][0], e.message);
        if (type == 'h' && s_hundredths(v, &num) != 0)
            return cli_usage_error(cli,
                                   "--%s takes a number with at most two decimals, e.g. 37.5, "
                                   "got \"%s\"",
                                   specs[i][0], v);
        if (type == 'i') {
            char *end;
            num = strtoll(v, &end, 10);
            if (!*v || *end)
                return cli_usage_error(cli, "--%s must be a whole number, got \"%s\"", specs[i][0],
                                       v);
        }
        sm_pack_str(&out->pk, specs[i][1]);
        if (type == 's')
            sm_pack_str(&out->pk, v);
        else
            msgpack_pack_int64(&out->pk, num);
    }
    return 0;
}

static int s_send(cli_t *cli, const char *op, const char *const specs[][3],
                  const char *const *extra, bool write,
                  void (*print)(cli_t *, const msgpack_object *))
{
    static const char *const none[][3] = {{NULL, NULL, NULL}};
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = s_pack(cli, &args, specs ? specs : none, extra);
    if (rc == 0)
        rc = cli_run(cli, "finance", op, &args, write, print);
    sm_buf_free(&args);
    return rc;
}

static const char *const s_line_specs[][3] = {{"kind", "kind", "s"},
                                              {"hours", "hours_x100", "h"},
                                              {"weeks", "weeks_x100", "h"},
                                              {"rate", "rate_cents", "m"},
                                              {"amount", "amount_cents", "m"},
                                              {"per-claim", "per_claim_cents", "m"},
                                              {"claims", "claims", "i"},
                                              {"period", "period", "s"},
                                              {"stated", "stated_cents", "m"},
                                              {"name", "name", "s"},
                                              {NULL, NULL, NULL}};

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

static int s_update_line(cli_t *cli)
{
    const char *extra[] = {"line", cli->pos[0], NULL};
    if (!cli_has(cli, "kind"))
        return cli_usage_error(cli, "budget update-line needs --kind and the line's parts");
    return s_send(cli, "budget.line.update", s_line_specs, extra, true, s_print_line);
}

static int s_line(cli_t *cli)
{
    const char *extra[] = {"line", cli->pos[0], NULL};
    return s_send(cli, "budget.line.get", NULL, extra, false, s_print_line);
}

/*  Send {year: N} plus flags (add-line, show, check). */
static int s_year_op(cli_t *cli, const char *op, const char *const specs[][3], bool write,
                     void (*print)(cli_t *, const msgpack_object *))
{
    char *end;
    long year = strtol(cli->pos[0], &end, 10);
    if (*end || year < 2000 || year > 2100)
        return cli_usage_error(cli, "YEAR must be a year like 2019, got \"%s\"", cli->pos[0]);
    sm_buf_t args, flags;
    sm_buf_init(&args);
    sm_buf_init(&flags);
    static const char *const none[][3] = {{NULL, NULL, NULL}};
    int rc = s_pack(cli, &flags, specs ? specs : none, NULL);
    if (rc == 0) {
        sm_doc_t *f = sm_doc_parse(flags.sbuf.data, flags.sbuf.size, NULL);
        const msgpack_object *m = sm_doc_root(f);
        msgpack_pack_map(&args.pk, m->via.map.size + 1);
        sm_pack_kv_int(&args.pk, "year", year);
        for (uint32_t i = 0; i < m->via.map.size; i++) {
            sm_pack_obj(&args.pk, &m->via.map.ptr[i].key);
            sm_pack_obj(&args.pk, &m->via.map.ptr[i].val);
        }
        sm_doc_destroy(&f);
        rc = cli_run(cli, "finance", op, &args, write, print);
    }
    sm_buf_free(&args);
    sm_buf_free(&flags);
    return rc;
}

static int s_add_line(cli_t *cli)
{
    if (!cli_has(cli, "kind") || !cli_has(cli, "name"))
        return cli_usage_error(cli, "budget add-line needs --name and --kind");
    return s_year_op(cli, "budget.line.add", s_line_specs, true, s_print_line);
}

static const cli_col_t s_show_cols[] = {{"LINE", "id", 't'},
                                        {"NAME", "name", 't'},
                                        {"FORMULA", "formula", 't'},
                                        {"BUDGET", "budget_cents", 'm'},
                                        {"COMMITTED", "committed_cents", 'm'},
                                        {"SPENT", "spent_cents", 'm'},
                                        {"REMAINING", "remaining_cents", 'm'},
                                        {"USED %", "used", 't'}};

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
}

static int s_show(cli_t *cli)
{
    return s_year_op(cli, "budget.show", NULL, false, s_print_show);
}

static const cli_col_t s_check_cols[] = {{"LINE", "id", 't'},
                                         {"NAME", "name", 't'},
                                         {"COMPUTED", "computed_cents", 'm'},
                                         {"STATED", "stated_cents", 'm'},
                                         {"DIFFERENCE", "difference_cents", 'm'},
                                         {"WHAT", "message", 't'}};

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

static int s_check(cli_t *cli)
{
    static const char *const specs[][3] = {{"stated-total", "stated_total_cents", "m"},
                                           {NULL, NULL, NULL}};
    return s_year_op(cli, "budget.check", specs, false, s_print_check);
}

static const cli_opt_t s_line_opts[] = {{"name", true, false},
                                        {"kind", true, false},
                                        {"hours", true, false},
                                        {"weeks", true, false},
                                        {"rate", true, false},
                                        {"amount", true, false},
                                        {"per-claim", true, false},
                                        {"claims", true, false},
                                        {"period", true, false},
                                        {"stated", true, false},
                                        {NULL, 0, 0}};
static const cli_opt_t s_check_opts[] = {{"stated-total", true, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "add-line",
     .fn = s_add_line,
     .opts = s_line_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "budget add-line YEAR --name NAME --kind KIND [--hours H --weeks W --rate AMOUNT] "
         "[--amount AMOUNT] [--per-claim AMOUNT --claims N] [--period PERIOD] [--stated AMOUNT]",
     .summary = "Add a line to a year's budget, computed from its parts. KIND: hours_per_week (hours x "
         "rate x weeks), total_hours (hours x rate), fixed (amount), reimbursement (per claim x "
         "claims, or amount), pilot (hours x rate x weeks within --period). --stated is the amount "
         "a document gives: a difference is reported, not corrected.",
     .example = "samenctl budget add-line 2019 --name coordination --kind hours_per_week --hours 10 "
         "--rate 80 --weeks 46"},
    {.verb = "update-line",
     .fn = s_update_line,
     .opts = s_line_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "budget update-line LINE --kind KIND [parts as add-line] [--name NAME]",
     .summary = "Replace a line's parts (and stated amount); give the kind and every part again.",
     .example = "samenctl budget update-line L4 --kind total_hours --hours 120 --rate 50 --stated 6000"},
    {.verb = "line",
     .fn = s_line,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "budget line LINE",
     .summary = "One line: its formula, budget, stated amount, committed, spent and remaining.",
     .example = "samenctl budget line L2"},
    {.verb = "show",
     .fn = s_show,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "budget show YEAR",
     .summary = "A year's budget per line: budget, committed, spent, remaining, share used; lines whose "
         "stated amount differs from their computation are marked with !.",
     .example = "samenctl budget show 2019 --format md"},
    {.verb = "check",
     .fn = s_check,
     .opts = s_check_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "budget check YEAR [--stated-total AMOUNT]",
     .summary = "Check every stated amount of a year against its computation (and a stated total against "
         "the sum of the lines).",
     .example = "samenctl budget check 2019 --stated-total 82000"},
    {0}};

const cli_noun_t cli_noun_budget = {"budget", "a year's budget computed from its lines", s_verbs};
