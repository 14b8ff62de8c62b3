/*  cli/review.c - samenctl participant review: who in the address file is
    due for a renewed consent or a call (adresbestand actueel). See
    cli/printers.h. */
#include "printers.h"
#include "common/i18n.h"
#include <string.h>

static const cli_col_t s_cols[] = {{N_("ID"), "id", 't'},
                                   {N_("NAME"), "name", 't'},
                                   {N_("PHONE"), "phone", 't'},
                                   {N_("E-MAIL"), "email", 't'},
                                   {N_("AGE"), "age_band", 't'},
                                   {N_("CONSENT GIVEN"), "consent_given", 't'},
                                   {N_("GUARDIAN"), "guardian", 't'},
                                   {N_("GUARDIAN CONSENT"), "guardian_consent_given", 't'},
                                   {N_("LAST CONTACT"), "last_contact", 't'},
                                   {N_("REASONS"), "reasons", 't'}};
/*  Without contact details (a role that may not see them). */
static const cli_col_t s_cols_plain[] = {{N_("ID"), "id", 't'},
                                         {N_("AGE"), "age_band", 't'},
                                         {N_("CONSENT GIVEN"), "consent_given", 't'},
                                         {N_("GUARDIAN CONSENT"), "guardian_consent_given",
                                          't'},
                                         {N_("LAST CONTACT"), "last_contact", 't'},
                                         {N_("REASONS"), "reasons", 't'}};

void cli_print_review(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *counts = sm_map_get(data, "counts");
    const msgpack_object *shown = sm_map_get(data, "contact_details_shown");
    bool details = shown && shown->type == MSGPACK_OBJECT_BOOLEAN && shown->via.boolean;
    if (!cli->format || strcmp(cli->format, "text") == 0) {
        char as_of[16], period[16], before[16], n[16], a[16], b[16], c[16], d[16], e[16];
        printf(_("Review of the address file on %1$s: consents and contacts older than %2$s "
                 "(before %3$s).\n"),
               cli_text(sm_map_get(data, "as_of"), as_of, sizeof as_of),
               cli_text(sm_map_get(data, "period"), period, sizeof period),
               cli_text(sm_map_get(data, "older_than"), before, sizeof before));
        printf(_("%1$s participants to look at: consent_old %2$s, guardian_consent_old %3$s, "
                 "guardian_consent_missing %4$s, no_contact %5$s, age_unknown %6$s.\n\n"),
               cli_text(sm_map_get(counts, "participants"), n, sizeof n),
               cli_text(sm_map_get(counts, "consent_old"), a, sizeof a),
               cli_text(sm_map_get(counts, "guardian_consent_old"), b, sizeof b),
               cli_text(sm_map_get(counts, "guardian_consent_missing"), c, sizeof c),
               cli_text(sm_map_get(counts, "no_contact"), d, sizeof d),
               cli_text(sm_map_get(counts, "age_unknown"), e, sizeof e));
    }
    if (details)
        cli_table(cli, s_cols, (int)(sizeof s_cols / sizeof s_cols[0]),
                  sm_map_get(data, "participants"));
    else
        cli_table(cli, s_cols_plain, (int)(sizeof s_cols_plain / sizeof s_cols_plain[0]),
                  sm_map_get(data, "participants"));
    cli_print_next(cli, data);
}
