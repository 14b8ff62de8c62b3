/*  services/reporting/ident.h - the order of typed identifiers.

    IDs are a type letter and a number ("S9", "S31", "P12", "T4"). Sorting
    them as plain strings puts "S31" before "S9", which reads wrong in every
    list a person sees, so lists in reports and statistics are ordered with
    ident_cmp: runs of digits compare by their value, everything else byte
    by byte. The order is total: IDs that differ only in leading zeros
    ("S09", "S9") still compare unequal, as strcmp would.
*/
#ifndef SAMEN_REPORTING_IDENT_H
#define SAMEN_REPORTING_IDENT_H

/*  Compare two IDs in natural order: "S9" < "S10" < "S31" < "T1".
    Returns <0, 0 or >0 like strcmp. NULL sorts before everything.
    This function can't fail. */
int ident_cmp(const char *a, const char *b);

#endif
