/*  cli/nouns.h - every samenctl noun; cli/main.c lists them in this order. */
#ifndef SAMEN_CLI_NOUNS_H
#define SAMEN_CLI_NOUNS_H

#include "cli.h"

extern const cli_noun_t cli_noun_status;
extern const cli_noun_t cli_noun_events;
extern const cli_noun_t cli_noun_call;
extern const cli_noun_t cli_noun_backup;
extern const cli_noun_t cli_noun_municipality;

#endif
