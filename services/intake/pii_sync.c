/*  services/intake/pii_sync.c - keeping the in-memory PII index in step with
    the committed address file, and the pii.scan op. See intake.h for why
    the index is only ever fed from committed data. */
#include "common/i18n.h"
#include "common/log.h"
#include "intake.h"
#include "participant_index.h"
#include <stdlib.h>
#include <string.h>

#define DB_CHANGES "pii_changes"
#define META_GEN "pii/gen"

/*  Put (or remove, when erased) one participant's record in the index.
    Returns 0; an entry the index refuses is logged by ID and skipped (a
    scan then misses it: better than a service that cannot start). */
static int s_apply(pii_index_t *index, const record_t *rec)
{
    char id[24];
    sm_id_format('P', rec->id, id);
    if (rec->erased || (!rec->p.name[0] && !rec->p.email[0] && !rec->p.phone[0])) {
        pii_index_remove(index, id);
        return 0;
    }
    sm_err_t e;
    sm_err_clear(&e);
    if (pii_index_put(index, id, rec->p.name, rec->p.email, rec->p.phone, &e) != 0)
        sm_warn("participant left out of the pii index", "participant=%s field=%s", id,
                e.field[0] ? e.field : "-");
    return 0;
}

int pii_sync_note(sm_ctx_t *ctx, uint64_t id)
{
    uint64_t gen = intake_meta_get(ctx, META_GEN) + 1;
    uint8_t key[8], val[8];
    sm_key_u64(gen, key);
    sm_key_u64(id, val);
    if (intake_meta_put(ctx, META_GEN, gen) != 0 ||
        sm_ctx_put(ctx, sm_ctx_dbi(ctx, DB_CHANGES), key, 8, val, 8) != 0)
        return -1;
    return 0;
}

int pii_sync_catch_up(sm_ctx_t *ctx)
{
    intake_t *state = intake_of(ctx);
    uint64_t gen = intake_meta_get(ctx, META_GEN);
    if (gen <= state->pii_applied)
        return 0;
    MDB_cursor *cur;
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB_CHANGES), &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read the pii change log"));
    record_t *rec = malloc(sizeof *rec);
    if (!rec) {
        mdb_cursor_close(cur);
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    uint8_t from[8];
    sm_key_u64(state->pii_applied + 1, from);
    MDB_val k = {8, from}, v;
    uint64_t applied = state->pii_applied;
    int rc = 0;
    for (int mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 8 || v.mv_size != 8)
            continue;
        uint64_t g = sm_key_u64_decode(k.mv_data);
        if (g > gen)
            break;
        uint64_t id = sm_key_u64_decode(v.mv_data);
        int got = participant_load(ctx, id, rec);
        if (got < 0) {
            rc = -1;
            break;
        }
        if (got == 0) {
            char sid[24];
            pii_index_remove(state->pii, sm_id_format('P', id, sid));
        } else
            s_apply(state->pii, rec);
        applied = g;
    }
    mdb_cursor_close(cur);
    explicit_bzero(rec, sizeof *rec);
    free(rec);
    if (rc == 0)
        applied = gen; /*  every entry up to gen was read (pruned ones were applied before) */
    state->pii_applied = applied;
    return rc;
}

int pii_sync_prune(sm_ctx_t *ctx)
{
    intake_t *state = intake_of(ctx);
    MDB_cursor *cur;
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB_CHANGES), &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read the pii change log"));
    MDB_val k, v;
    int rc = 0;
    for (int mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size == 8 && sm_key_u64_decode(k.mv_data) > state->pii_applied)
            break;
        int drc = mdb_cursor_del(cur, 0);
        if (drc) {
            rc = sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot prune the pii change log: %s"),
                             mdb_strerror(drc));
            break;
        }
    }
    mdb_cursor_close(cur);
    return rc;
}

int pii_sync_build(sm_store_t *store, intake_t *state, sm_err_t *err)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    if (sm_store_begin(store, false, &txn, err) != 0)
        return -1;
    if (mdb_cursor_open(txn, sm_store_dbi(store, "participants"), &cur) != 0) {
        mdb_txn_abort(txn);
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot read the address file"));
    }
    record_t *rec = malloc(sizeof *rec);
    if (!rec) {
        mdb_cursor_close(cur);
        mdb_txn_abort(txn);
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    MDB_val k, v;
    size_t damaged = 0;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (record_decode(v.mv_data, v.mv_size, rec) != 0) {
            damaged++;
            continue;
        }
        s_apply(state->pii, rec);
    }
    //  Everything up to the current generation is now in the index.
    state->pii_applied = sm_meta_u64(store, txn, META_GEN);
    mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    explicit_bzero(rec, sizeof *rec);
    free(rec);
    if (damaged)
        sm_warn("damaged participant records skipped", "count=%zu", damaged);
    return 0;
}

/* ==== op pii.scan ======================================================== */

/*  pii.scan: see intake.h and proto/ops-intake.md. Returns 0 or -1. */
int op_pii_scan(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    //  An empty text holds nothing: no matches (the declaration allows it).
    char *text = strdup(sm_arg_str(ctx, "text"));
    if (!text)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    int rc = pii_sync_catch_up(ctx);
    pii_match_t *m = NULL;
    size_t n = 0;
    if (rc == 0)
        rc = pii_scan(intake_of(ctx)->pii, text, strlen(text), &m, &n, e);
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 1);
        sm_pack_str(pk, "matches");
        msgpack_pack_array(pk, n);
        for (size_t i = 0; i < n; i++) {
            msgpack_pack_map(pk, 5);
            sm_pack_kv_str(pk, "kind", pii_kind_name(m[i].kind));
            sm_pack_kv_str(pk, "participant", m[i].participant_id[0] ? m[i].participant_id : NULL);
            sm_pack_kv_uint(pk, "offset", m[i].offset);
            sm_pack_kv_uint(pk, "length", m[i].length);
            sm_pack_kv_str(pk, "text", m[i].text);
        }
    }
    pii_matches_destroy(&m, n);
    explicit_bzero(text, strlen(text));
    free(text);
    return rc;
}
