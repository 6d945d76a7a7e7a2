/* The record: an ordered list of (field, tag, value) kept in one arena. */
#include <stdlib.h>
#include <string.h>

#include "winnow/error.h"
#include "winnow/record.h"

typedef struct entry {
    wn_field field;
    size_t tag_off, tag_len;
    size_t val_off, val_len;
} entry;

struct wn_record {
    wn_buf arena; /* values and tags, each NUL-terminated */
    entry *entries;
    size_t n, cap;
    wn_origin origin;
};

static const char *const field_names[WN_F_COUNT] = {
    [WN_F_TYPE] = "type",
    [WN_F_TYPE_RAW] = "type_raw",
    [WN_F_TITLE] = "title",
    [WN_F_AUTHOR] = "authors",
    [WN_F_YEAR] = "year",
    [WN_F_DATE] = "date",
    [WN_F_JOURNAL] = "journal",
    [WN_F_JOURNAL_ABBR] = "journal_abbr",
    [WN_F_VOLUME] = "volume",
    [WN_F_ISSUE] = "issue",
    [WN_F_PAGES] = "pages",
    [WN_F_START_PAGE] = "start_page",
    [WN_F_END_PAGE] = "end_page",
    [WN_F_DOI] = "doi",
    [WN_F_PMID] = "pmid",
    [WN_F_PMCID] = "pmcid",
    [WN_F_ISSN] = "issn",
    [WN_F_ISBN] = "isbn",
    [WN_F_LANGUAGE] = "language",
    [WN_F_KEYWORD] = "keywords",
    [WN_F_PUBTYPE] = "pubtypes",
    [WN_F_URL] = "urls",
    [WN_F_PUBLISHER] = "publisher",
    [WN_F_SOURCE_ID] = "source_ref",
    [WN_F_ABSTRACT] = "abstract",
    [WN_F_EXTRA] = "extra",
};

const char *wn_field_name(wn_field f)
{
    return (unsigned)f < WN_F_COUNT ? field_names[f] : NULL;
}

int wn_field_by_name(const char *name)
{
    for (int i = 0; i < WN_F_COUNT; i++)
        if (strcmp(field_names[i], name) == 0)
            return i;
    return -1;
}

int wn_field_is_list(wn_field f)
{
    switch (f) {
    case WN_F_AUTHOR:
    case WN_F_ISSN:
    case WN_F_ISBN:
    case WN_F_KEYWORD:
    case WN_F_PUBTYPE:
    case WN_F_URL:
    case WN_F_EXTRA:
        return 1;
    default:
        return 0;
    }
}

wn_record *wn_record_new(void)
{
    wn_record *r = calloc(1, sizeof *r);
    if (r)
        r->arena.limit = WN_RECORD_MAX;
    return r;
}

void wn_record_free(wn_record *r)
{
    if (!r)
        return;
    wn_buf_free(&r->arena);
    free(r->entries);
    free(r);
}

void wn_record_reset(wn_record *r)
{
    wn_buf_clear(&r->arena);
    r->n = 0;
    memset(&r->origin, 0, sizeof r->origin);
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int wn_record_add(wn_record *r, wn_field f, const char *tag, const char *value, size_t len)
{
    if ((unsigned)f >= WN_F_COUNT)
        return WN_EINVAL;
    while (len && is_space((unsigned char)*value))
        value++, len--;
    while (len && is_space((unsigned char)value[len - 1]))
        len--;
    if (!len)
        return 0;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        entry *e = realloc(r->entries, cap * sizeof *e);
        if (!e)
            return WN_ENOMEM;
        r->entries = e;
        r->cap = cap;
    }
    size_t tag_len = tag ? strlen(tag) : 0;
    /* The value (or tag) may live in our own arena; reserve first and
     * re-derive the pointers so growth cannot leave them dangling. */
    const char *base = r->arena.data;
    int val_inside = base && value >= base && value < base + r->arena.cap;
    int tag_inside = base && tag && tag >= base && tag < base + r->arena.cap;
    size_t val_at = val_inside ? (size_t)(value - base) : 0;
    size_t tag_at = tag_inside ? (size_t)(tag - base) : 0;
    if (wn_buf_reserve(&r->arena, tag_len + len + 2))
        return WN_ENOMEM;
    if (val_inside)
        value = r->arena.data + val_at;
    if (tag_inside)
        tag = r->arena.data + tag_at;
    /* "tag\0value\0" into the room just reserved. */
    entry *e = &r->entries[r->n];
    char *at = r->arena.data + r->arena.len;
    e->field = f;
    e->tag_off = r->arena.len;
    e->tag_len = tag_len;
    if (tag_len)
        memcpy(at, tag, tag_len);
    at[tag_len] = '\0';
    e->val_off = r->arena.len + tag_len + 1;
    e->val_len = len;
    memcpy(at + tag_len + 1, value, len);
    at[tag_len + 1 + len] = '\0';
    r->arena.len += tag_len + len + 2;
    r->arena.data[r->arena.len] = '\0';
    r->n++;
    return 0;
}

int wn_record_add_str(wn_record *r, wn_field f, const char *tag, const char *value)
{
    return value ? wn_record_add(r, f, tag, value, strlen(value)) : 0;
}

void wn_record_remove(wn_record *r, wn_field f)
{
    size_t w = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->entries[i].field != f)
            r->entries[w++] = r->entries[i];
    r->n = w;
}

int wn_record_set(wn_record *r, wn_field f, const char *value, size_t len)
{
    /* value may point into our own arena, which the add can move: copy. */
    char *copy = NULL;
    if (value && len) {
        copy = malloc(len);
        if (!copy)
            return WN_ENOMEM;
        memcpy(copy, value, len);
    }
    wn_record_remove(r, f);
    int rc = copy ? wn_record_add(r, f, NULL, copy, len) : 0;
    free(copy);
    return rc;
}

int wn_record_replace_at(wn_record *r, size_t i, const char *value, size_t len)
{
    if (i >= r->n)
        return WN_EINVAL;
    size_t before = r->n;
    int rc = wn_record_add(r, r->entries[i].field, NULL, value, len);
    if (rc)
        return rc;
    if (r->n == before) { /* empty: drop the entry */
        memmove(&r->entries[i], &r->entries[i + 1], (r->n - i - 1) * sizeof(entry));
        r->n--;
        return 0;
    }
    r->entries[i].val_off = r->entries[r->n - 1].val_off;
    r->entries[i].val_len = r->entries[r->n - 1].val_len;
    r->n--;
    return 0;
}

int wn_record_retag_at(wn_record *r, size_t i, wn_field f, const char *tag)
{
    if (i >= r->n || (unsigned)f >= WN_F_COUNT)
        return WN_EINVAL;
    /* tag may point into the arena the append below can move: copy it. */
    char copy[128];
    size_t tag_len = tag ? strlen(tag) : 0;
    if (tag_len >= sizeof copy)
        tag_len = sizeof copy - 1;
    if (tag_len)
        memcpy(copy, tag, tag_len);
    size_t off = r->arena.len;
    if (wn_buf_append(&r->arena, copy, tag_len) || wn_buf_putc(&r->arena, '\0'))
        return WN_ENOMEM;
    r->entries[i].field = f;
    r->entries[i].tag_off = off;
    r->entries[i].tag_len = tag_len;
    return 0;
}

void wn_record_remove_at(wn_record *r, size_t i)
{
    if (i >= r->n)
        return;
    memmove(&r->entries[i], &r->entries[i + 1], (r->n - i - 1) * sizeof(entry));
    r->n--;
}

size_t wn_record_size(const wn_record *r) { return r->n; }

wn_field_value wn_record_at(const wn_record *r, size_t i)
{
    wn_field_value v = {WN_F_EXTRA, "", "", 0};
    if (i < r->n) {
        const entry *e = &r->entries[i];
        v.field = e->field;
        v.tag = r->arena.data + e->tag_off;
        v.value = r->arena.data + e->val_off;
        v.len = e->val_len;
    }
    return v;
}

size_t wn_record_count(const wn_record *r, wn_field f)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += r->entries[i].field == f;
    return n;
}

const char *wn_record_get(const wn_record *r, wn_field f, size_t idx)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->entries[i].field == f && idx-- == 0)
            return r->arena.data + r->entries[i].val_off;
    return NULL;
}

const char *wn_record_first(const wn_record *r, wn_field f) { return wn_record_get(r, f, 0); }

wn_origin *wn_record_origin(wn_record *r) { return &r->origin; }

const wn_origin *wn_record_origin_c(const wn_record *r) { return &r->origin; }

int wn_record_copy(wn_record *dst, const wn_record *src)
{
    /* Offsets into the arena stay valid in a byte-for-byte copy. */
    wn_record_reset(dst);
    if (src->n > dst->cap) {
        entry *e = realloc(dst->entries, src->n * sizeof *e);
        if (!e)
            return WN_ENOMEM;
        dst->entries = e;
        dst->cap = src->n;
    }
    if (src->arena.len && wn_buf_append(&dst->arena, src->arena.data, src->arena.len))
        return WN_ENOMEM;
    if (src->n)
        memcpy(dst->entries, src->entries, src->n * sizeof *dst->entries);
    dst->n = src->n;
    dst->origin = src->origin;
    return 0;
}
