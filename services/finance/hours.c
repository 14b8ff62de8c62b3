/*  services/finance/hours.c - hours worked, per person, per week, per
    budget line. See hours.h. */
#include "hours.h"
#include "budget_line.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/record.h"
#include "common/text.h"
#include "hours_rules.h"
#include <stdio.h>
#include <string.h>

#define DB "hours"
#define DB_PERSONS "hours_persons"
#define DB_KEYS "hours_keys"
#define DB_BY_LINE "hours_by_line"
#define DB_BY_WEEK "hours_by_person_week"

/*  Room for a person's key: HOURS_PERSON_MAX characters of UTF-8. */
#define S_PERSON_KEY_SIZE (4 * HOURS_PERSON_MAX + 1)

/* ==== Persons ============================================================ */

/*  The person's key: the text with ASCII letters lower-cased, so that "AB"
    and "ab" are one person. Returns its length. */
static size_t s_person_key(const char *person, char key[S_PERSON_KEY_SIZE])
{
    snprintf(key, S_PERSON_KEY_SIZE, "%s", person);
    sm_ascii_lower(key);
    return strlen(key);
}

/*  The person's number (1, 2, ...), allocated on first sight when create
    is true. Returns 1 with *n, 0 unknown (create false), -1 on error. */
static int s_person_number(sm_ctx_t *ctx, const char *person, bool create, uint64_t *n)
{
    char key[S_PERSON_KEY_SIZE];
    size_t klen = s_person_key(person, key);
    MDB_dbi dbi = sm_ctx_dbi(ctx, DB_PERSONS);
    MDB_val v;
    int rc = sm_ctx_get(ctx, dbi, key, klen, &v);
    if (rc < 0)
        return -1;
    if (rc > 0) {
        if (v.mv_size != 8)
            return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("the hours' person index is damaged"));
        *n = sm_key_u64_decode(v.mv_data);
        return 1;
    }
    if (!create)
        return 0;
    /*  Numbers are never given back, so the next is one more than the count. */
    *n = sm_rec_count(ctx, DB_PERSONS) + 1;
    uint8_t nk[8];
    sm_key_u64(*n, nk);
    return sm_ctx_put(ctx, dbi, key, klen, nk, 8) == 0 ? 1 : -1;
}

/* ==== Keys =============================================================== */

/*  The unique key's prefix of an entry: person, week, line, theme, session
    as five 8-byte numbers (40 bytes). Its first 16 bytes are the
    person-week, the prefix of the hours_by_person_week index (an index key
    is its prefix and an ID, nothing between: common/record.h). */
static void s_entry_prefix(uint64_t person, int64_t week_key, uint64_t line, uint64_t theme,
                           uint64_t session, uint8_t out[40])
{
    sm_key_u64(person, out);
    sm_key_u64((uint64_t)week_key, out + 8);
    sm_key_u64(line, out + 16);
    sm_key_u64(theme, out + 24);
    sm_key_u64(session, out + 32);
}

/*  Adding up one person's week. */
typedef struct {
    uint64_t except; /*  the entry being replaced: not counted */
    int64_t x100;
} s_week_sum_t;

/*  Add entry id's hours to the person's week. */
static int s_week_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_week_sum_t *w = arg;
    if (id == w->except)
        return 0;
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB, id, &doc);
    if (rc <= 0)
        return rc;
    w->x100 += sm_rec_int(sm_doc_root(doc), "hours_x100", 0);
    sm_doc_destroy(&doc);
    return 0;
}

/* ==== Ops ================================================================ */

int op_hours_record(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    const char *person = sm_arg_str(ctx, "person"), *note = sm_arg_str(ctx, "note");
    int64_t hours = sm_arg_int(ctx, "hours_x100", 0);
    uint64_t theme = sm_arg_id(ctx, "theme"), session = sm_arg_id(ctx, "session");
    hours_week_t w;
    line_rec_t l;
    if (hours_person_check(person, e) || hours_week_parse(sm_arg_str(ctx, "week"), &w, "week", e) ||
        line_require(ctx, "line", &l) || hours_week_fits(&l.line, l.year, w, e))
        return -1;
    uint64_t pn = 0, id = 0;
    uint8_t prefix[40];
    if (s_person_number(ctx, person, true, &pn) < 0)
        return -1;
    s_entry_prefix(pn, hours_week_key(w), l.id, theme, session, prefix);
    if (sm_idx_first(ctx, DB_KEYS, prefix, sizeof prefix, &id))
        return -1;
    s_week_sum_t ws = {.except = id};
    if (sm_idx_scan(ctx, DB_BY_WEEK, prefix, 16, 0, s_week_visit, &ws))
        return -1;
    char wb[16], h1[SM_L10N_NUMBER_SIZE], h2[SM_L10N_NUMBER_SIZE], h3[SM_L10N_NUMBER_SIZE];
    if (ws.x100 + hours > HOURS_WEEK_MAX_X100)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "hours_x100",
                           _("%1$s hours would make %2$s hours in %3$s for this person, who has "
                             "%4$s recorded there already; a week has 168 hours"),
                           hours_x100_words(hours, h1), hours_x100_words(ws.x100 + hours, h2),
                           hours_week_format(w, wb), hours_x100_words(ws.x100, h3));
    sm_doc_t *old = NULL;
    int64_t before = 0;
    if (id && sm_rec_require(ctx, DB, 'H', id, "person", "hours entry", "hours list", &old))
        return -1;
    if (old)
        before = sm_rec_int(sm_doc_root(old), "hours_x100", 0);
    char idb[24], lineb[24], thb[24], seb[24], today[11];
    sm_buf_t b;
    sm_buf_init(&b);
    int rc = -1;
    if (!id) {
        id = sm_ctx_next_id(ctx, 'H');
        if (id == 0)
            goto done;
        msgpack_pack_map(&b.pk, 13);
        sm_pack_kv_str(&b.pk, "id", sm_id_format('H', id, idb));
        sm_pack_kv_str(&b.pk, "person", person);
        sm_pack_kv_str(&b.pk, "week", hours_week_format(w, wb));
        sm_pack_kv_int(&b.pk, "week_key", hours_week_key(w));
        sm_pack_kv_int(&b.pk, "year", l.year);
        sm_pack_kv_str(&b.pk, "line", sm_id_format('L', l.id, lineb));
        sm_pack_kv_str(&b.pk, "theme", theme ? sm_id_format('T', theme, thb) : NULL);
        sm_pack_kv_str(&b.pk, "session", session ? sm_id_format('S', session, seb) : NULL);
        sm_pack_kv_int(&b.pk, "hours_x100", hours);
        sm_pack_kv_str(&b.pk, "note", note && note[0] ? note : NULL);
        sm_pack_kv_str(&b.pk, "recorded_on", sm_date_format(sm_date_today(), today));
        sm_pack_kv_nil(&b.pk, "updated_on");
        sm_pack_kv_nil(&b.pk, "replaced_hours_x100");
        uint8_t lk[8];
        sm_key_u64(l.id, lk);
        if (sm_rec_put(ctx, DB, id, &b) || sm_idx_put(ctx, DB_KEYS, prefix, sizeof prefix, id) ||
            sm_idx_put(ctx, DB_BY_WEEK, prefix, 16, id) || sm_idx_put(ctx, DB_BY_LINE, lk, 8, id))
            goto done;
    } else {
        /*  The same person, week, line, theme and session: a correction. */
        sm_id_format('H', id, idb);
        sm_ctx_audit_id(ctx, idb);
        msgpack_pack_map(&b.pk, note ? 4 : 3);
        sm_pack_kv_int(&b.pk, "hours_x100", hours);
        sm_pack_kv_str(&b.pk, "updated_on", sm_date_format(sm_date_today(), today));
        sm_pack_kv_int(&b.pk, "replaced_hours_x100", before);
        if (note)
            sm_pack_kv_str(&b.pk, "note", note[0] ? note : NULL);
        if (sm_rec_update(ctx, DB, id, sm_doc_root(old), &b, NULL))
            goto done;
    }
    if (line_hours_add(ctx, l.id, hours - before))
        goto done;
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "finance.hours.recorded");
    msgpack_pack_map(pk, 7);
    sm_pack_kv_str(pk, "id", idb);
    sm_pack_kv_str(pk, "line", sm_id_format('L', l.id, lineb));
    sm_pack_kv_int(pk, "year", l.year);
    sm_pack_kv_str(pk, "week", hours_week_format(w, wb));
    sm_pack_kv_str(pk, "theme", theme ? sm_id_format('T', theme, thb) : NULL);
    sm_pack_kv_str(pk, "session", session ? sm_id_format('S', session, seb) : NULL);
    sm_pack_kv_int(pk, "hours_x100", hours);
    if (sm_ctx_event_end(ctx))
        goto done;
    /*  The reply: the entry as stored, and the person's week. */
    sm_doc_t *now = NULL;
    if (sm_rec_get(ctx, DB, id, &now) <= 0)
        goto done;
    sm_buf_t upd;
    sm_buf_init(&upd);
    msgpack_pack_map(&upd.pk, 1);
    sm_pack_kv_int(&upd.pk, "person_week_hours_x100", ws.x100 + hours);
    sm_doc_t *u = sm_doc_parse(upd.sbuf.data, upd.sbuf.size, e);
    if (u) {
        sm_rec_merge(sm_ctx_reply(ctx), sm_doc_root(now), sm_doc_root(u));
        rc = 0;
    }
    sm_doc_destroy(&u);
    sm_buf_free(&upd);
    sm_doc_destroy(&now);
done:
    sm_buf_free(&b);
    sm_doc_destroy(&old);
    return rc;
}

/*  Listing entries: the filters and the page. */
typedef struct {
    char person_key[S_PERSON_KEY_SIZE]; /*  "" for anyone */
    int64_t year;                       /*  0 for any */
    uint64_t line, theme, session;      /*  0 for any */
    int64_t left, packed, total_x100;
    uint64_t last;
    bool more;
    sm_buf_t items;
} s_list_t;

/*  Pack entry id when it passes the filters; stops (1) past the page. */
static int s_list_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_list_t *l = arg;
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB, id, &doc);
    if (rc <= 0)
        return rc;
    const msgpack_object *r = sm_doc_root(doc);
    char person[S_PERSON_KEY_SIZE], key[S_PERSON_KEY_SIZE];
    sm_rec_str(r, "person", person, sizeof person);
    s_person_key(person, key);
    bool pass = (!l->person_key[0] || strcmp(key, l->person_key) == 0) &&
                (!l->year || sm_rec_int(r, "year", 0) == l->year) &&
                (!l->line || sm_rec_id(r, "line", 'L') == l->line) &&
                (!l->theme || sm_rec_id(r, "theme", 'T') == l->theme) &&
                (!l->session || sm_rec_id(r, "session", 'S') == l->session);
    if (pass && l->left == 0) {
        l->more = true;
        sm_doc_destroy(&doc);
        return 1;
    }
    if (pass) {
        sm_pack_obj(&l->items.pk, r);
        l->total_x100 += sm_rec_int(r, "hours_x100", 0);
        l->left--;
        l->packed++;
        l->last = id;
    }
    sm_doc_destroy(&doc);
    return 0;
}

int op_hours_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_list_t l;
    memset(&l, 0, sizeof l);
    l.left = sm_arg_int(ctx, "limit", 100);
    l.year = sm_arg_int(ctx, "year", 0);
    l.line = sm_arg_id(ctx, "line");
    l.theme = sm_arg_id(ctx, "theme");
    l.session = sm_arg_id(ctx, "session");
    if (sm_arg_has(ctx, "person"))
        s_person_key(sm_arg_str(ctx, "person"), l.person_key);
    sm_buf_init(&l.items);
    uint64_t after = sm_arg_id(ctx, "after");
    int rc;
    if (l.line) {
        uint8_t lk[8];
        sm_key_u64(l.line, lk);
        rc = sm_idx_scan(ctx, DB_BY_LINE, lk, 8, after, s_list_visit, &l);
    } else
        rc = sm_rec_scan(ctx, DB, after, s_list_visit, &l);
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        char next[24];
        msgpack_pack_map(pk, 3);
        sm_pack_str(pk, "hours");
        msgpack_pack_array(pk, (size_t)l.packed);
        sm_pack_raw(pk, l.items.sbuf.data, l.items.sbuf.size);
        sm_pack_kv_int(pk, "total_hours_x100", l.total_x100);
        sm_pack_kv_str(pk, "next", l.more ? sm_id_format('H', l.last, next) : NULL);
    }
    sm_buf_free(&l.items);
    return rc;
}
