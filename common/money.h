/*  common/money.h - money is int64 euro cents. No floating point, ever.

    Parsing accepts what people type: "15", "15.5", "15.50", "22500.00",
    "22,500.00", "22.500,00" (Dutch), "EUR 15", "€15,00". A fractional cent
    ("0.001") is refused, never rounded. Negative amounts are refused unless
    the caller allows them.
*/
#ifndef SAMEN_MONEY_H
#define SAMEN_MONEY_H

#include "err.h"
#include <stdbool.h>
#include <stdint.h>

/*  Largest amount accepted: EUR 10^13 (keeps sums of many amounts in int64). */
#define SM_MONEY_MAX ((int64_t)1000000000000000LL)

/*  Parse text into cents. Returns 0, or -1 with err naming field.

    Accepted: optional "-" (only with allow_negative), optional currency
    mark "EUR" (any case) or "€" with optional blanks after it (the sign may
    also follow the mark: "EUR -5.00"), then digits with separators, and
    optionally the Dutch ",-" for whole euros ("€ 15,-"). Blanks around the
    whole text are ignored. How "," and "." are read:
      - both appear: the last one is the decimal separator and may appear
        only once; the other groups thousands ("1.234.567,89", "22,500.00");
      - one separator, once: followed by exactly 3 digits after a first
        group of 1..3 digits that does not start with 0, it groups
        thousands ("22,500" = "22.500" = 22500.00); otherwise it is the
        decimal separator ("15.5", "15,50", and "0.001" or "1234.567",
        which are then refused as fractional cents);
      - one kind, several times: all group thousands ("1.234.567").
    Thousands groups must be 1..3 digits then exactly 3. Amounts above
    SM_MONEY_MAX (in magnitude) are refused. */
int sm_money_parse(const char *text, bool allow_negative, int64_t *cents, const char *field,
                   sm_err_t *err);

/*  Format: "EUR 22,500.00" or, with nl, "€ 22.500,00"; negative as
    "-EUR 5.00" / "-€ 5,00". buf at least 40 bytes. Returns buf. */
char *sm_money_format(int64_t cents, bool nl, char *buf);

/*  v / 10^decimals (decimals 0..6) with the thousands separator between
    groups of three digits ("" for none) and the decimal separator, and a
    leading "-" when negative: (2250000, 2, ".", ",") is "22.500,00". Also
    for other fixed-point numbers (basis points, hours x 100). buf at least
    128 bytes. Returns buf. Locale-aware formats: common/l10n.h. */
char *sm_money_digits(int64_t v, int decimals, const char *thousands, const char *decimal,
                      char *buf);

/*  Plain "22500.00" (no currency, no grouping), for CSV and JSON-ish output.
    buf at least 32 bytes. Returns buf. */
char *sm_money_plain(int64_t cents, char *buf);

/*  a * b / c rounded half away from zero, exact for |a*b| < 2^126 (uses
    __int128). Returns 0, or -1 on c == 0 or overflow of the int64 result. */
int sm_muldiv(int64_t a, int64_t b, int64_t c, int64_t *out);

#endif
