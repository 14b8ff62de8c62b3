/*  common/config_table.c - every setting samen.cfg may hold, and the check
    of a configuration against them. See config_table.h. */
#include "config_table.h"
#include "endpoints.h"
#include "common/i18n.h"
#include "log.h"
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVERY SM_CFG_EVERY_SERVICE
#define MONEY_MAX 1000000000000000LL /*  common/money.h SM_MONEY_MAX */

const char *const sm_cfg_services[] = {"intake", "scheduling", "reporting", "finance", NULL};

/*  The two rows of one participation method's own defaults
    (scheduling/methods/CODE/...). */
#define METHOD_ROWS(code, capacity, reimbursement)                                                \
    {"scheduling", "methods/" code "/capacity", SM_CFG_TEXT, 0, 0, capacity,                      \
     "places when a " code " session is planned without them: \"\" = default_capacity, 0 = no "  \
     "limit"},                                                                                    \
    {"scheduling", "methods/" code "/reimbursement_cents", SM_CFG_TEXT, 0, 0, reimbursement,      \
     "reimbursement of a " code " session planned without one: \"\" = "                         \
     "default_reimbursement_cents"}

/*  The two rows of one principle of the yardstick (meetlat,
    services/reporting/yardstick_rules.h): its text in Dutch and in English. */
#define YARDSTICK_ROWS(n, nl, en)                                                                  \
    {"reporting", "yardstick/" n "/nl", SM_CFG_TEXT, 0, 0, nl,                                     \
     "principle " n " of the yardstick, as the region writes it"},                                 \
    {"reporting", "yardstick/" n "/en", SM_CFG_TEXT, 0, 0, en,                                     \
     "principle " n " in English, for locale en (not given: the Dutch)"}

/*  One row per setting. Keep deploy/samen.cfg and the README's operators'
    guide in step: tests/unit/test_config.c checks the file against this. */
const sm_cfg_row_t sm_cfg_table[] = {
    /*  ---- the deployment as a whole: every program reads it ---- */
    {"samen", "locale", SM_CFG_TEXT, 0, 0, "en",
     "the language people read: nl (Nederlands) or en (English) (common/i18n.h checks it)"},
    /*  ---- security: every process (common/security.h, docs/security.md) ---- */
    {"security", "mode", SM_CFG_TEXT, 0, 0, "curve",
     "curve: every connection CurveZMQ-encrypted and authenticated by key; plain: neither, "
     "loopback and ipc:// only"},
    {"security", "keys_dir", SM_CFG_PATH, 0, 0, "var/keys",
     "public/ (trusted), secret/, revoked/, broker.cert, audit.log"},
    {"security", "broker_cert", SM_CFG_TEXT, 0, 0, "",
     "the broker's public certificate (empty: KEYS_DIR/broker.cert)"},
    {"samenctl", "key", SM_CFG_TEXT, 0, 0, "",
     "samenctl's secret certificate (empty: KEYS_DIR/secret/admin.cert_secret)"},

    /*  ---- broker: also read by every service to reach it ---- */
    /*  The three endpoints may list a broker pair, comma-separated, for
        services and clients (common/endpoints.h); a broker binds one. */
    {"broker", "endpoint", SM_CFG_ENDPOINTS, 0, 0, "tcp://127.0.0.1:5555",
     "MDP requests (clients and workers); several brokers: EP,EP"},
    {"broker", "events_in", SM_CFG_ENDPOINTS, 0, 0, "tcp://127.0.0.1:5556",
     "XSUB: services publish here; several brokers: one each, same order"},
    {"broker", "events_out", SM_CFG_ENDPOINTS, 0, 0, "tcp://127.0.0.1:5557",
     "XPUB: subscribers connect here; several brokers: one each, same order"},
    {"broker", "heartbeat_ms", SM_CFG_INT, 100, 60000, "1000",
     "MDP heartbeat interval (same for all daemons)"},
    {"broker", "heartbeat_liveness", SM_CFG_INT, 2, 100, "5",
     "silent intervals before a peer counts as gone"},
    {"broker", "link_heartbeat_ms", SM_CFG_INT, 100, 60000, "500",
     "ZMTP heartbeat on each client's connection to a broker: 3 silent intervals and the "
     "client tries the next broker (common/client.h)"},
    {"broker", "request_expiry_ms", SM_CFG_INT, 1, 3600000, "5000",
     "answer `unavailable` after this long without a worker"},
    {"broker", "max_message_bytes", SM_CFG_INT, 4096, 268435456, "1048576",
     "larger frames are refused on every socket"},
    {"broker", "subscriber_hwm", SM_CFG_INT, 1, 10000000, "100000",
     "events queued per slow subscriber before dropping"},
    {"broker", "max_queued", SM_CFG_INT, 1, 10000000, "100000",
     "requests waiting for a worker before new ones are refused"},
    {"broker", "key", SM_CFG_TEXT, 0, 0, "",
     "the broker's secret certificate (empty: KEYS_DIR/broker.cert_secret)"},
    {"broker", "keys_check_ms", SM_CFG_INT, 100, 60000, "1000",
     "how soon a new or revoked key takes effect"},
    {"broker", "io_threads", SM_CFG_INT, 1, 64, "1",
     "ZeroMQ I/O threads: where CurveZMQ encrypts and decrypts"},
    {"broker", "log_level", SM_CFG_LEVEL, 0, 0, "info", "debug, info, warn, error"},
    {"broker", "log_file", SM_CFG_TEXT, 0, 0, "",
     "append log lines to this file instead of stderr; re-opened on SIGHUP"},
    {"broker", "http_port", SM_CFG_INT, 0, 65535, "9560",
     "port of /healthz, /readyz and /metrics on http_address (0: off)"},
    {"broker", "http_address", SM_CFG_ADDRESS, 0, 0, "127.0.0.1",
     "the address http_port is bound on: 127.0.0.1, 0.0.0.0 (every IPv4 one), ::1, :: or one "
     "of the host's"},
    {"broker", "stall_ms", SM_CFG_INT, 2000, 3600000, "30000",
     "/healthz fails once the loop has not turned for this long"},

    /*  ---- every service's section ---- */
    {EVERY, "data_dir", SM_CFG_PATH, 0, 0, "var/SERVICE",
     "the service's own LMDB environment (relative: to the working directory)"},
    {EVERY, "workers", SM_CFG_INT, 1, 256, "32",
     "MDP worker connections (concurrency for group commit)"},
    {EVERY, "map_size_mb", SM_CFG_INT, 1, 1048576, "64", "initial LMDB map; it doubles when full"},
    {EVERY, "max_map_mb", SM_CFG_INT, 0, 1048576, "0",
     "the map never grows past this; writes are then refused as disk full (0: no ceiling)"},
    {EVERY, "idem_ttl_s", SM_CFG_INT, 60, 31536000, "86400",
     "how long replies are kept for retried request ids"},
    {EVERY, "backfill_interval_ms", SM_CFG_INT, 100, 3600000, "2000",
     "how often followed services' logs are polled"},
    {EVERY, "log_level", SM_CFG_LEVEL, 0, 0, "info", "debug, info, warn, error; SIGHUP re-reads it"},
    {EVERY, "backup_dir", SM_CFG_PATH, 0, 0, "var/backups/SERVICE",
     "samenctl backup writes here only: a plain name inside it, mode 0600"},
    {EVERY, "audit_retention_days", SM_CFG_INT, 1, 36500, "730",
     "audit log entries are kept this long, then pruned"},
    {EVERY, "log_file", SM_CFG_TEXT, 0, 0, "",
     "append log lines to this file instead of stderr; re-opened on SIGHUP"},
    {EVERY, "key", SM_CFG_TEXT, 0, 0, "",
     "the service's secret certificate (empty: KEYS_DIR/secret/NAME.cert_secret)"},
    {EVERY, "stall_ms", SM_CFG_INT, 2000, 3600000, "30000",
     "/healthz fails once the loop has not turned for this long"},
    /*  Each daemon's own port for /healthz, /readyz and /metrics
        (common/opsweb.h), on http_address: one row per service, as each
        has a default of its own. */
    {"intake", "http_port", SM_CFG_INT, 0, 65535, "9561",
     "port of /healthz, /readyz and /metrics on http_address (0: off)"},
    {"scheduling", "http_port", SM_CFG_INT, 0, 65535, "9562",
     "port of /healthz, /readyz and /metrics on http_address (0: off)"},
    {"reporting", "http_port", SM_CFG_INT, 0, 65535, "9563",
     "port of /healthz, /readyz and /metrics on http_address (0: off)"},
    {"finance", "http_port", SM_CFG_INT, 0, 65535, "9564",
     "port of /healthz, /readyz and /metrics on http_address (0: off)"},
    /*  The address those ports are bound on: the same default for all. */
    {EVERY, "http_address", SM_CFG_ADDRESS, 0, 0, "127.0.0.1",
     "the address http_port is bound on: 127.0.0.1, 0.0.0.0 (every IPv4 one), ::1, :: or one "
     "of the host's"},

    /*  ---- intake ---- */
    {"intake", "answer_period", SM_CFG_TEXT, 0, 0, "6w",
     "time to answer a signal or advice (42d, 6w or 2m)"},
    {"intake", "evaluation_period", SM_CFG_TEXT, 0, 0, "6m",
     "time from the answer to the evaluation"},
    {"intake", "overdue_check_ms", SM_CFG_INT, 1000, 86400000, "3600000",
     "how often to look for late items (at most daily)"},
    {"intake", "export_timeout_ms", SM_CFG_INT, 100, 10000, "2000",
     "how long an export (and a session's needs list) waits for the other services"},
    {"intake", "review_period", SM_CFG_TEXT, 0, 0, "2y",
     "participant review lists consents and contacts older than this (2y, 18m)"},
    /*  E-mail (services/intake/mail.h; docs/intake.md "E-mail"). */
    {"intake", "mail/relay", SM_CFG_TEXT, 0, 0, "",
     "the SMTP relay's host name or address; empty: no mail is sent"},
    {"intake", "mail/port", SM_CFG_INT, 1, 65535, "587", "the relay's port"},
    {"intake", "mail/starttls", SM_CFG_TEXT, 0, 0, "required",
     "STARTTLS: required, optional or off"},
    {"intake", "mail/username", SM_CFG_TEXT, 0, 0, "", "login at the relay; empty: no login"},
    {"intake", "mail/password_file", SM_CFG_TEXT, 0, 0, "",
     "a file holding the relay's password on its first line"},
    {"intake", "mail/ca_file", SM_CFG_TEXT, 0, 0, "",
     "CA certificates for STARTTLS; empty: the system's"},
    {"intake", "mail/from", SM_CFG_TEXT, 0, 0, "",
     "the sender, \"Name <address>\"; needed with a relay"},
    {"intake", "mail/reply_to", SM_CFG_TEXT, 0, 0, "",
     "where answers go (the coordinator's address); empty: the sender"},
    {"intake", "mail/timeout_ms", SM_CFG_INT, 1000, 600000, "30000",
     "how long one attempt at the relay may take"},
    {"intake", "mail/templates", SM_CFG_TEXT, 0, 0, "share/samen/mail",
     "the templates' directory (a directory per language inside)"},
    {"intake", "mail/locale", SM_CFG_TEXT, 0, 0, "nl", "the mails' language: nl or en"},
    {"intake", "mail/programme", SM_CFG_TEXT, 0, 0, "Samenkracht",
     "the programme's name in the mails"},
    {"intake", "mail/per_tick", SM_CFG_INT, 1, 1000, "20",
     "mails handed to the relay per tick (4 ticks a second)"},
    {"intake", "mail/retry_min_s", SM_CFG_INT, 1, 86400, "60",
     "the wait after a first failed attempt; it doubles"},
    {"intake", "mail/retry_max_s", SM_CFG_INT, 1, 604800, "3600",
     "the longest wait between attempts"},
    {"intake", "mail/give_up_h", SM_CFG_INT, 1, 8760, "48",
     "give up on a mail not sent this many hours after it was queued"},
    {"intake", "mail/reminder_days", SM_CFG_INT, 0, 60, "2",
     "the reminder goes this many days before a session; 0: none"},
    {"intake", "mail/unsubscribe_url", SM_CFG_TEXT, 0, 0, "",
     "the public address of the unsubscribe page; newsletters need it"},
    {"intake", "mail/http_listen", SM_CFG_TEXT, 0, 0, "",
     "host:port of intake's unsubscribe endpoint; empty: none"},

    /*  ---- scheduling ---- */
    {"scheduling", "default_capacity", SM_CFG_INT, 1, 10000, "12",
     "places when a session is planned without a capacity"},
    {"scheduling", "default_reimbursement_cents", SM_CFG_INT, 0, MONEY_MAX, "1500",
     "EUR 15 per participant per session unless set"},
    {"scheduling", "document_max_bytes", SM_CFG_INT, 4096, 67108864, "524288",
     "largest grid or calendar in one reply"},
    /*  Each method's own defaults for a session planned without them: ""
        takes default_capacity / default_reimbursement_cents, a number is
        the method's own (capacity 0: no limit on places). A survey (E) has
        no places and pays nothing. Checked by samen-scheduling at start. */
    METHOD_ROWS("FG", "", ""),
    METHOD_ROWS("I", "", ""),
    METHOD_ROWS("SB", "", ""),
    METHOD_ROWS("E", "0", "0"),
    METHOD_ROWS("KB", "", ""),
    METHOD_ROWS("WB", "", ""),
    METHOD_ROWS("T", "", ""),
    METHOD_ROWS("C", "", ""),
    METHOD_ROWS("N", "", ""),

    /*  ---- reporting ---- */
    {"reporting", "send_within_days", SM_CFG_INT, 1, 366, "28",
     "a report must reach the participants this soon"},
    {"reporting", "pii_scan_timeout_ms", SM_CFG_INT, 100, 30000, "2000",
     "how long publishing waits for intake's check"},
    /*  The yardstick applied to each theme and decision: the quality
        manifesto's six principles by default (DOMAIN.md §7, §10); up to
        ten. A text given in one language serves both; a principle given in
        neither takes its slot's default. Checked by samen-reporting at
        start. */
    {"reporting", "yardstick/count", SM_CFG_INT, 1, 10, "6",
     "how many principles the yardstick has (their texts below)"},
    YARDSTICK_ROWS("1", "De mens staat centraal", "People are central"),
    YARDSTICK_ROWS("2", "We geven en vragen vertrouwen", "We give and ask for trust"),
    YARDSTICK_ROWS("3", "De invloed van de praktijk en het beleid zijn gelijkwaardig",
                   "Practice and policy have equal influence"),
    YARDSTICK_ROWS("4", "We baseren ons op feiten en onderzoek",
                   "We base ourselves on facts and research"),
    YARDSTICK_ROWS("5", "We werken resultaatgericht", "We work towards results"),
    YARDSTICK_ROWS("6", "We leren en verbeteren", "We learn and improve"),
    YARDSTICK_ROWS("7", "", ""),
    YARDSTICK_ROWS("8", "", ""),
    YARDSTICK_ROWS("9", "", ""),
    YARDSTICK_ROWS("10", "", ""),

    /*  ---- finance ---- */
    {"finance", "reimbursement_cap_cents", SM_CFG_INT, 0, MONEY_MAX, "250000",
     "yearly cap on paid reimbursements (EUR 2,500)"},
    {"finance", "reimbursement_default_cents", SM_CFG_INT, 0, MONEY_MAX, "1500",
     "EUR 15 per participant per session"},

    /*  ---- site: the public website (services/site/settings.h) ---- */
    {"site", "output_dir", SM_CFG_PATH, 0, 0, "var/site/public",
     "builds go here; a web server serves OUTPUT_DIR/current, swapped to each complete build"},
    {"site", "state_dir", SM_CFG_PATH, 0, 0, "var/site/state",
     "the site's cursors per followed service, one small file written atomically"},
    {"site", "base_url", SM_CFG_TEXT, 0, 0, "http://localhost:8080/",
     "the site's public address (http:// or https://), for the feeds' links"},
    {"site", "rebuild_ms", SM_CFG_INT, 100, 86400000, "5000",
     "after an event, wait this long for more: the site is rebuilt at most this often"},
    {"site", "backfill_interval_ms", SM_CFG_INT, 100, 3600000, "2000",
     "how often the followed services' event logs are polled"},
    {"site", "request_timeout_ms", SM_CFG_INT, 100, 600000, "5000",
     "how long one request to a service may take (tried twice)"},
    {"site", "keep_builds", SM_CFG_INT, 1, 100, "2",
     "older builds kept beside the current one, for readers still on them"},
    {"site", "title", SM_CFG_TEXT, 0, 0, "",
     "the site's name in its header (empty: \"Residents' participation\" in the site's language)"},
    {"site", "contact", SM_CFG_TEXT, 0, 0, "",
     "how residents sign up for a session, shown on the agenda (the programme's address, not a person's)"},
    {"site", "log_level", SM_CFG_LEVEL, 0, 0, "info", "debug, info, warn, error; SIGHUP re-reads it"},
    {"site", "log_file", SM_CFG_TEXT, 0, 0, "",
     "append log lines to this file instead of stderr; re-opened on SIGHUP"},
    {"site", "key", SM_CFG_TEXT, 0, 0, "",
     "samen-site's secret certificate (empty: KEYS_DIR/secret/site.cert_secret, role service:site)"},

    {NULL, NULL, 0, 0, 0, NULL, NULL}};

/* ==== Lookup ============================================================ */

static bool s_is_service(const char *section, size_t len)
{
    for (int i = 0; sm_cfg_services[i]; i++)
        if (strlen(sm_cfg_services[i]) == len && strncmp(sm_cfg_services[i], section, len) == 0)
            return true;
    return false;
}

/*  True when row applies to the section of length len. */
static bool s_row_in(const sm_cfg_row_t *row, const char *section, size_t len)
{
    if (strcmp(row->section, EVERY) == 0)
        return s_is_service(section, len);
    return strlen(row->section) == len && strncmp(row->section, section, len) == 0;
}

const sm_cfg_row_t *sm_cfg_row(const char *path)
{
    const char *slash = strchr(path, '/');
    if (!slash)
        return NULL;
    size_t len = (size_t)(slash - path);
    for (const sm_cfg_row_t *r = sm_cfg_table; r->section; r++)
        if (s_row_in(r, path, len) && strcmp(r->key, slash + 1) == 0)
            return r;
    return NULL;
}

/*  True when some row lives in section (length len), or nests below key
    prefix "section/key/" (a parent node of a nested key). */
static bool s_known_prefix(const char *path, size_t len)
{
    for (const sm_cfg_row_t *r = sm_cfg_table; r->section; r++) {
        char full[160];
        const char *sec = strcmp(r->section, EVERY) == 0 ? NULL : r->section;
        if (!sec) {
            const char *slash = memchr(path, '/', len);
            size_t sl = slash ? (size_t)(slash - path) : len;
            if (!s_is_service(path, sl))
                continue;
            snprintf(full, sizeof full, "%.*s/%s", (int)sl, path, r->key);
        } else
            snprintf(full, sizeof full, "%s/%s", sec, r->key);
        if (strlen(full) > len && strncmp(full, path, len) == 0 && full[len] == '/')
            return true;
    }
    return false;
}

/* ==== The nearest known name ============================================ */

/*  Edit distance between a and b (both short), capped at 99. */
static int s_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 60 || lb > 60)
        return 99;
    int d[61][61];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

/*  Into out, the known path nearest to path: a section for a one-part
    path, else a key of the same section (or of any section when that one
    is unknown). */
static void s_nearest(const char *path, char *out, size_t size)
{
    int best = 1000;
    out[0] = '\0';
    const char *slash = strchr(path, '/');
    for (const sm_cfg_row_t *r = sm_cfg_table; r->section; r++)
        for (int s = 0; s < 5; s++) {
            const char *sec = strcmp(r->section, EVERY) == 0 ? sm_cfg_services[s] : r->section;
            if (!sec || (s > 0 && strcmp(r->section, EVERY) != 0))
                break;
            char cand[160];
            if (slash)
                snprintf(cand, sizeof cand, "%s/%s", sec, r->key);
            else
                snprintf(cand, sizeof cand, "%s", sec);
            int d = s_distance(path, cand);
            /*  Within the same section, prefer its keys. */
            if (slash && strncmp(cand, path, (size_t)(slash - path) + 1) == 0)
                d -= 20;
            if (d < best) {
                best = d;
                snprintf(out, size, "%s", cand);
            }
        }
}

/* ==== Values ============================================================ */

/*  Check value v of row (at path). Returns 0 or -1 with err. */
static int s_check_value(const sm_cfg_row_t *row, const char *path, const char *v,
                         sm_err_t *err)
{
    switch (row->type) {
    case SM_CFG_INT: {
        char *end = NULL;
        errno = 0;
        long long n = strtoll(v, &end, 10);
        if (errno || end == v || *end != '\0' || n < row->min || n > row->max)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                              _("setting %s is \"%s\"; give a whole number from %lld to %lld"),
                              path, v, (long long)row->min, (long long)row->max);
        return 0;
    }
    case SM_CFG_ENDPOINT:
        return sm_config_endpoint_check(path, v, err);
    case SM_CFG_ENDPOINTS: {
        sm_endpoints_t list;
        return sm_endpoints_parse(path, v, &list, err);
    }
    case SM_CFG_LEVEL:
        if (sm_log_level_parse(v) < 0)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                              _("setting %s is \"%s\"; give debug, info, warn or error"), path, v);
        return 0;
    case SM_CFG_BOOL:
        if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                              _("setting %s is \"%s\"; give true or false"), path, v);
        return 0;
    case SM_CFG_ADDRESS: {
        unsigned char buf[sizeof(struct in6_addr)];
        if (inet_pton(AF_INET, v, buf) != 1 && inet_pton(AF_INET6, v, buf) != 1)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                              _("setting %s is \"%s\"; give an IPv4 or IPv6 address in digits, "
                                "without a port or brackets: 127.0.0.1 (this host only), 0.0.0.0 "
                                "(every IPv4 address), ::1, :: or one of the host's, such as "
                                "10.1.2.3"),
                              path, v);
        return 0;
    }
    case SM_CFG_PATH:
    case SM_CFG_TEXT:
        return 0;
    }
    return 0;
}

typedef struct {
    sm_err_t *err;
} s_check_t;

/*  sm_config_each visitor: one node of the file. */
static int s_check_node(const char *path, const char *value, bool parent, void *arg)
{
    s_check_t *c = arg;
    const char *slash = strchr(path, '/');
    size_t seclen = slash ? (size_t)(slash - path) : strlen(path);
    const sm_cfg_row_t *row = slash ? sm_cfg_row(path) : NULL;
    bool known;
    if (!slash)
        known = strcmp(path, "broker") == 0 || s_is_service(path, seclen) ||
                s_known_prefix(path, strlen(path));
    else
        known = row != NULL || (parent && s_known_prefix(path, strlen(path)));
    if (!known) {
        char near[160];
        s_nearest(path, near, sizeof near);
        return sm_err_set(c->err, SM_E_INVALID_ARGUMENT, path,
                          slash ? _("unknown setting \"%s\" in the configuration; the nearest "
                                    "known one is \"%s\" (deploy/samen.cfg lists every setting)")
                                : _("unknown section \"%s\" in the configuration; the nearest "
                                    "known one is \"%s\" (deploy/samen.cfg lists every setting)"),
                          path, near);
    }
    if (!row)
        return 0;
    if (parent)
        return sm_err_set(c->err, SM_E_INVALID_ARGUMENT, path,
                          _("setting %s holds nested settings; give it one value"), path);
    if (!*value && row->type != SM_CFG_TEXT)
        return sm_err_set(c->err, SM_E_INVALID_ARGUMENT, path,
                          _("setting %s is empty; give a value (its default is \"%s\") or leave "
                            "the line out"),
                          path, row->dflt);
    return s_check_value(row, path, value, c->err);
}

int sm_config_table_check(sm_config_t *cfg, sm_err_t *err)
{
    s_check_t c = {err};
    return sm_config_each(cfg, s_check_node, &c) ? -1 : 0;
}

/* ==== Reading declared settings ========================================= */

/*  The row for path; a path missing from the table is a programming error. */
static const sm_cfg_row_t *s_row(const char *path)
{
    const sm_cfg_row_t *row = sm_cfg_row(path);
    if (!row) {
        fprintf(stderr, "PANIC: setting \"%s\" is not in common/config_table.c (a programming "
                        "error)\n",
                path);
        abort();
    }
    return row;
}

const char *sm_cfg_str(sm_config_t *cfg, const char *path)
{
    return sm_config_str(cfg, path, s_row(path)->dflt);
}

int sm_cfg_int(sm_config_t *cfg, const char *path, int64_t *out, sm_err_t *err)
{
    const sm_cfg_row_t *row = s_row(path);
    const char *v = sm_config_str(cfg, path, row->dflt);
    if (s_check_value(row, path, v, err) != 0)
        return -1;
    *out = strtoll(v, NULL, 10);
    return 0;
}

const char *sm_cfg_endpoint(sm_config_t *cfg, const char *path, sm_err_t *err)
{
    const sm_cfg_row_t *row = s_row(path);
    if (row->type != SM_CFG_ENDPOINTS)
        return sm_config_endpoint(cfg, path, row->dflt, err);
    const char *v = sm_config_str(cfg, path, row->dflt);
    return s_check_value(row, path, v, err) == 0 ? v : NULL;
}

int sm_cfg_level(sm_config_t *cfg, const char *path, sm_err_t *err)
{
    const char *v = sm_cfg_str(cfg, path);
    int level = sm_log_level_parse(v);
    if (level < 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                          _("setting %s is \"%s\"; give debug, info, warn or error"), path, v);
    return level;
}

const char *sm_cfg_address(sm_config_t *cfg, const char *path, sm_err_t *err)
{
    const sm_cfg_row_t *row = s_row(path);
    const char *v = sm_config_str(cfg, path, row->dflt);
    return s_check_value(row, path, v, err) == 0 ? v : NULL;
}
