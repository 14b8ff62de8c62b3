/*  cli/session.c - samenctl session plan|update|confirm|hold|cancel|show|list
    and register|unregister|registrations: sessions and who takes part. */
#include "cli.h"
#include "names.h"
#include "nouns.h"
#include <string.h>

/*  The flags of plan and update, as cli_pack_flags specs. */
static const char *s_specs[] = {"theme",
                                "method",
                                "title",
                                "question",
                                "start",
                                "end",
                                "period",
                                "tentative::b",
                                "location",
                                "location-kind:location_kind:s",
                                "capacity::i",
                                "reimbursement:reimbursement_cents:m",
                                "facilitator:facilitators:c",
                                "tasks:support_tasks:c",
                                "target-group:target_groups:c",
                                "municipality:municipalities:c",
                                "follow-up-of:follow_up_of:s",
                                "allow-double-booking:allow_double_booking:b",
                                "times-a-year:times_a_year:i",
                                "every-months:every_months:i",
                                "every-weeks:every_weeks:i",
                                "count::i",
                                NULL};

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
    {"ID", "id", 't'},          {"THEME", "theme", 't'},         {"METHOD", "method", 't'},
    {"WHEN", "when", 't'},      {"STATUS", "status", 't'},       {"OVB", "tentative", 't'},
    {"REGISTERED", "registered", 't'}, {"CAPACITY", "capacity", 't'},
    {"WAITLIST", "waitlisted", 't'},   {"TITLE", "title", 't'}};

/*  A table of sessions, and how to get the next page. */
static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_list_cols, 10, sm_map_get(data, "sessions"));
    char after[64];
    const msgpack_object *next = sm_map_get(data, "next");
    if (next && next->type == MSGPACK_OBJECT_STR && (!cli->format || !strcmp(cli->format, "text")))
        printf("more: samenctl session list --after %s\n", cli_text(next, after, sizeof after));
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

static const cli_col_t s_reg_cols[] = {{"PARTICIPANT", "participant", 't'},
                                       {"STATUS", "status", 't'},
                                       {"POSITION", "position", 't'}};
static const cli_col_t s_mine_cols[] = {{"SESSION", "session", 't'}, {"THEME", "theme", 't'},
                                        {"METHOD", "method", 't'},   {"WHEN", "when", 't'},
                                        {"SESSION STATUS", "session_status", 't'},
                                        {"STATUS", "status", 't'},   {"POSITION", "position", 't'}};

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
        if (!cli->format || !strcmp(cli->format, "text"))
            printf("%s (%s): %s of %s places taken, %s on the waitlist\n", s, st, reg, cap, wait);
        cli_names_table(cli, rows, s_reg_cols, 3);
    } else
        cli_table(cli, s_mine_cols, 7, rows);
}

/* ==== Verbs ============================================================= */

/*  Pack the flags with one extra pair and run op. */
static int s_send(cli_t *cli, const char *op, const char *const *specs, const char *key,
                  const char *value, bool write, void (*print)(cli_t *, const msgpack_object *))
{
    const char *extra[] = {key, value, NULL};
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, key ? extra : NULL);
    if (rc == 0)
        rc = cli_run(cli, "scheduling", op, &args, write, print);
    sm_buf_free(&args);
    return rc;
}

/*  The verbs: each returns the exit code (cli.h). */
static int s_plan(cli_t *cli)
{
    if (!cli_has(cli, "theme") || !cli_has(cli, "method"))
        return cli_usage_error(cli, "session plan needs --theme and --method, and --start/--end "
                                    "or --period");
    return s_send(cli, "session.plan", s_specs, NULL, NULL, true, s_print_planned);
}

static int s_update(cli_t *cli)
{
    if (cli_has(cli, "theme"))
        return cli_usage_error(cli, "a session stays with its theme; plan a new one instead");
    return s_send(cli, "session.update", s_specs, "session", cli->pos[0], true, s_print_one);
}

static int s_confirm(cli_t *cli)
{
    return s_send(cli, "session.confirm", NULL, "session", cli->pos[0], true, s_print_status);
}

static int s_hold(cli_t *cli)
{
    return s_send(cli, "session.hold", NULL, "session", cli->pos[0], true, s_print_status);
}

static int s_cancel(cli_t *cli)
{
    return s_send(cli, "session.cancel", NULL, "session", cli->pos[0], true, s_print_status);
}

static int s_show(cli_t *cli)
{
    return s_send(cli, "session.get", NULL, "session", cli->pos[0], false, s_print_one);
}

static int s_list(cli_t *cli)
{
    static const char *specs[] = {"theme", "status", "from", "to", "limit::i", "after", NULL};
    static const char *ics_specs[] = {"theme", "status", "from", "to", NULL};
    if (cli->format && strcmp(cli->format, "ics") == 0) {
        if (cli_has(cli, "limit") || cli_has(cli, "after"))
            return cli_usage_error(cli, "a calendar holds every matching session; narrow it "
                                        "with --from/--to, --theme or --status");
        return s_send(cli, "session.calendar", ics_specs, NULL, NULL, false, s_print_calendar);
    }
    if (cli->format && strcmp(cli->format, "html") == 0)
        return cli_usage_error(cli, "session list prints text, csv, md or ics");
    return s_send(cli, "session.list", specs, NULL, NULL, false, s_print_list);
}

/*  {session, participant} from the two positional arguments. */
static int s_pair(cli_t *cli, const char *op, bool write,
                  void (*print)(cli_t *, const msgpack_object *))
{
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 2);
    sm_pack_kv_str(&args.pk, "session", cli->pos[0]);
    sm_pack_kv_str(&args.pk, "participant", cli->pos[1]);
    int rc = cli_run(cli, "scheduling", op, &args, write, print);
    sm_buf_free(&args);
    return rc;
}

static int s_register(cli_t *cli)
{
    return s_pair(cli, "registration.create", true, s_print_registered);
}

static int s_unregister(cli_t *cli)
{
    return s_pair(cli, "registration.cancel", true, s_print_unregistered);
}

static int s_registrations(cli_t *cli)
{
    static const char *specs[] = {"participant", "all::b", NULL};
    if ((cli->npos == 1) == cli_has(cli, "participant"))
        return cli_usage_error(cli, "give a session (S3) or --participant P4");
    return s_send(cli, "registration.list", specs, cli->npos ? "session" : NULL,
                  cli->npos ? cli->pos[0] : NULL, false, s_print_registrations);
}

static const cli_opt_t s_plan_opts[] = {{"theme", true, false},
                                        {"method", true, false},
                                        {"title", true, false},
                                        {"question", true, false},
                                        {"start", true, false},
                                        {"end", true, false},
                                        {"period", true, false},
                                        {"tentative", false, false},
                                        {"location", true, false},
                                        {"location-kind", true, false},
                                        {"capacity", true, false},
                                        {"reimbursement", true, false},
                                        {"facilitator", true, false},
                                        {"tasks", true, false},
                                        {"target-group", true, false},
                                        {"municipality", true, false},
                                        {"follow-up-of", true, false},
                                        {"allow-double-booking", false, false},
                                        {"times-a-year", true, false},
                                        {"every-months", true, false},
                                        {"every-weeks", true, false},
                                        {"count", true, false},
                                        {NULL, 0, 0}};
static const cli_opt_t s_update_opts[] = {{"method", true, false},
                                          {"title", true, false},
                                          {"question", true, false},
                                          {"start", true, false},
                                          {"end", true, false},
                                          {"period", true, false},
                                          {"tentative", false, false},
                                          {"location", true, false},
                                          {"location-kind", true, false},
                                          {"capacity", true, false},
                                          {"reimbursement", true, false},
                                          {"facilitator", true, false},
                                          {"tasks", true, false},
                                          {"target-group", true, false},
                                          {"municipality", true, false},
                                          {"follow-up-of", true, false},
                                          {"allow-double-booking", false, false},
                                          {NULL, 0, 0}};
static const cli_opt_t s_list_opts[] = {{"theme", true, false}, {"status", true, false},
                                        {"from", true, false},  {"to", true, false},
                                        {"limit", true, false}, {"after", true, false},
                                        {NULL, 0, 0}};
static const cli_opt_t s_regs_opts[] = {{"participant", true, false}, {"all", false, false},
                                        {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "plan",
     .fn = s_plan,
     .opts = s_plan_opts,
     .usage = "session plan --theme T-ID --method CODE (--start TIME --end TIME | --period P) "
         "[--title X] [--question Q] [--tentative] [--location X] [--location-kind "
         "address|online|on_site] [--capacity N] [--reimbursement EUR] [--facilitator ID[,ID]] "
         "[--tasks T[,T]] [--target-group G[,G]] [--municipality M[,M]] [--follow-up-of S-ID] "
         "[--allow-double-booking] [--times-a-year N | --every-months N | --every-weeks N] "
         "[--count N]",
     .summary = "Plan a session. Methods: FG focus group, I interviews, SB mirror meeting, E survey, KB "
         "sounding-board group, WB work visit, T test session, C cafe, N network meeting. Times are "
         "Amsterdam time (2020-03-12T19:00); a period is 2020-03, 2020-Q2 or "
         "2019-09-01..2019-11-30. --tentative marks it onder voorbehoud (ovb). Support tasks: "
         "recruitment, facilitation, minutes, feedback, programme, contacts, handover. A rhythm "
         "with --count plans a recurring series (one session per meeting). A facilitator booked "
         "at the same time is refused unless --allow-double-booking.",
     .example = "samenctl session plan --theme T1 --method FG --start 2020-03-12T19:00 --end "
         "2020-03-12T21:00 --capacity 10 --facilitator P7 --target-group \"foster parents\" "
         "--location \"Town hall, Hilversum\""},
    {.verb = "update",
     .fn = s_update,
     .opts = s_update_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "session update S-ID [flags as plan]",
     .summary = "Change or reschedule a session. A raised capacity moves the waitlist up; a held session "
         "keeps its time and only its description can change.",
     .example = "samenctl session update S3 --start 2020-03-19T19:00 --end 2020-03-19T21:00"},
    {.verb = "confirm",
     .fn = s_confirm,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "session confirm S-ID",
     .summary = "Confirm a planned session (clears ovb). It needs an exact start and end.",
     .example = "samenctl session confirm S3"},
    {.verb = "hold",
     .fn = s_hold,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "session hold S-ID",
     .summary = "Record that the session took place; then attendance can be recorded.",
     .example = "samenctl session hold S3"},
    {.verb = "cancel",
     .fn = s_cancel,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "session cancel S-ID",
     .summary = "Call a session off. A held session cannot be cancelled.",
     .example = "samenctl session cancel S3"},
    {.verb = "show",
     .fn = s_show,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "session show S-ID",
     .summary = "One session with all its fields and how many places are taken.",
     .example = "samenctl session show S3"},
    {.verb = "list",
     .fn = s_list,
     .opts = s_list_opts,
     .usage = "session list [--theme T-ID] [--status S] [--from DATE] [--to DATE] [--limit N] "
         "[--after S-ID] [--format csv|md|ics]",
     .summary = "Sessions, oldest ID first. With --format ics: an iCalendar (RFC 5545) file of the "
         "sessions that have an exact time, for the website or a calendar program.",
     .example = "samenctl session list --from 2020-01-01 --to 2020-06-30 --format ics > sessions.ics"},
    {.verb = "register",
     .fn = s_register,
     .min_pos = 2,
     .max_pos = 2,
     .usage = "session register S-ID P-ID",
     .summary = "Register a participant: a place while there is one, else the waitlist (in order). The "
         "participant must be active in the address file and have given consent.",
     .example = "samenctl session register S3 P12"},
    {.verb = "unregister",
     .fn = s_unregister,
     .min_pos = 2,
     .max_pos = 2,
     .usage = "session unregister S-ID P-ID",
     .summary = "Cancel a registration; the first on the waitlist takes the place.",
     .example = "samenctl session unregister S3 P12"},
    {.verb = "registrations",
     .fn = s_registrations,
     .opts = s_regs_opts,
     .max_pos = 1,
     .usage = "session registrations S-ID [--all] | session registrations --participant P-ID",
     .summary = "Who is registered and who waits, with names from intake when it can tell (--all adds "
         "cancelled ones); or the sessions of one participant.",
     .example = "samenctl session registrations S3"},
    {0}};

const cli_noun_t cli_noun_session = {"session", "sessions: plan, confirm, hold, cancel, register",
                                     s_verbs};
