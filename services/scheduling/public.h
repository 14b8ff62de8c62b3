/*  services/scheduling/public.h - the public view of the agenda: what a website may show.

    The programme announces every session on the region's website
    (DOMAIN.md §3). These ops give a public site (samen-site, or any other
    subscriber) exactly what it may publish, whoever asks: the plain
    list ops return more (a theme's project leader and political lead,
    a session's facilitators and support tasks), and without CurveZMQ
    every local caller counts as an admin, so leaving fields out by role
    alone would not keep them off a website.

    theme.public.list    {after, limit} -> {themes: [theme], next}: every
                         theme with the fields of theme.list except the
                         people's names (project_leader and political_lead
                         are always nil)
    session.public.list  {theme, after, limit} -> {sessions: [session], next}:
                         {id, theme, method, title, question, when, start,
                          end, start_local, end_local, period, tentative,
                          status, location, location_kind, capacity,
                          places_left, waitlisted, reimbursement_cents,
                          target_groups, municipalities, follow_up_of,
                          register_by, held_on}; never facilitators, support tasks or who
                         registered (places_left and waitlisted are counts)

    Both are reads, declared in proto/ops_scheduling.c for the people who
    read the programme's data and the role service:site.
*/
#ifndef SAMEN_SCHEDULING_PUBLIC_H
#define SAMEN_SCHEDULING_PUBLIC_H

#include "common/service.h"

int op_theme_public_list(sm_ctx_t *ctx, const msgpack_object *args);
int op_session_public_list(sm_ctx_t *ctx, const msgpack_object *args);

#endif
