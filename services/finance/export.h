/*  services/finance/export.h - participant.export: what finance holds about one person.

    Op: participant.export {participant: "P12"} (read), finance's part of
    the right of access. intake's participant.export asks for it while it
    waits (export_timeout_ms), so this never calls intake, or any other
    service: everything comes from finance's own store.

        {service: "finance", participant: "P12",
         entitlements: [<entitlement as stored: id, session, theme, method,
                         held_on, year, amount_cents, state, dates,
                         payment_reference, ...>],
         payee: {iban, holder, set_on} or nil,
         grant_applications: [<application as stored>],
         truncated, note}

    The payee carries the IBAN in full: it is the person's own, asked for
    by the person (every other reply shows it masked). The applications
    are those where the person is the applicant. At most
    FIN_EXPORT_ROWS_MAX entitlements and as many applications are listed
    (truncated says when there were more). An ID finance never heard of
    gives empty lists and a nil payee, not an error. After an erasure the
    bank account is gone and the applications have lost the link to the
    applicant (payee.h, grant_application.h); the entitlements stay, with
    their amounts, as bookkeeping must.
*/
#ifndef SAMEN_FINANCE_EXPORT_H
#define SAMEN_FINANCE_EXPORT_H

#include "../../common/service.h"

/*  Most entitlements, and most applications, listed in one export. */
#define FIN_EXPORT_ROWS_MAX 1000

/*  participant.export. Returns 0 with the reply packed, or -1 with the ctx
    error set (invalid_argument naming "participant", or a store error). */
int op_participant_export(sm_ctx_t *ctx, const msgpack_object *args);

#endif
