/*  common/endpoints.h - a list of brokers: "EP" or "EP,EP" (a broker pair).

    Services, libsamen's client and samenctl may be given several brokers
    (PROTOCOL.md §9, "Two brokers"): the settings broker/endpoint,
    broker/events_in and broker/events_out, the flags --endpoint, --broker
    and --events, and $SAMEN_BROKER take one endpoint or a comma-separated
    list of up to SM_MAX_BROKERS. Each item is checked as a single endpoint
    is (common/config.h); an empty item, a repeated one or too many are
    refused naming the setting. A broker itself binds one endpoint and
    refuses a list.
*/
#ifndef SAMEN_ENDPOINTS_H
#define SAMEN_ENDPOINTS_H

#include "err.h"
#include <stdbool.h>

#define SM_MAX_BROKERS 4
#define SM_ENDPOINT_MAX 256

typedef struct {
    int n; /*  1..SM_MAX_BROKERS once parsed */
    char ep[SM_MAX_BROKERS][SM_ENDPOINT_MAX];
} sm_endpoints_t;

/*  Split text ("tcp://a:5555" or "tcp://a:5555, tcp://b:5555") into out;
    spaces around items are dropped. path names the setting or flag in a
    refusal. Returns 0, or -1 with err (invalid_argument, field = path) and
    out emptied. */
int sm_endpoints_parse(const char *path, const char *text, sm_endpoints_t *out, sm_err_t *err);

/*  Check that list, read from path, names as many endpoints as the broker
    list brokers (read from brokers_path): one per broker, in the same
    order. Returns 0, or -1 with err naming path. */
int sm_endpoints_match(const char *path, const sm_endpoints_t *list, const char *brokers_path,
                       const sm_endpoints_t *brokers, sm_err_t *err);

/*  True when address (an IPv4 or IPv6 literal, no brackets, no port) is a
    loopback one: 127.0.0.0/8, ::1 or ::ffff:127.x.x.x. Anything else, the
    wildcards 0.0.0.0 and :: and text that is not an address included, is
    false. The one rule for "stays on this machine" (the health endpoint's
    http_address, plain mode's endpoints in common/security.h). Can't fail. */
bool sm_address_loopback(const char *address);

#endif
