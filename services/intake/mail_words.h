/*  services/intake/mail_words.h - dates, periods and methods as a mail
    says them, in the current language (common/i18n.h; the mail switches
    to its own language while it is made).

    The programme's own words (DOMAIN.md §10), through the catalogue and
    common/l10n.h: "donderdag 12 maart 2020, 19:00-21:00 uur", "Kwartaal 2
    van 2020", "1 t/m 30 november 2019"; methods as the planning grid
    names them (focusgroep, spiegelbijeenkomst, klankbordgroep, ...).
*/
#ifndef SAMEN_INTAKE_MAIL_WORDS_H
#define SAMEN_INTAKE_MAIL_WORDS_H

#include "common/date.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAIL_WHEN_SIZE 200

/*  True for a language the mails are written in ("nl", "en"). */
bool mail_lang_known(const char *lang);

/*  The method of a code (FG, I, SB, E, KB, WB, T, C, N) in the current
    language: "focusgroep" / "focus group"; the code itself when unknown. */
const char *mail_method_name(const char *code);

/*  "donderdag 12 maart 2020" / "Thursday 12 March 2020" into buf (at least
    MAIL_WHEN_SIZE bytes). Returns buf. */
char *mail_date_long(sm_date_t d, char *buf);

/*  When a session is: with an exact time (start_ms < end_ms, UTC)
    "donderdag 12 maart 2020, 19:00-21:00 uur" in Amsterdam time (a session
    over several days names both ends); else the period ("2020-03",
    "2020-Q2", "2020", "2020-03-12", "2019-09-01..2019-11-30") as the
    planning documents write it; "" when neither is known. Into buf
    (MAIL_WHEN_SIZE). Returns buf. */
char *mail_when(int64_t start_ms, int64_t end_ms, const char *period, char *buf);

#endif
