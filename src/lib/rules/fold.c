/* Folding text for matching: words are runs of letters and digits, compared
 * without case or diacritics ("Émigré" matches "emigre", "Straße"
 * matches "strasse"). ASCII words, the vast majority, take a fast path;
 * others go through ICU (case fold, canonical decomposition, marks
 * dropped). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "rules/rules_impl.h"
#include "winnow/error.h"
#include "winnow/text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/* Bytes of ASCII letters and digits, for the fast path of the scan. */
static const unsigned char ascii_word[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
};

static unsigned lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32u : c; }

static inline unsigned lead_key(unsigned c0, unsigned c1, unsigned c2)
{
    return (lower((unsigned char)c0) & 31u) << 10 | (lower((unsigned char)c1) & 31u) << 5 |
           (lower((unsigned char)c2) & 31u);
}

unsigned rl_lead_key(unsigned c0, unsigned c1, unsigned c2) { return lead_key(c0, c1, c2); }

/* lower(c) & 31 and lower(c), by table, for the ASCII fast path. */
static unsigned char key_bits[256], lowered[256];

static void init_tables(void)
{
    for (unsigned c = 0; c < 256; c++) {
        lowered[c] = (unsigned char)lower((unsigned char)c);
        key_bits[c] = (unsigned char)(lowered[c] & 31u);
    }
}

/* The lead key of an ASCII word of n >= 1 bytes (as lead_key computes it). */
static inline unsigned ascii_lead_key(const unsigned char *w, size_t n)
{
    unsigned k = (unsigned)key_bits[w[0]] << 10;
    if (n > 1)
        k |= (unsigned)key_bits[w[1]] << 5;
    if (n > 2)
        k |= key_bits[w[2]];
    return k;
}

/* Whether the word s[a, b) may fold to something in the filter: words led
 * by up to three ASCII characters are checked against it; others always
 * may. */
static int may_match(const char *s, size_t a, size_t b, const uint64_t *lead)
{
    unsigned char c[3] = {0, 0, 0};
    for (size_t k = 0; k < 3 && a + k < b; k++)
        if ((c[k] = (unsigned char)s[a + k]) >= 0x80)
            return 1;
    unsigned key = lead_key(c[0], c[1], c[2]);
    return (lead[key >> 6] >> (key & 63)) & 1;
}

/* Whether an ASCII word of n >= 1 bytes may be in the filter lead. */
static inline int ascii_may_match(const uint64_t *lead, const unsigned char *w, size_t n)
{
    unsigned key = ascii_lead_key(w, n);
    return (lead[key >> 6] >> (key & 63)) & 1;
}

/* A scan in progress: what to do with each word, and its position. */
typedef struct scan {
    const char *s;
    size_t len;
    const uint64_t *lead;
    wn_buf *fold;
    rl_word_fn fn;
    void *ctx;
    size_t index;
} scan;

/* Hands the word s[start, end) to the callback unless the filter rules it
 * out (ascii: all its bytes are ASCII; passed: the filter was checked). */
static int emit(scan *sc, size_t start, size_t end, int ascii, int passed)
{
    const unsigned char *u = (const unsigned char *)sc->s;
    size_t n = end - start, index = sc->index++;
    if (sc->lead && ascii) {
        /* The common case, kept cheap: most words fail the filter, and
         * the rest fold by table into a buffer on the stack. */
        if (!passed && !ascii_may_match(sc->lead, u + start, n))
            return 0;
        char small[64];
        if (n <= sizeof small) {
            size_t k = 0;
#if defined(__SSE2__)
            /* 16 bytes at a time while they lie inside the value. */
            for (; k < n && start + k + 16 <= sc->len; k += 16) {
                __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + start + k));
                __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
                                              _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
                v = _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(32)));
                _mm_storeu_si128((__m128i *)(void *)(small + k), v);
            }
#endif
            for (; k < n; k++)
                small[k] = (char)lowered[u[start + k]];
            return sc->fn(sc->ctx, index, start, end, small, n);
        }
    }
    if (sc->lead && !may_match(sc->s, start, end, sc->lead))
        return 0;
    size_t off = sc->fold->len;
    if (fold_word(sc->s + start, n, sc->fold))
        return WN_ENOMEM;
    int rc = sc->fn(sc->ctx, index, start, end, sc->fold->data + off, sc->fold->len - off);
    if (sc->lead) /* filtered scans keep no folded forms */
        wn_buf_truncate(sc->fold, off);
    return rc;
}

/* Splits s[from, to), a stretch with non-ASCII bytes (letters, marks or
 * separators: ICU decides), character by character. s[to] is an ASCII
 * byte that is not a word byte (or the final NUL), which also ends the
 * inner loops. */
static int scan_slow(scan *sc, size_t from, size_t to)
{
    const char *s = sc->s, *end = s + to;
    const unsigned char *u = (const unsigned char *)s;
    size_t i = from;
    while (i < to) {
        while (i < to && !ascii_word[u[i]] && u[i] < 0x80)
            i++;
        if (i >= to)
            break;
        size_t start = i;
        int ascii = u[i] < 0x80;
        if (ascii) {
            while (ascii_word[u[i]])
                i++;
        } else {
            size_t w = word_char(s + i, end, 0);
            if (!w) {
                const char *q = s + i;
                wn_utf8_next(&q, end);
                i = q > s + i ? (size_t)(q - s) : i + 1;
                continue;
            }
            for (i += w; ascii_word[u[i]];)
                i++;
        }
        /* A non-ASCII letter or mark may continue the word, and ASCII after it. */
        for (size_t w; i < to && u[i] >= 0x80 && (w = word_char(s + i, end, 1)) != 0;) {
            ascii = 0;
            for (i += w; ascii_word[u[i]];)
                i++;
        }
        if (i > to)
            i = to;
        int rc = emit(sc, start, i, ascii, 0);
        if (rc)
            return rc;
    }
    return 0;
}

/* Classifies 64 bytes: bit k of *run is set when p[k] may be part of a
 * word (an ASCII letter or digit, or any non-ASCII byte), of *high when
 * p[k] is not ASCII. */
static inline void classify64(const unsigned char *p, uint64_t *run, uint64_t *high)
{
    uint64_t r = 0, h = 0;
#if defined(__SSE2__)
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        /* Bytes compare as signed, so non-ASCII ones fall below every range. */
        __m128i low = _mm_or_si128(v, _mm_set1_epi8(0x20));
        __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(low, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(low, _mm_set1_epi8('z' + 1)));
        __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
        uint64_t hk = (uint32_t)_mm_movemask_epi8(v);
        uint64_t wk = (uint32_t)_mm_movemask_epi8(_mm_or_si128(letter, digit));
        r |= (wk | hk) << (16 * k);
        h |= hk << (16 * k);
    }
#else
    for (int k = 0; k < 64; k++) {
        r |= (uint64_t)(ascii_word[p[k]] | (p[k] >> 7)) << k;
        h |= (uint64_t)(p[k] >> 7) << k;
    }
#endif
    *run = r;
    *high = h;
}

/* Words are found 64 bytes at a time from bit masks: a run of word bytes
 * and non-ASCII bytes is a word when it is all ASCII (the common case, no
 * per-byte branches); otherwise it goes to scan_slow. ASCII separators
 * always end a word, so cutting the text at them changes nothing. */
int rl_scan_words(const char *s, size_t len, const uint64_t *lead, wn_buf *fold,
                  rl_word_fn fn, void *ctx)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_tables);
    scan sc = {s, len, lead, fold, fn, ctx, 0};
    const unsigned char *u = (const unsigned char *)s;
    unsigned char tail[64];
    size_t run_start = 0;
    int in_run = 0, run_high = 0;
    for (size_t base = 0; base < len; base += 64) {
        const unsigned char *p = u + base;
        if (len - base < sizeof tail) { /* NUL padding ends the last run */
            memset(tail, 0, sizeof tail);
            memcpy(tail, p, len - base);
            p = tail;
        }
        uint64_t run, high;
        classify64(p, &run, &high);
        /* Bit k: byte k starts or ends a run (differs from the byte before). */
        uint64_t edges = run ^ (run << 1 | (uint64_t)in_run);
        unsigned from = 0; /* where the current run starts in this block */
        for (; edges; edges &= edges - 1) {
            unsigned k = (unsigned)__builtin_ctzll(edges);
            if (!in_run) {
                in_run = 1;
                run_high = 0;
                run_start = base + k;
                from = k;
                continue;
            }
            in_run = 0;
            if (high)
                run_high |= (high & ((1ull << k) - 1) & (~0ull << from)) != 0;
            size_t end = base + k;
            if (!run_high && lead && !ascii_may_match(lead, u + run_start, end - run_start)) {
                sc.index++; /* most words end here, without a call */
                continue;
            }
            int rc = run_high ? scan_slow(&sc, run_start, end) : emit(&sc, run_start, end, 1, 1);
            if (rc)
                return rc;
        }
        if (in_run && high)
            run_high |= (high & (~0ull << from)) != 0;
    }
    if (in_run)
        return run_high ? scan_slow(&sc, run_start, len) : emit(&sc, run_start, len, 1, 0);
    return 0;
}

typedef struct split_ctx {
    rl_words *out;
    wn_buf *fold;
} split_ctx;

static int append_word(void *ctx, size_t index, size_t start, size_t end, const char *folded,
                       size_t len)
{
    (void)index;
    split_ctx *c = ctx;
    rl_words *out = c->out;
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 64;
        rl_word *grown = realloc(out->v, cap * sizeof *grown);
        if (!grown)
            return WN_ENOMEM;
        out->v = grown;
        out->cap = cap;
    }
    out->v[out->n++] = (rl_word){(uint32_t)start, (uint32_t)end,
                                 (uint32_t)(folded - c->fold->data), (uint32_t)len};
    return 0;
}

int rl_split_words(const char *s, size_t len, wn_buf *fold, rl_words *out)
{
    split_ctx c = {out, fold};
    return rl_scan_words(s, len, NULL, fold, append_word, &c);
}

int rl_fold_phrase_with(const char *s, size_t len, wn_buf *out, rl_words *w, wn_buf *fold)
{
    w->n = 0;
    wn_buf_clear(fold);
    int rc = rl_split_words(s, len, fold, w);
    for (size_t i = 0; i < w->n && !rc; i++) {
        if (i)
            rc = wn_buf_putc(out, ' ');
        if (!rc)
            rc = wn_buf_append(out, fold->data + w->v[i].off, w->v[i].len);
    }
    if (!rc && !out->data)
        rc = wn_buf_append(out, "", 0);
    return rc;
}

int rl_fold_phrase(const char *s, size_t len, wn_buf *out)
{
    rl_words w = {NULL, 0, 0};
    wn_buf fold = WN_BUF_INIT;
    int rc = rl_fold_phrase_with(s, len, out, &w, &fold);
    free(w.v);
    wn_buf_free(&fold);
    return rc;
}
