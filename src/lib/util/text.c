/* Input decoding and small text helpers. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "winnow/text.h"

/* ---- UTF-8 validation ------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (1..4) with its code point, or 0
 * when the bytes there are not valid UTF-8 (overlong, surrogate, cut off). */
static size_t utf8_seq(const unsigned char *s, size_t avail, unsigned *cp)
{
    unsigned c = s[0];
    size_t n;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        n = 1, *cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 2, *cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 3, *cp = c & 0x07;
    else
        return 0;
    if (avail <= n)
        return 0;
    for (size_t i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 2 && *cp < 0x800) || (n == 3 && (*cp < 0x10000 || *cp > 0x10FFFF)) ||
        (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return n + 1;
}

/* Length of the longest prefix of str that is valid UTF-8 and, with
 * no_nul, holds no NUL byte: len when the whole text passes. */
static inline size_t utf8_prefix(const char *str, size_t len, int no_nul)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + len;
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    while (s < end) {
        /* Fast path: eight ASCII bytes at a time (most of any export),
         * checking for a NUL byte in the same pass. */
        while (end - s >= 8) {
            uint64_t w;
            memcpy(&w, s, 8);
            uint64_t stop = w & highs;
            if (no_nul)
                stop |= (w - ones) & ~w & highs;
            if (stop)
                break;
            s += 8;
        }
        if (s >= end)
            break;
        if (no_nul && *s == 0)
            break;
        unsigned cp;
        size_t n = utf8_seq(s, (size_t)(end - s), &cp);
        if (!n)
            break;
        s += n;
    }
    return (size_t)(s - (const unsigned char *)str);
}

int wn_utf8_valid(const char *str, size_t len)
{
    return utf8_prefix(str, len, 0) == len;
}

unsigned wn_utf8_next(const char **sp, const char *end)
{
    unsigned cp;
    size_t n = utf8_seq((const unsigned char *)*sp, (size_t)(end - *sp), &cp);
    /* Bad bytes are consumed one at a time, each read as U+FFFD. */
    *sp += n ? n : 1;
    return n ? cp : 0xFFFD;
}

/* ---- decoding --------------------------------------------------------- */

/* Windows-1252 bytes 0x80-0x9F; the five undefined ones keep their C1 value
 * (as Latin-1 would) so no byte is lost. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

static int decode_cp1252(const unsigned char *s, size_t len, wn_buf *out)
{
    if (wn_buf_reserve(out, len + len / 2))
        return WN_ENOMEM;
    for (size_t i = 0; i < len; i++) {
        unsigned c = s[i];
        if (c >= 0x80 && c < 0xA0)
            c = cp1252_high[c - 0x80];
        if (wn_buf_put_utf8(out, c))
            return WN_ENOMEM;
    }
    return 0;
}

static int decode_iconv(const char *from, const char *s, size_t len, wn_buf *out)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return WN_EINVAL;
    int rc = 0;
    char *in = (char *)s;
    size_t inleft = len;
    while (inleft > 0) {
        if (wn_buf_reserve(out, inleft * 2 + 16)) {
            rc = WN_ENOMEM;
            break;
        }
        char *o = out->data + out->len;
        size_t oleft = out->cap - out->len - 1;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        out->len = (size_t)(o - out->data);
        out->data[out->len] = '\0';
        if (r == (size_t)-1 && errno != E2BIG) {
            rc = WN_EPARSE; /* invalid or incomplete sequence */
            break;
        }
    }
    iconv_close(cd);
    return rc;
}

static size_t line_of(const char *s, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n')
            line++;
    return line;
}

/* UTF-16 without a BOM shows as NUL in every other byte of ASCII text. */
static const char *guess_utf16(const unsigned char *s, size_t len)
{
    size_t n = len < 512 ? len : 512, even0 = 0, odd0 = 0;
    if (n < 4)
        return NULL;
    for (size_t i = 0; i + 1 < n; i += 2) {
        even0 += s[i] == 0;
        odd0 += s[i + 1] == 0;
    }
    size_t pairs = n / 2;
    if (odd0 * 10 >= pairs * 9 && even0 == 0)
        return "utf-16le";
    if (even0 * 10 >= pairs * 9 && odd0 == 0)
        return "utf-16be";
    return NULL;
}

int wn_text_decode(const char *name, const void *data, size_t len, wn_decoded *out,
                   wn_err *err)
{
    const unsigned char *s = data;
    memset(out, 0, sizeof *out);
    const char *utf16 = NULL;
    size_t skip = 0;
    if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE)
        utf16 = "utf-16le", skip = 2;
    else if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF)
        utf16 = "utf-16be", skip = 2;
    else
        utf16 = guess_utf16(s, len);

    if (utf16) {
        wn_buf b = WN_BUF_INIT;
        int rc = decode_iconv(strcmp(utf16, "utf-16le") ? "UTF-16BE" : "UTF-16LE",
                              (const char *)s + skip, len - skip, &b);
        if (rc) {
            wn_buf_free(&b);
            if (rc == WN_ENOMEM)
                return wn_err_set(err, rc, "out of memory decoding '%s'", name);
            return wn_err_set(err, WN_EFORMAT, "cannot read '%s': invalid %s text", name,
                              utf16);
        }
        const char *nul = b.data ? memchr(b.data, '\0', b.len) : NULL;
        if (nul) {
            size_t line = line_of(b.data, (size_t)(nul - b.data));
            wn_buf_free(&b);
            return wn_err_set(err, WN_EFORMAT,
                              "cannot read '%s' line %zu: a NUL character (U+0000), which "
                              "no text export contains",
                              name, line);
        }
        out->len = b.len;
        out->owned = wn_buf_detach(&b);
        out->text = out->owned;
        out->encoding = utf16;
        return 0;
    }

    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        skip = 3;
    const char *t = (const char *)s + skip;
    size_t tlen = len - skip;
    /* One pass over the whole text checks both that it is UTF-8 and that it
     * holds no NUL; a NUL anywhere refuses the file, even after bytes that
     * are not UTF-8. */
    size_t bad = utf8_prefix(t, tlen, 1);
    const char *nul = bad == tlen ? NULL : memchr(t + bad, '\0', tlen - bad);
    if (nul) {
        return wn_err_set(err, WN_EFORMAT,
                          "cannot read '%s' line %zu: binary data (NUL byte), not a "
                          "text export",
                          name, line_of(t, (size_t)(nul - t)));
    }
    if (bad == tlen) {
        out->text = t;
        out->len = tlen;
        out->encoding = skip ? "utf-8-bom" : "utf-8";
        return 0;
    }
    wn_buf b = WN_BUF_INIT;
    if (decode_cp1252((const unsigned char *)t, tlen, &b)) {
        wn_buf_free(&b);
        return wn_err_set(err, WN_ENOMEM, "out of memory decoding '%s'", name);
    }
    out->len = b.len;
    out->owned = wn_buf_detach(&b);
    out->text = out->owned;
    out->encoding = "windows-1252";
    out->first_bad_line = line_of(t, bad);
    return 0;
}

int wn_text_decode_as(const char *name, const char *encoding, const void *data,
                      size_t len, wn_decoded *out, wn_err *err)
{
    memset(out, 0, sizeof *out);
    wn_buf b = WN_BUF_INIT;
    int rc = decode_iconv(encoding, data, len, &b);
    if (rc == WN_EINVAL) {
        wn_buf_free(&b);
        return wn_err_set(err, WN_EINVAL, "unknown encoding '%s'", encoding);
    }
    if (rc) {
        wn_buf_free(&b);
        return wn_err_set(err, WN_EFORMAT, "cannot read '%s': not valid %s text", name,
                          encoding);
    }
    const char *t = b.data ? b.data : "";
    size_t skip = (b.len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    if (memchr(t, '\0', b.len)) {
        wn_buf_free(&b);
        return wn_err_set(err, WN_EFORMAT, "cannot read '%s': binary data (NUL byte)",
                          name);
    }
    if (skip) {
        memmove(b.data, b.data + skip, b.len - skip + 1);
        b.len -= skip;
    }
    out->len = b.len;
    out->owned = wn_buf_detach(&b);
    out->text = out->owned;
    out->encoding = encoding;
    return 0;
}

void wn_decoded_free(wn_decoded *d)
{
    if (d) {
        free(d->owned);
        memset(d, 0, sizeof *d);
    }
}

/* ---- HTML entities, inline tags, white space ------------------------- */

static const struct {
    const char *name;
    unsigned cp;
} html_entities[] = {
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
    {"apos", '\''},    {"nbsp", 0xA0},    {"ndash", 0x2013}, {"mdash", 0x2014},
    {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"hellip", 0x2026}, {"middot", 0xB7}, {"deg", 0xB0},     {"plusmn", 0xB1},
    {"times", 0xD7},   {"micro", 0xB5},   {"copy", 0xA9},    {"reg", 0xAE},
    {"trade", 0x2122}, {"le", 0x2264},    {"ge", 0x2265},    {"ne", 0x2260},
    {"alpha", 0x3B1},  {"beta", 0x3B2},   {"gamma", 0x3B3},  {"delta", 0x3B4},
    {"epsilon", 0x3B5}, {"kappa", 0x3BA}, {"lambda", 0x3BB}, {"mu", 0x3BC},
    {"pi", 0x3C0},     {"sigma", 0x3C3},  {"tau", 0x3C4},    {"omega", 0x3C9},
    {"Delta", 0x394},  {"Omega", 0x3A9},  {"szlig", 0xDF},   {"aelig", 0xE6},
    {"oslash", 0xF8},  {"Oslash", 0xD8},  {"aring", 0xE5},   {"Aring", 0xC5},
    {"ccedil", 0xE7},  {"Ccedil", 0xC7},  {"ntilde", 0xF1},  {"Ntilde", 0xD1},
    {"auml", 0xE4},    {"ouml", 0xF6},    {"uuml", 0xFC},    {"Auml", 0xC4},
    {"Ouml", 0xD6},    {"Uuml", 0xDC},    {"euml", 0xEB},    {"iuml", 0xEF},
    {"aacute", 0xE1},  {"eacute", 0xE9},  {"iacute", 0xED},  {"oacute", 0xF3},
    {"uacute", 0xFA},  {"Aacute", 0xC1},  {"Eacute", 0xC9},  {"Iacute", 0xCD},
    {"Oacute", 0xD3},  {"Uacute", 0xDA},  {"agrave", 0xE0},  {"egrave", 0xE8},
    {"igrave", 0xEC},  {"ograve", 0xF2},  {"ugrave", 0xF9},  {"acirc", 0xE2},
    {"ecirc", 0xEA},   {"icirc", 0xEE},   {"ocirc", 0xF4},   {"ucirc", 0xFB},
    {"atilde", 0xE3},  {"otilde", 0xF5},  {"yacute", 0xFD},  {"thinsp", 0x2009},
    {"minus", 0x2212}, {"bull", 0x2022},  {"prime", 0x2032}, {"laquo", 0xAB},
    {"raquo", 0xBB},   {"sup2", 0xB2},    {"sup3", 0xB3},    {"frac12", 0xBD},
};

/* Parses one reference at s (just after '&'); returns its length up to and
 * including ';' and the code point, or 0 if it is not a reference. */
static size_t parse_entity(const char *s, size_t len, unsigned *cp)
{
    size_t i = 0;
    if (len > 1 && s[0] == '#') {
        unsigned long v = 0;
        int hex = s[1] == 'x' || s[1] == 'X';
        i = hex ? 2 : 1;
        size_t digits = 0;
        for (; i < len && i < 12; i++, digits++) {
            int c = (unsigned char)s[i];
            if (hex && isxdigit(c))
                v = v * 16 + (unsigned long)(isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
            else if (!hex && isdigit(c))
                v = v * 10 + (unsigned long)(c - '0');
            else
                break;
        }
        if (!digits || i >= len || s[i] != ';' || v == 0 || v > 0x10FFFF)
            return 0;
        *cp = (unsigned)v;
        return i + 1;
    }
    while (i < len && i < 10 && isalnum((unsigned char)s[i]))
        i++;
    if (i == 0 || i >= len || s[i] != ';')
        return 0;
    for (size_t k = 0; k < sizeof html_entities / sizeof html_entities[0]; k++) {
        if (strlen(html_entities[k].name) == i && memcmp(html_entities[k].name, s, i) == 0) {
            *cp = html_entities[k].cp;
            return i + 1;
        }
    }
    return 0;
}

int wn_html_unescape(wn_buf *out, const char *s, size_t len)
{
    size_t i = 0, run = 0;
    while (i < len) {
        const char *amp = memchr(s + i, '&', len - i);
        if (!amp)
            break;
        size_t at = (size_t)(amp - s);
        unsigned cp;
        size_t n = parse_entity(s + at + 1, len - at - 1, &cp);
        if (!n) {
            i = at + 1;
            continue;
        }
        if (wn_buf_append(out, s + run, at - run) || wn_buf_put_utf8(out, cp))
            return WN_ENOMEM;
        i = run = at + 1 + n;
    }
    return wn_buf_append(out, s + run, len - run);
}

static const char *const inline_tags[] = {"i", "b", "em", "strong", "sup", "sub", "u",
                                          "sc", "br", "p", "span", "scp", "inf", NULL};

/* Length of an inline tag at s ("<i>", "</sup>", "<br/>", "<span ...>"), or 0. */
static size_t inline_tag_len(const char *s, size_t len)
{
    size_t i = 1;
    if (i < len && s[i] == '/')
        i++;
    size_t name0 = i;
    while (i < len && islower((unsigned char)s[i]))
        i++;
    size_t nlen = i - name0;
    if (!nlen)
        return 0;
    int known = 0;
    for (size_t k = 0; inline_tags[k]; k++)
        if (strlen(inline_tags[k]) == nlen && memcmp(inline_tags[k], s + name0, nlen) == 0)
            known = 1;
    if (!known)
        return 0;
    for (; i < len && i < 200; i++) {
        if (s[i] == '>')
            return i + 1;
        if (s[i] == '<')
            return 0;
    }
    return 0;
}

int wn_strip_inline_tags(wn_buf *out, const char *s, size_t len)
{
    size_t i = 0, run = 0;
    while (i < len) {
        const char *lt = memchr(s + i, '<', len - i);
        if (!lt)
            break;
        size_t at = (size_t)(lt - s);
        size_t n = inline_tag_len(s + at, len - at);
        if (!n) {
            i = at + 1;
            continue;
        }
        if (wn_buf_append(out, s + run, at - run))
            return WN_ENOMEM;
        /* <br> separates words; other inline tags do not. */
        if (n >= 3 && (s[at + 1] == 'b' && s[at + 2] == 'r') && wn_buf_putc(out, ' '))
            return WN_ENOMEM;
        i = run = at + n;
    }
    return wn_buf_append(out, s + run, len - run);
}

int wn_collapse_space(wn_buf *out, const char *s, size_t len)
{
    if (wn_buf_reserve(out, len))
        return WN_ENOMEM;
    int pending = 0, any = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = 0;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            n = 1;
        else if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0)
            n = 2; /* NBSP */
        if (n) {
            pending = any;
            i += n;
            continue;
        }
        if (pending)
            out->data[out->len++] = ' ';
        pending = 0;
        any = 1;
        out->data[out->len++] = (char)c;
        i++;
    }
    out->data[out->len] = '\0';
    return 0;
}

void wn_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[32];
    unsigned int n = 0;
    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}
