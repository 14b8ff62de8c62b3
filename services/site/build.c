/*  services/site/build.c - every file of one build. See build.h. */
#include "services/site/build.h"
#include "common/i18n.h"
#include "services/site/feeds.h"
#include "services/site/pages.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int site_files_add(site_files_t *f, const char *path, char *data)
{
    if (!data)
        return -1;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        site_file_t *more = realloc(f->files, cap * sizeof *more);
        if (!more) {
            free(data);
            return -1;
        }
        f->files = more;
        f->cap = cap;
    }
    char *p = strdup(path);
    if (!p) {
        free(data);
        return -1;
    }
    f->files[f->n++] = (site_file_t){p, data, strlen(data)};
    return 0;
}

void site_files_free(site_files_t *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->files[i].path);
        free(f->files[i].data);
    }
    free(f->files);
    memset(f, 0, sizeof *f);
}

const site_file_t *site_files_find(const site_files_t *f, const char *path)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->files[i].path, path) == 0)
            return &f->files[i];
    return NULL;
}

int site_render(const site_data_t *d, const site_render_opts_t *o, site_files_t *out, sm_err_t *err)
{
    char path[64];
    memset(out, 0, sizeof *out);
    if (site_files_add(out, "style.css", strdup(site_stylesheet())) ||
        site_files_add(out, "index.html", site_page_agenda(d, o)) ||
        site_files_add(out, "themes/index.html", site_page_themes(d, o)) ||
        site_files_add(out, "overview/index.html", site_page_overviews(d, o)) ||
        site_files_add(out, "reports.atom", site_atom(d, o)) ||
        site_files_add(out, "agenda.ics", strdup(d->calendar ? d->calendar : "")))
        goto fail;
    for (size_t i = 0; i < d->n_themes; i++) {
        if (!site_theme_shown(d, &d->themes[i]))
            continue;
        snprintf(path, sizeof path, "themes/%s.html", d->themes[i].id);
        if (site_files_add(out, path, site_page_theme(d, o, &d->themes[i])))
            goto fail;
    }
    for (size_t i = 0; i < d->n_reports; i++) {
        snprintf(path, sizeof path, "reports/%s.html", d->reports[i].id);
        if (site_files_add(out, path, site_page_report(d, o, &d->reports[i])))
            goto fail;
    }
    for (size_t i = 0; i < d->n_overviews; i++) {
        snprintf(path, sizeof path, "overview/%d.html", d->overviews[i].year);
        if (site_files_add(out, path, site_page_overview(d, o, &d->overviews[i])))
            goto fail;
    }
    return 0;
fail:
    site_files_free(out);
    return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory rendering the site"));
}
