/*  services/intake/pii_text.h - the words of a text as the personal-data
    scanners see them (internal to intake's pii modules).

    A text is split into words: runs of letters and digits (any script;
    combining accents belong to the word). Latin letters are folded to
    lower-case ASCII with accents removed (é = e, ö = o, ß = ss, ĳ = ij,
    ł = l), so that "Müller" and "Muller" are the same word; other scripts
    are kept as written. Between two words there are spaces (a line break
    counts as one), joiners (hyphen, apostrophe, dot: "Jan-Willem",
    "d'Ancona", "J.P.") or other punctuation, which ends a name.

    Each word also keeps how it was written, because Dutch capitalisation
    tells names from ordinary words: whether its first letter is a capital
    ("Bakker", the name, against "bakker", the baker), whether it is all
    capitals (an acronym: "GGD", "WMO"), and whether it holds a digit.

    The folded words may be personal data: pii_tokens_free wipes them.
*/
#ifndef SAMEN_INTAKE_PII_TEXT_H
#define SAMEN_INTAKE_PII_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t start, end;   /*  bytes in the source */
    uint32_t nstart, nlen; /*  bytes in the folded buffer */
    bool joined;           /*  only spaces and joiners since the previous word */
    bool spaced;           /*  a space since the previous word (a new word of a name) */
    bool cap;              /*  the first letter is a capital */
    bool digit;            /*  holds a digit 0-9 */
    uint8_t uppers;        /*  capital letters in the word (at most 255 counted) */
    uint8_t lowers;        /*  small letters in the word (at most 255 counted) */
} pii_token_t;

typedef struct {
    pii_token_t *items;
    size_t count, cap;
    char *norm; /*  folded words back to back; never longer than the source */
    size_t norm_len;
} pii_tokens_t;

/*  Split s[0..len) (valid UTF-8, len < 4 GB) into words. Returns 0 with t
    filled (free it with pii_tokens_free), or -1 when out of memory (t is
    then empty). */
int pii_tokenise(const char *s, size_t len, pii_tokens_t *t);

/*  Wipe the folded words and free them; t is left empty. Safe on an empty
    t and twice. */
void pii_tokens_free(pii_tokens_t *t);

/*  The folded form of word i of t (not NUL-terminated; see its nlen). */
static inline const char *pii_token_word(const pii_tokens_t *t, size_t i)
{
    return t->norm + t->items[i].nstart;
}

/*  True when word i of t is word (folded, NUL-terminated). */
static inline bool pii_token_is(const pii_tokens_t *t, size_t i, const char *word)
{
    size_t n = 0;
    while (word[n])
        n++;
    const pii_token_t *tok = &t->items[i];
    for (size_t k = 0; k < n && k < tok->nlen; k++)
        if (t->norm[tok->nstart + k] != word[k])
            return false;
    return tok->nlen == n;
}

/*  True when word i is written in capitals only, with at least two of
    them: an acronym ("GGD", "WMO"), never taken for a name by itself. */
static inline bool pii_token_acronym(const pii_tokens_t *t, size_t i)
{
    return t->items[i].uppers >= 2 && t->items[i].lowers == 0;
}

#endif
