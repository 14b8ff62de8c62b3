/*  common/client.h - an MDP/0.2 client (ZeroMQ RFC 18) for samen requests.

    A client owns one DEALER socket to the broker and has at most one request
    outstanding (MDP/Client is strictly synchronous). On timeout it closes the
    socket, opens a new one and sends the same bytes again (the same "rid",
    so a write is applied at most once), up to `retries` times, then fails
    with deadline_exceeded. A reply for an earlier, abandoned attempt can not
    arrive on the new socket.

    A broker pair (PROTOCOL.md §9): given "EP1,EP2" the client talks to one
    broker at a time, EP1 first, and stays with the one that answers. Each
    new socket after a timeout goes to the next broker in the list, and an
    "unavailable" reply is retried on the next one too; every broker is
    tried at least once per request whatever `retries` says.

    A dead broker is noticed without waiting out the timeout: the socket
    has ZMTP heartbeats (every SM_LINK_HEARTBEAT_MS, or the setting
    broker/link_heartbeat_ms; three silent intervals close the connection)
    and a monitor; a connection that drops (the broker's process died, or
    the heartbeats went unanswered: a cut link), a connect that is refused
    or goes unanswered, or a failed CURVE handshake ends the try at once
    and the same bytes go to the next broker. Such a try does not count
    against `retries`; the request as a whole still ends within
    (retries + 1) x timeout_ms.

    The request body is one frame: {"op": OP, "args": {...}, "rid": RID}.
    The reply is {"ok": true, "data": ...} or {"ok": false, "error": {...}}.
*/
#ifndef SAMEN_CLIENT_H
#define SAMEN_CLIENT_H

#include "codec.h"
#include "err.h"
#include "security.h"

typedef struct _sm_client_t sm_client_t;

/*  ZMTP heartbeat interval on a client's connection to a broker
    (broker/link_heartbeat_ms): the default and the accepted range. */
#define SM_LINK_HEARTBEAT_MS 500
#define SM_LINK_HEARTBEAT_MIN_MS 100
#define SM_LINK_HEARTBEAT_MAX_MS 60000

/*  A client for the broker at endpoint (or the brokers of a comma-
    separated list, common/endpoints.h), in ZeroMQ context zctx.
    max_message: the largest reply accepted (bytes; 0 = 16 MiB). sec: the
    CurveZMQ keys every connection uses (copied; NULL or plain mode: no
    CURVE; a broker pair shares one broker key). Returns NULL with err on a
    bad endpoint. */
sm_client_t *sm_client_new(void *zctx, const char *endpoint, int64_t max_message,
                           const sm_security_t *sec, sm_err_t *err);
void sm_client_destroy(sm_client_t **self_p);

/*  Use heartbeat_ms (SM_LINK_HEARTBEAT_MIN_MS..MAX_MS) as the link's ZMTP
    heartbeat interval; the socket is opened afresh to the current broker,
    so call it before the first request. Returns 0, or -1 (out of range:
    nothing changed; or no socket could be opened). */
int sm_client_set_link(sm_client_t *self, int heartbeat_ms);
/*  The link's heartbeat interval (ms). Can't fail. */
int sm_client_link(sm_client_t *self);

/*  Give sock, before it connects to a broker, ZMTP heartbeats every
    heartbeat_ms (three silent intervals drop the connection and libzmq
    connects again) and connect and handshake timeouts of three intervals.
    For every socket that connects to a broker: a client's DEALER, and the
    SUB and PUB sockets of the event stream, whose silence nothing else
    would notice (a connection cut without FIN or RST stays open for
    TCP's own timeouts, minutes to hours). Can't fail. */
void sm_link_heartbeat(void *sock, int heartbeat_ms);

/*  Write a fresh request id ("r" + 24 hex digits) into buf (32 bytes). */
void sm_rid_new(char *buf);

/*  Pack a request body {"op","args","rid","lang"} into out (initialised by
    the caller). args: an encoded MessagePack map, or NULL for {}. rid may
    be NULL. "lang" is the process's current language (common/i18n.h),
    present once sm_i18n_init has been called. */
void sm_request_pack(sm_buf_t *out, const char *op, const void *args, size_t args_size,
                     const char *rid);

/*  Send body to service and wait for the FINAL reply, retrying as above.
    Returns the decoded reply document (caller destroys), or NULL with err:
    deadline_exceeded (no reply after all tries), invalid_argument (the
    reply was not valid MessagePack). */
sm_doc_t *sm_client_request(sm_client_t *self, const char *service, const void *body,
                            size_t size, int timeout_ms, int retries, sm_err_t *err);

/*  Convenience: pack {"op","args","rid"} and sm_client_request it. */
sm_doc_t *sm_client_call(sm_client_t *self, const char *service, const char *op,
                         const void *args, size_t args_size, const char *rid, int timeout_ms,
                         int retries, sm_err_t *err);

/*  Ask MMI whether service has a worker: returns 200, 404, 501, or -1 with
    err on timeout. */
int sm_client_mmi(sm_client_t *self, const char *service, int timeout_ms, sm_err_t *err);

/*  Interpret a reply: 0 with *data set (may be NULL when absent) when ok is
    true; -1 with err copied from the reply's error map otherwise. */
int sm_reply_check(const sm_doc_t *reply, const msgpack_object **data, sm_err_t *err);

/* ---- asynchronous use, for a service's own poll loop ---------------- */

/*  The socket to poll for ZMQ_POLLIN. */
void *sm_client_socket(sm_client_t *self);
/*  Send a request without waiting. Returns 0 or -1. */
int sm_client_send(sm_client_t *self, const char *service, const void *body, size_t size);
/*  Receive one reply when the socket is readable. Returns the document, or
    NULL (a PARTIAL, a malformed message or nothing there; err says which). */
sm_doc_t *sm_client_recv(sm_client_t *self, sm_err_t *err);
/*  True when the link monitor says the broker was lost (connection dropped,
    refused or unanswered, handshake failed) since the last send or call:
    reset to the next broker and send again, as after a timeout. Reads the
    monitor without waiting; can't fail. */
bool sm_client_lost(sm_client_t *self);
/*  Close the socket and open a fresh one (after a timeout), to the next
    broker when there are several. Returns 0 or -1. */
int sm_client_reset(sm_client_t *self);
/*  The broker the socket is connected to now (not the caller's to free),
    and how many brokers the client was given. Can't fail. */
const char *sm_client_endpoint(sm_client_t *self);
int sm_client_brokers(sm_client_t *self);

#endif
