/*  services/broker/events.c - live event fan-out: XSUB in, XPUB out. */
#include "events.h"
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

/*  An event is two frames (topic, body); we hold up to this many so that
    a whole message is checked before any of it is sent on. */
#define S_MAX_FRAMES 8

struct _sm_events_t {
    void *in;  /*  XSUB: publishers connect here */
    void *out; /*  XPUB: subscribers connect here */
    int64_t max_message_bytes;
    sm_events_stats_t stats;
    zmq_msg_t frames[S_MAX_FRAMES];
};

/*  Create a socket of type with linger 0 and the maximum frame size, and
    bind it. Returns the socket, or NULL with err naming setting. */
static void *s_socket(void *ctx, int type, const char *endpoint, const char *setting,
                      int hwm_option, int hwm, int64_t max_message_bytes, sm_err_t *err)
{
    void *sock = zmq_socket(ctx, type);
    if (!sock) {
        sm_err_set(err, SM_E_INTERNAL, setting, "cannot create a socket for %s: %s", setting,
                   zmq_strerror(errno));
        return NULL;
    }
    int linger = 0;
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(sock, ZMQ_MAXMSGSIZE, &max_message_bytes, sizeof max_message_bytes);
    if (hwm_option)
        zmq_setsockopt(sock, hwm_option, &hwm, sizeof hwm);
    if (zmq_bind(sock, endpoint) != 0) {
        sm_err_set(err, SM_E_UNAVAILABLE, setting,
                   "cannot bind %s to %s: %s; is another broker running, or give another "
                   "endpoint",
                   setting, endpoint, zmq_strerror(errno));
        zmq_close(sock);
        return NULL;
    }
    return sock;
}

sm_events_t *sm_events_new(void *ctx, const char *in_ep, const char *out_ep, int subscriber_hwm,
                           int64_t max_message_bytes, sm_err_t *err)
{
    sm_events_t *self = calloc(1, sizeof *self);
    if (!self) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
        return NULL;
    }
    self->max_message_bytes = max_message_bytes;
    /*  The XSUB's receive queue absorbs bursts from publishers; give it the
        same depth as a subscriber's. */
    self->in = s_socket(ctx, ZMQ_XSUB, in_ep, "broker/events_in", ZMQ_RCVHWM, subscriber_hwm,
                        max_message_bytes, err);
    if (self->in)
        self->out = s_socket(ctx, ZMQ_XPUB, out_ep, "broker/events_out", ZMQ_SNDHWM, subscriber_hwm,
                             max_message_bytes, err);
    if (!self->in || !self->out) {
        sm_events_destroy(&self);
        return NULL;
    }
    /*  Refuse rather than skip a full subscriber, so that a loss is seen
        and counted (s_publish). */
    int nodrop = 1;
    zmq_setsockopt(self->out, ZMQ_XPUB_NODROP, &nodrop, sizeof nodrop);
    return self;
}

void sm_events_destroy(sm_events_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sm_events_t *self = *self_p;
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

void sm_events_stats(const sm_events_t *self, sm_events_stats_t *out)
{
    *out = self->stats;
}
