/*  common/op.c - checking a request's arguments against its op's
    declaration, and describing declarations. See op.h. */
#include "common/op.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/money.h"
#include "common/text.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ==== Checked values ===================================================== */

typedef struct {
    bool present;
    int64_t num;               /*  INT, MONEY, BOOL, ID number */
    sm_date_t date;            /*  DATE */
    char *text;                /*  STR, TEXT, ENUM, DATE, ID (canonical) */
    char **items;              /*  LIST */
    uint64_t *ids;             /*  LIST of IDs */
    int64_t *ints;             /*  LIST of SM_T_INT */
    size_t nitems;
    const msgpack_object *obj; /*  the value as sent */
} s_value_t;

struct _sm_args_t {
    const sm_opdecl_t *op;
    size_t n;
    s_value_t v[];
};

void sm_args_destroy(sm_args_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sm_args_t *self = *self_p;
    for (size_t i = 0; i < self->n; i++) {
        s_value_t *v = &self->v[i];
        if (v->text) {
            /*  The value may have been personal data. */
            explicit_bzero(v->text, strlen(v->text));
            free(v->text);
        }
        for (size_t k = 0; v->items && k < v->nitems; k++) {
            explicit_bzero(v->items[k], strlen(v->items[k]));
            free(v->items[k]);
        }
        free(v->items);
        free(v->ids);
        free(v->ints);
    }
    free(self);
    *self_p = NULL;
}

/* ==== Describing ========================================================= */

const char *sm_type_name(sm_type_t type)
{
    switch (type) {
    case SM_T_STR: return "string";
    case SM_T_TEXT: return "text";
    case SM_T_INT: return "integer";
    case SM_T_MONEY: return "money";
    case SM_T_BOOL: return "bool";
    case SM_T_DATE: return "date";
    case SM_T_ID: return "id";
    case SM_T_ENUM: return "enum";
    case SM_T_LIST: return "list";
    case SM_T_MAP: return "map";
    }
    return "?";
}

static int64_t s_str_max(const sm_arg_t *a, sm_type_t type)
{
    if (a->max)
        return a->max;
    return type == SM_T_TEXT ? SM_ARG_TEXT_MAX : SM_ARG_STR_MAX;
}

static int64_t s_list_max(const sm_arg_t *a)
{
    return a->max ? a->max : SM_ARG_LIST_MAX;
}

static int64_t s_item_max(const sm_arg_t *a)
{
    return a->item_max ? a->item_max : SM_ARG_STR_MAX;
}

static sm_type_t s_item_type(const sm_arg_t *a)
{
    return a->item ? a->item : SM_T_STR;
}

/*  The minimum length of a text: declared, else 1 for a required one and
    0 (an empty value clears) for an optional one. */
static int64_t s_str_min(const sm_arg_t *a)
{
    if (a->min)
        return a->min;
    return (a->flags & SM_A_REQUIRED) && !(a->flags & SM_A_EMPTY_OK) ? 1 : 0;
}

/*  Join the values of an enum into buf ("a, b or c"). Returns buf. */
static char *s_values(const char *const *values, char *buf, size_t size)
{
    size_t n = 0, o = 0;
    while (values && values[n])
        n++;
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < size; i++) {
        /*  TRANSLATORS: joins the last two of several values: "a, b or c". */
        const char *sep = i == 0 ? "" : i + 1 == n ? _(" or ") : ", ";
        int w = snprintf(buf + o, size - o, "%s%s", sep, values[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return buf;
}

/*  What one value of type t accepts, for the arg a. Returns buf. */
static char *s_accepts_one(const sm_arg_t *a, sm_type_t t, int64_t min, int64_t max, char *buf,
                           size_t size)
{
    char v[400], m1[48], m2[48];
    switch (t) {
    case SM_T_STR:
    case SM_T_TEXT:
        if (min == max)
            snprintf(buf, size, _("%lld characters"), (long long)max);
        else if (t == SM_T_TEXT)
            snprintf(buf, size, _("%lld to %lld characters (new lines allowed)"), (long long)min,
                     (long long)max);
        else
            snprintf(buf, size, _("%lld to %lld characters on one line"), (long long)min,
                     (long long)max);
        break;
    case SM_T_INT:
        snprintf(buf, size, _("a whole number from %lld to %lld"), (long long)min, (long long)max);
        break;
    case SM_T_MONEY:
        snprintf(buf, size, _("an amount in whole euro cents from %lld to %lld (%s to %s)"),
                 (long long)min, (long long)max, sm_l10n_money(min, m1), sm_l10n_money(max, m2));
        break;
    case SM_T_BOOL:
        snprintf(buf, size, "%s", _("true or false"));
        break;
    case SM_T_DATE:
        snprintf(buf, size, "%s", _("a date like 2020-03-12"));
        break;
    case SM_T_ID:
        snprintf(buf, size, _("an ID like %c12"), a->letter);
        break;
    case SM_T_ENUM:
        snprintf(buf, size, _("one of %s"), s_values(a->values, v, sizeof v));
        break;
    case SM_T_MAP:
        snprintf(buf, size, "%s", _("a map"));
        break;
    case SM_T_LIST:
        snprintf(buf, size, "%s", _("a list"));
        break;
    }
    return buf;
}

char *sm_arg_flag(const sm_arg_t *a, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    if (a->flag) {
        snprintf(buf, size, "%s", a->flag);
        return buf;
    }
    size_t n = strlen(a->name);
    if (a->type == SM_T_MONEY && n > 6 && strcmp(a->name + n - 6, "_cents") == 0)
        n -= 6;
    snprintf(buf, size, "%.*s", (int)n, a->name);
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = '-';
    return buf;
}

char *sm_arg_accepts(const sm_arg_t *a, char *buf, size_t size)
{
    char one[500];
    switch (a->type) {
    case SM_T_STR:
    case SM_T_TEXT:
        return s_accepts_one(a, a->type, s_str_min(a), s_str_max(a, a->type), buf, size);
    case SM_T_INT:
        return s_accepts_one(a, a->type, a->min, a->max, buf, size);
    case SM_T_MONEY:
        return s_accepts_one(a, a->type, a->min, a->max ? a->max : SM_MONEY_MAX, buf, size);
    case SM_T_LIST: {
        sm_type_t t = s_item_type(a);
        if (t == SM_T_INT)
            s_accepts_one(a, t, a->item_min, a->item_max, one, sizeof one);
        else
            s_accepts_one(a, t, 1, s_item_max(a), one, sizeof one);
        snprintf(buf, size, _("a list of %lld to %lld items, each %s"), (long long)a->min,
                 (long long)s_list_max(a), one);
        return buf;
    }
    default:
        return s_accepts_one(a, a->type, 0, 0, buf, size);
    }
}

/* ==== Checking =========================================================== */

/*  Refuse a's value: the sentence made of fmt and its arguments (what is
    wrong, naming the field; fmt already translated), then what a accepts.
    Returns -1. */
static int s_refuse(sm_err_t *err, const sm_arg_t *a, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int s_refuse(sm_err_t *err, const sm_arg_t *a, const char *fmt, ...)
{
    char acc[600], what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    /*  TRANSLATORS: a refusal of a field's value, then what the field accepts. */
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, a->name, _("%1$s; give %2$s"), what,
                      sm_arg_accepts(a, acc, sizeof acc));
}

/*  Copy a string object into a new NUL-terminated buffer. NULL when out
    of memory. */
static char *s_dup(const msgpack_object *o)
{
    char *s = malloc(o->via.str.size + 1);
    if (s) {
        if (o->via.str.size)
            memcpy(s, o->via.str.ptr, o->via.str.size);
        s[o->via.str.size] = '\0';
    }
    return s;
}

/*  Check text s (owned) of type t in place: UTF-8, no control characters
    (TEXT keeps LF and tab; CR before LF is dropped), trimmed when one
    line, min..max characters. what names the value in a message ("field
    \"name\"" or "item 3 of field \"labels\""). Returns 0 or -1 with err. */
static int s_check_text(char *s, sm_type_t t, int64_t min, int64_t max, const sm_arg_t *a,
                        const char *what, sm_err_t *err)
{
    size_t len = strlen(s);
    if (!sm_utf8_valid(s, len))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, a->name,
                          _("%s is not valid UTF-8; send text as UTF-8"), what);
    if (t == SM_T_TEXT) {
        size_t o = 0;
        for (size_t i = 0; i < len; i++)
            if (!(s[i] == '\r' && s[i + 1] == '\n'))
                s[o++] = s[i];
        s[o] = '\0';
        len = o;
    } else {
        sm_trim(s);
        len = strlen(s);
    }
    size_t pos = 0, index = 0;
    while (pos < len) {
        uint32_t cp = sm_utf8_next(s, len, &pos);
        index++;
        bool allowed = t == SM_T_TEXT && (cp == '\n' || cp == '\t');
        if (sm_is_control(cp) && !allowed)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, a->name,
                              _("%s contains a control character (U+%04X) at character %zu; %s"),
                              what, (unsigned)cp, index,
                              t == SM_T_TEXT ? _("only new lines and tabs are allowed in it")
                                             : _("give it on one line without control characters"));
    }
    int64_t chars = (int64_t)sm_utf8_len(s, len);
    if (chars > max)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, a->name,
                          _("%s is %lld characters long; give at most %lld characters"), what,
                          (long long)chars, (long long)max);
    if (chars != max && min == max)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, a->name,
                          _("%s is %lld characters long; give exactly %lld characters"), what,
                          (long long)chars, (long long)max);
    if (chars == 0 && min > 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, a->name,
                          _("%s is empty; give %lld to %lld characters"), what, (long long)min,
                          (long long)max);
    if (chars < min)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, a->name,
                          _("%s is %lld characters long; give %lld to %lld characters"), what,
                          (long long)chars, (long long)min, (long long)max);
    return 0;
}

/*  Parse "P12" (letter any case) into its number; 0 when not an ID. */
static uint64_t s_id_number(const char *s, char letter)
{
    if (!s || (s[0] != letter && s[0] != letter + 32) || s[1] < '1' || s[1] > '9' ||
        strlen(s + 1) > 15)
        return 0;
    uint64_t n = 0;
    for (const char *p = s + 1; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        n = n * 10 + (uint64_t)(*p - '0');
    }
    return n;
}

/*  The canonical value of enum a for text, or NULL. */
static const char *s_enum_canon(const sm_arg_t *a, const char *text)
{
    if (a->canon)
        return a->canon(text);
    for (size_t i = 0; a->values && a->values[i]; i++)
        if (strcasecmp(a->values[i], text) == 0)
            return a->values[i];
    return NULL;
}

/*  Check one scalar item of type t (STR, TEXT, ID, ENUM) in o into *text
    (new, canonical) and *num (ID). Returns 0 or -1 with err. */
static int s_check_item(const sm_arg_t *a, sm_type_t t, const msgpack_object *o, int64_t min,
                        int64_t max, const char *what, char **text, uint64_t *num, sm_err_t *err)
{
    char acc[600];
    if (o->type != MSGPACK_OBJECT_STR)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, a->name, _("%s must be text: %s"), what,
                          s_accepts_one(a, t, min, max, acc, sizeof acc));
    char *s = s_dup(o);
    if (!s)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, a->name, _("out of memory"));
    sm_type_t tt = (t == SM_T_TEXT) ? SM_T_TEXT : SM_T_STR;
    int64_t lo = (t == SM_T_STR || t == SM_T_TEXT) ? min : 1;
    int64_t hi = (t == SM_T_STR || t == SM_T_TEXT) ? max : 200;
    if (s_check_text(s, tt, lo, hi, a, what, err) != 0) {
        free(s);
        return -1;
    }
    if (t == SM_T_ID) {
        uint64_t n = s_id_number(s, a->letter);
        if (!n) {
            char shown[48];
            sm_text_excerpt(s, shown, sizeof shown);
            free(s);
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, a->name,
                              _("%s must be an ID like %c12, got \"%s\""), what, a->letter, shown);
        }
        snprintf(s, strlen(s) + 1, "%c%llu", a->letter, (unsigned long long)n);
        *num = n;
    } else if (t == SM_T_ENUM) {
        const char *c = s_enum_canon(a, s);
        if (!c) {
            char shown[48], v[400];
            sm_text_excerpt(s, shown, sizeof shown);
            free(s);
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, a->name,
                              _("%s is \"%s\"; give one of %s"), what, shown,
                              s_values(a->values, v, sizeof v));
        }
        char *cs = strdup(c);
        free(s);
        if (!cs)
            return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, a->name, _("out of memory"));
        s = cs;
    }
    *text = s;
    return 0;
}

/*  Read an integer object into *out. Returns 0, or -1 when o is not an
    integer that fits in int64. */
static int s_integer(const msgpack_object *o, int64_t *out)
{
    if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
        if (o->via.u64 > (uint64_t)INT64_MAX)
            return -1;
        *out = (int64_t)o->via.u64;
        return 0;
    }
    if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
        *out = o->via.i64;
        return 0;
    }
    return -1;
}

/*  Check the array o of whole numbers (a list of SM_T_INT), each in
    item_min..item_max, into v->ints. Returns 0 or -1 with err. */
static int s_check_ints(const sm_arg_t *a, const msgpack_object *o, s_value_t *v, sm_err_t *err)
{
    size_t n = o->via.array.size;
    if (!(v->ints = calloc(n ? n : 1, sizeof *v->ints)))
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, a->name, _("out of memory"));
    for (size_t i = 0; i < n; i++) {
        int64_t x = 0;
        bool whole = s_integer(&o->via.array.ptr[i], &x) == 0;
        if (!whole || x < a->item_min || x > a->item_max) {
            char acc[600];
            if (whole)
                return sm_err_set(err, SM_E_INVALID_ARGUMENT, a->name,
                                  _("item %zu of field \"%s\" is %lld; give %s"), i + 1, a->name,
                                  (long long)x, sm_arg_accepts(a, acc, sizeof acc));
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, a->name,
                              _("item %zu of field \"%s\" is not a whole number; give %s"), i + 1,
                              a->name, sm_arg_accepts(a, acc, sizeof acc));
        }
        v->ints[i] = x;
    }
    v->nitems = n;
    return 0;
}

/*  Check the value o of argument a into v. Returns 0 or -1 with err. */
static int s_check_value(const sm_arg_t *a, const msgpack_object *o, s_value_t *v, sm_err_t *err)
{
    char what[96];
    /*  TRANSLATORS: the subject of a sentence about a field's value ("field
        "name" is empty; ..."). */
    snprintf(what, sizeof what, _("field \"%s\""), a->name);
    v->obj = o;
    switch (a->type) {
    case SM_T_STR:
    case SM_T_TEXT:
    case SM_T_ID:
    case SM_T_ENUM: {
        uint64_t num = 0;
        int64_t min = s_str_min(a), max = s_str_max(a, a->type);
        if (s_check_item(a, a->type, o, min, max, what, &v->text, &num, err) != 0)
            return -1;
        v->num = (int64_t)num;
        return 0;
    }
    case SM_T_INT:
    case SM_T_MONEY: {
        int64_t n, min = a->min, max = a->max;
        if (a->type == SM_T_MONEY && max == 0)
            max = SM_MONEY_MAX;
        if (o->type == MSGPACK_OBJECT_FLOAT32 || o->type == MSGPACK_OBJECT_FLOAT64)
            return s_refuse(err, a,
                            a->type == SM_T_MONEY ? _("field \"%s\" holds a fraction of a cent")
                                                  : _("field \"%s\" is not a whole number"),
                            a->name);
        if (o->type == MSGPACK_OBJECT_STR)
            return s_refuse(err, a, _("field \"%s\" is text, not a whole number"), a->name);
        if (s_integer(o, &n) != 0)
            return s_refuse(err, a,
                            o->type == MSGPACK_OBJECT_POSITIVE_INTEGER
                                ? _("field \"%s\" is too large")
                                : _("field \"%s\" is not a whole number"),
                            a->name);
        if (n < min || n > max) {
            if (a->type == SM_T_MONEY && n < 0)
                return s_refuse(err, a, _("field \"%s\" is %lld, a negative amount"), a->name,
                                (long long)n);
            return s_refuse(err, a, _("field \"%s\" is %lld"), a->name, (long long)n);
        }
        v->num = n;
        return 0;
    }
    case SM_T_BOOL:
        if (o->type != MSGPACK_OBJECT_BOOLEAN)
            return s_refuse(err, a,
                            o->type == MSGPACK_OBJECT_STR
                                ? _("field \"%s\" is text, not true or false")
                                : _("field \"%s\" is not true or false"),
                            a->name);
        v->num = o->via.boolean;
        return 0;
    case SM_T_DATE: {
        if (o->type != MSGPACK_OBJECT_STR || o->via.str.size > 32)
            return s_refuse(err, a, _("field \"%s\" is not a date"), a->name);
        char *s = s_dup(o);
        if (!s)
            return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, a->name, _("out of memory"));
        if (sm_date_parse(s, &v->date, a->name, err) != 0) {
            free(s);
            return -1;
        }
        sm_date_format(v->date, s); /*  canonical; at most as long as what was sent */
        v->text = s;
        return 0;
    }
    case SM_T_MAP:
        if (o->type != MSGPACK_OBJECT_MAP)
            return s_refuse(err, a, _("field \"%s\" is not a map"), a->name);
        return 0;
    case SM_T_LIST: {
        if (o->type != MSGPACK_OBJECT_ARRAY)
            return s_refuse(err, a, _("field \"%s\" is not a list"), a->name);
        size_t n = o->via.array.size;
        if ((int64_t)n < a->min || (int64_t)n > s_list_max(a)) {
            return s_refuse(err, a, _("field \"%s\" has %zu items"), a->name, n);
        }
        sm_type_t t = s_item_type(a);
        if (t == SM_T_INT)
            return s_check_ints(a, o, v, err);
        v->items = calloc(n ? n : 1, sizeof *v->items);
        v->ids = calloc(n ? n : 1, sizeof *v->ids);
        if (!v->items || !v->ids)
            return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, a->name, _("out of memory"));
        for (size_t i = 0; i < n; i++) {
            char iw[96];
            /*  TRANSLATORS: the subject of a sentence about a list item. */
            snprintf(iw, sizeof iw, _("item %zu of field \"%s\""), i + 1, a->name);
            if (s_check_item(a, t, &o->via.array.ptr[i], 1, s_item_max(a), iw, &v->items[i],
                             &v->ids[i], err) != 0)
                return -1;
            v->nitems = i + 1;
        }
        return 0;
    }
    }
    return sm_err_set(err, SM_E_INTERNAL, a->name, _("argument %s has no type (a bug)"), a->name);
}

/*  A list of the op's argument names for "it takes ..." ("none" when it
    takes no arguments). Returns buf. */
static char *s_arg_names(const sm_opdecl_t *op, char *buf, size_t size)
{
    size_t o = 0;
    snprintf(buf, size, "%s", _("none"));
    for (size_t i = 0; op->args && op->args[i].name && o < size; i++) {
        int w = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", op->args[i].name);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return buf;
}

sm_args_t *sm_args_check(const sm_opdecl_t *op, const msgpack_object *args, sm_err_t *err)
{
    size_t n = 0;
    while (op->args && op->args[n].name)
        n++;
    if (args && args->type != MSGPACK_OBJECT_MAP && args->type != MSGPACK_OBJECT_NIL) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "args", _("\"args\" must be a map of arguments"));
        return NULL;
    }
    /*  Every key must be a declared argument, and given once. */
    uint32_t nkeys = args && args->type == MSGPACK_OBJECT_MAP ? args->via.map.size : 0;
    for (uint32_t k = 0; k < nkeys; k++) {
        const msgpack_object *key = &args->via.map.ptr[k].key;
        size_t i = 0;
        if (key->type == MSGPACK_OBJECT_STR)
            while (i < n && !(strlen(op->args[i].name) == key->via.str.size &&
                              memcmp(op->args[i].name, key->via.str.ptr, key->via.str.size) == 0))
                i++;
        if (key->type != MSGPACK_OBJECT_STR || i == n) {
            char shown[48] = "", names[600];
            if (key->type == MSGPACK_OBJECT_STR) {
                char raw[48];
                size_t len = key->via.str.size < sizeof raw - 1 ? key->via.str.size : sizeof raw - 1;
                memcpy(raw, key->via.str.ptr, len);
                raw[len] = '\0';
                sm_text_excerpt(raw, shown, sizeof shown);
            }
            sm_err_set(err, SM_E_INVALID_ARGUMENT, shown[0] ? shown : "args",
                       _("unknown argument \"%s\" for %s; it takes: %s"), shown, op->name,
                       s_arg_names(op, names, sizeof names));
            return NULL;
        }
        for (uint32_t j = 0; j < k; j++) {
            const msgpack_object *other = &args->via.map.ptr[j].key;
            if (other->type == MSGPACK_OBJECT_STR && other->via.str.size == key->via.str.size &&
                memcmp(other->via.str.ptr, key->via.str.ptr, key->via.str.size) == 0) {
                sm_err_set(err, SM_E_INVALID_ARGUMENT, op->args[i].name,
                           _("argument \"%s\" is given twice; give it once"), op->args[i].name);
                return NULL;
            }
        }
    }
    sm_args_t *self = calloc(1, sizeof *self + n * sizeof self->v[0]);
    if (!self) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        return NULL;
    }
    self->op = op;
    self->n = n;
    for (size_t i = 0; i < n; i++) {
        const sm_arg_t *a = &op->args[i];
        const msgpack_object *o = args ? sm_map_get(args, a->name) : NULL;
        if (!o || o->type == MSGPACK_OBJECT_NIL) {
            if (a->flags & SM_A_REQUIRED) {
                char acc[600];
                sm_err_set(err, SM_E_INVALID_ARGUMENT, a->name,
                           _("field \"%s\" is required: %s; give %s"), a->name,
                           a->help ? _(a->help) : a->name, sm_arg_accepts(a, acc, sizeof acc));
                goto fail;
            }
            continue;
        }
        if (s_check_value(a, o, &self->v[i], err) != 0)
            goto fail;
        self->v[i].present = true;
    }
    return self;
fail:
    sm_args_destroy(&self);
    return NULL;
}

/* ==== Reading ============================================================ */

/*  The value of name, checking that the op declares it with a type the
    reader accepts (a bitmask of 1 << type). Panics otherwise: a handler
    reading what its op does not declare is a bug to catch in tests. */
static const s_value_t *s_value(const sm_args_t *self, const char *name, unsigned types)
{
    for (size_t i = 0; i < self->n; i++)
        if (strcmp(self->op->args[i].name, name) == 0) {
            if (!(types & (1u << self->op->args[i].type)))
                break;
            return &self->v[i];
        }
    fprintf(stderr, "PANIC: op %s reads argument \"%s\" that it does not declare with that type "
                    "(a programming error)\n",
            self->op->name, name);
    abort();
}

#define S_BIT(t) (1u << (t))

bool sm_args_has(const sm_args_t *self, const char *name)
{
    return s_value(self, name, ~0u)->present;
}

const char *sm_args_str(const sm_args_t *self, const char *name)
{
    const s_value_t *v = s_value(self, name,
                                 S_BIT(SM_T_STR) | S_BIT(SM_T_TEXT) | S_BIT(SM_T_ENUM) |
                                     S_BIT(SM_T_DATE) | S_BIT(SM_T_ID));
    return v->present ? v->text : NULL;
}

int64_t sm_args_int(const sm_args_t *self, const char *name, int64_t dflt)
{
    const s_value_t *v = s_value(self, name, S_BIT(SM_T_INT) | S_BIT(SM_T_MONEY));
    return v->present ? v->num : dflt;
}

bool sm_args_bool(const sm_args_t *self, const char *name, bool dflt)
{
    const s_value_t *v = s_value(self, name, S_BIT(SM_T_BOOL));
    return v->present ? v->num != 0 : dflt;
}

uint64_t sm_args_id(const sm_args_t *self, const char *name)
{
    const s_value_t *v = s_value(self, name, S_BIT(SM_T_ID));
    return v->present ? (uint64_t)v->num : 0;
}

bool sm_args_date(const sm_args_t *self, const char *name, sm_date_t *out)
{
    const s_value_t *v = s_value(self, name, S_BIT(SM_T_DATE));
    if (v->present)
        *out = v->date;
    return v->present;
}

size_t sm_args_list(const sm_args_t *self, const char *name, const char *const **items)
{
    const s_value_t *v = s_value(self, name, S_BIT(SM_T_LIST));
    *items = (const char *const *)v->items;
    return v->present && v->items ? v->nitems : 0;
}

size_t sm_args_ids(const sm_args_t *self, const char *name, const uint64_t **ids)
{
    const s_value_t *v = s_value(self, name, S_BIT(SM_T_LIST));
    *ids = v->ids;
    return v->present && v->ids ? v->nitems : 0;
}

size_t sm_args_ints(const sm_args_t *self, const char *name, const int64_t **ints)
{
    const s_value_t *v = s_value(self, name, S_BIT(SM_T_LIST));
    *ints = v->ints;
    return v->present && v->ints ? v->nitems : 0;
}

const msgpack_object *sm_args_obj(const sm_args_t *self, const char *name)
{
    const s_value_t *v = s_value(self, name, ~0u);
    return v->present ? v->obj : NULL;
}

void sm_args_each_id(const sm_args_t *self, void (*fn)(const char *id, void *arg), void *arg)
{
    for (size_t i = 0; i < self->n; i++) {
        const sm_arg_t *a = &self->op->args[i];
        const s_value_t *v = &self->v[i];
        if (!v->present)
            continue;
        if (a->type == SM_T_ID)
            fn(v->text, arg);
        else if (a->type == SM_T_LIST && s_item_type(a) == SM_T_ID)
            for (size_t k = 0; k < v->nitems; k++)
                fn(v->items[k], arg);
    }
}

/* ==== Declarations ======================================================= */

const sm_opdecl_t *sm_decl_find(const sm_opdecl_t *ops, const char *name)
{
    for (size_t i = 0; ops && ops[i].name; i++)
        if (strcmp(ops[i].name, name) == 0)
            return &ops[i];
    return NULL;
}

bool sm_decl_allows(const sm_opdecl_t *op, sm_roles_t roles)
{
    return (op->roles & roles) != 0;
}

static void s_pack_roles(msgpack_packer *pk, sm_roles_t roles)
{
    size_t n = 0;
    for (size_t i = 0; sm_roles_all[i]; i++)
        if (roles & sm_roles_all[i])
            n++;
    msgpack_pack_array(pk, n);
    for (size_t i = 0; sm_roles_all[i]; i++)
        if (roles & sm_roles_all[i])
            sm_pack_str(pk, sm_role_name(sm_roles_all[i]));
}

static void s_pack_arg(msgpack_packer *pk, const sm_arg_t *a)
{
    size_t nvalues = 0;
    while (a->values && a->values[nvalues])
        nvalues++;
    int64_t min = a->min, max = a->max;
    if (a->type == SM_T_STR || a->type == SM_T_TEXT) {
        min = s_str_min(a);
        max = s_str_max(a, a->type);
    } else if (a->type == SM_T_MONEY && !max)
        max = SM_MONEY_MAX;
    else if (a->type == SM_T_LIST)
        max = s_list_max(a);
    msgpack_pack_map(pk, 13);
    sm_pack_kv_str(pk, "name", a->name);
    sm_pack_kv_str(pk, "type", sm_type_name(a->type));
    sm_pack_kv_bool(pk, "required", a->flags & SM_A_REQUIRED);
    sm_pack_kv_bool(pk, "positional", a->flags & SM_A_POS);
    sm_pack_kv_bool(pk, "personal", a->flags & SM_A_PERSONAL);
    bool ranged = a->type == SM_T_STR || a->type == SM_T_TEXT || a->type == SM_T_INT ||
                  a->type == SM_T_MONEY || a->type == SM_T_LIST;
    if (ranged) {
        sm_pack_kv_int(pk, "min", min);
        sm_pack_kv_int(pk, "max", max);
    } else {
        sm_pack_kv_nil(pk, "min");
        sm_pack_kv_nil(pk, "max");
    }
    bool ids = a->type == SM_T_ID || (a->type == SM_T_LIST && s_item_type(a) == SM_T_ID);
    if (ids) {
        char l[2] = {a->letter, '\0'};
        sm_pack_kv_str(pk, "letter", l);
    } else
        sm_pack_kv_nil(pk, "letter");
    sm_pack_str(pk, "values");
    if (nvalues) {
        msgpack_pack_array(pk, nvalues);
        for (size_t i = 0; i < nvalues; i++)
            sm_pack_str(pk, a->values[i]);
    } else
        msgpack_pack_nil(pk);
    if (a->type == SM_T_LIST && s_item_type(a) == SM_T_INT) {
        sm_pack_kv_str(pk, "item", sm_type_name(SM_T_INT));
        sm_pack_kv_int(pk, "item_max", a->item_max);
        sm_pack_kv_int(pk, "item_min", a->item_min);
    } else if (a->type == SM_T_LIST) {
        sm_pack_kv_str(pk, "item", sm_type_name(s_item_type(a)));
        sm_pack_kv_int(pk, "item_max", s_item_max(a));
        sm_pack_kv_nil(pk, "item_min");
    } else {
        sm_pack_kv_nil(pk, "item");
        sm_pack_kv_nil(pk, "item_max");
        sm_pack_kv_nil(pk, "item_min");
    }
    sm_pack_kv_str(pk, "help", a->help ? a->help : "");
}

void sm_decl_pack(msgpack_packer *pk, const sm_opdecl_t *op)
{
    size_t n = 0;
    while (op->args && op->args[n].name)
        n++;
    msgpack_pack_map(pk, 8);
    sm_pack_kv_str(pk, "name", op->name);
    sm_pack_kv_str(pk, "kind", (op->flags & SM_OP_WRITE) ? "write" : "read");
    sm_pack_kv_bool(pk, "personal", op->flags & SM_OP_PERSONAL);
    sm_pack_str(pk, "roles");
    s_pack_roles(pk, op->roles);
    sm_pack_str(pk, "personal_roles");
    s_pack_roles(pk, (op->flags & SM_OP_PERSONAL) ? op->personal : 0);
    sm_pack_kv_str(pk, "summary", op->summary ? op->summary : "");
    sm_pack_kv_str(pk, "cli", op->cli);
    sm_pack_str(pk, "args");
    msgpack_pack_array(pk, n);
    for (size_t i = 0; i < n; i++)
        s_pack_arg(pk, &op->args[i]);
}
