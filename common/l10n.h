/*  common/l10n.h - numbers, money, dates and periods as the reader's language writes them.

    One helper for every document and table, in the current language of
    common/i18n.h. The conventions themselves (separators, the order of day,
    month and year, month and weekday names, how a quarter or a season is
    written) are messages in the catalogue, each with a context saying what
    it is, so that the Dutch catalogue makes them Dutch:

        what                      en                       nl
        whole number              257,186                  257.186
        decimal (2 places)        34.15                    34,15
        percentage                34.15%                   34,15%
        money                     EUR 22,500.00            € 22.500,00
        date in a table           2020-03-12               12-03-2020
        date in a document        12 March 2020            12 maart 2020
        weekday                   Thursday                 donderdag
        month                     October 2019             oktober 2019
        month, short              Oct 2019                 okt 2019
        month as a grid column    Oct19                    Okt 19
        periods (as the region's planning documents write them; the
        first letter is a capital, for a table cell or a line of its own):
          a day                   30 October 2019          30 oktober 2019
          a month                 October 2019             Oktober 2019
          a quarter               Q2 2020                  Kwartaal 2 van 2020
          a year                  2020                     2020
          two months              May/June 2020            Mei/juni 2020
          a season (Sep-Nov ...)  Autumn 2019              Najaar 2019
          other months            Oct-Dec 2019             Okt-dec 2019
          months over two years   Oct 2019-Mar 2020        Okt 2019-mrt 2020
          days in one month       12-20 March 2020         12 t/m 20 maart 2020
          days in one year        12 March-3 April 2020    12 maart t/m 3 april 2020
          other days              30 December 2019-3 January 2020   ... t/m ...
        Seasons are whole months: spring March-May, summer June-August,
        autumn September-November (DOMAIN.md §2), winter December-February.

    Numbers are written digit by digit from integers; nothing here reads
    LC_NUMERIC or uses floating point.

    Reading what people type (for samenctl and for the services' argument
    checks): a date as 12-03-2020, 12-3-2020 or 2020-03-12; an amount as
    5.000, 5000,50, € 5.000,50 or 22,500.00 (common/money.h says how the
    separators are told apart). A refusal names the field and the forms
    accepted, in the current language.
*/
#ifndef SAMEN_L10N_H
#define SAMEN_L10N_H

#include "date.h"
#include "err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*  Buffer sizes that always suffice for the functions below. */
#define SM_L10N_NUMBER_SIZE 48
#define SM_L10N_DATE_SIZE 48
#define SM_L10N_PERIOD_SIZE 96

/* ==== Numbers and money =================================================== */

/*  v with thousands grouping: "257.186" / "257,186". Returns buf. */
char *sm_l10n_int(int64_t v, char *buf);

/*  v / 10^decimals with that many decimals (0..6) and grouping:
    sm_l10n_decimal(3415, 2) is "34,15" / "34.15"; (-5, 1) is "-0,5".
    Returns buf. */
char *sm_l10n_decimal(int64_t v, int decimals, char *buf);

/*  A share in basis points (1/100 of a percent) as a percentage with two
    decimals: 3415 is "34,15%" / "34.15%". Returns buf. */
char *sm_l10n_percent_bp(int64_t bp, char *buf);

/*  Money from cents: "€ 22.500,00" / "EUR 22,500.00"; negative "-€ 5,00".
    Returns buf. */
char *sm_l10n_money(int64_t cents, char *buf);

/* ==== Dates =============================================================== */

/*  A date in a table: "12-03-2020" / "2020-03-12". Returns buf. */
char *sm_l10n_date(sm_date_t d, char *buf);

/*  A date in running text: "12 maart 2020" / "12 March 2020". Returns buf. */
char *sm_l10n_date_long(sm_date_t d, char *buf);

/*  A local date and time in a table: "12-03-2020 19:30" /
    "2020-03-12 19:30" (Europe/Amsterdam). Returns buf. */
char *sm_l10n_datetime(int64_t unix_ms, char *buf);

/*  Names, in the current language, lower case as they stand in a
    sentence in Dutch ("maart", "mrt", "donderdag"; English capitalises
    them). month 1..12, weekday 1 (Monday)..7; "?" when out of range.
    The strings belong to the catalogue; do not free them. */
const char *sm_l10n_month_name(int month);
const char *sm_l10n_month_abbr(int month);
const char *sm_l10n_weekday_name(int weekday);

/*  "oktober 2019" / "October 2019", or with abbr "okt 2019" / "Oct 2019".
    Returns buf. */
char *sm_l10n_month(int year, int month, bool abbr, char *buf);

/*  A month as a column of the planning grid: "Okt 19" / "Oct19".
    Returns buf. */
char *sm_l10n_month_column(int year, int month, char *buf);

/*  A period as the planning documents write it (table above), into buf of
    size bytes (SM_L10N_PERIOD_SIZE always suffices). Returns buf. */
char *sm_l10n_period(const sm_period_t *p, char *buf, size_t size);

/*  Copy text into buf (size bytes) with its first letter a capital, for
    text that opens a sentence or a cell ("oktober" -> "Oktober"; only
    ASCII letters change). Returns buf. */
char *sm_l10n_capitalise(const char *text, char *buf, size_t size);

/* ==== Reading what people type ============================================ */

/*  A date typed by a person (12-03-2020, 12-3-2020 or 2020-03-12) into its
    ISO form "2020-03-12" in iso (11 bytes). Returns 0, or -1 with err
    (invalid_argument) naming field and the forms accepted; a day that does
    not exist (31-02-2020) is refused, never moved. */
int sm_l10n_read_date(const char *text, char *iso, const char *field, sm_err_t *err);

/*  An amount typed by a person (5.000, 5000,50, € 5.000,50, 22,500.00,
    EUR 15) into cents. Negative amounts only with allow_negative. Returns
    0, or -1 with err naming field and the forms accepted (sm_money_parse). */
int sm_l10n_read_amount(const char *text, bool allow_negative, int64_t *cents,
                        const char *field, sm_err_t *err);

#endif
