/*  services/intake/intake.h - samen-intake's settings and in-memory state.

    Settings (the intake section of samen.cfg), checked at start; a bad
    value stops the service with a message naming the setting:

        answer_period      "6w"      time to answer a signal or advice (42d, 6w, 2m)
        evaluation_period  "6m"      time from the answer to its evaluation
        overdue_check_ms   3600000   how often late answers and evaluations are
                                     looked for (1000 .. 86400000: at least daily);
                                     also once at every start
        review_period      "2y"      participant.review lists consents older than
                                     this and people without contact for as long
                                     (consent.h; d, w, m or y)
        export_timeout_ms  2000      how long participant.export (and
                                     participant.needs) waits for the
                                     other services (100 .. 10000), capped at
                                     half the broker's heartbeat window
                                     (broker/heartbeat_ms x heartbeat_liveness / 2):
                                     while it waits the service's loop sends no
                                     heartbeats, and the broker must not think it
                                     gone
        mail/...                         e-mail: the relay, the sender, templates,
                                         retries (mail.h; common/config_table.c)

    State kept in memory: the PII index (pii.h), built from the store at
    start. It is derived state and must never run ahead of what is
    committed, because a write may still be undone (a refused request, a
    batch redone after the map grew). So writes never touch it: a write
    that changes a name, e-mail or phone (register, update, erase) appends
    the participant's number to the `pii_changes` log in the same
    transaction, under a generation number kept in meta. The index
    remembers the generation it reflects, and catches up by reading the
    log beyond it, re-reading those participants as committed: before
    every pii.scan (a read transaction, which only sees committed data) and
    on the service's tick (so that an erased person's name leaves memory
    within about a second even when nobody scans). A write undone never
    reaches the log, so the index never holds it; the tick prunes log
    entries the index has seen.
*/
#ifndef SAMEN_INTAKE_INTAKE_H
#define SAMEN_INTAKE_INTAKE_H

#include "common/service.h"
#include "deadline.h"
#include "mail.h"
#include "pii.h"

#define INTAKE_TICK_MS 1000 /*  the timer period; the overdue check has its own interval */

typedef struct {
    deadline_period_t answer_period;
    deadline_period_t evaluation_period;
    deadline_period_t review_period; /*  consent.h */
    int64_t overdue_check_ms;
    int64_t started_ms;   /*  wall clock at start: the first tick always checks */
    pii_index_t *pii;     /*  personal data: memory only, never logged */
    uint64_t pii_applied; /*  the pii_changes generation the index reflects */
    /*  participant.export asks the other services itself, all at once, on
        sockets of its own (export.c): */
    void *zctx;
    const char *broker_ep; /*  owned by the service's configuration */
    const sm_security_t *sec; /*  the service's keys, for its own clients */
    int64_t max_message;
    int64_t export_timeout_ms; /*  well inside the broker's heartbeat window */
    mail_t *mail;              /*  e-mail: settings, templates, the relay thread (mail.h) */
} intake_t;

/*  def->init: read and check the settings, build the PII index from the
    store. Returns 0, or -1 with err naming the setting. */
int intake_init(sm_service_t *svc, sm_err_t *err);

/*  def->fini: wipe and free the state. */
void intake_fini(sm_service_t *svc);

/*  The state of the running service. */
intake_t *intake_of(sm_ctx_t *ctx);

/*  The timer: PII index catch-up, pruning of its log, and the overdue
    check when it is due. Returns 0, or -1 with the ctx error set. */
int intake_tick(sm_ctx_t *ctx);

/* ==== Keeping the PII index in step (pii_sync.c) ========================== */

/*  Note, within a write, that participant id's name, e-mail or phone
    changed (or that they were erased). Returns 0, or -1 (ctx error). */
int pii_sync_note(sm_ctx_t *ctx, uint64_t id);

/*  Bring the index up to the generation committed in the context's
    transaction. Returns 0, or -1 (ctx error). */
int pii_sync_catch_up(sm_ctx_t *ctx);

/*  Drop log entries the index has applied (in a write). Returns 0 or -1. */
int pii_sync_prune(sm_ctx_t *ctx);

/*  Build the index from every participant in the store (at start). Returns
    0, or -1 with err. */
int pii_sync_build(sm_store_t *store, intake_t *state, sm_err_t *err);

/*  op pii.scan {text}. */
int op_pii_scan(sm_ctx_t *ctx, const msgpack_object *args);

/* ==== Meta counters ======================================================== */

/*  meta[key] as a u64 within the context's transaction (0 when absent), and
    its update. put returns 0 or -1 (ctx error; a full map is noted so that
    the framework grows it and redoes the work). */
uint64_t intake_meta_get(sm_ctx_t *ctx, const char *key);
int intake_meta_put(sm_ctx_t *ctx, const char *key, uint64_t value);

#endif
