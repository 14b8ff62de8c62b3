/*  services/finance/payee.c - participants' bank accounts for reimbursements. */
#include "payee.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/record.h"
#include "iban.h"
#include <stdio.h>
#include <string.h>

#define DB "payees"

/*  The stored IBAN of participant into iban (IBAN_SIZE bytes) and the
    holder into holder (PAYEE_HOLDER_SIZE bytes, may be NULL). Returns 1,
    0 when none is on file, -1 on error. */
static int s_load(sm_ctx_t *ctx, uint64_t participant, char *iban, char *holder, char *set_on)
{
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB, participant, &doc);
    if (rc <= 0)
        return rc;
    const msgpack_object *r = sm_doc_root(doc);
    sm_rec_str(r, "iban", iban, IBAN_SIZE);
    if (holder)
        sm_rec_str(r, "holder", holder, PAYEE_HOLDER_SIZE);
    if (set_on)
        sm_rec_str(r, "set_on", set_on, 11);
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

/*  The reply: participant, masked IBAN, holder (NULL: nil), date set.
    Never the IBAN. */
static void s_reply(sm_ctx_t *ctx, uint64_t participant, const char *iban, const char *holder,
                    const char *set_on)
{
    char pb[24], mask[IBAN_MASK_SIZE];
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 4);
    sm_pack_kv_str(pk, "participant", sm_id_format('P', participant, pb));
    sm_pack_kv_str(pk, "iban_mask", iban_mask(iban, mask));
    sm_pack_kv_str(pk, "holder", holder && holder[0] ? holder : NULL);
    sm_pack_kv_str(pk, "set_on", set_on);
}

void payee_pack(msgpack_packer *pk, const payee_t *p, bool personal)
{
    char mask[IBAN_MASK_SIZE];
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "iban", personal ? p->iban : iban_mask(p->iban, mask));
    sm_pack_kv_str(pk, "holder", personal && p->holder[0] ? p->holder : NULL);
    sm_pack_kv_str(pk, "set_on", p->set_on);
    explicit_bzero(mask, sizeof mask);
}

int op_payee_set(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t participant = sm_arg_id(ctx, "participant");
    const char *holder = sm_arg_str(ctx, "holder");
    char iban[IBAN_SIZE], d[11];
    int erased = payee_erased(ctx, participant);
    if (erased < 0)
        return -1;
    if (erased)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "participant",
                           _("participant P%llu was erased; no bank account is kept for them"),
                           (unsigned long long)participant);
    /*  Nothing about the number goes back but what iban.h shows. */
    if (iban_validate(sm_arg_str(ctx, "iban"), iban, e) != 0)
        return -1;
    sm_date_format(sm_date_today(), d);
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 3);
    sm_pack_kv_str(&b.pk, "iban", iban);
    sm_pack_kv_str(&b.pk, "holder", holder && holder[0] ? holder : NULL);
    sm_pack_kv_str(&b.pk, "set_on", d);
    int rc = sm_rec_put(ctx, DB, participant, &b);
    sm_buf_free(&b);
    if (rc)
        return -1;
    s_reply(ctx, participant, iban, holder, d);
    return 0;
}

int op_payee_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    uint64_t participant = sm_arg_id(ctx, "participant");
    char iban[IBAN_SIZE], holder[PAYEE_HOLDER_SIZE], d[11];
    int rc = s_load(ctx, participant, iban, holder, d);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "participant",
                           _("no bank account on file for P%llu; set one with payee set"),
                           (unsigned long long)participant);
    /*  The holder's name is bank-account data: only for those who may see
        accounts (proto/ops_finance.c). */
    s_reply(ctx, participant, iban, sm_ctx_sees_personal(ctx) ? holder : NULL, d);
    explicit_bzero(iban, sizeof iban);
    explicit_bzero(holder, sizeof holder);
    return 0;
}

int op_payee_remove(sm_ctx_t *ctx, const msgpack_object *args)
{
    uint64_t participant = sm_arg_id(ctx, "participant");
    char iban[IBAN_SIZE], pb[24];
    int rc = s_load(ctx, participant, iban, NULL, NULL);
    explicit_bzero(iban, sizeof iban);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "participant",
                           _("no bank account on file for P%llu"), (unsigned long long)participant);
    if (sm_rec_del(ctx, DB, participant) < 0)
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
