/* CSV: one record per row under a header row (RFC 4180, with quoted cells
 * that span lines; comma, semicolon or tab delimited; LF, CRLF or CR line
 * ends).
 *
 * Header cells name the columns: winnow's own column names (wn_field_name)
 * or a common alias ("Publication Year", "Source title" ...), compared
 * without regard to case; any other column is kept as an extra field tagged
 * with its header. A header that is exactly the one winnow's CSV export
 * writes switches to that export's cell encoding (repeatable values split on
 * LF or given as a JSON array, extras as JSON [tag, value] pairs), so an
 * export reads back to the same fields. Other files get the looser reading
 * real exports need (authors separated by "; ", ", " or " and "). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "import/parser.h"

/* ---- column names ------------------------------------------------------ */

/* Header names other tools write, mapped to fields (compared ignoring case).
 * Database-specific columns can be added here or in a profile table. */
static const struct {
    const char *name;
    wn_field field;
} aliases[] = {
    {"title", WN_F_TITLE},
    {"article title", WN_F_TITLE},
    {"document title", WN_F_TITLE},
    {"author", WN_F_AUTHOR},
    {"authors", WN_F_AUTHOR},
    {"author(s)", WN_F_AUTHOR},
    {"author names", WN_F_AUTHOR},
    {"first_authors", WN_F_AUTHOR},
    {"year", WN_F_YEAR},
    {"publication year", WN_F_YEAR},
    {"publication_year", WN_F_YEAR},
    {"published year", WN_F_YEAR},
    {"publication date", WN_F_DATE},
    {"abstract", WN_F_ABSTRACT},
    {"doi", WN_F_DOI},
    {"journal", WN_F_JOURNAL},
    {"journal title", WN_F_JOURNAL},
    {"journal/book", WN_F_JOURNAL},
    {"source title", WN_F_JOURNAL},
    {"publication", WN_F_JOURNAL},
    {"publication title", WN_F_JOURNAL},
    {"abbreviated source title", WN_F_JOURNAL_ABBR},
    {"volume", WN_F_VOLUME},
    {"issue", WN_F_ISSUE},
    {"number", WN_F_ISSUE},
    {"pages", WN_F_PAGES},
    {"page start", WN_F_START_PAGE},
    {"start page", WN_F_START_PAGE},
    {"first page", WN_F_START_PAGE},
    {"page end", WN_F_END_PAGE},
    {"end page", WN_F_END_PAGE},
    {"keywords", WN_F_KEYWORD},
    {"author keywords", WN_F_KEYWORD},
    {"pmid", WN_F_PMID},
    {"pubmed id", WN_F_PMID},
    {"pmcid", WN_F_PMCID},
    {"issn", WN_F_ISSN},
    {"isbn", WN_F_ISBN},
    {"isbns", WN_F_ISBN},
    {"language", WN_F_LANGUAGE},
    {"language of original document", WN_F_LANGUAGE},
    {"url", WN_F_URL},
    {"link", WN_F_URL},
    {"publisher", WN_F_PUBLISHER},
    {"id", WN_F_SOURCE_ID},
    {"record_id", WN_F_SOURCE_ID},
    {"entrytype", WN_F_TYPE_RAW},
    {"document type", WN_F_TYPE_RAW},
    {"type_of_reference", WN_F_TYPE_RAW},
};

/* The field a header cell names, or -1. */
static int column_field(const char *name, size_t len)
{
    while (len && isspace((unsigned char)*name))
        name++, len--;
    while (len && isspace((unsigned char)name[len - 1]))
        len--;
    for (int f = 0; f < WN_F_COUNT; f++) {
        const char *own = wn_field_name((wn_field)f);
        if (strlen(own) == len && strncasecmp(own, name, len) == 0)
            return f;
    }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strlen(aliases[i].name) == len && strncasecmp(aliases[i].name, name, len) == 0)
            return (int)aliases[i].field;
    return -1;
}

/* Columns of winnow's export that may hold several values; must match the
 * writer (src/lib/export/csv_out.c). */
static int multi_valued(wn_field f) { return wn_field_is_list(f) || f == WN_F_DOI; }

/* ---- rows -------------------------------------------------------------- */

typedef struct csv_row {
    wn_buf text;   /* cell contents, each followed by a NUL */
    size_t *start; /* offset of each cell in text */
    size_t n, cap;
    size_t line;   /* line of the row's first byte */
    size_t offset; /* byte offset of the row */
    size_t length; /* bytes up to and including the row end */
} csv_row;

typedef struct csv_scan {
    const char *s;
    size_t len;
    size_t pos;
    size_t line; /* line number at pos */
    char delim;
} csv_scan;

static const char *cell_at(const csv_row *r, size_t i) { return r->text.data + r->start[i]; }
static size_t cell_len(const csv_row *r, size_t i)
{
    size_t end = i + 1 < r->n ? r->start[i + 1] - 1 : r->text.len - 1;
    return end - r->start[i];
}

static int begin_cell(csv_row *r)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        size_t *s = realloc(r->start, cap * sizeof *s);
        if (!s)
            return WN_ENOMEM;
        r->start = s;
        r->cap = cap;
    }
    r->start[r->n++] = r->text.len;
    return 0;
}

/* Appends s[a..b) to the cell, counting the line ends it crosses. */
static int take(csv_scan *sc, csv_row *r, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (sc->s[i] == '\n' || (sc->s[i] == '\r' && (i + 1 >= sc->len || sc->s[i + 1] != '\n')))
            sc->line++;
    return wn_buf_append(&r->text, sc->s + a, b - a);
}

/* Reads the row at sc->pos. Returns 1 with a row, 0 at the end of input,
 * WN_EPARSE (with *bad_line set) for a quote never closed, or WN_ENOMEM. */
static int read_row(csv_scan *sc, csv_row *r, size_t *bad_line)
{
    const char *s = sc->s;
    size_t len = sc->len, i = sc->pos;
    if (i >= len)
        return 0;
    wn_buf_clear(&r->text);
    r->n = 0;
    r->line = sc->line;
    r->offset = i;
    for (;;) {
        if (begin_cell(r))
            return WN_ENOMEM;
        if (i < len && s[i] == '"') {
            size_t open_line = sc->line;
            i++;
            for (;;) {
                const char *q = memchr(s + i, '"', len - i);
                if (!q) {
                    *bad_line = open_line;
                    return WN_EPARSE;
                }
                size_t at = (size_t)(q - s);
                if (take(sc, r, i, at + (at + 1 < len && s[at + 1] == '"')))
                    return WN_ENOMEM;
                if (at + 1 < len && s[at + 1] == '"') {
                    i = at + 2; /* "" is one quote */
                    continue;
                }
                i = at + 1;
                break;
            }
        }
        /* Unquoted text, or anything after a closing quote, up to the next
         * delimiter or line end (stray quotes are kept as written). */
        size_t a = i;
        while (i < len && s[i] != sc->delim && s[i] != '\n' && s[i] != '\r')
            i++;
        if (wn_buf_append(&r->text, s + a, i - a) || wn_buf_putc(&r->text, '\0'))
            return WN_ENOMEM;
        if (i < len && s[i] == sc->delim) {
            i++;
            continue;
        }
        if (i < len) {
            i += (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
            sc->line++;
        }
        break;
    }
    r->length = i - r->offset;
    sc->pos = i;
    return 1;
}

static int row_blank(const csv_row *r)
{
    for (size_t i = 0; i < r->n; i++)
        for (const char *c = cell_at(r, i); *c; c++)
            if (!isspace((unsigned char)*c))
                return 0;
    return 1;
}

/* Where a quick scan stands with respect to quoted cells. */
typedef struct quote_state {
    int quoted;     /* inside a quoted cell */
    int cell_start; /* the next byte starts a cell */
} quote_state;

/* Steps over s[*i] when it belongs to a quoted cell: a quote that opens a
 * cell (only at the cell's start, as RFC 4180 has it; elsewhere it is text),
 * the cell's text, a doubled quote (*i moves past both) or the closing
 * quote. Returns 1 when the caller should skip the byte, 0 when it is
 * unquoted text or a separator for the caller to look at. */
static int skip_quoted(const char *s, size_t len, size_t *i, quote_state *q)
{
    char c = s[*i];
    if (q->quoted) {
        if (c == '"' && *i + 1 < len && s[*i + 1] == '"')
            (*i)++;
        else if (c == '"')
            q->quoted = 0;
        return 1;
    }
    int opens = c == '"' && q->cell_start;
    q->quoted = opens;
    q->cell_start = 0;
    return opens;
}

/* The delimiter of a header line: the most frequent of comma, semicolon and
 * tab outside quotes (comma on a tie or when there is none). */
static char pick_delimiter(const char *s, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    quote_state q = {0, 1};
    for (size_t i = 0; i < len; i++) {
        if (skip_quoted(s, len, &i, &q))
            continue;
        char c = s[i];
        if (c == '\n' || c == '\r')
            break;
        comma += c == ',', semi += c == ';', tab += c == '\t';
        q.cell_start = c == ',' || c == ';' || c == '\t';
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

/* ---- cells to fields --------------------------------------------------- */

typedef struct csv_ctx {
    wn_parser *p;
    int *fields;      /* per column: field id or -1 (extra) */
    char **tags;      /* per column: header text used as tag */
    size_t ncols;
    int own;          /* header is exactly winnow's export header */
} csv_ctx;

/* Parses a whole cell as JSON (NULL when it is not JSON, or has text
 * after the value). */
static cJSON *parse_json_cell(const char *cell, size_t len)
{
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(cell, len, &end, 0);
    if (!j)
        return NULL;
    while (end && end < cell + len && isspace((unsigned char)*end))
        end++;
    if (end != cell + len) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static int is_string(const cJSON *j)
{
    return cJSON_IsString(j);
}

static int is_tag_value_pair(const cJSON *j)
{
    return cJSON_GetArraySize(j) == 2 && cJSON_IsString(cJSON_GetArrayItem(j, 0)) &&
           cJSON_IsString(cJSON_GetArrayItem(j, 1));
}

/* Parses a whole cell as a JSON array whose every item passes item_ok;
 * NULL when it is anything else. */
static cJSON *parse_json_array_cell(const char *cell, size_t len, int (*item_ok)(const cJSON *))
{
    cJSON *arr = parse_json_cell(cell, len);
    int ok = cJSON_IsArray(arr);
    const cJSON *it;
    if (ok) {
        cJSON_ArrayForEach(it, arr) {
            if (!(ok = item_ok(it)))
                break;
        }
    }
    if (!ok) {
        cJSON_Delete(arr);
        return NULL;
    }
    return arr;
}

/* Adds each string of a JSON array cell; *done says whether the cell was
 * such an array (nothing is added when it was not). */
static int add_json_list(wn_record *rec, wn_field f, const char *tag, const char *cell,
                         size_t len, int *done)
{
    int rc = 0;
    cJSON *arr = parse_json_array_cell(cell, len, is_string);
    *done = arr != NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        if ((rc = wn_record_add_str(rec, f, tag, it->valuestring)))
            break;
    }
    cJSON_Delete(arr);
    return rc;
}

/* The extra column of winnow's export: [[tag, value], ...]. *done says
 * whether the cell had that shape. */
static int add_json_extras(wn_record *rec, const char *cell, size_t len, int *done)
{
    int rc = 0;
    cJSON *arr = parse_json_array_cell(cell, len, is_tag_value_pair);
    *done = arr != NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        rc = wn_record_add_str(rec, WN_F_EXTRA, cJSON_GetArrayItem(it, 0)->valuestring,
                               cJSON_GetArrayItem(it, 1)->valuestring);
        if (rc)
            break;
    }
    cJSON_Delete(arr);
    return rc;
}

/* Adds one value of field f (wn_record_add or add_author). */
typedef int (*add_fn)(wn_record *rec, wn_field f, const char *tag, const char *s, size_t len);

/* Adds the pieces of s[0..len) separated by sep (a string), each with add. */
static int add_split(wn_record *rec, wn_field f, const char *tag, const char *s, size_t len,
                     const char *sep, add_fn add)
{
    size_t seplen = strlen(sep);
    while (len) {
        size_t k = 0;
        while (k < len && !(k + seplen <= len && memcmp(s + k, sep, seplen) == 0))
            k++;
        int rc = add(rec, f, tag, s, k);
        if (rc)
            return rc;
        if (k == len)
            break;
        s += k + seplen;
        len -= k + seplen;
    }
    return 0;
}

/* An author (f is WN_F_AUTHOR): "Griffin DK" or "Wilson L.N." (surname,
 * then initials) as "Surname, DK"; empty ones are dropped. */
static int add_author(wn_record *rec, wn_field f, const char *tag, const char *s, size_t len)
{
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (!len)
        return 0;
    size_t sp = len;
    while (sp && s[sp - 1] != ' ')
        sp--;
    int initials = sp > 1 && len - sp <= 6 && !memchr(s, ',', len);
    for (size_t k = sp; k < len && initials; k++)
        initials = (s[k] >= 'A' && s[k] <= 'Z') || s[k] == '.' || s[k] == '-';
    if (!initials)
        return wn_record_add(rec, f, tag, s, len);
    wn_buf b = WN_BUF_INIT;
    int rc = wn_buf_append(&b, s, sp - 1);
    if (!rc)
        rc = wn_buf_puts(&b, ", ");
    if (!rc)
        rc = wn_buf_append(&b, s + sp, len - sp);
    if (!rc)
        rc = wn_record_add(rec, f, tag, b.data, b.len);
    wn_buf_free(&b);
    return rc;
}

/* Authors as other tools write them in one cell: one per line; "A, B; C,
 * D"; "A and B" (BibTeX); "Griffin DK, Larkin DM." (PubMed); "Ann Lee, Bo
 * Li" (IEEE). A lone "Smith, John" stays one author. */
static int add_authors(wn_record *rec, const char *tag, const char *s, size_t len)
{
    const char *sep = NULL;
    if (memchr(s, '\n', len))
        sep = "\n";
    else if (memchr(s, ';', len))
        sep = ";";
    else if (strstr(s, " and "))
        sep = " and ";
    if (sep)
        return add_split(rec, WN_F_AUTHOR, tag, s, len, sep, add_author);
    if (!memchr(s, ',', len))
        return add_author(rec, WN_F_AUTHOR, tag, s, len);
    /* Comma-separated only when every part is a whole name (has a space). */
    size_t parts = 0, named = 0;
    for (size_t a = 0, k = 0; k <= len; k++) {
        if (k < len && s[k] != ',')
            continue;
        size_t b = a, e = k;
        while (b < e && s[b] == ' ')
            b++;
        while (e > b && s[e - 1] == ' ')
            e--;
        parts++;
        named += memchr(s + b, ' ', e - b) != NULL;
        a = k + 1;
    }
    if (named < parts)
        return add_author(rec, WN_F_AUTHOR, tag, s, len);
    /* PubMed ends the list with a full stop that belongs to no name. */
    if (len && s[len - 1] == '.' && !memchr(s, '.', len - 1))
        len--;
    return add_split(rec, WN_F_AUTHOR, tag, s, len, ",", add_author);
}

static int add_cell(csv_ctx *c, size_t col, const char *cell, size_t len)
{
    wn_record *rec = c->p->rec;
    int f = c->fields[col];
    const char *tag = c->tags[col];
    int rc;
    if (f < 0)
        return wn_record_add(rec, WN_F_EXTRA, tag, cell, len);
    int done = 0;
    if (f == WN_F_EXTRA) {
        rc = cell[0] == '[' ? add_json_extras(rec, cell, len, &done) : 0;
        return rc || done ? rc : wn_record_add(rec, WN_F_EXTRA, tag, cell, len);
    }
    if (c->own) {
        if (!multi_valued((wn_field)f))
            return wn_record_add(rec, (wn_field)f, tag, cell, len);
        rc = cell[0] == '[' ? add_json_list(rec, (wn_field)f, tag, cell, len, &done) : 0;
        return rc || done ? rc : add_split(rec, (wn_field)f, tag, cell, len, "\n", wn_record_add);
    }
    if (f == WN_F_AUTHOR)
        return add_authors(rec, tag, cell, len);
    if (wn_field_is_list((wn_field)f))
        return add_split(rec, (wn_field)f, tag, cell, len, "\n", wn_record_add);
    return wn_record_add(rec, (wn_field)f, tag, cell, len);
}

/* Maps the header row; fails when no column is one winnow knows. */
static int read_header(csv_ctx *c, const csv_row *h)
{
    wn_parser *p = c->p;
    c->ncols = h->n;
    c->fields = calloc(h->n, sizeof *c->fields);
    c->tags = calloc(h->n, sizeof *c->tags);
    if (!c->fields || !c->tags)
        return wn_err_set(p->err, WN_ENOMEM, "out of memory");
    size_t known = 0;
    c->own = h->n == WN_F_COUNT;
    for (size_t i = 0; i < h->n; i++) {
        const char *name = cell_at(h, i);
        size_t len = cell_len(h, i);
        c->fields[i] = column_field(name, len);
        known += c->fields[i] >= 0;
        if (c->own && strcmp(name, wn_field_name((wn_field)i)) != 0)
            c->own = 0;
        /* The header, trimmed, is the tag; a blank one is named by place. */
        while (len && isspace((unsigned char)*name))
            name++, len--;
        while (len && isspace((unsigned char)name[len - 1]))
            len--;
        char place[32];
        if (!len) {
            snprintf(place, sizeof place, "column %zu", i + 1);
            name = place;
            len = strlen(place);
        }
        c->tags[i] = wn_strndup(name, len);
        if (!c->tags[i])
            return wn_err_set(p->err, WN_ENOMEM, "out of memory");
    }
    if (known)
        return 0;
    wn_buf_clear(&p->scratch);
    for (size_t i = 0; i < h->n && i < 6; i++)
        if (wn_buf_printf(&p->scratch, "%s'%.40s'", i ? ", " : "", c->tags[i]))
            return WN_ENOMEM;
    if (h->n > 6 && wn_buf_puts(&p->scratch, ", ..."))
        return WN_ENOMEM;
    return wn_parser_fail(p, h->line,
                          "header matches no known column: %s (expected names such as "
                          "title, authors, year, doi)",
                          p->scratch.data);
}

static int parse(wn_parser *p)
{
    int rc = 0;
    csv_row row = {WN_BUF_INIT, NULL, 0, 0, 0, 0, 0};
    csv_ctx c = {p, NULL, NULL, 0, 0};
    csv_scan sc = {p->text, p->len, 0, 1, ','};
    sc.delim = pick_delimiter(p->text, p->len);
    row.text.limit = WN_RECORD_MAX;
    int have_header = 0;
    for (;;) {
        size_t bad_line = 0;
        rc = read_row(&sc, &row, &bad_line);
        if (rc == WN_EPARSE) {
            rc = wn_parser_fail(p, bad_line, "quoted cell is never closed (expected '\"')");
            goto done;
        }
        if (rc < 0) {
            rc = wn_err_set(p->err, rc, "out of memory reading '%s' line %zu", p->filename,
                            row.line);
            goto done;
        }
        if (rc == 0)
            break;
        rc = 0;
        if (row_blank(&row))
            continue;
        if (!have_header) {
            /* The delimiter is chosen from the header's own line. */
            if (row.offset) {
                sc.delim = pick_delimiter(p->text + row.offset, p->len - row.offset);
                sc.pos = row.offset;
                sc.line = row.line;
                if ((rc = read_row(&sc, &row, &bad_line)) < 0) {
                    rc = wn_parser_fail(p, bad_line, "quoted cell is never closed");
                    goto done;
                }
                rc = 0;
            }
            if ((rc = read_header(&c, &row)))
                goto done;
            have_header = 1;
            continue;
        }
        size_t n = row.n;
        if (n > c.ncols) {
            int extra_text = 0;
            for (size_t i = c.ncols; i < n; i++)
                extra_text |= cell_len(&row, i) != 0;
            if (extra_text) {
                rc = wn_parser_fail(p, row.line, "row has %zu cells but the header has %zu",
                                    n, c.ncols);
                goto done;
            }
            wn_parser_warn(p, row.line, "row ends with %zu empty cells beyond the header",
                           n - c.ncols);
            n = c.ncols;
        } else if (n < c.ncols) {
            wn_parser_warn(p, row.line, "row has %zu cells but the header has %zu; the rest "
                           "are left empty", n, c.ncols);
        }
        for (size_t i = 0; i < n && !rc; i++)
            if (cell_len(&row, i))
                rc = add_cell(&c, i, cell_at(&row, i), cell_len(&row, i));
        if (rc) {
            rc = wn_err_set(p->err, rc, "out of memory reading '%s' line %zu", p->filename,
                            row.line);
            goto done;
        }
        wn_origin *o = wn_record_origin(p->rec);
        o->line = row.line;
        o->offset = row.offset;
        o->length = row.length;
        if ((rc = wn_parser_emit(p)))
            goto done;
    }
    if (!have_header)
        rc = wn_parser_fail(p, 0, "no header row (the file is empty)");
done:
    for (size_t i = 0; c.tags && i < c.ncols; i++)
        free(c.tags[i]);
    free(c.tags);
    free(c.fields);
    free(row.start);
    wn_buf_free(&row.text);
    return rc;
}

/* ---- sniffing ---------------------------------------------------------- */

/* Lines that mark another format: RIS/MEDLINE tags ("TY  - ", "PMID- "),
 * BibTeX entries and fields, JSON keys. */
static int foreign_line(const char *l, size_t n)
{
    size_t i = 0;
    if (n >= 4 && l[0] >= 'A' && l[0] <= 'Z') {
        i = 1;
        while (i < n && i < 4 && ((l[i] >= 'A' && l[i] <= 'Z') || (l[i] >= '0' && l[i] <= '9')))
            i++;
        size_t sp = i;
        while (i < n && i - sp < 4 && l[i] == ' ')
            i++;
        if (sp >= 2 && i < n && l[i] == '-' && (i + 1 == n || l[i + 1] == ' '))
            return 1;
    }
    i = 0;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    if (i < n && l[i] == '@') {
        size_t k = i + 1;
        while (k < n && isalpha((unsigned char)l[k]))
            k++;
        while (k < n && l[k] == ' ')
            k++;
        if (k > i + 1 && k < n && (l[k] == '{' || l[k] == '('))
            return 1;
    }
    if (i < n && (l[i] == '{' || l[i] == '"')) {
        /* {"key": or "key": at the line start */
        size_t k = i + (l[i] == '{');
        if (k < n && l[k] == '"') {
            k++;
            while (k < n && (isalnum((unsigned char)l[k]) || l[k] == '-' || l[k] == '_'))
                k++;
            if (k < n && l[k] == '"') {
                k++;
                while (k < n && l[k] == ' ')
                    k++;
                if (k < n && l[k] == ':')
                    return 1;
            }
        }
    }
    if (i < n) {
        /* BibTeX field line: name = {  or name = " */
        size_t k = i;
        while (k < n && (isalnum((unsigned char)l[k]) || l[k] == '-' || l[k] == '_'))
            k++;
        size_t name = k - i;
        while (k < n && l[k] == ' ')
            k++;
        if (name && k < n && l[k] == '=') {
            k++;
            while (k < n && l[k] == ' ')
                k++;
            if (k < n && (l[k] == '{' || l[k] == '"'))
                return 1;
        }
    }
    return 0;
}

/* Cell counts of up to max rows from text. A row cut by the end of a full
 * 64 KiB window is not counted; a shorter window is the whole input (or its
 * tail), so its last row is complete. Returns the number of rows. */
static size_t count_cells(const char *s, size_t len, char delim, size_t *counts, size_t max)
{
    size_t rows = 0, cells = 1, i = 0;
    quote_state q = {0, 1};
    for (; i < len && rows < max; i++) {
        if (skip_quoted(s, len, &i, &q))
            continue;
        char c = s[i];
        if (c == delim) {
            cells++;
            q.cell_start = 1;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
                i++;
            counts[rows++] = cells;
            cells = 1;
            q.cell_start = 1;
        }
    }
    if (i == len && rows < max && !q.quoted && len < 65536 && len && s[len - 1] != '\n' &&
        s[len - 1] != '\r')
        counts[rows++] = cells;
    return rows;
}

/* Do most rows have the first row's width (at least two cells)? */
static int consistent(const size_t *counts, size_t n, size_t min_rows)
{
    if (n < min_rows || counts[0] < 2)
        return 0;
    size_t same = 0;
    for (size_t i = 0; i < n; i++)
        same += counts[i] == counts[0];
    return same * 10 >= n * 9;
}

/* How many cells of the first line name a column winnow knows. */
static size_t known_columns(const char *s, size_t len, char delim)
{
    size_t known = 0, a = 0;
    int quoted = 0;
    for (size_t k = 0; k <= len; k++) {
        char ch = k < len ? s[k] : '\n';
        if (ch == '"' && (quoted || k == a))
            quoted = !quoted;
        if (quoted || (ch != delim && ch != '\n' && ch != '\r'))
            continue;
        const char *name = s + a;
        size_t nlen = k - a;
        if (nlen >= 2 && name[0] == '"' && name[nlen - 1] == '"')
            name++, nlen -= 2;
        known += column_field(name, nlen) >= 0;
        a = k + 1;
        if (ch != delim)
            break;
    }
    return known;
}

static int sniff(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    if (i == len || text[i] == '[' || text[i] == '{' || text[i] == '<' || text[i] == '@')
        return 0;
    /* Another format's marks anywhere in the window rule CSV out. */
    size_t foreign = 0, pos = 0;
    while (pos < len && foreign < 2) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t n = end - pos;
        if (n && text[pos + n - 1] == '\r')
            n--;
        foreign += foreign_line(text + pos, n);
        pos = end + 1;
    }
    if (foreign >= 2)
        return 0;

    /* The delimiter that gives rows of one width wins; a window from the
     * middle of a file may start inside a quoted cell, so later line starts
     * are tried too (weakly: there is no header to check). */
    static const char delims[] = {',', ';', '\t'};
    enum { MAX_ROWS = 40 };
    size_t counts[MAX_ROWS];
    pos = i;
    for (int tries = 0; tries < 20 && pos < len; tries++) {
        char best = 0;
        size_t best_cells = 0;
        for (size_t d = 0; d < sizeof delims; d++) {
            size_t rows = count_cells(text + pos, len - pos, delims[d], counts, MAX_ROWS);
            if (consistent(counts, rows, tries ? 3 : 2) && counts[0] > best_cells)
                best = delims[d], best_cells = counts[0];
        }
        if (best && !tries) {
            size_t known = known_columns(text + i, len - i, best);
            return known >= 2 ? 90 : known == 1 ? 60 : 25;
        }
        if (best)
            return 25;
        const char *nl = memchr(text + pos, '\n', len - pos);
        if (!nl)
            break;
        pos = (size_t)(nl - text) + 1;
    }
    return 0;
}

const wn_format wn_format_csv = {"csv", "CSV", sniff, parse};
