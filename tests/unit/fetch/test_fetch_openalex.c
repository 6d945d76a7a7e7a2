/* OpenAlex fetches against a loopback server: cursor paging, a short last
 * page, an empty result, 429 with Retry-After, a truncated page, a server
 * too slow for the timeout, and a refused query. */
#include <stdlib.h>
#include <string.h>

#include "fetch_fixture.h"
#include "fetch/http.h"

static const t_http_step three_pages[] = {
    {.file = "openalex/page_1.json"},
    {.file = "openalex/page_2.json"},
    {.file = "openalex/page_3.json"},
};

static void test_pages(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "oa-pages");
    t_http_server *srv = t_http_start(three_pages, 3);
    wn_fetch_opts o = ff_opts(WN_API_OPENALEX, t_http_base(srv), "mental health equity");
    o.filter = "publication_year:1990-2023";
    o.email = "reviewer@example.org";
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    /* Three pages: the third, short, reaches the reported total of five. */
    assert_int_equal(t_http_count(srv), 3);
    ff_assert_target(srv, 0, "/works?search=mental%20health%20equity");
    ff_assert_target(srv, 0, "&filter=publication_year%3A1990-2023&per-page=2&cursor=%2A");
    ff_assert_target(srv, 0, "&mailto=reviewer%40example.org");
    ff_assert_target(srv, 1, "cursor=IlsxNjk0NjYyMDAwMDAwLCAnaHR0cHM6Ly9vcGVuYWxleC5vcmcv"
                             "VzQxMDAwMDAwMDEnXSI%3D");
    ff_assert_target(srv, 2, "cursor=IlsxNjY0NDAwMDAwMDAwLCAnaHR0cHM6Ly9vcGVuYWxleC5vcmcv"
                             "VzQxMDAwMDAwMDMnXSI%3D");
    assert_int_equal(r.total, 5);
    assert_int_equal(r.records, 5);
    assert_int_equal(r.pages, 3);
    ff_assert_dois(f.p, FIVE_DOIS);
    /* The abstract is rebuilt from the inverted index. */
    wn_record *rec = wn_record_new();
    wn_record_meta m;
    assert_int_equal(wn_record_load(f.p, 2, rec, &m, NULL), 0);
    assert_string_equal(wn_record_get(rec, WN_F_ABSTRACT, 0),
                        "We followed 640 older adults receiving integrated care with a social "
                        "worker on the team");
    assert_int_equal(m.position, 2);
    wn_record_free(rec);
    ff_close(&f);
    /* The source and its log: query, filter, total, a hash per response. */
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM source WHERE name = 'OpenAlex'"
                                        " AND kind = 'database' AND query = 'mental health "
                                        "equity' AND records = 5"),
                     1);
    assert_int_equal(ff_sql_int(f.path, "SELECT reported_total FROM fetch_run"), 5);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM fetch_run WHERE params LIKE "
                                        "'%\"filter\":\"publication_year:1990-2023\"%'"),
                     1);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM fetch_page"), 3);
    char *sha = ff_fixture_sha("openalex/page_2.json");
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM fetch_page WHERE seq = 1 AND sha256 = '%s'",
             sha);
    assert_int_equal(ff_sql_int(f.path, sql), 1);
    free(sha);
    t_http_stop(srv);
}

static void test_empty_result(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "oa-empty");
    const t_http_step steps[] = {{.file = "openalex/empty.json"}};
    t_http_server *srv = t_http_start(steps, 1);
    wn_fetch_opts o = ff_opts(WN_API_OPENALEX, t_http_base(srv), "zzzz qqqq");
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    assert_int_equal(t_http_count(srv), 1);
    assert_int_equal(r.total, 0);
    assert_int_equal(r.records, 0);
    assert_true(r.source_id > 0);
    /* Another search that finds nothing is not a duplicate of the first. */
    t_http_reset(srv, steps, 1);
    o.query = "qqqq zzzz";
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    ff_close(&f);
    /* The searches are on record with their zero, for the PRISMA count. */
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM source WHERE records = 0"), 2);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM fetch_page"), 2);
    t_http_stop(srv);
}

static void keep_warning(void *user, const wn_warning *w)
{
    wn_buf *b = user;
    wn_buf_printf(b, "%s: %s\n", w->file, w->message);
}

/* The API runs dry before its own total: what came is stored, and said. */
static void test_fewer_than_reported(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "oa-short");
    const t_http_step steps[] = {{.file = "openalex/page_1.json"}, {.file = "openalex/empty.json"}};
    t_http_server *srv = t_http_start(steps, 2);
    wn_fetch_opts o = ff_opts(WN_API_OPENALEX, t_http_base(srv), "mental health");
    wn_buf warnings = WN_BUF_INIT;
    o.on_warning = keep_warning;
    o.user = &warnings;
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    assert_int_equal(t_http_count(srv), 2);
    assert_int_equal(r.total, 5);
    assert_int_equal(r.records, 2);
    assert_non_null(warnings.data);
    assert_string_equal(warnings.data, "OpenAlex page 2: OpenAlex gave 2 of the 5 records it "
                                       "reported, then no more; stopping there\n");
    wn_buf_free(&warnings);
    ff_close(&f);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM record"), 2);
    assert_int_equal(ff_sql_int(f.path, "SELECT reported_total FROM fetch_run WHERE records = 2"),
                     5);
    t_http_stop(srv);
}

static void test_429_retry_after(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "oa-429");
    const t_http_step steps[] = {
        {.file = "openalex/page_1.json"},
        {.status = 429, .body = "{\"error\": \"Rate limit exceeded\"}",
         .headers = "Retry-After: 1\r\n"},
        {.file = "openalex/page_2.json"},
        {.file = "openalex/page_3.json"},
    };
    t_http_server *srv = t_http_start(steps, 4);
    wn_fetch_opts o = ff_opts(WN_API_OPENALEX, t_http_base(srv), "mental health");
    wn_fetch_result r;
    double t0 = wn_monotonic();
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    double waited = wn_monotonic() - t0;
    /* The server's second, not the 10 ms backoff. */
    assert_true(waited >= 0.95);
    assert_int_equal(t_http_count(srv), 4);
    ff_assert_target(srv, 2, "cursor=IlsxNjk0");
    assert_int_equal(r.retries, 1);
    ff_assert_dois(f.p, FIVE_DOIS);
    ff_close(&f);
    t_http_stop(srv);
}

static void test_retry_after_too_long(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "oa-429-long");
    const t_http_step steps[] = {
        {.status = 429, .body = "{\"error\": \"Rate limit exceeded\"}",
         .headers = "Retry-After: 3600\r\n"},
    };
    t_http_server *srv = t_http_start(steps, 1);
    wn_fetch_opts o = ff_opts(WN_API_OPENALEX, t_http_base(srv), "mental health");
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EIO);
    assert_int_equal(t_http_count(srv), 1);
    assert_non_null(strstr(wn_project_errmsg(f.p), "HTTP 429: Rate limit exceeded, and the "
                                                   "server asks to wait 3600 s"));
    ff_assert_unchanged(&f);
    ff_close(&f);
    t_http_stop(srv);
}

static void test_truncated_page_retried(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "oa-cut");
    const t_http_step steps[] = {
        {.file = "openalex/page_1.json"},
        {.file = "openalex/page_2.json", .cut_to = 900},
        {.file = "openalex/page_2.json"},
        {.file = "openalex/page_3.json"},
    };
    t_http_server *srv = t_http_start(steps, 4);
    wn_fetch_opts o = ff_opts(WN_API_OPENALEX, t_http_base(srv), "mental health");
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    assert_int_equal(t_http_count(srv), 4);
    assert_int_equal(r.records, 5);
    ff_assert_dois(f.p, FIVE_DOIS);
    ff_close(&f);
    t_http_stop(srv);
}

static void test_truncated_page_every_time(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "oa-cut-always");
    const t_http_step steps[] = {
        {.file = "openalex/page_1.json"},
        {.file = "openalex/page_2.json", .cut_to = 900},
        {.file = "openalex/page_2.json", .cut_to = 900},
        {.file = "openalex/page_2.json", .cut_to = 900},
    };
    t_http_server *srv = t_http_start(steps, 4);
    wn_fetch_opts o = ff_opts(WN_API_OPENALEX, t_http_base(srv), "mental health");
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EIO);
    assert_non_null(strstr(wn_project_errmsg(f.p), "OpenAlex page 2"));
    assert_non_null(strstr(wn_project_errmsg(f.p), "after 3 tries"));
    assert_int_equal(t_http_count(srv), 4);
    assert_true(ff_exists(r.staged));
    ff_assert_unchanged(&f);
    ff_close(&f);
    unlink(r.staged);
    t_http_stop(srv);
}

static void test_slow_server_times_out(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "oa-slow");
    const t_http_step steps[] = {
        {.file = "openalex/page_1.json", .delay_ms = 3000},
        {.file = "openalex/page_1.json"},
        {.file = "openalex/page_2.json"},
        {.file = "openalex/page_3.json"},
    };
    t_http_server *srv = t_http_start(steps, 4);
    wn_fetch_opts o = ff_opts(WN_API_OPENALEX, t_http_base(srv), "mental health");
    o.timeout_ms = 250;
    wn_fetch_result r;
    double t0 = wn_monotonic();
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    assert_true(wn_monotonic() - t0 < 2.0);
    assert_int_equal(r.retries, 1);
    ff_assert_dois(f.p, FIVE_DOIS);
    ff_close(&f);
    t_http_stop(srv);
}

static void test_slow_server_every_time(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "oa-slow-always");
    const t_http_step steps[] = {
        {.file = "openalex/page_1.json", .delay_ms = 3000},
        {.file = "openalex/page_1.json", .delay_ms = 3000},
    };
    t_http_server *srv = t_http_start(steps, 2);
    wn_fetch_opts o = ff_opts(WN_API_OPENALEX, t_http_base(srv), "mental health");
    o.timeout_ms = 200;
    o.max_tries = 2;
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EIO);
    assert_non_null(strstr(wn_project_errmsg(f.p), "timed out"));
    ff_assert_unchanged(&f);
    ff_close(&f);
    unlink(r.staged);
    t_http_stop(srv);
}

static void test_refused_query(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "oa-400");
    const t_http_step steps[] = {{.status = 400, .file = "openalex/error_400.json"}};
    t_http_server *srv = t_http_start(steps, 1);
    wn_fetch_opts o = ff_opts(WN_API_OPENALEX, t_http_base(srv), "mental health");
    o.filter = "publication_yeer:2020";
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EINVAL);
    /* Not retried, and the API's own words are shown. */
    assert_int_equal(t_http_count(srv), 1);
    assert_non_null(strstr(wn_project_errmsg(f.p),
                           "HTTP 400: publication_yeer is not a valid field"));
    ff_assert_unchanged(&f);
    ff_close(&f);
    unlink(r.staged);
    t_http_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_empty_result),
        cmocka_unit_test(test_fewer_than_reported),
        cmocka_unit_test(test_429_retry_after),
        cmocka_unit_test(test_retry_after_too_long),
        cmocka_unit_test(test_truncated_page_retried),
        cmocka_unit_test(test_truncated_page_every_time),
        cmocka_unit_test(test_slow_server_times_out),
        cmocka_unit_test(test_slow_server_every_time),
        cmocka_unit_test(test_refused_query),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
