/* Team screening from the command line, by the documented syntax: exit
 * codes, messages, and what lands in the project. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "support.h"

#define RUN(out, err, ...) t_winnow(NULL, NULL, out, err, (const char *const[]){__VA_ARGS__, NULL})

static const char *project;

/* Runs winnow -p PROJECT ARGS and returns its exit status; stdout and
 * stderr are kept in out/err (freed at the next call). */
static char *out, *err;
static int w(const char *const *args)
{
    free(out);
    free(err);
    out = err = NULL;
    const char *argv[32] = {"-p", project};
    size_t n = 2;
    for (size_t i = 0; args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return t_winnow(NULL, NULL, &out, &err, argv);
}
#define W(...) w((const char *const[]){__VA_ARGS__, NULL})

static void expect_out(const char *part)
{
    if (!out || !strstr(out, part))
        fail_msg("stdout '%s' does not mention '%s' (stderr: %s)", out ? out : "", part,
                 err ? err : "");
}

static void expect_err(const char *part)
{
    if (!err || !strstr(err, part))
        fail_msg("stderr '%s' does not mention '%s'", err ? err : "", part);
}

static cJSON *json_out(void)
{
    cJSON *j = cJSON_Parse(out);
    if (!j)
        fail_msg("not JSON: %s", out ? out : "");
    return j;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v))
        fail_msg("no number '%s'", key);
    return v->valuedouble;
}

/* Rewrites a sheet's empty decision cells with decision (and reason). */
static void fill_sheet(const char *path, const char *decision, const char *reason)
{
    size_t len;
    char *text = t_read_file(path, &len);
    wn_buf b = WN_BUF_INIT;
    char with[256];
    snprintf(with, sizeof with, "\"%s\",\"%s\",\"\"\r\n", decision, reason);
    const char *s = text;
    for (const char *hit; (hit = strstr(s, "\"\",\"\",\"\"\r\n")); s = hit + 10) {
        wn_buf_append(&b, s, (size_t)(hit - s));
        wn_buf_puts(&b, with);
    }
    wn_buf_puts(&b, s);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(b.data, 1, b.len, f);
    fclose(f);
    wn_buf_free(&b);
    free(text);
}

static void test_screening_workflow(void **state)
{
    (void)state;
    project = t_tmp_path("screening-cli.winnow");
    remove(project);
    const char *ris = t_tmp_path("screening-cli.ris");
    FILE *f = fopen(ris, "w");
    assert_non_null(f);
    for (int i = 1; i <= 12; i++)
        fprintf(f, "TY  - JOUR\nTI  - Social work study %d\nPY  - 2021\nAB  - Abstract %d.\n"
                   "ER  - \n\n", i, i);
    fclose(f);
    assert_int_equal(RUN(NULL, NULL, "init", project), 0);
    assert_int_equal(W("import", ris, "--source", "Scopus"), 0);

    /* Reviewers. */
    assert_int_equal(W("reviewer", "add", "alice", "Alice N.", "--email", "a@example.org"), 0);
    assert_int_equal(W("reviewer", "add", "bob", "Bob M."), 0);
    assert_int_equal(W("reviewer", "add", "carol", "Carol T."), 0);
    assert_int_equal(W("reviewer", "add", "alice", "Again"), 1);
    expect_err("already exists");
    assert_int_equal(W("reviewer", "add", "dave"), 2);
    assert_int_equal(W("reviewer", "list", "--json"), 0);
    cJSON *j = json_out();
    assert_int_equal(cJSON_GetArraySize(j), 3);
    cJSON_Delete(j);

    /* Allocation: usage errors first. */
    assert_int_equal(W("assign", "--stage", "xx", "--reviewers", "alice", "--per-record", "1"), 2);
    assert_int_equal(W("assign", "--stage", "ta", "--reviewers", "alice,bob", "--per-record", "2",
                       "--share", "zed=50"),
                     2);
    assert_int_equal(W("assign", "--stage", "ta", "--reviewers", "alice,bob,zed", "--per-record",
                       "2"),
                     1);
    expect_err("unknown reviewer 'zed'");
    assert_int_equal(W("assign", "--stage", "ta", "--reviewers", "alice,bob", "--per-record", "2",
                       "--seed", "7", "--json"),
                     0);
    j = json_out();
    assert_int_equal((int)num(j, "units"), 12);
    assert_int_equal((int)num(j, "assignments"), 24);
    cJSON_Delete(j);
    assert_int_equal(W("assign", "--stage", "ta", "--reviewers", "alice,bob", "--per-record", "2"),
                     1);
    expect_err("--only-new");

    /* Sheets: alice includes all, bob excludes all. */
    const char *sa = t_tmp_path("cli-alice.csv"), *sb = t_tmp_path("cli-bob.csv");
    char sa_copy[4096], sb_copy[4096];
    snprintf(sa_copy, sizeof sa_copy, "%s", sa);
    snprintf(sb_copy, sizeof sb_copy, "%s", sb);
    assert_int_equal(W("sheet", "export", "--stage", "ta", "--reviewer", "alice", "-o", sa_copy), 0);
    assert_int_equal(W("sheet", "export", "--stage", "ta", "--reviewer", "bob", "-o", sb_copy), 0);
    fill_sheet(sa_copy, "include", "");
    fill_sheet(sb_copy, "exclude", "wrong population");
    assert_int_equal(W("sheet", "import", sa_copy, "--stage", "ft"), 1);
    expect_err("row 1: the sheet is for stage ta, not ft");
    expect_err("nothing was imported");
    assert_int_equal(W("sheet", "import", sa_copy), 0);
    expect_out("12 decisions recorded");
    assert_int_equal(W("sheet", "import", sb_copy, "--json"), 0);
    j = json_out();
    assert_int_equal((int)num(j, "recorded"), 12);
    cJSON_Delete(j);

    /* Status and conflicts: everything disagrees. */
    assert_int_equal(W("status", "--json"), 0);
    j = json_out();
    const cJSON *ta = cJSON_GetArrayItem(j, 0);
    assert_int_equal((int)num(ta, "conflict"), 12);
    assert_int_equal((int)num(ta, "pending"), 0);
    cJSON_Delete(j);
    assert_int_equal(W("conflicts", "--stage", "ta"), 0);
    expect_out("12 conflicts, 0 awaiting votes");
    expect_out("bob:exclude (wrong population)");

    /* Policy: either includes; then back to agreement, and resolve two. */
    assert_int_equal(W("policy", "--stage", "ta", "maybe-counts-as-include; any-include-includes"),
                     0);
    assert_int_equal(W("status", "--stage", "ta", "--json"), 0);
    j = json_out();
    assert_int_equal((int)num(cJSON_GetArrayItem(j, 0), "include"), 12);
    cJSON_Delete(j);
    assert_int_equal(W("policy", "--stage", "ta", "both-must-dance"), 1);
    expect_err("unknown policy term 'both-must-dance'");
    assert_int_equal(W("policy", "--stage", "ta", "all-must-agree"), 0);
    assert_int_equal(W("resolve", "--stage", "ta", "1", "include", "--by", "carol"), 0);
    assert_int_equal(W("resolve", "--stage", "ta", "2", "include", "--by", "carol"), 0);
    assert_int_equal(W("resolve", "--stage", "ta", "3", "exclude", "--by", "carol", "--reason",
                       "wrong design"),
                     0);
    assert_int_equal(W("resolve", "--stage", "ta", "3", "maybe", "--by", "carol"), 2);
    assert_int_equal(W("decide", "--stage", "ta", "--reviewer", "carol", "4", "include"), 1);
    expect_err("not assigned to 'carol'");
    assert_int_equal(W("decide", "--stage", "ta", "--reviewer", "alice", "4", "perhaps"), 1);
    expect_err("unknown decision 'perhaps'");
    assert_int_equal(W("decide", "--stage", "ta", "--reviewer", "alice", "4", "exclude"), 0);
    /* The newer vote counts; the log keeps what it replaced. */
    assert_int_equal(W("log"), 0);
    expect_out("ta vote by alice on 4: include -> exclude");
    assert_int_equal(W("status", "--stage", "ta"), 0);
    expect_out("ta: 12 units: 2 included, 2 excluded, 8 conflicts, 0 pending");
    assert_int_equal(W("agreement", "--stage", "ta", "--json"), 0);
    j = json_out();
    const cJSON *pairs = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "main"), "pairs");
    assert_int_equal(cJSON_GetArraySize(pairs), 1);
    assert_int_equal((int)num(cJSON_GetArrayItem(pairs, 0), "n"), 12);
    cJSON_Delete(j);

    /* Full text: reports for the two included units. */
    assert_int_equal(W("policy", "--stage", "ft", "--reasons", "no outcome data; not a trial"), 0);
    assert_int_equal(W("assign", "--stage", "ft", "--reviewers", "alice,bob", "--per-record", "1"),
                     0);
    expect_out("2 new reports sought");
    assert_int_equal(W("fulltext", "list", "--json"), 0);
    j = json_out();
    assert_int_equal(cJSON_GetArraySize(j), 2);
    cJSON_Delete(j);
    assert_int_equal(W("fulltext", "retrieved", "1", "--path", "/pdfs/1.pdf"), 0);
    assert_int_equal(W("fulltext", "retrieved", "1"), 2);
    assert_int_equal(W("fulltext", "not-retrieved", "2", "--reason", "no access"), 0);
    assert_int_equal(W("fulltext", "link", "2", "--study", "1"), 0);
    assert_int_equal(W("fulltext", "retrieved", "99", "--url", "http://x"), 1);
    expect_err("no report 99");
    assert_int_equal(W("fulltext", "list", "--status", "not_retrieved"), 0);
    expect_out("no access");
    assert_int_equal(W("conflicts", "--stage", "ft", "--json"), 0);
    j = json_out();
    assert_int_equal((int)num(j, "awaiting_votes"), 1); /* report 2 is out */
    cJSON_Delete(j);
    assert_int_equal(W("policy", "--json"), 0);
    j = json_out();
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 1), "reasons")),
                     2);
    cJSON_Delete(j);

    /* A reviewer leaves: their open work moves, their decisions stay. */
    assert_int_equal(W("reviewer", "leave", "alice", "--to", "carol"), 0);
    expect_out("handed over");
    assert_int_equal(W("reviewer", "list"), 0);
    expect_out("left");
    free(out);
    free(err);
    out = err = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screening_workflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
