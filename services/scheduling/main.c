/*  services/scheduling/main.c - samen-scheduling: themes and the annual
    agenda, sessions, registrations (capacity and waitlist), invitations,
    attendance, the planning grid and calendars. Wires the handlers into the
    service loop (common/service.h).

    It follows finance (the municipalities, common/municipalities.h) and
    intake (who exists and who has consent, participant.h; the programme's
    own people, who own themes, theme.h). Settings: the
    `scheduling` section of samen.cfg (settings.h). The ops are declared,
    with their arguments and roles, in proto/ops_scheduling.c, and described
    for integrators in proto/ops-scheduling.md.
*/
#include "common/municipalities.h"
#include "common/owner.h"
#include "common/service.h"
#include "adoption.h"
#include "agenda.h"
#include "attendance.h"
#include "export.h"
#include "participant.h"
#include "proto/ops.h"
#include "public.h"
#include "registration.h"
#include "session.h"
#include "settings.h"
#include "store.h"
#include "theme.h"

/*  Schema versions: 1 the first stored forms; 2 adds municipality_names,
    the name index of the copy of finance's municipalities, filled at open
    by sm_muni_migrate (common/municipalities.h); 3 themes have an owner and
    a deputy (common/owner.h: nothing to rewrite; the free-text project
    leader and political lead stay as they are, theme.h). */
#define SCHEMA_VERSION SM_OWNER_SCHEMA

static const char *s_dbs[] = {"municipalities",     "municipality_names",
                              DB_THEMES,
                              DB_SESSIONS,          DB_REGISTRATIONS,
                              DB_PARTICIPANTS,      DB_ATTENDANCE,
                              DB_INVITES,           DB_THEME_SESSIONS,
                              DB_PARTICIPANT_SESSIONS, DB_FACILITATOR_SESSIONS,
                              DB_AGENDA_ADOPTIONS,  SM_OWNER_DBS,         NULL};

/*  The handlers of the ops declared in proto/ops_scheduling.c. */
static const sm_handler_t s_handlers[] = {{"theme.add", op_theme_add},
                                          {"theme.update", op_theme_update},
                                          {"theme.get", op_theme_get},
                                          {"theme.list", op_theme_list},
                                          {"agenda.show", op_agenda_show},
                                          {"agenda.grid", op_agenda_grid},
                                          {"agenda.adopt", op_agenda_adopt},
                                          {"agenda.overview", op_agenda_overview},
                                          {"session.plan", op_session_plan},
                                          {"session.update", op_session_update},
                                          {"session.confirm", op_session_confirm},
                                          {"session.hold", op_session_hold},
                                          {"session.cancel", op_session_cancel},
                                          {"session.get", op_session_get},
                                          {"session.list", op_session_list},
                                          {"session.calendar", op_session_calendar},
                                          {"theme.public.list", op_theme_public_list},
                                          {"session.public.list", op_session_public_list},
                                          {"registration.create", op_registration_create},
                                          {"registration.cancel", op_registration_cancel},
                                          {"registration.list", op_registration_list},
                                          {"invite.list", op_invite_list},
                                          {"invite.mark", op_invite_mark},
                                          {"attendance.record", op_attendance_record},
                                          {"attendance.list", op_attendance_list},
                                          {"participant.export", op_participant_export},
                                          {NULL, NULL}};

static const sm_follow_t s_follows[] = {
    {"finance", "finance.municipality.", on_finance_municipality},
    {"intake", "intake.participant.", on_intake_participant},
    /*  The programme's own people: owners of themes (common/owner.h). */
    {"intake", "intake.person.", on_intake_person},
    {NULL, NULL, NULL}};

/*  service.info's counts. Can't fail. */
static void s_counts(sm_ctx_t *ctx, msgpack_packer *pk)
{
    msgpack_pack_map(pk, 5);
    sm_pack_kv_uint(pk, "themes", sm_rec_count(ctx, DB_THEMES));
    sm_pack_kv_uint(pk, "sessions", sm_rec_count(ctx, DB_SESSIONS));
    sm_pack_kv_uint(pk, "participants_known", sm_rec_count(ctx, DB_PARTICIPANTS));
    sm_pack_kv_uint(pk, "attendance", sm_rec_count(ctx, DB_ATTENDANCE));
    sm_pack_kv_uint(pk, "municipalities_known", sm_rec_count(ctx, "municipalities"));
}

static const sm_service_def_t s_def = {
    .name = "scheduling",
    .version = "0.1.0",
    .schema_version = SCHEMA_VERSION,
    .migrate = sm_owner_migrate,
    .dbs = s_dbs,
    .decls = sm_ops_scheduling,
    .handlers = s_handlers,
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
