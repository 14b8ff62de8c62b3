/*  proto/errors.h - the error codes every reply may carry.

    A refused request is answered with
        {"ok": false, "error": {"code": CODE, "message": SENTENCE, "field": ARG}}
    where CODE is one of the strings below. See proto/PROTOCOL.md.
*/
#ifndef SAMEN_PROTO_ERRORS_H
#define SAMEN_PROTO_ERRORS_H

#define SM_E_INVALID_ARGUMENT "invalid_argument"
#define SM_E_NOT_FOUND "not_found"
#define SM_E_ALREADY_EXISTS "already_exists"
#define SM_E_CONFLICT "conflict"
#define SM_E_FAILED_PRECONDITION "failed_precondition"
#define SM_E_PERMISSION_DENIED "permission_denied"
#define SM_E_UNAUTHENTICATED "unauthenticated"
#define SM_E_RESOURCE_EXHAUSTED "resource_exhausted"
#define SM_E_UNAVAILABLE "unavailable"
#define SM_E_DEADLINE_EXCEEDED "deadline_exceeded"
#define SM_E_INTERNAL "internal"

#endif
