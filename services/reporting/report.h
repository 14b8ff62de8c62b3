/*  services/reporting/report.h - session reports (verslagen): the requests.

    The rules are in report_rules.h; this module stores, checks with
    intake and emits. Databases:

        reports             R number      {id, session, theme, version, state,
                                           published_version, first_published_on,
                                           first_sent_on}   (the newest version's
                                           state; the dates of the first publishing
                                           and sending, which the feedback figures use)
        report_versions     (R, version)  {version, previous_version, state, text,
                                           note, approved_on, published_on, sent_on,
                                           allowed, drafted_ms}
        reports_by_session  (S, R)        {} (one report per session)

    Publishing sends the text to intake's pii.scan first (a blocking call,
    at most pii_scan_timeout_ms per try, two tries) and is refused, with
    the matches listed by kind and line, unless each is allowed. When intake
    does not answer, publishing is refused with `unavailable`: a report is
    never published unchecked.

    Ops: report.draft, report.revise, report.approve, report.publish,
    report.sent, report.check, report.get, report.list, report.due,
    report.public.list, report.public.get.
    Events: reporting.report.drafted (version 1 and every correction),
    reporting.report.published, reporting.report.sent.
*/
#ifndef SAMEN_REPORTING_REPORT_H
#define SAMEN_REPORTING_REPORT_H

#include "../../common/service.h"
#include <stdbool.h>

/*  What other parts of reporting need of a report: its session and theme,
    and whether and when it was first published. */
typedef struct {
    uint64_t id, session, theme;
    bool published; //  published or sent at least once
    sm_date_t first_published_on;
} report_head_t;

/*  Read report R<id>'s head. Returns 1 found, 0 unknown, -1 (ctx error). */
int report_head(sm_ctx_t *ctx, uint64_t id, report_head_t *out);

int op_report_draft(sm_ctx_t *ctx, const msgpack_object *args);
int op_report_revise(sm_ctx_t *ctx, const msgpack_object *args);
int op_report_approve(sm_ctx_t *ctx, const msgpack_object *args);
int op_report_publish(sm_ctx_t *ctx, const msgpack_object *args);
int op_report_sent(sm_ctx_t *ctx, const msgpack_object *args);
int op_report_check(sm_ctx_t *ctx, const msgpack_object *args);
int op_report_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_report_list(sm_ctx_t *ctx, const msgpack_object *args);
int op_report_due(sm_ctx_t *ctx, const msgpack_object *args);

/*  Follower of intake.mail.*: for a report mailed to a participant
    (intake.mail.sent of kind report), record the recipient in
    report_recipients (report, participant -> {sent_on, mail}), and the
    first time make the published version "sent" on that day and emit
    reporting.report.sent. report.get lists the recipients (sent_to). */
int on_intake_mail(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data);

/*  The public view, for a website (samen-site): only a report's newest
    published version, never a draft, a correction's note or the texts
    allowed at publishing.
    report.public.list {theme, after, limit} -> {reports: [{id, session,
        theme, version, published_on, first_published_on}], next}
    report.public.get {report} -> the same fields and text (Markdown);
        not_found for a report that is unknown or not published. */
int op_report_public_list(sm_ctx_t *ctx, const msgpack_object *args);
int op_report_public_get(sm_ctx_t *ctx, const msgpack_object *args);

#endif
