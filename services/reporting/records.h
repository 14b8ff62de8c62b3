/*  services/reporting/records.h - small storage helpers shared by reporting's modules.

    Records are MessagePack maps (DESIGN.md §5). Keys are 8-byte big-endian
    numbers (an ID's number: R9 -> 9), or two of them side by side (16
    bytes) for a pair such as (report, version) or an index entry such as
    (theme, outcome), so that all entries of one first number lie together
    and sort by the second.
*/
#ifndef SAMEN_REPORTING_RECORDS_H
#define SAMEN_REPORTING_RECORDS_H

#include "../../common/date.h"
#include "../../common/service.h"
#include <stdbool.h>
#include <stdint.h>

/*  Encode the pair (a, b) as a 16-byte key. This function can't fail. */
void rec_key2(uint64_t a, uint64_t b, uint8_t out[16]);

/*  Store val under the pair key (a, b) in dbi. Returns 0, or -1 with the
    context's error set. */
int rec_put2(sm_ctx_t *ctx, MDB_dbi dbi, uint64_t a, uint64_t b, const void *val, size_t vlen);

/*  The second numbers of every pair key (a, *) in dbi, in order, as a
    malloc'd array in *out (caller frees; NULL when none). Returns the
    count, or -1 with the context's error set. */
long rec_list2(sm_ctx_t *ctx, MDB_dbi dbi, uint64_t a, uint64_t **out);

/*  Number of entries in the named database (0 when it cannot be read). */
size_t rec_count(sm_ctx_t *ctx, const char *db);

/*  Read a record stored under an 8-byte key and decode it. Returns 1 with
    *doc set (caller destroys), 0 when absent, -1 with the context's error
    set (a record that does not decode is an internal error). */
int rec_get_doc(sm_ctx_t *ctx, MDB_dbi dbi, uint64_t key, sm_doc_t **doc);

/*  Store the encoded map in b under an 8-byte key. Returns 0 or -1 (ctx error). */
int rec_put_buf(sm_ctx_t *ctx, MDB_dbi dbi, uint64_t key, const sm_buf_t *b);

/*  A string field of a decoded map copied into buf (size bytes), "" when
    absent, nil or not text; a longer text is cut at a UTF-8 boundary.
    Returns buf. This function can't fail. */
char *rec_str(const msgpack_object *map, const char *key, char *buf, size_t size);

/*  A malloc'd copy of a string field, or NULL when absent, nil or not text
    (or out of memory). Caller frees. */
char *rec_strdup(const msgpack_object *map, const char *key);

/*  A date field ("YYYY-MM-DD"). Returns true with *out set, false when
    absent or not a valid date. */
bool rec_date(const msgpack_object *map, const char *key, sm_date_t *out);

/*  Pack key: "YYYY-MM-DD", or nil when has is false. Can't fail. */
void rec_pack_date(msgpack_packer *pk, const char *key, bool has, sm_date_t d);

/*  Pack key: "X12" for number n with letter, or nil when n is 0. Can't fail. */
void rec_pack_id(msgpack_packer *pk, const char *key, char letter, uint64_t n);

/*  The number of an ID field ("S31" -> 31) of a decoded map, 0 when absent
    or not an ID with that letter. This function can't fail. */
uint64_t rec_id(const msgpack_object *map, const char *key, char letter);

/*  A whole number field, or dflt when absent or not a whole number. */
int64_t rec_int(const msgpack_object *map, const char *key, int64_t dflt);

/*  A boolean field, or dflt when absent or not a boolean. */
bool rec_bool(const msgpack_object *map, const char *key, bool dflt);

/*  Read the optional "date" argument: 1 with *out set, 0 absent (then
 *out = dflt), -1 with err naming "date". */
int rec_get_date_arg(const msgpack_object *args, const char *key, sm_date_t dflt, sm_date_t *out,
                     sm_err_t *err);

#endif
