/*  common/endpoints.c - a list of brokers. See endpoints.h. */
#include "endpoints.h"
#include "config.h"
#include "i18n.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

int sm_endpoints_parse(const char *path, const char *text, sm_endpoints_t *out, sm_err_t *err)
{
    memset(out, 0, sizeof *out);
    const char *p = text ? text : "";
    while (true) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        while (len && (*p == ' ' || *p == '\t'))
            p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == 0 && (comma || out->n > 0)) {
            memset(out, 0, sizeof *out);
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                              _("setting %s has an empty item in its list of brokers; give one "
                                "endpoint, or several separated by commas such as "
                                "tcp://10.0.0.1:5555,tcp://10.0.0.2:5555"),
                              path);
        }
        if (out->n == SM_MAX_BROKERS) {
            memset(out, 0, sizeof *out);
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                              _("setting %s lists more than %d brokers; give at most %d "
                                "endpoints separated by commas"),
                              path, SM_MAX_BROKERS, SM_MAX_BROKERS);
        }
        char one[SM_ENDPOINT_MAX];
        if (len >= sizeof one) {
            memset(out, 0, sizeof *out);
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                              _("setting %s has an endpoint longer than %zu characters"), path,
                              sizeof one - 1);
        }
        memcpy(one, p, len);
        one[len] = '\0';
        if (sm_config_endpoint_check(path, one, err) != 0) {
            memset(out, 0, sizeof *out);
            return -1;
        }
        for (int i = 0; i < out->n; i++)
            if (strcmp(out->ep[i], one) == 0) {
                memset(out, 0, sizeof *out);
                return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                                  _("setting %s names the broker %s twice; give each broker "
                                    "once"),
                                  path, one);
            }
        snprintf(out->ep[out->n++], SM_ENDPOINT_MAX, "%s", one);
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

int sm_endpoints_match(const char *path, const sm_endpoints_t *list, const char *brokers_path,
                       const sm_endpoints_t *brokers, sm_err_t *err)
{
    if (list->n == brokers->n)
        return 0;
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                      _("setting %1$s lists %2$d endpoints but %3$s lists %4$d brokers; give "
                        "one for each broker, in the same order"),
                      path, list->n, brokers_path, brokers->n);
}

bool sm_address_loopback(const char *address)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, address, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, address, &a6) != 1)
        return false;
    if (IN6_IS_ADDR_LOOPBACK(&a6))
        return true;
    return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
}
