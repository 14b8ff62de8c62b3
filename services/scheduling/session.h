/*  services/scheduling/session.h - sessions (bijeenkomsten): the store and the ops.

    Ops:    session.plan, session.update, session.confirm, session.hold,
            session.cancel, session.get, session.list, session.calendar
    Events: scheduling.session.planned / .updated
                {id, theme, method, start, end, period, tentative, status,
                 capacity, reimbursement_cents, target_groups,
                 municipalities, follow_up_of, register_by}
            scheduling.session.confirmed / .held / .cancelled
                {id, theme, method, status, held_on (held only)}
            scheduling.registration.promoted when a raised capacity lets
            the waitlist in (see registration.h)

    What may happen to a session is decided by session_rules.h; this file
    decodes requests, keeps the theme and facilitator indexes in step,
    refuses a facilitator booked twice at once (unless allow_double_booking),
    creates the occurrences of a recurring series (each closing registration
    as many days before its own day as the first does), stores and emits.
*/
#ifndef SAMEN_SCHEDULING_SESSION_H
#define SAMEN_SCHEDULING_SESSION_H

#include "common/service.h"
#include "session_fields.h"
#include "session_rules.h"

//  Text limits are in characters; a buffer holds 4 bytes of UTF-8 for each.
#define SESSION_TITLE_MAX 200
#define SESSION_QUESTION_MAX 1000
#define SESSION_LOCATION_MAX 300
#define SESSION_FACILITATORS_MAX 8
#define SESSION_GROUPS_MAX 16
#define SESSION_ITEM_MAX 64 //  a facilitator or target group
#define SESSION_ITEM_SIZE (SESSION_ITEM_MAX * 4 + 1)
#define SESSION_MUNIS_MAX 16
#define SESSION_MUNI_SIZE 8

/*  A stored session. core holds what the rules, the grid and the calendar
    use; its title/location/question pointers are left NULL here (point
    them at the buffers below when handing core to ics_render). */
typedef struct {
    session_t core;
    char title[SESSION_TITLE_MAX * 4 + 1];
    char question[SESSION_QUESTION_MAX * 4 + 1];
    char location[SESSION_LOCATION_MAX * 4 + 1];
    location_kind_t location_kind;
    //  Who leads the conversation: an ID (P7) or initials, not a full name,
    //  because a double-booking refusal quotes it.
    char facilitators[SESSION_FACILITATORS_MAX][SESSION_ITEM_SIZE];
    size_t n_facilitators;
    uint32_t support_tasks; //  bit set of support_task_t
    char target_groups[SESSION_GROUPS_MAX][SESSION_ITEM_SIZE];
    size_t n_target_groups;
    char municipalities[SESSION_MUNIS_MAX][SESSION_MUNI_SIZE]; //  codes; none = the theme's
    size_t n_municipalities;
    uint64_t follow_up_of; //  S<id> this one follows up (vervolgbijeenkomst), or 0
    uint64_t series;       //  S<id> of the first meeting of its series, or 0
    int series_index;      //  1.. within the series, 0 when not in one
    int64_t created_ms, updated_ms;
} session_rec_t;

/*  Load S<id>. Returns 1 found, 0 unknown, -1 with the ctx error set. */
int session_load(sm_ctx_t *ctx, uint64_t id, session_rec_t *out);

/*  Load S<id> or refuse with SM_E_NOT_FOUND naming field. Returns 0 or -1. */
int session_require(sm_ctx_t *ctx, uint64_t id, const char *field, session_rec_t *out);

/*  The Amsterdam date a session with an exact time is held on. */
sm_date_t session_held_on(const session_rec_t *s);

/*  Call fn for every stored session in id order (one decoded at a time,
    so a big agenda never sits in memory whole); fn returns 0 to go on, 1
    to stop, -1 on error. Returns 0, or -1 with the ctx error set. */
typedef int(session_fn)(sm_ctx_t *ctx, const session_rec_t *s, void *arg);
int session_each(sm_ctx_t *ctx, session_fn *fn, void *arg);

/*  Pack s as replies carry it; registered / waitlisted counts are added
    when registered >= 0. Can't fail. */
void session_pack(msgpack_packer *pk, const session_rec_t *s, long registered, long waitlisted);

/*  Pack key and, as an array, the n texts in rows of size bytes at items
    (a session's facilitators, target groups, municipalities). Can't fail. */
void session_pack_items(msgpack_packer *pk, const char *key, const char *items, size_t size,
                        size_t n);

/*  A short summary for lists inside other replies (agenda.show):
    {id, method, title, when, status, tentative}. Can't fail. */
void session_pack_brief(msgpack_packer *pk, const session_rec_t *s);

/*  "2020-03-12 19:00-21:00" (Amsterdam), "2020-03-12 19:00 - 2020-03-13 12:00"
    or the period ("2020-Q2") into buf (SESSION_WHEN_SIZE bytes). Returns buf. */
#define SESSION_WHEN_SIZE 64
char *session_when(const session_rec_t *s, char *buf);

int op_session_plan(sm_ctx_t *ctx, const msgpack_object *args);
int op_session_update(sm_ctx_t *ctx, const msgpack_object *args);
int op_session_confirm(sm_ctx_t *ctx, const msgpack_object *args);
int op_session_hold(sm_ctx_t *ctx, const msgpack_object *args);
int op_session_cancel(sm_ctx_t *ctx, const msgpack_object *args);
int op_session_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_session_list(sm_ctx_t *ctx, const msgpack_object *args);
int op_session_calendar(sm_ctx_t *ctx, const msgpack_object *args);

#endif
