/* The RIS writer: tag lines, what goes under which tag, and the carried
 * fields line for what RIS cannot say; and the import side of carrying. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void test_record_layout_and_tags(void **state)
{
    (void)state;
    static const char *const t[] = {
        "type_raw", "", "JOUR",
        "title", "", "A title",
        "authors", "", "Smith, John",
        "year", "", "2019",
        "journal", "", "J Things",
        "pages", "", "123-9",
        "issn", "", "1234-5678",
        "pmid", "", "123",
        "pmcid", "", "PMC99",
        "source_ref", "", "rec-1",
        "extra", "N1", "first line\nsecond line",
        "extra", "AD", "An address",
        NULL,
    };
    wn_record *r[2] = {t_record(t), t_record(t)};
    wn_buf out = WN_BUF_INIT;
    t_export(r, 2, "ris", &out);
    const char *want = "TY  - JOUR\n"
                       "TI  - A title\n"
                       "AU  - Smith, John\n"
                       "PY  - 2019\n"
                       "T2  - J Things\n"
                       "SP  - 123-9\n"
                       "SN  - 1234-5678\n"
                       "PMID  - 123\n"
                       "C2  - PMC99\n"
                       "ID  - rec-1\n"
                       "N1  - first line\nsecond line\n"
                       "AD  - An address\n"
                       "ER  - \n\n";
    assert_int_equal(out.len, 2 * strlen(want));
    assert_memory_equal(out.data, want, strlen(want));
    assert_memory_equal(out.data + strlen(want), want, strlen(want));
    assert_null(strchr(out.data, '\r'));
    wn_buf_free(&out);
    wn_record_free(r[0]);
    wn_record_free(r[1]);
}

static void test_what_ris_cannot_say_is_carried(void **state)
{
    (void)state;
    static const char *const t[] = {
        "type_raw", "", "inproceedings",
        "title", "", "T",
        "authors", "", "Adler DG",
        "authors", "", "Lee, Ann",
        "keywords", "", "kw",
        "extra", "AD", "An address",
        "extra", "note", "BibTeX note",
        "extra", "N1", "after the carried one",
        NULL,
    };
    wn_record *r = t_record(t);
    wn_buf out = WN_BUF_INIT;
    t_export(&r, 1, "ris", &out);
    /* The type code of another format: TY from the normalized type. */
    assert_memory_equal(out.data, "TY  - CPAPER\n", 13);
    /* The reader would turn "Adler DG" into "Adler, DG": authors carried,
     * the one that is safe still written. */
    assert_null(strstr(out.data, "AU  - Adler DG"));
    assert_non_null(strstr(out.data, "AU  - Lee, Ann\n"));
    assert_non_null(strstr(out.data, "AD  - An address\n"));
    assert_non_null(strstr(out.data, "KW  - kw\n"));
    assert_non_null(strstr(out.data,
                           "N1  - winnow-fields: {\"type_raw\":[\"inproceedings\"],"
                           "\"authors\":[\"Adler DG\",\"Lee, Ann\"],\"extra\":[[\"note\","
                           "\"BibTeX note\"],[\"N1\",\"after the carried one\"]]}\nER  - \n"));
    t_parsed back;
    t_parse_text(&back, out.data, out.len, "ris");
    assert_int_equal(back.rc, 0);
    assert_int_equal(back.n, 1);
    assert_string_equal(wn_record_first(back.recs[0], WN_F_TYPE_RAW), "inproceedings");
    assert_string_equal(wn_record_first(back.recs[0], WN_F_TYPE), "conference");
    assert_string_equal(wn_record_get(back.recs[0], WN_F_AUTHOR, 0), "Adler DG");
    assert_int_equal(wn_record_count(back.recs[0], WN_F_EXTRA), 3);
    t_parsed_free(&back);
    wn_buf_free(&out);
    wn_record_free(r);
}

static void test_fields_apply_replaces_and_appends(void **state)
{
    (void)state;
    wn_record *r = wn_record_new();
    assert_non_null(r);
    wn_record_add_str(r, WN_F_TYPE_RAW, "TY", "JOUR");
    wn_record_add_str(r, WN_F_TYPE, NULL, "article");
    wn_record_add_str(r, WN_F_EXTRA, "N1", "ordinary note");
    wn_record_add_str(r, WN_F_EXTRA, "N1",
                      "winnow-fields: {\"type_raw\":\"article\",\"type\":[],"
                      "\"urls\":[\"a\",\"b\"],\"extra\":[[\"x y\",\"z\"]]}");
    assert_int_equal(wn_export_fields_apply(r), 0);
    assert_string_equal(wn_record_first(r, WN_F_TYPE_RAW), "article");
    assert_null(wn_record_first(r, WN_F_TYPE));
    assert_int_equal(wn_record_count(r, WN_F_URL), 2);
    assert_int_equal(wn_record_count(r, WN_F_EXTRA), 2);
    assert_string_equal(wn_record_get(r, WN_F_EXTRA, 0), "ordinary note");
    assert_string_equal(wn_record_get(r, WN_F_EXTRA, 1), "z");

    /* A damaged list, or one naming no field, stays an ordinary extra. */
    static const char *const bad[] = {
        "winnow-fields: {\"type_raw\":", "winnow-fields: {\"colour\":[\"red\"]}",
        "winnow-fields: {\"urls\":[1]}", "winnow-fields: [\"title\"]",
        "winnow-fields: {\"title\":\"x\"} and more",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wn_record_reset(r);
        wn_record_add_str(r, WN_F_EXTRA, "N1", bad[i]);
        assert_int_equal(wn_export_fields_apply(r), 0);
        assert_int_equal(wn_record_size(r), 1);
        assert_string_equal(wn_record_first(r, WN_F_EXTRA), bad[i]);
    }
    wn_record_free(r);
}

static void test_pages_without_a_range_and_odd_page_parts(void **state)
{
    (void)state;
    static const char *const article_number[] = {"title", "", "T", "pages", "", "e1234", NULL};
    /* Given separately and not matching the range: carried. */
    static const char *const odd[] = {
        "title", "", "T", "pages", "", "10-20", "start_page", "", "11", "end_page", "", "19",
        NULL,
    };
    wn_record *r[2] = {t_record(article_number), t_record(odd)};
    wn_buf out = WN_BUF_INIT;
    t_export(r, 2, "ris", &out);
    assert_non_null(strstr(out.data, "SP  - e1234\n"));
    assert_non_null(strstr(out.data, "SP  - 10-20\n"));
    assert_non_null(strstr(out.data, "\"start_page\":[\"11\"],\"end_page\":[\"19\"]"));
    t_parsed back;
    t_parse_text(&back, out.data, out.len, "ris");
    assert_int_equal(back.rc, 0);
    assert_int_equal(back.n, 2);
    assert_string_equal(wn_record_first(back.recs[0], WN_F_START_PAGE), "e1234");
    assert_string_equal(wn_record_first(back.recs[0], WN_F_PAGES), "e1234");
    assert_string_equal(wn_record_first(back.recs[1], WN_F_START_PAGE), "11");
    assert_string_equal(wn_record_first(back.recs[1], WN_F_END_PAGE), "19");
    assert_string_equal(wn_record_first(back.recs[1], WN_F_PAGES), "10-20");
    t_parsed_free(&back);
    wn_buf_free(&out);
    wn_record_free(r[0]);
    wn_record_free(r[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_layout_and_tags),
        cmocka_unit_test(test_what_ris_cannot_say_is_carried),
        cmocka_unit_test(test_fields_apply_replaces_and_appends),
        cmocka_unit_test(test_pages_without_a_range_and_odd_page_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
