/*  services/reporting/yardstick.h - the yardstick (meetlat) recorded per
    theme or per decision: the store and the ops (the rules and the text
    blocks are yardstick_rules.h).

        db          key                                  value
        yardsticks  subject letter + number (16 bytes,   {subject, theme, answers:
                    sm_key_pair: 'T' or 'D', then N)      [{principle, score, note}],
                                                          updated_ms}

    The subject is a theme (T4, as reporting knows it from scheduling's
    events) or a decision (D2, decision.h). An answer is a score (yes,
    partly, no) and a note, per principle number; recording again replaces
    what it names, a note "" clears one. An answer to a number beyond the
    checklist (it was made shorter) is kept and not shown.

    The yearly overview shows the yardstick of each of its themes, the
    passage the one of its theme, or of the decision it is made for
    (documents.c, overview_yardstick.c). `yardstick.missing` lists the
    themes (not proposed or dropped, on the year's agenda) and decisions
    (taken that year) whose yardstick is not filled in completely.

    Ops:    yardstick.record, yardstick.show, yardstick.missing,
            yardstick.checklist
    Events: reporting.yardstick.recorded {subject, theme, answered, of}
            (no notes: they are fetched, never broadcast)
*/
#ifndef SAMEN_REPORTING_YARDSTICK_H
#define SAMEN_REPORTING_YARDSTICK_H

#include "../../common/service.h"
#include "yardstick_rules.h"
#include <stdint.h>

#define YARDSTICK_DBS "yardsticks"

/*  Load what was recorded for subject (letter 'T' or 'D', its number) into
    *view, with the service's checklist (view->recorded false when
    nothing was). Free with yardstick_view_free, also after a failure.
    Returns 0, or -1 (ctx error). */
int yardstick_view_load(sm_ctx_t *ctx, char letter, uint64_t number, yardstick_view_t *view);

/*  Free what a loaded view holds; safe on an empty or freed one. */
void yardstick_view_free(yardstick_view_t *view);

/*  Pack "answered", "of" and "complete" of a view. Can't fail. */
#define YARDSTICK_STATE_NPAIRS 3
void yardstick_pack_state(msgpack_packer *pk, const yardstick_view_t *v);

int op_yardstick_record(sm_ctx_t *ctx, const msgpack_object *args);
int op_yardstick_show(sm_ctx_t *ctx, const msgpack_object *args);
int op_yardstick_missing(sm_ctx_t *ctx, const msgpack_object *args);
int op_yardstick_checklist(sm_ctx_t *ctx, const msgpack_object *args);

#endif
