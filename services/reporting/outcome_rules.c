/*  services/reporting/outcome_rules.c - outcome items. See outcome_rules.h. */
#include "outcome_rules.h"
#include "common/i18n.h"
#include "common/text.h"
#include "common/vocab.h"
#include <stdbool.h>
#include <string.h>

/*  How an effect opens the "what was done" of a document. */
static const char *s_effect_words[] = {"", NC_("outcome effect, opening a sentence",
                                               "Adopted in a plan"),
                                       NC_("outcome effect, opening a sentence",
                                           "Changed a decision")};

const char *outcome_effect_name(outcome_effect_t effect)
{
    if ((int)effect < 0 || (int)effect > OUTCOME_EFFECT_CHANGED_DECISION)
        return "?";
    return sm_vocab_code(&SM_VOCAB_OUTCOME_EFFECT, (int)effect);
}

int outcome_effect_parse(const char *text, outcome_effect_t *out, const char *field, sm_err_t *err)
{
    /*  A code, or a name in any language samen speaks (common/vocab.h). */
    int i = sm_vocab_find(&SM_VOCAB_OUTCOME_EFFECT, text);
    if (i >= 0 && i <= OUTCOME_EFFECT_CHANGED_DECISION) {
        *out = (outcome_effect_t)i;
        return 0;
    }
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                      _("%s must be one of none, adopted_in_plan, changed_decision"), field);
}

/*  ASCII white space (the locale must not matter). */
static bool s_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*  True when text is NULL or holds only white space. */
static bool s_blank(const char *text)
{
    for (const char *p = text; p && *p; p++)
        if (!s_is_space(*p))
            return false;
    return true;
}

int outcome_check(const outcome_t *o, sm_err_t *err)
{
    if (o->n_sessions < 1 || o->n_sessions > OUTCOME_SESSIONS_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "sessions",
                          _("sessions must list 1 to %d sessions the input came from (e.g. "
                            "[\"S31\"]), got %zu"),
                          OUTCOME_SESSIONS_MAX, o->n_sessions);
    overview_outcome_t core = {o->brought_in, o->done, o->status, o->reason};
    if (overview_outcome_check(&core, err) != 0)
        return -1;
    if ((int)o->effect < 0 || (int)o->effect > OUTCOME_EFFECT_CHANGED_DECISION)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "effect",
                          _("effect must be one of none, adopted_in_plan, changed_decision"));
    if (o->status == OUTCOME_NOT_ADOPTED && o->effect != OUTCOME_EFFECT_NONE)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "effect",
                          o->effect == OUTCOME_EFFECT_ADOPTED_IN_PLAN
                              ? _("an outcome that was not adopted cannot be adopted in a plan; "
                                  "give effect none, or another status")
                              : _("an outcome that was not adopted cannot be a changed decision; "
                                  "give effect none, or another status"));
    if (o->follow_up) {
        size_t len = strlen(o->follow_up);
        if (len > OVERVIEW_TEXT_MAX)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "follow_up",
                              _("follow_up is %zu bytes long; at most %d bytes are accepted"), len,
                              OVERVIEW_TEXT_MAX);
        if (!sm_utf8_valid(o->follow_up, len))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "follow_up",
                              _("follow_up is not valid UTF-8; send the text as UTF-8"));
    }
    return 0;
}

void outcome_put_what_was_done(strbuf_t *sb, const outcome_t *o)
{
    bool effect = o->effect > OUTCOME_EFFECT_NONE && o->effect <= OUTCOME_EFFECT_CHANGED_DECISION;
    bool text = !s_blank(o->done);
    if (effect)
        strbuf_puts(sb, C_("outcome effect, opening a sentence", s_effect_words[o->effect]));
    if (effect && text)
        strbuf_puts(sb, ": ");
    else if (effect)
        strbuf_puts(sb, ".");
    if (text)
        strbuf_puts(sb, o->done);
}

/*  The trimmed extent of s: *start and *len. */
static void s_trimmed(const char *s, const char **start, size_t *len)
{
    while (*s && s_is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && s_is_space(s[n - 1]))
        n--;
    *start = s;
    *len = n;
}

void outcome_put_follow_ups(strbuf_t *sb, const char *const *items, size_t n)
{
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (s_blank(items[i]))
            continue;
        const char *p;
        size_t len;
        s_trimmed(items[i], &p, &len);
        bool repeat = false;
        for (size_t j = 0; j < i && !repeat; j++) {
            const char *q;
            size_t qlen;
            if (s_blank(items[j]))
                continue;
            s_trimmed(items[j], &q, &qlen);
            repeat = qlen == len && memcmp(p, q, len) == 0;
        }
        if (repeat)
            continue;
        if (any)
            strbuf_putc(sb, ' ');
        strbuf_append(sb, p, len);
        if (!strchr(".!?", p[len - 1]))
            strbuf_putc(sb, '.');
        any = true;
    }
}
