/*  services/intake/pii_cands.h - what the personal-data scanners found
    before overlaps are resolved (internal to intake's pii modules).

    Each scanner (names, e-mail, phone, the number shapes) appends
    candidates; pii_scan then keeps, of overlapping candidates, the
    longest (then a participant's, then the earlier one) and reports them
    in text order. */
#ifndef SAMEN_INTAKE_PII_CANDS_H
#define SAMEN_INTAKE_PII_CANDS_H

#include "pii.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#define NIL UINT32_MAX /*  no participant */

typedef struct {
    uint32_t start, end; /*  bytes of the text */
    uint32_t person;     /*  the index's person slot, NIL for a shape-only match */
    uint8_t kind;        /*  pii_kind_t */
} pii_cand_t;

typedef struct {
    pii_cand_t *items;
    size_t count, cap;
    bool failed; /*  out of memory along the way */
} pii_cands_t;

/*  Append a candidate; on out of memory mark c failed (checked once, at
    the end of the scan). */
static inline void pii_cand_add(pii_cands_t *c, pii_kind_t kind, size_t start, size_t end,
                                uint32_t person)
{
    if (c->failed || end <= start)
        return;
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        pii_cand_t *items = realloc(c->items, cap * sizeof *items);
        if (!items) {
            c->failed = true;
            return;
        }
        c->items = items;
        c->cap = cap;
    }
    c->items[c->count++] = (pii_cand_t){(uint32_t)start, (uint32_t)end, person, (uint8_t)kind};
}

#endif
