/* Ovid text exports from ../shared/corpus: each is detected as Ovid, gives
 * the record count PROVENANCE.md states (one per '<n>' line), and sampled
 * records carry the values read off the files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void detect_ovid(const char *path)
{
    size_t len;
    char *text = t_read_file(path, &len);
    wn_decoded d;
    wn_err err;
    wn_detection det;
    assert_int_equal(wn_text_decode(path, text, len, &d, &err), 0);
    if (wn_format_detect(path, d.text, d.len, &det, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(wn_format_name(det.format), "ovid");
    wn_decoded_free(&d);
    free(text);
}

static void test_jabref_fixture_of_five(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/jabref/OvidImporterTest1.txt");
    detect_ovid(path);
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 5);
    assert_int_equal(p.n_warnings, 0);
    t_assert_field(&p, 0, WN_F_TITLE, "Musterbuch");
    t_assert_field(&p, 0, WN_F_AUTHOR, "Mustermann");
    assert_int_equal(wn_record_count(t_rec(&p, 0), WN_F_AUTHOR), 2);
    t_assert_field(&p, 0, WN_F_ABSTRACT, "Short abstract");
    t_assert_field(&p, 0, WN_F_VOLUME, "28");
    t_assert_field(&p, 0, WN_F_PAGES, "103-106");
    t_assert_field(&p, 0, WN_F_YEAR, "2015");
    /* "<1336>": an editor only, and an issue in the citation. */
    t_assert_field(&p, 1, WN_F_AUTHOR, NULL);
    assert_string_equal(t_extra(t_rec(&p, 1), "Editor"), "Max");
    t_assert_field(&p, 1, WN_F_ISSUE, "2");
    t_assert_field(&p, 1, WN_F_TYPE_RAW, "Conference Paper");
    /* "<1335>": a chapter with "Vol 28(2)". */
    t_assert_field(&p, 2, WN_F_TITLE, "Test");
    t_assert_field(&p, 2, WN_F_JOURNAL, "Very Long Title");
    t_assert_field(&p, 2, WN_F_VOLUME, "28");
    t_assert_field(&p, 2, WN_F_ISSUE, "2");
    /* "<1334>" and "<1333>": book citations, no journal taken from them. */
    t_assert_field(&p, 3, WN_F_JOURNAL, NULL);
    t_assert_field(&p, 3, WN_F_PAGES, "103-106");
    t_assert_field(&p, 4, WN_F_YEAR, "2014");
    t_assert_field(&p, 4, WN_F_TYPE_RAW, "Journal");
    for (size_t i = 0; i < p.n; i++)
        assert_int_equal(t_origin(&p, i)->position, i + 1);
    t_parsed_free(&p);
}

static void test_jabref_fixture_of_one(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/jabref/OvidImporterTest3.txt");
    detect_ovid(path);
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 1);
    t_assert_field(&p, 0, WN_F_SOURCE_ID, "00042637-900000000-99667");
    t_assert_field(&p, 0, WN_F_AUTHOR, "Holstiege, Jakob");
    assert_int_equal(wn_record_count(t_rec(&p, 0), WN_F_AUTHOR), 3);
    t_assert_field(&p, 0, WN_F_JOURNAL, "Journal of the American Medical Informatics Association");
    t_assert_field(&p, 0, WN_F_DOI, "10.1136/amiajnl-2014-002886");
    t_assert_field(&p, 0, WN_F_ISSN, "1067-5027");
    t_assert_field(&p, 0, WN_F_LANGUAGE, "English");
    t_assert_field(&p, 0, WN_F_ABSTRACT, "Lorem ipsum abstract");
    assert_int_equal(wn_record_count(t_rec(&p, 0), WN_F_KEYWORD), 6);
    assert_non_null(strstr(t_field(&p, 0, WN_F_TITLE),
                           "Effects of computer-aided clinical decision support systems"));
    t_parsed_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jabref_fixture_of_five),
        cmocka_unit_test(test_jabref_fixture_of_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
