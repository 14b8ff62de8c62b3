/*  tests/bench/echo.c - the baseline for a request round trip: a bare
    ZeroMQ ROUTER that answers every request at once.

        echo ENDPOINT REPLY_BYTES [SECRET_CERT]

    Binds a ROUTER at ENDPOINT; for each message [identity, body] it sends
    [identity, reply] where reply is REPLY_BYTES bytes (the size of the
    service's real reply, so that both paths move the same bytes). No
    broker, no MessagePack decoding, no store: what is left of a request
    when samen adds nothing. The client side is `mdp_load --mode echo`,
    the same client code as for the broker path. With SECRET_CERT (a czmq
    secret certificate) the ROUTER is a CurveZMQ server with that key and
    accepts any client key (no ZAP handler): what CurveZMQ itself costs on
    this path, without samen. Runs until SIGTERM/SIGINT.
*/
#include "../../common/security.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

/*  Set by the signal handler, seen when zmq_msg_recv returns EINTR. */
static volatile sig_atomic_t s_stop = 0;

static void s_on_signal(int sig)
{
    (void)sig;
    s_stop = 1;
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: echo ENDPOINT REPLY_BYTES [SECRET_CERT]\n");
        return 2;
    }
    char secret[SM_KEY_TEXT];
    sm_err_t err;
    sm_err_clear(&err);
    if (argc == 4 &&
        sm_cert_read(argv[3], true, true, "SECRET_CERT", NULL, NULL, NULL, secret, &err) != 0) {
        fprintf(stderr, "echo: %s\n", err.message);
        return 2;
    }
    size_t size = (size_t)atol(argv[2]);
    char *reply = calloc(1, size ? size : 1);
    void *ctx = zmq_ctx_new();
    void *router = zmq_socket(ctx, ZMQ_ROUTER);
    int linger = 0;
    zmq_setsockopt(router, ZMQ_LINGER, &linger, sizeof linger);
    int one = 1;
    if (argc == 4 && (zmq_setsockopt(router, ZMQ_CURVE_SERVER, &one, sizeof one) != 0 ||
                      zmq_setsockopt(router, ZMQ_CURVE_SECRETKEY, secret, 41) != 0)) {
        fprintf(stderr, "echo: cannot make a CurveZMQ server: %s\n", zmq_strerror(zmq_errno()));
        return 1;
    }
    if (!reply || zmq_bind(router, argv[1]) != 0) {
        fprintf(stderr, "echo: cannot bind %s: %s\n", argv[1], zmq_strerror(zmq_errno()));
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    while (!s_stop) {
        zmq_msg_t id, body;
        zmq_msg_init(&id);
        zmq_msg_init(&body);
        if (zmq_msg_recv(&id, router, 0) < 0 || zmq_msg_recv(&body, router, 0) < 0) {
            zmq_msg_close(&id);
            zmq_msg_close(&body);
            if (zmq_errno() == EINTR)
                continue;
            break;
        }
        zmq_msg_send(&id, router, ZMQ_SNDMORE);
        zmq_send(router, reply, size, 0);
        zmq_msg_close(&body);
    }
    zmq_close(router);
    zmq_ctx_term(ctx);
    free(reply);
    return 0;
}
