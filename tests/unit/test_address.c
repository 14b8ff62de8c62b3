/*  tests/unit/test_address.c - which addresses count as loopback
    (sm_address_loopback): the health endpoint's SECTION/http_address warns
    at start when it is not one, and plain mode's tcp:// endpoints must be
    one (sm_endpoint_local, tested in test_keystore.c). */
#include "common/endpoints.h"
#include "test.h"

TEST(loopback_addresses_are_127_slash_8_and_the_ipv6_loopback)
{
    CHECK(sm_address_loopback("127.0.0.1"));
    CHECK(sm_address_loopback("127.0.0.2"));
    CHECK(sm_address_loopback("127.255.255.254"));
    CHECK(sm_address_loopback("::1"));
    CHECK(sm_address_loopback("0:0:0:0:0:0:0:1"));
    CHECK(sm_address_loopback("::ffff:127.0.0.1"));
}

TEST(wildcards_and_a_hosts_own_addresses_are_not_loopback)
{
    CHECK(!sm_address_loopback("0.0.0.0"));
    CHECK(!sm_address_loopback("::"));
    CHECK(!sm_address_loopback("10.1.2.3"));
    CHECK(!sm_address_loopback("128.0.0.1"));
    CHECK(!sm_address_loopback("126.255.255.255"));
    CHECK(!sm_address_loopback("fe80::1"));
    CHECK(!sm_address_loopback("::ffff:10.0.0.1"));
    CHECK(!sm_address_loopback("::2"));
}

TEST(text_that_is_not_an_address_is_not_loopback)
{
    CHECK(!sm_address_loopback("localhost"));
    CHECK(!sm_address_loopback(""));
    CHECK(!sm_address_loopback("127.0.0.1:9560"));
    CHECK(!sm_address_loopback("[::1]"));
}

int main(void)
{
    RUN(loopback_addresses_are_127_slash_8_and_the_ipv6_loopback);
    RUN(wildcards_and_a_hosts_own_addresses_are_not_loopback);
    RUN(text_that_is_not_an_address_is_not_loopback);
    return DONE();
}
