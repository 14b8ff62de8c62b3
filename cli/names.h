/*  cli/names.h - participants' names for display, asked from intake.

    scheduling knows participants by ID only (intake is the only holder of
    names). Where a person reads a list of participants (registrations,
    invitations, attendance) samenctl asks intake for each name with
    `participant.get {"participant": "P4"}` and shows it beside the ID.
    When intake is not running, or does not answer that op, the lists show
    IDs only: a name is a convenience, never a reason to fail. Names are
    printed, never logged or sent anywhere else.

        cli_names_t *names = cli_names_new (cli);
        printf ("%s %s\n", "P4", cli_names_get (names, "P4"));   //  "" when unknown
        cli_names_destroy (&names);
*/
#ifndef SAMEN_CLI_NAMES_H
#define SAMEN_CLI_NAMES_H

#include "cli.h"

typedef struct _cli_names_t cli_names_t;

/*  A lookup over cli's broker connection. Returns NULL only when out of
    memory (then every name is ""). */
cli_names_t *cli_names_new(cli_t *cli);

/*  Destroy; sets *self_p to NULL; safe on NULL and twice. */
void cli_names_destroy(cli_names_t **self_p);

/*  The name of participant id ("P4"), or "" when unknown or when intake
    cannot tell. The string is valid until the lookup is destroyed. */
const char *cli_names_get(cli_names_t *self, const char *id);

/*  True once a name was found: callers show a NAME column only then. */
bool cli_names_any(cli_names_t *self, const msgpack_object *rows, const char *key);

/*  cli_table for rows of participants (maps with a "participant" ID): a
    NAME column follows the first column when intake knows any of the
    names; otherwise the table is printed as is. */
void cli_names_table(cli_t *cli, const msgpack_object *rows, const cli_col_t *cols, int ncols);

#endif
