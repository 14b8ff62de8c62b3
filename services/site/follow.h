/*  services/site/follow.h - following scheduling's and reporting's events, as any subscriber would.

    Exactly what proto/PROTOCOL.md §3 asks of a third party: a SUB socket on
    the broker's XPUB endpoint subscribed to "scheduling." and "reporting."
    before the first backfill; a cursor per service (the last seq seen); at
    start, on a gap and every backfill_interval_ms the service's log is read
    with events.read after the cursor until its last_seq; live events at or
    before the cursor are duplicates and skipped. A service whose store was
    replaced (another instance, or a last_seq behind the cursor: a restore
    from an older backup) is read again from its first event.

    The site does not keep the events: an event only tells it that the
    public view may have changed. site_event_relevant() says which ones do;
    the build then fetches the public view itself (services/site/fetch.h).
*/
#ifndef SAMEN_SITE_FOLLOW_H
#define SAMEN_SITE_FOLLOW_H

#include "common/client.h"
#include "common/err.h"
#include "common/security.h"
#include "services/site/state.h"
#include <stdbool.h>

typedef struct _site_follow_t site_follow_t;

/*  True when an event of this type may change what the site shows: every
    event of the followed services, also one of a type not known here,
    except a report drafted (a draft is never public), a report sent to
    its participants, an item's owners changed (owners are never shown),
    a decision added and a yardstick recorded (neither is on the site).
    Can't fail. */
bool site_event_relevant(const char *type);

/*  A follower through client (requests; not owned) and a SUB socket of
    its own on events_out in zctx (a CurveZMQ client with sec's keys,
    none when sec is NULL or plain), starting after cursors. timeout_ms is
    one request's wait. Returns NULL with err on a bad endpoint. */
site_follow_t *site_follow_new(void *zctx, sm_client_t *client, const sm_security_t *sec,
                               const char *events_out,
                               const site_cursor_t cursors[SITE_FOLLOWED], int timeout_ms,
                               sm_err_t *err);

/*  Destroy; sets *self_p to NULL; safe to call twice. */
void site_follow_destroy(site_follow_t **self_p);

/*  The SUB socket, to poll for ZMQ_POLLIN. */
void *site_follow_socket(site_follow_t *self);

/*  Read every followed service's log after its cursor. Returns the number
    of relevant events read (a service read again from the start counts
    as one at least), or -1 with err when a service did not answer (the
    cursors then stay where they got to). */
int site_follow_backfill(site_follow_t *self, sm_err_t *err);

/*  Take the live events waiting on the socket (at most 1000 per call).
    Returns the number of relevant events applied; a gap makes
    site_follow_gap() true until the next backfill. Can't fail. */
int site_follow_live(site_follow_t *self);

/*  True when a live event showed a gap since the last backfill. */
bool site_follow_gap(const site_follow_t *self);

/*  The cursors as far as events have been read. */
void site_follow_cursors(const site_follow_t *self, site_cursor_t out[SITE_FOLLOWED]);

#endif
