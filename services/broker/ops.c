/*  services/broker/ops.c - the services the broker answers itself. */
#include "services/broker/ops.h"
#include "proto/mdp.h"
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

/*  Read optional text argument key of args into buf (size bytes) when it
    is a date "YYYY-MM-DD" or a UTC instant "YYYY-MM-DDTHH:MM:SSZ".
    Returns 0, or -1 with err naming key. */
static int s_get_when(const msgpack_object *args, const char *key, char *buf, size_t size,
                      sm_err_t *err)
{
    if (sm_get_str(args, key, false, buf, size, false, err) < 0)
        return -1;
    size_t n = strlen(buf);
    bool ok = n == 0;
    if (n == 10 || n == 20) {
        ok = true;
        for (size_t i = 0; i < n && ok; i++) {
            char c = buf[i];
            char want = i == 4 || i == 7 ? '-' : i == 10 ? 'T' : i == 13 || i == 16 ? ':'
                        : i == 19 ? 'Z' : '0';
            ok = want == '0' ? (c >= '0' && c <= '9') : c == want;
        }
    }
    if (!ok)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          "%s must be a date like 2026-11-23 or a UTC time like "
                          "2026-11-23T10:00:00Z",
                          key);
    return 0;
}

/*  Read optional key name argument key of args into buf. Returns 0, or -1
    with err naming key. */
static int s_get_name(const msgpack_object *args, const char *key, char *buf, sm_err_t *err)
{
    if (sm_get_str(args, key, false, buf, SM_KEY_NAME_MAX + 1, false, err) < 0)
        return -1;
    if (buf[0] && !sm_key_name_valid(buf))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          "%s must be a key name (1 to 32 of a-z 0-9 . _ -)", key);
    return 0;
}

/*  The arguments of service.claim and audit.list. Returns 0, or -1 with err. */
static int s_parse_args(const msgpack_object *root, sm_broker_req_t *req, sm_err_t *err)
{
    static const msgpack_object empty = {.type = MSGPACK_OBJECT_MAP};
    const msgpack_object *args = NULL;
    if (sm_get_map(root, "args", false, &args, err) < 0)
        return -1;
    if (!args)
        args = &empty;
    if (req->op == SM_BROKER_OP_CLAIM) {
        static const char *const keys[] = {"service", "instance", NULL};
        if (sm_check_keys(args, keys, err) ||
            sm_get_str(args, "service", true, req->service, sizeof req->service, false, err) < 0 ||
            sm_get_str(args, "instance", true, req->instance, sizeof req->instance, false, err) < 0)
            return -1;
        if (!sm_broker_name_valid(req->service, strlen(req->service)) ||
            sm_broker_name_reserved(req->service, strlen(req->service)))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "service",
                              "service must be the name the workers register, such as finance");
        size_t n = strlen(req->instance);
        if (n == 0 || strspn(req->instance, "0123456789abcdef") != n)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "instance",
                              "instance must be the store's instance ID: 1 to 64 lower-case "
                              "hex digits");
    } else if (req->op == SM_BROKER_OP_AUDIT_LIST) {
        static const char *const keys[] = {"since", "until", "who", "key", "limit", NULL};
        req->limit = 1000;
        if (sm_check_keys(args, keys, err) ||
            s_get_when(args, "since", req->since, sizeof req->since, err) ||
            s_get_when(args, "until", req->until, sizeof req->until, err) ||
            s_get_name(args, "who", req->who, err) || s_get_name(args, "key", req->key, err) ||
            sm_get_int(args, "limit", false, 1, 10000, &req->limit, err) < 0)
            return -1;
    } else if (args->type == MSGPACK_OBJECT_MAP && args->via.map.size)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "args", "op status takes no arguments");
    return 0;
}

int sm_broker_op_parse(const void *data, size_t size, size_t nframes, sm_broker_req_t *req,
                       sm_err_t *err)
{
    memset(req, 0, sizeof *req);
    if (nframes != 1)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "body",
                          "the request has %zu body frames; send exactly one frame holding a "
                          "MessagePack map such as {\"op\": \"status\"}",
                          nframes);
    sm_doc_t *doc = sm_doc_parse(data, size, err);
    if (!doc)
        return -1;
    int rc = -1;
    const msgpack_object *root = sm_doc_root(doc);
    if (root->type != MSGPACK_OBJECT_MAP) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "body",
                   "the request body must be a MessagePack map such as {\"op\": \"status\"}");
        goto cleanup;
    }
    const msgpack_object *op = sm_map_get(root, "op");
    if (!op || op->type != MSGPACK_OBJECT_STR) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "op",
                   "field \"op\" is required and must be a string; ops: status, "
                   "service.claim, audit.list");
        goto cleanup;
    }
    if (sm_obj_streq(op, "status"))
        req->op = SM_BROKER_OP_STATUS;
    else if (sm_obj_streq(op, "service.claim"))
        req->op = SM_BROKER_OP_CLAIM;
    else if (sm_obj_streq(op, "audit.list"))
        req->op = SM_BROKER_OP_AUDIT_LIST;
    else {
        char name[65];
        s_printable(op->via.str.ptr, op->via.str.size, name, sizeof name);
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "op",
                   "unknown op \"%s\" for service broker; ops: status, service.claim, "
                   "audit.list",
                   name);
        goto cleanup;
    }
    if (s_parse_args(root, req, err) == 0)
        rc = req->op;
cleanup:
    sm_doc_destroy(&doc);
    return rc;
}

bool sm_broker_audit_match(const sm_broker_req_t *req, const sm_audit_entry_t *e)
{
    /*  Instants compare as text; a bare date "until" covers its whole day. */
    if (req->since[0] && strcmp(e->ts, req->since) < 0)
        return false;
    if (req->until[0] && strncmp(e->ts, req->until, strlen(req->until)) > 0)
        return false;
    if (req->who[0] && strcmp(e->who, req->who) != 0)
        return false;
    return !req->key[0] || strcmp(e->key, req->key) == 0;
}

void sm_broker_pack_audit(sm_buf_t *out, const sm_audit_entry_t *entries, size_t n,
                          bool truncated)
{
    sm_buf_reset(out);
    msgpack_packer *pk = &out->pk;
    msgpack_pack_map(pk, 2);
    sm_pack_kv_bool(pk, "ok", true);
    sm_pack_str(pk, "data");
    msgpack_pack_map(pk, 2);
    sm_pack_str(pk, "entries");
    msgpack_pack_array(pk, n);
    for (size_t i = 0; i < n; i++) {
        const sm_audit_entry_t *e = &entries[i];
        msgpack_pack_map(pk, 8);
        sm_pack_kv_str(pk, "ts", e->ts);
        sm_pack_kv_str(pk, "who", e->who);
        sm_pack_kv_str(pk, "user", e->user);
        sm_pack_kv_str(pk, "service", "broker");
        sm_pack_kv_str(pk, "op", e->op);
        sm_pack_str(pk, "ids");
        msgpack_pack_array(pk, 1);
        sm_pack_str(pk, e->key);
        sm_pack_kv_str(pk, "roles", e->roles);
        sm_pack_kv_str(pk, "outcome", e->outcome);
    }
    sm_pack_kv_bool(pk, "truncated", truncated);
}

void sm_broker_pack_claim(sm_buf_t *out, const char *service, const char *instance)
{
    sm_buf_reset(out);
    msgpack_packer *pk = &out->pk;
    msgpack_pack_map(pk, 2);
    sm_pack_kv_bool(pk, "ok", true);
    sm_pack_str(pk, "data");
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
    sm_buf_reset(out);
    msgpack_packer *pk = &out->pk;
    msgpack_pack_map(pk, 2);
    sm_pack_kv_bool(pk, "ok", true);
    sm_pack_str(pk, "data");
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
