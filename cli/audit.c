/*  cli/audit.c - samenctl audit list: who did what, when, to which IDs,
    merged from every service's audit log in time order.

    Each service keeps its own log and answers the built-in op audit.list
    ({entries: [{n, ts, key, roles, service, op, ids, more, outcome, rid}],
    next}), a page at a time. The broker answers audit.list for key changes
    once security is on; a broker that does not know the op is skipped
    without a word. A service that does not answer is named on stderr and
    the exit code is 3, while what the others hold is printed.

    Entries never hold personal values (the services log IDs only), but
    key names and ops are text from outside: printed escaped as everything.
*/
#include "cli.h"
#include "nouns.h"
#include "common/date.h"
#include "proto/mdp.h"
#include <stdlib.h>
#include <string.h>

static const char *const s_services[] = {SM_SVC_INTAKE, SM_SVC_SCHEDULING, SM_SVC_REPORTING,
                                         SM_SVC_FINANCE, NULL};

/*  How long a service has to show it is there (MMI) before it is reported
    as not answering: a service without workers would otherwise cost the
    broker's whole request expiry. */
#define S_PROBE_MS 2000
/*  Entries asked per page. */
#define S_PAGE 1000

/*  One entry, normalised: the broker's entries differ from the services'
    (time as text, the key as "who"). */
typedef struct {
    int64_t ts;                /*  unix ms */
    const char *service;       /*  static */
    uint64_t n;                /*  its number in the service's log (order within a ms) */
    const msgpack_object *obj; /*  the entry as sent */
} s_entry_t;

typedef struct {
    s_entry_t *list;
    size_t n, cap;
    sm_doc_t **docs; /*  the replies the entries live in */
    size_t ndocs, capdocs;
    int missing; /*  services that did not answer */
} s_log_t;

/*  Keep doc alive until the end. Returns 0 or -1 when out of memory. */
static int s_keep(s_log_t *log, sm_doc_t *doc)
{
    if (log->ndocs == log->capdocs) {
        size_t cap = log->capdocs ? log->capdocs * 2 : 16;
        sm_doc_t **d = realloc(log->docs, cap * sizeof *d);
        if (!d)
            return -1;
        log->docs = d;
        log->capdocs = cap;
    }
    log->docs[log->ndocs++] = doc;
    return 0;
}

/*  The time of entry e in unix ms: an integer, or a UTC time as text. */
static int64_t s_ts(const msgpack_object *e)
{
    const msgpack_object *t = sm_map_get(e, "ts");
    if (t && t->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
        return (int64_t)t->via.u64;
    char text[64];
    int64_t ms = 0;
    if (t && t->type == MSGPACK_OBJECT_STR && t->via.str.size < sizeof text) {
        snprintf(text, sizeof text, "%.*s", (int)t->via.str.size, t->via.str.ptr);
        if (sm_datetime_parse(text, &ms, "ts", NULL) != 0)
            ms = 0;
    }
    return ms;
}

/*  The key name of e: "key", or the broker's "who". */
static const msgpack_object *s_key(const msgpack_object *e)
{
    const msgpack_object *k = sm_map_get(e, "key");
    return k ? k : sm_map_get(e, "who");
}

/*  True when e passes the op and id filters (checked here too, so an older
    service or broker that ignored one does not widen the list). */
static bool s_wanted(cli_t *cli, const msgpack_object *e)
{
    const char *op = cli_flag(cli, "op"), *id = cli_flag(cli, "id");
    if (op && !sm_obj_streq(sm_map_get(e, "op"), op))
        return false;
    if (!id)
        return true;
    const msgpack_object *ids = sm_map_get(e, "ids");
    for (uint32_t i = 0; ids && ids->type == MSGPACK_OBJECT_ARRAY && i < ids->via.array.size; i++)
        if (sm_obj_streq(&ids->via.array.ptr[i], id))
            return true;
    return false;
}

/*  Add the entries of one reply's data. Returns 0 or -1 when out of memory. */
static int s_add(cli_t *cli, s_log_t *log, const char *service, const msgpack_object *data)
{
    const msgpack_object *list = sm_map_get(data, "entries");
    for (uint32_t i = 0; list && list->type == MSGPACK_OBJECT_ARRAY && i < list->via.array.size;
         i++) {
        const msgpack_object *e = &list->via.array.ptr[i];
        if (e->type != MSGPACK_OBJECT_MAP || !s_wanted(cli, e))
            continue;
        if (log->n == log->cap) {
            size_t cap = log->cap ? log->cap * 2 : 256;
            s_entry_t *l = realloc(log->list, cap * sizeof *l);
            if (!l)
                return -1;
            log->list = l;
            log->cap = cap;
        }
        uint64_t n = 0;
        sm_get_uint(e, "n", false, UINT64_MAX, &n, NULL);
        log->list[log->n++] = (s_entry_t){s_ts(e), service, n, e};
    }
    return 0;
}

/*  The base arguments: the filters, checked against audit.list's
    declaration (dates as people type them). Returns 0 or CLI_USAGE. */
static int s_base_args(cli_t *cli, sm_buf_t *out)
{
    const sm_opdecl_t *decl = sm_decl_find(sm_builtin_decls, "audit.list");
    return decl ? cli_pack_op(cli, decl, out) : cli_usage_error(cli, _("audit.list is not declared"));
}

/*  args (a packed map) with "after" and "limit" added, into out. The
    broker takes the same arguments and pages the same way as the services. */
static void s_page_args(const msgpack_object *base, uint64_t after, sm_buf_t *out)
{
    msgpack_pack_map(&out->pk, base->via.map.size + 1 + (after > 0));
    for (uint32_t i = 0; i < base->via.map.size; i++) {
        sm_pack_obj(&out->pk, &base->via.map.ptr[i].key);
        sm_pack_obj(&out->pk, &base->via.map.ptr[i].val);
    }
    sm_pack_kv_uint(&out->pk, "limit", S_PAGE);
    if (after > 0)
        sm_pack_kv_uint(&out->pk, "after", after);
}

/*  Read every page of service's log. Returns 0, or -1 after naming the
    service on stderr when it did not answer, or -2 when out of memory. */
static int s_read(cli_t *cli, s_log_t *log, const char *service, const msgpack_object *base)
{
    bool broker = strcmp(service, SM_SVC_BROKER) == 0;
    sm_err_t e;
    sm_err_clear(&e);
    /*  The broker answers itself; a service must have workers. */
    if (!broker && sm_client_mmi(cli->client, service, S_PROBE_MS, &e) != 200) {
        fprintf(stderr,
                _("samenctl: %s did not answer (not running or not reachable); its audit log is "
                  "not in this list\n"),
                service);
        return -1;
    }
    for (uint64_t after = 0;;) {
        sm_buf_t args;
        sm_buf_init(&args);
        s_page_args(base, after, &args);
        sm_doc_t *reply = sm_client_call(cli->client, service, "audit.list", args.sbuf.data,
                                         args.sbuf.size, NULL, cli->timeout_ms, 1, &e);
        sm_buf_free(&args);
        const msgpack_object *data = NULL;
        if (reply && sm_reply_check(reply, &data, &e) != 0) {
            sm_doc_destroy(&reply);
            /*  A broker without an audit log says it has no such op. */
            if (broker && strcmp(e.field, "op") == 0)
                return 0;
            fprintf(stderr, _("samenctl: %s refused audit.list: "), service);
            cli_put_safe(stderr, e.message, strlen(e.message), false);
            fprintf(stderr, " [%s]\n", e.code);
            return -1;
        }
        if (!reply) {
            fprintf(stderr, _("samenctl: %s did not answer audit.list: "), service);
            cli_put_safe(stderr, e.message, strlen(e.message), false);
            fputc('\n', stderr);
            return -1;
        }
        if (s_keep(log, reply) != 0) {
            sm_doc_destroy(&reply);
            return -2;
        }
        if (s_add(cli, log, service, data) != 0)
            return -2;
        const msgpack_object *next = sm_map_get(data, "next");
        if (!next || next->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
            next->via.u64 <= after)
            return 0;
        after = next->via.u64;
    }
}

/*  Time order; within the same millisecond by service, then number. */
static int s_cmp(const void *a, const void *b)
{
    const s_entry_t *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    int c = strcmp(x->service, y->service);
    if (c)
        return c;
    return x->n < y->n ? -1 : x->n > y->n;
}

/*  "2026-11-23 14:05:01" in Amsterdam time, into buf (at least 24 bytes). */
static char *s_local_time(int64_t ms, char *buf)
{
    char utc[32];
    sm_datetime_format_utc(ms + (int64_t)sm_amsterdam_offset(ms) * 1000, utc);
    snprintf(buf, 24, "%.10s %.8s", utc, utc + 11);
    return buf;
}

/*  The merged log as JSON: an array of the entries, each with "ts" in unix
    ms and "key" (the broker's "who"). */
static void s_print_json(const s_log_t *log)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_array(&b.pk, log->n);
    for (size_t i = 0; i < log->n; i++) {
        const msgpack_object *e = log->list[i].obj;
        bool has_key = sm_map_get(e, "key") != NULL;
        msgpack_pack_map(&b.pk, e->via.map.size + (has_key ? 0 : 1));
        for (uint32_t k = 0; k < e->via.map.size; k++) {
            const msgpack_object *key = &e->via.map.ptr[k].key;
            sm_pack_obj(&b.pk, key);
            if (sm_obj_streq(key, "ts"))
                msgpack_pack_int64(&b.pk, log->list[i].ts);
            else
                sm_pack_obj(&b.pk, &e->via.map.ptr[k].val);
        }
        if (!has_key) {
            sm_pack_str(&b.pk, "key");
            const msgpack_object *who = s_key(e);
            if (who)
                sm_pack_obj(&b.pk, who);
            else
                msgpack_pack_nil(&b.pk);
        }
    }
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    if (doc)
        cli_print_json(sm_doc_root(doc));
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

/*  The merged log as a table for people. */
static void s_print_table(cli_t *cli, const s_log_t *log)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_array(&b.pk, log->n);
    for (size_t i = 0; i < log->n; i++) {
        const msgpack_object *e = log->list[i].obj;
        char when[24], ids[600];
        cli_text(sm_map_get(e, "ids"), ids, sizeof ids - 8);
        const msgpack_object *more = sm_map_get(e, "more");
        if (more && more->type == MSGPACK_OBJECT_BOOLEAN && more->via.boolean)
            strcat(ids, ", ...");
        msgpack_pack_map(&b.pk, 6);
        sm_pack_kv_str(&b.pk, "time", s_local_time(log->list[i].ts, when));
        sm_pack_str(&b.pk, "key");
        const msgpack_object *key = s_key(e);
        if (key)
            sm_pack_obj(&b.pk, key);
        else
            msgpack_pack_nil(&b.pk);
        sm_pack_kv_str(&b.pk, "service", log->list[i].service);
        sm_pack_str(&b.pk, "op");
        sm_pack_obj(&b.pk, sm_map_get(e, "op") ? sm_map_get(e, "op") : &(msgpack_object){0});
        sm_pack_kv_str(&b.pk, "ids", ids);
        sm_pack_str(&b.pk, "outcome");
        sm_pack_obj(&b.pk,
                    sm_map_get(e, "outcome") ? sm_map_get(e, "outcome") : &(msgpack_object){0});
    }
    static const cli_col_t cols[] = {{N_("TIME (AMSTERDAM)"), "time", 't'}, {N_("KEY"), "key", 't'},
                                     {N_("SERVICE"), "service", 't'},       {N_("OP"), "op", 't'},
                                     {N_("IDS"), "ids", 't'},               {N_("OUTCOME"), "outcome", 't'}};
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    if (doc)
        cli_table(cli, cols, 6, sm_doc_root(doc));
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

static int s_list(cli_t *cli)
{
    const char *only = cli_flag(cli, "service");
    if (only && strcmp(only, SM_SVC_BROKER) != 0) {
        bool known = false;
        for (int i = 0; s_services[i] && !known; i++)
            known = strcmp(s_services[i], only) == 0;
        if (!known)
            return cli_usage_error(cli, _("--service takes intake, scheduling, reporting, finance "
                                        "or broker, got \"%s\""),
                                   only);
    }
    sm_buf_t base;
    sm_buf_init(&base);
    int rc = s_base_args(cli, &base);
    sm_doc_t *bdoc = rc == 0 ? sm_doc_parse(base.sbuf.data, base.sbuf.size, NULL) : NULL;
    sm_buf_free(&base);
    if (rc != 0)
        return rc;
    if (!bdoc)
        return cli_usage_error(cli, _("out of memory"));
    s_log_t log = {0};
    int oom = 0;
    for (int i = 0; s_services[i] && !oom; i++)
        if (!only || strcmp(only, s_services[i]) == 0) {
            int r = s_read(cli, &log, s_services[i], sm_doc_root(bdoc));
            log.missing += r == -1;
            oom = r == -2;
        }
    if (!oom && (!only || strcmp(only, SM_SVC_BROKER) == 0)) {
        int r = s_read(cli, &log, SM_SVC_BROKER, sm_doc_root(bdoc));
        log.missing += r == -1;
        oom = r == -2;
    }
    if (oom)
        fputs(_("samenctl: out of memory reading the audit logs\n"), stderr);
    else {
        if (log.n)
            qsort(log.list, log.n, sizeof *log.list, s_cmp);
        if (cli->json)
            s_print_json(&log);
        else
            s_print_table(cli, &log);
    }
    for (size_t i = 0; i < log.ndocs; i++)
        sm_doc_destroy(&log.docs[i]);
    free(log.docs);
    free(log.list);
    sm_doc_destroy(&bdoc);
    return oom ? CLI_REFUSED : log.missing ? CLI_UNREACHABLE : CLI_OK;
}

static const cli_opt_t s_list_opts[] = {{"who", true, false},   {"op", true, false},
                                        {"id", true, false},    {"since", true, false},
                                        {"until", true, false}, {"service", true, false},
                                        {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "list",
     .fn = s_list,
     .opts = s_list_opts,
     .usage = "audit list [--who KEY] [--op OP] [--id P12] [--since DATE] [--until DATE] [--service S] "
         "[--json]",
     .summary = N_("The audit log of every service (and the broker's key changes), merged in time order: "
         "when (Amsterdam time), which key, which service and op, the IDs concerned, the outcome. "
         "Never a personal value. --since and --until are days (2026-11-23 or 23-11-2026), "
         "--until included. A service that does not answer is named on stderr and the exit code "
         "is 3; the others are listed. Needs the admin or auditor role."),
     .example = "samenctl audit list --id P12 --since 2026-01-01"},
    {0}};

const cli_noun_t cli_noun_audit = {"audit", N_("who did what, when: the services' audit logs"),
                                   s_verbs};
