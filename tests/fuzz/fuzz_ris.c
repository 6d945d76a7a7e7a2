/* Fuzz target: arbitrary bytes decoded, sniffed and read as RIS. Besides
 * memory errors it checks that every record's origin lies inside the input,
 * that records are numbered in order, and that values are non-empty C
 * strings of their stated length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "winnow/winnow.h"

typedef struct seen {
    size_t text_len;
    size_t records;
} seen;

static int check_record(void *user, const wn_record *rec)
{
    seen *s = user;
    const wn_origin *o = wn_record_origin_c(rec);
    if (o->offset > s->text_len || o->length > s->text_len - o->offset || o->length == 0 ||
        o->line == 0 || o->position != ++s->records)
        abort();
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.len == 0 || strlen(v.value) != v.len)
            abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wn_decoded d;
    wn_err err;
    if (wn_text_decode("fuzz", data, size, &d, &err))
        return 0;
    const wn_format *ris = wn_format_find("ris");
    int score = wn_format_sniff(ris, d.text, d.len);
    if (score < 0 || score > 100)
        abort();
    seen s = {d.len, 0};
    wn_parse_opts opts = {"fuzz", check_record, NULL, &s};
    wn_parse_stats stats;
    int rc = wn_parse(ris, d.text, d.len, &opts, &stats, &err);
    if (!rc && stats.records != s.records)
        abort();
    wn_decoded_free(&d);
    return 0;
}
