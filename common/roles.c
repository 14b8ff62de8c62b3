/*  common/roles.c - role words and bits. See roles.h. */
#include "common/roles.h"
#include <stdio.h>
#include <string.h>

static const struct {
    sm_roles_t bit;
    const char *word;
} s_roles[] = {
    {SM_ROLE_ADMIN, "admin"},
    {SM_ROLE_COORDINATOR, "coordinator"},
    {SM_ROLE_FINANCE, "finance"},
    {SM_ROLE_AUDITOR, "auditor"},
    {SM_ROLE_SUBSCRIBER, "subscriber"},
    {SM_ROLE_SVC_INTAKE, "service:intake"},
    {SM_ROLE_SVC_SCHEDULING, "service:scheduling"},
    {SM_ROLE_SVC_REPORTING, "service:reporting"},
    {SM_ROLE_SVC_FINANCE, "service:finance"},
    {SM_ROLE_SVC_SITE, "service:site"},
};
#define S_NROLES (sizeof s_roles / sizeof s_roles[0])

const sm_roles_t sm_roles_all[] = {SM_ROLE_ADMIN,          SM_ROLE_COORDINATOR,
                                   SM_ROLE_FINANCE,        SM_ROLE_AUDITOR,
                                   SM_ROLE_SUBSCRIBER,     SM_ROLE_SVC_INTAKE,
                                   SM_ROLE_SVC_SCHEDULING, SM_ROLE_SVC_REPORTING,
                                   SM_ROLE_SVC_FINANCE,    SM_ROLE_SVC_SITE,
                                   0};

sm_roles_t sm_role_parse(const char *word)
{
    for (size_t i = 0; word && i < S_NROLES; i++)
        if (strcmp(s_roles[i].word, word) == 0)
            return s_roles[i].bit;
    return 0;
}

const char *sm_role_name(sm_roles_t bit)
{
    for (size_t i = 0; i < S_NROLES; i++)
        if (s_roles[i].bit == bit)
            return s_roles[i].word;
    return NULL;
}

int sm_roles_parse(const char *list, sm_roles_t *out, char *bad, size_t size)
{
    sm_roles_t roles = 0;
    const char *p = list ? list : "";
    if (bad && size)
        bad[0] = '\0';
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *end = p;
        while (*end && *end != ',')
            end++;
        size_t n = (size_t)(end - p);
        while (n && p[n - 1] == ' ')
            n--;
        char word[40];
        sm_roles_t bit = 0;
        if (n < sizeof word) {
            memcpy(word, p, n);
            word[n] = '\0';
            bit = sm_role_parse(word);
        }
        if (!bit) {
            if (bad && size)
                snprintf(bad, size, "%.*s", (int)n, p);
            return -1;
        }
        roles |= bit;
        p = end;
    }
    if (!roles)
        return -1;
    *out = roles;
    return 0;
}

char *sm_roles_format(sm_roles_t roles, char *buf, size_t size)
{
    size_t o = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < S_NROLES && o < size; i++)
        if (roles & s_roles[i].bit) {
            int n = snprintf(buf + o, size - o, "%s%s", o ? "," : "", s_roles[i].word);
            if (n < 0)
                break;
            o += (size_t)n;
        }
    return buf;
}

sm_roles_t sm_role_of_service(const char *service)
{
    char word[48];
    if (!service || strlen(service) > 32)
        return 0;
    snprintf(word, sizeof word, "service:%s", service);
    return sm_role_parse(word);
}
