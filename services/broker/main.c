/*  services/broker/main.c - samen-broker: flags, configuration, signals, run.

    samen-broker [--config FILE] [--endpoint EP] [--events-in EP]
                 [--events-out EP] [--key FILE] [--log-level L] [--help] [--version]

    Settings come from section "broker" (and "security") of the config
    file; flags override the file. A bad value, or an unknown section or
    setting anywhere in the file, is refused with a message naming the
    setting and exit status 2, and so is, in plain mode, an endpoint that is
    not loopback or ipc://. SIGTERM and SIGINT stop the broker cleanly
    (status 0); SIGHUP re-opens log_file and re-reads log_level.
*/
#include "../../common/config.h"
#include "../../common/config_table.h"
#include "../../common/log.h"
#include "broker.h"
#include "common/config.h"
#include "common/config_table.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/security.h"
#include "services/broker/broker.h"
#include "services/broker/health.h"
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*  Set by the signal handler, read by the poll loop. A handler can reach
    nothing but static storage, and sig_atomic_t is the one type it may
    write safely; these are the only mutable statics in the broker.
    s_wake ends sm_broker_run for either signal; s_hangup says it was
    SIGHUP, after which main reloads and runs the loop again. */
static volatile sig_atomic_t s_wake = 0;
static volatile sig_atomic_t s_hangup = 0;
static volatile sig_atomic_t s_term = 0;

/*  Async-signal-safe: only stores flags. epoll_wait then returns EINTR
    (the handler is installed without SA_RESTART) and the loop sees it. */
static void s_on_signal(int sig)
{
    if (sig == SIGHUP)
        s_hangup = 1;
    else
        s_term = 1;
    s_wake = 1;
}

static const char s_usage[] = N_(
    "usage: samen-broker [--config FILE] [--endpoint EP] [--events-in EP] [--events-out EP]\n"
    "                    [--key FILE] [--log-level debug|info|warn|error] [--http-port N]\n"
    "                    [--http-address ADDR] [--help] [--version]\n"
    "\n"
    "Routes MDP/0.2 requests between samen clients and services, and fans out events.\n"
    "Settings (section \"broker\" of the config file; flags override the file):\n"
    "  endpoint            ROUTER for clients and workers    (default tcp://127.0.0.1:5555)\n"
    "  events_in           XSUB services publish to          (default tcp://127.0.0.1:5556)\n"
    "  events_out          XPUB subscribers connect to       (default tcp://127.0.0.1:5557)\n"
    "  heartbeat_ms        heartbeat interval, 10..600000    (default 1000)\n"
    "  heartbeat_liveness  missed heartbeats before a worker is expired, 1..100 (default 5)\n"
    "  request_expiry_ms   how long a request waits for a worker, 1..3600000 (default 5000)\n"
    "  max_message_bytes   largest frame accepted, 256..1073741824 (default 1048576)\n"
    "  subscriber_hwm      events queued per subscriber before loss, 1..10000000 (default 100000)\n"
    "  max_queued          requests waiting for workers, 1..10000000 (default 100000)\n"
    "  key                 the broker's secret certificate   (default "
    "KEYS_DIR/broker.cert_secret)\n"
    "  keys_check_ms       how often the trusted keys are reread, 100..60000 (default 1000)\n"
    "  io_threads          ZeroMQ I/O threads (encryption runs there), 1..64 (default 1)\n"
    "  log_level           debug, info, warn or error        (default info)\n"
    "  log_file            append logs to this file, not stderr (re-opened on SIGHUP)\n"
    "  http_port           port of /healthz, /readyz, /metrics; 0: off (default 9560)\n"
    "  http_address        the address http_port is bound on: an IPv4 or IPv6 address,\n"
    "                      0.0.0.0 or :: for every one (default 127.0.0.1)\n"
    "  stall_ms            /healthz fails once the loop has not turned for this long (default 30000)\n"
    "Section \"security\" (shared by every samen process):\n"
    "  mode                curve (CurveZMQ on every socket; the default) or plain\n"
    "                      (no encryption: only loopback and ipc:// endpoints are bound)\n"
    "  keys_dir            trusted keys in KEYS_DIR/public   (default var/keys)\n"
    "Every setting is listed in deploy/samen.cfg; an unknown one is refused.\n"
    "\n"
    "example: samen-broker --config /etc/samen/samen.cfg\n");

/*  Map a flag to its setting path, or NULL when it is not a value flag. */
static const char *s_flag_setting(const char *flag)
{
    static const char *const map[][2] = {{"--endpoint", "broker/endpoint"},
                                         {"--events-in", "broker/events_in"},
                                         {"--events-out", "broker/events_out"},
                                         {"--key", "broker/key"},
                                         {"--log-level", "broker/log_level"},
                                         {"--http-port", "broker/http_port"},
                                         {"--http-address", "broker/http_address"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(flag, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/*  Copy the endpoint at path into out. Returns 0, or -1 with err. */
static int s_endpoint(sm_config_t *config, const char *path, const char *dflt, char *out,
                      size_t size, sm_err_t *err)
{
    const char *ep = sm_config_endpoint(config, path, dflt, err);
    if (!ep)
        return -1;
    /*  Services and clients may list a broker pair here; a broker binds
        one endpoint of its own. */
    if (strchr(ep, ','))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                          _("setting %s lists several endpoints (\"%s\"); a broker binds one: "
                            "give this broker its own with the flag of the same name (e.g. "
                            "--endpoint) or a configuration file of its own"),
                          path, ep);
    if (strlen(ep) >= size)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                          _("setting %1$s is longer than %2$zu characters"), path, size - 1);
    /*  ep may be dflt, which may be out itself: copy only when they differ
        (snprintf from a buffer into itself is undefined). */
    if (ep != out)
        memmove(out, ep, strlen(ep) + 1);
    return 0;
}

/*  Read every broker setting into cfg and the log level into *level.
    Returns 0, or -1 with err naming the first bad setting. */
static int s_settings(sm_config_t *config, sm_broker_config_t *cfg, int *level, sm_err_t *err)
{
    sm_broker_config_defaults(cfg);
    if (sm_config_table_check(config, err) ||
        s_endpoint(config, "broker/endpoint", cfg->endpoint, cfg->endpoint, sizeof cfg->endpoint,
                   err) ||
        s_endpoint(config, "broker/events_in", cfg->events_in, cfg->events_in,
                   sizeof cfg->events_in, err) ||
        s_endpoint(config, "broker/events_out", cfg->events_out, cfg->events_out,
                   sizeof cfg->events_out, err))
        return -1;
    if (sm_cfg_int(config, "broker/heartbeat_ms", &cfg->heartbeat_ms, err) ||
        sm_cfg_int(config, "broker/heartbeat_liveness", &cfg->heartbeat_liveness, err) ||
        sm_cfg_int(config, "broker/request_expiry_ms", &cfg->request_expiry_ms, err) ||
        sm_cfg_int(config, "broker/max_message_bytes", &cfg->max_message_bytes, err) ||
        sm_cfg_int(config, "broker/subscriber_hwm", &cfg->subscriber_hwm, err) ||
        sm_cfg_int(config, "broker/max_queued", &cfg->max_queued, err))
        return -1;
    if (sm_cfg_int(config, "broker/keys_check_ms", &cfg->keys_check_ms, err) ||
        sm_cfg_int(config, "broker/io_threads", &cfg->io_threads, err))
        return -1;
    sm_security_t sec;
    if (sm_security_settings(config, &sec, err) != 0)
        return -1;
    cfg->security = sec.mode;
    snprintf(cfg->keys_dir, sizeof cfg->keys_dir, "%s", sec.keys_dir);
    const char *key = sm_config_str(config, "broker/key", NULL);
    if (key && strlen(key) >= sizeof cfg->key_file)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "broker/key",
                          _("setting broker/key is longer than %zu characters"),
                          sizeof cfg->key_file - 1);
    if (key)
        snprintf(cfg->key_file, sizeof cfg->key_file, "%s", key);
    else if (sm_keys_path(sec.keys_dir, NULL, "broker.cert_secret", cfg->key_file,
                          sizeof cfg->key_file, err) != 0)
        return -1;
    if (cfg->security == SM_SECURITY_PLAIN) {
        /*  Without CurveZMQ anyone who reaches a port is admin: keep the
            ports on this machine. */
        const char *const paths[] = {"broker/endpoint", "broker/events_in", "broker/events_out"};
        const char *const eps[] = {cfg->endpoint, cfg->events_in, cfg->events_out};
        for (int i = 0; i < 3; i++)
            if (!sm_endpoint_local(eps[i]))
                return sm_err_set(err, SM_E_INVALID_ARGUMENT, paths[i],
                                  _("security/mode is plain (no encryption, no keys), so %1$s must "
                                    "stay on this machine: give a tcp://127.0.0.1:PORT, "
                                    "tcp://localhost:PORT or ipc:// endpoint, not %2$s; or set "
                                    "security/mode = curve"),
                                  paths[i], eps[i]);
    }
    *level = sm_cfg_level(config, "broker/log_level", err);
    if (*level < 0)
        return -1;
    const char *log_file = sm_cfg_str(config, "broker/log_file");
    return log_file[0] ? sm_log_open(log_file, "broker/log_file", err) : 0;
}

static int s_flag(int argc, char **argv, int *i, char *flag, size_t size, const char **value);

/*  Load the file at path with the flags of argv over it. Returns the
    configuration, or NULL with err. */
static sm_config_t *s_load(const char *path, int argc, char **argv, sm_err_t *err)
{
    sm_config_t *config = sm_config_load(path, err);
    if (!config)
        return NULL;
    for (int i = 1; i < argc; i++) {
        char flag[32];
        const char *value;
        s_flag(argc, argv, &i, flag, sizeof flag, &value);
        if (s_flag_setting(flag))
            sm_config_set(config, s_flag_setting(flag), value);
    }
    return config;
}

/*  After SIGHUP: re-open the log file and re-read the log level. A bad
    file is logged and the running settings stay. Never fails. */
static void s_reload(const char *path, int argc, char **argv)
{
    sm_err_t err;
    sm_err_clear(&err);
    sm_broker_config_t cfg;
    int level = -1;
    char q[600];
    sm_config_t *config = s_load(path, argc, argv, &err);
    if (!config || s_settings(config, &cfg, &level, &err) != 0)
        sm_warn("configuration not reloaded; the running settings stay", "field=%s err=%s",
                err.field[0] ? err.field : "-", sm_log_quote(err.message, q, sizeof q));
    else {
        sm_log_init("broker", (sm_log_level_t)level);
        sm_info("configuration reloaded", "log_level=%s", sm_cfg_str(config, "broker/log_level"));
    }
    sm_config_destroy(&config);
}

/*  Split argv[*i] into a flag and its value ("--flag value" or
    "--flag=value"), advancing *i past a separate value. Returns 0, or -1
    with a message on stderr when the flag is unknown or lacks a value. */
static int s_flag(int argc, char **argv, int *i, char *flag, size_t size, const char **value)
{
    const char *arg = argv[*i];
    const char *eq = strchr(arg, '=');
    *value = NULL;
    if (eq && (size_t)(eq - arg) < size) {
        memcpy(flag, arg, (size_t)(eq - arg));
        flag[eq - arg] = '\0';
        *value = eq + 1;
    } else
        snprintf(flag, size, "%s", arg);
    if (!s_flag_setting(flag) && strcmp(flag, "--config") != 0) {
        fprintf(stderr, _("samen-broker: unknown argument \"%s\"\n"), arg);
        fputs(_(s_usage), stderr);
        return -1;
    }
    if (!*value) {
        if (*i + 1 >= argc) {
            fprintf(stderr, _("samen-broker: %s needs a value\n"), flag);
            fputs(_(s_usage), stderr);
            return -1;
        }
        *value = argv[++*i];
    }
    return 0;
}

int main(int argc, char **argv)
{
    /*  The language until the config file is read: $SAMEN_LOCALE, else
        English (a bad value is reported once the file is read). */
    const char *lang = SM_I18N_SOURCE;
    if (sm_i18n_resolve(NULL, NULL, &lang, NULL) != 0)
        lang = SM_I18N_SOURCE;
    sm_i18n_init(lang, NULL);
    /*  First pass: help, version, the config file, and checking every flag;
        the second pass (after loading the file) applies the overrides. */
    const char *config_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(_(s_usage), stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("samen-broker %s\n", SM_BROKER_VERSION);
            return 0;
        }
        char flag[32];
        const char *value;
        if (s_flag(argc, argv, &i, flag, sizeof flag, &value) != 0)
            return 2;
        if (strcmp(flag, "--config") == 0)
            config_path = value;
    }

    int status = 2;
    sm_err_t err;
    sm_err_clear(&err);
    sm_broker_t *broker = NULL;
    sm_broker_health_t *health = NULL;
    int64_t http_port = 0, stall_ms = 0;
    const char *http_address = NULL;
    sm_config_t *config = s_load(config_path, argc, argv, &err);
    if (!config) {
        fprintf(stderr, "samen-broker: %s\n", err.message);
        goto cleanup;
    }
    /*  The deployment's language (samen/locale): the broker's messages and
        its replies to a request without "lang". */
    if (sm_i18n_resolve(NULL, config, &lang, &err) != 0 || sm_i18n_init(lang, &err) != 0) {
        fprintf(stderr, "samen-broker: %s\n", err.message);
        goto cleanup;
    }
    sm_broker_config_t cfg;
    int level = SM_LOG_INFO;
    if (s_settings(config, &cfg, &level, &err) != 0 ||
        sm_cfg_int(config, "broker/http_port", &http_port, &err) != 0 ||
        !(http_address = sm_cfg_address(config, "broker/http_address", &err)) ||
        sm_cfg_int(config, "broker/stall_ms", &stall_ms, &err) != 0) {
        fprintf(stderr, "samen-broker: %s\n", err.message);
        goto cleanup;
    }
    sm_log_init("broker", (sm_log_level_t)level);

    /*  Install the handlers before binding so that a signal during start
        up is not lost, and without SA_RESTART so that epoll_wait is woken. */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = s_on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGHUP, &action, NULL);

    broker = sm_broker_new(&cfg, &err);
    if (!broker) {
        char q[600];
        sm_error("cannot start", "field=%s error=%s", err.field[0] ? err.field : "-",
                 sm_log_quote(err.message, q, sizeof q));
        /*  A key that cannot be read is a configuration error (2). */
        status = strcmp(err.code ? err.code : "", SM_E_INVALID_ARGUMENT) == 0 ? 2 : 1;
        goto cleanup;
    }
    /*  /healthz, /readyz, /metrics and systemd's notifications. */
    health = sm_broker_health_new(broker, http_address, (int)http_port, stall_ms, &err);
    if (!health) {
        sm_error("cannot start", "field=%s error=\"%s\"", err.field, err.message);
        status = 1;
        goto cleanup;
    }
    char q1[300], q2[300], q3[300], q4[300];
    sm_info("broker started",
            "version=%s endpoint=%s events_in=%s events_out=%s heartbeat_ms=%" PRId64
            " heartbeat_liveness=%" PRId64 " request_expiry_ms=%" PRId64
            " max_message_bytes=%" PRId64 " subscriber_hwm=%" PRId64 " max_queued=%" PRId64
            " security=%s keys_dir=%s",
            SM_BROKER_VERSION, sm_log_quote(cfg.endpoint, q1, sizeof q1),
            sm_log_quote(cfg.events_in, q2, sizeof q2), sm_log_quote(cfg.events_out, q3, sizeof q3),
            cfg.heartbeat_ms, cfg.heartbeat_liveness, cfg.request_expiry_ms, cfg.max_message_bytes,
            cfg.subscriber_hwm, cfg.max_queued,
            cfg.security == SM_SECURITY_CURVE ? "curve" : "plain",
            sm_log_quote(cfg.keys_dir, q4, sizeof q4));
    /*  SIGHUP ends a run to reload, then the loop runs on; the broker's
        sockets and state stay as they were. */
    for (;;) {
        status = sm_broker_run(broker, &s_wake) == 0 ? 0 : 1;
        s_wake = 0;
        if (status != 0 || s_term || !s_hangup)
            break;
        s_hangup = 0;
        s_reload(config_path, argc, argv);
        if (s_term)
            break;
    }
    sm_broker_stats_t stats;
    if (sm_broker_stats(broker, &stats) == 0)
        sm_info("broker stopped",
                "requests_routed=%" PRIu64 " replies_routed=%" PRIu64 " requests_expired=%" PRIu64
                " invalid_dropped=%" PRIu64 " events_forwarded=%" PRIu64 " uptime_s=%" PRId64,
                stats.requests_routed, stats.replies_routed, stats.requests_expired,
                stats.invalid_dropped, stats.events_forwarded, stats.uptime_s);
cleanup:
    sm_broker_health_destroy(&health);
    sm_broker_destroy(&broker);
    sm_config_destroy(&config);
    return status;
}
