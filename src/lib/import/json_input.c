/* What the JSON readers share: checked parsing with positions, and small
 * helpers for values and names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/json_input.h"

static int push_span(wn_json_doc *doc, size_t *cap, size_t offset, size_t line, size_t parent)
{
    if (doc->n_spans == *cap) {
        size_t n = *cap ? *cap * 2 : 64;
        wn_json_span *v = realloc(doc->spans, n * sizeof *v);
        if (!v)
            return WN_ENOMEM;
        doc->spans = v;
        *cap = n;
    }
    wn_json_span *s = &doc->spans[doc->n_spans++];
    s->offset = offset;
    s->length = 0;
    s->line = line;
    s->parent = parent;
    return 0;
}

/* Notes the spans of the shallow containers and refuses nesting deeper
 * than WN_JSON_MAX_DEPTH (returning WN_EPARSE with *bad_line set). Brackets
 * that do not match are left for cJSON to report. */
static int scan(const char *s, size_t len, wn_json_doc *doc, size_t *bad_line, int *unclosed)
{
    size_t cap = 0, depth = 0, line = 1;
    size_t open[WN_JSON_SPAN_DEPTH + 1]; /* span index of the open container per depth */
    int in_string = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\n' || (c == '\r' && (i + 1 >= len || s[i + 1] != '\n')))
            line++;
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
            continue;
        }
        if (c == '"') {
            in_string = 1;
        } else if (c == '{' || c == '[') {
            if (depth <= WN_JSON_SPAN_DEPTH) {
                size_t parent = depth ? open[depth - 1] : WN_JSON_NO_SPAN;
                if (push_span(doc, &cap, i, line, parent))
                    return WN_ENOMEM;
                open[depth] = doc->n_spans - 1;
            }
            if (++depth > WN_JSON_MAX_DEPTH) {
                *bad_line = line;
                return WN_EPARSE;
            }
        } else if ((c == '}' || c == ']') && depth) {
            depth--;
            if (depth <= WN_JSON_SPAN_DEPTH) {
                wn_json_span *sp = &doc->spans[open[depth]];
                sp->length = i + 1 - sp->offset;
            }
        }
    }
    *unclosed = in_string || depth > 0;
    return 0;
}

/* Line and 1-based column (in bytes) of an offset. */
static void line_col(const char *s, size_t off, size_t *line, size_t *col)
{
    size_t l = 1, start = 0;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= off || s[i + 1] != '\n'))) {
            l++;
            start = i + 1;
        }
    }
    *line = l;
    *col = off - start + 1;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int wn_json_load(wn_parser *p, const char *what, wn_json_doc *doc)
{
    int rc = 0;
    memset(doc, 0, sizeof *doc);
    if (p->len > WN_JSON_MAX_INPUT) {
        rc = wn_parser_fail(p, 0, "larger than %u MiB; not read as %s", WN_JSON_MAX_INPUT >> 20,
                            what);
        goto done;
    }
    size_t bad_line = 0;
    int unclosed = 0;
    rc = scan(p->text, p->len, doc, &bad_line, &unclosed);
    if (rc == WN_EPARSE) {
        rc = wn_parser_fail(p, bad_line, "JSON nested deeper than %d levels", WN_JSON_MAX_DEPTH);
        goto done;
    }
    if (rc) {
        rc = wn_err_set(p->err, rc, "out of memory reading '%s'", p->filename);
        goto done;
    }
    const char *end = NULL;
    doc->root = cJSON_ParseWithLengthOpts(p->text, p->len, &end, 0);
    /* The end pointer is where cJSON stopped, also on failure; unlike
     * cJSON_GetErrorPtr it is not shared between threads. */
    size_t stop = end && end >= p->text ? (size_t)(end - p->text) : 0;
    if (stop > p->len)
        stop = p->len;
    /* cJSON puts an error at the end on the last byte: a value still open
     * there is cut short, which is worth saying. */
    if (!doc->root && unclosed && stop + 1 >= p->len)
        stop = p->len;
    if (doc->root)
        while (stop < p->len && is_space(p->text[stop]))
            stop++;
    if (!doc->root || stop < p->len) {
        size_t line, col;
        line_col(p->text, stop, &line, &col);
        char why[64];
        unsigned char c = stop < p->len ? (unsigned char)p->text[stop] : 0;
        if (doc->root)
            snprintf(why, sizeof why, "more text after the JSON value");
        else if (stop >= p->len || unclosed)
            snprintf(why, sizeof why, "the text ends before its brackets or quotes close");
        else if (c > 32 && c < 127)
            snprintf(why, sizeof why, "unexpected '%c'", c);
        else
            snprintf(why, sizeof why, "unexpected byte 0x%02x", c);
        rc = wn_parser_fail(p, line, "invalid JSON at line %zu column %zu: %s (expected %s)",
                            line, col, why, what);
        goto done;
    }
done:
    if (rc)
        wn_json_free(doc);
    return rc;
}

void wn_json_free(wn_json_doc *doc)
{
    cJSON_Delete(doc->root);
    free(doc->spans);
    memset(doc, 0, sizeof *doc);
}

int wn_json_next_child_span(const wn_json_doc *doc, size_t parent, size_t *cursor)
{
    if (parent == WN_JSON_NO_SPAN || *cursor == WN_JSON_NO_SPAN)
        return 0;
    for (size_t i = *cursor + 1; i < doc->n_spans; i++) {
        if (doc->spans[i].parent == parent) {
            *cursor = i;
            return 1;
        }
        /* Spans are in text order: once past the parent's end, no child follows. */
        if (doc->spans[i].offset >= doc->spans[parent].offset + doc->spans[parent].length &&
            doc->spans[parent].length)
            break;
    }
    *cursor = WN_JSON_NO_SPAN;
    return 0;
}

size_t wn_json_item_span(const wn_json_doc *doc, size_t list_span, const cJSON *item,
                         size_t *cursor)
{
    int container = cJSON_IsObject(item) || cJSON_IsArray(item);
    return container && wn_json_next_child_span(doc, list_span, cursor) ? *cursor
                                                                        : WN_JSON_NO_SPAN;
}

size_t wn_json_child_span(const wn_json_doc *doc, size_t parent_span, const cJSON *parent,
                          const cJSON *child)
{
    size_t cursor = parent_span;
    const cJSON *it;
    cJSON_ArrayForEach(it, parent) {
        if (!cJSON_IsObject(it) && !cJSON_IsArray(it))
            continue;
        if (!wn_json_next_child_span(doc, parent_span, &cursor))
            return WN_JSON_NO_SPAN;
        if (it == child)
            return cursor;
    }
    return WN_JSON_NO_SPAN;
}

void wn_json_set_origin(wn_parser *p, const wn_json_doc *doc, size_t span)
{
    wn_origin *o = wn_record_origin(p->rec);
    if (span == WN_JSON_NO_SPAN || span >= doc->n_spans) {
        o->line = 1;
        o->offset = 0;
        o->length = 0;
        return;
    }
    o->line = doc->spans[span].line;
    o->offset = doc->spans[span].offset;
    o->length = doc->spans[span].length;
}

int wn_json_emit(wn_parser *p, const wn_json_doc *doc, const cJSON *obj, size_t span,
                 wn_json_read_fn read, void *reader)
{
    wn_json_set_origin(p, doc, span);
    int rc = read(reader, obj);
    if (rc)
        return wn_err_set(p->err, rc, "out of memory reading record %zu of '%s'",
                          p->records + 1, p->filename);
    return wn_parser_emit(p);
}

int wn_json_emit_list(wn_parser *p, const wn_json_doc *doc, const cJSON *list, size_t list_span,
                      const char *noun, const char *where, wn_json_read_fn read, void *reader)
{
    size_t cursor = list_span, i = 0;
    const cJSON *obj;
    cJSON_ArrayForEach(obj, list) {
        i++;
        size_t span = wn_json_item_span(doc, list_span, obj, &cursor);
        int rc = 0;
        if (cJSON_IsObject(obj))
            rc = wn_json_emit(p, doc, obj, span, read, reader);
        else
            wn_parser_warn(p, span != WN_JSON_NO_SPAN ? doc->spans[span].line : 1,
                           "%s %zu%s is not an object; skipped", noun, i, where);
        if (rc)
            return rc;
    }
    return 0;
}

int wn_json_emit_items(wn_parser *p, const char *what, wn_json_read_fn read, void *reader)
{
    wn_json_doc doc;
    int rc = wn_json_load(p, what, &doc);
    if (rc)
        return rc;
    const cJSON *root = doc.root;
    if (cJSON_IsArray(root))
        rc = wn_json_emit_list(p, &doc, root, 0, "item", " of the array", read, reader);
    else if (cJSON_IsObject(root))
        rc = wn_json_emit(p, &doc, root, 0, read, reader);
    else
        rc = wn_parser_fail(p, 1, "expected %s", what);
    wn_json_free(&doc);
    return rc;
}

size_t wn_json_skip_space(const char *text, size_t len)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        i = 3;
    while (i < len && is_space(text[i]))
        i++;
    return i;
}

int wn_json_has_key(const char *text, size_t len, const char *key)
{
    size_t klen = strlen(key);
    for (size_t i = 0; i + klen + 2 < len;) {
        const char *q = memchr(text + i, '"', len - i);
        if (!q)
            return 0;
        size_t at = (size_t)(q - text);
        if (at + klen + 2 <= len && memcmp(text + at + 1, key, klen) == 0 &&
            text[at + klen + 1] == '"') {
            size_t k = at + klen + 2;
            while (k < len && is_space(text[k]))
                k++;
            if (k < len && text[k] == ':')
                return 1;
        }
        i = at + 1;
    }
    return 0;
}

const char *wn_json_scalar(const cJSON *j, char num[64])
{
    if (cJSON_IsString(j))
        return j->valuestring;
    if (cJSON_IsNumber(j)) {
        double d = j->valuedouble;
        /* Whole numbers within range print as integers. */
        if (d > -1e15 && d < 1e15 && d == (double)(long long)d)
            snprintf(num, 64, "%lld", (long long)d);
        else
            snprintf(num, 64, "%.17g", d);
        return num;
    }
    return NULL;
}

int wn_json_name_inverted(const char *name, wn_buf *out)
{
    /* Words of the name, white space collapsed. */
    enum { MAX_WORDS = 32 };
    const char *word[MAX_WORDS];
    size_t wlen[MAX_WORDS], n = 0;
    for (const char *s = name; *s;) {
        while (*s && is_space(*s))
            s++;
        if (!*s)
            break;
        const char *w = s;
        while (*s && !is_space(*s))
            s++;
        if (n == MAX_WORDS)
            return wn_buf_puts(out, name);
        word[n] = w;
        wlen[n] = (size_t)(s - w);
        n++;
    }
    /* A cut list's "et al." names nobody. */
    if (n > 2 && wlen[n - 2] == 2 && memcmp(word[n - 2], "et", 2) == 0 && wlen[n - 1] == 3 &&
        memcmp(word[n - 1], "al.", 3) == 0)
        n -= 2;
    if (n == 1 && !strchr(name, ','))
        return wn_buf_append(out, word[0], wlen[0]);
    if (n < 2 || strchr(name, ','))
        return wn_buf_puts(out, name);
    size_t first = n - 1; /* first word of the surname */
    while (first > 1 && word[first - 1][0] >= 'a' && word[first - 1][0] <= 'z')
        first--;
    int rc = 0;
    for (size_t i = first; i < n && !rc; i++)
        rc = wn_buf_printf(out, "%s%.*s", i > first ? " " : "", (int)wlen[i], word[i]);
    if (!rc)
        rc = wn_buf_puts(out, ",");
    for (size_t i = 0; i < first && !rc; i++)
        rc = wn_buf_printf(out, " %.*s", (int)wlen[i], word[i]);
    return rc;
}
