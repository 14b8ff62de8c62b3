/*  services/reporting/markdown.c - Markdown to safe HTML with libcmark. See markdown.h. */
#include "markdown.h"
#include "common/html.h"
#include "common/page.h"
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
    sm_html_begin(sb, title);
    strbuf_puts(sb, body);
    sm_html_end(sb);
    html = strbuf_detach(sb);
cleanup:
    strbuf_destroy(&sb);
    free(body);
    return html;
}


void markdown_put_text(strbuf_t *sb, const char *text)
{
    sm_md_text(sb, text);
}

void markdown_put_cell(strbuf_t *sb, const char *text)
{
    //  sm_md_text escapes "|" too: a text can never add a column.
    sm_md_text(sb, text);
}

void markdown_put_html_escaped(strbuf_t *sb, const char *text)
{
    sm_html_escape(sb, text);
}
