/* `winnow screen` driven in a pseudo-terminal: how a unit is shown
 * (scrolling, help, wrapping, highlights and NO_COLOR, the rule file's
 * matches, --order) and the command's errors; the queue in the library. */
#include "screen_fixture.h"

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
    start_alice(&h, 30, 80, NULL);
    pty_wait_for(&h, "unit 1 \xC2\xB7 1 of 4");
    press(&h, "sss", "Telehealth for rural families");
    /* The same unit rewrapped at each width. */
    const int widths[] = {80, 61, 132};
    for (size_t i = 0; i < 3; i++) {
        if (widths[i] != h.cols)
            pty_resize(&h, 30, widths[i]);
        pty_wait_for(&h, "The end.");
        int top = 0;
        assert_true(pty_find(&h, "Words of an abstract", &top, NULL));
        char *text = rows_joined(&h, top, h.rows - 2);
        assert_string_equal(text, TELEHEALTH_ABSTRACT);
        free(text);
    }
    quit_cleanly(&h);
}

static void test_scroll_and_help(void **state)
{
    (void)state;
    make_project("scroll");
    static pty_run h;
    start_alice(&h, 12, 60, NULL); /* 7 rows of text between the fixed lines */
    pty_wait_for(&h, "Social workers in primary care teams");
    assert_false(pty_shows(&h, "social workers employed"));
    assert_true(pty_shows(&h, "more below (space, j): lines 1-7 of"));
    press(&h, " ", "social workers employed");
    assert_false(pty_shows(&h, "Social workers in primary care teams"));
    assert_false(pty_shows(&h, "more below"));
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
    ended_by_signal_restored(&h, SIGINT);
}

/* A reason list longer than the window: the instructions stay in view, the
 * reasons that do not fit are counted, and their numbers still work. */
static void test_long_reason_list(void **state)
{
    (void)state;
    make_project("reasons");
    wn_project *p = open_project();
    char names[15][16];
    const char *reasons[15];
    for (int i = 0; i < 15; i++) {
        snprintf(names[i], sizeof names[i], "reason %d", i + 1);
        reasons[i] = names[i];
    }
    wn_actor actor = {"test", "test"};
    assert_int_equal(wn_reasons_set(p, "ta", reasons, 15, &actor), 0);
    wn_project_close(p);
    static pty_run h;
    start_alice(&h, 12, 60, NULL); /* 7 rows between the fixed lines */
    pty_wait_for(&h, "unit 1 \xC2\xB7 1 of 4");
    press(&h, "e", "Type a number or a new reason, then Enter.");
    assert_true(pty_shows(&h, " 3  reason 3"));
    assert_false(pty_shows(&h, " 4  reason 4"));
    assert_true(pty_shows(&h, "\xE2\x80\xA6 12 more: type a number up to 15"));
    press(&h, "15\r", "unit 2 \xC2\xB7 2 of 4");
    assert_query(alice_votes, "1|exclude|reason 15|-\n");
    quit_cleanly(&h);
}

/* The foreground colour of the first cell of text on screen (-2: absent). */
static int colour_of(const pty_run *h, const char *text, unsigned char *attr)
{
    int r = 0, c = 0;
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
    wn_project *p = open_project();
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

/* --order on the command line: oldest first opens on the 2012 unit, and a
 * decision moves to the next oldest (2015). */
static void test_order_option(void **state)
{
    (void)state;
    make_project("order");
    static pty_run h;
    const char *args[] = {"-p", project_path, "screen", "--stage", "ta", "--reviewer",
                          "alice", "--order", "oldest-first", NULL};
    pty_start(&h, 24, 80, NULL, args);
    pty_wait_for(&h, "unit 4 \xC2\xB7 1 of 4");
    assert_true(pty_shows(&h, "Telehealth for rural families"));
    press(&h, "i", "unit 2 \xC2\xB7 2 of 4");
    assert_query(alice_votes, "4|include|-|-\n");
    quit_cleanly(&h);
}

/* The queue in the library: orders are stable, and blinded. */
static void test_queue_orders(void **state)
{
    (void)state;
    make_project("orders");
    wn_project *p = open_project();
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
        cmocka_unit_test_teardown(test_wrap_keeps_every_character, pty_teardown),
        cmocka_unit_test_teardown(test_scroll_and_help, pty_teardown),
        cmocka_unit_test_teardown(test_highlights_and_no_color, pty_teardown),
        cmocka_unit_test_teardown(test_rule_file_highlights, pty_teardown),
        cmocka_unit_test_teardown(test_errors_and_empty_queue, pty_teardown),
        cmocka_unit_test_teardown(test_order_option, pty_teardown),
        cmocka_unit_test_teardown(test_long_reason_list, pty_teardown),
        cmocka_unit_test_teardown(test_queue_orders, pty_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
