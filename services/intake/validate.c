/*  services/intake/validate.c - the rules for a participant in the address
    file, and the field checks they are made of. See validate.h. */
#include "validate.h"
#include "common/i18n.h"
#include "common/text.h"
#include "common/vocab.h"
#include <stdio.h>
#include <string.h>

/*  Labels, accessibility needs and statuses are common/vocab.h's tables,
    in the order of their bits and of participant_status_t. */

/* ==== Small helpers ====================================================== */

/*  ASCII white space, the only kind trimmed: what people paste around a value. */
static bool s_is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*  ASCII digit. */
static bool s_is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/*  ASCII letter. */
static bool s_is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*  ASCII lower case; other bytes unchanged. */
static char s_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/*  The trimmed span of s: start offset and length. Can't fail. */
static void s_trim_span(const char *s, size_t len, size_t *start, size_t *n)
{
    size_t a = 0;
    while (a < len && s_is_space((unsigned char)s[a]))
        a++;
    while (len > a && s_is_space((unsigned char)s[len - 1]))
        len--;
    *start = a;
    *n = len - a;
}



/*  Copy text into buf for quoting in a message only when it is harmless
    there: short printable ASCII. Used for non-personal values (an unknown
    label or status) so that a refusal can show what was sent. Returns true
    when copied. */
static bool s_safe_echo(const char *text, char *buf, size_t size)
{
    size_t n = strlen(text);
    if (n == 0 || n > 40 || n >= size)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] >= 0x7F || text[i] == '"')
            return false;
    memcpy(buf, text, n + 1);
    return true;
}

/*  Join the codes of v with ", " into buf, for "use any of ..." sentences.
    Returns buf. */
static char *s_join(const sm_vocab_t *v, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < v->count && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", sm_vocab_code(v, i));
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

/* ==== Field checks ======================================================= */

/*  validate_text with a separate noun for the message ("target_groups item
    3") and field for err ("target_groups"). Returns 0 or -1 with err. */
static int s_text_check(const char *text, const char *field, const char *what, size_t max_chars,
                        char *out, size_t size, sm_err_t *err)
{
    if (!text)
        text = "";
    size_t a, n;
    s_trim_span(text, strlen(text), &a, &n);
    const char *s = text + a;
    if (n == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is empty; give 1 to %zu characters"), what, max_chars);
    if (!sm_utf8_valid(s, n))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is not valid UTF-8; send it as UTF-8 text of 1 to %zu characters"),
                          what, max_chars);
    size_t chars = sm_utf8_len(s, n);
    if (chars > max_chars)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is %zu characters long; give at most %zu characters"), what, chars,
                          max_chars);
    size_t pos = 0, index = 0;
    while (pos < n) {
        uint32_t cp = sm_utf8_next(s, n, &pos);
        index++;
        if (sm_is_control(cp))
            return sm_err_set(
                err, SM_E_INVALID_ARGUMENT, field,
                _("%s contains a control character (U+%04X) at character %zu; give it "
                  "on one line, without tabs or other control characters"),
                what, (unsigned)cp, index);
    }
    //  Only a caller's too small buffer gets here: max_chars * 4 + 1 holds any
    //  text that passed the character count.
    if (n >= size)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is too long; give at most %zu bytes"), what, size - 1);
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

int validate_text(const char *text, const char *field, size_t max_chars, char *out, size_t size,
                  sm_err_t *err)
{
    return s_text_check(text, field, field, max_chars, out, size, err);
}

/*  Characters allowed before the @ (RFC 5322 atext, without quoted forms). */
static bool s_is_local_char(unsigned char c)
{
    return s_is_alpha(c) || s_is_digit(c) || (c && strchr(".!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

/*  True when dom[0..dn) is dot-separated labels of letters, digits and
    hyphens, each 1..63 long and not starting or ending with a hyphen; *last
    is set to where the last label starts. */
static bool s_domain_ok(const char *dom, size_t dn, size_t *last)
{
    size_t label = 0;
    for (size_t i = 0; i <= dn; i++) {
        if (i < dn && dom[i] != '.') {
            unsigned char c = (unsigned char)dom[i];
            if (!s_is_alpha(c) && !s_is_digit(c) && c != '-')
                return false;
            continue;
        }
        size_t ln = i - label;
        if (ln == 0 || ln > 63 || dom[label] == '-' || dom[i - 1] == '-')
            return false;
        *last = label;
        label = i + 1;
    }
    return true;
}

int validate_email(const char *text, const char *field, char *out, size_t size, sm_err_t *err)
{
    const char *example = _("give an address like name@example.nl");
    if (!text)
        text = "";
    size_t a, n;
    s_trim_span(text, strlen(text), &a, &n);
    const char *s = text + a;
    if (n == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _("%s is empty; %s"), field, example);
    if (n > PARTICIPANT_EMAIL_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is longer than %d characters; %s"), field, PARTICIPANT_EMAIL_MAX,
                          example);
    size_t at = 0, ats = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7F)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s must not contain spaces or control characters; %s"), field,
                              example);
        if (c >= 0x80)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s must be plain ASCII (an international domain in its xn-- "
                                "form); %s"),
                              field, example);
        if (c == '@') {
            at = i;
            ats++;
        }
    }
    if (ats != 1)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _("%s must contain exactly one @; %s"),
                          field, example);
    if (at == 0 || at > 64)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s must have 1 to 64 characters before the @; %s"), field, example);
    for (size_t i = 0; i < at; i++) {
        if (!s_is_local_char((unsigned char)s[i]))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s has a character before the @ that is not allowed there; use "
                                "letters, digits and .!#$%%&'*+/=?^_`{|}~-"),
                              field);
        if (s[i] == '.' && (i == 0 || i + 1 == at || s[i + 1] == '.'))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s must not start or end with a dot before the @, nor have two "
                                "dots in a row; %s"),
                              field, example);
    }
    const char *dom = s + at + 1;
    size_t dn = n - at - 1;
    if (dn == 0 || memchr(dom, '.', dn) == NULL)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s must have a domain with a dot after the @, like example.nl; %s"),
                          field, example);
    size_t last = 0;
    if (!s_domain_ok(dom, dn, &last))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s has a domain that is not valid: use parts of letters, digits and "
                            "hyphens separated by dots, like mail.example.nl"),
                          field);
    //  The top-level domain is letters (nl, com, amsterdam) or an IDN in xn-- form.
    size_t tn = dn - last;
    bool tld_ok = tn >= 2;
    if (tn >= 4 && s_lower(dom[last]) == 'x' && s_lower(dom[last + 1]) == 'n' &&
        dom[last + 2] == '-' && dom[last + 3] == '-')
        tld_ok = true;
    else
        for (size_t i = last; i < dn && tld_ok; i++)
            tld_ok = s_is_alpha((unsigned char)dom[i]);
    if (!tld_ok)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s must end in a domain name of letters, like .nl or .com; %s"), field,
                          example);
    if (n >= size)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is too long; give at most %zu characters"), field, size - 1);
    memcpy(out, s, n);
    out[n] = '\0';
    for (size_t i = at + 1; i < n; i++)
        out[i] = s_lower(out[i]);
    return 0;
}

int validate_phone(const char *text, const char *field, char *out, size_t size, sm_err_t *err)
{
    const char *example = _("like 06 1234 5678, 020-123 4567 or +32 2 123 45 67");
    if (!text)
        text = "";
    size_t a, n;
    s_trim_span(text, strlen(text), &a, &n);
    const char *s = text + a;
    if (n == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _("%s is empty; give a number %s"),
                          field, example);
    if (n > 40)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is longer than 40 characters; give a number %s"), field, example);
    char d[24];
    size_t nd = 0;
    bool plus = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '+' && i == 0)
            plus = true;
        else if (s_is_digit(c)) {
            if (nd == sizeof d - 1)
                return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                                  _("%s has more than 15 digits; give a number %s"), field,
                                  example);
            d[nd++] = (char)c;
        } else if (c == '(' && i + 2 < n && s[i + 1] == '0' && s[i + 2] == ')' &&
                   (plus || (nd >= 2 && d[0] == '0' && d[1] == '0'))) {
            //  "+31 (0)6 ...": the (0) is the trunk prefix, dialled only
            //  from inside the country, so it is not part of the number.
            i += 2;
        } else if (!strchr(" -./()", c))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s may only contain digits, spaces, dashes, dots, slashes, "
                                "parentheses and a leading +; give a number %s"),
                              field, example);
    }
    d[nd] = '\0';
    if (nd == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s has no digits; give a number %s"), field, example);
    const char *intl = NULL;
    size_t ni = 0;
    if (plus)
        intl = d, ni = nd;
    else if (nd >= 2 && d[0] == '0' && d[1] == '0')
        intl = d + 2, ni = nd - 2;
    char result[32];
    if (intl && ni >= 2 && intl[0] == '3' && intl[1] == '1') {
        const char *nsn = intl + 2;
        size_t nn = ni - 2;
        //  "+31 06 ..." happens: people keep the national 0.
        if (nn == 10 && nsn[0] == '0')
            nsn++, nn--;
        if (nn != 9 || nsn[0] == '0')
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s: a Dutch number has 9 digits after +31, like +31 6 1234 5678; "
                                "this one has %zu"),
                              field, nn);
        snprintf(result, sizeof result, "+31%s", nsn);
    } else if (intl) {
        if (ni == 0 || intl[0] == '0')
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s: after + or 00 comes a country code, which does not start "
                                "with 0; give a number %s"),
                              field, example);
        if (ni < 8 || ni > 15)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s: an international number has 8 to 15 digits including the "
                                "country code; this one has %zu"),
                              field, ni);
        snprintf(result, sizeof result, "+%s", intl);
    } else if (d[0] == '0') {
        if (nd != 10)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s: a Dutch number has 10 digits, like 06 1234 5678 or "
                                "020 123 4567; this one has %zu"),
                              field, nd);
        snprintf(result, sizeof result, "+31%s", d + 1);
    } else
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s must start with 0 (a Dutch number like 06 1234 5678) or with + or "
                            "00 and a country code (like +32 2 123 45 67)"),
                          field);
    if (strlen(result) >= size)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _("%s does not fit; give a number %s"),
                          field, example);
    memcpy(out, result, strlen(result) + 1);
    return 0;
}

int validate_postal_code(const char *text, const char *field, char *out, size_t size, sm_err_t *err)
{
    if (!text)
        text = "";
    size_t a, n;
    s_trim_span(text, strlen(text), &a, &n);
    const char *s = text + a;
    bool ok = (n == 6 || (n == 7 && s[4] == ' ')) && s[0] >= '1' && s[0] <= '9';
    for (size_t i = 1; ok && i < 4; i++)
        ok = s_is_digit((unsigned char)s[i]);
    ok = ok && s_is_alpha((unsigned char)s[n - 2]) && s_is_alpha((unsigned char)s[n - 1]);
    if (!ok || size < PARTICIPANT_POSTAL_CODE_SIZE)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s must be a Dutch postal code: four digits (the first not 0) and two "
                            "letters, like 1234 AB"),
                          field);
    char l1 = (char)(s[n - 2] & ~0x20), l2 = (char)(s[n - 1] & ~0x20);
    //  PostNL does not hand out SA, SD and SS (their connotations).
    if (l1 == 'S' && (l2 == 'A' || l2 == 'D' || l2 == 'S'))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s: the letters SA, SD and SS are not used in Dutch postal codes; "
                            "give four digits and two letters, like 1234 AB"),
                          field);
    memcpy(out, s, 4);
    out[4] = l1;
    out[5] = l2;
    out[6] = '\0';
    return 0;
}

/* ==== The participant record ============================================ */

/*  True when an optional single string was given (not NULL, not blank). */
static bool s_given(const char *text)
{
    if (!text)
        return false;
    for (; *text; text++)
        if (!s_is_space((unsigned char)*text))
            return true;
    return false;
}

/*  Check a list's item count. Returns 0 or -1 with err. */
static int s_list_count(size_t count, const char *field, sm_err_t *err)
{
    if (count > PARTICIPANT_LIST_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _("%s has %zu items; give at most %d"),
                          field, count, PARTICIPANT_LIST_MAX);
    return 0;
}

/*  A fixed-vocabulary list into a bit mask. Returns 0 or -1 with err
    naming the unknown item and listing the accepted ones. */
static int s_vocab_list(const char (*items)[PARTICIPANT_ITEM_SIZE], size_t count, const char *field,
                        const char *noun, const sm_vocab_t *v, unsigned *mask, sm_err_t *err)
{
    if (s_list_count(count, field, err))
        return -1;
    *mask = 0;
    for (size_t i = 0; i < count; i++) {
        int index = sm_vocab_find(v, items[i]);
        if (index < 0) {
            char list[256], echo[48];
            s_join(v, list, sizeof list);
            if (s_safe_echo(items[i], echo, sizeof echo))
                return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                                  _("%s: \"%s\" is not a known %s; use any of %s"), field, echo,
                                  noun, list);
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("%s item %zu is not a known %s; use any of %s"), field, i + 1, noun,
                              list);
        }
        *mask |= 1u << index;
    }
    return 0;
}

/*  An open list: each item checked as text, trimmed, ASCII lower-cased so
    that "Youth" and "youth" count as one group, duplicates dropped.
    Returns 0 or -1 with err. */
static int s_open_list(const char (*items)[PARTICIPANT_ITEM_SIZE], size_t count, const char *field,
                       char (*out)[PARTICIPANT_ITEM_SIZE], size_t *out_count, sm_err_t *err)
{
    if (s_list_count(count, field, err))
        return -1;
    *out_count = 0;
    for (size_t i = 0; i < count; i++) {
        char what[80];
        snprintf(what, sizeof what, "%s item %zu", field, i + 1);
        char *slot = out[*out_count];
        if (s_text_check(items[i], field, what, PARTICIPANT_ITEM_MAX_CHARS, slot,
                         PARTICIPANT_ITEM_SIZE, err))
            return -1;
        sm_ascii_lower(slot);
        bool dup = false;
        for (size_t k = 0; k < *out_count && !dup; k++)
            dup = strcmp(out[k], slot) == 0;
        if (!dup)
            (*out_count)++;
    }
    return 0;
}

int participant_normalise(const participant_input_t *in, int current_year, participant_t *out,
                          sm_err_t *err)
{
    memset(out, 0, sizeof *out);
    if (!in->name || !s_given(in->name))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "name",
                          _("name is required: give the participant's name, 1 to %d characters"),
                          PARTICIPANT_NAME_MAX_CHARS);
    if (validate_text(in->name, "name", PARTICIPANT_NAME_MAX_CHARS, out->name, sizeof out->name,
                      err))
        return -1;
    if (s_given(in->email) &&
        validate_email(in->email, "email", out->email, sizeof out->email, err))
        return -1;
    if (s_given(in->phone) &&
        validate_phone(in->phone, "phone", out->phone, sizeof out->phone, err))
        return -1;
    if (s_given(in->postal_code) &&
        validate_postal_code(in->postal_code, "postal_code", out->postal_code,
                             sizeof out->postal_code, err))
        return -1;
    if (s_given(in->municipality) &&
        validate_text(in->municipality, "municipality", PARTICIPANT_TEXT_MAX_CHARS,
                      out->municipality, sizeof out->municipality, err))
        return -1;
    if (in->birth_year != 0) {
        if (in->birth_year > current_year)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "birth_year",
                              _("birth_year %d is in the future; give a year from %d to %d"),
                              in->birth_year, PARTICIPANT_BIRTH_YEAR_MIN, current_year);
        if (in->birth_year < PARTICIPANT_BIRTH_YEAR_MIN)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "birth_year",
                              _("birth_year %d is before %d; give a year from %d to %d"),
                              in->birth_year, PARTICIPANT_BIRTH_YEAR_MIN,
                              PARTICIPANT_BIRTH_YEAR_MIN, current_year);
        out->birth_year = in->birth_year;
    }
    if (s_vocab_list(in->labels, in->labels_count, "labels", "label", &SM_VOCAB_LABEL,
                     &out->labels, err))
        return -1;
    if (s_open_list(in->target_groups, in->target_groups_count, "target_groups", out->target_groups,
                    &out->target_groups_count, err))
        return -1;
    if (s_open_list(in->experience_themes, in->experience_themes_count, "experience_themes",
                    out->experience_themes, &out->experience_themes_count, err))
        return -1;
    if (s_given(in->channel) && validate_text(in->channel, "channel", PARTICIPANT_TEXT_MAX_CHARS,
                                              out->channel, sizeof out->channel, err))
        return -1;
    if (s_vocab_list(in->accessibility, in->accessibility_count, "accessibility",
                     "accessibility need", &SM_VOCAB_NEED, &out->accessibility, err))
        return -1;
    out->status = PARTICIPANT_ACTIVE;
    if (s_given(in->status)) {
        int index = sm_vocab_find(&SM_VOCAB_PARTICIPANT_STATUS, in->status);
        if (index < 0) {
            char echo[48];
            if (s_safe_echo(in->status, echo, sizeof echo))
                return sm_err_set(err, SM_E_INVALID_ARGUMENT, "status",
                                  _("status \"%s\" is not known; use active, paused or withdrawn"),
                                  echo);
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "status",
                              _("status is not known; use active, paused or withdrawn"));
        }
        out->status = (participant_status_t)index;
    }
    //  Someone who withdrew may have taken their consent back with them; their
    //  record stays (marked) until it is erased.
    if (!in->consent && out->status != PARTICIPANT_WITHDRAWN)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "consent",
                          _("consent must be true: the address file only holds people who agreed "
                            "to be in it (record their consent first)"));
    out->consent = in->consent;
    return 0;
}

int participant_validate(const participant_input_t *in, int current_year, sm_err_t *err)
{
    //  The normalised record is large (several KB of fixed buffers) but a
    //  stack frame of this size is fine for a service worker.
    participant_t scratch;
    return participant_normalise(in, current_year, &scratch, err);
}

/* ==== Derived attributes ================================================= */

const char *participant_age_band(int birth_year, int reference_year)
{
    if (birth_year <= 0 || birth_year > reference_year)
        return "unknown";
    int age = reference_year - birth_year;
    if (age < 18)
        return "<18";
    if (age <= 26)
        return "18-26";
    if (age <= 40)
        return "27-40";
    if (age <= 65)
        return "41-65";
    return "66+";
}

bool participant_is_youth(int birth_year, int reference_year)
{
    return birth_year > 0 && birth_year <= reference_year && reference_year - birth_year < 27;
}

const char *participant_label_name(int index)
{
    return index >= 0 && index < PARTICIPANT_LABEL_COUNT ? sm_vocab_code(&SM_VOCAB_LABEL, index)
                                                         : NULL;
}

const char *participant_need_name(int index)
{
    return index >= 0 && index < PARTICIPANT_NEED_COUNT ? sm_vocab_code(&SM_VOCAB_NEED, index)
                                                        : NULL;
}

const char *participant_status_name(participant_status_t status)
{
    return (unsigned)status < 3 ? sm_vocab_code(&SM_VOCAB_PARTICIPANT_STATUS, (int)status)
                                : "unknown";
}
