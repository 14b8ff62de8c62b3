/*  services/finance/export.c - participant.export: what finance holds about
    one person. See export.h. */
#include "export.h"
#include "entitlement.h"
#include "grant_application.h"
#include "payee.h"
#include <string.h>

/*  Pack key with the n objects encoded back to back in b. */
static void s_pack_array(msgpack_packer *pk, const char *key, const sm_buf_t *b, long n)
{
    sm_pack_str(pk, key);
    msgpack_pack_array(pk, (size_t)n);
    if (b->sbuf.size)
        sm_pack_raw(pk, b->sbuf.data, b->sbuf.size);
}

int op_participant_export(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"participant", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t pid = 0;
    if (sm_check_keys(args, keys, e) || sm_get_id(args, "participant", 'P', true, &pid, e) < 0)
        return -1;
    sm_buf_t ents, apps;
    sm_buf_init(&ents);
    sm_buf_init(&apps);
    bool more_ents = false, more_apps = false;
    payee_t payee;
    long n_ents = entitlement_pack_of(ctx, pid, FIN_EXPORT_ROWS_MAX, &ents, &more_ents);
    long n_apps =
        n_ents < 0 ? -1 : grant_pack_by_applicant(ctx, pid, FIN_EXPORT_ROWS_MAX, &apps, &more_apps);
    int has_payee = n_apps < 0 ? -1 : payee_load(ctx, pid, &payee);
    if (has_payee >= 0) {
        char id[24];
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 7);
        sm_pack_kv_str(pk, "service", "finance");
        sm_pack_kv_str(pk, "participant", sm_id_format('P', pid, id));
        s_pack_array(pk, "entitlements", &ents, n_ents);
        sm_pack_str(pk, "payee");
        if (has_payee) {
            msgpack_pack_map(pk, 3);
            sm_pack_kv_str(pk, "iban", payee.iban);
            sm_pack_kv_str(pk, "holder", payee.holder[0] ? payee.holder : NULL);
            sm_pack_kv_str(pk, "set_on", payee.set_on);
        } else
            msgpack_pack_nil(pk);
        s_pack_array(pk, "grant_applications", &apps, n_apps);
        sm_pack_kv_bool(pk, "truncated", more_ents || more_apps);
        sm_pack_kv_str(pk, "note",
                       "finance keeps, by participant ID, the reimbursements (entitlements) "
                       "for sessions attended, the bank account given for them, and grant "
                       "applications made as the applicant; an erasure deletes the bank "
                       "account and cuts the link to applications, while the amounts stay "
                       "in the books");
    }
    //  The account number is personal: leave no copy behind in memory.
    explicit_bzero(&payee, sizeof payee);
    sm_buf_free(&ents);
    sm_buf_free(&apps);
    return has_payee < 0 ? -1 : 0;
}
