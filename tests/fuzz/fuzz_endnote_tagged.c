/* libFuzzer target: arbitrary bytes through decoding, detection and the
 * EndNote tagged (refer) reader. Every record handed out must be well
 * formed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import/parser.h"
#include "winnow/winnow.h"

static int check_record(void *user, const wn_record *rec)
{
    size_t len = *(size_t *)user;
    const wn_origin *o = wn_record_origin_c(rec);
    /* The origin must lie inside the input it came from. */
    if (o->line == 0 || o->offset > len || o->length > len - o->offset || o->length == 0)
        abort();
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (!v.value || !v.tag || strlen(v.value) != v.len || v.len == 0)
            abort();
        if (!wn_utf8_valid(v.value, v.len))
            abort();
    }
    return 0;
}

static void run(const wn_format *f, const wn_decoded *d)
{
    size_t len = d->len;
    wn_parse_opts o = {"fuzz", check_record, NULL, &len};
    wn_parse_stats st;
    wn_err err;
    int score = wn_format_sniff(f, d->text, d->len);
    if (score < 0 || score > 100)
        abort();
    int rc = wn_parse(f, d->text, d->len, &o, &st, &err);
    /* A parse either succeeds with records or fails with a message. */
    if ((rc == 0 && st.records == 0) || (rc != 0 && err.msg[0] == '\0'))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wn_decoded d;
    wn_err err;
    if (wn_text_decode("fuzz", data, size, &d, &err))
        return 0;
    wn_detection det;
    (void)wn_format_detect("fuzz", d.text, d.len, &det, &err);
    run(wn_format_find("endnote-tagged"), &d);
    wn_decoded_free(&d);
    return 0;
}
