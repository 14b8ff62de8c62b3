/*  common/municipalities.h - a follower's copy of finance's municipality list.

    finance owns municipalities; intake (to check a participant's
    municipality), scheduling and reporting (reach per municipality) keep a
    copy built from finance.municipality.added / .counted events, in their
    own `municipalities` database (key: code; value: {code, name,
    inhabitants, as_of} with the latest count), and an index of their names
    in `municipality_names` (the name with ASCII letters lower-cased ->
    code), kept in the same transaction, so that finding one by name is one
    lookup however many there are. Add "municipalities" and
    "municipality_names" to the service's dbs, {"finance",
    "finance.municipality.", on_finance_municipality} to its follows, and
    call sm_muni_index_build from the migration of a store written before
    the index existed.
*/
#ifndef SAMEN_MUNICIPALITIES_H
#define SAMEN_MUNICIPALITIES_H

#include "service.h"

typedef struct {
    char code[8];
    char name[64];
    int64_t inhabitants;
    char as_of[11];
} sm_muni_t;

/*  Event handler for finance.municipality.* (see sm_follow_t). */
int on_finance_municipality(sm_ctx_t *ctx, const char *type, uint64_t seq,
                            const msgpack_object *data);

/*  Find a known municipality by code ("GM0402") or name (case-insensitive).
    Returns 1 found, 0 not found (ctx error untouched), -1 store error. */
int sm_muni_find(sm_ctx_t *ctx, const char *code_or_name, sm_muni_t *out);

/*  The key of name in a name index: its bytes with ASCII letters
    lower-cased, so that names differing only in ASCII case (what
    strcasecmp in the C locale ignores) share one key; UTF-8 bytes are kept.
    Writes at most SM_MUNI_NAME_KEY_MAX bytes; returns the length, 0 for an
    empty name or one longer than any stored name (63 bytes). Can't fail.
    finance's own index uses the same key. */
#define SM_MUNI_NAME_KEY_MAX 64
size_t sm_muni_name_key(const char *name, char key[SM_MUNI_NAME_KEY_MAX]);

/*  Fill the name index from the municipalities in txn: those of finance
    (its own records) or of a follower (the copy); any map with "code" and
    "name". Returns 0 or -1 with err. */
int sm_muni_index_build(MDB_txn *txn, sm_store_t *store, sm_err_t *err);

/*  The schema version from which a follower's store has the name index,
    and a migrate function (sm_migrate_fn) that brings a follower's store
    of an older version to it: a follower without migrations of its own
    uses it as its migrate function; one with its own calls it first. */
#define SM_MUNI_NAMES_SCHEMA 2
int sm_muni_migrate(MDB_txn *txn, sm_store_t *store, int from, sm_err_t *err);

/*  Refuse an unknown municipality with a message listing the known ones:
    fills ctx's error (invalid_argument, field) and returns -1; returns 0
    and fills out when known. */
int sm_muni_require(sm_ctx_t *ctx, const char *code_or_name, const char *field, sm_muni_t *out);

/*  All known municipalities sorted by code; *out malloc'd, caller frees.
    Returns the count or -1. */
int sm_muni_all(sm_ctx_t *ctx, sm_muni_t **out);

#endif
