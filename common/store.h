/*  common/store.h - one LMDB environment per service.

    What it promises (in the manner of lmdb.h):
    - Durability: the environment is opened without MDB_NOSYNC, MDB_NOMETASYNC
      or MDB_WRITEMAP, so mdb_txn_commit() returns only after the data and
      the meta page are on disk. A reply sent after commit describes durable
      state; a process killed at any instant leaves the last committed state.
    - Growth: the map starts at map_size (default 64 MiB) and doubles when a
      transaction fails with MDB_MAP_FULL (sm_store_grow); the caller then
      redoes the transaction. Nothing else holds the environment open.
    - Readers: stale reader slots of dead processes are cleared at open
      (mdb_reader_check).
    - Schema: the `meta` database holds "schema_version". A store written by
      an older schema is migrated at open through the caller's migrate
      function, inside one write transaction; a store newer than this binary
      is refused with a clear message and left untouched.
    - Identity: a store knows whose it is. The `meta` database holds the
      owning service's name ("service") and an instance ID ("instance", 32
      hex digits) written when that service first opened it; a copy
      (backup, restore) keeps both. Opening a store of another service is
      refused before anything in it changes. A store written before owners
      were recorded takes the name of the first service that opens it.
    - One process per store: opening takes an exclusive lock on
      DIR/samen.lock (holding the PID); a second process is refused with a
      message naming the first one's PID. The lock goes with the store.
    - Damage is refused, never repaired or replaced: before LMDB maps the
      file, data.mdb is checked against its own meta pages (page size, the
      last page the newest transaction uses) and every page that
      transaction reaches is read in a child process. A truncated file
      (even to 0 bytes), a garbage page or a missing data.mdb beside its
      lock.mdb is refused with failed_precondition and the advice to
      restore a backup; nothing in the directory is changed.
    - A new store is created only in a directory that is empty or does not
      exist yet, unless opts.init says otherwise.
    - Disk full: a write or commit that fails for want of space (ENOSPC,
      EDQUOT, or EIO with almost no space left) is reported as
      resource_exhausted "disk full on DIR" (sm_store_fail). A map ceiling
      (opts.max_map) gives the same refusal before the disk fills. Reads go
      on; writes work again once space is freed.
    - Epochs: the event log has an epoch (meta "epoch", 1 until a
      restore). A backup copy carries the marker "restored"; when its
      owner first opens the copy as a live store, a new epoch begins (the
      larger of epoch + 1 and the Unix time in seconds) whose first seq is
      after "epoch_from", the copy's last seq, and the marker goes. So a
      restored service says so to its followers (events.read, PROTOCOL.md
      section 3) instead of handing out the same seqs again unnoticed.
    - Named databases: every service has `events`, `meta`, `idem` and
      `cursors`, plus its own (given at open).

    Keys sort meaningfully: integers are 8-byte big-endian (sm_key_u64).
*/
#ifndef SAMEN_STORE_H
#define SAMEN_STORE_H

#include "err.h"
#include <lmdb.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _sm_store_t sm_store_t;

/*  Upgrade the data in txn from schema version `from` to the binary's
    version. Returns 0 or -1 with err. */
typedef int(sm_migrate_fn)(MDB_txn *txn, sm_store_t *store, int from, sm_err_t *err);

#define SM_STORE_MAX_DBS 64

/*  Open (creating when needed) the environment in directory dir for
    service (its owner; NULL opens without an owner check, for tools and
    tests). dbs: the service's own database names, NULL-terminated (may be
    NULL). Returns the store or NULL with err (failed_precondition, field
    data_dir, when the store belongs to another service). */
sm_store_t *sm_store_open(const char *dir, const char *service, const char *const *dbs,
                          int schema_version, sm_migrate_fn *migrate, uint64_t map_size,
                          sm_err_t *err);

typedef struct {
    uint64_t map_size; /*  initial map in bytes; 0 means 64 MiB */
    uint64_t max_map;  /*  the map never grows past this; 0 means no ceiling */
    bool init;         /*  create a new store even in a non-empty directory */
} sm_store_opts_t;

/*  sm_store_open with options (opts may be NULL: the defaults). A refused
    store (locked by another process, damaged, not this service's, or no
    store in a non-empty directory) gives failed_precondition, field
    data_dir, and a message saying what to do. */
sm_store_t *sm_store_open_opts(const char *dir, const char *service, const char *const *dbs,
                               int schema_version, sm_migrate_fn *migrate,
                               const sm_store_opts_t *opts, sm_err_t *err);

/*  The data directory as given at open. */
const char *sm_store_dir(sm_store_t *self);

/*  Fill err for LMDB or system error rc from `what` ("commit", "write"):
    want of space (ENOSPC, EDQUOT, or EIO while less than 4 MiB are free)
    is resource_exhausted "disk full on DIR ..."; anything else internal.
    Returns -1. */
int sm_store_fail(sm_store_t *self, int rc, const char *what, sm_err_t *err);

/*  The owning service's name ("" when opened without one) and the store's
    instance ID (32 hex digits; "" when opened without an owner and none
    was recorded). Valid until the store is destroyed. */
const char *sm_store_service(sm_store_t *self);
const char *sm_store_instance(sm_store_t *self);

/*  The event log's epoch (1 until the store was restored from a backup);
    into *from and *prev when not NULL, the last seq the restored copy
    held and the epoch it was made in (both 0 in epoch 1). */
uint64_t sm_store_epoch(sm_store_t *self, uint64_t *from, uint64_t *prev);

/*  Put the "restored" marker into the meta of the (closed, unshared) store
    copy in directory dir, so that its first open by its owner begins a
    new epoch. Returns 0 or -1 with err. */
int sm_store_mark_restored(const char *dir, sm_err_t *err);

/*  Close; sets *self_p to NULL; safe to call twice. */
void sm_store_destroy(sm_store_t **self_p);

MDB_env *sm_store_env(sm_store_t *self);

/*  The handle of a named database. An unknown name is a programming error
    and panics. */
MDB_dbi sm_store_dbi(sm_store_t *self, const char *name);

/*  Begin a transaction (write or read-only). Returns 0 or -1 with err. */
int sm_store_begin(sm_store_t *self, bool write, MDB_txn **txn, sm_err_t *err);

/*  Double the map size (at most up to the ceiling, opts.max_map). Only
    call with no write transaction open. Returns 0, or -1 with err
    (resource_exhausted "disk full on DIR" at the ceiling). */
int sm_store_grow(sm_store_t *self, sm_err_t *err);

/*  Current map size and bytes in use (last page number x page size). */
uint64_t sm_store_map_size(sm_store_t *self);
uint64_t sm_store_used_bytes(sm_store_t *self);

/*  Hot backup: a compacting copy of the environment into directory path,
    which must not exist yet (it is created). Readers and writers go on
    meanwhile. Returns 0 or -1 with err. */
int sm_store_backup(sm_store_t *self, const char *path, sm_err_t *err);

/*  Encode v as an 8-byte big-endian key. */
void sm_key_u64(uint64_t v, uint8_t out[8]);
uint64_t sm_key_u64_decode(const void *p);

/*  Read meta[key] as a u64 (8-byte big-endian); 0 when absent. */
uint64_t sm_meta_u64(sm_store_t *self, MDB_txn *txn, const char *key);
/*  Write meta[key] = v. Returns the LMDB return code (0 = ok). */
int sm_meta_put_u64(sm_store_t *self, MDB_txn *txn, const char *key, uint64_t v);

#endif
