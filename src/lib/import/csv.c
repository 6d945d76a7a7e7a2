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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "import/csv_impl.h"
#include "import/parser.h"
#include "import/wos_tags.h"

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
    csv_rule *rules;  /* per column */
    char **tags;      /* per column: header text used as tag */
    size_t ncols;
    int own;          /* header is exactly winnow's export header */
    int wos;          /* some column is a Web of Science tag */
    const csv_profile *profile;
    csv_map map;
    size_t repeat_col, anchor_col; /* SIZE_MAX when the profile has none */
    const char *anchor_prefix;
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

/* Adds each piece of a cell separated by sep: authors read one by one,
 * other fields as they are. */
static int add_pieces(wn_record *rec, int f, const char *tag, const char *s, size_t len,
                      const char *sep)
{
    return add_split(rec, (wn_field)f, tag, s, len, sep,
                     f == WN_F_AUTHOR ? add_author : wn_record_add);
}

/* A list as Python prints it, which ASReview and pandas exports write:
 * ['Marx, Karl', 'Lindgren, Astrid']. *done says whether the cell had that
 * shape (nothing is added when it had not). */
static int add_python_list(wn_record *rec, int f, const char *tag, const char *s, size_t len,
                           int *done)
{
    *done = 0;
    if (len < 4 || s[0] != '[' || s[len - 1] != ']' || (s[1] != '\'' && s[1] != '"'))
        return 0;
    /* Check the whole shape first so a title in brackets is not cut up. */
    size_t i = 1, items = 0;
    while (i < len - 1) {
        char q = s[i];
        if (q != '\'' && q != '"')
            return 0;
        size_t k = i + 1;
        while (k < len - 1 && !(s[k] == q && s[k - 1] != '\\'))
            k++;
        if (k >= len - 1)
            return 0;
        items++;
        i = k + 1;
        if (i < len - 1 && !(s[i] == ',' && i + 1 < len - 1 && s[i + 1] == ' '))
            return 0;
        i += i < len - 1 ? 2 : 0;
    }
    *done = items > 0;
    for (i = 1; *done && i < len - 1;) {
        char q = s[i];
        size_t k = i + 1;
        while (!(s[k] == q && s[k - 1] != '\\'))
            k++;
        int rc = f == WN_F_AUTHOR ? add_author(rec, WN_F_AUTHOR, tag, s + i + 1, k - i - 1)
                                  : wn_record_add(rec, (wn_field)f, tag, s + i + 1, k - i - 1);
        if (rc)
            return rc;
        i = k + 3;
    }
    return 0;
}

static int add_cell(csv_ctx *c, size_t col, const char *cell, size_t len)
{
    wn_record *rec = c->p->rec;
    const csv_rule *r = &c->rules[col];
    int f = r->field;
    const char *tag = c->tags[col];
    int rc;
    /* Excel's ="0012" keeps leading zeros and dates as text. */
    if (!c->own && len >= 3 && cell[0] == '=' && cell[1] == '"' && cell[len - 1] == '"')
        cell += 2, len -= 3;
    switch (r->how) {
    case CSV_WOS_TAG:
        return wos_add_value(rec, r->wos_tag, cell, len, WOS_FROM_CELL);
    case CSV_SPLIT_PIPE:
        if (f >= 0)
            return add_pieces(rec, f, tag, cell, len, "|");
        break;
    case CSV_SPLIT_SEMI:
        if (f >= 0)
            return add_pieces(rec, f, tag, cell, len, ";");
        break;
    default:
        break;
    }
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
    if (wn_field_is_list((wn_field)f) && cell[0] == '[') {
        rc = add_python_list(rec, f, tag, cell, len, &done);
        if (rc || done)
            return rc;
    }
    if (f == WN_F_AUTHOR)
        return add_authors(rec, tag, cell, len);
    if (wn_field_is_list((wn_field)f))
        return add_split(rec, (wn_field)f, tag, cell, len, "\n", wn_record_add);
    return wn_record_add(rec, (wn_field)f, tag, cell, len);
}

/* Fields some databases pack into one cell, added once the row's own
 * columns are in (they never replace a value a column gave). */
static int add_derived(csv_ctx *c, size_t col, const char *cell, size_t len)
{
    switch (c->rules[col].how) {
    case CSV_EMBASE_SOURCE:
        return csv_add_embase_source(c->p->rec, cell, len);
    case CSV_PUBMED_CITATION:
        return csv_add_pubmed_citation(c->p->rec, cell, len);
    default:
        return 0;
    }
}

/* The header cells of a row as names. Owned array, or NULL. */
static csv_name *row_names(const csv_row *h)
{
    csv_name *names = malloc((h->n ? h->n : 1) * sizeof *names);
    for (size_t i = 0; names && i < h->n; i++)
        names[i] = (csv_name){cell_at(h, i), cell_len(h, i)};
    return names;
}

/* Does a row look like the header? With a --map, it must name every mapped
 * column; otherwise it must be a database's header or name at least two
 * columns winnow knows. Preamble lines (Embase, Excel) fail this. */
static int looks_like_header(const csv_row *h, const csv_map *map)
{
    csv_name *names = row_names(h);
    if (!names)
        return WN_ENOMEM;
    int yes;
    if (map->n) {
        yes = 1;
        for (size_t m = 0; m < map->n && yes; m++) {
            yes = 0;
            for (size_t i = 0; i < h->n && !yes; i++)
                yes = csv_name_is(names[i].s, names[i].len, map->e[m].header);
        }
    } else {
        const csv_profile *pr = csv_profile_for(names, h->n);
        size_t known = 0;
        csv_rule r;
        for (size_t i = 0; i < h->n; i++)
            known += csv_profile_rule(pr, names[i].s, names[i].len, &r);
        yes = !csv_profile_is_generic(pr) || known >= 2;
    }
    free(names);
    return yes;
}

#define HEADER_SEARCH 30 /* rows looked at for a header under a preamble */

/* Finds the header row and reads it into row, leaving sc just after it.
 * The header is the first of the first HEADER_SEARCH rows that looks like
 * one; failing that, the first row (read_header then says what it lacks).
 * Returns 1 with a row, 0 for a file of blank rows, WN_EPARSE (*bad_line
 * set) or WN_ENOMEM. */
static int find_header(csv_scan *sc, csv_row *row, const csv_map *map, size_t *bad_line)
{
    size_t first_pos = 0, first_line = 0;
    int have_first = 0;
    for (int seen = 0; seen < HEADER_SEARCH;) {
        sc->delim = pick_delimiter(sc->s + sc->pos, sc->len - sc->pos);
        int rc = read_row(sc, row, bad_line);
        if (rc <= 0) {
            if (rc < 0 && !have_first)
                return rc;
            break;
        }
        if (row_blank(row))
            continue;
        seen++;
        if (!have_first)
            have_first = 1, first_pos = row->offset, first_line = row->line;
        if ((rc = looks_like_header(row, map)) != 0)
            return rc < 0 ? rc : 1;
    }
    if (!have_first)
        return 0;
    sc->pos = first_pos;
    sc->line = first_line;
    sc->delim = pick_delimiter(sc->s + first_pos, sc->len - first_pos);
    return read_row(sc, row, bad_line);
}

static size_t column_named(const csv_row *h, const char *name)
{
    for (size_t i = 0; name && i < h->n; i++)
        if (csv_name_is(cell_at(h, i), cell_len(h, i), name))
            return i;
    return SIZE_MAX;
}

/* Maps the header row; fails when no column is one winnow knows, or a
 * --map column is missing. */
static int read_header(csv_ctx *c, const csv_row *h)
{
    wn_parser *p = c->p;
    c->ncols = h->n;
    c->rules = calloc(h->n, sizeof *c->rules);
    c->tags = calloc(h->n, sizeof *c->tags);
    csv_name *names = row_names(h);
    if (!c->rules || !c->tags || !names) {
        free(names);
        return wn_err_set(p->err, WN_ENOMEM, "out of memory");
    }
    c->profile = csv_profile_for(names, h->n);
    free(names);
    size_t known = 0;
    c->own = h->n == WN_F_COUNT && !c->map.n;
    for (size_t i = 0; i < h->n; i++) {
        const char *name = cell_at(h, i);
        size_t len = cell_len(h, i);
        int m = csv_map_find(&c->map, name, len);
        if (m >= 0) {
            c->rules[i] = (csv_rule){c->map.e[m].field, CSV_USUAL, -1};
            known++;
        } else {
            known += csv_profile_rule(c->profile, name, len, &c->rules[i]);
            /* A field the user mapped comes from the mapped column alone. */
            for (size_t k = 0; k < c->map.n; k++)
                if (c->map.e[k].field == c->rules[i].field)
                    c->rules[i] = (csv_rule){-1, CSV_USUAL, -1};
        }
        c->wos |= c->rules[i].how == CSV_WOS_TAG;
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
    for (size_t m = 0; m < c->map.n; m++)
        if (column_named(h, c->map.e[m].header) == SIZE_MAX)
            return wn_parser_fail(p, h->line, "--map names column '%.80s', but the header "
                                  "has no such column", c->map.e[m].header);
    const char *anchor, *prefix;
    const char *repeat = csv_profile_repeat(c->profile, &anchor, &prefix);
    c->repeat_col = column_named(h, repeat);
    c->anchor_col = column_named(h, anchor);
    c->anchor_prefix = prefix;
    if (known)
        return 0;
    wn_buf_clear(&p->scratch);
    for (size_t i = 0; i < h->n && i < 6; i++)
        if (wn_buf_printf(&p->scratch, "%s'%.40s'", i ? ", " : "", c->tags[i]))
            return WN_ENOMEM;
    if (h->n > 6 && wn_buf_puts(&p->scratch, ", ..."))
        return WN_ENOMEM;
    return wn_parser_fail(p, h->line,
                          "header matches no CSV profile: %s (expected a database export's "
                          "header, or columns such as title, abstract, authors, year, doi; "
                          "or give --map title=COLUMN,...)",
                          p->scratch.data);
}

/* The row's cells as columns: col[i] for cell i, or SIZE_MAX for a repeat
 * of the profile's repeated column. A row with k cells more than the
 * header fits when the repeat column takes the k extra cells and the
 * anchor column then holds what it should (a Scopus EID). Returns 1 when
 * the row fits that way. */
static int align_repeats(const csv_ctx *c, const csv_row *row, size_t *col)
{
    size_t k = row->n - c->ncols, r = c->repeat_col, a = c->anchor_col;
    if (r == SIZE_MAX || a == SIZE_MAX)
        return 0;
    size_t at = a > r ? a + k : a;
    if (strncmp(cell_at(row, at), c->anchor_prefix, strlen(c->anchor_prefix)) != 0)
        return 0;
    for (size_t i = 0; i < row->n; i++)
        col[i] = i <= r ? i : i <= r + k ? SIZE_MAX : i - k;
    return 1;
}

/* "Funding Text 1" repeated as "Funding Text 2", "Funding Text 3" ... */
static int add_repeat(csv_ctx *c, size_t nth, const char *cell, size_t len)
{
    const char *base = c->tags[c->repeat_col];
    size_t blen = strlen(base);
    if (blen && base[blen - 1] == '1')
        blen--;
    char tag[128];
    snprintf(tag, sizeof tag, "%.*s%zu", (int)(blen < 100 ? blen : 100), base, nth + 1);
    return wn_record_add(c->p->rec, WN_F_EXTRA, tag, cell, len);
}

/* Reads one data row into p->rec and emits it. */
static int read_record(csv_ctx *c, const csv_row *row, size_t **colbuf, size_t *colcap)
{
    wn_parser *p = c->p;
    size_t n = row->n;
    if (n > *colcap) {
        size_t *nc = realloc(*colbuf, n * sizeof *nc);
        if (!nc)
            return wn_err_set(p->err, WN_ENOMEM, "out of memory");
        *colbuf = nc, *colcap = n;
    }
    size_t *col = *colbuf;
    for (size_t i = 0; i < n; i++)
        col[i] = i;
    if (n > c->ncols && !align_repeats(c, row, col)) {
        int extra_text = 0;
        for (size_t i = c->ncols; i < n; i++)
            extra_text |= cell_len(row, i) != 0;
        if (extra_text)
            return wn_parser_fail(p, row->line, "row has %zu cells but the header has %zu", n,
                                  c->ncols);
        wn_parser_warn(p, row->line, "row ends with %zu empty cells beyond the header",
                       n - c->ncols);
        n = c->ncols;
    } else if (n < c->ncols) {
        wn_parser_warn(p, row->line, "row has %zu cells but the header has %zu; the rest "
                       "are left empty", n, c->ncols);
    }
    int rc = 0;
    size_t repeats = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        size_t len = cell_len(row, i);
        if (col[i] == SIZE_MAX)
            repeats++;
        if (!len)
            continue;
        rc = col[i] == SIZE_MAX ? add_repeat(c, repeats, cell_at(row, i), len)
                                : add_cell(c, col[i], cell_at(row, i), len);
    }
    for (size_t i = 0; i < n && !rc; i++)
        if (col[i] != SIZE_MAX && cell_len(row, i))
            rc = add_derived(c, col[i], cell_at(row, i), cell_len(row, i));
    if (!rc && c->wos)
        rc = wos_settle_record(p->rec);
    if (rc)
        return wn_err_set(p->err, rc, "out of memory reading '%s' line %zu", p->filename,
                          row->line);
    wn_origin *o = wn_record_origin(p->rec);
    o->line = row->line;
    o->offset = row->offset;
    o->length = row->length;
    return wn_parser_emit(p);
}

static int parse(wn_parser *p)
{
    int rc = 0;
    csv_row row = {WN_BUF_INIT, NULL, 0, 0, 0, 0, 0};
    csv_ctx c;
    memset(&c, 0, sizeof c);
    c.p = p;
    csv_scan sc = {p->text, p->len, 0, 1, ','};
    size_t *colbuf = NULL, colcap = 0, bad_line = 0;
    row.text.limit = WN_RECORD_MAX;
    if ((rc = csv_map_parse(p->map, &c.map, p->err)))
        goto done;
    rc = find_header(&sc, &row, &c.map, &bad_line);
    if (rc == 0)
        rc = wn_parser_fail(p, 0, "no header row (the file is empty)");
    else if (rc > 0)
        rc = read_header(&c, &row);
    while (rc == 0) {
        rc = read_row(&sc, &row, &bad_line);
        if (rc <= 0)
            break;
        rc = row_blank(&row) ? 0 : read_record(&c, &row, &colbuf, &colcap);
    }
done:
    if (rc == WN_EPARSE && p->err->code == WN_OK)
        rc = wn_parser_fail(p, bad_line, "quoted cell is never closed (expected '\"')");
    else if (rc == WN_ENOMEM && p->err->code == WN_OK)
        rc = wn_err_set(p->err, rc, "out of memory reading '%s' line %zu", p->filename,
                        row.line);
    for (size_t i = 0; c.tags && i < c.ncols; i++)
        free(c.tags[i]);
    free(c.tags);
    free(c.rules);
    free(colbuf);
    csv_map_free(&c.map);
    free(row.start);
    wn_buf_free(&row.text);
    return rc;
}

int wn_csv_map_check(const char *map, wn_err *err)
{
    csv_map m;
    int rc = csv_map_parse(map, &m, err);
    csv_map_free(&m);
    return rc;
}

void wn_csv_explain(const char *text, size_t len, char *out, size_t size)
{
    csv_row row = {WN_BUF_INIT, NULL, 0, 0, 0, 0, 0};
    csv_scan sc = {text, len, 0, 1, ','};
    csv_map none = {NULL, 0};
    size_t bad_line = 0;
    csv_name *names = NULL;
    out[0] = '\0';
    row.text.limit = 1u << 20;
    if (find_header(&sc, &row, &none, &bad_line) == 1 && (names = row_names(&row))) {
        const csv_profile *pr = csv_profile_for(names, row.n);
        int n = snprintf(out, size, "line %zu: ", row.line);
        if (!looks_like_header(&row, &none) && csv_profile_is_generic(pr))
            snprintf(out, size, "line %zu: header names no column winnow knows", row.line);
        else if (n > 0 && (size_t)n < size)
            csv_profile_describe(pr, names, row.n, out + n, size - (size_t)n);
    }
    free(names);
    free(row.start);
    wn_buf_free(&row.text);
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
        known += csv_column_known(name, nlen);
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
     * middle of a file may start inside a quoted cell, and a file may start
     * with preamble lines (Embase, Excel), so later line starts are tried
     * too: strongly when that line names known columns, weakly otherwise. */
    static const char delims[] = {',', ';', '\t'};
    enum { MAX_ROWS = 40 };
    size_t counts[MAX_ROWS];
    pos = i;
    for (int tries = 0; tries < 20 && pos < len; tries++) {
        char best = 0;
        size_t best_cells = 0;
        for (size_t d = 0; d < sizeof delims; d++) {
            size_t rows = count_cells(text + pos, len - pos, delims[d], counts, MAX_ROWS);
            if (consistent(counts, rows, 2) && counts[0] > best_cells &&
                (rows >= 3 || !tries || known_columns(text + pos, len - pos, delims[d]) >= 2))
                best = delims[d], best_cells = counts[0];
        }
        if (best) {
            size_t known = known_columns(text + pos, len - pos, best);
            if (!tries)
                return known >= 2 ? 90 : known == 1 ? 60 : 25;
            return known >= 2 ? 80 : 25;
        }
        const char *nl = memchr(text + pos, '\n', len - pos);
        if (!nl)
            break;
        pos = (size_t)(nl - text) + 1;
    }
    return 0;
}

const wn_format wn_format_csv = {"csv", "CSV", sniff, parse};
