/*  services/reporting/main.c - samen-reporting: session reports, outcomes and what was
    done with them, the yearly overview, the statutory youth report, and reach and
    representation statistics. Wires the handlers into the service loop
    (common/service.h).

    What it counts comes from the other services' events (mirror.h): themes,
    sessions and attendance from scheduling, participants' coarse attributes
    from intake, municipalities and inhabitants from finance. Reports,
    outcome items and the youth report's findings are its own data. */
#include "../../common/municipalities.h"
#include "../../common/service.h"
#include "allowlist.h"
#include "common/record.h"
#include "decision.h"
#include "documents.h"
#include "municipality_overview.h"
#include "mirror.h"
#include "outcome.h"
#include "proto/ops.h"
#include "reaction.h"
#include "report.h"
#include "settings.h"
#include "stats.h"
#include "yardstick.h"
#include "youth_report.h"

/*  Schema versions: 1 the first stored forms; 2 adds municipality_names,
    the name index of the copy of finance's municipalities, filled at open
    by sm_muni_migrate (common/municipalities.h); 3 outcome items have an
    owner and a deputy (common/owner.h: nothing to rewrite, but an older
    binary would drop them), and decisions and the yardstick are kept (new
    databases, created empty at open). */
#define SCHEMA_VERSION SM_OWNER_SCHEMA

/*  New databases are created empty at open, so adding one needs no
    migration; the schema version changes only when a stored form does. */
static const char *s_dbs[] = {"municipalities",  "municipality_names",
                              "themes",
                              "sessions",        "participants",
                              "attendance",      "reports",
                              "report_versions", "reports_by_session",
                              "outcomes",        "outcomes_by_theme",
                              "youth_reports",   "allowlist",
                              "reactions",       "reactions_by_report",
                              "reactions_by_participant",
                              SM_OWNER_DBS,      DECISION_DBS,
                              YARDSTICK_DBS,     "report_recipients",
                              NULL};

/*  The handler of each op declared in proto/ops_reporting.c. */
static const sm_handler_t s_handlers[] = {{"report.draft", op_report_draft},
                                          {"report.revise", op_report_revise},
                                          {"report.approve", op_report_approve},
                                          {"report.publish", op_report_publish},
                                          {"report.sent", op_report_sent},
                                          {"report.check", op_report_check},
                                          {"report.get", op_report_get},
                                          {"allowlist.add", op_allowlist_add},
                                          {"allowlist.remove", op_allowlist_remove},
                                          {"allowlist.list", op_allowlist_list},
                                          {"report.list", op_report_list},
                                          {"report.due", op_report_due},
                                          {"report.react", op_report_react},
                                          {"report.reactions", op_report_reactions},
                                          {"report.public.list", op_report_public_list},
                                          {"report.public.get", op_report_public_get},
                                          {"report.annual", op_report_annual},
                                          {"report.passage", op_report_passage},
                                          {"report.youth", op_report_youth},
                                          {"report.municipality", op_report_municipality},
                                          {"youth.finding.add", op_youth_finding_add},
                                          {"youth.finding.update", op_youth_finding_update},
                                          {"youth.adopt", op_youth_adopt},
                                          {"youth.submit", op_youth_submit},
                                          {"outcome.add", op_outcome_add},
                                          {"outcome.update", op_outcome_update},
                                          {"outcome.get", op_outcome_get},
                                          {"outcome.list", op_outcome_list},
                                          {"decision.add", op_decision_add},
                                          {"decision.get", op_decision_get},
                                          {"decision.list", op_decision_list},
                                          {"yardstick.record", op_yardstick_record},
                                          {"yardstick.show", op_yardstick_show},
                                          {"yardstick.missing", op_yardstick_missing},
                                          {"yardstick.checklist", op_yardstick_checklist},
                                          {"stats.reach", op_stats_reach},
                                          {"participant.export", op_participant_export},
                                          {NULL, NULL}};

static const sm_follow_t s_follows[] = {
    {"finance", "finance.municipality.", on_finance_municipality},
    {"scheduling", "scheduling.theme.", on_scheduling_theme},
    {"scheduling", "scheduling.session.", on_scheduling_session},
    {"scheduling", "scheduling.attendance.", on_scheduling_attendance},
    {"intake", "intake.participant.", on_intake_participant},
    /*  The programme's own people: owners of outcome items (common/owner.h). */
    {"intake", "intake.person.", on_intake_person},
    {"intake", "intake.mail.", on_intake_mail},
    {NULL, NULL, NULL}};

/*  service.info counts: entries per database. Can't fail. */
static void s_counts(sm_ctx_t *ctx, msgpack_packer *pk)
{
    static const char *const dbs[][2] = {{"municipalities_known", "municipalities"},
                                         {"themes", "themes"},
                                         {"sessions", "sessions"},
                                         {"participants", "participants"},
                                         {"attendance", "attendance"},
                                         {"reports", "reports"},
                                         {"report_versions", "report_versions"},
                                         {"outcomes", "outcomes"},
                                         {"youth_reports", "youth_reports"},
                                         {"allowlist", "allowlist"},
                                         {"reactions", "reactions"}};
    size_t n = sizeof dbs / sizeof dbs[0];
    msgpack_pack_map(pk, n);
    for (size_t i = 0; i < n; i++)
        sm_pack_kv_uint(pk, dbs[i][0], sm_rec_count(ctx, dbs[i][1]));
}

static const sm_service_def_t s_def = {
    .name = "reporting",
    .version = "0.1.0",
    .schema_version = SCHEMA_VERSION,
    .migrate = sm_owner_migrate,
    .dbs = s_dbs,
    .decls = sm_ops_reporting,
    .handlers = s_handlers,
    .follows = s_follows,
    .init = reporting_settings_init,
    .fini = reporting_settings_fini,
    .counts = s_counts,
};

int main(int argc, char **argv)
{
    return sm_service_main(&s_def, argc, argv);
}
