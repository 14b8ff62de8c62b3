/*  common/strbuf.c - a growable text buffer. See strbuf.h. */
#include "strbuf.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _strbuf_t {
    char *data;  //  NULL until the first append
    size_t len;  //  bytes used, not counting the NUL
    size_t cap;  //  bytes allocated
    bool failed; //  an allocation failed; appends are ignored from then on
};

strbuf_t *strbuf_new(void)
{
    return calloc(1, sizeof(strbuf_t));
}

void strbuf_destroy(strbuf_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->data);
    free(*self_p);
    *self_p = NULL;
}

/*  Make room for extra more bytes plus the NUL. Returns 0, or -1 after
    marking the buffer failed (the old contents are released then, because
    a half-built document is never handed out). */
static int s_reserve(strbuf_t *self, size_t extra)
{
    if (self->failed)
        return -1;
    if (extra > SIZE_MAX / 2 - self->len - 1)
        goto failed;
    size_t need = self->len + extra + 1;
    if (need <= self->cap)
        return 0;
    size_t cap = self->cap ? self->cap : 256;
    while (cap < need)
        cap *= 2;
    char *data = realloc(self->data, cap);
    if (!data)
        goto failed;
    self->data = data;
    self->cap = cap;
    return 0;
failed:
    free(self->data);
    self->data = NULL;
    self->len = self->cap = 0;
    self->failed = true;
    return -1;
}

void strbuf_append(strbuf_t *self, const char *s, size_t n)
{
    if (n == 0 || s_reserve(self, n) != 0)
        return;
    memcpy(self->data + self->len, s, n);
    self->len += n;
    self->data[self->len] = '\0';
}

void strbuf_puts(strbuf_t *self, const char *s)
{
    strbuf_append(self, s, strlen(s));
}

void strbuf_putc(strbuf_t *self, char c)
{
    strbuf_append(self, &c, 1);
}

void strbuf_pad(strbuf_t *self, char c, size_t n)
{
    if (n == 0 || s_reserve(self, n) != 0)
        return;
    memset(self->data + self->len, c, n);
    self->len += n;
    self->data[self->len] = '\0';
}

void strbuf_printf(strbuf_t *self, const char *fmt, ...)
{
    if (self->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        //  An encoding error: mark failed rather than emit a silent gap.
        s_reserve(self, SIZE_MAX);
        return;
    }
    if (s_reserve(self, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(self->data + self->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    self->len += (size_t)n;
}

const char *strbuf_data(const strbuf_t *self)
{
    return self->data ? self->data : "";
}

size_t strbuf_len(const strbuf_t *self)
{
    return self->len;
}

void strbuf_truncate(strbuf_t *self, size_t new_len)
{
    if (new_len >= self->len)
        return;
    self->len = new_len;
    self->data[self->len] = '\0';
}

bool strbuf_failed(const strbuf_t *self)
{
    return self->failed;
}

char *strbuf_detach(strbuf_t *self)
{
    char *text = NULL;
    if (!self->failed) {
        text = self->data ? self->data : strdup("");
        self->data = NULL;
    }
    free(self->data);
    self->data = NULL;
    self->len = self->cap = 0;
    self->failed = false;
    return text;
}
