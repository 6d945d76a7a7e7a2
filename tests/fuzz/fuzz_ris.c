/* Fuzz target: arbitrary bytes decoded and read as RIS, and sniffed. */
#include <stdint.h>
#include <stddef.h>

#include "winnow/winnow.h"

static int count_record(void *user, const wn_record *rec)
{
    size_t *n = user;
    const wn_origin *o = wn_record_origin_c(rec);
    /* Touch every value so a bad length or pointer shows up. */
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        for (size_t k = 0; k < v.len; k++)
            *n += (unsigned char)v.value[k] == 0xFF;
    }
    *n += o->length == 0;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wn_decoded d;
    wn_err err;
    if (wn_text_decode("fuzz", data, size, &d, &err))
        return 0;
    const wn_format *ris = wn_format_find("ris");
    (void)wn_format_sniff(ris, d.text, d.len);
    size_t n = 0;
    wn_parse_opts opts = {"fuzz", count_record, NULL, &n};
    (void)wn_parse(ris, d.text, d.len, &opts, NULL, &err);
    wn_decoded_free(&d);
    return 0;
}
