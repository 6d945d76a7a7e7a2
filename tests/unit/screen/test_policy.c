/* Consensus policies: each rule on each vote pattern, the policy in force
 * changing outcomes, every change kept and audited, and reason lists. */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "support.h"

static wn_actor actor = {"[\"test\"]", "lead"};

static wn_outcome outcome_of(const char *policy, int inc, int exc, int maybe)
{
    wn_policy pol;
    wn_err err;
    if (wn_policy_parse(policy, &pol, &err))
        fail_msg("%s", err.msg);
    return wn_policy_outcome(&pol, inc, exc, maybe);
}

#define I WN_OUTCOME_INCLUDE
#define E WN_OUTCOME_EXCLUDE
#define C WN_OUTCOME_CONFLICT

static void test_rules_on_vote_patterns(void **state)
{
    (void)state;
    /* votes: include, exclude, maybe */
    static const struct {
        const char *policy;
        int inc, exc, maybe;
        wn_outcome want;
    } cases[] = {
        {"", 2, 0, 0, I},
        {"", 0, 2, 0, E},
        {"", 1, 1, 0, C},
        {"", 1, 0, 1, I}, /* default: maybe counts as include */
        {"", 0, 1, 1, C},
        {"maybe-counts-as-exclude", 0, 1, 1, E},
        {"maybe-counts-as-exclude", 1, 0, 1, C},
        {"maybe-needs-resolution", 1, 0, 1, C},
        {"maybe-needs-resolution", 0, 0, 2, C},
        {"any-include-includes", 1, 1, 0, I},
        {"any-include-includes", 0, 2, 0, E},
        {"any-include-includes; maybe-needs-resolution", 0, 1, 1, C},
        {"any-include-includes; maybe-needs-resolution", 1, 0, 1, I},
        {"maybe-counts-as-exclude; any-include-includes", 0, 1, 1, E},
        {"all-must-include", 1, 1, 0, E},
        {"all-must-include", 2, 0, 0, I},
        {"all-must-include", 1, 0, 1, I},
        {"all-must-include; maybe-needs-resolution", 1, 0, 1, C},
        {"all-must-include; maybe-needs-resolution", 0, 1, 1, E},
        {"majority", 2, 1, 0, I},
        {"majority", 1, 2, 0, E},
        {"majority", 1, 1, 0, C},
        {"majority; maybe-needs-resolution", 1, 1, 1, C},
        {"MAJORITY ;  maybe-counts-as-exclude", 1, 1, 1, E},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wn_outcome got = outcome_of(cases[i].policy, cases[i].inc, cases[i].exc, cases[i].maybe);
        if (got != cases[i].want)
            fail_msg("policy '%s' on %d/%d/%d gives %s, expected %s", cases[i].policy,
                     cases[i].inc, cases[i].exc, cases[i].maybe, wn_outcome_name(got),
                     wn_outcome_name(cases[i].want));
    }
    wn_policy pol;
    wn_err err;
    assert_int_equal(wn_policy_parse("any-include-includes; majority", &pol, &err), WN_EINVAL);
    assert_int_equal(wn_policy_parse("maybe-is-fine", &pol, &err), WN_EINVAL);
    assert_non_null(strstr(err.msg, "'maybe-is-fine'"));
    assert_int_equal(wn_policy_parse("any-include-includes; maybe-counts-as-exclude", &pol, &err),
                     0);
    assert_string_equal(pol.text, "maybe-counts-as-exclude; any-include-includes");
}

typedef struct tally {
    int n[4];
    wn_outcome of[8];
} tally;

static int count(void *ctx, const wn_unit_outcome *o)
{
    tally *t = ctx;
    t->n[o->outcome]++;
    if (o->unit_id < 8)
        t->of[o->unit_id] = o->outcome;
    return 0;
}

static void test_policy_in_force_decides(void **state)
{
    (void)state;
    wn_project *p = t_project_with("policy.ris", "Scopus",
                                   "TY  - JOUR\nTI  - A\nER  - \n\nTY  - JOUR\nTI  - B\nER  - \n\n"
                                   "TY  - JOUR\nTI  - C\nER  - \n\nTY  - JOUR\nTI  - D\nER  - \n");
    assert_int_equal(wn_reviewer_add(p, "ann", "Ann", NULL, &actor), 0);
    assert_int_equal(wn_reviewer_add(p, "ben", "Ben", NULL, &actor), 0);
    t_sql(p, "INSERT INTO assignment(stage, unit_id, reviewer, assigned_at) VALUES"
             " ('ta', 1, 'ann', 'x'), ('ta', 1, 'ben', 'x'), ('ta', 2, 'ann', 'x'),"
             " ('ta', 2, 'ben', 'x'), ('ta', 3, 'ann', 'x'), ('ta', 3, 'ben', 'x'),"
             " ('ta', 4, 'ann', 'x'), ('ta', 4, 'ben', 'x')");
    wn_decision d[] = {{"ta", 1, "ann", NULL, "include", NULL, NULL},
                       {"ta", 1, "ben", NULL, "exclude", "wrong population", NULL},
                       {"ta", 2, "ann", NULL, "maybe", NULL, NULL},
                       {"ta", 2, "ben", NULL, "include", NULL, NULL},
                       {"ta", 3, "ann", NULL, "exclude", "wrong design", NULL},
                       {"ta", 3, "ben", NULL, "maybe", NULL, NULL},
                       /* unit 4: only ann has voted: awaiting ben */
                       {"ta", 4, "ann", NULL, "include", NULL, NULL}};
    assert_int_equal(wn_decisions_add(p, d, 7, &actor), 0);
    tally t = {0};
    assert_int_equal(wn_stage_outcomes_each(p, "ta", count, &t), 0);
    assert_int_equal(t.of[1], C);
    assert_int_equal(t.of[2], I);
    assert_int_equal(t.of[3], C);
    assert_int_equal(t.of[4], WN_OUTCOME_PENDING);
    /* Both must include, maybe excludes. */
    assert_int_equal(wn_policy_set(p, "ta", "all-must-include; maybe-counts-as-exclude", &actor), 0);
    memset(&t, 0, sizeof t);
    assert_int_equal(wn_stage_outcomes_each(p, "ta", count, &t), 0);
    assert_int_equal(t.of[1], E);
    assert_int_equal(t.of[2], E);
    assert_int_equal(t.of[3], E);
    assert_int_equal(t.of[4], WN_OUTCOME_PENDING); /* still awaiting, never counted */
    /* Either includes. */
    assert_int_equal(wn_policy_set(p, "ta", "any-include-includes", &actor), 0);
    memset(&t, 0, sizeof t);
    assert_int_equal(wn_stage_outcomes_each(p, "ta", count, &t), 0);
    assert_int_equal(t.of[1], I);
    assert_int_equal(t.of[2], I);
    assert_int_equal(t.of[3], I); /* maybe counts as include by default */
    /* Every change is kept, the newest in force, each one audited; the
     * full-text stage keeps its own default. */
    wn_policy pol;
    assert_int_equal(wn_policy_get(p, "ta", &pol), 0);
    assert_string_equal(pol.text, "maybe-counts-as-include; any-include-includes");
    assert_true(*pol.set_at);
    assert_int_equal(wn_policy_get(p, "ft", &pol), 0);
    assert_string_equal(pol.text, "maybe-counts-as-include; all-must-agree");
    assert_int_equal(pol.set_at[0], '\0');
    assert_int_equal(wn_policy_set(p, "ta", "nonsense", &actor), WN_EINVAL);
    sqlite3 *db;
    sqlite3_open_v2(wn_project_path(p), &db, SQLITE_OPEN_READONLY, NULL);
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db,
                       "SELECT (SELECT count(*) FROM screen_policy WHERE stage = 'ta'),"
                       " (SELECT count(*) FROM audit WHERE summary LIKE 'ta policy: %')",
                       -1, &s, NULL);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 2);
    assert_int_equal(sqlite3_column_int(s, 1), 2);
    sqlite3_finalize(s);
    sqlite3_close(db);
    /* A resolution settles a unit whatever the policy. */
    wn_decision r = {"ta", 1, "ann", "resolution", "exclude", "wrong population", NULL};
    assert_int_equal(wn_decisions_add(p, &r, 1, &actor), 0);
    memset(&t, 0, sizeof t);
    assert_int_equal(wn_stage_outcomes_each(p, "ta", count, &t), 0);
    assert_int_equal(t.of[1], E);
    wn_project_close(p);
}

static void test_reason_lists(void **state)
{
    (void)state;
    wn_project *p = t_project_with("reasons.ris", "Scopus", "TY  - JOUR\nTI  - A\nER  - \n");
    const char *list[] = {"wrong population", "wrong intervention", "not a study"};
    assert_int_equal(wn_reasons_set(p, "ft", list, 3, &actor), 0);
    char **got;
    size_t n;
    assert_int_equal(wn_reasons_get(p, "ft", &got, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(got[2], "not a study");
    wn_reasons_free(got, n);
    assert_int_equal(wn_reasons_get(p, "ta", &got, &n), 0);
    assert_int_equal(n, 0);
    wn_reasons_free(got, n);
    const char *twice[] = {"a", "A"};
    assert_int_equal(wn_reasons_set(p, "ft", twice, 2, &actor), WN_EINVAL);
    const char *empty[] = {""};
    assert_int_equal(wn_reasons_set(p, "ft", empty, 1, &actor), WN_EINVAL);
    assert_int_equal(wn_reasons_set(p, "xx", list, 1, &actor), WN_EINVAL);
    /* The failed sets left the list as it was. */
    assert_int_equal(wn_reasons_get(p, "ft", &got, &n), 0);
    assert_int_equal(n, 3);
    wn_reasons_free(got, n);
    wn_project_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_on_vote_patterns),
        cmocka_unit_test(test_policy_in_force_decides),
        cmocka_unit_test(test_reason_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
