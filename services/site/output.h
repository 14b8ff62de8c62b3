/*  services/site/output.h - builds on disk, and the swap a reader never sees half of.

        OUTPUT_DIR/build-41/     the previous build (kept: keep_builds)
        OUTPUT_DIR/build-42/     the current build: index.html, themes/, ...
        OUTPUT_DIR/current  ->   build-42   (a relative symbolic link)

    A web server serves OUTPUT_DIR/current. A build is written into a new
    directory, every file mode 0644 and directory 0755 whatever the umask
    (the site is public by definition), and synced to disk (syncfs); then
    the state file names it (services/site/state.h: the commit point);
    then "current" is replaced by a new link in one rename(2). A reader
    follows either the old link or the new one, each to a complete build;
    a file a reader has open stays readable after the swap.

    After a crash, site_output_recover makes the disk agree with the state
    file: a build newer than the state names was not committed and is
    removed; a committed build the link does not point at yet gets the
    link. The build being served is never removed, even when the state
    file was lost: new builds are then numbered after it.
*/
#ifndef SAMEN_SITE_OUTPUT_H
#define SAMEN_SITE_OUTPUT_H

#include "common/err.h"
#include "services/site/build.h"
#include <stdbool.h>
#include <stdint.h>

/*  Make OUTPUT_DIR (dir) agree with committed generation gen (0: none):
    create dir when missing, remove builds newer than gen (but not the one
    "current" points at) and leftovers of an interrupted swap, point
    "current" at build-gen when that exists. *intact is set when build-gen
    exists (false: the next build must be made though nothing changed);
    *highest (may be NULL) gets the highest build number left on disk, so
    that the next build takes a new one. Returns 0, or -1 with err. */
int site_output_recover(const char *dir, uint64_t gen, bool *intact, uint64_t *highest,
                        sm_err_t *err);

/*  Write files into dir/build-gen (removing a leftover of that name
    first) and sync them to disk. Returns 0, or -1 with err (what was
    written is removed again). */
int site_output_write(const char *dir, uint64_t gen, const site_files_t *files, sm_err_t *err);

/*  Point dir/current at build-gen in one rename and sync dir. Returns 0,
    or -1 with err. */
int site_output_swap(const char *dir, uint64_t gen, sm_err_t *err);

/*  Remove the builds older than the keep newest before gen. Failures are
    logged, never fatal. */
void site_output_prune(const char *dir, uint64_t gen, int64_t keep);

#endif
