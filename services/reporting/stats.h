/*  services/reporting/stats.h - reach and representation, measured: the request.

    stats.reach {year, days?} computes reach.h's figures for the year from
    the store (dataset.h): built from the other services' events (IDs and
    coarse attributes only) plus reporting's own report dates for the
    feedback loop. days defaults to reporting/send_within_days.
*/
#ifndef SAMEN_REPORTING_STATS_H
#define SAMEN_REPORTING_STATS_H

#include "../../common/service.h"

int op_stats_reach(sm_ctx_t *ctx, const msgpack_object *args);

#endif
