/*  services/intake/export.c - participant.export: the right of access.

    Everything samen holds about a person, as one document:

        {participant: "P12", exported_at: "...Z",
         services: {intake: {participant: {...}, accessed_by: [...], channel: {...},
                             advice_sent: [...]},
                    scheduling: {...}, reporting: {...}, finance: {...}}}

    Intake's part is read here; the others answer `participant.export`
    themselves. They are asked all at once, each on a DEALER socket of its
    own, and waited for together for at most export_timeout_ms (intake.h):
    the service's loop is blocked meanwhile and sends no heartbeats, so the
    wait must stay well inside the broker's heartbeat window, and asking
    one after the other would add up the waits of services that are down.
    A service that does not answer in time, is not running, or lacks the
    op appears as {"unavailable": "<code>: <reason>"}; the export as a
    whole still succeeds.

    The other services must not call intake while answering (intake is
    waiting for them and would answer only after the timeout).
*/
#include "advice.h"
#include "common/client.h"
#include "common/i18n.h"
#include "common/log.h"
#include "intake.h"
#include "organisation.h"
#include "participant.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define S_NPARTS 3

static const char *const s_others[S_NPARTS] = {"scheduling", "reporting", "finance"};

typedef struct {
    sm_client_t *client;
    sm_doc_t *reply;
    sm_err_t err;
    bool waiting;
} s_part_t;

static int64_t s_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*  Send the request to every other service, then wait for the replies
    until all are in or the time is up. Fills parts. Can't fail: what
    does not arrive is an error in its part. */
static void s_ask_all(intake_t *state, const char *pid, s_part_t *parts)
{
    sm_buf_t args, body;
    sm_buf_init(&args);
    sm_buf_init(&body);
    msgpack_pack_map(&args.pk, 1);
    sm_pack_kv_str(&args.pk, "participant", pid);
    sm_request_pack(&body, "participant.export", args.sbuf.data, args.sbuf.size, NULL);
    for (int i = 0; i < S_NPARTS; i++) {
        s_part_t *p = &parts[i];
        sm_err_clear(&p->err);
        p->client = sm_client_new(state->zctx, state->broker_ep, state->max_message, state->sec,
                                  &p->err);
        if (p->client && sm_client_send(p->client, s_others[i], body.sbuf.data, body.sbuf.size) == 0)
            p->waiting = true;
        else if (p->client)
            sm_err_set(&p->err, SM_E_UNAVAILABLE, NULL, _("the request could not be sent"));
    }
    sm_buf_free(&args);
    int64_t deadline = s_mono_ms() + state->export_timeout_ms;
    for (;;) {
        zmq_pollitem_t items[S_NPARTS];
        int map[S_NPARTS], n = 0;
        for (int i = 0; i < S_NPARTS; i++)
            if (parts[i].waiting) {
                items[n] = (zmq_pollitem_t){sm_client_socket(parts[i].client), 0, ZMQ_POLLIN, 0};
                map[n++] = i;
            }
        int64_t left = deadline - s_mono_ms();
        if (n == 0 || left <= 0)
            break;
        /*  Wake now and then to see whether a broker went. */
        if (zmq_poll(items, n, (long)(left < 100 ? left : 100)) < 0)
            break;
        for (int k = 0; k < n; k++) {
            s_part_t *p = &parts[map[k]];
            if (items[k].revents & ZMQ_POLLIN) {
                p->reply = sm_client_recv(p->client, &p->err);
                p->waiting = false;
            } else if (sm_client_lost(p->client) &&
                       (sm_client_reset(p->client) != 0 ||
                        sm_client_send(p->client, s_others[map[k]], body.sbuf.data,
                                       body.sbuf.size) != 0)) {
                /*  The broker went (common/client.h): the same request
                    went to the next one, unless it could not be sent. */
                sm_err_set(&p->err, SM_E_UNAVAILABLE, NULL, _("the request could not be sent"));
                p->waiting = false;
            }
        }
    }
    sm_buf_free(&body);
    for (int i = 0; i < S_NPARTS; i++) {
        if (parts[i].waiting)
            sm_err_set(&parts[i].err, SM_E_DEADLINE_EXCEEDED, NULL,
                       _("%s did not answer within %lld ms (is it running?)"), s_others[i],
                       (long long)state->export_timeout_ms);
        sm_client_destroy(&parts[i].client);
    }
}

/*  Pack one service's part: its data, or {"unavailable": reason}. */
static void s_pack_part(const char *service, const char *pid, s_part_t *p, msgpack_packer *pk)
{
    const msgpack_object *data = NULL;
    if (p->reply && sm_reply_check(p->reply, &data, &p->err) == 0) {
        if (data)
            sm_pack_obj(pk, data);
        else
            msgpack_pack_map(pk, 0);
        return;
    }
    char reason[640];
    snprintf(reason, sizeof reason, "%s: %s", p->err.code ? p->err.code : SM_E_UNAVAILABLE,
             p->err.message[0] ? p->err.message : "no answer");
    msgpack_pack_map(pk, 1);
    sm_pack_kv_str(pk, "unavailable", reason);
    sm_info("export part unavailable", "service=%s participant=%s code=%s", service, pid,
            p->err.code ? p->err.code : "-");
}

/*  Intake's own part into b. Returns 0 or -1 (ctx error). */
static int s_own_part(sm_ctx_t *ctx, const record_t *rec, sm_buf_t *b)
{
    char pid[24];
    msgpack_pack_map(&b->pk, 4);
    sm_pack_str(&b->pk, "participant");
    participant_pack_full(ctx, rec, sm_date_today().y, &b->pk);
    //  Who read or changed this person's data in intake (GDPR art. 15).
    sm_pack_str(&b->pk, "accessed_by");
    sm_ctx_audit_pack_for(ctx, &b->pk, sm_id_format('P', rec->id, pid), 100);
    sm_pack_str(&b->pk, "channel");
    organisation_t *o = malloc(sizeof *o);
    uint64_t oid = rec->p.channel[0] ? sm_id_parse(rec->p.channel, 'O', "channel", NULL) : 0;
    if (o && oid && organisation_load(ctx, oid, o) == 1) {
        msgpack_pack_map(&b->pk, 3);
        sm_pack_kv_str(&b->pk, "id", rec->p.channel);
        sm_pack_kv_str(&b->pk, "name", o->name);
        sm_pack_kv_str(&b->pk, "kind", o->kind);
    } else
        msgpack_pack_nil(&b->pk);
    free(o);
    sm_err_clear(sm_ctx_err(ctx));
    sm_pack_str(&b->pk, "advice_sent");
    return advice_pack_sent_by(ctx, rec->id, &b->pk);
}

/*  participant.export: see the top of this file. Returns 0, or -1 when
    intake's own part cannot be read (the others never fail it). */
int op_participant_export(sm_ctx_t *ctx, const msgpack_object *args)
{
    record_t *rec = calloc(1, sizeof *rec);
    if (!rec)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (participant_require(ctx, rec)) {
        free(rec);
        return -1;
    }
    char pid[24], ts[24];
    sm_id_format('P', rec->id, pid);
    //  Intake's part first, in its own buffer: a failure there must not
    //  leave half a reply.
    sm_buf_t own;
    sm_buf_init(&own);
    int rc = s_own_part(ctx, rec, &own);
    explicit_bzero(rec, sizeof *rec);
    free(rec);
    if (rc != 0) {
        explicit_bzero(own.sbuf.data, own.sbuf.size);
        sm_buf_free(&own);
        return -1;
    }
    s_part_t parts[S_NPARTS];
    memset(parts, 0, sizeof parts);
    s_ask_all(intake_of(ctx), pid, parts);
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "participant", pid);
    sm_pack_kv_str(pk, "exported_at", sm_datetime_format_utc(sm_ctx_now_ms(ctx), ts));
    sm_pack_str(pk, "services");
    msgpack_pack_map(pk, 1 + S_NPARTS);
    sm_pack_str(pk, "intake");
    sm_pack_raw(pk, own.sbuf.data, own.sbuf.size);
    explicit_bzero(own.sbuf.data, own.sbuf.size);
    sm_buf_free(&own);
    for (int i = 0; i < S_NPARTS; i++) {
        sm_pack_str(pk, s_others[i]);
        s_pack_part(s_others[i], pid, &parts[i], pk);
        sm_doc_destroy(&parts[i].reply);
    }
    return 0;
}
