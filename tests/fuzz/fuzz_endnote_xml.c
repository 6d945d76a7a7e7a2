/* libFuzzer target: arbitrary bytes through decoding, EndNote XML detection
 * and the EndNote XML reader. Every record handed out must be well formed
 * and its origin must span one <record> element of the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import/parser.h"
#include "winnow/winnow.h"

typedef struct seen {
    const char *text;
    size_t len;
    size_t last_end;
} seen;

static int check_record(void *user, const wn_record *rec)
{
    seen *s = user;
    const wn_origin *o = wn_record_origin_c(rec);
    /* The origin lies inside the input, after the previous record. */
    if (o->line == 0 || o->offset > s->len || o->length > s->len - o->offset || o->length == 0)
        abort();
    if (o->offset < s->last_end)
        abort();
    s->last_end = o->offset + o->length;
    /* It is a record element: "<record" or "<prefix:record", ending in '>'. */
    if (s->text[o->offset] != '<' || s->text[o->offset + o->length - 1] != '>')
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wn_decoded d;
    wn_err err;
    if (wn_text_decode("fuzz", data, size, &d, &err))
        return 0;
    (void)wn_format_sniff(&wn_format_endnote_xml, d.text, d.len);
    seen s = {d.text, d.len, 0};
    wn_parse_opts o = {"fuzz", check_record, NULL, &s};
    wn_parse_stats st;
    int rc = wn_parse(&wn_format_endnote_xml, d.text, d.len, &o, &st, &err);
    /* A parse either succeeds with records or fails with a message. */
    if ((rc == 0 && st.records == 0) || (rc != 0 && err.msg[0] == '\0'))
        abort();
    wn_decoded_free(&d);
    return 0;
}
