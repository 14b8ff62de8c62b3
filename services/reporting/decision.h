/*  services/reporting/decision.h - decisions: the documents put to the
    portfolio holders about a theme, each carrying the passage on how the
    residents' perspective was obtained and processed, and the yardstick
    (yardstick.h) it was held against.

        db                  key        value
        decisions           D number   {id, theme, title, date, reference, created_ms}
        decisions_by_theme  (T, D)     (empty)

    A decision (D2) is about one theme, has a title (the programme's own
    words, e.g. "Besluit evaluatie Wmo-taxi"), the day it was taken or put
    to the portfolio holders, and optionally the reference the minutes use.
    `report passage T4 --decision D2` writes its passage with its
    yardstick; `yardstick missing` lists decisions whose yardstick is not
    filled in.

    Ops:    decision.add, decision.get, decision.list
    Events: reporting.decision.added {id, theme, date} (no title: texts are
            fetched, never broadcast)
*/
#ifndef SAMEN_REPORTING_DECISION_H
#define SAMEN_REPORTING_DECISION_H

#include "../../common/date.h"
#include "../../common/service.h"
#include <stdint.h>

#define DECISION_DBS "decisions", "decisions_by_theme"
#define DECISION_TITLE_MAX 200

typedef struct {
    uint64_t id;
    uint64_t theme;
    char title[DECISION_TITLE_MAX * 4 + 1];
    sm_date_t date;
    char reference[121 * 4];
} decision_t;

/*  Load D<id>. Returns 1, 0 unknown, -1 (ctx error). */
int decision_load(sm_ctx_t *ctx, uint64_t id, decision_t *out);

/*  Load D<id> or refuse (not_found naming field). Returns 0 or -1. */
int decision_require(sm_ctx_t *ctx, uint64_t id, const char *field, decision_t *out);

/*  The decision the "decision" argument names, which must be on theme
    (else invalid_argument naming "decision"). Returns 0 or -1. */
int decision_of_theme(sm_ctx_t *ctx, uint64_t theme, decision_t *out);

/*  Visit every decision in ID order. Returns 0, or -1 when fn did. */
int decision_each(sm_ctx_t *ctx, int (*fn)(sm_ctx_t *ctx, const decision_t *d, void *arg),
                  void *arg);

int op_decision_add(sm_ctx_t *ctx, const msgpack_object *args);
int op_decision_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_decision_list(sm_ctx_t *ctx, const msgpack_object *args);

#endif
