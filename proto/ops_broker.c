/*  proto/ops_broker.c - the ops of service "broker", which samen-broker
    answers itself (services/broker/ops.h; PROTOCOL.md §2 and §8). */
#include "proto/ops.h"

const sm_opdecl_t sm_ops_broker[] = {
    {.name = "status",
     .flags = SM_OP_READ,
     .roles = R_ANY,
     .summary = N_("the broker's counters: services and workers, requests, events, refusals"),
     .cli = NULL},
    {.name = "service.claim",
     .flags = SM_OP_READ,
     /*  and only for the service its key names: service:NAME for NAME */
     .roles = SM_ROLES_SERVICES,
     .summary = N_("a service's daemon claims its name for its store's instance before its "
                   "workers register; another instance is refused"),
     .args = (const sm_arg_t[]){
         {.name = "service", .type = SM_T_STR, .flags = SM_A_REQUIRED, .min = 1, .max = 255,
          .help = N_("the name the workers register, e.g. finance")},
         {.name = "instance", .type = SM_T_STR, .flags = SM_A_REQUIRED, .min = 1, .max = 64,
          .help = N_("the store's instance ID: lower-case hex digits")},
         {.name = "incarnation", .type = SM_T_STR, .min = 1, .max = 64,
          .help = N_("this process's random ID, new at every start: a copy of a store is "
                     "refused while the original's process serves")},
         {0}}},
    {.name = "audit.list",
     .flags = SM_OP_READ,
     .roles = SM_ROLE_ADMIN | SM_ROLE_AUDITOR,
     .summary = N_("the key changes made in the key directory (samenctl key), as audit entries"),
     .args = sm_audit_list_args},
    {0}};
