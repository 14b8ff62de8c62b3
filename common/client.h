/*  common/client.h - an MDP/0.2 client (ZeroMQ RFC 18) for samen requests.

    A client owns one DEALER socket to the broker and has at most one request
    outstanding (MDP/Client is strictly synchronous). On timeout it closes the
    socket, opens a new one and sends the same bytes again (the same "rid",
    so a write is applied at most once), up to `retries` times, then fails
    with deadline_exceeded. A reply for an earlier, abandoned attempt can not
    arrive on the new socket.

    The request body is one frame: {"op": OP, "args": {...}, "rid": RID}.
    The reply is {"ok": true, "data": ...} or {"ok": false, "error": {...}}.
*/
#ifndef SAMEN_CLIENT_H
#define SAMEN_CLIENT_H

#include "codec.h"
#include "err.h"
#include "security.h"

typedef struct _sm_client_t sm_client_t;

/*  A client for the broker at endpoint, in ZeroMQ context zctx.
    max_message: the largest reply accepted (bytes; 0 = 16 MiB). sec: the
    CurveZMQ keys every connection uses (copied; NULL or plain mode: no
    CURVE). Returns NULL with err on a bad endpoint. */
sm_client_t *sm_client_new(void *zctx, const char *endpoint, int64_t max_message,
                           const sm_security_t *sec, sm_err_t *err);
void sm_client_destroy(sm_client_t **self_p);

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
/*  Close the socket and open a fresh one (after a timeout). */
int sm_client_reset(sm_client_t *self);

#endif
