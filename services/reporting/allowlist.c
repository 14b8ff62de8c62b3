/*  services/reporting/allowlist.c - texts allowed in every report of this
    deployment. See allowlist.h. */
#include "allowlist.h"
#include "../../common/log.h"
#include "../../common/text.h"
#include "common/i18n.h"
#include "common/record.h"
#include "report_rules.h"
#include <stdlib.h>
#include <string.h>

#define DB_ALLOWLIST "allowlist"

/* ==== Reading ============================================================== */

void allowlist_free(allowlist_t *a)
{
    for (size_t i = 0; a->texts && i < a->n; i++)
        free(a->texts[i]);
    free(a->texts);
    a->texts = NULL;
    a->n = 0;
}

/*  Visit every stored entry in key order: fn(entry map, key, data) until it
    returns non-zero. Returns 0, fn's non-zero result, or -1 (ctx error). */
static int s_each(sm_ctx_t *ctx, int (*fn)(const msgpack_object *e, void *data), void *data)
{
    MDB_cursor *cur;
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB_ALLOWLIST), &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read the allow list"));
    MDB_val k, v;
    int rc = 0;
    for (int mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0 && rc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        sm_doc_t *doc = sm_doc_parse(v.mv_data, v.mv_size, NULL);
        if (!doc)
            continue; /*  a damaged entry allows nothing */
        rc = fn(sm_doc_root(doc), data);
        sm_doc_destroy(&doc);
    }
    mdb_cursor_close(cur);
    return rc;
}

/*  s_each callback: append the entry's text to the allowlist_t data. */
static int s_collect(const msgpack_object *e, void *data)
{
    allowlist_t *a = data;
    char *text = sm_rec_strdup(e, "text");
    if (!text)
        return 0;
    char **texts = realloc(a->texts, (a->n + 1) * sizeof *texts);
    if (!texts) {
        free(text);
        return -1;
    }
    a->texts = texts;
    a->texts[a->n++] = text;
    return 0;
}

int allowlist_load(sm_ctx_t *ctx, allowlist_t *out)
{
    memset(out, 0, sizeof *out);
    int rc = s_each(ctx, s_collect, out);
    if (rc == 0)
        return 0;
    allowlist_free(out);
    if (rc > 0 || !sm_ctx_err(ctx)->code)
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory reading the allow list"));
    return -1;
}

/* ==== Requests ============================================================= */

/*  The "text" argument (declared 1..ALLOWLIST_TEXT_MAX characters; the
    bytes are checked here) and its allow key. Returns the text, or NULL
    (ctx error). */
static const char *s_text_arg(sm_ctx_t *ctx, char key[ALLOWLIST_TEXT_MAX + 1])
{
    const char *text = sm_arg_str(ctx, "text");
    if (!text || strlen(text) > ALLOWLIST_TEXT_MAX) {
        sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "text",
                    _("text is longer than %d bytes; give the text as the reports write it"),
                    ALLOWLIST_TEXT_MAX);
        return NULL;
    }
    if (report_allow_key(text, key, ALLOWLIST_TEXT_MAX + 1) == 0) {
        sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "text",
                    _("text is only white space; give the text to allow in every report, e.g. "
                      "the alderman's name as the reports write it"));
        return NULL;
    }
    return text;
}

int op_allowlist_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    char key[ALLOWLIST_TEXT_MAX + 1];
    const char *text = s_text_arg(ctx, key), *note = sm_arg_str(ctx, "note");
    if (!text)
        return -1;
    if (note && strlen(note) > ALLOWLIST_NOTE_MAX)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "note",
                           _("note is longer than %d bytes; say briefly why the text is allowed"),
                           ALLOWLIST_NOTE_MAX);
    MDB_dbi dbi = sm_ctx_dbi(ctx, DB_ALLOWLIST);
    MDB_val old;
    int found = sm_ctx_get(ctx, dbi, key, strlen(key), &old);
    if (found < 0)
        return -1;
    if (found)
        return sm_ctx_fail(ctx, SM_E_ALREADY_EXISTS, "text",
                           _("this text is already allowed in every report (report allowlist "
                             "shows it); remove it first to change its note"));
    if (sm_rec_count(ctx, DB_ALLOWLIST) >= ALLOWLIST_MAX)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, "text",
                           _("the allow list holds %d texts, the most it takes; remove one that is "
                             "no longer needed first"),
                           ALLOWLIST_MAX);
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 3);
    sm_pack_kv_str(&b.pk, "text", text);
    sm_pack_kv_str(&b.pk, "note", note && *note ? note : NULL);
    sm_rec_pack_date(&b.pk, "added_on", true, sm_date_today());
    int rc = sm_ctx_put(ctx, dbi, key, strlen(key), b.sbuf.data, b.sbuf.size);
    sm_buf_free(&b);
    if (rc != 0)
        return -1;
    //  The text is a name: neither the reply (kept for a retried request
    //  id) nor the log repeats it.
    uint64_t entries = sm_rec_count(ctx, DB_ALLOWLIST);
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 2);
    sm_pack_kv_uint(pk, "entries", entries);
    sm_rec_pack_date(pk, "added_on", true, sm_date_today());
    sm_info("allow list entry added", "entries=%llu", (unsigned long long)entries);
    return 0;
}

int op_allowlist_remove(sm_ctx_t *ctx, const msgpack_object *args)
{
    char key[ALLOWLIST_TEXT_MAX + 1];
    const char *text = s_text_arg(ctx, key);
    if (!text)
        return -1;
    MDB_dbi dbi = sm_ctx_dbi(ctx, DB_ALLOWLIST);
    MDB_val old;
    int found = sm_ctx_get(ctx, dbi, key, strlen(key), &old);
    if (found < 0)
        return -1;
    if (!found)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "text",
                           _("this text is not on the allow list; report allowlist shows what is"));
    if (sm_ctx_del(ctx, dbi, key, strlen(key)) != 0)
        return -1;
    uint64_t entries = sm_rec_count(ctx, DB_ALLOWLIST);
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 1);
    sm_pack_kv_uint(pk, "entries", entries);
    sm_info("allow list entry removed", "entries=%llu", (unsigned long long)entries);
    return 0;
}

typedef struct {
    msgpack_packer *pk;
    bool personal; /*  the caller sees the texts */
} s_packing_t;

/*  s_each callback: pack the entry {text, note, added_on} on the
    s_packing_t data, its text and note only for a caller who sees
    personal fields. */
static int s_pack_entry(const msgpack_object *e, void *data)
{
    const s_packing_t *p = data;
    char text[ALLOWLIST_TEXT_MAX + 1], note[ALLOWLIST_NOTE_MAX + 1];
    sm_date_t added;
    bool has_added = sm_rec_date(e, "added_on", &added);
    msgpack_pack_map(p->pk, 3);
    sm_pack_kv_str(p->pk, "text", p->personal ? sm_rec_str(e, "text", text, sizeof text) : NULL);
    sm_pack_kv_str(p->pk, "note",
                   p->personal && sm_rec_str(e, "note", note, sizeof note)[0] ? note : NULL);
    sm_rec_pack_date(p->pk, "added_on", has_added, added);
    return 0;
}

int op_allowlist_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 1);
    sm_pack_str(pk, "allowed");
    //  Count the entries that decode, so the array's size is right.
    size_t good = 0;
    MDB_cursor *cur;
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB_ALLOWLIST), &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read the allow list"));
    MDB_val k, v;
    for (int mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        sm_doc_t *doc = sm_doc_parse(v.mv_data, v.mv_size, NULL);
        good += doc != NULL;
        sm_doc_destroy(&doc);
    }
    mdb_cursor_close(cur);
    msgpack_pack_array(pk, good);
    s_packing_t packing = {pk, sm_ctx_sees_personal(ctx)};
    return s_each(ctx, s_pack_entry, &packing) == 0 ? 0 : -1;
}
