/* The BibTeX writer: entry layout, keys, names, and escaping that the LaTeX
 * decoder undoes exactly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "winnow/latex.h"

/* The text between "name = {" and the "},\n" that ends the field. */
static char *field_text(const char *entry, const char *name)
{
    char open[80];
    snprintf(open, sizeof open, "  %s = {", name);
    const char *s = strstr(entry, open);
    if (!s)
        return NULL;
    s += strlen(open);
    const char *e = strstr(s, "},\n");
    assert_non_null(e);
    return wn_strndup(s, (size_t)(e - s));
}

static void test_entry_layout(void **state)
{
    (void)state;
    static const char *const t[] = {
        "type_raw", "", "article",
        "source_ref", "", "smith_2020:a",
        "title", "", "A title",
        "authors", "", "Smith, John",
        "authors", "", "World Health Organization",
        "authors", "", "Doe, Jane, Jr",
        "year", "", "2020",
        "journal", "", "J",
        "issue", "", "4",
        "pages", "", "5-9",
        "doi", "", "10.1000/a_b",
        "keywords", "", "one",
        "keywords", "", "two",
        "extra", "note", "A note",
        NULL,
    };
    wn_record *r = t_record(t);
    wn_buf out = WN_BUF_INIT;
    t_export_one(r, "bibtex", &out);
    assert_string_equal(out.data, "@article{smith_2020:a,\n"
                                  "  title = {A title},\n"
                                  "  author = {Smith, John and {World Health Organization} and "
                                  "Doe, Jr, Jane},\n"
                                  "  year = {2020},\n"
                                  "  journal = {J},\n"
                                  "  number = {4},\n"
                                  "  pages = {5-9},\n"
                                  "  doi = {10.1000/a_b},\n"
                                  "  keywords = {one, two},\n"
                                  "  note = {A note},\n"
                                  "}\n\n");
    t_parsed back;
    t_parse_text(&back, out.data, out.len, "bibtex");
    assert_int_equal(back.rc, 0);
    assert_int_equal(back.n, 1);
    assert_string_equal(wn_record_get(back.recs[0], WN_F_AUTHOR, 1), "World Health Organization");
    assert_string_equal(wn_record_get(back.recs[0], WN_F_AUTHOR, 2), "Doe, Jane, Jr");
    t_parsed_free(&back);
    wn_buf_free(&out);
    wn_record_free(r);
}

static void test_special_characters_decode_back(void **state)
{
    (void)state;
    const char *title = "50% of {A_B} & \\x ~y ^z $1 #2 a--b ``q'' caf\xC3\xA9";
    static const char *const t_template[] = {"title", "", NULL, NULL};
    const char *t[4] = {t_template[0], t_template[1], title, NULL};
    wn_record *r = t_record(t);
    wn_buf out = WN_BUF_INIT;
    t_export_one(r, "bibtex", &out);
    char *written = field_text(out.data, "title");
    assert_non_null(written);
    assert_string_equal(written, "50\\% of \\{A\\_B\\} \\& \\textbackslash{}x "
                                 "\\textasciitilde{}y \\textasciicircum{}z \\$1 \\#2 a-{}-b "
                                 "`{}`q'{}' caf\xC3\xA9");
    wn_buf plain = WN_BUF_INIT;
    assert_int_equal(wn_latex_decode(&plain, written, strlen(written)), 0);
    assert_string_equal(plain.data, title);
    free(written);
    wn_buf_free(&plain);
    wn_buf_free(&out);
    wn_record_free(r);
}

static void test_keys_types_and_carried_fields(void **state)
{
    (void)state;
    static const char *const t[] = {
        "type_raw", "", "JOUR",
        "source_ref", "", "has space",
        "title", "", "T",
        "keywords", "", "with, comma",
        "pubtypes", "", "Review",
        "extra", "N1", "two  spaces",
        NULL,
    };
    wn_record *r = t_record(t);
    wn_buf out = WN_BUF_INIT;
    t_export_one(r, "bibtex", &out);
    assert_memory_equal(out.data, "@article{winnow1,\n", 18);
    assert_null(strstr(out.data, "keywords = "));
    char *carrier = field_text(out.data, "winnow");
    assert_non_null(carrier);
    wn_buf plain = WN_BUF_INIT;
    assert_int_equal(wn_latex_decode(&plain, carrier, strlen(carrier)), 0);
    assert_string_equal(plain.data,
                        "winnow-fields: {\"source_ref\":[\"has space\"],\"type_raw\":[\"JOUR\"],"
                        "\"keywords\":[\"with, comma\"],\"pubtypes\":[\"Review\"],"
                        "\"extra\":[[\"N1\",\"two\\u0020\\u0020spaces\"]]}");
    t_parsed back;
    t_parse_text(&back, out.data, out.len, "bibtex");
    assert_int_equal(back.rc, 0);
    assert_string_equal(wn_record_first(back.recs[0], WN_F_SOURCE_ID), "has space");
    assert_string_equal(wn_record_first(back.recs[0], WN_F_TYPE_RAW), "JOUR");
    assert_string_equal(wn_record_first(back.recs[0], WN_F_KEYWORD), "with, comma");
    assert_string_equal(wn_record_first(back.recs[0], WN_F_EXTRA), "two  spaces");
    t_parsed_free(&back);
    free(carrier);
    wn_buf_free(&plain);
    wn_buf_free(&out);
    wn_record_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_layout),
        cmocka_unit_test(test_special_characters_decode_back),
        cmocka_unit_test(test_keys_types_and_carried_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
