/*  cli/yardstick.c - samenctl yardstick: the quality manifesto's checklist
    (meetlat) per theme or decision, and what is not filled in yet
    (reporting). Verbs and flags come from reporting's declarations; here
    is what a person reads back. */
#include "cli.h"
#include "nouns.h"

static const cli_col_t s_cols[] = {{N_("NR"), "principle", 't'},
                                   {N_("PRINCIPLE"), "text", 't'},
                                   {N_("SCORE"), "score_text", 't'},
                                   {N_("NOTE"), "note", 't'}};

static const cli_col_t s_checklist_cols[] = {{N_("NR"), "principle", 't'},
                                             {N_("PRINCIPLE"), "text", 't'}};

static const cli_col_t s_theme_cols[] = {{N_("THEME"), "id", 't'},
                                         {N_("TITLE"), "title", 't'},
                                         {N_("FILLED IN"), "answered", 't'}};

static const cli_col_t s_decision_cols[] = {{N_("DECISION"), "id", 't'},
                                            {N_("THEME"), "theme", 't'},
                                            {N_("DATE"), "date", 't'},
                                            {N_("TITLE"), "title", 't'},
                                            {N_("FILLED IN"), "answered", 't'}};

/*  A theme's or decision's yardstick: how far it is filled in, then a row
    per principle. */
static void s_print_one(cli_t *cli, const msgpack_object *data)
{
    char subject[32], title[512], answered[16], of[16];
    cli_text(sm_map_get(data, "subject"), subject, sizeof subject);
    cli_text(sm_map_get(data, "title"), title, sizeof title);
    cli_text(sm_map_get(data, "answered"), answered, sizeof answered);
    cli_text(sm_map_get(data, "of"), of, sizeof of);
    /*  TRANSLATORS: the heading of a theme's or decision's yardstick:
        "T4 Wmo-taxi: 4 of 6 principles filled in". */
    printf(_("%1$s %2$s: %3$s of %4$s principles filled in\n"), subject, title, answered, of);
    cli_table(cli, s_cols, 4, sm_map_get(data, "principles"));
}

static void s_print_checklist(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_checklist_cols, 2, sm_map_get(data, "principles"));
}

/*  The themes and decisions whose yardstick is not complete. */
static void s_print_missing(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *themes = sm_map_get(data, "themes");
    const msgpack_object *decisions = sm_map_get(data, "decisions");
    uint32_t nt = themes && themes->type == MSGPACK_OBJECT_ARRAY ? themes->via.array.size : 0;
    uint32_t nd = decisions && decisions->type == MSGPACK_OBJECT_ARRAY
                      ? decisions->via.array.size
                      : 0;
    char year[16], of[16];
    cli_text(sm_map_get(data, "year"), year, sizeof year);
    cli_text(sm_map_get(data, "of"), of, sizeof of);
    if (nt == 0 && nd == 0) {
        if (year[0])
            printf(_("Every theme and decision of %s has its yardstick filled in.\n"), year);
        else
            printf("%s\n", _("Every theme and decision has its yardstick filled in."));
        return;
    }
    if (nt > 0) {
        /*  TRANSLATORS: over the table of themes; the number of principles. */
        printf(_("Themes whose yardstick is not filled in (of %s principles):\n"), of);
        cli_table(cli, s_theme_cols, 3, themes);
    }
    if (nd > 0) {
        printf(_("%sDecisions whose yardstick is not filled in (of %s principles):\n"),
               nt > 0 ? "\n" : "", of);
        cli_table(cli, s_decision_cols, 5, decisions);
    }
}

static const cli_verb_t s_verbs[] = {
    {.verb = "record",
     .print = s_print_one,
     .example = "samenctl yardstick record D2 --principle 1 --score ja --note \"Users chose the "
                "questions\""},
    {.verb = "show", .print = s_print_one, .example = "samenctl yardstick show D2"},
    {.verb = "missing", .print = s_print_missing, .example = "samenctl yardstick missing --year 2020"},
    {.verb = "checklist", .print = s_print_checklist, .example = "samenctl yardstick checklist"},
    {0}};

const cli_noun_t cli_noun_yardstick = {
    "yardstick",
    N_("the quality manifesto's yardstick (meetlat) per theme or decision"), s_verbs};
