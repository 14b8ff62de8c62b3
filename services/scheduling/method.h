/*  services/scheduling/method.h - the participation methods and their codes.

    The programme's own planning grid writes a method as a short code; people
    type the code, the English name or the Dutch name:

        code  English               Dutch (as users know it)
        FG    focus group           focusgroep
        I     interviews            interviews
        SB    mirror meeting        spiegelbijeenkomst
        E     survey                enquête
        KB    sounding-board group  klankbordgroep
        WB    work visit            werkbezoek
        T     test session          testsessie
        C     café                  café (recurring meeting / terugkerende bijeenkomst)
        N     network meeting       netwerkbijeenkomst

    Lookup ignores ASCII case, spaces, hyphens and underscores and accepts é/ê
    for e, so "fg", "Focus group", "FOCUSGROEP", "enquete" and "sounding board
    group" all resolve. The canonical code is always upper case. The table
    is common/vocab.h's SM_VOCAB_METHOD; the Dutch names are po/nl.po's.
*/
#ifndef SAMEN_SCHEDULING_METHOD_H
#define SAMEN_SCHEDULING_METHOD_H

#include "common/err.h"

typedef enum {
    METHOD_FG, //  focus group (focusgroep)
    METHOD_I,  //  interviews
    METHOD_SB, //  mirror meeting (spiegelbijeenkomst)
    METHOD_E,  //  survey (enquête)
    METHOD_KB, //  sounding-board group (klankbordgroep)
    METHOD_WB, //  work visit (werkbezoek)
    METHOD_T,  //  test session
    METHOD_C,  //  café / recurring meeting
    METHOD_N,  //  network meeting
    METHOD_COUNT
} method_t;

/*  Returns true when m is one of the methods above. */
bool method_valid(int m);

/*  Returns the canonical upper-case code ("FG"), or "?" when m is not valid.
    The string is static. */
const char *method_code(method_t m);

/*  Returns the name in the reader's language (common/i18n.h): "focus
    group", or "focusgroep" in Dutch; "?" when m is not valid. */
const char *method_name(method_t m);

/*  Returns the Dutch name ("focusgroep") whatever the reader's language,
    or "?" when m is not valid (the English one when the Dutch catalogue is
    missing). */
const char *method_name_nl(method_t m);

/*  Resolve text (a code, English name or Dutch name; see above) into *out.
    Returns 0, or -1 with err (SM_E_INVALID_ARGUMENT, field) listing the
    codes that would be accepted; *out is untouched then. NULL text is
    refused the same way. */
int method_parse(const char *text, method_t *out, const char *field, sm_err_t *err);

#endif
