/*  services/intake/mail_fetch.h - asking scheduling and reporting for a
    session, a theme or a report without making the loop wait.

    A mail that samen sends by itself needs a session's details or a
    report's text, which events do not carry (they carry no free text).
    The tick asks for them here: the first get sends the request on a
    socket of this module's own and answers "not yet"; a later tick finds
    the answer (kept for MAIL_FETCH_FRESH_MS). The loop never blocks on
    another service this way, which matters for reporting: it calls
    intake (pii.scan) while it publishes, and two services each waiting
    for the other would both time out.

    One request is in flight per service; an answer that does not come
    within MAIL_FETCH_TIMEOUT_MS counts as failed, and a failure is
    remembered for MAIL_FETCH_RETRY_MS before it is asked again.
    Everything here is memory only, derived from what the others answer.
*/
#ifndef SAMEN_INTAKE_MAIL_FETCH_H
#define SAMEN_INTAKE_MAIL_FETCH_H

#include "common/codec.h"
#include "common/err.h"
#include "mail.h"
#include <stdint.h>

#define MAIL_FETCH_FRESH_MS 30000
#define MAIL_FETCH_TIMEOUT_MS 5000
#define MAIL_FETCH_RETRY_MS 5000

/*  A fetcher for the broker at broker_ep, connecting with sec's keys
    (the service's own). Returns it, or NULL with err. */
mail_fetch_t *mail_fetch_new(void *zctx, const char *broker_ep, int64_t max_message,
                             const sm_security_t *sec, sm_err_t *err);

/*  Close the sockets and free. Safe on NULL and twice. */
void mail_fetch_destroy(mail_fetch_t **self_p);

/*  Take the answers that arrived, give up on those too late, send what
    waits. Call once per tick, before gets. Can't fail. */
void mail_fetch_poll(mail_fetch_t *self);

/*  A mail_get_fn (mail.h) with arg the fetcher: the data of op on service
    with {argname: id} (and version when not 0). 1 with *data (valid until the next poll), 0 asked
    and not answered yet, -1 failed (err). */
int mail_fetch_get(void *self, const char *service, const char *op, const char *argname,
                   const char *id, int version, const msgpack_object **data, sm_err_t *err);

#endif
