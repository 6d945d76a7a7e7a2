/* The ledger's pieces: seal hashing, sealing across commits and rollbacks,
 * the ustar reader and writer, and a record's history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger.h"
#include "ledger/tar.h"
#include "store/db.h"
#include "support.h"

static void test_hash_tells_null_from_empty(void **state)
{
    (void)state;
    const char *a[] = {"x", NULL}, *b[] = {"x", ""}, *c[] = {"x:", ""}, *d[] = {"x", ":"};
    char ha[65], hb[65], hc[65], hd[65];
    wn_ledger_hash(a, 2, ha);
    wn_ledger_hash(b, 2, hb);
    wn_ledger_hash(c, 2, hc);
    wn_ledger_hash(d, 2, hd);
    assert_int_equal(strlen(ha), 64);
    assert_string_not_equal(ha, hb);
    /* parts are length-prefixed: moving bytes between parts changes it */
    assert_string_not_equal(hc, hd);
    /* SHA-256 of "3:abc", the one part "abc" */
    const char *abc[] = {"abc"};
    wn_ledger_hash(abc, 1, ha);
    assert_string_equal(ha, "aab5f9ae99b2e38fb462025c8f72f570c9c811705d2a4277dc855d7fa293fe97");
}

static void add_vote(wn_project *p, int64_t unit, const char *decision)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO decision(stage, unit_id, reviewer, decision, at) VALUES ('ta', %lld,"
             " 'alice', '%s', '2026-01-01T00:00:00.000Z')",
             (long long)unit, decision);
    assert_int_equal(wn_db_exec(p, sql), 0);
}

static void test_seals_follow_the_transaction(void **state)
{
    (void)state;
    wn_project *p = t_project_with("s.ris", "Scopus",
                                   "TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\nER  - \n");
    wn_actor actor = {"[\"winnow\",\"decide\"]", "alice"};
    assert_int_equal(wn_reviewer_add(p, "alice", "Alice", NULL, &actor), 0);
    /* A transaction rolled back leaves no note behind ... */
    assert_int_equal(wn_tx_begin(p), 0);
    add_vote(p, 1, "include");
    wn_tx_rollback(p);
    /* ... and one with its audit entry seals its decisions. */
    assert_int_equal(wn_tx_begin(p), 0);
    add_vote(p, 1, "exclude");
    add_vote(p, 2, "include");
    assert_int_equal(wn_audit_append(p, &actor, NULL, "two votes"), 0);
    assert_int_equal(wn_tx_commit(p), 0);
    wn_audit_report r;
    assert_int_equal(wn_audit_verify(p, &r), 0);
    assert_int_equal(r.decisions, 2);
    wn_audit_report_free(&r);
    /* A decision committed without an audit entry stays unsealed, even
     * after the next audited command. */
    add_vote(p, 2, "exclude");
    assert_int_equal(wn_audit_verify(p, &r), WN_EINVAL);
    assert_int_equal(r.n_problems, 1);
    assert_non_null(strstr(r.problems[0], "decision 3 has no seal"));
    wn_audit_report_free(&r);
    assert_int_equal(wn_tx_begin(p), 0);
    add_vote(p, 1, "include");
    assert_int_equal(wn_audit_append(p, &actor, NULL, "one vote"), 0);
    assert_int_equal(wn_tx_commit(p), 0);
    assert_int_equal(wn_audit_verify(p, &r), WN_EINVAL);
    assert_int_equal(r.decisions, 4);
    assert_int_equal(r.n_problems, 1);
    assert_non_null(strstr(r.problems[0], "decision 3 has no seal"));
    wn_audit_report_free(&r);
    wn_project_close(p);
}

typedef struct members {
    char names[4][64];
    size_t lens[4];
    char first[64];
    size_t n;
} members;

static int keep(void *ctx, const char *name, const unsigned char *body, size_t n)
{
    members *m = ctx;
    assert_true(m->n < 4);
    snprintf(m->names[m->n], 64, "%s", name);
    m->lens[m->n] = n;
    if (!m->n)
        snprintf(m->first, sizeof m->first, "%.*s", (int)n, (const char *)body);
    m->n++;
    return 0;
}

static void test_tar_round_trip(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(wn_tar_add(f, "review/a.txt", "hello", 5, 0), 0);
    unsigned char big[1500];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (unsigned char)i;
    assert_int_equal(wn_tar_add(f, "review/b.bin", big, sizeof big, 1700000000), 0);
    assert_int_equal(wn_tar_add(f, "empty", "", 0, 0), 0);
    char name[120];
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    assert_int_equal(wn_tar_add(f, name, "", 0, 0), WN_EINVAL);
    assert_int_equal(wn_tar_end(f), 0);
    fclose(f);
    /* 512-byte blocks: 3 headers, 1 + 3 data blocks, 2 end blocks */
    assert_int_equal(len, 512 * 9);
    members m = {0};
    wn_err err;
    if (wn_tar_each((unsigned char *)buf, len, "t.tar", &err, keep, &m))
        fail_msg("%s", err.msg);
    assert_int_equal(m.n, 3);
    assert_string_equal(m.names[1], "review/b.bin");
    assert_int_equal(m.lens[1], sizeof big);
    assert_string_equal(m.first, "hello");
    /* a damaged header, and an archive cut short */
    buf[1024 + 10] ^= 1; /* the second header's name */
    members m2 = {0};
    assert_int_equal(wn_tar_each((unsigned char *)buf, len, "t.tar", &err, keep, &m2), WN_EPARSE);
    assert_non_null(strstr(err.msg, "byte 1024"));
    buf[1024 + 10] ^= 1;
    members m3 = {0};
    assert_int_equal(wn_tar_each((unsigned char *)buf, 1024, "t.tar", &err, keep, &m3),
                     WN_EPARSE);
    assert_non_null(strstr(err.msg, "cut short"));
    free(buf);
}

typedef struct steps {
    char text[16][300];
    char stage[16][16];
    size_t n;
} steps;

static int keep_step(void *ctx, const wn_history_event *e)
{
    steps *s = ctx;
    assert_true(s->n < 16);
    snprintf(s->text[s->n], 300, "%s", e->text);
    snprintf(s->stage[s->n], 16, "%s", e->stage);
    s->n++;
    return 0;
}

static void test_history_follows_every_stage(void **state)
{
    (void)state;
    wn_project *p = t_project_with("h.ris", "Scopus",
                                   "TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - One again\n"
                                   "ER  - \n\nTY  - JOUR\nTI  - Three\nER  - \n");
    wn_actor actor = {"[\"winnow\",\"decide\"]", "alice"};
    assert_int_equal(wn_reviewer_add(p, "alice", "Alice", NULL, &actor), 0);
    /* Rows another stage would write: record 2 joins record 1's cluster, a
     * rule run excludes unit 3, unit 1 goes through both stages. */
    t_sql(p, "INSERT INTO cluster_member VALUES (1, 1), (2, 1);"
             "INSERT INTO rule_run VALUES (1, '2026-01-01', 'c.rules', 'abcdef0123456789', '');"
             "INSERT INTO rule_exclusion VALUES (3, 1, 'years', 'Too old', 'automation');"
             "INSERT INTO assignment VALUES ('ta', 1, 'alice', 0, '2026-01-02');"
             "INSERT INTO report VALUES (7, 1, 7, 'retrieved', NULL, 'https://doi.org/x',"
             " '2026-01-04');");
    wn_decision d = {"ta", 1, "alice", NULL, "include", NULL, NULL};
    assert_int_equal(wn_decision_add(p, &d, &actor), 0);
    wn_decision ft = {"ft", 7, "alice", NULL, "exclude", "wrong population", NULL};
    assert_int_equal(wn_decision_add(p, &ft, &actor), 0);

    steps s = {0};
    int64_t unit = 0;
    assert_int_equal(wn_record_history(p, 2, &unit, keep_step, &s), 0);
    assert_int_equal(unit, 1);
    const char *want[][2] = {
        {"import", "line 5 (record 2 of the file)"},
        {"dedup", "one publication in 2 records"},
        {"rules", "passed the criteria of 'c.rules'"},
        {"ta", "assigned to alice"},
        {"ta", "alice voted include"},
        {"fulltext", "report 7 (study 7): retrieved at https://doi.org/x"},
        {"ft", "report 7: alice voted exclude (wrong population)"},
    };
    assert_int_equal(s.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < s.n; i++) {
        assert_string_equal(s.stage[i], want[i][0]);
        if (!strstr(s.text[i], want[i][1]))
            fail_msg("step %zu: '%s' lacks '%s'", i, s.text[i], want[i][1]);
    }
    steps x = {0};
    assert_int_equal(wn_record_history(p, 3, &unit, keep_step, &x), 0);
    assert_int_equal(x.n, 3);
    assert_non_null(strstr(x.text[2], "excluded by rule 'years' (Too old"));
    assert_int_equal(wn_record_history(p, 99, &unit, keep_step, &x), WN_ENOTFOUND);
    wn_project_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_tells_null_from_empty),
        cmocka_unit_test(test_seals_follow_the_transaction),
        cmocka_unit_test(test_tar_round_trip),
        cmocka_unit_test(test_history_follows_every_stage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
