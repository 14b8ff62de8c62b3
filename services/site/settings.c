/*  services/site/settings.c - samen-site's settings. See settings.h. */
#include "services/site/settings.h"
#include "common/config_table.h"
#include "common/i18n.h"
#include "common/text.h"
#include <stdio.h>
#include <string.h>

int site_base_url_check(const char *text, char *out, size_t size, const char *field, sm_err_t *err)
{
    static const char s_forbidden[] = " \"'\\<>#?`{}|^";
    size_t len = text ? strlen(text) : 0;
    size_t scheme = strncmp(text ? text : "", "https://", 8) == 0  ? 8
                    : strncmp(text ? text : "", "http://", 7) == 0 ? 7
                                                                   : 0;
    bool ok = scheme && len > scheme && len <= 400 && text[scheme] != '/';
    for (size_t i = 0; ok && i < len; i++)
        ok = text[i] > 0x20 && text[i] < 0x7f && !strchr(s_forbidden, text[i]);
    if (!ok || len + 2 > size)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("setting %s must be the site's address, http:// or https:// and a host "
                            "(and a path), at most 400 characters without spaces, quotes, < > # ? "
                            "or backslashes, e.g. https://www.regio.example/meedoen/"),
                          field);
    snprintf(out, size, "%s%s", text, text[len - 1] == '/' ? "" : "/");
    return 0;
}

/*  Copy the text setting path into buf (size bytes) after checking it is
    UTF-8 of at most max characters without control characters. Returns 0,
    or -1 with err. */
static int s_text(sm_config_t *cfg, const char *path, size_t max, char *buf, size_t size,
                  sm_err_t *err)
{
    const char *v = sm_cfg_str(cfg, path);
    size_t len = strlen(v);
    bool ok = len < size && sm_utf8_valid(v, len) && sm_utf8_len(v, len) <= max;
    for (size_t i = 0; ok && i < len; i++)
        ok = (unsigned char)v[i] >= 0x20 && v[i] != 0x7f;
    if (!ok)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                          _("setting %s must be one line of text of at most %zu characters"), path,
                          max);
    snprintf(buf, size, "%s", v);
    return 0;
}

/*  Copy the path setting at path into buf. Returns 0, or -1 with err. */
static int s_path(sm_config_t *cfg, const char *path, char *buf, size_t size, sm_err_t *err)
{
    const char *v = sm_cfg_str(cfg, path);
    if (!v[0] || strlen(v) >= size - 32) //  room for "/build-N" and the like
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                          _("setting %s must be a directory path of 1 to %zu characters"), path,
                          size - 33);
    snprintf(buf, size, "%s", v);
    return 0;
}

/*  Copy the endpoint setting at path into buf. Returns 0, or -1 with err. */
static int s_endpoint(sm_config_t *cfg, const char *path, char *buf, size_t size, sm_err_t *err)
{
    const char *v = sm_cfg_endpoint(cfg, path, err);
    if (!v)
        return -1;
    if (strlen(v) >= size)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                          _("setting %s is longer than %zu characters"), path, size - 1);
    snprintf(buf, size, "%s", v);
    return 0;
}

int site_settings_read(sm_config_t *cfg, site_settings_t *out, sm_err_t *err)
{
    memset(out, 0, sizeof *out);
    if (sm_config_table_check(cfg, err) ||
        s_endpoint(cfg, "broker/endpoint", out->endpoint, sizeof out->endpoint, err) ||
        s_endpoint(cfg, "broker/events_out", out->events_out, sizeof out->events_out, err) ||
        sm_cfg_int(cfg, "broker/max_message_bytes", &out->max_message_bytes, err) ||
        sm_cfg_int(cfg, "broker/link_heartbeat_ms", &out->link_heartbeat_ms, err) ||
        s_path(cfg, "site/output_dir", out->output_dir, sizeof out->output_dir, err) ||
        s_path(cfg, "site/state_dir", out->state_dir, sizeof out->state_dir, err) ||
        site_base_url_check(sm_cfg_str(cfg, "site/base_url"), out->base_url, sizeof out->base_url,
                            "site/base_url", err) ||
        s_text(cfg, "site/title", SITE_TITLE_MAX, out->title, sizeof out->title, err) ||
        s_text(cfg, "site/contact", SITE_CONTACT_MAX, out->contact, sizeof out->contact, err) ||
        sm_cfg_int(cfg, "site/rebuild_ms", &out->rebuild_ms, err) ||
        sm_cfg_int(cfg, "site/backfill_interval_ms", &out->backfill_interval_ms, err) ||
        sm_cfg_int(cfg, "site/request_timeout_ms", &out->request_timeout_ms, err) ||
        sm_cfg_int(cfg, "site/keep_builds", &out->keep_builds, err))
        return -1;
    if (strcmp(out->output_dir, out->state_dir) == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "site/state_dir",
                          _("setting site/state_dir must not be site/output_dir: the web server "
                            "would serve the cursors"));
    return 0;
}

void site_settings_fingerprint(const site_settings_t *s, const char *lang, char out[17])
{
    //  FNV-1a over the texts with a separator byte between them: not for
    //  security, only to notice a change.
    uint64_t h = 14695981039346656037ULL;
    const char *parts[] = {s->base_url, s->title, s->contact, lang ? lang : ""};
    for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
        for (const unsigned char *c = (const unsigned char *)parts[p]; *c; c++)
            h = (h ^ *c) * 1099511628211ULL;
        h = (h ^ 0xff) * 1099511628211ULL;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}
