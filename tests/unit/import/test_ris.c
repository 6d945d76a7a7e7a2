/* The RIS reader on small inline inputs, one quirk per test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* Parses a string literal as RIS (or detects the format when fmt is NULL). */
#define PARSE(out, lit) t_parse_text(out, lit, sizeof(lit) - 1, "ris")

static void test_basic_record(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "TY  - JOUR\n"
              "ID  - ref-7\n"
              "TI  - A mathematical theory of communication\n"
              "AU  - Shannon, Claude E.\n"
              "AU  - Weaver, Warren\n"
              "PY  - 1948/07//\n"
              "JF  - Bell System Technical Journal\n"
              "JA  - Bell Syst. Tech. J.\n"
              "VL  - 27\n"
              "IS  - 3\n"
              "SP  - 379\n"
              "EP  - 423\n"
              "DO  - https://doi.org/10.1002/J.1538-7305.1948.TB01338.X\n"
              "SN  - 0005-8580\n"
              "LA  - English\n"
              "KW  - information theory\n"
              "KW  - entropy\n"
              "AB  - The fundamental problem of communication.\n"
              "PB  - AT&T\n"
              "M3  - Article\n"
              "UR  - https://example.org/shannon\n"
              "ER  - \n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.n_warnings, 0);
    t_assert_field(&p, 0, WN_F_TYPE_RAW, "JOUR");
    t_assert_field(&p, 0, WN_F_TYPE, "article");
    t_assert_field(&p, 0, WN_F_SOURCE_ID, "ref-7");
    t_assert_field(&p, 0, WN_F_TITLE, "A mathematical theory of communication");
    assert_int_equal(wn_record_count(p.recs[0], WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(p.recs[0], WN_F_AUTHOR, 0), "Shannon, Claude E.");
    assert_string_equal(wn_record_get(p.recs[0], WN_F_AUTHOR, 1), "Weaver, Warren");
    t_assert_field(&p, 0, WN_F_YEAR, "1948");
    t_assert_field(&p, 0, WN_F_JOURNAL, "Bell System Technical Journal");
    t_assert_field(&p, 0, WN_F_JOURNAL_ABBR, "Bell Syst. Tech. J.");
    t_assert_field(&p, 0, WN_F_VOLUME, "27");
    t_assert_field(&p, 0, WN_F_ISSUE, "3");
    t_assert_field(&p, 0, WN_F_START_PAGE, "379");
    t_assert_field(&p, 0, WN_F_END_PAGE, "423");
    t_assert_field(&p, 0, WN_F_PAGES, "379-423");
    t_assert_field(&p, 0, WN_F_DOI, "10.1002/j.1538-7305.1948.tb01338.x");
    t_assert_field(&p, 0, WN_F_ISSN, "0005-8580");
    t_assert_field(&p, 0, WN_F_LANGUAGE, "English");
    assert_int_equal(wn_record_count(p.recs[0], WN_F_KEYWORD), 2);
    assert_string_equal(wn_record_get(p.recs[0], WN_F_KEYWORD, 1), "entropy");
    t_assert_field(&p, 0, WN_F_ABSTRACT, "The fundamental problem of communication.");
    t_assert_field(&p, 0, WN_F_PUBLISHER, "AT&T");
    t_assert_field(&p, 0, WN_F_PUBTYPE, "Article");
    t_assert_field(&p, 0, WN_F_URL, "https://example.org/shannon");
    t_parsed_free(&p);
}

static void test_crlf_and_cr_only(void **state)
{
    (void)state;
    static const char crlf[] = "TY  - JOUR\r\nTI  - First\r\nER  - \r\n\r\n"
                               "TY  - BOOK\r\nTI  - Second\r\nER  - \r\n";
    static const char cr[] = "TY  - JOUR\rTI  - First\rER  - \r\r"
                             "TY  - BOOK\rTI  - Second\rER  - \r";
    const char *inputs[] = {crlf, cr};
    size_t lens[] = {sizeof crlf - 1, sizeof cr - 1};
    size_t eol[] = {2, 1};
    for (int k = 0; k < 2; k++) {
        t_parsed p;
        t_parse_text(&p, inputs[k], lens[k], "ris");
        assert_int_equal(p.rc, 0);
        assert_int_equal(p.n, 2);
        assert_int_equal(p.n_warnings, 0);
        t_assert_field(&p, 0, WN_F_TITLE, "First");
        t_assert_field(&p, 1, WN_F_TITLE, "Second");
        t_assert_field(&p, 1, WN_F_TYPE_RAW, "BOOK");
        /* Lines 1-3 then a blank line: the second record starts on line 5. */
        assert_int_equal(t_origin(&p, 0)->line, 1);
        assert_int_equal(t_origin(&p, 1)->line, 5);
        /* Each record spans its three lines with their line ends. */
        size_t len0 = strlen("TY  - JOUR") + strlen("TI  - First") + strlen("ER  - ") + 3 * eol[k];
        assert_int_equal(t_origin(&p, 0)->offset, 0);
        assert_int_equal(t_origin(&p, 0)->length, len0);
        assert_int_equal(t_origin(&p, 1)->offset, len0 + eol[k]);
        assert_int_equal(t_origin(&p, 1)->offset + t_origin(&p, 1)->length, lens[k]);
        t_parsed_free(&p);
    }
}

static void test_origin_offsets(void **state)
{
    (void)state;
    static const char text[] = "\n\nTY  - JOUR\nTI  - One\nER  -\n"
                               "TY  - JOUR\nTI  - Two\n\n\nER  - \n\n"
                               "TY  - CHAP\nTI  - Three\n";
    t_parsed p;
    PARSE(&p, text);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 3);
    const char *rec1 = strstr(text, "TY  - JOUR");
    const char *rec2 = strstr(rec1 + 1, "TY  - JOUR");
    const char *rec3 = strstr(text, "TY  - CHAP");
    assert_int_equal(t_origin(&p, 0)->line, 3);
    assert_int_equal(t_origin(&p, 0)->offset, (size_t)(rec1 - text));
    assert_int_equal(t_origin(&p, 0)->length, (size_t)(rec2 - rec1));
    assert_int_equal(t_origin(&p, 1)->line, 6);
    assert_int_equal(t_origin(&p, 1)->offset, (size_t)(rec2 - text));
    /* Through the ER line, not the blank line after it. */
    assert_int_equal(t_origin(&p, 1)->length, strlen("TY  - JOUR\nTI  - Two\n\n\nER  - \n"));
    /* No ER: through the last line of the record. */
    assert_int_equal(t_origin(&p, 2)->line, 12);
    assert_int_equal(t_origin(&p, 2)->offset, (size_t)(rec3 - text));
    assert_int_equal(t_origin(&p, 2)->length, strlen(rec3));
    assert_int_equal(t_origin(&p, 2)->position, 3);
    t_assert_warned(&p, "record started at line 12 has no 'ER  - ' line at the end of the file");
    t_parsed_free(&p);
}

static void test_continuation_lines(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "TY  - JOUR\n"
              "TI  - A title wrapped\n"
              "   over two lines\n"
              "AB  - First paragraph.\n"
              "\n"
              "Second paragraph.\n"
              "KW  - Acne\n"
              "Blue light\n"
              "Propionibacterium acnes\n"
              "AD  - Dept A, Univ X\n"
              "Dept B, Univ Y\n"
              "N1  - first line\n"
              "      * second line\n"
              "ER  - \n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    t_assert_field(&p, 0, WN_F_TITLE, "A title wrapped over two lines");
    t_assert_field(&p, 0, WN_F_ABSTRACT, "First paragraph. Second paragraph.");
    /* EndNote writes one keyword or address per line under one tag. */
    assert_int_equal(wn_record_count(p.recs[0], WN_F_KEYWORD), 3);
    assert_string_equal(wn_record_get(p.recs[0], WN_F_KEYWORD, 1), "Blue light");
    assert_string_equal(wn_record_get(p.recs[0], WN_F_KEYWORD, 2), "Propionibacterium acnes");
    assert_string_equal(t_extra(t_rec(&p, 0), "AD"), "Dept A, Univ X");
    assert_int_equal(wn_record_count(p.recs[0], WN_F_EXTRA), 3);
    assert_string_equal(t_extra(t_rec(&p, 0), "N1"), "first line\n* second line");
    t_parsed_free(&p);
}

static void test_er_inside_abstract(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "TY  - JOUR\n"
              "AB  - Cells under stress.\n"
              "ER stress was measured.\n"
              "ERrors were found\n"
              "ER - positive tumours responded.\n"
              "ER\n"
              "TI  - Title after\n"
              "ER  - \n"
              "TY  - JOUR\n"
              "TI  - Next\n"
              "ER  -\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.n_warnings, 0);
    t_assert_field(&p, 0, WN_F_ABSTRACT,
                   "Cells under stress. ER stress was measured. ERrors were found "
                   "ER - positive tumours responded. ER");
    t_assert_field(&p, 0, WN_F_TITLE, "Title after");
    t_assert_field(&p, 1, WN_F_TITLE, "Next");
    t_parsed_free(&p);
}

static void test_missing_final_er(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "TY  - JOUR\nTI  - Closed\nER  - \n\nTY  - JOUR\nTI  - Open at the end\n\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    t_assert_field(&p, 1, WN_F_TITLE, "Open at the end");
    assert_int_equal(p.n_warnings, 1);
    assert_string_equal(p.warnings[0], "line 7: record started at line 5 has no 'ER  - ' line "
                                       "at the end of the file; kept it");
    t_parsed_free(&p);
}

static void test_ty_before_er(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "TY  - JOUR\nTI  - One\nTY  - BOOK\nTI  - Two\nER  - \nTY  - CHAP\nTI  - Three\n"
              "ER  - \n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 3);
    t_assert_field(&p, 0, WN_F_TITLE, "One");
    t_assert_field(&p, 1, WN_F_TITLE, "Two");
    t_assert_field(&p, 2, WN_F_TITLE, "Three");
    assert_int_equal(t_origin(&p, 0)->length, strlen("TY  - JOUR\nTI  - One\n"));
    assert_int_equal(t_origin(&p, 1)->line, 3);
    assert_int_equal(p.n_warnings, 1);
    assert_string_equal(p.warnings[0], "line 3: record started at line 1 has no 'ER  - ' line; "
                                       "it ends where the next 'TY  - ' begins");
    t_parsed_free(&p);
}

static void test_empty_tags_and_odd_spacing(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "TY - JOUR\n"
              "TI  -Squeezed title\n"
              "AU\t- Tab, Tina\n"
              "AU   -   Wide, Walter   \n"
              "KW  -\n"
              "SP  - \n"
              "VL  - 12 \t\n"
              "ZZ -not a tag line\n"
              "ER  -   \n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.n_warnings, 0);
    t_assert_field(&p, 0, WN_F_TYPE_RAW, "JOUR");
    /* A tag outside the table with odd spacing is text, not a tag. */
    t_assert_field(&p, 0, WN_F_TITLE, "Squeezed title");
    assert_string_equal(wn_record_get(p.recs[0], WN_F_AUTHOR, 0), "Tab, Tina");
    assert_string_equal(wn_record_get(p.recs[0], WN_F_AUTHOR, 1), "Wide, Walter");
    t_assert_field(&p, 0, WN_F_KEYWORD, NULL);
    t_assert_field(&p, 0, WN_F_START_PAGE, NULL);
    t_assert_field(&p, 0, WN_F_PAGES, NULL);
    t_assert_field(&p, 0, WN_F_VOLUME, "12 ZZ -not a tag line");
    t_parsed_free(&p);
}

static void test_repeated_authors_keep_order(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "TY  - JOUR\nA1  - Marx, Karl\nAU  - Lindgren, Astrid\nA1  - Shannon,Claude E.\n"
              "A1  - Adler D.G.\nA1  - Liu R.\nAU  - Smith JA\nAU  - WHO Collaborative Group\n"
              "AU  - et al.\nA2  - Glattauer, Daniel\nED  - Editor, Erin\nA3  - Third, T\n"
              "A4  - Fourth, F\nER  - \n");
    assert_int_equal(p.rc, 0);
    const wn_record *r = p.recs[0];
    const char *want[] = {"Marx, Karl",  "Lindgren, Astrid", "Shannon, Claude E.",
                          "Adler, D.G.", "Liu, R.",          "Smith, JA",
                          "WHO Collaborative Group"};
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(wn_record_get(r, WN_F_AUTHOR, i), want[i]);
    /* Not authors, but kept under their tags. */
    assert_string_equal(t_extra(t_rec(&p, 0), "AU"), "et al.");
    assert_string_equal(t_extra(t_rec(&p, 0), "A2"), "Glattauer, Daniel");
    assert_string_equal(t_extra(t_rec(&p, 0), "ED"), "Editor, Erin");
    assert_string_equal(t_extra(t_rec(&p, 0), "A3"), "Third, T");
    assert_string_equal(t_extra(t_rec(&p, 0), "A4"), "Fourth, F");
    t_parsed_free(&p);
}

static void test_page_ranges_in_sp(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "TY  - JOUR\nSP  - 123-129\nER  - \n"
              "TY  - JOUR\nSP  - 1122\nEP  - 34\nER  - \n"
              "TY  - JOUR\nSP  - e0815\nER  - \n"
              "TY  - JOUR\nSP  - 45\xE2\x80\x93" "9\nER  - \n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 4);
    t_assert_field(&p, 0, WN_F_PAGES, "123-129");
    assert_string_equal(t_tagged(t_rec(&p, 0), WN_F_PAGES, "SP", 0), "123-129");
    t_assert_field(&p, 0, WN_F_START_PAGE, "123");
    t_assert_field(&p, 0, WN_F_END_PAGE, "129");
    assert_string_equal(t_tagged(t_rec(&p, 1), WN_F_START_PAGE, "SP", 0), "1122");
    t_assert_field(&p, 1, WN_F_END_PAGE, "1134");
    t_assert_field(&p, 2, WN_F_START_PAGE, "e0815");
    t_assert_field(&p, 2, WN_F_END_PAGE, NULL);
    t_assert_field(&p, 3, WN_F_START_PAGE, "45");
    t_assert_field(&p, 3, WN_F_END_PAGE, "49");
    t_parsed_free(&p);
}

static void test_serial_numbers(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "TY  - JOUR\n"
              "SN  - 978-1-4822-5326-9\n"
              "SN  - 0021-9606\n"
              "SN  - 21111112, 2777777X\n"
              "SN  - 1999-7777(Electronic),0222-6666(Print)\n"
              "SN  - 1234-5678 (Print) 2345-6789 (Linking)\n"
              "SN  - 0306450151\n"
              "SN  - kmptns\n"
              "SN  - 12345\n"
              "ER  - \n");
    assert_int_equal(p.rc, 0);
    const wn_record *r = p.recs[0];
    assert_int_equal(wn_record_count(r, WN_F_ISBN), 2);
    assert_string_equal(wn_record_get(r, WN_F_ISBN, 0), "9781482253269");
    assert_string_equal(wn_record_get(r, WN_F_ISBN, 1), "0306450151");
    const char *issn[] = {"0021-9606", "2111-1112", "2777-777X", "1999-7777",
                          "0222-6666", "1234-5678", "2345-6789"};
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(wn_record_get(r, WN_F_ISSN, i), issn[i]);
    /* Neither an ISSN nor an ISBN: kept as written. */
    assert_string_equal(t_extra(t_rec(&p, 0), "SN"), "kmptns");
    assert_int_equal(wn_record_count(r, WN_F_EXTRA), 2);
    t_parsed_free(&p);
}

static void test_unknown_tags_are_extras(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "TY  - JOUR\nJP  - CRISPR\nJP  - Direct Current\nDC  - dc value\n"
              "X1  - wrapped\nunknown value\nN1  - Cited By: 4\nC7  - e12292\nY2  - 2019/03/28\n"
              "ER  - \n");
    assert_int_equal(p.rc, 0);
    const wn_record *r = p.recs[0];
    assert_string_equal(t_extra(t_rec(&p, 0), "JP"), "CRISPR");
    assert_string_equal(wn_record_get(r, WN_F_EXTRA, 1), "Direct Current");
    assert_string_equal(t_extra(t_rec(&p, 0), "DC"), "dc value");
    assert_string_equal(t_extra(t_rec(&p, 0), "X1"), "wrapped\nunknown value");
    assert_string_equal(t_extra(t_rec(&p, 0), "N1"), "Cited By: 4");
    assert_string_equal(t_extra(t_rec(&p, 0), "C7"), "e12292");
    assert_string_equal(t_extra(t_rec(&p, 0), "Y2"), "2019/03/28");
    t_parsed_free(&p);
}

static void test_titles_by_type(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "TY  - JOUR\nTI  - Article\nT2  - The Journal\nER  - \n"
              "TY  - CHAP\nTI  - Chapter\nT2  - The Book\nT3  - The Series\nER  - \n"
              "TY  - BOOK\nBT  - Whole Book\nT2  - Book Series\nER  - \n"
              "TY  - CHAP\nTI  - Part\nBT  - Host Book\nER  - \n"
              "TY  - JOUR\nJF  - Cancer Medicine\nJO  - Cancer Med.\nER  - \n"
              "TY  - JOUR\nJO  - PLoS ONE\nJF  - PLoS ONE\nER  - \n"
              "TY  - JOUR\nJF  - Neuropsychologia\nJO  - Neuropsychologia\n"
              "JA  - Neuropsychol\nER  - \n"
              "TY  - JOUR\nT2  - Translated title\nJO  - Real Journal\nJF  - Real Journal\n"
              "ER  - \n"
              "TY  - JOUR\nT2  - J Chem Phys\nJF  - J Chem Phys\nJO  - J. Chem. Phys.\nER  - \n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 9);
    t_assert_field(&p, 0, WN_F_JOURNAL, "The Journal");
    t_assert_field(&p, 1, WN_F_JOURNAL, "The Book");
    assert_string_equal(t_extra(t_rec(&p, 1), "T3"), "The Series");
    t_assert_field(&p, 2, WN_F_TITLE, "Whole Book");
    t_assert_field(&p, 2, WN_F_JOURNAL, NULL);
    assert_string_equal(t_extra(t_rec(&p, 2), "T2"), "Book Series");
    t_assert_field(&p, 3, WN_F_TITLE, "Part");
    t_assert_field(&p, 3, WN_F_JOURNAL, "Host Book");
    /* JO is an abbreviation when it differs from the journal before it. */
    t_assert_field(&p, 4, WN_F_JOURNAL, "Cancer Medicine");
    t_assert_field(&p, 4, WN_F_JOURNAL_ABBR, "Cancer Med.");
    t_assert_field(&p, 5, WN_F_JOURNAL, "PLoS ONE");
    t_assert_field(&p, 5, WN_F_JOURNAL_ABBR, NULL);
    t_assert_field(&p, 6, WN_F_JOURNAL_ABBR, "Neuropsychol");
    /* With JF or JO present, T2 is not the journal (EBSCO's translated title). */
    t_assert_field(&p, 7, WN_F_JOURNAL, "Real Journal");
    assert_string_equal(t_extra(t_rec(&p, 7), "T2"), "Translated title");
    t_assert_field(&p, 7, WN_F_JOURNAL_ABBR, NULL);
    t_assert_field(&p, 8, WN_F_JOURNAL, "J Chem Phys");
    assert_int_equal(wn_record_count(p.recs[8], WN_F_JOURNAL), 1);
    t_assert_field(&p, 8, WN_F_JOURNAL_ABBR, "J. Chem. Phys.");
    t_parsed_free(&p);
}

static void test_abstract_prefers_ab(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "TY  - JOUR\nN2  - notes abstract\nAB  - real abstract\nER  - \n"
              "TY  - JOUR\nN2  - only abstract\nER  - \n");
    assert_int_equal(p.rc, 0);
    t_assert_field(&p, 0, WN_F_ABSTRACT, "real abstract");
    assert_int_equal(wn_record_count(p.recs[0], WN_F_ABSTRACT), 1);
    assert_string_equal(t_extra(t_rec(&p, 0), "N2"), "notes abstract");
    t_assert_field(&p, 1, WN_F_ABSTRACT, "only abstract");
    t_parsed_free(&p);
}

static void test_pubmed_ids(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, /* PubMed via EndNote: AN is the PMID, C2 the PMCID */
              "TY  - JOUR\nID  - 895\nAN  - 29657938\nC2  - PMC5887696\nDP  - NLM\nER  - \n"
              /* Scopus: bare PMID in C2 */
              "TY  - JOUR\nC2  - 38580657\nDB  - Scopus\nER  - \n"
              /* Embase: bare PMID in C5 */
              "TY  - JOUR\nC5  - 15368318\nDB  - Embase\nER  - \n"
              /* labelled ones anywhere */
              "TY  - JOUR\nC2  - PMID:12345678\nU1  - 23690738[pmid]\nER  - \n"
              /* a bare number with no database saying so stays an extra */
              "TY  - JOUR\nC2  - 4242\nM1  - 1008150341\nER  - \n"
              /* the accession number is the source id when there is no ID */
              "TY  - JOUR\nAN  - WOS:000444108200009\nER  - \n"
              "TY  - JOUR\nID  - 12\nAN  - rayyan-1\nER  - \n"
              "TY  - JOUR\nPMID  - 33355555\nER  - \n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 8);
    t_assert_field(&p, 0, WN_F_PMID, "29657938");
    t_assert_field(&p, 0, WN_F_PMCID, "PMC5887696");
    t_assert_field(&p, 0, WN_F_SOURCE_ID, "895");
    assert_string_equal(t_extra(t_rec(&p, 0), "AN"), "29657938");
    assert_string_equal(t_tagged(t_rec(&p, 1), WN_F_PMID, "C2", 0), "38580657");
    assert_null(t_extra(t_rec(&p, 1), "C2"));
    assert_string_equal(t_tagged(t_rec(&p, 2), WN_F_PMID, "C5", 0), "15368318");
    assert_string_equal(t_tagged(t_rec(&p, 3), WN_F_PMID, "C2", 0), "12345678");
    assert_int_equal(wn_record_count(p.recs[3], WN_F_PMID), 1);
    /* Only one PMID per record: the second stays beside it. */
    assert_string_equal(t_extra(t_rec(&p, 3), "U1"), "23690738");
    t_assert_field(&p, 4, WN_F_PMID, NULL);
    assert_string_equal(t_extra(t_rec(&p, 4), "C2"), "4242");
    assert_string_equal(t_extra(t_rec(&p, 4), "M1"), "1008150341");
    assert_string_equal(t_tagged(t_rec(&p, 5), WN_F_SOURCE_ID, "AN", 0), "WOS:000444108200009");
    t_assert_field(&p, 6, WN_F_SOURCE_ID, "12");
    assert_string_equal(t_extra(t_rec(&p, 6), "AN"), "rayyan-1");
    assert_string_equal(t_tagged(t_rec(&p, 7), WN_F_PMID, "PMID", 0), "33355555");
    t_parsed_free(&p);
}

static void test_urls_and_dois(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "TY  - JOUR\n"
              "UR  - http://example.com; http://www.example.com\n"
              "UR  - http://a.example/x;jsessionid=1 https://b.example/y\n"
              "L2  - http://dx.doi.org/10.4103/2303-9027.138783\n"
              "L3  - 10.1371/journal.pone.0298242\n"
              "M3  - doi: whatever\n"
              "ER  - \n"
              "TY  - JOUR\nM3  - doi:10.1011/hea0004444\nCP  - 2nd World Congress\nER  - \n"
              "TY  - JOUR\nCP  - 4\nER  - \n");
    assert_int_equal(p.rc, 0);
    const wn_record *r = p.recs[0];
    const char *urls[] = {"http://example.com", "http://www.example.com",
                          "http://a.example/x;jsessionid=1", "https://b.example/y",
                          "http://dx.doi.org/10.4103/2303-9027.138783"};
    assert_int_equal(wn_record_count(r, WN_F_URL), 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(wn_record_get(r, WN_F_URL, i), urls[i]);
    assert_string_equal(t_tagged(t_rec(&p, 0), WN_F_DOI, "L3", 0), "10.1371/journal.pone.0298242");
    assert_string_equal(t_extra(t_rec(&p, 0), "M3"), "doi: whatever");
    t_assert_field(&p, 0, WN_F_PUBTYPE, NULL);
    assert_string_equal(t_tagged(t_rec(&p, 1), WN_F_DOI, "M3", 0), "10.1011/hea0004444");
    assert_string_equal(t_extra(t_rec(&p, 1), "CP"), "2nd World Congress");
    t_assert_field(&p, 1, WN_F_ISSUE, NULL);
    assert_string_equal(t_tagged(t_rec(&p, 2), WN_F_ISSUE, "CP", 0), "4");
    t_parsed_free(&p);
}

static void test_rayyan_joined_fields(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "TY  - JOUR\nAN  - rayyan-42924198\n"
              "SN  - [\"1932-8494\", \"1932-8486\"]\n"
              "UR  - https://example.org/r?id=L2030246463     U2  - L2030246463\n"
              "DO  - 10.1002/ar.25520     LK  - https://example.org/link\n"
              "ER  - \n"
              /* without the Rayyan id the same line is one value */
              "TY  - JOUR\nN1  - a     U2  - b\nER  - \n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n_warnings, 0);
    const wn_record *r = p.recs[0];
    t_assert_field(&p, 0, WN_F_SOURCE_ID, "rayyan-42924198");
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 2);
    assert_string_equal(wn_record_get(r, WN_F_ISSN, 0), "1932-8494");
    assert_string_equal(wn_record_get(r, WN_F_ISSN, 1), "1932-8486");
    assert_int_equal(wn_record_count(r, WN_F_URL), 2);
    assert_string_equal(wn_record_get(r, WN_F_URL, 0), "https://example.org/r?id=L2030246463");
    assert_string_equal(t_tagged(t_rec(&p, 0), WN_F_URL, "LK", 0), "https://example.org/link");
    assert_string_equal(t_extra(t_rec(&p, 0), "U2"), "L2030246463");
    t_assert_field(&p, 0, WN_F_DOI, "10.1002/ar.25520");
    assert_string_equal(t_extra(t_rec(&p, 1), "N1"), "a     U2  - b");
    t_parsed_free(&p);
}

static void test_lines_outside_records(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "Provider: Some Database\nContent: text/plain\n\n1.\nTY  - JOUR\nTI  - A\nER  - \n"
              "NL  - Trailing Tag\n\nTY  - JOUR\nTI  - B\nER  - \n\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.n_warnings, 2);
    assert_string_equal(p.warnings[0], "line 1: ignored 3 lines outside a record, starting "
                                       "'Provider: Some Database' (a record runs from 'TY  - ' "
                                       "to 'ER  - ')");
    assert_string_equal(p.warnings[1], "line 8: ignored 1 line outside a record, starting "
                                       "'NL  - Trailing Tag' (a record runs from 'TY  - ' to "
                                       "'ER  - ')");
    assert_null(t_extra(t_rec(&p, 0), "NL"));
    assert_null(t_extra(t_rec(&p, 1), "NL"));
    t_parsed_free(&p);
}

static void test_bom_between_concatenated_exports(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "\xEF\xBB\xBFTY  - JOUR\nTI  - A\nER  - \n\xEF\xBB\xBFTY  - JOUR\nTI  - B\nER  - \n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.n_warnings, 0);
    t_assert_field(&p, 1, WN_F_TITLE, "B");
    t_parsed_free(&p);
}

static void test_errors(void **state)
{
    (void)state;
    t_parsed p;
    PARSE(&p, "");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_string_equal(p.err.msg, "cannot parse 'input': no RIS records found (expected a "
                                   "line 'TY  - <type>')");
    t_parsed_free(&p);

    PARSE(&p, "\n  \n\t\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_string_equal(p.err.msg, "cannot parse 'input': no RIS records found (expected a "
                                   "line 'TY  - <type>')");
    t_parsed_free(&p);

    PARSE(&p, "\njust some text\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_string_equal(p.err.msg, "cannot parse 'input' line 2: no RIS records found "
                                   "(expected a line 'TY  - <type>')");
    t_parsed_free(&p);

    PARSE(&p, "\n\nT1  - A title\nAU  - Someone\nER  - \n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_int_equal(p.n, 0);
    assert_string_equal(p.err.msg,
                        "cannot parse 'input' line 3: tag line outside a record and no "
                        "'TY  - ' line in the file; a RIS record starts with 'TY  - <type>'");
    t_parsed_free(&p);
}

/* ---- detection ---------------------------------------------------------- */

static int ris_score(const char *text)
{
    return t_sniff("ris", text);
}

static void test_sniff(void **state)
{
    (void)state;
    const char *ris = "TY  - JOUR\nAU  - Doe, J\nTI  - T\nAB  - An abstract\nwrapped here\n"
                      "ER  - \n\nTY  - JOUR\nTI  - U\nER  - \n";
    assert_true(ris_score(ris) >= 80);
    /* A window from the end of a file: no TY, but an ER. */
    const char *tail = "wrapped abstract text\nKW  - one\nKW  - two\nDB  - Scopus\nER  - \n\n"
                       "TY  - JOUR\nTI  - Last\nER  - \n";
    assert_true(ris_score(tail) > 0);
    const char *tail_no_ty = "sion of the abstract\nKW  - one\nKW  - two\nDB  - Scopus\nER  - \n";
    assert_true(ris_score(tail_no_ty) >= 20);
    const char *medline = "PMID- 12345678\nOWN - NLM\nSTAT- MEDLINE\nDP  - 2019 Mar\n"
                          "TI  - A title.\nFAU - Doe, John\nAU  - Doe J\nAB  - Text\n"
                          "      more text\nLA  - eng\nPT  - Journal Article\n\n"
                          "PMID- 12345679\nOWN - NLM\nTI  - Other.\nAU  - Roe R\n";
    assert_int_equal(ris_score(medline), 0);
    const char *wos = "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Parkes-Loach, PS\n"
                      "   Majeed, AP\nTI Interactions stabilizing\nSO BIOCHEMISTRY\nER\n\nEF\n";
    assert_int_equal(ris_score(wos), 0);
    assert_int_equal(ris_score("@article{key,\n  title = {A - B},\n  year = 2019\n}\n"), 0);
    assert_int_equal(ris_score("title,author,year\n\"TY  - JOUR\",x,2019\n"), 0);
    assert_int_equal(ris_score("[{\"type\": \"article-journal\", \"title\": \"T\"}]\n"), 0);
    assert_int_equal(ris_score(""), 0);
}

static void test_detected_as_ris(void **state)
{
    (void)state;
    static const char text[] = "TY  - JOUR\nTI  - Detected\nER  - \n";
    t_parsed p;
    t_parse_text(&p, text, sizeof text - 1, NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    t_assert_field(&p, 0, WN_F_TITLE, "Detected");
    t_parsed_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_record),
        cmocka_unit_test(test_crlf_and_cr_only),
        cmocka_unit_test(test_origin_offsets),
        cmocka_unit_test(test_continuation_lines),
        cmocka_unit_test(test_er_inside_abstract),
        cmocka_unit_test(test_missing_final_er),
        cmocka_unit_test(test_ty_before_er),
        cmocka_unit_test(test_empty_tags_and_odd_spacing),
        cmocka_unit_test(test_repeated_authors_keep_order),
        cmocka_unit_test(test_page_ranges_in_sp),
        cmocka_unit_test(test_serial_numbers),
        cmocka_unit_test(test_unknown_tags_are_extras),
        cmocka_unit_test(test_titles_by_type),
        cmocka_unit_test(test_abstract_prefers_ab),
        cmocka_unit_test(test_pubmed_ids),
        cmocka_unit_test(test_urls_and_dois),
        cmocka_unit_test(test_rayyan_joined_fields),
        cmocka_unit_test(test_lines_outside_records),
        cmocka_unit_test(test_bom_between_concatenated_exports),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_detected_as_ris),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
