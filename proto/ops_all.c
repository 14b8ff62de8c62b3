/*  proto/ops_all.c - every service's declarations, for samenctl and
    tools/opsdoc. A service is listed here once it declares its ops. */
#include "proto/ops.h"

const sm_decls_t sm_decls_all[] = {
    {"broker", sm_ops_broker},
    {"intake", sm_ops_intake},
    {"reporting", sm_ops_reporting},
    {"finance", sm_ops_finance},
    {"scheduling", sm_ops_scheduling},
    {NULL, NULL}};
