/*  services/intake/pii_names.h - people's names in Dutch text, known or
    not (internal to intake's pii modules; pii.h describes what a scan
    reports).

    A name is read as an expression of words joined by spaces (not line
    breaks), hyphens, or the dot of an initial or abbreviation:

        [title] [initials] [particles] Name [particles] [Name ...]['s]

    e.g. "mevrouw Bakker", "de heer Van der Berg", "J.P. de Vries",
    "Fatima el Amrani", "Mohammeds", "Anna's". A Name is a capitalised
    word that is not an acronym, not a proper noun of the lexicon (a place,
    a month, a programme: these end the expression), and not an ordinary
    word (which ends it too), unless it is a first name of the lexicon or
    part of a participant's name.

    An expression is reported when it has
    - a title ("mevrouw Bakker") or initials ("A. Bakker") and a Name;
    - two or more Names, the first a first name of the lexicon or any of
      them part of a participant's name ("Fatima el Amrani");
    - one Name that is a participant's first name or surname, or a first
      name of the lexicon ("Mohammed vertelde"), unless it opens the
      sentence and is also an ordinary word ("Wil je ...", "Jong en oud").
    It is not reported when it runs straight into a proper noun: then it
    is the name of a place or building ("Anna Paulowna", "Jan van
    Galenstraat", "Maria Montessorischool").

    The match covers title, initials and name; of a possessive only the
    name ("Anna" of "Anna's", "Bakker" of "Bakkers"). A name with a
    participant is kind PII_NAME with that participant (the lowest ID
    among those who share the part); otherwise PII_POSSIBLE_NAME.
*/
#ifndef SAMEN_INTAKE_PII_NAMES_H
#define SAMEN_INTAKE_PII_NAMES_H

#include "pii_cands.h"
#include "pii_lexicon.h"
#include "pii_text.h"

/*  The participant (person slot) one of whose name parts is key[0..len)
    (folded words joined by single spaces), or NIL. */
typedef uint32_t(pii_part_lookup_fn)(const void *index, const char *key, size_t len);

/*  Append a candidate for every name expression in text[0..len)
    (tokenised into t). lookup may be NULL (no participants). Out of
    memory marks c failed. */
void pii_scan_name_shapes(const char *text, size_t len, const pii_tokens_t *t,
                          const pii_lexicon_t *lex, pii_part_lookup_fn *lookup, const void *index,
                          pii_cands_t *c);

#endif
