/* Web of Science plain text: the ISI tagged export (.txt, .ciw, .isi).
 *
 *   FN Clarivate Analytics Web of Science
 *   VR 1.0
 *   PT J
 *   AU Doe, J
 *      Roe, R
 *   TI A title that wraps
 *      onto a second line
 *   ER
 *
 *   EF
 *
 * A tag is two characters at column 0 followed by one space; a line indented
 * by spaces continues the tag above it. For the name and reference lists
 * (AU, AF, CR, C1 ...) every continuation line is a new item; for text it
 * continues the value, joined with a space. A record runs from PT to ER; the
 * FN/VR header and the closing EF are optional. The tags and where their
 * values go are shared with the tab-delimited reader (wos_tags.c). */
#include <string.h>

#include "import/parser.h"
#include "import/wos_tags.h"

#define TAG(a, b) wos_tag_index((const char[]){a, b}, 2)

typedef struct wos {
    wn_parser *p;
    int tag_pt, tag_er, tag_ef, tag_fn, tag_vr;

    /* the record being read */
    int in_record;
    size_t rec_line, rec_offset, rec_end;
    int warned_unindented;

    /* the tag whose value may still grow by continuation lines */
    int pend_ix; /* -1 when none */
    const char *pend_val;
    size_t pend_len;
    int pend_joined; /* the value lives in p->scratch */

    /* lines outside any record, reported together */
    size_t stray_line, stray_count;
} wos;

/* ---- lines ---------------------------------------------------------------- */

static int is_blank(unsigned char c) { return c == ' ' || c == '\t'; }

static int all_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_blank((unsigned char)s[i]))
            return 0;
    return 1;
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_blank((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n && is_blank((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

static void skip_bom(const char **s, size_t *n)
{
    /* Exports concatenated into one file keep a BOM at each one's start. */
    if (*n >= 3 && (unsigned char)(*s)[0] == 0xEF && (unsigned char)(*s)[1] == 0xBB &&
        (unsigned char)(*s)[2] == 0xBF)
        *s += 3, *n -= 3;
}

/* "XX value" or a bare "XX" (ER, EF). Sets the tag index and the trimmed
 * value. One space only: "TY  - JOUR" is RIS. */
static int tag_line(const char *s, size_t n, int *ix, const char **val, size_t *val_len)
{
    if (n < 2 || (n > 2 && s[2] != ' ') || (n > 3 && s[3] == ' ' && !all_blank(s + 3, n - 3)))
        return 0;
    *ix = wos_tag_index(s, n);
    if (*ix < 0)
        return 0;
    const char *v = s + 2;
    size_t vn = n - 2;
    trim(&v, &vn);
    *val = v;
    *val_len = vn;
    return 1;
}

/* RIS ("TY  - ") and MEDLINE ("PMID- ", "FAU - ") tag lines: their tags are
 * followed by a dash, which a Web of Science tag never is. */
static int dash_tag_line(const char *s, size_t n)
{
    size_t t = 0;
    while (t < n && t < 4 && ((s[t] >= 'A' && s[t] <= 'Z') || (t && s[t] >= '0' && s[t] <= '9')))
        t++;
    if (t < 2)
        return 0;
    size_t d = t;
    while (d < n && d < 5 && s[d] == ' ')
        d++;
    return d < n && s[d] == '-' && (d + 1 == n || s[d + 1] == ' ') && (d == 4 || d == 5);
}

/* ---- values ---------------------------------------------------------------- */

static int out_of_room(wos *w, int rc)
{
    wn_parser *p = w->p;
    if (rc != WN_ENOMEM)
        return rc;
    return wn_err_set(p->err, WN_ENOMEM,
                      "cannot parse '%s' line %zu: record larger than %u MiB or out of memory "
                      "(is an 'ER' line missing?)",
                      p->filename, w->rec_line, WN_RECORD_MAX >> 20);
}

static int flush(wos *w)
{
    if (w->pend_ix < 0)
        return 0;
    int ix = w->pend_ix;
    w->pend_ix = -1;
    const char *v = w->pend_joined ? w->p->scratch.data : w->pend_val;
    size_t n = w->pend_joined ? w->p->scratch.len : w->pend_len;
    return out_of_room(w, wos_add_value(w->p->rec, ix, v, n, WOS_FROM_LINE));
}

static void set_pending(wos *w, int ix, const char *v, size_t n)
{
    w->pend_ix = ix;
    w->pend_val = v;
    w->pend_len = n;
    w->pend_joined = 0;
}

/* A continuation line: a new item of a list, or more of the same text. */
static int continue_value(wos *w, const char *s, size_t n)
{
    trim(&s, &n);
    if (w->pend_ix < 0 || !n)
        return 0;
    if (wos_tag_split(w->pend_ix) == WOS_ITEMS) {
        int ix = w->pend_ix;
        int rc = flush(w);
        if (!rc)
            set_pending(w, ix, s, n);
        return rc;
    }
    wn_buf *b = &w->p->scratch;
    if (!w->pend_joined) {
        wn_buf_clear(b);
        if (wn_buf_append(b, w->pend_val, w->pend_len))
            return out_of_room(w, WN_ENOMEM);
        w->pend_joined = 1;
    }
    if ((b->len && wn_buf_putc(b, ' ')) || wn_buf_append(b, s, n))
        return out_of_room(w, WN_ENOMEM);
    return 0;
}

/* ---- records ---------------------------------------------------------------- */

static void begin_record(wos *w, size_t line, size_t offset, size_t end)
{
    w->in_record = 1;
    w->rec_line = line;
    w->rec_offset = offset;
    w->rec_end = end;
    w->warned_unindented = 0;
    w->pend_ix = -1;
}

static int end_record(wos *w)
{
    wn_parser *p = w->p;
    int rc = flush(w);
    if (!rc)
        rc = out_of_room(w, wos_settle_record(p->rec));
    if (rc)
        return rc;
    w->in_record = 0;
    if (wn_record_size(p->rec) == 0) {
        wn_parser_warn(p, w->rec_line, "record at line %zu has no values; skipped", w->rec_line);
        return 0;
    }
    wn_origin *o = wn_record_origin(p->rec);
    o->line = w->rec_line;
    o->offset = w->rec_offset;
    o->length = w->rec_end - w->rec_offset;
    return wn_parser_emit(p);
}

static void note_stray(wos *w, size_t line)
{
    if (!w->stray_count)
        w->stray_line = line;
    w->stray_count++;
}

static void report_stray(wos *w)
{
    if (!w->stray_count)
        return;
    wn_parser_warn(w->p, w->stray_line,
                   "ignored %zu line%s outside a record (a record runs from 'PT' to 'ER')",
                   w->stray_count, w->stray_count == 1 ? "" : "s");
    w->stray_count = 0;
}

/* ---- the reader ------------------------------------------------------------ */

static int on_tag(wos *w, const wn_lines *it, size_t off, int ix, const char *v, size_t vn)
{
    wn_parser *p = w->p;
    int rc;
    if (!w->in_record && (ix == w->tag_fn || ix == w->tag_vr))
        return 0; /* the file header */
    if (ix == w->tag_ef || ix == w->tag_pt) {
        if (w->in_record) {
            wn_parser_warn(p, it->lineno,
                           "record started at line %zu has no 'ER' line; it ends where '%s' "
                           "begins",
                           w->rec_line, ix == w->tag_pt ? "PT" : "EF");
            if ((rc = end_record(w)))
                return rc;
        }
        report_stray(w);
        if (ix == w->tag_pt) {
            begin_record(w, it->lineno, off, it->pos);
            set_pending(w, ix, v, vn);
        }
        return 0;
    }
    if (!w->in_record) {
        if (ix == w->tag_er) {
            note_stray(w, it->lineno);
            return 0;
        }
        char tag[3];
        wos_tag_name(ix, tag);
        return wn_parser_fail(p, it->lineno,
                              "'%s' line outside a record; a Web of Science record starts "
                              "with 'PT <type>' and ends with 'ER'",
                              tag);
    }
    if ((rc = flush(w)))
        return rc;
    w->rec_end = it->pos;
    if (ix == w->tag_er)
        return end_record(w);
    set_pending(w, ix, v, vn);
    return 0;
}

static int parse_lines(wos *w)
{
    wn_parser *p = w->p;
    wn_lines it;
    wn_lines_init(&it, p->text, p->len);
    const char *s;
    size_t n, off;
    int rc;
    while (wn_lines_next(&it, &s, &n, &off)) {
        skip_bom(&s, &n);
        int ix;
        const char *v;
        size_t vn;
        if (all_blank(s, n))
            continue;
        if (tag_line(s, n, &ix, &v, &vn)) {
            if ((rc = on_tag(w, &it, off, ix, v, vn)))
                return rc;
            continue;
        }
        if (!w->in_record) {
            note_stray(w, it.lineno);
            continue;
        }
        if (!is_blank((unsigned char)s[0]) && !w->warned_unindented) {
            /* Wrapped without the indent: still more of the value above. */
            w->warned_unindented = 1;
            wn_parser_warn(p, it.lineno,
                           "line is neither 'XX value' nor indented; joined to the value above");
        }
        if ((rc = continue_value(w, s, n)))
            return rc;
        w->rec_end = it.pos;
    }
    if (w->in_record) {
        wn_parser_warn(p, it.lineno,
                       "record started at line %zu has no 'ER' line at the end of the file; "
                       "kept it",
                       w->rec_line);
        if ((rc = end_record(w)))
            return rc;
    }
    report_stray(w);
    if (p->records == 0)
        return wn_parser_fail(p, 0,
                              "no Web of Science records found (expected a line 'PT J' "
                              "starting a record)");
    return 0;
}

static int parse(wn_parser *p)
{
    wos w;
    memset(&w, 0, sizeof w);
    w.p = p;
    w.pend_ix = -1;
    w.tag_pt = TAG('P', 'T');
    w.tag_er = TAG('E', 'R');
    w.tag_ef = TAG('E', 'F');
    w.tag_fn = TAG('F', 'N');
    w.tag_vr = TAG('V', 'R');
    return parse_lines(&w);
}

/* ---- detection ------------------------------------------------------------- */

static int sniff(const char *text, size_t len)
{
    const int pt = TAG('P', 'T'), er = TAG('E', 'R'), ef = TAG('E', 'F'), fn = TAG('F', 'N'),
              vr = TAG('V', 'R');
    wn_lines it;
    wn_lines_init(&it, text, len);
    const char *s;
    size_t n;
    size_t nonblank = 0, tags = 0, cont = 0, starts = 0, ends = 0, header = 0, dashed = 0;
    while (wn_lines_next(&it, &s, &n, NULL)) {
        skip_bom(&s, &n);
        if (all_blank(s, n))
            continue;
        nonblank++;
        int ix;
        const char *v;
        size_t vn;
        if (tag_line(s, n, &ix, &v, &vn)) {
            tags++;
            starts += ix == pt;
            ends += ix == er || ix == ef;
            header += ix == fn || ix == vr;
        } else if (is_blank((unsigned char)s[0])) {
            cont++;
        } else if (dash_tag_line(s, n)) {
            dashed++;
        }
    }
    /* RIS and MEDLINE tag lines rule the format out. */
    if (!tags || dashed * 10 > tags)
        return 0;
    size_t fit = (tags + cont) * 100 / nonblank;
    if (fit < 50)
        return 0;
    if (header || (starts && ends))
        return (int)(50 + fit / 2);
    if (starts)
        return (int)(40 + fit * 2 / 5);
    /* A window inside one long record (or at the end of a file). */
    return fit >= 80 && tags + cont >= 5 ? 25 : 0;
}

const wn_format wn_format_wos = {"wos", "Web of Science text", sniff, parse};
