/*  common/i18n.c - the language people read, through GNU gettext. See i18n.h.

    gettext caches the translations it found, keyed by the LC_MESSAGES
    locale name, not by $LANGUAGE; after $LANGUAGE changes, the GNU gettext
    manual's answer is to bump _nl_msg_cat_cntr (exported by glibc) so that
    the cache is consulted afresh. English needs no switch at all: the
    msgids are English, so the current language being English means
    returning the msgid. $LANGUAGE therefore changes only when a request
    asks for a translated language other than the last one, which with
    one translated language happens once.
*/
#include "i18n.h"
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SM_LOCALEDIR
#define SM_LOCALEDIR "/usr/local/share/locale"
#endif

/*  glibc: incremented whenever the catalogues may have changed. */
extern int _nl_msg_cat_cntr;

typedef struct {
    const char *name;          /*  canonical, as in the catalogue's directory */
    const char *const *words;  /*  other ways people write it, lower case */
} s_lang_t;

static const char *const s_en_words[] = {"english", "engels", NULL};
static const char *const s_nl_words[] = {"dutch", "nederlands", "nederlandse", NULL};
static const s_lang_t s_langs[] = {{"en", s_en_words}, {"nl", s_nl_words}};
#define S_NLANGS (sizeof s_langs / sizeof s_langs[0])

/*  The process's language state (see i18n.h, "State"). */
static struct {
    bool ready;                /*  sm_i18n_init was called */
    bool bound;                /*  gettext is set up (sm_i18n_init, or the first lookup) */
    bool source;               /*  the current language is English */
    const char *dflt;          /*  canonical names */
    const char *current;
    const char *language_env;  /*  what $LANGUAGE was last set to by us, or NULL */
    char localedir[PATH_MAX];
} s_i18n = {false, false, true, SM_I18N_SOURCE, SM_I18N_SOURCE, NULL, ""};

/* ==== Language names ====================================================== */

const char *sm_i18n_lang_parse(const char *text)
{
    if (!text)
        return NULL;
    char low[32];
    size_t n = 0;
    for (const char *p = text; *p && *p != '.' && *p != '@'; p++) {
        if (n + 1 >= sizeof low)
            return NULL;
        char c = *p;
        low[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    low[n] = '\0';
    for (size_t i = 0; i < S_NLANGS; i++) {
        for (size_t w = 0; s_langs[i].words[w]; w++)
            if (strcmp(low, s_langs[i].words[w]) == 0)
                return s_langs[i].name;
        /*  "nl", or "nl" followed by a region: "nl_NL", "nl-BE". */
        size_t len = strlen(s_langs[i].name);
        if (strncmp(low, s_langs[i].name, len) == 0 &&
            (low[len] == '\0' || ((low[len] == '_' || low[len] == '-') && low[len + 1])))
            return s_langs[i].name;
    }
    return NULL;
}

const char *sm_i18n_langs_hint(void)
{
    return _("nl (Nederlands) or en (English)");
}

int sm_i18n_resolve(const char *flag, sm_config_t *cfg, const char **out, sm_err_t *err)
{
    const char *text = flag, *source = "--locale";
    if (!text) {
        text = getenv("SAMEN_LOCALE");
        source = "SAMEN_LOCALE";
        if (text && !*text)
            text = NULL;
    }
    if (!text && cfg) {
        text = sm_config_str(cfg, "samen/locale", NULL);
        source = "samen/locale";
    }
    if (!text) {
        *out = SM_I18N_SOURCE;
        return 0;
    }
    const char *lang = sm_i18n_lang_parse(text);
    if (!lang) {
        char shown[40];
        snprintf(shown, sizeof shown, "%.32s", text);
        for (char *p = shown; *p; p++)
            if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
                *p = '?';
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, source,
                          _("%1$s is \"%2$s\", not a language samen speaks; give %3$s"), source,
                          shown, sm_i18n_langs_hint());
    }
    *out = lang;
    return 0;
}

/* ==== Finding the catalogues ============================================== */

/*  True when dir holds the catalogue of lang. */
static bool s_has_catalogue(const char *dir, const char *lang)
{
    char path[PATH_MAX + 64];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/%s.mo", dir, lang, SM_I18N_DOMAIN);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*  True when dir holds a catalogue of any translated language. */
static bool s_has_any(const char *dir)
{
    for (size_t i = 0; i < S_NLANGS; i++)
        if (strcmp(s_langs[i].name, SM_I18N_SOURCE) != 0 && s_has_catalogue(dir, s_langs[i].name))
            return true;
    return false;
}

/*  Find the catalogue directory as i18n.h says, into out (PATH_MAX bytes).
    Returns true when one was found; out is "" otherwise. */
static bool s_find_localedir(char *out)
{
    out[0] = '\0';
    const char *env = getenv("SAMEN_LOCALEDIR");
    if (env && *env) {
        snprintf(out, PATH_MAX, "%s", env);
        return s_has_any(out);
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        for (int up = 0; slash && up < 4; up++) {
            *slash = '\0'; /*  exe is now a directory */
            static const char *const subdirs[] = {"locale", "share/locale"};
            for (size_t s = 0; s < 2; s++) {
                char cand[PATH_MAX + 16];
                snprintf(cand, sizeof cand, "%s/%s", exe, subdirs[s]);
                if (strlen(cand) < PATH_MAX && s_has_any(cand)) {
                    memcpy(out, cand, strlen(cand) + 1);
                    return true;
                }
            }
            slash = strrchr(exe, '/');
        }
    }
    if (s_has_any(SM_LOCALEDIR)) {
        snprintf(out, PATH_MAX, "%s", SM_LOCALEDIR);
        return true;
    }
    return false;
}

/* ==== Set-up and switching ================================================ */

/*  Set up gettext once: LC_MESSAGES (only: numbers must not follow any
    locale), the catalogue directory, UTF-8 text. Can't fail; what is
    missing shows when a language is switched to. */
static void s_bind(void)
{
    if (s_i18n.bound)
        return;
    if (!setlocale(LC_MESSAGES, "C.UTF-8"))
        setlocale(LC_MESSAGES, "C.utf8");
    if (s_find_localedir(s_i18n.localedir))
        bindtextdomain(SM_I18N_DOMAIN, s_i18n.localedir);
    bind_textdomain_codeset(SM_I18N_DOMAIN, "UTF-8");
    s_i18n.bound = true;
}

const char *sm_i18n_lang_at(int i)
{
    return i >= 0 && (size_t)i < S_NLANGS ? s_langs[i].name : NULL;
}

void sm_i18n_early(const char *flag, sm_config_t *cfg)
{
    const char *lang;
    if ((sm_i18n_resolve(flag, cfg, &lang, NULL) == 0 && sm_i18n_init(lang, NULL) == 0) ||
        (sm_i18n_resolve(flag, NULL, &lang, NULL) == 0 && sm_i18n_init(lang, NULL) == 0))
        return;
    sm_i18n_init(SM_I18N_SOURCE, NULL);
}

int sm_i18n_init(const char *lang, sm_err_t *err)
{
    const char *canon = sm_i18n_lang_parse(lang);
    if (!canon)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "locale",
                          _("\"%1$s\" is not a language samen speaks; give %2$s"),
                          lang ? lang : "", sm_i18n_langs_hint());
    s_bind();
    s_i18n.ready = true;
    s_i18n.dflt = SM_I18N_SOURCE;
    s_i18n.current = NULL;
    if (sm_i18n_use(canon) != 0) {
        const char *messages = setlocale(LC_MESSAGES, NULL);
        if (!messages || strcmp(messages, "C") == 0 || strcmp(messages, "POSIX") == 0)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "locale",
                              _("the C.UTF-8 locale is missing, so gettext cannot translate; "
                                "install the libc-bin package (Debian) or choose locale en"));
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "locale",
                          _("no catalogue for language %s was found (looked in $SAMEN_LOCALEDIR, "
                            "locale/ and share/locale/ next to and above the program, and %s); "
                            "run make, or make install, or choose locale en"),
                          canon, SM_LOCALEDIR);
    }
    s_i18n.dflt = canon;
    return 0;
}

bool sm_i18n_ready(void)
{
    return s_i18n.ready;
}

int sm_i18n_use(const char *lang)
{
    const char *canon = lang && *lang ? sm_i18n_lang_parse(lang) : s_i18n.dflt;
    if (!canon)
        canon = SM_I18N_SOURCE;
    if (s_i18n.current && strcmp(canon, s_i18n.current) == 0)
        return 0;
    if (strcmp(canon, SM_I18N_SOURCE) == 0) {
        s_i18n.current = SM_I18N_SOURCE;
        s_i18n.source = true;
        return 0;
    }
    s_bind();
    const char *messages = setlocale(LC_MESSAGES, NULL);
    if (!s_i18n.localedir[0] || !s_has_catalogue(s_i18n.localedir, canon) ||
        !messages || strcmp(messages, "C") == 0 || strcmp(messages, "POSIX") == 0) {
        s_i18n.current = SM_I18N_SOURCE;
        s_i18n.source = true;
        return -1;
    }
    if (!s_i18n.language_env || strcmp(s_i18n.language_env, canon) != 0) {
        setenv("LANGUAGE", canon, 1);
        ++_nl_msg_cat_cntr;
        s_i18n.language_env = canon;
    }
    s_i18n.current = canon;
    s_i18n.source = false;
    return 0;
}

const char *sm_i18n_lang(void)
{
    return s_i18n.current ? s_i18n.current : SM_I18N_SOURCE;
}

const char *sm_i18n_default(void)
{
    return s_i18n.dflt;
}

const char *sm_i18n_localedir(void)
{
    return s_i18n.localedir;
}

/* ==== Looking up ========================================================== */

const char *sm_i18n_gettext(const char *msgid)
{
    if (s_i18n.source || !msgid || !*msgid)
        return msgid;
    return dgettext(SM_I18N_DOMAIN, msgid);
}

const char *sm_i18n_pgettext(const char *context, const char *msgid)
{
    if (s_i18n.source || !msgid || !*msgid)
        return msgid;
    /*  The catalogue's key for a message in context: context EOT msgid. */
    char key[512];
    int n = snprintf(key, sizeof key, "%s\004%s", context ? context : "", msgid);
    if (n < 0 || (size_t)n >= sizeof key)
        return msgid;
    const char *t = dgettext(SM_I18N_DOMAIN, key);
    return t == key ? msgid : t;
}

const char *sm_i18n_pgettext_in(const char *lang, const char *context, const char *msgid)
{
    const char *was = sm_i18n_lang();
    if (sm_i18n_use(lang) != 0) {
        sm_i18n_use(was);
        return msgid;
    }
    const char *t = sm_i18n_pgettext(context, msgid);
    sm_i18n_use(was);
    return t;
}

const char *sm_i18n_ngettext(const char *singular, const char *plural, unsigned long n)
{
    if (s_i18n.source)
        return n == 1 ? singular : plural;
    return dngettext(SM_I18N_DOMAIN, singular, plural, n);
}
