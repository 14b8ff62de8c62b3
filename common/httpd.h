/*  common/httpd.h - start a small HTTP endpoint with Debian's libmicrohttpd.

    samen serves a little HTTP: intake's unsubscribe page (services/intake/
    mail_web.h) and every daemon's /healthz, /readyz and /metrics
    (common/opsweb.h). Both listen on one address and port given in
    samen.cfg, on a thread of libmicrohttpd's own, with the same limits:
    at most 16 connections, 4 per address, 10 s each, 32 KiB of memory per
    connection. This module is that shared part; the caller's handler
    answers the requests.

    The handler runs on libmicrohttpd's thread: it must not touch what the
    daemon's loop owns (the LMDB store, the loop's ZeroMQ sockets).
*/
#ifndef SAMEN_HTTPD_H
#define SAMEN_HTTPD_H

#include "common/err.h"
#include <microhttpd.h>
#include <stddef.h>

/*  Listen on listen ("127.0.0.1:8090", "[::1]:8090") and serve every
    request with handler (libmicrohttpd's access handler, called with arg).
    "[::]:PORT" listens on every IPv6 and IPv4 address ("0.0.0.0:PORT" on
    every IPv4 one).
    field is the setting listen came from, named in errors. Returns the
    running daemon, or NULL with err: invalid_argument when listen is not
    an address and a port 1-65535, unavailable when it cannot be bound (in
    use, or not an address of this host). */
struct MHD_Daemon *sm_httpd_start(const char *listen, const char *field,
                                  MHD_AccessHandlerCallback handler, void *arg, sm_err_t *err);

/*  Queue a response of status with body (len bytes, copied) and the given
    Content-Type, plus Cache-Control: no-store and X-Content-Type-Options:
    nosniff. Returns libmicrohttpd's result (MHD_NO when out of memory). */
enum MHD_Result sm_httpd_reply(struct MHD_Connection *conn, unsigned status,
                               const char *content_type, const char *body, size_t len);

#endif
