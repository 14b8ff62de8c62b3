/*  common/service_setup.c - flags, settings, opening the store and the
    sockets, closing them, and sm_service_main. */
#include "common/config_table.h"
#include "common/date.h"
#include "common/i18n.h"
#include "common/service_internal.h"
#include "common/text.h"
#include <limits.h>
#include <time.h>

/*  Set by SIGTERM/SIGINT and SIGHUP; see service_internal.h. */
volatile sig_atomic_t svc_interrupted = 0;
volatile sig_atomic_t svc_hangup = 0;

static void s_on_signal(int sig)
{
    if (sig == SIGHUP)
        svc_hangup = 1;
    else
        svc_interrupted = 1;
}

/* ==== Set-up and the loop =============================================== */

static void s_usage(const sm_service_def_t *def, FILE *out)
{
    fprintf(out,
            "usage: samen-%s [--config FILE] [--data-dir DIR] [--endpoint EP] [--events-in EP]\n"
            "       [--events-out EP] [--workers N] [--key FILE] [--log-level debug|info|warn|error]\n"
            "       [--init] [--locale nl|en]\n"
            "\n"
            "Runs the samen %s service: registers with samen-broker at EP (default %s),\n"
            "keeps its store in DIR (default var/%s) and publishes events to the broker.\n"
            "A broker pair: EP,EP for --endpoint, --events-in and --events-out, in the same\n"
            "order; the service serves and publishes through both.\n"
            "Settings come from the [%s] section of FILE (samen.cfg); flags override them.\n"
            "A new store is created only in an empty (or new) DIR; --init allows another.\n"
            "SIGHUP re-reads log_level and re-opens log_file; SIGTERM/SIGINT stop cleanly.\n"
            "Documents are written in the language of --locale, else $SAMEN_LOCALE, else\n"
            "the setting samen/locale, else English; a request may ask for another.\n"
            "With security/mode = curve (the default) every connection uses CurveZMQ with the\n"
            "secret certificate FILE (%s/key; default KEYS_DIR/secret/%s.cert_secret) and the\n"
            "broker's public one (security/broker_cert; default KEYS_DIR/broker.cert).\n"
            "\n"
            "exit status: 0 stopped cleanly, 1 failed to start, 2 bad flag or setting,\n"
            "3 refused by the broker (another store serves %s, or the key may not serve it)\n"
            "\n"
            "example: samen-%s --config /etc/samen/samen.cfg --data-dir /var/lib/samen/%s\n",
            def->name, def->name, SM_DEFAULT_BROKER, def->name, def->name, def->name, def->name,
            def->name, def->name, def->name);
}

/*  Parse flags into cfg overrides. Returns 0, 1 (help/version printed) or
    -1 (usage error printed). */
static int s_parse_args(const sm_service_def_t *def, int argc, char **argv, const char **cfgpath,
                        const char **locale, sm_config_t *over, bool *init)
{
    static const struct {
        const char *flag, *key;
    } map[] = {{"--data-dir", "data_dir"},     {"--endpoint", "broker/endpoint"},
               {"--events-in", "broker/events_in"}, {"--events-out", "broker/events_out"},
               {"--workers", "workers"},       {"--log-level", "log_level"},
               {"--key", "key"},               {NULL, NULL}};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            s_usage(def, stdout);
            return 1;
        }
        if (strcmp(a, "--version") == 0) {
            printf("samen-%s %s\n", def->name, def->version);
            return 1;
        }
        if (strcmp(a, "--init") == 0) {
            *init = true;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, _("samen-%s: %s needs a value (or unknown flag)\n"), def->name, a);
            s_usage(def, stderr);
            return -1;
        }
        if (strcmp(a, "--config") == 0) {
            *cfgpath = argv[++i];
            continue;
        }
        if (strcmp(a, "--locale") == 0) {
            *locale = argv[++i];
            continue;
        }
        int j = 0;
        while (map[j].flag && strcmp(map[j].flag, a) != 0)
            j++;
        if (!map[j].flag) {
            fprintf(stderr, _("samen-%s: unknown flag %s\n"), def->name, a);
            s_usage(def, stderr);
            return -1;
        }
        if (argv[i + 1][0] == '\0') {
            fprintf(stderr, _("samen-%s: %s is empty; give a value\n"), def->name, a);
            return -1;
        }
        char key[96];
        if (strchr(map[j].key, '/'))
            snprintf(key, sizeof key, "%s", map[j].key);
        else
            snprintf(key, sizeof key, "%s/%s", def->name, map[j].key);
        sm_config_set(over, key, argv[++i]);
    }
    return 0;
}

/*  Bind the ops to their handlers, list the store's databases (the
    service's own, the audit log's and the stored replies' indexes), and read the settings of the
    built-in ops: backup_dir and audit_retention_days. Returns 0 or -1
    with e. */
static int s_setup_ops(sm_service_t *svc, sm_err_t *e)
{
    const char *name = svc->def->name;
    char key[96], dflt[160];
    if (svc_bind_ops(svc, e) != 0)
        return -1;
    int n = 0, k = 0;
    while (svc->def->dbs && svc->def->dbs[n])
        n++;
    svc->dbs = calloc((size_t)n + 5, sizeof *svc->dbs);
    if (!svc->dbs)
        return sm_err_set(e, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    for (int i = 0; i < n; i++)
        svc->dbs[k++] = svc->def->dbs[i];
    for (int i = 0; svc_audit_dbs[i]; i++)
        svc->dbs[k++] = svc_audit_dbs[i];
    for (int i = 0; svc_idem_dbs[i]; i++)
        svc->dbs[k++] = svc_idem_dbs[i];
    snprintf(key, sizeof key, "%s/backup_dir", name);
    snprintf(dflt, sizeof dflt, "var/backups/%s", name);
    const char *dir = sm_config_str(svc->cfg, key, dflt); /*  default per service */
    if (!dir[0] || strlen(dir) >= sizeof svc->backup_dir)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, key,
                          _("setting %s must be a directory path of 1 to %zu characters"), key,
                          sizeof svc->backup_dir - 1);
    snprintf(svc->backup_dir, sizeof svc->backup_dir, "%s", dir);
    int64_t days;
    snprintf(key, sizeof key, "%s/audit_retention_days", name);
    if (sm_cfg_int(svc->cfg, key, &days, e))
        return -1;
    svc->audit_retention_ms = days * 86400000LL;
    return 0;
}


/*  A random ID for this process (svc->incarnation), sent with every claim.
    Returns 0 or -1 with e. */
static int s_incarnation(sm_service_t *svc, sm_err_t *e)
{
    if (sm_random_id(svc->incarnation) != 0)
        return sm_err_set(e, SM_E_INTERNAL, NULL, _("cannot make a process ID: %s"),
                          strerror(errno));
    return 0;
}

/*  The first claim at broker b. A refusal for the incarnation means the
    broker still holds the claim of a process on a store with our instance
    ID: after a crash that is our own predecessor, whose workers expire
    within heartbeat_ms x heartbeat_liveness, so we ask again until then
    (and a little longer, for the broker's own timer); a copy of the store
    started beside a live original is still refused after that. Returns 0
    or -1 with e (refused). */
static int s_claim_at_start(sm_service_t *svc, int b, sm_err_t *e)
{
    int timeout = (int)(svc->heartbeat_ms < 1000 ? 1000 : svc->heartbeat_ms);
    int64_t until = svc_mono_ms() + svc->heartbeat_ms * (svc->liveness + 2);
    bool said = false;
    for (;;) {
        sm_err_clear(e);
        if (svc_claim(svc, b, timeout, e) == 0)
            return 0;
        if (strcmp(e->field, "incarnation") != 0 || svc_mono_ms() >= until || svc_interrupted)
            return -1;
        if (!said)
            sm_info("claim held by a process on a copy of this store or by our predecessor; "
                    "waiting for it to lapse", "broker=%d wait_ms=%lld", b,
                    (long long)(until - svc_mono_ms()));
        said = true;
        int64_t ms = svc->heartbeat_ms / 4 > 0 ? svc->heartbeat_ms / 4 : 1;
        nanosleep(&(struct timespec){.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L},
                  NULL);
    }
}

/*  Open DIR's log file (setting NAME/log_file) over stderr, if one is set.
    Returns 0 or -1 with e. */
static int s_log_file(sm_config_t *cfg, const char *name, sm_err_t *e)
{
    char key[96];
    snprintf(key, sizeof key, "%s/log_file", name);
    const char *path = sm_cfg_str(cfg, key);
    return path[0] ? sm_log_open(path, key, e) : 0;
}

/*  A client of the broker(s) at ep for the service's own requests, with
    the configured link heartbeat. Returns it, or NULL with e. */
static sm_client_t *s_client(sm_service_t *svc, const char *ep, sm_err_t *e)
{
    sm_client_t *c = sm_client_new(svc->zctx, ep, 64 << 20, &svc->sec, e);
    if (c && sm_client_set_link(c, (int)svc->link_ms) != 0) {
        sm_client_destroy(&c);
        sm_err_set(e, SM_E_INTERNAL, "broker/link_heartbeat_ms",
                   _("cannot open a socket to the broker at %s: %s"), ep,
                   zmq_strerror(zmq_errno()));
    }
    return c;
}

static int s_setup(sm_service_t *svc, sm_err_t *e)
{
    const char *name = svc->def->name;
    char key[96];
    int64_t workers, map_mb, max_mb, ttl_s;
    snprintf(key, sizeof key, "%s/log_level", name);
    int lv = sm_cfg_level(svc->cfg, key, e);
    if (lv < 0 || s_log_file(svc->cfg, name, e) != 0)
        return -1;
    sm_log_init(name, (sm_log_level_t)lv);
    const char *lang;
    if (sm_i18n_resolve(svc->locale_flag, svc->cfg, &lang, e) != 0 || sm_i18n_init(lang, e) != 0)
        return -1;
    if (!(svc->broker_ep = sm_cfg_endpoint(svc->cfg, "broker/endpoint", e)) ||
        !(svc->events_in = sm_cfg_endpoint(svc->cfg, "broker/events_in", e)) ||
        !(svc->events_out = sm_cfg_endpoint(svc->cfg, "broker/events_out", e)))
        return -1;
    /*  One events_in and one events_out per broker, in the same order. */
    if (sm_endpoints_parse("broker/endpoint", svc->broker_ep, &svc->brokers, e) ||
        sm_endpoints_parse("broker/events_in", svc->events_in, &svc->ev_in, e) ||
        sm_endpoints_parse("broker/events_out", svc->events_out, &svc->ev_out, e) ||
        sm_endpoints_match("broker/events_in", &svc->ev_in, "broker/endpoint", &svc->brokers, e) ||
        sm_endpoints_match("broker/events_out", &svc->ev_out, "broker/endpoint", &svc->brokers,
                           e))
        return -1;
    snprintf(key, sizeof key, "%s/key", name);
    if (sm_security_client(svc->cfg, key, NULL, name, &svc->sec, e) != 0)
        return -1;
    snprintf(key, sizeof key, "%s/workers", name);
    if (sm_cfg_int(svc->cfg, key, &workers, e))
        return -1;
    /*  `workers` connections to each broker. */
    if (workers * svc->brokers.n > SM_MAX_WORKERS)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, key,
                          _("setting %1$s is %2$lld with %3$d brokers: %4$lld worker connections, "
                            "more than %5$d; give at most %6$d"),
                          key, (long long)workers, svc->brokers.n,
                          (long long)(workers * svc->brokers.n), SM_MAX_WORKERS,
                          SM_MAX_WORKERS / svc->brokers.n);
    svc->nworkers = (int)workers * svc->brokers.n;
    for (int w = 0; w < svc->nworkers; w++)
        svc->workers[w].broker = w % svc->brokers.n;
    if (sm_cfg_int(svc->cfg, "broker/heartbeat_ms", &svc->heartbeat_ms, e) ||
        sm_cfg_int(svc->cfg, "broker/heartbeat_liveness", &svc->liveness, e) ||
        sm_cfg_int(svc->cfg, "broker/link_heartbeat_ms", &svc->link_ms, e) ||
        sm_cfg_int(svc->cfg, "broker/max_message_bytes", &svc->max_message, e))
        return -1;
    snprintf(key, sizeof key, "%s/map_size_mb", name);
    if (sm_cfg_int(svc->cfg, key, &map_mb, e))
        return -1;
    snprintf(key, sizeof key, "%s/max_map_mb", name);
    if (sm_cfg_int(svc->cfg, key, &max_mb, e))
        return -1;
    snprintf(key, sizeof key, "%s/idem_ttl_s", name);
    if (sm_cfg_int(svc->cfg, key, &ttl_s, e))
        return -1;
    svc->idem_ttl_ms = ttl_s * 1000;
    snprintf(key, sizeof key, "%s/backfill_interval_ms", name);
    if (sm_cfg_int(svc->cfg, key, &svc->backfill_interval_ms, e))
        return -1;
    /*  The data directory: a relative one is taken from the working
        directory and logged as the absolute path it resolves to, so that
        the log says which store was opened. */
    char dflt_dir[96], cwd[PATH_MAX], dir[PATH_MAX + 64];
    snprintf(dflt_dir, sizeof dflt_dir, "var/%s", name);
    snprintf(key, sizeof key, "%s/data_dir", name);
    const char *given = sm_config_str(svc->cfg, key, dflt_dir);
    if (given[0] == '/')
        snprintf(dir, sizeof dir, "%s", given);
    else if (getcwd(cwd, sizeof cwd))
        snprintf(dir, sizeof dir, "%s/%s", cwd, given);
    else
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, key,
                          _("setting %s is the relative path \"%s\" and the working directory "
                            "cannot be told (%s); give an absolute path"),
                          key, given, strerror(errno));
    if (strlen(dir) >= 500)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, key,
                          _("setting %s is too long (%zu characters, at most 499)"), key,
                          strlen(dir));
    if (given[0] != '/')
        sm_info("relative data directory resolved", "data_dir=%s dir=%s",
                sm_log_quote(given, (char[300]){0}, 300), sm_log_quote(dir, (char[600]){0}, 600));
    sm_store_opts_t opts = {.map_size = (uint64_t)map_mb << 20,
                            .max_map = (uint64_t)max_mb << 20,
                            .init = svc->init};
    if (s_setup_ops(svc, e) != 0)
        return -1;
    svc->store = sm_store_open_opts(dir, name, (const char *const *)svc->dbs,
                                    svc->def->schema_version, svc->def->migrate, &opts, e);
    if (!svc->store || svc_idem_index_check(svc, e) != 0)
        return -1;
    MDB_txn *txn;
    if (sm_store_begin(svc->store, false, &txn, e))
        return -1;
    svc->next_seq = sm_evlog_last_seq(svc->store, txn) + 1;
    for (int i = 0; svc->def->follows && svc->def->follows[i].service; i++) {
        const char *s = svc->def->follows[i].service;
        if (svc_follow_find(svc, s, strlen(s)) || svc->nfollow >= SM_MAX_FOLLOWED)
            continue;
        follow_t *fl = &svc->follow[svc->nfollow++];
        snprintf(fl->service, sizeof fl->service, "%s", s);
        MDB_val k = {strlen(s), (void *)s}, v;
        if (mdb_get(txn, sm_store_dbi(svc->store, "cursors"), &k, &v) == 0 && v.mv_size == 8)
            fl->cursor = sm_key_u64_decode(v.mv_data);
        svc_follow_load(svc, txn, fl);
        fl->need_backfill = true;
    }
    mdb_txn_abort(txn);
    if (svc->def->init && svc->def->init(svc, e) != 0)
        return -1;

    svc->epfd = epoll_create1(EPOLL_CLOEXEC);
    for (size_t i = 0; i < sizeof svc->ep_fd / sizeof svc->ep_fd[0]; i++)
        svc->ep_fd[i] = -1;
    if (svc->epfd < 0)
        return sm_err_set(e, SM_E_RESOURCE_EXHAUSTED, NULL, _("cannot create an epoll set"));
    svc->zctx = zmq_ctx_new();
    svc->batch = calloc(SM_MAX_WORKERS, sizeof *svc->batch);
    if (!svc->zctx || !svc->batch)
        return sm_err_set(e, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    svc->pub = zmq_socket(svc->zctx, ZMQ_PUB);
    int linger = 500, hwm = 100000;
    zmq_setsockopt(svc->pub, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(svc->pub, ZMQ_SNDHWM, &hwm, sizeof hwm);
    sm_link_heartbeat(svc->pub, (int)svc->link_ms);
    /*  One PUB to every broker's events-in: each event goes to each broker
        (a dead one's share waits in its queue up to the HWM, then drops;
        subscribers fill gaps from the log). */
    if (sm_security_apply(&svc->sec, svc->pub) != 0)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, "broker/events_in",
                          _("cannot connect to %s: %s"), svc->ev_in.ep[0],
                          zmq_strerror(zmq_errno()));
    for (int b = 0; b < svc->ev_in.n; b++)
        if (zmq_connect(svc->pub, svc->ev_in.ep[b]) != 0)
            return sm_err_set(e, SM_E_INVALID_ARGUMENT, "broker/events_in",
                              _("cannot connect to %s: %s"), svc->ev_in.ep[b],
                              zmq_strerror(zmq_errno()));
    if (svc->nfollow) {
        svc->sub = zmq_socket(svc->zctx, ZMQ_SUB);
        linger = 0;
        zmq_setsockopt(svc->sub, ZMQ_LINGER, &linger, sizeof linger);
        zmq_setsockopt(svc->sub, ZMQ_MAXMSGSIZE, &svc->max_message, sizeof svc->max_message);
        sm_link_heartbeat(svc->sub, (int)svc->link_ms);
        for (int i = 0; i < svc->nfollow; i++) {
            char topic[40];
            snprintf(topic, sizeof topic, "%s.", svc->follow[i].service);
            zmq_setsockopt(svc->sub, ZMQ_SUBSCRIBE, topic, strlen(topic));
        }
        /*  Every event then arrives once per broker; the cursor drops the
            second (service_follow.c). */
        if (sm_security_apply(&svc->sec, svc->sub) != 0)
            return sm_err_set(e, SM_E_INVALID_ARGUMENT, "broker/events_out",
                              _("cannot connect to %s: %s"), svc->ev_out.ep[0],
                              zmq_strerror(zmq_errno()));
        for (int b = 0; b < svc->ev_out.n; b++)
            if (zmq_connect(svc->sub, svc->ev_out.ep[b]) != 0)
                return sm_err_set(e, SM_E_INVALID_ARGUMENT, "broker/events_out",
                                  _("cannot connect to %s: %s"), svc->ev_out.ep[b],
                                  zmq_strerror(zmq_errno()));
        svc_ep_watch(svc, svc_slot_sub(svc), svc->sub);
        for (int i = 0; i < svc->nfollow; i++) {
            if (!(svc->follow[i].client = s_client(svc, svc->broker_ep, e)))
                return -1;
            svc_ep_watch(svc, svc_slot_follow(svc, i), sm_client_socket(svc->follow[i].client));
        }
    }
    if (!(svc->caller = s_client(svc, svc->broker_ep, e)))
        return -1;
    for (int b = 0; b < svc->brokers.n; b++)
        if (!(svc->claimer[b] = s_client(svc, svc->brokers.ep[b], e)))
            return -1;
    /*  Claim the name before any worker offers it: a second store is
        refused here, before it could serve a single request. With a pair,
        at each broker: either one refusing is enough to stop (the other
        may have been down when the first store claimed). A broker that
        does not answer now gets the claim when it DISCONNECTs our READY. */
    if (s_incarnation(svc, e) != 0)
        return -1;
    for (int b = 0; b < svc->brokers.n; b++)
        if (s_claim_at_start(svc, b, e) != 0) {
            svc->exit_status = 3; /*  refused by the broker */
            return -1;
        }
    /*  /healthz, /readyz and /metrics: after the claim, so that a second
        instance is refused for what it is, not for the port the first holds. */
    if (svc_ops_setup(svc, e) != 0)
        return -1;
    for (int w = 0; w < svc->nworkers; w++)
        if (svc_worker_connect(svc, w) != 0)
            return sm_err_set(e, SM_E_INVALID_ARGUMENT, "broker/endpoint",
                              _("cannot connect to the broker at %s: %s"),
                              svc->brokers.ep[svc->workers[w].broker],
                              zmq_strerror(zmq_errno()));
    int ntimers = 0;
    while (svc->def->timers && svc->def->timers[ntimers].name)
        ntimers++;
    svc->timer_last = calloc((size_t)ntimers + 1, sizeof *svc->timer_last);
    return 0;
}

static void s_teardown(sm_service_t *svc)
{
    svc_ops_teardown(svc);
    if (svc->def->fini)
        svc->def->fini(svc);
    for (int w = 0; w < svc->nworkers; w++) {
        if (svc->workers[w].sock) {
            svc_worker_send_cmd(svc, w, MDPW_DISCONNECT, NULL);
            svc_ep_forget(svc, w);
            zmq_close(svc->workers[w].sock);
        }
    }
    for (int i = 0; i < svc->nfollow; i++)
        sm_client_destroy(&svc->follow[i].client);
    sm_client_destroy(&svc->caller);
    for (int b = 0; b < SM_MAX_BROKERS; b++)
        sm_client_destroy(&svc->claimer[b]);
    if (svc->sub)
        zmq_close(svc->sub);
    if (svc->pub)
        zmq_close(svc->pub);
    if (svc->zctx)
        zmq_ctx_term(svc->zctx);
    svc_pending_free(svc);
    svc_batch_free(svc);
    sm_buf_free(&svc->scratch);
    free(svc->timer_last);
    free(svc->ops);
    free(svc->dbs);
    sm_store_destroy(&svc->store);
    sm_config_destroy(&svc->cfg);
    sm_config_destroy(&svc->cfg_over);
    if (svc->epfd >= 0)
        close(svc->epfd);
}

/*  Load the configuration: the file at path (none: every default) with the
    flags' overrides over it, checked against the table of settings.
    Returns it, or NULL with e. */
static sm_config_t *s_load(const char *path, sm_config_t *over, sm_err_t *e)
{
    sm_config_t *cfg = sm_config_load(path, e);
    if (!cfg)
        return NULL;
    sm_config_merge(cfg, over);
    if (sm_config_table_check(cfg, e) != 0)
        sm_config_destroy(&cfg);
    return cfg;
}

void svc_reload(sm_service_t *svc)
{
    svc_hangup = 0;
    const char *name = svc->def->name;
    char key[96], q[600];
    sm_err_t e;
    sm_err_clear(&e);
    /*  Re-open the log first, so that what follows lands in the new file
        (logrotate moved the old one away before it sent SIGHUP). */
    if (s_log_file(svc->cfg, name, &e) != 0)
        sm_warn("log file not re-opened", "err=%s", sm_log_quote(e.message, q, sizeof q));
    sm_config_t *fresh = s_load(svc->cfg_path, svc->cfg_over, &e);
    if (!fresh) {
        /*  A bad file never stops a running daemon: it keeps its settings. */
        sm_warn("configuration not reloaded; the running settings stay", "field=%s err=%s",
                e.field[0] ? e.field : "-", sm_log_quote(e.message, q, sizeof q));
        return;
    }
    snprintf(key, sizeof key, "%s/log_level", name);
    int lv = sm_cfg_level(fresh, key, &e);
    const char *level = lv >= 0 ? sm_cfg_str(fresh, key) : "-";
    if (lv >= 0)
        sm_log_init(name, (sm_log_level_t)lv);
    /*  A new log_file takes effect now; the next SIGHUP re-opens it. */
    snprintf(key, sizeof key, "%s/log_file", name);
    if (strcmp(sm_cfg_str(fresh, key), sm_cfg_str(svc->cfg, key)) != 0) {
        sm_config_set(svc->cfg, key, sm_cfg_str(fresh, key));
        if (s_log_file(svc->cfg, name, &e) != 0)
            sm_warn("log file not opened", "err=%s", sm_log_quote(e.message, q, sizeof q));
    }
    /*  Hooks for what else can change without a restart (the key
        directory, once there is one, goes here too). */
    if (svc->def->reload && svc->def->reload(svc, fresh, &e) != 0)
        sm_warn("service settings not reloaded", "err=%s", sm_log_quote(e.message, q, sizeof q));
    sm_info("configuration reloaded", "log_level=%s", level);
    sm_config_destroy(&fresh);
}

int sm_service_main(const sm_service_def_t *def, int argc, char **argv)
{
    sm_service_t svc;
    memset(&svc, 0, sizeof svc);
    svc.epfd = -1;
    svc.def = def;
    svc.started_ms = svc_mono_ms();
    sm_log_init(def->name, SM_LOG_INFO);
    const char *cfgpath = getenv("SAMEN_CONFIG");
    svc.cfg_over = sm_config_load(NULL, NULL);
    int rc = s_parse_args(def, argc, argv, &cfgpath, &svc.locale_flag, svc.cfg_over, &svc.init);
    if (rc != 0) {
        sm_config_destroy(&svc.cfg_over);
        return rc > 0 ? 0 : 2;
    }
    svc.cfg_path = cfgpath;
    sm_err_t e;
    sm_err_clear(&e);
    /*  The refusals below in the language asked for (--locale,
        $SAMEN_LOCALE, or the file's own samen/locale). */
    sm_config_t *raw = cfgpath ? sm_config_load(cfgpath, NULL) : NULL;
    if (raw)
        sm_config_merge(raw, svc.cfg_over);
    sm_i18n_early(svc.locale_flag, raw ? raw : svc.cfg_over);
    sm_config_destroy(&raw);
    /*  Every daemon refuses what it would otherwise ignore: an unknown
        setting, a value out of range, a SAMEN_TODAY that is not a date. */
    if (!(svc.cfg = s_load(cfgpath, svc.cfg_over, &e)) || sm_date_today_check(&e) != 0) {
        fprintf(stderr, "samen-%s: %s\n", def->name, e.message);
        sm_config_destroy(&svc.cfg);
        sm_config_destroy(&svc.cfg_over);
        return 2;
    }

    /*  Without SA_RESTART, so that the loop's wait is woken. SIGHUP is
        caught from here on: before, its default action would end us. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (s_setup(&svc, &e) != 0) {
        char q[600];
        sm_error("cannot start", "field=%s err=%s", e.field[0] ? e.field : "-",
                 sm_log_quote(e.message, q, sizeof q));
        fprintf(stderr, "samen-%s: %s\n", def->name, e.message);
        s_teardown(&svc);
        if (svc.exit_status)
            return svc.exit_status;
        return strcmp(e.code ? e.code : "", SM_E_INVALID_ARGUMENT) == 0 ? 2 : 1;
    }
    char q[300];
    sm_info("started", "version=%s broker=%s brokers=%d workers=%d last_seq=%llu locale=%s "
            "security=%s key=%s instance=%s",
            def->version, sm_log_quote(svc.broker_ep, q, sizeof q), svc.brokers.n, svc.nworkers,
            (unsigned long long)(svc.next_seq - 1), sm_i18n_default(),
            svc.sec.mode == SM_SECURITY_CURVE ? "curve" : "plain",
            svc.sec.mode == SM_SECURITY_CURVE ? svc.sec.name : "-",
            sm_store_instance(svc.store));
    svc_loop(&svc);
    sm_info("stopping", "requests=%llu batches=%llu events_published=%llu",
            (unsigned long long)svc.requests, (unsigned long long)svc.batches,
            (unsigned long long)svc.events_published);
    s_teardown(&svc);
    return svc.exit_status;
}
