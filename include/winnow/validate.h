/* winnow — checking an export file without a project: what format it is,
 * how many records it holds, how complete they are, and which look broken.
 * This is what a reviewer runs before importing, to reconcile the count a
 * database reported with what the file really holds. */
#ifndef WINNOW_VALIDATE_H
#define WINNOW_VALIDATE_H

#include <stddef.h>

#include "winnow/error.h"
#include "winnow/record.h"

#define WN_VALIDATE_KEEP 1000 /* warnings and suspects kept in full */

typedef struct wn_suspect {
    size_t position; /* 1-based record number in the file */
    size_t line;
    char reason[160];
} wn_suspect;

typedef struct wn_kept_warning {
    size_t line, record;
    char *message;
} wn_kept_warning;

typedef struct wn_type_count {
    char type[32];
    size_t n;
} wn_type_count;

typedef struct wn_validation {
    char format[32];
    char label[64];
    char why[256];
    char encoding[32];
    char sha256[65];
    size_t bytes;
    size_t records;
    size_t with[WN_F_COUNT]; /* records having at least one value of a field */
    wn_type_count types[24]; /* records per type, most common first */
    size_t n_types;
    size_t warnings;         /* all; the first WN_VALIDATE_KEEP are kept */
    wn_kept_warning *kept;
    size_t n_kept;
    size_t suspects;         /* all; the first WN_VALIDATE_KEEP are kept */
    wn_suspect *suspect;
    size_t n_suspect;
} wn_validation;

/* Reads and checks one file (name: shown in messages; format and encoding
 * NULL to detect; map: a CSV column mapping as for wn_parse_mapped, or NULL). On a parse error v still holds what was read up to it,
 * and err says where it stopped. Free v with wn_validation_free either way. */
int wn_validate_file(const char *path, const char *name, const char *format,
                     const char *encoding, const char *map, wn_validation *v, wn_err *err);
void wn_validation_free(wn_validation *v);

#endif
