/*  cli/cli.h - what every samenctl command shares.

    A command is a noun with verbs: `samenctl <noun> <verb> [args] [--flags]`.

    Most verbs are *plain*: they call one declared op (proto/ops_*.c, whose
    `.cli` names the verb) and take their flags, positional arguments, help
    and parsing from that declaration (cli/declared.c). Nothing is written
    for them in cli/ unless their output is a document or a table chosen for
    people: then the noun's file (cli/participant.c, ...) lists the verb with
    a printer, an example, or a check of its own. A declared op with `.cli`
    and no entry here is still callable; its reply is printed by
    cli_print_auto.

    Hand-written verbs (status, events, call, backup, audit, key) have a
    function and their own flags (cli_opt_t).

    Exit codes (DESIGN.md §7): 0 ok; 1 the service refused (its message is
    printed); 2 usage error; 3 unreachable or timed out.
*/
#ifndef SAMEN_CLI_H
#define SAMEN_CLI_H

#include "common/client.h"
#include "common/codec.h"
#include "common/config.h"
#include "common/op.h"
#include <stdbool.h>
#include <stdio.h>

#define CLI_OK 0
#define CLI_REFUSED 1
#define CLI_USAGE 2
#define CLI_UNREACHABLE 3

#define CLI_MAX_POS 16
#define CLI_MAX_FLAGS 64
#define CLI_MAX_OPTS 80
/*  Declarations one verb may stand for ("finance split" computes or saves). */
#define CLI_MAX_DECLS 4

/*  One flag of a hand-written verb: name without dashes, whether it takes
    a value, whether it may be given more than once. */
typedef struct {
    const char *name;
    bool value;
    bool repeat;
} cli_opt_t;

/*  One flag the verb at hand accepts. For a plain verb the list is made
    from the declaration (arg set): a bool is a switch that also takes
    yes/no, true/false or ja/nee, and --not-NAME or --no-NAME for false; a
    list may be repeated or comma-separated. */
typedef struct {
    const char *name;
    bool value;
    bool repeat;
    const sm_arg_t *arg; /*  the declared argument it sets; NULL for a CLI-only flag */
} cli_optdef_t;

typedef struct _cli_t cli_t;
typedef int(cli_fn)(cli_t *cli);
typedef void(cli_print_fn)(cli_t *cli, const msgpack_object *data);

typedef struct {
    const char *verb;      /*  NULL for a noun without verbs (like `status`) */
    cli_fn *fn;            /*  the verb's code; NULL for a plain verb (one op, one print) */
    const cli_opt_t *opts; /*  hand-written: its flags; plain: CLI-only flags besides the
                              declared ones (--yes); terminated by name NULL; may be NULL */
    int min_pos, max_pos;  /*  hand-written verbs: positional arguments after the verb */
    const char *usage;     /*  "participant show ID"; plain verbs: made from the declaration
                              unless given */
    const char *summary;   /*  one line; plain verbs: the op's summary unless given */
    const char *example;   /*  one or more example lines; plain verbs: made when not given */
    /*  Plain verbs. */
    const char *op;        /*  the op when it is not the one whose .cli is "noun verb"
                              (participant list is participant.find) */
    cli_print_fn *print;   /*  how the reply's data is shown; NULL: cli_print_auto */
    cli_fn *check;         /*  a check before sending (erase wants --yes); 0 to go on */
    int timeout_ms;        /*  at least this long a wait (an export asks four services) */
} cli_verb_t;

typedef struct {
    const char *noun;
    const char *summary;
    const cli_verb_t *verbs; /*  terminated by verb NULL and fn NULL and op NULL; may be NULL
                                for a noun that is only declared */
} cli_noun_t;

struct _cli_t {
    /*  global settings */
    const char *broker;
    const char *events; /*  the broker's XPUB endpoint, for events tail */
    const char *events_from; /*  where events came from: "--events", "SAMEN_EVENTS", ... */
    int timeout_ms;
    bool json;
    const char *format; /*  NULL, "text", "csv", "md", "html", "ics" */
    bool nl;            /*  the language is Dutch (common/i18n.h): money as "€ 22.500,00" */
    void *zctx;
    sm_client_t *client; /*  NULL for the key noun, which works on files */
    sm_security_t sec;   /*  samenctl's own key and the broker's (common/security.h) */
    const char *key_file; /*  --key, or NULL */
    sm_config_t *cfg; /*  the configuration file read (checked), or NULL: none */
    int writes; /*  writes sent so far: numbers the request ids under SAMEN_RID */
    /*  this command */
    const char *noun, *verb;
    const cli_verb_t *vdef; /*  the hand-written part of the verb; may be an empty one */
    const char *service;    /*  a plain verb's service */
    const sm_opdecl_t *decls[CLI_MAX_DECLS]; /*  the ops a plain verb may call */
    int ndecls;
    cli_optdef_t opts[CLI_MAX_OPTS]; /*  every flag the verb accepts */
    char optnames[CLI_MAX_OPTS][48];
    int nopts;
    int min_pos, max_pos;
    /*  its arguments */
    int npos;
    const char *pos[CLI_MAX_POS];
    int nflags;
    const char *flag_name[CLI_MAX_FLAGS];
    const char *flag_value[CLI_MAX_FLAGS]; /*  NULL for a switch without value */
};

/* ---- arguments (cli/util.c) ------------------------------------------- */

/*  The value of --name, or NULL. For a switch: "" when given. */
const char *cli_flag(cli_t *cli, const char *name);
bool cli_has(cli_t *cli, const char *name);
/*  All values of a repeatable flag; returns the count. */
int cli_flag_all(cli_t *cli, const char *name, const char **out, int max);

/*  Add --name value as if it had been typed (a verb that takes one flag
    for two, like grant stats --years). name and value must live as long
    as cli. Returns 0, or -1 when there is no room. */
int cli_flag_add(cli_t *cli, const char *name, const char *value);

/*  Print a usage error naming what is wrong (escaped) and where to read
    the verb's help; returns CLI_USAGE. */
int cli_usage_error(cli_t *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- requests (cli/util.c) --------------------------------------------- */

/*  The request id for this command's next write: a fresh random one, or,
    when $SAMEN_RID is set (1..20 characters), "<SAMEN_RID>.<n>" for the n-th
    write of this run, so a script that runs the same command again after
    an unreachable exit (3) has it applied once. buf holds 32 bytes.
    Returns 0, or CLI_USAGE after printing why SAMEN_RID is unusable. */
int cli_rid(cli_t *cli, char *buf);

/*  Send op to service with args (an encoded map, or NULL). Writes carry a
    request id (cli_rid) and are retried on timeout with it. On success returns 0 and
    *reply (caller destroys) with *data pointing at the reply's data. On
    refusal prints "samenctl: <message> (field: x) [code]" (escaped) to
    stderr and returns CLI_REFUSED; unreachable: prints and returns
    CLI_UNREACHABLE. */
int cli_request(cli_t *cli, const char *service, const char *op, const sm_buf_t *args,
                bool write, sm_doc_t **reply, const msgpack_object **data);

/*  Print a refusal err as "samenctl: <message> (field: x) [code]" on
    stderr, escaped. Returns the exit code it means: CLI_UNREACHABLE for
    unavailable and deadline_exceeded, else CLI_REFUSED. */
int cli_refused(const sm_err_t *err);

/*  Convenience: request, then print data as JSON (with --json) or hand it
    to print (else). Returns the exit code. */
int cli_run(cli_t *cli, const char *service, const char *op, const sm_buf_t *args, bool write,
            cli_print_fn *print);

/* ---- plain verbs (cli/declared.c) --------------------------------------- */

/*  Every noun: the hand-written ones in their order, then those only
    declared (named after their ops' `.cli`). */
#define CLI_MAX_NOUNS 64
typedef struct {
    cli_noun_t noun[CLI_MAX_NOUNS];
    char name[CLI_MAX_NOUNS][32];    /*  storage of declared nouns' names */
    char summary[CLI_MAX_NOUNS][80]; /*  and of their summaries */
    int n;
} cli_nouns_t;
/*  Fill out with every noun. Can't fail (a noun beyond the room is left out). */
void cli_nouns_list(cli_nouns_t *out);
/*  The noun called name in all, or NULL. */
const cli_noun_t *cli_noun_find(const cli_nouns_t *all, const char *name);

/*  Find verb (NULL for a noun without verbs) of noun and fill cli's verb
    part: vdef, service, decls, opts, min_pos, max_pos. Returns 0, or -1
    when noun has no such verb. */
int cli_verb_resolve(cli_t *cli, const cli_noun_t *noun, const char *verb);

/*  The option of cli's verb called name (also "not-NAME"/"no-NAME" of a
    bool: *negated set), or NULL. */
const cli_optdef_t *cli_opt_find(cli_t *cli, const char *name, bool *negated);

/*  Pack the request args of op from cli's parsed flags and positional
    arguments, parsed by type (cli/parse.c), and check them against op's
    declaration before anything is sent. Returns 0 with out holding the
    map, or CLI_USAGE after printing the problem: the flag, what it
    accepts. */
int cli_pack_op(cli_t *cli, const sm_opdecl_t *op, sm_buf_t *out);

/*  Pack op's args as cli_pack_op, send them to cli's service, print the
    reply's data with print (NULL: cli_print_auto; --json: JSON). Returns
    the exit code. */
int cli_call_op(cli_t *cli, const sm_opdecl_t *op, cli_print_fn *print);

/*  The declaration of op among cli's verb's ops, else among its
    service's ops, or NULL. */
const sm_opdecl_t *cli_decl(cli_t *cli, const char *op);

/*  A document's format for op: the global --format (dflt when not given;
    "text" means dflt for a Markdown document), checked against the
    values of op's "format" argument and passed on as that argument.
    Returns 0, or CLI_USAGE after saying which formats the document
    comes in. */
int cli_doc_format(cli_t *cli, const sm_opdecl_t *op, const char *dflt);

/*  Help texts: the list of nouns (samenctl help), a noun's verbs, one
    verb's usage, flags and example. */
void cli_help_nouns(FILE *out);
void cli_help_noun(const cli_noun_t *noun, FILE *out);
void cli_help_verb(cli_t *cli, FILE *out);
/*  The usage line of cli's verb ("participant show P12") into buf. */
const char *cli_usage_line(cli_t *cli, char *buf, size_t size);

/* ---- parsing what people type (cli/parse.c) -------------------------- */

/*  Parse text given for argument a (through flag, for messages: "--amount"
    or "NAME") and pack it as a's wire type into pk: whole numbers, money
    typed as people do ("15", "15,00", "€ 1.500,00") into cents, dates
    (2020-03-12 or 12-03-2020), IDs (P12, p12 or just 12), bools (yes/no,
    true/false, ja/nee), lists (items repeated or comma-separated), maps
    (JSON). texts[] holds every value given (one unless a list). Returns 0,
    or CLI_USAGE after printing what flag accepts. */
int cli_parse_pack(cli_t *cli, const sm_arg_t *a, const char *flag, const char *const *texts,
                   int ntexts, msgpack_packer *pk);

/*  A bool as people type it: 1 true, 0 false, -1 not a bool word. "" is true. */
int cli_parse_bool(const char *text);

/* ---- output (cli/output.c) ---------------------------------------------- */

/*  Print a MessagePack value as pretty JSON followed by a newline, every
    control character escaped. */
void cli_print_json(const msgpack_object *o);
/*  The same, pretty or on one line. */
void cli_print_json_as(const msgpack_object *o, bool pretty);

/*  Text of a scalar for people: strings with control characters escaped
    (cli_escape), numbers, yes/no, "" for nil; lists joined with ", ".
    buf must hold size bytes. */
const char *cli_text(const msgpack_object *o, char *buf, size_t size);

/*  Money from cents as "EUR 1,500.00" (or nl). */
const char *cli_money(cli_t *cli, const msgpack_object *o, char *buf, size_t size);

/*  Write text (len bytes) with every control character, invalid UTF-8
    byte and bidirectional override escaped visibly (\x1b, \r, \u202e), so
    that nothing printed can move the cursor, rewrite a line or change the
    terminal. keep_lines keeps new lines and tabs (documents printed as
    text). Returns what was written into buf (NUL-terminated, cut at size). */
char *cli_escape(const char *text, size_t len, bool keep_lines, char *buf, size_t size);
/*  Print text escaped as cli_escape (keep_lines) to f. */
void cli_put_safe(FILE *f, const char *text, size_t len, bool keep_lines);
/*  A document's text (Markdown, a report) printed as it is but escaped,
    ending in one newline. */
void cli_print_document(const msgpack_object *text);

/*  A table: columns (header, key in each row map, kind 't' text or 'm' money),
    rows = an array of maps. Rendered as aligned text, or CSV (cells that a
    spreadsheet would run as a formula get a leading '), Markdown (| < > &
    escaped) or HTML with --format csv|md|html. */
typedef struct {
    const char *header;
    const char *key;
    char kind;
} cli_col_t;
void cli_table(cli_t *cli, const cli_col_t *cols, int ncols, const msgpack_object *rows);

/*  Print a field list "key: value" for a map (show commands). */
void cli_fields(cli_t *cli, const msgpack_object *map);

/*  The reply of a declared op without a printer of its own: a map's
    scalar fields as a field list, then each list of maps in it as a table
    with a column per key; anything else as JSON. */
void cli_print_auto(cli_t *cli, const msgpack_object *data);

/*  "more: add --after X for the next page" when data has a "next" and the
    output is text. */
void cli_print_next(cli_t *cli, const msgpack_object *data);

#endif
