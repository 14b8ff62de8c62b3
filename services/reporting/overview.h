/*  services/reporting/overview.h - the yearly overview and the passage for a decision document.

    Per theme the programme records what came out (opbrengst), what was done
    with it and the follow-up (vervolg). Two documents are made from that:

    1. The yearly overview the programme publishes: per theme the project
       (the theme's title), the form and central question (methods used and
       the theme's central question), the outcome and what was done with it,
       and the follow-up. As Markdown, CSV and HTML.
    2. The passage a decision document must carry on how the residents'
       perspective was obtained and processed (`theme passage T4`).

    Both work from IDs, counts and the programme's own texts; they never
    name a participant. Texts are written literally (markdown_put_text): a
    "*" or "<script>" in a title is shown, not obeyed, and line breaks
    inside a text become spaces.

    The Markdown of the yearly overview, exactly (themes in natural ID
    order, T4 before T10; a blank line between blocks; "\n" line ends; a
    line shown here ending in "⏎" continues on the next, after one space,
    as one line in the output):

        # Yearly overview 2019

        ## T3 Disability taxi

        **Form and central question:** focus group (FG, 1 session), interviews (I, 2 sessions). ⏎
        Central question: How do users experience the taxi?

        **Outcome and what was done with it:**

        - **Brought in:** Drivers often arrive late.
          - **What was done:** A penalty clause was added to the contract.
          - **Status:** done
        - **Brought in:** A second taxi company.
          - **What was done:** nothing yet
          - **Status:** not adopted, because the contract runs until 2022

        **Follow-up:** Mirror meeting in Q2 2020.

    A method is "NAME (CODE, N session[s])", or "CODE (N session[s])" for a
    code not in the programme's list, in the order given. With no methods
    the form reads "no sessions held"; with no central question
    "Central question: not recorded."; without outcomes the outcome block is
    the one line "**Outcome and what was done with it:** none recorded yet.";
    an empty "what was done" reads "nothing yet"; without follow-up
    "**Follow-up:** none planned yet.". Statuses read "open", "in progress",
    "done", "not adopted, because REASON". An overview without themes has,
    after the title, the paragraph "No themes to report.".

    The CSV (RFC 4180: CRLF after every row, a field quoted when it holds a
    comma, a double quote, CR or LF, quotes doubled) has a header row and
    one row per theme:

        theme,title,form,central_question,outcome_and_what_was_done,follow_up

    form is the method list as above (or "no sessions held"); the outcome
    field has one line per item, separated by LF, each
    "Brought in: TEXT; what was done: TEXT; status: STATUS". Texts are
    given with runs of white space as one space.

    The HTML is the Markdown through markdown_to_html_document, titled
    "Yearly overview 2019".

    The passage (Markdown), exactly:

        **How the residents' perspective was obtained and processed (T4 Complex divorces).** ⏎
        From 2019-03-12 to 2019-11-20 residents took part in 3 sessions: focus group (FG, 2 ⏎
        sessions), interviews (I, 1 session). 17 different residents took part. Central ⏎
        question: Does the arrangement work?

        **Main input and what was done with it:**

        - **Brought in:** ... (items as in the overview)

        **Follow-up:** ...

    With one session "On 2019-03-12 residents took part in 1 session: ...";
    "1 resident took part."; with no sessions the first paragraph after the
    bold lead is "No sessions with residents were held on this theme." and
    without outcomes the second block is
    "**Main input and what was done with it:** none recorded yet.".
*/
#ifndef SAMEN_REPORTING_OVERVIEW_H
#define SAMEN_REPORTING_OVERVIEW_H

#include "common/date.h"
#include "common/err.h"
#include "reach.h"
#include "../../common/strbuf.h"
#include <stdbool.h>
#include <stddef.h>

/*  Longest outcome text, reason or follow-up accepted, in bytes. */
#define OVERVIEW_TEXT_MAX 4000

/*  Where an outcome item stands. */
typedef enum {
    OUTCOME_OPEN = 0,
    OUTCOME_IN_PROGRESS,
    OUTCOME_DONE,
    OUTCOME_NOT_ADOPTED //  needs a reason: residents are owed the why
} overview_status_t;

/*  One thing residents brought in, and what was done with it. Strings are
    borrowed. */
typedef struct {
    const char *brought_in;
    const char *done; //  NULL or empty: nothing yet
    overview_status_t status;
    const char *reason; //  why not adopted
} overview_outcome_t;

/*  One theme's part. Strings and arrays are borrowed. methods,
    sessions, participants and the dates come from a reach tally (see
    reach_tally: a theme row and its slice of theme_methods). */
typedef struct {
    const char *theme_id;
    const char *title;
    const char *central_question;
    const reach_method_row_t *methods;
    size_t n_methods;
    size_t sessions;
    size_t participants;             //  distinct
    sm_date_t first_held, last_held; //  meaningful when sessions > 0
    const overview_outcome_t *outcomes;
    size_t n_outcomes;
    const char *follow_up;
} overview_theme_t;

typedef struct {
    int year;
    const overview_theme_t *themes;
    size_t n_themes;
} overview_t;

/*  Returns "open", "in_progress", "done" or "not_adopted" (static; the
    names used on the wire), or "?" outside the enum. */
const char *overview_status_name(overview_status_t status);

/*  Parse a status name as above (also "in progress", "not adopted") into
    *out. Returns 0, or -1 with err (invalid_argument, field) listing the
    names accepted. */
int overview_status_parse(const char *text, overview_status_t *out, const char *field,
                          sm_err_t *err);

/*  Check an outcome item before it is stored: brought_in present and not
    blank; every text valid UTF-8 of at most OVERVIEW_TEXT_MAX bytes; a
    reason present when not adopted. Returns 0, or -1 with err
    (invalid_argument; field "brought_in", "done", "reason" or "status"). */
int overview_outcome_check(const overview_outcome_t *o, sm_err_t *err);

/*  The yearly overview as Markdown, CSV or HTML, in the formats above.
    Each returns a malloc'd string the caller frees, or NULL when out of
    memory. */
char *overview_render_markdown(const overview_t *o);
char *overview_render_csv(const overview_t *o);
char *overview_render_html(const overview_t *o);

/*  Append a method list as in the documents above, "focus group (FG, 2
    sessions), XY (1 session)", or "no sessions held" when n is 0; codes
    are written with markdown_put_text when markdown is set. Shared with
    the youth report. Can't fail visibly: an allocation failure marks sb
    failed. */
void overview_put_methods(strbuf_t *sb, const reach_method_row_t *methods, size_t n, bool markdown);

/*  The passage for a decision document on theme t, as Markdown in the
    format above. Returns a malloc'd string the caller frees, or NULL when
    out of memory. */
char *overview_theme_passage(const overview_theme_t *t);

#endif
