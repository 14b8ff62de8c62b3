/*  services/site/report_html.c - report Markdown to safe HTML for a page. See report_html.h. */
#include "services/site/report_html.h"
#include <cmark.h>
#include <stdlib.h>

/*  Safe is cmark 0.30's default; saying so keeps the promise if an older
    library (where it was not) is ever linked. */
#define S_OPTIONS (CMARK_OPT_DEFAULT | CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8)

/*  The highest level (smallest number) of any heading under doc, 7 when
    there is none. Can't fail. */
static int s_top_level(cmark_node *doc)
{
    int top = 7;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_HEADING &&
            cmark_node_get_heading_level(n) < top)
            top = cmark_node_get_heading_level(n);
    }
    cmark_iter_free(it);
    return top;
}

/*  Renumber the headings (see report_html.h) and collect the images into
    images (an array of at least *n_max; *n counts them; more are left as
    they are, which cannot happen: the caller sizes it by counting). */
static void s_walk(cmark_node *doc, int top, cmark_node **images, size_t n_max, size_t *n)
{
    int prev = 1; //  the page's own <h1>
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (cmark_node_get_type(node) == CMARK_NODE_HEADING) {
            int level = cmark_node_get_heading_level(node) - top + 2;
            if (level > prev + 1)
                level = prev + 1;
            if (level > 6)
                level = 6;
            cmark_node_set_heading_level(node, level);
            prev = level;
        } else if (cmark_node_get_type(node) == CMARK_NODE_IMAGE && *n < n_max)
            images[(*n)++] = node;
    }
    cmark_iter_free(it);
}

/*  The number of image nodes under doc. Can't fail. */
static size_t s_count_images(cmark_node *doc)
{
    size_t n = 0;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        if (ev == CMARK_EVENT_ENTER &&
            cmark_node_get_type(cmark_iter_get_node(it)) == CMARK_NODE_IMAGE)
            n++;
    cmark_iter_free(it);
    return n;
}

/*  True when node lies inside a link (a link in a link is not HTML). */
static int s_in_link(cmark_node *node)
{
    for (cmark_node *p = cmark_node_parent(node); p; p = cmark_node_parent(p))
        if (cmark_node_get_type(p) == CMARK_NODE_LINK)
            return 1;
    return 0;
}

/*  Put a link in image's place: the same URL and title, the alt text
    (image's children) as its text, or the URL when there is none. Inside
    a link the image becomes an emphasis around the alt text instead (the
    link around it already leads somewhere).
    Returns 0, or -1 when out of memory (image is left as it was). */
static int s_image_to_link(cmark_node *image)
{
    int inside = s_in_link(image);
    cmark_node *link = cmark_node_new(inside ? CMARK_NODE_EMPH : CMARK_NODE_LINK);
    const char *url = cmark_node_get_url(image), *title = cmark_node_get_title(image);
    if (!link || (!inside && (!cmark_node_set_url(link, url ? url : "") ||
                              !cmark_node_set_title(link, title ? title : "")))) {
        cmark_node_free(link);
        return -1;
    }
    cmark_node *child;
    while ((child = cmark_node_first_child(image)) != NULL) {
        cmark_node_unlink(child);
        cmark_node_append_child(link, child);
    }
    if (!cmark_node_first_child(link)) {
        cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
        if (!text || !cmark_node_set_literal(text, url && *url ? url : "image") ||
            !cmark_node_append_child(link, text)) {
            cmark_node_free(text);
            cmark_node_free(link);
            return -1;
        }
    }
    if (!cmark_node_insert_before(image, link)) {
        cmark_node_free(link);
        return -1;
    }
    cmark_node_unlink(image);
    cmark_node_free(image);
    return 0;
}

char *site_report_html(const char *md, size_t len)
{
    if (!md)
        return NULL;
    char *html = NULL;
    cmark_node **images = NULL;
    cmark_node *doc = cmark_parse_document(md, len, S_OPTIONS);
    if (!doc)
        return NULL;
    size_t n_images = s_count_images(doc), n = 0;
    images = calloc(n_images ? n_images : 1, sizeof *images);
    if (!images)
        goto cleanup;
    s_walk(doc, s_top_level(doc), images, n_images, &n);
    for (size_t i = 0; i < n; i++)
        if (s_image_to_link(images[i]) != 0)
            goto cleanup;
    //  cmark allocates with malloc: the result is the caller's to free().
    html = cmark_render_html(doc, S_OPTIONS);
cleanup:
    free(images);
    cmark_node_free(doc);
    return html;
}
