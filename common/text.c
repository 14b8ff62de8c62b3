/*  common/text.c - text checks shared by every service.

    UTF-8 is checked against the table of well-formed byte sequences in the
    Unicode Standard (chapter 3, table 3-7) rather than by decoding and then
    range-checking: the table rules out overlong forms, surrogates and code
    points above U+10FFFF by the allowed range of the second byte alone.
*/
#include "text.h"
#include "common/i18n.h"
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

/*  Length of the well-formed UTF-8 sequence that starts at p, of which
    left bytes are available, or 0 when the bytes there are not one (a
    stray continuation byte, an overlong form, a surrogate, a code point
    above U+10FFFF, a truncated sequence). NUL counts as not well-formed
    because no field of ours may hold one. Returns 1..4 or 0. */
static size_t s_utf8_seq(const unsigned char *p, size_t left)
{
    unsigned char b = p[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /*  allowed range of the second byte */
    if (b == 0x00)
        return 0;
    if (b < 0x80)
        return 1;
    if (b < 0xC2) /*  continuation byte, or C0/C1 which only start overlongs */
        return 0;
    if (b < 0xE0)
        n = 2;
    else if (b < 0xF0) {
        n = 3;
        if (b == 0xE0)
            lo = 0xA0; /*  below is an overlong 2-byte value */
        else if (b == 0xED)
            hi = 0x9F; /*  above is a surrogate D800..DFFF */
    } else if (b < 0xF5) {
        n = 4;
        if (b == 0xF0)
            lo = 0x90; /*  below is an overlong 3-byte value */
        else if (b == 0xF4)
            hi = 0x8F; /*  above is beyond U+10FFFF */
    } else
        return 0;
    if (left < n)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

/*  Returns true when s[0..len) is well-formed UTF-8 without NUL; an empty
    string (s may then be NULL) is valid. This function can't fail. */
bool sm_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n = s_utf8_seq(p + i, len - i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

/*  Returns the number of code points, counting every byte that is not a
    continuation byte; for text that is not valid UTF-8 the count is
    therefore an estimate, never more than len. This function can't fail. */
size_t sm_utf8_len(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            count++;
    return count;
}

/*  Returns s, its ASCII letters lower-cased; NULL stays NULL. Locale-free
    on purpose: tolower() under a Turkish locale would turn 'I' into a
    dotless i and make identifiers compare differently per machine. */
char *sm_ascii_lower(char *s)
{
    if (!s)
        return s;
    for (char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return s;
}

static bool s_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*  Returns s with leading and trailing ASCII white space removed in place
    (the text is moved to the start, so s stays the pointer to free); NULL
    stays NULL. This function can't fail. */
char *sm_trim(char *s)
{
    if (!s)
        return s;
    size_t start = 0, end = strlen(s);
    while (start < end && s_is_space(s[start]))
        start++;
    while (end > start && s_is_space(s[end - 1]))
        end--;
    if (start > 0)
        memmove(s, s + start, end - start);
    s[end - start] = '\0';
    return s;
}

/*  Returns buf holding at most size - 1 printable bytes of s, cut at a code
    point boundary with "..." when s does not fit. This function can't
    fail; with size 0 nothing is written. */
char *sm_text_excerpt(const char *s, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t len = strlen((const char *)p);
    /*  Each byte out stands for one byte in (a bad byte becomes one '?'),
        so the excerpt is as long as s; when s does not fit, keep room for
        "..." and the NUL. */
    bool cut = len > size - 1;
    size_t limit = cut ? (size > 4 ? size - 4 : 0) : size - 1;
    size_t i = 0, o = 0;
    while (i < len) {
        size_t n = s_utf8_seq(p + i, len - i);
        size_t step = n ? n : 1;
        if (o + step > limit)
            break;
        if (n == 0 || (n == 1 && (p[i] < 0x20 || p[i] == 0x7F)))
            buf[o++] = '?';
        else {
            memcpy(buf + o, p + i, n);
            o += n;
        }
        i += step;
    }
    for (int k = 0; cut && k < 3 && o + 1 < size; k++)
        buf[o++] = '.';
    buf[o] = '\0';
    return buf;
}

bool sm_text_blank(const char *text)
{
    for (const char *p = text; p && *p; p++)
        if (!strchr(" \t\r\n\v\f", *p))
            return false;
    return true;
}

int sm_text_check(const char *text, const char *field, size_t max, sm_err_t *err)
{
    if (!text)
        return 0;
    size_t len = strlen(text);
    if (len > max)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is %zu bytes long; at most %zu bytes are accepted"), field, len,
                          max);
    if (!sm_utf8_valid(text, len))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is not valid UTF-8; send the text as UTF-8"), field);
    return 0;
}

uint32_t sm_utf8_next(const char *s, size_t len, size_t *pos)
{
    const unsigned char *p = (const unsigned char *)s + *pos;
    size_t left = len - *pos;
    unsigned c = p[0];
    if (c < 0x80) {
        *pos += 1;
        return c;
    }
    size_t n;
    uint32_t cp, min;
    if ((c & 0xE0) == 0xC0) {
        n = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        *pos += 1;
        return 0xFFFD;
    }
    if (left < n) {
        *pos += 1;
        return 0xFFFD;
    }
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80) {
            *pos += 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *pos += 1;
        return 0xFFFD;
    }
    *pos += n;
    return cp;
}

/*  Characters that make a stored name misbehave on screen or in a CSV:
    C0 and C1 controls, DEL, line/paragraph separators, and the
    bidirectional overrides that can make a name display as another. */
bool sm_is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

int sm_random_id(char out[33])
{
    uint8_t rnd[16];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        return -1;
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", rnd[i]);
    return 0;
}
