#define _GNU_SOURCE /* memmem */
/* PubMed XML: the PubmedArticleSet that E-utilities efetch and PubMed's
 * "Save as XML" write, with PubmedArticle (MedlineCitation + PubmedData) and
 * PubmedBookArticle (BookDocument + PubmedBookData) records.
 *
 * libxml2 pulls the text through a read callback, a few kilobytes at a
 * time, with SAX2 callbacks and no tree, so memory stays flat however many
 * records a file holds and no size limit applies. (Push mode does the same
 * work with about a fifth more instructions; xmlTextReader streams too, but
 * builds and frees a node for every element and text: it runs at a third of
 * the speed.) No DTD is loaded,
 * nothing is fetched from the network, entities are never substituted, and
 * a DOCTYPE that declares entities is refused outright (PubMed declares
 * none), which rules out entity bombs and external entities. libxml2's own
 * limits (names, attribute values) stay on: no XML_PARSE_HUGE. Its tree
 * limits are kept here, as no tree is built: elements nest at most 256 deep
 * and a value's text is at most XML_MAX_TEXT_LENGTH (10 MB). The declared
 * encoding is ignored: the text is UTF-8 by the time it gets here.
 *
 * Each element is known by its name and its parent's (so a PMID inside
 * CommentsCorrections or an ArticleIdList inside ReferenceList is not taken
 * for the record's own); a value element collects all text below it, which
 * flattens inline markup (<i>, <sup>, MathML) to its text.
 *
 * Record origins are exact: when libxml2 reports a record's start tag, its
 * byte count (xmlByteConsumed) stands at the tag's closing '>', and the tag
 * starts at the last '<' before it (a start tag holds no other '<'); when
 * it reports the end tag, the count stands just past it. Lines are counted
 * on the text as records are found. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "import/parser.h"
#include "import/pubmed_types.h"

/* ---- elements ------------------------------------------------------------ */

/* The elements that matter; anything else is E_OTHER. */
enum element {
    E_OTHER,
    /* records and containers */
    E_PUBMED_ARTICLE, E_PUBMED_BOOK_ARTICLE, E_MEDLINE_CITATION, E_PUBMED_DATA,
    E_BOOK_DOCUMENT, E_PUBMED_BOOK_DATA, E_ARTICLE, E_JOURNAL, E_JOURNAL_ISSUE, E_PUB_DATE,
    E_ARTICLE_DATE, E_PAGINATION, E_ABSTRACT, E_OTHER_ABSTRACT, E_AUTHOR_LIST, E_AUTHOR,
    E_AFFILIATION_INFO, E_MEDLINE_JOURNAL_INFO, E_MESH_HEADING_LIST, E_MESH_HEADING,
    E_KEYWORD_LIST, E_PUBLICATION_TYPE_LIST, E_ARTICLE_ID_LIST, E_BOOK, E_PUBLISHER,
    /* values */
    E_PMID, E_ARTICLE_TITLE, E_VERNACULAR_TITLE, E_BOOK_TITLE, E_ABSTRACT_TEXT,
    E_COPYRIGHT, E_LAST_NAME, E_FORE_NAME, E_INITIALS, E_SUFFIX, E_COLLECTIVE_NAME,
    E_AFFILIATION, E_TITLE, E_ISO_ABBREVIATION, E_MEDLINE_TA, E_ISSN, E_ISSN_LINKING,
    E_VOLUME, E_ISSUE, E_YEAR, E_MONTH, E_DAY, E_SEASON, E_MEDLINE_DATE, E_MEDLINE_PGN,
    E_START_PAGE, E_END_PAGE, E_ELOCATION_ID, E_ARTICLE_ID, E_LANGUAGE,
    E_PUBLICATION_TYPE, E_DESCRIPTOR_NAME, E_KEYWORD, E_PUBLISHER_NAME,
    E_PUBLISHER_LOCATION, E_ISBN, E_COLLECTION_TITLE, E_EDITION, E_PUBLICATION_STATUS,
    E_COI_STATEMENT,
    E_COUNT
};

/* What an element does: containers act when they open and close, value
 * elements (A_FIELD and after) collect their text and act when they close. */
enum action {
    A_NONE,
    A_RECORD,
    A_ABSTRACT,       /* joins its AbstractText parts into the abstract */
    A_OTHER_ABSTRACT, /* the same, into an extra */
    A_AUTHOR_LIST,    /* authors, book authors or editors (Type attribute) */
    A_AUTHOR,         /* assembles the name parts */
    A_PUB_DATE,       /* date parts to the date */
    A_ARTICLE_DATE,   /* date parts to an extra */
    A_FIELD,          /* text to `field` under `tag` */
    A_EXTRA,          /* text to an extra under `tag`, white space folded */
    A_PMID,
    A_ISSN,
    A_ABSTRACT_TEXT,
    A_NAME_PART,
    A_AFFILIATION,
    A_DATE_PART,
    A_ELOCATION,
    A_ARTICLE_ID,
};

typedef struct element_rule {
    const char *name;
    unsigned char parents[3]; /* where the element counts; elsewhere it is E_OTHER */
    unsigned char action;
    wn_field field;
    const char *tag;
} element_rule;

#define IN1(a) {a, 0, 0}
#define IN2(a, b) {a, b, 0}
#define IN3(a, b, c) {a, b, c}

static const element_rule rules[E_COUNT] = {
    [E_OTHER] = {"", IN1(0), A_NONE, WN_F_EXTRA, NULL},
    [E_PUBMED_ARTICLE] = {"PubmedArticle", IN1(0), A_RECORD, WN_F_EXTRA, NULL},
    [E_PUBMED_BOOK_ARTICLE] = {"PubmedBookArticle", IN1(0), A_RECORD, WN_F_EXTRA, NULL},
    [E_MEDLINE_CITATION] = {"MedlineCitation", IN1(E_PUBMED_ARTICLE), A_NONE, WN_F_EXTRA, NULL},
    [E_PUBMED_DATA] = {"PubmedData", IN1(E_PUBMED_ARTICLE), A_NONE, WN_F_EXTRA, NULL},
    [E_BOOK_DOCUMENT] = {"BookDocument", IN1(E_PUBMED_BOOK_ARTICLE), A_NONE, WN_F_EXTRA, NULL},
    [E_PUBMED_BOOK_DATA] = {"PubmedBookData", IN1(E_PUBMED_BOOK_ARTICLE), A_NONE, WN_F_EXTRA,
                            NULL},
    [E_ARTICLE] = {"Article", IN1(E_MEDLINE_CITATION), A_NONE, WN_F_EXTRA, NULL},
    [E_JOURNAL] = {"Journal", IN1(E_ARTICLE), A_NONE, WN_F_EXTRA, NULL},
    [E_JOURNAL_ISSUE] = {"JournalIssue", IN1(E_JOURNAL), A_NONE, WN_F_EXTRA, NULL},
    [E_PUB_DATE] = {"PubDate", IN2(E_JOURNAL_ISSUE, E_BOOK), A_PUB_DATE, WN_F_DATE, NULL},
    [E_ARTICLE_DATE] = {"ArticleDate", IN1(E_ARTICLE), A_ARTICLE_DATE, WN_F_EXTRA,
                        "ArticleDate"},
    [E_PAGINATION] = {"Pagination", IN2(E_ARTICLE, E_BOOK_DOCUMENT), A_NONE, WN_F_EXTRA, NULL},
    [E_ABSTRACT] = {"Abstract", IN2(E_ARTICLE, E_BOOK_DOCUMENT), A_ABSTRACT, WN_F_ABSTRACT,
                    "Abstract"},
    [E_OTHER_ABSTRACT] = {"OtherAbstract", IN2(E_MEDLINE_CITATION, E_BOOK_DOCUMENT),
                          A_OTHER_ABSTRACT, WN_F_EXTRA, "OtherAbstract"},
    [E_AUTHOR_LIST] = {"AuthorList", IN3(E_ARTICLE, E_BOOK_DOCUMENT, E_BOOK), A_AUTHOR_LIST,
                       WN_F_AUTHOR, NULL},
    [E_AUTHOR] = {"Author", IN1(E_AUTHOR_LIST), A_AUTHOR, WN_F_AUTHOR, NULL},
    [E_AFFILIATION_INFO] = {"AffiliationInfo", IN1(E_AUTHOR), A_NONE, WN_F_EXTRA, NULL},
    [E_MEDLINE_JOURNAL_INFO] = {"MedlineJournalInfo", IN1(E_MEDLINE_CITATION), A_NONE,
                                WN_F_EXTRA, NULL},
    [E_MESH_HEADING_LIST] = {"MeshHeadingList", IN1(E_MEDLINE_CITATION), A_NONE, WN_F_EXTRA,
                             NULL},
    [E_MESH_HEADING] = {"MeshHeading", IN1(E_MESH_HEADING_LIST), A_NONE, WN_F_EXTRA, NULL},
    [E_KEYWORD_LIST] = {"KeywordList", IN2(E_MEDLINE_CITATION, E_BOOK_DOCUMENT), A_NONE,
                        WN_F_EXTRA, NULL},
    [E_PUBLICATION_TYPE_LIST] = {"PublicationTypeList", IN1(E_ARTICLE), A_NONE, WN_F_EXTRA,
                                 NULL},
    [E_ARTICLE_ID_LIST] = {"ArticleIdList", IN3(E_PUBMED_DATA, E_BOOK_DOCUMENT,
                                                E_PUBMED_BOOK_DATA),
                           A_NONE, WN_F_EXTRA, NULL},
    [E_BOOK] = {"Book", IN1(E_BOOK_DOCUMENT), A_NONE, WN_F_EXTRA, NULL},
    [E_PUBLISHER] = {"Publisher", IN1(E_BOOK), A_NONE, WN_F_EXTRA, NULL},

    [E_PMID] = {"PMID", IN2(E_MEDLINE_CITATION, E_BOOK_DOCUMENT), A_PMID, WN_F_PMID, "PMID"},
    [E_ARTICLE_TITLE] = {"ArticleTitle", IN2(E_ARTICLE, E_BOOK_DOCUMENT), A_FIELD, WN_F_TITLE,
                         "ArticleTitle"},
    [E_VERNACULAR_TITLE] = {"VernacularTitle", IN2(E_ARTICLE, E_BOOK_DOCUMENT), A_EXTRA,
                            WN_F_EXTRA, "VernacularTitle"},
    [E_BOOK_TITLE] = {"BookTitle", IN1(E_BOOK), A_FIELD, WN_F_JOURNAL, "BookTitle"},
    [E_ABSTRACT_TEXT] = {"AbstractText", IN2(E_ABSTRACT, E_OTHER_ABSTRACT), A_ABSTRACT_TEXT,
                         WN_F_ABSTRACT, NULL},
    [E_COPYRIGHT] = {"CopyrightInformation", IN2(E_ABSTRACT, E_OTHER_ABSTRACT), A_EXTRA,
                     WN_F_EXTRA, "CopyrightInformation"},
    [E_LAST_NAME] = {"LastName", IN1(E_AUTHOR), A_NAME_PART, WN_F_AUTHOR, NULL},
    [E_FORE_NAME] = {"ForeName", IN1(E_AUTHOR), A_NAME_PART, WN_F_AUTHOR, NULL},
    [E_INITIALS] = {"Initials", IN1(E_AUTHOR), A_NAME_PART, WN_F_AUTHOR, NULL},
    [E_SUFFIX] = {"Suffix", IN1(E_AUTHOR), A_NAME_PART, WN_F_AUTHOR, NULL},
    [E_COLLECTIVE_NAME] = {"CollectiveName", IN1(E_AUTHOR), A_NAME_PART, WN_F_AUTHOR, NULL},
    [E_AFFILIATION] = {"Affiliation", IN1(E_AFFILIATION_INFO), A_AFFILIATION, WN_F_EXTRA,
                       "Affiliation"},
    [E_TITLE] = {"Title", IN1(E_JOURNAL), A_FIELD, WN_F_JOURNAL, "Title"},
    [E_ISO_ABBREVIATION] = {"ISOAbbreviation", IN1(E_JOURNAL), A_FIELD, WN_F_JOURNAL_ABBR,
                            "ISOAbbreviation"},
    /* After ISOAbbreviation in document order: the normalizer drops it when
     * equal and keeps it as an extra when not. */
    [E_MEDLINE_TA] = {"MedlineTA", IN1(E_MEDLINE_JOURNAL_INFO), A_FIELD, WN_F_JOURNAL_ABBR,
                      "MedlineTA"},
    [E_ISSN] = {"ISSN", IN1(E_JOURNAL), A_ISSN, WN_F_ISSN, "ISSN"},
    [E_ISSN_LINKING] = {"ISSNLinking", IN1(E_MEDLINE_JOURNAL_INFO), A_ISSN, WN_F_ISSN,
                        "ISSNLinking"},
    [E_VOLUME] = {"Volume", IN2(E_JOURNAL_ISSUE, E_BOOK), A_FIELD, WN_F_VOLUME, "Volume"},
    [E_ISSUE] = {"Issue", IN1(E_JOURNAL_ISSUE), A_FIELD, WN_F_ISSUE, "Issue"},
    [E_YEAR] = {"Year", IN2(E_PUB_DATE, E_ARTICLE_DATE), A_DATE_PART, WN_F_DATE, NULL},
    [E_MONTH] = {"Month", IN2(E_PUB_DATE, E_ARTICLE_DATE), A_DATE_PART, WN_F_DATE, NULL},
    [E_DAY] = {"Day", IN2(E_PUB_DATE, E_ARTICLE_DATE), A_DATE_PART, WN_F_DATE, NULL},
    [E_SEASON] = {"Season", IN1(E_PUB_DATE), A_DATE_PART, WN_F_DATE, NULL},
    [E_MEDLINE_DATE] = {"MedlineDate", IN1(E_PUB_DATE), A_DATE_PART, WN_F_DATE, NULL},
    [E_MEDLINE_PGN] = {"MedlinePgn", IN1(E_PAGINATION), A_FIELD, WN_F_PAGES, "MedlinePgn"},
    [E_START_PAGE] = {"StartPage", IN1(E_PAGINATION), A_FIELD, WN_F_START_PAGE, "StartPage"},
    [E_END_PAGE] = {"EndPage", IN1(E_PAGINATION), A_FIELD, WN_F_END_PAGE, "EndPage"},
    [E_ELOCATION_ID] = {"ELocationID", IN2(E_ARTICLE, E_BOOK_DOCUMENT), A_ELOCATION, WN_F_DOI,
                        "ELocationID"},
    [E_ARTICLE_ID] = {"ArticleId", IN1(E_ARTICLE_ID_LIST), A_ARTICLE_ID, WN_F_DOI,
                      "ArticleId"},
    [E_LANGUAGE] = {"Language", IN2(E_ARTICLE, E_BOOK_DOCUMENT), A_FIELD, WN_F_LANGUAGE,
                    "Language"},
    [E_PUBLICATION_TYPE] = {"PublicationType", IN2(E_PUBLICATION_TYPE_LIST, E_BOOK_DOCUMENT),
                            A_FIELD, WN_F_PUBTYPE, "PublicationType"},
    [E_DESCRIPTOR_NAME] = {"DescriptorName", IN1(E_MESH_HEADING), A_FIELD, WN_F_KEYWORD, "MH"},
    [E_KEYWORD] = {"Keyword", IN1(E_KEYWORD_LIST), A_FIELD, WN_F_KEYWORD, "OT"},
    [E_PUBLISHER_NAME] = {"PublisherName", IN1(E_PUBLISHER), A_FIELD, WN_F_PUBLISHER,
                          "PublisherName"},
    [E_PUBLISHER_LOCATION] = {"PublisherLocation", IN1(E_PUBLISHER), A_EXTRA, WN_F_EXTRA,
                              "PublisherLocation"},
    [E_ISBN] = {"Isbn", IN2(E_BOOK, E_BOOK_DOCUMENT), A_FIELD, WN_F_ISBN, "Isbn"},
    [E_COLLECTION_TITLE] = {"CollectionTitle", IN1(E_BOOK), A_EXTRA, WN_F_EXTRA,
                            "CollectionTitle"},
    [E_EDITION] = {"Edition", IN1(E_BOOK), A_EXTRA, WN_F_EXTRA, "Edition"},
    [E_PUBLICATION_STATUS] = {"PublicationStatus", IN2(E_PUBMED_DATA, E_PUBMED_BOOK_DATA),
                              A_EXTRA, WN_F_EXTRA, "PublicationStatus"},
    [E_COI_STATEMENT] = {"CoiStatement", IN2(E_MEDLINE_CITATION, E_BOOK_DOCUMENT), A_EXTRA,
                         WN_F_EXTRA, "CoiStatement"},
};

/* Parts of a name or a date, collected until their element closes. */
enum { PART_LAST, PART_FORE, PART_INITIALS, PART_SUFFIX, PART_COLLECTIVE, N_NAME_PARTS };
enum { PART_YEAR, PART_MONTH, PART_DAY, PART_SEASON, PART_MEDLINE_DATE, N_DATE_PARTS };

/* Who the names of an AuthorList are. */
enum { ROLE_AUTHOR, ROLE_BOOK_AUTHOR, ROLE_EDITOR };

/* ---- lines ------------------------------------------------------------------ */

typedef struct line_counter {
    const char *t;
    size_t len;
    size_t pos;   /* lines are counted up to here */
    size_t line;  /* line number at pos */
    char eol;     /* the byte that ends lines: '\n', or '\r' in CR-only text */
} line_counter;

static void lines_init(line_counter *c, const char *t, size_t len)
{
    c->t = t;
    c->len = len;
    c->pos = 0;
    c->line = 1;
    c->eol = '\n';
    /* A text whose first line ends in a lone CR uses CR throughout. */
    for (size_t i = 0; i < len; i++) {
        if (t[i] == '\n')
            break;
        if (t[i] == '\r') {
            if (i + 1 >= len || t[i + 1] != '\n')
                c->eol = '\r';
            break;
        }
    }
}

/* Line number of offset off; offsets asked for never go back. */
static size_t line_at(line_counter *c, size_t off)
{
    if (off > c->len)
        off = c->len;
    if (off <= c->pos)
        return c->line;
    const char *at = c->t + c->pos, *end = c->t + off;
    while (at < end) {
        const char *nl = memchr(at, c->eol, (size_t)(end - at));
        if (!nl)
            break;
        c->line++;
        at = nl + 1;
    }
    c->pos = off;
    return c->line;
}

/* ---- the reader ------------------------------------------------------------- */

/* libxml2 stops a tree at 256 levels without XML_PARSE_HUGE; without a
 * tree it has no such check, so the reader keeps the same limit itself. */
#define MAX_DEPTH 256
#define NAME_SLOTS 256  /* power of two */
#define MAX_XML_WARNINGS 10

typedef struct name_slot {
    const xmlChar *name;
    unsigned char id;
} name_slot;

typedef struct pxml {
    wn_parser *p;
    xmlParserCtxtPtr ctxt;
    int rc;               /* the first failure of a callback; stops the parse */
    /* The current start tag's attributes, as SAX2 hands them over. */
    const xmlChar **attrs;
    int n_attrs;
    /* libxml2 hands out names from its dictionary, so an element name is
     * looked up once and recognized by its address afterwards. */
    name_slot names[NAME_SLOTS];
    size_t names_used;
    /* Open elements. */
    unsigned char ids[MAX_DEPTH], acts[MAX_DEPTH];
    size_t depth;
    size_t capture_depth; /* depth of the value element collecting text; 0: none */
    char root[64];        /* the document element's name */
    /* The record being read. */
    int in_record, is_book, has_title, has_pubtype, has_doc_author, has_book_author;
    size_t rec_line, rec_offset;
    int role;              /* of the AuthorList being read */
    wn_buf name[N_NAME_PARTS], date[N_DATE_PARTS];
    wn_buf abstract, other_abstract, label, pmid, last_affiliation, tmp;
    char id_kind[40];      /* EIdType / IdType of the id being read */
    line_counter lines;
    /* The first fatal libxml2 error, for the message. */
    int xml_failed, err_line, err_col;
    char entity[64];       /* a declared entity's name: refused */
    int entity_line;
    char err_msg[240];
    size_t xml_warnings;
} pxml;

static int element_id_by_name(const char *name)
{
    for (int i = 1; i < E_COUNT; i++)
        if (strcmp(rules[i].name, name) == 0)
            return i;
    return E_OTHER;
}

static int element_id(pxml *x, const xmlChar *name)
{
    size_t h = ((uintptr_t)name >> 3) & (NAME_SLOTS - 1);
    for (size_t probe = 0; probe < NAME_SLOTS; probe++) {
        name_slot *slot = &x->names[(h + probe) & (NAME_SLOTS - 1)];
        if (slot->name == name)
            return slot->id;
        if (!slot->name) {
            int id = element_id_by_name((const char *)name);
            /* A full table means names are not shared: look each one up. */
            if (x->names_used < NAME_SLOTS / 2) {
                slot->name = name;
                slot->id = (unsigned char)id;
                x->names_used++;
            }
            return id;
        }
    }
    return element_id_by_name((const char *)name);
}

/* The element as it counts where it is: E_OTHER outside its parents. */
static int in_place(int id, int parent)
{
    const unsigned char *in = rules[id].parents;
    return (parent && (in[0] == parent || in[1] == parent || in[2] == parent)) ? id : E_OTHER;
}

static int is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

/* Folds runs of white space into one space and trims the ends, in place. */
static void fold_space(wn_buf *b)
{
    char *s = b->data;
    size_t n = b->len, w = 0;
    int gap = 0;
    if (!s)
        return;
    for (size_t i = 0; i < n; i++) {
        if (is_space(s[i])) {
            gap = w > 0;
            continue;
        }
        if (gap)
            s[w++] = ' ';
        gap = 0;
        s[w++] = s[i];
    }
    b->len = w;
    s[w] = '\0';
}

/* Trims the ends of b[0..len) without copying. */
static const char *trimmed(const wn_buf *b, size_t *len)
{
    const char *s = b->data ? b->data : "";
    size_t n = b->len;
    while (n && is_space(*s))
        s++, n--;
    while (n && is_space(s[n - 1]))
        n--;
    *len = n;
    return s;
}

static int set_buf(wn_buf *dst, const char *s, size_t n)
{
    wn_buf_clear(dst);
    return wn_buf_append(dst, s, n);
}

/* Copies s into out[cap], cut to fit at a character boundary. */
static void copy_cut(char *out, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap) {
        n = cap - 1;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    out[n] = '\0';
}

/* Attribute `name` of the start tag being handled, or NULL (with *len 0).
 * SAX2 gives values unterminated, with "&" written as "&#38;". */
static const char *attribute(const pxml *x, const char *name, size_t *len)
{
    for (int i = 0; i < x->n_attrs; i++) {
        const xmlChar *const *a = x->attrs + 5 * i;
        if (!a[1] && strcmp((const char *)a[0], name) == 0) {
            *len = (size_t)(a[4] - a[3]);
            return (const char *)a[3];
        }
    }
    *len = 0;
    return NULL;
}

/* Appends an attribute value with "&#38;" back to "&". */
static int put_attribute(wn_buf *out, const char *v, size_t n)
{
    int rc = 0;
    while (n && !rc) {
        const char *amp = memchr(v, '&', n);
        if (!amp)
            return wn_buf_append(out, v, n);
        size_t k = (size_t)(amp - v);
        rc = wn_buf_append(out, v, k);
        if (!rc && n - k >= 5 && memcmp(amp, "&#38;", 5) == 0) {
            rc = wn_buf_putc(out, '&');
            k += 5;
        } else if (!rc) {
            rc = wn_buf_putc(out, '&');
            k += 1;
        }
        v += k;
        n -= k;
    }
    return rc;
}

/* Copies a short attribute (a type name) into out[cap], cut to fit; ""
 * when absent. */
static void attribute_into(const pxml *x, const char *name, char *out, size_t cap)
{
    size_t n;
    const char *v = attribute(x, name, &n);
    if (!v)
        n = 0;
    if (n >= cap) {
        n = cap - 1;
        while (n && ((unsigned char)v[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(out, v, n);
    out[n] = '\0';
}

static int label_attribute(pxml *x)
{
    size_t n;
    const char *v = attribute(x, "Label", &n);
    wn_buf_clear(&x->label);
    int rc = v ? put_attribute(&x->label, v, n) : 0;
    if (!rc)
        fold_space(&x->label);
    return rc;
}

/* ---- record assembly --------------------------------------------------------- */

/* A book chapter has its own title and the book's as its container; a whole
 * book has the book title as its title. Book-level authors of a chapter are
 * kept beside it. */
static int finish_book(pxml *x)
{
    wn_record *r = x->p->rec;
    int rc = 0;
    for (size_t i = 0; i < wn_record_size(r) && !rc; i++) {
        wn_field_value f = wn_record_at(r, i);
        if (f.field == WN_F_JOURNAL && !x->has_title && strcmp(f.tag, "BookTitle") == 0) {
            rc = wn_record_retag_at(r, i, WN_F_TITLE, "BookTitle");
            x->has_title = 2;
        } else if (f.field == WN_F_AUTHOR && x->has_doc_author && x->has_book_author &&
                   strcmp(f.tag, "BookAuthor") == 0) {
            rc = wn_record_retag_at(r, i, WN_F_EXTRA, "BookAuthor");
        }
    }
    if (!rc)
        rc = wn_record_add_str(r, WN_F_TYPE_RAW, "PubmedBookArticle",
                               x->has_title == 1 ? "chapter" : "Book");
    return rc;
}

/* Where libxml2 stands in the text: just past what it has parsed. */
static size_t parsed_to(const pxml *x)
{
    long at = xmlByteConsumed(x->ctxt);
    return at < 0 ? 0 : (size_t)at > x->p->len ? x->p->len : (size_t)at;
}

static int begin_record(pxml *x, int id)
{
    const char *t = x->p->text;
    x->in_record = 1;
    x->is_book = id == E_PUBMED_BOOK_ARTICLE;
    x->has_title = x->has_pubtype = x->has_doc_author = x->has_book_author = 0;
    x->role = ROLE_AUTHOR;
    wn_buf_clear(&x->pmid);
    wn_buf_clear(&x->last_affiliation);
    /* libxml2 stands at the start tag's closing '>' (or "/>"). */
    size_t gt = parsed_to(x);
    const char *lt = gt ? memrchr(t, '<', gt) : NULL;
    x->rec_offset = lt ? (size_t)(lt - t) : 0;
    /* libxml2 counts LF line ends as it goes, up to the '>'; only CR-only
     * text needs counting here. */
    int line = xmlSAX2GetLineNumber(x->ctxt);
    if (x->lines.eol == '\n' && line > 0) {
        size_t n = (size_t)line;
        for (size_t i = x->rec_offset; i < gt && n > 1; i++)
            n -= t[i] == '\n';
        x->rec_line = n;
    } else {
        x->rec_line = line_at(&x->lines, x->rec_offset);
    }
    return 0;
}

static int end_record(pxml *x)
{
    wn_parser *p = x->p;
    int rc = 0;
    x->in_record = 0;
    if (x->is_book)
        rc = finish_book(x);
    else if (x->has_pubtype)
        rc = wn_pubmed_add_type(p->rec, "PublicationType");
    if (rc)
        return rc;
    /* libxml2 stands just past the end tag (or the "/>"). */
    size_t end = parsed_to(x);
    if (end <= x->rec_offset)
        end = x->rec_offset < p->len ? x->rec_offset + 1 : p->len;
    wn_origin *o = wn_record_origin(p->rec);
    o->line = x->rec_line;
    o->offset = x->rec_offset;
    o->length = end - x->rec_offset;
    return wn_parser_emit(p);
}

static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* "2019 Mar 12" from the PubDate parts (numeric months named, as MEDLINE
 * writes dates), or MedlineDate as written ("1998 Dec-1999 Jan"). */
static int add_pub_date(pxml *x)
{
    wn_buf *t = &x->tmp;
    wn_buf_clear(t);
    if (x->date[PART_MEDLINE_DATE].len)
        return wn_record_add(x->p->rec, WN_F_DATE, "MedlineDate",
                             x->date[PART_MEDLINE_DATE].data, x->date[PART_MEDLINE_DATE].len);
    int rc = wn_buf_append(t, x->date[PART_YEAR].data, x->date[PART_YEAR].len);
    const wn_buf *month = &x->date[PART_MONTH];
    if (!rc && month->len) {
        const char *m = month->data;
        int num = 0;
        if (month->len <= 2 && m[0] >= '0' && m[0] <= '9' &&
            (month->len == 1 || (m[1] >= '0' && m[1] <= '9')))
            num = month->len == 1 ? m[0] - '0' : (m[0] - '0') * 10 + (m[1] - '0');
        rc = wn_buf_putc(t, ' ');
        if (!rc)
            rc = num >= 1 && num <= 12 ? wn_buf_puts(t, month_names[num - 1])
                                       : wn_buf_append(t, m, month->len);
    } else if (!rc && x->date[PART_SEASON].len) {
        rc = wn_buf_putc(t, ' ');
        if (!rc)
            rc = wn_buf_append(t, x->date[PART_SEASON].data, x->date[PART_SEASON].len);
    }
    if (!rc && x->date[PART_DAY].len && month->len) {
        rc = wn_buf_putc(t, ' ');
        if (!rc)
            rc = wn_buf_append(t, x->date[PART_DAY].data, x->date[PART_DAY].len);
    }
    if (rc)
        return rc;
    return wn_record_add(x->p->rec, WN_F_DATE, "PubDate", t->data ? t->data : "", t->len);
}

/* ArticleDate as "2020-07-24" (parts as written). */
static int add_article_date(pxml *x)
{
    wn_buf *t = &x->tmp;
    wn_buf_clear(t);
    int rc = 0;
    for (int k = PART_YEAR; k <= PART_DAY && !rc; k++) {
        if (!x->date[k].len)
            break;
        if (t->len)
            rc = wn_buf_putc(t, '-');
        if (!rc)
            rc = wn_buf_append(t, x->date[k].data, x->date[k].len);
    }
    if (rc)
        return rc;
    return wn_record_add(x->p->rec, WN_F_EXTRA, "ArticleDate", t->data ? t->data : "", t->len);
}

/* "Surname, Given" (ForeName, else Initials, then any Suffix); a
 * CollectiveName as written. Editors and book authors follow the list role. */
static int add_author(pxml *x)
{
    wn_record *r = x->p->rec;
    wn_buf *t = &x->tmp;
    wn_field field = x->role == ROLE_EDITOR ? WN_F_EXTRA : WN_F_AUTHOR;
    const char *tag = x->role == ROLE_EDITOR       ? "Editor"
                      : x->role == ROLE_BOOK_AUTHOR ? "BookAuthor"
                                                    : "Author";
    int rc = 0;
    wn_buf_clear(t);
    const wn_buf *last = &x->name[PART_LAST], *fore = &x->name[PART_FORE],
                 *initials = &x->name[PART_INITIALS], *suffix = &x->name[PART_SUFFIX],
                 *group = &x->name[PART_COLLECTIVE];
    if (last->len) {
        const wn_buf *given = fore->len ? fore : initials;
        rc = wn_buf_append(t, last->data, last->len);
        if (!rc && given->len)
            rc = wn_buf_puts(t, ", ");
        if (!rc && given->len)
            rc = wn_buf_append(t, given->data, given->len);
        if (!rc && suffix->len)
            rc = wn_buf_putc(t, ' ');
        if (!rc && suffix->len)
            rc = wn_buf_append(t, suffix->data, suffix->len);
        if (!rc)
            rc = wn_record_add(r, field, tag, t->data, t->len);
    }
    if (!rc && group->len)
        rc = wn_record_add(r, field, tag, group->data, group->len);
    if (field == WN_F_AUTHOR && (last->len || group->len)) {
        if (x->role == ROLE_AUTHOR)
            x->has_doc_author = 1;
        else
            x->has_book_author = 1;
    }
    return rc;
}

/* ELocationID / ArticleId: the DOI and PMCID to their fields, the record's
 * own PMID again dropped, other kinds kept as "value [kind]". */
static int add_identifier(pxml *x, const char *tag, const char *v, size_t n)
{
    wn_record *r = x->p->rec;
    const char *kind = x->id_kind;
    if (strcmp(kind, "doi") == 0)
        return wn_record_add(r, WN_F_DOI, tag, v, n);
    if (strcmp(kind, "pmc") == 0 && strcmp(tag, "ArticleId") == 0)
        return wn_record_add(r, WN_F_PMCID, tag, v, n);
    if (strcmp(kind, "pubmed") == 0 && x->pmid.len) {
        size_t pn;
        const char *pv = trimmed(&x->pmid, &pn);
        if (pn == n && memcmp(pv, v, n) == 0)
            return 0;
    }
    if (!kind[0])
        return wn_record_add(r, WN_F_EXTRA, tag, v, n);
    wn_buf *t = &x->tmp;
    wn_buf_clear(t);
    int rc = wn_buf_append(t, v, n);
    if (!rc)
        rc = wn_buf_printf(t, " [%s]", kind);
    return rc ? rc : wn_record_add(r, WN_F_EXTRA, tag, t->data, t->len);
}

static int add_issn(pxml *x, const char *tag, const char *v, size_t n)
{
    wn_record *r = x->p->rec;
    size_t count = wn_record_size(r);
    for (size_t i = 0; i < count; i++) {
        wn_field_value f = wn_record_at(r, i);
        if (f.field == WN_F_ISSN && f.len == n && memcmp(f.value, v, n) == 0)
            return 0;
    }
    return wn_record_add(r, WN_F_ISSN, tag, v, n);
}

/* Appends "LABEL: text" to an abstract being joined. */
static int add_abstract_part(pxml *x, wn_buf *into, const char *v, size_t n)
{
    if (!n)
        return 0;
    int rc = 0;
    if (into->len)
        rc = wn_buf_putc(into, ' ');
    if (!rc && x->label.len) {
        rc = wn_buf_append(into, x->label.data, x->label.len);
        if (!rc)
            rc = wn_buf_puts(into, ": ");
    }
    return rc ? rc : wn_buf_append(into, v, n);
}

/* A value element closed: its text is in p->scratch. */
static int end_value(pxml *x, int id, int act, int parent)
{
    wn_parser *p = x->p;
    wn_record *r = p->rec;
    const element_rule *rule = &rules[id];
    size_t n;
    const char *v;
    int rc = 0;
    switch (act) {
    case A_FIELD:
        /* The normalizer folds white space in the fields it cleans. */
        v = trimmed(&p->scratch, &n);
        rc = wn_record_add(r, rule->field, rule->tag, v, n);
        if (rule->field == WN_F_TITLE && n)
            x->has_title = 1;
        if (rule->field == WN_F_PUBTYPE && n)
            x->has_pubtype = 1;
        return rc;
    case A_EXTRA:
        fold_space(&p->scratch);
        return wn_record_add(r, WN_F_EXTRA, rule->tag, p->scratch.data, p->scratch.len);
    case A_PMID:
        v = trimmed(&p->scratch, &n);
        rc = wn_record_add(r, WN_F_PMID, "PMID", v, n);
        if (!rc)
            rc = wn_record_add(r, WN_F_SOURCE_ID, "PMID", v, n);
        if (!rc && !x->pmid.len)
            rc = set_buf(&x->pmid, v, n);
        return rc;
    case A_ISSN:
        v = trimmed(&p->scratch, &n);
        return add_issn(x, rule->tag, v, n);
    case A_ABSTRACT_TEXT:
        v = trimmed(&p->scratch, &n);
        return add_abstract_part(x, parent == E_ABSTRACT ? &x->abstract : &x->other_abstract, v,
                                 n);
    case A_NAME_PART:
        fold_space(&p->scratch);
        return set_buf(&x->name[id == E_LAST_NAME       ? PART_LAST
                                : id == E_FORE_NAME     ? PART_FORE
                                : id == E_INITIALS      ? PART_INITIALS
                                : id == E_SUFFIX        ? PART_SUFFIX
                                                        : PART_COLLECTIVE],
                       p->scratch.data, p->scratch.len);
    case A_AFFILIATION:
        /* Co-authors often repeat one affiliation: keep it once in a row. */
        fold_space(&p->scratch);
        if (!p->scratch.len)
            return 0;
        if (p->scratch.len == x->last_affiliation.len &&
            memcmp(p->scratch.data, x->last_affiliation.data, p->scratch.len) == 0)
            return 0;
        rc = set_buf(&x->last_affiliation, p->scratch.data, p->scratch.len);
        return rc ? rc
                  : wn_record_add(r, WN_F_EXTRA, "Affiliation", p->scratch.data,
                                  p->scratch.len);
    case A_DATE_PART:
        fold_space(&p->scratch);
        return set_buf(&x->date[id == E_YEAR    ? PART_YEAR
                                : id == E_MONTH ? PART_MONTH
                                : id == E_DAY   ? PART_DAY
                                : id == E_SEASON ? PART_SEASON
                                                 : PART_MEDLINE_DATE],
                       p->scratch.data, p->scratch.len);
    case A_ELOCATION:
    case A_ARTICLE_ID:
        fold_space(&p->scratch);
        if (!p->scratch.len)
            return 0;
        return add_identifier(x, rule->tag, p->scratch.data, p->scratch.len);
    default:
        return 0;
    }
}

/* ---- events ---------------------------------------------------------------- */

/* An element opens: prefixed names (MathML's mml:math) never count. */
static int on_start(pxml *x, const xmlChar *name, const xmlChar *prefix)
{
    int rc = 0;
    int id = prefix ? E_OTHER : element_id(x, name);
    size_t d = x->depth;
    int parent = d ? x->ids[d - 1] : E_OTHER;
    int act = A_NONE;
    if (d == 0 && !x->root[0])
        copy_cut(x->root, sizeof x->root, (const char *)name);
    if (d >= MAX_DEPTH)
        return wn_parser_fail(x->p, (size_t)xmlSAX2GetLineNumber(x->ctxt),
                              "elements are nested more than %d deep", MAX_DEPTH);
    if (x->capture_depth) {
        id = E_OTHER; /* inline markup inside a value */
    } else if (!x->in_record) {
        if (rules[id].action == A_RECORD) {
            act = A_RECORD;
            rc = begin_record(x, id);
        } else {
            id = E_OTHER;
        }
    } else {
        id = in_place(id, parent);
        act = rules[id].action;
        switch (act) {
        case A_ABSTRACT:
            wn_buf_clear(&x->abstract);
            break;
        case A_OTHER_ABSTRACT:
            wn_buf_clear(&x->other_abstract);
            break;
        case A_AUTHOR_LIST: {
            char type[16];
            attribute_into(x, "Type", type, sizeof type);
            x->role = strcmp(type, "editors") == 0 ? ROLE_EDITOR
                      : parent == E_BOOK          ? ROLE_BOOK_AUTHOR
                                                  : ROLE_AUTHOR;
            break;
        }
        case A_AUTHOR:
            for (int k = 0; k < N_NAME_PARTS; k++)
                wn_buf_clear(&x->name[k]);
            break;
        case A_PUB_DATE:
        case A_ARTICLE_DATE:
            for (int k = 0; k < N_DATE_PARTS; k++)
                wn_buf_clear(&x->date[k]);
            break;
        case A_ABSTRACT_TEXT:
            rc = label_attribute(x);
            break;
        case A_ELOCATION:
            attribute_into(x, "EIdType", x->id_kind, sizeof x->id_kind);
            break;
        case A_ARTICLE_ID:
            attribute_into(x, "IdType", x->id_kind, sizeof x->id_kind);
            break;
        default:
            break;
        }
        if (act >= A_FIELD) {
            x->capture_depth = d + 1;
            wn_buf_clear(&x->p->scratch);
        }
    }
    x->ids[d] = (unsigned char)id;
    x->acts[d] = (unsigned char)act;
    x->depth = d + 1;
    return rc;
}

static int on_end(pxml *x)
{
    if (!x->depth)
        return 0;
    size_t d = x->depth--;
    int id = x->ids[d - 1], act = x->acts[d - 1];
    int parent = d >= 2 ? x->ids[d - 2] : E_OTHER;
    if (x->capture_depth) {
        if (d != x->capture_depth)
            return 0;
        x->capture_depth = 0;
        return end_value(x, id, act, parent);
    }
    switch (act) {
    case A_RECORD:
        return end_record(x);
    case A_ABSTRACT:
        return wn_record_add(x->p->rec, WN_F_ABSTRACT, "Abstract", x->abstract.data,
                             x->abstract.len);
    case A_OTHER_ABSTRACT:
        fold_space(&x->other_abstract);
        return wn_record_add(x->p->rec, WN_F_EXTRA, "OtherAbstract", x->other_abstract.data,
                             x->other_abstract.len);
    case A_AUTHOR:
        return add_author(x);
    case A_PUB_DATE:
        return add_pub_date(x);
    case A_ARTICLE_DATE:
        return add_article_date(x);
    default:
        return 0;
    }
}

/* ---- SAX2 callbacks ------------------------------------------------------------ */

/* The reader's state, or NULL once the parse is stopping. Callbacks come
 * only from the document's own context (entities are refused before any
 * could be expanded), but a stray one is ignored rather than trusted. */
static pxml *state_of(void *ctx)
{
    xmlParserCtxtPtr ctxt = ctx;
    pxml *x = ctxt ? ctxt->_private : NULL;
    return x && x->ctxt == ctxt && !x->rc ? x : NULL;
}

static void stop(pxml *x, int rc)
{
    if (rc && !x->rc) {
        x->rc = rc;
        xmlStopParser(x->ctxt);
    }
}

static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                      const xmlChar *uri, int n_namespaces, const xmlChar **namespaces,
                      int n_attributes, int n_defaulted, const xmlChar **attributes)
{
    (void)uri;
    (void)n_namespaces;
    (void)namespaces;
    (void)n_defaulted;
    pxml *x = state_of(ctx);
    if (!x)
        return;
    x->attrs = attributes;
    x->n_attrs = n_attributes;
    stop(x, on_start(x, localname, prefix));
    x->attrs = NULL;
    x->n_attrs = 0;
}

static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                    const xmlChar *uri)
{
    (void)localname;
    (void)prefix;
    (void)uri;
    pxml *x = state_of(ctx);
    if (x)
        stop(x, on_end(x));
}

/* Text, CDATA and white space: kept only inside a value element. */
static void sax_text(void *ctx, const xmlChar *text, int len)
{
    pxml *x = state_of(ctx);
    if (!x || !x->capture_depth || len <= 0)
        return;
    wn_buf *b = &x->p->scratch;
    if (b->len + (size_t)len > XML_MAX_TEXT_LENGTH) {
        stop(x, wn_parser_fail(x->p, (size_t)xmlSAX2GetLineNumber(x->ctxt),
                               "the text of <%s> is over %d bytes",
                               rules[x->ids[x->capture_depth - 1]].name, XML_MAX_TEXT_LENGTH));
        return;
    }
    stop(x, wn_buf_append(b, text, (size_t)len));
}

/* An entity left unexpanded (one an external DTD would define, such as
 * &eacute;) is kept as its reference; the normalizer decodes the HTML ones. */
static void sax_reference(void *ctx, const xmlChar *name)
{
    pxml *x = state_of(ctx);
    if (x && x->capture_depth)
        stop(x, wn_buf_printf(&x->p->scratch, "&%s;", (const char *)name));
}

static void sax_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                            const xmlChar *system_id, xmlChar *content)
{
    (void)type;
    (void)public_id;
    (void)system_id;
    (void)content;
    pxml *x = state_of(ctx);
    if (!x)
        return;
    x->entity_line = xmlSAX2GetLineNumber(x->ctxt);
    copy_cut(x->entity, sizeof x->entity, (const char *)name);
    stop(x, WN_EPARSE);
}

/* ---- libxml2 errors ----------------------------------------------------------- */

/* libxml2's message as one lowercase-initial line, cut at a character
 * boundary. */
static void tidy_message(const char *m, char *out, size_t cap)
{
    size_t n = m ? strlen(m) : 0;
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    if (n >= cap) {
        n = cap - 1;
        while (n && ((unsigned char)m[n] & 0xC0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = m[i] == '\n' ? ' ' : m[i];
    out[n] = '\0';
    if (n > 1 && out[0] >= 'A' && out[0] <= 'Z' && out[1] >= 'a' && out[1] <= 'z')
        out[0] = (char)(out[0] - 'A' + 'a');
}

static void sax_error(void *ctx, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = ctx;
    pxml *x = ctxt ? ctxt->_private : NULL;
    if (!x || !e || x->rc)
        return;
    if (e->level == XML_ERR_FATAL) {
        if (!x->xml_failed) {
            x->xml_failed = 1;
            x->err_line = e->line;
            x->err_col = e->int2;
            tidy_message(e->message, x->err_msg, sizeof x->err_msg);
        }
        return;
    }
    /* Errors libxml2 recovers from (an undeclared entity or namespace
     * prefix): the text is still read. */
    if (x->xml_failed)
        return;
    x->xml_warnings++;
    if (x->xml_warnings > MAX_XML_WARNINGS)
        return;
    char msg[240];
    tidy_message(e->message, msg, sizeof msg);
    wn_parser_warn(x->p, e->line > 0 ? (size_t)e->line : 0, "XML %s at column %d: %s%s",
                   e->level == XML_ERR_WARNING ? "warning" : "error", e->int2, msg,
                   x->xml_warnings == MAX_XML_WARNINGS ? " (further XML warnings not shown)"
                                                       : "");
}

/* Nothing from libxml2 may reach stderr, not even its generic messages. */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static int xml_failure(pxml *x)
{
    wn_parser *p = x->p;
    size_t line = x->err_line > 0 ? (size_t)x->err_line : 0;
    /* Cut off inside a record: the error sits on the last line that has
     * more than white space. */
    size_t end = p->len;
    while (end && is_space(p->text[end - 1]))
        end--;
    if (x->in_record && line && line >= line_at(&x->lines, end))
        return wn_parser_fail(p, x->rec_line,
                              "the %s that starts here is cut off: the file ends at line %zu "
                              "column %d inside it (truncated?)",
                              x->is_book ? "PubmedBookArticle" : "PubmedArticle", line,
                              x->err_col);
    return wn_parser_fail(p, line, "not well-formed XML at line %zu column %d: %s", line,
                          x->err_col, x->err_msg);
}

/* ---- parse ------------------------------------------------------------------- */

/* The decoded text, handed to libxml2 as it asks for more. */
typedef struct text_source {
    const char *text;
    size_t len, pos;
} text_source;

static int read_text(void *ctx, char *buf, int len)
{
    text_source *src = ctx;
    size_t n = src->len - src->pos;
    if (len <= 0)
        return 0;
    if (n > (size_t)len)
        n = (size_t)len;
    memcpy(buf, src->text + src->pos, n);
    src->pos += n;
    return (int)n;
}

static void pxml_free(pxml *x)
{
    for (int k = 0; k < N_NAME_PARTS; k++)
        wn_buf_free(&x->name[k]);
    for (int k = 0; k < N_DATE_PARTS; k++)
        wn_buf_free(&x->date[k]);
    wn_buf_free(&x->abstract);
    wn_buf_free(&x->other_abstract);
    wn_buf_free(&x->label);
    wn_buf_free(&x->pmid);
    wn_buf_free(&x->last_affiliation);
    wn_buf_free(&x->tmp);
    if (x->ctxt) {
        if (x->ctxt->myDoc)
            xmlFreeDoc(x->ctxt->myDoc);
        x->ctxt->myDoc = NULL;
        xmlFreeParserCtxt(x->ctxt);
    }
}

/* Only what the reader needs: no tree, no DTD, no entity resolution. */
static void sax_handler(xmlSAXHandler *h)
{
    memset(h, 0, sizeof *h);
    h->initialized = XML_SAX2_MAGIC;
    h->startElementNs = sax_start;
    h->endElementNs = sax_end;
    h->characters = sax_text;
    h->ignorableWhitespace = sax_text;
    h->cdataBlock = sax_text;
    h->reference = sax_reference;
    h->entityDecl = sax_entity_decl;
    h->serror = sax_error;
}

static int parse(wn_parser *p)
{
    int rc = 0;
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    pxml *x = calloc(1, sizeof *x);
    if (!x)
        return WN_ENOMEM;
    x->p = p;
    x->abstract.limit = x->other_abstract.limit = x->tmp.limit = WN_RECORD_MAX;
    lines_init(&x->lines, p->text, p->len);
    xmlSetGenericErrorFunc(NULL, quiet);
    size_t lead = 0;
    while (lead < p->len && is_space(p->text[lead]))
        lead++;
    if (lead == p->len) {
        rc = wn_parser_fail(p, 0, "no PubMed records found (the file is empty)");
        goto done;
    }
    xmlInitParser();
    xmlSAXHandler h;
    sax_handler(&h);
    text_source src = {p->text, p->len, 0};
    x->ctxt = xmlCreateIOParserCtxt(&h, NULL, read_text, NULL, &src, XML_CHAR_ENCODING_UTF8);
    if (!x->ctxt) {
        rc = WN_ENOMEM;
        goto done;
    }
    x->ctxt->_private = x;
    /* No NOENT (entities stay references), no DTD loading, no HUGE. */
    xmlCtxtUseOptions(x->ctxt, XML_PARSE_NONET | XML_PARSE_IGNORE_ENC);
    xmlParseDocument(x->ctxt);
    if (x->rc == WN_EPARSE && x->entity[0]) {
        rc = wn_parser_fail(p, (size_t)x->entity_line,
                            "the DOCTYPE declares the entity '%s'; entity declarations are "
                            "refused (PubMed XML has none, and they can hide an entity bomb "
                            "or a reference to a local file)",
                            x->entity);
        goto done;
    }
    if (x->rc) {
        rc = x->rc;
        goto done;
    }
    if (x->xml_failed || !x->ctxt->wellFormed) {
        rc = x->xml_failed ? xml_failure(x)
                           : wn_parser_fail(p, 0, "not well-formed XML (no details given)");
        goto done;
    }
    if (x->xml_warnings > MAX_XML_WARNINGS)
        wn_parser_warn(p, 0, "%zu XML warnings in all", x->xml_warnings);
    if (p->records == 0) {
        if (!x->root[0] || strcmp(x->root, "PubmedArticleSet") == 0)
            rc = wn_parser_fail(p, 0, "no PubMed records found (expected <PubmedArticle> "
                                      "elements inside <PubmedArticleSet>)");
        else
            rc = wn_parser_fail(p, 0,
                                "no PubMed records found (the root element is <%s>, "
                                "expected <PubmedArticleSet>)",
                                x->root);
    }
done:
    pxml_free(x);
    free(x);
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    return rc;
}

/* ---- detection ------------------------------------------------------------------ */

static int contains(const char *text, size_t len, const char *s)
{
    return memmem(text, len, s, strlen(s)) != NULL;
}

/* "<NAME" followed by a name delimiter somewhere in the window. */
static int has_start_tag(const char *text, size_t len, const char *tag)
{
    size_t n = strlen(tag);
    const char *at = text, *end = text + len;
    while (at < end) {
        const char *hit = memmem(at, (size_t)(end - at), tag, n);
        if (!hit || hit + n >= end)
            return 0;
        char d = hit[n];
        if (d == '>' || d == ' ' || d == '\t' || d == '\n' || d == '\r' || d == '/')
            return 1;
        at = hit + n;
    }
    return 0;
}

/* Whether the window reads as XML: most of its non-blank lines hold a tag
 * (text wrapped over lines, as in some abstracts, is the exception). A
 * document that only mentions the element names does not. */
static int mostly_markup(const char *text, size_t len)
{
    size_t lines = 0, tagged = 0;
    const char *at = text, *end = text + len;
    while (at < end) {
        const char *nl = memchr(at, '\n', (size_t)(end - at));
        const char *eol = nl ? nl : end;
        const char *c = at;
        while (c < eol && is_space(*c))
            c++;
        if (c < eol) {
            lines++;
            tagged += memchr(c, '<', (size_t)(eol - c)) != NULL;
        }
        at = eol + 1;
    }
    return lines && tagged * 2 >= lines;
}

/* The head of a file names PubmedArticleSet (or starts with a lone record,
 * as some tools write it); a window from the middle of a big file has at
 * least the end of a record or a PMID element. */
static int sniff(const char *text, size_t len)
{
    int head = has_start_tag(text, len, "<PubmedArticleSet") ||
               contains(text, len, "<!DOCTYPE PubmedArticleSet") ||
               has_start_tag(text, len, "<PubmedArticle") ||
               has_start_tag(text, len, "<PubmedBookArticle");
    int tail = !head && (contains(text, len, "</PubmedArticle>") ||
                         contains(text, len, "</PubmedBookArticle>") ||
                         contains(text, len, "</PubmedArticleSet>") ||
                         has_start_tag(text, len, "<PMID"));
    if ((!head && !tail) || !mostly_markup(text, len))
        return 0;
    if (tail)
        return 60;
    size_t i = 0;
    while (i < len && is_space(text[i]))
        i++;
    return len - i >= 5 && memcmp(text + i, "<?xml", 5) == 0 ? 100 : 95;
}

const wn_format wn_format_pubmed_xml = {"pubmed-xml", "PubMed XML", sniff, parse};
