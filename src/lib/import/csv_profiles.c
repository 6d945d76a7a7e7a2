/* CSV header profiles: one table per database export, saying which columns
 * identify that export and where each of its columns goes. Columns no
 * profile names fall back to winnow's own field names and common aliases;
 * anything else is kept as an extra tagged with its header. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/csv_impl.h"
#include "import/wos_tags.h"
#include "winnow/buf.h"
#include "winnow/text.h"

typedef struct csv_column {
    const char *header;
    int field; /* -1: kept as an extra even where an alias would place it */
    csv_how how;
} csv_column;

struct csv_profile {
    const char *label;
    const char *const *marks;  /* every one must be in the header */
    const csv_column *columns; /* ends with a NULL header */
    int wos_tags;              /* columns are Web of Science two-letter tags */
    const char *repeat, *anchor, *anchor_prefix; /* see csv_profile_repeat */
};

#define EXTRA (-1)
#define END {NULL, 0, CSV_USUAL}

/* ---- the profiles -------------------------------------------------------- */

static const char *const scopus_marks[] = {"Source title", "EID", NULL};
static const csv_column scopus_cols[] = {
    {"Authors", WN_F_AUTHOR, CSV_USUAL},
    {"Title", WN_F_TITLE, CSV_USUAL},
    {"Year", WN_F_YEAR, CSV_USUAL},
    {"Source title", WN_F_JOURNAL, CSV_USUAL},
    {"Volume", WN_F_VOLUME, CSV_USUAL},
    {"Issue", WN_F_ISSUE, CSV_USUAL},
    {"Page start", WN_F_START_PAGE, CSV_USUAL},
    {"Page end", WN_F_END_PAGE, CSV_USUAL},
    {"DOI", WN_F_DOI, CSV_USUAL},
    {"Link", WN_F_URL, CSV_USUAL},
    {"Abstract", WN_F_ABSTRACT, CSV_USUAL},
    {"Author Keywords", WN_F_KEYWORD, CSV_SPLIT_SEMI},
    {"ISSN", WN_F_ISSN, CSV_USUAL},
    {"ISBN", WN_F_ISBN, CSV_SPLIT_SEMI},
    {"PubMed ID", WN_F_PMID, CSV_USUAL},
    {"Language of Original Document", WN_F_LANGUAGE, CSV_USUAL},
    {"Abbreviated Source Title", WN_F_JOURNAL_ABBR, CSV_USUAL},
    {"Document Type", WN_F_TYPE_RAW, CSV_USUAL},
    {"Publisher", WN_F_PUBLISHER, CSV_USUAL},
    {"EID", WN_F_SOURCE_ID, CSV_USUAL},
    END,
};

/* Web of Science "Excel" export saved as CSV: full column names. */
static const char *const wos_marks[] = {"UT (Unique WOS ID)", NULL};
static const csv_column wos_cols[] = {
    {"Authors", WN_F_AUTHOR, CSV_SPLIT_SEMI},
    {"Article Title", WN_F_TITLE, CSV_USUAL},
    {"Source Title", WN_F_JOURNAL, CSV_USUAL},
    {"Language", WN_F_LANGUAGE, CSV_USUAL},
    {"Document Type", WN_F_TYPE_RAW, CSV_USUAL},
    {"Author Keywords", WN_F_KEYWORD, CSV_SPLIT_SEMI},
    {"Abstract", WN_F_ABSTRACT, CSV_USUAL},
    {"Publisher", WN_F_PUBLISHER, CSV_USUAL},
    {"ISSN", WN_F_ISSN, CSV_USUAL},
    {"eISSN", WN_F_ISSN, CSV_USUAL},
    {"ISBN", WN_F_ISBN, CSV_SPLIT_SEMI},
    {"Journal ISO Abbreviation", WN_F_JOURNAL_ABBR, CSV_USUAL},
    {"Publication Date", WN_F_DATE, CSV_USUAL},
    {"Publication Year", WN_F_YEAR, CSV_USUAL},
    {"Volume", WN_F_VOLUME, CSV_USUAL},
    {"Issue", WN_F_ISSUE, CSV_USUAL},
    {"Start Page", WN_F_START_PAGE, CSV_USUAL},
    {"End Page", WN_F_END_PAGE, CSV_USUAL},
    {"DOI", WN_F_DOI, CSV_USUAL},
    {"Pubmed Id", WN_F_PMID, CSV_USUAL},
    {"UT (Unique WOS ID)", WN_F_SOURCE_ID, CSV_USUAL},
    END,
};

/* Web of Science tagged columns (PT, AU, TI ... UT) with commas or
 * semicolons between them; tab-delimited files have their own reader. */
static const char *const wos_tag_marks[] = {"PT", "TI", "UT", NULL};
static const csv_column no_cols[] = {END};

static const char *const embase_marks[] = {"Emtree Medical Index Terms", NULL};
static const csv_column embase_cols[] = {
    {"Title", WN_F_TITLE, CSV_USUAL},
    {"Author Names", WN_F_AUTHOR, CSV_USUAL},
    {"Source", EXTRA, CSV_EMBASE_SOURCE},
    {"Source title", WN_F_JOURNAL, CSV_USUAL},
    {"Publication Year", WN_F_YEAR, CSV_USUAL},
    {"First Page", WN_F_START_PAGE, CSV_USUAL},
    {"Last Page", WN_F_END_PAGE, CSV_USUAL},
    {"Date of Publication", WN_F_DATE, CSV_USUAL},
    {"Publication Type", WN_F_TYPE_RAW, CSV_USUAL},
    {"Abstract", WN_F_ABSTRACT, CSV_USUAL},
    {"Author Keywords", WN_F_KEYWORD, CSV_USUAL},
    {"Medline PMID", WN_F_PMID, CSV_USUAL},
    {"Embase Accession ID", WN_F_SOURCE_ID, CSV_USUAL},
    {"Language of Article", WN_F_LANGUAGE, CSV_USUAL},
    {"Full Text Link", WN_F_URL, CSV_USUAL},
    END,
};

static const char *const ieee_marks[] = {"Document Title", "Publication Title", NULL};
static const csv_column ieee_cols[] = {
    {"Document Title", WN_F_TITLE, CSV_USUAL},
    {"Authors", WN_F_AUTHOR, CSV_SPLIT_SEMI},
    {"Publication Title", WN_F_JOURNAL, CSV_USUAL},
    {"Publication Year", WN_F_YEAR, CSV_USUAL},
    {"Start Page", WN_F_START_PAGE, CSV_USUAL},
    {"End Page", WN_F_END_PAGE, CSV_USUAL},
    {"Author Keywords", WN_F_KEYWORD, CSV_SPLIT_SEMI},
    {"ISBNs", WN_F_ISBN, CSV_SPLIT_SEMI},
    {"PDF Link", WN_F_URL, CSV_USUAL},
    {"Document Identifier", WN_F_TYPE_RAW, CSV_USUAL},
    END,
};

static const char *const pubmed_marks[] = {"PMID", "Citation", "Journal/Book", NULL};
static const csv_column pubmed_cols[] = {
    {"Citation", EXTRA, CSV_PUBMED_CITATION},
    {"Create Date", EXTRA, CSV_USUAL},
    END,
};

static const char *const openalex_marks[] = {"display_name", "publication_year", NULL};
static const csv_column openalex_cols[] = {
    {"id", WN_F_SOURCE_ID, CSV_USUAL},
    {"display_name", WN_F_TITLE, CSV_USUAL},
    {"title", WN_F_TITLE, CSV_USUAL},
    {"authorships.author.display_name", WN_F_AUTHOR, CSV_SPLIT_PIPE},
    {"publication_date", WN_F_DATE, CSV_USUAL},
    {"primary_location.source.display_name", WN_F_JOURNAL, CSV_USUAL},
    {"primary_location.source.issn_l", WN_F_ISSN, CSV_USUAL},
    {"biblio.volume", WN_F_VOLUME, CSV_USUAL},
    {"biblio.issue", WN_F_ISSUE, CSV_USUAL},
    {"biblio.first_page", WN_F_START_PAGE, CSV_USUAL},
    {"biblio.last_page", WN_F_END_PAGE, CSV_USUAL},
    {"ids.pmid", WN_F_PMID, CSV_USUAL},
    {"keywords.display_name", WN_F_KEYWORD, CSV_SPLIT_PIPE},
    {"type", WN_F_TYPE_RAW, CSV_USUAL},
    END,
};

/* Publish or Perish CSV (Google Scholar and the other sources it queries). */
static const char *const pop_marks[] = {"GSRank", "CitesURL", NULL};
static const csv_column pop_cols[] = {
    {"Source", WN_F_JOURNAL, CSV_USUAL},
    {"ArticleURL", WN_F_URL, CSV_USUAL},
    {"StartPage", WN_F_START_PAGE, CSV_USUAL},
    {"EndPage", WN_F_END_PAGE, CSV_USUAL},
    {"Type", WN_F_TYPE_RAW, CSV_USUAL},
    END,
};

/* Google Scholar "My library" export. */
static const char *const scholar_marks[] = {"Authors", "Title", "Publication", "Number",
                                            "Pages", "Year", "Publisher", NULL};
static const csv_column scholar_cols[] = {
    {"Authors", WN_F_AUTHOR, CSV_SPLIT_SEMI},
    END,
};

static const char *const ebsco_marks[] = {"PLink", NULL};
static const csv_column ebsco_cols[] = {
    {"Author", WN_F_AUTHOR, CSV_SPLIT_SEMI},
    {"Accession Number", WN_F_SOURCE_ID, CSV_USUAL},
    {"Doctype", WN_F_TYPE_RAW, CSV_USUAL},
    {"Subjects", WN_F_KEYWORD, CSV_SPLIT_SEMI},
    {"Keywords", WN_F_KEYWORD, CSV_SPLIT_SEMI},
    {"PLink", WN_F_URL, CSV_USUAL},
    END,
};

static const char *const covidence_marks[] = {"Covidence #", NULL};
static const csv_column covidence_cols[] = {
    {"Authors", WN_F_AUTHOR, CSV_SPLIT_SEMI},
    {"Published Year", WN_F_YEAR, CSV_USUAL},
    {"Covidence #", WN_F_SOURCE_ID, CSV_USUAL},
    {"Tags", WN_F_KEYWORD, CSV_SPLIT_SEMI},
    END,
};

static const char *const zotero_marks[] = {"Key", "Item Type", "Abstract Note", NULL};
static const csv_column zotero_cols[] = {
    {"Key", WN_F_SOURCE_ID, CSV_USUAL},
    {"Item Type", WN_F_TYPE_RAW, CSV_USUAL},
    {"Author", WN_F_AUTHOR, CSV_SPLIT_SEMI},
    {"Publication Title", WN_F_JOURNAL, CSV_USUAL},
    {"Abstract Note", WN_F_ABSTRACT, CSV_USUAL},
    {"Date", WN_F_DATE, CSV_USUAL},
    {"Journal Abbreviation", WN_F_JOURNAL_ABBR, CSV_USUAL},
    {"Manual Tags", WN_F_KEYWORD, CSV_SPLIT_SEMI},
    {"Automatic Tags", WN_F_KEYWORD, CSV_SPLIT_SEMI},
    {"Url", WN_F_URL, CSV_USUAL},
    END,
};

static const char *const no_marks[] = {NULL};

static const csv_profile profiles[] = {
    {"Scopus export", scopus_marks, scopus_cols, 0, "Funding Text 1", "EID", "2-s2.0-"},
    {"Web of Science export", wos_marks, wos_cols, 0, NULL, NULL, NULL},
    {"Web of Science tagged export", wos_tag_marks, no_cols, 1, NULL, NULL, NULL},
    {"Embase export", embase_marks, embase_cols, 0, NULL, NULL, NULL},
    {"IEEE Xplore export", ieee_marks, ieee_cols, 0, NULL, NULL, NULL},
    {"PubMed CSV export", pubmed_marks, pubmed_cols, 0, NULL, NULL, NULL},
    {"OpenAlex CSV export", openalex_marks, openalex_cols, 0, NULL, NULL, NULL},
    {"Publish or Perish export", pop_marks, pop_cols, 0, NULL, NULL, NULL},
    {"Google Scholar export", scholar_marks, scholar_cols, 0, NULL, NULL, NULL},
    {"EBSCO (CINAHL) export", ebsco_marks, ebsco_cols, 0, NULL, NULL, NULL},
    {"Covidence export", covidence_marks, covidence_cols, 0, NULL, NULL, NULL},
    {"Zotero export", zotero_marks, zotero_cols, 0, NULL, NULL, NULL},
};
#define N_PROFILES (sizeof profiles / sizeof profiles[0])

const csv_profile csv_generic_profile = {"generic columns", no_marks, no_cols, 0,
                                         NULL, NULL, NULL};

/* Header names many tools write (ASReview, BibTeX-derived tables, reference
 * managers), for any profile. */
static const struct {
    const char *name;
    wn_field field;
} aliases[] = {
    {"article title", WN_F_TITLE},
    {"document title", WN_F_TITLE},
    {"primary_title", WN_F_TITLE},
    {"author", WN_F_AUTHOR},
    {"author(s)", WN_F_AUTHOR},
    {"author names", WN_F_AUTHOR},
    {"first_authors", WN_F_AUTHOR},
    {"publication year", WN_F_YEAR},
    {"publication_year", WN_F_YEAR},
    {"published year", WN_F_YEAR},
    {"publication date", WN_F_DATE},
    {"notes_abstract", WN_F_ABSTRACT},
    {"journal title", WN_F_JOURNAL},
    {"journal/book", WN_F_JOURNAL},
    {"source title", WN_F_JOURNAL},
    {"publication", WN_F_JOURNAL},
    {"publication title", WN_F_JOURNAL},
    {"secondary_title", WN_F_JOURNAL},
    {"abbreviated source title", WN_F_JOURNAL_ABBR},
    {"number", WN_F_ISSUE},
    {"page start", WN_F_START_PAGE},
    {"start page", WN_F_START_PAGE},
    {"start_page", WN_F_START_PAGE},
    {"first page", WN_F_START_PAGE},
    {"page end", WN_F_END_PAGE},
    {"end page", WN_F_END_PAGE},
    {"end_page", WN_F_END_PAGE},
    {"keyword", WN_F_KEYWORD},
    {"keywords", WN_F_KEYWORD},
    {"author keywords", WN_F_KEYWORD},
    {"pubmed id", WN_F_PMID},
    {"isbns", WN_F_ISBN},
    {"language of original document", WN_F_LANGUAGE},
    {"url", WN_F_URL},
    {"link", WN_F_URL},
    {"id", WN_F_SOURCE_ID},
    {"record_id", WN_F_SOURCE_ID},
    {"entrytype", WN_F_TYPE_RAW},
    {"document type", WN_F_TYPE_RAW},
    {"type_of_reference", WN_F_TYPE_RAW},
};

int csv_name_is(const char *name, size_t len, const char *want)
{
    while (len && isspace((unsigned char)*name))
        name++, len--;
    while (len && isspace((unsigned char)name[len - 1]))
        len--;
    return strlen(want) == len && strncasecmp(want, name, len) == 0;
}

/* winnow's own column names and the aliases; -1 when neither names it. */
static int generic_field(const char *name, size_t len)
{
    for (int f = 0; f < WN_F_COUNT; f++)
        if (csv_name_is(name, len, wn_field_name((wn_field)f)))
            return f;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (csv_name_is(name, len, aliases[i].name))
            return (int)aliases[i].field;
    return -1;
}

static int has_column(const csv_name *cols, size_t n, const char *want)
{
    for (size_t i = 0; i < n; i++)
        if (csv_name_is(cols[i].s, cols[i].len, want))
            return 1;
    return 0;
}

static size_t count_marks(const csv_profile *pr)
{
    size_t k = 0;
    while (pr->marks[k])
        k++;
    return k;
}

const csv_profile *csv_profile_for(const csv_name *cols, size_t n)
{
    const csv_profile *best = &csv_generic_profile;
    size_t best_marks = 0;
    for (size_t p = 0; p < N_PROFILES; p++) {
        size_t k = count_marks(&profiles[p]), i = 0;
        while (i < k && has_column(cols, n, profiles[p].marks[i]))
            i++;
        if (i == k && k > best_marks)
            best = &profiles[p], best_marks = k;
    }
    return best;
}

const char *csv_profile_label(const csv_profile *pr) { return pr->label; }
int csv_profile_is_generic(const csv_profile *pr) { return pr == &csv_generic_profile; }

const char *csv_profile_repeat(const csv_profile *pr, const char **anchor, const char **prefix)
{
    *anchor = pr->anchor;
    *prefix = pr->anchor_prefix;
    return pr->repeat;
}

int csv_profile_rule(const csv_profile *pr, const char *name, size_t len, csv_rule *rule)
{
    rule->how = CSV_USUAL;
    rule->wos_tag = -1;
    for (const csv_column *c = pr->columns; c->header; c++)
        if (csv_name_is(name, len, c->header)) {
            rule->field = c->field;
            rule->how = c->how;
            return 1;
        }
    if (pr->wos_tags) {
        while (len && isspace((unsigned char)*name))
            name++, len--;
        while (len && isspace((unsigned char)name[len - 1]))
            len--;
        int ix = wos_tag_index(name, len);
        if (ix >= 0 && wos_tag_known(ix)) {
            rule->field = EXTRA;
            rule->how = CSV_WOS_TAG;
            rule->wos_tag = ix;
            return 1;
        }
    }
    rule->field = generic_field(name, len);
    return rule->field >= 0;
}

int csv_column_known(const char *name, size_t len)
{
    if (generic_field(name, len) >= 0)
        return 1;
    for (size_t p = 0; p < N_PROFILES; p++)
        for (const csv_column *c = profiles[p].columns; c->header; c++)
            if (csv_name_is(name, len, c->header))
                return 1;
    return 0;
}

void csv_profile_describe(const csv_profile *pr, const csv_name *cols, size_t n, char *out,
                          size_t size)
{
    size_t used = (size_t)snprintf(out, size, "%s (header has ", pr->label);
    const char *sep = "";
    size_t listed = 0;
    for (size_t i = 0; used < size; i++) {
        const char *name;
        int nlen;
        if (!csv_profile_is_generic(pr)) {
            if (!pr->marks[i])
                break;
            name = pr->marks[i];
            nlen = (int)strlen(name);
        } else {
            if (i >= n || listed == 5)
                break;
            csv_rule r;
            if (!csv_profile_rule(pr, cols[i].s, cols[i].len, &r) || r.field < 0)
                continue;
            name = cols[i].s;
            nlen = cols[i].len > 40 ? 40 : (int)cols[i].len;
        }
        used += (size_t)snprintf(out + used, size - used, "%s%.*s", sep, nlen, name);
        sep = ", ";
        listed++;
    }
    if (used < size)
        snprintf(out + used, size - used, ")");
}

/* ---- --map ----------------------------------------------------------------- */

void csv_map_free(csv_map *m)
{
    for (size_t i = 0; m && i < m->n; i++)
        free(m->e[i].header);
    if (m)
        free(m->e);
}

int csv_map_parse(const char *text, csv_map *out, wn_err *err)
{
    out->e = NULL;
    out->n = 0;
    if (!text || !*text)
        return 0;
    size_t pairs = 1;
    for (const char *c = text; *c; c++)
        pairs += *c == ',';
    out->e = calloc(pairs, sizeof *out->e);
    if (!out->e)
        return wn_err_set(err, WN_ENOMEM, "out of memory");
    const char *s = text;
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        const char *eq = memchr(s, '=', len);
        int rc = 0;
        if (!eq) {
            rc = wn_err_set(err, WN_EINVAL, "--map: '%.*s' is not FIELD=COLUMN", (int)len, s);
        } else {
            size_t flen = (size_t)(eq - s);
            const char *col = eq + 1;
            size_t clen = len - flen - 1;
            while (clen && isspace((unsigned char)*col))
                col++, clen--;
            while (clen && isspace((unsigned char)col[clen - 1]))
                clen--;
            int f = generic_field(s, flen);
            if (f < 0 || f == WN_F_EXTRA)
                rc = wn_err_set(err, WN_EINVAL,
                                "--map: '%.*s' is not a field (title, abstract, authors, "
                                "year, doi, journal, volume, issue, pages, keywords, pmid, "
                                "source_ref ...)",
                                (int)flen, s);
            else if (!clen)
                rc = wn_err_set(err, WN_EINVAL, "--map: no column named for '%.*s'", (int)flen,
                                s);
            else if (!(out->e[out->n].header = wn_strndup(col, clen)))
                rc = wn_err_set(err, WN_ENOMEM, "out of memory");
            else
                out->e[out->n++].field = f;
        }
        if (rc) {
            csv_map_free(out);
            out->e = NULL;
            out->n = 0;
            return rc;
        }
        s += len + (comma != NULL);
    }
    return 0;
}

int csv_map_find(const csv_map *m, const char *name, size_t len)
{
    for (size_t i = 0; i < m->n; i++)
        if (csv_name_is(name, len, m->e[i].header))
            return (int)i;
    return -1;
}

/* ---- cells that hold several fields -------------------------------------- */

static int add_if_absent(wn_record *rec, wn_field f, const char *s, size_t len)
{
    if (!len || wn_record_count(rec, f))
        return 0;
    return wn_record_add(rec, f, NULL, s, len);
}

/* Length of the run of s[0..len) up to the first byte in stop. */
static size_t span_until(const char *s, size_t len, const char *stop)
{
    size_t k = 0;
    while (k < len && !strchr(stop, s[k]))
        k++;
    return k;
}

int csv_add_embase_source(wn_record *rec, const char *s, size_t len)
{
    /* "Journal Name (2014) 3:3 (152-160). Date of Publication: ..." */
    size_t y = 0;
    while (y + 7 <= len && !(s[y] == ' ' && s[y + 1] == '(' && isdigit((unsigned char)s[y + 2]) &&
                             isdigit((unsigned char)s[y + 3]) && isdigit((unsigned char)s[y + 4]) &&
                             isdigit((unsigned char)s[y + 5]) && s[y + 6] == ')'))
        y++;
    if (y + 7 > len)
        return 0;
    int rc = add_if_absent(rec, WN_F_JOURNAL, s, y);
    if (!rc)
        rc = add_if_absent(rec, WN_F_YEAR, s + y + 2, 4);
    const char *r = s + y + 7;
    size_t n = len - y - 7;
    while (n && *r == ' ')
        r++, n--;
    size_t vol = span_until(r, n, ": (.");
    if (!rc)
        rc = add_if_absent(rec, WN_F_VOLUME, r, vol);
    r += vol, n -= vol;
    if (n && *r == ':') {
        size_t iss = span_until(r + 1, n - 1, " (.");
        if (!rc)
            rc = add_if_absent(rec, WN_F_ISSUE, r + 1, iss);
        r += iss + 1, n -= iss + 1;
    }
    while (n && *r == ' ')
        r++, n--;
    if (n && *r == '(') {
        size_t pages = span_until(r + 1, n - 1, ")");
        if (pages < n - 1 && !rc)
            rc = add_if_absent(rec, WN_F_PAGES, r + 1, pages);
    }
    return rc;
}

int csv_add_pubmed_citation(wn_record *rec, const char *s, size_t len)
{
    /* "Eur J Med Genet. 2020 Feb;63(2):103640. doi: ..." */
    size_t semi = span_until(s, len, ";");
    if (semi >= len)
        return 0;
    const char *r = s + semi + 1;
    size_t n = len - semi - 1;
    size_t vol = span_until(r, n, "(:. ");
    int rc = add_if_absent(rec, WN_F_VOLUME, r, vol);
    r += vol, n -= vol;
    if (n && *r == '(') {
        size_t iss = span_until(r + 1, n - 1, ")");
        if (iss < n - 1 && !rc)
            rc = add_if_absent(rec, WN_F_ISSUE, r + 1, iss);
        size_t skip = iss + 2 <= n ? iss + 2 : n;
        r += skip, n -= skip;
    }
    if (n && *r == ':') {
        size_t pages = 0;
        while (pages + 1 < n && !(r[1 + pages] == '.' || r[1 + pages] == ' '))
            pages++;
        if (!rc)
            rc = add_if_absent(rec, WN_F_PAGES, r + 1, pages);
    }
    return rc;
}
