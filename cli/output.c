/*  cli/output.c - what samenctl prints, made harmless for whoever reads it.

    Values come from outside (a participant's name, a theme's title, a
    service's message) and are printed to a terminal, pasted into a
    spreadsheet or a wiki. So:
      - no control character reaches a terminal raw: ESC, CR, backspace,
        the C1 controls, bidirectional overrides and invalid UTF-8 are
        shown escaped (\x1b, \r, \u202e); documents keep their new lines
        and tabs (and CRLF pairs, which calendars need);
      - a CSV cell that a spreadsheet would run as a formula (starting with
        =, +, -, @, tab or CR) gets a leading ' (the OWASP rule), and cells
        are quoted as RFC 4180 says;
      - Markdown table cells escape |, <, > and &; HTML escapes &, <, >,
        " and ' in everything it did not write itself;
      - JSON escapes every control character as \u00XX.
*/
#include "cli.h"
#include "common/json.h"
#include "common/l10n.h"
#include "common/money.h"
#include "common/text.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ==== Escaping ============================================================= */

/*  Decode one UTF-8 sequence at s (len bytes left). Returns its length
    with *cp set, or 0 when the bytes are not valid UTF-8. */
static size_t s_utf8(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t n;
    uint32_t c, min;
    if ((s[0] & 0xE0) == 0xC0)
        n = 2, c = s[0] & 0x1F, min = 0x80;
    else if ((s[0] & 0xF0) == 0xE0)
        n = 3, c = s[0] & 0x0F, min = 0x800;
    else if ((s[0] & 0xF8) == 0xF0)
        n = 4, c = s[0] & 0x07, min = 0x10000;
    else
        return 0;
    if (len < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/*  The escaped form of the text at s into out (at least 16 bytes): what
    one sequence becomes. Returns the bytes of s consumed. json: controls
    as \u00XX (valid inside a JSON string). */
static size_t s_escape_one(const char *s, size_t len, bool keep_lines, bool json, char *out)
{
    uint32_t cp = 0;
    size_t n = s_utf8((const unsigned char *)s, len, &cp);
    if (n == 0) {
        snprintf(out, 16, json ? "\\ufffd" : "\\x%02x", (unsigned char)s[0]);
        return 1;
    }
    bool line = cp == '\n' || cp == '\t' || (cp == '\r' && len > 1 && s[1] == '\n');
    if (!sm_is_control(cp) || (keep_lines && line)) {
        memcpy(out, s, n);
        out[n] = '\0';
        return n;
    }
    if (json || cp >= 0x80)
        snprintf(out, 16, "\\u%04x", (unsigned)cp);
    else if (cp == '\n')
        snprintf(out, 16, "\\n");
    else if (cp == '\r')
        snprintf(out, 16, "\\r");
    else if (cp == '\t')
        snprintf(out, 16, "\\t");
    else
        snprintf(out, 16, "\\x%02x", (unsigned)cp);
    return n;
}

char *cli_escape(const char *text, size_t len, bool keep_lines, char *buf, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        char one[16];
        i += s_escape_one(text + i, len - i, keep_lines, false, one);
        size_t w = strlen(one);
        if (o + w >= size)
            break;
        memcpy(buf + o, one, w);
        o += w;
    }
    if (size)
        buf[o] = '\0';
    return buf;
}

void cli_put_safe(FILE *f, const char *text, size_t len, bool keep_lines)
{
    for (size_t i = 0; i < len;) {
        char one[16];
        i += s_escape_one(text + i, len - i, keep_lines, false, one);
        fputs(one, f);
    }
}

void cli_print_document(const msgpack_object *t)
{
    if (!t || t->type != MSGPACK_OBJECT_STR)
        return;
    cli_put_safe(stdout, t->via.str.ptr, t->via.str.size, true);
    if (t->via.str.size == 0 || t->via.str.ptr[t->via.str.size - 1] != '\n')
        putchar('\n');
}

/* ==== Values ================================================================ */

void cli_print_json(const msgpack_object *o)
{
    cli_print_json_as(o, true);
}

void cli_print_json_as(const msgpack_object *o, bool pretty)
{
    char *s = sm_msgpack_to_json(o, pretty);
    if (!s)
        return;
    /*  The encoder escapes C0 controls; DEL, the C1 controls and the
        bidirectional overrides it leaves raw: escape them too. */
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        char one[16];
        i += s_escape_one(s + i, len - i, true, true, one);
        fputs(one, stdout);
    }
    putchar('\n');
    free(s);
}

const char *cli_text(const msgpack_object *o, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!o)
        return buf;
    switch (o->type) {
    case MSGPACK_OBJECT_STR:
        cli_escape(o->via.str.ptr, o->via.str.size, false, buf, size);
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
        if (j)
            cli_escape(j, strlen(j), false, buf, size);
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

/* ==== Tables ================================================================= */

/*  Display width of UTF-8 text: code points (good enough for Latin text). */
static size_t s_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/*  True when s is a plain number ("-12", "3.50"): a spreadsheet reads it
    as a number, never as a formula, so it keeps its sign. */
static bool s_number(const char *s)
{
    const char *p = s + (*s == '-');
    size_t d = strspn(p, "0123456789");
    if (!d)
        return false;
    p += d;
    if (*p == '.' && p[1])
        p += 1 + strspn(p + 1, "0123456789");
    return *p == '\0';
}

static void s_csv_cell(const char *s)
{
    /*  OWASP "CSV injection": a cell a spreadsheet would evaluate. */
    bool formula = s[0] && strchr("=+-@\t\r", s[0]) && !s_number(s);
    if (formula || strpbrk(s, ",\"\n\r") || s[0] == ' ') {
        putchar('"');
        if (formula)
            putchar('\'');
        for (; *s; s++) {
            if (*s == '"')
                putchar('"');
            putchar(*s);
        }
        putchar('"');
    } else
        fputs(s, stdout);
}

/*  Text with the characters HTML gives a meaning escaped. */
static void s_html(const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", stdout); break;
        case '<': fputs("&lt;", stdout); break;
        case '>': fputs("&gt;", stdout); break;
        case '"': fputs("&quot;", stdout); break;
        case '\'': fputs("&#39;", stdout); break;
        default: putchar(*s);
        }
}

/*  A Markdown table cell: | would end it; <, > and & would be HTML to
    the many renderers that allow it. */
static void s_md_cell(const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '|': fputs("\\|", stdout); break;
        case '&': fputs("&amp;", stdout); break;
        case '<': fputs("&lt;", stdout); break;
        case '>': fputs("&gt;", stdout); break;
        default: putchar(*s);
        }
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
        cells[c] = strdup(_(cols[c].header));
        width[c] = s_width(cells[c] ? cells[c] : "");
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
    bool html = strcmp(fmt, "html") == 0, md = strcmp(fmt, "md") == 0,
         csv = strcmp(fmt, "csv") == 0;
    if (html)
        fputs("<table>\n", stdout);
    for (uint32_t r = 0; r <= nrows; r++) {
        if (html)
            fputs("<tr>", stdout);
        for (int c = 0; c < ncols; c++) {
            const char *cell = cells[r * (size_t)ncols + (size_t)c];
            cell = cell ? cell : "";
            if (csv) {
                if (c)
                    putchar(',');
                s_csv_cell(cell);
            } else if (md) {
                printf("| ");
                s_md_cell(cell);
                putchar(' ');
            } else if (html) {
                fputs(r == 0 ? "<th>" : cols[c].kind == 'm' ? "<td class=\"money\">" : "<td>",
                      stdout);
                s_html(cell);
                fputs(r == 0 ? "</th>" : "</td>", stdout);
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
        if (md)
            putchar('|');
        if (html)
            fputs("</tr>", stdout);
        putchar('\n');
        if (r == 0 && md) {
            for (int c = 0; c < ncols; c++)
                printf("|%s", cols[c].kind == 'm' ? "---:" : "---");
            printf("|\n");
        }
    }
    if (html)
        fputs("</table>\n", stdout);
    for (size_t i = 0; i < (size_t)(nrows + 1) * (size_t)ncols; i++)
        free(cells[i]);
    free(cells);
    free(width);
}

/*  True when the key (a string object) ends in "_cents": money. */
static bool s_money_key(const msgpack_object *k)
{
    return k->type == MSGPACK_OBJECT_STR && k->via.str.size > 6 &&
           memcmp(k->via.str.ptr + k->via.str.size - 6, "_cents", 6) == 0;
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
        char buf[2048], key[256];
        if (s_money_key(k))
            cli_money(cli, v, buf, sizeof buf);
        else
            cli_text(v, buf, sizeof buf);
        cli_text(k, key, sizeof key);
        printf("%-*s  %s\n", (int)w + 1, key, buf);
    }
}

/*  True when o is a non-empty array of maps. */
static bool s_rows(const msgpack_object *o)
{
    return o->type == MSGPACK_OBJECT_ARRAY && o->via.array.size > 0 &&
           o->via.array.ptr[0].type == MSGPACK_OBJECT_MAP;
}

/*  A table of rows (an array of maps) with a column per key of the first
    row, headed by the key in capitals. */
static void s_auto_table(cli_t *cli, const msgpack_object *rows)
{
    const msgpack_object *first = &rows->via.array.ptr[0];
    cli_col_t cols[24];
    char heads[24][48], keys[24][48];
    int n = 0;
    for (uint32_t i = 0; i < first->via.map.size && n < 24; i++) {
        const msgpack_object *k = &first->via.map.ptr[i].key;
        if (k->type != MSGPACK_OBJECT_STR || k->via.str.size >= sizeof keys[0])
            continue;
        snprintf(keys[n], sizeof keys[n], "%.*s", (int)k->via.str.size, k->via.str.ptr);
        cli_text(k, heads[n], sizeof heads[n]);
        if (s_money_key(k)) /*  the column says money by its values */
            heads[n][strlen(heads[n]) - 6] = '\0';
        for (char *p = heads[n]; *p; p++)
            *p = *p == '_' ? ' ' : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        cols[n] = (cli_col_t){heads[n], keys[n], s_money_key(k) ? 'm' : 't'};
        n++;
    }
    cli_table(cli, cols, n, rows);
}

void cli_print_auto(cli_t *cli, const msgpack_object *data)
{
    if (data->type == MSGPACK_OBJECT_ARRAY && s_rows(data)) {
        s_auto_table(cli, data);
        return;
    }
    if (data->type != MSGPACK_OBJECT_MAP) {
        cli_print_json(data);
        return;
    }
    /*  A document format: the tables only. */
    bool text = !cli->format || strcmp(cli->format, "text") == 0;
    for (uint32_t i = 0; !text && i < data->via.map.size; i++)
        if (s_rows(&data->via.map.ptr[i].val))
            s_auto_table(cli, &data->via.map.ptr[i].val);
    if (!text)
        return;
    /*  The scalar fields first, then each list of maps as a table. */
    sm_buf_t b;
    sm_buf_init(&b);
    uint32_t nscalar = 0;
    for (uint32_t i = 0; i < data->via.map.size; i++)
        nscalar += !s_rows(&data->via.map.ptr[i].val);
    msgpack_pack_map(&b.pk, nscalar);
    for (uint32_t i = 0; i < data->via.map.size; i++)
        if (!s_rows(&data->via.map.ptr[i].val)) {
            sm_pack_obj(&b.pk, &data->via.map.ptr[i].key);
            sm_pack_obj(&b.pk, &data->via.map.ptr[i].val);
        }
    sm_doc_t *doc = nscalar ? sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL) : NULL;
    if (doc)
        cli_fields(cli, sm_doc_root(doc));
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
    for (uint32_t i = 0; i < data->via.map.size; i++)
        if (s_rows(&data->via.map.ptr[i].val)) {
            char key[64];
            if (nscalar || i)
                putchar('\n');
            printf("%s:\n", cli_text(&data->via.map.ptr[i].key, key, sizeof key));
            s_auto_table(cli, &data->via.map.ptr[i].val);
        }
}

void cli_print_next(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *next = sm_map_get(data, "next");
    if ((!cli->format || strcmp(cli->format, "text") == 0) && next &&
        next->type == MSGPACK_OBJECT_STR) {
        char n[64];
        printf(_("more: add --after %s for the next page\n"), cli_text(next, n, sizeof n));
    }
}
