/* prisma_bench: times the PRISMA count on a synthetic review.
 *
 *   prisma_bench [--records N] [--runs K] PROJECT
 *
 * Builds PROJECT (unless it exists) directly through SQL on the project's
 * own connection, so every trigger of the schema runs as in real use:
 * N records (default 1,000,000) from three databases and a small citation
 * search; 20% of the database records duplicate another (clusters of two);
 * rules exclude half of the units (a few reasons, 2% "other"); two
 * reviewers screen every remaining unit at title/abstract (5% included);
 * one report per included unit, 90% retrieved; one reviewer assesses each
 * (half included), a few reports of one study. Then computes the flow K
 * times (default 5) from the ledger and K times with the ledger unchanged
 * (the kept flow), and prints the medians, and what the screening stage's
 * outcomes alone take. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "winnow/winnow.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int exec(wn_project *p, const char *what, const char *sql)
{
    double t0 = now_ms();
    char *msg = NULL;
    if (sqlite3_exec(p->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "prisma_bench: %s: %s\n", what, msg ? msg : "?");
        sqlite3_free(msg);
        return 1;
    }
    fprintf(stderr, "  %-36s %8.0f ms\n", what, now_ms() - t0);
    return 0;
}

static int build(const char *path, long long n)
{
    wn_project *p;
    wn_err err;
    if (wn_project_create(&p, path, "Synthetic review (benchmark)", &err)) {
        fprintf(stderr, "prisma_bench: %s\n", err.msg);
        return 1;
    }
    long long cit = n / 1000, db = n - cit, per = db / 3, dup = db / 5;
    char sql[4096];
    snprintf(sql, sizeof sql,
             "INSERT INTO source(id, name, kind, format, filename, sha256, bytes, encoding,"
             " searched_on, query, imported_at, records) VALUES"
             " (1, 'Scopus', 'database', 'ris', 'scopus.ris', 'x', 0, 'UTF-8', '2024-01-01',"
             "  'q', 'x', %lld),"
             " (2, 'Web of Science', 'database', 'wos', 'wos.txt', 'y', 0, 'UTF-8', '2024-01-01',"
             "  'q', 'x', %lld),"
             " (3, 'PubMed', 'database', 'medline', 'pubmed.nbib', 'z', 0, 'UTF-8',"
             "  '2024-01-01', 'q', 'x', %lld),"
             " (4, 'Citation search', 'citation', 'ris', 'snowball.ris', 'w', 0, 'UTF-8',"
             "  '2024-02-01', NULL, 'x', %lld);"
             "INSERT INTO reviewer(handle, name, added_at) VALUES ('ana', 'Ana', 'x'),"
             " ('ben', 'Ben', 'x'), ('cy', 'Cy', 'x');",
             per, per, db - 2 * per, cit);
    int rc = exec(p, "sources and reviewers", sql);
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < %lld)"
             " INSERT INTO record(id, source_id, position, line, byte_offset, byte_length,"
             " title, year)"
             " SELECT x, CASE WHEN x > %lld THEN 4 WHEN x > %lld THEN 3 WHEN x > %lld THEN 2"
             " ELSE 1 END, x, x, 0, 0, 'Synthetic record ' || x, 1990 + x %% 34 FROM i",
             n, db, 2 * per, per);
    rc = rc || exec(p, "records", sql);
    /* the last fifth of the database records duplicate the first fifth */
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < %lld)"
             " INSERT INTO cluster_member(record_id, cluster_id)"
             " SELECT x, x FROM i UNION ALL SELECT %lld - x + 1, x FROM i",
             dup, db);
    rc = rc || exec(p, "clusters", sql);
    rc = rc || exec(p, "rule exclusions",
                    "INSERT INTO rule_run VALUES (1, 'x', 'criteria.rules', 'abc', 'text');"
                    "INSERT INTO rule_exclusion(unit_id, run_id, rule, reason, box)"
                    " SELECT unit_id, 1, 'r' || (unit_id % 7),"
                    "  CASE unit_id % 7 WHEN 0 THEN 'Retracted' WHEN 1 THEN 'Preprint'"
                    "  WHEN 2 THEN 'Protocol' WHEN 3 THEN 'Out of date range'"
                    "  ELSE 'Not peer reviewed' END,"
                    "  CASE WHEN unit_id % 7 = 0 AND unit_id % 100 < 15 THEN 'other'"
                    "  ELSE 'automation' END"
                    " FROM (SELECT DISTINCT unit_id FROM unit_member) WHERE unit_id % 2 = 0");
    rc = rc || exec(p, "title/abstract assignments",
                    "INSERT INTO assignment(stage, unit_id, reviewer, assigned_at)"
                    " SELECT 'ta', unit_id, r.h, 'x'"
                    " FROM (SELECT DISTINCT unit_id FROM unit_member"
                    "  WHERE unit_id NOT IN (SELECT unit_id FROM rule_exclusion)),"
                    " (SELECT 'ana' AS h UNION ALL SELECT 'ben') r");
    rc = rc || exec(p, "title/abstract decisions",
                    "INSERT INTO decision(stage, unit_id, reviewer, decision, reason, at)"
                    " SELECT 'ta', unit_id, reviewer,"
                    "  CASE WHEN unit_id % 20 = 1 THEN 'include' ELSE 'exclude' END,"
                    "  CASE WHEN unit_id % 20 = 1 THEN NULL WHEN unit_id % 3 = 0"
                    "  THEN 'Wrong population' ELSE 'Wrong topic' END, 'x'"
                    " FROM assignment WHERE stage = 'ta' ORDER BY unit_id, reviewer");
    rc = rc || exec(p, "reports",
                    "INSERT INTO report(id, unit_id, study_id, status, updated_at)"
                    " SELECT row_number() OVER (ORDER BY unit_id), unit_id,"
                    "  CASE WHEN unit_id / 20 % 9 = 1 THEN unit_id - 20 ELSE unit_id END,"
                    "  CASE WHEN unit_id / 20 % 10 = 3 THEN 'not_retrieved' ELSE 'retrieved'"
                    "  END,"
                    "  'x' FROM assignment WHERE stage = 'ta' AND reviewer = 'ana'"
                    "  AND unit_id % 20 = 1");
    rc = rc || exec(p, "full-text assignments and decisions",
                    "INSERT INTO assignment(stage, unit_id, reviewer, assigned_at)"
                    " SELECT 'ft', id, 'cy', 'x' FROM report WHERE status = 'retrieved';"
                    "INSERT INTO decision(stage, unit_id, reviewer, decision, reason, at)"
                    " SELECT 'ft', id, 'cy', CASE WHEN id % 2 THEN 'include' ELSE 'exclude'"
                    "  END, CASE WHEN id % 2 THEN NULL WHEN id % 3 THEN 'Wrong outcome'"
                    "  ELSE 'Wrong design' END, 'x' FROM report WHERE status = 'retrieved'");
    rc = rc || exec(p, "analyze", "ANALYZE");
    wn_project_close(p);
    return rc;
}

static int count_outcome(void *ctx, const wn_unit_outcome *o)
{
    (void)o;
    ++*(long long *)ctx;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    long long n = 1000000, runs = 5;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--records") && i + 1 < argc)
            n = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = atoll(argv[++i]);
        else
            path = argv[i];
    }
    if (!path || n < 1000 || runs < 1 || runs > 100) {
        fprintf(stderr, "usage: prisma_bench [--records N>=1000] [--runs K] PROJECT\n");
        return 2;
    }
    FILE *f = fopen(path, "rb");
    if (f) {
        fclose(f);
        fprintf(stderr, "prisma_bench: using existing '%s'\n", path);
    } else {
        fprintf(stderr, "prisma_bench: building '%s' with %lld records\n", path, n);
        if (build(path, n))
            return 1;
    }
    wn_project *p;
    wn_err err;
    if (wn_project_open(&p, path, &err)) {
        fprintf(stderr, "prisma_bench: %s\n", err.msg);
        return 1;
    }
    double cold[100], warm[100];
    wn_prisma c;
    memset(&c, 0, sizeof c);
    for (int pass = 0; pass < 2; pass++) {
        double *t = pass ? warm : cold;
        for (long long k = 0; k < runs; k++) {
            wn_prisma_free(&c);
            double t0 = now_ms();
            int rc = pass ? wn_prisma_compute(p, &c) : wn_prisma_recompute(p, &c);
            t[k] = now_ms() - t0;
            if (rc) {
                fprintf(stderr, "prisma_bench: %s\n", wn_project_errmsg(p));
                return 1;
            }
        }
        qsort(t, (size_t)runs, sizeof t[0], cmp_double);
    }
    /* the screening stage's share: its outcomes alone */
    for (int k = 0; k < 2; k++) {
        const char *stage = k ? "ft" : "ta";
        long long units = 0;
        double t0 = now_ms();
        if (wn_stage_outcomes_each(p, stage, count_outcome, &units))
            fprintf(stderr, "prisma_bench: %s\n", wn_project_errmsg(p));
        printf("wn_stage_outcomes_each(%s): %lld units in %.1f ms\n", stage, units,
               now_ms() - t0);
    }
    printf("records %lld, units %lld, screened %lld, reports %lld, studies %lld\n",
           (long long)c.records_total, (long long)c.units_total,
           (long long)(c.arm[0].screened + c.arm[1].screened),
           (long long)(c.arm[0].sought + c.arm[1].sought), (long long)c.new_studies);
    printf("computed from the ledger (wn_prisma_recompute), median of %lld: %.1f ms\n", runs,
           cold[runs / 2]);
    printf("ledger unchanged (wn_prisma_compute, kept flow), median of %lld: %.1f ms\n", runs,
           warm[runs / 2]);
    wn_prisma_free(&c);
    wn_project_close(p);
    return 0;
}
