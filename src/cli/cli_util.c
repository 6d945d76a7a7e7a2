/* What the commands share: errors, option parsing, finding the project,
 * and table cells. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"

int cli_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("winnow: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

int cli_usage(const cli_command *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "winnow %s: ", c->name);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nusage: winnow %s\n", c->usage);
    va_end(ap);
    return EXIT_USAGE;
}

/* The project file: -p, then WINNOW_PROJECT, then the only *.winnow file in
 * the working folder. */
static const char *find_project(cli_ctx *ctx, char *found, size_t size)
{
    if (ctx->project_path)
        return ctx->project_path;
    const char *env = getenv("WINNOW_PROJECT");
    if (env && *env)
        return env;
    DIR *d = opendir(".");
    if (!d) {
        cli_error(EXIT_RUNTIME, "no project: cannot read the current folder");
        return NULL;
    }
    int n = 0;
    char names[2][256] = {"", ""};
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 7 && strcmp(e->d_name + len - 7, ".winnow") == 0) {
            if (n < 2)
                snprintf(names[n], sizeof names[n], "%s", e->d_name);
            n++;
        }
    }
    closedir(d);
    if (n == 1) {
        snprintf(found, size, "%s", names[0]);
        return found;
    }
    if (n == 0)
        cli_error(EXIT_RUNTIME, "no project here: pass -p FILE, set WINNOW_PROJECT, or run "
                  "'winnow init NAME.winnow' in this folder");
    else
        cli_error(EXIT_RUNTIME, "%d project files here (%s, %s%s): pass -p FILE or set "
                  "WINNOW_PROJECT to choose one",
                  n, names[0], names[1], n > 2 ? ", ..." : "");
    return NULL;
}

wn_project *cli_open_project(cli_ctx *ctx)
{
    char found[300];
    const char *path = find_project(ctx, found, sizeof found);
    if (!path)
        return NULL;
    wn_project *p;
    wn_err err;
    if (wn_project_open(&p, path, &err)) {
        cli_error(EXIT_RUNTIME, "%s", err.msg);
        return NULL;
    }
    return p;
}

wn_actor cli_actor(const cli_ctx *ctx)
{
    wn_actor a = {ctx->argv_json, NULL};
    return a;
}

static const cli_opt *find_opt(const cli_opt *opts, const char *name, size_t len, char shortname)
{
    for (const cli_opt *o = opts; o && o->name; o++) {
        if (shortname ? o->shortname == shortname
                      : strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    }
    return NULL;
}

int cli_parse(const cli_command *c, int argc, char **argv, const cli_opt *opts,
              const char **pos, int max_pos, int *n_pos)
{
    *n_pos = 0;
    int only_positional = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_positional || a[0] != '-' || a[1] == '\0') {
            if (*n_pos >= max_pos)
                return cli_usage(c, "unexpected argument '%s'", a);
            pos[(*n_pos)++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_positional = 1;
            continue;
        }
        const cli_opt *o;
        const char *value = NULL;
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            o = find_opt(opts, a + 2, len, 0);
            if (eq)
                value = eq + 1;
        } else {
            o = a[2] == '\0' ? find_opt(opts, NULL, 0, a[1]) : NULL;
        }
        if (!o)
            return cli_usage(c, "unknown option '%s'", a);
        if (o->takes_value) {
            if (!value) {
                if (i + 1 >= argc)
                    return cli_usage(c, "option '%s' needs a value", a);
                value = argv[++i];
            }
            *o->value = value;
        } else {
            if (value)
                return cli_usage(c, "option '--%s' takes no value", o->name);
            *o->value = "1";
        }
    }
    return 0;
}

int cli_int(const cli_command *c, const char *what, const char *s, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < 0)
        return cli_usage(c, "%s must be a whole number, not '%s'", what, s);
    *out = v;
    return 0;
}

void cli_cell(FILE *out, const char *s, int width, int pad)
{
    if (!s)
        s = "";
    int cols = 0;
    const char *p = s, *end = s + strlen(s);
    while (p < end) {
        const char *start = p;
        unsigned cp = wn_utf8_next(&p, end);
        if (cp == '\n' || cp == '\t' || cp == '\r') {
            if (cols + 1 > width)
                break;
            fputc(' ', out);
            cols++;
            continue;
        }
        /* Combining marks take no column. */
        int w = (cp >= 0x300 && cp < 0x370) ? 0 : 1;
        if (cols + w > width - ((p < end) ? 0 : 0))
            break;
        /* Leave room for the ellipsis when the text does not fit. */
        if (cols + w == width && p < end) {
            fputs("\xE2\x80\xA6", out);
            cols++;
            p = end;
            break;
        }
        fwrite(start, 1, (size_t)(p - start), out);
        cols += w;
    }
    if (pad)
        for (; cols < width; cols++)
            fputc(' ', out);
}

int cli_width(void)
{
    const char *env = getenv("COLUMNS");
    if (env && atoi(env) >= 40)
        return atoi(env);
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        return ws.ws_col;
    return 100;
}

char *cli_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    wn_buf b = WN_BUF_INIT;
    char chunk[4096];
    size_t n;
    int rc = 0;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = wn_buf_append(&b, chunk, n);
    if (ferror(f))
        rc = WN_EIO;
    fclose(f);
    if (rc) {
        wn_buf_free(&b);
        return NULL;
    }
    return wn_buf_detach(&b);
}

int cli_source_filter(wn_project *p, const char *source, wn_record_filter *f)
{
    char *end;
    long long id = strtoll(source, &end, 10);
    if (*source && !*end)
        f->source_id = id;
    else
        f->source_name = source;
    int64_t probe;
    if (wn_source_lookup(p, source, &probe) != 0)
        return cli_error(EXIT_RUNTIME, "%s", wn_project_errmsg(p));
    return 0;
}

int cli_finish(wn_project *p, int rc)
{
    if (rc)
        cli_error(EXIT_RUNTIME, "%s", wn_project_errmsg(p));
    wn_project_close(p);
    return rc ? EXIT_RUNTIME : EXIT_OK;
}
