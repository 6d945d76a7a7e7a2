/* Real EndNote tagged (refer) files from ../shared/corpus: each is detected
 * from its content, gives the record count PROVENANCE.md states, and sampled
 * records carry the values read off the files by eye. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* Parses a file by detection, which must name EndNote tagged; it must give
 * n records. */
static void parse_detected(t_parsed *p, const char *path, size_t n)
{
    size_t len;
    char *text = t_read_file(path, &len);
    wn_detection det;
    wn_err err;
    assert_int_equal(wn_format_detect(path, text, len, &det, &err), 0);
    assert_string_equal(wn_format_name(det.format), "endnote-tagged");
    free(text);
    t_parse_file_ok(p, path, NULL, n);
}

/* Six blank-line-separated records, only two with a %0 type line: each block
 * of tag lines is a record, whatever tag it starts with (CoLRev's expected
 * parse of this file also has six). */
static void test_colrev_ais(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/colrev/ais_enl.txt");
    t_parsed p;
    parse_detected(&p, path, 6);
    assert_int_equal(p.n_warnings, 0);

    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_TITLE),
                        "How Trust Leads to Commitment on Microsourcing Platforms: Unraveling the "
                        "Effects of Governance and Third-Party Mechanisms on Triadic Microsourcing "
                        "Relationships");
    assert_string_equal(wn_record_first(r, WN_F_TYPE_RAW), "Journal Article");
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "article");
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 4);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Guo, Wenbo");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 3), "Cai, Zhao");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Management Information Systems Quarterly");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2021");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "September  1, 2021");
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "45");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "3");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "1309-1348");
    assert_string_equal(wn_record_first(r, WN_F_URL), "https://aisel.aisnet.org/misq/vol45/iss3/13");
    const char *ab = wn_record_first(r, WN_F_ABSTRACT);
    assert_non_null(ab);
    const char *start = "IS research has extensively examined the role of trust";
    assert_int_equal(strncmp(ab, start, strlen(start)), 0);

    r = p.recs[1];
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "MISQ Volume 45, Issue 3 Table of Contents");
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 0);
    assert_null(wn_record_first(r, WN_F_TYPE));
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "i-ii");

    r = p.recs[3];
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 5);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 2), "Os\xC3\xB3rio, Gerardo");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL),
                        "Hawaii International Conference on System Sciences 2019 (HICSS-52)");
    assert_null(wn_record_first(r, WN_F_PAGES));

    r = p.recs[5];
    assert_string_equal(wn_record_first(r, WN_F_AUTHOR), "El-Gazzar, Rania");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "1044-1061");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2017");
    assert_string_equal(wn_record_first(r, WN_F_URL), "https://aisel.aisnet.org/ecis2017_rp/68");

    /* Line counts from the file: 14 %A, 4 %X, 4 %P, 6 %U lines. */
    size_t authors = 0;
    for (size_t i = 0; i < p.n; i++)
        authors += wn_record_count(p.recs[i], WN_F_AUTHOR);
    assert_int_equal(authors, 14);
    assert_int_equal(t_count_with(&p, WN_F_ABSTRACT), 4);
    assert_int_equal(t_count_with(&p, WN_F_PAGES), 4);
    assert_int_equal(t_count_with(&p, WN_F_URL), 6);
    assert_int_equal(t_count_with(&p, WN_F_TYPE_RAW), 2);

    /* Records start at their first tag line; the blank lines between them
     * belong to none. */
    const size_t first_lines[] = {1, 17, 27, 37, 50, 61};
    size_t len;
    char *text = t_read_file(path, &len);
    for (size_t i = 0; i < p.n; i++) {
        const wn_origin *o = wn_record_origin_c(p.recs[i]);
        assert_int_equal(o->line, first_lines[i]);
        assert_memory_equal(text + o->offset, "%T ", 3);
        assert_true(o->offset + o->length <= len);
        assert_true(text[o->offset + o->length - 1] == '\n');
        if (o->offset + o->length < len)
            assert_true(text[o->offset + o->length] == '\n');
    }
    free(text);
    t_parsed_free(&p);
}

/* One block with every tag JabRef's importer knows, some repeated. */
static void test_jabref_entries(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/jabref/Endnote.entries.enw");
    t_parsed p;
    parse_detected(&p, path, 1);
    /* "%D testD" is no year: kept as an extra, with a warning. */
    assert_int_equal(p.n_warnings, 1);
    assert_non_null(strstr(p.warnings[0], "year 'testD'"));
    const wn_record *r = p.recs[0];
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "testA1");
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "%E"), 2);
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "testT");
    /* The first %0 is empty; the first with a value is the type code. */
    assert_string_equal(wn_record_first(r, WN_F_TYPE_RAW), "Journal");
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "article");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "testJ");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "%J", 0), "testJ1");
    /* With %J present, every %B is a secondary title kept as an extra. */
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "%B"), 3);
    assert_string_equal(wn_record_first(r, WN_F_PUBLISHER), "testI0");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "%I", 0), "testI1");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "test8");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "%D", 0), "testD");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "testP");
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "testV");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "testN");
    assert_string_equal(wn_record_first(r, WN_F_URL), "testU");
    /* Neither %R value holds a DOI. */
    assert_null(wn_record_first(r, WN_F_DOI));
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "%R", 1), "doi:testR");
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "%O"), 2);
    assert_string_equal(wn_record_first(r, WN_F_KEYWORD), "testK");
    assert_string_equal(wn_record_first(r, WN_F_ABSTRACT), "testX");
    assert_int_equal(wn_record_count(r, WN_F_PUBTYPE), 2);
    assert_string_equal(wn_record_get(r, WN_F_PUBTYPE, 0), "Ph.D.");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "%F", 0), "testF");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "%7", 0), "test7");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "%C", 0), "testC");
    t_parsed_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colrev_ais),
        cmocka_unit_test(test_jabref_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
