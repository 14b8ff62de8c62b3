/*  services/reporting/dataset.c - one consistent snapshot of everything reporting counts.
    See dataset.h. */
#include "dataset.h"
#include "common/i18n.h"
#include "common/record.h"
#include "youth.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ==== Strings that live as long as the dataset ============================ */

struct _dataset_chunk_t {
    dataset_chunk_t *next;
    size_t used, cap;
    char data[];
};

#define S_CHUNK_SIZE (256 * 1024)

/*  n bytes in the dataset aligned for any scalar, or NULL when out of memory. */
static void *s_raw(dataset_t *ds, size_t n)
{
    const size_t align = sizeof(uint64_t);
    dataset_chunk_t *c = ds->chunks;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || at > c->cap || c->cap - at < n) {
        size_t cap = n > S_CHUNK_SIZE ? n : S_CHUNK_SIZE;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = ds->chunks;
        c->used = 0;
        c->cap = cap;
        ds->chunks = c;
        at = 0;
    }
    c->used = at + n;
    return c->data + at;
}

/*  A NUL-terminated copy of s[0..n) in the dataset, or NULL when out of memory. */
static const char *s_strn(dataset_t *ds, const char *s, size_t n)
{
    char *out = s_raw(ds, n + 1);
    if (!out)
        return NULL;
    memcpy(out, s, n);
    out[n] = '\0';
    return out;
}

/*  The text of field key of map as a dataset string; NULL when absent or
    not text. *oom is set when a copy failed. */
static const char *s_field(dataset_t *ds, const msgpack_object *map, const char *key, bool *oom)
{
    const msgpack_object *o = sm_map_get(map, key);
    if (!o || o->type != MSGPACK_OBJECT_STR)
        return NULL;
    const char *s = s_strn(ds, o->via.str.ptr, o->via.str.size);
    if (!s)
        *oom = true;
    return s;
}

/*  "X12" as a dataset string. */
static const char *s_id(dataset_t *ds, char letter, uint64_t n, bool *oom)
{
    char buf[24];
    sm_id_format(letter, n, buf);
    const char *s = s_strn(ds, buf, strlen(buf));
    if (!s)
        *oom = true;
    return s;
}

/*  The text items of list key of map as a dataset array of dataset
    strings (NULL when empty); *n set. */
static const char *const *s_list(dataset_t *ds, const msgpack_object *map, const char *key,
                                 size_t *n, bool *oom)
{
    const msgpack_object *o = sm_map_get(map, key);
    *n = 0;
    if (!o || o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size == 0)
        return NULL;
    //  The pointer array lives in the dataset's chunks too.
    const char **items = s_raw(ds, o->via.array.size * sizeof *items);
    if (!items) {
        *oom = true;
        return NULL;
    }
    for (uint32_t i = 0; i < o->via.array.size; i++) {
        const msgpack_object *it = &o->via.array.ptr[i];
        if (it->type != MSGPACK_OBJECT_STR)
            continue;
        const char *s = s_strn(ds, it->via.str.ptr, it->via.str.size);
        if (!s) {
            *oom = true;
            return NULL;
        }
        items[(*n)++] = s;
    }
    return items;
}

/* ==== Loading ============================================================ */

static int s_oom(sm_ctx_t *ctx)
{
    return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL,
                       _("out of memory while loading the statistics' data; try again later"));
}

/*  Open a cursor on db and count its entries. Returns 0 or -1 (ctx error).
    The loaders read each table in one pass with its values: the record
    layer's scans (common/record.h) hand over IDs only, and a lookup per
    record would double the work on the bulk of the data (attendance). */
static int s_open(sm_ctx_t *ctx, const char *db, MDB_cursor **cur, size_t *entries)
{
    *entries = sm_rec_count(ctx, db);
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, db), cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read %s"), db);
    return 0;
}

/*  calloc that never asks for 0 bytes, so that NULL always means out of memory. */
static void *s_calloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

/*  Load every theme, by number. Returns 0 or -1 (ctx error). */
static int s_load_themes(sm_ctx_t *ctx, dataset_t *ds)
{
    MDB_cursor *cur;
    size_t n;
    bool oom = false;
    if (s_open(ctx, "themes", &cur, &n) != 0)
        return -1;
    ds->themes = s_calloc(n, sizeof *ds->themes);
    MDB_val k, v;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); ds->themes && rc == 0 && ds->n_themes < n;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        sm_doc_t *doc = k.mv_size == 8 ? sm_doc_parse(v.mv_data, v.mv_size, NULL) : NULL;
        if (!doc)
            continue;
        const msgpack_object *r = sm_doc_root(doc);
        dataset_theme_t *t = &ds->themes[ds->n_themes++];
        t->number = sm_key_u64_decode(k.mv_data);
        t->id = s_id(ds, 'T', t->number, &oom);
        t->title = s_field(ds, r, "title", &oom);
        t->question = s_field(ds, r, "question", &oom);
        t->youth_relevant = sm_rec_bool(r, "youth_relevant", false);
        t->municipalities = s_list(ds, r, "municipalities", &t->n_municipalities, &oom);
        const msgpack_object *years = sm_map_get(r, "years");
        for (uint32_t i = 0; years && years->type == MSGPACK_OBJECT_ARRAY &&
                             i < years->via.array.size && t->n_years < 16;
             i++)
            if (years->via.array.ptr[i].type == MSGPACK_OBJECT_POSITIVE_INTEGER)
                t->years[t->n_years++] = (int)years->via.array.ptr[i].via.u64;
        sm_doc_destroy(&doc);
    }
    mdb_cursor_close(cur);
    return !ds->themes || oom ? s_oom(ctx) : 0;
}

/*  Load every session, by number, and mark in *youthish (malloc'd, one per
    session) those whose target groups name youth or parents. Returns 0 or -1. */
static int s_load_sessions(sm_ctx_t *ctx, dataset_t *ds, bool **youthish)
{
    MDB_cursor *cur;
    size_t n;
    bool oom = false;
    if (s_open(ctx, "sessions", &cur, &n) != 0)
        return -1;
    ds->sessions = s_calloc(n, sizeof *ds->sessions);
    ds->session_numbers = s_calloc(n, sizeof *ds->session_numbers);
    ds->session_themes = s_calloc(n, sizeof *ds->session_themes);
    ds->session_reports = s_calloc(n, sizeof *ds->session_reports);
    ds->session_munis = s_calloc(n, sizeof *ds->session_munis);
    ds->n_session_munis = s_calloc(n, sizeof *ds->n_session_munis);
    *youthish = s_calloc(n, sizeof **youthish);
    bool ok = ds->sessions && ds->session_numbers && ds->session_themes && ds->session_reports &&
              ds->session_munis && ds->n_session_munis && *youthish;
    MDB_val k, v;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); ok && rc == 0 && ds->n_sessions < n;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        sm_doc_t *doc = k.mv_size == 8 ? sm_doc_parse(v.mv_data, v.mv_size, NULL) : NULL;
        if (!doc)
            continue;
        const msgpack_object *r = sm_doc_root(doc);
        size_t i = ds->n_sessions++;
        reach_session_t *s = &ds->sessions[i];
        ds->session_numbers[i] = sm_key_u64_decode(k.mv_data);
        ds->session_themes[i] = sm_rec_id(r, "theme", 'T');
        s->id = s_id(ds, 'S', ds->session_numbers[i], &oom);
        s->theme_id = ds->session_themes[i] ? s_id(ds, 'T', ds->session_themes[i], &oom) : NULL;
        s->method = s_field(ds, r, "method", &oom);
        ds->session_munis[i] = s_list(ds, r, "municipalities", &ds->n_session_munis[i], &oom);
        char status[16];
        sm_rec_str(r, "status", status, sizeof status);
        s->held = sm_rec_date(r, "held_on", &s->held_on) && strcmp(status, "held") == 0;
        const msgpack_object *groups = sm_map_get(r, "target_groups");
        for (uint32_t g = 0; groups && groups->type == MSGPACK_OBJECT_ARRAY &&
                             g < groups->via.array.size && !(*youthish)[i];
             g++) {
            const msgpack_object *it = &groups->via.array.ptr[g];
            char word[260];
            if (it->type != MSGPACK_OBJECT_STR || it->via.str.size >= sizeof word)
                continue;
            memcpy(word, it->via.str.ptr, it->via.str.size);
            word[it->via.str.size] = '\0';
            (*youthish)[i] = youth_group_is_youth_or_parents(word);
        }
        sm_doc_destroy(&doc);
    }
    mdb_cursor_close(cur);
    return !ok || oom ? s_oom(ctx) : 0;
}

/*  Mark each session that has a published or sent report. */
static int s_load_reports(sm_ctx_t *ctx, dataset_t *ds)
{
    MDB_cursor *cur;
    size_t n;
    if (s_open(ctx, "reports", &cur, &n) != 0)
        return -1;
    MDB_val k, v;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        sm_doc_t *doc = k.mv_size == 8 ? sm_doc_parse(v.mv_data, v.mv_size, NULL) : NULL;
        if (!doc)
            continue;
        const msgpack_object *r = sm_doc_root(doc);
        long i = dataset_session_index(ds, sm_rec_id(r, "session", 'S'));
        if (i >= 0) {
            reach_session_t *s = &ds->sessions[i];
            ds->session_reports[i] = sm_key_u64_decode(k.mv_data);
            sm_date_t d;
            s->report_published = sm_rec_date(r, "first_published_on", &d);
            s->report_sent = sm_rec_date(r, "first_sent_on", &s->report_sent_on);
        }
        sm_doc_destroy(&doc);
    }
    mdb_cursor_close(cur);
    return 0;
}

/*  The code of a participant's municipality among the known ones (by code
    or name, ASCII case ignored), or NULL. */
static const char *s_muni_code(const dataset_t *ds, const char *m)
{
    for (size_t i = 0; m && i < ds->n_municipalities; i++)
        if (strcasecmp(ds->munis[i].code, m) == 0 || strcasecmp(ds->munis[i].name, m) == 0)
            return ds->munis[i].code;
    return NULL;
}

/*  True when one of items names youth or parents. */
static bool s_any_youthish(const char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (youth_group_is_youth_or_parents(items[i]))
            return true;
    return false;
}

/*  True when one of the words of text (separated by blanks, "-" or "_";
    ASCII case ignored) is one of words. */
static bool s_has_word(const char *text, const char *const *words)
{
    for (const char *p = text; p && *p;) {
        while (*p == ' ' || *p == '-' || *p == '_')
            p++;
        const char *start = p;
        while (*p && *p != ' ' && *p != '-' && *p != '_')
            p++;
        size_t len = (size_t)(p - start);
        for (size_t w = 0; len && words[w]; w++)
            if (strlen(words[w]) == len && strncasecmp(start, words[w], len) == 0)
                return true;
    }
    return false;
}

/*  What the youth report counts a participant as (DATASET_YOUNG,
    DATASET_PARENT): young by age band or label, a parent by label or by a
    target group that names parents. */
static unsigned char s_kind(const reach_participant_t *p, const char *const *labels,
                            size_t n_labels)
{
    static const char *const young[] = {"youth", NULL};
    static const char *const parent[] = {"parent", "parents", "ouder", "ouders", "pleegouder",
                                         "pleegouders", NULL};
    unsigned char kind = reach_age_band_is_youth(p->age_band) ? DATASET_YOUNG : 0;
    for (size_t i = 0; i < n_labels; i++) {
        if (s_has_word(labels[i], young))
            kind |= DATASET_YOUNG;
        if (s_has_word(labels[i], parent))
            kind |= DATASET_PARENT;
    }
    for (size_t i = 0; i < p->n_target_groups; i++)
        if (s_has_word(p->target_groups[i], parent))
            kind |= DATASET_PARENT;
    return kind;
}

/*  Index of participant number in ds (the first n rows, sorted), or -1. */
static long s_participant_index(const dataset_t *ds, size_t n, uint64_t number)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ds->participant_numbers[mid] == number)
            return (long)mid;
        if (ds->participant_numbers[mid] < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/*  Load municipalities, participants and attendance; mark in youthish the
    sessions someone young (or a parent) attended. Returns 0 or -1. */
static int s_load_people(sm_ctx_t *ctx, dataset_t *ds, bool *youthish)
{
    bool oom = false;
    int nm = sm_muni_all(ctx, &ds->munis);
    if (nm < 0)
        return s_oom(ctx);
    ds->n_municipalities = (size_t)nm;
    ds->municipalities = s_calloc(ds->n_municipalities, sizeof *ds->municipalities);
    if (!ds->municipalities)
        return s_oom(ctx);
    for (size_t i = 0; i < ds->n_municipalities; i++)
        ds->municipalities[i] = (reach_municipality_t){ds->munis[i].code, ds->munis[i].inhabitants};

    //  Participants with attributes, by number.
    MDB_cursor *cur, *acur;
    size_t np, na;
    if (s_open(ctx, "participants", &cur, &np) != 0)
        return -1;
    if (s_open(ctx, "attendance", &acur, &na) != 0) {
        mdb_cursor_close(cur);
        return -1;
    }
    //  Room for every attendance row's participant being new: the extra
    //  rows (attendance without attributes) are added after the sorted ones.
    size_t cap = np + na;
    ds->participants = s_calloc(cap, sizeof *ds->participants);
    ds->participant_numbers = s_calloc(cap, sizeof *ds->participant_numbers);
    ds->attendance = s_calloc(na, sizeof *ds->attendance);
    bool *youth_person = s_calloc(cap, sizeof *youth_person);
    ds->participant_kinds = s_calloc(cap, sizeof *ds->participant_kinds);
    bool ok = ds->participants && ds->participant_numbers && ds->attendance && youth_person &&
              ds->participant_kinds;
    MDB_val k, v;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); ok && rc == 0 && ds->n_participants < np;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        sm_doc_t *doc = k.mv_size == 8 ? sm_doc_parse(v.mv_data, v.mv_size, NULL) : NULL;
        if (!doc)
            continue;
        const msgpack_object *r = sm_doc_root(doc);
        size_t i = ds->n_participants++;
        reach_participant_t *p = &ds->participants[i];
        ds->participant_numbers[i] = sm_key_u64_decode(k.mv_data);
        p->id = s_id(ds, 'P', ds->participant_numbers[i], &oom);
        const char *m = s_field(ds, r, "municipality", &oom);
        const char *code = s_muni_code(ds, m);
        p->municipality = code ? code : m;
        p->target_groups = s_list(ds, r, "target_groups", &p->n_target_groups, &oom);
        p->age_band = s_field(ds, r, "age_band", &oom);
        size_t n_labels;
        const char *const *labels = s_list(ds, r, "labels", &n_labels, &oom);
        youth_person[i] = reach_age_band_is_youth(p->age_band) || s_any_youthish(labels, n_labels);
        ds->participant_kinds[i] = s_kind(p, labels, n_labels);
        sm_doc_destroy(&doc);
    }
    mdb_cursor_close(cur);
    size_t sorted = ds->n_participants;
    ds->n_with_attributes = sorted;

    //  Attendance rows, by (participant, session): each participant's rows
    //  lie together, so a participant without attributes is added once.
    static const uint8_t yes[] = {0x81, 0xa8, 'a', 't', 't', 'e', 'n', 'd', 'e', 'd', 0xc3};
    static const uint8_t no[] = {0x81, 0xa8, 'a', 't', 't', 'e', 'n', 'd', 'e', 'd', 0xc2};
    uint64_t last_pid = 0;
    const char *last_id = NULL;
    long last_idx = -1;
    for (int rc = mdb_cursor_get(acur, &k, &v, MDB_FIRST); ok && rc == 0 && ds->n_attendance < na;
         rc = mdb_cursor_get(acur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 16)
            continue;
        uint64_t pid = sm_key_u64_decode(k.mv_data);
        uint64_t sid = sm_key_u64_decode((const uint8_t *)k.mv_data + 8);
        bool attended;
        //  Attendance is the bulk of the data: its one fixed form is read
        //  without a decoder; anything else goes the long way.
        if (v.mv_size == sizeof yes && memcmp(v.mv_data, yes, sizeof yes) == 0)
            attended = true;
        else if (v.mv_size == sizeof no && memcmp(v.mv_data, no, sizeof no) == 0)
            attended = false;
        else {
            sm_doc_t *doc = sm_doc_parse(v.mv_data, v.mv_size, NULL);
            attended = doc && sm_rec_bool(sm_doc_root(doc), "attended", false);
            sm_doc_destroy(&doc);
        }
        if (!last_id || pid != last_pid) {
            last_pid = pid;
            last_idx = s_participant_index(ds, sorted, pid);
            if (last_idx < 0) {
                last_idx = (long)ds->n_participants++;
                ds->participant_numbers[last_idx] = pid;
                ds->participants[last_idx].id = s_id(ds, 'P', pid, &oom);
            }
            last_id = ds->participants[last_idx].id;
        }
        long si = dataset_session_index(ds, sid);
        const char *sid_text = si >= 0 ? ds->sessions[si].id : s_id(ds, 'S', sid, &oom);
        ds->attendance[ds->n_attendance++] = (reach_attendance_t){sid_text, last_id, attended};
        if (attended && si >= 0 && youth_person[last_idx])
            youthish[si] = true;
    }
    mdb_cursor_close(acur);
    free(youth_person);
    return !ok || oom ? s_oom(ctx) : 0;
}

/*  Fill o (its number set) from a stored outcome record, strings in ds.
    Returns 0, or -1 with *oom set. */
static int s_outcome_decode(dataset_t *ds, const msgpack_object *r, dataset_outcome_t *o, bool *oom)
{
    o->theme = sm_rec_id(r, "theme", 'T');
    o->id = s_id(ds, 'U', o->number, oom);
    const msgpack_object *sessions = sm_map_get(r, "sessions");
    if (sessions && sessions->type == MSGPACK_OBJECT_ARRAY && sessions->via.array.size) {
        uint64_t *numbers = s_raw(ds, sessions->via.array.size * sizeof *numbers);
        if (!numbers) {
            *oom = true;
            return -1;
        }
        for (uint32_t i = 0; i < sessions->via.array.size; i++) {
            const msgpack_object *it = &sessions->via.array.ptr[i];
            char id[24];
            if (it->type != MSGPACK_OBJECT_STR || it->via.str.size >= sizeof id)
                continue;
            memcpy(id, it->via.str.ptr, it->via.str.size);
            id[it->via.str.size] = '\0';
            uint64_t n = sm_id_parse(id, 'S', "sessions", NULL);
            if (n)
                numbers[o->n_sessions++] = n;
        }
        o->sessions = numbers;
    }
    char word[32];
    o->item.brought_in = s_field(ds, r, "brought_in", oom);
    o->item.done = s_field(ds, r, "done", oom);
    o->item.reason = s_field(ds, r, "reason", oom);
    o->item.follow_up = s_field(ds, r, "follow_up", oom);
    o->item.n_sessions = o->n_sessions;
    if (overview_status_parse(sm_rec_str(r, "status", word, sizeof word), &o->item.status, "status",
                              NULL) != 0)
        o->item.status = OUTCOME_OPEN;
    if (outcome_effect_parse(sm_rec_str(r, "effect", word, sizeof word), &o->item.effect, "effect",
                             NULL) != 0)
        o->item.effect = OUTCOME_EFFECT_NONE;
    return 0;
}

/*  Load every outcome item, by number. Returns 0 or -1 (ctx error). */
static int s_load_outcomes(sm_ctx_t *ctx, dataset_t *ds)
{
    MDB_cursor *cur;
    size_t n;
    bool oom = false;
    if (s_open(ctx, "outcomes", &cur, &n) != 0)
        return -1;
    ds->outcomes = s_calloc(n, sizeof *ds->outcomes);
    MDB_val k, v;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
         ds->outcomes && !oom && rc == 0 && ds->n_outcomes < n;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        sm_doc_t *doc = k.mv_size == 8 ? sm_doc_parse(v.mv_data, v.mv_size, NULL) : NULL;
        if (!doc)
            continue;
        dataset_outcome_t *o = &ds->outcomes[ds->n_outcomes++];
        o->number = sm_key_u64_decode(k.mv_data);
        s_outcome_decode(ds, sm_doc_root(doc), o, &oom);
        sm_doc_destroy(&doc);
    }
    mdb_cursor_close(cur);
    return !ds->outcomes || oom ? s_oom(ctx) : 0;
}

int dataset_load(sm_ctx_t *ctx, dataset_t *ds, unsigned what)
{
    *ds = (dataset_t){0};
    bool *youthish = NULL;
    int rc = -1;
    if (s_load_themes(ctx, ds) != 0 || s_load_sessions(ctx, ds, &youthish) != 0 ||
        s_load_reports(ctx, ds) != 0)
        goto cleanup;
    if ((what & DATASET_PEOPLE) && s_load_people(ctx, ds, youthish) != 0)
        goto cleanup;
    if ((what & DATASET_OUTCOMES) && s_load_outcomes(ctx, ds) != 0)
        goto cleanup;
    for (size_t i = 0; i < ds->n_sessions; i++) {
        const dataset_theme_t *t = dataset_theme(ds, ds->session_themes[i]);
        ds->sessions[i].youth_relevant = t && t->youth_relevant && youthish[i];
    }
    rc = 0;
cleanup:
    free(youthish);
    if (rc != 0)
        dataset_free(ds);
    return rc;
}

void dataset_free(dataset_t *ds)
{
    if (!ds)
        return;
    free(ds->sessions);
    free(ds->session_numbers);
    free(ds->session_themes);
    free(ds->session_reports);
    free(ds->session_munis);
    free(ds->n_session_munis);
    free(ds->participants);
    free(ds->participant_numbers);
    free(ds->participant_kinds);
    free(ds->attendance);
    free(ds->municipalities);
    free(ds->munis);
    free(ds->themes);
    free(ds->outcomes);
    while (ds->chunks) {
        dataset_chunk_t *next = ds->chunks->next;
        free(ds->chunks);
        ds->chunks = next;
    }
    *ds = (dataset_t){0};
}

/* ==== Lookups ============================================================ */

reach_input_t dataset_reach_input(const dataset_t *ds)
{
    return (reach_input_t){.sessions = ds->sessions,
                           .n_sessions = ds->n_sessions,
                           .attendance = ds->attendance,
                           .n_attendance = ds->n_attendance,
                           .participants = ds->participants,
                           .n_participants = ds->n_participants,
                           .municipalities = ds->municipalities,
                           .n_municipalities = ds->n_municipalities};
}

const dataset_theme_t *dataset_theme(const dataset_t *ds, uint64_t number)
{
    size_t lo = 0, hi = ds->n_themes;
    while (number && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ds->themes[mid].number == number)
            return &ds->themes[mid];
        if (ds->themes[mid].number < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

long dataset_participant_index(const dataset_t *ds, uint64_t number)
{
    long i = s_participant_index(ds, ds->n_with_attributes, number);
    for (size_t k = ds->n_with_attributes; i < 0 && k < ds->n_participants; k++)
        if (ds->participant_numbers[k] == number)
            i = (long)k;
    return i;
}

long dataset_session_index(const dataset_t *ds, uint64_t number)
{
    size_t lo = 0, hi = ds->n_sessions;
    while (number && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ds->session_numbers[mid] == number)
            return (long)mid;
        if (ds->session_numbers[mid] < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

const char *dataset_muni_name(const dataset_t *ds, const char *code)
{
    for (size_t i = 0; code && i < ds->n_municipalities; i++)
        if (strcmp(ds->munis[i].code, code) == 0)
            return ds->munis[i].name;
    return NULL;
}
