/*  services/site/state.c - samen-site's state file. See state.h. */
#include "services/site/state.h"
#include "common/i18n.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const site_followed[SITE_FOLLOWED] = {"scheduling", "reporting"};

#define S_MAGIC "samen-site state 1"
/*  The largest state file read: a few lines. */
#define S_FILE_MAX 4096

int site_state_format(const site_state_t *st, char *buf, size_t size)
{
    size_t o = 0;
    int n = snprintf(buf, size, "%s\ngeneration %" PRIu64 "\nbuilt_on %s\nfingerprint %s\n",
                     S_MAGIC, st->generation, st->built_on[0] ? st->built_on : "-",
                     st->fingerprint[0] ? st->fingerprint : "-");
    if (n < 0 || (size_t)n >= size)
        return -1;
    o = (size_t)n;
    for (int i = 0; i < SITE_FOLLOWED; i++) {
        n = snprintf(buf + o, size - o, "cursor %s %" PRIu64 " %s\n", site_followed[i],
                     st->cursors[i].seq,
                     st->cursors[i].instance[0] ? st->cursors[i].instance : "-");
        if (n < 0 || (size_t)n >= size - o)
            return -1;
        o += (size_t)n;
    }
    return (int)o;
}

/*  True when text is "-" or 1..max characters of letters, digits and "-". */
static bool s_token_ok(const char *text, size_t max)
{
    size_t n = strlen(text);
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'z') ||
              (text[i] >= 'A' && text[i] <= 'Z') || text[i] == '-'))
            return false;
    return true;
}

/*  Read an unsigned decimal number that is all of text. Returns 0 or -1. */
static int s_u64(const char *text, uint64_t *out)
{
    char *end;
    if (text[0] < '0' || text[0] > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int site_state_parse(const char *text, site_state_t *out, sm_err_t *err)
{
    memset(out, 0, sizeof *out);
    char line[256];
    int lineno = 0, seen_cursor[SITE_FOLLOWED] = {0};
    bool magic = false;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        if (len >= sizeof line)
            goto bad;
        memcpy(line, p, len);
        line[len] = '\0';
        p = nl ? nl + 1 : p + len;
        char a[64], b[64], c[32], d[SITE_INSTANCE_SIZE + 8], e[8];
        int n = sscanf(line, "%63s %63s %31s %71s %7s", a, b, c, d, e);
        if (lineno == 1) {
            magic = strcmp(line, S_MAGIC) == 0;
            if (!magic)
                goto bad;
        } else if (n == 2 && strcmp(a, "generation") == 0) {
            if (s_u64(b, &out->generation))
                goto bad;
        } else if (n == 2 && strcmp(a, "built_on") == 0) {
            if (strcmp(b, "-") != 0 && (strlen(b) != 10 || !s_token_ok(b, 10)))
                goto bad;
            if (strcmp(b, "-") != 0)
                memcpy(out->built_on, b, 11); //  10 characters and the NUL, checked above
        } else if (n == 2 && strcmp(a, "fingerprint") == 0) {
            if (!s_token_ok(b, 16))
                goto bad;
            if (strcmp(b, "-") != 0)
                memcpy(out->fingerprint, b, strlen(b) + 1); //  at most 16, checked above
        } else if (n == 4 && strcmp(a, "cursor") == 0) {
            int i = 0;
            while (i < SITE_FOLLOWED && strcmp(site_followed[i], b) != 0)
                i++;
            if (i == SITE_FOLLOWED || seen_cursor[i] || s_u64(c, &out->cursors[i].seq) ||
                !s_token_ok(d, SITE_INSTANCE_SIZE - 1))
                goto bad;
            seen_cursor[i] = 1;
            if (strcmp(d, "-") != 0)
                memcpy(out->cursors[i].instance, d, strlen(d) + 1); //  checked above
        } else if (line[0] != '\0')
            goto bad;
    }
    if (magic)
        return 0;
bad:
    memset(out, 0, sizeof *out);
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, "state",
                      _("line %d of the state file is not what samen-site writes"), lineno);
}

int site_mkdirs(const char *dir, unsigned mode, const char *field, sm_err_t *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _("the path %s is too long"), field);
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(path, mode) != 0 && errno != EEXIST)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _("cannot create %s (%s): %s"),
                              path, field, strerror(errno));
        *p = c;
        if (!c)
            break;
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _("%s (%s) is not a directory"), dir,
                          field);
    return 0;
}

int site_fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int site_state_load(const char *dir, site_state_t *out, sm_err_t *err)
{
    char path[4200], text[S_FILE_MAX + 1];
    memset(out, 0, sizeof *out);
    snprintf(path, sizeof path, "%s/state", dir);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "site/state_dir", _("cannot read %s: %s"),
                          path, strerror(errno));
    }
    ssize_t n = read(fd, text, S_FILE_MAX + 1);
    close(fd);
    if (n < 0 || n > S_FILE_MAX || memchr(text, '\0', (size_t)n))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "site/state_dir",
                          _("%s is not a state file samen-site wrote"), path);
    text[n] = '\0';
    if (site_state_parse(text, out, err) != 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "site/state_dir", _("%s is damaged: %s"),
                          path, err ? err->message : "");
    return 0;
}

int site_state_save(const char *dir, const site_state_t *state, sm_err_t *err)
{
    char path[4200], tmp[4200], text[1024];
    int len = site_state_format(state, text, sizeof text);
    if (len < 0)
        return sm_err_set(err, SM_E_INTERNAL, "state", _("the state does not fit its file"));
    if (site_mkdirs(dir, 0700, "site/state_dir", err) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/state", dir);
    snprintf(tmp, sizeof tmp, "%s/state.tmp", dir);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return sm_err_set(err, SM_E_UNAVAILABLE, "site/state_dir", _("cannot write %s: %s"), tmp,
                          strerror(errno));
    bool ok = write(fd, text, (size_t)len) == len && fsync(fd) == 0;
    int saved = errno;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0 || site_fsync_dir(dir) != 0) {
        if (ok)
            saved = errno;
        unlink(tmp);
        return sm_err_set(err, SM_E_UNAVAILABLE, "site/state_dir", _("cannot write %s: %s"), path,
                          strerror(saved));
    }
    return 0;
}
