/*  services/scheduling/theme.h - themes (onderwerpen) on the annual agenda: the store and the ops.

    Ops:    theme.add, theme.update, theme.get, theme.list
    Events: scheduling.theme.created, scheduling.theme.updated
            {id, title, domain, phase, youth_relevant, years, scope,
             municipalities, status} (the project leader and political lead
            are people's names and stay out of events)
            scheduling.theme.assigned {id, owner, deputy}: its owners changed
            scheduling.handover.applied {person, successor, items}: a person
            left (common/owner.h)

    Owner and project leader. A theme's owner and deputy are people known
    to samen (W3, common/owner.h): they answer for it, lists filter on
    them, and when they leave the theme is handed over. The project leader
    and political lead remain what they were: free text, the names the
    agenda for the portfolio holders prints (a political lead is an
    alderman, not one of the programme's own people). Usually the project
    leader IS the owner; samen does not tie the two texts together, because
    names never leave intake. A store from before owners (schema 2) keeps
    its texts as they were, and its themes have no owner until given one.

    The rules for a valid theme are in theme_rules.h; this file decodes
    requests, resolves municipalities (by name or statistics-office code,
    against the list finance publishes), stores and emits.
*/
#ifndef SAMEN_SCHEDULING_THEME_H
#define SAMEN_SCHEDULING_THEME_H

#include "common/service.h"
#include "theme_rules.h"

/*  Load T<id>. Returns 1 found, 0 unknown, -1 with the ctx error set. */
int theme_load(sm_ctx_t *ctx, uint64_t id, theme_t *out);

/*  Load T<id> or refuse with SM_E_NOT_FOUND naming field. Returns 0 or -1. */
int theme_require(sm_ctx_t *ctx, uint64_t id, const char *field, theme_t *out);

/*  Pack t as the map replies carry (all fields, IDs as "T4", years as
    numbers, n_sessions when >= 0). The project leader and political lead
    are names of people: nil unless personal (sm_ctx_sees_personal). Can't
    fail. */
void theme_pack(msgpack_packer *pk, const theme_t *t, long n_sessions, bool personal);

/*  All themes in id order into a malloc'd array (*out, caller frees).
    Returns the count, or -1 with the ctx error set. */
long theme_load_all(sm_ctx_t *ctx, theme_t **out);

int op_theme_add(sm_ctx_t *ctx, const msgpack_object *args);
int op_theme_update(sm_ctx_t *ctx, const msgpack_object *args);
int op_theme_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_theme_list(sm_ctx_t *ctx, const msgpack_object *args);

/*  Themes as things people own (common/owner.h): open unless completed or
    dropped. An array ended by letter 0. */
extern const sm_owned_kind_t theme_owned_kinds[];

/*  Follower of intake.person.*: keeps the people scheduling knows and,
    when one leaves, hands their open themes over (common/owner.h). */
int on_intake_person(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data);

#endif
