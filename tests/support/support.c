#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "support.h"

char *t_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    if (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)
        fail_msg("cannot read %s", path);
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = (size_t)n;
    return buf;
}

char *t_sha256_file(const char *path)
{
    size_t len;
    char *data = t_read_file(path, &len);
    char *hex = malloc(65);
    assert_non_null(hex);
    wn_sha256_hex(data, len, hex);
    free(data);
    return hex;
}

void t_assert_file_unchanged(const char *path, char *before)
{
    char *after = t_sha256_file(path);
    if (strcmp(before, after) != 0)
        fail_msg("'%s' changed: sha256 %s, was %s", path, after, before);
    free(after);
    free(before);
}

const char *t_corpus_path(const char *rel)
{
    static char path[8][4096];
    static int slot;
    char *p = path[slot++ % 8];
    /* The environment may point elsewhere (or at nothing, to run the
     * tests as on a checkout without the shared data). */
    const char *shared = getenv("WINNOW_SHARED_DIR");
    snprintf(p, 4096, "%s/corpus/%s", shared && *shared ? shared : WINNOW_SHARED_DIR, rel);
    return access(p, R_OK) == 0 ? p : NULL;
}

const char *t_tmp_path(const char *name)
{
    static char path[32][4096];
    static int slot;
    char *p = path[slot++ % 32];
    snprintf(p, 4096, "%s/%ld-%s", WINNOW_TEST_TMP, (long)getpid(), name);
    unlink(p);
    return p;
}

static int keep_record(void *user, const wn_record *rec)
{
    t_parsed *p = user;
    wn_record *copy = wn_record_new();
    assert_non_null(copy);
    assert_int_equal(wn_record_copy(copy, rec), 0);
    p->recs = realloc(p->recs, (p->n + 1) * sizeof *p->recs);
    p->recs[p->n++] = copy;
    return 0;
}

static void keep_warning(void *user, const wn_warning *w)
{
    t_parsed *p = user;
    char buf[700];
    snprintf(buf, sizeof buf, "line %zu: %s", w->line, w->message);
    p->warnings = realloc(p->warnings, (p->n_warnings + 1) * sizeof *p->warnings);
    p->warnings[p->n_warnings++] = strdup(buf);
}

void t_parse_text(t_parsed *out, const char *text, size_t len, const char *format)
{
    t_parse_text_mapped(out, text, len, format, NULL);
}

void t_parse_text_mapped(t_parsed *out, const char *text, size_t len, const char *format,
                         const char *map)
{
    memset(out, 0, sizeof *out);
    wn_decoded d;
    out->rc = wn_text_decode("input", text, len, &d, &out->err);
    if (out->rc)
        return;
    const wn_format *f = NULL;
    if (format && *format) {
        f = wn_format_find(format);
        assert_non_null(f);
    } else {
        wn_detection det;
        out->rc = wn_format_detect("input", d.text, d.len, &det, &out->err);
        if (out->rc) {
            wn_decoded_free(&d);
            return;
        }
        f = det.format;
    }
    wn_parse_opts o = {"input", keep_record, keep_warning, out};
    out->rc = wn_parse_mapped(f, d.text, d.len, map, &o, NULL, &out->err);
    wn_decoded_free(&d);
}

void t_parse_file(t_parsed *out, const char *path, const char *format)
{
    size_t len;
    char *text = t_read_file(path, &len);
    t_parse_text(out, text, len, format);
    free(text);
}

void t_parse_file_ok(t_parsed *out, const char *path, const char *format, size_t n)
{
    t_parse_file(out, path, format);
    if (out->rc != 0)
        fail_msg("%s: %s", path, out->err.msg);
    if (out->n != n)
        fail_msg("%s: %zu records, expected %zu", path, out->n, n);
}

void t_parsed_free(t_parsed *p)
{
    for (size_t i = 0; i < p->n; i++)
        wn_record_free(p->recs[i]);
    for (size_t i = 0; i < p->n_warnings; i++)
        free(p->warnings[i]);
    free(p->recs);
    free(p->warnings);
    memset(p, 0, sizeof *p);
}

size_t t_count_with(const t_parsed *p, wn_field f)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        n += wn_record_first(p->recs[i], f) != NULL;
    return n;
}

void t_parse_str(t_parsed *out, const char *text, const char *format)
{
    t_parse_text(out, text, strlen(text), format);
}

const wn_record *t_rec(const t_parsed *p, size_t rec)
{
    if (rec >= p->n)
        fail_msg("no record %zu: %zu read", rec + 1, p->n);
    return p->recs[rec];
}

const char *t_field(const t_parsed *p, size_t rec, wn_field f)
{
    return wn_record_first(t_rec(p, rec), f);
}

const wn_origin *t_origin(const t_parsed *p, size_t rec)
{
    return wn_record_origin_c(t_rec(p, rec));
}

/* Prints why a value is not the one expected (want or got NULL: none). */
static void print_mismatch(size_t rec_no, wn_field f, const char *want, const char *got)
{
    print_error("record %zu %s: expected %s%s%s, got %s%s%s\n", rec_no, wn_field_name(f),
                want ? "'" : "", want ? want : "none", want ? "'" : "", got ? "'" : "",
                got ? got : "none", got ? "'" : "");
}

void t_assert_field_at(const t_parsed *p, size_t rec, wn_field f, const char *want,
                       const char *file, int line)
{
    const char *got = t_field(p, rec, f);
    if (want ? got && strcmp(want, got) == 0 : !got)
        return;
    print_mismatch(rec + 1, f, want, got);
    _fail(file, line);
}

void t_expect_first_values(const wn_record *r, size_t rec_no, const wn_field *fields,
                           const char *const *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!want[i])
            continue;
        const char *got = wn_record_first(r, fields[i]);
        if (!got || strcmp(got, want[i]) != 0) {
            print_mismatch(rec_no, fields[i], want[i], got);
            fail();
        }
    }
}

const char *t_tagged(const wn_record *r, wn_field f, const char *tag, size_t idx)
{
    for (size_t i = 0; i < wn_record_size(r); i++) {
        wn_field_value v = wn_record_at(r, i);
        if (v.field == f && strcmp(v.tag, tag) == 0 && idx-- == 0)
            return v.value;
    }
    return NULL;
}

size_t t_count_tagged(const wn_record *r, wn_field f, const char *tag)
{
    size_t n = 0;
    while (t_tagged(r, f, tag, n))
        n++;
    return n;
}

const char *t_extra(const wn_record *r, const char *tag)
{
    return t_tagged(r, WN_F_EXTRA, tag, 0);
}

int t_has_warning(const t_parsed *p, const char *part)
{
    for (size_t i = 0; i < p->n_warnings; i++)
        if (strstr(p->warnings[i], part))
            return 1;
    return 0;
}

void t_assert_warned_at(const t_parsed *p, const char *part, const char *file, int line)
{
    if (t_has_warning(p, part))
        return;
    for (size_t i = 0; i < p->n_warnings; i++)
        print_error("warning: %s\n", p->warnings[i]);
    print_error("no warning contains '%s'\n", part);
    _fail(file, line);
}

int t_sniff(const char *format, const char *text)
{
    const wn_format *f = wn_format_find(format);
    assert_non_null(f);
    return wn_format_sniff(f, text, strlen(text));
}

void t_decode_file(t_decoded_file *out, const char *path)
{
    out->raw = t_read_file(path, &out->raw_len);
    wn_err err;
    if (wn_text_decode(path, out->raw, out->raw_len, &out->d, &err) != 0)
        fail_msg("%s", err.msg);
}

void t_decoded_file_free(t_decoded_file *f)
{
    wn_decoded_free(&f->d);
    free(f->raw);
    memset(f, 0, sizeof *f);
}

wn_record *t_record_raw(const char *const *triples)
{
    wn_record *r = wn_record_new();
    assert_non_null(r);
    for (size_t i = 0; triples[i]; i += 3) {
        int f = wn_field_by_name(triples[i]);
        if (f < 0)
            fail_msg("no field named '%s'", triples[i]);
        assert_int_equal(wn_record_add_str(r, (wn_field)f, triples[i + 1], triples[i + 2]), 0);
    }
    return r;
}

wn_record *t_record(const char *const *triples)
{
    wn_record *r = t_record_raw(triples);
    assert_int_equal(wn_normalize_record(r, NULL, NULL), 0);
    return r;
}

int t_to_buf(void *ctx, const char *data, size_t len)
{
    return wn_buf_append(ctx, data, len);
}

static wn_export *export_open(const char *format, wn_buf *out)
{
    wn_export *x = NULL;
    wn_err err;
    if (wn_export_open(&x, format, t_to_buf, out, &err) != 0)
        fail_msg("cannot open %s export: %s", format, err.msg);
    return x;
}

static void export_add(wn_export *x, const wn_record *r, const char *format, size_t i)
{
    int rc = wn_export_record(x, r);
    if (rc) {
        wn_export_free(x);
        fail_msg("%s export of record %zu failed: %s", format, i + 1, wn_strerror(rc));
    }
}

void t_export(wn_record *const *recs, size_t n, const char *format, wn_buf *out)
{
    wn_export *x = export_open(format, out);
    for (size_t i = 0; i < n; i++)
        export_add(x, recs[i], format, i);
    assert_int_equal(wn_export_close(x), 0);
}

void t_export_one(const wn_record *r, const char *format, wn_buf *out)
{
    wn_export *x = export_open(format, out);
    if (r)
        export_add(x, r, format, 0);
    assert_int_equal(wn_export_close(x), 0);
}

static char *slurp_fd(int fd)
{
    wn_buf b = WN_BUF_INIT;
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0)
        wn_buf_append(&b, chunk, (size_t)n);
    close(fd);
    return wn_buf_detach(&b);
}

int t_winnow(const char *cwd, const char *const *env, char **out, char **err,
             const char *const *args)
{
    char outpath[4096], errpath[4096];
    /* Own names, so the caller's t_tmp_path slots are not reused. */
    snprintf(outpath, sizeof outpath, "%s/%ld-run-stdout", WINNOW_TEST_TMP, (long)getpid());
    snprintf(errpath, sizeof errpath, "%s/%ld-run-stderr", WINNOW_TEST_TMP, (long)getpid());
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(outpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        if (o < 0 || e < 0 || in < 0)
            _exit(127);
        dup2(in, 0);
        dup2(o, 1);
        dup2(e, 2);
        if (cwd && chdir(cwd) != 0)
            _exit(127);
        unsetenv("WINNOW_PROJECT");
        for (size_t i = 0; env && env[i]; i++)
            putenv((char *)env[i]);
        const char *argv[64];
        size_t n = 0;
        argv[n++] = WINNOW_CLI;
        for (size_t i = 0; args[i] && n < 63; i++)
            argv[n++] = args[i];
        argv[n] = NULL;
        execv(WINNOW_CLI, (char *const *)argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    int fd = open(outpath, O_RDONLY);
    char *o = fd >= 0 ? slurp_fd(fd) : NULL;
    fd = open(errpath, O_RDONLY);
    char *e = fd >= 0 ? slurp_fd(fd) : NULL;
    if (out)
        *out = o;
    else
        free(o);
    if (err)
        *err = e;
    else
        free(e);
    unlink(outpath);
    unlink(errpath);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct wn_project *t_project_with(const char *file_name, const char *source_name,
                                  const char *text)
{
    char project_path[4096], input_path[4096];
    snprintf(project_path, sizeof project_path, "%s.winnow", t_tmp_path(file_name));
    unlink(project_path);
    snprintf(input_path, sizeof input_path, "%s", t_tmp_path(file_name));
    FILE *f = fopen(input_path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
    wn_project *p;
    wn_err err;
    if (wn_project_create(&p, project_path, "Test review", &err))
        fail_msg("%s", err.msg);
    wn_import_opts o = {0};
    o.path = input_path;
    o.source_name = source_name;
    wn_actor actor = {"[\"test\"]", "tester"};
    wn_import_result res;
    if (wn_import_file(p, &o, &actor, &res))
        fail_msg("%s", wn_project_errmsg(p));
    return p;
}

void t_sql(struct wn_project *p, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(wn_project_path(p), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("SQL failed: %s", msg ? msg : "?");
    sqlite3_close(db);
}

int64_t t_sql_int(struct wn_project *p, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(wn_project_path(p), &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}
