/*  common/config.h - the samen.cfg file (ZPL, through CZMQ's zconfig).

    One file, a section per daemon:

        broker
            endpoint = "tcp://127.0.0.1:5555"
        intake
            data_dir = "var/intake"

    Every setting has a default, so a missing file (path NULL) is fine.
    Values are validated when read; a bad value is an error that names the
    setting's path and says what would be accepted.
*/
#ifndef SAMEN_CONFIG_H
#define SAMEN_CONFIG_H

#include "err.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct _sm_config_t sm_config_t;

/*  Load the file at path, or an empty configuration when path is NULL.
    Returns NULL and fills err when the file is missing or not valid ZPL. */
sm_config_t *sm_config_load(const char *path, sm_err_t *err);

/*  Destroy; sets *self_p to NULL; safe to call twice. */
void sm_config_destroy(sm_config_t **self_p);

/*  Set (or override) a value, e.g. from a command-line flag. Returns 0 or -1. */
int sm_config_set(sm_config_t *self, const char *path, const char *value);

/*  Copy every value set in from into self (from's values win). Returns 0. */
int sm_config_merge(sm_config_t *self, sm_config_t *from);

/*  The string at path ("intake/data_dir"), or dflt. Never NULL unless dflt is. */
const char *sm_config_str(sm_config_t *self, const char *path, const char *dflt);

/*  The integer at path, or dflt; checked to lie in [min, max].
    Returns 0, or -1 with err naming path. */
int sm_config_int(sm_config_t *self, const char *path, int64_t dflt, int64_t min, int64_t max,
                  int64_t *out, sm_err_t *err);

/*  A ZeroMQ endpoint at path, or dflt; checked to be tcp://HOST:PORT with a
    port from 1 to 65535, ipc://PATH or inproc://NAME.
    Returns the endpoint (not the caller's to free), or NULL with err set. */
const char *sm_config_endpoint(sm_config_t *self, const char *path, const char *dflt,
                               sm_err_t *err);

/*  Check endpoint text v as sm_config_endpoint does; path names it in the
    message. Returns 0, or -1 with err. */
int sm_config_endpoint_check(const char *path, const char *v, sm_err_t *err);

/*  Call fn for every node under the root, depth first, with its path
    ("broker", "broker/endpoint"), its value ("" when none) and whether it
    has children. Stops at the first non-zero return of fn and returns it;
    0 when every node was visited. */
typedef int(sm_config_visit_fn)(const char *path, const char *value, bool parent, void *arg);
int sm_config_each(sm_config_t *self, sm_config_visit_fn *fn, void *arg);

#endif
