/*  services/reporting/allowlist.h - texts allowed in every report of this
    deployment.

    Publishing refuses a report until every possible piece of personal data
    that intake finds in it is allowed (report_rules.h). Some names are in
    report after report and are nobody's private data: the alderman
    (wethouder) who opens every session, the programme's own coordinator, a
    public venue that happens to be called like a person. Rather than
    allowing them at each publication (report publish --allow), a
    coordinator or admin allows them once for the deployment:

        allowlist.add {text, note}    allowlist.remove {text}    allowlist.list

    A text is compared as report_allow_key compares it (case and white space
    do not count). The list lives in reporting's store (database
    "allowlist": allow key -> {text, note, added_on}). Its texts are names:
    no event carries them and no log line quotes them.
*/
#ifndef SAMEN_REPORTING_ALLOWLIST_H
#define SAMEN_REPORTING_ALLOWLIST_H

#include "../../common/service.h"

#define ALLOWLIST_MAX 256      /*  entries in one deployment */
#define ALLOWLIST_TEXT_MAX 200 /*  bytes of one text (as report publish --allow) */
#define ALLOWLIST_NOTE_MAX 200 /*  bytes of the note saying why */

/*  The texts on the list, as stored (not folded). */
typedef struct {
    char **texts;
    size_t n;
} allowlist_t;

/*  Read the whole list in the context's transaction into *out (free it
    with allowlist_free). Returns 0, or -1 with the context's error set. */
int allowlist_load(sm_ctx_t *ctx, allowlist_t *out);

/*  Free what allowlist_load gave; *a is left empty. Safe twice. */
void allowlist_free(allowlist_t *a);

/*  The ops (proto/ops-reporting.md). Return 0 or -1 (context error). */
int op_allowlist_add(sm_ctx_t *ctx, const msgpack_object *args);
int op_allowlist_remove(sm_ctx_t *ctx, const msgpack_object *args);
int op_allowlist_list(sm_ctx_t *ctx, const msgpack_object *args);

#endif
