/*  common/csv.h - tables for spreadsheets, in the reader's conventions.

    RFC 4180 (CRLF after every row; a field quoted when it holds the
    separator, a double quote, CR or LF; quotes doubled), with the field
    separator the reader's spreadsheet expects: "," in English, ";" in
    Dutch (a Dutch spreadsheet reads "," as the decimal comma). The
    separator is a message of the catalogue (context "CSV separator").
*/
#ifndef SAMEN_CSV_H
#define SAMEN_CSV_H

#include "strbuf.h"

/*  The field separator of the reader's language: "," or ";". */
const char *sm_csv_sep(void);

/*  Append one field (NULL as empty), quoted when it must be. */
void sm_csv_field(strbuf_t *sb, const char *text);

/*  Append the separator (before every field but a row's first). */
void sm_csv_next(strbuf_t *sb);

/*  Append the end of a row, CRLF. */
void sm_csv_end_row(strbuf_t *sb);

#endif
