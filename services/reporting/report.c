/*  services/reporting/report.c - session reports: the requests. See report.h. */
#include "report.h"
#include "../../common/client.h"
#include "../../common/log.h"
#include "allowlist.h"
#include "common/i18n.h"
#include "common/record.h"
#include "dataset.h"
#include "markdown.h"
#include "mirror.h"
#include "reaction.h"
#include "report_rules.h"
#include "settings.h"
#include "youth_report.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DB_REPORTS "reports"
#define DB_VERSIONS "report_versions"
#define DB_BY_SESSION "reports_by_session"
#define DB_RECIPIENTS "report_recipients"

/*  Matches listed in the details of a refused publication. */
#define S_DETAILS_MAX 100
/*  Rows per report.list page when the request does not say. */
#define S_LIST_DEFAULT 100

/* ==== Stored forms ======================================================== */

typedef struct {
    uint64_t id, session, theme;
    int version;           //  the newest version
    report_state_t state;  //  of the newest version
    int published_version; //  the newest published (or sent) version; 0: none
    bool has_first_published, has_first_sent;
    sm_date_t first_published_on, first_sent_on;
} s_head_t;

typedef struct {
    report_t r; //  r.text and r.note point at text and note
    char *text, *note;
    char session_id[24];
    int64_t drafted_ms;
    sm_doc_t *doc; //  the stored record (for its allowed list); may be NULL
} s_version_t;

/*  Free what a loaded version owns and empty it. Safe on an empty one. */
static void s_version_free(s_version_t *v)
{
    free(v->text);
    free(v->note);
    sm_doc_destroy(&v->doc);
    memset(v, 0, sizeof *v);
}

/*  Pack the stored form of a report's head. Can't fail. */
static void s_head_encode(const s_head_t *h, msgpack_packer *pk)
{
    msgpack_pack_map(pk, 8);
    sm_rec_pack_id(pk, "id", 'R', h->id);
    sm_rec_pack_id(pk, "session", 'S', h->session);
    sm_rec_pack_id(pk, "theme", 'T', h->theme);
    sm_pack_kv_int(pk, "version", h->version);
    sm_pack_kv_str(pk, "state", report_state_name(h->state));
    sm_pack_kv_int(pk, "published_version", h->published_version);
    sm_rec_pack_date(pk, "first_published_on", h->has_first_published, h->first_published_on);
    sm_rec_pack_date(pk, "first_sent_on", h->has_first_sent, h->first_sent_on);
}

/*  Fill h from a stored head; unknown or missing fields get defaults. */
static void s_head_decode(const msgpack_object *r, uint64_t id, s_head_t *h)
{
    char state[16];
    memset(h, 0, sizeof *h);
    h->id = id;
    h->session = sm_rec_id(r, "session", 'S');
    h->theme = sm_rec_id(r, "theme", 'T');
    h->version = (int)sm_rec_int(r, "version", 1);
    if (report_state_parse(sm_rec_str(r, "state", state, sizeof state), &h->state, "state", NULL))
        h->state = REPORT_DRAFT;
    h->published_version = (int)sm_rec_int(r, "published_version", 0);
    h->has_first_published = sm_rec_date(r, "first_published_on", &h->first_published_on);
    h->has_first_sent = sm_rec_date(r, "first_sent_on", &h->first_sent_on);
}

/*  Returns 1 found, 0 not found, -1 (ctx error). */
static int s_head_get(sm_ctx_t *ctx, uint64_t id, s_head_t *h)
{
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB_REPORTS, id, &doc);
    if (rc <= 0)
        return rc;
    s_head_decode(sm_doc_root(doc), id, h);
    sm_doc_destroy(&doc);
    return 1;
}

int report_head(sm_ctx_t *ctx, uint64_t id, report_head_t *out)
{
    s_head_t h;
    int rc = s_head_get(ctx, id, &h);
    memset(out, 0, sizeof *out);
    if (rc <= 0)
        return rc;
    out->id = h.id;
    out->session = h.session;
    out->theme = h.theme;
    out->published = h.has_first_published;
    out->first_published_on = h.first_published_on;
    return 1;
}

/*  Store h. Returns 0 or -1 (ctx error). */
static int s_head_put(sm_ctx_t *ctx, const s_head_t *h)
{
    sm_buf_t b;
    sm_buf_init(&b);
    s_head_encode(h, &b.pk);
    int rc = sm_rec_put(ctx, DB_REPORTS, h->id, &b);
    sm_buf_free(&b);
    return rc;
}

/*  Store version v of report id; allowed (a list object or NULL) is the
    list of match texts confirmed at publishing. Returns 0 or -1. */
static int s_version_put(sm_ctx_t *ctx, uint64_t id, const s_version_t *v,
                         const msgpack_object *allowed)
{
    const report_t *r = &v->r;
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 10);
    sm_pack_kv_int(&b.pk, "version", r->version);
    sm_pack_kv_int(&b.pk, "previous_version", r->previous_version);
    sm_pack_kv_str(&b.pk, "state", report_state_name(r->state));
    sm_pack_kv_str(&b.pk, "text", r->text);
    sm_pack_kv_str(&b.pk, "note", r->note);
    sm_rec_pack_date(&b.pk, "approved_on", r->state >= REPORT_APPROVED, r->approved_on);
    sm_rec_pack_date(&b.pk, "published_on", r->state >= REPORT_PUBLISHED, r->published_on);
    sm_rec_pack_date(&b.pk, "sent_on", r->state >= REPORT_SENT, r->sent_on);
    sm_pack_str(&b.pk, "allowed");
    if (allowed)
        sm_pack_obj(&b.pk, allowed);
    else
        msgpack_pack_array(&b.pk, 0);
    sm_pack_kv_int(&b.pk, "drafted_ms", v->drafted_ms);
    uint8_t key[16];
    sm_key_pair(id, (uint64_t)r->version, key);
    int rc =
        sm_ctx_put(ctx, sm_ctx_dbi(ctx, DB_VERSIONS), key, sizeof key, b.sbuf.data, b.sbuf.size);
    sm_buf_free(&b);
    return rc;
}

/*  Load version ver of report h. Returns 1, 0 (no such version) or -1. */
static int s_version_get(sm_ctx_t *ctx, const s_head_t *h, int ver, s_version_t *v)
{
    uint8_t k[16];
    MDB_val val;
    memset(v, 0, sizeof *v);
    sm_key_pair(h->id, (uint64_t)ver, k);
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB_VERSIONS), k, sizeof k, &val);
    if (rc <= 0)
        return rc;
    v->doc = sm_doc_parse(val.mv_data, val.mv_size, NULL);
    if (!v->doc)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("a stored report version does not decode"));
    const msgpack_object *o = sm_doc_root(v->doc);
    char state[16];
    sm_id_format('S', h->session, v->session_id);
    v->text = sm_rec_strdup(o, "text");
    v->note = sm_rec_strdup(o, "note");
    if (!v->text) {
        s_version_free(v);
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("a stored report version has no text"));
    }
    v->r.session_id = v->session_id;
    v->r.version = (int)sm_rec_int(o, "version", ver);
    v->r.previous_version = (int)sm_rec_int(o, "previous_version", 0);
    if (report_state_parse(sm_rec_str(o, "state", state, sizeof state), &v->r.state, "state", NULL))
        v->r.state = REPORT_DRAFT;
    v->r.text = v->text;
    v->r.note = v->note;
    sm_rec_date(o, "approved_on", &v->r.approved_on);
    sm_rec_date(o, "published_on", &v->r.published_on);
    sm_rec_date(o, "sent_on", &v->r.sent_on);
    v->drafted_ms = sm_rec_int(o, "drafted_ms", 0);
    return 1;
}

/*  Load the head of the report the "report" argument names. Returns 1
    found, 0 not found (*id set; the caller lets the rule refuse with
    not_found), -1 error (ctx error set). */
static int s_load(sm_ctx_t *ctx, s_head_t *h, char id[24])
{
    uint64_t n = sm_arg_id(ctx, "report");
    sm_id_format('R', n, id);
    return s_head_get(ctx, n, h);
}

/*  The day a dated step happened: the "date" argument, or today. */
static sm_date_t s_date_arg(sm_ctx_t *ctx, sm_date_t today)
{
    sm_date_t on;
    return sm_arg_date(ctx, "date", &on) ? on : today;
}

/*  Emit topic with {id, session, theme} plus version (when not 0) and a
    date field (when date_key). Returns 0 or -1 (ctx error). */
static int s_emit(sm_ctx_t *ctx, const char *topic, const s_head_t *h, int version,
                  const char *date_key, sm_date_t date)
{
    msgpack_packer *pk = sm_ctx_event_begin(ctx, topic);
    msgpack_pack_map(pk, (version ? 4 : 3) + (date_key ? 1 : 0));
    sm_rec_pack_id(pk, "id", 'R', h->id);
    sm_rec_pack_id(pk, "session", 'S', h->session);
    sm_rec_pack_id(pk, "theme", 'T', h->theme);
    if (version)
        sm_pack_kv_int(pk, "version", version);
    if (date_key)
        sm_rec_pack_date(pk, date_key, true, date);
    return sm_ctx_event_end(ctx);
}

/* ==== Who received it (intake.mail.sent of kind report) ==================== */

/*  Pack the participants report id was mailed to, as
    [{participant, sent_on, mail}], in participant order. Can't fail (a
    row that cannot be read is left out). */
static void s_pack_recipients(sm_ctx_t *ctx, uint64_t id, msgpack_packer *pk)
{
    uint8_t prefix[8];
    uint64_t *ps = NULL;
    sm_key_u64(id, prefix);
    long n = sm_idx_list(ctx, DB_RECIPIENTS, prefix, 8, &ps);
    sm_err_clear(sm_ctx_err(ctx));
    msgpack_pack_array(pk, n > 0 ? (size_t)n : 0);
    for (long i = 0; i < n; i++) {
        uint8_t key[16];
        MDB_val v;
        sm_key_pair(id, ps[i], key);
        sm_doc_t *d = NULL;
        if (sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB_RECIPIENTS), key, sizeof key, &v) == 1)
            d = sm_doc_parse(v.mv_data, v.mv_size, NULL);
        char on[16] = "", mail[24] = "";
        if (d) {
            sm_rec_str(sm_doc_root(d), "sent_on", on, sizeof on);
            sm_rec_str(sm_doc_root(d), "mail", mail, sizeof mail);
        }
        msgpack_pack_map(pk, 3);
        sm_rec_pack_id(pk, "participant", 'P', ps[i]);
        sm_pack_kv_str(pk, "sent_on", on[0] ? on : NULL);
        sm_pack_kv_str(pk, "mail", mail[0] ? mail : NULL);
        sm_doc_destroy(&d);
    }
    free(ps);
}

/*  The reply for one version: header fields, the version's fields, and
    (with_text) its Markdown, its HTML and the allowed list. */
static int s_reply(sm_ctx_t *ctx, const s_head_t *h, const s_version_t *v, bool with_text)
{
    char *html = NULL;
    if (with_text) {
        html = markdown_to_html(v->r.text, strlen(v->r.text));
        if (!html)
            return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL,
                               _("out of memory rendering the report; try again later"));
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 15 + (with_text ? 4 : 0));
    sm_rec_pack_id(pk, "id", 'R', h->id);
    sm_rec_pack_id(pk, "session", 'S', h->session);
    sm_rec_pack_id(pk, "theme", 'T', h->theme);
    sm_pack_kv_int(pk, "version", v->r.version);
    sm_pack_kv_int(pk, "versions", h->version);
    sm_pack_kv_int(pk, "previous_version", v->r.previous_version);
    sm_pack_kv_str(pk, "state", report_state_name(v->r.state));
    sm_pack_kv_str(pk, "note", v->r.note);
    sm_rec_pack_date(pk, "approved_on", v->r.state >= REPORT_APPROVED, v->r.approved_on);
    sm_rec_pack_date(pk, "published_on", v->r.state >= REPORT_PUBLISHED, v->r.published_on);
    sm_rec_pack_date(pk, "sent_on", v->r.state >= REPORT_SENT, v->r.sent_on);
    sm_pack_kv_int(pk, "published_version", h->published_version);
    sm_rec_pack_date(pk, "first_published_on", h->has_first_published, h->first_published_on);
    sm_rec_pack_date(pk, "first_sent_on", h->has_first_sent, h->first_sent_on);
    //  How many residents reacted; their words are report.reactions'.
    sm_pack_kv_uint(pk, "reactions", reaction_count(ctx, h->id));
    if (with_text) {
        sm_pack_kv_str(pk, "text", v->r.text);
        sm_pack_kv_str(pk, "html", html);
        const msgpack_object *allowed = v->doc ? sm_map_get(sm_doc_root(v->doc), "allowed") : NULL;
        sm_pack_str(pk, "allowed");
        if (allowed && allowed->type == MSGPACK_OBJECT_ARRAY)
            sm_pack_obj(pk, allowed);
        else
            msgpack_pack_array(pk, 0);
        sm_pack_str(pk, "sent_to");
        s_pack_recipients(ctx, h->id, pk);
    }
    free(html);
    return 0;
}

/* ==== Personal-data scan through intake =================================== */

typedef struct {
    report_pii_match_t *matches; //  kind, text, offset, length (owned strings)
    char **participants;         //  "P12" or NULL per match
    size_t n;
} s_scan_t;

/*  Free a scan result and empty it. Safe on an empty one. */
static void s_scan_free(s_scan_t *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free((char *)s->matches[i].kind);
        free((char *)s->matches[i].text);
        free(s->participants[i]);
    }
    free(s->matches);
    free(s->participants);
    memset(s, 0, sizeof *s);
}

/*  Ask intake's pii.scan about text. Returns 0 with *scan filled (free it),
    or -1 with the context's error set: unavailable when intake did not
    answer or could not check; never a silent "no matches". */
static int s_pii_scan(sm_ctx_t *ctx, const char *text, s_scan_t *scan)
{
    memset(scan, 0, sizeof *scan);
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 1);
    sm_pack_kv_str(&args.pk, "text", text);
    sm_err_t err;
    sm_err_clear(&err);
    sm_doc_t *reply = sm_ctx_call(ctx, "intake", "pii.scan", args.sbuf.data, args.sbuf.size,
                                  reporting_settings(ctx)->pii_scan_timeout_ms, &err);
    sm_buf_free(&args);
    if (!reply) {
        sm_warn("pii.scan failed", "code=%s", err.code ? err.code : "?");
        return sm_ctx_fail(ctx, SM_E_UNAVAILABLE, NULL,
                           _("cannot check the text for personal data: intake did not answer; try "
                             "again"));
    }
    const msgpack_object *data = NULL, *list = NULL;
    int rc = -1;
    if (sm_reply_check(reply, &data, &err) != 0) {
        sm_warn("pii.scan refused", "code=%s", err.code ? err.code : "?");
        if (strcmp(err.code, SM_E_UNAVAILABLE) == 0 ||
            strcmp(err.code, SM_E_DEADLINE_EXCEEDED) == 0)
            sm_ctx_fail(ctx, SM_E_UNAVAILABLE, NULL,
                        _("cannot check the text for personal data: intake did not answer; try "
                          "again"));
        else
            sm_ctx_fail(ctx, SM_E_UNAVAILABLE, NULL,
                        _("cannot check the text for personal data: intake refused the check "
                          "(%s); nothing was published"),
                        err.code);
        goto cleanup;
    }
    if (sm_get_array(data, "matches", true, &list, NULL) <= 0) {
        sm_ctx_fail(ctx, SM_E_UNAVAILABLE, NULL,
                    _("cannot check the text for personal data: intake's answer could not be read; "
                      "nothing was published"));
        goto cleanup;
    }
    size_t n = list->via.array.size;
    scan->matches = calloc(n ? n : 1, sizeof *scan->matches);
    scan->participants = calloc(n ? n : 1, sizeof *scan->participants);
    if (!scan->matches || !scan->participants) {
        s_scan_free(scan);
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory; try again later"));
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        const msgpack_object *m = &list->via.array.ptr[i];
        uint64_t offset = 0, length = 0;
        sm_get_uint(m, "offset", false, UINT64_MAX, &offset, NULL);
        sm_get_uint(m, "length", false, UINT64_MAX, &length, NULL);
        char *kind = sm_rec_strdup(m, "kind");
        char *what = sm_rec_strdup(m, "text");
        //  Where it is must lie in the text (an excerpt is cut from it).
        size_t len = strlen(text);
        if (offset > len || length > len - offset)
            length = 0;
        //  A match without its text cannot be allowed: take it from the
        //  report itself when intake gave only where it is.
        if (!what && length)
            what = strndup(text + offset, length);
        scan->matches[i] =
            (report_pii_match_t){kind ? kind : strdup("unknown"), what, offset, length};
        scan->participants[i] = sm_rec_strdup(m, "participant");
        scan->n = i + 1;
        if (!scan->matches[i].kind) {
            s_scan_free(scan);
            sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory; try again later"));
            goto cleanup;
        }
    }
    rc = 0;
cleanup:
    sm_doc_destroy(&reply);
    return rc;
}

/*  What a publication or a check lets through: the request's "allow"
    list, then the deployment's allow list (allowlist.h). */
typedef struct {
    const char **all; //  n pointers: the request's, then the deployment's
    size_t n_request, n;
    allowlist_t always;
} s_allowed_t;

/*  Free what s_allowed_load gave. Safe on a zeroed one and twice. */
static void s_allowed_free(s_allowed_t *a)
{
    free(a->all);
    a->all = NULL;
    a->n = a->n_request = 0;
    allowlist_free(&a->always);
}

/*  Read the "allow" argument and the deployment's allow list into *a
    (zeroed by the caller). Returns 0, or -1 (ctx error). */
static int s_allowed_load(sm_ctx_t *ctx, s_allowed_t *a)
{
    const char *const *request;
    a->n_request = sm_arg_list(ctx, "allow", &request);
    if (allowlist_load(ctx, &a->always) != 0)
        return -1;
    a->n = a->n_request + a->always.n;
    a->all = calloc(a->n ? a->n : 1, sizeof *a->all);
    if (!a->all)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory; try again later"));
    for (size_t i = 0; i < a->n_request; i++)
        a->all[i] = request[i];
    for (size_t i = 0; i < a->always.n; i++)
        a->all[a->n_request + i] = a->always.texts[i];
    return 0;
}

/*  Who allowed text: "report" (this request's allow), "deployment" (the
    allow list), or NULL (nobody). Can't fail. */
static const char *s_allowed_by(const s_allowed_t *a, const char *text)
{
    char key[1024], other[1024];
    if (!text)
        return NULL;
    report_allow_key(text, key, sizeof key);
    for (size_t i = 0; i < a->n; i++) {
        report_allow_key(a->all[i], other, sizeof other);
        if (strcmp(key, other) == 0)
            return i < a->n_request ? "report" : "deployment";
    }
    return NULL;
}

/*  Pack match i for the person who asked: kind, participant, where
    (offset, length, line) and a masked excerpt; with full (report.check)
    also whether and by whom it is allowed, and its text when personal
    (the caller sees personal fields); never the text in the details of a
    refusal, which are stored with a retried request. */
static void s_pack_match(msgpack_packer *pk, const s_scan_t *scan, size_t i, const char *text,
                         const s_allowed_t *a, bool full, bool personal)
{
    const report_pii_match_t *m = &scan->matches[i];
    char excerpt[REPORT_EXCERPT_SIZE];
    report_pii_excerpt(text, scan->matches, scan->n, i, excerpt, sizeof excerpt);
    msgpack_pack_map(pk, full ? 9 : 6);
    sm_pack_kv_str(pk, "kind", m->kind);
    sm_pack_kv_str(pk, "participant", scan->participants[i]);
    sm_pack_kv_uint(pk, "offset", m->offset);
    sm_pack_kv_uint(pk, "length", m->length);
    sm_pack_kv_uint(pk, "line", report_pii_line(text, m->offset));
    sm_pack_kv_str(pk, "excerpt", excerpt);
    if (full) {
        const char *by = s_allowed_by(a, m->text);
        sm_pack_kv_str(pk, "text", personal ? m->text : NULL);
        sm_pack_kv_bool(pk, "allowed", by != NULL);
        sm_pack_kv_str(pk, "allowed_by", by);
    }
}

/*  After report_publish refused for matches not allowed: give the person
    publishing the list (error details), at most S_DETAILS_MAX of them. */
static void s_refusal_details(sm_ctx_t *ctx, const s_scan_t *scan, const char *text,
                              const s_allowed_t *a)
{
    size_t *idx = calloc(scan->n ? scan->n : 1, sizeof *idx);
    int refused = idx ? report_pii_not_allowed(scan->matches, scan->n, a->all, a->n, idx) : -1;
    msgpack_packer *pk = refused > 0 ? sm_ctx_fail_details(ctx) : NULL;
    if (pk) {
        size_t shown = (size_t)refused < S_DETAILS_MAX ? (size_t)refused : S_DETAILS_MAX;
        msgpack_pack_map(pk, 2);
        sm_pack_kv_int(pk, "not_allowed", refused);
        sm_pack_str(pk, "matches");
        msgpack_pack_array(pk, shown);
        for (size_t i = 0; i < shown; i++)
            s_pack_match(pk, scan, idx[i], text, a, false, false);
    }
    free(idx);
}

/* ==== Requests ============================================================ */

int op_report_draft(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t sid = sm_arg_id(ctx, "session"), existing;
    const char *sid_text = sm_arg_str(ctx, "session"), *text = sm_arg_str(ctx, "text");
    uint8_t by_session[8];
    mirror_session_t s;
    sm_key_u64(sid, by_session);
    if (mirror_session_require(ctx, sid, "session", &s) != 0)
        return -1;
    if (strcmp(s.status, "cancelled") == 0)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "session",
                           _("session %s was cancelled; a cancelled session gets no report"),
                           sid_text);
    if (sm_idx_first(ctx, DB_BY_SESSION, by_session, sizeof by_session, &existing) != 0)
        return -1;
    if (existing)
        return sm_ctx_fail(ctx, SM_E_ALREADY_EXISTS, "session",
                           _("session %s already has report R%llu; revise that one (report "
                             "revise R%llu)"),
                           sid_text, (unsigned long long)existing, (unsigned long long)existing);
    s_version_t v = {0};
    if (report_draft(&v.r, sid_text, text, e) != 0)
        return -1;
    uint64_t id = sm_ctx_next_id(ctx, 'R');
    if (!id)
        return -1;
    v.drafted_ms = sm_ctx_now_ms(ctx);
    s_head_t h = {.id = id, .session = sid, .theme = s.theme, .version = 1, .state = REPORT_DRAFT};
    if (s_head_put(ctx, &h) || s_version_put(ctx, id, &v, NULL) ||
        sm_idx_put(ctx, DB_BY_SESSION, by_session, sizeof by_session, id) ||
        s_emit(ctx, "reporting.report.drafted", &h, 1, NULL, (sm_date_t){0, 0, 0}) ||
        s_reply(ctx, &h, &v, false))
        return -1;
    return 0;
}

int op_report_revise(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    const char *text = sm_arg_str(ctx, "text"), *note = sm_arg_str(ctx, "note");
    char id[24];
    s_head_t h;
    s_version_t cur = {0}, nv = {0};
    int rc = -1, found = s_load(ctx, &h, id);
    if (found < 0)
        goto cleanup;
    if (!found) {
        report_revise(NULL, id, text, e);
        goto cleanup;
    }
    if (s_version_get(ctx, &h, h.version, &cur) <= 0) {
        if (!sm_err_is_set(e))
            sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("report %s lost its newest version"), id);
        goto cleanup;
    }
    if (cur.r.state >= REPORT_PUBLISHED) {
        //  A published version is immutable: the revision becomes a
        //  correction, a new version that says what it changes.
        if (!note) {
            sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "note",
                        _("report %s version %d is published; a revision becomes correction "
                          "version %d and needs a note saying what it changes"),
                        id, cur.r.version, cur.r.version + 1);
            goto cleanup;
        }
        if (report_correct(&cur.r, id, text, note, &nv.r, e) != 0)
            goto cleanup;
        nv.drafted_ms = sm_ctx_now_ms(ctx);
        h.version = nv.r.version;
        h.state = REPORT_DRAFT;
        if (s_version_put(ctx, h.id, &nv, NULL) || s_head_put(ctx, &h) ||
            s_emit(ctx, "reporting.report.drafted", &h, nv.r.version, NULL, (sm_date_t){0, 0, 0}) ||
            s_reply(ctx, &h, &nv, false))
            goto cleanup;
        sm_info("report corrected", "report=%s version=%d", id, nv.r.version);
        rc = 0;
        goto cleanup;
    }
    if (note) {
        sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "note",
                    _("a note is for a correction of a published report; report %s version %d is "
                      "%s: revise it without a note"),
                    id, cur.r.version, report_state_name(cur.r.state));
        goto cleanup;
    }
    if (report_revise(&cur.r, id, text, e) != 0)
        goto cleanup;
    h.state = cur.r.state;
    if (s_version_put(ctx, h.id, &cur, NULL) || s_head_put(ctx, &h) ||
        s_reply(ctx, &h, &cur, false))
        goto cleanup;
    rc = 0;
cleanup:
    s_version_free(&cur);
    s_version_free(&nv);
    return rc;
}

/*  Tell the rules the day the report's session was held, when reporting
    knows it (from scheduling's events): no step is dated before it.
    Returns 0 or -1 (ctx error). */
static int s_held_on(sm_ctx_t *ctx, const s_head_t *h, report_t *r)
{
    mirror_session_t ms;
    int rc = mirror_session_get(ctx, h->session, &ms);
    if (rc < 0)
        return -1;
    r->has_held_on = rc > 0 && ms.has_held_on;
    if (r->has_held_on)
        r->held_on = ms.held_on;
    return 0;
}

int op_report_approve(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    char id[24];
    s_head_t h;
    s_version_t cur = {0};
    sm_date_t today = sm_date_today(), on = s_date_arg(ctx, today);
    int rc = -1, found = s_load(ctx, &h, id);
    if (found < 0)
        goto cleanup;
    if (found && (s_version_get(ctx, &h, h.version, &cur) < 0 || s_held_on(ctx, &h, &cur.r) != 0))
        goto cleanup;
    if (report_approve(found ? &cur.r : NULL, id, on, today, e) != 0)
        goto cleanup;
    h.state = cur.r.state;
    if (s_version_put(ctx, h.id, &cur, NULL) || s_head_put(ctx, &h) ||
        s_reply(ctx, &h, &cur, false))
        goto cleanup;
    rc = 0;
cleanup:
    s_version_free(&cur);
    return rc;
}

int op_report_publish(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    char id[24];
    s_allowed_t allowed = {0};
    s_head_t h;
    s_version_t cur = {0};
    s_scan_t scan = {0};
    sm_date_t today = sm_date_today(), on = s_date_arg(ctx, today);
    int rc = -1, found = s_load(ctx, &h, id);
    if (found < 0 || s_allowed_load(ctx, &allowed) != 0)
        goto cleanup;
    if (found && (s_version_get(ctx, &h, h.version, &cur) < 0 || s_held_on(ctx, &h, &cur.r) != 0))
        goto cleanup;
    //  Refuse what the state and the date alone refuse before asking
    //  intake anything.
    report_t probe = cur.r;
    if (report_publish(found ? &probe : NULL, id, on, today, NULL, 0, NULL, 0, e) != 0)
        goto cleanup;
    if (s_pii_scan(ctx, cur.r.text, &scan) != 0)
        goto cleanup;
    if (report_publish(&cur.r, id, on, today, scan.matches, scan.n, allowed.all, allowed.n, e) !=
        0) {
        //  The sentence names kinds and lines; the details list each match
        //  with a masked excerpt for the person publishing.
        if (e->code && strcmp(e->code, SM_E_FAILED_PRECONDITION) == 0 &&
            strcmp(e->field, "allow") == 0)
            s_refusal_details(ctx, &scan, cur.r.text, &allowed);
        goto cleanup;
    }
    h.state = cur.r.state;
    h.published_version = cur.r.version;
    if (!h.has_first_published) {
        h.has_first_published = true;
        h.first_published_on = on;
    }
    if (s_version_put(ctx, h.id, &cur, sm_arg_obj(ctx, "allow")) || s_head_put(ctx, &h) ||
        s_emit(ctx, "reporting.report.published", &h, cur.r.version, "published_on", on) ||
        s_reply(ctx, &h, &cur, false))
        goto cleanup;
    sm_info("report published", "report=%s version=%d matches=%zu allowed=%zu always_allowed=%zu",
            id, cur.r.version, scan.n, allowed.n_request, allowed.always.n);
    rc = 0;
cleanup:
    s_scan_free(&scan);
    s_version_free(&cur);
    s_allowed_free(&allowed);
    return rc;
}

int op_report_sent(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    char id[24];
    s_head_t h;
    s_version_t v = {0};
    sm_date_t today = sm_date_today(), on = s_date_arg(ctx, today);
    int rc = -1, found = s_load(ctx, &h, id);
    if (found < 0)
        goto cleanup;
    //  What goes to the participants is the published text: the newest
    //  published version, even while a correction is being drafted.
    if (found &&
        s_version_get(ctx, &h, h.published_version ? h.published_version : h.version, &v) < 0)
        goto cleanup;
    if (report_mark_sent(found ? &v.r : NULL, id, on, today, e) != 0)
        goto cleanup;
    if (v.r.version == h.version)
        h.state = v.r.state;
    if (!h.has_first_sent) {
        h.has_first_sent = true;
        h.first_sent_on = on;
    }
    const msgpack_object *allowed = v.doc ? sm_map_get(sm_doc_root(v.doc), "allowed") : NULL;
    if (s_version_put(ctx, h.id, &v, allowed) || s_head_put(ctx, &h) ||
        s_emit(ctx, "reporting.report.sent", &h, 0, "sent_on", on) || s_reply(ctx, &h, &v, false))
        goto cleanup;
    rc = 0;
cleanup:
    s_version_free(&v);
    return rc;
}

/*  Load the version the "version" argument names (default: the newest).
    Returns 0, or -1 (ctx error: not_found for a version that does not
    exist). */
static int s_load_version_arg(sm_ctx_t *ctx, const s_head_t *h, const char *id, s_version_t *v)
{
    int64_t ver = sm_arg_int(ctx, "version", h->version);
    int rc = s_version_get(ctx, h, (int)ver, v);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "version",
                           _("report %s has no version %lld; it has versions 1 to %d"), id,
                           (long long)ver, h->version);
    return 0;
}

/*  Refuse an unknown report. Returns -1. */
static int s_not_found(sm_ctx_t *ctx, const char *id)
{
    return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "report",
                       _("report %s does not exist; give the ID of an existing report (samenctl "
                         "report list shows them)"),
                       id);
}

int op_report_check(sm_ctx_t *ctx, const msgpack_object *args)
{
    char id[24];
    s_allowed_t allowed = {0};
    s_head_t h;
    s_version_t v = {0};
    s_scan_t scan = {0};
    size_t *refused = NULL;
    int rc = -1, found = s_load(ctx, &h, id);
    if (found < 0 || s_allowed_load(ctx, &allowed) != 0)
        goto cleanup;
    if (!found) {
        s_not_found(ctx, id);
        goto cleanup;
    }
    if (s_load_version_arg(ctx, &h, id, &v) != 0 || s_pii_scan(ctx, v.r.text, &scan) != 0)
        goto cleanup;
    refused = calloc(scan.n ? scan.n : 1, sizeof *refused);
    int n_refused = refused ? report_pii_not_allowed(scan.matches, scan.n, allowed.all,
                                                     allowed.n, refused)
                            : -1;
    if (n_refused < 0) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory; try again later"));
        goto cleanup;
    }
    //  What the coordinator sees to fix the text: every match with its
    //  text. This reply goes to the person who asked and is never logged;
    //  a caller who does not see personal fields gets the matches without
    //  their text (the masked excerpt still says where), and the audit log
    //  names whose data was shown.
    bool personal = sm_ctx_sees_personal(ctx);
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 4);
    sm_pack_kv_str(pk, "report", id);
    sm_pack_kv_int(pk, "version", v.r.version);
    sm_pack_kv_int(pk, "not_allowed", n_refused);
    sm_pack_str(pk, "matches");
    msgpack_pack_array(pk, scan.n);
    for (size_t i = 0; i < scan.n; i++) {
        if (personal && scan.participants[i])
            sm_ctx_audit_id(ctx, scan.participants[i]);
        s_pack_match(pk, &scan, i, v.r.text, &allowed, true, personal);
    }
    rc = 0;
cleanup:
    free(refused);
    s_scan_free(&scan);
    s_version_free(&v);
    s_allowed_free(&allowed);
    return rc;
}

int op_report_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    char id[24];
    s_head_t h;
    s_version_t v = {0};
    int rc = -1, found = s_load(ctx, &h, id);
    if (found == 0)
        s_not_found(ctx, id);
    else if (found > 0 && s_load_version_arg(ctx, &h, id, &v) == 0 &&
             s_reply(ctx, &h, &v, true) == 0)
        rc = 0;
    s_version_free(&v);
    return rc;
}

/*  A report.list page being collected: the filters and the rows. */
typedef struct {
    uint64_t session, theme; //  0: any
    bool has_state;
    report_state_t state;
    s_head_t *rows;
    size_t n, limit;
    bool more; //  a row beyond the page exists
} s_page_t;

/*  sm_rec_scan's visitor: keep report id when it passes the filters; stop
    at the first one beyond a full page. */
static int s_list_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_page_t *p = arg;
    s_head_t h;
    int rc = s_head_get(ctx, id, &h);
    if (rc <= 0)
        return rc;
    if ((p->session && h.session != p->session) || (p->theme && h.theme != p->theme) ||
        (p->has_state && h.state != p->state))
        return 0;
    if (p->n == p->limit) {
        p->more = true;
        return 1;
    }
    p->rows[p->n++] = h;
    return 0;
}

int op_report_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_page_t p = {.session = sm_arg_id(ctx, "session"),
                  .theme = sm_arg_id(ctx, "theme"),
                  .limit = (size_t)sm_arg_int(ctx, "limit", S_LIST_DEFAULT)};
    const char *state = sm_arg_str(ctx, "state");
    p.has_state = state != NULL;
    if (state && report_state_parse(state, &p.state, "state", sm_ctx_err(ctx)) != 0)
        return -1;
    //  Collect the page first: the reply's array size comes before its rows.
    p.rows = calloc(p.limit, sizeof *p.rows);
    if (!p.rows)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (sm_rec_scan(ctx, DB_REPORTS, sm_arg_id(ctx, "after"), s_list_visit, &p) != 0) {
        free(p.rows);
        return -1;
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 2);
    sm_pack_str(pk, "reports");
    msgpack_pack_array(pk, p.n);
    for (size_t i = 0; i < p.n; i++)
        s_head_encode(&p.rows[i], pk);
    sm_rec_pack_id(pk, "next", 'R', p.more ? p.rows[p.n - 1].id : 0);
    free(p.rows);
    return 0;
}

/*  One due-list row. */
static void s_pack_due_item(msgpack_packer *pk, const report_due_item_t *it, const dataset_t *ds,
                            bool late)
{
    long i = dataset_session_index(ds, sm_id_parse(it->session_id, 'S', "session", NULL));
    uint64_t report = i >= 0 ? ds->session_reports[i] : 0;
    msgpack_pack_map(pk, late ? 7 : 5);
    sm_pack_kv_str(pk, "session", it->session_id);
    sm_pack_kv_str(pk, "theme", it->theme_id);
    sm_rec_pack_date(pk, "held_on", true, it->held_on);
    sm_rec_pack_id(pk, "report", 'R', report);
    if (late) {
        sm_pack_kv_int(pk, "days_late", it->days);
        sm_pack_kv_bool(pk, "sent", it->sent);
        sm_rec_pack_date(pk, "sent_on", it->sent, it->sent_on);
    } else
        sm_pack_kv_int(pk, "days_since", it->days);
}

int op_report_due(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    int64_t days = sm_arg_int(ctx, "days", reporting_settings(ctx)->send_within_days);
    dataset_t ds;
    if (dataset_load(ctx, &ds, 0) != 0)
        return -1;
    report_held_t *held = calloc(ds.n_sessions ? ds.n_sessions : 1, sizeof *held);
    if (!held) {
        dataset_free(&ds);
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    size_t n = 0;
    for (size_t i = 0; i < ds.n_sessions; i++) {
        const reach_session_t *s = &ds.sessions[i];
        if (!s->held)
            continue;
        held[n++] = (report_held_t){s->id,          s->theme_id ? s->theme_id : "?",
                                    s->held_on,     s->report_published,
                                    s->report_sent, s->report_sent_on};
    }
    sm_date_t today = sm_date_today();
    report_due_t due;
    int rc = report_due(held, n, today, (int)days, &due, e);
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 5);
        sm_pack_str(pk, "youth");
        if (youth_report_pack_warning(ctx, today, pk) != 0) {
            msgpack_pack_nil(pk); //  the session reports still count
            sm_err_clear(e);
        }
        sm_rec_pack_date(pk, "today", true, today);
        sm_pack_kv_int(pk, "days", days);
        sm_pack_str(pk, "unpublished");
        msgpack_pack_array(pk, due.n_unpublished);
        for (size_t i = 0; i < due.n_unpublished; i++)
            s_pack_due_item(pk, &due.unpublished[i], &ds, false);
        sm_pack_str(pk, "late");
        msgpack_pack_array(pk, due.n_late);
        for (size_t i = 0; i < due.n_late; i++)
            s_pack_due_item(pk, &due.late[i], &ds, true);
    }
    report_due_free(&due);
    free(held);
    dataset_free(&ds);
    return rc;
}

/* ==== intake.mail.sent: samen records "sent" itself ========================== */

int on_intake_mail(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data)
{
    (void)seq;
    char kind[16];
    if (strcmp(type, "intake.mail.sent") != 0 ||
        strcmp(sm_rec_str(data, "kind", kind, sizeof kind), "report") != 0)
        return 0;
    uint64_t id = sm_rec_id(data, "report", 'R'), p = sm_rec_id(data, "participant", 'P');
    if (!id || !p)
        return 0;
    s_head_t h;
    int found = s_head_get(ctx, id, &h);
    if (found <= 0)
        return found;
    sm_date_t today = sm_date_today();
    char day[11], rid[24];
    uint8_t key[16];
    sm_key_pair(id, p, key);
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 2);
    sm_pack_kv_str(&b.pk, "sent_on", sm_date_format(today, day));
    sm_rec_pack_id(&b.pk, "mail", 'M', sm_rec_id(data, "id", 'M'));
    int rc = sm_ctx_put(ctx, sm_ctx_dbi(ctx, DB_RECIPIENTS), key, sizeof key, b.sbuf.data,
                        b.sbuf.size);
    sm_buf_free(&b);
    if (rc != 0 || h.has_first_sent || !h.published_version)
        return rc;
    //  The first recipient makes the published version "sent", as
    //  report.sent would: the date is no longer typed by anyone.
    s_version_t v = {0};
    rc = s_version_get(ctx, &h, h.published_version, &v);
    if (rc <= 0)
        return rc;
    sm_id_format('R', id, rid);
    sm_err_t err = {0};
    rc = 0;
    if (report_mark_sent(&v.r, rid, today, today, &err) == 0) {
        if (v.r.version == h.version)
            h.state = v.r.state;
        h.has_first_sent = true;
        h.first_sent_on = today;
        const msgpack_object *allowed =
            v.doc ? sm_map_get(sm_doc_root(v.doc), "allowed") : NULL;
        rc = s_version_put(ctx, h.id, &v, allowed) || s_head_put(ctx, &h) ||
                     s_emit(ctx, "reporting.report.sent", &h, 0, "sent_on", today)
                 ? -1
                 : 0;
        if (rc == 0)
            sm_info("report sent", "report=%s first_recipient=P%llu", rid,
                    (unsigned long long)p);
    }
    s_version_free(&v);
    return rc;
}

/* ==== The public view: what a website may show ============================ */
/*  A draft, a correction not yet published, a correction's note and the
    texts allowed at publishing never leave through these ops: only the
    newest published version's text, which intake's scan passed. The note
    stays out because a correction is often the removal of a name, and the
    note says so. */

/*  Load the newest published version of h into v. Returns 1, 0 when the
    report has none, or -1 (ctx error). */
static int s_published_get(sm_ctx_t *ctx, const s_head_t *h, s_version_t *v)
{
    if (h->published_version <= 0)
        return 0;
    int rc = s_version_get(ctx, h, h->published_version, v);
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL,
                           _("report R%llu lost its published version %d"),
                           (unsigned long long)h->id, h->published_version);
    return rc;
}

/*  The fields both public ops carry about a published version (the
    caller opens a map of 6 + its own). Can't fail. */
static void s_pack_public_head(msgpack_packer *pk, const s_head_t *h, const s_version_t *v)
{
    sm_rec_pack_id(pk, "id", 'R', h->id);
    sm_rec_pack_id(pk, "session", 'S', h->session);
    sm_rec_pack_id(pk, "theme", 'T', h->theme);
    sm_pack_kv_int(pk, "version", v->r.version);
    sm_rec_pack_date(pk, "published_on", true, v->r.published_on);
    sm_rec_pack_date(pk, "first_published_on", h->has_first_published, h->first_published_on);
}

/*  A report.public.list page being collected. */
typedef struct {
    uint64_t theme; //  0: any
    sm_buf_t rows;  //  the packed rows, back to back
    size_t n, limit;
    uint64_t last;
    bool more;
} s_public_page_t;

/*  sm_rec_scan's visitor: pack report id when it has a published version
    (and is on the theme asked for); stop at the first beyond a full page. */
static int s_public_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_public_page_t *p = arg;
    s_head_t h;
    s_version_t v = {0};
    int rc = s_head_get(ctx, id, &h);
    if (rc <= 0 || h.published_version <= 0 || (p->theme && h.theme != p->theme))
        return rc < 0 ? -1 : 0;
    if (p->n == p->limit) {
        p->more = true;
        return 1;
    }
    rc = s_published_get(ctx, &h, &v);
    if (rc > 0) {
        msgpack_pack_map(&p->rows.pk, 6);
        s_pack_public_head(&p->rows.pk, &h, &v);
        p->n++;
        p->last = id;
    }
    s_version_free(&v);
    return rc < 0 ? -1 : 0;
}

int op_report_public_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_public_page_t p = {.theme = sm_arg_id(ctx, "theme"),
                         .limit = (size_t)sm_arg_int(ctx, "limit", S_LIST_DEFAULT)};
    sm_buf_init(&p.rows);
    int rc = sm_rec_scan(ctx, DB_REPORTS, sm_arg_id(ctx, "after"), s_public_visit, &p);
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 2);
        sm_pack_str(pk, "reports");
        msgpack_pack_array(pk, p.n);
        if (p.rows.sbuf.size)
            sm_pack_raw(pk, p.rows.sbuf.data, p.rows.sbuf.size);
        sm_rec_pack_id(pk, "next", 'R', p.more ? p.last : 0);
    }
    sm_buf_free(&p.rows);
    return rc;
}

int op_report_public_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    char id[24];
    s_head_t h;
    s_version_t v = {0};
    int rc = -1, found = s_load(ctx, &h, id);
    if (found > 0)
        found = s_published_get(ctx, &h, &v);
    if (found == 0)
        //  The same answer for an unknown report and a draft: the public
        //  view says nothing about what is not published.
        sm_ctx_fail(ctx, SM_E_NOT_FOUND, "report",
                    _("report %s is not published; report.public.list lists the published ones"),
                    id);
    else if (found > 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 7);
        s_pack_public_head(pk, &h, &v);
        sm_pack_kv_str(pk, "text", v.r.text);
        rc = 0;
    }
    s_version_free(&v);
    return rc;
}
