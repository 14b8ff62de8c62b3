/*  common/config.c - samen.cfg through CZMQ zconfig. */
#include "config.h"
#include "common/i18n.h"
#include <czmq.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct _sm_config_t {
    zconfig_t *root;
};

sm_config_t *sm_config_load(const char *path, sm_err_t *err)
{
    sm_config_t *self = calloc(1, sizeof *self);
    if (!self) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, "config", _("out of memory"));
        return NULL;
    }
    if (path) {
        if (access(path, R_OK) != 0) {
            sm_err_set(err, SM_E_INVALID_ARGUMENT, "config", _("cannot read config file %s: %s"),
                       path, strerror(errno));
            free(self);
            return NULL;
        }
        /*  Not zconfig_load(): CZMQ 4.2 leaks its zfile_t when the text
            is not valid ZPL. Reading the chunk ourselves frees it always. */
        zchunk_t *chunk = zchunk_slurp(path, 0);
        self->root = chunk ? zconfig_chunk_load(chunk) : NULL;
        zchunk_destroy(&chunk);
        if (!self->root) {
            sm_err_set(err, SM_E_INVALID_ARGUMENT, "config",
                       _("config file %s is not valid ZPL (rfc.zeromq.org/spec:4): check the "
                         "indentation (4 spaces per level) and the name = value lines"),
                       path);
            free(self);
            return NULL;
        }
    } else
        self->root = zconfig_new("root", NULL);
    return self;
}

void sm_config_destroy(sm_config_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    zconfig_destroy(&(*self_p)->root);
    free(*self_p);
    *self_p = NULL;
}

int sm_config_set(sm_config_t *self, const char *path, const char *value)
{
    zconfig_put(self->root, path, value);
    return 0;
}

const char *sm_config_str(sm_config_t *self, const char *path, const char *dflt)
{
    char *v = zconfig_get(self->root, path, NULL);
    return (v && *v) ? v : dflt;
}

int sm_config_int(sm_config_t *self, const char *path, int64_t dflt, int64_t min, int64_t max,
                  int64_t *out, sm_err_t *err)
{
    const char *v = sm_config_str(self, path, NULL);
    if (!v) {
        *out = dflt;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || end == v || *end != '\0' || n < min || n > max)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                          _("setting %s is \"%s\"; give a whole number from %lld to %lld"), path, v,
                          (long long)min, (long long)max);
    *out = n;
    return 0;
}

int sm_config_endpoint_check(const char *path, const char *v, sm_err_t *err)
{
    if (!v || !(strncmp(v, "tcp://", 6) == 0 || strncmp(v, "ipc://", 6) == 0 ||
                strncmp(v, "inproc://", 9) == 0) ||
        strlen(v) < 8 || strlen(v) > 250)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                          _("setting %s is \"%s\"; give a ZeroMQ endpoint such as "
                            "tcp://127.0.0.1:5555 or ipc:///run/samen/broker"),
                          path, v ? v : "");
    if (strncmp(v, "tcp://", 6) == 0) {
        /*  ZeroMQ takes the port modulo 65536 (":99999" bound 34463):
            check it here. The port follows the last colon. */
        const char *colon = strrchr(v + 6, ':');
        char *end = NULL;
        errno = 0;
        long port = colon ? strtol(colon + 1, &end, 10) : 0;
        if (!colon || colon == v + 6 || !end || end == colon + 1 || *end || errno || port < 1 ||
            port > 65535)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                              _("setting %s is \"%s\"; a tcp:// endpoint needs a host and a port "
                                "from 1 to 65535, such as tcp://127.0.0.1:5555"),
                              path, v);
    }
    return 0;
}

const char *sm_config_endpoint(sm_config_t *self, const char *path, const char *dflt,
                               sm_err_t *err)
{
    const char *v = sm_config_str(self, path, dflt);
    return sm_config_endpoint_check(path, v, err) == 0 ? v : NULL;
}

/*  Copy the leaves under node (whose path is prefix) into dst. */
static void s_merge(zconfig_t *dst, zconfig_t *node, const char *prefix)
{
    for (zconfig_t *c = zconfig_child(node); c; c = zconfig_next(c)) {
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "/" : "", zconfig_name(c));
        if (zconfig_value(c) && *zconfig_value(c))
            zconfig_put(dst, path, zconfig_value(c));
        s_merge(dst, c, path);
    }
}

/*  Visit the children of node (whose path is prefix), depth first. */
static int s_each(zconfig_t *node, const char *prefix, sm_config_visit_fn *fn, void *arg)
{
    for (zconfig_t *c = zconfig_child(node); c; c = zconfig_next(c)) {
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "/" : "", zconfig_name(c));
        const char *v = zconfig_value(c);
        int rc = fn(path, v ? v : "", zconfig_child(c) != NULL, arg);
        if (rc == 0)
            rc = s_each(c, path, fn, arg);
        if (rc)
            return rc;
    }
    return 0;
}

int sm_config_each(sm_config_t *self, sm_config_visit_fn *fn, void *arg)
{
    return s_each(self->root, "", fn, arg);
}

int sm_config_merge(sm_config_t *self, sm_config_t *from)
{
    s_merge(self->root, from->root, "");
    return 0;
}
