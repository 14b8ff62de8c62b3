/*  services/intake/needs.c - a session's practical needs. See needs.h. */
#include "needs.h"
#include "common/client.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/record.h"
#include "intake.h"
#include "participant_index.h"
#include "record.h"
#include <stdlib.h>
#include <string.h>

void needs_count(needs_counts_t *c, unsigned needs, bool waitlisted)
{
    needs &= (1u << PARTICIPANT_NEED_COUNT) - 1;
    if (!needs)
        return;
    for (int i = 0; i < PARTICIPANT_NEED_COUNT; i++)
        if (needs & (1u << i)) {
            if (waitlisted)
                c->waitlisted[i]++;
            else
                c->registered[i]++;
        }
    if (waitlisted)
        c->people_waitlisted++;
    else
        c->people_registered++;
}

/*  Ask scheduling for the registrations of the session named by the
    "session" argument. Returns the reply (caller destroys) with *data
    pointing at its data, or NULL with the ctx error set: scheduling's own
    refusal (an unknown session is not_found) or unavailable. */
static sm_doc_t *s_registrations(sm_ctx_t *ctx, const msgpack_object **data)
{
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 1);
    sm_pack_kv_str(&args.pk, "session", sm_arg_str(ctx, "session"));
    sm_err_t err;
    sm_err_clear(&err);
    sm_doc_t *reply = sm_ctx_call(ctx, "scheduling", "registration.list", args.sbuf.data,
                                  args.sbuf.size, (int)intake_of(ctx)->export_timeout_ms, &err);
    sm_buf_free(&args);
    if (!reply) {
        sm_warn("registration.list failed", "code=%s", err.code ? err.code : "?");
        sm_ctx_fail(ctx, SM_E_UNAVAILABLE, NULL, "%s",
                    _("cannot list the session's needs: scheduling did not answer; try again"));
        return NULL;
    }
    if (sm_reply_check(reply, data, &err) != 0) {
        sm_doc_destroy(&reply);
        if (err.code && strcmp(err.code, SM_E_NOT_FOUND) == 0)
            sm_ctx_fail(ctx, SM_E_NOT_FOUND, "session", "%s", err.message);
        else
            sm_ctx_fail(ctx, SM_E_UNAVAILABLE, NULL,
                        _("cannot list the session's needs: scheduling refused (%s); try again"),
                        err.code ? err.code : "?");
        return NULL;
    }
    return reply;
}

/*  Pack the names of the need bits of mask as an array. */
static void s_pack_needs(msgpack_packer *pk, unsigned mask)
{
    mask &= (1u << PARTICIPANT_NEED_COUNT) - 1;
    msgpack_pack_array(pk, (size_t)__builtin_popcount(mask));
    for (int i = 0; i < PARTICIPANT_NEED_COUNT; i++)
        if (mask & (1u << i))
            sm_pack_str(pk, participant_need_name(i));
}

/*  participant.needs: see needs.h. Returns 0, or -1 with the ctx error. */
int op_participant_needs(sm_ctx_t *ctx, const msgpack_object *args)
{
    const msgpack_object *data = NULL, *list = NULL;
    sm_doc_t *reply = s_registrations(ctx, &data);
    if (!reply)
        return -1;
    bool personal = sm_ctx_sees_personal(ctx);
    needs_counts_t counts;
    memset(&counts, 0, sizeof counts);
    record_t *rec = calloc(1, sizeof *rec);
    sm_buf_t people, missing;
    sm_buf_init(&people);
    sm_buf_init(&missing);
    size_t n_people = 0, n_missing = 0;
    uint64_t registered = 0, waitlisted = 0;
    int rc = -1;
    if (!rec) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto done;
    }
    sm_get_array(data, "registrations", false, &list, NULL);
    for (uint32_t i = 0; list && i < list->via.array.size; i++) {
        const msgpack_object *row = &list->via.array.ptr[i];
        char status[16], id[24];
        sm_rec_str(row, "status", status, sizeof status);
        bool waiting = strcmp(status, "waitlisted") == 0;
        if (!waiting && strcmp(status, "registered") != 0)
            continue; //  cancelled
        registered += !waiting;
        waitlisted += waiting;
        uint64_t pid = sm_rec_id(row, "participant", 'P');
        int got = pid ? participant_load(ctx, pid, rec) : 0;
        if (got < 0)
            goto done;
        if (got == 0 || rec->erased) {
            sm_pack_str(&missing.pk, sm_id_format('P', pid, id));
            n_missing++;
            continue;
        }
        unsigned needs = rec->p.accessibility;
        needs_count(&counts, needs, waiting);
        if (!personal || !(needs & ((1u << PARTICIPANT_NEED_COUNT) - 1)))
            continue;
        //  Who needs what: the logistics list, for those who may see it.
        sm_id_format('P', pid, id);
        sm_ctx_audit_id(ctx, id);
        msgpack_pack_map(&people.pk, 5);
        sm_pack_kv_str(&people.pk, "participant", id);
        sm_pack_kv_str(&people.pk, "status", waiting ? "waitlisted" : "registered");
        sm_pack_kv_str(&people.pk, "name", rec->p.name[0] ? rec->p.name : NULL);
        sm_pack_kv_str(&people.pk, "phone", rec->p.phone[0] ? rec->p.phone : NULL);
        sm_pack_str(&people.pk, "needs");
        s_pack_needs(&people.pk, needs);
        n_people++;
    }
    char sid[24], st[16];
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 9);
    sm_pack_kv_str(pk, "session", sm_rec_str(data, "session", sid, sizeof sid));
    sm_pack_kv_str(pk, "session_status", sm_rec_str(data, "status", st, sizeof st));
    sm_pack_kv_uint(pk, "registered", registered);
    sm_pack_kv_uint(pk, "waitlisted", waitlisted);
    sm_pack_kv_uint(pk, "registered_with_needs", counts.people_registered);
    sm_pack_kv_uint(pk, "waitlisted_with_needs", counts.people_waitlisted);
    sm_pack_str(pk, "needs");
    msgpack_pack_array(pk, PARTICIPANT_NEED_COUNT);
    for (int i = 0; i < PARTICIPANT_NEED_COUNT; i++) {
        msgpack_pack_map(pk, 3);
        sm_pack_kv_str(pk, "need", participant_need_name(i));
        sm_pack_kv_uint(pk, "registered", counts.registered[i]);
        sm_pack_kv_uint(pk, "waitlisted", counts.waitlisted[i]);
    }
    sm_pack_str(pk, "people");
    if (personal) {
        msgpack_pack_array(pk, n_people);
        if (people.sbuf.size)
            sm_pack_raw(pk, people.sbuf.data, people.sbuf.size);
    } else
        msgpack_pack_nil(pk);
    sm_pack_str(pk, "not_in_file");
    msgpack_pack_array(pk, n_missing);
    if (missing.sbuf.size)
        sm_pack_raw(pk, missing.sbuf.data, missing.sbuf.size);
    rc = 0;
done:
    if (people.sbuf.size)
        explicit_bzero(people.sbuf.data, people.sbuf.size);
    sm_buf_free(&people);
    sm_buf_free(&missing);
    if (rec) {
        explicit_bzero(rec, sizeof *rec);
        free(rec);
    }
    sm_doc_destroy(&reply);
    return rc;
}
