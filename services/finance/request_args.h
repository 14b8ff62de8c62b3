/*  services/finance/request_args.h - reading finance's request arguments.

    Money arrives as whole euro cents in fields named *_cents. Every amount
    the finance service accepts goes through fin_get_cents, so that a
    negative amount, a fraction of a cent (a MessagePack number with a
    fractional part) or an amount beyond SM_MONEY_MAX is refused the same
    way everywhere, with the field named and the accepted form spelled out.
    Dates, years and list pages are read here for the same reason.
*/
#ifndef SAMEN_FINANCE_REQUEST_ARGS_H
#define SAMEN_FINANCE_REQUEST_ARGS_H

#include "../../common/codec.h"
#include "../../common/date.h"
#include <stdbool.h>
#include <stdint.h>

/*  Years the finance service books in. */
#define FIN_YEAR_MIN 2000
#define FIN_YEAR_MAX 2100
/*  Longest page a list op returns, and the default. */
#define FIN_PAGE_MAX 1000
#define FIN_PAGE_DEFAULT 100

/*  Read an amount in cents. min_cents is 0 (zero allowed) or 1 (more than
    zero required). Returns 1 present and valid, 0 absent (optional), -1
    with err naming key: not an integer ("a fraction of a cent"), below
    min_cents ("negative"), above SM_MONEY_MAX. */
int fin_get_cents(const msgpack_object *args, const char *key, bool required, int64_t min_cents,
                  int64_t *out, sm_err_t *err);

/*  Read a "YYYY-MM-DD" date. Returns 1, 0 (absent, optional) or -1 with err. */
int fin_get_date(const msgpack_object *args, const char *key, bool required, sm_date_t *out,
                 sm_err_t *err);

/*  Read a year (FIN_YEAR_MIN..FIN_YEAR_MAX). Returns 1, 0 or -1 with err. */
int fin_get_year(const msgpack_object *args, const char *key, bool required, int *out,
                 sm_err_t *err);

/*  Read "limit" (1..FIN_PAGE_MAX, default FIN_PAGE_DEFAULT) and "after" (an
    ID with the given letter; 0 when absent). Returns 0 or -1 with err. */
int fin_get_page(const msgpack_object *args, char letter, int64_t *limit, uint64_t *after,
                 sm_err_t *err);

/*  Read a text that must hold more than white space (a name, a reason),
    1..size-1 bytes. Returns 1, 0 (absent, optional) or -1 with err. */
int fin_get_words(const msgpack_object *args, const char *key, bool required, char *buf,
                  size_t size, sm_err_t *err);

#endif
