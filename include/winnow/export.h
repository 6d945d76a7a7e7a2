/* winnow — writing records out: RIS, CSV, CSL-JSON and BibTeX.
 *
 * An export written by winnow and imported again gives the same records with
 * the same fields (extras included: each format carries them in a way its
 * own reader takes back). Output goes through a write callback so the library
 * never touches stdout itself. */
#ifndef WINNOW_EXPORT_H
#define WINNOW_EXPORT_H

#include <stddef.h>

#include "winnow/error.h"
#include "winnow/record.h"

/* Writes len bytes; returns 0 or a WN_E* code. */
typedef int (*wn_write_fn)(void *ctx, const char *data, size_t len);

typedef struct wn_export wn_export;

/* Names: "ris", "csv", "csljson", "bibtex". *out is owned by the caller and
 * released by wn_export_close or wn_export_free. */
int wn_export_open(wn_export **out, const char *format, wn_write_fn write, void *ctx,
                   wn_err *err);
/* Writes one record. */
int wn_export_record(wn_export *x, const wn_record *rec);
/* Finishes the file (closing brackets ...) and frees x. */
int wn_export_close(wn_export *x);
/* Frees x without finishing. NULL does nothing. */
void wn_export_free(wn_export *x);
/* Names of the export formats, NULL-terminated. */
const char *const *wn_export_formats(void);

/* Import side of the round trip. RIS and BibTeX have no place for some
 * fields (another format's type code, extras with other tags, values with
 * line breaks); their writers carry those in one extra whose value starts
 * "winnow-fields:" followed by a JSON object of field name to values. This
 * applies such an extra to a normalized record: each listed field gets
 * exactly the listed values, listed extras are appended, and the carrier is
 * removed. Records without one are unchanged. Returns 0 or WN_ENOMEM. */
int wn_export_fields_apply(wn_record *rec);

#endif
