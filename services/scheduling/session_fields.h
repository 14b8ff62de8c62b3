/*  services/scheduling/session_fields.h - the descriptive fields of a session.

    Where it happens (location kind), what the coordinator does for it
    (support tasks, DOMAIN.md §1-§2) and whom it looks for (target groups):

        location kind   address   a venue with a street address
                        online    a video call; the location text is the link
                        on_site   at the finding place (a school, a care
                                  location, a sports club) for a work visit
        support task    recruitment (werving), facilitation (gespreksleiding),
                        minutes (verslaglegging), feedback (terugkoppeling),
                        programme (drafting the programme), contacts (making
                        contacts), handover (to an experience expert)

    Target groups are open words (intake keeps the participants' own list:
    "statushouders", "foster parents", "youth"); they are compared ignoring
    case, so they are stored trimmed and in ASCII lower case.
*/
#ifndef SAMEN_SCHEDULING_SESSION_FIELDS_H
#define SAMEN_SCHEDULING_SESSION_FIELDS_H

#include "common/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    LOCATION_NONE, //  not known yet
    LOCATION_ADDRESS,
    LOCATION_ONLINE,
    LOCATION_ON_SITE,
    LOCATION_KIND_COUNT
} location_kind_t;

typedef enum {
    TASK_RECRUITMENT,  //  werving
    TASK_FACILITATION, //  gespreksleiding
    TASK_MINUTES,      //  verslaglegging
    TASK_FEEDBACK,     //  terugkoppeling
    TASK_PROGRAMME,    //  drafting the programme
    TASK_CONTACTS,     //  making contacts
    TASK_HANDOVER,     //  handing over to an experience expert
    TASK_COUNT
} support_task_t;

/*  "address", "online", "on_site", or "" for LOCATION_NONE; "?" when out of
    range. Static strings. */
const char *location_kind_name(location_kind_t k);

/*  Parse "address", "online" or "on_site" ("on site", "on-site", "adres",
    "op locatie" too). Returns 0, or -1 with err naming field. */
int location_kind_parse(const char *text, location_kind_t *out, const char *field, sm_err_t *err);

/*  "recruitment" ... "handover"; "?" when out of range. Static strings. */
const char *support_task_name(support_task_t t);

/*  Parse n task words into a bit set (bit i = support_task_t i; duplicates
    are harmless). Returns 0, or -1 with err naming field and listing the
    accepted words; *mask is untouched then. */
int support_tasks_parse(const char *items, size_t item_size, size_t n, uint32_t *mask,
                        const char *field, sm_err_t *err);

/*  Trim ASCII blanks at both ends and lower-case ASCII letters, in place.
    Returns s. Can't fail. */
char *target_group_normalise(char *s);

/*  Drop repeated items (exact byte comparison) from items[0..n) (rows of
    item_size bytes), keeping the first of each in order. Returns the new
    count. Can't fail. */
size_t text_list_dedupe(char *items, size_t item_size, size_t n);

#endif
