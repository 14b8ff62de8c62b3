/*  services/site/calls.c - every request samen-site makes. See calls.h. */
#include "services/site/calls.h"
#include "common/log.h"
#include <stdlib.h>
#include <string.h>

const site_call_t site_calls[] = {{"scheduling", "service.info"},
                                  {"scheduling", "events.read"},
                                  {"scheduling", "theme.public.list"},
                                  {"scheduling", "session.public.list"},
                                  {"scheduling", "session.calendar"},
                                  {"reporting", "service.info"},
                                  {"reporting", "events.read"},
                                  {"reporting", "report.public.list"},
                                  {"reporting", "report.public.get"},
                                  {"reporting", "outcome.list"},
                                  {"reporting", "report.annual"},
                                  {"finance", "municipality.list"},
                                  {NULL, NULL}};

void site_call_check(const char *service, const char *op)
{
    for (const site_call_t *c = site_calls; c->service; c++)
        if (strcmp(c->service, service) == 0 && strcmp(c->op, op) == 0)
            return;
    //  Loud: a request outside the list could ask for what may not be
    //  published.
    sm_error("request not in the site's list; stopping", "service=%s op=%s", service, op);
    abort();
}
