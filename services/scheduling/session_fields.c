/*  services/scheduling/session_fields.c - descriptive fields of a session.
    See session_fields.h. */
#include "session_fields.h"
#include "common/i18n.h"
#include "common/text.h"
#include "common/vocab.h"
#include <stdio.h>
#include <string.h>

/*  The words are common/vocab.h's tables: locations in the order of
    location_kind_t after LOCATION_NONE, tasks in the order of
    support_task_t. */

const char *location_kind_name(location_kind_t k)
{
    if (k == LOCATION_NONE)
        return "";
    return (int)k > 0 && k < LOCATION_KIND_COUNT ? sm_vocab_code(&SM_VOCAB_LOCATION, (int)k - 1)
                                                  : "?";
}

int location_kind_parse(const char *text, location_kind_t *out, const char *field, sm_err_t *err)
{
    //  LOCATION_NONE is never matched: it is the absence of a kind; the
    //  table starts at LOCATION_ADDRESS.
    int i = sm_vocab_find(&SM_VOCAB_LOCATION, text);
    if (i < 0) {
        char quoted[48];
        sm_text_excerpt(text, quoted, sizeof quoted);
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s \"%s\" is not a kind of location; use address, online or on_site"),
                          field, quoted);
    }
    *out = (location_kind_t)(i + 1);
    return 0;
}

const char *support_task_name(support_task_t t)
{
    return (int)t >= 0 && t < TASK_COUNT ? sm_vocab_code(&SM_VOCAB_TASK, (int)t) : "?";
}

int support_tasks_parse(const char *items, size_t item_size, size_t n, uint32_t *mask,
                        const char *field, sm_err_t *err)
{
    uint32_t m = 0;
    for (size_t k = 0; k < n; k++) {
        const char *text = items + k * item_size;
        int i = sm_vocab_find(&SM_VOCAB_TASK, text);
        if (i < 0) {
            char quoted[48];
            sm_text_excerpt(text, quoted, sizeof quoted);
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s \"%s\" is not a support task; use recruitment, facilitation, "
                                "minutes, feedback, programme, contacts or handover"),
                              field, quoted);
        }
        m |= 1u << i;
    }
    *mask = m;
    return 0;
}

char *target_group_normalise(char *s)
{
    sm_trim(s);
    return sm_ascii_lower(s);
}

size_t text_list_dedupe(char *items, size_t item_size, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(items + j * item_size, items + i * item_size) == 0;
        if (seen)
            continue;
        if (k != i)
            memcpy(items + k * item_size, items + i * item_size, item_size);
        k++;
    }
    return k;
}
