/* What the fetch tests share: a fresh project, fast network options,
 * checks of what a fetch left in the project, and helpers for running the
 * command against a test server.
 *
 * The fixtures under fixtures/http/ hold the same five works for every API,
 * two a page (the last page short); FIVE_DOIS lists them in result order. */
#ifndef FETCH_FIXTURE_H
#define FETCH_FIXTURE_H

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "http_fixture.h"
#include "support.h"

#define FIVE_DOIS                                                                        \
    "10.1080/00981389.2022.2034567,10.1093/hsw/hlz007,10.1017/gmh.2021.9,"               \
    "10.1093/bjsw/bcx045,10.1186/s12888-023-04567-8"

typedef struct ff_project {
    char path[4096];
    wn_project *p;
    char *hash_before; /* of the file, taken by ff_open */
} ff_project;

/* A new empty project, closed and hashed, then opened again. */
static inline void ff_open(ff_project *f, const char *name)
{
    snprintf(f->path, sizeof f->path, "%s.winnow", t_tmp_path(name));
    unlink(f->path);
    wn_err err;
    assert_int_equal(wn_project_create(&f->p, f->path, "fetch test", &err), 0);
    wn_project_close(f->p);
    f->hash_before = t_sha256_file(f->path);
    assert_int_equal(wn_project_open(&f->p, f->path, &err), 0);
}

/* Closes the project and fails unless the file is byte for byte as before. */
static inline void ff_assert_unchanged(ff_project *f)
{
    wn_project_close(f->p);
    f->p = NULL;
    char *after = t_sha256_file(f->path);
    assert_string_equal(after, f->hash_before);
    free(after);
}

static inline void ff_close(ff_project *f)
{
    wn_project_close(f->p);
    free(f->hash_before);
    f->hash_before = NULL;
}

/* Options that keep the tests fast: tiny waits, no politeness pause. */
static inline wn_fetch_opts ff_opts(wn_fetch_api api, const char *base, const char *query)
{
    wn_fetch_opts o;
    memset(&o, 0, sizeof o);
    o.api = api;
    o.base_url = base;
    o.query = query;
    o.page_size = 2;
    o.connect_timeout_ms = 1000;
    o.timeout_ms = 1500;
    o.max_tries = 3;
    o.backoff_ms = 10;
    o.max_wait_ms = 2000;
    o.min_interval_ms = -1;
    return o;
}

static inline int ff_doi(void *ctx, const wn_record *rec, const wn_record_meta *m)
{
    (void)m;
    wn_buf *b = ctx;
    const char *doi = wn_record_get(rec, WN_F_DOI, 0);
    if (b->len)
        wn_buf_putc(b, ',');
    wn_buf_puts(b, doi ? doi : "(none)");
    return 0;
}

/* The DOIs of every record of the project, in id order, comma-separated
 * (owned). */
static inline char *ff_dois(wn_project *p)
{
    wn_buf b = WN_BUF_INIT;
    wn_record_filter flt;
    memset(&flt, 0, sizeof flt);
    assert_int_equal(wn_records_each(p, &flt, ff_doi, &b), 0);
    char *s = wn_buf_detach(&b);
    assert_non_null(s);
    return s;
}

static inline void ff_assert_dois(wn_project *p, const char *want)
{
    char *got = ff_dois(p);
    assert_string_equal(got, want);
    free(got);
}

/* One integer from SQL on the project's file (read-only). */
static inline long long ff_sql_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("SQL failed: %s", sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* Fails unless request i's target contains part. */
static inline void ff_assert_target(t_http_server *srv, size_t i, const char *part)
{
    const char *t = t_http_target(srv, i);
    if (!t || !strstr(t, part))
        fail_msg("request %zu is '%s', expected it to contain '%s'", i, t ? t : "(none)",
                 part);
}

/* SHA-256 of a fixture file under fixtures/http/ (owned). */
static inline char *ff_fixture_sha(const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/fixtures/http/%s", WINNOW_SOURCE_DIR, rel);
    return t_sha256_file(path);
}

static inline int ff_exists(const char *path) { return access(path, F_OK) == 0; }

/* ---- for tests that run the command ---- */

/* The extra environment that points every fetcher at srv (static). */
static inline const char *const *ff_env_for(const t_http_server *srv)
{
    static char env_var[3][128];
    static const char *env[4];
    snprintf(env_var[0], sizeof env_var[0], "WINNOW_PUBMED_URL=%s", t_http_base(srv));
    snprintf(env_var[1], sizeof env_var[1], "WINNOW_OPENALEX_URL=%s", t_http_base(srv));
    snprintf(env_var[2], sizeof env_var[2], "WINNOW_CROSSREF_URL=%s", t_http_base(srv));
    for (int i = 0; i < 3; i++)
        env[i] = env_var[i];
    env[3] = NULL;
    return env;
}

static inline int ff_have_cli(void)
{
    if (access(WINNOW_CLI, X_OK) == 0)
        return 1;
    print_message("skipped: %s is not built\n", WINNOW_CLI);
    return 0;
}

/* A project made by the command itself; returns its path (static). */
static inline const char *ff_new_project(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s.winnow", t_tmp_path(name));
    unlink(path);
    assert_int_equal(t_winnow(NULL, NULL, NULL, NULL,
                              (const char *const[]){"init", path, "--title", "t", NULL}),
                     0);
    return path;
}

/* Opens a command-line test: skips it when the command is not built, and
 * makes a fresh project called `name`, its path in the new array `path`. */
#define FF_CLI_PROJECT(path, name)                                              \
    char path[4096];                                                            \
    if (!ff_have_cli())                                                         \
        skip();                                                                 \
    snprintf(path, sizeof path, "%s", ff_new_project(name))

#endif
