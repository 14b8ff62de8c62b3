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

/*  Who a producer is: its store's instance ID, its event log's epoch,
    and, for an epoch begun by a restore, the last seq the copy held
    (from) and the epoch the copy was made in (prev); both 0 in epoch 1. */
typedef struct {
    const char *instance;
    uint64_t epoch, from, prev;
} sm_evlog_epoch_t;

/*  sm_evlog_read with the producer's identity ep added to the map:
    "instance", "epoch", "epoch_from" and "epoch_prev". */
unsigned sm_evlog_read_epoch(sm_store_t *store, MDB_txn *txn, uint64_t after, unsigned limit,
                             size_t max_bytes, const sm_evlog_epoch_t *ep, msgpack_packer *pk);

/*  What a follower stops for (the reasons, as reported in service.info's
    following_halted), and SM_FOLLOW_ADOPT: nothing is known of the
    producer yet, take what it says. */
#define SM_FOLLOW_ADOPT "adopt"
#define SM_FOLLOW_BEHIND "producer_behind"
#define SM_FOLLOW_NEW_EPOCH "producer_new_epoch"
#define SM_FOLLOW_OTHER_STORE "producer_other_store"

/*  The epoch rule. A follower that has applied up to cursor and knows the
    producer as (known_instance, known_epoch) ("" / 0: not yet known) reads
    the producer's identity said (NULL or instance "": an older producer
    that says nothing of it) and last_seq. Returns NULL when it may go on
    applying; SM_FOLLOW_ADOPT when it may take the producer's identity as
    said (it knew nothing yet, or the producer was restored from a copy
    made in the known epoch that holds everything up to the cursor, as
    when all four services are restored from copies made together);
    otherwise the reason to stop: its store is another one (OTHER_STORE),
    it began another epoch (NEW_EPOCH: restored from a backup) or its log
    ends before the cursor (BEHIND: it went back in time, e.g. its files
    copied back by hand). An older producer is judged by last_seq alone. */
const char *sm_evlog_follow_check(const char *known_instance, uint64_t known_epoch,
                                  uint64_t cursor, const sm_evlog_epoch_t *said,
                                  uint64_t last_seq);

#endif
