/*  services/site/settings.h - samen-site's settings: section "site" of samen.cfg.

        output_dir            builds go here (default var/site/public); a web
                              server serves OUTPUT_DIR/current
        state_dir             the cursors (default var/site/state)
        base_url              the public address, http:// or https:// (default
                              http://localhost:8080/); a "/" is added at the end
        rebuild_ms            at most one rebuild this often while events
                              arrive (default 5000)
        backfill_interval_ms  how often events.read is polled (default 2000)
        request_timeout_ms    one request's wait, tried twice (default 5000)
        keep_builds           older builds kept (default 2)
        title                 the site's name (default: the catalogue's
                              "Residents' participation")
        contact               how to sign up for a session (default none)
        log_level, log_file   as every daemon

    and broker/endpoint, broker/events_out, broker/max_message_bytes to
    reach the broker. Flags override the file (services/site/main.c).
    Every value is checked here; a bad one stops the daemon at start with
    exit status 2 and a message naming the setting.
*/
#ifndef SAMEN_SITE_SETTINGS_H
#define SAMEN_SITE_SETTINGS_H

#include "common/config.h"
#include "common/err.h"
#include <stddef.h>
#include <stdint.h>

#define SITE_PATH_SIZE 1024
#define SITE_URL_SIZE 512
#define SITE_TITLE_MAX 200   /*  characters */
#define SITE_CONTACT_MAX 500 /*  characters */

typedef struct {
    char endpoint[256];
    char events_out[256];
    int64_t max_message_bytes;
    int64_t link_heartbeat_ms; /*  broker/link_heartbeat_ms (common/client.h) */
    char output_dir[SITE_PATH_SIZE];
    char state_dir[SITE_PATH_SIZE];
    char base_url[SITE_URL_SIZE];       /*  ends in "/" */
    char title[SITE_TITLE_MAX * 4 + 1]; /*  "" for the default */
    char contact[SITE_CONTACT_MAX * 4 + 1];
    int64_t rebuild_ms, backfill_interval_ms, request_timeout_ms, keep_builds;
} site_settings_t;

/*  Read and check every setting of cfg into out. Returns 0, or -1 with err
    (invalid_argument, field the setting's path "site/base_url"). */
int site_settings_read(sm_config_t *cfg, site_settings_t *out, sm_err_t *err);

/*  Check a base URL and write it, with a "/" added at the end when it has
    none, into out (size bytes). Accepted: "http://" or "https://", then a
    host and optionally a path, at most 400 characters of printable ASCII
    without spaces, quotes, backslashes, "<" ">" "#" "?" or "`" (the URL is
    written into HTML, XML and iCalendar as it is). Returns 0, or -1 with
    err naming field. */
int site_base_url_check(const char *text, char *out, size_t size, const char *field, sm_err_t *err);

/*  A fingerprint of what changes every page when it changes (base URL,
    title, contact, language): a new one makes the next start rebuild the
    site though no event came. Writes 16 hex digits into out (17 bytes).
    Can't fail. */
void site_settings_fingerprint(const site_settings_t *s, const char *lang, char out[17]);

#endif
