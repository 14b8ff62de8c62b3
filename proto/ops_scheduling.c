/*  proto/ops_scheduling.c - the ops samen-scheduling answers: themes and the
    annual agenda, the planning grid, sessions, registrations, invitations,
    attendance and its part of the right of access.

    People who run the programme (coordinator, admin) write; everyone who
    reads the programme's data reads. Participants are bare IDs here, with
    the coarse attributes intake announces. The personal fields are a
    theme's project leader and political lead (names of people): the ops
    that return themes show them to coordinators and admins only.
    participant.export answers a person's right of access: it is declared
    personal so that every read is on record, and says who accessed the ID.

    Limits come from the service's rules headers, which size the buffers
    the handlers copy into: a limit changed there changes here. Words
    (domains, methods, ...) come from proto/words_scheduling.h.
*/
#include "proto/ops.h"
#include "proto/words_scheduling.h"
#include "services/scheduling/adoption.h"
#include "services/scheduling/session.h"
#include "services/scheduling/theme_rules.h"

/*  How many items a page of a list holds at most. */
#define S_LIMIT_MAX 1000
/*  Participant IDs in one invite.mark or attendance.record. */
#define S_IDS_MAX 1000

/* ==== Arguments used by several ops ======================================= */

#define S_THEME_ID(fl, hp)                                                                         \
    {.name = "theme", .type = SM_T_ID, .flags = (fl), .letter = 'T', .help = (hp)}
#define S_SESSION_ID(fl, hp)                                                                       \
    {.name = "session", .type = SM_T_ID, .flags = (fl), .letter = 'S', .help = (hp)}
#define S_PARTICIPANT_ID(fl, hp)                                                                   \
    {.name = "participant", .type = SM_T_ID, .flags = (fl), .letter = 'P', .help = (hp)}
#define S_LIMIT                                                                                    \
    {.name = "limit", .type = SM_T_INT, .min = 1, .max = S_LIMIT_MAX,                              \
     .help = N_("how many at most (default 100)")}

/*  A theme's fields, for theme.add (title, domain and years required) and
    theme.update (none required). */
#define S_THEME_FIELDS(rq)                                                                         \
    {.name = "question", .type = SM_T_TEXT, .max = THEME_QUESTION_MAX,                             \
     .help = N_("the central question put to residents")},                                         \
    {.name = "domain", .type = SM_T_ENUM, .flags = (rq), .values = sched_domains,                  \
     .canon = sched_domain_canon,                                                                  \
     .help = N_("the policy domain; the Dutch words (jeugd, Wmo, werk en inkomen, ...) are "       \
                "accepted too")},                                                                  \
    {.name = "phase", .type = SM_T_ENUM, .values = sched_phases, .canon = sched_phase_canon,       \
     .help = N_("the policy-cycle phase (default agenda; agendering, uitvoering, ... too)")},      \
    {.name = "source", .type = SM_T_ENUM, .values = sched_sources,                                 \
     .canon = sched_source_canon,                                                                  \
     .help = N_("where the theme came from (default regional_agenda)")},                           \
    {.name = "status", .type = SM_T_ENUM, .values = sched_theme_statuses,                          \
     .canon = sched_theme_status_canon, .help = N_("the theme's status (default active)")},        \
    {.name = "project_leader", .type = SM_T_STR, .flags = SM_A_PERSONAL, .max = THEME_PERSON_MAX,  \
     .flag = "leader",                                                                             \
     .help = N_("the project leader's name as the agenda writes it (kept out of events); the "    \
                "owner is the same person as known to samen")},                                    \
    {.name = "political_lead", .type = SM_T_STR, .flags = SM_A_PERSONAL, .max = THEME_PERSON_MAX,  \
     .help = N_("the alderman who adopted it, the trekker (kept out of events)")},                 \
    {.name = "scope", .type = SM_T_ENUM, .values = sched_scopes, .canon = sched_scope_canon,       \
     .help = N_("regional (every municipality) or local; default local when municipalities "       \
                "are given, else regional")},                                                      \
    {.name = "municipalities", .type = SM_T_LIST, .max = THEME_MUNIS_MAX, .item_max = 100,         \
     .flag = "municipality",                                                                       \
     .help = N_("the municipalities of a local theme: names or statistics-office codes "           \
                "(GM0402) known from finance")},                                                   \
    {.name = "years", .type = SM_T_LIST, .flags = (rq), .item = SM_T_INT, .min = 1,                \
     .max = THEME_YEARS_MAX, .item_min = THEME_YEAR_MIN, .item_max = THEME_YEAR_MAX,               \
     .flag = "year",                                                                               \
     .help = N_("the agenda years, e.g. [2020, 2021]")},                                           \
    {.name = "youth_relevant", .type = SM_T_BOOL, .flag = "youth",                                 \
     .help = N_("counts for the statutory youth report (default: true for domain youth; "          \
                "samenctl: --youth or --not-youth)")},                                             \
    SM_ARGS_OWNERS

/*  What session.plan and session.update take besides the theme, the
    session and a series' rhythm. */
#define S_SESSION_FIELDS(rq)                                                                       \
    {.name = "method", .type = SM_T_ENUM, .flags = (rq), .values = sched_method_codes,             \
     .canon = sched_method_canon,                                                                  \
     .help = N_("FG focus group, I interviews, SB mirror meeting, E survey, KB sounding-board "    \
                "group, WB work visit, T test session, C café, N network meeting; the English "    \
                "or Dutch name is accepted too")},                                                 \
    {.name = "title", .type = SM_T_STR, .max = SESSION_TITLE_MAX, .help = N_("a short title")},    \
    {.name = "question", .type = SM_T_TEXT, .max = SESSION_QUESTION_MAX,                           \
     .help = N_("the central question put to residents")},                                         \
    {.name = "start", .type = SM_T_STR, .max = 40,                                                 \
     .help = N_("an exact start in Amsterdam time, 2020-03-12T19:00 (or with Z or +01:00); "       \
                "with end")},                                                                      \
    {.name = "end", .type = SM_T_STR, .max = 40,                                                   \
     .help = N_("the exact end, after start, at most 366 days later")},                            \
    {.name = "period", .type = SM_T_STR, .max = 47,                                                \
     .help = N_("instead of start and end: 2020-03, 2020-Q2, 2020 or 2019-09-01..2019-11-30")},    \
    {.name = "tentative", .type = SM_T_BOOL,                                                       \
     .help = N_("onder voorbehoud (ovb); confirming clears it")},                                  \
    {.name = "location", .type = SM_T_STR, .max = SESSION_LOCATION_MAX,                            \
     .help = N_("a venue (never somebody's home), or the link of an online session")},             \
    {.name = "location_kind", .type = SM_T_ENUM, .values = sched_location_kinds,                   \
     .canon = sched_location_kind_canon,                                                           \
     .help = N_("default address when a location is given")},                                      \
    {.name = "capacity", .type = SM_T_INT, .min = SESSION_CAPACITY_NONE,                           \
     .max = SESSION_CAPACITY_MAX,                                                                  \
     .help = N_("places, 0 for no limit (default: the method's own, scheduling/methods; else "     \
                "default_capacity, 12; a survey has no limit)")},                                  \
    {.name = "reimbursement_cents", .type = SM_T_MONEY, .flag = "reimbursement",                   \
     .help = N_("offered per participant who attends (default: the method's own; else "            \
                "default_reimbursement_cents, 1500; a survey offers none)")},                      \
    {.name = "facilitators", .type = SM_T_LIST, .max = SESSION_FACILITATORS_MAX,                   \
     .item_max = SESSION_ITEM_MAX, .flag = "facilitator",                                          \
     .help = N_("who leads it: an ID such as P7 or initials, not a full name (a refusal "          \
                "quotes them)")},                                                                  \
    {.name = "support_tasks", .type = SM_T_LIST, .max = 16, .item = SM_T_ENUM,                     \
     .values = sched_tasks, .canon = sched_task_canon, .flag = "tasks",                            \
     .help = N_("what the coordinator does for it (the Dutch words are accepted too)")},           \
    {.name = "target_groups", .type = SM_T_LIST, .max = SESSION_GROUPS_MAX,                        \
     .item_max = SESSION_ITEM_MAX, .flag = "target-group",                                         \
     .help = N_("whom it looks for (stored trimmed and in lower case)")},                          \
    {.name = "municipalities", .type = SM_T_LIST, .max = SESSION_MUNIS_MAX, .item_max = 100,       \
     .flag = "municipality",                                                                       \
     .help = N_("names or codes known from finance; none: the theme's")},                          \
    {.name = "follow_up_of", .type = SM_T_ID, .letter = 'S',                                       \
     .help = N_("an earlier session this one follows up (vervolgbijeenkomst)")},                   \
    {.name = "register_by", .type = SM_T_STR, .max = 10,                                           \
     .help = N_("the last day to register (aanmelden voor), 2020-03-05: on or before the "         \
                "session's day; the reply-by date of the invitations; later registrations are "    \
                "refused unless after_deadline; \"\" removes it")},                                \
    {.name = "allow_double_booking", .type = SM_T_BOOL,                                            \
     .help = N_("accept a facilitator already booked at an overlapping time")}

/*  The filters of session.list and session.calendar. */
#define S_SESSION_FILTERS                                                                          \
    S_THEME_ID(0, N_("only this theme's sessions")),                                               \
    {.name = "status", .type = SM_T_ENUM, .values = sched_session_statuses,                        \
     .canon = sched_session_status_canon, .help = N_("only sessions with this status")},           \
    {.name = "from", .type = SM_T_STR, .max = 47,                                                  \
     .help = N_("only sessions touching this day or period and later (its first day)")},           \
    {.name = "to", .type = SM_T_STR, .max = 47,                                                    \
     .help = N_("only sessions touching this day or period and earlier (its last day)")}

/*  The formats of the agenda for the portfolio holders. */
static const char *const s_overview_formats[] = {"md", "html", "csv", NULL};

static const sm_arg_t s_session_only[] = {
    S_SESSION_ID(SM_A_REQUIRED | SM_A_POS, N_("the session, S31")), {0}};

static const sm_arg_t s_session_and_participant[] = {
    S_SESSION_ID(SM_A_REQUIRED | SM_A_POS, N_("the session, S31")),
    S_PARTICIPANT_ID(SM_A_REQUIRED | SM_A_POS, N_("the participant, P12")),
    {0}};

/* ==== The ops ============================================================= */

const sm_opdecl_t sm_ops_scheduling[] = {
    /* ---- themes ---- */
    {.name = "theme.add",
     .flags = SM_OP_WRITE | SM_OP_PERSONAL,
     .roles = R_COORD,
     .personal = R_COORD,
     .summary = N_("put a theme on the agenda"),
     .cli = "theme add",
     .args = (const sm_arg_t[]){
         {.name = "title", .type = SM_T_STR, .flags = SM_A_REQUIRED | SM_A_POS, .min = 1,
          .max = THEME_TITLE_MAX, .help = N_("a short title")},
         S_THEME_FIELDS(SM_A_REQUIRED),
         {0}}},
    {.name = "theme.update",
     .flags = SM_OP_WRITE | SM_OP_PERSONAL,
     .roles = R_COORD,
     .personal = R_COORD,
     .summary = N_("change a theme's fields or status"),
     .cli = "theme update",
     .args = (const sm_arg_t[]){
         S_THEME_ID(SM_A_REQUIRED | SM_A_POS, N_("the theme, T4")),
         {.name = "title", .type = SM_T_STR, .min = 1, .max = THEME_TITLE_MAX,
          .help = N_("a short title")},
         S_THEME_FIELDS(0),
         {0}}},
    {.name = "theme.get",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ | SM_ROLE_SVC_INTAKE, /*  intake's mail shows it */
     .personal = R_COORD,
     .summary = N_("one theme"),
     .cli = "theme show",
     .args = (const sm_arg_t[]){S_THEME_ID(SM_A_REQUIRED | SM_A_POS, N_("the theme, T4")), {0}}},
    {.name = "theme.list",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = R_COORD,
     .summary = N_("themes, by year, status or domain"),
     .cli = "theme list",
     .args = (const sm_arg_t[]){
         {.name = "year", .type = SM_T_INT, .min = THEME_YEAR_MIN, .max = THEME_YEAR_MAX,
          .help = N_("only themes on this year's agenda")},
         {.name = "status", .type = SM_T_ENUM, .values = sched_theme_statuses,
          .canon = sched_theme_status_canon, .help = N_("only themes with this status")},
         {.name = "domain", .type = SM_T_ENUM, .values = sched_domains,
          .canon = sched_domain_canon, .help = N_("only themes in this domain")},
         {.name = "youth_relevant", .type = SM_T_BOOL,
          .help = N_("only themes that count (true) or do not count (false) for the youth "
                     "report")},
         SM_ARG_OWNER_FILTER,
         S_LIMIT,
         {.name = "after", .type = SM_T_ID, .letter = 'T',
          .help = N_("the page after this theme (a reply's next)")},
         {0}}},

    /* ---- the agenda ---- */
    {.name = "agenda.show",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = R_COORD,
     .summary = N_("a year's themes with their sessions"),
     .cli = "agenda show",
     .args = (const sm_arg_t[]){
         {.name = "year", .type = SM_T_INT, .flags = SM_A_REQUIRED, .min = THEME_YEAR_MIN,
          .max = THEME_YEAR_MAX, .help = N_("the agenda year")},
         {0}}},
    {.name = "agenda.adopt",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("record the portfolio holders' adoption of a year's agenda (body, date, "
                   "decision)"),
     .cli = "agenda adopt",
     .args = (const sm_arg_t[]){
         {.name = "year", .type = SM_T_INT, .flags = SM_A_REQUIRED, .min = THEME_YEAR_MIN,
          .max = THEME_YEAR_MAX, .help = N_("the agenda year")},
         {.name = "body", .type = SM_T_STR, .flags = SM_A_REQUIRED, .min = 1,
          .max = ADOPTION_TEXT_MAX,
          .help = N_("who adopted it, e.g. Portefeuillehoudersoverleg Sociaal Domein")},
         {.name = "date", .type = SM_T_DATE, .flags = SM_A_REQUIRED,
          .help = N_("the day it was adopted: not after today, in the agenda year or the year "
                     "before")},
         {.name = "decision", .type = SM_T_STR, .flags = SM_A_REQUIRED, .min = 1,
          .max = ADOPTION_TEXT_MAX, .help = N_("the decision's reference, e.g. PHO 2019-10-03/4")},
         {0}}},
    {.name = "agenda.grid",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("the planning grid: themes x months with method codes (text, csv, md, html)"),
     .cli = "agenda grid",
     .args = (const sm_arg_t[]){
         {.name = "from", .type = SM_T_STR, .flags = SM_A_REQUIRED, .max = 31,
          .help = N_("the first month, 2019-10 (a day means its month)")},
         {.name = "to", .type = SM_T_STR, .flags = SM_A_REQUIRED, .max = 31,
          .help = N_("the last month, at most 120 months after from")},
         {.name = "format", .type = SM_T_ENUM, .values = sched_grid_formats,
          .canon = sched_grid_format_canon, .help = N_("the document (default text)")},
         {0}}},
    {.name = "agenda.overview",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = R_COORD,
     .summary = N_("the agenda for the portfolio holders (md, html, csv)"),
     .cli = "agenda overview",
     .args = (const sm_arg_t[]){
         {.name = "from", .type = SM_T_STR, .flags = SM_A_REQUIRED, .max = 31,
          .help = N_("the first month, 2019-10 (a day means its month)")},
         {.name = "to", .type = SM_T_STR, .flags = SM_A_REQUIRED, .max = 31,
          .help = N_("the last month")},
         {.name = "format", .type = SM_T_ENUM, .values = s_overview_formats,
          .help = N_("the document (default md)")},
         {0}}},

    /* ---- sessions ---- */
    {.name = "session.plan",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("plan a session (exact time or a period), or a recurring series"),
     .cli = "session plan",
     .args = (const sm_arg_t[]){
         S_THEME_ID(SM_A_REQUIRED,
                    N_("the theme, T4: one that is not dropped or completed; cannot change")),
         S_SESSION_FIELDS(SM_A_REQUIRED),
         {.name = "times_a_year", .type = SM_T_INT, .min = 1, .max = 12,
          .help = N_("a series meeting 1, 2, 3, 4, 6 or 12 times a year; with count")},
         {.name = "every_months", .type = SM_T_INT, .min = 1, .max = 120,
          .help = N_("a series meeting every so many months; with count")},
         {.name = "every_weeks", .type = SM_T_INT, .min = 1, .max = 520,
          .help = N_("a series meeting every so many weeks (needs an exact time); with count")},
         {.name = "count", .type = SM_T_INT, .min = 1, .max = SERIES_COUNT_MAX,
          .help = N_("how many meetings a series has in all, the first included")},
         {.name = "keep", .type = SM_T_ENUM, .values = sched_series_days,
          .canon = sched_series_day_canon,
          .help = N_("what a rhythm in months keeps: weekday (default; the third Wednesday "
                     "stays the third Wednesday, a fifth one becomes the month's last) or "
                     "date (the same day of the month)")},
         {0}}},
    {.name = "session.update",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("change or reschedule a session"),
     .cli = "session update",
     .args = (const sm_arg_t[]){
         S_SESSION_ID(SM_A_REQUIRED | SM_A_POS, N_("the session, S31")),
         S_SESSION_FIELDS(0),
         {0}}},
    {.name = "session.confirm",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("confirm a session with an exact time"),
     .cli = "session confirm",
     .args = s_session_only},
    {.name = "session.hold",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("record that a session took place"),
     .cli = "session hold",
     .args = s_session_only},
    {.name = "session.cancel",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("call a session off"),
     .cli = "session cancel",
     .args = s_session_only},
    {.name = "session.get",
     .flags = SM_OP_READ,
     .roles = R_READ | SM_ROLE_SVC_INTAKE, /*  intake's mail shows it */
     .summary = N_("one session with its registration counts"),
     .cli = "session show",
     .args = s_session_only},
    {.name = "session.list",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("sessions by theme, status and dates"),
     .cli = "session list",
     .args = (const sm_arg_t[]){
         S_SESSION_FILTERS,
         S_LIMIT,
         {.name = "after", .type = SM_T_ID, .letter = 'S',
          .help = N_("the page after this session (a reply's next)")},
         {0}}},
    {.name = "session.calendar",
     .flags = SM_OP_READ,
     /*  Public content (no participant appears in it): the site's feed. */
     .roles = R_READ | SM_ROLE_SVC_SITE,
     .summary = N_("sessions with an exact time as an iCalendar (RFC 5545) document"),
     .cli = NULL, /*  samenctl session list --format ics */
     .args = (const sm_arg_t[]){S_SESSION_FILTERS, {0}}},

    /* ---- the public view (services/scheduling/public.h): what a website
       may show, whoever asks; samen-site reads these ---- */
    {.name = "theme.public.list",
     .flags = SM_OP_READ,
     .roles = R_READ | SM_ROLE_SVC_SITE,
     .summary = N_("themes as a public website may show them: without the names of people"),
     .cli = NULL,
     .args = (const sm_arg_t[]){
         S_LIMIT,
         {.name = "after", .type = SM_T_ID, .letter = 'T',
          .help = N_("the page after this theme (a reply's next)")},
         {0}}},
    {.name = "session.public.list",
     .flags = SM_OP_READ,
     .roles = R_READ | SM_ROLE_SVC_SITE,
     .summary = N_("sessions as a public website may show them: places left, never who comes "
                   "or leads"),
     .cli = NULL,
     .args = (const sm_arg_t[]){
         S_THEME_ID(0, N_("only this theme's sessions")),
         S_LIMIT,
         {.name = "after", .type = SM_T_ID, .letter = 'S',
          .help = N_("the page after this session (a reply's next)")},
         {0}}},

    /* ---- registrations and invitations ---- */
    {.name = "registration.create",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("register a participant (a place, or the waitlist); not after the session's "
                   "registration deadline unless after_deadline"),
     .cli = "session register",
     .args = (const sm_arg_t[]){
         S_SESSION_ID(SM_A_REQUIRED | SM_A_POS, N_("the session, S31")),
         S_PARTICIPANT_ID(SM_A_REQUIRED | SM_A_POS, N_("the participant, P12")),
         {.name = "after_deadline", .type = SM_T_BOOL,
          .help = N_("register even though the session's registration deadline has passed")},
         {0}}},
    {.name = "registration.cancel",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("cancel a registration; the first on the waitlist moves up"),
     .cli = "session unregister",
     .args = s_session_and_participant},
    {.name = "registration.list",
     .flags = SM_OP_READ,
     /*  intake asks for a session's list to count its practical needs. */
     .roles = R_READ | SM_ROLE_SVC_INTAKE,
     .summary = N_("a session's registrations, or a participant's sessions"),
     .cli = "session registrations",
     .args = (const sm_arg_t[]){
         S_SESSION_ID(SM_A_POS, N_("the session whose list to show; or give participant")),
         S_PARTICIPANT_ID(0, N_("the participant whose sessions to show; or give session")),
         {.name = "all", .type = SM_T_BOOL,
          .help = N_("with a session: include cancelled registrations")},
         {0}}},
    {.name = "invite.list",
     .flags = SM_OP_READ,
     .roles = R_READ | SM_ROLE_SVC_INTAKE, /*  intake's mail shows it */
     .summary = N_("participants to invite: matching, with consent, not yet invited"),
     .cli = "invite list",
     .args = (const sm_arg_t[]){
         S_SESSION_ID(SM_A_REQUIRED | SM_A_POS, N_("the session, S31: planned or confirmed")),
         {.name = "first_timers_first", .type = SM_T_BOOL,
          .help = N_("those who never attended first, then by fewest sessions attended")},
         S_LIMIT,
         {0}}},
    {.name = "invite.mark",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("record that participants were invited"),
     .cli = "invite mark",
     .args = (const sm_arg_t[]){
         S_SESSION_ID(SM_A_REQUIRED | SM_A_POS, N_("the session, S31: planned or confirmed")),
         {.name = "participants", .type = SM_T_LIST, .flags = SM_A_REQUIRED | SM_A_POS,
          .item = SM_T_ID, .letter = 'P', .min = 1, .max = S_IDS_MAX,
          .help = N_("who were invited: known, active, with consent")},
         {0}}},

    /* ---- attendance ---- */
    {.name = "attendance.record",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("record who attended a held session and who did not"),
     .cli = "attendance record",
     .args = (const sm_arg_t[]){
         S_SESSION_ID(SM_A_REQUIRED | SM_A_POS, N_("the session, S31: held")),
         {.name = "attended", .type = SM_T_LIST, .item = SM_T_ID, .letter = 'P',
          .max = S_IDS_MAX, .help = N_("who came")},
         {.name = "no_show", .type = SM_T_LIST, .item = SM_T_ID, .letter = 'P',
          .max = S_IDS_MAX, .help = N_("who were registered and did not come")},
         {.name = "walk_in", .type = SM_T_BOOL,
          .help = N_("the attended may include people who came without registering")},
         {0}}},
    {.name = "attendance.list",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("the attendance of a session"),
     .cli = "attendance list",
     .args = s_session_only},

    /* ---- right of access ---- */
    {.name = "participant.export",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ | SM_ROLE_SVC_INTAKE,
     .personal = R_COORD | SM_ROLE_SVC_INTAKE,
     .summary = N_("everything scheduling holds about one participant (right of access)"),
     .cli = NULL, /*  samenctl participant export asks intake, which asks here */
     .args = (const sm_arg_t[]){
         S_PARTICIPANT_ID(SM_A_REQUIRED | SM_A_POS, N_("the participant, P12")), {0}}},
    {0}};
