/*  tests/unit/test_roles.c - role words and bits. */
#include "common/roles.h"
#include "tests/unit/test.h"

TEST(role_words_and_bits_convert_both_ways)
{
    CHECK_INT(sm_role_parse("coordinator"), SM_ROLE_COORDINATOR);
    CHECK_INT(sm_role_parse("service:reporting"), SM_ROLE_SVC_REPORTING);
    CHECK_INT(sm_role_parse("Coordinator"), 0);
    CHECK_INT(sm_role_parse("service:"), 0);
    CHECK_INT(sm_role_parse(NULL), 0);
    CHECK_STR(sm_role_name(SM_ROLE_AUDITOR), "auditor");
    CHECK(sm_role_name(SM_ROLE_AUDITOR | SM_ROLE_ADMIN) == NULL);
    for (int i = 0; sm_roles_all[i]; i++)
        CHECK_INT(sm_role_parse(sm_role_name(sm_roles_all[i])), sm_roles_all[i]);
}

TEST(a_role_list_parses_and_names_the_first_bad_word)
{
    sm_roles_t r = 0;
    char bad[40];
    CHECK_INT(sm_roles_parse(" coordinator , auditor", &r, bad, sizeof bad), 0);
    CHECK_INT(r, SM_ROLE_COORDINATOR | SM_ROLE_AUDITOR);
    CHECK_INT(sm_roles_parse("coordinator,root,admin", &r, bad, sizeof bad), -1);
    CHECK_STR(bad, "root");
    CHECK_INT(sm_roles_parse("", &r, bad, sizeof bad), -1);
    CHECK_INT(sm_roles_parse(",,", &r, bad, sizeof bad), -1);
}

TEST(a_role_set_formats_in_a_fixed_order)
{
    char buf[200];
    CHECK_STR(sm_roles_format(SM_ROLE_AUDITOR | SM_ROLE_ADMIN, buf, sizeof buf), "admin,auditor");
    CHECK_STR(sm_roles_format(0, buf, sizeof buf), "");
    CHECK_STR(sm_roles_format(SM_ROLE_SVC_FINANCE, buf, 8), "service");
}

TEST(each_service_has_its_role)
{
    CHECK_INT(sm_role_of_service("intake"), SM_ROLE_SVC_INTAKE);
    CHECK_INT(sm_role_of_service("site"), SM_ROLE_SVC_SITE);
    CHECK_INT(sm_role_of_service("broker"), 0);
    CHECK_INT(sm_role_of_service(NULL), 0);
}

int main(void)
{
    RUN(role_words_and_bits_convert_both_ways);
    RUN(a_role_list_parses_and_names_the_first_bad_word);
    RUN(a_role_set_formats_in_a_fixed_order);
    RUN(each_service_has_its_role);
    return DONE();
}
