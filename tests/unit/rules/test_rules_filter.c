/* Applying rule files to a project: dry runs change nothing, a run replaces
 * the previous automated exclusions in one transaction with its audit row,
 * screeners' decisions stay, bad files leave the project unchanged;
 * explain and highlights; the rules and filter commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "support.h"

static const char ris_a[] =
    "TY  - JOUR\nTI  - Burnout among hospital social workers\nPY  - 2015\n"
    "JO  - Health and Social Work\nAB  - A survey of social workers in hospitals.\n"
    "DO  - 10.1000/a1\nER  - \n\n"
    "TY  - JOUR\nTI  - A study protocol for social work in hospitals\nPY  - 2020\nER  - \n\n"
    "TY  - JOUR\nTI  - Nurses and doctors\nPY  - 1985\nER  - \n\n"
    "TY  - JOUR\nTI  - Social workers during the pandemic\nPY  - 2021\nJO  - medRxiv\n"
    "ER  - \n";
static const char ris_b[] =
    "TY  - JOUR\nTI  - Burnout among hospital social workers\nPY  - 2015\nER  - \n";

static const char rules_v1[] =
    "require recent \"Outside 1990-2023\" when year 1990-2023\n"
    "exclude protocol \"Study protocol\" as other when title ~ /protocol/i\n"
    "exclude preprint \"Preprint\" when is preprint\n"
    "flag sw \"Social work\" when \"social work*\"[ti]\n"
    "flag pubmed when source is pubmed\n";
static const char rules_v2[] =
    "require recent \"Outside 1990-2023\" when year 1990-2023\n"
    "exclude preprint \"Preprint\" when is preprint\n"
    "flag sw when \"social work*\"[ti]\n";

static sqlite3 *db_of(const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    return db;
}

static long long count(const char *path, const char *sql)
{
    sqlite3 *db = db_of(path);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

static char *text_of(const char *path, const char *sql)
{
    sqlite3 *db = db_of(path);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    char *v = wn_strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

typedef struct fixture {
    wn_project *p;
    char project[512], rules[512];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    fx->p = t_project_with("a.ris", "Scopus", ris_a);
    snprintf(fx->project, sizeof fx->project, "%s", wn_project_path(fx->p));
    char b[512];
    snprintf(b, sizeof b, "%s", t_tmp_path("b.ris"));
    write_file(b, ris_b);
    wn_import_opts o = {0};
    o.path = b;
    o.source_name = "PubMed";
    wn_actor actor = {"test", "tester"};
    wn_import_result res;
    assert_int_equal(wn_import_file(fx->p, &o, &actor, &res), 0);
    /* record 5 duplicates record 1: one unit */
    t_sql(fx->p, "INSERT INTO cluster_member (record_id, cluster_id) VALUES (1, 1), (5, 1)");
    /* a screener's decision that rules must never touch */
    t_sql(fx->p, "INSERT INTO reviewer (handle, name, added_at) VALUES ('ann', 'Ann', 'x');"
                 "INSERT INTO decision (stage, unit_id, reviewer, decision, at)"
                 " VALUES ('ta', 2, 'ann', 'include', 'x')");
    snprintf(fx->rules, sizeof fx->rules, "%s", t_tmp_path("criteria.rules"));
    write_file(fx->rules, rules_v1);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    wn_project_close(fx->p);
    free(fx);
    return 0;
}

static void run_ok(fixture *fx, int dry, wn_filter_result *res)
{
    wn_actor actor = {"filter", "tester"};
    wn_rule_diags d = {NULL, 0};
    int rc = wn_filter_run(fx->p, fx->rules, dry, &actor, res, &d);
    if (rc)
        fail_msg("filter failed: %s", wn_project_errmsg(fx->p));
    assert_int_equal(d.n, 0);
}

static void test_dry_run_then_run(void **state)
{
    fixture *fx = *state;
    long long audits = count(fx->project, "SELECT count(*) FROM audit");
    wn_filter_result res;
    run_ok(fx, 1, &res);
    assert_int_equal(res.units, 4);
    assert_int_equal(res.excluded, 3);
    assert_int_equal(res.kept, 1);
    assert_int_equal(res.counts[0].excluded, 1); /* 1985 */
    assert_int_equal(res.counts[1].excluded, 1); /* protocol */
    assert_int_equal(res.counts[2].excluded, 1); /* medRxiv */
    assert_int_equal(res.counts[3].matched, 3);  /* social work* in three titles */
    assert_int_equal(res.counts[4].matched, 1);  /* the unit with a PubMed member */
    assert_int_equal(res.run_id, 0);
    wn_filter_result_free(&res);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM rule_exclusion"), 0);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM audit"), audits);

    run_ok(fx, 0, &res);
    assert_int_equal(res.excluded, 3);
    assert_true(res.run_id > 0);
    wn_filter_result_free(&res);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM rule_exclusion"), 3);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM rule_exclusion WHERE unit_id = 2"
                                        " AND box = 'other' AND reason = 'Study protocol'"),
                     1);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM rule_exclusion WHERE unit_id = 3"
                                        " AND rule = 'recent' AND box = 'automation'"),
                     1);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM audit"), audits + 1);
    char *sha = t_sha256_file(fx->rules);
    char *stored = text_of(fx->project, "SELECT sha256 FROM rule_run ORDER BY id DESC");
    assert_string_equal(stored, sha);
    char *inputs = text_of(fx->project, "SELECT inputs FROM audit ORDER BY id DESC");
    assert_non_null(strstr(inputs, sha));
    free(sha);
    free(stored);
    free(inputs);
}

static void test_rerun_replaces_and_keeps_decisions(void **state)
{
    fixture *fx = *state;
    wn_filter_result res;
    run_ok(fx, 0, &res);
    wn_filter_result_free(&res);
    write_file(fx->rules, rules_v2);
    run_ok(fx, 0, &res);
    assert_int_equal(res.replaced, 3);
    assert_int_equal(res.excluded, 2);
    wn_filter_result_free(&res);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM rule_exclusion"), 2);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM rule_exclusion WHERE unit_id = 2"),
                     0);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM decision WHERE unit_id = 2"
                                        " AND decision = 'include'"),
                     1);
    /* the history of runs is kept */
    assert_int_equal(count(fx->project, "SELECT count(*) FROM rule_run"), 2);
}

static void test_bad_file_changes_nothing(void **state)
{
    fixture *fx = *state;
    wn_filter_result res;
    run_ok(fx, 0, &res);
    wn_filter_result_free(&res);
    long long audits = count(fx->project, "SELECT count(*) FROM audit");
    write_file(fx->rules, "require recent when year 1990-2023\nexclude x when title ~ /(/\n");
    wn_actor actor = {"filter", "tester"};
    wn_rule_diags d = {NULL, 0};
    assert_int_equal(wn_filter_run(fx->p, fx->rules, 0, &actor, &res, &d), WN_EPARSE);
    wn_filter_result_free(&res);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.items[0].line, 2);
    wn_rule_diags_free(&d);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM rule_exclusion"), 3);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM audit"), audits);
}

static void test_explain_and_highlights(void **state)
{
    fixture *fx = *state;
    wn_explain x;
    assert_int_equal(wn_filter_explain(fx->p, 5, &x), WN_ENOTFOUND); /* no run yet */
    wn_filter_result res;
    run_ok(fx, 0, &res);
    wn_filter_result_free(&res);
    /* the rule file may change on disk: explain uses the run's stored text */
    write_file(fx->rules, "flag other when nothing\n");
    assert_int_equal(wn_filter_explain(fx->p, 5, &x), 0);
    assert_int_equal(x.unit_id, 1);
    assert_int_equal(x.excluded_by, -1);
    assert_int_equal(wn_rules_count(x.rules), 5);
    assert_true(x.matched[3]);
    assert_true(x.matched[4]);
    assert_false(x.matched[1]);
    const char *title = wn_record_first(x.merged, WN_F_TITLE);
    int found = 0;
    for (size_t i = 0; i < x.n_spans; i++)
        if (x.spans[i].rule == 3 && x.spans[i].field == WN_F_TITLE)
            found = !strncmp(title + x.spans[i].start, "social workers",
                             x.spans[i].end - x.spans[i].start);
    assert_true(found);
    wn_explain_free(&x);
    assert_int_equal(wn_filter_explain(fx->p, 2, &x), 0);
    assert_int_equal(x.excluded_by, 1);
    wn_explain_free(&x);

    wn_highlight *h;
    size_t n;
    assert_int_equal(wn_rules_unit_highlights(fx->p, 1, &h, &n), 0);
    assert_true(n >= 1);
    assert_string_equal(h[0].rule, "sw");
    assert_int_equal(h[0].field, WN_F_TITLE);
    assert_false(h[0].negative);
    assert_int_equal(h[0].end - h[0].start, strlen("social workers"));
    wn_highlights_free(h, n);
    /* the protocol unit: its exclusion terms come back negative */
    assert_int_equal(wn_rules_unit_highlights(fx->p, 2, &h, &n), 0);
    int neg = 0;
    for (size_t i = 0; i < n; i++)
        neg |= !strcmp(h[i].rule, "protocol") && h[i].negative;
    assert_true(neg);
    wn_highlights_free(h, n);
    assert_int_equal(wn_rules_unit_highlights(fx->p, 3, &h, &n), 0);
    assert_int_equal(n, 0);
}

static void test_cli(void **state)
{
    fixture *fx = *state;
    char bad[512];
    snprintf(bad, sizeof bad, "%s", t_tmp_path("bad.rules"));
    write_file(bad, "# x\nexclude x when title ~ /a(b/i OR b\nflag y when \"social work\n");
    char *out = NULL, *err = NULL;
    assert_int_equal(t_winnow(NULL, NULL, &out, &err,
                              (const char *const[]){"rules", "check", bad, NULL}),
                     1);
    char where[600];
    snprintf(where, sizeof where, "%s:2:28: error: regex: missing closing parenthesis", bad);
    if (!strstr(err, where))
        fail_msg("stderr lacks '%s':\n%s", where, err);
    assert_non_null(strstr(err, "\n                           ^\n"));
    assert_non_null(strstr(err, ":3:13: error: unterminated string"));
    free(out);
    free(err);
    assert_int_equal(t_winnow(NULL, NULL, &out, &err,
                              (const char *const[]){"rules", "check", fx->rules, NULL}),
                     0);
    assert_non_null(strstr(out, "ok, 5 rules"));
    free(out);
    free(err);
    assert_int_equal(t_winnow(NULL, NULL, NULL, NULL, (const char *const[]){"rules", NULL}), 2);
    assert_int_equal(t_winnow(NULL, NULL, &out, &err,
                              (const char *const[]){"-p", fx->project, "filter", fx->rules,
                                                    "--dry-run", "--json", NULL}),
                     0);
    cJSON *j = cJSON_Parse(out);
    assert_non_null(j);
    assert_int_equal(cJSON_GetObjectItem(j, "excluded")->valueint, 3);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "rules")), 5);
    cJSON_Delete(j);
    free(out);
    free(err);
    assert_int_equal(t_winnow(NULL, NULL, &out, &err,
                              (const char *const[]){"-p", fx->project, "filter", fx->rules, NULL}),
                     0);
    assert_non_null(strstr(out, "4 units: 3 excluded, 1 kept"));
    free(out);
    free(err);
    assert_int_equal(t_winnow(NULL, NULL, &out, &err,
                              (const char *const[]){"-p", fx->project, "filter", "--explain",
                                                    "5", NULL}),
                     0);
    assert_non_null(strstr(out, "title[0] 23-37: \"social workers\""));
    free(out);
    free(err);
    assert_int_equal(t_winnow(NULL, NULL, NULL, NULL,
                              (const char *const[]){"-p", fx->project, "filter", NULL}),
                     2);
    assert_int_equal(t_winnow(NULL, NULL, NULL, NULL,
                              (const char *const[]){"-p", fx->project, "filter", bad, NULL}),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dry_run_then_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rerun_replaces_and_keeps_decisions, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_file_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explain_and_highlights, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
