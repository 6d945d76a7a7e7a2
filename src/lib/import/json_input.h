/* Internal: what the JSON readers share. Not installed.
 *
 * wn_json_load checks the input before cJSON sees it (size, nesting depth,
 * since cJSON recurses), parses it, and turns a parse error into a message
 * with line and column. It also notes where each object or array of the
 * first few nesting levels sits in the text, so a reader can give records
 * an origin: cJSON keeps no positions. */
#ifndef WINNOW_JSON_INPUT_H
#define WINNOW_JSON_INPUT_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "import/parser.h"

#define WN_JSON_MAX_INPUT (1024u * 1024u * 1024u)
#define WN_JSON_MAX_DEPTH 64
/* Containers this deep or less are noted (the root is at depth 0). */
#define WN_JSON_SPAN_DEPTH 3
#define WN_JSON_NO_SPAN ((size_t)-1)

/* Where one object or array sits in the text. */
typedef struct wn_json_span {
    size_t offset, length, line;
    size_t parent; /* index of the enclosing span, WN_JSON_NO_SPAN for the root */
} wn_json_span;

typedef struct wn_json_doc {
    cJSON *root;
    wn_json_span *spans; /* in text order */
    size_t n_spans;
} wn_json_doc;

/* Parses p's text into doc. On failure reports it through p (what names
 * the expected content, for messages: "an OpenAlex response") and returns
 * WN_EPARSE or WN_ENOMEM; doc then holds nothing to free. */
int wn_json_load(wn_parser *p, const char *what, wn_json_doc *doc);
void wn_json_free(wn_json_doc *doc);

/* Walks the container children of the container noted as span `parent`,
 * in order: pass *cursor = parent first; each call moves it to the next
 * child's span and returns 1, or returns 0 when there are no more. */
int wn_json_next_child_span(const wn_json_doc *doc, size_t parent, size_t *cursor);

/* The span of item, the next element of the list whose span is list_span,
 * for walking a list in order: pass *cursor = list_span with the first
 * element. WN_JSON_NO_SPAN for a scalar (only containers are noted). */
size_t wn_json_item_span(const wn_json_doc *doc, size_t list_span, const cJSON *item,
                         size_t *cursor);

/* The span of child, a container member of the container parent whose
 * span is parent_span; WN_JSON_NO_SPAN when unknown. */
size_t wn_json_child_span(const wn_json_doc *doc, size_t parent_span, const cJSON *parent,
                          const cJSON *child);

/* Reads one object into p->rec; returns 0 or WN_ENOMEM. */
typedef int (*wn_json_read_fn)(void *reader, const cJSON *obj);

/* Emits obj as one record filled by read, its origin the span. A failure
 * of read is reported as running out of memory. */
int wn_json_emit(wn_parser *p, const wn_json_doc *doc, const cJSON *obj, size_t span,
                 wn_json_read_fn read, void *reader);
/* Emits every element of list (whose span is list_span) with wn_json_emit;
 * an element that is not an object is skipped with the warning
 * "<noun> N<where> is not an object; skipped". */
int wn_json_emit_list(wn_parser *p, const wn_json_doc *doc, const cJSON *list, size_t list_span,
                      const char *noun, const char *where, wn_json_read_fn read, void *reader);

/* Reads p's text as an array of objects, or one object on its own, and
 * emits a record for each object (see wn_json_emit_list; what is as for
 * wn_json_load). */
int wn_json_emit_items(wn_parser *p, const char *what, wn_json_read_fn read, void *reader);

/* Fills the record's origin from a span (line 1 when span is
 * WN_JSON_NO_SPAN). */
void wn_json_set_origin(wn_parser *p, const wn_json_doc *doc, size_t span);

/* Key helpers for sniffers: non-zero when the window holds "key" followed
 * by a colon (a JSON member name, not a value). */
int wn_json_has_key(const char *text, size_t len, const char *key);
/* Offset of the first character that is not white space or a UTF-8 byte
 * order mark (len when none). */
size_t wn_json_skip_space(const char *text, size_t len);

/* A string or number member as text (numbers without a needless ".0");
 * NULL for anything else. num is the buffer numbers are printed into. */
const char *wn_json_scalar(const cJSON *j, char num[64]);

/* "Given Surname" as "Surname, Given": the last word is the surname, with
 * lower-case particles before it ("van", "de la"). A trailing "et al." is
 * dropped. One word, or a name that already has a comma, is written as it
 * is. */
int wn_json_name_inverted(const char *name, wn_buf *out);

#endif
