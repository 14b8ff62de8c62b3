/*  common/httpd.c - start a small HTTP endpoint. See httpd.h. */
#include "common/httpd.h"
#include "common/i18n.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*  Parse "HOST:PORT" or "[V6]:PORT" into ss. Returns 0, or -1 when it is
    not a numeric address and a port 1-65535. *v6 says which family. */
static int s_parse(const char *listen, struct sockaddr_storage *ss, bool *v6)
{
    memset(ss, 0, sizeof *ss);
    *v6 = false;
    const char *colon = strrchr(listen, ':');
    if (!colon || !colon[1])
        return -1;
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (*end != '\0' || port < 1 || port > 65535)
        return -1;
    size_t hl = (size_t)(colon - listen);
    if (hl >= 2 && listen[0] == '[' && listen[hl - 1] == ']') {
        listen++;
        hl -= 2;
    }
    char host[128];
    if (!hl || hl >= sizeof host)
        return -1;
    memcpy(host, listen, hl);
    host[hl] = '\0';
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        return 0;
    }
    if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        *v6 = true;
        return 0;
    }
    return -1;
}

struct MHD_Daemon *sm_httpd_start(const char *listen, const char *field,
                                  MHD_AccessHandlerCallback handler, void *arg, sm_err_t *err)
{
    struct sockaddr_storage ss;
    bool v6;
    if (s_parse(listen, &ss, &v6) != 0) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                   _("%s must be an address and a port, like 127.0.0.1:8090 or [::1]:8090"), field);
        return NULL;
    }
    /*  "[::]" means every address, IPv4 ones too (libmicrohttpd would
        otherwise set IPV6_V6ONLY on it); any other IPv6 address is that one. */
    unsigned family = 0;
    if (v6)
        family = IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)&ss)->sin6_addr)
                     ? MHD_USE_DUAL_STACK
                     : MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | family, 0, NULL, NULL,
        handler, arg, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)16, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)4,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)32768, MHD_OPTION_END);
    if (!d)
        sm_err_set(err, SM_E_UNAVAILABLE, field,
                   _("%s %s: cannot listen there (the port is in use, or it is not an address "
                     "of this host)"),
                   field, listen);
    return d;
}

enum MHD_Result sm_httpd_reply(struct MHD_Connection *conn, unsigned status,
                               const char *content_type, const char *body, size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", content_type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result rc = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return rc;
}
