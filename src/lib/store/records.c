/* Reading records, sources and warnings back out of the project. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"


/* The columns every record query selects, in this order: the origin, then
 * one column per field in wn_field order, then source name and file, id. */
#define RECORD_COLUMNS                                                                   \
    "r.source_id, r.position, r.line, r.byte_offset, r.byte_length, r.type, r.type_raw," \
    " r.title, r.authors, r.year, r.date, r.journal, r.journal_abbr, r.volume, r.issue," \
    " r.pages, r.start_page, r.end_page, r.doi, r.pmid, r.pmcid, r.issn, r.isbn,"        \
    " r.language, r.keywords, r.pubtypes, r.urls, r.publisher, r.source_ref,"            \
    " r.abstract, s.name, s.filename, r.id"
#define COL_FIELDS 5
#define COL_SOURCE_NAME (COL_FIELDS + WN_F_EXTRA)
#define COL_ID (COL_SOURCE_NAME + 2)

/* Fills rec from the current row of s and the record's extras. */
static int row_to_record(wn_project *p, sqlite3_stmt *s, wn_record *rec, wn_record_meta *m)
{
    wn_record_reset(rec);
    for (int f = 0; f < WN_F_EXTRA; f++) {
        const char *v = (const char *)sqlite3_column_text(s, COL_FIELDS + f);
        if (!v)
            continue;
        size_t len = (size_t)sqlite3_column_bytes(s, COL_FIELDS + f);
        if (!wn_field_is_list((wn_field)f)) {
            if (wn_record_add(rec, (wn_field)f, NULL, v, len))
                return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
            continue;
        }
        /* List fields are stored joined by newlines. */
        const char *end = v + len;
        while (v < end) {
            const char *nl = memchr(v, '\n', (size_t)(end - v));
            size_t n = nl ? (size_t)(nl - v) : (size_t)(end - v);
            if (wn_record_add(rec, (wn_field)f, NULL, v, n))
                return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
            v += n + (nl ? 1 : 0);
        }
    }
    m->id = sqlite3_column_int64(s, COL_ID);
    m->source_id = sqlite3_column_int64(s, 0);
    m->position = sqlite3_column_int64(s, 1);
    m->line = sqlite3_column_int64(s, 2);
    m->offset = sqlite3_column_int64(s, 3);
    m->length = sqlite3_column_int64(s, 4);
    m->source_name = (const char *)sqlite3_column_text(s, COL_SOURCE_NAME);
    m->filename = (const char *)sqlite3_column_text(s, COL_SOURCE_NAME + 1);
    wn_origin *o = wn_record_origin(rec);
    o->line = (size_t)m->line;
    o->offset = (size_t)m->offset;
    o->length = (size_t)m->length;
    o->position = (size_t)m->position;

    sqlite3_stmt *e = wn_stmt(p, ST_EXTRAS_GET);
    if (!e)
        return WN_EDB;
    sqlite3_bind_int64(e, 1, m->id);
    int step;
    while ((step = sqlite3_step(e)) == SQLITE_ROW) {
        if (wn_record_add(rec, WN_F_EXTRA, (const char *)sqlite3_column_text(e, 0),
                          (const char *)sqlite3_column_text(e, 1),
                          (size_t)sqlite3_column_bytes(e, 1)))
            return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    }
    if (step != SQLITE_DONE)
        return wn_db_fail(p, "cannot read record fields");
    return 0;
}

int wn_records_each(wn_project *p, const wn_record_filter *f,
                    int (*fn)(void *ctx, const wn_record *rec, const wn_record_meta *m),
                    void *ctx)
{
    static const wn_record_filter all = {0, NULL, 0, 0};
    if (!f)
        f = &all;
    sqlite3_stmt *s = NULL;
    wn_record *rec = wn_record_new();
    if (!rec)
        return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    int rc = 0;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT " RECORD_COLUMNS " FROM record r JOIN source s ON s.id ="
                           " r.source_id WHERE (:source = 0 OR r.source_id = :source)"
                           " AND (:name IS NULL OR s.name = :name)"
                           " ORDER BY r.id LIMIT :limit OFFSET :offset",
                           -1, &s, NULL) != SQLITE_OK) {
        rc = wn_db_fail(p, "cannot list records");
        goto done;
    }
    sqlite3_bind_int64(s, 1, f->source_id);
    wn_bind_text(s, 2, f->source_name, f->source_name ? strlen(f->source_name) : 0);
    sqlite3_bind_int64(s, 3, f->limit > 0 ? f->limit : -1);
    sqlite3_bind_int64(s, 4, f->offset);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        wn_record_meta m;
        if ((rc = row_to_record(p, s, rec, &m)) || (rc = fn(ctx, rec, &m)))
            goto done;
    }
    if (step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot list records");
done:
    sqlite3_finalize(s);
    wn_record_free(rec);
    return rc;
}

int wn_records_count(wn_project *p, const wn_record_filter *f, int64_t *n)
{
    sqlite3_stmt *s;
    *n = 0;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT count(*) FROM record r JOIN source s ON s.id = r.source_id"
                           " WHERE (:source = 0 OR r.source_id = :source)"
                           " AND (:name IS NULL OR s.name = :name)",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot count records");
    sqlite3_bind_int64(s, 1, f ? f->source_id : 0);
    if (f && f->source_name)
        sqlite3_bind_text(s, 2, f->source_name, -1, SQLITE_STATIC);
    int rc = 0;
    if (sqlite3_step(s) == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    else
        rc = wn_db_fail(p, "cannot count records");
    sqlite3_finalize(s);
    return rc;
}

/* The record's text as it stood in its (decoded) input. */
static int load_raw(wn_project *p, const wn_record_meta *m, char **raw)
{
    wn_buf b = WN_BUF_INIT;
    int64_t first = m->offset / WN_TEXT_CHUNK, last = (m->offset + m->length) / WN_TEXT_CHUNK;
    sqlite3_stmt *s = wn_stmt(p, ST_TEXT_GET);
    if (!s)
        return WN_EDB;
    sqlite3_bind_int64(s, 1, m->source_id);
    sqlite3_bind_int64(s, 2, first);
    sqlite3_bind_int64(s, 3, last);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(s, 0);
        const char *data = sqlite3_column_blob(s, 1);
        int64_t n = sqlite3_column_bytes(s, 1);
        int64_t chunk0 = seq * WN_TEXT_CHUNK;
        int64_t lo = m->offset > chunk0 ? m->offset - chunk0 : 0;
        int64_t hi = m->offset + m->length - chunk0;
        if (hi > n)
            hi = n;
        if (hi > lo && wn_buf_append(&b, data + lo, (size_t)(hi - lo))) {
            wn_buf_free(&b);
            return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
        }
    }
    if (step != SQLITE_DONE) {
        wn_buf_free(&b);
        return wn_db_fail(p, "cannot read the input text");
    }
    *raw = wn_buf_detach(&b);
    return *raw ? 0 : wn_err_set(&p->err, WN_ENOMEM, "out of memory");
}

static int record_load(wn_project *p, int64_t id, wn_record *rec, wn_record_meta *meta,
                       char **raw)
{
    if (raw)
        *raw = NULL;
    sqlite3_stmt *s = wn_stmt(p, ST_RECORD_GET);
    if (!s)
        return WN_EDB;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    if (step == SQLITE_DONE)
        return wn_err_set(&p->err, WN_ENOTFOUND, "no record %lld in '%s'", (long long)id,
                          p->path);
    if (step != SQLITE_ROW)
        return wn_db_fail(p, "cannot read a record");
    int rc = row_to_record(p, s, rec, meta);
    if (rc)
        return rc;
    /* Keep the strings past the statement's next reset. */
    free(p->meta_source);
    free(p->meta_file);
    p->meta_source = wn_strdup(meta->source_name);
    p->meta_file = wn_strdup(meta->filename);
    meta->source_name = p->meta_source;
    meta->filename = p->meta_file;
    return raw ? load_raw(p, meta, raw) : 0;
}

int wn_record_load(wn_project *p, int64_t id, wn_record *rec, wn_record_meta *meta,
                   char **raw)
{
    int rc = record_load(p, id, rec, meta, raw);
    wn_stmts_reset(p); /* end the read: later reads see newer commits */
    return rc;
}

/* ---- sources -------------------------------------------------------- */

static char *col_dup(sqlite3_stmt *s, int i)
{
    const char *v = (const char *)sqlite3_column_text(s, i);
    return v ? wn_strdup(v) : NULL;
}

int wn_sources_each(wn_project *p, int (*fn)(void *ctx, const wn_source_info *s), void *ctx)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT id, name, kind, format, filename, sha256, encoding,"
                           " searched_on, query, imported_at, records, warnings, bytes FROM"
                           " source ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot list sources");
    int rc = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        wn_source_info si = {sqlite3_column_int64(s, 0),
                             col_dup(s, 1),
                             col_dup(s, 2),
                             col_dup(s, 3),
                             col_dup(s, 4),
                             col_dup(s, 5),
                             col_dup(s, 6),
                             col_dup(s, 7),
                             col_dup(s, 8),
                             col_dup(s, 9),
                             sqlite3_column_int64(s, 10),
                             sqlite3_column_int64(s, 11),
                             sqlite3_column_int64(s, 12)};
        rc = fn(ctx, &si);
        char *owned[] = {si.name, si.kind, si.format, si.filename, si.sha256,
                         si.encoding, si.searched_on, si.query, si.imported_at};
        for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
            free(owned[i]);
        if (rc)
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot list sources");
    sqlite3_finalize(s);
    return rc;
}

int wn_warnings_each(wn_project *p, int64_t source_id,
                     int (*fn)(void *ctx, const wn_warning_row *w), void *ctx)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT w.source_id, s.name, s.filename, w.line, w.record,"
                           " w.message FROM import_warning w JOIN source s ON s.id ="
                           " w.source_id WHERE (:source = 0 OR w.source_id = :source)"
                           " ORDER BY w.id",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot list warnings");
    sqlite3_bind_int64(s, 1, source_id);
    int rc = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        wn_warning_row w = {sqlite3_column_int64(s, 0),
                            (const char *)sqlite3_column_text(s, 1),
                            (const char *)sqlite3_column_text(s, 2),
                            sqlite3_column_int64(s, 3),
                            sqlite3_column_int64(s, 4),
                            (const char *)sqlite3_column_text(s, 5)};
        if ((rc = fn(ctx, &w)))
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot list warnings");
    sqlite3_finalize(s);
    return rc;
}

static int source_lookup(wn_project *p, const char *name_or_id, int64_t *id)
{
    char *end;
    long long n = strtoll(name_or_id, &end, 10);
    sqlite3_stmt *s;
    if (*name_or_id && !*end) {
        s = wn_stmt(p, ST_SOURCE_BY_ID);
        if (!s)
            return WN_EDB;
        sqlite3_bind_int64(s, 1, n);
    } else {
        s = wn_stmt(p, ST_SOURCE_BY_NAME);
        if (!s)
            return WN_EDB;
        sqlite3_bind_text(s, 1, name_or_id, -1, SQLITE_STATIC);
    }
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        return 0;
    }
    if (step != SQLITE_DONE)
        return wn_db_fail(p, "cannot read sources");
    return wn_err_set(&p->err, WN_ENOTFOUND, "no source '%s' in '%s'", name_or_id, p->path);
}

int wn_source_lookup(wn_project *p, const char *name_or_id, int64_t *id)
{
    int rc = source_lookup(p, name_or_id, id);
    wn_stmts_reset(p);
    return rc;
}
