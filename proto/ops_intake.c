/*  proto/ops_intake.c - the ops of samen-intake: the address file of
    participants, organisations, signals and advice, the check for
    personal data before a report is published, and e-mail to
    participants. */
#include "proto/ops.h"
#include "common/vocab.h"

/*  Who sees personal fields in intake: the people who run the programme. */
#define P_COORD R_COORD

static const char *const s_status_set[] = {"active", "paused", "withdrawn", NULL};
static const char *const s_status_any[] = {"active", "paused", "withdrawn", "erased", NULL};
static const char *const s_advice_state[] = {"received", "answered", "evaluated", "open", NULL};
/*  The reasons of participant.review (services/intake/consent.h). */
static const char *const s_review_reasons[] = {"consent_old", "guardian_consent_old",
                                               "guardian_consent_missing", "no_contact",
                                               "age_unknown", NULL};
static const char *const s_person_roles[] = {"coordinator", "co_coordinator", "project_leader",
                                             "policy_officer", "other", NULL};

/*  A person named by ID or by name (a name is personal: never logged). */
#define PERSON_REF(NAME, FLAGS, HELP)                                                         \
    {.name = (NAME), .type = SM_T_STR, .flags = (FLAGS) | SM_A_PERSONAL, .min = 1, .max = 200,\
     .help = (HELP)}
static const char *const s_mail_kinds[] = {"invitation",   "confirmation", "waitlisted",
                                           "promoted",     "cancellation", "reminder",
                                           "report",       "newsletter",   NULL};
static const char *const s_mail_states[] = {"queued", "sending",  "sent",      "retrying",
                                            "failed", "gave_up", "cancelled", "skipped",
                                            NULL};

/*  The fields of a participant, as register and update take them. */
#define PARTICIPANT_FIELDS(NAME_FLAGS, NAME_POS)                                              \
    {.name = "name", .type = SM_T_STR, .flags = (NAME_FLAGS) | (NAME_POS) | SM_A_PERSONAL,      \
     .max = 200,                                                                              \
     .help = N_("the person's name")},                                  \
    {.name = "email", .type = SM_T_STR, .flags = SM_A_PERSONAL, .max = 254,                   \
     .help = N_("e-mail address")},                                                           \
    {.name = "phone", .type = SM_T_STR, .flags = SM_A_PERSONAL, .max = 64,                    \
     .help = N_("phone number, Dutch or international")},                                     \
    {.name = "postal_code", .type = SM_T_STR, .flags = SM_A_PERSONAL, .max = 32,              \
     .help = N_("Dutch postal code, 1234 AB")},                                               \
    {.name = "municipality", .type = SM_T_STR, .max = 100,                                    \
     .help = N_("municipality of residence: name or statistics-office code")},                \
    {.name = "birth_year", .type = SM_T_INT, .flags = SM_A_PERSONAL, .min = 0, .max = 9999,   \
     .help = N_("year of birth, 1900 to this year (0 clears)")},                                               \
    {.name = "labels", .type = SM_T_LIST, .max = 16, .item_max = 64, .flag = "label",         \
     .help = N_("resident, client, parent, youth, foster_parent, experience_expert, "          \
                "trained_experience_expert, carer, professional")},                           \
    {.name = "target_groups", .type = SM_T_LIST, .max = 16, .item_max = 64,                   \
     .flag = "target-group",                                                                  \
     .help = N_("target groups, e.g. \"foster parents\"")},                      \
    {.name = "themes", .type = SM_T_LIST, .max = 16, .item_max = 64, .flag = "theme",         \
     .help = N_("themes the person has experience with, as theme IDs (T4)")},                 \
    {.name = "channel", .type = SM_T_STR, .max = 100,                                         \
     .help = N_("the organisation that recruited the person (O3)")},                          \
    {.name = "accessibility", .type = SM_T_LIST, .flags = SM_A_PERSONAL, .max = 16,           \
     .item_max = 64, .flag = "need",                                                          \
     .help = N_("transport, interpreter, easy_language, wheelchair, hearing_loop, "            \
                "sign_language")},                                                            \
    {.name = "consent", .type = SM_T_BOOL, .flags = (NAME_FLAGS),                             \
     .help = N_("consent to take part (required true on registration)")},                     \
    {.name = "consent_for", .type = SM_T_STR, .max = 200,                                     \
     .help = N_("what the consent covers")},                            \
    {.name = "consent_given", .type = SM_T_DATE, .help = N_("the day consent was given")},    \
    {.name = "guardian", .type = SM_T_STR, .flags = SM_A_PERSONAL, .max = 200,                \
     .help = N_("the parent or guardian who consented for a participant under 16 (needed "    \
                "then; \"\" clears)")},                                                       \
    {.name = "guardian_consent_given", .type = SM_T_DATE,                                     \
     .help = N_("the day the parent or guardian consented (default today)")},                 \
    {.name = "status", .type = SM_T_ENUM, .values = s_status_set,                             \
     .canon = sm_canon_participant_status, .help = N_("active, paused or withdrawn")},       \
    {.name = "force", .type = SM_T_BOOL,                                                      \
     .help = N_("register even when another participant has this e-mail or phone")},         \
    {.name = "newsletter", .type = SM_T_BOOL,                                                 \
     .help = N_("consent to receive the newsletter (a consent of its own)")}

#define PARTICIPANT_ID(FLAGS)                                                                 \
    {.name = "participant", .type = SM_T_ID, .flags = SM_A_REQUIRED | (FLAGS), .letter = 'P', \
     .help = N_("the participant")}

#define ORGANISATION_FIELDS(REQ, NAME_POS)                                                    \
    {.name = "name", .type = SM_T_STR, .flags = (REQ) | (NAME_POS), .max = 200,               \
     .help = N_("the organisation's name")},                            \
    {.name = "kind", .type = SM_T_STR, .flags = (REQ), .max = 64,                             \
     .help = N_("client_organisation, advisory_council, care_provider, school, association, " \
                "municipality or other")},                                                    \
    {.name = "contact", .type = SM_T_STR, .flags = SM_A_PERSONAL, .max = 200,                 \
     .help = N_("the contact person's name")},                                                \
    {.name = "contact_email", .type = SM_T_STR, .flags = SM_A_PERSONAL, .max = 254,           \
     .help = N_("the contact person's e-mail address")},                                      \
    {.name = "contact_phone", .type = SM_T_STR, .flags = SM_A_PERSONAL, .max = 64,            \
     .help = N_("the contact person's phone number")},                                        \
    {.name = "municipality", .type = SM_T_STR, .max = 100,                                    \
     .help = N_("municipality: name or statistics-office code")}

#define PAGE(LETTER, MAX)                                                                     \
    {.name = "after", .type = SM_T_ID, .letter = (LETTER),                                    \
     .help = N_("the page after this ID (the reply's next)")},                                \
    {.name = "limit", .type = SM_T_INT, .min = 1, .max = (MAX),                               \
     .help = N_("how many at most")}


/*  What mail.preview and mail.send take. */
#define MAIL_PLAN_ARGS                                                                        \
    {.name = "kind", .type = SM_T_ENUM, .flags = SM_A_REQUIRED | SM_A_POS,                    \
     .values = s_mail_kinds,                                                                  \
     .help = N_("invitation, confirmation, waitlisted, promoted, cancellation, reminder, "     \
                "report or newsletter")},                                                     \
    {.name = "session", .type = SM_T_ID, .letter = 'S',                                       \
     .help = N_("the session the mail is about (every kind but report and newsletter)")},     \
    {.name = "report", .type = SM_T_ID, .letter = 'R', .help = N_("the report (kind report)")}, \
    {.name = "version", .type = SM_T_INT, .min = 1, .max = 1000000,                           \
     .help = N_("the report's version (default the newest published one)")},                  \
    {.name = "participants", .type = SM_T_LIST, .item = SM_T_ID, .letter = 'P', .min = 1,     \
     .max = 1000, .flag = "to",                                                               \
     .help = N_("to these participants (default: everyone the kind is for: registered, "       \
                "waitlisted, attended, or with the newsletter's consent)")},                   \
    {.name = "invite_list", .type = SM_T_BOOL,                                                \
     .help = N_("an invitation to scheduling's invite list for the session")},                \
    {.name = "first_timers_first", .type = SM_T_BOOL,                                         \
     .help = N_("with invite_list: those who never attended first")},                         \
    {.name = "limit", .type = SM_T_INT, .min = 1, .max = 1000,                                \
     .help = N_("with invite_list: at most this many")},                                      \
    {.name = "reply_by", .type = SM_T_DATE,                                                   \
     .help = N_("an invitation's answer-before day (default the session's registration "       \
                "deadline)")},                                                                \
    {.name = "subject", .type = SM_T_STR, .max = 200, .help = N_("the newsletter's subject")}, \
    {.name = "text", .type = SM_T_TEXT, .max = 20000, .help = N_("the newsletter's text")},   \
    {.name = "again", .type = SM_T_BOOL,                                                      \
     .help = N_("also to those who already got this invitation, reminder or report")}

#define MAIL_ID                                                                               \
    {.name = "mail", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'M',       \
     .help = N_("the mail, M12")}

const sm_opdecl_t sm_ops_intake[] = {
    /* ---- participants (the address file) ---- */
    {.name = "participant.register",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("add a person to the address file (consent required; duplicates refused "
                   "unless forced)"),
     .cli = "participant add",
     .args = (const sm_arg_t[]){PARTICIPANT_FIELDS(SM_A_REQUIRED, SM_A_POS), {0}}},
    {.name = "participant.update",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("change some of a person's fields"),
     .cli = "participant update",
     .args = (const sm_arg_t[]){PARTICIPANT_ID(SM_A_POS), PARTICIPANT_FIELDS(0, 0),
                                {.name = "contacted", .type = SM_T_DATE,
                                 .help = N_("the day you were in touch with the person "
                                            "(default today: every update counts as "
                                            "contact)")},
                                {0}}},
    {.name = "participant.get",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = P_COORD,
     .summary = N_("one person's record; personal fields for the coordinator and admin"),
     .cli = "participant show",
     .args = (const sm_arg_t[]){PARTICIPANT_ID(SM_A_POS), {0}}},
    {.name = "participant.find",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = P_COORD,
     .summary = N_("find by target group, label, municipality, theme, consent, channel, part "
                   "of the name"),
     .cli = "participant find",
     .args = (const sm_arg_t[]){
         {.name = "target_group", .type = SM_T_STR, .max = 200, .help = N_("a target group")},
         {.name = "label", .type = SM_T_STR, .max = 64, .help = N_("a label, e.g. parent")},
         {.name = "municipality", .type = SM_T_STR, .max = 100,
          .help = N_("municipality: name or code")},
         {.name = "theme", .type = SM_T_ID, .letter = 'T',
          .help = N_("has experience with this theme")},
         {.name = "consent", .type = SM_T_BOOL, .help = N_("consent given (true) or not")},
         {.name = "channel", .type = SM_T_STR, .max = 100,
          .help = N_("recruited through this organisation (O3)")},
         {.name = "name", .type = SM_T_STR, .flags = SM_A_PERSONAL, .max = 200,
          .help = N_("part of the name: each word starts a word of the name")},
         {.name = "status", .type = SM_T_ENUM, .values = s_status_any,
          .help = N_("active, paused, withdrawn or erased (default: all but erased)")},
         {.name = "email", .type = SM_T_STR, .flags = SM_A_PERSONAL, .max = 320,
          .help = N_("exactly this e-mail address")},
         {.name = "phone", .type = SM_T_STR, .flags = SM_A_PERSONAL, .max = 64,
          .help = N_("exactly this phone number")},
         PAGE('P', 500),
         {0}}},
    {.name = "participant.withdraw",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("consent withdrawn: no more invitations"),
     .cli = "participant withdraw",
     .args = (const sm_arg_t[]){PARTICIPANT_ID(SM_A_POS),
                                {.name = "date", .type = SM_T_DATE,
                                 .help = N_("the day consent was withdrawn (default today)")},
                                {0}}},
    {.name = "participant.erase",
     .flags = SM_OP_WRITE,
     .roles = R_ADMIN,
     .summary = N_("right to be forgotten: destroy the personal fields everywhere"),
     .cli = "participant erase",
     .args = (const sm_arg_t[]){PARTICIPANT_ID(SM_A_POS), {0}}},
    {.name = "participant.export",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_COORD,
     .personal = P_COORD,
     .summary = N_("right of access: everything samen holds about a person, and who accessed "
                   "it"),
     .cli = "participant export",
     .args = (const sm_arg_t[]){PARTICIPANT_ID(SM_A_POS), {0}}},
    {.name = "participant.review",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = P_COORD,
     .summary = N_("keep the address file current: consents older than the review period, "
                   "young people without a guardian's consent, no contact for as long"),
     .cli = "participant review",
     .args = (const sm_arg_t[]){
         {.name = "as_of", .type = SM_T_DATE, .help = N_("the day of the review (default today)")},
         {.name = "period", .type = SM_T_STR, .max = 8,
          .help = N_("older than this: 2y, 18m, 104w (default the setting "
                     "intake/review_period, 2y)")},
         {.name = "reason", .type = SM_T_ENUM, .values = s_review_reasons,
          .help = N_("only this reason")},
         PAGE('P', 500),
         {0}}},
    {.name = "participant.needs",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = P_COORD,
     .summary = N_("what the people registered for a session need (transport, interpreter, "
                   "...): counts for all, who needs what for the coordinator"),
     .cli = "participant needs",
     .args = (const sm_arg_t[]){{.name = "session", .type = SM_T_ID,
                                 .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'S',
                                 .help = N_("the session, S31")},
                                {0}}},
    {.name = "pii.scan",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_COORD | SM_ROLE_SVC_REPORTING,
     .personal = P_COORD | SM_ROLE_SVC_REPORTING,
     .summary = N_("personal data in a Dutch text: names, e-mail, phone, BSN, IBAN, postal "
                   "codes, dates of birth"),
     .args = (const sm_arg_t[]){{.name = "text", .type = SM_T_TEXT,
                                 .flags = SM_A_REQUIRED | SM_A_EMPTY_OK, .max = 1048576,
                                 .help = N_("the text to scan (a report)")},
                                {0}}},

    /* ---- organisations ---- */
    {.name = "organisation.add",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("add an organisation (recruitment channel, advisory council, ...)"),
     .cli = "organisation add",
     .args = (const sm_arg_t[]){ORGANISATION_FIELDS(SM_A_REQUIRED, SM_A_POS), {0}}},
    {.name = "organisation.update",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("change an organisation"),
     .cli = "organisation update",
     .args = (const sm_arg_t[]){{.name = "organisation", .type = SM_T_ID,
                                 .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'O',
                                 .help = N_("the organisation")},
                                ORGANISATION_FIELDS(0, 0),
                                {0}}},
    {.name = "organisation.get",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = P_COORD,
     .summary = N_("one organisation with the number of participants it recruited"),
     .cli = "organisation show",
     .args = (const sm_arg_t[]){{.name = "organisation", .type = SM_T_ID,
                                 .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'O',
                                 .help = N_("the organisation")},
                                {0}}},
    {.name = "organisation.list",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = P_COORD,
     .summary = N_("organisations by kind, municipality"),
     .cli = "organisation list",
     .args = (const sm_arg_t[]){{.name = "kind", .type = SM_T_STR, .max = 64,
                                 .help = N_("only this kind")},
                                {.name = "municipality", .type = SM_T_STR, .max = 100,
                                 .help = N_("only this municipality")},
                                PAGE('O', 500),
                                {0}}},

    /* ---- signals and advice ---- */
    {.name = "advice.add",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("a signal or (un)solicited advice came in"),
     .cli = "advice add",
     .args = (const sm_arg_t[]){
         {.name = "kind", .type = SM_T_STR, .flags = SM_A_REQUIRED, .max = 64,
          .help = N_("signal, solicited_advice or unsolicited_advice")},
         {.name = "summary", .type = SM_T_TEXT, .flags = SM_A_REQUIRED | SM_A_PERSONAL,
          .max = 4000, .help = N_("what it says")},
         {.name = "from", .type = SM_T_STR, .max = 40,
          .help = N_("who sent it: a participant (P12) or an organisation (O3)")},
         {.name = "theme", .type = SM_T_STR, .max = 40, .help = N_("the theme it is about (T4)")},
         {.name = "received", .type = SM_T_DATE, .help = N_("the day it came in (default today)")},
         {.name = "answer_period", .type = SM_T_STR, .max = 16,
          .help = N_("time to answer: 42d, 6w or 2m")},
         {.name = "evaluation_period", .type = SM_T_STR, .max = 16,
          .help = N_("time from the answer to the evaluation: 42d, 6w or 6m")},
         SM_ARGS_OWNERS,
         {0}}},
    {.name = "advice.answer",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("record the answer: adopted, partly adopted or not adopted, with the reason"),
     .cli = "advice answer",
     .args = (const sm_arg_t[]){
         {.name = "advice", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'A',
          .help = N_("the signal or advice")},
         {.name = "outcome", .type = SM_T_STR, .flags = SM_A_REQUIRED, .max = 64,
          .help = N_("adopted, partly_adopted or not_adopted")},
         {.name = "text", .type = SM_T_TEXT, .flags = SM_A_REQUIRED, .max = 4000,
          .help = N_("the answer")},
         {.name = "reason", .type = SM_T_TEXT, .max = 1000,
          .help = N_("why, when not adopted")},
         {.name = "answered", .type = SM_T_DATE, .flag = "date",
          .help = N_("the day it was answered (default today)")},
         {0}}},
    {.name = "advice.evaluate",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("record the evaluation of an answer"),
     .cli = "advice evaluate",
     .args = (const sm_arg_t[]){
         {.name = "advice", .type = SM_T_ID, .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'A',
          .help = N_("the signal or advice")},
         {.name = "text", .type = SM_T_TEXT, .flags = SM_A_REQUIRED, .max = 4000,
          .help = N_("the evaluation")},
         {.name = "evaluated", .type = SM_T_DATE, .flag = "date",
          .help = N_("the day it was evaluated (default today)")},
         {0}}},
    {.name = "advice.get",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = P_COORD,
     .summary = N_("one signal or advice with its deadlines"),
     .cli = "advice show",
     .args = (const sm_arg_t[]){{.name = "advice", .type = SM_T_ID,
                                 .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'A',
                                 .help = N_("the signal or advice")},
                                {0}}},
    {.name = "advice.list",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = P_COORD,
     .summary = N_("signals and advice by state, kind, theme, sender"),
     .cli = "advice list",
     .args = (const sm_arg_t[]){
         {.name = "state", .type = SM_T_ENUM, .values = s_advice_state,
          .help = N_("received, answered, evaluated or open (not evaluated)")},
         {.name = "kind", .type = SM_T_STR, .max = 64, .help = N_("only this kind")},
         {.name = "theme", .type = SM_T_STR, .max = 40, .help = N_("only this theme (T4)")},
         {.name = "from", .type = SM_T_STR, .max = 40, .help = N_("only from this sender")},
         SM_ARG_OWNER_FILTER,
         PAGE('A', 500),
         {0}}},
    {.name = "advice.overdue",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("answers and evaluations that are late, most days late first"),
     .cli = "advice overdue"},
    {.name = "advice.assign",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("give a signal or advice an owner and a deputy"),
     .cli = "advice assign",
     .args = (const sm_arg_t[]){{.name = "advice", .type = SM_T_ID,
                                 .flags = SM_A_REQUIRED | SM_A_POS, .letter = 'A',
                                 .help = N_("the signal or advice")},
                                SM_ARGS_OWNERS,
                                {0}}},

    /* ---- the programme's own people (owners and deputies) ---- */
    {.name = "person.add",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("add one of the programme's own people (project leader, coordinator, policy "
                   "officer), who can own items"),
     .cli = "person add",
     .args = (const sm_arg_t[]){
         {.name = "name", .type = SM_T_STR, .flags = SM_A_REQUIRED | SM_A_POS | SM_A_PERSONAL,
          .min = 1, .max = 200, .help = N_("the person's name")},
         {.name = "role", .type = SM_T_ENUM, .flags = SM_A_REQUIRED, .values = s_person_roles,
          .canon = sm_canon_person_role,
          .help = N_("coordinator, co_coordinator, project_leader, policy_officer or other")},
         {.name = "email", .type = SM_T_STR, .flags = SM_A_PERSONAL, .max = 254,
          .help = N_("e-mail address")},
         {.name = "force", .type = SM_T_BOOL,
          .help = N_("add even when someone already has this name")},
         {0}}},
    {.name = "person.update",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("change a person's name, role or e-mail address"),
     .cli = "person update",
     .args = (const sm_arg_t[]){
         PERSON_REF("person", SM_A_REQUIRED | SM_A_POS, N_("the person: W3, or their name")),
         {.name = "name", .type = SM_T_STR, .flags = SM_A_PERSONAL, .min = 1, .max = 200,
          .help = N_("the person's name")},
         {.name = "role", .type = SM_T_ENUM, .values = s_person_roles, .canon = sm_canon_person_role,
          .help = N_("coordinator, co_coordinator, project_leader, policy_officer or other")},
         {.name = "email", .type = SM_T_STR, .flags = SM_A_PERSONAL, .max = 254,
          .help = N_("e-mail address (\"\" clears)")},
         {.name = "force", .type = SM_T_BOOL,
          .help = N_("rename even when someone already has the new name")},
         {0}}},
    {.name = "person.get",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = P_COORD,
     .summary = N_("one person; the name and e-mail address for the coordinator and admin"),
     .cli = "person show",
     .args = (const sm_arg_t[]){
         PERSON_REF("person", SM_A_REQUIRED | SM_A_POS, N_("the person: W3, or their name")),
         {0}}},
    {.name = "person.list",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_READ,
     .personal = P_COORD,
     .summary = N_("the programme's own people, by role and whether they are active"),
     .cli = "person list",
     .args = (const sm_arg_t[]){
         {.name = "role", .type = SM_T_ENUM, .values = s_person_roles, .canon = sm_canon_person_role,
          .help = N_("only this role")},
         {.name = "active", .type = SM_T_BOOL,
          .help = N_("only those active (true) or who left (false)")},
         PAGE('W', 500),
         {0}}},
    {.name = "person.leave",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("a person leaves: everything open they own goes to its deputy or to the "
                   "successor named, in every service"),
     .cli = "person leave",
     .args = (const sm_arg_t[]){
         PERSON_REF("person", SM_A_REQUIRED | SM_A_POS, N_("the person leaving: W3, or their "
                                                           "name")),
         PERSON_REF("handover_to", 0, N_("who takes over everything: W5, or their name "
                                         "(default: each item's deputy)")),
         {.name = "date", .type = SM_T_DATE,
          .help = N_("the day they left (default today)")},
         {0}}},
    {.name = "person.handover",
     .flags = SM_OP_READ,
     .roles = R_READ,
     .summary = N_("what was handed over when a person left, and what has no owner now"),
     .cli = "person handover",
     .args = (const sm_arg_t[]){
         PERSON_REF("person", SM_A_REQUIRED | SM_A_POS, N_("the person who left: W3, or their "
                                                           "name")),
         {0}}},
    /* ---- e-mail (services/intake/mail.h) ---- */
    {.name = "mail.preview",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_COORD,
     .personal = P_COORD,
     .summary = N_("what a mail.send would send to whom: addresses, subjects, whole messages"),
     .cli = "mail preview",
     .args = (const sm_arg_t[]){MAIL_PLAN_ARGS,
                                {.name = "show", .type = SM_T_INT, .min = 1, .max = 20,
                                 .help = N_("how many whole messages to show (default 1)")},
                                {0}}},
    {.name = "mail.send",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("queue a mail of a kind to participants: one message each"),
     .cli = "mail send",
     .args = (const sm_arg_t[]){MAIL_PLAN_ARGS, {0}}},
    {.name = "mail.list",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_COORD | SM_ROLE_AUDITOR,
     .personal = P_COORD,
     .summary = N_("mails by state, kind, participant, session or report; addresses for the "
                   "coordinator and admin"),
     .cli = "mail list",
     .args = (const sm_arg_t[]){
         {.name = "state", .type = SM_T_ENUM, .values = s_mail_states,
          .help = N_("queued, sending, sent, retrying, failed, gave_up, cancelled or skipped")},
         {.name = "kind", .type = SM_T_ENUM, .values = s_mail_kinds, .help = N_("only this kind")},
         {.name = "participant", .type = SM_T_ID, .letter = 'P',
          .help = N_("only mails to this participant")},
         {.name = "session", .type = SM_T_ID, .letter = 'S',
          .help = N_("only mails about this session")},
         {.name = "report", .type = SM_T_ID, .letter = 'R',
          .help = N_("only mails of this report")},
         {.name = "after", .type = SM_T_ID, .letter = 'M',
          .help = N_("the page after this mail (the reply's next)")},
         {.name = "limit", .type = SM_T_INT, .min = 1, .max = 1000,
          .help = N_("how many at most (default 100)")},
         {0}}},
    {.name = "mail.get",
     .flags = SM_OP_READ | SM_OP_PERSONAL,
     .roles = R_COORD | SM_ROLE_AUDITOR,
     .personal = P_COORD,
     .summary = N_("one mail: its state, attempts, the relay's answer and the message"),
     .cli = "mail show",
     .args = (const sm_arg_t[]){MAIL_ID, {0}}},
    {.name = "mail.retry",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("try a failed, given-up, retrying or cancelled mail again now (the same "
                   "message)"),
     .cli = "mail retry",
     .args = (const sm_arg_t[]){MAIL_ID, {0}}},
    {.name = "mail.cancel",
     .flags = SM_OP_WRITE,
     .roles = R_COORD,
     .summary = N_("cancel a mail that was not sent yet"),
     .cli = "mail cancel",
     .args = (const sm_arg_t[]){MAIL_ID, {0}}},
    {.name = "newsletter.unsubscribe",
     .flags = SM_OP_WRITE,
     .roles = R_COORD | SM_ROLE_SVC_INTAKE,
     .summary = N_("withdraw the newsletter's consent by the token of an unsubscribe link"),
     .args = (const sm_arg_t[]){{.name = "token", .type = SM_T_STR,
                                 .flags = SM_A_REQUIRED | SM_A_PERSONAL, .min = 1, .max = 64,
                                 .help = N_("the t= of the link in the newsletter")},
                                {0}}},
    {0}};
