/*  services/intake/record.c - the stored participant record and its views.
    See record.h. */
#include "record.h"
#include "common/service.h"
#include "consent.h"
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

/* ==== Small helpers ====================================================== */

const char *record_status(const record_t *rec)
{
    return rec->erased ? "erased" : participant_status_name(rec->p.status);
}

const char *record_age_band(const record_t *rec, int reference_year)
{
    if (rec->erased)
        return rec->age_band[0] ? rec->age_band : "unknown";
    return participant_age_band(rec->p.birth_year, reference_year);
}

size_t record_label_names(unsigned labels, char (*items)[PARTICIPANT_ITEM_SIZE])
{
    size_t n = 0;
    for (int i = 0; i < PARTICIPANT_LABEL_COUNT && n < PARTICIPANT_LIST_MAX; i++)
        if (labels & (1u << i))
            snprintf(items[n++], PARTICIPANT_ITEM_SIZE, "%s", participant_label_name(i));
    return n;
}

size_t record_need_names(unsigned needs, char (*items)[PARTICIPANT_ITEM_SIZE])
{
    size_t n = 0;
    for (int i = 0; i < PARTICIPANT_NEED_COUNT && n < PARTICIPANT_LIST_MAX; i++)
        if (needs & (1u << i))
            snprintf(items[n++], PARTICIPANT_ITEM_SIZE, "%s", participant_need_name(i));
    return n;
}

/*  Pack a list of fixed rows. */
static void s_pack_rows(msgpack_packer *pk, const char (*items)[PARTICIPANT_ITEM_SIZE], size_t n)
{
    msgpack_pack_array(pk, n);
    for (size_t i = 0; i < n; i++)
        sm_pack_str(pk, items[i]);
}

/*  Pack the label names of a bit mask as an array. Can't fail. */
static void s_pack_labels(msgpack_packer *pk, unsigned labels)
{
    msgpack_pack_array(pk, (size_t)__builtin_popcount(labels & ((1u << PARTICIPANT_LABEL_COUNT) - 1)));
    for (int i = 0; i < PARTICIPANT_LABEL_COUNT; i++)
        if (labels & (1u << i))
            sm_pack_str(pk, participant_label_name(i));
}

/*  Pack the need names of a bit mask as an array. Can't fail. */
static void s_pack_needs(msgpack_packer *pk, unsigned needs)
{
    msgpack_pack_array(pk, (size_t)__builtin_popcount(needs & ((1u << PARTICIPANT_NEED_COUNT) - 1)));
    for (int i = 0; i < PARTICIPANT_NEED_COUNT; i++)
        if (needs & (1u << i))
            sm_pack_str(pk, participant_need_name(i));
}

/*  key: "YYYY-MM-DD", or nil when the date is unset (y == 0). */
static void s_pack_kv_date(msgpack_packer *pk, const char *key, sm_date_t d)
{
    char buf[11];
    if (d.y)
        sm_pack_kv_str(pk, key, sm_date_format(d, buf));
    else
        sm_pack_kv_nil(pk, key);
}

/*  key: text, or nil when empty. */
static void s_pack_kv_opt(msgpack_packer *pk, const char *key, const char *val)
{
    sm_pack_kv_str(pk, key, val[0] ? val : NULL);
}

sm_date_t record_last_contact(const record_t *rec)
{
    if (rec->last_contact.y)
        return rec->last_contact;
    sm_date_t changed = rec->updated_ms > 0 ? sm_date_of_ms(rec->updated_ms) : (sm_date_t){0, 0, 0};
    return consent_later(rec->consent_given, changed);
}

/* ==== Erasure ============================================================ */

void record_erase(record_t *rec, int reference_year, sm_date_t date)
{
    if (rec->erased)
        return;
    snprintf(rec->age_band, sizeof rec->age_band, "%s",
             participant_age_band(rec->p.birth_year, reference_year));
    //  Overwrite, not just truncate: the record is encoded from these
    //  buffers, and nothing of them may reach the store again.
    explicit_bzero(rec->p.name, sizeof rec->p.name);
    explicit_bzero(rec->p.email, sizeof rec->p.email);
    explicit_bzero(rec->p.phone, sizeof rec->p.phone);
    explicit_bzero(rec->p.postal_code, sizeof rec->p.postal_code);
    explicit_bzero(rec->consent_for, sizeof rec->consent_for);
    explicit_bzero(rec->guardian, sizeof rec->guardian);
    rec->guardian_consent_given = (sm_date_t){0, 0, 0};
    explicit_bzero(rec->newsletter_token, sizeof rec->newsletter_token);
    if (rec->newsletter && !rec->newsletter_withdrawn.y)
        rec->newsletter_withdrawn = date;
    rec->newsletter = false;
    rec->p.birth_year = 0;
    rec->p.accessibility = 0;
    rec->p.consent = false;
    rec->p.status = PARTICIPANT_WITHDRAWN;
    if (!rec->consent_withdrawn.y)
        rec->consent_withdrawn = date;
    rec->erased = true;
    rec->erased_on = date;
}

int record_new_token(record_t *rec)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char r[16];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        return -1;
    for (int i = 0; i < 16; i++) {
        rec->newsletter_token[2 * i] = hex[r[i] >> 4];
        rec->newsletter_token[2 * i + 1] = hex[r[i] & 15];
    }
    rec->newsletter_token[32] = '\0';
    explicit_bzero(r, sizeof r);
    return 0;
}

/* ==== Encoding =========================================================== */

void record_encode(const record_t *rec, msgpack_packer *pk)
{
    const participant_t *p = &rec->p;
    char id[24];
    size_t n = 12;
    n += p->name[0] != 0;
    n += p->email[0] != 0;
    n += p->phone[0] != 0;
    n += p->postal_code[0] != 0;
    n += p->birth_year != 0;
    n += rec->consent_for[0] != 0;
    n += rec->consent_given.y != 0;
    n += rec->consent_withdrawn.y != 0;
    n += rec->erased ? 2 : 0;
    n += rec->guardian[0] != 0;
    n += rec->guardian_consent_given.y != 0;
    n += rec->last_contact.y != 0;
    n += 1 + (rec->newsletter_given.y != 0) + (rec->newsletter_withdrawn.y != 0) +
         (rec->newsletter_token[0] != 0);
    msgpack_pack_map(pk, n);
    sm_pack_kv_str(pk, "id", sm_id_format('P', rec->id, id));
    sm_pack_kv_str(pk, "status", participant_status_name(p->status));
    sm_pack_kv_bool(pk, "erased", rec->erased);
    if (p->name[0])
        sm_pack_kv_str(pk, "name", p->name);
    if (p->email[0])
        sm_pack_kv_str(pk, "email", p->email);
    if (p->phone[0])
        sm_pack_kv_str(pk, "phone", p->phone);
    if (p->postal_code[0])
        sm_pack_kv_str(pk, "postal_code", p->postal_code);
    if (p->birth_year)
        sm_pack_kv_int(pk, "birth_year", p->birth_year);
    sm_pack_kv_str(pk, "municipality", p->municipality);
    sm_pack_str(pk, "labels");
    s_pack_labels(pk, p->labels);
    sm_pack_str(pk, "target_groups");
    s_pack_rows(pk, p->target_groups, p->target_groups_count);
    sm_pack_str(pk, "themes");
    s_pack_rows(pk, p->experience_themes, p->experience_themes_count);
    sm_pack_kv_str(pk, "channel", p->channel);
    sm_pack_str(pk, "accessibility");
    s_pack_needs(pk, p->accessibility);
    sm_pack_kv_bool(pk, "consent", p->consent);
    if (rec->consent_for[0])
        sm_pack_kv_str(pk, "consent_for", rec->consent_for);
    if (rec->consent_given.y)
        s_pack_kv_date(pk, "consent_given", rec->consent_given);
    if (rec->consent_withdrawn.y)
        s_pack_kv_date(pk, "consent_withdrawn", rec->consent_withdrawn);
    sm_pack_kv_int(pk, "registered_ms", rec->registered_ms);
    sm_pack_kv_int(pk, "updated_ms", rec->updated_ms);
    if (rec->erased) {
        s_pack_kv_date(pk, "erased_on", rec->erased_on);
        sm_pack_kv_str(pk, "age_band", rec->age_band);
    }
    if (rec->guardian[0])
        sm_pack_kv_str(pk, "guardian", rec->guardian);
    if (rec->guardian_consent_given.y)
        s_pack_kv_date(pk, "guardian_consent_given", rec->guardian_consent_given);
    if (rec->last_contact.y)
        s_pack_kv_date(pk, "last_contact", rec->last_contact);
    sm_pack_kv_bool(pk, "newsletter", rec->newsletter);
    if (rec->newsletter_given.y)
        s_pack_kv_date(pk, "newsletter_given", rec->newsletter_given);
    if (rec->newsletter_withdrawn.y)
        s_pack_kv_date(pk, "newsletter_withdrawn", rec->newsletter_withdrawn);
    if (rec->newsletter_token[0])
        sm_pack_kv_str(pk, "newsletter_token", rec->newsletter_token);
}

/* ==== Decoding =========================================================== */

/*  A list of text into fixed rows; items that do not fit are skipped.
    Returns the count. */
static size_t s_get_rows(const msgpack_object *map, const char *key,
                         char (*items)[PARTICIPANT_ITEM_SIZE])
{
    const msgpack_object *a = sm_map_get(map, key);
    size_t n = 0;
    if (!a || a->type != MSGPACK_OBJECT_ARRAY)
        return 0;
    for (uint32_t i = 0; i < a->via.array.size && n < PARTICIPANT_LIST_MAX; i++) {
        const msgpack_object *o = &a->via.array.ptr[i];
        if (o->type != MSGPACK_OBJECT_STR || o->via.str.size == 0 ||
            o->via.str.size >= PARTICIPANT_ITEM_SIZE)
            continue;
        memcpy(items[n], o->via.str.ptr, o->via.str.size);
        items[n][o->via.str.size] = '\0';
        n++;
    }
    return n;
}

/*  A list of names into a bit mask by name(i) for i < count. */
static unsigned s_get_mask(const msgpack_object *map, const char *key,
                           const char *(*name)(int), int count)
{
    char rows[PARTICIPANT_LIST_MAX][PARTICIPANT_ITEM_SIZE];
    size_t n = s_get_rows(map, key, rows);
    unsigned mask = 0;
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < count; b++)
            if (strcmp(rows[i], name(b)) == 0)
                mask |= 1u << b;
    return mask;
}

/*  Read an optional stored date; absent or unreadable leaves it unset (y == 0). */
static void s_get_date(const msgpack_object *map, const char *key, sm_date_t *out)
{
    char buf[16];
    out->y = out->m = out->d = 0;
    if (sm_get_str(map, key, false, buf, sizeof buf, false, NULL) > 0 &&
        sm_date_parse(buf, out, key, NULL) != 0)
        out->y = out->m = out->d = 0;
}

int record_decode(const void *data, size_t size, record_t *rec)
{
    memset(rec, 0, sizeof *rec);
    sm_doc_t *doc = sm_doc_parse(data, size, NULL);
    if (!doc)
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    participant_t *p = &rec->p;
    char id[24], status[16];
    int64_t year = 0;
    int rc = -1;
    if (r->type != MSGPACK_OBJECT_MAP || sm_get_str(r, "id", true, id, sizeof id, false, NULL) <= 0 ||
        (rec->id = sm_id_parse(id, 'P', "id", NULL)) == 0 ||
        sm_get_str(r, "status", true, status, sizeof status, false, NULL) <= 0)
        goto done;
    if (strcmp(status, "paused") == 0)
        p->status = PARTICIPANT_PAUSED;
    else if (strcmp(status, "withdrawn") == 0)
        p->status = PARTICIPANT_WITHDRAWN;
    else
        p->status = PARTICIPANT_ACTIVE;
    sm_get_bool(r, "erased", false, &rec->erased, NULL);
    sm_get_str(r, "name", false, p->name, sizeof p->name, false, NULL);
    sm_get_str(r, "email", false, p->email, sizeof p->email, false, NULL);
    sm_get_str(r, "phone", false, p->phone, sizeof p->phone, false, NULL);
    sm_get_str(r, "postal_code", false, p->postal_code, sizeof p->postal_code, false, NULL);
    if (sm_get_int(r, "birth_year", false, 0, 9999, &year, NULL) > 0)
        p->birth_year = (int)year;
    sm_get_str(r, "municipality", false, p->municipality, sizeof p->municipality, true, NULL);
    p->labels = s_get_mask(r, "labels", participant_label_name, PARTICIPANT_LABEL_COUNT);
    p->target_groups_count = s_get_rows(r, "target_groups", p->target_groups);
    p->experience_themes_count = s_get_rows(r, "themes", p->experience_themes);
    sm_get_str(r, "channel", false, p->channel, sizeof p->channel, true, NULL);
    p->accessibility = s_get_mask(r, "accessibility", participant_need_name, PARTICIPANT_NEED_COUNT);
    sm_get_bool(r, "consent", false, &p->consent, NULL);
    sm_get_str(r, "consent_for", false, rec->consent_for, sizeof rec->consent_for, false, NULL);
    s_get_date(r, "consent_given", &rec->consent_given);
    s_get_date(r, "consent_withdrawn", &rec->consent_withdrawn);
    sm_get_int(r, "registered_ms", false, 0, INT64_MAX, &rec->registered_ms, NULL);
    sm_get_int(r, "updated_ms", false, 0, INT64_MAX, &rec->updated_ms, NULL);
    s_get_date(r, "erased_on", &rec->erased_on);
    sm_get_str(r, "age_band", false, rec->age_band, sizeof rec->age_band, false, NULL);
    sm_get_str(r, "guardian", false, rec->guardian, sizeof rec->guardian, false, NULL);
    s_get_date(r, "guardian_consent_given", &rec->guardian_consent_given);
    s_get_date(r, "last_contact", &rec->last_contact);
    sm_get_bool(r, "newsletter", false, &rec->newsletter, NULL);
    s_get_date(r, "newsletter_given", &rec->newsletter_given);
    s_get_date(r, "newsletter_withdrawn", &rec->newsletter_withdrawn);
    sm_get_str(r, "newsletter_token", false, rec->newsletter_token, sizeof rec->newsletter_token,
               false, NULL);
    rc = 0;
done:
    sm_doc_destroy(&doc);
    if (rc)
        memset(rec, 0, sizeof *rec);
    return rc;
}

/* ==== Views ============================================================== */

void record_pack_event(const record_t *rec, int reference_year, msgpack_packer *pk)
{
    const participant_t *p = &rec->p;
    char id[24];
    msgpack_pack_map(pk, 9);
    sm_pack_kv_str(pk, "id", sm_id_format('P', rec->id, id));
    sm_pack_kv_str(pk, "status", record_status(rec));
    s_pack_kv_opt(pk, "municipality", p->municipality);
    sm_pack_str(pk, "target_groups");
    s_pack_rows(pk, p->target_groups, p->target_groups_count);
    sm_pack_str(pk, "labels");
    s_pack_labels(pk, p->labels);
    sm_pack_str(pk, "themes");
    s_pack_rows(pk, p->experience_themes, p->experience_themes_count);
    sm_pack_kv_str(pk, "age_band", record_age_band(rec, reference_year));
    s_pack_kv_opt(pk, "channel", p->channel);
    sm_pack_kv_bool(pk, "consent", p->consent);
}

void record_pack_full(const record_t *rec, int reference_year, const char *muni_name,
                      const char *channel_name, bool personal, msgpack_packer *pk)
{
    const participant_t *p = &rec->p;
    //  Withheld fields are nil (or empty): the shape stays the same.
    const char *none = "";
    char id[24], ts[24];
    msgpack_pack_map(pk, 30);
    sm_pack_kv_str(pk, "id", sm_id_format('P', rec->id, id));
    sm_pack_kv_str(pk, "status", record_status(rec));
    s_pack_kv_opt(pk, "name", personal ? p->name : none);
    s_pack_kv_opt(pk, "email", personal ? p->email : none);
    s_pack_kv_opt(pk, "phone", personal ? p->phone : none);
    s_pack_kv_opt(pk, "postal_code", personal ? p->postal_code : none);
    s_pack_kv_opt(pk, "municipality", p->municipality);
    sm_pack_kv_str(pk, "municipality_name", muni_name && muni_name[0] ? muni_name : NULL);
    if (p->birth_year && personal)
        sm_pack_kv_int(pk, "birth_year", p->birth_year);
    else
        sm_pack_kv_nil(pk, "birth_year");
    sm_pack_kv_str(pk, "age_band", record_age_band(rec, reference_year));
    sm_pack_str(pk, "labels");
    s_pack_labels(pk, p->labels);
    sm_pack_str(pk, "target_groups");
    s_pack_rows(pk, p->target_groups, p->target_groups_count);
    sm_pack_str(pk, "themes");
    s_pack_rows(pk, p->experience_themes, p->experience_themes_count);
    s_pack_kv_opt(pk, "channel", p->channel);
    sm_pack_kv_str(pk, "channel_name", channel_name && channel_name[0] ? channel_name : NULL);
    sm_pack_str(pk, "accessibility");
    s_pack_needs(pk, personal ? p->accessibility : 0);
    sm_pack_kv_bool(pk, "consent", p->consent);
    s_pack_kv_opt(pk, "consent_for", personal ? rec->consent_for : none);
    s_pack_kv_date(pk, "consent_given", rec->consent_given);
    s_pack_kv_date(pk, "consent_withdrawn", rec->consent_withdrawn);
    //  What the age rule asks of this person (consent.h), and the
    //  guardian's consent: who only for those who see personal fields.
    sm_pack_kv_str(pk, "consent_asked",
                   consent_asked_name(consent_asked(rec->p.birth_year, reference_year)));
    s_pack_kv_opt(pk, "guardian", personal ? rec->guardian : none);
    s_pack_kv_date(pk, "guardian_consent_given", rec->guardian_consent_given);
    s_pack_kv_date(pk, "last_contact", record_last_contact(rec));
    sm_pack_kv_str(pk, "registered", rec->registered_ms ? sm_datetime_format_utc(rec->registered_ms, ts) : NULL);
    sm_pack_kv_str(pk, "updated", rec->updated_ms ? sm_datetime_format_utc(rec->updated_ms, ts) : NULL);
    s_pack_kv_date(pk, "erased_on", rec->erased_on);
    sm_pack_kv_bool(pk, "newsletter", rec->newsletter);
    s_pack_kv_date(pk, "newsletter_given", rec->newsletter_given);
    s_pack_kv_date(pk, "newsletter_ended", rec->newsletter_withdrawn);
}
