/* What the format fuzz targets share: decode the bytes, run the format's
 * sniffer and detection, read the text with the format's reader, and check
 * what comes out. Every target checks that the sniffer scores 0..100, that
 * a failed parse says why and that a successful one counts the records it
 * handed out; a target names its format and the checks it adds (FUZZ_*). */
#ifndef WINNOW_FUZZ_COMMON_H
#define WINNOW_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

enum {
    /* Each record's origin lies inside the decoded text, starts on a line
     * >= 1 and is not empty; records are numbered 1, 2, ... in order; each
     * value has a tag and is a non-empty, valid UTF-8 C string of its stated
     * length. */
    FUZZ_WELL_FORMED = 1 << 0,
    /* A successful parse yields at least one record (for formats whose
     * reader fails on input without any). */
    FUZZ_NEED_RECORDS = 1 << 1,
    /* Every record read is written by each exporter, and each export must
     * read back with its own reader when records were read. */
    FUZZ_ROUND_TRIP = 1 << 2,
    /* Each record's origin starts at or after the end of the one before. */
    FUZZ_IN_ORDER = 1 << 3,
    /* Each record's origin spans an XML element: it starts with '<' and
     * ends with '>' (checked after FUZZ_WELL_FORMED, which it needs). */
    FUZZ_ELEMENT_ORIGINS = 1 << 4,
};

typedef struct fuzz_target {
    const char *format; /* the reader's name, as wn_format_find takes it */
    unsigned checks;    /* FUZZ_* flags */
    /* More to run on the decoded text (may be NULL). */
    void (*also)(const char *text, size_t len);
} fuzz_target;

/* Runs one fuzz input through t; aborts on the first broken check. Returns
 * 0, as LLVMFuzzerTestOneInput must. */
int fuzz_input(const uint8_t *data, size_t size, const fuzz_target *t);

#endif
