/*  services/scheduling/method.c - the participation methods. See method.h.

    The codes, names and other spellings are common/vocab.h's method table,
    shared with reporting and samenctl. */
#include "method.h"
#include "common/i18n.h"
#include "common/text.h"
#include "common/vocab.h"
#include <stddef.h>

bool method_valid(int m)
{
    return m >= 0 && m < METHOD_COUNT;
}

const char *method_code(method_t m)
{
    return method_valid((int)m) ? sm_vocab_code(&SM_VOCAB_METHOD, (int)m) : "?";
}

const char *method_name(method_t m)
{
    return method_valid((int)m) ? sm_vocab_name(&SM_VOCAB_METHOD, (int)m) : "?";
}

const char *method_name_nl(method_t m)
{
    if (!method_valid((int)m))
        return "?";
    return sm_i18n_pgettext_in("nl", SM_VOCAB_METHOD.context, SM_VOCAB_METHOD.words[m].name);
}

int method_parse(const char *text, method_t *out, const char *field, sm_err_t *err)
{
    const char *what = field ? field : "method";
    if (!text || !*text)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, what,
                          _("%s is missing; give a method code: FG, I, SB, E, KB, WB, T, C or N"),
                          what);
    int m = sm_vocab_find(&SM_VOCAB_METHOD, text);
    if (m >= 0 && m < METHOD_COUNT) {
        *out = (method_t)m;
        return 0;
    }
    /*  printable ASCII only: a refusal never echoes control bytes or a
        broken UTF-8 sequence back to the client */
    char quoted[48];
    sm_text_excerpt(text, quoted, sizeof quoted);
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, what,
                      _("%s \"%s\" is not a known method; use one of FG (focus group), I "
                        "(interviews), SB (mirror meeting), E (survey), KB (sounding-board group), "
                        "WB (work visit), T (test session), C (café) or N (network meeting)"),
                      what, quoted);
}
