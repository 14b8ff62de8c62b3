/*  common/service_setup.c - flags, settings, opening the store and the
    sockets, closing them, and sm_service_main. */
#include "common/service_internal.h"

/*  Set by SIGTERM/SIGINT; see service_internal.h. */
volatile sig_atomic_t svc_interrupted = 0;

static void s_on_signal(int sig)
{
    (void)sig;
    svc_interrupted = 1;
}

/* ==== Set-up and the loop =============================================== */

static void s_usage(const sm_service_def_t *def, FILE *out)
{
    fprintf(out,
            "usage: samen-%s [--config FILE] [--data-dir DIR] [--endpoint EP] [--events-in EP]\n"
            "       [--events-out EP] [--workers N] [--key FILE] [--log-level debug|info|warn|error]\n"
            "\n"
            "Runs the samen %s service: registers with samen-broker at EP (default %s),\n"
            "keeps its store in DIR (default var/%s) and publishes events to the broker.\n"
            "Settings come from the [%s] section of FILE (samen.cfg); flags override them.\n"
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
                        sm_config_t *over)
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
        if (i + 1 >= argc) {
            fprintf(stderr, "samen-%s: %s needs a value (or unknown flag)\n", def->name, a);
            s_usage(def, stderr);
            return -1;
        }
        if (strcmp(a, "--config") == 0) {
            *cfgpath = argv[++i];
            continue;
        }
        int j = 0;
        while (map[j].flag && strcmp(map[j].flag, a) != 0)
            j++;
        if (!map[j].flag) {
            fprintf(stderr, "samen-%s: unknown flag %s\n", def->name, a);
            s_usage(def, stderr);
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

static int s_setup(sm_service_t *svc, sm_err_t *e)
{
    const char *name = svc->def->name;
    char key[96];
    int64_t workers, map_mb, ttl_s, level_dummy;
    (void)level_dummy;
    snprintf(key, sizeof key, "%s/log_level", name);
    const char *level = sm_config_str(svc->cfg, key, "info");
    int lv = sm_log_level_parse(level);
    if (lv < 0)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, key,
                          "setting %s is \"%s\"; give debug, info, warn or error", key, level);
    sm_log_init(name, (sm_log_level_t)lv);
    if (!(svc->broker_ep = sm_config_endpoint(svc->cfg, "broker/endpoint", SM_DEFAULT_BROKER, e)) ||
        !(svc->events_in = sm_config_endpoint(svc->cfg, "broker/events_in", SM_DEFAULT_EVENTS_IN, e)) ||
        !(svc->events_out = sm_config_endpoint(svc->cfg, "broker/events_out", SM_DEFAULT_EVENTS_OUT, e)))
        return -1;
    snprintf(key, sizeof key, "%s/key", name);
    if (sm_security_client(svc->cfg, key, NULL, name, &svc->sec, e) != 0)
        return -1;
    snprintf(key, sizeof key, "%s/workers", name);
    if (sm_config_int(svc->cfg, key, 32, 1, SM_MAX_WORKERS, &workers, e))
        return -1;
    svc->nworkers = (int)workers;
    if (sm_config_int(svc->cfg, "broker/heartbeat_ms", SM_DEFAULT_HEARTBEAT_MS, 100, 60000,
                      &svc->heartbeat_ms, e) ||
        sm_config_int(svc->cfg, "broker/heartbeat_liveness", SM_DEFAULT_HEARTBEAT_LIVENESS, 2, 100,
                      &svc->liveness, e) ||
        sm_config_int(svc->cfg, "broker/max_message_bytes", SM_DEFAULT_MAX_MESSAGE, 4096,
                      256 << 20, &svc->max_message, e))
        return -1;
    snprintf(key, sizeof key, "%s/map_size_mb", name);
    if (sm_config_int(svc->cfg, key, 64, 1, 1 << 20, &map_mb, e))
        return -1;
    snprintf(key, sizeof key, "%s/idem_ttl_s", name);
    if (sm_config_int(svc->cfg, key, 86400, 60, 86400 * 365, &ttl_s, e))
        return -1;
    svc->idem_ttl_ms = ttl_s * 1000;
    snprintf(key, sizeof key, "%s/backfill_interval_ms", name);
    if (sm_config_int(svc->cfg, key, 2000, 100, 3600000, &svc->backfill_interval_ms, e))
        return -1;
    char dflt_dir[96];
    snprintf(dflt_dir, sizeof dflt_dir, "var/%s", name);
    snprintf(key, sizeof key, "%s/data_dir", name);
    const char *dir = sm_config_str(svc->cfg, key, dflt_dir);
    svc->store = sm_store_open(dir, name, svc->def->dbs, svc->def->schema_version, svc->def->migrate,
                               (uint64_t)map_mb << 20, e);
    if (!svc->store)
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
        fl->need_backfill = true;
    }
    mdb_txn_abort(txn);
    if (svc->def->init && svc->def->init(svc, e) != 0)
        return -1;

    svc->epfd = epoll_create1(EPOLL_CLOEXEC);
    for (size_t i = 0; i < sizeof svc->ep_fd / sizeof svc->ep_fd[0]; i++)
        svc->ep_fd[i] = -1;
    if (svc->epfd < 0)
        return sm_err_set(e, SM_E_RESOURCE_EXHAUSTED, NULL, "cannot create an epoll set");
    svc->zctx = zmq_ctx_new();
    svc->batch = calloc(SM_MAX_WORKERS, sizeof *svc->batch);
    if (!svc->zctx || !svc->batch)
        return sm_err_set(e, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
    svc->pub = zmq_socket(svc->zctx, ZMQ_PUB);
    int linger = 500, hwm = 100000;
    zmq_setsockopt(svc->pub, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(svc->pub, ZMQ_SNDHWM, &hwm, sizeof hwm);
    if (sm_security_apply(&svc->sec, svc->pub) != 0 || zmq_connect(svc->pub, svc->events_in) != 0)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, "broker/events_in",
                          "cannot connect to %s: %s", svc->events_in, zmq_strerror(zmq_errno()));
    if (svc->nfollow) {
        svc->sub = zmq_socket(svc->zctx, ZMQ_SUB);
        linger = 0;
        zmq_setsockopt(svc->sub, ZMQ_LINGER, &linger, sizeof linger);
        zmq_setsockopt(svc->sub, ZMQ_MAXMSGSIZE, &svc->max_message, sizeof svc->max_message);
        for (int i = 0; i < svc->nfollow; i++) {
            char topic[40];
            snprintf(topic, sizeof topic, "%s.", svc->follow[i].service);
            zmq_setsockopt(svc->sub, ZMQ_SUBSCRIBE, topic, strlen(topic));
        }
        if (sm_security_apply(&svc->sec, svc->sub) != 0 ||
            zmq_connect(svc->sub, svc->events_out) != 0)
            return sm_err_set(e, SM_E_INVALID_ARGUMENT, "broker/events_out",
                              "cannot connect to %s: %s", svc->events_out,
                              zmq_strerror(zmq_errno()));
        svc_ep_watch(svc, svc_slot_sub(svc), svc->sub);
        for (int i = 0; i < svc->nfollow; i++) {
            if (!(svc->follow[i].client =
                      sm_client_new(svc->zctx, svc->broker_ep, 64 << 20, &svc->sec, e)))
                return -1;
            svc_ep_watch(svc, svc_slot_follow(svc, i), sm_client_socket(svc->follow[i].client));
        }
    }
    if (!(svc->caller = sm_client_new(svc->zctx, svc->broker_ep, 64 << 20, &svc->sec, e)))
        return -1;
    /*  Claim the name before any worker offers it: a second store is
        refused here, before it could serve a single request. */
    if (svc_claim(svc, (int)(svc->heartbeat_ms < 1000 ? 1000 : svc->heartbeat_ms), e) != 0)
        return -1;
    for (int w = 0; w < svc->nworkers; w++)
        if (svc_worker_connect(svc, w) != 0)
            return sm_err_set(e, SM_E_INVALID_ARGUMENT, "broker/endpoint",
                              "cannot connect to the broker at %s: %s", svc->broker_ep,
                              zmq_strerror(zmq_errno()));
    int ntimers = 0;
    while (svc->def->timers && svc->def->timers[ntimers].name)
        ntimers++;
    svc->timer_last = calloc((size_t)ntimers + 1, sizeof *svc->timer_last);
    return 0;
}

static void s_teardown(sm_service_t *svc)
{
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
    if (svc->sub)
        zmq_close(svc->sub);
    if (svc->pub)
        zmq_close(svc->pub);
    if (svc->zctx)
        zmq_ctx_term(svc->zctx);
    svc_pending_drop(svc, 0);
    free(svc->pending);
    free(svc->batch);
    free(svc->timer_last);
    sm_store_destroy(&svc->store);
    sm_config_destroy(&svc->cfg);
    if (svc->epfd >= 0)
        close(svc->epfd);
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
    sm_config_t *over = sm_config_load(NULL, NULL);
    int rc = s_parse_args(def, argc, argv, &cfgpath, over);
    if (rc != 0) {
        sm_config_destroy(&over);
        return rc > 0 ? 0 : 2;
    }
    sm_err_t e;
    sm_err_clear(&e);
    svc.cfg = sm_config_load(cfgpath, &e);
    if (!svc.cfg) {
        fprintf(stderr, "samen-%s: %s\n", def->name, e.message);
        sm_config_destroy(&over);
        return 2;
    }
    sm_config_merge(svc.cfg, over);
    sm_config_destroy(&over);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (s_setup(&svc, &e) != 0) {
        char q[600];
        sm_error("cannot start", "field=%s err=%s", e.field[0] ? e.field : "-",
                 sm_log_quote(e.message, q, sizeof q));
        fprintf(stderr, "samen-%s: %s\n", def->name, e.message);
        s_teardown(&svc);
        const char *code = e.code ? e.code : "";
        if (strcmp(code, SM_E_FAILED_PRECONDITION) == 0 ||
            strcmp(code, SM_E_PERMISSION_DENIED) == 0)
            return 3; /*  refused by the broker */
        return strcmp(code, SM_E_INVALID_ARGUMENT) == 0 ? 2 : 1;
    }
    char q[300];
    sm_info("started", "version=%s broker=%s workers=%d last_seq=%llu security=%s key=%s "
            "instance=%s",
            def->version, sm_log_quote(svc.broker_ep, q, sizeof q), svc.nworkers,
            (unsigned long long)(svc.next_seq - 1),
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
