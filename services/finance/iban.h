/*  services/finance/iban.h - bank account numbers (IBAN, ISO 13616).

    Reimbursements and grants are paid into an IBAN, so one typing error
    sends money to a stranger or back to us. An IBAN is checked before it
    is stored: its form (a two-letter country code, two check digits, then
    letters and digits), its length for the country (NL 18, BE 16, DE 22,
    FR 27, GB 22 and the other SEPA countries; 15 to 34 for a country not in
    the table) and its check digits (ISO 7064 mod 97-10, computed piece by
    piece over the characters: no big integers). The mod 97 check catches
    every single wrong character and every swap of two neighbours.

    An IBAN is personal data. Refusals never repeat the number: they show
    only the country code and the last four characters ("IBAN NL.. ..4300
    fails its check digits; check for a typing error"), and iban_mask gives
    the form to show on screens and in lists: "NL** **** **** **** 4300".
*/
#ifndef SAMEN_FINANCE_IBAN_H
#define SAMEN_FINANCE_IBAN_H

#include "common/err.h"
#include <stdbool.h>
#include <stddef.h>

/*  Longest IBAN in characters (ISO 13616). */
#define IBAN_MAX_LEN 34
/*  Room for a normalised IBAN and its terminator. */
#define IBAN_SIZE (IBAN_MAX_LEN + 1)
/*  Room for a masked IBAN and its terminator. */
#define IBAN_MASK_SIZE 48

/*  Normalise text as people type it: drop spaces and tabs, upper-case
    letters. Writes at most IBAN_SIZE bytes to out. Returns 0, or -1 with
    err (SM_E_INVALID_ARGUMENT, field "iban") when text is missing, holds
    anything but letters, digits and spaces, is empty or is longer than 34
    characters. The message never repeats the text. out may be text itself
    (normalising only ever shortens). */
int iban_normalise(const char *text, char *out, sm_err_t *err);

/*  Normalise and check text as an IBAN: country code, check-digit form,
    the country's length (or 15..34), the Dutch form (NL, check digits, four
    letters, ten digits) and the mod 97 check. Returns 0 with the
    normalised IBAN in out (IBAN_SIZE bytes), or -1 with err (field "iban")
    saying what is wrong, showing at most the country code and the last
    four characters. */
int iban_validate(const char *text, char *out, sm_err_t *err);

/*  Length of an IBAN of the given country (two upper-case letters), or 0
    when the country is not in the table (then 15..34 is accepted). This
    function can't fail. */
int iban_country_length(const char *country);

/*  True when a normalised IBAN (upper-case letters and digits, at least 5
    characters) passes mod 97, i.e. its rearranged number mod 97 is 1 and
    its check digits are neither 00, 01 nor 99. This function can't fail;
    other input gives false. */
bool iban_checksum_ok(const char *iban);

/*  A normalised IBAN for display: the country code, "**" for the check
    digits, groups of "****", and the last four characters:
    "NL** **** **** **** 4300", "DE** **** **** **** **** 3000". Shorter
    than 12 characters: no tail is shown. buf at least IBAN_MASK_SIZE bytes.
    Returns buf. */
char *iban_mask(const char *iban, char *buf);

#endif
