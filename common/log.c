/*  common/log.c - logfmt logging on stderr. */
#include "log.h"
#include "common/i18n.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
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
/*  Lines held for one write (sm_log_hold): as process-wide as stderr. */
static char s_held[16384];
static size_t s_nheld;
static bool s_holding;

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
    sm_log_flush(); /*  held lines belong in the old file */
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
    if (s_holding) {
        if (s_nheld + (size_t)n > sizeof s_held)
            sm_log_flush();
        memcpy(s_held + s_nheld, line, (size_t)n);
        s_nheld += (size_t)n;
        return;
    }
    /*  One write(2)-sized fwrite per line keeps lines from several
        processes sharing a terminal from interleaving mid-line. */
    fwrite(line, 1, (size_t)n, stderr);
    fflush(stderr);
}

void sm_log_hold(bool on)
{
    if (!on)
        sm_log_flush();
    s_holding = on;
}

void sm_log_flush(void)
{
    /*  Whole lines, at most PIPE_BUF bytes per write(2): a write that size
        to a pipe is not interleaved with other processes' writes, so the
        lines stay whole there too, as with one write per line. */
    size_t done = 0;
    fflush(stderr); /*  anything written through stdio goes first */
    while (done < s_nheld) {
        size_t len = s_nheld - done;
        if (len > PIPE_BUF) {
            len = PIPE_BUF;
            while (len > 0 && s_held[done + len - 1] != '\n')
                len--;
            if (len == 0) /*  a line longer than PIPE_BUF: it goes alone */
                len = (size_t)((char *)memchr(s_held + done, '\n', s_nheld - done) -
                               (s_held + done)) + 1;
        }
        ssize_t w = write(STDERR_FILENO, s_held + done, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break; /*  a log that cannot be written is dropped, as fwrite's */
        done += (size_t)w;
    }
    s_nheld = 0;
}
