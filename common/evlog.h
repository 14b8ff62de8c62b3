/*  common/evlog.h - the per-service event log (the outbox).

    An event is stored in the `events` database under its 8-byte big-endian
    seq, as the exact MessagePack bytes that are published:
        {"seq": u64, "ts": unix-ms, "type": "<service>.<entity>.<verb>", "data": {...}}
    seq starts at 1 and has no gaps, because it is assigned inside the same
    write transaction as the state change it describes; the event is
    published only after that transaction commits. The log is the truth;
    live delivery is best effort.
*/
#ifndef SAMEN_EVLOG_H
#define SAMEN_EVLOG_H

#include "codec.h"
#include "store.h"

/*  Highest seq stored (0 for an empty log). */
uint64_t sm_evlog_last_seq(sm_store_t *store, MDB_txn *txn);

/*  Encode the event {seq, ts, type, data} into out (reset first) and store it
    under seq in txn. data: one encoded MessagePack object (a map).
    Returns the LMDB return code (0 = ok; MDB_MAP_FULL means grow and redo). */
int sm_evlog_append(sm_store_t *store, MDB_txn *txn, uint64_t seq, int64_t ts,
                    const char *topic, const void *data, size_t size, sm_buf_t *out);

/*  Pack {"events": [event, ...], "last_seq": N} with the events after seq
    `after`, at most `limit` of them and at most max_bytes of event bytes (at
    least one event is always included when there is one). Returns the
    number of events packed. */
unsigned sm_evlog_read(sm_store_t *store, MDB_txn *txn, uint64_t after, unsigned limit,
                       size_t max_bytes, msgpack_packer *pk);

#endif
