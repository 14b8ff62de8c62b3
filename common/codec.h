/*  common/codec.h - MessagePack in and out, safe on untrusted input.

    Decoding: sm_doc_parse() first walks the bytes and checks that every
    announced array, map, string and binary length fits in the bytes that
    remain, and that nesting is at most SM_CODEC_MAX_DEPTH, before msgpack-c
    allocates anything (msgpack-c 4.0 would otherwise believe a 5-byte
    `dd ff ff ff ff` that announces four billion elements). Exactly one
    object must fill the buffer; trailing bytes are refused.

    Reading: typed getters over a map (sm_get_*) return 1 when the key is
    present and valid, 0 when it is absent (optional fields), -1 with err
    naming the field when it is present but wrong ("field \"capacity\" must
    be a whole number from 1 to 10000, got -3"). Strings are checked to be
    valid UTF-8 without NUL bytes and within the given maximum length in
    bytes.

    Writing: a sm_buf_t holds a msgpack_packer over a growable buffer;
    helpers pack key/value pairs in one call.
*/
#ifndef SAMEN_CODEC_H
#define SAMEN_CODEC_H

#include "err.h"
#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SM_CODEC_MAX_DEPTH 16
/*  At most this many objects in one document (bounds decoded memory to a
    few MB whatever the frame size). */
#define SM_CODEC_MAX_OBJECTS 262144

/* ==== Decoding ========================================================== */

typedef struct _sm_doc_t sm_doc_t;

/*  Validate and decode data[0..size). Returns the document, or NULL with err
    (code invalid_argument, field "body") when the bytes are not exactly one
    well-formed MessagePack object within the limits. */
sm_doc_t *sm_doc_parse(const void *data, size_t size, sm_err_t *err);

/*  An empty document for sm_doc_decode, to be reused for one decode after
    another (a request slot of the service loop). Its root is nil until a
    decode succeeds. Returns NULL when out of memory. */
sm_doc_t *sm_doc_new(void);

/*  Validate and decode data[0..size) into self (from sm_doc_new), with the
    checks of sm_doc_parse, reusing self's memory and without copying the
    bytes: the decoded strings point into data, which the caller keeps
    unchanged until self is decoded again or destroyed. What self held
    before is gone. Returns 0, or -1 with err as sm_doc_parse (root nil). */
int sm_doc_decode(sm_doc_t *self, const void *data, size_t size, sm_err_t *err);

/*  Destroy; sets *self_p to NULL; safe to call twice. */
void sm_doc_destroy(sm_doc_t **self_p);

/*  The root object; valid until the document is destroyed. */
const msgpack_object *sm_doc_root(const sm_doc_t *self);

/*  Check only (no allocation): 0 when data holds exactly one object within
    the limits, else -1 with err. */
int sm_msgpack_check(const void *data, size_t size, sm_err_t *err);

/*  Call visit(text, length, arg) for every string in data (map keys
    included), in order, without decoding (nothing is allocated). text is
    not NUL-terminated. Returns 0, or -1 when data is not exactly one object
    within the limits of sm_msgpack_check (strings before the fault were
    visited). */
typedef void sm_str_visit_fn(const char *text, size_t len, void *arg);
int sm_msgpack_each_str(const void *data, size_t size, sm_str_visit_fn *visit, void *arg);

/*  The value for key in map, or NULL when map is not a map or lacks key. */
const msgpack_object *sm_map_get(const msgpack_object *map, const char *key);

/*  True when o is a string equal to s. */
bool sm_obj_streq(const msgpack_object *o, const char *s);

/*  Typed getters: 1 present and valid, 0 absent (or nil), -1 invalid (err set).
    A required field that is absent also gives -1 ("field \"name\" is required").

    sm_get_str copies into buf (size bytes, NUL-terminated); the text must be
    1..size-1 bytes unless allow_empty. sm_get_text returns a malloc'd copy
    (caller frees) of at most max_bytes. */
int sm_get_str(const msgpack_object *map, const char *key, bool required, char *buf, size_t size,
               bool allow_empty, sm_err_t *err);
int sm_get_text(const msgpack_object *map, const char *key, bool required, size_t max_bytes,
                char **out, sm_err_t *err);
int sm_get_int(const msgpack_object *map, const char *key, bool required, int64_t min,
               int64_t max, int64_t *out, sm_err_t *err);
int sm_get_uint(const msgpack_object *map, const char *key, bool required, uint64_t max,
                uint64_t *out, sm_err_t *err);
int sm_get_bool(const msgpack_object *map, const char *key, bool required, bool *out,
                sm_err_t *err);
/*  An array of strings: each 1..item_size-1 bytes, at most max_items.
    items is caller-provided: max_items rows of item_size bytes. */
int sm_get_str_array(const msgpack_object *map, const char *key, bool required, char *items,
                     size_t item_size, size_t max_items, size_t *count, sm_err_t *err);
/*  A nested map or array: *out points into the document. */
int sm_get_map(const msgpack_object *map, const char *key, bool required,
               const msgpack_object **out, sm_err_t *err);
int sm_get_array(const msgpack_object *map, const char *key, bool required,
                 const msgpack_object **out, sm_err_t *err);

/*  Refuse keys of map not listed in allowed (NULL-terminated): -1 with err
    naming the first unknown key and listing the accepted ones, else 0. */
int sm_check_keys(const msgpack_object *map, const char *const *allowed, sm_err_t *err);

/* ==== Encoding ========================================================== */

typedef struct {
    msgpack_sbuffer sbuf;
    msgpack_packer pk;
} sm_buf_t;

/*  Initialise / reset / free an encoding buffer. */
void sm_buf_init(sm_buf_t *b);
void sm_buf_reset(sm_buf_t *b);
void sm_buf_free(sm_buf_t *b);
/*  Hand src's bytes to dst (whose own are not freed: dst must be empty or
    freed), leaving src empty. The packer is set up again for its new place,
    which a plain struct copy would not do. Can't fail. */
void sm_buf_move(sm_buf_t *dst, sm_buf_t *src);

/*  Pack helpers (all on a packer; never fail: msgpack-c aborts on OOM). */
void sm_pack_str(msgpack_packer *pk, const char *s);
void sm_pack_strn(msgpack_packer *pk, const char *s, size_t n);
void sm_pack_kv_str(msgpack_packer *pk, const char *key, const char *val); /* NULL -> nil */
void sm_pack_kv_int(msgpack_packer *pk, const char *key, int64_t val);
void sm_pack_kv_uint(msgpack_packer *pk, const char *key, uint64_t val);
void sm_pack_kv_bool(msgpack_packer *pk, const char *key, bool val);
void sm_pack_kv_nil(msgpack_packer *pk, const char *key);
/*  Pack an already-encoded object (raw bytes of one MessagePack object). */
void sm_pack_raw(msgpack_packer *pk, const void *data, size_t size);
/*  Pack a decoded object (deep copy). */
void sm_pack_obj(msgpack_packer *pk, const msgpack_object *o);

#endif
