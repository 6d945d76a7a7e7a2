/* Web of Science tab-delimited export ("Tab delimited file", Win or Mac,
 * UTF-8 or UTF-16).
 *
 * The first row names the columns with the plain-text export's two-letter
 * tags (PT, AU, BA, ..., UT); every later row is one record. Cells are never
 * quoted: a double quote is text, and a cell holds no tab or line break.
 * Lists inside a cell (authors, keywords, references, addresses) are
 * separated by "; ". The tags and where their values go are shared with the
 * plain-text reader (wos_tags.c).
 *
 * The CSV reader (csv.c) also reads tab-separated text, but with RFC 4180
 * quoting, which would take a title starting with a quote for a quoted cell
 * running on over later rows; this reader splits rows on tabs alone. */
#include <stdlib.h>
#include <string.h>

#include "import/parser.h"
#include "import/tagged.h"
#include "import/wos_tags.h"

static void trim_spaces(const char **s, size_t *n)
{
    while (*n && **s == ' ')
        (*s)++, (*n)--;
    while (*n && (*s)[*n - 1] == ' ')
        (*n)--;
}

/* The next tab-separated cell of s[*at..n): its start and length; *at moves
 * past the tab (or to n + 1 after the last cell). */
static void next_cell(const char *s, size_t n, size_t *at, const char **cell, size_t *cell_len)
{
    const char *start = s + *at;
    const char *tab = memchr(start, '\t', n - *at);
    size_t len = tab ? (size_t)(tab - start) : n - *at;
    *cell = start;
    *cell_len = len;
    *at += len + 1;
}

static size_t count_tabs(const char *s, size_t n)
{
    size_t tabs = 0;
    const char *end = s + n;
    while ((s = memchr(s, '\t', (size_t)(end - s))) != NULL)
        tabs++, s++;
    return tabs;
}

/* ---- header ------------------------------------------------------------- */

/* Reads the header row into cols (tag index per column). Trailing empty
 * cells (old exports end every row with a tab) are not columns. */
static int read_header(wn_parser *p, const char *s, size_t n, size_t line, int **cols,
                       size_t *ncols)
{
    size_t cells = count_tabs(s, n) + 1;
    int *c = malloc(cells * sizeof *c);
    if (!c)
        return wn_err_set(p->err, WN_ENOMEM, "out of memory");
    size_t used = 0, at = 0, last_tag = 0;
    int has_pt = 0, rc = 0;
    for (size_t i = 0; i < cells; i++) {
        const char *cell;
        size_t len;
        next_cell(s, n, &at, &cell, &len);
        trim_spaces(&cell, &len);
        int ix = len == 2 ? wos_tag_index(cell, len) : -1;
        if (ix < 0 && len) {
            rc = wn_parser_fail(p, line,
                                "header cell %zu '%.*s' is not a Web of Science field tag; "
                                "expected a first row like 'PT<TAB>AU<TAB>TI<TAB>...'",
                                i + 1, len > 40 ? 40 : (int)len, cell);
            goto done;
        }
        c[used++] = ix;
        if (ix >= 0) {
            last_tag = used;
            has_pt |= cell[0] == 'P' && cell[1] == 'T';
        }
    }
    for (size_t i = 0; i < last_tag; i++) {
        if (c[i] < 0) {
            rc = wn_parser_fail(p, line, "header cell %zu is empty; every column needs a tag",
                                i + 1);
            goto done;
        }
    }
    if (last_tag < 2 || !has_pt) {
        rc = wn_parser_fail(p, line,
                            "expected a first row of Web of Science field tags separated by "
                            "tabs, including PT ('PT<TAB>AU<TAB>TI<TAB>...')");
        goto done;
    }
    *cols = c;
    *ncols = last_tag;
    c = NULL;
done:
    free(c);
    return rc;
}

/* ---- rows -------------------------------------------------------------- */

static int read_row(wn_parser *p, const int *cols, size_t ncols, const char *s, size_t n,
                    size_t line)
{
    size_t at = 0, cells = 0;
    int rc;
    while (at <= n) {
        const char *cell;
        size_t len;
        next_cell(s, n, &at, &cell, &len);
        cells++;
        if (cells > ncols) {
            if (wn_tagged_all_blank(cell, len))
                continue;
            return wn_parser_fail(p, line,
                                  "row has a value in cell %zu, but the header names only %zu "
                                  "columns",
                                  cells, ncols);
        }
        if ((rc = wos_add_value(p->rec, cols[cells - 1], cell, len, WOS_FROM_CELL)))
            goto nomem;
    }
    if (cells < ncols)
        wn_parser_warn(p, line, "row has %zu cells, the header %zu; the missing ones are empty",
                       cells, ncols);
    if ((rc = wos_settle_record(p->rec)))
        goto nomem;
    return 0;
nomem:
    return wn_err_set(p->err, rc, "cannot parse '%s' line %zu: row larger than %u MiB or out "
                                  "of memory",
                      p->filename, line, WN_RECORD_MAX >> 20);
}

static int parse(wn_parser *p)
{
    int *cols = NULL;
    size_t ncols = 0;
    int rc = 0;
    wn_lines it;
    wn_lines_init(&it, p->text, p->len);
    const char *s;
    size_t n, off;
    while (wn_tagged_next_line(&it, &s, &n, &off)) {
        if (wn_tagged_all_blank(s, n))
            continue;
        if (!cols) {
            if ((rc = read_header(p, s, n, it.lineno, &cols, &ncols)))
                goto done;
            continue;
        }
        if ((rc = read_row(p, cols, ncols, s, n, it.lineno)))
            goto done;
        if (wn_record_size(p->rec) == 0) {
            wn_parser_warn(p, it.lineno, "row has no values; skipped");
            continue;
        }
        wn_origin *o = wn_record_origin(p->rec);
        o->line = it.lineno;
        o->offset = off;
        o->length = it.pos - off;
        if ((rc = wn_parser_emit(p)))
            goto done;
    }
    if (!cols)
        rc = wn_parser_fail(p, 0, "empty input; expected a first row of Web of Science field "
                                  "tags separated by tabs ('PT<TAB>AU<TAB>TI<TAB>...')");
    else if (p->records == 0)
        rc = wn_parser_fail(p, 0, "a header row but no records");
done:
    free(cols);
    return rc;
}

/* ---- detection ------------------------------------------------------------ */

/* A header of two-letter tags with PT and AU or TI. */
static int is_header(const char *s, size_t n)
{
    size_t at = 0, tags = 0;
    int pt = 0, au_or_ti = 0, empty_seen = 0;
    while (at <= n) {
        const char *cell;
        size_t len;
        next_cell(s, n, &at, &cell, &len);
        trim_spaces(&cell, &len);
        if (!len) {
            empty_seen = 1;
            continue;
        }
        if (empty_seen || len != 2 || wos_tag_index(cell, len) < 0)
            return 0;
        tags++;
        pt |= !memcmp(cell, "PT", 2);
        au_or_ti |= !memcmp(cell, "AU", 2) || !memcmp(cell, "TI", 2);
    }
    return tags >= 3 && pt && au_or_ti;
}

static int sniff(const char *text, size_t len)
{
    wn_lines it;
    wn_lines_init(&it, text, len);
    const char *s;
    size_t n;
    int first = 1;
    size_t rows = 0, fitting = 0, width = 0;
    const char *pending = NULL;
    size_t pending_len = 0;
    while (wn_tagged_next_filled(&it, &s, &n)) {
        if (first && is_header(s, n))
            return 100;
        first = 0;
        /* The line before is whole now that another follows; the window's
         * last line may be cut. */
        if (pending) {
            size_t tabs = count_tabs(pending, pending_len);
            rows++;
            /* A data row starts with the PT code: "J<TAB>", "B<TAB>" ... */
            if (pending_len > 2 && pending[0] >= 'A' && pending[0] <= 'Z' &&
                pending[1] == '\t' && tabs >= 10) {
                if (!width)
                    width = tabs;
                fitting += tabs == width;
            }
        }
        pending = s;
        pending_len = n;
    }
    /* A window from the middle of a file: rows of one width, each starting
     * with a type code. */
    return rows >= 3 && fitting * 5 >= rows * 4 ? 40 : 0;
}

const wn_format wn_format_wos_tab = {"wos-tab", "Web of Science tab-delimited", sniff, parse};
