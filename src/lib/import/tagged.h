/* Internal: what the tagged-text readers (RIS, Web of Science, EndNote
 * tagged) share. Not installed.
 *
 * Each of them reads "tag value" lines, keeps the last tag's value open
 * while continuation lines may still add to it, and gathers a record's lines
 * until the format says it has ended. */
#ifndef WINNOW_TAGGED_H
#define WINNOW_TAGGED_H

#include <stddef.h>

#include "import/parser.h"

/* ---- lines ---- */

int wn_tagged_is_blank(unsigned char c);
/* Whether the line holds only spaces and tabs (or nothing). */
int wn_tagged_all_blank(const char *s, size_t n);
/* Drops leading and trailing spaces and tabs. */
void wn_tagged_trim(const char **s, size_t *n);
/* Drops a UTF-8 byte order mark: exports concatenated into one file keep
 * one at each one's start. */
void wn_tagged_skip_bom(const char **s, size_t *n);
/* wn_lines_next, with the line's byte order mark dropped. */
int wn_tagged_next_line(wn_lines *it, const char **s, size_t *n, size_t *offset);
/* The next line that is not blank, its byte order mark dropped, for the
 * detectors, which look at lines with content only. */
int wn_tagged_next_filled(wn_lines *it, const char **s, size_t *n);

/* ---- the value still open to continuation lines ---- */

typedef struct wn_pending {
    int tag; /* the reader's own tag code, -1 when none */
    const char *val;
    size_t len;
    int joined; /* the value lives in the parser's scratch buffer */
} wn_pending;

/* How a tag's continuation lines join its value. */
typedef enum wn_join {
    WN_JOIN_SPACE,   /* wrapped text */
    WN_JOIN_NEWLINE, /* notes, whose line breaks may matter */
    WN_JOIN_SPLIT,   /* one item per line */
} wn_join;

/* Stores a finished value under the reader's tag code. */
typedef int (*wn_pending_store)(void *reader, int tag, const char *v, size_t n);

void wn_pending_set(wn_pending *pv, int tag, const char *v, size_t n);
/* Stores the pending value, if any, and closes it. Returns 0 or what store
 * returned. */
int wn_pending_flush(wn_pending *pv, const wn_buf *scratch, wn_pending_store store,
                     void *reader);
/* Adds a continuation line (trimmed; nothing when empty or when no value
 * is pending) to the pending value: joined by a space or a line break, or
 * as a new item after storing the one before. Returns 0, WN_ENOMEM, or
 * what store returned. */
int wn_pending_continue(wn_pending *pv, wn_buf *scratch, wn_join join, const char *s, size_t n,
                        wn_pending_store store, void *reader);

/* ---- records ---- */

/* Where the record being read sits in the text. */
typedef struct wn_tagged_span {
    size_t line, offset, end; /* end: the byte after its last line */
} wn_tagged_span;

/* Starts a record at a line: its span so far, and no value pending. */
void wn_tagged_begin(wn_tagged_span *span, wn_pending *pv, size_t line, size_t offset,
                     size_t end);

/* Turns WN_ENOMEM into a message naming the record's line and what is
 * likely missing (hint: "is an 'ER' line missing?"); other codes pass. */
int wn_tagged_out_of_room(wn_parser *p, size_t line, int rc, const char *hint);
/* Sets the record's origin from span and emits it. */
int wn_tagged_emit(wn_parser *p, const wn_tagged_span *span);
/* The same, but a record with no values is skipped with a warning. */
int wn_tagged_emit_filled(wn_parser *p, const wn_tagged_span *span);

/* Lines outside any record, reported together in one warning. */
typedef struct wn_stray {
    size_t line, count;
} wn_stray;

void wn_stray_note(wn_stray *st, size_t line);
/* Warns "ignored N lines outside a record (HINT)" if any were noted. */
void wn_stray_report(wn_parser *p, wn_stray *st, const char *hint);

#endif
