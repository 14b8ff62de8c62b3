/*  common/strbuf.h - a growable text buffer for rendered documents.

    Documents (planning grid, calendars, yearly overview, youth report) are
    built piece by piece; this
    buffer grows by doubling so that a 200-theme x 24-month grid costs a
    handful of reallocations, not one per cell.

    Failure is sticky: after an allocation fails every append is a no-op and
    strbuf_detach returns NULL, so a renderer checks once at the end instead
    of after every append.

        strbuf_t *sb = strbuf_new ();
        strbuf_puts (sb, "Theme");
        strbuf_printf (sb, " %s", "Oct19");
        char *text = strbuf_detach (sb);    //  caller frees; NULL when out of memory
        strbuf_destroy (&sb);
*/
#ifndef SAMEN_SCHEDULING_STRBUF_H
#define SAMEN_SCHEDULING_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct _strbuf_t strbuf_t;

/*  Create an empty buffer. Returns the buffer, or NULL when out of memory. */
strbuf_t *strbuf_new(void);

/*  Destroy the buffer and set *self_p to NULL. Safe on NULL and twice. */
void strbuf_destroy(strbuf_t **self_p);

/*  Append n bytes of s. Can't fail visibly: an allocation failure marks the
    buffer failed (see strbuf_failed). */
void strbuf_append(strbuf_t *self, const char *s, size_t n);

/*  Append the NUL-terminated string s. Same failure rule as strbuf_append. */
void strbuf_puts(strbuf_t *self, const char *s);

/*  Append one byte. Same failure rule as strbuf_append. */
void strbuf_putc(strbuf_t *self, char c);

/*  Append n copies of byte c. Same failure rule as strbuf_append. */
void strbuf_pad(strbuf_t *self, char c, size_t n);

/*  Append printf-style. Same failure rule as strbuf_append (also marks the
    buffer failed when vsnprintf itself reports an error). */
void strbuf_printf(strbuf_t *self, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*  The bytes so far (always NUL-terminated; "" when empty or failed).
    The pointer is the buffer's, valid until the next append. */
const char *strbuf_data(const strbuf_t *self);

/*  Number of bytes so far (0 after a failure). */
size_t strbuf_len(const strbuf_t *self);

/*  Shorten the text to new_len bytes; a no-op when it is not longer.
    Can't fail. */
void strbuf_truncate(strbuf_t *self, size_t new_len);

/*  True once an allocation has failed. */
bool strbuf_failed(const strbuf_t *self);

/*  Hand the text over: returns a malloc'd NUL-terminated string the caller
    frees, and leaves the buffer empty and usable. Returns NULL when an
    allocation failed earlier (the buffer is then reset too). */
char *strbuf_detach(strbuf_t *self);

#endif
