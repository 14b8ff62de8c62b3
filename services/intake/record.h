/*  services/intake/record.h - the stored participant record, and the three
    views of it that leave the store.

    The address file keeps one record per participant ID in the
    `participants` database: the validated fields (validate.h) plus what
    the file itself knows: consent given when and for what, withdrawn when;
    registered and updated instants; and, once erased, the date of erasure
    and the age band frozen at that moment.

    Personal fields: name, e-mail, phone, postal code, birth year,
    accessibility needs (they can reveal health), the consent wording and
    the name of the parent or guardian who consented for a young person
    (consent.h), the newsletter's unsubscribe token.
    record_erase() clears exactly those; an encoded erased record therefore
    holds no byte of them. What stays (ID, municipality, target groups,
    labels, themes, channel, age band, dates) is coarse and serves the
    statistics (reach per municipality, per target group, youth).

    The views:
    - record_pack_event(): the data of intake.participant.registered /
      .updated (PROTOCOL.md §3): id, status, municipality, target_groups,
      labels, themes, age_band, channel, consent. Nothing personal (the
      newsletter's consent is intake's own business: intake sends it). Write
      replies use it too, so that stored idempotent replies (kept 24 h)
      hold nothing personal either.
    - record_pack_full(): everything, for participant.get and the export.

    Encoding never fails (msgpack-c aborts on out of memory); decoding
    untrusted-looking bytes is checked (the store is ours, but a damaged
    record must not crash the service).
*/
#ifndef SAMEN_INTAKE_RECORD_H
#define SAMEN_INTAKE_RECORD_H

#include "common/codec.h"
#include "common/date.h"
#include "validate.h"
#include <stdbool.h>
#include <stdint.h>

#define RECORD_CONSENT_FOR_MAX_CHARS 200
#define RECORD_CONSENT_FOR_SIZE (RECORD_CONSENT_FOR_MAX_CHARS * 4 + 1)
#define RECORD_AGE_BAND_SIZE 8
#define RECORD_TOKEN_SIZE 33 /*  32 hex digits */
#define RECORD_DEFAULT_CONSENT_FOR "taking part in the participation programme"

typedef struct {
    uint64_t id;     /*  P<id> */
    participant_t p; /*  municipality holds the statistics-office code ("" = none);
                        channel an organisation ID ("" = none); themes T-IDs */
    bool erased;
    char consent_for[RECORD_CONSENT_FOR_SIZE];
    sm_date_t consent_given;     /*  y == 0: unknown */
    sm_date_t consent_withdrawn; /*  y == 0: not withdrawn */
    int64_t registered_ms;
    int64_t updated_ms;
    sm_date_t erased_on;                  /*  y == 0: not erased */
    char age_band[RECORD_AGE_BAND_SIZE]; /*  only kept once erased */
    /*  A parent's or guardian's consent, kept apart from the person's own
        (consent.h): who (personal) and when. */
    char guardian[PARTICIPANT_NAME_SIZE];  /*  "" = none */
    sm_date_t guardian_consent_given;      /*  y == 0: none */
    /*  The last day samen knows of contact (consent.h): y == 0 in records
        stored before it was kept; record_last_contact() then derives it. */
    sm_date_t last_contact;
    /*  The newsletter: a consent of its own (nieuwsbrief), and the token of
        the unsubscribe link in every newsletter (a secret: personal). */
    bool newsletter;
    sm_date_t newsletter_given;     /*  y == 0: never */
    sm_date_t newsletter_withdrawn; /*  y == 0: not withdrawn */
    char newsletter_token[RECORD_TOKEN_SIZE];
} record_t;

/*  "active", "paused", "withdrawn" or "erased". Can't fail. */
const char *record_status(const record_t *rec);

/*  The age band in reference_year: derived from the birth year, or the
    band frozen at erasure. Returns a static or record-owned string. */
const char *record_age_band(const record_t *rec, int reference_year);

/*  The last contact day: the stored one, else (records stored before it
    was kept) the day consent was given or the record last changed,
    whichever is later. y == 0 when nothing is known. Can't fail. */
sm_date_t record_last_contact(const record_t *rec);

/*  Destroy the personal fields of rec in place (overwriting them), freeze
    its age band as of reference_year, set status erased on date. Safe on
    an already erased record (nothing changes then). Can't fail. */
void record_erase(record_t *rec, int reference_year, sm_date_t date);

/*  Give rec a fresh unsubscribe token (32 hex digits from getrandom).
    Returns 0, or -1 when the system gives no random bytes. */
int record_new_token(record_t *rec);

/*  Encode rec as the stored MessagePack map. Can't fail. */
void record_encode(const record_t *rec, msgpack_packer *pk);

/*  Decode a stored record. Returns 0, or -1 when the bytes are not a
    record (rec is then zeroed). */
int record_decode(const void *data, size_t size, record_t *rec);

/*  Pack the event view (a map of 9) for reference_year. Can't fail. */
void record_pack_event(const record_t *rec, int reference_year, msgpack_packer *pk);

/*  Pack the full view (a map) for reference_year. muni_name and
    channel_name (may be NULL) are shown next to the code and ID. Without
    personal, the personal fields (name, e-mail, phone, postal code, birth
    year, accessibility needs, consent wording) are nil or empty: the view
    for a caller who may not see them. Can't fail. */
void record_pack_full(const record_t *rec, int reference_year, const char *muni_name,
                      const char *channel_name, bool personal, msgpack_packer *pk);

/*  The labels or accessibility needs of a bit mask as names, into rows of
    items (at most PARTICIPANT_LIST_MAX). Returns the count. Can't fail. */
size_t record_label_names(unsigned labels, char (*items)[PARTICIPANT_ITEM_SIZE]);
size_t record_need_names(unsigned needs, char (*items)[PARTICIPANT_ITEM_SIZE]);

#endif
