/*  services/intake/validate.h - the rules for a participant in the address
    file (adresbestand), and the field checks they are made of.

    A participant is a person willing to take part: a resident, a client of
    care or social services, a parent, a young person, a foster parent, an
    experience expert (ervaringsdeskundige). What we keep about them:

        field            rule (what is accepted)
        name             required; 1..200 characters of UTF-8, no control
                         characters; trimmed
        email            optional; local@domain.tld, one @, no spaces, at most
                         254 characters; trimmed, domain lower-cased
        phone            optional; a Dutch number (10 digits nationally: "06 1234
                         5678", "020-1234567", "+31 6 12345678", "0031612345678")
                         or an international one ("+32 ...", 8..15 digits);
                         stored as E.164 ("+31612345678")
        postal_code      optional; Dutch "1234 AB" (first digit 1-9, letters
                         not SA, SD or SS); stored as "1234AB"
        municipality     optional; text, 1..100 characters
        birth_year       optional (0 = not given); 1900..current year
        labels           optional; from PARTICIPANT_LABEL_* (resident, client,
                         parent, youth, foster_parent, experience_expert,
                         trained_experience_expert, carer, professional);
                         case, '-' and ' ' for '_' are forgiven
        target_groups    optional open list (e.g. "statushouders", "low
                         literacy"); each 1..64 characters; trimmed, ASCII
                         lower-cased, duplicates dropped
        experience_themes optional open list, same rules as target_groups
                         (the service takes theme IDs like "T4" here, as the
                         event catalogue says, and checks their form)
        channel          optional; how they were recruited, 1..100 characters
                         (the service takes an organisation ID like "O3" and
                         refuses an unknown one)
        accessibility    optional; from PARTICIPANT_NEED_* (transport,
                         interpreter, easy_language, wheelchair, hearing_loop,
                         sign_language)
        consent          must be true, unless the status is withdrawn: the
                         address file only holds people who agreed to be in it
        status           optional; active (default), paused or withdrawn

    Every refusal is SM_E_INVALID_ARGUMENT with the field named and a
    sentence saying what would be accepted. Messages never repeat a personal
    value (a name, e-mail address, phone number or postal code), so that they
    may be logged; they do repeat non-personal values such as a birth year or
    an unknown label.

    Why the input holds pointers and not fixed buffers for its single
    strings: the decoder hands over what it received, and a fixed buffer
    would have to cut a 100 KB name short before the rule could refuse it.
    The lists are fixed buffers laid out as sm_get_str_array() fills them.
    The validated record (participant_t) holds only fixed buffers.

    Age bands are derived, never stored: "<18", "18-26", "27-40", "41-65",
    "66+" or "unknown". Only the birth year is known, so the age used is the
    age reached in the reference year (someone born in 2002 is 18 throughout
    2020). Youth in the programme means under 27: the bands "<18" and
    "18-26" together (this matches the statutory youth report's reach of
    young people up to 27).
*/
#ifndef SAMEN_INTAKE_VALIDATE_H
#define SAMEN_INTAKE_VALIDATE_H

#include "common/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PARTICIPANT_NAME_MAX_CHARS 200
#define PARTICIPANT_NAME_SIZE (PARTICIPANT_NAME_MAX_CHARS * 4 + 1)
#define PARTICIPANT_EMAIL_MAX 254
#define PARTICIPANT_EMAIL_SIZE (PARTICIPANT_EMAIL_MAX + 1)
#define PARTICIPANT_PHONE_SIZE 17 /*  "+" and at most 15 digits (E.164) */
#define PARTICIPANT_POSTAL_CODE_SIZE 7
#define PARTICIPANT_TEXT_MAX_CHARS 100 /*  municipality, channel */
#define PARTICIPANT_TEXT_SIZE (PARTICIPANT_TEXT_MAX_CHARS * 4 + 1)
#define PARTICIPANT_ITEM_MAX_CHARS 64 /*  one target group or theme */
#define PARTICIPANT_ITEM_SIZE (PARTICIPANT_ITEM_MAX_CHARS * 4 + 1)
#define PARTICIPANT_LIST_MAX 16 /*  items in any one list */
#define PARTICIPANT_BIRTH_YEAR_MIN 1900

/*  Labels: who someone is to the programme. Bits of participant_t.labels;
    participant_label_name(i) names bit (1u << i). */
enum {
    PARTICIPANT_LABEL_RESIDENT = 1u << 0,
    PARTICIPANT_LABEL_CLIENT = 1u << 1,
    PARTICIPANT_LABEL_PARENT = 1u << 2,
    PARTICIPANT_LABEL_YOUTH = 1u << 3,
    PARTICIPANT_LABEL_FOSTER_PARENT = 1u << 4,
    PARTICIPANT_LABEL_EXPERIENCE_EXPERT = 1u << 5,         /*  ervaringsdeskundige */
    PARTICIPANT_LABEL_TRAINED_EXPERIENCE_EXPERT = 1u << 6, /*  chairs groups */
    PARTICIPANT_LABEL_CARER = 1u << 7,                     /*  mantelzorger */
    PARTICIPANT_LABEL_PROFESSIONAL = 1u << 8,
};
#define PARTICIPANT_LABEL_COUNT 9

/*  Accessibility needs: what a session must offer for them to take part.
    Bits of participant_t.accessibility; participant_need_name(i) names
    bit (1u << i). */
enum {
    PARTICIPANT_NEED_TRANSPORT = 1u << 0, /*  e.g. Wmo-taxi, travel paid */
    PARTICIPANT_NEED_INTERPRETER = 1u << 1,
    PARTICIPANT_NEED_EASY_LANGUAGE = 1u << 2, /*  eenvoudige taal */
    PARTICIPANT_NEED_WHEELCHAIR = 1u << 3,
    PARTICIPANT_NEED_HEARING_LOOP = 1u << 4,
    PARTICIPANT_NEED_SIGN_LANGUAGE = 1u << 5,
};
#define PARTICIPANT_NEED_COUNT 6

typedef enum {
    PARTICIPANT_ACTIVE = 0,
    PARTICIPANT_PAUSED = 1,    /*  keeps their place, not invited for now */
    PARTICIPANT_WITHDRAWN = 2, /*  asked to stop; erasure is a separate act */
} participant_status_t;

/*  What a request says about a participant. Single strings are borrowed,
    NUL-terminated, and NULL or "" when not given; lists are *_count rows of
    fixed buffers. Zero-initialise, then fill. */
typedef struct {
    const char *name;
    const char *email;
    const char *phone;
    const char *postal_code;
    const char *municipality;
    int birth_year; /*  0 = not given */
    char labels[PARTICIPANT_LIST_MAX][PARTICIPANT_ITEM_SIZE];
    size_t labels_count;
    char target_groups[PARTICIPANT_LIST_MAX][PARTICIPANT_ITEM_SIZE];
    size_t target_groups_count;
    char experience_themes[PARTICIPANT_LIST_MAX][PARTICIPANT_ITEM_SIZE];
    size_t experience_themes_count;
    const char *channel;
    char accessibility[PARTICIPANT_LIST_MAX][PARTICIPANT_ITEM_SIZE];
    size_t accessibility_count;
    bool consent;
    const char *status; /*  NULL = "active" */
} participant_input_t;

/*  A validated, normalised participant. Absent optional strings are "". */
typedef struct {
    char name[PARTICIPANT_NAME_SIZE];
    char email[PARTICIPANT_EMAIL_SIZE];
    char phone[PARTICIPANT_PHONE_SIZE];
    char postal_code[PARTICIPANT_POSTAL_CODE_SIZE];
    char municipality[PARTICIPANT_TEXT_SIZE];
    int birth_year; /*  0 = not given */
    unsigned labels;
    char target_groups[PARTICIPANT_LIST_MAX][PARTICIPANT_ITEM_SIZE];
    size_t target_groups_count;
    char experience_themes[PARTICIPANT_LIST_MAX][PARTICIPANT_ITEM_SIZE];
    size_t experience_themes_count;
    char channel[PARTICIPANT_TEXT_SIZE];
    unsigned accessibility;
    bool consent;
    participant_status_t status;
} participant_t;

/* ==== The participant record ============================================ */

/*  Check every field of in against the rules above, current_year being the
    latest acceptable birth year. Returns 0 when all is well, or -1 with err
    set for the first field refused. Changes nothing. */
int participant_validate(const participant_input_t *in, int current_year, sm_err_t *err);

/*  Like participant_validate, and on success fill out with the normalised
    record. Returns 0, or -1 with err set; out is then unspecified. */
int participant_normalise(const participant_input_t *in, int current_year, participant_t *out,
                          sm_err_t *err);

/*  The age band of someone born in birth_year, in reference_year: "<18",
    "18-26", "27-40", "41-65", "66+", or "unknown" when birth_year is 0 or
    after reference_year. Returns a static string; can't fail. */
const char *participant_age_band(int birth_year, int reference_year);

/*  True when someone born in birth_year is under 27 in reference_year (youth
    in the programme's sense); false when the birth year is unknown. */
bool participant_is_youth(int birth_year, int reference_year);

/*  The name of label bit (1u << index) or of need bit (1u << index), e.g.
    "foster_parent", "easy_language"; NULL when index is out of range. */
const char *participant_label_name(int index);
const char *participant_need_name(int index);

/*  "active", "paused" or "withdrawn"; "unknown" for anything else. */
const char *participant_status_name(participant_status_t status);

/* ==== Field checks (also for organisations' contact details) ============ */

/*  Check a person's name or a short text: trimmed, 1..max_chars characters
    of UTF-8, no control characters (C0, DEL, C1, line and paragraph
    separators, bidirectional overrides). The trimmed text is copied to out
    (size >= max_chars * 4 + 1). Returns 0, or -1 with err naming field. */
int validate_text(const char *text, const char *field, size_t max_chars, char *out, size_t size,
                  sm_err_t *err);

/*  Check and normalise an e-mail address into out (size >=
    PARTICIPANT_EMAIL_SIZE): trimmed, domain lower-cased, local part kept.
    Returns 0, or -1 with err naming field. */
int validate_email(const char *text, const char *field, char *out, size_t size, sm_err_t *err);

/*  Check and normalise a phone number to E.164 into out (size >=
    PARTICIPANT_PHONE_SIZE). Spaces, dashes, dots, slashes and parentheses
    between digits are ignored; "+31 (0)6 ..." drops the (0). Returns 0, or
    -1 with err naming field. */
int validate_phone(const char *text, const char *field, char *out, size_t size, sm_err_t *err);

/*  Check and normalise a Dutch postal code to "1234AB" into out (size >=
    PARTICIPANT_POSTAL_CODE_SIZE). Returns 0, or -1 with err naming field. */
int validate_postal_code(const char *text, const char *field, char *out, size_t size,
                         sm_err_t *err);


#endif
