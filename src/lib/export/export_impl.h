/* Internal: what the export writers share. Not installed.
 *
 * A writer formats one record into x->out; the dispatcher hands that text to
 * the caller's write callback after each record, so an export streams and
 * never holds more than one record in memory. */
#ifndef WINNOW_EXPORT_IMPL_H
#define WINNOW_EXPORT_IMPL_H

#include <stddef.h>

#include "winnow/buf.h"
#include "winnow/export.h"
#include "winnow/record.h"

typedef struct wn_exporter {
    const char *name;
    /* Text written before the first record (may be NULL). */
    int (*begin)(wn_export *x);
    /* Appends one record to x->out. */
    int (*record)(wn_export *x, const wn_record *rec);
    /* Appends the closing text to x->out (may be NULL). */
    int (*end)(wn_export *x);
} wn_exporter;

struct wn_export {
    const wn_exporter *fmt;
    wn_write_fn write;
    void *ctx;
    wn_buf out;    /* text waiting to be written */
    wn_buf tmp;    /* free for a writer's temporary use */
    wn_buf tmp2;
    size_t records; /* records written so far */
    int failed;     /* first error: later calls return it again */
};

extern const wn_exporter wn_exporter_ris;
extern const wn_exporter wn_exporter_csv;
extern const wn_exporter wn_exporter_csljson;
extern const wn_exporter wn_exporter_bibtex;

/* Non-zero for fields whose values the normalizer cleans of markup (HTML
 * character references and inline tags) on import. */
int wn_x_markup_cleaned(wn_field f);
/* Appends v[0..len) so that the import normalizer turns it back into v: for
 * fields it cleans of markup, a '&' that would start a character reference
 * becomes "&amp;" and a '<' that could start a tag becomes "&lt;". Other
 * fields are copied as they are. */
int wn_x_put_value(wn_buf *out, wn_field f, const char *v, size_t len);
/* Appends s[0..len) as a JSON string literal (quotes included). */
int wn_x_json_string(wn_buf *out, const char *s, size_t len);

/* Fields a format cannot hold, carried in one extra (see fields.c). */
typedef struct wn_x_carry {
    wn_buf fields; /* "name":[values],... */
    wn_buf extras; /* [tag,value],... */
    size_t n_fields, n_extras;
} wn_x_carry;

void wn_x_carry_init(wn_x_carry *c);
void wn_x_carry_clear(wn_x_carry *c);
void wn_x_carry_free(wn_x_carry *c);
/* Carries all values of f (none: the field is to be absent). */
int wn_x_carry_field(wn_x_carry *c, const wn_record *rec, wn_field f);
/* Carries one extra, appended after those the format itself holds. */
int wn_x_carry_extra(wn_x_carry *c, const char *tag, const char *value, size_t len);
int wn_x_carry_empty(const wn_x_carry *c);
/* Appends the carrier value "winnow-fields: {...}" (one line, JSON). */
int wn_x_carry_text(const wn_x_carry *c, wn_buf *out);

#endif
