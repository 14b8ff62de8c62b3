/*  services/site/calls.h - every request samen-site makes, listed once.

    The site asks scheduling, reporting and finance for their public view
    (services/site/fetch.h) and reads scheduling's and reporting's event
    logs (services/site/follow.h). Each (service, op) it may send is in the
    table below, and nothing else is ever sent: a request not in it is a
    programming error and stops the daemon. There is no intake in it: the
    site never asks for anything personal. A unit test holds the table to
    the op declarations (proto/ops_*.c): each op must accept the role
    service:site, so that the site keeps working once the broker checks
    roles (CurveZMQ).
*/
#ifndef SAMEN_SITE_CALLS_H
#define SAMEN_SITE_CALLS_H

#include <stdbool.h>

typedef struct {
    const char *service;
    const char *op;
} site_call_t;

/*  The requests samen-site makes, terminated by service NULL. */
extern const site_call_t site_calls[];

/*  Stop the daemon with a message when (service, op) is not in
    site_calls: a programming error, never bad input. */
void site_call_check(const char *service, const char *op);

#endif
