/*  services/intake/pii_lexicon.c - the Dutch words the personal-data scan
    knows. See pii_lexicon.h.

    One open-addressing hash table over folded entries ("gooise meren"),
    each with the bits of the lists that hold it. Built once at start from
    the compiled-in lists and the fixed grammar below; read-only after. */
#include "pii_lexicon.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*  The data files, compiled in (build/.../gen/pii_data.c, from embed.awk). */
extern const char pii_data_first_names[];
extern const char pii_data_common_words[];
extern const char pii_data_proper_nouns[];

#define S_EMPTY UINT32_MAX
#define S_MAX_ENTRY_BYTES 128 /*  a longer line in a list is skipped */

/* ==== The fixed grammar ==================================================== */

static const char *const s_months[] = {"januari",   "februari", "maart",    "april",
                                       "mei",       "juni",     "juli",     "augustus",
                                       "september", "oktober",  "november", "december"};

static const char *const s_weekdays[] = {"maandag", "dinsdag",  "woensdag", "donderdag",
                                         "vrijdag", "zaterdag", "zondag",   NULL};

/*  Words that put a name after them: forms of address, functions that go
    with a surname, family words. Abbreviations are also in s_abbrevs. */
static const char *const s_titles[] = {
    "mevrouw",      "mevr",         "mw",         "mvr",      "meneer", "mijnheer", "mnr",
    "dhr",          "de heer",      "mr",         "dr",       "drs",    "ir",       "ing",
    "prof",         "mej",          "mejuffrouw", "juffrouw", "juf",    "meester",  "wethouder",
    "burgemeester", "gedeputeerde", "raadslid",   "dokter",   "zuster", "pastoor",  "dominee",
    "imam",         "oom",          "tante",      "opa",      "oma",    "buurman",  "buurvrouw",
    "familie",      "fam",          "mama",       "papa",     NULL};

/*  Tussenvoegsels and the particles of other languages' surnames. "t",
    "d" and "l" count only after an apostrophe ("van 't Hof", "d'Ancona");
    the scan checks that. */
static const char *const s_particles[] = {
    "van", "de", "der", "den", "het", "t",   "te",  "ter",   "ten", "in", "op", "d",  "l",  "la",
    "le",  "du", "des", "da",  "di",  "dos", "del", "della", "von", "zu", "el", "al", "vd", NULL};

/*  A dot after these does not end a sentence. Single letters (initials)
    never end one either; the scan knows that without this list. */
static const char *const s_abbrevs[] = {
    "mw",  "mevr", "mvr", "dhr", "mnr", "mr",  "dr",  "drs", "ir",  "ing",  "prof", "mej",
    "fam", "bijv", "bv",  "ca",  "nr",  "enz", "etc", "evt", "zgn", "resp", "incl", "excl",
    "tel", "geb",  "st",  "jl",  "jr",  "sr",  "vs",  "blz", "art", "afd",  "pag",  "max",
    "min", "ivm",  "mbt", "tav", "dwz", "zsm", "mrt", "apr", "okt", "sept", "febr", "ma",
    "di",  "wo",   "do",  "vr",  "za",  "zo",  "ong", "vlg", "ovb", NULL};

/*  Words that number things with a letter: "bijlage A.", "vraag B.". */
static const char *const s_enumerators[] = {
    "bijlage",   "bijlagen",  "vraag",     "punt",     "optie", "fase",      "stap",   "groep",
    "categorie", "versie",    "scenario",  "variant",  "model", "type",      "klasse", "blok",
    "deel",      "hoofdstuk", "paragraaf", "artikel",  "lid",   "onderdeel", "plan",   "niveau",
    "route",     "thema",     "casus",     "situatie", "vorm",  "lokaal",    "zaal",   "ruimte",
    "locatie",   "gebouw",    "ingang",    "vak",      "kolom", "rij",       "tabel",  "figuur",
    "tafel",     "spoor",     "lijn",      "afdeling", "team",  "tafel",     NULL};

/*  Endings of the names of streets, squares and buildings. */
static const char *const s_place_suffixes[] = {
    "straat",  "laan", "weg",    "plein",     "singel", "gracht",  "kade",       "dreef",
    "steeg",   "pad",  "markt",  "plantsoen", "school", "college", "ziekenhuis", "kliniek",
    "centrum", "kerk", "moskee", "stichting", "fonds",  "station", "boulevard",  NULL};

/* ==== The table ============================================================ */

typedef struct {
    char *key;
    uint32_t keylen;
    uint16_t words;
    unsigned lists;
} s_entry_t;

struct _pii_lexicon_t {
    s_entry_t *entries;
    size_t count, cap;
    uint32_t *slots; /*  index into entries, or S_EMPTY */
    size_t nslots;   /*  power of two, at least twice count */
    size_t max_words;
};

/*  FNV-1a of s[0..n). */
static uint64_t s_hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/*  The slot of key, or the empty slot where it would go. */
static size_t s_slot(const pii_lexicon_t *self, const char *key, size_t len)
{
    size_t mask = self->nslots - 1;
    for (size_t s = s_hash(key, len) & mask;; s = (s + 1) & mask) {
        uint32_t e = self->slots[s];
        if (e == S_EMPTY ||
            (self->entries[e].keylen == len && memcmp(self->entries[e].key, key, len) == 0))
            return s;
    }
}

/*  Double the slots. Returns 0 or -1 (out of memory; nothing changed). */
static int s_grow(pii_lexicon_t *self)
{
    size_t nslots = self->nslots ? self->nslots * 2 : 1024;
    uint32_t *slots = malloc(nslots * sizeof *slots);
    if (!slots)
        return -1;
    for (size_t s = 0; s < nslots; s++)
        slots[s] = S_EMPTY;
    free(self->slots);
    self->slots = slots;
    self->nslots = nslots;
    for (size_t e = 0; e < self->count; e++)
        self->slots[s_slot(self, self->entries[e].key, self->entries[e].keylen)] = (uint32_t)e;
    return 0;
}

/*  Add lists to the entry key[0..len) of words words, creating it.
    Returns 0 or -1 (out of memory). */
static int s_put(pii_lexicon_t *self, const char *key, size_t len, size_t words, unsigned lists)
{
    if ((self->count + 1) * 2 > self->nslots && s_grow(self) != 0)
        return -1;
    size_t s = s_slot(self, key, len);
    if (self->slots[s] != S_EMPTY) {
        self->entries[self->slots[s]].lists |= lists;
        return 0;
    }
    if (self->count == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 1024;
        s_entry_t *entries = realloc(self->entries, cap * sizeof *entries);
        if (!entries)
            return -1;
        self->entries = entries;
        self->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, key, len);
    copy[len] = '\0';
    self->entries[self->count] = (s_entry_t){copy, (uint32_t)len, (uint16_t)words, lists};
    self->slots[s] = (uint32_t)self->count++;
    if (words > self->max_words)
        self->max_words = words;
    return 0;
}

/*  Fold one entry as texts are folded and add it. Returns 0 (also for an
    entry that folds to nothing or is too long: skipped) or -1. */
static int s_add(pii_lexicon_t *self, const char *entry, size_t len, unsigned lists)
{
    if (len == 0 || len > S_MAX_ENTRY_BYTES)
        return 0;
    pii_tokens_t t;
    if (pii_tokenise(entry, len, &t) != 0)
        return -1;
    char key[S_MAX_ENTRY_BYTES * 2 + 2];
    size_t n = 0;
    for (size_t i = 0; i < t.count; i++) {
        if (i)
            key[n++] = ' ';
        memcpy(key + n, pii_token_word(&t, i), t.items[i].nlen);
        n += t.items[i].nlen;
    }
    int rc = t.count ? s_put(self, key, n, t.count, lists) : 0;
    pii_tokens_free(&t);
    return rc;
}

/*  Add every line of a compiled-in list. Returns 0 or -1. */
static int s_add_lines(pii_lexicon_t *self, const char *data, unsigned lists)
{
    while (*data) {
        const char *end = strchr(data, '\n');
        size_t len = end ? (size_t)(end - data) : strlen(data);
        if (s_add(self, data, len, lists) != 0)
            return -1;
        data += len + (end ? 1 : 0);
    }
    return 0;
}

/*  Add every word of a NULL-terminated array. Returns 0 or -1. */
static int s_add_words(pii_lexicon_t *self, const char *const *words, unsigned lists)
{
    for (size_t i = 0; words[i]; i++)
        if (s_add(self, words[i], strlen(words[i]), lists) != 0)
            return -1;
    return 0;
}

pii_lexicon_t *pii_lexicon_new(void)
{
    pii_lexicon_t *self = calloc(1, sizeof *self);
    if (!self || s_grow(self) != 0)
        goto fail;
    for (size_t m = 0; m < 12; m++)
        if (s_add(self, s_months[m], strlen(s_months[m]), PII_LEX_MONTH | PII_LEX_PROPER) != 0)
            goto fail;
    if (s_add_words(self, s_weekdays, PII_LEX_PROPER) != 0 ||
        s_add_words(self, s_titles, PII_LEX_TITLE) != 0 ||
        s_add_words(self, s_particles, PII_LEX_PARTICLE) != 0 ||
        s_add_words(self, s_abbrevs, PII_LEX_ABBREV) != 0 ||
        s_add_words(self, s_enumerators, PII_LEX_ENUMERATOR) != 0 ||
        s_add_lines(self, pii_data_first_names, PII_LEX_FIRST_NAME) != 0 ||
        s_add_lines(self, pii_data_common_words, PII_LEX_COMMON) != 0 ||
        s_add_lines(self, pii_data_proper_nouns, PII_LEX_PROPER) != 0)
        goto fail;
    return self;
fail:
    pii_lexicon_destroy(&self);
    return NULL;
}

void pii_lexicon_destroy(pii_lexicon_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    pii_lexicon_t *self = *self_p;
    for (size_t e = 0; e < self->count; e++)
        free(self->entries[e].key);
    free(self->entries);
    free(self->slots);
    free(self);
    *self_p = NULL;
}

unsigned pii_lexicon_word(const pii_lexicon_t *self, const char *word, size_t len)
{
    uint32_t e = self->slots[s_slot(self, word, len)];
    return e == S_EMPTY ? 0 : self->entries[e].lists;
}

unsigned pii_lexicon_token(const pii_lexicon_t *self, const pii_tokens_t *t, size_t i)
{
    return pii_lexicon_word(self, pii_token_word(t, i), t->items[i].nlen);
}

size_t pii_lexicon_phrase(const pii_lexicon_t *self, const pii_tokens_t *t, size_t i,
                          unsigned lists)
{
    char key[S_MAX_ENTRY_BYTES * 2 + 2];
    size_t n = 0, best = 0;
    for (size_t w = 0; w < self->max_words && i + w < t->count; w++) {
        const pii_token_t *tok = &t->items[i + w];
        if (w > 0 && !tok->joined)
            break;
        if (n + tok->nlen + 1 > sizeof key)
            break;
        if (w)
            key[n++] = ' ';
        memcpy(key + n, pii_token_word(t, i + w), tok->nlen);
        n += tok->nlen;
        uint32_t e = self->slots[s_slot(self, key, n)];
        if (e != S_EMPTY && self->entries[e].words == w + 1 && (self->entries[e].lists & lists))
            best = w + 1;
    }
    return best;
}

size_t pii_lexicon_count(const pii_lexicon_t *self, unsigned bit)
{
    size_t n = 0;
    for (size_t e = 0; e < self->count; e++)
        n += (self->entries[e].lists & bit) != 0;
    return n;
}

bool pii_lexicon_place_suffix(const char *word, size_t len)
{
    for (size_t i = 0; s_place_suffixes[i]; i++) {
        size_t sl = strlen(s_place_suffixes[i]);
        if (len >= sl + 3 && memcmp(word + len - sl, s_place_suffixes[i], sl) == 0)
            return true;
    }
    return false;
}

int pii_lexicon_month(const char *word, size_t len)
{
    static const struct {
        const char *word;
        int month;
    } abbrevs[] = {{"jan", 1},  {"feb", 2},  {"febr", 2}, {"mrt", 3}, {"apr", 4},
                   {"jun", 6},  {"jul", 7},  {"aug", 8},  {"sep", 9}, {"sept", 9},
                   {"okt", 10}, {"nov", 11}, {"dec", 12}};
    for (int m = 0; m < 12; m++)
        if (strlen(s_months[m]) == len && memcmp(s_months[m], word, len) == 0)
            return m + 1;
    for (size_t i = 0; i < sizeof abbrevs / sizeof abbrevs[0]; i++)
        if (strlen(abbrevs[i].word) == len && memcmp(abbrevs[i].word, word, len) == 0)
            return abbrevs[i].month;
    return 0;
}
