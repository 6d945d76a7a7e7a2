/* Units: clusters of duplicates (or lone records) and their merged records. */
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "winnow/units.h"

int wn_units_count(wn_project *p, int64_t *n)
{
    sqlite3_stmt *s;
    *n = 0;
    if (sqlite3_prepare_v2(p->db, "SELECT count(DISTINCT unit_id) FROM unit_member", -1, &s,
                           NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot count units");
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : wn_db_fail(p, "cannot count units");
}

int wn_unit_of_record(wn_project *p, int64_t record_id, int64_t *unit_id)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db, "SELECT unit_id FROM unit_member WHERE record_id = ?", -1,
                           &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read units");
    sqlite3_bind_int64(s, 1, record_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *unit_id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return wn_err_set(&p->err, WN_ENOTFOUND, "no record %lld", (long long)record_id);
    return wn_db_fail(p, "cannot read units");
}

int wn_unit_members(wn_project *p, int64_t unit_id, int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db,
                           /* Not through unit_member: filtering that view on
                            * unit_id scans every record. */
                           "SELECT id FROM record WHERE id = ?1 AND NOT EXISTS"
                           " (SELECT 1 FROM cluster_member WHERE record_id = ?1)"
                           " UNION ALL SELECT record_id FROM cluster_member"
                           " WHERE cluster_id = ?1 ORDER BY 1",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read units");
    sqlite3_bind_int64(s, 1, unit_id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4;
            int64_t *grown = realloc(*ids, cap * sizeof **ids);
            if (!grown) {
                sqlite3_finalize(s);
                free(*ids);
                *ids = NULL;
                return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
            }
            *ids = grown;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return wn_db_fail(p, "cannot read units");
    }
    if (*n == 0)
        return wn_err_set(&p->err, WN_ENOTFOUND, "no unit %lld", (long long)unit_id);
    return 0;
}

/* Number of distinct fields a record fills: the measure of completeness. */
static size_t filled_fields(const wn_record *r)
{
    size_t n = 0;
    for (int f = 0; f < WN_F_EXTRA; f++)
        n += wn_record_count(r, (wn_field)f) > 0;
    return n;
}

/* Copies every occurrence of field f from src into dst. */
static int copy_field(wn_record *dst, const wn_record *src, wn_field f)
{
    for (size_t i = 0; i < wn_record_size(src); i++) {
        wn_field_value v = wn_record_at(src, i);
        if (v.field == f && wn_record_add(dst, f, v.tag, v.value, v.len))
            return WN_ENOMEM;
    }
    return 0;
}

/* The most complete member is the base; fields it lacks come from the
 * first other member (by id) that has them. */
static int merge_members(wn_project *p, const int64_t *ids, size_t n, wn_record *merged)
{
    wn_record **m = calloc(n, sizeof *m);
    if (!m)
        return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    int rc = 0;
    size_t best = 0, best_filled = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        wn_record_meta meta;
        if (!(m[i] = wn_record_new())) {
            rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
            break;
        }
        if ((rc = wn_record_load(p, ids[i], m[i], &meta, NULL)))
            break;
        size_t filled = filled_fields(m[i]);
        if (filled > best_filled) {
            best = i;
            best_filled = filled;
        }
    }
    if (!rc && wn_record_copy(merged, m[best]))
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    for (int f = 0; f < WN_F_EXTRA && !rc; f++) {
        if (wn_record_count(merged, (wn_field)f))
            continue;
        for (size_t i = 0; i < n; i++) {
            if (i != best && wn_record_count(m[i], (wn_field)f)) {
                if (copy_field(merged, m[i], (wn_field)f))
                    rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
                break;
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        wn_record_free(m[i]);
    free(m);
    return rc;
}

int wn_unit_load(wn_project *p, int64_t unit_id, wn_record *merged)
{
    int64_t *ids;
    size_t n;
    int rc = wn_unit_members(p, unit_id, &ids, &n);
    if (rc)
        return rc;
    if (n == 1) {
        wn_record_meta meta;
        rc = wn_record_load(p, ids[0], merged, &meta, NULL);
    } else {
        rc = merge_members(p, ids, n, merged);
    }
    free(ids);
    return rc;
}

int wn_units_each(wn_project *p,
                  int (*fn)(void *ctx, int64_t unit_id, const wn_record *merged,
                            size_t members),
                  void *ctx)
{
    /* Unit ids and sizes first, so the loads below run on a free handle. */
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT unit_id, count(*) FROM unit_member GROUP BY unit_id"
                           " ORDER BY unit_id",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read units");
    size_t n = 0, cap = 0;
    int64_t(*units)[2] = NULL;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            void *grown = realloc(units, cap * sizeof *units);
            if (!grown) {
                sqlite3_finalize(s);
                free(units);
                return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
            }
            units = grown;
        }
        units[n][0] = sqlite3_column_int64(s, 0);
        units[n][1] = sqlite3_column_int64(s, 1);
        n++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        free(units);
        return wn_db_fail(p, "cannot read units");
    }
    wn_record *merged = wn_record_new();
    rc = merged ? 0 : wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && !rc; i++)
        if (!(rc = wn_unit_load(p, units[i][0], merged)))
            rc = fn(ctx, units[i][0], merged, (size_t)units[i][1]);
    wn_record_free(merged);
    free(units);
    return rc;
}
