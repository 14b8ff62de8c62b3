/*  cli/agenda.c - samenctl agenda show|grid: the annual agenda and the
    planning grid (scheduling). Verbs and flags come from scheduling's
    declarations; here is what a person reads back. */
#include "cli.h"
#include "common/i18n.h"
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

/*  Who adopted the agenda, when, by which decision; or that it still
    waits for the decision. */
static void s_print_adoptions(const msgpack_object *list)
{
    uint32_t n = list && list->type == MSGPACK_OBJECT_ARRAY ? list->via.array.size : 0;
    if (n == 0)
        printf("%s\n", _("Not adopted yet: subject to the portfolio holders' decision."));
    for (uint32_t i = 0; i < n; i++) {
        const msgpack_object *a = &list->via.array.ptr[i];
        char body[820], on[16], decision[820];
        printf(_("Adopted by %1$s on %2$s (decision %3$s).\n"),
               cli_text(sm_map_get(a, "body"), body, sizeof body),
               cli_text(sm_map_get(a, "adopted_on"), on, sizeof on),
               cli_text(sm_map_get(a, "decision"), decision, sizeof decision));
    }
}

/*  agenda show: a heading, whether it was adopted, then each theme with
    its sessions. */
static void s_print_show(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *themes = sm_map_get(data, "themes");
    char year[16];
    cli_text(sm_map_get(data, "year"), year, sizeof year);
    uint32_t n = themes && themes->type == MSGPACK_OBJECT_ARRAY ? themes->via.array.size : 0;
    printf("Agenda %s: %u theme%s\n", year, n, n == 1 ? "" : "s");
    s_print_adoptions(sm_map_get(data, "adoptions"));
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
        cli_put_safe(stdout, text->via.str.ptr, text->via.str.size, true);
}

/*  The grid in the format asked for (text by default; no calendar). */
static int s_grid(cli_t *cli)
{
    if (cli->format && strcmp(cli->format, "ics") == 0)
        return cli_usage_error(cli, _("the grid comes as text, csv, md or html; for a calendar "
                                    "use: samenctl session list --format ics"));
    int rc = cli_doc_format(cli, cli->decls[0], "text");
    return rc ? rc : cli_call_op(cli, cli->decls[0], s_print_grid);
}

/*  The overview for the portfolio holders, Markdown unless --format says
    html or csv. */
static int s_overview(cli_t *cli)
{
    int rc = cli_doc_format(cli, cli->decls[0], "md");
    return rc ? rc : cli_call_op(cli, cli->decls[0], s_print_grid);
}

static const cli_verb_t s_verbs[] = {
    {.verb = "show",
     .print = s_print_show,
     .summary = N_("The themes on a year's agenda, each with its sessions in that year (time or "
                   "period, status, ovb for tentative), and who adopted the agenda when."),
     .example = "samenctl agenda show --year 2020"},
    {.verb = "adopt",
     .example = "samenctl agenda adopt --year 2020 --body \"Portefeuillehoudersoverleg Sociaal "
                "Domein\" --date 2019-10-03 --decision \"PHO 2019-10-03/4\""},
    {.verb = "grid",
     .fn = s_grid,
     .usage = "agenda grid --from YYYY-MM --to YYYY-MM [--format text|csv|md|html]",
     .summary = N_("The planning grid: a row per theme, a column per month, the method codes of the "
                "sessions planned in each month (FG I SB E KB WB T C N). \"ovb\" marks a "
                "tentative session, \"?\" one known only by a quarter or range (shown in every "
                "month it covers)."),
     .example = "samenctl agenda grid --from 2019-10 --to 2020-06 --format md"},
    {.verb = "overview",
     .fn = s_overview,
     .usage = "agenda overview --from YYYY-MM --to YYYY-MM [--format md|html|csv]",
     .summary = N_("The agenda for the portfolio holders (PHO), subject to decision-making: per "
                "theme the project leader, the dates or periods of its sessions, the methods "
                "and the support the coordinator gives."),
     .example = "samenctl agenda overview --from 2019-10 --to 2020-06 --format html > pho.html"},
    {0}};

const cli_noun_t cli_noun_agenda = {"agenda", N_("the annual agenda and the planning grid"), s_verbs};
