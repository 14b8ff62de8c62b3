/*  services/intake/participant_index.h - secondary indexes over the address
    file, for duplicate checks and for find.

    Each index is its own LMDB database; an entry's key is the indexed value,
    a NUL byte and the participant's number as 8 big-endian bytes, and its
    value is empty. The NUL ends the value (values are UTF-8 without NUL),
    so the entries for one value are contiguous and sorted by participant
    number: a find walks them in ID order and pages with a cursor.

        db          value                                        personal?
        p_name      each word of the name, lower-cased, accents  yes
                    folded ("müller" -> "muller"), at most 120 bytes
        p_email     the e-mail address, lower-cased              yes
        p_phone     the phone number in E.164                    yes
        p_group     each target group                            no
        p_label     each label                                   no
        p_muni      the municipality code                        no
        p_theme     each theme (T-ID)                            no
        p_channel   the recruitment channel (O-ID)               no
        p_consent   "yes" or "no"                                no
        p_status    active, paused, withdrawn or erased          no

    Erasure removes every entry of the record and adds back those of the
    erased record, which has no name, e-mail or phone: no index keeps them.

    A find with several filters is a leapfrog join: every filter can say
    "the first participant at or after N that has my value", and the
    candidate moves up to the largest answer until all agree. The cost is
    about the size of the smallest filter, whatever the file's size. Part
    of a name is matched as a word prefix ("jan" finds "Jansen"): each
    query word collects its participants from p_name (sorted and made
    unique, then joined like the others), and the record is checked last.
*/
#ifndef SAMEN_INTAKE_PARTICIPANT_INDEX_H
#define SAMEN_INTAKE_PARTICIPANT_INDEX_H

#include "common/service.h"
#include "record.h"
#include <stdbool.h>
#include <stdint.h>

#define PINDEX_TOKEN_MAX 120 /*  bytes of one name word in p_name (LMDB keys are <= 511) */
#define PINDEX_QUERY_SIZE (PARTICIPANT_NAME_SIZE + 2)

/*  The databases, for s_dbs in main.c. */
#define PINDEX_DBS                                                                             \
    "p_name", "p_email", "p_phone", "p_group", "p_label", "p_muni", "p_theme", "p_channel",   \
        "p_consent", "p_status", "p_newsletter", "p_token"

/*  Add or remove every index entry of rec. Returns 0, or -1 with the ctx
    error set. */
int pindex_add(sm_ctx_t *ctx, const record_t *rec);
int pindex_remove(sm_ctx_t *ctx, const record_t *rec);

/*  Who holds value in db ("p_email": lower-cased address; "p_phone":
    E.164; "p_token": a newsletter's unsubscribe token): the lowest participant number other than except. Returns 1
    with *id set, 0 when nobody, -1 with the ctx error set. */
int pindex_holder(sm_ctx_t *ctx, const char *db, const char *value, uint64_t except,
                  uint64_t *id);

/*  p_newsletter holds "yes" for everyone with the newsletter's consent
    (prefix "yes\0" for sm_idx_scan). */
#define PINDEX_NEWSLETTER_PREFIX "yes"

/*  Number of entries for value in db (e.g. participants recruited through
    O3). Returns the count; can't fail (a read error counts as 0). */
uint64_t pindex_count(sm_ctx_t *ctx, const char *db, const char *value);

/*  A find. NULL (or -1 for consent) means "any". name holds the folded
    query words (pii_fold_words), space-separated. Without a status filter
    erased records are left out. */
typedef struct {
    const char *target_group, *label, *municipality, *theme, *channel, *status, *email, *phone;
    int consent; /*  -1 any, 0 no, 1 yes */
    const char *name;
    uint64_t after; /*  only participants with a higher number */
    size_t limit;   /*  1..PINDEX_LIMIT_MAX */
} pindex_query_t;

#define PINDEX_LIMIT_MAX 500

/*  Called with each match in ID order; return 0 to go on. */
typedef int(pindex_fn)(sm_ctx_t *ctx, const record_t *rec, void *arg);

/*  Run q: fn is called for at most q->limit matches; *more tells whether
    there are further matches after the last one. Returns the number of
    matches, or -1 with the ctx error set. */
long pindex_find(sm_ctx_t *ctx, const pindex_query_t *q, pindex_fn *fn, void *arg, bool *more);

/*  Load participant id. Returns 1 found, 0 unknown, -1 with the ctx error
    set (also for a damaged record). */
int participant_load(sm_ctx_t *ctx, uint64_t id, record_t *rec);

/*  Store rec under its ID. Returns 0, or -1 with the ctx error set. */
int participant_store(sm_ctx_t *ctx, const record_t *rec);

#endif
