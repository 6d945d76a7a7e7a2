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
#include "import/tagged.h"
#include "import/wos_tags.h"

#define TAG(a, b) wos_tag_index((const char[]){a, b}, 2)

typedef struct wos {
    wn_parser *p;
    int tag_pt, tag_er, tag_ef, tag_fn, tag_vr;

    /* the record being read */
    int in_record;
    wn_tagged_span span;
    int warned_unindented;

    wn_pending pend; /* tag: the tag index */
    wn_stray stray;
} wos;

/* ---- lines ---------------------------------------------------------------- */

/* "XX value" or a bare "XX" (ER, EF). Sets the tag index and the trimmed
 * value. One space only: "TY  - JOUR" is RIS. */
static int tag_line(const char *s, size_t n, int *ix, const char **val, size_t *val_len)
{
    if (n < 2 || (n > 2 && s[2] != ' ') ||
        (n > 3 && s[3] == ' ' && !wn_tagged_all_blank(s + 3, n - 3)))
        return 0;
    *ix = wos_tag_index(s, n);
    if (*ix < 0)
        return 0;
    const char *v = s + 2;
    size_t vn = n - 2;
    wn_tagged_trim(&v, &vn);
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
    return wn_tagged_out_of_room(w->p, w->span.line, rc, "is an 'ER' line missing?");
}

static int store(void *reader, int ix, const char *v, size_t n)
{
    wos *w = reader;
    return wos_add_value(w->p->rec, ix, v, n, WOS_FROM_LINE);
}

static int flush(wos *w)
{
    return out_of_room(w, wn_pending_flush(&w->pend, &w->p->scratch, store, w));
}

/* A continuation line: a new item of a list, or more of the same text. */
static int continue_value(wos *w, const char *s, size_t n)
{
    if (w->pend.tag < 0)
        return 0;
    wn_tagged_trim(&s, &n);
    wn_join join = wos_tag_split(w->pend.tag) == WOS_ITEMS ? WN_JOIN_SPLIT : WN_JOIN_SPACE;
    return out_of_room(w, wn_pending_continue(&w->pend, &w->p->scratch, join, s, n, store, w));
}

/* ---- records ---------------------------------------------------------------- */

static void begin_record(wos *w, size_t line, size_t offset, size_t end)
{
    w->in_record = 1;
    wn_tagged_begin(&w->span, &w->pend, line, offset, end);
    w->warned_unindented = 0;
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
    return wn_tagged_emit_filled(p, &w->span);
}

static void report_stray(wos *w)
{
    wn_stray_report(w->p, &w->stray, "a record runs from 'PT' to 'ER'");
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
                           w->span.line, ix == w->tag_pt ? "PT" : "EF");
            if ((rc = end_record(w)))
                return rc;
        }
        report_stray(w);
        if (ix == w->tag_pt) {
            begin_record(w, it->lineno, off, it->pos);
            wn_pending_set(&w->pend, ix, v, vn);
        }
        return 0;
    }
    if (!w->in_record) {
        if (ix == w->tag_er) {
            wn_stray_note(&w->stray, it->lineno);
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
    w->span.end = it->pos;
    if (ix == w->tag_er)
        return end_record(w);
    wn_pending_set(&w->pend, ix, v, vn);
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
    while (wn_tagged_next_line(&it, &s, &n, &off)) {
        int ix;
        const char *v;
        size_t vn;
        if (wn_tagged_all_blank(s, n))
            continue;
        if (tag_line(s, n, &ix, &v, &vn)) {
            if ((rc = on_tag(w, &it, off, ix, v, vn)))
                return rc;
            continue;
        }
        if (!w->in_record) {
            wn_stray_note(&w->stray, it.lineno);
            continue;
        }
        if (!wn_tagged_is_blank((unsigned char)s[0]) && !w->warned_unindented) {
            /* Wrapped without the indent: still more of the value above. */
            w->warned_unindented = 1;
            wn_parser_warn(p, it.lineno,
                           "line is neither 'XX value' nor indented; joined to the value above");
        }
        if ((rc = continue_value(w, s, n)))
            return rc;
        w->span.end = it.pos;
    }
    if (w->in_record) {
        wn_parser_warn(p, it.lineno,
                       "record started at line %zu has no 'ER' line at the end of the file; "
                       "kept it",
                       w->span.line);
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
    w.pend.tag = -1;
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
    while (wn_tagged_next_filled(&it, &s, &n)) {
        nonblank++;
        int ix;
        const char *v;
        size_t vn;
        if (tag_line(s, n, &ix, &v, &vn)) {
            tags++;
            starts += ix == pt;
            ends += ix == er || ix == ef;
            header += ix == fn || ix == vr;
        } else if (wn_tagged_is_blank((unsigned char)s[0])) {
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
