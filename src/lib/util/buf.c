#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winnow/buf.h"
#include "winnow/error.h"

int wn_buf_reserve(wn_buf *b, size_t extra)
{
    if (extra > (size_t)-1 / 2 - b->len)
        return WN_ENOMEM;
    size_t need = b->len + extra + 1;
    if (b->limit && need > b->limit + 1)
        return WN_ENOMEM;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    if (b->limit && cap > b->limit + 1)
        cap = b->limit + 1;
    char *p = realloc(b->data, cap);
    if (!p)
        return WN_ENOMEM;
    b->data = p;
    b->cap = cap;
    b->data[b->len] = '\0'; /* keep the promise even for a fresh buffer */
    return 0;
}

int wn_buf_append(wn_buf *b, const void *data, size_t len)
{
    if (wn_buf_reserve(b, len))
        return WN_ENOMEM;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int wn_buf_puts(wn_buf *b, const char *s) { return wn_buf_append(b, s, strlen(s)); }

int wn_buf_putc(wn_buf *b, char c)
{
    /* Most calls fit: skip the general path (cap never exceeds limit + 1). */
    if (b->len + 2 <= b->cap) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return 0;
    }
    return wn_buf_append(b, &c, 1);
}

int wn_buf_vprintf(wn_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || wn_buf_reserve(b, (size_t)n))
        return WN_ENOMEM;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int wn_buf_printf(wn_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = wn_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

int wn_buf_put_utf8(wn_buf *b, unsigned cp)
{
    char out[4];
    size_t n;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return wn_buf_append(b, out, n);
}

void wn_buf_clear(wn_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void wn_buf_truncate(wn_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

char *wn_buf_detach(wn_buf *b)
{
    if (!b->data && wn_buf_reserve(b, 0))
        return NULL;
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void wn_buf_free(wn_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *wn_strndup(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *wn_strdup(const char *s) { return s ? wn_strndup(s, strlen(s)) : NULL; }
