/* libFuzzer target: arbitrary bytes as a filled screening sheet, imported
 * into a small project (four records; alice and bob on every one at ta,
 * alice on two reports at ft, a reasons list at ta). The first "PROJECT" in
 * the input becomes the project's id, so inputs get past the sheet's first
 * row. Besides memory errors it checks that an import either succeeds with
 * sane counts or fails with every problem naming the sheet and a row, and
 * that a failed import writes no decision. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "winnow/winnow.h"

static wn_project *project;
static char path[256], input[256];
static const wn_actor actor = {"[\"fuzz\"]", "fuzz"};

static void remove_files(void)
{
    wn_project_close(project);
    char side[300];
    unlink(path);
    unlink(input);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static void must(int rc)
{
    if (rc) {
        fprintf(stderr, "fuzz_sheet setup: %s\n", project ? wn_project_errmsg(project) : "");
        abort();
    }
}

static void set_up(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/winnow-fuzz-sheet-%ld.winnow", tmp ? tmp : "/tmp",
             (long)getpid());
    snprintf(input, sizeof input, "%s.ris", path);
    unlink(path);
    FILE *f = fopen(input, "wb");
    if (!f)
        abort();
    for (int i = 1; i <= 4; i++)
        fprintf(f, "TY  - JOUR\nTI  - Record %d\nAB  - Abstract %d.\nER  - \n\n", i, i);
    fclose(f);
    wn_err err;
    must(wn_project_create(&project, path, "Fuzz", &err));
    atexit(remove_files);
    wn_import_opts io = {0};
    io.path = input;
    io.source_name = "Fuzz";
    wn_import_result ir;
    must(wn_import_file(project, &io, &actor, &ir));
    must(wn_reviewer_add(project, "alice", "Alice", NULL, &actor));
    must(wn_reviewer_add(project, "bob", "Bob", NULL, &actor));
    const char *team[] = {"alice", "bob"};
    wn_assign_opts ta = {"ta", team, 2, NULL, 2, 1, 0, 0};
    wn_assign_result ar;
    must(wn_assign(project, &ta, &actor, &ar));
    const char *reasons[] = {"wrong population", "wrong design"};
    must(wn_reasons_set(project, "ta", reasons, 2, &actor));
    wn_decision ds[] = {{"ta", 1, "alice", NULL, "include", NULL, NULL},
                        {"ta", 1, "bob", NULL, "include", NULL, NULL},
                        {"ta", 2, "alice", NULL, "include", NULL, NULL},
                        {"ta", 2, "bob", NULL, "maybe", NULL, NULL}};
    must(wn_decisions_add(project, ds, 4, &actor));
    wn_assign_opts ft = {"ft", team, 1, NULL, 1, 1, 0, 0};
    must(wn_assign(project, &ft, &actor, &ar));
}

static int count_decision(void *ctx, const wn_unit_state *u)
{
    *(size_t *)ctx += u->n_votes;
    return 0;
}

/* Newest votes at both stages: what a failed import must leave alone. */
static size_t votes(void)
{
    size_t n = 0;
    if (wn_stage_units_each(project, "ta", count_decision, &n) ||
        wn_stage_units_each(project, "ft", count_decision, &n))
        abort();
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!project)
        set_up();
    char *id = wn_project_get_meta(project, "id");
    if (!id)
        abort();
    /* The input with its first "PROJECT" replaced by the project's id. */
    size_t id_len = strlen(id);
    char *text = malloc(size + id_len + 1);
    if (!text)
        abort();
    size_t n = 0;
    const char *hit = NULL;
    for (size_t i = 0; !hit && i + 7 <= size; i++)
        if (!memcmp(data + i, "PROJECT", 7))
            hit = (const char *)data + i;
    if (hit) {
        size_t before = (size_t)(hit - (const char *)data);
        memcpy(text, data, before);
        memcpy(text + before, id, id_len);
        memcpy(text + before + id_len, hit + 7, size - before - 7);
        n = size - 7 + id_len;
    } else {
        memcpy(text, data, size);
        n = size;
    }
    size_t before_votes = votes();
    wn_sheet_result res;
    int rc = wn_sheet_import(project, "fuzz.csv", text, n, NULL, NULL, &actor, &res);
    if (rc == 0) {
        if (res.n_problems || res.written + res.unchanged + res.blank > res.rows)
            abort();
    } else if (rc == WN_EPARSE) {
        if (!res.n_problems || votes() != before_votes)
            abort();
        for (size_t i = 0; i < res.n_problems; i++)
            if (strncmp(res.problems[i], "'fuzz.csv' row ", 15))
                abort();
    } else if (rc != WN_EFORMAT) {
        fprintf(stderr, "fuzz_sheet: unexpected %d: %s\n", rc, wn_project_errmsg(project));
        abort();
    }
    wn_sheet_result_free(&res);
    free(text);
    free(id);
    return 0;
}
