/* The demo review end to end: every PRISMA number `winnow demo` reaches must
 * be what the fixture generator's labels imply (fixtures/demo/labels.tsv,
 * the exports, the rule file), computed here from those files; the ledger
 * must verify; the outputs must be written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support.h"

#define RUN(out, err, ...) t_winnow(NULL, NULL, out, err, (const char *const[]){__VA_ARGS__, NULL})

/* What the fixture files say the review must come to. */
typedef struct expected {
    long long scopus, wos, scholar; /* records in each export */
    long long labelled;             /* record appearances listed in labels.tsv */
    long long units, screened, ta_included, ft_included;
    char rule[16][64];              /* rule name -> units it removes */
    long long rule_n[16];
    size_t n_rules;
    char ft_reason[8][64];
    long long ft_reason_n[8];
    size_t n_ft_reasons;
} expected;

static char *fixture(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/fixtures/demo/%s", WINNOW_SOURCE_DIR, name);
    return t_read_file(path, NULL);
}

/* Lines of text that equal (or start with) what. */
static long long count_lines(const char *text, const char *what, int prefix)
{
    long long n = 0;
    size_t len = strlen(what);
    for (const char *l = text; l && *l;) {
        const char *nl = strchr(l, '\n');
        size_t ll = nl ? (size_t)(nl - l) : strlen(l);
        if (ll && l[ll - 1] == '\r')
            ll--;
        if (prefix ? ll >= len && !strncmp(l, what, len) : ll == len && !strncmp(l, what, len))
            n++;
        l = nl ? nl + 1 : NULL;
    }
    return n;
}

static void tally(char names[][64], long long *counts, size_t *n, const char *name, size_t cap)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(names[i], name)) {
            counts[i]++;
            return;
        }
    assert_true(*n < cap);
    snprintf(names[*n], 64, "%s", name);
    counts[(*n)++] = 1;
}

static void read_expected(expected *e)
{
    memset(e, 0, sizeof *e);
    /* Records per export, by each format's record end. */
    char *scopus = fixture("scopus.csv"), *wos = fixture("wos.txt"), *ris = fixture("scholar.ris");
    /* Scopus rows start with a quoted cell; less the header (after its BOM) */
    const char *rows = strncmp(scopus, "\xEF\xBB\xBF", 3) ? scopus : scopus + 3;
    e->scopus = count_lines(rows, "\"", 1) - 1;
    e->wos = count_lines(wos, "ER", 0);
    e->scholar = count_lines(ris, "ER  -", 1);
    free(scopus);
    free(wos);
    free(ris);

    /* labels.tsv: article, unit, records, rule, ta, ft, ft_reason, title */
    char *labels = fixture("labels.tsv");
    char rules[16][64];
    for (char *l = labels; l && *l;) {
        char *nl = strchr(l, '\n');
        if (nl)
            *nl = '\0';
        if (*l != '#' && strncmp(l, "article\t", 8) != 0) {
            char *f[8] = {l};
            for (int i = 1; i < 8; i++) {
                f[i] = f[i - 1] ? strchr(f[i - 1], '\t') : NULL;
                if (f[i])
                    *f[i]++ = '\0';
            }
            assert_non_null(f[7]);
            e->units++;
            e->labelled++; /* records: "file:position:id" joined by commas */
            for (const char *c = f[2]; *c; c++)
                e->labelled += *c == ',';
            if (!*f[3])
                e->screened++;
            else
                tally(rules, e->rule_n, &e->n_rules, f[3], 16);
            e->ta_included += !strcmp(f[4], "include");
            e->ft_included += !strcmp(f[5], "include");
            if (!strcmp(f[5], "exclude"))
                tally(e->ft_reason, e->ft_reason_n, &e->n_ft_reasons, f[6], 8);
        }
        l = nl ? nl + 1 : NULL;
    }
    for (size_t i = 0; i < e->n_rules; i++)
        snprintf(e->rule[i], sizeof e->rule[i], "%s", rules[i]);
    free(labels);
}

/* The reason label the rule file gives rule `name` ("require NAME "REASON""). */
static void rule_reason(const char *rules, const char *name, char *out, size_t cap)
{
    out[0] = '\0';
    size_t len = strlen(name);
    for (const char *l = rules; l && *l;) {
        const char *word = !strncmp(l, "require ", 8) ? l + 8 : !strncmp(l, "exclude ", 8) ? l + 8
                                                                                         : NULL;
        if (word && !strncmp(word, name, len) && word[len] == ' ' && word[len + 1] == '"') {
            const char *end = strchr(word + len + 2, '"');
            assert_non_null(end);
            snprintf(out, cap, "%.*s", (int)(end - word - len - 2), word + len + 2);
            return;
        }
        l = strchr(l, '\n');
        l = l ? l + 1 : NULL;
    }
    fail_msg("rule '%s' is not in the demo's rule file", name);
}

static int64_t list_count(const wn_prisma_list *l, const char *name)
{
    for (size_t i = 0; i < l->len; i++)
        if (!strcmp(l->items[i].name, name))
            return l->items[i].n;
    return -1;
}

static void test_demo_counts_come_from_the_pipeline(void **state)
{
    (void)state;
    expected e;
    read_expected(&e);
    /* The fixtures are the published review's numbers. */
    assert_int_equal(e.scopus + e.wos + e.scholar, 632);
    assert_int_equal(e.labelled, 632);
    assert_int_equal(e.screened, 267);
    assert_int_equal(e.ta_included, 96);
    assert_int_equal(e.ft_included, 82);

    char dir[4096];
    snprintf(dir, sizeof dir, "%s", t_tmp_path("demo-review"));
    char *out = NULL, *err = NULL;
    int rc = RUN(&out, &err, "demo", "--dir", dir, "--data", WINNOW_SOURCE_DIR);
    if (rc)
        fail_msg("demo failed (%d): %s\n%s", rc, err, out);
    assert_non_null(strstr(out, "$ winnow sheet import"));
    assert_non_null(strstr(out, "audit log intact"));
    free(out);
    free(err);

    char project[4200];
    snprintf(project, sizeof project, "%s/demo.winnow", dir);
    wn_project *p;
    wn_err werr;
    assert_int_equal(wn_project_open(&p, project, &werr), 0);
    wn_prisma c;
    rc = wn_prisma_compute(p, &c);
    if (rc)
        fail_msg("prisma: %s", wn_project_errmsg(p));
    const wn_prisma_arm *a = &c.arm[WN_PRISMA_DBR];
    assert_true(c.complete);
    assert_int_equal(list_count(&c.database_sources, "Scopus"), e.scopus);
    assert_int_equal(list_count(&c.database_sources, "Web of Science"), e.wos);
    assert_int_equal(list_count(&c.database_sources, "Google Scholar"), e.scholar);
    assert_int_equal(a->identified, e.scopus + e.wos + e.scholar);
    assert_int_equal(a->duplicates, a->identified - e.units);
    char *rules_text = NULL;
    {
        char path[4096];
        snprintf(path, sizeof path, "%s/queries/demo/criteria.rules", WINNOW_SOURCE_DIR);
        rules_text = t_read_file(path, NULL);
    }
    int64_t removed = 0;
    for (size_t i = 0; i < e.n_rules; i++) {
        char reason[200];
        rule_reason(rules_text, e.rule[i], reason, sizeof reason);
        if (list_count(&a->automation_reasons, reason) != e.rule_n[i])
            fail_msg("rule '%s' (%s): %lld units in PRISMA, %lld in the labels", e.rule[i],
                     reason, (long long)list_count(&a->automation_reasons, reason), e.rule_n[i]);
        removed += e.rule_n[i];
    }
    free(rules_text);
    assert_int_equal(a->automation + a->removed_other, removed);
    assert_int_equal(a->screened, e.screened);
    assert_int_equal(a->excluded, e.screened - e.ta_included);
    assert_int_equal(a->ta_included, e.ta_included);
    assert_int_equal(a->sought, e.ta_included);
    assert_int_equal(a->not_retrieved, 0);
    assert_int_equal(a->assessed, e.ta_included);
    for (size_t i = 0; i < e.n_ft_reasons; i++)
        assert_int_equal(list_count(&a->report_reasons, e.ft_reason[i]), e.ft_reason_n[i]);
    assert_int_equal(a->reports_excluded, e.ta_included - e.ft_included);
    assert_int_equal(a->reports_included, e.ft_included);
    assert_int_equal(a->studies_included, e.ft_included);
    wn_prisma_free(&c);

    /* Full texts split evenly among the four reviewers. */
    wn_stage_status st;
    assert_int_equal(wn_stage_status_get(p, "ft", &st), 0);
    assert_int_equal(st.n_reviewers, 4);
    for (size_t i = 0; i < st.n_reviewers; i++)
        assert_int_equal(st.reviewers[i].assigned, e.ta_included / 4);
    wn_stage_status_free(&st);

    wn_audit_report r;
    assert_int_equal(wn_audit_verify(p, &r), 0);
    assert_true(r.decisions > 0);
    wn_audit_report_free(&r);
    wn_project_close(p);

    const char *outputs[] = {"PRISMA.csv", "flow.svg"};
    for (size_t i = 0; i < 2; i++) {
        char path[4300];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, outputs[i]);
        assert_int_equal(stat(path, &sb), 0);
        assert_true(sb.st_size > 100);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_counts_come_from_the_pipeline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
