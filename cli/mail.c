/*  cli/mail.c - samenctl mail: e-mail to participants, sent by intake
    (services/intake/mail.h). The verbs, their flags and help come from
    intake's declarations (mail preview|send|list|show|retry|cancel); here
    is what a person reads back, and send's --dry-run and --file.

    send --dry-run asks intake's mail.preview: the same plan send would
    carry out (who, at which address, with which subject; who not and
    why) and the whole first message. Nothing is sent or stored. */
#include "cli.h"
#include "common/i18n.h"
#include "common/record.h"
#include "nouns.h"
#include <stdlib.h>
#include <string.h>

#define S_TEXT_MAX 20000

static const cli_col_t s_plan_cols[] = {{N_("PARTICIPANT"), "participant", 't'},
                                        {N_("NAME"), "name", 't'},
                                        {N_("TO"), "to", 't'},
                                        {N_("SEND"), "send", 't'},
                                        {N_("WHY NOT"), "reason", 't'},
                                        {N_("SUBJECT"), "subject", 't'}};

static const cli_col_t s_list_cols[] = {
    {N_("ID"), "id", 't'},           {N_("KIND"), "kind", 't'},
    {N_("STATE"), "state", 't'},     {N_("PARTICIPANT"), "participant", 't'},
    {N_("SESSION"), "session", 't'}, {N_("REPORT"), "report", 't'},
    {N_("ATTEMPTS"), "attempts", 't'}, {N_("QUEUED"), "queued", 't'},
    {N_("SENT"), "sent", 't'},       {N_("NEXT TRY"), "next_try", 't'},
    {N_("TO"), "to", 't'},           {N_("WHY NOT"), "reason", 't'}};

static const cli_col_t s_sent_cols[] = {{N_("PARTICIPANT"), "participant", 't'},
                                        {N_("MAIL"), "mail", 't'},
                                        {N_("STATE"), "state", 't'},
                                        {N_("WHY NOT"), "reason", 't'}};

static bool s_text(cli_t *cli)
{
    return !cli->format || strcmp(cli->format, "text") == 0;
}

/*  The plan: who gets what, then the whole messages shown. */
static void s_print_plan(cli_t *cli, const msgpack_object *data)
{
    char k[32], n[16], x[16];
    if (s_text(cli)) {
        printf(_("%1$s: %2$s to send, %3$s not; nothing is sent by this command\n"),
               cli_text(sm_map_get(data, "kind"), k, sizeof k),
               cli_text(sm_map_get(data, "sending"), n, sizeof n),
               cli_text(sm_map_get(data, "not_sending"), x, sizeof x));
        if (!sm_rec_bool(data, "mail_on", false))
            printf(_("mail is off: intake/mail/relay is not set\n"));
    }
    cli_table(cli, s_plan_cols, (int)(sizeof s_plan_cols / sizeof s_plan_cols[0]),
              sm_map_get(data, "recipients"));
    const msgpack_object *msgs = sm_map_get(data, "messages");
    if (!s_text(cli) || !msgs || msgs->type != MSGPACK_OBJECT_ARRAY)
        return;
    for (uint32_t i = 0; i < msgs->via.array.size; i++) {
        const msgpack_object *m = &msgs->via.array.ptr[i];
        const msgpack_object *h = sm_map_get(m, "headers"), *t = sm_map_get(m, "text");
        printf("\n");
        printf(_("---- the message to %s ----\n"),
               cli_text(sm_map_get(m, "participant"), k, sizeof k));
        //  The headers as the relay gets them (CRLF), shown with LF.
        if (h && h->type == MSGPACK_OBJECT_STR)
            for (uint32_t c = 0; c < h->via.str.size; c++)
                if (h->via.str.ptr[c] != '\r')
                    cli_put_safe(stdout, h->via.str.ptr + c, 1, true);
        printf("\n");
        if (t && t->type == MSGPACK_OBJECT_STR)
            cli_put_safe(stdout, t->via.str.ptr, t->via.str.size, true);
        const msgpack_object *a = sm_map_get(m, "attachment");
        if (a && a->type == MSGPACK_OBJECT_MAP) {
            char name[64];
            printf(_("[attachment %s, a calendar entry]\n"),
                   cli_text(sm_map_get(a, "name"), name, sizeof name));
        }
    }
}

static void s_print_sent(cli_t *cli, const msgpack_object *data)
{
    char k[32], q[16], n[16];
    if (s_text(cli))
        printf(_("%1$s: %2$s queued, %3$s not sent\n"),
               cli_text(sm_map_get(data, "kind"), k, sizeof k),
               cli_text(sm_map_get(data, "queued"), q, sizeof q),
               cli_text(sm_map_get(data, "not_sent"), n, sizeof n));
    cli_table(cli, s_sent_cols, (int)(sizeof s_sent_cols / sizeof s_sent_cols[0]),
              sm_map_get(data, "mails"));
}

static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_list_cols, (int)(sizeof s_list_cols / sizeof s_list_cols[0]),
              sm_map_get(data, "mails"));
    const msgpack_object *next = sm_map_get(data, "next");
    if (s_text(cli) && next && next->type == MSGPACK_OBJECT_STR) {
        char n[32];
        printf(_("more: add --after %s for the next page\n"), cli_text(next, n, sizeof n));
    }
}

/*  The fields, then the message itself (LF for CRLF). */
static void s_print_show(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *msg = sm_map_get(data, "message");
    msgpack_object copy = *data;
    msgpack_object_kv kv[32];
    uint32_t n = 0;
    for (uint32_t i = 0; i < data->via.map.size && n < 32; i++)
        if (!sm_obj_streq(&data->via.map.ptr[i].key, "message"))
            kv[n++] = data->via.map.ptr[i];
    copy.via.map.ptr = kv;
    copy.via.map.size = n;
    cli_fields(cli, &copy);
    if (s_text(cli) && msg && msg->type == MSGPACK_OBJECT_STR) {
        printf("\n");
        for (uint32_t i = 0; i < msg->via.str.size; i++)
            if (msg->via.str.ptr[i] != '\r')
                cli_put_safe(stdout, msg->via.str.ptr + i, 1, true);
    }
}

static void s_print_row(cli_t *cli, const msgpack_object *data)
{
    char id[24], st[24];
    (void)cli;
    printf("%s %s\n", cli_text(sm_map_get(data, "id"), id, sizeof id),
           cli_text(sm_map_get(data, "state"), st, sizeof st));
}

/*  Read --file (a newsletter's text). Returns it (caller frees), or NULL
    after saying why. */
static char *s_read(cli_t *cli, const char *path)
{
    FILE *f = strcmp(path, "-") != 0 ? fopen(path, "rb") : stdin;
    if (!f) {
        cli_usage_error(cli, _("cannot open --file %s"), path);
        return NULL;
    }
    char *buf = malloc(S_TEXT_MAX * 4 + 2);
    size_t n = buf ? fread(buf, 1, S_TEXT_MAX * 4 + 1, f) : 0;
    if (f != stdin)
        fclose(f);
    if (!buf || n > S_TEXT_MAX * 4) {
        free(buf);
        cli_usage_error(cli, _("--file %s is too long for a newsletter"), path);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/*  send: queue, or with --dry-run show what would go to whom (mail.preview).
    --file gives the newsletter's text. */
static int s_send(cli_t *cli)
{
    char *text = NULL;
    const char *file = cli_flag(cli, "file");
    if (file && cli_has(cli, "text"))
        return cli_usage_error(cli, _("give --text or --file, not both"));
    if (file) {
        if (!(text = s_read(cli, file)))
            return CLI_USAGE;
        if (cli_flag_add(cli, "text", text) != 0) {
            free(text);
            return cli_usage_error(cli, _("too many flags"));
        }
    }
    bool dry = cli_has(cli, "dry-run");
    const sm_opdecl_t *op = cli_decl(cli, dry ? "mail.preview" : "mail.send");
    int rc = op ? cli_call_op(cli, op, dry ? s_print_plan : s_print_sent)
                : cli_usage_error(cli, _("intake does not declare the mail ops"));
    free(text);
    return rc;
}

static const cli_opt_t s_send_opts[] = {
    {"dry-run", false, false}, {"file", true, false}, {NULL, false, false}};

static const cli_verb_t s_verbs[] = {
    {.verb = "preview",
     .print = s_print_plan,
     .example = "samenctl mail preview invitation --session S14 --invite-list --limit 12"},
    {.verb = "send",
     .fn = s_send,
     .opts = s_send_opts,
     .summary = N_("Queue one mail per participant of a kind: invitation (--to or "
                   "--invite-list), confirmation, waitlisted, promoted, cancellation, reminder "
                   "(by default to those registered, waitlisted or both), report (to those who "
                   "attended), newsletter (to those with its consent; --subject and --text or "
                   "--file). An invitation, reminder or report goes once per person unless "
                   "--again. --dry-run shows exactly what would go to whom and sends nothing."),
     .example = "samenctl mail send invitation --session S14 --to P7 --to P28 --reply-by "
                "2020-10-01 --dry-run"},
    {.verb = "list", .print = s_print_list, .example = "samenctl mail list --state failed"},
    {.verb = "show", .print = s_print_show, .example = "samenctl mail show M12"},
    {.verb = "retry", .print = s_print_row, .example = "samenctl mail retry M12"},
    {.verb = "cancel", .print = s_print_row, .example = "samenctl mail cancel M13"},
    {0}};

const cli_noun_t cli_noun_mail = {
    "mail", N_("e-mail to participants: preview, send, list, show, retry, cancel"), s_verbs};
