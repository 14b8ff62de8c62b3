/*  services/site/output.c - builds on disk and the atomic swap. See output.h. */
#include "services/site/output.h"
#include "common/i18n.h"
#include "common/log.h"
#include "services/site/state.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_PATH 4200

/*  nftw's visitor: remove what it is given (children come first). */
static int s_remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

/*  Remove path and everything under it, following no symbolic link.
    Returns 0 or -1. */
static int s_remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(sb.st_mode))
        return unlink(path);
    return nftw(path, s_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*  The generation of a directory entry named "build-N", or 0. */
static uint64_t s_build_gen(const char *name)
{
    if (strncmp(name, "build-", 6) != 0 || name[6] < '1' || name[6] > '9')
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(name + 6, &end, 10);
    return errno || *end ? 0 : (uint64_t)v;
}

/*  The generation "current" points at, or 0. */
static uint64_t s_current(const char *dir)
{
    char path[S_PATH], target[256];
    snprintf(path, sizeof path, "%s/current", dir);
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n <= 0)
        return 0;
    target[n] = '\0';
    return s_build_gen(target);
}

int site_output_swap(const char *dir, uint64_t gen, sm_err_t *err)
{
    char tmp[S_PATH], link[S_PATH], target[64];
    snprintf(tmp, sizeof tmp, "%s/current.tmp", dir);
    snprintf(link, sizeof link, "%s/current", dir);
    snprintf(target, sizeof target, "build-%" PRIu64, gen);
    unlink(tmp);
    if (symlink(target, tmp) != 0 || rename(tmp, link) != 0) {
        int e = errno;
        unlink(tmp);
        return sm_err_set(err, SM_E_UNAVAILABLE, "site/output_dir", _("cannot point %s at %s: %s"),
                          link, target, strerror(e));
    }
    site_fsync_dir(dir);
    return 0;
}

int site_output_recover(const char *dir, uint64_t gen, bool *intact, uint64_t *highest,
                        sm_err_t *err)
{
    char path[S_PATH];
    uint64_t served = s_current(dir), top = 0;
    *intact = false;
    if (site_mkdirs(dir, 0755, "site/output_dir", err) != 0)
        return -1;
    chmod(dir, 0755); //  the web server reads it, whatever the umask
    DIR *d = opendir(dir);
    if (!d)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "site/output_dir", _("cannot read %s: %s"),
                          dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        uint64_t g = s_build_gen(e->d_name);
        //  Newer than the state: not committed; but the served build stays
        //  whatever the state says (a lost state file must not empty the site).
        bool stale = (g > gen && g != served) || strcmp(e->d_name, "current.tmp") == 0;
        if (!stale) {
            top = g > top ? g : top;
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        sm_info("removing an uncommitted build", "path=%s", e->d_name);
        if (s_remove_tree(path) != 0)
            sm_warn("cannot remove an uncommitted build", "path=%s err=%s", e->d_name,
                    strerror(errno));
    }
    closedir(d);
    if (highest)
        *highest = top;
    if (gen == 0)
        return 0;
    struct stat sb;
    snprintf(path, sizeof path, "%s/build-%" PRIu64, dir, gen);
    snprintf(path + strlen(path), sizeof path - strlen(path), "/index.html");
    if (stat(path, &sb) != 0)
        return 0; //  gone (removed by hand?): the next build makes it again
    *intact = true;
    if (s_current(dir) != gen) {
        sm_info("pointing current at the committed build", "generation=%" PRIu64, gen);
        return site_output_swap(dir, gen, err);
    }
    return 0;
}

/*  Write one file at dir/rel (its parent directories made as needed).
    Returns 0, or -1 with err. */
static int s_write_file(const char *dir, const site_file_t *f, sm_err_t *err)
{
    char path[S_PATH];
    if (snprintf(path, sizeof path, "%s/%s", dir, f->path) >= (int)sizeof path)
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("path too long: %s"), f->path);
    char *slash = strrchr(path, '/');
    if (slash && slash > path + strlen(dir)) {
        *slash = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return sm_err_set(err, SM_E_UNAVAILABLE, "site/output_dir", _("cannot create %s: %s"),
                              path, strerror(errno));
        chmod(path, 0755);
        *slash = '/';
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return sm_err_set(err, SM_E_UNAVAILABLE, "site/output_dir", _("cannot write %s: %s"), path,
                          strerror(errno));
    bool ok = fchmod(fd, 0644) == 0;
    for (size_t off = 0; ok && off < f->len;) {
        ssize_t n = write(fd, f->data + off, f->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        off += ok ? (size_t)n : 0;
    }
    int e = errno;
    ok = close(fd) == 0 && ok;
    return ok ? 0
              : sm_err_set(err, SM_E_UNAVAILABLE, "site/output_dir", _("cannot write %s: %s"), path,
                           strerror(e));
}

int site_output_write(const char *dir, uint64_t gen, const site_files_t *files, sm_err_t *err)
{
    char build[S_PATH];
    snprintf(build, sizeof build, "%s/build-%" PRIu64, dir, gen);
    s_remove_tree(build);
    if (mkdir(build, 0755) != 0)
        return sm_err_set(err, SM_E_UNAVAILABLE, "site/output_dir", _("cannot create %s: %s"),
                          build, strerror(errno));
    chmod(build, 0755);
    for (size_t i = 0; i < files->n; i++)
        if (s_write_file(build, &files->files[i], err) != 0)
            goto fail;
    //  Every file on disk before anything names this build.
    int fd = open(build, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool synced = fd >= 0 && syncfs(fd) == 0;
    if (fd >= 0)
        close(fd);
    if (!synced) {
        sm_err_set(err, SM_E_UNAVAILABLE, "site/output_dir", _("cannot sync %s: %s"), build,
                   strerror(errno));
        goto fail;
    }
    site_fsync_dir(dir);
    return 0;
fail:
    s_remove_tree(build);
    return -1;
}

void site_output_prune(const char *dir, uint64_t gen, int64_t keep)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[S_PATH];
    while ((e = readdir(d)) != NULL) {
        uint64_t g = s_build_gen(e->d_name);
        if (!g || g >= gen || gen - g <= (uint64_t)keep)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (s_remove_tree(path) != 0)
            sm_warn("cannot remove an old build", "path=%s err=%s", e->d_name, strerror(errno));
    }
    closedir(d);
}
