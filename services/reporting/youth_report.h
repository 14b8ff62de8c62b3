/*  services/reporting/youth_report.h - the statutory youth report (CEO Jeugd): the requests.

    Rules and rendering are in youth.h. The numbers are computed on request
    from the sessions held in the year that were youth-relevant
    (dataset.h); the findings and the status are reporting's own data:

        youth_reports   year   {year, status, adopted_on, submitted_on,
                                findings: [{theme, finding, done}]}

    A year without a stored record is a draft without findings.

    Ops: report.youth {year, format md|html}, youth.finding.add,
    youth.finding.update, youth.adopt, youth.submit.
*/
#ifndef SAMEN_REPORTING_YOUTH_REPORT_H
#define SAMEN_REPORTING_YOUTH_REPORT_H

#include "../../common/date.h"
#include "../../common/service.h"

/*  Most findings one year's report holds (keeps the record and the reply
    well under the message limit). */
#define YOUTH_FINDINGS_MAX 40

int op_report_youth(sm_ctx_t *ctx, const msgpack_object *args);

/*  Pack, for report.due, the warning about the youth report on the year
    before today's (youth_due_warning): {year, status, due_on, days_left
    (negative when late), text (a sentence in the reader's language)}, or
    nil when there is nothing to warn about. Returns 0, or -1 with the
    context's error set (nothing packed). */
int youth_report_pack_warning(sm_ctx_t *ctx, sm_date_t today, msgpack_packer *pk);
int op_youth_finding_add(sm_ctx_t *ctx, const msgpack_object *args);
int op_youth_finding_update(sm_ctx_t *ctx, const msgpack_object *args);
int op_youth_adopt(sm_ctx_t *ctx, const msgpack_object *args);
int op_youth_submit(sm_ctx_t *ctx, const msgpack_object *args);

#endif
