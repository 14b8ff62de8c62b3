/*  services/finance/entitlement.h - participants' reimbursements.

    An entitlement (E1, E2, ...) is one participant's reimbursement for one
    session (vergoeding). It is created by the attendance that scheduling
    records (scheduling.attendance.recorded with attended true and a
    reimbursement_cents above zero: the session's amount), or by hand for
    an attendance kept on paper (entitlement.add, with the default amount,
    finance/reimbursement_default_cents, unless an amount is given).

    Exactly once: the event handler runs in the same transaction that
    moves the cursor on scheduling's log (common/service.h), and every
    entitlement is also indexed by its (session, participant) pair, so
    neither a duplicated delivery, nor a restart between applying an event
    and anything else, nor a second distinct event for the same pair can
    create a second one. An attendance corrected to attended false waives
    an entitlement nobody has claimed yet.

    The entitlement then moves entitled -> claimed -> approved -> paid, or
    to waived (reimbursement.h). Paying takes a payment reference and is
    refused when it would take the year's paid reimbursements past the
    yearly cap (finance/reimbursement_cap_cents) unless an override reason
    is given. The year of an entitlement is the year of the session
    (held_on), the year whose budget pays it.

    Per year the totals are kept in one record (reimbursement_years), so
    that the cap check and the budget's reimbursement line need no scan.

    Ops: entitlement.add, entitlement.get, entitlement.list, entitlement.claim,
         entitlement.approve, entitlement.pay, entitlement.waive,
         reimbursement.year
    Events: finance.entitlement.created {id, participant, session, amount_cents}
            finance.entitlement.paid {id, participant, amount_cents}
    Follows: scheduling.attendance.recorded
*/
#ifndef SAMEN_FINANCE_ENTITLEMENT_H
#define SAMEN_FINANCE_ENTITLEMENT_H

#include "../../common/service.h"

/*  One year's reimbursement totals. */
typedef struct {
    int year;
    int64_t entitled_count;  /*  entitlements created (waived ones included) */
    int64_t entitled_cents;  /*  their amounts, waived ones excluded */
    int64_t committed_cents; /*  claimed or approved, not yet paid */
    int64_t paid_cents;
    int64_t paid_count;
    int64_t waived_cents;
} reimb_year_t;

/*  Load a year's totals (zeros when nothing was booked yet). Returns 0 or
    -1 (ctx error set). */
int reimb_year_get(sm_ctx_t *ctx, int year, reimb_year_t *out);

/*  Pack the stored entitlements of participant (a P number), at most max,
    in ID order, back to back into out (the caller packs the array around
    them: participant.export, export.h). *more is set when there are more
    than max. Returns the number packed, or -1 on error (ctx error set). */
long entitlement_pack_of(sm_ctx_t *ctx, uint64_t participant, size_t max, sm_buf_t *out,
                         bool *more);

/*  Event handler for scheduling.attendance.* (see sm_follow_t).
    Returns 0 (also for events it has no use for), or -1 with the context's
    error set: the event is then logged as not applied and skipped. */
int on_scheduling_attendance(sm_ctx_t *ctx, const char *type, uint64_t seq,
                             const msgpack_object *data);

/*  Op handlers (arguments, data and errors in proto/ops-finance.md): each
    returns 0 with its reply packed, or -1 with the context's error set (its
    writes are then undone). */
int op_entitlement_add(sm_ctx_t *ctx, const msgpack_object *args);
int op_entitlement_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_entitlement_list(sm_ctx_t *ctx, const msgpack_object *args);
int op_entitlement_claim(sm_ctx_t *ctx, const msgpack_object *args);
int op_entitlement_approve(sm_ctx_t *ctx, const msgpack_object *args);
int op_entitlement_pay(sm_ctx_t *ctx, const msgpack_object *args);
int op_entitlement_waive(sm_ctx_t *ctx, const msgpack_object *args);
int op_reimbursement_year(sm_ctx_t *ctx, const msgpack_object *args);

#endif
