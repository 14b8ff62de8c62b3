/*  cli/payee.c - samenctl payee set|show|remove: a participant's bank
    account for reimbursements. The IBAN is shown masked only. */
#include "cli.h"
#include "nouns.h"

static int s_send(cli_t *cli, const char *op, const char *const *specs, bool write,
                  void (*print)(cli_t *, const msgpack_object *))
{
    const char *extra[] = {"participant", cli->pos[0], NULL};
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, extra);
    if (rc == 0)
        rc = cli_run(cli, "finance", op, &args, write, print);
    sm_buf_free(&args);
    return rc;
}

static void s_print(cli_t *cli, const msgpack_object *data)
{
    cli_fields(cli, data);
}

static int s_set(cli_t *cli)
{
    static const char *specs[] = {"iban::s", "holder::s", NULL};
    if (!cli_has(cli, "iban"))
        return cli_usage_error(cli, "payee set needs --iban");
    return s_send(cli, "payee.set", specs, true, s_print);
}

static int s_show(cli_t *cli)
{
    return s_send(cli, "payee.get", NULL, false, s_print);
}

static int s_remove(cli_t *cli)
{
    return s_send(cli, "payee.remove", NULL, true, s_print);
}

static const cli_opt_t s_set_opts[] = {
    {"iban", true, false}, {"holder", true, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "set",
     .fn = s_set,
     .opts = s_set_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "payee set PARTICIPANT --iban IBAN [--holder NAME]",
     .summary = "Keep a participant's bank account for paying reimbursements. The IBAN's check digits are "
         "verified; it is stored only in finance, never shown in full and destroyed when the "
         "participant is erased.",
     .example = "samenctl payee set P12 --iban \"NL91 ABNA 0417 1643 00\""},
    {.verb = "show",
     .fn = s_show,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "payee show PARTICIPANT",
     .summary = "The participant's bank account, masked.",
     .example = "samenctl payee show P12"},
    {.verb = "remove",
     .fn = s_remove,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "payee remove PARTICIPANT",
     .summary = "Forget the participant's bank account.",
     .example = "samenctl payee remove P12"},
    {0}};

const cli_noun_t cli_noun_payee = {"payee", "participants' bank accounts for reimbursements",
                                   s_verbs};
