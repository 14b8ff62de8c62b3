/*  services/broker/ops.c - the services the broker answers itself. */
#include "ops.h"
#include "../../proto/mdp.h"
#include "common/i18n.h"
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

int sm_broker_op_parse(const void *data, size_t size, size_t nframes, sm_err_t *err)
{
    if (nframes != 1)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "body",
                          _("the request has %zu body frames; send exactly one frame holding a "
                            "MessagePack map such as {\"op\": \"status\"}"),
                          nframes);
    sm_doc_t *doc = sm_doc_parse(data, size, err);
    if (!doc)
        return -1;
    int rc = -1;
    const msgpack_object *root = sm_doc_root(doc);
    if (root->type != MSGPACK_OBJECT_MAP) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "body",
                   _("the request body must be a MessagePack map such as {\"op\": \"status\"}"));
        goto cleanup;
    }
    const msgpack_object *op = sm_map_get(root, "op");
    if (!op || op->type != MSGPACK_OBJECT_STR) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "op",
                   _("field \"op\" is required and must be a string; ops: status"));
        goto cleanup;
    }
    if (sm_obj_streq(op, "status"))
        rc = SM_BROKER_OP_STATUS;
    else {
        char name[65];
        s_printable(op->via.str.ptr, op->via.str.size, name, sizeof name);
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "op",
                   _("unknown op \"%s\" for service broker; ops: status"), name);
    }
cleanup:
    sm_doc_destroy(&doc);
    return rc;
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
    msgpack_pack_map(pk, 16);
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
