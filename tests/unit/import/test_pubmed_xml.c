/* The PubMed XML reader, one rule of the format at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "support.h"

static void parse(t_parsed *out, const char *text)
{
    t_parse_str(out, text, "pubmed-xml");
}

/* One PubmedArticle around a MedlineCitation body, in a set. */
static char *article(const char *citation, const char *pubmed_data)
{
    wn_buf b = WN_BUF_INIT;
    wn_buf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<PubmedArticleSet>\n"
                  "<PubmedArticle>\n"
                  "<MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\">\n%s\n</MedlineCitation>\n"
                  "<PubmedData>%s</PubmedData>\n"
                  "</PubmedArticle>\n"
                  "</PubmedArticleSet>\n",
                  citation, pubmed_data ? pubmed_data : "");
    return wn_buf_detach(&b);
}

static void parse_article(t_parsed *out, const char *citation, const char *pubmed_data)
{
    char *text = article(citation, pubmed_data);
    parse(out, text);
    free(text);
    if (out->rc)
        fail_msg("%s", out->err.msg);
    assert_int_equal(out->n, 1);
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int any_value_contains(const t_parsed *p, const char *part)
{
    for (size_t i = 0; i < p->n; i++)
        for (size_t k = 0; k < wn_record_size(p->recs[i]); k++)
            if (strstr(wn_record_at(p->recs[i], k).value, part))
                return 1;
    return 0;
}

static void test_journal_article_fields(void **state)
{
    (void)state;
    t_parsed p;
    parse_article(&p,
                  "<PMID Version=\"1\">32759406</PMID>\n"
                  "<Article PubModel=\"Electronic\">\n"
                  " <Journal>\n"
                  "  <ISSN IssnType=\"Electronic\">1613-4516</ISSN>\n"
                  "  <JournalIssue CitedMedium=\"Internet\"><Volume>17</Volume><Issue>2-3</Issue>\n"
                  "   <PubDate><Year>2020</Year><Month>07</Month><Day>24</Day></PubDate>\n"
                  "  </JournalIssue>\n"
                  "  <Title>Journal of integrative bioinformatics</Title>\n"
                  "  <ISOAbbreviation>J Integr Bioinform</ISOAbbreviation>\n"
                  " </Journal>\n"
                  " <ArticleTitle>CellML 2.0.</ArticleTitle>\n"
                  " <Pagination><MedlinePgn>123-9</MedlinePgn></Pagination>\n"
                  " <ELocationID EIdType=\"pii\" ValidYN=\"Y\">20200021</ELocationID>\n"
                  " <ELocationID EIdType=\"doi\" ValidYN=\"Y\">10.1515/JIB-2020-0021</ELocationID>\n"
                  " <Language>eng</Language>\n"
                  " <PublicationTypeList>\n"
                  "  <PublicationType UI=\"D016428\">Journal Article</PublicationType>\n"
                  "  <PublicationType UI=\"D013485\">Research Support, Non-U.S. Gov't</PublicationType>\n"
                  " </PublicationTypeList>\n"
                  "</Article>\n"
                  "<MedlineJournalInfo><Country>Germany</Country><MedlineTA>J Integr Bioinform</MedlineTA>"
                  "<ISSNLinking>1613-4516</ISSNLinking></MedlineJournalInfo>\n"
                  "<MeshHeadingList>\n"
                  " <MeshHeading><DescriptorName UI=\"D003198\">Computer Simulation</DescriptorName></MeshHeading>\n"
                  " <MeshHeading><DescriptorName UI=\"D012984\">Software</DescriptorName>"
                  "<QualifierName UI=\"Q1\">methods</QualifierName></MeshHeading>\n"
                  "</MeshHeadingList>\n"
                  "<KeywordList Owner=\"NOTNLM\"><Keyword>modularity</Keyword>"
                  "<Keyword>reusability</Keyword><Keyword>physiome</Keyword></KeywordList>",
                  "<PublicationStatus>epublish</PublicationStatus><ArticleIdList>"
                  "<ArticleId IdType=\"pubmed\">32759406</ArticleId>"
                  "<ArticleId IdType=\"pmc\">PMC7756617</ArticleId>"
                  "<ArticleId IdType=\"doi\">10.1515/jib-2020-0021</ArticleId>"
                  "<ArticleId IdType=\"pii\">jib-2020-0021</ArticleId>"
                  "</ArticleIdList>");
    const wn_record *r = p.recs[0];
    t_assert_field(&p, 0, WN_F_PMID, "32759406");
    t_assert_field(&p, 0, WN_F_SOURCE_ID, "32759406");
    t_assert_field(&p, 0, WN_F_TITLE, "CellML 2.0.");
    t_assert_field(&p, 0, WN_F_JOURNAL, "Journal of integrative bioinformatics");
    t_assert_field(&p, 0, WN_F_JOURNAL_ABBR, "J Integr Bioinform");
    t_assert_field(&p, 0, WN_F_VOLUME, "17");
    t_assert_field(&p, 0, WN_F_ISSUE, "2-3");
    /* A numeric month is written as MEDLINE writes dates. */
    t_assert_field(&p, 0, WN_F_DATE, "2020 Jul 24");
    t_assert_field(&p, 0, WN_F_YEAR, "2020");
    t_assert_field(&p, 0, WN_F_PAGES, "123-9");
    t_assert_field(&p, 0, WN_F_END_PAGE, "129");
    /* The same DOI twice (ELocationID, ArticleId): one value, lower case. */
    assert_int_equal(wn_record_count(r, WN_F_DOI), 1);
    t_assert_field(&p, 0, WN_F_DOI, "10.1515/jib-2020-0021");
    t_assert_field(&p, 0, WN_F_PMCID, "PMC7756617");
    /* Electronic and linking ISSN are the same here: kept once. */
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 1);
    t_assert_field(&p, 0, WN_F_ISSN, "1613-4516");
    /* The code, as the normalizer names it. */
    t_assert_field(&p, 0, WN_F_LANGUAGE, "English");
    assert_int_equal(wn_record_count(r, WN_F_PUBTYPE), 2);
    t_assert_field(&p, 0, WN_F_TYPE_RAW, "Journal Article");
    t_assert_field(&p, 0, WN_F_TYPE, "article");
    assert_int_equal(t_count_tagged(r, WN_F_KEYWORD, "MH"), 2);
    assert_string_equal(t_tagged(r, WN_F_KEYWORD, "MH", 1), "Software");
    assert_int_equal(t_count_tagged(r, WN_F_KEYWORD, "OT"), 3);
    assert_string_equal(t_tagged(r, WN_F_KEYWORD, "OT", 2), "physiome");
    /* Other identifiers stay beside the record, with their kind. */
    assert_string_equal(t_extra(r, "ELocationID"), "20200021 [pii]");
    assert_string_equal(t_extra(r, "ArticleId"), "jib-2020-0021 [pii]");
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "ArticleId"), 1); /* not the PMID again */
    assert_string_equal(t_extra(r, "PublicationStatus"), "epublish");
    assert_int_equal(p.n_warnings, 0);
    t_parsed_free(&p);
}

static void test_origin_spans_the_record_element(void **state)
{
    (void)state;
    const char *text = "<?xml version=\"1.0\"?>\n"
                       "<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st "
                       "January 2019//EN\" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/"
                       "pubmed_190101.dtd\">\n"
                       "<PubmedArticleSet>\n"
                       "  <PubmedArticle>\n"
                       "    <MedlineCitation><PMID>1</PMID></MedlineCitation>\n"
                       "  </PubmedArticle>\n"
                       "  <!-- <PubmedArticle> in a comment is no record -->\n"
                       "  <PubmedBookArticle><BookDocument><PMID>2</PMID></BookDocument>"
                       "</PubmedBookArticle><PubmedArticle/>\n"
                       "</PubmedArticleSet>\n";
    t_parsed p;
    parse(&p, text);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 3);
    const char *first = strstr(text, "<PubmedArticle>");
    const char *first_end = strstr(text, "</PubmedArticle>") + strlen("</PubmedArticle>");
    assert_int_equal(t_origin(&p, 0)->line, 4);
    assert_int_equal(t_origin(&p, 0)->offset, (size_t)(first - text));
    assert_int_equal(t_origin(&p, 0)->length, (size_t)(first_end - first));
    const char *book = strstr(text, "<PubmedBookArticle>");
    const char *book_end = strstr(text, "</PubmedBookArticle>") + strlen("</PubmedBookArticle>");
    assert_int_equal(t_origin(&p, 1)->line, 8);
    assert_int_equal(t_origin(&p, 1)->offset, (size_t)(book - text));
    assert_int_equal(t_origin(&p, 1)->length, (size_t)(book_end - book));
    /* An empty record element is a record, its origin the element. */
    assert_int_equal(t_origin(&p, 2)->offset, (size_t)(book_end - text));
    assert_int_equal(t_origin(&p, 2)->length, strlen("<PubmedArticle/>"));
    assert_int_equal(wn_record_size(t_rec(&p, 2)), 0);
    t_parsed_free(&p);
}

/* Thousands of records of varied size: libxml2 reads the text in chunks,
 * and each origin must still be exact wherever a chunk ends. */
static void test_origins_exact_across_chunks(void **state)
{
    (void)state;
    wn_buf b = WN_BUF_INIT;
    wn_buf_puts(&b, "<PubmedArticleSet>\n");
    const size_t n = 3000;
    for (size_t i = 0; i < n; i++) {
        if (i % 7 == 3) {
            /* A start tag over two lines: the record starts on the first. */
            wn_buf_puts(&b, "<PubmedArticle\n    Extra=\"a > b\">");
        } else {
            wn_buf_puts(&b, "<PubmedArticle>");
        }
        wn_buf_printf(&b, "<MedlineCitation>\n<PMID>%zu</PMID>\n<Article><ArticleTitle>", i + 1);
        for (size_t k = 0; k < (i * 37) % 700; k++)
            wn_buf_putc(&b, (char)('a' + k % 26));
        wn_buf_puts(&b, "</ArticleTitle></Article></MedlineCitation>\n</PubmedArticle>\n");
    }
    wn_buf_puts(&b, "</PubmedArticleSet>\n");
    assert_true(b.len > 3 * 256 * 1024);
    t_parsed p;
    parse(&p, b.data);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, n);
    size_t line = 1, scanned = 0;
    for (size_t i = 0; i < n; i++) {
        const wn_origin *o = t_origin(&p, i);
        char pmid[32];
        snprintf(pmid, sizeof pmid, "%zu", i + 1);
        t_assert_field(&p, i, WN_F_PMID, pmid);
        assert_memory_equal(b.data + o->offset, "<PubmedArticle", 14);
        assert_memory_equal(b.data + o->offset + o->length - 16, "</PubmedArticle>", 16);
        for (; scanned < o->offset; scanned++)
            line += b.data[scanned] == '\n';
        assert_int_equal(o->line, line);
    }
    t_parsed_free(&p);
    wn_buf_free(&b);
}

static void test_inline_markup_flattened_in_titles(void **state)
{
    (void)state;
    t_parsed p;
    parse_article(&p,
                  "<PMID>1</PMID><Article><ArticleTitle>"
                  "<i>In vivo</i> <b>and</b> in vitro effects of CO<sub>2</sub> on "
                  "<mml:math xmlns:mml=\"http://www.w3.org/1998/Math/MathML\">"
                  "<mml:msup><mml:mi>x</mml:mi><mml:mn>2</mml:mn></mml:msup></mml:math>"
                  " cells<sup>+</sup>: a &lt;pilot&gt; &amp; more<![CDATA[ (CDATA)]]>.\n"
                  "   </ArticleTitle>"
                  "<VernacularTitle>Effets <i>in vivo</i>.</VernacularTitle></Article>",
                  NULL);
    /* The space between two inline elements is text and stays. */
    t_assert_field(&p, 0, WN_F_TITLE,
                   "In vivo and in vitro effects of CO2 on x2 cells+: a <pilot> & more (CDATA).");
    assert_string_equal(t_extra(p.recs[0], "VernacularTitle"), "Effets in vivo.");
    assert_int_equal(p.n_warnings, 0);
    t_parsed_free(&p);
}

static void test_structured_abstract_joined_with_labels(void **state)
{
    (void)state;
    t_parsed p;
    parse_article(&p,
                  "<PMID>1</PMID><Article><Abstract>\n"
                  "  <AbstractText Label=\"BACKGROUND\" NlmCategory=\"BACKGROUND\">Why it "
                  "matters.</AbstractText>\n"
                  "  <AbstractText Label=\"METHODS &amp; DESIGN\">How\n      it was done.</AbstractText>\n"
                  "  <AbstractText>Unlabelled part.</AbstractText>\n"
                  "  <AbstractText Label=\"EMPTY\"/>\n"
                  "  <CopyrightInformation>Copyright 2020 The Authors.</CopyrightInformation>\n"
                  "</Abstract></Article>\n"
                  "<OtherAbstract Type=\"Publisher\" Language=\"spa\">"
                  "<AbstractText Label=\"OBJETIVO\">Por qué.</AbstractText>"
                  "<AbstractText Label=\"MÉTODOS\">Cómo.</AbstractText></OtherAbstract>",
                  NULL);
    const wn_record *r = p.recs[0];
    t_assert_field(&p, 0, WN_F_ABSTRACT,
                   "BACKGROUND: Why it matters. METHODS & DESIGN: How it was done. Unlabelled "
                   "part.");
    assert_int_equal(wn_record_count(r, WN_F_ABSTRACT), 1);
    assert_string_equal(t_extra(r, "OtherAbstract"),
                        "OBJETIVO: Por qu\xc3\xa9. M\xc3\x89TODOS: C\xc3\xb3mo.");
    assert_string_equal(t_extra(r, "CopyrightInformation"), "Copyright 2020 The Authors.");
    t_parsed_free(&p);
}

static void test_author_names(void **state)
{
    (void)state;
    t_parsed p;
    parse_article(&p,
                  "<PMID>1</PMID><Article><AuthorList CompleteYN=\"Y\">\n"
                  "<Author ValidYN=\"Y\"><LastName>O'Byrne</LastName><ForeName>Paul M</ForeName>"
                  "<Initials>PM</Initials><AffiliationInfo><Affiliation>McMaster "
                  "University,\n  Hamilton.</Affiliation></AffiliationInfo></Author>\n"
                  "<Author><LastName>Smith</LastName><Initials>JA</Initials>"
                  "<AffiliationInfo><Affiliation>McMaster University, Hamilton."
                  "</Affiliation></AffiliationInfo></Author>\n"
                  "<Author><LastName>Kinney</LastName><ForeName>Edward L</ForeName>"
                  "<Suffix>Jr</Suffix></Author>\n"
                  "<Author><LastName>Plato</LastName></Author>\n"
                  "<Author><CollectiveName>SYGMA 1 Investigators</CollectiveName></Author>\n"
                  "<Author><Identifier Source=\"ORCID\">0000-0001</Identifier></Author>\n"
                  "</AuthorList></Article>\n"
                  "<InvestigatorList><Investigator><LastName>Not</LastName>"
                  "<ForeName>An Author</ForeName></Investigator></InvestigatorList>",
                  NULL);
    const wn_record *r = p.recs[0];
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 5);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 0), "O'Byrne, Paul M");
    /* Initials stand in for a missing ForeName. */
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Smith, JA");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 2), "Kinney, Edward L Jr");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 3), "Plato");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 4), "SYGMA 1 Investigators");
    /* A shared affiliation is kept once in a row. */
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "Affiliation"), 1);
    assert_string_equal(t_extra(r, "Affiliation"), "McMaster University, Hamilton.");
    t_parsed_free(&p);
}

static void test_dates(void **state)
{
    (void)state;
    static const struct {
        const char *pub_date, *date, *year;
    } cases[] = {
        {"<MedlineDate>1998 Dec-1999 Jan</MedlineDate>", "1998 Dec-1999 Jan", "1998"},
        {"<Year>2019</Year><Season>Spring</Season>", "2019 Spring", "2019"},
        {"<Year>2018</Year><Month>May</Month>", "2018 May", "2018"},
        {"<Year>2017</Year><Month>12</Month><Day>3</Day>", "2017 Dec 3", "2017"},
        {"<Year>2016</Year>", "2016", "2016"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char citation[512];
        snprintf(citation, sizeof citation,
                 "<PMID>1</PMID><Article><Journal><JournalIssue><PubDate>%s</PubDate>"
                 "</JournalIssue></Journal><ArticleDate DateType=\"Electronic\"><Year>2015"
                 "</Year><Month>06</Month><Day>09</Day></ArticleDate></Article>"
                 "<DateCompleted><Year>2001</Year></DateCompleted>",
                 cases[i].pub_date);
        t_parsed p;
        parse_article(&p, citation, "<History><PubMedPubDate PubStatus=\"entrez\"><Year>1990"
                                    "</Year></PubMedPubDate></History>");
        t_assert_field(&p, 0, WN_F_DATE, cases[i].date);
        t_assert_field(&p, 0, WN_F_YEAR, cases[i].year);
        assert_int_equal(wn_record_count(p.recs[0], WN_F_DATE), 1);
        assert_string_equal(t_extra(p.recs[0], "ArticleDate"), "2015-06-09");
        t_parsed_free(&p);
    }
}

static void test_start_and_end_page(void **state)
{
    (void)state;
    t_parsed p;
    parse_article(&p,
                  "<PMID>1</PMID><Article><Pagination><StartPage>e1234</StartPage>"
                  "<EndPage>e1240</EndPage></Pagination></Article>",
                  NULL);
    t_assert_field(&p, 0, WN_F_START_PAGE, "e1234");
    t_assert_field(&p, 0, WN_F_END_PAGE, "e1240");
    t_assert_field(&p, 0, WN_F_PAGES, "e1234-e1240");
    t_parsed_free(&p);
}

static void test_journal_abbreviation_from_medline_ta(void **state)
{
    (void)state;
    t_parsed p;
    parse_article(&p,
                  "<PMID>1</PMID><Article><Journal><Title>Lancet</Title></Journal></Article>"
                  "<MedlineJournalInfo><MedlineTA>Lancet</MedlineTA>"
                  "<ISSNLinking>0140-6736</ISSNLinking></MedlineJournalInfo>",
                  NULL);
    t_assert_field(&p, 0, WN_F_JOURNAL_ABBR, "Lancet");
    t_assert_field(&p, 0, WN_F_ISSN, "0140-6736");
    t_parsed_free(&p);
    /* Both given and different: ISOAbbreviation wins, MedlineTA is kept. */
    parse_article(&p,
                  "<PMID>1</PMID><Article><Journal><ISOAbbreviation>N Engl J Med"
                  "</ISOAbbreviation></Journal></Article>"
                  "<MedlineJournalInfo><MedlineTA>N Engl J Med.</MedlineTA></MedlineJournalInfo>",
                  NULL);
    t_assert_field(&p, 0, WN_F_JOURNAL_ABBR, "N Engl J Med");
    assert_string_equal(t_extra(p.recs[0], "MedlineTA"), "N Engl J Med.");
    t_parsed_free(&p);
}

/* PMIDs, ids and names elsewhere in the record belong to other works. */
static void test_only_the_records_own_elements_count(void **state)
{
    (void)state;
    t_parsed p;
    parse_article(&p,
                  "<PMID Version=\"1\">29768149</PMID>"
                  "<Article><ArticleTitle>Own title.</ArticleTitle>"
                  "<GrantList><Grant><Country>United States</Country></Grant></GrantList>"
                  "</Article>"
                  "<CommentsCorrectionsList><CommentsCorrections RefType=\"CommentIn\">"
                  "<RefSource>N Engl J Med. 2018</RefSource><PMID Version=\"1\">29768146</PMID>"
                  "</CommentsCorrections></CommentsCorrectionsList>"
                  "<PersonalNameSubjectList><PersonalNameSubject><LastName>Freud</LastName>"
                  "</PersonalNameSubject></PersonalNameSubjectList>",
                  "<ArticleIdList><ArticleId IdType=\"doi\">10.1056/own</ArticleId>"
                  "</ArticleIdList><ReferenceList><Reference><Citation>Other work.</Citation>"
                  "<ArticleIdList><ArticleId IdType=\"pubmed\">16399414</ArticleId>"
                  "<ArticleId IdType=\"doi\">10.1000/cited</ArticleId>"
                  "<ArticleId IdType=\"pmc\">PMC1</ArticleId>"
                  "</ArticleIdList></Reference></ReferenceList>");
    const wn_record *r = p.recs[0];
    assert_int_equal(wn_record_count(r, WN_F_PMID), 1);
    t_assert_field(&p, 0, WN_F_PMID, "29768149");
    assert_int_equal(wn_record_count(r, WN_F_DOI), 1);
    t_assert_field(&p, 0, WN_F_DOI, "10.1056/own");
    assert_null(wn_record_first(r, WN_F_PMCID));
    assert_null(wn_record_first(r, WN_F_AUTHOR));
    assert_int_equal(wn_record_count(r, WN_F_TITLE), 1);
    assert_false(any_value_contains(&p, "16399414"));
    assert_false(any_value_contains(&p, "29768146"));
    t_parsed_free(&p);
}

static void test_type_code_from_publication_types(void **state)
{
    (void)state;
    static const struct {
        const char *types, *type_raw;
    } cases[] = {
        /* The first type with a known meaning, not simply the first. */
        {"<PublicationType>Historical Article</PublicationType>"
         "<PublicationType>Journal Article</PublicationType>",
         "Journal Article"},
        /* A preprint is also a Journal Article; Preprint says more. */
        {"<PublicationType>Journal Article</PublicationType>"
         "<PublicationType>Preprint</PublicationType>",
         "Preprint"},
        {"<PublicationType>Editorial</PublicationType>"
         "<PublicationType>Comment</PublicationType>",
         "Editorial"},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char citation[512];
        snprintf(citation, sizeof citation,
                 "<PMID>1</PMID><Article><PublicationTypeList>%s</PublicationTypeList>"
                 "</Article>",
                 cases[i].types);
        t_parsed p;
        parse_article(&p, citation, NULL);
        t_assert_field(&p, 0, WN_F_TYPE_RAW, cases[i].type_raw);
        t_parsed_free(&p);
    }
}

static void test_book_chapter(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "<PubmedArticleSet><PubmedBookArticle><BookDocument>\n"
              "<PMID Version=\"1\">20301295</PMID>\n"
              "<ArticleIdList><ArticleId IdType=\"bookaccession\">NBK1116</ArticleId>"
              "</ArticleIdList>\n"
              "<Book><Publisher><PublisherName>University of Washington, Seattle"
              "</PublisherName><PublisherLocation>Seattle (WA)</PublisherLocation></Publisher>\n"
              "<BookTitle book=\"gene\">GeneReviews<sup>®</sup></BookTitle>\n"
              "<PubDate><Year>1993</Year></PubDate>\n"
              "<AuthorList Type=\"editors\"><Author><LastName>Adam</LastName>"
              "<ForeName>Margaret P</ForeName></Author></AuthorList>\n"
              "<AuthorList Type=\"authors\"><Author><CollectiveName>Book Group</CollectiveName>"
              "</Author></AuthorList>\n"
              "<Isbn>978-0-306-40615-7</Isbn></Book>\n"
              "<ArticleTitle book=\"gene\" part=\"ch1\">Chapter One</ArticleTitle>\n"
              "<Language>eng</Language>\n"
              "<AuthorList Type=\"authors\"><Author><LastName>Smith</LastName>"
              "<Initials>J</Initials></Author></AuthorList>\n"
              "<PublicationType UI=\"D016454\">Review</PublicationType>\n"
              "<Abstract><AbstractText Label=\"SUMMARY\">Short.</AbstractText></Abstract>\n"
              "</BookDocument><PubmedBookData><PublicationStatus>ppublish</PublicationStatus>"
              "</PubmedBookData></PubmedBookArticle></PubmedArticleSet>");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    const wn_record *r = p.recs[0];
    t_assert_field(&p, 0, WN_F_TITLE, "Chapter One");
    t_assert_field(&p, 0, WN_F_JOURNAL, "GeneReviews\xc2\xae");
    t_assert_field(&p, 0, WN_F_TYPE_RAW, "chapter");
    t_assert_field(&p, 0, WN_F_TYPE, "chapter");
    t_assert_field(&p, 0, WN_F_PUBLISHER, "University of Washington, Seattle");
    t_assert_field(&p, 0, WN_F_ISBN, "9780306406157");
    t_assert_field(&p, 0, WN_F_YEAR, "1993");
    t_assert_field(&p, 0, WN_F_ABSTRACT, "SUMMARY: Short.");
    /* The chapter's authors; the book's and its editors stay beside. */
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 1);
    t_assert_field(&p, 0, WN_F_AUTHOR, "Smith, J");
    assert_string_equal(t_extra(r, "Editor"), "Adam, Margaret P");
    assert_string_equal(t_extra(r, "BookAuthor"), "Book Group");
    assert_string_equal(t_extra(r, "PublisherLocation"), "Seattle (WA)");
    assert_string_equal(t_extra(r, "ArticleId"), "NBK1116 [bookaccession]");
    t_parsed_free(&p);
}

static void test_whole_book(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "<PubmedBookArticle><BookDocument><PMID>1</PMID>"
              "<Book><BookTitle>A Whole Book</BookTitle>"
              "<AuthorList Type=\"authors\"><Author><LastName>Doe</LastName>"
              "<ForeName>Jane</ForeName></Author></AuthorList></Book>"
              "<PublicationType>Review</PublicationType>"
              "</BookDocument></PubmedBookArticle>");
    assert_int_equal(p.rc, 0);
    t_assert_field(&p, 0, WN_F_TITLE, "A Whole Book");
    t_assert_field(&p, 0, WN_F_JOURNAL, NULL);
    t_assert_field(&p, 0, WN_F_TYPE, "book");
    t_assert_field(&p, 0, WN_F_AUTHOR, "Doe, Jane");
    t_parsed_free(&p);
}

static void test_entities_and_encodings(void **state)
{
    (void)state;
    /* With an external DTD (never loaded), an HTML entity is not an error:
     * it is kept as a reference and decoded in the title. */
    t_parsed p;
    parse(&p, "<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle//EN\" "
              "\"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd\">\n"
              "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
              "<ArticleTitle>Caf&eacute; &#946;-blockers &#x3b1;</ArticleTitle>"
              "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n");
    assert_int_equal(p.rc, 0);
    t_assert_field(&p, 0, WN_F_TITLE, "Caf\xc3\xa9 \xce\xb2-blockers \xce\xb1");
    t_assert_warned(&p, "entity 'eacute' not defined");
    t_parsed_free(&p);

    /* The declared encoding is ignored: the text is UTF-8 by now. */
    parse(&p, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<PubmedArticleSet>"
              "<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><AuthorList><Author>"
              "<LastName>M\xc3\xbcller</LastName><ForeName>Karen</ForeName></Author></AuthorList>"
              "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n");
    assert_int_equal(p.rc, 0);
    t_assert_field(&p, 0, WN_F_AUTHOR, "M\xc3\xbcller, Karen");
    t_parsed_free(&p);

    /* UTF-16LE with a BOM and a UTF-16 declaration, through detection. */
    const char *ascii = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<PubmedArticleSet>"
                        "<PubmedArticle><MedlineCitation><PMID>7</PMID><Article>"
                        "<ArticleTitle>Caf\xe9.</ArticleTitle></Article></MedlineCitation>"
                        "</PubmedArticle></PubmedArticleSet>\n";
    size_t n = strlen(ascii);
    char *utf16 = malloc(2 * n + 2);
    assert_non_null(utf16);
    utf16[0] = (char)0xFF;
    utf16[1] = (char)0xFE;
    for (size_t i = 0; i < n; i++) {
        utf16[2 + 2 * i] = ascii[i];
        utf16[3 + 2 * i] = 0;
    }
    t_parse_text(&p, utf16, 2 * n + 2, NULL);
    free(utf16);
    if (p.rc)
        fail_msg("%s", p.err.msg);
    t_assert_field(&p, 0, WN_F_TITLE, "Caf\xc3\xa9.");
    t_parsed_free(&p);
}

static void test_undeclared_namespace_prefix_is_a_warning(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
              "<ArticleTitle>Area <mml:math><mml:mi>r</mml:mi></mml:math></ArticleTitle>"
              "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>");
    assert_int_equal(p.rc, 0);
    t_assert_field(&p, 0, WN_F_TITLE, "Area r");
    t_assert_warned(&p, "line 1: XML error at column");
    t_assert_warned(&p, "namespace prefix mml on math is not defined");
    t_parsed_free(&p);
}

static void test_malformed_xml_names_line_and_column(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, "<PubmedArticleSet>\n"
              "<PubmedArticle>\n"
              "<MedlineCitation><PMID>1</PMID></MedlineCitation>\n"
              "</PubmedArticle>\n"
              "<PubmedArticle>\n"
              "<MedlineCitation><PMID>2</PMI></MedlineCitation>\n"
              "</PubmedArticle>\n"
              "</PubmedArticleSet>\n");
    assert_int_equal(p.rc, WN_EPARSE);
    /* libxml2 notices the mismatch just past the wrong end tag. */
    assert_string_equal(p.err.msg,
                        "cannot parse 'input' line 6: not well-formed XML at line 6 column 31: "
                        "opening and ending tag mismatch: PMID line 6 and PMI");
    /* The record before the error was read. */
    assert_int_equal(p.n, 1);
    t_parsed_free(&p);

    parse(&p, "<PubmedArticleSet>\n<PubmedArticle>\n</PubmedArticle>\n</PubmedArticleSet>\n"
              "<PubmedArticleSet/>\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "line 5: not well-formed XML at line 5 column"));
    assert_non_null(strstr(p.err.msg, "extra content at the end of the document"));
    t_parsed_free(&p);

    t_parsed_free(&p);
}

static void test_truncated_file_names_the_record(void **state)
{
    (void)state;
    const char *cuts[] = {
        /* inside text, inside a start tag, between elements */
        "<MedlineCitation><PMID>2</PMID>\n<Article><ArticleTitle>Cut",
        "<MedlineCitation><PMID>2</PMID>\n<Article><ArticleTi",
        "<MedlineCitation><PMID>2</PMID>\n<Article>\n",
    };
    for (size_t i = 0; i < 3; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n"
                 "<PubmedArticle><MedlineCitation><PMID>1</PMID></MedlineCitation>"
                 "</PubmedArticle>\n<PubmedArticle>\n%s",
                 cuts[i]);
        t_parsed p;
        parse(&p, text);
        assert_int_equal(p.rc, WN_EPARSE);
        assert_int_equal(p.n, 1);
        if (!strstr(p.err.msg, "cannot parse 'input' line 4: the PubmedArticle that starts "
                               "here is cut off: the file ends at line"))
            fail_msg("unexpected message: %s", p.err.msg);
        t_parsed_free(&p);
    }
}

static void test_no_records(void **state)
{
    (void)state;
    t_parsed p;
    parse(&p, " \n\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_string_equal(p.err.msg, "cannot parse 'input': no PubMed records found (the file is "
                                   "empty)");
    t_parsed_free(&p);
    parse(&p, "<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_string_equal(p.err.msg, "cannot parse 'input': no PubMed records found (expected "
                                   "<PubmedArticle> elements inside <PubmedArticleSet>)");
    t_parsed_free(&p);
    parse(&p, "<?xml version=\"1.0\"?><xml><records><record><titles/></record></records></xml>");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_string_equal(p.err.msg, "cannot parse 'input': no PubMed records found (the root "
                                   "element is <xml>, expected <PubmedArticleSet>)");
    t_parsed_free(&p);
}

static const char billion_laughs[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE PubmedArticleSet [\n"
    " <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
    "]>\n"
    "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
    "<ArticleTitle>&lol9;</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
    "</PubmedArticleSet>\n";

static void test_entity_bomb_refused_quickly(void **state)
{
    (void)state;
    double start = seconds();
    t_parsed p;
    parse(&p, billion_laughs);
    double took = seconds() - start;
    assert_int_equal(p.rc, WN_EPARSE);
    assert_int_equal(p.n, 0);
    assert_non_null(strstr(p.err.msg, "cannot parse 'input' line 3: the DOCTYPE declares the "
                                      "entity 'lol'"));
    assert_true(took < 2.0);
    t_parsed_free(&p);
}

static void test_external_entities_never_read(void **state)
{
    (void)state;
    /* A general entity naming a local file: refused at its declaration. */
    t_parsed p;
    parse(&p, "<?xml version=\"1.0\"?>\n"
              "<!DOCTYPE PubmedArticleSet [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n"
              "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
              "<ArticleTitle>&xxe;</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
              "</PubmedArticleSet>\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "declares the entity 'xxe'"));
    assert_null(strstr(p.err.msg, "root:"));
    assert_false(any_value_contains(&p, "root:"));
    t_parsed_free(&p);

    /* A parameter entity: the same. */
    parse(&p, "<!DOCTYPE PubmedArticleSet [ <!ENTITY % pe SYSTEM \"file:///etc/passwd\"> %pe; ]>\n"
              "<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "declares the entity 'pe'"));
    t_parsed_free(&p);

    /* An external DTD is never loaded, whatever it names. */
    parse(&p, "<!DOCTYPE PubmedArticleSet SYSTEM \"file:///etc/passwd\">\n"
              "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>"
              "</MedlineCitation></PubmedArticle></PubmedArticleSet>\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.n_warnings, 0);
    assert_false(any_value_contains(&p, "root:"));
    t_parsed_free(&p);
}

static void test_libxml2_limits_stay_on(void **state)
{
    (void)state;
    /* Nesting past libxml2's default depth (256) is refused, not followed. */
    wn_buf b = WN_BUF_INIT;
    wn_buf_puts(&b, "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>");
    for (int i = 0; i < 300; i++)
        wn_buf_puts(&b, "<x>");
    for (int i = 0; i < 300; i++)
        wn_buf_puts(&b, "</x>");
    wn_buf_puts(&b, "</MedlineCitation></PubmedArticle></PubmedArticleSet>");
    t_parsed p;
    parse(&p, b.data);
    assert_int_equal(p.rc, WN_EPARSE);
    assert_string_equal(p.err.msg, "cannot parse 'input' line 1: elements are nested more than "
                                   "256 deep");
    t_parsed_free(&p);

    /* A value's text is capped at libxml2's limit for a text node. */
    wn_buf_clear(&b);
    wn_buf_puts(&b, "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>\n"
                    "<Article><ArticleTitle>");
    for (int i = 0; i < 1100; i++) {
        for (int k = 0; k < 1000; k++)
            wn_buf_puts(&b, "0123456789");
        wn_buf_puts(&b, "<i>x</i>");
    }
    wn_buf_puts(&b, "</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>");
    parse(&p, b.data);
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "line 2: the text of <ArticleTitle> is over 10000000 bytes"));
    t_parsed_free(&p);
    wn_buf_free(&b);
}

static void test_line_ends(void **state)
{
    (void)state;
    const char *inputs[] = {
        "<PubmedArticleSet>\r\n<PubmedArticle>\r\n<MedlineCitation><PMID>1</PMID>"
        "</MedlineCitation>\r\n</PubmedArticle>\r\n<PubmedArticle>\r\n"
        "<MedlineCitation><PMID>2</PMID><Article><ArticleTitle>Two\r\nlines</ArticleTitle>"
        "</Article></MedlineCitation></PubmedArticle>\r\n</PubmedArticleSet>\r\n",
        "<PubmedArticleSet>\r<PubmedArticle>\r<MedlineCitation><PMID>1</PMID>"
        "</MedlineCitation>\r</PubmedArticle>\r<PubmedArticle>\r"
        "<MedlineCitation><PMID>2</PMID><Article><ArticleTitle>Two\rlines</ArticleTitle>"
        "</Article></MedlineCitation></PubmedArticle>\r</PubmedArticleSet>\r",
    };
    for (size_t i = 0; i < 2; i++) {
        t_parsed p;
        parse(&p, inputs[i]);
        assert_int_equal(p.rc, 0);
        assert_int_equal(p.n, 2);
        assert_int_equal(t_origin(&p, 0)->line, 2);
        assert_int_equal(t_origin(&p, 1)->line, 5);
        const char *second = strstr(strstr(inputs[i], "<PubmedArticle>") + 1, "<PubmedArticle>");
        assert_int_equal(t_origin(&p, 1)->offset, (size_t)(second - inputs[i]));
        t_assert_field(&p, 1, WN_F_TITLE, "Two lines");
        t_parsed_free(&p);
    }
}

static int stop_at_first(void *user, const wn_record *rec)
{
    (void)rec;
    ++*(int *)user;
    return WN_EABORT;
}

static void test_callback_stops_the_parse(void **state)
{
    (void)state;
    const char *text = "<PubmedArticleSet><PubmedArticle/><PubmedArticle/><PubmedArticle/>"
                       "</PubmedArticleSet>";
    int calls = 0;
    wn_parse_opts o = {"input", stop_at_first, NULL, &calls};
    wn_parse_stats st;
    wn_err err;
    int rc = wn_parse(wn_format_find("pubmed-xml"), text, strlen(text), &o, &st, &err);
    assert_int_equal(rc, WN_EABORT);
    assert_int_equal(calls, 1);
    assert_int_equal(st.records, 0);
}

static void test_sniff(void **state)
{
    (void)state;
    assert_int_equal(t_sniff("pubmed-xml", "<?xml version=\"1.0\" ?>\n<!DOCTYPE PubmedArticleSet "
                                           "PUBLIC \"-//NLM//DTD PubMedArticle//EN\" \"x.dtd\">\n"
                                           "<PubmedArticleSet>\n<PubmedArticle>\n"),
                     100);
    /* A lone record as the document, as some tools write it. */
    assert_true(t_sniff("pubmed-xml", "<PubmedBookArticle>\n    <BookDocument>\n") >= 90);
    assert_true(t_sniff("pubmed-xml", "<PubmedArticleSet><PubmedArticle><MedlineCitation>") >= 90);
    /* The tail of a big file starts inside a record. */
    assert_true(t_sniff("pubmed-xml", "        <Day>1</Day>\n      </PubMedPubDate>\n    "
                                      "</History>\n  </PubmedData>\n</PubmedArticle>\n"
                                      "</PubmedArticleSet>\n") > 0);
    assert_true(t_sniff("pubmed-xml", "  <ArticleId IdType=\"pubmed\">1</ArticleId>\n"
                                      "<MedlineCitation>\n<PMID Version=\"1\">2</PMID>\n") > 0);
    /* Other formats, XML or not. */
    assert_int_equal(t_sniff("pubmed-xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" ?><xml>"
                                           "<records><record><database name=\"My.enl\">My.enl"
                                           "</database><ref-type name=\"Journal Article\">17"
                                           "</ref-type></record></records></xml>"),
                     0);
    assert_int_equal(t_sniff("pubmed-xml", "TY  - JOUR\nTI  - A title\nER  - \n"), 0);
    assert_int_equal(t_sniff("pubmed-xml", "@article{key,\n  title = {A title},\n}\n"), 0);
    assert_int_equal(t_sniff("pubmed-xml", "PMID- 123\nTI  - A title\n"), 0);
    /* Prose that only names the elements. */
    assert_int_equal(t_sniff("pubmed-xml", "# Notes\n\nPubMed XML counts `<PubmedArticle>` "
                                           "elements.\nEach has a PMID.\nAnd more text.\n"),
                     0);
    assert_int_equal(t_sniff("pubmed-xml", ""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_journal_article_fields),
        cmocka_unit_test(test_origin_spans_the_record_element),
        cmocka_unit_test(test_origins_exact_across_chunks),
        cmocka_unit_test(test_inline_markup_flattened_in_titles),
        cmocka_unit_test(test_structured_abstract_joined_with_labels),
        cmocka_unit_test(test_author_names),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_start_and_end_page),
        cmocka_unit_test(test_journal_abbreviation_from_medline_ta),
        cmocka_unit_test(test_only_the_records_own_elements_count),
        cmocka_unit_test(test_type_code_from_publication_types),
        cmocka_unit_test(test_book_chapter),
        cmocka_unit_test(test_whole_book),
        cmocka_unit_test(test_entities_and_encodings),
        cmocka_unit_test(test_undeclared_namespace_prefix_is_a_warning),
        cmocka_unit_test(test_malformed_xml_names_line_and_column),
        cmocka_unit_test(test_truncated_file_names_the_record),
        cmocka_unit_test(test_no_records),
        cmocka_unit_test(test_entity_bomb_refused_quickly),
        cmocka_unit_test(test_external_entities_never_read),
        cmocka_unit_test(test_libxml2_limits_stay_on),
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_callback_stops_the_parse),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
