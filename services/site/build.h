/*  services/site/build.h - one build of the site: every file, in memory.

    site_render turns the public view into the files of the site
    (services/site/pages.h, feeds.h), as (path, bytes) pairs relative to
    the build's directory:

        index.html  style.css  agenda.ics  reports.atom
        themes/index.html  themes/T4.html ...
        reports/R9.html ...
        overview/index.html  overview/2019.html ...

    Paths are made from checked IDs and years only (services/site/model.h),
    so nothing from outside can choose where a file goes.
    services/site/output.h writes them to disk.
*/
#ifndef SAMEN_SITE_BUILD_H
#define SAMEN_SITE_BUILD_H

#include "common/err.h"
#include "services/site/layout.h"
#include "services/site/model.h"
#include <stddef.h>

typedef struct {
    char *path; /*  relative: "themes/T4.html" */
    char *data;
    size_t len;
} site_file_t;

typedef struct {
    site_file_t *files;
    size_t n, cap;
} site_files_t;

/*  Add a file; takes data (malloc'd; NULL means out of memory). Returns 0,
    or -1 (data is freed then). */
int site_files_add(site_files_t *files, const char *path, char *data);

/*  Free every file and empty the list. Safe twice. */
void site_files_free(site_files_t *files);

/*  The file at path, or NULL. */
const site_file_t *site_files_find(const site_files_t *files, const char *path);

/*  Render every file of the site from d into *out (emptied first).
    Returns 0, or -1 with err (out of memory) and *out empty. */
int site_render(const site_data_t *d, const site_render_opts_t *o, site_files_t *out,
                sm_err_t *err);

#endif
