/* PubMed fetches against a loopback server: esearch with the history
 * server, efetch in batches at the polite rate, an empty result, a refused
 * request, and a fetch that breaks off and is resumed. */
#include <stdlib.h>
#include <string.h>

#include "fetch_fixture.h"
#include "fetch/http.h"

#define QUERY "(\"social work*\"[tiab]) AND \"mental health\"[tiab]"

static const t_http_step whole_search[] = {
    {.file = "pubmed/esearch_5.json"},
    {.file = "pubmed/efetch_1.xml"},
    {.file = "pubmed/efetch_2.xml"},
    {.file = "pubmed/efetch_3.xml"},
};

static void test_pages_at_polite_rate(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "pm-pages");
    t_http_server *srv = t_http_start(whole_search, 4);
    wn_fetch_opts o = ff_opts(WN_API_PUBMED, t_http_base(srv), QUERY);
    o.min_interval_ms = 0; /* the default: 3 requests a second without a key */
    o.mindate = "1990";
    o.maxdate = "2023";
    o.email = "reviewer@example.org";
    wn_fetch_result r;
    double t0 = wn_monotonic();
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    double took = wn_monotonic() - t0;
    assert_true(took >= 3 * 0.333);
    assert_int_equal(t_http_count(srv), 4);
    ff_assert_target(srv, 0, "/esearch.fcgi?db=pubmed&term=%28%22social%20work%2A%22%5Btiab"
                             "%5D%29%20AND%20%22mental%20health%22%5Btiab%5D");
    ff_assert_target(srv, 0, "&datetype=pdat&mindate=1990&maxdate=2023&usehistory=y");
    ff_assert_target(srv, 0, "&tool=winnow&email=reviewer%40example.org");
    ff_assert_target(srv, 1, "/efetch.fcgi?db=pubmed&query_key=1&WebEnv="
                             "MCID_6571f0a2b1c3d4e5f6a7b8c9&retstart=0&retmax=2&retmode=xml");
    ff_assert_target(srv, 2, "&retstart=2&retmax=2");
    ff_assert_target(srv, 3, "&retstart=4&retmax=2");
    assert_int_equal(r.total, 5);
    assert_int_equal(r.records, 5);
    assert_int_equal(r.pages, 3);
    assert_int_equal(r.requests, 4);
    ff_assert_dois(f.p, FIVE_DOIS);
    /* Each record's raw text is its PubmedArticle in the stored pages. */
    char *raw = NULL;
    wn_record *rec = wn_record_new();
    wn_record_meta m;
    assert_int_equal(wn_record_load(f.p, 3, rec, &m, &raw), 0);
    assert_non_null(strstr(raw, "<PMID Version=\"1\">33899761</PMID>"));
    assert_null(strstr(raw, "31002233"));
    assert_int_equal(m.position, 3);
    assert_string_equal(m.source_name, "PubMed");
    free(raw);
    wn_record_free(rec);
    ff_close(&f);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM source WHERE name = 'PubMed' "
                                        "AND format = 'pubmed-xml' AND records = 5"),
                     1);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM fetch_page WHERE kind = "
                                        "'search' AND seq = 0 AND text_offset IS NULL"),
                     1);
    char *sha = ff_fixture_sha("pubmed/efetch_3.xml");
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT records FROM fetch_page WHERE seq = 3 AND sha256 = '%s'",
             sha);
    assert_int_equal(ff_sql_int(f.path, sql), 1);
    free(sha);
    /* The key is never stored, the email is. */
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM fetch_run WHERE params LIKE "
                                        "'%\"email\":\"reviewer@example.org\"%'"),
                     1);
    t_http_stop(srv);
}

static void test_key_is_sent_not_stored(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "pm-key");
    t_http_server *srv = t_http_start(whole_search, 4);
    wn_fetch_opts o = ff_opts(WN_API_PUBMED, t_http_base(srv), QUERY);
    o.api_key = "sekrit0123";
    o.min_interval_ms = 0; /* the default: 10 requests a second with a key */
    wn_fetch_result r;
    double t0 = wn_monotonic();
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    double took = wn_monotonic() - t0;
    /* Three pauses of 100 ms, well short of the keyless 3 x 334 ms. */
    assert_true(took >= 3 * 0.099);
    assert_true(took < 0.95);
    for (size_t i = 0; i < 4; i++)
        ff_assert_target(srv, i, "&api_key=sekrit0123");
    ff_close(&f);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM fetch_page WHERE url LIKE "
                                        "'%sekrit%'"),
                     0);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM fetch_run WHERE params LIKE "
                                        "'%sekrit%'"),
                     0);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM audit WHERE command LIKE "
                                        "'%sekrit%' OR summary LIKE '%sekrit%'"),
                     0);
    t_http_stop(srv);
}

static void test_empty_result(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "pm-empty");
    const t_http_step steps[] = {{.file = "pubmed/esearch_0.json"}};
    t_http_server *srv = t_http_start(steps, 1);
    wn_fetch_opts o = ff_opts(WN_API_PUBMED, t_http_base(srv), "zzzz[ti] AND qqqq[ti]");
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    assert_int_equal(t_http_count(srv), 1);
    assert_int_equal(r.records, 0);
    assert_true(r.source_id > 0);
    ff_close(&f);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM record"), 0);
    assert_int_equal(ff_sql_int(f.path, "SELECT reported_total FROM fetch_run"), 0);
    t_http_stop(srv);
}

static void test_refused(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "pm-400");
    const t_http_step steps[] = {{.status = 400, .file = "pubmed/error_400.json"}};
    t_http_server *srv = t_http_start(steps, 1);
    wn_fetch_opts o = ff_opts(WN_API_PUBMED, t_http_base(srv), QUERY);
    o.api_key = "0123456789abcdef";
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EINVAL);
    assert_int_equal(t_http_count(srv), 1);
    const char *msg = wn_project_errmsg(f.p);
    assert_non_null(strstr(msg, "HTTP 400: API key invalid"));
    assert_null(strstr(msg, "api_key=")); /* the shown URL leaves the key out */
    ff_assert_unchanged(&f);
    ff_close(&f);
    unlink(r.staged);
    t_http_stop(srv);
}

/* E-utilities also refuses with 200 and an ERROR in the body. */
static void test_refused_in_body(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "pm-error-body");
    const t_http_step steps[] = {
        {.body = "{\"header\": {\"type\": \"esearch\"}, \"esearchresult\": "
                 "{\"ERROR\": \"Invalid query: unbalanced parentheses\"}}"},
        {.file = "pubmed/esearch_5.json"},
        {.body = "<?xml version=\"1.0\"?>\n<eFetchResult><ERROR>Unable to obtain query "
                 "#1</ERROR></eFetchResult>\n"},
    };
    t_http_server *srv = t_http_start(steps, 3);
    wn_fetch_opts o = ff_opts(WN_API_PUBMED, t_http_base(srv), "(x[ti]");
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EINVAL);
    assert_int_equal(t_http_count(srv), 1);
    assert_non_null(strstr(wn_project_errmsg(f.p), "PubMed refused the search: Invalid query: "
                                                   "unbalanced parentheses"));
    o.query = QUERY;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EINVAL);
    assert_int_equal(t_http_count(srv), 3);
    assert_non_null(strstr(wn_project_errmsg(f.p), "PubMed page 1 refused by PubMed: Unable to "
                                                   "obtain query #1"));
    ff_assert_unchanged(&f);
    ff_close(&f);
    unlink(r.staged);
    t_http_stop(srv);
}

/* More than E-utilities will hand out: refused before any batch, with the
 * way round it, and nothing kept. */
static void test_over_the_limit(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "pm-limit");
    const t_http_step steps[] = {
        {.body = "{\"header\": {\"type\": \"esearch\"}, \"esearchresult\": {\"count\": "
                 "\"12345\", \"retmax\": \"0\", \"retstart\": \"0\", \"querykey\": \"1\", "
                 "\"webenv\": \"MCID_1\", \"idlist\": []}}"},
    };
    t_http_server *srv = t_http_start(steps, 1);
    wn_fetch_opts o = ff_opts(WN_API_PUBMED, t_http_base(srv), "mental health[tiab]");
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EINVAL);
    assert_int_equal(t_http_count(srv), 1);
    assert_non_null(strstr(wn_project_errmsg(f.p), "PubMed finds 12345 records for this "
                                                   "search but hands out only the first 10000"));
    assert_string_equal(r.staged, "");
    ff_assert_unchanged(&f);
    ff_close(&f);
    /* A dry run still gives the count. */
    t_http_reset(srv, steps, 1);
    o.dry_run = 1;
    wn_err err;
    assert_int_equal(wn_fetch(NULL, &o, NULL, &r, &err), 0);
    assert_int_equal(r.total, 12345);
    t_http_stop(srv);
}

/* Where a batch's body ends right after its first whole article: the cut
 * that still reads as one good record unless the reader insists on the
 * closing </PubmedArticleSet>. */
static int after_first_article(const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/fixtures/http/%s", WINNOW_SOURCE_DIR, rel);
    size_t len;
    char *xml = t_read_file(path, &len);
    assert_non_null(xml);
    const char *end = strstr(xml, "</PubmedArticle>");
    assert_non_null(end);
    int at = (int)(end - xml) + (int)strlen("</PubmedArticle>");
    assert_true((size_t)at < len);
    free(xml);
    return at;
}

/* A batch cut short (a Content-Length that matches the short body, so only
 * the XML tells) is asked for again; the records come out whole, once. */
static void test_truncated_xml_retried(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "pm-cut");
    int cut = after_first_article("pubmed/efetch_2.xml");
    const t_http_step steps[] = {
        {.file = "pubmed/esearch_5.json"},
        {.file = "pubmed/efetch_1.xml"},
        {.file = "pubmed/efetch_2.xml", .cut_to = cut},
        {.file = "pubmed/efetch_2.xml", .cut_to = 1500},
        {.file = "pubmed/efetch_2.xml"},
        {.file = "pubmed/efetch_3.xml"},
    };
    t_http_server *srv = t_http_start(steps, 6);
    wn_fetch_opts o = ff_opts(WN_API_PUBMED, t_http_base(srv), QUERY);
    o.max_tries = 3;
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    assert_int_equal(t_http_count(srv), 6);
    ff_assert_target(srv, 3, "&retstart=2&");
    ff_assert_target(srv, 4, "&retstart=2&");
    assert_int_equal(r.retries, 2);
    assert_int_equal(r.records, 5);
    ff_assert_dois(f.p, FIVE_DOIS);
    ff_close(&f);
    /* Only the whole batch is on record. */
    char *sha = ff_fixture_sha("pubmed/efetch_2.xml");
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM fetch_page WHERE seq = 2 AND sha256 = '%s'"
             " AND records = 2", sha);
    assert_int_equal(ff_sql_int(f.path, sql), 1);
    free(sha);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM fetch_page"), 4);
    t_http_stop(srv);
}

static void test_truncated_xml_every_time(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "pm-cut-always");
    int cut = after_first_article("pubmed/efetch_1.xml");
    const t_http_step steps[] = {
        {.file = "pubmed/esearch_5.json"},
        {.file = "pubmed/efetch_1.xml", .cut_to = cut},
        {.file = "pubmed/efetch_1.xml", .cut_to = cut},
    };
    t_http_server *srv = t_http_start(steps, 3);
    wn_fetch_opts o = ff_opts(WN_API_PUBMED, t_http_base(srv), QUERY);
    o.max_tries = 2;
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EIO);
    assert_int_equal(t_http_count(srv), 3);
    const char *msg = wn_project_errmsg(f.p);
    assert_non_null(strstr(msg, "PubMed page 1"));
    assert_non_null(strstr(msg, "after 2 tries"));
    ff_assert_unchanged(&f);
    ff_close(&f);
    unlink(r.staged);
    t_http_stop(srv);
}

/* The server fails batch 2 until the tries run out; the project stays as it
 * was. Run again, the fetch searches anew and goes on from retstart 2. */
static void test_resume_after_failure(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "pm-resume");
    const t_http_step failing[] = {
        {.file = "pubmed/esearch_5.json"},
        {.file = "pubmed/efetch_1.xml"},
        {.status = 502, .body = "<html>Bad Gateway</html>"},
        {.status = 503, .body = "<html>Service Unavailable</html>"},
        {.file = "pubmed/efetch_2.xml", .reset_after = 700},
    };
    t_http_server *srv = t_http_start(failing, 5);
    wn_fetch_opts o = ff_opts(WN_API_PUBMED, t_http_base(srv), QUERY);
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EIO);
    assert_int_equal(t_http_count(srv), 5);
    assert_true(ff_exists(r.staged));
    char staged[sizeof r.staged];
    memcpy(staged, r.staged, sizeof staged);
    ff_assert_unchanged(&f);

    const t_http_step rest[] = {
        {.file = "pubmed/esearch_5.json"},
        {.file = "pubmed/efetch_2.xml"},
        {.file = "pubmed/efetch_3.xml"},
    };
    t_http_reset(srv, rest, 3);
    wn_err err;
    assert_int_equal(wn_project_open(&f.p, f.path, &err), 0);
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    assert_int_equal(t_http_count(srv), 3);
    ff_assert_target(srv, 1, "&retstart=2&");
    ff_assert_target(srv, 2, "&retstart=4&");
    assert_int_equal(r.resumed_pages, 2); /* the search and batch 1 */
    assert_int_equal(r.records, 5);
    ff_assert_dois(f.p, FIVE_DOIS);
    assert_false(ff_exists(staged));
    ff_close(&f);
    /* One search in the log, every batch once. */
    assert_int_equal(ff_sql_int(f.path, "SELECT count(*) FROM fetch_page"), 4);
    assert_int_equal(ff_sql_int(f.path, "SELECT count(DISTINCT pmid) FROM record"), 5);
    t_http_stop(srv);
}

static void test_result_changed_before_resume(void **state)
{
    (void)state;
    ff_project f;
    ff_open(&f, "pm-changed");
    const t_http_step failing[] = {
        {.file = "pubmed/esearch_5.json"},
        {.status = 500, .body = "oops"},
    };
    t_http_server *srv = t_http_start(failing, 2);
    wn_fetch_opts o = ff_opts(WN_API_PUBMED, t_http_base(srv), QUERY);
    o.max_tries = 1;
    wn_fetch_result r;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EIO);
    const t_http_step changed[] = {{.file = "pubmed/esearch_0.json"}};
    t_http_reset(srv, changed, 1);
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), WN_EINVAL);
    assert_non_null(strstr(wn_project_errmsg(f.p), "(5 records then, 0 now)"));
    assert_true(ff_exists(r.staged));
    /* --restart drops the staged pages and starts again. */
    t_http_reset(srv, changed, 1);
    o.restart = 1;
    assert_int_equal(wn_fetch(f.p, &o, NULL, &r, NULL), 0);
    assert_int_equal(r.resumed_pages, 0);
    assert_int_equal(r.total, 0);
    ff_close(&f);
    t_http_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_at_polite_rate),
        cmocka_unit_test(test_key_is_sent_not_stored),
        cmocka_unit_test(test_empty_result),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_refused_in_body),
        cmocka_unit_test(test_over_the_limit),
        cmocka_unit_test(test_truncated_xml_retried),
        cmocka_unit_test(test_truncated_xml_every_time),
        cmocka_unit_test(test_resume_after_failure),
        cmocka_unit_test(test_result_changed_before_resume),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
