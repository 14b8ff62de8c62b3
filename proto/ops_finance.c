/*  proto/ops_finance.c - the ops of samen-finance: municipalities, cost
    sharing, budgets, expenses, reimbursements, bank accounts, grants and
    finance's part of the right of access.

    Roles: everyone who reads the programme's data reads here (R_READ: a
    coordinator sees budgets and reimbursements); only finance people (and
    admins) write. Bank accounts are finance's personal data: payee.get and
    participant.export show them only to R_FIN; the others (and intake,
    which gathers finance's part of a right-of-access export for a
    coordinator) get them masked. proto/ops-finance.in.md has the prose:
    the data returned, the errors, the events and the rules.
*/
#include "common/money.h"
#include "proto/ops.h"
#include <strings.h>

/*  The years finance books in. */
#define S_YEAR_MIN 2000
#define S_YEAR_MAX 2100
/*  The longest page of a list, and the longest name of a municipality
    (its stored form keeps 63 bytes). */
#define S_PAGE_MAX 1000
#define S_MUNI_MAX 63

/* ==== Values ============================================================= */

static const char *const s_line_kinds[] = {"hours_per_week", "total_hours", "fixed",
                                           "reimbursement", "pilot", NULL};
static const char *const s_categories[] = {"facilitator", "expertise", "catering", "room",
                                           "other", NULL};
static const char *const s_expense_statuses[] = {"committed", "spent", "cancelled", NULL};
static const char *const s_entitlement_states[] = {"entitled", "claimed", "approved", "paid",
                                                   "waived", NULL};
static const char *const s_pool_kinds[] = {"district", "city_wide", "earmarked", NULL};
static const char *const s_grant_states[] = {"submitted", "awarded",   "rejected",
                                             "paid",      "evaluated", "accounted",
                                             "closed",    "withdrawn", NULL};
static const char *const s_results[] = {"reached", "partly", "not_reached", NULL};

/*  An accounted result as typed: any case, and "not" for not_reached (the
    short form samenctl has always taken). NULL when it is none of them. */
static const char *s_result_canon(const char *text)
{
    if (strcasecmp(text, "not") == 0)
        return "not_reached";
    for (int i = 0; s_results[i]; i++)
        if (strcasecmp(text, s_results[i]) == 0)
            return s_results[i];
    return NULL;
}

/* ==== Arguments used by many ops ========================================== */

#define S_YEAR(f_, help_)                                                                          \
    {.name = "year", .type = SM_T_INT, .flags = (f_), .min = S_YEAR_MIN, .max = S_YEAR_MAX,        \
     .help = (help_)}
#define S_ON(help_) {.name = "on", .type = SM_T_DATE, .help = (help_)}
#define S_LIMIT                                                                                    \
    {.name = "limit", .type = SM_T_INT, .min = 1, .max = S_PAGE_MAX,                               \
     .help = N_("how many at most (default 100)")}
#define S_AFTER(l)                                                                                 \
    {.name = "after", .type = SM_T_ID, .letter = (l),                                              \
     .help = N_("the page after this ID (a list's \"next\")")}
#define S_MUNICIPALITY                                                                             \
    {.name = "municipality", .type = SM_T_STR, .flags = SM_A_REQUIRED | SM_A_POS,                  \
     .max = S_MUNI_MAX, .help = N_("the municipality's name or statistics-office code")}
#define S_AS_OF(help_) {.name = "as_of", .type = SM_T_DATE, .help = (help_)}
#define S_ENTITLEMENT                                                                              \
    {.name = "entitlement", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'E',     \
     .help = N_("the entitlement, e.g. E4")}
#define S_APPLICATION                                                                              \
    {.name = "application", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'G',     \
     .help = N_("the application, e.g. G3")}
#define S_STEP_ON S_ON(N_("the day of this step (default today); not before it was submitted"))
/*  What a split is computed from, for split.compute and allocation.create. */
#define S_SPLIT_ARGS                                                                               \
    {.name = "total_cents", .type = SM_T_MONEY, .flags = SM_A_REQUIRED, .min = 1,                  \
     .flag = "total", .help = N_("the total to share: a whole number of units")},                  \
    {.name = "unit_cents", .type = SM_T_MONEY, .flags = SM_A_REQUIRED, .min = 1, .flag = "unit",   \
     .help = N_("round each contribution to this unit, at most the total (EUR 1,000 = 100000)")},  \
    S_AS_OF(N_("share by the inhabitant counts valid on this date (default today)")),              \
    {.name = "municipalities", .type = SM_T_LIST, .max = 400, .item_max = S_MUNI_MAX,              \
     .flag = "municipality", .help = N_("share among these only: names or codes, each once")}
/*  A budget line's kind and parts, for add and update. */
#define S_LINE_PARTS                                                                               \
    {.name = "kind", .type = SM_T_ENUM, .flags = SM_A_REQUIRED, .values = s_line_kinds,            \
     .help = N_("how the line is computed")},                                                      \
    {.name = "hours_x100", .type = SM_T_INT, .min = 0, .max = 100000000, .flag = "hours",          \
     .help = N_("hours in hundredths: per week (at most 16800) for hours_per_week and pilot, "     \
                "in all for total_hours")},                                                        \
    {.name = "weeks_x100", .type = SM_T_INT, .min = 0, .max = 52000, .flag = "weeks",              \
     .help = N_("working weeks in hundredths (hours_per_week, pilot)")},                           \
    {.name = "rate_cents", .type = SM_T_MONEY, .flag = "rate", .help = N_("the hourly rate")},     \
    {.name = "amount_cents", .type = SM_T_MONEY, .flag = "amount",                                 \
     .help = N_("the amount (fixed; reimbursement as a lump sum)")},                               \
    {.name = "per_claim_cents", .type = SM_T_MONEY, .flag = "per-claim",                           \
     .help = N_("reimbursement: the amount per claim")},                                           \
    {.name = "claims", .type = SM_T_INT, .min = 0, .max = SM_MONEY_MAX,                            \
     .help = N_("reimbursement: the expected number of claims")},                                  \
    {.name = "period", .type = SM_T_STR, .max = 63,                                                \
     .help = N_("pilot only, required there: the period its weeks fall in, e.g. "                  \
                "2019-01-01..2019-09-30 or 2020-Q2")},                                             \
    {.name = "stated_cents", .type = SM_T_MONEY, .flag = "stated",                                 \
     .help = N_("the amount a document states for this line; a difference is reported")}

/* ==== Declarations ======================================================== */

const sm_opdecl_t sm_ops_finance[] = {
    /* ---- municipalities ---- */
    {.name = "municipality.add",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("add a member municipality with a first inhabitant count"),
     .cli = "municipality add",
     .args = (const sm_arg_t[]){
         {.name = "name", .type = SM_T_STR, .flags = SM_A_REQUIRED | SM_A_POS, .max = S_MUNI_MAX,
          .help = N_("the municipality's name, e.g. Hilversum")},
         {.name = "code", .type = SM_T_STR, .flags = SM_A_REQUIRED, .min = 6, .max = 6,
          .help = N_("its statistics-office code: GM and four digits, e.g. GM0402")},
         {.name = "inhabitants", .type = SM_T_INT, .flags = SM_A_REQUIRED, .min = 1,
          .max = 100000000, .help = N_("its inhabitants on the reference date")},
         {.name = "as_of", .type = SM_T_DATE, .flags = SM_A_REQUIRED,
          .help = N_("the reference date of the count, e.g. 2016-01-01")},
         {0}}},
    {.name = "municipality.count",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("add an inhabitant count valid from a date (history is kept)"),
     .cli = "municipality count",
     .args = (const sm_arg_t[]){
         S_MUNICIPALITY,
         {.name = "inhabitants", .type = SM_T_INT, .flags = SM_A_REQUIRED, .min = 1,
          .max = 100000000, .help = N_("its inhabitants on the reference date")},
         {.name = "as_of", .type = SM_T_DATE, .flags = SM_A_REQUIRED,
          .help = N_("the reference date: the count is valid from this day")},
         {0}}},
    {.name = "municipality.get",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("one municipality, its count on a date and its history"),
     .cli = "municipality show",
     .args = (const sm_arg_t[]){
         S_MUNICIPALITY,
         S_AS_OF(N_("show the count valid on this date (default the latest)")),
         {0}}},
    {.name = "municipality.list",
     .flags = SM_OP_READ,
     /*  Public facts (names, inhabitants): samen-site shows the names. */
     .roles = R_READ | SM_ROLE_SVC_SITE,
     .summary = N_("all municipalities, their counts on a date"),
     .cli = "municipality list",
     .args = (const sm_arg_t[]){
         S_AS_OF(N_("show the counts valid on this date (default the latest)")), {0}}},

    /* ---- cost sharing ---- */
    {.name = "split.compute",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("share a total by inhabitants, rounded to a unit, adding up exactly"),
     .cli = "finance split",
     .args = (const sm_arg_t[]){
         S_SPLIT_ARGS,
         {0}}},
    {.name = "allocation.create",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("compute a split and keep it as a named allocation with invoices"),
     .cli = "finance split",
     .args = (const sm_arg_t[]){
         {.name = "name", .type = SM_T_STR, .flags = SM_A_REQUIRED, .max = 120,
          .help = N_("the allocation's name, unique regardless of case, e.g. Samenkracht 2016")},
         S_SPLIT_ARGS,
         {.name = "purpose", .type = SM_T_TEXT, .max = 500,
          .help = N_("what the money is for")},
         S_YEAR(0, N_("the budget year the contributions pay for (the first of several)")),
         {.name = "to_year", .type = SM_T_INT, .min = S_YEAR_MIN, .max = S_YEAR_MAX,
          .help = N_("the last year, for a decision over several years (with year)")},
         {0}}},
    {.name = "allocation.list",
     .flags = SM_OP_READ,
     /*  reporting asks for a municipality's contributions (its overview) */
     .roles = R_READ | SM_ROLE_SVC_REPORTING,
     .summary = N_("allocations, oldest first"),
     .cli = "finance allocations",
     .args = (const sm_arg_t[]){S_LIMIT, S_AFTER('V'), {0}}},
    {.name = "allocation.get",
     .flags = SM_OP_READ,
     .roles = R_READ | SM_ROLE_SVC_REPORTING,
     .summary = N_("one allocation with its invoices"),
     .cli = "finance allocation",
     .args = (const sm_arg_t[]){
         {.name = "allocation", .type = SM_T_STR, .flags = SM_A_REQUIRED | SM_A_POS, .max = 120,
          .help = N_("the allocation's ID (V1) or name")},
         {0}}},
    {.name = "allocation.decide",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("record the contribution the portfolio holders decided for a municipality"),
     .cli = "finance decide",
     .args = (const sm_arg_t[]){
         {.name = "allocation", .type = SM_T_STR, .flags = SM_A_REQUIRED | SM_A_POS, .max = 120,
          .help = N_("the allocation's ID (V1) or name")},
         S_MUNICIPALITY,
         {.name = "decided_cents", .type = SM_T_MONEY, .flags = SM_A_REQUIRED, .flag = "amount",
          .help = N_("the amount decided; it is invoiced instead of the computed one")},
         {.name = "reason", .type = SM_T_STR, .min = 1, .max = 500,
          .help = N_("why the decision differs from the computation: needed once per "
                     "allocation, when a decided amount differs")},
         {.name = "decided_on", .type = SM_T_DATE, .flag = "on",
          .help = N_("the day of the decision (default: as recorded before, else today)")},
         {.name = "reference", .type = SM_T_STR, .min = 1, .max = 120,
          .help = N_("the decision's reference, e.g. PHO 2017-03-09")},
         {0}}},
    {.name = "invoice.pay",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("mark a municipality's invoice paid"),
     .cli = "finance invoice-pay",
     .args = (const sm_arg_t[]){
         {.name = "allocation", .type = SM_T_STR, .flags = SM_A_REQUIRED | SM_A_POS, .max = 120,
          .help = N_("the allocation's ID (V1) or name")},
         S_MUNICIPALITY,
         {.name = "paid_on", .type = SM_T_DATE, .flag = "on",
          .help = N_("the day it was paid (default today)")},
         {.name = "reference", .type = SM_T_STR, .min = 1, .max = 120,
          .help = N_("the payment's reference")},
         {0}}},

    /* ---- budget ---- */
    {.name = "budget.line.add",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("add a budget line computed from its parts"),
     .cli = "budget add-line",
     .args = (const sm_arg_t[]){
         S_YEAR(SM_A_REQUIRED | SM_A_POS, N_("the budget's year")),
         {.name = "name", .type = SM_T_STR, .flags = SM_A_REQUIRED, .max = 120,
          .help = N_("what the line pays for, e.g. coordination")},
         S_LINE_PARTS,
         {0}}},
    {.name = "budget.line.update",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("replace a budget line's parts or stated amount"),
     .cli = "budget update-line",
     .args = (const sm_arg_t[]){
         {.name = "line", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'L',
          .help = N_("the line, e.g. L4")},
         {.name = "name", .type = SM_T_STR, .min = 1, .max = 120,
          .help = N_("a new name (default: unchanged)")},
         S_LINE_PARTS,
         {0}}},
    {.name = "budget.line.get",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("one budget line with its actuals"),
     .cli = "budget line",
     .args = (const sm_arg_t[]){
         {.name = "line", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'L',
          .help = N_("the line, e.g. L4")},
         {0}}},
    {.name = "budget.show",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("a year's lines: budget, committed, spent, remaining, hours planned and "
                   "worked, and the contributions against the cost"),
     .cli = "budget show",
     .args = (const sm_arg_t[]){
         S_YEAR(SM_A_REQUIRED | SM_A_POS, N_("the budget's year")),
         S_ON(N_("count the weeks elapsed up to this day (default today)")),
         {0}}},
    {.name = "budget.years",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("several years side by side: budget, spending, contributions, carry-over"),
     .cli = "budget years",
     .args = (const sm_arg_t[]){
         {.name = "from_year", .type = SM_T_INT, .flags = SM_A_REQUIRED | SM_A_POS,
          .min = S_YEAR_MIN, .max = S_YEAR_MAX, .help = N_("the first year")},
         {.name = "to_year", .type = SM_T_INT, .flags = SM_A_REQUIRED | SM_A_POS,
          .min = S_YEAR_MIN, .max = S_YEAR_MAX,
          .help = N_("the last year (at most 30 years after the first)")},
         {.name = "round_cents", .type = SM_T_MONEY, .min = 1, .max = 100000000,
          .help = N_("round the figures to this unit as documents print them (default EUR "
                     "1,000; 0.01 for exact)")},
         {0}}},
    {.name = "budget.check",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("a year's stated amounts that differ from their computation"),
     .cli = "budget check",
     .args = (const sm_arg_t[]){
         S_YEAR(SM_A_REQUIRED | SM_A_POS, N_("the budget's year")),
         {.name = "stated_total_cents", .type = SM_T_MONEY, .flag = "stated-total",
          .help = N_("the year's total as a document states it")},
         {0}}},

    /* ---- hours ---- */
    {.name = "hours.record",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("record the hours a person worked in a week on a budget line"),
     .cli = "hours record",
     .args = (const sm_arg_t[]){
         {.name = "person", .type = SM_T_STR, .flags = SM_A_REQUIRED | SM_A_POS, .min = 1,
          .max = 64, .help = N_("who worked: a staff member's key name or initials")},
         {.name = "week", .type = SM_T_STR, .flags = SM_A_REQUIRED, .min = 1, .max = 10,
          .help = N_("the ISO week, e.g. 2020-W05, or a date in it")},
         {.name = "line", .type = SM_T_ID, .flags = SM_A_REQUIRED, .letter = 'L',
          .help = N_("the budget line the hours are on")},
         {.name = "hours_x100", .type = SM_T_INT, .flags = SM_A_REQUIRED, .min = 0,
          .max = 16800, .flag = "hours",
          .help = N_("hours in hundredths (1000 = 10 hours); replaces what the same person, "
                     "week, line, theme and session had")},
         {.name = "theme", .type = SM_T_ID, .letter = 'T', .help = N_("the theme worked on")},
         {.name = "session", .type = SM_T_ID, .letter = 'S',
          .help = N_("the session worked on")},
         {.name = "note", .type = SM_T_TEXT, .max = 500,
          .help = N_("staff's own words; never in an event")},
         {0}}},
    {.name = "hours.list",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("hours worked by person, line, year, theme or session"),
     .cli = "hours list",
     .args = (const sm_arg_t[]){
         {.name = "person", .type = SM_T_STR, .min = 1, .max = 64,
          .help = N_("only this person's")},
         {.name = "line", .type = SM_T_ID, .letter = 'L', .help = N_("only this line's")},
         S_YEAR(0, N_("only this year's (the line's year)")),
         {.name = "theme", .type = SM_T_ID, .letter = 'T', .help = N_("only this theme's")},
         {.name = "session", .type = SM_T_ID, .letter = 'S', .help = N_("only this session's")},
         S_LIMIT,
         S_AFTER('H'),
         {0}}},

    /* ---- expenses ---- */
    {.name = "expense.add",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("book an expense against a line"),
     .cli = "expense add",
     .args = (const sm_arg_t[]){
         {.name = "line", .type = SM_T_ID, .flags = SM_A_REQUIRED, .letter = 'L',
          .help = N_("the budget line it is booked against")},
         {.name = "category", .type = SM_T_ENUM, .flags = SM_A_REQUIRED, .values = s_categories,
          .help = N_("what kind of cost it is")},
         {.name = "amount_cents", .type = SM_T_MONEY, .flags = SM_A_REQUIRED, .min = 1,
          .flag = "amount", .help = N_("the amount")},
         S_ON(N_("the day of the expense (default today)")),
         {.name = "session", .type = SM_T_ID, .letter = 'S',
          .help = N_("the session it is for (a session or a theme is required)")},
         {.name = "theme", .type = SM_T_ID, .letter = 'T',
          .help = N_("the theme it is for (a session or a theme is required)")},
         {.name = "description", .type = SM_T_TEXT, .max = 500,
          .help = N_("staff's own words; never in an event")},
         {.name = "committed", .type = SM_T_BOOL,
          .help = N_("agreed but not yet invoiced (default false: spent)")},
         {0}}},
    {.name = "expense.settle",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("a committed expense is now spent"),
     .cli = "expense settle",
     .args = (const sm_arg_t[]){
         {.name = "expense", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'X',
          .help = N_("the expense, e.g. X2")},
         {.name = "amount_cents", .type = SM_T_MONEY, .min = 1, .flag = "amount",
          .help = N_("the invoiced amount (default the committed amount)")},
         S_ON(N_("the day it was spent (default today)")),
         {0}}},
    {.name = "expense.cancel",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("cancel a committed expense"),
     .cli = "expense cancel",
     .args = (const sm_arg_t[]){
         {.name = "expense", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'X',
          .help = N_("the expense, e.g. X2")},
         {.name = "reason", .type = SM_T_STR, .min = 1, .max = 500,
          .help = N_("why it is cancelled")},
         {0}}},
    {.name = "expense.get",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("one expense"),
     .cli = "expense show",
     .args = (const sm_arg_t[]){
         {.name = "expense", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'X',
          .help = N_("the expense, e.g. X2")},
         {0}}},
    {.name = "expense.list",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("expenses by line, session, theme, status or year"),
     .cli = "expense list",
     .args = (const sm_arg_t[]){
         {.name = "line", .type = SM_T_ID, .letter = 'L', .help = N_("only this line's")},
         {.name = "session", .type = SM_T_ID, .letter = 'S', .help = N_("only this session's")},
         {.name = "theme", .type = SM_T_ID, .letter = 'T', .help = N_("only this theme's")},
         {.name = "status", .type = SM_T_ENUM, .values = s_expense_statuses,
          .help = N_("only expenses in this status")},
         S_YEAR(0, N_("only this year's")),
         S_LIMIT,
         S_AFTER('X'),
         {0}}},

    /* ---- reimbursements ---- */
    {.name = "entitlement.add",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("record an entitlement by hand (attendance kept on paper)"),
     .cli = "reimburse add",
     .args = (const sm_arg_t[]){
         {.name = "session", .type = SM_T_ID, .flags = SM_A_REQUIRED, .letter = 'S',
          .help = N_("the session attended")},
         {.name = "participant", .type = SM_T_ID, .flags = SM_A_REQUIRED, .letter = 'P',
          .help = N_("who attended")},
         {.name = "held_on", .type = SM_T_DATE, .flags = SM_A_REQUIRED,
          .help = N_("the day the session was held (its year is the budget's)")},
         {.name = "amount_cents", .type = SM_T_MONEY, .min = 1, .flag = "amount",
          .help = N_("the reimbursement (default finance/reimbursement_default_cents)")},
         {.name = "theme", .type = SM_T_ID, .letter = 'T', .help = N_("the session's theme")},
         {0}}},
    {.name = "entitlement.get",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("one entitlement"),
     .cli = "reimburse show",
     .args = (const sm_arg_t[]){S_ENTITLEMENT, {0}}},
    {.name = "entitlement.list",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("entitlements, e.g. the unpaid ones"),
     .cli = "reimburse list",
     .args = (const sm_arg_t[]){
         {.name = "unpaid", .type = SM_T_BOOL,
          .help = N_("only entitled, claimed or approved ones")},
         {.name = "state", .type = SM_T_ENUM, .values = s_entitlement_states,
          .help = N_("only those in this state")},
         S_YEAR(0, N_("only this year's")),
         {.name = "participant", .type = SM_T_ID, .letter = 'P',
          .help = N_("only this participant's")},
         {.name = "session", .type = SM_T_ID, .letter = 'S', .help = N_("only this session's")},
         S_LIMIT,
         S_AFTER('E'),
         {0}}},
    {.name = "entitlement.claim",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("the participant claims it"),
     .cli = "reimburse claim",
     .args = (const sm_arg_t[]){S_ENTITLEMENT, S_ON(N_("the day of the claim (default today)")),
                                {0}}},
    {.name = "entitlement.approve",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("approve a claim"),
     .cli = "reimburse approve",
     .args = (const sm_arg_t[]){S_ENTITLEMENT,
                                S_ON(N_("the day of the approval (default today)")), {0}}},
    {.name = "entitlement.pay",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("record the payment (reference; the yearly cap applies)"),
     .cli = "reimburse pay",
     .args = (const sm_arg_t[]){
         S_ENTITLEMENT,
         {.name = "reference", .type = SM_T_STR, .flags = SM_A_REQUIRED, .max = 120,
          .help = N_("the payment's reference")},
         S_ON(N_("the day of the payment (default today)")),
         {.name = "override_reason", .type = SM_T_STR, .min = 1, .max = 500, .flag = "override",
          .help = N_("why it is paid although it takes the year past the cap")},
         {0}}},
    {.name = "entitlement.waive",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("the entitlement will not be paid"),
     .cli = "reimburse waive",
     .args = (const sm_arg_t[]){
         S_ENTITLEMENT,
         {.name = "reason", .type = SM_T_STR, .min = 1, .max = 500,
          .help = N_("why it is waived")},
         S_ON(N_("the day it is waived (default today)")),
         {0}}},
    {.name = "reimbursement.year",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("a year's reimbursements against the cap"),
     .cli = "reimburse year",
     .args = (const sm_arg_t[]){S_YEAR(SM_A_REQUIRED | SM_A_POS, N_("the year")), {0}}},

    /* ---- bank accounts ---- */
    {.name = "payee.set",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("set a participant's IBAN for reimbursements"),
     .cli = "payee set",
     .args = (const sm_arg_t[]){
         {.name = "participant", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS,
          .letter = 'P', .help = N_("whose account it is")},
         {.name = "iban", .type = SM_T_STR, .flags = SM_A_REQUIRED | SM_A_PERSONAL, .max = 79,
          .help = N_("the IBAN, spaces allowed, e.g. NL91 ABNA 0417 1643 00")},
         {.name = "holder", .type = SM_T_STR, .flags = SM_A_PERSONAL, .min = 1, .max = 120,
          .help = N_("the account holder's name")},
         {0}}},
    {.name = "payee.get",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = R_FIN,
     .summary = N_("a participant's IBAN, masked, and its holder"),
     .cli = "payee show",
     .args = (const sm_arg_t[]){
         {.name = "participant", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS,
          .letter = 'P', .help = N_("whose account")},
         {0}}},
    {.name = "payee.remove",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("forget a participant's IBAN"),
     .cli = "payee remove",
     .args = (const sm_arg_t[]){
         {.name = "participant", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS,
          .letter = 'P', .help = N_("whose account")},
         {0}}},

    /* ---- grants ---- */
    {.name = "grant.pool.add",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("add a grant pool for a year"),
     .cli = "grant pool-add",
     .args = (const sm_arg_t[]){
         {.name = "kind", .type = SM_T_ENUM, .flags = SM_A_REQUIRED, .values = s_pool_kinds,
          .help = N_("a district's pool, the city-wide pool, or an earmarked part")},
         S_YEAR(SM_A_REQUIRED, N_("the year of the money")),
         {.name = "amount_cents", .type = SM_T_MONEY, .flags = SM_A_REQUIRED, .flag = "amount",
          .help = N_("the pool's amount")},
         {.name = "district", .type = SM_T_STR, .min = 1, .max = 120,
          .help = N_("the district (district pools only, required there)")},
         {.name = "earmark", .type = SM_T_STR, .min = 1, .max = 120,
          .help = N_("what it is earmarked for (earmarked pools only, required there)")},
         {.name = "name", .type = SM_T_STR, .min = 1, .max = 120, .help = N_("a name")},
         {0}}},
    {.name = "grant.pool.get",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("one pool with its remainder"),
     .cli = "grant pool",
     .args = (const sm_arg_t[]){
         {.name = "pool", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'K',
          .help = N_("the pool, e.g. K1")},
         {0}}},
    {.name = "grant.pool.list",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("pools with their remainders"),
     .cli = "grant pools",
     .args = (const sm_arg_t[]){S_YEAR(0, N_("only this year's")), {0}}},
    {.name = "grant.apply",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("an initiative applies to a pool"),
     .cli = "grant apply",
     .args = (const sm_arg_t[]){
         {.name = "pool", .type = SM_T_ID, .flags = SM_A_REQUIRED, .letter = 'K',
          .help = N_("the pool applied to")},
         {.name = "initiative", .type = SM_T_STR, .flags = SM_A_REQUIRED, .max = 200,
          .help = N_("the initiative's name")},
         {.name = "applicant", .type = SM_T_STR, .flags = SM_A_REQUIRED, .max = 23,
          .help = N_("a participant (P12) or an organisation (O3) of intake")},
         {.name = "district", .type = SM_T_STR, .min = 1, .max = 120,
          .help = N_("the district (a district pool's own by default)")},
         {.name = "requested_cents", .type = SM_T_MONEY, .flags = SM_A_REQUIRED, .min = 1,
          .flag = "requested",
          .help = N_("the amount asked for")},
         {.name = "intended_result", .type = SM_T_TEXT, .flags = SM_A_REQUIRED, .max = 4000,
          .help = N_("what the initiative means to bring about")},
         {.name = "answers", .type = SM_T_MAP, .flag = "answer",
          .help = N_("answers to the criteria: criterion -> answer, at most 16")},
         {.name = "on", .type = SM_T_DATE,
          .help = N_("the day it was submitted (default today; not in the future)")},
         {.name = "submitted_on", .type = SM_T_DATE,
          .help = N_("the older name of on (not together with it)")},
         SM_ARGS_OWNERS,
         {0}}},
    {.name = "grant.get",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("one application"),
     .cli = "grant show",
     .args = (const sm_arg_t[]){S_APPLICATION, {0}}},
    {.name = "grant.list",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("applications by pool, year or state"),
     .cli = "grant list",
     .args = (const sm_arg_t[]){
         {.name = "pool", .type = SM_T_ID, .letter = 'K', .help = N_("only this pool's")},
         S_YEAR(0, N_("only this year's")),
         {.name = "state", .type = SM_T_ENUM, .values = s_grant_states,
          .help = N_("only those in this state")},
         SM_ARG_OWNER_FILTER,
         S_LIMIT,
         S_AFTER('G'),
         {0}}},
    {.name = "grant.award",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("award at most the pool's remainder"),
     .cli = "grant award",
     .args = (const sm_arg_t[]){
         S_APPLICATION,
         {.name = "amount_cents", .type = SM_T_MONEY, .flags = SM_A_REQUIRED, .min = 1,
          .flag = "amount",
          .help = N_("the award: at most what was asked and what the pool has left")},
         S_STEP_ON,
         {0}}},
    {.name = "grant.reject",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("reject with a reason"),
     .cli = "grant reject",
     .args = (const sm_arg_t[]){
         S_APPLICATION,
         {.name = "reason", .type = SM_T_TEXT, .flags = SM_A_REQUIRED, .max = 1000,
          .help = N_("why, in words the initiative can read")},
         S_STEP_ON,
         {0}}},
    {.name = "grant.withdraw",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("the initiative withdraws (unpaid)"),
     .cli = "grant withdraw",
     .args = (const sm_arg_t[]){S_APPLICATION, S_STEP_ON, {0}}},
    {.name = "grant.pay",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("record the payment of the award"),
     .cli = "grant pay",
     .args = (const sm_arg_t[]){
         S_APPLICATION,
         {.name = "amount_cents", .type = SM_T_MONEY, .min = 1, .flag = "amount",
          .help = N_("the amount paid: at most the award (default the award)")},
         {.name = "reference", .type = SM_T_STR, .min = 1, .max = 120,
          .help = N_("the payment's reference")},
         S_STEP_ON,
         {0}}},
    {.name = "grant.evaluate",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("record the interim visit"),
     .cli = "grant evaluate",
     .args = (const sm_arg_t[]){
         S_APPLICATION,
         {.name = "on", .type = SM_T_DATE, .flags = SM_A_REQUIRED,
          .help = N_("the date of the interim visit")},
         {.name = "notes", .type = SM_T_TEXT, .flags = SM_A_REQUIRED, .max = 4000,
          .help = N_("what the visit found")},
         {0}}},
    {.name = "grant.account",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("record the accountability and result"),
     .cli = "grant account",
     .args = (const sm_arg_t[]){
         S_APPLICATION,
         {.name = "result", .type = SM_T_ENUM, .flags = SM_A_REQUIRED, .values = s_results,
          .canon = s_result_canon, .help = N_("whether the intended result was reached")},
         {.name = "narrative", .type = SM_T_TEXT, .flags = SM_A_REQUIRED, .max = 4000,
          .help = N_("the initiative's account of what happened")},
         S_STEP_ON,
         {0}}},
    {.name = "grant.close",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("close an accounted application"),
     .cli = "grant close",
     .args = (const sm_arg_t[]){S_APPLICATION, S_STEP_ON, {0}}},
    {.name = "grant.assign",
     .flags = SM_OP_WRITE,
     .roles = R_FIN,
     .summary = N_("give an application an owner and a deputy, who follow the initiative up"),
     .cli = "grant assign",
     .args = (const sm_arg_t[]){S_APPLICATION, SM_ARGS_OWNERS, {0}}},
    {.name = "grant.stats",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("figures per year over a range of years"),
     .cli = "grant stats",
     .args = (const sm_arg_t[]){
         {.name = "from_year", .type = SM_T_INT, .flags = SM_A_REQUIRED, .min = S_YEAR_MIN,
          .max = S_YEAR_MAX, .help = N_("the first year")},
         {.name = "to_year", .type = SM_T_INT, .flags = SM_A_REQUIRED, .min = S_YEAR_MIN,
          .max = S_YEAR_MAX, .help = N_("the last year (not before the first)")},
         {0}}},

    /* ---- right of access ---- */
    {.name = "participant.export",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ | SM_ROLE_SVC_INTAKE,
     .personal = R_FIN,
     .summary = N_("everything finance holds about one participant (right of access)"),
     .cli = NULL,
     .args = (const sm_arg_t[]){
         {.name = "participant", .type = SM_T_ID, .flags = SM_A_REQUIRED, .letter = 'P',
          .help = N_("the participant, e.g. P12")},
         {0}}},
    {0}};
