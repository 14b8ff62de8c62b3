/*  common/i18n.h - the language people read, through GNU gettext.

    Everything a person reads is written in English in the source, marked,
    and looked up in a catalogue at run time (glibc's libintl; catalogues
    built from the po/ folder by msgfmt, see the README's developers' part):

        printf (_("%zu sessions held\n"), n);          //  a sentence
        static const char *names[] = {N_("focus group"), ...};   //  marked only
        puts (_(names[i]));                             //  translated where shown
        puts (C_("month abbreviation", "May"));         //  with a context
        printf (Q_("%zu session", "%zu sessions", n), n);   //  plural forms

    Whole sentences are the unit of translation (word order differs in
    Dutch); a sentence with several values uses numbered conversions
    ("%1$s ... %2$d") so that a translation may reorder them.

    The language. A process has a default language, the deployment's
    (sm_i18n_resolve: --locale, then $SAMEN_LOCALE, then the setting
    samen/locale in samen.cfg, then English), and a current one: a service
    switches to the language a request asks for ("lang" in the request,
    PROTOCOL.md) while it handles it, and back afterwards. The languages
    are "en" (the source: msgids are returned as they are) and "nl".

    Why no system locale is needed. gettext ignores $LANGUAGE while the
    LC_MESSAGES locale is "C", and a fresh Debian machine has no nl_NL
    locale generated. sm_i18n_init sets LC_MESSAGES (only) to the built-in
    "C.UTF-8" locale and chooses the catalogue through $LANGUAGE, which this
    process sets itself; the catalogue's text is delivered as UTF-8 whatever
    LC_CTYPE is. LC_NUMERIC and the rest stay "C": numbers, money and dates
    are written by common/l10n.h, digit by digit, never by printf's locale.

    Where the catalogues are found, first match wins: $SAMEN_LOCALEDIR;
    next to the program or up to three directories above it, in "locale"
    (build/release/locale, for programs and unit tests run from the build
    tree) or "share/locale" (PREFIX/share/locale for an installed
    PREFIX/bin/samenctl); then the LOCALEDIR compiled in.

    State: gettext's own state ($LANGUAGE, the bound domain) is process
    wide, so is the language kept here. Only one thread uses it (a
    service's loop, or samenctl's main); that is why there is no lock.
*/
#ifndef SAMEN_I18N_H
#define SAMEN_I18N_H

#include "config.h"
#include "err.h"
#include <stdbool.h>

#define SM_I18N_DOMAIN "samen"
/*  The language of the msgids. */
#define SM_I18N_SOURCE "en"

#define _(msgid) sm_i18n_gettext(msgid)
#define N_(msgid) msgid
#define C_(context, msgid) sm_i18n_pgettext(context, msgid)
#define NC_(context, msgid) msgid
#define Q_(singular, plural, n) sm_i18n_ngettext(singular, plural, n)

/*  The canonical name ("nl", "en") of a language as people and settings
    write it: "nl", "NL", "nl_NL", "nl-BE", "nl_NL.UTF-8", "Nederlands",
    "Dutch", "en_GB", "English". Returns a static string, or NULL when text
    is NULL or not a language samen speaks. Can't fail otherwise. */
const char *sm_i18n_lang_parse(const char *text);

/*  The languages samen speaks, for messages: "nl (Nederlands) or en
    (English)". Static. */
const char *sm_i18n_langs_hint(void);

/*  Decide the deployment's language: flag (from --locale; NULL when not
    given), else $SAMEN_LOCALE when set and not empty, else the setting
    samen/locale in cfg (may be NULL), else English. Returns 0 with the
    canonical name in *out, or -1 with err naming where the bad value came
    from (field "--locale", "SAMEN_LOCALE" or "samen/locale") and the
    languages accepted. */
int sm_i18n_resolve(const char *flag, sm_config_t *cfg, const char **out, sm_err_t *err);

/*  The language for what a program says before its settings are checked
    (a refusal of the config file itself): as sm_i18n_resolve with flag and
    cfg (the file as read, unchecked; may be NULL), falling back to flag and
    the environment alone, then to English, so that it always sets one up.
    The bad value itself is reported later, by sm_i18n_resolve on the
    checked settings. Can't fail. */
void sm_i18n_early(const char *flag, sm_config_t *cfg);

/*  Set up gettext for this process and make lang (a canonical name) its
    default and current language. Finds the catalogues (see above). Returns
    0, or -1 with err (invalid_argument, field "locale") when lang is not
    English and its catalogue cannot be found or the C.UTF-8 locale is
    missing; the process then speaks English. Calling it again changes the
    default language. */
int sm_i18n_init(const char *lang, sm_err_t *err);

/*  True once sm_i18n_init has been called (requests then carry "lang").
    Looking up and switching work without it (English by default). */
bool sm_i18n_ready(void);

/*  Switch the current language to lang (a canonical name; NULL or "" for
    the default). Returns 0, or -1 when lang is not English and its
    catalogue is not available: the current language is then English. */
int sm_i18n_use(const char *lang);

/*  The current language ("en" before sm_i18n_init). Static string. */
const char *sm_i18n_lang(void);
/*  The default language ("en" before sm_i18n_init). Static string. */
const char *sm_i18n_default(void);

/*  The directory the catalogues were found in ("" when none). Static. */
const char *sm_i18n_localedir(void);

/*  msgid in the current language (msgid itself when English, or when the
    catalogue has no translation). Never NULL for a non-NULL msgid. */
const char *sm_i18n_gettext(const char *msgid) __attribute__((format_arg(1)));

/*  The same for msgid in context (msgctxt), for words that read the same
    in English but not in another language ("May" the month and "May" the
    abbreviation). Returns msgid when there is no translation. */
const char *sm_i18n_pgettext(const char *context, const char *msgid)
    __attribute__((format_arg(2)));

/*  msgid in context, in language lang (a canonical name) whatever the
    current language is; msgid when lang has no catalogue or translation.
    For reading what people type in any language samen speaks. */
const char *sm_i18n_pgettext_in(const char *lang, const char *context, const char *msgid)
    __attribute__((format_arg(3)));

/*  The i-th language samen speaks ("en", "nl"), or NULL past the last. */
const char *sm_i18n_lang_at(int i);

/*  singular or plural, as the current language's plural rule says for n. */
const char *sm_i18n_ngettext(const char *singular, const char *plural, unsigned long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));

#endif
