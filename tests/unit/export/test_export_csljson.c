/* The CSL-JSON writer: the array layout, CSL variables, and custom.winnow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "support.h"

static const char *str(const cJSON *obj, const char *key)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

static void test_items_one_per_line(void **state)
{
    (void)state;
    static const char *const t[] = {
        "type_raw", "TY", "JOUR",
        "title", "", "A \"quoted\" title",
        "authors", "", "Smith, John",
        "authors", "", "World Health Organization",
        "year", "", "2019",
        "date", "", "2019 Mar 12",
        "journal", "", "J",
        "pages", "", "123-9",
        "keywords", "", "a, b",
        "keywords", "", "c",
        "extra", "N1", "note",
        NULL,
    };
    static const char *const bare[] = {"title", "", "Second", NULL};
    wn_record *r[2] = {t_record(t), t_record(bare)};
    wn_buf out = WN_BUF_INIT;
    t_export(r, 2, "csljson", &out);

    /* "[", one item per line, "]". */
    assert_memory_equal(out.data, "[\n{", 3);
    assert_memory_equal(out.data + out.len - 4, "}\n]\n", 4);
    assert_non_null(strstr(out.data, "},\n{"));
    size_t lines = 0;
    for (size_t i = 0; i < out.len; i++)
        lines += out.data[i] == '\n';
    assert_int_equal(lines, 4);

    cJSON *arr = cJSON_ParseWithLength(out.data, out.len);
    assert_true(cJSON_IsArray(arr));
    assert_int_equal(cJSON_GetArraySize(arr), 2);
    const cJSON *it = cJSON_GetArrayItem(arr, 0);
    assert_string_equal(str(it, "type"), "article-journal");
    assert_string_equal(str(it, "title"), "A \"quoted\" title");
    assert_string_equal(str(it, "container-title"), "J");
    assert_string_equal(str(it, "page"), "123-9");
    assert_string_equal(str(it, "keyword"), "a, b, c");
    const cJSON *authors = cJSON_GetObjectItemCaseSensitive(it, "author");
    assert_string_equal(str(cJSON_GetArrayItem(authors, 0), "family"), "Smith");
    assert_string_equal(str(cJSON_GetArrayItem(authors, 0), "given"), "John");
    assert_string_equal(str(cJSON_GetArrayItem(authors, 1), "literal"),
                        "World Health Organization");
    const cJSON *parts = cJSON_GetArrayItem(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(it, "issued"),
                                         "date-parts"),
        0);
    assert_int_equal(cJSON_GetArraySize(parts), 3);
    assert_int_equal(cJSON_GetArrayItem(parts, 1)->valueint, 3);
    assert_int_equal(cJSON_GetArrayItem(parts, 2)->valueint, 12);
    const cJSON *own = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(it, "custom"), "winnow");
    assert_string_equal(str(own, "type_raw"), "JOUR");
    assert_string_equal(str(own, "date"), "2019 Mar 12");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(own, "keywords")), 2);
    const cJSON *extra = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(own, "extra"), 0);
    assert_string_equal(cJSON_GetArrayItem(extra, 0)->valuestring, "N1");
    /* A record without an id gets one made from its place. */
    const cJSON *it2 = cJSON_GetArrayItem(arr, 1);
    assert_string_equal(str(it2, "id"), "item-2");
    assert_string_equal(str(it2, "type"), "document");
    /* custom.winnow is there even when empty: it marks winnow's items. */
    const cJSON *own2 = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(it2, "custom"), "winnow");
    assert_true(cJSON_IsObject(own2));
    assert_null(own2->child);
    cJSON_Delete(arr);

    t_parsed back;
    t_parse_text(&back, out.data, out.len, NULL);
    assert_int_equal(back.rc, 0);
    assert_int_equal(back.n, 2);
    assert_null(wn_record_first(back.recs[1], WN_F_SOURCE_ID));
    assert_int_equal(wn_record_count(back.recs[0], WN_F_KEYWORD), 2);
    t_parsed_free(&back);
    wn_buf_free(&out);
    wn_record_free(r[0]);
    wn_record_free(r[1]);
}

static void test_no_records(void **state)
{
    (void)state;
    wn_buf out = WN_BUF_INIT;
    t_export(NULL, 0, "csljson", &out);
    assert_string_equal(out.data, "[]\n");
    wn_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_items_one_per_line),
        cmocka_unit_test(test_no_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
