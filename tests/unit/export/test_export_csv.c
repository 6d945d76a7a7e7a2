/* The CSV writer: header, RFC 4180 quoting, list and extra cells, and how
 * the export API reports failures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static int failing_write(void *ctx, const char *data, size_t len)
{
    (void)data, (void)len;
    int *calls = ctx;
    return ++*calls >= 2 ? WN_EIO : 0;
}

static void test_header_names_every_column(void **state)
{
    (void)state;
    wn_buf out = WN_BUF_INIT;
    t_export_one(NULL, "csv", &out);
    assert_string_equal(out.data,
                        "type,type_raw,title,authors,year,date,journal,journal_abbr,volume,"
                        "issue,pages,start_page,end_page,doi,pmid,pmcid,issn,isbn,language,"
                        "keywords,pubtypes,urls,publisher,source_ref,abstract,extra\r\n");
    wn_buf_free(&out);
}

static void test_cells_are_quoted_only_when_needed(void **state)
{
    (void)state;
    static const char *const t[] = {
        "title", "", "Say \"hi\", then go",
        "authors", "", "Smith, J",
        "authors", "", "Doe, K",
        "year", "", "2001",
        "keywords", "", "[odd]",
        "keywords", "", "plain",
        "extra", "N1", "two\nlines",
        "extra", "x=y", "v",
        NULL,
    };
    wn_record *r = t_record_raw(t);
    wn_buf out = WN_BUF_INIT;
    t_export_one(r, "csv", &out);
    const char *row = strstr(out.data, "\r\n") + 2;
    assert_string_equal(row, ",,\"Say \"\"hi\"\", then go\",\"Smith, J\nDoe, K\",2001,,,,,,,,,,"
                             ",,,,,\"[\"\"[odd]\"\",\"\"plain\"\"]\",,,,,,"
                             "\"[[\"\"N1\"\",\"\"two\\nlines\"\"],[\"\"x=y\"\",\"\"v\"\"]]\"\r\n");
    /* No byte order mark, and the only CRs end rows. */
    assert_int_equal(out.data[0], 't');
    wn_buf_free(&out);
    wn_record_free(r);
}

static void test_markup_in_text_is_escaped_for_the_normalizer(void **state)
{
    (void)state;
    static const char *const t[] = {
        "title", "", "x &amp; y <i>z</i> p<0.05",
        "extra", "note", "&amp; stays as is in extras",
        NULL,
    };
    wn_record *r = t_record_raw(t);
    wn_buf out = WN_BUF_INIT;
    t_export_one(r, "csv", &out);
    assert_non_null(strstr(out.data, ",x &amp;amp; y &lt;i>z&lt;/i> p<0.05,"));
    assert_non_null(strstr(out.data, "&amp; stays as is in extras"));
    /* And it reads back to the same title. */
    t_parsed back;
    t_parse_text(&back, out.data, out.len, "csv");
    assert_int_equal(back.rc, 0);
    assert_int_equal(back.n, 1);
    assert_string_equal(wn_record_first(back.recs[0], WN_F_TITLE), "x &amp; y <i>z</i> p<0.05");
    t_parsed_free(&back);
    wn_buf_free(&out);
    wn_record_free(r);
}

static void test_second_values_of_single_fields_go_to_extra(void **state)
{
    (void)state;
    static const char *const t[] = {
        "title", "TI", "First",
        "title", "TI", "Second",
        "volume", "", "3",
        "volume", "", "4",
        NULL,
    };
    wn_record *r = t_record_raw(t);
    wn_buf out = WN_BUF_INIT;
    t_export_one(r, "csv", &out);
    assert_non_null(strstr(out.data, "\"[[\"\"TI\"\",\"\"Second\"\"],[\"\"volume\"\",\"\"4\"\"]]\""));
    wn_buf_free(&out);
    wn_record_free(r);
}

static void test_write_errors_stop_the_export(void **state)
{
    (void)state;
    static const char *const t[] = {"title", "", "A", NULL};
    wn_record *r = t_record_raw(t);
    int calls = 0;
    wn_export *x;
    wn_err err;
    /* The header is the first write; the first record the second. */
    assert_int_equal(wn_export_open(&x, "csv", failing_write, &calls, &err), 0);
    assert_int_equal(wn_export_record(x, r), WN_EIO);
    assert_int_equal(wn_export_record(x, r), WN_EIO);
    assert_int_equal(calls, 2);
    assert_int_equal(wn_export_close(x), WN_EIO);
    wn_record_free(r);
}

static void test_formats_and_unknown_names(void **state)
{
    (void)state;
    const char *const *names = wn_export_formats();
    size_t n = 0;
    while (names[n])
        n++;
    assert_int_equal(n, 4);
    assert_string_equal(names[0], "ris");
    assert_string_equal(names[3], "bibtex");
    /* A non-NULL start shows that a failed open clears *out. */
    wn_export *x = (wn_export *)&n;
    wn_err err;
    wn_buf out = WN_BUF_INIT;
    assert_int_equal(wn_export_open(&x, "endnote", t_to_buf, &out, &err), WN_EFORMAT);
    assert_null(x);
    assert_non_null(strstr(err.msg, "'endnote'"));
    assert_int_equal(wn_export_open(&x, "bib", t_to_buf, &out, &err), 0);
    wn_export_free(x);
    wn_export_free(NULL);
    assert_int_equal(out.len, 0);
    wn_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_names_every_column),
        cmocka_unit_test(test_cells_are_quoted_only_when_needed),
        cmocka_unit_test(test_markup_in_text_is_escaped_for_the_normalizer),
        cmocka_unit_test(test_second_values_of_single_fields_go_to_extra),
        cmocka_unit_test(test_write_errors_stop_the_export),
        cmocka_unit_test(test_formats_and_unknown_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
