/*  cli/agenda.c - samenctl agenda show|grid: the annual agenda and the planning grid. */
#include "cli.h"
#include "nouns.h"
#include <string.h>

/*  One theme of agenda show: a heading line, then its sessions indented. */
static void s_print_theme(const msgpack_object *item)
{
    const msgpack_object *t = sm_map_get(item, "theme");
    const msgpack_object *sessions = sm_map_get(item, "sessions");
    char id[24], title[512], domain[64], phase[64], scope[32], munis[256], status[32];
    cli_text(sm_map_get(t, "id"), id, sizeof id);
    cli_text(sm_map_get(t, "title"), title, sizeof title);
    cli_text(sm_map_get(t, "domain"), domain, sizeof domain);
    cli_text(sm_map_get(t, "phase"), phase, sizeof phase);
    cli_text(sm_map_get(t, "scope"), scope, sizeof scope);
    cli_text(sm_map_get(t, "municipalities"), munis, sizeof munis);
    cli_text(sm_map_get(t, "status"), status, sizeof status);
    printf("%s  %s  (%s, %s, %s%s%s%s%s)\n", id, title, domain, phase, scope, munis[0] ? ": " : "",
           munis, strcmp(status, "active") ? ", " : "", strcmp(status, "active") ? status : "");
    uint32_t n = sessions && sessions->type == MSGPACK_OBJECT_ARRAY ? sessions->via.array.size : 0;
    if (n == 0)
        printf("    no sessions planned this year\n");
    for (uint32_t i = 0; i < n; i++) {
        const msgpack_object *s = &sessions->via.array.ptr[i];
        char sid[24], method[8], when[64], st[32], stitle[512];
        cli_text(sm_map_get(s, "id"), sid, sizeof sid);
        cli_text(sm_map_get(s, "method"), method, sizeof method);
        cli_text(sm_map_get(s, "when"), when, sizeof when);
        cli_text(sm_map_get(s, "status"), st, sizeof st);
        cli_text(sm_map_get(s, "title"), stitle, sizeof stitle);
        const msgpack_object *ovb = sm_map_get(s, "tentative");
        bool tentative = ovb && ovb->type == MSGPACK_OBJECT_BOOLEAN && ovb->via.boolean;
        printf("    %-5s %-3s %-35s %s%s%s%s\n", sid, method, when, st, tentative ? " ovb" : "",
               stitle[0] ? "  " : "", stitle);
    }
}

/*  agenda show: a heading, then each theme with its sessions. */
static void s_print_show(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *themes = sm_map_get(data, "themes");
    char year[16];
    cli_text(sm_map_get(data, "year"), year, sizeof year);
    uint32_t n = themes && themes->type == MSGPACK_OBJECT_ARRAY ? themes->via.array.size : 0;
    printf("Agenda %s: %u theme%s\n", year, n, n == 1 ? "" : "s");
    for (uint32_t i = 0; i < n; i++) {
        printf("\n");
        s_print_theme(&themes->via.array.ptr[i]);
    }
}

/*  The grid exactly as the service rendered it. */
static void s_print_grid(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *text = sm_map_get(data, "text");
    if (text && text->type == MSGPACK_OBJECT_STR)
        fwrite(text->via.str.ptr, 1, text->via.str.size, stdout);
}

/*  The verbs: each returns the exit code (cli.h). */
static int s_show(cli_t *cli)
{
    static const char *specs[] = {"year::i", NULL};
    if (!cli_has(cli, "year"))
        return cli_usage_error(cli, "agenda show needs --year");
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, NULL);
    if (rc == 0)
        rc = cli_run(cli, "scheduling", "agenda.show", &args, false, s_print_show);
    sm_buf_free(&args);
    return rc;
}

static int s_grid(cli_t *cli)
{
    static const char *specs[] = {"from", "to", NULL};
    if (!cli_has(cli, "from") || !cli_has(cli, "to"))
        return cli_usage_error(cli, "agenda grid needs --from and --to (months such as 2019-10)");
    const char *format = cli->format ? cli->format : "text";
    if (strcmp(format, "ics") == 0)
        return cli_usage_error(cli, "the grid comes as text, csv, md or html; for a calendar "
                                    "use: samenctl session list --format ics");
    const char *extra[] = {"format", format, NULL};
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, extra);
    if (rc == 0)
        rc = cli_run(cli, "scheduling", "agenda.grid", &args, false, s_print_grid);
    sm_buf_free(&args);
    return rc;
}

static int s_overview(cli_t *cli)
{
    static const char *specs[] = {"from", "to", NULL};
    if (!cli_has(cli, "from") || !cli_has(cli, "to"))
        return cli_usage_error(cli,
                               "agenda overview needs --from and --to (months such as 2019-10)");
    const char *format = cli->format && strcmp(cli->format, "text") != 0 ? cli->format : "md";
    if (strcmp(format, "md") != 0 && strcmp(format, "html") != 0 && strcmp(format, "csv") != 0)
        return cli_usage_error(cli, "the agenda overview comes as md, html or csv, not %s", format);
    const char *extra[] = {"format", format, NULL};
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, extra);
    if (rc == 0)
        rc = cli_run(cli, "scheduling", "agenda.overview", &args, false, s_print_grid);
    sm_buf_free(&args);
    return rc;
}

static const cli_opt_t s_show_opts[] = {{"year", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_grid_opts[] = {{"from", true, false}, {"to", true, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {"show", s_show, s_show_opts, 0, 0, "agenda show --year YEAR",
     "The themes on a year's agenda, each with its sessions in that year (time or period, "
     "status, ovb for tentative).",
     "samenctl agenda show --year 2020"},
    {"grid", s_grid, s_grid_opts, 0, 0,
     "agenda grid --from YYYY-MM --to YYYY-MM [--format text|csv|md|html]",
     "The planning grid: a row per theme, a column per month, the method codes of the sessions "
     "planned in each month (FG I SB E KB WB T C N). \"ovb\" marks a tentative session, \"?\" one "
     "known only by a quarter or range (shown in every month it covers).",
     "samenctl agenda grid --from 2019-10 --to 2020-06 --format md"},
    {"overview", s_overview, s_grid_opts, 0, 0,
     "agenda overview --from YYYY-MM --to YYYY-MM [--format md|html|csv]",
     "The agenda for the portfolio holders (PHO), subject to decision-making: per theme the "
     "project leader, the dates or periods of its sessions, the methods and the support the "
     "coordinator gives.",
     "samenctl agenda overview --from 2019-10 --to 2020-06 --format html > pho.html"},
    {NULL, NULL, NULL, 0, 0, NULL, NULL, NULL}};

const cli_noun_t cli_noun_agenda = {"agenda", "the annual agenda and the planning grid", s_verbs};
