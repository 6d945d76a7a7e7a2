/* CSV export: a header row of winnow's column names (wn_field_name for every
 * field in enum order, "extra" last), then one row per record.
 *
 * RFC 4180: comma delimiter, CRLF row ends, cells quoted when they hold a
 * comma, quote or line break; UTF-8 without BOM. Cell contents:
 *  - single-valued columns: the value as it is;
 *  - repeatable columns (authors, keywords, issn, ...; and doi, of which the
 *    normalizer may keep two it could not read): the values joined by LF
 *    inside the cell, or a JSON array of strings when a value holds a line
 *    break or the cell would start with '[' (so a cell starting with '[' is
 *    always JSON and splitting on LF is never ambiguous);
 *  - extra: a JSON array of [tag, value] pairs, in record order.
 * The CSV reader recognises this exact header and decodes cells this way, so
 * an export read back gives the same fields. */
#include <string.h>

#include "export/export_impl.h"

/* Columns that may hold several values (see the file comment). */
static int multi_valued(wn_field f) { return wn_field_is_list(f) || f == WN_F_DOI; }

static int csv_begin(wn_export *x)
{
    for (int f = 0; f < WN_F_COUNT; f++) {
        if ((f && wn_buf_putc(&x->out, ',')) || wn_buf_puts(&x->out, wn_field_name((wn_field)f)))
            return WN_ENOMEM;
    }
    return wn_buf_puts(&x->out, "\r\n");
}

static int put_cell(wn_buf *out, const char *s, size_t len)
{
    int quote = 0;
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote)
        return wn_buf_append(out, s, len);
    if (wn_buf_putc(out, '"'))
        return WN_ENOMEM;
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '"')
            continue;
        /* Append up to and including the quote, then double it. */
        if (wn_buf_append(out, s + run, i + 1 - run) || wn_buf_putc(out, '"'))
            return WN_ENOMEM;
        run = i + 1;
    }
    if (wn_buf_append(out, s + run, len - run) || wn_buf_putc(out, '"'))
        return WN_ENOMEM;
    return 0;
}

/* Does the LF-joined form of field f's values stay unambiguous? */
static int joinable(const wn_record *rec, wn_field f)
{
    int first = 1;
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field != f)
            continue;
        if (first && v.value[0] == '[')
            return 0;
        if (memchr(v.value, '\n', v.len) || memchr(v.value, '\r', v.len))
            return 0;
        first = 0;
    }
    return 1;
}

static int multi_cell(wn_export *x, const wn_record *rec, wn_field f)
{
    int rc = 0;
    int json = !joinable(rec, f);
    size_t n = 0;
    if (json)
        rc = wn_buf_putc(&x->tmp, '[');
    for (size_t i = 0; i < wn_record_size(rec) && !rc; i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field != f)
            continue;
        if (n++)
            rc = wn_buf_putc(&x->tmp, json ? ',' : '\n');
        if (rc)
            break;
        if (json) {
            wn_buf_clear(&x->tmp2);
            rc = wn_x_put_value(&x->tmp2, f, v.value, v.len);
            if (!rc)
                rc = wn_x_json_string(&x->tmp, x->tmp2.data, x->tmp2.len);
        } else {
            rc = wn_x_put_value(&x->tmp, f, v.value, v.len);
        }
    }
    if (!rc && json)
        rc = wn_buf_putc(&x->tmp, ']');
    return rc;
}

/* The extra column: every WN_F_EXTRA, plus later values of single-valued
 * fields, which the import normalizer would keep as extras anyway. */
static int extra_cell(wn_export *x, const wn_record *rec)
{
    int rc = 0;
    int seen[WN_F_COUNT] = {0};
    size_t n = 0;
    for (size_t i = 0; i < wn_record_size(rec) && !rc; i++) {
        wn_field_value v = wn_record_at(rec, i);
        const char *tag = v.tag;
        if (v.field != WN_F_EXTRA) {
            if (multi_valued(v.field) || seen[v.field]++ == 0)
                continue;
            if (!tag[0])
                tag = wn_field_name(v.field);
        }
        rc = wn_buf_puts(&x->tmp, n++ ? "," : "[");
        if (!rc)
            rc = wn_buf_putc(&x->tmp, '[');
        if (!rc)
            rc = wn_x_json_string(&x->tmp, tag, strlen(tag));
        if (!rc)
            rc = wn_buf_putc(&x->tmp, ',');
        if (!rc)
            rc = wn_x_json_string(&x->tmp, v.value, v.len);
        if (!rc)
            rc = wn_buf_putc(&x->tmp, ']');
    }
    if (!rc && n)
        rc = wn_buf_putc(&x->tmp, ']');
    return rc;
}

static int csv_record(wn_export *x, const wn_record *rec)
{
    int rc = 0;
    for (int f = 0; f < WN_F_COUNT && !rc; f++) {
        if (f && (rc = wn_buf_putc(&x->out, ',')))
            break;
        wn_buf_clear(&x->tmp);
        if (f == WN_F_EXTRA) {
            rc = extra_cell(x, rec);
        } else if (multi_valued((wn_field)f)) {
            rc = multi_cell(x, rec, (wn_field)f);
        } else {
            const char *v = wn_record_first(rec, (wn_field)f);
            if (v)
                rc = wn_x_put_value(&x->tmp, (wn_field)f, v, strlen(v));
        }
        if (!rc && x->tmp.len)
            rc = put_cell(&x->out, x->tmp.data, x->tmp.len);
    }
    if (!rc)
        rc = wn_buf_puts(&x->out, "\r\n");
    return rc;
}

const wn_exporter wn_exporter_csv = {"csv", csv_begin, csv_record, NULL};
