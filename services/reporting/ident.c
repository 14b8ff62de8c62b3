/*  services/reporting/ident.c - the order of typed identifiers. See ident.h. */
#include "ident.h"
#include <string.h>

static int s_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int ident_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return a ? 1 : (b ? -1 : 0);
    const char *p = a, *q = b;
    while (*p && *q) {
        if (s_is_digit(*p) && s_is_digit(*q)) {
            //  Compare the digit runs by value: skip leading zeros, then the
            //  longer run is the larger number, else the first differing digit
            //  decides. No conversion, so any length of number is fine.
            while (*p == '0')
                p++;
            while (*q == '0')
                q++;
            size_t np = 0, nq = 0;
            while (s_is_digit(p[np]))
                np++;
            while (s_is_digit(q[nq]))
                nq++;
            if (np != nq)
                return np < nq ? -1 : 1;
            int c = memcmp(p, q, np);
            if (c != 0)
                return c;
            p += np;
            q += nq;
            continue;
        }
        if (*p != *q)
            return (unsigned char)*p < (unsigned char)*q ? -1 : 1;
        p++;
        q++;
    }
    if (*p || *q)
        return *p ? 1 : -1;
    //  Equal by value ("S09" and "S9"): fall back to the bytes for a total order.
    return strcmp(a, b);
}
