/*  cli/mail.c - samenctl mail preview|send|list|show|retry|cancel: e-mail
    to participants, sent by intake (services/intake/mail.h).

    send --dry-run and preview ask intake's mail.preview: the same plan
    send would carry out (who, at which address, with which subject, who
    not and why), and the whole message of the first recipient (preview
    --show N for more). Nothing is sent or stored. */
#include "cli.h"
#include "common/record.h"
#include "nouns.h"
#include <stdlib.h>
#include <string.h>

static const cli_col_t s_plan_cols[] = {{"PARTICIPANT", "participant", 't'},
                                        {"NAME", "name", 't'},
                                        {"TO", "to", 't'},
                                        {"SEND", "send", 't'},
                                        {"WHY NOT", "reason", 't'},
                                        {"SUBJECT", "subject", 't'}};

static const cli_col_t s_list_cols[] = {
    {"ID", "id", 't'},         {"KIND", "kind", 't'},        {"STATE", "state", 't'},
    {"PARTICIPANT", "participant", 't'}, {"SESSION", "session", 't'}, {"REPORT", "report", 't'},
    {"ATTEMPTS", "attempts", 't'}, {"QUEUED", "queued", 't'}, {"SENT", "sent", 't'},
    {"NEXT TRY", "next_try", 't'}, {"TO", "to", 't'},        {"WHY", "reason", 't'}};

static const cli_col_t s_sent_cols[] = {{"PARTICIPANT", "participant", 't'},
                                        {"MAIL", "mail", 't'},
                                        {"STATE", "state", 't'},
                                        {"WHY NOT", "reason", 't'}};

/*  The plan: who gets what, then the whole messages shown. */
static void s_print_plan(cli_t *cli, const msgpack_object *data)
{
    char k[32], n[16], x[16];
    const msgpack_object *rows = sm_map_get(data, "recipients");
    bool text = !cli->format || strcmp(cli->format, "text") == 0;
    if (text)
        printf("%s: %s to send, %s not (nothing is sent by this command)%s\n",
               cli_text(sm_map_get(data, "kind"), k, sizeof k),
               cli_text(sm_map_get(data, "sending"), n, sizeof n),
               cli_text(sm_map_get(data, "not_sending"), x, sizeof x),
               sm_rec_bool(data, "mail_on", false) ? "" : "; mail is off (no intake/mail/relay)");
    cli_table(cli, s_plan_cols, (int)(sizeof s_plan_cols / sizeof s_plan_cols[0]), rows);
    const msgpack_object *msgs = sm_map_get(data, "messages");
    if (!text || !msgs || msgs->type != MSGPACK_OBJECT_ARRAY)
        return;
    for (uint32_t i = 0; i < msgs->via.array.size; i++) {
        const msgpack_object *m = &msgs->via.array.ptr[i];
        char *headers = sm_rec_strdup(m, "headers"), *body = sm_rec_strdup(m, "text");
        printf("\n---- the message to %s ----\n", cli_text(sm_map_get(m, "participant"), k,
                                                      sizeof k));
        //  The headers as the relay gets them (CRLF), shown with LF.
        for (char *c = headers; c && *c; c++)
            if (*c != '\r')
                putchar(*c);
        printf("\n%s", body ? body : "");
        const msgpack_object *a = sm_map_get(m, "attachment");
        if (a && a->type == MSGPACK_OBJECT_MAP) {
            char name[64];
            printf("\n[attachment %s, text/calendar]\n",
                   cli_text(sm_map_get(a, "name"), name, sizeof name));
        }
        free(headers);
        free(body);
    }
}

static void s_print_sent(cli_t *cli, const msgpack_object *data)
{
    char k[32], q[16], n[16];
    if (!cli->format || strcmp(cli->format, "text") == 0)
        printf("%s: %s queued, %s not sent\n", cli_text(sm_map_get(data, "kind"), k, sizeof k),
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
    if ((!cli->format || strcmp(cli->format, "text") == 0) && next &&
        next->type == MSGPACK_OBJECT_STR) {
        char n[32];
        printf("more: add --after %s for the next page\n", cli_text(next, n, sizeof n));
    }
}

/*  The fields, then the message itself (LF for CRLF). */
static void s_print_show(cli_t *cli, const msgpack_object *data)
{
    //  cli_fields would print the message on one line: show it after.
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
    if (msg && msg->type == MSGPACK_OBJECT_STR) {
        printf("\n");
        for (uint32_t i = 0; i < msg->via.str.size; i++)
            if (msg->via.str.ptr[i] != '\r')
                putchar(msg->via.str.ptr[i]);
    }
}

static void s_print_row(cli_t *cli, const msgpack_object *data)
{
    char id[24], st[24];
    (void)cli;
    printf("%s %s\n", cli_text(sm_map_get(data, "id"), id, sizeof id),
           cli_text(sm_map_get(data, "state"), st, sizeof st));
}

/* ==== Verbs ================================================================ */

static const char *const s_plan_specs[] = {
    "session:session:s", "report:report:s",     "version:version:i",
    "to:participants:l", "invite-list:invite_list:b", "first-timers-first:first_timers_first:b",
    "limit:limit:i",     "reply-by:reply_by:s", "subject:subject:s",
    "text:text:s",       "again:again:b",       NULL};

/*  Read a whole file (--file) for the newsletter's text. Returns it (caller
    frees) or NULL after printing why. */
static char *s_read(cli_t *cli, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_usage_error(cli, "--file %s cannot be read", path);
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    if (buf)
        n = fread(buf, 1, cap, f);
    fclose(f);
    if (!buf || n == cap) {
        free(buf);
        cli_usage_error(cli, "--file %s is larger than 64 KiB", path);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/*  Pack the plan's flags (and --file), then call op. */
static int s_plan(cli_t *cli, const char *op, bool write, const char *show,
                  void (*print)(cli_t *, const msgpack_object *))
{
    const char *file = cli_flag(cli, "file");
    char *text = NULL;
    if (file && cli_has(cli, "text"))
        return cli_usage_error(cli, "give --text or --file, not both");
    if (file && !(text = s_read(cli, file)))
        return CLI_USAGE;
    const char *extra[] = {"kind", cli->pos[0], text ? "text" : NULL, text, NULL};
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, s_plan_specs, extra);
    //  cli_pack_flags packs a map; --show is an integer the preview adds.
    if (rc == 0 && show) {
        sm_buf_t more;
        sm_buf_init(&more);
        sm_doc_t *doc = sm_doc_parse(args.sbuf.data, args.sbuf.size, NULL);
        const msgpack_object *m = doc ? sm_doc_root(doc) : NULL;
        char *end = NULL;
        long nshow = strtol(show, &end, 10);
        if (!m || !end || *end || nshow < 1 || nshow > 20)
            rc = cli_usage_error(cli, "--show takes a number from 1 to 20");
        else {
            msgpack_pack_map(&more.pk, m->via.map.size + 1);
            for (uint32_t i = 0; i < m->via.map.size; i++) {
                sm_pack_obj(&more.pk, &m->via.map.ptr[i].key);
                sm_pack_obj(&more.pk, &m->via.map.ptr[i].val);
            }
            sm_pack_kv_int(&more.pk, "show", nshow);
            sm_buf_free(&args);
            args = more;
            sm_buf_init(&more);
        }
        sm_buf_free(&more);
        sm_doc_destroy(&doc);
    }
    if (rc == 0)
        rc = cli_run(cli, "intake", op, &args, write, print);
    sm_buf_free(&args);
    free(text);
    return rc;
}

static int s_preview(cli_t *cli)
{
    const char *show = cli_flag(cli, "show");
    return s_plan(cli, "mail.preview", false, show ? show : "1", s_print_plan);
}

static int s_send_verb(cli_t *cli)
{
    if (cli_has(cli, "dry-run"))
        return s_plan(cli, "mail.preview", false, "1", s_print_plan);
    return s_plan(cli, "mail.send", true, NULL, s_print_sent);
}

static int s_list(cli_t *cli)
{
    static const char *const specs[] = {"state:state:s",     "kind:kind:s",
                                        "participant:participant:s", "session:session:s",
                                        "report:report:s",   "after:after:s",
                                        "limit:limit:i",     NULL};
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, NULL);
    if (rc == 0)
        rc = cli_run(cli, "intake", "mail.list", &args, false, s_print_list);
    sm_buf_free(&args);
    return rc;
}

/*  An op on one mail (show, retry, cancel). */
static int s_one(cli_t *cli, const char *op, bool write,
                 void (*print)(cli_t *, const msgpack_object *))
{
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 1);
    sm_pack_kv_str(&args.pk, "mail", cli->pos[0]);
    int rc = cli_run(cli, "intake", op, &args, write, print);
    sm_buf_free(&args);
    return rc;
}

static int s_show(cli_t *cli)
{
    return s_one(cli, "mail.get", false, s_print_show);
}

static int s_retry(cli_t *cli)
{
    return s_one(cli, "mail.retry", true, s_print_row);
}

static int s_cancel(cli_t *cli)
{
    return s_one(cli, "mail.cancel", true, s_print_row);
}

#define PLAN_OPTS                                                                                  \
    {"session", true, false}, {"report", true, false}, {"version", true, false},                   \
        {"to", true, true}, {"invite-list", false, false}, {"first-timers-first", false, false},  \
        {"limit", true, false}, {"reply-by", true, false}, {"subject", true, false},               \
        {"text", true, false}, {"file", true, false}, {"again", false, false}

static const cli_opt_t s_preview_opts[] = {PLAN_OPTS, {"show", true, false}, {NULL, false, false}};
static const cli_opt_t s_send_opts[] = {PLAN_OPTS, {"dry-run", false, false}, {NULL, false, false}};
static const cli_opt_t s_list_opts[] = {
    {"state", true, false}, {"kind", true, false},  {"participant", true, false},
    {"session", true, false}, {"report", true, false}, {"after", true, false},
    {"limit", true, false}, {NULL, false, false}};

#define KINDS "invitation, confirmation, waitlisted, promoted, cancellation, reminder, report or newsletter"

static const cli_verb_t s_verbs[] = {
    {"preview", s_preview, s_preview_opts, 1, 1,
     "mail preview KIND [--session S] [--report R] [--to P]... [--invite-list] [--show N] ...",
     "Show what mail send would send, to whom (addresses, subjects, who not and why) and the "
     "whole first message (--show N: the first N). KIND: " KINDS ". Nothing is sent.",
     "samenctl mail preview invitation --session S14 --invite-list --limit 12"},
    {"send", s_send_verb, s_send_opts, 1, 1,
     "mail send KIND [--session S] [--report R] [--to P]... [--invite-list [--limit N] "
     "[--first-timers-first]] [--reply-by DATE] [--subject T --text T|--file F] [--again] "
     "[--dry-run]",
     "Queue one mail per participant (invitation: --to or --invite-list; confirmation, "
     "waitlisted, reminder, cancellation: those registered, waitlisted or both by default; "
     "report: those who attended; newsletter: those with the newsletter's consent, --subject "
     "and --text or --file). An invitation, reminder or report goes once per person unless "
     "--again. --dry-run shows exactly what would go to whom and sends nothing.",
     "samenctl mail send invitation --session S14 --to P7 --to P28 --reply-by 2020-10-01\n"
     "samenctl mail send newsletter --subject \"Nieuws, najaar\" --file nieuwsbrief.txt "
     "--dry-run"},
    {"list", s_list, s_list_opts, 0, 0,
     "mail list [--state S] [--kind K] [--participant P] [--session S] [--report R]",
     "Mails with their state: queued, sending, sent, retrying, failed, gave_up, cancelled, "
     "skipped. Addresses for the coordinator and admin only.",
     "samenctl mail list --state failed"},
    {"show", s_show, NULL, 1, 1, "mail show M",
     "One mail: state, attempts, the relay's answer, and the message as it was sent.",
     "samenctl mail show M12"},
    {"retry", s_retry, NULL, 1, 1, "mail retry M",
     "Try a failed, given-up, retrying or cancelled mail again now: the same message, the "
     "same Message-ID.",
     "samenctl mail retry M12"},
    {"cancel", s_cancel, NULL, 1, 1, "mail cancel M", "Cancel a mail that was not sent yet.",
     "samenctl mail cancel M12"},
    {NULL, NULL, NULL, 0, 0, NULL, NULL, NULL}};

const cli_noun_t cli_noun_mail = {"mail", "e-mail to participants: preview, send, list, retry",
                                  s_verbs};
