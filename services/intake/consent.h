/*  services/intake/consent.h - whose consent the address file needs, by
    age, and when a consent or a silent contact is due for review.

    Everyone in the address file agreed to be in it (consent, consent_given:
    their own). A young person also needs a parent's or guardian's consent
    (guardian: who, a name, personal; guardian_consent_given: when),
    recorded separately from their own. Only the birth year is known, so
    the age used is the age reached this year (reference year minus birth
    year), as for the age bands (validate.h). The age decides what is asked:

        age reached this year   asked
        16 or less              their own consent and a parent's or
                                guardian's (who and when). Someone who turns
                                16 this year may still be 15 today, so they
                                count as under 16 until the year ends: asked
                                once too often rather than once too rarely.
        17 or more              their own consent; a parent's, guardian's or
                                legal representative's consent may be
                                recorded as well (someone under guardianship,
                                curatele or mentorschap)
        unknown                 their own consent; someone labelled youth
                                without a birth year is listed by the review
                                (age_unknown), because the rule cannot tell
                                whether a guardian's consent is needed

    Registering or updating someone who needs a guardian's consent without
    one is refused (a withdrawn person is out of the file's use and is not
    asked).

    Review (adresbestand actueel): a consent is reviewed when it is older
    than the review period (intake/review_period, default 2y); so is a
    person samen has had no contact with for that long. Contact is what
    samen knows of: the day they agreed to be in the file (their
    registration), every update of their record (participant.update; its
    contacted date when given), and every session they attended
    (scheduling.attendance.recorded, attended, its held_on). "Older than
    the period" means date + period is before the day of the review.

    Plain functions over plain values; the service stores and asks.
*/
#ifndef SAMEN_INTAKE_CONSENT_H
#define SAMEN_INTAKE_CONSENT_H

#include "common/date.h"
#include "common/err.h"
#include "deadline.h"
#include <stdbool.h>

/*  A guardian's consent is asked up to and including this age reached. */
#define CONSENT_GUARDIAN_AGE 16
#define CONSENT_REVIEW_PERIOD_DEFAULT "2y"

typedef enum {
    CONSENT_ASK_OWN = 0,        /*  their own consent */
    CONSENT_ASK_GUARDIAN_TOO,   /*  theirs and a parent's or guardian's */
} consent_asked_t;

/*  What is asked of someone born in birth_year (0: unknown) in
    reference_year. Can't fail. */
consent_asked_t consent_asked(int birth_year, int reference_year);

/*  "own" or "own_and_guardian" (as replies show the rule applied). */
const char *consent_asked_name(consent_asked_t asked);

/*  Check what a record will hold: the birth year (0 unknown), whether the
    person is withdrawn (then nothing is asked), and the guardian's consent
    (has_guardian: a name is recorded; guardian_given: its day, y == 0 when
    none), in reference_year. Refused (invalid_argument, field "guardian"):
    under 16 without a guardian's name and day; a day without a name.
    Messages name no person. Returns 0, or -1 with err. */
int consent_check(int birth_year, bool withdrawn, bool has_guardian, sm_date_t guardian_given,
                  int reference_year, sm_err_t *err);

/*  Why a person is up for review (bits). */
enum {
    REVIEW_CONSENT_OLD = 1u << 0,        /*  their own consent is older than the period
                                             (or its day is not known) */
    REVIEW_GUARDIAN_OLD = 1u << 1,       /*  a guardian's consent still needed is older */
    REVIEW_GUARDIAN_MISSING = 1u << 2,   /*  needed, and none recorded (stored before the rule) */
    REVIEW_NO_CONTACT = 1u << 3,         /*  no contact for longer than the period */
    REVIEW_AGE_UNKNOWN = 1u << 4,        /*  labelled youth, no birth year: whether a
                                             guardian's consent is needed is not known */
};
#define REVIEW_REASONS 5

/*  "consent_old", "guardian_consent_old", "guardian_consent_missing",
    "no_contact", "age_unknown" for bit (1u << index); NULL out of range. */
const char *consent_review_name(int index);

/*  What samen knows of one person for a review. */
typedef struct {
    int birth_year;           /*  0: unknown */
    bool youth;               /*  labelled youth */
    sm_date_t consent_given;  /*  y == 0: not known */
    bool has_guardian;
    sm_date_t guardian_given; /*  y == 0: none */
    sm_date_t last_contact;   /*  y == 0: none known */
} consent_facts_t;

/*  The reasons (REVIEW_* bits) to review f on as_of with period: 0 when
    none. Can't fail. */
unsigned consent_review(const consent_facts_t *f, sm_date_t as_of, deadline_period_t period);

/*  The newest of two contact days (y == 0: none). Can't fail. */
sm_date_t consent_later(sm_date_t a, sm_date_t b);

#endif
