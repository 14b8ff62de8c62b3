/*  services/scheduling/main.c - samen-scheduling: themes and the annual
    agenda, sessions, registrations (capacity and waitlist), invitations,
    attendance, the planning grid and calendars. Wires the handlers into the
    service loop (common/service.h).

    It follows finance (the municipalities, common/municipalities.h) and
    intake (who exists and who has consent, participant.h). Settings: the
    `scheduling` section of samen.cfg (settings.h). The ops are described
    for integrators in proto/ops-scheduling.md.
*/
#include "../../common/municipalities.h"
#include "../../common/service.h"
#include "agenda.h"
#include "attendance.h"
#include "export.h"
#include "index.h"
#include "participant.h"
#include "registration.h"
#include "session.h"
#include "settings.h"
#include "theme.h"

#define SCHEMA_VERSION 1

static const char *s_dbs[] = {"municipalities",     DB_THEMES,
                              DB_SESSIONS,          DB_REGISTRATIONS,
                              DB_PARTICIPANTS,      DB_ATTENDANCE,
                              DB_INVITES,           DB_THEME_SESSIONS,
                              DB_PARTICIPANT_SESSIONS, DB_FACILITATOR_SESSIONS,
                              NULL};

static const sm_op_t s_ops[] = {
    {"theme.add", op_theme_add, SM_OP_WRITE, "put a theme on the agenda"},
    {"theme.update", op_theme_update, SM_OP_WRITE, "change a theme's fields or status"},
    {"theme.get", op_theme_get, SM_OP_READ, "one theme"},
    {"theme.list", op_theme_list, SM_OP_READ, "themes, by year, status or domain"},
    {"agenda.show", op_agenda_show, SM_OP_READ, "a year's themes with their sessions"},
    {"agenda.grid", op_agenda_grid, SM_OP_READ,
     "the planning grid: themes x months with method codes (text, csv, md, html)"},
    {"agenda.overview", op_agenda_overview, SM_OP_READ,
     "the agenda for the portfolio holders (md, html, csv)"},
    {"session.plan", op_session_plan, SM_OP_WRITE,
     "plan a session (exact time or a period), or a recurring series"},
    {"session.update", op_session_update, SM_OP_WRITE, "change or reschedule a session"},
    {"session.confirm", op_session_confirm, SM_OP_WRITE, "confirm a session with an exact time"},
    {"session.hold", op_session_hold, SM_OP_WRITE, "record that a session took place"},
    {"session.cancel", op_session_cancel, SM_OP_WRITE, "call a session off"},
    {"session.get", op_session_get, SM_OP_READ, "one session with its registration counts"},
    {"session.list", op_session_list, SM_OP_READ, "sessions by theme, status and dates"},
    {"session.calendar", op_session_calendar, SM_OP_READ,
     "sessions with an exact time as an iCalendar (RFC 5545) document"},
    {"registration.create", op_registration_create, SM_OP_WRITE,
     "register a participant (a place, or the waitlist)"},
    {"registration.cancel", op_registration_cancel, SM_OP_WRITE,
     "cancel a registration; the first on the waitlist moves up"},
    {"registration.list", op_registration_list, SM_OP_READ,
     "a session's registrations, or a participant's sessions"},
    {"invite.list", op_invite_list, SM_OP_READ,
     "participants to invite: matching, with consent, not yet invited"},
    {"invite.mark", op_invite_mark, SM_OP_WRITE, "record that participants were invited"},
    {"attendance.record", op_attendance_record, SM_OP_WRITE,
     "record who attended a held session and who did not"},
    {"attendance.list", op_attendance_list, SM_OP_READ, "the attendance of a session"},
    {"participant.export", op_participant_export, SM_OP_READ,
     "everything scheduling holds about one participant (right of access)"},
    {NULL, NULL, 0, NULL}};

static const sm_follow_t s_follows[] = {
    {"finance", "finance.municipality.", on_finance_municipality},
    {"intake", "intake.participant.", on_intake_participant},
    {NULL, NULL, NULL}};

/*  Entries in db (0 when it cannot be read). */
static uint64_t s_entries(sm_ctx_t *ctx, const char *db)
{
    MDB_stat st;
    return mdb_stat(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, db), &st) == 0 ? st.ms_entries : 0;
}

/*  service.info's counts. Can't fail. */
static void s_counts(sm_ctx_t *ctx, msgpack_packer *pk)
{
    msgpack_pack_map(pk, 5);
    sm_pack_kv_uint(pk, "themes", s_entries(ctx, DB_THEMES));
    sm_pack_kv_uint(pk, "sessions", s_entries(ctx, DB_SESSIONS));
    sm_pack_kv_uint(pk, "participants_known", s_entries(ctx, DB_PARTICIPANTS));
    sm_pack_kv_uint(pk, "attendance", s_entries(ctx, DB_ATTENDANCE));
    sm_pack_kv_uint(pk, "municipalities_known", s_entries(ctx, "municipalities"));
}

static const sm_service_def_t s_def = {
    .name = "scheduling",
    .version = "0.1.0",
    .schema_version = SCHEMA_VERSION,
    .dbs = s_dbs,
    .ops = s_ops,
    .follows = s_follows,
    .init = settings_init,
    .fini = settings_fini,
    .counts = s_counts,
};

/*  Returns the exit status of the service loop (common/service.h). */
int main(int argc, char **argv)
{
    return sm_service_main(&s_def, argc, argv);
}
