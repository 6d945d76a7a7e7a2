/* Crossref fetches against a loopback server: cursor paging, a 500 then
 * success, a connection reset mid-body, a dry run, Ctrl-C and resuming,
 * and the same responses fetched twice. */
#include <stdlib.h>
#include <string.h>

#include "fetch_fixture.h"
#include "fetch/http.h"

static const t_http_step three_pages[] = {
    {.file = "crossref/page_1.json"},
    {.file = "crossref/page_2.json"},
    {.file = "crossref/page_3.json"},
};

static void test_pages(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "cr-pages");
    t_http_server *srv = t_http_start(three_pages, 3);
    wn_fetch_opts o = ff_opts(WN_API_CROSSREF, t_http_base(srv), "mental health social work");
    o.filter = "from-pub-date:1990";
    o.email = "reviewer@example.org";
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    assert_int_equal(t_http_count(srv), 3);
    ff_assert_target(srv, 0, "/works?query=mental%20health%20social%20work&filter=from-pub-"
                             "date%3A1990&rows=2&cursor=%2A&mailto=reviewer%40example.org");
    ff_assert_target(srv, 1, "&cursor=DnF1ZXJ5VGhlbkZldGNoBgAAAAAAY8zwFmZqb0x0dV9wUnh5X2h2c"
                             "GRpYk1mUkEAAAAAAGPM&");
    ff_assert_target(srv, 2, "&cursor=DnF1ZXJ5VGhlbkZldGNoBgAAAAAAY8zx");
    assert_int_equal(r.records, 5);
    ff_assert_dois(f.p, FIVE_DOIS);
    ff_close(&f);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM source WHERE name = 'Crossref'"
                                        " AND format = 'crossref'"),
                     1);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM fetch_page WHERE kind = "
                                        "'records' AND http_status = 200"),
                     3);
    /* The stored text is the three bodies, so its hash covers all of them. */
    char *sha = ff_fixture_sha("crossref/page_1.json");
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM fetch_page WHERE seq = 0 AND sha256 = '%s'"
             " AND text_offset = 0", sha);
    assert_int_equal(ff_sql_int(f.path, sql), 1);
    free(sha);
    assert_int_equal(ff_sql_int(f.path, "SELECT bytes FROM source"),
                     ff_sql_int(f.path, "SELECT sum(bytes) FROM fetch_page"));
    t_http_stop(srv);
}

static void test_500_then_success(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "cr-500");
    const t_http_step steps[] = {
        {.status = 500, .body = "{\"status\": \"error\"}"},
        {.file = "crossref/page_1.json"},
        {.file = "crossref/page_2.json"},
        /* A Retry-After date in the past: go again at once. */
        {.status = 503, .body = "Service Unavailable",
         .headers = "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n"},
        {.file = "crossref/page_3.json"},
    };
    t_http_server *srv = t_http_start(steps, 5);
    wn_fetch_opts o = ff_opts(WN_API_CROSSREF, t_http_base(srv), "mental health");
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    assert_int_equal(t_http_count(srv), 5);
    assert_int_equal(r.retries, 2);
    assert_int_equal(r.records, 5);
    ff_assert_dois(f.p, FIVE_DOIS);
    ff_close(&f);
    assert_int_equal(ff_sql_int(f.path, "SELECT retries FROM fetch_run"), 2);
    t_http_stop(srv);
}

static void test_reset_mid_body(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "cr-reset");
    const t_http_step steps[] = {
        {.file = "crossref/page_1.json", .reset_after = 1000},
        {.file = "crossref/page_1.json"},
        {.file = "crossref/page_2.json", .reset_after = 10},
        {.file = "crossref/page_2.json"},
        {.file = "crossref/page_3.json"},
    };
    t_http_server *srv = t_http_start(steps, 5);
    wn_fetch_opts o = ff_opts(WN_API_CROSSREF, t_http_base(srv), "mental health");
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    assert_int_equal(t_http_count(srv), 5);
    assert_int_equal(r.records, 5);
    ff_assert_dois(f.p, FIVE_DOIS);
    ff_close(&f);
    t_http_stop(srv);
}

static void test_reset_every_time(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "cr-reset-always");
    const t_http_step steps[] = {
        {.file = "crossref/page_1.json", .reset_after = 1000},
        {.file = "crossref/page_1.json", .reset_after = 1000},
        {.file = "crossref/page_1.json", .reset_after = 1000},
    };
    t_http_server *srv = t_http_start(steps, 3);
    wn_fetch_opts o = ff_opts(WN_API_CROSSREF, t_http_base(srv), "mental health");
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EIO);
    assert_int_equal(t_http_count(srv), 3);
    ff_assert_unchanged(&f);
    ff_close(&f);
    unlink(r.staged);
    t_http_stop(srv);
}

static void test_dry_run(void **state)
{
    (void)state;
    const t_http_step steps[] = {{.file = "crossref/empty.json"}};
    t_http_server *srv = t_http_start(steps, 1);
    wn_fetch_opts o = ff_opts(WN_API_CROSSREF, t_http_base(srv), "zzzz qqqq");
    o.dry_run = 1;
    wn_fetch_result r;
    wn_err err;
    assert_int_equal(wn_fetch(NULL, &o, NULL, &r, &err), 0);
    assert_int_equal(r.total, 0);
    assert_int_equal(t_http_count(srv), 1);
    ff_assert_target(srv, 0, "/works?query=zzzz%20qqqq&rows=0");
    /* The total comes from the API, not from counting. */
    const t_http_step five[] = {{.file = "crossref/page_1.json"}};
    t_http_reset(srv, five, 1);
    assert_int_equal(wn_fetch(NULL, &o, NULL, &r, &err), 0);
    assert_int_equal(r.total, 5);
    t_http_stop(srv);
}

static volatile sig_atomic_t stop_now;

static void stop_after_first_page(void *user, const wn_fetch_progress *pr)
{
    (void)user;
    if (pr->records >= 2)
        stop_now = 1;
}

static void test_interrupt_and_resume(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "cr-interrupt");
    t_http_server *srv = t_http_start(three_pages, 3);
    wn_fetch_opts o = ff_opts(WN_API_CROSSREF, t_http_base(srv), "mental health");
    o.cancel = &stop_now;
    o.on_progress = stop_after_first_page;
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EABORT);
    assert_int_equal(t_http_count(srv), 1);
    assert_non_null(strstr(wn_project_errmsg(f.p), "interrupted"));
    char staged[sizeof r.staged];
    memcpy(staged, r.staged, sizeof staged);
    assert_true(ff_exists(staged));
    ff_assert_unchanged(&f);
    /* Run again: it goes on from the saved cursor. */
    wn_err err;
    assert_int_equal(wn_project_open(&f.p, f.path, &err), 0);
    static const t_http_step rest[] = {{.file = "crossref/page_2.json"},
                                       {.file = "crossref/page_3.json"}};
    t_http_reset(srv, rest, 2);
    stop_now = 0;
    o.on_progress = NULL;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    assert_int_equal(t_http_count(srv), 2);
    ff_assert_target(srv, 0, "&cursor=DnF1ZXJ5VGhlbkZldGNoBgAAAAAAY8zw");
    assert_int_equal(r.resumed_pages, 1);
    ff_assert_dois(f.p, FIVE_DOIS);
    assert_false(ff_exists(staged));
    ff_close(&f);
    t_http_stop(srv);
}

static int count_pending(void *user, const char *path, const wn_fetch_opts *o)
{
    (void)path;
    assert_string_equal(o->query, "mental health");
    assert_int_equal(o->api, WN_API_CROSSREF);
    (*(int *)user)++;
    return 0;
}

static void test_pending_listed(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "cr-pending");
    const t_http_step steps[] = {{.file = "crossref/page_1.json"},
                                 {.status = 500, .body = "down"}};
    t_http_server *srv = t_http_start(steps, 2);
    wn_fetch_opts o = ff_opts(WN_API_CROSSREF, t_http_base(srv), "mental health");
    o.max_tries = 1;
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EIO);
    int n = 0;
    wn_err err;
    assert_int_equal(wn_fetch_pending(f.path, count_pending, &n, &err), 0);
    assert_int_equal(n, 1);
    unlink(r.staged);
    n = 0;
    assert_int_equal(wn_fetch_pending(f.path, count_pending, &n, &err), 0);
    assert_int_equal(n, 0);
    ff_close(&f);
    t_http_stop(srv);
}

static void test_same_responses_twice(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "cr-twice");
    t_http_server *srv = t_http_start(three_pages, 3);
    wn_fetch_opts o = ff_opts(WN_API_CROSSREF, t_http_base(srv), "mental health");
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    t_http_reset(srv, three_pages, 3);
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EEXISTS);
    assert_non_null(strstr(wn_project_errmsg(f.p), "already imported into source 'Crossref'"));
    char staged[sizeof r.staged];
    memcpy(staged, r.staged, sizeof staged);
    assert_true(ff_exists(staged));
    /* Kept staged: with force it is stored without asking the server again. */
    t_http_reset(srv, NULL, 0);
    o.force = 1;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    assert_int_equal(t_http_count(srv), 0);
    assert_int_equal(r.resumed_pages, 3);
    assert_false(ff_exists(staged));
    t_http_stop(srv);
    ff_close(&f);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM source"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_500_then_success),
        cmocka_unit_test(test_reset_mid_body),
        cmocka_unit_test(test_reset_every_time),
        cmocka_unit_test(test_dry_run),
        cmocka_unit_test(test_interrupt_and_resume),
        cmocka_unit_test(test_pending_listed),
        cmocka_unit_test(test_same_responses_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
