/*  cli/top.c - samenctl top: one page on how every daemon is doing, from
    the /metrics each serves on this host (docs/metrics.md).

    Each daemon is read twice, --interval seconds apart (default 1), on
    its http_address and http_port from the configuration (else the
    defaults; a wildcard address, 0.0.0.0 or ::, is read on the loopback
    address of its family), so that rates are rates. A daemon whose endpoint does not
    answer is shown DOWN, one not ready as such; either makes the exit
    code 3, as with samenctl status. */
#include "cli.h"
#include "common/config.h"
#include "common/config_table.h"
#include "nouns.h"
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_NDAEMONS 5
static const char *const s_daemons[S_NDAEMONS] = {"broker", "intake", "scheduling", "reporting",
                                                  "finance"};

/*  One scrape: its text, and whether it answered. */
typedef struct {
    char *text;
    size_t len;
    bool ok;
} s_scrape_t;

/*  libcurl's write callback: append to the scrape, at most 4 MiB. */
static size_t s_write(char *data, size_t size, size_t n, void *arg)
{
    s_scrape_t *s = arg;
    size_t add = size * n;
    if (s->len + add > (4u << 20))
        return 0;
    char *t = realloc(s->text, s->len + add + 1);
    if (!t)
        return 0;
    memcpy(t + s->len, data, add);
    s->len += add;
    t[s->len] = '\0';
    s->text = t;
    return add;
}

/*  GET http://host:port/metrics into s, waiting at most 2 s. host is an
    IPv4 or IPv6 literal. */
static void s_get(const char *host, int port, s_scrape_t *s)
{
    memset(s, 0, sizeof *s);
    CURL *c = curl_easy_init();
    if (!c)
        return;
    char url[128];
    snprintf(url, sizeof url, strchr(host, ':') ? "http://[%s]:%d/metrics" : "http://%s:%d/metrics",
             host, port);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 2000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, s_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK &&
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status == 200 &&
        s->text)
        s->ok = true;
    curl_easy_cleanup(c);
}

/*  The sum of the samples named prefix (every label set), or of the one
    sample prefix names with its labels: 0 when none. */
static double s_sum(const s_scrape_t *s, const char *prefix)
{
    double sum = 0;
    size_t n = strlen(prefix);
    for (const char *p = s->text; p && *p;) {
        const char *eol = strchr(p, '\n');
        if (*p != '#' && strncmp(p, prefix, n) == 0 && (p[n] == ' ' || p[n] == '{')) {
            const char *sp = memrchr(p, ' ', eol ? (size_t)(eol - p) : strlen(p));
            if (sp)
                sum += strtod(sp + 1, NULL);
        }
        p = eol ? eol + 1 : NULL;
    }
    return sum;
}

/*  The sum of samen_requests_total over the ops for one outcome. */
static double s_outcome(const s_scrape_t *s, const char *outcome)
{
    char label[64];
    snprintf(label, sizeof label, ",outcome=\"%s\"} ", outcome);
    double sum = 0;
    for (const char *p = s->text; p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *at = strncmp(p, "samen_requests_total{", 21) == 0
                             ? memmem(p, len, label, strlen(label))
                             : NULL;
        if (at)
            sum += strtod(at + strlen(label), NULL);
        p = eol ? eol + 1 : NULL;
    }
    return sum;
}

/*  The 99th percentile of write durations in milliseconds from the
    histogram's buckets (its upper bound), or -1 without writes. */
static double s_p99_ms(const s_scrape_t *s)
{
    static const char *const le[] = {"0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005",
                                     "0.01",   "0.025",   "0.05",   "0.1",   "0.25",   "0.5",
                                     "1",      "2.5",     "5",      NULL};
    double count = s_sum(s, "samen_request_duration_seconds_count{kind=\"write\"}");
    if (count <= 0)
        return -1;
    for (int i = 0; le[i]; i++) {
        char key[120];
        snprintf(key, sizeof key, "samen_request_duration_seconds_bucket{kind=\"write\",le=\"%s\"}",
                 le[i]);
        if (s_sum(s, key) >= 0.99 * count)
            return strtod(le[i], NULL) * 1000;
    }
    return 5000;
}

/*  Human bytes: "3.2 MiB". */
static void s_bytes(double b, char *out, size_t size)
{
    if (b >= 1024.0 * 1024 * 1024)
        snprintf(out, size, "%.1f GiB", b / (1024.0 * 1024 * 1024));
    else
        snprintf(out, size, "%.1f MiB", b / (1024.0 * 1024));
}

static int s_top(cli_t *cli)
{
    const char *iv = cli_flag(cli, "interval");
    double interval = 1.0;
    if (iv) {
        char *end;
        interval = strtod(iv, &end);
        if (*end || !(interval >= 0.2 && interval <= 60))
            return cli_usage_error(cli, _("--interval takes seconds from 0.2 to 60, got \"%s\""),
                                   iv);
    }
    sm_config_t *empty = cli->cfg ? NULL : sm_config_load(NULL, NULL);
    sm_config_t *cfg = cli->cfg ? cli->cfg : empty;
    int ports[S_NDAEMONS];
    char hosts[S_NDAEMONS][64];
    for (int d = 0; d < S_NDAEMONS; d++) {
        char key[64];
        int64_t port = 0;
        snprintf(key, sizeof key, "%s/http_port", s_daemons[d]);
        sm_err_t e;
        if (!cfg || sm_cfg_int(cfg, key, &port, &e) != 0)
            port = 0;
        ports[d] = (int)port;
        snprintf(key, sizeof key, "%s/http_address", s_daemons[d]);
        const char *host = cfg ? sm_cfg_address(cfg, key, &e) : NULL;
        /*  A daemon listening on every address answers on loopback too. */
        if (!host || strcmp(host, "0.0.0.0") == 0)
            host = "127.0.0.1";
        else if (strcmp(host, "::") == 0)
            host = "::1";
        snprintf(hosts[d], sizeof hosts[d], "%s", host);
    }
    sm_config_destroy(&empty);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    s_scrape_t a[S_NDAEMONS], b[S_NDAEMONS];
    for (int d = 0; d < S_NDAEMONS; d++)
        if (ports[d])
            s_get(hosts[d], ports[d], &a[d]);
        else
            memset(&a[d], 0, sizeof a[d]);
    usleep((useconds_t)(interval * 1e6));
    for (int d = 0; d < S_NDAEMONS; d++)
        if (ports[d])
            s_get(hosts[d], ports[d], &b[d]);
        else
            memset(&b[d], 0, sizeof b[d]);
    curl_global_cleanup();

    int bad = 0;
    /* TRANSLATORS: the columns of samenctl top; keep each heading one word. */
    printf("%-11s %-9s %8s %10s %8s %8s %9s %10s %10s %9s %7s\n", _("DAEMON"), _("STATE"),
           _("REQ/S"), _("REQUESTS"), _("REFUSED"), _("REPLAYED"), _("WRITE-P99"), _("STORE"),
           _("MAP"), _("LAST-SEQ"), _("LAG"));
    for (int d = 0; d < S_NDAEMONS; d++) {
        bool broker = d == 0;
        if (!ports[d] || !b[d].ok) {
            bad++;
            printf("%-11s %-9s  %s\n", s_daemons[d], _("DOWN"),
                   !ports[d] ? _("(http_port is 0: no metrics)")
                             : _("(its /metrics on this host does not answer)"));
            continue;
        }
        bool ready = s_sum(&b[d], "samen_ready") > 0;
        bad += !ready;
        const char *total = broker ? "samen_broker_requests_routed_total" : "samen_requests_total";
        double req = s_sum(&b[d], total);
        double rate = a[d].ok ? (req - s_sum(&a[d], total)) / interval : 0;
        double refused = broker ? s_sum(&b[d], "samen_broker_requests_expired_total") +
                                      s_sum(&b[d], "samen_broker_requests_refused_total")
                                : 0;
        char p99[16] = "-", store[16] = "-", map[16] = "-", seq[24] = "-", lag[24] = "-",
             replayed[24] = "-";
        if (!broker) {
            /*  Refused: every outcome but ok and replayed. */
            double ok = s_outcome(&b[d], "ok"), rep = s_sum(&b[d], "samen_idem_replayed_total");
            refused = req - ok - rep;
            snprintf(replayed, sizeof replayed, "%.0f", rep);
            double ms = s_p99_ms(&b[d]);
            if (ms >= 0)
                snprintf(p99, sizeof p99, "%g ms", ms);
            s_bytes(s_sum(&b[d], "samen_store_used_bytes"), store, sizeof store);
            s_bytes(s_sum(&b[d], "samen_store_map_bytes"), map, sizeof map);
            snprintf(seq, sizeof seq, "%.0f", s_sum(&b[d], "samen_event_last_seq"));
            snprintf(lag, sizeof lag, "%.0f", s_sum(&b[d], "samen_follow_lag_events"));
        }
        printf("%-11s %-9s %8.1f %10.0f %8.0f %8s %9s %10s %10s %9s %7s\n", s_daemons[d],
               ready ? _("ready") : _("NOT-READY"), rate, req, refused, replayed, p99, store, map,
               seq, lag);
    }
    for (int d = 0; d < S_NDAEMONS; d++) {
        free(a[d].text);
        free(b[d].text);
    }
    return bad ? CLI_UNREACHABLE : CLI_OK;
}

static const cli_opt_t s_opts[] = {{"interval", true, false}, {NULL, false, false}};

static const cli_verb_t s_verbs[] = {
    {.fn = s_top,
     .opts = s_opts,
     .usage = "top [--interval SECONDS]",
     .summary = N_("One page on every daemon of this host, from their /metrics (docs/metrics.md): "
                   "ready or not, requests per second and in all, refused and replayed, the "
                   "99th percentile of writes, store and map size, last event seq, follower "
                   "lag. Reads each twice, --interval seconds apart (default 1); exits 3 when "
                   "any is down or not ready."),
     .example = "samenctl top --interval 5"},
    {0}};

const cli_noun_t cli_noun_top = {"top", N_("every daemon's figures on one page"), s_verbs};
