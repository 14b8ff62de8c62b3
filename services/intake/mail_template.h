/*  services/intake/mail_template.h - mail templates: text files an
    operator can change, with placeholders filled from the data.

    A template is plain UTF-8 text with three kinds of tags:

        {{key}}             the value of key
        {{#key}} ... {{/key}}   the part between, when key has a value
        {{^key}} ... {{/key}}   the part between, when key has none

    Keys are lower-case letters, digits and '_'; sections nest. Anything
    else after "{{" is a mistake the check names with its line. In the
    HTML part every value is escaped (& < > " ') and a line break becomes
    <br>, so a name or a question typed by anyone can never become markup;
    only values the code itself marks as HTML (the report as reporting
    rendered it, in CommonMark's safe mode) go in as they are.

    The values are personal data (a name, an address in a link): the
    holder wipes them when done (mail_vars_free).
*/
#ifndef SAMEN_INTAKE_MAIL_TEMPLATE_H
#define SAMEN_INTAKE_MAIL_TEMPLATE_H

#include "common/err.h"
#include <stdbool.h>
#include <stddef.h>

#define MAIL_VARS_MAX 48
#define MAIL_KEY_MAX 32

typedef struct {
    char key[MAIL_KEY_MAX];
    char *value;   /*  owned; never NULL once set */
    bool raw_html; /*  already HTML, made by samen: not escaped in the HTML part */
} mail_var_t;

typedef struct {
    mail_var_t v[MAIL_VARS_MAX];
    int n;
    bool failed; /*  out of memory or too many values: filling refuses */
} mail_vars_t;

/*  Start an empty set. Can't fail. */
void mail_vars_init(mail_vars_t *self);

/*  Set key to a copy of value (NULL counts as no value, ""); a second set
    of the same key replaces it. Failure (out of memory, more than
    MAIL_VARS_MAX keys) is sticky and makes mail_template_fill refuse. */
void mail_vars_set(mail_vars_t *self, const char *key, const char *value);

/*  The same, for a value that is already safe HTML made by samen. */
void mail_vars_set_html(mail_vars_t *self, const char *key, const char *html);

/*  The value of key, or NULL when it was never set. */
const char *mail_vars_get(const mail_vars_t *self, const char *key);

/*  Wipe and free every value; the set is empty after. Safe twice. */
void mail_vars_free(mail_vars_t *self);

/*  Fill tpl with vars. html: escape values for the HTML part. Returns the
    text (caller frees), or NULL with err (invalid_argument) naming the
    line of a tag that is not one, a section that is not closed, or a key
    that has no value set (the check at start catches these first). */
char *mail_template_fill(const char *tpl, const mail_vars_t *vars, bool html, sm_err_t *err);

/*  Check that tpl's tags are well formed, its sections closed and its keys
    among known (NULL-terminated). file names the template in the message
    ("share/samen/mail/nl/report.html line 4: ..."). Returns 0, or -1 with
    err (invalid_argument). */
int mail_template_check(const char *tpl, const char *const *known, const char *file,
                        sm_err_t *err);

/*  Split a text template into its subject line and body: the first line
    must be "Subject: ...", then one empty line. On success *subject and
    *body point into tpl (subject ends at *subject_len bytes). Returns 0,
    or -1 with err naming file. */
int mail_template_split(const char *tpl, const char *file, const char **subject,
                        size_t *subject_len, const char **body, sm_err_t *err);

/*  Make a filled subject one line: every control character (a line break
    in a question, say) becomes a space, runs of spaces become one, and
    the ends are trimmed. In place; returns s. */
char *mail_subject_clean(char *s);

#endif
