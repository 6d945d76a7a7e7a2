/* The CSV reader: RFC 4180 cells, delimiters, header names, real exports,
 * and the sniffer's refusal of other formats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "import/parser.h"

static void parse(t_parsed *out, const char *text)
{
    t_parse_str(out, text, "csv");
}

static void test_quoted_cells_span_lines_and_double_quotes(void **state)
{
    (void)state;
    const char *text = "Title,Abstract,Year\r\n"
                       "\"A \"\"quoted\"\" title, with comma\",\"Line one\r\nline two\",2001\r\n"
                       "Plain,\"x\",2002\r\n";
    t_parsed p;
    parse(&p, text);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    t_assert_field(&p, 0, WN_F_TITLE, "A \"quoted\" title, with comma");
    /* The normalizer folds the line break of the abstract. */
    t_assert_field(&p, 0, WN_F_ABSTRACT, "Line one line two");
    t_assert_field(&p, 0, WN_F_YEAR, "2001");
    assert_int_equal(wn_record_origin_c(p.recs[0])->line, 2);
    /* The second row starts on line 4, after the cell that spans lines. */
    const char *second = strstr(text, "Plain");
    assert_int_equal(wn_record_origin_c(p.recs[1])->line, 4);
    assert_int_equal(wn_record_origin_c(p.recs[1])->offset, (size_t)(second - text));
    assert_int_equal(wn_record_origin_c(p.recs[1])->length, strlen(second));
    assert_int_equal(p.n_warnings, 0);
    t_parsed_free(&p);
}

static void test_cr_only_line_ends(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "title,year\r\"Two\rlines\",1999\rLast,2000");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    t_assert_field(&p, 0, WN_F_TITLE, "Two lines");
    t_assert_field(&p, 1, WN_F_TITLE, "Last");
    assert_int_equal(wn_record_origin_c(p.recs[1])->line, 4);
    t_parsed_free(&p);
}

static void test_semicolon_and_tab_delimiters(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "title;year;doi\n\"One, two\";2010;10.1000/abc\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    t_assert_field(&p, 0, WN_F_TITLE, "One, two");
    t_assert_field(&p, 0, WN_F_DOI, "10.1000/abc");
    t_parsed_free(&p);

    parse(&p, "Title\tPublication Year\tVolume\nTabbed; title, here\t2011\t7\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    t_assert_field(&p, 0, WN_F_TITLE, "Tabbed; title, here");
    t_assert_field(&p, 0, WN_F_YEAR, "2011");
    t_assert_field(&p, 0, WN_F_VOLUME, "7");
    t_parsed_free(&p);
}

static void test_header_names_ignore_case_and_unknown_columns_are_extras(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "TITLE,source title,Pubmed ID,Cited by, Notes \n"
              "T,Journal of X,123,45,remember\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "T");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Journal of X");
    assert_string_equal(wn_record_first(r, WN_F_PMID), "123");
    assert_string_equal(t_extra(r, "Cited by"), "45");
    /* The header is trimmed before it becomes a tag. */
    assert_string_equal(t_extra(r, "Notes"), "remember");
    t_parsed_free(&p);
}

static void test_header_with_no_known_column_fails_on_line_1(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "alpha,beta,gamma\n1,2,3\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "'input' line 1"));
    assert_non_null(strstr(p.err.msg, "header matches no CSV profile"));
    assert_non_null(strstr(p.err.msg, "--map"));
    assert_non_null(strstr(p.err.msg, "'alpha'"));
    t_parsed_free(&p);
}

static void test_row_with_too_many_cells_fails_with_its_line(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "title,year\nA,2001\n\"B\nwrapped\",2002,surplus\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "line 3:"));
    assert_non_null(strstr(p.err.msg, "3 cells"));
    assert_int_equal(p.n, 1);
    t_parsed_free(&p);
}

static void test_row_with_too_few_cells_warns(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "title,year,doi\nShort,2001\n\nFull,2002,10.1000/x\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    t_assert_warned(&p, "line 2: row has 2 cells but the header has 3");
    t_assert_field(&p, 0, WN_F_YEAR, "2001");
    t_assert_field(&p, 0, WN_F_DOI, NULL);
    t_parsed_free(&p);
}

static void test_unclosed_quote_fails_naming_its_line(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "title,year\nA,2001\n\"never closed,2002\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "line 3:"));
    assert_non_null(strstr(p.err.msg, "never closed"));
    t_parsed_free(&p);
}

static void test_author_lists_as_tools_write_them(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "authors\n"
              "\"Griffin DK, Larkin DM, O'Connor RE.\"\n"
              "\"Barrett, Paul M; Willis, Katherine J; \"\n"
              "\"Smith, John Paul\"\n"
              "\"Zuber, J and Le Quintrec, M\"\n"
              "\"Joseph Rottman, Erran Carmel\"\n"
              "World Health Organization\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 6);
    assert_int_equal(wn_record_count(p.recs[0], WN_F_AUTHOR), 3);
    assert_string_equal(wn_record_get(p.recs[0], WN_F_AUTHOR, 0), "Griffin, DK");
    assert_string_equal(wn_record_get(p.recs[0], WN_F_AUTHOR, 2), "O'Connor, RE");
    assert_int_equal(wn_record_count(p.recs[1], WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(p.recs[1], WN_F_AUTHOR, 1), "Willis, Katherine J");
    assert_int_equal(wn_record_count(p.recs[2], WN_F_AUTHOR), 1);
    t_assert_field(&p, 2, WN_F_AUTHOR, "Smith, John Paul");
    assert_int_equal(wn_record_count(p.recs[3], WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(p.recs[3], WN_F_AUTHOR, 1), "Le Quintrec, M");
    assert_int_equal(wn_record_count(p.recs[4], WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(p.recs[4], WN_F_AUTHOR, 1), "Erran Carmel");
    t_assert_field(&p, 5, WN_F_AUTHOR, "World Health Organization");
    t_parsed_free(&p);
}

/* The header winnow's own export writes, in field order. */
static void own_header(char *out, size_t size)
{
    size_t n = 0;
    for (int f = 0; f < WN_F_COUNT; f++)
        n += (size_t)snprintf(out + n, size - n, "%s%s", f ? "," : "", wn_field_name((wn_field)f));
}

static void test_own_export_cells_decode_lists_and_extras(void **state)
{
    (void)state;
    char header[1024], text[4096];
    own_header(header, sizeof header);
    /* Cells by column: authors (3), keywords (19), extra (25). */
    char row[2048] = "";
    size_t n = 0;
    for (int f = 0; f < WN_F_COUNT; f++) {
        const char *cell = "";
        if (f == WN_F_AUTHOR)
            cell = "\"Smith, John\nDoe, Jane\"";
        else if (f == WN_F_KEYWORD)
            cell = "\"[\"\"[bracketed]\"\",\"\"two\\nlines\"\"]\"";
        else if (f == WN_F_TITLE)
            cell = "\"[A translated title]\"";
        else if (f == WN_F_EXTRA)
            cell = "\"[[\"\"N1\"\",\"\"a\\nb\"\"],[\"\"x=y\"\",\"\"z\"\"]]\"";
        n += (size_t)snprintf(row + n, sizeof row - n, "%s%s", f ? "," : "", cell);
    }
    snprintf(text, sizeof text, "%s\r\n%s\r\n", header, row);
    t_parsed p;
    parse(&p, text);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    const wn_record *r = p.recs[0];
    /* "Smith, John" stays one author: the export separates them by LF. */
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Smith, John");
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "[A translated title]");
    assert_int_equal(wn_record_count(r, WN_F_KEYWORD), 2);
    assert_string_equal(wn_record_get(r, WN_F_KEYWORD, 0), "[bracketed]");
    assert_string_equal(t_extra(r, "N1"), "a\nb");
    assert_string_equal(t_extra(r, "x=y"), "z");
    t_parsed_free(&p);
}

static void test_corpus_google_scholar(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/citation-file-formatting/CSV/_baseline_googlescholar.csv");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 10);
    const wn_record *r = p.recs[0];
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Barrett, Paul M");
    assert_string_equal(wn_record_first(r, WN_F_TITLE),
                        "Did dinosaurs invent flowers? Dinosaur\xE2\x80\x93" "angiosperm "
                        "coevolution revisited");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Biological Reviews");
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "76");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "3");
    assert_string_equal(wn_record_first(r, WN_F_START_PAGE), "411");
    assert_string_equal(wn_record_first(r, WN_F_END_PAGE), "447");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2001");
    assert_string_equal(wn_record_first(r, WN_F_PUBLISHER), "Cambridge University Press");
    assert_int_equal(t_count_with(&p, WN_F_TITLE), 10);
    assert_int_equal(t_count_with(&p, WN_F_YEAR), 10);
    t_parsed_free(&p);
}

static void test_corpus_pubmed(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/citation-file-formatting/CSV/_baseline_pubmed.csv");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 10);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_PMID), "30922926");
    assert_string_equal(wn_record_first(r, WN_F_TITLE),
                        "Time lapse: A glimpse into prehistoric genomics");
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 3);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Larkin, DM");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Eur J Med Genet");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2020");
    assert_string_equal(wn_record_first(r, WN_F_PMCID), "PMC7026692");
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.1016/j.ejmg.2019.03.004");
    assert_string_equal(t_extra(r, "Create Date"), "2019/03/30");
    assert_string_equal(t_extra(r, "First Author"), "Griffin DK");
    /* Empty cells (NIHMS ID) add nothing. */
    assert_null(t_extra(r, "NIHMS ID"));
    /* Eleven authors, accented, in the second row. */
    assert_int_equal(wn_record_count(p.recs[1], WN_F_AUTHOR), 11);
    assert_string_equal(wn_record_get(p.recs[1], WN_F_AUTHOR, 0), "Pe\xC3\xB1" "alver, E");
    assert_int_equal(t_count_with(&p, WN_F_PMID), 10);
    t_parsed_free(&p);
}

static void test_corpus_colrev_pubmed(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/colrev/pubmed_csv.csv");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 1);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_PMID), "11223344");
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "Paper title");
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Walter, B");
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.1111/nature1111");
    assert_int_equal(wn_record_origin_c(r)->line, 2);
    t_parsed_free(&p);
}

static void test_semicolon_corpus_file(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/asreview/generic_semicolon.csv");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 2);
    assert_int_equal(t_count_with(&p, WN_F_TITLE), 2);
    t_parsed_free(&p);
}

/* The last 64 KiB of text from a line start, as detection looks at it. */
static void tail(const char *text, size_t len, const char **w, size_t *wlen)
{
    size_t start = len > 65536 ? len - 65536 : 0;
    if (start) {
        const char *nl = memchr(text + start, '\n', len - start);
        start = nl ? (size_t)(nl - text) + 1 : start;
    }
    *w = text + start;
    *wlen = len - start;
}

static void test_sniffer_never_takes_other_formats(void **state)
{
    (void)state;
    static const char *const others[] = {
        "formats/reflib/blue-light.ris",
        "formats/ASySD/zotero_export.ris",
        "formats/citation-file-formatting/RIS/_baseline_pubmed.ris",
        "formats/revtools/restoration_pubmed.nbib",
        "formats/synthesisr/PubMed_example.txt",
        "formats/ASySD/zotero_export.bib",
        "formats/synthesisr/Scopus_bib_example.bib",
        "formats/citation-js/bibtex-input.bib",
        "formats/citation-js/bibtex-csl.json",
        "formats/openalex/result_61.json",
        "formats/rispy/example_multiline.ris",
    };
    const wn_format *csv = wn_format_find("csv");
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        T_NEED_CORPUS(path, others[i]);
        t_decoded_file in;
        t_decode_file(&in, path);
        if (wn_format_sniff(csv, in.d.text, in.d.len) != 0)
            fail_msg("csv sniffer claims %s", others[i]);
        const char *w;
        size_t wlen;
        tail(in.d.text, in.d.len, &w, &wlen);
        if (csv->sniff(w, wlen) != 0)
            fail_msg("csv sniffer claims the end of %s", others[i]);
        t_decoded_file_free(&in);
    }
}

static void test_sniffer_takes_csv_exports(void **state)
{
    (void)state;
    static const char *const files[] = {
        "formats/citation-file-formatting/CSV/_baseline_pubmed.csv",
        "formats/citation-file-formatting/CSV/_baseline_scopus.csv",
        "formats/citation-file-formatting/CSV/_baseline_googlescholar.csv",
        "formats/litstudy/scopus.csv",
        "formats/asreview/generic_semicolon.csv",
        "formats/colrev/pubmed_csv.csv",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        T_NEED_CORPUS(path, files[i]);
        t_decoded_file in;
        t_decode_file(&in, path);
        wn_err err;
        wn_detection det;
        if (wn_format_detect(path, in.d.text, in.d.len, &det, &err) != 0)
            fail_msg("%s not detected: %s", files[i], err.msg);
        assert_string_equal(wn_format_name(det.format), "csv");
        t_decoded_file_free(&in);
    }
}

/* ---- profiles, preambles and --map ------------------------------------ */

static void parse_mapped(t_parsed *out, const char *text, const char *map)
{
    t_parse_text_mapped(out, text, strlen(text), "csv", map);
}

/* The "why" of a CSV names the database whose header it has. */
static void explain(const char *text, char *out, size_t size)
{
    wn_csv_explain(text, strlen(text), out, size);
}

static void test_profile_is_named_from_the_header(void **state)
{
    (void)state;
    char why[200];
    explain("Authors,Title,Year,Source title,EID\nA B.,T,2020,J,2-s2.0-1\n", why, sizeof why);
    assert_string_equal(why, "line 1: Scopus export (header has Source title, EID)");
    explain("PMID,Title,Authors,Citation,Journal/Book\n1,T,A B,C,J\n", why, sizeof why);
    assert_non_null(strstr(why, "PubMed CSV export"));
    explain("title,abstract,record_id\nT,A,1\n", why, sizeof why);
    assert_string_equal(why, "line 1: generic columns (header has title, abstract, record_id)");
    explain("alpha,beta\n1,2\n", why, sizeof why);
    assert_string_equal(why, "line 1: header names no column winnow knows");
}

static void test_scopus_repeated_funding_text_keeps_rows_aligned(void **state)
{
    (void)state;
    /* Scopus writes a second "Funding Text" cell under one header. */
    const char *text = "Authors,Title,Funding Text 1,References,Source title,EID\n"
                       "Lee A.,One,f1,r1,J1,2-s2.0-1\n"
                       "Kim B.,Two,f1,f2,r2,J2,2-s2.0-2\n";
    t_parsed p;
    parse(&p, text);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    t_assert_field(&p, 1, WN_F_TITLE, "Two");
    t_assert_field(&p, 1, WN_F_JOURNAL, "J2");
    t_assert_field(&p, 1, WN_F_SOURCE_ID, "2-s2.0-2");
    assert_string_equal(t_extra(t_rec(&p, 1), "Funding Text 2"), "f2");
    assert_string_equal(t_extra(t_rec(&p, 1), "References"), "r2");
    t_parsed_free(&p);
    /* Without an EID where it belongs, an extra cell is still an error. */
    parse(&p, "Authors,Title,Funding Text 1,References,Source title,EID\n"
              "Kim B.,Two,f1,f2,r2,J2,x\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "line 2: row has 7 cells but the header has 6"));
    t_parsed_free(&p);
}

static void test_preamble_lines_before_the_header_are_skipped(void **state)
{
    (void)state;
    const char *text = "Embase Session Results\n"
                       "\"Search: (dinosaur OR feather) AND skin\"\n"
                       "\n"
                       "Title,Author Names,Source,Emtree Medical Index Terms,Medline PMID\n"
                       "\"Skin, scales\",\"Liu R., Adler D.G.\","
                       "\"Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014\","
                       "x,123\n";
    t_parsed p;
    t_parse_str(&p, text, NULL); /* detected as CSV despite the preamble */
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_int_equal(t_origin(&p, 0)->line, 5);
    t_assert_field(&p, 0, WN_F_TITLE, "Skin, scales");
    t_assert_field(&p, 0, WN_F_PMID, "123");
    /* Embase packs journal, year, volume, issue and pages in "Source". */
    t_assert_field(&p, 0, WN_F_JOURNAL, "Endoscopic Ultrasound");
    t_assert_field(&p, 0, WN_F_YEAR, "2014");
    t_assert_field(&p, 0, WN_F_VOLUME, "3");
    t_assert_field(&p, 0, WN_F_ISSUE, "3");
    t_assert_field(&p, 0, WN_F_START_PAGE, "152");
    t_assert_field(&p, 0, WN_F_END_PAGE, "160");
    assert_non_null(t_extra(t_rec(&p, 0), "Source"));
    assert_int_equal(wn_record_count(t_rec(&p, 0), WN_F_AUTHOR), 2);
    t_parsed_free(&p);
}

static void test_excel_formula_cells_and_pubmed_citation(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PMID,Title,Authors,Citation,Journal/Book,ISSN\n"
              "1,T,\"Smith A, Walter B\",\"Nature. 2021 Dec 21;12(3):e10-11. doi: 1\",Nature,"
              "=\"00280836\"\n");
    assert_int_equal(p.rc, 0);
    t_assert_field(&p, 0, WN_F_VOLUME, "12");
    t_assert_field(&p, 0, WN_F_ISSUE, "3");
    t_assert_field(&p, 0, WN_F_PAGES, "e10-11");
    t_assert_field(&p, 0, WN_F_ISSN, "0028-0836");
    t_parsed_free(&p);
}

static void test_openalex_pipes_split_authors(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "id,display_name,authorships.author.display_name,publication_year\n"
              "https://openalex.org/W1,A title,Ann Lee|Bo Li|Cy Wu,2017\n");
    assert_int_equal(p.rc, 0);
    t_assert_field(&p, 0, WN_F_TITLE, "A title");
    t_assert_field(&p, 0, WN_F_SOURCE_ID, "https://openalex.org/W1");
    assert_int_equal(wn_record_count(t_rec(&p, 0), WN_F_AUTHOR), 3);
    assert_string_equal(wn_record_get(t_rec(&p, 0), WN_F_AUTHOR, 2), "Cy Wu");
    t_parsed_free(&p);
}

static void test_wos_tag_columns_in_a_csv(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "PT,AU,TI,SO,PY,DI,ID,UT\n"
              "J,Smith J; Doe A,A title,A JOURNAL,2019,10.1/x,plus one; plus two,WOS:1\n");
    assert_int_equal(p.rc, 0);
    t_assert_field(&p, 0, WN_F_TITLE, "A title");
    t_assert_field(&p, 0, WN_F_YEAR, "2019");
    t_assert_field(&p, 0, WN_F_DOI, "10.1/x");
    assert_int_equal(wn_record_count(t_rec(&p, 0), WN_F_AUTHOR), 2);
    /* ID is WoS's Keywords Plus here, not an id column: UT is the id. */
    t_assert_field(&p, 0, WN_F_SOURCE_ID, "WOS:1");
    assert_int_equal(wn_record_count(t_rec(&p, 0), WN_F_SOURCE_ID), 1);
    t_parsed_free(&p);
}

static void test_map_names_columns_of_an_unknown_csv(void **state)
{
    (void)state;
    const char *text = "Name,Creators,Summary,When,Notes\n"
                       "Foo bar,\"Lee A; Kim B\",An abstract,2020,n1\n";
    t_parsed p;
    parse(&p, text);
    assert_int_equal(p.rc, WN_EPARSE); /* no profile, no known column */
    t_parsed_free(&p);
    parse_mapped(&p, text, "title=Name, authors = Creators,abstract=Summary,year=When");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    t_assert_field(&p, 0, WN_F_TITLE, "Foo bar");
    t_assert_field(&p, 0, WN_F_ABSTRACT, "An abstract");
    t_assert_field(&p, 0, WN_F_YEAR, "2020");
    assert_int_equal(wn_record_count(t_rec(&p, 0), WN_F_AUTHOR), 2);
    assert_string_equal(t_extra(t_rec(&p, 0), "Notes"), "n1");
    t_parsed_free(&p);
    /* A mapped column wins over the profile's own reading of it. */
    parse_mapped(&p, "title,abstract,Notes\nT,A,N\n", "abstract=Notes");
    t_assert_field(&p, 0, WN_F_ABSTRACT, "N");
    t_parsed_free(&p);
    /* The header row is found under a preamble by the mapped columns. */
    parse_mapped(&p, "Exported today\nName,When\nX,1999\n", "title=Name,year=When");
    assert_int_equal(p.rc, 0);
    t_assert_field(&p, 0, WN_F_YEAR, "1999");
    t_parsed_free(&p);
    parse_mapped(&p, text, "title=Nme");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "'input' line 1: --map names column 'Nme'"));
    t_parsed_free(&p);
}

static void test_map_syntax_is_checked(void **state)
{
    (void)state;
    wn_err err;
    assert_int_equal(wn_csv_map_check("title=Name,year=When", &err), 0);
    assert_int_equal(wn_csv_map_check("author=A,id=B,journal=C", &err), 0);
    assert_int_equal(wn_csv_map_check("titel=Name", &err), WN_EINVAL);
    assert_non_null(strstr(err.msg, "'titel' is not a field"));
    assert_int_equal(wn_csv_map_check("title", &err), WN_EINVAL);
    assert_non_null(strstr(err.msg, "'title' is not FIELD=COLUMN"));
    assert_int_equal(wn_csv_map_check("title= ", &err), WN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoted_cells_span_lines_and_double_quotes),
        cmocka_unit_test(test_cr_only_line_ends),
        cmocka_unit_test(test_semicolon_and_tab_delimiters),
        cmocka_unit_test(test_header_names_ignore_case_and_unknown_columns_are_extras),
        cmocka_unit_test(test_header_with_no_known_column_fails_on_line_1),
        cmocka_unit_test(test_row_with_too_many_cells_fails_with_its_line),
        cmocka_unit_test(test_row_with_too_few_cells_warns),
        cmocka_unit_test(test_unclosed_quote_fails_naming_its_line),
        cmocka_unit_test(test_author_lists_as_tools_write_them),
        cmocka_unit_test(test_own_export_cells_decode_lists_and_extras),
        cmocka_unit_test(test_corpus_google_scholar),
        cmocka_unit_test(test_corpus_pubmed),
        cmocka_unit_test(test_corpus_colrev_pubmed),
        cmocka_unit_test(test_semicolon_corpus_file),
        cmocka_unit_test(test_sniffer_never_takes_other_formats),
        cmocka_unit_test(test_sniffer_takes_csv_exports),
        cmocka_unit_test(test_profile_is_named_from_the_header),
        cmocka_unit_test(test_scopus_repeated_funding_text_keeps_rows_aligned),
        cmocka_unit_test(test_preamble_lines_before_the_header_are_skipped),
        cmocka_unit_test(test_excel_formula_cells_and_pubmed_citation),
        cmocka_unit_test(test_openalex_pipes_split_authors),
        cmocka_unit_test(test_wos_tag_columns_in_a_csv),
        cmocka_unit_test(test_map_names_columns_of_an_unknown_csv),
        cmocka_unit_test(test_map_syntax_is_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
