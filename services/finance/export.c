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
    uint64_t pid = sm_arg_id(ctx, "participant");
    const char *id = sm_arg_str(ctx, "participant"); /*  canonical: "P12" */
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
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 8);
        sm_pack_kv_str(pk, "service", "finance");
        sm_pack_kv_str(pk, "participant", id);
        s_pack_array(pk, "entitlements", &ents, n_ents);
        sm_pack_str(pk, "payee");
        /*  The account in full only for those who may see bank accounts:
            intake gathers this part for a coordinator, who may not. */
        if (has_payee)
            payee_pack(pk, &payee, sm_ctx_sees_personal(ctx));
        else
            msgpack_pack_nil(pk);
        s_pack_array(pk, "grant_applications", &apps, n_apps);
        sm_pack_kv_bool(pk, "truncated", more_ents || more_apps);
        sm_pack_kv_str(pk, "note",
                       "finance keeps, by participant ID, the reimbursements (entitlements) "
                       "for sessions attended, the bank account given for them, and grant "
                       "applications made as the applicant; an erasure deletes the bank "
                       "account and cuts the link to applications, while the amounts stay "
                       "in the books");
        /*  Who looked at this person's data here (GDPR art. 15). */
        sm_pack_str(pk, "accessed_by");
        sm_ctx_audit_pack_for(ctx, pk, id, 100);
    }
    //  The account number is personal: leave no copy behind in memory.
    explicit_bzero(&payee, sizeof payee);
    sm_buf_free(&ents);
    sm_buf_free(&apps);
    return has_payee < 0 ? -1 : 0;
}
