/* `winnow prisma` and `winnow report methods` as users run them: every
 * output, the previous review's numbers, and the refusal to draw a flow
 * that does not add up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/prisma/prisma_fixture.h"

#define RUN(out, err, ...) t_winnow(NULL, NULL, out, err, (const char *const[]){__VA_ARGS__, NULL})

static char project[4096];

static void build(const char *name, int with_other)
{
    wn_project *p = pf_build(name, with_other);
    snprintf(project, sizeof project, "%s", wn_project_path(p));
    wn_project_close(p);
}

static void test_text_json_csv_svg(void **state)
{
    (void)state;
    build("cli_prisma", 1);
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "-p", project, "prisma"), 0);
    assert_non_null(strstr(out, "Records screened: 10  (= 18 - 4 - 3 - 1: ok)"));
    assert_non_null(strstr(out, "Checks: every box adds up"));
    assert_string_equal(err, "");
    free(out), free(err);

    assert_int_equal(RUN(&out, &err, "-p", project, "prisma", "--recompute"), 0);
    assert_non_null(strstr(out, "Records screened: 10  (= 18 - 4 - 3 - 1: ok)"));
    free(out), free(err);

    assert_int_equal(RUN(&out, &err, "-p", project, "prisma", "--json"), 0);
    assert_non_null(strstr(out, "\"databases_and_registers\""));
    assert_non_null(strstr(out, "\"complete\":\ttrue"));
    free(out), free(err);

    char csv[4096], svg[4096];
    snprintf(csv, sizeof csv, "%s", t_tmp_path("PRISMA.csv"));
    snprintf(svg, sizeof svg, "%s", t_tmp_path("flow.svg"));
    assert_int_equal(RUN(&out, &err, "-p", project, "prisma", "--csv", "-o", csv), 0);
    free(out), free(err);
    char *text = t_read_file(csv, NULL);
    assert_int_equal(strncmp(text, "data,node,box,description,boxtext,tooltips,url,n\n", 49), 0);
    assert_non_null(strstr(text, ",\"Scopus, 10; WoS, 6\"\n"));
    free(text);

    assert_int_equal(RUN(&out, &err, "-p", project, "prisma", "--svg", "-o", svg), 0);
    free(out), free(err);
    text = t_read_file(svg, NULL);
    assert_non_null(strstr(text, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_non_null(strstr(text, "Records screened (n = 10)"));
    assert_non_null(strstr(text, "Identification of new studies via other methods"));
    assert_non_null(strstr(text, "</svg>\n"));
    free(text);

    assert_int_equal(RUN(&out, &err, "-p", project, "prisma", "--csv", "--svg"), 2);
    free(out), free(err);
    assert_int_equal(RUN(&out, &err, "-p", project, "prisma", "--bogus"), 2);
    free(out), free(err);
}

static void test_previous_review_and_methods(void **state)
{
    (void)state;
    build("cli_previous", 0);
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "-p", project, "prisma", "previous", "--studies", "7"), 2);
    free(out), free(err);
    assert_int_equal(
        RUN(&out, &err, "-p", project, "prisma", "previous", "--studies", "7", "--reports", "5"),
        1);
    assert_non_null(strstr(err, "5 reports for 7 studies"));
    free(out), free(err);
    assert_int_equal(
        RUN(&out, &err, "-p", project, "prisma", "previous", "--studies", "7", "--reports", "9"),
        0);
    free(out), free(err);
    assert_int_equal(RUN(&out, &err, "-p", project, "prisma"), 0);
    assert_non_null(strstr(out, "Total studies included in review: 9  (= 7 previous + 2 new)"));
    free(out), free(err);

    assert_int_equal(RUN(&out, &err, "-p", project, "report", "methods"), 0);
    assert_non_null(strstr(out, "Scopus (database, searched 2024-03-01, 10 records)"));
    assert_non_null(strstr(out, "SHA-256 `abc123`"));
    assert_non_null(strstr(out, "updated review includes 9 studies (12 reports)"));
    free(out), free(err);
    assert_int_equal(RUN(&out, &err, "-p", project, "report"), 2);
    free(out), free(err);
}

static void test_a_flow_that_does_not_add_up_is_not_drawn(void **state)
{
    (void)state;
    build("cli_broken", 0);
    wn_project *p;
    wn_err e;
    assert_int_equal(wn_project_open(&p, project, &e), 0);
    pf_decide(p, "ta", 5, "alice", "include", NULL); /* 5 was excluded by a rule */
    wn_project_close(p);
    char svg[4096];
    snprintf(svg, sizeof svg, "%s", t_tmp_path("broken.svg"));
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "-p", project, "prisma", "--svg", "-o", svg), 1);
    assert_non_null(strstr(err, "excluded by rules yet included at title/abstract: 5"));
    assert_int_equal(access(svg, F_OK), -1);
    free(out), free(err);
    assert_int_equal(RUN(&out, &err, "-p", project, "prisma"), 1);
    assert_non_null(strstr(out, "Checks: FAILED"));
    free(out), free(err);
    assert_int_equal(RUN(&out, &err, "-p", project, "report", "methods"), 1);
    assert_non_null(strstr(err, "does not add up"));
    free(out), free(err);
}

static void test_unfinished_screening_is_reported(void **state)
{
    (void)state;
    build("cli_unfinished", 0);
    wn_project *p;
    wn_err e;
    assert_int_equal(wn_project_open(&p, project, &e), 0);
    /* a second reviewer on unit 16 who has not voted yet */
    t_sql(p, "INSERT INTO assignment(stage, unit_id, reviewer, assigned_at)"
             " VALUES ('ta', 16, 'bob', 'x')");
    wn_project_close(p);
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "-p", project, "prisma"), 0);
    assert_non_null(strstr(out, "NOT YET DECIDED: 1 records awaiting a decision"));
    assert_non_null(strstr(err, "screening is not finished: 1 records"));
    free(out), free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_json_csv_svg),
        cmocka_unit_test(test_previous_review_and_methods),
        cmocka_unit_test(test_a_flow_that_does_not_add_up_is_not_drawn),
        cmocka_unit_test(test_unfinished_screening_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
