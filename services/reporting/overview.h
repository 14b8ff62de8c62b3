/*  services/reporting/overview.h - the yearly overview and the passage for a decision document.

    Per theme the programme records what came out (opbrengst), what was done
    with it and the follow-up (vervolg). Two documents are made from that,
    in the reader's language (common/i18n.h; the Dutch below is po/nl.po's)
    and in the layout of the region's own documents (DOMAIN.md §10):

    1. The yearly overview, the appendix to the yearly decision: one table
       "Projecten 2019 (uitgevoerd/afgerond)" with a row per theme (natural
       ID order, T4 before T10) and the columns Project | Vorm en centrale
       vraag | Opbrengst en wat we ermee hebben gedaan of nog gaan doen |
       Vervolg in 2020. As Markdown (a pipe table; the items of a cell
       separated by "<br>"), CSV (common/csv.h: ";" in Dutch) and HTML (a
       real <table>, common/html.h: lang, print stylesheet, a row never
       split over two pages).
    2. The passage a decision document must carry on how the residents'
       perspective was obtained and processed (`report passage T4`), as
       Markdown or HTML.

    Both work from IDs, counts and the programme's own texts; they never
    name a participant. Texts are written literally (markdown_put_text,
    markdown_put_cell, sm_html_escape): a "*" or "<script>" in a title is
    shown, not obeyed, and line breaks inside a text become spaces.

    The yearly overview in Dutch (Markdown), exactly:

        # Jaaroverzicht 2019

        ## Projecten 2019 (uitgevoerd/afgerond)

        | Project | Vorm en centrale vraag | Opbrengst en wat we ermee hebben gedaan of nog gaan doen | Vervolg in 2020 |
        |---|---|---|---|
        | Wmo-taxi (T3) | Focusgroep (FG, 1 bijeenkomst), interviews (I, 2 bijeenkomsten). Centrale vraag: Hoe ervaren gebruikers de taxi? | Inbreng: Chauffeurs komen vaak te laat. Wat we ermee hebben gedaan: Er staat nu een boete in het contract. (afgerond)<br>Inbreng: ... (niet overgenomen, omdat het contract loopt tot 2022) | Spiegelbijeenkomst in het tweede kwartaal. |

    A method is "name (CODE, N bijeenkomst[en])" ("CODE (N ...)" for a code
    not in the programme's list); the first letter of the form is a
    capital. No methods: "Geen bijeenkomsten gehouden."; no central
    question: "Centrale vraag: niet vastgelegd."; no outcomes: "Nog niets
    vastgelegd."; an empty "what was done": "nog niets"; no follow-up:
    "Nog niet gepland.". Statuses read "open", "in uitvoering", "afgerond",
    "niet overgenomen, omdat REASON". No themes: after the heading the
    paragraph "Geen onderwerpen om over te rapporteren.".

    The passage in Dutch (Markdown), exactly (one paragraph per line):

        **Hoe is het inwonersperspectief verkregen en verwerkt?** (T4 Complexe scheidingen)

        Van 12 maart 2019 tot en met 20 november 2019 namen inwoners deel aan 3 bijeenkomsten: focusgroep (FG, 2 bijeenkomsten), interviews (I, 1 bijeenkomst). Er deden 17 verschillende inwoners mee, onder wie ouders (9) en jongeren (4). De centrale vraag was: Werkt de regeling?

        **Belangrijkste inbreng en wat we ermee hebben gedaan:**

        - **Inbreng:** ...
          - **Wat we ermee hebben gedaan:** ...
          - **Stand:** niet overgenomen, omdat ...

        **Vervolg:** ...

    One session: "Op 12 maart 2019 namen inwoners deel aan 1 bijeenkomst:
    ..."; "Er deed 1 inwoner mee."; no attendance recorded: "Er is geen
    aanwezigheid vastgelegd."; without groups the "onder wie" part is left
    out (at most five groups, the largest first). No sessions: "Over dit
    onderwerp zijn geen bijeenkomsten met inwoners gehouden."; no
    outcomes: "**Belangrijkste inbreng en wat we ermee hebben gedaan:** nog
    niets vastgelegd.".
*/
#ifndef SAMEN_REPORTING_OVERVIEW_H
#define SAMEN_REPORTING_OVERVIEW_H

#include "common/codec.h"
#include "common/date.h"
#include "common/err.h"
#include "reach.h"
#include "yardstick_rules.h"
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

/*  A group the participants came from, and how many (distinct) of them.
    name is as shown (common/vocab.h's target groups, in the reader's
    language). */
typedef struct {
    const char *name;
    size_t participants;
} overview_group_t;

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
    const overview_group_t *groups; //  largest first; may be NULL
    size_t n_groups;
    yardstick_view_t yardstick; //  of the theme, or of the decision a passage is for
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

/*  The yearly overview as Markdown, CSV or HTML, in the formats above, in
    the reader's language.
    Each returns a malloc'd string the caller frees, or NULL when out of
    memory. */
char *overview_render_markdown(const overview_t *o);
char *overview_render_csv(const overview_t *o);
char *overview_render_html(const overview_t *o);

/*  The yearly overview as data, for a page that lays the table out itself
    (samen-site): packs one map {title: "Jaaroverzicht 2019", table:
    "Projecten 2019 (uitgevoerd/afgerond)", columns: [4 headings], rows:
    [{theme: "T3", cells: [4 texts]}]} in the reader's language, themes in
    natural ID order. A cell is plain text (never markup), the outcomes in
    it separated by "\n". Returns 0, or -1 when out of memory (what was
    packed is then incomplete: drop the reply). */
int overview_pack_rows(const overview_t *o, msgpack_packer *pk);

/*  Append a method list as in the documents above, "focusgroep (FG, 2
    bijeenkomsten), XY (1 bijeenkomst)", or "geen bijeenkomsten gehouden"
    when n is 0, in the reader's language; codes are written with
    markdown_put_text when markdown is set. Shared with the youth report
    and the municipality's overview. Can't fail visibly: an allocation
    failure marks sb failed. */
void overview_put_methods(strbuf_t *sb, const reach_method_row_t *methods, size_t n, bool markdown);

/*  The passage for a decision document on theme t, as Markdown in the
    format above. Returns a malloc'd string the caller frees, or NULL when
    out of memory. */
char *overview_theme_passage(const overview_theme_t *t);

/*  The same as a complete HTML document (common/html.h). Returns a
    malloc'd string the caller frees, or NULL when out of memory. */
char *overview_theme_passage_html(const overview_theme_t *t);

/*  The yardstick's part of these documents (yardstick_rules.h; in
    overview_yardstick.c): the yearly overview's section for its themes
    (sorted as shown; Markdown, or HTML when html), present when one of
    them has a yardstick recorded, and the passage's block. Can't fail
    visibly: an allocation failure marks sb failed. */
void overview_put_yardsticks(strbuf_t *sb, const overview_theme_t *const *themes, size_t n,
                             bool html);
void overview_put_passage_yardstick(strbuf_t *sb, const overview_theme_t *t);

#endif
