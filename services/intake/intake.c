/*  services/intake/intake.c - samen-intake's settings, state and tick.
    See intake.h. */
#include "intake.h"
#include "advice.h"
#include "common/i18n.h"
#include "common/log.h"
#include "consent.h"
#include "proto/mdp.h"
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#define META_OVERDUE_LAST "overdue/last_ms"

/* ==== Meta counters ====================================================== */

uint64_t intake_meta_get(sm_ctx_t *ctx, const char *key)
{
    MDB_val v;
    if (sm_ctx_get(ctx, sm_ctx_dbi(ctx, "meta"), key, strlen(key), &v) != 1 || v.mv_size != 8)
        return 0;
    return sm_key_u64_decode(v.mv_data);
}

int intake_meta_put(sm_ctx_t *ctx, const char *key, uint64_t value)
{
    uint8_t b[8];
    sm_key_u64(value, b);
    return sm_ctx_put(ctx, sm_ctx_dbi(ctx, "meta"), key, strlen(key), b, 8);
}

/* ==== Settings =========================================================== */

/*  Read a period setting. Returns 0, or -1 with err naming the setting. */
static int s_period(sm_config_t *cfg, const char *path, const char *dflt, deadline_period_t *out,
                    sm_err_t *err)
{
    const char *text = sm_config_str(cfg, path, dflt);
    //  The rule's message names the field, which here is the setting's path.
    return deadline_period_parse(text, path, out, err);
}

int intake_init(sm_service_t *svc, sm_err_t *err)
{
    sm_config_t *cfg = sm_service_config(svc);
    intake_t *state = calloc(1, sizeof *state);
    if (!state)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (s_period(cfg, "intake/answer_period", DEADLINE_ANSWER_PERIOD_DEFAULT,
                 &state->answer_period, err) ||
        s_period(cfg, "intake/evaluation_period", DEADLINE_EVALUATION_PERIOD_DEFAULT,
                 &state->evaluation_period, err) ||
        s_period(cfg, "intake/review_period", CONSENT_REVIEW_PERIOD_DEFAULT,
                 &state->review_period, err) ||
        sm_config_int(cfg, "intake/overdue_check_ms", 3600000, INTAKE_TICK_MS, 86400000,
                      &state->overdue_check_ms, err)) {
        free(state);
        return -1;
    }
    int64_t hb, liveness;
    if (sm_config_int(cfg, "intake/export_timeout_ms", 2000, 100, 10000,
                      &state->export_timeout_ms, err) ||
        sm_config_int(cfg, "broker/heartbeat_ms", SM_DEFAULT_HEARTBEAT_MS, 100, 60000, &hb, err) ||
        sm_config_int(cfg, "broker/heartbeat_liveness", SM_DEFAULT_HEARTBEAT_LIVENESS, 2, 100,
                      &liveness, err) ||
        sm_config_int(cfg, "broker/max_message_bytes", SM_DEFAULT_MAX_MESSAGE, 4096, 256 << 20,
                      &state->max_message, err) ||
        !(state->broker_ep = sm_config_endpoint(cfg, "broker/endpoint", SM_DEFAULT_BROKER, err))) {
        free(state);
        return -1;
    }
    if (state->export_timeout_ms > hb * liveness / 2)
        state->export_timeout_ms = hb * liveness / 2;
    state->started_ms = sm_now_ms();
    state->pii = pii_index_new();
    if (!state->pii) {
        free(state);
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    //  Set the state first so that fini frees it whatever happens next.
    sm_service_set_user(svc, state);
    state->sec = sm_service_security(svc);
    if (!(state->zctx = zmq_ctx_new()))
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("cannot create a ZeroMQ context"));
    if (pii_sync_build(sm_service_store(svc), state, err) != 0)
        return -1;
    if (mail_init(cfg, state->zctx, state->broker_ep, state->max_message, state->sec,
                  &state->mail, err) != 0)
        return -1;
    char a[8], e[8];
    sm_info("intake settings", "answer_period=%s evaluation_period=%s overdue_check_ms=%lld "
            "export_timeout_ms=%lld pii_index=%zu",
            deadline_period_format(state->answer_period, a),
            deadline_period_format(state->evaluation_period, e),
            (long long)state->overdue_check_ms, (long long)state->export_timeout_ms,
            pii_index_size(state->pii));
    return 0;
}

void intake_fini(sm_service_t *svc)
{
    intake_t *state = sm_service_user(svc);
    if (!state)
        return;
    pii_index_destroy(&state->pii);
    //  The mail threads use the context: they stop before it ends.
    mail_destroy(&state->mail);
    if (state->zctx)
        zmq_ctx_term(state->zctx);
    free(state);
    sm_service_set_user(svc, NULL);
}

intake_t *intake_of(sm_ctx_t *ctx)
{
    return sm_ctx_user(ctx);
}

/* ==== The tick =========================================================== */

int intake_tick(sm_ctx_t *ctx)
{
    intake_t *state = intake_of(ctx);
    if (pii_sync_catch_up(ctx) != 0 || pii_sync_prune(ctx) != 0)
        return -1;
    //  The time of the last check lives in the store, so that it is
    //  undone with the check if the transaction is; "once per start" is
    //  the last check being older than this process.
    int64_t now = sm_ctx_now_ms(ctx);
    int64_t last = (int64_t)intake_meta_get(ctx, META_OVERDUE_LAST);
    if (last >= state->started_ms && now >= last && now - last < state->overdue_check_ms)
        return 0;
    if (advice_overdue_check(ctx, sm_date_today()) != 0)
        return -1;
    return intake_meta_put(ctx, META_OVERDUE_LAST, (uint64_t)now);
}
