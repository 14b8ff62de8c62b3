/*  common/money.c - money is int64 euro cents. No floating point, ever.

    Amounts are read digit by digit into integers and written digit by
    digit from them: a double cannot hold 0.10 exactly, and a budget that
    is off by a cent after a thousand additions is a budget that does not
    add up, which is the one thing this programme's accounts must do.
*/
#include "money.h"
#include "i18n.h"
#include "text.h"
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*  __int128 is a GCC/Clang extension; __extension__ keeps -Wpedantic quiet
    under -std=c11. */
__extension__ typedef __int128 s_i128;

/*  What an amount may look like, in the reader's language. */
static const char *s_hint(void)
{
    return _("give euros and cents such as 15, 15.50, 22,500.00 or 22.500,00");
}

/* ==== Refusals ============================================================ */

/*  Fill err with `amount "<text>" (field "<field>"): <reason>`, the text
    quoted as a safe excerpt. Always returns -1. */
static int s_refuse(sm_err_t *err, const char *text, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int s_refuse(sm_err_t *err, const char *text, const char *field, const char *fmt, ...)
{
    char reason[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    char quoted[64];
    sm_text_excerpt(text, quoted, sizeof quoted);
    if (field && *field)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("amount \"%1$s\" (field \"%2$s\"): %3$s"), quoted, field, reason);
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _("amount \"%1$s\": %2$s"), quoted,
                      reason);
}

/* ==== Parsing ============================================================= */

static bool s_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool s_is_sep(char c)
{
    return c == ',' || c == '.';
}

/*  Length of the blank at p: an ASCII space or tab (1), a no-break space
    U+00A0 as pasted from word processors after "€" (2), else 0. */
static size_t s_blank(const char *p)
{
    if (*p == ' ' || *p == '\t')
        return 1;
    if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
        return 2;
    return 0;
}

static const char *s_skip_blanks(const char *p)
{
    size_t n;
    while ((n = s_blank(p)) > 0)
        p += n;
    return p;
}

/*  The currency mark at p ("EUR" in any case, or "€"), and blanks after
    it. Returns the position after them, or p when there is no mark. */
static const char *s_skip_currency(const char *p)
{
    if ((p[0] == 'E' || p[0] == 'e') && (p[1] == 'U' || p[1] == 'u') &&
        (p[2] == 'R' || p[2] == 'r'))
        return s_skip_blanks(p + 3);
    if (strncmp(p, "\xE2\x82\xAC", 3) == 0)
        return s_skip_blanks(p + 3);
    return p;
}

/*  True when the digits and thousands separators in num[0..len) are
    grouped properly: 1 to 3 digits first, then groups of exactly 3, each
    after one separator sep. */
static bool s_grouping_ok(const char *num, size_t len, char sep)
{
    size_t run = 0;
    bool first = true;
    for (size_t i = 0; i < len; i++) {
        if (s_is_digit(num[i])) {
            run++;
            continue;
        }
        if (num[i] != sep || run == 0 || run > 3 || (!first && run != 3))
            return false;
        first = false;
        run = 0;
    }
    return run > 0 && (first || run == 3);
}

/*  Returns 0 with *cents, or -1 with err naming field. See money.h for
    what is accepted and how the decimal separator is told apart from the
    thousands separator. */
int sm_money_parse(const char *text, bool allow_negative, int64_t *cents, const char *field,
                   sm_err_t *err)
{
    assert(cents);
    const char *p = s_skip_blanks(text ? text : "");
    if (!*p) {
        if (field && *field)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("amount (field \"%1$s\") is empty; %2$s"), field, s_hint());
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _("amount is empty; %s"), s_hint());
    }
    /*  "-EUR 5.00" is how sm_money_format writes it, "EUR -5.00" how some
        people type it: take the sign on either side of the currency. */
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    const char *after = s_skip_currency(p);
    if (after != p && !neg && *after == '-') {
        neg = true;
        after++;
    }
    const char *num = after;
    size_t len = strlen(num);
    while (len > 0 && (num[len - 1] == ' ' || num[len - 1] == '\t' || num[len - 1] == '\n' ||
                       num[len - 1] == '\r'))
        len--;

    /*  The number is digits and separators only, starting with a digit;
        the Dutch ",-" for whole euros ("15,-") may end it. */
    bool whole =
        len >= 3 && num[len - 1] == '-' && s_is_sep(num[len - 2]) && s_is_digit(num[len - 3]);
    char whole_sep = whole ? num[len - 2] : 0;
    if (whole)
        len -= 2;
    if (len == 0 || !s_is_digit(num[0]))
        return s_refuse(err, text, field, _("not an amount; %s"), s_hint());
    size_t commas = 0, dots = 0, last_sep = 0;
    for (size_t i = 0; i < len; i++) {
        if (num[i] == ',')
            commas++;
        else if (num[i] == '.')
            dots++;
        else if (!s_is_digit(num[i]))
            return s_refuse(err, text, field, _("not an amount; %s"), s_hint());
        if (s_is_sep(num[i]))
            last_sep = i;
    }

    /*  Tell the decimal separator (if any) from the thousands separator. */
    size_t int_len = len; /*  digits and thousands separators */
    char thousands = 0;   /*  0 when there are none */
    if (whole) {
        thousands = whole_sep == ',' ? '.' : ',';
        if ((whole_sep == ',' ? commas : dots) > 0)
            return s_refuse(err, text, field, _("separators in the wrong places; %s"), s_hint());
    } else if (commas && dots) {
        /*  Both kinds: the last one is the decimal separator. */
        char dec = num[last_sep];
        thousands = dec == ',' ? '.' : ',';
        if ((dec == ',' ? commas : dots) != 1)
            return s_refuse(err, text, field, _("separators in the wrong places; %s"), s_hint());
        int_len = last_sep;
    } else if (commas + dots == 1) {
        /*  One separator: followed by 3 digits after a group of 1 to 3
            digits not starting with 0 it groups thousands ("22,500",
            "1.000"); otherwise it is the decimal separator ("15.5",
            "0.001"). */
        size_t after_sep = len - last_sep - 1;
        if (after_sep == 3 && last_sep >= 1 && last_sep <= 3 && num[0] != '0')
            thousands = num[last_sep];
        else
            int_len = last_sep;
    } else if (commas + dots > 1)
        thousands = commas ? ',' : '.'; /*  "1.234.567": all group thousands */

    if (thousands && !s_grouping_ok(num, int_len, thousands))
        return s_refuse(err, text, field, _("separators in the wrong places; %s"), s_hint());
    if (!thousands)
        for (size_t i = 0; i < int_len; i++)
            if (!s_is_digit(num[i]))
                return s_refuse(err, text, field, _("separators in the wrong places; %s"), s_hint());

    size_t decimals = int_len < len ? len - int_len - 1 : 0;
    if (int_len < len && decimals == 0)
        return s_refuse(err, text, field,
                        _("no digits after the decimal separator; write 15 or 15.00"));
    if (decimals > 2) {
        char shown[64];
        snprintf(shown, sizeof shown, "%.*s", (int)(len < 40 ? len : 40), num);
        return s_refuse(err, text, field, _("amounts are whole cents; %1$s%2$s has %3$zu decimals"), shown,
                        len < 40 ? "" : "...", decimals);
    }

    /*  Euros first, capped just above the limit so that a long string of
        digits cannot overflow; then the cents. */
    uint64_t euros = 0;
    const uint64_t cap = (uint64_t)SM_MONEY_MAX / 100 + 1;
    for (size_t i = 0; i < int_len; i++)
        if (s_is_digit(num[i]) && euros < cap)
            euros = euros * 10 + (uint64_t)(num[i] - '0');
    uint64_t frac = 0;
    for (size_t i = 0; i < 2; i++)
        frac = frac * 10 + (i < decimals ? (uint64_t)(num[int_len + 1 + i] - '0') : 0);
    if (euros >= cap || euros * 100 + frac > (uint64_t)SM_MONEY_MAX)
        return s_refuse(err, text, field,
                        _("too large; the most accepted is EUR 10,000,000,000,000.00"));
    if (neg && !allow_negative)
        return s_refuse(err, text, field, _("negative amounts are not accepted here; give 0 or more"));
    int64_t v = (int64_t)(euros * 100 + frac);
    *cents = neg ? -v : v;
    return 0;
}

/* ==== Formatting ========================================================== */

/*  Returns buf holding v / 10^decimals, written digit by digit. Can't fail
    (the longest result, for INT64_MIN with 4-byte separators, is under
    128 bytes). INT64_MIN is safe: the magnitude is taken in uint64_t. */
char *sm_money_digits(int64_t v, int decimals, const char *thousands, const char *decimal,
                      char *buf)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    uint64_t mag = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
    uint64_t scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    uint64_t whole = mag / scale, frac = mag % scale;
    size_t tlen = thousands ? strlen(thousands) : 0;
    if (tlen > 8) /*  a separator is a character or two, never more */
        tlen = 8;
    char rev[128]; /*  whole digits and separators, last byte first */
    size_t n = 0;
    int digits = 0;
    do {
        if (tlen && digits > 0 && digits % 3 == 0)
            for (size_t k = tlen; k > 0; k--)
                rev[n++] = thousands[k - 1];
        rev[n++] = (char)('0' + whole % 10);
        whole /= 10;
        digits++;
    } while (whole > 0);
    char *o = buf;
    if (v < 0)
        *o++ = '-';
    while (n > 0)
        *o++ = rev[--n];
    if (decimals > 0) {
        size_t dlen = strlen(decimal);
        if (dlen > 8)
            dlen = 8;
        memcpy(o, decimal, dlen);
        o += dlen;
        for (int i = decimals - 1; i >= 0; i--) {
            o[i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        o += decimals;
    }
    *o = '\0';
    return buf;
}

/*  Returns buf holding "EUR 22,500.00" or, with nl, "€ 22.500,00"; a
    negative amount gets a leading "-". Can't fail (the longest result,
    for INT64_MIN, is 31 bytes with its NUL). */
char *sm_money_format(int64_t cents, bool nl, char *buf)
{
    const char *mark = nl ? "\xE2\x82\xAC " : "EUR ";
    size_t n = 0;
    if (cents < 0)
        buf[n++] = '-';
    memcpy(buf + n, mark, strlen(mark));
    n += strlen(mark);
    /*  The sign is written above, before the currency mark. */
    char digits[128];
    sm_money_digits(cents, 2, nl ? "." : ",", nl ? "," : ".", digits);
    strcpy(buf + n, digits[0] == '-' ? digits + 1 : digits);
    return buf;
}

/*  Returns buf holding "22500.00" or "-5.00". Can't fail (at most 22 bytes
    with the NUL). */
char *sm_money_plain(int64_t cents, char *buf)
{
    return sm_money_digits(cents, 2, "", ".", buf);
}

/* ==== Arithmetic ========================================================== */

/*  Returns 0 with *out = a * b / c rounded half away from zero, or -1 (out
    untouched) when c is 0 or the result does not fit in int64. The product
    of two int64 is at most 2^126 in magnitude, so it always fits in 128
    bits and nothing is lost before the division. */
int sm_muldiv(int64_t a, int64_t b, int64_t c, int64_t *out)
{
    assert(out);
    if (c == 0)
        return -1;
    s_i128 p = (s_i128)a * b;
    s_i128 q = p / c;
    s_i128 r = p % c; /*  same sign as p, |r| < |c| */
    s_i128 abs_r = r < 0 ? -r : r;
    s_i128 abs_c = c < 0 ? -(s_i128)c : (s_i128)c;
    if (2 * abs_r >= abs_c)
        q += (p < 0) == (c < 0) ? 1 : -1;
    if (q > INT64_MAX || q < INT64_MIN)
        return -1;
    *out = (int64_t)q;
    return 0;
}
