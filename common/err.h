/*  common/err.h - errors as values: a code, a sentence for a person, the field.

    Every fallible function in libsamen takes an sm_err_t * (which may be NULL
    when the caller does not care) and fills it on failure. The code is one of
    the strings in proto/errors.h; the message is a sentence a person can act
    on ("birth_year 2031 is in the future; give a year between 1900 and 2026");
    the field names the offending argument, or is empty.
*/
#ifndef SAMEN_ERR_H
#define SAMEN_ERR_H

#include "../proto/errors.h"
#include <stdbool.h>

typedef struct {
    const char *code; /*  NULL while no error; else a static SM_E_* string */
    char field[64];
    char message[512];
} sm_err_t;

/*  Clear an error so that it can be reused. Safe on NULL. */
void sm_err_clear(sm_err_t *err);

/*  Fill err with code, field (may be NULL) and a printf-style message.
    Always returns -1 so that callers can write `return sm_err_set(...)`.
    Safe on NULL err. */
int sm_err_set(sm_err_t *err, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*  True when err holds an error. */
bool sm_err_is_set(const sm_err_t *err);

#endif
