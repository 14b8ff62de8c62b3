/*  tests/bench/ev_fanout.c - events delivered per second to N subscribers.

        ev_fanout --pub EP --sub EP [--bind] [--subs N] [--events M] [--seconds S]

    A publisher process (forked before any ZeroMQ context exists) sends M
    events, two frames each exactly as a service publishes them (topic
    "bench.thing.counted", then a MessagePack map {seq, ts, type, data} of
    about 130 bytes), as fast as its PUB socket takes them. The parent holds
    N SUB sockets subscribed to "bench." and counts what each receives.

    Through the broker: --pub is the broker's events_in (XSUB), --sub its
    events_out (XPUB). Baseline: --bind makes the publisher bind --pub and
    the subscribers connect straight to it (--sub is ignored).

    The publisher first sends probes until every subscriber has seen one
    (subscriptions travel upstream asynchronously), then the real events.
    Prints:
        delivered= expected= seconds= eps= per_sub_eps= lost=
    where eps counts deliveries to all subscribers together, from the
    first event received to the last (or to S seconds, default 10).
*/
#include "../../common/codec.h"
#include <fcntl.h>
#include "../../common/security.h"
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define MAX_SUBS 64

static int64_t s_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*  The topics: "<service>.probe" and "<service>.thing.counted". Through a
    broker with security on, the publisher's key must hold service:<service>. */
typedef struct {
    char probe[48], counted[64], prefix[40];
} s_topics_t;

/*  The publisher: probes until the parent writes a byte on go_fd, then
    the events; exits after the parent closes go_fd. */
static int s_publisher(const char *ep, bool bind, long events, int go_fd, const s_topics_t *t,
                       const sm_security_t *sec)
{
    void *ctx = zmq_ctx_new();
    void *pub = zmq_socket(ctx, ZMQ_PUB);
    int hwm = 10000000, linger = 2000;
    zmq_setsockopt(pub, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(pub, ZMQ_LINGER, &linger, sizeof linger);
    sm_security_apply(sec, pub);
    if ((bind ? zmq_bind(pub, ep) : zmq_connect(pub, ep)) != 0) {
        fprintf(stderr, "ev_fanout: publisher cannot use %s: %s\n", ep, zmq_strerror(zmq_errno()));
        return 1;
    }
    fcntl(go_fd, F_SETFL, O_NONBLOCK);
    char c;
    int64_t deadline = s_now_ns() + 10000000000LL;
    while (read(go_fd, &c, 1) != 1) {
        if (s_now_ns() > deadline) {
            fprintf(stderr, "ev_fanout: subscribers never saw a probe\n");
            return 1;
        }
        zmq_send(pub, t->probe, strlen(t->probe), ZMQ_SNDMORE);
        zmq_send(pub, "\x80", 1, 0);
        usleep(5000);
    }
    sm_buf_t b;
    sm_buf_init(&b);
    const char *topic = t->counted;
    for (long i = 1; i <= events; i++) {
        sm_buf_reset(&b);
        msgpack_pack_map(&b.pk, 4);
        sm_pack_kv_uint(&b.pk, "seq", (uint64_t)i);
        sm_pack_kv_int(&b.pk, "ts", 1795000000000 + i);
        sm_pack_kv_str(&b.pk, "type", topic);
        sm_pack_str(&b.pk, "data");
        msgpack_pack_map(&b.pk, 4);
        sm_pack_kv_str(&b.pk, "code", "GM0001");
        sm_pack_kv_str(&b.pk, "name", "Bench 0001");
        sm_pack_kv_int(&b.pk, "inhabitants", 2000 + i % 1000);
        sm_pack_kv_str(&b.pk, "as_of", "2000-01-01");
        zmq_send(pub, topic, strlen(topic), ZMQ_SNDMORE);
        zmq_send(pub, b.sbuf.data, b.sbuf.size, 0);
    }
    sm_buf_free(&b);
    /*  Stay until the parent is done, so that nothing queued is dropped. */
    fcntl(go_fd, F_SETFL, 0);
    while (read(go_fd, &c, 1) > 0)
        ;
    zmq_close(pub);
    zmq_ctx_term(ctx);
    return 0;
}

int main(int argc, char **argv)
{
    const char *pub_ep = NULL, *sub_ep = NULL;
    bool bind = false;
    int nsubs = 1;
    long events = 100000;
    double seconds = 10;
    const char *service = "bench", *key = NULL, *server_cert = NULL;
    static const struct option opts[] = {{"pub", required_argument, 0, 'p'},
                                         {"service", required_argument, 0, 'S'},
                                         {"key", required_argument, 0, 'K'},
                                         {"server-cert", required_argument, 0, 'C'},
                                         {"sub", required_argument, 0, 's'},
                                         {"bind", no_argument, 0, 'b'},
                                         {"subs", required_argument, 0, 'n'},
                                         {"events", required_argument, 0, 'm'},
                                         {"seconds", required_argument, 0, 't'},
                                         {0, 0, 0, 0}};
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'p': pub_ep = optarg; break;
        case 's': sub_ep = optarg; break;
        case 'b': bind = true; break;
        case 'n': nsubs = atoi(optarg); break;
        case 'm': events = atol(optarg); break;
        case 't': seconds = atof(optarg); break;
        case 'S': service = optarg; break;
        case 'K': key = optarg; break;
        case 'C': server_cert = optarg; break;
        default: return 2;
        }
    }
    if (!pub_ep || (!bind && !sub_ep) || nsubs < 1 || nsubs > MAX_SUBS || events < 1) {
        fprintf(stderr, "usage: ev_fanout --pub EP --sub EP [--bind] [--subs N] [--events M] "
                        "[--seconds S] [--service NAME] [--key FILE --server-cert FILE]\n");
        return 2;
    }
    s_topics_t topics;
    snprintf(topics.probe, sizeof topics.probe, "%.30s.probe", service);
    snprintf(topics.counted, sizeof topics.counted, "%.30s.thing.counted", service);
    snprintf(topics.prefix, sizeof topics.prefix, "%.30s.", service);
    /*  With a key, every socket is a CurveZMQ client of the broker. */
    sm_security_t sec;
    memset(&sec, 0, sizeof sec);
    sec.mode = SM_SECURITY_PLAIN;
    sm_err_t err;
    sm_err_clear(&err);
    if ((key || server_cert) && sm_security_files(key ? key : "", server_cert ? server_cert : "",
                                                  "--key", "--server-cert", &sec, &err) != 0) {
        fprintf(stderr, "ev_fanout: %s\n", err.message);
        return 2;
    }
    if (bind)
        sub_ep = pub_ep;
    int go[2];
    if (pipe(go) != 0)
        return 1;
    /*  Fork before any ZeroMQ context exists: contexts do not survive fork. */
    pid_t child = fork();
    if (child == 0) {
        close(go[1]);
        _exit(s_publisher(pub_ep, bind, events, go[0], &topics, &sec));
    }
    close(go[0]);
    void *ctx = zmq_ctx_new();
    void *subs[MAX_SUBS];
    zmq_pollitem_t items[MAX_SUBS];
    long got[MAX_SUBS] = {0};
    bool probed[MAX_SUBS] = {false};
    for (int i = 0; i < nsubs; i++) {
        subs[i] = zmq_socket(ctx, ZMQ_SUB);
        int hwm = 10000000, linger = 0;
        zmq_setsockopt(subs[i], ZMQ_RCVHWM, &hwm, sizeof hwm);
        zmq_setsockopt(subs[i], ZMQ_LINGER, &linger, sizeof linger);
        zmq_setsockopt(subs[i], ZMQ_SUBSCRIBE, topics.prefix, strlen(topics.prefix));
        if (sm_security_apply(&sec, subs[i]) != 0 || zmq_connect(subs[i], sub_ep) != 0) {
            fprintf(stderr, "ev_fanout: cannot connect to %s\n", sub_ep);
            kill(child, SIGTERM);
            return 1;
        }
    }
    int nprobed = 0;
    bool started = false;
    int64_t first = 0, last = 0, give_up = s_now_ns() + 10000000000LL;
    long delivered = 0, expected = events * nsubs;
    while (delivered < expected) {
        for (int i = 0; i < nsubs; i++)
            items[i] = (zmq_pollitem_t){subs[i], 0, ZMQ_POLLIN, 0};
        int rc = zmq_poll(items, nsubs, 200);
        int64_t now = s_now_ns();
        if (rc < 0 || now > give_up)
            break;
        if (rc == 0 && started && now - last > 1000000000LL)
            break; /*  a second of silence: the rest was lost */
        for (int i = 0; i < nsubs; i++) {
            if (!(items[i].revents & ZMQ_POLLIN))
                continue;
            /*  Drain what is there without polling again. */
            for (int k = 0; k < 1000; k++) {
                char topic[64];
                int n = zmq_recv(subs[i], topic, sizeof topic, ZMQ_DONTWAIT);
                if (n < 0)
                    break;
                zmq_msg_t body;
                zmq_msg_init(&body);
                zmq_msg_recv(&body, subs[i], 0);
                zmq_msg_close(&body);
                if (n == (int)strlen(topics.probe) && memcmp(topic, topics.probe, (size_t)n) == 0) {
                    if (!probed[i]) {
                        probed[i] = true;
                        if (++nprobed == nsubs && write(go[1], "g", 1) != 1)
                            give_up = 0;
                    }
                    continue;
                }
                if (!started) {
                    started = true;
                    first = s_now_ns();
                    give_up = first + (int64_t)(seconds * 1e9);
                }
                got[i]++;
                delivered++;
                last = s_now_ns();
            }
        }
    }
    close(go[1]); /*  the publisher may go */
    int status = 0;
    waitpid(child, &status, 0);
    double secs = started && last > first ? (double)(last - first) / 1e9 : 0;
    long min_got = got[0];
    for (int i = 1; i < nsubs; i++)
        if (got[i] < min_got)
            min_got = got[i];
    printf("delivered=%ld expected=%ld seconds=%.3f eps=%.0f per_sub_eps=%.0f lost=%ld "
           "min_sub=%ld subs=%d\n",
           delivered, expected, secs, secs > 0 ? (double)delivered / secs : 0.0,
           secs > 0 ? (double)delivered / secs / nsubs : 0.0, expected - delivered, min_got,
           nsubs);
    for (int i = 0; i < nsubs; i++)
        zmq_close(subs[i]);
    zmq_ctx_term(ctx);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
