#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

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

const char *t_corpus_path(const char *rel)
{
    static char path[8][4096];
    static int slot;
    char *p = path[slot++ % 8];
    snprintf(p, 4096, "%s/corpus/%s", WINNOW_SHARED_DIR, rel);
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
    out->rc = wn_parse(f, d.text, d.len, &o, NULL, &out->err);
    wn_decoded_free(&d);
}

void t_parse_file(t_parsed *out, const char *path, const char *format)
{
    size_t len;
    char *text = t_read_file(path, &len);
    t_parse_text(out, text, len, format);
    free(text);
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
