/* Units: lone records before dedup, clusters after, and merged metadata. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char three[] =
    "TY  - JOUR\nTI  - Social work and mental health equity\nAU  - Okafor, A\n"
    "PY  - 2022\nER  - \n\n"
    "TY  - JOUR\nTI  - Social work and mental health equity\nPY  - 2022\n"
    "DO  - 10.1000/equity.1\nAB  - An abstract only this copy has.\nER  - \n\n"
    "TY  - JOUR\nTI  - Another study\nPY  - 2020\nER  - \n";

static int count_units(void *ctx, int64_t unit_id, const wn_record *merged, size_t members)
{
    (void)unit_id;
    (void)merged;
    size_t *seen = ctx;
    seen[0]++;
    seen[1] += members;
    return 0;
}

static void test_each_record_is_a_unit_before_dedup(void **state)
{
    (void)state;
    wn_project *p = t_project_with("units-lone.ris", "Scopus", three);
    int64_t n;
    assert_int_equal(wn_units_count(p, &n), 0);
    assert_int_equal(n, 3);
    size_t seen[2] = {0, 0};
    assert_int_equal(wn_units_each(p, count_units, seen), 0);
    assert_int_equal(seen[0], 3);
    assert_int_equal(seen[1], 3);
    int64_t unit;
    assert_int_equal(wn_unit_of_record(p, 2, &unit), 0);
    assert_int_equal(unit, 2);
    assert_int_equal(wn_unit_of_record(p, 99, &unit), WN_ENOTFOUND);
    wn_project_close(p);
}

static void test_cluster_is_one_unit_with_merged_fields(void **state)
{
    (void)state;
    wn_project *p = t_project_with("units-cluster.ris", "Scopus", three);
    t_sql(p, "INSERT INTO cluster_member VALUES (1, 1), (2, 1)");
    int64_t n;
    assert_int_equal(wn_units_count(p, &n), 0);
    assert_int_equal(n, 2);
    int64_t unit, *ids;
    size_t members;
    assert_int_equal(wn_unit_of_record(p, 2, &unit), 0);
    assert_int_equal(unit, 1);
    assert_int_equal(wn_unit_members(p, 1, &ids, &members), 0);
    assert_int_equal(members, 2);
    assert_int_equal(ids[0], 1);
    assert_int_equal(ids[1], 2);
    free(ids);
    assert_int_equal(wn_unit_members(p, 2, &ids, &members), WN_ENOTFOUND);

    wn_record *r = wn_record_new();
    assert_int_equal(wn_unit_load(p, 1, r), 0);
    /* The second copy is more complete; the author comes from the first. */
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.1000/equity.1");
    assert_string_equal(wn_record_first(r, WN_F_ABSTRACT), "An abstract only this copy has.");
    assert_string_equal(wn_record_first(r, WN_F_AUTHOR), "Okafor, A");
    assert_int_equal(wn_record_count(r, WN_F_TITLE), 1);
    wn_record_free(r);
    wn_project_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_record_is_a_unit_before_dedup),
        cmocka_unit_test(test_cluster_is_one_unit_with_merged_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
