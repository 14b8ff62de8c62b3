/*  tests/unit/test_keystore.c - the key directory, its audit log, and reading
    certificates (common/keystore.h, common/security.h), on real files. */
#include "common/keystore.h"
#include "common/security.h"
#include "test.h"
#include <czmq.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*  A fresh temporary directory (mkdtemp); the caller removes it. */
static char *s_tmpdir(char *buf, size_t size)
{
    snprintf(buf, size, "/tmp/samen-keystore-XXXXXX");
    return mkdtemp(buf);
}

static void s_rmrf(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("could not remove %s\n", dir);
}

static mode_t s_mode(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_mode & 0777 : 0;
}

/*  The key that makes the changes in these tests. */
static const sm_security_t s_admin = {.name = "admin", .roles = SM_ROLE_ADMIN};

typedef struct {
    int n;
    sm_audit_entry_t last[8];
} s_seen_t;

static int s_collect(const sm_audit_entry_t *e, void *arg)
{
    s_seen_t *s = arg;
    if (s->n < 8)
        s->last[s->n] = *e;
    s->n++;
    return 0;
}

TEST(new_key_writes_a_trusted_public_and_a_private_secret_certificate)
{
    char dir[64];
    CHECK(s_tmpdir(dir, sizeof dir) != NULL);
    sm_err_t e;
    sm_err_clear(&e);
    sm_keyinfo_t k;
    CHECK_INT(sm_keystore_new(dir, "alice", SM_ROLE_COORDINATOR | SM_ROLE_AUDITOR, NULL, &s_admin,
                              &k, &e),
              0);
    CHECK_STR(k.name, "alice");
    CHECK_INT(k.roles, SM_ROLE_COORDINATOR | SM_ROLE_AUDITOR);
    CHECK_INT(strlen(k.public_key), 40);
    CHECK(k.has_secret && !k.revoked);
    char pub[200], sec[200];
    snprintf(pub, sizeof pub, "%s/public/alice.cert", dir);
    snprintf(sec, sizeof sec, "%s/secret/alice.cert_secret", dir);
    CHECK_INT(s_mode(pub), 0644);
    CHECK_INT(s_mode(sec), 0600);
    /*  Both read back as certificates of the same key. */
    char name[SM_KEY_NAME_MAX + 1], p1[SM_KEY_TEXT], p2[SM_KEY_TEXT], s2[SM_KEY_TEXT];
    sm_roles_t roles = 0;
    CHECK_INT(sm_cert_read(pub, false, false, NULL, name, &roles, p1, NULL, &e), 0);
    CHECK_INT(sm_cert_read(sec, true, false, NULL, NULL, NULL, p2, s2, &e), 0);
    CHECK_STR(name, "alice");
    CHECK_STR(p1, k.public_key);
    CHECK_STR(p2, k.public_key);
    CHECK_INT(strlen(s2), 40);
    CHECK_INT(roles, SM_ROLE_COORDINATOR | SM_ROLE_AUDITOR);
    /*  The same name again is refused while it is trusted. */
    sm_err_clear(&e);
    CHECK_INT(sm_keystore_new(dir, "alice", SM_ROLE_ADMIN, NULL, &s_admin, NULL, &e), -1);
    CHECK_STR(e.code, SM_E_ALREADY_EXISTS);
    s_rmrf(dir);
}

TEST(bad_names_roles_and_public_keys_are_refused_naming_the_field)
{
    char dir[64];
    CHECK(s_tmpdir(dir, sizeof dir) != NULL);
    sm_err_t e;
    const char *bad[] = {"", "Alice", "-x", "a b", "a/b", "broker", "local",
                         "abcdefghijklmnopqrstuvwxyz0123456", NULL};
    for (int i = 0; bad[i]; i++) {
        sm_err_clear(&e);
        CHECK_INT(sm_keystore_new(dir, bad[i], SM_ROLE_ADMIN, NULL, NULL, NULL, &e), -1);
        CHECK_STR(e.field, "name");
    }
    sm_err_clear(&e);
    CHECK_INT(sm_keystore_new(dir, "bob", 0, NULL, NULL, NULL, &e), -1);
    CHECK_STR(e.field, "role");
    sm_err_clear(&e);
    CHECK_INT(sm_keystore_new(dir, "bob", SM_ROLE_ADMIN, "not z85", NULL, NULL, &e), -1);
    CHECK_STR(e.field, "public_key");
    CHECK(sm_key_name_valid("finance-2") && sm_key_name_valid("a.b_c") && sm_key_name_valid("7"));
    s_rmrf(dir);
}

TEST(a_public_key_made_elsewhere_is_trusted_without_a_secret_file)
{
    char dir[64];
    CHECK(s_tmpdir(dir, sizeof dir) != NULL);
    char pub[41], sec[41];
    CHECK_INT(zmq_curve_keypair(pub, sec), 0);
    sm_err_t e;
    sm_err_clear(&e);
    sm_keyinfo_t k;
    CHECK_INT(sm_keystore_new(dir, "acme", SM_ROLE_SUBSCRIBER, pub, NULL, &k, &e), 0);
    CHECK_STR(k.public_key, pub);
    CHECK(!k.has_secret);
    char path[200];
    snprintf(path, sizeof path, "%s/secret/acme.cert_secret", dir);
    CHECK(access(path, F_OK) != 0);
    /*  One key, one name. */
    sm_err_clear(&e);
    CHECK_INT(sm_keystore_new(dir, "acme2", SM_ROLE_SUBSCRIBER, pub, NULL, NULL, &e), -1);
    CHECK_STR(e.code, SM_E_ALREADY_EXISTS);
    s_rmrf(dir);
}

TEST(revoke_moves_the_certificate_out_of_public_and_drops_the_secret)
{
    char dir[64];
    CHECK(s_tmpdir(dir, sizeof dir) != NULL);
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(sm_keystore_new(dir, "bob", SM_ROLE_FINANCE, NULL, &s_admin, NULL, &e), 0);
    sm_keyinfo_t k;
    CHECK_INT(sm_keystore_revoke(dir, "bob", &s_admin, &k, &e), 0);
    CHECK(k.revoked);
    CHECK(strstr(k.path, "/revoked/bob.") != NULL);
    CHECK_INT(strlen(k.revoked_at), 20);
    char path[200];
    snprintf(path, sizeof path, "%s/public/bob.cert", dir);
    CHECK(access(path, F_OK) != 0);
    snprintf(path, sizeof path, "%s/secret/bob.cert_secret", dir);
    CHECK(access(path, F_OK) != 0);
    /*  Revoking again: not found. A new bob may be made. */
    sm_err_clear(&e);
    CHECK_INT(sm_keystore_revoke(dir, "bob", &s_admin, NULL, &e), -1);
    CHECK_STR(e.code, SM_E_NOT_FOUND);
    CHECK_INT(sm_keystore_new(dir, "bob", SM_ROLE_AUDITOR, NULL, &s_admin, NULL, &e), 0);
    /*  The list has the trusted one first, then the revoked; show prefers the trusted. */
    sm_keyinfo_t *list = NULL;
    size_t n = 0;
    CHECK_INT(sm_keystore_list(dir, &list, &n, &e), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK(!list[0].revoked && list[1].revoked);
        CHECK_INT(list[0].roles, SM_ROLE_AUDITOR);
        CHECK_INT(list[1].roles, SM_ROLE_FINANCE);
    }
    free(list);
    CHECK_INT(sm_keystore_show(dir, "bob", &k, &e), 0);
    CHECK(!k.revoked);
    CHECK_INT(k.roles, SM_ROLE_AUDITOR);
    s_rmrf(dir);
}

TEST(every_key_change_is_in_the_audit_log_without_any_key)
{
    char dir[64];
    CHECK(s_tmpdir(dir, sizeof dir) != NULL);
    sm_err_t e;
    sm_err_clear(&e);
    sm_keyinfo_t k;
    CHECK_INT(sm_keystore_new(dir, "carol", SM_ROLE_COORDINATOR, NULL, &s_admin, &k, &e), 0);
    CHECK_INT(sm_keystore_revoke(dir, "carol", &s_admin, NULL, &e), 0);
    /*  A "who" that tries to start a new field or line is neutralised. */
    sm_security_t forger = {.name = "x op=key.revoke\nts=1", .roles = SM_ROLE_ADMIN};
    CHECK_INT(sm_audit_append(dir, &forger, "key.new", "dave", NULL, "ok", &e), 0);
    s_seen_t seen = {0};
    CHECK_INT(sm_audit_read(dir, s_collect, &seen, &e), 3);
    CHECK_STR(seen.last[0].op, "key.new");
    CHECK_STR(seen.last[0].who, "admin");
    CHECK_STR(seen.last[0].who_roles, "admin");
    CHECK_INT(seen.last[0].n, 1);
    CHECK_INT(seen.last[2].n, 3);
    CHECK_STR(seen.last[0].key, "carol");
    CHECK_STR(seen.last[0].roles, "coordinator");
    CHECK_STR(seen.last[0].outcome, "ok");
    CHECK_INT(strlen(seen.last[0].ts), 20);
    CHECK(seen.last[0].user[0] != '\0');
    CHECK_STR(seen.last[1].op, "key.revoke");
    CHECK_STR(seen.last[2].who, "x?op?key.revoke?ts?1");
    CHECK_STR(seen.last[2].op, "key.new");
    char path[200];
    snprintf(path, sizeof path, "%s/audit.log", dir);
    CHECK_INT(s_mode(path), 0600);
    zchunk_t *chunk = zchunk_slurp(path, 0);
    CHECK(chunk != NULL);
    if (chunk) {
        char *text = zchunk_strdup(chunk);
        CHECK(strstr(text, k.public_key) == NULL);
        free(text);
    }
    zchunk_destroy(&chunk);
    s_rmrf(dir);
}

TEST(init_makes_the_local_set_once)
{
    char dir[64];
    CHECK(s_tmpdir(dir, sizeof dir) != NULL);
    const char *services[] = {"intake", "finance", NULL};
    sm_err_t e;
    sm_err_clear(&e);
    int made = -1;
    CHECK_INT(sm_keystore_init(dir, services, NULL, &made, &e), 0);
    CHECK_INT(made, 4); /*  broker, intake, finance, admin */
    CHECK_INT(sm_keystore_init(dir, services, NULL, &made, &e), 0);
    CHECK_INT(made, 0);
    sm_keyinfo_t k;
    CHECK_INT(sm_keystore_show(dir, "finance", &k, &e), 0);
    CHECK_INT(k.roles, SM_ROLE_SVC_FINANCE);
    CHECK_INT(sm_keystore_show(dir, "admin", &k, &e), 0);
    CHECK_INT(k.roles, SM_ROLE_ADMIN);
    char path[200];
    snprintf(path, sizeof path, "%s/broker.cert_secret", dir);
    CHECK_INT(s_mode(path), 0600);
    snprintf(path, sizeof path, "%s/secret", dir);
    CHECK_INT(s_mode(path), 0700);
    s_rmrf(dir);
}

TEST(a_secret_file_others_can_read_is_refused)
{
    char dir[64];
    CHECK(s_tmpdir(dir, sizeof dir) != NULL);
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(sm_keystore_new(dir, "erin", SM_ROLE_ADMIN, NULL, NULL, NULL, &e), 0);
    char sec[200];
    snprintf(sec, sizeof sec, "%s/secret/erin.cert_secret", dir);
    chmod(sec, 0640);
    CHECK_INT(sm_cert_read(sec, true, false, "x/key", NULL, NULL, NULL, NULL, &e), -1);
    CHECK_STR(e.field, "x/key");
    CHECK(strstr(e.message, "chmod 600") != NULL);
    s_rmrf(dir);
}

TEST(a_certificate_with_too_much_metadata_is_refused)
{
    char dir[64];
    CHECK(s_tmpdir(dir, sizeof dir) != NULL);
    zcert_t *cert = zcert_new();
    zcert_set_meta(cert, "name", "big");
    zcert_set_meta(cert, "roles", "admin");
    char filler[500];
    memset(filler, 'x', sizeof filler - 1);
    filler[sizeof filler - 1] = '\0';
    zcert_set_meta(cert, "note", "%s", filler);
    char path[200];
    snprintf(path, sizeof path, "%s/big.cert", dir);
    CHECK_INT(zcert_save_public(cert, path), 0);
    zcert_destroy(&cert);
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(sm_cert_read(path, false, false, NULL, NULL, NULL, NULL, NULL, &e), -1);
    CHECK(strstr(e.message, "metadata") != NULL);
    s_rmrf(dir);
}

TEST(plain_mode_endpoints_must_stay_on_this_machine)
{
    CHECK(sm_endpoint_local("ipc:///run/samen/broker"));
    CHECK(sm_endpoint_local("inproc://x"));
    CHECK(sm_endpoint_local("tcp://127.0.0.1:5555"));
    CHECK(sm_endpoint_local("tcp://127.1.2.3:5555"));
    CHECK(sm_endpoint_local("tcp://localhost:5555"));
    CHECK(sm_endpoint_local("tcp://[::1]:5555"));
    CHECK(!sm_endpoint_local("tcp://0.0.0.0:5555"));
    CHECK(!sm_endpoint_local("tcp://*:5555"));
    CHECK(!sm_endpoint_local("tcp://10.0.0.5:5555"));
    CHECK(!sm_endpoint_local("tcp://127.0.0.1.evil.example:5555"));
    CHECK(!sm_endpoint_local("tcp://localhost.example:5555"));
    CHECK(!sm_endpoint_local("tcp://eth0:5555"));
    CHECK(!sm_endpoint_local(NULL));
}

int main(void)
{
    RUN(new_key_writes_a_trusted_public_and_a_private_secret_certificate);
    RUN(bad_names_roles_and_public_keys_are_refused_naming_the_field);
    RUN(a_public_key_made_elsewhere_is_trusted_without_a_secret_file);
    RUN(revoke_moves_the_certificate_out_of_public_and_drops_the_secret);
    RUN(every_key_change_is_in_the_audit_log_without_any_key);
    RUN(init_makes_the_local_set_once);
    RUN(a_secret_file_others_can_read_is_refused);
    RUN(a_certificate_with_too_much_metadata_is_refused);
    RUN(plain_mode_endpoints_must_stay_on_this_machine);
    return DONE();
}
