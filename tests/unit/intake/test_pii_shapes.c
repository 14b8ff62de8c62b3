/*  tests/unit/intake/test_pii_shapes.c - personal data known by its shape:
    BSN, IBAN, postal code, date of birth, and the Dutch phone forms. */
#include "services/intake/pii.h"
#include "services/intake/pii_shapes.h"
#include "tests/unit/test.h"
#include <stdlib.h>

/*  Scan text with no participants known and return the matches. */
static pii_match_t *s_scan(const char *text, size_t *n)
{
    pii_match_t *m = NULL;
    sm_err_t err = {0};
    CHECK_INT(pii_scan(NULL, text, strlen(text), &m, n, &err), 0);
    return m;
}

/*  The matches of text as "kind:text;kind:text". */
static const char *s_found(const char *text, char *buf, size_t size)
{
    size_t n, used = 0;
    pii_match_t *m = s_scan(text, &n);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s:%s", i ? ";" : "",
                                 pii_kind_name(m[i].kind), m[i].text);
    pii_matches_destroy(&m, n);
    return buf;
}

#define CHECK_FOUND(text, want)                                                                    \
    do {                                                                                           \
        char t_buf[512];                                                                           \
        CHECK_STR(s_found(text, t_buf, sizeof t_buf), want);                                       \
    } while (0)

TEST(bsn_eleven_test_accepts_valid_and_refuses_invalid_numbers)
{
    CHECK(pii_bsn_valid("123456782"));
    CHECK(pii_bsn_valid("111222333"));
    CHECK(pii_bsn_valid("192837461"));
    CHECK(!pii_bsn_valid("123456789"));
    CHECK(!pii_bsn_valid("111222334"));
    CHECK(!pii_bsn_valid("000000000")); /*  sums to 0, but is no number */
    CHECK(!pii_bsn_valid("12345678a"));
}

TEST(bsn_is_found_in_its_written_forms_when_it_passes_the_eleven_test)
{
    CHECK_FOUND("Haar nummer is 123456782, zei ze.", "bsn:123456782");
    CHECK_FOUND("Op de brief: 1234.56.782 en 1234 56 782.", "bsn:1234.56.782;bsn:1234 56 782");
    CHECK_FOUND("Of 123-456-782.", "bsn:123-456-782");
    //  Nine digits that fail the 11-test are another number.
    CHECK_FOUND("Kenmerk 123456789 staat op de factuur.", "");
    //  ... unless the text says it is a BSN.
    CHECK_FOUND("Zijn BSN is 123456789.", "bsn:123456789");
    CHECK_FOUND("burgerservicenummer: 2345.67.891", "bsn:2345.67.891");
}

TEST(amounts_and_longer_numbers_are_not_bsn)
{
    //  123.456.782 is written like an amount; the rest are money or too long.
    CHECK_FOUND("Totaal 123.456.782 bezoekers", "");
    CHECK_FOUND("Het budget is € 123456782 of EUR 111222333.", "");
    CHECK_FOUND("Ruim 111222333 euro.", "");
    CHECK_FOUND("Code A123456782 en 1234567820 en 12345678.", "");
}

TEST(iban_mod97_accepts_valid_and_refuses_invalid_accounts)
{
    CHECK(pii_iban_valid("NL91ABNA0417164300", 18));
    CHECK(pii_iban_valid("nl91abna0417164300", 18));
    CHECK(pii_iban_valid("BE68539007547034", 16));
    CHECK(pii_iban_valid("DE89370400440532013000", 22));
    CHECK(!pii_iban_valid("NL91ABNA0417164301", 18)); /*  one digit off */
    CHECK(!pii_iban_valid("NL19ABNA0417164300", 18)); /*  check digits swapped */
    CHECK(!pii_iban_valid("NL91ABNA041716430", 17));  /*  NL is 18 long */
    CHECK(!pii_iban_valid("NL91 ABNA0417164300", 19));
}

TEST(iban_is_found_together_or_in_groups_of_four)
{
    CHECK_FOUND("Op NL91 ABNA 0417 1643 00 graag.", "iban:NL91 ABNA 0417 1643 00");
    CHECK_FOUND("Rekening NL91ABNA0417164300.", "iban:NL91ABNA0417164300");
    CHECK_FOUND("Rekening nl91abna0417164300 en BE68 5390 0754 7034 ook",
                "iban:nl91abna0417164300;iban:BE68 5390 0754 7034");
    CHECK_FOUND("Een fout: NL91 ABNA 0417 1643 01.", "phone:0417 1643 01");
    CHECK_FOUND("Typen NL12 en AB34 zijn geen rekeningen.", "");
}

TEST(postcode_is_found_with_or_without_space_and_house_number)
{
    CHECK_FOUND("Adres: Kerkstraat 1, 1271 AB Huizen.", "postcode:1271 AB");
    CHECK_FOUND("Naar 1271AB of 1271ab.", "postcode:1271AB;postcode:1271ab");
    CHECK_FOUND("Woont op 1271 AB 12 en 1272 CD-3a.", "postcode:1271 AB 12;postcode:1272 CD-3a");
    CHECK_FOUND("Postcode 1382 AZ, 14.", "postcode:1382 AZ, 14");
    //  A unit after a number, unless a place follows; never SA, SD, SS.
    CHECK_FOUND("1500 KB aan bestanden en 1251 KM Laren.", "postcode:1251 KM");
    CHECK_FOUND("1234 SS Huizen, 0123 AB, 12345 AB, 1234 ABC, 1234 ab.", "");
    CHECK_FOUND("In 2019 EN 2020 niet; in 2019 deden 1234 mensen mee.", "");
    CHECK_FOUND("Adres: 1231 EN Loosdrecht.", "postcode:1231 EN");
}

TEST(dutch_phone_forms_are_found)
{
    CHECK_FOUND("Bel 06-12345678.", "phone:06-12345678");
    CHECK_FOUND("Bel +31 6 1234 5678.", "phone:+31 6 1234 5678");
    CHECK_FOUND("Bel 020-1234567.", "phone:020-1234567");
    CHECK_FOUND("Bel 0031 20 123 4567.", "phone:0031 20 123 4567");
    CHECK_FOUND("Bel 0031612345678.", "phone:0031612345678");
    CHECK_FOUND("Bel (035) 602 11 22.", "phone:(035) 602 11 22");
    CHECK_FOUND("Bel 035 - 623 45 67.", "phone:035 - 623 45 67");
    CHECK_FOUND("Bel 06 12 34 56 78.", "phone:06 12 34 56 78");
    CHECK_FOUND("Om 10.30 uur, 1.200 euro, 14-10-2019, 0800-1234.", "");
}

TEST(a_date_after_a_birth_word_is_a_date_of_birth_in_any_form)
{
    CHECK_FOUND("Zij is geboren op 12 maart 1985 in Casablanca.", "birth_date:12 maart 1985");
    CHECK_FOUND("Geboortedatum: 03-04-1962.", "birth_date:03-04-1962");
    CHECK_FOUND("Mevrouw (geb. 17-09-1948) komt.", "birth_date:17-09-1948");
    CHECK_FOUND("geb. 2-2-51", "birth_date:2-2-51");
    CHECK_FOUND("Hij is geboren in 1954.", "birth_date:1954");
    CHECK_FOUND("Geboren in september 1966 in Paramaribo.", "birth_date:september 1966");
    CHECK_FOUND("Zij is geboren op 3 mei.", "birth_date:3 mei");
    CHECK_FOUND("Geboren op 1 januari 1950.", "birth_date:1 januari 1950");
    CHECK_FOUND("geb. 12 mrt. 1985", "birth_date:12 mrt. 1985");
    //  The birth word and the date must share the sentence.
    CHECK_FOUND("Hij is hier geboren. In 2019 verhuisde hij.", "");
    CHECK_FOUND("Geboren en getogen in Huizen.", "");
}

TEST(a_full_date_in_a_plausible_birth_year_is_a_date_of_birth)
{
    //  Today is 2026-01-15 (set in main): 1916 .. 2014 are birth years.
    CHECK_FOUND("In het dossier staat 14-07-1990.", "birth_date:14-07-1990");
    CHECK_FOUND("In het dossier staat 1990-07-14.", "birth_date:1990-07-14");
    CHECK_FOUND("Van 8 februari 1939 tot nu.", "birth_date:8 februari 1939");
    CHECK_FOUND("Zoon van 21/11/2008.", "birth_date:21/11/2008");
    //  Recent dates, dates without a year or of two digits, dates long
    //  ago, invalid dates and 1 January (the day laws start) are not.
    CHECK_FOUND("Op 12-03-2020 en 30 oktober 2019 en 14 mei.", "");
    CHECK_FOUND("Sinds 12-03-1900, 12-03-85 en 31-02-1980 en 1980-13-01.", "");
    CHECK_FOUND("Per 1 januari 2007 geldt de Wmo; per 01-01-1994 de wet.", "");
}

int main(void)
{
    setenv("SAMEN_TODAY", "2026-01-15", 1);
    RUN(bsn_eleven_test_accepts_valid_and_refuses_invalid_numbers);
    RUN(bsn_is_found_in_its_written_forms_when_it_passes_the_eleven_test);
    RUN(amounts_and_longer_numbers_are_not_bsn);
    RUN(iban_mod97_accepts_valid_and_refuses_invalid_accounts);
    RUN(iban_is_found_together_or_in_groups_of_four);
    RUN(postcode_is_found_with_or_without_space_and_house_number);
    RUN(dutch_phone_forms_are_found);
    RUN(a_date_after_a_birth_word_is_a_date_of_birth_in_any_form);
    RUN(a_full_date_in_a_plausible_birth_year_is_a_date_of_birth);
    return DONE();
}
