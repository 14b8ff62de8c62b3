/*  services/finance/request_args.c - reading finance's request arguments. */
#include "request_args.h"
#include "../../common/money.h"
#include "../../common/service.h"
#include <stdio.h>
#include <string.h>

int fin_get_cents(const msgpack_object *args, const char *key, bool required, int64_t min_cents,
                  int64_t *out, sm_err_t *err)
{
    const msgpack_object *o = sm_map_get(args, key);
    if (!o || o->type == MSGPACK_OBJECT_NIL) {
        if (!required)
            return 0;
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          "field \"%s\" is required: an amount in whole euro cents, e.g. 1500 "
                          "for EUR 15.00",
                          key);
    }
    if (o->type == MSGPACK_OBJECT_FLOAT32 || o->type == MSGPACK_OBJECT_FLOAT64)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          "field \"%s\" holds a fraction of a cent; give whole euro cents as an "
                          "integer, e.g. 1500 for EUR 15.00",
                          key);
    if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          "field \"%s\" is negative; give an amount of %s in whole euro cents", key,
                          min_cents > 0 ? "more than zero" : "zero or more");
    if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          "field \"%s\" must be an amount in whole euro cents (an integer, e.g. "
                          "1500 for EUR 15.00)",
                          key);
    char m[48];
    if (o->via.u64 > (uint64_t)SM_MONEY_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          "field \"%s\" is beyond the largest amount accepted, %s", key,
                          sm_money_format(SM_MONEY_MAX, false, m));
    if ((int64_t)o->via.u64 < min_cents)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          "field \"%s\" is zero; give an amount of more than zero in whole euro "
                          "cents",
                          key);
    *out = (int64_t)o->via.u64;
    return 1;
}

int fin_get_date(const msgpack_object *args, const char *key, bool required, sm_date_t *out,
                 sm_err_t *err)
{
    char d[16];
    int rc = sm_get_str(args, key, required, d, sizeof d, false, err);
    if (rc <= 0)
        return rc;
    return sm_date_parse(d, out, key, err) == 0 ? 1 : -1;
}

int fin_get_year(const msgpack_object *args, const char *key, bool required, int *out,
                 sm_err_t *err)
{
    int64_t y;
    int rc = sm_get_int(args, key, required, FIN_YEAR_MIN, FIN_YEAR_MAX, &y, err);
    if (rc > 0)
        *out = (int)y;
    return rc;
}

int fin_get_page(const msgpack_object *args, char letter, int64_t *limit, uint64_t *after,
                 sm_err_t *err)
{
    *limit = FIN_PAGE_DEFAULT;
    *after = 0;
    if (sm_get_int(args, "limit", false, 1, FIN_PAGE_MAX, limit, err) < 0 ||
        sm_get_id(args, "after", letter, false, after, err) < 0)
        return -1;
    return 0;
}

int fin_get_words(const msgpack_object *args, const char *key, bool required, char *buf,
                  size_t size, sm_err_t *err)
{
    int rc = sm_get_str(args, key, required, buf, size, false, err);
    if (rc <= 0)
        return rc;
    for (const char *p = buf; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return 1;
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                      "field \"%s\" holds only white space; give words a person can read", key);
}
