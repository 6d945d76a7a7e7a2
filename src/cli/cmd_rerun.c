/* winnow rerun --from BUNDLE: rebuilds the review in a fresh project by
 * replaying the audit log's command lines on the bundled files, then
 * compares every PRISMA number with the bundled project's. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"

enum { MAX_ARGS = 64 };

static int mkdirs(const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *s = buf + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* Where a path named on the original command line lives in the work
 * folder: relative paths as they were, absolute ones under abs/. Paths
 * climbing out with ".." are refused (a bundle must not write elsewhere). */
static int local_path(const char *path, char *out, size_t cap)
{
    if (strstr(path, ".."))
        return -1;
    snprintf(out, cap, "%s%s", path[0] == '/' ? "abs" : "", path);
    return 0;
}

static int write_file(const char *path, const unsigned char *data, size_t len)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        if (mkdirs(dir))
            return -1;
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(data, 1, len, f);
    return fclose(f) == 0 && n == len ? 0 : -1;
}

/* Puts every bundled file at each path it was used under. */
static int materialize(const wn_bundle *b, cJSON *manifest)
{
    cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(manifest, "files"))
    {
        const char *member = cJSON_GetStringValue(cJSON_GetObjectItem(f, "member"));
        const wn_bundle_member *m = member ? wn_bundle_find(b, member) : NULL;
        if (!m)
            return cli_error(EXIT_RUNTIME, "the bundle lacks '%s', which its manifest lists",
                             member ? member : "?");
        char sha[65];
        wn_sha256_hex(m->data, m->len, sha);
        const char *want = cJSON_GetStringValue(cJSON_GetObjectItem(f, "sha256"));
        if (!want || strcmp(sha, want) != 0)
            return cli_error(EXIT_RUNTIME, "'%s' in the bundle does not match its sha256", member);
        cJSON *path;
        cJSON_ArrayForEach(path, cJSON_GetObjectItem(f, "paths"))
        {
            char local[PATH_MAX];
            const char *p = cJSON_GetStringValue(path);
            if (!p || local_path(p, local, sizeof local))
                return cli_error(EXIT_RUNTIME, "the bundle names an unsafe path '%s'",
                                 p ? p : "?");
            if (write_file(local, m->data, m->len))
                return cli_error(EXIT_RUNTIME, "cannot write '%s': %s", local, strerror(errno));
        }
    }
    return 0;
}

/* ---- replaying the log ------------------------------------------------------ */

typedef struct entry {
    long long id;
    char *actor, *command;
} entry;

typedef struct entries {
    entry *e;
    size_t n;
} entries;

static int keep_entry(void *ctx, const wn_audit_row *a)
{
    entries *l = ctx;
    entry *grown = realloc(l->e, (l->n + 1) * sizeof *grown);
    if (!grown)
        return WN_ENOMEM;
    l->e = grown;
    entry *e = &l->e[l->n];
    e->id = a->id;
    e->actor = wn_strdup(a->actor);
    e->command = wn_strdup(a->command);
    if (!e->actor || !e->command) {
        free(e->actor);
        free(e->command);
        return WN_ENOMEM;
    }
    l->n++;
    return 0;
}

/* Runs one logged command line on the new project, quietly; returns its
 * exit status, or -1 when the entry is not a command line winnow can run. */
static int replay(cli_ctx *parent, const char *project, const entry *e, char *shown,
                  size_t shown_cap)
{
    cJSON *argv = cJSON_Parse(e->command);
    int n = cJSON_IsArray(argv) ? cJSON_GetArraySize(argv) : 0;
    char *args[MAX_ARGS + 1];
    char paths[MAX_ARGS][PATH_MAX];
    int argc = 0, rc = -1;
    shown[0] = '\0';
    cJSON *logged = cJSON_CreateArray();
    cJSON_AddItemToArray(logged, cJSON_CreateString("winnow"));
    cJSON_AddItemToArray(logged, cJSON_CreateString("-p"));
    cJSON_AddItemToArray(logged, cJSON_CreateString(project));
    for (int i = 1; i < n && argc < MAX_ARGS; i++) {
        const char *a = cJSON_GetStringValue(cJSON_GetArrayItem(argv, i));
        if (!a)
            goto done;
        if (argc == 0 && (!strcmp(a, "-p") || !strcmp(a, "--project"))) {
            i++;
            continue;
        }
        if (argc == 0 && !strncmp(a, "--project=", 10))
            continue;
        const char *before = argc ? args[argc - 1] : "";
        const char *use = a;
        struct stat st;
        if (!strcmp(before, "-o") || !strcmp(before, "--output")) {
            /* outputs go aside, never over an input */
            const char *slash = strrchr(a, '/');
            snprintf(paths[argc], PATH_MAX, "out/%s", slash ? slash + 1 : a);
            use = paths[argc];
        } else if (a[0] == '/' && !local_path(a, paths[argc], PATH_MAX) &&
                   stat(paths[argc], &st) == 0) {
            use = paths[argc];
        }
        args[argc++] = (char *)use;
        cJSON_AddItemToArray(logged, cJSON_CreateString(use));
        size_t len = strlen(shown);
        snprintf(shown + len, shown_cap - len, "%s%s", len ? " " : "", a);
    }
    args[argc] = NULL;
    const cli_command *c = argc ? cli_find(args[0]) : NULL;
    /* The demo itself is no step of a review, and an entry written by a
     * program rather than a command line cannot be replayed. */
    if (!c || !strcmp(args[0], "demo") || !strcmp(args[0], "rerun"))
        goto done;
    char *json = cJSON_PrintUnformatted(logged);
    cli_ctx ctx = *parent;
    ctx.project_path = project;
    ctx.argv_json = json ? json : "[]";
    /* The same actor as in the original log. */
    char *old_user = getenv("WINNOW_USER") ? wn_strdup(getenv("WINNOW_USER")) : NULL;
    setenv("WINNOW_USER", e->actor, 1);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
        dup2(null, STDOUT_FILENO);
        close(null);
    }
    rc = c->run(&ctx, argc, args);
    fflush(stdout);
    if (saved >= 0) {
        dup2(saved, STDOUT_FILENO);
        close(saved);
    }
    if (old_user)
        setenv("WINNOW_USER", old_user, 1);
    else
        unsetenv("WINNOW_USER");
    free(old_user);
    cJSON_free(json);
done:
    cJSON_Delete(logged);
    cJSON_Delete(argv);
    return rc;
}

/* ---- comparing ---------------------------------------------------------------- */

typedef struct numbers {
    char **key;
    int64_t *n;
    size_t len;
} numbers;

static int keep_number(void *ctx, const char *key, int64_t n)
{
    numbers *s = ctx;
    char **keys = realloc(s->key, (s->len + 1) * sizeof *keys);
    if (keys)
        s->key = keys;
    int64_t *ns = realloc(s->n, (s->len + 1) * sizeof *ns);
    if (ns)
        s->n = ns;
    if (!keys || !ns || !(s->key[s->len] = wn_strdup(key)))
        return WN_ENOMEM;
    s->n[s->len++] = n;
    return 0;
}

static void numbers_free(numbers *s)
{
    for (size_t i = 0; i < s->len; i++)
        free(s->key[i]);
    free(s->key);
    free(s->n);
}

/* Every number of the project's flow (invariant failures included: they
 * are compared, not judged, here). */
static int flow_numbers(const char *path, numbers *out)
{
    wn_project *p;
    wn_err err;
    memset(out, 0, sizeof *out);
    if (wn_project_open(&p, path, &err))
        return cli_error(EXIT_RUNTIME, "%s", err.msg);
    wn_prisma c;
    int rc = wn_prisma_compute(p, &c);
    if (rc && rc != WN_EINVAL)
        rc = cli_error(EXIT_RUNTIME, "%s", wn_project_errmsg(p));
    else
        rc = wn_prisma_each_number(&c, keep_number, out) ? cli_error(EXIT_RUNTIME,
                                                                     "out of memory")
                                                         : 0;
    wn_prisma_free(&c);
    wn_project_close(p);
    return rc;
}

static int compare(const numbers *a, const numbers *b, cJSON *diffs)
{
    int differ = 0;
    for (size_t i = 0; i < a->len; i++) {
        int64_t other = -1;
        int found = 0;
        for (size_t j = 0; j < b->len && !found; j++)
            if (!strcmp(a->key[i], b->key[j])) {
                other = b->n[j];
                found = 1;
            }
        if (found && other == a->n[i])
            continue;
        differ++;
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "number", a->key[i]);
        cJSON_AddNumberToObject(d, "bundled", (double)a->n[i]);
        if (found)
            cJSON_AddNumberToObject(d, "rerun", (double)other);
        else
            cJSON_AddNullToObject(d, "rerun");
        cJSON_AddItemToArray(diffs, d);
    }
    for (size_t j = 0; j < b->len; j++) {
        int found = 0;
        for (size_t i = 0; i < a->len && !found; i++)
            found = !strcmp(a->key[i], b->key[j]);
        if (found)
            continue;
        differ++;
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "number", b->key[j]);
        cJSON_AddNullToObject(d, "bundled");
        cJSON_AddNumberToObject(d, "rerun", (double)b->n[j]);
        cJSON_AddItemToArray(diffs, d);
    }
    return differ;
}

/* ---- the command ------------------------------------------------------------------ */

static void remove_project(const char *path)
{
    const char *const sides[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char side[PATH_MAX + 8];
        snprintf(side, sizeof side, "%s%s", path, sides[i]);
        unlink(side);
    }
}

static int rebuild(cli_ctx *ctx, const wn_bundle *b, cJSON *manifest, const char *dir, int json)
{
    const wn_bundle_member *pm = wn_bundle_find(b, "review/project.winnow");
    if (!pm)
        return cli_error(EXIT_RUNTIME, "the bundle holds no project (review/project.winnow)");
    char bundled[PATH_MAX], rerun[PATH_MAX];
    snprintf(bundled, sizeof bundled, "%.4000s/bundled.winnow", dir);
    snprintf(rerun, sizeof rerun, "%.4000s/rerun.winnow", dir);
    remove_project(bundled);
    remove_project(rerun);
    if (write_file(bundled, pm->data, pm->len))
        return cli_error(EXIT_RUNTIME, "cannot write '%s': %s", bundled, strerror(errno));

    /* The bundled project must itself be intact, and gives the log. */
    wn_project *p;
    wn_err err;
    if (wn_project_open(&p, bundled, &err))
        return cli_error(EXIT_RUNTIME, "%s", err.msg);
    wn_audit_report r;
    int rc = wn_audit_verify(p, &r);
    wn_audit_report_free(&r);
    entries log = {NULL, 0};
    char *title = wn_project_get_meta(p, "title"), *id = wn_project_get_meta(p, "id");
    if (!rc)
        rc = wn_audit_each(p, keep_entry, &log);
    if (rc)
        cli_error(EXIT_RUNTIME, "%s", wn_project_errmsg(p));
    wn_project_close(p);

    int home = open(".", O_RDONLY | O_DIRECTORY);
    if (!rc && (chdir(dir) != 0 || materialize(b, manifest)))
        rc = cli_error(EXIT_RUNTIME, "cannot prepare the bundle's files in '%s'", dir);
    if (!rc && (mkdir("out", 0777) != 0 && errno != EEXIST))
        rc = cli_error(EXIT_RUNTIME, "cannot create '%s/out': %s", dir, strerror(errno));

    /* A fresh project with the bundled one's id, then every entry after the
     * first (the creation) in order. */
    size_t replayed = 0, skipped = 0, failed = 0;
    cJSON *problems = cJSON_CreateArray();
    if (!rc) {
        wn_project *np;
        wn_actor actor = {ctx->argv_json, NULL};
        if (wn_project_create(&np, rerun, title ? title : "", &err)) {
            rc = cli_error(EXIT_RUNTIME, "%s", err.msg);
        } else {
            if (id && wn_rerun_adopt_id(np, id, &actor))
                rc = cli_error(EXIT_RUNTIME, "%s", wn_project_errmsg(np));
            wn_project_close(np);
        }
    }
    for (size_t i = 1; i < log.n && !rc; i++) {
        char shown[2048];
        int status = replay(ctx, rerun, &log.e[i], shown, sizeof shown);
        char line[2300];
        if (status == 0) {
            replayed++;
            continue;
        }
        if (status < 0) {
            skipped++;
            snprintf(line, sizeof line, "audit entry %lld not replayed (not a winnow command "
                     "line): %.200s", log.e[i].id, log.e[i].command);
        } else {
            failed++;
            snprintf(line, sizeof line, "audit entry %lld failed in the re-run: winnow %s",
                     log.e[i].id, shown);
        }
        cJSON_AddItemToArray(problems, cJSON_CreateString(line));
    }
    if (home >= 0) {
        if (fchdir(home) != 0 && !rc)
            rc = cli_error(EXIT_RUNTIME, "cannot return to the working folder");
        close(home);
    }

    numbers before = {0}, after = {0};
    cJSON *diffs = cJSON_CreateArray();
    int differ = 0;
    if (!rc && !(rc = flow_numbers(bundled, &before)) && !(rc = flow_numbers(rerun, &after)))
        differ = compare(&before, &after, diffs);
    if (!rc && json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddBoolToObject(o, "identical", !differ && !failed);
        cJSON_AddStringToObject(o, "project", rerun);
        cJSON_AddNumberToObject(o, "entries", (double)log.n);
        cJSON_AddNumberToObject(o, "replayed", (double)replayed);
        cJSON_AddNumberToObject(o, "skipped", (double)skipped);
        cJSON_AddNumberToObject(o, "failed", (double)failed);
        cJSON_AddNumberToObject(o, "numbers", (double)before.len);
        cJSON_AddItemReferenceToObject(o, "differences", diffs);
        cJSON_AddItemReferenceToObject(o, "problems", problems);
        char *s = cJSON_Print(o);
        puts(s);
        cJSON_free(s);
        cJSON_Delete(o);
    } else if (!rc) {
        printf("re-ran %zu of %zu audit entries into %s (%zu skipped, %zu failed)\n", replayed,
               log.n ? log.n - 1 : 0, rerun, skipped, failed);
        cJSON *it;
        cJSON_ArrayForEach(it, problems)
        {
            printf("  %s\n", it->valuestring);
        }
        if (differ) {
            printf("PRISMA numbers DIFFER: %d of %zu\n", differ, before.len);
            cJSON_ArrayForEach(it, diffs)
            {
                cJSON *x = cJSON_GetObjectItem(it, "bundled"), *y = cJSON_GetObjectItem(it, "rerun");
                char xs[32] = "(none)", ys[32] = "(none)";
                if (cJSON_IsNumber(x))
                    snprintf(xs, sizeof xs, "%.0f", x->valuedouble);
                if (cJSON_IsNumber(y))
                    snprintf(ys, sizeof ys, "%.0f", y->valuedouble);
                printf("  %-48s bundled %-8s re-run %s\n",
                       cJSON_GetObjectItem(it, "number")->valuestring, xs, ys);
            }
        } else {
            printf("all %zu PRISMA numbers identical\n", before.len);
        }
    }
    if (!rc && (differ || failed))
        rc = cli_error(EXIT_RUNTIME, "the re-run does not reproduce the bundled review (%d "
                       "numbers differ, %zu entries failed)", differ, failed);
    cJSON_Delete(diffs);
    cJSON_Delete(problems);
    numbers_free(&before);
    numbers_free(&after);
    for (size_t i = 0; i < log.n; i++) {
        free(log.e[i].actor);
        free(log.e[i].command);
    }
    free(log.e);
    free(title);
    free(id);
    return rc ? EXIT_RUNTIME : EXIT_OK;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *from = NULL, *dir = NULL, *json = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"from", 0, 1, &from},
                            {"dir", 'd', 1, &dir},
                            {"json", 0, 0, &json},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_rerun, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    if (!from)
        return cli_usage(&cmd_rerun, "say which bundle to re-run (--from FILE.tar)");
    char where[PATH_MAX];
    if (!dir) {
        /* review.tar -> review-rerun/ beside it */
        snprintf(where, sizeof where, "%s", from);
        char *dot = strrchr(where, '.');
        if (dot && !strchr(dot, '/'))
            *dot = '\0';
        size_t len = strlen(where);
        snprintf(where + len, sizeof where - len, "-rerun");
        dir = where;
    }
    wn_bundle b;
    wn_err err;
    if (wn_bundle_read(from, &b, &err)) {
        wn_bundle_free(&b);
        return cli_error(EXIT_RUNTIME, "%s", err.msg);
    }
    const wn_bundle_member *mm = wn_bundle_find(&b, "review/manifest.json");
    cJSON *manifest = mm ? cJSON_Parse((const char *)mm->data) : NULL;
    char abs_dir[PATH_MAX];
    int rc;
    if (!cJSON_IsObject(manifest))
        rc = cli_error(EXIT_RUNTIME, "'%s': its manifest is not JSON", from);
    else if (mkdirs(dir) || !realpath(dir, abs_dir))
        rc = cli_error(EXIT_RUNTIME, "cannot create '%s': %s", dir, strerror(errno));
    else
        rc = rebuild(ctx, &b, manifest, abs_dir, json != NULL);
    cJSON_Delete(manifest);
    wn_bundle_free(&b);
    return rc;
}

const cli_command cmd_rerun = {
    "rerun",
    "rebuild a review from its bundle and compare every PRISMA number",
    "rerun --from BUNDLE [--dir DIR] [--json]",
    "Unpacks a bundle (see 'winnow bundle') into DIR (default: the bundle's\n"
    "name with -rerun), checks the bundled project's audit log, then builds a\n"
    "fresh project there by replaying the log's command lines in order on the\n"
    "bundled files (the same inputs, rule files and reviewers' sheets, each\n"
    "under the path it was used by, and the same actors), and compares every\n"
    "number of the PRISMA flow with the bundled project's. Exit 0 when all are\n"
    "identical; 1 when any differs (each is listed) or a step fails.\n"
    "\n"
    "  --from BUNDLE   the bundle to re-run\n"
    "  --dir DIR       where to rebuild (bundled.winnow, rerun.winnow, files)\n"
    "  --json          the result as JSON: identical, differences, problems\n",
    run,
};
