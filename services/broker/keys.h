/*  services/broker/keys.h - the keys the broker trusts, by public key.

    czmq's zauth checks a peer's key once, at the CurveZMQ handshake. A
    revocation must also reach peers that are already connected, so the
    broker keeps its own table of the trusted certificates (the same
    directory zauth reads: public/ of the key directory, subdirectories
    included, every regular file whose name does not end in "_secret"), and
    looks the sender of every request, reply and published event up in it
    by the ZAP User-Id (the peer's public key as Z85 text).

    sm_keyring_refresh() walks the directory and reloads only when a file
    was added, removed or changed (name, size, inode or modification time
    to the nanosecond), so it is cheap to call every second. A certificate
    that is not valid (no name or roles, too much metadata, not a public
    certificate) is skipped and logged, never trusted.

    Each key carries its caller frame ready to send: the MessagePack map
    {"key": NAME, "roles": [ROLE, ...]} the broker appends to a request
    when it hands it to a worker (PROTOCOL.md §8).
*/
#ifndef SAMEN_BROKER_KEYS_H
#define SAMEN_BROKER_KEYS_H

#include "common/codec.h"
#include "common/roles.h"
#include "common/security.h"
#include <stdbool.h>
#include <stddef.h>

/*  Longest caller frame: a 32-byte name and every role word. */
#define SM_CALLER_MAX 320

typedef struct {
    char public_key[SM_KEY_TEXT];
    char name[SM_KEY_NAME_MAX + 1];
    sm_roles_t roles;
    size_t caller_len;
    unsigned char caller[SM_CALLER_MAX];
} sm_key_t;

typedef struct _sm_keyring_t sm_keyring_t;

/*  An empty keyring for the certificates in dir (copied); nothing is read
    until the first refresh. Returns NULL when out of memory. */
sm_keyring_t *sm_keyring_new(const char *dir);

/*  Free; sets *self_p to NULL; safe to call twice. */
void sm_keyring_destroy(sm_keyring_t **self_p);

/*  Look at the directory and reload the table when it changed. *lost (may
    be NULL) is set when a key of the old table is gone or holds fewer
    roles now. Returns 1 when the table was reloaded, 0 when nothing
    changed, -1 when out of memory (the old table is kept). An absent or
    unreadable directory is an empty table: nobody is trusted. Pointers
    from sm_keyring_find are invalid after a reload. */
int sm_keyring_refresh(sm_keyring_t *self, bool *lost);

/*  The trusted key whose Z85 public key is public_key (40 characters,
    NUL-terminated), or NULL. Can't fail. */
const sm_key_t *sm_keyring_find(const sm_keyring_t *self, const char *public_key);

/*  Number of trusted keys, and of certificates skipped as invalid, at the
    last reload. Can't fail. */
size_t sm_keyring_count(const sm_keyring_t *self);
size_t sm_keyring_skipped(const sm_keyring_t *self);

/*  Fill key's caller frame for name and roles. Can't fail (a name or role
    list too long for the frame is cut, which valid certificates never
    are). */
void sm_key_set_caller(sm_key_t *key, const char *name, sm_roles_t roles);

#endif
