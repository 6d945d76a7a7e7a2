/* Ovid text export ("Citation format: Complete Reference", fields on their
 * own lines), as Ovid MEDLINE, Embase and PsycINFO write it:
 *
 *   <12>
 *   Accession Number
 *     00042637-900000000-99667.
 *   Author
 *     Holstiege, Jakob 1;  Mathes, Tim 2
 *   Title
 *     Effects of computer-aided clinical decision support systems ...
 *   Source
 *     Journal of the American Medical Informatics Association. 21(2):103-106, 2014.
 *
 * A line "<n>" starts each record; a field's name stands at the line start
 * and its value is on the indented lines below it. Lines before the first
 * record (the database and search strategy Ovid prints first) are not
 * records and are reported in one warning. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "import/parser.h"
#include "import/tagged.h"

/* How a field's value lines become values. */
enum how {
    HOW_TEXT,    /* lines joined by spaces */
    HOW_ITEMS,   /* each line a value */
    HOW_SEMI,    /* values separated by ";" (and by line) */
    HOW_AUTHORS, /* names separated by ";" or by runs of spaces */
    HOW_SOURCE,  /* kept, and journal, volume, issue, pages, year derived */
    HOW_ID,      /* one value, without Ovid's trailing full stop */
};

typedef struct ovid_field {
    const char *name; /* compared ignoring case */
    int field;        /* -1: an extra tagged with the field name */
    enum how how;
} ovid_field;

static const ovid_field fields[] = {
    {"Author", WN_F_AUTHOR, HOW_AUTHORS},
    {"Authors", WN_F_AUTHOR, HOW_AUTHORS},
    {"Title", WN_F_TITLE, HOW_TEXT},
    {"Chapter Title", -1, HOW_TEXT}, /* settled once the record is read */
    {"Abstract", WN_F_ABSTRACT, HOW_TEXT},
    {"Source", -1, HOW_SOURCE},
    {"Journal Name", WN_F_JOURNAL, HOW_TEXT},
    {"Journal Title", WN_F_JOURNAL, HOW_TEXT},
    {"Volume", WN_F_VOLUME, HOW_ID},
    {"Issue", WN_F_ISSUE, HOW_ID},
    {"Issue/Part", WN_F_ISSUE, HOW_ID},
    {"Page", WN_F_PAGES, HOW_ID},
    {"Pages", WN_F_PAGES, HOW_ID},
    {"Publication Type", WN_F_TYPE_RAW, HOW_ID},
    {"Document Type", WN_F_TYPE_RAW, HOW_ID},
    {"Author Keywords", WN_F_KEYWORD, HOW_SEMI},
    {"Keywords", WN_F_KEYWORD, HOW_SEMI},
    {"Keyword Heading", WN_F_KEYWORD, HOW_SEMI},
    {"MeSH Subject Headings", WN_F_KEYWORD, HOW_ITEMS},
    {"Subject Headings", WN_F_KEYWORD, HOW_ITEMS},
    {"Language", WN_F_LANGUAGE, HOW_ID},
    {"ISSN", WN_F_ISSN, HOW_SEMI},
    {"Print ISSN", WN_F_ISSN, HOW_SEMI},
    {"Electronic ISSN", WN_F_ISSN, HOW_SEMI},
    {"ISBN", WN_F_ISBN, HOW_SEMI},
    {"DOI Number", WN_F_DOI, HOW_ID},
    {"Digital Object Identifier", WN_F_DOI, HOW_ID},
    {"DOI", WN_F_DOI, HOW_ID},
    {"Accession Number", WN_F_SOURCE_ID, HOW_ID},
    {"Unique Identifier", WN_F_SOURCE_ID, HOW_ID},
    {"PubMed Identifier", WN_F_PMID, HOW_ID},
    {"PMID", WN_F_PMID, HOW_ID},
    {"Year of Publication", WN_F_YEAR, HOW_ID},
    {"Publication Year", WN_F_YEAR, HOW_ID},
    {"Date of Publication", WN_F_DATE, HOW_ID},
    {"Publisher", WN_F_PUBLISHER, HOW_TEXT},
    {"URL", WN_F_URL, HOW_ITEMS},
    {"Link to the Ovid Full Text or citation", WN_F_URL, HOW_ITEMS},
    {"Link to the External Link Resolver", WN_F_URL, HOW_ITEMS},
};

static const ovid_field *field_for(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strlen(fields[i].name) == len && strncasecmp(fields[i].name, name, len) == 0)
            return &fields[i];
    return NULL;
}

/* "<12>" (spaces may follow): a record's first line. */
static int is_marker(const char *s, size_t n)
{
    wn_tagged_trim(&s, &n);
    if (n < 3 || s[0] != '<' || s[n - 1] != '>')
        return 0;
    for (size_t i = 1; i + 1 < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int is_indented(const char *s, size_t n) { return n && (s[0] == ' ' || s[0] == '\t'); }

/* ---- values ---------------------------------------------------------------- */

static void trim_stop(const char **s, size_t *n)
{
    wn_tagged_trim(s, n);
    if (*n && (*s)[*n - 1] == '.')
        (*n)--;
    wn_tagged_trim(s, n);
}

/* One author: "Holstiege, Jakob 1" loses its affiliation number; "Max
 * [Ed]" is an editor. */
static int add_author(wn_record *rec, const char *s, size_t n)
{
    wn_tagged_trim(&s, &n);
    while (n && (isdigit((unsigned char)s[n - 1]) || s[n - 1] == ','))
        n--;
    wn_tagged_trim(&s, &n);
    if (!n)
        return 0;
    if (n > 5 && strncasecmp(s + n - 4, "[Ed]", 4) == 0) {
        size_t k = n - 4;
        while (k && s[k - 1] == ' ')
            k--;
        return wn_record_add(rec, WN_F_EXTRA, "Editor", s, k);
    }
    return wn_record_add(rec, WN_F_AUTHOR, "Author", s, n);
}

/* Names separated by ";" or, where there is none, by two or more spaces. */
static int add_authors(wn_record *rec, const char *s, size_t n)
{
    int semi = memchr(s, ';', n) != NULL;
    size_t a = 0;
    for (size_t k = 0; k <= n; k++) {
        int cut = k == n || (semi ? s[k] == ';' : (s[k] == ' ' && k + 1 < n && s[k + 1] == ' '));
        if (!cut)
            continue;
        int rc = add_author(rec, s + a, k - a);
        if (rc)
            return rc;
        while (!semi && k + 1 < n && s[k + 1] == ' ')
            k++;
        a = k + 1;
    }
    return 0;
}

static int add_semi(wn_record *rec, wn_field f, const char *tag, const char *s, size_t n)
{
    size_t a = 0;
    for (size_t k = 0; k <= n; k++) {
        if (k < n && s[k] != ';')
            continue;
        const char *v = s + a;
        size_t vn = k - a;
        trim_stop(&v, &vn);
        int rc = vn ? wn_record_add(rec, f, tag, v, vn) : 0;
        if (rc)
            return rc;
        a = k + 1;
    }
    return 0;
}

static int add_if_absent(wn_record *rec, wn_field f, const char *s, size_t n)
{
    return n && !wn_record_count(rec, f) ? wn_record_add(rec, f, NULL, s, n) : 0;
}

static size_t digits_at(const char *s, size_t n, size_t i)
{
    size_t k = i;
    while (k < n && isdigit((unsigned char)s[k]))
        k++;
    return k - i;
}

/* Journal, volume, issue, pages and year from a citation line such as
 * "Journal Name. 28(2):103-106, April 2015." or "Journal Name. Vol 28(2)
 * April 2015, 103-106." Only fields the record lacks are added. */
static int add_source_fields(wn_record *rec, const char *s, size_t n)
{
    int rc = 0;
    /* The journal is the text before the first full stop; a book's source
     * starts with its editor or year instead ("Editor(2015). Title."). */
    const char *dot = NULL;
    for (size_t i = 0; i < n && !dot; i++)
        if (s[i] == '.' && (i + 1 == n || s[i + 1] == ' '))
            dot = s + i;
    if (dot && !memchr(s, '(', (size_t)(dot - s))) {
        const char *j = s;
        size_t jn = (size_t)(dot - s);
        wn_tagged_trim(&j, &jn);
        rc = add_if_absent(rec, WN_F_JOURNAL, j, jn);
    }
    size_t from = dot ? (size_t)(dot - s) + 1 : 0;
    for (size_t i = from; i < n && !rc; i++) {
        if (i && isalnum((unsigned char)s[i - 1]))
            continue;
        size_t vol = digits_at(s, n, i);
        if (!vol)
            continue;
        size_t k = i + vol, iss_at = 0, iss = 0;
        if (k < n && s[k] == '(') {
            iss_at = k + 1;
            while (iss_at + iss < n && s[iss_at + iss] != ')' && iss < 20)
                iss++;
            if (iss_at + iss >= n || s[iss_at + iss] != ')')
                continue;
            k = iss_at + iss + 1;
        }
        if (k < n && s[k] == ':') {
            size_t pages = 0;
            while (k + 1 + pages < n && (isalnum((unsigned char)s[k + 1 + pages]) ||
                                         s[k + 1 + pages] == '-'))
                pages++;
            rc = add_if_absent(rec, WN_F_VOLUME, s + i, vol);
            if (!rc && iss)
                rc = add_if_absent(rec, WN_F_ISSUE, s + iss_at, iss);
            if (!rc)
                rc = add_if_absent(rec, WN_F_PAGES, s + k + 1, pages);
            break;
        }
        /* "Vol 28(2)" */
        if (i >= 4 && strncasecmp(s + i - 4, "Vol ", 4) == 0) {
            rc = add_if_absent(rec, WN_F_VOLUME, s + i, vol);
            if (!rc && iss)
                rc = add_if_absent(rec, WN_F_ISSUE, s + iss_at, iss);
        }
    }
    /* "pp. 103-106" or ", 103-106." after the date */
    for (size_t i = from; i + 1 < n && !rc && !wn_record_count(rec, WN_F_PAGES); i++) {
        size_t a = digits_at(s, n, i);
        if (!a || (i && isalnum((unsigned char)s[i - 1])) || i + a >= n || s[i + a] != '-')
            continue;
        size_t b = digits_at(s, n, i + a + 1);
        if (b)
            rc = add_if_absent(rec, WN_F_PAGES, s + i, a + 1 + b);
        i += a;
    }
    /* The year: the last 19xx or 20xx standing alone. */
    const char *year = NULL;
    for (size_t i = 0; i + 4 <= n; i++)
        if (digits_at(s, n, i) == 4 && (i == 0 || !isalnum((unsigned char)s[i - 1])) &&
            (s[i] == '1' || s[i] == '2') && (s[i + 1] == '9' || s[i + 1] == '0'))
            year = s + i;
    if (!rc && year)
        rc = add_if_absent(rec, WN_F_YEAR, year, 4);
    return rc;
}

/* ---- records ----------------------------------------------------------------- */

typedef struct ovid {
    wn_parser *p;
    const ovid_field *field; /* the field whose value lines come next */
    char name[64];           /* its name as written (tag of an extra) */
    wn_buf text;             /* a HOW_TEXT or HOW_SOURCE value being joined */
    int have_text;
} ovid;

/* Stores the value joined so far. */
static int flush_text(ovid *o)
{
    if (!o->have_text)
        return 0;
    o->have_text = 0;
    wn_record *rec = o->p->rec;
    const ovid_field *f = o->field;
    const char *s = o->text.data;
    size_t n = o->text.len;
    if (!f || f->field < 0) {
        int rc = wn_record_add(rec, WN_F_EXTRA, o->name, s, n);
        if (!rc && f && f->how == HOW_SOURCE)
            rc = add_source_fields(rec, s, n);
        return rc;
    }
    return wn_record_add(rec, (wn_field)f->field, o->name, s, n);
}

/* One indented line of the current field's value. */
static int value_line(ovid *o, const char *s, size_t n)
{
    wn_tagged_trim(&s, &n);
    if (!n)
        return 0;
    const ovid_field *f = o->field;
    enum how how = f ? f->how : HOW_ITEMS;
    wn_record *rec = o->p->rec;
    switch (how) {
    case HOW_AUTHORS:
        return add_authors(rec, s, n);
    case HOW_SEMI:
        return add_semi(rec, (wn_field)f->field, o->name, s, n);
    case HOW_ID:
        trim_stop(&s, &n);
        if (!n || (n == 1 && s[0] == '-'))
            return 0;
        return wn_record_add(rec, (wn_field)f->field, o->name, s, n);
    case HOW_ITEMS:
        if (f && f->field >= 0)
            return wn_record_add(rec, (wn_field)f->field, o->name, s, n);
        break; /* unknown fields: their lines are joined as written */
    default:
        break;
    }
    if (o->have_text && wn_buf_putc(&o->text, how == HOW_ITEMS ? '\n' : ' '))
        return WN_ENOMEM;
    if (!o->have_text)
        wn_buf_clear(&o->text);
    o->have_text = 1;
    return wn_buf_append(&o->text, s, n);
}

/* A book chapter names the chapter as "Chapter Title" and the book as
 * "Title": the chapter is the record's title, the book its container. */
static int settle_chapter(wn_record *rec)
{
    size_t chapter = SIZE_MAX, title = SIZE_MAX;
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field == WN_F_EXTRA && v.tag && strcasecmp(v.tag, "Chapter Title") == 0)
            chapter = chapter == SIZE_MAX ? i : chapter;
        else if (v.field == WN_F_TITLE)
            title = title == SIZE_MAX ? i : title;
    }
    if (chapter == SIZE_MAX)
        return 0;
    int rc = 0;
    if (title != SIZE_MAX && !wn_record_count(rec, WN_F_JOURNAL))
        rc = wn_record_retag_at(rec, title, WN_F_JOURNAL, "Title");
    else if (title != SIZE_MAX)
        return 0;
    return rc ? rc : wn_record_retag_at(rec, chapter, WN_F_TITLE, "Chapter Title");
}

static int end_record(ovid *o, wn_tagged_span *span, int open)
{
    if (!open)
        return 0;
    int rc = flush_text(o);
    if (!rc)
        rc = settle_chapter(o->p->rec);
    if (rc)
        return wn_tagged_out_of_room(o->p, span->line, rc, "is a '<n>' line missing?");
    o->field = NULL;
    return wn_tagged_emit(o->p, span);
}

static int parse(wn_parser *p)
{
    ovid o;
    memset(&o, 0, sizeof o);
    o.p = p;
    o.text = (wn_buf)WN_BUF_INIT;
    o.text.limit = WN_RECORD_MAX;
    wn_lines it;
    wn_lines_init(&it, p->text, p->len);
    wn_tagged_span span;
    wn_pending unused;
    wn_stray stray = {0, 0};
    int open = 0, rc = 0;
    const char *s;
    size_t n, off;
    while (!rc && wn_tagged_next_line(&it, &s, &n, &off)) {
        if (is_marker(s, n)) {
            if ((rc = end_record(&o, &span, open)))
                break;
            open = 1;
            wn_tagged_begin(&span, &unused, it.lineno, off, it.pos);
            continue;
        }
        if (!open) {
            if (!wn_tagged_all_blank(s, n))
                wn_stray_note(&stray, it.lineno);
            continue;
        }
        span.end = it.pos;
        if (wn_tagged_all_blank(s, n))
            continue;
        if (is_indented(s, n)) {
            rc = value_line(&o, s, n);
        } else {
            /* A field name: the value before it is complete. */
            if (!(rc = flush_text(&o))) {
                const char *name = s;
                size_t nn = n;
                wn_tagged_trim(&name, &nn);
                o.field = field_for(name, nn);
                snprintf(o.name, sizeof o.name, "%.*s", (int)(nn < 63 ? nn : 63), name);
            }
        }
        if (rc)
            rc = wn_tagged_out_of_room(p, span.line, rc, "is a '<n>' line missing?");
    }
    if (!rc)
        rc = end_record(&o, &span, open);
    if (!rc) {
        wn_stray_report(p, &stray, "text before the first '<n>' record line");
        if (!open)
            rc = wn_parser_fail(p, 0, "no record (expected a line '<1>' before each record)");
    }
    wn_buf_free(&o.text);
    return rc;
}

/* ---- sniffing ------------------------------------------------------------ */

/* A "<n>" line followed by a field name and an indented value is Ovid;
 * field names with indented values alone (a window from a file's middle)
 * are weaker evidence. */
static int sniff(const char *text, size_t len)
{
    wn_lines it;
    wn_lines_init(&it, text, len);
    const char *s;
    size_t n;
    int after_marker = 0, after_name = 0, markers = 0, pairs = 0, lines = 0;
    while (wn_tagged_next_filled(&it, &s, &n) && lines++ < 400) {
        if (is_marker(s, n)) {
            markers++;
            after_marker = 1, after_name = 0;
            continue;
        }
        if (is_indented(s, n)) {
            if (after_name) {
                pairs++;
                if (after_marker == 2)
                    return 95;
            }
            after_name = 0;
            continue;
        }
        after_name = n < 64;
        after_marker = after_marker == 1 && after_name ? 2 : 0;
    }
    if (markers && pairs >= 2)
        return 60;
    return !markers && pairs >= 4 && pairs * 4 >= lines ? 25 : 0;
}

const wn_format wn_format_ovid = {"ovid", "Ovid text", sniff, parse};
