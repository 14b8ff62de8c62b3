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

int main(void)
{
    RUN(a_value_with_a_newline_cannot_start_a_log_line_of_its_own);
    return DONE();
}
