/*  cli/needs.c - samenctl participant needs S31: what the people registered
    for a session need to take part (the taxi, the interpreter, the room).
    See cli/printers.h. */
#include "printers.h"
#include "common/i18n.h"
#include <string.h>

static const cli_col_t s_count_cols[] = {{N_("NEED"), "need", 't'},
                                         {N_("REGISTERED"), "registered", 't'},
                                         {N_("WAITLIST"), "waitlisted", 't'}};
static const cli_col_t s_people_cols[] = {{N_("PARTICIPANT"), "participant", 't'},
                                          {N_("STATUS"), "status", 't'},
                                          {N_("NAME"), "name", 't'},
                                          {N_("PHONE"), "phone", 't'},
                                          {N_("NEEDS"), "needs", 't'}};

void cli_print_needs(cli_t *cli, const msgpack_object *data)
{
    bool text = !cli->format || strcmp(cli->format, "text") == 0;
    const msgpack_object *people = sm_map_get(data, "people");
    const msgpack_object *missing = sm_map_get(data, "not_in_file");
    if (text) {
        char s[24], st[24], reg[16], wait[16], with[16];
        printf(_("%1$s (%2$s): %3$s registered, %4$s on the waitlist; %5$s of the registered "
                 "need something to take part.\n\n"),
               cli_text(sm_map_get(data, "session"), s, sizeof s),
               cli_text(sm_map_get(data, "session_status"), st, sizeof st),
               cli_text(sm_map_get(data, "registered"), reg, sizeof reg),
               cli_text(sm_map_get(data, "waitlisted"), wait, sizeof wait),
               cli_text(sm_map_get(data, "registered_with_needs"), with, sizeof with));
    }
    cli_table(cli, s_count_cols, 3, sm_map_get(data, "needs"));
    if (people && people->type == MSGPACK_OBJECT_ARRAY) {
        if (text)
            printf("\n%s\n", _("Who needs what:"));
        if (people->via.array.size)
            cli_table(cli, s_people_cols, 5, people);
        else if (text)
            printf("%s\n", _("Nobody registered has a need recorded."));
    } else if (text)
        printf("\n%s\n", _("Who needs what is shown to the coordinator and admin only."));
    if (text && missing && missing->type == MSGPACK_OBJECT_ARRAY && missing->via.array.size) {
        char ids[1024];
        printf("\n");
        printf(_("Not in the address file (erased): %s\n"), cli_text(missing, ids, sizeof ids));
    }
}
