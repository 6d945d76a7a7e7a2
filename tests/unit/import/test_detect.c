/* Format detection refuses a file that mixes two formats, wherever the
 * second one sits, instead of reading one format and dropping the other's
 * records as text between records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "import/parser.h"

static const char ris_record[] = "TY  - JOUR\nTI  - Feathers and scales\nAU  - Lee, Ann\n"
                                 "PY  - 2020\nER  - \n\n";
static const char bibtex_record[] = "@article{kim2019,\n  title = {Scales},\n"
                                    "  author = {Kim, Bo},\n  year = {2019}\n}\n";
static const char endnote_record[] = "%0 Journal Article\n%T Scales\n%A Kim, Bo\n%D 2019\n\n";

static int detect(const char *text, wn_detection *det, wn_err *err)
{
    return wn_format_detect("mixed.txt", text, strlen(text), det, err);
}

static void expect_refused(const char *text, const char *first, const char *second)
{
    wn_detection det;
    wn_err err;
    assert_int_equal(detect(text, &det, &err), WN_EFORMAT);
    if (!strstr(err.msg, "cannot read 'mixed.txt'") || !strstr(err.msg, first) ||
        !strstr(err.msg, second) || !strstr(err.msg, "two formats in one file"))
        fail_msg("unexpected message: %s", err.msg);
}

static void test_one_format_is_detected(void **state)
{
    (void)state;
    wn_detection det;
    wn_err err;
    assert_int_equal(detect(ris_record, &det, &err), 0);
    assert_string_equal(wn_format_name(det.format), "ris");
    assert_int_equal(detect(bibtex_record, &det, &err), 0);
    assert_string_equal(wn_format_name(det.format), "bibtex");
    assert_int_equal(detect(endnote_record, &det, &err), 0);
    assert_string_equal(wn_format_name(det.format), "endnote-tagged");
}

static void test_two_formats_side_by_side_are_refused(void **state)
{
    (void)state;
    char text[512];
    snprintf(text, sizeof text, "%s%s", ris_record, bibtex_record);
    expect_refused(text, "BibTeX", "RIS");
    snprintf(text, sizeof text, "%s%s", bibtex_record, ris_record);
    expect_refused(text, "BibTeX", "RIS");
    snprintf(text, sizeof text, "%s%s", endnote_record, ris_record);
    expect_refused(text, "EndNote tagged", "RIS");
}

/* Asked for one of the two, the reader reads its own records and warns
 * about the rest, so nothing is dropped unseen. */
static void test_format_asked_for_reads_and_warns(void **state)
{
    (void)state;
    char text[512];
    snprintf(text, sizeof text, "%s%s", ris_record, bibtex_record);
    const wn_format *ris = wn_format_find("ris");
    assert_true(wn_format_sniff(ris, text, strlen(text)) > 0);
    t_parsed p;
    t_parse_str(&p, text, "ris");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.n_warnings, 1);
    assert_non_null(strstr(p.warnings[0], "@article{kim2019"));
    t_parsed_free(&p);
}

/* A big file with another format's record at its end, beyond the window
 * detection reads at the start. */
static char big[400 * 1024];

static void test_other_format_at_the_end_is_refused(void **state)
{
    (void)state;
    size_t rec = strlen(ris_record), len = 0;
    while (len + rec + sizeof bibtex_record < sizeof big) {
        memcpy(big + len, ris_record, rec);
        len += rec;
    }
    memcpy(big + len, bibtex_record, sizeof bibtex_record);
    len += strlen(bibtex_record);
    wn_detection det;
    wn_err err;
    assert_int_equal(wn_format_detect("mixed.txt", big, len, &det, &err), WN_EFORMAT);
    if (!strstr(err.msg, "holds both RIS") || !strstr(err.msg, "BibTeX"))
        fail_msg("unexpected message: %s", err.msg);
    /* Without the stray record it is plain RIS. */
    assert_int_equal(wn_format_detect("mixed.txt", big, len - strlen(bibtex_record), &det, &err),
                     0);
    assert_string_equal(wn_format_name(det.format), "ris");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_format_is_detected),
        cmocka_unit_test(test_two_formats_side_by_side_are_refused),
        cmocka_unit_test(test_format_asked_for_reads_and_warns),
        cmocka_unit_test(test_other_format_at_the_end_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
