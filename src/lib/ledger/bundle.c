/* `winnow bundle`: the project with every file its commands read, in one
 * archive an auditor can re-run (`winnow rerun`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ledger/tar.h"
#include "store/db.h"
#include "winnow/audit.h"
#include "winnow/text.h"
#include "winnow/version.h"

/* A whole file (owned) or NULL; *len gets its size. */
static unsigned char *slurp(const char *path, size_t *len)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *data = malloc((size_t)st.st_size + 1);
    size_t n = data ? fread(data, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!data || n != (size_t)st.st_size) {
        free(data);
        return NULL;
    }
    *len = n;
    return data;
}

/* The files bundled so far: distinct contents, each with every path the
 * commands named it by. */
typedef struct bfile {
    char sha256[65];
    unsigned char *data;
    size_t len;
    cJSON *paths; /* array of strings */
} bfile;

typedef struct collect {
    wn_project *p;
    bfile *files;
    size_t n, cap;
    int rc;
} collect;

static int add_path(cJSON *paths, const char *path)
{
    cJSON *e;
    cJSON_ArrayForEach(e, paths)
    {
        if (!strcmp(cJSON_GetStringValue(e), path))
            return 0;
    }
    return cJSON_AddItemToArray(paths, cJSON_CreateString(path)) ? 0 : WN_ENOMEM;
}

/* Adds the file at path (if it is one); want, when given, is the hash it
 * must have. Returns 1 when added, 0 when absent or different, <0 on error. */
static int add_file(collect *c, const char *path, const char *want)
{
    size_t len;
    unsigned char *data = slurp(path, &len);
    if (!data)
        return 0;
    char sha[65];
    wn_sha256_hex(data, len, sha);
    if (want && strcmp(sha, want) != 0) {
        free(data);
        return 0;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (!strcmp(c->files[i].sha256, sha)) {
            free(data);
            return add_path(c->files[i].paths, path) ? WN_ENOMEM : 1;
        }
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        bfile *grown = realloc(c->files, cap * sizeof *grown);
        if (!grown) {
            free(data);
            return WN_ENOMEM;
        }
        c->files = grown;
        c->cap = cap;
    }
    bfile *b = &c->files[c->n];
    memcpy(b->sha256, sha, sizeof sha);
    b->data = data;
    b->len = len;
    if (!(b->paths = cJSON_CreateArray()) || add_path(b->paths, path)) {
        cJSON_Delete(b->paths);
        free(data);
        return WN_ENOMEM;
    }
    c->n++;
    return 1;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Whether argv[i] is the value of an output option (-o FILE). */
static int is_output(cJSON *argv, int i)
{
    const char *before = i > 0 ? cJSON_GetStringValue(cJSON_GetArrayItem(argv, i - 1)) : NULL;
    return before && (!strcmp(before, "-o") || !strcmp(before, "--output"));
}

static int entry_files(void *ctx, const wn_audit_row *a)
{
    collect *c = ctx;
    cJSON *argv = cJSON_Parse(a->command);
    cJSON *inputs = cJSON_Parse(a->inputs);
    int rc = 0;
    cJSON *in_list = cJSON_IsArray(inputs) ? inputs : NULL;
    cJSON *arg_list = cJSON_IsArray(argv) ? argv : NULL;
    /* Recorded inputs: at the recorded path, or under a path of the same
     * name on the command line, with the recorded hash. */
    cJSON *in;
    cJSON_ArrayForEach(in, in_list)
    {
        const char *sha = cJSON_GetStringValue(cJSON_GetObjectItem(in, "sha256"));
        const char *file = cJSON_GetStringValue(cJSON_GetObjectItem(in, "file"));
        if (!file)
            file = cJSON_GetStringValue(cJSON_GetObjectItem(in, "path"));
        if (!sha || !file)
            continue;
        int found = add_file(c, file, sha);
        cJSON *arg;
        cJSON_ArrayForEach(arg, arg_list)
        {
            const char *s = cJSON_GetStringValue(arg);
            if (found || !s || strcmp(base_name(s), base_name(file)) != 0)
                continue;
            found = add_file(c, s, sha);
        }
        if (found < 0) {
            rc = wn_err_set(&c->p->err, WN_ENOMEM, "out of memory");
            break;
        }
        if (!found) {
            rc = wn_err_set(&c->p->err, WN_ENOTFOUND,
                            "cannot bundle '%s' (audit entry %lld): no file there with the "
                            "sha256 recorded (%.12s...); run bundle in the folder the review "
                            "ran in, with its files unchanged",
                            file, (long long)a->id, sha);
            break;
        }
    }
    /* Every other file the command line names (not its outputs, not the
     * project). */
    int n = cJSON_IsArray(argv) ? cJSON_GetArraySize(argv) : 0;
    for (int i = 1; i < n && !rc; i++) {
        const char *s = cJSON_GetStringValue(cJSON_GetArrayItem(argv, i));
        const char *before = cJSON_GetStringValue(cJSON_GetArrayItem(argv, i - 1));
        if (!s || is_output(argv, i) || (before && (!strcmp(before, "-p") ||
                                                   !strcmp(before, "--project"))))
            continue;
        if (add_file(c, s, NULL) < 0)
            rc = wn_err_set(&c->p->err, WN_ENOMEM, "out of memory");
    }
    cJSON_Delete(argv);
    cJSON_Delete(inputs);
    return rc;
}

/* A consistent copy of the project (VACUUM INTO a scratch file). */
static unsigned char *project_copy(wn_project *p, const char *scratch, size_t *len)
{
    unlink(scratch);
    sqlite3_stmt *s;
    unsigned char *data = NULL;
    if (sqlite3_prepare_v2(p->db, "VACUUM INTO ?", -1, &s, NULL) != SQLITE_OK) {
        wn_db_fail(p, "cannot copy the project");
        return NULL;
    }
    sqlite3_bind_text(s, 1, scratch, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        wn_db_fail(p, "cannot copy the project");
    else if (!(data = slurp(scratch, len)))
        wn_err_set(&p->err, WN_EIO, "cannot read the copy of the project '%s'", scratch);
    sqlite3_finalize(s);
    unlink(scratch);
    return data;
}

static char *manifest(wn_project *p, const collect *c, const wn_audit_report *r)
{
    cJSON *m = cJSON_CreateObject();
    char now[32];
    wn_utc_now(now);
    cJSON_AddStringToObject(m, "format", "winnow bundle 1");
    cJSON_AddStringToObject(m, "winnow", wn_version());
    cJSON_AddStringToObject(m, "created_at", now);
    cJSON *proj = cJSON_AddObjectToObject(m, "project");
    char *id = wn_project_get_meta(p, "id"), *title = wn_project_get_meta(p, "title");
    cJSON_AddStringToObject(proj, "file", "review/project.winnow");
    cJSON_AddStringToObject(proj, "id", id ? id : "");
    cJSON_AddStringToObject(proj, "title", title ? title : "");
    cJSON_AddStringToObject(proj, "audit_head", r->head);
    cJSON_AddNumberToObject(proj, "audit_entries", (double)r->entries);
    cJSON_AddNumberToObject(proj, "decisions", (double)r->decisions);
    free(id);
    free(title);
    cJSON *files = cJSON_AddArrayToObject(m, "files");
    for (size_t i = 0; i < c->n; i++) {
        cJSON *f = cJSON_CreateObject();
        char member[100];
        snprintf(member, sizeof member, "review/files/%s", c->files[i].sha256);
        cJSON_AddStringToObject(f, "member", member);
        cJSON_AddStringToObject(f, "sha256", c->files[i].sha256);
        cJSON_AddNumberToObject(f, "bytes", (double)c->files[i].len);
        cJSON_AddItemReferenceToObject(f, "paths", c->files[i].paths);
        cJSON_AddItemToArray(files, f);
    }
    char *text = cJSON_Print(m);
    cJSON_Delete(m);
    return text;
}

int wn_bundle_write(wn_project *p, const char *out_path, wn_bundle_summary *s)
{
    memset(s, 0, sizeof *s);
    /* Only an intact ledger is worth handing to an auditor. */
    wn_audit_report r;
    int rc = wn_audit_verify(p, &r);
    wn_audit_report_free(&r);
    if (rc)
        return rc;
    collect c = {p, NULL, 0, 0, 0};
    if ((rc = wn_audit_each(p, entry_files, &c)))
        goto done;
    size_t plen = 0;
    char scratch[4200];
    snprintf(scratch, sizeof scratch, "%s.project-copy", out_path);
    unsigned char *project = project_copy(p, scratch, &plen);
    if (!project) {
        rc = p->err.code ? p->err.code : WN_EIO;
        goto done;
    }
    char *text = manifest(p, &c, &r);
    FILE *f = text ? fopen(out_path, "wb") : NULL;
    long long mtime = (long long)time(NULL);
    if (!text) {
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    } else if (!f) {
        rc = wn_err_set(&p->err, WN_EIO, "cannot write '%s'", out_path);
    } else {
        rc = wn_tar_add(f, "review/manifest.json", text, strlen(text), mtime);
        if (!rc)
            rc = wn_tar_add(f, "review/project.winnow", project, plen, mtime);
        for (size_t i = 0; i < c.n && !rc; i++) {
            char member[100];
            snprintf(member, sizeof member, "review/files/%s", c.files[i].sha256);
            rc = wn_tar_add(f, member, c.files[i].data, c.files[i].len, mtime);
        }
        if (!rc)
            rc = wn_tar_end(f);
        if (fclose(f) != 0 && !rc)
            rc = WN_EIO;
        if (rc) {
            unlink(out_path);
            wn_err_set(&p->err, rc, "cannot write '%s'", out_path);
        }
    }
    if (!rc) {
        struct stat st;
        s->files = c.n;
        s->bytes = stat(out_path, &st) == 0 ? (int64_t)st.st_size : 0;
        snprintf(s->head, sizeof s->head, "%s", r.head);
    }
    free(text);
    free(project);
done:
    for (size_t i = 0; i < c.n; i++) {
        free(c.files[i].data);
        cJSON_Delete(c.files[i].paths);
    }
    free(c.files);
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

static int keep_member(void *ctx, const char *name, const unsigned char *body, size_t n)
{
    wn_bundle *b = ctx;
    wn_bundle_member *grown = realloc(b->members, (b->n + 1) * sizeof *grown);
    if (!grown)
        return WN_ENOMEM;
    b->members = grown;
    wn_bundle_member *m = &b->members[b->n];
    m->name = wn_strdup(name);
    m->data = malloc(n + 1);
    if (!m->name || !m->data) {
        free(m->name);
        free(m->data);
        return WN_ENOMEM;
    }
    memcpy(m->data, body, n);
    m->data[n] = '\0';
    m->len = n;
    b->n++;
    return 0;
}

int wn_bundle_read(const char *path, wn_bundle *b, wn_err *err)
{
    memset(b, 0, sizeof *b);
    size_t len;
    unsigned char *data = slurp(path, &len);
    if (!data)
        return wn_err_set(err, WN_EIO, "cannot read the bundle '%s'", path);
    int rc = wn_tar_each(data, len, path, err, keep_member, b);
    if (rc == WN_ENOMEM)
        wn_err_set(err, rc, "out of memory reading '%s'", path);
    free(data);
    if (!rc && !wn_bundle_find(b, "review/manifest.json"))
        rc = wn_err_set(err, WN_EFORMAT, "'%s' is not a winnow bundle (no review/manifest.json)",
                        path);
    return rc;
}

const wn_bundle_member *wn_bundle_find(const wn_bundle *b, const char *name)
{
    for (size_t i = 0; i < b->n; i++)
        if (!strcmp(b->members[i].name, name))
            return &b->members[i];
    return NULL;
}

void wn_bundle_free(wn_bundle *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->members[i].name);
        free(b->members[i].data);
    }
    free(b->members);
    memset(b, 0, sizeof *b);
}

int wn_rerun_adopt_id(wn_project *p, const char *project_id, const wn_actor *actor)
{
    int rc = wn_tx_begin(p);
    if (rc)
        return rc;
    sqlite3_stmt *s = wn_stmt(p, ST_META_SET);
    if (!s) {
        wn_tx_rollback(p);
        return WN_EDB;
    }
    sqlite3_bind_text(s, 1, "id", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, project_id, -1, SQLITE_STATIC);
    char summary[200];
    snprintf(summary, sizeof summary, "took the id %.64s of the bundled project it rebuilds",
             project_id);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot write project settings");
    return wn_tx_finish(p, rc, actor, NULL, summary);
}
