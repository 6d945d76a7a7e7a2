/* winnow demo: the bundled demo review, end to end, through the same
 * commands a user types. Each step is echoed, then run by its command's
 * descriptor with the argv shown, so the audit log holds exactly those
 * command lines (and `winnow rerun` can replay them). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"

#ifndef WINNOW_DATA_DIR
#define WINNOW_DATA_DIR "."
#endif

#define DEMO_DATA "fixtures/demo"
#define DEMO_RULES "queries/demo/criteria.rules"
#define MAX_ARGS 32

static const char *const reviewers[] = {"alice", "bob", "carol", "dave"};
static const char *const reviewer_names[] = {"Alice Nkemelu", "Bob Tanaka", "Carol Ruiz",
                                             "Dave Osei"};
enum { N_REVIEWERS = 4 };
static const char ft_reasons[] = "wrong population; no mental health outcome; "
                                 "not empirical research";

typedef struct demo {
    cli_ctx *ctx;
    char dir[PATH_MAX];
    char project[PATH_MAX + 64];
    int failed; /* exit status of the step that failed */
} demo;

/* ---- running a step ------------------------------------------------------ */

static int is_plain(const char *a) { return *a && !strpbrk(a, " \t'\"$;&|<>()*?"); }

/* Runs `winnow ARGS` on the demo project, as typed by a user. echo 0 runs it
 * quietly (its output discarded). Returns the command's exit status. */
static int step_v(demo *d, int echo, const char *const *args)
{
    const cli_command *c = cli_find(args[0]);
    if (!c) {
        /* A build without that stage still runs the rest. */
        if (echo)
            printf("\n(skipped 'winnow %s': this build has no '%s' command)\n", args[0],
                   args[0]);
        return 0;
    }
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    cJSON *json = cJSON_CreateArray();
    cJSON_AddItemToArray(json, cJSON_CreateString("winnow"));
    cJSON_AddItemToArray(json, cJSON_CreateString("-p"));
    cJSON_AddItemToArray(json, cJSON_CreateString(d->project));
    if (echo)
        fputs("\n$ winnow", stdout);
    for (; args[argc] && argc < MAX_ARGS; argc++) {
        argv[argc] = (char *)args[argc];
        cJSON_AddItemToArray(json, cJSON_CreateString(args[argc]));
        if (echo)
            printf(is_plain(args[argc]) ? " %s" : " '%s'", args[argc]);
    }
    argv[argc] = NULL;
    if (echo)
        putchar('\n');
    char *argv_json = cJSON_PrintUnformatted(json);
    cJSON_Delete(json);
    cli_ctx ctx = *d->ctx;
    ctx.project_path = d->project;
    ctx.argv_json = argv_json ? argv_json : "[]";
    fflush(stdout);
    int saved = -1;
    if (!echo) {
        int null = open("/dev/null", O_WRONLY);
        saved = dup(STDOUT_FILENO);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            close(null);
        }
    }
    int rc = c->run(&ctx, argc, argv);
    fflush(stdout);
    if (saved >= 0) {
        dup2(saved, STDOUT_FILENO);
        close(saved);
    }
    free(argv_json);
    if (rc && !d->failed)
        d->failed = rc;
    return rc;
}

#define STEP(d, ...) step_v(d, 1, (const char *const[]){__VA_ARGS__, NULL})
#define QUIET_STEP(d, ...) step_v(d, 0, (const char *const[]){__VA_ARGS__, NULL})

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("\n# ", stdout);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
}

/* ---- the reviewers' answers ------------------------------------------------ */

typedef struct answer {
    char stage[4];
    long long unit;
    char decision[16];
    char reason[96];
} answer;

typedef struct answers {
    answer *a;
    size_t n;
} answers;

/* fixtures/demo/screening/R.tsv: stage, unit, decision, reason, title. */
static int load_answers(const char *reviewer, answers *out)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/screening/%s.tsv", DEMO_DATA, reviewer);
    char *text = cli_read_file(path);
    out->a = NULL;
    out->n = 0;
    if (!text)
        return cli_error(EXIT_RUNTIME, "cannot read the demo answers '%s'", path);
    size_t cap = 0;
    int rc = 0;
    for (char *line = text; line && *line && !rc;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (*line != '#' && strncmp(line, "stage\t", 6) != 0 && *line) {
            answer a = {{0}, 0, {0}, {0}};
            char *f[4] = {line, NULL, NULL, NULL};
            for (int i = 1; i < 4 && f[i - 1]; i++) {
                char *tab = strchr(f[i - 1], '\t');
                if (tab) {
                    *tab = '\0';
                    f[i] = tab + 1;
                }
            }
            if (!f[3]) {
                rc = cli_error(EXIT_RUNTIME, "'%s': a line needs stage, unit, decision and "
                               "reason", path);
                break;
            }
            char *tab = strchr(f[3], '\t');
            if (tab)
                *tab = '\0';
            snprintf(a.stage, sizeof a.stage, "%s", f[0]);
            a.unit = atoll(f[1]);
            snprintf(a.decision, sizeof a.decision, "%s", f[2]);
            snprintf(a.reason, sizeof a.reason, "%s", f[3]);
            if (out->n == cap) {
                cap = cap ? cap * 2 : 256;
                answer *grown = realloc(out->a, cap * sizeof *grown);
                if (!grown) {
                    rc = cli_error(EXIT_RUNTIME, "out of memory");
                    break;
                }
                out->a = grown;
            }
            out->a[out->n++] = a;
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    return rc;
}

static const answer *find_answer(const answers *as, const char *stage, long long unit)
{
    for (size_t i = 0; i < as->n; i++)
        if (as->a[i].unit == unit && !strcmp(as->a[i].stage, stage))
            return &as->a[i];
    return NULL;
}

/* ---- filling a sheet ----------------------------------------------------- */

/* A parsed CSV: rows of cells, all owned by one buffer of NUL-ended cells. */
typedef struct csv_table {
    char **cells; /* row-major, row r starts at row_start[r] */
    size_t *row_start, *row_len;
    size_t n_rows, n_cells;
} csv_table;

static void csv_free(csv_table *t)
{
    for (size_t i = 0; i < t->n_cells; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->row_start);
    free(t->row_len);
}

/* Makes room for element n of a growing array whose capacity doubles at
 * each power of two (from 8). */
static int push(void **arr, size_t n, size_t size)
{
    if (n & (n - 1) && n > 8)
        return 0;
    void *grown = realloc(*arr, (n < 8 ? 8 : n * 2) * size);
    if (!grown)
        return -1;
    *arr = grown;
    return 0;
}

/* RFC 4180 as winnow's sheets are written: quoted cells, CRLF, a BOM. */
static int csv_parse(const char *s, csv_table *t)
{
    memset(t, 0, sizeof *t);
    if (!strncmp(s, "\xef\xbb\xbf", 3))
        s += 3;
    wn_buf cell = {0};
    int rc = 0, row_open = 0;
    while (*s && !rc) {
        if (!row_open) {
            if (*s == '\r' || *s == '\n') {
                s++;
                continue;
            }
            if (push((void **)&t->row_start, t->n_rows, sizeof *t->row_start) ||
                push((void **)&t->row_len, t->n_rows, sizeof *t->row_len))
                return -1;
            t->row_start[t->n_rows] = t->n_cells;
            t->row_len[t->n_rows] = 0;
            t->n_rows++;
            row_open = 1;
        }
        wn_buf_clear(&cell);
        if (*s == '"') {
            for (s++; *s; s++) {
                if (*s == '"' && s[1] == '"')
                    rc |= wn_buf_append(&cell, s++, 1);
                else if (*s == '"')
                    break;
                else
                    rc |= wn_buf_append(&cell, s, 1);
            }
            if (*s == '"')
                s++;
        } else {
            size_t n = strcspn(s, ",\r\n");
            rc |= wn_buf_append(&cell, s, n);
            s += n;
        }
        if (rc || push((void **)&t->cells, t->n_cells, sizeof *t->cells))
            break;
        t->cells[t->n_cells] = cell.len ? wn_strdup(cell.data) : wn_strdup("");
        if (!t->cells[t->n_cells])
            break;
        t->n_cells++;
        t->row_len[t->n_rows - 1]++;
        if (*s == ',')
            s++;
        else
            row_open = 0;
    }
    wn_buf_free(&cell);
    return rc;
}

static int csv_write(FILE *f, const csv_table *t)
{
    fputs("\xef\xbb\xbf", f);
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->row_len[r]; c++) {
            const char *v = t->cells[t->row_start[r] + c];
            fputs(c ? ",\"" : "\"", f);
            for (; *v; v++) {
                if (*v == '"')
                    fputc('"', f);
                fputc(*v, f);
            }
            fputc('"', f);
        }
        fputs("\r\n", f);
    }
    return ferror(f) ? -1 : 0;
}

static int column(const csv_table *t, size_t row, const char *name)
{
    for (size_t c = 0; c < t->row_len[row]; c++)
        if (!strcmp(t->cells[t->row_start[row] + c], name))
            return (int)c;
    return -1;
}

static int set_cell(csv_table *t, size_t row, int col, const char *value)
{
    if (col < 0 || (size_t)col >= t->row_len[row])
        return 0;
    char **cell = &t->cells[t->row_start[row] + (size_t)col];
    char *copy = wn_strdup(value);
    if (!copy)
        return -1;
    free(*cell);
    *cell = copy;
    return 0;
}

/* The reviewer does their work: each row of the exported sheet gets the
 * decision (and reason) from their answers. */
static int fill_sheet(const char *path, const char *stage, const answers *as, size_t *filled)
{
    char *text = cli_read_file(path);
    if (!text)
        return cli_error(EXIT_RUNTIME, "cannot read the sheet '%s'", path);
    csv_table t;
    int rc = csv_parse(text, &t) ? cli_error(EXIT_RUNTIME, "out of memory") : 0;
    free(text);
    /* Row 1 names the project, row 2 is the header. */
    int id_col = -1, unit_col = -1, dec_col = -1, why_col = -1;
    if (!rc && t.n_rows >= 2) {
        id_col = column(&t, 1, "id");
        unit_col = column(&t, 1, "unit");
        dec_col = column(&t, 1, "decision");
        why_col = column(&t, 1, "reason");
    }
    if (!rc && (id_col < 0 || dec_col < 0))
        rc = cli_error(EXIT_RUNTIME, "'%s' has no id and decision columns", path);
    *filled = 0;
    for (size_t r = 2; !rc && r < t.n_rows; r++) {
        int key = unit_col >= 0 ? unit_col : id_col;
        if ((size_t)key >= t.row_len[r])
            continue;
        const answer *a = find_answer(as, stage, atoll(t.cells[t.row_start[r] + (size_t)key]));
        if (!a)
            continue;
        if (set_cell(&t, r, dec_col, a->decision) ||
            set_cell(&t, r, why_col, a->decision[0] == 'e' ? a->reason : ""))
            rc = cli_error(EXIT_RUNTIME, "out of memory");
        (*filled)++;
    }
    if (!rc) {
        FILE *f = fopen(path, "wb");
        if (!f || csv_write(f, &t) || fclose(f))
            rc = cli_error(EXIT_RUNTIME, "cannot write the sheet '%s': %s", path,
                           strerror(errno));
    }
    csv_free(&t);
    return rc;
}

/* Each reviewer exports their sheet, fills it in, and imports it. */
static int screen_stage(demo *d, const char *stage, answers *as)
{
    for (int i = 0; i < N_REVIEWERS; i++) {
        char sheet[PATH_MAX + 64];
        snprintf(sheet, sizeof sheet, "%s/sheets/%s-%s.csv", d->dir, reviewers[i], stage);
        if (STEP(d, "sheet", "export", "--stage", stage, "--reviewer", reviewers[i], "-o",
                 sheet))
            return d->failed;
        size_t filled = 0;
        if (fill_sheet(sheet, stage, &as[i], &filled))
            return d->failed = EXIT_RUNTIME;
        say("%s fills in %s: %zu decisions (from %s/screening/%s.tsv)", reviewers[i], sheet,
            filled, DEMO_DATA, reviewers[i]);
        if (STEP(d, "sheet", "import", sheet))
            return d->failed;
    }
    return 0;
}

/* ---- conflicts and retrieval ----------------------------------------------- */

typedef struct resolution {
    long long unit;
    int by; /* reviewer index */
} resolution;

typedef struct conflicts {
    resolution *r;
    size_t n;
} conflicts;

static int collect_conflict(void *ctx, const wn_unit_state *u)
{
    conflicts *c = ctx;
    if (u->outcome != WN_OUTCOME_CONFLICT)
        return 0;
    /* The first reviewer not on the unit settles it. */
    int by = -1;
    for (int i = 0; i < N_REVIEWERS && by < 0; i++) {
        int on = 0;
        for (size_t k = 0; k < u->n_assigned; k++)
            on |= !strcmp(u->assigned[k], reviewers[i]);
        if (!on)
            by = i;
    }
    if (by < 0)
        return 0;
    if (push((void **)&c->r, c->n, sizeof *c->r))
        return WN_ENOMEM;
    c->r[c->n].unit = u->unit_id;
    c->r[c->n].by = by;
    c->n++;
    return 0;
}

static int resolve_conflicts(demo *d, answers *as)
{
    wn_project *p = cli_open_project(&(cli_ctx){d->project, "[]", "winnow"});
    if (!p)
        return d->failed = EXIT_RUNTIME;
    conflicts c = {NULL, 0};
    int rc = wn_stage_units_each(p, "ta", collect_conflict, &c);
    if (rc)
        cli_error(EXIT_RUNTIME, "%s", wn_project_errmsg(p));
    wn_project_close(p);
    if (rc) {
        free(c.r);
        return d->failed = EXIT_RUNTIME;
    }
    say("%zu units in conflict: a third reviewer settles each", c.n);
    STEP(d, "conflicts", "--stage", "ta");
    for (size_t i = 0; i < c.n && !d->failed; i++) {
        const answer *a = find_answer(&as[c.r[i].by], "ta", c.r[i].unit);
        if (!a)
            continue;
        char id[24];
        snprintf(id, sizeof id, "%lld", c.r[i].unit);
        if (a->decision[0] == 'e' && a->reason[0])
            STEP(d, "resolve", "--stage", "ta", id, a->decision, "--by", reviewers[c.r[i].by],
                 "--reason", a->reason);
        else
            STEP(d, "resolve", "--stage", "ta", id, a->decision, "--by", reviewers[c.r[i].by]);
    }
    free(c.r);
    return d->failed;
}

typedef struct retrieval {
    long long *report, *unit;
    size_t n;
} retrieval;

static int collect_report(void *ctx, const wn_report_info *r)
{
    retrieval *t = ctx;
    if (push((void **)&t->report, t->n, sizeof *t->report) ||
        push((void **)&t->unit, t->n, sizeof *t->unit))
        return WN_ENOMEM;
    t->report[t->n] = r->id;
    t->unit[t->n] = r->unit_id;
    t->n++;
    return 0;
}

/* Every report sought is found at its DOI. */
static int retrieve_full_texts(demo *d)
{
    wn_project *p = cli_open_project(&(cli_ctx){d->project, "[]", "winnow"});
    if (!p)
        return d->failed = EXIT_RUNTIME;
    retrieval t = {NULL, NULL, 0};
    int rc = wn_reports_each(p, "sought", collect_report, &t);
    char (*urls)[300] = t.n ? calloc(t.n, sizeof *urls) : NULL;
    wn_record *rec = wn_record_new();
    if (!rc && (!rec || (t.n && !urls)))
        rc = WN_ENOMEM;
    for (size_t i = 0; i < t.n && !rc; i++) {
        if ((rc = wn_unit_load(p, t.unit[i], rec)))
            break;
        const char *doi = wn_record_first(rec, WN_F_DOI);
        snprintf(urls[i], sizeof urls[i], "https://doi.org/%s", doi ? doi : "unknown");
    }
    if (rc)
        cli_error(EXIT_RUNTIME, "%s", rc == WN_ENOMEM ? "out of memory" : wn_project_errmsg(p));
    wn_record_free(rec);
    wn_project_close(p);
    say("the team retrieves the %zu reports sought (each found at its DOI)", t.n);
    for (size_t i = 0; i < t.n && !rc && !d->failed; i++) {
        char id[24];
        snprintf(id, sizeof id, "%lld", t.report[i]);
        step_v(d, i < 2, (const char *const[]){"fulltext", "retrieved", id, "--url", urls[i],
                                              NULL});
        if (i == 2)
            printf("... and %zu more like it\n", t.n - 2);
    }
    free(urls);
    free(t.report);
    free(t.unit);
    return rc ? (d->failed = EXIT_RUNTIME) : d->failed;
}

/* ---- the review -------------------------------------------------------------- */

/* fixtures/demo/sources.tsv: file, source, kind, searched_on, query file. */
static int import_searches(demo *d)
{
    char *list = cli_read_file(DEMO_DATA "/sources.tsv");
    if (!list)
        return d->failed = cli_error(EXIT_RUNTIME, "cannot read the demo data '%s/%s'",
                                     DEMO_DATA, "sources.tsv");
    for (char *line = list; line && *line && !d->failed;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (*line && *line != '#') {
            char *f[5] = {line, NULL, NULL, NULL, NULL};
            for (int i = 1; i < 5 && f[i - 1]; i++) {
                char *tab = strchr(f[i - 1], '\t');
                if (tab) {
                    *tab = '\0';
                    f[i] = tab + 1;
                }
            }
            if (!f[4]) {
                d->failed = cli_error(EXIT_RUNTIME, "%s/sources.tsv: a line needs file, "
                                      "source, kind, date and query file", DEMO_DATA);
                break;
            }
            char file[PATH_MAX], query[PATH_MAX];
            snprintf(file, sizeof file, "%s/%s", DEMO_DATA, f[0]);
            snprintf(query, sizeof query, "queries/%s", f[4]);
            STEP(d, "import", file, "--source", f[1], "--kind", f[2], "--searched-on", f[3],
                 "--query-file", query);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(list);
    return d->failed;
}

static int review(demo *d)
{
    answers as[N_REVIEWERS] = {{NULL, 0}};
    for (int i = 0; i < N_REVIEWERS; i++)
        if (load_answers(reviewers[i], &as[i]))
            goto done;

    say("1. identification: three database searches, each in its own export format");
    if (STEP(d, "init", d->project, "--title", "Health social workers and mental-health equity"
                                              " (winnow demo, synthetic records)") ||
        import_searches(d))
        goto done;

    say("2. deduplication: one unit per publication, every source kept");
    if (STEP(d, "dedup"))
        goto done;

    say("3. eligibility criteria (%s): peer reviewed, open access, 1990-2023; "
        "no preprints, protocols or other populations", DEMO_RULES);
    if (STEP(d, "filter", DEMO_RULES))
        goto done;

    say("4. title/abstract screening: two reviewers per unit, conflicts settled by a third");
    for (int i = 0; i < N_REVIEWERS; i++)
        if (STEP(d, "reviewer", "add", reviewers[i], reviewer_names[i]))
            goto done;
    if (STEP(d, "assign", "--stage", "ta", "--reviewers", "alice,bob,carol,dave",
             "--per-record", "2", "--seed", "7") ||
        screen_stage(d, "ta", as) || resolve_conflicts(d, as))
        goto done;

    say("5. full text: the included reports split evenly among the four reviewers");
    if (STEP(d, "policy", "--stage", "ft", "--reasons", ft_reasons) ||
        STEP(d, "assign", "--stage", "ft", "--reviewers", "alice,bob,carol,dave",
             "--per-record", "1", "--seed", "7") ||
        retrieve_full_texts(d) || screen_stage(d, "ft", as))
        goto done;

    say("6. the PRISMA 2020 flow, computed from the project");
    char csv[PATH_MAX + 64], svg[PATH_MAX + 64];
    snprintf(csv, sizeof csv, "%s/PRISMA.csv", d->dir);
    snprintf(svg, sizeof svg, "%s/flow.svg", d->dir);
    if (STEP(d, "prisma") || STEP(d, "prisma", "--csv", "-o", csv) ||
        STEP(d, "prisma", "--svg", "-o", svg))
        goto done;

    say("7. the audit trail: every change above, hash-chained");
    if (STEP(d, "audit", "verify"))
        goto done;

    say("8. for an auditor: the project and its inputs in one archive, rebuilt from scratch");
    char tar[PATH_MAX + 64], rerun[PATH_MAX + 64];
    snprintf(tar, sizeof tar, "%s/review.tar", d->dir);
    snprintf(rerun, sizeof rerun, "%s/rerun", d->dir);
    if (!STEP(d, "bundle", "-o", tar))
        STEP(d, "rerun", "--from", tar, "--dir", rerun);
done:
    for (int i = 0; i < N_REVIEWERS; i++)
        free(as[i].a);
    return d->failed;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *dir = NULL, *data = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {
        {"dir", 'd', 1, &dir}, {"data", 0, 1, &data}, {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_demo, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    if (!dir)
        dir = "winnow-demo";
    if (!data)
        data = getenv("WINNOW_DATA_DIR") ? getenv("WINNOW_DATA_DIR") : WINNOW_DATA_DIR;
    demo d = {ctx, "", "", 0};
    char sheets[PATH_MAX + 8];
    snprintf(sheets, sizeof sheets, "%s/sheets", dir);
    if ((mkdir(dir, 0777) != 0 && errno != EEXIST) ||
        (mkdir(sheets, 0777) != 0 && errno != EEXIST) || !realpath(dir, d.dir))
        return cli_error(EXIT_RUNTIME, "cannot create '%s': %s", dir, strerror(errno));
    /* The demo always starts from a fresh project in its own folder. */
    snprintf(d.project, sizeof d.project, "%s/demo.winnow", d.dir);
    const char *const sides[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char side[PATH_MAX + 80];
        snprintf(side, sizeof side, "%s%s", d.project, sides[i]);
        unlink(side);
    }
    /* Commands name the bundled files relative to the source folder, as a
     * user working in it would. */
    int home = open(".", O_RDONLY | O_DIRECTORY);
    if (chdir(data) != 0) {
        if (home >= 0)
            close(home);
        return cli_error(EXIT_RUNTIME, "cannot use the demo data in '%s' (set --data to the "
                         "winnow source folder): %s", data, strerror(errno));
    }
    printf("winnow demo review: synthetic records, modelled on a published review of health\n"
           "social workers and mental-health equity. Working in %s; project %s\n",
           data, d.project);
    int rc = review(&d);
    if (home >= 0) {
        if (fchdir(home) != 0)
            rc = rc ? rc : cli_error(EXIT_RUNTIME, "cannot return to the working folder");
        close(home);
    }
    if (!rc)
        printf("\ndemo complete: project %s, PRISMA.csv and flow.svg in %s\n", d.project, d.dir);
    return rc ? EXIT_RUNTIME : EXIT_OK;
}

const cli_command cmd_demo = {
    "demo",
    "run the bundled demo review, end to end",
    "demo [--dir DIR] [--data SRCDIR]",
    "Runs a complete review on the bundled demo data (synthetic records in\n"
    "fixtures/demo, criteria in queries/demo): imports three database searches\n"
    "(Scopus CSV, Web of Science text, Google Scholar via Publish or Perish\n"
    "RIS), removes duplicates, applies the eligibility criteria, screens titles\n"
    "and abstracts with two reviewers per unit (conflicts settled by a third),\n"
    "assesses full texts split among four reviewers (decisions arrive as filled\n"
    "sheets), then prints the PRISMA 2020 flow, writes PRISMA.csv and flow.svg,\n"
    "verifies the audit trail, bundles the review and re-runs the bundle. Every\n"
    "step is printed as the command a user would type, and run as one.\n"
    "\n"
    "Writes DIR/demo.winnow (replacing an earlier demo project there), the\n"
    "sheets in DIR/sheets, DIR/PRISMA.csv, DIR/flow.svg, the bundle\n"
    "DIR/review.tar and its re-run in DIR/rerun.\n"
    "\n"
    "  --dir DIR       where the demo's files go (default: winnow-demo)\n"
    "  --data SRCDIR   the winnow source folder holding fixtures/ and queries/\n"
    "                  (default: the folder winnow was built from, or\n"
    "                  $WINNOW_DATA_DIR)\n",
    run,
};
