/*  services/intake/participant.h - the address file (adresbestand): people
    willing to take part.

    Ops:
        participant.register  add a person (consent required); an e-mail
                              address or phone number already in the file is
                              refused with already_exists naming the holder,
                              unless force is true
        participant.update    change some fields (the others stay)
        participant.get       the whole record, personal fields included
        participant.find      by target group, label, municipality, theme,
                              consent, channel, status, e-mail, phone and part
                              of the name; paged (limit, after)
        participant.withdraw  consent withdrawn: status withdrawn, out of
                              invitations (scheduling follows the event)
        participant.erase     right to be forgotten: the personal fields are
                              destroyed in the store, the ID and coarse
                              attributes stay for statistics; erasing twice
                              is fine
        participant.export    right of access: everything samen holds about
                              the person, from all four services
        newsletter.unsubscribe  the newsletter's consent withdrawn by the
                              token of the link in every newsletter

    Events (PROTOCOL.md §3; never a name, e-mail, phone, postal code or
    free text):
        intake.participant.registered / .updated {id, status, municipality,
            target_groups, labels, themes, age_band, channel, consent}
        intake.participant.consent_withdrawn {id}   (then .updated)
        intake.participant.erased {id}

    Replies to writes carry the event view only: the framework keeps write
    replies for retried request IDs (24 h), and an erased person's name
    must not survive there.
*/
#ifndef SAMEN_INTAKE_PARTICIPANT_H
#define SAMEN_INTAKE_PARTICIPANT_H

#include "common/service.h"
#include "record.h"

int op_participant_register(sm_ctx_t *ctx, const msgpack_object *args);
int op_participant_update(sm_ctx_t *ctx, const msgpack_object *args);
int op_participant_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_participant_find(sm_ctx_t *ctx, const msgpack_object *args);
int op_participant_withdraw(sm_ctx_t *ctx, const msgpack_object *args);
int op_participant_erase(sm_ctx_t *ctx, const msgpack_object *args);
int op_participant_export(sm_ctx_t *ctx, const msgpack_object *args); /*  export.c */
int op_newsletter_unsubscribe(sm_ctx_t *ctx, const msgpack_object *args);

/*  Load the participant named by args["participant"], or refuse
    (invalid_argument for a bad ID, not_found for an unknown one). Returns
    0, or -1 with the ctx error set. */
int participant_require(sm_ctx_t *ctx, record_t *rec);

/*  Pack the full view of rec (personal fields included) with the names of
    its municipality and channel, for reference year year. Can't fail. */
void participant_pack_full(sm_ctx_t *ctx, const record_t *rec, int year, msgpack_packer *pk);

/*  Normalise a label as the participant rules do ("Foster parent" ->
    "foster_parent"). Returns the label's bit index, or -1 when unknown. */
int participant_label_index(const char *text);

#endif
