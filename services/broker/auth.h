/*  services/broker/auth.h - the broker's side of CurveZMQ: who may connect,
    and who is sending.

    With security on, the broker's three sockets are CurveZMQ servers with
    the broker's own key pair. czmq's zauth (a ZAP handler, RFC 27, in the
    same ZeroMQ context: czmq's zsys context) accepts at the handshake only
    peers whose public key is in the trusted directory (KEYS_DIR/public).
    A refused handshake is seen through a socket monitor and counted.

    Because zauth checks only at the handshake, the broker also keeps its
    own keyring (keys.h) and looks up the ZAP User-Id of every message it
    routes; sm_auth_refresh() reloads it when the directory changed (and
    then tells zauth to reload too, so both agree at once).

    In plain mode there is no sm_auth_t (NULL everywhere): no CurveZMQ, no
    keys, every peer is "local" with role admin.
*/
#ifndef SAMEN_BROKER_AUTH_H
#define SAMEN_BROKER_AUTH_H

#include "common/err.h"
#include "services/broker/keys.h"
#include <stdbool.h>
#include <stdint.h>
#include <zmq.h>

/*  The sockets a monitor can watch. */
typedef enum { SM_AUTH_ROUTER = 0, SM_AUTH_EVENTS_IN = 1, SM_AUTH_EVENTS_OUT = 2 } sm_auth_slot_t;
#define SM_AUTH_SLOTS 3

typedef struct _sm_auth_t sm_auth_t;

/*  Start authentication in ctx (czmq's zsys context): load the broker's
    secret certificate from key_file, start zauth on KEYS_DIR/public and
    load the keyring. Returns NULL with err (naming broker/key or
    security/keys_dir) when the certificate cannot be read or zauth cannot
    start. */
sm_auth_t *sm_auth_new(void *ctx, const char *keys_dir, const char *key_file, sm_err_t *err);

/*  Stop zauth and the monitors and free; sets *self_p to NULL; safe to
    call twice. Call before the sockets' context is terminated. */
void sm_auth_destroy(sm_auth_t **self_p);

/*  Make sock a CurveZMQ server with the broker's key (before binding),
    and watch it for refused handshakes in slot (replacing what the slot
    watched). Returns 0, or -1 with err. */
int sm_auth_server(sm_auth_t *self, void *sock, sm_auth_slot_t slot, sm_err_t *err);

/*  Stop watching slot (before its socket is closed). Can't fail. */
void sm_auth_unwatch(sm_auth_t *self, sm_auth_slot_t slot);

/*  The monitor socket of slot, for zmq_poll (NULL when not watched). */
void *sm_auth_monitor(sm_auth_t *self, sm_auth_slot_t slot);

/*  Read the monitor events waiting in slot and count refused handshakes.
    Returns the number of refusals read. Can't fail. */
size_t sm_auth_drain(sm_auth_t *self, sm_auth_slot_t slot);

/*  Reload the keyring (and zauth) when KEYS_DIR/public changed. *lost is
    set when a trusted key disappeared or lost roles. Returns 1 reloaded,
    0 unchanged, -1 out of memory. */
int sm_auth_refresh(sm_auth_t *self, bool *lost);

/*  The trusted key that sent msg (by its ZAP User-Id), or NULL when the
    sender's key is unknown or revoked. Can't fail. */
const sm_key_t *sm_auth_sender(sm_auth_t *self, zmq_msg_t *msg);

/*  The trusted key whose Z85 public key is public_key, or NULL. Can't fail. */
const sm_key_t *sm_auth_find(sm_auth_t *self, const char *public_key);

/*  Counters and facts for the status op. Can't fail. */
uint64_t sm_auth_handshakes_refused(const sm_auth_t *self);
size_t sm_auth_keys(const sm_auth_t *self);
const char *sm_auth_keys_dir(const sm_auth_t *self);

#endif
