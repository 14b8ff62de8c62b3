/*  services/finance/main.c - samen-finance: municipalities, budgets, cost
    sharing, reimbursements, expenses and grants. Wires the handlers into
    the service loop (common/service.h). */
#include "common/record.h"
#include "proto/ops.h"
#include "allocation.h"
#include "budget_line.h"
#include "budget_years.h"
#include "entitlement.h"
#include "expense.h"
#include "export.h"
#include "grant_application.h"
#include "grant_pool.h"
#include "hours.h"
#include "migrate.h"
#include "municipality.h"
#include "payee.h"
#include "settings.h"

/*  New databases are created empty at open, so adding one needs no
    migration; the schema version changes only when a stored form does
    (migrate.h lists the versions). */
static const char *s_dbs[] = {"municipalities",
                              "municipality_names",
                              "erased_participants",
                              "allocations",
                              "allocation_names",
                              "lines",
                              "lines_by_year",
                              "expenses",
                              "expenses_by_line",
                              "entitlements",
                              "entitlement_pairs",
                              "entitlements_open",
                              "reimbursement_years",
                              "payees",
                              "grant_pools",
                              "grant_apps",
                              "grant_apps_by_pool",
                              "grant_apps_by_applicant",
                              "hours",
                              "hours_persons",
                              "hours_keys",
                              "hours_by_line",
                              "hours_by_person_week",
                              SM_OWNER_DBS,
                              NULL};

/*  Each op declared in proto/ops_finance.c (its arguments, roles and
    help), bound to its handler. */
static const sm_handler_t s_handlers[] = {
    {"municipality.add", op_municipality_add},
    {"municipality.count", op_municipality_count},
    {"municipality.get", op_municipality_get},
    {"municipality.list", op_municipality_list},
    {"split.compute", op_split_compute},
    {"allocation.create", op_allocation_create},
    {"allocation.list", op_allocation_list},
    {"allocation.get", op_allocation_get},
    {"allocation.decide", op_allocation_decide},
    {"invoice.pay", op_invoice_pay},
    {"budget.line.add", op_budget_line_add},
    {"budget.line.update", op_budget_line_update},
    {"budget.line.get", op_budget_line_get},
    {"budget.show", op_budget_show},
    {"budget.check", op_budget_check},
    {"budget.years", op_budget_years},
    {"hours.record", op_hours_record},
    {"hours.list", op_hours_list},
    {"expense.add", op_expense_add},
    {"expense.settle", op_expense_settle},
    {"expense.cancel", op_expense_cancel},
    {"expense.get", op_expense_get},
    {"expense.list", op_expense_list},
    {"entitlement.add", op_entitlement_add},
    {"entitlement.get", op_entitlement_get},
    {"entitlement.list", op_entitlement_list},
    {"entitlement.claim", op_entitlement_claim},
    {"entitlement.approve", op_entitlement_approve},
    {"entitlement.pay", op_entitlement_pay},
    {"entitlement.waive", op_entitlement_waive},
    {"reimbursement.year", op_reimbursement_year},
    {"payee.set", op_payee_set},
    {"payee.get", op_payee_get},
    {"payee.remove", op_payee_remove},
    {"grant.pool.add", op_grant_pool_add},
    {"grant.pool.get", op_grant_pool_get},
    {"grant.pool.list", op_grant_pool_list},
    {"grant.apply", op_grant_apply},
    {"grant.get", op_grant_get},
    {"grant.list", op_grant_list},
    {"grant.award", op_grant_award},
    {"grant.reject", op_grant_reject},
    {"grant.withdraw", op_grant_withdraw},
    {"grant.pay", op_grant_pay},
    {"grant.evaluate", op_grant_evaluate},
    {"grant.account", op_grant_account},
    {"grant.close", op_grant_close},
    {"grant.stats", op_grant_stats},
    {"grant.assign", op_grant_assign},
    {"participant.export", op_participant_export},
    {NULL, NULL}};

static const sm_follow_t s_follows[] = {
    {"scheduling", "scheduling.attendance.", on_scheduling_attendance},
    {"intake", "intake.participant.", on_intake_participant},
    {"intake", "intake.participant.", on_intake_applicant},
    /*  The programme's own people: owners of applications (common/owner.h). */
    {"intake", "intake.person.", on_intake_person},
    {NULL, NULL, NULL}};

static void s_counts(sm_ctx_t *ctx, msgpack_packer *pk)
{
    static const char *const dbs[][2] = {{"municipalities", "municipalities"},
                                         {"allocations", "allocations"},
                                         {"budget_lines", "lines"},
                                         {"expenses", "expenses"},
                                         {"entitlements", "entitlements"},
                                         {"entitlements_open", "entitlements_open"},
                                         {"payees", "payees"},
                                         {"grant_pools", "grant_pools"},
                                         {"grant_applications", "grant_apps"},
                                         {"hours_entries", "hours"}};
    size_t n = sizeof dbs / sizeof dbs[0];
    msgpack_pack_map(pk, n);
    for (size_t i = 0; i < n; i++)
        sm_pack_kv_uint(pk, dbs[i][0], sm_rec_count(ctx, dbs[i][1]));
}

static const sm_service_def_t s_def = {
    .name = "finance",
    .version = "0.1.0",
    .schema_version = FINANCE_SCHEMA,
    .migrate = finance_migrate,
    .dbs = s_dbs,
    .decls = sm_ops_finance,
    .handlers = s_handlers,
    .follows = s_follows,
    .init = finance_settings_init,
    .fini = finance_settings_fini,
    .counts = s_counts,
};

int main(int argc, char **argv)
{
    return sm_service_main(&s_def, argc, argv);
}
