/*  tests/unit/intake/test_mail.c - the pure parts of e-mail: templates,
    escaping, the message, encodings, the calendar entry, Dutch dates, and
    how a relay's answer is read. */
#include "services/intake/mail.h"
#include "services/intake/mail_message.h"
#include "services/intake/mail_smtp.h"
#include "services/intake/mail_template.h"
#include "services/intake/mail_words.h"
#include "common/i18n.h"
#include "tests/unit/test.h"
#include <curl/curl.h>
#include <stdlib.h>

static const char *const s_known[] = {"name", "theme", "question", "place", "online", NULL};

/*  Fill tpl with name/theme/question set; "" on failure. Caller frees. */
static char *s_fill(const char *tpl, bool html, const char *question)
{
    mail_vars_t v;
    mail_vars_init(&v);
    mail_vars_set(&v, "name", "Fictief <b>Jansen</b> & zn");
    mail_vars_set(&v, "theme", "Vervoer \"naar\" school");
    mail_vars_set(&v, "question", question);
    mail_vars_set(&v, "place", "");
    mail_vars_set_html(&v, "online", "<p>raw</p>");
    sm_err_t err = {0};
    char *out = mail_template_fill(tpl, &v, html, &err);
    mail_vars_free(&v);
    return out ? out : strdup("");
}

/* ==== Templates ============================================================== */

TEST(a_placeholder_is_filled_as_is_in_the_text_part)
{
    char *t = s_fill("Beste {{name}}, over {{theme}}.", false, "");
    CHECK_STR(t, "Beste Fictief <b>Jansen</b> & zn, over Vervoer \"naar\" school.");
    free(t);
}

TEST(every_value_is_escaped_in_the_html_part)
{
    char *t = s_fill("<p>Beste {{name}}, {{theme}}</p>", true, "");
    CHECK_STR(t, "<p>Beste Fictief &lt;b&gt;Jansen&lt;/b&gt; &amp; zn, Vervoer &quot;naar&quot; "
                 "school</p>");
    free(t);
}

TEST(a_line_break_in_a_value_becomes_br_in_html_only)
{
    char *h = s_fill("{{question}}", true, "Een?\nTwee's?");
    char *t = s_fill("{{question}}", false, "Een?\nTwee's?");
    CHECK_STR(h, "Een?<br>\nTwee&#39;s?");
    CHECK_STR(t, "Een?\nTwee's?");
    free(h);
    free(t);
}

TEST(only_values_marked_as_html_by_samen_go_in_unescaped)
{
    char *h = s_fill("{{online}}", true, "");
    CHECK_STR(h, "<p>raw</p>");
    free(h);
}

TEST(sections_show_their_part_when_the_value_is_set_or_not)
{
    char *a = s_fill("[{{#question}}Q: {{question}}{{/question}}{{^place}}no place{{/place}}]",
                     false, "Waarom?");
    char *b = s_fill("[{{#question}}Q: {{question}}{{/question}}]", false, "");
    char *c = s_fill("{{#theme}}{{#question}}both{{/question}}{{^question}}theme only{{/question}}"
                     "{{/theme}}",
                     false, "");
    CHECK_STR(a, "[Q: Waarom?no place]");
    CHECK_STR(b, "[]");
    CHECK_STR(c, "theme only");
    free(a);
    free(b);
    free(c);
}

TEST(the_check_names_the_line_of_an_unknown_placeholder)
{
    sm_err_t err = {0};
    CHECK_INT(mail_template_check("Beste {{name}},\n\n{{adres}}\n", s_known, "nl/report.txt", &err),
              -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "nl/report.txt line 3") != NULL);
    CHECK(strstr(err.message, "adres") != NULL);
}

TEST(the_check_refuses_broken_tags_and_unclosed_sections)
{
    sm_err_t err = {0};
    CHECK_INT(mail_template_check("{{ name }}", s_known, "f", &err), -1);
    CHECK(strstr(err.message, "must open a placeholder") != NULL);
    CHECK_INT(mail_template_check("{{#name}}x", s_known, "f", &err), -1);
    CHECK(strstr(err.message, "not closed") != NULL);
    CHECK_INT(mail_template_check("{{#name}}x{{/theme}}", s_known, "f", &err), -1);
    CHECK_INT(mail_template_check("{{Name}}", s_known, "f", &err), -1);
    CHECK_INT(mail_template_check("{{#name}}{{theme}}{{/name}} {{place}}", s_known, "f", &err), 0);
}

TEST(a_text_template_starts_with_its_subject_line)
{
    const char *subject, *body;
    size_t n;
    sm_err_t err = {0};
    CHECK_INT(mail_template_split("Subject: Verslag {{theme}}\n\nBeste {{name}}\n", "f", &subject,
                                  &n, &body, &err),
              0);
    CHECK_INT((long long)n, 17);
    CHECK(strncmp(subject, "Verslag {{theme}}", n) == 0);
    CHECK_STR(body, "Beste {{name}}\n");
    CHECK_INT(mail_template_split("Beste\n", "nl/x.txt", &subject, &n, &body, &err), -1);
    CHECK(strstr(err.message, "nl/x.txt") != NULL);
    CHECK_INT(mail_template_split("Subject: x\nBeste\n", "f", &subject, &n, &body, &err), -1);
}

TEST(a_subject_is_made_one_line)
{
    char s[] = "  Vraag:\r\nWat\tgaat   goed?  ";
    CHECK_STR(mail_subject_clean(s), "Vraag: Wat gaat goed?");
}

TEST(every_shipped_template_passes_the_check_and_has_a_subject)
{
    static const char *const langs[] = {"nl", "en"};
    for (int l = 0; l < 2; l++)
        for (int k = 0; k < MAIL_KINDS; k++) {
            const char *ext[] = {"txt", "html"};
            for (int e = 0; e < 2; e++) {
                char path[256];
                snprintf(path, sizeof path, "share/samen/mail/%s/%s.%s", langs[l],
                         mail_kind_name((mail_kind_t)k), ext[e]);
                FILE *f = fopen(path, "rb");
                CHECK(f != NULL);
                if (!f) {
                    printf("     %s missing (run from the repository root)\n", path);
                    continue;
                }
                static char buf[65536];
                size_t n = fread(buf, 1, sizeof buf - 1, f);
                fclose(f);
                buf[n] = '\0';
                sm_err_t err = {0};
                const char *subject = buf, *body = buf;
                size_t sn = 0;
                if (e == 0)
                    CHECK_INT(mail_template_split(buf, path, &subject, &sn, &body, &err), 0);
                CHECK_INT(mail_template_check(body, mail_template_keys, path, &err), 0);
                if (err.code)
                    printf("     %s\n", err.message);
                if (e == 1)
                    CHECK(strstr(buf, langs[l][0] == 'n' ? "<html lang=\"nl\">"
                                                         : "<html lang=\"en\">") != NULL);
            }
        }
}

/* ==== Encodings and the message ============================================== */

TEST(quoted_printable_keeps_lines_short_and_encodes_what_must_be)
{
    char *q = mail_qp_encode("Beste Zoë,\n= gelijk, en een spatie aan het eind \n.punt\n");
    CHECK_STR(q, "Beste Zo=C3=AB,\r\n=3D gelijk, en een spatie aan het eind=20\r\n=2Epunt\r\n");
    free(q);
    char long_line[200];
    memset(long_line, 'a', 199);
    long_line[199] = '\0';
    q = mail_qp_encode(long_line);
    for (char *line = q; line && *line;) {
        char *end = strstr(line, "\r\n");
        size_t n = end ? (size_t)(end - line) : strlen(line);
        CHECK(n <= 76);
        line = end ? end + 2 : line + n;
    }
    free(q);
}

TEST(a_header_value_is_an_encoded_word_unless_plain_ascii)
{
    char *a = mail_header_encode("Verslag van de focusgroep");
    char *b = mail_header_encode("Café");
    char *c = mail_header_encode("Breaks\r\nBcc: x@y.nl");
    CHECK_STR(a, "Verslag van de focusgroep");
    CHECK_STR(b, "=?UTF-8?B?Q2Fmw6k=?=");
    CHECK(strncmp(c, "=?UTF-8?B?", 10) == 0);
    CHECK(strchr(c, '\n') == NULL || strstr(c, "\r\n ") != NULL); /*  only folding */
    free(a);
    free(b);
    free(c);
}

TEST(a_long_encoded_subject_never_splits_a_character)
{
    char subject[400] = "";
    for (int i = 0; i < 40; i++)
        strcat(subject, "ë€");
    char *e = mail_header_encode(subject);
    //  Each word decodes on its own: its base64 length is a multiple of 4
    //  and it is at most 75 characters.
    int words = 0;
    for (char *w = strstr(e, "=?UTF-8?B?"); w; w = strstr(w + 1, "=?UTF-8?B?")) {
        char *end = strstr(w + 10, "?=");
        CHECK(end != NULL);
        CHECK((end - (w + 10)) % 4 == 0);
        CHECK(end + 2 - w <= 75);
        words++;
    }
    CHECK(words > 1);
    free(e);
}

TEST(an_address_setting_splits_into_name_and_address)
{
    char name[64], addr[64];
    CHECK_INT(mail_address_split("Samenkracht <samen@example.nl>", name, sizeof name, addr,
                                 sizeof addr),
              0);
    CHECK_STR(name, "Samenkracht");
    CHECK_STR(addr, "samen@example.nl");
    CHECK_INT(mail_address_split("\"Regio Gooi\" <a@b.nl>", name, sizeof name, addr, sizeof addr), 0);
    CHECK_STR(name, "Regio Gooi");
    CHECK_INT(mail_address_split("a@b.nl", name, sizeof name, addr, sizeof addr), 0);
    CHECK_STR(name, "");
    CHECK_INT(mail_address_split("no address", name, sizeof name, addr, sizeof addr), -1);
    CHECK_INT(mail_address_split("x <a@b.nl> y", name, sizeof name, addr, sizeof addr), -1);
    CHECK_INT(mail_address_split("x <a@b.nl,c@d.nl>", name, sizeof name, addr, sizeof addr), -1);
}

static mail_msg_t s_msg(void)
{
    mail_msg_t m = {.from_name = "Samenkracht",
                    .from_addr = "samen@example.nl",
                    .to_name = "Zoë \"Z\" Jansen",
                    .to_addr = "zoe@example.org",
                    .reply_to = "coordinator@example.nl",
                    .subject = "Verslag van de focusgroep",
                    .message_id = "<0123456789abcdef.M12@example.nl>",
                    .date_ms = 1583866800000, /*  2020-03-10T19:00:00Z */
                    .lang = "nl",
                    .text = "Beste Zoë,\n\nHet verslag.\n",
                    .html = "<p>Beste Zo&euml;,</p>\n",
                    .auto_submitted = true};
    return m;
}

TEST(a_message_has_one_recipient_and_the_headers_a_mail_program_needs)
{
    mail_msg_t m = s_msg();
    size_t len = 0;
    char *msg = mail_message_build(&m, &len);
    CHECK(msg != NULL && len == strlen(msg));
    CHECK(strstr(msg, "From: \"Samenkracht\" <samen@example.nl>\r\n") != NULL);
    CHECK(strstr(msg, "To: =?UTF-8?B?") == msg + strlen("From: \"Samenkracht\" <samen@example.nl>\r\n"));
    CHECK(strstr(msg, " <zoe@example.org>\r\n") != NULL);
    CHECK(strstr(msg, "Cc:") == NULL && strstr(msg, "Bcc:") == NULL);
    CHECK(strstr(msg, "Reply-To: coordinator@example.nl\r\n") != NULL);
    CHECK(strstr(msg, "Subject: Verslag van de focusgroep\r\n") != NULL);
    CHECK(strstr(msg, "Date: Tue, 10 Mar 2020 20:00:00 +0100\r\n") != NULL);
    CHECK(strstr(msg, "Message-ID: <0123456789abcdef.M12@example.nl>\r\n") != NULL);
    CHECK(strstr(msg, "Auto-Submitted: auto-generated\r\n") != NULL);
    CHECK(strstr(msg, "Content-Language: nl\r\n") != NULL);
    CHECK(strstr(msg, "List-Unsubscribe") == NULL);
    CHECK(strstr(msg, "multipart/alternative") != NULL && strstr(msg, "multipart/mixed") == NULL);
    CHECK(strstr(msg, "Beste Zo=C3=AB,") != NULL);
    //  Every line ends in CRLF; no bare LF.
    for (size_t i = 0; i < len; i++)
        if (msg[i] == '\n')
            CHECK(i > 0 && msg[i - 1] == '\r');
    //  Building again gives the same bytes (a resend is the same message).
    char *again = mail_message_build(&m, &len);
    CHECK_STR(again, msg);
    free(msg);
    free(again);
}

TEST(a_message_in_summer_carries_the_summer_offset)
{
    mail_msg_t m = s_msg();
    m.date_ms = 1593622800000; /*  2020-07-01T17:00:00Z */
    size_t len;
    char *msg = mail_message_build(&m, &len);
    CHECK(strstr(msg, "Date: Wed, 01 Jul 2020 19:00:00 +0200\r\n") != NULL);
    free(msg);
}

TEST(a_newsletter_carries_one_click_unsubscribe_and_an_attachment_is_base64)
{
    mail_msg_t m = s_msg();
    m.auto_submitted = false;
    m.unsubscribe_url = "https://samen.example.nl/afmelden?t=00ff";
    m.attach_name = "S3.ics";
    m.attach_type = "text/calendar; charset=UTF-8; method=PUBLISH";
    m.attach_data = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
    m.attach_len = strlen(m.attach_data);
    size_t len;
    char *msg = mail_message_build(&m, &len);
    CHECK(strstr(msg, "List-Unsubscribe: <https://samen.example.nl/afmelden?t=00ff>\r\n") != NULL);
    CHECK(strstr(msg, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n") != NULL);
    CHECK(strstr(msg, "Auto-Submitted") == NULL);
    CHECK(strstr(msg, "Content-Type: multipart/mixed;") != NULL);
    CHECK(strstr(msg, "filename=\"S3.ics\"") != NULL);
    CHECK(strstr(msg, "QkVHSU46VkNBTEVOREFSDQpFTkQ6VkNBTEVOREFSDQo=") != NULL);
    free(msg);
}

TEST(a_message_id_names_the_mail_and_the_senders_domain)
{
    char buf[160], again[160];
    CHECK(mail_message_id("M12", "samen@example.nl", buf, sizeof buf) != NULL);
    CHECK(strlen(buf) == strlen("<0123456789abcdef.M12@example.nl>"));
    CHECK(strstr(buf, ".M12@example.nl>") != NULL);
    mail_message_id("M12", "samen@example.nl", again, sizeof again);
    CHECK(strcmp(buf, again) != 0); /*  random: never reused across stores */
}

TEST(the_ics_escapes_folds_and_cancels)
{
    mail_ics_t e = {.uid = "S3@samen",
                    .start_ms = 1583866800000,
                    .end_ms = 1583874000000,
                    .stamp_ms = 1583000000000,
                    .summary = "Focusgroep: Vervoer, school; en meer",
                    .location = "Raadhuis\nHilversum",
                    .description = "ëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëë"};
    char *ics = mail_ics_build(&e);
    CHECK(strstr(ics, "METHOD:PUBLISH\r\n") != NULL);
    CHECK(strstr(ics, "UID:S3@samen\r\n") != NULL);
    CHECK(strstr(ics, "DTSTART:20200310T190000Z\r\n") != NULL);
    CHECK(strstr(ics, "DTEND:20200310T210000Z\r\n") != NULL);
    CHECK(strstr(ics, "SUMMARY:Focusgroep: Vervoer\\, school\\; en meer\r\n") != NULL);
    CHECK(strstr(ics, "LOCATION:Raadhuis\\nHilversum\r\n") != NULL);
    CHECK(strstr(ics, "STATUS:CONFIRMED\r\n") != NULL);
    //  Folded at 75 octets, never inside a character.
    for (char *line = ics; *line;) {
        char *end = strstr(line, "\r\n");
        CHECK(end && end - line <= 75);
        CHECK(((unsigned char)end[2] & 0xC0) != 0x80);
        line = end + 2;
    }
    free(ics);
    e.cancelled = true;
    ics = mail_ics_build(&e);
    CHECK(strstr(ics, "METHOD:CANCEL\r\n") && strstr(ics, "STATUS:CANCELLED\r\n"));
    free(ics);
}

/* ==== Words ================================================================== */

TEST(dates_and_periods_read_as_the_programme_writes_them)
{
    char b[MAIL_WHEN_SIZE];
    CHECK_INT(sm_i18n_use("nl"), 0);
    CHECK_STR(mail_when(1583866800000, 1583874000000, NULL, b),
              "dinsdag 10 maart 2020, 20:00-22:00 uur");
    CHECK_STR(mail_when(1583866800000, 1583953200000, NULL, b),
              "dinsdag 10 maart 2020 20:00 uur t/m woensdag 11 maart 2020 20:00 uur");
    CHECK_STR(mail_when(0, 0, "2020-Q2", b), "Kwartaal 2 van 2020");
    CHECK_STR(mail_when(0, 0, "2019-10", b), "Oktober 2019");
    CHECK_STR(mail_when(0, 0, "2019-09-01..2019-11-30", b), "Najaar 2019");
    CHECK_STR(mail_when(0, 0, "2020-03-12", b), "donderdag 12 maart 2020");
    CHECK_STR(mail_when(0, 0, NULL, b), "");
    CHECK_STR(mail_method_name("SB"), "spiegelbijeenkomst");
    CHECK_STR(mail_method_name("ZZ"), "ZZ");
    sm_i18n_use("en");
    CHECK_STR(mail_when(1583866800000, 1583874000000, NULL, b),
              "Tuesday 10 March 2020, 20:00-22:00");
    CHECK_STR(mail_method_name("KB"), "sounding-board group");
    sm_i18n_use(NULL);
}

TEST(a_relays_answer_is_sent_temporary_or_permanent)
{
    CHECK_INT(mail_smtp_classify(CURLE_OK, 250), MAIL_OUT_SENT);
    CHECK_INT(mail_smtp_classify(CURLE_COULDNT_CONNECT, 0), MAIL_OUT_TEMPORARY);
    CHECK_INT(mail_smtp_classify(CURLE_OPERATION_TIMEDOUT, 0), MAIL_OUT_TEMPORARY);
    CHECK_INT(mail_smtp_classify(CURLE_SEND_ERROR, 451), MAIL_OUT_TEMPORARY);
    CHECK_INT(mail_smtp_classify(CURLE_LOGIN_DENIED, 535), MAIL_OUT_TEMPORARY);
    CHECK_INT(mail_smtp_classify(CURLE_SEND_ERROR, 550), MAIL_OUT_PERMANENT);
    CHECK_INT(mail_smtp_classify(CURLE_SEND_ERROR, 552), MAIL_OUT_PERMANENT);
}

TEST(kinds_and_states_have_the_names_on_the_wire)
{
    mail_kind_t k;
    mail_state_t s;
    CHECK_INT(mail_kind_parse("newsletter", &k), 0);
    CHECK_INT(k, MAIL_NEWSLETTER);
    CHECK_INT(mail_kind_parse("nieuwsbrief", &k), -1);
    CHECK_INT(mail_state_parse("gave_up", &s), 0);
    CHECK_STR(mail_state_name(s), "gave_up");
    CHECK_STR(mail_kind_name(MAIL_CANCELLATION), "cancellation");
}

int main(void)
{
    sm_err_t err = {0};
    if (sm_i18n_init("en", &err) != 0)
        printf("     i18n: %s\n", err.message);
    RUN(a_placeholder_is_filled_as_is_in_the_text_part);
    RUN(every_value_is_escaped_in_the_html_part);
    RUN(a_line_break_in_a_value_becomes_br_in_html_only);
    RUN(only_values_marked_as_html_by_samen_go_in_unescaped);
    RUN(sections_show_their_part_when_the_value_is_set_or_not);
    RUN(the_check_names_the_line_of_an_unknown_placeholder);
    RUN(the_check_refuses_broken_tags_and_unclosed_sections);
    RUN(a_text_template_starts_with_its_subject_line);
    RUN(a_subject_is_made_one_line);
    RUN(every_shipped_template_passes_the_check_and_has_a_subject);
    RUN(quoted_printable_keeps_lines_short_and_encodes_what_must_be);
    RUN(a_header_value_is_an_encoded_word_unless_plain_ascii);
    RUN(a_long_encoded_subject_never_splits_a_character);
    RUN(an_address_setting_splits_into_name_and_address);
    RUN(a_message_has_one_recipient_and_the_headers_a_mail_program_needs);
    RUN(a_message_in_summer_carries_the_summer_offset);
    RUN(a_newsletter_carries_one_click_unsubscribe_and_an_attachment_is_base64);
    RUN(a_message_id_names_the_mail_and_the_senders_domain);
    RUN(the_ics_escapes_folds_and_cancels);
    RUN(dates_and_periods_read_as_the_programme_writes_them);
    RUN(a_relays_answer_is_sent_temporary_or_permanent);
    RUN(kinds_and_states_have_the_names_on_the_wire);
    return DONE();
}
