/*  tests/unit/broker/test_keys.c - the broker's table of trusted keys
    (services/broker/keys.h), on a real directory of certificates. */
#include "../test.h"
#include "common/keystore.h"
#include "services/broker/keys.h"
#include <czmq.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *s_tmpdir(char *buf, size_t size)
{
    snprintf(buf, size, "/tmp/samen-keyring-XXXXXX");
    return mkdtemp(buf);
}

static void s_rmrf(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("could not remove %s\n", dir);
}

/*  Make key name in dir; returns its public key text in pub (41 bytes). */
static void s_new(const char *dir, const char *name, sm_roles_t roles, char *pub)
{
    sm_keyinfo_t k;
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(sm_keystore_new(dir, name, roles, NULL, NULL, &k, &e), 0);
    snprintf(pub, SM_KEY_TEXT, "%s", k.public_key);
}

TEST(keys_are_found_by_public_key_with_name_roles_and_caller_frame)
{
    char dir[64], pub[320];
    CHECK(s_tmpdir(dir, sizeof dir) != NULL);
    char alice[SM_KEY_TEXT], fin[SM_KEY_TEXT];
    s_new(dir, "alice", SM_ROLE_COORDINATOR | SM_ROLE_AUDITOR, alice);
    s_new(dir, "finance", SM_ROLE_SVC_FINANCE, fin);
    snprintf(pub, sizeof pub, "%s/public", dir);
    sm_keyring_t *ring = sm_keyring_new(pub);
    bool lost = true;
    CHECK_INT(sm_keyring_refresh(ring, &lost), 1);
    CHECK(!lost);
    CHECK_INT(sm_keyring_count(ring), 2);
    const sm_key_t *k = sm_keyring_find(ring, alice);
    CHECK(k != NULL);
    if (k) {
        CHECK_STR(k->name, "alice");
        CHECK_INT(k->roles, SM_ROLE_COORDINATOR | SM_ROLE_AUDITOR);
        sm_doc_t *doc = sm_doc_parse(k->caller, k->caller_len, NULL);
        CHECK(doc != NULL);
        const msgpack_object *root = doc ? sm_doc_root(doc) : NULL;
        CHECK(root && root->type == MSGPACK_OBJECT_MAP && root->via.map.size == 2);
        CHECK(sm_obj_streq(sm_map_get(root, "key"), "alice"));
        const msgpack_object *roles = sm_map_get(root, "roles");
        CHECK(roles && roles->type == MSGPACK_OBJECT_ARRAY && roles->via.array.size == 2);
        if (roles && roles->via.array.size == 2) {
            CHECK(sm_obj_streq(&roles->via.array.ptr[0], "coordinator"));
            CHECK(sm_obj_streq(&roles->via.array.ptr[1], "auditor"));
        }
        sm_doc_destroy(&doc);
    }
    char stranger[41], secret[41];
    zmq_curve_keypair(stranger, secret);
    CHECK(sm_keyring_find(ring, stranger) == NULL);
    CHECK(sm_keyring_find(ring, "short") == NULL);
    /*  Nothing changed: no reload. */
    CHECK_INT(sm_keyring_refresh(ring, &lost), 0);
    sm_keyring_destroy(&ring);
    sm_keyring_destroy(&ring);
    s_rmrf(dir);
}

TEST(a_revoked_key_is_gone_at_the_next_refresh_and_reported_lost)
{
    char dir[64], pub[320];
    CHECK(s_tmpdir(dir, sizeof dir) != NULL);
    char alice[SM_KEY_TEXT], bob[SM_KEY_TEXT];
    s_new(dir, "alice", SM_ROLE_ADMIN, alice);
    snprintf(pub, sizeof pub, "%s/public", dir);
    sm_keyring_t *ring = sm_keyring_new(pub);
    bool lost = false;
    CHECK_INT(sm_keyring_refresh(ring, &lost), 1);
    /*  A new key: reloaded, nothing lost. */
    s_new(dir, "bob", SM_ROLE_SUBSCRIBER, bob);
    CHECK_INT(sm_keyring_refresh(ring, &lost), 1);
    CHECK(!lost);
    CHECK(sm_keyring_find(ring, bob) != NULL);
    /*  Revoked: gone, and lost. */
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(sm_keystore_revoke(dir, "alice", NULL, NULL, &e), 0);
    CHECK_INT(sm_keyring_refresh(ring, &lost), 1);
    CHECK(lost);
    CHECK(sm_keyring_find(ring, alice) == NULL);
    CHECK(sm_keyring_find(ring, bob) != NULL);
    sm_keyring_destroy(&ring);
    s_rmrf(dir);
}

TEST(fewer_roles_in_the_same_second_and_size_count_as_lost)
{
    char dir[64], pub[320], path[400];
    CHECK(s_tmpdir(dir, sizeof dir) != NULL);
    char k1[SM_KEY_TEXT];
    s_new(dir, "eve", SM_ROLE_FINANCE, k1);
    snprintf(pub, sizeof pub, "%s/public", dir);
    sm_keyring_t *ring = sm_keyring_new(pub);
    bool lost = false;
    CHECK_INT(sm_keyring_refresh(ring, &lost), 1);
    /*  "finance" -> "auditor": same length, same size, likely the same second. */
    snprintf(path, sizeof path, "%s/eve.cert", pub);
    zchunk_t *chunk = zchunk_slurp(path, 0);
    CHECK(chunk != NULL);
    if (chunk) {
        char *text = zchunk_strdup(chunk);
        char *at = strstr(text, "roles = \"finance\"");
        CHECK(at != NULL);
        if (at)
            memcpy(at + 9, "auditor", 7);
        FILE *f = fopen(path, "w");
        if (f) {
            fputs(text, f);
            fclose(f);
        }
        free(text);
        zchunk_destroy(&chunk);
    }
    CHECK_INT(sm_keyring_refresh(ring, &lost), 1);
    CHECK(lost);
    const sm_key_t *k = sm_keyring_find(ring, k1);
    CHECK(k && k->roles == SM_ROLE_AUDITOR);
    sm_keyring_destroy(&ring);
    s_rmrf(dir);
}

TEST(invalid_certificates_are_skipped_not_trusted)
{
    char dir[64], pub[320], path[400];
    CHECK(s_tmpdir(dir, sizeof dir) != NULL);
    char ok[SM_KEY_TEXT];
    s_new(dir, "good", SM_ROLE_ADMIN, ok);
    snprintf(pub, sizeof pub, "%s/public", dir);
    /*  No roles; an unknown role; not a certificate at all. */
    zcert_t *cert = zcert_new();
    zcert_set_meta(cert, "name", "noroles");
    snprintf(path, sizeof path, "%s/noroles.cert", pub);
    zcert_save_public(cert, path);
    zcert_set_meta(cert, "name", "badrole");
    zcert_set_meta(cert, "roles", "king");
    snprintf(path, sizeof path, "%s/badrole.cert", pub);
    zcert_save_public(cert, path);
    zcert_destroy(&cert);
    snprintf(path, sizeof path, "%s/junk.cert", pub);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("not a certificate\n", f);
        fclose(f);
    }
    sm_keyring_t *ring = sm_keyring_new(pub);
    CHECK_INT(sm_keyring_refresh(ring, NULL), 1);
    CHECK_INT(sm_keyring_count(ring), 1);
    CHECK_INT(sm_keyring_skipped(ring), 3);
    CHECK(sm_keyring_find(ring, ok) != NULL);
    sm_keyring_destroy(&ring);
    s_rmrf(dir);
}

TEST(an_absent_directory_trusts_nobody)
{
    sm_keyring_t *ring = sm_keyring_new("/tmp/samen-keyring-does-not-exist/public");
    CHECK_INT(sm_keyring_refresh(ring, NULL), 1);
    CHECK_INT(sm_keyring_count(ring), 0);
    CHECK_INT(sm_keyring_refresh(ring, NULL), 0);
    sm_keyring_destroy(&ring);
}

int main(void)
{
    RUN(keys_are_found_by_public_key_with_name_roles_and_caller_frame);
    RUN(a_revoked_key_is_gone_at_the_next_refresh_and_reported_lost);
    RUN(fewer_roles_in_the_same_second_and_size_count_as_lost);
    RUN(invalid_certificates_are_skipped_not_trusted);
    RUN(an_absent_directory_trusts_nobody);
    return DONE();
}
