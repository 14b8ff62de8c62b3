/*  services/intake/main.c - samen-intake: people and what they send in.
    The address file of participants, organisations (recruitment channels,
    advisory councils), signals and advice with their deadlines, and the
    PII scan that reporting asks before it publishes, and e-mail to
    participants (mail.h). Wires the handlers
    into the service loop (common/service.h). */
#include "../../common/municipalities.h"
#include "../../common/service.h"
#include "proto/ops.h"
#include "advice.h"
#include "intake.h"
#include "needs.h"
#include "mail.h"
#include "organisation.h"
#include "participant.h"
#include "participant_index.h"
#include "review.h"
#include "person.h"

/*  Schema versions: 1 the first stored forms; 2 adds municipality_names,
    the name index of the copy of finance's municipalities, filled at open
    by sm_muni_migrate (common/municipalities.h); 3 the programme's own
    people and the owners and deputies of advice items (common/owner.h:
    nothing to rewrite, but an older binary would drop the owners). */
#define SCHEMA_VERSION SM_OWNER_SCHEMA

/*  New databases are created empty at open, so adding one needs no
    migration; the schema version changes only when a stored form does. */
static const char *s_dbs[] = {"municipalities",
                              "municipality_names",
                              "participants",
                              PINDEX_DBS,
                              "pii_changes",
                              "organisations",
                              "o_names",
                              "advice",
                              "advice_open",
                              "advice_from",
                              PERSON_DBS,
                              "mails",
                              "mail_due",
                              "mail_sending",
                              "mail_by_p",
                              "mail_by_s",
                              "mail_keys",
                              "mail_sessions",
                              "mail_regs",
                              NULL};

/*  The handler of each op declared in proto/ops_intake.c. */
static const sm_handler_t s_handlers[] = {
    {"participant.register", op_participant_register},
    {"participant.update", op_participant_update},
    {"participant.get", op_participant_get},
    {"participant.find", op_participant_find},
    {"participant.withdraw", op_participant_withdraw},
    {"participant.erase", op_participant_erase},
    {"participant.export", op_participant_export},
    {"participant.review", op_participant_review},
    {"participant.needs", op_participant_needs},
    {"pii.scan", op_pii_scan},
    {"organisation.add", op_organisation_add},
    {"organisation.update", op_organisation_update},
    {"organisation.get", op_organisation_get},
    {"organisation.list", op_organisation_list},
    {"advice.add", op_advice_add},
    {"advice.answer", op_advice_answer},
    {"advice.evaluate", op_advice_evaluate},
    {"advice.get", op_advice_get},
    {"advice.list", op_advice_list},
    {"advice.overdue", op_advice_overdue},
    {"advice.assign", op_advice_assign},
    {"person.add", op_person_add},
    {"person.update", op_person_update},
    {"person.get", op_person_get},
    {"person.list", op_person_list},
    {"person.leave", op_person_leave},
    {"person.handover", op_person_handover},
    {"mail.preview", op_mail_preview},
    {"mail.send", op_mail_send},
    {"mail.list", op_mail_list},
    {"mail.get", op_mail_get},
    {"mail.retry", op_mail_retry},
    {"mail.cancel", op_mail_cancel},
    {"newsletter.unsubscribe", op_newsletter_unsubscribe},
    {NULL, NULL}};

static const sm_follow_t s_follows[] = {
    {"finance", "finance.municipality.", on_finance_municipality},
    /*  A session attended is contact (consent.h, review.h). */
    {"scheduling", "scheduling.attendance.", on_scheduling_attendance},
    /*  What each service handed over when a person left (person.h). */
    {"scheduling", "scheduling.handover.", on_handover_applied},
    {"reporting", "reporting.handover.", on_handover_applied},
    {"finance", "finance.handover.", on_handover_applied},
    /*  For the mail intake sends by itself (mail_follow.c). */
    {"scheduling", "scheduling.session.", on_scheduling_for_mail},
    {"scheduling", "scheduling.registration.", on_scheduling_for_mail},
    {"scheduling", "scheduling.attendance.", on_scheduling_for_mail},
    {"reporting", "reporting.report.", on_reporting_for_mail},
    {NULL, NULL, NULL}};

static const sm_timer_t s_timers[] = {{"intake.tick", INTAKE_TICK_MS, intake_tick},
                                      {"intake.mail", MAIL_TICK_MS, mail_tick},
                                      {NULL, 0, NULL}};

static void s_counts(sm_ctx_t *ctx, msgpack_packer *pk)
{
    static const char *const dbs[][2] = {{"municipalities_known", "municipalities"},
                                         {"participants", "participants"},
                                         {"organisations", "organisations"},
                                         {"advice", "advice"},
                                         {"advice_open", "advice_open"},
                                         {"persons", "persons"},
                                         {"mails", "mails"},
                                         {"mails_waiting", "mail_due"},
                                         {"mails_sending", "mail_sending"}};
    size_t n = sizeof dbs / sizeof dbs[0];
    msgpack_pack_map(pk, n + 1);
    for (size_t i = 0; i < n; i++) {
        MDB_stat st;
        mdb_stat(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, dbs[i][1]), &st);
        sm_pack_kv_uint(pk, dbs[i][0], st.ms_entries);
    }
    sm_pack_kv_uint(pk, "participants_erased", pindex_count(ctx, "p_status", "erased"));
}

static const sm_service_def_t s_def = {
    .name = "intake",
    .version = "0.1.0",
    .schema_version = SCHEMA_VERSION,
    .migrate = sm_owner_migrate,
    .dbs = s_dbs,
    .decls = sm_ops_intake,
    .handlers = s_handlers,
    .follows = s_follows,
    .timers = s_timers,
    .init = intake_init,
    .fini = intake_fini,
    .counts = s_counts,
};

int main(int argc, char **argv)
{
    return sm_service_main(&s_def, argc, argv);
}
