/*  common/client.c - an MDP/0.2 client. */
#include "client.h"
#include "i18n.h"
#include "../proto/mdp.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

struct _sm_client_t {
    void *zctx;
    void *sock;
    char endpoint[256];
    int64_t max_message;
    bool curve;
    sm_security_t sec;
};

/*  Open the DEALER, with CURVE when the client has keys, and connect it.
    Returns 0, or -1 (the socket is then NULL). */
static int s_connect(sm_client_t *self)
{
    self->sock = zmq_socket(self->zctx, ZMQ_DEALER);
    if (!self->sock)
        return -1;
    int linger = 0;
    zmq_setsockopt(self->sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(self->sock, ZMQ_MAXMSGSIZE, &self->max_message, sizeof self->max_message);
    if ((self->curve && sm_security_apply(&self->sec, self->sock) != 0) ||
        zmq_connect(self->sock, self->endpoint) != 0) {
        zmq_close(self->sock);
        self->sock = NULL;
        return -1;
    }
    return 0;
}

sm_client_t *sm_client_new(void *zctx, const char *endpoint, int64_t max_message,
                           const sm_security_t *sec, sm_err_t *err)
{
    sm_client_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->zctx = zctx;
    if (sec && sec->mode == SM_SECURITY_CURVE) {
        self->curve = true;
        self->sec = *sec;
    }
    self->max_message = max_message > 0 ? max_message : (16 << 20);
    snprintf(self->endpoint, sizeof self->endpoint, "%s", endpoint);
    if (s_connect(self) != 0) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "broker",
                   _("cannot connect to broker endpoint \"%s\": %s; give an endpoint such as "
                     "tcp://127.0.0.1:5555"),
                   endpoint, zmq_strerror(zmq_errno()));
        free(self);
        return NULL;
    }
    return self;
}

void sm_client_destroy(sm_client_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    if ((*self_p)->sock)
        zmq_close((*self_p)->sock);
    free(*self_p);
    *self_p = NULL;
}

void sm_rid_new(char *buf)
{
    unsigned char r[12];
    int fd = open("/dev/urandom", O_RDONLY);
    ssize_t got = fd >= 0 ? read(fd, r, sizeof r) : -1;
    if (fd >= 0)
        close(fd);
    if (got != (ssize_t)sizeof r) {
        /*  No entropy source: time and pid still make ids unique enough
            for idempotency within the expiry window. */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t a = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
        uint32_t b = (uint32_t)getpid();
        memcpy(r, &a, 8);
        memcpy(r + 8, &b, 4);
    }
    buf[0] = 'r';
    for (int i = 0; i < 12; i++)
        snprintf(buf + 1 + 2 * i, 3, "%02x", r[i]);
}

void sm_request_pack(sm_buf_t *out, const char *op, const void *args, size_t args_size,
                     const char *rid)
{
    /*  A process that has chosen a language asks for replies in it; a
        service asking another on behalf of a request passes the request's
        language on. */
    bool lang = sm_i18n_ready();
    msgpack_pack_map(&out->pk, (rid ? 3 : 2) + (lang ? 1 : 0));
    sm_pack_kv_str(&out->pk, "op", op);
    sm_pack_str(&out->pk, "args");
    if (args && args_size)
        sm_pack_raw(&out->pk, args, args_size);
    else
        msgpack_pack_map(&out->pk, 0);
    if (rid)
        sm_pack_kv_str(&out->pk, "rid", rid);
    if (lang)
        sm_pack_kv_str(&out->pk, "lang", sm_i18n_lang());
}

void *sm_client_socket(sm_client_t *self)
{
    return self->sock;
}

int sm_client_reset(sm_client_t *self)
{
    if (self->sock)
        zmq_close(self->sock);
    self->sock = NULL;
    return s_connect(self);
}

int sm_client_send(sm_client_t *self, const char *service, const void *body, size_t size)
{
    unsigned char cmd = MDPC_REQUEST;
    if (!self->sock || zmq_send(self->sock, MDPC, 6, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_send(self->sock, &cmd, 1, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_send(self->sock, service, strlen(service), ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_send(self->sock, body, size, ZMQ_DONTWAIT) < 0)
        return -1;
    return 0;
}

/*  Receive all frames of one message into msgs (at most max); returns the
    count, or -1. Extra frames are read and dropped. */
static int s_recv_frames(void *sock, zmq_msg_t *msgs, int max)
{
    int n = 0, more = 1;
    while (more) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, sock, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            for (int i = 0; i < n; i++)
                zmq_msg_close(&msgs[i]);
            return -1;
        }
        more = zmq_msg_more(&m);
        if (n < max)
            msgs[n++] = m;
        else
            zmq_msg_close(&m);
    }
    return n;
}

sm_doc_t *sm_client_recv(sm_client_t *self, sm_err_t *err)
{
    zmq_msg_t f[4];
    int n = s_recv_frames(self->sock, f, 4);
    sm_doc_t *doc = NULL;
    if (n < 0) {
        sm_err_set(err, SM_E_UNAVAILABLE, NULL, _("nothing to receive"));
        return NULL;
    }
    if (n == 4 && zmq_msg_size(&f[0]) == 6 && memcmp(zmq_msg_data(&f[0]), MDPC, 6) == 0 &&
        zmq_msg_size(&f[1]) == 1) {
        unsigned char cmd = *(unsigned char *)zmq_msg_data(&f[1]);
        if (cmd == MDPC_FINAL)
            doc = sm_doc_parse(zmq_msg_data(&f[3]), zmq_msg_size(&f[3]), err);
        else
            sm_err_set(err, SM_E_UNAVAILABLE, NULL, _("partial reply ignored"));
    } else
        sm_err_set(err, SM_E_INTERNAL, NULL, _("malformed reply from the broker"));
    for (int i = 0; i < n; i++)
        zmq_msg_close(&f[i]);
    return doc;
}

static int64_t s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*  Wait for a FINAL reply for at most timeout_ms. Returns the doc, or NULL
    with *timed_out set on timeout, or NULL with err on a bad reply. */
static sm_doc_t *s_wait(sm_client_t *self, int timeout_ms, bool *timed_out, sm_err_t *err)
{
    int64_t deadline = s_now_ms() + timeout_ms;
    *timed_out = false;
    while (true) {
        int64_t left = deadline - s_now_ms();
        if (left <= 0) {
            *timed_out = true;
            return NULL;
        }
        zmq_pollitem_t item = {self->sock, 0, ZMQ_POLLIN, 0};
        int rc = zmq_poll(&item, 1, (long)left);
        if (rc < 0) {
            *timed_out = true; /*  interrupted: treat as a timeout */
            return NULL;
        }
        if (rc == 0)
            continue;
        sm_err_t e;
        sm_err_clear(&e);
        sm_doc_t *doc = sm_client_recv(self, &e);
        if (doc)
            return doc;
        if (e.code && strcmp(e.code, SM_E_UNAVAILABLE) != 0) {
            if (err)
                *err = e;
            return NULL;
        }
    }
}

sm_doc_t *sm_client_request(sm_client_t *self, const char *service, const void *body,
                            size_t size, int timeout_ms, int retries, sm_err_t *err)
{
    for (int attempt = 0; attempt <= retries; attempt++) {
        if (attempt > 0 && sm_client_reset(self) != 0)
            break;
        if (sm_client_send(self, service, body, size) != 0) {
            sm_client_reset(self);
            continue;
        }
        bool timed_out = false;
        sm_doc_t *doc = s_wait(self, timeout_ms, &timed_out, err);
        if (doc || !timed_out)
            return doc;
    }
    /*  Leave a clean socket behind: a late reply must not be taken for the
        answer to the next request. */
    sm_client_reset(self);
    sm_err_set(err, SM_E_DEADLINE_EXCEEDED, NULL,
               _("no reply from service \"%s\" via %s within %d ms (%d tries); is samen-broker "
                 "running?"),
               service, self->endpoint, timeout_ms, retries + 1);
    return NULL;
}

sm_doc_t *sm_client_call(sm_client_t *self, const char *service, const char *op,
                         const void *args, size_t args_size, const char *rid, int timeout_ms,
                         int retries, sm_err_t *err)
{
    sm_buf_t b;
    sm_buf_init(&b);
    sm_request_pack(&b, op, args, args_size, rid);
    sm_doc_t *doc = sm_client_request(self, service, b.sbuf.data, b.sbuf.size, timeout_ms,
                                      retries, err);
    sm_buf_free(&b);
    return doc;
}

int sm_client_mmi(sm_client_t *self, const char *service, int timeout_ms, sm_err_t *err)
{
    if (sm_client_send(self, SM_SVC_MMI_SERVICE, service, strlen(service)) != 0)
        return sm_err_set(err, SM_E_UNAVAILABLE, NULL, _("cannot send to the broker"));
    int64_t deadline = s_now_ms() + timeout_ms;
    while (s_now_ms() < deadline) {
        zmq_pollitem_t item = {self->sock, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&item, 1, (long)(deadline - s_now_ms())) <= 0)
            continue;
        zmq_msg_t f[4];
        int n = s_recv_frames(self->sock, f, 4);
        int code = -1;
        if (n == 4 && zmq_msg_size(&f[3]) == 3) {
            char t[4];
            memcpy(t, zmq_msg_data(&f[3]), 3);
            t[3] = '\0';
            code = atoi(t);
        }
        for (int i = 0; i < n; i++)
            zmq_msg_close(&f[i]);
        if (code > 0)
            return code;
    }
    sm_client_reset(self);
    return sm_err_set(err, SM_E_DEADLINE_EXCEEDED, NULL,
                      _("no answer from the broker at %s within %d ms; is samen-broker running?"),
                      self->endpoint, timeout_ms);
}

int sm_reply_check(const sm_doc_t *reply, const msgpack_object **data, sm_err_t *err)
{
    const msgpack_object *root = sm_doc_root(reply);
    const msgpack_object *ok = sm_map_get(root, "ok");
    if (data)
        *data = sm_map_get(root, "data");
    if (ok && ok->type == MSGPACK_OBJECT_BOOLEAN && ok->via.boolean)
        return 0;
    const msgpack_object *e = sm_map_get(root, "error");
    char code[40] = "internal", field[64] = "", message[512];
    snprintf(message, sizeof message, "%s", _("the reply carried no error"));
    sm_err_t ignore;
    sm_get_str(e, "code", false, code, sizeof code, true, &ignore);
    sm_get_str(e, "field", false, field, sizeof field, true, &ignore);
    sm_get_str(e, "message", false, message, sizeof message, true, &ignore);
    /*  Map the code back onto our static strings. */
    static const char *codes[] = {SM_E_INVALID_ARGUMENT, SM_E_NOT_FOUND, SM_E_ALREADY_EXISTS,
                                  SM_E_CONFLICT, SM_E_FAILED_PRECONDITION, SM_E_PERMISSION_DENIED,
                                  SM_E_UNAUTHENTICATED, SM_E_RESOURCE_EXHAUSTED, SM_E_UNAVAILABLE,
                                  SM_E_DEADLINE_EXCEEDED, SM_E_INTERNAL, NULL};
    const char *c = SM_E_INTERNAL;
    for (int i = 0; codes[i]; i++)
        if (strcmp(codes[i], code) == 0)
            c = codes[i];
    return sm_err_set(err, c, field, "%s", message);
}
