/* Real BibTeX exports from ../shared/corpus: every file imports with the
 * record count PROVENANCE.md gives (format found by detection), and sample
 * records carry the values read off the files by hand. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* The record whose SOURCE_ID is key (fails the test when absent). */
static const wn_record *by_key(const t_parsed *p, const char *key)
{
    for (size_t i = 0; i < p->n; i++) {
        const char *k = wn_record_first(p->recs[i], WN_F_SOURCE_ID);
        if (k && strcmp(k, key) == 0)
            return p->recs[i];
    }
    fail_msg("no record with key '%s'", key);
    return NULL;
}

static void test_scopus(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/synthesisr/Scopus_bib_example.bib");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 3);
    const wn_record *r = by_key(&p, "Li2020");
    assert_string_equal(wn_record_first(r, WN_F_TITLE),
                        "Soil fauna diversity at different stages of reed restoration in a "
                        "lakeshore wetland at Lake Taihu, China");
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 10);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Li, W.");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 9), "Pan, X.");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2020");
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.1080/20964129.2020.1722034");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Ecosystem Health and Sustainability");
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "6");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "1");
    assert_string_equal(wn_record_first(r, WN_F_ISSN), "2096-4129");
    assert_string_equal(wn_record_first(r, WN_F_LANGUAGE), "English");
    assert_string_equal(wn_record_first(r, WN_F_PUBLISHER), "Taylor and Francis Ltd.");
    assert_string_equal(wn_record_first(r, WN_F_TYPE_RAW), "article");
    assert_string_equal(t_extra(r, "art_number"), "1722034");
    assert_string_equal(t_extra(r, "abbrev_source_title"), "Ecosyst. Health Sustain.");
    assert_string_equal(t_extra(r, "source"), "Scopus");
    /* A field name with a space in it, as Scopus writes it. */
    assert_non_null(t_extra(r, "funding_text 1"));
    assert_string_equal(wn_record_get(by_key(&p, "Tang2020"), WN_F_AUTHOR, 2), "zhou, M.");
    t_parsed_free(&p);
}

static void test_zotero(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/ASySD/zotero_export.bib");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 1000);
    assert_int_equal(p.n_warnings, 0);
    /* 718 "doi = " lines and an author list in every entry (grep). */
    assert_int_equal(t_count_with(&p, WN_F_DOI), 718);
    assert_int_equal(t_count_with(&p, WN_F_AUTHOR), 1000);
    assert_int_equal(t_count_with(&p, WN_F_TITLE), 1000);

    const wn_record *r = by_key(&p, "larsen_microangiography_1999");
    assert_string_equal(wn_record_first(r, WN_F_TITLE),
                        "Microangiography of the humeral condyle in Cocker Spaniel and "
                        "non-Cocker Spaniel dogs");
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 4);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Larsen, LJ");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 2), "McLaughlin, RM");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "1999");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "134-137");
    assert_string_equal(wn_record_first(r, WN_F_START_PAGE), "134");
    assert_string_equal(wn_record_first(r, WN_F_END_PAGE), "137");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL),
                        "VETERINARY AND COMPARATIVE ORTHOPAEDICS AND TRAUMATOLOGY");
    assert_string_equal(wn_record_first(r, WN_F_ISSN), "0932-0814");
    assert_string_equal(t_extra(r, "month"), "August");
    assert_int_equal(wn_record_count(r, WN_F_KEYWORD), 5);
    assert_string_equal(wn_record_get(r, WN_F_KEYWORD, 4), "microangiography");
    assert_null(wn_record_first(r, WN_F_DOI));
    const wn_origin *o = wn_record_origin_c(r);
    assert_int_equal(o->line, 2);
    assert_int_equal(o->offset, 1);

    r = by_key(&p, "kubai_heritability_2013");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL),
                        "INVESTIGATIVE OPHTHALMOLOGY & VISUAL SCIENCE");
    assert_string_equal(wn_record_first(r, WN_F_TITLE),
                        "Heritability of Lenticular Myopia in English Springer Spaniels");
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.1167/iovs.12-10993");
    assert_int_equal(wn_record_count(r, WN_F_KEYWORD), 14);
    assert_non_null(strstr(wn_record_first(r, WN_F_ABSTRACT), "was 19% (42/226)"));
    assert_int_equal(wn_record_origin_c(r)->line, 370);

    r = by_key(&p, "felkai_ultrasonographic_1997");
    assert_string_equal(wn_record_first(r, WN_F_TITLE),
                        "Ultrasonographic findings of renal dysplasia in Cocker Spaniels: "
                        "Eight cases");
    assert_non_null(strstr(wn_record_first(r, WN_F_ABSTRACT), "significantly (p < 0.001) reduced"));

    r = by_key(&p, "yonamine_towards_2019");
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "conference");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Nara Institute of Science & Technology");
    assert_string_equal(t_extra(r, "editor"), "Mori, P and Furnell, S and Camp, O");
    assert_string_equal(wn_record_first(r, WN_F_ISBN), "9789897583599");
    assert_int_equal(wn_record_origin_c(r)->line, 10916);

    r = p.recs[999];
    assert_string_equal(wn_record_first(r, WN_F_SOURCE_ID), "naughton_radiographic_2005");
    assert_int_equal(wn_record_origin_c(r)->line, 16590);
    t_parsed_free(&p);
}

static void test_jabref_encodings(void **state)
{
    (void)state;
    static const char *const files[] = {
        "formats/jabref/encoding-utf-8-with-header.bib",
        "formats/jabref/encoding-utf-16BE-with-header.bib",
    };
    for (size_t i = 0; i < 2; i++) {
        T_NEED_CORPUS(path, files[i]);
        t_parsed p;
        t_parse_file_ok(&p, path, NULL, 1);
        /* "@article{," : kept, without a key, with a warning */
        assert_string_equal(wn_record_first(p.recs[0], WN_F_TITLE), "Ü ist ein Umlaut");
        assert_null(wn_record_first(p.recs[0], WN_F_SOURCE_ID));
        assert_int_equal(p.n_warnings, 1);
        assert_non_null(strstr(p.warnings[0], "empty key"));
        assert_int_equal(wn_record_origin_c(p.recs[0])->line, 3);
        t_parsed_free(&p);
    }
    T_NEED_CORPUS(cp1252, "formats/jabref/encoding-windows-1252-with-header.bib");
    t_parsed p;
    t_parse_file_ok(&p, cp1252, NULL, 1);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_ABSTRACT), "25° C");
    assert_string_equal(wn_record_first(p.recs[0], WN_F_TYPE_RAW), "article");
    t_parsed_free(&p);
}

static void test_jabref_utf16le(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/jabref/tiny-LE-withBOM.bib");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 1);
    const wn_record *r = by_key(&p, "Verwilghen+vanGalen+Wilke2011");
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 4);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Verwilghen, D.");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 2), "van Galen, G.");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "2011-12");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2011");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Veterinary Record");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "685-686");
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.1136/vr.d6221");
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "169");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "26");
    assert_string_equal(wn_record_first(r, WN_F_PUBLISHER), "Wiley");
    t_parsed_free(&p);
}

static void test_rbibutils(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/rbibutils/latin1accents_utf8.bib");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 1);
    const wn_record *r = by_key(&p, "test1");
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "Kàrè üä Łłêáé");
    assert_string_equal(wn_record_first(r, WN_F_AUTHOR), "Lêáé, Kàrè");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Latin-1 accents");
    const char *note = t_extra(r, "note");
    assert_non_null(note);
    assert_non_null(strstr(note, "formula: tan(α), sin(δ)/δ → 1, √x."));
    assert_int_equal(wn_record_origin_c(r)->offset, 3);
    t_parsed_free(&p);

    /* GB18030 bytes fall back to windows-1252: garbled text, right shape. */
    T_NEED_CORPUS(gb, "formats/rbibutils/xeCJK_gb18030.bib");
    t_parse_file_ok(&p, gb, NULL, 1);
    r = by_key(&p, "chen2012");
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 4);
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "27");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "2");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "133-138");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2012");
    t_parsed_free(&p);
}

/* Expectations taken from citation-js's own CSL-JSON for the same entries
 * (bibtex-csl.json), in winnow's terms. */
static const struct {
    const char *key, *type, *first_author, *container, *volume, *year;
} csl[] = {
    {"Article", "article", "Adams, Alice", "The BibTeX Journal", "5", "2020"},
    {"Book", "book", "Adams, Alice", NULL, "5", "2020"},
    {"Booklet", "book", "Adams, Alice", NULL, NULL, "2020"},
    {"InBook", "chapter", "Adams, Alice", NULL, "5", "2020"},
    {"InCollection", "chapter", "Adams, Alice", "Dolor Sit Amet", "5", "2020"},
    {"InProceedings", "conference", "Adams, Alice", "Dolor Sit Amet", "5", "2020"},
    {"Manual", "report", "Adams, Alice", NULL, NULL, "2020"},
    {"MastersThesis", "thesis", "Adams, Alice", NULL, NULL, "2020"},
    {"Misc", "generic", "Adams, Alice", NULL, NULL, "2020"},
    {"PhdThesis", "thesis", "Adams, Alice", NULL, NULL, "2020"},
    {"Proceedings", NULL, NULL, NULL, "5", "2020"},
    {"TechReport", "report", "Adams, Alice", NULL, NULL, "2020"},
    {"Unpublished", "unpublished", "Adams, Alice", NULL, NULL, "2020"},
    {"MastersThesis2", "thesis", "Adams, Alice", NULL, NULL, "2020"},
    {"PhdThesis2", "thesis", "Adams, Alice", NULL, NULL, "2020"},
    {"loir:B6", "article", "Bogusch, Petr", "Zootaxa", "3311", "2012"},
};

static void test_citation_js(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/citation-js/bibtex-input.bib");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 16);
    for (size_t i = 0; i < sizeof csl / sizeof csl[0]; i++) {
        const wn_record *r = p.recs[i];
        assert_string_equal(wn_record_first(r, WN_F_SOURCE_ID), csl[i].key);
        if (csl[i].type)
            assert_string_equal(wn_record_first(r, WN_F_TYPE), csl[i].type);
        if (csl[i].first_author)
            assert_string_equal(wn_record_first(r, WN_F_AUTHOR), csl[i].first_author);
        else
            assert_null(wn_record_first(r, WN_F_AUTHOR));
        if (csl[i].container)
            assert_string_equal(wn_record_first(r, WN_F_JOURNAL), csl[i].container);
        else
            assert_null(wn_record_first(r, WN_F_JOURNAL));
        if (csl[i].volume)
            assert_string_equal(wn_record_first(r, WN_F_VOLUME), csl[i].volume);
        assert_string_equal(wn_record_first(r, WN_F_YEAR), csl[i].year);
    }
    /* "month = feb" is the month macro (CSL issued 2020-02). */
    assert_string_equal(t_extra(p.recs[0], "month"), "February");
    assert_string_equal(wn_record_get(p.recs[0], WN_F_AUTHOR, 1), "Brody, Bob");
    assert_string_equal(wn_record_first(p.recs[0], WN_F_PAGES), "200-210");
    assert_string_equal(t_extra(p.recs[0], "note"), "This is a note.");
    assert_string_equal(wn_record_first(p.recs[1], WN_F_PUBLISHER), "BibTeX Publishers");
    assert_string_equal(t_extra(p.recs[1], "editor"), "Coburn, Carol");
    /* Book's booktitle-less series stays beside the record. */
    assert_string_equal(t_extra(p.recs[1], "series"), "Good Series");
    const wn_record *r = by_key(&p, "loir:B6");
    assert_string_equal(wn_record_first(r, WN_F_TITLE),
                        "Review and identification of the cuckoo bees of central Europe "
                        "(Hymenoptera: Halictidae: Sphecodes)");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Straka, Jakub");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "1-41");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "1");
    assert_string_equal(t_extra(r, "month"), "5");
    assert_string_equal(t_extra(r, "day"), "14");
    t_parsed_free(&p);
}

static void test_colrev(void **state)
{
    (void)state;
    T_NEED_CORPUS(ebsco, "formats/colrev/ebsco_bib.bib");
    t_parsed p;
    t_parse_file_ok(&p, ebsco, NULL, 2);
    const wn_record *r = by_key(&p, "11111111111111111");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Steward, Hugo");
    assert_string_equal(wn_record_first(r, WN_F_ISSN), "1234-5678");
    assert_int_equal(wn_record_count(r, WN_F_KEYWORD), 2);
    assert_string_equal(wn_record_get(r, WN_F_KEYWORD, 1), "keyword 2");
    assert_string_equal(wn_record_first(r, WN_F_START_PAGE), "1");
    assert_string_equal(wn_record_first(r, WN_F_END_PAGE), "10");
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "Paper title.");
    /* The second entry's keywords hold stray braces that close it early,
     * as in the reference parser: kept with a warning. */
    r = by_key(&p, "13362467620181001");
    assert_string_equal(wn_record_first(r, WN_F_AUTHOR), "Cruise, Tom");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Journal of Technology");
    assert_int_equal(p.n_warnings, 1);
    t_parsed_free(&p);

    T_NEED_CORPUS(wos, "formats/colrev/web_of_science_bib.bib");
    t_parse_file_ok(&p, wos, NULL, 2);
    r = by_key(&p, "WOS:000223334444221");
    assert_string_equal(wn_record_first(r, WN_F_TYPE_RAW), "inproceedings");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "A BOOKTITLE");
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.1007/999-9-999-99999-9_3");
    assert_string_equal(t_extra(r, "editor"), "Editorone, M and Editortwo, M");
    assert_string_equal(t_extra(r, "eissn"), "1111-3333");
    assert_string_equal(t_extra(r, "unique-id"), "WOS:000223334444221");
    r = by_key(&p, "WOS:000444488888888");
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "A dummy title's");
    assert_string_equal(t_extra(r, "month"), "MAR 1");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "111-188");
    assert_string_equal(t_extra(r, "article-number"), "6756");
    t_parsed_free(&p);
}

static void test_sniff_windows(void **state)
{
    (void)state;
    const wn_format *bib = wn_format_find("bibtex");
    /* 64 KiB starting in the middle of an entry, mid-file */
    T_NEED_CORPUS(zot, "formats/ASySD/zotero_export.bib");
    t_decoded_file in;
    t_decode_file(&in, zot);
    size_t mid = in.d.len / 2;
    assert_true(mid + 65536 <= in.d.len);
    assert_true(wn_format_sniff(bib, in.d.text + mid, 65536) > 0);
    t_decoded_file_free(&in);

    /* other formats, including a JSON that describes BibTeX entries */
    static const char *const others[] = {
        "formats/asreview/embase.ris",
        "formats/revtools/restoration_pubmed.nbib",
        "formats/litstudy/scopus.csv",
        "formats/openalex/result_61.json",
        "formats/citation-js/bibtex-csl.json",
        "formats/reflib/blue-light.xml",
        "formats/rbibutils/endnote.xml",
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        T_NEED_CORPUS(path, others[i]);
        t_decode_file(&in, path);
        if (wn_format_sniff(bib, in.d.text, in.d.len) != 0)
            fail_msg("%s looks like BibTeX", others[i]);
        t_decoded_file_free(&in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scopus),          cmocka_unit_test(test_zotero),
        cmocka_unit_test(test_jabref_encodings), cmocka_unit_test(test_jabref_utf16le),
        cmocka_unit_test(test_rbibutils),       cmocka_unit_test(test_citation_js),
        cmocka_unit_test(test_colrev),          cmocka_unit_test(test_sniff_windows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
