/* The Ovid text reader: record markers, field names over indented values,
 * line ends, authors, citation lines, and what it refuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *const export_text =
    "Database: Ovid MEDLINE(R) ALL <1946 to May 02, 2024>\r\n"
    "Search Strategy:\r\n"
    "1     exp Dinosaurs/ (12)\r\n"
    "\r\n"
    "<1>\r\n"
    "Unique Identifier\r\n"
    "  31234567\r\n"
    "Authors\r\n"
    "  Lee, Ann 1;  Kim, Bo 2\r\n"
    "Title\r\n"
    "  Feathers and scales\r\n"
    "  of early dinosaurs.\r\n"
    "Source\r\n"
    "  Journal of Skin. 12(3):e45-e49, 2020 Mar.\r\n"
    "Abstract\r\n"
    "  First part.\r\n"
    "  Second part.\r\n"
    "Institution\r\n"
    "  (1) Ulm\r\n"
    "  (2) Bonn\r\n"
    "Digital Object Identifier\r\n"
    "  https://dx.doi.org/10.1000/skin.45\r\n"
    "\r\n"
    "<2>\r\n"
    "Author\r\n"
    "  Max  Moritz [Ed]\r\n"
    "Chapter Title\r\n"
    "  Teeth\r\n"
    "Title\r\n"
    "  The Book of Dinosaurs\r\n"
    "Publication Type\r\n"
    "  Book Chapter\r\n";

static void test_export_with_strategy_preamble(void **state)
{
    (void)state;
    t_parsed p;
    t_parse_str(&p, export_text, NULL); /* detected */
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    t_assert_field(&p, 0, WN_F_SOURCE_ID, "31234567");
    t_assert_field(&p, 0, WN_F_TITLE, "Feathers and scales of early dinosaurs.");
    t_assert_field(&p, 0, WN_F_JOURNAL, "Journal of Skin");
    t_assert_field(&p, 0, WN_F_VOLUME, "12");
    t_assert_field(&p, 0, WN_F_ISSUE, "3");
    t_assert_field(&p, 0, WN_F_PAGES, "e45-e49");
    t_assert_field(&p, 0, WN_F_YEAR, "2020");
    t_assert_field(&p, 0, WN_F_DOI, "10.1000/skin.45");
    t_assert_field(&p, 0, WN_F_ABSTRACT, "First part. Second part.");
    const wn_record *r = t_rec(&p, 0);
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Kim, Bo");
    assert_string_equal(t_extra(r, "Institution"), "(1) Ulm\n(2) Bonn");
    assert_string_equal(t_extra(r, "Source"), "Journal of Skin. 12(3):e45-e49, 2020 Mar.");
    assert_int_equal(t_origin(&p, 0)->line, 5);
    assert_int_equal(t_origin(&p, 1)->line, 24);
    assert_int_equal(t_origin(&p, 1)->offset, (size_t)(strstr(export_text, "<2>") - export_text));
    /* A chapter: the chapter is the title, the book the container. */
    t_assert_field(&p, 1, WN_F_TITLE, "Teeth");
    t_assert_field(&p, 1, WN_F_JOURNAL, "The Book of Dinosaurs");
    t_assert_field(&p, 1, WN_F_TYPE_RAW, "Book Chapter");
    /* Names without ";" are separated by runs of spaces; [Ed] marks an editor. */
    t_assert_field(&p, 1, WN_F_AUTHOR, "Max");
    assert_string_equal(t_extra(t_rec(&p, 1), "Editor"), "Moritz");
    /* The preamble is no record, but it is reported. */
    t_assert_warned(&p, "3 lines");
    t_parsed_free(&p);
}

static void test_cr_only_and_tab_indents(void **state)
{
    (void)state;
    t_parsed p;
    t_parse_str(&p, "<7>\rTitle\r\tOne\r<8>\rTitle\r  Two\r", "ovid");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    t_assert_field(&p, 0, WN_F_TITLE, "One");
    t_assert_field(&p, 1, WN_F_TITLE, "Two");
    assert_int_equal(t_origin(&p, 1)->line, 4);
    t_parsed_free(&p);
}

static void test_text_without_records_is_refused(void **state)
{
    (void)state;
    t_parsed p;
    t_parse_str(&p, "Title\n  no marker line\n", "ovid");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "expected a line '<1>'"));
    t_parsed_free(&p);
}

static void test_sniffer_leaves_other_formats(void **state)
{
    (void)state;
    static const char *const others[] = {
        "TY  - JOUR\nTI  - x\nER  - \n",
        "PMID- 1\nTI  - x\n\nPMID- 2\nTI  - y\n",
        "title,abstract\nx,y\n",
        "%0 Journal Article\n%T x\n",
        "PT J\nAU Lee, A\nTI x\nER\nEF\n",
        "<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n",
    };
    const wn_format *ovid = wn_format_find("ovid");
    assert_non_null(ovid);
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        assert_int_equal(wn_format_sniff(ovid, others[i], strlen(others[i])), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_with_strategy_preamble),
        cmocka_unit_test(test_cr_only_and_tab_indents),
        cmocka_unit_test(test_text_without_records_is_refused),
        cmocka_unit_test(test_sniffer_leaves_other_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
