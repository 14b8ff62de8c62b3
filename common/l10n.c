/*  common/l10n.c - numbers, money, dates and periods for people. See l10n.h.

    Every convention is a message with a context (msgctxt), so that the
    translator sees what it is and a language other than Dutch needs only
    a catalogue. Format strings number their conversions ("%3$02d-%2$02d-
    %1$04d"), so a language may put day, month and year in its own order.
*/
#include "l10n.h"
#include "i18n.h"
#include "money.h"
#include <stdio.h>
#include <string.h>

/* ==== Names =============================================================== */

static const char *const s_months[12] = {
    NC_("month", "January"), NC_("month", "February"), NC_("month", "March"),
    NC_("month", "April"),   NC_("month", "May"),      NC_("month", "June"),
    NC_("month", "July"),    NC_("month", "August"),   NC_("month", "September"),
    NC_("month", "October"), NC_("month", "November"), NC_("month", "December")};

static const char *const s_month_abbrs[12] = {
    NC_("month abbreviation", "Jan"), NC_("month abbreviation", "Feb"),
    NC_("month abbreviation", "Mar"), NC_("month abbreviation", "Apr"),
    NC_("month abbreviation", "May"), NC_("month abbreviation", "Jun"),
    NC_("month abbreviation", "Jul"), NC_("month abbreviation", "Aug"),
    NC_("month abbreviation", "Sep"), NC_("month abbreviation", "Oct"),
    NC_("month abbreviation", "Nov"), NC_("month abbreviation", "Dec")};

static const char *const s_weekdays[7] = {
    NC_("weekday", "Monday"), NC_("weekday", "Tuesday"),  NC_("weekday", "Wednesday"),
    NC_("weekday", "Thursday"), NC_("weekday", "Friday"), NC_("weekday", "Saturday"),
    NC_("weekday", "Sunday")};

const char *sm_l10n_month_name(int month)
{
    return month >= 1 && month <= 12 ? C_("month", s_months[month - 1]) : "?";
}

const char *sm_l10n_month_abbr(int month)
{
    return month >= 1 && month <= 12 ? C_("month abbreviation", s_month_abbrs[month - 1]) : "?";
}

const char *sm_l10n_weekday_name(int weekday)
{
    return weekday >= 1 && weekday <= 7 ? C_("weekday", s_weekdays[weekday - 1]) : "?";
}

char *sm_l10n_capitalise(const char *text, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    snprintf(buf, size, "%s", text ? text : "");
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
    return buf;
}

/* ==== Numbers and money =================================================== */

/*  The separators of the current language. */
static const char *s_thousands(void)
{
    /*  TRANSLATORS: between groups of three digits: 257,186 in English. */
    return C_("thousands separator", ",");
}

static const char *s_decimal(void)
{
    /*  TRANSLATORS: before the decimals: 34.15 in English. */
    return C_("decimal separator", ".");
}

char *sm_l10n_int(int64_t v, char *buf)
{
    return sm_money_digits(v, 0, s_thousands(), s_decimal(), buf);
}

char *sm_l10n_decimal(int64_t v, int decimals, char *buf)
{
    return sm_money_digits(v, decimals, s_thousands(), s_decimal(), buf);
}

char *sm_l10n_percent_bp(int64_t bp, char *buf)
{
    char num[SM_L10N_NUMBER_SIZE];
    sm_money_digits(bp, 2, s_thousands(), s_decimal(), num);
    /*  TRANSLATORS: a percentage; %s is the number, e.g. 34.15%. */
    snprintf(buf, SM_L10N_NUMBER_SIZE, C_("percentage", "%s%%"), num);
    return buf;
}

char *sm_l10n_money(int64_t cents, char *buf)
{
    char num[SM_L10N_NUMBER_SIZE];
    sm_money_digits(cents, 2, s_thousands(), s_decimal(), num);
    const char *mag = num[0] == '-' ? num + 1 : num;
    /*  TRANSLATORS: an amount of money; %s is the number, e.g.
        EUR 22,500.00. A negative amount gets a "-" in front of it all. */
    const char *fmt = C_("money", "EUR %s");
    if (cents < 0) {
        buf[0] = '-';
        snprintf(buf + 1, SM_L10N_NUMBER_SIZE - 1, fmt, mag);
    } else
        snprintf(buf, SM_L10N_NUMBER_SIZE, fmt, mag);
    return buf;
}

/* ==== Dates =============================================================== */

char *sm_l10n_date(sm_date_t d, char *buf)
{
    /*  TRANSLATORS: a date in a table; %1$04d is the year, %2$02d the month
        and %3$02d the day: 2020-03-12. */
    snprintf(buf, SM_L10N_DATE_SIZE, C_("date in a table", "%1$04d-%2$02d-%3$02d"), d.y, d.m, d.d);
    return buf;
}

char *sm_l10n_date_long(sm_date_t d, char *buf)
{
    /*  TRANSLATORS: a date in running text; %1$d is the day, %2$s the
        month's name, %3$d the year: 12 March 2020. */
    snprintf(buf, SM_L10N_DATE_SIZE, C_("date in a document", "%1$d %2$s %3$d"), d.d,
             sm_l10n_month_name(d.m), d.y);
    return buf;
}

char *sm_l10n_datetime(int64_t unix_ms, char *buf)
{
    char local[20];
    sm_datetime_format_local(unix_ms, local); /*  "YYYY-MM-DD HH:MM" */
    sm_l10n_date(sm_date_of_ms(unix_ms), buf);
    size_t n = strlen(buf);
    if (n + 7 <= SM_L10N_DATE_SIZE) { /*  " HH:MM" and the terminator */
        buf[n] = ' ';
        memcpy(buf + n + 1, local + 11, 5);
        buf[n + 6] = '\0';
    }
    return buf;
}

char *sm_l10n_month(int year, int month, bool abbr, char *buf)
{
    /*  TRANSLATORS: a month of a year: %1$s the month's name, %2$d the
        year: October 2019 (or Oct 2019). */
    snprintf(buf, SM_L10N_DATE_SIZE, C_("month and year", "%1$s %2$d"),
             abbr ? sm_l10n_month_abbr(month) : sm_l10n_month_name(month), year);
    return buf;
}

char *sm_l10n_month_column(int year, int month, char *buf)
{
    char cap[24];
    sm_l10n_capitalise(sm_l10n_month_abbr(month), cap, sizeof cap);
    /*  TRANSLATORS: the heading of a month's column in the planning grid:
        %1$s the month's abbreviation, %2$02d the year's last two digits:
        Oct19 (the region's Dutch grid writes "Okt 19"). */
    snprintf(buf, SM_L10N_DATE_SIZE, C_("grid column", "%1$s%2$02d"), cap,
             ((year % 100) + 100) % 100);
    return buf;
}

/* ==== Periods ============================================================= */

/*  True when d is the first day of its month; the last day. */
static bool s_first(sm_date_t d)
{
    return d.d == 1;
}

static bool s_last(sm_date_t d)
{
    return d.d == sm_days_in_month(d.y, d.m);
}

/*  The season of whole months from..to in one year (or December to
    February), as a period's text into buf; false when the months are not
    a season. */
static bool s_season(sm_date_t from, sm_date_t to, char *buf, size_t size)
{
    if (from.y == to.y && from.m == 3 && to.m == 5)
        snprintf(buf, size, C_("period", "Spring %d"), from.y);
    else if (from.y == to.y && from.m == 6 && to.m == 8)
        snprintf(buf, size, C_("period", "Summer %d"), from.y);
    else if (from.y == to.y && from.m == 9 && to.m == 11)
        /*  TRANSLATORS: September to November of a year (najaar). */
        snprintf(buf, size, C_("period", "Autumn %d"), from.y);
    else if (to.y == from.y + 1 && from.m == 12 && to.m == 2)
        /*  TRANSLATORS: December of %1$d to February of %2$d. */
        snprintf(buf, size, C_("period", "Winter %1$d/%2$d"), from.y, to.y);
    else
        return false;
    return true;
}

/*  Whole months from..to (from the first day of from's month to the last
    of to's) into buf. */
static void s_months_period(sm_date_t from, sm_date_t to, char *buf, size_t size)
{
    char a[24], b[24];
    int n = (to.y - from.y) * 12 + to.m - from.m + 1;
    if (n == 1) {
        sm_l10n_capitalise(sm_l10n_month_name(from.m), a, sizeof a);
        snprintf(buf, size, C_("month and year", "%1$s %2$d"), a, from.y);
    } else if (n == 3 && from.y == to.y && from.m % 3 == 1) {
        /*  TRANSLATORS: a quarter of a year: Q2 2020 (Kwartaal 2 van 2020). */
        snprintf(buf, size, C_("period", "Q%1$d %2$d"), (from.m - 1) / 3 + 1, from.y);
    } else if (n == 12 && from.m == 1) {
        snprintf(buf, size, "%d", from.y);
    } else if (s_season(from, to, buf, size)) {
        return;
    } else if (n == 2 && from.y == to.y) {
        sm_l10n_capitalise(sm_l10n_month_name(from.m), a, sizeof a);
        /*  TRANSLATORS: two months of one year: May/June 2020. */
        snprintf(buf, size, C_("period", "%1$s/%2$s %3$d"), a, sm_l10n_month_name(to.m), from.y);
    } else if (from.y == to.y) {
        sm_l10n_capitalise(sm_l10n_month_abbr(from.m), a, sizeof a);
        /*  TRANSLATORS: months of one year, abbreviated: Oct-Dec 2019. */
        snprintf(buf, size, C_("period", "%1$s-%2$s %3$d"), a, sm_l10n_month_abbr(to.m), from.y);
    } else {
        sm_l10n_capitalise(sm_l10n_month_abbr(from.m), a, sizeof a);
        snprintf(b, sizeof b, "%s", sm_l10n_month_abbr(to.m));
        /*  TRANSLATORS: months over two or more years: Oct 2019-Mar 2020. */
        snprintf(buf, size, C_("period", "%1$s %2$d-%3$s %4$d"), a, from.y, b, to.y);
    }
}

/*  Days from..to into buf. */
static void s_days_period(sm_date_t from, sm_date_t to, char *buf, size_t size)
{
    char a[SM_L10N_DATE_SIZE], b[SM_L10N_DATE_SIZE];
    if (sm_date_cmp(from, to) == 0) {
        snprintf(buf, size, "%s", sm_l10n_date_long(from, a));
    } else if (from.y == to.y && from.m == to.m) {
        /*  TRANSLATORS: days of one month: 12-20 March 2020 (both included). */
        snprintf(buf, size, C_("period", "%1$d-%2$d %3$s %4$d"), from.d, to.d,
                 sm_l10n_month_name(from.m), from.y);
    } else if (from.y == to.y) {
        /*  TRANSLATORS: days of one year: 12 March-3 April 2020 (both
            included). */
        snprintf(buf, size, C_("period", "%1$d %2$s-%3$d %4$s %5$d"), from.d,
                 sm_l10n_month_name(from.m), to.d, sm_l10n_month_name(to.m), from.y);
    } else {
        /*  TRANSLATORS: from one date to another, both included:
            30 December 2019-3 January 2020. */
        snprintf(buf, size, C_("period", "%1$s-%2$s"), sm_l10n_date_long(from, a),
                 sm_l10n_date_long(to, b));
    }
}

char *sm_l10n_period(const sm_period_t *p, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    char tmp[SM_L10N_PERIOD_SIZE];
    if (s_first(p->from) && s_last(p->to) && sm_date_cmp(p->from, p->to) < 0)
        s_months_period(p->from, p->to, tmp, sizeof tmp);
    else
        s_days_period(p->from, p->to, tmp, sizeof tmp);
    sm_l10n_capitalise(tmp, buf, size);
    return buf;
}

/* ==== Reading what people type ============================================ */

int sm_l10n_read_date(const char *text, char *iso, const char *field, sm_err_t *err)
{
    sm_date_t d;
    if (sm_date_parse(text, &d, field, err) != 0)
        return -1;
    sm_date_format(d, iso);
    return 0;
}

int sm_l10n_read_amount(const char *text, bool allow_negative, int64_t *cents,
                        const char *field, sm_err_t *err)
{
    return sm_money_parse(text, allow_negative, cents, field, err);
}
