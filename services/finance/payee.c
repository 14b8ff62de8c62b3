/*  services/finance/payee.c - participants' bank accounts for reimbursements. */
#include "payee.h"
#include "../../common/log.h"
#include "iban.h"
#include "records.h"
#include "request_args.h"
#include <stdio.h>
#include <string.h>

#define DB "payees"
#define S_HOLDER_MAX PAYEE_HOLDER_MAX

/*  The stored IBAN of participant into iban (IBAN_SIZE bytes) and the
    holder into holder (S_HOLDER_MAX + 1 bytes, may be NULL). Returns 1,
    0 when none is on file, -1 on error. */
static int s_load(sm_ctx_t *ctx, uint64_t participant, char *iban, char *holder, char *set_on)
{
    sm_doc_t *doc = NULL;
    int rc = rec_get(ctx, DB, participant, &doc);
    if (rc <= 0)
        return rc;
    const msgpack_object *r = sm_doc_root(doc);
    rec_str(r, "iban", iban, IBAN_SIZE);
    if (holder)
        rec_str(r, "holder", holder, S_HOLDER_MAX + 1);
    if (set_on)
        rec_str(r, "set_on", set_on, 11);
    sm_doc_destroy(&doc);
    return 1;
}

int payee_load(sm_ctx_t *ctx, uint64_t participant, payee_t *out)
{
    memset(out, 0, sizeof *out);
    if (participant == 0)
        return 0;
    return s_load(ctx, participant, out->iban, out->holder, out->set_on);
}

int payee_mask(sm_ctx_t *ctx, uint64_t participant, char *mask)
{
    char iban[IBAN_SIZE];
    if (participant == 0)
        return 0;
    int rc = s_load(ctx, participant, iban, NULL, NULL);
    if (rc > 0)
        iban_mask(iban, mask);
    return rc;
}

/*  The reply: participant, masked IBAN, holder, date set. Never the IBAN. */
static void s_reply(sm_ctx_t *ctx, uint64_t participant, const char *iban, const char *holder,
                    const char *set_on)
{
    char pb[24], mask[IBAN_MASK_SIZE];
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 4);
    sm_pack_kv_str(pk, "participant", sm_id_format('P', participant, pb));
    sm_pack_kv_str(pk, "iban_mask", iban_mask(iban, mask));
    sm_pack_kv_str(pk, "holder", holder[0] ? holder : NULL);
    sm_pack_kv_str(pk, "set_on", set_on);
}

int op_payee_set(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"participant", "iban", "holder", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t participant;
    char text[80], iban[IBAN_SIZE], holder[S_HOLDER_MAX + 1] = "", d[11];
    if (sm_check_keys(args, keys, e) ||
        sm_get_id(args, "participant", 'P', true, &participant, e) < 0 ||
        fin_get_words(args, "holder", false, holder, sizeof holder, e) < 0)
        return -1;
    int erased = payee_erased(ctx, participant);
    if (erased < 0)
        return -1;
    if (erased)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "participant",
                           "participant P%llu was erased; no bank account is kept for them",
                           (unsigned long long)participant);
    /*  Not sm_get_str: its refusals may say how long the text was, and
        nothing about a bank account number goes back but what iban.h
        shows. */
    const msgpack_object *o = sm_map_get(args, "iban");
    if (!o || o->type != MSGPACK_OBJECT_STR)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "iban",
                           "field \"iban\" is required: the participant's IBAN, e.g. "
                           "NL91 ABNA 0417 1643 00");
    if (o->via.str.size >= sizeof text)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "iban",
                           "that is too long for an IBAN (at most 34 characters, spaces "
                           "aside); check the number");
    memcpy(text, o->via.str.ptr, o->via.str.size);
    text[o->via.str.size] = '\0';
    if (strlen(text) != o->via.str.size)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "iban",
                           "an IBAN holds letters, digits and spaces only");
    if (iban_validate(text, iban, e) != 0)
        return -1;
    sm_date_format(sm_date_today(), d);
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 3);
    sm_pack_kv_str(&b.pk, "iban", iban);
    sm_pack_kv_str(&b.pk, "holder", holder[0] ? holder : NULL);
    sm_pack_kv_str(&b.pk, "set_on", d);
    int rc = rec_put(ctx, DB, participant, &b);
    sm_buf_free(&b);
    if (rc)
        return -1;
    s_reply(ctx, participant, iban, holder, d);
    return 0;
}

int op_payee_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"participant", NULL};
    uint64_t participant;
    char iban[IBAN_SIZE], holder[S_HOLDER_MAX + 1], d[11];
    if (sm_check_keys(args, keys, sm_ctx_err(ctx)) ||
        sm_get_id(args, "participant", 'P', true, &participant, sm_ctx_err(ctx)) < 0)
        return -1;
    int rc = s_load(ctx, participant, iban, holder, d);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "participant",
                           "no bank account on file for P%llu; set one with payee set",
                           (unsigned long long)participant);
    s_reply(ctx, participant, iban, holder, d);
    return 0;
}

int op_payee_remove(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"participant", NULL};
    uint64_t participant;
    char iban[IBAN_SIZE], pb[24];
    if (sm_check_keys(args, keys, sm_ctx_err(ctx)) ||
        sm_get_id(args, "participant", 'P', true, &participant, sm_ctx_err(ctx)) < 0)
        return -1;
    int rc = s_load(ctx, participant, iban, NULL, NULL);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "participant", "no bank account on file for P%llu",
                           (unsigned long long)participant);
    uint8_t key[8];
    sm_key_u64(participant, key);
    if (sm_ctx_del(ctx, sm_ctx_dbi(ctx, DB), key, 8) < 0)
        return -1;
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 2);
    sm_pack_kv_str(pk, "participant", sm_id_format('P', participant, pb));
    sm_pack_kv_bool(pk, "removed", true);
    return 0;
}

int payee_erased(sm_ctx_t *ctx, uint64_t participant)
{
    uint8_t key[8];
    MDB_val v;
    sm_key_u64(participant, key);
    return sm_ctx_get(ctx, sm_ctx_dbi(ctx, "erased_participants"), key, 8, &v);
}

int on_intake_participant(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data)
{
    if (strcmp(type, "intake.participant.erased") != 0)
        return 0;
    uint64_t participant;
    if (sm_get_id(data, "id", 'P', true, &participant, sm_ctx_err(ctx)) < 0)
        return -1;
    uint8_t key[8];
    sm_key_u64(participant, key);
    /*  Remember the erasure (the bare ID only), so that a late retry of an
        old request cannot bring the person's bank account back. */
    if (sm_ctx_put(ctx, sm_ctx_dbi(ctx, "erased_participants"), key, 8, "", 0) < 0)
        return -1;
    MDB_val v;
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB), key, 8, &v);
    if (rc <= 0)
        return rc;
    if (sm_ctx_del(ctx, sm_ctx_dbi(ctx, DB), key, 8) < 0)
        return -1;
    sm_info("bank account destroyed on erasure", "participant=P%llu",
            (unsigned long long)participant);
    return 0;
}
