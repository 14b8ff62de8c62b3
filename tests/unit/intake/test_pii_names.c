/*  tests/unit/intake/test_pii_names.c - names in Dutch text: participants'
    first names and surnames alone, with particles, titles, possessives and
    initials; people who are not in the address file; and the ordinary
    capitalised words that must not be taken for names. */
#include "services/intake/pii.h"
#include "services/intake/pii_lexicon.h"
#include "tests/unit/test.h"
#include <stdlib.h>

/*  The address file of these tests. */
static pii_index_t *s_index(void)
{
    static const char *const people[][2] = {
        {"P1", "Mohammed Ouali"},       {"P2", "Anna de Vries"},
        {"P3", "Johan Bakker"},         {"P4", "Els van der Meer"},
        {"P5", "Maria van den Heuvel"}, {"P6", "Sanne de Jong"},
        {"P7", "Kees Huizen"},          {"P8", "Wil Laren"},
        {"P9", "Fatma Yıldız"},         {"P10", "Jan-Willem Groot"}};
    pii_index_t *index = pii_index_new();
    CHECK(index != NULL);
    sm_err_t err = {0};
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
        CHECK_INT(pii_index_put(index, people[i][0], people[i][1], NULL, NULL, &err), 0);
    return index;
}

/*  The matches of text as "kind/participant:text;..." ("kind:text" when
    nobody's). */
static const char *s_found(const pii_index_t *index, const char *text, char *buf, size_t size)
{
    pii_match_t *m = NULL;
    size_t n = 0, used = 0;
    sm_err_t err = {0};
    CHECK_INT(pii_scan(index, text, strlen(text), &m, &n, &err), 0);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        used += (size_t)snprintf(buf + used, size - used, "%s%s%s%s:%s", i ? ";" : "",
                                 pii_kind_name(m[i].kind), m[i].participant_id[0] ? "/" : "",
                                 m[i].participant_id, m[i].text);
        CHECK(memcmp(text + m[i].offset, m[i].text, m[i].length) == 0);
    }
    pii_matches_destroy(&m, n);
    return buf;
}

#define CHECK_FOUND(index, text, want)                                                             \
    do {                                                                                           \
        char t_buf[1024];                                                                          \
        CHECK_STR(s_found(index, text, t_buf, sizeof t_buf), want);                                \
    } while (0)

TEST(a_participants_first_name_alone_is_found)
{
    pii_index_t *ix = s_index();
    CHECK_FOUND(ix, "Mohammed vertelde dat de taxi te laat kwam.", "name/P1:Mohammed");
    CHECK_FOUND(ix, "Volgens Sanne is dat niet zo.", "name/P6:Sanne");
    CHECK_FOUND(ix, "Het idee van Jan-Willem kreeg steun.", "name/P10:Jan-Willem");
    //  Accents folded: Yıldız is written with a dotless i.
    CHECK_FOUND(ix, "Ook Fatma Yildiz kwam.", "name/P9:Fatma Yildiz");
    //  In small letters it is no name.
    CHECK_FOUND(ix, "de mohammed-moskee en sanne", "");
    pii_index_destroy(&ix);
}

TEST(a_participants_surname_alone_is_found_with_its_particles)
{
    pii_index_t *ix = s_index();
    CHECK_FOUND(ix, "Bakker gaf aan dat hij liever de bus neemt.", "name/P3:Bakker");
    CHECK_FOUND(ix, "Van der Meer was het er niet mee eens.", "name/P4:Van der Meer");
    CHECK_FOUND(ix, "Toen sprak van der Meer.", "name/P4:van der Meer");
    CHECK_FOUND(ix, "De Jong stelde voor later te beginnen.", "name/P6:De Jong");
    CHECK_FOUND(ix, "Volgens Van den Heuvel klopt dat.", "name/P5:Van den Heuvel");
    CHECK_FOUND(ix, "Ook De Vries vond dat.", "name/P2:De Vries");
    pii_index_destroy(&ix);
}

TEST(titles_make_a_name_of_the_word_after_them)
{
    pii_index_t *ix = s_index();
    CHECK_FOUND(ix, "Mevrouw Bakker vertelde over haar zoon.", "name/P3:Mevrouw Bakker");
    CHECK_FOUND(ix, "Volgens meneer De Jong niet.", "name/P6:meneer De Jong");
    CHECK_FOUND(ix, "Ook mw. Van der Meer en dhr. Ouali kwamen.",
                "name/P4:mw. Van der Meer;name/P1:dhr. Ouali");
    CHECK_FOUND(ix, "Mevr. De Vries belde af.", "name/P2:Mevr. De Vries");
    CHECK_FOUND(ix, "De heer Bakker opende.", "name/P3:De heer Bakker");
    //  Someone not in the address file: a possible name.
    CHECK_FOUND(ix, "Mevrouw Pinas en de heer Van Dam waren er.",
                "possible_name:Mevrouw Pinas;possible_name:de heer Van Dam");
    CHECK_FOUND(ix, "De avond werd geopend door wethouder Jansen.",
                "possible_name:wethouder Jansen");
    CHECK_FOUND(ix, "De familie Schouten heeft pleegkinderen.", "possible_name:familie Schouten");
    CHECK_FOUND(ix, "Ook mevrouw Jansen-Kok kwam.", "possible_name:mevrouw Jansen-Kok");
    pii_index_destroy(&ix);
}

TEST(possessives_give_the_name_without_the_s)
{
    pii_index_t *ix = s_index();
    CHECK_FOUND(ix, "Bakkers voorstel kreeg steun.", "name/P3:Bakker");
    CHECK_FOUND(ix, "Mohammeds moeder en Anna's vader kwamen.", "name/P1:Mohammed;name/P2:Anna");
    CHECK_FOUND(ix, "Sanne’s broer ook.", "name/P6:Sanne");
    //  Someone not in the address file.
    CHECK_FOUND(ix, "Fatima's dochter en Youssefs broer.",
                "possible_name:Fatima;possible_name:Youssef");
    pii_index_destroy(&ix);
}

TEST(initials_make_a_name_of_the_surname_after_them)
{
    pii_index_t *ix = s_index();
    CHECK_FOUND(ix, "Aanwezig: A. Bakker en J.P. de Vries.",
                "name/P3:A. Bakker;name/P2:J.P. de Vries");
    CHECK_FOUND(ix, "Door E. van der Meer en Th. Ouali.",
                "name/P4:E. van der Meer;name/P1:Th. Ouali");
    CHECK_FOUND(ix, "Verslag: R.J. van Dijk.", "possible_name:R.J. van Dijk");
    //  A letter that numbers something is no initial; "mevrouw B." is
    //  already anonymised.
    CHECK_FOUND(ix, "Zie bijlage A. Daarin staan de cijfers. Vraag B. Bakker?", "name/P3:Bakker");
    CHECK_FOUND(ix, "Mevrouw B. vertelde over haar buurvrouw.", "");
    pii_index_destroy(&ix);
}

TEST(people_outside_the_address_file_are_possible_names)
{
    pii_index_t *ix = s_index();
    CHECK_FOUND(ix, "Fatima el Amrani vertaalde voor de groep.", "possible_name:Fatima el Amrani");
    CHECK_FOUND(ix, "De notulen zijn van Karin Smit.", "possible_name:Karin Smit");
    CHECK_FOUND(ix, "Youssef wil jongerenwerker worden.", "possible_name:Youssef");
    CHECK_FOUND(ix, "Ayşe Demir en Winston Doelwijt spraken.",
                "possible_name:Ayşe Demir;possible_name:Winston Doelwijt");
    //  A name the list does not know, said to speak: "Sevda vertelde".
    CHECK_FOUND(ix, "Sevda vertelde dat haar moeder nooit buiten komt.", "possible_name:Sevda");
    CHECK_FOUND(ix, "Daarna vroeg Tjitske om een pauze.", "possible_name:Tjitske");
    //  A participant's name inside a longer one makes it theirs.
    CHECK_FOUND(ix, "Ook mevrouw Maria Bakker kwam.", "name/P3:mevrouw Maria Bakker");
    pii_index_destroy(&ix);
}

TEST(sentence_initial_ordinary_words_are_not_names)
{
    //  P8 is called Wil, P10's surname is Groot.
    pii_index_t *ix = s_index();
    CHECK_FOUND(ix, "Wil je meedoen? Ben je mantelzorger?", "");
    CHECK_FOUND(ix, "Groot was de verbazing. Jong en oud kwamen.", "");
    CHECK_FOUND(ix, "Vervolgens vertelde een moeder over haar zoon.", "");
    CHECK_FOUND(ix, "Onderzoek vond plaats in maart. Overleg vond plaats.", "");
    //  Not at the start of a sentence, the same word is the name.
    CHECK_FOUND(ix, "Toen kwam Wil binnen.", "name/P8:Wil");
    pii_index_destroy(&ix);
}

TEST(places_that_are_also_surnames_are_not_names)
{
    //  P7 is Kees Huizen and P8 Wil Laren.
    pii_index_t *ix = s_index();
    CHECK_FOUND(ix, "De bijeenkomst was in Huizen, daarna in Laren en Weesp.", "");
    CHECK_FOUND(ix, "Huizen, Laren en Blaricum deden mee.", "");
    CHECK_FOUND(ix, "De burgemeester van Huizen was er ook.", "");
    CHECK_FOUND(ix, "Gooise Meren, Bussum en Anna Paulowna.", "");
    //  With a first name, a title or initials they are names again.
    CHECK_FOUND(ix, "Kees Huizen en mevrouw Laren en K. Huizen.",
                "name/P7:Kees Huizen;name/P8:mevrouw Laren;name/P7:K. Huizen");
    pii_index_destroy(&ix);
}

TEST(months_weekdays_programmes_and_acronyms_are_not_names)
{
    pii_index_t *ix = s_index();
    CHECK_FOUND(ix, "Maandag 14 oktober was de focusgroep. In Juni volgt de rest.", "");
    CHECK_FOUND(ix, "Samenkracht, de Wmo-taxi en Samen Sterk; de GGD en het CJG.", "");
    CHECK_FOUND(ix, "Tijdens de Ramadan en met Pasen was er niets.", "");
    CHECK_FOUND(ix, "Marokkaanse en Turkse vrouwen, Nederlandse les.", "");
    CHECK_FOUND(ix, "JOHAN BAKKER", "name/P3:JOHAN BAKKER"); /*  the full name, any case */
    CHECK_FOUND(ix, "WIL JE MEEDOEN?", "");
    pii_index_destroy(&ix);
}

TEST(streets_buildings_and_compounds_are_not_names)
{
    pii_index_t *ix = s_index();
    CHECK_FOUND(ix, "Het plein aan de Jan van Galenstraat is onveilig.", "");
    CHECK_FOUND(ix, "De Maria Montessorischool en het Maria-ziekenhuis.", "");
    CHECK_FOUND(ix, "Aan de Karel Doormanstraat 12.", "");
    CHECK_FOUND(ix, "Het Albert Heijn-filiaal sloot.", "");
    CHECK_FOUND(ix, "In de Sint Jan en de St. Jozefkerk; de Sint-Maartenschool.", "");
    //  A first name inside a hyphenated term; a hyphenated name stays one.
    CHECK_FOUND(ix, "De optie Max-Age, en No-Cache zegt de proxy iets.", "");
    CHECK_FOUND(ix, "Fatima-Zahra en Jan-Hein kwamen.",
                "possible_name:Fatima-Zahra;possible_name:Jan-Hein");
    pii_index_destroy(&ix);
}

TEST(names_do_not_run_across_punctuation_or_line_breaks)
{
    pii_index_t *ix = s_index();
    CHECK_FOUND(ix, "Aanwezig: Karin, Smit, en\nPiet\nJansen.",
                "possible_name:Karin;possible_name:Piet");
    CHECK_FOUND(ix, "Mevrouw - Bakker", "name/P3:Bakker");
    pii_index_destroy(&ix);
}

TEST(the_lexicon_holds_the_shipped_lists)
{
    pii_lexicon_t *lex = pii_lexicon_new();
    CHECK(lex != NULL);
    CHECK(pii_lexicon_count(lex, PII_LEX_FIRST_NAME) >= 1000);
    CHECK(pii_lexicon_count(lex, PII_LEX_COMMON) >= 500);
    CHECK(pii_lexicon_count(lex, PII_LEX_PROPER) >= 300);
    CHECK(pii_lexicon_word(lex, "mohammed", 8) & PII_LEX_FIRST_NAME);
    CHECK(pii_lexicon_word(lex, "zoe", 3) & PII_LEX_FIRST_NAME); /*  written "Zoë" */
    CHECK(pii_lexicon_word(lex, "wil", 3) & PII_LEX_COMMON);
    CHECK(pii_lexicon_word(lex, "huizen", 6) & PII_LEX_PROPER);
    CHECK(pii_lexicon_word(lex, "juni", 4) & PII_LEX_MONTH);
    CHECK(pii_lexicon_word(lex, "der", 3) & PII_LEX_PARTICLE);
    CHECK_INT(pii_lexicon_word(lex, "bakker", 6), 0);
    CHECK_INT(pii_lexicon_month("mrt", 3), 3);
    CHECK_INT(pii_lexicon_month("sept", 4), 9);
    CHECK_INT(pii_lexicon_month("maa", 3), 0);
    CHECK(pii_lexicon_place_suffix("kerkstraat", 10));
    CHECK(!pii_lexicon_place_suffix("straat", 6));
    pii_lexicon_destroy(&lex);
    CHECK(lex == NULL);
    pii_lexicon_destroy(&lex);
}

int main(void)
{
    setenv("SAMEN_TODAY", "2026-01-15", 1);
    RUN(a_participants_first_name_alone_is_found);
    RUN(a_participants_surname_alone_is_found_with_its_particles);
    RUN(titles_make_a_name_of_the_word_after_them);
    RUN(possessives_give_the_name_without_the_s);
    RUN(initials_make_a_name_of_the_surname_after_them);
    RUN(people_outside_the_address_file_are_possible_names);
    RUN(sentence_initial_ordinary_words_are_not_names);
    RUN(places_that_are_also_surnames_are_not_names);
    RUN(months_weekdays_programmes_and_acronyms_are_not_names);
    RUN(streets_buildings_and_compounds_are_not_names);
    RUN(names_do_not_run_across_punctuation_or_line_breaks);
    RUN(the_lexicon_holds_the_shipped_lists);
    return DONE();
}
