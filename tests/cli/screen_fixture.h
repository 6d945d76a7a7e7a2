/* The project and helpers the `winnow screen` terminal tests share: five
 * records, two reviewers with their assignments, queries on the project
 * file, and keys typed the way a reviewer would. Included by the tests
 * (static functions only). */
#ifndef WINNOW_SCREEN_FIXTURE_H
#define WINNOW_SCREEN_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "screen_pty.h"
#include "winnow/screen_queue.h"

/* Wrapped at 80 columns, its second line fills the width exactly. */
#define TELEHEALTH_PHRASE "Words of an abstract about equity and care. "
#define TELEHEALTH_ABSTRACT                                                              \
    TELEHEALTH_PHRASE TELEHEALTH_PHRASE TELEHEALTH_PHRASE TELEHEALTH_PHRASE              \
        TELEHEALTH_PHRASE "The end."

/* Five records; alice is assigned 1-4 at ta, bob 3-5 (and bob has voted). */
static const char ris[] =
    "TY  - JOUR\nTI  - Social workers in primary care teams\nAU  - Adams, Ann\n"
    "AU  - Baker, Bo\nPY  - 2019\nJO  - Health and Social Care\nDO  - 10.1000/one\n"
    "KW  - social work\nKW  - primary care\n"
    "AB  - We studied how social workers embedded in primary care teams changed access "
    "to services for older adults. Equity of access improved across all sites, and "
    "the teams reported fewer missed referrals over the two years of the programme. "
    "Interviews with staff showed that shared records and a common case meeting were "
    "what made the difference, more than the number of social workers employed.\nER  - \n"
    "TY  - JOUR\nTI  - Hospital discharge planning by nurses\nAU  - Clark, Cy\nPY  - 2015\n"
    "JO  - Nursing Times\nAB  - A trial of nurse-led discharge planning for children "
    "in two hospitals.\nER  - \n"
    "TY  - JOUR\nTI  - Community health equity programmes\nAU  - Dunn, Di\nPY  - 2021\n"
    "JO  - Public Health\nAB  - A survey of equity programmes run by community teams.\n"
    "ER  - \n"
    "TY  - JOUR\nTI  - Telehealth for rural families\nAU  - Evans, Ed\nPY  - 2012\n"
    "JO  - Rural Health\nAB  - " TELEHEALTH_ABSTRACT "\n"
    "ER  - \n"
    "TY  - JOUR\nTI  - Secret unit only bob sees\nAU  - Ford, Fa\nPY  - 2020\n"
    "JO  - Elsewhere\nAB  - Not for alice.\nER  - \n";

static char project_path[512];

static inline void make_project(const char *name)
{
    wn_project *p = t_project_with("screen.ris", "Scopus", ris);
    snprintf(project_path, sizeof project_path, "%s", wn_project_path(p));
    wn_actor actor = {"test", "test"};
    assert_int_equal(wn_reviewer_add(p, "alice", "Alice", NULL, &actor), 0);
    assert_int_equal(wn_reviewer_add(p, "bob", "Bob", NULL, &actor), 0);
    t_sql(p, "INSERT INTO assignment(stage, unit_id, reviewer, assigned_at) VALUES"
             " ('ta', 1, 'alice', '2026-01-01'), ('ta', 2, 'alice', '2026-01-01'),"
             " ('ta', 3, 'alice', '2026-01-01'), ('ta', 4, 'alice', '2026-01-01'),"
             " ('ta', 3, 'bob', '2026-01-01'), ('ta', 4, 'bob', '2026-01-01'),"
             " ('ta', 5, 'bob', '2026-01-01')");
    wn_decision d = {"ta", 3, "bob", NULL, "exclude", "bob's secret reason", "bob note"};
    assert_int_equal(wn_decision_add(p, &d, &actor), 0);
    wn_project_close(p);
    (void)name;
}

/* The test project, opened for more setup through the library. */
static inline wn_project *open_project(void)
{
    wn_err e;
    wn_project *p = NULL;
    if (wn_project_open(&p, project_path, &e) != 0)
        fail_msg("cannot open '%s': %s", project_path, e.msg);
    return p;
}

/* Rows of a query as "a|b\n" lines (owned). */
static inline char *query(const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(project_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("bad test query: %s", sqlite3_errmsg(db));
    wn_buf b = WN_BUF_INIT;
    wn_buf_puts(&b, "");
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(s); c++) {
            const char *v = (const char *)sqlite3_column_text(s, c);
            wn_buf_printf(&b, "%s%s", c ? "|" : "", v ? v : "NULL");
        }
        wn_buf_putc(&b, '\n');
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return wn_buf_detach(&b);
}

#define assert_query(sql, want)                                                          \
    do {                                                                                 \
        char *got_ = query(sql);                                                         \
        assert_string_equal(got_, want);                                                 \
        free(got_);                                                                      \
    } while (0)

/* Types keys, then waits until the screen shows text. */
#define press(h, keys, text)                                                            \
    do {                                                                                 \
        pty_send(h, keys);                                                               \
        pty_wait_for(h, text);                                                           \
    } while (0)

static const char alice_votes[] =
    "SELECT unit_id, decision, COALESCE(reason, '-'), COALESCE(note, '-') FROM decision"
    " WHERE reviewer = 'alice' ORDER BY id";

static inline void start_alice(pty_run *h, int rows, int cols, const char *const *env)
{
    const char *args[] = {"-p", project_path, "screen", "--stage", "ta", "--reviewer",
                          "alice", NULL};
    pty_start(h, rows, cols, env, args);
}

static inline void quit_cleanly(pty_run *h)
{
    pty_send(h, "q");
    int status = pty_wait_exit(h);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(h->entered_alt && h->left_alt);
    assert_int_equal(pty_cooked(h), 1);
    pty_end(h);
}

/* The program ended by sig after giving the terminal back (the alternate
 * screen left, cooked mode with echo again). */
static inline void ended_by_signal_restored(pty_run *h, int sig)
{
    assert_true(WIFSIGNALED(h->status));
    assert_int_equal(WTERMSIG(h->status), sig);
    assert_true(h->left_alt);
    assert_int_equal(pty_cooked(h), 1);
    pty_end(h);
}

#endif
