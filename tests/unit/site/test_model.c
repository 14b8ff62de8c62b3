/*  tests/unit/site/test_model.c - what samen-site accepts from the wire and
    its settings: IDs that become file names, checked texts, the base URL,
    which events matter. */
#include "proto/ops.h"
#include "services/site/calls.h"
#include "services/site/follow.h"
#include "services/site/model.h"
#include "services/site/settings.h"
#include "tests/unit/test.h"
#include <stdlib.h>

TEST(only_a_letter_and_digits_is_an_id_so_no_file_name_can_escape)
{
    uint64_t n = 0;
    CHECK(site_id_valid("R9", 'R', &n));
    CHECK_INT(n, 9);
    CHECK(site_id_valid("T123456789012345678", 'T', NULL));
    CHECK(!site_id_valid("T1234567890123456789", 'T', NULL));
    CHECK(!site_id_valid("R09", 'R', NULL));
    CHECK(!site_id_valid("R", 'R', NULL));
    CHECK(!site_id_valid("S1", 'R', NULL));
    CHECK(!site_id_valid("R1/../../x", 'R', NULL));
    CHECK(!site_id_valid("R1.html", 'R', NULL));
    CHECK(!site_id_valid(NULL, 'R', NULL));
}

/*  Decode a report list item {id, session, theme, version, published_on}. */
static int s_report(const char *id, const char *text, site_report_t *out, sm_err_t *e)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, text ? 6 : 5);
    sm_pack_kv_str(&b.pk, "id", id);
    sm_pack_kv_str(&b.pk, "session", "S3");
    sm_pack_kv_str(&b.pk, "theme", "T1");
    sm_pack_kv_int(&b.pk, "version", 1);
    sm_pack_kv_str(&b.pk, "published_on", "2020-06-30");
    if (text)
        sm_pack_kv_str(&b.pk, "text", text);
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    int rc = site_report_decode(sm_doc_root(doc), out, e);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
    return rc;
}

TEST(a_reply_with_a_bad_id_or_bad_text_is_refused_naming_the_field)
{
    site_report_t r;
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(s_report("R7", "# Verslag", &r, &e), 0);
    CHECK_STR(r.text, "# Verslag");
    CHECK_INT(r.first_published_on.d, 30); //  defaults to this version's day
    site_report_free(&r);
    CHECK_INT(s_report("../R7", NULL, &r, &e), -1);
    CHECK_STR(e.field, "id");
    sm_err_clear(&e);
    CHECK_INT(s_report("R7", "bad \xff utf-8", &r, &e), -1);
    CHECK_STR(e.field, "text");
}

TEST(the_base_url_must_be_http_or_https_and_gets_its_slash)
{
    char out[512];
    sm_err_t e;
    CHECK_INT(site_base_url_check("https://www.regio.example/meedoen", out, sizeof out, "f", &e),
              0);
    CHECK_STR(out, "https://www.regio.example/meedoen/");
    CHECK_INT(site_base_url_check("http://localhost:8080/", out, sizeof out, "f", &e), 0);
    CHECK_STR(out, "http://localhost:8080/");
    sm_err_clear(&e);
    CHECK_INT(site_base_url_check("javascript:alert(1)", out, sizeof out, "site/base_url", &e), -1);
    CHECK_STR(e.field, "site/base_url");
    CHECK_INT(site_base_url_check("https://x.example/\"><script>", out, sizeof out, "f", &e), -1);
    CHECK_INT(site_base_url_check("https://", out, sizeof out, "f", &e), -1);
    CHECK_INT(site_base_url_check("https:///path", out, sizeof out, "f", &e), -1);
    CHECK_INT(site_base_url_check("https://x.example/a b", out, sizeof out, "f", &e), -1);
    CHECK_INT(site_base_url_check("ftp://x.example/", out, sizeof out, "f", &e), -1);
}

TEST(every_event_matters_except_a_draft_a_sending_owners_decisions_and_yardsticks)
{
    CHECK(site_event_relevant("reporting.report.published"));
    CHECK(site_event_relevant("scheduling.session.planned"));
    CHECK(site_event_relevant("scheduling.registration.created"));
    CHECK(site_event_relevant("reporting.outcome.updated"));
    CHECK(site_event_relevant("scheduling.something.new"));
    CHECK(!site_event_relevant("reporting.report.drafted"));
    CHECK(!site_event_relevant("reporting.report.sent"));
    CHECK(!site_event_relevant("reporting.outcome.assigned"));
    CHECK(!site_event_relevant("scheduling.theme.assigned"));
    CHECK(!site_event_relevant("reporting.decision.added"));
    CHECK(!site_event_relevant("reporting.yardstick.recorded"));
    CHECK(site_event_relevant("reporting.outcome.recorded"));
    CHECK(site_event_relevant("scheduling.theme.updated"));
}

TEST(the_fingerprint_changes_with_what_every_page_shows)
{
    site_settings_t s;
    memset(&s, 0, sizeof s);
    snprintf(s.base_url, sizeof s.base_url, "https://a.example/");
    char a[17], b[17], c[17];
    site_settings_fingerprint(&s, "nl", a);
    site_settings_fingerprint(&s, "en", b);
    snprintf(s.title, sizeof s.title, "Samenkracht");
    site_settings_fingerprint(&s, "nl", c);
    CHECK_INT(strlen(a), 16);
    CHECK(strcmp(a, b) != 0 && strcmp(a, c) != 0);
    site_settings_fingerprint(&s, "nl", b);
    CHECK_STR(b, c);
}

TEST(every_request_the_site_makes_accepts_the_role_service_site_and_none_is_to_intake)
{
    int n = 0;
    for (const site_call_t *c = site_calls; c->service; c++, n++) {
        CHECK(strcmp(c->service, "intake") != 0);
        const sm_opdecl_t *decl = sm_decl_find(sm_builtin_decls, c->op);
        for (const sm_decls_t *s = sm_decls_all; !decl && s->service; s++)
            if (strcmp(s->service, c->service) == 0)
                decl = sm_decl_find(s->ops, c->op);
        if (!decl || !sm_decl_allows(decl, SM_ROLE_SVC_SITE)) {
            printf("     %s %s: %s\n", c->service, c->op,
                   decl ? "does not accept service:site" : "not declared");
            CHECK(false);
        } else
            CHECK((decl->flags & SM_OP_WRITE) == 0); //  the site only reads
    }
    CHECK(n >= 10);
}

int main(void)
{
    RUN(only_a_letter_and_digits_is_an_id_so_no_file_name_can_escape);
    RUN(a_reply_with_a_bad_id_or_bad_text_is_refused_naming_the_field);
    RUN(the_base_url_must_be_http_or_https_and_gets_its_slash);
    RUN(every_event_matters_except_a_draft_a_sending_owners_decisions_and_yardsticks);
    RUN(the_fingerprint_changes_with_what_every_page_shows);
    RUN(every_request_the_site_makes_accepts_the_role_service_site_and_none_is_to_intake);
    return DONE();
}
