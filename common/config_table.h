/*  common/config_table.h - every setting samen.cfg may hold, declared once.

    One row per setting: its section, key, type, range, default and one line
    of help. The daemons and samenctl check a configuration against this
    table before they use it (sm_config_table_check): an unknown section or
    key is refused, naming the nearest known one, and every value present
    is checked against its type and range, so that a file with a typo or a
    port of 99999 stops a daemon at start (exit 2) instead of being ignored
    or wrapped around. deploy/samen.cfg shows every row with its default;
    tests/unit/test_config.c holds it to that.

    Adding a setting is one row in common/config_table.c (and its line in
    deploy/samen.cfg and the README). A row whose section is
    SM_CFG_EVERY_SERVICE exists in each service's section (intake,
    scheduling, reporting, finance).
*/
#ifndef SAMEN_CONFIG_TABLE_H
#define SAMEN_CONFIG_TABLE_H

#include "config.h"
#include "err.h"
#include <stdint.h>

#define SM_CFG_EVERY_SERVICE "*"

typedef enum {
    SM_CFG_INT,      /*  a whole number in [min, max] */
    SM_CFG_TEXT,     /*  any text; its owner checks it further when it reads it */
    SM_CFG_ENDPOINT, /*  tcp://HOST:PORT (port 1-65535), ipc://PATH or inproc://NAME */
    SM_CFG_ENDPOINTS, /*  one endpoint, or up to SM_MAX_BROKERS separated by commas
                          (a broker pair; common/endpoints.h) */
    SM_CFG_LEVEL,    /*  debug, info, warn or error */
    SM_CFG_PATH,     /*  a file or directory path, not empty */
    SM_CFG_BOOL,     /*  true or false */
    SM_CFG_ADDRESS   /*  an IPv4 or IPv6 address, numeric, without a port ("127.0.0.1",
                         "0.0.0.0", "::1", "::"): what a listening socket binds */
} sm_cfg_type_t;

typedef struct {
    const char *section; /*  "broker", a service's name, or SM_CFG_EVERY_SERVICE */
    const char *key;     /*  may hold '/' for a nested key ("keys/dir") */
    sm_cfg_type_t type;
    int64_t min, max;    /*  SM_CFG_INT only */
    const char *dflt;    /*  the default as written in samen.cfg ("" when none) */
    const char *help;    /*  one line */
} sm_cfg_row_t;

/*  The table, terminated by a row with section NULL. */
extern const sm_cfg_row_t sm_cfg_table[];

/*  The services' section names, NULL-terminated: where a row of section
    SM_CFG_EVERY_SERVICE may appear. */
extern const char *const sm_cfg_services[];

/*  The row for path ("intake/workers", "broker/endpoint"), or NULL. */
const sm_cfg_row_t *sm_cfg_row(const char *path);

/*  Check every section, key and value in cfg against the table. Returns 0,
    or -1 with err (invalid_argument, field = the setting's path): for an
    unknown one the message names it and the nearest known one. */
int sm_config_table_check(sm_config_t *cfg, sm_err_t *err);

/*  Read a declared setting: its value in cfg, or the table's default.
    path must be in the table (a programming error panics). The int and
    endpoint forms check the value as sm_config_table_check does; for a
    row of type SM_CFG_ENDPOINTS sm_cfg_endpoint returns the list as
    written (split it with sm_endpoints_parse). */
int sm_cfg_int(sm_config_t *cfg, const char *path, int64_t *out, sm_err_t *err);
const char *sm_cfg_str(sm_config_t *cfg, const char *path);
const char *sm_cfg_endpoint(sm_config_t *cfg, const char *path, sm_err_t *err);
/*  The log level at path as an sm_log_level_t value. Returns it, or -1
    with err. */
int sm_cfg_level(sm_config_t *cfg, const char *path, sm_err_t *err);
/*  The address at path (a row of type SM_CFG_ADDRESS), checked as
    sm_config_table_check does. Returns it (cfg's or the table's, not the
    caller's to free), or NULL with err (invalid_argument, field = path). */
const char *sm_cfg_address(sm_config_t *cfg, const char *path, sm_err_t *err);

#endif
