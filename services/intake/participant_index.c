/*  services/intake/participant_index.c - secondary indexes over the address
    file. See participant_index.h. */
#include "participant_index.h"
#include "common/i18n.h"
#include "common/text.h"
#include "pii.h"
#include <stdlib.h>
#include <string.h>

#define DB_PARTICIPANTS "participants"
#define S_MAX_KEY 511

/* ==== The record ========================================================= */

int participant_load(sm_ctx_t *ctx, uint64_t id, record_t *rec)
{
    MDB_val v;
    int rc = sm_ctx_get_u64(ctx, sm_ctx_dbi(ctx, DB_PARTICIPANTS), id, &v);
    if (rc <= 0)
        return rc;
    if (record_decode(v.mv_data, v.mv_size, rec) != 0 || rec->id != id)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL,
                           _("the stored record of P%llu cannot be read; restore it from a backup"),
                           (unsigned long long)id);
    return 1;
}

int participant_store(sm_ctx_t *ctx, const record_t *rec)
{
    sm_buf_t b;
    sm_buf_init(&b);
    record_encode(rec, &b.pk);
    int rc = sm_ctx_put_u64(ctx, sm_ctx_dbi(ctx, DB_PARTICIPANTS), rec->id, &b);
    //  The buffer held personal data: wipe before handing it back.
    explicit_bzero(b.sbuf.data, b.sbuf.size);
    sm_buf_free(&b);
    return rc;
}

/* ==== Keys =============================================================== */

/*  Build value NUL id8 into key. Returns the key length, or 0 when the
    value does not fit (never for validated values). */
static size_t s_key(const char *value, size_t n, uint64_t id, uint8_t *key)
{
    if (n + 9 > S_MAX_KEY)
        return 0;
    memcpy(key, value, n);
    key[n] = '\0';
    sm_key_u64(id, key + n + 1);
    return n + 9;
}

/*  Put or delete one entry. Returns 0 or -1 (ctx error). */
static int s_entry(sm_ctx_t *ctx, const char *db, const char *value, size_t n, uint64_t id,
                   bool add)
{
    uint8_t key[S_MAX_KEY];
    size_t klen = s_key(value, n, id, key);
    if (klen == 0 || n == 0)
        return 0;
    MDB_dbi dbi = sm_ctx_dbi(ctx, db);
    int rc = add ? sm_ctx_put(ctx, dbi, key, klen, "", 0) : sm_ctx_del(ctx, dbi, key, klen);
    explicit_bzero(key, klen);
    return rc;
}

/*  Cut a folded word to at most PINDEX_TOKEN_MAX bytes at a character
    boundary. Returns the new length. */
static size_t s_token_len(const char *w, size_t n)
{
    if (n <= PINDEX_TOKEN_MAX)
        return n;
    n = PINDEX_TOKEN_MAX;
    while (n > 0 && ((unsigned char)w[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/*  The name's index entries: each distinct folded word once. */
static int s_name_entries(sm_ctx_t *ctx, const record_t *rec, bool add)
{
    const char *name = rec->p.name;
    if (!name[0])
        return 0;
    char folded[PINDEX_QUERY_SIZE];
    if (pii_fold_words(name, strlen(name), folded, sizeof folded) <= 0)
        return 0;
    int rc = 0;
    const char *w = folded;
    while (*w && rc == 0) {
        const char *end = strchr(w, ' ');
        size_t n = end ? (size_t)(end - w) : strlen(w);
        size_t tn = s_token_len(w, n);
        //  Skip a word seen earlier in the same name ("Jan Jan de Jong").
        bool seen = false;
        for (const char *p = folded; p < w && !seen;) {
            const char *pe = strchr(p, ' ');
            size_t pn = s_token_len(p, (size_t)(pe - p));
            seen = pn == tn && memcmp(p, w, tn) == 0;
            p = pe + 1;
        }
        if (!seen)
            rc = s_entry(ctx, "p_name", w, tn, rec->id, add);
        w = end ? end + 1 : w + n;
    }
    explicit_bzero(folded, sizeof folded);
    return rc;
}

/*  Every entry of rec, added or removed. */
static int s_entries(sm_ctx_t *ctx, const record_t *rec, bool add)
{
    const participant_t *p = &rec->p;
    uint64_t id = rec->id;
    int rc = s_name_entries(ctx, rec, add);
    if (rc == 0 && p->email[0]) {
        char mail[PARTICIPANT_EMAIL_SIZE];
        snprintf(mail, sizeof mail, "%s", p->email);
        sm_ascii_lower(mail);
        rc = s_entry(ctx, "p_email", mail, strlen(mail), id, add);
        explicit_bzero(mail, sizeof mail);
    }
    if (rc == 0 && p->phone[0])
        rc = s_entry(ctx, "p_phone", p->phone, strlen(p->phone), id, add);
    for (size_t i = 0; rc == 0 && i < p->target_groups_count; i++)
        rc = s_entry(ctx, "p_group", p->target_groups[i], strlen(p->target_groups[i]), id, add);
    for (int i = 0; rc == 0 && i < PARTICIPANT_LABEL_COUNT; i++)
        if (p->labels & (1u << i)) {
            const char *l = participant_label_name(i);
            rc = s_entry(ctx, "p_label", l, strlen(l), id, add);
        }
    if (rc == 0 && p->municipality[0])
        rc = s_entry(ctx, "p_muni", p->municipality, strlen(p->municipality), id, add);
    for (size_t i = 0; rc == 0 && i < p->experience_themes_count; i++)
        rc = s_entry(ctx, "p_theme", p->experience_themes[i], strlen(p->experience_themes[i]), id,
                     add);
    if (rc == 0 && p->channel[0])
        rc = s_entry(ctx, "p_channel", p->channel, strlen(p->channel), id, add);
    if (rc == 0)
        rc = s_entry(ctx, "p_consent", p->consent ? "yes" : "no", p->consent ? 3 : 2, id, add);
    if (rc == 0) {
        const char *st = record_status(rec);
        rc = s_entry(ctx, "p_status", st, strlen(st), id, add);
    }
    if (rc == 0 && rec->newsletter)
        rc = s_entry(ctx, "p_newsletter", PINDEX_NEWSLETTER_PREFIX,
                     strlen(PINDEX_NEWSLETTER_PREFIX), id, add);
    if (rc == 0 && rec->newsletter_token[0])
        rc = s_entry(ctx, "p_token", rec->newsletter_token, strlen(rec->newsletter_token), id,
                     add);
    return rc;
}

int pindex_add(sm_ctx_t *ctx, const record_t *rec)
{
    return s_entries(ctx, rec, true);
}

int pindex_remove(sm_ctx_t *ctx, const record_t *rec)
{
    return s_entries(ctx, rec, false);
}

/* ==== Lookups ============================================================ */

int pindex_holder(sm_ctx_t *ctx, const char *db, const char *value, uint64_t except,
                  uint64_t *id)
{
    uint8_t key[S_MAX_KEY];
    size_t n = strlen(value);
    if (s_key(value, n, 0, key) == 0)
        return 0;
    MDB_cursor *cur;
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, db), &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read index %s"), db);
    MDB_val k = {n + 9, key}, v;
    int found = 0;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 && !found;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != n + 9 || memcmp(k.mv_data, key, n + 1) != 0)
            break;
        uint64_t who = sm_key_u64_decode((const uint8_t *)k.mv_data + n + 1);
        if (who != except) {
            *id = who;
            found = 1;
        }
    }
    mdb_cursor_close(cur);
    explicit_bzero(key, sizeof key);
    return found;
}

uint64_t pindex_count(sm_ctx_t *ctx, const char *db, const char *value)
{
    uint8_t key[S_MAX_KEY];
    size_t n = strlen(value);
    if (s_key(value, n, 0, key) == 0)
        return 0;
    MDB_cursor *cur;
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, db), &cur) != 0)
        return 0;
    MDB_val k = {n + 9, key}, v;
    uint64_t count = 0;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != n + 9 || memcmp(k.mv_data, key, n + 1) != 0)
            break;
        count++;
    }
    mdb_cursor_close(cur);
    return count;
}

/* ==== Find =============================================================== */

/*  A filter: an index value (cursor) or a sorted list of IDs (name). */
typedef struct {
    MDB_cursor *cur;
    uint8_t prefix[S_MAX_KEY];
    size_t plen; /*  value and its NUL */
    uint64_t *ids;
    size_t nids;
} s_source_t;

/*  The first participant >= from that the source holds. Returns 1 with
    *out set, 0 when there is none. */
static int s_seek(s_source_t *s, uint64_t from, uint64_t *out)
{
    if (s->ids) {
        size_t lo = 0, hi = s->nids;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (s->ids[mid] < from)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == s->nids)
            return 0;
        *out = s->ids[lo];
        return 1;
    }
    uint8_t key[S_MAX_KEY];
    memcpy(key, s->prefix, s->plen);
    sm_key_u64(from, key + s->plen);
    MDB_val k = {s->plen + 8, key}, v;
    if (mdb_cursor_get(s->cur, &k, &v, MDB_SET_RANGE) != 0 || k.mv_size != s->plen + 8 ||
        memcmp(k.mv_data, s->prefix, s->plen) != 0)
        return 0;
    *out = sm_key_u64_decode((const uint8_t *)k.mv_data + s->plen);
    return 1;
}

static int s_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/*  Collect the participants having a name word that starts with word[0..n)
    into s->ids, sorted and unique. Returns 0 or -1 (ctx error). */
static int s_name_source(sm_ctx_t *ctx, const char *word, size_t n, s_source_t *s)
{
    MDB_cursor *cur;
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, "p_name"), &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read the name index"));
    size_t cap = 256;
    s->ids = malloc(cap * sizeof *s->ids);
    s->nids = 0;
    int rc = s->ids ? 0 : sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    MDB_val k = {n, (void *)word}, v;
    for (int mrc = rc ? -1 : mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size < n + 9 || memcmp(k.mv_data, word, n) != 0)
            break;
        if (s->nids == cap) {
            uint64_t *more = realloc(s->ids, 2 * cap * sizeof *more);
            if (!more) {
                rc = sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
                break;
            }
            s->ids = more;
            cap *= 2;
        }
        s->ids[s->nids++] = sm_key_u64_decode((const uint8_t *)k.mv_data + k.mv_size - 8);
    }
    mdb_cursor_close(cur);
    if (rc == 0 && s->nids) {
        qsort(s->ids, s->nids, sizeof *s->ids, s_cmp_u64);
        size_t u = 1;
        for (size_t i = 1; i < s->nids; i++)
            if (s->ids[i] != s->ids[u - 1])
                s->ids[u++] = s->ids[i];
        s->nids = u;
    }
    //  An empty list must still read as a list (that matches nobody).
    if (rc == 0 && !s->ids)
        rc = sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    return rc;
}

/*  True when every word of query starts some word of the folded name. */
static bool s_name_matches(const char *query, const char *name)
{
    char folded[PINDEX_QUERY_SIZE];
    if (!name[0] || pii_fold_words(name, strlen(name), folded, sizeof folded) <= 0)
        return false;
    bool all = true;
    for (const char *q = query; *q && all;) {
        const char *qe = strchr(q, ' ');
        size_t qn = qe ? (size_t)(qe - q) : strlen(q);
        bool found = false;
        for (const char *w = folded; *w && !found;) {
            const char *we = strchr(w, ' ');
            size_t wn = we ? (size_t)(we - w) : strlen(w);
            found = wn >= qn && memcmp(w, q, qn) == 0;
            w = we ? we + 1 : w + wn;
        }
        all = found;
        q = qe ? qe + 1 : q + qn;
    }
    explicit_bzero(folded, sizeof folded);
    return all;
}

/*  Walk all participants from `from` on (no filter): the next number >= from. */
static int s_next_any(MDB_cursor *cur, uint64_t from, uint64_t *out)
{
    uint8_t key[8];
    sm_key_u64(from, key);
    MDB_val k = {8, key}, v;
    if (mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE) != 0 || k.mv_size != 8)
        return 0;
    *out = sm_key_u64_decode(k.mv_data);
    return 1;
}

long pindex_find(sm_ctx_t *ctx, const pindex_query_t *q, pindex_fn *fn, void *arg, bool *more)
{
    static const char *const dbs[] = {"p_group",   "p_label",   "p_muni",  "p_theme",
                                      "p_channel", "p_status",  "p_email", "p_phone"};
    const char *values[] = {q->target_group, q->label,  q->municipality, q->theme,
                            q->channel,      q->status, q->email,        q->phone};
    s_source_t src[14]; /*  8 index filters, consent, and up to 5 name words */
    size_t nsrc = 0;
    long found = 0;
    int rc = 0;
    MDB_cursor *all = NULL;
    record_t *rec = malloc(sizeof *rec);
    *more = false;
    memset(src, 0, sizeof src);
    if (!rec)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    for (size_t i = 0; i < sizeof dbs / sizeof dbs[0] && rc == 0; i++) {
        if (!values[i])
            continue;
        s_source_t *s = &src[nsrc++];
        size_t n = strlen(values[i]);
        if (n + 9 > S_MAX_KEY) {
            rc = sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, NULL, _("a filter value is too long"));
            break;
        }
        memcpy(s->prefix, values[i], n);
        s->prefix[n] = '\0';
        s->plen = n + 1;
        if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, dbs[i]), &s->cur) != 0)
            rc = sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read index %s"), dbs[i]);
    }
    if (rc == 0 && q->consent >= 0) {
        s_source_t *s = &src[nsrc++];
        const char *v = q->consent ? "yes" : "no";
        s->plen = strlen(v) + 1;
        memcpy(s->prefix, v, s->plen);
        if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, "p_consent"), &s->cur) != 0)
            rc = sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read the consent index"));
    }
    //  Each word of the name query is a source of its own (as many as fit
    //  in src; the record check covers any further ones), so that
    //  "jan bak" costs the people having both, not everyone called Jan.
    for (const char *w = q->name; rc == 0 && w && *w && nsrc < sizeof src / sizeof src[0];) {
        const char *we = strchr(w, ' ');
        size_t n = we ? (size_t)(we - w) : strlen(w);
        rc = s_name_source(ctx, w, s_token_len(w, n), &src[nsrc++]);
        w = we ? we + 1 : w + n;
    }
    if (rc == 0 && mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB_PARTICIPANTS), &all) != 0)
        rc = sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read the address file"));

    uint64_t cand = q->after + 1;
    while (rc == 0 && cand != 0) {
        //  Leapfrog: move the candidate up until every source holds it.
        bool agreed = false, exhausted = false;
        while (!agreed && !exhausted) {
            agreed = true;
            for (size_t i = 0; i < nsrc; i++) {
                uint64_t at;
                if (!s_seek(&src[i], cand, &at)) {
                    exhausted = true;
                    break;
                }
                if (at != cand) {
                    cand = at;
                    agreed = false;
                }
            }
            if (!exhausted && agreed) {
                uint64_t at;
                if (!s_next_any(all, cand, &at))
                    exhausted = true;
                else if (at != cand) {
                    cand = at;
                    agreed = false;
                }
            }
        }
        if (exhausted)
            break;
        int got = participant_load(ctx, cand, rec);
        if (got < 0) {
            rc = -1;
            break;
        }
        bool match = got == 1 && (q->status || !rec->erased) &&
                     (!q->name || !q->name[0] || s_name_matches(q->name, rec->p.name));
        if (match) {
            if ((size_t)found == q->limit) {
                *more = true;
                break;
            }
            found++;
            if (fn && fn(ctx, rec, arg) != 0) {
                rc = -1;
                break;
            }
        }
        cand++;
    }
    for (size_t i = 0; i < nsrc; i++) {
        if (src[i].cur)
            mdb_cursor_close(src[i].cur);
        free(src[i].ids);
    }
    if (all)
        mdb_cursor_close(all);
    explicit_bzero(rec, sizeof *rec);
    free(rec);
    return rc ? -1 : found;
}
