/*  cli/hours.c - samenctl hours: hours worked per person, per week, per
    budget line (finance). Verbs and flags come from finance's declarations
    (hours.record, hours.list); here is what a person reads back, and the
    hours section of `budget show` (cli/finance_print.h). */
#include "cli/finance_print.h"
#include "common/date.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "nouns.h"
#include <stdio.h>
#include <string.h>

/*  "H19: AB worked 6 hours in 2020-W10 on L1 (T4), instead of 8; that
    makes 12 hours in that week." */
static void s_print_recorded(cli_t *cli, const msgpack_object *e)
{
    char id[24], h[48], w[24], line[24], theme[24], session[24], was[48], person[300], week[48],
        what[64];
    cli_text(sm_map_get(e, "id"), id, sizeof id);
    cli_x100(sm_map_get(e, "hours_x100"), h);
    cli_text(sm_map_get(e, "week"), w, sizeof w);
    cli_text(sm_map_get(e, "line"), line, sizeof line);
    cli_text(sm_map_get(e, "theme"), theme, sizeof theme);
    cli_text(sm_map_get(e, "session"), session, sizeof session);
    cli_x100(sm_map_get(e, "replaced_hours_x100"), was);
    cli_text(sm_map_get(e, "person"), person, sizeof person);
    cli_x100(sm_map_get(e, "person_week_hours_x100"), week);
    /*  The theme and the session are IDs: the same in every language. */
    snprintf(what, sizeof what, "%s%s%s", theme, theme[0] && session[0] ? ", " : "", session);
    if (what[0] && was[0])
        printf(_("%1$s: %2$s worked %3$s hours in %4$s on %5$s (%6$s), instead of %7$s; that "
                 "makes %8$s hours in that week.\n"),
               id, person, h, w, line, what, was, week);
    else if (what[0])
        printf(_("%1$s: %2$s worked %3$s hours in %4$s on %5$s (%6$s); that makes %7$s hours in "
                 "that week.\n"),
               id, person, h, w, line, what, week);
    else if (was[0])
        printf(_("%1$s: %2$s worked %3$s hours in %4$s on %5$s, instead of %6$s; that makes %7$s "
                 "hours in that week.\n"),
               id, person, h, w, line, was, week);
    else
        printf(_("%1$s: %2$s worked %3$s hours in %4$s on %5$s; that makes %6$s hours in that "
                 "week.\n"),
               id, person, h, w, line, week);
}

static const cli_col_t s_list_cols[] = {
    {N_("ID"), "id", 't'},       {N_("PERSON"), "person", 't'}, {N_("WEEK"), "week", 't'},
    {N_("LINE"), "line", 't'},   {N_("THEME"), "theme", 't'},   {N_("SESSION"), "session", 't'},
    {N_("HOURS"), "hours", 't'}, {N_("NOTE"), "note", 't'}};

/*  The entries with their hours as people write them, and a total row. */
static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *hours = sm_map_get(data, "hours");
    uint32_t n = hours && hours->type == MSGPACK_OBJECT_ARRAY ? hours->via.array.size : 0;
    sm_buf_t t;
    sm_buf_init(&t);
    msgpack_pack_array(&t.pk, n + 1);
    for (uint32_t i = 0; i <= n; i++) {
        const msgpack_object *e = i < n ? &hours->via.array.ptr[i] : NULL;
        char h[SM_L10N_NUMBER_SIZE];
        msgpack_pack_map(&t.pk, 8);
        static const char *const keys[] = {"id",    "person",  "week", "line",
                                           "theme", "session", "note"};
        for (int k = 0; k < 7; k++) {
            const msgpack_object *v = e ? sm_map_get(e, keys[k]) : NULL;
            sm_pack_str(&t.pk, keys[k]);
            if (v)
                sm_pack_obj(&t.pk, v);
            else if (!e && k == 0)
                sm_pack_str(&t.pk, "TOTAL");
            else
                msgpack_pack_nil(&t.pk);
        }
        sm_pack_kv_str(
            &t.pk, "hours",
            cli_x100(e ? sm_map_get(e, "hours_x100") : sm_map_get(data, "total_hours_x100"), h));
    }
    sm_doc_t *doc = cli_rows_doc(&t);
    if (doc)
        cli_table(cli, s_list_cols, 8, sm_doc_root(doc));
    sm_doc_destroy(&doc);
    cli_print_next(cli, data);
}

static const cli_col_t s_plan_cols[] = {{N_("LINE"), "id", 't'},
                                        {N_("NAME"), "name", 't'},
                                        {N_("PLANNED"), "planned", 't'},
                                        {N_("WORKED"), "worked", 't'},
                                        {N_("PLANNED SO FAR"), "to_date", 't'},
                                        {N_("WEEKS"), "weeks", 't'},
                                        {N_("WORKED VALUE"), "worked_cents", 'm'}};

void cli_print_budget_hours(cli_t *cli, const msgpack_object *data)
{
    if (cli->format && strcmp(cli->format, "text") != 0)
        return;
    const msgpack_object *lines = sm_map_get(data, "lines");
    uint32_t n = lines && lines->type == MSGPACK_OBJECT_ARRAY ? lines->via.array.size : 0, k = 0;
    for (uint32_t i = 0; i < n; i++) {
        const msgpack_object *p = sm_map_get(&lines->via.array.ptr[i], "planned_hours_x100");
        k += p && p->type != MSGPACK_OBJECT_NIL;
    }
    if (k == 0)
        return;
    char on[24], day[SM_L10N_DATE_SIZE], b[SM_L10N_NUMBER_SIZE];
    sm_date_t d;
    cli_text(sm_map_get(data, "on"), on, sizeof on);
    printf("\n");
    printf(_("hours planned and worked, weeks counted to %s\n"),
           sm_date_parse(on, &d, "on", NULL) == 0 ? sm_l10n_date_long(d, day) : on);
    const msgpack_object *totals = sm_map_get(data, "totals");
    sm_buf_t t;
    sm_buf_init(&t);
    msgpack_pack_array(&t.pk, k + 1);
    for (uint32_t i = 0; i < n; i++) {
        const msgpack_object *l = &lines->via.array.ptr[i];
        const msgpack_object *p = sm_map_get(l, "planned_hours_x100");
        if (!p || p->type == MSGPACK_OBJECT_NIL)
            continue;
        const msgpack_object *ahead = sm_map_get(l, "ahead"),
                             *over = sm_map_get(l, "hours_exceeded");
        char id[32], name[400];
        cli_text(sm_map_get(l, "id"), id, sizeof id);
        if ((ahead && ahead->type == MSGPACK_OBJECT_BOOLEAN && ahead->via.boolean) ||
            (over && over->type == MSGPACK_OBJECT_BOOLEAN && over->via.boolean))
            strncat(id, " !", sizeof id - strlen(id) - 1);
        msgpack_pack_map(&t.pk, 7);
        sm_pack_kv_str(&t.pk, "id", id);
        sm_pack_kv_str(&t.pk, "name", cli_text(sm_map_get(l, "name"), name, sizeof name));
        sm_pack_kv_str(&t.pk, "planned", cli_x100(p, b));
        sm_pack_kv_str(&t.pk, "worked", cli_x100(sm_map_get(l, "worked_hours_x100"), b));
        sm_pack_kv_str(&t.pk, "to_date", cli_x100(sm_map_get(l, "planned_to_date_hours_x100"), b));
        sm_pack_kv_str(&t.pk, "weeks", cli_x100(sm_map_get(l, "weeks_elapsed_x100"), b));
        sm_pack_str(&t.pk, "worked_cents");
        sm_pack_obj(&t.pk, sm_map_get(l, "worked_cents"));
    }
    msgpack_pack_map(&t.pk, 4);
    sm_pack_kv_str(&t.pk, "id", "TOTAL");
    sm_pack_kv_str(&t.pk, "planned", cli_x100(sm_map_get(totals, "planned_hours_x100"), b));
    sm_pack_kv_str(&t.pk, "worked", cli_x100(sm_map_get(totals, "worked_hours_x100"), b));
    sm_pack_kv_nil(&t.pk, "worked_cents");
    sm_doc_t *doc = cli_rows_doc(&t);
    if (doc)
        cli_table(cli, s_plan_cols, 7, sm_doc_root(doc));
    sm_doc_destroy(&doc);
    bool first = true;
    for (uint32_t i = 0; i < n; i++) {
        const msgpack_object *m = sm_map_get(&lines->via.array.ptr[i], "hours_message");
        char id[24], msg[600];
        if (!m || m->type != MSGPACK_OBJECT_STR)
            continue;
        if (first)
            printf("\n! %s\n", _("hours:"));
        first = false;
        printf("  %s: %s\n", cli_text(sm_map_get(&lines->via.array.ptr[i], "id"), id, sizeof id),
               cli_text(m, msg, sizeof msg));
    }
}

static const cli_verb_t s_verbs[] = {
    {.verb = "record",
     .print = s_print_recorded,
     .example = "samenctl hours record AB --week 2020-W10 --line L7 --hours 12 --theme T4"},
    {.verb = "list",
     .print = s_print_list,
     .example = "samenctl hours list --person AB --year 2020"},
    {0}};

const cli_noun_t cli_noun_hours = {
    "hours", "hours worked per person and week on the budget's lines", s_verbs};
