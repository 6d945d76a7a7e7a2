#define _GNU_SOURCE /* memmem */
/* EndNote XML: <xml><records><record>...</record></records></xml>, as
 * EndNote, Mendeley and Zotero export it.
 *
 * Each record holds one element per field (<pages>, <volume>) or a group of
 * them (<titles>, <contributors><authors>, <dates>, <urls>); EndNote wraps
 * field text in <style face=... font=...> runs, Mendeley and Zotero write it
 * bare. A field's value is all the text inside its element, whatever the
 * runs and nesting. Known elements map to fields; every other element is an
 * extra tagged with its name. <isbn> holds ISBNs and ISSNs alike; the
 * accession number is the PMID only when the record names PubMed, NLM or
 * MEDLINE as its remote database (Web of Science and others put their own
 * numbers there).
 *
 * The input is read with libxml2's streaming reader, so memory stays small
 * however many records there are. Entities are never substituted, no DTD is
 * loaded and the network is off: an entity bomb or an external entity is
 * refused by the parser or left as the "&name;" it was written as. Errors go
 * to a handler of our own, never to stderr; the first one ends the parse. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#include "import/parser.h"
#include "winnow/normalize.h"

/* ---- element names ---------------------------------------------------- */

/* The elements the reader knows by name; N_OTHER is any other. */
typedef enum name_id {
    N_OTHER,
    N_RECORD, N_STYLE,
    /* groups */
    N_CONTRIBUTORS, N_AUTHORS, N_SECONDARY_AUTHORS, N_TERTIARY_AUTHORS,
    N_SUBSIDIARY_AUTHORS, N_TRANSLATED_AUTHORS, N_TITLES, N_PERIODICAL,
    N_ALT_PERIODICAL, N_DATES, N_PUB_DATES, N_COPYRIGHT_DATES, N_KEYWORDS, N_URLS,
    N_RELATED_URLS, N_WEB_URLS, N_PDF_URLS, N_TEXT_URLS, N_IMAGE_URLS, N_FOREIGN_KEYS,
    /* fields */
    N_AUTHOR, N_TITLE, N_SECONDARY_TITLE, N_ALT_TITLE, N_FULL_TITLE, N_ABBR_1, N_YEAR,
    N_DATE, N_KEYWORD, N_URL, N_REF_TYPE, N_REC_NUMBER, N_PAGES, N_VOLUME, N_NUMBER,
    N_ISSUE, N_ISBN, N_ELECTRONIC_RESOURCE_NUM, N_ACCESSION_NUM,
    N_REMOTE_DATABASE_PROVIDER, N_REMOTE_DATABASE_NAME, N_ABSTRACT, N_PUBLISHER,
    N_LANGUAGE, N_WORK_TYPE,
    N_COUNT
} name_id;

static const char *const element_names[N_COUNT] = {
    [N_RECORD] = "record", [N_STYLE] = "style",
    [N_CONTRIBUTORS] = "contributors", [N_AUTHORS] = "authors",
    [N_SECONDARY_AUTHORS] = "secondary-authors", [N_TERTIARY_AUTHORS] = "tertiary-authors",
    [N_SUBSIDIARY_AUTHORS] = "subsidiary-authors",
    [N_TRANSLATED_AUTHORS] = "translated-authors", [N_TITLES] = "titles",
    [N_PERIODICAL] = "periodical", [N_ALT_PERIODICAL] = "alt-periodical",
    [N_DATES] = "dates", [N_PUB_DATES] = "pub-dates", [N_COPYRIGHT_DATES] = "copyright-dates",
    [N_KEYWORDS] = "keywords", [N_URLS] = "urls", [N_RELATED_URLS] = "related-urls",
    [N_WEB_URLS] = "web-urls", [N_PDF_URLS] = "pdf-urls", [N_TEXT_URLS] = "text-urls",
    [N_IMAGE_URLS] = "image-urls", [N_FOREIGN_KEYS] = "foreign-keys",
    [N_AUTHOR] = "author", [N_TITLE] = "title", [N_SECONDARY_TITLE] = "secondary-title",
    [N_ALT_TITLE] = "alt-title", [N_FULL_TITLE] = "full-title", [N_ABBR_1] = "abbr-1",
    [N_YEAR] = "year", [N_DATE] = "date", [N_KEYWORD] = "keyword", [N_URL] = "url",
    [N_REF_TYPE] = "ref-type", [N_REC_NUMBER] = "rec-number", [N_PAGES] = "pages",
    [N_VOLUME] = "volume", [N_NUMBER] = "number", [N_ISSUE] = "issue", [N_ISBN] = "isbn",
    [N_ELECTRONIC_RESOURCE_NUM] = "electronic-resource-num",
    [N_ACCESSION_NUM] = "accession-num",
    [N_REMOTE_DATABASE_PROVIDER] = "remote-database-provider",
    [N_REMOTE_DATABASE_NAME] = "remote-database-name", [N_ABSTRACT] = "abstract",
    [N_PUBLISHER] = "publisher", [N_LANGUAGE] = "language", [N_WORK_TYPE] = "work-type",
};

static int is_group(name_id n) { return n >= N_CONTRIBUTORS && n <= N_FOREIGN_KEYS; }

/* ---- what a field's text becomes ---------------------------------------- */

typedef enum how {
    H_PLAIN,      /* into `field` under `tag` */
    H_REF_TYPE,   /* the type number; its name came with the start tag */
    H_ISBN,       /* ISBNs and ISSNs, told apart by length */
    H_DOI,        /* a DOI, or an extra when it holds none */
    H_ACCESSION,  /* an extra, or the PMID when the record came from PubMed */
    H_REMOTE_DB,  /* an extra that may say the record came from PubMed */
    H_FULL_TITLE, /* the journal when no secondary title named it */
    H_LIST,       /* one value per line into `field` */
} how;

typedef struct mapping {
    wn_field field;
    const char *tag;
    how how;
} mapping;

static const mapping
    m_author = {WN_F_AUTHOR, "author", H_PLAIN},
    m_secondary_author = {WN_F_EXTRA, "secondary-author", H_PLAIN},
    m_tertiary_author = {WN_F_EXTRA, "tertiary-author", H_PLAIN},
    m_subsidiary_author = {WN_F_EXTRA, "subsidiary-author", H_PLAIN},
    m_translated_author = {WN_F_EXTRA, "translated-author", H_PLAIN},
    m_title = {WN_F_TITLE, "title", H_PLAIN},
    m_secondary_title = {WN_F_JOURNAL, "secondary-title", H_PLAIN},
    m_alt_title = {WN_F_JOURNAL_ABBR, "alt-title", H_PLAIN},
    m_full_title = {WN_F_JOURNAL, "full-title", H_FULL_TITLE},
    m_abbr_1 = {WN_F_JOURNAL_ABBR, "abbr-1", H_PLAIN},
    m_alt_periodical = {WN_F_EXTRA, "alt-periodical", H_PLAIN},
    m_year = {WN_F_YEAR, "year", H_PLAIN},
    m_pub_date = {WN_F_DATE, "date", H_PLAIN},
    m_copyright_date = {WN_F_EXTRA, "copyright-date", H_PLAIN},
    m_keyword = {WN_F_KEYWORD, "keyword", H_LIST},
    m_url = {WN_F_URL, "url", H_PLAIN},
    m_web_url = {WN_F_URL, "web-url", H_PLAIN},
    m_pdf_url = {WN_F_EXTRA, "pdf-url", H_PLAIN},
    m_text_url = {WN_F_EXTRA, "text-url", H_PLAIN},
    m_image_url = {WN_F_EXTRA, "image-url", H_PLAIN},
    m_ref_type = {WN_F_EXTRA, "ref-type", H_REF_TYPE},
    m_rec_number = {WN_F_SOURCE_ID, "rec-number", H_PLAIN},
    m_pages = {WN_F_PAGES, "pages", H_PLAIN},
    m_volume = {WN_F_VOLUME, "volume", H_PLAIN},
    m_number = {WN_F_ISSUE, "number", H_PLAIN},
    m_issue = {WN_F_ISSUE, "issue", H_PLAIN},
    m_isbn = {WN_F_ISBN, "isbn", H_ISBN},
    m_doi = {WN_F_DOI, "electronic-resource-num", H_DOI},
    m_accession = {WN_F_EXTRA, "accession-num", H_ACCESSION},
    m_remote_provider = {WN_F_EXTRA, "remote-database-provider", H_REMOTE_DB},
    m_remote_name = {WN_F_EXTRA, "remote-database-name", H_REMOTE_DB},
    m_abstract = {WN_F_ABSTRACT, "abstract", H_PLAIN},
    m_publisher = {WN_F_PUBLISHER, "publisher", H_PLAIN},
    m_language = {WN_F_LANGUAGE, "language", H_PLAIN},
    m_work_type = {WN_F_PUBTYPE, "work-type", H_PLAIN};

/* The mapping of a field element inside `parent`; NULL: an extra tagged with
 * the element's own name. */
static const mapping *field_mapping(name_id parent, name_id n)
{
    if (parent == N_ALT_PERIODICAL)
        return &m_alt_periodical;
    switch (n) {
    case N_AUTHOR:
        switch (parent) {
        case N_SECONDARY_AUTHORS: return &m_secondary_author;
        case N_TERTIARY_AUTHORS: return &m_tertiary_author;
        case N_SUBSIDIARY_AUTHORS: return &m_subsidiary_author;
        case N_TRANSLATED_AUTHORS: return &m_translated_author;
        default: return &m_author;
        }
    case N_DATE:
        return parent == N_PUB_DATES ? &m_pub_date
               : parent == N_COPYRIGHT_DATES ? &m_copyright_date : NULL;
    case N_URL:
        switch (parent) {
        case N_RELATED_URLS: case N_URLS: return &m_url;
        case N_WEB_URLS: return &m_web_url;
        case N_PDF_URLS: return &m_pdf_url;
        case N_TEXT_URLS: return &m_text_url;
        case N_IMAGE_URLS: return &m_image_url;
        default: return NULL;
        }
    case N_TITLE: return &m_title;
    case N_SECONDARY_TITLE: return &m_secondary_title;
    case N_ALT_TITLE: return &m_alt_title;
    case N_FULL_TITLE: return &m_full_title;
    case N_ABBR_1: return &m_abbr_1;
    case N_YEAR: return &m_year;
    case N_KEYWORD: return &m_keyword;
    case N_REF_TYPE: return &m_ref_type;
    case N_REC_NUMBER: return &m_rec_number;
    case N_PAGES: return &m_pages;
    case N_VOLUME: return &m_volume;
    case N_NUMBER: return &m_number;
    case N_ISSUE: return &m_issue;
    case N_ISBN: return &m_isbn;
    case N_ELECTRONIC_RESOURCE_NUM: return &m_doi;
    case N_ACCESSION_NUM: return &m_accession;
    case N_REMOTE_DATABASE_PROVIDER: return &m_remote_provider;
    case N_REMOTE_DATABASE_NAME: return &m_remote_name;
    case N_ABSTRACT: return &m_abstract;
    case N_PUBLISHER: return &m_publisher;
    case N_LANGUAGE: return &m_language;
    case N_WORK_TYPE: return &m_work_type;
    default: return NULL;
    }
}

/* EndNote's reference type names (and numbers, used only when a writer left
 * the name out) in winnow's type vocabulary. */
static const struct {
    const char *name;
    int number;
    const char *type;
} ref_types[] = {
    {"Journal Article", 17, "article"},
    {"Book", 6, "book"},
    {"Edited Book", 28, "book"},
    {"Electronic Book", 0, "book"},
    {"Book Section", 5, "chapter"},
    {"Electronic Book Section", 0, "chapter"},
    {"Conference Proceedings", 10, "conference"},
    {"Conference Paper", 47, "conference"},
    {"Thesis", 32, "thesis"},
    {"Report", 27, "report"},
    {"Electronic Article", 0, "article"},
    {"Web Page", 12, "web"},
    {"Generic", 13, "generic"},
    {"Magazine Article", 0, "magazine"},
    {"Newspaper Article", 0, "newspaper"},
    {"Dataset", 0, "dataset"},
    {"Patent", 0, "patent"},
};

static const char *type_of_name(const char *name)
{
    for (size_t i = 0; i < sizeof ref_types / sizeof ref_types[0]; i++)
        if (strcasecmp(ref_types[i].name, name) == 0)
            return ref_types[i].type;
    return NULL;
}

static const char *type_of_number(const char *s, size_t len)
{
    int v = 0;
    if (len == 0 || len > 4)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return NULL;
        v = v * 10 + (s[i] - '0');
    }
    for (size_t i = 0; i < sizeof ref_types / sizeof ref_types[0]; i++)
        if (ref_types[i].number && ref_types[i].number == v)
            return ref_types[i].type;
    return NULL;
}

/* ---- where records sit in the text ----------------------------------- */

/* libxml2's reader parses ahead of the node it reports, so its byte count
 * (xmlTextReaderByteConsumed) only bounds where a record starts. The exact
 * place is found by scanning the text in step with the reader: records come
 * in order, so the next record start tag is the first "<record" after the
 * previous record's end that is not inside a comment, CDATA section,
 * processing instruction or DOCTYPE; its end is the "</record>" that closes
 * it, counting nested records. The reader has checked the text up to that
 * point before reporting the record, so the scan sees well-formed markup. */
typedef struct locator {
    const char *text;
    size_t len;
    size_t cursor;        /* where the next search starts */
    size_t line_offset;   /* a line start already counted ... */
    size_t line;          /* ... and its number */
    int has_cr;           /* line ends may be CR-only */
} locator;

static size_t find_from(const char *s, size_t len, size_t from, const char *what)
{
    if (from >= len)
        return len;
    const char *hit = memmem(s + from, len - from, what, strlen(what));
    return hit ? (size_t)(hit - s) : len;
}

/* At a '<': the offset after a comment, CDATA section, processing
 * instruction or declaration starting there, or i when it is none. */
static size_t skip_special(const char *s, size_t len, size_t i)
{
    if (i + 1 >= len)
        return i;
    if (s[i + 1] == '?')
        return find_from(s, len, i + 2, "?>") + 2;
    if (s[i + 1] != '!')
        return i;
    if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
        return find_from(s, len, i + 4, "-->") + 3;
    if (len - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0)
        return find_from(s, len, i + 9, "]]>") + 3;
    /* <!DOCTYPE ... [ <!ENTITY x "..."> ... ]>: quotes and the internal
     * subset may hold any '>' or '<'. */
    int depth = 0;
    char quote = 0;
    for (size_t j = i + 2; j < len; j++) {
        char c = s[j];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[') {
            depth++;
        } else if (c == ']') {
            depth--;
        } else if (c == '>' && depth <= 0) {
            return j + 1;
        }
    }
    return len;
}

static int name_end_char(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/';
}

/* At a '<' that is no special markup: 1 when the tag's local name is
 * "record" (any prefix), with *closing set for an end tag. */
static int is_record_tag(const char *s, size_t len, size_t i, int *closing)
{
    size_t j = i + 1;
    *closing = j < len && s[j] == '/';
    j += (size_t)*closing;
    size_t local = j;
    while (j < len && !name_end_char(s[j])) {
        if (s[j] == ':')
            local = j + 1;
        j++;
    }
    return j - local == 6 && memcmp(s + local, "record", 6) == 0;
}

/* From a start tag's '<': the offset after its '>' (quoted attribute values
 * may hold '>'), and whether it ends with "/>". */
static size_t start_tag_end(const char *s, size_t len, size_t i, int *empty)
{
    char quote = 0;
    for (size_t j = i + 1; j < len; j++) {
        char c = s[j];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            *empty = s[j - 1] == '/';
            return j + 1;
        }
    }
    *empty = 0;
    return len;
}

/* The offset of the next record start tag at or after the cursor, or len. */
static size_t locate_start(const locator *loc)
{
    const char *s = loc->text;
    size_t len = loc->len, i = loc->cursor;
    while (i < len) {
        const char *lt = memchr(s + i, '<', len - i);
        if (!lt)
            return len;
        i = (size_t)(lt - s);
        size_t after = skip_special(s, len, i);
        if (after != i) {
            i = after;
            continue;
        }
        int closing;
        if (is_record_tag(s, len, i, &closing) && !closing)
            return i;
        i++;
    }
    return len;
}

/* The offset just after the end of the record whose start tag is at
 * `start` (its "</record>", or the start tag itself when it is empty);
 * *closed is 0 when the text ends first. */
static size_t locate_end(const locator *loc, size_t start, int *closed)
{
    const char *s = loc->text;
    size_t len = loc->len;
    int empty;
    *closed = 1;
    size_t i = start_tag_end(s, len, start, &empty);
    if (empty)
        return i;
    size_t depth = 1;
    while (i < len) {
        const char *lt = memchr(s + i, '<', len - i);
        if (!lt)
            break;
        i = (size_t)(lt - s);
        size_t after = skip_special(s, len, i);
        if (after != i) {
            i = after;
            continue;
        }
        int closing;
        if (!is_record_tag(s, len, i, &closing)) {
            i++;
        } else if (closing) {
            const char *gt = memchr(s + i, '>', len - i);
            i = gt ? (size_t)(gt - s) + 1 : len;
            if (--depth == 0 && gt)
                return i;
        } else {
            i = start_tag_end(s, len, i, &empty);
            depth += !empty;
        }
    }
    *closed = 0;
    return len;
}

/* The 1-based line of offset `at` (never before the last one asked), with
 * LF, CRLF and CR-only line ends, as wn_lines counts them. */
static size_t line_of(locator *loc, size_t at)
{
    const char *s = loc->text;
    size_t i = loc->line_offset, line = loc->line;
    if (!loc->has_cr) {
        const char *nl;
        while (i < at && (nl = memchr(s + i, '\n', at - i)) != NULL) {
            line++;
            i = (size_t)(nl - s) + 1;
        }
    } else {
        for (; i < at; i++)
            if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= loc->len || s[i + 1] != '\n')))
                line++;
    }
    loc->line_offset = at;
    loc->line = line;
    return line;
}

/* ---- the reader -------------------------------------------------------- */

#define MAX_NESTING 1024

typedef enum frame_kind {
    F_OUTSIDE, /* above or beside the records */
    F_RECORD,
    F_GROUP,   /* an element holding fields */
    F_FIELD,   /* an element whose text is a value */
    F_INLINE,  /* a run inside a field: its text is the field's */
} frame_kind;

typedef struct frame {
    unsigned char kind;
    unsigned char name;     /* name_id */
    const mapping *map;     /* F_FIELD: NULL for an extra named after the element */
    size_t mark;            /* where the element's text starts in `value` */
} frame;

typedef struct xml_error {
    int set;
    int line, column;
    char message[300];
} xml_error;

typedef struct endnote {
    wn_parser *p;
    xmlTextReaderPtr reader;
    const xmlChar *interned[N_COUNT]; /* element names in the reader's dictionary */
    frame stack[MAX_NESTING];
    size_t depth;
    wn_buf value;        /* text of the open fields, innermost last */
    locator loc;
    xml_error error;
    const char *root;    /* first element's name, for the no-records message */
    /* The record being read. */
    int in_record;
    size_t rec_offset, rec_line;
    int has_type_name;
    int is_book;
    long accession_at;   /* index of the accession-num extra, or -1 */
    int from_pubmed;     /* remote database says PubMed / NLM / MEDLINE */
    wn_buf full_title;
} endnote;

static void on_xml_error(void *user, xmlErrorPtr e)
{
    endnote *en = user;
    if (!e)
        return;
    if (e->level == XML_ERR_WARNING) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s", e->message ? e->message : "");
        msg[strcspn(msg, "\r\n")] = '\0';
        wn_parser_warn(en->p, e->line > 0 ? (size_t)e->line : 0, "XML: %s", msg);
        return;
    }
    if (en->error.set)
        return;
    en->error.set = 1;
    en->error.line = e->line;
    en->error.column = e->int2;
    snprintf(en->error.message, sizeof en->error.message, "%s",
             e->message ? e->message : "unknown error");
    char *m = en->error.message;
    m[strcspn(m, "\r\n")] = '\0';
    /* "Opening and ending tag mismatch" reads as one of our messages once
     * lower-cased; "XML declaration ..." keeps its acronym. */
    if (m[0] >= 'A' && m[0] <= 'Z' && m[1] >= 'a' && m[1] <= 'z')
        m[0] = (char)(m[0] - 'A' + 'a');
}

/* libxml2 2.12 made the error argument const. */
#if LIBXML_VERSION >= 21200
static void on_xml_error_const(void *user, const xmlError *e) { on_xml_error(user, (xmlErrorPtr)e); }
#define ERROR_HANDLER on_xml_error_const
#else
#define ERROR_HANDLER on_xml_error
#endif

static name_id lookup_name(const endnote *en, const xmlChar *name)
{
    if (!name)
        return N_OTHER;
    /* The reader hands out names from its dictionary: a pointer match is
     * the cheap common case; strcmp covers names that were not interned. */
    for (int i = 1; i < N_COUNT; i++)
        if (name == en->interned[i])
            return (name_id)i;
    for (int i = 1; i < N_COUNT; i++)
        if (strcmp((const char *)name, element_names[i]) == 0)
            return (name_id)i;
    return N_OTHER;
}

static int ascii_contains(const char *s, size_t len, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= len; i++)
        if (strncasecmp(s + i, word, w) == 0)
            return 1;
    return 0;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static void trim(const char **s, size_t *len)
{
    while (*len && is_space(**s))
        (*s)++, (*len)--;
    while (*len && is_space((*s)[*len - 1]))
        (*len)--;
}

/* Counts the digits (and a check character X) of an ISBN or ISSN before any
 * "(Print)"-style note, into key. */
static size_t id_digits(const char *s, size_t len, char key[16])
{
    size_t n = 0;
    for (size_t i = 0; i < len && s[i] != '(' && s[i] != '['; i++) {
        char c = s[i];
        if ((c >= '0' && c <= '9') || c == 'x' || c == 'X') {
            if (n < 15)
                key[n] = (char)(c == 'x' ? 'X' : c);
            n++;
        }
    }
    key[n < 15 ? n : 15] = '\0';
    return n;
}

/* Whether an ISBN/ISSN with these digits is in the record already. */
static int id_seen(const wn_record *r, const char *key)
{
    for (size_t i = 0; i < wn_record_size(r); i++) {
        wn_field_value v = wn_record_at(r, i);
        if (v.field != WN_F_ISSN && v.field != WN_F_ISBN)
            continue;
        char k[16];
        id_digits(v.value, v.len, k);
        if (strcmp(k, key) == 0)
            return 1;
    }
    return 0;
}

/* <isbn> holds ISBNs and ISSNs alike, one per line or separated by ';':
 * eight digits make an ISSN, ten or thirteen an ISBN; a value repeated with
 * another note ("1234-5678 (Print)", "1234-5678") is kept once. */
static int add_isbn_piece(endnote *en, const char *s, size_t len)
{
    trim(&s, &len);
    if (!len)
        return 0;
    char key[16];
    size_t n = id_digits(s, len, key);
    wn_field f = n == 8 ? WN_F_ISSN : (n == 10 || n == 13) ? WN_F_ISBN : WN_F_EXTRA;
    if (f != WN_F_EXTRA && id_seen(en->p->rec, key))
        return 0;
    return wn_record_add(en->p->rec, f, "isbn", s, len);
}

static int add_doi_piece(endnote *en, const char *s, size_t len)
{
    trim(&s, &len);
    if (!len)
        return 0;
    wn_buf_clear(&en->p->scratch);
    int found = wn_doi_normalize(s, len, &en->p->scratch);
    if (found < 0)
        return found;
    return wn_record_add(en->p->rec, found ? WN_F_DOI : WN_F_EXTRA, "electronic-resource-num",
                         s, len);
}

/* Calls add for each piece of s separated by line ends (and by `seps`). */
static int each_piece(endnote *en, const char *s, size_t len, const char *seps,
                      int (*add)(endnote *, const char *, size_t))
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '\r' && s[i] != '\n' && !(s[i] && strchr(seps, s[i])))
            continue;
        int rc = add(en, s + start, i - start);
        if (rc)
            return rc;
        start = i + 1;
    }
    return 0;
}

static int add_keyword_piece(endnote *en, const char *s, size_t len)
{
    return wn_record_add(en->p->rec, WN_F_KEYWORD, "keyword", s, len);
}

/* Stores the text of a field element that just ended. */
static int store_field(endnote *en, const frame *fr, const char *v, size_t len)
{
    wn_record *r = en->p->rec;
    const mapping *m = fr->map;
    if (!m) {
        const xmlChar *name = xmlTextReaderConstLocalName(en->reader);
        return wn_record_add(r, WN_F_EXTRA, name ? (const char *)name : "", v, len);
    }
    switch (m->how) {
    case H_REF_TYPE: {
        trim(&v, &len);
        if (en->has_type_name)
            return wn_record_add(r, WN_F_EXTRA, m->tag, v, len);
        /* Only the number: it is the type code. */
        int rc = wn_record_add(r, WN_F_TYPE_RAW, m->tag, v, len);
        const char *type = type_of_number(v, len);
        if (!rc && type && !wn_record_first(r, WN_F_TYPE)) {
            rc = wn_record_add_str(r, WN_F_TYPE, m->tag, type);
            en->is_book = strcmp(type, "book") == 0;
        }
        return rc;
    }
    case H_ISBN:
        return each_piece(en, v, len, ";,", add_isbn_piece);
    case H_DOI:
        return each_piece(en, v, len, "", add_doi_piece);
    case H_LIST:
        return each_piece(en, v, len, "", add_keyword_piece);
    case H_ACCESSION: {
        size_t before = wn_record_size(r);
        int rc = wn_record_add(r, m->field, m->tag, v, len);
        if (!rc && en->accession_at < 0 && wn_record_size(r) > before)
            en->accession_at = (long)before;
        return rc;
    }
    case H_REMOTE_DB:
        if (ascii_contains(v, len, "pubmed") || ascii_contains(v, len, "nlm") ||
            ascii_contains(v, len, "medline"))
            en->from_pubmed = 1;
        return wn_record_add(r, m->field, m->tag, v, len);
    case H_FULL_TITLE:
        /* Kept for the end of the record: the journal only when the titles
         * did not name one. A second full title is an extra at once. */
        trim(&v, &len);
        if (en->full_title.len || !len)
            return wn_record_add(r, WN_F_EXTRA, m->tag, v, len);
        return wn_buf_append(&en->full_title, v, len);
    case H_PLAIN:
    default:
        return wn_record_add(r, m->field, m->tag, v, len);
    }
}

/* The type: the name attribute of <ref-type>, read from its start tag. */
static int read_type_name(endnote *en)
{
    int rc = 0;
    if (xmlTextReaderMoveToAttribute(en->reader, BAD_CAST "name") != 1)
        return 0;
    const char *name = (const char *)xmlTextReaderConstValue(en->reader);
    size_t len = name ? strlen(name) : 0;
    trim(&name, &len);
    if (len && !en->has_type_name) {
        en->has_type_name = 1;
        rc = wn_record_add(en->p->rec, WN_F_TYPE_RAW, "ref-type", name, len);
        /* The table compares whole names: look at the trimmed copy. */
        const char *raw = wn_record_first(en->p->rec, WN_F_TYPE_RAW);
        const char *type = raw ? type_of_name(raw) : NULL;
        if (!rc && type)
            rc = wn_record_add_str(en->p->rec, WN_F_TYPE, "ref-type", type);
        en->is_book = type && strcmp(type, "book") == 0;
    }
    xmlTextReaderMoveToElement(en->reader);
    return rc;
}

static void begin_record(endnote *en)
{
    locator *loc = &en->loc;
    size_t at = locate_start(loc);
    /* Cannot happen for text the reader accepted; stay inside the input. */
    if (at >= loc->len)
        at = loc->cursor < loc->len ? loc->cursor : (loc->len ? loc->len - 1 : 0);
    en->rec_offset = at;
    en->rec_line = line_of(loc, at);
    loc->cursor = at + 1;
    en->in_record = 1;
    en->has_type_name = 0;
    en->is_book = 0;
    en->accession_at = -1;
    en->from_pubmed = 0;
    wn_buf_clear(&en->full_title);
    wn_buf_clear(&en->value);
}

static int end_record(endnote *en)
{
    wn_parser *p = en->p;
    wn_record *r = p->rec;
    int rc = 0;
    en->in_record = 0;
    /* After any secondary title: the normalizer keeps the first journal,
     * drops a repeat of it, and keeps a different one as an extra. */
    if (en->full_title.len)
        rc = wn_record_add(r, WN_F_JOURNAL, "full-title", en->full_title.data,
                           en->full_title.len);
    /* In a book the secondary title names the series, not a journal. */
    for (size_t i = 0; !rc && en->is_book && i < wn_record_size(r); i++) {
        wn_field_value v = wn_record_at(r, i);
        if (v.field == WN_F_JOURNAL)
            rc = wn_record_retag_at(r, i, WN_F_EXTRA, v.tag);
    }
    if (!rc && en->accession_at >= 0 && en->from_pubmed) {
        wn_field_value v = wn_record_at(r, (size_t)en->accession_at);
        size_t digits = strspn(v.value, "0123456789");
        if (digits == v.len)
            rc = wn_record_retag_at(r, (size_t)en->accession_at, WN_F_PMID, v.tag);
    }
    if (rc)
        return rc;
    if (wn_record_size(r) == 0)
        wn_parser_warn(p, en->rec_line, "record holds no fields");
    int closed;
    size_t end = locate_end(&en->loc, en->rec_offset, &closed);
    if (end <= en->rec_offset)
        end = en->rec_offset + 1;
    en->loc.cursor = end;
    wn_origin *o = wn_record_origin(r);
    o->line = en->rec_line;
    o->offset = en->rec_offset;
    o->length = end - en->rec_offset;
    return wn_parser_emit(p);
}

static int push(endnote *en, frame_kind kind, name_id name, const mapping *map)
{
    if (en->depth == MAX_NESTING)
        return wn_parser_fail(en->p, (size_t)xmlTextReaderGetParserLineNumber(en->reader),
                              "XML elements nested deeper than %d levels", MAX_NESTING);
    frame *f = &en->stack[en->depth++];
    f->kind = (unsigned char)kind;
    f->name = (unsigned char)name;
    f->map = map;
    f->mark = en->value.len;
    return 0;
}

/* Closes the innermost element. */
static int pop(endnote *en)
{
    if (en->depth == 0)
        return 0;
    frame *f = &en->stack[--en->depth];
    int rc = 0;
    switch ((frame_kind)f->kind) {
    case F_FIELD:
    case F_GROUP: {
        /* A group's own text is unusual but kept, under its name. */
        size_t len = en->value.len - f->mark;
        if (len)
            rc = store_field(en, f, en->value.data + f->mark, len);
        wn_buf_truncate(&en->value, f->mark);
        break;
    }
    case F_RECORD:
        rc = end_record(en);
        break;
    default:
        break;
    }
    return rc;
}

static int start_element(endnote *en)
{
    name_id name = lookup_name(en, xmlTextReaderConstLocalName(en->reader));
    const frame *parent = en->depth ? &en->stack[en->depth - 1] : NULL;
    if (!en->root) {
        const xmlChar *root = xmlTextReaderConstName(en->reader);
        en->root = root ? (const char *)root : "";
    }
    if (!en->in_record) {
        if (name != N_RECORD)
            return push(en, F_OUTSIDE, name, NULL);
        begin_record(en);
        return push(en, F_RECORD, name, NULL);
    }
    frame_kind pk = (frame_kind)parent->kind;
    /* Runs and any markup inside a known field belong to its text. */
    if (name == N_STYLE || pk == F_INLINE || (pk == F_FIELD && parent->map))
        return push(en, F_INLINE, name, NULL);
    if (is_group(name))
        return push(en, F_GROUP, name, NULL);
    const mapping *map = field_mapping((name_id)parent->name, name);
    int rc = push(en, F_FIELD, name, map);
    if (!rc && name == N_REF_TYPE)
        rc = read_type_name(en);
    return rc;
}

static int append_text(endnote *en)
{
    if (!en->in_record)
        return 0;
    const char *t = (const char *)xmlTextReaderConstValue(en->reader);
    return t ? wn_buf_puts(&en->value, t) : 0;
}

/* An entity the parser did not substitute stays as it was written. */
static int append_entity_ref(endnote *en)
{
    if (!en->in_record)
        return 0;
    const xmlChar *name = xmlTextReaderConstName(en->reader);
    return wn_buf_printf(&en->value, "&%s;", name ? (const char *)name : "");
}

static void intern_names(endnote *en)
{
    for (int i = 1; i < N_COUNT; i++)
        en->interned[i] = xmlTextReaderConstString(en->reader, BAD_CAST element_names[i]);
}

/* The byte offset of libxml2's (line, column), about: columns count
 * characters, and libxml2 points at, or one or two after, the last one it
 * could read. */
static size_t error_offset(const endnote *en, size_t line, int column)
{
    const char *s = en->p->text;
    size_t len = en->p->len, at = 0;
    for (size_t l = 1; l < line; l++) {
        const char *nl = at < len ? memchr(s + at, '\n', len - at) : NULL;
        if (!nl)
            return len;
        at = (size_t)(nl - s) + 1;
    }
    at += column > 1 ? (size_t)column - 1 : 0;
    return at < len ? at : len;
}

/* Whether the error lies at the end of the text, give or take trailing
 * white space: the input stops inside the markup. */
static int at_end_of_input(const endnote *en, size_t at)
{
    const char *s = en->p->text;
    size_t len = en->p->len;
    while (at < len && is_space(s[at]))
        at++;
    return at + 2 >= len;
}

/* The line of the record the error lies in, or 0. The parser reads ahead
 * of the reader, so records may have begun, even ended, before the error
 * without the reader having reported them yet. */
static size_t record_at_error(endnote *en, size_t at)
{
    locator *loc = &en->loc;
    size_t start = en->in_record ? en->rec_offset : locate_start(loc);
    while (start < at) {
        int closed;
        size_t end = locate_end(loc, start, &closed);
        if (end > at || !closed)
            return en->in_record && start == en->rec_offset ? en->rec_line
                                                           : line_of(loc, start);
        loc->cursor = end;
        start = locate_start(loc);
    }
    return 0;
}

static int fail_xml(endnote *en)
{
    wn_parser *p = en->p;
    xml_error *e = &en->error;
    int from_error = e->set && e->line > 0;
    size_t line = from_error ? (size_t)e->line
                             : (size_t)xmlTextReaderGetParserLineNumber(en->reader);
    int column = from_error ? e->column : xmlTextReaderGetParserColumnNumber(en->reader);
    const char *msg = e->set ? e->message : "the XML reader stopped";
    size_t at = error_offset(en, line, column);
    int at_end = at_end_of_input(en, at);
    size_t rec_line = record_at_error(en, at);
    if (rec_line && at_end)
        return wn_parser_fail(p, line,
                              "not well-formed XML at line %zu column %d: %s (the input ends "
                              "inside the record that starts at line %zu: truncated?)",
                              line, column, msg, rec_line);
    if (at_end)
        return wn_parser_fail(p, line,
                              "not well-formed XML at line %zu column %d: %s (the input ends "
                              "before the document closes: truncated?)",
                              line, column, msg);
    if (rec_line)
        return wn_parser_fail(p, line,
                              "not well-formed XML at line %zu column %d: %s (in the record "
                              "that starts at line %zu)",
                              line, column, msg, rec_line);
    return wn_parser_fail(p, line, "not well-formed XML at line %zu column %d: %s", line,
                          column, msg);
}

/* libxml2 reports some failures (the input layer's, memory) through its
 * thread's generic handler, which prints; while we parse they go here. The
 * reader still fails, so our own message follows. */
static void quiet_generic_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* XML allows no U+0000, and libxml2 would complain about it on stderr: a
 * UTF-16 file can carry one into the decoded text. */
static int fail_on_nul(wn_parser *p)
{
    const char *nul = memchr(p->text, '\0', p->len);
    if (!nul)
        return 0;
    size_t at = (size_t)(nul - p->text), line = 1, line_start = 0;
    wn_lines it;
    const char *s;
    size_t n, offset;
    wn_lines_init(&it, p->text, p->len);
    while (wn_lines_next(&it, &s, &n, &offset) && offset <= at) {
        line = it.lineno;
        line_start = offset;
    }
    return wn_parser_fail(p, line, "not well-formed XML at line %zu column %zu: a NUL character",
                          line, at - line_start + 1);
}

static int parse(wn_parser *p)
{
    int rc = 0;
    xmlGenericErrorFunc saved_handler = xmlGenericError;
    void *saved_context = xmlGenericErrorContext;
    endnote *en = calloc(1, sizeof *en);
    if (!en)
        return WN_ENOMEM;
    en->p = p;
    en->value.limit = WN_RECORD_MAX;
    en->full_title.limit = WN_RECORD_MAX;
    en->loc.text = p->text;
    en->loc.len = p->len;
    en->loc.line = 1;
    en->loc.has_cr = memchr(p->text, '\r', p->len) != NULL;
    if (p->len == 0) {
        rc = wn_parser_fail(p, 0, "no EndNote XML records found (the input is empty)");
        goto done;
    }
    if (p->len > INT_MAX) {
        rc = wn_parser_fail(p, 0, "EndNote XML input larger than 2 GiB");
        goto done;
    }
    if ((rc = fail_on_nul(p)))
        goto done;
    xmlSetGenericErrorFunc(NULL, quiet_generic_error);
    /* The text is UTF-8 already, whatever its declaration says. */
    en->reader = xmlReaderForMemory(p->text, (int)p->len, NULL, "UTF-8",
                                    XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_COMPACT);
    if (!en->reader) {
        rc = wn_err_set(p->err, WN_ENOMEM, "out of memory reading '%s'", p->filename);
        goto done;
    }
    xmlTextReaderSetStructuredErrorHandler(en->reader, ERROR_HANDLER, en);
    intern_names(en);
    int more;
    while ((more = xmlTextReaderRead(en->reader)) == 1 && !en->error.set) {
        switch (xmlTextReaderNodeType(en->reader)) {
        case XML_READER_TYPE_ELEMENT: {
            int empty = xmlTextReaderIsEmptyElement(en->reader);
            rc = start_element(en);
            if (!rc && empty)
                rc = pop(en);
            break;
        }
        case XML_READER_TYPE_END_ELEMENT:
            rc = pop(en);
            break;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
            rc = append_text(en);
            break;
        case XML_READER_TYPE_ENTITY_REFERENCE:
            rc = append_entity_ref(en);
            break;
        default:
            break;
        }
        if (rc)
            goto done;
    }
    if (more != 0 || en->error.set) {
        rc = fail_xml(en);
        goto done;
    }
    if (p->records == 0)
        rc = wn_parser_fail(p, 0,
                            "no EndNote XML records found (expected <xml><records><record>; "
                            "the root element is <%.40s>)",
                            en->root ? en->root : "");
done:
    if (rc == WN_ENOMEM && p->err && p->err->code == WN_OK)
        wn_err_set(p->err, rc, "out of memory reading '%s' (a value larger than %u MiB?)",
                   p->filename, WN_RECORD_MAX >> 20);
    if (en->reader)
        xmlFreeTextReader(en->reader);
    xmlSetGenericErrorFunc(saved_context, saved_handler);
    wn_buf_free(&en->value);
    wn_buf_free(&en->full_title);
    free(en);
    return rc;
}

/* ---- detection ----------------------------------------------------------- */

static int has(const char *text, size_t len, const char *what)
{
    return memmem(text, len, what, strlen(what)) != NULL;
}

/* The head of a file: an XML document with <records> of <record> elements
 * holding EndNote's own children. A window from the middle of a big file
 * starts inside a record: closing record tags next to EndNote children are
 * enough there. */
static int sniff(const char *text, size_t len)
{
    size_t i = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    while (i < len && is_space(text[i]))
        i++;
    /* The tail window of a file written on one line (as EndNote and
     * Mendeley write it) starts after the final newline and holds nothing:
     * nothing there speaks against EndNote XML, yet 1 is too little for
     * detection to claim a file with. */
    if (i == len)
        return 1;
    int typical = has(text, len, "<ref-type") || has(text, len, "<contributors>") ||
                  has(text, len, "<titles>");
    int record = has(text, len, "<record>") || has(text, len, "<record ");
    if (i < len && text[i] == '<' && has(text, len, "<records>") && record && typical)
        return has(text, len, "<xml>") ? 100 : 80;
    if (has(text, len, "</record>") &&
        (has(text, len, "</titles>") || has(text, len, "<ref-type")))
        return 50;
    return 0;
}

const wn_format wn_format_endnote_xml = {"endnote-xml", "EndNote XML", sniff, parse};
