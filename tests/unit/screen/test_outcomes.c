/* Decisions are appended and the newest vote per reviewer decides a unit's
 * outcome: pending, agreed include or exclude, conflict, or resolved. */
#include <stdio.h>
#include <string.h>

#include "support.h"

static const char four[] =
    "TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\nER  - \n\n"
    "TY  - JOUR\nTI  - Three\nER  - \n\nTY  - JOUR\nTI  - Four\nER  - \n";

typedef struct seen {
    int n;
    wn_unit_outcome o[8];
    char reason[8][32];
} seen;

static int collect(void *ctx, const wn_unit_outcome *o)
{
    seen *s = ctx;
    s->o[s->n] = *o;
    snprintf(s->reason[s->n], sizeof s->reason[0], "%s", o->reason ? o->reason : "");
    s->n++;
    return 0;
}

static void vote(wn_project *p, int64_t unit, const char *who, const char *kind,
                 const char *what, const char *reason)
{
    wn_decision d = {"ta", unit, who, kind, what, reason, NULL};
    wn_actor actor = {"[\"test\"]", who};
    if (wn_decision_add(p, &d, &actor))
        fail_msg("%s", wn_project_errmsg(p));
}

static void test_outcomes_follow_newest_votes(void **state)
{
    (void)state;
    wn_project *p = t_project_with("outcomes.ris", "Scopus", four);
    wn_actor actor = {"[\"test\"]", "lead"};
    assert_int_equal(wn_reviewer_add(p, "alice", "Alice N.", NULL, &actor), 0);
    assert_int_equal(wn_reviewer_add(p, "bob", "Bob M.", "bob@example.org", &actor), 0);
    assert_int_equal(wn_reviewer_add(p, "bob", "Bob again", NULL, &actor), WN_EEXISTS);
    assert_int_equal(wn_reviewer_add(p, "carol", "Carol T.", NULL, &actor), 0);
    t_sql(p, "INSERT INTO assignment(stage, unit_id, reviewer, assigned_at) VALUES"
             " ('ta', 1, 'alice', 'x'), ('ta', 1, 'bob', 'x'),"
             " ('ta', 2, 'alice', 'x'), ('ta', 2, 'bob', 'x'),"
             " ('ta', 3, 'alice', 'x'), ('ta', 3, 'bob', 'x'),"
             " ('ta', 4, 'alice', 'x'), ('ta', 4, 'bob', 'x')");
    vote(p, 1, "alice", NULL, "exclude", "wrong population");
    vote(p, 1, "bob", NULL, "exclude", "protocol");
    vote(p, 2, "alice", NULL, "include", NULL);
    vote(p, 2, "bob", NULL, "exclude", "wrong population");
    vote(p, 2, "bob", NULL, "maybe", NULL); /* bob changes his mind */
    vote(p, 3, "alice", NULL, "include", NULL);
    vote(p, 3, "bob", NULL, "exclude", "protocol");
    vote(p, 3, "carol", "resolution", "exclude", "protocol");
    vote(p, 4, "alice", NULL, "include", NULL);

    seen s = {0};
    assert_int_equal(wn_stage_outcomes_each(p, "ta", collect, &s), 0);
    assert_int_equal(s.n, 4);
    assert_int_equal(s.o[0].outcome, WN_OUTCOME_EXCLUDE);
    assert_true(!strcmp(s.reason[0], "wrong population") || !strcmp(s.reason[0], "protocol"));
    assert_int_equal(s.o[1].outcome, WN_OUTCOME_INCLUDE);
    assert_int_equal(s.o[2].outcome, WN_OUTCOME_EXCLUDE);
    assert_string_equal(s.reason[2], "protocol");
    assert_int_equal(s.o[3].outcome, WN_OUTCOME_PENDING);

    /* Nothing at full text yet; a bad stage or decision is refused. */
    seen none = {0};
    assert_int_equal(wn_stage_outcomes_each(p, "ft", collect, &none), 0);
    assert_int_equal(none.n, 0);
    assert_int_equal(wn_stage_outcomes_each(p, "xx", collect, &none), WN_EINVAL);
    wn_decision bad = {"ta", 4, "bob", NULL, "perhaps", NULL, NULL};
    assert_int_equal(wn_decision_add(p, &bad, &actor), WN_EINVAL);
    wn_project_close(p);
}

/* A batch is checked whole: one bad decision after good ones writes none of
 * them, and nothing of it slips into the next batch on the same handle. */
static void test_batch_all_or_nothing(void **state)
{
    (void)state;
    wn_project *p = t_project_with("batch.ris", "Scopus", four);
    wn_actor actor = {"[\"test\"]", "lead"};
    assert_int_equal(wn_reviewer_add(p, "alice", "Alice N.", NULL, &actor), 0);
    t_sql(p, "INSERT INTO assignment(stage, unit_id, reviewer, assigned_at) VALUES"
             " ('ta', 1, 'alice', 'x'), ('ta', 2, 'alice', 'x'), ('ta', 3, 'alice', 'x')");
    int64_t audit = t_sql_int(p, "SELECT count(*) FROM audit");
    wn_decision ds[] = {{"ta", 1, "alice", NULL, "include", NULL, NULL},
                        {"ta", 2, "alice", NULL, "exclude", NULL, NULL},
                        {"ta", 4, "alice", NULL, "include", NULL, NULL}}; /* not hers */
    assert_int_equal(wn_decisions_add(p, ds, 3, &actor), WN_EINVAL);
    assert_non_null(strstr(wn_project_errmsg(p), "unit 4 is not assigned to 'alice'"));
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM decision"), 0);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM audit"), audit);
    ds[2].unit_id = 3;
    ds[1].decision = "Maybe";
    assert_int_equal(wn_decisions_add(p, ds, 3, &actor), 0);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM decision"), 3);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM decision WHERE (unit_id, decision) IN"
                                  " (VALUES (1, 'include'), (2, 'maybe'), (3, 'include'))"),
                     3);
    /* Written in the order given: ids follow the batch. */
    assert_int_equal(t_sql_int(p, "SELECT min(id) FROM decision WHERE unit_id = 3") -
                         t_sql_int(p, "SELECT min(id) FROM decision WHERE unit_id = 1"),
                     2);
    /* One vote replacing another is logged as old -> new. */
    wn_decision again = {"ta", 2, "alice", NULL, "exclude", "off topic", NULL};
    assert_int_equal(wn_decisions_add(p, &again, 1, &actor), 0);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM audit"
                                  " WHERE summary = 'ta vote by alice on 2: maybe -> exclude'"),
                     1);
    wn_project_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outcomes_follow_newest_votes),
        cmocka_unit_test(test_batch_all_or_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
