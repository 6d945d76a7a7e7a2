/* Rules on real exports: the demo's Web of Science export (in the source
 * tree) and files of ../shared/corpus (those tests are skipped when it is
 * absent). The open-access test agrees with what each record carries, and
 * text queries agree with a plain matcher written here over the same
 * titles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* How many of p's records satisfy cond. */
static size_t count_matching(const t_parsed *p, const char *cond)
{
    char text[1024];
    snprintf(text, sizeof text, "flag t when %s\n", cond);
    wn_rules *r = NULL;
    wn_rule_diags d = {NULL, 0};
    assert_int_equal(wn_rules_compile("t.rules", text, strlen(text), NULL, NULL, &r, &d), 0);
    wn_rules_eval *e = wn_rules_eval_new(r);
    assert_non_null(e);
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++) {
        assert_int_equal(wn_rules_eval_unit(e, p->recs[i], NULL, 0, WN_RULES_SPANS), 0);
        n += (size_t)wn_rules_eval_matched(e, 0);
        /* every span points inside its value */
        size_t k;
        const wn_rule_span *sp = wn_rules_eval_spans(e, &k);
        for (size_t j = 0; j < k; j++) {
            const char *v = wn_record_get(p->recs[i], sp[j].field, sp[j].index);
            assert_non_null(v);
            assert_true(sp[j].start < sp[j].end && sp[j].end <= strlen(v));
        }
    }
    wn_rules_eval_free(e);
    wn_rules_free(r);
    return n;
}

static void test_wos_open_access(void **state)
{
    (void)state;
    t_parsed p;
    t_parse_file(&p, WINNOW_SOURCE_DIR "/fixtures/demo/wos.txt", "wos");
    assert_int_equal(p.rc, 0);
    size_t open = 0, gold = 0, articles = 0;
    for (size_t i = 0; i < p.n; i++) {
        const char *oa = t_extra(p.recs[i], "OA");
        open += oa && *oa;
        gold += oa && strstr(oa, "gold");
        const char *type = wn_record_first(p.recs[i], WN_F_TYPE);
        articles += type && !strcmp(type, "article");
    }
    assert_true(open > 0 && open < p.n); /* both kinds are there */
    assert_int_equal(count_matching(&p, "is open access"), open);
    assert_int_equal(count_matching(&p, "extra \"OA\" ~ /^gold$/"), gold);
    /* no preprint server in this export: journal articles count as peer reviewed */
    assert_int_equal(count_matching(&p, "is preprint"), 0);
    assert_int_equal(count_matching(&p, "is peer reviewed"), articles);
    t_parsed_free(&p);
}

static void test_openalex_open_access(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/openalex/result_61.json");
    t_parsed p;
    t_parse_file(&p, path, "openalex");
    assert_int_equal(p.rc, 0);
    size_t open = 0;
    for (size_t i = 0; i < p.n; i++) {
        const char *oa = t_extra(p.recs[i], "is_oa");
        open += oa && !strcmp(oa, "true");
    }
    assert_true(open > 0 && open < p.n); /* both kinds are there */
    assert_int_equal(count_matching(&p, "is open access"), open);
    assert_int_equal(count_matching(&p, "NOT is open access"), p.n - open);
    assert_int_equal(count_matching(&p, "extra \"is_oa\" is true"), open);
    t_parsed_free(&p);
}

static void test_scopus_open_access(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/citation-file-formatting/CSV/_baseline_scopus.csv");
    t_parsed p;
    t_parse_file(&p, path, "csv");
    assert_int_equal(p.rc, 0);
    size_t open = 0, gold = 0;
    for (size_t i = 0; i < p.n; i++) {
        const char *oa = t_extra(p.recs[i], "Open Access");
        open += oa && *oa;
        gold += oa && strstr(oa, "Gold");
    }
    assert_true(open > 0);
    assert_int_equal(count_matching(&p, "is open access"), open);
    assert_int_equal(count_matching(&p, "extra \"open access\" ~ /gold/i"), gold);
    t_parsed_free(&p);
}

static int word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A plain matcher for ASCII titles: does a word start with stem (or equal
 * word, when exact)? Titles with other bytes are left out of both counts. */
static int has_word(const char *title, const char *stem, int exact)
{
    size_t n = strlen(stem);
    for (const char *s = title; *s; s++) {
        if (s > title && word_byte((unsigned char)s[-1]))
            continue;
        size_t k = 0;
        while (k < n && s[k] && (s[k] | 32) == stem[k])
            k++;
        if (k == n && (!exact || !word_byte((unsigned char)s[n])))
            return 1;
    }
    return 0;
}

static int ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

static void test_title_queries_agree(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/openalex/result_61.json");
    t_parsed all;
    t_parse_file(&all, path, "openalex");
    assert_int_equal(all.rc, 0);
    /* the ASCII titles, as records of their own */
    t_parsed p = {0};
    p.recs = calloc(all.n + 1, sizeof *p.recs);
    for (size_t i = 0; i < all.n; i++) {
        const char *t = wn_record_first(all.recs[i], WN_F_TITLE);
        if (t && ascii(t))
            p.recs[p.n++] = all.recs[i];
    }
    assert_true(p.n > 100);
    static const struct {
        const char *stem;
        int exact;
    } words[] = {{"learn", 0}, {"model", 0}, {"health", 0}, {"network", 0},
                 {"the", 1},   {"data", 1},  {"review", 1}, {"analys", 0}};
    size_t total = 0;
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        size_t want = 0;
        for (size_t i = 0; i < p.n; i++)
            want += (size_t)has_word(wn_record_first(p.recs[i], WN_F_TITLE), words[w].stem,
                                     words[w].exact);
        char cond[64];
        snprintf(cond, sizeof cond, "%s%s[ti]", words[w].stem, words[w].exact ? "" : "*");
        size_t got = count_matching(&p, cond);
        if (got != want)
            fail_msg("%s: %zu titles by the rules, %zu by the plain matcher", cond, got, want);
        total += want;
    }
    assert_true(total > 0);
    /* OR counts the union; AND NOT the difference */
    size_t a = count_matching(&p, "model*[ti]"), b = count_matching(&p, "learn*[ti]");
    size_t both = count_matching(&p, "model*[ti] AND learn*[ti]");
    assert_int_equal(count_matching(&p, "model*[ti] OR learn*[ti]"), a + b - both);
    assert_int_equal(count_matching(&p, "model*[ti] NOT learn*[ti]"), a - both);
    free(p.recs);
    t_parsed_free(&all);
}

/* A batch on several threads gives every unit the results one evaluator
 * gives unit by unit, in the same order, for a batch reused across calls
 * of different sizes. */
static void check_batch(const wn_rules *r, wn_rules_eval *e, wn_rules_batch *b,
                        const t_parsed *p, size_t from, size_t n)
{
    static const char *const sources[] = {"Scopus", "Web of Science"};
    wn_rules_unit *units = calloc(n + 1, sizeof *units);
    assert_non_null(units);
    for (size_t i = 0; i < n; i++)
        units[i] = (wn_rules_unit){p->recs[(from + i) % p->n], sources, 1 + (i % 2)};
    assert_int_equal(wn_rules_batch_eval(b, units, n, WN_RULES_SPANS), 0);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(wn_rules_eval_unit(e, units[i].merged, sources, units[i].n_sources,
                                            WN_RULES_SPANS),
                         0);
        assert_int_equal(wn_rules_batch_excluded_by(b, i), wn_rules_eval_excluded_by(e));
        for (size_t k = 0; k < wn_rules_count(r); k++)
            assert_int_equal(wn_rules_batch_matched(b, i, k), wn_rules_eval_matched(e, k));
        size_t n1, n2;
        const wn_rule_span *a = wn_rules_batch_spans(b, i, &n1);
        const wn_rule_span *c = wn_rules_eval_spans(e, &n2);
        assert_int_equal(n1, n2);
        for (size_t k = 0; k < n1; k++) {
            assert_int_equal(a[k].rule, c[k].rule);
            assert_int_equal(a[k].field, c[k].field);
            assert_int_equal(a[k].index, c[k].index);
            assert_int_equal(a[k].start, c[k].start);
            assert_int_equal(a[k].end, c[k].end);
            assert_int_equal(a[k].negative, c[k].negative);
        }
    }
    free(units);
}

static void test_batch_matches_sequential(void **state)
{
    (void)state;
    t_parsed p;
    t_parse_file(&p, WINNOW_SOURCE_DIR "/fixtures/demo/wos.txt", "wos");
    assert_int_equal(p.rc, 0);
    assert_true(p.n > 20);
    wn_rules *r = NULL;
    wn_rule_diags d = {NULL, 0};
    assert_int_equal(
        wn_rules_load(WINNOW_SOURCE_DIR "/queries/examples/benchmark.rules", &r, &d), 0);
    wn_rules_eval *e = wn_rules_eval_new(r);
    assert_non_null(e);
    for (int threads = 1; threads <= 3; threads++) {
        wn_rules_batch *b = wn_rules_batch_new(r, threads);
        assert_non_null(b);
        assert_int_equal(wn_rules_batch_threads(b), threads);
        check_batch(r, e, b, &p, 0, p.n * 3); /* more units than records: cycled */
        check_batch(r, e, b, &p, 5, 7);
        check_batch(r, e, b, &p, 0, 0);
        wn_rules_batch_free(b);
    }
    wn_rules_eval_free(e);
    wn_rules_free(r);
    t_parsed_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wos_open_access),
        cmocka_unit_test(test_openalex_open_access),
        cmocka_unit_test(test_scopus_open_access),
        cmocka_unit_test(test_title_queries_agree),
        cmocka_unit_test(test_batch_matches_sequential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
