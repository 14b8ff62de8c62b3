/*  common/text.h - text checks shared by every service. */
#ifndef SAMEN_TEXT_H
#define SAMEN_TEXT_H

#include "err.h"
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/*  True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
    nothing above U+10FFFF) and holds no NUL byte. */
bool sm_utf8_valid(const char *s, size_t len);

/*  Number of code points in valid UTF-8 s[0..len). */
size_t sm_utf8_len(const char *s, size_t len);

/*  Lower-case ASCII letters of s in place (UTF-8 bytes >= 0x80 untouched).
    Returns s. */
char *sm_ascii_lower(char *s);

/*  True when text is NULL, empty or only ASCII white space. */
bool sm_text_blank(const char *text);

/*  Check an optional text (NULL is fine): at most max bytes of valid UTF-8.
    Returns 0, or -1 with err (invalid_argument) naming field. */
int sm_text_check(const char *text, const char *field, size_t max, sm_err_t *err);

/*  Fill out with a random ID: 32 lower-case hex digits (16 bytes from the
    kernel's random source) and a NUL. Returns 0, or -1 with errno set. */
int sm_random_id(char out[33]);

/*  Trim ASCII white space at both ends in place. Returns s. */
char *sm_trim(char *s);

/*  A printable excerpt of untrusted text, for quoting it in an error
    message: control characters and bytes that are not well-formed UTF-8
    become '?', and text longer than fits is cut at a code point boundary
    and ends in "...". Always NUL-terminates when size > 0; s may be NULL
    (treated as ""). Returns buf. This function can't fail. */
char *sm_text_excerpt(const char *s, char *buf, size_t size);

/*  Decode the code point at s[*pos] of s[0..len) and advance *pos past
    it. On a malformed or truncated sequence returns 0xFFFD and advances
    one byte, so that a loop over untrusted bytes always ends. */
uint32_t sm_utf8_next(const char *s, size_t len, size_t *pos);

/*  True for the code points no text field of ours may hold: C0 and C1
    controls, DEL, line and paragraph separators, and the bidirectional
    overrides and isolates that can make text display as something else.
    Long texts allow newline and tab on top of this (common/op.h). */
bool sm_is_control(uint32_t cp);

#endif
