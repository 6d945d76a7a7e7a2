/* BibTeX and BibLaTeX: @type{key, field = value, ...} entries.
 *
 * The reader walks the text once. Outside entries everything is a comment
 * (BibTeX's own rule), except that a line starting with % is skipped even
 * when it holds an '@', as JabRef and biber do. Inside an entry it reads
 * field = value pairs, where a value is {braced}, "quoted", a number or an
 * @string macro name, joined by #. Values without markup are handed to the
 * record straight from the input; the rest are decoded (braces, LaTeX) into
 * a scratch buffer first. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/parser.h"
#include "normalize/latex_impl.h"
#include "winnow/latex.h"
#include "winnow/text.h"

/* ---- field table ------------------------------------------------------ */

enum value_kind {
    K_TEXT,     /* LaTeX text */
    K_VERBATIM, /* URLs, DOIs, file names: braces and \_ escapes only */
    K_PAGES,    /* LaTeX, with dashes made "-" */
    K_NAMES,    /* author list: split and put in "Surname, Given" order */
    K_KEYWORDS, /* split on , and ; */
};

typedef struct field_map {
    const char *name; /* lower case */
    wn_field field;
    enum value_kind kind;
} field_map;

/* Sorted by name (strcmp) for find_field; at most 64 rows (the duplicate
 * check keeps one bit per row). */
static const field_map field_table[] = {
    {"abstract", WN_F_ABSTRACT, K_TEXT},
    {"author", WN_F_AUTHOR, K_NAMES},
    {"author_keywords", WN_F_KEYWORD, K_KEYWORDS}, /* Scopus */
    {"booktitle", WN_F_JOURNAL, K_TEXT}, /* only for parts of a proceedings/collection */
    {"date", WN_F_DATE, K_TEXT},
    {"doi", WN_F_DOI, K_VERBATIM},
    {"editor", WN_F_EXTRA, K_TEXT},
    {"eprint", WN_F_EXTRA, K_VERBATIM},
    {"file", WN_F_EXTRA, K_VERBATIM},
    {"isbn", WN_F_ISBN, K_TEXT},
    {"issn", WN_F_ISSN, K_TEXT},
    {"issue", WN_F_ISSUE, K_TEXT},
    {"journal", WN_F_JOURNAL, K_TEXT},
    {"journal-abbrev", WN_F_JOURNAL_ABBR, K_TEXT},
    {"journaltitle", WN_F_JOURNAL, K_TEXT},
    {"keywords", WN_F_KEYWORD, K_KEYWORDS},
    {"langid", WN_F_LANGUAGE, K_TEXT},
    {"language", WN_F_LANGUAGE, K_TEXT},
    {"month", WN_F_EXTRA, K_TEXT},
    {"number", WN_F_ISSUE, K_TEXT},
    {"pages", WN_F_PAGES, K_PAGES},
    {"pdf", WN_F_EXTRA, K_VERBATIM},
    {"pmcid", WN_F_PMCID, K_TEXT},
    {"pmid", WN_F_PMID, K_TEXT},
    {"publisher", WN_F_PUBLISHER, K_TEXT},
    {"shortjournal", WN_F_JOURNAL_ABBR, K_TEXT},
    {"title", WN_F_TITLE, K_TEXT},
    {"type", WN_F_EXTRA, K_TEXT},
    {"url", WN_F_URL, K_VERBATIM},
    {"volume", WN_F_VOLUME, K_TEXT},
    {"year", WN_F_YEAR, K_TEXT},
};
#define N_FIELDS (sizeof field_table / sizeof field_table[0])

/* The table row for a lower-case field name, or NULL. Most probes differ in
 * the first byte, which is compared before calling strcmp. */
static const field_map *find_field(const char *name)
{
    size_t lo = 0, hi = N_FIELDS;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *row = field_table[mid].name;
        int d = (unsigned char)name[0] - (unsigned char)row[0];
        if (!d)
            d = strcmp(name, row);
        if (!d)
            return &field_table[mid];
        if (d < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Fields the normalizer cleans anyway (white space, entities): no need to
 * copy a value just to fold its white space. */
static int normalizer_cleans(wn_field f)
{
    return f == WN_F_TITLE || f == WN_F_ABSTRACT || f == WN_F_JOURNAL ||
           f == WN_F_JOURNAL_ABBR || f == WN_F_PUBLISHER || f == WN_F_KEYWORD;
}

/* The standard month macros of BibTeX's styles. */
static const char *const month_names[12][2] = {
    {"jan", "January"}, {"feb", "February"}, {"mar", "March"},     {"apr", "April"},
    {"may", "May"},     {"jun", "June"},     {"jul", "July"},      {"aug", "August"},
    {"sep", "September"}, {"oct", "October"}, {"nov", "November"}, {"dec", "December"},
};

/* ---- character classes ------------------------------------------------- */

enum {
    C_PLAIN = 0,
    C_OPEN,  /* { */
    C_CLOSE, /* } */
    C_BSL,   /* \ */
    C_NL,    /* \n \r: white space to fold, and a place an entry may start */
    C_WS,    /* \t \f \v */
    C_TEX,   /* ~ $: LaTeX to decode */
    C_PAIR,  /* - ` ': LaTeX when doubled */
    C_QUOTE, /* " */
};

static const unsigned char value_class[256] = {
    ['{'] = C_OPEN, ['}'] = C_CLOSE, ['\\'] = C_BSL, ['\n'] = C_NL, ['\r'] = C_NL,
    ['\t'] = C_WS,  ['\f'] = C_WS,   ['\v'] = C_WS,  ['~'] = C_TEX, ['$'] = C_TEX,
    ['-'] = C_PAIR, ['`'] = C_PAIR,  ['\''] = C_PAIR, ['"'] = C_QUOTE,
};

/* Bytes that end a field name, a bare value or a key. */
enum { STOP_NAME = 1, STOP_BARE = 2, STOP_KEY = 4 };
static const unsigned char stop_class[256] = {
    ['='] = STOP_NAME | STOP_BARE | STOP_KEY, [','] = STOP_NAME | STOP_BARE | STOP_KEY,
    ['{'] = STOP_NAME | STOP_BARE | STOP_KEY, ['}'] = STOP_NAME | STOP_BARE | STOP_KEY,
    ['('] = STOP_NAME | STOP_BARE,            [')'] = STOP_NAME | STOP_BARE,
    ['"'] = STOP_NAME | STOP_BARE,            ['#'] = STOP_NAME | STOP_BARE,
    ['%'] = STOP_NAME | STOP_BARE,            ['\n'] = STOP_NAME | STOP_BARE | STOP_KEY,
    ['\r'] = STOP_NAME | STOP_BARE | STOP_KEY, [' '] = STOP_BARE | STOP_KEY,
    ['\t'] = STOP_BARE | STOP_KEY,            ['\f'] = STOP_BARE | STOP_KEY,
    ['\v'] = STOP_BARE | STOP_KEY,            [0] = STOP_NAME | STOP_BARE | STOP_KEY,
};

/* What a value holds beyond plain text. */
enum { F_BRACES = 1, F_BSL = 2, F_TEX = 4, F_SPACE = 8, F_COMPOSED = 16 };

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* Characters of an entry type or @string name. */
static int is_ident(unsigned char c)
{
    return is_alpha(c) || is_digit(c) || c == '_' || c == '-' || c == ':' || c == '.' ||
           c == '+' || c >= 0x80;
}

/* ---- @string macros --------------------------------------------------- */

typedef struct macro {
    char *name; /* lower case; NULL for an empty slot */
    char *value;
    size_t len;
} macro;

typedef struct macro_table {
    macro *slots;
    size_t cap, count; /* cap is 0 or a power of two */
} macro_table;

#define MACRO_MAX (1u << 20) /* longest @string value accepted */

static uint32_t hash_lower(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c += 32;
        h = (h ^ c) * 16777619u;
    }
    return h;
}

static macro *macro_slot(macro_table *t, const char *name, size_t n)
{
    if (!t->cap)
        return NULL;
    size_t i = hash_lower(name, n) & (t->cap - 1);
    while (t->slots[i].name) {
        if (strlen(t->slots[i].name) == n && strncasecmp(t->slots[i].name, name, n) == 0)
            return &t->slots[i];
        i = (i + 1) & (t->cap - 1);
    }
    return &t->slots[i];
}

static const macro *macro_find(macro_table *t, const char *name, size_t n)
{
    macro *m = macro_slot(t, name, n);
    return m && m->name ? m : NULL;
}

static int macro_grow(macro_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64;
    macro *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return WN_ENOMEM;
    macro_table bigger = {slots, cap, t->count};
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i].name)
            continue;
        *macro_slot(&bigger, t->slots[i].name, strlen(t->slots[i].name)) = t->slots[i];
    }
    free(t->slots);
    *t = bigger;
    return 0;
}

/* Defines (or redefines) a macro; the value is copied. */
static int macro_set(macro_table *t, const char *name, size_t n, const char *value,
                     size_t len)
{
    if ((t->count + 1) * 2 > t->cap && macro_grow(t))
        return WN_ENOMEM;
    macro *m = macro_slot(t, name, n);
    char *v = wn_strndup(value, len);
    if (!v)
        return WN_ENOMEM;
    if (!m->name) {
        m->name = wn_strndup(name, n);
        if (!m->name) {
            free(v);
            return WN_ENOMEM;
        }
        for (size_t i = 0; i < n; i++)
            if (m->name[i] >= 'A' && m->name[i] <= 'Z')
                m->name[i] += 32;
        t->count++;
    }
    free(m->value);
    m->value = v;
    m->len = len;
    return 0;
}

static void macro_free(macro_table *t)
{
    for (size_t i = 0; i < t->cap; i++) {
        free(t->slots[i].name);
        free(t->slots[i].value);
    }
    free(t->slots);
    memset(t, 0, sizeof *t);
}

/* ---- parser state ------------------------------------------------------ */

typedef struct bib {
    wn_parser *p;
    const char *s;
    size_t len;
    size_t pos;
    size_t line_at, line; /* line number of offset line_at */
    /* the entry being read */
    size_t at, at_line;   /* its '@' */
    const char *type;     /* as written */
    size_t type_len;
    char open, close;     /* { } or ( ) */
    const char *key;
    size_t key_len;
    int in_collection;    /* booktitle names the container */
    uint64_t seen;        /* field_table rows met in this entry */
    macro_table macros;
    wn_buf raw;           /* a value's pieces joined, when there are several */
    wn_buf dec;           /* a decoded value */
    wn_buf name;          /* one author name */
    wn_buf tag;           /* a field name in lower case */
    int cl_known, cl_comment; /* in_comment_line's memory */
    size_t cl_at;
    int comments_unclosed; /* an @comment ran to the end: stop matching them */
} bib;

/* Line breaks in s[from..to): LF, CRLF and CR-only all count once.
 * Line feeds are counted eight bytes at a time (a byte of w ^ LF is zero
 * exactly where w had one); a range holding any CR is recounted byte by
 * byte. */
static size_t count_breaks(const bib *b, size_t from, size_t to)
{
    const uint64_t ones = 0x0101010101010101ull, low7 = 0x7f7f7f7f7f7f7f7full;
    const char *s = b->s;
    size_t count = 0, i = from;
    uint64_t cr_free = ~(uint64_t)0; /* high bits stay set while no CR is seen */
    for (; i + 8 <= to; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t lf = w ^ (ones * '\n'), cr = w ^ (ones * '\r');
        uint64_t not_lf = (((lf & low7) + low7) | lf) & ~low7;
        cr_free &= (((cr & low7) + low7) | cr) | low7;
        /* one bit per non-LF byte; the multiply sums them in the top byte */
        count += 8 - (size_t)(((not_lf >> 7) * ones) >> 56);
    }
    int has_cr = ~cr_free != 0;
    for (; i < to; i++) {
        count += s[i] == '\n';
        has_cr |= s[i] == '\r';
    }
    if (!has_cr)
        return count;
    count = 0;
    for (i = from; i < to; i++) {
        char c = s[i];
        count += c == '\n' || (c == '\r' && (i + 1 >= b->len || s[i + 1] != '\n'));
    }
    return count;
}

/* 1-based line of offset pos. Calls mostly move forward, so only the text
 * since the previous call is counted. */
static size_t line_of(bib *b, size_t pos)
{
    if (pos > b->len)
        pos = b->len;
    if (pos >= b->line_at)
        b->line += count_breaks(b, b->line_at, pos);
    else
        b->line -= count_breaks(b, pos, b->line_at);
    b->line_at = pos;
    return b->line;
}

/* The length of s[0..n) cut to at most max bytes, at a character start. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    n = max;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* "@article{smith2020" for messages (key cut at 60 bytes). */
static const char *entry_name(const bib *b, char *buf, size_t size)
{
    size_t klen = b->key ? utf8_cut(b->key, b->key_len, 60) : 0;
    int tlen = (int)utf8_cut(b->type, b->type_len, 40);
    snprintf(buf, size, "@%.*s%c%.*s%s", tlen, b->type, b->open, (int)klen,
             b->key ? b->key : "", klen < b->key_len ? "..." : "");
    return buf;
}

static int fail_unclosed(bib *b)
{
    char name[128];
    return wn_parser_fail(b->p, b->at_line, "entry '%s' starting at line %zu is not closed",
                          entry_name(b, name, sizeof name), b->at_line);
}

static void skip_ws(bib *b)
{
    while (b->pos < b->len && is_ws((unsigned char)b->s[b->pos]))
        b->pos++;
}

/* Skips white space, and % comment lines between fields. */
static void skip_ws_comments(bib *b)
{
    for (;;) {
        skip_ws(b);
        if (b->pos >= b->len || b->s[b->pos] != '%')
            return;
        while (b->pos < b->len && b->s[b->pos] != '\n' && b->s[b->pos] != '\r')
            b->pos++;
    }
}

/* Does an entry start at s[i] ("@word{" or "@word(")? */
static int entry_starts_at(const bib *b, size_t i)
{
    if (i >= b->len || b->s[i] != '@')
        return 0;
    i++;
    size_t from = i;
    while (i < b->len && is_ident((unsigned char)b->s[i]))
        i++;
    if (i == from)
        return 0;
    while (i < b->len && (b->s[i] == ' ' || b->s[i] == '\t'))
        i++;
    return i < b->len && (b->s[i] == '{' || b->s[i] == '(');
}

/* After a line break at s[i]: does the next line start an entry? Only
 * blanks are skipped, so each line is looked at once. */
static int entry_on_next_line(const bib *b, size_t i)
{
    i++;
    while (i < b->len && (b->s[i] == ' ' || b->s[i] == '\t'))
        i++;
    return entry_starts_at(b, i);
}

/* ---- values -------------------------------------------------------------- */

typedef struct piece {
    const char *s; /* content without its delimiters */
    size_t len;
    unsigned flags;
    size_t opens; /* inner '{' */
} piece;

/* Where a scan stopped when it did not find the end. */
enum { SCAN_OK = 0, SCAN_EOF = 1, SCAN_INTRUDER = 2 };

/* Scans a {braced} (quote == 0) or "quoted" value whose opening delimiter
 * is at b->pos; leaves b->pos after the closing one. On SCAN_INTRUDER,
 * *where is the offset of the entry found inside the value. */
static int scan_delimited(bib *b, int quoted, piece *pc, size_t *where)
{
    const char *s = b->s;
    size_t len = b->len, i = b->pos + 1;
    size_t depth = quoted ? 0 : 1, opens = 0;
    unsigned flags = 0;
    int closed = 0;
    while (!closed) {
        const unsigned char *u = (const unsigned char *)s;
        while (i + 4 <= len && !(value_class[u[i]] | value_class[u[i + 1]] |
                                 value_class[u[i + 2]] | value_class[u[i + 3]]))
            i += 4;
        while (i < len && value_class[u[i]] == C_PLAIN)
            i++;
        if (i >= len)
            return SCAN_EOF;
        switch (value_class[(unsigned char)s[i]]) {
        case C_OPEN:
            depth++;
            opens++;
            flags |= F_BRACES;
            break;
        case C_CLOSE:
            if (depth == 0) { /* "...}" : the quote was never closed */
                *where = i;
                return SCAN_INTRUDER;
            }
            if (--depth == 0 && !quoted)
                closed = 1;
            else
                flags |= F_BRACES;
            break;
        case C_QUOTE:
            closed = quoted && depth == 0;
            break;
        case C_BSL:
            flags |= F_BSL;
            i++; /* \{ \} \" do not count as delimiters */
            if (i < len && value_class[(unsigned char)s[i]] == C_NL)
                i--; /* but a line break still needs its check below */
            break;
        case C_NL:
            flags |= F_SPACE;
            if (entry_on_next_line(b, i)) {
                size_t k = i + 1;
                while (!entry_starts_at(b, k))
                    k++;
                *where = k;
                return SCAN_INTRUDER;
            }
            break;
        case C_WS:
            flags |= F_SPACE;
            break;
        case C_TEX:
            flags |= F_TEX;
            break;
        case C_PAIR:
            if (i + 1 < len && s[i + 1] == s[i])
                flags |= F_TEX;
            break;
        }
        if (!closed)
            i++;
    }
    pc->s = s + b->pos + 1;
    pc->len = i - b->pos - 1;
    pc->flags = flags;
    pc->opens = opens;
    b->pos = i + 1;
    return SCAN_OK;
}

/* Looks up an @string name (user macros first, then the month names). */
static const char *macro_value(bib *b, const char *name, size_t n, size_t *len)
{
    const macro *m = macro_find(&b->macros, name, n);
    if (m) {
        *len = m->len;
        return m->value;
    }
    if (n == 3)
        for (size_t i = 0; i < 12; i++)
            if (strncasecmp(name, month_names[i][0], 3) == 0) {
                *len = strlen(month_names[i][1]);
                return month_names[i][1];
            }
    return NULL;
}

/* Reads a value: pieces joined by '#'. A single delimited or numeric piece
 * is returned in *pc without copying; otherwise the pieces are joined into
 * b->raw and *pc points there (flags then say "decode"). field names the
 * field for messages. Returns 0, or the parse failure. */
static int read_value(bib *b, const char *field, piece *pc)
{
    memset(pc, 0, sizeof *pc);
    size_t count = 0;
    wn_buf_clear(&b->raw);
    for (;;) {
        skip_ws(b);
        if (b->pos >= b->len)
            return fail_unclosed(b);
        piece one = {NULL, 0, 0, 0};
        char c = b->s[b->pos];
        size_t start = b->pos;
        if (c == '{' || c == '"') {
            size_t where = 0;
            int rc = scan_delimited(b, c == '"', &one, &where);
            if (rc == SCAN_EOF) {
                char name[128];
                return wn_parser_fail(b->p, b->at_line,
                                      "entry '%s' starting at line %zu is not closed (the value "
                                      "of field '%s' at line %zu runs to the end)",
                                      entry_name(b, name, sizeof name), b->at_line, field,
                                      line_of(b, start));
            }
            if (rc == SCAN_INTRUDER) {
                char name[128];
                size_t field_line = line_of(b, start);
                return wn_parser_fail(b->p, field_line,
                                      "unbalanced braces in field '%s' of entry '%s' starting "
                                      "at line %zu (the value runs into line %zu)",
                                      field, entry_name(b, name, sizeof name), b->at_line,
                                      line_of(b, where));
            }
        } else {
            /* A number or a macro name. */
            while (b->pos < b->len && !(stop_class[(unsigned char)b->s[b->pos]] & STOP_BARE) &&
                   b->s[b->pos] != b->close)
                b->pos++;
            one.s = b->s + start;
            one.len = b->pos - start;
            int number = one.len > 0;
            for (size_t i = 0; i < one.len; i++)
                number &= is_digit((unsigned char)one.s[i]);
            if (one.len && !number) {
                size_t mlen = 0;
                const char *mv = macro_value(b, one.s, one.len, &mlen);
                if (mv) {
                    one.s = mv;
                    one.len = mlen;
                    one.flags = F_BRACES | F_BSL | F_TEX | F_SPACE; /* not scanned: decode */
                } else {
                    wn_parser_warn(b->p, line_of(b, start),
                                   "unknown @string macro '%.*s' in field '%s'; kept its name "
                                   "as text",
                                   (int)utf8_cut(one.s, one.len, 60), one.s, field);
                }
            }
        }
        if ((count == 1 && wn_buf_append(&b->raw, pc->s, pc->len)) ||
            (count >= 1 && wn_buf_append(&b->raw, one.s, one.len)))
            return wn_parser_fail(b->p, line_of(b, start),
                                  "value of field '%s' is longer than 64 MiB", field);
        if (count == 0)
            *pc = one;
        else
            pc->flags |= one.flags, pc->opens += one.opens;
        count++;
        skip_ws(b);
        if (b->pos < b->len && b->s[b->pos] == '#') {
            b->pos++;
            continue;
        }
        break;
    }
    if (count > 1) {
        pc->s = b->raw.data ? b->raw.data : "";
        pc->len = b->raw.len;
        pc->flags |= F_COMPOSED;
    }
    return 0;
}

/* Trims white space around s[0..*n). */
static const char *trim(const char *s, size_t *n)
{
    while (*n && is_ws((unsigned char)*s))
        s++, (*n)--;
    while (*n && is_ws((unsigned char)s[*n - 1]))
        (*n)--;
    return s;
}

/* Verbatim values (URLs, DOIs, files): braces dropped, \_ \% \& \# \$ \~
 * \{ \} and $\backslash$ unescaped, white space folded. */
static int decode_verbatim(wn_buf *out, const char *s, size_t len)
{
    int space = 0;
    size_t start = out->len;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '{' || c == '}')
            continue;
        if (is_ws((unsigned char)c)) {
            space = 1;
            continue;
        }
        if (c == '\\' && i + 1 < len && s[i + 1] && strchr("_%&#$~{}", s[i + 1])) {
            c = s[++i];
        } else if (c == '$' && len - i >= 12 && memcmp(s + i, "$\\backslash$", 12) == 0) {
            c = '\\'; /* Mendeley's file paths: C$\backslash$:... */
            i += 11;
        }
        if (space && out->len > start && wn_buf_putc(out, ' '))
            return WN_ENOMEM;
        space = 0;
        if (wn_buf_putc(out, c))
            return WN_ENOMEM;
    }
    return 0;
}

/* Page ranges: LaTeX text whose dashes ("--", "\\textendash") become the
 * plain hyphen other formats use. */
static int decode_pages(wn_buf *out, const char *s, size_t len)
{
    size_t start = out->len;
    if (wn_latex_decode(out, s, len))
        return WN_ENOMEM;
    size_t w = start;
    for (size_t i = start; i < out->len; i++) {
        unsigned char c = (unsigned char)out->data[i];
        if (c == 0xE2 && i + 2 < out->len && (unsigned char)out->data[i + 1] == 0x80 &&
            ((unsigned char)out->data[i + 2] == 0x93 || (unsigned char)out->data[i + 2] == 0x94)) {
            out->data[w++] = '-';
            i += 2;
        } else {
            out->data[w++] = (char)c;
        }
    }
    wn_buf_truncate(out, w);
    return 0;
}

/* ---- names ----------------------------------------------------------------- */

/* Is the code point a lower-case letter? ASCII, Latin-1 and Latin
 * Extended-A are enough to tell a "von" particle from a surname. */
static int cp_is_lower(unsigned cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    if (cp >= 0xDF && cp <= 0xFF)
        return cp != 0xF7;
    if (cp == 0x138 || cp == 0x149 || cp == 0x17F)
        return 1;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
        return cp % 2 == 0;
    if (cp >= 0x100 && cp <= 0x17F)
        return cp % 2 == 1;
    return 0;
}

/* Does a name word start with a lower-case letter (a "von" part)? Words
 * like {\'e}mile look through the accent; other {braced} words count as
 * capitalised, as in BibTeX. */
static int word_is_lower(const char *w, size_t n)
{
    const char *end = w + n;
    if (n >= 2 && w[0] == '{' && w[1] != '\\')
        return 0;
    if (w < end && *w == '{')
        w++;
    if (w < end && *w == '\\') {
        w++;
        if (w < end && is_alpha((unsigned char)*w)) {
            const char *cmd = w;
            while (w < end && is_alpha((unsigned char)*w))
                w++;
            if (w - cmd > 1 || !strchr("cvuHkrdbt", *cmd))
                return *cmd >= 'a' && *cmd <= 'z'; /* \ss, \o lower; \O, \AA upper */
        } else if (w < end) {
            w++; /* \' \" ... */
        }
        while (w < end && (is_ws((unsigned char)*w) || *w == '{'))
            w++;
    }
    if (w >= end)
        return 0;
    return cp_is_lower(wn_utf8_next(&w, end));
}

typedef struct word {
    size_t from, to;
    int part; /* 0, 1, 2: commas before it, at most 2 */
} word;

#define NAME_WORDS 64

/* Appends the decoded text of words[a..z) to out (nothing when a == z). */
static int put_words(wn_buf *out, const char *s, const word *words, size_t a, size_t z)
{
    if (a >= z)
        return 0;
    return wn_latex_decode(out, s + words[a].from, words[z - 1].to - words[a].from);
}

/* Turns one BibTeX name ("First von Last", "von Last, First" or
 * "von Last, Jr, First") into "von Last, First[, Jr]" in b->name. */
static int format_name(bib *b, const char *s, size_t n)
{
    word words[NAME_WORDS];
    size_t nw = 0;
    int commas = 0;
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if (is_ws((unsigned char)c) || c == '~') {
            i++;
            continue;
        }
        if (c == ',') {
            commas++;
            i++;
            continue;
        }
        size_t from = i, depth = 0;
        while (i < n) {
            c = s[i];
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '{')
                depth++;
            else if (c == '}' && depth)
                depth--;
            else if (!depth && (is_ws((unsigned char)c) || c == '~' || c == ','))
                break;
            i++;
        }
        if (i > n)
            i = n;
        if (nw == NAME_WORDS) {
            words[nw - 1].to = i; /* absurdly long: the rest joins the last word */
            continue;
        }
        words[nw].from = from;
        words[nw].to = i;
        words[nw].part = commas > 2 ? 2 : commas;
        nw++;
    }
    wn_buf_clear(&b->name);
    if (!nw)
        return 0;
    size_t sur_a = 0, sur_z = 0, giv_a = 0, giv_z = 0, jr_a = 0, jr_z = 0;
    if (commas == 0) {
        /* The surname starts at the first lower-case word (von), or is
         * the last word. */
        size_t von = nw - 1;
        for (size_t k = 0; k + 1 < nw; k++)
            if (word_is_lower(s + words[k].from, words[k].to - words[k].from)) {
                von = k;
                break;
            }
        giv_a = 0, giv_z = von, sur_a = von, sur_z = nw;
    } else {
        size_t k = 0;
        while (k < nw && words[k].part == 0)
            k++;
        sur_a = 0, sur_z = k;
        if (commas == 1) {
            giv_a = k, giv_z = nw;
        } else {
            jr_a = k;
            while (k < nw && words[k].part == 1)
                k++;
            jr_z = k, giv_a = k, giv_z = nw;
        }
    }
    if (sur_a == sur_z) /* ", John": only a given name */
        sur_a = giv_a, sur_z = giv_z, giv_a = giv_z = 0;
    if (put_words(&b->name, s, words, sur_a, sur_z))
        return WN_ENOMEM;
    if (giv_a < giv_z && (wn_buf_puts(&b->name, ", ") ||
                          put_words(&b->name, s, words, giv_a, giv_z)))
        return WN_ENOMEM;
    if (jr_a < jr_z &&
        (wn_buf_puts(&b->name, ", ") || put_words(&b->name, s, words, jr_a, jr_z)))
        return WN_ENOMEM;
    return 0;
}

/* Splits an author list on the word "and" outside braces and adds each
 * name. "and others" is BibTeX for "et al.". */
static int add_names(bib *b, const char *s, size_t n, const char *tag)
{
    size_t from = 0, depth = 0;
    for (size_t i = 0; i <= n; i++) {
        int split = i == n;
        if (!split) {
            char c = s[i];
            if (c == '\\' && i + 1 < n) {
                i++;
                continue;
            }
            if (c == '{')
                depth++;
            else if (c == '}' && depth)
                depth--;
            else if (!depth && is_ws((unsigned char)c) && i + 4 <= n &&
                     (memcmp(s + i + 1, "and", 3) == 0 || memcmp(s + i + 1, "AND", 3) == 0) &&
                     (i + 4 == n || is_ws((unsigned char)s[i + 4])))
                split = 1; /* a trailing " and" ends the list too */
        }
        if (!split)
            continue;
        size_t len = i - from;
        const char *name = trim(s + from, &len);
        if (len == 6 && memcmp(name, "others", 6) == 0) {
            if (wn_record_add(b->p->rec, WN_F_EXTRA, "etal", "others", 6))
                return WN_ENOMEM;
        } else if (len) {
            if (format_name(b, name, len) ||
                wn_record_add(b->p->rec, WN_F_AUTHOR, tag, b->name.data ? b->name.data : "",
                              b->name.len))
                return WN_ENOMEM;
        }
        from = i + 4;
        i += 3;
    }
    return 0;
}

/* Adds each keyword of a list separated by , or ;. */
static int add_keywords(bib *b, const char *s, size_t n, const char *tag)
{
    size_t from = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ',' && s[i] != ';')
            continue;
        if (wn_record_add(b->p->rec, WN_F_KEYWORD, tag, s + from, i - from))
            return WN_ENOMEM;
        from = i + 1;
    }
    return 0;
}

/* ---- fields ------------------------------------------------------------------ */

/* Adds one field's value to the record, decoding it as its kind needs. */
static int add_field(bib *b, const char *name, size_t name_len, size_t name_at,
                     const piece *pc)
{
    /* The field name in lower case is both the table key and the tag
     * (Scopus writes "funding_text\u00A01": a no-break space becomes a
     * space). */
    wn_buf_clear(&b->tag);
    if (wn_buf_append(&b->tag, name, utf8_cut(name, name_len, 63)))
        return WN_ENOMEM;
    size_t w = 0;
    for (size_t i = 0; i < b->tag.len; i++) {
        char c = b->tag.data[i];
        if (c == '\xC2' && i + 1 < b->tag.len && b->tag.data[i + 1] == '\xA0') {
            c = ' ';
            i++;
        } else if (c >= 'A' && c <= 'Z') {
            c += 32;
        }
        b->tag.data[w++] = c;
    }
    wn_buf_truncate(&b->tag, w);
    const char *tag = b->tag.data;
    const field_map *m = find_field(tag);
    wn_field field = m ? m->field : WN_F_EXTRA;
    enum value_kind kind = m ? m->kind : K_TEXT;
    if (m) {
        uint64_t bit = (uint64_t)1 << (m - field_table);
        if (b->seen & bit) {
            char ename[128];
            wn_parser_warn(b->p, line_of(b, name_at),
                           "field '%s' appears twice in entry '%s'; the first is used, this "
                           "one is kept as an extra field",
                           tag, entry_name(b, ename, sizeof ename));
            field = WN_F_EXTRA;
            kind = kind == K_NAMES || kind == K_KEYWORDS ? K_TEXT : kind;
        }
        b->seen |= bit;
        if (field == WN_F_JOURNAL && strcmp(tag, "booktitle") == 0 && !b->in_collection)
            field = WN_F_EXTRA;
    }

    size_t len = pc->len;
    const char *v = trim(pc->s, &len);
    unsigned flags = pc->flags;
    if (kind == K_NAMES)
        return add_names(b, v, len, tag);
    wn_buf_clear(&b->dec);
    int rc = 0;
    if (kind == K_VERBATIM) {
        if (flags & (F_BRACES | F_BSL | F_SPACE | F_COMPOSED)) {
            rc = decode_verbatim(&b->dec, v, len);
            v = b->dec.data ? b->dec.data : "", len = b->dec.len;
        }
    } else if (kind == K_PAGES) {
        if (flags) {
            rc = decode_pages(&b->dec, v, len);
            v = b->dec.data ? b->dec.data : "", len = b->dec.len;
        }
    } else {
        if (normalizer_cleans(field))
            flags &= ~(unsigned)F_SPACE;
        /* {{Title}}: one group around everything is only protection. */
        if (flags == F_BRACES && pc->opens == 1 && len >= 2 && v[0] == '{' &&
            v[len - 1] == '}') {
            v++, len -= 2;
            flags = 0;
        }
        if (!flags && !normalizer_cleans(field) && wn_latex_has_double_space(v, len))
            flags |= F_SPACE;
        if (flags) {
            rc = wn_latex_decode(&b->dec, v, len);
            v = b->dec.data ? b->dec.data : "", len = b->dec.len;
        }
    }
    if (rc)
        return rc;
    if (kind == K_KEYWORDS)
        return add_keywords(b, v, len, tag);
    return wn_record_add(b->p->rec, field, tag, v, len);
}

/* Moves past unexpected text up to the next ',' or the entry's end. */
static int skip_garbage(bib *b)
{
    while (b->pos < b->len) {
        char c = b->s[b->pos];
        if (c == ',') {
            b->pos++;
            return 0;
        }
        if (c == b->close)
            return 0;
        if (c == '{' || c == '"') {
            piece pc;
            size_t where;
            if (scan_delimited(b, c == '"', &pc, &where) != SCAN_OK)
                return fail_unclosed(b);
            continue;
        }
        if (c == '@' && entry_starts_at(b, b->pos))
            return 0;
        b->pos++;
    }
    return fail_unclosed(b);
}

/* Reads "name = value" pairs up to the closing delimiter; each one goes to
 * on_field (a record field or a macro definition). Sets *end to the offset
 * just past the entry. */
typedef int (*field_fn)(bib *b, const char *name, size_t name_len, size_t name_at,
                        const piece *pc);

static int read_fields(bib *b, field_fn on_field, size_t *end)
{
    char ename[128];
    for (;;) {
        skip_ws_comments(b);
        while (b->pos < b->len && b->s[b->pos] == ',') {
            b->pos++;
            skip_ws_comments(b);
        }
        if (b->pos >= b->len)
            return fail_unclosed(b);
        char c = b->s[b->pos];
        if (c == b->close) {
            b->pos++;
            *end = b->pos;
            return 0;
        }
        if (c == '@' && entry_starts_at(b, b->pos)) {
            /* The entry lost its closing brace; the next one starts here. */
            size_t next_line = line_of(b, b->pos);
            wn_parser_warn(b->p, b->at_line,
                           "entry '%s' starting at line %zu is not closed before the entry "
                           "at line %zu; read it up to there",
                           entry_name(b, ename, sizeof ename), b->at_line, next_line);
            size_t e = b->pos;
            while (e > b->at && is_ws((unsigned char)b->s[e - 1]))
                e--;
            *end = e;
            return 0;
        }
        size_t name_at = b->pos;
        while (b->pos < b->len && !(stop_class[(unsigned char)b->s[b->pos]] & STOP_NAME) &&
               b->s[b->pos] != b->close)
            b->pos++;
        size_t name_len = b->pos - name_at;
        const char *name = trim(b->s + name_at, &name_len);
        skip_ws(b);
        if (b->pos >= b->len)
            return fail_unclosed(b);
        if (b->s[b->pos] != '=' || !name_len) {
            /* what was read, and the byte that stopped it */
            size_t seen = b->pos < b->len ? b->pos - name_at + 1 : b->pos - name_at;
            size_t shown = utf8_cut(b->s + name_at, seen, 40);
            wn_parser_warn(b->p, line_of(b, name_at),
                           "expected 'field = value' in entry '%s', found '%.*s'; skipped "
                           "to the next ','",
                           entry_name(b, ename, sizeof ename), (int)shown, b->s + name_at);
            if (b->pos == name_at)
                b->pos++; /* always move on */
            int rc = skip_garbage(b);
            if (rc)
                return rc;
            continue;
        }
        b->pos++;
        char field[64];
        size_t shown_len = utf8_cut(name, name_len, sizeof field - 1);
        memcpy(field, name, shown_len);
        field[shown_len] = '\0';
        piece pc;
        int rc = read_value(b, field, &pc);
        if (rc)
            return rc;
        rc = on_field(b, name, name_len, name_at, &pc);
        if (rc == WN_ENOMEM)
            return wn_err_set(b->p->err, rc, "out of memory reading field '%s' at line %zu of '%s'",
                              field, line_of(b, name_at), b->p->filename);
        if (rc)
            return rc;
        skip_ws_comments(b);
        if (b->pos < b->len && b->s[b->pos] != ',' && b->s[b->pos] != b->close &&
            b->s[b->pos] != '@')
            wn_parser_warn(b->p, line_of(b, b->pos), "missing ',' after field '%s' in entry '%s'",
                           field, entry_name(b, ename, sizeof ename));
    }
}

/* ---- entries ------------------------------------------------------------------- */

static int define_macro(bib *b, const char *name, size_t name_len, size_t name_at,
                        const piece *pc)
{
    if (pc->len > MACRO_MAX)
        return wn_parser_fail(b->p, line_of(b, name_at),
                              "value of @string '%.*s' is longer than 1 MiB",
                              (int)utf8_cut(name, name_len, 60), name);
    return macro_set(&b->macros, name, name_len, pc->s, pc->len);
}

/* Skips the {group} or (group) of an @comment or @preamble whose opening
 * delimiter is at b->pos; 0 when it is closed, -1 when it runs to the end. */
static int skip_balanced(bib *b)
{
    size_t depth = 0;
    for (size_t i = b->pos + 1; i < b->len; i++) {
        char c = b->s[i];
        if (c == '{') {
            depth++;
        } else if (c == '}' && depth) {
            depth--;
        } else if (c == b->close && depth == 0) {
            b->pos = i + 1;
            return 0;
        }
    }
    return -1;
}

static int read_entry(bib *b)
{
    char ename[128];
    wn_record *rec = b->p->rec;
    b->pos++; /* the opening delimiter */
    b->key = NULL;
    b->key_len = 0;
    b->seen = 0;
    skip_ws(b);
    size_t key_at = b->pos;
    while (b->pos < b->len && !(stop_class[(unsigned char)b->s[b->pos]] & STOP_KEY) &&
           b->s[b->pos] != b->close)
        b->pos++;
    size_t key_end = b->pos;
    skip_ws(b);
    if (b->pos >= b->len)
        return fail_unclosed(b);
    if (b->s[b->pos] == '=') {
        b->pos = key_at; /* "@misc{title = ...": no key, fields start at once */
        wn_parser_warn(b->p, b->at_line, "entry '%s' at line %zu has no key",
                       entry_name(b, ename, sizeof ename), b->at_line);
    } else {
        b->key = b->s + key_at;
        b->key_len = key_end - key_at;
        if (b->s[b->pos] == ',')
            b->pos++;
        else if (b->s[b->pos] != b->close)
            wn_parser_warn(b->p, b->at_line, "expected ',' after the key of entry '%s'",
                           entry_name(b, ename, sizeof ename));
        if (!b->key_len)
            wn_parser_warn(b->p, b->at_line, "entry '%s' at line %zu has an empty key",
                           entry_name(b, ename, sizeof ename), b->at_line);
    }

    /* The type as the record's own code, in lower case. */
    wn_buf_clear(&b->tag);
    if (wn_buf_append(&b->tag, b->type, b->type_len))
        return wn_err_set(b->p->err, WN_ENOMEM, "out of memory reading '%s'", b->p->filename);
    for (size_t i = 0; i < b->tag.len; i++)
        if (b->tag.data[i] >= 'A' && b->tag.data[i] <= 'Z')
            b->tag.data[i] += 32;
    b->in_collection = strcmp(b->tag.data, "inproceedings") == 0 ||
                       strcmp(b->tag.data, "incollection") == 0 ||
                       strcmp(b->tag.data, "conference") == 0;
    if (wn_record_add(rec, WN_F_TYPE_RAW, NULL, b->tag.data, b->tag.len) ||
        (b->key_len && wn_record_add(rec, WN_F_SOURCE_ID, NULL, b->key, b->key_len)))
        return wn_err_set(b->p->err, WN_ENOMEM, "out of memory reading '%s'", b->p->filename);

    size_t end = 0;
    int rc = read_fields(b, add_field, &end);
    if (rc)
        return rc;
    wn_origin *o = wn_record_origin(rec);
    o->line = b->at_line;
    o->offset = b->at;
    o->length = end - b->at;
    return wn_parser_emit(b->p);
}

/* Is the '@' at offset at on a line commented out with '%'? The answer
 * for the last line asked about is kept, so many '@' on one long line do
 * not each walk back to its start. */
static int in_comment_line(bib *b, size_t at)
{
    if (b->cl_known && at >= b->cl_at) {
        size_t i = b->cl_at;
        while (i < at && b->s[i] != '\n' && b->s[i] != '\r')
            i++;
        if (i == at) {
            b->cl_at = at;
            return b->cl_comment;
        }
    }
    size_t i = at;
    while (i > 0 && b->s[i - 1] != '\n' && b->s[i - 1] != '\r')
        i--;
    while (i < at && is_ws((unsigned char)b->s[i]))
        i++;
    b->cl_known = 1;
    b->cl_at = at;
    b->cl_comment = i < at && b->s[i] == '%';
    return b->cl_comment;
}

static int parse(wn_parser *p)
{
    bib b;
    memset(&b, 0, sizeof b);
    b.p = p;
    b.s = p->text;
    b.len = p->len;
    b.line = 1;
    b.raw.limit = b.dec.limit = b.name.limit = WN_RECORD_MAX;
    int rc = 0;
    size_t entries = 0;
    while (b.pos < b.len) {
        const char *at = memchr(b.s + b.pos, '@', b.len - b.pos);
        if (!at)
            break;
        b.at = (size_t)(at - b.s);
        b.pos = b.at + 1;
        if (in_comment_line(&b, b.at)) {
            while (b.pos < b.len && b.s[b.pos] != '\n' && b.s[b.pos] != '\r')
                b.pos++;
            continue;
        }
        skip_ws(&b);
        b.type = b.s + b.pos;
        while (b.pos < b.len && is_ident((unsigned char)b.s[b.pos]))
            b.pos++;
        b.type_len = (size_t)(b.s + b.pos - b.type);
        skip_ws(&b);
        if (!b.type_len || b.pos >= b.len || (b.s[b.pos] != '{' && b.s[b.pos] != '(')) {
            /* Not an entry: text outside entries is a comment. */
            b.pos = b.at + 1;
            continue;
        }
        b.open = b.s[b.pos];
        b.close = b.open == '{' ? '}' : ')';
        b.at_line = line_of(&b, b.at);
        b.key = NULL;
        b.key_len = 0;
        if (b.type_len == 7 && strncasecmp(b.type, "comment", 7) == 0) {
            /* JabRef keeps its settings here (jabref-meta). An unclosed
             * comment is outside text, like any after it (so the rest of
             * the file is not searched again for each). */
            if (b.comments_unclosed || skip_balanced(&b) != 0) {
                b.comments_unclosed = 1;
                b.pos++;
            }
            continue;
        }
        if (b.type_len == 8 && strncasecmp(b.type, "preamble", 8) == 0) {
            if (skip_balanced(&b) != 0) {
                rc = fail_unclosed(&b);
                break;
            }
            continue;
        }
        if (b.type_len == 6 && strncasecmp(b.type, "string", 6) == 0) {
            size_t end;
            b.pos++;
            rc = read_fields(&b, define_macro, &end);
            if (rc)
                break;
            continue;
        }
        entries++;
        rc = read_entry(&b);
        if (rc)
            break;
    }
    if (!rc && entries == 0)
        rc = wn_parser_fail(p, 0, "no BibTeX entries found");
    macro_free(&b.macros);
    wn_buf_free(&b.raw);
    wn_buf_free(&b.dec);
    wn_buf_free(&b.name);
    wn_buf_free(&b.tag);
    return rc;
}

/* ---- detection -------------------------------------------------------------- */

/* Counts lines that start an entry (@word{) and lines that look like a
 * field (name = { or name = "); the latter alone only count in a window
 * that is not mostly markup. */
static int sniff(const char *t, size_t n)
{
    size_t entries = 0, fields = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (t[i] == ' ' || t[i] == '\t'))
            i++;
        if (i < n && t[i] == '@') {
            size_t k = i + 1, from = k;
            while (k < n && is_alpha((unsigned char)t[k]))
                k++;
            size_t type_len = k - from;
            while (k < n && (t[k] == ' ' || t[k] == '\t'))
                k++;
            if (type_len && k < n && (t[k] == '{' || t[k] == '('))
                entries++;
        } else if (i < n && is_alpha((unsigned char)t[i])) {
            size_t k = i, from = i;
            while (k < n && (is_ident((unsigned char)t[k]) && t[k] != ':' && t[k] != '.'))
                k++;
            size_t name_len = k - from;
            while (k < n && (t[k] == ' ' || t[k] == '\t'))
                k++;
            if (name_len >= 2 && k < n && t[k] == '=') {
                k++;
                while (k < n && (t[k] == ' ' || t[k] == '\t'))
                    k++;
                if (k < n && (t[k] == '{' || t[k] == '"'))
                    fields++;
            }
        }
        const char *nl = memchr(t + i, '\n', n - i);
        const char *cr = memchr(t + i, '\r', nl ? (size_t)(nl - (t + i)) : n - i);
        if (cr)
            nl = cr;
        if (!nl)
            break;
        i = (size_t)(nl - t) + 1;
    }
    if (entries >= 2 || (entries && fields))
        return 95;
    if (entries)
        return 70;
    if (fields >= 3) {
        /* XML wrapped at attributes (name="x") has lines like fields, and
         * closing tags. */
        size_t markup = 0;
        for (const char *lt = memchr(t, '<', n); lt && lt + 1 < t + n;
             lt = memchr(lt + 1, '<', (size_t)(t + n - lt - 1)))
            markup += lt[1] == '/';
        return markup < fields ? 40 : 0;
    }
    return 0;
}

const wn_format wn_format_bibtex = {"bibtex", "BibTeX", sniff, parse};
