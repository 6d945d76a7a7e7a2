/* CSV import and validation as a user runs them: the database profile
 * reported as the reason, an unknown header refused on line 1, and
 * `--map FIELD=COLUMN,...` reading a CSV no profile knows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "support.h"

#define RUN(out, err, ...) t_winnow(NULL, NULL, out, err, (const char *const[]){__VA_ARGS__, NULL})

/* Columns no profile knows; the second author cell names two people. */
static const char unknown_csv[] = "Name,Creators,Summary,When\n"
                                  "\"Feathers and scales\",\"Lee, Ann; Kim, Bo\",\"Short.\",2020\n"
                                  "\"Second study\",\"Doe, J\",\"Longer, with a comma.\",2019\n";

static const char *write_file(const char *name, const char *text)
{
    const char *path = t_tmp_path(name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static const char *new_project(const char *name)
{
    const char *path = t_tmp_path(name);
    remove(path);
    assert_int_equal(RUN(NULL, NULL, "init", path), 0);
    return path;
}

static int count_sources(const char *project)
{
    char *out = NULL;
    assert_int_equal(RUN(&out, NULL, "-p", project, "sources", "--json"), 0);
    cJSON *root = cJSON_Parse(out);
    assert_non_null(root);
    int n = cJSON_GetArraySize(root);
    cJSON_Delete(root);
    free(out);
    return n;
}

static void test_unknown_header_is_refused_on_line_1(void **state)
{
    (void)state;
    const char *csv = write_file("unknown.csv", unknown_csv);
    const char *project = new_project("refused.winnow");
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "-p", project, "import", csv, "--source", "Register"), 1);
    assert_non_null(strstr(err, "unknown.csv' line 1: header matches no CSV profile"));
    assert_non_null(strstr(err, "--map"));
    assert_int_equal(strchr(err, '\n')[1], '\0'); /* one line */
    assert_int_equal(count_sources(project), 0);
    free(out);
    free(err);
    /* validate says the same and exits 1. */
    assert_int_equal(RUN(&out, &err, "validate", csv), 1);
    assert_non_null(strstr(err, "header matches no CSV profile"));
    free(out);
    free(err);
}

static void test_map_imports_an_unknown_csv(void **state)
{
    (void)state;
    const char *csv = write_file("mapped.csv", unknown_csv);
    const char *project = new_project("mapped.winnow");
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "-p", project, "import", csv, "--source", "Register",
                         "--map", "title=Name,authors=Creators,abstract=Summary,year=When"),
                     0);
    assert_non_null(strstr(out, "read 2 records, 0 warnings"));
    assert_non_null(strstr(out, "columns mapped by --map"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", project, "show", "1"), 0);
    assert_non_null(strstr(out, "Feathers and scales"));
    assert_non_null(strstr(out, "Kim, Bo")); /* the second author, split from the cell */
    assert_non_null(strstr(out, "2020"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", project, "show", "2"), 0);
    assert_non_null(strstr(out, "Longer, with a comma."));
    free(out);
    free(err);

    /* validate with a partial map: only the mapped fields are read. */
    assert_int_equal(RUN(&out, &err, "validate", csv, "--map", "title=Name,year=When", "--json"),
                     0);
    cJSON *root = cJSON_Parse(out);
    assert_non_null(root);
    cJSON *f0 = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "files"), 0);
    assert_int_equal(cJSON_GetObjectItem(f0, "records")->valueint, 2);
    cJSON *with = cJSON_GetObjectItem(f0, "with");
    assert_int_equal(cJSON_GetObjectItem(with, "title")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(with, "year")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(with, "authors")->valueint, 0);
    cJSON_Delete(root);
    free(out);
    free(err);
}

static void test_map_mistakes(void **state)
{
    (void)state;
    const char *csv = write_file("mistakes.csv", unknown_csv);
    const char *project = new_project("mistakes.winnow");
    char *out = NULL, *err = NULL;
    /* Not a field, or no '=': usage errors. */
    assert_int_equal(RUN(&out, &err, "-p", project, "import", csv, "--source", "R", "--map",
                         "titel=Name"),
                     2);
    assert_non_null(strstr(err, "'titel' is not a field"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "validate", csv, "--map", "title"), 2);
    free(out);
    free(err);
    /* A column the header lacks: the file is refused, nothing stored. */
    assert_int_equal(RUN(&out, &err, "-p", project, "import", csv, "--source", "R", "--map",
                         "title=Nom"),
                     1);
    assert_non_null(strstr(err, "line 1: --map names column 'Nom'"));
    assert_int_equal(count_sources(project), 0);
    free(out);
    free(err);
}

/* The database a CSV came from is part of the reason import gives. */
static void test_profile_is_the_reason(void **state)
{
    (void)state;
    const char *csv = write_file("scopus.csv",
                                 "\xEF\xBB\xBF\"Authors\",\"Title\",\"Year\",\"Source title\","
                                 "\"DOI\",\"EID\"\r\n"
                                 "\"Okafor C.\",\"A title\",\"2021\",\"Some Journal\","
                                 "\"10.1000/x1\",\"2-s2.0-1\"\r\n");
    const char *project = new_project("scopus.winnow");
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "-p", project, "import", csv, "--source", "Scopus"), 0);
    assert_non_null(strstr(out, "Scopus export (header has Source title, EID)"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "validate", csv, "--expect", "1"), 0);
    assert_non_null(strstr(out, "Scopus export"));
    assert_non_null(strstr(out, "1 records"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_header_is_refused_on_line_1),
        cmocka_unit_test(test_map_imports_an_unknown_csv),
        cmocka_unit_test(test_map_mistakes),
        cmocka_unit_test(test_profile_is_the_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
