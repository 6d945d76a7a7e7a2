/* The winnow command run as a user would: exit codes, messages, and what
 * lands in the project. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "support.h"

#define RUN(out, err, ...) t_winnow(NULL, NULL, out, err, (const char *const[]){__VA_ARGS__, NULL})

static char fixture[4][4096];

static const char *demo_file(int slot, const char *name)
{
    snprintf(fixture[slot], sizeof fixture[slot], "%s/fixtures/demo/%s", WINNOW_SOURCE_DIR, name);
    return fixture[slot];
}

/* One line on stderr, starting with "winnow". */
static void assert_one_line_error(const char *err, const char *part)
{
    assert_non_null(err);
    if (!strstr(err, part))
        fail_msg("stderr '%s' does not mention '%s'", err, part);
    const char *nl = strchr(err, '\n');
    assert_non_null(nl);
    assert_int_equal(nl[1], '\0');
    assert_int_equal(strncmp(err, "winnow", 6), 0);
}

static const char *new_project(const char *name)
{
    const char *path = t_tmp_path(name);
    int rc = RUN(NULL, NULL, "init", path, "--title", "CLI test");
    assert_int_equal(rc, 0);
    return path;
}

static void test_init_and_usage_errors(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    const char *path = t_tmp_path("init.winnow");
    assert_int_equal(RUN(&out, &err, "init", path, "--title", "Health social workers"), 0);
    assert_non_null(strstr(out, "created project"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "init", path), 1);
    assert_one_line_error(err, "already exists");
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "init"), 2);
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "frobnicate"), 2);
    assert_one_line_error(err, "unknown command 'frobnicate'");
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", path, "import", demo_file(0, "scopus.ris")), 2);
    assert_non_null(strstr(err, "--source"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", path, "import", demo_file(0, "scopus.ris"),
                         "--source", "Scopus", "--searched-on", "2 Nov 2023"),
                     2);
    assert_non_null(strstr(err, "YYYY-MM-DD"));
    free(out);
    free(err);
}

static void test_import_sources_records_show(void **state)
{
    (void)state;
    const char *path = new_project("flow.winnow");
    char query[4096];
    snprintf(query, sizeof query, "%s/queries/demo/scopus-query.txt", WINNOW_SOURCE_DIR);
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "-p", path, "import", demo_file(0, "scopus.ris"), "--source",
                         "Scopus", "--searched-on", "2023-11-02", "--query-file", query),
                     0);
    assert_non_null(strstr(out, "read 4 records, 0 warnings"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", path, "import", demo_file(1, "wos.bib"), "--source",
                         "Web of Science"),
                     0);
    assert_non_null(strstr(out, "read 3 records"));
    free(out);
    free(err);

    /* sources --json carries every fact of the import. */
    assert_int_equal(RUN(&out, &err, "-p", path, "sources", "--json"), 0);
    cJSON *arr = cJSON_Parse(out);
    assert_non_null(arr);
    assert_int_equal(cJSON_GetArraySize(arr), 2);
    cJSON *s0 = cJSON_GetArrayItem(arr, 0);
    assert_string_equal(cJSON_GetObjectItem(s0, "name")->valuestring, "Scopus");
    assert_string_equal(cJSON_GetObjectItem(s0, "format")->valuestring, "ris");
    assert_int_equal(cJSON_GetObjectItem(s0, "records")->valueint, 4);
    assert_string_equal(cJSON_GetObjectItem(s0, "searched_on")->valuestring, "2023-11-02");
    assert_non_null(strstr(cJSON_GetObjectItem(s0, "query")->valuestring, "social work*"));
    char *sha = t_sha256_file(demo_file(0, "scopus.ris"));
    assert_string_equal(cJSON_GetObjectItem(s0, "sha256")->valuestring, sha);
    free(sha);
    cJSON_Delete(arr);
    free(out);
    free(err);

    /* records: all, filtered, as JSON */
    assert_int_equal(RUN(&out, &err, "-p", path, "records"), 0);
    assert_non_null(strstr(out, "7 records"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", path, "records", "--source", "Web of Science", "--json"),
                     0);
    arr = cJSON_Parse(out);
    assert_non_null(arr);
    assert_int_equal(cJSON_GetArraySize(arr), 3);
    cJSON *r0 = cJSON_GetArrayItem(arr, 0);
    assert_string_equal(cJSON_GetObjectItem(r0, "source_ref")->valuestring,
                        "WOS:000000000000001");
    assert_int_equal(cJSON_GetObjectItem(r0, "year")->valueint, 2022);
    cJSON_Delete(arr);
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", path, "records", "--source", "Embase"), 1);
    assert_one_line_error(err, "no source 'Embase'");
    free(out);
    free(err);

    /* show: fields, file:line, raw text as in the file */
    assert_int_equal(RUN(&out, &err, "-p", path, "show", "2"), 0);
    assert_non_null(strstr(out, "scopus.ris line 25"));
    assert_non_null(strstr(out, "Addressing racial disparities in psychiatric discharge"));
    assert_non_null(strstr(out, "end_page       109"));
    assert_non_null(strstr(out, "AU  - Hart, S.J.\n"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", path, "show", "999"), 1);
    assert_one_line_error(err, "no record 999");
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", path, "show", "x"), 2);
    free(out);
    free(err);
}

static void test_refusals_leave_project_unchanged(void **state)
{
    (void)state;
    const char *path = new_project("refuse.winnow");
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "-p", path, "import", demo_file(0, "scopus.ris"), "--source",
                         "Scopus"),
                     0);
    free(out);
    free(err);
    char *before = t_sha256_file(path);

    const char *empty = t_tmp_path("empty.ris");
    FILE *f = fopen(empty, "w");
    fclose(f);
    assert_int_equal(RUN(&out, &err, "-p", path, "import", empty, "--source", "Scopus"), 1);
    assert_one_line_error(err, "empty.ris");
    free(out);
    free(err);

    assert_int_equal(RUN(&out, &err, "-p", path, "import", demo_file(0, "scopus.ris"), "--source",
                         "Scopus"),
                     1);
    assert_one_line_error(err, "already imported");
    free(out);
    free(err);

    assert_int_equal(RUN(&out, &err, "-p", path, "import", demo_file(0, "scopus.ris"), "--source",
                         "Other", "--format", "bibtex"),
                     1);
    assert_one_line_error(err, "scopus.ris");
    free(out);
    free(err);

    /* A record cut off in the middle: the BibTeX entry is never closed. */
    const char *cut = t_tmp_path("cut.bib");
    f = fopen(cut, "w");
    fputs("@article{a1,\n  title = {Complete},\n}\n\n@article{a2,\n  title = {Cut off\n", f);
    fclose(f);
    assert_int_equal(RUN(&out, &err, "-p", path, "import", cut, "--source", "WoS"), 1);
    assert_one_line_error(err, "cut.bib");
    assert_non_null(strstr(err, "line 5"));
    free(out);
    free(err);

    t_assert_file_unchanged(path, before);
}

static void test_legacy_encoding_warns_with_line(void **state)
{
    (void)state;
    const char *path = new_project("latin1.winnow");
    const char *file = t_tmp_path("latin1.ris");
    FILE *f = fopen(file, "wb");
    fputs("TY  - JOUR\nTI  - Sant\xE9 mentale et travail social\nAU  - B\xE9" "dard, Ren\xE9\nER  - \n", f);
    fclose(f);
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "-p", path, "import", file, "--source", "Cairn"), 0);
    assert_non_null(strstr(out, "read 1 records, 1 warnings"));
    assert_non_null(strstr(err, "line 2"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", path, "sources", "--warnings"), 0);
    assert_non_null(strstr(out, "latin1.ris:2:"));
    assert_non_null(strstr(out, "windows-1252"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", path, "records", "--json"), 0);
    assert_non_null(strstr(out, "Sant\xC3\xA9 mentale"));
    assert_non_null(strstr(out, "B\xC3\xA9" "dard, Ren\xC3\xA9"));
    free(out);
    free(err);
    /* Said explicitly, the encoding is no longer a guess: no warning. */
    assert_int_equal(RUN(&out, &err, "-p", path, "import", file, "--source", "Cairn latin1",
                         "--encoding", "latin1"),
                     0);
    assert_non_null(strstr(out, "read 1 records, 0 warnings"));
    free(out);
    free(err);
}

static void test_validate_reconciles_and_flags(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    /* No project is needed, and counts reconcile against --expect. */
    assert_int_equal(RUN(&out, &err, "validate", demo_file(0, "scopus.ris"), "--expect", "4"), 0);
    assert_non_null(strstr(out, "4 records, 0 warnings, 0 look broken"));
    assert_non_null(strstr(out, "matches the 4 expected"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "validate", demo_file(0, "scopus.ris"), demo_file(1, "wos.bib"),
                         "--expect", "8"),
                     1);
    assert_non_null(strstr(out, "7 records in 2 files, but 8 expected: 1 missing"));
    free(out);
    free(err);

    /* Records run together, an absurd year, no title. */
    const char *file = t_tmp_path("broken.ris");
    FILE *f = fopen(file, "w");
    fputs("TY  - JOUR\nTI  - First\nPY  - 2019\n"
          "AB  - An abstract that swallowed the next record TY  - JOUR TI  - Second\nER  - \n\n"
          "TY  - JOUR\nTI  - Third\nPY  - 20199\nER  - \n\n"
          "TY  - JOUR\nAU  - Nobody, A.\nER  - \n",
          f);
    fclose(f);
    assert_int_equal(RUN(&out, &err, "validate", file, "--json"), 0);
    cJSON *root = cJSON_Parse(out);
    assert_non_null(root);
    cJSON *f0 = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "files"), 0);
    assert_string_equal(cJSON_GetObjectItem(f0, "format")->valuestring, "ris");
    assert_int_equal(cJSON_GetObjectItem(f0, "records")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(f0, "broken_count")->valueint, 3);
    cJSON *broken = cJSON_GetObjectItem(f0, "broken");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(broken, 0), "reason")->valuestring,
                        "the abstract holds the start of another record");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(broken, 1), "line")->valueint, 7);
    assert_non_null(strstr(cJSON_GetObjectItem(cJSON_GetArrayItem(broken, 1), "reason")->valuestring,
                           "year '20199'"));
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(broken, 2), "reason")->valuestring,
                        "no title");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(f0, "with"), "title")->valueint, 2);
    cJSON_Delete(root);
    free(out);
    free(err);

    /* A file that cannot be read whole: exit 1 with the line. */
    const char *cut = t_tmp_path("cut2.bib");
    f = fopen(cut, "w");
    fputs("@article{a1,\n  title = {Complete},\n}\n\n@article{a2,\n  title = {Cut off\n", f);
    fclose(f);
    assert_int_equal(RUN(&out, &err, "validate", cut), 1);
    assert_non_null(strstr(err, "line 5"));
    free(out);
    free(err);
}

static void test_project_discovery(void **state)
{
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", t_tmp_path("discover"));
    mkdir(dir, 0777);
    char *out = NULL, *err = NULL;
    assert_int_equal(t_winnow(dir, NULL, &out, &err, (const char *const[]){"sources", NULL}), 1);
    assert_one_line_error(err, "no project here");
    free(out);
    free(err);
    assert_int_equal(t_winnow(dir, NULL, NULL, NULL, (const char *const[]){"init", "a.winnow", NULL}),
                     0);
    assert_int_equal(t_winnow(dir, NULL, &out, &err, (const char *const[]){"sources", NULL}), 0);
    assert_non_null(strstr(out, "0 sources"));
    free(out);
    free(err);
    assert_int_equal(t_winnow(dir, NULL, NULL, NULL, (const char *const[]){"init", "b.winnow", NULL}),
                     0);
    assert_int_equal(t_winnow(dir, NULL, &out, &err, (const char *const[]){"sources", NULL}), 1);
    assert_one_line_error(err, "2 project files here");
    free(out);
    free(err);
    const char *env[] = {"WINNOW_PROJECT=b.winnow", NULL};
    assert_int_equal(t_winnow(dir, env, &out, &err, (const char *const[]){"sources", NULL}), 0);
    free(out);
    free(err);
}

/* Export in each format, import the export into a fresh project, and
 * compare every field of every record. */
static char *records_json_without_origin(const char *project)
{
    char *out = NULL;
    assert_int_equal(RUN(&out, NULL, "-p", project, "records", "--json"), 0);
    cJSON *arr = cJSON_Parse(out);
    assert_non_null(arr);
    free(out);
    cJSON *r;
    cJSON_ArrayForEach(r, arr)
    {
        static const char *const origin[] = {"id", "source_id", "source", "file", "line",
                                             "position"};
        for (size_t i = 0; i < sizeof origin / sizeof origin[0]; i++)
            cJSON_DeleteItemFromObject(r, origin[i]);
    }
    char *s = cJSON_Print(arr);
    cJSON_Delete(arr);
    return s;
}

static void test_export_round_trips(void **state)
{
    (void)state;
    const char *path = new_project("export.winnow");
    const char *files[] = {"scopus.ris", "wos.bib", "googlescholar.ris"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(RUN(NULL, NULL, "-p", path, "import", demo_file(i, files[i]), "--source",
                             files[i]),
                         0);
    char *original = records_json_without_origin(path);
    const char *formats[] = {"ris", "csv", "csljson", "bibtex"};
    for (int i = 0; i < 4; i++) {
        char name[64];
        snprintf(name, sizeof name, "export.%s", formats[i]);
        char out_file[4096];
        snprintf(out_file, sizeof out_file, "%s", t_tmp_path(name));
        char *err = NULL;
        int rc = RUN(NULL, &err, "-p", path, "export", "--format", formats[i], "-o", out_file);
        if (rc)
            fail_msg("export %s failed: %s", formats[i], err);
        free(err);
        snprintf(name, sizeof name, "again-%s.winnow", formats[i]);
        const char *again = new_project(name);
        rc = RUN(NULL, &err, "-p", again, "import", out_file, "--source", "again");
        if (rc)
            fail_msg("re-import of %s failed: %s", formats[i], err);
        free(err);
        char *copy = records_json_without_origin(again);
        if (strcmp(original, copy) != 0) {
            print_message("format %s differs\n--- original\n%s\n--- re-imported\n%s\n", formats[i],
                          original, copy);
            fail();
        }
        free(copy);
    }
    free(original);
}

static void test_help_covers_every_command(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(RUN(&out, NULL, "help"), 0);
    const char *commands[] = {"init",   "import",  "sources",  "records", "show",
                              "export", "formats", "validate", "demo"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        char want[32];
        snprintf(want, sizeof want, "  %s ", commands[i]);
        assert_non_null(strstr(out, want));
        char *detail = NULL;
        assert_int_equal(RUN(&detail, NULL, "help", commands[i]), 0);
        assert_non_null(strstr(detail, "usage: winnow"));
        free(detail);
    }
    assert_non_null(strstr(out, "WINNOW_PROJECT"));
    free(out);
    assert_int_equal(RUN(&out, NULL, "import", "--help"), 0);
    assert_non_null(strstr(out, "--searched-on"));
    free(out);
}

static void test_demo_runs(void **state)
{
    (void)state;
    /* The whole review is run and checked by test_demo; here, its refusal
     * when the bundled data is not where it is told to look. */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", t_tmp_path("demo"));
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "demo", "--dir", dir, "--data", "/nonexistent/winnow"), 1);
    assert_one_line_error(err, "/nonexistent/winnow");
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_and_usage_errors),
        cmocka_unit_test(test_import_sources_records_show),
        cmocka_unit_test(test_refusals_leave_project_unchanged),
        cmocka_unit_test(test_legacy_encoding_warns_with_line),
        cmocka_unit_test(test_validate_reconciles_and_flags),
        cmocka_unit_test(test_project_discovery),
        cmocka_unit_test(test_export_round_trips),
        cmocka_unit_test(test_help_covers_every_command),
        cmocka_unit_test(test_demo_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
