/*  services/site/fetch.h - the public view of the programme, asked of the services through the
   broker.

    One build's data, every item through an op declared for the role
    service:site (proto/ops_*.c), never intake:

        scheduling  theme.public.list, session.public.list (paged),
                    session.calendar {from: 90 days ago} (the iCalendar feed)
        reporting   report.public.list (paged), report.public.get per
                    report version not fetched before, outcome.list
                    (paged), report.annual {year, format: "rows"} for every
                    year from the first agenda year to this one
        finance     municipality.list, for the municipalities' names (when
                    finance does not answer, the names of the previous
                    build, or the codes, are shown: the site does not wait
                    for finance)

    A report's text is fetched once per version: prev (the previous build's
    data) lends the texts it already has. Every reply is checked as it is
    decoded (services/site/model.h).
*/
#ifndef SAMEN_SITE_FETCH_H
#define SAMEN_SITE_FETCH_H

#include "common/client.h"
#include "common/date.h"
#include "common/err.h"
#include "services/site/model.h"

/*  Fill *out (emptied first) with the public view as of today. prev may be
    NULL. timeout_ms is one request's wait (each is tried twice). Returns
    0, or -1 with err (the service, the op and why) and *out empty. */
int site_fetch(sm_client_t *client, int timeout_ms, sm_date_t today, const site_data_t *prev,
               site_data_t *out, sm_err_t *err);

#endif
