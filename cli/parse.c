/*  cli/parse.c - one parser per declared type, for what people type.

    Every plain verb's values go through here, so that "15,00" is money
    and "12" is P12 in every command alike. What a value may be (its range,
    length, the values of an enum) is then checked against the declaration
    by cli_pack_op with the service's own check (sm_args_check).
*/
#include "cli.h"
#include "common/json.h"
#include "common/money.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cli_parse_bool(const char *text)
{
    static const char *const yes[] = {"", "yes", "true", "ja", "y", "j", "1", NULL};
    static const char *const no[] = {"no", "false", "nee", "n", "0", NULL};
    for (int i = 0; yes[i]; i++)
        if (strcasecmp(text, yes[i]) == 0)
            return 1;
    for (int i = 0; no[i]; i++)
        if (strcasecmp(text, no[i]) == 0)
            return 0;
    return -1;
}

/*  A date as people type it: 2020-03-12 as it is; 12-03-2020, 12/3/2020
    or 12.3.2020 (day first, as in the Netherlands) into "2020-03-12" in
    buf. Anything else is passed on for the declaration's check to refuse.
    Returns the text to send. */
static const char *s_date(const char *text, char *buf, size_t size)
{
    int d, m, y, n = 0;
    char s1, s2;
    if (sscanf(text, "%2d%c%2d%c%4d%n", &d, &s1, &m, &s2, &y, &n) == 5 && !text[n] &&
        s1 == s2 && strchr("-/.", s1) && y >= 1000) {
        snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
        return buf;
    }
    return text;
}

/*  An ID as people type it: "P12", "p12", or "12" for an argument whose
    letter is known. Returns the text to send (buf or text). */
static const char *s_id(const char *text, char letter, char *buf, size_t size)
{
    size_t n = strlen(text);
    if (n && n < 16 && strspn(text, "0123456789") == n) {
        snprintf(buf, size, "%c%s", letter, text);
        return buf;
    }
    if (n && n < 17 && toupper((unsigned char)text[0]) == letter &&
        strspn(text + 1, "0123456789") == n - 1) {
        snprintf(buf, size, "%c%s", letter, text + 1);
        return buf;
    }
    return text;
}

/*  A whole number: digits with an optional sign, nothing else. */
static int s_int(const char *text, int64_t *out)
{
    const char *p = text;
    if (*p == '+' || *p == '-')
        p++;
    if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 18)
        return -1;
    *out = strtoll(text, NULL, 10);
    return 0;
}

/*  A number with at most two decimals in hundredths: "37.5" -> 3750,
    "10" -> 1000, "4,25" -> 425 (hours and weeks, never binary fractions).
    Returns 0, or -1 when text is not such a number. */
static int s_hundredths(const char *text, int64_t *out)
{
    int64_t whole = 0, frac = 0;
    int digits = 0, decimals = -1;
    for (const char *p = text; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (decimals >= 0) {
                if (++decimals > 2)
                    return -1;
                frac = frac * 10 + (*p - '0');
            } else {
                if (++digits > 12)
                    return -1;
                whole = whole * 10 + (*p - '0');
            }
        } else if ((*p == '.' || *p == ',') && decimals < 0 && digits > 0)
            decimals = 0;
        else
            return -1;
    }
    if (digits == 0 || decimals == 0)
        return -1;
    if (decimals == 1)
        frac *= 10;
    *out = whole * 100 + frac;
    return 0;
}

/*  True when a is a whole number sent in hundredths (named x_x100). */
static bool s_x100(const sm_arg_t *a)
{
    size_t n = strlen(a->name);
    return n > 5 && strcmp(a->name + n - 5, "_x100") == 0;
}

/*  Parse and pack one value of type t (a scalar, or a list's item).
    Returns 0, or CLI_USAGE after printing the problem. */
static int s_one(cli_t *cli, const sm_arg_t *a, sm_type_t t, const char *flag, const char *text,
                 msgpack_packer *pk)
{
    char buf[64];
    sm_err_t e;
    sm_err_clear(&e);
    switch (t) {
    case SM_T_INT: {
        int64_t n;
        if (s_x100(a) && a->type != SM_T_LIST) {
            if (s_hundredths(text, &n) != 0)
                return cli_usage_error(cli, _("%s takes a number with at most two decimals, e.g. "
                                            "37.5, got \"%s\""),
                                       flag, text);
        } else if (s_int(text, &n) != 0)
            return cli_usage_error(cli, _("%s must be a whole number, got \"%s\""), flag, text);
        msgpack_pack_int64(pk, n);
        return 0;
    }
    case SM_T_MONEY: {
        int64_t cents;
        if (sm_money_parse(text, a->min < 0, &cents, NULL, &e) != 0)
            return cli_usage_error(cli, _("%s: %s; type it as 15, 15.00, 15,00, 1.500,00 or "
                                        "€ 1.500,00"),
                                   flag, e.message);
        msgpack_pack_int64(pk, cents);
        return 0;
    }
    case SM_T_BOOL: {
        int b = cli_parse_bool(text);
        if (b < 0)
            return cli_usage_error(cli, _("%s takes yes or no, got \"%s\""), flag, text);
        if (b)
            msgpack_pack_true(pk);
        else
            msgpack_pack_false(pk);
        return 0;
    }
    case SM_T_DATE: sm_pack_str(pk, s_date(text, buf, sizeof buf)); return 0;
    case SM_T_ID: sm_pack_str(pk, s_id(text, a->letter, buf, sizeof buf)); return 0;
    case SM_T_MAP:
        if (text[strspn(text, " \t\n")] != '{')
            return cli_usage_error(cli, _("%s takes a JSON object, e.g. '{\"a\": 1}'"), flag);
        if (sm_json_to_msgpack(text, pk, flag, &e) != 0)
            return cli_usage_error(cli, "%s", e.message);
        return 0;
    default: sm_pack_str(pk, text); return 0;
    }
}

/*  Split text at commas into items (trimmed; an empty text has none).
    Returns the count, at most max. */
static int s_split(const char *text, char (*items)[512], int max)
{
    int n = 0;
    for (const char *p = text; *p && n < max;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        while (len && isspace((unsigned char)*p)) {
            p++;
            len--;
        }
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        snprintf(items[n++], sizeof items[0], "%.*s", (int)len, p);
        if (!c)
            break;
        p = c + 1;
    }
    return n;
}

/*  A map given as KEY=VALUE, once per entry (--answer lead=yes): a map of
    text. Returns 0, or CLI_USAGE after printing the problem. */
static int s_pairs(cli_t *cli, const char *flag, const char *const *texts, int ntexts,
                   msgpack_packer *pk)
{
    for (int i = 0; i < ntexts; i++) {
        const char *eq = strchr(texts[i], '=');
        if (!eq || eq == texts[i])
            return cli_usage_error(cli, _("%s takes KEY=VALUE (once per entry) or a JSON object, "
                                        "got \"%s\""),
                                   flag, texts[i]);
    }
    msgpack_pack_map(pk, (size_t)ntexts);
    for (int i = 0; i < ntexts; i++) {
        const char *eq = strchr(texts[i], '=');
        sm_pack_strn(pk, texts[i], (size_t)(eq - texts[i]));
        sm_pack_str(pk, eq + 1);
    }
    return 0;
}

int cli_parse_pack(cli_t *cli, const sm_arg_t *a, const char *flag, const char *const *texts,
                   int ntexts, msgpack_packer *pk)
{
    if (a->type == SM_T_MAP && !(ntexts == 1 && texts[0][strspn(texts[0], " \t\n")] == '{'))
        return s_pairs(cli, flag, texts, ntexts, pk);
    if (a->type != SM_T_LIST)
        return s_one(cli, a, a->type, flag, texts[0], pk);
    /*  A list: each value given, each split at commas (an empty value is
        an empty list: it clears). */
    sm_type_t it = a->item ? a->item : SM_T_STR;
    static const int max = 256;
    char(*items)[512] = calloc((size_t)max, sizeof *items);
    if (!items)
        return cli_usage_error(cli, _("out of memory"));
    int n = 0;
    for (int i = 0; i < ntexts && n < max; i++) {
        n += s_split(texts[i], items + n, max - n);
    }
    msgpack_pack_array(pk, (size_t)n);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        rc = s_one(cli, a, it, flag, items[i], pk);
    free(items);
    return rc;
}
