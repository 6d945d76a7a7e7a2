/* Matching keys: the forms two copies of one article must agree on, and
 * the differences they must keep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize/match_keys.h"
#include "support.h"

static char *fold(const char *s)
{
    static char out[512];
    wn_buf b = WN_BUF_INIT;
    assert_int_equal(wn_match_fold(&b, s, strlen(s)), 0);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    wn_buf_free(&b);
    return out;
}

/* The whole-title key of a title (static buffer). */
static char *key(const char *title)
{
    static char out[512];
    wn_title_keys k = {WN_BUF_INIT, WN_BUF_INIT, WN_BUF_INIT, 0, 0};
    assert_int_equal(wn_title_keys_make(&k, title, strlen(title)), 0);
    snprintf(out, sizeof out, "%s", k.full.data ? k.full.data : "");
    wn_title_keys_free(&k);
    return out;
}

static void test_fold_case_accents_greek_entities(void **state)
{
    (void)state;
    assert_string_equal(fold("Müller-Lüdenscheidt"), "muller ludenscheidt");
    assert_string_equal(fold("Æsthetic straße, Øresund"), "aesthetic strasse oresund");
    assert_string_equal(fold("Kovačević Öztürk"), "kovacevic ozturk");
    assert_string_equal(fold("α-Synuclein and TNF-β"), "alpha synuclein and tnf beta");
    assert_string_equal(fold("Smith &amp; Jones <i>E. coli</i>"), "smith and jones e coli");
    assert_string_equal(fold("{\\\"O}sterreich $\\alpha$"), "osterreich alpha");
    assert_string_equal(fold("  --Crohn's  disease!  "), "crohns disease");
}

static void test_title_variants_share_one_key(void **state)
{
    (void)state;
    char base[512];
    snprintf(base, sizeof base, "%s",
             key("Alpha-synuclein in Parkinson's disease: a double-blind trial"));
    const char *same[] = {
        "ALPHA-SYNUCLEIN IN PARKINSON'S DISEASE: A DOUBLE-BLIND TRIAL.",
        "α-Synuclein in Parkinson’s disease – a double blind trial",
        "The alpha-synuclein in Parkinson's disease. A double-blind trial",
        "Alpha synuclein in Parkinsons disease a doubleblind trial",
        "<i>Alpha</i>-synuclein in Parkinson&#39;s disease: a double-blind trial",
        "{Alpha}-synuclein in {P}arkinson's disease: a double-blind trial",
        "[Alpha-synuclein in Parkinson's disease: a double-blind trial].",
        "Alpha-synuclein in Parkinson's disease: a double-blind trial. [Review] [42 refs]",
        ("Alpha-synuclein in Parkinson's disease: a double-blind trial.[Erratum appears in "
         "Mov Disord. 2011;26(3):1]"), /* one title, cut to fit */
    };
    for (size_t i = 0; i < sizeof same / sizeof *same; i++)
        if (strcmp(key(same[i]), base) != 0)
            fail_msg("'%s' gives '%s', not '%s'", same[i], key(same[i]), base);
    assert_string_not_equal(key("Alpha-synuclein in Huntington's disease: a double-blind trial"),
                            base);
}

static void test_subtitle_translation_kind_and_part(void **state)
{
    (void)state;
    wn_title_keys k = {WN_BUF_INIT, WN_BUF_INIT, WN_BUF_INIT, 0, 0};
    const char *t = "Eculizumab in atypical HUS: results of a phase 2 trial";
    assert_int_equal(wn_title_keys_make(&k, t, strlen(t)), 0);
    assert_string_equal(k.main.data, "eculizumabinatypicalhus");
    assert_int_equal(k.kind, WN_KIND_ARTICLE);
    assert_int_equal(k.part, 0);

    t = "Tratamiento del SHU atipico [Treatment of atypical haemolytic uraemic syndrome]";
    assert_int_equal(wn_title_keys_make(&k, t, strlen(t)), 0);
    assert_string_equal(k.bracket.data, "treatmentofatypicalhaemolyticuraemicsyndrome");
    assert_string_equal(k.main.data, "tratamientodelshuatipico");

    const struct {
        const char *title;
        int kind, part;
    } cases[] = {
        {"Erratum: Eculizumab in atypical HUS", WN_KIND_ERRATUM, 0},
        {"Correction to: Eculizumab in atypical HUS", WN_KIND_ERRATUM, 0},
        {"Notice of retraction: Eculizumab in atypical HUS", WN_KIND_RETRACTION, 0},
        {"Reply to: Eculizumab in atypical HUS", WN_KIND_COMMENT, 0},
        {"Comment on: Eculizumab in atypical HUS", WN_KIND_COMMENT, 0},
        {"Study protocol for eculizumab in atypical HUS", WN_KIND_PROTOCOL, 0},
        {"Eculizumab in atypical HUS: Part II", WN_KIND_ARTICLE, 2},
        {"Eculizumab in atypical HUS, part 3: dosing", WN_KIND_ARTICLE, 3},
        {"Eculizumab in atypical HUS. Part one", WN_KIND_ARTICLE, 1},
        {"Eculizumab for the treatment of HUS as part of care", WN_KIND_ARTICLE, 0},
        {"Eculizumab in atypical HUS (vol 360, pg 542, 2009)", WN_KIND_ERRATUM, 0},
        {"Eculizumab in atypical HUS (New England Journal of Medicine (2009) 360 (542-544))",
         WN_KIND_ERRATUM, 0},
        {"Eculizumab in atypical HUS - Reply", WN_KIND_COMMENT, 0},
        {"Eculizumab in atypical HUS (ECUL-1 trial)", WN_KIND_ARTICLE, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(wn_title_keys_make(&k, cases[i].title, strlen(cases[i].title)), 0);
        if (k.kind != cases[i].kind || k.part != cases[i].part)
            fail_msg("'%s': kind %d part %d, want %d %d", cases[i].title, k.kind, k.part,
                     cases[i].kind, cases[i].part);
    }
    /* A correction notice's key is the title it corrects. */
    t = "Eculizumab in atypical HUS (vol 360, pg 542, 2009)";
    assert_int_equal(wn_title_keys_make(&k, t, strlen(t)), 0);
    assert_string_equal(k.full.data, "eculizumabinatypicalhus");
    t = "Eculizumab in atypical HUS (New England Journal of Medicine (2009) 360 (542-544))";
    assert_int_equal(wn_title_keys_make(&k, t, strlen(t)), 0);
    assert_string_equal(k.full.data, "eculizumabinatypicalhus");
    /* the citation cut short by a database: the notice keeps its title */
    t = "Erratum: Eculizumab in atypical HUS (Proceedings of the National Academy (Januar";
    assert_int_equal(wn_title_keys_make(&k, t, strlen(t)), 0);
    assert_string_equal(k.full.data, "erratumeculizumabinatypicalhus");
    assert_int_equal(k.kind, WN_KIND_ERRATUM);
    /* an article's unclosed bracket is left alone */
    t = "Eculizumab in atypical HUS (the ECUL-1";
    assert_int_equal(wn_title_keys_make(&k, t, strlen(t)), 0);
    assert_string_equal(k.full.data, "eculizumabinatypicalhustheecul1");
    wn_title_keys_free(&k);
}

static char *surname(const char *author, char *initial)
{
    static char out[128];
    wn_buf b = WN_BUF_INIT;
    assert_int_equal(wn_match_surname(&b, author, strlen(author), initial), 0);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    wn_buf_free(&b);
    return out;
}

static void test_author_forms(void **state)
{
    (void)state;
    char ini;
    const char *forms[] = {"Müller, Jürgen D.", "Mueller, J.D.", "Muller JD", "Müller J.D.",
                           "Jürgen D. Müller", "MÜLLER, J"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        if (strcmp(surname(forms[i], &ini), "muller") != 0 || ini != 'j')
            fail_msg("'%s' gives '%s' '%c'", forms[i], surname(forms[i], &ini), ini ? ini : '-');
    }
    assert_string_equal(surname("van der Berg, Anna", &ini), "berg");
    assert_string_equal(surname("Berg AV", &ini), "berg");
    assert_string_equal(surname("Le Quintrec, M.", &ini), "quintrec");
    assert_string_equal(surname("de, Jorge E. G.", &ini), "de");
    assert_string_equal(surname("et al.", &ini), "");
    assert_int_equal(ini, 0);
}

static void test_journal_abbreviations(void **state)
{
    (void)state;
    assert_true(wn_match_journal("Nat Rev Nephrol", "Nature Reviews. Nephrology"));
    assert_true(wn_match_journal("N Engl J Med", "The New England Journal of Medicine"));
    assert_true(wn_match_journal("J NATL CANCER INST", "Journal of the National Cancer Institute"));
    assert_true(wn_match_journal("Clin. Exp. Immunol.", "Clinical & Experimental Immunology"));
    assert_true(wn_match_journal("Lancet", "The Lancet"));
    assert_false(wn_match_journal("N Engl J Med", "Nature Medicine"));
    assert_false(wn_match_journal("J Clin Oncol", "Journal of Clinical Oncology Research"));
    assert_false(wn_match_journal("Pediatr Nephrol", "Pediatric Transplantation"));
}

static char *page(const char *p)
{
    static char out[16];
    wn_match_page(p, out, sizeof out);
    return out;
}

static void test_pages_and_similarity(void **state)
{
    (void)state;
    assert_string_equal(page("e0623472"), "623472");
    assert_string_equal(page("623472"), "623472");
    assert_string_equal(page("S12"), "12");
    assert_string_equal(page("iii"), "");
    const char *a = "effectofmindfulnessonanxietyinolderadults";
    const char *typo = "effectofmindfulnesonanxietyinolderadults";
    const char *other = "effectofmindfulnessonanxietyinchildren";
    double s = wn_match_similarity(a, strlen(a), typo, strlen(typo), 0.7);
    assert_true(s > 0.97 && s < 1.0);
    assert_true(wn_match_similarity(a, strlen(a), a, strlen(a), 0.7) == 1.0);
    assert_true(wn_match_similarity(a, strlen(a), other, strlen(other), 0.7) < 0.9);
    assert_true(wn_match_similarity("abc", 3, "xyz", 3, 0.7) == 0.0);
    assert_true(wn_match_jaro_winkler("kovacevic", 9, "kovacevich", 10) > 0.95);
    assert_true(wn_match_jaro_winkler("smith", 5, "jones", 5) < 0.6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_case_accents_greek_entities),
        cmocka_unit_test(test_title_variants_share_one_key),
        cmocka_unit_test(test_subtitle_translation_kind_and_part),
        cmocka_unit_test(test_author_forms),
        cmocka_unit_test(test_journal_abbreviations),
        cmocka_unit_test(test_pages_and_similarity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
