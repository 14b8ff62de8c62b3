/*  cli/printers.h - what samenctl prints for the coordinator's lists that
    are read by people rather than scripts: a session's practical needs
    (cli/needs.c), the review of the address file (cli/review.c) and the
    residents' reactions to a report (cli/reactions.c). Each prints the
    reply's data (--json prints the reply itself instead); the tables follow
    --format csv|md|html. */
#ifndef SAMEN_CLI_PRINTERS_H
#define SAMEN_CLI_PRINTERS_H

#include "cli.h"

/*  participant needs S31: the counts per need, then who needs what. */
void cli_print_needs(cli_t *cli, const msgpack_object *data);

/*  participant review: the rule applied, the counts, one row per person. */
void cli_print_review(cli_t *cli, const msgpack_object *data);

/*  report reactions R9: who reacted when, and their words when shown. */
void cli_print_reactions(cli_t *cli, const msgpack_object *data);

#endif
