/* winnow — reading exports: the format registry, detection and parsing.
 *
 * Parsers read from memory (valid UTF-8, see text.h), emit one normalized
 * record at a time through a callback, and report recoverable oddities as
 * warnings with the line and record number. A fatal problem stops the parse
 * with WN_EPARSE and a message "cannot parse 'FILE' line N: ...". */
#ifndef WINNOW_IMPORT_H
#define WINNOW_IMPORT_H

#include <stddef.h>

#include "winnow/error.h"
#include "winnow/record.h"
#include "winnow/text.h"

typedef struct wn_format wn_format;

typedef struct wn_warning {
    const char *file;    /* as given in wn_parse_opts */
    size_t line;         /* 1-based; 0 when not tied to a line */
    size_t record;       /* 1-based position of the record; 0 when none */
    const char *message; /* one line */
} wn_warning;

/* Return 0 to go on; anything else stops the parse, which then returns it
 * (use WN_EABORT or the callback's own WN_E* code). */
typedef int (*wn_record_fn)(void *user, const wn_record *rec);
typedef void (*wn_warning_fn)(void *user, const wn_warning *w);

typedef struct wn_parse_opts {
    const char *filename;     /* used in messages only */
    wn_record_fn on_record;   /* may be NULL (count only) */
    wn_warning_fn on_warning; /* may be NULL */
    void *user;
} wn_parse_opts;

typedef struct wn_parse_stats {
    size_t records;
    size_t warnings;
} wn_parse_stats;

/* Registry. Names are short and stable: "ris", "medline", "bibtex", "csv",
 * "csljson". */
size_t wn_format_count(void);
const wn_format *wn_format_at(size_t i);
const wn_format *wn_format_find(const char *name);
const char *wn_format_name(const wn_format *f);
const char *wn_format_label(const wn_format *f);
/* Writes the registered format names, comma-separated ("ris, medline, ..."),
 * into out (always NUL-terminated). */
void wn_format_names(char *out, size_t size);

typedef struct wn_detection {
    const wn_format *format;
    int score;      /* 0..100 */
    char why[256];  /* one line: what in the content decided it */
} wn_detection;

/* Detects the format of text from its content (a window at the start and one
 * at the end, both must agree). WN_EFORMAT with a message naming `name` when
 * nothing fits or the two windows disagree. */
int wn_format_detect(const char *name, const char *text, size_t len,
                     wn_detection *out, wn_err *err);
/* How well text fits format f (0..100) on the same windows. */
int wn_format_sniff(const wn_format *f, const char *text, size_t len);

/* Parses text as format f. stats may be NULL. */
int wn_parse(const wn_format *f, const char *text, size_t len,
             const wn_parse_opts *opts, wn_parse_stats *stats, wn_err *err);
/* wn_parse with a column mapping for CSV, "title=Article Title,abstract=
 * Abstract" (winnow field names or common aliases on the left, header
 * cells on the right); mapped columns win over the detected profile. map
 * may be NULL; other formats ignore it. */
int wn_parse_mapped(const wn_format *f, const char *text, size_t len, const char *map,
                    const wn_parse_opts *opts, wn_parse_stats *stats, wn_err *err);
/* Checks a mapping's syntax and field names without a file: 0, or
 * WN_EINVAL with a one-line message. */
int wn_csv_map_check(const char *map, wn_err *err);
/* The same, but records are handed over as read, without normalization:
 * faster, for counting and checking files (winnow validate). */
int wn_parse_unnormalized(const wn_format *f, const char *text, size_t len,
                          const wn_parse_opts *opts, wn_parse_stats *stats, wn_err *err);

/* ---- one input file, ready to parse -------------------------------- */

/* An export file read from disk: its bytes (memory-mapped), their SHA-256,
 * the text decoded to UTF-8, and the format to read it with. */
typedef struct wn_input {
    const char *name;   /* as shown in messages (borrowed) */
    const char *bytes;  /* the file as it is on disk */
    size_t size;
    char sha256[65];    /* with WN_INPUT_HASH: valid after wn_input_hash_wait */
    wn_decoded text;    /* valid UTF-8 */
    const wn_format *format;
    char why[256];      /* how the format was decided */
    void *hasher;       /* private: the hashing thread while it runs */
} wn_input;

enum { WN_INPUT_HASH = 1 };

/* Reads path (named `name` in messages; NULL: the path): maps it, starts
 * hashing it on another thread if flags has WN_INPUT_HASH, decodes it (encoding NULL: detect, else any
 * iconv name), and picks the format: the one named (checked against the
 * content) or, when format is NULL, the one the content shows. Empty files,
 * binary data, unknown or mismatched formats fail with a one-line message.
 * Release with wn_input_close (also after a failure). */
int wn_input_open(wn_input *in, const char *path, const char *name, const char *format,
                  const char *encoding, int flags, wn_err *err);
void wn_input_close(wn_input *in);
/* Waits for the hash started by WN_INPUT_HASH (in->sha256 is then set), so
 * a caller can let it run beside its own work. Does nothing otherwise. */
void wn_input_hash_wait(wn_input *in);

#endif
