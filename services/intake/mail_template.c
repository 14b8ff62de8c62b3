/*  services/intake/mail_template.c - filling and checking mail templates.
    See mail_template.h. */
#include "mail_template.h"
#include "common/i18n.h"
#include "common/strbuf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Values ============================================================= */

void mail_vars_init(mail_vars_t *self)
{
    memset(self, 0, sizeof *self);
}

/*  The slot of key, or NULL. */
static mail_var_t *s_find(const mail_vars_t *self, const char *key)
{
    for (int i = 0; i < self->n; i++)
        if (strcmp(self->v[i].key, key) == 0)
            return (mail_var_t *)&self->v[i];
    return NULL;
}

/*  Wipe and free a value. */
static void s_wipe(char **value)
{
    if (*value) {
        explicit_bzero(*value, strlen(*value));
        free(*value);
        *value = NULL;
    }
}

static void s_set(mail_vars_t *self, const char *key, const char *value, bool raw_html)
{
    if (self->failed)
        return;
    mail_var_t *v = s_find(self, key);
    if (!v) {
        if (self->n == MAIL_VARS_MAX || strlen(key) >= MAIL_KEY_MAX) {
            self->failed = true;
            return;
        }
        v = &self->v[self->n++];
        snprintf(v->key, sizeof v->key, "%s", key);
    }
    s_wipe(&v->value);
    v->value = strdup(value ? value : "");
    v->raw_html = raw_html;
    if (!v->value)
        self->failed = true;
}

void mail_vars_set(mail_vars_t *self, const char *key, const char *value)
{
    s_set(self, key, value, false);
}

void mail_vars_set_html(mail_vars_t *self, const char *key, const char *html)
{
    s_set(self, key, html, true);
}

const char *mail_vars_get(const mail_vars_t *self, const char *key)
{
    mail_var_t *v = s_find(self, key);
    return v ? v->value : NULL;
}

void mail_vars_free(mail_vars_t *self)
{
    for (int i = 0; i < self->n; i++)
        s_wipe(&self->v[i].value);
    self->n = 0;
    self->failed = false;
}

/* ==== Walking a template ================================================== */

typedef struct {
    const mail_vars_t *vars;  /*  filling: the values; NULL when checking */
    const char *const *known; /*  checking: the keys allowed; NULL when filling */
    bool html;
    strbuf_t *out;            /*  NULL when checking */
    const char *start;        /*  the template, for line numbers */
    const char *file;         /*  its name in messages ("" when none) */
    sm_err_t *err;
} s_walk_t;

/*  The line number of p. */
static int s_line(const s_walk_t *w, const char *p)
{
    int line = 1;
    for (const char *q = w->start; q < p; q++)
        line += *q == '\n';
    return line;
}

/*  Fail with a message naming the line of p. Returns NULL. */
static const char *s_fail(const s_walk_t *w, const char *p, const char *what, const char *key)
{
    sm_err_set(w->err, SM_E_INVALID_ARGUMENT, "template", _("%s%sline %d: %s%s%s"), w->file,
               w->file[0] ? " " : "", s_line(w, p), what, key ? " " : "", key ? key : "");
    return NULL;
}

/*  Append value, escaped for HTML when asked. */
static void s_emit_value(const s_walk_t *w, const mail_var_t *v)
{
    if (!w->html || v->raw_html) {
        strbuf_puts(w->out, v->value);
        return;
    }
    for (const char *c = v->value; *c; c++)
        switch (*c) {
        case '&': strbuf_puts(w->out, "&amp;"); break;
        case '<': strbuf_puts(w->out, "&lt;"); break;
        case '>': strbuf_puts(w->out, "&gt;"); break;
        case '"': strbuf_puts(w->out, "&quot;"); break;
        case '\'': strbuf_puts(w->out, "&#39;"); break;
        case '\n': strbuf_puts(w->out, "<br>\n"); break;
        default: strbuf_putc(w->out, *c);
        }
}

/*  Is key allowed (checking) or set (filling)? */
static bool s_key_ok(const s_walk_t *w, const char *key)
{
    if (w->known) {
        for (int i = 0; w->known[i]; i++)
            if (strcmp(w->known[i], key) == 0)
                return true;
        return false;
    }
    return s_find(w->vars, key) != NULL;
}

/*  Walk from p to the tag {{/close}} (or to the end when close is NULL),
    emitting when emit is true. Returns the position after the closing
    tag (or the end), or NULL with the error set. */
static const char *s_walk(const s_walk_t *w, const char *p, const char *close, bool emit)
{
    for (;;) {
        const char *tag = strstr(p, "{{");
        if (!tag) {
            if (close)
                return s_fail(w, p, _("a section is not closed with {{/"), close);
            if (emit && w->out)
                strbuf_puts(w->out, p);
            return p + strlen(p);
        }
        if (emit && w->out)
            strbuf_append(w->out, p, (size_t)(tag - p));
        const char *q = tag + 2;
        char sigil = 0;
        if (*q == '#' || *q == '^' || *q == '/')
            sigil = *q++;
        char key[MAIL_KEY_MAX];
        size_t n = 0;
        while ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_') {
            if (n + 1 >= sizeof key)
                return s_fail(w, tag, _("a placeholder name is longer than 31 characters"), NULL);
            key[n++] = *q++;
        }
        key[n] = '\0';
        if (n == 0 || q[0] != '}' || q[1] != '}')
            return s_fail(w, tag,
                          _("\"{{\" must open a placeholder like {{name}}, {{#name}}, {{^name}} "
                            "or {{/name}} (lower-case letters, digits and _)"),
                          NULL);
        q += 2;
        if (sigil == '/') {
            if (!close || strcmp(close, key) != 0)
                return s_fail(w, tag, _("this closes a section that is not open:"), key);
            return q;
        }
        if (!s_key_ok(w, key))
            return s_fail(w, tag,
                          w->known ? _("this kind of mail has no value called") : _("no value for"),
                          key);
        if (sigil == 0) {
            if (emit && w->out)
                s_emit_value(w, s_find(w->vars, key));
            p = q;
            continue;
        }
        bool has = false;
        if (w->vars) {
            const mail_var_t *v = s_find(w->vars, key);
            has = v && v->value[0];
        }
        bool inner = emit && (sigil == '#' ? has : !has);
        p = s_walk(w, q, key, inner);
        if (!p)
            return NULL;
    }
}

char *mail_template_fill(const char *tpl, const mail_vars_t *vars, bool html, sm_err_t *err)
{
    if (vars->failed) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL,
                   _("the values of a mail could not be kept (out of memory, or more than %d)"),
                   MAIL_VARS_MAX);
        return NULL;
    }
    strbuf_t *out = strbuf_new();
    if (!out) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        return NULL;
    }
    s_walk_t w = {vars, NULL, html, out, tpl, "", err};
    const char *end = s_walk(&w, tpl, NULL, true);
    char *text = end ? strbuf_detach(out) : NULL;
    if (!text) {
        //  What was filled in so far holds personal data.
        size_t len = strbuf_len(out);
        if (len)
            explicit_bzero((char *)strbuf_data(out), len);
        if (end)
            sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    strbuf_destroy(&out);
    return text;
}

int mail_template_check(const char *tpl, const char *const *known, const char *file,
                        sm_err_t *err)
{
    s_walk_t w = {NULL, known, false, NULL, tpl, file ? file : "", err};
    return s_walk(&w, tpl, NULL, false) ? 0 : -1;
}

int mail_template_split(const char *tpl, const char *file, const char **subject,
                        size_t *subject_len, const char **body, sm_err_t *err)
{
    static const char head[] = "Subject:";
    if (strncmp(tpl, head, sizeof head - 1) != 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "template",
                          _("%s: the first line must be the subject, \"Subject: ...\", then an "
                            "empty line, then the text"),
                          file);
    const char *s = tpl + sizeof head - 1;
    while (*s == ' ' || *s == '\t')
        s++;
    const char *eol = strchr(s, '\n');
    if (!eol || (eol[1] != '\n' && !(eol[1] == '\r' && eol[2] == '\n')))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "template",
                          _("%s: the subject line must be followed by an empty line, then the "
                            "text"),
                          file);
    size_t n = (size_t)(eol - s);
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
        n--;
    if (n == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "template",
                          _("%s: the subject line is empty"), file);
    *subject = s;
    *subject_len = n;
    *body = eol[1] == '\n' ? eol + 2 : eol + 3;
    return 0;
}

char *mail_subject_clean(char *s)
{
    size_t w = 0;
    bool space = true; /*  drops leading spaces */
    for (size_t r = 0; s[r]; r++) {
        unsigned char c = (unsigned char)s[r];
        if (c < 0x20 || c == 0x7F || c == ' ') {
            if (!space)
                s[w++] = ' ';
            space = true;
        } else {
            s[w++] = (char)c;
            space = false;
        }
    }
    while (w && s[w - 1] == ' ')
        w--;
    s[w] = '\0';
    return s;
}
