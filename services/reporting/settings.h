/*  services/reporting/settings.h - reporting's own settings from samen.cfg.

        reporting
            send_within_days = "28"      days after a session within which its
                                         report should reach the participants
                                         (1..366; "report due", reach feedback)
            pii_scan_timeout_ms = "2000" how long publishing waits for intake's
                                         pii.scan (each of two tries; 100..30000),
                                         at most a third of the broker's
                                         heartbeat_ms x heartbeat_liveness: the
                                         wait blocks the service's loop, and the
                                         broker must not give its workers up
            yardstick/count = "6"        how many principles the yardstick
                                         (meetlat) has, 1..10
            yardstick/N/nl, yardstick/N/en
                                         principle N in Dutch and English (one
                                         given alone serves both; neither: the
                                         slot's default, the quality manifesto's
                                         six; yardstick_rules.h)

    Read once at start (def->init) and kept as the service's user state.
*/
#ifndef SAMEN_REPORTING_SETTINGS_H
#define SAMEN_REPORTING_SETTINGS_H

#include "../../common/service.h"
#include "yardstick_rules.h"

typedef struct {
    int send_within_days;
    int pii_scan_timeout_ms;
    /*  The yardstick's checklist (yardstick_rules.h), from
        reporting/yardstick/count and /1..10/{nl,en}; its texts are copies
        in texts. */
    yardstick_list_t yardstick;
    char *texts[2 * YARDSTICK_MAX];
} reporting_settings_t;

/*  def->init: read the settings into a new reporting_settings_t set as the
    service's user state. Returns 0, or -1 with err naming the setting. */
int reporting_settings_init(sm_service_t *svc, sm_err_t *err);

/*  def->fini: free the settings. Safe when init failed. */
void reporting_settings_fini(sm_service_t *svc);

/*  The settings of the running service (never NULL once init succeeded). */
const reporting_settings_t *reporting_settings(sm_ctx_t *ctx);

#endif
