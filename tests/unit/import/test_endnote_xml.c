/* The EndNote XML reader: one rule of the format at a time, on inline XML. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static void parse(t_parsed *out, const char *text)
{
    t_parse_str(out, text, "endnote-xml");
}

static int sniff(const char *text) { return t_sniff("endnote-xml", text); }

/* One record's worth of children, wrapped the way EndNote writes them. */
#define DOC(records) "<?xml version=\"1.0\" encoding=\"UTF-8\" ?><xml><records>" records \
                     "</records></xml>"

/* Whether any value of the record holds `part`. */
static int holds(const wn_record *r, const char *part)
{
    for (size_t i = 0; i < wn_record_size(r); i++)
        if (strstr(wn_record_at(r, i).value, part))
            return 1;
    return 0;
}

/* Parses one document that must give exactly one record. */
static void parse_one(t_parsed *p, const char *text)
{
    parse(p, text);
    if (p->rc)
        fail_msg("parse failed: %s", p->err.msg);
    assert_int_equal(p->n, 1);
}

static void test_style_runs_are_concatenated(void **state)
{
    (void)state;
    t_parsed p;
    parse_one(&p, DOC("<record><titles><title>"
                      "<style face=\"normal\" font=\"default\" size=\"100%\">A study of </style>"
                      "<style face=\"italic\" font=\"default\" size=\"100%\">Drosophila</style>"
                      "<style face=\"normal\" font=\"default\" size=\"100%\"> </style>"
                      "<style face=\"normal\" font=\"default\" size=\"100%\">flies</style>"
                      "</title></titles></record>"));
    assert_string_equal(wn_record_first(p.recs[0], WN_F_TITLE), "A study of Drosophila flies");
    assert_int_equal(wn_record_count(p.recs[0], WN_F_TITLE), 1);
    t_parsed_free(&p);
}

static void test_nested_runs_and_bare_text_mix(void **state)
{
    (void)state;
    t_parsed p;
    parse_one(&p, DOC("<record><titles><title>Bare <style face=\"bold\"><style "
                      "face=\"italic\">nested</style> run</style><i>, inline</i> end</title>"
                      "</titles><abstract><style face=\"normal\">One</style><style "
                      "face=\"normal\"><![CDATA[ & <two>]]></style></abstract></record>"));
    assert_string_equal(wn_record_first(p.recs[0], WN_F_TITLE), "Bare nested run, inline end");
    /* CDATA is text like any other. */
    assert_string_equal(wn_record_first(p.recs[0], WN_F_ABSTRACT), "One & <two>");
    t_parsed_free(&p);
}

static void test_authors_one_value_each(void **state)
{
    (void)state;
    t_parsed p;
    parse_one(&p, DOC("<record><contributors><authors>"
                      "<author><style face=\"normal\">Shahtalebi, M. A.</style></author>"
                      "<author>Asghari,\n  G. R.</author>"
                      "<author><style face=\"normal\">World Health Organization</style></author>"
                      "</authors><secondary-authors><author>Editor, Ed</author>"
                      "</secondary-authors><tertiary-authors><author>Series, S</author>"
                      "</tertiary-authors></contributors></record>"));
    const wn_record *r = p.recs[0];
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 3);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "Shahtalebi, M. A.");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Asghari, G. R.");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 2), "World Health Organization");
    /* Editors and series editors are not the work's authors. */
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "secondary-author", 0), "Editor, Ed");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "tertiary-author", 0), "Series, S");
    t_parsed_free(&p);
}

static void test_isbn_element_holds_issn_or_isbn(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, DOC("<record><isbn><style face=\"normal\">0012-9658</style></isbn></record>"
                  "<record><isbn>978-0-12-345678-9</isbn></record>"
                  "<record><isbn>0-306-40615-2</isbn></record>"
                  "<record><isbn>2277-9175 (Print)&#xD;2277-9175</isbn></record>"
                  "<record><isbn>1234-567X; 978-3-16-148410-0</isbn></record>"
                  "<record><isbn>see notes</isbn></record>"));
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 6);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_ISSN), "0012-9658");
    assert_null(wn_record_first(p.recs[0], WN_F_ISBN));
    assert_string_equal(wn_record_first(p.recs[1], WN_F_ISBN), "9780123456789");
    assert_null(wn_record_first(p.recs[1], WN_F_ISSN));
    assert_string_equal(wn_record_first(p.recs[2], WN_F_ISBN), "0306406152");
    /* The same ISSN twice, once with its medium: kept once. */
    assert_int_equal(wn_record_count(p.recs[3], WN_F_ISSN), 1);
    assert_string_equal(wn_record_first(p.recs[3], WN_F_ISSN), "2277-9175");
    assert_string_equal(wn_record_first(p.recs[4], WN_F_ISSN), "1234-567X");
    assert_string_equal(wn_record_first(p.recs[4], WN_F_ISBN), "9783161484100");
    /* Neither: kept as written. */
    assert_null(wn_record_first(p.recs[5], WN_F_ISSN));
    assert_null(wn_record_first(p.recs[5], WN_F_ISBN));
    assert_string_equal(t_tagged(p.recs[5], WN_F_EXTRA, "isbn", 0), "see notes");
    t_parsed_free(&p);
}

static void test_ref_type_name_and_number(void **state)
{
    (void)state;
    static const struct {
        const char *xml, *raw, *type;
    } cases[] = {
        {"<ref-type name=\"Journal Article\">17</ref-type>", "Journal Article", "article"},
        {"<ref-type name=\"Book\">6</ref-type>", "Book", "book"},
        {"<ref-type name=\"Book Section\">5</ref-type>", "Book Section", "chapter"},
        {"<ref-type name=\"Conference Proceedings\">10</ref-type>", "Conference Proceedings",
         "conference"},
        {"<ref-type name=\"Conference Paper\">47</ref-type>", "Conference Paper", "conference"},
        {"<ref-type name=\"Thesis\">32</ref-type>", "Thesis", "thesis"},
        {"<ref-type name=\"Report\">27</ref-type>", "Report", "report"},
        {"<ref-type name=\"Electronic Article\">43</ref-type>", "Electronic Article", "article"},
        {"<ref-type name=\"Web Page\">12</ref-type>", "Web Page", "web"},
        {"<ref-type name=\"Generic\">31</ref-type>", "Generic", "generic"},
        {"<ref-type name=\"Magazine Article\">19</ref-type>", "Magazine Article", "magazine"},
        {"<ref-type name=\"Newspaper Article\">23</ref-type>", "Newspaper Article",
         "newspaper"},
        {"<ref-type name=\"Dataset\">59</ref-type>", "Dataset", "dataset"},
        {"<ref-type name=\"Patent\">25</ref-type>", "Patent", "patent"},
        /* Without a name the number is the code. */
        {"<ref-type>17</ref-type>", "17", "article"},
        {"<ref-type>5</ref-type>", "5", "chapter"},
        {"<ref-type>6</ref-type>", "6", "book"},
        {"<ref-type name=\"Ancient Text\">51</ref-type>", "Ancient Text", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char doc[512];
        snprintf(doc, sizeof doc, DOC("<record>%s<titles><title>T</title></titles></record>"),
                 cases[i].xml);
        t_parsed p;
        parse_one(&p, doc);
        const wn_record *r = p.recs[0];
        assert_string_equal(wn_record_first(r, WN_F_TYPE_RAW), cases[i].raw);
        if (cases[i].type)
            assert_string_equal(wn_record_first(r, WN_F_TYPE), cases[i].type);
        else
            assert_null(wn_record_first(r, WN_F_TYPE));
        t_parsed_free(&p);
    }
}

static void test_record_number_is_source_id(void **state)
{
    (void)state;
    t_parsed p;
    parse_one(&p, DOC("<record><database name=\"x.enl\" path=\"C:\\x.enl\">x.enl</database>"
                      "<rec-number>895</rec-number><foreign-keys><key app=\"EN\" "
                      "db-id=\"axw\">895</key></foreign-keys></record>"));
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_SOURCE_ID), "895");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "database", 0), "x.enl");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "key", 0), "895");
    t_parsed_free(&p);
}

static void test_titles_and_journal(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, DOC(
        /* 1: an article names its journal in titles and periodical. */
        "<record><ref-type name=\"Journal Article\">17</ref-type><titles><title>T1</title>"
        "<secondary-title>Adv Biomed Res</secondary-title><alt-title>Adv. Biomed. "
        "Res.</alt-title><short-title>Short</short-title></titles><periodical><full-title>Adv "
        "Biomed Res</full-title><abbr-1>ABR</abbr-1><abbr-2>A.B.R.</abbr-2></periodical>"
        "<alt-periodical><full-title>Other</full-title></alt-periodical></record>"
        /* 2: only the periodical names it (Zotero). */
        "<record><titles><title>T2</title></titles><periodical><full-title>Ecology</full-title>"
        "<abbr-1>Ecol</abbr-1></periodical></record>"
        /* 3: a book section: the secondary title is the book. */
        "<record><ref-type name=\"Book Section\">5</ref-type><titles><title>Chapter</title>"
        "<secondary-title>The Book</secondary-title></titles></record>"
        /* 4: a book: the secondary title is its series. */
        "<record><ref-type name=\"Book\">6</ref-type><titles><title>Whole book</title>"
        "<secondary-title>Series</secondary-title></titles><periodical><full-title>Series"
        "</full-title></periodical></record>"
        /* 5: the periodical first, then the titles. */
        "<record><periodical><full-title>Full name</full-title></periodical><titles><title>"
        "T5</title><secondary-title>Other name</secondary-title></titles></record>"
        /* 6: a book known by its type number only. */
        "<record><ref-type>6</ref-type><titles><secondary-title>Series 6</secondary-title>"
        "</titles></record>"));
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 6);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "T1");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Adv Biomed Res");
    assert_int_equal(wn_record_count(r, WN_F_JOURNAL), 1);
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL_ABBR), "Adv. Biomed. Res.");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "abbr-1", 0), "ABR");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "abbr-2", 0), "A.B.R.");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "short-title", 0), "Short");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "alt-periodical", 0), "Other");
    /* The full title repeats the journal: not kept twice. */
    assert_null(t_tagged(r, WN_F_EXTRA, "full-title", 0));

    assert_string_equal(wn_record_first(p.recs[1], WN_F_JOURNAL), "Ecology");
    assert_string_equal(wn_record_first(p.recs[1], WN_F_JOURNAL_ABBR), "Ecol");

    assert_string_equal(wn_record_first(p.recs[2], WN_F_TYPE), "chapter");
    assert_string_equal(wn_record_first(p.recs[2], WN_F_JOURNAL), "The Book");

    assert_null(wn_record_first(p.recs[3], WN_F_JOURNAL));
    assert_string_equal(t_tagged(p.recs[3], WN_F_EXTRA, "secondary-title", 0), "Series");
    assert_string_equal(t_tagged(p.recs[3], WN_F_EXTRA, "full-title", 0), "Series");

    /* The titles name the journal whatever the order; the differing full
     * title stays beside it. */
    assert_string_equal(wn_record_first(p.recs[4], WN_F_JOURNAL), "Other name");
    assert_string_equal(t_tagged(p.recs[4], WN_F_EXTRA, "full-title", 0), "Full name");
    assert_null(wn_record_first(p.recs[5], WN_F_JOURNAL));
    assert_string_equal(t_tagged(p.recs[5], WN_F_EXTRA, "secondary-title", 0), "Series 6");
    t_parsed_free(&p);
}

static void test_numbers_dates_pages(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, DOC("<record><pages><style face=\"normal\">211-6</style></pages><volume>5"
                  "</volume><number>4</number><dates><year><style face=\"normal\">2004</style>"
                  "</year><pub-dates><date>Mar 27</date></pub-dates><copyright-dates><date>"
                  "2003</date></copyright-dates></dates></record>"
                  "<record><issue>3</issue><dates><year>2022</year></dates></record>"));
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "211-6");
    assert_string_equal(wn_record_first(r, WN_F_START_PAGE), "211");
    assert_string_equal(wn_record_first(r, WN_F_END_PAGE), "216");
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "5");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "4");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2004");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "Mar 27");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "copyright-date", 0), "2003");
    /* Mendeley writes <issue> where EndNote writes <number>. */
    assert_string_equal(wn_record_first(p.recs[1], WN_F_ISSUE), "3");
    assert_string_equal(wn_record_first(p.recs[1], WN_F_YEAR), "2022");
    t_parsed_free(&p);
}

static void test_doi_from_electronic_resource_number(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, DOC("<record><electronic-resource-num><style face=\"normal\">"
                  "https://doi.org/10.4103/ABR.abr_99_17</style></electronic-resource-num>"
                  "</record>"
                  "<record><electronic-resource-num>S0140-6736(20)30183-5"
                  "</electronic-resource-num></record>"
                  "<record><electronic-resource-num>10.1000/a1&#xD;10.1000/b2"
                  "</electronic-resource-num></record>"));
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 3);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_DOI), "10.4103/abr.abr_99_17");
    /* A publisher item id is no DOI: kept beside. */
    assert_null(wn_record_first(p.recs[1], WN_F_DOI));
    assert_string_equal(t_tagged(p.recs[1], WN_F_EXTRA, "electronic-resource-num", 0),
                        "S0140-6736(20)30183-5");
    assert_string_equal(wn_record_first(p.recs[2], WN_F_DOI), "10.1000/a1");
    assert_true(holds(p.recs[2], "10.1000/b2"));
    assert_int_equal(p.n_warnings, 0);
    t_parsed_free(&p);
}

static void test_accession_number_is_pmid_only_from_pubmed(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, DOC(
        /* The provider comes after the number, as EndNote writes it. */
        "<record><accession-num>29657938</accession-num><remote-database-provider>"
        "<style face=\"normal\">NLM</style></remote-database-provider></record>"
        "<record><remote-database-name>PubMed</remote-database-name><accession-num>"
        "15301568</accession-num></record>"
        /* A number without a provider may be anything. */
        "<record><accession-num>35319117</accession-num></record>"
        /* Web of Science's accession number. */
        "<record><accession-num>ISI:000200148800007</accession-num>"
        "<remote-database-provider>NLM</remote-database-provider></record>"));
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 4);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_PMID), "29657938");
    assert_null(t_tagged(p.recs[0], WN_F_EXTRA, "accession-num", 0));
    assert_string_equal(t_tagged(p.recs[0], WN_F_EXTRA, "remote-database-provider", 0), "NLM");
    assert_string_equal(wn_record_first(p.recs[1], WN_F_PMID), "15301568");
    assert_null(wn_record_first(p.recs[2], WN_F_PMID));
    assert_string_equal(t_tagged(p.recs[2], WN_F_EXTRA, "accession-num", 0), "35319117");
    assert_null(wn_record_first(p.recs[3], WN_F_PMID));
    assert_string_equal(t_tagged(p.recs[3], WN_F_EXTRA, "accession-num", 0),
                        "ISI:000200148800007");
    t_parsed_free(&p);
}

static void test_keywords_urls_and_plain_fields(void **state)
{
    (void)state;
    t_parsed p;
    parse_one(&p, DOC("<record><keywords><keyword><style face=\"normal\">Acne</style>"
                      "</keyword><keyword>blue light</keyword><keyword>Humans&#xD;\nLight"
                      "</keyword></keywords>"
                      "<abstract>BACKGROUND: text.</abstract><publisher>Wiley</publisher>"
                      "<language>eng</language><work-type>Randomized Controlled Trial"
                      "</work-type><urls><related-urls><url>http://a.example/1</url></related-urls>"
                      "<web-urls><url>http://b.example/2</url></web-urls><pdf-urls><url>"
                      "internal-pdf://x.pdf</url></pdf-urls></urls></record>"));
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_get(r, WN_F_KEYWORD, 0), "Acne");
    assert_string_equal(wn_record_get(r, WN_F_KEYWORD, 1), "blue light");
    /* Several keywords in one element, one per line as EndNote may write. */
    assert_string_equal(wn_record_get(r, WN_F_KEYWORD, 2), "Humans");
    assert_string_equal(wn_record_get(r, WN_F_KEYWORD, 3), "Light");
    assert_int_equal(wn_record_count(r, WN_F_KEYWORD), 4);
    assert_string_equal(wn_record_first(r, WN_F_ABSTRACT), "BACKGROUND: text.");
    assert_string_equal(wn_record_first(r, WN_F_PUBLISHER), "Wiley");
    assert_string_equal(wn_record_first(r, WN_F_LANGUAGE), "English");
    assert_string_equal(wn_record_first(r, WN_F_PUBTYPE), "Randomized Controlled Trial");
    assert_int_equal(wn_record_count(r, WN_F_URL), 2);
    assert_string_equal(wn_record_get(r, WN_F_URL, 0), "http://a.example/1");
    assert_string_equal(wn_record_get(r, WN_F_URL, 1), "http://b.example/2");
    /* A file in the user's library is no link to the work. */
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "pdf-url", 0), "internal-pdf://x.pdf");
    t_parsed_free(&p);
}

static void test_other_elements_become_extras(void **state)
{
    (void)state;
    t_parsed p;
    parse_one(&p, DOC("<record><notes><style face=\"normal\">V02fg&#xD;Times Cited:5</style>"
                      "</notes><label>B4</label><custom1>c1</custom1><custom7>c7</custom7>"
                      "<research-notes>rn</research-notes><edition>20180327</edition>"
                      "<brand-new-element>kept</brand-new-element><empty-one></empty-one>"
                      "<blank><style face=\"normal\">  </style></blank><self-closed/>"
                      "</record>"));
    const wn_record *r = p.recs[0];
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "notes", 0), "V02fg\rTimes Cited:5");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "label", 0), "B4");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "custom1", 0), "c1");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "custom7", 0), "c7");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "research-notes", 0), "rn");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "edition", 0), "20180327");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "brand-new-element", 0), "kept");
    /* Empty elements leave nothing behind. */
    assert_null(t_tagged(r, WN_F_EXTRA, "empty-one", 0));
    assert_null(t_tagged(r, WN_F_EXTRA, "blank", 0));
    assert_null(t_tagged(r, WN_F_EXTRA, "self-closed", 0));
    assert_int_equal(wn_record_size(r), 7);
    t_parsed_free(&p);
}

static void test_entities_and_character_references(void **state)
{
    (void)state;
    t_parsed p;
    parse_one(&p, DOC("<record><titles><title>Students&apos; &lt;i&gt;work&lt;/i&gt; "
                      "&amp; caf&#233; &#x3bc;g</title></titles></record>"));
    /* Escaped markup reaches the title as markup, which normalization strips
     * like any inline tag. */
    assert_string_equal(wn_record_first(p.recs[0], WN_F_TITLE),
                        "Students' work & caf\xc3\xa9 \xce\xbcg");
    t_parsed_free(&p);
}

static void test_origin_line_offset_length(void **state)
{
    (void)state;
    const char *text =
        "<?xml version=\"1.0\"?>\n"
        "<!-- a comment that says <record> -->\n"
        "<xml>\n"
        "<records>\n"
        "  <record><titles><title>One</title></titles></record>\n"
        "  <?pi <record> ?>\n"
        "  <record>\n"
        "    <notes><![CDATA[</record> inside CDATA]]></notes>\n"
        "    <titles><title>Two</title></titles>\n"
        "  </record >\n"
        "  <record/>\n"
        "  <ns:record xmlns:ns=\"urn:x\" a=\"x>y\"><titles><title>Four</title></titles>"
        "</ns:record>\n"
        "</records>\n"
        "</xml>\n";
    t_parsed p;
    parse(&p, text);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 4);
    static const struct {
        size_t line;
        const char *starts, *ends;
    } want[] = {
        {5, "<record><titles><title>One", "</titles></record>\n  <?pi"},
        {7, "<record>\n    <notes>", "</record >\n  <record/>"},
        {11, "<record/>", "<record/>\n  <ns:record"},
        {12, "<ns:record xmlns", "</ns:record>\n</records>"},
    };
    for (size_t i = 0; i < 4; i++) {
        const wn_origin *o = wn_record_origin_c(p.recs[i]);
        const char *start = strstr(text, want[i].starts);
        const char *end = strstr(text, want[i].ends);
        assert_non_null(start);
        assert_non_null(end);
        assert_int_equal(o->line, want[i].line);
        assert_int_equal(o->offset, (size_t)(start - text));
        /* The length runs through the closing tag's '>'. */
        size_t close_len = strchr(end, '\n') - end;
        assert_int_equal(o->offset + o->length, (size_t)(end - text) + close_len);
        assert_int_equal(o->position, i + 1);
    }
    assert_string_equal(wn_record_first(p.recs[1], WN_F_TITLE), "Two");
    assert_string_equal(t_tagged(p.recs[1], WN_F_EXTRA, "notes", 0), "</record> inside CDATA");
    assert_string_equal(wn_record_first(p.recs[3], WN_F_TITLE), "Four");
    /* Every <record> counts, the empty one too, with a word about it. */
    assert_int_equal(wn_record_size(p.recs[2]), 0);
    assert_true(t_has_warning(&p, "line 11: record holds no fields"));
    t_parsed_free(&p);
}

static void test_origin_lines_with_crlf_and_cr(void **state)
{
    (void)state;
    const char *crlf = "<xml>\r\n<records>\r\n<record>\r\n<title>A</title>\r\n</record>\r\n"
                       "<record><title>B</title></record>\r\n</records>\r\n</xml>\r\n";
    const char *cr = "<xml>\r<records>\r<record>\r<title>A</title>\r</record>\r"
                     "<record><title>B</title></record>\r</records>\r</xml>\r";
    const char *inputs[] = {crlf, cr};
    for (size_t k = 0; k < 2; k++) {
        t_parsed p;
        parse(&p, inputs[k]);
        assert_int_equal(p.rc, 0);
        assert_int_equal(p.n, 2);
        assert_int_equal(wn_record_origin_c(p.recs[0])->line, 3);
        assert_int_equal(wn_record_origin_c(p.recs[1])->line, 6);
        const char *second = strstr(inputs[k], "<record><title>B");
        assert_int_equal(wn_record_origin_c(p.recs[1])->offset, (size_t)(second - inputs[k]));
        assert_int_equal(wn_record_origin_c(p.recs[1])->length,
                         strlen("<record><title>B</title></record>"));
        assert_string_equal(wn_record_first(p.recs[1], WN_F_TITLE), "B");
        t_parsed_free(&p);
    }
}

static void test_no_records(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, DOC(""));
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "no EndNote XML records found"));
    t_parsed_free(&p);
    parse(&p, "<?xml version=\"1.0\"?>\n<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "no EndNote XML records found"));
    assert_non_null(strstr(p.err.msg, "<PubmedArticleSet>"));
    t_parsed_free(&p);
    parse(&p, "");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "no EndNote XML records found"));
    t_parsed_free(&p);
}

static void test_malformed_xml_names_line_and_column(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "<xml><records>\n<record><titles><title>ok</title></titles></record>\n"
              "<record><titles><title>x</titles></record>\n</records></xml>\n");
    assert_int_equal(p.rc, WN_EPARSE);
    /* libxml2 places the mismatch at the end of the bad closing tag. */
    assert_string_equal(p.err.msg,
                        "cannot parse 'input' line 3: not well-formed XML at line 3 column 34: "
                        "opening and ending tag mismatch: title line 3 and titles (in the "
                        "record that starts at line 3)");
    /* The parser reads ahead of the records handed out: whether the good
     * record came before the failure is not promised. */
    assert_true(p.n <= 1);
    t_parsed_free(&p);

    parse(&p, "RIS is not XML\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "cannot parse 'input' line 1: not well-formed XML at "
                                      "line 1 column 1: "));
    t_parsed_free(&p);
}

static void test_truncated_file(void **state)
{
    (void)state;
    const char *whole = DOC("\n<record><titles><title>One</title></titles></record>\n"
                            "<record><titles><title>Two is cut</title></titles></record>\n");
    const char *cut = strstr(whole, "Two is") + 3;
    t_parsed p;
    t_parse_text(&p, whole, (size_t)(cut - whole), "endnote-xml");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "cannot parse 'input' line 3: not well-formed XML at "
                                      "line 3 column"));
    assert_non_null(strstr(p.err.msg, "the input ends inside the record that starts at line 3"));
    t_parsed_free(&p);
    /* Cut between records: the document is still unclosed. */
    cut = strstr(whole, "<record><titles><title>Two");
    t_parse_text(&p, whole, (size_t)(cut - whole), "endnote-xml");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "not well-formed XML at line"));
    assert_non_null(strstr(p.err.msg, "truncated?"));
    t_parsed_free(&p);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define BOMB_DTD                                                                        \
    "<?xml version=\"1.0\"?>\n<!DOCTYPE xml [\n"                                        \
    "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n" \
    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"                                  \
    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"                                  \
    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"                                  \
    "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"                                  \
    "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"                                  \
    "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"                                  \
    "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"                                  \
    "<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">\n"                                  \
    "<!ENTITY j \"&i;&i;&i;&i;&i;&i;&i;&i;&i;&i;\">\n]>\n"

/* A billion laughs (10^9 a's from a few hundred bytes), used in text and in
 * an attribute: refused quickly, never expanded into a value. */
static void test_entity_bomb_is_refused(void **state)
{
    (void)state;
    const char *docs[] = {
        BOMB_DTD "<xml><records><record><titles><title>&j;</title></titles></record>"
                 "</records></xml>\n",
        BOMB_DTD "<xml><records><record><ref-type name=\"&j;\">17</ref-type></record>"
                 "</records></xml>\n",
    };
    for (size_t i = 0; i < 2; i++) {
        double t0 = now();
        t_parsed p;
        parse(&p, docs[i]);
        assert_true(now() - t0 < 5.0);
        if (p.rc == 0) {
            /* Left unexpanded is as good as refused. */
            for (size_t k = 0; k < p.n; k++)
                assert_false(holds(p.recs[k], "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
        } else {
            assert_int_equal(p.rc, WN_EPARSE);
            assert_non_null(strstr(p.err.msg, "not well-formed XML"));
            assert_non_null(strstr(p.err.msg, "entity"));
        }
        t_parsed_free(&p);
    }
}

/* Many references to one large entity: left as written, not copied out. */
static void test_entity_references_stay_unexpanded(void **state)
{
    (void)state;
    wn_buf doc = WN_BUF_INIT;
    assert_int_equal(wn_buf_puts(&doc, "<!DOCTYPE xml [<!ENTITY big \""), 0);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(wn_buf_puts(&doc, "bigbigbigb"), 0);
    assert_int_equal(wn_buf_puts(&doc, "\">]><xml><records><record><titles><title>"), 0);
    for (int i = 0; i < 20000; i++)
        assert_int_equal(wn_buf_puts(&doc, "&big;"), 0);
    assert_int_equal(wn_buf_puts(&doc, "</title></titles></record></records></xml>"), 0);
    double t0 = now();
    t_parsed p;
    parse(&p, doc.data);
    assert_true(now() - t0 < 5.0);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    const char *title = wn_record_first(p.recs[0], WN_F_TITLE);
    assert_int_equal(strlen(title), 20000 * strlen("&big;"));
    assert_int_equal(strncmp(title, "&big;&big;", 10), 0);
    assert_false(holds(p.recs[0], "bigbigbigb"));
    t_parsed_free(&p);
    wn_buf_free(&doc);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* External entities and an external DTD name files that must stay unread:
 * the secret never shows up, and the broken DTD breaks nothing. */
static void test_external_entity_and_dtd_are_not_read(void **state)
{
    (void)state;
    char secret[4096], dtd[4096], doc[16384];
    snprintf(secret, sizeof secret, "%s", t_tmp_path("secret.txt"));
    snprintf(dtd, sizeof dtd, "%s", t_tmp_path("broken.dtd"));
    write_file(secret, "TOP-SECRET-CONTENT\n");
    write_file(dtd, "<!ENTITY inner \"FROM-THE-DTD\">\n<<< not a DTD at all\n");
    snprintf(doc, sizeof doc,
             "<?xml version=\"1.0\"?>\n"
             "<!DOCTYPE xml [\n"
             "<!ENTITY xxe SYSTEM \"file://%s\">\n"
             "<!ENTITY rel SYSTEM \"%s\">\n"
             "<!ENTITY net SYSTEM \"http://127.0.0.1:9/x\">\n"
             "<!ENTITY %% pe SYSTEM \"file://%s\">\n"
             "%%pe;\n"
             "]>\n"
             "<xml><records><record><titles><title>A &xxe; B &rel; C &net;</title></titles>"
             "<notes><style face=\"normal\">&xxe;</style></notes></record></records></xml>\n",
             secret, secret, dtd);
    t_parsed p;
    parse(&p, doc);
    if (p.rc == 0) {
        assert_int_equal(p.n, 1);
        assert_false(holds(p.recs[0], "TOP-SECRET"));
        assert_false(holds(p.recs[0], "FROM-THE-DTD"));
        assert_string_equal(wn_record_first(p.recs[0], WN_F_TITLE), "A &xxe; B &rel; C &net;");
    } else {
        assert_null(strstr(p.err.msg, "TOP-SECRET"));
        assert_null(strstr(p.err.msg, "not a DTD"));
    }
    t_parsed_free(&p);

    snprintf(doc, sizeof doc,
             "<?xml version=\"1.0\"?>\n<!DOCTYPE xml SYSTEM \"file://%s\">\n"
             "<xml><records><record><titles><title>T</title></titles></record></records>"
             "</xml>\n",
             dtd);
    parse(&p, doc);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_TITLE), "T");
    t_parsed_free(&p);
    unlink(secret);
    unlink(dtd);
}

/* libxml2 reports through our handler only: stderr stays empty. */
static void test_errors_are_never_printed(void **state)
{
    (void)state;
    const char *bad[] = {
        "<xml><records><record><title>x</titles></record></records></xml>",
        "<xml><records><record><title a=1>x</title></record></records></xml>",
        "<xml><records><record>&undefined;</record></records></xml>",
        "<xml><records><record><title>\x01</title></record></records></xml>",
        "<xml><records><record><x:y>1</x:y></record></records></xml>",
        "<xml><records><record><title>x",
        "<?xml version=\"9.0\" encoding=\"nonsense\"?><xml><records><record/></records>",
        BOMB_DTD "<xml><records><record>&j;</record></records></xml>",
    };
    const char *err_path = t_tmp_path("stderr.txt");
    fflush(stderr);
    int saved = dup(2);
    int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);
    int failures = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        t_parsed p;
        parse(&p, bad[i]);
        failures += p.rc == WN_EPARSE;
        t_parsed_free(&p);
    }
    /* A U+0000 in UTF-16 text is refused by the decoder, before any reader
     * (and before libxml2) sees it. */
    static const char utf16_nul[] = "\xff\xfe<\0x\0\n\0<\0\0\0/\0";
    t_parsed nul;
    t_parse_text(&nul, utf16_nul, sizeof utf16_nul - 1, "endnote-xml");
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    size_t len;
    char *printed = t_read_file(err_path, &len);
    if (len)
        fail_msg("libxml2 printed: %s", printed);
    free(printed);
    unlink(err_path);
    assert_int_equal(failures, (int)(sizeof bad / sizeof bad[0]));
    assert_int_equal(nul.rc, WN_EFORMAT);
    assert_string_equal(nul.err.msg, "cannot read 'input' line 2: a NUL character (U+0000), "
                                     "which no text export contains");
    t_parsed_free(&nul);
}

/* The text reaches libxml2 as UTF-8 whatever the declaration says: a
 * UTF-16 file was decoded before parsing. */
static void test_declared_encoding_is_ignored(void **state)
{
    (void)state;
    const char *utf8 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<xml><records><record>"
                       "<titles><title>Caf\xc3\xa9</title></titles></record></records></xml>\n";
    unsigned char utf16[512];
    size_t n = 0;
    utf16[n++] = 0xFF;
    utf16[n++] = 0xFE;
    for (const char *s = utf8; *s; s++) {
        unsigned c = (unsigned char)*s;
        if (c == 0xC3) {
            c = 0xE9;
            s++;
        }
        utf16[n++] = (unsigned char)c;
        utf16[n++] = 0;
    }
    t_parsed p;
    t_parse_text(&p, (const char *)utf16, n, "endnote-xml");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_TITLE), "Caf\xc3\xa9");
    t_parsed_free(&p);
}

static void test_sniff(void **state)
{
    (void)state;
    /* EndNote's head, pretty-printed or on one line. */
    assert_int_equal(sniff("<?xml version=\"1.0\" encoding=\"UTF-8\" ?><xml><records><record>"
                           "<database name=\"a.enl\">a.enl</database><ref-type name=\"Journal "
                           "Article\">17</ref-type><contributors><authors><author>A</author>"),
                     100);
    assert_true(sniff("\xef\xbb\xbf<?xml version=\"1.0\"?>\n<xml>\n  <records>\n    <record>\n"
                      "      <titles><title>T</title></titles>\n") >= 80);
    /* A window from the middle of a big file. */
    assert_true(sniff("style face=\"normal\">Smith</style></author></authors></contributors>"
                      "<titles><title>T</title></titles></record><record><ref-type name=\"Book\">"
                      "6</ref-type>") > 0);
    /* Closing tags alone could be any XML. */
    assert_int_equal(sniff("size=\"100%\">eng</style></language></record><record><database>"), 0);
    /* Other formats. */
    assert_int_equal(sniff("<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet>\n"
                           "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>"
                           "<Article><ArticleTitle>T</ArticleTitle></Article></MedlineCitation>"
                           "</PubmedArticle></PubmedArticleSet>\n"),
                     0);
    assert_int_equal(sniff("TY  - JOUR\nTI  - <record> in a title\nER  - \n"), 0);
    assert_int_equal(sniff("@article{k, title={The <titles> tag}, year=2020}\n"), 0);
    assert_int_equal(sniff("Title,Authors,Year\n\"<record>\",A,2020\n"), 0);
    assert_int_equal(sniff("[{\"type\":\"article-journal\",\"title\":\"<records><record>\"}]"), 0);
}

static void test_detected_from_content(void **state)
{
    (void)state;
    const char *doc = DOC("<record><ref-type name=\"Journal Article\">17</ref-type><titles>"
                          "<title>T</title></titles></record>");
    t_parsed p;
    t_parse_text(&p, doc, strlen(doc), NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_TITLE), "T");
    t_parsed_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_style_runs_are_concatenated),
        cmocka_unit_test(test_nested_runs_and_bare_text_mix),
        cmocka_unit_test(test_authors_one_value_each),
        cmocka_unit_test(test_isbn_element_holds_issn_or_isbn),
        cmocka_unit_test(test_ref_type_name_and_number),
        cmocka_unit_test(test_record_number_is_source_id),
        cmocka_unit_test(test_titles_and_journal),
        cmocka_unit_test(test_numbers_dates_pages),
        cmocka_unit_test(test_doi_from_electronic_resource_number),
        cmocka_unit_test(test_accession_number_is_pmid_only_from_pubmed),
        cmocka_unit_test(test_keywords_urls_and_plain_fields),
        cmocka_unit_test(test_other_elements_become_extras),
        cmocka_unit_test(test_entities_and_character_references),
        cmocka_unit_test(test_origin_line_offset_length),
        cmocka_unit_test(test_origin_lines_with_crlf_and_cr),
        cmocka_unit_test(test_no_records),
        cmocka_unit_test(test_malformed_xml_names_line_and_column),
        cmocka_unit_test(test_truncated_file),
        cmocka_unit_test(test_entity_bomb_is_refused),
        cmocka_unit_test(test_entity_references_stay_unexpanded),
        cmocka_unit_test(test_external_entity_and_dtd_are_not_read),
        cmocka_unit_test(test_errors_are_never_printed),
        cmocka_unit_test(test_declared_encoding_is_ignored),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_detected_from_content),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
