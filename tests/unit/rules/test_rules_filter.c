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

/* The first column of the first row of sql, as text (owned). */
static char *text_of(const char *path, const char *sql)
{
    sqlite3 *db = db_of(path);
    sqlite3_stmt *s = NULL;
    int prepared = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    int stepped = prepared == SQLITE_OK ? sqlite3_step(s) : prepared;
    const char *v = stepped == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
    char *copy = v ? wn_strdup(v) : NULL;
    sqlite3_finalize(s);
    sqlite3_close(db);
    if (!copy)
        fail_msg("no value from %s", sql);
    return copy;
}

static long long count(const char *path, const char *sql)
{
    char *v = text_of(path, sql);
    long long n = strtoll(v, NULL, 10);
    free(v);
    return n;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A project, and what the tests allocate, freed by the teardown even when
 * an assertion fails half-way. */
typedef struct fixture {
    wn_project *p;
    char project[512], rules[512];
    char *out, *err; /* of the last command */
    wn_filter_result res;
    wn_explain x;
    wn_highlight *h;
    size_t n_h;
    char *texts[4];
    size_t n_texts;
} fixture;

static char *keep_text(fixture *fx, char *text)
{
    assert_true(fx->n_texts < sizeof fx->texts / sizeof fx->texts[0]);
    return fx->texts[fx->n_texts++] = text;
}

/* Runs winnow with args; its output is in fx->out and fx->err. */
static int winnow(fixture *fx, const char *const *args)
{
    free(fx->out);
    free(fx->err);
    fx->out = fx->err = NULL;
    return t_winnow(NULL, NULL, &fx->out, &fx->err, args);
}

static void highlights(fixture *fx, int64_t unit)
{
    wn_highlights_free(fx->h, fx->n_h);
    fx->h = NULL;
    fx->n_h = 0;
    assert_int_equal(wn_rules_unit_highlights(fx->p, unit, &fx->h, &fx->n_h), 0);
}

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
    free(fx->out);
    free(fx->err);
    wn_filter_result_free(&fx->res);
    wn_explain_free(&fx->x);
    wn_highlights_free(fx->h, fx->n_h);
    while (fx->n_texts > 0)
        free(fx->texts[--fx->n_texts]);
    wn_project_close(fx->p);
    free(fx);
    return 0;
}

/* Applies fx->rules (dry: counts only); the result is in fx->fx->res. Returns
 * the number of diagnostics. */
static int filter(fixture *fx, int dry, size_t *n_diags, size_t *first_line)
{
    wn_actor actor = {"filter", "tester"};
    wn_rule_diags d = {NULL, 0};
    wn_filter_result_free(&fx->res);
    int rc = wn_filter_run(fx->p, fx->rules, dry, &actor, &fx->res, &d);
    *n_diags = d.n;
    *first_line = d.n ? d.items[0].line : 0;
    wn_rule_diags_free(&d);
    return rc;
}

static void run_ok(fixture *fx, int dry)
{
    size_t n, line;
    if (filter(fx, dry, &n, &line))
        fail_msg("filter failed: %s", wn_project_errmsg(fx->p));
    assert_int_equal(n, 0);
}

static void test_dry_run_then_run(void **state)
{
    fixture *fx = *state;
    long long audits = count(fx->project, "SELECT count(*) FROM audit");
    run_ok(fx, 1);
    assert_int_equal(fx->res.units, 4);
    assert_int_equal(fx->res.excluded, 3);
    assert_int_equal(fx->res.kept, 1);
    assert_int_equal(fx->res.counts[0].excluded, 1); /* 1985 */
    assert_int_equal(fx->res.counts[1].excluded, 1); /* protocol */
    assert_int_equal(fx->res.counts[2].excluded, 1); /* medRxiv */
    assert_int_equal(fx->res.counts[3].matched, 3);  /* social work* in three titles */
    assert_int_equal(fx->res.counts[4].matched, 1);  /* the unit with a PubMed member */
    assert_int_equal(fx->res.run_id, 0);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM rule_exclusion"), 0);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM audit"), audits);

    run_ok(fx, 0);
    assert_int_equal(fx->res.excluded, 3);
    assert_true(fx->res.run_id > 0);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM rule_exclusion"), 3);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM rule_exclusion WHERE unit_id = 2"
                                        " AND box = 'other' AND reason = 'Study protocol'"),
                     1);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM rule_exclusion WHERE unit_id = 3"
                                        " AND rule = 'recent' AND box = 'automation'"),
                     1);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM audit"), audits + 1);
    char *sha = keep_text(fx, t_sha256_file(fx->rules));
    char *stored = keep_text(fx, text_of(fx->project, "SELECT sha256 FROM rule_run ORDER BY id DESC"));
    assert_string_equal(stored, sha);
    char *inputs = keep_text(fx, text_of(fx->project, "SELECT inputs FROM audit ORDER BY id DESC"));
    assert_non_null(strstr(inputs, sha));
}

static void test_rerun_replaces_and_keeps_decisions(void **state)
{
    fixture *fx = *state;
    run_ok(fx, 0);
    write_file(fx->rules, rules_v2);
    run_ok(fx, 0);
    assert_int_equal(fx->res.replaced, 3);
    assert_int_equal(fx->res.excluded, 2);
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
    run_ok(fx, 0);
    long long audits = count(fx->project, "SELECT count(*) FROM audit");
    write_file(fx->rules, "require recent when year 1990-2023\nexclude x when title ~ /(/\n");
    size_t n, line;
    assert_int_equal(filter(fx, 0, &n, &line), WN_EPARSE);
    assert_int_equal(n, 1);
    assert_int_equal(line, 2);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM rule_exclusion"), 3);
    assert_int_equal(count(fx->project, "SELECT count(*) FROM audit"), audits);
}

static void test_explain_and_highlights(void **state)
{
    fixture *fx = *state;
    assert_int_equal(wn_filter_explain(fx->p, 5, &fx->x), WN_ENOTFOUND); /* no run yet */
    run_ok(fx, 0);
    /* the rule file may change on disk: explain uses the run's stored text */
    write_file(fx->rules, "flag other when nothing\n");
    assert_int_equal(wn_filter_explain(fx->p, 5, &fx->x), 0);
    assert_int_equal(fx->x.unit_id, 1);
    assert_int_equal(fx->x.excluded_by, -1);
    assert_int_equal(wn_rules_count(fx->x.rules), 5);
    assert_true(fx->x.matched[3]);
    assert_true(fx->x.matched[4]);
    assert_false(fx->x.matched[1]);
    const char *title = wn_record_first(fx->x.merged, WN_F_TITLE);
    int found = 0;
    for (size_t i = 0; i < fx->x.n_spans; i++)
        if (fx->x.spans[i].rule == 3 && fx->x.spans[i].field == WN_F_TITLE)
            found = !strncmp(title + fx->x.spans[i].start, "social workers",
                             fx->x.spans[i].end - fx->x.spans[i].start);
    assert_true(found);
    wn_explain_free(&fx->x);
    assert_int_equal(wn_filter_explain(fx->p, 2, &fx->x), 0);
    assert_int_equal(fx->x.excluded_by, 1);
    wn_explain_free(&fx->x);
    /* excluded by a field test: nothing to highlight */
    assert_int_equal(wn_filter_explain(fx->p, 3, &fx->x), 0);
    assert_int_equal(fx->x.excluded_by, 0);
    assert_int_equal(fx->x.n_spans, 0);
    wn_explain_free(&fx->x);

    highlights(fx, 1);
    assert_true(fx->n_h >= 1);
    assert_string_equal(fx->h[0].rule, "sw");
    assert_int_equal(fx->h[0].field, WN_F_TITLE);
    assert_false(fx->h[0].negative);
    assert_int_equal(fx->h[0].end - fx->h[0].start, strlen("social workers"));
    /* the protocol unit: its exclusion terms come back negative */
    highlights(fx, 2);
    int neg = 0;
    for (size_t i = 0; i < fx->n_h; i++)
        neg |= !strcmp(fx->h[i].rule, "protocol") && fx->h[i].negative;
    assert_true(neg);
    highlights(fx, 3);
    assert_int_equal(fx->n_h, 0);
}

/* JSON number at key of the object text, or -1 when missing. */
static double json_number(const char *text, const char *key)
{
    cJSON *j = cJSON_Parse(text);
    const cJSON *v = cJSON_GetObjectItem(j, key);
    double n = cJSON_IsNumber(v) ? v->valuedouble : cJSON_IsArray(v) ? cJSON_GetArraySize(v) : -1;
    cJSON_Delete(j);
    return n;
}

static void test_cli(void **state)
{
    fixture *fx = *state;
    char bad[512];
    snprintf(bad, sizeof bad, "%s", t_tmp_path("bad.rules"));
    write_file(bad, "# x\nexclude x when title ~ /a(b/i OR b\nflag y when \"social work\n");
    assert_int_equal(winnow(fx, (const char *const[]){"rules", "check", bad, NULL}), 1);
    char where[600];
    snprintf(where, sizeof where, "%s:2:28: error: regex: missing closing parenthesis", bad);
    if (!strstr(fx->err, where))
        fail_msg("stderr lacks '%s':\n%s", where, fx->err);
    assert_non_null(strstr(fx->err, "\n                           ^\n"));
    assert_non_null(strstr(fx->err, ":3:13: error: unterminated string"));
    assert_int_equal(winnow(fx, (const char *const[]){"rules", "check", fx->rules, NULL}), 0);
    assert_non_null(strstr(fx->out, "ok, 5 rules"));
    assert_int_equal(winnow(fx, (const char *const[]){"rules", NULL}), 2);
    assert_int_equal(winnow(fx, (const char *const[]){"-p", fx->project, "filter", fx->rules,
                                                      "--dry-run", "--json", NULL}),
                     0);
    assert_true(json_number(fx->out, "excluded") == 3);
    assert_true(json_number(fx->out, "rules") == 5);
    assert_int_equal(winnow(fx, (const char *const[]){"-p", fx->project, "filter", fx->rules,
                                                      NULL}),
                     0);
    assert_non_null(strstr(fx->out, "4 units: 3 excluded, 1 kept"));
    assert_int_equal(winnow(fx, (const char *const[]){"-p", fx->project, "filter", "--explain",
                                                      "5", NULL}),
                     0);
    assert_non_null(strstr(fx->out, "title[0] 23-37: \"social workers\""));
    /* a unit excluded by a field test has no spans to show */
    assert_int_equal(winnow(fx, (const char *const[]){"-p", fx->project, "filter", "--explain",
                                                      "3", NULL}),
                     0);
    assert_non_null(strstr(fx->out, "excluded by 'recent'"));
    assert_int_equal(winnow(fx, (const char *const[]){"-p", fx->project, "filter", NULL}), 2);
    assert_int_equal(winnow(fx, (const char *const[]){"-p", fx->project, "filter", bad, NULL}),
                     1);
    assert_int_equal(winnow(fx, (const char *const[]){"-p", fx->project, "filter", "--explain",
                                                      "999", NULL}),
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
