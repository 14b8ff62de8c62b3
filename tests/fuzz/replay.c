/*  tests/fuzz/replay.c - run every kept fuzz input through the fuzz target.

        replay DIR|FILE ...

    Feeds each regular file (directories are read one level deep, in name
    order) to LLVMFuzzerTestOneInput from request_fuzz.c, built without
    libFuzzer in the sanitizer build, so that every input the fuzzer ever
    kept, and every hand-made nasty input, runs in `make check`. A crash,
    a sanitizer report or a broken invariant ends the process by itself
    (and tests/run.py counts the missing summary line as a failure); the
    input's path is written to stderr just before it runs, so the last
    such line names the culprit. A path that cannot be read counts as a
    failure. Last line on stdout:
        suite=fuzz-replay passed=N failed=M
*/
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*  Read the whole file at path. Returns a malloc'd buffer (caller frees;
    never NULL for a readable empty file) with *size set, or NULL. */
static uint8_t *s_slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;
    while (1) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            uint8_t *p = realloc(buf, ncap);
            if (!p) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *size = n;
    return buf;
}

/*  Replay one file. Returns 0, or -1 when it cannot be read. */
static int s_replay_file(const char *path)
{
    size_t size = 0;
    uint8_t *data = s_slurp(path, &size);
    if (!data) {
        printf("FAIL cannot read %s\n", path);
        return -1;
    }
    /*  An exact-size copy, so that ASan catches a read one byte past the
        input (the fuzzer does the same). */
    uint8_t *exact = malloc(size ? size : 1);
    if (!exact) {
        free(data);
        return -1;
    }
    memcpy(exact, data, size);
    free(data);
    /*  Named before it runs: a crash report follows this line. */
    fprintf(stderr, "replay: %s\n", path);
    LLVMFuzzerTestOneInput(exact, size);
    free(exact);
    return 0;
}

static int s_by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: replay DIR|FILE ...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            printf("FAIL no such file or directory: %s\n", argv[i]);
            failed++;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (s_replay_file(argv[i]) == 0)
                passed++;
            else
                failed++;
            continue;
        }
        struct dirent **list = NULL;
        int n = scandir(argv[i], &list, NULL, s_by_name);
        if (n < 0) {
            printf("FAIL cannot list %s\n", argv[i]);
            failed++;
            continue;
        }
        for (int k = 0; k < n; k++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], list[k]->d_name);
            if (list[k]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                if (s_replay_file(path) == 0)
                    passed++;
                else
                    failed++;
            }
            free(list[k]);
        }
        free(list);
    }
    printf("suite=fuzz-replay passed=%d failed=%d\n", passed, failed);
    return failed ? 1 : 0;
}
