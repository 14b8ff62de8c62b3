/*  common/codec.c - MessagePack in and out, safe on untrusted input. */
#include "codec.h"
#include "common/i18n.h"
#include "text.h"
#include <stdlib.h>
#include <string.h>

/* ==== The pre-decoder: lengths and depth before any allocation ========== */

static uint64_t s_be(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

/*  Walk one object at data[*pos..size), recursively to at most depth levels.
    Checks every announced length against the bytes that remain. Returns 0
    or -1 with err. *objects counts objects seen so far. */
static int s_walk(const uint8_t *data, size_t size, size_t *pos, int depth, size_t *objects,
                  sm_str_visit_fn *visit, void *arg, sm_err_t *err)
{
    if (depth > SM_CODEC_MAX_DEPTH)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "body",
                          _("MessagePack nesting is deeper than %d levels"), SM_CODEC_MAX_DEPTH);
    if (++*objects > SM_CODEC_MAX_OBJECTS)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "body",
                          _("MessagePack document has more than %d objects"), SM_CODEC_MAX_OBJECTS);
    if (*pos >= size)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "body", _("MessagePack data ends too early"));
    uint8_t t = data[(*pos)++];
    size_t left = size - *pos;
    uint64_t n = 0;    /*  payload bytes to skip */
    uint64_t kids = 0; /*  child objects to walk */
    int hdr = 0;       /*  length bytes after the type byte */

    if (t <= 0x7f || t >= 0xe0 || t == 0xc0 || t == 0xc2 || t == 0xc3)
        return 0;
    if (t >= 0x80 && t <= 0x8f)
        kids = 2u * (t & 0x0f);
    else if (t >= 0x90 && t <= 0x9f)
        kids = t & 0x0f;
    else if (t >= 0xa0 && t <= 0xbf)
        n = t & 0x1f;
    else
        switch (t) {
        case 0xc4:
        case 0xd9:
            hdr = 1;
            break; /*  bin8, str8 */
        case 0xc5:
        case 0xda:
            hdr = 2;
            break; /*  bin16, str16 */
        case 0xc6:
        case 0xdb:
            hdr = 4;
            break; /*  bin32, str32 */
        case 0xc7:
            hdr = 1;
            n = 1;
            break; /*  ext8: len + type */
        case 0xc8:
            hdr = 2;
            n = 1;
            break;
        case 0xc9:
            hdr = 4;
            n = 1;
            break;
        case 0xca:
            n = 4;
            break; /*  float32 */
        case 0xcb:
            n = 8;
            break; /*  float64 */
        case 0xcc:
        case 0xd0:
            n = 1;
            break;
        case 0xcd:
        case 0xd1:
            n = 2;
            break;
        case 0xce:
        case 0xd2:
            n = 4;
            break;
        case 0xcf:
        case 0xd3:
            n = 8;
            break;
        case 0xd4:
            n = 2;
            break; /*  fixext1 + type */
        case 0xd5:
            n = 3;
            break;
        case 0xd6:
            n = 5;
            break;
        case 0xd7:
            n = 9;
            break;
        case 0xd8:
            n = 17;
            break;
        case 0xdc:
            hdr = 2;
            kids = 1;
            break; /*  array16 */
        case 0xdd:
            hdr = 4;
            kids = 1;
            break; /*  array32 */
        case 0xde:
            hdr = 2;
            kids = 2;
            break; /*  map16 */
        case 0xdf:
            hdr = 4;
            kids = 2;
            break; /*  map32 */
        default:
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "body",
                              _("byte 0x%02x at offset %zu is not a MessagePack type"), t,
                              *pos - 1);
        }
    if (hdr) {
        if (left < (size_t)hdr)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "body",
                              _("MessagePack data ends inside a length"));
        uint64_t len = s_be(data + *pos, hdr);
        *pos += (size_t)hdr;
        left -= (size_t)hdr;
        if (t >= 0xdc && t <= 0xdf)
            kids *= len; /*  array or map count */
        else
            n += len; /*  payload length (plus ext type byte) */
    }
    if (n > left)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "body",
                          _("MessagePack announces %llu bytes but only %zu remain"),
                          (unsigned long long)n, left);
    if (visit && ((t >= 0xa0 && t <= 0xbf) || t == 0xd9 || t == 0xda || t == 0xdb))
        visit((const char *)data + *pos, (size_t)n, arg);
    *pos += (size_t)n;
    /*  Every child takes at least one byte: a count beyond the bytes left
        is a lie, refused before anything is allocated for it. */
    if (kids > size - *pos)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "body",
                          _("MessagePack announces %llu elements but only %zu bytes remain"),
                          (unsigned long long)kids, size - *pos);
    for (uint64_t i = 0; i < kids; i++)
        if (s_walk(data, size, pos, depth + 1, objects, visit, arg, err) != 0)
            return -1;
    return 0;
}

/*  sm_msgpack_check with a visitor for every string. */
static int s_check(const void *data, size_t size, sm_str_visit_fn *visit, void *arg, sm_err_t *err)
{
    size_t pos = 0, objects = 0;
    if (!data || size == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "body", _("the body is empty"));
    if (s_walk(data, size, &pos, 1, &objects, visit, arg, err) != 0)
        return -1;
    if (pos != size)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "body",
                          _("%zu bytes follow the MessagePack object; send exactly one"),
                          size - pos);
    return 0;
}

int sm_msgpack_check(const void *data, size_t size, sm_err_t *err)
{
    return s_check(data, size, NULL, NULL, err);
}

int sm_msgpack_each_str(const void *data, size_t size, sm_str_visit_fn *visit, void *arg)
{
    return s_check(data, size, visit, arg, NULL);
}

/* ==== Documents ========================================================= */

/*  msgpack-c leaves ptr NULL for an empty string, binary or extension met
    before any other multi-byte item: memcpy/memcmp/strndup with a NULL
    pointer are undefined even for 0 bytes (UBSan aborts on `{"": 1}`).
    Point every empty payload at a static empty string instead, so that no
    reader of a document has to care. Depth is bounded by the pre-check. */
static void s_no_null_ptrs(msgpack_object *o)
{
    switch (o->type) {
    case MSGPACK_OBJECT_STR:
        if (!o->via.str.ptr)
            o->via.str.ptr = "";
        break;
    case MSGPACK_OBJECT_BIN:
        if (!o->via.bin.ptr)
            o->via.bin.ptr = "";
        break;
    case MSGPACK_OBJECT_EXT:
        if (!o->via.ext.ptr)
            o->via.ext.ptr = "";
        break;
    case MSGPACK_OBJECT_ARRAY:
        for (uint32_t i = 0; i < o->via.array.size; i++)
            s_no_null_ptrs(&o->via.array.ptr[i]);
        break;
    case MSGPACK_OBJECT_MAP:
        for (uint32_t i = 0; i < o->via.map.size; i++) {
            s_no_null_ptrs(&o->via.map.ptr[i].key);
            s_no_null_ptrs(&o->via.map.ptr[i].val);
        }
        break;
    default:
        break;
    }
}

struct _sm_doc_t {
    msgpack_unpacked unpacked; /*  sm_doc_parse's: owns its zone */
    char *bytes;               /*  sm_doc_parse's copy: msgpack-c's objects may point into it */
    msgpack_zone *zone;        /*  sm_doc_decode's, kept between decodes */
    msgpack_object root;
};

sm_doc_t *sm_doc_parse(const void *data, size_t size, sm_err_t *err)
{
    if (sm_msgpack_check(data, size, err) != 0)
        return NULL;
    sm_doc_t *self = calloc(1, sizeof *self);
    if (!self || !(self->bytes = malloc(size))) {
        free(self);
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, "body", _("out of memory decoding the body"));
        return NULL;
    }
    memcpy(self->bytes, data, size);
    msgpack_unpacked_init(&self->unpacked);
    size_t off = 0;
    msgpack_unpack_return rc = msgpack_unpack_next(&self->unpacked, self->bytes, size, &off);
    if (rc != MSGPACK_UNPACK_SUCCESS || off != size) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "body", _("the body is not valid MessagePack"));
        sm_doc_destroy(&self);
        return NULL;
    }
    s_no_null_ptrs(&self->unpacked.data);
    self->root = self->unpacked.data;
    return self;
}

sm_doc_t *sm_doc_new(void)
{
    sm_doc_t *self = calloc(1, sizeof *self);
    if (self)
        msgpack_unpacked_init(&self->unpacked);
    return self;
}

int sm_doc_decode(sm_doc_t *self, const void *data, size_t size, sm_err_t *err)
{
    memset(&self->root, 0, sizeof self->root); /*  nil until decoded */
    if (sm_msgpack_check(data, size, err) != 0)
        return -1;
    if (self->zone)
        msgpack_zone_clear(self->zone); /*  keeps its first chunk */
    else if (!(self->zone = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE)))
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, "body",
                          _("out of memory decoding the body"));
    size_t off = 0;
    msgpack_object root;
    msgpack_unpack_return rc = msgpack_unpack(data, size, &off, self->zone, &root);
    if (rc != MSGPACK_UNPACK_SUCCESS || off != size)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "body",
                          _("the body is not valid MessagePack"));
    s_no_null_ptrs(&root);
    self->root = root;
    return 0;
}

void sm_doc_destroy(sm_doc_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    msgpack_unpacked_destroy(&(*self_p)->unpacked);
    if ((*self_p)->zone)
        msgpack_zone_free((*self_p)->zone);
    free((*self_p)->bytes);
    free(*self_p);
    *self_p = NULL;
}

const msgpack_object *sm_doc_root(const sm_doc_t *self)
{
    return &self->root;
}

/* ==== Typed getters ===================================================== */

bool sm_obj_streq(const msgpack_object *o, const char *s)
{
    size_t n = strlen(s);
    return o && o->type == MSGPACK_OBJECT_STR && o->via.str.size == n &&
           memcmp(o->via.str.ptr, s, n) == 0;
}

const msgpack_object *sm_map_get(const msgpack_object *map, const char *key)
{
    if (!map || map->type != MSGPACK_OBJECT_MAP)
        return NULL;
    for (uint32_t i = 0; i < map->via.map.size; i++)
        if (sm_obj_streq(&map->via.map.ptr[i].key, key))
            return &map->via.map.ptr[i].val;
    return NULL;
}

static const char *s_type_name(const msgpack_object *o)
{
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        return "nil";
    case MSGPACK_OBJECT_BOOLEAN:
        return _("a boolean");
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return _("a number");
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        return _("a fractional number");
    case MSGPACK_OBJECT_STR:
        return _("text");
    case MSGPACK_OBJECT_ARRAY:
        return _("a list");
    case MSGPACK_OBJECT_MAP:
        return _("a map");
    case MSGPACK_OBJECT_BIN:
        return _("binary data");
    default:
        return _("an extension value");
    }
}

/*  Shared prologue: 0 absent-optional, -1 absent-required, 1 present. */
static int s_lookup(const msgpack_object *map, const char *key, bool required,
                    const msgpack_object **out, sm_err_t *err)
{
    const msgpack_object *o = sm_map_get(map, key);
    if (!o || o->type == MSGPACK_OBJECT_NIL) {
        if (required)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, key, _("field \"%s\" is required"), key);
        return 0;
    }
    *out = o;
    return 1;
}

static int s_check_text(const msgpack_object *o, const char *key, size_t max, bool allow_empty,
                        sm_err_t *err)
{
    if (o->type != MSGPACK_OBJECT_STR)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key, _("field \"%s\" must be text, got %s"),
                          key, s_type_name(o));
    if (!allow_empty && o->via.str.size == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key, _("field \"%s\" must not be empty"),
                          key);
    if (o->via.str.size > max)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          _("field \"%s\" is %u bytes long; at most %zu are accepted"), key,
                          o->via.str.size, max);
    if (!sm_utf8_valid(o->via.str.ptr, o->via.str.size))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          _("field \"%s\" is not valid UTF-8 text (or contains a NUL byte)"), key);
    return 0;
}

int sm_get_str(const msgpack_object *map, const char *key, bool required, char *buf, size_t size,
               bool allow_empty, sm_err_t *err)
{
    const msgpack_object *o = NULL;
    int rc = s_lookup(map, key, required, &o, err);
    if (rc <= 0)
        return rc;
    if (s_check_text(o, key, size - 1, allow_empty, err) != 0)
        return -1;
    memcpy(buf, o->via.str.ptr, o->via.str.size);
    buf[o->via.str.size] = '\0';
    return 1;
}

int sm_get_text(const msgpack_object *map, const char *key, bool required, size_t max_bytes,
                char **out, sm_err_t *err)
{
    const msgpack_object *o = NULL;
    int rc = s_lookup(map, key, required, &o, err);
    if (rc <= 0)
        return rc;
    if (s_check_text(o, key, max_bytes, false, err) != 0)
        return -1;
    *out = strndup(o->via.str.ptr, o->via.str.size);
    if (!*out)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, key, _("out of memory"));
    return 1;
}

int sm_get_int(const msgpack_object *map, const char *key, bool required, int64_t min, int64_t max,
               int64_t *out, sm_err_t *err)
{
    const msgpack_object *o = NULL;
    int rc = s_lookup(map, key, required, &o, err);
    if (rc <= 0)
        return rc;
    bool ok = false;
    int64_t v = 0;
    if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.u64 <= (uint64_t)INT64_MAX) {
        v = (int64_t)o->via.u64;
        ok = true;
    } else if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
        v = o->via.i64;
        ok = true;
    }
    if (!ok || v < min || v > max) {
        if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                              _("field \"%s\" must be a whole number from %lld to %lld, got %llu"),
                              key, (long long)min, (long long)max, (unsigned long long)o->via.u64);
        if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                              _("field \"%s\" must be a whole number from %lld to %lld, got %lld"),
                              key, (long long)min, (long long)max, (long long)o->via.i64);
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          _("field \"%s\" must be a whole number from %lld to %lld, got %s"), key,
                          (long long)min, (long long)max, s_type_name(o));
    }
    *out = v;
    return 1;
}

int sm_get_uint(const msgpack_object *map, const char *key, bool required, uint64_t max,
                uint64_t *out, sm_err_t *err)
{
    const msgpack_object *o = NULL;
    int rc = s_lookup(map, key, required, &o, err);
    if (rc <= 0)
        return rc;
    if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          _("field \"%s\" must be a whole number from 0 to %llu, got %lld"), key,
                          (unsigned long long)max, (long long)o->via.i64);
    if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER || o->via.u64 > max)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          _("field \"%s\" must be a whole number from 0 to %llu, got %s"), key,
                          (unsigned long long)max,
                          o->type == MSGPACK_OBJECT_POSITIVE_INTEGER ? _("a larger number")
                                                                     : s_type_name(o));
    *out = o->via.u64;
    return 1;
}

int sm_get_bool(const msgpack_object *map, const char *key, bool required, bool *out, sm_err_t *err)
{
    const msgpack_object *o = NULL;
    int rc = s_lookup(map, key, required, &o, err);
    if (rc <= 0)
        return rc;
    if (o->type != MSGPACK_OBJECT_BOOLEAN)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          _("field \"%s\" must be true or false, got %s"), key, s_type_name(o));
    *out = o->via.boolean;
    return 1;
}

int sm_get_str_array(const msgpack_object *map, const char *key, bool required, char *items,
                     size_t item_size, size_t max_items, size_t *count, sm_err_t *err)
{
    const msgpack_object *o = NULL;
    *count = 0;
    int rc = s_lookup(map, key, required, &o, err);
    if (rc <= 0)
        return rc;
    if (o->type != MSGPACK_OBJECT_ARRAY)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          _("field \"%s\" must be a list of text, got %s"), key, s_type_name(o));
    if (o->via.array.size > max_items)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          _("field \"%s\" has %u items; at most %zu are accepted"), key,
                          o->via.array.size, max_items);
    for (uint32_t i = 0; i < o->via.array.size; i++) {
        const msgpack_object *it = &o->via.array.ptr[i];
        if (s_check_text(it, key, item_size - 1, false, err) != 0)
            return -1;
        memcpy(items + i * item_size, it->via.str.ptr, it->via.str.size);
        items[i * item_size + it->via.str.size] = '\0';
    }
    *count = o->via.array.size;
    return 1;
}

static int s_get_typed(const msgpack_object *map, const char *key, bool required,
                       msgpack_object_type type, const char *what, const msgpack_object **out,
                       sm_err_t *err)
{
    const msgpack_object *o = NULL;
    int rc = s_lookup(map, key, required, &o, err);
    if (rc <= 0)
        return rc;
    if (o->type != type)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key, _("field \"%s\" must be %s, got %s"),
                          key, what, s_type_name(o));
    *out = o;
    return 1;
}

int sm_get_map(const msgpack_object *map, const char *key, bool required,
               const msgpack_object **out, sm_err_t *err)
{
    return s_get_typed(map, key, required, MSGPACK_OBJECT_MAP, "a map", out, err);
}

int sm_get_array(const msgpack_object *map, const char *key, bool required,
                 const msgpack_object **out, sm_err_t *err)
{
    return s_get_typed(map, key, required, MSGPACK_OBJECT_ARRAY, "a list", out, err);
}

int sm_check_keys(const msgpack_object *map, const char *const *allowed, sm_err_t *err)
{
    if (!map || map->type != MSGPACK_OBJECT_MAP)
        return 0;
    for (uint32_t i = 0; i < map->via.map.size; i++) {
        const msgpack_object *k = &map->via.map.ptr[i].key;
        bool known = false;
        for (int j = 0; allowed[j] && !known; j++)
            known = sm_obj_streq(k, allowed[j]);
        if (!known) {
            char list[256] = "";
            size_t o = 0;
            for (int j = 0; allowed[j] && o < sizeof list - 40; j++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", j ? ", " : "", allowed[j]);
            char name[64] = "?";
            if (k->type == MSGPACK_OBJECT_STR) {
                size_t n = k->via.str.size < 60 ? k->via.str.size : 60;
                memcpy(name, k->via.str.ptr, n);
                name[n] = '\0';
                if (!sm_utf8_valid(name, n))
                    snprintf(name, sizeof name, "?");
            }
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, name,
                              _("unknown field \"%s\"; accepted fields: %s"), name, list);
        }
    }
    return 0;
}

/* ==== Encoding ========================================================== */

void sm_buf_init(sm_buf_t *b)
{
    msgpack_sbuffer_init(&b->sbuf);
    msgpack_packer_init(&b->pk, &b->sbuf, msgpack_sbuffer_write);
}

void sm_buf_reset(sm_buf_t *b)
{
    b->sbuf.size = 0;
}

void sm_buf_free(sm_buf_t *b)
{
    msgpack_sbuffer_destroy(&b->sbuf);
    b->sbuf.data = NULL;
    b->sbuf.size = b->sbuf.alloc = 0;
}

void sm_buf_move(sm_buf_t *dst, sm_buf_t *src)
{
    dst->sbuf = src->sbuf;
    msgpack_packer_init(&dst->pk, &dst->sbuf, msgpack_sbuffer_write);
    src->sbuf.data = NULL;
    src->sbuf.size = src->sbuf.alloc = 0;
}

void sm_pack_strn(msgpack_packer *pk, const char *s, size_t n)
{
    msgpack_pack_str(pk, n);
    msgpack_pack_str_body(pk, s, n);
}

void sm_pack_str(msgpack_packer *pk, const char *s)
{
    if (!s) {
        msgpack_pack_nil(pk);
        return;
    }
    sm_pack_strn(pk, s, strlen(s));
}

void sm_pack_kv_str(msgpack_packer *pk, const char *key, const char *val)
{
    sm_pack_str(pk, key);
    sm_pack_str(pk, val);
}

void sm_pack_kv_int(msgpack_packer *pk, const char *key, int64_t val)
{
    sm_pack_str(pk, key);
    msgpack_pack_int64(pk, val);
}

void sm_pack_kv_uint(msgpack_packer *pk, const char *key, uint64_t val)
{
    sm_pack_str(pk, key);
    msgpack_pack_uint64(pk, val);
}

void sm_pack_kv_bool(msgpack_packer *pk, const char *key, bool val)
{
    sm_pack_str(pk, key);
    if (val)
        msgpack_pack_true(pk);
    else
        msgpack_pack_false(pk);
}

void sm_pack_kv_nil(msgpack_packer *pk, const char *key)
{
    sm_pack_str(pk, key);
    msgpack_pack_nil(pk);
}

void sm_pack_raw(msgpack_packer *pk, const void *data, size_t size)
{
    /*  The packer's callback appends bytes as-is: exactly what an already
        encoded object needs. */
    pk->callback(pk->data, data, size);
}

void sm_pack_obj(msgpack_packer *pk, const msgpack_object *o)
{
    msgpack_pack_object(pk, *o);
}
