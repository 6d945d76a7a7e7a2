/* A constructed review for the PRISMA tests: every stage's rows written
 * through the public API where one exists and by SQL where the stage has
 * none yet (clusters, rule exclusions, assignments, reports).
 *
 * Sources (record ids in import order):
 *   Scopus   database      1-10     WoS        database   11-16
 *   CT.gov   register      17-18    Citations  citation   19-21
 *   Charity  website       22
 * Clusters: {1,11} {2,12,17} {3,13} {4,19} (a citation found again in a
 * database: databases arm) {20,21} (other methods arm only).
 * Rules: 5, 6 "Not peer reviewed" and 7 "Preprint" (automation); 8
 * "Retracted" (other reasons).
 * Title/abstract: included 1 2 3 4 9 20 22; excluded 10 14 18 "Wrong
 * population", 15 16 "Protocol".
 * Reports (unit, study, status): r1 (1, s1), r2 and r3 (2, s2: two reports
 * of one study), r4 (3, not retrieved), r5 (4), r6 (9), r7 (20), r8 (22, s2:
 * study 2 found again by citation searching).
 * Full text: include r1 r2 r3 r8; exclude r5 r7 "Wrong outcome", r6 "Wrong
 * design". */
#ifndef PRISMA_FIXTURE_H
#define PRISMA_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "support.h"

static int pf_title_seq;

static void pf_source(wn_project *p, const char *name, const char *kind, int n)
{
    wn_buf b = WN_BUF_INIT;
    for (int i = 0; i < n; i++)
        wn_buf_printf(&b, "TY  - JOUR\nTI  - Constructed record %d\nPY  - 2020\nER  - \n\n",
                      ++pf_title_seq);
    char path[4096];
    snprintf(path, sizeof path, "%s", t_tmp_path(name));
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
    fclose(f);
    wn_buf_free(&b);
    wn_import_opts o = {0};
    o.path = path;
    o.source_name = name;
    o.kind = kind;
    o.searched_on = "2024-03-01";
    o.query = "social work* AND equity";
    wn_actor actor = {"[\"test\"]", "tester"};
    wn_import_result res;
    if (wn_import_file(p, &o, &actor, &res))
        fail_msg("%s", wn_project_errmsg(p));
    assert_int_equal(res.records, (size_t)n);
}

static void pf_decide(wn_project *p, const char *stage, int64_t unit, const char *who,
                      const char *what, const char *reason)
{
    wn_decision d = {stage, unit, who, NULL, what, reason, NULL};
    wn_actor actor = {"[\"test\"]", who};
    if (wn_decision_add(p, &d, &actor))
        fail_msg("%s", wn_project_errmsg(p));
}

/* Assigns unit to one reviewer and records the decision. */
static void pf_screen(wn_project *p, const char *stage, int64_t unit, const char *what,
                      const char *reason)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO assignment(stage, unit_id, reviewer, assigned_at)"
             " VALUES ('%s', %lld, 'alice', 'x')",
             stage, (long long)unit);
    t_sql(p, sql);
    pf_decide(p, stage, unit, "alice", what, reason);
}

/* The project described above, with no other-methods arm when
 * with_other is 0 (records 19-22 and reports r7, r8 left out). */
static wn_project *pf_build(const char *name, int with_other)
{
    char path[4096];
    snprintf(path, sizeof path, "%s.winnow", t_tmp_path(name));
    remove(path);
    wn_project *p;
    wn_err err;
    if (wn_project_create(&p, path, "Constructed review", &err))
        fail_msg("%s", err.msg);
    pf_source(p, "Scopus", "database", 10);
    pf_source(p, "WoS", "database", 6);
    pf_source(p, "CT.gov", "register", 2);
    if (with_other) {
        pf_source(p, "Citations", "citation", 3);
        pf_source(p, "Charity", "website", 1);
    }
    t_sql(p, "INSERT INTO cluster_member VALUES (1,1),(11,1),(2,2),(12,2),(17,2),(3,3),(13,3)");
    if (with_other)
        t_sql(p, "INSERT INTO cluster_member VALUES (4,4),(19,4),(20,20),(21,20)");
    t_sql(p, "INSERT INTO rule_run VALUES (1, 'x', 'criteria.rules', 'abc123', 'text');"
             "INSERT INTO rule_exclusion VALUES"
             " (5, 1, 'r1', 'Not peer reviewed', 'automation'),"
             " (6, 1, 'r1', 'Not peer reviewed', 'automation'),"
             " (7, 1, 'r2', 'Preprint', 'automation'),"
             " (8, 1, 'r3', 'Retracted', 'other')");
    wn_actor actor = {"[\"test\"]", "lead"};
    assert_int_equal(wn_reviewer_add(p, "alice", "Alice", NULL, &actor), 0);
    assert_int_equal(wn_reviewer_add(p, "bob", "Bob", NULL, &actor), 0);
    static const int64_t ta_in[] = {1, 2, 3, 4, 9};
    for (size_t i = 0; i < sizeof ta_in / sizeof ta_in[0]; i++)
        pf_screen(p, "ta", ta_in[i], "include", NULL);
    pf_screen(p, "ta", 10, "exclude", "Wrong population");
    pf_screen(p, "ta", 14, "exclude", "Wrong population");
    pf_screen(p, "ta", 18, "exclude", "Wrong population");
    pf_screen(p, "ta", 15, "exclude", "Protocol");
    pf_screen(p, "ta", 16, "exclude", "Protocol");
    t_sql(p, "INSERT INTO report(id, unit_id, study_id, status, updated_at) VALUES"
             " (1, 1, 1, 'retrieved', 'x'), (2, 2, 2, 'retrieved', 'x'),"
             " (3, 2, 2, 'retrieved', 'x'), (4, 3, 4, 'not_retrieved', 'x'),"
             " (5, 4, 5, 'retrieved', 'x'), (6, 9, 6, 'retrieved', 'x')");
    pf_screen(p, "ft", 1, "include", NULL);
    pf_screen(p, "ft", 2, "include", NULL);
    pf_screen(p, "ft", 3, "include", NULL);
    pf_screen(p, "ft", 5, "exclude", "Wrong outcome");
    pf_screen(p, "ft", 6, "exclude", "Wrong design");
    if (with_other) {
        pf_screen(p, "ta", 20, "include", NULL);
        pf_screen(p, "ta", 22, "include", NULL);
        t_sql(p, "INSERT INTO report(id, unit_id, study_id, status, updated_at) VALUES"
                 " (7, 20, 7, 'retrieved', 'x'), (8, 22, 2, 'retrieved', 'x')");
        pf_screen(p, "ft", 7, "exclude", "Wrong outcome");
        pf_screen(p, "ft", 8, "include", NULL);
    }
    return p;
}

/* The count of the named item in l, or -1. */
__attribute__((unused)) static int64_t pf_item(const wn_prisma_list *l, const char *name)
{
    for (size_t i = 0; i < l->len; i++)
        if (!strcmp(l->items[i].name, name))
            return l->items[i].n;
    return -1;
}

#endif
