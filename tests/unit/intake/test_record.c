/*  tests/unit/intake/test_record.c - the stored participant record, its
    erasure and the views that leave the store. */
#include "services/intake/record.h"
#include "tests/unit/test.h"
#include <stdlib.h>

/*  A full record as the service would store it. */
static void s_record(record_t *rec)
{
    memset(rec, 0, sizeof *rec);
    rec->id = 12;
    participant_t *p = &rec->p;
    snprintf(p->name, sizeof p->name, "Maria van den Heuvel");
    snprintf(p->email, sizeof p->email, "maria@example.nl");
    snprintf(p->phone, sizeof p->phone, "+31612345678");
    snprintf(p->postal_code, sizeof p->postal_code, "1214AB");
    snprintf(p->municipality, sizeof p->municipality, "GM0402");
    p->birth_year = 2001;
    p->labels = PARTICIPANT_LABEL_FOSTER_PARENT | PARTICIPANT_LABEL_PARENT;
    snprintf(p->target_groups[0], PARTICIPANT_ITEM_SIZE, "foster parents");
    snprintf(p->target_groups[1], PARTICIPANT_ITEM_SIZE, "wmo-taxi users");
    p->target_groups_count = 2;
    snprintf(p->experience_themes[0], PARTICIPANT_ITEM_SIZE, "T4");
    p->experience_themes_count = 1;
    snprintf(p->channel, sizeof p->channel, "O3");
    p->accessibility = PARTICIPANT_NEED_WHEELCHAIR;
    p->consent = true;
    p->status = PARTICIPANT_ACTIVE;
    snprintf(rec->consent_for, sizeof rec->consent_for, "invitations to foster-parent cafes");
    rec->consent_given = (sm_date_t){2020, 2, 29};
    rec->registered_ms = 1582934400000;
    rec->updated_ms = 1582934400001;
    snprintf(rec->guardian, sizeof rec->guardian, "Petra Oudewater");
    rec->guardian_consent_given = (sm_date_t){2019, 12, 2};
    rec->last_contact = (sm_date_t){2020, 3, 11};
}

/*  True when needle occurs in the bytes. */
static bool s_contains(const void *hay, size_t n, const char *needle)
{
    return memmem(hay, n, needle, strlen(needle)) != NULL;
}

static const char *const s_personal[] = {"Maria",  "Heuvel", "maria@example.nl", "+31612345678",
                                         "1214AB", "2001",   "wheelchair",       "foster-parent cafes",
                                         "Oudewater", NULL};

TEST(stored_record_round_trips)
{
    record_t *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    s_record(a);
    sm_buf_t buf;
    sm_buf_init(&buf);
    record_encode(a, &buf.pk);
    CHECK_INT(record_decode(buf.sbuf.data, buf.sbuf.size, b), 0);
    CHECK_INT(b->id, 12);
    CHECK_STR(b->p.name, "Maria van den Heuvel");
    CHECK_STR(b->p.email, "maria@example.nl");
    CHECK_STR(b->p.phone, "+31612345678");
    CHECK_STR(b->p.postal_code, "1214AB");
    CHECK_STR(b->p.municipality, "GM0402");
    CHECK_INT(b->p.birth_year, 2001);
    CHECK_INT(b->p.labels, PARTICIPANT_LABEL_FOSTER_PARENT | PARTICIPANT_LABEL_PARENT);
    CHECK_INT(b->p.target_groups_count, 2);
    CHECK_STR(b->p.target_groups[1], "wmo-taxi users");
    CHECK_STR(b->p.experience_themes[0], "T4");
    CHECK_STR(b->p.channel, "O3");
    CHECK_INT(b->p.accessibility, PARTICIPANT_NEED_WHEELCHAIR);
    CHECK(b->p.consent);
    CHECK_INT(b->p.status, PARTICIPANT_ACTIVE);
    CHECK(!b->erased);
    CHECK_STR(b->consent_for, "invitations to foster-parent cafes");
    CHECK_INT(b->consent_given.d, 29);
    CHECK_INT(b->registered_ms, 1582934400000);
    CHECK_STR(record_status(b), "active");
    CHECK_STR(record_age_band(b, 2020), "18-26");
    CHECK_STR(b->guardian, "Petra Oudewater");
    CHECK_INT(b->guardian_consent_given.d, 2);
    CHECK_INT(b->last_contact.m, 3);
    sm_buf_free(&buf);
    free(a);
    free(b);
}

TEST(erased_record_holds_no_personal_field_in_its_stored_bytes)
{
    record_t *rec = malloc(sizeof *rec), *back = malloc(sizeof *back);
    s_record(rec);
    record_erase(rec, 2020, (sm_date_t){2020, 3, 1});
    sm_buf_t buf;
    sm_buf_init(&buf);
    record_encode(rec, &buf.pk);
    for (int i = 0; s_personal[i]; i++)
        CHECK(!s_contains(buf.sbuf.data, buf.sbuf.size, s_personal[i]));
    //  What stays serves the statistics.
    CHECK_INT(record_decode(buf.sbuf.data, buf.sbuf.size, back), 0);
    CHECK(back->erased);
    CHECK_STR(record_status(back), "erased");
    CHECK_STR(back->p.municipality, "GM0402");
    CHECK_INT(back->p.target_groups_count, 2);
    CHECK_STR(back->p.channel, "O3");
    CHECK_INT(back->p.labels, PARTICIPANT_LABEL_FOSTER_PARENT | PARTICIPANT_LABEL_PARENT);
    CHECK(!back->p.consent);
    CHECK_INT(back->p.birth_year, 0);
    //  The age band is frozen at erasure: years later it is still 18-26.
    CHECK_STR(record_age_band(back, 2040), "18-26");
    CHECK_INT(back->erased_on.m, 3);
    sm_buf_free(&buf);
    free(rec);
    free(back);
}

TEST(erasing_twice_changes_nothing)
{
    record_t *rec = malloc(sizeof *rec);
    s_record(rec);
    record_erase(rec, 2020, (sm_date_t){2020, 3, 1});
    record_erase(rec, 2031, (sm_date_t){2031, 1, 1});
    CHECK_INT(rec->erased_on.y, 2020);
    CHECK_STR(record_age_band(rec, 2031), "18-26");
    free(rec);
}

TEST(event_view_has_the_catalogue_fields_and_nothing_personal)
{
    record_t *rec = malloc(sizeof *rec);
    s_record(rec);
    sm_buf_t buf;
    sm_buf_init(&buf);
    record_pack_event(rec, 2020, &buf.pk);
    for (int i = 0; s_personal[i]; i++)
        CHECK(!s_contains(buf.sbuf.data, buf.sbuf.size, s_personal[i]));
    sm_doc_t *doc = sm_doc_parse(buf.sbuf.data, buf.sbuf.size, NULL);
    const msgpack_object *m = sm_doc_root(doc);
    CHECK_INT(m->via.map.size, 9);
    static const char *const keys[] = {"id",     "status",   "municipality", "target_groups",
                                       "labels", "themes",   "age_band",     "channel",
                                       "consent", NULL};
    for (int i = 0; keys[i]; i++)
        CHECK(sm_map_get(m, keys[i]) != NULL);
    CHECK(sm_obj_streq(sm_map_get(m, "id"), "P12"));
    CHECK(sm_obj_streq(sm_map_get(m, "age_band"), "18-26"));
    CHECK(sm_obj_streq(sm_map_get(m, "channel"), "O3"));
    const msgpack_object *labels = sm_map_get(m, "labels");
    CHECK_INT(labels->via.array.size, 2);
    CHECK(sm_obj_streq(&labels->via.array.ptr[0], "parent"));
    CHECK(sm_obj_streq(&labels->via.array.ptr[1], "foster_parent"));
    sm_doc_destroy(&doc);
    sm_buf_free(&buf);
    free(rec);
}

TEST(full_view_shows_personal_fields_and_nil_for_what_is_absent)
{
    record_t *rec = malloc(sizeof *rec);
    s_record(rec);
    rec->p.postal_code[0] = '\0';
    sm_buf_t buf;
    sm_buf_init(&buf);
    record_pack_full(rec, 2020, "Hilversum", NULL, true, &buf.pk);
    sm_doc_t *doc = sm_doc_parse(buf.sbuf.data, buf.sbuf.size, NULL);
    const msgpack_object *m = sm_doc_root(doc);
    CHECK(sm_obj_streq(sm_map_get(m, "name"), "Maria van den Heuvel"));
    CHECK(sm_obj_streq(sm_map_get(m, "municipality_name"), "Hilversum"));
    CHECK_INT(sm_map_get(m, "postal_code")->type, MSGPACK_OBJECT_NIL);
    CHECK_INT(sm_map_get(m, "channel_name")->type, MSGPACK_OBJECT_NIL);
    CHECK(sm_obj_streq(sm_map_get(m, "consent_given"), "2020-02-29"));
    CHECK_INT(sm_map_get(m, "consent_withdrawn")->type, MSGPACK_OBJECT_NIL);
    sm_doc_destroy(&doc);
    sm_buf_free(&buf);
    free(rec);
}

TEST(the_view_without_personal_fields_keeps_its_shape_and_the_age_band)
{
    record_t *rec = malloc(sizeof *rec);
    s_record(rec);
    sm_buf_t full, withheld;
    sm_buf_init(&full);
    sm_buf_init(&withheld);
    record_pack_full(rec, 2020, "Hilversum", NULL, true, &full.pk);
    record_pack_full(rec, 2020, "Hilversum", NULL, false, &withheld.pk);
    sm_doc_t *df = sm_doc_parse(full.sbuf.data, full.sbuf.size, NULL);
    sm_doc_t *dw = sm_doc_parse(withheld.sbuf.data, withheld.sbuf.size, NULL);
    const msgpack_object *f = sm_doc_root(df), *w = sm_doc_root(dw);
    CHECK_INT(w->via.map.size, f->via.map.size);
    static const char *personal[] = {"name",        "email",    "phone", "postal_code",
                                     "birth_year",  "consent_for", "guardian", NULL};
    for (int i = 0; personal[i]; i++)
        CHECK_INT(sm_map_get(w, personal[i])->type, MSGPACK_OBJECT_NIL);
    CHECK_INT(sm_map_get(w, "accessibility")->via.array.size, 0);
    CHECK(sm_obj_streq(sm_map_get(w, "age_band"), "18-26")); /*  born 2001, in 2020 */
    CHECK(sm_obj_streq(sm_map_get(w, "municipality"), "GM0402"));
    CHECK(memmem(withheld.sbuf.data, withheld.sbuf.size, "Heuvel", 6) == NULL);
    CHECK(memmem(withheld.sbuf.data, withheld.sbuf.size, "Oudewater", 9) == NULL);
    CHECK(sm_obj_streq(sm_map_get(w, "guardian_consent_given"), "2019-12-02"));
    CHECK(sm_obj_streq(sm_map_get(w, "last_contact"), "2020-03-11"));
    CHECK(sm_obj_streq(sm_map_get(w, "consent_asked"), "own"));
    sm_doc_destroy(&df);
    sm_doc_destroy(&dw);
    sm_buf_free(&full);
    sm_buf_free(&withheld);
    free(rec);
}

TEST(damaged_records_are_refused_not_guessed)
{
    record_t *rec = malloc(sizeof *rec);
    CHECK_INT(record_decode("\x81\xa2id", 4, rec), -1);
    CHECK_INT(record_decode("\x81\xa2id\xa3P12", 8, rec), -1); /*  no status */
    CHECK_INT(record_decode("\x82\xa2id\xa2X1\xa6status\xa6" "active", 19, rec), -1);
    CHECK_INT(rec->id, 0);
    free(rec);
}

int main(void)
{
    RUN(stored_record_round_trips);
    RUN(erased_record_holds_no_personal_field_in_its_stored_bytes);
    RUN(erasing_twice_changes_nothing);
    RUN(event_view_has_the_catalogue_fields_and_nothing_personal);
    RUN(full_view_shows_personal_fields_and_nil_for_what_is_absent);
    RUN(the_view_without_personal_fields_keeps_its_shape_and_the_age_band);
    RUN(damaged_records_are_refused_not_guessed);
    return DONE();
}
