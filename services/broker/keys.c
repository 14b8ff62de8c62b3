/*  services/broker/keys.c - the keys the broker trusts. See keys.h. */
#include "services/broker/keys.h"
#include "common/log.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*  How deep the walk goes into subdirectories (czmq's loader has no limit;
    a certificate deeper than this is not trusted by us, which only makes
    us stricter than zauth). */
#define S_MAX_DEPTH 8

struct _sm_keyring_t {
    char dir[320];
    uint64_t signature; /*  of the directory at the last reload */
    bool loaded;
    sm_key_t *keys;     /*  open addressing; an empty slot has public_key[0] == 0 */
    size_t mask;        /*  slots - 1 (a power of two), or 0 with keys NULL */
    size_t count, skipped;
};

/*  A file the walk found: its path, for loading. */
typedef struct {
    char **paths;
    size_t n, cap;
    uint64_t h; /*  FNV-1a over every file's path, size, inode and mtime */
    bool oom;
} s_walk_t;

/*  Feed len bytes into FNV-1a hash h. Can't fail. */
static uint64_t s_fnv(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/*  Walk dir (depth levels deep at most), noting every regular file whose
    name does not end in "_secret" nor start with '.'. Can't fail (a
    directory that cannot be read adds nothing; out of memory sets oom). */
static void s_walk(s_walk_t *w, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *name = de->d_name;
        size_t len = strlen(name);
        if (name[0] == '.')
            continue;
        char path[1024];
        if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
            continue;
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (depth < S_MAX_DEPTH)
                s_walk(w, path, depth + 1);
            continue;
        }
        if (!S_ISREG(st.st_mode) || (len >= 7 && strcmp(name + len - 7, "_secret") == 0))
            continue;
        w->h = s_fnv(w->h, path, strlen(path) + 1);
        int64_t facts[4] = {(int64_t)st.st_size, (int64_t)st.st_ino, (int64_t)st.st_mtim.tv_sec,
                            (int64_t)st.st_mtim.tv_nsec};
        w->h = s_fnv(w->h, facts, sizeof facts);
        if (w->n == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 32;
            char **grown = realloc(w->paths, cap * sizeof *grown);
            if (!grown) {
                w->oom = true;
                continue;
            }
            w->paths = grown;
            w->cap = cap;
        }
        if (!(w->paths[w->n] = strdup(path)))
            w->oom = true;
        else
            w->n++;
    }
    closedir(d);
}

static void s_walk_free(s_walk_t *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->paths[i]);
    free(w->paths);
}

/*  The slot for public_key in keys[0..mask]: where it is, or the empty
    slot where it would go. Can't fail (the table is never full). */
static sm_key_t *s_slot(sm_key_t *keys, size_t mask, const char *public_key)
{
    size_t i = s_fnv(14695981039346656037ULL, public_key, 40) & mask;
    while (keys[i].public_key[0] && memcmp(keys[i].public_key, public_key, 40) != 0)
        i = (i + 1) & mask;
    return &keys[i];
}

void sm_key_set_caller(sm_key_t *key, const char *name, sm_roles_t roles)
{
    sm_buf_t b;
    sm_buf_init(&b);
    int nroles = 0;
    for (int i = 0; sm_roles_all[i]; i++)
        nroles += (roles & sm_roles_all[i]) != 0;
    msgpack_pack_map(&b.pk, 2);
    sm_pack_kv_str(&b.pk, "key", name);
    sm_pack_str(&b.pk, "roles");
    msgpack_pack_array(&b.pk, (size_t)nroles);
    for (int i = 0; sm_roles_all[i]; i++)
        if (roles & sm_roles_all[i])
            sm_pack_str(&b.pk, sm_role_name(sm_roles_all[i]));
    key->caller_len = b.sbuf.size < sizeof key->caller ? b.sbuf.size : 0;
    memcpy(key->caller, b.sbuf.data, key->caller_len);
    sm_buf_free(&b);
}

sm_keyring_t *sm_keyring_new(const char *dir)
{
    sm_keyring_t *self = calloc(1, sizeof *self);
    if (self)
        snprintf(self->dir, sizeof self->dir, "%s", dir);
    return self;
}

void sm_keyring_destroy(sm_keyring_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->keys);
    free(*self_p);
    *self_p = NULL;
}

int sm_keyring_refresh(sm_keyring_t *self, bool *lost)
{
    if (lost)
        *lost = false;
    s_walk_t w = {.h = 14695981039346656037ULL};
    s_walk(&w, self->dir, 0);
    if (w.oom) {
        s_walk_free(&w);
        return -1;
    }
    if (self->loaded && w.h == self->signature) {
        s_walk_free(&w);
        return 0;
    }
    size_t slots = 16;
    while (slots < w.n * 2)
        slots *= 2;
    sm_key_t *keys = calloc(slots, sizeof *keys);
    if (!keys) {
        s_walk_free(&w);
        return -1;
    }
    size_t count = 0, skipped = 0;
    for (size_t i = 0; i < w.n; i++) {
        sm_key_t k;
        sm_err_t err;
        sm_err_clear(&err);
        memset(&k, 0, sizeof k);
        if (sm_cert_read(w.paths[i], false, false, NULL, k.name, &k.roles, k.public_key, NULL,
                         &err) != 0) {
            char q[600];
            sm_warn("certificate not trusted", "reason=%s",
                    sm_log_quote(err.message, q, sizeof q));
            skipped++;
            continue;
        }
        sm_key_t *slot = s_slot(keys, slots - 1, k.public_key);
        if (slot->public_key[0]) {
            char q[300];
            sm_warn("certificate not trusted", "reason=duplicate_public_key key=%s path=%s",
                    k.name, sm_log_quote(w.paths[i], q, sizeof q));
            skipped++;
            continue;
        }
        sm_key_set_caller(&k, k.name, k.roles);
        *slot = k;
        count++;
    }
    s_walk_free(&w);
    /*  Lost: a key we trusted is gone, or holds fewer roles now. */
    for (size_t i = 0; self->keys && lost && i <= self->mask; i++) {
        const sm_key_t *old = &self->keys[i];
        if (!old->public_key[0])
            continue;
        const sm_key_t *now = s_slot(keys, slots - 1, old->public_key);
        if (!now->public_key[0] || (old->roles & ~now->roles))
            *lost = true;
    }
    free(self->keys);
    self->keys = keys;
    self->mask = slots - 1;
    self->count = count;
    self->skipped = skipped;
    self->signature = w.h;
    self->loaded = true;
    return 1;
}

const sm_key_t *sm_keyring_find(const sm_keyring_t *self, const char *public_key)
{
    if (!self->keys || !public_key || strlen(public_key) != 40)
        return NULL;
    const sm_key_t *k = s_slot(self->keys, self->mask, public_key);
    return k->public_key[0] ? k : NULL;
}

size_t sm_keyring_count(const sm_keyring_t *self)
{
    return self->count;
}

size_t sm_keyring_skipped(const sm_keyring_t *self)
{
    return self->skipped;
}
