/*  cli/stats.c - samenctl stats reach: reach and representation, measured. */
#include "cli.h"
#include "nouns.h"
#include <inttypes.h>
#include <string.h>

/*  A share in basis points as "12.34%"; "-" when absent. */
static const char *s_pct(const msgpack_object *bp, char *buf, size_t size)
{
    if (!bp || bp->type != MSGPACK_OBJECT_POSITIVE_INTEGER) {
        snprintf(buf, size, "-");
        return buf;
    }
    snprintf(buf, size, "%" PRIu64 ".%02" PRIu64 "%%", bp->via.u64 / 100, bp->via.u64 % 100);
    return buf;
}

/*  Copy rows (an array of maps) with each *_bp field also given as "KEY%"
    text, so that cli_table can show it. Returns the new document's root
    via *out; the caller destroys the returned document. */
static sm_doc_t *s_with_pct(const msgpack_object *rows, const msgpack_object **out)
{
    sm_buf_t b;
    sm_buf_init(&b);
    uint32_t n = rows && rows->type == MSGPACK_OBJECT_ARRAY ? rows->via.array.size : 0;
    msgpack_pack_array(&b.pk, n);
    for (uint32_t i = 0; i < n; i++) {
        const msgpack_object *r = &rows->via.array.ptr[i];
        uint32_t m = r->type == MSGPACK_OBJECT_MAP ? r->via.map.size : 0, extra = 0;
        for (uint32_t j = 0; j < m; j++) {
            const msgpack_object *k = &r->via.map.ptr[j].key;
            extra += k->type == MSGPACK_OBJECT_STR && k->via.str.size > 3 &&
                     memcmp(k->via.str.ptr + k->via.str.size - 3, "_bp", 3) == 0;
            extra += k->type == MSGPACK_OBJECT_STR && k->via.str.size == 2 &&
                     memcmp(k->via.str.ptr, "bp", 2) == 0;
        }
        msgpack_pack_map(&b.pk, m + extra);
        for (uint32_t j = 0; j < m; j++) {
            const msgpack_object *k = &r->via.map.ptr[j].key, *v = &r->via.map.ptr[j].val;
            sm_pack_obj(&b.pk, k);
            sm_pack_obj(&b.pk, v);
            bool bp = k->type == MSGPACK_OBJECT_STR &&
                      ((k->via.str.size > 3 &&
                        memcmp(k->via.str.ptr + k->via.str.size - 3, "_bp", 3) == 0) ||
                       (k->via.str.size == 2 && memcmp(k->via.str.ptr, "bp", 2) == 0));
            if (bp) {
                char key[64], pct[32];
                snprintf(key, sizeof key, "%.*s%%", (int)k->via.str.size, k->via.str.ptr);
                sm_pack_kv_str(&b.pk, key, s_pct(v, pct, sizeof pct));
            }
        }
    }
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    sm_buf_free(&b);
    *out = doc ? sm_doc_root(doc) : NULL;
    return doc;
}

/*  One section: a title, then the table. Markdown gets a heading and blank
    lines; CSV a blank line between tables (each with its own header). */
static void s_table(cli_t *cli, const char *title, const cli_col_t *cols, int ncols,
                    const msgpack_object *rows)
{
    const msgpack_object *shown = NULL;
    sm_doc_t *doc = s_with_pct(rows, &shown);
    const char *fmt = cli->format ? cli->format : "text";
    if (strcmp(fmt, "md") == 0)
        printf("\n### %s\n\n", title);
    else if (strcmp(fmt, "csv") == 0)
        printf("\n");
    else
        printf("\n%s\n", title);
    if (shown)
        cli_table(cli, cols, ncols, shown);
    sm_doc_destroy(&doc);
}

static void s_print_reach(cli_t *cli, const msgpack_object *d)
{
    char a[32], b[32], c[32], p[32];
    const msgpack_object *conc = sm_map_get(d, "concentration"), *youth = sm_map_get(d, "youth"),
                         *out = sm_map_get(d, "outside"), *fb = sm_map_get(d, "feedback");
    bool text = !cli->format || strcmp(cli->format, "text") == 0;
    if (cli->format && strcmp(cli->format, "md") == 0) {
        printf("## Reach in %s\n\n", cli_text(sm_map_get(d, "year"), a, sizeof a));
        printf("- %s sessions held, %s attendances, %s unique participants\n",
               cli_text(sm_map_get(d, "sessions_held"), a, sizeof a),
               cli_text(sm_map_get(d, "attendances"), b, sizeof b),
               cli_text(sm_map_get(d, "participants"), c, sizeof c));
        printf("- first-timers: %s (%s); returning: %s\n",
               cli_text(sm_map_get(d, "first_timers"), a, sizeof a),
               s_pct(sm_map_get(d, "first_timers_bp"), b, sizeof b),
               cli_text(sm_map_get(d, "returning"), c, sizeof c));
        printf("- concentration: %s of all attendances by the most frequent 10%% of "
               "participants\n",
               s_pct(sm_map_get(conc, "bp"), a, sizeof a));
        printf("- youth (under 27): %s (%s); outside the municipalities: %s (%s)\n",
               cli_text(sm_map_get(youth, "participants"), a, sizeof a),
               s_pct(sm_map_get(youth, "bp"), b, sizeof b),
               cli_text(sm_map_get(out, "participants"), c, sizeof c),
               s_pct(sm_map_get(out, "bp"), p, sizeof p));
        printf("- reports published for %s of the sessions held; sent within %s days: %s\n",
               s_pct(sm_map_get(fb, "published_bp"), a, sizeof a),
               cli_text(sm_map_get(fb, "days"), b, sizeof b),
               s_pct(sm_map_get(fb, "sent_in_time_bp"), c, sizeof c));
    }
    if (text) {
        printf("Reach in %s: %s sessions held, %s attendances, %s unique participants\n",
               cli_text(sm_map_get(d, "year"), a, sizeof a),
               cli_text(sm_map_get(d, "sessions_held"), b, sizeof b),
               cli_text(sm_map_get(d, "attendances"), c, sizeof c),
               cli_text(sm_map_get(d, "participants"), p, sizeof p));
        printf("  first-timers    %s (%s), returning %s\n",
               cli_text(sm_map_get(d, "first_timers"), a, sizeof a),
               s_pct(sm_map_get(d, "first_timers_bp"), b, sizeof b),
               cli_text(sm_map_get(d, "returning"), c, sizeof c));
        printf("  concentration   %s of all attendances by the most frequent 10%% of "
               "participants (the top %s, with %s attendances)\n",
               s_pct(sm_map_get(conc, "bp"), a, sizeof a),
               cli_text(sm_map_get(conc, "top_participants"), b, sizeof b),
               cli_text(sm_map_get(conc, "top_attendances"), c, sizeof c));
        printf("  youth (<27)     %s (%s)\n",
               cli_text(sm_map_get(youth, "participants"), a, sizeof a),
               s_pct(sm_map_get(youth, "bp"), b, sizeof b));
        printf("  outside the municipalities %s (%s)\n",
               cli_text(sm_map_get(out, "participants"), a, sizeof a),
               s_pct(sm_map_get(out, "bp"), b, sizeof b));
    }
    static const cli_col_t munis[] = {
        {N_("MUNICIPALITY"), "name", 't'},           {N_("CODE"), "code", 't'},
        {N_("PARTICIPANTS"), "participants", 't'},   {N_("SHARE"), "participants_bp%", 't'},
        {N_("INHABITANTS"), "inhabitants_bp%", 't'}, {/* xgettext:no-c-format */ N_("RATIO %"), "ratio_pct", 't'}};
    s_table(cli,
            "Per municipality (share of participants against share of inhabitants; "
            "ratio 100 = in proportion)",
            munis, 6, sm_map_get(d, "municipalities"));
    static const cli_col_t groups[] = {{N_("TARGET GROUP"), "group", 't'},
                                       {N_("PARTICIPANTS"), "participants", 't'},
                                       {N_("SHARE"), "bp%", 't'}};
    s_table(cli, "Per target group", groups, 3, sm_map_get(d, "target_groups"));
    static const cli_col_t methods[] = {{N_("METHOD"), "method", 't'},
                                        {N_("NAME"), "name", 't'},
                                        {N_("SESSIONS"), "sessions", 't'},
                                        {N_("ATTENDANCES"), "attendances", 't'}};
    s_table(cli, "Per method", methods, 4, sm_map_get(d, "methods"));
    if (text) {
        char m[32];
        printf("\nFeedback loop (sessions held in the year):\n");
        printf("  with a published report  %s of %s (%s)\n",
               cli_text(sm_map_get(fb, "reports_published"), a, sizeof a),
               cli_text(sm_map_get(fb, "sessions_held"), b, sizeof b),
               s_pct(sm_map_get(fb, "published_bp"), c, sizeof c));
        printf("  sent within %s days   %s (%s)\n", cli_text(sm_map_get(fb, "days"), p, sizeof p),
               cli_text(sm_map_get(fb, "sent_in_time"), a, sizeof a),
               s_pct(sm_map_get(fb, "sent_in_time_bp"), b, sizeof b));
        cli_text(sm_map_get(fb, "median_days_to_send"), m, sizeof m);
        printf("  median days to sending   %s\n", m[0] ? m : "- (none sent)");
    }
}

static const cli_verb_t s_verbs[] = {
    {.verb = "reach",
     .print = s_print_reach,
     .summary = N_("Reach and representation in a year, from events only: unique participants, "
                "first-timers and returning, concentration (share of attendances by the most "
                "frequent 10%), per municipality against its share of inhabitants, per target "
                "group, youth, per method, and the feedback loop (reports published, sent "
                "within --days, median days to sending)."),
     .example = "samenctl stats reach --year 2019"},
    {0}};

const cli_noun_t cli_noun_stats = {"stats", N_("reach and representation, measured"), s_verbs};
