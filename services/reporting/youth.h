/*  services/reporting/youth.h - the statutory youth report (CEO Jeugd).

    Municipalities must report each year how youth and parents experience
    youth care (clientervaringsonderzoek). The region compiles it from its
    sessions with youth and parents on the themes of its Youth
    Transformation Plan. The report on year Y is due at the Ministry of
    Health, Welfare and Sport (VWS) on 1 July of Y + 1.

    Status:  draft ──adopt──> adopted ──submit──> submitted
               ^                 |
               └────revise───────┘

    Findings change only in draft; revising an adopted report returns it to
    draft (the adoption was of other findings). Adopting needs at least one
    finding. A submitted report is final. Submitting after the due date is
    allowed (late is better than never) and shows as late. Adopting and
    submitting are dated (today by default, or the day it happened when
    recorded afterwards): never in the future, and submitted no earlier
    than adopted.

    The numbers come from a reach tally of year Y with youth_only set
    (sessions flagged youth-relevant: with youth or parents, on a
    youth-relevant theme): sessions, distinct participants, attendances,
    methods and themes. No participant is ever named.

    The Markdown, exactly (a theme not given in themes shows its ID alone; a
    line shown here ending in "⏎" continues on the next, after one space, as
    one line in the output):

        # Youth client experience report 2019

        **Status:** draft. Due at the Ministry of Health, Welfare and Sport (VWS) on ⏎
        2020-07-01.

        ## How the experiences were gathered

        In 2019 the region held 5 sessions with youth and parents on youth-relevant themes, ⏎
        with 23 different participants (31 attendances).

        **Methods:** focus group (FG, 3 sessions), interviews (I, 2 sessions).

        **Themes:**

        - T4 Complex divorces: 3 sessions, 12 participants
        - T7 Cultural diversity: 2 sessions, 11 participants

        ## Findings and what was done

        - **T4 Complex divorces:** Parents want one contact person.
          - **What was done:** A case manager per family since 2020.

    The status line reads "draft.", "adopted on 2020-05-12." or
    "submitted on 2020-06-20." (then " Due ..."); when submitted after the
    due date, "submitted on 2020-07-10, 9 days after the due date." and
    the due sentence; when not submitted and today is past the due date
    (see youth_render_markdown), "draft. Due ... on 2020-07-01: 3 days
    overdue.". One session reads "1 session"; one participant "1 participant".
    With no sessions the gathering paragraph is "In 2019 the region held no
    sessions with youth and parents on youth-relevant themes." and the
    methods and themes blocks are left out. Without findings the findings
    section holds "No findings recorded yet.". A finding without a theme
    is labelled "General"; an empty "what was done" reads "nothing yet".

    The HTML is the Markdown through markdown_to_html_document, titled
    "Youth client experience report 2019".
*/
#ifndef SAMEN_REPORTING_YOUTH_H
#define SAMEN_REPORTING_YOUTH_H

#include "common/date.h"
#include "common/err.h"
#include "reach.h"
#include <stdbool.h>
#include <stddef.h>

/*  Longest finding or "what was done" accepted, in bytes. */
#define YOUTH_TEXT_MAX 4000

typedef enum { YOUTH_DRAFT = 0, YOUTH_ADOPTED, YOUTH_SUBMITTED } youth_status_t;

/*  What youth and parents said on a theme, and what was done with it.
    Strings are borrowed. */
typedef struct {
    const char *theme_id; //  NULL: about youth care in general
    const char *finding;
    const char *done; //  NULL or empty: nothing yet
} youth_finding_t;

/*  A theme's ID and title, for labelling. Strings are borrowed. */
typedef struct {
    const char *id;
    const char *title;
} youth_theme_t;

/*  The report on one year. Dates are meaningful once the status has been
    reached. Findings are borrowed. */
typedef struct {
    int year;
    youth_status_t status;
    sm_date_t adopted_on, submitted_on;
    const youth_finding_t *findings;
    size_t n_findings;
} youth_report_t;

/*  True when a target group or label names youth or parents, the people
    the youth report is about: it holds one of the words youth, young,
    jongeren, jongere, jeugd, children, kinderen, pupils, students,
    scholieren, parent, parents, ouder, ouders, pleegouder, pleegouders
    ("foster parents", "Young carers", "foster_parent" all do; case is
    ignored and "-" and "_" separate words like spaces). NULL is false.
    This function can't fail. */
bool youth_group_is_youth_or_parents(const char *group);

/*  Returns "draft", "adopted" or "submitted" (static), or "?". */
const char *youth_status_name(youth_status_t status);

/*  The due date of the report on year: 1 July of year + 1. This function
    can't fail; year is taken as valid (1..9998). */
sm_date_t youth_due_date(int year);

/*  Days past the due date on day today: for a submitted report, the days
    it was submitted late; otherwise the days today is past the due date.
    0 when not late. This function can't fail. */
int64_t youth_days_late(const youth_report_t *r, sm_date_t today);

/*  Start the report on year (1..9998) as an empty draft. Returns 0 with the
    report in out, or -1 with err (invalid_argument, field "year"). */
int youth_report_init(youth_report_t *out, int year, sm_err_t *err);

/*  Check a finding before it is stored: finding present and not blank;
    texts valid UTF-8 of at most YOUTH_TEXT_MAX bytes. Returns 0, or -1
    with err (invalid_argument; field "finding" or "done"). */
int youth_finding_check(const youth_finding_t *f, sm_err_t *err);

/*  Allow a change of findings: a draft stays draft, an adopted report
    returns to draft (adopted_on cleared). Returns 0, or -1 with err
    (failed_precondition) for a submitted report; r unchanged then. */
int youth_revise(youth_report_t *r, sm_err_t *err);

/*  Adopt a draft on day adopted_on (today is the service's today). Returns
    0 (status ADOPTED, adopted_on set), or -1 with err and r unchanged:
    failed_precondition when it is not a draft or has no findings;
    invalid_argument (field "date") when adopted_on is after today. */
int youth_adopt(youth_report_t *r, sm_date_t adopted_on, sm_date_t today, sm_err_t *err);

/*  Record that an adopted report was submitted to VWS on day
    submitted_on. Returns 0 (status SUBMITTED), or -1 with err and r
    unchanged: failed_precondition when not adopted (or already
    submitted); invalid_argument (field "date") when submitted_on is after
    today or before the day it was adopted. */
int youth_submit(youth_report_t *r, sm_date_t submitted_on, sm_date_t today, sm_err_t *err);

/*  The report as Markdown (format above) on day today, with numbers from
    tally (a reach tally of the year with youth_only; NULL counts as no
    sessions) and theme titles from themes. Returns a malloc'd string the
    caller frees, or NULL when out of memory. */
char *youth_render_markdown(const youth_report_t *r, const reach_tally_t *tally,
                            const youth_theme_t *themes, size_t n_themes, sm_date_t today);

/*  The same as a complete HTML document. Returns a malloc'd string the
    caller frees, or NULL when out of memory. */
char *youth_render_html(const youth_report_t *r, const reach_tally_t *tally,
                        const youth_theme_t *themes, size_t n_themes, sm_date_t today);

#endif
