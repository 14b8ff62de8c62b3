/*  cli/attendance.c - samenctl attendance record|list: who came to a held session.

    Recorded attendance is what finance pays reimbursements on and what
    reporting counts; it is recorded once the session is held, and not
    changed afterwards.
*/
#include "cli.h"
#include "names.h"
#include "nouns.h"
#include <string.h>

/*  What was recorded and the session's totals. */
static void s_print_recorded(cli_t *cli, const msgpack_object *data)
{
    char s[24], rec[16], same[16], att[16], no[16];
    printf("%s: recorded %s (%s unchanged); in all %s attended, %s did not come\n",
           cli_text(sm_map_get(data, "session"), s, sizeof s),
           cli_text(sm_map_get(data, "recorded"), rec, sizeof rec),
           cli_text(sm_map_get(data, "unchanged"), same, sizeof same),
           cli_text(sm_map_get(data, "attended"), att, sizeof att),
           cli_text(sm_map_get(data, "no_show"), no, sizeof no));
}

/*  Attendance names who came, who did not, or both. */
static int s_someone(cli_t *cli)
{
    if (!cli_has(cli, "attended") && !cli_has(cli, "no-show"))
        return cli_usage_error(cli, _("attendance record needs --attended and/or --no-show"));
    return 0;
}

static const cli_col_t s_cols[] = {{N_("PARTICIPANT"), "participant", 't'},
                                   {N_("ATTENDED"), "attended", 't'},
                                   {N_("WALK-IN"), "walk_in", 't'}};

/*  Totals, the table with names, and who is still to be recorded. */
static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    char s[24], st[32], on[16], att[16], no[16], open[2048];
    bool text = !cli->format || !strcmp(cli->format, "text");
    const msgpack_object *held_on = sm_map_get(data, "held_on");
    if (text)
        printf("%s (%s%s%s): %s attended, %s did not come\n",
               cli_text(sm_map_get(data, "session"), s, sizeof s),
               cli_text(sm_map_get(data, "status"), st, sizeof st),
               held_on && held_on->type == MSGPACK_OBJECT_STR ? " on " : "",
               cli_text(held_on, on, sizeof on),
               cli_text(sm_map_get(data, "attended"), att, sizeof att),
               cli_text(sm_map_get(data, "no_show"), no, sizeof no));
    cli_names_table(cli, sm_map_get(data, "entries"), s_cols, 3);
    cli_text(sm_map_get(data, "not_recorded"), open, sizeof open);
    if (text && open[0])
        printf("not recorded yet: %s\n", open);
}

static const cli_verb_t s_verbs[] = {
    {.verb = "record",
     .check = s_someone,
     .print = s_print_recorded,
     .summary = N_("Record who attended a held session and who did not come. Registered (and "
                "waitlisted) participants can be recorded; --walk-in allows attended "
                "participants who came without registering. Attendance is not changed once "
                "recorded; finance pays the session's reimbursement to those who attended."),
     .example = "samenctl attendance record S3 --attended P4,P9 --no-show P12"},
    {.verb = "list", .print = s_print_list, .example = "samenctl attendance list S3"},
    {0}};

const cli_noun_t cli_noun_attendance = {"attendance", N_("who came to a held session"), s_verbs};
