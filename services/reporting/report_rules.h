/*  services/reporting/report_rules.h - the life of a session report (verslag).

    Every session gets a report: anonymised, published on the region's
    website and sent to the participants. This module holds the rules; the
    service layer looks reports up, calls a rule, stores the result.

    States and transitions (one report version):

        draft ──approve──> approved ──publish──> published ──mark sent──> sent
          ^  \__revise__/     |
          └────revise─────────┘

    - A draft is written and revised in Markdown. Revising an approved
      version returns it to draft: the approval was of other text, so it
      must be given again (approved_on is cleared).
    - Approving needs text; publishing needs approval and that every
      possible personal-data match in the text has been explicitly allowed.
    - A published (or sent) version is immutable. A mistake is fixed by a
      correction: a new version (version + 1) of the same report ID, which
      starts as a draft, carries a required note saying what changed, and
      points back to the version it corrects (previous_version). The old
      version stays as published; the new one goes through approve and
      publish like any draft.
    - "Mark sent" records the day the report went to the participants; it
      must be published first, and sent on a day not in the future and not
      before it was published.
    - Every step is dated: approving and publishing on a given day (today
      by default; an earlier day when the step is recorded afterwards, e.g.
      when a past year is loaded), which is never in the future, never
      before the session was held (when that is known) and keeps the order
      approved <= published <= sent.

    Refusals: not_found for an unknown report (the caller passes NULL),
    invalid_argument for bad input (field named), failed_precondition when
    the state does not allow the step; the message says what to do instead,
    e.g. "report R9 is already published (version 2) on 2020-03-20; a
    correction is a new version: revise it with a note saying what changes". Messages never quote
   the report's text (it may hold personal data and errors get logged).

    The report due list ("report due") is here too: which held sessions
    have no published report yet, and whose report was not sent within the
    allowed days (28 by default).
*/
#ifndef SAMEN_REPORTING_REPORT_RULES_H
#define SAMEN_REPORTING_REPORT_RULES_H

#include "common/date.h"
#include "common/err.h"
#include <stdbool.h>
#include <stddef.h>

/*  Longest report text accepted, in bytes. */
#define REPORT_TEXT_MAX (256 * 1024)
/*  Longest correction note accepted, in bytes. */
#define REPORT_NOTE_MAX 2000
/*  Days after the session within which the report should be sent. */
#define REPORT_DUE_DAYS_DEFAULT 28
/*  Largest allowed-days value accepted by report_due. */
#define REPORT_DUE_DAYS_MAX 366

typedef enum { REPORT_DRAFT = 0, REPORT_APPROVED, REPORT_PUBLISHED, REPORT_SENT } report_state_t;

/*  One version of a report. Strings are borrowed: the struct is a view the
    caller fills from its store and keeps the strings alive while using it;
    rules that take new text store the caller's pointer in it. Dates are
    meaningful only once the state has been reached (approved_on from
    APPROVED on, published_on from PUBLISHED on, sent_on at SENT). */
typedef struct {
    const char *session_id; //  "S31"
    int version;            //  1, 2, ...
    int previous_version;   //  the version this one corrects; 0 for version 1
    report_state_t state;
    const char *text; //  the report, Markdown
    const char *note; //  what a correction changes; NULL for version 1
    sm_date_t approved_on, published_on, sent_on;
    //  The day the session was held, when the caller knows it (not stored
    //  with the report): approving and publishing are not dated before it.
    bool has_held_on;
    sm_date_t held_on;
} report_t;

/*  Returns "draft", "approved", "published" or "sent" (static), or "?" for
    a value outside the enum. */
const char *report_state_name(report_state_t state);

/*  Parse a state name as above into *out. Returns 0, or -1 with err
    (invalid_argument, field) listing the names accepted. */
int report_state_parse(const char *text, report_state_t *out, const char *field, sm_err_t *err);

/*  Check report text: present, not only white space, valid UTF-8 without
    NUL, at most REPORT_TEXT_MAX bytes. Returns 0, or -1 with err
    (invalid_argument, field). */
int report_check_text(const char *text, const char *field, sm_err_t *err);

/*  Start version 1 of the report on session_id as a draft with text.
    Returns 0 with *out filled, or -1 with err (field "session" or "text")
    and *out untouched. */
int report_draft(report_t *out, const char *session_id, const char *text, sm_err_t *err);

/*  Replace the text of the current version. Allowed in draft; an approved
    version returns to draft. r is the stored current version of report id,
    or NULL when there is none. Returns 0 with r->text = text, or -1 with
    err and r unchanged: not_found, invalid_argument ("text"), or
    failed_precondition for a published or sent version. */
int report_revise(report_t *r, const char *id, const char *text, sm_err_t *err);

/*  Approve a draft on day on (today is the service's today). Returns 0
    (state APPROVED, approved_on = on), or -1 with err and r unchanged:
    not_found; failed_precondition when the text is empty or the version is
    not a draft; invalid_argument (field "date") when on is after today or
    before the session was held (r->has_held_on). */
int report_approve(report_t *r, const char *id, sm_date_t on, sm_date_t today, sm_err_t *err);

/*  A possible piece of personal data found in a report's text: its kind
    ("name", "email", "phone", "postcode", ...), the text matched and where
    it starts (bytes from the start of the report's text). Found elsewhere
    (the intake service knows the names); this module only decides whether
    each was allowed. */
typedef struct {
    const char *kind;
    const char *text;
    size_t offset;
    size_t length; /*  bytes; 0 when not known (the excerpt then shows nothing) */
} report_pii_match_t;

/*  Bytes of text shown on either side of a match in an excerpt. */
#define REPORT_EXCERPT_AROUND 32
/*  An excerpt always fits in this many bytes. */
#define REPORT_EXCERPT_SIZE (4 * REPORT_EXCERPT_AROUND + 96)

/*  The line (1, 2, ...) of text on which byte offset falls; the last line
    when offset lies beyond the text. Can't fail. */
size_t report_pii_line(const char *text, size_t offset);

/*  A short excerpt of text around match which, for the person who must
    find it, that shows no personal data: whole words up to
    REPORT_EXCERPT_AROUND bytes either side, white space as single spaces,
    "…" where it was cut; the match itself as its first character and a
    "*" for every other character but spaces, and every other match in the
    window all "*". E.g. "…de avond. M******* vertelde dat de taxi…".
    Writes at most size bytes including the NUL (REPORT_EXCERPT_SIZE is
    always enough); "" when the match does not lie in text. Can't fail. */
void report_pii_excerpt(const char *text, const report_pii_match_t *matches, size_t n,
                        size_t which, char *out, size_t size);

/*  The form in which allow-list texts are compared and stored: ASCII
    letters in lower case, every run of white space (line breaks and
    no-break spaces too) one space, none at the ends; "Mevrouw\n Bakker"
    is "mevrouw bakker". Writes at most size bytes (NUL included) and
    returns the length. Can't fail. */
size_t report_allow_key(const char *text, char *out, size_t size);

/*  Which matches are not allowed. A match is allowed when its text equals
    one of the allowed strings, ignoring ASCII case and how white space is
    written (see report_allow_key; kinds are not compared: allowing
    "Huizen" allows it whatever it was taken for).
    Writes into out (room for n_matches entries) the indices of the matches
    not allowed, in input order, each (kind, text) pair once (text compared
    ignoring ASCII case; the first occurrence is reported). NULL texts are
    never allowed. O((n + m) log(n + m)).
    Returns the number written, or -1 when out of memory (nothing useful
    in out then). */
int report_pii_not_allowed(const report_pii_match_t *matches, size_t n_matches,
                           const char *const *allowed, size_t n_allowed, size_t *out);

/*  Publish an approved version on day on (today is the service's today),
    provided every match in matches is allowed (see report_pii_not_allowed).
    Returns 0 (state PUBLISHED, published_on = on), or -1 with err and r
    unchanged: not_found; invalid_argument (field "date") when on is after
    today, before the session was held (r->has_held_on) or before the
    version was approved; failed_precondition when it is already published
    or sent (the message names version and date and says to revise it with
    a note, which makes a correction),
    is not approved, or has matches not allowed (field "allow"; the message
    gives their number and lists each by kind and line, "name at line 3",
    as many as fit, never their text: the coordinator finds them in the
    text, and `report.check` lists them with their text for the person
    who asked, not for any log); resource_exhausted when out of memory. */
int report_publish(report_t *r, const char *id, sm_date_t on, sm_date_t today,
                   const report_pii_match_t *matches, size_t n_matches, const char *const *allowed,
                   size_t n_allowed, sm_err_t *err);

/*  Record that a published version was sent to the participants on day
    sent_on. Returns 0 (state SENT, sent_on set), or -1 with err and r
    unchanged: not_found; failed_precondition when not published or already
    sent; invalid_argument (field "date") when sent_on is after today or
    before the day it was published. */
int report_mark_sent(report_t *r, const char *id, sm_date_t sent_on, sm_date_t today,
                     sm_err_t *err);

/*  Start a correction of a published or sent version: *out becomes version
    current->version + 1, a draft with text and note, previous_version =
    current->version, same session. current must be the newest version of
    the report (the caller's store knows that) and is not changed: it is
    immutable. Returns 0, or -1 with err and *out untouched: not_found
    (current NULL); failed_precondition when current is not published yet
    (revise it instead); invalid_argument for text ("text") or a missing,
    blank or too long note ("note"). */
int report_correct(const report_t *current, const char *id, const char *text, const char *note,
                   report_t *out, sm_err_t *err);

/* ==== Report due ======================================================== */

/*  A held session as report_due sees it. sent_on is meaningful only when
    sent is true. */
typedef struct {
    const char *session_id;
    const char *theme_id;
    sm_date_t held_on;
    bool published; //  has a published (or sent) report
    bool sent;      //  the report was sent to the participants
    sm_date_t sent_on;
} report_held_t;

/*  One line of the due list. days is the days since the session for an
    unpublished one, and the days late for a late one. Strings point into
    the input. */
typedef struct {
    const char *session_id;
    const char *theme_id;
    sm_date_t held_on;
    int64_t days;
    bool sent; //  late list only: sent, but late; sent_on set
    sm_date_t sent_on;
} report_due_item_t;

typedef struct {
    report_due_item_t *unpublished; //  held, no published report
    size_t n_unpublished;
    report_due_item_t *late; //  not sent within the allowed days
    size_t n_late;
} report_due_t;

/*  The due list for day today, allowing allowed_days (1..REPORT_DUE_DAYS_MAX;
    REPORT_DUE_DAYS_DEFAULT is 28) from session to sending.

    - unpublished: every held session without a published report, days =
      today - held_on.
    - late: every held session whose report was not sent within the
      allowed days: the deadline is held_on + allowed_days, so a report sent
      on day 28 after a session is on time and one sent on day 29 is late.
      Unsent and today is past the deadline: days = today - deadline. Sent
      after the deadline: days = sent_on - deadline, sent = true. A session
      without a published report can be on both lists.
    Sessions held after today are skipped (not held yet). Both lists are
    ordered by held_on, then session ID in natural order (S9 before S31).

    Returns 0 with *out filled (free with report_due_free), or -1 with err
    and *out empty: invalid_argument (field "days") for allowed_days out of
    range, resource_exhausted when out of memory. */
int report_due(const report_held_t *sessions, size_t n, sm_date_t today, int allowed_days,
               report_due_t *out, sm_err_t *err);

/*  Free the lists of a due result and empty it. Safe on an empty or NULL
    result and twice. */
void report_due_free(report_due_t *due);

#endif
