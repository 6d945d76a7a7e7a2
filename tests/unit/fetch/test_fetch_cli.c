/* winnow fetch as a user runs it: the syntax of each API, the server taken
 * from the environment, --dry-run, usage errors, a failed fetch that leaves
 * the project unchanged, 'winnow fetch --resume', the same answers fetched
 * twice, 'winnow fetch --log', Ctrl-C, and the progress bar on a terminal. */
#define _GNU_SOURCE /* ptsname_r */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "fetch/http.h"
#include "fetch_fixture.h"

static char env_var[3][128];

static const char *const *env_for(const t_http_server *srv)
{
    static const char *env[4];
    snprintf(env_var[0], sizeof env_var[0], "WINNOW_PUBMED_URL=%s", t_http_base(srv));
    snprintf(env_var[1], sizeof env_var[1], "WINNOW_OPENALEX_URL=%s", t_http_base(srv));
    snprintf(env_var[2], sizeof env_var[2], "WINNOW_CROSSREF_URL=%s", t_http_base(srv));
    for (int i = 0; i < 3; i++)
        env[i] = env_var[i];
    env[3] = NULL;
    return env;
}

static int have_cli(void)
{
    if (access(WINNOW_CLI, X_OK) == 0)
        return 1;
    print_message("skipped: %s is not built\n", WINNOW_CLI);
    return 0;
}

/* A project made by the command itself; returns its path (static). */
static const char *new_project(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s.winnow", t_tmp_path(name));
    unlink(path);
    assert_int_equal(t_winnow(NULL, NULL, NULL, NULL,
                              (const char *const[]){"init", path, "--title", "t", NULL}),
                     0);
    return path;
}

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
    if (!have_cli())
        skip();
    const char *path = new_project("cli-three");
    static const t_http_step steps[] = {
        {.file = "pubmed/esearch_5.json"}, {.file = "pubmed/efetch_1.xml"},
        {.file = "pubmed/efetch_2.xml"},   {.file = "pubmed/efetch_3.xml"},
        {.file = "openalex/page_1.json"},  {.file = "openalex/page_2.json"},
        {.file = "openalex/page_3.json"},  {.file = "crossref/page_1.json"},
        {.file = "crossref/page_2.json"},  {.file = "crossref/page_3.json"},
    };
    t_http_server *srv = t_http_start(steps, 10);
    const char *const *env = env_for(srv);
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
    if (!have_cli())
        skip();
    static const t_http_step steps[] = {{.file = "pubmed/esearch_5.json"}};
    t_http_server *srv = t_http_start(steps, 1);
    char *out = NULL, *err = NULL;
    /* No project is needed to ask for a count. */
    int rc = t_winnow(NULL, env_for(srv), &out, &err,
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
    if (!have_cli())
        skip();
    const char *p = new_project("cli-resume");
    char path[4096];
    snprintf(path, sizeof path, "%s", p);
    char *before = t_sha256_file(path);
    static const t_http_step failing[] = {
        {.file = "crossref/page_1.json"},
        {.status = 500, .body = "{\"status\": \"error\"}"},
        {.status = 500, .body = "{\"status\": \"error\"}"},
    };
    t_http_server *srv = t_http_start(failing, 3);
    const char *const *env = env_for(srv);
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

/* Starts winnow in the background with the extra environment env, stdout
 * to stdout_path and stderr to stderr_path (a file, or a terminal, which
 * then becomes its controlling one); returns its pid. */
static pid_t spawn_winnow(const char *const *env, const char *const *args,
                          const char *stdout_path, const char *stderr_path)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setsid();
        int out = open(stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(stderr_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
            _exit(126);
        for (size_t i = 0; env[i]; i++)
            putenv((char *)env[i]);
        const char *argv[32] = {WINNOW_CLI};
        for (size_t i = 0; args[i] && i + 2 < 32; i++)
            argv[i + 1] = args[i];
        execv(WINNOW_CLI, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

/* The same search fetched twice with the same answers: the second is
 * refused with the way on, and --force stores the kept pages without
 * asking the server again. */
static void test_same_answers_twice(void **state)
{
    (void)state;
    if (!have_cli())
        skip();
    char path[4096];
    snprintf(path, sizeof path, "%s", new_project("cli-twice"));
    static const t_http_step steps[] = {{.file = "crossref/page_1.json"},
                                        {.file = "crossref/page_2.json"},
                                        {.file = "crossref/page_3.json"}};
    t_http_server *srv = t_http_start(steps, 3);
    const char *const *env = env_for(srv);
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
    char *after = t_sha256_file(path);
    assert_string_equal(before, after);
    free(after);
    free(before);
    t_http_reset(srv, NULL, 0);
    const char *const forced[] = {"-p", path, "fetch", "crossref", "--query", "mental health",
                                  "--page-size", "2", "--force", NULL};
    assert_int_equal(t_winnow(NULL, env, NULL, NULL, forced), 0);
    assert_int_equal(t_http_count(srv), 0);
    assert_int_equal(ff_sql_int(path, "SELECT count(*) FROM source WHERE records = 5"), 2);
    t_http_stop(srv);
}

/* Runs winnow with stderr on a new pseudo-terminal and returns what it drew
 * there (owned); stdout goes nowhere. */
static char *run_on_terminal(const char *const *env, const char *const *args)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    char slave_name[256];
    assert_int_equal(ptsname_r(master, slave_name, sizeof slave_name), 0);
    pid_t pid = spawn_winnow(env, args, "/dev/null", slave_name);
    wn_buf drawn = WN_BUF_INIT;
    char chunk[512];
    ssize_t got;
    /* Linux answers EIO once the last holder of the terminal's other side
     * is gone. */
    while ((got = read(master, chunk, sizeof chunk)) > 0 || (got < 0 && errno == EINTR))
        if (got > 0)
            wn_buf_append(&drawn, chunk, (size_t)got);
    close(master);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    char *s = wn_buf_detach(&drawn);
    return s ? s : strdup("");
}

static void test_progress_on_terminal(void **state)
{
    (void)state;
    if (!have_cli())
        skip();
    const char *path = new_project("cli-bar");
    static const t_http_step steps[] = {
        {.file = "crossref/page_1.json"},
        {.file = "crossref/page_2.json"},
        {.file = "crossref/page_3.json"},
    };
    t_http_server *srv = t_http_start(steps, 3);
    char *drawn = run_on_terminal(env_for(srv),
                                  (const char *const[]){"-p", path, "fetch", "crossref",
                                                        "--query", "mental health",
                                                        "--page-size", "2", NULL});
    /* Redrawn after each page: records so far of the reported total, the
     * rate and the time left. */
    if (!strstr(drawn, "Crossref [") || !strstr(drawn, "] 2/5 ") || !strstr(drawn, "] 4/5 ") ||
        !strstr(drawn, "] 5/5 ") || !strstr(drawn, " rec/s  ETA ") || !strchr(drawn, '\r'))
        fail_msg("no progress bar on the terminal; it showed: '%s'", drawn);
    free(drawn);
    t_http_stop(srv);
}

/* Ctrl-C while a page is on its way: the command stops at once, the
 * project is as it was, and the same command run again finishes the fetch
 * from the saved cursor. */
static void test_ctrl_c_then_rerun(void **state)
{
    (void)state;
    if (!have_cli())
        skip();
    char path[4096];
    snprintf(path, sizeof path, "%s", new_project("cli-ctrl-c"));
    char *before = t_sha256_file(path);
    static const t_http_step slow[] = {
        {.file = "crossref/page_1.json"},
        {.file = "crossref/page_2.json", .delay_ms = 20000},
    };
    t_http_server *srv = t_http_start(slow, 2);
    const char *const *env = env_for(srv);
    const char *const args[] = {"-p", path, "fetch", "crossref", "--query", "mental health",
                                "--page-size", "2", NULL};
    char out_path[4096], err_path[4096];
    snprintf(out_path, sizeof out_path, "%s", t_tmp_path("ctrl-c-out"));
    snprintf(err_path, sizeof err_path, "%s", t_tmp_path("ctrl-c-err"));
    pid_t pid = spawn_winnow(env, args, out_path, err_path);
    double t0 = wn_monotonic();
    while (t_http_count(srv) < 2 && wn_monotonic() - t0 < 10)
        usleep(10000);
    assert_int_equal(t_http_count(srv), 2); /* page 2 asked for, not answered */
    usleep(100000);
    double sent = wn_monotonic();
    assert_int_equal(kill(pid, SIGINT), 0);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(wn_monotonic() - sent < 2.0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    char *err = t_read_file(err_path, NULL);
    assert_non_null(err);
    if (!strstr(err, "interrupted while fetching Crossref page 2") ||
        !strstr(err, "the project is unchanged"))
        fail_msg("unexpected message: %s", err);
    free(err);
    char *after = t_sha256_file(path);
    assert_string_equal(before, after);
    free(after);
    free(before);

    static const t_http_step rest[] = {{.file = "crossref/page_2.json"},
                                       {.file = "crossref/page_3.json"}};
    t_http_reset(srv, rest, 2);
    char *out = NULL;
    int rc = t_winnow(NULL, env, &out, &err, args);
    if (rc != 0)
        fail_msg("the second run failed: %s", err);
    assert_non_null(strstr(out, "fetched 5 records (Crossref reports 5)"));
    assert_non_null(strstr(out, "(1 resumed)"));
    assert_int_equal(t_http_count(srv), 2);
    free(out);
    free(err);
    assert_int_equal(ff_sql_int(path, "SELECT count(*) FROM record"), 5);
    assert_int_equal(ff_sql_int(path, "SELECT count(*) FROM source"), 1);
    t_http_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_apis),
        cmocka_unit_test(test_dry_run_and_usage),
        cmocka_unit_test(test_failure_then_resume),
        cmocka_unit_test(test_same_answers_twice),
        cmocka_unit_test(test_progress_on_terminal),
        cmocka_unit_test(test_ctrl_c_then_rerun),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
