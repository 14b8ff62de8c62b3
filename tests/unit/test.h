/*  tests/unit/test.h - the smallest test harness that reads like a spec.

        TEST(registration_beyond_capacity_goes_to_waitlist) {
            ...
            CHECK(x == 3);
            CHECK_STR(name, "Hilversum");
            CHECK_INT(total, 6000000);
        }
        int main(void) { RUN(registration_beyond_capacity_goes_to_waitlist); return DONE(); }

    A binary prints one line per failed check and, last, a line
        suite=<name> passed=N failed=M
    which tests/run adds up. Exit status is 0 only when nothing failed.
*/
#ifndef SAMEN_TEST_H
#define SAMEN_TEST_H

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int t_passed, t_failed, t_cur_failed;
static const char *t_cur;

#define TEST(name) static void name(void)
#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            printf("FAIL %s (%s:%d): %s\n", t_cur, __FILE__, __LINE__, #cond);                \
            t_cur_failed = 1;                                                                  \
        }                                                                                      \
    } while (0)
#define CHECK_INT(a, b)                                                                        \
    do {                                                                                       \
        long long t_a = (long long)(a), t_b = (long long)(b);                                  \
        if (t_a != t_b) {                                                                      \
            printf("FAIL %s (%s:%d): %s == %lld, expected %lld\n", t_cur, __FILE__, __LINE__, \
                   #a, t_a, t_b);                                                              \
            t_cur_failed = 1;                                                                  \
        }                                                                                      \
    } while (0)
#define CHECK_STR(a, b)                                                                        \
    do {                                                                                       \
        const char *t_a = (a), *t_b = (b);                                                     \
        if (!t_a || !t_b || strcmp(t_a, t_b) != 0) {                                           \
            printf("FAIL %s (%s:%d): %s == \"%s\", expected \"%s\"\n", t_cur, __FILE__,       \
                   __LINE__, #a, t_a ? t_a : "(null)", t_b ? t_b : "(null)");                  \
            t_cur_failed = 1;                                                                  \
        }                                                                                      \
    } while (0)
#define RUN(name)                                                                              \
    do {                                                                                       \
        t_cur = #name;                                                                         \
        t_cur_failed = 0;                                                                      \
        name();                                                                                \
        if (t_cur_failed)                                                                      \
            t_failed++;                                                                        \
        else                                                                                   \
            t_passed++;                                                                        \
    } while (0)
/*  Flushed at once: a leak report at exit must not swallow the summary. */
#define DONE()                                                                                 \
    (printf("suite=%s passed=%d failed=%d\n", __FILE__, t_passed, t_failed), fflush(stdout),   \
     t_failed ? 1 : 0)

/*  Remove a test store's directory and the files in it (LMDB's data.mdb
    and lock.mdb, the store's own lock file). Returns 0 or -1. */
static inline int t_remove_store(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];
    while (d && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    if (d)
        closedir(d);
    return rmdir(dir);
}

#endif
