/*  services/reporting/markdown.c - Markdown to safe HTML with libcmark. See markdown.h. */
#include "markdown.h"
#include <cmark.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/*  Safe is cmark 0.30's default; saying it keeps the promise visible if the
    library is ever swapped for an older one, where it is not the default. */
#define S_CMARK_OPTIONS (CMARK_OPT_DEFAULT | CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8)

char *markdown_to_html(const char *md, size_t len)
{
    if (!md)
        return NULL;
    //  cmark allocates with its default allocator, which is malloc, so the
    //  result is the caller's to free().
    return cmark_markdown_to_html(md, len, S_CMARK_OPTIONS);
}

char *markdown_to_html_document(const char *md, const char *title)
{
    if (!md)
        return NULL;
    char *body = markdown_to_html(md, strlen(md));
    if (!body)
        return NULL;
    strbuf_t *sb = strbuf_new();
    char *html = NULL;
    if (!sb)
        goto cleanup;
    strbuf_puts(sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<title>");
    markdown_put_html_escaped(sb, title ? title : "");
    strbuf_puts(sb, "</title>\n</head>\n<body>\n");
    strbuf_puts(sb, body);
    strbuf_puts(sb, "</body>\n</html>\n");
    html = strbuf_detach(sb);
cleanup:
    strbuf_destroy(&sb);
    free(body);
    return html;
}

static bool s_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void markdown_put_text(strbuf_t *sb, const char *text)
{
    if (!text)
        return;
    const char *p = text;
    while (s_is_space(*p))
        p++;
    bool pending_space = false;
    for (; *p; p++) {
        if (s_is_space(*p)) {
            pending_space = true;
            continue;
        }
        if (pending_space) {
            strbuf_putc(sb, ' ');
            pending_space = false;
        }
        //  The characters that can open emphasis, code, links, raw HTML,
        //  autolinks or an ATX closing sequence in the middle of a line.
        if (strchr("\\`*_[]<>#", *p))
            strbuf_putc(sb, '\\');
        strbuf_putc(sb, *p);
    }
}

void markdown_put_html_escaped(strbuf_t *sb, const char *text)
{
    if (!text)
        return;
    const char *p = text, *run = text;
    for (; *p; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        strbuf_append(sb, run, (size_t)(p - run));
        strbuf_puts(sb, rep);
        run = p + 1;
    }
    strbuf_append(sb, run, (size_t)(p - run));
}
