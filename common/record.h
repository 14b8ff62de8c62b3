/*  common/record.h - what every service does with its LMDB store: records
    as MessagePack maps under IDs, merge-on-update, secondary indexes,
    paging and counting.

    A record is a MessagePack map stored under its ID's number as an 8-byte
    big-endian key, so a database lists in ID order. A change merges the
    changed fields into the stored map (sm_rec_update), never rebuilds it
    from a partial struct, so a field one code path does not know about is
    never lost.

    An index is a database whose keys are a prefix (a year, a name, a pair
    of IDs) followed by an 8-byte ID, with empty values: sm_idx_scan walks
    one prefix in ID order, sm_idx_list collects it, sm_idx_count counts
    it. A pair key (a, b) is two 8-byte numbers side by side, so that all
    entries of one first number lie together and sort by the second.

    Everything here runs inside the handler's transaction (service.h):
    functions return 0 (or a count) on success and -1 with the context's
    error set, unless they say they can't fail.
*/
#ifndef SAMEN_RECORD_H
#define SAMEN_RECORD_H

#include "common/date.h"
#include "common/service.h"
#include <stdbool.h>
#include <stdint.h>

/*  Longest index prefix, in bytes: room for a text of 100 characters of
    UTF-8 and its NUL, well inside LMDB's 511-byte keys with the 8-byte ID. */
#define SM_IDX_PREFIX_MAX 401

/* ---- records ---------------------------------------------------------- */

/*  Read the record under id in db. Returns 1 found with *doc set (caller
    destroys), 0 not found, -1 on a store error or a damaged record. */
int sm_rec_get(sm_ctx_t *ctx, const char *db, uint64_t id, sm_doc_t **doc);

/*  Read the record under id, refusing an absent one with not_found naming
    field: "no <what> X12; see <see_also>"; what is marked N_() by the
    caller and translated here. Returns 0 with *doc set, or -1. */
int sm_rec_require(sm_ctx_t *ctx, const char *db, char letter, uint64_t id, const char *field,
                   const char *what, const char *see_also, sm_doc_t **doc);

/*  The same for a record under a key of its own (klen bytes, at most 511:
    a pair key, sm_key_pair). Returns 1 found with *doc set (caller
    destroys), 0 not found, -1 on a store error or a damaged record. */
int sm_rec_get_key(sm_ctx_t *ctx, const char *db, const void *key, size_t klen, sm_doc_t **doc);

/*  Store the encoded map b under key (klen bytes). */
int sm_rec_put_key(sm_ctx_t *ctx, const char *db, const void *key, size_t klen, const sm_buf_t *b);

/*  Store the encoded map b under id. */
int sm_rec_put(sm_ctx_t *ctx, const char *db, uint64_t id, const sm_buf_t *b);

/*  Delete the record under id (absent is fine). */
int sm_rec_del(sm_ctx_t *ctx, const char *db, uint64_t id);

/*  Pack the map old with the pairs of upd added, a key in both taking
    upd's value; keys keep their place, new keys go at the end. A non-map
    old counts as empty. Can't fail. */
void sm_rec_merge(msgpack_packer *pk, const msgpack_object *old, const msgpack_object *upd);

/*  Merge the encoded map upd into old and store the result under id. When
    merged is not NULL (initialised by the caller) the new record's bytes
    are left in it. */
int sm_rec_update(sm_ctx_t *ctx, const char *db, uint64_t id, const msgpack_object *old,
                  const sm_buf_t *upd, sm_buf_t *merged);

/*  Entries in db. Can't fail (0 when it cannot be read). */
uint64_t sm_rec_count(sm_ctx_t *ctx, const char *db);

/* ---- indexes ---------------------------------------------------------- */

/*  Add / remove the index entry prefix + id (plen <= SM_IDX_PREFIX_MAX). */
int sm_idx_put(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t id);
int sm_idx_del(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t id);

/*  Visit an ID. Return 0 to go on, 1 to stop, -1 on error (ctx error set). */
typedef int(sm_rec_visit_fn)(sm_ctx_t *ctx, uint64_t id, void *arg);

/*  Visit the IDs of db (a database of records) above after, in order.
    Returns 0, or -1 when a visit failed. */
int sm_rec_scan(sm_ctx_t *ctx, const char *db, uint64_t after, sm_rec_visit_fn *visit,
                void *arg);

/*  Visit the IDs indexed under prefix in db, above after, in order.
    Returns 0, or -1 when a visit failed. */
int sm_idx_scan(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t after,
                sm_rec_visit_fn *visit, void *arg);

/*  The IDs indexed under prefix, in order, as a malloc'd array in *out
    (caller frees; NULL when none). Returns the count, or -1. */
long sm_idx_list(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t **out);

/*  The first ID indexed under prefix (a unique index: a name to its ID), 0
    when none. Returns 0 or -1. */
int sm_idx_first(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t *id);

/*  Entries under prefix. Can't fail (0 when it cannot be read). */
uint64_t sm_idx_count(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen);

/*  The pair (a, b) as a 16-byte key, and as an index prefix of 8 bytes
    (just a). Can't fail. */
void sm_key_pair(uint64_t a, uint64_t b, uint8_t out[16]);

/* ---- fields of a stored record ----------------------------------------- */
/*  Records are written by their service, so an absent field means its
    default. None of these can fail. */

int64_t sm_rec_int(const msgpack_object *rec, const char *key, int64_t dflt);
bool sm_rec_bool(const msgpack_object *rec, const char *key, bool dflt);
/*  A text field copied into buf ("" when absent or not text; a longer text
    is cut at a UTF-8 boundary). Returns buf. */
char *sm_rec_str(const msgpack_object *rec, const char *key, char *buf, size_t size);
/*  A malloc'd copy of a text field, or NULL when absent (or out of memory). */
char *sm_rec_strdup(const msgpack_object *rec, const char *key);
/*  A date field ("YYYY-MM-DD"): true with *out set, false when absent. */
bool sm_rec_date(const msgpack_object *rec, const char *key, sm_date_t *out);
/*  An ID field's number ("S31" -> 31), 0 when absent or of another letter. */
uint64_t sm_rec_id(const msgpack_object *rec, const char *key, char letter);
/*  Pack key: "YYYY-MM-DD", or nil when has is false. */
void sm_rec_pack_date(msgpack_packer *pk, const char *key, bool has, sm_date_t d);
/*  Pack key: "X12", or nil when n is 0. */
void sm_rec_pack_id(msgpack_packer *pk, const char *key, char letter, uint64_t n);

#endif
