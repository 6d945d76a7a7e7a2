/* EndNote tagged text (refer format, .enw and EndNote "Refer/BibIX" export):
 *
 *   %0 Journal Article
 *   %A Doe, Jane
 *   %T A title
 *   %J Journal Name
 *   %K first keyword
 *   second keyword
 *
 * Each line is "%X value" with a one-character tag; a line not starting with
 * a tag continues the value above it (a new item for names, keywords, URLs
 * and serial numbers, which EndNote writes one per line). Records are
 * separated by blank lines; %0 (the reference type) is optional, so a record
 * is any block of tag lines, whatever tag it starts with. */
#include <string.h>
#include <strings.h>

#include "import/parser.h"
#include "import/tagged.h"

/* What storing a value needs beyond adding it to the field. */
enum how {
    HOW_PLAIN,
    HOW_SECONDARY, /* %B: the journal, book or proceedings unless %J says */
    HOW_DOI,       /* %R: the DOI, when it is one */
    HOW_SERIAL,    /* %@: ISSNs and ISBNs alike */
};

typedef struct enl_tag {
    unsigned char known;
    unsigned char field;
    unsigned char join;
    unsigned char how;
} enl_tag;

#define T(c, f, j, h) [(unsigned char)(c)] = {1, f, j, h}

static const enl_tag tag_table[128] = {
    T('0', WN_F_TYPE_RAW, WN_JOIN_SPACE, HOW_PLAIN),
    T('A', WN_F_AUTHOR, WN_JOIN_SPLIT, HOW_PLAIN),
    T('T', WN_F_TITLE, WN_JOIN_SPACE, HOW_PLAIN),
    T('J', WN_F_JOURNAL, WN_JOIN_SPACE, HOW_PLAIN),
    T('B', WN_F_JOURNAL, WN_JOIN_SPACE, HOW_SECONDARY),
    T('D', WN_F_YEAR, WN_JOIN_SPACE, HOW_PLAIN),
    T('8', WN_F_DATE, WN_JOIN_SPACE, HOW_PLAIN),
    T('V', WN_F_VOLUME, WN_JOIN_SPACE, HOW_PLAIN),
    T('N', WN_F_ISSUE, WN_JOIN_SPACE, HOW_PLAIN),
    T('P', WN_F_PAGES, WN_JOIN_SPACE, HOW_PLAIN),
    T('R', WN_F_DOI, WN_JOIN_SPACE, HOW_DOI),
    T('@', WN_F_ISSN, WN_JOIN_SPLIT, HOW_SERIAL),
    T('K', WN_F_KEYWORD, WN_JOIN_SPLIT, HOW_PLAIN),
    T('X', WN_F_ABSTRACT, WN_JOIN_SPACE, HOW_PLAIN),
    T('U', WN_F_URL, WN_JOIN_SPLIT, HOW_PLAIN),
    T('I', WN_F_PUBLISHER, WN_JOIN_SPACE, HOW_PLAIN),
    T('G', WN_F_LANGUAGE, WN_JOIN_SPACE, HOW_PLAIN),
    T('M', WN_F_SOURCE_ID, WN_JOIN_SPACE, HOW_PLAIN),
    T('9', WN_F_PUBTYPE, WN_JOIN_SPACE, HOW_PLAIN),
    /* extras: editors and other people one per line, notes as written */
    T('E', WN_F_EXTRA, WN_JOIN_SPLIT, HOW_PLAIN),
    T('Y', WN_F_EXTRA, WN_JOIN_SPLIT, HOW_PLAIN),
    T('?', WN_F_EXTRA, WN_JOIN_SPLIT, HOW_PLAIN),
    T('+', WN_F_EXTRA, WN_JOIN_SPLIT, HOW_PLAIN),
    T('Z', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_PLAIN),
    T('O', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_PLAIN),
    T('<', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_PLAIN),
};

static const enl_tag unknown_tag = {0, WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_PLAIN};

static const enl_tag *tag_info(unsigned char c)
{
    return c < 128 && tag_table[c].known ? &tag_table[c] : &unknown_tag;
}

typedef struct enl {
    wn_parser *p;

    /* the record being read */
    int open;
    wn_tagged_span span;
    int after_blank;       /* a blank line followed the record's last line */
    int warned_blank_join; /* one warning per record */

    wn_pending pend; /* tag: the tag character */
    wn_stray stray;
} enl;

/* ---- lines ----------------------------------------------------------------- */

/* "%X value" or a bare "%X": the tag is one printable ASCII character other
 * than a space or '%' ("% of patients" and "%%" are text). */
static int tag_line(const char *s, size_t n, int *tag, const char **val, size_t *val_len)
{
    if (n < 2 || s[0] != '%')
        return 0;
    unsigned char c = (unsigned char)s[1];
    if (c <= ' ' || c >= 0x7F || c == '%')
        return 0;
    if (n > 2 && !wn_tagged_is_blank((unsigned char)s[2]))
        return 0;
    *tag = c;
    const char *v = s + 2;
    size_t vn = n - 2;
    wn_tagged_trim(&v, &vn);
    *val = v;
    *val_len = vn;
    return 1;
}

/* ---- storing values ------------------------------------------------------ */

static int has_doi_prefix(const char *v, size_t n)
{
    for (size_t i = 0; i + 3 < n; i++)
        if (v[i] == '1' && v[i + 1] == '0' && v[i + 2] == '.')
            return 1;
    return 0;
}

/* %@ holds ISSNs and ISBNs alike, sometimes several on a line: 8 digits make
 * an ISSN, 10 or 13 an ISBN; anything else stays an extra. */
static int store_serial(wn_record *rec, const char *tag, const char *v, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && v[i] != ';' && v[i] != ',')
            continue;
        const char *part = v + start;
        size_t len = i - start, digits = 0;
        start = i + 1;
        for (size_t k = 0; k < len && part[k] != '('; k++)
            digits += (part[k] >= '0' && part[k] <= '9') || part[k] == 'X' || part[k] == 'x';
        wn_field f = digits == 8 ? WN_F_ISSN : digits == 10 || digits == 13 ? WN_F_ISBN
                                                                             : WN_F_EXTRA;
        int rc = wn_record_add(rec, f, tag, part, len);
        if (rc)
            return rc;
    }
    return 0;
}

static int store(void *reader, int c, const char *v, size_t n)
{
    enl *e = reader;
    const enl_tag *t = tag_info((unsigned char)c);
    char tag[3] = {'%', (char)c, '\0'};
    wn_record *rec = e->p->rec;
    switch ((enum how)t->how) {
    case HOW_DOI:
        return wn_record_add(rec, has_doi_prefix(v, n) ? WN_F_DOI : WN_F_EXTRA, tag, v, n);
    case HOW_SERIAL:
        return store_serial(rec, tag, v, n);
    case HOW_SECONDARY:
    case HOW_PLAIN:
        break;
    }
    return wn_record_add(rec, (wn_field)t->field, tag, v, n);
}

static int out_of_room(enl *e, int rc)
{
    return wn_tagged_out_of_room(e->p, e->span.line, rc,
                                 "is a blank line between records missing?");
}

static int flush(enl *e)
{
    return out_of_room(e, wn_pending_flush(&e->pend, &e->p->scratch, store, e));
}

static int continue_value(enl *e, const char *s, size_t n)
{
    if (e->pend.tag < 0)
        return 0;
    wn_tagged_trim(&s, &n);
    wn_join join = (wn_join)tag_info((unsigned char)e->pend.tag)->join;
    return out_of_room(e, wn_pending_continue(&e->pend, &e->p->scratch, join, s, n, store, e));
}

/* ---- records --------------------------------------------------------------- */

/* EndNote's reference types (%0) as winnow types. */
static const char *type_of(const char *code)
{
    static const struct {
        const char *code, *type;
    } types[] = {
        {"Journal Article", "article"},
        {"Electronic Article", "article"},
        {"Magazine Article", "magazine"},
        {"Newspaper Article", "newspaper"},
        {"Book", "book"},
        {"Edited Book", "book"},
        {"Electronic Book", "book"},
        {"Book Section", "chapter"},
        {"Electronic Book Section", "chapter"},
        {"Conference Proceedings", "conference"},
        {"Conference Paper", "conference"},
        {"Conference", "conference"},
        {"Thesis", "thesis"},
        {"Report", "report"},
        {"Government Document", "report"},
        {"Generic", "generic"},
        {"Web Page", "web"},
        {"Patent", "patent"},
        {"Dataset", "dataset"},
        {"Unpublished Work", "unpublished"},
        {"Manuscript", "unpublished"},
        {"Case", "legal"},
        {"Statute", "legal"},
        {"Standard", "standard"},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcasecmp(code, types[i].code) == 0)
            return types[i].type;
    return NULL;
}

static int is_whole_book(const char *type) { return type && strcmp(type, "book") == 0; }

/* Choices that need the whole record: the type, and what %B is. */
static int settle_record(wn_record *rec)
{
    size_t n = wn_record_size(rec);
    int have_j = 0, have_code = 0;
    const char *type = NULL;
    for (size_t i = 0; i < n; i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field == WN_F_JOURNAL && strcmp(v.tag, "%J") == 0) {
            have_j = 1;
        } else if (v.field == WN_F_TYPE_RAW && !have_code) {
            /* The first %0 is the type; later ones become extras. */
            have_code = 1;
            type = type_of(v.value);
        }
    }
    /* %B is the secondary title: the journal without %J, the book of a
     * section, a conference's proceedings; for a whole book, its series. */
    int rc = 0;
    for (size_t i = 0; (have_j || is_whole_book(type)) && i < n && !rc; i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field == WN_F_JOURNAL && strcmp(v.tag, "%B") == 0)
            rc = wn_record_retag_at(rec, i, WN_F_EXTRA, "%B");
    }
    if (!rc && type)
        rc = wn_record_add(rec, WN_F_TYPE, NULL, type, strlen(type));
    return rc;
}

static void begin_record(enl *e, size_t line, size_t offset)
{
    e->open = 1;
    wn_tagged_begin(&e->span, &e->pend, line, offset, offset);
    e->after_blank = 0;
    e->warned_blank_join = 0;
}

static int end_record(enl *e)
{
    wn_parser *p = e->p;
    int rc = flush(e);
    if (!rc)
        rc = out_of_room(e, settle_record(p->rec));
    if (rc)
        return rc;
    e->open = 0;
    return wn_tagged_emit_filled(p, &e->span);
}

static void report_stray(enl *e)
{
    wn_stray_report(e->p, &e->stray, "expected lines like '%T title'");
}

/* ---- the reader ------------------------------------------------------------ */

static int parse(wn_parser *p)
{
    enl e;
    memset(&e, 0, sizeof e);
    e.p = p;
    e.pend.tag = -1;
    wn_lines it;
    wn_lines_init(&it, p->text, p->len);
    const char *s;
    size_t n, off;
    int rc;
    while (wn_tagged_next_line(&it, &s, &n, &off)) {
        if (wn_tagged_all_blank(s, n)) {
            e.after_blank = e.open;
            continue;
        }
        int tag;
        const char *v;
        size_t vn;
        if (tag_line(s, n, &tag, &v, &vn)) {
            /* A blank line ends a record once the next one begins. */
            if (e.open && e.after_blank && (rc = end_record(&e)))
                return rc;
            if (!e.open) {
                report_stray(&e);
                begin_record(&e, it.lineno, off);
            } else if ((rc = flush(&e))) {
                return rc;
            }
            wn_pending_set(&e.pend, tag, v, vn);
            e.span.end = it.pos;
            continue;
        }
        if (!e.open) {
            wn_stray_note(&e.stray, it.lineno);
            continue;
        }
        if (e.after_blank && !e.warned_blank_join) {
            /* Text after a blank line: a paragraph break inside a value. */
            e.warned_blank_join = 1;
            wn_parser_warn(p, it.lineno,
                           "text after a blank line joined to the value above (a record's "
                           "lines start with '%%' and a tag)");
        }
        e.after_blank = 0;
        if ((rc = continue_value(&e, s, n)))
            return rc;
        e.span.end = it.pos;
    }
    if (e.open && (rc = end_record(&e)))
        return rc;
    report_stray(&e);
    if (p->records == 0)
        return wn_parser_fail(p, 0,
                              "no EndNote tagged records found (expected lines like "
                              "'%%0 Journal Article' or '%%T title')");
    return 0;
}

/* ---- detection ------------------------------------------------------------- */

static int sniff(const char *text, size_t len)
{
    wn_lines it;
    wn_lines_init(&it, text, len);
    const char *s;
    size_t n;
    size_t nonblank = 0, tags = 0, types = 0;
    while (wn_tagged_next_filled(&it, &s, &n)) {
        nonblank++;
        int tag;
        const char *v;
        size_t vn;
        if (tag_line(s, n, &tag, &v, &vn)) {
            tags++;
            types += tag == '0';
        }
    }
    if (!tags)
        return 0;
    size_t share = tags * 100 / nonblank;
    if (types && share >= 30)
        return (int)(60 + share * 2 / 5);
    if (share >= 50)
        return (int)(30 + share / 2);
    return share >= 25 && tags >= 3 ? 25 : 0;
}

const wn_format wn_format_endnote_tagged = {"endnote-tagged", "EndNote tagged", sniff, parse};
