#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "winnow/winnow.h"

/* The export formats a round trip goes through. */
static const char *const writers[] = {"csv", "csljson", "ris", "bibtex"};
#define N_WRITERS (sizeof writers / sizeof writers[0])

typedef struct fuzz_run {
    const fuzz_target *target;
    const char *text;
    size_t text_len;
    size_t last_end;            /* where the last record's origin ended */
    size_t records;             /* handed out so far */
    size_t byte_sum;            /* of every value read, so ASan sees each byte */
    wn_export *out[N_WRITERS];  /* open exports (round trip only) */
    wn_buf exported[N_WRITERS]; /* what each wrote */
} fuzz_run;

static void check_value(const wn_field_value *v)
{
    if (!v->value || !v->tag || v->len == 0 || strlen(v->value) != v->len)
        abort();
    if (!wn_utf8_valid(v->value, v->len))
        abort();
}

static void check_well_formed(const fuzz_run *run, const wn_record *rec)
{
    const wn_origin *o = wn_record_origin_c(rec);
    if (o->line == 0 || o->length == 0 || o->offset > run->text_len ||
        o->length > run->text_len - o->offset || o->position != run->records)
        abort();
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        check_value(&v);
    }
}

static int check_record(void *user, const wn_record *rec)
{
    fuzz_run *run = user;
    run->records++;
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        for (size_t k = 0; k < v.len; k++)
            run->byte_sum += (unsigned char)v.value[k];
    }
    unsigned checks = run->target->checks;
    if (checks & FUZZ_WELL_FORMED)
        check_well_formed(run, rec);
    const wn_origin *o = wn_record_origin_c(rec);
    if ((checks & FUZZ_IN_ORDER) && o->offset < run->last_end)
        abort();
    run->last_end = o->offset + o->length;
    if ((checks & FUZZ_ELEMENT_ORIGINS) &&
        (run->text[o->offset] != '<' || run->text[o->offset + o->length - 1] != '>'))
        abort();
    for (size_t k = 0; k < N_WRITERS; k++)
        if (run->out[k] && wn_export_record(run->out[k], rec) != 0)
            abort();
    return 0;
}

static int append_to_buf(void *ctx, const char *data, size_t len)
{
    return wn_buf_append(ctx, data, len);
}

static void open_exports(fuzz_run *run)
{
    wn_err err;
    for (size_t k = 0; k < N_WRITERS; k++)
        if (wn_export_open(&run->out[k], writers[k], append_to_buf, &run->exported[k], &err))
            abort();
}

/* Closes the exports; when the parse read records, what winnow wrote,
 * winnow must read. */
static void close_exports(fuzz_run *run, int read_records)
{
    for (size_t k = 0; k < N_WRITERS; k++) {
        if (!run->out[k])
            continue;
        if (wn_export_close(run->out[k]) != 0)
            abort();
        const wn_buf *text = &run->exported[k];
        wn_err err;
        if (read_records && wn_parse(wn_format_find(writers[k]), text->data ? text->data : "",
                                     text->len, NULL, NULL, &err) != 0)
            abort();
        wn_buf_free(&run->exported[k]);
    }
}

int fuzz_input(const uint8_t *data, size_t size, const fuzz_target *t)
{
    const wn_format *f = wn_format_find(t->format);
    if (!f)
        abort();
    wn_decoded d;
    wn_err err;
    if (wn_text_decode("fuzz", data, size, &d, &err))
        return 0;
    int score = wn_format_sniff(f, d.text, d.len);
    if (score < 0 || score > 100)
        abort();
    wn_detection det;
    (void)wn_format_detect("fuzz", d.text, d.len, &det, &err);

    fuzz_run run;
    memset(&run, 0, sizeof run);
    run.target = t;
    run.text = d.text;
    run.text_len = d.len;
    if (t->checks & FUZZ_ROUND_TRIP)
        open_exports(&run);
    wn_parse_opts opts = {"fuzz", check_record, NULL, &run};
    wn_parse_stats st;
    int rc = wn_parse(f, d.text, d.len, &opts, &st, &err);
    if (rc != 0 && err.msg[0] == '\0')
        abort();
    if (rc == 0 && st.records != run.records)
        abort();
    if (rc == 0 && st.records == 0 && (t->checks & FUZZ_NEED_RECORDS))
        abort();
    close_exports(&run, rc == 0 && st.records > 0);
    if (t->also)
        t->also(d.text, d.len);
    wn_decoded_free(&d);
    return 0;
}
