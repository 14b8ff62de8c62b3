/*  common/vocab.c - the programme's fixed words. See vocab.h.

    The English names are msgids in the table's context; their Dutch is in
    po/nl.po, in the words of the region's own documents. Aliases are
    further spellings people type, in either language (the Dutch names
    themselves need no alias: they are read from the catalogue).
*/
#include "vocab.h"
#include "i18n.h"
#include "text.h"
#include <stdio.h>
#include <string.h>

#define S_COUNT(a) ((int)(sizeof(a) / sizeof(a)[0]))

/* ==== The tables ========================================================== */

static const sm_word_t s_methods[] = {
    {"FG", NC_("method", "focus group"), "focusgroup|groepsgesprek|F"},
    {"I", NC_("method", "interviews"), "interview"},
    {"SB", NC_("method", "mirror meeting"), "spiegelgesprek"},
    {"E", NC_("method", "survey"), "questionnaire|vragenlijst"},
    {"KB", NC_("method", "sounding-board group"), "soundingboard"},
    {"WB", NC_("method", "work visit"), NULL},
    {"T", NC_("method", "test session"), "test|usabilitytest|usability test"},
    {"C", NC_("method", "café"), "recurring meeting|terugkerende bijeenkomst"},
    {"N", NC_("method", "network meeting"), NULL},
};
const sm_vocab_t SM_VOCAB_METHOD = {
    "method", N_("%1$s \"%2$s\" is not a known method; use one of %3$s"), s_methods,
    S_COUNT(s_methods), true};

static const sm_word_t s_domains[] = {
    {"youth", NC_("domain", "youth"), NULL},
    {"social_support", NC_("domain", "social support"), "wmo"},
    {"shelter_and_protection", NC_("domain", "shelter and protection"),
     "shelter|shelter and care|beschermd wonen en opvang"},
    {"work_and_income", NC_("domain", "work and income"), "participatie"},
    {"health", NC_("domain", "health"), NULL},
    {"other", NC_("domain", "other"), NULL},
};
const sm_vocab_t SM_VOCAB_DOMAIN = {
    "domain", N_("%1$s \"%2$s\" is not a known domain; use one of %3$s"), s_domains,
    S_COUNT(s_domains), false};

static const sm_word_t s_phases[] = {
    {"agenda", NC_("policy phase", "agenda setting"), "agendering"},
    {"development", NC_("policy phase", "policy development"), "ontwikkeling"},
    {"implementation", NC_("policy phase", "implementation"), NULL},
    {"evaluation", NC_("policy phase", "evaluation"), NULL},
};
const sm_vocab_t SM_VOCAB_PHASE = {
    "policy phase", N_("%1$s \"%2$s\" is not a phase of the policy cycle; use one of %3$s"),
    s_phases, S_COUNT(s_phases), false};

static const sm_word_t s_sources[] = {
    {"residents_signals", NC_("theme source", "residents' signals"), "residents|signals|signalen"},
    {"regional_agenda", NC_("theme source", "regional agenda"), "regional"},
    {"municipal_request", NC_("theme source", "request of a municipality"),
     "municipal|municipality|gemeente|verzoek gemeente"},
};
const sm_vocab_t SM_VOCAB_THEME_SOURCE = {
    "theme source", N_("%1$s \"%2$s\" is not a known source of a theme; use one of %3$s"),
    s_sources, S_COUNT(s_sources), false};

static const sm_word_t s_theme_statuses[] = {
    {"proposed", NC_("theme status", "proposed"), NULL},
    {"active", NC_("theme status", "active"), NULL},
    {"completed", NC_("theme status", "completed"), NULL},
    {"dropped", NC_("theme status", "dropped"), NULL},
};
const sm_vocab_t SM_VOCAB_THEME_STATUS = {
    "theme status", N_("%1$s \"%2$s\" is not a status of a theme; use one of %3$s"),
    s_theme_statuses, S_COUNT(s_theme_statuses), false};

static const sm_word_t s_scopes[] = {
    {"local", NC_("scope", "local"), NULL},
    {"regional", NC_("scope", "regional"), NULL},
};
const sm_vocab_t SM_VOCAB_SCOPE = {
    "scope", N_("%1$s \"%2$s\" is not a scope; use one of %3$s"), s_scopes, S_COUNT(s_scopes),
    false};

static const sm_word_t s_session_statuses[] = {
    {"planned", NC_("session status", "planned"), NULL},
    {"confirmed", NC_("session status", "confirmed"), NULL},
    {"held", NC_("session status", "held"), NULL},
    {"cancelled", NC_("session status", "cancelled"), "canceled|afgelast"},
};
const sm_vocab_t SM_VOCAB_SESSION_STATUS = {
    "session status", N_("%1$s \"%2$s\" is not a status of a session; use one of %3$s"),
    s_session_statuses, S_COUNT(s_session_statuses), false};

static const sm_word_t s_locations[] = {
    {"address", NC_("location", "address"), "venue"},
    {"online", NC_("location", "online"), "video"},
    {"on_site", NC_("location", "on site"), "vindplaats"},
};
const sm_vocab_t SM_VOCAB_LOCATION = {
    "location", N_("%1$s \"%2$s\" is not a kind of location; use one of %3$s"), s_locations,
    S_COUNT(s_locations), false};

static const sm_word_t s_tasks[] = {
    {"recruitment", NC_("support task", "recruitment"), NULL},
    {"facilitation", NC_("support task", "facilitation"), NULL},
    {"minutes", NC_("support task", "minutes"), "verslag|report"},
    {"feedback", NC_("support task", "feedback to participants"), "feedback|terugkoppeling"},
    {"programme", NC_("support task", "drafting the programme"), "program|programma"},
    {"contacts", NC_("support task", "making contacts"), "contacten"},
    {"handover", NC_("support task", "handover to an experience expert"), "overdracht"},
};
const sm_vocab_t SM_VOCAB_TASK = {
    "support task", N_("%1$s \"%2$s\" is not a support task; use one of %3$s"), s_tasks,
    S_COUNT(s_tasks), false};

static const sm_word_t s_labels[] = {
    {"resident", NC_("label", "resident"), NULL},
    {"client", NC_("label", "client"), NULL},
    {"parent", NC_("label", "parent"), NULL},
    {"youth", NC_("label", "young person"), "jeugdige|young"},
    {"foster_parent", NC_("label", "foster parent"), NULL},
    {"experience_expert", NC_("label", "experience expert"), NULL},
    {"trained_experience_expert", NC_("label", "trained experience expert"), NULL},
    {"carer", NC_("label", "carer"), "informal carer"},
    {"professional", NC_("label", "professional"), NULL},
};
const sm_vocab_t SM_VOCAB_LABEL = {
    "label", N_("%1$s \"%2$s\" is not a known label; use any of %3$s"), s_labels,
    S_COUNT(s_labels), false};

static const sm_word_t s_needs[] = {
    {"transport", NC_("accessibility need", "transport"), NULL},
    {"interpreter", NC_("accessibility need", "interpreter"), NULL},
    {"easy_language", NC_("accessibility need", "easy language"), "plain language"},
    {"wheelchair", NC_("accessibility need", "wheelchair access"), "wheelchair"},
    {"hearing_loop", NC_("accessibility need", "hearing loop"), NULL},
    {"sign_language", NC_("accessibility need", "sign language"), NULL},
};
const sm_vocab_t SM_VOCAB_NEED = {
    "accessibility need", N_("%1$s \"%2$s\" is not a known accessibility need; use any of %3$s"),
    s_needs, S_COUNT(s_needs), false};

static const sm_word_t s_participant_statuses[] = {
    {"active", NC_("participant status", "active"), NULL},
    {"paused", NC_("participant status", "paused"), NULL},
    {"withdrawn", NC_("participant status", "withdrawn"), NULL},
};
const sm_vocab_t SM_VOCAB_PARTICIPANT_STATUS = {
    "participant status",
    N_("%1$s \"%2$s\" is not a status of a participant; use one of %3$s"),
    s_participant_statuses, S_COUNT(s_participant_statuses), false};

/*  The groups the programme works with (DOMAIN.md §1, §10); the code is
    the English word people type most. */
static const sm_word_t s_target_groups[] = {
    {"residents", NC_("target group", "residents"), NULL},
    {"clients", NC_("target group", "clients"), NULL},
    {"youth", NC_("target group", "youth"), "young people|jeugd|jeugdigen"},
    {"parents", NC_("target group", "parents"), NULL},
    {"foster parents", NC_("target group", "foster parents"), NULL},
    {"informal carers", NC_("target group", "informal carers"), "carers"},
    {"experience experts", NC_("target group", "experience experts"), NULL},
    {"refugees", NC_("target group", "refugees with a residence permit"), "refugees"},
    {"low literacy", NC_("target group", "people with low literacy"),
     "low literacy|laaggeletterdheid"},
    {"psychiatric vulnerability", NC_("target group", "people with a psychiatric vulnerability"),
     "psychiatric vulnerability|psychische kwetsbaarheid"},
    {"intellectual disability", NC_("target group", "people with an intellectual disability"),
     "intellectual disability|verstandelijke beperking|lvb"},
    {"wmo-taxi users", NC_("target group", "users of the disability taxi"),
     "wmo-taxi users|wmo taxi users|wmo-taxigebruikers"},
    {"dyslexia", NC_("target group", "children with dyslexia and their parents"),
     "dyslexia|dyslexie"},
    {"domestic violence", NC_("target group", "survivors of domestic violence"),
     "domestic violence|huiselijk geweld"},
    {"elderly", NC_("target group", "older people"), "elderly"},
    {"professionals", NC_("target group", "professionals"), NULL},
};
const sm_vocab_t SM_VOCAB_TARGET_GROUP = {
    "target group", N_("%1$s \"%2$s\" is not a known target group; use any of %3$s"),
    s_target_groups, S_COUNT(s_target_groups), false};

static const sm_word_t s_advice_kinds[] = {
    {"signal", NC_("kind of advice", "signal"), NULL},
    {"solicited_advice", NC_("kind of advice", "solicited advice"), "solicited"},
    {"unsolicited_advice", NC_("kind of advice", "unsolicited advice"), "unsolicited"},
};
const sm_vocab_t SM_VOCAB_ADVICE_KIND = {
    "kind of advice", N_("%1$s \"%2$s\" is not a kind of advice; use one of %3$s"),
    s_advice_kinds, S_COUNT(s_advice_kinds), false};

static const sm_word_t s_advice_outcomes[] = {
    {"none", NC_("advice outcome", "not answered yet"), NULL},
    {"adopted", NC_("advice outcome", "adopted"), NULL},
    {"partly_adopted", NC_("advice outcome", "partly adopted"), NULL},
    {"not_adopted", NC_("advice outcome", "not adopted"), NULL},
};
const sm_vocab_t SM_VOCAB_ADVICE_OUTCOME = {
    "advice outcome", N_("%1$s \"%2$s\" is not an answer to advice; use one of %3$s"),
    s_advice_outcomes, S_COUNT(s_advice_outcomes), false};

static const sm_word_t s_advice_states[] = {
    {"received", NC_("advice state", "received"), NULL},
    {"answered", NC_("advice state", "answered"), NULL},
    {"evaluated", NC_("advice state", "evaluated"), NULL},
};
const sm_vocab_t SM_VOCAB_ADVICE_STATE = {
    "advice state", N_("%1$s \"%2$s\" is not a state of advice; use one of %3$s"),
    s_advice_states, S_COUNT(s_advice_states), false};

static const sm_word_t s_organisation_kinds[] = {
    {"client_organisation", NC_("organisation kind", "client organisation"), NULL},
    {"advisory_council", NC_("organisation kind", "advisory council"), "asd"},
    {"care_provider", NC_("organisation kind", "care provider"), NULL},
    {"school", NC_("organisation kind", "school"), NULL},
    {"association", NC_("organisation kind", "association"), NULL},
    {"municipality", NC_("organisation kind", "municipality"), NULL},
    {"other", NC_("organisation kind", "other"), NULL},
};
const sm_vocab_t SM_VOCAB_ORGANISATION_KIND = {
    "organisation kind", N_("%1$s \"%2$s\" is not a kind of organisation; use one of %3$s"),
    s_organisation_kinds, S_COUNT(s_organisation_kinds), false};

static const sm_word_t s_outcome_statuses[] = {
    {"open", NC_("outcome status", "open"), NULL},
    {"in_progress", NC_("outcome status", "in progress"), NULL},
    {"done", NC_("outcome status", "done"), NULL},
    {"not_adopted", NC_("outcome status", "not adopted"), NULL},
};
const sm_vocab_t SM_VOCAB_OUTCOME_STATUS = {
    "outcome status", N_("%1$s \"%2$s\" is not a status of an outcome; use one of %3$s"),
    s_outcome_statuses, S_COUNT(s_outcome_statuses), false};

static const sm_word_t s_outcome_effects[] = {
    {"none", NC_("outcome effect", "none"), NULL},
    {"adopted_in_plan", NC_("outcome effect", "adopted in a plan"), "adopted in plan"},
    {"changed_decision", NC_("outcome effect", "changed a decision"), "changed decision"},
};
const sm_vocab_t SM_VOCAB_OUTCOME_EFFECT = {
    "outcome effect", N_("%1$s \"%2$s\" is not an effect of an outcome; use one of %3$s"),
    s_outcome_effects, S_COUNT(s_outcome_effects), false};

static const sm_word_t s_report_states[] = {
    {"draft", NC_("report state", "draft"), NULL},
    {"approved", NC_("report state", "approved"), NULL},
    {"published", NC_("report state", "published"), NULL},
    {"sent", NC_("report state", "sent to the participants"), "sent"},
};
const sm_vocab_t SM_VOCAB_REPORT_STATE = {
    "report state", N_("%1$s \"%2$s\" is not a state of a report; use one of %3$s"),
    s_report_states, S_COUNT(s_report_states), false};

static const sm_word_t s_youth_statuses[] = {
    {"draft", NC_("youth report status", "draft"), NULL},
    {"adopted", NC_("youth report status", "adopted"), NULL},
    {"submitted", NC_("youth report status", "submitted"), NULL},
};
const sm_vocab_t SM_VOCAB_YOUTH_STATUS = {
    "youth report status",
    N_("%1$s \"%2$s\" is not a status of the youth report; use one of %3$s"), s_youth_statuses,
    S_COUNT(s_youth_statuses), false};

static const sm_word_t s_person_roles[] = {
    {"coordinator", NC_("person role", "coordinator"), "coördinator"},
    {"co_coordinator", NC_("person role", "co-coordinator"), "co-coördinator|cocoördinator"},
    {"project_leader", NC_("person role", "project leader"), NULL},
    {"policy_officer", NC_("person role", "policy officer"), "beleidsadviseur"},
    {"other", NC_("person role", "other"), NULL},
};
const sm_vocab_t SM_VOCAB_PERSON_ROLE = {
    "person role", N_("%1$s \"%2$s\" is not a role in the programme; use one of %3$s"),
    s_person_roles, S_COUNT(s_person_roles), false};

static const sm_word_t s_yardstick_scores[] = {
    {"yes", NC_("yardstick score", "yes"), "met|voldaan"},
    {"partly", NC_("yardstick score", "partly"), "gedeeltelijk|partially"},
    {"no", NC_("yardstick score", "no"), "not met|niet"},
};
const sm_vocab_t SM_VOCAB_YARDSTICK_SCORE = {
    "yardstick score",
    N_("%1$s \"%2$s\" is not how a principle of the yardstick was met; use one of %3$s"),
    s_yardstick_scores, S_COUNT(s_yardstick_scores), false};

/* ==== Folding and finding ================================================= */

int sm_vocab_fold(const char *text, char *out, size_t size)
{
    if (!text || size == 0)
        return -1;
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        unsigned char c = *p;
        if (c == ' ' || c == '-' || c == '_' || c == '\t')
            continue;
        /*  U+00C8..U+00CB (ÈÉÊË) and U+00E8..U+00EB (èéêë): "enquête" =
            "enquete"; U+00CF/U+00EF (Ïï) as i: "geëvalueerd" needs ë, and
            "cliënt" typed "client" is the same word. */
        if (c == 0xC3 && ((p[1] >= 0x88 && p[1] <= 0x8B) || (p[1] >= 0xA8 && p[1] <= 0xAB))) {
            c = 'e';
            p++;
        } else if (c == 0xC3 && (p[1] == 0x8F || p[1] == 0xAF)) {
            c = 'i';
            p++;
        }
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (n + 1 >= size)
            return -1;
        out[n++] = (char)c;
    }
    out[n] = '\0';
    return 0;
}

/*  True when folded equals the folded form of word. */
static bool s_same(const char *folded, const char *word)
{
    char buf[128];
    return word && sm_vocab_fold(word, buf, sizeof buf) == 0 && strcmp(folded, buf) == 0;
}

/*  True when folded is one of the "|"-separated aliases. */
static bool s_alias(const char *folded, const char *aliases)
{
    for (const char *p = aliases; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        char one[96];
        if (len < sizeof one) {
            memcpy(one, p, len);
            one[len] = '\0';
            if (s_same(folded, one))
                return true;
        }
        p = bar ? bar + 1 : p + len;
    }
    return false;
}

int sm_vocab_find(const sm_vocab_t *v, const char *text)
{
    char folded[128];
    if (sm_vocab_fold(text, folded, sizeof folded) != 0 || !*folded)
        return -1;
    for (int i = 0; i < v->count; i++) {
        const sm_word_t *w = &v->words[i];
        if (s_same(folded, w->code) || s_same(folded, w->name) || s_alias(folded, w->aliases))
            return i;
    }
    /*  The names in every language samen speaks, the reader's first. */
    for (int i = 0; i < v->count; i++)
        if (s_same(folded, sm_i18n_pgettext(v->context, v->words[i].name)))
            return i;
    for (int l = 0; sm_i18n_lang_at(l); l++) {
        const char *lang = sm_i18n_lang_at(l);
        if (strcmp(lang, SM_I18N_SOURCE) == 0 || strcmp(lang, sm_i18n_lang()) == 0)
            continue;
        for (int i = 0; i < v->count; i++)
            if (s_same(folded, sm_i18n_pgettext_in(lang, v->context, v->words[i].name)))
                return i;
    }
    return -1;
}

/* ==== For op declarations ================================================= */

/*  The code of the entry text names in v, or NULL. */
static const char *s_canon(const sm_vocab_t *v, const char *text)
{
    int i = sm_vocab_find(v, text);
    return i >= 0 ? v->words[i].code : NULL;
}

#define S_CANON(fn, table)                                                                     \
    const char *fn(const char *text)                                                           \
    {                                                                                          \
        return s_canon(&(table), text);                                                        \
    }
S_CANON(sm_canon_method, SM_VOCAB_METHOD)
S_CANON(sm_canon_domain, SM_VOCAB_DOMAIN)
S_CANON(sm_canon_phase, SM_VOCAB_PHASE)
S_CANON(sm_canon_theme_source, SM_VOCAB_THEME_SOURCE)
S_CANON(sm_canon_theme_status, SM_VOCAB_THEME_STATUS)
S_CANON(sm_canon_scope, SM_VOCAB_SCOPE)
S_CANON(sm_canon_session_status, SM_VOCAB_SESSION_STATUS)
S_CANON(sm_canon_location, SM_VOCAB_LOCATION)
S_CANON(sm_canon_task, SM_VOCAB_TASK)
S_CANON(sm_canon_label, SM_VOCAB_LABEL)
S_CANON(sm_canon_need, SM_VOCAB_NEED)
S_CANON(sm_canon_participant_status, SM_VOCAB_PARTICIPANT_STATUS)
S_CANON(sm_canon_advice_kind, SM_VOCAB_ADVICE_KIND)
S_CANON(sm_canon_advice_outcome, SM_VOCAB_ADVICE_OUTCOME)
S_CANON(sm_canon_advice_state, SM_VOCAB_ADVICE_STATE)
S_CANON(sm_canon_organisation_kind, SM_VOCAB_ORGANISATION_KIND)
S_CANON(sm_canon_outcome_status, SM_VOCAB_OUTCOME_STATUS)
S_CANON(sm_canon_outcome_effect, SM_VOCAB_OUTCOME_EFFECT)
S_CANON(sm_canon_report_state, SM_VOCAB_REPORT_STATE)
S_CANON(sm_canon_youth_status, SM_VOCAB_YOUTH_STATUS)
S_CANON(sm_canon_person_role, SM_VOCAB_PERSON_ROLE)
S_CANON(sm_canon_yardstick_score, SM_VOCAB_YARDSTICK_SCORE)

/* ==== Showing ============================================================= */

const char *sm_vocab_code(const sm_vocab_t *v, int i)
{
    return i >= 0 && i < v->count ? v->words[i].code : "?";
}

const char *sm_vocab_name(const sm_vocab_t *v, int i)
{
    return i >= 0 && i < v->count ? sm_i18n_pgettext(v->context, v->words[i].name) : "?";
}

const char *sm_vocab_show(const sm_vocab_t *v, const char *text)
{
    int i = sm_vocab_find(v, text);
    return i >= 0 ? sm_vocab_name(v, i) : text ? text : "";
}

char *sm_vocab_list(const sm_vocab_t *v, char *buf, size_t size)
{
    size_t o = 0;
    if (size == 0)
        return buf;
    buf[0] = '\0';
    for (int i = 0; i < v->count && o + 1 < size; i++) {
        const char *sep = i == 0 ? "" : ", ";
        int n = v->list_codes
                    ? snprintf(buf + o, size - o, "%s%s (%s)", sep, v->words[i].code,
                               sm_vocab_name(v, i))
                    : snprintf(buf + o, size - o, "%s%s", sep, sm_vocab_name(v, i));
        if (n < 0 || (size_t)n >= size - o) {
            buf[o] = '\0';
            break;
        }
        o += (size_t)n;
    }
    return buf;
}

int sm_vocab_parse(const sm_vocab_t *v, const char *text, const char *field, sm_err_t *err)
{
    int i = sm_vocab_find(v, text);
    if (i >= 0)
        return i;
    char quoted[64], list[600];
    sm_text_excerpt(text, quoted, sizeof quoted);
    sm_vocab_list(v, list, sizeof list);
    sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _(v->refusal), field ? field : "", quoted, list);
    return -1;
}
