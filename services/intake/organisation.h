/*  services/intake/organisation.h - organisations: where participants are
    recruited (vindplaatsgericht werven) and who sends advice.

    An organisation (O3) is a client organisation, an advisory council
    (adviesraad), a care provider, a school, an association, a municipal
    department or something else; it has a name, a contact person (name,
    e-mail, phone: personal data of that person, never in events) and
    optionally the municipality it works in. Participants name an
    organisation as their recruitment channel; organisation.get counts
    them and `participant.find {channel}` lists them.

    The same name twice in the same municipality is refused
    (already_exists, naming the existing ID).

    Ops:    organisation.add, organisation.update, organisation.get,
            organisation.list
    Events: intake.organisation.added {id, kind, municipality}
*/
#ifndef SAMEN_INTAKE_ORGANISATION_H
#define SAMEN_INTAKE_ORGANISATION_H

#include "common/service.h"
#include "validate.h"
#include <stdbool.h>
#include <stdint.h>

#define ORGANISATION_NAME_MAX_CHARS 200
#define ORGANISATION_NAME_SIZE (ORGANISATION_NAME_MAX_CHARS * 4 + 1)
#define ORGANISATION_KIND_SIZE 24

typedef struct {
    uint64_t id;
    char name[ORGANISATION_NAME_SIZE];
    char kind[ORGANISATION_KIND_SIZE];
    char contact[PARTICIPANT_NAME_SIZE];
    char contact_email[PARTICIPANT_EMAIL_SIZE];
    char contact_phone[PARTICIPANT_PHONE_SIZE];
    char municipality[8]; /*  statistics-office code, "" = none */
    int64_t created_ms, updated_ms;
} organisation_t;

/*  Check a kind: client_organisation, advisory_council, care_provider,
    school, association, municipality or other (case, '-' and ' ' for '_'
    forgiven). Writes the canonical word to out (ORGANISATION_KIND_SIZE).
    Returns 0, or -1 with err naming field and listing the kinds. */
int organisation_kind_parse(const char *text, const char *field, char *out, sm_err_t *err);

/*  Load organisation id. Returns 1 found, 0 unknown, -1 with the ctx error set. */
int organisation_load(sm_ctx_t *ctx, uint64_t id, organisation_t *out);

/*  Check that text names a known organisation ("O3") for field; writes
    the canonical ID to id_out (24 bytes) and the record to out (may be
    NULL). Returns 0, or -1 with the ctx error set (invalid_argument naming
    field: not an ID, or unknown). */
int organisation_require(sm_ctx_t *ctx, const char *text, const char *field, char *id_out,
                         organisation_t *out);

int op_organisation_add(sm_ctx_t *ctx, const msgpack_object *args);
int op_organisation_update(sm_ctx_t *ctx, const msgpack_object *args);
int op_organisation_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_organisation_list(sm_ctx_t *ctx, const msgpack_object *args);

#endif
