/*  common/store_check.c - the lock, the empty-directory rule and the check
    of data.mdb that common/store.c runs before opening a store. See
    store_check.h. */
#include "store_check.h"
#include "common/i18n.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

/*  LMDB 0.9's on-disk meta page (lmdb/mdb.c: MDB_page, MDB_meta, MDB_db),
    read by offset so that nothing private is compiled in: a 16-byte page
    header (flags at 10, P_META = 0x08), then the meta: magic at 0, format
    version at 4, map size at 16, the free database's record at 24 (its
    first 4 bytes hold the page size), last page used at 120, transaction
    id at 128. */
#define S_PAGE_HEADER 16
#define S_P_META 0x08
#define S_META_MAGIC 0xBEEFC0DEu
#define S_META_VERSION 1u
#define S_META_BYTES 136
/*  How long the child may take to read a store before it counts as stuck
    (a damaged page can make a cursor go round in circles). */
#define S_WALK_SECONDS 600

typedef struct {
    uint32_t psize;
    uint64_t last_pg, txnid;
} s_meta_t;

/* ==== The lock ========================================================== */

int sm_store_lock(const char *dir, const char *service, sm_err_t *err)
{
    char path[600];
    snprintf(path, sizeof path, "%s/samen.lock", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "data_dir",
                          _("cannot create the lock file %s: %s"), path, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        char holder[80] = "";
        ssize_t n = pread(fd, holder, sizeof holder - 1, 0);
        holder[n > 0 ? n : 0] = '\0';
        holder[strcspn(holder, "\n")] = '\0';
        close(fd);
        if (e == EWOULDBLOCK) {
            long pid = strtol(holder, NULL, 10);
            const char *who = strchr(holder, ' ');
            return sm_err_set(err, SM_E_FAILED_PRECONDITION, "data_dir",
                              _("the store in %s is in use by process %ld (samen-%s); one "
                                "process per store: stop that process first, or give this one "
                                "its own data directory"),
                              dir, pid, who ? who + 1 : "?");
        }
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "data_dir", _("cannot lock %s: %s"), path,
                          strerror(e));
    }
    char line[80];
    int len = snprintf(line, sizeof line, "%ld %s\n", (long)getpid(),
                       service && *service ? service : "tool");
    if (ftruncate(fd, 0) != 0 || pwrite(fd, line, (size_t)len, 0) != len) {
        /*  The lock holds without the PID; only the message to a second
            process is poorer. */
    }
    return fd;
}

/* ==== The directory ===================================================== */

int sm_store_check_dir(const char *dir, bool init, bool *fresh, sm_err_t *err)
{
    char data[600];
    struct stat st;
    snprintf(data, sizeof data, "%s/data.mdb", dir);
    *fresh = false;
    if (stat(data, &st) == 0)
        return sm_store_check_file(dir, err);
    if (errno != ENOENT)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "data_dir", _("cannot read %s: %s"), data,
                          strerror(errno));
    DIR *d = opendir(dir);
    if (!d)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "data_dir", _("cannot read %s: %s"), dir,
                          strerror(errno));
    char seen[200] = "";
    size_t o = 0;
    int others = 0;
    bool lmdb_lock = false;
    for (struct dirent *de; (de = readdir(d));) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
            !strcmp(de->d_name, "samen.lock"))
            continue;
        lmdb_lock |= strcmp(de->d_name, "lock.mdb") == 0;
        if (others++ < 4 && o < sizeof seen - 1)
            o += (size_t)snprintf(seen + o, sizeof seen - o, "%s%s", o ? ", " : "", de->d_name);
    }
    closedir(d);
    if (others && !init) {
        if (lmdb_lock)
            return sm_err_set(err, SM_E_FAILED_PRECONDITION, "data_dir",
                              _("the store in %s has lost its data.mdb (lock.mdb is still there); "
                                "it was not replaced by an empty one: restore the latest backup "
                                "into %s and start again"),
                              dir, dir);
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "data_dir",
                          _("%s holds no store (no data.mdb) but is not empty (%s%s); a new store "
                            "is created only in an empty directory: check the data directory, "
                            "restore a backup into it, or start with --init to create a new "
                            "store there anyway"),
                          dir, seen, others > 4 ? ", ..." : "");
    }
    *fresh = true;
    return 0;
}

/* ==== The file ========================================================== */

/*  Parse the meta page at page (avail bytes readable). Returns true when it
    is a meta page of LMDB's format 1. */
static bool s_meta_parse(const uint8_t *page, size_t avail, s_meta_t *m)
{
    uint16_t flags;
    uint32_t magic, version;
    if (avail < S_PAGE_HEADER + S_META_BYTES)
        return false;
    memcpy(&flags, page + 10, 2);
    const uint8_t *mm = page + S_PAGE_HEADER;
    memcpy(&magic, mm, 4);
    memcpy(&version, mm + 4, 4);
    if (!(flags & S_P_META) || magic != S_META_MAGIC || version != S_META_VERSION)
        return false;
    memcpy(&m->psize, mm + 24, 4);
    memcpy(&m->last_pg, mm + 120, 8);
    memcpy(&m->txnid, mm + 128, 8);
    return true;
}

/*  Read every key and value of dbi, checking that keys come in order and
    that the count matches what the database records. Returns 0 or an
    LMDB error code (MDB_CORRUPTED for a disorder or a count mismatch);
    *sum collects the bytes read so that nothing is optimised away. */
static int s_walk_dbi(MDB_txn *txn, MDB_dbi dbi, bool ordered, uint64_t *sum)
{
    MDB_stat ms;
    MDB_cursor *cur;
    MDB_val k, v;
    unsigned flags = 0;
    int rc = mdb_stat(txn, dbi, &ms);
    /*  The free list (0) has no user flags: LMDB refuses to tell them. */
    if (rc || (dbi && (rc = mdb_dbi_flags(txn, dbi, &flags))) ||
        (rc = mdb_cursor_open(txn, dbi, &cur)))
        return rc;
    uint8_t prev[512];
    MDB_val pk = {0, prev};
    size_t count = 0;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (++count > ms.ms_entries || k.mv_size > sizeof prev) {
            rc = MDB_CORRUPTED;
            break;
        }
        for (size_t i = 0; i < k.mv_size; i++)
            *sum += ((const uint8_t *)k.mv_data)[i];
        for (size_t i = 0; i < v.mv_size; i += 64)
            *sum += ((const uint8_t *)v.mv_data)[i];
        if (ordered && !(flags & MDB_DUPSORT) && count > 1 && mdb_cmp(txn, dbi, &pk, &k) >= 0) {
            rc = MDB_CORRUPTED;
            break;
        }
        memcpy(prev, k.mv_data, k.mv_size);
        pk.mv_size = k.mv_size;
    }
    mdb_cursor_close(cur);
    if (rc == MDB_NOTFOUND)
        rc = count == ms.ms_entries ? 0 : MDB_CORRUPTED;
    return rc;
}

/*  In the child: open dir read-only and read everything. Returns 0, or an
    LMDB error code with what into why. */
static int s_walk(const char *dir, char *why, size_t size)
{
    MDB_env *env = NULL;
    MDB_txn *txn = NULL;
    MDB_cursor *cur = NULL;
    MDB_val k, v;
    uint64_t sum = 0;
    int rc;
    if ((rc = mdb_env_create(&env)) || (rc = mdb_env_set_maxdbs(env, 256)) ||
        (rc = mdb_env_open(env, dir, MDB_RDONLY | MDB_NOLOCK, 0)) ||
        (rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn))) {
        snprintf(why, size, "LMDB cannot open it: %s", mdb_strerror(rc));
        goto done;
    }
    /*  The free list (database 0) and the main database (1), which names
        the others. LMDB sets no comparison function for these two in a
        read-only environment, so their order is not checked. */
    if ((rc = s_walk_dbi(txn, 0, false, &sum))) {
        snprintf(why, size, "its free-page list is unreadable: %s", mdb_strerror(rc));
        goto done;
    }
    if ((rc = s_walk_dbi(txn, 1, false, &sum))) {
        snprintf(why, size, "its list of databases is unreadable: %s", mdb_strerror(rc));
        goto done;
    }
    if ((rc = mdb_cursor_open(txn, 1, &cur)))
        goto done;
    for (int r = mdb_cursor_get(cur, &k, &v, MDB_FIRST); r == 0;
         r = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        char name[512];
        MDB_dbi dbi;
        if (k.mv_size == 0 || k.mv_size >= sizeof name)
            continue;
        memcpy(name, k.mv_data, k.mv_size);
        name[k.mv_size] = '\0';
        int orc = mdb_dbi_open(txn, name, 0, &dbi);
        if (orc == MDB_INCOMPATIBLE)
            continue; /*  a plain key, not a database */
        if (orc || (orc = s_walk_dbi(txn, dbi, true, &sum))) {
            rc = orc;
            snprintf(why, size, "its database \"%.60s\" is unreadable: %s", name,
                     mdb_strerror(orc));
            goto done;
        }
    }
done:
    if (cur)
        mdb_cursor_close(cur);
    if (txn)
        mdb_txn_abort(txn);
    if (env)
        mdb_env_close(env);
    /*  The bytes were read for their faults, not their values. */
    volatile uint64_t sink = sum;
    (void)sink;
    return rc;
}

/*  Read the whole store in a child process. Returns 0, or -1 with what
    went wrong in why. */
static int s_walk_in_child(const char *dir, char *why, size_t size)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(why, size, "cannot check it: %s", strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        snprintf(why, size, "cannot check it: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        /*  A damaged page may make LMDB touch memory past the file or
            follow a wild pointer: let such a fault end this child quietly
            (the default action), so that the parent can say so. _exit:
            the parent's exit handlers and buffers are not ours to run. */
        signal(SIGSEGV, SIG_DFL);
        signal(SIGBUS, SIG_DFL);
        signal(SIGALRM, SIG_DFL);
        alarm(S_WALK_SECONDS);
        close(fds[0]);
        char msg[300] = "";
        int rc = s_walk(dir, msg, sizeof msg);
        if (rc && write(fds[1], msg, strlen(msg)) < 0)
            _exit(2);
        _exit(rc ? 1 : 0);
    }
    close(fds[1]);
    char msg[300];
    size_t got = 0;
    for (ssize_t n; got < sizeof msg - 1 && (n = read(fds[0], msg + got, sizeof msg - 1 - got));) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        got += (size_t)n;
    }
    msg[got] = '\0';
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFSIGNALED(status))
        snprintf(why, size,
                 WTERMSIG(status) == SIGALRM ? _("reading it did not finish in time (signal %d)")
                                             : _("reading it faults (signal %d)"),
                 WTERMSIG(status));
    else
        snprintf(why, size, "%s", got ? msg : _("it could not be read"));
    return -1;
}

int sm_store_check_file(const char *dir, sm_err_t *err)
{
    char path[600], why[400];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "data_dir", _("cannot read %s: %s"), path,
                          strerror(e));
    }
    uint8_t head[2 * 65536];
    ssize_t n = pread(fd, head, sizeof head, 0);
    close(fd);
    s_meta_t m0, m1;
    if (st.st_size == 0)
        snprintf(why, sizeof why, "data.mdb is empty (0 bytes)");
    else if (n < 0 || !s_meta_parse(head, (size_t)n, &m0))
        snprintf(why, sizeof why, "data.mdb (%lld bytes) does not begin with an LMDB meta page",
                 (long long)st.st_size);
    else if (m0.psize < 512 || m0.psize > 65536 || (m0.psize & (m0.psize - 1)))
        snprintf(why, sizeof why, "data.mdb records an impossible page size (%u)", m0.psize);
    else if ((uint64_t)n < 2 * (uint64_t)m0.psize ||
             !s_meta_parse(head + m0.psize, (size_t)n - m0.psize, &m1))
        snprintf(why, sizeof why, "data.mdb (%lld bytes) lacks its second meta page",
                 (long long)st.st_size);
    else {
        const s_meta_t *m = m1.txnid > m0.txnid ? &m1 : &m0;
        uint64_t need = (m->last_pg + 1) * (uint64_t)m0.psize;
        if (m->last_pg < 1 || m->last_pg > (UINT64_MAX / 65536) - 1)
            snprintf(why, sizeof why, "data.mdb records an impossible last page (%llu)",
                     (unsigned long long)m->last_pg);
        else if ((uint64_t)st.st_size < need)
            snprintf(why, sizeof why,
                     "data.mdb is %lld bytes but its last committed transaction uses %llu "
                     "(pages 0 to %llu of %u bytes): the file was cut short",
                     (long long)st.st_size, (unsigned long long)need,
                     (unsigned long long)m->last_pg, m0.psize);
        else if (s_walk_in_child(dir, why, sizeof why) == 0)
            return 0;
    }
    return sm_err_set(err, SM_E_FAILED_PRECONDITION, "data_dir",
                      _("the store in %s is damaged: %s. It was not opened and nothing in it was "
                        "changed; restore the latest backup into %s (README: restoring a store) "
                        "and start again"),
                      dir, why, dir);
}

uint64_t sm_store_free_bytes(const char *dir)
{
    struct statvfs vfs;
    if (statvfs(dir, &vfs) != 0)
        return UINT64_MAX;
    return (uint64_t)vfs.f_bavail * vfs.f_frsize;
}
