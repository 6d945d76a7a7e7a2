/* The API JSON readers (OpenAlex, Crossref, Publish or Perish) on small
 * inline inputs: one test per mapping rule, the shared JSON checks (depth,
 * truncation messages), and the sniffers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "import/json_input.h"

static void check_name(const char *in, const char *want)
{
    wn_buf b = WN_BUF_INIT;
    assert_int_equal(wn_json_name_inverted(in, &b), 0);
    assert_non_null(b.data);
    assert_string_equal(b.data, want);
    wn_buf_free(&b);
}

static void test_name_inversion(void **state)
{
    (void)state;
    check_name("Hans Christianson", "Christianson, Hans");
    check_name("Vincent J. Derbes", "Derbes, Vincent J.");
    check_name("Miriam von Thenen", "von Thenen, Miriam");
    check_name("Otto M\xc3\xbcller Patr\xc3\xa3o de Oliveira",
               "de Oliveira, Otto M\xc3\xbcller Patr\xc3\xa3o");
    check_name("Ana de la Cruz", "de la Cruz, Ana");
    check_name("W Guo", "Guo, W");
    check_name("  Mary   Smith  ", "Smith, Mary");
    check_name("Plato", "Plato");
    check_name("Smith, John", "Smith, John");
    check_name("Mohammed Nafia et al.", "Nafia, Mohammed");
    /* A lower-case first word stays the given name. */
    check_name("bell hooks", "hooks, bell");
}

static const char openalex_page[] =
    "{\"meta\": {\"count\": 2, \"per_page\": 200},\n"
    " \"results\": [\n"
    "  {\"id\": \"https://openalex.org/W11\", \"doi\": \"https://doi.org/10.1234/ABC.5\",\n"
    "   \"title\": \"Cats on mats\", \"display_name\": \"Cats on mats\",\n"
    "   \"publication_year\": 2021, \"publication_date\": \"2021-03-04\",\n"
    "   \"ids\": {\"openalex\": \"https://openalex.org/W11\",\n"
    "           \"pmid\": \"https://pubmed.ncbi.nlm.nih.gov/33445566\",\n"
    "           \"pmcid\": \"https://www.ncbi.nlm.nih.gov/pmc/articles/PMC778899\"},\n"
    "   \"language\": \"en\", \"type\": \"book-chapter\",\n"
    "   \"primary_location\": {\"source\": {\"display_name\": \"Feline Studies\",\n"
    "     \"issn_l\": \"1234-5678\", \"issn\": [\"1234-5678\", \"8765-4321\"],\n"
    "     \"host_organization_name\": \"Cat Press\"}},\n"
    "   \"authorships\": [{\"author\": {\"display_name\": \"Ada Lovelace\"}},\n"
    "                    {\"author\": {\"display_name\": \"Miriam von Thenen\"}},\n"
    "                    {\"author\": {}, \"raw_author_name\": \"Jan de Vries\"}],\n"
    "   \"biblio\": {\"volume\": \"7\", \"issue\": \"2\", \"first_page\": \"10\",\n"
    "              \"last_page\": \"19\"},\n"
    "   \"keywords\": [{\"display_name\": \"Cats\"}, {\"display_name\": \"Mats\"}],\n"
    "   \"concepts\": [{\"display_name\": \"Biology\"}],\n"
    "   \"open_access\": {\"is_oa\": true, \"oa_url\": \"https://example.org/cats.pdf\"},\n"
    "   \"cited_by_count\": 42,\n"
    "   \"abstract_inverted_index\": {\"the\": [0, 3], \"cat\": [1], \"sat\": [2],\n"
    "                               \"mat.\": [4]}},\n"
    "  {\"id\": \"https://openalex.org/W22\", \"title\": \"A thesis\",\n"
    "   \"type\": \"dissertation\", \"open_access\": {\"is_oa\": false}},\n"
    "  {\"id\": \"https://openalex.org/W33\", \"title\": \"Odd\", \"type\": \"paratext\"}\n"
    " ]}\n";

static void test_openalex_page(void **state)
{
    (void)state;
    t_parsed p;
    t_parse_str(&p, openalex_page, "openalex");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 3);
    assert_int_equal(p.n_warnings, 0);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_SOURCE_ID), "W11");
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "Cats on mats");
    assert_int_equal(wn_record_count(r, WN_F_TITLE), 1);
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 3);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Lovelace, Ada");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "von Thenen, Miriam");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 2), "de Vries, Jan");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2021");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "2021-03-04");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Feline Studies");
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 2);
    assert_string_equal(wn_record_get(r, WN_F_ISSN, 0), "1234-5678");
    assert_string_equal(wn_record_get(r, WN_F_ISSN, 1), "8765-4321");
    assert_string_equal(wn_record_first(r, WN_F_PUBLISHER), "Cat Press");
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "7");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "2");
    assert_string_equal(wn_record_first(r, WN_F_START_PAGE), "10");
    assert_string_equal(wn_record_first(r, WN_F_END_PAGE), "19");
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.1234/abc.5");
    assert_string_equal(wn_record_first(r, WN_F_PMID), "33445566");
    assert_string_equal(wn_record_first(r, WN_F_PMCID), "PMC778899");
    assert_string_equal(wn_record_first(r, WN_F_LANGUAGE), "English"); /* from "en" */
    assert_string_equal(wn_record_first(r, WN_F_TYPE_RAW), "book-chapter");
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "chapter");
    /* Keywords only: concepts are OpenAlex's own classification. */
    assert_int_equal(wn_record_count(r, WN_F_KEYWORD), 2);
    assert_string_equal(wn_record_get(r, WN_F_KEYWORD, 1), "Mats");
    assert_string_equal(t_extra(r, "is_oa"), "true");
    assert_string_equal(wn_record_first(r, WN_F_URL), "https://example.org/cats.pdf");
    assert_string_equal(t_extra(r, "cited_by_count"), "42");
    /* "the" stands at two places. */
    assert_string_equal(wn_record_first(r, WN_F_ABSTRACT), "the cat sat the mat.");

    assert_string_equal(t_field(&p, 1, WN_F_TYPE), "thesis");
    assert_string_equal(t_extra(p.recs[1], "is_oa"), "false");
    assert_null(t_field(&p, 1, WN_F_ABSTRACT));
    assert_string_equal(t_field(&p, 2, WN_F_TYPE), "generic");

    /* Origins: each work's opening brace, its line, its whole text. */
    const char *ids[] = {"\"https://openalex.org/W11\"", "\"https://openalex.org/W22\"",
                         "\"https://openalex.org/W33\""};
    const size_t lines[] = {3, 24, 26};
    for (size_t i = 0; i < 3; i++) {
        const wn_origin *o = t_origin(&p, i);
        assert_int_equal(o->line, lines[i]);
        assert_int_equal(openalex_page[o->offset], '{');
        assert_int_equal(openalex_page[o->offset + o->length - 1], '}');
        assert_int_equal(o->offset + 7, (size_t)(strstr(openalex_page, ids[i]) - openalex_page));
    }
    t_parsed_free(&p);
}

static void test_openalex_single_work_and_array(void **state)
{
    (void)state;
    t_parsed p;
    t_parse_str(&p,
                "{\"id\": \"https://openalex.org/W5\", \"display_name\": \"Only a name\",\n"
                " \"abstract_inverted_index\": {\"b\": [1], \"a\": [0], \"c\": [2, 5],"
                " \"d\": [4], \"e\": [3]}}",
                "openalex");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_string_equal(t_field(&p, 0, WN_F_TITLE), "Only a name");
    assert_string_equal(t_field(&p, 0, WN_F_ABSTRACT), "a b c e d c");
    assert_int_equal(t_origin(&p, 0)->offset, 0);
    t_parsed_free(&p);

    t_parse_str(&p, "[{\"id\": \"https://openalex.org/W1\", \"title\": \"One\"}, 7,\n"
                    " {\"id\": \"https://openalex.org/W2\", \"title\": \"Two\"}]",
                "openalex");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    t_assert_warned(&p, "result 2 is not an object");
    assert_string_equal(t_field(&p, 1, WN_F_SOURCE_ID), "W2");
    assert_int_equal(t_origin(&p, 1)->line, 2);
    t_parsed_free(&p);
}

static void test_openalex_empty_and_wrong_shapes(void **state)
{
    (void)state;
    t_parsed p;
    t_parse_str(&p, "{\"meta\": {\"count\": 0}, \"results\": []}", "openalex");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "no OpenAlex works found"));
    t_parsed_free(&p);

    t_parse_str(&p, "{\"title\": \"not a work\"}", "openalex");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "expected an OpenAlex response"));
    t_parsed_free(&p);
}

static void test_crossref_work_list_and_dates(void **state)
{
    (void)state;
    t_parsed p;
    t_parse_str(&p,
                "{\"status\": \"ok\", \"message-type\": \"work-list\",\n"
                " \"message\": {\"total-results\": 3, \"items\": [\n"
                "  {\"DOI\": \"10.5555/AB\", \"title\": [\"Main title\", \"Other title\"],\n"
                "   \"subtitle\": [\"A subtitle\"],\n"
                "   \"author\": [{\"given\": \"Jo\", \"family\": \"Bloggs\"},\n"
                "              {\"name\": \"The Consortium\"}],\n"
                "   \"container-title\": [\"Journal of Tests\"],\n"
                "   \"short-container-title\": [\"J Tests\"],\n"
                "   \"issued\": {\"date-parts\": [[2021, 8, 3]]},\n"
                "   \"published-print\": {\"date-parts\": [[2022]]},\n"
                "   \"volume\": \"12\", \"issue\": \"3\", \"page\": \"100-110\",\n"
                "   \"ISSN\": [\"1111-2222\", \"3333-4444\"], \"ISBN\": [\"9780306406157\"],\n"
                "   \"type\": \"proceedings-article\", \"publisher\": \"Test Society\",\n"
                "   \"language\": \"en\", \"URL\": \"https://doi.org/10.5555/ab\",\n"
                "   \"subject\": [\"Testing\", \"Software\"],\n"
                "   \"abstract\": \"<jats:title>Abstract</jats:title><jats:p>First <jats:italic>"
                "part</jats:italic>.</jats:p><jats:p>Second.</jats:p>\",\n"
                "   \"is-referenced-by-count\": 5, \"link\": [{\"URL\": \"x\"}]},\n"
                "  {\"DOI\": \"10.5555/cd\", \"title\": [\"No issued date\"],\n"
                "   \"issued\": {\"date-parts\": [[null]]},\n"
                "   \"published-online\": {\"date-parts\": [[1957, 10]]},\n"
                "   \"type\": \"journal-article\"},\n"
                "  {\"DOI\": \"10.5555/ef\", \"title\": [\"Unlisted type\"], \"type\": \"book-set\"}\n"
                " ]}}\n",
                "crossref");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 3);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.5555/ab");
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "Main title");
    assert_int_equal(wn_record_count(r, WN_F_TITLE), 1);
    assert_string_equal(t_extra(r, "title"), "Other title");
    assert_string_equal(t_extra(r, "subtitle"), "A subtitle");
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Bloggs, Jo");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "The Consortium");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Journal of Tests");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL_ABBR), "J Tests");
    /* issued comes first; the print date is not used. */
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2021");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "2021-08-03");
    assert_int_equal(wn_record_count(r, WN_F_DATE), 1);
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "12");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "3");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "100-110");
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 2);
    assert_int_equal(wn_record_count(r, WN_F_ISBN), 1);
    assert_string_equal(wn_record_first(r, WN_F_TYPE_RAW), "proceedings-article");
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "conference");
    assert_string_equal(wn_record_first(r, WN_F_PUBLISHER), "Test Society");
    assert_string_equal(wn_record_first(r, WN_F_LANGUAGE), "English"); /* from "en" */
    assert_string_equal(wn_record_first(r, WN_F_URL), "https://doi.org/10.5555/ab");
    assert_int_equal(wn_record_count(r, WN_F_KEYWORD), 2);
    assert_string_equal(wn_record_first(r, WN_F_ABSTRACT), "First part. Second.");
    assert_string_equal(t_extra(r, "is-referenced-by-count"), "5");
    assert_null(t_extra(r, "link"));
    assert_int_equal(t_origin(&p, 0)->line, 3);

    /* A date without a year gives way to the next one. */
    assert_string_equal(t_field(&p, 1, WN_F_YEAR), "1957");
    assert_string_equal(t_field(&p, 1, WN_F_DATE), "1957-10");
    assert_string_equal(t_field(&p, 1, WN_F_TYPE), "article");
    assert_int_equal(t_origin(&p, 1)->line, 18);
    assert_string_equal(t_field(&p, 2, WN_F_TYPE_RAW), "book-set");
    t_parsed_free(&p);
}

static void test_crossref_single_and_keyed_by_doi(void **state)
{
    (void)state;
    t_parsed p;
    t_parse_str(&p,
                "{\"status\": \"ok\", \"message-type\": \"work\", \"message\": {\"DOI\": "
                "\"10.1/one\", \"title\": [\"Single\"], \"type\": \"posted-content\"}}",
                "crossref");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_string_equal(t_field(&p, 0, WN_F_TITLE), "Single");
    assert_string_equal(t_field(&p, 0, WN_F_TYPE), "preprint");
    t_parsed_free(&p);

    static const char keyed[] = "{\n"
                                "  \"10.1/A\": [{\"DOI\": \"10.1/a\", \"title\": \"In a list\"}],\n"
                                "  \"10.1/B\": {\"DOI\": \"10.1/b\", \"title\": \"Bare\"},\n"
                                "  \"10.1/D\": [5],\n"
                                "  \"10.1/C\": null\n"
                                "}\n";
    t_parse_str(&p, keyed, "crossref");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    t_assert_warned(&p, "a work that is not an object was skipped");
    assert_string_equal(t_field(&p, 0, WN_F_TITLE), "In a list");
    assert_string_equal(t_field(&p, 1, WN_F_DOI), "10.1/b");
    assert_int_equal(t_origin(&p, 0)->line, 2);
    assert_int_equal(keyed[t_origin(&p, 0)->offset], '{');
    assert_int_equal(t_origin(&p, 1)->line, 3);
    assert_int_equal(t_origin(&p, 1)->offset, (size_t)(strstr(keyed, "{\"DOI\": \"10.1/b") - keyed));
    t_parsed_free(&p);

    t_parse_str(&p, "{\"status\": \"ok\", \"message-type\": \"work-list\", \"message\": "
                    "{\"items\": []}}",
                "crossref");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "no Crossref works found"));
    t_parsed_free(&p);
}

static void test_pop_results(void **state)
{
    (void)state;
    t_parsed p;
    t_parse_str(&p,
                "[\n"
                " {\"uid\": \"GS:1\", \"title\": \"A title\", \"authors\": \"A Smith, BC Jones\",\n"
                "  \"year\": 2019, \"source\": \"Some Journal\", \"publisher\": \"example.org\",\n"
                "  \"article_url\": \"https://example.org/a\", \"cites_url\": \"https://s/c\",\n"
                "  \"volume\": 0, \"issue\": 4, \"startpage\": 0, \"endpage\": 0, \"cites\": 12,\n"
                "  \"doi\": \"10.9999/XY\", \"type\": \"BOOK\", \"flags\": {\"x\": 1}},\n"
                " {\"title\": \"Second\", \"authors\": [\"D Roe\", \"...\"]}\n"
                "]\n",
                "pop-json");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_SOURCE_ID), "GS:1");
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Smith, A");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Jones, BC");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2019");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Some Journal");
    assert_string_equal(wn_record_first(r, WN_F_PUBLISHER), "example.org");
    assert_string_equal(wn_record_first(r, WN_F_URL), "https://example.org/a");
    /* 0 means "not known". */
    assert_null(wn_record_first(r, WN_F_VOLUME));
    assert_null(wn_record_first(r, WN_F_START_PAGE));
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "4");
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.9999/xy");
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "book");
    assert_string_equal(t_extra(r, "cites"), "12");
    assert_string_equal(t_extra(r, "cites_url"), "https://s/c");
    assert_string_equal(t_extra(r, "flags"), "{\"x\":1}");
    assert_int_equal(t_origin(&p, 0)->line, 2);
    assert_int_equal(t_origin(&p, 1)->line, 7);

    r = p.recs[1];
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 1);
    assert_string_equal(t_extra(r, "authors"), "...");
    t_parsed_free(&p);

    t_parse_str(&p, "[]", "pop-json");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "no Publish or Perish results found"));
    t_parsed_free(&p);
}

static const char *const readers[] = {"openalex", "crossref", "pop-json"};

static void test_depth_bomb_is_refused(void **state)
{
    (void)state;
    /* Deep enough to matter, far below what would exhaust a stack. */
    char text[2 * 200 + 2];
    memset(text, '[', 200);
    memset(text + 200, ']', 200);
    text[400] = '\0';
    for (size_t i = 0; i < 3; i++) {
        t_parsed p;
        t_parse_str(&p, text, readers[i]);
        assert_int_equal(p.rc, WN_EPARSE);
        assert_non_null(strstr(p.err.msg, "nested deeper than 64 levels"));
        t_parsed_free(&p);
    }
    /* 64 levels are fine as JSON (and then not a work). */
    memset(text, '[', 64);
    memset(text + 64, ']', 64);
    text[128] = '\0';
    t_parsed p;
    t_parse_str(&p, text, "openalex");
    assert_null(strstr(p.err.msg, "nested deeper"));
    t_parsed_free(&p);
}

static void test_truncated_json_names_line_and_column(void **state)
{
    (void)state;
    const char *text = "{\n  \"message-type\": \"work\",\n  \"message\": {\"DOI\": \"10.1/x\"";
    for (size_t i = 0; i < 3; i++) {
        t_parsed p;
        t_parse_str(&p, text, readers[i]);
        assert_int_equal(p.rc, WN_EPARSE);
        if (!strstr(p.err.msg, "line 3: invalid JSON at line 3 column 30: the text ends"))
            fail_msg("%s: %s", readers[i], p.err.msg);
        t_parsed_free(&p);
    }
    t_parsed p;
    t_parse_str(&p, "[\n {\"title\": x}\n]", "pop-json");
    assert_int_equal(p.rc, WN_EPARSE);
    if (!strstr(p.err.msg, "invalid JSON at line 2 column 12: unexpected 'x'"))
        fail_msg("%s", p.err.msg);
    t_parsed_free(&p);
    t_parse_str(&p, "{\"id\": \"https://openalex.org/W1\"} x", "openalex");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "column 35: more text after the JSON value"));
    t_parsed_free(&p);
}

static const char csl_items[] =
    "[{\"id\": \"a1\", \"type\": \"article-journal\", \"title\": \"T\", \"DOI\": \"10.1/x\",\n"
    "  \"author\": [{\"family\": \"F\", \"given\": \"G\"}], \"container-title\": \"J\",\n"
    "  \"issued\": {\"date-parts\": [[2020]]}, \"page\": \"1-2\"}]\n";

static void test_sniffers(void **state)
{
    (void)state;
    const char *others[] = {
        csl_items,
        "TY  - JOUR\nTI  - https://openalex.org/W1 \"publication_year\": 1\nER  - \n",
        "@article{k, title={\"message-type\": x}, url={https://openalex.org/W1}}\n",
        "id,title,publication_year,authorships\nhttps://openalex.org/W1,T,2020,x\n",
        "<?xml version=\"1.0\"?><records><url>https://openalex.org/W1</url></records>\n",
        "",
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        for (size_t k = 0; k < 3; k++)
            if (t_sniff(readers[k], others[i]) != 0)
                fail_msg("%s scores input %zu", readers[k], i);

    assert_true(t_sniff("openalex", openalex_page) >= 90);
    assert_int_equal(t_sniff("crossref", openalex_page), 0);
    assert_int_equal(t_sniff("pop-json", openalex_page), 0);
    /* A window from inside a large page starts mid-object. */
    const char *mid = strstr(openalex_page, "\"authorships\"");
    assert_true(t_sniff("openalex", mid) > 0);
    assert_true(t_sniff("openalex", mid) < t_sniff("openalex", openalex_page));

    const char *work_list = "{\"status\":\"ok\",\"message-type\":\"work-list\",\"message\":{}}";
    const char *keyed = "{ \"10.1/A\" : [ {\"DOI\": \"10.1/a\"} ] }";
    assert_true(t_sniff("crossref", work_list) >= 90);
    assert_true(t_sniff("crossref", keyed) > 60);
    assert_int_equal(t_sniff("openalex", keyed), 0);
    assert_int_equal(t_sniff("crossref", "{\"10.1/A\": \"just text\"}"), 0);
    assert_true(t_sniff("crossref", "\"DOI\": \"10.1/a\", \"is-referenced-by-count\": 3}") > 0);

    const char *pop = "[{\"title\": \"x\", \"article_url\": \"u\", \"cites_url\": \"c\"}]";
    assert_true(t_sniff("pop-json", pop) >= 90);
    assert_true(t_sniff("pop-json", pop) > t_sniff("csljson", pop));
    assert_int_equal(t_sniff("openalex", pop), 0);
    assert_int_equal(t_sniff("crossref", pop), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_inversion),
        cmocka_unit_test(test_openalex_page),
        cmocka_unit_test(test_openalex_single_work_and_array),
        cmocka_unit_test(test_openalex_empty_and_wrong_shapes),
        cmocka_unit_test(test_crossref_work_list_and_dates),
        cmocka_unit_test(test_crossref_single_and_keyed_by_doi),
        cmocka_unit_test(test_pop_results),
        cmocka_unit_test(test_depth_bomb_is_refused),
        cmocka_unit_test(test_truncated_json_names_line_and_column),
        cmocka_unit_test(test_sniffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
