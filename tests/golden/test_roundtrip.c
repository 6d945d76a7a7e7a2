/* Every export reads back to the same records: real exports (RIS, BibTeX,
 * MEDLINE) and synthetic records with every field and awkward text, through
 * each of the four export formats and the matching reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *const formats[] = {"csv", "csljson", "ris", "bibtex"};
#define N_FORMATS (sizeof formats / sizeof formats[0])

/* ---- comparing records ------------------------------------------------- */

/* Quotes at most 80 bytes of a value for a message. */
static const char *quote(const char *v, char out[100])
{
    snprintf(out, 100, "'%.80s%s'", v, strlen(v) > 80 ? "..." : "");
    return out;
}

/* The i-th value of f in a (for extras the i-th extra), or NULL. */
static const wn_field_value *nth(const wn_record *r, wn_field f, size_t i, wn_field_value *v)
{
    for (size_t k = 0; k < wn_record_size(r); k++) {
        *v = wn_record_at(r, k);
        if (v->field == f && i-- == 0)
            return v;
    }
    return NULL;
}

/* Same values for every field, in the same order within each field; extras
 * also with the same tags. (Tags of known fields name the format's own
 * fields, and fields come in each format's order, so neither is compared.)
 * Returns 0, or 1 with the first difference described in msg. */
static int differ(const wn_record *want, const wn_record *got, char *msg, size_t size)
{
    for (int f = 0; f < WN_F_COUNT; f++) {
        size_t nw = wn_record_count(want, (wn_field)f), ng = wn_record_count(got, (wn_field)f);
        size_t n = nw > ng ? nw : ng;
        for (size_t i = 0; i < n; i++) {
            wn_field_value a, b;
            const wn_field_value *va = nth(want, (wn_field)f, i, &a);
            const wn_field_value *vb = nth(got, (wn_field)f, i, &b);
            char qa[100], qb[100];
            if (!va || !vb) {
                snprintf(msg, size, "%s value %zu: expected %s%s%s, got %s%s%s",
                         wn_field_name((wn_field)f), i + 1, va ? va->tag : "",
                         va ? "=" : "", va ? quote(va->value, qa) : "nothing",
                         vb ? vb->tag : "", vb ? "=" : "", vb ? quote(vb->value, qb) : "nothing");
                return 1;
            }
            int tag_differs = f == WN_F_EXTRA && strcmp(va->tag, vb->tag) != 0;
            if (tag_differs || strcmp(va->value, vb->value) != 0) {
                snprintf(msg, size, "%s value %zu: expected %s=%s, got %s=%s",
                         wn_field_name((wn_field)f), i + 1, va->tag, quote(va->value, qa),
                         vb->tag, quote(vb->value, qb));
                return 1;
            }
        }
    }
    return 0;
}

/* Exports recs as format, reads the text back, and fails on the first
 * record that differs. */
static void round_trip(const char *what, const char *format, wn_record *const *recs, size_t n)
{
    wn_buf text = WN_BUF_INIT;
    t_export(recs, n, format, &text);
    t_parsed back;
    t_parse_text(&back, text.data ? text.data : "", text.len, format);
    if (back.rc != 0)
        fail_msg("%s via %s: cannot read the export back: %s", what, format, back.err.msg);
    if (back.n != n)
        fail_msg("%s via %s: wrote %zu records, read back %zu", what, format, n, back.n);
    /* The export is detected as what it is. */
    t_parsed detected;
    t_parse_text(&detected, text.data ? text.data : "", text.len, NULL);
    if (detected.rc != 0 || detected.n != n)
        fail_msg("%s via %s: export not detected as its format: %s", what, format,
                 detected.err.msg);
    t_parsed_free(&detected);
    for (size_t i = 0; i < n; i++) {
        char msg[600];
        if (differ(recs[i], back.recs[i], msg, sizeof msg)) {
            const char *id = wn_record_first(recs[i], WN_F_SOURCE_ID);
            fail_msg("%s via %s: record %zu (source id %s): %s", what, format, i + 1,
                     id ? id : "none", msg);
        }
    }
    t_parsed_free(&back);
    wn_buf_free(&text);
}

/* ---- real exports -------------------------------------------------------- */

static void corpus_round_trips(const char *rel, const char *format, size_t expected)
{
    T_NEED_CORPUS(path, rel);
    t_parsed src;
    t_parse_file(&src, path, format);
    if (src.rc != 0)
        fail_msg("cannot read %s: %s", rel, src.err.msg);
    assert_int_equal(src.n, expected);
    for (size_t k = 0; k < N_FORMATS; k++)
        round_trip(rel, formats[k], src.recs, src.n);
    t_parsed_free(&src);
}

static void test_ris_export_of_endnote(void **state)
{
    (void)state;
    corpus_round_trips("formats/reflib/blue-light.ris", "ris", 102);
}

static void test_bibtex_export_of_zotero(void **state)
{
    (void)state;
    corpus_round_trips("formats/ASySD/zotero_export.bib", "bibtex", 1000);
}

static void test_medline_export_of_pubmed(void **state)
{
    (void)state;
    corpus_round_trips("formats/revtools/restoration_pubmed.nbib", "medline", 104);
}

/* ---- synthetic records ------------------------------------------------- */

static void test_synthetic_records(void **state)
{
    (void)state;
    static const char *const full[] = {
        "type_raw", "TY", "JOUR",
        "title", "TI", "Caf\xC3\xA9 \"quoted\" {braces} & 100% $5 #1 a_b ~x ^y back\\slash, "
                       "comma; semi -- dash",
        "authors", "AU", "Smith, John",
        "authors", "AU", "van der Berg, Anna-Lena",
        "authors", "AU", "World Health Organization",
        "authors", "AU", "O'Brien, S\xC3\xA9" "amus",
        "authors", "AU", "\xE5\xBC\xA0, \xE4\xB8\x89",
        "year", "PY", "2019",
        "date", "DA", "2019 Mar 12",
        "journal", "JF", "Journal of Things & Stuff",
        "journal_abbr", "J2", "J Things",
        "volume", "VL", "12",
        "issue", "IS", "3",
        "pages", "SP", "123-9",
        "doi", "DO", "https://doi.org/10.1000/XYZ-123",
        "pmid", "", "12345678",
        "pmcid", "", "PMC1234567",
        "issn", "SN", "1234-5678",
        "issn", "SN", "2345-6789",
        "isbn", "SN", "978-0-306-40615-7",
        "language", "LA", "eng",
        "keywords", "KW", "alpha, beta",
        "keywords", "KW", "gamma",
        "keywords", "KW", "\xCE\xB4-delta",
        "pubtypes", "M3", "Journal Article",
        "pubtypes", "M3", "Review",
        "urls", "UR", "https://example.org/a?b=1;c=2",
        "urls", "UR", "http://example.org/z",
        "publisher", "PB", "\xC3\x9Cn\xC3\xAF" "c\xC3\xB6" "d\xC3\xA9 Press",
        "source_ref", "ID", "rec-1",
        "abstract", "AB", "Line one, with comma; and semicolon.\n\"Quotes\" and {braces}.\n"
                          "ER  - not an end\nTail with \xE2\x80\x94 dash.",
        "extra", "N1", "multi\nline note",
        "extra", "note", "a=b, c; d",
        "extra", "custom field", "x",
        "extra", "AD", "Address, City",
        "extra", "x=y", "weird tag",
        NULL,
    };
    static const char *const markup[] = {
        "type_raw", "TY", "CHAP",
        "title", "TI", "Tags &lt;i&gt;like&lt;/i&gt; this &amp;amp; that &lt;3",
        "authors", "AU", "Doe, Jane",
        "abstract", "AB", "p&lt;0.05 &amp;#233; x",
        "year", "PY", "1999",
        NULL,
    };
    static const char *const sparse[] = {
        "type_raw", "TY", "BOOK",
        "title", "TI", "Only a title [in brackets]",
        NULL,
    };
    static const char *const awkward_extras[] = {
        "type_raw", "TY", "RPRT",
        "title", "TI", "Extras that need care",
        "pages", "SP", "e1234",
        "extra", "N1", "first\n\n   indented after a blank line",
        "extra", "TY", "a tag that starts records",
        "extra", "ER", "and one that ends them",
        "extra", "", "no tag at all",
        "extra", "Cited by", "[1, 2]",
        NULL,
    };
    static const char *const untyped[] = {
        "title", "", "No type, no id",
        "authors", "", "Solo, Han",
        NULL,
    };
    wn_record *recs[] = {t_record(full), t_record(markup), t_record(sparse),
                         t_record(awkward_extras), t_record(untyped)};
    size_t n = sizeof recs / sizeof recs[0];
    /* The normalizer made the values what a reader gives. */
    assert_string_equal(wn_record_first(recs[0], WN_F_TYPE), "article");
    assert_string_equal(wn_record_first(recs[0], WN_F_END_PAGE), "129");
    assert_string_equal(wn_record_first(recs[0], WN_F_DOI), "10.1000/xyz-123");
    assert_string_equal(wn_record_first(recs[1], WN_F_TITLE),
                        "Tags <i>like</i> this &amp; that <3");
    for (size_t k = 0; k < N_FORMATS; k++)
        round_trip("synthetic", formats[k], recs, n);
    for (size_t i = 0; i < n; i++)
        wn_record_free(recs[i]);
}

static void test_no_records_gives_a_readable_empty_export(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_FORMATS; k++) {
        wn_buf text = WN_BUF_INIT;
        t_export(NULL, 0, formats[k], &text);
        if (!strcmp(formats[k], "csljson")) {
            assert_string_equal(text.data, "[]\n");
            t_parsed back;
            t_parse_text(&back, text.data, text.len, formats[k]);
            assert_int_equal(back.rc, 0);
            assert_int_equal(back.n, 0);
            t_parsed_free(&back);
        }
        wn_buf_free(&text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_synthetic_records),
        cmocka_unit_test(test_no_records_gives_a_readable_empty_export),
        cmocka_unit_test(test_ris_export_of_endnote),
        cmocka_unit_test(test_bibtex_export_of_zotero),
        cmocka_unit_test(test_medline_export_of_pubmed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
