/* Export dispatch: format lookup, streaming through the write callback, and
 * the helpers the writers share. */
#include <stdlib.h>
#include <string.h>

#include "export/export_impl.h"

static const wn_exporter *const exporters[] = {
    &wn_exporter_ris, &wn_exporter_csv, &wn_exporter_csljson, &wn_exporter_bibtex,
};
#define N_EXPORTERS (sizeof exporters / sizeof exporters[0])

const char *const *wn_export_formats(void)
{
    static const char *const names[] = {"ris", "csv", "csljson", "bibtex", NULL};
    return names;
}

/* Hands the pending text to the caller and empties the buffer. */
static int flush(wn_export *x)
{
    int rc = 0;
    if (x->out.len)
        rc = x->write(x->ctx, x->out.data, x->out.len);
    wn_buf_clear(&x->out);
    return rc;
}

int wn_export_open(wn_export **out, const char *format, wn_write_fn write, void *ctx,
                   wn_err *err)
{
    int rc = 0;
    wn_export *x = NULL;
    if (!out || !format || !write)
        return wn_err_set(err, WN_EINVAL, "export needs a format and a write callback");
    *out = NULL;
    const wn_exporter *fmt = NULL;
    for (size_t i = 0; i < N_EXPORTERS; i++)
        if (strcmp(exporters[i]->name, format) == 0)
            fmt = exporters[i];
    /* The same aliases the import side accepts. */
    if (!fmt && !strcmp(format, "bib"))
        fmt = &wn_exporter_bibtex;
    if (!fmt && (!strcmp(format, "csl-json") || !strcmp(format, "json")))
        fmt = &wn_exporter_csljson;
    if (!fmt)
        return wn_err_set(err, WN_EFORMAT,
                          "cannot export as '%s': formats are ris, csv, csljson, bibtex", format);
    x = calloc(1, sizeof *x);
    if (!x)
        return wn_err_set(err, WN_ENOMEM, "out of memory");
    x->fmt = fmt;
    x->write = write;
    x->ctx = ctx;
    /* One record never exceeds WN_RECORD_MAX; its escaped text stays within
     * a small multiple of that. */
    x->out.limit = x->tmp.limit = x->tmp2.limit = 8u * WN_RECORD_MAX;
    if (fmt->begin) {
        rc = fmt->begin(x);
        if (!rc)
            rc = flush(x);
        if (rc) {
            wn_err_set(err, rc, "cannot start the %s export: %s", format, wn_strerror(rc));
            goto fail;
        }
    }
    *out = x;
    return 0;
fail:
    wn_export_free(x);
    return rc;
}

int wn_export_record(wn_export *x, const wn_record *rec)
{
    if (!x || !rec)
        return WN_EINVAL;
    if (x->failed)
        return x->failed;
    int rc = x->fmt->record(x, rec);
    if (!rc)
        rc = flush(x);
    if (rc) {
        x->failed = rc;
        wn_buf_clear(&x->out);
        return rc;
    }
    x->records++;
    return 0;
}

int wn_export_close(wn_export *x)
{
    if (!x)
        return WN_EINVAL;
    int rc = x->failed;
    if (!rc && x->fmt->end)
        rc = x->fmt->end(x);
    if (!rc)
        rc = flush(x);
    wn_export_free(x);
    return rc;
}

void wn_export_free(wn_export *x)
{
    if (!x)
        return;
    wn_buf_free(&x->out);
    wn_buf_free(&x->tmp);
    wn_buf_free(&x->tmp2);
    free(x);
}

/* ---- helpers ----------------------------------------------------------- */

int wn_x_markup_cleaned(wn_field f)
{
    switch (f) {
    case WN_F_TITLE:
    case WN_F_ABSTRACT:
    case WN_F_JOURNAL:
    case WN_F_JOURNAL_ABBR:
    case WN_F_PUBLISHER:
    case WN_F_AUTHOR:
    case WN_F_PUBTYPE:
    case WN_F_KEYWORD:
        return 1;
    default:
        return 0;
    }
}

static int is_alnum_ascii(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Could "&..." at s be taken for a character reference ("&amp;", "&#233;")?
 * A superset of what the normalizer decodes, so escaping it is always
 * safe. */
static int looks_like_reference(const char *s, size_t len)
{
    size_t i = 1;
    if (i < len && s[i] == '#')
        i++;
    size_t name0 = i;
    while (i < len && i - name0 < 16 && is_alnum_ascii(s[i]))
        i++;
    return i > name0 && i < len && s[i] == ';';
}

int wn_x_put_value(wn_buf *out, wn_field f, const char *v, size_t len)
{
    if (!wn_x_markup_cleaned(f))
        return wn_buf_append(out, v, len);
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        const char *esc = NULL;
        if (v[i] == '&' && looks_like_reference(v + i, len - i))
            esc = "&amp;";
        else if (v[i] == '<' && i + 1 < len && (v[i + 1] == '/' || (v[i + 1] >= 'a' && v[i + 1] <= 'z')))
            esc = "&lt;";
        if (!esc)
            continue;
        if (wn_buf_append(out, v + run, i - run) || wn_buf_puts(out, esc))
            return WN_ENOMEM;
        run = i + 1;
    }
    return wn_buf_append(out, v + run, len - run);
}

int wn_x_json_string(wn_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    if (wn_buf_putc(out, '"'))
        return WN_ENOMEM;
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (wn_buf_append(out, s + run, i - run))
            return WN_ENOMEM;
        run = i + 1;
        char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u', esc[2] = '0', esc[3] = '0';
            esc[4] = hex[c >> 4], esc[5] = hex[c & 15];
            n = 6;
        }
        if (wn_buf_append(out, esc, n))
            return WN_ENOMEM;
    }
    if (wn_buf_append(out, s + run, len - run) || wn_buf_putc(out, '"'))
        return WN_ENOMEM;
    return 0;
}
