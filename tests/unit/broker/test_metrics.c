/*  tests/unit/broker/test_metrics.c - the broker's counters in the
    Prometheus text exposition format (services/broker/metrics.h). */
#include "../test.h"
#include "services/broker/metrics.h"
#include <string.h>

/*  True when text holds line as a whole line. */
static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = strstr(text, line); p; p = strstr(p + 1, line))
        if ((p == text || p[-1] == '\n') && p[n] == '\n')
            return true;
    return false;
}

TEST(every_counter_and_each_service_is_rendered)
{
    sm_broker_service_stat_t rows[] = {{"finance", 7, 8, 6, 2}, {"odd\"na\\me", 9, 1, 0, 0}};
    sm_broker_stats_t s = {.uptime_s = 93,
                           .services = rows,
                           .service_count = 2,
                           .requests_routed = 2407,
                           .replies_routed = 2400,
                           .requests_expired = 3,
                           .requests_refused = 4,
                           .workers_lost = 5,
                           .protocol_violations = 6,
                           .invalid_dropped = 7,
                           .oversize_dropped = 8,
                           .undeliverable = 9,
                           .events_forwarded = 553,
                           .events_dropped = 2,
                           .subscriptions = 4};
    strbuf_t *sb = strbuf_new();
    sm_broker_metrics_render(&s, sb);
    const char *t = strbuf_data(sb);
    CHECK(has_line(t, "samen_build_info{service=\"broker\",version=\"" SM_BROKER_VERSION "\"} 1"));
    CHECK(has_line(t, "samen_broker_uptime_seconds 93"));
    CHECK(has_line(t, "samen_broker_workers{service=\"finance\"} 8"));
    CHECK(has_line(t, "samen_broker_workers_idle{service=\"finance\"} 6"));
    CHECK(has_line(t, "samen_broker_queued{service=\"finance\"} 2"));
    CHECK(has_line(t, "samen_broker_workers{service=\"odd\\\"na\\\\me\"} 1"));
    CHECK(has_line(t, "samen_broker_requests_routed_total 2407"));
    CHECK(has_line(t, "samen_broker_replies_routed_total 2400"));
    CHECK(has_line(t, "samen_broker_requests_expired_total 3"));
    CHECK(has_line(t, "samen_broker_requests_refused_total 4"));
    CHECK(has_line(t, "samen_broker_workers_lost_total 5"));
    CHECK(has_line(t, "samen_broker_protocol_violations_total 6"));
    CHECK(has_line(t, "samen_broker_invalid_dropped_total 7"));
    CHECK(has_line(t, "samen_broker_oversize_dropped_total 8"));
    CHECK(has_line(t, "samen_broker_undeliverable_total 9"));
    CHECK(has_line(t, "samen_broker_events_forwarded_total 553"));
    CHECK(has_line(t, "samen_broker_events_dropped_total 2"));
    CHECK(has_line(t, "samen_broker_subscriptions 4"));
    CHECK(has_line(t, "# TYPE samen_broker_events_dropped_total counter"));
    CHECK(has_line(t, "# TYPE samen_broker_queued gauge"));
    strbuf_destroy(&sb);
}

int main(void)
{
    RUN(every_counter_and_each_service_is_rendered);
    return DONE();
}
