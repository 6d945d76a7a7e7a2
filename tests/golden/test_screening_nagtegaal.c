/* A whole screening run on a real dataset: Nagtegaal et al. 2019 (2,019
 * records with their title/abstract and full-text labels). Scripted
 * reviewers vote by the labels, one of them wrongly on some units so that
 * conflicts arise and are resolved; the run must end with exactly the label
 * counts the dataset gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "support.h"

#define CSV "screening/Nagtegaal_2019/Nagtegaal_2019.csv"

static wn_actor actor = {"[\"test\"]", "script"};

typedef struct labels {
    char *ta, *ft; /* indexed by record id: 1 include, 0 exclude */
    size_t n;
} labels;

/* The labels as the project holds them (the CSV's extra columns). */
static void read_labels(wn_project *p, labels *l)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(wn_project_path(p), &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT record_id, tag, value FROM record_extra"
                                        " WHERE tag IN ('label_abstract_screening',"
                                        " 'label_included')",
                                        -1, &s, NULL),
                     SQLITE_OK);
    l->n = 4096;
    l->ta = calloc(l->n, 1);
    l->ft = calloc(l->n, 1);
    assert_non_null(l->ta);
    assert_non_null(l->ft);
    while (sqlite3_step(s) == SQLITE_ROW) {
        size_t id = (size_t)sqlite3_column_int64(s, 0);
        assert_true(id < l->n);
        int yes = !strcmp((const char *)sqlite3_column_text(s, 2), "1");
        if (!strcmp((const char *)sqlite3_column_text(s, 1), "label_included"))
            l->ft[id] = (char)yes;
        else
            l->ta[id] = (char)yes;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* Every assignment of a stage as (unit, reviewer index) pairs. */
static size_t read_assignments(wn_project *p, const char *stage, int64_t *unit, int *who,
                               size_t cap)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(wn_project_path(p), &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT a.unit_id, a.reviewer, coalesce(r.unit_id, a.unit_id)"
                                        " FROM assignment a LEFT JOIN report r"
                                        " ON a.stage = 'ft' AND r.id = a.unit_id"
                                        " WHERE a.stage = ? ORDER BY 1, 2",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, stage, -1, SQLITE_STATIC);
    size_t n = 0;
    while (sqlite3_step(s) == SQLITE_ROW && n < cap) {
        const char *r = (const char *)sqlite3_column_text(s, 1);
        unit[2 * n] = sqlite3_column_int64(s, 0);
        unit[2 * n + 1] = sqlite3_column_int64(s, 2); /* the record behind a report */
        who[n] = !strcmp(r, "alice") ? 0 : !strcmp(r, "bob") ? 1 : 2;
        n++;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

typedef struct counts {
    size_t n[4];
    size_t with_reason;
} counts;

static int count_outcome(void *ctx, const wn_unit_outcome *o)
{
    counts *c = ctx;
    c->n[o->outcome]++;
    c->with_reason += o->reason != NULL;
    return 0;
}

static void test_nagtegaal_run_ends_with_the_labels(void **state)
{
    (void)state;
    T_NEED_CORPUS(csv, CSV);
    /* What the dataset says, read by the CSV reader itself. */
    t_parsed parsed;
    t_parse_file_ok(&parsed, csv, "csv", 2019);
    size_t want_ta = 0, want_ft = 0;
    for (size_t i = 0; i < parsed.n; i++) {
        const char *ta = t_extra(parsed.recs[i], "label_abstract_screening");
        const char *ft = t_extra(parsed.recs[i], "label_included");
        assert_non_null(ta);
        assert_non_null(ft);
        want_ta += !strcmp(ta, "1");
        want_ft += !strcmp(ft, "1");
    }
    t_parsed_free(&parsed);
    assert_true(want_ta > want_ft && want_ft > 0);

    const char *path = t_tmp_path("nagtegaal.winnow");
    remove(path);
    wn_project *p;
    wn_err err;
    assert_int_equal(wn_project_create(&p, path, "Nagtegaal 2019", &err), 0);
    wn_import_opts io = {0};
    io.path = csv;
    io.source_name = "Nagtegaal 2019";
    wn_import_result ir;
    if (wn_import_file(p, &io, &actor, &ir))
        fail_msg("%s", wn_project_errmsg(p));
    assert_int_equal(ir.records, 2019);
    const char *team[] = {"alice", "bob", "carol"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(wn_reviewer_add(p, team[i], team[i], NULL, &actor), 0);
    labels l;
    read_labels(p, &l);

    /* Title/abstract: alice and bob on every record. */
    wn_assign_opts o = {"ta", team, 2, NULL, 2, 2019, 0, 0};
    wn_assign_result ar;
    assert_int_equal(wn_assign(p, &o, &actor, &ar), 0);
    assert_int_equal(ar.units, 2019);
    size_t cap = 3 * 2019;
    int64_t *unit = malloc(2 * cap * sizeof *unit);
    int *who = malloc(cap * sizeof *who);
    wn_decision *d = malloc(cap * sizeof *d);
    assert_non_null(unit);
    assert_non_null(who);
    assert_non_null(d);
    size_t n = read_assignments(p, "ta", unit, who, cap);
    assert_int_equal(n, 2 * 2019);
    /* alice misjudges every 13th record: conflicts for carol to settle. */
    size_t nd = 0, misjudged = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t rec = unit[2 * i + 1];
        int yes = l.ta[rec];
        if (who[i] == 0 && rec % 13 == 0) {
            yes = !yes;
            misjudged++;
        }
        d[nd++] = (wn_decision){"ta", unit[2 * i], team[who[i]], NULL,
                                yes ? "include" : "exclude", yes ? NULL : "not relevant", NULL};
    }
    assert_int_equal(wn_decisions_add(p, d, nd, &actor), 0);
    counts c = {0};
    assert_int_equal(wn_stage_outcomes_each(p, "ta", count_outcome, &c), 0);
    assert_int_equal(c.n[WN_OUTCOME_CONFLICT], misjudged);
    assert_int_equal(c.n[WN_OUTCOME_PENDING], 0);
    nd = 0;
    for (int64_t rec = 13; rec <= 2019; rec += 13)
        d[nd++] = (wn_decision){"ta", rec, "carol", "resolution",
                                l.ta[rec] ? "include" : "exclude",
                                l.ta[rec] ? NULL : "not relevant", NULL};
    assert_int_equal(wn_decisions_add(p, d, nd, &actor), 0);
    memset(&c, 0, sizeof c);
    assert_int_equal(wn_stage_outcomes_each(p, "ta", count_outcome, &c), 0);
    assert_int_equal(c.n[WN_OUTCOME_INCLUDE], want_ta);
    assert_int_equal(c.n[WN_OUTCOME_EXCLUDE], 2019 - want_ta);
    assert_int_equal(c.n[WN_OUTCOME_CONFLICT] + c.n[WN_OUTCOME_PENDING], 0);
    wn_agreement ag;
    assert_int_equal(wn_agreement_get(p, "ta", &ag), 0);
    assert_int_equal(ag.main.n_pairs, 1);
    assert_int_equal(ag.main.pairs[0].n, 2019);
    assert_int_equal(ag.main.units - ag.main.agreed, misjudged);
    assert_true(ag.main.pairs[0].kappa > 0.5 && ag.main.pairs[0].kappa < 1);
    wn_agreement_free(&ag);

    /* Full text: a report for each included record, split among three. */
    o = (wn_assign_opts){"ft", team, 3, NULL, 1, 2019, 0, 0};
    assert_int_equal(wn_assign(p, &o, &actor, &ar), 0);
    assert_int_equal(ar.reports_created, want_ta);
    assert_int_equal(ar.units, want_ta);
    n = read_assignments(p, "ft", unit, who, cap);
    assert_int_equal(n, want_ta);
    nd = 0;
    for (size_t i = 0; i < n; i++) {
        int yes = l.ft[unit[2 * i + 1]];
        d[nd++] = (wn_decision){"ft", unit[2 * i], team[who[i]], NULL,
                                yes ? "include" : "exclude", yes ? NULL : "not eligible", NULL};
    }
    assert_int_equal(wn_decisions_add(p, d, nd, &actor), 0);
    memset(&c, 0, sizeof c);
    assert_int_equal(wn_stage_outcomes_each(p, "ft", count_outcome, &c), 0);
    assert_int_equal(c.n[WN_OUTCOME_INCLUDE], want_ft);
    assert_int_equal(c.n[WN_OUTCOME_EXCLUDE], want_ta - want_ft);
    assert_int_equal(c.with_reason, want_ta - want_ft);
    print_message("Nagtegaal 2019: %zu records, %zu included at title/abstract (%zu conflicts "
                  "resolved), %zu included at full text\n",
                  (size_t)2019, want_ta, misjudged, want_ft);
    free(unit);
    free(who);
    free(d);
    free(l.ta);
    free(l.ft);
    wn_project_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nagtegaal_run_ends_with_the_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
