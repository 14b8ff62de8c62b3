/*  services/intake/pii_text.c - the words of a text as the personal-data
    scanners see them. See pii_text.h. */
#include "pii_text.h"
#include "common/text.h"
#include "pii.h"
#include "validate.h"
#include <stdlib.h>
#include <string.h>

/*  Latin-1 Supplement letters and Latin Extended-A (U+00C0..U+017F) folded
    to lower-case ASCII; "" marks the two symbols in that range (× ÷). */
// clang-format off
static const char *const s_fold_table[192] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  /* C0 */
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss", /* D0 */
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  /* E0 */
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y",  /* F0 */
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",   /* 100 */
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",   /* 110 */
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",   /* 120 */
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l", /* 130 */
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",   /* 140 */
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s", /* 150 */
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",   /* 160 */
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",   /* 170 */
};
// clang-format on

typedef enum {
    S_WORD,   /*  part of a word */
    S_SPACE,  /*  separates words, may sit inside a name */
    S_JOINER, /*  hyphen, apostrophe, dot: inside a name ("Jan-Willem", "d'Ancona") */
    S_OTHER,  /*  punctuation and symbols: ends a name */
} s_class_t;

/*  The case of a letter: 1 upper, -1 lower, 0 neither (digits, marks,
    scripts without case such as Arabic or Ge'ez). Latin, Greek and
    Cyrillic are known; that is what names in Dutch reports are written
    in. Can't fail. */
static int s_case_of(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z' ? 1 : (cp >= 'a' && cp <= 'z' ? -1 : 0);
    if (cp >= 0xC0 && cp <= 0xDE)
        return cp == 0xD7 ? 0 : 1;
    if (cp >= 0xDF && cp <= 0xFF)
        return cp == 0xF7 ? 0 : -1;
    if (cp >= 0x100 && cp <= 0x137)
        return cp % 2 == 0 ? 1 : -1;
    if (cp >= 0x139 && cp <= 0x148)
        return cp % 2 == 1 ? 1 : -1;
    if (cp >= 0x14A && cp <= 0x177)
        return cp % 2 == 0 ? 1 : -1;
    if (cp == 0x178)
        return 1;
    if (cp >= 0x179 && cp <= 0x17E)
        return cp % 2 == 1 ? 1 : -1;
    if (cp == 0x138 || cp == 0x149 || cp == 0x17F)
        return -1;
    if ((cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x400 && cp <= 0x42F))
        return 1;
    if ((cp >= 0x3B1 && cp <= 0x3C9) || (cp >= 0x430 && cp <= 0x45F))
        return -1;
    return 0;
}

/*  Read the code point at s[*pos], advance, write its folded form to fold
    (at most 4 bytes), its case to *letter_case (see s_case_of) and return
    its class. Letters beyond Latin Extended-A are words kept as they are
    (no case folding for Greek or Cyrillic); combining accents belong to
    the word but fold to nothing. Can't fail. */
static s_class_t s_next(const char *s, size_t len, size_t *pos, char *fold, size_t *fold_len,
                        int *letter_case)
{
    size_t start = *pos;
    uint32_t cp = sm_utf8_next(s, len, pos);
    *fold_len = 0;
    *letter_case = s_case_of(cp);
    if (cp < 0x80) {
        char c = (char)cp;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            fold[(*fold_len)++] = c;
            return S_WORD;
        }
        if (c >= 'A' && c <= 'Z') {
            fold[(*fold_len)++] = (char)(c - 'A' + 'a');
            return S_WORD;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
            return S_SPACE;
        if (c == '-' || c == '\'' || c == '.')
            return S_JOINER;
        return S_OTHER;
    }
    if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F)
        return S_SPACE;
    if (cp == 0x2010 || cp == 0x2011 || cp == 0x2018 || cp == 0x2019)
        return S_JOINER;
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
        (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFEFF || cp == 0xFFFD ||
        (cp >= 0xFE30 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
        (cp >= 0x1F000 && cp <= 0x1FAFF))
        return S_OTHER;
    if (cp < 0x180) {
        const char *f = s_fold_table[cp - 0xC0];
        *fold_len = strlen(f);
        memcpy(fold, f, *fold_len);
        return S_WORD;
    }
    if (cp >= 0x300 && cp <= 0x36F)
        return S_WORD;
    *fold_len = *pos - start;
    memcpy(fold, s + start, *fold_len);
    return S_WORD;
}

/*  Wipe (the folded words are personal data) and free; t is left empty.
    Safe on an empty t. */
void pii_tokens_free(pii_tokens_t *t)
{
    if (t->norm)
        explicit_bzero(t->norm, t->norm_len);
    free(t->items);
    free(t->norm);
    memset(t, 0, sizeof *t);
}

/*  Split s[0..len) (valid UTF-8, len < 4 GB) into folded words. Returns 0,
    or -1 when out of memory (t is then freed). */
int pii_tokenise(const char *s, size_t len, pii_tokens_t *t)
{
    memset(t, 0, sizeof *t);
    t->norm = malloc(len + 1);
    if (!t->norm)
        return -1;
    bool in_word = false, joined = false, spaced = false;
    size_t pos = 0;
    while (pos < len) {
        size_t at = pos, flen;
        char fold[8];
        int letter_case;
        s_class_t cls = s_next(s, len, &pos, fold, &flen, &letter_case);
        if (cls == S_WORD) {
            if (!in_word) {
                if (t->count == t->cap) {
                    size_t cap = t->cap ? t->cap * 2 : 64;
                    pii_token_t *items = realloc(t->items, cap * sizeof *items);
                    if (!items) {
                        pii_tokens_free(t);
                        return -1;
                    }
                    t->items = items;
                    t->cap = cap;
                }
                pii_token_t *tok = &t->items[t->count++];
                tok->start = (uint32_t)at;
                tok->nstart = (uint32_t)t->norm_len;
                tok->joined = t->count > 1 && joined;
                tok->spaced = spaced;
                tok->cap = letter_case > 0;
                tok->uppers = tok->lowers = 0;
                tok->digit = false;
                in_word = true;
            }
            pii_token_t *cur = &t->items[t->count - 1];
            cur->uppers += letter_case > 0 && cur->uppers < UINT8_MAX;
            cur->lowers += letter_case < 0 && cur->lowers < UINT8_MAX;
            cur->digit |= flen == 1 && fold[0] >= '0' && fold[0] <= '9';
            memcpy(t->norm + t->norm_len, fold, flen);
            t->norm_len += flen;
            t->items[t->count - 1].end = (uint32_t)pos;
            continue;
        }
        if (in_word) {
            pii_token_t *tok = &t->items[t->count - 1];
            tok->nlen = (uint32_t)(t->norm_len - tok->nstart);
            in_word = false;
            joined = true;
            spaced = false;
        }
        if (cls == S_OTHER)
            joined = false;
        else if (cls == S_SPACE)
            spaced = true;
    }
    if (in_word) {
        pii_token_t *tok = &t->items[t->count - 1];
        tok->nlen = (uint32_t)(t->norm_len - tok->nstart);
    }
    //  A word made only of combining marks folds to nothing; it can never
    //  match and would make an empty key, so such words are dropped.
    size_t kept = 0;
    for (size_t i = 0; i < t->count; i++)
        if (t->items[i].nlen > 0)
            t->items[kept++] = t->items[i];
        else if (i + 1 < t->count)
            t->items[i + 1].joined = false;
    t->count = kept;
    return 0;
}

int pii_fold_words(const char *text, size_t len, char *out, size_t size)
{
    if (size)
        out[0] = '\0';
    if (!text || !sm_utf8_valid(text, len) || size == 0)
        return -1;
    pii_tokens_t t;
    if (pii_tokenise(text, len, &t))
        return -1;
    //  A word boundary in the source is at least one byte, so the joined
    //  form is never longer than the source: len + 1 always fits.
    size_t need = t.norm_len + (t.count ? t.count - 1 : 0) + 1;
    int words = -1;
    if (need <= size) {
        size_t n = 0;
        for (size_t i = 0; i < t.count; i++) {
            if (i)
                out[n++] = ' ';
            memcpy(out + n, t.norm + t.items[i].nstart, t.items[i].nlen);
            n += t.items[i].nlen;
        }
        out[n] = '\0';
        words = (int)t.count;
    }
    pii_tokens_free(&t);
    return words;
}
