/*  tools/opsdoc.c - write the op reference and the role matrix from the op
    declarations (proto/ops_*.c), so that the documents cannot drift from
    what the services enforce.

        opsdoc ops SERVICE proto/ops-SERVICE.in.md > proto/ops-SERVICE.md
        opsdoc matrix proto/PROTOCOL.md > PROTOCOL.md.new

    `ops` copies the .in.md file (the prose a person wrote) and, under each
    op heading `### op.name`, puts what the declaration says: read or write,
    the roles that may call it and who sees personal fields, samenctl's
    verb, and a table of the arguments. Every declared op must have a
    heading and every heading a declaration; otherwise it exits 1 naming
    the op. `matrix` copies PROTOCOL.md with the text between the lines
    `<!-- role-matrix -->` and `<!-- /role-matrix -->` replaced by one
    table: every op of every service against every role.

    `make docs` runs both; `make check` fails when a committed file differs
    from what they produce.
*/
#include "proto/ops.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*  Read a whole file; NULL when it cannot be read. Caller frees. */
static char *s_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    return buf;
}

static const sm_opdecl_t *s_service_ops(const char *service)
{
    if (strcmp(service, "builtin") == 0)
        return sm_builtin_decls;
    for (int i = 0; sm_decls_all[i].service; i++)
        if (strcmp(sm_decls_all[i].service, service) == 0)
            return sm_decls_all[i].ops;
    return NULL;
}

/*  Print roles as "admin, coordinator". */
static void s_roles(sm_roles_t roles)
{
    int n = 0;
    for (int i = 0; sm_roles_all[i]; i++)
        if (roles & sm_roles_all[i])
            printf("%s`%s`", n++ ? ", " : "", sm_role_name(sm_roles_all[i]));
    if (!n)
        printf("nobody");
}

/*  A table cell: '|' escaped, one line. */
static void s_cell(const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", stdout);
        else if (*s == '\n')
            putchar(' ');
        else
            putchar(*s);
    }
}

/*  samenctl's flag for an argument (sm_arg_flag). */
static void s_flag_name(const sm_arg_t *a)
{
    char f[64];
    fputs(sm_arg_flag(a, f, sizeof f), stdout);
}

/*  The generated part of one op's section. */
static void s_op_block(const sm_opdecl_t *op)
{
    printf("*%s* · roles: ", (op->flags & SM_OP_WRITE) ? "write" : "read");
    s_roles(op->roles);
    if (op->flags & SM_OP_PERSONAL) {
        printf(" · personal fields shown to: ");
        s_roles(op->personal);
    }
    printf("\n\n%s\n", op->summary ? op->summary : "");
    if (op->cli) {
        printf("\nsamenctl: `samenctl %s", op->cli);
        for (int i = 0; op->args && op->args[i].name; i++)
            if (op->args[i].flags & SM_A_POS) {
                printf(" ");
                for (const char *p = op->args[i].name; *p; p++)
                    putchar(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
            }
        for (int i = 0; op->args && op->args[i].name; i++)
            if ((op->args[i].flags & SM_A_REQUIRED) && !(op->args[i].flags & SM_A_POS)) {
                printf(" --");
                s_flag_name(&op->args[i]);
                printf(" …");
            }
        printf("`\n");
    }
    if (!op->args || !op->args[0].name) {
        printf("\nArgs: none.\n");
        return;
    }
    printf("\n| arg | type | required | accepts | meaning |\n|---|---|---|---|---|\n");
    for (int i = 0; op->args[i].name; i++) {
        const sm_arg_t *a = &op->args[i];
        char acc[700];
        printf("| `%s` | %s | %s | ", a->name, sm_type_name(a->type),
               (a->flags & SM_A_REQUIRED) ? "yes" : "no");
        s_cell(sm_arg_accepts(a, acc, sizeof acc));
        printf(" | ");
        s_cell(a->help);
        if (a->flags & SM_A_PERSONAL)
            printf(" (personal data)");
        printf(" |\n");
    }
}

/*  True when line (up to its newline) is "### name" exactly, for some name;
    sets name. */
static bool s_op_heading(const char *line, char *name, size_t size)
{
    if (strncmp(line, "### ", 4) != 0)
        return false;
    const char *p = line + 4, *end = strchr(p, '\n');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n == 0 || n >= size || memchr(p, ' ', n))
        return false;
    memcpy(name, p, n);
    name[n] = '\0';
    return strchr(name, '.') != NULL;
}

static int s_ops(const char *service, const char *in_path)
{
    const sm_opdecl_t *ops = s_service_ops(service);
    char *text = s_slurp(in_path);
    if (!ops || !text) {
        fprintf(stderr, "opsdoc: %s\n", !ops ? "unknown service" : "cannot read the .in.md file");
        free(text);
        return 2;
    }
    int nops = 0;
    while (ops[nops].name)
        nops++;
    bool *seen = calloc((size_t)nops + 1, 1);
    int bad = 0;
    printf("<!-- Generated by `make docs` from proto/ops_%s.c and %s; edit those. -->\n", service,
           in_path);
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        next = next ? next + 1 : line + strlen(line);
        char name[96];
        if (s_op_heading(line, name, sizeof name)) {
            const sm_opdecl_t *op = sm_decl_find(ops, name);
            if (!op) {
                fprintf(stderr, "opsdoc: %s documents op %s, which proto/ops_%s.c does not "
                                "declare\n",
                        in_path, name, service);
                bad = 1;
            } else {
                seen[op - ops] = true;
                printf("### %s\n\n", name);
                s_op_block(op);
                printf("\n");
            }
        } else
            fwrite(line, 1, (size_t)(next - line), stdout);
        line = next;
    }
    for (int i = 0; i < nops; i++)
        if (!seen[i]) {
            fprintf(stderr, "opsdoc: op %s is declared but has no \"### %s\" heading in %s\n",
                    ops[i].name, ops[i].name, in_path);
            bad = 1;
        }
    free(seen);
    free(text);
    return bad;
}

/*  The role matrix: one row per op, one column per role; "yes", "yes,
    personal" (sees personal fields) or "-". */
static void s_matrix_table(void)
{
    printf("| service | op | kind |");
    for (int r = 0; sm_roles_all[r]; r++)
        printf(" %s |", sm_role_name(sm_roles_all[r]));
    printf("\n|---|---|---|");
    for (int r = 0; sm_roles_all[r]; r++)
        printf("---|");
    printf("\n");
    for (int s = -1; s < 0 || sm_decls_all[s].service; s++) {
        const char *service = s < 0 ? "(every service)" : sm_decls_all[s].service;
        const sm_opdecl_t *ops = s < 0 ? sm_builtin_decls : sm_decls_all[s].ops;
        for (int i = 0; ops[i].name; i++) {
            const sm_opdecl_t *op = &ops[i];
            printf("| %s | `%s` | %s |", service, op->name,
                   (op->flags & SM_OP_WRITE) ? "write" : "read");
            for (int r = 0; sm_roles_all[r]; r++) {
                sm_roles_t role = sm_roles_all[r];
                if (!(op->roles & role))
                    printf(" - |");
                else if ((op->flags & SM_OP_PERSONAL) && (op->personal & role))
                    printf(" yes, personal |");
                else
                    printf(" yes |");
            }
            printf("\n");
        }
    }
}

static int s_matrix(const char *path)
{
    char *text = s_slurp(path);
    if (!text) {
        fprintf(stderr, "opsdoc: cannot read %s\n", path);
        return 2;
    }
    const char *open = "<!-- role-matrix -->\n", *close = "<!-- /role-matrix -->\n";
    char *a = strstr(text, open), *b = a ? strstr(a, close) : NULL;
    if (!a || !b) {
        fprintf(stderr, "opsdoc: %s has no %s ... %s section\n", path, "<!-- role-matrix -->",
                "<!-- /role-matrix -->");
        free(text);
        return 1;
    }
    fwrite(text, 1, (size_t)(a - text) + strlen(open), stdout);
    printf("<!-- Generated by `make docs` from proto/ops_*.c; edit the declarations. -->\n");
    s_matrix_table();
    fputs(b, stdout);
    free(text);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "ops") == 0)
        return s_ops(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "matrix") == 0)
        return s_matrix(argv[2]);
    fprintf(stderr, "usage: opsdoc ops SERVICE FILE.in.md | opsdoc matrix PROTOCOL.md\n");
    return 2;
}
