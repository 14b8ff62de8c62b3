/*  services/intake/mail_fetch.c - asking without waiting. See mail_fetch.h. */
#include "mail_fetch.h"
#include "common/client.h"
#include "common/date.h"
#include "common/i18n.h"
#include "mail.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define S_ENTRIES 128
#define S_SERVICES 2

typedef enum { S_FREE, S_WANTED, S_INFLIGHT, S_READY, S_FAILED } s_state_t;

typedef struct {
    s_state_t state;
    char service[16], op[32], argname[16], id[24];
    int version;
    int64_t at;    /*  monotonic ms: asked, answered or failed */
    sm_doc_t *doc; /*  S_READY: the reply */
    const msgpack_object *data;
    sm_err_t err;  /*  S_FAILED */
} s_entry_t;

typedef struct {
    const char *name;
    sm_client_t *client;
    int inflight; /*  index of the entry in flight, or -1 */
} s_service_t;

struct _mail_fetch_t {
    s_entry_t e[S_ENTRIES];
    s_service_t svc[S_SERVICES];
};

static int64_t s_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

mail_fetch_t *mail_fetch_new(void *zctx, const char *broker_ep, int64_t max_message,
                             const sm_security_t *sec, sm_err_t *err)
{
    static const char *const names[S_SERVICES] = {"scheduling", "reporting"};
    mail_fetch_t *self = calloc(1, sizeof *self);
    if (!self) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        return NULL;
    }
    for (int i = 0; i < S_SERVICES; i++) {
        self->svc[i].name = names[i];
        self->svc[i].inflight = -1;
        if (!(self->svc[i].client = sm_client_new(zctx, broker_ep, max_message, sec, err))) {
            mail_fetch_destroy(&self);
            return NULL;
        }
    }
    return self;
}

/*  Forget an entry. */
static void s_clear(s_entry_t *e)
{
    sm_doc_destroy(&e->doc);
    memset(e, 0, sizeof *e);
}

void mail_fetch_destroy(mail_fetch_t **self_p)
{
    mail_fetch_t *self = *self_p;
    if (!self)
        return;
    for (int i = 0; i < S_ENTRIES; i++)
        s_clear(&self->e[i]);
    for (int i = 0; i < S_SERVICES; i++)
        sm_client_destroy(&self->svc[i].client);
    free(self);
    *self_p = NULL;
}

static s_service_t *s_service(mail_fetch_t *self, const char *name)
{
    for (int i = 0; i < S_SERVICES; i++)
        if (strcmp(self->svc[i].name, name) == 0)
            return &self->svc[i];
    return NULL;
}

/*  Send entry i's request on its service's socket. */
static void s_send(mail_fetch_t *self, s_service_t *s, int i)
{
    s_entry_t *e = &self->e[i];
    sm_buf_t args, body;
    sm_buf_init(&args);
    sm_buf_init(&body);
    msgpack_pack_map(&args.pk, e->version ? 2 : 1);
    sm_pack_kv_str(&args.pk, e->argname, e->id);
    if (e->version)
        sm_pack_kv_int(&args.pk, "version", e->version);
    sm_request_pack(&body, e->op, args.sbuf.data, args.sbuf.size, NULL);
    e->at = s_mono_ms();
    if (sm_client_send(s->client, s->name, body.sbuf.data, body.sbuf.size) == 0) {
        e->state = S_INFLIGHT;
        s->inflight = i;
    } else {
        e->state = S_FAILED;
        sm_err_set(&e->err, SM_E_UNAVAILABLE, NULL, _("the request to %s could not be sent"),
                   s->name);
    }
    sm_buf_free(&args);
    sm_buf_free(&body);
}

void mail_fetch_poll(mail_fetch_t *self)
{
    int64_t now = s_mono_ms();
    for (int k = 0; k < S_SERVICES; k++) {
        s_service_t *s = &self->svc[k];
        if (s->inflight >= 0) {
            s_entry_t *e = &self->e[s->inflight];
            zmq_pollitem_t item = {sm_client_socket(s->client), 0, ZMQ_POLLIN, 0};
            if (zmq_poll(&item, 1, 0) > 0 && (item.revents & ZMQ_POLLIN)) {
                sm_err_clear(&e->err);
                e->doc = sm_client_recv(s->client, &e->err);
                e->at = now;
                if (e->doc && sm_reply_check(e->doc, &e->data, &e->err) == 0 && e->data)
                    e->state = S_READY;
                else {
                    if (!e->err.code)
                        sm_err_set(&e->err, SM_E_INTERNAL, NULL, _("%s answered nothing"), s->name);
                    sm_doc_destroy(&e->doc);
                    e->state = S_FAILED;
                }
                s->inflight = -1;
            } else if (now - e->at <= MAIL_FETCH_TIMEOUT_MS && sm_client_lost(s->client)) {
                /*  The broker went (common/client.h): the same request
                    through the next one, within the same time limit. */
                int64_t at = e->at;
                sm_client_reset(s->client);
                s_send(self, s, s->inflight);
                e->at = at;
            } else if (now - e->at > MAIL_FETCH_TIMEOUT_MS) {
                sm_err_set(&e->err, SM_E_DEADLINE_EXCEEDED, NULL,
                           _("%s did not answer %s within %d ms (is it running?)"), s->name, e->op,
                           MAIL_FETCH_TIMEOUT_MS);
                e->state = S_FAILED;
                e->at = now;
                s->inflight = -1;
                sm_client_reset(s->client);
            }
        }
    }
    for (int i = 0; i < S_ENTRIES; i++) {
        s_entry_t *e = &self->e[i];
        if ((e->state == S_READY && now - e->at > MAIL_FETCH_FRESH_MS) ||
            (e->state == S_FAILED && now - e->at > MAIL_FETCH_RETRY_MS))
            s_clear(e);
        else if (e->state == S_WANTED) {
            s_service_t *s = s_service(self, e->service);
            if (s && s->inflight < 0)
                s_send(self, s, i);
        }
    }
}

int mail_fetch_get(void *arg, const char *service, const char *op, const char *argname,
                   const char *id, int version, const msgpack_object **data, sm_err_t *err)
{
    mail_fetch_t *self = arg;
    int free_slot = -1, oldest = -1;
    for (int i = 0; i < S_ENTRIES; i++) {
        s_entry_t *e = &self->e[i];
        if (e->state == S_FREE) {
            if (free_slot < 0)
                free_slot = i;
            continue;
        }
        if (strcmp(e->service, service) || strcmp(e->op, op) || strcmp(e->argname, argname) ||
            strcmp(e->id, id) || e->version != version) {
            if (e->state == S_READY && (oldest < 0 || e->at < self->e[oldest].at))
                oldest = i;
            continue;
        }
        if (e->state == S_READY) {
            *data = e->data;
            return 1;
        }
        if (e->state == S_FAILED) {
            if (err)
                *err = e->err;
            return -1;
        }
        return 0;
    }
    s_service_t *s = s_service(self, service);
    if (!s)
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("no way to ask %s"), service);
    if (free_slot < 0) {
        if (oldest < 0)
            return 0; /*  everything in flight or wanted: ask on a later tick */
        s_clear(&self->e[oldest]);
        free_slot = oldest;
    }
    s_entry_t *e = &self->e[free_slot];
    e->state = S_WANTED;
    snprintf(e->service, sizeof e->service, "%s", service);
    snprintf(e->op, sizeof e->op, "%s", op);
    snprintf(e->argname, sizeof e->argname, "%s", argname);
    snprintf(e->id, sizeof e->id, "%s", id);
    e->version = version;
    e->at = s_mono_ms();
    if (s->inflight < 0)
        s_send(self, s, free_slot);
    return 0;
}
