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
#include "documents.h"
#include "municipality_overview.h"
#include "mirror.h"
#include "outcome.h"
#include "records.h"
#include "report.h"
#include "settings.h"
#include "stats.h"
#include "youth_report.h"

#define SCHEMA_VERSION 1

/*  New databases are created empty at open, so adding one needs no
    migration; the schema version changes only when a stored form does. */
static const char *s_dbs[] = {"municipalities",  "themes",
                              "sessions",        "participants",
                              "attendance",      "reports",
                              "report_versions", "reports_by_session",
                              "outcomes",        "outcomes_by_theme",
                              "youth_reports",   NULL};

static const sm_op_t s_ops[] = {
    {"report.draft", op_report_draft, SM_OP_WRITE, "draft the report of a session (Markdown)"},
    {"report.revise", op_report_revise, SM_OP_WRITE,
     "replace a draft's text; on a published report, a correction with a note"},
    {"report.approve", op_report_approve, SM_OP_WRITE, "approve the newest version's text"},
    {"report.publish", op_report_publish, SM_OP_WRITE,
     "publish after intake's personal-data scan; matches must be allowed"},
    {"report.sent", op_report_sent, SM_OP_WRITE, "record that the report went to participants"},
    {"report.check", op_report_check, SM_OP_READ,
     "list the personal data intake finds in a report's text"},
    {"report.get", op_report_get, SM_OP_READ, "one report version: Markdown and HTML"},
    {"report.list", op_report_list, SM_OP_READ, "reports by session, theme or state"},
    {"report.due", op_report_due, SM_OP_READ,
     "held sessions without a published report, and reports sent late"},
    {"report.annual", op_report_annual, SM_OP_READ, "the yearly overview (md, csv, html)"},
    {"report.passage", op_report_passage, SM_OP_READ,
     "the decision-document passage on a theme's residents' perspective"},
    {"report.youth", op_report_youth, SM_OP_READ,
     "the statutory youth report, its letter to the councils and infographic (md, html, svg)"},
    {"report.municipality", op_report_municipality, SM_OP_READ,
     "what happened with a municipality's residents in a year (md, html)"},
    {"youth.finding.add", op_youth_finding_add, SM_OP_WRITE,
     "add a finding (and what was done) to a year's youth report"},
    {"youth.finding.update", op_youth_finding_update, SM_OP_WRITE,
     "change a finding of a year's youth report"},
    {"youth.adopt", op_youth_adopt, SM_OP_WRITE, "adopt a year's youth report"},
    {"youth.submit", op_youth_submit, SM_OP_WRITE, "record that it was submitted to VWS"},
    {"outcome.add", op_outcome_add, SM_OP_WRITE,
     "record what residents brought in on a theme and what was done with it"},
    {"outcome.update", op_outcome_update, SM_OP_WRITE, "change an outcome item"},
    {"outcome.get", op_outcome_get, SM_OP_READ, "one outcome item"},
    {"outcome.list", op_outcome_list, SM_OP_READ, "outcome items by theme or status"},
    {"stats.reach", op_stats_reach, SM_OP_READ,
     "reach and representation of a year: participants, concentration, shares, feedback"},
    {"participant.export", op_participant_export, SM_OP_READ,
     "what reporting holds about a participant ID (no personal data)"},
    {NULL, NULL, 0, NULL}};

static const sm_follow_t s_follows[] = {
    {"finance", "finance.municipality.", on_finance_municipality},
    {"scheduling", "scheduling.theme.", on_scheduling_theme},
    {"scheduling", "scheduling.session.", on_scheduling_session},
    {"scheduling", "scheduling.attendance.", on_scheduling_attendance},
    {"intake", "intake.participant.", on_intake_participant},
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
                                         {"youth_reports", "youth_reports"}};
    size_t n = sizeof dbs / sizeof dbs[0];
    msgpack_pack_map(pk, n);
    for (size_t i = 0; i < n; i++)
        sm_pack_kv_uint(pk, dbs[i][0], rec_count(ctx, dbs[i][1]));
}

static const sm_service_def_t s_def = {
    .name = "reporting",
    .version = "0.1.0",
    .schema_version = SCHEMA_VERSION,
    .dbs = s_dbs,
    .ops = s_ops,
    .follows = s_follows,
    .init = reporting_settings_init,
    .fini = reporting_settings_fini,
    .counts = s_counts,
};

int main(int argc, char **argv)
{
    return sm_service_main(&s_def, argc, argv);
}
