/*  cli/report.c - samenctl report: session reports (draft, revise, approve, publish,
    sent, show, check, list, due) and the documents made from them (annual, youth,
    passage), with the youth report's findings and status. Verbs and flags
    come from reporting's declarations; here is what a person reads back.

    Documents are written to stdout as they are (Markdown by default,
    --format csv|html where offered) so that they can be redirected to a
    file or piped on. A report's text comes from --file or stdin. */
#include "cli.h"
#include "nouns.h"
#include "printers.h"
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
        cli_usage_error(cli, _("cannot open --file %s"), path);
        return NULL;
    }
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        if (n == cap) {
            if (cap > S_TEXT_MAX) {
                free(buf);
                buf = NULL;
                cli_usage_error(cli, _("the report text is larger than %d bytes"), S_TEXT_MAX);
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

/*  report show prints its fields and Markdown, or only the Markdown or HTML. */
static int s_show_format(cli_t *cli)
{
    if (cli->format && strcmp(cli->format, "md") && strcmp(cli->format, "html") &&
        strcmp(cli->format, "text"))
        return cli_usage_error(cli, _("report show prints text, md or html, not %s"), cli->format);
    return 0;
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

static const cli_col_t s_match_cols[] = {{N_("LINE"), "line", 't'},
                                         {N_("KIND"), "kind", 't'},
                                         {N_("PARTICIPANT"), "participant", 't'},
                                         {N_("TEXT"), "text", 't'},
                                         {N_("ALLOWED BY"), "allowed_by", 't'}};

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
static const cli_col_t s_refused_cols[] = {{N_("LINE"), "line", 't'},
                                           {N_("KIND"), "kind", 't'},
                                           {N_("PARTICIPANT"), "participant", 't'},
                                           {N_("OFFSET"), "offset", 't'},
                                           {N_("LENGTH"), "length", 't'},
                                           {N_("EXCERPT"), "excerpt", 't'}};

/*  Print the details of a publication refused for personal data (the
    error's details: {not_allowed, matches}). */
static void s_print_refused(cli_t *cli, const msgpack_object *details)
{
    const msgpack_object *m = sm_map_get(details, "matches");
    char n[16], r[32];
    if (!m || m->type != MSGPACK_OBJECT_ARRAY || m->via.array.size == 0)
        return;
    cli_table(cli, s_refused_cols, 6, m);
    cli_escape(cli->pos[0], strlen(cli->pos[0]), false, r, sizeof r);
    printf("%s not allowed. Remove them from the text, or publish again with --allow TEXT for "
           "each that is not personal data; samenctl report check %s shows their texts.\n",
           cli_text(sm_map_get(details, "not_allowed"), n, sizeof n), r);
}

static const cli_col_t s_allowlist_cols[] = {
    {N_("TEXT"), "text", 't'}, {N_("ADDED"), "added_on", 't'}, {N_("NOTE"), "note", 't'}};

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
    const char *text = cli_flag(cli, "remove") ? cli_flag(cli, "remove") : cli_flag(cli, "add");
    char shown[800];
    cli_escape(text, strlen(text), false, shown, sizeof shown);
    if (cli_flag(cli, "remove"))
        printf("\"%s\" is no longer allowed in every report.\n", shown);
    else
        printf("\"%s\" is now allowed in every report of this deployment.\n", shown);
}

/* ==== Printing ============================================================ */

static const cli_col_t s_list_cols[] = {
    {N_("REPORT"), "id", 't'},         {N_("SESSION"), "session", 't'},
    {N_("THEME"), "theme", 't'},       {N_("VERSION"), "version", 't'},
    {N_("STATE"), "state", 't'},       {N_("PUBLISHED"), "first_published_on", 't'},
    {N_("SENT"), "first_sent_on", 't'}};

static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_list_cols, 7, sm_map_get(data, "reports"));
    cli_print_next(cli, data);
}

static const cli_col_t s_unpub_cols[] = {{N_("SESSION"), "session", 't'},
                                         {N_("THEME"), "theme", 't'},
                                         {N_("HELD"), "held_on", 't'},
                                         {N_("DAYS SINCE"), "days_since", 't'},
                                         {N_("REPORT"), "report", 't'}};
static const cli_col_t s_late_cols[] = {
    {N_("SESSION"), "session", 't'},     {N_("THEME"), "theme", 't'},  {N_("HELD"), "held_on", 't'},
    {N_("DAYS LATE"), "days_late", 't'}, {N_("SENT"), "sent_on", 't'}, {N_("REPORT"), "report", 't'}};

static void s_print_due(cli_t *cli, const msgpack_object *data)
{
    bool text = !cli->format || strcmp(cli->format, "text") == 0;
    char days[16], today[16];
    const msgpack_object *u = sm_map_get(data, "unpublished"), *l = sm_map_get(data, "late");
    //  From 1 May: the youth report on last year, due 1 July (the service
    //  writes the sentence in the reader's language).
    const msgpack_object *youth = sm_map_get(data, "youth");
    const msgpack_object *warning = youth ? sm_map_get(youth, "text") : NULL;
    if (text && warning && warning->type == MSGPACK_OBJECT_STR) {
        fputs("! ", stdout);
        cli_put_safe(stdout, warning->via.str.ptr, warning->via.str.size, false);
        fputs("\n\n", stdout);
    }
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

/* ==== Verbs with code of their own ======================================== */

/*  draft and revise: the text from --text, --file or stdin. */
static int s_draft_or_revise(cli_t *cli)
{
    char *text = NULL;
    if (!cli_has(cli, "text")) {
        if (!(text = s_read_text(cli)))
            return CLI_USAGE;
        if (cli_flag_add(cli, "text", text) != 0) {
            free(text);
            return cli_usage_error(cli, _("too many flags"));
        }
    }
    int rc = cli_call_op(cli, cli->decls[0], s_print_report);
    free(text);
    return rc;
}

/*  publish; refused for personal data, it lists where each match is. */
static int s_publish(cli_t *cli)
{
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_op(cli, cli->decls[0], &args);
    if (rc != 0) {
        sm_buf_free(&args);
        return rc;
    }
    char rid[32];
    sm_err_t e;
    sm_err_clear(&e);
    if (cli_rid(cli, rid) != 0) {
        sm_buf_free(&args);
        return CLI_USAGE;
    }
    sm_doc_t *reply = sm_client_call(cli->client, "reporting", "report.publish", args.sbuf.data,
                                     args.sbuf.size, rid, cli->timeout_ms, 2, &e);
    const msgpack_object *data = NULL;
    if (!reply) {
        cli_refused(&e);
        rc = CLI_UNREACHABLE;
    } else if (sm_reply_check(reply, &data, &e) != 0) {
        if (cli->json)
            cli_print_json(sm_doc_root(reply));
        rc = cli_refused(&e);
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

/*  The deployment's allow list: listed, or a text added or removed (one
    verb, three ops). */
static int s_allowlist(cli_t *cli)
{
    const char *add = cli_flag(cli, "add"), *remove = cli_flag(cli, "remove");
    if (add && remove)
        return cli_usage_error(cli, _("give --add or --remove, not both"));
    if (cli_has(cli, "note") && !add)
        return cli_usage_error(cli, _("--note goes with --add"));
    const sm_opdecl_t *op =
        cli_decl(cli, add ? "allowlist.add" : remove ? "allowlist.remove" : "allowlist.list");
    if (!op)
        return cli_usage_error(cli, _("reporting does not declare the allow list's ops"));
    return cli_call_op(cli, op, add || remove ? s_print_allowlist_change : s_print_allowlist);
}

/*  annual and youth: the document in the format asked for. */
static int s_document(cli_t *cli)
{
    int rc = cli_doc_format(cli, cli->decls[0], "md");
    return rc ? rc : cli_call_op(cli, cli->decls[0], s_print_text);
}

/*  The youth report, its letter to the councils (--letter) or its
    infographic (--infographic, SVG unless --format says otherwise). */
static int s_youth(cli_t *cli)
{
    bool letter = cli_has(cli, "letter"), info = cli_has(cli, "infographic");
    if (letter && info)
        return cli_usage_error(cli, _("give --letter or --infographic, not both"));
    if ((letter || info) && cli_has(cli, "document"))
        return cli_usage_error(cli, _("give --document or --%s, not both"),
                               letter ? "letter" : "infographic");
    if ((letter || info) && cli_flag_add(cli, "document", letter ? "letter" : "infographic") != 0)
        return cli_usage_error(cli, _("too many flags"));
    const char *document = cli_flag(cli, "document");
    bool svg = document && strcmp(document, "infographic") == 0;
    int rc = cli_doc_format(cli, cli->decls[0], svg ? "svg" : "md");
    return rc ? rc : cli_call_op(cli, cli->decls[0], s_print_text);
}

/*  One verb, two ops: a new finding, or with --n a change to one. */
static int s_youth_finding(cli_t *cli)
{
    const sm_opdecl_t *op =
        cli_decl(cli, cli_has(cli, "n") ? "youth.finding.update" : "youth.finding.add");
    return op ? cli_call_op(cli, op, s_print_youth_state)
              : cli_usage_error(cli, _("reporting does not declare the ops of a youth finding"));
}

static const cli_opt_t s_file[] = {{"file", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_youth_opts[] = {
    {"letter", false, false}, {"infographic", false, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "draft",
     .fn = s_draft_or_revise,
     .opts = s_file,
     .usage = "report draft S12 [--text TEXT | --file F]",
     .summary = N_("Draft the report (verslag) of a held session, in Markdown, from --text, --file "
                "or stdin."),
     .example = "samenctl report draft S31 --file verslag-S31.md"},
    {.verb = "revise",
     .fn = s_draft_or_revise,
     .opts = s_file,
     .usage = "report revise R12 [--text TEXT | --file F] [--note TEXT]",
     .summary = N_("Replace the newest version's text (from --text, --file or stdin; an approved "
                "one returns to draft). On a published report this makes a correction: a new "
                "version, with a note saying what it changes."),
     .example = "samenctl report revise R9 --file verslag-S31.md --note \"Date of the next "
                "meeting corrected\""},
    {.verb = "approve",
     .print = s_print_report,
     .example = "samenctl report approve R9 --date 2020-03-18"},
    {.verb = "publish",
     .fn = s_publish,
     .summary = N_("Publish the approved version. The text is first checked by intake for personal "
                "data: participants' names, other people's names, e-mail addresses, phone "
                "numbers, BSN, IBAN, postal codes and dates of birth; publishing is refused, "
                "listing where each match is, unless each is allowed with --allow (e.g. an "
                "alderman's name) or is on the deployment's allow list (report allowlist)."),
     .example = "samenctl report publish R9 --allow \"Jan de Boer\""},
    {.verb = "sent", .print = s_print_report, .example = "samenctl report sent R9 --date 2020-03-24"},
    {.verb = "show",
     .check = s_show_format,
     .print = s_print_show,
     .usage = "report show R12 [--version N] [--format md|html]",
     .example = "samenctl report show R9 --format html > R9.html"},
    {.verb = "check", .print = s_print_check, .example = "samenctl report check R9"},
    {.verb = "allowlist",
     .fn = s_allowlist,
     .usage = "report allowlist [--add TEXT [--note NOTE] | --remove TEXT]",
     .summary = N_("The texts allowed in every report of this deployment without --allow, such as "
                "the name of the alderman who opens every session; --add or --remove changes "
                "the list (coordinator or admin)."),
     .example = "samenctl report allowlist --add \"wethouder Jansen\" --note \"opens every "
                "session\""},
    {.verb = "list", .print = s_print_list, .example = "samenctl report list --state approved"},
    {.verb = "due", .print = s_print_due, .example = "samenctl report due"},
    {.verb = "react",
     .example = "samenctl report react R9 --participant P12 --text \"Thank you, but the taxi "
                "still comes late.\" --date 2020-03-20"},
    {.verb = "reactions", .print = cli_print_reactions, .example = "samenctl report reactions R9"},
    {.verb = "annual",
     .fn = s_document,
     .usage = "report annual --year Y [--format md|csv|html]",
     .example = "samenctl report annual --year 2019 --format html > overview-2019.html"},
    {.verb = "youth",
     .fn = s_youth,
     .opts = s_youth_opts,
     .usage = "report youth --year Y [--letter | --infographic] [--format md|html|svg]",
     .summary = N_("The statutory youth report (CEO Jeugd) on a year: sessions with youth and "
                "parents on youth-relevant themes, numbers, findings and what was done; due 1 "
                "July of the next year. --letter: the letter to the municipal councils; "
                "--infographic: one SVG for print."),
     .example = "samenctl report youth --year 2019 --infographic > ceo-jeugd-2019.svg"},
    {.verb = "youth-finding",
     .fn = s_youth_finding,
     .summary = N_("Add a finding to the youth report on a year, or change finding --n."),
     .example = "samenctl report youth-finding --year 2019 --theme T4 --finding \"Parents want "
                "one contact person\" --done \"A case manager per family since 2020\""},
    {.verb = "youth-adopt",
     .print = s_print_youth_state,
     .example = "samenctl report youth-adopt --year 2019 --date 2020-06-12"},
    {.verb = "youth-submit",
     .print = s_print_youth_state,
     .example = "samenctl report youth-submit --year 2019 --date 2020-06-20"},
    {.verb = "passage",
     .fn = s_document,
     .usage = "report passage T12 [--year Y] [--format md|html]",
     .summary = N_("The passage for a decision document on how the residents' perspective was "
                "obtained and processed on a theme: sessions and methods, participants and "
                "their groups, main input, what was done with it and why not. Markdown or HTML."),
     .example = "samenctl report passage T4"},
    {.verb = "municipality",
     .fn = s_document,
     .usage = "report municipality NAME --year Y [--format md|html]",
     .summary = N_("What happened with a municipality's residents in a year: sessions for it or "
                "with its residents, its participants against its share of inhabitants, themes, "
                "reports, and the contributions invoiced to it and paid (asked of finance)."),
     .example = "samenctl report municipality Huizen --year 2019 --format html > huizen-2019.html"},
    {0}};

const cli_noun_t cli_noun_report = {
    "report", N_("session reports, the yearly overview, the youth report, decision passages"), s_verbs};
