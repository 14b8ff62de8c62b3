/*  services/finance/split.h - cost sharing in proportion to inhabitants.

    Every member municipality pays a share of a total in proportion to its
    number of inhabitants (the statistics office's count on a reference
    date). Contributions are rounded to a unit (EUR 1,000 for the programme,
    EUR 10 for a pilot) and the rounded contributions add up to the total
    EXACTLY: a hand-made table in the programme's sources did not, and this
    module exists so that no table ever does that again.

    Method: largest remainder (Hamilton), all in integer arithmetic.
      1. The total is counted in units: U = total / unit (the total must be
         a whole number of units).
      2. Each municipality's exact quota in units is U * inhabitants / sum;
         it first gets the whole part of that quota.
      3. The units left over (fewer than the number of municipalities) go,
         one each, to the municipalities first in this order:
           a. the larger remainder of the quota first;
           b. on equal remainders, the larger number of inhabitants first;
           c. on equal inhabitants too, the name first in byte order
              (strcmp), so "Blaricum" before "Eemnes".
         Names must be distinct, so the order is total, and the result does
         not depend on the order in which municipalities are given.
    Consequence: every contribution is within one unit of its exact share
    (floor(quota) * unit <= exact share < (floor(quota) + 1) * unit).

    The exact share in cents is total * inhabitants / sum, kept as whole
    cents plus a remainder over the sum of inhabitants, so that it can be
    shown or checked without rounding. Products are taken in 128-bit
    integers: never any binary fraction.

    The percentage of inhabitants is given in basis points (hundredths of
    a percent), rounded half up: Hilversum 87,817 of 257,186 = 34.15% = 3415.
*/
#ifndef SAMEN_FINANCE_SPLIT_H
#define SAMEN_FINANCE_SPLIT_H

#include "common/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*  Most municipalities one split accepts (the Netherlands has about 350). */
#define SPLIT_MAX_MEMBERS 1000
/*  Most inhabitants one municipality may have: keeps every product exact. */
#define SPLIT_MAX_INHABITANTS ((int64_t)1000000000)

/*  One member municipality as given. name is borrowed, not copied. */
typedef struct {
    const char *name;
    int64_t inhabitants;
} split_member_t;

/*  One municipality's outcome, in the same position as its input. */
typedef struct {
    const char *name; /*  the input's pointer */
    int64_t inhabitants;
    int64_t contribution_cents; /*  what it pays: a whole number of units */
    int64_t units;              /*  contribution_cents / unit */
    bool extra_unit;            /*  true when it received a left-over unit */
    /*  Exact share = share_cents + share_remainder / share_denominator cents,
        with 0 <= share_remainder < share_denominator (= sum of inhabitants). */
    int64_t share_cents;
    int64_t share_remainder;
    int64_t share_denominator;
    int64_t percent_bp; /*  inhabitants / sum in hundredths of a percent, half up */
} split_share_t;

/*  Share total_cents among count municipalities, rounded to unit_cents.
    out must have room for count entries; out[i] answers members[i].
    Returns 0 with out filled (the contributions sum to total_cents exactly).
    On error returns -1 with err set (SM_E_INVALID_ARGUMENT, field named)
    and out unspecified. Refused: no municipalities or more than
    SPLIT_MAX_MEMBERS ("municipalities"); a missing or repeated name;
    inhabitants zero, negative or above SPLIT_MAX_INHABITANTS (field
    "inhabitants[<name>]"); a unit of zero or less ("unit"); a unit larger
    than the total ("unit"); a total of zero or less, above SM_MONEY_MAX, or
    not a whole number of units ("total", e.g. "total EUR 60,005.00 is not a
    multiple of the unit EUR 10.00; ..."). */
int split_compute(const split_member_t *members, size_t count, int64_t total_cents,
                  int64_t unit_cents, split_share_t *out, sm_err_t *err);

#endif
