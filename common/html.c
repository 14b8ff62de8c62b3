/*  common/html.c - complete HTML documents for people. See html.h. */
#include "html.h"
#include "i18n.h"
#include <string.h>

/*  Screen: a readable column. Print: A4, black on white, the header of a
    table on every page, no row or list item split over two pages, each
    theme from the second on a new page. No script, no external file: a
    document is one self-contained file that prints as it shows. */
static const char s_style[] =
    "<style>\n"
    "body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4;\n"
    "       color: #000; background: #fff; max-width: 60em; margin: 1.5em auto; padding: 0 1em; }\n"
    "h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 1.5em; } h3 { font-size: 11pt; }\n"
    "table { border-collapse: collapse; width: 100%; margin: 1em 0; }\n"
    "th, td { border: 1px solid #888; padding: 0.3em 0.5em; text-align: left;\n"
    "         vertical-align: top; }\n"
    "th { background: #e8e8e8; }\n"
    "td.num, th.num { text-align: right; }\n"
    "thead { display: table-header-group; }\n"
    "tr, li, blockquote { break-inside: avoid; page-break-inside: avoid; }\n"
    "h1, h2, h3 { break-after: avoid; page-break-after: avoid; }\n"
    ".note { font-style: italic; }\n"
    ".legend { font-size: 10pt; }\n"
    "@page { size: A4; margin: 2cm 1.8cm; }\n"
    "@media print {\n"
    "  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }\n"
    "  h2 ~ h2, .theme ~ .theme { break-before: page; page-break-before: always; }\n"
    "  a { color: inherit; text-decoration: none; }\n"
    "}\n"
    "</style>\n";

void sm_html_escape_n(strbuf_t *sb, const char *text, size_t n)
{
    for (size_t i = 0; text && i < n && text[i]; i++) {
        switch (text[i]) {
        case '&':
            strbuf_puts(sb, "&amp;");
            break;
        case '<':
            strbuf_puts(sb, "&lt;");
            break;
        case '>':
            strbuf_puts(sb, "&gt;");
            break;
        case '"':
            strbuf_puts(sb, "&quot;");
            break;
        case '\'':
            strbuf_puts(sb, "&#39;");
            break;
        default:
            strbuf_putc(sb, text[i]);
        }
    }
}

void sm_html_escape(strbuf_t *sb, const char *text)
{
    if (text)
        sm_html_escape_n(sb, text, (size_t)-1);
}

void sm_html_escape_lines(strbuf_t *sb, const char *text, const char *br)
{
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        sm_html_escape_n(sb, p, len);
        if (!nl)
            break;
        strbuf_puts(sb, br);
        p = nl + 1;
    }
}

void sm_html_begin(strbuf_t *sb, const char *title)
{
    strbuf_printf(sb, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
                  sm_i18n_lang());
    strbuf_puts(sb, "<title>");
    sm_html_escape(sb, title);
    strbuf_puts(sb, "</title>\n");
    strbuf_puts(sb, s_style);
    strbuf_puts(sb, "</head>\n<body>\n");
}

void sm_html_end(strbuf_t *sb)
{
    strbuf_puts(sb, "</body>\n</html>\n");
}
