/*  services/scheduling/settings.c - the scheduling section of samen.cfg.
    See settings.h. */
#include "settings.h"
#include "common/i18n.h"
#include "common/config_table.h"
#include "common/money.h"
#include "session_rules.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int settings_method_value(const char *text, const char *path, int64_t dflt, int64_t min,
                          int64_t max, int64_t *out, sm_err_t *err)
{
    if (!text || !*text) {
        *out = dflt;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    long long n = strtoll(text, &end, 10);
    if (errno || end == text || *end != '\0' || n < min || n > max ||
        (text[0] < '0' || text[0] > '9'))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, path,
                          _("setting %s is \"%.40s\"; give a whole number from %lld to %lld, or "
                            "\"\" for the general default"),
                          path, text, (long long)min, (long long)max);
    *out = n;
    return 0;
}

/*  Read the methods/CODE/... defaults of every method into s. Returns 0 or
    -1 with err. */
static int s_methods(sm_config_t *cfg, settings_t *s, sm_err_t *err)
{
    for (int m = 0; m < METHOD_COUNT; m++) {
        char cap[64], reimb[64];
        snprintf(cap, sizeof cap, "scheduling/methods/%s/capacity", method_code((method_t)m));
        snprintf(reimb, sizeof reimb, "scheduling/methods/%s/reimbursement_cents",
                 method_code((method_t)m));
        //  0 is a capacity here: no limit on places (a survey).
        if (settings_method_value(sm_cfg_str(cfg, cap), cap, s->default_capacity, 0,
                                  SESSION_CAPACITY_MAX, &s->method_capacity[m], err) != 0 ||
            settings_method_value(sm_cfg_str(cfg, reimb), reimb, s->default_reimbursement_cents,
                                  0, SM_MONEY_MAX, &s->method_reimbursement_cents[m], err) != 0)
            return -1;
    }
    return 0;
}

int settings_init(sm_service_t *svc, sm_err_t *err)
{
    settings_t *s = calloc(1, sizeof *s);
    if (!s)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    sm_config_t *cfg = sm_service_config(svc);
    if (sm_config_int(cfg, "scheduling/default_capacity", 12, SESSION_CAPACITY_MIN,
                      SESSION_CAPACITY_MAX, &s->default_capacity, err) != 0 ||
        sm_config_int(cfg, "scheduling/default_reimbursement_cents", 1500, 0, SM_MONEY_MAX,
                      &s->default_reimbursement_cents, err) != 0 ||
        sm_config_int(cfg, "scheduling/document_max_bytes", 512 * 1024, 4096,
                      64 * 1024 * 1024, &s->document_max_bytes, err) != 0 ||
        s_methods(cfg, s, err) != 0) {
        free(s);
        return -1;
    }
    sm_service_set_user(svc, s);
    return 0;
}

void settings_fini(sm_service_t *svc)
{
    free(sm_service_user(svc));
    sm_service_set_user(svc, NULL);
}

const settings_t *settings_of(sm_ctx_t *ctx)
{
    return sm_ctx_user(ctx);
}
