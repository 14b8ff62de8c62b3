/*  services/intake/pii.h - find personal data in a text before it is
    published.

    Reports are published only anonymised; participants are often
    vulnerable (youth, psychiatric care, domestic violence). Before a report
    goes out, reporting asks intake "does this text contain personal data?".
    This module answers that, for Dutch texts.

    An index holds, for every known participant, their normalised name
    forms, name parts, e-mail address and phone number, keyed by hash, so
    that a scan reads the text once whatever the number of participants
    (100,000 is the design size). With it lives a lexicon of Dutch words
    (pii_lexicon.h: first names, ordinary words, places and programmes,
    titles, particles). A scan reports:

    - name: a participant's name. Their full name ("Maria van den Heuvel")
      and, for three words or more, its "first last" form ("Maria
      Heuvel"), in any case, accents folded (é = e, ö = o, ß = ss, ĳ = ij,
      ł = l; decomposed accents too), across spaces, line breaks, hyphens,
      apostrophes and dots, nothing else; a one-word name of at least 3
      letters. And, capitalised, any part of it alone: a first name
      ("Mohammed vertelde"), a surname with or without its particles
      ("Bakker", "Van der Meer", "de Jong"), after a title ("mevrouw
      Bakker", "mw. De Vries", "de heer Van Dam"), after initials ("A.
      Bakker", "J.P. de Vries"), as a possessive ("Bakkers", "Anna's";
      the match is the name without the s). pii_names.h has the rules,
      including what is not a name: an ordinary word opening a sentence
      ("Wil je ..."), a place that is also a surname ("Huizen") unless a
      title, initials or a first name come first, months, days, the
      programme's own words, streets and buildings ("Jan van
      Galenstraat").
    - possible_name: the same shapes for someone who is not in the address
      file: a title or initials and a capitalised name ("mevrouw Pinas"), a
      first name of the lexicon's list alone or with a surname ("Fatima el
      Amrani"), or an unknown capitalised word that speaks ("Sevda
      vertelde").
    - email: a participant's address, case-insensitively; and anything
      shaped like an e-mail address (reported without participant id).
    - phone: digit runs in the text, with spaces, dashes, dots, slashes and
      parentheses inside, normalised to E.164 and compared with
      participants' numbers ("06-12345678" finds +31612345678); and
      anything shaped like a Dutch phone number (06 mobile or 0xx landline,
      10 digits; +31 / 0031 forms) without participant id. Foreign numbers
      are reported only when they belong to a participant.
    - bsn, iban, postcode, birth_date: citizen service numbers (11-test),
      bank accounts (mod-97), Dutch postal codes with their house number,
      and dates of birth; pii_shapes.h has the rules. Dates of birth are
      judged against today (sm_date_today, which honours SAMEN_TODAY).

    Overlapping matches are deduplicated: the longer span wins, then one
    that belongs to a participant, then the earlier one; a possible name
    that holds a participant's name becomes theirs ("mevrouw Maria
    Bakker"). When several participants share a name or a part, the match
    names the one with the lowest ID (shortest, then alphabetical: P3
    before P12).

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
    PII_NAME = 0,          /*  a participant's name, or part of it (participant set) */
    PII_EMAIL = 1,         /*  an e-mail address */
    PII_PHONE = 2,         /*  a phone number */
    PII_POSSIBLE_NAME = 3, /*  shaped like a person's name; nobody in the address file */
    PII_BSN = 4,           /*  a citizen service number (burgerservicenummer) */
    PII_IBAN = 5,          /*  a bank account number */
    PII_POSTCODE = 6,      /*  a Dutch postal code, with the house number when given */
    PII_BIRTH_DATE = 7,    /*  a date of birth */
} pii_kind_t;
#define PII_KINDS 8

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

/*  The kind's name on the wire: "name", "email", "phone", "possible_name",
    "bsn", "iban", "postcode" or "birth_date". */
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
