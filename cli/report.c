/*  cli/report.c - samenctl report: session reports (draft, revise, approve, publish,
    sent, show, check, list, due) and the documents made from them (annual, youth,
    passage), with the youth report's findings and status.

    Documents are written to stdout as they are (Markdown by default,
    --format csv|html where offered) so that they can be redirected to a
    file or piped on. A report's text comes from --file or stdin. */
#include "cli.h"
#include "nouns.h"
#include <stdlib.h>
#include <string.h>

/*  Largest report text read from a file or stdin (the service accepts 256 KiB;
    a bit more is read so that the service's refusal names the size). */
#define S_TEXT_MAX (1024 * 1024)

/* ==== Helpers ============================================================= */

/*  Read the report text from --file, or stdin. Returns a malloc'd string,
    or NULL after printing why (the caller returns CLI_USAGE). */
static char *s_read_text(cli_t *cli)
{
    const char *path = cli_flag(cli, "file");
    FILE *f = path && strcmp(path, "-") != 0 ? fopen(path, "rb") : stdin;
    if (!f) {
        cli_usage_error(cli, "cannot open --file %s", path);
        return NULL;
    }
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        if (n == cap) {
            if (cap > S_TEXT_MAX) {
                free(buf);
                buf = NULL;
                cli_usage_error(cli, "the report text is larger than %d bytes", S_TEXT_MAX);
                break;
            }
            char *p = realloc(buf, cap * 2 + 1);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0)
            break;
        n += got;
    }
    if (buf)
        buf[n] = '\0';
    if (f != stdin)
        fclose(f);
    return buf;
}

/*  Print a document's "text" field as it is, ending in one newline. */
static void s_print_text(cli_t *cli, const msgpack_object *data)
{
    cli_print_document(sm_map_get(data, "text"));
}

/*  The --format given, checked against the formats a document offers
    ("md" when none). Returns NULL after a usage error. */
static const char *s_doc_format(cli_t *cli, const char *const *offered)
{
    if (!cli->format || strcmp(cli->format, "text") == 0)
        return "md";
    for (int i = 0; offered[i]; i++)
        if (strcmp(cli->format, offered[i]) == 0)
            return offered[i];
    cli_usage_error(cli, "this document comes as %s%s%s, not %s", offered[0],
                    offered[1] ? " or " : "", offered[1] ? offered[1] : "", cli->format);
    return NULL;
}

static void s_print_report(cli_t *cli, const msgpack_object *data)
{
    char id[32], st[32], ver[16], vers[16], ses[32], th[32];
    printf("%s version %s of %s: %s (session %s, theme %s)\n",
           cli_text(sm_map_get(data, "id"), id, sizeof id),
           cli_text(sm_map_get(data, "version"), ver, sizeof ver),
           cli_text(sm_map_get(data, "versions"), vers, sizeof vers),
           cli_text(sm_map_get(data, "state"), st, sizeof st),
           cli_text(sm_map_get(data, "session"), ses, sizeof ses),
           cli_text(sm_map_get(data, "theme"), th, sizeof th));
    static const char *dates[] = {"approved_on", "published_on", "sent_on", "note", NULL};
    for (int i = 0; dates[i]; i++) {
        char v[600];
        cli_text(sm_map_get(data, dates[i]), v, sizeof v);
        if (v[0])
            printf("  %-13s %s\n", dates[i], v);
    }
}

/*  show: fields, then the Markdown; --format md or html prints only that. */
static void s_print_show(cli_t *cli, const msgpack_object *data)
{
    const char *key = cli->format && strcmp(cli->format, "html") == 0 ? "html" : "text";
    if (!cli->format || strcmp(cli->format, "text") == 0) {
        s_print_report(cli, data);
        char allowed[600];
        cli_text(sm_map_get(data, "allowed"), allowed, sizeof allowed);
        if (allowed[0])
            printf("  %-13s %s\n", "allowed", allowed);
        putchar('\n');
    }
    cli_print_document(sm_map_get(data, key));
}

static const cli_col_t s_match_cols[] = {{"LINE", "line", 't'},
                                         {"KIND", "kind", 't'},
                                         {"PARTICIPANT", "participant", 't'},
                                         {"TEXT", "text", 't'},
                                         {"ALLOWED", "allowed", 't'}};

static void s_print_check(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *m = sm_map_get(data, "matches");
    char n[16], r[32];
    if (!m || m->type != MSGPACK_OBJECT_ARRAY || m->via.array.size == 0) {
        printf("%s: no personal data found\n", cli_text(sm_map_get(data, "report"), r, sizeof r));
        return;
    }
    cli_table(cli, s_match_cols, 5, m);
    if (!cli->format || strcmp(cli->format, "text") == 0)
        printf("%s not allowed (publish with --allow TEXT for each that is not personal data)\n",
               cli_text(sm_map_get(data, "not_allowed"), n, sizeof n));
}

/*  Pack {report, version (when > 0), date (when not NULL), allow (the
    repeated --allow values, when any)} into out. Can't fail. */
static void s_pack_report_allow(cli_t *cli, sm_buf_t *out, long version, const char *date)
{
    const char *allow[64];
    int n = cli_flag_all(cli, "allow", allow, 64);
    msgpack_pack_map(&out->pk, 1 + (n ? 1 : 0) + (version > 0 ? 1 : 0) + (date ? 1 : 0));
    sm_pack_kv_str(&out->pk, "report", cli->pos[0]);
    if (version > 0)
        sm_pack_kv_int(&out->pk, "version", version);
    if (date)
        sm_pack_kv_str(&out->pk, "date", date);
    if (n) {
        sm_pack_str(&out->pk, "allow");
        msgpack_pack_array(&out->pk, (size_t)n);
        for (int i = 0; i < n; i++)
            sm_pack_str(&out->pk, allow[i]);
    }
}

/*  Run a request whose args are the given flags plus the positional
    arguments named in extra. */
static int s_flags_run(cli_t *cli, const char *op, const char *const *specs,
                       const char *const *extra, bool write,
                       void (*print)(cli_t *cli, const msgpack_object *data))
{
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, extra);
    if (rc == 0)
        rc = cli_run(cli, "reporting", op, &args, write, print);
    sm_buf_free(&args);
    return rc;
}

/* ==== Report life ========================================================= */

static int s_draft_or_revise(cli_t *cli, bool draft)
{
    char *text = s_read_text(cli);
    if (!text)
        return CLI_USAGE;
    const char *note = cli_flag(cli, "note");
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, note ? 3 : 2);
    sm_pack_kv_str(&args.pk, draft ? "session" : "report", cli->pos[0]);
    sm_pack_kv_str(&args.pk, "text", text);
    if (note)
        sm_pack_kv_str(&args.pk, "note", note);
    free(text);
    int rc = cli_run(cli, "reporting", draft ? "report.draft" : "report.revise", &args, true,
                     s_print_report);
    sm_buf_free(&args);
    return rc;
}

static int s_draft(cli_t *cli)
{
    return s_draft_or_revise(cli, true);
}

static int s_revise(cli_t *cli)
{
    return s_draft_or_revise(cli, false);
}

static int s_approve(cli_t *cli)
{
    static const char *specs[] = {"date", NULL};
    const char *extra[] = {"report", cli->pos[0], NULL};
    return s_flags_run(cli, "report.approve", specs, extra, true, s_print_report);
}

static int s_publish(cli_t *cli)
{
    char rid[32];
    if (cli_rid(cli, rid) != 0)
        return CLI_USAGE;
    sm_buf_t args;
    sm_buf_init(&args);
    s_pack_report_allow(cli, &args, 0, cli_flag(cli, "date"));
    sm_err_t e;
    sm_err_clear(&e);
    //  Not cli_request: on a refusal the field decides whether to show the
    //  matches, so the error is needed here.
    sm_doc_t *reply = sm_client_call(cli->client, "reporting", "report.publish", args.sbuf.data,
                                     args.sbuf.size, rid, cli->timeout_ms, 2, &e);
    const msgpack_object *data = NULL;
    int rc = CLI_OK;
    if (!reply) {
        fprintf(stderr, "samenctl: %s\n", e.message);
        rc = CLI_UNREACHABLE;
    } else if (sm_reply_check(reply, &data, &e) != 0) {
        if (cli->json)
            cli_print_json(sm_doc_root(reply));
        fprintf(stderr, "samenctl: %s%s%s%s [%s]\n", e.message, e.field[0] ? " (field: " : "",
                e.field, e.field[0] ? ")" : "", e.code);
        rc = strcmp(e.code, SM_E_UNAVAILABLE) == 0 ? CLI_UNREACHABLE : CLI_REFUSED;
        //  The refusal names the matches' kinds and lines only; show their
        //  text to the person publishing, who has to find and judge them.
        if (rc == CLI_REFUSED && strcmp(e.field, "allow") == 0 && !cli->json) {
            sm_buf_t cargs; //  report.check takes no date
            sm_buf_init(&cargs);
            s_pack_report_allow(cli, &cargs, 0, NULL);
            sm_doc_t *check =
                sm_client_call(cli->client, "reporting", "report.check", cargs.sbuf.data,
                               cargs.sbuf.size, NULL, cli->timeout_ms, 1, &e);
            const msgpack_object *cdata = NULL;
            if (check && sm_reply_check(check, &cdata, &e) == 0)
                s_print_check(cli, cdata);
            sm_doc_destroy(&check);
            sm_buf_free(&cargs);
        }
    } else if (cli->json)
        cli_print_json(data);
    else
        s_print_report(cli, data);
    sm_doc_destroy(&reply);
    sm_buf_free(&args);
    return rc;
}

static int s_sent(cli_t *cli)
{
    static const char *specs[] = {"date", NULL};
    const char *extra[] = {"report", cli->pos[0], NULL};
    return s_flags_run(cli, "report.sent", specs, extra, true, s_print_report);
}

static int s_show(cli_t *cli)
{
    static const char *specs[] = {"version::i", NULL};
    const char *extra[] = {"report", cli->pos[0], NULL};
    if (cli->format && strcmp(cli->format, "md") && strcmp(cli->format, "html") &&
        strcmp(cli->format, "text"))
        return cli_usage_error(cli, "report show prints text, md or html, not %s", cli->format);
    return s_flags_run(cli, "report.get", specs, extra, false, s_print_show);
}

static int s_check(cli_t *cli)
{
    long version = 0;
    const char *v = cli_flag(cli, "version");
    if (v) {
        char *end;
        version = strtol(v, &end, 10);
        if (!*v || *end || version < 1)
            return cli_usage_error(cli, "--version must be a whole number from 1");
    }
    sm_buf_t args;
    sm_buf_init(&args);
    s_pack_report_allow(cli, &args, version, NULL);
    int rc = cli_run(cli, "reporting", "report.check", &args, false, s_print_check);
    sm_buf_free(&args);
    return rc;
}

static const cli_col_t s_list_cols[] = {
    {"REPORT", "id", 't'},         {"SESSION", "session", 't'},
    {"THEME", "theme", 't'},       {"VERSION", "version", 't'},
    {"STATE", "state", 't'},       {"PUBLISHED", "first_published_on", 't'},
    {"SENT", "first_sent_on", 't'}};

static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_list_cols, 7, sm_map_get(data, "reports"));
    char next[32];
    cli_text(sm_map_get(data, "next"), next, sizeof next);
    if (next[0] && (!cli->format || strcmp(cli->format, "text") == 0))
        printf("more: samenctl report list --after %s\n", next);
}

static int s_list(cli_t *cli)
{
    static const char *specs[] = {"session", "theme", "state", "limit::i", "after", NULL};
    return s_flags_run(cli, "report.list", specs, NULL, false, s_print_list);
}

static const cli_col_t s_unpub_cols[] = {{"SESSION", "session", 't'},
                                         {"THEME", "theme", 't'},
                                         {"HELD", "held_on", 't'},
                                         {"DAYS SINCE", "days_since", 't'},
                                         {"REPORT", "report", 't'}};
static const cli_col_t s_late_cols[] = {
    {"SESSION", "session", 't'},     {"THEME", "theme", 't'},  {"HELD", "held_on", 't'},
    {"DAYS LATE", "days_late", 't'}, {"SENT", "sent_on", 't'}, {"REPORT", "report", 't'}};

static void s_print_due(cli_t *cli, const msgpack_object *data)
{
    bool text = !cli->format || strcmp(cli->format, "text") == 0;
    char days[16], today[16];
    const msgpack_object *u = sm_map_get(data, "unpublished"), *l = sm_map_get(data, "late");
    if (text)
        printf("Held sessions without a published report (today %s):\n",
               cli_text(sm_map_get(data, "today"), today, sizeof today));
    if (u && u->type == MSGPACK_OBJECT_ARRAY && u->via.array.size)
        cli_table(cli, s_unpub_cols, 5, u);
    else if (text)
        printf("  none\n");
    if (text)
        printf("\nReports not sent to the participants within %s days of the session:\n",
               cli_text(sm_map_get(data, "days"), days, sizeof days));
    if (l && l->type == MSGPACK_OBJECT_ARRAY && l->via.array.size)
        cli_table(cli, s_late_cols, 6, l);
    else if (text)
        printf("  none\n");
}

static int s_due(cli_t *cli)
{
    static const char *specs[] = {"days::i", NULL};
    return s_flags_run(cli, "report.due", specs, NULL, false, s_print_due);
}

/* ==== Documents =========================================================== */

static int s_annual(cli_t *cli)
{
    static const char *const offered[] = {"md", "csv", "html", NULL};
    static const char *specs[] = {"year::i", NULL};
    const char *format = s_doc_format(cli, offered);
    if (!format)
        return CLI_USAGE;
    if (!cli_has(cli, "year"))
        return cli_usage_error(cli, "report annual needs --year");
    const char *extra[] = {"format", format, NULL};
    return s_flags_run(cli, "report.annual", specs, extra, false, s_print_text);
}

static void s_print_youth(cli_t *cli, const msgpack_object *data)
{
    s_print_text(cli, data);
}

static int s_youth(cli_t *cli)
{
    static const char *const offered[] = {"md", "html", NULL};
    static const char *specs[] = {"year::i", NULL};
    const char *format = s_doc_format(cli, offered);
    if (!format)
        return CLI_USAGE;
    if (!cli_has(cli, "year"))
        return cli_usage_error(cli, "report youth needs --year");
    const char *extra[] = {"format", format, NULL};
    return s_flags_run(cli, "report.youth", specs, extra, false, s_print_youth);
}

static void s_print_youth_state(cli_t *cli, const msgpack_object *data)
{
    char y[16], st[16], due[16], late[16];
    printf("youth report %s: %s, due %s", cli_text(sm_map_get(data, "year"), y, sizeof y),
           cli_text(sm_map_get(data, "status"), st, sizeof st),
           cli_text(sm_map_get(data, "due_on"), due, sizeof due));
    cli_text(sm_map_get(data, "days_late"), late, sizeof late);
    if (strcmp(late, "0") != 0)
        printf(" (%s days late)", late);
    putchar('\n');
    const msgpack_object *f = sm_map_get(data, "findings");
    for (uint32_t i = 0; f && f->type == MSGPACK_OBJECT_ARRAY && i < f->via.array.size; i++) {
        char n[8], th[24], text[1200], done[1200];
        const msgpack_object *it = &f->via.array.ptr[i];
        printf("  %s. [%s] %s\n     done: %s\n", cli_text(sm_map_get(it, "n"), n, sizeof n),
               cli_text(sm_map_get(it, "theme"), th, sizeof th)[0] ? th : "general",
               cli_text(sm_map_get(it, "finding"), text, sizeof text),
               cli_text(sm_map_get(it, "done"), done, sizeof done)[0] ? done : "nothing yet");
    }
}

static int s_youth_finding(cli_t *cli)
{
    static const char *specs[] = {"year::i", "n::i", "theme", "finding", "done", NULL};
    if (!cli_has(cli, "year"))
        return cli_usage_error(cli, "report youth-finding needs --year");
    if (!cli_has(cli, "n") && !cli_has(cli, "finding"))
        return cli_usage_error(cli, "report youth-finding needs --finding (or --n to change one)");
    return s_flags_run(cli, cli_has(cli, "n") ? "youth.finding.update" : "youth.finding.add", specs,
                       NULL, true, s_print_youth_state);
}

static int s_youth_adopt(cli_t *cli)
{
    static const char *specs[] = {"year::i", "date", NULL};
    if (!cli_has(cli, "year"))
        return cli_usage_error(cli, "report youth-adopt needs --year");
    return s_flags_run(cli, "youth.adopt", specs, NULL, true, s_print_youth_state);
}

static int s_youth_submit(cli_t *cli)
{
    static const char *specs[] = {"year::i", "date", NULL};
    if (!cli_has(cli, "year"))
        return cli_usage_error(cli, "report youth-submit needs --year");
    return s_flags_run(cli, "youth.submit", specs, NULL, true, s_print_youth_state);
}

static int s_passage(cli_t *cli)
{
    static const char *specs[] = {"year::i", NULL};
    const char *extra[] = {"theme", cli->pos[0], NULL};
    if (cli->format && strcmp(cli->format, "md") && strcmp(cli->format, "text"))
        return cli_usage_error(cli, "the passage is Markdown (--format md)");
    return s_flags_run(cli, "report.passage", specs, extra, false, s_print_text);
}

/* ==== The verbs =========================================================== */

static const cli_opt_t s_draft_opts[] = {{"file", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_revise_opts[] = {
    {"file", true, false}, {"note", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_publish_opts[] = {
    {"allow", true, true}, {"date", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_check_opts[] = {
    {"allow", true, true}, {"version", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_date_opts[] = {{"date", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_show_opts[] = {{"version", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_list_opts[] = {{"session", true, false}, {"theme", true, false},
                                        {"state", true, false},   {"limit", true, false},
                                        {"after", true, false},   {NULL, 0, 0}};
static const cli_opt_t s_due_opts[] = {{"days", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_year_opts[] = {{"year", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_finding_opts[] = {{"year", true, false},  {"n", true, false},
                                           {"theme", true, false}, {"finding", true, false},
                                           {"done", true, false},  {NULL, 0, 0}};
static const cli_opt_t s_year_date_opts[] = {
    {"year", true, false}, {"date", true, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "draft",
     .fn = s_draft,
     .opts = s_draft_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "report draft SESSION [--file F]",
     .summary = "Draft the report (verslag) of a held session, in Markdown, from a file or stdin.",
     .example = "samenctl report draft S31 --file verslag-S31.md"},
    {.verb = "revise",
     .fn = s_revise,
     .opts = s_revise_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "report revise REPORT [--file F] [--note TEXT]",
     .summary = "Replace the newest version's text (an approved one returns to draft). On a published "
         "report this makes a correction: a new version, with a note saying what it changes.",
     .example = "samenctl report revise R9 --file verslag-S31.md --note \"Date of the next meeting "
         "corrected\""},
    {.verb = "approve",
     .fn = s_approve,
     .opts = s_date_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "report approve REPORT [--date DATE]",
     .summary = "Approve the newest version's text for publishing (on DATE when recorded afterwards; "
         "default today).",
     .example = "samenctl report approve R9 --date 2020-03-18"},
    {.verb = "publish",
     .fn = s_publish,
     .opts = s_publish_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "report publish REPORT [--allow TEXT]... [--date DATE]",
     .summary = "Publish the approved version (on DATE when recorded afterwards; default today). The text "
         "is first checked by intake for participants' names, e-mail addresses and phone numbers; "
         "publishing is refused, listing the matches, unless each is allowed with --allow (e.g. an "
         "alderman's name).",
     .example = "samenctl report publish R9 --allow \"Jan de Boer\""},
    {.verb = "sent",
     .fn = s_sent,
     .opts = s_date_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "report sent REPORT [--date DATE]",
     .summary = "Record that the published report was sent to the participants (default today).",
     .example = "samenctl report sent R9 --date 2020-03-24"},
    {.verb = "show",
     .fn = s_show,
     .opts = s_show_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "report show REPORT [--version N] [--format md|html]",
     .summary = "One report version with its dates and text (--format html: the rendered HTML only).",
     .example = "samenctl report show R9 --format html > R9.html"},
    {.verb = "check",
     .fn = s_check,
     .opts = s_check_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "report check REPORT [--version N] [--allow TEXT]...",
     .summary = "List what intake finds in the text that may be personal data, with line and text.",
     .example = "samenctl report check R9"},
    {.verb = "list",
     .fn = s_list,
     .opts = s_list_opts,
     .usage = "report list [--session S] [--theme T] [--state STATE] [--limit N] [--after R]",
     .summary = "Reports with their state and the days they were first published and sent.",
     .example = "samenctl report list --state approved"},
    {.verb = "due",
     .fn = s_due,
     .opts = s_due_opts,
     .usage = "report due [--days N]",
     .summary = "Held sessions without a published report, and reports not sent to the participants "
         "within N days (default: reporting/send_within_days, 28), with the days late.",
     .example = "samenctl report due"},
    {.verb = "annual",
     .fn = s_annual,
     .opts = s_year_opts,
     .usage = "report annual --year Y [--format md|csv|html]",
     .summary = "The yearly overview: per theme the project, form and central question, outcome and "
         "what was done with it, and follow-up.",
     .example = "samenctl report annual --year 2019 --format html > overview-2019.html"},
    {.verb = "youth",
     .fn = s_youth,
     .opts = s_year_opts,
     .usage = "report youth --year Y [--format md|html]",
     .summary = "The statutory youth report (CEO Jeugd) on year Y: sessions with youth and parents on "
         "youth-relevant themes, numbers, findings and what was done; due 1 July of Y+1.",
     .example = "samenctl report youth --year 2019"},
    {.verb = "youth-finding",
     .fn = s_youth_finding,
     .opts = s_finding_opts,
     .usage = "report youth-finding --year Y [--n N] [--theme T] --finding TEXT [--done TEXT]",
     .summary = "Add a finding to the youth report on year Y, or change finding N.",
     .example = "samenctl report youth-finding --year 2019 --theme T4 --finding \"Parents want one "
         "contact person\" --done \"A case manager per family since 2020\""},
    {.verb = "youth-adopt",
     .fn = s_youth_adopt,
     .opts = s_year_date_opts,
     .usage = "report youth-adopt --year Y [--date DATE]",
     .summary = "Adopt the youth report on year Y (on DATE when recorded afterwards; default today).",
     .example = "samenctl report youth-adopt --year 2019 --date 2020-06-12"},
    {.verb = "youth-submit",
     .fn = s_youth_submit,
     .opts = s_year_date_opts,
     .usage = "report youth-submit --year Y [--date DATE]",
     .summary = "Record that the adopted youth report was submitted to the ministry (VWS).",
     .example = "samenctl report youth-submit --year 2019 --date 2020-06-20"},
    {.verb = "passage",
     .fn = s_passage,
     .opts = s_year_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "report passage THEME [--year Y]",
     .summary = "The passage for a decision document on how the residents' perspective was obtained "
         "and processed on a theme: sessions and methods, participants, main input, what was "
         "done with it. Markdown.",
     .example = "samenctl report passage T4"},
    {0}};

const cli_noun_t cli_noun_report = {
    "report", "session reports, the yearly overview, the youth report, decision passages", s_verbs};
