/*  services/scheduling/session_fields.c - descriptive fields of a session.
    See session_fields.h. */
#include "session_fields.h"
#include "common/text.h"
#include "words.h"
#include <stdio.h>
#include <string.h>

static const char *const s_kinds[LOCATION_KIND_COUNT] = {"", "address", "online", "on_site"};
static const word_alias_t s_kind_aliases[] = {{"adres", LOCATION_ADDRESS},
                                              {"venue", LOCATION_ADDRESS},
                                              {"video", LOCATION_ONLINE},
                                              {"op locatie", LOCATION_ON_SITE},
                                              {"vindplaats", LOCATION_ON_SITE},
                                              {NULL, 0}};

static const char *const s_tasks[TASK_COUNT] = {"recruitment", "facilitation", "minutes",
                                                "feedback",    "programme",    "contacts",
                                                "handover"};
static const word_alias_t s_task_aliases[] = {{"werving", TASK_RECRUITMENT},
                                              {"gespreksleiding", TASK_FACILITATION},
                                              {"verslaglegging", TASK_MINUTES},
                                              {"verslag", TASK_MINUTES},
                                              {"report", TASK_MINUTES},
                                              {"terugkoppeling", TASK_FEEDBACK},
                                              {"program", TASK_PROGRAMME},
                                              {"programma", TASK_PROGRAMME},
                                              {"contacten", TASK_CONTACTS},
                                              {"overdracht", TASK_HANDOVER},
                                              {NULL, 0}};

const char *location_kind_name(location_kind_t k)
{
    return (int)k >= 0 && k < LOCATION_KIND_COUNT ? s_kinds[k] : "?";
}

int location_kind_parse(const char *text, location_kind_t *out, const char *field, sm_err_t *err)
{
    //  Index 0 ("") is never matched: words_find refuses empty text.
    int i = words_find(text, s_kinds, LOCATION_KIND_COUNT, s_kind_aliases);
    if (i <= 0) {
        char quoted[48];
        sm_text_excerpt(text, quoted, sizeof quoted);
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          "%s \"%s\" is not a kind of location; use address, online or on_site",
                          field, quoted);
    }
    *out = (location_kind_t)i;
    return 0;
}

const char *support_task_name(support_task_t t)
{
    return (int)t >= 0 && t < TASK_COUNT ? s_tasks[t] : "?";
}

int support_tasks_parse(const char *items, size_t item_size, size_t n, uint32_t *mask,
                        const char *field, sm_err_t *err)
{
    uint32_t m = 0;
    for (size_t k = 0; k < n; k++) {
        const char *text = items + k * item_size;
        int i = words_find(text, s_tasks, TASK_COUNT, s_task_aliases);
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
