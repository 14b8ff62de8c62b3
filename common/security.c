/*  common/security.c - CurveZMQ keys and security settings. See security.h. */
#include "common/security.h"
#include "common/endpoints.h"
#include "common/i18n.h"
#include <czmq.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

bool sm_key_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > SM_KEY_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
            return false;
    }
    return true;
}

bool sm_endpoint_local(const char *ep)
{
    if (!ep)
        return false;
    if (strncmp(ep, "ipc://", 6) == 0 || strncmp(ep, "inproc://", 9) == 0)
        return true;
    if (strncmp(ep, "tcp://", 6) != 0)
        return false;
    /*  tcp://HOST:PORT or tcp://[IPV6]:PORT: the host, without the port. */
    const char *host = ep + 6, *end;
    if (*host == '[') {
        host++;
        end = strchr(host, ']');
        if (!end || end[1] != ':')
            return false;
    } else if (!(end = strrchr(host, ':')))
        return false;
    char name[64];
    if ((size_t)(end - host) >= sizeof name)
        return false;
    memcpy(name, host, (size_t)(end - host));
    name[end - host] = '\0';
    return strcmp(name, "localhost") == 0 || sm_address_loopback(name);
}

int sm_keys_path(const char *dir, const char *sub, const char *name, char *buf, size_t size,
                 sm_err_t *err)
{
    int n = snprintf(buf, size, "%s%s%s%s%s", dir, sub ? "/" : "", sub ? sub : "",
                     name ? "/" : "", name ? name : "");
    if (n < 0 || (size_t)n >= size)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "security/keys_dir",
                          _("the key directory path %s is too long; give a shorter one"), dir);
    return 0;
}

int sm_security_settings(sm_config_t *cfg, sm_security_t *out, sm_err_t *err)
{
    memset(out, 0, sizeof *out);
    const char *mode = sm_config_str(cfg, "security/mode", "curve");
    if (strcmp(mode, "curve") == 0)
        out->mode = SM_SECURITY_CURVE;
    else if (strcmp(mode, "plain") == 0)
        out->mode = SM_SECURITY_PLAIN;
    else
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "security/mode",
                          _("setting security/mode is \"%s\"; give curve (the default: every "
                            "connection encrypted and authenticated) or plain (loopback only)"),
                          mode);
    const char *dir = sm_config_str(cfg, "security/keys_dir", "var/keys");
    if (strlen(dir) >= sizeof out->keys_dir - 40)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "security/keys_dir",
                          _("setting security/keys_dir is longer than %zu characters"),
                          sizeof out->keys_dir - 41);
    snprintf(out->keys_dir, sizeof out->keys_dir, "%s", dir);
    return 0;
}

int sm_cert_read(const char *path, bool secret, bool allow_bare, const char *setting, char *name,
                 sm_roles_t *roles, char *public_key, char *secret_key, sm_err_t *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, setting, _("cannot read key file %1$s: %2$s"),
                          path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, setting, _("key file %s is not a file"),
                          path);
    if (secret && (st.st_mode & 077))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, setting,
                          _("secret key file %1$s is readable by group or others (mode %2$03o); "
                            "run chmod 600 %3$s"),
                          path, (unsigned)(st.st_mode & 0777), path);
    /*  Not zcert_load(path): it would prefer a PATH_secret beside a public
        file; here the file named is the one read. */
    zchunk_t *chunk = zchunk_slurp(path, 65536);
    zconfig_t *root = chunk ? zconfig_chunk_load(chunk) : NULL;
    zchunk_destroy(&chunk);
    const char *pub = root ? zconfig_get(root, "curve/public-key", NULL) : NULL;
    const char *sec = root ? zconfig_get(root, "curve/secret-key", NULL) : NULL;
    int rc = -1;
    if (!pub || strlen(pub) != 40 || (secret && (!sec || strlen(sec) != 40))) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, setting,
                   _("%1$s is not a CurveZMQ %2$s certificate (czmq zcert format); make one with "
                     "samenctl key new"),
                   path, secret ? "secret" : "public");
        goto done;
    }
    uint8_t bin[32];
    if (!zmq_z85_decode(bin, pub) || (secret && !zmq_z85_decode(bin, sec))) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, setting,
                   _("%s holds a key that is not valid Z85 text"), path);
        goto done;
    }
    /*  czmq's zauth copies a certificate's metadata into a fixed buffer
        without a bound check: refuse certificates that would overflow it. */
    size_t meta = 0;
    zconfig_t *section = zconfig_locate(root, "metadata");
    for (zconfig_t *c = section ? zconfig_child(section) : NULL; c; c = zconfig_next(c))
        meta += 5 + strlen(zconfig_name(c)) + (zconfig_value(c) ? strlen(zconfig_value(c)) : 0);
    if (meta > SM_CERT_META_MAX) {
        sm_err_set(
            err, SM_E_INVALID_ARGUMENT, setting,
            _("%1$s carries %2$zu bytes of metadata, more than the %3$d a key may carry; keep "
              "only name, roles and created"),
            path, meta, SM_CERT_META_MAX);
        goto done;
    }
    char nm[SM_KEY_NAME_MAX + 8] = "", rl[256] = "";
    const char *v = zconfig_get(root, "metadata/name", NULL);
    snprintf(nm, sizeof nm, "%s", v ? v : "");
    v = zconfig_get(root, "metadata/roles", NULL);
    snprintf(rl, sizeof rl, "%s", v ? v : "");
    sm_roles_t r = 0;
    if (!allow_bare) {
        char bad[40];
        if (!sm_key_name_valid(nm)) {
            sm_err_set(err, SM_E_INVALID_ARGUMENT, setting,
                       _("%s has no valid name in its metadata (1 to 32 of a-z 0-9 . _ -)"), path);
            goto done;
        }
        if (sm_roles_parse(rl, &r, bad, sizeof bad) != 0) {
            sm_err_set(err, SM_E_INVALID_ARGUMENT, setting,
                       _("%1$s has roles \"%2$s\" in its metadata; \"%3$s\" is not a role"), path,
                       rl, bad);
            goto done;
        }
    }
    if (name)
        snprintf(name, SM_KEY_NAME_MAX + 1, "%.32s", sm_key_name_valid(nm) ? nm : "");
    if (roles)
        *roles = r;
    if (public_key)
        snprintf(public_key, SM_KEY_TEXT, "%s", pub);
    if (secret_key)
        snprintf(secret_key, SM_KEY_TEXT, "%s", secret ? sec : "");
    rc = 0;
done:
    zconfig_destroy(&root);
    return rc;
}

int sm_security_client(sm_config_t *cfg, const char *key_setting, const char *key_path,
                       const char *default_name, sm_security_t *out, sm_err_t *err)
{
    if (sm_security_settings(cfg, out, err) != 0)
        return -1;
    if (out->mode == SM_SECURITY_PLAIN)
        return 0;
    const char *setting = key_setting;
    const char *path = key_path;
    if (!path)
        path = sm_config_str(cfg, key_setting, NULL);
    if (path)
        snprintf(out->key_file, sizeof out->key_file, "%s", path);
    else {
        char file[64];
        snprintf(file, sizeof file, "%s.cert_secret", default_name);
        if (sm_keys_path(out->keys_dir, "secret", file, out->key_file, sizeof out->key_file,
                         err) != 0)
            return -1;
    }
    struct stat st;
    if (stat(out->key_file, &st) != 0 && errno == ENOENT)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, setting,
                          _("no key: %1$s does not exist. Create the local key set with "
                            "`samenctl key init` (make run does it), copy this process's secret "
                            "certificate there, or name it with %2$s; security/mode = plain turns "
                            "CurveZMQ off (loopback only)"),
                          out->key_file, setting);
    char broker_cert[320], key_file[320];
    const char *bc = sm_config_str(cfg, "security/broker_cert", NULL);
    if (bc)
        snprintf(broker_cert, sizeof broker_cert, "%s", bc);
    else if (sm_keys_path(out->keys_dir, NULL, "broker.cert", broker_cert, sizeof broker_cert,
                          err) != 0)
        return -1;
    snprintf(key_file, sizeof key_file, "%s", out->key_file);
    return sm_security_files(key_file, broker_cert, setting, "security/broker_cert", out, err);
}

int sm_security_files(const char *key_file, const char *server_cert, const char *key_setting,
                      const char *server_setting, sm_security_t *out, sm_err_t *err)
{
    out->mode = SM_SECURITY_CURVE;
    if (key_file != out->key_file)
        snprintf(out->key_file, sizeof out->key_file, "%s", key_file);
    if (sm_cert_read(key_file, true, false, key_setting, out->name, &out->roles,
                     out->public_key, out->secret_key, err) != 0)
        return -1;
    return sm_cert_read(server_cert, false, true, server_setting, NULL, NULL, out->server_key,
                        NULL, err);
}

int sm_security_apply(const sm_security_t *sec, void *sock)
{
    if (!sec || sec->mode == SM_SECURITY_PLAIN)
        return 0;
    if (zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, sec->server_key, 41) != 0 ||
        zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, sec->public_key, 41) != 0 ||
        zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, sec->secret_key, 41) != 0)
        return -1;
    return 0;
}
