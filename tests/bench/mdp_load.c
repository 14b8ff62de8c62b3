/*  tests/bench/mdp_load.c - a closed-loop request load generator.

        mdp_load --endpoint EP --mode get|add|count|echo [--clients N]
                 [--seconds S] [--max N] [--first N] [--per-client N]
                 [--keys N] [--warmup-ms MS] [--service NAME]
                 [--day-offset N] [--days N] [--rid seq|random|none]
                 [--key FILE --server-cert FILE]

    Opens N DEALER sockets in one thread; each has at most one request in
    flight (MDP/Client is synchronous per connection), and sends the next
    as soon as its reply arrives. So N is the number of requests in flight.

    Modes (all but echo speak MDP/0.2 to a broker, service finance):
      get    municipality.get on GM0001..GM<keys>, in turn (a read)
      add    municipality.add of GM<first>, GM<first+1>, ... (a write, with rid)
      count  municipality.count: client c owns municipalities
             GM<first + c*per_client> .. +per_client-1 and adds inhabitant
             counts dated 2000-01-01 + day-offset, then the next day, ... to
             them in turn (a write, with rid; days 0..62 exist, at most
             --days of them in this run)
      echo   the same request body as get, as one frame straight to a ROUTER
             (tests/bench/echo.c): the baseline without broker and service

    Request ids of the writes (--rid): seq (default) "b<pid>.c<client>.<n>",
    ordered per client; random, 24 hex digits as samenctl makes them
    (sm_rid_new), so that each lands anywhere in the store's table of
    replies; none, no rid at all (what idempotency costs, by difference).

    With --key (a secret certificate) and --server-cert (the broker's public
    one) every connection is a CurveZMQ client, as samen's are by default.

    Runs for S seconds after a warm-up (default 300 ms, not counted), or
    until --max requests were sent. Prints one line of key=value:
        requests= errors= seconds= rps= p50_us= p90_us= p99_us= max_us=
    A reply that is not {"ok": true, ...} counts as an error; the first
    one is printed on stderr.
*/
#include "../../common/codec.h"
#include "../../common/json.h"
#include "../../common/security.h"
#include "../../proto/mdp.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define MAX_CLIENTS 1024
#define MAX_SAMPLES (4u << 20)

typedef struct {
    void *sock;
    int64_t sent_ns;
    uint64_t done;      /*  requests completed on this connection */
    bool busy;
    bool exhausted;     /*  count mode: nothing left to write */
} conn_t;

typedef struct {
    const char *endpoint, *service, *mode;
    const char *key, *server_cert;
    int clients;
    double seconds;
    uint64_t max, first, per_client, keys, day_offset, days;
    int warmup_ms;
    /*  state */
    uint64_t next;      /*  global request counter (add mode numbering, get rotation) */
    uint64_t sent, requests, errors;
    uint32_t *samples;  /*  latencies in microseconds */
    size_t nsamples;
    bool recording;
    bool direct;
    char rid_prefix[16];
    const char *rid_mode;
    uint64_t rng;       /*  xorshift state for --rid random */
    sm_buf_t body;
} load_t;

/*  The request id of a write: per --rid (seq: the one given). NULL: none. */
static const char *s_rid(load_t *self, char *rid)
{
    if (strcmp(self->rid_mode, "none") == 0)
        return NULL;
    if (strcmp(self->rid_mode, "random") == 0) {
        rid[0] = 'r';
        for (int i = 0; i < 24; i++) {
            self->rng ^= self->rng << 13;
            self->rng ^= self->rng >> 7;
            self->rng ^= self->rng << 17;
            rid[1 + i] = "0123456789abcdef"[self->rng & 15];
        }
        rid[25] = '\0';
    }
    return rid;
}

static int64_t s_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*  Day index 0..62 as a date from 2000-01-01 (2000 is a leap year). */
static void s_date(uint64_t i, char out[11])
{
    int m = 1, d = (int)i + 1;
    if (d > 31) {
        d -= 31;
        m = 2;
        if (d > 29) {
            d -= 29;
            m = 3;
        }
    }
    snprintf(out, 11, "2000-%02d-%02d", m, d);
}

/*  Pack the next request body for connection c into self->body. Returns
    0, or -1 when this connection has nothing left to send. */
static int s_next_body(load_t *self, int c, conn_t *conn)
{
    sm_buf_t *b = &self->body;
    char code[32], rid[64], text[32];
    sm_buf_reset(b);
    if (strcmp(self->mode, "get") == 0 || strcmp(self->mode, "echo") == 0) {
        snprintf(code, sizeof code, "GM%04llu",
                 (unsigned long long)(1 + self->next++ % (self->keys ? self->keys : 1)));
        msgpack_pack_map(&b->pk, 2);
        sm_pack_kv_str(&b->pk, "op", "municipality.get");
        sm_pack_str(&b->pk, "args");
        msgpack_pack_map(&b->pk, 1);
        sm_pack_kv_str(&b->pk, "municipality", code);
        return 0;
    }
    if (strcmp(self->mode, "add") == 0) {
        uint64_t n = self->first + self->next++;
        if (n > 9999)
            return -1;
        snprintf(code, sizeof code, "GM%04llu", (unsigned long long)n);
        snprintf(text, sizeof text, "Bench %04llu", (unsigned long long)n);
        snprintf(rid, sizeof rid, "%sa%llu", self->rid_prefix, (unsigned long long)n);
        const char *r = s_rid(self, rid);
        msgpack_pack_map(&b->pk, r ? 3 : 2);
        sm_pack_kv_str(&b->pk, "op", "municipality.add");
        sm_pack_str(&b->pk, "args");
        msgpack_pack_map(&b->pk, 4);
        sm_pack_kv_str(&b->pk, "name", text);
        sm_pack_kv_str(&b->pk, "code", code);
        sm_pack_kv_int(&b->pk, "inhabitants", 1000 + (int64_t)n);
        sm_pack_kv_str(&b->pk, "as_of", "1999-01-01");
        if (r)
            sm_pack_kv_str(&b->pk, "rid", r);
        return 0;
    }
    /*  count */
    uint64_t per = self->per_client ? self->per_client : 1;
    uint64_t j = conn->done;
    uint64_t day = self->day_offset + j / per;
    if (day > 62 || (self->days && j / per >= self->days))
        return -1;
    uint64_t n = self->first + (uint64_t)c * per + j % per;
    snprintf(code, sizeof code, "GM%04llu", (unsigned long long)n);
    s_date(day, text);
    snprintf(rid, sizeof rid, "%sc%d.%llu", self->rid_prefix, c, (unsigned long long)j);
    const char *r = s_rid(self, rid);
    msgpack_pack_map(&b->pk, r ? 3 : 2);
    sm_pack_kv_str(&b->pk, "op", "municipality.count");
    sm_pack_str(&b->pk, "args");
    msgpack_pack_map(&b->pk, 3);
    sm_pack_kv_str(&b->pk, "municipality", code);
    sm_pack_kv_int(&b->pk, "inhabitants", 2000 + (int64_t)day);
    sm_pack_kv_str(&b->pk, "as_of", text);
    if (r)
        sm_pack_kv_str(&b->pk, "rid", r);
    return 0;
}

/*  Send the next request on connection c. Returns 0, or -1 when nothing
    is left to send on it. */
static int s_send(load_t *self, int c, conn_t *conn)
{
    if (self->max && self->sent >= self->max)
        return -1;
    if (s_next_body(self, c, conn) != 0) {
        conn->exhausted = true;
        return -1;
    }
    int rc;
    if (self->direct)
        rc = zmq_send(conn->sock, self->body.sbuf.data, self->body.sbuf.size, 0);
    else {
        unsigned char cmd = MDPC_REQUEST;
        zmq_send(conn->sock, MDPC, 6, ZMQ_SNDMORE);
        zmq_send(conn->sock, &cmd, 1, ZMQ_SNDMORE);
        zmq_send(conn->sock, self->service, strlen(self->service), ZMQ_SNDMORE);
        rc = zmq_send(conn->sock, self->body.sbuf.data, self->body.sbuf.size, 0);
    }
    if (rc < 0) {
        fprintf(stderr, "mdp_load: send failed: %s\n", zmq_strerror(zmq_errno()));
        return -1;
    }
    conn->busy = true;
    conn->sent_ns = s_now_ns();
    self->sent++;
    return 0;
}

/*  Receive one reply on conn; check it; record its latency. */
static void s_recv(load_t *self, conn_t *conn)
{
    zmq_msg_t last;
    zmq_msg_init(&last);
    int more = 1;
    while (more) {
        zmq_msg_close(&last);
        zmq_msg_init(&last);
        if (zmq_msg_recv(&last, conn->sock, 0) < 0)
            break;
        more = zmq_msg_more(&last);
    }
    int64_t dt = s_now_ns() - conn->sent_ns;
    conn->busy = false;
    conn->done++;
    const unsigned char *p = zmq_msg_data(&last);
    size_t n = zmq_msg_size(&last);
    /*  {"ok": true, ...} starts 8x a2 'o' 'k' c3 */
    bool ok = self->direct || (n > 5 && p[1] == 0xa2 && p[2] == 'o' && p[3] == 'k' && p[4] == 0xc3);
    if (!ok) {
        if (self->errors == 0) {
            sm_doc_t *d = sm_doc_parse(p, n, NULL);
            char *j = d ? sm_msgpack_to_json(sm_doc_root(d), false) : NULL;
            fprintf(stderr, "mdp_load: first refused reply: %s\n", j ? j : "(not MessagePack)");
            free(j);
            sm_doc_destroy(&d);
        }
        if (self->recording)
            self->errors++;
    }
    if (self->recording) {
        self->requests++;
        if (self->nsamples < MAX_SAMPLES)
            self->samples[self->nsamples++] = (uint32_t)(dt / 1000);
    }
    zmq_msg_close(&last);
}

static int s_cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static uint32_t s_pct(const load_t *self, double q)
{
    if (!self->nsamples)
        return 0;
    size_t i = (size_t)(q * (double)(self->nsamples - 1) + 0.5);
    return self->samples[i];
}

static void s_usage(void)
{
    fprintf(stderr, "usage: mdp_load --endpoint EP --mode get|add|count|echo [--clients N] "
                    "[--seconds S] [--max N] [--first N] [--per-client N] [--keys N] "
                    "[--warmup-ms MS] [--service NAME] [--day-offset N] [--days N] "
                    "[--rid seq|random|none]\n");
}

int main(int argc, char **argv)
{
    load_t self;
    memset(&self, 0, sizeof self);
    self.service = "finance";
    self.mode = "get";
    self.clients = 1;
    self.seconds = 3;
    self.keys = 1;
    self.warmup_ms = 300;
    self.rid_mode = "seq";
    self.rng = (uint64_t)getpid() * 0x9e3779b97f4a7c15u | 1;
    static const struct option opts[] = {
        {"endpoint", required_argument, 0, 'e'}, {"mode", required_argument, 0, 'm'},
        {"key", required_argument, 0, 'K'},      {"server-cert", required_argument, 0, 'C'},
        {"clients", required_argument, 0, 'c'},  {"seconds", required_argument, 0, 's'},
        {"max", required_argument, 0, 'x'},      {"first", required_argument, 0, 'f'},
        {"per-client", required_argument, 0, 'p'}, {"keys", required_argument, 0, 'k'},
        {"warmup-ms", required_argument, 0, 'w'}, {"service", required_argument, 0, 'S'},
        {"day-offset", required_argument, 0, 'o'}, {"days", required_argument, 0, 'D'},
        {"rid", required_argument, 0, 'r'}, {0, 0, 0, 0}};
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'e': self.endpoint = optarg; break;
        case 'K': self.key = optarg; break;
        case 'C': self.server_cert = optarg; break;
        case 'm': self.mode = optarg; break;
        case 'c': self.clients = atoi(optarg); break;
        case 's': self.seconds = atof(optarg); break;
        case 'x': self.max = strtoull(optarg, NULL, 10); break;
        case 'f': self.first = strtoull(optarg, NULL, 10); break;
        case 'p': self.per_client = strtoull(optarg, NULL, 10); break;
        case 'k': self.keys = strtoull(optarg, NULL, 10); break;
        case 'w': self.warmup_ms = atoi(optarg); break;
        case 'S': self.service = optarg; break;
        case 'o': self.day_offset = strtoull(optarg, NULL, 10); break;
        case 'D': self.days = strtoull(optarg, NULL, 10); break;
        case 'r': self.rid_mode = optarg; break;
        default: s_usage(); return 2;
        }
    }
    if (!self.endpoint || self.clients < 1 || self.clients > MAX_CLIENTS ||
        (strcmp(self.mode, "get") && strcmp(self.mode, "add") && strcmp(self.mode, "count") &&
         strcmp(self.mode, "echo")) ||
        (strcmp(self.rid_mode, "seq") && strcmp(self.rid_mode, "random") &&
         strcmp(self.rid_mode, "none"))) {
        s_usage();
        return 2;
    }
    self.direct = strcmp(self.mode, "echo") == 0;
    snprintf(self.rid_prefix, sizeof self.rid_prefix, "b%x.", (unsigned)getpid());
    /*  Writes with a fixed number to do need no warm-up: every one counts. */
    if (self.max)
        self.warmup_ms = 0;
    self.samples = malloc(MAX_SAMPLES * sizeof *self.samples);
    conn_t *conns = calloc((size_t)self.clients, sizeof *conns);
    zmq_pollitem_t *items = calloc((size_t)self.clients, sizeof *items);
    void *ctx = zmq_ctx_new();
    if (!self.samples || !conns || !items || !ctx)
        return 1;
    sm_security_t sec;
    memset(&sec, 0, sizeof sec);
    sec.mode = SM_SECURITY_PLAIN;
    sm_err_t err;
    sm_err_clear(&err);
    if ((self.key || self.server_cert) &&
        sm_security_files(self.key ? self.key : "", self.server_cert ? self.server_cert : "",
                          "--key", "--server-cert", &sec, &err) != 0) {
        fprintf(stderr, "mdp_load: %s\n", err.message);
        return 2;
    }
    sm_buf_init(&self.body);
    for (int c = 0; c < self.clients; c++) {
        conns[c].sock = zmq_socket(ctx, ZMQ_DEALER);
        int linger = 0;
        zmq_setsockopt(conns[c].sock, ZMQ_LINGER, &linger, sizeof linger);
        if (sm_security_apply(&sec, conns[c].sock) != 0 ||
            zmq_connect(conns[c].sock, self.endpoint) != 0) {
            fprintf(stderr, "mdp_load: cannot connect to %s: %s\n", self.endpoint,
                    zmq_strerror(zmq_errno()));
            return 1;
        }
    }
    int64_t t0 = s_now_ns();
    int64_t rec_start = t0 + (int64_t)self.warmup_ms * 1000000;
    int64_t end = rec_start + (int64_t)(self.seconds * 1e9);
    self.recording = self.warmup_ms == 0;
    int64_t rec_t0 = self.recording ? t0 : 0;
    for (int c = 0; c < self.clients; c++)
        s_send(&self, c, &conns[c]);
    int64_t last_done = t0;
    while (1) {
        int64_t now = s_now_ns();
        if (!self.recording && now >= rec_start) {
            self.recording = true;
            rec_t0 = now;
        }
        if (now >= end)
            break;
        int busy = 0;
        for (int c = 0; c < self.clients; c++) {
            items[c] = (zmq_pollitem_t){conns[c].sock, 0, ZMQ_POLLIN, 0};
            busy += conns[c].busy;
        }
        if (!busy)
            break; /*  every connection is done (max reached or exhausted) */
        int rc = zmq_poll(items, self.clients, 100);
        if (rc < 0)
            break;
        if (rc == 0 && now - last_done > 5000000000LL) {
            fprintf(stderr, "mdp_load: no reply for 5 s; giving up\n");
            break;
        }
        for (int c = 0; c < self.clients; c++)
            if (items[c].revents & ZMQ_POLLIN) {
                s_recv(&self, &conns[c]);
                last_done = s_now_ns();
                s_send(&self, c, &conns[c]);
            }
    }
    double secs = (double)(s_now_ns() - rec_t0) / 1e9;
    qsort(self.samples, self.nsamples, sizeof *self.samples, s_cmp_u32);
    printf("requests=%llu errors=%llu seconds=%.3f rps=%.0f p50_us=%u p90_us=%u p99_us=%u "
           "max_us=%u clients=%d mode=%s\n",
           (unsigned long long)self.requests, (unsigned long long)self.errors, secs,
           secs > 0 ? (double)self.requests / secs : 0.0, s_pct(&self, 0.50), s_pct(&self, 0.90),
           s_pct(&self, 0.99), self.nsamples ? self.samples[self.nsamples - 1] : 0, self.clients,
           self.mode);
    for (int c = 0; c < self.clients; c++)
        zmq_close(conns[c].sock);
    zmq_ctx_term(ctx);
    sm_buf_free(&self.body);
    free(self.samples);
    free(conns);
    free(items);
    return 0;
}
