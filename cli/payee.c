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
    {"set", s_set, s_set_opts, 1, 1, "payee set PARTICIPANT --iban IBAN [--holder NAME]",
     "Keep a participant's bank account for paying reimbursements. The IBAN's check digits are "
     "verified; it is stored only in finance, never shown in full and destroyed when the "
     "participant is erased.",
     "samenctl payee set P12 --iban \"NL91 ABNA 0417 1643 00\""},
    {"show", s_show, NULL, 1, 1, "payee show PARTICIPANT",
     "The participant's bank account, masked.", "samenctl payee show P12"},
    {"remove", s_remove, NULL, 1, 1, "payee remove PARTICIPANT",
     "Forget the participant's bank account.", "samenctl payee remove P12"},
    {NULL, NULL, NULL, 0, 0, NULL, NULL, NULL}};

const cli_noun_t cli_noun_payee = {"payee", "participants' bank accounts for reimbursements",
                                   s_verbs};
