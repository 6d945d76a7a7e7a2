/* winnow fetch as a user runs it: the syntax of each API, the server taken
 * from the environment, --dry-run, usage errors, a failed fetch that leaves
 * the project unchanged, 'winnow fetch --resume', the same answers fetched
 * twice and 'winnow fetch --log'. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fetch_fixture.h"

/* What 'fetch --log' shows of the three fetches test_three_apis stored:
 * each fetch's question and totals, and every response's hash. */
static void assert_log(const char *path)
{
    char *out = NULL, *err = NULL;
    int rc = t_winnow(NULL, NULL, &out, &err,
                      (const char *const[]){"-p", path, "fetch", "--log", NULL});
    if (rc != 0)
        fail_msg("fetch --log failed: %s", err);
    assert_non_null(strstr(out, "source 1: PubMed, "));
    assert_non_null(
        strstr(out, "  query   (\"social work*\"[tiab]) AND \"mental health\"[tiab]\n"));
    assert_non_null(strstr(out, "5 records stored of 5 reported; 4 requests, 0 retries"));
    assert_non_null(strstr(out, "source 3: Crossref, "));
    char *sha = ff_fixture_sha("pubmed/efetch_3.xml");
    assert_non_null(strstr(out, sha));
    free(sha);
    free(out);
    free(err);

    rc = t_winnow(NULL, NULL, &out, &err,
                  (const char *const[]){"-p", path, "fetch", "--log", "--source", "OpenAlex",
                                        "--json", NULL});
    if (rc != 0)
        fail_msg("fetch --log --json failed: %s", err);
    cJSON *runs = cJSON_Parse(out);
    assert_non_null(runs);
    assert_int_equal(cJSON_GetArraySize(runs), 1);
    const cJSON *run = cJSON_GetArrayItem(runs, 0);
    assert_string_equal(cJSON_GetObjectItem(run, "api")->valuestring, "openalex");
    assert_int_equal(cJSON_GetObjectItem(run, "reported_total")->valueint, 5);
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(run, "params"), "filter")->valuestring,
        "publication_year:1990-2023,is_oa:true");
    const cJSON *pages = cJSON_GetObjectItem(run, "pages");
    assert_int_equal(cJSON_GetArraySize(pages), 3);
    sha = ff_fixture_sha("openalex/page_2.json");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(pages, 1), "sha256")->valuestring,
                        sha);
    free(sha);
    assert_non_null(strstr(cJSON_GetObjectItem(cJSON_GetArrayItem(pages, 0), "url")->valuestring,
                           "/works?search=health%20social%20worker"));
    cJSON_Delete(runs);
    free(out);
    free(err);

    /* Not a source; and --log names no API. */
    assert_int_equal(t_winnow(NULL, NULL, NULL, NULL,
                              (const char *const[]){"-p", path, "fetch", "--log", "--source",
                                                    "99", NULL}),
                     1);
    assert_int_equal(t_winnow(NULL, NULL, NULL, NULL,
                              (const char *const[]){"-p", path, "fetch", "--log", "pubmed",
                                                    NULL}),
                     2);
}

static void test_three_apis(void **state)
{
    (void)state;
    FF_CLI_PROJECT(path, "cli-three");
    char *none = NULL;
    assert_int_equal(t_winnow(NULL, NULL, &none, NULL,
                              (const char *const[]){"-p", path, "fetch", "--log", NULL}),
                     0);
    assert_string_equal(none, "no fetches in this project\n");
    free(none);
    static const t_http_step steps[] = {
        {.file = "pubmed/esearch_5.json"}, {.file = "pubmed/efetch_1.xml"},
        {.file = "pubmed/efetch_2.xml"},   {.file = "pubmed/efetch_3.xml"},
        {.file = "openalex/page_1.json"},  {.file = "openalex/page_2.json"},
        {.file = "openalex/page_3.json"},  {.file = "crossref/page_1.json"},
        {.file = "crossref/page_2.json"},  {.file = "crossref/page_3.json"},
    };
    t_http_server *srv = t_http_start(steps, 10);
    const char *const *env = ff_env_for(srv);
    char *out = NULL, *err = NULL;
    int rc = t_winnow(NULL, env, &out, &err,
                      (const char *const[]){"-p", path, "fetch", "pubmed", "--query",
                                            "(\"social work*\"[tiab]) AND \"mental health\"[tiab]",
                                            "--mindate", "1990", "--maxdate", "2023",
                                            "--email", "me@example.org", "--page-size", "2",
                                            "--api-key", "sekrit0123", NULL});
    if (rc != 0)
        fail_msg("pubmed fetch failed: %s", err);
    assert_non_null(strstr(out, "fetched 5 records (PubMed reports 5)"));
    assert_string_equal(err, ""); /* not a terminal: no progress bar */
    free(out);
    free(err);
    rc = t_winnow(NULL, env, &out, &err,
                  (const char *const[]){"-p", path, "fetch", "openalex", "--search",
                                        "health social worker mental health equity",
                                        "--filter", "publication_year:1990-2023,is_oa:true",
                                        "--page-size", "2", "--json", NULL});
    if (rc != 0)
        fail_msg("openalex fetch failed: %s", err);
    assert_non_null(strstr(out, "\"records\":\t5"));
    free(out);
    free(err);
    rc = t_winnow(NULL, env, &out, &err,
                  (const char *const[]){"-p", path, "fetch", "crossref", "--query",
                                        "mental health social work", "--filter",
                                        "from-pub-date:1990", "--page-size", "2", NULL});
    if (rc != 0)
        fail_msg("crossref fetch failed: %s", err);
    free(out);
    free(err);
    ff_assert_target(srv, 4, "search=health%20social%20worker");
    ff_assert_target(srv, 4, "filter=publication_year%3A1990-2023%2Cis_oa%3Atrue");
    ff_assert_target(srv, 7, "query=mental%20health%20social%20work&filter=from-pub-date");
    assert_int_equal(t_http_count(srv), 10);
    assert_int_equal(ff_sql_int(path, "SELECT count(*) FROM source WHERE kind = 'database' "
                                      "AND records = 5 AND name IN ('PubMed', 'OpenAlex', "
                                      "'Crossref')"),
                     3);
    assert_int_equal(ff_sql_int(path, "SELECT count(*) FROM record"), 15);
    /* The key went to the server and nowhere else. */
    ff_assert_target(srv, 0, "api_key=sekrit0123");
    assert_int_equal(ff_sql_int(path, "SELECT count(*) FROM audit WHERE command LIKE "
                                      "'%--api-key\",\"(hidden)%'"),
                     1);
    assert_int_equal(ff_sql_int(path, "SELECT count(*) FROM audit WHERE command LIKE "
                                      "'%sekrit%'"),
                     0);
    t_http_stop(srv);
    assert_log(path);
}

static void test_dry_run_and_usage(void **state)
{
    (void)state;
    if (!ff_have_cli())
        skip();
    static const t_http_step steps[] = {{.file = "pubmed/esearch_5.json"}};
    t_http_server *srv = t_http_start(steps, 1);
    char *out = NULL, *err = NULL;
    /* No project is needed to ask for a count. */
    int rc = t_winnow(NULL, ff_env_for(srv), &out, &err,
                      (const char *const[]){"-p", "/nonexistent/x.winnow", "fetch", "pubmed",
                                            "--query", "x", "--dry-run", NULL});
    assert_int_equal(rc, 0);
    assert_string_equal(out, "PubMed reports 5 records for this search\n");
    ff_assert_target(srv, 0, "/esearch.fcgi?db=pubmed&term=x&retmax=0");
    free(out);
    free(err);
    assert_int_equal(t_winnow(NULL, NULL, NULL, NULL,
                              (const char *const[]){"fetch", "openalex", "--query", "x",
                                                    "--search", "y", NULL}),
                     2);
    rc = t_winnow(NULL, NULL, &out, &err, (const char *const[]){"fetch", "scopus", NULL});
    assert_int_equal(rc, 2);
    assert_non_null(strstr(err, "unknown API 'scopus'"));
    free(out);
    free(err);
    t_http_stop(srv);
}

static void test_failure_then_resume(void **state)
{
    (void)state;
    FF_CLI_PROJECT(path, "cli-resume");
    char *before = t_sha256_file(path);
    static const t_http_step failing[] = {
        {.file = "crossref/page_1.json"},
        {.status = 500, .body = "{\"status\": \"error\"}"},
        {.status = 500, .body = "{\"status\": \"error\"}"},
    };
    t_http_server *srv = t_http_start(failing, 3);
    const char *const *env = ff_env_for(srv);
    char *out = NULL, *err = NULL;
    int rc = t_winnow(NULL, env, &out, &err,
                      (const char *const[]){"-p", path, "fetch", "crossref", "--query",
                                            "mental health", "--page-size", "2", "--tries",
                                            "2", "--backoff", "0.01", NULL});
    assert_int_equal(rc, 1);
    assert_non_null(strstr(err, "HTTP 500"));
    assert_non_null(strstr(err, "the project is unchanged"));
    char *after = t_sha256_file(path);
    assert_string_equal(before, after);
    free(after);
    free(out);
    free(err);
    static const t_http_step rest[] = {{.file = "crossref/page_2.json"},
                                       {.file = "crossref/page_3.json"}};
    t_http_reset(srv, rest, 2);
    rc = t_winnow(NULL, env, &out, &err,
                  (const char *const[]){"-p", path, "fetch", "--resume", NULL});
    if (rc != 0)
        fail_msg("resume failed: %s", err);
    assert_non_null(strstr(out, "fetched 5 records (Crossref reports 5)"));
    assert_non_null(strstr(out, "(1 resumed)"));
    assert_int_equal(t_http_count(srv), 2);
    free(out);
    free(err);
    assert_int_equal(ff_sql_int(path, "SELECT count(*) FROM record"), 5);
    rc = t_winnow(NULL, env, &out, &err,
                  (const char *const[]){"-p", path, "fetch", "--resume", NULL});
    assert_int_equal(rc, 1);
    assert_non_null(strstr(err, "no unfinished fetch"));
    free(out);
    free(err);
    free(before);
    t_http_stop(srv);
}

/* The same search fetched twice with the same answers: the second is
 * refused with the way on, and --force stores the kept pages without
 * asking the server again. */
static void test_same_answers_twice(void **state)
{
    (void)state;
    FF_CLI_PROJECT(path, "cli-twice");
    static const t_http_step steps[] = {{.file = "crossref/page_1.json"},
                                        {.file = "crossref/page_2.json"},
                                        {.file = "crossref/page_3.json"}};
    t_http_server *srv = t_http_start(steps, 3);
    const char *const *env = ff_env_for(srv);
    const char *const args[] = {"-p", path, "fetch", "crossref", "--query", "mental health",
                                "--page-size", "2", NULL};
    assert_int_equal(t_winnow(NULL, env, NULL, NULL, args), 0);
    t_http_reset(srv, steps, 3);
    char *before = t_sha256_file(path);
    char *err = NULL;
    assert_int_equal(t_winnow(NULL, env, NULL, &err, args), 1);
    if (!strstr(err, "already imported into source 'Crossref'") ||
        !strstr(err, "run the same command with --force to store them as a new source"))
        fail_msg("unexpected message: %s", err);
    free(err);
    t_assert_file_unchanged(path, before);
    t_http_reset(srv, NULL, 0);
    const char *const forced[] = {"-p", path, "fetch", "crossref", "--query", "mental health",
                                  "--page-size", "2", "--force", NULL};
    assert_int_equal(t_winnow(NULL, env, NULL, NULL, forced), 0);
    assert_int_equal(t_http_count(srv), 0);
    assert_int_equal(ff_sql_int(path, "SELECT count(*) FROM source WHERE records = 5"), 2);
    t_http_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_apis),
        cmocka_unit_test(test_dry_run_and_usage),
        cmocka_unit_test(test_failure_then_resume),
        cmocka_unit_test(test_same_answers_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
