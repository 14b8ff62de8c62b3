/*  common/security.h - CurveZMQ keys and the security settings of a process.

    With security on (the default), every socket a samen process opens to
    the broker is a CurveZMQ client: it holds its own key pair (a czmq
    `zcert` secret certificate, readable only by its owner) and knows the
    broker's public key. The broker authenticates the key (ZAP, czmq's
    zauth) and looks its name and roles up in the trusted certificates.
    docs/security.md explains the model; proto/PROTOCOL.md §8 the wire.

    Settings (section "security" of samen.cfg, shared by every process):

        mode         "curve" (default) or "plain" (no CurveZMQ: loopback and
                     ipc:// only, for tests and one-machine experiments)
        keys_dir     the key directory (default "var/keys"):
                       public/NAME.cert          trusted public certificates
                       secret/NAME.cert_secret   secret certificates (0600)
                       revoked/NAME.<time>.cert  revoked public certificates
                       broker.cert, broker.cert_secret   the broker's own pair
                       audit.log                 every key change (append-only)
        broker_cert  the broker's public certificate (default
                     KEYS_DIR/broker.cert); copy it to other hosts

    and per process the setting "<section>/key": the process's own secret
    certificate (default KEYS_DIR/secret/<name>.cert_secret, where name is
    the service's name, or "admin" for samenctl).

    A certificate's metadata names the key ("name") and its roles ("roles",
    a comma-separated list of common/roles.h words).
*/
#ifndef SAMEN_SECURITY_H
#define SAMEN_SECURITY_H

#include "common/config.h"
#include "common/err.h"
#include "common/roles.h"
#include <stdbool.h>
#include <stddef.h>

/*  A key name: 1..32 of a-z 0-9 . _ - , starting with a letter or digit. */
#define SM_KEY_NAME_MAX 32
/*  A CurveZMQ key as Z85 text: 40 characters and a NUL. */
#define SM_KEY_TEXT 41
/*  The metadata czmq's zauth can pass on for one certificate is a fixed
    512-byte buffer it does not bound-check; we keep well under it. */
#define SM_CERT_META_MAX 400

typedef enum { SM_SECURITY_CURVE = 0, SM_SECURITY_PLAIN = 1 } sm_security_mode_t;

typedef struct {
    sm_security_mode_t mode;
    char keys_dir[256];
    char key_file[320];              /*  own secret certificate ("" in plain mode) */
    char name[SM_KEY_NAME_MAX + 1];  /*  own key's name */
    sm_roles_t roles;                /*  own key's roles, as its certificate says */
    char public_key[SM_KEY_TEXT];    /*  own key pair, Z85 */
    char secret_key[SM_KEY_TEXT];
    char server_key[SM_KEY_TEXT];    /*  the broker's public key, Z85 */
} sm_security_t;

/*  Read security/mode and security/keys_dir into out (the rest cleared).
    Returns 0, or -1 with err naming the setting. */
int sm_security_settings(sm_config_t *cfg, sm_security_t *out, sm_err_t *err);

/*  Everything a client process needs: the settings, then (in curve mode)
    its own secret certificate and the broker's public one. The own
    certificate is key_path when not NULL, else the setting key_setting
    ("intake/key"), else KEYS_DIR/secret/<default_name>.cert_secret.
    Returns 0, or -1 with err (invalid_argument, naming the setting) when a
    file is missing, unreadable, not a certificate, or the secret one is
    readable by group or others. */
int sm_security_client(sm_config_t *cfg, const char *key_setting, const char *key_path,
                       const char *default_name, sm_security_t *out, sm_err_t *err);

/*  Curve mode with the keys of two files: key_file (this process's secret
    certificate) and server_cert (the broker's public one); settings name
    the two settings for errors. For tools given files on their command
    line; sm_security_client uses it too. Returns 0, or -1 with err. */
int sm_security_files(const char *key_file, const char *server_cert, const char *key_setting,
                      const char *server_setting, sm_security_t *out, sm_err_t *err);

/*  Make sock a CurveZMQ client of the broker with sec's keys; nothing in
    plain mode or when sec is NULL. Call before zmq_connect. Returns 0, or
    -1 when libzmq refuses an option (built without CURVE). */
int sm_security_apply(const sm_security_t *sec, void *sock);

/*  Read a certificate file. With secret set, path must be a secret
    certificate readable only by its owner, and secret_key is filled. name
    (SM_KEY_NAME_MAX + 1 bytes), roles, public_key and secret_key
    (SM_KEY_TEXT bytes) may each be NULL. A certificate without valid name
    and roles metadata is refused unless allow_bare is set (the broker's
    own certificate carries none). Returns 0, or -1 with err naming
    setting (may be NULL). */
int sm_cert_read(const char *path, bool secret, bool allow_bare, const char *setting, char *name,
                 sm_roles_t *roles, char *public_key, char *secret_key, sm_err_t *err);

/*  True when name is a valid key name (see SM_KEY_NAME_MAX). Can't fail. */
bool sm_key_name_valid(const char *name);

/*  True when endpoint stays on this machine: ipc://, inproc://, or tcp://
    to localhost or a loopback address (sm_address_loopback: 127.x.x.x,
    [::1]). Can't fail. */
bool sm_endpoint_local(const char *endpoint);

/*  Write "DIR/SUB/NAME" (SUB or NAME may be NULL) into buf. Returns 0, or
    -1 with err when it does not fit. */
int sm_keys_path(const char *dir, const char *sub, const char *name, char *buf, size_t size,
                 sm_err_t *err);

#endif
