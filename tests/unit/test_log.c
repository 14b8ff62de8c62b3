/*  tests/unit/test_log.c - one event, one logfmt line, whatever the values hold. */
#include "common/log.h"
#include "tests/unit/test.h"
#include <stdlib.h>
#include <unistd.h>

/*  Run one sm_log call with stderr sent to a file; return what it wrote. */
static char *s_capture(const char *msg, const char *value)
{
    char path[] = "/tmp/samen-test-log-XXXXXX";
    int fd = mkstemp(path);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    sm_log(SM_LOG_INFO, msg, "rid=%s op=x", value);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    static char buf[4096];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
    return buf;
}

static int s_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

TEST(a_value_with_a_newline_cannot_start_a_log_line_of_its_own)
{
    sm_log_init("test", SM_LOG_INFO);
    char *out = s_capture("request", "r1\nts=forged level=error msg=\"admin erased\"");
    CHECK_INT(s_lines(out), 1);
    CHECK(strstr(out, "r1?ts=forged") != NULL);
    out = s_capture("request", "a\rb\x1b[2Jc");
    CHECK_INT(s_lines(out), 1);
    CHECK(strchr(out, '\r') == NULL && strchr(out, '\x1b') == NULL);
    out = s_capture("msg with\nnewline", "ok");
    CHECK_INT(s_lines(out), 1);
}

/*  stderr into a new temporary file; returns its fd (the saved stderr in *saved). */
static int s_redirect(int *saved)
{
    char path[] = "/tmp/samen-test-log-XXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    fflush(stderr);
    *saved = dup(2);
    dup2(fd, 2);
    return fd;
}

/*  Everything written to fd so far (static buffer). */
static char *s_written(int fd)
{
    static char buf[1 << 18];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    return buf;
}

TEST(held_lines_are_written_at_the_flush_whole_in_order_and_none_is_lost)
{
    sm_log_init("test", SM_LOG_INFO);
    int saved, fd = s_redirect(&saved);
    sm_log_hold(true);
    sm_log(SM_LOG_INFO, "request", "n=%d rid=%s", 1, "a\nb");
    sm_log(SM_LOG_DEBUG, "request", "n=%d", 99); /*  below the level: not held either */
    sm_log(SM_LOG_WARN, "request", "n=%d", 2);
    CHECK_INT(strlen(s_written(fd)), 0); /*  nothing written before the flush */
    sm_log_flush();
    char *out = s_written(fd);
    CHECK_INT(s_lines(out), 2);
    char *one = strstr(out, "n=1 rid=a?b\n"), *two = strstr(out, "n=2\n");
    CHECK(one && two && one < two);
    CHECK(strstr(out, "n=99") == NULL);
    /*  More than the buffer holds: written as it fills, every line whole. */
    for (int i = 0; i < 400; i++)
        sm_log(SM_LOG_INFO, "request", "n=%d pad=%0100d", 1000 + i, 0);
    sm_log_hold(false); /*  writes the rest */
    out = s_written(fd);
    CHECK_INT(s_lines(out), 402);
    int seen = 0;
    for (char *p = out; (p = strstr(p, "n=1")) != NULL; p++)
        if (p[3] >= '0' && p[3] <= '9' && p[4] >= '0' && p[4] <= '9' && p[5] >= '0' &&
            p[5] <= '9' && p[6] == ' ')
            CHECK_INT(atoi(p + 2), 1000 + seen++);
    CHECK_INT(seen, 400);
    for (char *p = out, *e; (e = strchr(p, '\n')) != NULL; p = e + 1)
        CHECK(strncmp(p, "ts=", 3) == 0); /*  every line starts as a line */
    /*  Not holding: each line is written at once again. */
    sm_log(SM_LOG_INFO, "request", "n=%d", 3);
    CHECK(strstr(s_written(fd), "n=3\n") != NULL);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
}

int main(void)
{
    RUN(a_value_with_a_newline_cannot_start_a_log_line_of_its_own);
    RUN(held_lines_are_written_at_the_flush_whole_in_order_and_none_is_lost);
    return DONE();
}
