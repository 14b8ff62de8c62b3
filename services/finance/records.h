/*  services/finance/records.h - finance's stored records and indexes.

    Every finance entity (entitlement, budget line, expense, allocation,
    grant pool, grant application) is a MessagePack map stored under its
    number as an 8-byte big-endian key, so that a database lists in ID
    order. A change is made by merging the changed fields into the stored
    map (rec_merge), never by rebuilding it from a partial struct, so that
    a field one code path does not know about is never lost.

    Secondary indexes are separate databases whose keys are a prefix (a
    year, a line number, a session and participant pair) followed by the
    8-byte ID, with empty values; idx_scan walks one prefix in ID order.
*/
#ifndef SAMEN_FINANCE_RECORDS_H
#define SAMEN_FINANCE_RECORDS_H

#include "../../common/service.h"
#include <stdbool.h>
#include <stdint.h>

/*  Longest index prefix, in bytes. */
#define IDX_PREFIX_MAX 32

/*  Read the record under id in db. Returns 1 found with *doc set (caller
    destroys), 0 not found, -1 on a store error or a damaged record (ctx
    error set). */
int rec_get(sm_ctx_t *ctx, const char *db, uint64_t id, sm_doc_t **doc);

/*  Read the ID in args[key] (letter, e.g. 'E') and its record; refuses an
    absent ID with not_found naming key and pointing at see_also (e.g.
    "reimburse list"). Returns 0 with *id and *doc set, or -1 (ctx error set). */
int rec_require(sm_ctx_t *ctx, const msgpack_object *args, const char *key, char letter,
                const char *db, const char *what, const char *see_also, uint64_t *id,
                sm_doc_t **doc);

/*  Store the encoded map b under id. Returns 0 or -1 (ctx error set). */
int rec_put(sm_ctx_t *ctx, const char *db, uint64_t id, const sm_buf_t *b);

/*  Pack the map old with the pairs of upd added, a key in both taking
    upd's value. Both must be maps (a non-map old counts as empty). This
    function can't fail. */
void rec_merge(msgpack_packer *pk, const msgpack_object *old, const msgpack_object *upd);

/*  Merge the encoded map upd into old and store the result under id.
    Returns 0 or -1 (ctx error set). When merged is not NULL the new
    record's bytes are left in it (caller initialised it). */
int rec_update(sm_ctx_t *ctx, const char *db, uint64_t id, const msgpack_object *old,
               const sm_buf_t *upd, sm_buf_t *merged);

/*  Add / remove the index entry prefix + id. Return 0 or -1 (ctx error set). */
int idx_put(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t id);
int idx_del(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t id);

/*  Visit an ID. Return 0 to go on, 1 to stop, -1 on error (ctx error set). */
typedef int(rec_visit_fn)(sm_ctx_t *ctx, uint64_t id, void *arg);

/*  Visit the IDs of db (a primary database keyed by ID) above after, in
    order. Returns 0, or -1 when a visit failed. */
int rec_scan(sm_ctx_t *ctx, const char *db, uint64_t after, rec_visit_fn *visit, void *arg);

/*  Visit the IDs indexed under prefix in db, above after, in order.
    Returns 0, or -1 when a visit failed. */
int idx_scan(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t after,
             rec_visit_fn *visit, void *arg);

/*  Number of entries in db (for service.info counts). Can't fail (0 on error). */
uint64_t rec_count(sm_ctx_t *ctx, const char *db);

/*  Helpers to read a stored field (records are written by this service, so
    an absent field means its zero value). */
int64_t rec_int(const msgpack_object *rec, const char *key);
/*  Copy a stored text into buf ("" when absent). Returns buf. */
char *rec_str(const msgpack_object *rec, const char *key, char *buf, size_t size);
bool rec_bool(const msgpack_object *rec, const char *key);

#endif
