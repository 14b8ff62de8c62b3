/*  common/json.c - MessagePack <-> JSON through json-c. */
#include "json.h"
#include "common/i18n.h"
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

static int s_pack(json_object *j, msgpack_packer *pk, const char *field, sm_err_t *err)
{
    switch (json_object_get_type(j)) {
    case json_type_null:
        msgpack_pack_nil(pk);
        return 0;
    case json_type_boolean:
        if (json_object_get_boolean(j))
            msgpack_pack_true(pk);
        else
            msgpack_pack_false(pk);
        return 0;
    case json_type_double:
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s holds a fractional number (%s); samen takes whole numbers only "
                            "(money in cents, e.g. 1500 for EUR 15.00)"),
                          field, json_object_to_json_string(j));
    case json_type_int: {
        /*  json-c clamps out-of-range integers; read the text again so that
            99999999999999999999 is refused instead of becoming INT64_MAX. */
        const char *t = json_object_to_json_string(j);
        char *end;
        errno = 0;
        long long v = strtoll(t, &end, 10);
        if (errno == ERANGE || *end)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s holds the number %s, outside the whole numbers samen takes "
                                "(-9223372036854775808 to 9223372036854775807)"),
                              field, t);
        msgpack_pack_int64(pk, v);
        return 0;
    }
    case json_type_string:
        sm_pack_strn(pk, json_object_get_string(j), (size_t)json_object_get_string_len(j));
        return 0;
    case json_type_array: {
        size_t n = json_object_array_length(j);
        msgpack_pack_array(pk, n);
        for (size_t i = 0; i < n; i++)
            if (s_pack(json_object_array_get_idx(j, i), pk, field, err))
                return -1;
        return 0;
    }
    case json_type_object: {
        msgpack_pack_map(pk, (size_t)json_object_object_length(j));
        json_object_object_foreach(j, key, val)
        {
            sm_pack_str(pk, key);
            if (s_pack(val, pk, field, err))
                return -1;
        }
        return 0;
    }
    }
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _("%s: unsupported JSON value"), field);
}

int sm_json_to_msgpack(const char *text, msgpack_packer *pk, const char *field, sm_err_t *err)
{
    /*  Two levels less than the codec accepts: the value travels inside a
        request envelope {"args": ...}. */
    json_tokener *tok = json_tokener_new_ex(SM_CODEC_MAX_DEPTH - 2);
    if (!tok)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, field, _("out of memory"));
    /*  Strict: no comments, no single quotes, nothing JSON does not allow. */
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    /*  Include the terminating NUL, so that a bare top-level number such as
        15 is known to have ended. */
    json_object *j = json_tokener_parse_ex(tok, text, (int)strlen(text) + 1);
    enum json_tokener_error je = json_tokener_get_error(tok);
    size_t used = tok->char_offset, len = strlen(text);
    json_tokener_free(tok);
    if (used > len)
        used = len; /*  the NUL itself was consumed as the end of a number */
    /*  A parsed JSON null is a NULL object: only the error code tells. */
    if (je != json_tokener_success) {
        json_object_put(j);
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is not valid JSON (%s); e.g. '{\"name\": \"Hilversum\"}'"), field,
                          json_tokener_error_desc(je));
    }
    while (text[used] == ' ' || text[used] == '\n' || text[used] == '\t' || text[used] == '\r')
        used++;
    if (text[used] != '\0') {
        json_object_put(j);
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _("%s has text after the JSON value"),
                          field);
    }
    int rc = s_pack(j, pk, field, err);
    json_object_put(j);
    return rc;
}

static json_object *s_to_json(const msgpack_object *o)
{
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        return NULL;
    case MSGPACK_OBJECT_BOOLEAN:
        return json_object_new_boolean(o->via.boolean);
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        return json_object_new_uint64(o->via.u64);
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return json_object_new_int64(o->via.i64);
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        return json_object_new_double(o->via.f64);
    case MSGPACK_OBJECT_STR:
        return json_object_new_string_len(o->via.str.ptr, (int)o->via.str.size);
    case MSGPACK_OBJECT_BIN: {
        char *hex = malloc((size_t)o->via.bin.size * 2 + 1);
        if (!hex)
            return NULL;
        for (uint32_t i = 0; i < o->via.bin.size; i++)
            snprintf(hex + 2 * i, 3, "%02x", (unsigned char)o->via.bin.ptr[i]);
        json_object *j = json_object_new_string_len(hex, (int)o->via.bin.size * 2);
        free(hex);
        return j;
    }
    case MSGPACK_OBJECT_ARRAY: {
        json_object *a = json_object_new_array_ext((int)o->via.array.size);
        for (uint32_t i = 0; i < o->via.array.size; i++)
            json_object_array_add(a, s_to_json(&o->via.array.ptr[i]));
        return a;
    }
    case MSGPACK_OBJECT_MAP: {
        json_object *m = json_object_new_object();
        for (uint32_t i = 0; i < o->via.map.size; i++) {
            const msgpack_object *k = &o->via.map.ptr[i].key;
            if (k->type != MSGPACK_OBJECT_STR)
                continue;
            char *key = strndup(k->via.str.ptr, k->via.str.size);
            if (key) {
                json_object_object_add(m, key, s_to_json(&o->via.map.ptr[i].val));
                free(key);
            }
        }
        return m;
    }
    default:
        return NULL;
    }
}

char *sm_msgpack_to_json(const msgpack_object *o, bool pretty)
{
    json_object *j = s_to_json(o);
    const char *s = json_object_to_json_string_ext(
        j, (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN) |
               JSON_C_TO_STRING_NOSLASHESCAPE);
    char *out = strdup(s ? s : "null");
    json_object_put(j);
    return out;
}
