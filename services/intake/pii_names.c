/*  services/intake/pii_names.c - people's names in Dutch text. See
    pii_names.h for the rules.

    The words are looked up once (lexicon lists, participants' name parts,
    possessive stems); then an expression is read from every word, at most
    S_MAX_EXPR words long, and overlapping results are left to pii_scan's
    deduplication (the longest wins). */
#include "pii_names.h"
#include <string.h>

#define S_MAX_EXPR 10  /*  words in one name expression */
#define S_MAX_UNIT 3   /*  words in one hyphenated name part ("Jan-Willem") */
#define S_KEY_SIZE 256 /*  the longest part key looked up */

/*  What is known about one word of the text. */
typedef struct {
    unsigned lists;      /*  PII_LEX_* of the word */
    unsigned stem_lists; /*  of the word without a final "s" (possessive) */
    uint32_t person;     /*  participant with this word (or unit) as a name part */
    uint32_t stem_person;
    uint8_t unit;   /*  words of the part found at this word (1 when none) */
    uint8_t proper; /*  words of a proper noun starting here */
    uint8_t title;  /*  words of a title starting here */
    bool name_like; /*  capitalised, not an acronym */
} s_word_t;

typedef struct {
    const char *text;
    size_t len;
    const pii_tokens_t *t;
    const pii_lexicon_t *lex;
    s_word_t *w;
    pii_cands_t *c;
} s_ctx_t;

/* ==== Looking words up ======================================================== */

/*  The participant with the words [i, i+n) of t as a name part, or NIL. */
static uint32_t s_part(const pii_tokens_t *t, size_t i, size_t n, size_t trim,
                       pii_part_lookup_fn *lookup, const void *index)
{
    char key[S_KEY_SIZE];
    size_t len = 0;
    for (size_t k = i; k < i + n; k++) {
        size_t wl = t->items[k].nlen - (k + 1 == i + n ? trim : 0);
        if (len + wl + 1 > sizeof key)
            return NIL;
        if (k > i)
            key[len++] = ' ';
        memcpy(key + len, pii_token_word(t, k), wl);
        len += wl;
    }
    uint32_t person = lookup(index, key, len);
    explicit_bzero(key, len); /*  words of the text: maybe a name */
    return person;
}

/*  The gap between word i-1 and word i: exactly "-". */
static bool s_hyphen_gap(const char *text, const pii_tokens_t *t, size_t i)
{
    return i > 0 && t->items[i].start == t->items[i - 1].end + 1 &&
           text[t->items[i - 1].end] == '-';
}

/*  Fill x->w for every word. */
static void s_look_up(s_ctx_t *x, pii_part_lookup_fn *lookup, const void *index)
{
    const pii_tokens_t *t = x->t;
    for (size_t i = 0; i < t->count; i++) {
        s_word_t *w = &x->w[i];
        const pii_token_t *tok = &t->items[i];
        memset(w, 0, sizeof *w);
        w->person = w->stem_person = NIL;
        w->unit = 1;
        w->lists = pii_lexicon_token(x->lex, t, i);
        w->name_like = tok->cap && !pii_token_acronym(t, i);
        //  A title is not read as one when written in capitals ("ING Bank").
        if (!pii_token_acronym(t, i))
            w->title = (uint8_t)pii_lexicon_phrase(x->lex, t, i, PII_LEX_TITLE);
        if (!w->name_like)
            continue;
        w->proper = (uint8_t)pii_lexicon_phrase(x->lex, t, i, PII_LEX_PROPER);
        if (lookup) {
            //  The longest hyphenated unit first: "Jan-Willem", "Heuvel-Smit".
            size_t n = 1;
            while (n < S_MAX_UNIT && i + n < t->count && s_hyphen_gap(x->text, t, i + n) &&
                   (t->items[i + n].cap || t->items[i + n].digit))
                n++;
            for (; n >= 1 && w->person == NIL; n--) {
                w->person = s_part(t, i, n, 0, lookup, index);
                if (w->person != NIL)
                    w->unit = (uint8_t)n;
            }
        }
        //  A possessive: "Bakkers", "Mohammeds" (the stem is the name).
        const char *word = pii_token_word(t, i);
        if (tok->nlen >= 4 && word[tok->nlen - 1] == 's' && !(w->lists & PII_LEX_FIRST_NAME) &&
            w->person == NIL) {
            w->stem_lists = pii_lexicon_word(x->lex, word, tok->nlen - 1);
            if (lookup)
                w->stem_person = s_part(t, i, 1, 1, lookup, index);
        }
    }
}

/* ==== Reading the text ======================================================== */

/*  True when an apostrophe (' or ’) ends just before byte at (after
    false) or starts at it (after true). */
static bool s_apostrophe_at(const s_ctx_t *x, size_t at, bool after)
{
    const char *s = x->text;
    if (after)
        return (at < x->len && s[at] == '\'') ||
               (at + 3 <= x->len && memcmp(s + at, "\xe2\x80\x99", 3) == 0);
    return (at >= 1 && s[at - 1] == '\'') ||
           (at >= 3 && memcmp(s + at - 3, "\xe2\x80\x99", 3) == 0);
}

/*  True when word i is a particle here: "t" only after an apostrophe
    ("van 't Hof"), "d" and "l" only before one ("d'Ancona"). */
static bool s_particle(const s_ctx_t *x, size_t i)
{
    if (!(x->w[i].lists & PII_LEX_PARTICLE) || pii_token_acronym(x->t, i))
        return false;
    const pii_token_t *tok = &x->t->items[i];
    if (tok->nlen != 1)
        return true;
    char ch = pii_token_word(x->t, i)[0];
    if (ch == 't')
        return s_apostrophe_at(x, tok->start, false);
    return s_apostrophe_at(x, tok->end, true);
}

/*  True when word i is an initial: one capital letter followed by a dot
    ("J."), or a known two- or three-letter one ("Th.", "Chr."). */
static bool s_initial(const s_ctx_t *x, size_t i)
{
    static const char *const longer[] = {"th", "ph", "chr", "joh", "jac", "wm", "fr", "ch", NULL};
    const pii_token_t *tok = &x->t->items[i];
    if (!tok->cap || tok->digit || tok->end >= x->len || x->text[tok->end] != '.')
        return false;
    if (tok->nlen == 1 && tok->end - tok->start <= 2)
        return true;
    for (size_t k = 0; longer[k]; k++)
        if (pii_token_is(x->t, i, longer[k]) && tok->uppers == 1)
            return true;
    return false;
}

/*  True when word i may follow word i-1 inside a name: only spaces on one
    line between them, or exactly a hyphen, or the dot of an initial or an
    abbreviated title, or an apostrophe of a particle. */
static bool s_continues(const s_ctx_t *x, size_t i)
{
    const pii_tokens_t *t = x->t;
    if (i == 0 || !t->items[i].joined)
        return false;
    size_t from = t->items[i - 1].end, to = t->items[i].start;
    bool dot = false, space = false, hyphen = false, apostrophe = false;
    for (size_t k = from; k < to; k++) {
        unsigned char ch = (unsigned char)x->text[k];
        if (ch == '.' || ch == '-' || ch == '\'' || ch == ' ' || ch == '\t') {
            dot |= ch == '.';
            hyphen |= ch == '-';
            apostrophe |= ch == '\'';
            space |= ch == ' ' || ch == '\t';
        } else if (k + 3 <= to && ch == 0xE2 && memcmp(x->text + k, "\xe2\x80\x99", 3) == 0) {
            apostrophe = true; /*  ’ */
            k += 2;
        } else if (k + 1 < to && ch == 0xC2 && (unsigned char)x->text[k + 1] == 0xA0) {
            space = true; /*  no-break space */
            k++;
        } else
            return false; /*  a line break, a dash, anything else */
    }
    if (hyphen)
        return !space && !dot && !apostrophe; /*  "Jan-Willem", not "Jan - Willem" */
    if (apostrophe)
        return s_particle(x, i - 1) || s_particle(x, i);
    if (dot)
        return s_initial(x, i - 1) || (x->w[i - 1].lists & (PII_LEX_ABBREV | PII_LEX_TITLE));
    return space;
}

/*  True when word i opens a sentence: the first word, the first on a
    line, or after . ! ? : ; (a dot after an initial or an abbreviation
    does not count). */
static bool s_sentence_start(const s_ctx_t *x, size_t i)
{
    const pii_tokens_t *t = x->t;
    if (i == 0)
        return true;
    bool dot = false;
    for (size_t k = t->items[i - 1].end; k < t->items[i].start; k++) {
        char ch = x->text[k];
        if (ch == '\n' || ch == '!' || ch == '?' || ch == ':' || ch == ';')
            return true;
        if ((unsigned char)ch == 0xE2 && memcmp(x->text + k, "\xe2\x80\xa6", 3) == 0)
            return true; /*  … */
        dot |= ch == '.';
    }
    if (!dot)
        return false;
    const pii_token_t *prev = &t->items[i - 1];
    if (prev->nlen == 1 && !prev->digit)
        return false; /*  an initial, or "o.a." */
    return !(x->w[i - 1].lists & PII_LEX_ABBREV);
}

/*  A possessive "'s" right after word i ("Anna's", "Anna’s"): returns
    the number of words it takes (1, the "s"), or 0. */
static size_t s_apostrophe_s(const s_ctx_t *x, size_t i)
{
    const pii_tokens_t *t = x->t;
    if (i + 1 >= t->count || !pii_token_is(t, i + 1, "s"))
        return 0;
    size_t gap = t->items[i + 1].start - t->items[i].end;
    const char *g = x->text + t->items[i].end;
    return (gap == 1 && g[0] == '\'') || (gap == 3 && memcmp(g, "\xe2\x80\x99", 3) == 0) ? 1 : 0;
}

/*  True when word i is hyphenated to a word that is neither a listed
    first name nor part of a participant's name ("Max-Age", "No-Cache"). */
static bool s_in_term(const s_ctx_t *x, size_t i)
{
    const pii_tokens_t *t = x->t;
    for (int side = 0; side < 2; side++) {
        size_t other = side ? i + 1 : i - 1;
        if ((side == 0 && i == 0) || (side == 1 && i + 1 >= t->count))
            continue;
        if (!s_hyphen_gap(x->text, t, side ? i + 1 : i))
            continue;
        if (!(x->w[other].lists & PII_LEX_FIRST_NAME) && x->w[other].person == NIL &&
            !s_particle(x, other))
            return true;
    }
    return false;
}

/*  True when word i is a verb of saying or asking in the singular
    ("vertelde", "zegt", "vroeg"), the verbs a report puts after a
    speaker; "vond plaats" (took place) is not one. */
static bool s_speech_verb(const s_ctx_t *x, size_t i)
{
    static const char *const verbs[] = {
        "vertelde",   "vertelt", "zei",    "zegt",    "vroeg",      "vraagt",     "vond",
        "vindt",      "stelde",  "merkte", "legde",   "benadrukte", "antwoordde", "reageerde",
        "sprak",      "belde",   "mailde", "schreef", "klaagde",    "beaamde",    "herinnerde",
        "vertrouwde", "gaf",     "woont",  NULL};
    const pii_tokens_t *t = x->t;
    if (i >= t->count || t->items[i].cap)
        return false;
    for (size_t k = 0; verbs[k]; k++)
        if (pii_token_is(t, i, verbs[k]))
            return !((pii_token_is(t, i, "vond") || pii_token_is(t, i, "vindt")) &&
                     i + 1 < t->count && pii_token_is(t, i + 1, "plaats"));
    return false;
}

/*  True when capitalised word i, known neither as a name nor as an
    ordinary word, is the subject of a speech verb right after it, or
    stands right after one ("Sevda vertelde", "zei Tjitske"). */
static bool s_speaker(const s_ctx_t *x, size_t i)
{
    const pii_tokens_t *t = x->t;
    const pii_token_t *tok = &t->items[i];
    if (tok->nlen < 3 || tok->digit || (x->w[i].lists & (PII_LEX_COMMON | PII_LEX_TITLE)) ||
        s_in_term(x, i))
        return false;
    bool spaced_after = i + 1 < t->count && t->items[i + 1].joined &&
                        t->items[i + 1].start == tok->end + 1 && x->text[tok->end] == ' ';
    bool spaced_before = i > 0 && tok->joined && tok->start == t->items[i - 1].end + 1 &&
                         x->text[tok->start - 1] == ' ';
    return (spaced_after && s_speech_verb(x, i + 1)) || (spaced_before && s_speech_verb(x, i - 1));
}

/*  Read one expression from word i and add it when it is a name. */
static void s_expression(s_ctx_t *x, size_t i)
{
    const pii_tokens_t *t = x->t;
    const s_word_t *w = x->w;
    size_t j = i, n = t->count;
    bool title = false;
    //  A saint is a church, a school or a place ("Sint Jan", "St. Jozef").
    if (i > 0 && s_continues(x, i) &&
        (pii_token_is(t, i - 1, "sint") || pii_token_is(t, i - 1, "sinte") ||
         pii_token_is(t, i - 1, "st")))
        return;
    if (w[i].title) {
        title = true;
        j = i + w[i].title;
    }
    size_t first_initial = SIZE_MAX, initials = 0;
    while (j < n && (j == i || s_continues(x, j)) && s_initial(x, j)) {
        if (j == i && i > 0 && (w[i - 1].lists & PII_LEX_ENUMERATOR))
            return; /*  "bijlage A." */
        if (first_initial == SIZE_MAX)
            first_initial = j;
        initials++;
        j++;
    }
    //  Particles and Names.
    size_t words[S_MAX_EXPR], before[S_MAX_EXPR], nw = 0, pending = 0;
    uint32_t persons[S_MAX_EXPR];
    bool first_name[S_MAX_EXPR];
    size_t end = 0;
    bool into_proper = false, street = false;
    while (j < n && nw < S_MAX_EXPR && j - i < S_MAX_EXPR) {
        if (j > i && !s_continues(x, j))
            break;
        if (s_particle(x, j) && !(w[j].name_like && w[j].proper)) {
            pending++;
            j++;
            continue;
        }
        const pii_token_t *tok = &t->items[j];
        if (!w[j].name_like)
            break;
        if (w[j].proper) {
            //  After a title or initials a place is a surname ("mevrouw
            //  Laren", "A. Huizen", "mevrouw Van Laren"), not after a small
            //  "van" ("burgemeester van Huizen").
            size_t p = j - pending;
            bool capital_particle = pending == 0 || t->items[p].cap;
            if ((title || initials) && nw == 0 && w[j].proper == 1 && capital_particle &&
                !(w[j].lists & PII_LEX_MONTH)) {
                words[nw] = j;
                before[nw] = pending;
                persons[nw] = w[j].person;
                first_name[nw] = false;
                nw++;
                pending = 0;
                end = tok->end;
                j++;
                break;
            }
            into_proper = true;
            break;
        }
        if (pii_lexicon_place_suffix(pii_token_word(t, j), tok->nlen)) {
            into_proper = street = true;
            break;
        }
        uint32_t person = w[j].person;
        bool listed = (w[j].lists & PII_LEX_FIRST_NAME) != 0;
        bool stem = false;
        if (person == NIL && !listed &&
            (w[j].stem_person != NIL || (w[j].stem_lists & PII_LEX_FIRST_NAME)) &&
            !(w[j].lists & PII_LEX_COMMON)) {
            person = w[j].stem_person;
            listed = (w[j].stem_lists & PII_LEX_FIRST_NAME) != 0;
            stem = true;
        }
        if (person == NIL && !listed && ((w[j].lists & PII_LEX_COMMON) || tok->digit))
            break;
        //  A listed first name inside a hyphenated term is part of a word
        //  ("Max-Age", "Valid-Until-Max"), unless the other part is a name
        //  too ("Jan-Willem", "Fatima-Zahra").
        if (person == NIL && listed && !title && !initials && s_in_term(x, j))
            break;
        //  The first half of a compound ("Maria-ziekenhuis", "Anna-huis")
        //  names a thing, not a person.
        size_t after = j + (person != NIL && !stem ? w[j].unit : 1);
        if (after < n && s_hyphen_gap(x->text, t, after) && !t->items[after].cap &&
            !t->items[after].digit && !s_particle(x, after))
            break;
        words[nw] = j;
        before[nw] = pending;
        persons[nw] = person;
        first_name[nw] = listed;
        nw++;
        pending = 0;
        size_t unit = person != NIL && !stem ? w[j].unit : 1;
        end = stem ? tok->end - 1 : t->items[j + unit - 1].end;
        j += unit;
        if (stem)
            break;
        if (s_apostrophe_s(x, j - 1))
            break;
    }
    if (nw == 0)
        return;
    //  Straight into a proper noun: the name of a place or a building.
    if (into_proper && !title && !initials && (pending == 0 || street))
        return;
    bool any_person = false;
    for (size_t k = 0; k < nw; k++)
        any_person |= persons[k] != NIL;
    uint32_t person = NIL;
    bool report;
    if (title || initials) {
        report = true;
        person = nw == 1 ? persons[0] : (persons[0] == persons[nw - 1] ? persons[0] : NIL);
    } else if (nw >= 2) {
        report = first_name[0] || any_person;
        person = persons[0] == persons[nw - 1] ? persons[0] : NIL;
    } else {
        //  One Name: a participant's part or a listed first name, unless
        //  it opens the sentence and is an ordinary word too; or any
        //  unknown capitalised word that someone is said to say or do
        //  ("Sevda vertelde", "vroeg Tjitske").
        bool opens = before[0] == 0 && s_sentence_start(x, words[0]);
        report = (persons[0] != NIL || first_name[0]) &&
                 !(opens && (w[words[0]].lists & PII_LEX_COMMON));
        if (!report && persons[0] == NIL && !first_name[0] && before[0] == 0)
            report = s_speaker(x, words[0]);
        person = persons[0];
    }
    if (!report)
        return;
    size_t from = words[0];
    if (title)
        from = i;
    else if (initials)
        from = first_initial;
    else if (before[0] > 0 && !first_name[0]) {
        //  Particles belong to a surname ("van Dijk", "De Vries"), except a
        //  lone lower-case article ("de Bakker": the Bakker).
        size_t p = words[0] - before[0];
        bool article = before[0] == 1 && !t->items[p].cap &&
                       (pii_token_is(t, p, "de") || pii_token_is(t, p, "het"));
        if (!article)
            from = p;
    }
    pii_cand_add(x->c, person != NIL ? PII_NAME : PII_POSSIBLE_NAME, t->items[from].start, end,
                 person);
}

void pii_scan_name_shapes(const char *text, size_t len, const pii_tokens_t *t,
                          const pii_lexicon_t *lex, pii_part_lookup_fn *lookup, const void *index,
                          pii_cands_t *c)
{
    if (!lex || t->count == 0)
        return;
    s_word_t *w = calloc(t->count, sizeof *w);
    if (!w) {
        c->failed = true;
        return;
    }
    s_ctx_t x = {text, len, t, lex, w, c};
    s_look_up(&x, lookup, index);
    for (size_t i = 0; i < t->count; i++) {
        //  Inside a proper noun ("Gooise Meren") nothing starts.
        if (w[i].proper && !w[i].title) {
            i += w[i].proper - 1;
            continue;
        }
        s_expression(&x, i);
    }
    free(w);
}
