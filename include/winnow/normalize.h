/* winnow — normalization of the fields every later stage relies on.
 *
 * Parsers put values in the right fields as the export wrote them; the
 * normalizer (run on every record a parser emits) makes them uniform: DOIs
 * lower-cased without resolver prefixes, page ranges split and expanded,
 * years extracted, types mapped to one vocabulary, HTML entities and inline
 * tags removed from text, white space collapsed. */
#ifndef WINNOW_NORMALIZE_H
#define WINNOW_NORMALIZE_H

#include <stddef.h>

#include "winnow/buf.h"
#include "winnow/record.h"

typedef void (*wn_norm_warn_fn)(void *ctx, const char *message);

/* Normalizes r in place. warn (may be NULL) hears about values that could
 * not be understood (they are kept as given). */
int wn_normalize_record(wn_record *r, wn_norm_warn_fn warn, void *ctx);

/* Appends the bare, lower-cased DOI found in s ("https://doi.org/10.1/X",
 * "doi:10.1/x", "DOI 10.1/x") to out. Returns 1 if a DOI was found, 0 if
 * not (out unchanged), or WN_ENOMEM. */
int wn_doi_normalize(const char *s, size_t len, wn_buf *out);

/* Splits a page range into first and last page: "123-9" gives 123 and 129,
 * "S12-9" gives S12 and S19, "e1234" gives e1234 and nothing. Returns 0 or
 * WN_ENOMEM. */
int wn_pages_split(const char *pages, wn_buf *first, wn_buf *last);

/* The first plausible year (1400..2199) in s, or 0. */
int wn_year_in(const char *s);

/* The normalized type for a format's own type code (RIS "JOUR", BibTeX
 * "inproceedings", CSL "article-journal", MEDLINE "Journal Article"), or
 * NULL when unknown. */
const char *wn_type_from_code(const char *code);

#endif
