/* The EndNote tagged (refer, "%X value") reader, one rule at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void parse(t_parsed *out, const char *text)
{
    t_parse_str(out, text, "endnote-tagged");
}

static int sniff(const char *text) { return t_sniff("endnote-tagged", text); }

static void test_blank_lines_separate_records_with_or_without_type(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "%T First\n%0 Journal Article\n%A Guo, Wenbo\n\n\n"
              "%T Second, without a type\n%D 2021\n\n"
              "%0 Book\n%T Third\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 3);
    assert_int_equal(p.n_warnings, 0);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_TITLE), "First");
    assert_string_equal(wn_record_first(p.recs[0], WN_F_TYPE), "article");
    assert_string_equal(wn_record_first(p.recs[1], WN_F_TITLE), "Second, without a type");
    assert_null(wn_record_first(p.recs[1], WN_F_TYPE));
    assert_string_equal(wn_record_first(p.recs[2], WN_F_TYPE), "book");
    t_parsed_free(&p);
    /* A %0 inside a block does not start another record. */
    parse(&p, "%0 Journal Article\n%T One\n%0 Book\n%T Still one\n");
    assert_int_equal(p.n, 1);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_TYPE), "article");
    assert_string_equal(t_tagged(p.recs[0], WN_F_EXTRA, "%0", 0), "Book");
    t_parsed_free(&p);
}

static void test_fields(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "%0 Journal Article\n"
              "%A Guo, Wenbo\n"
              "%A Straub, Detmar W.\n"
              "%T How Trust Leads to Commitment\n"
              "%J MIS Quarterly\n"
              "%D 2021\n"
              "%8 September  1, 2021\n"
              "%V 45\n"
              "%N 3\n"
              "%P 1309-1348\n"
              "%R 10.25300/MISQ/2021/15384\n"
              "%U https://aisel.aisnet.org/misq/vol45/iss3/13\n"
              "%I AIS\n"
              "%G English\n"
              "%M WOS:000123\n"
              "%9 Research article\n"
              "%X IS research has extensively examined trust.\n"
              "%F Guo2021\n"
              "%Z A note\n"
              "%+ Tsinghua University\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_TYPE_RAW), "Journal Article");
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Straub, Detmar W.");
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "How Trust Leads to Commitment");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "MIS Quarterly");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2021");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "September  1, 2021");
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "45");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "3");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "1309-1348");
    assert_string_equal(wn_record_first(r, WN_F_END_PAGE), "1348");
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.25300/misq/2021/15384");
    assert_string_equal(wn_record_first(r, WN_F_URL), "https://aisel.aisnet.org/misq/vol45/iss3/13");
    assert_string_equal(wn_record_first(r, WN_F_PUBLISHER), "AIS");
    assert_string_equal(wn_record_first(r, WN_F_LANGUAGE), "English");
    assert_string_equal(wn_record_first(r, WN_F_SOURCE_ID), "WOS:000123");
    assert_string_equal(wn_record_first(r, WN_F_PUBTYPE), "Research article");
    assert_string_equal(wn_record_first(r, WN_F_ABSTRACT), "IS research has extensively examined trust.");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "%F", 0), "Guo2021");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "%Z", 0), "A note");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "%+", 0), "Tsinghua University");
    t_parsed_free(&p);
}

static void test_continuation_lines(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "%T A title that\n"
              "wraps onto two lines\n"
              "%K first keyword\n"
              "second keyword\n"
              "%A Doe, Jane\n"
              "Roe, Rita\n"
              "%U https://a.example/1\n"
              "https://b.example/2\n"
              "%Z note line one\n"
              "note line two\n"
              "%X An abstract\n"
              "  continued.\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "A title that wraps onto two lines");
    assert_int_equal(wn_record_count(r, WN_F_KEYWORD), 2);
    assert_string_equal(wn_record_get(r, WN_F_KEYWORD, 1), "second keyword");
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_int_equal(wn_record_count(r, WN_F_URL), 2);
    /* Notes keep their line breaks. */
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "%Z", 0), "note line one\nnote line two");
    assert_string_equal(wn_record_first(r, WN_F_ABSTRACT), "An abstract continued.");
    assert_int_equal(p.n_warnings, 0);
    t_parsed_free(&p);
}

static void test_secondary_title(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "%0 Book Section\n%T Chapter\n%B The Book\n\n"
              "%0 Journal Article\n%B Secondary\n%J The Journal\n\n"
              "%0 Book\n%T Whole book\n%B A Series\n\n"
              "%T No type\n%B PACIS 2017 Proceedings\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 4);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_JOURNAL), "The Book");
    assert_string_equal(wn_record_first(p.recs[0], WN_F_TYPE), "chapter");
    assert_string_equal(wn_record_first(p.recs[1], WN_F_JOURNAL), "The Journal");
    assert_string_equal(t_tagged(p.recs[1], WN_F_EXTRA, "%B", 0), "Secondary");
    assert_null(wn_record_first(p.recs[2], WN_F_JOURNAL));
    assert_string_equal(t_tagged(p.recs[2], WN_F_EXTRA, "%B", 0), "A Series");
    assert_string_equal(wn_record_first(p.recs[3], WN_F_JOURNAL), "PACIS 2017 Proceedings");
    t_parsed_free(&p);
}

static void test_doi_and_serials(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "%T x\n%R doi:10.1000/ABC\n%@ 0276-7783; 978-3-16-148410-0\n%@ 0-306-40615-2\n"
              "%@ n/a\n\n"
              "%T y\n%R Report 12\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.1000/abc");
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 1);
    assert_string_equal(wn_record_first(r, WN_F_ISSN), "0276-7783");
    assert_int_equal(wn_record_count(r, WN_F_ISBN), 2);
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "%@", 0), "n/a");
    /* Not a DOI: kept as written, without a warning about a bad DOI. */
    assert_null(wn_record_first(p.recs[1], WN_F_DOI));
    assert_string_equal(t_tagged(p.recs[1], WN_F_EXTRA, "%R", 0), "Report 12");
    assert_int_equal(p.n_warnings, 0);
    t_parsed_free(&p);
}

static void test_types(void **state)
{
    (void)state;
    const char *codes[] = {"Journal Article", "Book Section", "Edited Book",
                           "Conference Proceedings", "Thesis", "Report", "Web Page",
                           "Generic", "journal article", "Film or Broadcast"};
    const char *want[] = {"article", "chapter", "book", "conference", "thesis", "report", "web",
                          "generic", "article", NULL};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "%%0 %s\n%%T x\n", codes[i]);
        t_parsed p;
        parse(&p, text);
        assert_int_equal(p.rc, 0);
        t_assert_field(&p, 0, WN_F_TYPE_RAW, codes[i]);
        t_assert_field(&p, 0, WN_F_TYPE, want[i]);
        t_parsed_free(&p);
    }
}

static void test_percent_lines_that_are_text(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "%T Rates\n%X Up by\n% of patients\n%%20 more\n%3x\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_ABSTRACT),
                        "Up by % of patients %%20 more %3x");
    t_parsed_free(&p);
}

static void test_text_after_a_blank_line(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "%T One\n%X First paragraph.\n\nSecond paragraph.\n%K k\n\n%T Two\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_ABSTRACT),
                        "First paragraph. Second paragraph.");
    assert_string_equal(wn_record_first(p.recs[0], WN_F_KEYWORD), "k");
    assert_int_equal(p.n_warnings, 1);
    assert_true(t_has_warning(&p, "line 4: text after a blank line joined to the value above"));
    t_parsed_free(&p);
}

static void test_stray_lines_and_empty_records(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "Exported from EndNote\nsecond line\n\n%T One\n\n%0\n%T\n\n%T Two\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    assert_true(t_has_warning(&p, "line 1: ignored 2 lines outside a record"));
    assert_true(t_has_warning(&p, "line 6: record at line 6 has no values; skipped"));
    assert_int_equal(wn_record_origin_c(p.recs[1])->line, 9);
    t_parsed_free(&p);
}

static void test_no_records_is_an_error(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "just text\n\nmore text\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "no EndNote tagged records"));
    t_parsed_free(&p);
    parse(&p, "");
    assert_int_equal(p.rc, WN_EPARSE);
    t_parsed_free(&p);
}

static void test_line_ends_and_origin(void **state)
{
    (void)state;
    const char *inputs[] = {
        "%0 Journal Article\n%T A wrapped\ntitle\n\n\n%T Second\n%A Doe, J\n",
        "%0 Journal Article\r\n%T A wrapped\r\ntitle\r\n\r\n\r\n%T Second\r\n%A Doe, J\r\n",
        "%0 Journal Article\r%T A wrapped\rtitle\r\r\r%T Second\r%A Doe, J\r",
    };
    for (size_t i = 0; i < 3; i++) {
        t_parsed p;
        parse(&p, inputs[i]);
        assert_int_equal(p.rc, 0);
        assert_int_equal(p.n, 2);
        assert_int_equal(p.n_warnings, 0);
        assert_string_equal(wn_record_first(p.recs[0], WN_F_TITLE), "A wrapped title");
        const wn_origin *o = wn_record_origin_c(p.recs[0]);
        assert_int_equal(o->line, 1);
        assert_int_equal(o->offset, 0);
        /* Up to the end of its last line, without the blank lines. */
        size_t eol = i == 1 ? 2 : 1;
        assert_int_equal(o->length, (size_t)(strstr(inputs[i], "title") - inputs[i]) + 5 + eol);
        o = wn_record_origin_c(p.recs[1]);
        assert_int_equal(o->line, 6);
        assert_int_equal(o->offset, (size_t)(strstr(inputs[i], "%T Second") - inputs[i]));
        assert_int_equal(o->offset + o->length, strlen(inputs[i]));
        t_parsed_free(&p);
    }
}

static void test_detected_from_content(void **state)
{
    (void)state;
    const char *text = "%T How Trust Leads to Commitment\n%A Guo, Wenbo\n%D 2021\n\n"
                       "%T Second\n%D 2020\n";
    t_parsed p;
    t_parse_text(&p, text, strlen(text), NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    t_parsed_free(&p);
}

static void test_sniff(void **state)
{
    (void)state;
    assert_true(sniff("%0 Journal Article\n%A Doe, J\n%T x\n") >= 90);
    assert_true(sniff("%T x\n%A Doe, J\n%D 2020\n\n%T y\n") >= 50);
    /* TeX and BibTeX comments are not tags. */
    assert_int_equal(sniff("% a comment\n@article{k,\n  title = {x}\n}\n"), 0);
    assert_int_equal(sniff("%% header\n%comment\n\\documentclass{article}\n"), 0);
    assert_int_equal(sniff("TY  - JOUR\nER  - \n"), 0);
    assert_int_equal(sniff("PT J\nTI x\nER\n"), 0);
    assert_int_equal(sniff(""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blank_lines_separate_records_with_or_without_type),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_continuation_lines),
        cmocka_unit_test(test_secondary_title),
        cmocka_unit_test(test_doi_and_serials),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_percent_lines_that_are_text),
        cmocka_unit_test(test_text_after_a_blank_line),
        cmocka_unit_test(test_stray_lines_and_empty_records),
        cmocka_unit_test(test_no_records_is_an_error),
        cmocka_unit_test(test_line_ends_and_origin),
        cmocka_unit_test(test_detected_from_content),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
