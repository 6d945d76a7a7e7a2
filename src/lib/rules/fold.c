/* Folding text for matching: words are runs of letters and digits, compared
 * without case or diacritics ("Émigré" matches "emigre", "Straße"
 * matches "strasse"). ASCII words, the vast majority, take a fast path;
 * others go through ICU (case fold, canonical decomposition, marks
 * dropped). */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "rules/rules_impl.h"
#include "winnow/error.h"
#include "winnow/text.h"

static int ascii_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is_mark(UChar32 c)
{
    int t = u_charType(c);
    return t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK || t == U_ENCLOSING_MARK;
}

/* Letters that carry their diacritic inside the letter, so decomposition
 * does not remove it. */
static const char *base_letter(UChar32 c)
{
    switch (c) {
    case 0x00F8: return "o";  /* ø */
    case 0x0142: return "l";  /* ł */
    case 0x0111: return "d";  /* đ */
    case 0x0127: return "h";  /* ħ */
    case 0x0131: return "i";  /* dotless i */
    case 0x00E6: return "ae";
    case 0x0153: return "oe";
    case 0x00FE: return "th";
    case 0x00F0: return "d";  /* ð */
    default: return NULL;
    }
}

/* Folds one non-ASCII word with ICU and appends it to out. */
static int fold_unicode(const char *s, size_t len, wn_buf *out)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8WithSub(NULL, 0, &n16, s, (int32_t)len, 0xFFFD, NULL, &st);
    st = U_ZERO_ERROR;
    size_t cap = (size_t)n16 * 4 + 8; /* folding and NFD can grow the text */
    UChar *a = malloc(cap * sizeof *a), *b = malloc(cap * sizeof *b);
    int rc = WN_ENOMEM;
    if (!a || !b)
        goto done;
    u_strFromUTF8WithSub(a, (int32_t)cap, &n16, s, (int32_t)len, 0xFFFD, NULL, &st);
    int32_t nf = u_strFoldCase(b, (int32_t)cap, a, n16, U_FOLD_CASE_DEFAULT, &st);
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
    int32_t nd = U_SUCCESS(st) ? unorm2_normalize(nfd, b, nf, a, (int32_t)cap, &st) : 0;
    if (U_FAILURE(st)) {
        /* Cannot happen with these sizes; keep the word as it is. */
        rc = wn_buf_append(out, s, len);
        goto done;
    }
    rc = 0;
    for (int32_t i = 0; i < nd && !rc;) {
        UChar32 c;
        U16_NEXT(a, i, nd, c);
        if (is_mark(c))
            continue;
        const char *base = base_letter(c);
        rc = base ? wn_buf_puts(out, base) : wn_buf_put_utf8(out, (unsigned)c);
    }
done:
    free(a);
    free(b);
    return rc;
}

static int fold_word(const char *s, size_t len, wn_buf *out)
{
    size_t i = 0;
    while (i < len && !((unsigned char)s[i] & 0x80))
        i++;
    if (i < len)
        return fold_unicode(s, len, out);
    if (wn_buf_reserve(out, len))
        return WN_ENOMEM;
    char *d = out->data + out->len;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        d[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out->len += len;
    out->data[out->len] = '\0';
    return 0;
}

/* Length of the word character at s (0 when s is not one). inside: a mark
 * continues a word but does not start one. */
static size_t word_char(const char *s, const char *end, int inside)
{
    unsigned char c = (unsigned char)*s;
    if (c < 0x80)
        return ascii_alnum(c) ? 1 : 0;
    const char *p = s;
    unsigned cp = wn_utf8_next(&p, end);
    if (u_isalnum((UChar32)cp) || (inside && is_mark((UChar32)cp)))
        return (size_t)(p - s);
    return 0;
}

int rl_split_words(const char *s, size_t len, wn_buf *fold, rl_words *out)
{
    const char *end = s + len, *p = s;
    while (p < end) {
        size_t w = word_char(p, end, 0);
        if (!w) {
            unsigned char c = (unsigned char)*p;
            if (c < 0x80) {
                p++;
            } else {
                const char *q = p;
                wn_utf8_next(&q, end);
                p = q > p ? q : p + 1;
            }
            continue;
        }
        const char *start = p;
        p += w;
        while (p < end && (w = word_char(p, end, 1)) != 0)
            p += w;
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 64;
            rl_word *grown = realloc(out->v, cap * sizeof *grown);
            if (!grown)
                return WN_ENOMEM;
            out->v = grown;
            out->cap = cap;
        }
        size_t off = fold->len;
        if (fold_word(start, (size_t)(p - start), fold))
            return WN_ENOMEM;
        rl_word *wd = &out->v[out->n++];
        wd->start = (uint32_t)(start - s);
        wd->end = (uint32_t)(p - s);
        wd->off = (uint32_t)off;
        wd->len = (uint32_t)(fold->len - off);
    }
    return 0;
}

int rl_fold_phrase(const char *s, size_t len, wn_buf *out)
{
    rl_words w = {NULL, 0, 0};
    wn_buf fold = WN_BUF_INIT;
    int rc = rl_split_words(s, len, &fold, &w);
    for (size_t i = 0; i < w.n && !rc; i++) {
        if (i)
            rc = wn_buf_putc(out, ' ');
        if (!rc)
            rc = wn_buf_append(out, fold.data + w.v[i].off, w.v[i].len);
    }
    if (!rc && !out->data)
        rc = wn_buf_append(out, "", 0);
    free(w.v);
    wn_buf_free(&fold);
    return rc;
}
