/*  services/intake/pii_lexicon.h - the Dutch words the personal-data scan
    knows: first names, ordinary words, proper nouns that are not people,
    titles, name particles (tussenvoegsels) and abbreviations.

    Three lists are data files shipped with samen and compiled into
    samen-intake (services/intake/data, turned into C strings by the
    Makefile with embed.awk):

      first_names.txt   common first names in the Netherlands, of every
                        background: a capitalised one is a possible name
      common_words.txt  ordinary words: capitalised only because they open
                        a sentence, never a name by themselves
      proper_nouns.txt  places, peoples, languages, holidays, programmes,
                        laws and organisations: capitalised, not people

    The rest is grammar, fixed here: months and days of the week (proper
    nouns too), titles ("mevrouw", "dhr.", "de heer", "wethouder"), name
    particles ("van", "de", "der", "ter", "el"), abbreviations after which
    a dot does not end a sentence ("o.a.", "bijv.") and words that number
    things ("bijlage A.", "vraag B.").

    Entries are folded as texts are (pii_text.h: lower case, accents
    removed), so "Zoë", "ZOE" and "zoe" are one entry. An entry may have
    several words ("Gooise Meren", "de heer"); a word may be on several
    lists ("Toon" is a first name and a verb).

    A lexicon is built once (by pii_index_new) and read-only after.
*/
#ifndef SAMEN_INTAKE_PII_LEXICON_H
#define SAMEN_INTAKE_PII_LEXICON_H

#include "pii_text.h"
#include <stdbool.h>
#include <stddef.h>

/*  The lists, as bits: pii_lexicon_word answers with the lists that hold
    a word. */
#define PII_LEX_FIRST_NAME 0x01u /*  first_names.txt */
#define PII_LEX_COMMON 0x02u     /*  common_words.txt */
#define PII_LEX_PROPER 0x04u     /*  proper_nouns.txt, months, days of the week */
#define PII_LEX_TITLE 0x08u      /*  mevrouw, meneer, mw, dhr, de heer, wethouder, ... */
#define PII_LEX_PARTICLE 0x10u   /*  van, de, der, den, ter, ten, el, al, ... */
#define PII_LEX_ABBREV 0x20u     /*  a following dot does not end a sentence */
#define PII_LEX_ENUMERATOR 0x40u /*  "bijlage A.": the letter is no initial */
#define PII_LEX_MONTH 0x80u      /*  januari .. december (also PII_LEX_PROPER) */

typedef struct _pii_lexicon_t pii_lexicon_t;

/*  Build the lexicon from the compiled-in lists. Returns it, or NULL when
    out of memory. */
pii_lexicon_t *pii_lexicon_new(void);

/*  Free a lexicon; sets *self_p to NULL. Safe on NULL and twice. */
void pii_lexicon_destroy(pii_lexicon_t **self_p);

/*  The lists (PII_LEX_* bits) that hold the one-word entry word[0..len)
    (folded); 0 when none. Can't fail. */
unsigned pii_lexicon_word(const pii_lexicon_t *self, const char *word, size_t len);

/*  The lists of word i of t. Can't fail. */
unsigned pii_lexicon_token(const pii_lexicon_t *self, const pii_tokens_t *t, size_t i);

/*  The number of words of the longest entry of any of lists that starts at
    word i of t, its words separated by spaces or joiners only (no
    punctuation); 0 when none. Can't fail. */
size_t pii_lexicon_phrase(const pii_lexicon_t *self, const pii_tokens_t *t, size_t i,
                          unsigned lists);

/*  Entries per list bit, for tests and service.info-like summaries:
    the number of entries that carry bit. Can't fail. */
size_t pii_lexicon_count(const pii_lexicon_t *self, unsigned bit);

/*  True when word[0..len) (folded) names a street, square or building by
    its ending: "kerkstraat", "stationsplein", "montessorischool". A bare
    ending ("straat") is not such a name. Can't fail. */
bool pii_lexicon_place_suffix(const char *word, size_t len);

/*  The month 1..12 of a folded Dutch month name or abbreviation
    ("januari", "jan", "mrt", "sept"), or 0. Can't fail. */
int pii_lexicon_month(const char *word, size_t len);

#endif
