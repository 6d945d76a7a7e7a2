/* winnow — the growable byte buffer used everywhere text is built.
 *
 * Invariants: data is NULL or holds len bytes followed by a NUL (so it can be
 * read as a C string); cap counts the allocated bytes; len + 1 <= cap. A
 * buffer never grows past `limit` bytes when limit is non-zero: appends that
 * would exceed it fail with WN_ENOMEM and leave the buffer unchanged. A zeroed
 * struct (WN_BUF_INIT) is a valid empty buffer. */
#ifndef WINNOW_BUF_H
#define WINNOW_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct wn_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t limit; /* 0: no cap */
} wn_buf;

#define WN_BUF_INIT {NULL, 0, 0, 0}

int wn_buf_reserve(wn_buf *b, size_t extra);
int wn_buf_append(wn_buf *b, const void *data, size_t len);
int wn_buf_puts(wn_buf *b, const char *s);
int wn_buf_putc(wn_buf *b, char c);
int wn_buf_printf(wn_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int wn_buf_vprintf(wn_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends the UTF-8 encoding of code point cp (invalid ones become U+FFFD). */
int wn_buf_put_utf8(wn_buf *b, unsigned cp);
/* Empties the buffer, keeping its memory. */
void wn_buf_clear(wn_buf *b);
/* Shortens to len bytes (len <= b->len). */
void wn_buf_truncate(wn_buf *b, size_t len);
/* Hands the contents to the caller (owned, NUL-terminated, never NULL on
 * success) and leaves the buffer empty. NULL only if allocation failed. */
char *wn_buf_detach(wn_buf *b);
void wn_buf_free(wn_buf *b);

/* Owned copy of s[0..len) with a NUL; NULL on allocation failure. */
char *wn_strndup(const char *s, size_t len);
char *wn_strdup(const char *s);

#endif
