/*  cli/nouns.h - every hand-written samenctl noun; cli/declared.c lists
    them in this order, then the nouns that are only declared. */
#ifndef SAMEN_CLI_NOUNS_H
#define SAMEN_CLI_NOUNS_H

#include "cli.h"

extern const cli_noun_t cli_noun_status;
extern const cli_noun_t cli_noun_top;
extern const cli_noun_t cli_noun_events;
extern const cli_noun_t cli_noun_call;
extern const cli_noun_t cli_noun_backup;
extern const cli_noun_t cli_noun_follow;
extern const cli_noun_t cli_noun_key;
extern const cli_noun_t cli_noun_audit;
extern const cli_noun_t cli_noun_municipality;
extern const cli_noun_t cli_noun_report, cli_noun_outcome, cli_noun_stats, cli_noun_decision,
    cli_noun_yardstick;
extern const cli_noun_t cli_noun_participant, cli_noun_organisation, cli_noun_advice,
    cli_noun_person, cli_noun_mail;
extern const cli_noun_t cli_noun_theme, cli_noun_agenda, cli_noun_session, cli_noun_invite,
    cli_noun_attendance;
extern const cli_noun_t cli_noun_finance, cli_noun_budget, cli_noun_expense, cli_noun_reimburse,
    cli_noun_payee, cli_noun_grant, cli_noun_hours;

/*  An item's owners in words, "A7: owner M3, deputy M5" (cli/person.c):
    the reply of advice assign and grant assign. */
void cli_print_owners(cli_t *cli, const msgpack_object *data);

#endif
