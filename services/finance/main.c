/*  services/finance/main.c - samen-finance: municipalities, budgets, cost
    sharing, reimbursements, expenses and grants. Wires the handlers into
    the service loop (common/service.h). */
#include "../../common/service.h"
#include "allocation.h"
#include "budget_line.h"
#include "entitlement.h"
#include "expense.h"
#include "export.h"
#include "grant_application.h"
#include "grant_pool.h"
#include "migrate.h"
#include "municipality.h"
#include "payee.h"
#include "records.h"
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
                              NULL};

static const sm_op_t s_ops[] = {
    {"municipality.add", op_municipality_add, SM_OP_WRITE,
     "add a member municipality with a first inhabitant count"},
    {"municipality.count", op_municipality_count, SM_OP_WRITE,
     "add an inhabitant count valid from a date (history is kept)"},
    {"municipality.get", op_municipality_get, SM_OP_READ, "one municipality, count on a date"},
    {"municipality.list", op_municipality_list, SM_OP_READ, "all municipalities, counts on a date"},

    {"split.compute", op_split_compute, SM_OP_READ,
     "share a total by inhabitants, rounded to a unit, adding up exactly"},
    {"allocation.create", op_allocation_create, SM_OP_WRITE,
     "compute a split and keep it as a named allocation with invoices"},
    {"allocation.list", op_allocation_list, SM_OP_READ, "allocations, newest last"},
    {"allocation.get", op_allocation_get, SM_OP_READ, "one allocation with its invoices"},
    {"invoice.pay", op_invoice_pay, SM_OP_WRITE, "mark a municipality's invoice paid"},

    {"budget.line.add", op_budget_line_add, SM_OP_WRITE,
     "add a budget line computed from its parts"},
    {"budget.line.update", op_budget_line_update, SM_OP_WRITE,
     "replace a budget line's parts or stated amount"},
    {"budget.line.get", op_budget_line_get, SM_OP_READ, "one budget line with its actuals"},
    {"budget.show", op_budget_show, SM_OP_READ,
     "a year's lines: budget, committed, spent, remaining"},
    {"budget.check", op_budget_check, SM_OP_READ,
     "a year's stated amounts that differ from their computation"},

    {"expense.add", op_expense_add, SM_OP_WRITE, "book an expense against a line"},
    {"expense.settle", op_expense_settle, SM_OP_WRITE, "a committed expense is now spent"},
    {"expense.cancel", op_expense_cancel, SM_OP_WRITE, "cancel a committed expense"},
    {"expense.get", op_expense_get, SM_OP_READ, "one expense"},
    {"expense.list", op_expense_list, SM_OP_READ, "expenses by line, session, theme or year"},

    {"entitlement.add", op_entitlement_add, SM_OP_WRITE,
     "record an entitlement by hand (attendance kept on paper)"},
    {"entitlement.get", op_entitlement_get, SM_OP_READ, "one entitlement"},
    {"entitlement.list", op_entitlement_list, SM_OP_READ, "entitlements, e.g. the unpaid ones"},
    {"entitlement.claim", op_entitlement_claim, SM_OP_WRITE, "the participant claims it"},
    {"entitlement.approve", op_entitlement_approve, SM_OP_WRITE, "approve a claim"},
    {"entitlement.pay", op_entitlement_pay, SM_OP_WRITE,
     "record the payment (reference; the yearly cap applies)"},
    {"entitlement.waive", op_entitlement_waive, SM_OP_WRITE, "the entitlement will not be paid"},
    {"reimbursement.year", op_reimbursement_year, SM_OP_READ,
     "a year's reimbursements against the cap"},

    {"payee.set", op_payee_set, SM_OP_WRITE, "set a participant's IBAN for reimbursements"},
    {"payee.get", op_payee_get, SM_OP_READ, "a participant's IBAN, masked"},
    {"payee.remove", op_payee_remove, SM_OP_WRITE, "forget a participant's IBAN"},

    {"grant.pool.add", op_grant_pool_add, SM_OP_WRITE, "add a grant pool for a year"},
    {"grant.pool.get", op_grant_pool_get, SM_OP_READ, "one pool with its remainder"},
    {"grant.pool.list", op_grant_pool_list, SM_OP_READ, "pools with their remainders"},
    {"grant.apply", op_grant_apply, SM_OP_WRITE, "an initiative applies to a pool"},
    {"grant.get", op_grant_get, SM_OP_READ, "one application"},
    {"grant.list", op_grant_list, SM_OP_READ, "applications by pool, year or state"},
    {"grant.award", op_grant_award, SM_OP_WRITE, "award at most the pool's remainder"},
    {"grant.reject", op_grant_reject, SM_OP_WRITE, "reject with a reason"},
    {"grant.withdraw", op_grant_withdraw, SM_OP_WRITE, "the initiative withdraws (unpaid)"},
    {"grant.pay", op_grant_pay, SM_OP_WRITE, "record the payment of the award"},
    {"grant.evaluate", op_grant_evaluate, SM_OP_WRITE, "record the interim visit"},
    {"grant.account", op_grant_account, SM_OP_WRITE, "record the accountability and result"},
    {"grant.close", op_grant_close, SM_OP_WRITE, "close an accounted application"},
    {"grant.stats", op_grant_stats, SM_OP_READ, "figures per year over a range of years"},

    {"participant.export", op_participant_export, SM_OP_READ,
     "everything finance holds about one participant (right of access)"},
    {NULL, NULL, 0, NULL}};

static const sm_follow_t s_follows[] = {
    {"scheduling", "scheduling.attendance.", on_scheduling_attendance},
    {"intake", "intake.participant.", on_intake_participant},
    {"intake", "intake.participant.", on_intake_applicant},
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
                                         {"grant_applications", "grant_apps"}};
    size_t n = sizeof dbs / sizeof dbs[0];
    msgpack_pack_map(pk, n);
    for (size_t i = 0; i < n; i++)
        sm_pack_kv_uint(pk, dbs[i][0], rec_count(ctx, dbs[i][1]));
}

static const sm_service_def_t s_def = {
    .name = "finance",
    .version = "0.1.0",
    .schema_version = FINANCE_SCHEMA,
    .migrate = finance_migrate,
    .dbs = s_dbs,
    .ops = s_ops,
    .follows = s_follows,
    .init = finance_settings_init,
    .fini = finance_settings_fini,
    .counts = s_counts,
};

int main(int argc, char **argv)
{
    return sm_service_main(&s_def, argc, argv);
}
