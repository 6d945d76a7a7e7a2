/* Two reviewers' processes record 5,000 decisions each into the same
 * project at the same moment, in small transactions that interleave (as
 * sheets and the terminal view write them): nothing is lost, nothing is
 * corrupted, and the audit chain stays unbroken. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "support.h"

enum { UNITS = 5000, BATCH = 50 };

/* One child: opens its own handle and writes its reviewer's votes. */
static int write_votes(const char *path, const char *who, int fd_ready, int fd_go)
{
    wn_project *p;
    wn_err err;
    if (wn_project_open(&p, path, &err)) {
        fprintf(stderr, "%s: %s\n", who, err.msg);
        return 1;
    }
    char c = 'r';
    /* Start together: both children open first, then the parent says go. */
    if (write(fd_ready, &c, 1) != 1 || read(fd_go, &c, 1) != 1)
        return 1;
    wn_actor actor = {"[\"test\"]", who};
    /* Every commit waits for the disk; batches keep the test quick while
     * the two writers still take the lock from each other hundreds of times. */
    wn_decision d[BATCH];
    for (int u = 1; u <= UNITS; u += BATCH) {
        for (int i = 0; i < BATCH; i++)
            d[i] = (wn_decision){"ta", u + i, who, NULL, ((u + i) % 3) ? "include" : "exclude",
                                 NULL, NULL};
        /* The first decision of each batch also goes the single-write way. */
        if (wn_decision_add(p, &d[0], &actor) || wn_decisions_add(p, d + 1, BATCH - 1, &actor)) {
            fprintf(stderr, "%s unit %d: %s\n", who, u, wn_project_errmsg(p));
            wn_project_close(p);
            return 1;
        }
    }
    wn_project_close(p);
    return 0;
}

static void test_two_processes_lose_nothing(void **state)
{
    (void)state;
    wn_buf ris = WN_BUF_INIT;
    for (int i = 1; i <= UNITS; i++)
        wn_buf_printf(&ris, "TY  - JOUR\nTI  - Unit %d\nER  - \n\n", i);
    wn_project *p = t_project_with("concurrent.ris", "Scopus", ris.data);
    wn_buf_free(&ris);
    wn_actor actor = {"[\"test\"]", "lead"};
    assert_int_equal(wn_reviewer_add(p, "alice", "Alice", NULL, &actor), 0);
    assert_int_equal(wn_reviewer_add(p, "bob", "Bob", NULL, &actor), 0);
    const char *team[] = {"alice", "bob"};
    wn_assign_opts o = {"ta", team, 2, NULL, 2, 1, 0, 0};
    wn_assign_result res;
    assert_int_equal(wn_assign(p, &o, &actor, &res), 0);
    char path[4096];
    snprintf(path, sizeof path, "%s", wn_project_path(p));
    wn_project_close(p);

    int ready[2], go[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0)
            _exit(write_votes(path, team[k], ready[1], go[0]));
    }
    char c;
    for (int k = 0; k < 2; k++)
        assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(write(go[1], "gg", 2), 2);
    for (int k = 0; k < 2; k++) {
        int status;
        assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);

    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "SELECT (SELECT count(*) FROM decision),"
                           " (SELECT count(*) FROM (SELECT DISTINCT unit_id, reviewer FROM decision)),"
                           " (SELECT count(*) FROM audit WHERE summary LIKE 'ta%vote%'"
                           "  OR summary LIKE 'ta: % decisions recorded'),"
                           /* every audit row chains to the one before it */
                           " (SELECT count(*) FROM audit a JOIN audit b ON b.id ="
                           "   (SELECT max(id) FROM audit WHERE id < a.id)"
                           "  WHERE a.prev_hash <> b.hash)",
                           -1, &s, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 2 * UNITS);
    assert_int_equal(sqlite3_column_int(s, 1), 2 * UNITS);
    assert_int_equal(sqlite3_column_int(s, 2), 2 * 2 * (UNITS / BATCH));
    assert_int_equal(sqlite3_column_int(s, 3), 0);
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
    sqlite3_finalize(s);
    sqlite3_close(db);

    /* Both reviewers agree on every unit: all decided, none pending. */
    assert_int_equal(wn_project_open(&p, path, &(wn_err){0}), 0);
    wn_stage_status st;
    assert_int_equal(wn_stage_status_get(p, "ta", &st), 0);
    assert_int_equal(st.pending, 0);
    assert_int_equal(st.exclude, UNITS / 3);
    assert_int_equal(st.include, UNITS - UNITS / 3);
    wn_stage_status_free(&st);
    wn_project_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_processes_lose_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
