/*  tests/unit/site/test_state.c - samen-site's state file and its builds on
    disk: written atomically, read back exactly, damaged files refused,
    the swap and the recovery after a crash. */
#include "services/site/output.h"
#include "services/site/state.h"
#include "tests/unit/test.h"
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/*  A fresh directory under /tmp into buf. */
static void s_tmpdir(char *buf, size_t size)
{
    snprintf(buf, size, "/tmp/samen-test-site-XXXXXX");
    CHECK(mkdtemp(buf) != NULL);
}

static int s_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void s_rmtree(const char *dir)
{
    nftw(dir, s_rm, 16, FTW_DEPTH | FTW_PHYS);
}

static site_state_t s_state(void)
{
    site_state_t st;
    memset(&st, 0, sizeof st);
    st.generation = 42;
    snprintf(st.built_on, sizeof st.built_on, "2020-06-30");
    snprintf(st.fingerprint, sizeof st.fingerprint, "0f3a5c7e9b1d2f40");
    st.cursors[0].seq = 120;
    snprintf(st.cursors[0].instance, sizeof st.cursors[0].instance,
             "7d0c1f2e3a4b5c6d7e8f90a1b2c3d4e1");
    st.cursors[1].seq = 57;
    return st;
}

TEST(the_state_round_trips_through_its_file_text)
{
    site_state_t st = s_state(), back;
    char text[1024];
    CHECK(site_state_format(&st, text, sizeof text) > 0);
    CHECK_STR(text, "samen-site state 1\ngeneration 42\nbuilt_on 2020-06-30\n"
                    "fingerprint 0f3a5c7e9b1d2f40\n"
                    "cursor scheduling 120 7d0c1f2e3a4b5c6d7e8f90a1b2c3d4e1\n"
                    "cursor reporting 57 -\n");
    CHECK_INT(site_state_parse(text, &back, NULL), 0);
    CHECK(memcmp(&st, &back, sizeof st) == 0);
}

TEST(a_damaged_state_file_is_refused_naming_the_line)
{
    site_state_t back;
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(site_state_parse("samen-site state 1\ngeneration 4x\n", &back, &e), -1);
    CHECK(strstr(e.message, "line 2") != NULL);
    CHECK_INT(back.generation, 0);
    CHECK_INT(site_state_parse("not a state file\n", &back, NULL), -1);
    CHECK_INT(site_state_parse("samen-site state 1\ncursor intake 3 -\n", &back, NULL), -1);
    CHECK_INT(site_state_parse("samen-site state 1\ncursor reporting 3 -\ncursor reporting 4 -\n",
                               &back, NULL),
              -1);
    CHECK_INT(site_state_parse("samen-site state 1\nbuilt_on ../../etc\n", &back, NULL), -1);
}

TEST(save_and_load_use_one_private_file_and_leave_nothing_behind)
{
    char dir[64], path[128];
    s_tmpdir(dir, sizeof dir);
    char sub[96];
    snprintf(sub, sizeof sub, "%s/a/state", dir);
    site_state_t st = s_state(), back;
    CHECK_INT(site_state_load(sub, &back, NULL), 0); //  missing: fresh
    CHECK_INT(back.generation, 0);
    CHECK_INT(site_state_save(sub, &st, NULL), 0);
    CHECK_INT(site_state_load(sub, &back, NULL), 0);
    CHECK(memcmp(&st, &back, sizeof st) == 0);
    struct stat sb;
    snprintf(path, sizeof path, "%s/state", sub);
    CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    snprintf(path, sizeof path, "%s/state.tmp", sub);
    CHECK(access(path, F_OK) != 0);
    st.generation = 43;
    CHECK_INT(site_state_save(sub, &st, NULL), 0); //  replaces the old one
    CHECK_INT(site_state_load(sub, &back, NULL), 0);
    CHECK_INT(back.generation, 43);
    s_rmtree(dir);
}

/*  A list of two files. */
static void s_files(site_files_t *f, const char *title)
{
    memset(f, 0, sizeof *f);
    site_files_add(f, "index.html", strdup(title));
    site_files_add(f, "themes/T1.html", strdup("theme"));
}

/*  The text of dir/rel, or "" (static buffer). */
static const char *s_read(const char *dir, const char *rel)
{
    static char buf[256];
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return buf;
}

TEST(a_build_is_swapped_in_whole_and_files_are_readable_by_a_web_server)
{
    char dir[64], path[128];
    s_tmpdir(dir, sizeof dir);
    site_files_t f;
    s_files(&f, "one");
    mode_t old = umask(0077); //  as the systemd unit has it
    CHECK_INT(site_output_write(dir, 1, &f, NULL), 0);
    CHECK_INT(site_output_swap(dir, 1, NULL), 0);
    umask(old);
    CHECK_STR(s_read(dir, "current/index.html"), "one");
    CHECK_STR(s_read(dir, "current/themes/T1.html"), "theme");
    struct stat sb;
    snprintf(path, sizeof path, "%s/build-1/themes/T1.html", dir);
    CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0644);
    snprintf(path, sizeof path, "%s/build-1/themes", dir);
    CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0755);
    char target[64] = "";
    snprintf(path, sizeof path, "%s/current", dir);
    CHECK(readlink(path, target, sizeof target - 1) > 0);
    CHECK_STR(target, "build-1"); //  relative: the directory may move
    site_files_free(&f);
    s_rmtree(dir);
}

TEST(after_a_crash_an_uncommitted_build_goes_and_a_committed_one_is_swapped_in)
{
    char dir[64], path[128];
    s_tmpdir(dir, sizeof dir);
    site_files_t one, two;
    s_files(&one, "one");
    s_files(&two, "two");
    bool intact = false;
    CHECK_INT(site_output_write(dir, 1, &one, NULL), 0);
    CHECK_INT(site_output_swap(dir, 1, NULL), 0);
    //  Build 2 written, the state not yet saved: it must not be served.
    CHECK_INT(site_output_write(dir, 2, &two, NULL), 0);
    CHECK_INT(site_output_recover(dir, 1, &intact, NULL, NULL), 0);
    CHECK(intact);
    snprintf(path, sizeof path, "%s/build-2", dir);
    CHECK(access(path, F_OK) != 0);
    CHECK_STR(s_read(dir, "current/index.html"), "one");
    //  Build 2 written and committed, the swap not done: recovery swaps.
    CHECK_INT(site_output_write(dir, 2, &two, NULL), 0);
    CHECK_INT(site_output_recover(dir, 2, &intact, NULL, NULL), 0);
    CHECK(intact);
    CHECK_STR(s_read(dir, "current/index.html"), "two");
    //  The committed build removed by hand: not intact, the next build remakes it.
    CHECK_INT(site_output_recover(dir, 3, &intact, NULL, NULL), 0);
    CHECK(!intact);
    site_files_free(&one);
    site_files_free(&two);
    s_rmtree(dir);
}

TEST(a_lost_state_file_never_takes_the_served_build_away)
{
    char dir[64], path[128];
    s_tmpdir(dir, sizeof dir);
    site_files_t f;
    s_files(&f, "served");
    CHECK_INT(site_output_write(dir, 7, &f, NULL), 0);
    CHECK_INT(site_output_swap(dir, 7, NULL), 0);
    CHECK_INT(site_output_write(dir, 8, &f, NULL), 0); //  never committed
    bool intact = true;
    uint64_t highest = 0;
    CHECK_INT(site_output_recover(dir, 0, &intact, &highest, NULL), 0); //  no state
    CHECK(!intact);
    CHECK_INT(highest, 7);
    CHECK_STR(s_read(dir, "current/index.html"), "served");
    snprintf(path, sizeof path, "%s/build-8", dir);
    CHECK(access(path, F_OK) != 0);
    site_files_free(&f);
    s_rmtree(dir);
}

TEST(old_builds_beyond_keep_are_pruned)
{
    char dir[64], path[128];
    s_tmpdir(dir, sizeof dir);
    site_files_t f;
    s_files(&f, "x");
    for (uint64_t g = 1; g <= 5; g++)
        CHECK_INT(site_output_write(dir, g, &f, NULL), 0);
    site_output_prune(dir, 5, 2);
    for (uint64_t g = 1; g <= 5; g++) {
        snprintf(path, sizeof path, "%s/build-%" PRIu64, dir, g);
        CHECK((access(path, F_OK) == 0) == (g >= 3));
    }
    site_files_free(&f);
    s_rmtree(dir);
}

int main(void)
{
    RUN(the_state_round_trips_through_its_file_text);
    RUN(a_damaged_state_file_is_refused_naming_the_line);
    RUN(save_and_load_use_one_private_file_and_leave_nothing_behind);
    RUN(a_build_is_swapped_in_whole_and_files_are_readable_by_a_web_server);
    RUN(after_a_crash_an_uncommitted_build_goes_and_a_committed_one_is_swapped_in);
    RUN(a_lost_state_file_never_takes_the_served_build_away);
    RUN(old_builds_beyond_keep_are_pruned);
    return DONE();
}
