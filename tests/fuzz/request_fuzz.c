/*  tests/fuzz/request_fuzz.c - libFuzzer target for the request decoder.

    One input is one request body as a service receives it from the broker.
    It goes through what common/service.c does with a body (sm_doc_parse,
    then the envelope {"op", "args", "rid"} through sm_check_keys,
    sm_get_str and sm_get_map), then through every typed getter on every
    key of args, as handlers do, and out again as JSON (samenctl --json).
    Text values also go through the other parsers of untrusted text in
    libsamen (JSON, dates, periods, date-times, money, IDs).

    Besides "no crash, no leak, no undefined behaviour" (ASan + UBSan), a
    few invariants abort when broken:
    - a decoded document re-encodes (sm_pack_obj) to bytes that decode again;
    - JSON that sm_json_to_msgpack accepts passes the codec's own check;
    - a date, period or amount that parses prints to text that parses back
      to the same value.

    Built by `make fuzz` with clang -fsanitize=fuzzer; tests/fuzz/replay.c
    runs the same function over the kept corpus in `make check`.
*/
#include "common/codec.h"
#include "common/date.h"
#include "common/json.h"
#include "common/log.h"
#include "common/money.h"
#include "common/service.h"
#include "common/text.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*  An invariant is broken: say which, and abort so that the fuzzer keeps
    the input. */
static void s_broken(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "INVARIANT BROKEN: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

/*  Decode, re-encode, decode again: both must succeed. */
static void s_repack(const msgpack_object *root)
{
    sm_buf_t b;
    sm_buf_init(&b);
    sm_pack_obj(&b.pk, root);
    sm_err_t e;
    sm_err_clear(&e);
    sm_doc_t *again = sm_doc_parse(b.sbuf.data, b.sbuf.size, &e);
    if (!again)
        s_broken("a decoded document re-encodes to bytes the codec refuses: %s", e.message);
    sm_doc_destroy(&again);
    sm_buf_free(&b);
}

/*  Render as JSON both ways. */
static void s_to_json(const msgpack_object *o)
{
    free(sm_msgpack_to_json(o, false));
    free(sm_msgpack_to_json(o, true));
}

/*  text is NUL-terminated untrusted text from a request. */
static void s_text_parsers(const char *text)
{
    sm_err_t e;
    char buf[64];

    /*  JSON, as samenctl reads --args */
    sm_buf_t b;
    sm_buf_init(&b);
    sm_err_clear(&e);
    if (sm_json_to_msgpack(text, &b.pk, "args", &e) == 0) {
        sm_doc_t *d = sm_doc_parse(b.sbuf.data, b.sbuf.size, &e);
        if (!d)
            s_broken("JSON accepted by sm_json_to_msgpack is refused by the codec: %s",
                     e.message);
        s_to_json(sm_doc_root(d));
        sm_doc_destroy(&d);
    }
    sm_buf_free(&b);

    sm_date_t date, again;
    if (sm_date_parse(text, &date, "date", &e) == 0) {
        sm_date_format(date, buf);
        if (sm_date_parse(buf, &again, "date", &e) != 0 || sm_date_cmp(date, again) != 0)
            s_broken("date \"%s\" prints as \"%s\", which does not parse back", text, buf);
    }

    sm_period_t p, p2;
    if (sm_period_parse(text, &p, "period", &e) == 0) {
        sm_period_format(&p, buf);
        if (sm_period_parse(buf, &p2, "period", &e) != 0 || sm_date_cmp(p.from, p2.from) != 0 ||
            sm_date_cmp(p.to, p2.to) != 0)
            s_broken("period \"%s\" prints as \"%s\", which does not parse back", text, buf);
        sm_period_contains(&p, p.from);
    }

    int64_t ms = 0, ms2 = 0;
    if (sm_datetime_parse(text, &ms, "start", &e) == 0) {
        sm_datetime_format_local(ms, buf);
        sm_datetime_format_utc(ms, buf);
        /*  Only within years 2..9998: an offset can carry a time at the
            ends of the calendar past them, and printing saturates there
            (reported; kept as regressions/datetime_offset_past_year_9999). */
        sm_date_t day = sm_date_of_ms(ms);
        if (day.y >= 2 && day.y <= 9998 && sm_datetime_parse(buf, &ms2, "start", &e) == 0 &&
            ms2 != ms)
            s_broken("date-time \"%s\" prints as \"%s\", which parses to another instant", text,
                     buf);
    }

    int64_t cents = 0, cents2 = 0;
    if (sm_money_parse(text, true, &cents, "amount", &e) == 0) {
        sm_money_plain(cents, buf);
        if (sm_money_parse(buf, true, &cents2, "amount", &e) != 0 || cents2 != cents)
            s_broken("amount \"%s\" prints as \"%s\", which does not parse back", text, buf);
        sm_money_format(cents, true, buf);
        if (sm_money_parse(buf, true, &cents2, "amount", &e) != 0 || cents2 != cents)
            s_broken("amount \"%s\" prints as \"%s\", which does not parse back", text, buf);
        sm_money_format(cents, false, buf);
        if (sm_money_parse(buf, true, &cents2, "amount", &e) != 0 || cents2 != cents)
            s_broken("amount \"%s\" prints as \"%s\", which does not parse back", text, buf);
    }

    sm_id_parse(text, 'P', "participant", &e);
    sm_text_excerpt(text, buf, sizeof buf);
    char q[80];
    sm_log_quote(text, q, sizeof q);
}

/*  Every getter a handler might call, on key of map. */
static void s_getters(const msgpack_object *map, const char *key)
{
    sm_err_t e;
    char small[8], big[256], items[4 * 16];
    char *text = NULL;
    int64_t i;
    uint64_t u;
    bool flag;
    size_t count;
    const msgpack_object *o = NULL;
    for (int required = 0; required <= 1; required++) {
        sm_err_clear(&e);
        sm_get_str(map, key, required, small, sizeof small, false, &e);
        sm_get_str(map, key, required, big, sizeof big, true, &e);
        if (sm_get_text(map, key, required, 64, &text, &e) == 1)
            free(text);
        text = NULL;
        if (sm_get_text(map, key, required, 1 << 20, &text, &e) == 1) {
            s_text_parsers(text);
            free(text);
        }
        text = NULL;
        sm_get_int(map, key, required, INT64_MIN, INT64_MAX, &i, &e);
        sm_get_int(map, key, required, 1, 10000, &i, &e);
        sm_get_int(map, key, required, -5, -1, &i, &e);
        sm_get_uint(map, key, required, UINT64_MAX, &u, &e);
        sm_get_uint(map, key, required, 1000, &u, &e);
        sm_get_bool(map, key, required, &flag, &e);
        sm_get_str_array(map, key, required, items, 16, 4, &count, &e);
        sm_get_map(map, key, required, &o, &e);
        sm_get_array(map, key, required, &o, &e);
        sm_get_id(map, key, 'S', required, &u, &e);
    }
}

/*  Run the getters on every text key of map (and, one level down, of the
    maps it holds), as the handlers of an op would. */
static void s_all_getters(const msgpack_object *map, int depth)
{
    static const char *const allowed[] = {"name", "code", "inhabitants", "as_of", NULL};
    sm_err_t e;
    sm_check_keys(map, allowed, &e);
    s_getters(map, "name");       /*  usually absent: the absent path */
    for (uint32_t k = 0; k < map->via.map.size; k++) {
        const msgpack_object *key = &map->via.map.ptr[k].key;
        if (key->type != MSGPACK_OBJECT_STR || key->via.str.size >= 64)
            continue;
        char name[64];
        /*  msgpack-c leaves ptr NULL for an empty fixstr that comes before
            any other string: memcpy(dst, NULL, 0) is undefined. */
        if (key->via.str.size)
            memcpy(name, key->via.str.ptr, key->via.str.size);
        name[key->via.str.size] = '\0';
        s_getters(map, name);
        const msgpack_object *val = &map->via.map.ptr[k].val;
        if (depth < 2 && val->type == MSGPACK_OBJECT_MAP)
            s_all_getters(val, depth + 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[] = {"op", "args", "rid", NULL};
    sm_err_t e;
    sm_err_clear(&e);
    sm_doc_t *doc = sm_doc_parse(data, size, &e);
    if (!doc) {
        if (!e.code || !e.message[0] || strcmp(e.field, "body") != 0)
            s_broken("a refused body carries no code, message or field \"body\"");
        return 0;
    }
    const msgpack_object *root = sm_doc_root(doc);
    s_repack(root);
    s_to_json(root);
    if (root->type == MSGPACK_OBJECT_MAP) {
        /*  The envelope, exactly as s_decode_request in common/service.c. */
        char op[72], rid[72];
        const msgpack_object *args = NULL;
        sm_err_clear(&e);
        if (sm_check_keys(root, keys, &e) == 0 &&
            sm_get_str(root, "op", true, op, sizeof op, false, &e) >= 0 &&
            sm_get_str(root, "rid", false, rid, 65, false, &e) >= 0 &&
            sm_get_map(root, "args", false, &args, &e) >= 0 && args)
            s_all_getters(args, 0);
        /*  Malformed envelopes still reach the getters here, so that the
            fuzzer explores them with any map it finds. */
        s_all_getters(root, 1);
    }
    sm_doc_destroy(&doc);
    return 0;
}
