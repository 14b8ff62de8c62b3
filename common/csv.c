/*  common/csv.c - tables for spreadsheets. See csv.h. */
#include "csv.h"
#include "i18n.h"
#include <string.h>

const char *sm_csv_sep(void)
{
    /*  TRANSLATORS: between the fields of a CSV file, as the reader's
        spreadsheet expects it: "," in English; where the decimal separator
        is a comma, ";". One character. */
    const char *sep = C_("CSV separator", ",");
    return strlen(sep) == 1 ? sep : ",";
}

void sm_csv_field(strbuf_t *sb, const char *text)
{
    const char *sep = sm_csv_sep();
    if (!text)
        return;
    if (!strpbrk(text, "\"\r\n") && !strchr(text, sep[0])) {
        strbuf_puts(sb, text);
        return;
    }
    strbuf_putc(sb, '"');
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            strbuf_putc(sb, '"');
        strbuf_putc(sb, *p);
    }
    strbuf_putc(sb, '"');
}

void sm_csv_next(strbuf_t *sb)
{
    strbuf_puts(sb, sm_csv_sep());
}

void sm_csv_end_row(strbuf_t *sb)
{
    strbuf_puts(sb, "\r\n");
}
