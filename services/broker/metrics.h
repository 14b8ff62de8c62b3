/*  services/broker/metrics.h - the broker's counters in the Prometheus text
    exposition format, for its GET /metrics (common/opsweb.h).

    A plain function over the status op's figures (ops.h), so that it is
    tested without a running broker. Metric names: docs/metrics.md.
*/
#ifndef SAMEN_BROKER_METRICS_H
#define SAMEN_BROKER_METRICS_H

#include "common/strbuf.h"
#include "ops.h"

/*  Append every broker metric of s to sb. Can't fail (an allocation
    failure marks sb failed, strbuf.h). */
void sm_broker_metrics_render(const sm_broker_stats_t *s, strbuf_t *sb);

#endif
