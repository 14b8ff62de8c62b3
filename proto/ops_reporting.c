/*  proto/ops_reporting.c - the ops of samen-reporting: session reports and
    their check for personal data, the documents made from them (yearly
    overview, decision passage, youth report), outcome items, reach
    statistics, and what reporting holds about a participant.

    The limits are the service's own (services/reporting/report_rules.h,
    overview.h, youth.h, outcome_rules.h); the rules there check them again
    in bytes, so a text within these limits in characters may still be
    refused there for its size. */
#include "proto/ops.h"
#include "common/vocab.h"
#include "services/reporting/reaction.h"
#include <stdbool.h>
#include <stddef.h>

/*  Who sees personal fields in reporting: the people who run the programme;
    intake too, for the right-of-access export it gathers. */
#define P_COORD R_COORD

static const char *const s_states[] = {"draft", "approved", "published", "sent", NULL};
static const char *const s_statuses[] = {"open", "in_progress", "done", "not_adopted", NULL};
static const char *const s_effects[] = {"none", "adopted_in_plan", "changed_decision", NULL};
static const char *const s_annual_formats[] = {"md", "csv", "html", "rows", NULL};
static const char *const s_youth_formats[] = {"md", "html", "svg", NULL};
static const char *const s_scores[] = {"yes", "partly", "no", NULL};

/*  A theme or a decision, the subject of a yardstick. */
#define SUBJECT                                                                               \
    {.name = "subject", .type = SM_T_STR, .flags = SM_A_REQUIRED | SM_A_POS, .min = 2,       \
     .max = 24, .help = N_("a theme (T4) or a decision (D2)")}
static const char *const s_youth_documents[] = {"report", "letter", "infographic", NULL};
static const char *const s_page_formats[] = {"md", "html", NULL};

/*  Outcome statuses and effects and report states are canonised by
    common/vocab.h: a code, or the name in English or Dutch ("in progress",
    "in uitvoering"). */

#define REPORT_ID                                                                             \
    {.name = "report", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'R',     \
     .help = N_("the report")}
#define REPORT_TEXT                                                                           \
    {.name = "text", .type = SM_T_TEXT, .flags = SM_A_REQUIRED, .max = 262144,               \
     .help = N_("the report in Markdown, not only white space")}
#define VERSION                                                                               \
    {.name = "version", .type = SM_T_INT, .min = 1, .max = 1000000,                          \
     .help = N_("the version (default the newest)")}
#define ALLOW                                                                                 \
    {.name = "allow", .type = SM_T_LIST, .max = 64, .item_max = 200,                         \
     .help = N_("match texts that are not personal data, e.g. an alderman's name (case and " \
                "white space ignored)")}
/*  A text on the deployment's allow list (services/reporting/allowlist.h):
    a name, so never logged or audited. FLAG is samenctl's flag. */
#define ALLOWLIST_TEXT(FLAG, HELP)                                                            \
    {.name = "text", .type = SM_T_STR, .flags = SM_A_REQUIRED | SM_A_PERSONAL, .min = 1,      \
     .max = 200, .flag = (FLAG), .help = (HELP)}
#define DATED(HELP) {.name = "date", .type = SM_T_DATE, .help = (HELP)}
#define YEAR(MAX, FLAGS)                                                                      \
    {.name = "year", .type = SM_T_INT, .flags = (FLAGS), .min = 1, .max = (MAX),              \
     .help = N_("the year")}
#define YOUTH_YEAR YEAR(9998, SM_A_REQUIRED)
#define DAYS                                                                                  \
    {.name = "days", .type = SM_T_INT, .min = 1, .max = 366,                                  \
     .help = N_("days allowed from session to sending (default the setting "                 \
                "send_within_days)")}
#define PAGE(LETTER)                                                                          \
    {.name = "limit", .type = SM_T_INT, .min = 1, .max = 1000,                                \
     .help = N_("how many at most (default 100)")},                                           \
    {.name = "after", .type = SM_T_ID, .letter = (LETTER),                                    \
     .help = N_("the page after this ID (the reply's next)")}
#define THEME(FLAGS, HELP)                                                                    \
    {.name = "theme", .type = SM_T_ID, .flags = (FLAGS), .letter = 'T', .help = (HELP)}
/*  A youth finding's texts; min 1: an empty one is refused. */
#define FINDING(FLAGS)                                                                        \
    {.name = "finding", .type = SM_T_TEXT, .flags = (FLAGS), .min = 1, .max = 4000,          \
     .help = N_("what youth and parents said")},                                              \
    {.name = "done", .type = SM_T_TEXT, .min = 1, .max = 4000,                                \
     .help = N_("what was done with it")}
/*  An outcome item's fields; done, reason and follow_up take "" to clear. */
#define OUTCOME_FIELDS(REQ)                                                                   \
    {.name = "sessions", .type = SM_T_LIST, .flags = (REQ), .min = 1, .max = 32,             \
     .item = SM_T_ID, .letter = 'S',                                                          \
     .help = N_("the sessions of the theme the input came from")},                            \
    {.name = "brought_in", .type = SM_T_TEXT, .flags = (REQ), .min = 1, .max = 4000,         \
     .help = N_("what residents brought in")},                                                \
    {.name = "done", .type = SM_T_TEXT, .max = 4000,                                          \
     .help = N_("what was done with it (\"\" clears)")},                                      \
    {.name = "effect", .type = SM_T_ENUM, .values = s_effects,                                \
     .canon = sm_canon_outcome_effect, .help = N_("what the input changed (default none)")},  \
    {.name = "status", .type = SM_T_ENUM, .values = s_statuses,                               \
     .canon = sm_canon_outcome_status, .help = N_("where it stands (default open)")},         \
    {.name = "reason", .type = SM_T_TEXT, .max = 4000,                                        \
     .help = N_("why it was not adopted: required then (\"\" clears)")},                      \
    {.name = "follow_up", .type = SM_T_TEXT, .max = 4000,                                     \
     .help = N_("what happens next (\"\" clears)")},                                          \
    SM_ARGS_OWNERS
#define OUTCOME_ID                                                                            \
    {.name = "outcome", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'U',    \
     .help = N_("the outcome item")}

const sm_opdecl_t sm_ops_reporting[] = {
    /* ---- session reports ---- */
    {.name = "report.draft",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("draft the report of a session (Markdown)"),
     .cli = "report draft",
     .args = (const sm_arg_t[]){{.name = "session", .type = SM_T_ID,
                                 .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'S',
                                 .help = N_("the held session the report is about")},
                                REPORT_TEXT,
                                {0}}},
    {.name = "report.revise",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("replace a draft's text; on a published report, a correction with a note"),
     .cli = "report revise",
     .args = (const sm_arg_t[]){REPORT_ID,
                                REPORT_TEXT,
                                {.name = "note", .type = SM_T_TEXT, .min = 1, .max = 2000,
                                 .help = N_("what a correction changes: required for a "
                                            "published report, refused for a draft")},
                                {0}}},
    {.name = "report.approve",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("approve the newest version's text"),
     .cli = "report approve",
     .args = (const sm_arg_t[]){REPORT_ID,
                                DATED(N_("the day it was approved, when recorded afterwards "
                                         "(default today)")),
                                {0}}},
    {.name = "report.publish",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("publish after intake's personal-data scan; matches must be allowed"),
     .cli = "report publish",
     .args = (const sm_arg_t[]){REPORT_ID,
                                ALLOW,
                                DATED(N_("the day it was published, when recorded afterwards "
                                         "(default today)")),
                                {0}}},
    {.name = "report.sent",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("record that the report went to participants"),
     .cli = "report sent",
     .args = (const sm_arg_t[]){REPORT_ID,
                                DATED(N_("the day it was sent to the participants (default "
                                         "today)")),
                                {0}}},
    {.name = "report.check",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = P_COORD,
     .summary = N_("list the personal data intake finds in a report's text"),
     .cli = "report check",
     .args = (const sm_arg_t[]){REPORT_ID, VERSION, ALLOW, {0}}},
    {.name = "allowlist.add",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("allow a text in every report of this deployment (the alderman's name)"),
     .cli = "report allowlist",
     .args = (const sm_arg_t[]){ALLOWLIST_TEXT("add", N_("the text as reports write it, e.g. "
                                                         "\"wethouder Jansen\"")),
                                {.name = "note", .type = SM_T_STR, .max = 200,
                                 .help = N_("why it is allowed")},
                                {0}}},
    {.name = "allowlist.remove",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("take a text off the deployment's allow list"),
     .cli = "report allowlist",
     .args = (const sm_arg_t[]){ALLOWLIST_TEXT("remove", N_("the text, as it was added")),
                                {0}}},
    {.name = "allowlist.list",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = P_COORD,
     .summary = N_("the texts allowed in every report of this deployment"),
     .cli = "report allowlist"},
    {.name = "report.get",
     .flags = SM_OP_READ,
     .roles = R_READ | SM_ROLE_SVC_INTAKE, /*  intake mails the published text */
     .summary = N_("one report version: Markdown and HTML"),
     .cli = "report show",
     .args = (const sm_arg_t[]){REPORT_ID, VERSION, {0}}},
    {.name = "report.list",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("reports by session, theme or state"),
     .cli = "report list",
     .args = (const sm_arg_t[]){{.name = "session", .type = SM_T_ID, .letter = 'S',
                                 .help = N_("only the report of this session")},
                                THEME(0, N_("only reports on this theme")),
                                {.name = "state", .type = SM_T_ENUM, .values = s_states,
                                 .canon = sm_canon_report_state,
                                 .help = N_("only reports whose newest version is in this "
                                            "state")},
                                PAGE('R'),
                                {0}}},
    {.name = "report.public.list",
     .flags = SM_OP_READ,
     .roles = R_READ | SM_ROLE_SVC_SITE,
     .summary = N_("published reports as a public website may show them (never a draft)"),
     .cli = NULL,
     .args = (const sm_arg_t[]){THEME(0, N_("only reports on this theme")), PAGE('R'), {0}}},
    {.name = "report.public.get",
     .flags = SM_OP_READ,
     .roles = R_READ | SM_ROLE_SVC_SITE,
     .summary = N_("the text of a report's newest published version (Markdown), for a public "
                   "website"),
     .cli = NULL,
     .args = (const sm_arg_t[]){REPORT_ID, {0}}},
    {.name = "report.due",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("held sessions without a published report, and reports sent late"),
     .cli = "report due",
     .args = (const sm_arg_t[]){DAYS, {0}}},
    {.name = "report.react",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("record a resident's reaction to a published report (their words stay "
                   "personal)"),
     .cli = "report react",
     .args = (const sm_arg_t[]){
         REPORT_ID,
         {.name = "participant", .type = SM_T_ID, .flags = SM_A_REQUIRED, .letter = 'P',
          .help = N_("who reacted, P12")},
         {.name = "text", .type = SM_T_TEXT, .flags = SM_A_REQUIRED | SM_A_PERSONAL, .min = 1,
          .max = REACTION_TEXT_MAX,
          .help = N_("the resident's words (personal: never in events or anything published)")},
         DATED(N_("the day the reaction came in (default today; not before the report was "
                  "published)")),
         {0}}},
    {.name = "report.reactions",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = P_COORD,
     .summary = N_("residents' reactions to a report: who and when; their words for the "
                   "coordinator and admin"),
     .cli = "report reactions",
     .args = (const sm_arg_t[]){REPORT_ID, {0}}},

    /* ---- documents ---- */
    {.name = "report.annual",
     .flags = SM_OP_READ,
     /*  The appendix the programme publishes: samen-site shows it. */
     .roles = R_READ | SM_ROLE_SVC_SITE,
     .summary = N_("the yearly overview (md, csv, html; rows: the table as data)"),
     .cli = "report annual",
     .args = (const sm_arg_t[]){YEAR(9999, SM_A_REQUIRED),
                                {.name = "format", .type = SM_T_ENUM,
                                 .values = s_annual_formats,
                                 .help = N_("the document's format (default md); rows: "
                                            "{title, table, columns, rows: [{theme, cells}]} "
                                            "under data instead of text")},
                                {0}}},
    {.name = "report.passage",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("the decision-document passage on a theme's residents' perspective"),
     .cli = "report passage",
     .args = (const sm_arg_t[]){THEME(SM_A_REQUIRED | SM_A_POS, N_("the theme")),
                                YEAR(9999, 0),
                                {.name = "format", .type = SM_T_ENUM, .values = s_page_formats,
                                 .help = N_("the passage's format (default md)")},
                                {.name = "decision", .type = SM_T_ID, .letter = 'D',
                                 .help = N_("the decision on the theme the passage is for: its "
                                            "yardstick is shown")},
                                {0}}},
    {.name = "report.youth",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("the statutory youth report, its letter to the councils and infographic "
                   "(md, html, svg)"),
     .cli = "report youth",
     .args = (const sm_arg_t[]){YOUTH_YEAR,
                                {.name = "document", .type = SM_T_ENUM,
                                 .values = s_youth_documents,
                                 .help = N_("report (default), letter to the councils, or "
                                            "infographic")},
                                {.name = "format", .type = SM_T_ENUM, .values = s_youth_formats,
                                 .help = N_("md (default) or html; svg for the infographic (its "
                                            "default)")},
                                {0}}},
    {.name = "report.municipality",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("what happened with a municipality's residents in a year (md, html)"),
     .cli = "report municipality",
     .args = (const sm_arg_t[]){{.name = "municipality", .type = SM_T_STR,
                                 .flags = SM_A_REQUIRED | SM_A_POS, .max = 64,
                                 .help = N_("the municipality, by name or code (Huizen, "
                                            "GM0406)")},
                                YEAR(9999, SM_A_REQUIRED),
                                {.name = "format", .type = SM_T_ENUM, .values = s_page_formats,
                                 .help = N_("the page's format (default md)")},
                                {0}}},

    /* ---- the youth report's findings and status ---- */
    {.name = "youth.finding.add",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("add a finding (and what was done) to a year's youth report"),
     .cli = "report youth-finding",
     .args = (const sm_arg_t[]){YOUTH_YEAR,
                                THEME(0, N_("the theme it is about")),
                                FINDING(SM_A_REQUIRED),
                                {0}}},
    {.name = "youth.finding.update",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("change a finding of a year's youth report"),
     .cli = "report youth-finding",
     .args = (const sm_arg_t[]){YOUTH_YEAR,
                                {.name = "n", .type = SM_T_INT, .flags = SM_A_REQUIRED,
                                 .min = 1, .max = 40,
                                 .help = N_("the finding's number, from 1")},
                                THEME(0, N_("the theme it is about")),
                                FINDING(0),
                                {0}}},
    {.name = "youth.adopt",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("adopt a year's youth report"),
     .cli = "report youth-adopt",
     .args = (const sm_arg_t[]){YOUTH_YEAR,
                                DATED(N_("the day it was adopted, when recorded afterwards "
                                         "(default today)")),
                                {0}}},
    {.name = "youth.submit",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("record that it was submitted to VWS"),
     .cli = "report youth-submit",
     .args = (const sm_arg_t[]){YOUTH_YEAR,
                                DATED(N_("the day it was submitted, when recorded afterwards "
                                         "(default today)")),
                                {0}}},

    /* ---- outcome items ---- */
    {.name = "outcome.add",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("record what residents brought in on a theme and what was done with it"),
     .cli = "outcome add",
     .args = (const sm_arg_t[]){THEME(SM_A_REQUIRED | SM_A_POS, N_("the theme")),
                                OUTCOME_FIELDS(SM_A_REQUIRED),
                                {0}}},
    {.name = "outcome.update",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("change an outcome item"),
     .cli = "outcome update",
     .args = (const sm_arg_t[]){OUTCOME_ID, OUTCOME_FIELDS(0), {0}}},
    {.name = "outcome.get",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("one outcome item"),
     .cli = "outcome show",
     .args = (const sm_arg_t[]){OUTCOME_ID, {0}}},
    {.name = "outcome.list",
     .flags = SM_OP_READ,
     /*  What was brought in and done with it is what the programme
         publishes per theme (the yearly overview carries the same texts):
         samen-site shows it on the theme's page. */
     .roles = R_READ | SM_ROLE_SVC_SITE,
     .summary = N_("outcome items by theme or status"),
     .cli = "outcome list",
     .args = (const sm_arg_t[]){THEME(0, N_("only items on this theme")),
                                {.name = "status", .type = SM_T_ENUM, .values = s_statuses,
                                 .canon = sm_canon_outcome_status,
                                 .help = N_("only items in this status")},
                                SM_ARG_OWNER_FILTER,
                                PAGE('U'),
                                {0}}},

    /* ---- decisions and the yardstick (meetlat) ---- */
    {.name = "decision.add",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("record a decision on a theme, put to the portfolio holders"),
     .cli = "decision add",
     .args = (const sm_arg_t[]){
         THEME(SM_A_REQUIRED | SM_A_POS, N_("the theme decided on")),
         {.name = "title", .type = SM_T_STR, .flags = SM_A_REQUIRED, .min = 1, .max = 200,
          .help = N_("the decision's title, as its document has it")},
         DATED(N_("the day it was taken (default today)")),
         {.name = "reference", .type = SM_T_STR, .max = 120,
          .help = N_("the reference the minutes use, e.g. PHO 2020-03-12 nr. 5")},
         {0}}},
    {.name = "decision.get",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("one decision and how far its yardstick is filled in"),
     .cli = "decision show",
     .args = (const sm_arg_t[]){{.name = "decision", .type = SM_T_ID,
                                 .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'D',
                                 .help = N_("the decision")},
                                {0}}},
    {.name = "decision.list",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("decisions by theme or year, with their yardstick's state"),
     .cli = "decision list",
     .args = (const sm_arg_t[]){THEME(0, N_("only decisions on this theme")),
                                YEAR(9999, 0),
                                PAGE('D'),
                                {0}}},
    {.name = "yardstick.record",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("record how a theme or decision met a principle of the yardstick (yes, "
                   "partly, no, with a note)"),
     .cli = "yardstick record",
     .args = (const sm_arg_t[]){
         SUBJECT,
         {.name = "principle", .type = SM_T_INT, .min = 1, .max = 10,
          .help = N_("the principle's number (yardstick checklist)")},
         {.name = "score", .type = SM_T_ENUM, .values = s_scores,
          .canon = sm_canon_yardstick_score, .help = N_("yes, partly or no (ja, deels, nee)")},
         {.name = "note", .type = SM_T_TEXT, .max = 2000,
          .help = N_("why: what was done, or not (\"\" clears)")},
         {.name = "scores", .type = SM_T_LIST, .min = 1, .max = 10, .item = SM_T_ENUM,
          .values = s_scores, .canon = sm_canon_yardstick_score,
          .help = N_("a score for every principle, in order: yes,partly,no,...")},
         {0}}},
    {.name = "yardstick.show",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("the yardstick of a theme or decision: each principle with its score and "
                   "note"),
     .cli = "yardstick show",
     .args = (const sm_arg_t[]){SUBJECT, {0}}},
    {.name = "yardstick.missing",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("themes and decisions whose yardstick is not filled in"),
     .cli = "yardstick missing",
     .args = (const sm_arg_t[]){YEAR(9999, 0), {0}}},
    {.name = "yardstick.checklist",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("the principles of the yardstick (samen.cfg: reporting/yardstick)"),
     .cli = "yardstick checklist"},

    /* ---- reach ---- */
    {.name = "stats.reach",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("reach and representation of a year: participants, concentration, shares, "
                   "feedback"),
     .cli = "stats reach",
     .args = (const sm_arg_t[]){YEAR(9999, SM_A_REQUIRED), DAYS, {0}}},

    /* ---- right of access ---- */
    {.name = "participant.export",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ | SM_ROLE_SVC_INTAKE,
     .personal = P_COORD | SM_ROLE_SVC_INTAKE,
     .summary = N_("what reporting holds about a participant ID, and who accessed it"),
     .args = (const sm_arg_t[]){{.name = "participant", .type = SM_T_ID,
                                 .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'P',
                                 .help = N_("the participant")},
                                {0}}},
    {0}};
