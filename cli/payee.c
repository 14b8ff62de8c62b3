/*  cli/payee.c - samenctl payee: a participant's bank account for
    reimbursements (finance). The IBAN is shown masked only. Verbs and
    flags come from finance's declarations. */
#include "cli.h"
#include "nouns.h"

static const cli_verb_t s_verbs[] = {
    {.verb = "set",
     .print = cli_fields,
     .example = "samenctl payee set P12 --iban \"NL91 ABNA 0417 1643 00\""},
    {.verb = "show", .print = cli_fields, .example = "samenctl payee show P12"},
    {.verb = "remove", .print = cli_fields, .example = "samenctl payee remove P12"},
    {0}};

const cli_noun_t cli_noun_payee = {"payee", N_("participants' bank accounts for reimbursements"),
                                   s_verbs};
