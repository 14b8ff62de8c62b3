/*  services/intake/pii.h - find participants' personal data in a text
    before it is published.

    Reports are published only anonymised; participants are often
    vulnerable (youth, psychiatric care, domestic violence). Before a report
    goes out, reporting asks intake "does this text contain a participant's
    name, e-mail address or phone number?". This module answers that.

    An index holds, for every known participant, their normalised name
    forms, e-mail address and phone number, keyed by hash, so that a scan
    reads the text once whatever the number of participants (100,000 is
    the design size). A scan reports:

    - name: a participant's full name ("Maria van den Heuvel") and, when
      the name has three or more words, its "first last" form (first and
      last word: "Maria Heuvel"). Matched on word boundaries,
      case-insensitively, with Latin accents folded (é = e, ö = o, ß = ss,
      ĳ = ij, ł = l; decomposed accents too). Between the words of a name
      the text may have spaces, line breaks, hyphens, apostrophes or dots
      ("Jan-Willem" = "Jan Willem"), nothing else. Family names alone and
      first names alone are NOT matched (too many false positives). A name
      of one word is matched, being the full name, when it has at least 3
      letters.
    - email: a participant's address, case-insensitively; and anything
      shaped like an e-mail address (reported without participant id).
    - phone: digit runs in the text, with spaces, dashes, dots, slashes and
      parentheses inside, normalised to E.164 and compared with
      participants' numbers ("06-12345678" finds +31612345678); and
      anything shaped like a Dutch phone number (06 mobile or 0xx landline,
      10 digits; +31 / 0031 forms) without participant id. Foreign numbers
      are reported only when they belong to a participant.

    Overlapping matches are deduplicated: the longer span wins, then one
    that belongs to a participant, then the earlier one. When several
    participants share a name, the match names the one with the lowest ID
    (shortest, then alphabetical: P3 before P12).

    The index holds personal data: keep it in the service's memory only,
    remove a participant when they are erased, never log its contents.
*/
#ifndef SAMEN_INTAKE_PII_H
#define SAMEN_INTAKE_PII_H

#include "common/err.h"
#include <stddef.h>

#define PII_ID_SIZE 16             /*  participant IDs, e.g. "P12" */
#define PII_TEXT_MAX (1024 * 1024) /*  bytes a scan accepts */

typedef enum {
    PII_NAME = 0,
    PII_EMAIL = 1,
    PII_PHONE = 2,
} pii_kind_t;

typedef struct {
    pii_kind_t kind;
    char participant_id[PII_ID_SIZE]; /*  "" for a shape-only match */
    size_t offset;                    /*  bytes from the start of the text */
    size_t length;                    /*  bytes */
    char *text;                       /*  the matched bytes, NUL-terminated */
} pii_match_t;

typedef struct _pii_index_t pii_index_t;

/*  Create an empty index. Returns it, or NULL when out of memory. */
pii_index_t *pii_index_new(void);

/*  Destroy an index, overwriting the personal data it held before freeing
    it; sets *self_p to NULL; safe on NULL and when called twice. */
void pii_index_destroy(pii_index_t **self_p);

/*  Add a participant, or replace what is known about id. name, email and
    phone may each be NULL or ""; email and phone are normalised as the
    participant rules do (validate.h), so stored and typed forms both work.
    Returns 0, or -1 with err (invalid_argument naming "id", "name",
    "email" or "phone"; resource_exhausted when out of memory); on error
    the index holds nothing about id. */
int pii_index_put(pii_index_t *self, const char *id, const char *name, const char *email,
                  const char *phone, sm_err_t *err);

/*  Forget a participant (on erasure), overwriting their data in memory.
    Returns 0, or -1 when id is not in the index. */
int pii_index_remove(pii_index_t *self, const char *id);

/*  Number of participants in the index. Can't fail. */
size_t pii_index_size(const pii_index_t *self);

/*  Scan text[0..len) (UTF-8, at most PII_TEXT_MAX bytes). self may be NULL
    for shape-only matches. On success *matches_p is an array of *count_p
    matches in text order (NULL when none), the caller's to free with
    pii_matches_destroy, and 0 is returned. On error -1 with err
    (invalid_argument for field "text" when too long or not UTF-8;
    resource_exhausted when out of memory) and *matches_p = NULL. */
int pii_scan(const pii_index_t *self, const char *text, size_t len, pii_match_t **matches_p,
             size_t *count_p, sm_err_t *err);

/*  Free a match array from pii_scan; sets *matches_p to NULL. Safe on NULL. */
void pii_matches_destroy(pii_match_t **matches_p, size_t count);

/*  "name", "email" or "phone". */
const char *pii_kind_name(pii_kind_t kind);

/*  The words of text[0..len) as a scan sees them: lower-cased, Latin
    accents folded (the same folding as names above), joined by single
    spaces, written to out (size bytes; len + 2 always suffices, folding
    never makes text longer). Used by the find-by-name index so that
    "Müller" is found by "mul". Returns the number of words, or -1 when
    text is not valid UTF-8, out is too small, or memory runs out (out is
    then ""). The caller wipes out when it held a name. */
int pii_fold_words(const char *text, size_t len, char *out, size_t size);

#endif
