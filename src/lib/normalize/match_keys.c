/* Matching keys: the forms deduplication compares.
 *
 * Folding uses small tables of its own rather than ICU: it runs several
 * times on each of up to a million records, only needs Latin and Greek
 * letters reduced to ASCII, and the whole pass must stay a fraction of a
 * second per 100k records. */
#include <string.h>
#include <strings.h>

#include "normalize/match_keys.h"
#include "winnow/error.h"
#include "winnow/latex.h"
#include "winnow/text.h"

/* U+00C0..U+00FF; '?' marks the letters that fold to two (see two_letter). */
static const char latin1[] = "aaaaaa?ceeeeiiiidnooooo ouuuuy??"
                             "aaaaaa?ceeeeiiiidnooooo ouuuuy?y";
/* U+0100..U+017F. */
static const char latin_ext_a[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
                                  "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
/* U+03B1..U+03C9 (final sigma at U+03C2). */
static const char *const greek[] = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta",    "eta",   "theta", "iota",
    "kappa", "lambda", "mu",  "nu",    "xi",      "omicron", "pi",    "rho",   "sigma",
    "sigma", "tau",  "upsilon", "phi", "chi",     "psi",     "omega"};

static const char *two_letter(unsigned cp)
{
    switch (cp) {
    case 0xC6: case 0xE6: return "ae";
    case 0xDE: case 0xFE: return "th";
    case 0xDF: return "ss";
    case 0x152: case 0x153: return "oe";
    case 0x132: case 0x133: return "ij";
    case 0xB5: return "mu";
    default: return NULL;
    }
}

/* The ASCII reading of one code point: letters (lower case), or "" for a
 * separator. Combining marks give NULL (dropped without separating). */
static const char *fold_cp(unsigned cp, char one[2])
{
    one[1] = 0;
    if (cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z')
            one[0] = (char)(cp + 32);
        else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
            one[0] = (char)cp;
        else if (cp == '&')
            return " and ";
        else if (cp == '\'')
            return NULL; /* "Crohn's" and "Crohns" agree */
        else
            one[0] = 0;
        return one;
    }
    const char *two = two_letter(cp);
    if (two)
        return two;
    if (cp >= 0x300 && cp <= 0x36F)
        return NULL;
    if (cp == 0x2019 || cp == 0x2018)
        return NULL;
    if (cp >= 0xC0 && cp <= 0xFF) {
        one[0] = latin1[cp - 0xC0];
        if (one[0] == ' ')
            one[0] = 0;
        return one;
    }
    if (cp >= 0x100 && cp <= 0x17F) {
        one[0] = latin_ext_a[cp - 0x100];
        return one;
    }
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2)
        return greek[cp - 0x391];
    if (cp >= 0x3B1 && cp <= 0x3C9)
        return greek[cp - 0x3B1];
    if (cp == 0x3D1)
        return "theta";
    if (cp == 0x3D5)
        return "phi";
    if (cp == 0x3F5)
        return "epsilon";
    one[0] = 0;
    return one;
}

static int fold_plain(wn_buf *out, const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    size_t start = out->len;
    int pending = 0;
    char one[2];
    while (p < end) {
        unsigned cp = (unsigned char)*p < 0x80 ? (unsigned char)*p++ : wn_utf8_next(&p, end);
        const char *f = fold_cp(cp, one);
        if (!f)
            continue;
        for (; *f; f++) {
            if (*f == ' ') {
                pending = 1;
                continue;
            }
            if (pending && out->len > start && wn_buf_putc(out, ' '))
                return WN_ENOMEM;
            pending = 0;
            if (wn_buf_putc(out, *f))
                return WN_ENOMEM;
        }
        if (!*one && f == one)
            pending = 1;
    }
    return 0;
}

int wn_match_fold(wn_buf *out, const char *s, size_t len)
{
    int html = memchr(s, '&', len) || memchr(s, '<', len);
    int latex = memchr(s, '\\', len) || memchr(s, '$', len) || memchr(s, '{', len);
    if (!html && !latex)
        return fold_plain(out, s, len);
    /* Marked-up text is rare: read it as plain text first. */
    wn_buf a = WN_BUF_INIT, b = WN_BUF_INIT;
    int rc = 0;
    if (html) {
        rc = wn_html_unescape(&a, s, len);
        if (!rc)
            rc = wn_strip_inline_tags(&b, a.data ? a.data : "", a.len);
        if (!rc) {
            s = b.data ? b.data : "";
            len = b.len;
        }
    }
    if (!rc && latex) {
        wn_buf_clear(&a);
        rc = wn_latex_decode(&a, s, len);
        if (!rc) {
            s = a.data ? a.data : "";
            len = a.len;
        }
    }
    if (!rc)
        rc = fold_plain(out, s, len);
    wn_buf_free(&a);
    wn_buf_free(&b);
    return rc;
}

/* ---- titles ----------------------------------------------------------- */

static int starts_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    return strncmp(s, w, n) == 0 && (s[n] == ' ' || s[n] == 0);
}

static int has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = s; (p = strstr(p, w)) != NULL; p++)
        if ((p == s || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
            return 1;
    return 0;
}

static int kind_of(const char *t)
{
    static const char *const erratum[] = {"erratum", "errata", "corrigendum", "correction",
                                          "corrections", "author correction",
                                          "publisher correction", "notice of correction"};
    static const char *const retraction[] = {"retraction", "retracted", "withdrawn",
                                             "withdrawal", "notice of retraction",
                                             "expression of concern"};
    static const char *const comment[] = {"comment", "comments", "commentary on", "reply",
                                          "in reply", "authors reply", "author reply",
                                          "response to"};
    for (size_t i = 0; i < sizeof erratum / sizeof *erratum; i++)
        if (starts_word(t, erratum[i]))
            return WN_KIND_ERRATUM;
    if (has_word(t, "erratum") || has_word(t, "corrigendum"))
        return WN_KIND_ERRATUM;
    for (size_t i = 0; i < sizeof retraction / sizeof *retraction; i++)
        if (starts_word(t, retraction[i]))
            return WN_KIND_RETRACTION;
    for (size_t i = 0; i < sizeof comment / sizeof *comment; i++)
        if (starts_word(t, comment[i]))
            return WN_KIND_COMMENT;
    if (has_word(t, "protocol"))
        return WN_KIND_PROTOCOL;
    return WN_KIND_ARTICLE;
}

static int part_of(const char *t)
{
    static const char *const numbers[] = {"i",   "ii",  "iii",  "iv",  "v",
                                          "vi",  "vii", "viii", "ix",  "x"};
    static const char *const words[] = {"one", "two",   "three", "four", "five",
                                        "six", "seven", "eight", "nine", "ten"};
    for (const char *p = t; (p = strstr(p, "part ")) != NULL; p++) {
        if (p != t && p[-1] != ' ')
            continue;
        const char *w = p + 5;
        if (*w >= '0' && *w <= '9') {
            int n = 0;
            while (*w >= '0' && *w <= '9' && n < 1000)
                n = n * 10 + (*w++ - '0');
            if (*w == ' ' || *w == 0)
                return n;
            continue;
        }
        for (int i = 0; i < 10; i++)
            if (starts_word(w, numbers[i]) || starts_word(w, words[i]))
                return i + 1;
    }
    return 0;
}

/* Folds s into key without spaces or a leading article. */
static int title_key(wn_buf *key, wn_buf *tmp, const char *s, size_t len)
{
    wn_buf_clear(tmp);
    wn_buf_clear(key);
    if (wn_match_fold(tmp, s, len))
        return WN_ENOMEM;
    const char *t = tmp->data ? tmp->data : "";
    if (starts_word(t, "the") || starts_word(t, "a") || starts_word(t, "an"))
        t = strchr(t, ' ') ? strchr(t, ' ') + 1 : t + strlen(t);
    if (wn_buf_reserve(key, strlen(t) + 1))
        return WN_ENOMEM;
    for (; *t; t++)
        if (*t != ' ')
            key->data[key->len++] = *t;
    key->data[key->len] = 0;
    return 0;
}

/* Length of the title before a subtitle separator (": ", " - ", ". ",
 * "? ", "! ", " -- ", spaced en or em dash), or len when none. */
static size_t before_subtitle(const char *s, size_t len)
{
    for (size_t j = 0; j + 1 < len; j++) {
        char c = s[j];
        if ((c == ':' || c == '.' || c == '?' || c == '!') && s[j + 1] == ' ')
            return j;
        if (c != ' ' || j + 2 >= len)
            continue;
        if ((s[j + 1] == '-' && s[j + 2] == ' ') ||
            (s[j + 1] == '-' && s[j + 2] == '-' && j + 3 < len && s[j + 3] == ' '))
            return j;
        if (j + 4 < len && memcmp(s + j + 1, "\xe2\x80", 2) == 0 &&
            (s[j + 3] == '\x93' || s[j + 3] == '\x94') && s[j + 4] == ' ')
            return j;
    }
    return len;
}

/* Non-zero when the bracketed text at s (just after "[") is a note a
 * database added to the title, not part of it: "[Erratum appears in ...]",
 * "[Review]", "[108 refs]", "[Spanish]", "[1]". */
static int is_note(const char *s, size_t len)
{
    static const char *const starts[] = {"erratum", "comment", "retraction", "retracted",
                                         "review", "published", "note", "reprint",
                                         "see ", "corrected", "update"};
    for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
        size_t n = strlen(starts[i]);
        if (len >= n && strncasecmp(s, starts[i], n) == 0)
            return 1;
    }
    const char *close = memchr(s, ']', len);
    size_t inner = close ? (size_t)(close - s) : len;
    if (close && inner && s[0] >= '0' && s[0] <= '9') {
        /* "[1]", "[108 refs]" */
        size_t d = 0;
        while (d < inner && s[d] >= '0' && s[d] <= '9')
            d++;
        return d == inner || (inner - d == 5 && strncmp(s + d, " refs", 5) == 0);
    }
    /* one word: a language */
    if (!close || inner > 24 || inner < 3)
        return 0;
    for (size_t i = 0; i < inner; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
            return 0;
    return 1;
}

/* Length of the title without the notes databases append in brackets
 * (everything from the first such note on). */
static size_t without_notes(const char *title, size_t len)
{
    for (size_t i = 1; i < len; i++)
        if (title[i] == '[' && is_note(title + i + 1, len - i - 1)) {
            len = i;
            break;
        }
    while (len && (title[len - 1] == '.' || title[len - 1] == ' '))
        len--;
    return len;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* When the title ends in the citation of another paper, as correction
 * notices are titled ("Title (vol 360, pg 542, 2009)", "Title (Journal
 * Name (2009) 360 (542-544))"), the length before that citation; else 0. */
static size_t before_citation(const char *s, size_t len)
{
    while (len && (s[len - 1] == '.' || s[len - 1] == ' '))
        len--;
    if (!len || s[len - 1] != ')')
        return 0;
    for (size_t i = 0; i + 6 < len; i++) {
        if (s[i] != '(')
            continue;
        const char *p = s + i + 1;
        if (strncasecmp(p, "vol ", 4) == 0 || strncasecmp(p, "vol. ", 5) == 0) {
            for (const char *q = p; q + 3 < s + len; q++)
                if (strncasecmp(q, "pg ", 3) == 0 && is_digit(q[3]))
                    return i;
        }
        /* "(2009) 360 (": the citation opens at the last "(" before it */
        if (i + 10 < len && is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) &&
            is_digit(p[3]) && p[4] == ')' && p[5] == ' ' && is_digit(p[6]) &&
            s[len - 2] == ')') {
            size_t open = i;
            while (open > 0 && s[--open] != '(')
                ;
            return s[open] == '(' ? open : 0;
        }
    }
    return 0;
}

/* Non-zero when s[0..len) begins with the lower-case word w, in any case. */
static int opens_with(const char *s, size_t len, const char *w)
{
    size_t n = strlen(w);
    return len >= n && strncasecmp(s, w, n) == 0;
}

/* The position of the outermost "(" never closed (a notice whose cited
 * original a database cut short: "Erratum: Title (Proceedings of the
 * (Januar"), or 0 when every one is closed. */
static size_t before_unclosed(const char *s, size_t len)
{
    size_t depth = 0, outer = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '(' && depth++ == 0)
            outer = i;
        else if (s[i] == ')' && depth)
            depth--;
    }
    return depth ? outer : 0;
}

/* Non-zero when the folded title is a reply to the paper it names:
 * "Original title - Reply", "Original title: authors' reply". */
static int ends_as_reply(const char *t)
{
    size_t n = strlen(t);
    return n > 6 && strcmp(t + n - 6, " reply") == 0;
}

int wn_title_keys_make(wn_title_keys *k, const char *title, size_t len)
{
    wn_buf_clear(&k->full);
    wn_buf_clear(&k->main);
    wn_buf_clear(&k->bracket);
    k->kind = WN_KIND_ARTICLE;
    k->part = 0;
    len = without_notes(title, len);
    /* A correction notice keeps the title it corrects as its key. */
    size_t cited = before_citation(title, len);
    if (!cited && (opens_with(title, len, "erratum") || opens_with(title, len, "corrigendum") ||
                   opens_with(title, len, "correction"))) {
        size_t cut = before_unclosed(title, len);
        cited = cut >= 20 ? cut : 0;
    }
    if (cited)
        len = cited;
    wn_buf tmp = WN_BUF_INIT, rest = WN_BUF_INIT;
    int rc = 0;
    const char *open = memchr(title, '[', len);
    const char *close = open ? memchr(open, ']', len - (size_t)(open - title)) : NULL;
    if (open == title && close == title + len - 1) {
        /* A title only in translation: "[Treatment of ...]". */
        title++;
        len -= 2;
        open = close = NULL;
    }
    if (open && close && close - open > 10) {
        /* "Original title [Translated title]": the part outside brackets
         * and the translation are both keys. */
        rc = title_key(&k->bracket, &tmp, open + 1, (size_t)(close - open - 1));
        if (!rc)
            rc = wn_buf_append(&rest, title, (size_t)(open - title));
        if (!rc)
            rc = wn_buf_append(&rest, close + 1, len - (size_t)(close + 1 - title));
    } else {
        rc = wn_buf_append(&rest, title, len);
    }
    const char *r = rest.data ? rest.data : "";
    if (!rc)
        rc = title_key(&k->full, &tmp, title, len);
    if (!rc) {
        k->kind = kind_of(tmp.data ? tmp.data : "");
        if (k->kind == WN_KIND_ARTICLE && cited)
            k->kind = WN_KIND_ERRATUM;
        else if (k->kind == WN_KIND_ARTICLE && ends_as_reply(tmp.data ? tmp.data : ""))
            k->kind = WN_KIND_COMMENT;
        k->part = part_of(tmp.data ? tmp.data : "");
    }
    if (!rc)
        rc = title_key(&k->main, &tmp, r, before_subtitle(r, rest.len));
    if (!rc && k->main.len == k->full.len && memcmp(k->main.data, k->full.data, k->full.len) == 0)
        wn_buf_clear(&k->main);
    wn_buf_free(&tmp);
    wn_buf_free(&rest);
    return rc;
}

void wn_title_keys_free(wn_title_keys *k)
{
    wn_buf_free(&k->full);
    wn_buf_free(&k->main);
    wn_buf_free(&k->bracket);
}

/* ---- authors ---------------------------------------------------------- */

static int is_particle(const char *w, size_t n)
{
    static const char *const particles[] = {"van", "von", "der", "den", "de",  "del", "della",
                                            "di",  "da",  "du",  "la",  "le",  "dos", "das",
                                            "ter", "ten", "zu",  "af",  "al",  "el",  "des"};
    for (size_t i = 0; i < sizeof particles / sizeof *particles; i++)
        if (strlen(particles[i]) == n && memcmp(particles[i], w, n) == 0)
            return 1;
    return 0;
}

/* Non-zero when token t[0..n) is written as initials ("JA", "J.A.", "J-P"). */
static int is_initials(const char *t, size_t n)
{
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i] >= 'A' && t[i] <= 'Z')
            letters++;
        else if (t[i] != '.' && t[i] != '-')
            return 0;
    }
    return letters > 0 && letters <= 4;
}

int wn_match_surname(wn_buf *out, const char *author, size_t len, char *initial)
{
    *initial = 0;
    while (len && author[len - 1] == ' ')
        len--;
    const char *sur = author, *given = NULL;
    size_t sur_len = len, given_len = 0;
    const char *comma = memchr(author, ',', len);
    if (comma) {
        sur_len = (size_t)(comma - author);
        given = comma + 1;
        given_len = len - sur_len - 1;
    } else {
        const char *sp = NULL;
        for (size_t i = len; i > 0; i--)
            if (author[i - 1] == ' ') {
                sp = author + i - 1;
                break;
            }
        if (sp) {
            const char *last = sp + 1;
            size_t last_len = len - (size_t)(last - author);
            if (is_initials(last, last_len)) {
                sur_len = (size_t)(sp - author);
                given = last;
                given_len = last_len;
            } else {
                sur = last;
                sur_len = last_len;
                given = author;
                given_len = (size_t)(sp - author);
            }
        }
    }
    wn_buf f = WN_BUF_INIT;
    if (wn_match_fold(&f, sur, sur_len))
        return WN_ENOMEM;
    const char *s = f.data ? f.data : "";
    int rc = 0;
    if (!strcmp(s, "et al") || !strcmp(s, "et") || !strcmp(s, "al")) {
        wn_buf_free(&f);
        return 0;
    }
    size_t start = out->len;
    for (int pass = 0; pass < 2 && out->len == start && !rc; pass++) {
        /* Second pass keeps particles: a surname may be nothing else. */
        const char *w = s;
        while (*w && !rc) {
            const char *e = strchr(w, ' ');
            size_t n = e ? (size_t)(e - w) : strlen(w);
            if (pass || !is_particle(w, n))
                for (size_t i = 0; i < n && !rc; i++) {
                    char c = w[i];
                    if (c < 'a' || c > 'z')
                        continue;
                    /* ue, oe, ae: the umlaut spelled out reads as the vowel */
                    if (c == 'e' && out->len > start) {
                        char prev = out->data[out->len - 1];
                        if (prev == 'u' || prev == 'o' || prev == 'a')
                            continue;
                    }
                    rc = wn_buf_putc(out, c);
                }
            w += n + (e ? 1 : 0);
        }
    }
    if (!rc && given) {
        wn_buf_clear(&f);
        rc = wn_match_fold(&f, given, given_len);
        if (!rc && f.data)
            for (const char *g = f.data; *g; g++)
                if (*g >= 'a' && *g <= 'z') {
                    *initial = *g;
                    break;
                }
    }
    wn_buf_free(&f);
    return rc;
}

/* ---- journals --------------------------------------------------------- */

static int journal_stopword(const char *w, size_t n)
{
    static const char *const stop[] = {"of", "the", "and", "for", "in",  "on", "de",
                                       "la", "et",  "und", "fur", "a",   "an", "des"};
    for (size_t i = 0; i < sizeof stop / sizeof *stop; i++)
        if (strlen(stop[i]) == n && memcmp(stop[i], w, n) == 0)
            return 1;
    return 0;
}

/* Next token of a folded name that is not a stop word; returns its length
 * (0 at the end) and advances *p past it. */
static size_t next_token(const char **p, const char **tok)
{
    for (;;) {
        while (**p == ' ')
            (*p)++;
        if (!**p)
            return 0;
        const char *e = strchr(*p, ' ');
        size_t n = e ? (size_t)(e - *p) : strlen(*p);
        *tok = *p;
        *p += n;
        if (!journal_stopword(*tok, n))
            return n;
    }
}

/* Non-zero when every word of abbr abbreviates, in order, one word of full:
 * same first letter and its letters found in order ("natl" in "national"). */
static int abbreviates(const char *abbr, const char *full)
{
    const char *a = abbr, *f = full, *at, *ft;
    size_t an, fn;
    int words = 0;
    while ((an = next_token(&a, &at)) != 0) {
        if (!(fn = next_token(&f, &ft)) || at[0] != ft[0])
            return 0;
        size_t j = 1;
        for (size_t i = 1; i < an; i++) {
            while (j < fn && ft[j] != at[i])
                j++;
            if (j == fn)
                return 0;
            j++;
        }
        words++;
    }
    return words > 0 && next_token(&f, &ft) == 0;
}

int wn_match_journal_folded(const char *a, const char *b)
{
    return !strcmp(a, b) || abbreviates(a, b) || abbreviates(b, a);
}

int wn_match_journal(const char *a, const char *b)
{
    wn_buf fa = WN_BUF_INIT, fb = WN_BUF_INIT;
    int same = 0;
    if (!wn_match_fold(&fa, a, strlen(a)) && !wn_match_fold(&fb, b, strlen(b)) && fa.data &&
        fb.data)
        same = wn_match_journal_folded(fa.data, fb.data);
    wn_buf_free(&fa);
    wn_buf_free(&fb);
    return same;
}

/* ---- pages, similarity ------------------------------------------------- */

void wn_match_page(const char *page, char *out, size_t cap)
{
    size_t n = 0;
    const char *p = page;
    while (*p && (*p < '0' || *p > '9'))
        p++;
    while (*p == '0')
        p++;
    while (*p >= '0' && *p <= '9' && n + 1 < cap)
        out[n++] = *p++;
    if (cap)
        out[n] = 0;
}

#define SIM_MAX 256

double wn_match_similarity(const char *a, size_t alen, const char *b, size_t blen,
                           double min)
{
    if (alen > SIM_MAX)
        alen = SIM_MAX;
    if (blen > SIM_MAX)
        blen = SIM_MAX;
    size_t longer = alen > blen ? alen : blen;
    if (longer == 0)
        return 1.0;
    size_t band = (size_t)((1.0 - min) * (double)longer);
    size_t diff = alen > blen ? alen - blen : blen - alen;
    if (diff > band)
        return 0.0;
    /* Edit distance restricted to |i - j| <= band; cells outside count as
     * too far. */
    unsigned prev[SIM_MAX + 1], cur[SIM_MAX + 1];
    const unsigned far = (unsigned)longer + 1;
    for (size_t j = 0; j <= blen; j++)
        prev[j] = j <= band ? (unsigned)j : far;
    for (size_t i = 1; i <= alen; i++) {
        size_t lo = i > band ? i - band : 1, hi = i + band < blen ? i + band : blen;
        cur[0] = i <= band ? (unsigned)i : far;
        if (lo > 1)
            cur[lo - 1] = far;
        unsigned row_min = cur[0];
        for (size_t j = lo; j <= hi; j++) {
            unsigned best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            unsigned del = (j <= i - 1 + band ? prev[j] : far) + 1;
            unsigned ins = cur[j - 1] + 1;
            if (del < best)
                best = del;
            if (ins < best)
                best = ins;
            cur[j] = best;
            if (best < row_min)
                row_min = best;
        }
        if (hi < blen)
            cur[hi + 1] = far;
        if (row_min > band)
            return 0.0;
        memcpy(prev, cur, (blen + 1) * sizeof *cur);
    }
    double d = prev[blen];
    if (d > (double)band)
        return 0.0;
    return 1.0 - d / (double)longer;
}

double wn_match_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen)
{
    enum { CAP = 64 };
    if (alen > CAP)
        alen = CAP;
    if (blen > CAP)
        blen = CAP;
    if (!alen || !blen)
        return alen == blen ? 1.0 : 0.0;
    size_t window = (alen > blen ? alen : blen) / 2;
    window = window ? window - 1 : 0;
    char am[CAP] = {0}, bm[CAP] = {0};
    size_t matches = 0;
    for (size_t i = 0; i < alen; i++) {
        size_t lo = i > window ? i - window : 0, hi = i + window + 1 < blen ? i + window + 1 : blen;
        for (size_t j = lo; j < hi; j++)
            if (!bm[j] && a[i] == b[j]) {
                am[i] = bm[j] = 1;
                matches++;
                break;
            }
    }
    if (!matches)
        return 0.0;
    size_t t = 0, k = 0;
    for (size_t i = 0; i < alen; i++) {
        if (!am[i])
            continue;
        while (!bm[k])
            k++;
        t += a[i] != b[k];
        k++;
    }
    double m = (double)matches;
    double jaro = (m / (double)alen + m / (double)blen + (m - (double)t / 2.0) / m) / 3.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < alen && prefix < blen && a[prefix] == b[prefix])
        prefix++;
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}
