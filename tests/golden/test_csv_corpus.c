/* Real CSV exports from ../shared/corpus: each is detected as CSV with the
 * database profile its header shows, gives the record count PROVENANCE.md
 * states, and a sampled record carries the values read off the file. The
 * two labelled sets (deduplication and screening) keep their ids and
 * labels, which the later stages join on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "import/parser.h"

typedef struct csv_case {
    const char *file;
    size_t records;
    const char *profile; /* part of the detection's explanation */
    size_t index;        /* sampled record, 0-based */
    const char *title, *first_author, *year, *doi, *journal, *volume, *pages, *source_id;
    size_t authors;
} csv_case;

static const csv_case cases[] = {
    {"formats/asreview/embase.csv", 6, "Embase export", 1,
     "Endoscopic ultrasound-guided fine-needle aspiration in the diagnosis of foregut "
     "duplication cysts: The value of demonstrating detached ciliary tufts in cyst fluid",
     "Eloubeidi, M.A.", "2004", NULL, "Cancer", "102", "253-258", NULL, 0},
    {"formats/asreview/generic_labels.csv", 6, "generic columns", 0, "Title of reference",
     "Marx, Karl", "2014", NULL, NULL, "9", NULL, "12345", 2},
    {"formats/asreview/generic_semicolon.csv", 2, "generic columns", 1,
     "The title of the reference", "Marxus, Karlus", "2006", NULL, NULL, "6", NULL, "12345", 2},
    {"formats/bibliometrix/openalex_sample.csv", 8, "OpenAlex CSV export", 1,
     "Bibliometric Analysis using Bibliometrix an R Package", "Hamid Derviş", "2020",
     "10.5530/jscires.8.3.32", "Journal of Scientometric Research", NULL, NULL,
     "https://openalex.org/W2998021954", 0},
    {"formats/citation-file-formatting/CSV/_baseline_cinahl.csv", 10, "EBSCO (CINAHL) export", 0,
     "Osteohistological insight into the growth dynamics of early dinosaurs and their "
     "contemporaries.",
     "Curry Rogers, Kristina", "2024", "10.1371/journal.pone.0298242", "PLoS ONE", "19", NULL,
     "176404503", 5},
    {"formats/citation-file-formatting/CSV/_baseline_covidence.csv", 10, "Covidence export", 1,
     NULL, "Troiano, L.P.", "2024", "10.1038/s41598-024-65283-y", "Scientific reports", "14",
     "14316", "#2", 0},
    {"formats/citation-file-formatting/CSV/_baseline_googlescholar.csv", 10,
     "Google Scholar export", 1,
     "Ecological and evolutionary implications of dinosaur feeding behaviour",
     "Barrett, Paul M", "2006", NULL, "Trends in Ecology & Evolution", "21", "217-224", NULL, 2},
    {"formats/citation-file-formatting/CSV/_baseline_pubmed.csv", 10, "PubMed CSV export", 0,
     "Time lapse: A glimpse into prehistoric genomics", "Griffin, DK", "2020",
     "10.1016/j.ejmg.2019.03.004", "Eur J Med Genet", "63", "103640", NULL, 3},
    {"formats/citation-file-formatting/CSV/_baseline_scopus.csv", 10, "Scopus export", 1,
     "The origin of an invasive air sac system in sauropodomorph dinosaurs", "Aureliano, T.",
     "2024", "10.1002/ar.25209", "Anatomical Record", "307", "1084-1092", "2-s2.0-85151426146",
     0},
    {"formats/colrev/ieee_csv.csv", 2, "generic columns", 1, NULL, "Wei Wu", NULL,
     "10.1109/icim56520.2022.00024",
     "2022 8th International Conference on Information Management (ICIM)", NULL, NULL, NULL, 0},
    {"formats/colrev/pubmed_csv.csv", 1, "PubMed CSV export", 0, "Paper title", "Smith, A",
     "2021", "10.1111/nature1111", "Nature", "1", "10-11", NULL, 2},
    {"formats/litstudy/ieee.csv", 10, "IEEE Xplore export", 1, "European HPC Landscape",
     "F. Berberich", "2019", "10.1109/escience.2019.00062",
     "2019 15th International Conference on eScience (eScience)", NULL, "471-478", NULL, 0},
    /* Most rows have one cell more than the header: a second "Funding Text". */
    {"formats/litstudy/scopus.csv", 58, "Scopus export", 1,
     "Petri Nets: Properties, Analysis and Applications", "Murata, T.", "1989",
     "10.1109/5.24143", "Proceedings of the IEEE", "77", "541-580", "2-s2.0-0024645936", 1},
    {"dedup/bib-dedupe_haematology/records_pre_merged.csv", 1415, "generic columns", 0,
     "New insights into postrenal transplant hemolytic uremic syndrome.", "Zuber, J", "2011",
     NULL, "Nat Rev Nephrol", "7", "23-35", "id_0000001", 6},
    {"screening/Nagtegaal_2019/Nagtegaal_2019.csv", 2019, "generic columns", 0,
     "A prospective, controlled trial of a pharmacy-driven alert system to increase "
     "thromboprophylaxis rates in medical inpatients.",
     NULL, NULL, NULL, NULL, NULL, NULL, "1", 0},
};

static void check_case(const csv_case *c)
{
    const char *path = t_corpus_path(c->file);
    if (!path) {
        print_message("skipped: ../shared/corpus/%s not present\n", c->file);
        return;
    }
    size_t len;
    char *text = t_read_file(path, &len);
    wn_decoded d;
    wn_err err;
    wn_detection det;
    assert_int_equal(wn_text_decode(path, text, len, &d, &err), 0);
    if (wn_format_detect(path, d.text, d.len, &det, &err))
        fail_msg("%s: %s", c->file, err.msg);
    assert_string_equal(wn_format_name(det.format), "csv");
    char why[200];
    wn_csv_explain(d.text, d.len, why, sizeof why);
    if (!strstr(why, c->profile))
        fail_msg("%s: profile '%s', expected '%s'", c->file, why, c->profile);

    t_parsed p;
    t_parse_file_ok(&p, path, NULL, c->records);
    if (p.n_warnings)
        fail_msg("%s: %s", c->file, p.warnings[0]);
    const wn_record *r = t_rec(&p, c->index);
    const wn_field fields[] = {WN_F_TITLE,  WN_F_AUTHOR, WN_F_YEAR,  WN_F_DOI,
                               WN_F_JOURNAL, WN_F_VOLUME, WN_F_PAGES, WN_F_SOURCE_ID};
    const char *want[] = {c->title,   c->first_author, c->year,  c->doi,
                          c->journal, c->volume,       c->pages, c->source_id};
    t_expect_first_values(r, c->index + 1, fields, want, sizeof fields / sizeof fields[0]);
    if (c->authors && wn_record_count(r, WN_F_AUTHOR) != c->authors)
        fail_msg("%s record %zu: %zu authors, expected %zu", c->file, c->index + 1,
                 wn_record_count(r, WN_F_AUTHOR), c->authors);
    /* Every record starts where its row does. */
    for (size_t i = 0; i < p.n; i++) {
        const wn_origin *o = t_origin(&p, i);
        assert_true(o->offset + o->length <= d.len);
        assert_int_equal(o->position, i + 1);
    }
    t_parsed_free(&p);
    wn_decoded_free(&d);
    free(text);
}

static void test_every_csv_export_reads_with_its_count(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
}

/* Database exports name document types in their own words ("Conference
 * Paper", "IEEE Conferences", "Short Survey"); every record that has one
 * gets the kind it is, so rules on type work across databases. */
static void test_database_types_all_understood(void **state)
{
    (void)state;
    static const char *const files[] = {
        "formats/litstudy/scopus.csv",
        "formats/litstudy/ieee.csv",
        "formats/asreview/embase.csv",
        "formats/citation-file-formatting/CSV/_baseline_scopus.csv",
    };
    size_t typed = 0;
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        const char *path = t_corpus_path(files[k]);
        if (!path) {
            print_message("skipped: ../shared/corpus/%s not present\n", files[k]);
            continue;
        }
        t_parsed p;
        t_parse_file(&p, path, NULL);
        assert_int_equal(p.rc, 0);
        for (size_t i = 0; i < p.n; i++) {
            const char *raw = t_field(&p, i, WN_F_TYPE_RAW);
            if (!raw)
                continue;
            typed++;
            if (!t_field(&p, i, WN_F_TYPE))
                fail_msg("%s record %zu: type '%s' not understood", files[k], i + 1, raw);
        }
        t_parsed_free(&p);
    }
    if (!typed && t_corpus_path(files[0]))
        fail_msg("no record with a document type: the column is no longer read");
}

/* The deduplication set joins on ID: every record keeps a distinct one. */
static void test_dedup_set_keeps_every_id(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "dedup/bib-dedupe_haematology/records_pre_merged.csv");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 1415);
    for (size_t i = 0; i < p.n; i++) {
        char want[32];
        snprintf(want, sizeof want, "id_%07zu", i + 1);
        t_assert_field(&p, i, WN_F_SOURCE_ID, want);
    }
    /* BibTeX-style "A and B" author lists are split. */
    assert_string_equal(wn_record_get(t_rec(&p, 1), WN_F_AUTHOR, 5), "Legendre, C.");
    t_parsed_free(&p);
}

/* The screening set keeps record_id and both label columns on every record,
 * with the label counts the dataset documents. */
static void test_screening_set_keeps_ids_and_labels(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "screening/Nagtegaal_2019/Nagtegaal_2019.csv");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 2019);
    size_t included = 0, abstract_included = 0, duplicates = 0;
    for (size_t i = 0; i < p.n; i++) {
        const wn_record *r = t_rec(&p, i);
        char want[32];
        snprintf(want, sizeof want, "%zu", i + 1);
        t_assert_field(&p, i, WN_F_SOURCE_ID, want);
        const char *inc = t_extra(r, "label_included");
        const char *abs = t_extra(r, "label_abstract_screening");
        assert_non_null(inc);
        assert_non_null(abs);
        included += strcmp(inc, "1") == 0;
        abstract_included += strcmp(abs, "1") == 0;
        duplicates += t_extra(r, "duplicate_record_id") != NULL;
    }
    assert_int_equal(included, 101);
    assert_int_equal(abstract_included, 392);
    assert_int_equal(duplicates, 11);
    t_parsed_free(&p);
}

/* Web of Science tab-delimited files go to their own reader, not CSV. */
static void test_wos_tab_file_is_not_taken_for_csv(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/ScientoPy/wos_2026_04_02_4071.txt");
    size_t len;
    char *text = t_read_file(path, &len);
    wn_decoded d;
    wn_err err;
    wn_detection det;
    assert_int_equal(wn_text_decode(path, text, len, &d, &err), 0);
    assert_int_equal(wn_format_detect(path, d.text, d.len, &det, &err), 0);
    assert_string_equal(wn_format_name(det.format), "wos-tab");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 71);
    t_parsed_free(&p);
    wn_decoded_free(&d);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_csv_export_reads_with_its_count),
        cmocka_unit_test(test_database_types_all_understood),
        cmocka_unit_test(test_dedup_set_keeps_every_id),
        cmocka_unit_test(test_screening_set_keeps_ids_and_labels),
        cmocka_unit_test(test_wos_tab_file_is_not_taken_for_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
