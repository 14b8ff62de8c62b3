/*  common/keystore.c - the key directory and its audit log. See keystore.h. */
#include "common/keystore.h"
#include "common/i18n.h"
#include <czmq.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ==== Small helpers ===================================================== */

/*  The current UTC time as "2026-11-23T10:01:02Z" (stamp false) or
    "20261123T100102Z" (stamp true). Can't fail. */
static void s_utc(char *buf, size_t size, bool stamp)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, size, stamp ? "%Y%m%dT%H%M%SZ" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*  Copy text into buf keeping only characters safe in an audit line
    (letters, digits, . _ - : ,); others become '?'; "" becomes "-".
    Can't fail. */
static void s_safe(const char *text, char *buf, size_t size)
{
    size_t o = 0;
    for (const char *p = text ? text : ""; *p && o + 1 < size; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-' || c == ':' || c == ',';
        buf[o++] = ok ? c : '?';
    }
    if (o == 0 && size > 1)
        buf[o++] = '-';
    buf[o] = '\0';
}

/*  Create dir and its parts when missing. Returns 0, or -1 with err. */
static int s_mkdirs(const char *dir, sm_err_t *err)
{
    static const struct {
        const char *sub;
        mode_t mode;
    } parts[] = {{NULL, 0755}, {"public", 0755}, {"secret", 0700}, {"revoked", 0755}};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char path[320];
        if (sm_keys_path(dir, parts[i].sub, NULL, path, sizeof path, err) != 0)
            return -1;
        if (mkdir(path, parts[i].mode) != 0 && errno != EEXIST)
            return sm_err_set(err, SM_E_INTERNAL, "security/keys_dir",
                              _("cannot create key directory %1$s: %2$s"), path, strerror(errno));
    }
    return 0;
}

/*  A new certificate with our metadata (roles may be NULL: the broker's),
    of a fresh pair, or of public_key (32 bytes; the secret half is then
    zero and must not be saved). */
static zcert_t *s_cert_new(const char *name, const char *roles, const uint8_t *public_key)
{
    static const uint8_t none[32] = {0};
    zcert_t *cert = public_key ? zcert_new_from(public_key, none) : zcert_new();
    if (!cert)
        return NULL;
    char created[24];
    s_utc(created, sizeof created, false);
    zcert_set_meta(cert, "name", "%s", name);
    if (roles)
        zcert_set_meta(cert, "roles", "%s", roles);
    zcert_set_meta(cert, "created", "%s", created);
    return cert;
}

/*  Save cert's public (secret false) or secret half to path through a
    temporary file in dir, renamed into place. A secret file is created
    mode 0600 (the umask is narrowed while it is written). Returns 0, or
    -1 with err. */
static int s_save(zcert_t *cert, const char *dir, const char *path, bool secret, sm_err_t *err)
{
    char tmp[340];
    snprintf(tmp, sizeof tmp, "%s/.tmp-%d-%s", dir, (int)getpid(), secret ? "secret" : "public");
    mode_t old = umask(secret ? 077 : 022);
    int rc = secret ? zcert_save_secret(cert, tmp) : zcert_save_public(cert, tmp);
    umask(old);
    if (rc == 0)
        rc = chmod(tmp, secret ? 0600 : 0644);
    if (rc == 0)
        rc = rename(tmp, path);
    if (rc != 0) {
        int e = errno;
        unlink(tmp);
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot write %1$s: %2$s"), path,
                          strerror(e));
    }
    return 0;
}

/*  Fill out from the public certificate at path. Returns 0, or -1 when it
    is not one of ours (no valid name). */
static int s_info_load(const char *path, sm_keyinfo_t *out)
{
    memset(out, 0, sizeof *out);
    zchunk_t *chunk = zchunk_slurp(path, 65536);
    zconfig_t *root = chunk ? zconfig_chunk_load(chunk) : NULL;
    zchunk_destroy(&chunk);
    if (!root)
        return -1;
    const char *name = zconfig_get(root, "metadata/name", "");
    const char *pub = zconfig_get(root, "curve/public-key", "");
    int rc = -1;
    if (sm_key_name_valid(name) && strlen(pub) == 40) {
        snprintf(out->name, sizeof out->name, "%s", name);
        snprintf(out->public_key, sizeof out->public_key, "%s", pub);
        snprintf(out->created, sizeof out->created, "%s",
                 zconfig_get(root, "metadata/created", ""));
        sm_roles_parse(zconfig_get(root, "metadata/roles", ""), &out->roles, NULL, 0);
        snprintf(out->path, sizeof out->path, "%s", path);
        rc = 0;
    }
    zconfig_destroy(&root);
    return rc;
}

/*  Mark whether name's secret certificate is in dir. Can't fail. */
static void s_info_secret(const char *dir, sm_keyinfo_t *info)
{
    char file[64], path[320];
    snprintf(file, sizeof file, "%s.cert_secret", info->name);
    info->has_secret = sm_keys_path(dir, "secret", file, path, sizeof path, NULL) == 0 &&
                       access(path, F_OK) == 0;
}

/*  "20261123T100102Z" -> "2026-11-23T10:01:02Z" into out (24 bytes); ""
    when stamp is not of that shape. Can't fail. */
static void s_stamp_iso(const char *stamp, char *out)
{
    out[0] = '\0';
    if (strlen(stamp) >= 16 && stamp[8] == 'T' && stamp[15] == 'Z')
        snprintf(out, 24, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", stamp, stamp + 4, stamp + 6,
                 stamp + 9, stamp + 11, stamp + 13);
}

/*  Who runs this, for the audit log: the Unix user's name. */
static void s_unix_user(char *buf, size_t size)
{
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name)
        s_safe(pw->pw_name, buf, size);
    else
        snprintf(buf, size, "uid%u", (unsigned)getuid());
}

/* ==== Audit log ========================================================= */

int sm_audit_append(const char *dir, const sm_security_t *who, const char *op, const char *key,
                    const char *roles, const char *outcome, sm_err_t *err)
{
    char path[320], ts[24], w[48], wr[200], u[48], o[32], k[48], r[200], out[32];
    if (sm_keys_path(dir, NULL, "audit.log", path, sizeof path, err) != 0)
        return -1;
    s_utc(ts, sizeof ts, false);
    s_safe(who && who->name[0] ? who->name : NULL, w, sizeof w);
    char roles_text[200] = "";
    if (who && who->name[0])
        sm_roles_format(who->roles, roles_text, sizeof roles_text);
    s_safe(roles_text, wr, sizeof wr);
    s_unix_user(u, sizeof u);
    s_safe(op, o, sizeof o);
    s_safe(key, k, sizeof k);
    s_safe(roles, r, sizeof r);
    s_safe(outcome, out, sizeof out);
    char line[800];
    int n = snprintf(line, sizeof line,
                     "ts=%s who=%s who_roles=%s user=%s op=%s key=%s roles=%s outcome=%s\n", ts, w,
                     wr, u, o, k, r, out);
    /*  O_APPEND: each line lands whole at the end, also with two writers. */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, line, (size_t)n) != n) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot append to %1$s: %2$s"), path,
                          strerror(e));
    }
    fsync(fd);
    close(fd);
    return 0;
}

/*  Parse one audit line into e. Returns 0, or -1 when malformed. */
static int s_audit_parse(char *line, sm_audit_entry_t *e)
{
    memset(e, 0, sizeof *e);
    static const struct {
        const char *key;
        size_t off, size;
    } fields[] = {
        {"ts", offsetof(sm_audit_entry_t, ts), sizeof e->ts},
        {"who", offsetof(sm_audit_entry_t, who), sizeof e->who},
        {"who_roles", offsetof(sm_audit_entry_t, who_roles), sizeof e->who_roles},
        {"user", offsetof(sm_audit_entry_t, user), sizeof e->user},
        {"op", offsetof(sm_audit_entry_t, op), sizeof e->op},
        {"key", offsetof(sm_audit_entry_t, key), sizeof e->key},
        {"roles", offsetof(sm_audit_entry_t, roles), sizeof e->roles},
        {"outcome", offsetof(sm_audit_entry_t, outcome), sizeof e->outcome},
    };
    int seen = 0;
    char *save = NULL;
    for (char *tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq)
            return -1;
        *eq = '\0';
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
            if (strcmp(tok, fields[i].key) == 0) {
                if (strlen(eq + 1) >= fields[i].size)
                    return -1;
                snprintf((char *)e + fields[i].off, fields[i].size, "%s", eq + 1);
                seen |= 1 << i;
            }
    }
    /*  ts, op and key are what makes an entry. */
    const int need = 1 << 0 | 1 << 4 | 1 << 5;
    return (seen & need) == need ? 0 : -1;
}

int sm_audit_read(const char *dir, sm_audit_fn *fn, void *arg, sm_err_t *err)
{
    char path[320];
    if (sm_keys_path(dir, NULL, "audit.log", path, sizeof path, err) != 0)
        return -1;
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? 0
                               : sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot read %1$s: %2$s"),
                                            path, strerror(errno));
    /*  A log past 16 MiB is read from its last 16 MiB (a line cut there is
        skipped as malformed). */
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        fseek(f, size > (16L << 20) ? size - (16L << 20) : 0, SEEK_SET);
    }
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        else if (!feof(f)) { /*  longer than any line we write: skip it */
            int c;
            while ((c = fgetc(f)) != EOF && c != '\n')
                ;
            continue;
        }
        sm_audit_entry_t e;
        if (s_audit_parse(line, &e) != 0)
            continue;
        e.n = (uint64_t)++n;
        if (fn(&e, arg))
            break;
    }
    fclose(f);
    return n;
}

/* ==== Keys ============================================================== */

/*  True when a trusted key in dir has public key text pub. Can't fail. */
static bool s_public_trusted(const char *dir, const char *pub)
{
    sm_keyinfo_t *list = NULL;
    size_t n = 0;
    bool found = false;
    if (sm_keystore_list(dir, &list, &n, NULL) == 0)
        for (size_t i = 0; i < n && !found; i++)
            found = !list[i].revoked && strcmp(list[i].public_key, pub) == 0;
    free(list);
    return found;
}

int sm_keystore_new(const char *dir, const char *name, sm_roles_t roles, const char *public_key,
                    const sm_security_t *who, sm_keyinfo_t *out, sm_err_t *err)
{
    if (!sm_key_name_valid(name) || strcmp(name, "broker") == 0 || strcmp(name, "local") == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "name",
                          _("key name \"%s\" is not accepted; give 1 to 32 of a-z 0-9 . _ - "
                            "starting with a letter or digit (not \"broker\" or \"local\"), e.g. "
                            "alice or finance-2"),
                          name ? name : "");
    if (!roles)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "role",
                          _("a key needs at least one role, e.g. --role coordinator"));
    uint8_t given[32];
    if (public_key && (strlen(public_key) != 40 || !zmq_z85_decode(given, public_key)))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "public_key",
                          _("the public key must be 40 characters of Z85 text, as in the "
                            "public-key line of a czmq certificate or from zmq_curve_keypair"));
    if (public_key && s_public_trusted(dir, public_key))
        return sm_err_set(err, SM_E_ALREADY_EXISTS, "public_key",
                          _("that public key is trusted already under another name; one key, "
                            "one name"));
    if (s_mkdirs(dir, err) != 0)
        return -1;
    char file[64], pub[320], sec[320], role_text[200];
    snprintf(file, sizeof file, "%s.cert", name);
    if (sm_keys_path(dir, "public", file, pub, sizeof pub, err) != 0)
        return -1;
    snprintf(file, sizeof file, "%s.cert_secret", name);
    if (sm_keys_path(dir, "secret", file, sec, sizeof sec, err) != 0)
        return -1;
    if (access(pub, F_OK) == 0)
        return sm_err_set(err, SM_E_ALREADY_EXISTS, "name",
                          _("a trusted key named %1$s exists; revoke it first (samenctl key revoke "
                            "%2$s) or choose another name"),
                          name, name);
    sm_roles_format(roles, role_text, sizeof role_text);
    zcert_t *cert = s_cert_new(name, role_text, public_key ? given : NULL);
    if (!cert)
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot make a key pair"));
    /*  The secret half first: a public certificate without its secret
        would be trusted but useless. */
    int rc = public_key ? 0 : s_save(cert, dir, sec, true, err);
    if (rc == 0 && (rc = s_save(cert, dir, pub, false, err)) != 0 && !public_key)
        unlink(sec);
    zcert_destroy(&cert);
    if (rc != 0)
        return -1;
    sm_audit_append(dir, who, "key.new", name, role_text, "ok", NULL);
    sm_keyinfo_t info;
    if (s_info_load(pub, &info) != 0)
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("%s was written but cannot be read back"),
                          pub);
    info.has_secret = !public_key;
    if (out)
        *out = info;
    return 0;
}

int sm_keystore_revoke(const char *dir, const char *name, const sm_security_t *who,
                       sm_keyinfo_t *out, sm_err_t *err)
{
    char file[64], pub[320], sec[320], dest[320], stamp[20];
    if (!sm_key_name_valid(name))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "name",
                          _("key name \"%s\" is not valid; give a name from samenctl key list"),
                          name ? name : "");
    snprintf(file, sizeof file, "%s.cert", name);
    if (sm_keys_path(dir, "public", file, pub, sizeof pub, err) != 0)
        return -1;
    sm_keyinfo_t info;
    if (s_info_load(pub, &info) != 0)
        return sm_err_set(err, SM_E_NOT_FOUND, "name",
                          _("no trusted key named %1$s in %2$s; samenctl key list shows the keys"),
                          name, dir);
    if (s_mkdirs(dir, err) != 0)
        return -1;
    s_utc(stamp, sizeof stamp, true);
    for (int i = 1; i < 100; i++) {
        char f[96];
        if (i == 1)
            snprintf(f, sizeof f, "%s.%s.cert", name, stamp);
        else
            snprintf(f, sizeof f, "%s.%s-%d.cert", name, stamp, i);
        if (sm_keys_path(dir, "revoked", f, dest, sizeof dest, err) != 0)
            return -1;
        if (access(dest, F_OK) != 0)
            break;
    }
    if (rename(pub, dest) != 0)
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot move %1$s to %2$s: %3$s"), pub, dest,
                          strerror(errno));
    snprintf(file, sizeof file, "%s.cert_secret", name);
    if (sm_keys_path(dir, "secret", file, sec, sizeof sec, NULL) == 0)
        unlink(sec); /*  a revoked key is of no use to anyone */
    char role_text[200];
    sm_roles_format(info.roles, role_text, sizeof role_text);
    sm_audit_append(dir, who, "key.revoke", name, role_text, "ok", NULL);
    info.revoked = true;
    s_stamp_iso(stamp, info.revoked_at);
    snprintf(info.path, sizeof info.path, "%s", dest);
    if (out)
        *out = info;
    return 0;
}

/*  Append the keys in dir/sub to *list (revoked: from revoked/). Returns
    0, or -1 when out of memory. */
static int s_scan(const char *dir, const char *sub, bool revoked, sm_keyinfo_t **list, size_t *n,
                  size_t *cap)
{
    char path[320];
    if (sm_keys_path(dir, sub, NULL, path, sizeof path, NULL) != 0)
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".cert") != 0)
            continue;
        char file[640];
        snprintf(file, sizeof file, "%s/%s", path, de->d_name);
        sm_keyinfo_t info;
        if (s_info_load(file, &info) != 0)
            continue;
        info.revoked = revoked;
        if (revoked) {
            /*  NAME.<stamp>[-n].cert: the stamp follows the key's name. */
            const char *stamp = de->d_name + strlen(info.name);
            if (*stamp == '.')
                s_stamp_iso(stamp + 1, info.revoked_at);
        } else
            s_info_secret(dir, &info);
        if (*n == *cap) {
            size_t size = *cap ? *cap * 2 : 16;
            sm_keyinfo_t *grown = realloc(*list, size * sizeof *grown);
            if (!grown) {
                rc = -1;
                break;
            }
            *list = grown;
            *cap = size;
        }
        (*list)[(*n)++] = info;
    }
    closedir(d);
    return rc;
}

/*  Trusted before revoked; by name; revoked ones by time. */
static int s_info_cmp(const void *a, const void *b)
{
    const sm_keyinfo_t *x = a, *y = b;
    if (x->revoked != y->revoked)
        return x->revoked ? 1 : -1;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->revoked_at, y->revoked_at);
}

int sm_keystore_list(const char *dir, sm_keyinfo_t **out, size_t *count, sm_err_t *err)
{
    sm_keyinfo_t *list = NULL;
    size_t n = 0, cap = 0;
    if (s_scan(dir, "public", false, &list, &n, &cap) != 0 ||
        s_scan(dir, "revoked", true, &list, &n, &cap) != 0) {
        free(list);
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    if (n)
        qsort(list, n, sizeof *list, s_info_cmp);
    *out = list;
    *count = n;
    return 0;
}

int sm_keystore_show(const char *dir, const char *name, sm_keyinfo_t *out, sm_err_t *err)
{
    sm_keyinfo_t *list = NULL;
    size_t n = 0;
    if (sm_keystore_list(dir, &list, &n, err) != 0)
        return -1;
    int found = -1;
    /*  The trusted one (sorted first), else the latest revoked one. */
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].name, name) == 0) {
            found = (int)i;
            if (!list[i].revoked)
                break;
        }
    if (found >= 0)
        *out = list[found];
    free(list);
    if (found < 0)
        return sm_err_set(err, SM_E_NOT_FOUND, "name",
                          _("no key named %1$s in %2$s; samenctl key list shows the keys"), name,
                          dir);
    return 0;
}

int sm_keystore_init(const char *dir, const char *const *services, const sm_security_t *who,
                     int *created, sm_err_t *err)
{
    int made = 0;
    if (created)
        *created = 0;
    if (s_mkdirs(dir, err) != 0)
        return -1;
    char pub[320], sec[320];
    if (sm_keys_path(dir, NULL, "broker.cert", pub, sizeof pub, err) != 0 ||
        sm_keys_path(dir, NULL, "broker.cert_secret", sec, sizeof sec, err) != 0)
        return -1;
    if (access(pub, F_OK) != 0 || access(sec, F_OK) != 0) {
        zcert_t *cert = s_cert_new("broker", NULL, NULL);
        if (!cert)
            return sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot make a key pair"));
        int rc = s_save(cert, dir, sec, true, err);
        if (rc == 0)
            rc = s_save(cert, dir, pub, false, err);
        zcert_destroy(&cert);
        if (rc != 0)
            return -1;
        sm_audit_append(dir, who, "key.new", "broker", NULL, "ok", NULL);
        made++;
    }
    for (int i = 0; services && services[i]; i++) {
        char file[64];
        snprintf(file, sizeof file, "%s.cert", services[i]);
        if (sm_keys_path(dir, "public", file, pub, sizeof pub, err) != 0)
            return -1;
        if (access(pub, F_OK) == 0)
            continue;
        if (sm_keystore_new(dir, services[i], sm_role_of_service(services[i]), NULL, who, NULL,
                            err))
            return -1;
        made++;
    }
    if (sm_keys_path(dir, "public", "admin.cert", pub, sizeof pub, err) != 0)
        return -1;
    if (access(pub, F_OK) != 0) {
        if (sm_keystore_new(dir, "admin", SM_ROLE_ADMIN, NULL, who, NULL, err) != 0)
            return -1;
        made++;
    }
    if (created)
        *created = made;
    return 0;
}
