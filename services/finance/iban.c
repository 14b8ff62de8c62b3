/*  services/finance/iban.c - IBAN normalising, checking and masking.

    See iban.h. No message built here may contain more of the number than
    the country code and the last four characters.
*/
#include "iban.h"
#include "common/i18n.h"
#include <stdio.h>
#include <string.h>

/*  IBAN lengths of the SEPA countries (the SWIFT IBAN registry). Others
    are accepted at 15..34 characters. */
static const struct {
    char country[3];
    int length;
} s_lengths[] = {
    {"AT", 20}, {"BE", 16}, {"BG", 22}, {"CH", 21}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
    {"DK", 18}, {"EE", 20}, {"ES", 24}, {"FI", 18}, {"FR", 27}, {"GB", 22}, {"GR", 27},
    {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IS", 26}, {"IT", 27}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MT", 31}, {"NL", 18}, {"NO", 15}, {"PL", 28},
    {"PT", 25}, {"RO", 24}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27},
};

static bool s_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool s_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*  "IBAN NL.. ..4300", or "IBAN NL.." when the number is too short for
    its last four to be harmless, or "IBAN" without a country code.
    buf at least 24 bytes. Returns buf. */
static char *s_label(const char *iban, char *buf)
{
    size_t len = strlen(iban);
    if (len < 2 || !s_upper(iban[0]) || !s_upper(iban[1]))
        snprintf(buf, 24, "IBAN");
    else if (len < 12)
        snprintf(buf, 24, "IBAN %c%c..", iban[0], iban[1]);
    else
        snprintf(buf, 24, "IBAN %c%c.. ..%s", iban[0], iban[1], iban + len - 4);
    return buf;
}

int iban_country_length(const char *country)
{
    if (!country)
        return 0;
    for (size_t i = 0; i < sizeof s_lengths / sizeof s_lengths[0]; i++)
        if (strncmp(country, s_lengths[i].country, 2) == 0)
            return s_lengths[i].length;
    return 0;
}

int iban_normalise(const char *text, char *out, sm_err_t *err)
{
    if (!text)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "iban",
                          _("no IBAN given; give the account number, e.g. NL followed by 16 "
                            "characters"));
    size_t n = 0, extra = 0;
    for (const char *p = text; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '\t')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!s_upper(c) && !s_digit(c))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "iban",
                              _("an IBAN holds only letters, digits and spaces; remove any other "
                                "character"));
        if (n < IBAN_MAX_LEN)
            out[n++] = c;
        else
            extra++;
    }
    out[n] = '\0';
    if (extra > 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "iban",
                          _("IBAN has %zu characters; an IBAN has at most %d"), n + extra,
                          IBAN_MAX_LEN);
    if (n == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "iban",
                          _("IBAN is empty; give the account number, e.g. NL followed by 16 "
                            "characters"));
    return 0;
}

bool iban_checksum_ok(const char *iban)
{
    size_t len = iban ? strlen(iban) : 0;
    if (len < 5 || len > IBAN_MAX_LEN)
        return false;
    /*  Check digits run 02..98. 00, 01 and 99 are never issued, yet they
        pass the sum wherever 97, 98 and 02 do (equal mod 97). */
    if ((iban[2] == '0' && (iban[3] == '0' || iban[3] == '1')) ||
        (iban[2] == '9' && iban[3] == '9'))
        return false;
    /*  The country code and check digits move to the end, letters count as
        10..35, and the long number is reduced mod 97 a character at a time:
        (r * 10^k + v) mod 97 never leaves int range. */
    unsigned r = 0;
    for (size_t i = 0; i < len; i++) {
        char c = iban[(i + 4) % len];
        if (s_digit(c))
            r = (r * 10 + (unsigned)(c - '0')) % 97;
        else if (s_upper(c))
            r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
        else
            return false;
    }
    return r == 1;
}

int iban_validate(const char *text, char *out, sm_err_t *err)
{
    char label[24];
    if (iban_normalise(text, out, err) != 0)
        return -1;
    size_t len = strlen(out);
    if (len < 2 || !s_upper(out[0]) || !s_upper(out[1]))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "iban",
                          _("an IBAN starts with a two-letter country code, e.g. NL; check the "
                            "start of the number"));
    if (len < 4 || !s_digit(out[2]) || !s_digit(out[3]))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "iban",
                          _("%s: the two characters after the country code must be the check "
                            "digits; check the start of the number"),
                          s_label(out, label));
    int want = iban_country_length(out);
    if (want != 0 && (size_t)want != len)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "iban",
                          _("%s has %zu characters; an IBAN from %c%c has %d; check for a missing "
                            "or extra character"),
                          s_label(out, label), len, out[0], out[1], want);
    if (want == 0 && (len < 15 || len > IBAN_MAX_LEN))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "iban",
                          _("%s has %zu characters; an IBAN has 15 to 34"), s_label(out, label),
                          len);
    if (out[0] == 'N' && out[1] == 'L') {
        /*  The Dutch form: NLkk BBBB nnnnnnnnnn, a bank code of four letters
            then a ten-digit account number. */
        bool form = true;
        for (size_t i = 4; i < 8; i++)
            form = form && s_upper(out[i]);
        for (size_t i = 8; i < len; i++)
            form = form && s_digit(out[i]);
        if (!form)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "iban",
                              _("%s does not have the Dutch form: NL, two check digits, a bank "
                                "code of four letters and ten digits; check for a typing error"),
                              s_label(out, label));
    }
    if (!iban_checksum_ok(out))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "iban",
                          _("%s fails its check digits; check for a typing error"),
                          s_label(out, label));
    return 0;
}

char *iban_mask(const char *iban, char *buf)
{
    size_t len = iban ? strlen(iban) : 0;
    if (len > IBAN_MAX_LEN)
        len = IBAN_MAX_LEN;
    size_t k = 0;
    bool country = len >= 2 && s_upper(iban[0]) && s_upper(iban[1]);
    buf[k++] = country ? iban[0] : '*';
    buf[k++] = country ? iban[1] : '*';
    buf[k++] = '*';
    buf[k++] = '*';
    /*  As many groups of four as the printed form has between the first
        group and the last four characters: NL 18 -> 3, DE 22 -> 4. */
    size_t middle = len > 8 ? (len - 8 + 3) / 4 : 1;
    for (size_t g = 0; g < middle; g++) {
        memcpy(buf + k, " ****", 5);
        k += 5;
    }
    if (len >= 12) {
        buf[k++] = ' ';
        memcpy(buf + k, iban + len - 4, 4);
        k += 4;
    }
    buf[k] = '\0';
    return buf;
}
