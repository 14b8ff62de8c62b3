/*  cli/backup.c - samenctl backup SERVICE NAME: a hot, compacting copy of a store. */
#include "cli.h"
#include "nouns.h"

static int s_backup(cli_t *cli)
{
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 1);
    sm_pack_kv_str(&args.pk, "name", cli->pos[1]);
    int rc = cli_run(cli, cli->pos[0], "store.backup", &args, true, cli_fields);
    sm_buf_free(&args);
    return rc;
}

static const cli_verb_t s_verbs[] = {
    {.fn = s_backup,
     .min_pos = 2,
     .max_pos = 2,
     .usage = "backup SERVICE NAME",
     .summary = N_("Write a compacting copy of SERVICE's store into the new directory NAME inside the "
         "service's backup_dir (on the service's host; files readable by the service's user "
         "only) while it keeps serving. NAME is a plain name (letters, digits, '.', '_', '-'). "
         "Restore: stop the service, point its data_dir at the copy (or copy data.mdb back), "
         "start it. Needs the admin role."),
     .example = "samenctl backup finance finance-2026-11-23"},
    {0}};

const cli_noun_t cli_noun_backup = {"backup", N_("hot backup of a service's store"), s_verbs};
