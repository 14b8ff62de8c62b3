/*  services/intake/consent.c - whose consent the address file needs, and
    when it is reviewed. See consent.h. */
#include "consent.h"
#include "common/i18n.h"
#include <stddef.h>

consent_asked_t consent_asked(int birth_year, int reference_year)
{
    if (birth_year <= 0 || birth_year > reference_year)
        return CONSENT_ASK_OWN;
    return reference_year - birth_year <= CONSENT_GUARDIAN_AGE ? CONSENT_ASK_GUARDIAN_TOO
                                                               : CONSENT_ASK_OWN;
}

const char *consent_asked_name(consent_asked_t asked)
{
    return asked == CONSENT_ASK_GUARDIAN_TOO ? "own_and_guardian" : "own";
}

int consent_check(int birth_year, bool withdrawn, bool has_guardian, sm_date_t guardian_given,
                  int reference_year, sm_err_t *err)
{
    if (guardian_given.y && !has_guardian)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "guardian", "%s",
                          _("a guardian's consent needs who gave it: give guardian (the parent's "
                            "or guardian's name) with guardian_consent_given"));
    if (withdrawn)
        return 0;
    if (consent_asked(birth_year, reference_year) == CONSENT_ASK_GUARDIAN_TOO &&
        (!has_guardian || !guardian_given.y))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "guardian",
                          _("a participant born in %1$d counts as under 16 in %2$d, so a parent's "
                            "or guardian's consent is needed besides their own: give guardian "
                            "(who consented) and guardian_consent_given (the day; samenctl: "
                            "--guardian NAME --guardian-consent-given DATE)"),
                          birth_year, reference_year);
    return 0;
}

static const char *const s_reasons[REVIEW_REASONS] = {
    "consent_old", "guardian_consent_old", "guardian_consent_missing", "no_contact",
    "age_unknown"};

const char *consent_review_name(int index)
{
    return index >= 0 && index < REVIEW_REASONS ? s_reasons[index] : NULL;
}

/*  True when day (set) plus period lies before as_of. */
static bool s_older(sm_date_t day, sm_date_t as_of, deadline_period_t period)
{
    return sm_date_cmp(deadline_period_add(day, period), as_of) < 0;
}

unsigned consent_review(const consent_facts_t *f, sm_date_t as_of, deadline_period_t period)
{
    unsigned why = 0;
    if (!f->consent_given.y || s_older(f->consent_given, as_of, period))
        why |= REVIEW_CONSENT_OLD;
    if (consent_asked(f->birth_year, as_of.y) == CONSENT_ASK_GUARDIAN_TOO) {
        if (!f->has_guardian || !f->guardian_given.y)
            why |= REVIEW_GUARDIAN_MISSING;
        else if (s_older(f->guardian_given, as_of, period))
            why |= REVIEW_GUARDIAN_OLD;
    }
    if (!f->last_contact.y || s_older(f->last_contact, as_of, period))
        why |= REVIEW_NO_CONTACT;
    if (f->youth && f->birth_year == 0)
        why |= REVIEW_AGE_UNKNOWN;
    return why;
}

sm_date_t consent_later(sm_date_t a, sm_date_t b)
{
    if (!a.y)
        return b;
    if (!b.y)
        return a;
    return sm_date_cmp(a, b) >= 0 ? a : b;
}
