/* The Web of Science readers: plain text ("PT J" ... "ER") and
 * tab-delimited, one rule at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void parse(t_parsed *out, const char *text)
{
    t_parse_str(out, text, "wos");
}

static void parse_tab(t_parsed *out, const char *text)
{
    t_parse_str(out, text, "wos-tab");
}

/* ---- plain text ------------------------------------------------------------ */

static void test_text_continuations_join_with_a_space(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "FN Clarivate Analytics Web of Science\n"
              "VR 1.0\n"
              "PT J\n"
              "TI Experiments in phenomenological electrodynamics and the\n"
              "   electromagnetic energy-momentum tensor\n"
              "SO PHYSICS REPORTS-REVIEW SECTION OF\n"
              "   PHYSICS LETTERS\n"
              "AB First part of the abstract\n"
              "   and its second line.\n"
              "RP Doe, J (reprint author), Univ X,\n"
              "   Country.\n"
              "ER\n"
              "\n"
              "EF\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_TITLE),
                        "Experiments in phenomenological electrodynamics and the "
                        "electromagnetic energy-momentum tensor");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL),
                        "PHYSICS REPORTS-REVIEW SECTION OF PHYSICS LETTERS");
    assert_string_equal(wn_record_first(r, WN_F_ABSTRACT),
                        "First part of the abstract and its second line.");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "RP", 0),
                        "Doe, J (reprint author), Univ X, Country.");
    assert_int_equal(p.n_warnings, 0);
    t_parsed_free(&p);
}

static void test_full_names_make_short_names_extras(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PT J\n"
              "AU Marigomez, I\n"
              "   Garmendia, L\n"
              "AF Marigomez, Ionan\n"
              "   Garmendia, Larraitz\n"
              "TI With full names\n"
              "ER\n"
              "PT J\n"
              "AU Gamernyk, RV\n"
              "   Gnatenko, YP\n"
              "TI Short names only\n"
              "ER\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    const wn_record *r = p.recs[0];
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Marigomez, Ionan");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Garmendia, Larraitz");
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "AU"), 2);
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "AU", 1), "Garmendia, L");
    r = p.recs[1];
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(t_tagged(r, WN_F_AUTHOR, "AU", 1), "Gnatenko, YP");
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "AU"), 0);
    t_parsed_free(&p);
}

static void test_full_names_win_whatever_their_order(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PT J\nAF Doe, Jane\nAU Doe, J\nCA The Study Group\nER\n");
    assert_int_equal(p.rc, 0);
    const wn_record *r = p.recs[0];
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Doe, Jane");
    /* A group author is an author as written. */
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "The Study Group");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "AU", 0), "Doe, J");
    t_parsed_free(&p);
}

static void test_anonymous_is_no_author(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PT J\nAU [Anonymous]\nTI Meeting abstracts\nER\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(wn_record_count(p.recs[0], WN_F_AUTHOR), 0);
    assert_string_equal(t_tagged(p.recs[0], WN_F_EXTRA, "AU", 0), "[Anonymous]");
    t_parsed_free(&p);
}

static void test_every_reference_and_address_line_is_kept(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PT J\n"
              "C1 [Doe, J; Roe, R] Univ X, Dept Y, City, Country.\n"
              "   Univ Z, Town, Country.\n"
              "CR Abraham M., 1909, RC CIRC MAT PALERMO, V28, P1\n"
              "   ALLEN PJ, 1966, AM J PHYS, V34, P1185, DOI 10.1119/1.1972585\n"
              "   BREVIK I, 1970, MAT FYS MEDD DAN VID, V37\n"
              "NR 3\n"
              "ER\n");
    assert_int_equal(p.rc, 0);
    const wn_record *r = p.recs[0];
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "CR"), 3);
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "CR", 1),
                        "ALLEN PJ, 1966, AM J PHYS, V34, P1185, DOI 10.1119/1.1972585");
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "C1"), 2);
    /* The names in brackets stay with their address. */
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "C1", 0),
                        "[Doe, J; Roe, R] Univ X, Dept Y, City, Country.");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "NR", 0), "3");
    /* A DOI inside a cited reference is not the record's DOI. */
    assert_null(wn_record_first(r, WN_F_DOI));
    t_parsed_free(&p);
}

static void test_keywords_wrap_then_split(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PT J\n"
              "DE Ecosystem health assessment; Mussels; Integrative\n"
              "   indices; Biomarkers\n"
              "ID TISSUE-LEVEL BIOMARKERS; MYTILUS-EDULIS\n"
              "DT Article; Proceedings Paper\n"
              "ER\n");
    assert_int_equal(p.rc, 0);
    const wn_record *r = p.recs[0];
    assert_int_equal(t_count_tagged(r, WN_F_KEYWORD, "DE"), 4);
    assert_string_equal(t_tagged(r, WN_F_KEYWORD, "DE", 2), "Integrative indices");
    assert_int_equal(t_count_tagged(r, WN_F_KEYWORD, "ID"), 2);
    assert_string_equal(t_tagged(r, WN_F_KEYWORD, "ID", 1), "MYTILUS-EDULIS");
    assert_int_equal(wn_record_count(r, WN_F_PUBTYPE), 2);
    assert_string_equal(wn_record_get(r, WN_F_PUBTYPE, 1), "Proceedings Paper");
    t_parsed_free(&p);
}

static void test_fields_and_identifiers(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PT J\n"
              "SO JOURNAL OF PHYSICS-CONDENSED MATTER\n"
              "LA English\n"
              "PU IOP PUBLISHING LTD\n"
              "SN 0953-8984\n"
              "EI 1361-648X\n"
              "BN 978-3-16-148410-0\n"
              "J9 J PHYS-CONDENS MATTER\n"
              "JI J. Phys.-Condes. Matter\n"
              "PD JUN 14\n"
              "PY 2006\n"
              "VL 18\n"
              "IS 23\n"
              "BP 5323\n"
              "EP 5331\n"
              "DI 10.1088/0953-8984/18/23/007\n"
              "PM 15170338\n"
              "UT ISI:000238592600006\n"
              "ZZ an unknown tag\n"
              "ER\n");
    assert_int_equal(p.rc, 0);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_LANGUAGE), "English");
    assert_string_equal(wn_record_first(r, WN_F_PUBLISHER), "IOP PUBLISHING LTD");
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 2);
    assert_string_equal(wn_record_get(r, WN_F_ISSN, 1), "1361-648X");
    assert_int_equal(wn_record_count(r, WN_F_ISBN), 1);
    /* JI is the abbreviation; J9 stays beside it. */
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL_ABBR), "J. Phys.-Condes. Matter");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "J9", 0), "J PHYS-CONDENS MATTER");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "JUN 14");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2006");
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "18");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "23");
    assert_string_equal(wn_record_first(r, WN_F_START_PAGE), "5323");
    assert_string_equal(wn_record_first(r, WN_F_END_PAGE), "5331");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "5323-5331");
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.1088/0953-8984/18/23/007");
    assert_string_equal(wn_record_first(r, WN_F_PMID), "15170338");
    assert_string_equal(wn_record_first(r, WN_F_SOURCE_ID), "ISI:000238592600006");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "ZZ", 0), "an unknown tag");
    t_parsed_free(&p);
}

static void test_j9_and_article_number_fill_in(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PT J\nJ9 CR ACAD SCI B PHYS\nAR UNSP 1722034\nER\n"
              "PT J\nAR e0209483\nER\n"
              "PT J\nBP 12\nEP 19\nAR 42\nER\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 3);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL_ABBR), "CR ACAD SCI B PHYS");
    /* "UNSP" marks the number as unspecified; the mark stays an extra. */
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "1722034");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "AR", 0), "UNSP 1722034");
    assert_string_equal(wn_record_first(p.recs[1], WN_F_PAGES), "e0209483");
    assert_string_equal(wn_record_first(p.recs[1], WN_F_START_PAGE), "e0209483");
    /* With a beginning page the article number is an extra. */
    assert_string_equal(wn_record_first(p.recs[2], WN_F_PAGES), "12-19");
    assert_string_equal(t_tagged(p.recs[2], WN_F_EXTRA, "AR", 0), "42");
    t_parsed_free(&p);
}

static void test_publication_types(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PT J\nTI a\nER\nPT B\nTI b\nER\nPT S\nTI c\nER\nPT P\nTI d\nER\n"
              "PT C\nTI e\nER\nPT X\nTI f\nER\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 6);
    const char *want[] = {"article", "book", "book", "patent", "conference", NULL};
    const char *raw[] = {"J", "B", "S", "P", "C", "X"};
    for (size_t i = 0; i < 6; i++) {
        t_assert_field(&p, i, WN_F_TYPE_RAW, raw[i]);
        t_assert_field(&p, i, WN_F_TYPE, want[i]);
    }
    t_parsed_free(&p);
}

static void test_missing_er_is_a_warning(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PT J\nTI First\nPT J\nTI Second\nER\nPT J\nTI Third\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 3);
    assert_int_equal(p.n_warnings, 2);
    assert_true(t_has_warning(&p, "line 3: record started at line 1 has no 'ER' line"));
    assert_true(t_has_warning(&p, "record started at line 6 has no 'ER' line at the end"));
    assert_string_equal(wn_record_first(p.recs[0], WN_F_TITLE), "First");
    assert_string_equal(wn_record_first(p.recs[2], WN_F_TITLE), "Third");
    /* The first record ends before the PT that interrupts it. */
    assert_int_equal(wn_record_origin_c(p.recs[0])->length, strlen("PT J\nTI First\n"));
    t_parsed_free(&p);
}

static void test_ef_before_er_is_a_warning(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PT J\nTI Cut\nEF\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_true(t_has_warning(&p, "has no 'ER' line; it ends where 'EF' begins"));
    t_parsed_free(&p);
}

static void test_record_without_pt_is_an_error(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI One\nER\n\n"
              "AU Doe, J\nTI Two\nER\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "line 7"));
    assert_non_null(strstr(p.err.msg, "'AU' line outside a record"));
    t_parsed_free(&p);

    parse(&p, "AU Doe, J\nER\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "line 1"));
    t_parsed_free(&p);
}

static void test_no_records_is_an_error(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "FN Clarivate Analytics Web of Science\nVR 1.0\nEF\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "no Web of Science records"));
    t_parsed_free(&p);
    /* A RIS file read as Web of Science text: its lines are not tags. */
    parse(&p, "TY  - JOUR\nTI  - x\nER  - \n");
    assert_int_equal(p.rc, WN_EPARSE);
    t_parsed_free(&p);
}

static void test_stray_and_unindented_lines_are_warnings(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "Exported 2020-01-01\n"
              "PT J\n"
              "TI A title\n"
              "wrapped without indent\n"
              "ER\n"
              "ER\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_TITLE),
                        "A title wrapped without indent");
    assert_true(t_has_warning(&p, "line 1: ignored 1 line outside a record"));
    assert_true(t_has_warning(&p, "line 4: line is neither 'XX value' nor indented"));
    assert_true(t_has_warning(&p, "line 6: ignored 1 line outside a record"));
    assert_int_equal(p.n_warnings, 3);
    t_parsed_free(&p);
}

static void test_line_ends_and_concatenated_exports(void **state)
{
    (void)state;
    const char *lf = "FN Thomson Reuters Web of Science\nVR 1.0\nPT J\nAU Doe, J\n   Roe, R\n"
                     "TI A wrapped\n   title\nER\n\nEF\nFN Thomson Reuters Web of Science\n"
                     "VR 1.0\nPT B\nTI Second\nER\n\nEF\n";
    char crlf[512], cr[512];
    size_t k = 0, m = 0;
    for (const char *s = lf; *s; s++) {
        if (*s == '\n') {
            crlf[k++] = '\r';
            cr[m++] = '\r';
            crlf[k++] = '\n';
        } else {
            crlf[k++] = *s;
            cr[m++] = *s;
        }
    }
    crlf[k] = cr[m] = '\0';
    const char *inputs[] = {lf, crlf, cr};
    for (size_t i = 0; i < 3; i++) {
        t_parsed p;
        parse(&p, inputs[i]);
        assert_int_equal(p.rc, 0);
        assert_int_equal(p.n, 2);
        assert_int_equal(p.n_warnings, 0);
        assert_string_equal(wn_record_first(p.recs[0], WN_F_TITLE), "A wrapped title");
        assert_int_equal(wn_record_count(p.recs[0], WN_F_AUTHOR), 2);
        assert_string_equal(wn_record_first(p.recs[1], WN_F_TYPE), "book");
        const wn_origin *o = wn_record_origin_c(p.recs[1]);
        assert_int_equal(o->line, 13);
        const char *second = strstr(inputs[i], "PT B");
        assert_int_equal(o->offset, (size_t)(second - inputs[i]));
        /* Up to and including the ER line's end. */
        assert_int_equal(o->length, (size_t)(strstr(second, "ER") + 2 - second) + (i == 1 ? 2 : 1));
        t_parsed_free(&p);
    }
}

static void test_detected_from_content(void **state)
{
    (void)state;
    const char *text = "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Doe, J\n"
                       "TI Title\nER\n\nEF\n";
    t_parsed p;
    t_parse_text(&p, text, strlen(text), NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_AUTHOR), "Doe, J");
    t_parsed_free(&p);
}

static void test_sniff_plain_text(void **state)
{
    (void)state;
    assert_true(t_sniff("wos", "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI x\n") >=
                90);
    assert_true(t_sniff("wos", "PT J\nAU Doe, J\nTI x\nER\n") >= 90);
    /* A window inside a long record: continuation lines, ER and EF. */
    assert_true(t_sniff("wos", "   BREVIK I, 1970, MAT FYS MEDD DAN VID, V37\n"
                             "   CARRARA N, 1949, NATURE, V164, P882\n"
                             "   GORDON JP, 1973, PHYS REV A, V8, P14\n"
                             "NR 7\nTC 0\nPY 1974\nER\n\nEF\n") > 0);
    assert_int_equal(t_sniff("wos", "TY  - JOUR\nAU  - Doe, J\nTI  - x\nER  - \n"), 0);
    assert_int_equal(t_sniff("wos", "PMID- 123\nTI  - x\n      more\nAU  - Doe J\n"), 0);
    assert_int_equal(t_sniff("wos", "@article{k,\n  title = {x}\n}\n"), 0);
    assert_int_equal(t_sniff("wos", "title,author\nx,y\n"), 0);
    assert_int_equal(t_sniff("wos", ""), 0);
}

/* ---- tab-delimited ------------------------------------------------------- */

static void test_tab_rows_and_lists(void **state)
{
    (void)state;
    t_parsed p;
    parse_tab(&p, "PT\tAU\tAF\tTI\tSO\tDE\tC1\tCR\tBN\tPY\tBP\tEP\tAR\tJ9\tUT\r\n"
                  "J\tDoe, J; Roe, R\tDoe, Jane; Roe, Rita\tA title\tA JOURNAL\tone; two\t"
                  "[Doe, J; Roe, R] Univ X, City; [Roe, R] Univ Y, Town\t"
                  "SMITH J, 1990, NATURE, V1, P2; JONES K, 1991, SCIENCE\t"
                  "979-8-3503-7025-6; 979-8-3503-7026-3\t2020\t\t\t2300058\tJ ABBR\t"
                  "WOS:000001\r\n"
                  "C\tLee, K\t\tSecond\t\t\t\t\t\t2021\t97\t109\t\t\tWOS:000002\r\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.n_warnings, 0);
    const wn_record *r = p.recs[0];
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Roe, Rita");
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "AU"), 2);
    assert_int_equal(t_count_tagged(r, WN_F_KEYWORD, "DE"), 2);
    /* "; " inside the brackets does not split an address. */
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "C1"), 2);
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "C1", 1), "[Roe, R] Univ Y, Town");
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "CR"), 2);
    assert_int_equal(wn_record_count(r, WN_F_ISBN), 2);
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "2300058");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL_ABBR), "J ABBR");
    assert_string_equal(wn_record_first(r, WN_F_SOURCE_ID), "WOS:000001");
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "article");
    r = p.recs[1];
    assert_string_equal(wn_record_first(r, WN_F_AUTHOR), "Lee, K");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "97-109");
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "conference");
    const wn_origin *o = wn_record_origin_c(r);
    assert_int_equal(o->line, 3);
    assert_int_equal(o->position, 2);
    t_parsed_free(&p);
}

static void test_tab_quotes_are_text(void **state)
{
    (void)state;
    t_parsed p;
    /* A quote opening a cell would start a multi-line quoted cell in CSV;
     * here it is a character like any other. */
    parse_tab(&p, "PT\tTI\tAB\tUT\n"
                  "J\t\"Smart\" homes\tAn \"open\n"
                  "J\tSecond\tx\"y\tWOS:2\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_TITLE), "\"Smart\" homes");
    assert_string_equal(wn_record_first(p.recs[0], WN_F_ABSTRACT), "An \"open");
    assert_string_equal(wn_record_first(p.recs[1], WN_F_TITLE), "Second");
    assert_string_equal(wn_record_first(p.recs[1], WN_F_ABSTRACT), "x\"y");
    /* The first row has three cells of four: a warning, not an error. */
    assert_int_equal(p.n_warnings, 1);
    assert_true(t_has_warning(&p, "line 2: row has 3 cells, the header 4"));
    t_parsed_free(&p);
}

static void test_tab_extra_cells(void **state)
{
    (void)state;
    t_parsed p;
    /* Old exports end every line with a tab: empty extra cells are fine. */
    parse_tab(&p, "PT\tTI\t\nJ\tOne\t\nJ\tTwo\t\t\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.n_warnings, 0);
    t_parsed_free(&p);
    parse_tab(&p, "PT\tTI\nJ\tOne\nJ\tTwo\tsurplus\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "line 3"));
    assert_non_null(strstr(p.err.msg, "header names only 2 columns"));
    t_parsed_free(&p);
}

static void test_tab_header_errors(void **state)
{
    (void)state;
    t_parsed p;
    parse_tab(&p, "PT\tAuthors\tTI\nJ\tx\ty\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "line 1"));
    assert_non_null(strstr(p.err.msg, "header cell 2 'Authors' is not a Web of Science field tag"));
    t_parsed_free(&p);
    parse_tab(&p, "AU\tTI\nDoe, J\ty\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "including PT"));
    t_parsed_free(&p);
    parse_tab(&p, "PT\t\tTI\nJ\tx\ty\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "header cell 2 is empty"));
    t_parsed_free(&p);
    parse_tab(&p, "PT\tAU\tTI\r\n\r\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "a header row but no records"));
    t_parsed_free(&p);
    parse_tab(&p, "");
    assert_int_equal(p.rc, WN_EPARSE);
    t_parsed_free(&p);
}

static void test_tab_empty_row_is_skipped(void **state)
{
    (void)state;
    t_parsed p;
    /* A row of empty cells is a blank line, not a record. */
    parse_tab(&p, "PT\tTI\nJ\tOne\n\t\nJ\tTwo\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.n_warnings, 0);
    assert_int_equal(wn_record_origin_c(p.recs[1])->line, 4);
    t_parsed_free(&p);
}

static void test_tab_detected_before_csv(void **state)
{
    (void)state;
    /* The decoder drops the BOM; detection must choose this reader over
     * the CSV one that also reads tab-separated text. */
    const char *text = "\xEF\xBB\xBFPT\tAU\tTI\tSO\tPY\tUT\r\n"
                       "J\tDoe, J; Roe, R\tA title\tA JOURNAL\t2020\tWOS:1\r\n";
    t_parsed p;
    t_parse_text(&p, text, strlen(text), NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_int_equal(wn_record_count(p.recs[0], WN_F_AUTHOR), 2);
    t_parsed_free(&p);
}

static void test_sniff_tab(void **state)
{
    (void)state;
    assert_int_equal(t_sniff("wos-tab", "PT\tAU\tBA\tTI\tSO\r\nJ\tDoe, J\t\tx\ty\r\n"), 100);
    assert_int_equal(t_sniff("wos-tab", "PT\tTI\tSO\nJ\tx\ty\n"), 100);
    /* Tags without PT, a CSV header, tab-separated words. */
    assert_int_equal(t_sniff("wos-tab", "AU\tTI\tSO\nx\ty\tz\n"), 0);
    assert_int_equal(t_sniff("wos-tab", "PT,AU,TI\nJ,x,y\n"), 0);
    assert_int_equal(t_sniff("wos-tab", "title\tauthor\tyear\nx\ty\t2020\n"), 0);
    assert_int_equal(t_sniff("wos-tab", "PT J\nAU Doe, J\nER\n"), 0);
    /* A window from the middle: rows of one width, each starting with a
     * type code. */
    char tail[2048] = "";
    for (int i = 0; i < 6; i++)
        strcat(tail, i % 2 ? "J\ta\tb\tc\td\te\tf\tg\th\ti\tj\tk\r\n"
                           : "C\t\t\t\t\t\t\t\t\t\t\tWOS:1\r\n");
    assert_true(t_sniff("wos-tab", tail) > 0);
    assert_int_equal(t_sniff("wos", tail), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_continuations_join_with_a_space),
        cmocka_unit_test(test_full_names_make_short_names_extras),
        cmocka_unit_test(test_full_names_win_whatever_their_order),
        cmocka_unit_test(test_anonymous_is_no_author),
        cmocka_unit_test(test_every_reference_and_address_line_is_kept),
        cmocka_unit_test(test_keywords_wrap_then_split),
        cmocka_unit_test(test_fields_and_identifiers),
        cmocka_unit_test(test_j9_and_article_number_fill_in),
        cmocka_unit_test(test_publication_types),
        cmocka_unit_test(test_missing_er_is_a_warning),
        cmocka_unit_test(test_ef_before_er_is_a_warning),
        cmocka_unit_test(test_record_without_pt_is_an_error),
        cmocka_unit_test(test_no_records_is_an_error),
        cmocka_unit_test(test_stray_and_unindented_lines_are_warnings),
        cmocka_unit_test(test_line_ends_and_concatenated_exports),
        cmocka_unit_test(test_detected_from_content),
        cmocka_unit_test(test_sniff_plain_text),
        cmocka_unit_test(test_tab_rows_and_lists),
        cmocka_unit_test(test_tab_quotes_are_text),
        cmocka_unit_test(test_tab_extra_cells),
        cmocka_unit_test(test_tab_header_errors),
        cmocka_unit_test(test_tab_empty_row_is_skipped),
        cmocka_unit_test(test_tab_detected_before_csv),
        cmocka_unit_test(test_sniff_tab),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
