/*  cli/names.c - participants' names for display, asked from intake.
    See names.h. */
#include "names.h"
#include <stdlib.h>
#include <string.h>

#define S_TIMEOUT_MS 2000

struct _cli_names_t {
    cli_t *cli;
    bool checked;  //  whether intake has been asked if it is there
    bool disabled; //  intake is absent or does not answer participant.get
    const char *key; //  the argument name intake takes for the ID
    //  Every ID asked so far and its name (NULL when unknown): a list is
    //  looked at twice (any names? then the rows), intake is asked once.
    char (*ids)[24];
    char **names;
    size_t n, cap;
};

cli_names_t *cli_names_new(cli_t *cli)
{
    cli_names_t *self = calloc(1, sizeof *self);
    if (self) {
        self->cli = cli;
        self->key = "participant";
    }
    return self;
}

void cli_names_destroy(cli_names_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    for (size_t i = 0; i < (*self_p)->n; i++)
        free((*self_p)->names[i]);
    free((*self_p)->ids);
    free((*self_p)->names);
    free(*self_p);
    *self_p = NULL;
}

/*  Ask intake once for id with the argument named key. Returns 1 with
    *name (malloc'd) when found, 0 when intake says it does not know the ID,
    -1 when intake cannot answer this (wrong op or argument), -2 when it is
    unreachable. */
static int s_ask(cli_names_t *self, const char *key, const char *id, char **name)
{
    sm_buf_t args;
    sm_err_t e;
    sm_err_clear(&e);
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 1);
    sm_pack_kv_str(&args.pk, key, id);
    sm_doc_t *reply = sm_client_call(self->cli->client, "intake", "participant.get",
                                     args.sbuf.data, args.sbuf.size, NULL, S_TIMEOUT_MS, 0, &e);
    sm_buf_free(&args);
    if (!reply)
        return -2;
    const msgpack_object *data = NULL;
    int rc;
    if (sm_reply_check(reply, &data, &e) != 0)
        rc = strcmp(e.code, SM_E_NOT_FOUND) == 0 ? 0 : -1;
    else {
        char buf[1024];
        rc = sm_get_str(data, "name", true, buf, sizeof buf, false, NULL) > 0 ? 1 : 0;
        if (rc == 1 && !(*name = strdup(buf)))
            rc = 0;
    }
    sm_doc_destroy(&reply);
    return rc;
}

const char *cli_names_get(cli_names_t *self, const char *id)
{
    if (!self || self->disabled || !id || strlen(id) >= sizeof self->ids[0])
        return "";
    for (size_t i = 0; i < self->n; i++)
        if (strcmp(self->ids[i], id) == 0)
            return self->names[i] ? self->names[i] : "";
    if (!self->checked) {
        self->checked = true;
        sm_err_t e;
        //  MMI answers at once; asking a service with no worker would wait
        //  for the broker's request expiry instead.
        if (sm_client_mmi(self->cli->client, "intake", S_TIMEOUT_MS, &e) != 200) {
            self->disabled = true;
            return "";
        }
    }
    char *name = NULL;
    int rc = s_ask(self, self->key, id, &name);
    if (rc == -1 && strcmp(self->key, "participant") == 0) {
        //  An intake that names the argument "id" answers that instead.
        self->key = "id";
        rc = s_ask(self, self->key, id, &name);
    }
    if (rc < 0) {
        self->disabled = true;
        return "";
    }
    if (self->n == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 64;
        char(*ids)[24] = realloc(self->ids, cap * sizeof *ids);
        if (ids)
            self->ids = ids;
        char **names = ids ? realloc(self->names, cap * sizeof *names) : NULL;
        if (names)
            self->names = names;
        if (!ids || !names) {
            free(name);
            return "";
        }
        self->cap = cap;
    }
    snprintf(self->ids[self->n], sizeof self->ids[0], "%s", id);
    self->names[self->n++] = name;
    return name ? name : "";
}

bool cli_names_any(cli_names_t *self, const msgpack_object *rows, const char *key)
{
    bool any = false;
    for (uint32_t i = 0; rows && rows->type == MSGPACK_OBJECT_ARRAY && i < rows->via.array.size;
         i++) {
        char id[24];
        cli_text(sm_map_get(&rows->via.array.ptr[i], key), id, sizeof id);
        if (*cli_names_get(self, id))
            any = true;
    }
    return any;
}

/*  A table of participants (key "participant") with their names from
    intake in a NAME column when intake can tell. */
void cli_names_table(cli_t *cli, const msgpack_object *rows, const cli_col_t *cols, int ncols)
{
    cli_names_t *names = cli_names_new(cli);
    bool with_names = cli_names_any(names, rows, "participant");
    if (!with_names || rows->type != MSGPACK_OBJECT_ARRAY) {
        cli_table(cli, cols, ncols, rows);
        cli_names_destroy(&names);
        return;
    }
    /*  Rebuild the rows with a "name" key, then print with a NAME column
        after the first one. */
    sm_buf_t b;
    sm_buf_init(&b);
    uint32_t n = rows->via.array.size;
    msgpack_pack_array(&b.pk, n);
    for (uint32_t i = 0; i < n; i++) {
        const msgpack_object *r = &rows->via.array.ptr[i];
        char id[24];
        cli_text(sm_map_get(r, "participant"), id, sizeof id);
        msgpack_pack_map(&b.pk, r->via.map.size + 1);
        for (uint32_t k = 0; k < r->via.map.size; k++) {
            sm_pack_obj(&b.pk, &r->via.map.ptr[k].key);
            sm_pack_obj(&b.pk, &r->via.map.ptr[k].val);
        }
        sm_pack_kv_str(&b.pk, "name", cli_names_get(names, id));
    }
    cli_col_t with[16];
    int w = 0;
    for (int c = 0; c < ncols && w < 15; c++) {
        with[w++] = cols[c];
        if (c == 0)
            with[w++] = (cli_col_t){N_("NAME"), "name", 't'};
    }
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    if (doc)
        cli_table(cli, with, w, sm_doc_root(doc));
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
    cli_names_destroy(&names);
}

