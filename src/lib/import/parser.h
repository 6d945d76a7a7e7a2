/* Internal: what every format parser shares. Not installed. */
#ifndef WINNOW_PARSER_H
#define WINNOW_PARSER_H

#include "winnow/import.h"
#include "winnow/buf.h"
#include "winnow/normalize.h"

typedef struct wn_parser {
    const char *filename;
    const char *text; /* whole input, valid UTF-8 */
    size_t len;
    wn_record *rec;   /* the record being built; reset after each emit */
    size_t records;   /* emitted so far */
    size_t warnings;
    const wn_parse_opts *opts;
    wn_err *err;
    wn_buf scratch;   /* free for a parser's temporary use */
    int raw;          /* emit records without normalizing them */
    const char *map;  /* CSV column mapping (wn_parse_mapped) or NULL */
} wn_parser;

struct wn_format {
    const char *name;
    const char *label;
    /* Confidence 0..100 that a window of text is this format. The window may
     * start or end mid-record. */
    int (*sniff)(const char *text, size_t len);
    int (*parse)(wn_parser *p);
};

/* Reports a warning at a line for the record being built (record number is
 * p->records + 1). Always returns 0 so it can end a parser's statement. */
int wn_parser_warn(wn_parser *p, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Stops the parse: sets "cannot parse 'FILE' line N: MSG" and returns
 * WN_EPARSE. */
int wn_parser_fail(wn_parser *p, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* What every record goes through before it is kept: the normalizer, then
 * the fields a winnow export carried as extras. wn_parser_emit does it
 * unless the parser is raw; an import may do it later, on another thread. */
int wn_record_finish(wn_record *r, wn_norm_warn_fn warn, void *ctx);
/* Finishes p->rec (see above), hands it to the callback, and resets it. The caller
 * fills the origin (line, offset, length) before; position is set here.
 * Returns 0 or the callback's code. */
int wn_parser_emit(wn_parser *p);

/* Line iteration that accepts LF, CRLF and CR-only line ends. */
typedef struct wn_lines {
    const char *text;
    size_t len;
    size_t pos;    /* offset of the next line */
    size_t lineno; /* number of the line last returned (1-based) */
    size_t next_lf; /* cached offset of the next LF (len when none) */
} wn_lines;

void wn_lines_init(wn_lines *it, const char *text, size_t len);
/* Returns 1 and the line (without its end) or 0 at the end of input. */
int wn_lines_next(wn_lines *it, const char **line, size_t *line_len,
                  size_t *line_offset);

/* wn_parse, wn_parse_mapped and wn_parse_unnormalized in one: map as for
 * wn_parse_mapped, raw as in wn_parser. */
int wn_parse_with(const wn_format *f, const char *text, size_t len, const char *map,
                  const wn_parse_opts *opts, wn_parse_stats *stats, wn_err *err, int raw);

/* Which CSV profile the header of text fits, as "line 1: Scopus export
 * (header has ...)"; "" when no header is found. */
void wn_csv_explain(const char *text, size_t len, char *out, size_t size);

extern const wn_format wn_format_ris;
extern const wn_format wn_format_medline;
extern const wn_format wn_format_bibtex;
extern const wn_format wn_format_csv;
extern const wn_format wn_format_csljson;
extern const wn_format wn_format_pubmed_xml;
extern const wn_format wn_format_wos, wn_format_wos_tab, wn_format_endnote_tagged;
extern const wn_format wn_format_endnote_xml;
extern const wn_format wn_format_openalex, wn_format_crossref, wn_format_pop_json;
extern const wn_format wn_format_ovid;

#endif
