/*  common/log.h - logfmt logging on stderr, one line per event.

    A line looks like
        ts=2026-11-23T10:01:02.345Z level=info service=intake msg="request" op=participant.get dur_us=83 outcome=ok

    Values in the key=value tail are written by the caller with printf
    formats; a value that may contain spaces or quotes must go through
    sm_log_quote(). Never log personal data: log IDs, never names, e-mail
    addresses, phone numbers, postal codes or residents' text.
*/
#ifndef SAMEN_LOG_H
#define SAMEN_LOG_H

#include "err.h"
#include <stdbool.h>

typedef enum { SM_LOG_DEBUG = 0, SM_LOG_INFO = 1, SM_LOG_WARN = 2, SM_LOG_ERROR = 3 } sm_log_level_t;

/*  Set the service name written on every line and the lowest level shown.
    The name is copied. Can't fail. */
void sm_log_init(const char *service, sm_log_level_t level);

/*  Append log lines (and everything else written to stderr) to the file at
    path from now on: it is opened (created 0640) and put in stderr's
    place. Call it again after the file was moved away (SIGHUP) to start a
    new one. Returns 0, or -1 with err (field: setting, for the message). */
int sm_log_open(const char *path, const char *setting, sm_err_t *err);

/*  Parse "debug", "info", "warn" or "error". Returns the level or -1. */
int sm_log_level_parse(const char *text);

/*  Write one line: ts, level, service, msg="MSG", then the formatted
    key=value tail (fmt may be NULL). Can't fail (a failed write is ignored). */
void sm_log(sm_log_level_t level, const char *msg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*  Hold the lines logged from now on (on) and write them together at
    sm_log_flush(), a write(2) per 4 KB of whole lines instead of one per
    line: the service loop holds the lines of one pass over its sockets
    and flushes before it waits. Lines stay one event per line and in
    order; when the buffer (16 KB) is full it is written at once. Held
    lines are lost if the process dies before the flush. Off writes what
    is held. Can't fail. */
void sm_log_hold(bool on);

/*  Write the held lines now (holding goes on). Can't fail (a failed write
    is ignored, as for sm_log). */
void sm_log_flush(void);

#define sm_debug(msg, ...) sm_log(SM_LOG_DEBUG, msg, __VA_ARGS__)
#define sm_info(msg, ...) sm_log(SM_LOG_INFO, msg, __VA_ARGS__)
#define sm_warn(msg, ...) sm_log(SM_LOG_WARN, msg, __VA_ARGS__)
#define sm_error(msg, ...) sm_log(SM_LOG_ERROR, msg, __VA_ARGS__)

/*  Quote text for a logfmt value into buf (always NUL-terminated, truncated
    to fit): "a b" -> "\"a b\"", quotes and backslashes escaped, control
    characters replaced by '?'. Returns buf. */
const char *sm_log_quote(const char *text, char *buf, unsigned size);

#endif
