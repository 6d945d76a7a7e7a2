/* Real API JSON from ../shared/corpus: an OpenAlex /works page, a Crossref
 * lookup cache keyed by DOI and a Publish or Perish export are each detected
 * from their content, give the record count PROVENANCE.md states, and
 * sampled records carry the values read off the files by eye. Every JSON
 * file of the corpus is detected as the format it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* Each record's origin spans one JSON object of the decoded text that holds
 * needle (the record's own id). */
static void check_origin(const char *text, size_t len, const wn_origin *o, const char *needle)
{
    assert_true(o->line >= 1);
    assert_true(o->length > 1);
    assert_true(o->offset + o->length <= len);
    assert_int_equal(text[o->offset], '{');
    assert_int_equal(text[o->offset + o->length - 1], '}');
    size_t n = strlen(needle);
    int found = 0;
    for (size_t i = o->offset; !found && i + n <= o->offset + o->length; i++)
        found = memcmp(text + i, needle, n) == 0;
    if (!found)
        fail_msg("record %zu: its text does not hold %s", o->position, needle);
}

static void test_openalex_page(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/openalex/result_61.json");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 200);
    assert_int_equal(p.n_warnings, 0);

    t_assert_field(&p, 0, WN_F_SOURCE_ID, "W4246405639");
    t_assert_field(&p, 0, WN_F_TITLE, "Book Reviews");
    t_assert_field(&p, 0, WN_F_YEAR, "1975");
    t_assert_field(&p, 0, WN_F_DATE, "1975-10-01");
    t_assert_field(&p, 0, WN_F_JOURNAL, "Maritime Studies and Management");
    t_assert_field(&p, 0, WN_F_ISSN, "0306-1957");
    t_assert_field(&p, 0, WN_F_PUBLISHER, "Taylor & Francis");
    t_assert_field(&p, 0, WN_F_DOI, "10.1080/03088837500000053");
    t_assert_field(&p, 0, WN_F_VOLUME, "3");
    t_assert_field(&p, 0, WN_F_ISSUE, "2");
    t_assert_field(&p, 0, WN_F_TYPE, "article");
    t_assert_field(&p, 0, WN_F_AUTHOR, NULL);
    t_assert_field(&p, 0, WN_F_ABSTRACT, NULL);
    assert_string_equal(t_extra(t_rec(&p, 0), "is_oa"), "false");

    /* A book whose abstract repeats "and", "of" and "ants" at several places. */
    t_assert_field(&p, 17, WN_F_SOURCE_ID, "W4251898040");
    t_assert_field(&p, 17, WN_F_TITLE, "The social insects");
    t_assert_field(&p, 17, WN_F_AUTHOR, "Richards, O. W.");
    t_assert_field(&p, 17, WN_F_TYPE, "book");
    t_assert_field(&p, 17, WN_F_YEAR, "1953");
    t_assert_field(&p, 17, WN_F_DOI, "10.5962/bhl.title.6823");
    t_assert_field(&p, 17, WN_F_ABSTRACT,
                   "Nest-Ants and other animals-Food of ants-driver and legionary ants-Gatherers "
                   "of mixed foods-Honey-pot ants");
    t_assert_field(&p, 17, WN_F_URL, "https://www.biodiversitylibrary.org/itempdf/29872");
    assert_int_equal(wn_record_count(t_rec(&p, 17), WN_F_KEYWORD), 5);
    assert_string_equal(t_extra(t_rec(&p, 17), "cited_by_count"), "18");

    const wn_record *r = t_rec(&p, 32);
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Christianson, Hans");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Derbes, Vincent J.");
    t_assert_field(&p, 32, WN_F_PMID, "374432");
    t_assert_field(&p, 32, WN_F_JOURNAL, "Journal of Cutaneous Pathology");
    t_assert_field(&p, 32, WN_F_PAGES, "85-86");
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 2);

    r = t_rec(&p, 128);
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 3);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Bonnevie, Ida Maria");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "von Thenen, Miriam");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 2), "Hansen, Henning Sten");
    t_assert_field(&p, 128, WN_F_TYPE_RAW, "editorial");
    t_assert_field(&p, 128, WN_F_TYPE, "article");
    t_assert_field(&p, 128, WN_F_YEAR, "2024");

    /* The 200 works: 147 articles, 15 books, 14 peer reviews, 10 chapters,
     * 4 preprints, 4 editorials, 3 dissertations, 2 reports, 1 other. */
    size_t chapters = 0, theses = 0, generic = 0;
    for (size_t i = 0; i < p.n; i++) {
        const char *t = t_field(&p, i, WN_F_TYPE);
        assert_non_null(t);
        chapters += strcmp(t, "chapter") == 0;
        theses += strcmp(t, "thesis") == 0;
        generic += strcmp(t, "generic") == 0;
    }
    assert_int_equal(chapters, 10);
    assert_int_equal(theses, 3);
    assert_int_equal(generic, 15);

    t_decoded_file f;
    t_decode_file(&f, path);
    const char *text = f.d.text;
    size_t len = f.d.len;
    for (size_t i = 0; i < p.n; i++) {
        char needle[64];
        snprintf(needle, sizeof needle, "\"https://openalex.org/%s\"",
                 t_field(&p, i, WN_F_SOURCE_ID));
        check_origin(text, len, t_origin(&p, i), needle);
        assert_int_equal(t_origin(&p, i)->position, i + 1);
    }
    t_decoded_file_free(&f);
    t_parsed_free(&p);
}

static void test_crossref_keyed_by_doi(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/citation-js/doi.json");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 4);
    assert_int_equal(p.n_warnings, 0);

    t_assert_field(&p, 0, WN_F_DOI, "10.1021/ja01577a030");
    t_assert_field(&p, 0, WN_F_AUTHOR, "Hall, H. K., Jr.");
    t_assert_field(&p, 0, WN_F_YEAR, "1957");
    t_assert_field(&p, 0, WN_F_DATE, "1957-10");
    t_assert_field(&p, 0, WN_F_JOURNAL, "Journal of the American Chemical Society");
    t_assert_field(&p, 0, WN_F_JOURNAL_ABBR, "J. Am. Chem. Soc.");
    t_assert_field(&p, 0, WN_F_VOLUME, "79");
    t_assert_field(&p, 0, WN_F_ISSUE, "20");
    t_assert_field(&p, 0, WN_F_PAGES, "5441-5444");
    t_assert_field(&p, 0, WN_F_TYPE_RAW, "journal-article");
    t_assert_field(&p, 0, WN_F_TYPE, "article");
    t_assert_field(&p, 0, WN_F_PUBLISHER, "American Chemical Society (ACS)");
    assert_int_equal(wn_record_count(t_rec(&p, 0), WN_F_ISSN), 2);

    const wn_record *r = t_rec(&p, 1);
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 17);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Canaday, David H.");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 16), "Gravenstein, Stefan");
    t_assert_field(&p, 1, WN_F_TYPE, "preprint");
    t_assert_field(&p, 1, WN_F_DATE, "2021-08-18");
    /* The JATS heading and tags are gone. */
    const char *abstract = t_field(&p, 1, WN_F_ABSTRACT);
    assert_non_null(abstract);
    assert_int_equal(strncmp(abstract, "High COVID-19 mortality among nursing home (NH) residents",
                             57),
                     0);
    assert_null(strchr(abstract, '<'));

    t_assert_field(&p, 2, WN_F_TITLE, "Shield bugs (nymphs)");
    t_assert_field(&p, 2, WN_F_AUTHOR, "Willighagen, Lars");
    t_assert_field(&p, 2, WN_F_PUBLISHER, "Zenodo");
    t_assert_field(&p, 3, WN_F_ABSTRACT,
                   "The Bioclipse Workshop is in progress, and Ola is now leading a discussion "
                   "about future releases and functionality. Proceedings are live updated, and "
                   "presentation sheets will be available shortly.");

    t_decoded_file f;
    t_decode_file(&f, path);
    const char *text = f.d.text;
    size_t len = f.d.len;
    const char *dois[] = {"\"10.1021/ja01577a030\"", "\"10.1101/2021.08.15.21262067\"",
                          "\"10.5281/ZENODO.8242099\"", "\"10.59350/hhtcn-zah03\""};
    for (size_t i = 0; i < 4; i++)
        check_origin(text, len, t_origin(&p, i), dois[i]);
    t_decoded_file_free(&f);
    t_parsed_free(&p);
}

static void test_publish_or_perish(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/colrev/google_scholar.json");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 7);
    assert_int_equal(p.n_warnings, 0);

    const wn_record *r = t_rec(&p, 0);
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 4);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Guo, W");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 3), "Cai, Z");
    t_assert_field(&p, 0, WN_F_SOURCE_ID, "GS:10955542985646283611");
    t_assert_field(&p, 0, WN_F_YEAR, "2021");
    t_assert_field(&p, 0, WN_F_JOURNAL, "MIS Quarterly");
    t_assert_field(&p, 0, WN_F_PUBLISHER, "search.ebscohost.com");
    t_assert_field(&p, 0, WN_F_VOLUME, NULL);
    assert_string_equal(t_extra(r, "cites"), "9");
    assert_string_equal(t_extra(r, "rank"), "1");

    /* The third result has no uid. */
    t_assert_field(&p, 2, WN_F_SOURCE_ID, NULL);
    t_assert_field(&p, 2, WN_F_TITLE, "MICROSOURCING AND SWOT ANALYSIS: A CASE OF COVID-19");

    t_assert_field(&p, 4, WN_F_DOI, "10.1007/s10796-013-9440-y");
    t_assert_field(&p, 4, WN_F_AUTHOR, "Lu, B");
    t_assert_field(&p, 4, WN_F_YEAR, "2015");

    /* A cut author list ends in "..." */
    r = t_rec(&p, 5);
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 3);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Bakar, NHA");
    assert_string_equal(t_extra(r, "authors"), "...");

    assert_int_equal(wn_record_count(t_rec(&p, 6), WN_F_URL), 2);
    assert_int_equal(t_origin(&p, 0)->line, 2);

    t_decoded_file f;
    t_decode_file(&f, path);
    const char *text = f.d.text;
    size_t len = f.d.len;
    check_origin(text, len, t_origin(&p, 6), "\"GS:17702100417457714859\"");
    t_decoded_file_free(&f);
    t_parsed_free(&p);
}

/* Detection over every JSON file of the corpus. */
static void test_detection_of_every_json_file(void **state)
{
    (void)state;
    static const struct {
        const char *rel, *format;
    } files[] = {
        {"formats/openalex/result_61.json", "openalex"},
        {"formats/citation-js/doi.json", "crossref"},
        {"formats/colrev/google_scholar.json", "pop-json"},
        {"formats/citation-js/bibtex-csl.json", "csljson"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        T_NEED_CORPUS(path, files[i].rel);
        t_decoded_file f;
        t_decode_file(&f, path);
        wn_detection det;
        wn_err err;
        wn_err_clear(&err);
        if (wn_format_detect(path, f.d.text, f.d.len, &det, &err) != 0)
            fail_msg("%s: %s", files[i].rel, err.msg);
        if (strcmp(wn_format_name(det.format), files[i].format) != 0)
            fail_msg("%s detected as %s", files[i].rel, wn_format_name(det.format));
        t_decoded_file_free(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openalex_page),
        cmocka_unit_test(test_crossref_keyed_by_doi),
        cmocka_unit_test(test_publish_or_perish),
        cmocka_unit_test(test_detection_of_every_json_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
