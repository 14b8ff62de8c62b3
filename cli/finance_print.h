/*  cli/finance_print.h - what a person reads of finance's money as decided,
    hours as worked and several years side by side. The printers are shared
    by the nouns that show them: finance (allocation, decide), budget
    (show, years) and hours (cli/hours.c).

    Text output adds headings and whole sentences; --format csv|md|html
    gives each document's main table only, so that it pastes elsewhere.
*/
#ifndef SAMEN_CLI_FINANCE_PRINT_H
#define SAMEN_CLI_FINANCE_PRINT_H

#include "cli.h"

/*  An allocation (allocation.get, allocation.decide): per municipality the
    computed, decided and invoiced contribution and the difference, a total
    row, the decision's reason, and the shortfall or surplus against the
    cost in a sentence. */
void cli_print_allocation(cli_t *cli, const msgpack_object *data);

/*  budget.show's hours section: per line planning hours, the hours planned,
    worked and planned so far, lines running ahead marked "!" and said
    why. Prints nothing when no line plans hours, or outside text. */
void cli_print_budget_hours(cli_t *cli, const msgpack_object *data);

/*  budget.show's funding section: the allocations that pay for the year,
    their cost against their contributions as decided, and the shortfall
    or surplus in a sentence. Text only. */
void cli_print_budget_funding(cli_t *cli, const msgpack_object *data);

/*  budget.years: a row per year and a total, the amounts rounded as the
    documents print them ("afgerond"). */
void cli_print_budget_years(cli_t *cli, const msgpack_object *data);

/*  Hundredths (of hours) as people write them: 1200 -> "12", 3750 ->
    "37.5" ("37,5" in Dutch); "" for nil. buf at least SM_L10N_NUMBER_SIZE
    (48) bytes. Returns buf. */
const char *cli_x100(const msgpack_object *o, char *buf);

/*  A whole number field of map (0 when absent or not a number). */
int64_t cli_int(const msgpack_object *map, const char *key);

/*  Parse the encoded array b into a document for cli_table (NULL on a
    programming error); frees b. The caller destroys the document. */
sm_doc_t *cli_rows_doc(sm_buf_t *b);

#endif
