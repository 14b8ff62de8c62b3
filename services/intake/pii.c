/*  services/intake/pii.c - find personal data in a text: the index of
    participants and the scan. See pii.h for what is matched and why.

    The index is one chained hash table over five kinds of key: a name
    form, a name part, an e-mail address, an E.164 number, and the
    participant ID (for replace and remove). Each distinct key is one entry
    listing the people who have it, so that a thousand people called Jan
    de Jong cost one comparison, not a thousand. A name form is hashed on
    its number of words, first word and last word: a scan tokenises the
    text once (pii_text.h) and, at each word, probes once per possible name
    length (up to S_MAX_FORM_WORDS, stopping at punctuation), then verifies
    the words in between. Name parts are looked up by pii_names.c as it
    reads name expressions; e-mail and phone shapes are found by their own
    small scanners here, the other shapes by pii_shapes.c. All candidates
    are then deduplicated with a byte map of the text. */
#include "pii.h"
#include "common/date.h"
#include "common/i18n.h"
#include "common/text.h"
#include "pii_cands.h"
#include "pii_lexicon.h"
#include "pii_names.h"
#include "pii_shapes.h"
#include "pii_text.h"
#include "validate.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX_PARTS 11              /*  first names and surname parts indexed per person */
#define S_MAX_ENTRIES_PER_PERSON 16 /*  id, full name, first-last, email, phone, parts */
#define S_MIN_PART_BYTES 2          /*  "Bo", "Ed"; particles are never parts */
#define S_MIN_NAME_BYTES 3         /*  shorter name forms match too much */
#define S_MAX_FORM_WORDS 12        /*  longer full names are found by "first last" */

enum { S_FREE = 0, S_NAME, S_EMAIL, S_PHONE, S_ID, S_PART };

typedef struct {
    uint64_t hash;
    char *key;         /*  owned, NUL-terminated normalised form */
    uint32_t keylen;   /*  strlen(key) */
    uint32_t next;     /*  next in bucket chain, or next free entry */
    uint32_t *persons; /*  owned: everyone who has this key */
    uint32_t npersons, cap_persons;
    uint32_t best;    /*  of persons, the one with the lowest ID: reported on a match */
    uint16_t ntokens; /*  words in a name form */
    uint8_t kind;
} s_entry_t;

typedef struct {
    char id[PII_ID_SIZE];
    uint32_t entries[S_MAX_ENTRIES_PER_PERSON];
    uint32_t nentries;
    uint32_t next_free;
} s_person_t;

struct _pii_index_t {
    uint32_t *buckets;
    uint32_t nbuckets; /*  power of two */
    s_entry_t *entries;
    uint32_t nentries, cap_entries, free_entry, live_entries;
    s_person_t *persons;
    uint32_t npersons, cap_persons, free_person, live_persons;
    uint16_t max_ntokens; /*  longest name form ever indexed: bounds the probes */
    pii_lexicon_t *lex;   /*  the Dutch words (no personal data) */
};

/* ==== Hash table ========================================================= */

/*  FNV-1a, seeded with the key kind so that kinds never share a key. */
static uint64_t s_hash_start(int kind)
{
    return (14695981039346656037ULL ^ (uint64_t)kind) * 1099511628211ULL;
}

/*  Continue FNV-1a hash h over s[0..n). */
static uint64_t s_hash_add(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/*  The hash of a name form of ntokens words from its first and last word;
    the words between are verified on a hit. */
static uint64_t s_hash_name(size_t ntokens, const char *first, size_t first_len, const char *last,
                            size_t last_len)
{
    char n = (char)ntokens;
    uint64_t h = s_hash_add(s_hash_start(S_NAME), &n, 1);
    h = s_hash_add(h, first, first_len);
    return s_hash_add(s_hash_add(h, "", 1), last, last_len);
}

/*  The hash of a stored key: a name form "w1 w2 ... wn", or any other key
    whole. */
static uint64_t s_hash_key(int kind, const char *key, size_t keylen, uint16_t ntokens)
{
    if (kind != S_NAME)
        return s_hash_add(s_hash_start(kind), key, keylen);
    const char *sp = memchr(key, ' ', keylen);
    const char *last = memrchr(key, ' ', keylen);
    size_t first_len = sp ? (size_t)(sp - key) : keylen;
    last = last ? last + 1 : key;
    return s_hash_name(ntokens, key, first_len, last, keylen - (size_t)(last - key));
}

/*  Grow the bucket array to keep chains short. Returns 0 or -1 (the table
    is unchanged then). */
static int s_rehash(pii_index_t *self, uint32_t nbuckets)
{
    uint32_t *buckets = malloc((size_t)nbuckets * sizeof *buckets);
    if (!buckets)
        return -1;
    for (uint32_t b = 0; b < nbuckets; b++)
        buckets[b] = NIL;
    for (uint32_t e = 0; e < self->nentries; e++) {
        s_entry_t *entry = &self->entries[e];
        if (entry->kind == S_FREE)
            continue;
        uint32_t b = (uint32_t)(entry->hash & (nbuckets - 1));
        entry->next = buckets[b];
        buckets[b] = e;
    }
    free(self->buckets);
    self->buckets = buckets;
    self->nbuckets = nbuckets;
    return 0;
}

/*  The entry for (kind, key), or NIL. */
static uint32_t s_entry_find(const pii_index_t *self, int kind, uint64_t hash, const char *key,
                             size_t keylen)
{
    for (uint32_t e = self->buckets[hash & (self->nbuckets - 1)]; e != NIL;
         e = self->entries[e].next) {
        const s_entry_t *entry = &self->entries[e];
        if (entry->hash == hash && entry->kind == kind && entry->keylen == keylen &&
            memcmp(entry->key, key, keylen) == 0)
            return e;
    }
    return NIL;
}

/*  True when ID a sorts before ID b: shorter first, so P3 comes before P12. */
static bool s_id_before(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    return la != lb ? la < lb : strcmp(a, b) < 0;
}

/*  Make person p one of those who have (kind, key), creating the entry when
    new. Returns the entry, or NIL when out of memory (nothing changed). */
static uint32_t s_entry_join(pii_index_t *self, int kind, const char *key, uint16_t ntokens,
                             uint32_t p)
{
    size_t keylen = strlen(key);
    uint64_t hash = s_hash_key(kind, key, keylen, ntokens);
    uint32_t e = s_entry_find(self, kind, hash, key, keylen);
    if (e == NIL) {
        if (self->live_entries + 1 > self->nbuckets && s_rehash(self, self->nbuckets * 2))
            return NIL;
        if (self->free_entry == NIL && self->nentries == self->cap_entries) {
            uint32_t cap = self->cap_entries * 2;
            s_entry_t *entries = realloc(self->entries, (size_t)cap * sizeof *entries);
            if (!entries)
                return NIL;
            self->entries = entries;
            self->cap_entries = cap;
        }
        char *copy = strdup(key);
        if (!copy)
            return NIL;
        e = self->free_entry;
        if (e != NIL)
            self->free_entry = self->entries[e].next;
        else
            e = self->nentries++;
        s_entry_t *entry = &self->entries[e];
        memset(entry, 0, sizeof *entry);
        entry->kind = (uint8_t)kind;
        entry->key = copy;
        entry->keylen = (uint32_t)keylen;
        entry->hash = hash;
        entry->ntokens = ntokens;
        entry->best = NIL;
        uint32_t b = (uint32_t)(hash & (self->nbuckets - 1));
        entry->next = self->buckets[b];
        self->buckets[b] = e;
        self->live_entries++;
        if (kind == S_NAME && ntokens > self->max_ntokens)
            self->max_ntokens = ntokens;
    }
    s_entry_t *entry = &self->entries[e];
    if (entry->npersons == entry->cap_persons) {
        uint32_t cap = entry->cap_persons ? entry->cap_persons * 2 : 1;
        uint32_t *persons = realloc(entry->persons, (size_t)cap * sizeof *persons);
        if (!persons)
            return NIL; /*  an entry without persons is removed by the caller's rollback */
        entry->persons = persons;
        entry->cap_persons = cap;
    }
    entry->persons[entry->npersons++] = p;
    if (entry->best == NIL || s_id_before(self->persons[p].id, self->persons[entry->best].id))
        entry->best = p;
    return e;
}

/*  Unlink an entry from its chain, wipe and free its key. Can't fail. */
static void s_entry_free(pii_index_t *self, uint32_t e)
{
    s_entry_t *entry = &self->entries[e];
    uint32_t *link = &self->buckets[entry->hash & (self->nbuckets - 1)];
    while (*link != e) {
        if (*link == NIL) {
            fprintf(stderr, "PANIC: pii: index entry %u missing from its chain\n", e);
            abort(); //  the table is corrupt: a bug, never input
        }
        link = &self->entries[*link].next;
    }
    *link = entry->next;
    explicit_bzero(entry->key, entry->keylen);
    free(entry->key);
    free(entry->persons);
    memset(entry, 0, sizeof *entry);
    entry->kind = S_FREE;
    entry->next = self->free_entry;
    self->free_entry = e;
    self->live_entries--;
}

/*  Take person p off entry e; free the entry when nobody is left. Can't fail. */
static void s_entry_leave(pii_index_t *self, uint32_t e, uint32_t p)
{
    s_entry_t *entry = &self->entries[e];
    for (uint32_t i = 0; i < entry->npersons; i++)
        if (entry->persons[i] == p) {
            entry->persons[i] = entry->persons[--entry->npersons];
            break;
        }
    if (entry->npersons == 0) {
        s_entry_free(self, e);
        return;
    }
    if (entry->best == p) {
        entry->best = entry->persons[0];
        for (uint32_t i = 1; i < entry->npersons; i++)
            if (s_id_before(self->persons[entry->persons[i]].id, self->persons[entry->best].id))
                entry->best = entry->persons[i];
    }
}

/*  The person with id, or NIL. */
static uint32_t s_person_find(const pii_index_t *self, const char *id)
{
    size_t n = strlen(id);
    uint32_t e = s_entry_find(self, S_ID, s_hash_key(S_ID, id, n, 0), id, n);
    return e == NIL ? NIL : self->entries[e].best;
}

/*  Take person p off every entry, wipe and free the slot. Can't fail. */
static void s_person_remove(pii_index_t *self, uint32_t p)
{
    s_person_t *person = &self->persons[p];
    for (uint32_t i = 0; i < person->nentries; i++)
        s_entry_leave(self, person->entries[i], p);
    explicit_bzero(person, sizeof *person);
    person->next_free = self->free_person;
    self->free_person = p;
    self->live_persons--;
}

/*  Add key as an entry of person p. Returns 0, or -1 when out of memory. */
static int s_person_add_entry(pii_index_t *self, uint32_t p, int kind, const char *key,
                              uint16_t ntokens)
{
    uint32_t e = s_entry_join(self, kind, key, ntokens, p);
    if (e == NIL) {
        //  A new entry may exist with nobody in it; find and drop it.
        size_t keylen = strlen(key);
        uint32_t orphan =
            s_entry_find(self, kind, s_hash_key(kind, key, keylen, ntokens), key, keylen);
        if (orphan != NIL && self->entries[orphan].npersons == 0)
            s_entry_free(self, orphan);
        return -1;
    }
    s_person_t *person = &self->persons[p];
    if (person->nentries == S_MAX_ENTRIES_PER_PERSON) {
        fprintf(stderr, "PANIC: pii: more than %d index entries for one person\n",
                S_MAX_ENTRIES_PER_PERSON);
        abort(); //  a bug: put adds at most S_MAX_ENTRIES_PER_PERSON
    }
    person->entries[person->nentries++] = e;
    return 0;
}

/* ==== The index ========================================================== */

pii_index_t *pii_index_new(void)
{
    pii_index_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->nbuckets = 1024;
    self->cap_entries = 1024;
    self->cap_persons = 256;
    self->buckets = malloc(self->nbuckets * sizeof *self->buckets);
    self->entries = malloc(self->cap_entries * sizeof *self->entries);
    self->persons = malloc(self->cap_persons * sizeof *self->persons);
    self->lex = pii_lexicon_new();
    if (!self->buckets || !self->entries || !self->persons || !self->lex) {
        pii_index_destroy(&self);
        return NULL;
    }
    for (uint32_t b = 0; b < self->nbuckets; b++)
        self->buckets[b] = NIL;
    self->free_entry = NIL;
    self->free_person = NIL;
    return self;
}

void pii_index_destroy(pii_index_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    pii_index_t *self = *self_p;
    for (uint32_t e = 0; self->entries && e < self->nentries; e++)
        if (self->entries[e].kind != S_FREE) {
            explicit_bzero(self->entries[e].key, self->entries[e].keylen);
            free(self->entries[e].key);
            free(self->entries[e].persons);
        }
    if (self->persons)
        explicit_bzero(self->persons, (size_t)self->npersons * sizeof *self->persons);
    free(self->buckets);
    free(self->entries);
    free(self->persons);
    pii_lexicon_destroy(&self->lex);
    free(self);
    *self_p = NULL;
}

size_t pii_index_size(const pii_index_t *self)
{
    return self->live_persons;
}

/*  Write the words [from, to) and, when join_from is not SIZE_MAX, the
    words [join_from, count) of t into buf as "w1 w2 ...". Returns the
    number of words. */
static size_t s_form(const pii_tokens_t *t, size_t from, size_t to, size_t join_from, char *buf)
{
    size_t n = 0, words = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        size_t a = pass ? join_from : from, b = pass ? t->count : to;
        if (pass && join_from == SIZE_MAX)
            break;
        for (size_t i = a; i < b; i++) {
            if (words)
                buf[n++] = ' ';
            memcpy(buf + n, t->norm + t->items[i].nstart, t->items[i].nlen);
            n += t->items[i].nlen;
            words++;
        }
    }
    buf[n] = '\0';
    return words;
}

/*  Add the name forms of a name already split into t. Returns 0 or -1. */
static int s_add_names(pii_index_t *self, uint32_t p, const pii_tokens_t *t)
{
    if (t->count == 0)
        return 0;
    //  A name form never exceeds the folded name plus one space per word.
    size_t size = t->norm_len + t->count + 1;
    char *buf = malloc(size);
    if (!buf)
        return -1;
    int rc = 0;
    size_t words = s_form(t, 0, t->count, SIZE_MAX, buf);
    if (strlen(buf) >= S_MIN_NAME_BYTES && words <= S_MAX_FORM_WORDS)
        rc = s_person_add_entry(self, p, S_NAME, buf, (uint16_t)words);
    //  "first last": the first space-separated word of the name and the last
    //  one, each with its hyphenated parts ("Jan-Willem ... Heuvel-Smit").
    size_t first_end = 1, last_start = t->count - 1, spaced_words = 1;
    while (first_end < t->count && !t->items[first_end].spaced)
        first_end++;
    while (last_start > 0 && !t->items[last_start].spaced)
        last_start--;
    for (size_t i = 1; i < t->count; i++)
        spaced_words += t->items[i].spaced;
    if (rc == 0 && spaced_words >= 3) {
        words = s_form(t, 0, first_end, last_start, buf);
        if (words <= S_MAX_FORM_WORDS)
            rc = s_person_add_entry(self, p, S_NAME, buf, (uint16_t)words);
    }
    explicit_bzero(buf, size);
    free(buf);
    return rc;
}

/*  True when word i of a name is a particle ("van", "de", "'t", "el"). */
static bool s_name_particle(const pii_index_t *self, const pii_tokens_t *t, size_t i)
{
    return (pii_lexicon_token(self->lex, t, i) & PII_LEX_PARTICLE) != 0;
}

/*  Add words [from, to) of t as a name part of person p, unless it is too
    short, has no letter, or p has it already (*nparts counts the parts
    added, at most S_MAX_PARTS). Returns 0 or -1 (out of memory). */
static int s_add_part(pii_index_t *self, uint32_t p, const pii_tokens_t *t, size_t from,
                      size_t to, size_t *nparts)
{
    char key[PARTICIPANT_NAME_SIZE * 2];
    size_t len = 0;
    bool letter = false;
    for (size_t i = from; i < to; i++) {
        const pii_token_t *tok = &t->items[i];
        if (len + tok->nlen + 1 >= sizeof key)
            return 0;
        if (i > from)
            key[len++] = ' ';
        memcpy(key + len, pii_token_word(t, i), tok->nlen);
        len += tok->nlen;
        letter |= tok->uppers + tok->lowers > 0 || !tok->digit;
    }
    key[len] = '\0';
    int rc = 0;
    if (len >= S_MIN_PART_BYTES && letter && *nparts < S_MAX_PARTS) {
        uint32_t e = s_entry_find(self, S_PART, s_hash_key(S_PART, key, len, 0), key, len);
        bool has = false;
        for (uint32_t k = 0; e != NIL && k < self->entries[e].npersons && !has; k++)
            has = self->entries[e].persons[k] == p;
        if (!has) {
            rc = s_person_add_entry(self, p, S_PART, key, (uint16_t)(to - from));
            *nparts += rc == 0;
        }
    }
    explicit_bzero(key, sizeof key);
    return rc;
}

/*  Add the parts of a name that a text may use alone: each first name
    (the words before the first particle, or all but the last word when
    there is none) and each word of the surname (after the particles),
    whole and, when hyphenated, each half ("Heuvel-Smit", "Heuvel",
    "Smit"). A name of one word has no parts: it is its full form.
    Returns 0 or -1. */
static int s_add_parts(pii_index_t *self, uint32_t p, const pii_tokens_t *t)
{
    //  Units: words separated by spaces ("Jan-Willem" is one unit).
    size_t starts[PARTICIPANT_NAME_SIZE], nunits = 0;
    for (size_t i = 0; i < t->count && nunits < PARTICIPANT_NAME_SIZE; i++)
        if (i == 0 || t->items[i].spaced)
            starts[nunits++] = i;
    if (nunits < 2)
        return 0;
    size_t first_particle = nunits;
    for (size_t u = 1; u < nunits && first_particle == nunits; u++) {
        size_t end = u + 1 < nunits ? starts[u + 1] : t->count;
        if (end - starts[u] == 1 && s_name_particle(self, t, starts[u]))
            first_particle = u;
    }
    size_t given_end = first_particle < nunits ? first_particle : nunits - 1;
    size_t nparts = 0;
    for (size_t u = 0; u < nunits; u++) {
        size_t from = starts[u], to = u + 1 < nunits ? starts[u + 1] : t->count;
        if (u < given_end) {
            if (s_add_part(self, p, t, from, to, &nparts) != 0)
                return -1;
            continue;
        }
        if (to - from == 1 && s_name_particle(self, t, from))
            continue;
        if (s_add_part(self, p, t, from, to, &nparts) != 0)
            return -1;
        for (size_t i = from; to - from > 1 && i < to; i++)
            if (!s_name_particle(self, t, i) && s_add_part(self, p, t, i, i + 1, &nparts) != 0)
                return -1;
    }
    return 0;
}

int pii_index_put(pii_index_t *self, const char *id, const char *name, const char *email,
                  const char *phone, sm_err_t *err)
{
    size_t idlen = id ? strlen(id) : 0;
    if (idlen == 0 || idlen >= PII_ID_SIZE)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "id",
                          _("id must be 1 to %d characters, like P12"), PII_ID_SIZE - 1);
    for (size_t i = 0; i < idlen; i++)
        if ((unsigned char)id[i] <= 0x20 || (unsigned char)id[i] >= 0x7F)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "id",
                              _("id must be printable ASCII without spaces, like P12"));
    //  Normalise everything before touching the index, so that a refusal
    //  leaves it as it was.
    char mail[PARTICIPANT_EMAIL_SIZE] = "", tel[PARTICIPANT_PHONE_SIZE] = "";
    if (email && *email) {
        if (validate_email(email, "email", mail, sizeof mail, err))
            return -1;
        sm_ascii_lower(mail);
    }
    if (phone && *phone && validate_phone(phone, "phone", tel, sizeof tel, err))
        return -1;
    size_t nlen = name ? strlen(name) : 0;
    if (nlen > PARTICIPANT_NAME_SIZE - 1 || !sm_utf8_valid(name ? name : "", nlen))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "name",
                          _("name must be UTF-8 of at most %d characters"),
                          PARTICIPANT_NAME_MAX_CHARS);
    pii_tokens_t tokens;
    if (pii_tokenise(name ? name : "", nlen, &tokens))
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));

    uint32_t old = s_person_find(self, id);
    if (old != NIL)
        s_person_remove(self, old);
    uint32_t p = self->free_person;
    if (p != NIL)
        self->free_person = self->persons[p].next_free;
    else {
        if (self->npersons == self->cap_persons) {
            uint32_t cap = self->cap_persons * 2;
            s_person_t *persons = realloc(self->persons, (size_t)cap * sizeof *persons);
            if (!persons) {
                pii_tokens_free(&tokens);
                return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
            }
            self->persons = persons;
            self->cap_persons = cap;
        }
        p = self->npersons++;
    }
    s_person_t *person = &self->persons[p];
    memset(person, 0, sizeof *person);
    memcpy(person->id, id, idlen + 1);
    person->next_free = NIL;
    self->live_persons++;

    int rc = s_person_add_entry(self, p, S_ID, id, 0);
    if (rc == 0)
        rc = s_add_names(self, p, &tokens);
    if (rc == 0)
        rc = s_add_parts(self, p, &tokens);
    if (rc == 0 && *mail)
        rc = s_person_add_entry(self, p, S_EMAIL, mail, 0);
    if (rc == 0 && *tel)
        rc = s_person_add_entry(self, p, S_PHONE, tel, 0);
    pii_tokens_free(&tokens);
    explicit_bzero(mail, sizeof mail);
    explicit_bzero(tel, sizeof tel);
    if (rc) {
        s_person_remove(self, p);
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    return 0;
}

int pii_index_remove(pii_index_t *self, const char *id)
{
    if (!id)
        return -1;
    uint32_t p = s_person_find(self, id);
    if (p == NIL)
        return -1;
    s_person_remove(self, p);
    return 0;
}

/* ==== Scanning =========================================================== */

/*  The participant with key (kind, s[0..n)) (the lowest ID when several
    share it), or NIL. */
static uint32_t s_lookup(const pii_index_t *self, int kind, const char *s, size_t n)
{
    uint32_t e = s_entry_find(self, kind, s_hash_key(kind, s, n, 0), s, n);
    return e == NIL ? NIL : self->entries[e].best;
}

/*  True when the name form entry matches the text's words i .. i+ntokens-1
    (already known to be joined, and to agree on the first and last word
    by hash only). */
static bool s_form_matches(const s_entry_t *entry, const pii_tokens_t *t, size_t i)
{
    const char *k = entry->key;
    const char *end = entry->key + entry->keylen;
    for (size_t j = 0; j < entry->ntokens; j++) {
        const pii_token_t *tok = &t->items[i + j];
        const char *sp = memchr(k, ' ', (size_t)(end - k));
        size_t wl = sp ? (size_t)(sp - k) : (size_t)(end - k);
        if (wl != tok->nlen || memcmp(k, t->norm + tok->nstart, wl) != 0)
            return false;
        k += wl + 1;
    }
    return true;
}

/*  Add a candidate for the longest name form starting at each word. */
static void s_scan_names(const pii_index_t *self, const pii_tokens_t *t, pii_cands_t *c)
{
    for (size_t i = 0; i < t->count; i++) {
        const pii_token_t *tok = &t->items[i];
        const char *w = t->norm + tok->nstart;
        uint32_t best = NIL;
        size_t best_end = 0;
        for (size_t n = 1; n <= self->max_ntokens && i + n <= t->count; n++) {
            const pii_token_t *last = &t->items[i + n - 1];
            if (n > 1 && !last->joined)
                break; /*  punctuation ends any name */
            uint64_t h = s_hash_name(n, w, tok->nlen, t->norm + last->nstart, last->nlen);
            for (uint32_t e = self->buckets[h & (self->nbuckets - 1)]; e != NIL;
                 e = self->entries[e].next) {
                const s_entry_t *entry = &self->entries[e];
                if (entry->hash != h || entry->kind != S_NAME || entry->ntokens != n ||
                    !s_form_matches(entry, t, i))
                    continue;
                //  Longer n comes later, so a longer form wins; among
                //  equal forms the entry's best is the lowest ID.
                if (best == NIL || last->end > best_end ||
                    (last->end == best_end &&
                     s_id_before(self->persons[entry->best].id, self->persons[best].id))) {
                    best = entry->best;
                    best_end = last->end;
                }
            }
        }
        if (best != NIL)
            pii_cand_add(c, PII_NAME, tok->start, best_end, best);
    }
}

/*  ASCII letter or digit. */
static bool s_is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*  Characters taken to the left of an @ when looking for an address in
    prose: the usual ones, not the rare quote-like ones (` { | }) that
    would pull in surrounding punctuation. */
static bool s_is_local_char(unsigned char c)
{
    return s_is_alnum(c) || (c && strchr("._%+-'!#$&*/=?^~", c) != NULL);
}

/*  Characters of a domain name (IDNs appear in their xn-- form). */
static bool s_is_domain_char(unsigned char c)
{
    return s_is_alnum(c) || c == '-' || c == '.';
}

/*  Add a candidate for every e-mail-shaped run around an @, checked by
    the same rule as a participant's address (validate_email). */
static void s_scan_emails(const pii_index_t *self, const char *s, size_t len, pii_cands_t *c)
{
    const char *p = s;
    while ((p = memchr(p, '@', len - (size_t)(p - s))) != NULL) {
        size_t at = (size_t)(p - s);
        p++;
        size_t l = at, r = at + 1;
        while (l > 0 && at - l < 64 && s_is_local_char((unsigned char)s[l - 1]))
            l--;
        //  Prose puts quotes and brackets around addresses; an address
        //  starts with a letter or digit in practice.
        while (l < at && !s_is_alnum((unsigned char)s[l]))
            l++;
        while (r < len && r - at <= 254 && s_is_domain_char((unsigned char)s[r]))
            r++;
        //  A sentence may end right after the address.
        while (r > at + 1 && (s[r - 1] == '.' || s[r - 1] == '-'))
            r--;
        if (l == at || r == at + 1 || r - l > PARTICIPANT_EMAIL_MAX)
            continue;
        char shape[PARTICIPANT_EMAIL_SIZE], norm[PARTICIPANT_EMAIL_SIZE];
        memcpy(shape, s + l, r - l);
        shape[r - l] = '\0';
        if (validate_email(shape, "email", norm, sizeof norm, NULL))
            continue;
        sm_ascii_lower(norm);
        uint32_t person = self ? s_lookup(self, S_EMAIL, norm, strlen(norm)) : NIL;
        pii_cand_add(c, PII_EMAIL, l, r, person);
    }
}

/*  ASCII digit. */
static bool s_is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/*  E.164 of the digits d[0..nd) if they form a Dutch number: 10 digits
    from 0 (not 00), or 31 and 9 digits after + / 00 (a kept trunk 0 is
    dropped). Returns true and fills e164 (PARTICIPANT_PHONE_SIZE). */
static bool s_dutch_e164(const char *d, size_t nd, bool intl, char *e164)
{
    if (!intl) {
        if (nd != 10 || d[0] != '0' || d[1] == '0')
            return false;
        memcpy(e164, "+31", 3);
        memcpy(e164 + 3, d + 1, 9);
        e164[12] = '\0';
        return true;
    }
    if (nd < 2 || d[0] != '3' || d[1] != '1')
        return false;
    d += 2, nd -= 2;
    if (nd == 10 && d[0] == '0')
        d++, nd--;
    if (nd != 9 || d[0] == '0')
        return false;
    memcpy(e164, "+31", 3);
    memcpy(e164 + 3, d, 9);
    e164[12] = '\0';
    return true;
}

/*  True at a date like 01-02-2020 (dd-mm-yyyy with -, / or .), the digit
    run in reports most easily taken for a phone number when a time
    follows ("01-02-2020 10.00" has ten digits from a 0). */
static bool s_is_date_at(const char *s, size_t len, size_t i)
{
    if (len - i < 10)
        return false;
    const char *p = s + i;
    char sep = p[2];
    if ((sep != '-' && sep != '/' && sep != '.') || p[5] != sep)
        return false;
    static const int digits[] = {0, 1, 3, 4, 6, 7, 8, 9};
    for (size_t k = 0; k < sizeof digits / sizeof digits[0]; k++)
        if (!s_is_digit((unsigned char)p[digits[k]]))
            return false;
    return true;
}

/*  Phone numbers start at a + or a digit not glued to a word, and run over
    digit groups separated by at most three of " -./()". The longest prefix
    of whole groups that forms a number is taken, so "bel 06-12345678 2x"
    still finds the number. */
static void s_scan_phones(const pii_index_t *self, const char *s, size_t len, pii_cands_t *c)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool plus = ch == '+' && i + 1 < len && s_is_digit((unsigned char)s[i + 1]);
        if (!plus && !s_is_digit(ch))
            continue;
        if (i > 0) {
            unsigned char prev = (unsigned char)s[i - 1];
            if (s_is_alnum(prev) || prev == '+' || prev >= 0x80)
                continue;
            //  Inside a run like 12-34.56 the run's own start was tried.
            if (i >= 2 && strchr("-./", prev) && s_is_digit((unsigned char)s[i - 2]))
                continue;
        }
        if (s_is_date_at(s, len, i))
            continue;
        char d[24];
        size_t nd = 0, ng = 0, ends[24], counts[24];
        size_t p = plus ? i + 1 : i;
        for (;;) {
            while (p < len && s_is_digit((unsigned char)s[p]) && nd < 20)
                d[nd++] = s[p++];
            if (p < len && s_is_digit((unsigned char)s[p]))
                break; /*  too many digits for a phone number: stop at the last group */
            ends[ng] = p;
            counts[ng++] = nd;
            bool intl = plus || (nd >= 2 && d[0] == '0' && d[1] == '0');
            size_t q = p, seps = 0;
            while (q < len && seps < 3 && s[q] && strchr(" -./()", s[q])) {
                //  "+31 (0)6": the (0) is not dialled from abroad.
                if (intl && s[q] == '(' && q + 2 < len && s[q + 1] == '0' && s[q + 2] == ')')
                    q += 3;
                else
                    q++;
                seps++;
            }
            if (q == p || q >= len || !s_is_digit((unsigned char)s[q]) || ng == 24)
                break;
            p = q;
        }
        for (size_t g = ng; g-- > 0;) {
            //  The last group must not run into a word ("0612345678abc").
            if (g + 1 == ng && ends[g] < len &&
                (s_is_alnum((unsigned char)s[ends[g]]) || (unsigned char)s[ends[g]] >= 0x80))
                continue;
            size_t n = counts[g];
            bool zero0 = n >= 2 && d[0] == '0' && d[1] == '0';
            const char *digits = zero0 && !plus ? d + 2 : d;
            size_t nn = zero0 && !plus ? n - 2 : n;
            //  "(020) 123 45 67": the opening parenthesis belongs to the number.
            size_t start = i;
            if (i > 0 && s[i - 1] == '(' && memchr(s + i, ')', ends[g] - i))
                start = i - 1;
            char e164[PARTICIPANT_PHONE_SIZE + 8];
            if (s_dutch_e164(digits, nn, plus || zero0, e164)) {
                uint32_t person = self ? s_lookup(self, S_PHONE, e164, strlen(e164)) : NIL;
                pii_cand_add(c, PII_PHONE, start, ends[g], person);
                break;
            }
            if ((plus || zero0) && nn >= 8 && nn <= 15 && digits[0] != '0' && self) {
                e164[0] = '+';
                memcpy(e164 + 1, digits, nn);
                e164[nn + 1] = '\0';
                uint32_t person = s_lookup(self, S_PHONE, e164, nn + 1);
                if (person != NIL) {
                    pii_cand_add(c, PII_PHONE, start, ends[g], person);
                    break;
                }
            }
        }
    }
}

/*  Priority for keeping one of two overlapping matches: longer, then a
    participant's, then earlier. */
static int s_cmp_priority(const void *a, const void *b)
{
    const pii_cand_t *x = a, *y = b;
    uint32_t lx = x->end - x->start, ly = y->end - y->start;
    if (lx != ly)
        return lx > ly ? -1 : 1;
    if ((x->person == NIL) != (y->person == NIL))
        return x->person != NIL ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

/*  Give every possible name in kept (text order, no overlaps) that
    contains a participant's name of inside the participant, as kind
    name. Can't fail. */
static void s_inherit(pii_cand_t *kept, size_t n, const pii_cands_t *inside)
{
    for (size_t i = 0; i < inside->count; i++) {
        const pii_cand_t *in = &inside->items[i];
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (kept[mid].start <= in->start)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == 0)
            continue;
        pii_cand_t *k = &kept[lo - 1];
        if (k->end >= in->end && k->kind == PII_POSSIBLE_NAME) {
            k->kind = PII_NAME;
            k->person = in->person;
        }
    }
}

/*  The participant one of whose name parts is key (pii_names.h). */
static uint32_t s_part_lookup(const void *index, const char *key, size_t len)
{
    return s_lookup(index, S_PART, key, len);
}

/*  Text order (accepted candidates never share a start). */
static int s_cmp_offset(const void *a, const void *b)
{
    const pii_cand_t *x = a, *y = b;
    return x->start != y->start ? (x->start < y->start ? -1 : 1) : 0;
}

int pii_scan(const pii_index_t *self, const char *text, size_t len, pii_match_t **matches_p,
             size_t *count_p, sm_err_t *err)
{
    *matches_p = NULL;
    *count_p = 0;
    if (len > PII_TEXT_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "text",
                          _("text is %zu bytes; give at most %d bytes (1 MB) per scan"), len,
                          PII_TEXT_MAX);
    if (len > 0 && (!text || !sm_utf8_valid(text, len)))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "text",
                          _("text is not valid UTF-8 (or holds a NUL byte); send UTF-8 text"));
    if (len == 0)
        return 0;

    int rc = -1;
    pii_tokens_t tokens = {0};
    pii_cands_t cands = {0}, inside = {0};
    unsigned char *taken = NULL;
    pii_match_t *matches = NULL;
    size_t kept = 0;

    if (self) {
        if (pii_tokenise(text, len, &tokens))
            goto cleanup;
        if (self->live_entries > 0)
            s_scan_names(self, &tokens, &cands);
        pii_scan_name_shapes(text, len, &tokens, self->lex,
                             self->live_persons ? s_part_lookup : NULL, self, &cands);
    }
    s_scan_emails(self, text, len, &cands);
    s_scan_phones(self, text, len, &cands);
    pii_scan_bsn(text, len, &cands);
    pii_scan_iban(text, len, &cands);
    pii_scan_postcodes(text, len, &cands);
    pii_scan_birth_dates(text, len, sm_date_today().y, &cands);
    if (cands.failed)
        goto cleanup;
    if (cands.count == 0) {
        rc = 0;
        goto cleanup;
    }
    //  Deduplicate: take candidates best first and drop any that touch a
    //  byte already taken. Spans are short, so marking bytes is cheap.
    qsort(cands.items, cands.count, sizeof *cands.items, s_cmp_priority);
    taken = calloc(len, 1);
    if (!taken)
        goto cleanup;
    for (size_t i = 0; i < cands.count; i++) {
        pii_cand_t cand = cands.items[i];
        bool clash = false;
        for (uint32_t b = cand.start; b < cand.end && !clash; b++)
            clash = taken[b];
        if (clash) {
            //  Kept aside: a participant's name inside a longer possible
            //  name ("mevrouw Maria Jansen") makes that one theirs.
            if (cand.person != NIL && cand.kind == PII_NAME)
                pii_cand_add(&inside, PII_NAME, cand.start, cand.end, cand.person);
            continue;
        }
        memset(taken + cand.start, 1, cand.end - cand.start);
        cands.items[kept++] = cand;
    }
    qsort(cands.items, kept, sizeof *cands.items, s_cmp_offset);
    if (inside.failed)
        goto cleanup;
    s_inherit(cands.items, kept, &inside);
    matches = calloc(kept, sizeof *matches);
    if (!matches)
        goto cleanup;
    for (size_t i = 0; i < kept; i++) {
        const pii_cand_t *cand = &cands.items[i];
        pii_match_t *m = &matches[i];
        m->kind = (pii_kind_t)cand->kind;
        if (cand->person != NIL)
            memcpy(m->participant_id, self->persons[cand->person].id, PII_ID_SIZE);
        m->offset = cand->start;
        m->length = cand->end - cand->start;
        m->text = strndup(text + cand->start, m->length);
        if (!m->text) {
            pii_matches_destroy(&matches, i);
            goto cleanup;
        }
    }
    *matches_p = matches;
    *count_p = kept;
    rc = 0;

cleanup:
    pii_tokens_free(&tokens);
    free(cands.items);
    free(inside.items);
    free(taken);
    if (rc)
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory while scanning the text"));
    return rc;
}

void pii_matches_destroy(pii_match_t **matches_p, size_t count)
{
    if (!matches_p || !*matches_p)
        return;
    for (size_t i = 0; i < count; i++) {
        if ((*matches_p)[i].text) {
            explicit_bzero((*matches_p)[i].text, (*matches_p)[i].length);
            free((*matches_p)[i].text);
        }
    }
    free(*matches_p);
    *matches_p = NULL;
}

const char *pii_kind_name(pii_kind_t kind)
{
    switch (kind) {
    case PII_NAME:
        return "name";
    case PII_EMAIL:
        return "email";
    case PII_PHONE:
        return "phone";
    case PII_POSSIBLE_NAME:
        return "possible_name";
    case PII_BSN:
        return "bsn";
    case PII_IBAN:
        return "iban";
    case PII_POSTCODE:
        return "postcode";
    case PII_BIRTH_DATE:
        return "birth_date";
    }
    return "unknown";
}
