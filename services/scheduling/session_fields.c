/*  services/scheduling/session_fields.c - descriptive fields of a session.
    See session_fields.h. */
#include "session_fields.h"
#include "common/text.h"
#include "proto/words_scheduling.h"
#include <stdio.h>
#include <string.h>

const char *location_kind_name(location_kind_t k)
{
    if (k == LOCATION_NONE)
        return "";
    return (int)k > 0 && k < LOCATION_KIND_COUNT ? sched_location_kinds[k - 1] : "?";
}

int location_kind_parse(const char *text, location_kind_t *out, const char *field, sm_err_t *err)
{
    //  sched_location_kinds starts at LOCATION_ADDRESS.
    int i = words_find(text, sched_location_kinds, LOCATION_KIND_COUNT - 1,
                       sched_location_kind_aliases);
    if (i < 0) {
        char quoted[48];
        sm_text_excerpt(text, quoted, sizeof quoted);
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          "%s \"%s\" is not a kind of location; use address, online or on_site",
                          field, quoted);
    }
    *out = (location_kind_t)(i + 1);
    return 0;
}

const char *support_task_name(support_task_t t)
{
    return (int)t >= 0 && t < TASK_COUNT ? sched_tasks[t] : "?";
}

int support_tasks_parse(const char *items, size_t item_size, size_t n, uint32_t *mask,
                        const char *field, sm_err_t *err)
{
    uint32_t m = 0;
    for (size_t k = 0; k < n; k++) {
        const char *text = items + k * item_size;
        int i = words_find(text, sched_tasks, TASK_COUNT, sched_task_aliases);
        if (i < 0) {
            char quoted[48];
            sm_text_excerpt(text, quoted, sizeof quoted);
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              "%s \"%s\" is not a support task; use recruitment, facilitation, "
                              "minutes, feedback, programme, contacts or handover",
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
