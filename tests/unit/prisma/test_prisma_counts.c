/* Every PRISMA box computed on constructed projects, and every invariant
 * that must fail when the ledger is inconsistent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prisma_fixture.h"

static void expect_compute_ok(wn_project *p, wn_prisma *c)
{
    int rc = wn_prisma_compute(p, c);
    if (rc)
        fail_msg("compute failed: %s", wn_project_errmsg(p));
    assert_int_equal(c->n_violations, 0);
}

static void test_both_arms_every_box(void **state)
{
    (void)state;
    wn_project *p = pf_build("both_arms", 1);
    wn_prisma c;
    expect_compute_ok(p, &c);
    const wn_prisma_arm *d = &c.arm[WN_PRISMA_DBR], *o = &c.arm[WN_PRISMA_OTHER];

    /* identification: 10 + 6 from databases, 2 from a register */
    assert_int_equal(c.databases, 16);
    assert_int_equal(pf_item(&c.database_sources, "Scopus"), 10);
    assert_int_equal(pf_item(&c.database_sources, "WoS"), 6);
    assert_int_equal(c.registers, 2);
    assert_int_equal(pf_item(&c.register_sources, "CT.gov"), 2);
    assert_int_equal(c.citations, 3);
    assert_int_equal(c.websites, 1);
    assert_int_equal(c.organisations, 0);
    assert_int_equal(c.records_total, 22);
    /* 22 records less the 6 non-head cluster members 11 12 13 17 19 21 */
    assert_int_equal(c.units_total, 16);

    /* databases and registers: 18 records make 14 units (11 12 13 17 merged) */
    assert_int_equal(d->identified, 18);
    assert_int_equal(d->units, 14);
    assert_int_equal(d->duplicates, 4);
    assert_int_equal(d->automation, 3);
    assert_int_equal(pf_item(&d->automation_reasons, "Not peer reviewed"), 2);
    assert_int_equal(pf_item(&d->automation_reasons, "Preprint"), 1);
    assert_int_equal(d->removed_other, 1);
    assert_int_equal(pf_item(&d->other_reasons, "Retracted"), 1);
    assert_int_equal(d->screened, 14 - 3 - 1);
    assert_int_equal(d->excluded, 5);
    assert_int_equal(pf_item(&d->ta_reasons, "Wrong population"), 3);
    assert_int_equal(pf_item(&d->ta_reasons, "Protocol"), 2);
    assert_int_equal(d->ta_included, 5);
    assert_int_equal(d->ta_pending, 0);
    assert_int_equal(d->sought, 6); /* unit 2 has two reports */
    assert_int_equal(d->not_retrieved, 1);
    assert_int_equal(d->assessed, 5);
    assert_int_equal(d->reports_excluded, 2);
    assert_int_equal(pf_item(&d->report_reasons, "Wrong outcome"), 1);
    assert_int_equal(pf_item(&d->report_reasons, "Wrong design"), 1);
    assert_int_equal(d->reports_included, 3);
    assert_int_equal(d->studies_included, 2); /* reports != studies */

    /* other methods: 4 records; 19 joined database record 4, so only units
     * 20 (with 21) and 22 are this arm's */
    assert_int_equal(o->identified, 4);
    assert_int_equal(o->units, 2);
    assert_int_equal(o->duplicates, 2);
    assert_int_equal(o->screened, 2);
    assert_int_equal(o->ta_included, 2);
    assert_int_equal(o->sought, 2);
    assert_int_equal(o->assessed, 2);
    assert_int_equal(o->reports_excluded, 1);
    assert_int_equal(pf_item(&o->report_reasons, "Wrong outcome"), 1);
    assert_int_equal(o->reports_included, 1);
    assert_int_equal(o->studies_included, 1);

    /* study 2 came through both arms: counted once */
    assert_int_equal(c.new_reports, 4);
    assert_int_equal(c.new_studies, 2);
    assert_int_equal(c.has_previous, 0);
    assert_int_equal(c.total_studies, 2);
    assert_true(c.complete);

    wn_buf text = WN_BUF_INIT;
    assert_int_equal(wn_prisma_write_text(&c, &text), 0);
    assert_non_null(strstr(text.data, "Records screened: 10  (= 18 - 4 - 3 - 1: ok)"));
    assert_non_null(strstr(text.data, "Identification of new studies via other methods"));
    assert_non_null(strstr(text.data, "Checks: every box adds up"));
    wn_buf_free(&text);
    wn_prisma_free(&c);
    wn_project_close(p);
}

static int find_key(void *ctx, const char *key, int64_t n)
{
    struct {
        const char *key;
        int64_t n;
        int found;
    } *want = ctx;
    if (!strcmp(key, want->key)) {
        want->n = n;
        want->found++;
    }
    return 0;
}

static void test_numbers_by_key_and_json(void **state)
{
    (void)state;
    wn_project *p = pf_build("keys", 0);
    wn_prisma c;
    expect_compute_ok(p, &c);
    /* without other-methods sources the other arm is empty */
    assert_int_equal(c.arm[WN_PRISMA_OTHER].identified, 0);
    assert_int_equal(c.arm[WN_PRISMA_DBR].units, 14);
    struct {
        const char *key;
        int64_t n;
        int found;
    } want = {"database_specific_results:WoS", 0, 0};
    assert_int_equal(wn_prisma_each_number(&c, find_key, &want), 0);
    assert_int_equal(want.found, 1);
    assert_int_equal(want.n, 6);
    want.key = "records_screened", want.found = 0;
    assert_int_equal(wn_prisma_each_number(&c, find_key, &want), 0);
    assert_int_equal(want.found, 1);
    assert_int_equal(want.n, c.arm[WN_PRISMA_DBR].screened);
    want.key = "dbr_excluded:Wrong design", want.found = 0;
    assert_int_equal(wn_prisma_each_number(&c, find_key, &want), 0);
    assert_int_equal(want.n, 1);

    wn_buf json = WN_BUF_INIT;
    assert_int_equal(wn_prisma_write_json(&c, &json), 0);
    assert_non_null(strstr(json.data, "\"screened\":\t10"));
    assert_non_null(strstr(json.data, "\"previous\":\tnull"));
    wn_buf_free(&json);
    wn_prisma_free(&c);
    wn_project_close(p);
}

static int count_previous(void *ctx, const wn_audit_row *a)
{
    *(int *)ctx += !strncmp(a->summary, "previous review", 15);
    return 0;
}

static void test_updated_review(void **state)
{
    (void)state;
    wn_project *p = pf_build("updated", 1);
    wn_actor actor = {"[\"test\"]", "lead"};
    assert_int_equal(wn_prisma_set_previous(p, 12, 10, &actor), WN_EINVAL);
    assert_int_equal(wn_prisma_set_previous(p, 12, 15, &actor), 0);
    wn_prisma c;
    expect_compute_ok(p, &c);
    assert_true(c.has_previous);
    assert_int_equal(c.previous_studies, 12);
    assert_int_equal(c.previous_reports, 15);
    assert_int_equal(c.total_studies, 12 + c.new_studies);
    assert_int_equal(c.total_reports, 15 + c.new_reports);
    wn_buf text = WN_BUF_INIT;
    assert_int_equal(wn_prisma_write_text(&c, &text), 0);
    assert_non_null(strstr(text.data, "Total studies included in review: 14  (= 12 previous + 2"));
    wn_buf_free(&text);
    wn_prisma_free(&c);

    /* the change is audited; clearing takes the previous column away */
    int audited = 0;
    assert_int_equal(wn_prisma_set_previous(p, -1, 0, &actor), 0);
    expect_compute_ok(p, &c);
    assert_false(c.has_previous);
    assert_int_equal(c.total_studies, c.new_studies);
    wn_prisma_free(&c);
    assert_int_equal(wn_audit_each(p, count_previous, &audited), 0);
    assert_int_equal(audited, 2);
    wn_project_close(p);
}

static void test_pending_and_conflicts_counted_apart(void **state)
{
    (void)state;
    wn_project *p = pf_build("pending", 0);
    /* unit 16 gets a second reviewer who disagrees; a report of unit 1 is
     * still being sought; report 1 gets a second, undecided assignment */
    t_sql(p, "INSERT INTO assignment(stage, unit_id, reviewer, assigned_at)"
             " VALUES ('ta', 16, 'bob', 'x'), ('ft', 1, 'bob', 'x');"
             "INSERT INTO report(id, unit_id, study_id, status, updated_at)"
             " VALUES (9, 1, 1, 'sought', 'x')");
    pf_decide(p, "ta", 16, "bob", "include", NULL);
    wn_prisma c;
    expect_compute_ok(p, &c);
    const wn_prisma_arm *d = &c.arm[WN_PRISMA_DBR];
    assert_false(c.complete);
    assert_int_equal(d->ta_conflict, 1);
    assert_int_equal(d->excluded, 4);      /* 16 no longer counted as excluded */
    assert_int_equal(d->screened, 10);     /* still screened */
    assert_int_equal(d->awaiting_retrieval, 1);
    assert_int_equal(d->sought, 7);
    assert_int_equal(d->assessed, 5);      /* 7 - 1 not retrieved - 1 awaiting */
    assert_int_equal(d->ft_pending, 1);    /* report 1 waits for bob */
    assert_int_equal(d->reports_included, 2);
    wn_prisma_free(&c);
    wn_project_close(p);
}

/* A decision another stage's command would write. */
typedef struct vote_spec {
    const char *stage;
    int64_t unit;
    const char *what;
} vote_spec;

/* Applies sql (may be NULL) and votes (ending with a NULL stage) to a fresh
 * constructed project, and expects a violation whose text contains every
 * one of parts. */
static void expect_violation(const char *name, const char *sql, const vote_spec *votes,
                             const char *const *parts)
{
    wn_project *p = pf_build(name, 1);
    if (sql)
        t_sql(p, sql);
    for (; votes && votes->stage; votes++)
        pf_decide(p, votes->stage, votes->unit, "alice", votes->what, NULL);
    wn_prisma c;
    assert_int_equal(wn_prisma_compute(p, &c), WN_EINVAL);
    assert_true(c.n_violations >= 1);
    int found = 0;
    for (size_t i = 0; i < c.n_violations && !found; i++) {
        found = 1;
        for (const char *const *part = parts; *part; part++)
            found &= strstr(c.violations[i], *part) != NULL;
    }
    if (!found)
        fail_msg("%s: no violation names '%s' (first: %s)", name, parts[0], c.violations[0]);
    assert_non_null(strstr(wn_project_errmsg(p), "does not add up"));
    wn_prisma_free(&c);
    wn_project_close(p);
}

static void test_each_invariant_fails_and_names_the_fault(void **state)
{
    (void)state;
    /* a rule excluded record 11, which is merged into unit 1 */
    expect_violation("inv_rule_unit",
                     "INSERT INTO rule_exclusion VALUES (11, 1, 'r1', 'x', 'automation')", NULL,
                     (const char *const[]){"rule exclusions", "11", NULL});
    /* a decision on record 12 (merged into unit 2) and on a record that does
     * not exist */
    expect_violation("inv_ta_unit", NULL,
                     (const vote_spec[]){{"ta", 12, "exclude"}, {"ta", 999, "exclude"}, {0}},
                     (const char *const[]){"title/abstract decisions", "12", "999", NULL});
    /* unit 5 was excluded by a rule, then a reviewer included it */
    expect_violation("inv_rule_included", NULL, (const vote_spec[]){{"ta", 5, "include"}, {0}},
                     (const char *const[]){"excluded by rules yet included", "5", NULL});
    /* a report sought for unit 10, which reviewers excluded */
    expect_violation("inv_orphan_report",
                     "INSERT INTO report(id, unit_id, study_id, status, updated_at)"
                     " VALUES (40, 10, 40, 'retrieved', 'x')",
                     NULL, (const char *const[]){"reports whose unit", "40 (unit 10)", NULL});
    /* a full-text decision on a report that does not exist */
    expect_violation("inv_ft_unknown", NULL, (const vote_spec[]){{"ft", 77, "include"}, {0}},
                     (const char *const[]){"do not exist", "77", NULL});
    /* report 4 was not retrieved, yet someone assessed it */
    expect_violation("inv_ft_unretrieved", NULL, (const vote_spec[]){{"ft", 4, "exclude"}, {0}},
                     (const char *const[]){"not retrieved", "4 (unit 3)", NULL});
    /* the source's count no longer matches its records */
    expect_violation("inv_source_count", "UPDATE source SET records = 11 WHERE name = 'Scopus'",
                     NULL, (const char *const[]){"'Scopus'", "11", "10", NULL});
    /* record 14 put in a cluster whose head, 11, is itself merged into 1 */
    expect_violation("inv_cluster_head", "INSERT INTO cluster_member VALUES (14, 11)", NULL,
                     (const char *const[]){"cluster id is not a unit", "14 (in cluster 11)",
                                           NULL});
    /* previous numbers written behind winnow's back */
    expect_violation("inv_previous", "INSERT INTO prisma_previous VALUES (1, 9, 3, 'x')", NULL,
                     (const char *const[]){"previous review has 9 studies", NULL});
}

/* Every number of a flow as "key=n\n" lines. */
static int append_number(void *ctx, const char *key, int64_t n)
{
    return wn_buf_printf(ctx, "%s=%lld\n", key, (long long)n);
}

static char *numbers(const wn_prisma *c)
{
    wn_buf b = WN_BUF_INIT;
    assert_int_equal(wn_prisma_each_number(c, append_number, &b), 0);
    return wn_buf_detach(&b);
}

static void test_kept_flow_matches_and_goes_stale(void **state)
{
    (void)state;
    wn_project *p = pf_build("cache", 1);
    wn_prisma fresh, kept, again;
    expect_compute_ok(p, &fresh);   /* computes and keeps */
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM prisma_cache"), 1);
    expect_compute_ok(p, &kept);    /* read back */
    assert_int_equal(wn_prisma_recompute(p, &again), 0);
    char *a = numbers(&fresh), *b = numbers(&kept), *c = numbers(&again);
    assert_string_equal(a, b);
    assert_string_equal(a, c);
    free(a), free(b), free(c);
    wn_prisma_free(&fresh), wn_prisma_free(&kept), wn_prisma_free(&again);

    /* decisions and reports written behind winnow's back are seen at once
     * (they are noticed by their ids, not by a trigger) */
    static const char *const behind_back[] = {
        "INSERT INTO report(id, unit_id, study_id, status, updated_at)"
        " VALUES (30, 9, 30, 'sought', 'x')",
        "INSERT INTO decision(stage, unit_id, reviewer, decision, at)"
        " VALUES ('ft', 1, 'bob', 'exclude', 'x')",
    };
    for (size_t i = 0; i < sizeof behind_back / sizeof behind_back[0]; i++) {
        expect_compute_ok(p, &fresh);
        assert_int_equal(t_sql_int(p, "SELECT count(*) FROM prisma_cache"), 1);
        char *before = numbers(&fresh);
        t_sql(p, behind_back[i]);
        expect_compute_ok(p, &kept);
        assert_int_equal(wn_prisma_recompute(p, &again), 0);
        char *after = numbers(&kept), *truth = numbers(&again);
        assert_string_equal(after, truth);
        assert_string_not_equal(after, before);
        free(before), free(after), free(truth);
        wn_prisma_free(&fresh), wn_prisma_free(&kept), wn_prisma_free(&again);
    }

    /* a change made behind winnow's back is seen at once */
    t_sql(p, "INSERT INTO rule_exclusion VALUES (9, 1, 'r9', 'Late find', 'automation')");
    assert_int_equal(wn_prisma_compute(p, &kept), WN_EINVAL); /* 9 was included */
    assert_int_equal(kept.arm[WN_PRISMA_DBR].automation, 4);
    wn_prisma_free(&kept);
    /* and a kept failing flow still fails */
    assert_int_equal(wn_prisma_compute(p, &kept), WN_EINVAL);
    assert_true(kept.n_violations >= 1);
    assert_non_null(strstr(kept.violations[0], "9"));
    wn_prisma_free(&kept);
    wn_project_close(p);
}

static void test_unreadable_kept_flow_is_recomputed(void **state)
{
    (void)state;
    wn_project *p = pf_build("old_cache", 0);
    wn_prisma want, got;
    assert_int_equal(wn_prisma_recompute(p, &want), 0);
    /* a cache table of an older layout: the flow is still computed */
    t_sql(p, "DROP TABLE prisma_cache;"
             "CREATE TABLE prisma_cache (id INTEGER PRIMARY KEY, version INTEGER, flow TEXT)");
    expect_compute_ok(p, &got);
    char *a = numbers(&want), *b = numbers(&got);
    assert_string_equal(a, b);
    free(a), free(b);
    wn_prisma_free(&want), wn_prisma_free(&got);
    wn_project_close(p);
}

static void test_empty_project(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s.winnow", t_tmp_path("empty"));
    remove(path);
    wn_project *p;
    wn_err err;
    assert_int_equal(wn_project_create(&p, path, "Empty", &err), 0);
    wn_prisma c;
    expect_compute_ok(p, &c);
    assert_int_equal(c.records_total, 0);
    assert_int_equal(c.arm[WN_PRISMA_DBR].screened, 0);
    assert_true(c.complete);
    wn_prisma_free(&c);
    wn_project_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_arms_every_box),
        cmocka_unit_test(test_numbers_by_key_and_json),
        cmocka_unit_test(test_updated_review),
        cmocka_unit_test(test_pending_and_conflicts_counted_apart),
        cmocka_unit_test(test_each_invariant_fails_and_names_the_fault),
        cmocka_unit_test(test_kept_flow_matches_and_goes_stale),
        cmocka_unit_test(test_unreadable_kept_flow_is_recomputed),
        cmocka_unit_test(test_empty_project),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
