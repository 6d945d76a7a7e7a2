/* Field normalization shared by every reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static char *doi(const char *in)
{
    static char out[256];
    wn_buf b = WN_BUF_INIT;
    int found = wn_doi_normalize(in, strlen(in), &b);
    snprintf(out, sizeof out, "%s", found == 1 ? b.data : "(none)");
    wn_buf_free(&b);
    return out;
}

static void test_doi_forms(void **state)
{
    (void)state;
    assert_string_equal(doi("10.1000/ABC.123"), "10.1000/abc.123");
    assert_string_equal(doi("https://doi.org/10.1000/XYZ"), "10.1000/xyz");
    assert_string_equal(doi("http://dx.doi.org/10.1000/xyz"), "10.1000/xyz");
    assert_string_equal(doi("doi:10.1002/(SICI)1097-0258"), "10.1002/(sici)1097-0258");
    assert_string_equal(doi("DOI 10.1016/j.x.2020.01.001."), "10.1016/j.x.2020.01.001");
    assert_string_equal(doi("https://doi.org/10.1000%2Fabc"), "10.1000/abc");
    assert_string_equal(doi("not a doi 10.12/x"), "(none)");
    assert_string_equal(doi(""), "(none)");
}

static void pages(const char *in, const char *first, const char *last)
{
    wn_buf a = WN_BUF_INIT, b = WN_BUF_INIT;
    assert_int_equal(wn_pages_split(in, &a, &b), 0);
    assert_string_equal(a.data ? a.data : "", first);
    assert_string_equal(b.data ? b.data : "", last);
    wn_buf_free(&a);
    wn_buf_free(&b);
}

static void test_page_ranges(void **state)
{
    (void)state;
    pages("123-9", "123", "129");
    pages("123-29", "123", "129");
    pages("1234-5", "1234", "1235");
    pages("123--129", "123", "129");
    pages("123\xE2\x80\x93" "130", "123", "130");
    pages("e1234", "e1234", "");
    pages("S12-9", "S12", "S19");
    pages("S12-19", "S12", "S19");
    pages("iii-xii", "iii", "xii");
    pages("99-101", "99", "101");
}

static void test_years(void **state)
{
    (void)state;
    assert_int_equal(wn_year_in("2019///"), 2019);
    assert_int_equal(wn_year_in("2019 Mar 12"), 2019);
    assert_int_equal(wn_year_in("Spring 1998"), 1998);
    assert_int_equal(wn_year_in("n.d."), 0);
    assert_int_equal(wn_year_in("12345"), 0);
    assert_int_equal(wn_year_in("0999"), 0);
}

static void collect_warning(void *ctx, const char *msg)
{
    char *out = ctx;
    snprintf(out, 300, "%s", msg);
}

static void test_record_normalization(void **state)
{
    (void)state;
    wn_record *r = wn_record_new();
    char warning[300] = "";
    wn_record_add_str(r, WN_F_TYPE_RAW, "TY", "JOUR");
    wn_record_add_str(r, WN_F_TITLE, "TI", "  Effects of <i>X</i> &amp;\n   Y  ");
    wn_record_add_str(r, WN_F_YEAR, "PY", "2019/03/12/");
    wn_record_add_str(r, WN_F_PAGES, "SP", "123-9");
    wn_record_add_str(r, WN_F_DOI, "DO", "https://doi.org/10.1000/ABC");
    wn_record_add_str(r, WN_F_DOI, "DO", "10.1000/abc");
    wn_record_add_str(r, WN_F_ISSN, "SN", "12345678; 8765-432x (Electronic)");
    wn_record_add_str(r, WN_F_KEYWORD, "KW", "alpha; beta ;gamma");
    wn_record_add_str(r, WN_F_PMID, "AN", "PMID: 31234567");
    wn_record_add_str(r, WN_F_TITLE, "T1", "A second, different title");
    assert_int_equal(wn_normalize_record(r, collect_warning, warning), 0);
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "article");
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "Effects of X & Y");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2019");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "2019/03/12/");
    assert_string_equal(wn_record_first(r, WN_F_START_PAGE), "123");
    assert_string_equal(wn_record_first(r, WN_F_END_PAGE), "129");
    assert_int_equal(wn_record_count(r, WN_F_DOI), 1);
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.1000/abc");
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 2);
    assert_string_equal(wn_record_get(r, WN_F_ISSN, 0), "1234-5678");
    assert_string_equal(wn_record_get(r, WN_F_ISSN, 1), "8765-432X");
    assert_int_equal(wn_record_count(r, WN_F_KEYWORD), 3);
    assert_string_equal(wn_record_get(r, WN_F_KEYWORD, 2), "gamma");
    assert_string_equal(wn_record_first(r, WN_F_PMID), "31234567");
    /* The second title is kept as an extra under its own tag, not lost. */
    assert_int_equal(wn_record_count(r, WN_F_TITLE), 1);
    int found = 0;
    for (size_t i = 0; i < wn_record_size(r); i++) {
        wn_field_value v = wn_record_at(r, i);
        if (v.field == WN_F_EXTRA && !strcmp(v.tag, "T1"))
            found = !strcmp(v.value, "A second, different title");
    }
    assert_true(found);
    assert_string_equal(warning, "");
    wn_record_free(r);
}

static char *normalized_title(const char *value)
{
    static char out[256];
    wn_record *r = wn_record_new();
    wn_record_add_str(r, WN_F_TITLE, "TI", value);
    assert_int_equal(wn_normalize_record(r, NULL, NULL), 0);
    snprintf(out, sizeof out, "%s", wn_record_first(r, WN_F_TITLE));
    wn_record_free(r);
    return out;
}

/* Values are scanned many bytes at a time for anything to clean: whatever
 * the offset (across a step's edge too), it is found, and lookalikes are
 * left as written. */
static void test_cleaning_found_at_any_offset(void **state)
{
    (void)state;
    static const struct {
        const char *insert, *becomes;
    } cases[] = {
        {"  ", " "},  {"\t", " "},  {"\n", " "},   {"\xC2\xA0", " "},
        {"&amp;", "&"}, {"<i>", ""}, {"\xC2\xB1", "\xC2\xB1"}, {"<0", "<0"},
        {"R&D", "R&D"}, {" ", " "},
    };
    char in[128], want[128];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (size_t at = 1; at < 40; at++) {
            snprintf(in, sizeof in, "%.*s%s%.*s", (int)at, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ",
                     cases[c].insert, 20, "RSTUVWXYZ0123456789xy");
            snprintf(want, sizeof want, "%.*s%s%.*s", (int)at,
                     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ", cases[c].becomes, 20,
                     "RSTUVWXYZ0123456789xy");
            assert_string_equal(normalized_title(in), want);
        }
    }
}

static void test_bad_values_warn_and_are_kept(void **state)
{
    (void)state;
    wn_record *r = wn_record_new();
    char warning[300] = "";
    wn_record_add_str(r, WN_F_YEAR, "PY", "in press");
    assert_int_equal(wn_normalize_record(r, collect_warning, warning), 0);
    assert_null(wn_record_first(r, WN_F_YEAR));
    assert_string_equal(warning, "year 'in press' not understood; kept as an extra field");
    assert_string_equal(wn_record_at(r, 0).tag, "PY");
    assert_string_equal(wn_record_at(r, 0).value, "in press");
    wn_record_reset(r);
    wn_record_add_str(r, WN_F_DOI, "DO", "unknown");
    assert_int_equal(wn_normalize_record(r, collect_warning, warning), 0);
    assert_string_equal(warning, "DOI 'unknown' not understood; kept as given");
    assert_string_equal(wn_record_first(r, WN_F_DOI), "unknown");
    wn_record_free(r);
}

static void test_doi_from_url_and_pages_from_parts(void **state)
{
    (void)state;
    wn_record *r = wn_record_new();
    wn_record_add_str(r, WN_F_URL, "UR", "https://doi.org/10.1080/00981389.2022.0000001");
    wn_record_add_str(r, WN_F_START_PAGE, "SP", "101");
    wn_record_add_str(r, WN_F_END_PAGE, "EP", "9");
    assert_int_equal(wn_normalize_record(r, NULL, NULL), 0);
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.1080/00981389.2022.0000001");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "101-9");
    assert_string_equal(wn_record_first(r, WN_F_END_PAGE), "109");
    wn_record_free(r);
}

static void test_language_codes_become_names(void **state)
{
    (void)state;
    const char *in[] = {"eng", "EN", "ger", "deu", "fre", "English", "Klingon", "tlh"};
    const char *want[] = {"English", "English", "German", "German", "French", "English",
                          "Klingon", "tlh"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        wn_record *r = wn_record_new();
        wn_record_add_str(r, WN_F_LANGUAGE, "LA", in[i]);
        assert_int_equal(wn_normalize_record(r, NULL, NULL), 0);
        assert_string_equal(wn_record_first(r, WN_F_LANGUAGE), want[i]);
        wn_record_free(r);
    }
}

/* Each database's word for a document type, and the kind it is. */
static void test_database_document_types(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"Conference Paper", "conference"},   /* Scopus */
        {"Conference Review", "conference"},  {"Book Chapter", "chapter"},
        {"Short Survey", "article"},          {"Letter", "article"},
        {"Editorial", "article"},             {"Erratum", "article"},
        {"Conference Abstract", "abstract"},  /* Embase */
        {"Proceedings Paper", "conference"},  /* Web of Science */
        {"Editorial Material", "article"},    {"Meeting Abstract", "abstract"},
        {"Article; Early Access", "article"}, {"Article; Proceedings Paper", "article"},
        {"IEEE Conferences", "conference"},   /* IEEE Xplore */
        {"IEEE Magazines", "magazine"},       {"Journal Articles", "article"}, /* ERIC */
        {"Technical Report", "report"},       /* MEDLINE */
        {"JOUR", "article"},                  {"jour", "article"},
        {"manuscript", "unpublished"},        /* CSL */
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const char *t = wn_type_from_code(pairs[i][0]);
        if (!t || strcmp(t, pairs[i][1]) != 0)
            fail_msg("'%s' is %s, expected %s", pairs[i][0], t ? t : "no type", pairs[i][1]);
    }
    /* Words that say nothing of the kind stay without one. */
    assert_null(wn_type_from_code("Overall"));
    assert_null(wn_type_from_code("Review:  PDF Only"));
    assert_null(wn_type_from_code("; Article"));
    assert_null(wn_type_from_code(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doi_forms),
        cmocka_unit_test(test_page_ranges),
        cmocka_unit_test(test_years),
        cmocka_unit_test(test_record_normalization),
        cmocka_unit_test(test_cleaning_found_at_any_offset),
        cmocka_unit_test(test_bad_values_warn_and_are_kept),
        cmocka_unit_test(test_doi_from_url_and_pages_from_parts),
        cmocka_unit_test(test_language_codes_become_names),
        cmocka_unit_test(test_database_document_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
