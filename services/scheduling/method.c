/*  services/scheduling/method.c - the participation methods. See method.h. */
#include "method.h"
#include <stddef.h>
#include <string.h>

typedef struct {
    const char *code;
    const char *name;    //  English, as shown
    const char *name_nl; //  Dutch, as shown
    //  Further spellings people type, already normalised (see s_normalise);
    //  NULL-terminated.
    const char *aliases[4];
} s_method_info_t;

//  Indexed by method_t.
static const s_method_info_t s_methods[METHOD_COUNT] = {
    {"FG", "focus group", "focusgroep", {"focusgroup", NULL}},
    {"I", "interviews", "interviews", {"interview", NULL}},
    {"SB", "mirror meeting", "spiegelbijeenkomst", {"spiegelgesprek", NULL}},
    {"E", "survey", "enquête", {"questionnaire", "vragenlijst", NULL}},
    {"KB", "sounding-board group", "klankbordgroep", {"soundingboard", NULL}},
    {"WB", "work visit", "werkbezoek", {NULL}},
    {"T", "test session", "testsessie", {"test", "usabilitytest", NULL}},
    {"C", "café", "café", {"recurringmeeting", "terugkerendebijeenkomst", NULL}},
    {"N", "network meeting", "netwerkbijeenkomst", {NULL}},
};

bool method_valid(int m)
{
    return m >= 0 && m < METHOD_COUNT;
}

const char *method_code(method_t m)
{
    return method_valid((int)m) ? s_methods[m].code : "?";
}

const char *method_name(method_t m)
{
    return method_valid((int)m) ? s_methods[m].name : "?";
}

const char *method_name_nl(method_t m)
{
    return method_valid((int)m) ? s_methods[m].name_nl : "?";
}

/*  Fold text into out (size outsz) for comparison: ASCII lower case, no
    spaces, hyphens or underscores, and é/ê/è/ë (either case) as e, because
    people type "enquete", "Enquête" and "ENQUÊTE" for the same thing.
    Returns 0, or -1 when the folded text does not fit (no method is that
    long, so the caller treats it as unknown). */
static int s_normalise(const char *text, char *out, size_t outsz)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        unsigned char c = *p;
        if (c == ' ' || c == '-' || c == '_' || c == '\t')
            continue;
        if (c == 0xC3 && p[1] != 0) {
            //  U+00C8..U+00CB (ÈÉÊË) and U+00E8..U+00EB (èéêë)
            unsigned char c2 = p[1];
            if ((c2 >= 0x88 && c2 <= 0x8B) || (c2 >= 0xA8 && c2 <= 0xAB)) {
                c = 'e';
                p++;
            }
        }
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (n + 1 >= outsz)
            return -1;
        out[n++] = (char)c;
    }
    out[n] = '\0';
    return 0;
}

/*  True when the folded input equals the folded form of candidate. */
static bool s_matches(const char *folded, const char *candidate)
{
    char buf[64];
    return s_normalise(candidate, buf, sizeof buf) == 0 && strcmp(folded, buf) == 0;
}

/*  Copy at most 40 bytes of text into out (size >= 44) for an error message,
    printable ASCII only, so that a refusal never echoes control bytes or a
    broken UTF-8 sequence back to the client. */
static void s_quote(const char *text, char *out)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)text;
    for (; *p && n < 40; p++)
        out[n++] = (*p >= 0x20 && *p < 0x7f) ? (char)*p : '?';
    if (*p) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

int method_parse(const char *text, method_t *out, const char *field, sm_err_t *err)
{
    const char *what = field ? field : "method";
    if (!text || !*text)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, what,
                          "%s is missing; give a method code: FG, I, SB, E, KB, WB, T, C or N",
                          what);
    char folded[64];
    if (s_normalise(text, folded, sizeof folded) == 0 && *folded) {
        for (int m = 0; m < METHOD_COUNT; m++) {
            const s_method_info_t *info = &s_methods[m];
            bool hit = s_matches(folded, info->code) || s_matches(folded, info->name) ||
                       s_matches(folded, info->name_nl);
            for (size_t a = 0; !hit && info->aliases[a]; a++)
                hit = strcmp(folded, info->aliases[a]) == 0;
            if (hit) {
                *out = (method_t)m;
                return 0;
            }
        }
    }
    char quoted[48];
    s_quote(text, quoted);
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, what,
                      "%s \"%s\" is not a known method; use one of FG (focus group), I "
                      "(interviews), SB (mirror meeting), E (survey), KB (sounding-board group), "
                      "WB (work visit), T (test session), C (café) or N (network meeting)",
                      what, quoted);
}
