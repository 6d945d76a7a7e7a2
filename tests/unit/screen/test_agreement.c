/* Agreement figures against textbook examples, and computed from votes. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "support.h"

#define assert_near(a, b, eps)                                                        \
    do {                                                                              \
        double a_ = (a), b_ = (b);                                                    \
        if (!(fabs(a_ - b_) <= (eps)))                                                \
            fail_msg("%s = %.6f, expected %.6f", #a, a_, b_);                         \
    } while (0)

/* Cohen (1960) style 2x2 example used in many textbooks (and Wikipedia's
 * "Cohen's kappa" article): 50 proposals, A yes/B yes 20, A yes/B no 5,
 * A no/B yes 10, both no 15: po 0.7, pe 0.5, kappa 0.4. */
static void test_cohen_textbook(void **state)
{
    (void)state;
    const size_t t[4] = {20, 5, 10, 15};
    double po, pe, se;
    double k = wn_kappa_cohen(t, 2, &po, &pe, &se);
    assert_near(po, 0.7, 1e-12);
    assert_near(pe, 0.5, 1e-12);
    assert_near(k, 0.4, 1e-12);
    /* SE = sqrt(po(1-po) / (n (1-pe)^2)) = sqrt(0.21 / 12.5) */
    assert_near(se, sqrt(0.21 / 12.5), 1e-12);
    assert_near(wn_pabak(po, 2), 0.4, 1e-12);
    /* Second example from the same article: po 0.6, pe 0.54, kappa 0.1304. */
    const size_t t2[4] = {45, 15, 25, 15};
    assert_near(wn_kappa_cohen(t2, 2, NULL, NULL, NULL), 0.130434782, 1e-8);
    /* Perfect agreement on one category only: undefined. */
    const size_t one[4] = {10, 0, 0, 0};
    assert_true(isnan(wn_kappa_cohen(one, 2, NULL, NULL, NULL)));
}

/* Fleiss (1971) worked example as reproduced in Wikipedia's "Fleiss'
 * kappa": 10 subjects, 14 raters, 5 categories; P-bar 0.378, Pe 0.213,
 * kappa 0.210. */
static void test_fleiss_textbook(void **state)
{
    (void)state;
    const size_t c[50] = {0, 0, 0, 0, 14, 0, 2, 6, 4, 2, 0, 0, 3, 5, 6, 0, 3, 9, 2, 0,
                          2, 2, 8, 1, 1, 7, 7, 0, 0, 0, 3, 2, 6, 3, 0, 2, 5, 3, 2, 2,
                          6, 5, 2, 1, 0, 0, 2, 2, 3, 7};
    assert_near(wn_kappa_fleiss(c, 10, 5), 0.2099, 1e-3);
    /* Rows with different numbers of raters are refused. */
    const size_t uneven[6] = {1, 1, 0, 2, 1, 0};
    assert_true(isnan(wn_kappa_fleiss(uneven, 2, 3)));
    assert_near(wn_pabak(0.8, 3), 0.7, 1e-12);
}

static wn_actor actor = {"[\"test\"]", "lead"};

/* The 2x2 textbook table again, this time as 50 units voted on by two
 * reviewers, plus a calibration sample of 4 units rated by three. */
static void test_agreement_from_votes(void **state)
{
    (void)state;
    wn_buf ris = WN_BUF_INIT;
    for (int i = 1; i <= 54; i++)
        wn_buf_printf(&ris, "TY  - JOUR\nTI  - Unit %d\nER  - \n\n", i);
    wn_project *p = t_project_with("agree.ris", "Scopus", ris.data);
    wn_buf_free(&ris);
    const char *who[] = {"ann", "ben", "cat"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(wn_reviewer_add(p, who[i], who[i], NULL, &actor), 0);
    wn_buf sql = WN_BUF_INIT;
    wn_buf_puts(&sql, "INSERT INTO assignment(stage, unit_id, reviewer, calibration, assigned_at)"
                      " VALUES ('ta', 1, 'ann', 0, 'x'), ('ta', 1, 'ben', 0, 'x')");
    for (int u = 2; u <= 50; u++)
        wn_buf_printf(&sql, ", ('ta', %d, 'ann', 0, 'x'), ('ta', %d, 'ben', 0, 'x')", u, u);
    for (int u = 51; u <= 54; u++)
        for (int r = 0; r < 3; r++)
            wn_buf_printf(&sql, ", ('ta', %d, '%s', 1, 'x')", u, who[r]);
    t_sql(p, sql.data);
    wn_buf_free(&sql);
    wn_decision d[50 * 2 + 12];
    size_t n = 0;
    for (int u = 1; u <= 50; u++) {
        const char *a, *b;
        if (u <= 20)
            a = "include", b = "include";
        else if (u <= 25)
            a = "include", b = "exclude";
        else if (u <= 35)
            a = "exclude", b = "include";
        else
            a = "exclude", b = "exclude";
        d[n++] = (wn_decision){"ta", u, "ann", NULL, a, NULL, NULL};
        d[n++] = (wn_decision){"ta", u, "ben", NULL, b, NULL, NULL};
    }
    /* Calibration: all agree on 51, 52; cat differs on 53; all split 54. */
    const char *cal[4][3] = {{"include", "include", "include"},
                             {"exclude", "exclude", "exclude"},
                             {"include", "include", "exclude"},
                             {"include", "exclude", "maybe"}};
    for (int u = 0; u < 4; u++)
        for (int r = 0; r < 3; r++)
            d[n++] = (wn_decision){"ta", 51 + u, who[r], NULL, cal[u][r], NULL, NULL};
    assert_int_equal(wn_decisions_add(p, d, n, &actor), 0);
    wn_agreement a;
    assert_int_equal(wn_agreement_get(p, "ta", &a), 0);
    assert_int_equal(a.main.units, 50);
    assert_int_equal(a.main.agreed, 35);
    assert_near(a.main.percent, 70.0, 1e-9);
    assert_int_equal(a.main.n_pairs, 1);
    assert_string_equal(a.main.pairs[0].a, "ann");
    assert_string_equal(a.main.pairs[0].b, "ben");
    assert_int_equal(a.main.pairs[0].n, 50);
    assert_near(a.main.pairs[0].kappa, 0.4, 1e-12);
    assert_near(a.main.pairs[0].lo, 0.4 - 1.96 * sqrt(0.21 / 12.5), 1e-12);
    assert_near(a.main.pairs[0].hi, 0.4 + 1.96 * sqrt(0.21 / 12.5), 1e-12);
    /* Someone voted maybe: three categories for PABAK. */
    assert_int_equal(a.main.categories, 3);
    assert_near(a.main.pairs[0].pabak, (3 * 0.7 - 1) / 2, 1e-12);
    assert_true(isnan(a.main.fleiss));
    /* Calibration apart: 4 units, 2 agreed, 3 pairs, Fleiss over 3 raters. */
    assert_int_equal(a.calibration.units, 4);
    assert_int_equal(a.calibration.agreed, 2);
    assert_int_equal(a.calibration.n_pairs, 3);
    assert_int_equal(a.calibration.fleiss_units, 4);
    assert_int_equal(a.calibration.fleiss_raters, 3);
    const size_t counts[12] = {3, 0, 0, 0, 3, 0, 2, 1, 0, 1, 1, 1};
    assert_near(a.calibration.fleiss, wn_kappa_fleiss(counts, 4, 3), 1e-12);
    wn_agreement_free(&a);
    wn_project_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cohen_textbook),
        cmocka_unit_test(test_fleiss_textbook),
        cmocka_unit_test(test_agreement_from_votes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
