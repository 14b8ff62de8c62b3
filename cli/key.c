/*  cli/key.c - samenctl key new|list|show|revoke|init: the keys people and
    daemons connect with.

    Key changes are file operations in the key directory on the broker's
    host (like ssh-keygen), not requests: they work while the broker is
    down, and the broker picks them up within about a second. The key
    directory is --dir, else $SAMEN_KEYS_DIR, else security/keys_dir of the
    config file, else var/keys. Every change is appended to KEYS_DIR/audit.log with the name
    of the key samenctl runs with and the Unix user (common/keystore.h).
*/
#include "../common/config.h"
#include "../common/keystore.h"
#include "cli.h"
#include "nouns.h"
#include <stdlib.h>
#include <string.h>

static const char *const s_services[] = {"intake", "scheduling", "reporting", "finance", "site", NULL};

/*  The key directory this command works on. */
static const char *s_dir(cli_t *cli)
{
    const char *dir = cli_flag(cli, "dir");
    return dir ? dir : cli->sec.keys_dir[0] ? cli->sec.keys_dir : "var/keys";
}

/*  Who makes the change, for the audit log: the key samenctl runs with
    (name and roles), or NULL when it has none (the Unix user is recorded
    too). */
static const sm_security_t *s_who(cli_t *cli)
{
    return cli->sec.name[0] ? &cli->sec : NULL;
}

/*  Pack one key as a map into pk. */
static void s_pack_key(msgpack_packer *pk, const char *dir, const sm_keyinfo_t *k)
{
    char roles[200], secret[400] = "";
    sm_roles_format(k->roles, roles, sizeof roles);
    if (k->has_secret)
        snprintf(secret, sizeof secret, "%s/secret/%s.cert_secret", dir, k->name);
    msgpack_pack_map(pk, 8);
    sm_pack_kv_str(pk, "name", k->name);
    sm_pack_kv_str(pk, "roles", roles);
    sm_pack_kv_str(pk, "state", k->revoked ? "revoked" : "trusted");
    sm_pack_kv_str(pk, "created", k->created);
    sm_pack_kv_str(pk, "revoked", k->revoked_at);
    sm_pack_kv_str(pk, "public_key", k->public_key);
    sm_pack_kv_str(pk, "certificate", k->path);
    sm_pack_kv_str(pk, "secret_file", secret);
}

/*  Print what buf holds (a packed map or array) as --json or with print.
    Returns CLI_OK. */
static int s_print(cli_t *cli, const sm_buf_t *buf, void (*print)(cli_t *, const msgpack_object *))
{
    sm_doc_t *doc = sm_doc_parse(buf->sbuf.data, buf->sbuf.size, NULL);
    if (doc) {
        if (cli->json)
            cli_print_json(sm_doc_root(doc));
        else
            print(cli, sm_doc_root(doc));
    }
    sm_doc_destroy(&doc);
    return CLI_OK;
}

/*  Print one key as fields (or --json). Can't fail. */
static void s_print_key(cli_t *cli, const char *dir, const sm_keyinfo_t *k)
{
    sm_buf_t b;
    sm_buf_init(&b);
    s_pack_key(&b.pk, dir, k);
    s_print(cli, &b, cli_fields);
    sm_buf_free(&b);
}

/*  An error from the key store: exit 2 for a usage problem, 1 otherwise. */
static int s_fail(const sm_err_t *e)
{
    fprintf(stderr, "samenctl: %s\n", e->message);
    return strcmp(e->code, SM_E_INVALID_ARGUMENT) == 0 ? CLI_USAGE : CLI_REFUSED;
}

static int s_new(cli_t *cli)
{
    const char *name = cli->pos[0];
    const char *role = cli_flag(cli, "role");
    sm_roles_t roles = 0;
    char bad[40];
    if (!role || sm_roles_parse(role, &roles, bad, sizeof bad) != 0) {
        char list[300] = "";
        size_t o = 0;
        for (int i = 0; sm_roles_all[i] && o < sizeof list - 30; i++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "",
                                  sm_role_name(sm_roles_all[i]));
        return role ? cli_usage_error(cli,
                                      _("--role takes one or more roles separated by commas "
                                        "(%s); \"%s\" is not one"),
                                      list, bad)
                    : cli_usage_error(cli,
                                      _("--role takes one or more roles separated by commas (%s)"),
                                      list);
    }
    sm_err_t e;
    sm_err_clear(&e);
    sm_keyinfo_t k;
    const char *dir = s_dir(cli);
    const char *public_key = cli_flag(cli, "public-key");
    if (sm_keystore_new(dir, name, roles, public_key, s_who(cli), &k, &e) != 0)
        return s_fail(&e);
    s_print_key(cli, dir, &k);
    if (!cli->json && public_key)
        printf(_("\nThe broker trusts %s within a few seconds; its owner connects with the "
                 "secret key of that pair and the broker's public key (%s/broker.cert).\n"),
               name, dir);
    else if (!cli->json)
        printf(_("\nThe broker trusts %s within a few seconds. Hand %s/secret/%s.cert_secret and "
                 "%s/broker.cert to its owner over a safe channel (keep the secret file mode "
                 "0600); delete it here once copied if it belongs on another machine.\n"),
               name, dir, name, dir);
    return CLI_OK;
}

static void s_list_print(cli_t *cli, const msgpack_object *rows)
{
    static const cli_col_t cols[] = {{N_("NAME"), "name", 't'},       {N_("ROLES"), "roles", 't'},
                                     {N_("STATE"), "state", 't'},     {N_("CREATED"), "created", 't'},
                                     {N_("REVOKED"), "revoked", 't'}, {N_("PUBLIC KEY"), "public_key", 't'}};
    cli_table(cli, cols, 6, rows);
}

static int s_list(cli_t *cli)
{
    sm_err_t e;
    sm_err_clear(&e);
    sm_keyinfo_t *list = NULL;
    size_t n = 0;
    const char *dir = s_dir(cli);
    if (sm_keystore_list(dir, &list, &n, &e) != 0)
        return s_fail(&e);
    bool all = cli_has(cli, "all");
    size_t shown = 0;
    for (size_t i = 0; i < n; i++)
        shown += all || !list[i].revoked;
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_array(&b.pk, shown);
    for (size_t i = 0; i < n; i++)
        if (all || !list[i].revoked)
            s_pack_key(&b.pk, dir, &list[i]);
    s_print(cli, &b, s_list_print);
    sm_buf_free(&b);
    free(list);
    return CLI_OK;
}

static int s_show(cli_t *cli)
{
    sm_err_t e;
    sm_err_clear(&e);
    sm_keyinfo_t k;
    const char *dir = s_dir(cli);
    if (sm_keystore_show(dir, cli->pos[0], &k, &e) != 0)
        return s_fail(&e);
    s_print_key(cli, dir, &k);
    return CLI_OK;
}

static int s_revoke(cli_t *cli)
{
    if (!cli_has(cli, "yes"))
        return cli_usage_error(cli,
                               _("revoking %s cuts off whoever holds it within a few seconds "
                                 "and can't be undone (make a new key instead); add --yes to "
                                 "go on"),
                               cli->pos[0]);
    sm_err_t e;
    sm_err_clear(&e);
    sm_keyinfo_t k;
    const char *dir = s_dir(cli);
    if (sm_keystore_revoke(dir, cli->pos[0], s_who(cli), &k, &e) != 0)
        return s_fail(&e);
    s_print_key(cli, dir, &k);
    if (!cli->json)
        printf(_("\nThe broker refuses %s within a few seconds: its connections are closed and "
                 "new ones fail at the handshake.\n"),
               k.name);
    return CLI_OK;
}

static int s_init(cli_t *cli)
{
    sm_err_t e;
    sm_err_clear(&e);
    int made = 0;
    const char *dir = s_dir(cli);
    if (sm_keystore_init(dir, s_services, s_who(cli), &made, &e) != 0)
        return s_fail(&e);
    if (cli->json) {
        sm_buf_t b;
        sm_buf_init(&b);
        msgpack_pack_map(&b.pk, 2);
        sm_pack_kv_str(&b.pk, "dir", dir);
        sm_pack_kv_int(&b.pk, "created", made);
        s_print(cli, &b, NULL);
        sm_buf_free(&b);
    } else if (made)
        printf(Q_("made %d key in %s: broker, %s, %s, %s, %s, %s and admin (samenctl's "
                        "default)\n",
                        "made %d keys in %s: broker, %s, %s, %s, %s, %s and admin (samenctl's "
                        "default)\n",
                        (unsigned long)made),
               made, dir, s_services[0], s_services[1], s_services[2], s_services[3], s_services[4]);
    else
        printf(_("the local key set in %s is complete; nothing made\n"), dir);
    return CLI_OK;
}

static const cli_opt_t s_new_opts[] = {
    {"role", true, false}, {"public-key", true, false}, {"dir", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_list_opts[] = {{"all", false, false}, {"dir", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_dir_opts[] = {{"dir", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_revoke_opts[] = {{"yes", false, false}, {"dir", true, false},
                                          {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "new",
     .fn = s_new,
     .opts = s_new_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "key new NAME --role ROLE[,ROLE] [--public-key Z85] [--dir KEYS_DIR]",
     .summary = N_("Make a key pair for a person or a daemon: the broker trusts it within a few "
                   "seconds. Roles: admin, coordinator, finance, auditor, subscriber, "
                   "service:NAME. Writes public/NAME.cert and secret/NAME.cert_secret (mode "
                   "0600: hand it to its owner). With --public-key, trusts the public key of a "
                   "pair its owner made (the secret never travels) and writes only "
                   "public/NAME.cert."),
     .example = "samenctl key new alice --role coordinator"},
    {.verb = "list",
     .fn = s_list,
     .opts = s_list_opts,
     .usage = "key list [--all] [--dir KEYS_DIR]",
     .summary = N_("The trusted keys with their roles; --all adds the revoked ones."),
     .example = "samenctl key list --all"},
    {.verb = "show",
     .fn = s_show,
     .opts = s_dir_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "key show NAME [--dir KEYS_DIR]",
     .summary = N_("One key: roles, state, when made (and revoked), its public key and files."),
     .example = "samenctl key show alice"},
    {.verb = "revoke",
     .fn = s_revoke,
     .opts = s_revoke_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "key revoke NAME --yes [--dir KEYS_DIR]",
     .summary = N_("Stop trusting a key: within a few seconds the broker closes its connections "
                   "and refuses it at the handshake. Its certificate moves to revoked/, its "
                   "secret file here is deleted."),
     .example = "samenctl key revoke alice --yes"},
    {.verb = "init",
     .fn = s_init,
     .opts = s_dir_opts,
     .usage = "key init [--dir KEYS_DIR]",
     .summary = N_("Make what is missing of the key set for one host: the broker's pair, a key "
                   "for each service (role service:NAME) and admin (samenctl's default key). "
                   "make run does this."),
     .example = "samenctl key init --dir /var/lib/samen/keys"},
    {0}};

const cli_noun_t cli_noun_key = {"key", N_("keys of people and daemons (CurveZMQ certificates)"),
                                 s_verbs};
