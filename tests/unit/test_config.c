/*  tests/unit/test_config.c - samen.cfg: defaults without a file, values
    from a ZPL file, refusals that name the setting, endpoint checks, and
    command-line overrides merged over the file. */
#include "common/config.h"
#include "common/config_table.h"
#include "common/endpoints.h"
#include "common/i18n.h"
#include "test.h"
#include <stdlib.h>
#include <unistd.h>

/*  Write text to a fresh temporary file; its path goes into path. */
static bool s_write(char *path, size_t size, const char *text)
{
    snprintf(path, size, "/tmp/samen-test-config-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return false;
    size_t n = strlen(text);
    bool ok = write(fd, text, n) == (ssize_t)n;
    close(fd);
    return ok;
}

static bool s_has(const sm_err_t *e, const char *field, const char *part)
{
    bool ok = e->code && strcmp(e->code, SM_E_INVALID_ARGUMENT) == 0 &&
              strcmp(e->field, field) == 0 && strstr(e->message, part);
    if (!ok)
        printf("     error %s field \"%s\" \"%s\"; expected field \"%s\" and \"%s\"\n",
               e->code ? e->code : "-", e->field, e->message, field, part);
    return ok;
}

static const char s_file[] = "#   samen.cfg for the test\n"
                             "broker\n"
                             "    endpoint = \"ipc:///tmp/samen-test/broker\"\n"
                             "    heartbeat_ms = 250\n"
                             "intake\n"
                             "    data_dir = \"/var/lib/samen/intake\"\n"
                             "    workers = \"many\"\n"
                             "    map_size_mb = 99999999\n"
                             "    idem_ttl_s = 12abc\n"
                             "    events_out = \"http://example.org\"\n"
                             "    short = \"tcp://x\"\n"
                             "    empty = \"\"\n";

TEST(without_a_file_every_setting_has_its_default)
{
    sm_err_t e;
    sm_err_clear(&e);
    sm_config_t *c = sm_config_load(NULL, &e);
    CHECK(c != NULL);
    CHECK_STR(sm_config_str(c, "intake/data_dir", "var/intake"), "var/intake");
    CHECK(sm_config_str(c, "intake/data_dir", NULL) == NULL);
    int64_t v = 0;
    CHECK_INT(sm_config_int(c, "intake/workers", 32, 1, 256, &v, &e), 0);
    CHECK_INT(v, 32);
    CHECK_STR(sm_config_endpoint(c, "broker/endpoint", "tcp://127.0.0.1:5555", &e),
              "tcp://127.0.0.1:5555");
    CHECK(!sm_err_is_set(&e));
    sm_config_destroy(&c);
    CHECK(c == NULL);
    sm_config_destroy(&c); /*  safe twice */
}

TEST(values_come_from_the_file)
{
    char path[64];
    CHECK(s_write(path, sizeof path, s_file));
    sm_err_t e;
    sm_err_clear(&e);
    sm_config_t *c = sm_config_load(path, &e);
    CHECK(c != NULL);
    CHECK_STR(sm_config_str(c, "intake/data_dir", "var/intake"), "/var/lib/samen/intake");
    int64_t v = 0;
    CHECK_INT(sm_config_int(c, "broker/heartbeat_ms", 1000, 100, 60000, &v, &e), 0);
    CHECK_INT(v, 250);
    CHECK_STR(sm_config_endpoint(c, "broker/endpoint", "tcp://127.0.0.1:5555", &e),
              "ipc:///tmp/samen-test/broker");
    /*  a setting the file does not have, and one it leaves empty: defaults */
    CHECK_INT(sm_config_int(c, "broker/heartbeat_liveness", 5, 2, 100, &v, &e), 0);
    CHECK_INT(v, 5);
    CHECK_STR(sm_config_str(c, "intake/empty", "dflt"), "dflt");
    CHECK(!sm_err_is_set(&e));
    sm_config_destroy(&c);
    unlink(path);
}

TEST(a_bad_number_is_refused_naming_the_setting_and_the_range)
{
    char path[64];
    CHECK(s_write(path, sizeof path, s_file));
    sm_config_t *c = sm_config_load(path, NULL);
    CHECK(c != NULL);
    sm_err_t e;
    int64_t v = 7;
    sm_err_clear(&e);
    CHECK_INT(sm_config_int(c, "intake/workers", 32, 1, 256, &v, &e), -1);
    CHECK(s_has(&e, "intake/workers", "setting intake/workers is \"many\""));
    CHECK(s_has(&e, "intake/workers", "whole number from 1 to 256"));
    CHECK_INT(sm_config_int(c, "intake/map_size_mb", 64, 1, 1 << 20, &v, &e), -1);
    CHECK(s_has(&e, "intake/map_size_mb", "99999999"));
    CHECK_INT(sm_config_int(c, "intake/idem_ttl_s", 60, 60, 86400, &v, &e), -1);
    CHECK(s_has(&e, "intake/idem_ttl_s", "12abc"));
    CHECK_INT(sm_config_int(c, "broker/heartbeat_ms", 1000, 300, 600, &v, &e), -1);
    CHECK(s_has(&e, "broker/heartbeat_ms", "from 300 to 600"));
    CHECK_INT(v, 7); /*  untouched by refusals */
    sm_config_set(c, "intake/workers", "99999999999999999999999");
    CHECK_INT(sm_config_int(c, "intake/workers", 32, 1, 256, &v, &e), -1);
    CHECK(s_has(&e, "intake/workers", "whole number"));
    sm_config_set(c, "intake/workers", "-1");
    CHECK_INT(sm_config_int(c, "intake/workers", 32, 1, 256, &v, &e), -1);
    sm_config_set(c, "intake/workers", " 8");
    CHECK_INT(sm_config_int(c, "intake/workers", 32, 1, 256, &v, &e), 0); /*  strtoll skips it */
    CHECK_INT(v, 8);
    sm_config_destroy(&c);
    unlink(path);
}

TEST(an_endpoint_must_be_tcp_ipc_or_inproc)
{
    char path[64];
    CHECK(s_write(path, sizeof path, s_file));
    sm_config_t *c = sm_config_load(path, NULL);
    sm_err_t e;
    sm_err_clear(&e);
    CHECK(sm_config_endpoint(c, "intake/events_out", "tcp://127.0.0.1:5557", &e) == NULL);
    CHECK(s_has(&e, "intake/events_out", "\"http://example.org\""));
    CHECK(s_has(&e, "intake/events_out", "tcp://127.0.0.1:5555"));
    CHECK(sm_config_endpoint(c, "intake/short", "tcp://127.0.0.1:5557", &e) == NULL);
    CHECK(s_has(&e, "intake/short", "tcp://x"));
    /*  the default is checked too */
    CHECK(sm_config_endpoint(c, "intake/nothing", "udp://1.2.3.4:5", &e) == NULL);
    CHECK(s_has(&e, "intake/nothing", "udp://"));
    CHECK(sm_config_endpoint(c, "intake/nothing", NULL, &e) == NULL);
    char longer[300] = "tcp://";
    memset(longer + 6, 'h', 260);
    longer[266] = '\0';
    sm_config_set(c, "intake/long", longer);
    CHECK(sm_config_endpoint(c, "intake/long", NULL, &e) == NULL);
    CHECK_STR(e.field, "intake/long");
    sm_err_clear(&e);
    CHECK_STR(sm_config_endpoint(c, "x/y", "inproc://events", &e), "inproc://events");
    CHECK_STR(sm_config_endpoint(c, "x/y", "ipc:///run/samen/broker", &e),
              "ipc:///run/samen/broker");
    CHECK(!sm_err_is_set(&e));
    sm_config_destroy(&c);
    unlink(path);
}

TEST(a_broker_pair_is_two_endpoints_separated_by_a_comma)
{
    sm_endpoints_t l;
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(sm_endpoints_parse("broker/endpoint", "tcp://10.0.0.1:5555", &l, &e), 0);
    CHECK_INT(l.n, 1);
    CHECK_STR(l.ep[0], "tcp://10.0.0.1:5555");
    CHECK_INT(sm_endpoints_parse("broker/endpoint", " tcp://10.0.0.1:5555 , ipc:///run/b2 ", &l,
                                 &e),
              0);
    CHECK_INT(l.n, 2);
    CHECK_STR(l.ep[0], "tcp://10.0.0.1:5555");
    CHECK_STR(l.ep[1], "ipc:///run/b2");
    /*  Refusals name the setting and say what is accepted. */
    CHECK_INT(sm_endpoints_parse("broker/endpoint", "tcp://a:1,", &l, &e), -1);
    CHECK(s_has(&e, "broker/endpoint", "empty item"));
    CHECK_INT(l.n, 0);
    CHECK_INT(sm_endpoints_parse("broker/endpoint", "", &l, &e), -1);
    CHECK(s_has(&e, "broker/endpoint", "ZeroMQ endpoint"));
    CHECK_INT(sm_endpoints_parse("broker/endpoint", "tcp://a:1,tcp://a:1", &l, &e), -1);
    CHECK(s_has(&e, "broker/endpoint", "twice"));
    CHECK_INT(sm_endpoints_parse("broker/endpoint", "tcp://a:1,tcp://b:99999", &l, &e), -1);
    CHECK(s_has(&e, "broker/endpoint", "1 to 65535"));
    CHECK_INT(sm_endpoints_parse("broker/events_in", "tcp://a:1,tcp://b:1,tcp://c:1,tcp://d:1,"
                                                     "tcp://e:1",
                                 &l, &e),
              -1);
    CHECK(s_has(&e, "broker/events_in", "more than 4"));
    /*  One events endpoint per broker. */
    sm_endpoints_t two, one;
    CHECK_INT(sm_endpoints_parse("broker/endpoint", "tcp://a:1,tcp://b:1", &two, &e), 0);
    CHECK_INT(sm_endpoints_parse("broker/events_in", "tcp://a:2", &one, &e), 0);
    CHECK_INT(sm_endpoints_match("broker/events_in", &one, "broker/endpoint", &two, &e), -1);
    CHECK(s_has(&e, "broker/events_in", "2 brokers"));
    /*  In a file: the table checks every item. */
    sm_config_t *c = sm_config_load(NULL, NULL);
    sm_config_set(c, "broker/endpoint", "tcp://a:5555,tcp://b:5555");
    CHECK_INT(sm_config_table_check(c, &e), 0);
    CHECK_STR(sm_cfg_endpoint(c, "broker/endpoint", &e), "tcp://a:5555,tcp://b:5555");
    sm_config_set(c, "broker/events_out", "tcp://a:5557,udp://b:5557");
    CHECK_INT(sm_config_table_check(c, &e), -1);
    CHECK(s_has(&e, "broker/events_out", "udp://b:5557"));
    sm_config_destroy(&c);
}

TEST(flags_merged_over_the_file_win)
{
    char path[64];
    CHECK(s_write(path, sizeof path, s_file));
    sm_config_t *c = sm_config_load(path, NULL);
    sm_config_t *over = sm_config_load(NULL, NULL);
    CHECK(c && over);
    CHECK_INT(sm_config_set(over, "intake/data_dir", "/srv/intake"), 0);
    CHECK_INT(sm_config_set(over, "intake/workers", "8"), 0);
    CHECK_INT(sm_config_set(over, "finance/log_level", "warn"), 0);
    CHECK_INT(sm_config_merge(c, over), 0);
    sm_config_destroy(&over);
    CHECK_STR(sm_config_str(c, "intake/data_dir", NULL), "/srv/intake");
    CHECK_STR(sm_config_str(c, "finance/log_level", NULL), "warn");
    int64_t v = 0;
    sm_err_t e;
    CHECK_INT(sm_config_int(c, "intake/workers", 32, 1, 256, &v, &e), 0);
    CHECK_INT(v, 8);
    /*  what the flags did not touch stays as the file says */
    CHECK_STR(sm_config_endpoint(c, "broker/endpoint", NULL, &e), "ipc:///tmp/samen-test/broker");
    sm_config_destroy(&c);
    unlink(path);
}

TEST(a_missing_file_is_refused_naming_it)
{
    sm_err_t e;
    sm_err_clear(&e);
    sm_config_t *c = sm_config_load("/tmp/samen-no-such-dir/samen.cfg", &e);
    CHECK(c == NULL);
    CHECK(s_has(&e, "config", "cannot read config file /tmp/samen-no-such-dir/samen.cfg"));
}

TEST(a_file_that_is_not_zpl_is_refused_with_a_hint)
{
    /*  two-space indentation is not ZPL */
    char path[64];
    CHECK(s_write(path, sizeof path, "broker\n  endpoint = \"tcp://127.0.0.1:5555\"\n"));
    sm_err_t e;
    sm_err_clear(&e);
    sm_config_t *c = sm_config_load(path, &e);
    CHECK(c == NULL);
    CHECK(s_has(&e, "config", "not valid ZPL"));
    CHECK(s_has(&e, "config", path));
    sm_config_destroy(&c);
    unlink(path);
}

/* ==== The table of settings ============================================ */

/*  Load text as a configuration and check it against the table. Returns
    the check's result; err holds the refusal. */
static int s_check_text(const char *text, sm_err_t *err)
{
    char path[64];
    sm_err_clear(err);
    if (!s_write(path, sizeof path, text))
        return 99;
    sm_config_t *c = sm_config_load(path, err);
    int rc = c ? sm_config_table_check(c, err) : 98;
    sm_config_destroy(&c);
    unlink(path);
    return rc;
}

TEST(an_unknown_key_is_refused_naming_it_and_the_nearest_known_one)
{
    sm_err_t e;
    CHECK_INT(s_check_text("intake\n    workrs = 8\n", &e), -1);
    CHECK(s_has(&e, "intake/workrs", "unknown setting \"intake/workrs\""));
    CHECK(s_has(&e, "intake/workrs", "nearest known one is \"intake/workers\""));
    CHECK_INT(s_check_text("broker\n    endpont = \"tcp://127.0.0.1:5555\"\n", &e), -1);
    CHECK(s_has(&e, "broker/endpont", "\"broker/endpoint\""));
    /*  A key of another section is unknown here. */
    CHECK_INT(s_check_text("finance\n    answer_period = 6w\n", &e), -1);
    CHECK(s_has(&e, "finance/answer_period", "unknown setting"));
    /*  Nested below a known key. */
    CHECK_INT(s_check_text("intake\n    workers = 8\n        extra = 1\n", &e), -1);
    CHECK(s_has(&e, "intake/workers", "nested"));
}

TEST(an_unknown_section_is_refused_naming_the_nearest_known_one)
{
    sm_err_t e;
    CHECK_INT(s_check_text("intak\n    workers = 8\n", &e), -1);
    CHECK(s_has(&e, "intak", "unknown section \"intak\""));
    CHECK(s_has(&e, "intak", "nearest known one is \"intake\""));
    CHECK_INT(s_check_text("brokers\n", &e), -1);
    CHECK(s_has(&e, "brokers", "\"broker\""));
}

TEST(every_value_present_is_checked_against_its_row)
{
    sm_err_t e;
    CHECK_INT(s_check_text("broker\n    endpoint = \"tcp://127.0.0.1:99999\"\n", &e), -1);
    CHECK(s_has(&e, "broker/endpoint", "port from 1 to 65535"));
    CHECK_INT(s_check_text("broker\n    events_in = \"tcp://127.0.0.1:0\"\n", &e), -1);
    CHECK(s_has(&e, "broker/events_in", "port from 1 to 65535"));
    CHECK_INT(s_check_text("broker\n    events_in = \"tcp://127.0.0.1\"\n", &e), -1);
    CHECK(s_has(&e, "broker/events_in", "port"));
    CHECK_INT(s_check_text("broker\n    events_in = \"tcp://127.0.0.1:55x\"\n", &e), -1);
    CHECK_INT(s_check_text("scheduling\n    workers = 0\n", &e), -1);
    CHECK(s_has(&e, "scheduling/workers", "from 1 to 256"));
    CHECK_INT(s_check_text("finance\n    log_level = loud\n", &e), -1);
    CHECK(s_has(&e, "finance/log_level", "debug, info, warn or error"));
    CHECK_INT(s_check_text("reporting\n    data_dir = \"\"\n", &e), -1);
    CHECK(s_has(&e, "reporting/data_dir", "is empty"));
    /*  What is right passes, ipc and IPv6 included. */
    CHECK_INT(s_check_text("broker\n    endpoint = \"tcp://[::1]:5555\"\n"
                           "    events_in = \"ipc:///run/samen/in\"\n"
                           "intake\n    max_map_mb = 512\n    log_file = \"\"\n"
                           "finance\n    reimbursement_cap_cents = 250000\n",
                           &e),
              0);
    if (sm_err_is_set(&e))
        printf("     %s\n", e.message);
    /*  The endpoint reader refuses the wrapped-around port too. */
    sm_config_t *c = sm_config_load(NULL, NULL);
    sm_config_set(c, "broker/endpoint", "tcp://127.0.0.1:99999");
    CHECK(sm_cfg_endpoint(c, "broker/endpoint", &e) == NULL);
    CHECK(s_has(&e, "broker/endpoint", "65535"));
    sm_config_destroy(&c);
}

TEST(the_health_endpoints_address_is_an_ip_literal)
{
    sm_err_t e;
    /*  IPv4 and IPv6, loopback, a host's own and the wildcards pass. */
    CHECK_INT(s_check_text("broker\n    http_address = \"0.0.0.0\"\n"
                           "intake\n    http_address = \"::\"\n"
                           "scheduling\n    http_address = \"10.1.2.3\"\n"
                           "reporting\n    http_address = \"::1\"\n"
                           "finance\n    http_address = \"127.0.0.2\"\n",
                           &e),
              0);
    /*  A name, a port, brackets, a range or a bad number is refused, naming
        the setting and what it takes. */
    const char *bad[] = {"localhost", "0.0.0.0:9560", "[::1]", "10.1.2.0/24", "256.1.1.1",
                         "1.2.3", "::g", " 127.0.0.1", "127.0.0.1 "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[200];
        snprintf(text, sizeof text, "finance\n    http_address = \"%s\"\n", bad[i]);
        CHECK_INT(s_check_text(text, &e), -1);
        CHECK(s_has(&e, "finance/http_address", "give an IPv4 or IPv6 address"));
    }
    CHECK_INT(s_check_text("broker\n    http_address = \"\"\n", &e), -1);
    CHECK(s_has(&e, "broker/http_address", "is empty"));
    /*  The reader: the default, a value, a refusal. */
    sm_config_t *c = sm_config_load(NULL, NULL);
    CHECK_STR(sm_cfg_address(c, "broker/http_address", &e), "127.0.0.1");
    CHECK_STR(sm_cfg_address(c, "intake/http_address", &e), "127.0.0.1");
    sm_config_set(c, "intake/http_address", "::");
    CHECK_STR(sm_cfg_address(c, "intake/http_address", &e), "::");
    sm_config_set(c, "broker/http_address", "samen-broker-0");
    CHECK(sm_cfg_address(c, "broker/http_address", &e) == NULL);
    CHECK(s_has(&e, "broker/http_address", "samen-broker-0"));
    /*  In Dutch (a daemon checks its file before it knows its language,
        so the catalogue is asked here; samenctl's and the reader's are). */
    if (sm_i18n_init("nl", &e) == 0) {
        CHECK(sm_cfg_address(c, "broker/http_address", &e) == NULL);
        CHECK(s_has(&e, "broker/http_address", "geef een IPv4- of IPv6-adres in cijfers"));
    } else
        CHECK(!"the Dutch catalogue (build/MODE/locale) is found");
    sm_i18n_init("en", &e);
    sm_config_destroy(&c);
}

TEST(declared_settings_read_their_defaults_from_the_table)
{
    sm_err_t e;
    sm_err_clear(&e);
    sm_config_t *c = sm_config_load(NULL, NULL);
    int64_t v = 0;
    CHECK_INT(sm_cfg_int(c, "finance/workers", &v, &e), 0);
    CHECK_INT(v, 32);
    CHECK_INT(sm_cfg_int(c, "broker/heartbeat_ms", &v, &e), 0);
    CHECK_INT(v, 1000);
    CHECK_STR(sm_cfg_endpoint(c, "broker/events_out", &e), "tcp://127.0.0.1:5557");
    CHECK_INT(sm_cfg_level(c, "intake/log_level", &e), 1);
    sm_config_set(c, "intake/workers", "300");
    CHECK_INT(sm_cfg_int(c, "intake/workers", &v, &e), -1);
    CHECK(s_has(&e, "intake/workers", "from 1 to 256"));
    sm_config_destroy(&c);
}

/*  Every setting of deploy/samen.cfg (a bound well above the table's
    rows, which grow with every service's settings). */
#define S_SEEN_MAX 512

typedef struct {
    char paths[S_SEEN_MAX][96];
    char values[S_SEEN_MAX][96];
    int n;
} s_seen_t;

static int s_collect(const char *path, const char *value, bool parent, void *arg)
{
    s_seen_t *s = arg;
    if (s->n < S_SEEN_MAX) {
        snprintf(s->paths[s->n], sizeof s->paths[0], "%s", path);
        snprintf(s->values[s->n], sizeof s->values[0], "%s", value);
        s->n++;
    }
    return 0;
}

TEST(deploy_samen_cfg_shows_every_setting_with_its_default)
{
    sm_err_t e;
    sm_err_clear(&e);
    sm_config_t *c = sm_config_load("deploy/samen.cfg", &e);
    CHECK(c != NULL);
    if (!c) {
        printf("     %s (run from the repository root)\n", e.message);
        return;
    }
    CHECK_INT(sm_config_table_check(c, &e), 0);
    if (sm_err_is_set(&e))
        printf("     %s\n", e.message);
    static s_seen_t seen;
    memset(&seen, 0, sizeof seen);
    sm_config_each(c, s_collect, &seen);
    for (const sm_cfg_row_t *r = sm_cfg_table; r->section; r++) {
        /*  A row of every service is shown once, in intake's section. */
        bool every = strcmp(r->section, SM_CFG_EVERY_SERVICE) == 0;
        char path[96], want[96];
        snprintf(path, sizeof path, "%s/%s", every ? "intake" : r->section, r->key);
        /*  "SERVICE" in a default stands for the section it is in. */
        const char *svc = strstr(r->dflt, "SERVICE");
        if (svc)
            snprintf(want, sizeof want, "%.*sintake%s", (int)(svc - r->dflt), r->dflt,
                     svc + strlen("SERVICE"));
        else
            snprintf(want, sizeof want, "%s", r->dflt);
        int found = -1;
        for (int i = 0; i < seen.n; i++)
            if (strcmp(seen.paths[i], path) == 0)
                found = i;
        if (found < 0) {
            printf("     %s is not in deploy/samen.cfg\n", path);
            CHECK(found >= 0);
        } else if (strcmp(path, "samen/locale") == 0) {
            /*  The one deliberate difference: the shipped file chooses
                Dutch, the programs' built-in default is English. */
            CHECK_STR(seen.values[found], "nl");
        } else if (strcmp(seen.values[found], want) != 0) {
            printf("     %s is \"%s\" in deploy/samen.cfg, default \"%s\"\n", path,
                   seen.values[found], want);
            CHECK(false);
        }
    }
    sm_config_destroy(&c);
}

TEST(the_packaged_samen_cfg_passes_the_settings_check)
{
    sm_err_t e;
    sm_err_clear(&e);
    sm_config_t *c = sm_config_load("deploy/samen.system.cfg", &e);
    CHECK(c != NULL);
    if (!c)
        return;
    CHECK_INT(sm_config_table_check(c, &e), 0);
    if (sm_err_is_set(&e))
        printf("     %s\n", e.message);
    sm_config_destroy(&c);
}

int main(void)
{
    RUN(without_a_file_every_setting_has_its_default);
    RUN(values_come_from_the_file);
    RUN(a_bad_number_is_refused_naming_the_setting_and_the_range);
    RUN(an_endpoint_must_be_tcp_ipc_or_inproc);
    RUN(a_broker_pair_is_two_endpoints_separated_by_a_comma);
    RUN(flags_merged_over_the_file_win);
    RUN(a_missing_file_is_refused_naming_it);
    RUN(a_file_that_is_not_zpl_is_refused_with_a_hint);
    RUN(an_unknown_key_is_refused_naming_it_and_the_nearest_known_one);
    RUN(an_unknown_section_is_refused_naming_the_nearest_known_one);
    RUN(every_value_present_is_checked_against_its_row);
    RUN(the_health_endpoints_address_is_an_ip_literal);
    RUN(declared_settings_read_their_defaults_from_the_table);
    RUN(deploy_samen_cfg_shows_every_setting_with_its_default);
    RUN(the_packaged_samen_cfg_passes_the_settings_check);
    return DONE();
}
