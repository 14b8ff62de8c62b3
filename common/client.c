/*  common/client.c - an MDP/0.2 client. */
#include "client.h"
#include "endpoints.h"
#include "i18n.h"
#include "../proto/mdp.h"
#include <errno.h>
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
    sm_endpoints_t brokers; /*  one, or a pair: the socket is connected to brokers.ep[cur] */
    int cur;
    int64_t max_message;
    bool curve;
    sm_security_t sec;
    /*  Link watch (PROTOCOL.md §9): ZMTP heartbeats every link_ms on the
        socket, and a monitor (a PAIR fed by zmq_socket_monitor) that reports
        the connection lost or not made, so that a dead broker costs about a
        heartbeat timeout, not the request timeout. */
    int link_ms;
    void *mon;
    unsigned mon_seq;                /*  makes each monitor's inproc name unique */
    int64_t lost_at[SM_MAX_BROKERS]; /*  when each broker was last found lost, 0: never */
};

/*  The monitor events that mean "this broker can not be reached now": the
    connection dropped (the broker's process died: the kernel closed it; or
    the ZMTP heartbeat timed out: a cut link), a connect failed (refused,
    or no answer within ZMQ_CONNECT_TIMEOUT), or the CURVE handshake failed. */
#define S_LOST_EVENTS                                                                              \
    (ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_CONNECT_RETRIED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |   \
     ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)

static int64_t s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int s_recv_frames(void *sock, zmq_msg_t *msgs, int max);

/*  Close the socket and its monitor, if open. Can't fail. */
static void s_disconnect(sm_client_t *self)
{
    if (self->sock) {
        if (self->mon)
            zmq_socket_monitor(self->sock, NULL, 0); /*  stop it before its PAIR goes */
        zmq_close(self->sock);
    }
    if (self->mon)
        zmq_close(self->mon);
    self->sock = self->mon = NULL;
}

void sm_link_heartbeat(void *sock, int heartbeat_ms)
{
    /*  libzmq's I/O thread sends the PINGs and the peer's answers them, so
        a broker busy with a long request still answers; silence for three
        intervals closes the connection (a DISCONNECTED event) and libzmq
        connects again. A connect that gets no answer (tcp://: SYNs lost
        behind a cut link would otherwise back off for many seconds), or a
        handshake that does not finish (a broker that accepts but is
        stopped: heartbeats start only after the handshake), gives up after
        as long. */
    int ivl = heartbeat_ms, dead = 3 * heartbeat_ms;
    zmq_setsockopt(sock, ZMQ_HEARTBEAT_IVL, &ivl, sizeof ivl);
    zmq_setsockopt(sock, ZMQ_HEARTBEAT_TIMEOUT, &dead, sizeof dead);
    zmq_setsockopt(sock, ZMQ_CONNECT_TIMEOUT, &dead, sizeof dead);
    zmq_setsockopt(sock, ZMQ_HANDSHAKE_IVL, &dead, sizeof dead);
}

/*  Attach a monitor to self->sock for S_LOST_EVENTS, before it connects (a
    monitor only reports events once its PAIR is connected). Returns 0 or
    -1. */
static int s_monitor(sm_client_t *self)
{
    char name[80];
    int rc = -1;
    /*  The inproc name of a closed monitor is released asynchronously; a
        name still in use is skipped. */
    for (int i = 0; i < 8 && rc != 0; i++) {
        snprintf(name, sizeof name, "inproc://sm-client-link-%p-%u", (void *)self, ++self->mon_seq);
        rc = zmq_socket_monitor(self->sock, name, S_LOST_EVENTS);
    }
    if (rc != 0)
        return -1;
    self->mon = zmq_socket(self->zctx, ZMQ_PAIR);
    int linger = 0;
    if (!self->mon || zmq_setsockopt(self->mon, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        zmq_connect(self->mon, name) != 0)
        return -1;
    return 0;
}

/*  Open a fresh DEALER to the current broker, with CURVE when the client
    has keys, ZMTP heartbeats and a monitor. Returns 0, or -1 (the socket is
    then NULL). */
static int s_connect(sm_client_t *self)
{
    self->sock = zmq_socket(self->zctx, ZMQ_DEALER);
    if (!self->sock)
        return -1;
    int linger = 0;
    zmq_setsockopt(self->sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(self->sock, ZMQ_MAXMSGSIZE, &self->max_message, sizeof self->max_message);
    sm_link_heartbeat(self->sock, self->link_ms);
    if ((self->curve && sm_security_apply(&self->sec, self->sock) != 0) || s_monitor(self) != 0 ||
        zmq_connect(self->sock, self->brokers.ep[self->cur]) != 0) {
        int e = zmq_errno();
        s_disconnect(self);
        errno = e;
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
    self->link_ms = SM_LINK_HEARTBEAT_MS;
    if (sm_endpoints_parse("broker", endpoint, &self->brokers, err) != 0) {
        free(self);
        return NULL;
    }
    /*  Connect to each broker once, last to first, and keep the socket to
        the first: an endpoint ZeroMQ refuses is reported now, not at the
        failover that needs it. */
    for (self->cur = self->brokers.n - 1; self->cur >= 0; self->cur--) {
        if (s_connect(self) != 0) {
            sm_err_set(err, SM_E_INVALID_ARGUMENT, "broker",
                       _("cannot connect to broker endpoint \"%s\": %s; give an endpoint such "
                         "as tcp://127.0.0.1:5555"),
                       self->brokers.ep[self->cur], zmq_strerror(zmq_errno()));
            free(self);
            return NULL;
        }
        if (self->cur > 0)
            s_disconnect(self);
    }
    self->cur = 0;
    return self;
}

void sm_client_destroy(sm_client_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    s_disconnect(*self_p);
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
    s_disconnect(self);
    /*  A reset follows a broker that did not answer: try the next one. */
    self->cur = (self->cur + 1) % self->brokers.n;
    return s_connect(self);
}

const char *sm_client_endpoint(sm_client_t *self)
{
    return self->brokers.ep[self->cur];
}

int sm_client_brokers(sm_client_t *self)
{
    return self->brokers.n;
}

/*  Read every event the link monitor has; true when one of them says the
    broker was lost. Can't fail. */
static bool s_link_events(sm_client_t *self)
{
    bool lost = false;
    zmq_msg_t f[2];
    int n;
    while (self->mon && (n = s_recv_frames(self->mon, f, 2)) >= 0) {
        /*  Frame 1: a 16-bit event number and a 32-bit value, native order. */
        uint16_t event = 0;
        if (n == 2 && zmq_msg_size(&f[0]) == 6)
            memcpy(&event, zmq_msg_data(&f[0]), sizeof event);
        if (event & S_LOST_EVENTS)
            lost = true;
        for (int i = 0; i < n; i++)
            zmq_msg_close(&f[i]);
    }
    return lost;
}

bool sm_client_lost(sm_client_t *self)
{
    if (!s_link_events(self))
        return false;
    self->lost_at[self->cur] = s_now_ms();
    return true;
}

int sm_client_link(sm_client_t *self)
{
    return self->link_ms;
}

int sm_client_set_link(sm_client_t *self, int heartbeat_ms)
{
    if (heartbeat_ms < SM_LINK_HEARTBEAT_MIN_MS || heartbeat_ms > SM_LINK_HEARTBEAT_MAX_MS)
        return -1;
    self->link_ms = heartbeat_ms;
    s_disconnect(self);
    return s_connect(self);
}

/*  True when reply is the error "unavailable": no worker behind this
    broker (yet), or the worker died holding the request. */
static bool s_unavailable(const sm_doc_t *reply)
{
    const msgpack_object *e = sm_map_get(sm_doc_root(reply), "error");
    char code[40] = "";
    return e && sm_get_str(e, "code", false, code, sizeof code, true, NULL) > 0 &&
           strcmp(code, SM_E_UNAVAILABLE) == 0;
}

int sm_client_send(sm_client_t *self, const char *service, const void *body, size_t size)
{
    unsigned char cmd = MDPC_REQUEST;
    /*  What the link did before this request is no news about it. */
    s_link_events(self);
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

/*  Wait for a FINAL reply for at most timeout_ms. Returns the doc, or NULL
    with *ended set to 't' on timeout or 'l' when the broker was lost (the
    link monitor said so), or NULL with err on a bad reply. */
static sm_doc_t *s_wait(sm_client_t *self, int timeout_ms, char *ended, sm_err_t *err)
{
    int64_t deadline = s_now_ms() + timeout_ms;
    *ended = 0;
    while (true) {
        int64_t left = deadline - s_now_ms();
        if (left <= 0) {
            *ended = 't';
            return NULL;
        }
        zmq_pollitem_t items[2] = {{self->sock, 0, ZMQ_POLLIN, 0}, {self->mon, 0, ZMQ_POLLIN, 0}};
        int rc = zmq_poll(items, self->mon ? 2 : 1, (long)left);
        if (rc < 0) {
            *ended = 't'; /*  interrupted: treat as a timeout */
            return NULL;
        }
        if (rc == 0)
            continue;
        /*  A reply that arrived before the link went is still the reply. */
        if (items[0].revents & ZMQ_POLLIN) {
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
        } else if (sm_client_lost(self)) {
            *ended = 'l';
            return NULL;
        }
    }
}

/*  Sleep until ms (monotonic) or for at most limit_ms. Can't fail. */
static void s_sleep_until(int64_t ms, int64_t limit_ms)
{
    int64_t left = ms - s_now_ms();
    if (left > limit_ms)
        left = limit_ms;
    if (left > 0)
        zmq_poll(NULL, 0, (long)left);
}

sm_doc_t *sm_client_request(sm_client_t *self, const char *service, const void *body,
                            size_t size, int timeout_ms, int retries, sm_err_t *err)
{
    /*  With a broker pair every broker gets at least one try. */
    if (retries < self->brokers.n - 1)
        retries = self->brokers.n - 1;
    const char *first = self->brokers.ep[self->cur];
    /*  A try ends with a reply, after timeout_ms (a timed-out try counts
        against retries), or early when the link monitor finds the broker
        lost: then the next broker is tried at once with the same bytes and
        rid (PROTOCOL.md §9), and that try does not count. The whole request
        stays within what its tries could take, (retries + 1) x timeout_ms;
        a broker found lost is not tried again within link_ms of that, so
        that brokers all down are not hammered. */
    int64_t end = s_now_ms() + (int64_t)(retries + 1) * timeout_ms;
    memset(self->lost_at, 0, sizeof self->lost_at);
    int timeouts = 0;
    for (int attempt = 0; timeouts <= retries && s_now_ms() < end; attempt++) {
        if (attempt > 0) {
            if (sm_client_reset(self) != 0)
                break;
            if (self->lost_at[self->cur])
                s_sleep_until(self->lost_at[self->cur] + self->link_ms, end - s_now_ms());
        }
        if (sm_client_send(self, service, body, size) != 0) {
            timeouts++;
            continue;
        }
        int64_t left = end - s_now_ms();
        char ended = 0;
        sm_doc_t *doc = s_wait(self, (int)(left < timeout_ms ? left : timeout_ms), &ended, err);
        if (ended == 'l')
            continue;
        /*  "unavailable" from one broker of a pair: the other may have the
            worker (the service registers with both, one may be behind
            after its restart). The same bytes, the same rid: applied once. */
        if (doc && self->brokers.n > 1 && timeouts < retries && s_unavailable(doc)) {
            sm_doc_destroy(&doc);
            timeouts++;
            continue;
        }
        if (doc || ended != 't')
            return doc;
        timeouts++;
    }
    /*  Leave a clean socket behind: a late reply must not be taken for the
        answer to the next request. */
    sm_client_reset(self);
    if (self->brokers.n > 1)
        sm_err_set(err, SM_E_DEADLINE_EXCEEDED, NULL,
                   _("no reply from service \"%1$s\" through any of %2$d brokers (first %3$s) "
                     "within %4$d ms a try (%5$d tries); is a samen-broker running?"),
                   service, self->brokers.n, first, timeout_ms, retries + 1);
    else
        sm_err_set(err, SM_E_DEADLINE_EXCEEDED, NULL,
                   _("no reply from service \"%s\" via %s within %d ms (%d tries); is "
                     "samen-broker running?"),
                   service, first, timeout_ms, retries + 1);
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
    /*  One try per broker: a broker that does not answer makes way for the
        next one. */
    for (int attempt = 0; attempt < self->brokers.n; attempt++) {
        if (attempt > 0 && sm_client_reset(self) != 0)
            break;
        if (sm_client_send(self, SM_SVC_MMI_SERVICE, service, strlen(service)) != 0)
            continue;
        int64_t deadline = s_now_ms() + timeout_ms;
        while (s_now_ms() < deadline) {
            zmq_pollitem_t items[2] = {{self->sock, 0, ZMQ_POLLIN, 0},
                                       {self->mon, 0, ZMQ_POLLIN, 0}};
            if (zmq_poll(items, self->mon ? 2 : 1, (long)(deadline - s_now_ms())) <= 0)
                continue;
            if (!(items[0].revents & ZMQ_POLLIN)) {
                /*  This broker is gone: the next one. A lone broker is
                    waited for (libzmq connects again) as before. */
                if (sm_client_lost(self) && self->brokers.n > 1)
                    break;
                continue;
            }
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
    }
    const char *last = self->brokers.ep[self->cur];
    sm_client_reset(self);
    return sm_err_set(err, SM_E_DEADLINE_EXCEEDED, NULL,
                      _("no answer from the broker at %s within %d ms; is samen-broker running?"),
                      last, timeout_ms);
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
