/*  services/broker/metrics.c - the broker's counters for /metrics. See
    metrics.h. */
#include "metrics.h"

/*  A metric's HELP and TYPE lines. */
static void s_head(strbuf_t *sb, const char *name, const char *type, const char *help)
{
    strbuf_printf(sb, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void s_counter(strbuf_t *sb, const char *name, const char *help, uint64_t v)
{
    s_head(sb, name, "counter", help);
    strbuf_printf(sb, "%s %llu\n", name, (unsigned long long)v);
}

/*  A service name as a label value: '\' and '"' escaped (names are
    printable ASCII without spaces, ops.h). */
static void s_label(strbuf_t *sb, const char *name, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (name[i] == '\\' || name[i] == '"')
            strbuf_putc(sb, '\\');
        strbuf_putc(sb, name[i]);
    }
}

/*  One gauge per service: field picks workers, idle or queued. */
static void s_per_service(strbuf_t *sb, const sm_broker_stats_t *s, const char *name,
                          const char *help, int field)
{
    s_head(sb, name, "gauge", help);
    for (size_t i = 0; i < s->service_count; i++) {
        const sm_broker_service_stat_t *r = &s->services[i];
        uint64_t v = field == 0 ? r->workers : field == 1 ? r->idle : r->queued;
        strbuf_printf(sb, "%s{service=\"", name);
        s_label(sb, r->name, r->name_len);
        strbuf_printf(sb, "\"} %llu\n", (unsigned long long)v);
    }
}

void sm_broker_metrics_render(const sm_broker_stats_t *s, strbuf_t *sb)
{
    s_head(sb, "samen_build_info", "gauge", "The service and its version (always 1).");
    strbuf_printf(sb, "samen_build_info{service=\"broker\",version=\"%s\"} 1\n", SM_BROKER_VERSION);
    s_head(sb, "samen_broker_uptime_seconds", "gauge", "Seconds since the broker started.");
    strbuf_printf(sb, "samen_broker_uptime_seconds %lld\n", (long long)s->uptime_s);
    s_per_service(sb, s, "samen_broker_workers", "Workers registered per service.", 0);
    s_per_service(sb, s, "samen_broker_workers_idle", "Workers waiting for a request.", 1);
    s_per_service(sb, s, "samen_broker_queued", "Requests waiting for a worker.", 2);
    s_counter(sb, "samen_broker_requests_routed_total", "Requests handed to a worker.",
              s->requests_routed);
    s_counter(sb, "samen_broker_replies_routed_total", "Replies handed to a client.",
              s->replies_routed);
    s_counter(sb, "samen_broker_requests_expired_total",
              "Requests answered unavailable: no worker took them within request_expiry_ms.",
              s->requests_expired);
    s_counter(sb, "samen_broker_requests_refused_total",
              "Requests answered resource_exhausted: max_queued were waiting.",
              s->requests_refused);
    s_counter(sb, "samen_broker_workers_lost_total",
              "Workers that went away holding a request (its client was answered unavailable).",
              s->workers_lost);
    s_counter(sb, "samen_broker_protocol_violations_total",
              "Workers sent DISCONNECT for a command at the wrong moment.", s->protocol_violations);
    s_counter(sb, "samen_broker_invalid_dropped_total", "Malformed messages dropped.",
              s->invalid_dropped);
    s_counter(sb, "samen_broker_oversize_dropped_total", "Frames over max_message_bytes dropped.",
              s->oversize_dropped);
    s_counter(sb, "samen_broker_undeliverable_total", "Replies whose client had gone.",
              s->undeliverable);
    s_counter(sb, "samen_broker_events_forwarded_total",
              "Events passed from publishers to subscribers.", s->events_forwarded);
    s_counter(sb, "samen_broker_events_dropped_total",
              "Events not delivered to at least one subscriber (a full queue, a bad frame).",
              s->events_dropped);
    s_head(sb, "samen_broker_subscriptions", "gauge", "Topic prefixes subscribed to.");
    strbuf_printf(sb, "samen_broker_subscriptions %llu\n", (unsigned long long)s->subscriptions);
}
