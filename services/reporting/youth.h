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

    Three documents, in the reader's language (common/i18n.h; the Dutch
    below is po/nl.po's): the report itself (Markdown or HTML), the letter
    that sends it to the municipal councils (raadsinformatiebrief;
    Markdown or HTML) and an infographic (one SVG, A4 portrait, no script,
    black text on white and light blue so that it prints).

    The report in Dutch (Markdown), exactly (a theme not given in themes
    shows its ID alone):

        # Cliëntervaringsonderzoek (CEO) Jeugd 2019

        **Stand:** concept. Aan te leveren bij het ministerie van Volksgezondheid, Welzijn en Sport (VWS) uiterlijk 1 juli 2020.

        ## Hoe de ervaringen zijn opgehaald

        In 2019 hield de regio 5 bijeenkomsten met jongeren en ouders over onderwerpen die de jeugd aangaan, met 23 verschillende deelnemers (31 keer aanwezig). Daaronder waren 8 jongeren en 14 ouders.

        **Werkvormen:** focusgroep (FG, 3 bijeenkomsten), interviews (I, 2 bijeenkomsten).

        **Onderwerpen:**

        - T4 Complexe scheidingen: 3 bijeenkomsten, 12 deelnemers
        - T7 Culturele diversiteit: 2 bijeenkomsten, 11 deelnemers

        ## Bevindingen en wat we ermee hebben gedaan

        - **T4 Complexe scheidingen:** Ouders willen één contactpersoon.
          - **Wat we ermee hebben gedaan:** Sinds 2020 één casemanager per gezin.

    The status reads "concept.", "vastgesteld op 12 mei 2020." or
    "ingediend op 20 juni 2020." (then the due sentence); submitted after
    the due date "ingediend op 10 juli 2020, 9 dagen na de uiterste
    datum."; not submitted and past the due date "... uiterlijk 1 juli
    2020: 3 dagen te laat.". With no sessions the gathering paragraph says
    that none were held and the methods and themes blocks are left out.
    Without findings: "Nog geen bevindingen vastgelegd."; a finding without
    a theme is labelled "Algemeen"; an empty "what was done" reads "nog
    niets". The young people and parents: distinct participants of the
    counted sessions (dataset.h: DATASET_YOUNG, DATASET_PARENT); someone
    may count as both.

    The letter: title, subject, the councils it is addressed to (the
    member municipalities by name), the date, what the survey is and how
    the region does it, the reach sentence, at most five findings (with
    their theme's title), that the report and the infographic are
    attached, and when it was or will be submitted to the ministry.

    The infographic: the title, four figures (sessions, participants,
    young people, parents), how the region listened (methods, at most six
    themes with their numbers), at most six findings (three lines each),
    and the due date.
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

/*  Who the counted sessions reached, and whom the letter is addressed to.
    Strings are borrowed. */
typedef struct {
    size_t young;   //  distinct participants counted as young
    size_t parents; //  distinct participants counted as parents
    const char *const *municipalities; //  the member municipalities' names
    size_t n_municipalities;
} youth_reach_t;

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

/*  From 1 May the report on the year before is worth a warning until it is
    submitted (it is due on 1 July). True when r (the report on today's
    year minus one) is not submitted and today is on or after 1 May of
    today's year. This function can't fail. */
bool youth_due_warning(const youth_report_t *r, sm_date_t today);

/*  The warning as a sentence in the reader's language ("The youth report
    (CEO Jeugd) on 2019 has not been submitted yet; it is due at the
    Ministry ... on 1 July 2020 (61 days left)." or "... was due ... (62
    days late)."), into buf of size bytes. Returns buf. */
char *youth_due_warning_text(const youth_report_t *r, sm_date_t today, char *buf, size_t size);

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
    sessions), who (NULL: the young people and parents are left out) and
    theme titles from themes. Returns a malloc'd string the caller frees,
    or NULL when out of memory. */
char *youth_render_markdown(const youth_report_t *r, const reach_tally_t *tally,
                            const youth_reach_t *who, const youth_theme_t *themes,
                            size_t n_themes, sm_date_t today);

/*  The same as a complete HTML document. */
char *youth_render_html(const youth_report_t *r, const reach_tally_t *tally,
                        const youth_reach_t *who, const youth_theme_t *themes, size_t n_themes,
                        sm_date_t today);

/*  The letter to the municipal councils, as Markdown or HTML; dated today. */
char *youth_render_letter_markdown(const youth_report_t *r, const reach_tally_t *tally,
                                   const youth_reach_t *who, const youth_theme_t *themes,
                                   size_t n_themes, sm_date_t today);
char *youth_render_letter_html(const youth_report_t *r, const reach_tally_t *tally,
                               const youth_reach_t *who, const youth_theme_t *themes,
                               size_t n_themes, sm_date_t today);

/*  The infographic, one SVG document. */
char *youth_render_infographic(const youth_report_t *r, const reach_tally_t *tally,
                               const youth_reach_t *who, const youth_theme_t *themes,
                               size_t n_themes, sm_date_t today);

#endif
