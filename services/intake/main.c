/*  services/intake/main.c - samen-intake: people and what they send in.
    The address file of participants, organisations (recruitment channels,
    advisory councils), signals and advice with their deadlines, and the
    PII scan that reporting asks before it publishes. Wires the handlers
    into the service loop (common/service.h). */
#include "../../common/municipalities.h"
#include "../../common/service.h"
#include "advice.h"
#include "intake.h"
#include "organisation.h"
#include "participant.h"
#include "participant_index.h"

/*  Schema versions: 1 the first stored forms; 2 adds municipality_names,
    the name index of the copy of finance's municipalities, filled at open
    by sm_muni_migrate (common/municipalities.h). */
#define SCHEMA_VERSION SM_MUNI_NAMES_SCHEMA

/*  New databases are created empty at open, so adding one needs no
    migration; the schema version changes only when a stored form does. */
static const char *s_dbs[] = {"municipalities", "municipality_names",
                              "participants",
                              PINDEX_DBS,
                              "pii_changes",
                              "organisations",
                              "o_names",
                              "advice",
                              "advice_open",
                              "advice_from",
                              NULL};

static const sm_op_t s_ops[] = {
    {"participant.register", op_participant_register, SM_OP_WRITE,
     "add a person to the address file (consent required; duplicates refused unless forced)"},
    {"participant.update", op_participant_update, SM_OP_WRITE, "change some of a person's fields"},
    {"participant.get", op_participant_get, SM_OP_READ, "one person's record, personal fields too"},
    {"participant.find", op_participant_find, SM_OP_READ,
     "find by target group, label, municipality, theme, consent, channel, part of the name"},
    {"participant.withdraw", op_participant_withdraw, SM_OP_WRITE,
     "consent withdrawn: no more invitations"},
    {"participant.erase", op_participant_erase, SM_OP_WRITE,
     "right to be forgotten: destroy the personal fields everywhere"},
    {"participant.export", op_participant_export, SM_OP_READ,
     "right of access: everything samen holds about a person"},
    {"pii.scan", op_pii_scan, SM_OP_READ,
     "participants' names, e-mail addresses and phone numbers found in a text"},

    {"organisation.add", op_organisation_add, SM_OP_WRITE,
     "add an organisation (recruitment channel, advisory council, ...)"},
    {"organisation.update", op_organisation_update, SM_OP_WRITE, "change an organisation"},
    {"organisation.get", op_organisation_get, SM_OP_READ,
     "one organisation with the number of participants it recruited"},
    {"organisation.list", op_organisation_list, SM_OP_READ, "organisations by kind, municipality"},

    {"advice.add", op_advice_add, SM_OP_WRITE, "a signal or (un)solicited advice came in"},
    {"advice.answer", op_advice_answer, SM_OP_WRITE,
     "record the answer: adopted, partly adopted or not adopted, with the reason"},
    {"advice.evaluate", op_advice_evaluate, SM_OP_WRITE, "record the evaluation of an answer"},
    {"advice.get", op_advice_get, SM_OP_READ, "one signal or advice with its deadlines"},
    {"advice.list", op_advice_list, SM_OP_READ, "signals and advice by state, kind, theme, sender"},
    {"advice.overdue", op_advice_overdue, SM_OP_READ,
     "answers and evaluations that are late, most days late first"},
    {NULL, NULL, 0, NULL}};

static const sm_follow_t s_follows[] = {
    {"finance", "finance.municipality.", on_finance_municipality},
    {NULL, NULL, NULL}};

static const sm_timer_t s_timers[] = {{"intake.tick", INTAKE_TICK_MS, intake_tick},
                                      {NULL, 0, NULL}};

static void s_counts(sm_ctx_t *ctx, msgpack_packer *pk)
{
    static const char *const dbs[][2] = {{"municipalities_known", "municipalities"},
                                         {"participants", "participants"},
                                         {"organisations", "organisations"},
                                         {"advice", "advice"},
                                         {"advice_open", "advice_open"}};
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
    .migrate = sm_muni_migrate,
    .dbs = s_dbs,
    .ops = s_ops,
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
