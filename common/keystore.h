/*  common/keystore.h - the key directory on the broker's host: make, list,
    show and revoke keys, and the audit log of every key change.

    Key changes are local file operations, like ssh-keygen: whoever can
    write the key directory manages the keys (samenctl key ...). The broker
    only reads the directory; it notices a change within about a second and
    trusts exactly the certificates in public/ (security.h has the layout).

    - new:    a fresh CurveZMQ pair with metadata name, roles and created;
              public/NAME.cert (0644) and secret/NAME.cert_secret (0600),
              each written to a temporary file and renamed into place, so
              the broker never reads half a certificate. Or, given the
              public key of a pair its owner made (so that the secret never
              travels), only public/NAME.cert.
    - revoke: public/NAME.cert moves to revoked/NAME.<UTC stamp>.cert (out
              of public/, which czmq's loader reads recursively); the secret
              file is deleted when it is here.
    - init:   the local set for one host, each part only when missing: the
              broker's pair (broker.cert, broker.cert_secret), a key per
              service with role service:NAME, and "admin" with role admin.

    The audit log (audit.log, 0600) gets one line per change, never a key:
        ts=2026-11-23T10:01:02Z who=admin who_roles=admin user=root op=key.new key=alice roles=coordinator outcome=ok
    who is the key samenctl runs with and who_roles its roles ("-" when it
    has none), user the Unix user, roles those of the key changed. Every
    value is from a restricted character set, so a line can't be forged by
    a value. The broker serves it as op audit.list, in the shape of the
    services' audit entries.
*/
#ifndef SAMEN_KEYSTORE_H
#define SAMEN_KEYSTORE_H

#include "common/roles.h"
#include "common/security.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*  What samenctl key list/show prints about one key. */
typedef struct {
    char name[SM_KEY_NAME_MAX + 1];
    sm_roles_t roles;
    char public_key[SM_KEY_TEXT];
    char created[24];    /*  "2026-11-23T10:01:02Z", or "" when unknown */
    bool revoked;
    char revoked_at[24]; /*  when revoked, else "" */
    bool has_secret;     /*  secret/NAME.cert_secret is in this directory */
    char path[320];      /*  the public certificate's file */
} sm_keyinfo_t;

/*  One line of the audit log; n is its number (1 for the first line
    read), filled by sm_audit_read. */
typedef struct {
    uint64_t n;
    char ts[24];
    char who[SM_KEY_NAME_MAX + 1];
    char who_roles[160];
    char user[SM_KEY_NAME_MAX + 1];
    char op[24];
    char key[SM_KEY_NAME_MAX + 1];
    char roles[160];
    char outcome[24];
} sm_audit_entry_t;

/*  Called for each audit entry in file order; return 0 to go on, 1 to stop. */
typedef int(sm_audit_fn)(const sm_audit_entry_t *entry, void *arg);

/*  In what follows, who is the key that makes the change (samenctl's own,
    from its security settings: name and roles), or NULL when it has none.

    Make key name with roles in dir (created when missing), recording who:
    a new pair, or only the public certificate of public_key (Z85 text; NULL
    for a new pair). Fills out (may be NULL). Returns 0, or -1 with err:
    invalid_argument (field "name", "role" or "public_key"), already_exists
    (a trusted key of that name or that public key), internal (a file could
    not be written; nothing is left half-made). */
int sm_keystore_new(const char *dir, const char *name, sm_roles_t roles, const char *public_key,
                    const sm_security_t *who, sm_keyinfo_t *out, sm_err_t *err);

/*  Revoke key name, recording who. Fills out (may be NULL). Returns 0, or
    -1 with err: not_found (no trusted key of that name), internal. */
int sm_keystore_revoke(const char *dir, const char *name, const sm_security_t *who,
                       sm_keyinfo_t *out, sm_err_t *err);

/*  The trusted key name, else its latest revoked one. Returns 0, or -1
    with err not_found. */
int sm_keystore_show(const char *dir, const char *name, sm_keyinfo_t *out, sm_err_t *err);

/*  Every key: the trusted ones by name, then the revoked ones by name and
    time. *out is the caller's to free. Returns 0 (an absent directory has
    no keys), or -1 with err when out of memory. */
int sm_keystore_list(const char *dir, sm_keyinfo_t **out, size_t *count, sm_err_t *err);

/*  Create what is missing of the local key set (see above) for the
    NULL-terminated services. *created (may be NULL) counts the files
    made. Returns 0, or -1 with err. */
int sm_keystore_init(const char *dir, const char *const *services, const sm_security_t *who,
                     int *created, sm_err_t *err);

/*  Append one line to dir/audit.log. who may be NULL ("-"); roles (of the
    key changed) may be NULL. Returns 0, or -1 with err (internal) when it
    cannot be written. */
int sm_audit_append(const char *dir, const sm_security_t *who, const char *op, const char *key,
                    const char *roles, const char *outcome, sm_err_t *err);

/*  Read dir/audit.log (at most its last 16 MiB) and call fn for each well-
    formed line; other lines are skipped. Returns the number of entries
    passed to fn (0 when there is no log), or -1 with err. */
int sm_audit_read(const char *dir, sm_audit_fn *fn, void *arg, sm_err_t *err);

#endif
