/*  tests/bench/lmdb_bare.c - the baseline for durable writes: one LMDB
    write transaction per write, as a program without group commit does.

        lmdb_bare DIR SECONDS [VALUE_BYTES]

    Opens an environment in DIR (which must exist) with LMDB's default
    durability (no MDB_NOSYNC, no MDB_NOMETASYNC, no MDB_WRITEMAP: the
    same promise as common/store.c), then for SECONDS does
    begin / mdb_put (8-byte big-endian key, VALUE_BYTES value, default 160,
    about a stored municipality) / commit, timing each. Prints:
        writes= seconds= wps= p50_us= p99_us=
    (p50_us: the median time of one whole write, begin to commit returned:
    what a lone writer cannot go below.)
*/
#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SAMPLES (1u << 20)

static int s_cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static double s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: lmdb_bare DIR SECONDS [VALUE_BYTES]\n");
        return 2;
    }
    double seconds = atof(argv[2]);
    size_t vsize = argc > 3 ? (size_t)atol(argv[3]) : 160;
    char *val = malloc(vsize ? vsize : 1);
    uint32_t *samples = malloc(MAX_SAMPLES * sizeof *samples);
    MDB_env *env;
    MDB_dbi dbi;
    MDB_txn *txn;
    int rc;
    if (!val || !samples || (rc = mdb_env_create(&env)) || (rc = mdb_env_set_mapsize(env, 256u << 20)) ||
        (rc = mdb_env_open(env, argv[1], 0, 0640))) {
        fprintf(stderr, "lmdb_bare: cannot open %s\n", argv[1]);
        return 1;
    }
    memset(val, 'v', vsize);
    if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) || (rc = mdb_dbi_open(txn, NULL, 0, &dbi)) ||
        (rc = mdb_txn_commit(txn))) {
        fprintf(stderr, "lmdb_bare: %s\n", mdb_strerror(rc));
        return 1;
    }
    uint64_t n = 0;
    double t0 = s_now(), now = t0;
    while (now - t0 < seconds) {
        uint8_t key[8];
        for (int i = 7, shift = 0; i >= 0; i--, shift += 8)
            key[i] = (uint8_t)(n >> shift);
        MDB_val k = {8, key}, v = {vsize, val};
        double t = s_now();
        if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) || (rc = mdb_put(txn, dbi, &k, &v, 0)) ||
            (rc = mdb_txn_commit(txn))) {
            fprintf(stderr, "lmdb_bare: write %llu: %s\n", (unsigned long long)n,
                    mdb_strerror(rc));
            return 1;
        }
        now = s_now();
        if (n < MAX_SAMPLES)
            samples[n] = (uint32_t)((now - t) * 1e6);
        n++;
    }
    size_t ns = n < MAX_SAMPLES ? (size_t)n : MAX_SAMPLES;
    qsort(samples, ns, sizeof *samples, s_cmp_u32);
    printf("writes=%llu seconds=%.3f wps=%.0f p50_us=%u p99_us=%u\n", (unsigned long long)n,
           now - t0, (double)n / (now - t0), ns ? samples[ns / 2] : 0,
           ns ? samples[(size_t)((double)(ns - 1) * 0.99)] : 0);
    mdb_env_close(env);
    free(val);
    free(samples);
    return 0;
}
