/* The format registry, detection, and what all parsers share. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "import/parser.h"
#include "winnow/export.h"
#include "winnow/normalize.h"

static const wn_format *const formats[] = {
    &wn_format_ris, &wn_format_medline, &wn_format_bibtex, &wn_format_csv,
    &wn_format_csljson,
    &wn_format_pubmed_xml,
    &wn_format_wos, &wn_format_wos_tab, &wn_format_endnote_tagged,
    &wn_format_endnote_xml,
    &wn_format_openalex, &wn_format_crossref, &wn_format_pop_json,
    &wn_format_ovid,
};
#define N_FORMATS (sizeof formats / sizeof formats[0])

size_t wn_format_count(void) { return N_FORMATS; }

const wn_format *wn_format_at(size_t i) { return i < N_FORMATS ? formats[i] : NULL; }

const wn_format *wn_format_find(const char *name)
{
    for (size_t i = 0; i < N_FORMATS; i++)
        if (strcmp(formats[i]->name, name) == 0)
            return formats[i];
    /* Common aliases users type. */
    if (!strcmp(name, "nbib") || !strcmp(name, "pubmed"))
        return &wn_format_medline;
    if (!strcmp(name, "bib"))
        return &wn_format_bibtex;
    if (!strcmp(name, "csl-json") || !strcmp(name, "json"))
        return &wn_format_csljson;
    if (!strcmp(name, "isi") || !strcmp(name, "ciw"))
        return &wn_format_wos;
    if (!strcmp(name, "enw") || !strcmp(name, "refer"))
        return &wn_format_endnote_tagged;
    return NULL;
}

const char *wn_format_name(const wn_format *f) { return f->name; }
const char *wn_format_label(const wn_format *f) { return f->label; }

void wn_format_names(char *out, size_t size)
{
    size_t used = 0;
    if (size)
        out[0] = '\0';
    for (size_t i = 0; i < N_FORMATS && used < size; i++) {
        int n = snprintf(out + used, size - used, "%s%s", i ? ", " : "", formats[i]->name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* ---- lines ------------------------------------------------------------ */

void wn_lines_init(wn_lines *it, const char *text, size_t len)
{
    it->text = text;
    it->len = len;
    it->pos = 0;
    it->lineno = 0;
    it->next_lf = 0;
}

int wn_lines_next(wn_lines *it, const char **line, size_t *line_len, size_t *line_offset)
{
    if (it->pos >= it->len)
        return 0;
    /* The next LF is cached: in a CR-only file one search finds none and
     * every later line reuses that answer instead of rescanning the rest. */
    if (it->next_lf < it->pos || it->next_lf == 0) {
        const char *nl = memchr(it->text + it->pos, '\n', it->len - it->pos);
        it->next_lf = nl ? (size_t)(nl - it->text) : it->len;
    }
    const char *s = it->text + it->pos;
    size_t n = it->next_lf - it->pos;
    int has_lf = it->next_lf < it->len;
    const char *cr = memchr(s, '\r', n);
    size_t next;
    if (!cr) {
        next = n + has_lf;
    } else if ((size_t)(cr - s) == n - 1) {
        next = n + has_lf; /* CRLF, or a CR just before the end of input */
        n--;
    } else {
        n = (size_t)(cr - s); /* CR-only line end */
        next = n + 1;
    }
    *line = s;
    *line_len = n;
    if (line_offset)
        *line_offset = it->pos;
    it->pos += next;
    it->lineno++;
    return 1;
}

/* ---- parser services ------------------------------------------------- */

int wn_parser_warn(wn_parser *p, size_t line, const char *fmt, ...)
{
    p->warnings++;
    if (!p->opts || !p->opts->on_warning)
        return 0;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wn_warning w = {p->filename, line, p->records + 1, msg};
    p->opts->on_warning(p->opts->user, &w);
    return 0;
}

int wn_parser_fail(wn_parser *p, size_t line, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line)
        return wn_err_set(p->err, WN_EPARSE, "cannot parse '%s' line %zu: %s", p->filename,
                          line, msg);
    return wn_err_set(p->err, WN_EPARSE, "cannot parse '%s': %s", p->filename, msg);
}

static void norm_warn(void *ctx, const char *message)
{
    wn_parser *p = ctx;
    wn_parser_warn(p, wn_record_origin(p->rec)->line, "%s", message);
}

int wn_record_finish(wn_record *r, wn_norm_warn_fn warn, void *ctx)
{
    int rc = wn_normalize_record(r, warn, ctx);
    /* Fields a winnow RIS or BibTeX export carried for lack of a place. */
    return rc ? rc : wn_export_fields_apply(r);
}

int wn_parser_emit(wn_parser *p)
{
    wn_record_origin(p->rec)->position = p->records + 1;
    int rc = p->raw ? 0 : wn_record_finish(p->rec, norm_warn, p);
    if (rc)
        return wn_err_set(p->err, rc, "out of memory normalizing record %zu of '%s'",
                          p->records + 1, p->filename);
    if (p->opts && p->opts->on_record) {
        rc = p->opts->on_record(p->opts->user, p->rec);
        if (rc) {
            if (p->err && p->err->code == WN_OK)
                wn_err_set(p->err, rc, "import of '%s' stopped at record %zu", p->filename,
                           p->records + 1);
            return rc;
        }
    }
    p->records++;
    wn_record_reset(p->rec);
    return 0;
}

int wn_parse_with(const wn_format *f, const char *text, size_t len, const char *map,
                  const wn_parse_opts *opts, wn_parse_stats *stats, wn_err *err, int raw)
{
    wn_err local;
    if (!err)
        err = &local;
    wn_err_clear(err);
    static const wn_parse_opts none = {"input", NULL, NULL, NULL};
    if (!opts)
        opts = &none;
    wn_parser p;
    memset(&p, 0, sizeof p);
    p.filename = opts->filename ? opts->filename : "input";
    p.text = text;
    p.len = len;
    p.opts = opts;
    p.err = err;
    p.raw = raw;
    p.map = map;
    p.scratch.limit = WN_RECORD_MAX;
    p.rec = wn_record_new();
    if (!p.rec)
        return wn_err_set(err, WN_ENOMEM, "out of memory");
    int rc = f->parse(&p);
    if (rc && err->code == WN_OK)
        wn_err_set(err, rc, "cannot parse '%s': %s", p.filename, wn_strerror(rc));
    if (stats) {
        stats->records = p.records;
        stats->warnings = p.warnings;
    }
    wn_record_free(p.rec);
    wn_buf_free(&p.scratch);
    return rc;
}

int wn_parse(const wn_format *f, const char *text, size_t len, const wn_parse_opts *opts,
             wn_parse_stats *stats, wn_err *err)
{
    return wn_parse_with(f, text, len, NULL, opts, stats, err, 0);
}

int wn_parse_mapped(const wn_format *f, const char *text, size_t len, const char *map,
                    const wn_parse_opts *opts, wn_parse_stats *stats, wn_err *err)
{
    return wn_parse_with(f, text, len, map, opts, stats, err, 0);
}

int wn_parse_unnormalized(const wn_format *f, const char *text, size_t len,
                          const wn_parse_opts *opts, wn_parse_stats *stats, wn_err *err)
{
    return wn_parse_with(f, text, len, NULL, opts, stats, err, 1);
}

/* ---- detection ------------------------------------------------------- */

#define SNIFF_WINDOW (64u * 1024u)

int wn_format_sniff(const wn_format *f, const char *text, size_t len)
{
    size_t head = len < SNIFF_WINDOW ? len : SNIFF_WINDOW;
    return f->sniff(text, head);
}

/* The tail window, starting at a line start so a sniffer sees whole lines. */
static void tail_window(const char *text, size_t len, const char **w, size_t *wlen)
{
    size_t start = len - SNIFF_WINDOW;
    /* Only look for the line start near the window's beginning: a file that
     * is one long line (EndNote XML, minified JSON) would otherwise leave an
     * empty window after its final newline. */
    size_t look = SNIFF_WINDOW / 16;
    const char *nl = memchr(text + start, '\n', look);
    start = nl ? (size_t)(nl - text) + 1 : start;
    *w = text + start;
    *wlen = len - start;
}

/* A second format scoring this much has records of its own in the window. */
#define MIXED_SCORE 50

/* Whether every file of format a also reads as b (a Web of Science
 * tab-delimited export is a TSV), so b scoring high beside a means nothing. */
static int reads_as(const wn_format *a, const wn_format *b)
{
    return a == &wn_format_wos_tab && b == &wn_format_csv;
}

int wn_format_detect(const char *name, const char *text, size_t len, wn_detection *out,
                     wn_err *err)
{
    memset(out, 0, sizeof *out);
    size_t head = len < SNIFF_WINDOW ? len : SNIFF_WINDOW;
    const wn_format *best = NULL, *second = NULL;
    int best_score = 0, second_score = 0;
    for (size_t i = 0; i < N_FORMATS; i++) {
        int s = formats[i]->sniff(text, head);
        if (s > best_score) {
            second = best, second_score = best_score;
            best = formats[i], best_score = s;
        } else if (s > second_score) {
            second = formats[i], second_score = s;
        }
    }
    if (!best || best_score < 20) {
        char names[256];
        wn_format_names(names, sizeof names);
        return wn_err_set(err, WN_EFORMAT,
                          "cannot read '%s': not a format winnow knows (tried %s); use "
                          "--format to say which it is",
                          name, names);
    }
    const wn_format *other = second;
    int other_score = reads_as(best, second) ? 0 : second_score;
    if (len > 2 * SNIFF_WINDOW) {
        const char *w;
        size_t wlen;
        tail_window(text, len, &w, &wlen);
        if (best->sniff(w, wlen) == 0)
            return wn_err_set(err, WN_EFORMAT,
                              "cannot read '%s': it starts as %s but its end is not %s "
                              "(two formats in one file?)",
                              name, best->label, best->label);
        for (size_t i = 0; i < N_FORMATS && other_score < MIXED_SCORE; i++) {
            if (formats[i] == best || reads_as(best, formats[i]))
                continue;
            int s = formats[i]->sniff(w, wlen);
            if (s > other_score)
                other = formats[i], other_score = s;
        }
    }
    /* Records of a second format beside the first: a reader would take the
     * other format's records for text between its own and drop them. */
    if (other_score >= MIXED_SCORE && !reads_as(best, other))
        return wn_err_set(err, WN_EFORMAT,
                          "cannot read '%s': it holds both %s (score %d) and %s (score %d) "
                          "records (two formats in one file?); split it, or give --format to "
                          "read it as one of them",
                          name, best->label, best_score, other->label, other_score);
    out->format = best;
    out->score = best_score;
    if (second && second_score)
        snprintf(out->why, sizeof out->why, "content fits %s (score %d; next %s %d)",
                 best->label, best_score, second->label, second_score);
    else
        snprintf(out->why, sizeof out->why, "content fits %s (score %d)", best->label,
                 best_score);
    return 0;
}
