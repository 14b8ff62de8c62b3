/*  tests/unit/test_metrics.c - a service's counters in the Prometheus text
    exposition format (common/metrics.h). */
#include "common/metrics.h"
#include "test.h"
#include <stdlib.h>
#include <string.h>

static const char *const s_ops[] = {"service.info", "municipality.add"};
static const char *const s_follows[] = {"intake"};

/*  The rendering of m (caller frees). */
static char *render(sm_metrics_t *m)
{
    strbuf_t *sb = strbuf_new();
    sm_metrics_render(m, sb);
    char *text = strdup(strbuf_data(sb));
    strbuf_destroy(&sb);
    return text;
}

/*  True when text holds line as a whole line. */
static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = strstr(text, line); p; p = strstr(p + 1, line))
        if ((p == text || p[-1] == '\n') && p[n] == '\n')
            return true;
    return false;
}

TEST(requests_are_counted_by_op_and_outcome)
{
    sm_metrics_t *m = sm_metrics_new("finance", "0.1.0", s_ops, 2, s_follows, 1);
    CHECK(m != NULL);
    sm_metrics_request(m, 1, "ok", true, 800);
    sm_metrics_request(m, 1, "ok", true, 1200);
    sm_metrics_request(m, 1, "replayed", true, 90);
    sm_metrics_request(m, 1, "invalid_argument", true, 50);
    sm_metrics_request(m, 0, "ok", false, 30);
    sm_metrics_request(m, -1, "invalid_argument", false, 10);
    sm_metrics_request(m, 7, "something else", false, 10);
    char *t = render(m);
    CHECK(has_line(t, "samen_build_info{service=\"finance\",version=\"0.1.0\"} 1"));
    CHECK(has_line(t, "samen_requests_total{op=\"municipality.add\",outcome=\"ok\"} 2"));
    CHECK(has_line(t, "samen_requests_total{op=\"municipality.add\",outcome=\"replayed\"} 1"));
    CHECK(has_line(t,
                   "samen_requests_total{op=\"municipality.add\",outcome=\"invalid_argument\"} 1"));
    CHECK(has_line(t, "samen_requests_total{op=\"service.info\",outcome=\"ok\"} 1"));
    CHECK(has_line(t, "samen_requests_total{op=\"(unknown)\",outcome=\"invalid_argument\"} 1"));
    CHECK(has_line(t, "samen_requests_total{op=\"(unknown)\",outcome=\"other\"} 1"));
    CHECK(!strstr(t, "outcome=\"conflict\""));
    CHECK(has_line(t, "samen_idem_replayed_total 1"));
    free(t);
    sm_metrics_destroy(&m);
    sm_metrics_destroy(&m);
    CHECK(m == NULL);
}

TEST(histograms_are_cumulative_with_sum_and_count)
{
    sm_metrics_t *m = sm_metrics_new("intake", "0.1.0", s_ops, 2, s_follows, 1);
    sm_metrics_request(m, 1, "ok", true, 100);     /*  exactly on the 0.1 ms bound */
    sm_metrics_request(m, 1, "ok", true, 101);     /*  just above it */
    sm_metrics_request(m, 1, "ok", true, 9000000); /*  beyond every bound */
    sm_metrics_commit(m, 3, 2000);
    sm_metrics_commit(m, 300, 2000);
    char *t = render(m);
    CHECK(has_line(t, "samen_request_duration_seconds_bucket{kind=\"write\",le=\"0.0001\"} 1"));
    CHECK(has_line(t, "samen_request_duration_seconds_bucket{kind=\"write\",le=\"0.00025\"} 2"));
    CHECK(has_line(t, "samen_request_duration_seconds_bucket{kind=\"write\",le=\"5\"} 2"));
    CHECK(has_line(t, "samen_request_duration_seconds_bucket{kind=\"write\",le=\"+Inf\"} 3"));
    CHECK(has_line(t, "samen_request_duration_seconds_sum{kind=\"write\"} 9.000201"));
    CHECK(has_line(t, "samen_request_duration_seconds_count{kind=\"write\"} 3"));
    CHECK(has_line(t, "samen_request_duration_seconds_count{kind=\"read\"} 0"));
    CHECK(has_line(t, "samen_commits_total 2"));
    CHECK(has_line(t, "samen_batch_size_bucket{le=\"2\"} 0"));
    CHECK(has_line(t, "samen_batch_size_bucket{le=\"4\"} 1"));
    CHECK(has_line(t, "samen_batch_size_bucket{le=\"256\"} 1"));
    CHECK(has_line(t, "samen_batch_size_bucket{le=\"+Inf\"} 2"));
    CHECK(has_line(t, "samen_batch_size_sum 303"));
    CHECK(has_line(t, "samen_commit_duration_seconds_bucket{le=\"0.0025\"} 2"));
    CHECK(has_line(t, "samen_commit_duration_seconds_count 2"));
    free(t);
    sm_metrics_destroy(&m);
}

TEST(store_events_and_follower_lag_are_shown_as_set)
{
    sm_metrics_t *m = sm_metrics_new("reporting", "0.1.0", s_ops, 2, s_follows, 1);
    sm_metrics_events(m, 2, 41);
    sm_metrics_events(m, 1, 42);
    sm_metrics_store(m, 81920, 67108864);
    sm_metrics_follow(m, 0, 10, 25);
    sm_metrics_follow(m, 5, 1, 2); /*  no such followed service: ignored */
    char *t = render(m);
    CHECK(has_line(t, "samen_events_published_total 3"));
    CHECK(has_line(t, "samen_event_last_seq 42"));
    CHECK(has_line(t, "samen_store_used_bytes 81920"));
    CHECK(has_line(t, "samen_store_map_bytes 67108864"));
    CHECK(has_line(t, "samen_follow_cursor{producer=\"intake\"} 10"));
    CHECK(has_line(t, "samen_follow_lag_events{producer=\"intake\"} 15"));
    free(t);
    /*  A producer restored to before the cursor shows no negative lag. */
    sm_metrics_follow(m, 0, 30, 25);
    t = render(m);
    CHECK(has_line(t, "samen_follow_lag_events{producer=\"intake\"} 0"));
    free(t);
    sm_metrics_destroy(&m);
}

TEST(every_line_is_a_comment_or_a_sample)
{
    sm_metrics_t *m = sm_metrics_new("finance", "0.1.0", s_ops, 2, NULL, 0);
    sm_metrics_request(m, 0, "ok", false, 5);
    char *t = render(m);
    CHECK(!strstr(t, "samen_follow_")); /*  follows nothing */
    for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
        bool comment =
            strncmp(line, "# HELP samen_", 13) == 0 || strncmp(line, "# TYPE samen_", 13) == 0;
        bool sample = strncmp(line, "samen_", 6) == 0 && strchr(line, ' ') && !strstr(line, ",}") &&
                      !strstr(line, "{}");
        if (!comment && !sample)
            printf("     not exposition format: %s\n", line);
        CHECK(comment || sample);
    }
    free(t);
    sm_metrics_destroy(&m);
}

int main(void)
{
    RUN(requests_are_counted_by_op_and_outcome);
    RUN(histograms_are_cumulative_with_sum_and_count);
    RUN(store_events_and_follower_lag_are_shown_as_set);
    RUN(every_line_is_a_comment_or_a_sample);
    return DONE();
}
