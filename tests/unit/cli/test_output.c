/*  tests/unit/cli/test_output.c - what samenctl prints cannot harm whoever
    reads it: control characters escaped for terminals, formulas defused
    in CSV, Markdown and HTML escaped; and what people type is parsed the
    same way for every declared argument. */
#include "cli/cli.h"
#include "common/codec.h"
#include "common/json.h"
#include "tests/unit/test.h"
#include <stdlib.h>
#include <unistd.h>

/* ==== Capturing stdout ===================================================== */

static char s_out[65536];
static int s_saved = -1;
static FILE *s_tmp;

static void s_capture(void)
{
    fflush(stdout);
    s_tmp = tmpfile();
    s_saved = dup(1);
    dup2(fileno(s_tmp), 1);
}

static const char *s_captured(void)
{
    fflush(stdout);
    dup2(s_saved, 1);
    close(s_saved);
    rewind(s_tmp);
    size_t n = fread(s_out, 1, sizeof s_out - 1, s_tmp);
    s_out[n] = '\0';
    fclose(s_tmp);
    return s_out;
}

/*  rows: one map per row with the single key "v" holding each text. */
static sm_doc_t *s_rows(const char *const *texts, int n)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_array(&b.pk, (size_t)n);
    for (int i = 0; i < n; i++) {
        msgpack_pack_map(&b.pk, 1);
        sm_pack_kv_str(&b.pk, "v", texts[i]);
    }
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    sm_buf_free(&b);
    return doc;
}

static const char *s_table(const char *format, const char *const *texts, int n)
{
    cli_t cli;
    memset(&cli, 0, sizeof cli);
    cli.format = format;
    static const cli_col_t cols[] = {{"V", "v", 't'}};
    sm_doc_t *doc = s_rows(texts, n);
    s_capture();
    cli_table(&cli, cols, 1, sm_doc_root(doc));
    const char *out = s_captured();
    sm_doc_destroy(&doc);
    return out;
}

/* ==== Terminals ============================================================= */

TEST(escape_shows_control_characters_instead_of_sending_them)
{
    char buf[256];
    const char *s = "a\x1b[2Jb\rc\x07" "d\x7f";
    CHECK_STR(cli_escape(s, strlen(s), false, buf, sizeof buf), "a\\x1b[2Jb\\rc\\x07d\\x7f");
    /*  C1 CSI (U+009B) and a right-to-left override (U+202E) */
    const char *c1 = "x\xc2\x9b" "31my\xe2\x80\xae" "z";
    CHECK_STR(cli_escape(c1, strlen(c1), false, buf, sizeof buf), "x\\u009b31my\\u202ez");
    /*  invalid UTF-8 byte by byte; ordinary accents pass */
    const char *bad = "M\xc3\xbcller \xff\xfe";
    CHECK_STR(cli_escape(bad, strlen(bad), false, buf, sizeof buf), "M\xc3\xbcller \\xff\\xfe");
}

TEST(escape_keeps_lines_of_documents_but_not_a_lone_carriage_return)
{
    char buf[256];
    const char *doc = "# Title\n\tline\r\nover\rwrite";
    CHECK_STR(cli_escape(doc, strlen(doc), true, buf, sizeof buf),
              "# Title\n\tline\r\nover\\rwrite");
    CHECK_STR(cli_escape(doc, strlen(doc), false, buf, sizeof buf),
              "# Title\\n\\tline\\r\\nover\\rwrite");
}

TEST(escape_cuts_at_the_buffer_without_splitting_an_escape)
{
    char buf[8];
    CHECK_STR(cli_escape("ab\x1b\x1b", 4, false, buf, sizeof buf), "ab\\x1b");
}

TEST(text_of_a_value_is_escaped)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_array(&b.pk, 2);
    sm_pack_str(&b.pk, "Jan\x1b]0;pwned\x07");
    sm_pack_str(&b.pk, "Piet\r");
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    char buf[256];
    CHECK_STR(cli_text(sm_doc_root(doc), buf, sizeof buf), "Jan\\x1b]0;pwned\\x07, Piet\\r");
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

TEST(json_escapes_every_control_character)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 1);
    sm_pack_kv_str(&b.pk, "name", "a\x1b" "b\x7f" "c\xc2\x9b" "d\xe2\x80\xae");
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    s_capture();
    cli_print_json(sm_doc_root(doc));
    const char *out = s_captured();
    CHECK(strstr(out, "a\\u001bb\\u007fc\\u009bd\\u202e") != NULL);
    for (const char *p = out; *p; p++)
        CHECK(*p == '\n' || (unsigned char)*p >= 0x20);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

TEST(text_table_escapes_cells)
{
    const char *rows[] = {"ok", "evil\x1b[31m\rx"};
    CHECK_STR(s_table(NULL, rows, 2), "V\nok\nevil\\x1b[31m\\rx\n");
}

/* ==== CSV, Markdown, HTML ================================================== */

TEST(csv_defuses_cells_a_spreadsheet_would_run)
{
    const char *rows[] = {"=HYPERLINK(\"http://evil.example\",\"click\")", "+1", "-2+3", "@SUM(A1)",
                          "\tx", "plain", "-12", "3.50", "a,b"};
    CHECK_STR(s_table("csv", rows, 9),
              "V\n"
              "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"\n"
              "\"'+1\"\n"
              "\"'-2+3\"\n"
              "\"'@SUM(A1)\"\n"
              "\\tx\n" /*  the tab was escaped before it could start the cell */
              "plain\n"
              "-12\n"  /*  a number keeps its sign */
              "3.50\n"
              "\"a,b\"\n");
}

TEST(markdown_cells_escape_pipes_and_html)
{
    const char *rows[] = {"a|b <script>alert(1)</script> & c"};
    CHECK_STR(s_table("md", rows, 1),
              "| V |\n|---|\n| a\\|b &lt;script&gt;alert(1)&lt;/script&gt; &amp; c |\n");
}

TEST(html_tables_escape_everything_from_outside)
{
    const char *rows[] = {"<img src=x onerror=\"alert('x')\"> & co"};
    CHECK_STR(s_table("html", rows, 1),
              "<table>\n<tr><th>V</th></tr>\n"
              "<tr><td>&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; "
              "co</td></tr>\n</table>\n");
}

TEST(a_reply_without_a_printer_of_its_own_reads_as_fields_and_tables)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 3);
    sm_pack_kv_str(&b.pk, "year", "2019");
    sm_pack_kv_int(&b.pk, "total_cents", 150000);
    sm_pack_str(&b.pk, "rows");
    msgpack_pack_array(&b.pk, 2);
    for (int i = 0; i < 2; i++) {
        msgpack_pack_map(&b.pk, 2);
        sm_pack_kv_str(&b.pk, "municipality", i ? "Huizen" : "Hilversum");
        sm_pack_kv_int(&b.pk, "share_cents", i ? 50000 : 100000);
    }
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    cli_t cli;
    memset(&cli, 0, sizeof cli);
    s_capture();
    cli_print_auto(&cli, sm_doc_root(doc));
    CHECK_STR(s_captured(), "year          2019\n"
                            "total_cents   EUR 1,500.00\n"
                            "\n"
                            "rows:\n"
                            "MUNICIPALITY         SHARE\n"
                            "Hilversum     EUR 1,000.00\n"
                            "Huizen          EUR 500.00\n");
    cli.format = "csv";
    s_capture();
    cli_print_auto(&cli, sm_doc_root(doc));
    CHECK_STR(s_captured(), "MUNICIPALITY,SHARE\nHilversum,\"EUR 1,000.00\"\nHuizen,EUR 500.00\n");
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
}

/* ==== Parsing what people type =============================================== */

static const char *const s_states[] = {"open", "closed", NULL};
static const sm_arg_t s_args[] = {
    {.name = "amount_cents", .type = SM_T_MONEY, .flags = SM_A_REQUIRED, .help = "how much"},
    {.name = "as_of", .type = SM_T_DATE, .help = "when"},
    {.name = "participant", .type = SM_T_ID, .flags = SM_A_POS, .letter = 'P', .help = "who"},
    {.name = "paid", .type = SM_T_BOOL, .help = "paid"},
    {.name = "themes", .type = SM_T_LIST, .item = SM_T_ID, .letter = 'T', .flag = "theme",
     .help = "themes"},
    {.name = "state", .type = SM_T_ENUM, .values = s_states, .help = "state"},
    {.name = "count", .type = SM_T_INT, .min = 1, .max = 10, .help = "how many"},
    {0}};
static const sm_opdecl_t s_op = {.name = "thing.pay", .flags = SM_OP_WRITE, .roles = 1,
                                 .summary = "pay a thing", .args = s_args, .cli = "thing pay"};

/*  Pack s_op from flags (name, value pairs) and one positional; returns
    the exit code and the JSON of the args in json. */
static int s_pack(const char *const *flags, const char *pos, char *json, size_t size)
{
    cli_t cli;
    memset(&cli, 0, sizeof cli);
    cli.noun = "thing";
    cli.verb = "pay";
    cli.decls[0] = &s_op;
    cli.ndecls = 1;
    for (int i = 0; flags[i]; i += 2) {
        cli.flag_name[cli.nflags] = flags[i];
        cli.flag_value[cli.nflags++] = flags[i + 1];
    }
    if (pos)
        cli.pos[cli.npos++] = pos;
    sm_buf_t b;
    sm_buf_init(&b);
    int rc = cli_pack_op(&cli, &s_op, &b);
    json[0] = '\0';
    if (rc == 0) {
        sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
        char *j = sm_msgpack_to_json(sm_doc_root(doc), false);
        snprintf(json, size, "%s", j);
        free(j);
        sm_doc_destroy(&doc);
    }
    sm_buf_free(&b);
    return rc;
}

TEST(values_are_parsed_as_people_type_them)
{
    char json[512];
    const char *flags[] = {"amount", "\xe2\x82\xac 1.500,00", "as-of", "12-03-2020", "paid", "",
                           "theme", "4, t5", "theme", "T6", "state", "OPEN", "count", "3",
                           NULL};
    CHECK_INT(s_pack(flags, "12", json, sizeof json), 0);
    CHECK_STR(json, "{\"amount_cents\":150000,\"as_of\":\"2020-03-12\",\"participant\":\"P12\","
                    "\"paid\":true,\"themes\":[\"T4\",\"T5\",\"T6\"],\"state\":\"OPEN\","
                    "\"count\":3}");
    const char *amounts[][2] = {{"15", "1500"}, {"15.00", "1500"}, {"15,00", "1500"},
                                {"1.500,00", "150000"}, {"EUR 22,500.00", "2250000"}};
    for (int i = 0; i < 5; i++) {
        const char *f[] = {"amount", amounts[i][0], "paid", "no", NULL};
        char want[64];
        snprintf(want, sizeof want, "{\"amount_cents\":%s,\"paid\":false}", amounts[i][1]);
        CHECK_INT(s_pack(f, NULL, json, sizeof json), 0);
        CHECK_STR(json, want);
    }
}

TEST(bad_values_are_usage_errors_before_anything_is_sent)
{
    char json[512];
    const char *missing[] = {"count", "3", NULL};
    const char *money[] = {"amount", "0.001", NULL};
    const char *count[] = {"amount", "1", "count", "three", NULL};
    const char *range[] = {"amount", "1", "count", "11", NULL};
    const char *state[] = {"amount", "1", "state", "ajar", NULL};
    const char *boolean[] = {"amount", "1", "paid", "maybe", NULL};
    const char *date[] = {"amount", "1", "as-of", "31-02-2020", NULL};
    const char *id[] = {"amount", "1", NULL};
    /*  stderr says why; these only check that each is refused */
    CHECK_INT(s_pack(missing, NULL, json, sizeof json), CLI_USAGE);
    CHECK_INT(s_pack(money, NULL, json, sizeof json), CLI_USAGE);
    CHECK_INT(s_pack(count, NULL, json, sizeof json), CLI_USAGE);
    CHECK_INT(s_pack(range, NULL, json, sizeof json), CLI_USAGE);
    CHECK_INT(s_pack(state, NULL, json, sizeof json), CLI_USAGE);
    CHECK_INT(s_pack(boolean, NULL, json, sizeof json), CLI_USAGE);
    CHECK_INT(s_pack(date, NULL, json, sizeof json), CLI_USAGE);
    CHECK_INT(s_pack(id, "Q12", json, sizeof json), CLI_USAGE);
    CHECK_STR(json, "");
}

TEST(bool_words_in_english_and_dutch)
{
    CHECK_INT(cli_parse_bool("yes"), 1);
    CHECK_INT(cli_parse_bool("Ja"), 1);
    CHECK_INT(cli_parse_bool("true"), 1);
    CHECK_INT(cli_parse_bool(""), 1);
    CHECK_INT(cli_parse_bool("nee"), 0);
    CHECK_INT(cli_parse_bool("NO"), 0);
    CHECK_INT(cli_parse_bool("false"), 0);
    CHECK_INT(cli_parse_bool("maybe"), -1);
}

int main(void)
{
    RUN(escape_shows_control_characters_instead_of_sending_them);
    RUN(escape_keeps_lines_of_documents_but_not_a_lone_carriage_return);
    RUN(escape_cuts_at_the_buffer_without_splitting_an_escape);
    RUN(text_of_a_value_is_escaped);
    RUN(json_escapes_every_control_character);
    RUN(text_table_escapes_cells);
    RUN(csv_defuses_cells_a_spreadsheet_would_run);
    RUN(markdown_cells_escape_pipes_and_html);
    RUN(html_tables_escape_everything_from_outside);
    RUN(a_reply_without_a_printer_of_its_own_reads_as_fields_and_tables);
    RUN(values_are_parsed_as_people_type_them);
    RUN(bad_values_are_usage_errors_before_anything_is_sent);
    RUN(bool_words_in_english_and_dutch);
    return DONE();
}
