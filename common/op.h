/*  common/op.h - ops that describe themselves.

    Every op of every service is declared once, as data, in
    proto/ops_<service>.c: its name, whether it reads or writes, which
    roles may call it and which of those see personal fields, its
    arguments (name, type, limits, one line of help) and the samenctl verb
    that calls it. Everything else reads that one declaration:

      - the service loop refuses a caller whose roles the op does not allow
        (`permission_denied`, naming the op and the roles it needs) and
        checks every argument before the handler runs (`invalid_argument`,
        naming the field and what is accepted);
      - the handler reads already-checked values (sm_arg_* in service.h);
      - `service.info` returns the declarations;
      - `make docs` writes proto/ops-<service>.md and the role matrix in
        proto/PROTOCOL.md (tools/opsdoc.c);
      - samenctl builds its plain verbs from them: flags, help, parsing.

    Adding an argument to an op is one line here and the line in the
    handler that reads it.

    Checking is strict and the same for every op: an argument that is not
    declared is refused; text must be UTF-8 without control characters
    (one-line text is trimmed; long text keeps newlines and tabs, and CRLF
    becomes LF); numbers must be integers in range (money is whole euro
    cents); dates are calendar dates; IDs have the declared letter.
*/
#ifndef SAMEN_OP_H
#define SAMEN_OP_H

#include "common/codec.h"
#include "common/date.h"
#include "common/err.h"
#include "common/roles.h"
#include <stdbool.h>
#include <stdint.h>

/*  N_() marks a string for translation without translating it here
    (common/i18n.h); the reader translates it where it is shown. */
#include "common/i18n.h"

typedef enum {
    SM_T_STR = 1, /*  one line of text: trimmed, no control characters; min..max characters */
    SM_T_TEXT,    /*  long text: newlines and tabs allowed; min..max characters */
    SM_T_INT,     /*  a whole number in min..max */
    SM_T_MONEY,   /*  euro cents, a whole number in min..max (default 0..SM_MONEY_MAX) */
    SM_T_BOOL,    /*  true or false */
    SM_T_DATE,    /*  a calendar date; "YYYY-MM-DD" on the wire */
    SM_T_ID,      /*  an ID with the declared letter, "P12" */
    SM_T_ENUM,    /*  one of the declared values */
    SM_T_LIST,    /*  an array of `item`s (SM_T_STR, SM_T_ID, SM_T_ENUM or SM_T_INT), min..max
                      of them */
    SM_T_MAP,     /*  a map; its contents are the handler's to check */
} sm_type_t;

/*  Argument flags. */
#define SM_A_REQUIRED 0x01 /*  must be present (and not nil) */
#define SM_A_POS 0x02      /*  samenctl takes it as a positional argument, in declaration order */
#define SM_A_PERSONAL 0x04 /*  holds personal data: never logged, never audited */
#define SM_A_EMPTY_OK 0x08 /*  a required text that may be empty ("") */

/*  Defaults when a limit is left 0. */
#define SM_ARG_STR_MAX 200
#define SM_ARG_TEXT_MAX 20000
#define SM_ARG_LIST_MAX 100

typedef struct {
    const char *name;          /*  the key in "args"; samenctl's flag is --name with '-' for '_' */
    sm_type_t type;
    unsigned flags;            /*  SM_A_* */
    int64_t min, max;          /*  STR/TEXT: characters; INT/MONEY: value; LIST: items (0 = default) */
    char letter;               /*  SM_T_ID, or a list of IDs */
    const char *const *values; /*  SM_T_ENUM, or a list of enum values: NULL-terminated */
    sm_type_t item;            /*  SM_T_LIST: the items' type (0 = SM_T_STR) */
    int64_t item_max;          /*  SM_T_LIST of SM_T_STR: characters per item (0 = default);
                                   of SM_T_INT: the largest value */
    int64_t item_min;          /*  SM_T_LIST of SM_T_INT: the smallest value */
    /*  SM_T_ENUM (optional): the canonical value for what a person typed
        (another case, a Dutch word, a code), or NULL when it is not one.
        Without it, a value must equal one of `values`, ignoring case. */
    const char *(*canon)(const char *text);
    const char *help;          /*  one line, N_() */
    /*  samenctl's flag when it is not --name with '-' for '_' (e.g. "date"
        for "evaluated", "amount" for "amount_cents"); NULL for the default. */
    const char *flag;
} sm_arg_t;

/*  Op flags: SM_OP_READ or SM_OP_WRITE, and optionally SM_OP_PERSONAL. */
#define SM_OP_READ 0
#define SM_OP_WRITE 1
/*  The reply may hold personal fields (shown only to the `personal`
    roles; others get the record without them). Such reads are audited. */
#define SM_OP_PERSONAL 2
/*  Always put on record, even as a read (a backup copies everything). */
#define SM_OP_AUDIT 4

typedef struct {
    const char *name;     /*  "participant.register" */
    int flags;            /*  SM_OP_* */
    sm_roles_t roles;     /*  who may call it */
    sm_roles_t personal;  /*  of those, who sees personal fields (SM_OP_PERSONAL ops) */
    const char *summary;  /*  one line, N_() */
    const sm_arg_t *args; /*  terminated by an entry with name NULL; NULL: takes none */
    const char *cli;      /*  samenctl's plain verb, "participant show"; NULL: none */
} sm_opdecl_t;

/*  A service's declarations: its name and ops, terminated by name NULL. */
typedef struct {
    const char *service;
    const sm_opdecl_t *ops;
} sm_decls_t;

/*  The ops every service answers (service.info, events.read, store.backup,
    audit.list), declared in proto/ops_builtin.c. */
extern const sm_opdecl_t sm_builtin_decls[];

/*  The op called name in ops (an array terminated by name NULL), or NULL. */
const sm_opdecl_t *sm_decl_find(const sm_opdecl_t *ops, const char *name);

/*  True when a caller with roles may call op. */
bool sm_decl_allows(const sm_opdecl_t *op, sm_roles_t roles);

/* ---- checked arguments -------------------------------------------------- */

typedef struct _sm_args_t sm_args_t;

/*  Check args (the request's "args" map; NULL counts as empty) against
    op's declaration. Returns the checked values (caller destroys), or NULL
    with err: invalid_argument naming the field and what is accepted. */
sm_args_t *sm_args_check(const sm_opdecl_t *op, const msgpack_object *args, sm_err_t *err);

/*  Destroy; sets *self_p to NULL; safe to call twice. */
void sm_args_destroy(sm_args_t **self_p);

/*  Readers of checked values. Asking for an argument the op does not
    declare, or with a reader that does not fit its type, is a programming
    error and panics. */
bool sm_args_has(const sm_args_t *self, const char *name);
/*  STR, TEXT, ENUM (the canonical value), DATE ("YYYY-MM-DD"), ID ("P12"):
    NUL-terminated text, or NULL when absent. */
const char *sm_args_str(const sm_args_t *self, const char *name);
/*  INT, MONEY; dflt when absent. */
int64_t sm_args_int(const sm_args_t *self, const char *name, int64_t dflt);
bool sm_args_bool(const sm_args_t *self, const char *name, bool dflt);
/*  ID: the number, 0 when absent. */
uint64_t sm_args_id(const sm_args_t *self, const char *name);
/*  DATE: true with *out set, false when absent. */
bool sm_args_date(const sm_args_t *self, const char *name, sm_date_t *out);
/*  LIST: the number of items and *items (as text; IDs canonical). */
size_t sm_args_list(const sm_args_t *self, const char *name, const char *const **items);
/*  LIST of IDs: the numbers. */
size_t sm_args_ids(const sm_args_t *self, const char *name, const uint64_t **ids);
/*  LIST of SM_T_INT: the numbers, in the order sent. */
size_t sm_args_ints(const sm_args_t *self, const char *name, const int64_t **ints);
/*  MAP (or any type): the value as sent, or NULL when absent. */
const msgpack_object *sm_args_obj(const sm_args_t *self, const char *name);
/*  Visit the present ID arguments (also lists of IDs) as canonical text,
    for the audit log. */
void sm_args_each_id(const sm_args_t *self, void (*fn)(const char *id, void *arg), void *arg);

/* ---- describing ------------------------------------------------------------ */

/*  The wire name of a type ("string", "text", "integer", "money", "bool",
    "date", "id", "enum", "list", "map"). */
const char *sm_type_name(sm_type_t type);

/*  Pack one op's declaration as a map (service.info):
    {name, kind: "read"|"write", personal, roles: [...], personal_roles,
     summary, cli, args: [{name, type, required, positional, personal,
     min, max, letter, values, item, item_max, item_min, help}]}. Can't fail. */
void sm_decl_pack(msgpack_packer *pk, const sm_opdecl_t *op);

/*  samenctl's flag for arg, without the dashes, into buf: its .flag, else
    its name with '-' for '_', money named x_cents as x ("amount_cents" ->
    "amount", "as_of" -> "as-of"). Returns buf. Can't fail (cut at size). */
char *sm_arg_flag(const sm_arg_t *arg, char *buf, size_t size);

/*  Describe what arg accepts, as one sentence fragment ("an ID like P12",
    "1 to 120 characters", "a date like 2020-03-12"), into buf. Returns buf. */
char *sm_arg_accepts(const sm_arg_t *arg, char *buf, size_t size);

#endif
