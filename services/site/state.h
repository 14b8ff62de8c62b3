/*  services/site/state.h - what samen-site remembers between runs: one small file.

    STATE_DIR/state, written atomically (a new file, fsync, rename over the
    old one, fsync of the directory), so that after a crash it is either the
    old or the new one, never a mix:

        samen-site state 1
        generation 42
        built_on 2020-06-30
        fingerprint 0f3a5c7e9b1d2f40
        cursor scheduling 120 7d0c...e1
        cursor reporting 57 91ab...07

    generation is the build the web server is to serve (OUTPUT_DIR/build-42);
    built_on the day it was made (Europe/Amsterdam: the agenda shows what is
    still to come, so a new day means a new build); fingerprint the settings
    it was made with (settings.h); and per followed service the last event
    seq that build reflects and the service's store instance (a service
    started on a new or restored store starts its seq again: the site then
    reads that service's log from the start).

    The file is the commit point of a build (services/site/output.h): it
    names a build only after that build is complete on disk. Events after
    a cursor are read again at start; a build is made then only when one of
    them changes what the site shows. So a restart neither misses an event
    nor builds again for one it has already shown.
*/
#ifndef SAMEN_SITE_STATE_H
#define SAMEN_SITE_STATE_H

#include "common/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*  The services whose events the site follows, in this order. */
#define SITE_FOLLOWED 2
extern const char *const site_followed[SITE_FOLLOWED];

#define SITE_INSTANCE_SIZE 64

typedef struct {
    uint64_t seq;                      /*  the last event reflected; 0: none */
    char instance[SITE_INSTANCE_SIZE]; /*  the service's store instance; "" unknown */
} site_cursor_t;

typedef struct {
    uint64_t generation; /*  0: nothing built yet */
    char built_on[11];   /*  "YYYY-MM-DD", "" when nothing built */
    char fingerprint[17];
    site_cursor_t cursors[SITE_FOLLOWED];
} site_state_t;

/*  The file's text for state into buf (size bytes; 1024 always suffices).
    Returns the length, or -1 when it does not fit. */
int site_state_format(const site_state_t *state, char *buf, size_t size);

/*  Parse the file's text into *out. Returns 0, or -1 with err saying which
    line is wrong (*out is then zeroed). */
int site_state_parse(const char *text, site_state_t *out, sm_err_t *err);

/*  Read DIR/state into *out: a missing file is a fresh state (all zero).
    Returns 0, or -1 with err (unreadable, damaged) and *out zeroed. */
int site_state_load(const char *dir, site_state_t *out, sm_err_t *err);

/*  Write state to DIR/state atomically, creating DIR (mode 0700) when
    needed; the file is mode 0600. Returns 0, or -1 with err (the old file
    is then untouched). */
int site_state_save(const char *dir, const site_state_t *state, sm_err_t *err);

/*  Create dir and its missing parents with mode (like mkdir -p).
    Returns 0, or -1 with err naming field. */
int site_mkdirs(const char *dir, unsigned mode, const char *field, sm_err_t *err);

/*  fsync the directory at path (after a rename in it). Returns 0 or -1. */
int site_fsync_dir(const char *path);

#endif
