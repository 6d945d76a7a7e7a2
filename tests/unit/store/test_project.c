/* The project file: creation, opening, versions, imports that either land
 * whole or leave the file unchanged, and reading records back. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char two_records[] =
    "TY  - JOUR\n"
    "ID  - rec-1\n"
    "TI  - Social work and mental health equity\n"
    "AU  - Okafor, Adaeze\n"
    "AU  - Lindqvist, Maria\n"
    "PY  - 2022\n"
    "DO  - https://doi.org/10.1080/ABC.1\n"
    "SP  - 233-51\n"
    "KW  - equity\n"
    "KW  - social work\n"
    "N1  - a note with no column\n"
    "ER  - \n"
    "\n"
    "TY  - JOUR\n"
    "TI  - Second record\n"
    "PY  - 2020\n"
    "ER  - \n";

static const char *write_tmp(const char *name, const char *text, size_t len)
{
    const char *path = t_tmp_path(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    return path;
}

static wn_project *fresh(const char *name)
{
    wn_project *p;
    wn_err err;
    const char *path = t_tmp_path(name);
    assert_int_equal(wn_project_create(&p, path, "Test review", &err), 0);
    return p;
}

static void test_create_refuses_existing_and_sets_ids(void **state)
{
    (void)state;
    wn_project *p = fresh("create.winnow");
    char *title = wn_project_get_meta(p, "title");
    assert_string_equal(title, "Test review");
    free(title);
    char path[4096];
    snprintf(path, sizeof path, "%s", wn_project_path(p));
    wn_project_close(p);
    wn_err err;
    assert_int_equal(wn_project_create(&p, path, "again", &err), WN_EEXISTS);
    assert_non_null(strstr(err.msg, "already exists"));

    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &s, NULL);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), WN_APPLICATION_ID);
    sqlite3_finalize(s);
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), WN_SCHEMA_VERSION);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

static void test_newer_or_foreign_files_refused(void **state)
{
    (void)state;
    wn_project *p = fresh("newer.winnow");
    char path[4096];
    snprintf(path, sizeof path, "%s", wn_project_path(p));
    wn_project_close(p);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    wn_err err;
    assert_int_equal(wn_project_open(&p, path, &err), WN_EVERSION);
    assert_non_null(strstr(err.msg, "newer winnow"));

    const char *plain = write_tmp("plain.winnow", "hello\n", 6);
    assert_int_equal(wn_project_open(&p, plain, &err), WN_EFORMAT);
    assert_non_null(strstr(err.msg, "not a winnow project"));

    const char *other = t_tmp_path("other.sqlite");
    assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_int_equal(wn_project_open(&p, other, &err), WN_EFORMAT);

    assert_int_equal(wn_project_open(&p, t_tmp_path("missing.winnow"), &err), WN_ENOTFOUND);
}

static int count_audit(void *ctx, const wn_audit_row *a)
{
    (void)a;
    (*(int *)ctx)++;
    return 0;
}

typedef struct seen {
    int n;
    char title[200];
    char doi[200];
    char extra[200];
    int authors;
    int64_t line;
} seen;

static int remember(void *ctx, const wn_record *rec, const wn_record_meta *m)
{
    seen *s = ctx;
    if (s->n++ == 0) {
        snprintf(s->title, sizeof s->title, "%s", wn_record_first(rec, WN_F_TITLE));
        snprintf(s->doi, sizeof s->doi, "%s", wn_record_first(rec, WN_F_DOI));
        s->authors = (int)wn_record_count(rec, WN_F_AUTHOR);
        s->line = m->line;
        for (size_t i = 0; i < wn_record_size(rec); i++) {
            wn_field_value v = wn_record_at(rec, i);
            if (v.field == WN_F_EXTRA)
                snprintf(s->extra, sizeof s->extra, "%s=%s", v.tag, v.value);
        }
    }
    return 0;
}

static void test_import_stores_records_raw_text_and_audit(void **state)
{
    (void)state;
    wn_project *p = fresh("import.winnow");
    const char *file = write_tmp("two.ris", two_records, sizeof two_records - 1);
    wn_import_opts o = {file, "two.ris", "Scopus", NULL, NULL, NULL, "2023-11-02",
                        "social work", 0, NULL, NULL, NULL};
    wn_actor actor = {"[\"winnow\",\"import\"]", "tester"};
    wn_import_result res;
    assert_int_equal(wn_import_file(p, &o, &actor, &res), 0);
    assert_int_equal(res.records, 2);
    assert_string_equal(res.format, "ris");

    seen s = {0};
    assert_int_equal(wn_records_each(p, NULL, remember, &s), 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.title, "Social work and mental health equity");
    assert_string_equal(s.doi, "10.1080/abc.1");
    assert_int_equal(s.authors, 2);
    assert_int_equal(s.line, 1);
    assert_string_equal(s.extra, "N1=a note with no column");

    wn_record *rec = wn_record_new();
    wn_record_meta m;
    char *raw = NULL;
    assert_int_equal(wn_record_load(p, 2, rec, &m, &raw), 0);
    assert_string_equal(m.source_name, "Scopus");
    assert_int_equal(m.line, 14);
    assert_int_equal(m.position, 2);
    assert_string_equal(raw, "TY  - JOUR\nTI  - Second record\nPY  - 2020\nER  - \n");
    free(raw);
    assert_int_equal(wn_record_load(p, 99, rec, &m, NULL), WN_ENOTFOUND);
    wn_record_free(rec);

    /* The same file again into the same source is refused ... */
    assert_int_equal(wn_import_file(p, &o, &actor, &res), WN_EEXISTS);
    assert_non_null(strstr(wn_project_errmsg(p), "--force"));
    /* ... unless forced. */
    o.force = 1;
    assert_int_equal(wn_import_file(p, &o, &actor, &res), 0);
    int64_t n;
    assert_int_equal(wn_records_count(p, NULL, &n), 0);
    assert_int_equal(n, 4);
    int audits = 0;
    assert_int_equal(wn_audit_each(p, count_audit, &audits), 0);
    assert_int_equal(audits, 3); /* init + two imports */
    wn_project_close(p);
}

/* An input of several megabytes is stored in 1 MiB chunks, written between
 * records as the import goes; every record's raw text, across chunk edges
 * too, must read back exactly. */
static void test_big_input_text_reads_back_whole(void **state)
{
    (void)state;
    enum { N = 3000 };
    wn_buf text = WN_BUF_INIT;
    size_t *starts = calloc(N + 1, sizeof *starts);
    assert_non_null(starts);
    for (int i = 0; i < N; i++) {
        starts[i] = text.len;
        assert_int_equal(wn_buf_printf(&text, "TY  - JOUR\nTI  - Record %d ", i), 0);
        for (int k = 0; k < 130 + i % 17; k++)
            assert_int_equal(wn_buf_puts(&text, "padding "), 0);
        assert_int_equal(wn_buf_puts(&text, "\nER  - \n\n"), 0);
    }
    starts[N] = text.len;
    assert_true(text.len > 3u << 20);
    wn_project *p = fresh("big.winnow");
    const char *file = write_tmp("big.ris", text.data, text.len);
    wn_import_opts o = {file, "big.ris", "Scopus", NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL,
                        NULL};
    wn_import_result res;
    assert_int_equal(wn_import_file(p, &o, NULL, &res), 0);
    assert_int_equal(res.records, N);
    wn_record *rec = wn_record_new();
    for (int i = 0; i < N; i++) {
        wn_record_meta m;
        char *raw = NULL;
        assert_int_equal(wn_record_load(p, i + 1, rec, &m, &raw), 0);
        size_t want = starts[i + 1] - starts[i] - 1; /* without the blank line */
        assert_int_equal(strlen(raw), want);
        assert_memory_equal(raw, text.data + starts[i], want);
        free(raw);
    }
    wn_record_free(rec);
    wn_project_close(p);
    wn_buf_free(&text);
    free(starts);
}

/* Warnings "line N: message", as an import shows them. */
typedef struct shown {
    char **lines;
    size_t n;
} shown;

static void show_warning(void *user, const wn_warning *w)
{
    shown *s = user;
    char buf[700];
    snprintf(buf, sizeof buf, "line %zu: %s", w->line, w->message);
    s->lines = realloc(s->lines, (s->n + 1) * sizeof *s->lines);
    assert_non_null(s->lines);
    s->lines[s->n++] = strdup(buf);
}

/* The import normalizes a record on the parser's thread or the writer's,
 * whichever has time; its warnings must still come out, and be stored, in
 * the order a plain parse gives: the reader's and the normalizer's warnings
 * of each record in turn, then those after the last record. */
static void test_import_warnings_keep_parse_order(void **state)
{
    (void)state;
    enum { N = 3000 };
    wn_buf text = WN_BUF_INIT;
    for (int i = 0; i < N; i++) {
        if (i % 7 == 3)
            assert_int_equal(wn_buf_printf(&text, "stray line %d\n", i), 0);
        assert_int_equal(wn_buf_printf(&text, "TY  - JOUR\nTI  - Record %d\n", i), 0);
        assert_int_equal(wn_buf_puts(&text, i % 3 == 0 ? "PY  - someday\n" : "PY  - 2020\n"), 0);
        if (i % 5 == 0)
            assert_int_equal(wn_buf_printf(&text, "DO  - not a doi %d\n", i), 0);
        if (i % 11 != 4)
            assert_int_equal(wn_buf_puts(&text, "ER  - \n"), 0);
    }
    assert_int_equal(wn_buf_puts(&text, "trailing line\n"), 0);

    t_parsed ref;
    t_parse_text(&ref, text.data, text.len, "ris");
    assert_int_equal(ref.rc, 0);
    assert_int_equal(ref.n, N);
    assert_true(t_has_warning(&ref, "year 'someday'"));
    assert_true(t_has_warning(&ref, "not a doi"));
    assert_true(t_has_warning(&ref, "outside a record"));
    assert_true(t_has_warning(&ref, "no 'ER  - ' line"));

    wn_project *p = fresh("order.winnow");
    const char *file = write_tmp("order.ris", text.data, text.len);
    shown got = {NULL, 0};
    wn_import_opts o = {file, "order.ris", "Scopus", NULL, NULL, NULL, NULL, NULL, 0,
                        show_warning, &got, NULL};
    wn_import_result res;
    assert_int_equal(wn_import_file(p, &o, NULL, &res), 0);
    assert_int_equal(res.records, N);
    assert_int_equal(res.warnings, ref.n_warnings);
    assert_int_equal(got.n, ref.n_warnings);
    for (size_t i = 0; i < got.n; i++)
        if (strcmp(got.lines[i], ref.warnings[i]) != 0)
            fail_msg("warning %zu shown as '%s', the parse gives '%s'", i + 1, got.lines[i],
                     ref.warnings[i]);
    char path[4096];
    snprintf(path, sizeof path, "%s", wn_project_path(p));
    wn_project_close(p);

    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT line, message FROM import_warning ORDER BY id",
                                        -1, &st, NULL),
                     SQLITE_OK);
    size_t i = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char buf[700];
        snprintf(buf, sizeof buf, "line %lld: %s", (long long)sqlite3_column_int64(st, 0),
                 (const char *)sqlite3_column_text(st, 1));
        assert_true(i < ref.n_warnings);
        if (strcmp(buf, ref.warnings[i]) != 0)
            fail_msg("warning %zu stored as '%s', the parse gives '%s'", i + 1, buf,
                     ref.warnings[i]);
        i++;
    }
    assert_int_equal(i, ref.n_warnings);
    sqlite3_finalize(st);
    sqlite3_close(db);
    for (size_t k = 0; k < got.n; k++)
        free(got.lines[k]);
    free(got.lines);
    t_parsed_free(&ref);
    wn_buf_free(&text);
}

static void expect_refused(const char *name, const char *text, size_t len, const char *format,
                           const char *msg_part)
{
    wn_project *p = fresh("refuse.winnow");
    char path[4096];
    snprintf(path, sizeof path, "%s", wn_project_path(p));
    wn_project_close(p);
    char *before = t_sha256_file(path);
    wn_err err;
    assert_int_equal(wn_project_open(&p, path, &err), 0);
    const char *file = write_tmp(name, text, len);
    wn_import_opts o = {file, name, "Scopus", NULL, format, NULL, NULL, NULL, 0, NULL, NULL,
                        NULL};
    wn_import_result res;
    assert_int_not_equal(wn_import_file(p, &o, NULL, &res), 0);
    if (!strstr(wn_project_errmsg(p), msg_part))
        fail_msg("error '%s' does not mention '%s'", wn_project_errmsg(p), msg_part);
    assert_non_null(strstr(wn_project_errmsg(p), name));
    wn_project_close(p);
    t_assert_file_unchanged(path, before);
}

static void test_bad_inputs_leave_project_unchanged(void **state)
{
    (void)state;
    expect_refused("empty.ris", "", 0, NULL, "empty");
    expect_refused("binary.ris", "\x89PNG\r\n\x1a\n\0\0\0", 11, NULL, "binary");
    expect_refused("prose.txt", "Dear colleague,\nplease find attached.\n", 38, NULL,
                   "not a format");
    expect_refused("wrongformat.ris", two_records, sizeof two_records - 1, "bibtex",
                   "not BibTeX");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_refuses_existing_and_sets_ids),
        cmocka_unit_test(test_newer_or_foreign_files_refused),
        cmocka_unit_test(test_import_stores_records_raw_text_and_audit),
        cmocka_unit_test(test_big_input_text_reads_back_whole),
        cmocka_unit_test(test_import_warnings_keep_parse_order),
        cmocka_unit_test(test_bad_inputs_leave_project_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
