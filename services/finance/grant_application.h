/*  services/finance/grant_application.h - applications for residents' initiatives.

    An application (G1, G2, ...) asks a pool for money for an initiative:
    its name, the applicant (a participant P-id or an organisation O-id,
    from intake), the district, the amount requested, the intended result
    (what brings people now outside the community back in) and the
    answers to the criteria (a map from criterion to answer). It is then
    decided (awarded, at most the pool's remainder and what was asked, or
    rejected with a reason), paid, visited (the interim evaluation, with
    a date and notes), accounted for afterwards (result reached, partly or
    not, with a narrative) and closed; grant.h holds the rules.

    The texts are residents' and staff's own words: they stay here and no
    event carries them. When intake erases a participant who applied, the
    application keeps its money and its result (the figures must add up)
    but loses its link to the applicant and the applicant's answers.

    `grant.stats` counts per year, over a range of years: applications,
    amounts requested, awarded and paid, and the share of the accounted
    initiatives that reached their intended result.

    Each application may have an owner and a deputy from the programme's
    own people (W3, common/owner.h): who follows the initiative up. Set
    with grant.apply or grant.assign, filtered on with grant.list {owner},
    handed over when the owner leaves.

    Ops: grant.apply, grant.get, grant.list, grant.award, grant.reject,
         grant.withdraw, grant.pay, grant.evaluate, grant.account,
         grant.close, grant.stats, grant.assign
    Events: finance.grant.assigned {id, owner, deputy}: its owners changed;
         finance.handover.applied {person, successor, items}: a person left
    Follows: intake.participant.erased, intake.person.*
*/
#ifndef SAMEN_FINANCE_GRANT_APPLICATION_H
#define SAMEN_FINANCE_GRANT_APPLICATION_H

#include "../../common/owner.h"
#include "../../common/service.h"

/*  Pack the stored applications whose applicant is participant (a P
    number), at most max, in ID order, back to back into out (the caller
    packs the array around them: participant.export, export.h). *more is
    set when there are more than max. Returns the number packed, or -1 on
    error (ctx error set). */
long grant_pack_by_applicant(sm_ctx_t *ctx, uint64_t participant, size_t max, sm_buf_t *out,
                             bool *more);

/*  Event handler for intake.participant.* (see sm_follow_t).
    Returns 0 (also for events it has no use for), or -1 with the context's
    error set: the event is then logged as not applied and skipped. */
int on_intake_applicant(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data);

/*  Op handlers (arguments, data and errors in proto/ops-finance.md): each
    returns 0 with its reply packed, or -1 with the context's error set (its
    writes are then undone). */
int op_grant_apply(sm_ctx_t *ctx, const msgpack_object *args);
int op_grant_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_grant_list(sm_ctx_t *ctx, const msgpack_object *args);
int op_grant_award(sm_ctx_t *ctx, const msgpack_object *args);
int op_grant_reject(sm_ctx_t *ctx, const msgpack_object *args);
int op_grant_withdraw(sm_ctx_t *ctx, const msgpack_object *args);
int op_grant_pay(sm_ctx_t *ctx, const msgpack_object *args);
int op_grant_evaluate(sm_ctx_t *ctx, const msgpack_object *args);
int op_grant_account(sm_ctx_t *ctx, const msgpack_object *args);
int op_grant_close(sm_ctx_t *ctx, const msgpack_object *args);
int op_grant_stats(sm_ctx_t *ctx, const msgpack_object *args);
int op_grant_assign(sm_ctx_t *ctx, const msgpack_object *args);

/*  Applications as things people own (common/owner.h): open unless
    closed, rejected or withdrawn. An array ended by letter 0. */
extern const sm_owned_kind_t grant_owned_kinds[];

/*  Follower of intake.person.*: keeps the people finance knows and, when
    one leaves, hands their open applications over (common/owner.h). */
int on_intake_person(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data);

#endif
