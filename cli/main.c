/*  cli/main.c - samenctl: the admins' control CLI.

    samenctl [global flags] <noun> <verb> [args] [--flags]

    Global flags may stand anywhere: --broker EP, --events EP, --timeout MS,
    --json, --format csv|md|html|ics|svg, --locale nl|en, --config FILE, --help.
    A verb's flags and positional arguments come from its declaration
    (cli/declared.c) or, for a hand-written verb, its own list.

    samenctl connects with CurveZMQ (security/mode = curve, the default)
    using its own secret certificate: --key FILE, else $SAMEN_KEY, else the
    setting samenctl/key, else KEYS_DIR/secret/admin.cert_secret (the admin
    key make run creates under ./var/keys). KEYS_DIR is $SAMEN_KEYS_DIR, else
    security/keys_dir of the config file, else var/keys. The key noun works
    on the key directory's files and needs no connection.
*/
#include "cli.h"
#include "common/config.h"
#include "common/config_table.h"
#include "common/i18n.h"
#include "proto/mdp.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

/*  The whole command line once the global flags are taken out. */
#define S_MAX_WORDS (CLI_MAX_POS + CLI_MAX_FLAGS * 2 + 4)

/*  The whole help: commands, global flags, how values are typed, exit
    codes, examples. */
static void s_help(FILE *out)
{
    fputs(_("samenctl - control the samen services (resident participation programme)\n"), out);
    fputs("\n", out);
    fputs(_("usage: samenctl [--broker EP] [--timeout MS] [--json] [--format FMT] [--locale nl|en]\n"
            "                <noun> <verb> [args] [--flags]\n"),
          out);
    fputs("\n", out);
    fputs(_("commands:\n"), out);
    cli_help_nouns(out);
    fputs("\n", out);
    fprintf(out,
            _("global flags:\n"
              "  --broker EP     broker endpoint (else $SAMEN_BROKER, the config file, %s)\n"
              "  --events EP     the broker's event endpoint, for events tail (else $SAMEN_EVENTS,\n"
              "                  the config file's broker/events_out, the broker's port + 2)\n"
              "                  a broker pair: EP,EP for both (requests fail over to the other)\n"
              "  --timeout MS    how long to wait for a reply, in milliseconds (default 5000)\n"
              "  --json          print the reply data as JSON, for scripts\n"
              "  --format FMT    csv, md, html, ics or svg where a document is the point\n"
              "  --locale nl|en  the language of documents and formats (else $SAMEN_LOCALE,\n"
              "                  the config file's samen/locale, en): nl writes € 22.500,00\n"
              "  --config FILE   samen.cfg to read the broker address and locale from "
              "($SAMEN_CONFIG)\n"),
            SM_DEFAULT_BROKER);
    fputs(_("  --key FILE      the secret certificate samenctl connects with (else $SAMEN_KEY,\n"
            "                  the setting samenctl/key, KEYS_DIR/secret/admin.cert_secret;\n"
            "                  KEYS_DIR is $SAMEN_KEYS_DIR, else security/keys_dir, else\n"
            "                  var/keys, where make run keeps them)\n"),
          out);
    fputs("\n", out);
    fputs(_("Values are typed as people write them: money as 15, 15,00 or € 1.500,00; dates as\n"
            "2020-03-12 or 12-03-2020; IDs as P12 or 12; switches as --force, --force=no or\n"
            "--not-force; lists by repeating the flag or with commas.\n"),
          out);
    fputs("\n", out);
    fputs(_("exit codes: 0 ok, 1 refused by the service, 2 usage error, 3 unreachable or timed "
            "out\n"),
          out);
    fputs("\n", out);
    fputs(_("examples:\n"), out);
    fputs("  samenctl status\n"
          "  samenctl key new alice --role coordinator\n"
          "  samenctl --key ~/.samen/alice.cert_secret participant find --municipality Huizen\n"
          "  samenctl events tail --topic scheduling.session\n"
          "  samenctl call finance municipality.list '{\"as_of\": \"2016-01-01\"}'\n"
          "  samenctl <noun> --help\n",
          out);
}

/*  Is name a global flag? Sets *takes_value. */
static bool s_global(const char *name, bool *takes_value)
{
    static const char *with[] = {"broker", "timeout", "format", "locale", "config", "events",
                                 "key",    NULL};
    static const char *without[] = {"json", "help", NULL};
    for (int i = 0; with[i]; i++)
        if (strcmp(name, with[i]) == 0)
            return *takes_value = true;
    for (int i = 0; without[i]; i++)
        if (strcmp(name, without[i]) == 0) {
            *takes_value = false;
            return true;
        }
    return false;
}

/*  The name of a flag word ("--as-of=2020" -> "as-of") into buf. */
static const char *s_flag_word(const char *a, char *buf, size_t size)
{
    const char *eq = strchr(a + 2, '=');
    snprintf(buf, size, "%.*s", (int)(eq ? eq - a - 2 : (long)strlen(a + 2)), a + 2);
    return buf;
}

static bool s_is_flag(const char *a)
{
    return strncmp(a, "--", 2) == 0 && a[2];
}

/*  Take a global flag's value into cli (--locale into *locale). Returns 0
    or CLI_USAGE. */
static int s_global_set(cli_t *cli, const char *name, const char *val, const char **locale)
{
    if (strcmp(name, "broker") == 0)
        cli->broker = val;
    else if (strcmp(name, "key") == 0)
        cli->key_file = val;
    else if (strcmp(name, "events") == 0) {
        cli->events = val;
        cli->events_from = "--events";
    } else if (strcmp(name, "format") == 0)
        cli->format = val;
    else if (strcmp(name, "config") == 0)
        setenv("SAMEN_CONFIG", val, 1);
    else if (strcmp(name, "locale") == 0) {
        if (!sm_i18n_lang_parse(val))
            return cli_usage_error(cli, _("--locale takes nl or en, got \"%s\""), val);
        *locale = val;
    } else if (strcmp(name, "timeout") == 0) {
        char *end;
        long t = strtol(val, &end, 10);
        if (*end == 's' && end[1] == '\0')
            t *= 1000;
        else if (*end)
            t = -1;
        if (t < 1 || t > 3600000)
            return cli_usage_error(cli,
                                   _("--timeout takes milliseconds from 1 to 3600000 (or seconds "
                                   "with an s: 10s), got \"%s\""),
                                   val);
        cli->timeout_ms = (int)t;
    }
    return 0;
}

/*  Parse words[] (the command line without global flags, noun and verb
    at inoun and iverb, -1 when absent) into cli's flags and positional
    arguments, now that the verb's options are known. Returns 0 or
    CLI_USAGE. */
static int s_parse_verb_args(cli_t *cli, const char **words, int nwords, int inoun, int iverb)
{
    /*  The word after a switch, when it became a positional argument: if
        there are too many of those, it was probably meant as its value. */
    const char *after_switch[CLI_MAX_POS] = {0};
    const char *last_switch = NULL;
    for (int i = 0; i < nwords; i++) {
        if (i == inoun || i == iverb)
            continue;
        const char *a = words[i];
        if (!s_is_flag(a)) {
            if (cli->npos == CLI_MAX_POS)
                return cli_usage_error(cli, _("too many arguments"));
            after_switch[cli->npos] = last_switch;
            cli->pos[cli->npos++] = a;
            last_switch = NULL;
            continue;
        }
        last_switch = NULL;
        char name[64];
        s_flag_word(a, name, sizeof name);
        const char *eq = strchr(a + 2, '=');
        bool negated;
        const cli_optdef_t *opt = cli_opt_find(cli, name, &negated);
        if (!opt) {
            char list[1200] = "";
            size_t o = 0;
            for (int k = 0; k < cli->nopts && o < sizeof list - 50; k++)
                o += (size_t)snprintf(list + o, sizeof list - o, " --%s", cli->opts[k].name);
            return cli_usage_error(cli, _("unknown flag --%s for %s%s%s; accepted:%s"), name,
                                   cli->noun, cli->verb ? " " : "", cli->verb ? cli->verb : "",
                                   list[0] ? list : " none");
        }
        const char *val = NULL;
        bool is_bool = opt->arg && opt->arg->type == SM_T_BOOL;
        if (negated) {
            if (eq)
                return cli_usage_error(cli, _("--%s takes no value"), name);
            val = "no";
        } else if (opt->value) {
            val = eq ? eq + 1 : (i + 1 < nwords && i + 1 != inoun && i + 1 != iverb ? words[++i]
                                                                                     : NULL);
            if (!val || (!eq && s_is_flag(val)))
                return cli_usage_error(cli, _("--%s needs a value"), name);
        } else if (is_bool) {
            /*  A switch, or --consent yes|no. */
            if (eq)
                val = eq + 1;
            else if (i + 1 < nwords && i + 1 != inoun && i + 1 != iverb && words[i + 1][0] &&
                     cli_parse_bool(words[i + 1]) >= 0)
                val = words[++i];
        } else if (eq)
            return cli_usage_error(cli, _("--%s takes no value"), name);
        if (!opt->value && !val)
            last_switch = opt->name;
        if (!opt->repeat && cli_has(cli, opt->name))
            return cli_usage_error(cli, _("--%s given twice"), opt->name);
        if (cli->nflags == CLI_MAX_FLAGS)
            return cli_usage_error(cli, _("too many flags"));
        cli->flag_name[cli->nflags] = opt->name;
        cli->flag_value[cli->nflags] = val;
        cli->nflags++;
    }
    for (int k = cli->max_pos; k < cli->npos; k++)
        if (after_switch[k]) {
            bool neg;
            const cli_optdef_t *o = cli_opt_find(cli, after_switch[k], &neg);
            if (o && o->arg && o->arg->type == SM_T_BOOL)
                return cli_usage_error(cli, _("--%s takes yes or no (or nothing: yes), got \"%s\""),
                                       after_switch[k], cli->pos[k]);
            return cli_usage_error(cli, _("--%s takes no value, got \"%s\""), after_switch[k],
                                   cli->pos[k]);
        }
    if (cli->npos < cli->min_pos || cli->npos > cli->max_pos) {
        char usage[1200];
        cli_usage_line(cli, usage, sizeof usage);
        return cli_usage_error(cli, _("%s%s%s takes %d to %d arguments, got %d (usage: samenctl %s)"),
                               cli->noun, cli->verb ? " " : "", cli->verb ? cli->verb : "",
                               cli->min_pos, cli->max_pos, cli->npos, usage);
    }
    return 0;
}

/*  The index in words of the first word that is neither a flag nor (as
    far as can be told before the verb is known) a flag's value, from
    start on; -1 when there is none. */
static int s_next_word(const char **words, int nwords, int start)
{
    for (int i = start; i < nwords; i++) {
        if (!s_is_flag(words[i]))
            return i;
        if (!strchr(words[i], '=') && i + 1 < nwords && !s_is_flag(words[i + 1]))
            i++; /*  tentatively its value */
    }
    return -1;
}

/*  Settings from the configuration file, the environment and defaults:
    the language (locale: --locale or NULL), the broker and the events
    endpoint. Returns 0 or CLI_USAGE. */
static int s_settings(cli_t *cli, const char *locale, sm_config_t **cfg)
{
    const char *cfgpath = getenv("SAMEN_CONFIG");
    if (!cfgpath && access("/etc/samen/samen.cfg", R_OK) == 0)
        cfgpath = "/etc/samen/samen.cfg";
    sm_err_t e;
    sm_err_clear(&e);
    if (cfgpath && (!(*cfg = sm_config_load(cfgpath, &e)) || sm_config_table_check(*cfg, &e))) {
        fprintf(stderr, "samenctl: %s: ", cfgpath);
        cli_put_safe(stderr, e.message, strlen(e.message), false);
        fputc('\n', stderr);
        return CLI_USAGE;
    }
    //  The language: --locale, $SAMEN_LOCALE, the config file, English.
    const char *lang;
    if (sm_i18n_resolve(locale, *cfg, &lang, &e) != 0 || sm_i18n_init(lang, &e) != 0) {
        fprintf(stderr, "samenctl: ");
        cli_put_safe(stderr, e.message, strlen(e.message), false);
        fputc('\n', stderr);
        return CLI_USAGE;
    }
    cli->nl = strcmp(sm_i18n_lang(), "nl") == 0;
    cli->cfg = *cfg;
    if (!cli->broker)
        cli->broker = getenv("SAMEN_BROKER");
    if (!cli->broker && *cfg)
        cli->broker = sm_config_str(*cfg, "broker/endpoint", NULL);
    if (!cli->broker)
        cli->broker = SM_DEFAULT_BROKER;
    //  The events endpoint: --events, $SAMEN_EVENTS, the config file's
    //  broker/events_out; else events tail derives it from the broker's.
    const char *env = getenv("SAMEN_EVENTS");
    if (!cli->events && env && *env) {
        cli->events = env;
        cli->events_from = "$SAMEN_EVENTS";
    }
    if (!cli->events && *cfg && (cli->events = sm_config_str(*cfg, "broker/events_out", NULL)))
        cli->events_from = _("broker/events_out in the config file");
    return 0;
}

/*  samenctl's key and the broker's (common/security.h): --key, $SAMEN_KEY,
    the setting samenctl/key, else the admin key of KEYS_DIR ($SAMEN_KEYS_DIR
    overrides security/keys_dir). The key noun only notes whose key it is
    for the audit log, and goes on without one. Returns 0 or CLI_USAGE. */
static int s_security(cli_t *cli, sm_config_t *cfg, bool files_only)
{
    sm_config_t *empty = cfg ? NULL : sm_config_load(NULL, NULL);
    const char *dir = getenv("SAMEN_KEYS_DIR");
    if (dir && *dir)
        sm_config_set(cfg ? cfg : empty, "security/keys_dir", dir);
    const char *key = cli->key_file ? cli->key_file : getenv("SAMEN_KEY");
    sm_err_t e;
    sm_err_clear(&e);
    int rc = sm_security_client(cfg ? cfg : empty, "samenctl/key", key && *key ? key : NULL,
                                "admin", &cli->sec, &e);
    sm_config_destroy(&empty);
    if (rc == 0)
        return 0;
    cli->sec.name[0] = '\0'; /*  no key of its own: the audit log says "-" */
    if (files_only)
        return 0;
    fprintf(stderr, "samenctl: ");
    cli_put_safe(stderr, e.message, strlen(e.message), false);
    fputc('\n', stderr);
    return CLI_USAGE;
}

/*  The command in words (global flags taken out): help, or the verb run.
    Returns the exit code. */
static int s_command(cli_t *cli_p, sm_config_t *cfg, const char **words, int nwords, bool help)
{
    cli_t cli = *cli_p;
    cli_nouns_t all;
    cli_nouns_list(&all);
    int inoun = s_next_word(words, nwords, 0);
    if (inoun < 0 || strcmp(words[inoun], "help") == 0) {
        int inext = inoun < 0 ? -1 : s_next_word(words, nwords, inoun + 1);
        const cli_noun_t *n = inext >= 0 ? cli_noun_find(&all, words[inext]) : NULL;
        int iverb = n ? s_next_word(words, nwords, inext + 1) : -1;
        if (n && iverb >= 0 && cli_verb_resolve(&cli, n, words[iverb]) == 0) {
            cli_help_verb(&cli, stdout);
            return CLI_OK;
        }
        if (n) {
            cli_help_noun(n, stdout);
            return CLI_OK;
        }
        bool asked = inoun >= 0 || help;
        s_help(asked ? stdout : stderr);
        return asked ? CLI_OK : CLI_USAGE;
    }
    const cli_noun_t *noun = cli_noun_find(&all, words[inoun]);
    if (!noun)
        return cli_usage_error(&cli, _("unknown command \"%s\"; see samenctl help"), words[inoun]);
    cli.noun = noun->noun;
    int iverb = -1;
    if (cli_verb_resolve(&cli, noun, NULL) != 0) {
        iverb = s_next_word(words, nwords, inoun + 1);
        if (iverb < 0) {
            cli_help_noun(noun, help ? stdout : stderr);
            return help ? CLI_OK : CLI_USAGE;
        }
        if (cli_verb_resolve(&cli, noun, words[iverb]) != 0) {
            char verb[200];
            cli_escape(words[iverb], strlen(words[iverb]), false, verb, sizeof verb);
            fprintf(stderr, _("samenctl: %s has no verb \"%s\"\n\n"), noun->noun, verb);
            cli_help_noun(noun, stderr);
            return CLI_USAGE;
        }
    }
    if (help) {
        cli_help_verb(&cli, stdout);
        return CLI_OK;
    }
    if (s_parse_verb_args(&cli, words, nwords, inoun, iverb) != 0)
        return CLI_USAGE;
    if (cli.format && !strstr(" text csv md html ics svg ", cli.format))
        return cli_usage_error(&cli, _("--format takes text, csv, md, html, ics or svg, got \"%s\""),
                               cli.format);
    bool files_only = strcmp(noun->noun, "key") == 0;
    if (s_security(&cli, cfg, files_only) != 0)
        return CLI_USAGE;
    cli.zctx = zmq_ctx_new();
    sm_err_t e;
    sm_err_clear(&e);
    if (!files_only)
        cli.client = sm_client_new(cli.zctx, cli.broker, 0, &cli.sec, &e);
    //  The link heartbeat (broker/link_heartbeat_ms, checked with the file).
    int64_t link_ms = SM_LINK_HEARTBEAT_MS;
    if (cli.client && cfg && sm_cfg_int(cfg, "broker/link_heartbeat_ms", &link_ms, &e) == 0 &&
        link_ms != SM_LINK_HEARTBEAT_MS && sm_client_set_link(cli.client, (int)link_ms) != 0) {
        sm_err_set(&e, SM_E_INTERNAL, "broker/link_heartbeat_ms",
                   _("cannot open a socket to the broker at %s: %s"),
                   sm_client_endpoint(cli.client), zmq_strerror(zmq_errno()));
        sm_client_destroy(&cli.client);
    }
    int rc;
    if (!files_only && !cli.client) {
        fprintf(stderr, "samenctl: ");
        cli_put_safe(stderr, e.message, strlen(e.message), false);
        fputc('\n', stderr);
        rc = CLI_USAGE;
    } else if (cli.vdef->check && (rc = cli.vdef->check(&cli)) != 0)
        ;
    else if (cli.vdef->fn)
        rc = cli.vdef->fn(&cli);
    else
        rc = cli_call_op(&cli, cli.decls[0], cli.vdef->print);
    explicit_bzero(cli.sec.secret_key, sizeof cli.sec.secret_key);
    fflush(stdout);
    sm_client_destroy(&cli.client);
    zmq_ctx_term(cli.zctx);
    return rc;
}

int main(int argc, char **argv)
{
    cli_t cli;
    memset(&cli, 0, sizeof cli);
    cli.timeout_ms = 5000;
    const char *words[S_MAX_WORDS];
    int nwords = 0;
    bool help = false;
    const char *locale = NULL;
    /*  First pass: take out the global flags, wherever they stand. */
    for (int i = 1; i < argc; i++) {
        const char *a = strcmp(argv[i], "-h") == 0 ? "--help" : argv[i];
        char name[64];
        bool takes = false;
        if (s_is_flag(a) && s_global(s_flag_word(a, name, sizeof name), &takes)) {
            const char *eq = strchr(a + 2, '=');
            if (strcmp(name, "help") == 0)
                help = true;
            else if (strcmp(name, "json") == 0)
                cli.json = true;
            else {
                const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (!val)
                    return cli_usage_error(&cli, _("--%s needs a value"), name);
                if (s_global_set(&cli, name, val, &locale) != 0)
                    return CLI_USAGE;
            }
            continue;
        }
        if (nwords == S_MAX_WORDS)
            return cli_usage_error(&cli, _("too many arguments"));
        words[nwords++] = a;
    }
    //  Settings first: help is printed in the language they choose.
    sm_config_t *cfg = NULL;
    if (s_settings(&cli, locale, &cfg) != 0) {
        sm_config_destroy(&cfg);
        return CLI_USAGE;
    }
    int rc = s_command(&cli, cfg, words, nwords, help);
    sm_config_destroy(&cfg);
    return rc;
}
