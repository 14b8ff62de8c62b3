/*  common/log.c - logfmt logging on stderr. */
#include "log.h"
#include "common/i18n.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/*  The logger's settings are process-wide by nature (there is one stderr);
    they are written at start-up and on SIGHUP, by the thread that logs. */
static char s_service[32] = "samen";
static sm_log_level_t s_level = SM_LOG_INFO;

void sm_log_init(const char *service, sm_log_level_t level)
{
    snprintf(s_service, sizeof s_service, "%s", service ? service : "samen");
    s_level = level;
}

int sm_log_open(const char *path, const char *setting, sm_err_t *err)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, setting, _("cannot open log file %s: %s"),
                          path, strerror(errno));
    fflush(stderr);
    int rc = dup2(fd, STDERR_FILENO);
    int e = errno;
    close(fd);
    if (rc < 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, setting, _("cannot log to %s: %s"), path,
                          strerror(e));
    return 0;
}

int sm_log_level_parse(const char *text)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    for (int i = 0; text && i < 4; i++)
        if (strcmp(text, names[i]) == 0)
            return i;
    return -1;
}

const char *sm_log_quote(const char *text, char *buf, unsigned size)
{
    unsigned o = 0;
    if (size < 3) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    buf[o++] = '"';
    for (const char *p = text ? text : ""; *p && o + 3 < size; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7f)
            buf[o++] = '?';
        else
            buf[o++] = (char)c;
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

void sm_log(sm_log_level_t level, const char *msg, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    if (level < s_level)
        return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char line[2048];
    char qmsg[256];
    int n = snprintf(line, sizeof line, "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03dZ level=%s service=%s msg=%s",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, (int)(tv.tv_usec / 1000), names[level], s_service,
                     sm_log_quote(msg, qmsg, sizeof qmsg));
    if (n < 0)
        return;
    if (fmt && (size_t)n < sizeof line - 2) {
        line[n++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
        va_end(ap);
        if (m > 0)
            n += m;
    }
    if ((size_t)n > sizeof line - 2)
        n = (int)sizeof line - 2;
    /*  One event, one line: whatever a field held (a request id, an op
        name, a message from outside), no control character reaches the
        log, so no value can start a line of its own or move a terminal's
        cursor. Values that may hold spaces are quoted by sm_log_quote. */
    for (int i = 0; i < n; i++)
        if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
            line[i] = '?';
    line[n++] = '\n';
    /*  One write(2)-sized fwrite per line keeps lines from several
        processes sharing a terminal from interleaving mid-line. */
    fwrite(line, 1, (size_t)n, stderr);
    fflush(stderr);
}
