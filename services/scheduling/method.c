/*  services/scheduling/method.c - the participation methods. See method.h.
    The codes and names are in proto/words_scheduling.c, shared with the
    op declarations. */
#include "method.h"
#include "common/text.h"
#include "proto/words_scheduling.h"
#include <stddef.h>

_Static_assert(METHOD_COUNT == SCHED_METHODS, "method_t and sched_methods must agree");

bool method_valid(int m)
{
    return m >= 0 && m < METHOD_COUNT;
}

const char *method_code(method_t m)
{
    return method_valid((int)m) ? sched_methods[m].code : "?";
}

const char *method_name(method_t m)
{
    return method_valid((int)m) ? sched_methods[m].name : "?";
}

const char *method_name_nl(method_t m)
{
    return method_valid((int)m) ? sched_methods[m].name_nl : "?";
}

int method_parse(const char *text, method_t *out, const char *field, sm_err_t *err)
{
    const char *what = field ? field : "method";
    if (!text || !*text)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, what,
                          "%s is missing; give a method code: FG, I, SB, E, KB, WB, T, C or N",
                          what);
    int m = sched_method_find(text);
    if (m >= 0) {
        *out = (method_t)m;
        return 0;
    }
    char quoted[48];
    sm_text_excerpt(text, quoted, sizeof quoted);
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, what,
                      "%s \"%s\" is not a known method; use one of FG (focus group), I "
                      "(interviews), SB (mirror meeting), E (survey), KB (sounding-board group), "
                      "WB (work visit), T (test session), C (café) or N (network meeting)",
                      what, quoted);
}
