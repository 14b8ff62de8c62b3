/*  cli/declared.c - samenctl's plain verbs, made from the op declarations.

    Every op declared with `.cli = "noun verb"` (proto/ops_*.c) is a verb of
    samenctl, the way Redis's COMMAND DOCS drive its CLI's hints: the flags
    are the op's argument names (as_of -> --as-of, or the argument's
    `.flag`; money named x_cents -> --x), positional arguments are those
    marked SM_A_POS in declaration order, the help is the op's summary and
    each argument's help, and every value is parsed by one parser per type
    (cli/parse.c) and checked against the declaration before anything is
    sent, so that bad input is a usage error (exit 2) naming the flag.

    The noun files (cli/participant.c, ...) add only what a person reads:
    a printer for the reply, an example, a check of the CLI's own (--yes);
    a verb they do not list is still there, printed by cli_print_auto.
*/
#include "cli.h"
#include "nouns.h"
#include "common/money.h"
#include "proto/ops.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/*  The hand-written nouns, in the order `samenctl help` lists them. */
static const cli_noun_t *const s_hand[] = {
    /*  operations */
    &cli_noun_status, &cli_noun_top, &cli_noun_events, &cli_noun_call, &cli_noun_backup,
    &cli_noun_follow, &cli_noun_audit, &cli_noun_key,
    /*  intake: who takes part */
    &cli_noun_participant, &cli_noun_organisation, &cli_noun_advice, &cli_noun_person,
    &cli_noun_mail,
    /*  scheduling: what happens when, who comes */
    &cli_noun_theme, &cli_noun_agenda, &cli_noun_session, &cli_noun_invite, &cli_noun_attendance,
    /*  reporting: what came out, what was done with it */
    &cli_noun_report, &cli_noun_outcome, &cli_noun_stats, &cli_noun_decision,
    &cli_noun_yardstick,
    /*  finance: what it costs, who pays */
    &cli_noun_municipality, &cli_noun_finance, &cli_noun_budget, &cli_noun_hours,
    &cli_noun_expense, &cli_noun_reimburse, &cli_noun_payee, &cli_noun_grant, NULL};

/*  A verb that has only a declaration. */
static const cli_verb_t s_plain = {0};

/* ==== Finding nouns and verbs ============================================ */

/*  True when the declared cli text ("participant show") has noun (and
    verb, when not NULL). */
static bool s_cli_is(const char *cli, const char *noun, const char *verb)
{
    if (!cli)
        return false;
    size_t n = strlen(noun);
    if (strncmp(cli, noun, n) != 0 || cli[n] != ' ')
        return false;
    return !verb || strcmp(cli + n + 1, verb) == 0;
}

/*  The service that declares verbs of noun, or NULL. */
static const char *s_noun_service(const char *noun)
{
    for (const sm_decls_t *d = sm_decls_all; d->service; d++)
        for (const sm_opdecl_t *o = d->ops; o->name; o++)
            if (s_cli_is(o->cli, noun, NULL))
                return d->service;
    return NULL;
}

static const sm_opdecl_t *s_service_ops(const char *service)
{
    for (const sm_decls_t *d = sm_decls_all; d->service; d++)
        if (strcmp(d->service, service) == 0)
            return d->ops;
    return NULL;
}

void cli_nouns_list(cli_nouns_t *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; s_hand[i] && out->n < CLI_MAX_NOUNS; i++)
        out->noun[out->n++] = *s_hand[i];
    /*  Nouns that are only declared: named after their first op. */
    for (const sm_decls_t *d = sm_decls_all; d->service; d++)
        for (const sm_opdecl_t *o = d->ops; o->name; o++) {
            const char *sp = o->cli ? strchr(o->cli, ' ') : NULL;
            if (!sp || out->n >= CLI_MAX_NOUNS || (size_t)(sp - o->cli) >= sizeof out->name[0])
                continue;
            char name[sizeof out->name[0]];
            snprintf(name, sizeof name, "%.*s", (int)(sp - o->cli), o->cli);
            bool known = false;
            for (int i = 0; i < out->n && !known; i++)
                known = strcmp(out->noun[i].noun, name) == 0;
            if (known)
                continue;
            int k = out->n++;
            memcpy(out->name[k], name, sizeof name);
            snprintf(out->summary[k], sizeof out->summary[k], _("the %s ops of samen-%s"), name,
                     d->service);
            out->noun[k] = (cli_noun_t){out->name[k], out->summary[k], NULL};
        }
}

const cli_noun_t *cli_noun_find(const cli_nouns_t *all, const char *name)
{
    for (int i = 0; i < all->n; i++)
        if (strcmp(all->noun[i].noun, name) == 0)
            return &all->noun[i];
    return NULL;
}

/*  The flag that sets a (sm_arg_flag), into buf; returns buf. */
static char *s_flag_name(const sm_arg_t *a, char *buf, size_t size)
{
    return sm_arg_flag(a, buf, size);
}

/*  Add an option to cli's verb unless one of that name is there. */
static void s_opt_add(cli_t *cli, const char *name, bool value, bool repeat, const sm_arg_t *arg)
{
    for (int i = 0; i < cli->nopts; i++)
        if (strcmp(cli->opts[i].name, name) == 0)
            return;
    if (cli->nopts == CLI_MAX_OPTS)
        return;
    int k = cli->nopts++;
    snprintf(cli->optnames[k], sizeof cli->optnames[k], "%s", name);
    cli->opts[k] = (cli_optdef_t){cli->optnames[k], value, repeat, arg};
}

/*  Count op's positional arguments: all of them, and the required ones. */
static void s_count_pos(const sm_opdecl_t *op, int *all, int *required)
{
    *all = *required = 0;
    for (const sm_arg_t *a = op->args; a && a->name; a++)
        if (a->flags & SM_A_POS) {
            /*  A positional list takes the words that are left. */
            *all = a->type == SM_T_LIST ? CLI_MAX_POS : *all + 1;
            *required += (a->flags & SM_A_REQUIRED) != 0;
        }
}

int cli_verb_resolve(cli_t *cli, const cli_noun_t *noun, const char *verb)
{
    const cli_verb_t *v = NULL;
    for (int i = 0; noun->verbs && (noun->verbs[i].fn || noun->verbs[i].verb); i++)
        if ((!noun->verbs[i].verb && !verb) ||
            (noun->verbs[i].verb && verb && strcmp(noun->verbs[i].verb, verb) == 0))
            v = &noun->verbs[i];
    cli->ndecls = 0;
    cli->nopts = 0;
    cli->service = verb ? s_noun_service(noun->noun) : NULL;
    const sm_opdecl_t *ops = cli->service ? s_service_ops(cli->service) : NULL;
    for (const sm_opdecl_t *o = ops; o && o->name && cli->ndecls < CLI_MAX_DECLS; o++)
        if (v && v->op ? strcmp(o->name, v->op) == 0 : s_cli_is(o->cli, noun->noun, verb))
            cli->decls[cli->ndecls++] = o;
    if (!v && !cli->ndecls)
        return -1;
    cli->vdef = v ? v : &s_plain;
    cli->noun = noun->noun;
    cli->verb = verb;
    if (!cli->ndecls) {
        /*  Hand-written: its own flags and positional arguments. */
        for (int i = 0; v->opts && v->opts[i].name; i++)
            s_opt_add(cli, v->opts[i].name, v->opts[i].value, v->opts[i].repeat, NULL);
        cli->min_pos = v->min_pos;
        cli->max_pos = v->max_pos;
        return 0;
    }
    cli->min_pos = CLI_MAX_POS;
    cli->max_pos = 0;
    for (int d = 0; d < cli->ndecls; d++) {
        int all, required;
        s_count_pos(cli->decls[d], &all, &required);
        if (required < cli->min_pos)
            cli->min_pos = required;
        if (all > cli->max_pos)
            cli->max_pos = all;
        for (const sm_arg_t *a = cli->decls[d]->args; a && a->name; a++) {
            if (a->flags & SM_A_POS)
                continue;
            char f[48];
            s_opt_add(cli, s_flag_name(a, f, sizeof f), a->type != SM_T_BOOL,
                      a->type == SM_T_LIST || a->type == SM_T_MAP, a);
        }
    }
    for (int i = 0; cli->vdef->opts && cli->vdef->opts[i].name; i++)
        s_opt_add(cli, cli->vdef->opts[i].name, cli->vdef->opts[i].value,
                  cli->vdef->opts[i].repeat, NULL);
    return 0;
}

const cli_optdef_t *cli_opt_find(cli_t *cli, const char *name, bool *negated)
{
    *negated = false;
    for (int i = 0; i < cli->nopts; i++)
        if (strcmp(cli->opts[i].name, name) == 0)
            return &cli->opts[i];
    /*  --not-youth, --no-force: a declared bool set to false. */
    const char *rest = strncmp(name, "not-", 4) == 0 ? name + 4
                       : strncmp(name, "no-", 3) == 0 ? name + 3
                                                       : NULL;
    for (int i = 0; rest && i < cli->nopts; i++)
        if (cli->opts[i].arg && cli->opts[i].arg->type == SM_T_BOOL &&
            strcmp(cli->opts[i].name, rest) == 0) {
            *negated = true;
            return &cli->opts[i];
        }
    return NULL;
}

const sm_opdecl_t *cli_decl(cli_t *cli, const char *op)
{
    for (int i = 0; i < cli->ndecls; i++)
        if (strcmp(cli->decls[i]->name, op) == 0)
            return cli->decls[i];
    /*  An op of the service without a verb of its own (session.calendar
        is session list --format ics). */
    const sm_opdecl_t *ops = cli->service ? s_service_ops(cli->service) : NULL;
    return ops ? sm_decl_find(ops, op) : NULL;
}

int cli_doc_format(cli_t *cli, const sm_opdecl_t *op, const char *dflt)
{
    const sm_arg_t *arg = NULL;
    for (const sm_arg_t *a = op->args; a && a->name; a++)
        if (strcmp(a->name, "format") == 0)
            arg = a;
    const char *want = !cli->format || (strcmp(cli->format, "text") == 0 && strcmp(dflt, "md") == 0)
                           ? dflt
                           : cli->format;
    for (int i = 0; arg && arg->values[i]; i++)
        if (strcmp(want, arg->values[i]) == 0)
            return cli_flag_add(cli, "format", arg->values[i]) == 0
                       ? 0
                       : cli_usage_error(cli, _("too many flags"));
    char offered[160] = "";
    for (int i = 0; arg && arg->values[i]; i++) {
        size_t o = strlen(offered);
        snprintf(offered + o, sizeof offered - o, "%s%s", i ? ", " : "", arg->values[i]);
    }
    return cli_usage_error(cli, _("this document comes as %s, not %s"), offered, want);
}

/* ==== Packing and sending ================================================= */

/*  The display name of a's value in messages: "--as-of" or "NAME". */
static char *s_shown(const sm_arg_t *a, char *buf, size_t size)
{
    char f[48];
    s_flag_name(a, f, sizeof f);
    if (a->flags & SM_A_POS) {
        size_t i = 0;
        for (; f[i] && i + 1 < size; i++)
            buf[i] = (char)toupper((unsigned char)f[i]);
        buf[i] = '\0';
    } else
        snprintf(buf, size, "--%s", f);
    return buf;
}

/*  Rewrite a declaration check's message for a person at the command
    line: `field "birth_year"` becomes `--birth-year`. */
static void s_refusal_for_flags(const sm_opdecl_t *op, const sm_err_t *e, char *buf, size_t size)
{
    const sm_arg_t *a = NULL;
    for (const sm_arg_t *x = op->args; x && x->name; x++)
        if (strcmp(x->name, e->field) == 0)
            a = x;
    char pat[80], shown[64];
    snprintf(pat, sizeof pat, "field \"%s\"", e->field);
    const char *at = a ? strstr(e->message, pat) : NULL;
    if (!at) {
        snprintf(buf, size, "%s", e->message);
        return;
    }
    snprintf(buf, size, "%.*s%s%s", (int)(at - e->message), e->message,
             s_shown(a, shown, sizeof shown), at + strlen(pat));
}

int cli_pack_op(cli_t *cli, const sm_opdecl_t *op, sm_buf_t *out)
{
    /*  Every flag given must be one of this op's (a verb may stand for
        several ops: "finance split" computes, or saves with --name). */
    for (int i = 0; i < cli->nflags; i++) {
        bool neg;
        const cli_optdef_t *o = cli_opt_find(cli, cli->flag_name[i], &neg);
        bool ours = !o || !o->arg;
        for (const sm_arg_t *a = op->args; !ours && a && a->name; a++) {
            char f[48];
            ours = !(a->flags & SM_A_POS) && strcmp(s_flag_name(a, f, sizeof f), o->name) == 0;
        }
        if (!ours)
            return cli_usage_error(cli, _("--%s does not go with the other flags given here"),
                                   cli->flag_name[i]);
    }
    /*  What is given, and what is missing. */
    const sm_arg_t *given[64];
    const char *texts[64][CLI_MAX_FLAGS > 64 ? 64 : CLI_MAX_FLAGS];
    int ntexts[64], ngiven = 0, pos = 0;
    char missing[400] = "";
    int nmissing = 0;
    for (const sm_arg_t *a = op->args; a && a->name && ngiven < 64; a++) {
        int n = 0;
        char f[48];
        if (a->flags & SM_A_POS) {
            if (pos < cli->npos)
                texts[ngiven][n++] = cli->pos[pos];
            pos++;
            while (a->type == SM_T_LIST && pos < cli->npos && n < 64)
                texts[ngiven][n++] = cli->pos[pos++];
        } else
            n = cli_flag_all(cli, s_flag_name(a, f, sizeof f), texts[ngiven], 64);
        if (n) {
            ntexts[ngiven] = n;
            given[ngiven++] = a;
        } else if ((a->flags & SM_A_REQUIRED) && !(a->flags & SM_A_POS)) {
            size_t o = strlen(missing);
            snprintf(missing + o, sizeof missing - o, "%s--%s", nmissing ? ", " : "",
                     s_flag_name(a, f, sizeof f));
            nmissing++;
        }
    }
    if (nmissing) {
        /*  "needs --a, --b and --c": the last comma becomes "and". */
        char *last = strrchr(missing, ',');
        char shown[420];
        if (last)
            snprintf(shown, sizeof shown, "%.*s and%s", (int)(last - missing), missing, last + 1);
        else
            snprintf(shown, sizeof shown, "%s", missing);
        if (nmissing == 1) {
            for (const sm_arg_t *a = op->args; a && a->name; a++) {
                char f[48];
                if (strcmp(s_flag_name(a, f, sizeof f), missing + 2) == 0 && a->help)
                    return cli_usage_error(cli, _("%s %s needs %s: %s"), cli->noun, cli->verb,
                                           shown, _(a->help));
            }
        }
        return cli_usage_error(cli, _("%s %s needs %s"), cli->noun, cli->verb, shown);
    }
    msgpack_pack_map(&out->pk, (size_t)ngiven);
    for (int i = 0; i < ngiven; i++) {
        char shown[64];
        sm_pack_str(&out->pk, given[i]->name);
        s_shown(given[i], shown, sizeof shown);
        int rc = cli_parse_pack(cli, given[i], shown, texts[i], ntexts[i], &out->pk);
        if (rc != 0)
            return rc;
    }
    /*  The service's own check, here: a bad value is a usage error before
        anything is sent, and says the flag. */
    sm_err_t e;
    sm_err_clear(&e);
    sm_doc_t *doc = sm_doc_parse(out->sbuf.data, out->sbuf.size, &e);
    sm_args_t *checked = doc ? sm_args_check(op, sm_doc_root(doc), &e) : NULL;
    int rc = 0;
    if (!checked) {
        char msg[1200];
        s_refusal_for_flags(op, &e, msg, sizeof msg);
        rc = cli_usage_error(cli, "%s", msg);
    }
    sm_args_destroy(&checked);
    sm_doc_destroy(&doc);
    return rc;
}

int cli_call_op(cli_t *cli, const sm_opdecl_t *op, cli_print_fn *print)
{
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_op(cli, op, &args);
    if (rc == 0) {
        if (cli->vdef->timeout_ms > cli->timeout_ms)
            cli->timeout_ms = cli->vdef->timeout_ms;
        rc = cli_run(cli, cli->service, op->name, &args, (op->flags & SM_OP_WRITE) != 0,
                     print ? print : cli_print_auto);
    }
    sm_buf_free(&args);
    return rc;
}

/* ==== Help ================================================================= */

/*  A placeholder for a value of a ("P12", "DATE", "N", a|b|c, "EMAIL"). */
static char *s_placeholder(const sm_arg_t *a, char *buf, size_t size)
{
    sm_type_t t = a->type == SM_T_LIST ? (a->item ? a->item : SM_T_STR) : a->type;
    char f[48];
    s_flag_name(a, f, sizeof f);
    switch (t) {
    case SM_T_ID: snprintf(buf, size, "%c12", a->letter); return buf;
    case SM_T_DATE: snprintf(buf, size, "DATE"); return buf;
    case SM_T_INT: snprintf(buf, size, "N"); return buf;
    case SM_T_MONEY: snprintf(buf, size, "AMOUNT"); return buf;
    case SM_T_MAP: snprintf(buf, size, "KEY=VALUE"); return buf;
    case SM_T_ENUM: {
        size_t o = 0, n = 0;
        for (; a->values && a->values[n]; n++)
            o += strlen(a->values[n]) + 1;
        if (n && n <= 4 && o < 40) {
            buf[0] = '\0';
            for (size_t i = 0; i < n; i++) {
                size_t l = strlen(buf);
                snprintf(buf + l, size - l, "%s%s", i ? "|" : "", a->values[i]);
            }
            return buf;
        }
        break;
    }
    default: break;
    }
    size_t i = 0;
    for (; f[i] && i + 1 < size; i++)
        buf[i] = (char)toupper((unsigned char)f[i]);
    buf[i] = '\0';
    return buf;
}

/*  Append fmt with a and b to buf (of size) at *o; what does not fit is
    left out. */
static void s_cat(char *buf, size_t size, size_t *o, const char *fmt, const char *a,
                  const char *b)
{
    char piece[400];
    int w = snprintf(piece, sizeof piece, fmt, a, b);
    if (w <= 0 || *o >= size)
        return;
    size_t n = strlen(piece);
    if (n > size - 1 - *o)
        n = size - 1 - *o;
    memcpy(buf + *o, piece, n);
    *o += n;
    buf[*o] = '\0';
}

const char *cli_usage_line(cli_t *cli, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    if (cli->vdef->usage) {
        snprintf(buf, size, "%s", cli->vdef->usage);
        return buf;
    }
    s_cat(buf, size, &o, "%s%s", cli->noun, "");
    if (cli->verb)
        s_cat(buf, size, &o, " %s%s", cli->verb, "");
    if (!cli->ndecls)
        return buf;
    const sm_opdecl_t *op = cli->decls[0];
    char ph[64], f[48], value[48];
    for (const sm_arg_t *a = op->args; a && a->name; a++)
        if (a->flags & SM_A_POS)
            s_cat(buf, size, &o, (a->flags & SM_A_REQUIRED) ? " %s%s" : " [%s]%s",
                  a->type == SM_T_ID || (a->type == SM_T_LIST && a->item == SM_T_ID)
                      ? s_placeholder(a, ph, sizeof ph)
                      : s_shown(a, ph, sizeof ph),
                  a->type == SM_T_LIST ? "..." : "");
    /*  Required flags first, then the rest, each in declaration order. */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < cli->nopts; i++) {
            const sm_arg_t *a = cli->opts[i].arg;
            bool req = a && (a->flags & SM_A_REQUIRED);
            for (int d = 1; req && d < cli->ndecls; d++) {
                /*  Required only when every op of the verb requires it. */
                bool there = false;
                for (const sm_arg_t *b = cli->decls[d]->args; b && b->name && !there; b++)
                    there = strcmp(b->name, a->name) == 0 && (b->flags & SM_A_REQUIRED);
                req = there;
            }
            if ((pass == 0) != req)
                continue;
            snprintf(f, sizeof f, "%s", cli->opts[i].name);
            if (a && a->type != SM_T_BOOL)
                snprintf(ph, sizeof ph, " %s", s_placeholder(a, value, sizeof value));
            else if (!a && cli->opts[i].value)
                snprintf(ph, sizeof ph, " X");
            else
                ph[0] = '\0';
            s_cat(buf, size, &o, req ? " --%s%s" : " [--%s%s]", f, ph);
            if (a && (a->type == SM_T_LIST || a->type == SM_T_MAP))
                s_cat(buf, size, &o, "...%s%s", "", "");
        }
    return buf;
}

/*  Print text (one line) at most about width columns wide, broken before
    a " [" or " --" when it grows longer; continuation lines indented by
    indent spaces. */
static void s_wrapped(const char *text, size_t first, size_t indent, size_t width, FILE *out)
{
    size_t col = first;
    const char *p = text;
    while (*p) {
        /*  The next piece: up to the next break point after this one. */
        const char *q = p + 1;
        while (*q && !(q[0] == ' ' && (q[1] == '[' || (q[1] == '-' && q[2] == '-'))))
            q++;
        size_t len = (size_t)(q - p);
        if (col + len > width && col > indent && *p == ' ') {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
            p++;
            len--;
        }
        fwrite(p, 1, len, out);
        col += len;
        p = q;
    }
}

/*  A sentence from a declared one-line summary: a capital and a full stop. */
static void s_sentence(const char *s, FILE *out)
{
    if (!s || !*s)
        return;
    size_t n = strlen(s);
    fputc(toupper((unsigned char)s[0]), out);
    fputs(s + 1, out);
    if (s[n - 1] != '.')
        fputc('.', out);
}

/*  An example made from the declaration: its positional arguments and
    required flags with a value of each type. */
static void s_example(cli_t *cli, FILE *out)
{
    if (cli->vdef->example) {
        fputs(cli->vdef->example, out);
        return;
    }
    fprintf(out, "samenctl %s", cli->noun);
    if (cli->verb)
        fprintf(out, " %s", cli->verb);
    if (!cli->ndecls)
        return;
    for (const sm_arg_t *a = cli->decls[0]->args; a && a->name; a++) {
        if (!(a->flags & SM_A_REQUIRED))
            continue;
        sm_type_t t = a->type == SM_T_LIST ? (a->item ? a->item : SM_T_STR) : a->type;
        char f[48], v[64];
        switch (t) {
        case SM_T_ID: snprintf(v, sizeof v, "%c12", a->letter); break;
        case SM_T_DATE: snprintf(v, sizeof v, "2020-03-12"); break;
        case SM_T_INT: snprintf(v, sizeof v, "%lld", (long long)(a->min > 1 ? a->min : 1)); break;
        case SM_T_MONEY: snprintf(v, sizeof v, "15,00"); break;
        case SM_T_ENUM: snprintf(v, sizeof v, "%s", a->values ? a->values[0] : "X"); break;
        case SM_T_MAP: snprintf(v, sizeof v, "'{}'"); break;
        case SM_T_BOOL: v[0] = '\0'; break;
        default: s_placeholder(a, v, sizeof v); break;
        }
        if (a->flags & SM_A_POS)
            fprintf(out, " %s", v);
        else
            fprintf(out, " --%s%s%s", s_flag_name(a, f, sizeof f), v[0] ? " " : "", v);
    }
}

void cli_help_nouns(FILE *out)
{
    cli_nouns_t all;
    cli_nouns_list(&all);
    for (int i = 0; i < all.n; i++)
        fprintf(out, "  %-14s %s\n", all.noun[i].noun, _(all.noun[i].summary));
}

void cli_help_noun(const cli_noun_t *noun, FILE *out)
{
    fprintf(out, "samenctl %s - %s\n\n", noun->noun, _(noun->summary));
    /*  Its verbs: those listed by hand in their order, then those only
        declared, in declaration order. */
    const char *verbs[64];
    int n = 0;
    for (int i = 0; noun->verbs && (noun->verbs[i].fn || noun->verbs[i].verb) && n < 64; i++)
        verbs[n++] = noun->verbs[i].verb;
    const char *service = s_noun_service(noun->noun);
    for (const sm_opdecl_t *o = service ? s_service_ops(service) : NULL; o && o->name; o++) {
        if (!s_cli_is(o->cli, noun->noun, NULL) || n == 64)
            continue;
        const char *v = o->cli + strlen(noun->noun) + 1;
        bool known = false;
        for (int i = 0; i < n && !known; i++)
            known = verbs[i] && strcmp(verbs[i], v) == 0;
        if (!known)
            verbs[n++] = v;
    }
    for (int i = 0; i < n; i++) {
        cli_t c;
        memset(&c, 0, sizeof c);
        if (cli_verb_resolve(&c, noun, verbs[i]) != 0)
            continue;
        /*  One line per verb, however long: scripts read this list. */
        char usage[1200];
        fprintf(out, "  samenctl %s\n      ", cli_usage_line(&c, usage, sizeof usage));
        if (c.vdef->summary)
            fputs(_(c.vdef->summary), out);
        else if (c.ndecls)
            s_sentence(_(c.decls[0]->summary), out);
        fputs(_("\n      e.g. "), out);
        s_example(&c, out);
        fputc('\n', out);
    }
}

/*  What a's flag accepts as typed at the command line, into buf: the
    declaration's words, but money and hundredths as people type them. */
static char *s_accepts(const sm_arg_t *a, char *buf, size_t size)
{
    size_t n = strlen(a->name);
    bool x100 = a->type == SM_T_INT && n > 5 && strcmp(a->name + n - 5, "_x100") == 0;
    char lo[48], hi[48], f[48];
    if (a->type == SM_T_MONEY) {
        int64_t max = a->max ? a->max : SM_MONEY_MAX;
        snprintf(buf, size, _("an amount such as 15, 15,00 or € 1.500,00, from %s to %s"),
                 sm_money_format(a->min, false, lo), sm_money_format(max, false, hi));
    } else if (x100)
        snprintf(buf, size, _("a number with at most two decimals, from %lld.%02lld to %lld.%02lld"),
                 (long long)(a->min / 100), (long long)(a->min % 100), (long long)(a->max / 100),
                 (long long)(a->max % 100));
    else if (a->type == SM_T_BOOL)
        snprintf(buf, size, _("a switch: --%s, --%s=no or --not-%s"), s_flag_name(a, f, sizeof f),
                 f, f);
    else if (a->type == SM_T_MAP)
        snprintf(buf, size, "%s", _("KEY=VALUE, once per entry, or a JSON object"));
    else if (a->type == SM_T_DATE)
        snprintf(buf, size, "%s", _("a date like 2020-03-12 or 12-03-2020"));
    else if (a->type == SM_T_ID)
        snprintf(buf, size, _("an ID like %c12 (or just 12)"), a->letter);
    else {
        sm_arg_accepts(a, buf, size);
        if (a->type == SM_T_LIST) {
            size_t o = strlen(buf);
            snprintf(buf + o, size - o, "%s", _("; repeat the flag or separate the items by commas"));
        }
    }
    return buf;
}

void cli_help_verb(cli_t *cli, FILE *out)
{
    char usage[1200];
    fputs(_("usage: samenctl "), out);
    s_wrapped(cli_usage_line(cli, usage, sizeof usage), 16, 8, 100, out);
    fputs("\n\n", out);
    if (cli->vdef->summary)
        fputs(_(cli->vdef->summary), out);
    else if (cli->ndecls)
        s_sentence(_(cli->decls[0]->summary), out);
    fputc('\n', out);
    if (cli->nopts) {
        fputs(_("\nflags:"), out);
        for (int i = 0; i < cli->nopts; i++)
            fprintf(out, " --%s%s", cli->opts[i].name, cli->opts[i].value ? " X" : "");
        fputc('\n', out);
    }
    if (cli->ndecls) {
        /*  Each argument: its help and what it accepts, from the
            declarations (positional ones first). */
        for (int pass = 0; pass < 2; pass++)
            for (int d = 0; d < cli->ndecls; d++)
                for (const sm_arg_t *a = cli->decls[d]->args; a && a->name; a++) {
                    bool seen = false;
                    char fa[48], fb[48];
                    s_flag_name(a, fa, sizeof fa);
                    for (int e = 0; e < d && !seen; e++)
                        for (const sm_arg_t *b = cli->decls[e]->args; b && b->name && !seen; b++)
                            seen = strcmp(fa, s_flag_name(b, fb, sizeof fb)) == 0 &&
                                   !(a->flags & SM_A_POS) == !(b->flags & SM_A_POS);
                    if (seen || (pass == 0) != ((a->flags & SM_A_POS) != 0))
                        continue;
                    char shown[64], ph[48], head[120], acc[700];
                    if (a->flags & SM_A_POS || a->type == SM_T_BOOL)
                        s_shown(a, head, sizeof head);
                    else
                        snprintf(head, sizeof head, "%s %s", s_shown(a, shown, sizeof shown),
                                 s_placeholder(a, ph, sizeof ph));
                    char req[96] = "";
                    bool required = (a->flags & SM_A_REQUIRED) != 0;
                    if (d || (cli->ndecls > 1 && required))
                        snprintf(req, sizeof req,
                                 required ? _(" (required by %s)") : _(" (for %s)"),
                                 cli->decls[d]->name);
                    else if (required)
                        snprintf(req, sizeof req, "%s", _(" (required)"));
                    fprintf(out, "  %-24s %s%s; %s\n", head, a->help ? _(a->help) : "", req,
                            s_accepts(a, acc, sizeof acc));
                }
    }
    fputs(_("\nexample:\n  "), out);
    s_example(cli, out);
    fputc('\n', out);
    for (int d = 0; d < cli->ndecls; d++)
        fprintf(out, "%s%s", d ? ", " : cli->ndecls > 1 ? _("\nops: ") : _("\nop: "),
                cli->decls[d]->name);
    if (cli->ndecls)
        fprintf(out, " (samen-%s)\n", cli->service);
}
