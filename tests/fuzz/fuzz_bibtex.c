/* Fuzz target: arbitrary bytes through text decoding, BibTeX detection and
 * parsing, and the LaTeX decoder on its own. */
#include <stdint.h>
#include <stddef.h>

#include "import/parser.h"
#include "winnow/winnow.h"

static int touch_record(void *user, const wn_record *rec)
{
    /* Read every value so a bad length or pointer shows up under ASan. */
    size_t *sum = user;
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        for (size_t k = 0; k < v.len; k++)
            *sum += (unsigned char)v.value[k];
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wn_err err;
    wn_decoded d;
    if (wn_text_decode("fuzz", data, size, &d, &err) != 0)
        return 0;
    size_t sum = 0;
    (void)wn_format_sniff(&wn_format_bibtex, d.text, d.len);
    wn_parse_opts opts = {"fuzz", touch_record, NULL, &sum};
    (void)wn_parse(&wn_format_bibtex, d.text, d.len, &opts, NULL, &err);
    wn_buf out = WN_BUF_INIT;
    (void)wn_latex_decode(&out, d.text, d.len);
    wn_buf_free(&out);
    wn_decoded_free(&d);
    return 0;
}
