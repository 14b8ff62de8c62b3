/*  cli/main.c - samenctl: the admins' control CLI.

    samenctl [global flags] <noun> <verb> [args] [--flags]

    Global flags may stand anywhere: --broker EP, --timeout MS, --json,
    --format csv|md|html|ics, --locale nl|en, --config FILE, --key FILE, --help.

    samenctl connects with CurveZMQ (security/mode = curve, the default)
    using its own secret certificate: --key FILE, else $SAMEN_KEY, else the
    setting samenctl/key, else KEYS_DIR/secret/admin.cert_secret (the admin
    key make run creates under ./var/keys). KEYS_DIR is $SAMEN_KEYS_DIR, else
    security/keys_dir of the config file, else var/keys.
*/
#include "../common/config.h"
#include "../common/i18n.h"
#include "../proto/mdp.h"
#include "../common/config_table.h"
#include "cli.h"
#include "nouns.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

static const cli_noun_t *s_nouns[] = {
    /*  operations */
    &cli_noun_status, &cli_noun_events, &cli_noun_call, &cli_noun_backup, &cli_noun_key,
    /*  intake: who takes part */
    &cli_noun_participant, &cli_noun_organisation, &cli_noun_advice,
    /*  scheduling: what happens when, who comes */
    &cli_noun_theme, &cli_noun_agenda, &cli_noun_session, &cli_noun_invite, &cli_noun_attendance,
    /*  reporting: what came out, what was done with it */
    &cli_noun_report, &cli_noun_outcome, &cli_noun_stats,
    /*  finance: what it costs, who pays */
    &cli_noun_municipality, &cli_noun_finance, &cli_noun_budget, &cli_noun_expense,
    &cli_noun_reimburse, &cli_noun_payee, &cli_noun_grant, NULL};

static void s_help(FILE *out)
{
    fprintf(out,
            "samenctl - control the samen services (resident participation programme)\n"
            "\n"
            "usage: samenctl [--broker EP] [--key FILE] [--timeout MS] [--json] [--format FMT]\n"
            "                [--locale nl|en] <noun> <verb> [args] [--flags]\n"
            "\n"
            "commands:\n");
    for (int i = 0; s_nouns[i]; i++)
        fprintf(out, "  %-14s %s\n", s_nouns[i]->noun, s_nouns[i]->summary);
    fprintf(out,
            "\n"
            "global flags:\n"
            "  --broker EP     broker endpoint (else $SAMEN_BROKER, the config file, %s)\n"
            "  --timeout MS    how long to wait for a reply, in milliseconds (default 5000)\n"
            "  --json          print the reply data as JSON, for scripts\n"
            "  --format FMT    csv, md, html, ics or svg where a document is the point\n"
            "  --locale nl|en  the language of documents and formats (else $SAMEN_LOCALE,\n"
            "                  the config file's samen/locale, en): nl writes € 22.500,00\n"
            "  --config FILE   samen.cfg to read the broker address, keys and locale from\n"
            "                  ($SAMEN_CONFIG)\n"
            "  --key FILE      the secret certificate samenctl connects with (else $SAMEN_KEY,\n"
            "                  the setting samenctl/key, KEYS_DIR/secret/admin.cert_secret;\n"
            "                  KEYS_DIR is $SAMEN_KEYS_DIR, else security/keys_dir, else\n"
            "                  var/keys: where make run keeps them)\n"
            "\n"
            "exit codes: 0 ok, 1 refused by the service, 2 usage error, 3 unreachable or timed out\n"
            "\n"
            "examples:\n"
            "  samenctl status\n"
            "  samenctl key new alice --role coordinator\n"
            "  samenctl --key ~/.samen/alice.cert_secret participant find --municipality Huizen\n"
            "  samenctl events tail --topic scheduling.session\n"
            "  samenctl call finance municipality.list '{\"as_of\": \"2016-01-01\"}'\n"
            "  samenctl <noun> --help\n",
            SM_DEFAULT_BROKER);
}

static void s_noun_help(const cli_noun_t *n, FILE *out)
{
    fprintf(out, "samenctl %s - %s\n\n", n->noun, n->summary);
    for (int i = 0; n->verbs[i].fn; i++) {
        const cli_verb_t *v = &n->verbs[i];
        fprintf(out, "  samenctl %s\n      %s\n", v->usage, v->summary);
        if (v->example)
            fprintf(out, "      e.g. %s\n", v->example);
    }
}

static void s_verb_help(const cli_noun_t *n, const cli_verb_t *v, FILE *out)
{
    fprintf(out, "usage: samenctl %s\n\n%s\n", v->usage, v->summary);
    if (v->opts && v->opts[0].name) {
        fprintf(out, "\nflags:");
        for (int i = 0; v->opts[i].name; i++)
            fprintf(out, " --%s%s", v->opts[i].name, v->opts[i].value ? " X" : "");
        fprintf(out, "\n");
    }
    if (v->example)
        fprintf(out, "\nexample:\n  %s\n", v->example);
    (void)n;
}

static const cli_verb_t *s_find_verb(const cli_noun_t *n, const char *verb)
{
    for (int i = 0; n->verbs[i].fn; i++)
        if ((!n->verbs[i].verb && !verb) ||
            (n->verbs[i].verb && verb && strcmp(n->verbs[i].verb, verb) == 0))
            return &n->verbs[i];
    return NULL;
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

int main(int argc, char **argv)
{
    cli_t cli;
    memset(&cli, 0, sizeof cli);
    cli.timeout_ms = 5000;
    const char *words[CLI_MAX_POS + 2];
    int nwords = 0;
    const char *gflags[8][2];
    int ngflags = 0;
    bool help = false;
    const char *key_file = NULL;
    const char *locale_flag = NULL;
    /*  First pass: split words from flags; the noun and verb decide which
        flags are valid, so verb flags are kept raw for now. */
    const char *raw_name[CLI_MAX_FLAGS], *raw_val[CLI_MAX_FLAGS];
    int nraw = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0)
            a = "--help";
        if (strncmp(a, "--", 2) == 0 && a[2]) {
            char name[64];
            const char *eq = strchr(a + 2, '=');
            snprintf(name, sizeof name, "%.*s", (int)(eq ? eq - a - 2 : (long)strlen(a + 2)), a + 2);
            bool takes = false;
            if (s_global(name, &takes)) {
                if (strcmp(name, "help") == 0) {
                    help = true;
                    continue;
                }
                if (strcmp(name, "json") == 0) {
                    cli.json = true;
                    continue;
                }
                const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (!val) {
                    fprintf(stderr, "samenctl: --%s needs a value\n", name);
                    return CLI_USAGE;
                }
                if (ngflags < 8) {
                    gflags[ngflags][0] = argv[i - (eq ? 0 : 1)] + 2;
                    gflags[ngflags][1] = val;
                    ngflags++;
                }
                if (strcmp(name, "broker") == 0)
                    cli.broker = val;
                else if (strcmp(name, "key") == 0)
                    key_file = val;
                else if (strcmp(name, "events") == 0)
                    cli.events = val;
                else if (strcmp(name, "format") == 0)
                    cli.format = val;
                else if (strcmp(name, "config") == 0)
                    setenv("SAMEN_CONFIG", val, 1);
                else if (strcmp(name, "locale") == 0) {
                    if (!sm_i18n_lang_parse(val)) {
                        fprintf(stderr, "samenctl: --locale takes nl or en, got \"%s\"\n", val);
                        return CLI_USAGE;
                    }
                    locale_flag = val;
                } else if (strcmp(name, "timeout") == 0) {
                    char *end;
                    long t = strtol(val, &end, 10);
                    if (*end == 's' && end[1] == '\0')
                        t *= 1000;
                    else if (*end)
                        t = -1;
                    if (t < 1 || t > 3600000) {
                        fprintf(stderr,
                                "samenctl: --timeout takes milliseconds from 1 to 3600000 "
                                "(or seconds with an s: 10s), got \"%s\"\n",
                                val);
                        return CLI_USAGE;
                    }
                    cli.timeout_ms = (int)t;
                }
                continue;
            }
            if (nraw >= CLI_MAX_FLAGS) {
                fprintf(stderr, "samenctl: too many flags\n");
                return CLI_USAGE;
            }
            /*  Decide later whether it takes a value; remember the index. */
            raw_name[nraw] = a;
            raw_val[nraw] = (const char *)(intptr_t)i;
            nraw++;
            if (!eq && i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0)
                i++; /*  tentatively a value; re-checked against the verb's options */
            continue;
        }
        if (nwords < CLI_MAX_POS + 2)
            words[nwords++] = a;
        else {
            fprintf(stderr, "samenctl: too many arguments\n");
            return CLI_USAGE;
        }
    }
    (void)gflags;
    if (nwords == 0 || strcmp(words[0], "help") == 0) {
        if (nwords > 1) {
            for (int i = 0; s_nouns[i]; i++)
                if (strcmp(s_nouns[i]->noun, words[1]) == 0) {
                    s_noun_help(s_nouns[i], stdout);
                    return CLI_OK;
                }
        }
        s_help(nwords == 0 && !help ? stderr : stdout);
        return nwords == 0 && !help ? CLI_USAGE : CLI_OK;
    }
    const cli_noun_t *noun = NULL;
    for (int i = 0; s_nouns[i]; i++)
        if (strcmp(s_nouns[i]->noun, words[0]) == 0)
            noun = s_nouns[i];
    if (!noun) {
        fprintf(stderr, "samenctl: unknown command \"%s\"; see samenctl help\n", words[0]);
        return CLI_USAGE;
    }
    cli.noun = noun->noun;
    const cli_verb_t *verb = s_find_verb(noun, NULL);
    int first_pos = 1;
    if (!verb) {
        if (nwords < 2) {
            if (help) {
                s_noun_help(noun, stdout);
                return CLI_OK;
            }
            s_noun_help(noun, stderr);
            return CLI_USAGE;
        }
        verb = s_find_verb(noun, words[1]);
        if (!verb) {
            fprintf(stderr, "samenctl: %s has no verb \"%s\"\n\n", noun->noun, words[1]);
            s_noun_help(noun, stderr);
            return CLI_USAGE;
        }
        cli.verb = verb->verb;
        first_pos = 2;
    }
    if (help) {
        s_verb_help(noun, verb, stdout);
        return CLI_OK;
    }
    /*  Resolve the verb's flags now that its options are known. */
    for (int r = 0; r < nraw; r++) {
        const char *a = raw_name[r];
        int idx = (int)(intptr_t)raw_val[r];
        char name[64];
        const char *eq = strchr(a + 2, '=');
        snprintf(name, sizeof name, "%.*s", (int)(eq ? eq - a - 2 : (long)strlen(a + 2)), a + 2);
        const cli_opt_t *opt = NULL;
        for (int k = 0; verb->opts && verb->opts[k].name; k++)
            if (strcmp(verb->opts[k].name, name) == 0)
                opt = &verb->opts[k];
        if (!opt) {
            char list[400] = "";
            size_t o = 0;
            for (int k = 0; verb->opts && verb->opts[k].name && o < sizeof list - 40; k++)
                o += (size_t)snprintf(list + o, sizeof list - o, " --%s", verb->opts[k].name);
            return cli_usage_error(&cli, "unknown flag --%s for %s %s; accepted:%s", name,
                                   noun->noun, verb->verb ? verb->verb : "",
                                   list[0] ? list : " none");
        }
        const char *val = NULL;
        if (opt->value) {
            val = eq ? eq + 1 : (idx + 1 < argc ? argv[idx + 1] : NULL);
            if (!val || (!eq && strncmp(val, "--", 2) == 0))
                return cli_usage_error(&cli, "--%s needs a value", name);
        } else if (eq)
            return cli_usage_error(&cli, "--%s takes no value", name);
        else if (idx + 1 < argc && strncmp(argv[idx + 1], "--", 2) != 0) {
            /*  A switch: the word after it was taken as its value above;
                give it back to the positional arguments. */
            if (nwords < CLI_MAX_POS + 2) {
                /*  keep order: positional words after flags are rare; append */
                words[nwords++] = argv[idx + 1];
            }
        }
        if (!opt->repeat && cli_has(&cli, name))
            return cli_usage_error(&cli, "--%s given twice", name);
        cli.flag_name[cli.nflags] = opt->name;
        cli.flag_value[cli.nflags] = opt->value ? val : NULL;
        cli.nflags++;
    }
    for (int i = first_pos; i < nwords; i++)
        cli.pos[cli.npos++] = words[i];
    if (cli.npos < verb->min_pos || cli.npos > verb->max_pos)
        return cli_usage_error(&cli, "%s takes %d to %d arguments, got %d (usage: samenctl %s)",
                               verb->usage, verb->min_pos, verb->max_pos, cli.npos, verb->usage);
    if (cli.format && !strstr(" text csv md html ics svg ", cli.format)) {
        return cli_usage_error(&cli, "--format takes text, csv, md, html, ics or svg, got \"%s\"",
                               cli.format);
    }
    /*  The broker: flag, environment, config file, default. */
    sm_config_t *cfg = NULL;
    const char *cfgpath = getenv("SAMEN_CONFIG");
    if (!cfgpath && access("/etc/samen/samen.cfg", R_OK) == 0)
        cfgpath = "/etc/samen/samen.cfg";
    sm_err_t e;
    sm_err_clear(&e);
    if (cfgpath && (!(cfg = sm_config_load(cfgpath, &e)) || sm_config_table_check(cfg, &e))) {
        fprintf(stderr, "samenctl: %s: %s\n", cfgpath, e.message);
        sm_config_destroy(&cfg);
        return CLI_USAGE;
    }
    /*  The language: flag, environment, config file, English. */
    const char *lang;
    if (sm_i18n_resolve(locale_flag, cfg, &lang, &e) != 0 || sm_i18n_init(lang, &e) != 0) {
        fprintf(stderr, "samenctl: %s\n", e.message);
        sm_config_destroy(&cfg);
        return CLI_USAGE;
    }
    cli.nl = strcmp(sm_i18n_lang(), "nl") == 0;
    if (!cli.broker)
        cli.broker = getenv("SAMEN_BROKER");
    if (!cli.broker && cfg)
        cli.broker = sm_config_str(cfg, "broker/endpoint", NULL);
    if (!cli.broker)
        cli.broker = SM_DEFAULT_BROKER;
    if (!cli.events)
        cli.events = getenv("SAMEN_EVENTS");
    if (!cli.events && cfg)
        cli.events = sm_config_str(cfg, "broker/events_out", NULL);
    /*  samenctl's key: flag, environment, config, the admin key. */
    if (!key_file)
        key_file = getenv("SAMEN_KEY");
    sm_config_t *empty = cfg ? NULL : sm_config_load(NULL, NULL);
    if (getenv("SAMEN_KEYS_DIR") && *getenv("SAMEN_KEYS_DIR"))
        sm_config_set(cfg ? cfg : empty, "security/keys_dir", getenv("SAMEN_KEYS_DIR"));
    int sec_rc = sm_security_client(cfg ? cfg : empty, "samenctl/key", key_file, "admin", &cli.sec,
                                    &e);
    sm_config_destroy(&empty);
    bool files_only = strcmp(noun->noun, "key") == 0;
    int rc;
    if (sec_rc != 0 && !files_only) {
        fprintf(stderr, "samenctl: %s\n", e.message);
        sm_config_destroy(&cfg);
        return CLI_USAGE;
    }
    if (sec_rc != 0)
        cli.sec.name[0] = '\0'; /*  no key of its own: the audit log says "-" */
    cli.zctx = zmq_ctx_new();
    if (!files_only)
        cli.client = sm_client_new(cli.zctx, cli.broker, 0, &cli.sec, &e);
    if (!files_only && !cli.client) {
        fprintf(stderr, "samenctl: %s\n", e.message);
        rc = CLI_USAGE;
    } else
        rc = verb->fn(&cli);
    memset(cli.sec.secret_key, 0, sizeof cli.sec.secret_key);
    fflush(stdout);
    sm_client_destroy(&cli.client);
    zmq_ctx_term(cli.zctx);
    sm_config_destroy(&cfg);
    return rc;
}
