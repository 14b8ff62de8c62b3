/*  common/roles.h - who may do what: the roles a key holds.

    Every person and every daemon has a CurveZMQ key whose certificate names
    its roles (docs/security.md). A set of roles travels as a bit set inside
    a process; on the wire and in certificates roles are words:

        admin        everything, including keys, backups and erasure
        coordinator  intake, scheduling and reporting, personal data included;
                     not bank accounts
        finance      finance, bank accounts included; intake without personal
                     fields
        auditor      read-only everywhere, no personal fields, the audit log
        subscriber   the event stream and events.read only
        service:NAME one per daemon: serve NAME, publish NAME's topics, call
                     what NAME needs of the others

    Which op needs which role is declared with the op (common/op.h); this
    module only names the roles and converts between words and bits.
*/
#ifndef SAMEN_ROLES_H
#define SAMEN_ROLES_H

#include <stdbool.h>
#include <stddef.h>

typedef unsigned sm_roles_t;

#define SM_ROLE_ADMIN (1u << 0)
#define SM_ROLE_COORDINATOR (1u << 1)
#define SM_ROLE_FINANCE (1u << 2)
#define SM_ROLE_AUDITOR (1u << 3)
#define SM_ROLE_SUBSCRIBER (1u << 4)
#define SM_ROLE_SVC_INTAKE (1u << 8)
#define SM_ROLE_SVC_SCHEDULING (1u << 9)
#define SM_ROLE_SVC_REPORTING (1u << 10)
#define SM_ROLE_SVC_FINANCE (1u << 11)
#define SM_ROLE_SVC_SITE (1u << 12)

/*  The people's roles, and the daemons'. */
#define SM_ROLES_PEOPLE                                                                        \
    (SM_ROLE_ADMIN | SM_ROLE_COORDINATOR | SM_ROLE_FINANCE | SM_ROLE_AUDITOR | SM_ROLE_SUBSCRIBER)
#define SM_ROLES_SERVICES                                                                      \
    (SM_ROLE_SVC_INTAKE | SM_ROLE_SVC_SCHEDULING | SM_ROLE_SVC_REPORTING | SM_ROLE_SVC_FINANCE | \
     SM_ROLE_SVC_SITE)

/*  The bit of one role word ("coordinator", "service:intake"), or 0 when
    the word is not a role. Can't fail. */
sm_roles_t sm_role_parse(const char *word);

/*  The word of one role bit, or NULL when bit is not exactly one known
    role. Can't fail. */
const char *sm_role_name(sm_roles_t bit);

/*  Parse a comma-separated list ("coordinator,auditor"; spaces around the
    words are ignored). Returns 0 with *out set, or -1 when a word is not a
    role or the list is empty; then bad (size bytes, may be NULL) holds the
    first offending word. */
int sm_roles_parse(const char *list, sm_roles_t *out, char *bad, size_t size);

/*  Write roles as a comma-separated list in a fixed order into buf.
    Returns buf ("" for no roles; truncated to size). Can't fail. */
char *sm_roles_format(sm_roles_t roles, char *buf, size_t size);

/*  The role of the daemon that serves service ("intake" ->
    SM_ROLE_SVC_INTAKE), or 0 for a name that is not one of samen's. */
sm_roles_t sm_role_of_service(const char *service);

/*  Every known role, in the fixed order used for lists and tables;
    terminated by 0. */
extern const sm_roles_t sm_roles_all[];

#endif
