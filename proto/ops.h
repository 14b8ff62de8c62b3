/*  proto/ops.h - the declarations of every op of every service.

    One file per service (proto/ops_<service>.c) declares its ops as data
    (common/op.h): the service binds them to its handlers, samenctl builds
    its plain verbs from them, and `make docs` writes proto/ops-<service>.md
    and the role matrix in PROTOCOL.md from them. This is the one place an
    op's arguments and roles are written down.
*/
#ifndef SAMEN_PROTO_OPS_H
#define SAMEN_PROTO_OPS_H

#include "common/op.h"

/*  Who may call what. Ops are declared with these sets so that the matrix
    reads as policy: people who run the programme (coordinator) write in
    intake, scheduling and reporting; finance people in finance; auditors
    read everywhere without personal fields; admins do everything. */
#define R_ADMIN SM_ROLE_ADMIN
#define R_COORD (SM_ROLE_ADMIN | SM_ROLE_COORDINATOR)
#define R_FIN (SM_ROLE_ADMIN | SM_ROLE_FINANCE)
/*  Reading the programme's data (no bank accounts; personal fields only
    for the personal set of the op). */
#define R_READ (SM_ROLE_ADMIN | SM_ROLE_COORDINATOR | SM_ROLE_FINANCE | SM_ROLE_AUDITOR)
/*  Every key samen knows. */
#define R_ANY (SM_ROLES_PEOPLE | SM_ROLES_SERVICES)

extern const sm_opdecl_t sm_ops_broker[];

/*  The owner and deputy of an item (common/owner.h), as the ops that set
    them take them: a person of the programme's own (W3), or "none". */
#define SM_ARGS_OWNERS                                                                        \
    {.name = "owner", .type = SM_T_STR, .max = 24,                                            \
     .help = N_("the person who answers for it (W3), or none")},                              \
    {.name = "deputy", .type = SM_T_STR, .max = 24,                                           \
     .help = N_("the person who stands in for the owner (W5), or none")}
/*  A list's filter on the owner. */
#define SM_ARG_OWNER_FILTER                                                                   \
    {.name = "owner", .type = SM_T_STR, .max = 24,                                            \
     .help = N_("only what this person owns (W3), or none: only what has no owner")}

extern const sm_opdecl_t sm_ops_intake[];
extern const sm_opdecl_t sm_ops_scheduling[];
extern const sm_opdecl_t sm_ops_reporting[];
extern const sm_opdecl_t sm_ops_finance[];

/*  audit.list's arguments, the same for every service and the broker. */
extern const sm_arg_t sm_audit_list_args[];

/*  Every service's declarations, terminated by service NULL. */
extern const sm_decls_t sm_decls_all[];

#endif
