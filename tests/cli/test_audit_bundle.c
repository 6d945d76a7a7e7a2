/* Bundles and re-runs: a small review bundled and rebuilt from its log
 * gives the same PRISMA numbers; a change made outside any command line
 * shows as a difference; a damaged archive is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "support.h"

static char dir[4096];

#define IN_DIR(out, err, ...) t_winnow(dir, NULL, out, err, (const char *const[]){__VA_ARGS__, NULL})
/* Runs a command in the review's folder that must succeed. */
#define MUST(...) must((const char *const[]){__VA_ARGS__, NULL})

static void must(const char *const *args)
{
    char *out = NULL, *err = NULL;
    int rc = t_winnow(dir, NULL, &out, &err, args);
    if (rc)
        fail_msg("winnow %s: exit %d\nstdout: %s\nstderr: %s", args[0], rc, out, err);
    free(out);
    free(err);
}

static void write_text(const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A review of three records screened by one reviewer, built by commands
 * run in its own folder. */
static int make_review(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s", t_tmp_path("bundle-review"));
    mkdir(dir, 0777);
    write_text("search.ris",
               "TY  - JOUR\nTI  - Hospital social workers and mental health equity\nPY  - 2020\n"
               "DO  - 10.5555/b.1\nER  - \n\n"
               "TY  - JOUR\nTI  - Stigma and help-seeking in primary care\nPY  - 2019\n"
               "DO  - 10.5555/b.2\nER  - \n\n"
               "TY  - JOUR\nTI  - Loneliness in later life: a national survey\nPY  - 2018\n"
               "DO  - 10.5555/b.3\nER  - \n");
    write_text("query.txt", "\"social work*\" AND \"mental health\"\n");
    MUST("init", "review.winnow", "--title", "Bundle test");
    MUST("import", "search.ris", "--source", "Scopus", "--query-file", "query.txt");
    MUST("reviewer", "add", "alice", "Alice N.");
    MUST("assign", "--stage", "ta", "--reviewers", "alice", "--per-record", "1");
    const char *votes[][2] = {{"1", "include"}, {"2", "exclude"}, {"3", "include"}};
    for (int i = 0; i < 3; i++)
        MUST("decide", "--stage", "ta", "--reviewer", "alice", votes[i][0], votes[i][1]);
    return 0;
}

/* rerun --json of a fresh bundle of the review: its parsed output. */
static cJSON *bundle_and_rerun(const char *name, int want_exit)
{
    char tar[128], rerun_dir[128];
    snprintf(tar, sizeof tar, "%s.tar", name);
    snprintf(rerun_dir, sizeof rerun_dir, "%s-rerun", name);
    MUST("bundle", "-o", tar);
    char *out = NULL, *err = NULL;
    int rc = IN_DIR(&out, &err, "rerun", "--from", tar, "--dir", rerun_dir, "--json");
    if (rc != want_exit)
        fail_msg("rerun: exit %d, expected %d\nstdout: %s\nstderr: %s", rc, want_exit, out, err);
    cJSON *o = cJSON_Parse(out);
    assert_non_null(o);
    free(out);
    free(err);
    return o;
}

static void test_rerun_reproduces_the_review(void **state)
{
    (void)state;
    cJSON *o = bundle_and_rerun("same", 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "identical")));
    assert_int_equal(cJSON_GetObjectItem(o, "failed")->valueint, 0);
    assert_int_equal(cJSON_GetObjectItem(o, "skipped")->valueint, 0);
    /* every entry after the creation was replayed */
    assert_int_equal(cJSON_GetObjectItem(o, "replayed")->valueint,
                     cJSON_GetObjectItem(o, "entries")->valueint - 1);
    assert_true(cJSON_GetObjectItem(o, "numbers")->valueint > 10);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "differences")), 0);
    cJSON_Delete(o);

    /* The archive is a plain ustar file: manifest, project, inputs by hash. */
    char path[4200];
    snprintf(path, sizeof path, "%s/same.tar", dir);
    wn_bundle b;
    wn_err err;
    assert_int_equal(wn_bundle_read(path, &b, &err), 0);
    assert_non_null(wn_bundle_find(&b, "review/project.winnow"));
    snprintf(path, sizeof path, "%s/search.ris", dir);
    char *sha = t_sha256_file(path);
    char member[128];
    snprintf(member, sizeof member, "review/files/%s", sha);
    assert_non_null(wn_bundle_find(&b, member));
    const wn_bundle_member *m = wn_bundle_find(&b, "review/manifest.json");
    assert_non_null(strstr((const char *)m->data, "\"search.ris\""));
    assert_non_null(strstr((const char *)m->data, "\"query.txt\""));
    free(sha);
    wn_bundle_free(&b);
}

static void test_change_outside_the_log_shows(void **state)
{
    (void)state;
    /* A decision written by a program, not a command line: audited, but
     * nothing a re-run can replay. */
    char project[4200];
    snprintf(project, sizeof project, "%s/review.winnow", dir);
    wn_project *p;
    wn_err err;
    assert_int_equal(wn_project_open(&p, project, &err), 0);
    wn_actor actor = {"a script", "alice"};
    wn_decision d = {"ta", 3, "alice", NULL, "exclude", NULL, NULL};
    assert_int_equal(wn_decision_add(p, &d, &actor), 0);
    wn_project_close(p);

    cJSON *o = bundle_and_rerun("changed", 1);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(o, "identical")));
    assert_int_equal(cJSON_GetObjectItem(o, "skipped")->valueint, 1);
    cJSON *diffs = cJSON_GetObjectItem(o, "differences");
    assert_true(cJSON_GetArraySize(diffs) > 0);
    /* the screening numbers moved: the bundled project excluded one more */
    int found = 0;
    cJSON *it;
    cJSON_ArrayForEach(it, diffs)
    {
        cJSON *x = cJSON_GetObjectItem(it, "bundled"), *y = cJSON_GetObjectItem(it, "rerun");
        found |= cJSON_IsNumber(x) && cJSON_IsNumber(y) && x->valuedouble != y->valuedouble;
    }
    assert_true(found);
    cJSON_Delete(o);
}

static void test_damaged_bundle_is_refused(void **state)
{
    (void)state;
    char path[4200];
    snprintf(path, sizeof path, "%s/same.tar", dir);
    size_t len;
    char *data = t_read_file(path, &len);
    data[10] ^= 0x20; /* a letter of the first member's name */
    snprintf(path, sizeof path, "%s/damaged.tar", dir);
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    free(data);
    char *out = NULL, *err = NULL;
    assert_int_equal(IN_DIR(&out, &err, "rerun", "--from", "damaged.tar"), 1);
    assert_non_null(strstr(err, "damaged"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rerun_reproduces_the_review),
        cmocka_unit_test(test_change_outside_the_log_shows),
        cmocka_unit_test(test_damaged_bundle_is_refused),
    };
    return cmocka_run_group_tests(tests, make_review, NULL);
}
