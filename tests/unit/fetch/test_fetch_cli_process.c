/* winnow fetch as a process: Ctrl-C (SIGINT) in the middle of a page, and
 * the progress bar it draws when stderr is a terminal. */
#define _GNU_SOURCE /* ptsname_r */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fetch/http.h"
#include "fetch_fixture.h"

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

/* Runs winnow with stderr on a new pseudo-terminal and returns what it drew
 * there (owned; NULL when the machine has no pseudo-terminals); stdout goes
 * nowhere. */
static char *run_on_terminal(const char *const *env, const char *const *args)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0)
        return NULL;
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
    FF_CLI_PROJECT(path, "cli-bar");
    static const t_http_step steps[] = {
        {.file = "crossref/page_1.json"},
        {.file = "crossref/page_2.json"},
        {.file = "crossref/page_3.json"},
    };
    t_http_server *srv = t_http_start(steps, 3);
    char *drawn = run_on_terminal(ff_env_for(srv),
                                  (const char *const[]){"-p", path, "fetch", "crossref",
                                                        "--query", "mental health",
                                                        "--page-size", "2", NULL});
    if (!drawn) {
        t_http_stop(srv);
        print_message("skipped: no pseudo-terminal to draw on\n");
        skip();
    }
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
    FF_CLI_PROJECT(path, "cli-ctrl-c");
    char *before = t_sha256_file(path);
    static const t_http_step slow[] = {
        {.file = "crossref/page_1.json"},
        {.file = "crossref/page_2.json", .delay_ms = 20000},
    };
    t_http_server *srv = t_http_start(slow, 2);
    const char *const *env = ff_env_for(srv);
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
    t_assert_file_unchanged(path, before);

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
        cmocka_unit_test(test_progress_on_terminal),
        cmocka_unit_test(test_ctrl_c_then_rerun),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
