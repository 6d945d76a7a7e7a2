/* `winnow screen` driven in a pseudo-terminal: what the reviewer sees and
 * what lands in the project (decisions, reasons, undo, resume after a kill,
 * resize, colours and highlights, blinding, the full-text stage). */
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

static void make_project(const char *name)
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

/* Rows of a query as "a|b\n" lines (owned). */
static char *query(const char *sql)
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

static void start_alice(pty_run *h, int rows, int cols, const char *const *env)
{
    const char *args[] = {"-p", project_path, "screen", "--stage", "ta", "--reviewer",
                          "alice", NULL};
    pty_start(h, rows, cols, env, args);
}

static void quit_cleanly(pty_run *h)
{
    pty_send(h, "q");
    int status = pty_wait_exit(h);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(h->entered_alt && h->left_alt);
    assert_int_equal(pty_cooked(h), 1);
    pty_end(h);
}

static void test_decisions_and_reasons(void **state)
{
    (void)state;
    make_project("decide");
    /* The stage's list of reasons, set as the team would. */
    wn_err e;
    wn_project *p;
    assert_int_equal(wn_project_open(&p, project_path, &e), 0);
    const char *reasons[] = {"wrong population", "wrong design"};
    wn_actor actor = {"test", "test"};
    assert_int_equal(wn_reasons_set(p, "ta", reasons, 2, &actor), 0);
    wn_project_close(p);
    static pty_run h;
    start_alice(&h, 24, 80, NULL);
    pty_wait_for(&h, "Social workers in primary care teams");
    pty_wait_for(&h, "unit 1 \xC2\xB7 1 of 4");
    assert_true(pty_shows(&h, "done 0/4"));
    assert_true(pty_shows(&h, "Your decision: none yet"));
    assert_true(pty_shows(&h, "Adams, Ann; Baker, Bo"));
    assert_true(pty_shows(&h, "doi:10.1000/one"));
    press(&h, "i", "Hospital discharge planning by nurses");
    assert_true(pty_shows(&h, "done 1/4"));
    /* Exclude with a reason typed for the first time. */
    press(&h, "e", "Exclude: why?");
    assert_true(pty_shows(&h, "1  wrong population"));
    assert_true(pty_shows(&h, "2  wrong design"));
    assert_false(pty_shows(&h, "secret"));
    press(&h, "not primary care\r", "Community health equity programmes");
    /* The typed reason joins the list; a number picks one. */
    press(&h, "e", "3  not primary care");
    press(&h, "2", "Telehealth for rural families");
    pty_send(&h, "n");
    press(&h, "ask Bo\r", "note to save: ask Bo");
    press(&h, "m", "All 4 units assigned to you");
    assert_true(pty_shows(&h, "done 4/4"));
    assert_query(alice_votes, "1|include|-|-\n2|exclude|not primary care|-\n"
                              "3|exclude|wrong design|-\n4|maybe|-|ask Bo\n");
    /* Each decision has its audit row, under the reviewer's name. */
    assert_query("SELECT count(*) FROM audit WHERE actor = 'alice'", "4\n");
    quit_cleanly(&h);
}

static void test_undo_changes_with_a_new_row(void **state)
{
    (void)state;
    make_project("undo");
    static pty_run h;
    start_alice(&h, 24, 80, NULL);
    pty_wait_for(&h, "unit 1 \xC2\xB7 1 of 4");
    press(&h, "i", "unit 2 \xC2\xB7 2 of 4");
    press(&h, "u", "unit 1 \xC2\xB7 1 of 4");
    pty_wait_for(&h, "Your decision: include");
    press(&h, "e", "Exclude: why?");
    pty_send(&h, "not primary care\r");
    /* Back to the first unit still waiting. */
    pty_wait_for(&h, "unit 2 \xC2\xB7 2 of 4");
    assert_query(alice_votes, "1|include|-|-\n1|exclude|not primary care|-\n");
    /* Going back shows the changed decision. */
    press(&h, "b", "Your decision: exclude \xE2\x80\x94 not primary care");
    quit_cleanly(&h);
}

static void test_resume_after_kill(void **state)
{
    (void)state;
    make_project("resume");
    static pty_run h;
    start_alice(&h, 24, 80, NULL);
    pty_wait_for(&h, "unit 1 \xC2\xB7 1 of 4");
    press(&h, "i", "unit 2 \xC2\xB7 2 of 4");
    press(&h, "m", "unit 3 \xC2\xB7 3 of 4");
    pty_kill(&h, SIGKILL);
    assert_true(WIFSIGNALED(h.status));
    /* SIGKILL cannot be caught: the terminal is left raw (the shell's
     * `reset` fixes it); what matters is that nothing was lost. */
    assert_int_equal(pty_cooked(&h), 0);
    pty_end(&h);
    assert_query(alice_votes, "1|include|-|-\n2|maybe|-|-\n");
    /* A new session opens where the last one stopped. */
    start_alice(&h, 24, 80, NULL);
    pty_wait_for(&h, "unit 3 \xC2\xB7 3 of 4");
    assert_true(pty_shows(&h, "done 2/4"));
    press(&h, "b", "Your decision: maybe");
    quit_cleanly(&h);
}

static void test_reviewer_sees_only_own_units(void **state)
{
    (void)state;
    make_project("blind");
    static pty_run h;
    start_alice(&h, 24, 80, NULL);
    pty_wait_for(&h, "unit 1 \xC2\xB7 1 of 4");
    /* Walk the whole queue: bob's unit and bob's vote never show. */
    const char *titles[] = {"Social workers", "Hospital discharge", "Community health",
                            "Telehealth"};
    for (int i = 0; i < 4; i++) {
        pty_wait_for(&h, titles[i]);
        assert_false(pty_shows(&h, "Secret unit"));
        assert_false(pty_shows(&h, "bob"));
        assert_true(pty_shows(&h, "Your decision: none yet"));
        pty_send(&h, "s");
    }
    pty_wait_for(&h, "Social workers");
    quit_cleanly(&h);
    /* bob's own queue opens on his unit 3 decision already made: unit 4. */
    const char *args[] = {"-p", project_path, "screen", "--stage", "ta", "--reviewer", "bob",
                          NULL};
    pty_start(&h, 24, 80, NULL, args);
    pty_wait_for(&h, "unit 4 \xC2\xB7 2 of 3");
    press(&h, "b", "Your decision: exclude \xE2\x80\x94 bob's secret reason");
    quit_cleanly(&h);
}

/* Rows [from, to) of the screen joined by single spaces (owned). */
static char *rows_joined(const pty_run *h, int from, int to)
{
    wn_buf b = WN_BUF_INIT;
    for (int r = from; r < to; r++) {
        const char *line = pty_row(h, r);
        if (!*line)
            continue;
        if (b.len)
            wn_buf_putc(&b, ' ');
        wn_buf_puts(&b, line);
    }
    return wn_buf_detach(&b);
}

/* Wrapping loses no character, also on lines that fill the width. */
static void test_wrap_keeps_every_character(void **state)
{
    (void)state;
    make_project("wrap");
    static pty_run h;
    const int widths[] = {80, 61, 132};
    for (size_t i = 0; i < 3; i++) {
        start_alice(&h, 30, widths[i], NULL);
        pty_wait_for(&h, "unit 1 \xC2\xB7 1 of 4");
        press(&h, "sss", "Telehealth for rural families");
        pty_wait_for(&h, "The end.");
        int top;
        assert_true(pty_find(&h, "Words of an abstract", &top, NULL));
        char *text = rows_joined(&h, top, h.rows - 2);
        assert_string_equal(text, TELEHEALTH_ABSTRACT);
        free(text);
        quit_cleanly(&h);
    }
}

static void test_scroll_and_help(void **state)
{
    (void)state;
    make_project("scroll");
    static pty_run h;
    start_alice(&h, 12, 60, NULL);
    pty_wait_for(&h, "Social workers in primary care teams");
    assert_false(pty_shows(&h, "social workers employed"));
    press(&h, " ", "social workers employed");
    assert_false(pty_shows(&h, "Social workers in primary care teams"));
    press(&h, "g", "Social workers in primary care teams");
    press(&h, "j", "Adams, Ann");
    pty_wait_for(&h, "2019");
    press(&h, "?", "Keys (space: more)");
    press(&h, " ", "undo: back to your last decision");
    /* Any key closes the help and decides nothing. */
    press(&h, "i", "Adams, Ann");
    assert_false(pty_shows(&h, "undo: back to"));
    assert_query(alice_votes, "");
    /* Ctrl-C: the terminal is given back, then the program ends by SIGINT. */
    pty_send(&h, "\x03");
    pty_wait_exit(&h);
    assert_true(WIFSIGNALED(h.status));
    assert_int_equal(WTERMSIG(h.status), SIGINT);
    assert_true(h.left_alt);
    assert_int_equal(pty_cooked(&h), 1);
    pty_end(&h);
}

/* The widest row on screen, in columns. */
static int widest_row(const pty_run *h)
{
    int widest = 0;
    for (int r = 0; r < h->rows; r++) {
        const char *line = pty_row(h, r);
        int cols = 0;
        for (const char *p = line; *p; p++)
            cols += ((unsigned char)*p & 0xC0) != 0x80;
        if (cols > widest)
            widest = cols;
    }
    return widest;
}

static void test_resize_and_signals_restore(void **state)
{
    (void)state;
    make_project("resize");
    static pty_run h;
    start_alice(&h, 24, 80, NULL);
    pty_wait_for(&h, "Equity of access improved");
    int row80, row132;
    assert_true(pty_find(&h, "reported fewer missed", &row80, NULL));
    pty_resize(&h, 40, 132);
    pty_wait_for(&h, "unit 1 \xC2\xB7 1 of 4");
    pty_wait_for(&h, "reported fewer missed");
    assert_true(pty_find(&h, "reported fewer missed", &row132, NULL));
    /* Wider lines: the abstract takes fewer rows, and the bars span 132. */
    assert_true(row132 < row80);
    assert_true(widest_row(&h) > 80);
    assert_true(pty_shows(&h, "q quit"));
    pty_resize(&h, 20, 60);
    pty_wait_for(&h, "unit 1");
    assert_true(widest_row(&h) <= 60);
    pty_resize(&h, 6, 30);
    pty_wait_for(&h, "terminal too small");
    pty_resize(&h, 24, 80);
    pty_wait_for(&h, "Social workers in primary care teams");
    /* SIGTERM: the terminal comes back before the program ends. */
    pty_kill(&h, SIGTERM);
    assert_true(WIFSIGNALED(h.status));
    assert_int_equal(WTERMSIG(h.status), SIGTERM);
    assert_true(h.left_alt);
    assert_int_equal(pty_cooked(&h), 1);
    pty_end(&h);
}

/* The foreground colour of the first cell of text on screen (-2: absent). */
static int colour_of(const pty_run *h, const char *text, unsigned char *attr)
{
    int r, c;
    if (!pty_find(h, text, &r, &c))
        return -2;
    if (attr)
        *attr = h->grid[r * h->cols + c].attr;
    return h->grid[r * h->cols + c].fg;
}

static void test_highlights_and_no_color(void **state)
{
    (void)state;
    make_project("colour");
    char *out = NULL, *err = NULL;
    const char *args[] = {"-p", project_path, "screen", "--highlight-include",
                          "social work*, equity", "--highlight-exclude", "children", NULL};
    assert_int_equal(t_winnow(NULL, NULL, &out, &err, args), 0);
    assert_non_null(strstr(out, "include highlight terms: 2"));
    free(out);
    free(err);
    assert_query("SELECT kind, term FROM highlight_term ORDER BY kind, term",
                 "exclude|children\ninclude|equity\ninclude|social work*\n");
    static pty_run h;
    start_alice(&h, 24, 80, NULL);
    pty_wait_for(&h, "Equity of access");
    assert_true(h.saw_color);
    assert_int_equal(colour_of(&h, "Equity of access", NULL), 2);  /* green */
    assert_int_equal(colour_of(&h, "social workers embedded", NULL), 2);
    assert_int_equal(colour_of(&h, "We studied", NULL), -1);
    /* Search marks matches too and says how many. */
    press(&h, "/records\r", "1 match for 'records'");
    press(&h, "i", "nurse-led discharge planning for children");
    assert_int_equal(colour_of(&h, "children", NULL), 1); /* red */
    quit_cleanly(&h);

    const char *env[] = {"NO_COLOR=1", NULL};
    start_alice(&h, 24, 80, env);
    pty_wait_for(&h, "nurse-led discharge planning for children");
    unsigned char attr = 0;
    assert_int_equal(colour_of(&h, "children", &attr), -1);
    assert_true(attr & VT_UNDERLINE);
    press(&h, "b", "Equity of access");
    assert_int_equal(colour_of(&h, "Equity of access", &attr), -1);
    assert_true(attr & VT_BOLD);
    assert_false(h.saw_color);
    quit_cleanly(&h);
}

/* Terms the rule file's flag rules matched are highlighted too. */
static void test_rule_file_highlights(void **state)
{
    (void)state;
    make_project("rules");
    const char *rules = t_tmp_path("screen.rules");
    FILE *f = fopen(rules, "w");
    assert_non_null(f);
    fputs("flag setting \"Hospital setting\" when hospital*[tiab]\n"
          "flag young \"Children\" as negative when children[tiab]\n",
          f);
    fclose(f);
    wn_err e;
    wn_project *p;
    assert_int_equal(wn_project_open(&p, project_path, &e), 0);
    wn_actor actor = {"test", "test"};
    wn_filter_result res;
    wn_rule_diags diags = {NULL, 0};
    if (wn_filter_run(p, rules, 0, &actor, &res, &diags) != 0)
        fail_msg("filter: %s", wn_project_errmsg(p));
    wn_filter_result_free(&res);
    wn_rule_diags_free(&diags);
    wn_project_close(p);
    static pty_run h;
    start_alice(&h, 24, 80, NULL);
    pty_wait_for(&h, "unit 1 \xC2\xB7 1 of 4");
    press(&h, "s", "Hospital discharge planning by nurses");
    assert_int_equal(colour_of(&h, "Hospital discharge", NULL), 2);
    assert_int_equal(colour_of(&h, "discharge planning by", NULL), -1);
    assert_int_equal(colour_of(&h, "children in two hospitals", NULL), 1);
    assert_int_equal(colour_of(&h, "hospitals.", NULL), 2);
    quit_cleanly(&h);
}

static void test_full_text_stage(void **state)
{
    (void)state;
    make_project("ft");
    wn_err e;
    wn_project *p;
    assert_int_equal(wn_project_open(&p, project_path, &e), 0);
    t_sql(p, "INSERT INTO report(id, unit_id, study_id, status, location, updated_at) VALUES"
             " (7, 1, 7, 'retrieved', '/pdfs/adams2019.pdf', '2026-01-02'),"
             " (8, 3, 8, 'not_retrieved', NULL, '2026-01-02')");
    t_sql(p, "INSERT INTO assignment(stage, unit_id, reviewer, assigned_at) VALUES"
             " ('ft', 7, 'alice', '2026-01-02'), ('ft', 8, 'alice', '2026-01-02')");
    wn_project_close(p);
    static pty_run h;
    const char *args[] = {"-p", project_path, "screen", "--stage", "ft", "--reviewer",
                          "alice", NULL};
    pty_start(&h, 24, 80, NULL, args);
    pty_wait_for(&h, "report 7 \xC2\xB7 1 of 2");
    assert_true(pty_shows(&h, "Social workers in primary care teams"));
    assert_true(pty_shows(&h, "Full text: retrieved \xC2\xB7 /pdfs/adams2019.pdf"));
    /* No exclusion without a reason at full text. */
    press(&h, "e", "a reason is needed at full text");
    press(&h, "\r", "a reason is needed to exclude at full text");
    press(&h, "wrong setting\r", "report 8 \xC2\xB7 2 of 2");
    assert_true(pty_shows(&h, "Full text: not_retrieved"));
    assert_query("SELECT stage, unit_id, decision, reason FROM decision WHERE reviewer = 'alice'",
                 "ft|7|exclude|wrong setting\n");
    quit_cleanly(&h);
}

/* Runs winnow screen on the project without a terminal; checks the exit
 * status and that stream (1 stdout, 2 stderr) mentions part. */
static void expect_cli(int status, int stream, const char *part, const char *const *args)
{
    const char *argv[16] = {"-p", project_path, "screen"};
    int n = 3;
    for (int i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    char *out = NULL, *err = NULL;
    assert_int_equal(t_winnow(NULL, NULL, &out, &err, argv), status);
    const char *text = stream == 1 ? out : err;
    if (!text || !strstr(text, part))
        fail_msg("'%s' not in '%s'", part, text ? text : "");
    free(out);
    free(err);
}

static void test_errors_and_empty_queue(void **state)
{
    (void)state;
    make_project("errors");
    expect_cli(2, 2, "unknown stage 'xx'",
               (const char *[]){"--stage", "xx", "--reviewer", "alice", NULL});
    expect_cli(2, 2, "--reviewer is required", (const char *[]){"--stage", "ta", NULL});
    expect_cli(2, 2, "unknown order 'newest'",
               (const char *[]){"--stage", "ta", "--reviewer", "alice", "--order", "newest",
                                NULL});
    expect_cli(1, 2, "unknown reviewer 'carol'",
               (const char *[]){"--stage", "ta", "--reviewer", "carol", NULL});
    expect_cli(0, 1, "nothing to screen",
               (const char *[]){"--stage", "ft", "--reviewer", "bob", NULL});
    /* Not a terminal: a clear error, nothing written. */
    expect_cli(1, 2, "needs a terminal",
               (const char *[]){"--stage", "ta", "--reviewer", "alice", NULL});
    assert_query(alice_votes, "");
}

/* The queue in the library: orders are stable, and blinded. */
static void test_queue_orders(void **state)
{
    (void)state;
    make_project("orders");
    wn_err e;
    wn_project *p;
    assert_int_equal(wn_project_open(&p, project_path, &e), 0);
    wn_queue q1, q2;
    assert_int_equal(wn_queue_load(p, "ta", "alice", WN_ORDER_OLDEST_FIRST, &q1), 0);
    assert_int_equal(q1.n, 4);
    /* Years 2012, 2015, 2019, 2021. */
    int64_t want[] = {4, 2, 1, 3};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(q1.items[i].unit_id, want[i]);
    wn_queue_free(&q1);
    assert_int_equal(wn_queue_load(p, "ta", "alice", WN_ORDER_RANDOM, &q1), 0);
    assert_int_equal(wn_queue_load(p, "ta", "alice", WN_ORDER_RANDOM, &q2), 0);
    int64_t sum = 0;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(q1.items[i].unit_id, q2.items[i].unit_id);
        sum += q1.items[i].unit_id;
    }
    assert_int_equal(sum, 1 + 2 + 3 + 4);
    wn_queue_free(&q1);
    wn_queue_free(&q2);
    /* Bob's vote on unit 3 is his alone. */
    assert_int_equal(wn_queue_load(p, "ta", "alice", WN_ORDER_ASSIGNED, &q1), 0);
    assert_null(q1.items[2].decision);
    assert_int_equal(wn_queue_decided(&q1), 0);
    wn_queue_free(&q1);
    assert_int_equal(wn_queue_load(p, "ta", "bob", WN_ORDER_ASSIGNED, &q1), 0);
    assert_string_equal(q1.items[0].decision, "exclude");
    assert_string_equal(q1.items[0].reason, "bob's secret reason");
    wn_queue_free(&q1);
    char **reasons;
    size_t n;
    assert_int_equal(wn_queue_reasons(p, "ta", "alice", &reasons, &n), 0);
    assert_int_equal(n, 0);
    wn_strings_free(reasons, n);
    assert_int_equal(wn_queue_load(p, "ta", "carol", WN_ORDER_ASSIGNED, &q1), WN_ENOTFOUND);
    wn_project_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_decisions_and_reasons, pty_teardown),
        cmocka_unit_test_teardown(test_undo_changes_with_a_new_row, pty_teardown),
        cmocka_unit_test_teardown(test_resume_after_kill, pty_teardown),
        cmocka_unit_test_teardown(test_reviewer_sees_only_own_units, pty_teardown),
        cmocka_unit_test_teardown(test_scroll_and_help, pty_teardown),
        cmocka_unit_test_teardown(test_wrap_keeps_every_character, pty_teardown),
        cmocka_unit_test_teardown(test_resize_and_signals_restore, pty_teardown),
        cmocka_unit_test_teardown(test_highlights_and_no_color, pty_teardown),
        cmocka_unit_test_teardown(test_rule_file_highlights, pty_teardown),
        cmocka_unit_test_teardown(test_full_text_stage, pty_teardown),
        cmocka_unit_test_teardown(test_errors_and_empty_queue, pty_teardown),
        cmocka_unit_test_teardown(test_queue_orders, pty_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
