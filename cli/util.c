/*  cli/util.c - arguments, requests and output shared by samenctl commands. */
#include "cli.h"
#include "../common/json.h"
#include "../common/l10n.h"
#include "../common/money.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ==== Arguments ========================================================= */

const char *cli_flag(cli_t *cli, const char *name)
{
    for (int i = 0; i < cli->nflags; i++)
        if (strcmp(cli->flag_name[i], name) == 0)
            return cli->flag_value[i] ? cli->flag_value[i] : "";
    return NULL;
}

bool cli_has(cli_t *cli, const char *name)
{
    return cli_flag(cli, name) != NULL;
}

int cli_flag_all(cli_t *cli, const char *name, const char **out, int max)
{
    int n = 0;
    for (int i = 0; i < cli->nflags && n < max; i++)
        if (strcmp(cli->flag_name[i], name) == 0)
            out[n++] = cli->flag_value[i] ? cli->flag_value[i] : "";
    return n;
}

int cli_usage_error(cli_t *cli, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "samenctl: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nsee: samenctl %s%s%s --help\n", cli->noun ? cli->noun : "",
            cli->verb ? " " : "", cli->verb ? cli->verb : "");
    return CLI_USAGE;
}

/* ==== Requests ========================================================== */

int cli_rid(cli_t *cli, char *buf)
{
    //  A script's retry must reuse the ids of the run it repeats; numbering
    //  the writes keeps the ids of one run distinct from each other.
    const char *base = getenv("SAMEN_RID");
    if (!base || !*base) {
        sm_rid_new(buf);
        return 0;
    }
    size_t len = strlen(base);
    if (len > 20 || strspn(base, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789-_.:") != len) {
        fprintf(stderr, "samenctl: SAMEN_RID must be 1 to 20 letters, digits or - _ . :\n");
        return CLI_USAGE;
    }
    cli->writes++;
    snprintf(buf, 32, "%s.%d", base, cli->writes);
    return 0;
}

int cli_request(cli_t *cli, const char *service, const char *op, const sm_buf_t *args,
                bool write, sm_doc_t **reply, const msgpack_object **data)
{
    char rid[32];
    sm_err_t e;
    sm_err_clear(&e);
    *reply = NULL;
    if (write && cli_rid(cli, rid) != 0)
        return CLI_USAGE;
    *reply = sm_client_call(cli->client, service, op, args ? args->sbuf.data : NULL,
                            args ? args->sbuf.size : 0, write ? rid : NULL, cli->timeout_ms,
                            write ? 2 : 1, &e);
    if (!*reply) {
        fprintf(stderr, "samenctl: %s\n", e.message);
        return strcmp(e.code, SM_E_DEADLINE_EXCEEDED) == 0 ? CLI_UNREACHABLE : CLI_REFUSED;
    }
    if (sm_reply_check(*reply, data, &e) != 0) {
        if (cli->json) {
            cli_print_json(sm_doc_root(*reply));
        }
        fprintf(stderr, "samenctl: %s", e.message);
        if (e.field[0])
            fprintf(stderr, " (field: %s)", e.field);
        fprintf(stderr, " [%s]\n", e.code);
        sm_doc_destroy(reply);
        return strcmp(e.code, SM_E_UNAVAILABLE) == 0 ? CLI_UNREACHABLE : CLI_REFUSED;
    }
    return CLI_OK;
}

int cli_run(cli_t *cli, const char *service, const char *op, const sm_buf_t *args, bool write,
            void (*print)(cli_t *cli, const msgpack_object *data))
{
    sm_doc_t *reply = NULL;
    const msgpack_object *data = NULL;
    int rc = cli_request(cli, service, op, args, write, &reply, &data);
    if (rc != CLI_OK)
        return rc;
    static const msgpack_object nil = {.type = MSGPACK_OBJECT_NIL};
    if (!data)
        data = &nil;
    if (cli->json || !print)
        cli_print_json(data);
    else
        print(cli, data);
    sm_doc_destroy(&reply);
    return CLI_OK;
}

int cli_pack_flags(cli_t *cli, sm_buf_t *out, const char *const *specs, const char *const *extra)
{
    int n = 0;
    for (int i = 0; extra && extra[i]; i += 2)
        n++;
    for (int i = 0; specs && specs[i]; i++) {
        char flag[48];
        snprintf(flag, sizeof flag, "%s", specs[i]);
        char *c = strchr(flag, ':');
        if (c)
            *c = '\0';
        if (cli_has(cli, flag))
            n++;
    }
    msgpack_pack_map(&out->pk, (size_t)n);
    for (int i = 0; extra && extra[i]; i += 2)
        sm_pack_kv_str(&out->pk, extra[i], extra[i + 1]);
    for (int i = 0; specs && specs[i]; i++) {
        char flag[48], key[48], type = 's';
        const char *a = specs[i], *b = strchr(a, ':');
        const char *c2 = b ? strchr(b + 1, ':') : NULL;
        snprintf(flag, sizeof flag, "%.*s", (int)(b ? b - a : (long)strlen(a)), a);
        if (b && c2) {
            snprintf(key, sizeof key, "%.*s", (int)(c2 - b - 1), b + 1);
            if (!key[0])
                snprintf(key, sizeof key, "%s", flag);
            type = c2[1];
        } else
            snprintf(key, sizeof key, "%s", flag);
        const char *v = cli_flag(cli, flag);
        if (!v)
            continue;
        sm_pack_str(&out->pk, key);
        if (type == 'b') {
            msgpack_pack_true(&out->pk);
        } else if (type == 'i' || type == 'm') {
            int64_t num = 0;
            sm_err_t e;
            if (type == 'm') {
                if (sm_money_parse(v, false, &num, flag, &e) != 0)
                    return cli_usage_error(cli, "--%s: %s", flag, e.message);
            } else {
                char *end;
                num = strtoll(v, &end, 10);
                if (!*v || *end)
                    return cli_usage_error(cli, "--%s must be a whole number, got \"%s\"", flag, v);
            }
            msgpack_pack_int64(&out->pk, num);
        } else if (type == 'l') {
            const char *vals[64];
            int k = cli_flag_all(cli, flag, vals, 64);
            msgpack_pack_array(&out->pk, (size_t)k);
            for (int j = 0; j < k; j++)
                sm_pack_str(&out->pk, vals[j]);
        } else if (type == 'c') {
            int k = *v ? 1 : 0;
            for (const char *p = v; *p; p++)
                k += *p == ',';
            msgpack_pack_array(&out->pk, (size_t)k);
            const char *p = v;
            for (int j = 0; j < k; j++) {
                const char *q = strchr(p, ',');
                size_t len = q ? (size_t)(q - p) : strlen(p);
                while (len && *p == ' ') {
                    p++;
                    len--;
                }
                while (len && p[len - 1] == ' ')
                    len--;
                sm_pack_strn(&out->pk, p, len);
                p = q ? q + 1 : p + len;
            }
        } else
            sm_pack_str(&out->pk, v);
    }
    return 0;
}

/* ==== Output ============================================================ */

void cli_print_json(const msgpack_object *o)
{
    char *s = sm_msgpack_to_json(o, true);
    printf("%s\n", s);
    free(s);
}

const char *cli_text(const msgpack_object *o, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!o)
        return buf;
    switch (o->type) {
    case MSGPACK_OBJECT_STR:
        snprintf(buf, size, "%.*s", (int)o->via.str.size, o->via.str.ptr);
        break;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        snprintf(buf, size, "%llu", (unsigned long long)o->via.u64);
        break;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        snprintf(buf, size, "%lld", (long long)o->via.i64);
        break;
    case MSGPACK_OBJECT_BOOLEAN:
        snprintf(buf, size, "%s", o->via.boolean ? "yes" : "no");
        break;
    case MSGPACK_OBJECT_ARRAY: {
        size_t off = 0;
        for (uint32_t i = 0; i < o->via.array.size && off + 4 < size; i++) {
            char item[256];
            cli_text(&o->via.array.ptr[i], item, sizeof item);
            off += (size_t)snprintf(buf + off, size - off, "%s%s", i ? ", " : "", item);
        }
        break;
    }
    case MSGPACK_OBJECT_MAP: {
        char *j = sm_msgpack_to_json(o, false);
        snprintf(buf, size, "%s", j);
        free(j);
        break;
    }
    default:
        break;
    }
    return buf;
}

const char *cli_money(cli_t *cli, const msgpack_object *o, char *buf, size_t size)
{
    if (!o || (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER &&
               o->type != MSGPACK_OBJECT_NEGATIVE_INTEGER))
        return cli_text(o, buf, size);
    int64_t c = o->type == MSGPACK_OBJECT_POSITIVE_INTEGER ? (int64_t)o->via.u64 : o->via.i64;
    char m[48];
    snprintf(buf, size, "%s", sm_l10n_money(c, m));
    return buf;
}

/*  Display width of UTF-8 text: code points (good enough for Latin text). */
static size_t s_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void s_csv_cell(const char *s)
{
    if (strpbrk(s, ",\"\n\r")) {
        putchar('"');
        for (; *s; s++) {
            if (*s == '"')
                putchar('"');
            putchar(*s);
        }
        putchar('"');
    } else
        fputs(s, stdout);
}

void cli_table(cli_t *cli, const cli_col_t *cols, int ncols, const msgpack_object *rows)
{
    uint32_t nrows = rows && rows->type == MSGPACK_OBJECT_ARRAY ? rows->via.array.size : 0;
    const char *fmt = cli->format ? cli->format : "text";
    char **cells = calloc((size_t)(nrows + 1) * (size_t)ncols, sizeof *cells);
    size_t *width = calloc((size_t)ncols, sizeof *width);
    if (!cells || !width) {
        free(cells);
        free(width);
        return;
    }
    for (int c = 0; c < ncols; c++) {
        cells[c] = strdup(cols[c].header);
        width[c] = s_width(cols[c].header);
    }
    for (uint32_t r = 0; r < nrows; r++)
        for (int c = 0; c < ncols; c++) {
            char buf[1024];
            const msgpack_object *v = sm_map_get(&rows->via.array.ptr[r], cols[c].key);
            if (cols[c].kind == 'm')
                cli_money(cli, v, buf, sizeof buf);
            else
                cli_text(v, buf, sizeof buf);
            char *cell = strdup(buf);
            cells[(r + 1) * (size_t)ncols + (size_t)c] = cell;
            if (cell && s_width(cell) > width[c])
                width[c] = s_width(cell);
        }
    for (uint32_t r = 0; r <= nrows; r++) {
        for (int c = 0; c < ncols; c++) {
            const char *cell = cells[r * (size_t)ncols + (size_t)c];
            cell = cell ? cell : "";
            if (strcmp(fmt, "csv") == 0) {
                if (c)
                    putchar(',');
                s_csv_cell(cell);
            } else if (strcmp(fmt, "md") == 0) {
                printf("| ");
                for (const char *p = cell; *p; p++) {
                    if (*p == '|')
                        putchar('\\');
                    putchar(*p);
                }
                putchar(' ');
            } else {
                bool right = cols[c].kind == 'm';
                size_t pad = width[c] - s_width(cell);
                if (right)
                    printf("%*s", (int)pad, "");
                fputs(cell, stdout);
                if (!right && c < ncols - 1)
                    printf("%*s", (int)pad, "");
                if (c < ncols - 1)
                    fputs("  ", stdout);
            }
        }
        if (strcmp(fmt, "md") == 0)
            putchar('|');
        putchar('\n');
        if (r == 0 && strcmp(fmt, "md") == 0) {
            for (int c = 0; c < ncols; c++)
                printf("|%s", cols[c].kind == 'm' ? "---:" : "---");
            printf("|\n");
        }
    }
    for (size_t i = 0; i < (size_t)(nrows + 1) * (size_t)ncols; i++)
        free(cells[i]);
    free(cells);
    free(width);
}

void cli_fields(cli_t *cli, const msgpack_object *map)
{
    if (!map || map->type != MSGPACK_OBJECT_MAP) {
        cli_print_json(map);
        return;
    }
    size_t w = 0;
    for (uint32_t i = 0; i < map->via.map.size; i++)
        if (map->via.map.ptr[i].key.via.str.size > w)
            w = map->via.map.ptr[i].key.via.str.size;
    for (uint32_t i = 0; i < map->via.map.size; i++) {
        const msgpack_object *k = &map->via.map.ptr[i].key, *v = &map->via.map.ptr[i].val;
        if (k->type != MSGPACK_OBJECT_STR)
            continue;
        char buf[2048];
        bool money = k->via.str.size > 6 &&
                     memcmp(k->via.str.ptr + k->via.str.size - 6, "_cents", 6) == 0;
        if (money)
            cli_money(cli, v, buf, sizeof buf);
        else
            cli_text(v, buf, sizeof buf);
        printf("%-*.*s  %s\n", (int)w + 1, (int)k->via.str.size, k->via.str.ptr, buf);
    }
}
