/*  cli/follow.c - samenctl follow resync FOLLOWER PRODUCER: go on following
    a producer that went back in time (restored from a backup). */
#include "cli.h"
#include "nouns.h"

static int s_resync(cli_t *cli)
{
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 1);
    sm_pack_kv_str(&args.pk, "producer", cli->pos[1]);
    int rc = cli_run(cli, cli->pos[0], "follow.resync", &args, true, cli_fields);
    sm_buf_free(&args);
    return rc;
}

static const cli_verb_t s_verbs[] = {
    {.verb = "resync",
     .fn = s_resync,
     .min_pos = 2,
     .max_pos = 2,
     .usage = "follow resync FOLLOWER PRODUCER",
     .summary = N_("FOLLOWER stopped applying PRODUCER's events because PRODUCER went back in time "
         "(restored from a backup: status shows it halted). Accept PRODUCER as it is now and "
         "follow it again from the lower of FOLLOWER's cursor and PRODUCER's last seq. Nothing "
         "is re-applied: the reply's not_rederived names the seqs whose old events FOLLOWER "
         "still reflects and whose new events it does not; check those by hand (samenctl events "
         "tail --from PRODUCER:SEQ --no-follow). Needs the admin role."),
     .example = "samenctl follow resync reporting intake"},
    {0}};

const cli_noun_t cli_noun_follow = {"follow", N_("what a service does with the events it follows"),
                                    s_verbs};
