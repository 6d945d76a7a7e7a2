/* Allocation: exactly k distinct reviewers per unit, loads within one unit
 * of the shares, evenly overlapping pairs, the same result for the same
 * seed, --only-new leaving earlier assignments alone, calibration units for
 * everyone, and a reviewer leaving without losing finished decisions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "support.h"

/* Checks one allocation's properties; returns the pair count spread. */
static size_t check_allocation(size_t n, size_t m, const double *shares, unsigned k,
                               uint64_t seed)
{
    uint32_t *out = malloc(n * k * sizeof *out);
    assert_non_null(out);
    wn_err err;
    assert_int_equal(wn_allocate(n, m, shares, k, seed, out, &err), 0);
    size_t load[16] = {0}, pairs[16][16] = {{0}};
    for (size_t u = 0; u < n; u++)
        for (unsigned j = 0; j < k; j++) {
            assert_true(out[u * k + j] < m);
            load[out[u * k + j]]++;
            for (unsigned l = 0; l < j; l++) {
                if (out[u * k + j] == out[u * k + l])
                    fail_msg("unit %zu has reviewer %u twice", u, out[u * k + j]);
                pairs[out[u * k + j]][out[u * k + l]]++;
                pairs[out[u * k + l]][out[u * k + j]]++;
            }
        }
    /* Loads: within one unit of the exact share of all slots; a share
     * above one slot per unit is held at n and the rest shared out. */
    double exact_of[16];
    int capped[16] = {0};
    for (int again = 1; again;) {
        again = 0;
        double total = 0, left = (double)(n * k);
        for (size_t i = 0; i < m; i++) {
            if (capped[i])
                left -= (double)n;
            else
                total += shares ? shares[i] : 1;
        }
        for (size_t i = 0; i < m; i++) {
            exact_of[i] = capped[i] ? (double)n : left * (shares ? shares[i] : 1) / total;
            if (exact_of[i] > (double)n + 1e-9 && !capped[i])
                capped[i] = again = 1;
        }
    }
    for (size_t i = 0; i < m; i++) {
        double exact = exact_of[i];
        if ((double)load[i] < exact - 1 || (double)load[i] > exact + 1)
            fail_msg("reviewer %zu has %zu units, share is %.1f", i, load[i], exact);
    }
    size_t lo = SIZE_MAX, hi = 0;
    for (size_t i = 0; i < m; i++)
        for (size_t j = i + 1; j < m; j++) {
            lo = pairs[i][j] < lo ? pairs[i][j] : lo;
            hi = pairs[i][j] > hi ? pairs[i][j] : hi;
        }
    /* Same seed, same allocation; another seed, another. */
    uint32_t *again = malloc(n * k * sizeof *again);
    assert_non_null(again);
    assert_int_equal(wn_allocate(n, m, shares, k, seed, again, &err), 0);
    assert_memory_equal(out, again, n * k * sizeof *out);
    if (n >= 20) {
        assert_int_equal(wn_allocate(n, m, shares, k, seed + 1, again, &err), 0);
        assert_memory_not_equal(out, again, n * k * sizeof *out);
    }
    free(out);
    free(again);
    return m > 1 && k > 1 ? hi - lo : 0;
}

static void test_allocation_properties(void **state)
{
    (void)state;
    /* Equal shares: every pair overlaps within one unit of the others. */
    assert_true(check_allocation(267, 4, NULL, 2, 7) <= 1);
    assert_true(check_allocation(1200, 4, NULL, 2, 1) <= 1);
    assert_true(check_allocation(1000, 5, NULL, 2, 3) <= 1);
    assert_true(check_allocation(999, 6, NULL, 3, 11) <= 2);
    check_allocation(96, 4, NULL, 1, 5);
    check_allocation(7, 3, NULL, 3, 5);
    check_allocation(1, 2, NULL, 1, 5);
    /* Shares: loads follow them; every pair still meets. */
    const double shares[4] = {40, 20, 20, 20};
    check_allocation(500, 4, shares, 2, 9);
    const double odd[3] = {70, 20, 10};
    check_allocation(101, 3, odd, 2, 2); /* 70% of 2 slots is more than every unit */
    const double uneven[5] = {10, 30, 20, 25, 15};
    check_allocation(333, 5, uneven, 1, 4);
    wn_err err;
    uint32_t out[8];
    assert_int_equal(wn_allocate(4, 2, NULL, 3, 1, out, &err), WN_EINVAL);
    assert_int_equal(wn_allocate(4, 2, NULL, 0, 1, out, &err), WN_EINVAL);
    const double bad[2] = {1, 0};
    assert_int_equal(wn_allocate(4, 2, bad, 1, 1, out, &err), WN_EINVAL);
}

static wn_project *project_with_records(const char *file, int n)
{
    wn_buf ris = WN_BUF_INIT;
    for (int i = 1; i <= n; i++)
        wn_buf_printf(&ris, "TY  - JOUR\nTI  - Record number %d\nPY  - 2020\nER  - \n\n", i);
    wn_project *p = t_project_with(file, "Scopus", ris.data);
    wn_buf_free(&ris);
    return p;
}

static void add_team(wn_project *p, const char *const *who, size_t n)
{
    wn_actor actor = {"[\"test\"]", "lead"};
    for (size_t i = 0; i < n; i++)
        assert_int_equal(wn_reviewer_add(p, who[i], who[i], NULL, &actor), 0);
}

static void test_assign_only_new_and_calibration(void **state)
{
    (void)state;
    wn_project *p = project_with_records("assign.ris", 60);
    const char *team[] = {"alice", "bob", "carol", "dave"};
    add_team(p, team, 4);
    wn_actor actor = {"[\"test\"]", "lead"};
    /* Rules excluded unit 60: it is not screened. */
    t_sql(p, "INSERT INTO rule_run(id, at, path, sha256, text) VALUES (1, 'x', 'r', 'h', '')");
    t_sql(p, "INSERT INTO rule_exclusion VALUES (60, 1, 'r1', 'protocol', 'automation')");
    wn_assign_opts o = {"ta", team, 4, NULL, 2, 7, 10, 0};
    wn_assign_result res;
    assert_int_equal(wn_assign(p, &o, &actor, &res), 0);
    assert_int_equal(res.units, 59);
    assert_int_equal(res.calibration, 10);
    assert_int_equal(res.assignments, 10 * 4 + 49 * 2);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM assignment WHERE unit_id = 60"), 0);
    assert_int_equal(t_sql_int(p, "SELECT count(DISTINCT unit_id) FROM assignment"
                                  " WHERE calibration = 1"),
                     10);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM (SELECT unit_id FROM assignment"
                                  " WHERE calibration = 0 GROUP BY unit_id HAVING count(*) <> 2)"),
                     0);
    /* A second allocation is refused; --only-new with nothing new adds nothing. */
    assert_int_equal(wn_assign(p, &o, &actor, &res), WN_EEXISTS);
    char *before = NULL;
    {
        wn_buf b = WN_BUF_INIT;
        sqlite3 *db;
        sqlite3_open_v2(wn_project_path(p), &db, SQLITE_OPEN_READONLY, NULL);
        sqlite3_stmt *s;
        sqlite3_prepare_v2(db, "SELECT unit_id, reviewer FROM assignment ORDER BY 1, 2", -1, &s,
                           NULL);
        while (sqlite3_step(s) == SQLITE_ROW)
            wn_buf_printf(&b, "%lld %s\n", (long long)sqlite3_column_int64(s, 0),
                          sqlite3_column_text(s, 1));
        sqlite3_finalize(s);
        sqlite3_close(db);
        before = wn_buf_detach(&b);
    }
    o.only_new = 1;
    o.calibration = 0;
    assert_int_equal(wn_assign(p, &o, &actor, &res), 0);
    assert_int_equal(res.units, 0);
    /* A search update adds records: only they are allocated. */
    wn_import_opts io = {0};
    const char *more = t_tmp_path("assign-more.ris");
    FILE *f = fopen(more, "w");
    assert_non_null(f);
    for (int i = 0; i < 12; i++)
        fprintf(f, "TY  - JOUR\nTI  - Update record %d\nER  - \n\n", i);
    fclose(f);
    io.path = more;
    io.source_name = "Scopus update";
    wn_import_result ir;
    assert_int_equal(wn_import_file(p, &io, &actor, &ir), 0);
    assert_int_equal(wn_assign(p, &o, &actor, &res), 0);
    assert_int_equal(res.units, 12);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM assignment WHERE unit_id > 60"), 24);
    {
        wn_buf b = WN_BUF_INIT;
        sqlite3 *db;
        sqlite3_open_v2(wn_project_path(p), &db, SQLITE_OPEN_READONLY, NULL);
        sqlite3_stmt *s;
        sqlite3_prepare_v2(db,
                           "SELECT unit_id, reviewer FROM assignment WHERE unit_id <= 60"
                           " ORDER BY 1, 2",
                           -1, &s, NULL);
        while (sqlite3_step(s) == SQLITE_ROW)
            wn_buf_printf(&b, "%lld %s\n", (long long)sqlite3_column_int64(s, 0),
                          sqlite3_column_text(s, 1));
        sqlite3_finalize(s);
        sqlite3_close(db);
        assert_string_equal(b.data, before);
        wn_buf_free(&b);
    }
    free(before);
    /* Unknown and duplicate reviewers, too many per unit. */
    const char *bad[] = {"alice", "zed"};
    wn_assign_opts ob = {"ta", bad, 2, NULL, 1, 1, 0, 1};
    assert_int_equal(wn_assign(p, &ob, &actor, &res), WN_ENOTFOUND);
    const char *twice[] = {"alice", "alice"};
    ob.reviewers = twice;
    assert_int_equal(wn_assign(p, &ob, &actor, &res), WN_EINVAL);
    ob.reviewers = team;
    ob.per_unit = 3;
    assert_int_equal(wn_assign(p, &ob, &actor, &res), WN_EINVAL);
    wn_project_close(p);
}

static void test_same_seed_same_assignments(void **state)
{
    (void)state;
    char *dump[2];
    for (int round = 0; round < 2; round++) {
        wn_project *p = project_with_records(round ? "seed-b.ris" : "seed-a.ris", 40);
        const char *team[] = {"ann", "ben", "cy"};
        add_team(p, team, 3);
        wn_actor actor = {"[\"test\"]", "lead"};
        const double shares[3] = {50, 25, 25};
        wn_assign_opts o = {"ta", team, 3, shares, 2, 42, 4, 0};
        wn_assign_result res;
        assert_int_equal(wn_assign(p, &o, &actor, &res), 0);
        assert_int_equal(res.assignments, 4 * 3 + 36 * 2);
        /* ann takes half of the 72 regular slots. */
        assert_int_equal(t_sql_int(p, "SELECT count(*) FROM assignment WHERE reviewer = 'ann'"
                                      " AND calibration = 0"),
                         36);
        wn_buf b = WN_BUF_INIT;
        sqlite3 *db;
        sqlite3_open_v2(wn_project_path(p), &db, SQLITE_OPEN_READONLY, NULL);
        sqlite3_stmt *s;
        sqlite3_prepare_v2(db, "SELECT unit_id, reviewer, calibration FROM assignment ORDER BY 1, 2",
                           -1, &s, NULL);
        while (sqlite3_step(s) == SQLITE_ROW)
            wn_buf_printf(&b, "%lld %s %d\n", (long long)sqlite3_column_int64(s, 0),
                          sqlite3_column_text(s, 1), sqlite3_column_int(s, 2));
        sqlite3_finalize(s);
        sqlite3_close(db);
        dump[round] = wn_buf_detach(&b);
        wn_project_close(p);
    }
    assert_string_equal(dump[0], dump[1]);
    free(dump[0]);
    free(dump[1]);
}

static void test_reviewer_leaves(void **state)
{
    (void)state;
    wn_project *p = project_with_records("leave.ris", 30);
    const char *team[] = {"alice", "bob", "carol", "dave"};
    add_team(p, team, 4);
    wn_actor actor = {"[\"test\"]", "lead"};
    wn_assign_opts o = {"ta", team, 3, NULL, 2, 5, 0, 0};
    wn_assign_result res;
    assert_int_equal(wn_assign(p, &o, &actor, &res), 0);
    int64_t bob_total = t_sql_int(p, "SELECT count(*) FROM assignment WHERE reviewer = 'bob'");
    assert_int_equal(bob_total, 20);
    /* bob finishes his first five units, then leaves. */
    sqlite3 *db;
    sqlite3_open_v2(wn_project_path(p), &db, SQLITE_OPEN_READONLY, NULL);
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db,
                       "SELECT unit_id FROM assignment WHERE reviewer = 'bob' ORDER BY unit_id"
                       " LIMIT 5",
                       -1, &s, NULL);
    wn_decision d[5];
    int64_t units[5];
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW && n < 5) {
        units[n] = sqlite3_column_int64(s, 0);
        d[n] = (wn_decision){"ta", units[n], "bob", NULL, "exclude", NULL, NULL};
        n++;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    assert_int_equal(wn_decisions_add(p, d, 5, &actor), 0);
    size_t moved = 0;
    const char *to[] = {"carol"};
    /* carol already shares some of bob's open units (pairs are balanced),
     * so she alone cannot take them all: refused, nothing changed. */
    assert_true(t_sql_int(p, "SELECT count(*) FROM assignment a JOIN assignment b"
                             " ON b.stage = a.stage AND b.unit_id = a.unit_id"
                             " WHERE a.reviewer = 'bob' AND b.reviewer = 'carol'"
                             " AND NOT EXISTS (SELECT 1 FROM decision x"
                             "  WHERE x.unit_id = a.unit_id AND x.reviewer = 'bob')") > 0);
    assert_int_equal(wn_reviewer_leave(p, "bob", to, 1, &actor, &moved), WN_EINVAL);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM assignment WHERE reviewer = 'bob'"), 20);
    assert_int_equal(wn_reviewer_leave(p, "bob", NULL, 0, &actor, &moved), 0);
    assert_int_equal(moved, 15);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM assignment WHERE reviewer = 'bob'"), 5);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM decision WHERE reviewer = 'bob'"), 5);
    /* Still exactly two distinct reviewers per unit. */
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM (SELECT unit_id FROM assignment"
                                  " GROUP BY unit_id HAVING count(DISTINCT reviewer) <> 2)"),
                     0);
    /* bob can no longer be given work, nor leave twice. */
    assert_int_equal(wn_reviewer_leave(p, "bob", NULL, 0, &actor, &moved), WN_EINVAL);
    o.only_new = 1;
    assert_int_equal(wn_assign(p, &o, &actor, &res), WN_EINVAL);
    wn_project_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allocation_properties),
        cmocka_unit_test(test_assign_only_new_and_calibration),
        cmocka_unit_test(test_same_seed_same_assignments),
        cmocka_unit_test(test_reviewer_leaves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
