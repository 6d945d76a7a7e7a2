/* Field normalization shared by every reader. */
#include <ctype.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "winnow/normalize.h"
#include "winnow/text.h"

/* ---- DOI -------------------------------------------------------------- */

int wn_doi_normalize(const char *s, size_t len, wn_buf *out)
{
    /* A DOI starts at "10.<digits>/" wherever a prefix (resolver URL, "doi:",
     * "DOI ") puts it; it ends at white space. */
    for (size_t i = 0; i + 3 < len; i++) {
        if (s[i] != '1' || s[i + 1] != '0' || s[i + 2] != '.')
            continue;
        if (i > 0 && isalnum((unsigned char)s[i - 1]))
            continue;
        size_t j = i + 3, digits = 0;
        while (j < len && isdigit((unsigned char)s[j]))
            j++, digits++;
        while (j < len && (s[j] == '.' || isdigit((unsigned char)s[j])))
            j++;
        /* The prefix ends at "/" (or "%2F" in a URL-encoded link). */
        size_t slash = 0;
        if (j < len && s[j] == '/')
            slash = 1;
        else if (j + 2 < len && s[j] == '%' && s[j + 1] == '2' && (s[j + 2] | 0x20) == 'f')
            slash = 3;
        if (digits < 4 || !slash || j + slash >= len)
            continue;
        size_t end = j + slash;
        while (end < len && !isspace((unsigned char)s[end]))
            end++;
        /* Trailing punctuation belongs to the sentence, not the DOI. */
        while (end > j + slash && strchr(".,;]>\"'", s[end - 1]))
            end--;
        if (end <= j + slash)
            continue;
        size_t start = out->len;
        for (size_t k = i; k < end; k++) {
            char c = s[k];
            /* %2F and friends from URL-encoded resolver links. */
            if (c == '%' && k + 2 < end && isxdigit((unsigned char)s[k + 1]) &&
                isxdigit((unsigned char)s[k + 2])) {
                char hex[3] = {s[k + 1], s[k + 2], 0};
                long decoded = strtol(hex, NULL, 16);
                /* Only printable ASCII: "%00" or "%91" must not put a NUL
                 * or a broken UTF-8 byte into the text. */
                if (decoded > 0x20 && decoded < 0x7F) {
                    c = (char)decoded;
                    k += 2;
                }
            }
            if (wn_buf_putc(out, (char)tolower((unsigned char)c)))
                return WN_ENOMEM;
        }
        (void)start;
        return 1;
    }
    return 0;
}

/* ---- pages ------------------------------------------------------------ */

static int is_dash_at(const char *s, size_t *n)
{
    if (*s == '-') {
        *n = 1;
        while (s[*n] == '-')
            (*n)++;
        return 1;
    }
    /* U+2010..U+2015 hyphens and dashes, U+2212 minus */
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0x90 && u[2] <= 0x95) {
        *n = 3;
        return 1;
    }
    if (u[0] == 0xE2 && u[1] == 0x88 && u[2] == 0x92) {
        *n = 3;
        return 1;
    }
    return 0;
}

int wn_pages_split(const char *pages, wn_buf *first, wn_buf *last)
{
    const char *s = pages;
    while (*s == ' ')
        s++;
    size_t n = 0, i = 0;
    while (s[i] && !is_dash_at(s + i, &n))
        i++;
    size_t flen = i;
    while (flen && s[flen - 1] == ' ')
        flen--;
    if (wn_buf_append(first, s, flen))
        return WN_ENOMEM;
    if (!s[i])
        return 0;
    const char *l = s + i + n;
    while (*l == ' ')
        l++;
    size_t llen = strlen(l);
    while (llen && (l[llen - 1] == ' ' || l[llen - 1] == '.'))
        llen--;
    if (!llen)
        return 0;
    /* Abbreviated ranges: "123-9" is 123-129, "S12-9" is S12-S19. Expand when
     * the last part is all digits and shorter than the first's digit run. */
    size_t fd = flen;
    while (fd && isdigit((unsigned char)s[fd - 1]))
        fd--;
    size_t fdigits = flen - fd;
    int last_digits = 1;
    for (size_t k = 0; k < llen; k++)
        if (!isdigit((unsigned char)l[k]))
            last_digits = 0;
    if (last_digits && fdigits > llen) {
        if (wn_buf_append(last, s, flen - llen) || wn_buf_append(last, l, llen))
            return WN_ENOMEM;
        return 0;
    }
    if (last_digits && fd > 0 && fdigits == llen) {
        /* "S12-19": carry the letter prefix over. */
        if (wn_buf_append(last, s, fd) || wn_buf_append(last, l, llen))
            return WN_ENOMEM;
        return 0;
    }
    return wn_buf_append(last, l, llen);
}

/* ---- years ------------------------------------------------------------ */

/* ASCII digits only, without the locale lookup isdigit makes: rule
 * evaluation asks for a year once per unit. */
static inline int ascii_digit(char c)
{
    return (unsigned char)(c - '0') < 10;
}

int wn_year_in(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (!ascii_digit(p[0]) || (p > s && ascii_digit(p[-1])))
            continue;
        if (ascii_digit(p[1]) && ascii_digit(p[2]) && ascii_digit(p[3]) && !ascii_digit(p[4])) {
            int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
            if (y >= 1400 && y <= 2199)
                return y;
        }
    }
    return 0;
}

/* ---- types ------------------------------------------------------------ */

static const struct {
    const char *code;
    const char *type;
} type_map[] = {
    /* RIS */
    {"JOUR", "article"}, {"JFULL", "article"}, {"EJOUR", "article"}, {"ABST", "abstract"},
    {"MGZN", "magazine"}, {"NEWS", "newspaper"}, {"BOOK", "book"}, {"EBOOK", "book"},
    {"EDBOOK", "book"}, {"CHAP", "chapter"}, {"ECHAP", "chapter"}, {"CONF", "conference"},
    {"CPAPER", "conference"}, {"THES", "thesis"}, {"RPRT", "report"}, {"GOVDOC", "report"},
    {"UNPB", "unpublished"}, {"GEN", "generic"}, {"ELEC", "web"}, {"WEB", "web"},
    {"ICOMM", "web"}, {"DATA", "dataset"}, {"PAT", "patent"}, {"SER", "book"},
    {"INPR", "article"}, {"STAND", "standard"}, {"CASE", "legal"}, {"STAT", "legal"},
    /* BibTeX / BibLaTeX */
    {"article", "article"}, {"book", "book"}, {"booklet", "book"}, {"inbook", "chapter"},
    {"incollection", "chapter"}, {"inproceedings", "conference"},
    {"conference", "conference"}, {"proceedings", "conference"}, {"phdthesis", "thesis"},
    {"mastersthesis", "thesis"}, {"thesis", "thesis"}, {"techreport", "report"},
    {"report", "report"}, {"manual", "report"}, {"misc", "generic"},
    {"unpublished", "unpublished"}, {"online", "web"}, {"electronic", "web"},
    {"www", "web"}, {"dataset", "dataset"}, {"patent", "patent"},
    /* CSL */
    {"article-journal", "article"}, {"article-magazine", "magazine"},
    {"article-newspaper", "newspaper"}, {"paper-conference", "conference"},
    {"chapter", "chapter"}, {"webpage", "web"}, {"post", "web"}, {"post-weblog", "web"},
    {"document", "generic"}, {"standard", "standard"},
    /* MEDLINE publication types */
    {"Journal Article", "article"}, {"Review", "article"}, {"Book", "book"},
    {"Preprint", "preprint"}, {"Congress", "conference"},
    {"Letter", "article"}, {"Editorial", "article"}, {"Comment", "article"},
    {"Published Erratum", "article"}, {"Technical Report", "report"},
    {"Clinical Conference", "conference"}, {"Consensus Development Conference", "conference"},
    /* Database document types: Scopus and Embase ("Article", "Review" and
     * "Book" are above), Web of Science, IEEE Xplore, ERIC, Ovid. Journal
     * items other than research articles count as articles, as OpenAlex's
     * do; the database's own word stays in the raw type. */
    {"Conference Paper", "conference"}, {"Conference Review", "conference"},
    {"Conference Abstract", "abstract"}, {"Book Chapter", "chapter"}, {"Note", "article"},
    {"Erratum", "article"}, {"Short Survey", "article"}, {"Data Paper", "article"},
    {"Article in Press", "article"}, {"Retracted", "article"}, {"Undefined", "generic"},
    {"Proceedings Paper", "conference"}, {"Meeting Abstract", "abstract"},
    {"Editorial Material", "article"}, {"Correction", "article"}, {"Book Review", "article"},
    {"Early Access", "article"}, {"Retracted Publication", "article"},
    {"IEEE Journals", "article"}, {"IEEE Conferences", "conference"},
    {"IEEE Magazines", "magazine"}, {"IEEE Standards", "standard"},
    {"IEEE Early Access Articles", "article"}, {"IBM Journals", "article"},
    {"Journal Articles", "article"}, {"Journal", "article"}, {"OTHER", "generic"},
    {"Reports - Research", "report"}, {"Reports - Descriptive", "report"},
    {"Reports - Evaluative", "report"},
    /* CSL types not above */
    {"manuscript", "unpublished"}, {"review-book", "article"}, {"speech", "conference"},
    /* winnow's own vocabulary maps to itself */
    {"chapter", "chapter"}, {"preprint", "preprint"}, {"abstract", "abstract"},
    {"magazine", "magazine"}, {"newspaper", "newspaper"}, {"web", "web"},
    {"generic", "generic"}, {"legal", "legal"},
};

/* The kind for the first len bytes of code: an exact match, else one that
 * differs only in case. */
static const char *type_named(const char *code, size_t len)
{
    for (int fold = 0; fold < 2; fold++)
        for (size_t i = 0; i < sizeof type_map / sizeof type_map[0]; i++) {
            const char *c = type_map[i].code;
            /* c[len] is read only once c's first len bytes matched. */
            if ((fold ? strncasecmp(c, code, len) : strncmp(c, code, len)) == 0 && !c[len])
                return type_map[i].type;
        }
    return NULL;
}

const char *wn_type_from_code(const char *code)
{
    const char *t = type_named(code, strlen(code));
    /* Web of Science joins types: "Article; Early Access" is an article. */
    const char *semi = t ? NULL : strchr(code, ';');
    return semi ? type_named(code, (size_t)(semi - code)) : t;
}

/* ---- languages -------------------------------------------------------- */

/* ISO 639 codes (MEDLINE and PubMed XML write "eng", others "en") for the
 * languages reviews meet most, so one language reads the same whatever the
 * database: rules and filters then need only the name. */
static const struct {
    const char *code2, *code3, *code3b, *name;
} languages[] = {
    {"en", "eng", NULL, "English"},     {"de", "ger", "deu", "German"},
    {"fr", "fre", "fra", "French"},     {"es", "spa", NULL, "Spanish"},
    {"it", "ita", NULL, "Italian"},     {"pt", "por", NULL, "Portuguese"},
    {"nl", "dut", "nld", "Dutch"},      {"zh", "chi", "zho", "Chinese"},
    {"ja", "jpn", NULL, "Japanese"},    {"ko", "kor", NULL, "Korean"},
    {"ru", "rus", NULL, "Russian"},     {"pl", "pol", NULL, "Polish"},
    {"sv", "swe", NULL, "Swedish"},     {"da", "dan", NULL, "Danish"},
    {"no", "nor", NULL, "Norwegian"},   {"fi", "fin", NULL, "Finnish"},
    {"tr", "tur", NULL, "Turkish"},     {"ar", "ara", NULL, "Arabic"},
    {"he", "heb", NULL, "Hebrew"},      {"el", "gre", "ell", "Greek"},
    {"cs", "cze", "ces", "Czech"},      {"hu", "hun", NULL, "Hungarian"},
    {"fa", "per", "fas", "Persian"},    {"hr", "hrv", NULL, "Croatian"},
    {"ro", "rum", "ron", "Romanian"},   {"uk", "ukr", NULL, "Ukrainian"},
};

/* The language's English name for a two- or three-letter code, or NULL. */
static const char *language_name(const char *code)
{
    size_t n = strlen(code);
    if (n != 2 && n != 3)
        return NULL;
    for (size_t i = 0; i < sizeof languages / sizeof languages[0]; i++) {
        if (!strcasecmp(code, languages[i].code2) || !strcasecmp(code, languages[i].code3) ||
            (languages[i].code3b && !strcasecmp(code, languages[i].code3b)))
            return languages[i].name;
    }
    return NULL;
}

/* ---- the record ------------------------------------------------------- */

typedef struct norm {
    wn_record *r;
    wn_buf a, b;
    wn_norm_warn_fn warn;
    void *ctx;
} norm;

static void warnf(norm *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warnf(norm *n, const char *fmt, ...)
{
    if (!n->warn)
        return;
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    n->warn(n->ctx, msg);
}

/* Quotes at most 60 bytes of a value for a warning (cut at a UTF-8 start). */
static const char *shorten(const char *v, char out[72])
{
    size_t len = strlen(v);
    if (len <= 60)
        return v;
    size_t cut = 60;
    while (cut && ((unsigned char)v[cut] & 0xC0) == 0x80)
        cut--;
    memcpy(out, v, cut);
    memcpy(out + cut, "...", 4);
    return out;
}

/* Bytes that may need markup decoding or white-space folding. Most values
 * have none, and checking is much cheaper than rebuilding them. */
enum { SUSPECT_FOLD = 1, SUSPECT_MARKUP, SUSPECT_SPACE, SUSPECT_NBSP };
static const unsigned char suspect_byte[256] = {
    ['\t'] = SUSPECT_FOLD, ['\n'] = SUSPECT_FOLD, ['\r'] = SUSPECT_FOLD,
    ['\f'] = SUSPECT_FOLD, ['\v'] = SUSPECT_FOLD,
    [0xC2] = SUSPECT_NBSP, /* NBSP's lead byte, also that of "±", "°", "µ" */
    ['&'] = SUSPECT_MARKUP, ['<'] = SUSPECT_MARKUP,
    [' '] = SUSPECT_SPACE,
};

/* Whether byte k of s[0..len) means the value needs cleaning. */
static int suspect_at(const unsigned char *s, size_t k, size_t len, int markup)
{
    switch (suspect_byte[s[k]]) {
    case SUSPECT_FOLD:
        return 1;
    case SUSPECT_SPACE:
        return k + 1 < len && s[k + 1] == ' ';
    case SUSPECT_NBSP:
        return k + 1 < len && s[k + 1] == 0xA0;
    case SUSPECT_MARKUP:
        /* "<" and "&" matter only where a tag or entity could start:
         * "p = <0.001" or "R&D" need no markup pass. */
        return markup && k + 1 < len &&
               (isalpha(s[k + 1]) || s[k + 1] == '/' || s[k + 1] == '#');
    default:
        return 0;
    }
}

/* Candidates among s[0..16) (s[16] is read too): a bit for each byte that
 * might need work, i.e. a control byte below 0x0E, NBSP's lead byte, '&',
 * '<', or a space with a space after it. Only those are looked at one by
 * one. SSE2 marks the bytes themselves; the portable fallback, eight bytes
 * at a time, marks a whole half when anything in it is a candidate (the
 * SSE2 form halves the time of the whole test). */
#if defined(__SSE2__)
#include <emmintrin.h>
static inline unsigned suspects16(const unsigned char *s)
{
    __m128i w = _mm_loadu_si128((const __m128i *)s);
    __m128i next = _mm_loadu_si128((const __m128i *)(s + 1));
    __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(w, _mm_set1_epi8(0x0D)), w);
    __m128i hit = _mm_or_si128(control, _mm_cmpeq_epi8(w, _mm_set1_epi8((char)0xC2)));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(w, _mm_set1_epi8('&')));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(w, _mm_set1_epi8('<')));
    __m128i space = _mm_set1_epi8(' ');
    hit = _mm_or_si128(hit, _mm_and_si128(_mm_cmpeq_epi8(w, space), _mm_cmpeq_epi8(next, space)));
    return (unsigned)_mm_movemask_epi8(hit);
}
#else
/* High bit set in each byte of w equal to c (exact: no false hits). */
static inline uint64_t bytes_equal(uint64_t w, unsigned char c)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
    uint64_t x = w ^ (0x0101010101010101ULL * c);
    return ~(((x & low7) + low7) | x | low7);
}

static inline unsigned suspects8(const unsigned char *s)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
    uint64_t w, next;
    memcpy(&w, s, 8);
    memcpy(&next, s + 1, 8);
    /* 0x72 = 0x80 - 0x0E: the high bit stays clear only below 0x0E. */
    uint64_t control = ~(((w & low7) + 0x7272727272727272ULL) | w | low7);
    uint64_t hit = control | bytes_equal(w, 0xC2) | bytes_equal(w, '&') | bytes_equal(w, '<') |
                   (bytes_equal(w, ' ') & bytes_equal(next, ' '));
    /* Any hit sends all eight bytes to the exact test. */
    return hit ? 0xFFu : 0;
}

static inline unsigned suspects16(const unsigned char *s)
{
    return suspects8(s) | suspects8(s + 8) << 8;
}
#endif

static int needs_cleaning(const char *v, size_t len, int markup)
{
    const unsigned char *s = (const unsigned char *)v;
    size_t k = 0;
    for (; k + 17 <= len; k += 16) {
        for (unsigned hits = suspects16(s + k); hits; hits &= hits - 1)
            if (suspect_at(s, k + (size_t)__builtin_ctz(hits), len, markup))
                return 1;
    }
    for (; k < len; k++)
        if (suspect_at(s, k, len, markup))
            return 1;
    return 0;
}

static int clean_value(norm *n, size_t i, wn_field_value v, int markup)
{
    if (!needs_cleaning(v.value, v.len, markup))
        return 0;
    wn_buf_clear(&n->a);
    wn_buf_clear(&n->b);
    const char *src = v.value;
    size_t len = v.len;
    if (markup) {
        if (wn_strip_inline_tags(&n->a, src, len) ||
            wn_html_unescape(&n->b, n->a.data ? n->a.data : "", n->a.len))
            return WN_ENOMEM;
        src = n->b.data ? n->b.data : "";
        len = n->b.len;
        wn_buf_clear(&n->a);
    }
    if (wn_collapse_space(&n->a, src, len))
        return WN_ENOMEM;
    return wn_record_replace_at(n->r, i, n->a.data ? n->a.data : "", n->a.len);
}

/* Splits a value holding several items ("a; b; c") into separate entries:
 * the first replaces entry i, the rest are appended. */
static int split_list(norm *n, size_t i, wn_field_value v, const char *seps)
{
    if (!strpbrk(v.value, seps))
        return 0;
    wn_buf_clear(&n->b);
    if (wn_buf_append(&n->b, v.value, v.len))
        return WN_ENOMEM;
    char tag[64];
    snprintf(tag, sizeof tag, "%s", v.tag);
    const char *s = n->b.data;
    int first = 1;
    while (*s) {
        size_t k = strcspn(s, seps);
        size_t t0 = 0, t1 = k;
        while (t0 < t1 && s[t0] == ' ')
            t0++;
        while (t1 > t0 && s[t1 - 1] == ' ')
            t1--;
        if (t1 > t0) {
            int rc = first ? wn_record_replace_at(n->r, i, s + t0, t1 - t0)
                           : wn_record_add(n->r, v.field, tag, s + t0, t1 - t0);
            if (rc)
                return rc;
            first = 0;
        }
        s += k;
        if (*s)
            s++;
    }
    return 0;
}

static int norm_issn(norm *n, size_t i, wn_field_value v)
{
    /* "1234-5678 (Print)", "12345678", "1234-567x" */
    wn_buf_clear(&n->a);
    for (size_t k = 0; k < v.len && n->a.len < 9; k++) {
        char c = v.value[k];
        if (isdigit((unsigned char)c) || c == 'x' || c == 'X') {
            if (n->a.len == 4 && wn_buf_putc(&n->a, '-'))
                return WN_ENOMEM;
            if (wn_buf_putc(&n->a, (char)toupper((unsigned char)c)))
                return WN_ENOMEM;
        } else if (c == '(' || c == '[') {
            break;
        }
    }
    if (n->a.len != 9) {
        char sh[72];
        warnf(n, "ISSN '%s' not understood; kept as given", shorten(v.value, sh));
        return 0;
    }
    if (n->a.len == v.len && memcmp(n->a.data, v.value, v.len) == 0)
        return 0;
    return wn_record_replace_at(n->r, i, n->a.data, n->a.len);
}

static int norm_digits(norm *n, size_t i, wn_field_value v, const char *what,
                       const char *prefix)
{
    wn_buf_clear(&n->a);
    if (prefix && wn_buf_puts(&n->a, prefix))
        return WN_ENOMEM;
    size_t digits = 0;
    for (size_t k = 0; k < v.len; k++) {
        char c = v.value[k];
        if (isdigit((unsigned char)c)) {
            if (wn_buf_putc(&n->a, c))
                return WN_ENOMEM;
            digits++;
        } else if (digits && (c == ' ' || c == '[' || c == '(')) {
            break; /* "12345678 [pubmed]" */
        }
    }
    if (!digits) {
        char sh[72];
        warnf(n, "%s '%s' not understood; kept as given", what, shorten(v.value, sh));
        return 0;
    }
    if (n->a.len == v.len && memcmp(n->a.data, v.value, v.len) == 0)
        return 0;
    return wn_record_replace_at(n->r, i, n->a.data, n->a.len);
}

static int norm_isbn(norm *n, size_t i, wn_field_value v)
{
    wn_buf_clear(&n->a);
    for (size_t k = 0; k < v.len; k++) {
        char c = v.value[k];
        if (isdigit((unsigned char)c) || c == 'x' || c == 'X') {
            if (wn_buf_putc(&n->a, (char)toupper((unsigned char)c)))
                return WN_ENOMEM;
        } else if (c != '-' && c != ' ') {
            break;
        }
    }
    if (n->a.len != 10 && n->a.len != 13)
        return 0; /* not an ISBN we can check: keep what was written */
    return wn_record_replace_at(n->r, i, n->a.data, n->a.len);
}

int wn_normalize_record(wn_record *r, wn_norm_warn_fn warn, void *ctx)
{
    norm n = {r, WN_BUF_INIT, WN_BUF_INIT, warn, ctx};
    int rc = 0;
    char sh[72];
    int have_doi = 0;
    /* Entries appended while splitting lists are visited too (size grows). */
    for (size_t i = 0; i < wn_record_size(r) && !rc; i++) {
        wn_field_value v = wn_record_at(r, i);
        switch (v.field) {
        case WN_F_TITLE:
        case WN_F_ABSTRACT:
        case WN_F_JOURNAL:
        case WN_F_JOURNAL_ABBR:
        case WN_F_PUBLISHER:
        case WN_F_AUTHOR:
        case WN_F_PUBTYPE:
            rc = clean_value(&n, i, v, 1);
            break;
        case WN_F_KEYWORD:
            rc = clean_value(&n, i, v, 1);
            if (!rc)
                rc = split_list(&n, i, wn_record_at(r, i), ";");
            break;
        case WN_F_ISSN:
            rc = split_list(&n, i, v, ";,");
            if (!rc && i < wn_record_size(r))
                rc = norm_issn(&n, i, wn_record_at(r, i));
            break;
        case WN_F_ISBN:
            rc = split_list(&n, i, v, ";,");
            if (!rc && i < wn_record_size(r))
                rc = norm_isbn(&n, i, wn_record_at(r, i));
            break;
        case WN_F_PMID:
            rc = norm_digits(&n, i, v, "PMID", NULL);
            break;
        case WN_F_LANGUAGE: {
            const char *name = language_name(v.value);
            if (name)
                rc = wn_record_replace_at(r, i, name, strlen(name));
            break;
        }
        case WN_F_PMCID:
            rc = norm_digits(&n, i, v, "PMCID", "PMC");
            break;
        case WN_F_DOI: {
            wn_buf_clear(&n.a);
            int found = wn_doi_normalize(v.value, v.len, &n.a);
            if (found < 0) {
                rc = found;
            } else if (!found) {
                warnf(&n, "DOI '%s' not understood; kept as given", shorten(v.value, sh));
                have_doi = 1;
            } else if (have_doi) {
                /* A second DOI: drop it if it repeats the first, otherwise
                 * keep it beside the record rather than lose it. */
                const char *first = wn_record_first(r, WN_F_DOI);
                if (first && strcmp(first, n.a.data) == 0) {
                    wn_record_remove_at(r, i);
                    i--;
                } else {
                    rc = wn_record_replace_at(r, i, n.a.data, n.a.len);
                    if (!rc)
                        rc = wn_record_retag_at(r, i, WN_F_EXTRA, "doi");
                }
            } else {
                have_doi = 1;
                if (n.a.len != v.len || memcmp(n.a.data, v.value, v.len) != 0)
                    rc = wn_record_replace_at(r, i, n.a.data, n.a.len);
            }
            break;
        }
        case WN_F_YEAR: {
            int y = wn_year_in(v.value);
            if (!y) {
                warnf(&n, "year '%s' not understood; kept as an extra field",
                      shorten(v.value, sh));
                rc = wn_record_retag_at(r, i, WN_F_EXTRA, v.tag[0] ? v.tag : "year");
            } else if (v.len != 4 || wn_year_in(v.value) != atoi(v.value)) {
                char ys[8];
                snprintf(ys, sizeof ys, "%d", y);
                if (!wn_record_first(r, WN_F_DATE))
                    rc = wn_record_add(r, WN_F_DATE, v.tag, v.value, v.len);
                if (!rc)
                    rc = wn_record_replace_at(r, i, ys, strlen(ys));
            }
            break;
        }
        default:
            break;
        }
    }
    /* Only one year, one title ...: later duplicates of single-valued fields
     * stay beside the record as extras so nothing is lost. */
    size_t first_at[WN_F_COUNT];
    for (int f = 0; f < WN_F_COUNT; f++)
        first_at[f] = (size_t)-1;
    for (size_t i = 0; i < wn_record_size(r) && !rc; i++) {
        wn_field_value v = wn_record_at(r, i);
        if (wn_field_is_list(v.field) || v.field == WN_F_DOI)
            continue;
        if (first_at[v.field] == (size_t)-1) {
            first_at[v.field] = i;
            continue;
        }
        wn_field_value p = wn_record_at(r, first_at[v.field]);
        if (p.len == v.len && memcmp(p.value, v.value, v.len) == 0) {
            wn_record_remove_at(r, i);
            i--;
        } else {
            rc = wn_record_retag_at(r, i, WN_F_EXTRA, v.tag[0] ? v.tag : wn_field_name(v.field));
        }
    }
    if (rc)
        goto done;

    /* Year from the date when only a date was given. */
    const char *date = wn_record_first(r, WN_F_DATE);
    if (!wn_record_first(r, WN_F_YEAR) && date) {
        int y = wn_year_in(date);
        if (y) {
            char ys[8];
            snprintf(ys, sizeof ys, "%d", y);
            rc = wn_record_add(r, WN_F_YEAR, NULL, ys, strlen(ys));
        }
    }
    /* Pages: split a range, or build the range from its parts. */
    const char *pages = wn_record_first(r, WN_F_PAGES);
    const char *sp = wn_record_first(r, WN_F_START_PAGE);
    const char *ep = wn_record_first(r, WN_F_END_PAGE);
    if (!rc && pages && !sp) {
        wn_buf_clear(&n.a);
        wn_buf_clear(&n.b);
        rc = wn_pages_split(pages, &n.a, &n.b);
        if (!rc && n.a.len)
            rc = wn_record_add(r, WN_F_START_PAGE, NULL, n.a.data, n.a.len);
        if (!rc && n.b.len && !ep)
            rc = wn_record_add(r, WN_F_END_PAGE, NULL, n.b.data, n.b.len);
    } else if (!rc && sp && !pages) {
        wn_buf_clear(&n.a);
        rc = wn_buf_puts(&n.a, sp);
        if (!rc && ep)
            rc = wn_buf_printf(&n.a, "-%s", ep);
        if (!rc)
            rc = wn_record_add(r, WN_F_PAGES, NULL, n.a.data, n.a.len);
        /* An abbreviated end page given on its own ("SP 123, EP 9"). */
        if (!rc && ep) {
            wn_buf_clear(&n.a);
            wn_buf_clear(&n.b);
            rc = wn_pages_split(wn_record_first(r, WN_F_PAGES), &n.a, &n.b);
            if (!rc && n.b.len && strcmp(n.b.data, wn_record_first(r, WN_F_END_PAGE)) != 0)
                rc = wn_record_set(r, WN_F_END_PAGE, n.b.data, n.b.len);
        }
    }
    /* A DOI hidden in a resolver URL. */
    if (!rc && !wn_record_first(r, WN_F_DOI)) {
        for (size_t i = 0; i < wn_record_count(r, WN_F_URL); i++) {
            const char *u = wn_record_get(r, WN_F_URL, i);
            if (!strstr(u, "doi.org/"))
                continue;
            wn_buf_clear(&n.a);
            if (wn_doi_normalize(u, strlen(u), &n.a) == 1) {
                rc = wn_record_add(r, WN_F_DOI, NULL, n.a.data, n.a.len);
                break;
            }
        }
    }
    /* The normalized type, from the format's own code. */
    if (!rc && !wn_record_first(r, WN_F_TYPE)) {
        const char *raw = wn_record_first(r, WN_F_TYPE_RAW);
        const char *t = raw ? wn_type_from_code(raw) : NULL;
        if (t)
            rc = wn_record_add(r, WN_F_TYPE, NULL, t, strlen(t));
    }
done:
    wn_buf_free(&n.a);
    wn_buf_free(&n.b);
    return rc;
}
