/*  services/intake/advice.c - signals and advice, answers, evaluations and
    their deadlines. See advice.h. */
#include "advice.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/owner.h"
#include "common/text.h"
#include "intake.h"
#include "organisation.h"
#include "participant_index.h"
#include "validate.h"
#include <stdlib.h>
#include <string.h>

#define DB "advice"
#define DB_OPEN "advice_open"  /*  id8 -> "": not evaluated yet */
#define DB_FROM "advice_from"  /*  "P12" NUL id8 -> "": what a sender sent */
#define LIST_DEFAULT 50

typedef struct {
    uint64_t id;
    deadline_item_t item;
    char from[24];  /*  "P12", "O3" or "" */
    bool from_erased;
    char theme[24]; /*  "T4" or "" */
    char summary[ADVICE_TEXT_SIZE];
    char answer[ADVICE_TEXT_SIZE];
    char evaluation[ADVICE_TEXT_SIZE];
    bool announced_answer, announced_evaluation;
    sm_owners_t owners; /*  who answers for it (common/owner.h) */
    int64_t created_ms;
} advice_t;

/* ==== Text =============================================================== */

/*  Control characters other than tab and line breaks, and the
    bidirectional overrides that can make text display as other text. */
static bool s_bad_char(uint32_t cp)
{
    if (cp == '\t' || cp == '\n' || cp == '\r')
        return false;
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

int advice_text_check(const char *text, const char *field, size_t max_chars, char *out,
                      size_t size, sm_err_t *err)
{
    if (!text)
        text = "";
    size_t n = strlen(text), a = 0;
    while (a < n && strchr(" \t\r\n\v\f", text[a]))
        a++;
    while (n > a && strchr(" \t\r\n\v\f", text[n - 1]))
        n--;
    const char *s = text + a;
    n -= a;
    if (n == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is empty; give 1 to %zu characters"), field, max_chars);
    if (!sm_utf8_valid(s, n))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is not valid UTF-8; send UTF-8 text of 1 to %zu characters"), field,
                          max_chars);
    size_t chars = sm_utf8_len(s, n);
    if (chars > max_chars)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is %zu characters long; give at most %zu characters"), field, chars,
                          max_chars);
    size_t pos = 0, index = 0;
    while (pos < n) {
        uint32_t cp = sm_utf8_next(s, n, &pos);
        index++;
        if (s_bad_char(cp))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s contains a control character (U+%04X) at character %zu; line "
                                "breaks and tabs are fine, other control characters are not"),
                              field, (unsigned)cp, index);
    }
    if (n >= size)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is too long; give at most %zu bytes"), field, size - 1);
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

/* ==== The record ========================================================= */

/*  key: the date, or nil when not set. Can't fail. */
static void s_pack_kv_date(msgpack_packer *pk, const char *key, sm_date_t d, bool set)
{
    char buf[11];
    sm_pack_kv_str(pk, key, set ? sm_date_format(d, buf) : NULL);
}

/*  Encode the stored form of a. Can't fail. */
static void s_encode(const advice_t *a, msgpack_packer *pk)
{
    const deadline_item_t *it = &a->item;
    char p1[8], p2[8];
    msgpack_pack_map(pk, 19 + SM_OWNERS_NPAIRS);
    sm_pack_kv_str(pk, "id", it->id);
    sm_pack_kv_str(pk, "kind", deadline_kind_name(it->kind));
    sm_pack_kv_str(pk, "state", deadline_state_name(it->state));
    s_pack_kv_date(pk, "received", it->received, true);
    s_pack_kv_date(pk, "answered", it->answered, it->state >= DEADLINE_ANSWERED);
    s_pack_kv_date(pk, "evaluated", it->evaluated, it->state == DEADLINE_EVALUATED);
    sm_pack_kv_str(pk, "outcome", deadline_outcome_name(it->outcome));
    sm_pack_kv_str(pk, "reason", it->reason);
    sm_pack_kv_str(pk, "answer_period", deadline_period_format(it->answer_period, p1));
    sm_pack_kv_str(pk, "evaluation_period", deadline_period_format(it->evaluation_period, p2));
    sm_pack_kv_str(pk, "from", a->from);
    sm_pack_kv_bool(pk, "from_erased", a->from_erased);
    sm_pack_kv_str(pk, "theme", a->theme);
    sm_pack_kv_str(pk, "summary", a->summary);
    sm_pack_kv_str(pk, "answer", a->answer);
    sm_pack_kv_str(pk, "evaluation", a->evaluation);
    sm_pack_kv_bool(pk, "announced_answer", a->announced_answer);
    sm_pack_kv_bool(pk, "announced_evaluation", a->announced_evaluation);
    sm_pack_kv_int(pk, "created_ms", a->created_ms);
    sm_owners_pack(pk, &a->owners);
}

/*  Read a stored date (absent or nil leaves out untouched). */
static int s_get_date(const msgpack_object *r, const char *key, sm_date_t *out)
{
    char buf[16];
    int rc = sm_get_str(r, key, false, buf, sizeof buf, false, NULL);
    if (rc <= 0)
        return rc;
    return sm_date_parse(buf, out, key, NULL) == 0 ? 1 : -1;
}

/*  Decode a stored item. Returns 0, or -1 when the bytes are not one. */
static int s_decode(const void *data, size_t size, advice_t *a)
{
    memset(a, 0, sizeof *a);
    sm_doc_t *doc = sm_doc_parse(data, size, NULL);
    if (!doc)
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    deadline_item_t *it = &a->item;
    char kind[32], state[16], outcome[24], p1[16], p2[16];
    int rc = -1;
    if (sm_get_str(r, "id", true, it->id, sizeof it->id, false, NULL) <= 0 ||
        sm_get_str(r, "kind", true, kind, sizeof kind, false, NULL) <= 0 ||
        sm_get_str(r, "state", true, state, sizeof state, false, NULL) <= 0 ||
        sm_get_str(r, "outcome", true, outcome, sizeof outcome, false, NULL) <= 0 ||
        sm_get_str(r, "answer_period", true, p1, sizeof p1, false, NULL) <= 0 ||
        sm_get_str(r, "evaluation_period", true, p2, sizeof p2, false, NULL) <= 0 ||
        s_get_date(r, "received", &it->received) <= 0 ||
        deadline_kind_parse(kind, "kind", &it->kind, NULL) != 0 ||
        deadline_period_parse(p1, "answer_period", &it->answer_period, NULL) != 0 ||
        deadline_period_parse(p2, "evaluation_period", &it->evaluation_period, NULL) != 0)
        goto done;
    a->id = sm_id_parse(it->id, 'A', "id", NULL);
    it->state = strcmp(state, "evaluated") == 0  ? DEADLINE_EVALUATED
                : strcmp(state, "answered") == 0 ? DEADLINE_ANSWERED
                                                 : DEADLINE_RECEIVED;
    if (strcmp(outcome, "none") == 0)
        it->outcome = DEADLINE_OUTCOME_NONE;
    else if (deadline_outcome_parse(outcome, "outcome", &it->outcome, NULL) != 0)
        goto done;
    if (s_get_date(r, "answered", &it->answered) < 0 ||
        s_get_date(r, "evaluated", &it->evaluated) < 0)
        goto done;
    sm_get_str(r, "reason", false, it->reason, sizeof it->reason, true, NULL);
    sm_get_str(r, "from", false, a->from, sizeof a->from, true, NULL);
    sm_get_bool(r, "from_erased", false, &a->from_erased, NULL);
    sm_get_str(r, "theme", false, a->theme, sizeof a->theme, true, NULL);
    sm_get_str(r, "summary", false, a->summary, sizeof a->summary, true, NULL);
    sm_get_str(r, "answer", false, a->answer, sizeof a->answer, true, NULL);
    sm_get_str(r, "evaluation", false, a->evaluation, sizeof a->evaluation, true, NULL);
    sm_get_bool(r, "announced_answer", false, &a->announced_answer, NULL);
    sm_get_bool(r, "announced_evaluation", false, &a->announced_evaluation, NULL);
    sm_get_int(r, "created_ms", false, 0, INT64_MAX, &a->created_ms, NULL);
    sm_owners_read(r, &a->owners); //  absent in a store of schema 2: none
    rc = a->id ? 0 : -1;
done:
    sm_doc_destroy(&doc);
    return rc;
}

/*  Load A<id>. Returns 1, 0 unknown, -1 (ctx error). */
static int s_load(sm_ctx_t *ctx, uint64_t id, advice_t *a)
{
    MDB_val v;
    int rc = sm_ctx_get_u64(ctx, sm_ctx_dbi(ctx, DB), id, &v);
    if (rc <= 0)
        return rc;
    if (s_decode(v.mv_data, v.mv_size, a) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL,
                           _("the stored record of A%llu cannot be read; restore it from a backup"),
                           (unsigned long long)id);
    return 1;
}

/*  Store a and keep advice_open in step with its state. */
static int s_store(sm_ctx_t *ctx, const advice_t *a)
{
    sm_buf_t b;
    sm_buf_init(&b);
    s_encode(a, &b.pk);
    int rc = sm_ctx_put_u64(ctx, sm_ctx_dbi(ctx, DB), a->id, &b);
    sm_buf_free(&b);
    uint8_t key[8];
    sm_key_u64(a->id, key);
    if (rc == 0)
        rc = a->item.state == DEADLINE_EVALUATED
                 ? sm_ctx_del(ctx, sm_ctx_dbi(ctx, DB_OPEN), key, 8)
                 : sm_ctx_put(ctx, sm_ctx_dbi(ctx, DB_OPEN), key, 8, "", 0);
    return rc;
}

/*  The advice_from key of (from, id) into key; returns its length. */
static size_t s_from_key(const char *from, uint64_t id, uint8_t *key)
{
    size_t n = strlen(from);
    memcpy(key, from, n);
    key[n] = '\0';
    sm_key_u64(id, key + n + 1);
    return n + 9;
}

/*  Load A<id> named by args[key] or refuse. Returns 0 or -1 (ctx error). */
static int s_require(sm_ctx_t *ctx, advice_t *a)
{
    uint64_t id = sm_arg_id(ctx, "advice");
    int rc = s_load(ctx, id, a);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "advice",
                           _("there is no advice A%llu; see advice list"), (unsigned long long)id);
    return 0;
}

/* ==== Views ============================================================== */

/*  The sender's display name (reads only: participant or organisation
    name); "" when none or erased. */
static void s_from_name(sm_ctx_t *ctx, const advice_t *a, char *out, size_t size)
{
    out[0] = '\0';
    if (!a->from[0])
        return;
    if (a->from[0] == 'P') {
        record_t *rec = malloc(sizeof *rec);
        uint64_t id = sm_id_parse(a->from, 'P', "from", NULL);
        if (rec && id && participant_load(ctx, id, rec) == 1)
            snprintf(out, size, "%s", rec->p.name);
        if (rec) {
            explicit_bzero(rec, sizeof *rec);
            free(rec);
        }
    } else {
        organisation_t *o = malloc(sizeof *o);
        uint64_t id = sm_id_parse(a->from, 'O', "from", NULL);
        if (o && id && organisation_load(ctx, id, o) == 1)
            snprintf(out, size, "%s", o->name);
        free(o);
    }
    sm_err_clear(sm_ctx_err(ctx)); /*  a missing name is not an error of this request */
}

/*  Pack a view of a. full: with texts and the sender's name (reads only);
    else the compact view for write replies. */
static void s_pack_view(sm_ctx_t *ctx, const advice_t *a, sm_date_t today, bool full,
                        msgpack_packer *pk)
{
    const deadline_item_t *it = &a->item;
    deadline_status_t st = deadline_item_status(it, today);
    sm_date_t eval_due;
    bool has_eval_due = deadline_evaluation_due(it, &eval_due) == 0;
    char p1[8], p2[8], d[11];
    msgpack_pack_map(pk, (full ? 23 : 17) + SM_OWNERS_NPAIRS);
    sm_pack_kv_str(pk, "id", it->id);
    sm_pack_kv_str(pk, "kind", deadline_kind_name(it->kind));
    sm_pack_kv_str(pk, "state", deadline_state_name(it->state));
    sm_pack_kv_str(pk, "from", a->from[0] ? a->from : NULL);
    sm_pack_kv_str(pk, "theme", a->theme[0] ? a->theme : NULL);
    s_pack_kv_date(pk, "received", it->received, true);
    s_pack_kv_date(pk, "answer_due", deadline_answer_due(it), true);
    s_pack_kv_date(pk, "answered", it->answered, it->state >= DEADLINE_ANSWERED);
    sm_pack_kv_str(pk, "outcome",
                   it->outcome == DEADLINE_OUTCOME_NONE ? NULL : deadline_outcome_name(it->outcome));
    s_pack_kv_date(pk, "evaluation_due", eval_due, has_eval_due);
    s_pack_kv_date(pk, "evaluated", it->evaluated, it->state == DEADLINE_EVALUATED);
    sm_pack_kv_str(pk, "answer_period", deadline_period_format(it->answer_period, p1));
    sm_pack_kv_str(pk, "evaluation_period", deadline_period_format(it->evaluation_period, p2));
    sm_pack_kv_str(pk, "waiting_for",
                   st.next == DEADLINE_NEXT_ANSWER       ? "answer"
                   : st.next == DEADLINE_NEXT_EVALUATION ? "evaluation"
                                                         : NULL);
    sm_pack_kv_str(pk, "due", st.next == DEADLINE_NEXT_NONE ? NULL : sm_date_format(st.due, d));
    if (st.next == DEADLINE_NEXT_NONE)
        sm_pack_kv_nil(pk, "days_late");
    else
        sm_pack_kv_int(pk, "days_late", st.days_late);
    sm_pack_kv_bool(pk, "overdue", st.overdue);
    sm_owners_pack(pk, &a->owners);
    if (!full)
        return;
    //  The sender's name and their own words are personal data: only for
    //  the roles that see it (auditors and finance get the deadlines).
    bool personal = sm_ctx_sees_personal(ctx);
    char name[PARTICIPANT_NAME_SIZE];
    name[0] = '\0';
    if (personal) {
        s_from_name(ctx, a, name, sizeof name);
        if (a->from[0] == 'P')
            sm_ctx_audit_id(ctx, a->from);
    }
    sm_pack_kv_str(pk, "from_name", name[0] ? name : NULL);
    sm_pack_kv_bool(pk, "from_erased", a->from_erased);
    sm_pack_kv_str(pk, "summary", personal && a->summary[0] ? a->summary : NULL);
    sm_pack_kv_str(pk, "reason", it->reason[0] ? it->reason : NULL);
    sm_pack_kv_str(pk, "answer", a->answer[0] ? a->answer : NULL);
    sm_pack_kv_str(pk, "evaluation", a->evaluation[0] ? a->evaluation : NULL);
    explicit_bzero(name, sizeof name);
}

/* ==== Argument helpers =================================================== */

/*  An optional date argument, default today, not after today. */
static int s_get_day(sm_ctx_t *ctx, const char *key, sm_date_t today, sm_date_t *out)
{
    char t[11], g[11];
    *out = today;
    if (!sm_arg_date(ctx, key, out))
        return 0;
    if (sm_date_cmp(*out, today) > 0)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, key,
                           _("%s %s is after today (%s); give a date on or before today"), key,
                           sm_date_format(*out, g), sm_date_format(today, t));
    return 0;
}

/*  A multi-line text argument into out: 1 present, 0 absent, -1 refused. */
static int s_get_text(sm_ctx_t *ctx, const char *key, size_t max_chars, char *out, size_t size)
{
    const char *text = sm_arg_str(ctx, key);
    if (!text)
        return 0;
    return advice_text_check(text, key, max_chars, out, size, sm_ctx_err(ctx)) == 0 ? 1 : -1;
}

/*  An optional period argument (default dflt). Returns 0 or -1. */
static int s_get_period(sm_ctx_t *ctx, const char *key, deadline_period_t dflt,
                        deadline_period_t *out)
{
    const char *v = sm_arg_str(ctx, key);
    *out = dflt;
    return v ? deadline_period_parse(v, key, out, sm_ctx_err(ctx)) : 0;
}

/* ==== Events ============================================================= */

/*  Emit intake.advice.received for a. Returns 0 or -1 (ctx error). */
static int s_emit_received(sm_ctx_t *ctx, const advice_t *a)
{
    char d1[11], d2[11];
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "intake.advice.received");
    msgpack_pack_map(pk, 6);
    sm_pack_kv_str(pk, "id", a->item.id);
    sm_pack_kv_str(pk, "kind", deadline_kind_name(a->item.kind));
    sm_pack_kv_str(pk, "theme", a->theme[0] ? a->theme : NULL);
    sm_pack_kv_str(pk, "from", a->from[0] ? a->from : NULL);
    sm_pack_kv_str(pk, "received", sm_date_format(a->item.received, d1));
    sm_pack_kv_str(pk, "answer_due", sm_date_format(deadline_answer_due(&a->item), d2));
    return sm_ctx_event_end(ctx);
}

/* ==== Ops ================================================================ */

/*  advice.add: see advice.h and proto/ops-intake.md. Returns 0 or -1. */
int op_advice_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    intake_t *state = intake_of(ctx);
    sm_date_t today = sm_date_today(), received;
    char from[40] = "", theme[40] = "";
    deadline_kind_t kind;
    deadline_period_t ap, ep;
    snprintf(from, sizeof from, "%s", sm_arg_str(ctx, "from") ? sm_arg_str(ctx, "from") : "");
    snprintf(theme, sizeof theme, "%s", sm_arg_str(ctx, "theme") ? sm_arg_str(ctx, "theme") : "");
    if (deadline_kind_parse(sm_arg_str(ctx, "kind"), "kind", &kind, e) ||
        s_get_day(ctx, "received", today, &received) ||
        s_get_period(ctx, "answer_period", state->answer_period, &ap) < 0 ||
        s_get_period(ctx, "evaluation_period", state->evaluation_period, &ep) < 0)
        return -1;
    advice_t *a = calloc(1, sizeof *a);
    if (!a)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    int rc = -1;
    if (s_get_text(ctx, "summary", ADVICE_TEXT_MAX_CHARS, a->summary, sizeof a->summary) < 0)
        goto done;
    if (theme[0]) {
        uint64_t t = sm_id_parse(theme, 'T', "theme", e);
        if (!t)
            goto done;
        sm_id_format('T', t, a->theme);
    }
    if (from[0]) {
        if (from[0] == 'P' || from[0] == 'p') {
            uint64_t pid = sm_id_parse(from, 'P', "from", e);
            record_t *rec = pid ? malloc(sizeof *rec) : NULL;
            int got = rec ? participant_load(ctx, pid, rec) : -1;
            bool erased = got == 1 && rec->erased;
            if (rec) {
                explicit_bzero(rec, sizeof *rec);
                free(rec);
            }
            if (!pid)
                goto done;
            if (got < 0) {
                if (!e->code)
                    sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
                goto done;
            }
            if (got == 0 || erased) {
                sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "from",
                            erased ? _("from: there is no participant P%llu any more (erased); "
                                       "give a participant (P12) or organisation (O3) ID, or "
                                       "leave it out")
                                   : _("from: there is no participant P%llu; give a participant "
                                       "(P12) or organisation (O3) ID, or leave it out"),
                            (unsigned long long)pid);
                goto done;
            }
            sm_id_format('P', pid, a->from);
        } else if (organisation_require(ctx, from, "from", a->from, NULL) != 0)
            goto done;
    }
    if (sm_owners_take(ctx, &a->owners) != 0)
        goto done;
    a->id = sm_ctx_next_id(ctx, 'A');
    if (!a->id)
        goto done;
    char id[24];
    sm_id_format('A', a->id, id);
    if (deadline_item_init(&a->item, id, kind, received, ap, ep, e) != 0)
        goto done;
    a->created_ms = sm_ctx_now_ms(ctx);
    if (s_store(ctx, a) != 0)
        goto done;
    if (a->from[0]) {
        uint8_t key[48];
        if (sm_ctx_put(ctx, sm_ctx_dbi(ctx, DB_FROM), key, s_from_key(a->from, a->id, key), "",
                       0) != 0)
            goto done;
    }
    sm_owners_t none = {0, 0};
    if (s_emit_received(ctx, a) != 0 ||
        sm_owners_changed(ctx, advice_owned_kinds, a->id, &none, &a->owners) != 0)
        goto done;
    s_pack_view(ctx, a, today, false, sm_ctx_reply(ctx));
    rc = 0;
done:
    free(a);
    return rc;
}

/*  advice.answer: record the answer. Returns 0 or -1. */
int op_advice_answer(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    sm_date_t today = sm_date_today(), date;
    deadline_outcome_t outcome;
    advice_t *a = calloc(1, sizeof *a);
    char *reason = calloc(1, DEADLINE_REASON_SIZE + 1);
    int rc = -1;
    if (!a || !reason) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto done;
    }
    if (s_require(ctx, a) ||
        deadline_outcome_parse(sm_arg_str(ctx, "outcome"), "outcome", &outcome, e) ||
        s_get_day(ctx, "answered", today, &date) ||
        s_get_text(ctx, "text", ADVICE_TEXT_MAX_CHARS, a->answer, sizeof a->answer) < 0)
        goto done;
    int has_reason = s_get_text(ctx, "reason", DEADLINE_REASON_MAX_CHARS, reason,
                                DEADLINE_REASON_SIZE + 1);
    if (has_reason < 0)
        goto done;
    if (deadline_item_answer(&a->item, date, outcome, has_reason ? reason : NULL, e) != 0)
        goto done;
    sm_date_t due;
    deadline_evaluation_due(&a->item, &due);
    if (s_store(ctx, a) != 0)
        goto done;
    char d1[11], d2[11];
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "intake.advice.answered");
    msgpack_pack_map(pk, 4);
    sm_pack_kv_str(pk, "id", a->item.id);
    sm_pack_kv_str(pk, "outcome", deadline_outcome_name(outcome));
    sm_pack_kv_str(pk, "answered", sm_date_format(date, d1));
    sm_pack_kv_str(pk, "evaluation_due", sm_date_format(due, d2));
    if (sm_ctx_event_end(ctx) != 0)
        goto done;
    s_pack_view(ctx, a, today, false, sm_ctx_reply(ctx));
    rc = 0;
done:
    free(a);
    free(reason);
    return rc;
}

/*  advice.evaluate: record the evaluation. Returns 0 or -1. */
int op_advice_evaluate(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    sm_date_t today = sm_date_today(), date;
    advice_t *a = calloc(1, sizeof *a);
    int rc = -1;
    if (!a)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (s_require(ctx, a) || s_get_day(ctx, "evaluated", today, &date) ||
        s_get_text(ctx, "text", ADVICE_TEXT_MAX_CHARS, a->evaluation, sizeof a->evaluation) < 0 ||
        deadline_item_evaluate(&a->item, date, e) != 0 || s_store(ctx, a) != 0)
        goto done;
    char d[11];
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "intake.advice.evaluated");
    msgpack_pack_map(pk, 2);
    sm_pack_kv_str(pk, "id", a->item.id);
    sm_pack_kv_str(pk, "evaluated", sm_date_format(date, d));
    if (sm_ctx_event_end(ctx) != 0)
        goto done;
    s_pack_view(ctx, a, today, false, sm_ctx_reply(ctx));
    rc = 0;
done:
    free(a);
    return rc;
}

/*  advice.get: one item with its texts. Returns 0 or -1. */
int op_advice_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    advice_t *a = calloc(1, sizeof *a);
    int rc = -1;
    if (!a)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (s_require(ctx, a) == 0) {
        s_pack_view(ctx, a, sm_date_today(), true, sm_ctx_reply(ctx));
        rc = 0;
    }
    free(a);
    return rc;
}

/*  advice.list: items by state, kind, theme, sender; paged. Returns 0 or -1. */
int op_advice_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *const states[] = {"received", "answered", "evaluated", "open", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    const char *state = sm_arg_str(ctx, "state"), *kind_text = sm_arg_str(ctx, "kind");
    char theme[40], from[40];
    snprintf(theme, sizeof theme, "%s", sm_arg_str(ctx, "theme") ? sm_arg_str(ctx, "theme") : "");
    snprintf(from, sizeof from, "%s", sm_arg_str(ctx, "from") ? sm_arg_str(ctx, "from") : "");
    uint64_t after = sm_arg_id(ctx, "after");
    uint64_t limit = (uint64_t)sm_arg_int(ctx, "limit", LIST_DEFAULT);
    deadline_kind_t kind = DEADLINE_SIGNAL;
    bool has_kind = kind_text != NULL;
    sm_owner_filter_t by_owner;
    if ((has_kind && deadline_kind_parse(kind_text, "kind", &kind, e)) ||
        sm_owner_filter_take(ctx, &by_owner) != 0)
        return -1;
    int want_state = -1;
    for (int i = 0; state && states[i]; i++)
        if (strcmp(states[i], state) == 0)
            want_state = i;
    char theme_id[24] = "", from_id[24] = "";
    if (theme[0]) {
        uint64_t t = sm_id_parse(theme, 'T', "theme", e);
        if (!t)
            return -1;
        sm_id_format('T', t, theme_id);
    }
    if (from[0]) {
        char letter = (char)(from[0] & ~0x20);
        uint64_t f = sm_id_parse(from, letter == 'O' ? 'O' : 'P', "from", e);
        if (!f)
            return -1;
        sm_id_format(letter == 'O' ? 'O' : 'P', f, from_id);
    }
    advice_t *a = calloc(1, sizeof *a);
    MDB_cursor *cur;
    if (!a)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB), &cur) != 0) {
        free(a);
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read the advice"));
    }
    //  The list is packed after counting: collect the matching IDs first.
    uint64_t *ids = malloc((limit + 1) * sizeof *ids);
    size_t n = 0;
    bool more = false;
    sm_date_t today = sm_date_today();
    uint8_t from_key[8];
    sm_key_u64(after + 1, from_key);
    MDB_val k = {8, from_key}, v;
    for (int mrc = ids ? mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE) : -1; mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (s_decode(v.mv_data, v.mv_size, a) != 0)
            continue;
        if (want_state == 3 ? a->item.state == DEADLINE_EVALUATED
                            : (want_state >= 0 && (int)a->item.state != want_state))
            continue;
        if ((has_kind && a->item.kind != kind) || (theme_id[0] && strcmp(theme_id, a->theme)) ||
            (from_id[0] && strcmp(from_id, a->from)) ||
            !sm_owner_filter_match(&by_owner, &a->owners))
            continue;
        if (n == limit) {
            more = true;
            break;
        }
        ids[n++] = a->id;
    }
    mdb_cursor_close(cur);
    int rc = 0;
    if (!ids)
        rc = sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        char next[24];
        msgpack_pack_map(pk, 2);
        sm_pack_str(pk, "advice");
        msgpack_pack_array(pk, n);
        for (size_t i = 0; i < n; i++) {
            if (s_load(ctx, ids[i], a) != 1) {
                memset(a, 0, sizeof *a);
                a->id = ids[i];
                sm_id_format('A', ids[i], a->item.id);
            }
            s_pack_view(ctx, a, today, true, pk);
        }
        sm_pack_kv_str(pk, "next", more && n ? sm_id_format('A', ids[n - 1], next) : NULL);
    }
    free(ids);
    free(a);
    return rc;
}

/* ==== Owners ============================================================= */

/*  advice.assign: give an item an owner and a deputy (common/owner.h).
    Returns 0 or -1. */
int op_advice_assign(sm_ctx_t *ctx, const msgpack_object *args)
{
    advice_t *a = calloc(1, sizeof *a);
    int rc = -1;
    if (!a)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (s_require(ctx, a) == 0) {
        sm_owners_t was = a->owners;
        if (sm_owners_take(ctx, &a->owners) == 0 && s_store(ctx, a) == 0 &&
            sm_owners_changed(ctx, advice_owned_kinds, a->id, &was, &a->owners) == 0) {
            s_pack_view(ctx, a, sm_date_today(), false, sm_ctx_reply(ctx));
            rc = 0;
        }
    }
    free(a);
    return rc;
}

/*  sm_owned_kind_t.get: an item's owners; open until evaluated. */
static int s_owned_get(sm_ctx_t *ctx, uint64_t id, sm_owners_t *owners, bool *open)
{
    advice_t *a = malloc(sizeof *a);
    if (!a)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    int rc = s_load(ctx, id, a);
    if (rc == 1) {
        *owners = a->owners;
        *open = a->item.state != DEADLINE_EVALUATED;
    }
    free(a);
    return rc;
}

/*  sm_owned_kind_t.set: store an item's new owners. */
static int s_owned_set(sm_ctx_t *ctx, uint64_t id, const sm_owners_t *owners)
{
    advice_t *a = malloc(sizeof *a);
    if (!a)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    int rc = s_load(ctx, id, a);
    if (rc == 1) {
        a->owners = *owners;
        rc = s_store(ctx, a);
    }
    free(a);
    return rc < 0 ? -1 : 0;
}

const sm_owned_kind_t advice_owned_kinds[] = {
    {'A', "advice", "intake.advice.assigned", s_owned_get, s_owned_set},
    {0, NULL, NULL, NULL, NULL}};

/*  Sort overdue rows: most days late first, then by ID. */
typedef struct {
    uint64_t id;
    int64_t days_late;
} s_late_t;

static int s_cmp_late(const void *x, const void *y)
{
    const s_late_t *a = x, *b = y;
    if (a->days_late != b->days_late)
        return a->days_late > b->days_late ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/*  Call fn for every open item (not evaluated), in ID order. */
typedef int(s_open_fn)(sm_ctx_t *ctx, advice_t *a, void *arg);

static int s_each_open(sm_ctx_t *ctx, s_open_fn *fn, void *arg)
{
    MDB_cursor *cur;
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB_OPEN), &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read the open advice"));
    //  Collect first: fn may write to advice_open's neighbour databases.
    size_t n = 0, cap = 64;
    uint64_t *ids = malloc(cap * sizeof *ids);
    MDB_val k, v;
    int rc = ids ? 0 : sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    for (int mrc = rc ? -1 : mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 8)
            continue;
        if (n == cap) {
            uint64_t *more = realloc(ids, 2 * cap * sizeof *more);
            if (!more) {
                rc = sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
                break;
            }
            ids = more;
            cap *= 2;
        }
        ids[n++] = sm_key_u64_decode(k.mv_data);
    }
    mdb_cursor_close(cur);
    advice_t *a = rc == 0 ? malloc(sizeof *a) : NULL;
    if (rc == 0 && !a)
        rc = sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int got = s_load(ctx, ids[i], a);
        if (got < 0)
            rc = -1;
        else if (got == 1)
            rc = fn(ctx, a, arg);
    }
    free(a);
    free(ids);
    return rc;
}

typedef struct {
    sm_date_t today;
    s_late_t *rows;
    size_t n, cap;
} s_late_list_t;

/*  s_open_fn: add a to the late list when overdue. Returns 0 or -1. */
static int s_collect_late(sm_ctx_t *ctx, advice_t *a, void *arg)
{
    s_late_list_t *l = arg;
    deadline_status_t st = deadline_item_status(&a->item, l->today);
    if (!st.overdue)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        s_late_t *rows = realloc(l->rows, cap * sizeof *rows);
        if (!rows)
            return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        l->rows = rows;
        l->cap = cap;
    }
    l->rows[l->n++] = (s_late_t){a->id, st.days_late};
    return 0;
}

/*  advice.overdue: the late items, most days late first. Returns 0 or -1. */
int op_advice_overdue(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_late_list_t l = {sm_date_today(), NULL, 0, 0};
    if (s_each_open(ctx, s_collect_late, &l) != 0) {
        free(l.rows);
        return -1;
    }
    if (l.n)
        qsort(l.rows, l.n, sizeof *l.rows, s_cmp_late);
    advice_t *a = malloc(sizeof *a);
    if (!a) {
        free(l.rows);
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    char d[11];
    msgpack_pack_map(pk, 2);
    sm_pack_kv_str(pk, "today", sm_date_format(l.today, d));
    sm_pack_str(pk, "overdue");
    msgpack_pack_array(pk, l.n);
    for (size_t i = 0; i < l.n; i++) {
        if (s_load(ctx, l.rows[i].id, a) != 1) {
            memset(a, 0, sizeof *a);
            sm_id_format('A', l.rows[i].id, a->item.id);
        }
        s_pack_view(ctx, a, l.today, true, pk);
    }
    free(a);
    free(l.rows);
    return 0;
}

/* ==== The overdue check ================================================== */

/*  s_open_fn: emit intake.advice.overdue for a when a notice is due, and
    record it as announced. Returns 0 or -1 (ctx error). */
static int s_notice(sm_ctx_t *ctx, advice_t *a, void *arg)
{
    sm_date_t today = *(sm_date_t *)arg;
    deadline_status_t st;
    deadline_next_t what = deadline_overdue_notice(&a->item, today, a->announced_answer,
                                                   a->announced_evaluation, &st);
    if (what == DEADLINE_NEXT_NONE)
        return 0;
    if (what == DEADLINE_NEXT_ANSWER)
        a->announced_answer = true;
    else
        a->announced_evaluation = true;
    if (s_store(ctx, a) != 0)
        return -1;
    char d[11];
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "intake.advice.overdue");
    msgpack_pack_map(pk, 4);
    sm_pack_kv_str(pk, "id", a->item.id);
    sm_pack_kv_str(pk, "what", what == DEADLINE_NEXT_ANSWER ? "answer" : "evaluation");
    sm_pack_kv_str(pk, "due", sm_date_format(st.due, d));
    sm_pack_kv_int(pk, "days_late", st.days_late);
    if (sm_ctx_event_end(ctx) != 0)
        return -1;
    sm_info("advice overdue", "advice=%s what=%s days_late=%lld", a->item.id,
            what == DEADLINE_NEXT_ANSWER ? "answer" : "evaluation", (long long)st.days_late);
    return 0;
}

int advice_overdue_check(sm_ctx_t *ctx, sm_date_t today)
{
    return s_each_open(ctx, s_notice, &today);
}

/* ==== A participant's part =============================================== */

/*  The advice IDs sent by participant id, in ID order. *ids malloc'd.
    Returns the count or -1 (ctx error). */
static long s_sent_by(sm_ctx_t *ctx, uint64_t participant_id, uint64_t **ids)
{
    char from[24];
    sm_id_format('P', participant_id, from);
    uint8_t key[48];
    size_t plen = s_from_key(from, 0, key) - 8;
    MDB_cursor *cur;
    *ids = NULL;
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB_FROM), &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read the advice senders"));
    size_t n = 0, cap = 16;
    uint64_t *out = malloc(cap * sizeof *out);
    long rc = out ? 0 : sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    MDB_val k = {plen + 8, key}, v;
    for (int mrc = rc ? -1 : mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != plen + 8 || memcmp(k.mv_data, key, plen) != 0)
            break;
        if (n == cap) {
            uint64_t *more = realloc(out, 2 * cap * sizeof *more);
            if (!more) {
                rc = sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
                break;
            }
            out = more;
            cap *= 2;
        }
        out[n++] = sm_key_u64_decode((const uint8_t *)k.mv_data + plen);
    }
    mdb_cursor_close(cur);
    if (rc) {
        free(out);
        return -1;
    }
    *ids = out;
    return (long)n;
}

int advice_forget_sender(sm_ctx_t *ctx, uint64_t participant_id)
{
    uint64_t *ids;
    long n = s_sent_by(ctx, participant_id, &ids);
    if (n < 0)
        return -1;
    advice_t *a = malloc(sizeof *a);
    int rc = a ? 0 : sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    for (long i = 0; rc == 0 && i < n; i++) {
        int got = s_load(ctx, ids[i], a);
        if (got < 0) {
            rc = -1;
            break;
        }
        if (got == 1) {
            //  The summary is the resident's own words: it goes with them.
            //  Kind, theme, dates and outcome stay for the statistics.
            explicit_bzero(a->summary, sizeof a->summary);
            a->from[0] = '\0';
            a->from_erased = true;
            rc = s_store(ctx, a);
        }
        if (rc == 0) {
            char from[24];
            uint8_t key[48];
            size_t klen = s_from_key(sm_id_format('P', participant_id, from), ids[i], key);
            rc = sm_ctx_del(ctx, sm_ctx_dbi(ctx, DB_FROM), key, klen);
        }
    }
    if (a)
        explicit_bzero(a, sizeof *a);
    free(a);
    free(ids);
    return rc;
}

int advice_pack_sent_by(sm_ctx_t *ctx, uint64_t participant_id, msgpack_packer *pk)
{
    uint64_t *ids;
    long n = s_sent_by(ctx, participant_id, &ids);
    if (n < 0)
        return -1;
    advice_t *a = malloc(sizeof *a);
    if (!a) {
        free(ids);
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    sm_date_t today = sm_date_today();
    msgpack_pack_array(pk, (size_t)n);
    for (long i = 0; i < n; i++) {
        if (s_load(ctx, ids[i], a) != 1) {
            memset(a, 0, sizeof *a);
            sm_id_format('A', ids[i], a->item.id);
        }
        s_pack_view(ctx, a, today, true, pk);
    }
    free(a);
    free(ids);
    return 0;
}
