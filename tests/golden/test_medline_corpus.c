/* Real MEDLINE (.nbib) exports from ../shared/corpus: each is detected as
 * MEDLINE from its content, gives the record count PROVENANCE.md states, and
 * sampled records carry the values read off the files by eye. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* What a sampled record must hold (NULL: not checked). */
typedef struct expect {
    size_t index; /* 0-based */
    const char *pmid, *title, *first_author, *doi, *journal, *year, *pages, *type_raw;
    size_t pubtypes, mesh;
} expect;

static void check(const wn_record *r, const expect *e)
{
    const char *want[] = {e->pmid, e->title, e->first_author, e->doi, e->journal, e->year,
                          e->pages, e->type_raw};
    const wn_field fields[] = {WN_F_PMID, WN_F_TITLE, WN_F_AUTHOR, WN_F_DOI,
                               WN_F_JOURNAL, WN_F_YEAR, WN_F_PAGES, WN_F_TYPE_RAW};
    t_expect_first_values(r, e->index + 1, fields, want, sizeof fields / sizeof fields[0]);
    assert_int_equal(wn_record_count(r, WN_F_PUBTYPE), e->pubtypes);
    assert_int_equal(t_count_tagged(r, WN_F_KEYWORD, "MH"), e->mesh);
    /* PubMed's own id doubles as the record's id in its source. */
    if (e->pmid)
        assert_string_equal(wn_record_first(r, WN_F_SOURCE_ID), e->pmid);
}

static void run(const char *rel, size_t records, size_t warnings, const expect *samples,
                size_t n_samples)
{
    T_NEED_CORPUS(path, rel);
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, records);
    assert_int_equal(p.n_warnings, warnings);
    for (size_t i = 0; i < n_samples; i++) {
        assert_true(samples[i].index < p.n);
        check(p.recs[samples[i].index], &samples[i]);
    }
    /* Every record's origin lies in the file and starts at a tag line. */
    size_t len;
    char *text = t_read_file(path, &len);
    for (size_t i = 0; i < p.n; i++) {
        const wn_origin *o = wn_record_origin_c(p.recs[i]);
        assert_true(o->offset + o->length <= len);
        assert_true(text[o->offset] >= 'A' && text[o->offset] <= 'Z');
        assert_int_equal(o->position, i + 1);
    }
    free(text);
    t_parsed_free(&p);
}

static void test_synthesisr_pubmed_example(void **state)
{
    (void)state;
    const expect s[] = {
        {0, "28441597",
         "Differences in nitrate and phosphorus export between wooded and grassed riparian "
         "zones from farmland to receiving waterways under varying rainfall conditions.",
         "Neilen, Amanda D", "10.1016/j.scitotenv.2017.04.075",
         "The Science of the total environment", "2017", "188-197", "Journal Article", 1, 0},
        {1, "30868313", NULL, "Piqueray, Julien", "10.1007/s00267-019-01153-y",
         "Environmental management", "2019", "647-657", "Journal Article", 2, 7},
        {2, "29967742", NULL, "Bavougian, Christina M", "10.7717/peerj.5082", "PeerJ", "2018",
         "e5082", "Journal Article", 1, 0},
    };
    run("formats/synthesisr/PubMed_example.txt", 3, 0, s, 3);
}

static void test_revtools_restoration(void **state)
{
    (void)state;
    const expect s[] = {
        {0, "30689646", NULL, "Wu, Dan", "10.1371/journal.pone.0209483", "PloS one", "2019",
         "e0209483", "Journal Article", 1, 0},
        {103, "28098621",
         "LONG-TERM FOLLOW-UP OF RETINAL PIGMENT EPITHELIUM RESTORATION AFTER A TRIPLE TEAR.",
         "Zahid, Sarwar", "10.1097/icb.0000000000000530", "Retinal cases & brief reports",
         "2019", "5-9", "Journal Article", 2, 16},
    };
    run("formats/revtools/restoration_pubmed.nbib", 104, 0, s, 2);
}

static void test_baseline_pubmed_named_ris(void **state)
{
    (void)state;
    const expect s[] = {
        {0, "30922926", "Time lapse: A glimpse into prehistoric genomics.", "Griffin, Darren K",
         "10.1016/j.ejmg.2019.03.004", "European journal of medical genetics", "2020", "103640",
         "Journal Article", 3, 13},
        {49, "26605799", "Eggshell Porosity Provides Insight on Evolution of Nesting in Dinosaurs.",
         "Tanaka, Kohei", "10.1371/journal.pone.0142829", "PloS one", "2015", "e0142829",
         "Journal Article", 2, 16},
    };
    run("formats/citation-file-formatting/RIS/_baseline_pubmed.ris", 50, 0, s, 2);
}

static void test_rbibutils_single(void **state)
{
    (void)state;
    const expect s[] = {
        {0, "28754806",
         "Impact of balloon guide catheter on technical and clinical outcomes: a systematic "
         "review and meta-analysis.",
         "Brinjikji, Waleed", "10.1136/neurintsurg-2017-013179",
         "Journal of neurointerventional surgery", "2018", "335-339", "Journal Article", 4, 3},
    };
    run("formats/rbibutils/single.nbib", 1, 0, s, 1);
}

static void test_jabref_nbib(void **state)
{
    (void)state;
    const expect s[] = {
        {0, "27169098", "Proteomics: A new perspective for cancer.",
         "Shruthi, Basavaradhya Sahukar", "10.4103/2277-9175.180636",
         "Advanced biomedical research", "2016", "67", "Journal Article", 2, 0},
    };
    run("formats/jabref/NbibImporterTest.nbib", 1, 0, s, 1);
}

/* Eight blocks, five with a PMID: a stray text line and two PMID-less
 * fragments (no title, or a title with neither author nor journal) are
 * reported, not taken for works. */
static void test_jabref_multiple_entries(void **state)
{
    (void)state;
    const expect s[] = {
        {0, "20481061",
         "From danger and motherhood to health and beauty: health advice for the factory "
         "girl in early twentieth-century Britain.",
         "Long, Vicky", NULL, "20 century British history", "2009", "454-81", "Journal Article",
         3, 10},
        {1, "22664220", NULL, NULL, "10.1016/j.cpr.2005.02.002", NULL, NULL, NULL,
         "Technical Report", 1, 0},
        {2, "22664238", NULL, NULL, NULL, "Inproceedings book title", NULL, NULL, "Editorial", 1,
         0},
        {3, "96578310", NULL, NULL, NULL, NULL, NULL, NULL, "Overall", 1, 1},
        {4, "45984220", NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 1},
    };
    run("formats/jabref/MedlinePlainImporterTestMultipleEntries.txt", 5, 3, s, 5);
}

static void test_jabref_multi_abstract_without_pmid(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/jabref/MedlinePlainImporterTestMultiAbstract.txt");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 1);
    const wn_record *r = p.recs[0];
    assert_null(wn_record_first(r, WN_F_PMID));
    assert_string_equal(wn_record_first(r, WN_F_PMCID), "PMC22664230");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Test Journal");
    /* Two AB lines: the first is the abstract, the second is kept beside. */
    assert_string_equal(wn_record_first(r, WN_F_ABSTRACT), "Old Abstract");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "AB", 0), "new abstract");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2013");
    assert_int_equal(wn_record_count(r, WN_F_PUBTYPE), 3);
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "FED", 1), "Some test data");
    t_parsed_free(&p);
}

static void test_colrev_eric(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/colrev/eric_nbib.nbib");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 1);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_TITLE), "Paper title");
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Hunter, Shawn");
    assert_string_equal(wn_record_first(r, WN_F_DOI), "10.1000/123456789");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL), "Journal Name");
    assert_string_equal(wn_record_first(r, WN_F_ISSN), "1234-4567");
    assert_string_equal(wn_record_first(r, WN_F_PAGES), "1-9");
    assert_string_equal(wn_record_first(r, WN_F_YEAR), "2000");
    assert_int_equal(t_count_tagged(r, WN_F_KEYWORD, "OT"), 2);
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "OID", 0), "EJ1131633");
    /* The file starts with an empty line. */
    assert_int_equal(wn_record_origin_c(r)->line, 2);
    t_parsed_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_synthesisr_pubmed_example),
        cmocka_unit_test(test_revtools_restoration),
        cmocka_unit_test(test_baseline_pubmed_named_ris),
        cmocka_unit_test(test_rbibutils_single),
        cmocka_unit_test(test_jabref_nbib),
        cmocka_unit_test(test_jabref_multiple_entries),
        cmocka_unit_test(test_jabref_multi_abstract_without_pmid),
        cmocka_unit_test(test_colrev_eric),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
