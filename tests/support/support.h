/* Helpers shared by the cmocka test programs. */
#ifndef WINNOW_TEST_SUPPORT_H
#define WINNOW_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "winnow/winnow.h"

/* Reads a whole file (owned, NUL-terminated); fails the test if unreadable. */
char *t_read_file(const char *path, size_t *len);
/* SHA-256 (hex, owned) of a file's bytes. */
char *t_sha256_file(const char *path);
/* Fails the test unless the file still has the SHA-256 `before` (from
 * t_sha256_file, freed here): "the project is exactly as it was". */
void t_assert_file_unchanged(const char *path, char *before);
/* Path of a file under ../shared/corpus (static buffer), or NULL when the
 * shared corpus is not beside the checkout. The environment variable
 * WINNOW_SHARED_DIR, when set, replaces ../shared. */
const char *t_corpus_path(const char *rel);
/* Skips the current test with a message when the corpus file is absent. */
#define T_NEED_CORPUS(var, rel)                                                   \
    const char *var = t_corpus_path(rel);                                       \
    if (!var) {                                                                 \
        print_message("skipped: ../shared/corpus/%s not present\n", rel);      \
        skip();                                                                 \
    }

/* Parsed records, copied out for assertions. */
typedef struct t_parsed {
    wn_record **recs;
    size_t n;
    char **warnings; /* "line N: message" */
    size_t n_warnings;
    int rc;
    wn_err err;
} t_parsed;

/* Decodes and parses a file or buffer with the named format ("" or NULL:
 * detect). */
void t_parse_file(t_parsed *out, const char *path, const char *format);
void t_parse_text(t_parsed *out, const char *text, size_t len, const char *format);
/* t_parse_text with a CSV column mapping (see wn_parse_mapped). */
void t_parse_text_mapped(t_parsed *out, const char *text, size_t len, const char *format,
                         const char *map);
/* t_parse_text on a NUL-terminated string. */
void t_parse_str(t_parsed *out, const char *text, const char *format);
/* t_parse_file that must succeed with n records (fails the test, naming the
 * file, otherwise). */
void t_parse_file_ok(t_parsed *out, const char *path, const char *format, size_t n);
void t_parsed_free(t_parsed *p);
/* Number of records that have at least one value of field f. */
size_t t_count_with(const t_parsed *p, wn_field f);

/* Record rec of p (fails the test when there are fewer records). */
const wn_record *t_rec(const t_parsed *p, size_t rec);
/* The first value of field f in record rec of p, or NULL. */
const char *t_field(const t_parsed *p, size_t rec, wn_field f);
/* The origin of record rec of p. */
const wn_origin *t_origin(const t_parsed *p, size_t rec);
/* Fails the test, naming the record and field, unless the first value of
 * field f in record rec of p is want (want NULL: f has no value). */
#define t_assert_field(p, rec, f, want) t_assert_field_at(p, rec, f, want, __FILE__, __LINE__)
void t_assert_field_at(const t_parsed *p, size_t rec, wn_field f, const char *want,
                       const char *file, int line);

/* Fails the test, naming record rec_no (1-based) and the field, at the
 * first of fields[0..n) whose first value in r is not want[i]; fields whose
 * want[i] is NULL are not checked. */
void t_expect_first_values(const wn_record *r, size_t rec_no, const wn_field *fields,
                           const char *const *want, size_t n);

/* The idx-th value of field f written under tag, or NULL. */
const char *t_tagged(const wn_record *r, wn_field f, const char *tag, size_t idx);
/* Number of values of field f written under tag. */
size_t t_count_tagged(const wn_record *r, wn_field f, const char *tag);
/* The first extra written under tag, or NULL. */
const char *t_extra(const wn_record *r, const char *tag);

/* Non-zero when some warning contains part. */
int t_has_warning(const t_parsed *p, const char *part);
/* Fails the test, listing the warnings, unless one contains part. */
#define t_assert_warned(p, part) t_assert_warned_at(p, part, __FILE__, __LINE__)
void t_assert_warned_at(const t_parsed *p, const char *part, const char *file, int line);

/* The named format's sniffer score for a NUL-terminated string. */
int t_sniff(const char *format, const char *text);

/* A file's bytes and their decoding, as the importer sees them. */
typedef struct t_decoded_file {
    char *raw;
    size_t raw_len;
    wn_decoded d;
} t_decoded_file;
/* Reads and decodes a file; fails the test if either fails. */
void t_decode_file(t_decoded_file *out, const char *path);
void t_decoded_file_free(t_decoded_file *f);

/* A record from (field name, tag, value) triples ending in NULL, normalized
 * as a reader would hand it over. The _raw variant skips normalization. */
wn_record *t_record(const char *const *triples);
wn_record *t_record_raw(const char *const *triples);

/* An export write callback appending to a wn_buf (ctx). */
int t_to_buf(void *ctx, const char *data, size_t len);
/* Exports recs[0..n) as format, appending the text to out; fails the test
 * on any error. */
void t_export(wn_record *const *recs, size_t n, const char *format, wn_buf *out);
/* The same for one record (NULL: none, only what the format writes around
 * its records). */
void t_export_one(const wn_record *r, const char *format, wn_buf *out);

/* A fresh temporary path under the build tree (one of 32 static buffers,
 * reused round-robin: copy it if it must outlive many calls). */
const char *t_tmp_path(const char *name);

/* A new project at a fresh temporary path with text imported as one
 * source (source_name, format detected); fails the test on any error. */
struct wn_project;
struct wn_project *t_project_with(const char *file_name, const char *source_name,
                                  const char *text);
/* Runs SQL on the project's database directly (as a test arranging rows
 * another stage would write); fails the test on error. */
void t_sql(struct wn_project *p, const char *sql);
/* The first column of the first row of a query on the project's database
 * (-1 when there is no row); fails the test on error. */
int64_t t_sql_int(struct wn_project *p, const char *sql);

/* Runs the winnow command with args (NULL-terminated) in folder cwd (NULL:
 * current), with environment additions env ("K=V" strings, NULL-terminated,
 * may be NULL). Captures stdout and stderr (owned; may be NULL if not
 * wanted) and returns the exit status (or -1 if it did not exit). */
int t_winnow(const char *cwd, const char *const *env, char **out, char **err,
             const char *const *args);

#endif
