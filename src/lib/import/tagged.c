/* Line, value and record helpers shared by the tagged-text readers. */
#include "import/tagged.h"

#include "winnow/record.h"

int wn_tagged_is_blank(unsigned char c) { return c == ' ' || c == '\t'; }

int wn_tagged_all_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!wn_tagged_is_blank((unsigned char)s[i]))
            return 0;
    return 1;
}

void wn_tagged_trim(const char **s, size_t *n)
{
    while (*n && wn_tagged_is_blank((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n && wn_tagged_is_blank((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

void wn_tagged_skip_bom(const char **s, size_t *n)
{
    if (*n >= 3 && (unsigned char)(*s)[0] == 0xEF && (unsigned char)(*s)[1] == 0xBB &&
        (unsigned char)(*s)[2] == 0xBF)
        *s += 3, *n -= 3;
}

int wn_tagged_next_line(wn_lines *it, const char **s, size_t *n, size_t *offset)
{
    if (!wn_lines_next(it, s, n, offset))
        return 0;
    wn_tagged_skip_bom(s, n);
    return 1;
}

int wn_tagged_next_filled(wn_lines *it, const char **s, size_t *n)
{
    while (wn_tagged_next_line(it, s, n, NULL)) {
        if (!wn_tagged_all_blank(*s, *n))
            return 1;
    }
    return 0;
}

void wn_pending_set(wn_pending *pv, int tag, const char *v, size_t n)
{
    pv->tag = tag;
    pv->val = v;
    pv->len = n;
    pv->joined = 0;
}

int wn_pending_flush(wn_pending *pv, const wn_buf *scratch, wn_pending_store store,
                     void *reader)
{
    int tag = pv->tag;
    if (tag < 0)
        return 0;
    pv->tag = -1;
    if (pv->joined)
        return store(reader, tag, scratch->data, scratch->len);
    return store(reader, tag, pv->val, pv->len);
}

int wn_pending_continue(wn_pending *pv, wn_buf *scratch, wn_join join, const char *s, size_t n,
                        wn_pending_store store, void *reader)
{
    if (pv->tag < 0 || !n)
        return 0;
    if (join == WN_JOIN_SPLIT) {
        int tag = pv->tag;
        int rc = wn_pending_flush(pv, scratch, store, reader);
        if (!rc)
            wn_pending_set(pv, tag, s, n);
        return rc;
    }
    /* The first continuation copies the value out of the text. */
    if (!pv->joined) {
        wn_buf_clear(scratch);
        if (wn_buf_append(scratch, pv->val, pv->len))
            return WN_ENOMEM;
        pv->joined = 1;
    }
    char sep = join == WN_JOIN_NEWLINE ? '\n' : ' ';
    if ((scratch->len && wn_buf_putc(scratch, sep)) || wn_buf_append(scratch, s, n))
        return WN_ENOMEM;
    return 0;
}

void wn_tagged_begin(wn_tagged_span *span, wn_pending *pv, size_t line, size_t offset,
                     size_t end)
{
    span->line = line;
    span->offset = offset;
    span->end = end;
    pv->tag = -1;
}

int wn_tagged_out_of_room(wn_parser *p, size_t line, int rc, const char *hint)
{
    if (rc != WN_ENOMEM)
        return rc;
    return wn_err_set(p->err, WN_ENOMEM,
                      "cannot parse '%s' line %zu: record larger than %u MiB or out of memory "
                      "(%s)",
                      p->filename, line, WN_RECORD_MAX >> 20, hint);
}

int wn_tagged_emit(wn_parser *p, const wn_tagged_span *span)
{
    wn_origin *o = wn_record_origin(p->rec);
    o->line = span->line;
    o->offset = span->offset;
    o->length = span->end - span->offset;
    return wn_parser_emit(p);
}

int wn_tagged_emit_filled(wn_parser *p, const wn_tagged_span *span)
{
    if (wn_record_size(p->rec) == 0) {
        wn_parser_warn(p, span->line, "record at line %zu has no values; skipped", span->line);
        return 0;
    }
    return wn_tagged_emit(p, span);
}

void wn_stray_note(wn_stray *st, size_t line)
{
    if (!st->count)
        st->line = line;
    st->count++;
}

void wn_stray_report(wn_parser *p, wn_stray *st, const char *hint)
{
    if (!st->count)
        return;
    wn_parser_warn(p, st->line, "ignored %zu line%s outside a record (%s)", st->count,
                   st->count == 1 ? "" : "s", hint);
    st->count = 0;
}
