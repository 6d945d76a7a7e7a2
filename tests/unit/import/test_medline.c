/* The PubMed MEDLINE (.nbib) reader, one quirk of the format at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void parse(t_parsed *out, const char *text)
{
    t_parse_str(out, text, "medline");
}

static void test_continuation_lines_join_with_one_space(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PMID- 1\n"
              "TI  - Differences in nitrate export between wooded and grassed riparian \n"
              "      zones from farmland\n"
              "      to waterways.\n"
              "AB  - First line.\n"
              "\t  Indented by a tab.\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    t_assert_field(&p, 0, WN_F_TITLE,
                   "Differences in nitrate export between wooded and grassed riparian "
                   "zones from farmland to waterways.");
    t_assert_field(&p, 0, WN_F_ABSTRACT, "First line. Indented by a tab.");
    assert_int_equal(p.n_warnings, 0);
    t_parsed_free(&p);
}

static void test_crlf_and_cr_only_read_like_lf(void **state)
{
    (void)state;
    const char *lf = "PMID- 11\nTI  - A wrapped\n      title\nFAU - Doe, Jane\n\n"
                     "PMID- 12\nTI  - Second\n";
    const char *crlf = "PMID- 11\r\nTI  - A wrapped\r\n      title\r\nFAU - Doe, Jane\r\n\r\n"
                       "PMID- 12\r\nTI  - Second\r\n";
    const char *cr = "PMID- 11\rTI  - A wrapped\r      title\rFAU - Doe, Jane\r\r"
                     "PMID- 12\rTI  - Second\r";
    const char *inputs[] = {lf, crlf, cr};
    for (size_t k = 0; k < 3; k++) {
        t_parsed p;
        parse(&p, inputs[k]);
        assert_int_equal(p.rc, 0);
        assert_int_equal(p.n, 2);
        t_assert_field(&p, 0, WN_F_TITLE, "A wrapped title");
        t_assert_field(&p, 0, WN_F_AUTHOR, "Doe, Jane");
        t_assert_field(&p, 1, WN_F_PMID, "12");
        assert_int_equal(wn_record_origin_c(p.recs[1])->line, 6);
        /* The second record starts right after the blank line. */
        const char *second = strstr(inputs[k], "PMID- 12");
        assert_int_equal(wn_record_origin_c(p.recs[1])->offset, (size_t)(second - inputs[k]));
        assert_int_equal(wn_record_origin_c(p.recs[1])->length, strlen(second));
        assert_int_equal(p.n_warnings, 0);
        t_parsed_free(&p);
    }
}

static void test_full_author_names_win_over_short_ones(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PMID- 2\n"
              "FAU - Long, Vicky\n"
              "AU  - Long V\n"
              "AD  - Somewhere.\n"
              "FAU - Marland, Hilary\n"
              "AU  - Marland H\n"
              "AU  - van der Berg JH\n"
              "AU  - Selvamani\n");
    assert_int_equal(p.rc, 0);
    const wn_record *r = p.recs[0];
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 4);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Long, Vicky");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Marland, Hilary");
    /* An AU with no FAU of its own is the author, written "Surname, IN". */
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 2), "van der Berg, JH");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 3), "Selvamani");
    /* The short forms of FAU names are kept beside the record. */
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "AU", 0), "Long V");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "AU", 1), "Marland H");
    assert_null(t_tagged(r, WN_F_EXTRA, "AU", 2));
    assert_string_equal(t_extra(r, "AD"), "Somewhere.");
    t_parsed_free(&p);

    /* An empty AU pairs with nothing: the next AU is still an author. */
    parse(&p, "PMID- 2\nFAU - Long, Vicky\nAU  -\nAU  - Roe R\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(wn_record_count(p.recs[0], WN_F_AUTHOR), 1);
    assert_string_equal(t_extra(p.recs[0], "AU"), "Roe R");
    t_parsed_free(&p);

    /* Old records and ERIC exports have AU only; "Smith, Tom" stays as is. */
    parse(&p, "PMID- 3\nAU  - Smith, Tom\nAU  - Doe J\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(wn_record_count(p.recs[0], WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(p.recs[0], WN_F_AUTHOR, 0), "Smith, Tom");
    assert_string_equal(wn_record_get(p.recs[0], WN_F_AUTHOR, 1), "Doe, J");
    t_assert_field(&p, 0, WN_F_EXTRA, NULL);
    t_parsed_free(&p);
}

static void test_collective_name_is_an_author_in_place(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PMID- 4\nFAU - Doe, Jane\nAU  - Doe J\nCN  - COVID-19 Study Group\n"
              "FAU - Roe, Richard\nAU  - Roe R\n");
    assert_int_equal(p.rc, 0);
    const wn_record *r = p.recs[0];
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 3);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "COVID-19 Study Group");
    assert_string_equal(t_tagged(r, WN_F_AUTHOR, "CN", 0), "COVID-19 Study Group");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 2), "Roe, Richard");
    t_parsed_free(&p);
}

static void test_article_ids_by_kind(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PMID- 5\n"
              "LID - S0048-9697(17)30912-9 [pii]\n"
              "LID - 10.1016/J.SCITOTENV.2017.04.075 [doi]\n"
              "LID - 103640\n"
              "AID - 10.1016/j.scitotenv.2017.04.075 [doi]\n"
              "AID - ABR-5-67 [pii]\n"
              "AID - http://eric.ed.gov/?id=EJ1\n");
    assert_int_equal(p.rc, 0);
    const wn_record *r = p.recs[0];
    assert_int_equal(wn_record_count(r, WN_F_DOI), 1);
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.1016/j.scitotenv.2017.04.075");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "LID", 0), "S0048-9697(17)30912-9 [pii]");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "LID", 1), "103640");
    assert_string_equal(t_extra(r, "AID"), "ABR-5-67 [pii]");
    assert_string_equal(t_tagged(r, WN_F_URL, "AID", 0), "http://eric.ed.gov/?id=EJ1");
    t_parsed_free(&p);

    /* Unmarked DOIs, as hand-made and ERIC files write them. */
    parse(&p, "PMID- 6\nAID - doi:10.1016/j.cpr.2005.02.002\n");
    assert_int_equal(p.rc, 0);
    t_assert_field(&p, 0, WN_F_DOI, "10.1016/j.cpr.2005.02.002");
    t_parsed_free(&p);
    parse(&p, "PMID- 7\nAID - http://dx.doi.org/10.1000/123456789\nLID - 10.1000/Upper [DOI]\n");
    assert_int_equal(p.rc, 0);
    t_assert_field(&p, 0, WN_F_DOI, "10.1000/123456789");
    t_assert_field(&p, 0, WN_F_URL, NULL);
    /* The marker's case does not matter; a second, different DOI is kept. */
    assert_string_equal(t_extra(p.recs[0], "doi"), "10.1000/upper");
    t_parsed_free(&p);
}

static void test_issn_medium_is_dropped_and_repeats_merged(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PMID- 8\nIS  - 1878-0849 (Electronic)\nIS  - 1769-7212 (Print)\n"
              "IS  - 1769-7212 (Linking)\n");
    assert_int_equal(p.rc, 0);
    const wn_record *r = p.recs[0];
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 2);
    assert_string_equal(wn_record_get(r, WN_F_ISSN, 0), "1878-0849");
    assert_string_equal(wn_record_get(r, WN_F_ISSN, 1), "1769-7212");
    t_parsed_free(&p);
}

static void test_fields_go_where_they_belong(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PMID- 30922926\n"
              "OWN - NLM\n"
              "STAT- MEDLINE\n"
              "VI  - 63\n"
              "IP  - 2\n"
              "DP  - 2020 Feb\n"
              "TI  - Time lapse.\n"
              "PG  - 454-81\n"
              "AB  - An abstract.\n"
              "LA  - eng\n"
              "PT  - Journal Article\n"
              "PT  - Review\n"
              "TA  - Eur J Med Genet\n"
              "JT  - European journal of medical genetics\n"
              "MH  - Animals\n"
              "MH  - Genomics/*methods\n"
              "OT  - karyotype\n"
              "PMC - PMC4513071\n"
              "PB  - Elsevier\n"
              "ISBN- 978-3-86680-192-9\n"
              "PHST- 2019/03/12 00:00 [received]\n"
              "SO  - Eur J Med Genet. 2020 Feb;63(2):103640.\n");
    assert_int_equal(p.rc, 0);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_PMID), "30922926");
    assert_string_equal(wn_record_first(r, WN_F_SOURCE_ID), "30922926");
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "63");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "2");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "2020 Feb");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2020");
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "Time lapse.");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "454-81");
    assert_string_equal(wn_record_first(r, WN_F_END_PAGE), "481");
    assert_string_equal(wn_record_first(r, WN_F_ABSTRACT), "An abstract.");
    assert_string_equal(wn_record_first(r, WN_F_LANGUAGE), "English");
    assert_int_equal(wn_record_count(r, WN_F_PUBTYPE), 2);
    assert_string_equal(wn_record_first(r, WN_F_TYPE_RAW), "Journal Article");
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "article");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL_ABBR), "Eur J Med Genet");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "European journal of medical genetics");
    assert_int_equal(wn_record_count(r, WN_F_KEYWORD), 3);
    assert_string_equal(t_tagged(r, WN_F_KEYWORD, "MH", 1), "Genomics/*methods");
    assert_string_equal(t_tagged(r, WN_F_KEYWORD, "OT", 0), "karyotype");
    assert_string_equal(wn_record_first(r, WN_F_PMCID), "PMC4513071");
    assert_string_equal(wn_record_first(r, WN_F_PUBLISHER), "Elsevier");
    assert_non_null(t_tagged(r, WN_F_ISBN, "ISBN", 0));
    assert_string_equal(t_extra(r, "OWN"), "NLM");
    assert_string_equal(t_extra(r, "STAT"), "MEDLINE");
    assert_string_equal(t_extra(r, "PHST"), "2019/03/12 00:00 [received]");
    assert_string_equal(t_extra(r, "SO"),
                        "Eur J Med Genet. 2020 Feb;63(2):103640.");
    t_parsed_free(&p);
}

static void test_type_code_from_publication_types(void **state)
{
    (void)state;
    t_parsed p;
    /* The first type is a minor one: the known one decides. */
    parse(&p, "PMID- 9\nPT  - Historical Article\nPT  - Journal Article\n\n"
              "PMID- 10\nPT  - Journal Article\nPT  - Preprint\n\n"
              "PMID- 11\nPT  - Technical Report\n\n"
              "PMID- 12\nBTI - A book on things\nPT  - Review\n\n"
              "PMID- 13\nTI  - A chapter\nBTI - The book\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 5);
    t_assert_field(&p, 0, WN_F_TYPE_RAW, "Journal Article");
    t_assert_field(&p, 1, WN_F_TYPE_RAW, "Preprint");
    t_assert_field(&p, 1, WN_F_TYPE, "preprint");
    t_assert_field(&p, 2, WN_F_TYPE_RAW, "Technical Report");
    t_assert_field(&p, 2, WN_F_TYPE, "report");
    /* A book without TI: its title is the book title. */
    t_assert_field(&p, 3, WN_F_TITLE, "A book on things");
    t_assert_field(&p, 3, WN_F_JOURNAL, NULL);
    /* A chapter: the book is where it appeared. */
    t_assert_field(&p, 4, WN_F_TITLE, "A chapter");
    t_assert_field(&p, 4, WN_F_JOURNAL, "The book");
    t_assert_field(&p, 4, WN_F_TYPE_RAW, NULL);
    t_parsed_free(&p);
}

static void test_several_records_and_their_origin(void **state)
{
    (void)state;
    const char *text = "\n\n"
                       "PMID- 100\n"
                       "TI  - One\n"
                       "\n"
                       "PMID- 200\n"
                       "TI  - Two\n"
                       "      continued\n"
                       "\n\n\n"
                       "PMID- 300\n"
                       "TI  - Three"; /* no line end at the end of the file */
    t_parsed p;
    parse(&p, text);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 3);
    const size_t lines[] = {3, 6, 12};
    const char *starts[] = {"PMID- 100", "PMID- 200", "PMID- 300"};
    const size_t lengths[] = {strlen("PMID- 100\nTI  - One\n"),
                              strlen("PMID- 200\nTI  - Two\n      continued\n"),
                              strlen("PMID- 300\nTI  - Three")};
    for (size_t i = 0; i < 3; i++) {
        const wn_origin *o = wn_record_origin_c(p.recs[i]);
        assert_int_equal(o->position, i + 1);
        assert_int_equal(o->line, lines[i]);
        assert_int_equal(o->offset, (size_t)(strstr(text, starts[i]) - text));
        assert_int_equal(o->length, lengths[i]);
    }
    t_assert_field(&p, 1, WN_F_TITLE, "Two continued");
    t_assert_field(&p, 2, WN_F_TITLE, "Three");
    t_parsed_free(&p);
}

static void test_pmid_starts_a_record_even_without_blank_line(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PMID- 1\nTI  - First\nPMID- 2\nTI  - Second\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    t_assert_field(&p, 0, WN_F_TITLE, "First");
    assert_int_equal(wn_record_origin_c(p.recs[0])->length, strlen("PMID- 1\nTI  - First\n"));
    assert_int_equal(wn_record_origin_c(p.recs[1])->line, 3);
    t_parsed_free(&p);
}

static void test_records_without_pmid(void **state)
{
    (void)state;
    t_parsed p;
    /* A file with no PMID at all (ERIC): every block is a record. */
    parse(&p, "OWN - ERIC\nTI  - Paper one\nAU  - Smith, Tom\n\n"
              "OWN - ERIC\nAB  - Only an abstract\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    t_assert_field(&p, 0, WN_F_PMID, NULL);
    t_assert_field(&p, 1, WN_F_ABSTRACT, "Only an abstract");
    assert_int_equal(wn_record_origin_c(p.recs[1])->line, 5);
    t_parsed_free(&p);

    /* Among PubMed records, a block without PMID is a record only if it is
     * whole; a fragment is reported with its lines and left out. */
    parse(&p, "PMID- 1\nTI  - First\n\n"
              "PMC - PMC1\nAB  - Orphan abstract\n\n"
              "TI  - A work from elsewhere\nAU  - Doe, J\n\n"
              "PMID- 2\nTI  - Last\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 3);
    t_assert_field(&p, 1, WN_F_TITLE, "A work from elsewhere");
    t_assert_field(&p, 1, WN_F_PMID, NULL);
    t_assert_field(&p, 2, WN_F_PMID, "2");
    assert_int_equal(p.n_warnings, 1);
    t_assert_warned(&p, "line 4: lines 4-5 have no PMID");
    t_parsed_free(&p);

    /* A block of empty tags is no record either. */
    parse(&p, "TI  -\nAU  - \n\nPMID- 1\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    t_assert_warned(&p, "line 1: tags without values");
    t_parsed_free(&p);

    /* The same holds when the fragment comes before the first PMID. */
    parse(&p, "AB  - Orphan\n\nPMID- 1\nTI  - First\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    t_assert_warned(&p, "line 1: line 1 has no PMID");
    t_parsed_free(&p);
}

static void test_loose_tag_layouts(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PMID-22664220\nTI-\nPMC -22664230\nISSN - ISSN-1234-4567\nAB  - Needle\n"
              "CT-guided biopsy\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_PMID), "22664220");
    assert_null(wn_record_first(r, WN_F_TITLE));
    assert_string_equal(wn_record_first(r, WN_F_PMCID), "PMC22664230");
    assert_string_equal(wn_record_first(r, WN_F_ISSN), "1234-4567");
    /* The unindented line is taken as wrapping, with a warning. */
    assert_string_equal(wn_record_first(r, WN_F_ABSTRACT), "Needle CT-guided biopsy");
    t_assert_warned(&p, "line 6: line is neither");
    t_parsed_free(&p);
}

static void test_stray_lines_warn(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "      continuation first\n"
              "PMID- 1\nTI  - Title\n"
              "\n"
              "This line is not part of anything.\n"
              "      nor is this one\n"
              "\n"
              "PMID- 2\nAB  - Starts a\n\n      paragraph after a blank line\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    t_assert_warned(&p, "line 1: continuation line with no tag line");
    t_assert_warned(&p, "line 5: 'This line is not part of anything.' is not");
    t_assert_warned(&p, "line 6: continuation line with no tag line");
    assert_int_equal(p.n_warnings, 3);
    t_assert_field(&p, 0, WN_F_TITLE, "Title");
    assert_int_equal(wn_record_origin_c(p.recs[0])->length, strlen("PMID- 1\nTI  - Title\n"));
    t_assert_field(&p, 1, WN_F_ABSTRACT, "Starts a paragraph after a blank line");
    t_parsed_free(&p);
}

static void test_no_records_is_an_error(void **state)
{
    (void)state;
    const char *inputs[] = {"", "\n\n   \n", "just some text\nand more\n",
                            "      only continuation\n", "PMID-\nTI  - \n\nAU  -\n"};
    for (size_t i = 0; i < 5; i++) {
        t_parsed p;
        parse(&p, inputs[i]);
        assert_int_equal(p.rc, WN_EPARSE);
        assert_non_null(strstr(p.err.msg, "no MEDLINE records found"));
        assert_int_equal(p.n, 0);
        t_parsed_free(&p);
    }
}

static int sniff(const char *text)
{
    return t_sniff("medline", text);
}

static void test_sniff(void **state)
{
    (void)state;
    assert_true(sniff("PMID- 28441597\nOWN - NLM\nSTAT- MEDLINE\nTI  - A title\n"
                      "      wrapped\nFAU - Doe, Jane\n") >= 90);
    /* A window that starts inside a record, without any PMID line. */
    assert_true(sniff("      zones from farmland.\nPG  - 188-197\nLID - 10.1/x [doi]\n"
                      "FAU - Neilen, Amanda D\nAU  - Neilen AD\n") >= 60);
    assert_int_equal(sniff("TY  - JOUR\nTI  - A title\nAU  - Doe, J\nER  - \n"), 0);
    assert_int_equal(sniff("AU  - Doe, J\nTI  - A title\nER  -\n"), 0);
    assert_int_equal(sniff("@article{key,\n  title = {A - B},\n  year = 2020\n}\n"), 0);
    assert_int_equal(sniff("title,authors,year\n\"A - B\",Doe,2020\n"), 0);
    assert_int_equal(sniff("[{\"type\": \"article\", \"title\": \"A - B\"}]\n"), 0);
    assert_int_equal(sniff("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\n"
                           "AU Doe, J\nTI A title\n   wrapped\nER\n\nEF\n"),
                     0);
    assert_int_equal(sniff(""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_continuation_lines_join_with_one_space),
        cmocka_unit_test(test_crlf_and_cr_only_read_like_lf),
        cmocka_unit_test(test_full_author_names_win_over_short_ones),
        cmocka_unit_test(test_collective_name_is_an_author_in_place),
        cmocka_unit_test(test_article_ids_by_kind),
        cmocka_unit_test(test_issn_medium_is_dropped_and_repeats_merged),
        cmocka_unit_test(test_fields_go_where_they_belong),
        cmocka_unit_test(test_type_code_from_publication_types),
        cmocka_unit_test(test_several_records_and_their_origin),
        cmocka_unit_test(test_pmid_starts_a_record_even_without_blank_line),
        cmocka_unit_test(test_records_without_pmid),
        cmocka_unit_test(test_loose_tag_layouts),
        cmocka_unit_test(test_stray_lines_warn),
        cmocka_unit_test(test_no_records_is_an_error),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
