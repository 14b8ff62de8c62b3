/*  services/reporting/municipality_overview.h - what happened with a municipality's residents.

    The page a municipality's alderman gets ("wat gebeurde er met inwoners
    van Huizen?"): the programme was said to have become invisible to the
    member municipalities, so this shows, for one municipality and one
    year, in the reader's language:

    - the sessions held for it (its own: a session of a local theme of the
      municipality, or a session planned for it) or with its residents (a
      resident of it attended), each with its date, theme, method and how
      many of its residents came;
    - its residents who took part against its share of the region's
      inhabitants (reach.h, the same figures as stats.reach);
    - the themes of those sessions;
    - the reports of those sessions, published or not yet;
    - the contributions invoiced to it and whether they were paid.

    Composition: reporting holds all but the last (it mirrors sessions,
    attendance and participants' municipalities from events, and owns the
    reports); the contributions are finance's own data, not in any event
    with their amounts per municipality, so reporting asks finance through
    the broker (allocation.list, then allocation.get per allocation), the
    way publishing asks intake's pii.scan, waiting at most
    reporting/pii_scan_timeout_ms per question. If finance does not answer
    the page still comes, with a note instead of the contributions: a page
    for an alderman should not fail because of one part of it. Doing this
    in reporting rather than in samenctl keeps the page one request for
    every client (the website included) and renders it where the other
    documents are rendered.

    Op: report.municipality {municipality (name or code), year, format md
    (default) | html}. Data: {municipality: {code, name}, year, format,
    sessions, participants, text}.
*/
#ifndef SAMEN_REPORTING_MUNICIPALITY_OVERVIEW_H
#define SAMEN_REPORTING_MUNICIPALITY_OVERVIEW_H

#include "../../common/service.h"

int op_report_municipality(sm_ctx_t *ctx, const msgpack_object *args);

#endif
