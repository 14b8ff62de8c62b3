/*  services/finance/municipality.h - member municipalities and their inhabitants.

    A municipality (gemeente) has a name, its statistics-office code
    ("GM0402") and a history of inhabitant counts, each valid from a reference
    date. A new count never overwrites an old one; a cost split uses the
    count valid on a chosen date. Events carry the municipality list for the
    other services (names and counts are public statistics, not personal data).

    Ops: municipality.add, municipality.count, municipality.list, municipality.get
    Events: finance.municipality.added, finance.municipality.counted
*/
#ifndef SAMEN_FINANCE_MUNICIPALITY_H
#define SAMEN_FINANCE_MUNICIPALITY_H

#include "../../common/service.h"
#include "../../common/date.h"

#define MUNI_MAX_COUNTS 64

typedef struct {
    int64_t inhabitants;
    sm_date_t as_of;
} muni_count_t;

typedef struct {
    char code[8];   /*  "GM0402" */
    char name[64];
    int ncounts;
    muni_count_t counts[MUNI_MAX_COUNTS]; /*  sorted by as_of, oldest first */
} municipality_t;

/*  Check a statistics-office code: "GM" and four digits. Upper-cases the
    letters in place. Returns 0 or -1 with err naming field. */
int muni_code_check(char *code, const char *field, sm_err_t *err);

/*  The count valid on date: the latest count with as_of <= date. Returns
    the index, or -1 when the municipality had no count yet on that date. */
int muni_count_on(const municipality_t *m, sm_date_t date);

/*  Encode / decode the stored record. decode returns 0 or -1. */
void muni_encode(const municipality_t *m, msgpack_packer *pk);
int muni_decode(const void *data, size_t size, municipality_t *m);

/*  Find by code or (case-insensitive) name within the transaction: a code
    and a name are each one index lookup.
    Returns 1 found, 0 not found, -1 error (ctx error set). */
int muni_lookup(sm_ctx_t *ctx, const char *code_or_name, municipality_t *out);

/*  Load every municipality (sorted by code). Returns the count, or -1.
    *out is malloc'd; caller frees. */
int muni_load_all(sm_ctx_t *ctx, municipality_t **out);

int op_municipality_add(sm_ctx_t *ctx, const msgpack_object *args);
int op_municipality_count(sm_ctx_t *ctx, const msgpack_object *args);
int op_municipality_list(sm_ctx_t *ctx, const msgpack_object *args);
int op_municipality_get(sm_ctx_t *ctx, const msgpack_object *args);

#endif
