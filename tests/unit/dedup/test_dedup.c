/* Deduplication runs: what merges, what each veto keeps apart, clusters
 * never joined across a veto, version links, and people's decisions kept
 * across runs and new imports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* One RIS record from its parts; pages "" and doi "" leave them out. */
static void ris(wn_buf *b, const char *ty, const char *id, const char *title,
                const char *authors, const char *year, const char *journal, const char *volume,
                const char *pages, const char *doi)
{
    wn_buf_printf(b, "TY  - %s\nID  - %s\nTI  - %s\n", ty, id, title);
    const char *a = authors;
    while (*a) {
        const char *semi = strchr(a, ';');
        size_t n = semi ? (size_t)(semi - a) : strlen(a);
        wn_buf_printf(b, "AU  - %.*s\n", (int)n, a);
        a += n + (semi ? 1 : 0);
        while (*a == ' ')
            a++;
    }
    wn_buf_printf(b, "PY  - %s\nJO  - %s\nVL  - %s\n", year, journal, volume);
    if (*pages)
        wn_buf_printf(b, "SP  - %s\n", pages);
    if (*doi)
        wn_buf_printf(b, "DO  - %s\n", doi);
    wn_buf_puts(b, "ER  - \n\n");
}

static const char *T = "Eculizumab for atypical haemolytic uraemic syndrome in children: a "
                       "multicentre cohort";
static const char *A1 = "Licht, Christoph; Greenbaum, Larry A.; Muus, Petra";
static const char *A2 = "Licht C; Greenbaum LA; Muus P";

static int64_t unit(wn_project *p, int64_t record)
{
    int64_t u = 0;
    assert_int_equal(wn_unit_of_record(p, record, &u), 0);
    return u;
}

static wn_project *run_on(const char *name, const wn_buf *text, wn_dedup_summary *sum)
{
    wn_project *p = t_project_with(name, "Scopus", text->data);
    wn_actor actor = {"[\"dedup\"]", "tester"};
    if (wn_dedup_run(p, NULL, &actor, sum))
        fail_msg("%s", wn_project_errmsg(p));
    return p;
}

typedef struct found {
    int64_t a, b;
    char rule[64];
    char outcome[16];
} found;

static int find_pair(void *ctx, const wn_dedup_pair *pr)
{
    found *f = ctx;
    if (pr->a == f->a && pr->b == f->b) {
        snprintf(f->rule, sizeof f->rule, "%s", pr->rule);
        snprintf(f->outcome, sizeof f->outcome, "%s", pr->outcome);
    }
    return 0;
}

/* The stored rule of pair (a, b), or "" when not stored. */
static const char *rule_of(wn_project *p, int64_t a, int64_t b, char *outcome)
{
    static found f;
    memset(&f, 0, sizeof f);
    f.a = a;
    f.b = b;
    int64_t u;
    assert_int_equal(wn_dedup_explain(p, a, &u, find_pair, &f), 0);
    if (outcome)
        snprintf(outcome, 16, "%s", f.outcome);
    return f.rule;
}

static void test_copies_in_database_styles_merge(void **state)
{
    (void)state;
    wn_buf b = WN_BUF_INIT;
    ris(&b, "JOUR", "pm1", T, A1, "2019", "Pediatric Nephrology", "34", "1023-1031",
        "10.1007/s00467-019-04211-1");
    ris(&b, "JOUR", "sc1",
        "ECULIZUMAB FOR ATYPICAL HAEMOLYTIC URAEMIC SYNDROME IN CHILDREN - A MULTICENTRE "
        "COHORT.",
        A2, "2019", "Pediatr Nephrol", "34", "1023-31", "https://doi.org/10.1007/S00467-019-04211-1");
    ris(&b, "JOUR", "em1", "Eculizumab for atypical haemolytic uraemic syndrome in children", A2,
        "2020", "PEDIATR NEPHROL", "34", "1023", "");
    ris(&b, "JOUR", "wos1", "Eculizumab for atypical haemolytic uraemic syndome in children: a "
        "multicentre cohort", "Licht, C.; Greenbaum, L.", "2019", "Pediatric Nephrology", "34",
        "1023-1031", "");
    ris(&b, "JOUR", "x1", "Dialysis access in adults: a registry study", A1, "2019",
        "Kidney International", "95", "200-210", "");
    wn_dedup_summary sum;
    wn_project *p = run_on("dedup-merge.ris", &b, &sum);
    assert_int_equal(sum.records, 5);
    assert_int_equal(sum.clusters, 2);
    assert_int_equal(sum.removed, 3);
    for (int64_t r = 2; r <= 4; r++)
        assert_int_equal(unit(p, r), 1);
    assert_int_equal(unit(p, 5), 5);
    assert_int_equal(sum.n_sources, 1);
    assert_int_equal(sum.sources[0].within, 3);
    assert_string_equal(rule_of(p, 1, 2, NULL), "doi");
    assert_string_equal(rule_of(p, 1, 3, NULL), "subtitle+authors+pages");
    wn_dedup_summary_free(&sum);
    wn_project_close(p);
    wn_buf_free(&b);
}

/* Two records identical but for what the veto looks at. */
static void veto_case(const char *name, const char *ty2, const char *title2, const char *year2,
                      const char *pages2, const char *doi1, const char *doi2, const char *veto)
{
    wn_buf b = WN_BUF_INIT;
    ris(&b, "JOUR", "a", T, A1, "2019", "Pediatric Nephrology", "34", "1023-1031", doi1);
    ris(&b, ty2, "b", title2, A1, year2, "Pediatric Nephrology", "34", pages2, doi2);
    wn_dedup_summary sum;
    wn_project *p = run_on(name, &b, &sum);
    if (unit(p, 2) != 2)
        fail_msg("%s: records merged despite the veto", veto);
    char outcome[16];
    const char *rule = rule_of(p, 1, 2, outcome);
    if (strcmp(rule, veto) != 0)
        fail_msg("%s: pair decided by '%s' (%s)", veto, rule, outcome);
    wn_dedup_summary_free(&sum);
    wn_project_close(p);
    wn_buf_free(&b);
}

static void test_each_veto_keeps_a_pair_apart(void **state)
{
    (void)state;
    veto_case("veto-doi.ris", "JOUR", T, "2019", "1023-1031", "10.1007/s00467-019-04211-1",
              "10.1007/s00467-019-04212-9", "veto:doi");
    veto_case("veto-pages.ris", "JOUR", T, "2019", "1187-1195", "", "", "veto:pages");
    veto_case("veto-year.ris", "JOUR", T, "2022", "1023-1031", "", "", "veto:year");
    char title[512];
    snprintf(title, sizeof title, "Erratum: %s", T);
    /* A notice is printed elsewhere than its article (at the same place
     * it would be the notice twice, see below). */
    veto_case("veto-erratum.ris", "JOUR", title, "2019", "2210", "", "", "veto:erratum");
    snprintf(title, sizeof title, "%s (vol 34, pg 1023, 2019)", T);
    veto_case("veto-erratum-cited.ris", "JOUR", title, "2019", "2210", "", "", "veto:erratum");
    snprintf(title, sizeof title, "%s - Reply", T);
    veto_case("veto-reply-suffix.ris", "JOUR", title, "2019", "1031", "", "", "veto:comment");
    snprintf(title, sizeof title, "Reply to: %s", T);
    veto_case("veto-reply.ris", "JOUR", title, "2019", "1023-1031", "", "", "veto:comment");
    snprintf(title, sizeof title, "Retraction notice: %s", T);
    veto_case("veto-retraction.ris", "JOUR", title, "2019", "1023-1031", "", "",
              "veto:retraction");
    veto_case("veto-abstract.ris", "CONF", T, "2019", "1023-1031", "", "", "veto:abstract");
    snprintf(title, sizeof title, "%s: Part II", T);
    veto_case("veto-part.ris", "JOUR", title, "2019", "1023-1031", "", "", "veto:part");
    snprintf(title, sizeof title, "Study protocol for %s", T);
    veto_case("veto-protocol.ris", "JOUR", title, "2019", "1023-1031", "", "", "veto:protocol");
}

static void test_pages_veto_leaves_pair_for_review(void **state)
{
    (void)state;
    /* Same title and authors, other pages: an abstract and its article,
     * or an erratum notice: not merged, but a person is asked. */
    wn_buf b = WN_BUF_INIT;
    ris(&b, "JOUR", "a", T, A1, "2019", "Pediatric Nephrology", "34", "1023-1031", "");
    ris(&b, "JOUR", "b", T, A1, "2019", "Pediatric Nephrology", "34", "2210", "");
    wn_dedup_summary sum;
    wn_project *p = run_on("dedup-review.ris", &b, &sum);
    assert_int_equal(sum.review, 1);
    assert_int_equal(sum.clusters, 2);
    char outcome[16];
    rule_of(p, 1, 2, outcome);
    assert_string_equal(outcome, "possible");
    wn_dedup_summary_free(&sum);
    wn_project_close(p);
    wn_buf_free(&b);
}

static void test_notices_wait_for_review_and_one_notice_merges(void **state)
{
    (void)state;
    /* The article; its correction notice as Web of Science titles it and
     * as Embase does, both at page 2210; and the Embase notice again
     * without its label, at the same page. */
    wn_buf b = WN_BUF_INIT;
    char cited[512];
    ris(&b, "JOUR", "a", T, A1, "2019", "Pediatric Nephrology", "34", "1023-1031", "");
    snprintf(cited, sizeof cited, "%s (vol 34, pg 1023, 2019)", T);
    ris(&b, "JOUR", "wos", cited, "Licht, C.", "2019", "Pediatric Nephrology", "34", "2210", "");
    snprintf(cited, sizeof cited, "Erratum: %s (Pediatric Nephrology (2019) 34 (1023-1031))", T);
    ris(&b, "JOUR", "emb", cited, "Licht, C.", "2019", "Pediatric Nephrology", "34", "2210", "");
    ris(&b, "JOUR", "emb2", T, "Licht, C.", "2019", "Pediatric Nephrology", "34", "2210", "");
    wn_dedup_summary sum;
    wn_project *p = run_on("dedup-notices.ris", &b, &sum);
    char outcome[16];
    /* never merged with the article, but a person is asked */
    assert_int_equal(unit(p, 1), 1);
    for (int64_t r = 2; r <= 4; r++)
        assert_int_not_equal(unit(p, r), 1);
    assert_string_equal(rule_of(p, 1, 2, outcome), "veto:erratum");
    assert_string_equal(outcome, "possible");
    assert_string_equal(rule_of(p, 1, 3, outcome), "veto:erratum");
    assert_string_equal(outcome, "possible");
    /* the three copies of the notice are one */
    assert_int_equal(unit(p, 3), 2);
    assert_int_equal(unit(p, 4), 2);
    assert_int_equal(sum.clusters, 2);
    wn_dedup_summary_free(&sum);
    wn_project_close(p);
    wn_buf_free(&b);
}

typedef struct evidence_of {
    int64_t a, b;
    char text[256];
} evidence_of;

static int keep_evidence(void *ctx, const wn_dedup_pair *pr)
{
    evidence_of *e = ctx;
    if (pr->a == e->a && pr->b == e->b)
        snprintf(e->text, sizeof e->text, "%s", pr->evidence);
    return 0;
}

static void test_journals_agree_by_issn(void **state)
{
    (void)state;
    /* A journal renamed between databases: the names share nothing, the
     * ISSN does. Without ISSNs the same names disagree. */
    const char *with_issn[2] = {"SN  - 0006-4971\n", "SN  - 0006-4971\n"};
    const char *none[2] = {"", ""};
    const char *const *cases[2] = {with_issn, none};
    const char *want[2] = {"journal=same", "journal=diff"};
    for (int c = 0; c < 2; c++) {
        wn_buf b = WN_BUF_INIT;
        wn_buf_printf(&b, "TY  - JOUR\nID  - a\nTI  - %s\nAU  - Licht, C.\nPY  - 2019\n"
                      "JO  - Blood\nVL  - 34\nSP  - 1023\n%sER  - \n\n", T, cases[c][0]);
        wn_buf_printf(&b, "TY  - JOUR\nID  - b\nTI  - %s\nAU  - Licht, C.\nPY  - 2019\n"
                      "JO  - Journal of the American Society of Hematology\nVL  - 34\n"
                      "SP  - 1023\n%sER  - \n\n", T, cases[c][1]);
        wn_dedup_summary sum;
        wn_project *p = run_on(c ? "dedup-no-issn.ris" : "dedup-issn.ris", &b, &sum);
        evidence_of e = {1, 2, ""};
        int64_t u;
        assert_int_equal(wn_dedup_explain(p, 1, &u, keep_evidence, &e), 0);
        if (!strstr(e.text, want[c]))
            fail_msg("evidence '%s' lacks '%s'", e.text, want[c]);
        wn_dedup_summary_free(&sum);
        wn_project_close(p);
        wn_buf_free(&b);
    }
}

static void test_typo_and_year_apart_still_meet(void **state)
{
    (void)state;
    /* One letter changed near the start and the year one off, no pages:
     * only the end of the title with the first author brings them together. */
    wn_buf b = WN_BUF_INIT;
    ris(&b, "JOUR", "a",
        "Safety and efficacy of eculizumab in aHUS patients resistant to plasma therapy",
        A1, "2011", "J Am Soc Nephrol", "21", "", "");
    ris(&b, "JOUR", "b",
        "Safety and efficacy of eculizamab in aHUS patients resistant to plasma therapy",
        A2, "2010", "Journal of the American Society of Nephrology", "21", "", "");
    wn_dedup_summary sum;
    wn_project *p = run_on("dedup-typo-year.ris", &b, &sum);
    assert_int_equal(unit(p, 2), 1);
    assert_string_equal(rule_of(p, 1, 2, NULL), "title+authors+source");
    wn_dedup_summary_free(&sum);
    wn_project_close(p);
    wn_buf_free(&b);
}

static void test_cluster_never_joined_across_a_veto(void **state)
{
    (void)state;
    /* 1 and 3 carry different DOIs; 2 (no DOI) matches both. */
    wn_buf b = WN_BUF_INIT;
    ris(&b, "JOUR", "a", T, A1, "2019", "Pediatric Nephrology", "34", "1023-1031",
        "10.1007/s00467-019-04211-1");
    ris(&b, "JOUR", "b", T, A1, "2019", "Pediatric Nephrology", "34", "1023-1031", "");
    ris(&b, "JOUR", "c", T, A1, "2019", "Pediatric Nephrology", "34", "1023-1031",
        "10.1007/s00467-019-09999-9");
    wn_dedup_summary sum;
    wn_project *p = run_on("dedup-transitive.ris", &b, &sum);
    assert_int_not_equal(unit(p, 1), unit(p, 3));
    assert_int_equal(unit(p, 2), 1);
    assert_string_equal(rule_of(p, 1, 3, NULL), "veto:doi");
    wn_dedup_summary_free(&sum);
    wn_project_close(p);
    wn_buf_free(&b);
}

static void test_preprint_and_article_are_linked_not_merged(void **state)
{
    (void)state;
    wn_buf b = WN_BUF_INIT;
    ris(&b, "JOUR", "j", T, A1, "2021", "Pediatric Nephrology", "36", "511-519",
        "10.1007/s00467-021-04900-2");
    ris(&b, "JOUR", "pp", T, A1, "2020", "medRxiv", "", "", "10.1101/2020.05.01.20087650");
    wn_dedup_summary sum;
    wn_project *p = run_on("dedup-preprint.ris", &b, &sum);
    assert_int_equal(sum.version_links, 1);
    assert_int_equal(sum.clusters, 2);
    char outcome[16];
    assert_string_equal(rule_of(p, 1, 2, outcome), "preprint");
    assert_string_equal(outcome, "version");
    wn_dedup_summary_free(&sum);
    wn_project_close(p);
    wn_buf_free(&b);
}

static int count_tsv(void *ctx, int64_t record_id, const char *source_ref, int64_t cluster)
{
    wn_buf *b = ctx;
    wn_buf_printf(b, "%lld %s %lld\n", (long long)record_id, source_ref ? source_ref : "-",
                  (long long)cluster);
    return 0;
}

static void test_decisions_survive_reruns_and_new_imports(void **state)
{
    (void)state;
    wn_buf b = WN_BUF_INIT;
    ris(&b, "JOUR", "a", T, A1, "2019", "Pediatric Nephrology", "34", "1023-1031", "");
    ris(&b, "JOUR", "b", T, A2, "2019", "Pediatr Nephrol", "34", "1023", "");
    /* A garbled copy scoring too low to merge on its own. */
    ris(&b, "JOUR", "c", "Eculizumab treatment in paediatric aHUS cohorts", A1, "2019",
        "Pediatric Nephrology", "34", "", "");
    ris(&b, "JOUR", "d", "Dialysis access in adults: a registry study", A1, "2019",
        "Kidney International", "95", "200-210", "");
    wn_dedup_summary sum;
    wn_project *p = run_on("dedup-decide.ris", &b, &sum);
    wn_actor actor = {"[\"dedup\"]", "tester"};
    assert_int_equal(unit(p, 2), 1);
    assert_int_equal(unit(p, 3), 3);
    assert_int_equal(wn_dedup_decide(p, 3, 1, "same", &actor), 0);
    assert_int_equal(wn_dedup_decide(p, 1, 2, "different", &actor), 0);
    assert_int_equal(unit(p, 3), 1);
    assert_int_equal(unit(p, 2), 2);
    assert_int_equal(wn_dedup_decide(p, 1, 1, "same", &actor), WN_EINVAL);
    assert_int_equal(wn_dedup_decide(p, 1, 99, "same", &actor), WN_ENOTFOUND);
    assert_int_equal(wn_dedup_decide(p, 1, 2, "maybe", &actor), WN_EINVAL);
    wn_dedup_summary_free(&sum);

    /* A rerun keeps both decisions. */
    assert_int_equal(wn_dedup_run(p, NULL, &actor, &sum), 0);
    assert_int_equal(sum.decisions, 2);
    assert_int_equal(unit(p, 3), 1);
    assert_int_equal(unit(p, 2), 2);
    wn_dedup_summary_free(&sum);

    /* A search update brings another copy: it joins cluster 1, whose id
     * stays; the decisions still hold. */
    wn_buf more = WN_BUF_INIT;
    ris(&more, "JOUR", "e", T, A1, "2019", "Pediatric Nephrology", "34", "1023-1031", "");
    const char *path = t_tmp_path("dedup-decide-update.ris");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(more.data, f);
    fclose(f);
    wn_import_opts o = {0};
    o.path = path;
    o.source_name = "PubMed";
    wn_import_result res;
    assert_int_equal(wn_import_file(p, &o, &actor, &res), 0);
    assert_int_equal(wn_dedup_run(p, NULL, &actor, &sum), 0);
    assert_int_equal(sum.records, 5);
    assert_int_equal(unit(p, 5), 1);
    assert_int_equal(unit(p, 3), 1);
    assert_int_not_equal(unit(p, 2), 1);
    assert_int_equal(sum.n_sources, 2);
    assert_int_equal(sum.sources[1].shared, 1);

    /* Undo: record 5 leaves cluster 1 and stays out of it on a rerun,
     * pairing instead with record 2, which no one set apart from it. */
    int64_t split = 0;
    const int64_t ids[] = {5};
    assert_int_equal(wn_dedup_undo_merge(p, ids, 1, 0, &actor, &split), 0);
    assert_int_equal(split, 1);
    assert_int_equal(unit(p, 5), 2);
    assert_int_equal(unit(p, 3), 1);
    wn_dedup_summary_free(&sum);
    assert_int_equal(wn_dedup_run(p, NULL, &actor, &sum), 0);
    assert_int_equal(unit(p, 5), 2);
    assert_int_equal(unit(p, 3), 1);
    const int64_t whole[] = {3};
    assert_int_equal(wn_dedup_undo_merge(p, whole, 1, 1, &actor, &split), 0);
    assert_int_equal(unit(p, 3), 3);
    assert_int_equal(wn_dedup_undo_merge(p, whole, 1, 1, &actor, &split), WN_EINVAL);

    wn_buf tsv = WN_BUF_INIT;
    assert_int_equal(wn_clusters_each(p, count_tsv, &tsv), 0);
    assert_string_equal(tsv.data, "1 a 1\n2 b 2\n3 c 3\n4 d 4\n5 e 2\n");
    wn_buf_free(&tsv);
    wn_dedup_summary_free(&sum);
    wn_project_close(p);
    wn_buf_free(&b);
    wn_buf_free(&more);
}

static void test_run_is_deterministic(void **state)
{
    (void)state;
    wn_buf b = WN_BUF_INIT;
    for (int i = 0; i < 30; i++) {
        char id[16], title[200], pages[16];
        snprintf(id, sizeof id, "r%d", i);
        snprintf(title, sizeof title, "Outcomes of treatment %d in adults with anaemia",
                 i % 10);
        snprintf(pages, sizeof pages, "%d", 100 + (i % 10) * 10);
        ris(&b, "JOUR", id, title, i % 2 ? A1 : A2, "2018", "Blood", "12", pages, "");
    }
    wn_dedup_summary s1, s2;
    wn_project *p = run_on("dedup-determinism.ris", &b, &s1);
    wn_buf first = WN_BUF_INIT, second = WN_BUF_INIT;
    assert_int_equal(wn_clusters_each(p, count_tsv, &first), 0);
    wn_actor actor = {"[\"dedup\"]", "tester"};
    assert_int_equal(wn_dedup_run(p, NULL, &actor, &s2), 0);
    assert_int_equal(wn_clusters_each(p, count_tsv, &second), 0);
    assert_string_equal(first.data, second.data);
    assert_int_equal(s1.clusters, 10);
    assert_int_equal(s2.clusters, 10);
    wn_dedup_summary_free(&s1);
    wn_dedup_summary_free(&s2);
    wn_buf_free(&first);
    wn_buf_free(&second);
    wn_project_close(p);
    wn_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copies_in_database_styles_merge),
        cmocka_unit_test(test_each_veto_keeps_a_pair_apart),
        cmocka_unit_test(test_pages_veto_leaves_pair_for_review),
        cmocka_unit_test(test_notices_wait_for_review_and_one_notice_merges),
        cmocka_unit_test(test_typo_and_year_apart_still_meet),
        cmocka_unit_test(test_journals_agree_by_issn),
        cmocka_unit_test(test_cluster_never_joined_across_a_veto),
        cmocka_unit_test(test_preprint_and_article_are_linked_not_merged),
        cmocka_unit_test(test_decisions_survive_reruns_and_new_imports),
        cmocka_unit_test(test_run_is_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
