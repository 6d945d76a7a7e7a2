/* The real APIs, asked only for their counts, and only when asked for:
 * WINNOW_LIVE_TESTS=1. Otherwise the program is skipped (exit 77): the test
 * suite never reaches outside the machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void count(wn_fetch_api api, const char *query)
{
    wn_fetch_opts o;
    memset(&o, 0, sizeof o);
    o.api = api;
    o.query = query;
    o.dry_run = 1;
    o.email = getenv("WINNOW_LIVE_EMAIL");
    wn_fetch_result r;
    wn_err err;
    if (wn_fetch(NULL, &o, NULL, &r, &err))
        fail_msg("%s: %s", wn_fetch_api_label(api), err.msg);
    print_message("%s reports %zu records\n", wn_fetch_api_label(api), r.total);
    assert_true(r.total > 0);
}

static void test_pubmed(void **state)
{
    (void)state;
    count(WN_API_PUBMED, "(\"social work*\"[tiab]) AND \"mental health\"[tiab]");
}

static void test_openalex(void **state)
{
    (void)state;
    count(WN_API_OPENALEX, "health social worker mental health equity");
}

static void test_crossref(void **state)
{
    (void)state;
    count(WN_API_CROSSREF, "mental health social work");
}

int main(void)
{
    const char *live = getenv("WINNOW_LIVE_TESTS");
    if (!live || strcmp(live, "1") != 0) {
        printf("skipped: live API checks run only with WINNOW_LIVE_TESTS=1\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pubmed),
        cmocka_unit_test(test_openalex),
        cmocka_unit_test(test_crossref),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
