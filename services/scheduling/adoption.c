/*  services/scheduling/adoption.c - the adoption of a year's agenda. See
    adoption.h. */
#include "adoption.h"
#include "common/i18n.h"
#include "common/record.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== The rule ============================================================ */

int adoption_check(const adoption_t *a, int year, const adoption_t *earlier, size_t n,
                   sm_date_t today, sm_err_t *err)
{
    char d[12], t[12];
    if (sm_date_cmp(a->adopted_on, today) > 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          _("the adoption date %1$s is after today (%2$s); give the day the "
                            "agenda was adopted"),
                          sm_date_format(a->adopted_on, d), sm_date_format(today, t));
    //  An agenda is adopted in the autumn before its year, or during it.
    if (a->adopted_on.y < year - 1 || a->adopted_on.y > year)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          _("the adoption date %1$s is not in %2$d or %3$d; an agenda for %3$d is "
                            "adopted the year before or during it (check the year)"),
                          sm_date_format(a->adopted_on, d), year - 1, year);
    for (size_t i = 0; i < n; i++)
        if (sm_date_cmp(earlier[i].adopted_on, a->adopted_on) == 0 &&
            strcmp(earlier[i].body, a->body) == 0 &&
            strcmp(earlier[i].decision, a->decision) == 0)
            return sm_err_set(err, SM_E_ALREADY_EXISTS, "decision",
                              _("this adoption of the %d agenda (the same body, date and "
                                "decision) is already recorded"),
                              year);
    if (n >= ADOPTIONS_MAX)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, "year",
                          _("the %1$d agenda already has %2$d adoptions recorded; no more can be "
                            "added"),
                          year, ADOPTIONS_MAX);
    return 0;
}

/* ==== The store =========================================================== */

long adoption_load(sm_ctx_t *ctx, int year, adoption_t *out)
{
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB_AGENDA_ADOPTIONS, (uint64_t)year, &doc);
    if (rc <= 0)
        return rc;
    const msgpack_object *list = sm_map_get(sm_doc_root(doc), "adoptions");
    long n = 0;
    for (uint32_t i = 0; list && list->type == MSGPACK_OBJECT_ARRAY && i < list->via.array.size &&
                         n < ADOPTIONS_MAX;
         i++) {
        const msgpack_object *o = &list->via.array.ptr[i];
        adoption_t *a = &out[n];
        memset(a, 0, sizeof *a);
        sm_rec_str(o, "body", a->body, sizeof a->body);
        sm_rec_str(o, "decision", a->decision, sizeof a->decision);
        a->recorded_ms = sm_rec_int(o, "recorded_ms", 0);
        if (sm_rec_date(o, "adopted_on", &a->adopted_on))
            n++;
    }
    sm_doc_destroy(&doc);
    return n;
}

/*  Store the n adoptions of year. Returns 0 or -1 (ctx error). */
static int s_store(sm_ctx_t *ctx, int year, const adoption_t *list, size_t n)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 2);
    sm_pack_kv_int(&b.pk, "year", year);
    sm_pack_str(&b.pk, "adoptions");
    msgpack_pack_array(&b.pk, n);
    for (size_t i = 0; i < n; i++) {
        msgpack_pack_map(&b.pk, 4);
        sm_pack_kv_str(&b.pk, "body", list[i].body);
        sm_rec_pack_date(&b.pk, "adopted_on", true, list[i].adopted_on);
        sm_pack_kv_str(&b.pk, "decision", list[i].decision);
        sm_pack_kv_int(&b.pk, "recorded_ms", list[i].recorded_ms);
    }
    int rc = sm_rec_put(ctx, DB_AGENDA_ADOPTIONS, (uint64_t)year, &b);
    sm_buf_free(&b);
    return rc;
}

/*  Pack one adoption as replies carry it. */
static void s_pack_one(msgpack_packer *pk, const adoption_t *a)
{
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "body", a->body);
    sm_rec_pack_date(pk, "adopted_on", true, a->adopted_on);
    sm_pack_kv_str(pk, "decision", a->decision);
}

int adoption_pack_year(sm_ctx_t *ctx, msgpack_packer *pk, int year)
{
    adoption_t *list = calloc(ADOPTIONS_MAX, sizeof *list);
    if (!list)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    long n = adoption_load(ctx, year, list);
    if (n >= 0) {
        sm_pack_str(pk, "adoptions");
        msgpack_pack_array(pk, (size_t)n);
        for (long i = 0; i < n; i++)
            s_pack_one(pk, &list[i]);
    }
    free(list);
    return n < 0 ? -1 : 0;
}

/* ==== agenda.adopt ======================================================== */

/*  agenda.adopt: record the adoption, announce it, reply with the year's
    adoptions. Returns 0, or -1 with the ctx error naming the field. */
int op_agenda_adopt(sm_ctx_t *ctx, const msgpack_object *args)
{
    int year = (int)sm_arg_int(ctx, "year", 0);
    adoption_t *list = calloc(ADOPTIONS_MAX + 1, sizeof *list);
    int rc = -1;
    if (!list)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    long n = adoption_load(ctx, year, list);
    if (n < 0)
        goto done;
    adoption_t *a = &list[n];
    snprintf(a->body, sizeof a->body, "%s", sm_arg_str(ctx, "body"));
    snprintf(a->decision, sizeof a->decision, "%s", sm_arg_str(ctx, "decision"));
    sm_arg_date(ctx, "date", &a->adopted_on);
    a->recorded_ms = sm_ctx_now_ms(ctx);
    if (adoption_check(a, year, list, (size_t)n, sm_date_today(), sm_ctx_err(ctx)) != 0 ||
        s_store(ctx, year, list, (size_t)n + 1) != 0)
        goto done;
    msgpack_packer *ev = sm_ctx_event_begin(ctx, "scheduling.agenda.adopted");
    msgpack_pack_map(ev, 4);
    sm_pack_kv_int(ev, "year", year);
    sm_pack_kv_str(ev, "body", a->body);
    sm_rec_pack_date(ev, "adopted_on", true, a->adopted_on);
    sm_pack_kv_str(ev, "decision", a->decision);
    if (sm_ctx_event_end(ctx) != 0)
        goto done;
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 2);
    sm_pack_kv_int(pk, "year", year);
    sm_pack_str(pk, "adoptions");
    msgpack_pack_array(pk, (size_t)n + 1);
    for (long i = 0; i <= n; i++)
        s_pack_one(pk, &list[i]);
    rc = 0;
done:
    free(list);
    return rc;
}
