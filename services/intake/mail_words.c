/*  services/intake/mail_words.c - dates, periods and methods in a mail's
    words. See mail_words.h. */
#include "mail_words.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/vocab.h"
#include <stdio.h>
#include <string.h>

bool mail_lang_known(const char *lang)
{
    return strcmp(lang, "nl") == 0 || strcmp(lang, "en") == 0;
}

const char *mail_method_name(const char *code)
{
    return sm_vocab_show(&SM_VOCAB_METHOD, code);
}

char *mail_date_long(sm_date_t d, char *buf)
{
    char date[SM_L10N_DATE_SIZE];
    //  TRANSLATORS: a weekday and a date in running text: "Thursday 12 March 2020".
    snprintf(buf, MAIL_WHEN_SIZE, _("%1$s %2$s"), sm_l10n_weekday_name(sm_date_weekday(d)),
             sm_l10n_date_long(d, date));
    return buf;
}

/*  The local date and "HH:MM" of a UTC instant. */
static sm_date_t s_local(int64_t ms, char hhmm[6])
{
    char local[24];
    sm_datetime_format_local(ms, local); /*  "YYYY-MM-DD HH:MM" */
    snprintf(hhmm, 6, "%.5s", local + 11);
    return sm_date_of_ms(ms);
}

char *mail_when(int64_t start_ms, int64_t end_ms, const char *period, char *buf)
{
    buf[0] = '\0';
    if (start_ms && end_ms > start_ms) {
        char t0[6], t1[6], d0[MAIL_WHEN_SIZE], d1[MAIL_WHEN_SIZE];
        sm_date_t a = s_local(start_ms, t0), b = s_local(end_ms, t1);
        mail_date_long(a, d0);
        if (sm_date_cmp(a, b) == 0)
            //  TRANSLATORS: when a session is, in a mail: a day, then start-end
            //  ("Thursday 12 March 2020, 19:00-21:00").
            snprintf(buf, MAIL_WHEN_SIZE, _("%1$s, %2$s-%3$s"), d0, t0, t1);
        else
            //  TRANSLATORS: a session over several days, in a mail: the first
            //  day and time, then the last.
            snprintf(buf, MAIL_WHEN_SIZE, _("%1$s %2$s to %3$s %4$s"), d0, t0,
                     mail_date_long(b, d1), t1);
        return buf;
    }
    sm_period_t p;
    if (!period || !period[0])
        return buf;
    if (sm_period_parse(period, &p, "period", NULL) != 0) {
        snprintf(buf, MAIL_WHEN_SIZE, "%s", period);
        return buf;
    }
    if (p.kind == SM_PERIOD_DAY)
        return mail_date_long(p.from, buf);
    return sm_l10n_period(&p, buf, MAIL_WHEN_SIZE);
}
