/*  tests/unit/reporting/test_markdown.c - Markdown to safe HTML, and literal text in Markdown. */
#include "services/reporting/markdown.h"
#include "common/strbuf.h"
#include "common/i18n.h"
#include "tests/unit/test.h"
#include <stdlib.h>

/*  Render md as a fragment and compare with want. */
static void s_check_html(const char *md, const char *want)
{
    char *html = markdown_to_html(md, strlen(md));
    CHECK_STR(html, want);
    free(html);
}

TEST(markdown_becomes_html_headings_and_emphasis)
{
    s_check_html("# Yearly overview 2019\n\n## T3 Disability taxi\n\nText with *emphasis*.\n",
                 "<h1>Yearly overview 2019</h1>\n<h2>T3 Disability taxi</h2>\n"
                 "<p>Text with <em>emphasis</em>.</p>\n");
    s_check_html("- one\n- two\n", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n");
}

TEST(raw_html_is_never_passed_through)
{
    s_check_html("<script>alert(1)</script>\n", "<!-- raw HTML omitted -->\n");
    s_check_html("Hello <script>alert(1)</script> there\n",
                 "<p>Hello <!-- raw HTML omitted -->alert(1)<!-- raw HTML omitted --> there</p>\n");
    s_check_html("<img src=x onerror=alert(1)>\n", "<!-- raw HTML omitted -->\n");
}

TEST(javascript_links_are_emptied)
{
    s_check_html("[click](javascript:alert(1))\n", "<p><a href=\"\">click</a></p>\n");
}

TEST(text_that_is_not_html_is_escaped)
{
    s_check_html("a < b & c > d\n", "<p>a &lt; b &amp; c &gt; d</p>\n");
}

TEST(a_document_has_an_escaped_title_the_readers_language_and_the_body)
{
    char *html = markdown_to_html_document("# Hi\n", "Overview <2019> & \"more\"");
    CHECK(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<title>Overview &lt;2019&gt; &amp; &quot;more&quot;</title>\n<style>",
                  130) == 0);
    CHECK(strstr(html, "@page { size: A4;") != NULL);
    const char *tail = "</style>\n</head>\n<body>\n<h1>Hi</h1>\n</body>\n</html>\n";
    CHECK(strlen(html) > strlen(tail) && strcmp(html + strlen(html) - strlen(tail), tail) == 0);
    CHECK(strstr(html, "<script") == NULL);
    free(html);
    sm_i18n_init("nl", NULL);
    html = markdown_to_html_document("", NULL);
    CHECK(strncmp(html, "<!DOCTYPE html>\n<html lang=\"nl\">\n", 33) == 0);
    CHECK(strstr(html, "<title></title>\n") != NULL);
    free(html);
    sm_i18n_init("en", NULL);
    CHECK(markdown_to_html_document(NULL, "x") == NULL);
}

TEST(typed_text_is_written_literally_and_on_one_line)
{
    strbuf_t *sb = strbuf_new();
    strbuf_puts(sb, "**Brought in:** ");
    markdown_put_text(sb, "  a *b* <i>x</i> [l](u) #1 `c` _d_ \\\n\n  next  ");
    CHECK_STR(
        strbuf_data(sb),
        "**Brought in:** a \\*b\\* \\<i\\>x\\</i\\> \\[l\\](u) \\#1 \\`c\\` \\_d\\_ \\\\ next");
    char *html = markdown_to_html(strbuf_data(sb), strbuf_len(sb));
    CHECK_STR(html, "<p><strong>Brought in:</strong> a *b* &lt;i&gt;x&lt;/i&gt; [l](u) #1 `c` "
                    "_d_ \\ next</p>\n");
    free(html);
    strbuf_destroy(&sb);
}

TEST(a_title_ending_in_hashes_keeps_them)
{
    strbuf_t *sb = strbuf_new();
    strbuf_puts(sb, "## T1 ");
    markdown_put_text(sb, "Priority #");
    char *html = markdown_to_html(strbuf_data(sb), strbuf_len(sb));
    CHECK_STR(html, "<h2>T1 Priority #</h2>\n");
    free(html);
    strbuf_destroy(&sb);
}

TEST(html_escaping_covers_the_five_characters)
{
    strbuf_t *sb = strbuf_new();
    markdown_put_html_escaped(sb, "<a href='x'>\"&\"</a>");
    CHECK_STR(strbuf_data(sb), "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
    markdown_put_html_escaped(sb, NULL);
    markdown_put_text(sb, NULL);
    CHECK_INT(strbuf_len(sb), strlen("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;"));
    strbuf_destroy(&sb);
}

int main(void)
{
    RUN(markdown_becomes_html_headings_and_emphasis);
    RUN(raw_html_is_never_passed_through);
    RUN(javascript_links_are_emptied);
    RUN(text_that_is_not_html_is_escaped);
    RUN(a_document_has_an_escaped_title_the_readers_language_and_the_body);
    RUN(typed_text_is_written_literally_and_on_one_line);
    RUN(a_title_ending_in_hashes_keeps_them);
    RUN(html_escaping_covers_the_five_characters);
    return DONE();
}
