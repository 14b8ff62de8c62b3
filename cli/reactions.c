/*  cli/reactions.c - samenctl report reactions R9: what residents said back
    about a published report. See cli/printers.h. */
#include "printers.h"
#include "common/i18n.h"
#include <string.h>

static const cli_col_t s_cols[] = {{N_("PARTICIPANT"), "participant", 't'},
                                   {N_("RECEIVED"), "received_on", 't'},
                                   {N_("ERASED"), "erased", 't'},
                                   {N_("TEXT"), "text", 't'}};

void cli_print_reactions(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *list = sm_map_get(data, "reactions");
    const msgpack_object *shown = sm_map_get(data, "texts_shown");
    bool texts = shown && shown->type == MSGPACK_OBJECT_BOOLEAN && shown->via.boolean;
    uint32_t n = list && list->type == MSGPACK_OBJECT_ARRAY ? list->via.array.size : 0;
    if (cli->format && strcmp(cli->format, "text") != 0) {
        cli_table(cli, s_cols, 4, list);
        return;
    }
    char r[24], s[24], t[24];
    printf(Q_("%1$s (session %2$s, theme %3$s): %4$u reaction\n",
              "%1$s (session %2$s, theme %3$s): %4$u reactions\n", n),
           cli_text(sm_map_get(data, "report"), r, sizeof r),
           cli_text(sm_map_get(data, "session"), s, sizeof s),
           cli_text(sm_map_get(data, "theme"), t, sizeof t), n);
    for (uint32_t i = 0; i < n; i++) {
        const msgpack_object *it = &list->via.array.ptr[i];
        const msgpack_object *erased = sm_map_get(it, "erased");
        const msgpack_object *words = sm_map_get(it, "text");
        char who[24], on[16];
        printf("\n");
        printf(_("%1$s on %2$s:\n"), cli_text(sm_map_get(it, "participant"), who, sizeof who),
               cli_text(sm_map_get(it, "received_on"), on, sizeof on));
        if (erased && erased->type == MSGPACK_OBJECT_BOOLEAN && erased->via.boolean)
            printf("    %s\n", _("(erased with the participant)"));
        else if (words && words->type == MSGPACK_OBJECT_STR) {
            fputs("    ", stdout);
            //  The resident's words as they wrote them, escaped; lines indented.
            const char *p = words->via.str.ptr, *end = p + words->via.str.size;
            while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
                cli_put_safe(stdout, p, len, false);
                p += len;
                if (nl) {
                    fputs("\n    ", stdout);
                    p++;
                }
            }
            putchar('\n');
        }
    }
    if (!texts && n)
        printf("\n%s\n", _("Their words are shown to the coordinator and admin only."));
}
