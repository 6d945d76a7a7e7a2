/* libFuzzer target: arbitrary bytes through decoding, CSL-JSON sniffing and
 * the CSL-JSON reader; every record read is then written by each exporter
 * and read back, so the writers see whatever the reader can produce. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import/parser.h"
#include "winnow/winnow.h"

#define N_WRITERS 4

typedef struct fuzz_ctx {
    size_t len;
    wn_export *out[N_WRITERS];
} fuzz_ctx;

static int check_record(void *user, const wn_record *rec)
{
    fuzz_ctx *c = user;
    const wn_origin *o = wn_record_origin_c(rec);
    /* The origin must lie inside the input it came from. */
    if (o->line == 0 || o->offset > c->len || o->length > c->len - o->offset)
        abort();
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (!v.value || !v.tag || strlen(v.value) != v.len || v.len == 0)
            abort();
        if (!wn_utf8_valid(v.value, v.len))
            abort();
    }
    for (size_t k = 0; k < N_WRITERS; k++)
        if (c->out[k] && wn_export_record(c->out[k], rec) != 0)
            abort();
    return 0;
}

static int to_buf(void *ctx, const char *data, size_t len)
{
    return wn_buf_append(ctx, data, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[N_WRITERS] = {"csv", "csljson", "ris", "bibtex"};
    wn_decoded d;
    wn_err err;
    if (wn_text_decode("fuzz", data, size, &d, &err))
        return 0;
    (void)wn_format_sniff(&wn_format_csljson, d.text, d.len);
    fuzz_ctx c = {d.len, {NULL}};
    wn_buf text[N_WRITERS];
    memset(text, 0, sizeof text);
    for (size_t k = 0; k < N_WRITERS; k++)
        if (wn_export_open(&c.out[k], names[k], to_buf, &text[k], &err))
            abort();
    wn_parse_opts o = {"fuzz", check_record, NULL, &c};
    wn_parse_stats st;
    int rc = wn_parse(&wn_format_csljson, d.text, d.len, &o, &st, &err);
    /* A parse either succeeds or fails with a message. */
    if (rc != 0 && err.msg[0] == '\0')
        abort();
    for (size_t k = 0; k < N_WRITERS; k++) {
        if (wn_export_close(c.out[k]) != 0)
            abort();
        /* What winnow wrote, winnow reads. */
        const wn_format *f = wn_format_find(names[k]);
        if (rc == 0 && wn_parse(f, text[k].data ? text[k].data : "", text[k].len, NULL, NULL,
                                &err) != 0 && st.records > 0)
            abort();
        wn_buf_free(&text[k]);
    }
    wn_decoded_free(&d);
    return 0;
}
