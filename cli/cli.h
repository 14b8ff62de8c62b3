/*  cli/cli.h - what every samenctl command shares.

    A command is a noun with verbs: `samenctl <noun> <verb> [args] [--flags]`.
    Each noun lives in its own file (cli/status.c, cli/participant.c, ...)
    and exports a cli_noun_t; cli/main.c lists them.

    Exit codes (DESIGN.md §7): 0 ok; 1 the service refused (its message is
    printed); 2 usage error; 3 unreachable or timed out.
*/
#ifndef SAMEN_CLI_H
#define SAMEN_CLI_H

#include "../common/client.h"
#include "../common/codec.h"
#include <stdbool.h>
#include <stdio.h>

#define CLI_OK 0
#define CLI_REFUSED 1
#define CLI_USAGE 2
#define CLI_UNREACHABLE 3

#define CLI_MAX_POS 16
#define CLI_MAX_FLAGS 48

typedef struct {
    /*  global settings */
    const char *broker;
    const char *events; /*  the broker's XPUB endpoint, for events tail */
    int timeout_ms;
    bool json;
    const char *format;  /*  NULL, "text", "csv", "md", "html", "ics" */
    bool nl;             /*  the language is Dutch (common/i18n.h): money as "€ 22.500,00" */
    void *zctx;
    sm_client_t *client;  /*  NULL for the key noun, which works on files */
    sm_security_t sec;    /*  samenctl's own key and the broker's (security.h) */
    int writes; /*  writes sent so far: numbers the request ids under SAMEN_RID */
    /*  this command's arguments */
    int npos;
    const char *pos[CLI_MAX_POS];
    int nflags;
    const char *flag_name[CLI_MAX_FLAGS];
    const char *flag_value[CLI_MAX_FLAGS]; /*  NULL for a switch without value */
    const char *noun, *verb;
} cli_t;

/*  One option a verb accepts: name without dashes, and whether it takes a
    value. repeat: may be given more than once. */
typedef struct {
    const char *name;
    bool value;
    bool repeat;
} cli_opt_t;

typedef int(cli_fn)(cli_t *cli);

typedef struct {
    const char *verb;       /*  NULL for a noun without verbs (like `status`) */
    cli_fn *fn;
    const cli_opt_t *opts;  /*  terminated by name NULL; may be NULL */
    int min_pos, max_pos;   /*  positional arguments after the verb */
    const char *usage;      /*  "participant show ID" */
    const char *summary;    /*  one line */
    const char *example;    /*  one or more example lines */
} cli_verb_t;

typedef struct {
    const char *noun;
    const char *summary;
    const cli_verb_t *verbs; /*  terminated by fn NULL */
} cli_noun_t;

/* ---- arguments ------------------------------------------------------- */

/*  The value of --name, or NULL. For a switch: "" when given. */
const char *cli_flag(cli_t *cli, const char *name);
bool cli_has(cli_t *cli, const char *name);
/*  All values of a repeatable flag; returns the count. */
int cli_flag_all(cli_t *cli, const char *name, const char **out, int max);

/*  Print a usage error naming what is wrong and the verb's usage; returns CLI_USAGE. */
int cli_usage_error(cli_t *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- requests -------------------------------------------------------- */

/*  The request id for this command's next write: a fresh random one, or,
    when $SAMEN_RID is set (1..20 characters), "<SAMEN_RID>.<n>" for the n-th
    write of this run, so a script that runs the same command again after
    an unreachable exit (3) has it applied once. buf holds 32 bytes.
    Returns 0, or CLI_USAGE after printing why SAMEN_RID is unusable. */
int cli_rid(cli_t *cli, char *buf);

/*  Send op to service with args (an encoded map, or NULL). Writes carry a
    request id (cli_rid) and are retried on timeout with it. On success returns 0 and
    *reply (caller destroys) with *data pointing at the reply's data. On
    refusal prints "samenctl: <message> (field: x)" to stderr and returns
    CLI_REFUSED; unreachable: prints and returns CLI_UNREACHABLE. */
int cli_request(cli_t *cli, const char *service, const char *op, const sm_buf_t *args,
                bool write, sm_doc_t **reply, const msgpack_object **data);

/*  Convenience: request, then print data as JSON (with --json) or hand it
    to print (else). Returns the exit code. */
int cli_run(cli_t *cli, const char *service, const char *op, const sm_buf_t *args, bool write,
            void (*print)(cli_t *cli, const msgpack_object *data));

/*  Pack the given flags into a map: each spec is "flag:key:type" where type
    is s (text), i (whole number), m (money, parsed to cents), b (switch ->
    true), l (repeatable -> list of text), c (comma-separated -> list of
    text). Flags not given are left out. Returns 0, or CLI_USAGE after
    printing the problem. `extra` pairs are added first (key, text value),
    NULL-terminated. */
int cli_pack_flags(cli_t *cli, sm_buf_t *out, const char *const *specs, const char *const *extra);

/* ---- output ---------------------------------------------------------- */

/*  Print a MessagePack value as pretty JSON followed by a newline. */
void cli_print_json(const msgpack_object *o);

/*  Text of a scalar for tables: strings as is, numbers, true/false, "" for
    nil; lists joined with ", ". buf must hold size bytes. */
const char *cli_text(const msgpack_object *o, char *buf, size_t size);

/*  Money from cents as "EUR 1,500.00" (or nl). */
const char *cli_money(cli_t *cli, const msgpack_object *o, char *buf, size_t size);

/*  A table: columns (header, key in each row map, kind 't' text or 'm' money),
    rows = an array of maps. Rendered as aligned text, or CSV/Markdown with
    --format csv|md. */
typedef struct {
    const char *header;
    const char *key;
    char kind;
} cli_col_t;
void cli_table(cli_t *cli, const cli_col_t *cols, int ncols, const msgpack_object *rows);

/*  Print a field list "key: value" for a map (show commands). */
void cli_fields(cli_t *cli, const msgpack_object *map);

#endif
