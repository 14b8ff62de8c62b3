/*  services/finance/payee.h - participants' bank accounts for reimbursements.

    A participant who wants a reimbursement paid by bank gives an IBAN (and
    optionally the account holder's name). Both are personal data: they
    are kept only here, in the `payees` database keyed by the participant's
    number; they are validated (iban.h: form, country length, ISO 7064
    mod 97 check digits) before they are stored; they never appear in an
    event or a log line; replies show the masked form only
    ("NL** **** **** **** 4300"), except the person's own access request
    (participant.export, export.h), which shows their IBAN. When intake erases a participant
    (intake.participant.erased) the record is deleted in the same
    transaction that moves the cursor on intake's log; the entitlements
    and their amounts stay, as bookkeeping must.

    Ops: payee.set, payee.get, payee.remove
    Follows: intake.participant.erased
*/
#ifndef SAMEN_FINANCE_PAYEE_H
#define SAMEN_FINANCE_PAYEE_H

#include "common/service.h"
#include "iban.h"

/*  Longest account holder's name, in characters (proto/ops_finance.c),
    and the bytes that takes in UTF-8. */
#define PAYEE_HOLDER_MAX 120
#define PAYEE_HOLDER_SIZE (4 * PAYEE_HOLDER_MAX + 1)

/*  A bank account on file. */
typedef struct {
    char iban[IBAN_SIZE];              //  electronic form, no spaces
    char holder[PAYEE_HOLDER_SIZE];    //  "" when none was given
    char set_on[11];                   //  YYYY-MM-DD
} payee_t;

/*  The bank account of participant (a P number) into *out, the IBAN in
    full: only for the participant's own access request (export.h); clear
    it (explicit_bzero) when done. Returns 1 when one is on file, 0 when
    not, -1 on error (ctx error set). */
int payee_load(sm_ctx_t *ctx, uint64_t participant, payee_t *out);

/*  Pack p as participant.export shows it: {iban, holder, set_on}. For a
    caller who may see bank accounts (personal) the IBAN in full and the
    holder; for anyone else (intake gathering an export for a coordinator)
    the IBAN masked and no holder. Can't fail. */
void payee_pack(msgpack_packer *pk, const payee_t *p, bool personal);

/*  The masked IBAN of participant (a P number) into mask (IBAN_MASK_SIZE
    bytes). Returns 1 when one is on file, 0 when not, -1 on error (ctx
    error set). */
int payee_mask(sm_ctx_t *ctx, uint64_t participant, char *mask);

/*  Event handler for intake.participant.* (see sm_follow_t).
    Returns 0 (also for events it has no use for), or -1 with the context's
    error set: the event is then logged as not applied and skipped. */
/*  1 when intake erased this participant (finance keeps the bare ID of
    erased participants, nothing else), 0 when not, -1 on a store error. */
int payee_erased(sm_ctx_t *ctx, uint64_t participant);

int on_intake_participant(sm_ctx_t *ctx, const char *type, uint64_t seq,
                          const msgpack_object *data);

/*  Op handlers (arguments, data and errors in proto/ops-finance.md): each
    returns 0 with its reply packed, or -1 with the context's error set (its
    writes are then undone). */
int op_payee_set(sm_ctx_t *ctx, const msgpack_object *args);
int op_payee_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_payee_remove(sm_ctx_t *ctx, const msgpack_object *args);

#endif
