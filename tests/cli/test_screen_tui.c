/* `winnow screen` driven in a pseudo-terminal: what lands in the project
 * and what the reviewer sees while deciding (decisions, reasons, undo,
 * resume after a kill, blinding, resize, signals and suspension, the
 * full-text stage). */
#include "screen_fixture.h"

static void test_decisions_and_reasons(void **state)
{
    (void)state;
    make_project("decide");
    /* The stage's list of reasons, set as the team would. */
    wn_project *p = open_project();
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
    assert_true(pty_shows(&h, "done 1/4 \xC2\xB7 3 left \xC2\xB7 this session 1 ("));
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
    /* A hang-up gives the terminal back too, then ends the program. */
    pty_kill(&h, SIGHUP);
    ended_by_signal_restored(&h, SIGHUP);
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
    int row80 = 0, row132 = 0;
    assert_true(pty_find(&h, "reported fewer missed", &row80, NULL));
    pty_resize(&h, 40, 132);
    pty_wait_for(&h, "unit 1 \xC2\xB7 1 of 4");
    pty_wait_for(&h, "reported fewer missed");
    assert_true(pty_find(&h, "reported fewer missed", &row132, NULL));
    /* Wider lines: the abstract takes fewer rows, and the bars span 132. */
    assert_true(row132 < row80);
    assert_true(widest_row(&h) > 80);
    assert_true(pty_shows(&h, "s skip  b back  u undo"));
    pty_resize(&h, 20, 60);
    pty_wait_for(&h, "unit 1");
    assert_true(widest_row(&h) <= 60);
    assert_false(pty_shows(&h, "b back"));
    pty_resize(&h, 6, 30);
    pty_wait_for(&h, "terminal too small");
    pty_resize(&h, 24, 80);
    pty_wait_for(&h, "Social workers in primary care teams");
    /* Ctrl-Z with no shell to stop for: the view lets go and comes back. */
    h.left_alt = 0;
    pty_send(&h, "\x1a");
    long long until = pty_now_ms() + 10000;
    while (!h.left_alt && pty_now_ms() < until)
        pty_read_once(&h, 30);
    assert_true(h.left_alt);
    pty_wait_for(&h, "Social workers in primary care teams");
    assert_true(h.in_alt);
    press(&h, "s", "Hospital discharge planning by nurses");
    /* SIGTERM: the terminal comes back before the program ends. */
    pty_kill(&h, SIGTERM);
    ended_by_signal_restored(&h, SIGTERM);
}

/* Ctrl-Z gives the terminal back to the shell in its usual modes; resuming
 * takes it again and screening goes on. */
static void test_suspend_and_resume(void **state)
{
    (void)state;
    make_project("suspend");
    static pty_run h;
    const char *args[] = {"-p", project_path, "screen", "--stage", "ta", "--reviewer",
                          "alice", NULL};
    pty_start_as(&h, 24, 80, NULL, args, 1);
    pty_wait_for(&h, "unit 1 \xC2\xB7 1 of 4");
    press(&h, "\x1a", "[winnow stopped: f resumes]");
    assert_true(h.left_alt);
    assert_false(h.in_alt);
    assert_int_equal(pty_cooked(&h), 1);
    h.entered_alt = 0;
    press(&h, "f\r", "unit 1 \xC2\xB7 1 of 4");
    assert_true(h.entered_alt);
    assert_int_equal(pty_cooked(&h), 0);
    press(&h, "i", "unit 2 \xC2\xB7 2 of 4");
    assert_query(alice_votes, "1|include|-|-\n");
    quit_cleanly(&h);
}

static void test_full_text_stage(void **state)
{
    (void)state;
    make_project("ft");
    wn_project *p = open_project();
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
    /* Even a crash gives the terminal back before the program dies. */
    pty_kill(&h, SIGABRT);
    ended_by_signal_restored(&h, SIGABRT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_decisions_and_reasons, pty_teardown),
        cmocka_unit_test_teardown(test_undo_changes_with_a_new_row, pty_teardown),
        cmocka_unit_test_teardown(test_resume_after_kill, pty_teardown),
        cmocka_unit_test_teardown(test_reviewer_sees_only_own_units, pty_teardown),
        cmocka_unit_test_teardown(test_resize_and_signals_restore, pty_teardown),
        cmocka_unit_test_teardown(test_suspend_and_resume, pty_teardown),
        cmocka_unit_test_teardown(test_full_text_stage, pty_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
