/*  tests/unit/finance/test_ops.c - finance's op declarations as policy:
    who may call what, who sees bank accounts, and the argument rules that
    the declarations now carry (money, years, "more than zero"). */
#include "common/op.h"
#include "proto/ops.h"
#include "services/finance/payee.h"
#include "tests/unit/test.h"
#include <stdlib.h>

static const sm_opdecl_t *s_op(const char *name)
{
    const sm_opdecl_t *op = sm_decl_find(sm_ops_finance, name);
    if (!op)
        printf("     no declaration of %s\n", name);
    return op;
}

/*  The declaration of op's argument name, or NULL. */
static const sm_arg_t *s_arg(const char *op, const char *name)
{
    const sm_opdecl_t *d = s_op(op);
    for (int i = 0; d && d->args && d->args[i].name; i++)
        if (strcmp(d->args[i].name, name) == 0)
            return &d->args[i];
    printf("     %s declares no %s\n", op, name);
    return NULL;
}

/*  Check the args pack(pk, n) packs for op: true when accepted, else
    false with *e set. */
static bool s_accepted(const char *op, void (*pack)(msgpack_packer *pk, int64_t n), int64_t n,
                       sm_err_t *e)
{
    sm_buf_t b;
    sm_buf_init(&b);
    pack(&b.pk, n);
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    sm_err_clear(e);
    sm_args_t *a = sm_args_check(s_op(op), sm_doc_root(doc), e);
    bool ok = a != NULL;
    sm_args_destroy(&a);
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
    return ok;
}

TEST(every_write_is_for_finance_people_and_every_read_for_all_who_read)
{
    int n = 0;
    for (const sm_opdecl_t *op = sm_ops_finance; op->name; op++, n++) {
        if (op->flags & SM_OP_WRITE) {
            if (op->roles != R_FIN)
                printf("     %s: a write not for R_FIN\n", op->name);
            CHECK(op->roles == R_FIN);
        } else {
            /*  A coordinator reads budgets and reimbursements; an auditor reads. */
            if ((op->roles & R_READ) != R_READ)
                printf("     %s: a read not for R_READ\n", op->name);
            CHECK((op->roles & R_READ) == R_READ);
        }
        CHECK(!(op->roles & SM_ROLE_SUBSCRIBER));
        CHECK(op->summary && op->summary[0]);
    }
    CHECK_INT(n, 50); //  fin15's four, and grant.assign
}

TEST(bank_accounts_are_shown_to_finance_people_only)
{
    for (const sm_opdecl_t *op = sm_ops_finance; op->name; op++) {
        bool personal = (op->flags & SM_OP_PERSONAL) != 0;
        bool expected = strcmp(op->name, "payee.get") == 0 ||
                        strcmp(op->name, "participant.export") == 0;
        if (personal != expected)
            printf("     %s: personal %d\n", op->name, personal);
        CHECK(personal == expected);
        if (personal) {
            CHECK(op->personal == R_FIN);
            CHECK(!(op->personal & (SM_ROLE_COORDINATOR | SM_ROLE_AUDITOR | SM_ROLE_SVC_INTAKE)));
        }
    }
}

TEST(intake_may_gather_finances_export_and_nothing_else)
{
    for (const sm_opdecl_t *op = sm_ops_finance; op->name; op++) {
        bool intake = sm_decl_allows(op, SM_ROLE_SVC_INTAKE);
        CHECK(intake == (strcmp(op->name, "participant.export") == 0));
    }
    CHECK(!sm_decl_allows(s_op("payee.get"), SM_ROLE_SVC_INTAKE));
    CHECK(sm_decl_allows(s_op("payee.get"), SM_ROLE_COORDINATOR));
    CHECK(!sm_decl_allows(s_op("payee.set"), SM_ROLE_COORDINATOR));
    CHECK(!sm_decl_allows(s_op("entitlement.pay"), SM_ROLE_AUDITOR));
}

/*  split.compute with a total of n cents and a unit of EUR 1,000. */
static void p_split_total(msgpack_packer *pk, int64_t n)
{
    msgpack_pack_map(pk, 2);
    sm_pack_kv_int(pk, "total_cents", n);
    sm_pack_kv_int(pk, "unit_cents", 100000);
}
/*  split.compute of EUR 60,000 with a unit of n cents and two municipalities. */
static void p_split_unit(msgpack_packer *pk, int64_t n)
{
    msgpack_pack_map(pk, 3);
    sm_pack_kv_int(pk, "total_cents", 6000000);
    sm_pack_kv_int(pk, "unit_cents", n);
    sm_pack_str(pk, "municipalities");
    msgpack_pack_array(pk, 2);
    sm_pack_str(pk, "Hilversum");
    sm_pack_str(pk, "GM0417");
}
static void p_split_fraction(msgpack_packer *pk, int64_t n)
{
    msgpack_pack_map(pk, 2);
    sm_pack_str(pk, "total_cents");
    msgpack_pack_double(pk, (double)n + 0.5);
    sm_pack_kv_int(pk, "unit_cents", 1000);
}
/*  A city-wide pool of EUR 1 for year n. */
static void p_pool_year(msgpack_packer *pk, int64_t n)
{
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "kind", "city_wide");
    sm_pack_kv_int(pk, "year", n);
    sm_pack_kv_int(pk, "amount_cents", 100);
}
/*  A city-wide pool of n cents in 2017. */
static void p_pool_amount(msgpack_packer *pk, int64_t n)
{
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "kind", "city_wide");
    sm_pack_kv_int(pk, "year", 2017);
    sm_pack_kv_int(pk, "amount_cents", n);
}
static void p_account_not(msgpack_packer *pk, int64_t n)
{
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "application", "G1");
    sm_pack_kv_str(pk, "result", "not");
    sm_pack_kv_str(pk, "narrative", "it did not work out");
}
static void p_override_blank(msgpack_packer *pk, int64_t n)
{
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "entitlement", "E1");
    sm_pack_kv_str(pk, "reference", "B1");
    sm_pack_kv_str(pk, "override_reason", "   ");
}

TEST(money_is_whole_cents_in_range_and_more_than_zero_where_it_must_be)
{
    sm_err_t e;
    CHECK(!s_accepted("split.compute", p_split_total, 0, &e));
    CHECK_STR(e.field, "total_cents");
    CHECK(!s_accepted("split.compute", p_split_total, -6000000, &e));
    CHECK(strstr(e.message, "a negative amount") != NULL);
    CHECK(!s_accepted("split.compute", p_split_fraction, 6000000, &e));
    CHECK(strstr(e.message, "a fraction of a cent") != NULL);
    CHECK(!s_accepted("split.compute", p_split_unit, (int64_t)1000000000000001LL, &e));
    CHECK_STR(e.field, "unit_cents");
    CHECK(s_accepted("split.compute", p_split_unit, 100000, &e));
    /*  A pool may hold nothing (yet); an award or a request may not. */
    CHECK(s_accepted("grant.pool.add", p_pool_amount, 0, &e));
    static const char *const more_than_zero[][2] = {
        {"split.compute", "total_cents"},   {"split.compute", "unit_cents"},
        {"expense.add", "amount_cents"},    {"expense.settle", "amount_cents"},
        {"entitlement.add", "amount_cents"}, {"grant.apply", "requested_cents"},
        {"grant.award", "amount_cents"},    {"grant.pay", "amount_cents"}};
    for (size_t i = 0; i < sizeof more_than_zero / sizeof more_than_zero[0]; i++) {
        const sm_arg_t *a = s_arg(more_than_zero[i][0], more_than_zero[i][1]);
        CHECK(a && a->type == SM_T_MONEY && a->min == 1);
    }
    /*  Every amount is money: whole cents, never a bare integer. */
    for (const sm_opdecl_t *op = sm_ops_finance; op->name; op++)
        for (int i = 0; op->args && op->args[i].name; i++) {
            const char *n = op->args[i].name;
            size_t len = strlen(n);
            if (len > 6 && strcmp(n + len - 6, "_cents") == 0 && op->args[i].type != SM_T_MONEY)
                printf("     %s.%s is not money\n", op->name, n);
            CHECK(!(len > 6 && strcmp(n + len - 6, "_cents") == 0) ||
                  op->args[i].type == SM_T_MONEY);
        }
}

TEST(years_are_2000_to_2100)
{
    sm_err_t e;
    CHECK(!s_accepted("grant.pool.add", p_pool_year, 1999, &e));
    CHECK_STR(e.field, "year");
    CHECK(strstr(e.message, "from 2000 to 2100") != NULL);
    CHECK(!s_accepted("grant.pool.add", p_pool_year, 2101, &e));
    CHECK_STR(e.field, "year");
    CHECK(s_accepted("grant.pool.add", p_pool_year, 2000, &e));
    CHECK(s_accepted("grant.pool.add", p_pool_year, 2100, &e));
}

TEST(a_result_of_not_is_not_reached_and_a_blank_override_reason_is_refused)
{
    sm_err_t e;
    CHECK(s_accepted("grant.account", p_account_not, 0, &e));
    CHECK(!s_accepted("entitlement.pay", p_override_blank, 0, &e));
    CHECK_STR(e.field, "override_reason");
}

/*  payee_pack into a document. */
static sm_doc_t *s_payee(const payee_t *p, bool personal)
{
    sm_buf_t b;
    sm_buf_init(&b);
    payee_pack(&b.pk, p, personal);
    sm_doc_t *d = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    sm_buf_free(&b);
    return d;
}

TEST(an_export_shows_the_account_in_full_only_to_who_may_see_it)
{
    payee_t p = {.iban = "NL91ABNA0417164300", .holder = "M. van den Heuvel",
                 .set_on = "2020-03-12"};
    sm_doc_t *full = s_payee(&p, true), *masked = s_payee(&p, false);
    const msgpack_object *f = sm_doc_root(full), *m = sm_doc_root(masked);
    CHECK(sm_obj_streq(sm_map_get(f, "iban"), "NL91ABNA0417164300"));
    CHECK(sm_obj_streq(sm_map_get(f, "holder"), "M. van den Heuvel"));
    CHECK(sm_obj_streq(sm_map_get(m, "iban"), "NL** **** **** **** 4300"));
    CHECK(sm_map_get(m, "holder")->type == MSGPACK_OBJECT_NIL);
    CHECK(sm_obj_streq(sm_map_get(m, "set_on"), "2020-03-12"));
    CHECK_INT(m->via.map.size, 3);
    sm_doc_destroy(&full);
    sm_doc_destroy(&masked);
}

int main(void)
{
    RUN(every_write_is_for_finance_people_and_every_read_for_all_who_read);
    RUN(bank_accounts_are_shown_to_finance_people_only);
    RUN(intake_may_gather_finances_export_and_nothing_else);
    RUN(money_is_whole_cents_in_range_and_more_than_zero_where_it_must_be);
    RUN(years_are_2000_to_2100);
    RUN(a_result_of_not_is_not_reached_and_a_blank_override_reason_is_refused);
    RUN(an_export_shows_the_account_in_full_only_to_who_may_see_it);
    return DONE();
}
