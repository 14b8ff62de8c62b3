/*  proto/ops_builtin.c - the ops every samen service answers. */
#include "proto/ops.h"

/*  audit.list's arguments: the same for every service and the broker. */
const sm_arg_t sm_audit_list_args[] = {
    {.name = "who", .type = SM_T_STR, .max = 63, .help = N_("only this key name")},
    {.name = "op", .type = SM_T_STR, .max = 63, .help = N_("only this op")},
    {.name = "id", .type = SM_T_STR, .max = 24, .help = N_("only entries about this ID")},
    {.name = "since", .type = SM_T_DATE, .help = N_("from this day on")},
    {.name = "until", .type = SM_T_DATE, .help = N_("up to and including this day")},
    {.name = "after", .type = SM_T_INT, .min = 0, .max = INT64_MAX,
     .help = N_("the page after this entry number")},
    {.name = "limit", .type = SM_T_INT, .min = 1, .max = 1000,
     .help = N_("how many entries at most (default 100)")},
    {0}};

const sm_opdecl_t sm_builtin_decls[] = {
    {.name = "service.info",
     .flags = SM_OP_READ,
     .roles = R_ANY,
     .summary = N_("name, version, schema, last event seq, counts, and the declarations of "
                   "its ops"),
     .cli = NULL},
    {.name = "events.read",
     .flags = SM_OP_READ,
     .roles = R_ANY,
     .summary = N_("stored events after a seq, in order"),
     .args = (const sm_arg_t[]){
         {.name = "after", .type = SM_T_INT, .min = 0, .max = INT64_MAX,
          .help = N_("the last seq the caller has; 0 for the first event")},
         {.name = "limit", .type = SM_T_INT, .min = 1, .max = 1000,
          .help = N_("how many events at most (default 100)")},
         {0}}},
    {.name = "store.backup",
     .flags = SM_OP_READ | SM_OP_AUDIT,
     .roles = R_ADMIN,
     .summary = N_("compacting hot copy of the store into the service's backup directory"),
     .args = (const sm_arg_t[]){
         {.name = "name", .type = SM_T_STR, .flags = SM_A_REQUIRED | SM_A_POS, .max = 100,
          .help = N_("the backup's name: a new directory inside backup_dir, e.g. "
                     "intake-2026-11-23")},
         {0}}},
    {.name = "follow.resync",
     .flags = SM_OP_WRITE | SM_OP_AUDIT,
     .roles = R_ADMIN,
     .summary = N_("go on following a producer that went back in time (restored): accept its "
                   "new epoch, keep the lower of the cursor and its last seq; re-applies "
                   "nothing and names the seqs not re-derived"),
     .args = (const sm_arg_t[]){
         {.name = "producer", .type = SM_T_STR, .flags = SM_A_REQUIRED | SM_A_POS, .max = 31,
          .help = N_("the followed service whose events were halted, e.g. intake")},
         {0}}},
    {.name = "audit.list",
     .flags = SM_OP_READ,
     .roles = SM_ROLE_ADMIN | SM_ROLE_AUDITOR,
     .summary = N_("the audit log: who did what, when, to which IDs, with what outcome"),
     .args = sm_audit_list_args},
    {0}};
