/*  services/site/main.c - samen-site: the public website, rebuilt from events.

    samen-site [--config FILE] [--endpoint EP] [--events-out EP]
               [--output-dir DIR] [--state-dir DIR] [--base-url URL]
               [--locale nl|en] [--log-level L] [--once] [--help] [--version]

    A subscriber like any other (services/site/follow.h): it follows
    scheduling's and reporting's events, and whenever one may change what
    the public sees it fetches the public view through the broker
    (services/site/fetch.h), renders every page (services/site/build.h),
    writes a new build and swaps it in atomically (services/site/output.h),
    at most once per rebuild_ms. A new day, other settings or a missing
    build also make a new build; nothing else does, so a restart with
    nothing new builds nothing (services/site/state.h).

    It holds no personal data and never calls intake: the ops it calls are
    declared for the role service:site and return only what may be
    published.

    Exit status: 0 after SIGTERM/SIGINT (or after --once built or found the
    site current); 1 when --once could not build; 2 on a usage or
    configuration error. SIGHUP re-opens log_file and re-reads log_level.
*/
#include "common/client.h"
#include "common/config.h"
#include "common/config_table.h"
#include "common/date.h"
#include "common/i18n.h"
#include "common/log.h"
#include "services/site/build.h"
#include "services/site/fetch.h"
#include "services/site/follow.h"
#include "services/site/output.h"
#include "services/site/settings.h"
#include "services/site/state.h"
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define SITE_VERSION "0.1.0"
/*  A failed build is tried again after rebuild_ms, doubling up to this. */
#define S_RETRY_MAX_MS 60000

/*  Set by the signal handler, read by the loop: the only mutable statics,
    and the only type a handler may write safely. */
static volatile sig_atomic_t s_term = 0;
static volatile sig_atomic_t s_hangup = 0;

static void s_on_signal(int sig)
{
    if (sig == SIGHUP)
        s_hangup = 1;
    else
        s_term = 1;
}

static const char s_usage[] =
    "usage: samen-site [--config FILE] [--endpoint EP] [--events-out EP] [--output-dir DIR]\n"
    "                  [--state-dir DIR] [--base-url URL] [--locale nl|en]\n"
    "                  [--log-level debug|info|warn|error] [--once] [--help] [--version]\n"
    "\n"
    "Builds the programme's public website (agenda, themes, reports, yearly overviews,\n"
    "an iCalendar and an Atom feed) from scheduling's and reporting's events, into\n"
    "OUTPUT_DIR/build-N, and swaps OUTPUT_DIR/current to each complete build: serve\n"
    "OUTPUT_DIR/current with any web server. Settings come from section \"site\" of FILE\n"
    "(samen.cfg, or $SAMEN_CONFIG); flags override them. --once builds when anything\n"
    "changed since the last build, then exits.\n"
    "\n"
    "example: samen-site --config /etc/samen/samen.cfg\n";

/*  Flags that set a setting. */
static const struct {
    const char *flag, *key;
} s_flags[] = {{"--endpoint", "broker/endpoint"},
               {"--events-out", "broker/events_out"},
               {"--output-dir", "site/output_dir"},
               {"--state-dir", "site/state_dir"},
               {"--base-url", "site/base_url"},
               {"--log-level", "site/log_level"},
               {NULL, NULL}};

/*  Everything the loop works with. */
typedef struct {
    site_settings_t cfg;
    const char *lang;
    char title[SITE_TITLE_MAX * 4 + 1];
    char fingerprint[17];
    site_state_t state;
    site_data_t prev; //  the last build's data: lends report texts to the next
    uint64_t highest; //  the highest build number on disk: the next build's is above
    sm_security_t sec; //  its key (role service:site) and the broker's
    sm_client_t *client;
    site_follow_t *follow;
    bool dirty;   //  something may have changed since the last build
    int failures; //  builds failed in a row
} s_site_t;

/*  Monotonic milliseconds. */
static int64_t s_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ==== Start ================================================================ */

/*  Say why the daemon does not start: on stderr and in the log. */
static void s_refuse(const sm_err_t *err)
{
    char q[600];
    fprintf(stderr, "samen-site: %s\n", err->message);
    sm_error("cannot start", "field=%s err=%s", err->field[0] ? err->field : "-",
             sm_log_quote(err->message, q, sizeof q));
}

/*  Parse argv: the config path, the locale, --once, and the setting
    overrides into over. Returns 0, 1 (help or version printed: exit 0) or
    -1 (usage error printed: exit 2). */
static int s_args(int argc, char **argv, const char **cfgpath, const char **locale, bool *once,
                  sm_config_t *over)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(s_usage, stdout);
            return 1;
        }
        if (strcmp(a, "--version") == 0) {
            printf("samen-site %s\n", SITE_VERSION);
            return 1;
        }
        if (strcmp(a, "--once") == 0) {
            *once = true;
            continue;
        }
        int j = 0;
        while (s_flags[j].flag && strcmp(s_flags[j].flag, a) != 0)
            j++;
        bool known = s_flags[j].flag || strcmp(a, "--config") == 0 || strcmp(a, "--locale") == 0;
        if (!known) {
            fprintf(stderr, _("samen-site: unknown argument \"%s\"\n%s"), a, s_usage);
            return -1;
        }
        if (i + 1 >= argc || argv[i + 1][0] == '\0') {
            fprintf(stderr, _("samen-site: %s needs a value\n%s"), a, s_usage);
            return -1;
        }
        const char *v = argv[++i];
        if (strcmp(a, "--config") == 0)
            *cfgpath = v;
        else if (strcmp(a, "--locale") == 0)
            *locale = v;
        else
            sm_config_set(over, s_flags[j].key, v);
    }
    return 0;
}

/*  Load the file (NULL: none) with the flags' overrides over it. Returns
    the configuration, or NULL with err. */
static sm_config_t *s_load(const char *path, sm_config_t *over, sm_err_t *err)
{
    sm_config_t *cfg = sm_config_load(path, err);
    if (cfg)
        sm_config_merge(cfg, over);
    return cfg;
}

/*  Read the log settings of cfg and apply them. Returns 0, or -1 with err. */
static int s_logging(sm_config_t *cfg, sm_err_t *err)
{
    int level = sm_cfg_level(cfg, "site/log_level", err);
    const char *file = sm_cfg_str(cfg, "site/log_file");
    if (level < 0 || (file[0] && sm_log_open(file, "site/log_file", err) != 0))
        return -1;
    sm_log_init("site", (sm_log_level_t)level);
    return 0;
}

/*  After SIGHUP: re-open log_file and re-read log_level. A bad file is
    logged and the running settings stay. Never fails. */
static void s_reload(const char *path, sm_config_t *over)
{
    sm_err_t err;
    char q[600];
    sm_err_clear(&err);
    sm_config_t *cfg = s_load(path, over, &err);
    if (!cfg || sm_config_table_check(cfg, &err) != 0 || s_logging(cfg, &err) != 0)
        sm_warn("configuration not reloaded; the running settings stay", "field=%s err=%s",
                err.field[0] ? err.field : "-", sm_log_quote(err.message, q, sizeof q));
    else
        sm_info("configuration reloaded", "log_level=%s", sm_cfg_str(cfg, "site/log_level"));
    sm_config_destroy(&cfg);
}

/*  Read the state file and make the output directory agree with it.
    Sets site->dirty when a build is due though no event came. Returns 0,
    or -1 with err. */
static int s_open_state(s_site_t *site, sm_err_t *err)
{
    sm_err_t e;
    char q[600];
    sm_err_clear(&e);
    if (site_state_load(site->cfg.state_dir, &site->state, &e) != 0) {
        //  The site is derived data: a damaged state file costs one build
        //  from the services' logs, not the daemon.
        sm_warn("state file not usable; building the site again from the services' logs", "err=%s",
                sm_log_quote(e.message, q, sizeof q));
        memset(&site->state, 0, sizeof site->state);
    }
    bool intact = false;
    if (site_output_recover(site->cfg.output_dir, site->state.generation, &intact, &site->highest,
                            err) != 0)
        return -1;
    //  A crash between a commit and its pruning leaves old builds behind.
    site_output_prune(site->cfg.output_dir, site->state.generation, site->cfg.keep_builds);
    char today[11];
    sm_date_format(sm_date_today(), today);
    const char *why = !site->state.generation ? "first build"
                      : !intact               ? "the current build is missing"
                      : strcmp(site->state.fingerprint, site->fingerprint) != 0 ? "settings changed"
                      : strcmp(site->state.built_on, today) != 0                ? "a new day"
                                                                                : NULL;
    site->dirty = why != NULL;
    sm_info("site opened",
            "generation=%" PRIu64 " scheduling=%" PRIu64 " reporting=%" PRIu64 " build=%s",
            site->state.generation, site->state.cursors[0].seq, site->state.cursors[1].seq,
            why ? why : "not needed");
    return 0;
}

/* ==== A build ============================================================== */

/*  Fetch, render, write, commit, swap. Returns 0, or -1 with err (the
    site that was there stays). */
static int s_build(s_site_t *site, sm_err_t *err)
{
    int64_t t0 = s_mono_ms();
    site_state_t next = site->state;
    site_data_t data;
    site_files_t files = {0};
    sm_date_t today = sm_date_today();
    //  The cursors before the fetch: what is fetched reflects at least
    //  these events. An event that comes during the build makes it dirty
    //  again; one that was already reflected only costs a build.
    site_follow_cursors(site->follow, next.cursors);
    site->dirty = false;
    if (site_fetch(site->client, (int)site->cfg.request_timeout_ms, today, &site->prev, &data,
                   err) != 0)
        goto fail;
    site_render_opts_t opts = {site->cfg.base_url, site->title, site->cfg.contact, today};
    if (site_render(&data, &opts, &files, err) != 0)
        goto fail;
    size_t bytes = 0;
    for (size_t i = 0; i < files.n; i++)
        bytes += files.files[i].len;
    next.generation =
        (site->highest > site->state.generation ? site->highest : site->state.generation) + 1;
    sm_date_format(today, next.built_on);
    snprintf(next.fingerprint, sizeof next.fingerprint, "%s", site->fingerprint);
    if (site_output_write(site->cfg.output_dir, next.generation, &files, err) != 0)
        goto fail;
    if (site_state_save(site->cfg.state_dir, &next, err) != 0) {
        //  Not committed: the build must not be served.
        site_output_recover(site->cfg.output_dir, site->state.generation, &(bool){false}, NULL,
                            NULL);
        goto fail;
    }
    site->state = next; //  committed: from here the swap is owed
    site->highest = next.generation;
    if (site_output_swap(site->cfg.output_dir, next.generation, err) != 0)
        goto fail; //  the next start, or the next build, swaps it in
    site_output_prune(site->cfg.output_dir, next.generation, site->cfg.keep_builds);
    sm_info("site built",
            "generation=%" PRIu64 " files=%zu bytes=%zu themes=%zu sessions=%zu reports=%zu "
            "scheduling=%" PRIu64 " reporting=%" PRIu64 " dur_ms=%lld",
            next.generation, files.n, bytes, data.n_themes, data.n_sessions, data.n_reports,
            next.cursors[0].seq, next.cursors[1].seq, (long long)(s_mono_ms() - t0));
    site_files_free(&files);
    site_data_free(&site->prev);
    site->prev = data;
    site->failures = 0;
    return 0;
fail:
    site_files_free(&files);
    site_data_free(&data);
    site->dirty = true;
    site->failures++;
    return -1;
}

/* ==== The loop ============================================================= */

/*  Follow and build until a signal (or, with once, until one build is
    done or refused). Returns the exit status. */
static int s_run(s_site_t *site, bool once, const char *cfgpath, sm_config_t *over)
{
    sm_err_t err;
    char q[600];
    int64_t next_backfill = 0, next_build = 0;
    bool backfill_failing = false;
    while (!s_term) {
        int64_t now = s_mono_ms();
        if (s_hangup) {
            s_hangup = 0;
            s_reload(cfgpath, over);
        }
        if (now >= next_backfill || site_follow_gap(site->follow)) {
            sm_err_clear(&err);
            int n = site_follow_backfill(site->follow, &err);
            if (n < 0 && !backfill_failing)
                sm_warn("cannot read the services' events; trying again", "err=%s",
                        sm_log_quote(err.message, q, sizeof q));
            else if (n >= 0 && backfill_failing)
                sm_info("reading the services' events again", NULL);
            backfill_failing = n < 0;
            site->dirty |= n > 0;
            next_backfill = now + site->cfg.backfill_interval_ms;
            if (once && n < 0) {
                fprintf(stderr, "samen-site: %s\n", err.message);
                return 1;
            }
        }
        char today[11];
        sm_date_format(sm_date_today(), today);
        if (site->state.generation && strcmp(today, site->state.built_on) != 0)
            site->dirty = true; //  what is "to come" changed at midnight
        if (site->dirty && now >= next_build && !backfill_failing) {
            sm_err_clear(&err);
            int64_t started = now;
            if (s_build(site, &err) != 0) {
                int64_t wait = site->cfg.rebuild_ms;
                for (int k = 1; k < site->failures && wait < S_RETRY_MAX_MS; k++)
                    wait *= 2;
                wait = wait < S_RETRY_MAX_MS ? wait : S_RETRY_MAX_MS;
                sm_warn("site not built; the previous build stays", "err=%s retry_ms=%lld",
                        sm_log_quote(err.message, q, sizeof q), (long long)wait);
                next_build = s_mono_ms() + wait;
                if (once) {
                    fprintf(stderr, "samen-site: %s\n", err.message);
                    return 1;
                }
            } else
                next_build = started + site->cfg.rebuild_ms;
        }
        if (once && !site->dirty && !backfill_failing)
            return 0;
        //  Sleep until an event, the next poll of the logs, or the next
        //  build that is due; at most a second, for the date and signals.
        now = s_mono_ms();
        int64_t wake = next_backfill;
        if (site->dirty && next_build < wake)
            wake = next_build;
        int64_t timeout = wake - now;
        timeout = timeout < 10 ? 10 : timeout > 1000 ? 1000 : timeout;
        zmq_pollitem_t item = {site_follow_socket(site->follow), 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&item, 1, (long)timeout) > 0 && (item.revents & ZMQ_POLLIN))
            site->dirty |= site_follow_live(site->follow) > 0;
    }
    sm_info("stopping", NULL);
    return 0;
}

int main(int argc, char **argv)
{
    sm_err_t err;
    sm_err_clear(&err);
    sm_log_init("site", SM_LOG_INFO);
    const char *cfgpath = getenv("SAMEN_CONFIG"), *locale = NULL;
    bool once = false;
    int status = 2;
    s_site_t site;
    memset(&site, 0, sizeof site);
    void *zctx = NULL;
    sm_config_t *cfg = NULL, *over = sm_config_load(NULL, &err);
    if (!over)
        goto done;
    int rc = s_args(argc, argv, &cfgpath, &locale, &once, over);
    if (rc != 0) {
        status = rc > 0 ? 0 : 2;
        goto done;
    }
    if (cfgpath && !cfgpath[0])
        cfgpath = NULL;
    if (!(cfg = s_load(cfgpath, over, &err)) || sm_date_today_check(&err) != 0 ||
        site_settings_read(cfg, &site.cfg, &err) != 0 || s_logging(cfg, &err) != 0 ||
        sm_i18n_resolve(locale, cfg, &site.lang, &err) != 0 || sm_i18n_init(site.lang, &err) != 0)
        goto refuse;
    snprintf(site.title, sizeof site.title, "%s",
             site.cfg.title[0] ? site.cfg.title : _("Residents' participation"));
    site_settings_fingerprint(&site.cfg, site.lang, site.fingerprint);
    status = 1;
    if (s_open_state(&site, &err) != 0)
        goto refuse;
    zctx = zmq_ctx_new();
    if (!zctx ||
        sm_security_client(cfg, "site/key", NULL, "site", &site.sec, &err) != 0 ||
        !(site.client = sm_client_new(zctx, site.cfg.endpoint, site.cfg.max_message_bytes,
                                      &site.sec, &err)) ||
        sm_client_set_link(site.client, (int)site.cfg.link_heartbeat_ms) != 0 ||
        !(site.follow = site_follow_new(zctx, site.client, &site.sec, site.cfg.events_out,
                                        site.state.cursors, (int)site.cfg.request_timeout_ms,
                                        &err)))
        goto refuse;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal; //  no SA_RESTART: zmq_poll returns EINTR
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    sm_info("started", "version=%s lang=%s output_dir=%s base_url=%s", SITE_VERSION, site.lang,
            site.cfg.output_dir, site.cfg.base_url);
    status = s_run(&site, once, cfgpath, over);
    goto done;
refuse:
    //  status is 2 for what the settings and flags refuse, 1 after.
    s_refuse(&err);
done:
    site_follow_destroy(&site.follow);
    sm_client_destroy(&site.client);
    site_data_free(&site.prev);
    if (zctx)
        zmq_ctx_term(zctx);
    sm_config_destroy(&cfg);
    sm_config_destroy(&over);
    return status;
}
