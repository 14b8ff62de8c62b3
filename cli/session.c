/*  cli/session.c - samenctl session plan|update|confirm|hold|cancel|show|list
    and register|unregister|registrations: sessions and who takes part. */
#include "cli.h"
#include "common/i18n.h"
#include "names.h"
#include "nouns.h"
#include <string.h>

/* ==== Printing ========================================================== */

static void s_print_one(cli_t *cli, const msgpack_object *data)
{
    cli_fields(cli, data);
}

/*  A planned session, or the series' IDs and its first meeting. */
static void s_print_planned(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *occ = sm_map_get(data, "occurrences");
    if (occ && occ->type == MSGPACK_OBJECT_ARRAY) {
        char ids[2048];
        cli_text(occ, ids, sizeof ids);
        printf("planned a series of %u sessions: %s\n\n", occ->via.array.size, ids);
        cli_fields(cli, sm_map_get(data, "session"));
        return;
    }
    cli_fields(cli, data);
}

/*  "S3 confirmed: focus group, 2020-03-12 19:00-21:00" */
static void s_print_status(cli_t *cli, const msgpack_object *data)
{
    char id[24], status[32], name[64], when[64];
    cli_text(sm_map_get(data, "id"), id, sizeof id);
    cli_text(sm_map_get(data, "status"), status, sizeof status);
    cli_text(sm_map_get(data, "method_name"), name, sizeof name);
    cli_text(sm_map_get(data, "when"), when, sizeof when);
    printf("%s %s: %s, %s\n", id, status, name, when);
}

/*  "10/12" places taken. The row map gets no extra key, so the table reads
    registered and capacity itself. */
static const cli_col_t s_list_cols[] = {
    {N_("ID"), "id", 't'},          {N_("THEME"), "theme", 't'},         {N_("METHOD"), "method", 't'},
    {N_("WHEN"), "when", 't'},      {N_("STATUS"), "status", 't'},       {N_("OVB"), "tentative", 't'},
    {N_("REGISTERED"), "registered", 't'}, {N_("CAPACITY"), "capacity", 't'},
    {N_("WAITLIST"), "waitlisted", 't'},   {N_("TITLE"), "title", 't'}};

/*  A table of sessions, and how to get the next page. */
static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_list_cols, 10, sm_map_get(data, "sessions"));
    cli_print_next(cli, data);
}

/*  The iCalendar text exactly as the service rendered it (CRLF kept). */
static void s_print_calendar(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *text = sm_map_get(data, "text");
    if (text && text->type == MSGPACK_OBJECT_STR)
        cli_put_safe(stdout, text->via.str.ptr, text->via.str.size, true);
}

/*  "P4 registered for S1 (1 of 2 places taken)" or the waitlist position. */
static void s_print_registered(cli_t *cli, const msgpack_object *data)
{
    char s[24], p[24], status[32], pos[16], reg[16], cap[16];
    cli_text(sm_map_get(data, "session"), s, sizeof s);
    cli_text(sm_map_get(data, "participant"), p, sizeof p);
    cli_text(sm_map_get(data, "status"), status, sizeof status);
    cli_text(sm_map_get(data, "position"), pos, sizeof pos);
    cli_text(sm_map_get(data, "registered"), reg, sizeof reg);
    cli_text(sm_map_get(data, "capacity"), cap, sizeof cap);
    if (strcmp(status, "waitlisted") == 0)
        printf("%s is on the waitlist for %s at position %s (%s of %s places taken)\n", p, s,
               pos, reg, cap);
    else if (strcmp(cap, "0") == 0) //  a capacity of 0: no limit (a survey)
        printf(_("%1$s registered for %2$s (%3$s registered; no limit on places)\n"), p, s, reg);
    else
        printf("%s registered for %s (%s of %s places taken)\n", p, s, reg, cap);
}

/*  The cancellation and who moved up, if anyone. */
static void s_print_unregistered(cli_t *cli, const msgpack_object *data)
{
    char s[24], p[24], promoted[24];
    cli_text(sm_map_get(data, "session"), s, sizeof s);
    cli_text(sm_map_get(data, "participant"), p, sizeof p);
    cli_text(sm_map_get(data, "promoted"), promoted, sizeof promoted);
    printf("%s's registration for %s cancelled", p, s);
    if (promoted[0])
        printf("; %s moved up from the waitlist", promoted);
    printf("\n");
}

static const cli_col_t s_reg_cols[] = {{N_("PARTICIPANT"), "participant", 't'},
                                       {N_("STATUS"), "status", 't'},
                                       {N_("POSITION"), "position", 't'}};
static const cli_col_t s_mine_cols[] = {{N_("SESSION"), "session", 't'}, {N_("THEME"), "theme", 't'},
                                        {N_("METHOD"), "method", 't'},   {N_("WHEN"), "when", 't'},
                                        {N_("SESSION STATUS"), "session_status", 't'},
                                        {N_("STATUS"), "status", 't'},   {N_("POSITION"), "position", 't'}};

/*  A session's list with names from intake, or a participant's sessions. */
static void s_print_registrations(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *rows = sm_map_get(data, "registrations");
    if (sm_map_get(data, "session")) {
        char s[24], reg[16], cap[16], wait[16], st[32];
        cli_text(sm_map_get(data, "session"), s, sizeof s);
        cli_text(sm_map_get(data, "registered"), reg, sizeof reg);
        cli_text(sm_map_get(data, "capacity"), cap, sizeof cap);
        cli_text(sm_map_get(data, "waitlisted"), wait, sizeof wait);
        cli_text(sm_map_get(data, "status"), st, sizeof st);
        if ((!cli->format || !strcmp(cli->format, "text")) && strcmp(cap, "0") == 0)
            printf(_("%1$s (%2$s): %3$s registered; no limit on places\n"), s, st, reg);
        else if (!cli->format || !strcmp(cli->format, "text"))
            printf("%s (%s): %s of %s places taken, %s on the waitlist\n", s, st, reg, cap, wait);
        cli_names_table(cli, rows, s_reg_cols, 3);
    } else
        cli_table(cli, s_mine_cols, 7, rows);
}

/* ==== Verbs with code of their own ========================================= */

/*  A session stays with its theme. */
static int s_no_theme(cli_t *cli)
{
    if (cli_has(cli, "theme"))
        return cli_usage_error(cli, _("a session stays with its theme; plan a new one instead"));
    return 0;
}

/*  session list, or with --format ics the calendar (session.calendar). */
static int s_list(cli_t *cli)
{
    if (cli->format && strcmp(cli->format, "ics") == 0) {
        if (cli_has(cli, "limit") || cli_has(cli, "after"))
            return cli_usage_error(cli, _("a calendar holds every matching session; narrow it "
                                        "with --from/--to, --theme or --status"));
        const sm_opdecl_t *cal = cli_decl(cli, "session.calendar");
        return cal ? cli_call_op(cli, cal, s_print_calendar)
                   : cli_usage_error(cli, _("scheduling does not declare session.calendar"));
    }
    if (cli->format && strcmp(cli->format, "html") == 0)
        return cli_usage_error(cli, _("session list prints text, csv, md or ics"));
    return cli_call_op(cli, cli->decls[0], s_print_list);
}

/*  A session's registrations, or a participant's: one of the two. */
static int s_one_of(cli_t *cli)
{
    if ((cli->npos == 1) == cli_has(cli, "participant"))
        return cli_usage_error(cli, _("give a session (S3) or --participant P4"));
    return 0;
}

static const cli_verb_t s_verbs[] = {
    {.verb = "plan",
     .print = s_print_planned,
     .example = "samenctl session plan --theme T1 --method FG --start 2020-03-12T19:00 --end "
                "2020-03-12T21:00 --capacity 10 --facilitator P7 --target-group \"foster "
                "parents\" --location \"Town hall, Hilversum\""},
    {.verb = "update",
     .check = s_no_theme,
     .print = s_print_one,
     .example = "samenctl session update S3 --start 2020-03-19T19:00 --end 2020-03-19T21:00"},
    {.verb = "confirm", .print = s_print_status, .example = "samenctl session confirm S3"},
    {.verb = "hold", .print = s_print_status, .example = "samenctl session hold S3"},
    {.verb = "cancel", .print = s_print_status, .example = "samenctl session cancel S3"},
    {.verb = "show", .print = s_print_one, .example = "samenctl session show S3"},
    {.verb = "list",
     .fn = s_list,
     .summary = N_("Sessions, oldest ID first. With --format ics: an iCalendar (RFC 5545) file of "
                "the sessions that have an exact time, for the website or a calendar program."),
     .example = "samenctl session list --from 2020-01-01 --to 2020-06-30 --format ics > "
                "sessions.ics"},
    {.verb = "register",
     .print = s_print_registered,
     .example = "samenctl session register S3 P12\nsamenctl session register S3 P14 "
                "--after-deadline"},
    {.verb = "unregister",
     .print = s_print_unregistered,
     .example = "samenctl session unregister S3 P12"},
    {.verb = "registrations",
     .check = s_one_of,
     .print = s_print_registrations,
     .usage = "session registrations S12 [--all] | session registrations --participant P12",
     .example = "samenctl session registrations S3"},
    {0}};

const cli_noun_t cli_noun_session = {"session", N_("sessions: plan, confirm, hold, cancel, register"),
                                     s_verbs};
