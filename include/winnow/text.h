/* winnow — turning input bytes into valid UTF-8 text, and small text helpers.
 *
 * Exports arrive as UTF-8 (with or without BOM), UTF-16 LE/BE (JabRef, some
 * Windows tools), or a legacy single-byte code page. Everything past the
 * reader works on valid UTF-8. */
#ifndef WINNOW_TEXT_H
#define WINNOW_TEXT_H

#include <stddef.h>

#include "winnow/buf.h"
#include "winnow/error.h"

typedef struct wn_decoded {
    const char *text;   /* valid UTF-8 (borrowed from input or from owned) */
    size_t len;
    char *owned;        /* non-NULL when the text had to be converted */
    const char *encoding; /* "utf-8", "utf-8-bom", "utf-16le", "utf-16be",
                             "windows-1252" (static strings) */
    size_t first_bad_line; /* for windows-1252 fallback: the first line that
                              was not valid UTF-8 (1-based), else 0 */
} wn_decoded;

/* Decodes data[0..len) to UTF-8. Zero-copy when the input already is valid
 * UTF-8 (a BOM is skipped). Fails with WN_EFORMAT on binary data (NUL bytes
 * outside UTF-16) and says so in err, naming `name`. */
int wn_text_decode(const char *name, const void *data, size_t len,
                   wn_decoded *out, wn_err *err);
/* Decodes with a named encoding (any iconv name: "gb18030", "latin1"). */
int wn_text_decode_as(const char *name, const char *encoding, const void *data,
                      size_t len, wn_decoded *out, wn_err *err);
void wn_decoded_free(wn_decoded *d);

/* Non-zero when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int wn_utf8_valid(const char *s, size_t len);
/* Decodes one code point at *s (advancing it); returns 0xFFFD on bad input. */
unsigned wn_utf8_next(const char **s, const char *end);

/* Appends s[0..len) with HTML/XML character references (&amp; &#233;
 * &eacute; ...) decoded; unknown references are kept as written. */
int wn_html_unescape(wn_buf *out, const char *s, size_t len);
/* Appends s with tags like <i>, </sup>, <br/> removed (only well-formed
 * lower-case inline tags; a lone "<" stays). */
int wn_strip_inline_tags(wn_buf *out, const char *s, size_t len);
/* Appends s with runs of white space (incl. newlines, tabs, NBSP) made one
 * space and the ends trimmed. */
int wn_collapse_space(wn_buf *out, const char *s, size_t len);

/* Lower-case SHA-256 hex (65 bytes with NUL) of data. */
void wn_sha256_hex(const void *data, size_t len, char out[65]);

#endif
