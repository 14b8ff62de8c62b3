/*  services/intake/pii_shapes.c - personal data known by its shape: BSN,
    IBAN, postal code, date of birth. See pii_shapes.h.

    Each scanner walks the bytes once and looks only at ASCII; a start is
    never inside a word or a longer number ("A0612", "12.345"). */
#include "pii_shapes.h"
#include "pii_lexicon.h"
#include <string.h>

/* ==== Characters ============================================================ */

/*  ASCII digit. */
static bool s_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/*  ASCII letter. */
static bool s_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*  Part of a word: an ASCII letter or digit, or any byte of a non-ASCII
    character (accented letters). */
static bool s_wordish(unsigned char c)
{
    return s_alpha(c) || s_digit(c) || c >= 0x80;
}

/*  ASCII lower case. */
static unsigned char s_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/*  True when a number or word starting at s[i] would continue something
    before it: a word, a sign, or a number with a separator ("12.345",
    "12-34"). */
static bool s_glued(const char *s, size_t i)
{
    if (i == 0)
        return false;
    unsigned char p = (unsigned char)s[i - 1];
    if (s_wordish(p) || p == '+')
        return true;
    return i >= 2 && strchr("-./,:", p) && p && s_digit((unsigned char)s[i - 2]);
}

/*  True when s[i..] starts with word (lower-case ASCII), ignoring case. */
static bool s_starts_with(const char *s, size_t len, size_t i, const char *word)
{
    size_t n = strlen(word);
    if (len - i < n)
        return false;
    for (size_t k = 0; k < n; k++)
        if (s_lower((unsigned char)s[i + k]) != (unsigned char)word[k])
            return false;
    return true;
}

/*  True when one of words (lower-case ASCII, each at the start of a word)
    occurs in the at most back bytes before s[i], on the same line. */
static bool s_word_before(const char *s, size_t i, const char *const *words, size_t back)
{
    size_t from = i > back ? i - back : 0;
    for (size_t k = i; k > from; k--)
        if (s[k - 1] == '\n') {
            from = k;
            break;
        }
    for (size_t k = from; k < i; k++) {
        if (k > 0 && s_alpha((unsigned char)s[k - 1]))
            continue;
        for (size_t w = 0; words[w]; w++)
            if (s_starts_with(s, i, k, words[w]))
                return true;
    }
    return false;
}

/* ==== BSN ===================================================================== */

bool pii_bsn_valid(const char *d)
{
    int sum = 0, nonzero = 0;
    for (int k = 0; k < 9; k++) {
        int v = d[k] - '0';
        if (v < 0 || v > 9)
            return false;
        sum += k < 8 ? (9 - k) * v : -v;
        nonzero |= v;
    }
    return nonzero && sum % 11 == 0;
}

/*  True when an amount of money is written around s[start..end): a euro
    sign or "EUR"/"euro" just before, or "euro" just after. */
static bool s_money_around(const char *s, size_t len, size_t start, size_t end)
{
    size_t k = start;
    while (k > 0 && s[k - 1] == ' ' && start - k < 2)
        k--;
    if (k >= 3 && memcmp(s + k - 3, "\xe2\x82\xac", 3) == 0) /*  € */
        return true;
    if (k >= 3 && s_starts_with(s, len, k - 3, "eur"))
        return true;
    if (k >= 4 && s_starts_with(s, len, k - 4, "euro"))
        return true;
    size_t e = end;
    while (e < len && s[e] == ' ' && e - end < 2)
        e++;
    return s_starts_with(s, len, e, "eur") || s_starts_with(s, len, e, "\xe2\x82\xac");
}

void pii_scan_bsn(const char *s, size_t len, pii_cands_t *c)
{
    static const char *const keywords[] = {"bsn",         "burgerservicenummer", "sofinummer",
                                           "sofi-nummer", "sofi nummer",         NULL};
    for (size_t i = 0; i < len; i++) {
        if (!s_digit((unsigned char)s[i]) || s_glued(s, i))
            continue;
        //  Up to three digit groups with one kind of separator between.
        char d[16];
        size_t nd = 0, ng = 0, sizes[3], ends[3], p = i;
        char sep = 0;
        for (;;) {
            size_t gs = p;
            while (p < len && s_digit((unsigned char)s[p]) && nd < 12)
                d[nd++] = s[p++];
            sizes[ng] = p - gs;
            ends[ng++] = p;
            if (ng == 3 || p + 1 >= len || nd >= 12)
                break;
            char q = s[p];
            if ((q != ' ' && q != '.' && q != '-') || (sep && q != sep) ||
                !s_digit((unsigned char)s[p + 1]))
                break;
            sep = q;
            p++;
        }
        size_t end = 0;
        if (sizes[0] == 9)
            end = ends[0];
        else if (ng == 3 && ((sizes[0] == 4 && sizes[1] == 2 && sizes[2] == 3) ||
                             (sizes[0] == 3 && sizes[1] == 3 && sizes[2] == 3 && sep != '.')))
            end = ends[2];
        i = ends[ng - 1] > i ? ends[ng - 1] - 1 : i;
        if (!end)
            continue;
        //  A longer number or a word right after is not a BSN.
        if (end < len &&
            (s_wordish((unsigned char)s[end]) || (end + 1 < len && strchr(".,-/", s[end]) &&
                                                  s[end] && s_digit((unsigned char)s[end + 1]))))
            continue;
        size_t start = ends[0] - sizes[0];
        bool keyword = s_word_before(s, start, keywords, 40);
        if (!keyword && s_money_around(s, len, start, end))
            continue;
        if (keyword || pii_bsn_valid(d))
            pii_cand_add(c, PII_BSN, start, end, NIL);
    }
}

/* ==== IBAN ==================================================================== */

/*  The IBAN length of a country (ISO 3166 letters, upper case), or 0 when
    not known here. */
static size_t s_iban_length(const char *cc)
{
    static const struct {
        char cc[3];
        unsigned char len;
    } lengths[] = {{"NL", 18}, {"BE", 16}, {"DE", 22}, {"FR", 27}, {"GB", 22}, {"ES", 24},
                   {"IT", 27}, {"PT", 25}, {"PL", 28}, {"TR", 26}, {"LU", 20}, {"AT", 20},
                   {"CH", 21}, {"IE", 22}, {"DK", 18}, {"SE", 24}, {"NO", 15}, {"FI", 18},
                   {"RO", 24}, {"BG", 22}, {"HU", 28}, {"GR", 27}, {"CZ", 24}, {"SK", 24}};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++)
        if (cc[0] == lengths[i].cc[0] && cc[1] == lengths[i].cc[1])
            return lengths[i].len;
    return 0;
}

bool pii_iban_valid(const char *s, size_t len)
{
    if (len < 15 || len > 34)
        return false;
    char u[34];
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!s_alpha(ch) && !s_digit(ch))
            return false;
        u[i] = (char)(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
    }
    if (!s_alpha((unsigned char)u[0]) || !s_alpha((unsigned char)u[1]) ||
        !s_digit((unsigned char)u[2]) || !s_digit((unsigned char)u[3]))
        return false;
    size_t known = s_iban_length(u);
    if (known && known != len)
        return false;
    //  Move the first four characters to the end, read letters as 10..35,
    //  and take the remainder by 97 as the digits come.
    unsigned rem = 0;
    for (size_t k = 0; k < len; k++) {
        char ch = u[(k + 4) % len];
        if (s_digit((unsigned char)ch))
            rem = (rem * 10 + (unsigned)(ch - '0')) % 97;
        else
            rem = (rem * 100 + (unsigned)(ch - 'A' + 10)) % 97;
    }
    return rem == 1;
}

void pii_scan_iban(const char *s, size_t len, pii_cands_t *c)
{
    for (size_t i = 0; i + 4 <= len; i++) {
        if (!s_alpha((unsigned char)s[i]) || !s_alpha((unsigned char)s[i + 1]) ||
            !s_digit((unsigned char)s[i + 2]) || !s_digit((unsigned char)s[i + 3]) ||
            (i > 0 && s_wordish((unsigned char)s[i - 1])))
            continue;
        //  Characters together, or groups with one space between; every
        //  group end is a place the number may stop.
        char buf[40];
        size_t nb = 0, p = i, nends = 0, counts[40], ends[40];
        while (p < len && nb < 34) {
            unsigned char ch = (unsigned char)s[p];
            if (s_alpha(ch) || s_digit(ch)) {
                buf[nb++] = (char)ch;
                p++;
                continue;
            }
            if (ch == ' ' && p + 1 < len &&
                (s_alpha((unsigned char)s[p + 1]) || s_digit((unsigned char)s[p + 1]))) {
                counts[nends] = nb;
                ends[nends++] = p;
                p++;
                continue;
            }
            break;
        }
        if (p >= len || !s_wordish((unsigned char)s[p])) {
            counts[nends] = nb;
            ends[nends++] = p;
        }
        for (size_t k = nends; k-- > 0;)
            if (pii_iban_valid(buf, counts[k])) {
                pii_cand_add(c, PII_IBAN, i, ends[k], NIL);
                i = ends[k];
                break;
            }
    }
}

/* ==== Postal codes ============================================================= */

void pii_scan_postcodes(const char *s, size_t len, pii_cands_t *c)
{
    //  Letter pairs never used in postal codes, and units written after
    //  four-digit numbers ("1500 KB", "2000 KM").
    static const char *const not_codes[] = {"SA", "SD", "SS", "KB", "MB", "GB", "TB", "KG",
                                            "KM", "CM", "MM", "ML", "PK", "KW", "NL", "EU",
                                            "BV", "NV", "UK", "US", "VS", NULL};
    static const char *const words[] = {"EN", "OF", "IN", "OP", "AL", "NU", "ZO", "DE", "ER", "IK",
                                        "JE", "ZE", "WE", "TE", "OM", "UW", "JA", "NA", NULL};
    for (size_t i = 0; i + 6 <= len; i++) {
        if (!s_digit((unsigned char)s[i]) || s[i] == '0' || s_glued(s, i))
            continue;
        size_t p = i;
        while (p < len && p - i < 5 && s_digit((unsigned char)s[p]))
            p++;
        if (p - i != 4)
            continue;
        bool space = p < len && s[p] == ' ';
        p += space;
        if (p + 2 > len)
            continue;
        unsigned char a = (unsigned char)s[p], b = (unsigned char)s[p + 1];
        bool upper = a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z';
        bool lower = a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z';
        if (!upper && !(lower && !space))
            continue;
        size_t q = p + 2;
        if (q < len && s_wordish((unsigned char)s[q]))
            continue;
        char pair[3] = {(char)(a & ~0x20), (char)(b & ~0x20), '\0'};
        bool unit = false;
        for (size_t k = 0; not_codes[k] && !unit; k++)
            unit = strcmp(pair, not_codes[k]) == 0;
        //  A place name after it makes it an address whatever the letters
        //  ("1251 KM Laren"); SA, SD and SS are never used.
        bool place =
            q + 2 < len && s[q] == ' ' &&
            (((s[q + 1] >= 'A' && s[q + 1] <= 'Z') && !(s[q + 2] >= 'A' && s[q + 2] <= 'Z')) ||
             s[q + 1] == '\'');
        //  Capitals that spell a short word are text in capitals ("2019 EN
        //  2020"), unless a place or a house number follows ("1222 DE 7").
        bool word = false;
        for (size_t k = 0; words[k] && !word; k++)
            word = strcmp(pair, words[k]) == 0;
        if (word) {
            size_t r = q;
            while (r < len && r - q < 2 && (s[r] == ' ' || s[r] == ','))
                r++;
            size_t d = r;
            while (d < len && s_digit((unsigned char)s[d]))
                d++;
            bool house = d > r && d - r <= 3 && s[r] != '0';
            unit = !house && !place;
        }
        if (unit && (!place || strcmp(pair, "SA") == 0 || strcmp(pair, "SD") == 0 ||
                     strcmp(pair, "SS") == 0))
            continue;
        //  A house number right after: "1271 AB 12", "1271AB, 12a", "1271 AB-12".
        size_t end = q, r = q, seps = 0;
        while (r < len && seps < 2 && (s[r] == ' ' || s[r] == ',' || s[r] == '-'))
            r++, seps++;
        if (r < len && s_digit((unsigned char)s[r]) && s[r] != '0') {
            size_t n = r;
            while (n < len && n - r < 5 && s_digit((unsigned char)s[n]))
                n++;
            if (n < len && s_alpha((unsigned char)s[n]) &&
                (n + 1 >= len || !s_wordish((unsigned char)s[n + 1])))
                n++;
            if (n >= len || !s_wordish((unsigned char)s[n]))
                end = n;
        }
        pii_cand_add(c, PII_POSTCODE, i, end, NIL);
        i = end - 1;
    }
}

/* ==== Dates of birth ============================================================ */

typedef struct {
    int day, month, year; /*  0 when not given */
    size_t end;
} s_date_t;

/*  Days in month m of year y (y 0: a leap year, to accept 29 February). */
static int s_days_in(int m, int y)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m != 2)
        return days[m - 1];
    return !y || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
}

/*  Read a number of 1..max_digits digits at s[*p]; returns it, or -1. */
static int s_number(const char *s, size_t len, size_t *p, size_t max_digits)
{
    size_t k = *p;
    int v = 0;
    while (k < len && k - *p < max_digits && s_digit((unsigned char)s[k]))
        v = v * 10 + (s[k++] - '0');
    if (k == *p || (k < len && s_digit((unsigned char)s[k])))
        return -1;
    int n = (int)(k - *p);
    *p = k;
    return n == 0 ? -1 : v;
}

/*  A year of four digits, or with context of two ("'85", "85" -> 1985,
    or 20xx when that is not in the future). Returns the year or -1. */
static int s_year(const char *s, size_t len, size_t *p, bool two_digits, int this_year)
{
    size_t k = *p;
    bool apostrophe = k < len && (s[k] == '\'' || s[k] == '`');
    k += apostrophe;
    size_t start = k;
    int v = s_number(s, len, &k, 4);
    if (v < 0)
        return -1;
    size_t n = k - start;
    if (n == 2 && two_digits)
        v = 2000 + v <= this_year ? 2000 + v : 1900 + v;
    else if (n != 4 || apostrophe)
        return -1;
    *p = k;
    return v;
}

/*  A Dutch month word at s[*p] (a full name or an abbreviation, with an
    optional dot): its number, *p after it; or 0. */
static int s_month_word(const char *s, size_t len, size_t *p)
{
    char w[12];
    size_t k = *p, n = 0;
    while (k < len && s_alpha((unsigned char)s[k]) && n < sizeof w)
        w[n++] = (char)s_lower((unsigned char)s[k++]);
    if (n == 0 || (k < len && s_wordish((unsigned char)s[k])))
        return 0;
    int m = pii_lexicon_month(w, n);
    //  The dot of an abbreviation ("mrt.") belongs to it; after a full
    //  name ("3 mei.") it ends the sentence.
    static const char *const abbrevs[] = {"jan", "feb", "febr", "mrt", "apr", "jun", "jul",
                                          "aug", "sep", "sept", "okt", "nov", "dec", NULL};
    bool abbrev = false;
    for (size_t a = 0; abbrevs[a] && !abbrev; a++)
        abbrev = strlen(abbrevs[a]) == n && memcmp(abbrevs[a], w, n) == 0;
    if (m && abbrev && k < len && s[k] == '.')
        k++;
    if (m)
        *p = k;
    return m;
}

/*  Skip spaces (at most a few). */
static size_t s_spaces(const char *s, size_t len, size_t p)
{
    size_t k = p;
    while (k < len && k - p < 3 && (s[k] == ' ' || s[k] == '\t'))
        k++;
    return k;
}

/*  A date at s[i]: "12-03-1985", "12/3/85" (two-digit years only with
    context), "1985-03-12", "12 maart 1985", and with partial true also
    "12 maart", "maart 1985" and "1985". Returns true with *d filled when
    its parts are valid and nothing word-like follows. */
static bool s_date_at(const char *s, size_t len, size_t i, bool partial, int this_year, s_date_t *d)
{
    memset(d, 0, sizeof *d);
    size_t p = i;
    unsigned char c0 = (unsigned char)s[i];
    if (s_digit(c0)) {
        int a = s_number(s, len, &p, 4);
        size_t after_a = p;
        if (a < 0)
            return false;
        if (after_a - i == 4) {
            //  1985-03-12, or a year alone.
            if (p + 1 < len && s[p] == '-' && s_digit((unsigned char)s[p + 1])) {
                p++;
                int m = s_number(s, len, &p, 2);
                if (m < 1 || m > 12 || p + 1 >= len || s[p] != '-')
                    return false;
                p++;
                int day = s_number(s, len, &p, 2);
                if (day < 1 || day > s_days_in(m, a))
                    return false;
                *d = (s_date_t){day, m, a, p};
            } else if (partial && a >= 1900 && a <= this_year)
                *d = (s_date_t){0, 0, a, p};
            else
                return false;
        } else if (after_a - i <= 2 && p + 1 < len && strchr("-/.", s[p]) && s[p] &&
                   s_digit((unsigned char)s[p + 1])) {
            char sep = s[p++];
            int m = s_number(s, len, &p, 2);
            if (m < 1 || m > 12 || p + 1 >= len || s[p] != sep)
                return false;
            p++;
            int y = s_year(s, len, &p, partial, this_year);
            if (y < 0 || a < 1 || a > s_days_in(m, y))
                return false;
            *d = (s_date_t){a, m, y, p};
        } else if (after_a - i <= 2) {
            size_t q = s_spaces(s, len, p);
            int m = q > p ? s_month_word(s, len, &q) : 0;
            if (!m || a < 1 || a > s_days_in(m, 0))
                return false;
            size_t r = s_spaces(s, len, q);
            int y = r > q ? s_year(s, len, &r, partial, this_year) : -1;
            if (y > 0 && a <= s_days_in(m, y))
                *d = (s_date_t){a, m, y, r};
            else if (partial)
                *d = (s_date_t){a, m, 0, q};
            else
                return false;
        } else
            return false;
    } else if (partial && s_alpha(c0)) {
        int m = s_month_word(s, len, &p);
        size_t r = s_spaces(s, len, p);
        int y = m && r > p ? s_year(s, len, &r, false, this_year) : -1;
        if (y < 0)
            return false;
        *d = (s_date_t){0, m, y, r};
    } else
        return false;
    //  A time or a list after the date is fine; a longer number is not.
    if (d->end < len && (s_wordish((unsigned char)s[d->end]) ||
                         (d->end + 1 < len && strchr("-/", s[d->end]) && s[d->end] &&
                          s_digit((unsigned char)s[d->end + 1]))))
        return false;
    return true;
}

/*  The words that announce a date of birth (lower case, at a word start). */
static const char *const s_birth_words[] = {"geboren", "geboorte", "geb.", "geb:", "geb ", NULL};

void pii_scan_birth_dates(const char *s, size_t len, int this_year, pii_cands_t *c)
{
    //  Full dates whose year could be a birth year, context or not.
    for (size_t i = 0; i < len; i++) {
        if (!s_digit((unsigned char)s[i]) || s_glued(s, i))
            continue;
        s_date_t d;
        if (!s_date_at(s, len, i, false, this_year, &d)) {
            while (i + 1 < len && s_digit((unsigned char)s[i + 1]))
                i++;
            continue;
        }
        bool plausible = d.year >= this_year - 110 && d.year >= 1900 && d.year <= this_year - 12 &&
                         !(d.day == 1 && d.month == 1);
        if (plausible)
            pii_cand_add(c, PII_BIRTH_DATE, i, d.end, NIL);
        i = d.end - 1;
    }
    //  After a birth word: any date form among the next few words, in the
    //  same sentence.
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && s_alpha((unsigned char)s[i - 1]))
            continue;
        size_t w = 0;
        for (; s_birth_words[w]; w++)
            if (s_starts_with(s, len, i, s_birth_words[w]))
                break;
        if (!s_birth_words[w])
            continue;
        size_t p = i;
        while (p < len && s_alpha((unsigned char)s[p]))
            p++;                       /*  the rest of the word: "geboortedatum" */
        bool abbreviated = p - i == 3; /*  "geb.": its dot ends nothing */
        size_t limit = p + 40 < len ? p + 40 : len;
        for (size_t k = p; k < limit; k++) {
            if (s[k] == '\n' || s[k] == '!' || s[k] == '?' ||
                (s[k] == '.' && (k + 1 >= len || s[k + 1] == ' ') &&
                 !s_digit((unsigned char)s[k - 1]) && !(abbreviated && k == p)))
                break;
            if ((k > 0 && s_wordish((unsigned char)s[k - 1])) ||
                !(s_digit((unsigned char)s[k]) || s_alpha((unsigned char)s[k])))
                continue;
            s_date_t d;
            if (s_date_at(s, len, k, true, this_year, &d)) {
                pii_cand_add(c, PII_BIRTH_DATE, k, d.end, NIL);
                break;
            }
        }
        i = p;
    }
}
