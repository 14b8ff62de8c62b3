/*  tests/unit/test_config.c - samen.cfg: defaults without a file, values
    from a ZPL file, refusals that name the setting, endpoint checks, and
    command-line overrides merged over the file. */
#include "common/config.h"
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

int main(void)
{
    RUN(without_a_file_every_setting_has_its_default);
    RUN(values_come_from_the_file);
    RUN(a_bad_number_is_refused_naming_the_setting_and_the_range);
    RUN(an_endpoint_must_be_tcp_ipc_or_inproc);
    RUN(flags_merged_over_the_file_win);
    RUN(a_missing_file_is_refused_naming_it);
    RUN(a_file_that_is_not_zpl_is_refused_with_a_hint);
    return DONE();
}
