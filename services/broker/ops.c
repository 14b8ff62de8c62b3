/*  services/broker/ops.c - the services the broker answers itself. */
#include "ops.h"
#include "../../proto/mdp.h"
#include "common/date.h"
#include "common/i18n.h"
#include "proto/mdp.h"
#include "services/broker/ops.h"
#include <stdio.h>
#include <string.h>

/*  Copy up to size-1 bytes of a string the client sent into buf for an
    error message, replacing anything but printable ASCII by '?': the
    text is untrusted and may not be valid UTF-8. Can't fail. */
static void s_printable(const char *text, size_t len, char *buf, size_t size)
{
    size_t n = len < size - 1 ? len : size - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        buf[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    buf[n] = '\0';
}

/*  Reset out and pack the start of a success reply, {"ok": true, "data":
    (the caller packs the data). Returns the packer. Can't fail. */
static msgpack_packer *s_pack_ok(sm_buf_t *out)
{
    sm_buf_reset(out);
    msgpack_pack_map(&out->pk, 2);
    sm_pack_kv_bool(&out->pk, "ok", true);
    sm_pack_str(&out->pk, "data");
    return &out->pk;
}

/*  Unix ms of midnight (Europe/Amsterdam) at the start of day d: the
    services' audit.list counts days the same way. */
static int64_t s_day_start_ms(sm_date_t d)
{
    int64_t utc = sm_date_to_days(d) * 86400000LL;
    return utc - (int64_t)sm_amsterdam_offset(utc) * 1000;
}

/*  Fill req's convenience fields from its checked arguments. Returns 0, or
    -1 with err for what the declaration cannot say. */
static int s_fill(sm_broker_req_t *req, sm_err_t *err)
{
    if (req->op == SM_BROKER_OP_CLAIM) {
        req->service = sm_args_str(req->args, "service");
        req->instance = sm_args_str(req->args, "instance");
        req->incarnation = sm_args_str(req->args, "incarnation");
        if (!req->incarnation)
            req->incarnation = "";
        if (!sm_broker_name_valid(req->service, strlen(req->service)) ||
            sm_broker_name_reserved(req->service, strlen(req->service)))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "service",
                              _("service must be the name the workers register, such as finance"));
        if (strspn(req->instance, "0123456789abcdef") != strlen(req->instance))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "instance",
                              _("instance must be the store's instance ID: lower-case hex digits"));
        if (strspn(req->incarnation, "0123456789abcdef") != strlen(req->incarnation))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "incarnation",
                              _("incarnation must be the daemon's random process ID: lower-case "
                                "hex digits"));
    } else if (req->op == SM_BROKER_OP_AUDIT_LIST) {
        req->who = sm_args_str(req->args, "who");
        req->what = sm_args_str(req->args, "op");
        req->id = sm_args_str(req->args, "id");
        sm_date_t d;
        req->since_ms = sm_args_date(req->args, "since", &d) ? s_day_start_ms(d) : INT64_MIN;
        req->until_ms = sm_args_date(req->args, "until", &d)
                            ? s_day_start_ms(sm_date_add_days(d, 1))
                            : INT64_MAX;
        req->after = (uint64_t)sm_args_int(req->args, "after", 0);
        req->limit = sm_args_int(req->args, "limit", 100);
    }
    return 0;
}

int sm_broker_op_parse(const void *data, size_t size, size_t nframes, sm_broker_req_t *req,
                       sm_err_t *err)
{
    memset(req, 0, sizeof *req);
    if (nframes != 1)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "body",
                          _("the request has %zu body frames; send exactly one frame holding a "
                            "MessagePack map such as {\"op\": \"status\"}"),
                          nframes);
    sm_doc_t *doc = sm_doc_parse(data, size, err);
    if (!doc)
        return -1;
    int rc = -1;
    /*  "lang" asks for replies in a language (PROTOCOL.md): the broker
        switches to it here, for every sentence that follows; the caller
        switches back (sm_i18n_use (NULL)) after replying. */
    static const char *const keys[] = {"op", "args", "rid", "lang", NULL};
    const msgpack_object *root = sm_doc_root(doc), *args = NULL;
    if (root->type != MSGPACK_OBJECT_MAP) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "body",
                   _("the request body must be a MessagePack map such as {\"op\": \"status\"}"));
        goto cleanup;
    }
    char lang[24] = "";
    if (sm_get_str(root, "lang", false, lang, sizeof lang, false, err) < 0)
        goto cleanup;
    if (lang[0]) {
        const char *canon = sm_i18n_lang_parse(lang);
        if (!canon) {
            sm_err_set(err, SM_E_INVALID_ARGUMENT, "lang",
                       _("lang \"%1$s\" is not a language samen speaks; give %2$s"), lang,
                       sm_i18n_langs_hint());
            goto cleanup;
        }
        sm_i18n_use(canon);
    }
    const msgpack_object *op = sm_map_get(root, "op");
    if (!op || op->type != MSGPACK_OBJECT_STR) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "op",
                   _("field \"op\" is required and must be a string; ops: status, "
                     "service.claim, audit.list"));
        goto cleanup;
    }
    static const struct {
        const char *name;
        int op;
    } ops[] = {{"status", SM_BROKER_OP_STATUS},
               {"service.claim", SM_BROKER_OP_CLAIM},
               {"audit.list", SM_BROKER_OP_AUDIT_LIST}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0] && !req->op; i++)
        if (sm_obj_streq(op, ops[i].name)) {
            req->op = ops[i].op;
            req->decl = sm_decl_find(sm_ops_broker, ops[i].name);
        }
    if (!req->op || !req->decl) {
        char name[65];
        s_printable(op->via.str.ptr, op->via.str.size, name, sizeof name);
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "op",
                   _("unknown op \"%s\" for service broker; ops: status, service.claim, "
                     "audit.list"),
                   name);
        req->op = 0;
        goto cleanup;
    }
    if (sm_check_keys(root, keys, err) || sm_get_map(root, "args", false, &args, err) < 0 ||
        !(req->args = sm_args_check(req->decl, args, err)) || s_fill(req, err) != 0)
        goto cleanup;
    rc = req->op;
cleanup:
    /*  The checked arguments hold copies: the document may go. */
    sm_doc_destroy(&doc);
    return rc;
}

void sm_broker_req_free(sm_broker_req_t *req)
{
    sm_args_destroy(&req->args);
}

/*  The unix ms of an audit entry's "2026-11-23T10:01:02Z", or 0. */
static int64_t s_entry_ms(const sm_audit_entry_t *e)
{
    int64_t ms = 0;
    if (sm_datetime_parse(e->ts, &ms, "ts", NULL) != 0)
        return 0;
    return ms;
}

bool sm_broker_audit_match(const sm_broker_req_t *req, const sm_audit_entry_t *e)
{
    int64_t ts = s_entry_ms(e);
    return ts >= req->since_ms && ts < req->until_ms &&
           (!req->who || strcmp(e->who, req->who) == 0) &&
           (!req->what || strcmp(e->op, req->what) == 0) && (!req->id || strcmp(e->key, req->id) == 0);
}

/*  Pack a comma-separated role list as an array of words ("-": none). */
static void s_pack_roles(msgpack_packer *pk, const char *list)
{
    sm_roles_t roles = 0;
    if (strcmp(list, "-") != 0)
        sm_roles_parse(list, &roles, NULL, 0);
    int n = 0;
    for (int i = 0; sm_roles_all[i]; i++)
        n += (roles & sm_roles_all[i]) != 0;
    msgpack_pack_array(pk, (size_t)n);
    for (int i = 0; sm_roles_all[i]; i++)
        if (roles & sm_roles_all[i])
            sm_pack_str(pk, sm_role_name(sm_roles_all[i]));
}

void sm_broker_pack_audit(sm_buf_t *out, const sm_audit_entry_t *entries, size_t n,
                          uint64_t next)
{
    msgpack_packer *pk = s_pack_ok(out);
    msgpack_pack_map(pk, 2);
    sm_pack_str(pk, "entries");
    msgpack_pack_array(pk, n);
    for (size_t i = 0; i < n; i++) {
        const sm_audit_entry_t *e = &entries[i];
        msgpack_pack_map(pk, 12);
        sm_pack_kv_uint(pk, "n", e->n);
        sm_pack_kv_int(pk, "ts", s_entry_ms(e));
        sm_pack_kv_str(pk, "key", e->who);
        sm_pack_str(pk, "roles");
        s_pack_roles(pk, e->who_roles[0] ? e->who_roles : "-");
        sm_pack_kv_str(pk, "service", "broker");
        sm_pack_kv_str(pk, "op", e->op);
        sm_pack_str(pk, "ids");
        msgpack_pack_array(pk, 1);
        sm_pack_str(pk, e->key);
        sm_pack_kv_bool(pk, "more", false);
        sm_pack_kv_str(pk, "outcome", e->outcome);
        sm_pack_kv_nil(pk, "rid");
        sm_pack_kv_str(pk, "user", e->user);
        sm_pack_str(pk, "key_roles");
        s_pack_roles(pk, e->roles[0] ? e->roles : "-");
    }
    sm_pack_str(pk, "next");
    if (next)
        msgpack_pack_uint64(pk, next);
    else
        msgpack_pack_nil(pk);
}

void sm_broker_pack_denied(sm_buf_t *out, const sm_opdecl_t *op, const char *key,
                           sm_roles_t roles)
{
    char need[200], have[200], message[600];
    sm_roles_format(op->roles, need, sizeof need);
    sm_roles_format(roles, have, sizeof have);
    snprintf(message, sizeof message,
             _("broker %1$s needs one of the roles %2$s; the key \"%3$s\" has %4$s"), op->name,
             need, key, have[0] ? have : _("no role"));
    sm_broker_pack_error(out, SM_E_PERMISSION_DENIED, "op", message);
}

void sm_broker_pack_claim(sm_buf_t *out, const char *service, const char *instance)
{
    msgpack_packer *pk = s_pack_ok(out);
    msgpack_pack_map(pk, 2);
    sm_pack_kv_str(pk, "service", service);
    sm_pack_kv_str(pk, "instance", instance);
}

const char *sm_broker_mmi_code(const char *service, size_t service_len, bool registered)
{
    static const char mmi_service[] = "mmi.service";
    if (service_len == sizeof mmi_service - 1 && memcmp(service, mmi_service, service_len) == 0)
        return registered ? "200" : "404";
    return "501";
}

bool sm_broker_name_reserved(const char *name, size_t len)
{
    if (len == strlen(SM_SVC_BROKER) && memcmp(name, SM_SVC_BROKER, len) == 0)
        return true;
    return len >= 4 && memcmp(name, "mmi.", 4) == 0;
}

bool sm_broker_name_valid(const char *name, size_t len)
{
    if (len == 0 || len > SM_BROKER_SERVICE_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c <= 0x20 || c >= 0x7f)
            return false;
    }
    return true;
}

void sm_broker_pack_status(sm_buf_t *out, const sm_broker_stats_t *s)
{
    msgpack_packer *pk = s_pack_ok(out);
    msgpack_pack_map(pk, 25);
    sm_pack_kv_str(pk, "version", SM_BROKER_VERSION);
    sm_pack_kv_int(pk, "uptime_s", s->uptime_s);
    sm_pack_str(pk, "services");
    msgpack_pack_array(pk, s->service_count);
    for (size_t i = 0; i < s->service_count; i++) {
        const sm_broker_service_stat_t *svc = &s->services[i];
        msgpack_pack_map(pk, 4);
        sm_pack_str(pk, "name");
        sm_pack_strn(pk, svc->name, svc->name_len);
        sm_pack_kv_uint(pk, "workers", svc->workers);
        sm_pack_kv_uint(pk, "idle", svc->idle);
        sm_pack_kv_uint(pk, "queued", svc->queued);
    }
    sm_pack_kv_uint(pk, "requests_routed", s->requests_routed);
    sm_pack_kv_uint(pk, "replies_routed", s->replies_routed);
    sm_pack_kv_uint(pk, "requests_expired", s->requests_expired);
    sm_pack_kv_uint(pk, "requests_refused", s->requests_refused);
    sm_pack_kv_uint(pk, "workers_lost", s->workers_lost);
    sm_pack_kv_uint(pk, "protocol_violations", s->protocol_violations);
    sm_pack_kv_uint(pk, "invalid_dropped", s->invalid_dropped);
    sm_pack_kv_uint(pk, "oversize_dropped", s->oversize_dropped);
    sm_pack_kv_uint(pk, "undeliverable", s->undeliverable);
    sm_pack_kv_uint(pk, "events_forwarded", s->events_forwarded);
    sm_pack_kv_uint(pk, "events_dropped", s->events_dropped);
    sm_pack_kv_uint(pk, "subscriptions", s->subscriptions);
    sm_pack_kv_int(pk, "max_message_bytes", s->max_message_bytes);
    sm_pack_kv_str(pk, "security", s->security ? s->security : "plain");
    sm_pack_kv_uint(pk, "keys_trusted", s->keys_trusted);
    sm_pack_kv_uint(pk, "handshakes_refused", s->handshakes_refused);
    sm_pack_kv_uint(pk, "unauthenticated", s->unauthenticated);
    sm_pack_kv_uint(pk, "workers_refused", s->workers_refused);
    sm_pack_kv_uint(pk, "claims_refused", s->claims_refused);
    sm_pack_kv_uint(pk, "requests_denied", s->requests_denied);
    sm_pack_kv_uint(pk, "events_refused", s->events_refused);
    sm_pack_kv_uint(pk, "subscribers_cut", s->subscribers_cut);
}

void sm_broker_pack_error(sm_buf_t *out, const char *code, const char *field, const char *message)
{
    sm_buf_reset(out);
    msgpack_packer *pk = &out->pk;
    msgpack_pack_map(pk, 2);
    sm_pack_kv_bool(pk, "ok", false);
    sm_pack_str(pk, "error");
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "code", code);
    sm_pack_kv_str(pk, "message", message);
    sm_pack_kv_str(pk, "field", field ? field : "");
}
