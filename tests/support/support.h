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
/* Path of a file under ../shared/corpus (static buffer), or NULL when the
 * shared corpus is not beside the checkout. */
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
void t_parsed_free(t_parsed *p);
/* Number of records that have at least one value of field f. */
size_t t_count_with(const t_parsed *p, wn_field f);

/* A fresh temporary path under the build tree (one of 32 static buffers,
 * reused round-robin: copy it if it must outlive many calls). */
const char *t_tmp_path(const char *name);

/* Runs the winnow command with args (NULL-terminated) in folder cwd (NULL:
 * current), with environment additions env ("K=V" strings, NULL-terminated,
 * may be NULL). Captures stdout and stderr (owned; may be NULL if not
 * wanted) and returns the exit status (or -1 if it did not exit). */
int t_winnow(const char *cwd, const char *const *env, char **out, char **err,
             const char *const *args);

#endif
