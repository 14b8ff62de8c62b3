/*  services/intake/advice.h - signals and advice that come in, their
    answers and evaluations, and the deadlines on both.

    An inbound item (A7) is a signal from a resident, solicited advice
    (gevraagd advies) or unsolicited advice (ongevraagd advies) from the
    advisory council; from a participant (P12), an organisation (O3) or
    nobody in the file; about a theme (T4) or not; with a summary and the
    date it was received. The deadline rules are in deadline.h: the answer
    is due answer_period after receipt, the evaluation evaluation_period
    after the answer (settings, per item overridable; each item keeps the
    periods it was received with).

    Each item may have an owner and a deputy from the programme's own
    people (W3, common/owner.h): set with advice.add or advice.assign,
    filtered on with advice.list {owner}, handed over when the owner leaves
    (an item is open until evaluated).

    Ops:     advice.add, advice.answer, advice.evaluate, advice.get,
             advice.list, advice.overdue, advice.assign
    Events:  intake.advice.received {id, kind, theme, from, received, answer_due}
             intake.advice.answered {id, outcome, answered, evaluation_due}
             intake.advice.evaluated {id, evaluated}
             intake.advice.overdue {id, what, due, days_late}: once per item
                 and kind of lateness, from the service's tick (advice_overdue_check)
             intake.advice.assigned {id, owner, deputy}: its owners changed

    Texts (summary, answer, evaluation, reason) are never in events, and
    never in the replies to writes (those are kept for retries): only
    advice.get and advice.list show them. When a participant is erased,
    the summaries of what they sent are erased and the link to them is cut
    (advice_forget_sender).
*/
#ifndef SAMEN_INTAKE_ADVICE_H
#define SAMEN_INTAKE_ADVICE_H

#include "common/owner.h"
#include "common/service.h"
#include "deadline.h"
#include <stdbool.h>
#include <stdint.h>

#define ADVICE_TEXT_MAX_CHARS 4000
#define ADVICE_TEXT_SIZE (ADVICE_TEXT_MAX_CHARS * 4 + 1)

/*  Check a free text of several lines: trimmed, 1..max_chars characters
    of UTF-8; line breaks and tabs allowed, other control characters and
    bidirectional overrides not. The trimmed text is copied to out (size
    >= max_chars * 4 + 1). Returns 0, or -1 with err naming field. */
int advice_text_check(const char *text, const char *field, size_t max_chars, char *out,
                      size_t size, sm_err_t *err);

/*  Run the overdue check for today (in the tick's write transaction):
    emit intake.advice.overdue for every item newly late. Returns 0, or -1
    with the ctx error set. */
int advice_overdue_check(sm_ctx_t *ctx, sm_date_t today);

/*  Participant id is erased: cut the link from what they sent and erase
    its summaries. Returns 0, or -1 with the ctx error set. */
int advice_forget_sender(sm_ctx_t *ctx, uint64_t participant_id);

/*  Pack, as an array, what participant id sent (for the export). Returns
    0, or -1 with the ctx error set. */
int advice_pack_sent_by(sm_ctx_t *ctx, uint64_t participant_id, msgpack_packer *pk);

int op_advice_add(sm_ctx_t *ctx, const msgpack_object *args);
int op_advice_answer(sm_ctx_t *ctx, const msgpack_object *args);
int op_advice_evaluate(sm_ctx_t *ctx, const msgpack_object *args);
int op_advice_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_advice_list(sm_ctx_t *ctx, const msgpack_object *args);
int op_advice_overdue(sm_ctx_t *ctx, const msgpack_object *args);
int op_advice_assign(sm_ctx_t *ctx, const msgpack_object *args);

/*  The advice items as things people own (common/owner.h): open until
    evaluated. An array ended by letter 0, for the handover (person.c). */
extern const sm_owned_kind_t advice_owned_kinds[];

#endif
