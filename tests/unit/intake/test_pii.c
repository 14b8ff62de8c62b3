/*  tests/unit/intake/test_pii.c - finding participants' data in a text. */
#include "services/intake/pii.h"
#include "tests/unit/test.h"
#include <stdlib.h>

/*  Scan text (NUL-terminated) and return the matches; count in *n. */
static pii_match_t *s_scan(const pii_index_t *index, const char *text, size_t *n)
{
    pii_match_t *m = NULL;
    sm_err_t err = {0};
    int rc = pii_scan(index, text, strlen(text), &m, n, &err);
    CHECK_INT(rc, 0);
    return m;
}

/*  Check one match exactly. */
#define CHECK_MATCH(m, k, id, off, txt)                                                            \
    do {                                                                                           \
        CHECK_STR(pii_kind_name((m).kind), k);                                                     \
        CHECK_STR((m).participant_id, id);                                                         \
        CHECK_INT((m).offset, off);                                                                \
        CHECK_INT((m).length, strlen(txt));                                                        \
        CHECK_STR((m).text, txt);                                                                  \
    } while (0)

static pii_index_t *s_index(void)
{
    pii_index_t *index = pii_index_new();
    sm_err_t err = {0};
    CHECK_INT(pii_index_put(index, "P1", "Jan de Vries", "jan@example.nl", "06-12345678", &err), 0);
    CHECK_INT(pii_index_put(index, "P2", "Maria van den Heuvel-Smit", "Anna.Bakker@Example.NL",
                            "+32 470 12 34 56", &err),
              0);
    CHECK_INT(pii_index_put(index, "P3", "José Müller", NULL, NULL, &err), 0);
    CHECK_INT(pii_index_put(index, "P4", "Jan-Willem Strauß", NULL, "", &err), 0);
    CHECK_INT(pii_index_put(index, "P5", "IJsbrand Öztürk", NULL, NULL, &err), 0);
    CHECK_INT(pii_index_put(index, "P6", "Fatima", NULL, NULL, &err), 0);
    CHECK_INT(pii_index_put(index, "P7", "Al", NULL, NULL, &err), 0);
    CHECK_INT(pii_index_size(index), 7);
    return index;
}

TEST(full_name_is_found_case_insensitively_on_word_boundaries)
{
    pii_index_t *index = s_index();
    size_t n;
    pii_match_t *m = s_scan(index, "Gisteren sprak JAN DE VRIES over de taxi.", &n);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_MATCH(m[0], "name", "P1", 15, "JAN DE VRIES");
    pii_matches_destroy(&m, n);
    CHECK(m == NULL);
    m = s_scan(index, "Jansen de Vriesland en jan de vriesje", &n);
    CHECK_INT(n, 0);
    pii_matches_destroy(&m, n);
    pii_index_destroy(&index);
    CHECK(index == NULL);
    pii_index_destroy(&index);
}

TEST(first_last_form_is_found_and_so_are_first_names_and_surnames_alone)
{
    pii_index_t *index = s_index();
    size_t n;
    pii_match_t *m = s_scan(index, "Maria Heuvel-Smit kwam; Jan Vries ook.", &n);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_MATCH(m[0], "name", "P2", 0, "Maria Heuvel-Smit");
        CHECK_MATCH(m[1], "name", "P1", 24, "Jan Vries");
    }
    pii_matches_destroy(&m, n);
    m = s_scan(index, "Maria kwam, mevrouw Van den Heuvel-Smit ook, en De Vries, Jan, en Heuvel.",
               &n);
    CHECK_INT(n, 5);
    if (n == 5) {
        CHECK_MATCH(m[0], "name", "P2", 0, "Maria");
        CHECK_MATCH(m[1], "name", "P2", 12, "mevrouw Van den Heuvel-Smit");
        CHECK_MATCH(m[2], "name", "P1", 48, "De Vries");
        CHECK_MATCH(m[3], "name", "P1", 58, "Jan");
        CHECK_MATCH(m[4], "name", "P2", 66, "Heuvel");
    }
    pii_matches_destroy(&m, n);
    //  Written in small letters they are ordinary words ("de vries" is not
    //  Dutch, but "maria" and "jan" in small letters are no names either).
    m = s_scan(index, "de heuvel op, en maria kwam met jan", &n);
    CHECK_INT(n, 0);
    pii_matches_destroy(&m, n);
    pii_index_destroy(&index);
}

TEST(accents_ligatures_and_decomposed_forms_are_folded)
{
    pii_index_t *index = s_index();
    size_t n;
    //  "Jose\u0301 Mu\u0308ller" is José Müller written with combining accents.
    pii_match_t *m =
        s_scan(index,
               "Jose Muller, JOSÉ MÜLLER, Jose\xcc\x81 Mu\xcc\x88ller; jan willem strauss; "
               "\xc4\xb2sbrand Ozturk",
               &n);
    CHECK_INT(n, 5);
    if (n == 5) {
        CHECK_MATCH(m[0], "name", "P3", 0, "Jose Muller");
        CHECK_MATCH(m[1], "name", "P3", 13, "JOSÉ MÜLLER");
        CHECK_MATCH(m[2], "name", "P3", 28, "Jose\xcc\x81 Mu\xcc\x88ller");
        CHECK_MATCH(m[3], "name", "P4", 45, "jan willem strauss");
        CHECK_MATCH(m[4], "name", "P5", 65, "\xc4\xb2sbrand Ozturk");
    }
    pii_matches_destroy(&m, n);
    pii_index_destroy(&index);
}

TEST(names_may_span_spaces_hyphens_and_line_breaks_but_not_punctuation)
{
    pii_index_t *index = s_index();
    size_t n;
    pii_match_t *m = s_scan(index, "Jan\n de\u00a0Vries", &n);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_MATCH(m[0], "name", "P1", 0, "Jan\n de\u00a0Vries");
    pii_matches_destroy(&m, n);
    //  Punctuation splits the full name; its parts are still found alone.
    m = s_scan(index, "Jan, de Vries; Jan (de) Vries; Jan/de/Vries", &n);
    CHECK_INT(n, 6);
    for (size_t i = 0; i < n; i++)
        CHECK_STR(m[i].text, i % 2 ? "Vries" : "Jan");
    pii_matches_destroy(&m, n);
    pii_index_destroy(&index);
}

TEST(one_word_names_are_found_when_at_least_three_letters)
{
    pii_index_t *index = s_index();
    size_t n;
    pii_match_t *m = s_scan(index, "Al zei dat fatima kwam.", &n);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_MATCH(m[0], "name", "P6", 11, "fatima");
    pii_matches_destroy(&m, n);
    pii_index_destroy(&index);
}

TEST(participant_email_is_found_case_insensitively)
{
    pii_index_t *index = s_index();
    size_t n;
    pii_match_t *m =
        s_scan(index, "Mail ANNA.BAKKER@EXAMPLE.NL. Of <jan@Example.nl>, of info@hilversum.nl", &n);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_MATCH(m[0], "email", "P2", 5, "ANNA.BAKKER@EXAMPLE.NL");
        CHECK_MATCH(m[1], "email", "P1", 33, "jan@Example.nl");
        CHECK_MATCH(m[2], "email", "", 53, "info@hilversum.nl");
    }
    pii_matches_destroy(&m, n);
    m = s_scan(index, "twitter @samen, a@b, x@y.z1, @@, jan@ example.nl", &n);
    CHECK_INT(n, 0);
    pii_matches_destroy(&m, n);
    pii_index_destroy(&index);
}

TEST(participant_phone_is_found_in_any_written_form)
{
    pii_index_t *index = s_index();
    size_t n;
    const char *text = "bel 06-12345678, 06 1234 5678, +31 (0)6 12 34 56 78 of 0031612345678.";
    pii_match_t *m = s_scan(index, text, &n);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_MATCH(m[0], "phone", "P1", 4, "06-12345678");
        CHECK_MATCH(m[1], "phone", "P1", 17, "06 1234 5678");
        CHECK_MATCH(m[2], "phone", "P1", 31, "+31 (0)6 12 34 56 78");
        CHECK_MATCH(m[3], "phone", "P1", 55, "0031612345678");
    }
    pii_matches_destroy(&m, n);
    pii_index_destroy(&index);
}

TEST(dutch_phone_shapes_are_found_without_a_participant)
{
    size_t n;
    pii_match_t *m =
        s_scan(NULL, "Balie: (020) 123 45 67 of 035-1234567, mobiel +31 6 87654321.", &n);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_MATCH(m[0], "phone", "", 7, "(020) 123 45 67");
        CHECK_MATCH(m[1], "phone", "", 26, "035-1234567");
        CHECK_MATCH(m[2], "phone", "", 46, "+31 6 87654321");
    }
    pii_matches_destroy(&m, n);
}

TEST(foreign_numbers_are_found_only_when_they_belong_to_a_participant)
{
    pii_index_t *index = s_index();
    size_t n;
    pii_match_t *m = s_scan(index, "Belgie: +32 470 12 34 56 en +32 470 99 99 99", &n);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_MATCH(m[0], "phone", "P2", 8, "+32 470 12 34 56");
    pii_matches_destroy(&m, n);
    pii_index_destroy(&index);
}

TEST(dates_times_and_other_numbers_are_not_phone_numbers)
{
    size_t n;
    pii_match_t *m = s_scan(NULL,
                            "Op 01-02-2020 10.00 uur, 18/01/2020 09.30, budget 1234567890, "
                            "ref A0612345678, 2020-01-18, 0612345678901234567890123, 0800-1234.",
                            &n);
    CHECK_INT(n, 0);
    pii_matches_destroy(&m, n);
    //  A number followed by another number is still found.
    m = s_scan(NULL, "bel 06-87654321 2 keer", &n);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_MATCH(m[0], "phone", "", 4, "06-87654321");
    pii_matches_destroy(&m, n);
}

TEST(overlapping_matches_keep_the_longest)
{
    pii_index_t *index = pii_index_new();
    sm_err_t err = {0};
    CHECK_INT(pii_index_put(index, "P1", "Jan Devries", NULL, "0612345678", &err), 0);
    size_t n;
    pii_match_t *m = s_scan(index, "jan.devries@example.nl en 0612345678@sms.example.nl", &n);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_MATCH(m[0], "email", "", 0, "jan.devries@example.nl");
        CHECK_MATCH(m[1], "email", "", 26, "0612345678@sms.example.nl");
    }
    pii_matches_destroy(&m, n);
    pii_index_destroy(&index);
}

TEST(shared_name_names_the_lowest_id)
{
    pii_index_t *index = pii_index_new();
    sm_err_t err = {0};
    CHECK_INT(pii_index_put(index, "P12", "Anna de Boer", NULL, NULL, &err), 0);
    CHECK_INT(pii_index_put(index, "P3", "Anna de Boer", NULL, NULL, &err), 0);
    CHECK_INT(pii_index_put(index, "P20", "Anna de Boer-Jansen", NULL, NULL, &err), 0);
    size_t n;
    pii_match_t *m = s_scan(index, "Anna de Boer. Anna de Boer-Jansen.", &n);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_MATCH(m[0], "name", "P3", 0, "Anna de Boer");
        CHECK_MATCH(m[1], "name", "P20", 14, "Anna de Boer-Jansen");
    }
    pii_matches_destroy(&m, n);
    //  When P3 is erased, the next lowest ID with that name is named.
    CHECK_INT(pii_index_remove(index, "P3"), 0);
    m = s_scan(index, "anna de boer", &n);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_MATCH(m[0], "name", "P12", 0, "anna de boer");
    pii_matches_destroy(&m, n);
    pii_index_destroy(&index);
}

TEST(names_in_other_scripts_match_as_written)
{
    pii_index_t *index = pii_index_new();
    sm_err_t err = {0};
    CHECK_INT(pii_index_put(index, "P8", "Αλέξης Παπαδόπουλος", NULL, NULL, &err), 0);
    CHECK_INT(pii_index_put(index, "P9", "محمد الحسن", NULL, NULL, &err), 0);
    size_t n;
    pii_match_t *m = s_scan(index, "«Αλέξης Παπαδόπουλος» en محمد الحسن.", &n);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_MATCH(m[0], "name", "P8", 2, "Αλέξης Παπαδόπουλος");
        CHECK_MATCH(m[1], "name", "P9", 45, "محمد الحسن");
    }
    pii_matches_destroy(&m, n);
    pii_index_destroy(&index);
}

TEST(any_text_gives_sorted_non_overlapping_matches_within_bounds)
{
    //  A bounded deterministic fuzz over the characters the scanners care
    //  about; ASan and UBSan watch the memory, the checks watch the result.
    static const char *const alphabet[] = {"0", "6", "3", "1", " ", "-",        "(",  ")", ".",
                                           "+", "@", "a", "J", "é", "\xc4\xb2", "\n", "'", "x"};
    pii_index_t *index = s_index();
    uint32_t seed = 12345;
    int bad = 0;
    for (int round = 0; round < 3000; round++) {
        char text[512];
        size_t len = 0;
        seed = seed * 1103515245u + 12345u;
        size_t want = (seed >> 16) % 200;
        while (len < want) {
            seed = seed * 1103515245u + 12345u;
            const char *piece = alphabet[(seed >> 16) % (sizeof alphabet / sizeof alphabet[0])];
            if ((seed >> 8) % 7 == 0)
                piece = (seed >> 4) % 2 ? "jan de vries" : "06-12345678";
            size_t pl = strlen(piece);
            memcpy(text + len, piece, pl);
            len += pl;
        }
        text[len] = '\0';
        pii_match_t *m = NULL;
        size_t n = 0;
        sm_err_t err = {0};
        if (pii_scan(index, text, len, &m, &n, &err) != 0) {
            bad++;
            continue;
        }
        size_t prev_end = 0;
        for (size_t i = 0; i < n; i++) {
            if (m[i].offset < prev_end || m[i].length == 0 || m[i].offset + m[i].length > len ||
                memcmp(m[i].text, text + m[i].offset, m[i].length) != 0)
                bad++;
            prev_end = m[i].offset + m[i].length;
        }
        pii_matches_destroy(&m, n);
    }
    CHECK_INT(bad, 0);
    pii_index_destroy(&index);
}

TEST(random_dutch_fragments_give_sorted_non_overlapping_matches_within_bounds)
{
    //  The same for the pieces the name, number and date scanners care
    //  about, glued at random: titles, particles, initials, possessives,
    //  month words, digit groups, postal codes, IBAN starts.
    static const char *const pieces[] = {
        "Mevrouw ", "mw. ",    "de heer ", "van ",   "der ",     "'t ",    "J.",    "P. ",
        "Bakker",   "Vries",   "Jan",      "Maria",  "'s ",      "s ",     "-",     "\xe2\x80\x99",
        "geboren ", "geb. ",   "12 ",      "maart ", "1985",     "-03-",   "06",    "1271 ",
        "AB",       "NL91 ",   "ABNA ",    "0417 ",  "123456782", ". ",    "\n",    "Huizen ",
        "vertelde ", "Zacharias", " ",     "\xc4\xb2", "\xcc\x81", "(",     "@",     "€ "};
    pii_index_t *index = s_index();
    uint32_t seed = 2026;
    int bad = 0;
    for (int round = 0; round < 3000; round++) {
        char text[1024];
        size_t len = 0;
        seed = seed * 1103515245u + 12345u;
        size_t want = (seed >> 16) % 60;
        for (size_t k = 0; k < want; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *piece = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            size_t pl = strlen(piece);
            if (len + pl >= sizeof text)
                break;
            memcpy(text + len, piece, pl);
            len += pl;
        }
        text[len] = '\0';
        pii_match_t *m = NULL;
        size_t n = 0;
        sm_err_t err = {0};
        if (pii_scan(index, text, len, &m, &n, &err) != 0) {
            bad += strcmp(err.field, "text") != 0; /*  a lone combining mark is still UTF-8 */
            continue;
        }
        size_t prev_end = 0;
        for (size_t i = 0; i < n; i++) {
            if (m[i].offset < prev_end || m[i].length == 0 || m[i].offset + m[i].length > len ||
                memcmp(m[i].text, text + m[i].offset, m[i].length) != 0 ||
                strcmp(pii_kind_name(m[i].kind), "unknown") == 0)
                bad++;
            prev_end = m[i].offset + m[i].length;
        }
        pii_matches_destroy(&m, n);
    }
    CHECK_INT(bad, 0);
    pii_index_destroy(&index);
}

TEST(removed_and_replaced_participants_are_no_longer_found)
{
    pii_index_t *index = s_index();
    CHECK_INT(pii_index_remove(index, "P1"), 0);
    CHECK_INT(pii_index_remove(index, "P1"), -1);
    CHECK_INT(pii_index_remove(index, "P99"), -1);
    CHECK_INT(pii_index_size(index), 6);
    size_t n;
    //  Still shaped like a name (a listed first name and a surname), but
    //  nobody's any more.
    pii_match_t *m = s_scan(index, "Jan de Vries, jan@example.nl", &n);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_MATCH(m[0], "possible_name", "", 0, "Jan de Vries");
        CHECK_MATCH(m[1], "email", "", 14, "jan@example.nl");
    }
    pii_matches_destroy(&m, n);
    sm_err_t err = {0};
    CHECK_INT(pii_index_put(index, "P3", "Josefien Muller", NULL, NULL, &err), 0);
    CHECK_INT(pii_index_size(index), 6);
    //  José Müller is no longer known; his surname still is (Josefien's).
    m = s_scan(index, "José Müller en Josefien Muller; Josefien", &n);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_MATCH(m[0], "name", "P3", 0, "José Müller");
        CHECK_MATCH(m[1], "name", "P3", 17, "Josefien Muller");
        CHECK_MATCH(m[2], "name", "P3", 34, "Josefien");
    }
    pii_matches_destroy(&m, n);
    pii_index_destroy(&index);
}

TEST(put_refuses_bad_input_and_leaves_the_index_alone)
{
    pii_index_t *index = s_index();
    sm_err_t err = {0};
    CHECK_INT(pii_index_put(index, "", "X", NULL, NULL, &err), -1);
    CHECK_STR(err.field, "id");
    CHECK_INT(pii_index_put(index, "P 1", "X", NULL, NULL, &err), -1);
    CHECK_STR(err.field, "id");
    CHECK_INT(pii_index_put(index, "P1", "Other Name", "not-an-address", NULL, &err), -1);
    CHECK_STR(err.field, "email");
    CHECK_INT(pii_index_put(index, "P1", "Other Name", NULL, "12", &err), -1);
    CHECK_STR(err.field, "phone");
    CHECK_INT(pii_index_put(index, "P1", "Bad \xff", NULL, NULL, &err), -1);
    CHECK_STR(err.field, "name");
    CHECK_INT(pii_index_size(index), 7);
    size_t n;
    pii_match_t *m = s_scan(index, "Jan de Vries", &n);
    CHECK_INT(n, 1);
    pii_matches_destroy(&m, n);
    pii_index_destroy(&index);
}

TEST(scan_refuses_too_long_or_invalid_text)
{
    sm_err_t err = {0};
    pii_match_t *m = NULL;
    size_t n = 99;
    size_t big = PII_TEXT_MAX + 1;
    char *text = malloc(big);
    memset(text, 'a', big);
    CHECK_INT(pii_scan(NULL, text, big, &m, &n, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "text");
    CHECK_STR(err.message, "text is 1048577 bytes; give at most 1048576 bytes (1 MB) per scan");
    CHECK(m == NULL);
    CHECK_INT(n, 0);
    CHECK_INT(pii_scan(NULL, text, PII_TEXT_MAX, &m, &n, &err), 0);
    CHECK_INT(n, 0);
    free(text);
    CHECK_INT(pii_scan(NULL, "ab\xc3", 3, &m, &n, &err), -1);
    CHECK_STR(err.field, "text");
    CHECK_INT(pii_scan(NULL, "", 0, &m, &n, &err), 0);
    CHECK_INT(n, 0);
}

TEST(hundred_thousand_participants_are_scanned_in_one_pass)
{
    //  10 x 40 first names and 10 x 25 family names: 100,000 distinct people.
    static const char *const first[] = {"Anna",  "Bram", "Cor",   "Daan", "Eva",
                                        "Fenna", "Gijs", "Hanna", "Ivo",  "Joost"};
    static const char *const family[] = {"de Jong", "Jansen", "de Vries", "van den Berg", "Bakker",
                                         "Visser",  "Smit",   "Meijer",   "de Boer",      "Mulder"};
    pii_index_t *index = pii_index_new();
    sm_err_t err = {0};
    char id[16], name[64], email[64], phone[16];
    int failures = 0;
    for (int i = 0; i < 100000; i++) {
        snprintf(id, sizeof id, "P%d", i + 1);
        snprintf(name, sizeof name, "%s%d %s%d", first[i % 10], i / 100 % 40, family[i / 10 % 10],
                 i / 4000);
        snprintf(email, sizeof email, "p%d@example.nl", i + 1);
        snprintf(phone, sizeof phone, "06%08d", i + 1);
        failures += pii_index_put(index, id, name, email, phone, &err) != 0;
    }
    CHECK_INT(failures, 0);
    CHECK_INT(pii_index_size(index), 100000);
    //  About 1 MB of report text with three participants in the middle.
    size_t cap = PII_TEXT_MAX;
    char *text = malloc(cap + 1);
    size_t len = 0;
    const char *filler = "De werkgroep besprak de vervoersvoorziening en de wachttijden. ";
    while (len + strlen(filler) < cap / 2) {
        memcpy(text + len, filler, strlen(filler));
        len += strlen(filler);
    }
    //  i = 12345 is P12346, "Fenna3 Bakker3".
    const char *planted = "Fenna3 Bakker3 zei het, p777@Example.nl mailde, 06 0000 0042 belde. ";
    size_t planted_at = len;
    memcpy(text + len, planted, strlen(planted));
    len += strlen(planted);
    while (len + strlen(filler) < cap) {
        memcpy(text + len, filler, strlen(filler));
        len += strlen(filler);
    }
    text[len] = '\0';
    pii_match_t *m = NULL;
    size_t n = 0;
    CHECK_INT(pii_scan(index, text, len, &m, &n, &err), 0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_MATCH(m[0], "name", "P12346", planted_at, "Fenna3 Bakker3");
        CHECK_MATCH(m[1], "email", "P777", planted_at + 24, "p777@Example.nl");
        CHECK_MATCH(m[2], "phone", "P42", planted_at + 48, "06 0000 0042");
    }
    pii_matches_destroy(&m, n);
    free(text);
    for (int i = 0; i < 100000; i += 2) {
        snprintf(id, sizeof id, "P%d", i + 1);
        failures += pii_index_remove(index, id) != 0;
    }
    CHECK_INT(failures, 0);
    CHECK_INT(pii_index_size(index), 50000);
    pii_index_destroy(&index);
}

TEST(fold_words_lower_cases_folds_accents_and_splits_on_joiners)
{
    char out[128];
    const char *name = "  Jan-Willem  M\xc3\xbcller d'Anc\xc3\xb3na ";
    CHECK_INT(pii_fold_words(name, strlen(name), out, sizeof out), 5);
    CHECK_STR(out, "jan willem muller d ancona");
    const char *ij = "\xc4\xb2sselmeer Stra\xc3\x9f" "e";
    CHECK_INT(pii_fold_words(ij, strlen(ij), out, sizeof out), 2);
    CHECK_STR(out, "ijsselmeer strasse");
    CHECK_INT(pii_fold_words("!!", 2, out, sizeof out), 0);
    CHECK_STR(out, "");
    //  Not UTF-8, or no room: refused with an empty result.
    CHECK_INT(pii_fold_words("a\xff", 2, out, sizeof out), -1);
    CHECK_STR(out, "");
    CHECK_INT(pii_fold_words("abcdef", 6, out, 4), -1);
    CHECK_STR(out, "");
    //  len + 1 always suffices.
    CHECK_INT(pii_fold_words("Ab Cd", 5, out, 6), 2);
    CHECK_STR(out, "ab cd");
}

int main(void)
{
    setenv("SAMEN_TODAY", "2026-01-15", 1); /*  dates of birth are judged against it */
    RUN(full_name_is_found_case_insensitively_on_word_boundaries);
    RUN(first_last_form_is_found_and_so_are_first_names_and_surnames_alone);
    RUN(accents_ligatures_and_decomposed_forms_are_folded);
    RUN(names_may_span_spaces_hyphens_and_line_breaks_but_not_punctuation);
    RUN(one_word_names_are_found_when_at_least_three_letters);
    RUN(participant_email_is_found_case_insensitively);
    RUN(participant_phone_is_found_in_any_written_form);
    RUN(dutch_phone_shapes_are_found_without_a_participant);
    RUN(foreign_numbers_are_found_only_when_they_belong_to_a_participant);
    RUN(dates_times_and_other_numbers_are_not_phone_numbers);
    RUN(overlapping_matches_keep_the_longest);
    RUN(shared_name_names_the_lowest_id);
    RUN(names_in_other_scripts_match_as_written);
    RUN(any_text_gives_sorted_non_overlapping_matches_within_bounds);
    RUN(random_dutch_fragments_give_sorted_non_overlapping_matches_within_bounds);
    RUN(removed_and_replaced_participants_are_no_longer_found);
    RUN(put_refuses_bad_input_and_leaves_the_index_alone);
    RUN(scan_refuses_too_long_or_invalid_text);
    RUN(hundred_thousand_participants_are_scanned_in_one_pass);
    RUN(fold_words_lower_cases_folds_accents_and_splits_on_joiners);
    return DONE();
}
