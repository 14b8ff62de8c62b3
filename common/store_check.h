/*  common/store_check.h - what common/store.c does before it lets LMDB
    near a data directory: one process per store, a new store only in an
    empty directory, and a damaged data.mdb refused instead of crashing or
    being replaced.

    Why this exists: LMDB maps data.mdb and trusts it. A file truncated
    below what its meta pages say is in use makes the first read past the
    end a SIGBUS; a file truncated to 0 bytes is taken for a new store and
    silently initialised; a page overwritten with garbage is followed as if
    it were a B-tree node. None of that may reach a running service.

    Not for services: they see common/store.h only.
*/
#ifndef SAMEN_STORE_CHECK_H
#define SAMEN_STORE_CHECK_H

#include "err.h"
#include <stdbool.h>
#include <stdint.h>

/*  Take the store's process lock: an exclusive flock(2) on DIR/samen.lock,
    holding this process's PID. Returns the open descriptor (keep it open
    for as long as the store is open; closing it releases the lock), or -1
    with err (failed_precondition, field data_dir) naming the PID of the
    process that holds it. */
int sm_store_lock(const char *dir, const char *service, sm_err_t *err);

/*  Decide whether dir may be opened: an existing data.mdb must be sound
    (sm_store_check_file); without one, dir must hold nothing but our lock
    file, unless init is true. *fresh is set when a new store will be
    created. Returns 0, or -1 with err (failed_precondition, field
    data_dir) saying what is wrong and what to do. */
int sm_store_check_dir(const char *dir, bool init, bool *fresh, sm_err_t *err);

/*  Check DIR/data.mdb against LMDB's own meta pages: both meta pages
    valid, a sane page size, and the file at least as long as the last
    page the newest committed transaction uses. Then read every page that
    transaction can reach (every database, every key and value, the free
    list) in a child process, so that a page LMDB would crash on ends the
    child, not us. Nothing is written. Returns 0, or -1 with err
    (failed_precondition, field data_dir). */
int sm_store_check_file(const char *dir, sm_err_t *err);

/*  Free space on the file system that holds dir, in bytes (UINT64_MAX when
    it cannot be told). Can't fail. */
uint64_t sm_store_free_bytes(const char *dir);

#endif
