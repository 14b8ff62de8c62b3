/*  services/reporting/stats.c - reach and representation: the request. See stats.h. */
#include "stats.h"
#include "dataset.h"
#include "reach.h"
#include "settings.h"

int op_stats_reach(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    int64_t year = sm_arg_int(ctx, "year", 0);
    int64_t days = sm_arg_int(ctx, "days", reporting_settings(ctx)->send_within_days);
    dataset_t ds;
    if (dataset_load(ctx, &ds, DATASET_PEOPLE) != 0)
        return -1;
    reach_input_t in = dataset_reach_input(&ds);
    reach_t *r = reach_compute(&in, (int)year, (int)days, e);
    if (!r) {
        dataset_free(&ds);
        return -1;
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 15);
    sm_pack_kv_int(pk, "year", r->year);
    sm_pack_kv_uint(pk, "sessions_held", r->sessions_held);
    sm_pack_kv_uint(pk, "attendances", r->attendances);
    sm_pack_kv_uint(pk, "participants", r->participants);
    sm_pack_kv_uint(pk, "first_timers", r->first_timers);
    sm_pack_kv_uint(pk, "returning", r->returning);
    sm_pack_kv_int(pk, "first_timers_bp", r->first_timers_bp);

    sm_pack_str(pk, "concentration");
    msgpack_pack_map(pk, 3);
    sm_pack_kv_uint(pk, "top_participants", r->top_participants);
    sm_pack_kv_uint(pk, "top_attendances", r->top_attendances);
    sm_pack_kv_int(pk, "bp", r->concentration_bp);

    sm_pack_str(pk, "municipalities");
    msgpack_pack_array(pk, r->n_municipalities);
    for (size_t i = 0; i < r->n_municipalities; i++) {
        const reach_municipality_row_t *m = &r->municipalities[i];
        msgpack_pack_map(pk, 7);
        sm_pack_kv_str(pk, "code", m->name); //  reach sees codes (dataset.h)
        sm_pack_kv_str(pk, "name", dataset_muni_name(&ds, m->name));
        sm_pack_kv_int(pk, "inhabitants", m->inhabitants);
        sm_pack_kv_uint(pk, "participants", m->participants);
        sm_pack_kv_int(pk, "participants_bp", m->participants_bp);
        sm_pack_kv_int(pk, "inhabitants_bp", m->inhabitants_bp);
        if (m->ratio_pct >= 0)
            sm_pack_kv_int(pk, "ratio_pct", m->ratio_pct);
        else
            sm_pack_kv_nil(pk, "ratio_pct");
    }
    sm_pack_str(pk, "outside");
    msgpack_pack_map(pk, 2);
    sm_pack_kv_uint(pk, "participants", r->outside_participants);
    sm_pack_kv_int(pk, "bp", r->outside_bp);

    sm_pack_str(pk, "target_groups");
    msgpack_pack_array(pk, r->n_groups);
    for (size_t i = 0; i < r->n_groups; i++) {
        msgpack_pack_map(pk, 3);
        sm_pack_kv_str(pk, "group", r->groups[i].group);
        sm_pack_kv_uint(pk, "participants", r->groups[i].participants);
        sm_pack_kv_int(pk, "bp", r->groups[i].bp);
    }
    sm_pack_str(pk, "youth");
    msgpack_pack_map(pk, 2);
    sm_pack_kv_uint(pk, "participants", r->youth);
    sm_pack_kv_int(pk, "bp", r->youth_bp);

    sm_pack_str(pk, "methods");
    msgpack_pack_array(pk, r->n_methods);
    for (size_t i = 0; i < r->n_methods; i++) {
        msgpack_pack_map(pk, 4);
        sm_pack_kv_str(pk, "method", r->methods[i].method);
        sm_pack_kv_str(pk, "name", reach_method_name(r->methods[i].method));
        sm_pack_kv_uint(pk, "sessions", r->methods[i].sessions);
        sm_pack_kv_uint(pk, "attendances", r->methods[i].attendances);
    }

    sm_pack_str(pk, "feedback");
    msgpack_pack_map(pk, 8);
    sm_pack_kv_int(pk, "days", r->allowed_days);
    sm_pack_kv_uint(pk, "sessions_held", r->sessions_held);
    sm_pack_kv_uint(pk, "reports_published", r->reports_published);
    sm_pack_kv_int(pk, "published_bp", r->published_bp);
    sm_pack_kv_uint(pk, "reports_sent", r->reports_sent);
    sm_pack_kv_uint(pk, "sent_in_time", r->reports_sent_in_time);
    sm_pack_kv_int(pk, "sent_in_time_bp", r->sent_in_time_bp);
    if (r->has_median)
        sm_pack_kv_int(pk, "median_days_to_send", r->median_days_to_send);
    else
        sm_pack_kv_nil(pk, "median_days_to_send");
    sm_pack_kv_int(pk, "inhabitants_total", r->inhabitants_total);
    reach_destroy(&r);
    dataset_free(&ds);
    return 0;
}
