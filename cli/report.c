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
    const msgpack_object *t = sm_map_get(data, "text");
    if (!t || t->type != MSGPACK_OBJECT_STR)
        return;
    fwrite(t->via.str.ptr, 1, t->via.str.size, stdout);
    if (t->via.str.size == 0 || t->via.str.ptr[t->via.str.size - 1] != '\n')
        putchar('\n');
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
    const msgpack_object *t = sm_map_get(data, key);
    if (t && t->type == MSGPACK_OBJECT_STR) {
        fwrite(t->via.str.ptr, 1, t->via.str.size, stdout);
        if (t->via.str.size == 0 || t->via.str.ptr[t->via.str.size - 1] != '\n')
            putchar('\n');
    }
}

static const cli_col_t s_match_cols[] = {{"LINE", "line", 't'},
                                         {"KIND", "kind", 't'},
                                         {"PARTICIPANT", "participant", 't'},
                                         {"TEXT", "text", 't'},
                                         {"ALLOWED BY", "allowed_by", 't'}};

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

/*  The columns of a refused publication's details: where each match is
    and a masked excerpt, never its text. */
static const cli_col_t s_refused_cols[] = {{"LINE", "line", 't'},
                                           {"KIND", "kind", 't'},
                                           {"PARTICIPANT", "participant", 't'},
                                           {"OFFSET", "offset", 't'},
                                           {"LENGTH", "length", 't'},
                                           {"EXCERPT", "excerpt", 't'}};

/*  Print the details of a publication refused for personal data (the
    error's details: {not_allowed, matches}). */
static void s_print_refused(cli_t *cli, const msgpack_object *details)
{
    const msgpack_object *m = sm_map_get(details, "matches");
    char n[16];
    if (!m || m->type != MSGPACK_OBJECT_ARRAY || m->via.array.size == 0)
        return;
    cli_table(cli, s_refused_cols, 6, m);
    printf("%s not allowed. Remove them from the text, or publish again with --allow TEXT for "
           "each that is not personal data; samenctl report check %s shows their texts.\n",
           cli_text(sm_map_get(details, "not_allowed"), n, sizeof n), cli->pos[0]);
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
        //  The refusal's details list each match not allowed: where it is
        //  and a masked excerpt, for the person publishing to find it.
        const msgpack_object *details =
            sm_map_get(sm_map_get(sm_doc_root(reply), "error"), "details");
        if (rc == CLI_REFUSED && strcmp(e.field, "allow") == 0 && !cli->json && details)
            s_print_refused(cli, details);
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
    //  From 1 May: the youth report on last year, due 1 July (the service
    //  writes the sentence in the reader's language).
    const msgpack_object *youth = sm_map_get(data, "youth");
    const msgpack_object *warning = youth ? sm_map_get(youth, "text") : NULL;
    if (text && warning && warning->type == MSGPACK_OBJECT_STR)
        printf("! %.*s\n\n", (int)warning->via.str.size, warning->via.str.ptr);
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

/* ==== The deployment's allow list ========================================== */

static const cli_col_t s_allowlist_cols[] = {
    {"TEXT", "text", 't'}, {"ADDED", "added_on", 't'}, {"NOTE", "note", 't'}};

static void s_print_allowlist(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *a = sm_map_get(data, "allowed");
    if (a && a->type == MSGPACK_OBJECT_ARRAY && a->via.array.size)
        cli_table(cli, s_allowlist_cols, 3, a);
    else if (!cli->format || strcmp(cli->format, "text") == 0)
        printf("No text is allowed in every report.\n");
}

static void s_print_allowlist_change(cli_t *cli, const msgpack_object *data)
{
    //  The reply does not repeat the text (a name); the flag has it.
    if (cli_flag(cli, "remove"))
        printf("\"%s\" is no longer allowed in every report.\n", cli_flag(cli, "remove"));
    else
        printf("\"%s\" is now allowed in every report of this deployment.\n",
               cli_flag(cli, "add"));
}

static int s_allowlist(cli_t *cli)
{
    const char *add = cli_flag(cli, "add"), *remove = cli_flag(cli, "remove");
    if (add && remove)
        return cli_usage_error(cli, "give --add or --remove, not both");
    if (cli_has(cli, "note") && !add)
        return cli_usage_error(cli, "--note goes with --add");
    if (!add && !remove)
        return s_flags_run(cli, "allowlist.list", (const char *[]){NULL}, NULL, false,
                           s_print_allowlist);
    static const char *add_specs[] = {"add:text:s", "note", NULL};
    static const char *remove_specs[] = {"remove:text:s", NULL};
    return s_flags_run(cli, add ? "allowlist.add" : "allowlist.remove",
                       add ? add_specs : remove_specs, NULL, true, s_print_allowlist_change);
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
    static const char *const svg[] = {"svg", NULL};
    static const char *specs[] = {"year::i", NULL};
    const char *document = cli_has(cli, "letter") ? "letter"
                           : cli_has(cli, "infographic") ? "infographic"
                                                         : "report";
    if (cli_has(cli, "letter") && cli_has(cli, "infographic"))
        return cli_usage_error(cli, "give --letter or --infographic, not both");
    const char *format = strcmp(document, "infographic") == 0 && !cli->format
                             ? "svg"
                             : s_doc_format(cli, strcmp(document, "infographic") == 0 ? svg
                                                                                     : offered);
    if (!format)
        return CLI_USAGE;
    if (!cli_has(cli, "year"))
        return cli_usage_error(cli, "report youth needs --year");
    const char *extra[] = {"format", format, "document", document, NULL};
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
    static const char *const offered[] = {"md", "html", NULL};
    const char *format = s_doc_format(cli, offered);
    if (!format)
        return CLI_USAGE;
    const char *extra[] = {"theme", cli->pos[0], "format", format, NULL};
    return s_flags_run(cli, "report.passage", specs, extra, false, s_print_text);
}

static int s_municipality(cli_t *cli)
{
    static const char *const offered[] = {"md", "html", NULL};
    static const char *specs[] = {"year::i", NULL};
    const char *format = s_doc_format(cli, offered);
    if (!format)
        return CLI_USAGE;
    if (!cli_has(cli, "year"))
        return cli_usage_error(cli, "report municipality needs --year");
    const char *extra[] = {"municipality", cli->pos[0], "format", format, NULL};
    return s_flags_run(cli, "report.municipality", specs, extra, false, s_print_text);
}

/* ==== The verbs =========================================================== */

static const cli_opt_t s_draft_opts[] = {{"file", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_revise_opts[] = {
    {"file", true, false}, {"note", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_publish_opts[] = {
    {"allow", true, true}, {"date", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_allowlist_opts[] = {
    {"add", true, false}, {"remove", true, false}, {"note", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_check_opts[] = {
    {"allow", true, true}, {"version", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_date_opts[] = {{"date", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_show_opts[] = {{"version", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_list_opts[] = {{"session", true, false}, {"theme", true, false},
                                        {"state", true, false},   {"limit", true, false},
                                        {"after", true, false},   {NULL, 0, 0}};
static const cli_opt_t s_due_opts[] = {{"days", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_year_opts[] = {{"year", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_youth_opts[] = {{"year", true, false},
                                         {"letter", false, false},
                                         {"infographic", false, false},
                                         {NULL, 0, 0}};
static const cli_opt_t s_finding_opts[] = {{"year", true, false},  {"n", true, false},
                                           {"theme", true, false}, {"finding", true, false},
                                           {"done", true, false},  {NULL, 0, 0}};
static const cli_opt_t s_year_date_opts[] = {
    {"year", true, false}, {"date", true, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {"draft", s_draft, s_draft_opts, 1, 1, "report draft SESSION [--file F]",
     "Draft the report (verslag) of a held session, in Markdown, from a file or stdin.",
     "samenctl report draft S31 --file verslag-S31.md"},
    {"revise", s_revise, s_revise_opts, 1, 1, "report revise REPORT [--file F] [--note TEXT]",
     "Replace the newest version's text (an approved one returns to draft). On a published "
     "report this makes a correction: a new version, with a note saying what it changes.",
     "samenctl report revise R9 --file verslag-S31.md --note \"Date of the next meeting "
     "corrected\""},
    {"approve", s_approve, s_date_opts, 1, 1, "report approve REPORT [--date DATE]",
     "Approve the newest version's text for publishing (on DATE when recorded afterwards; "
     "default today).",
     "samenctl report approve R9 --date 2020-03-18"},
    {"publish", s_publish, s_publish_opts, 1, 1,
     "report publish REPORT [--allow TEXT]... [--date DATE]",
     "Publish the approved version (on DATE when recorded afterwards; default today). The text "
     "is first checked by intake for personal data: participants' names, other people's names, "
     "e-mail addresses, phone numbers, BSN, IBAN, postal codes and dates of birth; publishing "
     "is refused, listing where each match is, unless each is allowed with --allow (e.g. an "
     "alderman's name) or is on the deployment's allow list (report allowlist).",
     "samenctl report publish R9 --allow \"Jan de Boer\""},
    {"sent", s_sent, s_date_opts, 1, 1, "report sent REPORT [--date DATE]",
     "Record that the published report was sent to the participants (default today).",
     "samenctl report sent R9 --date 2020-03-24"},
    {"show", s_show, s_show_opts, 1, 1, "report show REPORT [--version N] [--format md|html]",
     "One report version with its dates and text (--format html: the rendered HTML only).",
     "samenctl report show R9 --format html > R9.html"},
    {"check", s_check, s_check_opts, 1, 1, "report check REPORT [--version N] [--allow TEXT]...",
     "List what intake finds in the text that may be personal data, with line and text.",
     "samenctl report check R9"},
    {"allowlist", s_allowlist, s_allowlist_opts, 0, 0,
     "report allowlist [--add TEXT [--note NOTE] | --remove TEXT]",
     "The texts allowed in every report of this deployment without --allow, such as the name of "
     "the alderman who opens every session; --add or --remove changes the list (coordinator or "
     "admin).",
     "samenctl report allowlist --add \"wethouder Jansen\" --note \"opens every session\""},
    {"list", s_list, s_list_opts, 0, 0,
     "report list [--session S] [--theme T] [--state STATE] [--limit N] [--after R]",
     "Reports with their state and the days they were first published and sent.",
     "samenctl report list --state approved"},
    {"due", s_due, s_due_opts, 0, 0, "report due [--days N]",
     "Held sessions without a published report, and reports not sent to the participants "
     "within N days (default: reporting/send_within_days, 28), with the days late.",
     "samenctl report due"},
    {"annual", s_annual, s_year_opts, 0, 0, "report annual --year Y [--format md|csv|html]",
     "The yearly overview: per theme the project, form and central question, outcome and "
     "what was done with it, and follow-up.",
     "samenctl report annual --year 2019 --format html > overview-2019.html"},
    {"youth", s_youth, s_youth_opts, 0, 0,
     "report youth --year Y [--letter | --infographic] [--format md|html|svg]",
     "The statutory youth report (CEO Jeugd) on year Y: sessions with youth and parents on "
     "youth-relevant themes, numbers, findings and what was done; due 1 July of Y+1. "
     "--letter: the letter to the municipal councils; --infographic: one SVG for print.",
     "samenctl report youth --year 2019 --infographic > ceo-jeugd-2019.svg"},
    {"youth-finding", s_youth_finding, s_finding_opts, 0, 0,
     "report youth-finding --year Y [--n N] [--theme T] --finding TEXT [--done TEXT]",
     "Add a finding to the youth report on year Y, or change finding N.",
     "samenctl report youth-finding --year 2019 --theme T4 --finding \"Parents want one "
     "contact person\" --done \"A case manager per family since 2020\""},
    {"youth-adopt", s_youth_adopt, s_year_date_opts, 0, 0,
     "report youth-adopt --year Y [--date DATE]",
     "Adopt the youth report on year Y (on DATE when recorded afterwards; default today).",
     "samenctl report youth-adopt --year 2019 --date 2020-06-12"},
    {"youth-submit", s_youth_submit, s_year_date_opts, 0, 0,
     "report youth-submit --year Y [--date DATE]",
     "Record that the adopted youth report was submitted to the ministry (VWS).",
     "samenctl report youth-submit --year 2019 --date 2020-06-20"},
    {"passage", s_passage, s_year_opts, 1, 1, "report passage THEME [--year Y] [--format md|html]",
     "The passage for a decision document on how the residents' perspective was obtained "
     "and processed on a theme: sessions and methods, participants and their groups, main "
     "input, what was done with it and why not. Markdown or HTML.",
     "samenctl report passage T4"},
    {"municipality", s_municipality, s_year_opts, 1, 1,
     "report municipality NAME --year Y [--format md|html]",
     "What happened with a municipality's residents in a year: sessions for it or with its "
     "residents, its participants against its share of inhabitants, themes, reports, and the "
     "contributions invoiced to it and paid (asked of finance).",
     "samenctl report municipality Huizen --year 2019 --format html > huizen-2019.html"},
    {NULL, NULL, NULL, 0, 0, NULL, NULL, NULL}};

const cli_noun_t cli_noun_report = {
    "report", "session reports, the yearly overview, the youth report, decision passages", s_verbs};
