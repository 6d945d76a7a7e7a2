/* The CSL-JSON reader: CSL variables to fields, real citation-js output,
 * error messages and limits, and the sniffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "import/parser.h"

static void parse(t_parsed *out, const char *text)
{
    t_parse_str(out, text, "csljson");
}

static size_t line_of(const char *text, size_t offset)
{
    size_t line = 1;
    for (size_t i = 0; i < offset; i++)
        line += text[i] == '\n';
    return line;
}

static int contains(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(s + i, needle, n) == 0)
            return 1;
    return 0;
}

static void test_citation_js_items(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/citation-js/bibtex-csl.json");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 16);
    assert_int_equal(p.n_warnings, 0);

    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_TYPE_RAW), "article-journal");
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "article");
    assert_string_equal(wn_record_first(r, WN_F_SOURCE_ID), "Article");
    assert_int_equal(wn_record_count(r, WN_F_SOURCE_ID), 1);
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Adams, Alice");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Brody, Bob");
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "Lorem Ipsum");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "The BibTeX Journal");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2020");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "2020-02");
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "5");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "6");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "200-210");
    assert_string_equal(wn_record_first(r, WN_F_START_PAGE), "200");
    assert_string_equal(wn_record_first(r, WN_F_END_PAGE), "210");
    assert_string_equal(t_extra(r, "note"), "This is a note.");

    r = p.recs[1]; /* Book: editor and series stay as extras */
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "book");
    assert_string_equal(wn_record_first(r, WN_F_PUBLISHER), "BibTeX Publishers");
    assert_string_equal(t_extra(r, "editor"), "Coburn, Carol");
    assert_string_equal(t_extra(r, "collection-title"), "Good Series");
    assert_string_equal(t_extra(r, "publisher-place"), "Goodville");

    t_assert_field(&p, 5, WN_F_TYPE, "conference");
    t_assert_field(&p, 8, WN_F_TYPE, "generic");
    assert_string_equal(t_extra(p.recs[11], "number"), "ABC-123");
    t_assert_field(&p, 10, WN_F_AUTHOR, NULL);

    r = p.recs[15];
    assert_string_equal(wn_record_first(r, WN_F_SOURCE_ID), "loir:B6");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Straka, Jakub");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "2012-05-14");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Zootaxa");
    assert_string_equal(wn_record_first(r, WN_F_END_PAGE), "41");
    assert_int_equal(t_count_with(&p, WN_F_TITLE), 16);
    assert_int_equal(t_count_with(&p, WN_F_YEAR), 16);

    /* Origins: each item's braces, on the line where it opens. */
    size_t len;
    char *text = t_read_file(path, &len);
    for (size_t i = 0; i < p.n; i++) {
        const wn_origin *o = wn_record_origin_c(p.recs[i]);
        assert_true(o->offset + o->length <= len);
        /* The file has a BOM-free UTF-8 start, so offsets match the file. */
        assert_int_equal(text[o->offset], '{');
        assert_int_equal(text[o->offset + o->length - 1], '}');
        assert_int_equal(o->line, line_of(text, o->offset));
        assert_int_equal(o->position, i + 1);
    }
    const wn_origin *last = wn_record_origin_c(p.recs[15]);
    assert_true(contains(text + last->offset, last->length, "loir:B6"));
    free(text);
    t_parsed_free(&p);
}

static void test_single_object_and_foreign_shapes(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "{\"type\": \"book\", \"title\": \"T\", \"volume\": 12,\n"
              " \"author\": [{\"family\": \"Beethoven\", \"given\": \"Ludwig\",\n"
              "   \"non-dropping-particle\": \"van\"}, {\"literal\": \"WHO Group\"}],\n"
              " \"keyword\": \"alpha, beta; gamma\", \"issued\": {\"raw\": \"Spring 1999\"},\n"
              " \"ISSN\": [\"1234-5678\", \"2345-6789\"], \"accessed\": {\"date-parts\": "
              "[[2021, 3, 4]]}, \"custom\": {\"tool\": 1}}");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "12");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "van Beethoven, Ludwig");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "WHO Group");
    assert_int_equal(wn_record_count(r, WN_F_KEYWORD), 3);
    assert_string_equal(wn_record_get(r, WN_F_KEYWORD, 2), "gamma");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "Spring 1999");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "1999");
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 2);
    assert_string_equal(t_extra(r, "accessed"), "2021-03-04");
    assert_string_equal(t_extra(r, "custom"), "{\"tool\":1}");
    assert_int_equal(wn_record_origin_c(r)->line, 1);
    t_parsed_free(&p);
}

static void test_invalid_json_names_line_and_column(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "[\n  {\"title\": \"x\",\n   \"type\" \"book\"}\n]\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "'input' line 3:"));
    assert_non_null(strstr(p.err.msg, "column 11"));
    t_parsed_free(&p);

    parse(&p, "[{\"title\": \"cut\"},\n {\"title\": \"off");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "line 2:"));
    assert_non_null(strstr(p.err.msg, "before its brackets or quotes close"));
    t_parsed_free(&p);

    parse(&p, "[{\"title\": \"a\"}] trailing");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "column 18"));
    t_parsed_free(&p);
}

static void test_deep_nesting_is_refused_before_parsing(void **state)
{
    (void)state;
    char text[400];
    size_t n = 0;
    text[n++] = '[';
    text[n++] = '{';
    memcpy(text + n, "\"title\":", 8);
    n += 8;
    for (int i = 0; i < 70; i++)
        text[n++] = '[';
    for (int i = 0; i < 70; i++)
        text[n++] = ']';
    text[n++] = '}';
    text[n++] = ']';
    text[n] = '\0';
    t_parsed p;
    parse(&p, text);
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "deeper than 64"));
    t_parsed_free(&p);
}

static void test_items_that_are_not_objects_are_skipped(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "[\n\"stray\",\n{\"title\": \"Kept\", \"type\": \"book\"},\n 7\n]");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    t_assert_field(&p, 0, WN_F_TITLE, "Kept");
    assert_int_equal(wn_record_origin_c(p.recs[0])->line, 3);
    t_assert_warned(&p, "item 1 of the array is not an object");
    t_assert_warned(&p, "item 3 of the array is not an object");
    t_parsed_free(&p);
}

static void test_winnow_custom_fields_win_over_csl_variables(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "[{\"id\": \"item-1\", \"type\": \"article-journal\", \"title\": \"T\",\n"
              "  \"keyword\": \"a, b\", \"DOI\": \"10.1000/one\",\n"
              "  \"custom\": {\"winnow\": {\"type_raw\": \"JOUR\", \"keywords\": [\"a, b\"],\n"
              "    \"doi\": [\"not a doi\", \"also not\"],\n"
              "    \"extra\": [[\"N1\", \"line\\nbreak\"]]}}}]");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_TYPE_RAW), "JOUR");
    assert_int_equal(wn_record_count(r, WN_F_TYPE_RAW), 1);
    /* The generated id is not the source's: custom.winnow has none. */
    assert_null(wn_record_first(r, WN_F_SOURCE_ID));
    assert_int_equal(wn_record_count(r, WN_F_KEYWORD), 1);
    assert_string_equal(wn_record_first(r, WN_F_KEYWORD), "a, b");
    assert_int_equal(wn_record_count(r, WN_F_DOI), 2);
    assert_string_equal(wn_record_get(r, WN_F_DOI, 1), "also not");
    assert_string_equal(t_extra(r, "N1"), "line\nbreak");
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "T");
    t_parsed_free(&p);
}

static void test_sniffer(void **state)
{
    (void)state;
    const wn_format *f = wn_format_find("csljson");
    const char *csl = "[{\"id\":\"a\",\"type\":\"book\",\"title\":\"x\",\"issued\":{}}]";
    assert_true(f->sniff(csl, strlen(csl)) >= 60);
    /* A JSON object whose own keys are not CSL (an API response). */
    const char *api = "{\"meta\":{\"count\":1},\"results\":[{\"id\":\"a\",\"title\":\"x\","
                      "\"type\":\"article\",\"page\":\"1\"}]}";
    assert_true(f->sniff(api, strlen(api)) < 20);
    const char *csv = "\"title\",\"type\",\"id\"\n\"x\",\"y\",\"z\"\n";
    assert_int_equal(f->sniff(csv, strlen(csv)), 0);
    const char *ris = "TY  - JOUR\nTI  - \"title\": x\nER  - \n";
    assert_int_equal(f->sniff(ris, strlen(ris)), 0);
    /* A window from the middle of a long file, one item per line. */
    const char *middle = "\"page\":\"1-2\"},\n{\"id\":\"b\",\"type\":\"book\",\"title\":\"y\","
                         "\"container-title\":\"J\"},\n";
    assert_true(f->sniff(middle, strlen(middle)) > 0);
    T_NEED_CORPUS(path, "formats/reflib/blue-light.ris");
    size_t len;
    char *text = t_read_file(path, &len);
    assert_int_equal(wn_format_sniff(f, text, len), 0);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_citation_js_items),
        cmocka_unit_test(test_single_object_and_foreign_shapes),
        cmocka_unit_test(test_invalid_json_names_line_and_column),
        cmocka_unit_test(test_deep_nesting_is_refused_before_parsing),
        cmocka_unit_test(test_items_that_are_not_objects_are_skipped),
        cmocka_unit_test(test_winnow_custom_fields_win_over_csl_variables),
        cmocka_unit_test(test_sniffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
