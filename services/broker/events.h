/*  services/broker/events.h - live event fan-out: XSUB in, XPUB out.

    Services connect PUB sockets to the XSUB endpoint; subscribers connect
    SUB sockets to the XPUB endpoint. Messages flow XSUB -> XPUB and
    subscriptions flow XPUB -> XSUB, so publishers filter at the source.

    The forwarding runs inside the broker's own poll loop (not zmq_proxy)
    so that it can be counted. It never blocks: a slow subscriber loses
    messages beyond its high-water mark instead of holding up the broker
    and every service. Such losses are no longer silent: the XPUB is set
    ZMQ_XPUB_NODROP, so libzmq refuses a message meant for a full
    subscriber instead of skipping it unseen; the message is then sent
    again without NODROP (every subscriber with room gets it) and counted
    in "dropped". libzmq then sets the full subscriber aside until it has
    read its queue down and skips it silently meanwhile, so "dropped"
    counts each overflow once, not each event missed: a lower bound, 0
    only when no subscriber overflowed.
    Live delivery is best effort by contract: subscribers detect losses by
    a gap in an event's seq and backfill with events.read (DESIGN.md §4).

    With security on (auth not NULL) both sockets are CurveZMQ servers, and
    an event is forwarded only when its publisher's key holds the role
    service:S for the service S named by the topic's first word
    ("finance.entitlement.created" needs service:finance); anything else is
    dropped and counted as refused. A subscriber's key is checked only at
    its handshake (an XPUB cannot tell subscribers apart when it sends), so
    when a key is revoked sm_events_cut() closes the XPUB and binds a fresh
    one: every subscriber reconnects through the handshake, the revoked one
    is refused there, the others resubscribe and backfill what they missed.
*/
#ifndef SAMEN_BROKER_EVENTS_H
#define SAMEN_BROKER_EVENTS_H

#include "common/err.h"
#include "services/broker/auth.h"
#include <stddef.h>
#include <stdint.h>

typedef struct _sm_events_t sm_events_t;

typedef struct {
    uint64_t forwarded;     /*  messages handed to the XPUB */
    uint64_t dropped;       /*  subscriber overflows seen, and messages none got (above) */
    uint64_t oversize;      /*  frames over max_message_bytes seen and dropped */
    uint64_t subscriptions; /*  topic prefixes currently subscribed */
    uint64_t refused;       /*  events whose publisher may not publish that topic */
    uint64_t cuts;          /*  times every subscriber was cut off (a key revoked) */
} sm_events_stats_t;

/*  Bind an XSUB on in_ep and an XPUB on out_ep in ctx, with the given
    subscriber high-water mark and maximum frame size; CurveZMQ servers
    checked by auth unless auth is NULL (plain). Returns the new object, or
    NULL with err naming the setting whose endpoint could not be bound. */
sm_events_t *sm_events_new(void *ctx, const char *in_ep, const char *out_ep, int subscriber_hwm,
                           int64_t max_message_bytes, sm_auth_t *auth, sm_err_t *err);

/*  Close both sockets (linger 0) and free; sets *self_p to NULL; safe to
    call twice. */
void sm_events_destroy(sm_events_t **self_p);

/*  The sockets, for the caller's zmq_poll. The XPUB is NULL while a cut
    waits to bind it again (see sm_events_cut). */
void *sm_events_in(sm_events_t *self);
void *sm_events_out(sm_events_t *self);

/*  Forward up to max_messages published messages from the XSUB to the
    XPUB, without blocking. Returns the number of messages read. Can't
    fail (a message that can't be forwarded is counted as dropped). */
size_t sm_events_forward(sm_events_t *self, size_t max_messages);

/*  Pass up to max_messages subscription changes from the XPUB to the
    XSUB, without blocking. Returns the number read. Can't fail. */
size_t sm_events_subscribe(sm_events_t *self, size_t max_messages);

/*  Cut every subscriber off: close the XPUB and bind a new one on the same
    endpoint. When the endpoint is not free yet, the XPUB stays closed and
    sm_events_cut_retry() binds it later. Returns 0 when bound, -1 when
    not yet (logged). */
int sm_events_cut(sm_events_t *self);

/*  Bind the XPUB if a cut left it closed. Returns 0 when it is bound, -1
    when still not. Can't fail otherwise. */
int sm_events_cut_retry(sm_events_t *self);

/*  Copy the counters into out. Can't fail. */
void sm_events_stats(const sm_events_t *self, sm_events_stats_t *out);

#endif
