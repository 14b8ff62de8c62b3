/*  services/broker/events.c - live event fan-out: XSUB in, XPUB out. */
#include "events.h"
#include "common/i18n.h"
#include "common/log.h"
#include "services/broker/events.h"
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

/*  An event is two frames (topic, body); we hold up to this many so that
    a whole message is checked before any of it is sent on. */
#define S_MAX_FRAMES 8

/*  A refused event is logged once, then at most once per this many ms. */
#define S_LOG_EVERY_MS 10000

struct _sm_events_t {
    void *ctx;
    void *in;  /*  XSUB: publishers connect here */
    void *out; /*  XPUB: subscribers connect here; NULL while a cut waits */
    sm_auth_t *auth;
    char out_ep[256];
    int subscriber_hwm;
    int64_t max_message_bytes;
    int64_t refused_logged_ms;
    uint64_t refused_unlogged;
    sm_events_stats_t stats;
    zmq_msg_t frames[S_MAX_FRAMES];
};

/*  Create a socket of type with linger 0 and the maximum frame size, a
    CurveZMQ server watched in slot when auth is set, and bind it. Returns
    the socket, or NULL with err naming setting. */
static void *s_socket(void *ctx, int type, const char *endpoint, const char *setting,
                      int hwm_option, int hwm, int64_t max_message_bytes, sm_auth_t *auth,
                      sm_auth_slot_t slot, sm_err_t *err)
{
    void *sock = zmq_socket(ctx, type);
    if (!sock) {
        sm_err_set(err, SM_E_INTERNAL, setting, _("cannot create a socket for %1$s: %2$s"), setting,
                   zmq_strerror(errno));
        return NULL;
    }
    int linger = 0;
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(sock, ZMQ_MAXMSGSIZE, &max_message_bytes, sizeof max_message_bytes);
    if (hwm_option)
        zmq_setsockopt(sock, hwm_option, &hwm, sizeof hwm);
    /*  Refuse rather than skip a full subscriber, so that a loss is seen
        and counted (s_publish). */
    int nodrop = 1;
    if (type == ZMQ_XPUB)
        zmq_setsockopt(sock, ZMQ_XPUB_NODROP, &nodrop, sizeof nodrop);
    if (auth && sm_auth_server(auth, sock, slot, err) != 0) {
        zmq_close(sock);
        return NULL;
    }
    if (zmq_bind(sock, endpoint) != 0) {
        sm_err_set(err, SM_E_UNAVAILABLE, setting,
                   _("cannot bind %1$s to %2$s: %3$s; is another broker running, or give another "
                     "endpoint"),
                   setting, endpoint, zmq_strerror(errno));
        sm_auth_unwatch(auth, slot);
        zmq_close(sock);
        return NULL;
    }
    return sock;
}

sm_events_t *sm_events_new(void *ctx, const char *in_ep, const char *out_ep, int subscriber_hwm,
                           int64_t max_message_bytes, sm_auth_t *auth, sm_err_t *err)
{
    sm_events_t *self = calloc(1, sizeof *self);
    if (!self) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        return NULL;
    }
    self->ctx = ctx;
    self->auth = auth;
    self->subscriber_hwm = subscriber_hwm;
    self->max_message_bytes = max_message_bytes;
    snprintf(self->out_ep, sizeof self->out_ep, "%s", out_ep);
    /*  The XSUB's receive queue absorbs bursts from publishers; give it the
        same depth as a subscriber's. */
    self->in = s_socket(ctx, ZMQ_XSUB, in_ep, "broker/events_in", ZMQ_RCVHWM, subscriber_hwm,
                        max_message_bytes, auth, SM_AUTH_EVENTS_IN, err);
    if (self->in)
        self->out = s_socket(ctx, ZMQ_XPUB, out_ep, "broker/events_out", ZMQ_SNDHWM,
                             subscriber_hwm, max_message_bytes, auth, SM_AUTH_EVENTS_OUT, err);
    if (!self->in || !self->out) {
        sm_events_destroy(&self);
        return NULL;
    }
    return self;
}

void sm_events_destroy(sm_events_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sm_events_t *self = *self_p;
    sm_auth_unwatch(self->auth, SM_AUTH_EVENTS_IN);
    sm_auth_unwatch(self->auth, SM_AUTH_EVENTS_OUT);
    if (self->in)
        zmq_close(self->in);
    if (self->out)
        zmq_close(self->out);
    free(self);
    *self_p = NULL;
}

void *sm_events_in(sm_events_t *self)
{
    return self->in;
}

void *sm_events_out(sm_events_t *self)
{
    return self->out;
}

/*  Read one whole message from sock into self->frames without blocking.
    Returns the number of frames held (0 when nothing was waiting), or -1
    when the message was read but must be dropped: too many frames, or a
    frame over the limit (oversize counted). Frames beyond the first
    S_MAX_FRAMES are read and discarded so the next read starts on a
    message boundary. */
static int s_read(sm_events_t *self, void *sock)
{
    int n = 0;
    bool bad = false;
    bool more = true;
    while (more) {
        zmq_msg_t scratch;
        zmq_msg_t *frame = n < S_MAX_FRAMES ? &self->frames[n] : &scratch;
        zmq_msg_init(frame);
        if (zmq_msg_recv(frame, sock, ZMQ_DONTWAIT) == -1) {
            zmq_msg_close(frame);
            if (n == 0 && !bad)
                return 0;
            /*  Multipart messages arrive whole; a failure mid-message means
                the context is going down. Drop what we hold. */
            bad = true;
            break;
        }
        more = zmq_msg_more(frame);
        if ((int64_t)zmq_msg_size(frame) > self->max_message_bytes) {
            self->stats.oversize++;
            bad = true;
        }
        if (frame == &scratch) {
            zmq_msg_close(&scratch);
            bad = true;
        } else
            n++;
    }
    if (bad) {
        for (int i = 0; i < n; i++)
            zmq_msg_close(&self->frames[i]);
        return -1;
    }
    return n;
}

/*  Send n held frames on sock without blocking. Returns 0 when sent, -1
    when the first frame could not be sent (the rest are then closed
    unsent). A later frame can't fail alone: libzmq admits or refuses a
    multipart message as a whole at its first frame. */
static int s_send(sm_events_t *self, void *sock, int n)
{
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (rc == 0 && zmq_msg_send(&self->frames[i], sock,
                                    ZMQ_DONTWAIT | (i + 1 < n ? ZMQ_SNDMORE : 0)) == -1)
            rc = -1;
        zmq_msg_close(&self->frames[i]);
    }
    return rc;
}

/*  Hand n held frames to the XPUB without blocking, noticing a loss.

    A lossy XPUB skips a subscriber whose queue is full at its SNDHWM and
    says nothing (121,000 events went that way uncounted). So the XPUB is
    set ZMQ_XPUB_NODROP, under which libzmq refuses a message (EAGAIN, at
    its first frame, sending it to nobody) when a subscriber it is meant
    for is full. Then we know that subscriber loses it: *lost is set, and
    the message is sent again with NODROP off, so that every subscriber
    with room still gets it, and NODROP goes back on.

    What libzmq does not let us see: after that loss it sets the full
    subscriber aside until it has read its queue down, and skips it
    silently meanwhile. So a loss is seen once each time a subscriber
    overflows, not once per event it then misses: the count is a lower
    bound of what subscribers lost (0 only when none overflowed). Returns
    0 when handed on, -1 when it could not be (the frames are closed). */
static int s_publish(sm_events_t *self, int n, bool *lost)
{
    *lost = false;
    int more = n > 1 ? ZMQ_SNDMORE : 0;
    if (zmq_msg_send(&self->frames[0], self->out, ZMQ_DONTWAIT | more) == -1) {
        if (zmq_errno() != EAGAIN) {
            for (int i = 0; i < n; i++)
                zmq_msg_close(&self->frames[i]);
            return -1;
        }
        *lost = true;
        int off = 0, on = 1;
        zmq_setsockopt(self->out, ZMQ_XPUB_NODROP, &off, sizeof off);
        int rc = s_send(self, self->out, n);
        zmq_setsockopt(self->out, ZMQ_XPUB_NODROP, &on, sizeof on);
        return rc;
    }
    int rc = 0;
    for (int i = 1; i < n; i++) {
        if (rc == 0 && zmq_msg_send(&self->frames[i], self->out,
                                    ZMQ_DONTWAIT | (i + 1 < n ? ZMQ_SNDMORE : 0)) == -1)
            rc = -1;
        zmq_msg_close(&self->frames[i]);
    }
    zmq_msg_close(&self->frames[0]);
    return rc;
}

static int64_t s_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*  True when the publisher of the n held frames may publish their topic:
    its key is trusted and holds service:S for the topic's first word S.
    Otherwise counts the event as refused and logs (rate-limited). */
static bool s_publisher_may(sm_events_t *self, int n)
{
    const sm_key_t *key = sm_auth_sender(self->auth, &self->frames[0]);
    const char *topic = zmq_msg_data(&self->frames[0]);
    size_t len = zmq_msg_size(&self->frames[0]);
    const char *dot = memchr(topic, '.', len);
    char service[40] = "";
    if (dot && (size_t)(dot - topic) < sizeof service) {
        memcpy(service, topic, (size_t)(dot - topic));
        service[dot - topic] = '\0';
    }
    sm_roles_t need = service[0] ? sm_role_of_service(service) : 0;
    if (n == 2 && key && need && (key->roles & need))
        return true;
    self->stats.refused++;
    int64_t now = s_mono_ms();
    if (self->refused_logged_ms == 0 || now - self->refused_logged_ms >= S_LOG_EVERY_MS) {
        char q[80];
        sm_warn("event refused",
                "reason=%s key=%s service=%s refused_since_last_line=%" PRIu64,
                !key ? "key_not_trusted" : !need || n != 2 ? "not_an_event" : "not_its_topic",
                key ? key->name : "-", sm_log_quote(service[0] ? service : "-", q, sizeof q),
                self->refused_unlogged + 1);
        self->refused_logged_ms = now;
        self->refused_unlogged = 0;
    } else
        self->refused_unlogged++;
    return false;
}

size_t sm_events_forward(sm_events_t *self, size_t max_messages)
{
    size_t count = 0;
    while (count < max_messages) {
        int n = s_read(self, self->in);
        if (n == 0)
            break;
        count++;
        if (n < 0) {
            self->stats.dropped++;
            continue;
        }
        if (self->auth && !s_publisher_may(self, n)) {
            for (int i = 0; i < n; i++)
                zmq_msg_close(&self->frames[i]);
            continue;
        }
        if (!self->out) { /*  cut, not bound again yet */
            for (int i = 0; i < n; i++)
                zmq_msg_close(&self->frames[i]);
            self->stats.dropped++;
            continue;
        }
        /*  "dropped" counts a message that could not be handed on at all,
            and each overflow of a subscriber's queue (s_publish: a lower
            bound of what subscribers lost). Subscribers see their own
            losses as seq gaps, and backfill. */
        bool lost = false;
        if (s_publish(self, n, &lost) == 0)
            self->stats.forwarded++;
        else
            lost = true;
        if (lost)
            self->stats.dropped++;
    }
    return count;
}

size_t sm_events_subscribe(sm_events_t *self, size_t max_messages)
{
    size_t count = 0;
    if (!self->out)
        return 0;
    while (count < max_messages) {
        int n = s_read(self, self->out);
        if (n == 0)
            break;
        count++;
        if (n < 0)
            continue;
        /*  Without ZMQ_XPUB_VERBOSE the XPUB passes up only the first
            subscribe and the last unsubscribe of each prefix (also when a
            subscriber disconnects), so this counts distinct live prefixes. */
        size_t size = zmq_msg_size(&self->frames[0]);
        const unsigned char *data = zmq_msg_data(&self->frames[0]);
        if (n == 1 && size >= 1 && data[0] == 1)
            self->stats.subscriptions++;
        else if (n == 1 && size >= 1 && data[0] == 0 && self->stats.subscriptions > 0)
            self->stats.subscriptions--;
        s_send(self, self->in, n);
    }
    return count;
}

int sm_events_cut_retry(sm_events_t *self)
{
    if (self->out)
        return 0;
    sm_err_t err;
    sm_err_clear(&err);
    self->out = s_socket(self->ctx, ZMQ_XPUB, self->out_ep, "broker/events_out", ZMQ_SNDHWM,
                         self->subscriber_hwm, self->max_message_bytes, self->auth,
                         SM_AUTH_EVENTS_OUT, &err);
    return self->out ? 0 : -1;
}

int sm_events_cut(sm_events_t *self)
{
    if (self->out) {
        sm_auth_unwatch(self->auth, SM_AUTH_EVENTS_OUT);
        zmq_close(self->out);
        self->out = NULL;
    }
    self->stats.cuts++;
    /*  The subscriptions die with the socket; subscribers resend theirs. */
    self->stats.subscriptions = 0;
    /*  zmq_close hands the listener to the I/O thread, which closes it a
        moment later: until then the port is taken. Try for a short while;
        the broker's loop retries after that. */
    for (int i = 0; i < 50; i++) {
        if (sm_events_cut_retry(self) == 0) {
            char q[300];
            sm_info("subscribers cut off", "reason=key_revoked endpoint=%s cuts=%" PRIu64,
                    sm_log_quote(self->out_ep, q, sizeof q), self->stats.cuts);
            return 0;
        }
        struct timespec ts = {0, 2 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    char q[300];
    sm_warn("events_out not bound again yet; retrying", "endpoint=%s",
            sm_log_quote(self->out_ep, q, sizeof q));
    return -1;
}

void sm_events_stats(const sm_events_t *self, sm_events_stats_t *out)
{
    *out = self->stats;
}
