/*  common/err.c - errors as values. */
#include "err.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sm_err_clear(sm_err_t *err)
{
    if (!err)
        return;
    err->code = NULL;
    err->field[0] = '\0';
    err->message[0] = '\0';
}

int sm_err_set(sm_err_t *err, const char *code, const char *field, const char *fmt, ...)
{
    if (!err)
        return -1;
    err->code = code;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

bool sm_err_is_set(const sm_err_t *err)
{
    return err && err->code != NULL;
}
