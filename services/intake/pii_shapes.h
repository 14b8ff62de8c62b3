/*  services/intake/pii_shapes.h - personal data known by its shape: a
    citizen service number, a bank account, a postal code, a date of birth
    (internal to intake's pii modules; the rules are tested directly).

    - BSN (burgerservicenummer): nine digits written together
      ("123456782"), or as 4-2-3 ("1234.56.782", "1234 56 782") or 3-3-3
      with spaces or hyphens; reported when they pass the 11-test (9·d1 +
      8·d2 + ... + 2·d8 - d9 is a multiple of 11, not all zeros), or
      whatever they are when "BSN", "burgerservicenummer" or "sofinummer"
      comes just before. Amounts are not BSNs: "€ 123.456.789",
      "123456789 euro".
    - IBAN: two letters, two check digits and the account, together or in
      groups of four ("NL91 ABNA 0417 1643 00", "nl91abna0417164300"),
      reported when the ISO 7064 mod-97 check holds and, for a country
      whose IBAN length is known here, the length is right.
    - Postal code: four digits (not starting with 0), then two capital
      letters after an optional space ("1271 AB", "1271AB"; "1271ab" only
      without the space), not SA, SD or SS (never used) nor a unit such as
      "1500 KB" or "2000 KM". A house number right after it belongs to the
      match ("1271 AB 12", "1271AB-12a").
    - Date of birth: a date after "geboren", "geb.", "geboortedatum",
      "geboortejaar" or "geboortedag" in the same sentence, in any form:
      "12-03-1985", "12/3/85", "1985-03-12", "12 maart 1985",
      "12 mrt. 1985", "maart 1985", "12 maart", "1985". Without such a
      word, a full date (day, month and a four-digit year) counts when its
      year is a plausible birth year: between this year - 110 and this
      year - 12, and it is not 1 January (the day laws and rules start:
      "per 1 januari 2007").

    Each scanner appends candidates (pii_cands.h) with no participant.
*/
#ifndef SAMEN_INTAKE_PII_SHAPES_H
#define SAMEN_INTAKE_PII_SHAPES_H

#include "pii_cands.h"
#include <stdbool.h>
#include <stddef.h>

/*  The 11-test on nine digits d[0..9) ('0'..'9'). Can't fail. */
bool pii_bsn_valid(const char *d);

/*  The mod-97 check of an IBAN written without spaces (letters in either
    case), s[0..len); false when len is outside 15..34, a character is not
    a letter or digit, or the country's known length differs. Can't fail. */
bool pii_iban_valid(const char *s, size_t len);

/*  Append a candidate for every BSN, IBAN, postal code and date of birth
    in s[0..len) (valid UTF-8). this_year is the year dates of birth are
    judged against. Out of memory marks c failed. */
void pii_scan_bsn(const char *s, size_t len, pii_cands_t *c);
void pii_scan_iban(const char *s, size_t len, pii_cands_t *c);
void pii_scan_postcodes(const char *s, size_t len, pii_cands_t *c);
void pii_scan_birth_dates(const char *s, size_t len, int this_year, pii_cands_t *c);

#endif
