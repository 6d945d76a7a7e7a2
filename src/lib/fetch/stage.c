/* A fetch's side file: its state and its pages, one transaction per page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fetch/stage.h"
#include "winnow/buf.h"

struct wn_stage {
    sqlite3 *db;
    char *path;
};

static const char stage_schema[] =
    "CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS page (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    "  url TEXT NOT NULL, status INTEGER NOT NULL, fetched_at TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL, records INTEGER NOT NULL, body BLOB NOT NULL);";

static int fail(wn_stage *s, wn_err *err, const char *doing)
{
    return wn_err_set(err, WN_EIO, "cannot %s '%s': %s", doing, s->path,
                      sqlite3_errmsg(s->db));
}

int wn_stage_open(wn_stage **out, const char *path, int create, wn_err *err)
{
    *out = NULL;
    if (!create && access(path, F_OK) != 0)
        return WN_ENOTFOUND;
    wn_stage *s = calloc(1, sizeof *s);
    if (!s || !(s->path = wn_strdup(path))) {
        free(s);
        return wn_err_set(err, WN_ENOMEM, "out of memory");
    }
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(s->db, 5000) != SQLITE_OK ||
        sqlite3_exec(s->db, stage_schema, NULL, NULL, NULL) != SQLITE_OK) {
        int rc = fail(s, err, "open the staged fetch");
        wn_stage_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void wn_stage_close(wn_stage *s)
{
    if (!s)
        return;
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

void wn_stage_remove(const char *path)
{
    wn_buf b = WN_BUF_INIT;
    unlink(path);
    if (wn_buf_printf(&b, "%s-journal", path) == 0)
        unlink(b.data);
    wn_buf_free(&b);
}

int wn_stage_state(wn_stage *s, char **state, wn_err *err)
{
    *state = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM state WHERE id = 1", -1, &st, NULL))
        return fail(s, err, "read the staged fetch");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && !(*state = wn_strdup((const char *)sqlite3_column_text(st, 0))))
        rc = wn_err_set(err, WN_ENOMEM, "out of memory");
    else
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(s, err, "read the staged fetch");
    sqlite3_finalize(st);
    return rc;
}

static int put_page(wn_stage *s, const wn_staged_page *pg)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO page(seq, kind, url, status, fetched_at, sha256,"
                           " records, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           -1, &st, NULL))
        return -1;
    sqlite3_bind_int64(st, 1, pg->seq);
    sqlite3_bind_text(st, 2, pg->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, pg->url, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, pg->status);
    sqlite3_bind_text(st, 5, pg->fetched_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, pg->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)pg->records);
    sqlite3_bind_blob64(st, 8, pg->body ? pg->body : "", pg->len, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

int wn_stage_put(wn_stage *s, const wn_staged_page *pg, const char *state, wn_err *err)
{
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL))
        return fail(s, err, "write the staged fetch");
    sqlite3_stmt *st = NULL;
    int bad = (pg && put_page(s, pg)) ||
              sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO state(id, value) VALUES (1, ?1)",
                                 -1, &st, NULL) ||
              sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC) ||
              sqlite3_step(st) != SQLITE_DONE;
    sqlite3_finalize(st);
    if (bad || sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL)) {
        int rc = fail(s, err, "write the staged fetch");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return 0;
}

void wn_stage_pages_free(wn_staged_page *pages, size_t n)
{
    for (size_t i = 0; pages && i < n; i++) {
        free(pages[i].kind);
        free(pages[i].url);
        free(pages[i].fetched_at);
        free(pages[i].body);
    }
    free(pages);
}

static char *column_dup(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_blob(st, col);
    return wn_strndup(t ? t : "", (size_t)sqlite3_column_bytes(st, col));
}

int wn_stage_pages(wn_stage *s, wn_staged_page **pages, size_t *n, wn_err *err)
{
    *pages = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT seq, kind, url, status, fetched_at, sha256, records, body"
                           " FROM page ORDER BY seq",
                           -1, &st, NULL))
        return fail(s, err, "read the staged fetch");
    size_t cap = 0;
    int rc = 0, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            wn_staged_page *more = realloc(*pages, cap * sizeof *more);
            if (!more) {
                rc = wn_err_set(err, WN_ENOMEM, "out of memory");
                break;
            }
            *pages = more;
        }
        wn_staged_page *pg = &(*pages)[(*n)++];
        memset(pg, 0, sizeof *pg);
        pg->seq = (long)sqlite3_column_int64(st, 0);
        pg->kind = column_dup(st, 1);
        pg->url = column_dup(st, 2);
        pg->status = (long)sqlite3_column_int64(st, 3);
        pg->fetched_at = column_dup(st, 4);
        snprintf(pg->sha256, sizeof pg->sha256, "%s", (const char *)sqlite3_column_text(st, 5));
        pg->records = (size_t)sqlite3_column_int64(st, 6);
        pg->len = (size_t)sqlite3_column_bytes(st, 7);
        pg->body = column_dup(st, 7);
        if (!pg->kind || !pg->url || !pg->fetched_at || !pg->body) {
            rc = wn_err_set(err, WN_ENOMEM, "out of memory");
            break;
        }
    }
    if (!rc && step != SQLITE_DONE)
        rc = fail(s, err, "read the staged fetch");
    sqlite3_finalize(st);
    if (rc) {
        wn_stage_pages_free(*pages, *n);
        *pages = NULL;
        *n = 0;
    }
    return rc;
}
