/*  services/reporting/documents.h - the yearly overview and the passage for a decision document.

    Both are computed on request from the store (dataset.h) and rendered by
    overview.h; nothing is kept.

    Which themes the yearly overview of year Y shows: every theme planned
    for Y (its years include Y), with a session held in Y, or with an
    outcome item linked to a session held in Y. Per theme: the methods of
    its sessions held in Y, its central question, the outcome items linked
    to a session held in Y, and their follow-ups.

    The passage covers a theme's sessions and outcome items of every year,
    or of one year when a year is given.

    Ops: report.annual {year, format md|csv|html}, report.passage {theme, year?}.
*/
#ifndef SAMEN_REPORTING_DOCUMENTS_H
#define SAMEN_REPORTING_DOCUMENTS_H

#include "../../common/service.h"

int op_report_annual(sm_ctx_t *ctx, const msgpack_object *args);
int op_report_passage(sm_ctx_t *ctx, const msgpack_object *args);

#endif
