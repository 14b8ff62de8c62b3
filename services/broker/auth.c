/*  services/broker/auth.c - CurveZMQ server side of the broker. See auth.h. */
#include "services/broker/auth.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/security.h"
#include <czmq.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/*  One line per refused handshake would let anyone fill the log: the
    first is logged, then at most one summary per this many ms. */
#define S_LOG_EVERY_MS 10000

struct _sm_auth_t {
    void *ctx;
    zactor_t *zauth;
    sm_keyring_t *ring;
    char keys_dir[256];
    char public_dir[320];
    char public_key[SM_KEY_TEXT], secret_key[SM_KEY_TEXT];
    void *mon[SM_AUTH_SLOTS];
    void *watched[SM_AUTH_SLOTS];
    unsigned generation;
    uint64_t refused;
    uint64_t unlogged;
    int64_t logged_ms;
};

static int64_t s_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

sm_auth_t *sm_auth_new(void *ctx, const char *keys_dir, const char *key_file, sm_err_t *err)
{
    sm_auth_t *self = calloc(1, sizeof *self);
    if (!self) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        return NULL;
    }
    self->ctx = ctx;
    snprintf(self->keys_dir, sizeof self->keys_dir, "%s", keys_dir);
    if (sm_keys_path(keys_dir, "public", NULL, self->public_dir, sizeof self->public_dir, err))
        goto failed;
    if (sm_cert_read(key_file, true, true, "broker/key", NULL, NULL, self->public_key,
                     self->secret_key, err) != 0)
        goto failed;
    self->ring = sm_keyring_new(self->public_dir);
    if (!self->ring) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto failed;
    }
    if (sm_keyring_refresh(self->ring, NULL) < 0) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory loading the keys"));
        goto failed;
    }
    /*  zauth binds the ZAP endpoint in czmq's zsys context, which must be
        the context of the sockets it guards. */
    self->zauth = zactor_new(zauth, NULL);
    if (!self->zauth) {
        sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot start czmq's zauth"));
        goto failed;
    }
    zstr_sendx(self->zauth, "CURVE", self->public_dir, NULL);
    zsock_wait(self->zauth);
    return self;
failed:
    sm_auth_destroy(&self);
    return NULL;
}

void sm_auth_destroy(sm_auth_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sm_auth_t *self = *self_p;
    for (int i = 0; i < SM_AUTH_SLOTS; i++)
        sm_auth_unwatch(self, (sm_auth_slot_t)i);
    zactor_destroy(&self->zauth);
    sm_keyring_destroy(&self->ring);
    /*  The secret key is no business of freed memory. */
    memset(self->secret_key, 0, sizeof self->secret_key);
    free(self);
    *self_p = NULL;
}

int sm_auth_server(sm_auth_t *self, void *sock, sm_auth_slot_t slot, sm_err_t *err)
{
    int one = 1;
    if (zmq_setsockopt(sock, ZMQ_CURVE_SERVER, &one, sizeof one) != 0 ||
        zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, self->secret_key, 41) != 0 ||
        zmq_setsockopt(sock, ZMQ_ZAP_DOMAIN, "samen", 5) != 0)
        return sm_err_set(err, SM_E_INTERNAL, NULL,
                          _("cannot make a CurveZMQ server socket: %s (is libzmq built with "
                            "CURVE?)"),
                          zmq_strerror(zmq_errno()));
    sm_auth_unwatch(self, slot);
    char ep[64];
    snprintf(ep, sizeof ep, "inproc://samen-auth-%d-%u", (int)slot, self->generation++);
    /*  Not HANDSHAKE_FAILED_NO_DETAIL: that is a peer that went away in
        the middle of its handshake, not one we refused. */
    int events = ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL;
    void *mon = NULL;
    if (zmq_socket_monitor(sock, ep, events) == 0 && (mon = zmq_socket(self->ctx, ZMQ_PAIR))) {
        int zero = 0;
        zmq_setsockopt(mon, ZMQ_LINGER, &zero, sizeof zero);
        if (zmq_connect(mon, ep) != 0) {
            zmq_close(mon);
            mon = NULL;
        }
    }
    if (!mon) {
        zmq_socket_monitor(sock, NULL, 0);
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot monitor a socket: %s"),
                          zmq_strerror(zmq_errno()));
    }
    self->mon[slot] = mon;
    self->watched[slot] = sock;
    return 0;
}

void sm_auth_unwatch(sm_auth_t *self, sm_auth_slot_t slot)
{
    if (!self || !self->mon[slot])
        return;
    zmq_socket_monitor(self->watched[slot], NULL, 0);
    zmq_close(self->mon[slot]);
    self->mon[slot] = NULL;
    self->watched[slot] = NULL;
}

void *sm_auth_monitor(sm_auth_t *self, sm_auth_slot_t slot)
{
    return self ? self->mon[slot] : NULL;
}

size_t sm_auth_drain(sm_auth_t *self, sm_auth_slot_t slot)
{
    static const char *const names[] = {"endpoint", "events_in", "events_out"};
    size_t n = 0;
    while (self && self->mon[slot]) {
        zmq_msg_t ev;
        zmq_msg_init(&ev);
        if (zmq_msg_recv(&ev, self->mon[slot], ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&ev);
            break;
        }
        uint16_t event = 0;
        uint32_t value = 0;
        if (zmq_msg_size(&ev) >= 6) {
            memcpy(&event, zmq_msg_data(&ev), 2);
            memcpy(&value, (char *)zmq_msg_data(&ev) + 2, 4);
        }
        bool more = zmq_msg_more(&ev);
        zmq_msg_close(&ev);
        while (more) { /*  the endpoint frame */
            zmq_msg_t rest;
            zmq_msg_init(&rest);
            if (zmq_msg_recv(&rest, self->mon[slot], ZMQ_DONTWAIT) < 0) {
                zmq_msg_close(&rest);
                break;
            }
            more = zmq_msg_more(&rest);
            zmq_msg_close(&rest);
        }
        if (!(event & (ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL)))
            continue;
        n++;
        self->refused++;
        int64_t now = s_mono_ms();
        if (self->logged_ms == 0 || now - self->logged_ms >= S_LOG_EVERY_MS) {
            /*  An unknown key: ZAP said 400. Anything else: the peer did
                not speak CurveZMQ with our key (plain, or another broker's
                public key). */
            sm_warn("connection refused",
                    "socket=%s reason=%s refused_since_last_line=%" PRIu64
                    " refused_total=%" PRIu64,
                    names[slot],
                    event == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH ? "key_not_trusted"
                                                             : "not_curve_with_our_key",
                    self->unlogged + 1, self->refused);
            self->logged_ms = now;
            self->unlogged = 0;
        } else
            self->unlogged++;
        (void)value;
    }
    return n;
}

int sm_auth_refresh(sm_auth_t *self, bool *lost)
{
    int rc = sm_keyring_refresh(self->ring, lost);
    if (rc == 1) {
        /*  zauth's own store looks at the directory's newest file time to
            the second; make it reload now, so both see the same keys. */
        zstr_sendx(self->zauth, "CURVE", self->public_dir, NULL);
        zsock_wait(self->zauth);
        sm_info("keys reloaded", "trusted=%zu skipped=%zu lost=%s",
                sm_keyring_count(self->ring), sm_keyring_skipped(self->ring),
                lost && *lost ? "yes" : "no");
    }
    return rc;
}

const sm_key_t *sm_auth_sender(sm_auth_t *self, zmq_msg_t *msg)
{
    const char *uid = zmq_msg_gets(msg, "User-Id");
    return uid ? sm_keyring_find(self->ring, uid) : NULL;
}

const sm_key_t *sm_auth_find(sm_auth_t *self, const char *public_key)
{
    return sm_keyring_find(self->ring, public_key);
}

uint64_t sm_auth_handshakes_refused(const sm_auth_t *self)
{
    return self ? self->refused : 0;
}

size_t sm_auth_keys(const sm_auth_t *self)
{
    return self ? sm_keyring_count(self->ring) : 0;
}

const char *sm_auth_keys_dir(const sm_auth_t *self)
{
    return self ? self->keys_dir : "";
}
