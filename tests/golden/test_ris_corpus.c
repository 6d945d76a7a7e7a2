/* The RIS reader on real exports from ../shared/corpus: every RIS file of
 * PROVENANCE.md is detected as RIS and gives the record count listed there;
 * a sample of fields per file was checked by reading the file itself. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* One expected value: the idx-th value of field f in record rec (0-based),
 * or with tag set, the idx-th value of f carrying that tag. A NULL value
 * means there is none. */
typedef struct check {
    size_t rec;
    wn_field f;
    const char *tag;
    size_t idx;
    const char *value;
} check;

#define ANY_WARNINGS SIZE_MAX

typedef struct corpus_file {
    const char *rel;
    size_t records;
    size_t warnings;           /* ANY_WARNINGS: not checked */
    const char *first_warning; /* exact text, or NULL */
    check checks[24];
} corpus_file;

/* Field value shorthands. */
#define V(rec, f, value) {rec, f, NULL, 0, value}
#define VI(rec, f, idx, value) {rec, f, NULL, idx, value}
#define VT(rec, f, tag, value) {rec, f, tag, 0, value}
#define NONE(rec, f) {rec, f, NULL, 0, NULL}

static const char *value_of(const wn_record *r, const check *c)
{
    return c->tag ? t_tagged(r, c->f, c->tag, c->idx) : wn_record_get(r, c->f, c->idx);
}

static void run_file(const corpus_file *cf)
{
    T_NEED_CORPUS(path, cf->rel);
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, cf->records);
    if (cf->warnings != ANY_WARNINGS && p.n_warnings != cf->warnings) {
        for (size_t i = 0; i < p.n_warnings; i++)
            print_message("%s: %s\n", cf->rel, p.warnings[i]);
        fail_msg("%s: %zu warnings, expected %zu", cf->rel, p.n_warnings, cf->warnings);
    }
    if (cf->first_warning) {
        assert_true(p.n_warnings > 0);
        assert_string_equal(p.warnings[0], cf->first_warning);
    }
    for (size_t k = 0; k < sizeof cf->checks / sizeof cf->checks[0]; k++) {
        const check *c = &cf->checks[k];
        if (!c->value && !c->rec && !c->f && !c->tag)
            break; /* the zeroed rest of the list */
        assert_true(c->rec < p.n);
        const char *got = value_of(p.recs[c->rec], c);
        if (!c->value && got)
            fail_msg("%s record %zu: %s%s%s is '%s', expected none", cf->rel, c->rec + 1,
                     wn_field_name(c->f), c->tag ? "/" : "", c->tag ? c->tag : "", got);
        if (c->value && (!got || strcmp(got, c->value) != 0))
            fail_msg("%s record %zu: %s%s%s[%zu] is '%s', expected '%s'", cf->rel, c->rec + 1,
                     wn_field_name(c->f), c->tag ? "/" : "", c->tag ? c->tag : "", c->idx,
                     got ? got : "(none)", c->value);
    }
    t_parsed_free(&p);
}

static const corpus_file rispy_files[] = {
    {"formats/rispy/example_basic.ris", 1, 0, NULL,
     {V(0, WN_F_TITLE, "A Mathematical Theory of Communication"),
      V(0, WN_F_AUTHOR, "Shannon, Claude E."), V(0, WN_F_YEAR, "1948"),
      V(0, WN_F_DATE, "1948/07//"), V(0, WN_F_JOURNAL, "Bell System Technical Journal"),
      V(0, WN_F_START_PAGE, "379"), V(0, WN_F_END_PAGE, "423"), V(0, WN_F_PAGES, "379-423"),
      V(0, WN_F_VOLUME, "27"), V(0, WN_F_TYPE, "article")}},
    {"formats/rispy/example_bom.ris", 1, 0, NULL,
     {V(0, WN_F_TYPE_RAW, "JOUR"), V(0, WN_F_DOI, "10.1186/s40981-020-0316-0")}},
    {"formats/rispy/example_custom_list_tags.ris", 1, 1,
     "line 1: ignored 1 line outside a record, starting '1.' (a record runs from 'TY  - ' to "
     "'ER  - ')",
     {VI(0, WN_F_AUTHOR, 1, "Marxus, Karlus"), NONE(0, WN_F_ISSN), NONE(0, WN_F_ISBN),
      {0, WN_F_EXTRA, "SN", 0, "12345"}, {0, WN_F_EXTRA, "SN", 1, "ABCDEFG"},
      {0, WN_F_EXTRA, "SN", 2, "666666"}}},
    {"formats/rispy/example_empty_tag.ris", 1, 0, NULL,
     {V(0, WN_F_SOURCE_ID, "2006713348"),
      V(0, WN_F_TITLE, "Outcome Measures After Shoulder Stabilization in the Athletic "
                       "Population: A Systematic Review of Clinical and Patient-Reported "
                       "Metrics"),
      V(0, WN_F_AUTHOR, "Fanning, E."), V(0, WN_F_YEAR, "2020"),
      V(0, WN_F_JOURNAL, "Orthopaedic Journal of Sports Medicine"),
      V(0, WN_F_JOURNAL_ABBR, "Orthop. J. Sports Med."), V(0, WN_F_VOLUME, "8"),
      V(0, WN_F_ISSUE, "9"), NONE(0, WN_F_START_PAGE),
      V(0, WN_F_DOI, "10.1177/2325967120950040"), V(0, WN_F_ISSN, "2325-9671"),
      VI(0, WN_F_KEYWORD, 2, "bone remodeling")}},
    {"formats/rispy/example_extraneous_data.ris", 2, 2,
     "line 1: ignored 4 lines outside a record, starting 'Record #1 of 2' (a record runs from "
     "'TY  - ' to 'ER  - ')",
     {V(1, WN_F_TITLE, "The title of the reference"), V(1, WN_F_YEAR, "2006"),
      V(1, WN_F_START_PAGE, "e0815341"), V(1, WN_F_ISSN, "1732-4208"),
      V(1, WN_F_PUBLISHER, "Dark Factory"), VT(1, WN_F_URL, "L2", "http://example2.com"),
      VT(1, WN_F_EXTRA, "CY", "Germany")}},
    {"formats/rispy/example_full.ris", 2, 2, NULL,
     {V(0, WN_F_SOURCE_ID, "12345"), V(0, WN_F_TITLE, "Title of reference"),
      V(0, WN_F_AUTHOR, "Marx, Karl"), VI(0, WN_F_AUTHOR, 1, "Lindgren, Astrid"),
      VT(0, WN_F_EXTRA, "A2", "Glattauer, Daniel"), VT(0, WN_F_EXTRA, "M1", "1008150341"),
      V(0, WN_F_JOURNAL, "Lorem"), V(0, WN_F_JOURNAL_ABBR, "lorem"), V(0, WN_F_YEAR, "2014")}},
    {"formats/rispy/example_full_without_whitespace.ris", 2, 2, NULL,
     {V(1, WN_F_KEYWORD, "Pippi Langstrumpf"), V(1, WN_F_TITLE, "The title of the reference"),
      V(1, WN_F_VOLUME, "6")}},
    {"formats/rispy/example_full_write.ris", 2, 2, NULL,
     {NONE(0, WN_F_JOURNAL), V(0, WN_F_JOURNAL_ABBR, "lorem"),
      V(1, WN_F_AUTHOR, "Marxus, Karlus")}},
    {"formats/rispy/example_multi_unknown_tags.ris", 1, 0, NULL,
     {VT(0, WN_F_EXTRA, "JP", "CRISPR"), VT(0, WN_F_EXTRA, "DC", "Direct Current"),
      V(0, WN_F_END_PAGE, "423"), NONE(0, WN_F_START_PAGE)}},
    {"formats/rispy/example_multiline.ris", 3, 0, NULL,
     {V(0, WN_F_ABSTRACT, "first line, ER then second line and at the end the last line"),
      V(1, WN_F_ABSTRACT, "first line, ER then second line and at the end the last line"),
      V(2, WN_F_ABSTRACT, "first line, ER then second line and at the end the last line"),
      VT(0, WN_F_EXTRA, "N1", "first line\n* second line\n* last line"),
      VT(2, WN_F_EXTRA, "N1", "first line\n* second line\n* last line")}},
    {"formats/rispy/example_single_unknown_tag.ris", 1, 0, NULL,
     {{0, WN_F_EXTRA, "JP", 0, "CRISPR"}, {0, WN_F_EXTRA, "JP", 1, "Direct Current"}}},
    {"formats/rispy/example_starting_newlines.ris", 1, 0, NULL,
     {V(0, WN_F_TITLE, "A Mathematical Theory of Communication")}},
    {"formats/rispy/example_urls.ris", 4, 0, NULL,
     {V(0, WN_F_URL, "http://example.com"), VI(0, WN_F_URL, 1, NULL),
      VI(1, WN_F_URL, 1, "http://www.example.com"), VI(2, WN_F_URL, 0, "http://example.com"),
      VI(2, WN_F_URL, 1, "http://www.example.com"), VI(3, WN_F_URL, 1, "http://www.example.com"),
      VI(3, WN_F_URL, 2, NULL)}},
    {"formats/rispy/example_utf_chars.ris", 1, 0, NULL,
     {V(0, WN_F_TYPE_RAW, "Journal Article"), V(0, WN_F_TYPE, "article"),
      V(0, WN_F_AUTHOR, "Dobrokhotova, Yu E."), VI(0, WN_F_AUTHOR, 4, "Karnaukhov, V. N."),
      V(0, WN_F_YEAR, "2009"), V(0, WN_F_JOURNAL, "Gynecology, Obstetrics and Perinatology"),
      V(0, WN_F_VOLUME, "8"), V(0, WN_F_ISSUE, "3"), V(0, WN_F_START_PAGE, "52"),
      V(0, WN_F_END_PAGE, "57"),
      VT(0, WN_F_EXTRA, "N1", "\xC3\x84,\xC3\x96,\xC3\x9C,\xC3\xA4,\xC3\xB6,\xC3\xBC,\xC3\x9F")}},
};

static const corpus_file asreview_files[] = {
    {"formats/asreview/baseline_empty_values.ris", 4, 0, NULL,
     {V(0, WN_F_TITLE, "Title of reference"), NONE(0, WN_F_ABSTRACT), NONE(1, WN_F_TITLE),
      V(1, WN_F_ABSTRACT, "Lorem ipsum dolor sit amet, consectetuer adipiscing elit."),
      V(3, WN_F_SOURCE_ID, "4"), V(2, WN_F_TYPE, "generic")}},
    {"formats/asreview/baseline_tag-notes_labels.ris", 32, 0, NULL,
     {V(0, WN_F_TITLE, "Record which is labeled \"relevant\" by the researcher using ASReview."),
      {0, WN_F_EXTRA, "N1", 0, "ASReview_relevant"}, {0, WN_F_EXTRA, "N1", 1, "ASReview_prior"},
      V(2, WN_F_EXTRA, "ASReview_not_seen")}},
    {"formats/asreview/embase.ris", 6, 0, NULL,
     {V(1, WN_F_YEAR, "2004"), V(1, WN_F_VOLUME, "102"), V(1, WN_F_ISSUE, "4"),
      V(1, WN_F_START_PAGE, "253"), V(1, WN_F_END_PAGE, "258"), V(1, WN_F_ISSN, "0008-543X"),
      V(1, WN_F_JOURNAL, "Cancer"), VT(1, WN_F_PMID, "C5", "15368318"),
      V(1, WN_F_DOI, "10.1002/cncr.20369"), V(1, WN_F_AUTHOR, "Eloubeidi, M.A."),
      VI(1, WN_F_AUTHOR, 6, "Eltoum, I.A."),
      V(1, WN_F_TITLE, "Endoscopic ultrasound-guided fine-needle aspiration in the diagnosis "
                       "of foregut duplication cysts: The value of demonstrating detached "
                       "ciliary tufts in cyst fluid"),
      V(1, WN_F_LANGUAGE, "English")}},
    {"formats/asreview/faulty_year.ris", 1, 1,
     "line 1: year '10 15' not understood; kept as an extra field",
     {NONE(0, WN_F_YEAR), VT(0, WN_F_EXTRA, "PY", "10 15")}},
    {"formats/asreview/ovid_psycinfo.ris", 6, 7, NULL,
     {V(1, WN_F_SOURCE_ID, "2019-29490-001"), V(1, WN_F_DOI, "10.1177/1359105317742958"),
      V(1, WN_F_TITLE, "Gender differences in inflammatory bowel disease: Explaining body "
                       "image dissatisfaction."),
      V(1, WN_F_AUTHOR, "Trindade, Ines A"), VI(1, WN_F_AUTHOR, 3, "Pinto-Gouveia, Jose"),
      V(1, WN_F_YEAR, "2019"), V(1, WN_F_JOURNAL, "Journal of Health Psychology"),
      V(1, WN_F_VOLUME, "24"), V(1, WN_F_ISSUE, "7"), V(1, WN_F_PAGES, "847-856"),
      V(1, WN_F_PUBLISHER, "Sage Publications"), VT(1, WN_F_EXTRA, "PB", "US"),
      V(1, WN_F_ISSN, "1359-1053")}},
    {"formats/asreview/proquest.ris", 6, 0, NULL,
     {V(1, WN_F_TITLE, "Trajectories of posttraumatic stress disorders among children after "
                       "the Wenchuan earthquake: a four-year longitudinal study"),
      VT(1, WN_F_SOURCE_ID, "AN", "2236127104; 52024"),
      V(1, WN_F_JOURNAL, "European Journal of Psychotraumatology"),
      V(1, WN_F_AUTHOR, "Liang, Yiming"), VI(1, WN_F_AUTHOR, 3, "Liu, Zhengkui"),
      V(1, WN_F_YEAR, "2019"), V(1, WN_F_VOLUME, "10"), V(1, WN_F_ISSUE, "1"),
      VI(1, WN_F_ISSN, 0, "2000-8066"), VI(1, WN_F_ISSN, 1, "2000-8066"),
      V(1, WN_F_DOI, "10.1080/20008198.2019.1586266"), V(1, WN_F_LANGUAGE, "English")}},
    {"formats/asreview/pubmed_zotero.ris", 6, 0, NULL,
     {V(0, WN_F_AUTHOR, "Rudnik, Agata"), V(0, WN_F_JOURNAL, "Przeglad gastroenterologiczny"),
      V(0, WN_F_JOURNAL_ABBR, "Prz Gastroenterol"), V(0, WN_F_DATE, "2019///"),
      V(0, WN_F_YEAR, "2019"), V(0, WN_F_DOI, "10.5114/pg.2018.81081"),
      V(0, WN_F_VOLUME, "14"), V(0, WN_F_ISSUE, "2"), V(0, WN_F_PAGES, "121-128"),
      V(0, WN_F_LANGUAGE, "English"), VI(0, WN_F_ISSN, 1, "1895-5770"),
      V(5, WN_F_DOI, "10.1097/md.0000000000016231"), VI(5, WN_F_ISSN, 0, "1536-5964"),
      VI(5, WN_F_ISSN, 1, "0025-7974"), V(5, WN_F_START_PAGE, "e16231"),
      NONE(5, WN_F_END_PAGE), V(5, WN_F_JOURNAL_ABBR, "Medicine (Baltimore)")}},
    {"formats/asreview/ris_issue_992.txt", 19, 0, NULL,
     {V(0, WN_F_SOURCE_ID, "1"), VT(0, WN_F_EXTRA, "AN", "rayyan-264552525"),
      V(0, WN_F_PAGES, "1-5"), V(0, WN_F_START_PAGE, "1"), V(0, WN_F_END_PAGE, "5"),
      V(0, WN_F_ISSN, "1534-5181"),
      V(0, WN_F_JOURNAL, "Joint Commission Perspectives on Patient Safety"),
      V(0, WN_F_TITLE, "Overcoming Medication Reconciliation Challenges"),
      V(18, WN_F_AUTHOR, "Abraham, J. M."), VI(18, WN_F_AUTHOR, 3, "Drake, C."),
      V(18, WN_F_DOI, "10.1176/appi.ps.202000115"), V(18, WN_F_PAGES, "200-203"),
      V(18, WN_F_JOURNAL_ABBR, "Psychiat Serv"), V(18, WN_F_SOURCE_ID, "1060"),
      V(18, WN_F_DATE, "Feb"), V(18, WN_F_YEAR, "2021")}},
    {"formats/asreview/web_of_science.txt", 10, 0, NULL,
     {V(0, WN_F_AUTHOR, "Alceste, F"),
      V(0, WN_F_TITLE, "Holding Yourself Captive: Perceptions of Custody During Interviews and "
                       "Interrogations"),
      V(0, WN_F_JOURNAL, "JOURNAL OF APPLIED RESEARCH IN MEMORY AND COGNITION"),
      V(0, WN_F_JOURNAL_ABBR, "J. Appl. Res. Mem. Cogn."),
      VT(0, WN_F_EXTRA, "J9", "J APPL RES MEM COGN"), VI(0, WN_F_ISSN, 0, "2211-3681"),
      VI(0, WN_F_ISSN, 1, "2211-369X"), V(0, WN_F_DATE, "SEP"), V(0, WN_F_YEAR, "2018"),
      VT(0, WN_F_SOURCE_ID, "AN", "WOS:000444108200009"),
      V(0, WN_F_PUBLISHER, "ELSEVIER SCIENCE INC"), V(0, WN_F_PAGES, "387-397"),
      V(9, WN_F_DOI, "10.1080/1068316x.2013.777963"), V(9, WN_F_AUTHOR, "Wetmore, SA"),
      V(9, WN_F_ISSN, "1068-316X")}},
};

static const corpus_file other_files[] = {
    {"formats/synthesisr/ASP_ris_example.ris", 4, 0, NULL,
     {V(0, WN_F_AUTHOR, "Rodr\xC3\xADguez-Pastor, Ruth"),
      V(0, WN_F_JOURNAL, "Agriculture, Ecosystems & Environment"), V(0, WN_F_YEAR, "2016"),
      V(0, WN_F_ISSN, "0167-8809"), V(0, WN_F_PAGES, "206-217"), V(0, WN_F_VOLUME, "231"),
      V(3, WN_F_AUTHOR, "\xE6\x9C\xB1\xE5\xBE\xB7\xE6\xB3\x89"),
      V(3, WN_F_JOURNAL, "Transactions of the Chinese Society of Agricultural Engineering"),
      VT(3, WN_F_EXTRA, "T2", "Design and experiment of 2ZGK-6 type spacing-adjustable "
                              "wide-narrow row high speed rice transplanter."),
      V(3, WN_F_ISSN, "1002-6819"), V(3, WN_F_ISSUE, "21")}},
    {"formats/synthesisr/Ovid_ris_example.ris", 4, 5, NULL,
     {V(0, WN_F_SOURCE_ID, "20203152553"), V(0, WN_F_DOI, "10.4236/ojf.2020.101008"),
      V(0, WN_F_TITLE, "Detection of retention trees on clearcuts, a 50-year perspective."),
      V(0, WN_F_AUTHOR, "Holmstrom, E."), V(0, WN_F_JOURNAL, "Open Journal of Forestry"),
      V(0, WN_F_JOURNAL_ABBR, "Open Journal of Forestry"), V(0, WN_F_ISSN, "2163-0429"),
      V(0, WN_F_PAGES, "110-123"), V(3, WN_F_AUTHOR, "Antoh, A. A."),
      V(3, WN_F_JOURNAL, "AAB Bioflux")}},
    {"formats/CiteSource/valid_data/WoS_79.ris", 79, 0, NULL,
     {V(1, WN_F_AUTHOR, "Khazaal, Y"),
      V(1, WN_F_TITLE, "Internet Gamblers Differ on Social Variables: A Latent Class Analysis"),
      V(1, WN_F_JOURNAL, "JOURNAL OF GAMBLING STUDIES"), V(1, WN_F_ISSN, "1050-5350"),
      V(1, WN_F_YEAR, "2017"), V(1, WN_F_VOLUME, "33"), V(1, WN_F_ISSUE, "3"),
      V(1, WN_F_PAGES, "881-897"), V(1, WN_F_DOI, "10.1007/s10899-016-9664-0"),
      V(78, WN_F_AUTHOR, "Hawthorne, M"), V(78, WN_F_JOURNAL, "DIX-NEUF"),
      V(78, WN_F_DOI, "10.1080/14787318.2017.1285132")}},
    {"formats/CiteSource/valid_data/benchmark.ris", 13, 0, NULL,
     {V(1, WN_F_TITLE, "Worsened Anxiety and Loneliness Influenced Gaming and Gambling during "
                       "the COVID-19 Pandemic"),
      V(1, WN_F_AUTHOR, "Mohamed, Mohamed S."), V(1, WN_F_DOI, "10.3390/jcm12010249"),
      V(1, WN_F_START_PAGE, "249"),
      V(12, WN_F_TITLE, "The association between loneliness, social isolation and women's "
                        "electronic gaming machine gambling"),
      V(12, WN_F_AUTHOR, "Trevorrow, Karen"), V(12, WN_F_DOI, "10.1023/a:1022057609568"),
      VT(12, WN_F_SOURCE_ID, "AN", "1999-03840-004"), V(12, WN_F_PAGES, "263-284")}},
    {"formats/CiteSource/valid_data/psycinfo_64.ris", 64, 0, NULL,
     {V(1, WN_F_SOURCE_ID, "2020-98025-001"), VT(1, WN_F_EXTRA, "AN", "2020-98025-001"),
      V(1, WN_F_AUTHOR, "H\xC3\xA5kansson, Anders"),
      V(1, WN_F_TITLE, "Gambling despite nationwide self-exclusion\xE2\x80\x94" "A survey in "
                       "online gamblers in Sweden"),
      V(1, WN_F_JOURNAL, "Frontiers in Psychiatry"), V(1, WN_F_JOURNAL_ABBR, "Front Psychiatry"),
      V(1, WN_F_YEAR, "2020"), V(1, WN_F_DATE, "2020/12/02/"), V(1, WN_F_VOLUME, "11"),
      V(1, WN_F_ISSN, "1664-0640"), V(1, WN_F_DOI, "10.3389/fpsyt.2020.599967"),
      V(63, WN_F_TYPE_RAW, "THES"), V(63, WN_F_TYPE, "thesis"), V(63, WN_F_ISSUE, "3-A"),
      V(63, WN_F_START_PAGE, "820"), V(63, WN_F_AUTHOR, "Horvath, Cary L.")}},
    {"formats/CiteSource/valid_data/pubmed_46.ris", 46, 0, NULL,
     {V(1, WN_F_TITLE, "Worsened Anxiety and Loneliness Influenced Gaming and Gambling during "
                       "the COVID-19 Pandemic."),
      V(1, WN_F_JOURNAL, "Journal of clinical medicine"), V(1, WN_F_JOURNAL_ABBR, "J Clin Med"),
      V(1, WN_F_DATE, "2022/12/29/"), V(1, WN_F_ISSN, "2077-0383"),
      V(45, WN_F_ISSUE, "3 Pt 1"), V(45, WN_F_DOI, "10.2466/pr0.1997.80.3.1051"),
      V(45, WN_F_AUTHOR, "Ohtsuka, K."), V(45, WN_F_PAGES, "1051-1057")}},
    {"formats/ASySD/zotero_export.ris", 1000, 0, NULL,
     {V(1, WN_F_TITLE, "Molecular background of hereditary nephropathies in spaniel dogs"),
      V(1, WN_F_AUTHOR, "Wasielewska, M"),
      V(1, WN_F_JOURNAL, "MEDYCYNA WETERYNARYJNA-VETERINARY MEDICINE-SCIENCE AND PRACTICE"),
      V(1, WN_F_DOI, "10.21521/mw.6330"), VT(1, WN_F_SOURCE_ID, "AN", "WOS:000503037900003"),
      V(1, WN_F_PAGES, "719-723"), V(1, WN_F_YEAR, "2019"), V(1, WN_F_ISSN, "0025-8628"),
      V(999, WN_F_TITLE, "Radiographic diagnosis-paraspinal abscess in a dog"),
      V(999, WN_F_DOI, "10.1111/j.1740-8261.2005.00004.x"),
      V(999, WN_F_SOURCE_ID, "WOS:000226436800004")}},
    {"formats/reflib/blue-light.ris", 102, 0, NULL,
     {VT(0, WN_F_PMID, "AN", "29657938"), V(0, WN_F_PMCID, "PMC5887696"),
      V(0, WN_F_SOURCE_ID, "895"), V(0, WN_F_DOI, "10.4103/abr.abr_99_17"),
      V(0, WN_F_JOURNAL, "Adv Biomed Res"),
      V(0, WN_F_TITLE, "Formulation of Herbal Gel of Antirrhinum majus Extract and Evaluation "
                       "of its Anti-Propionibacterium acne Effects"),
      VI(0, WN_F_KEYWORD, 0, "Acne"), VI(0, WN_F_KEYWORD, 3, "blue light"),
      VI(0, WN_F_KEYWORD, 4, NULL), V(0, WN_F_AUTHOR, "Shahtalebi, M. A."),
      V(1, WN_F_PMID, "15301568"), V(1, WN_F_PAGES, "211-6"), V(1, WN_F_END_PAGE, "216"),
      V(1, WN_F_ISSN, "1175-0561"), V(1, WN_F_SOURCE_ID, "963"),
      V(101, WN_F_DATE, "May-Jun"), V(101, WN_F_PMID, "12872936"),
      V(101, WN_F_END_PAGE, "407"), V(101, WN_F_ISSUE, "5-6")}},
    {"prisma/PRISMA2020/citation.ris", 1, 0, NULL,
     {V(0, WN_F_AUTHOR, "Haddaway, Neal R."), V(0, WN_F_YEAR, "2022"),
      V(0, WN_F_DOI, "10.1002/cl2.1230"), V(0, WN_F_JOURNAL, "Campbell Systematic Reviews"),
      V(0, WN_F_JOURNAL_ABBR, "Campbell Systematic Reviews"), V(0, WN_F_START_PAGE, "e1230"),
      V(0, WN_F_ISSN, "1891-1803"), NONE(0, WN_F_PUBTYPE),
      V(0, WN_F_PUBLISHER, "John Wiley & Sons, Ltd")}},
};

static const corpus_file jabref_files[] = {
    {"formats/jabref/RisImporterTest1.ris", 11, 14,
     "line 1: ignored 1 line outside a record, starting ' \xEF\xBB\xBF' (a record runs from "
     "'TY  - ' to 'ER  - ')",
     {V(0, WN_F_TYPE_RAW, "BOOK"), V(1, WN_F_TYPE_RAW, "JOUR"), V(7, WN_F_TYPE_RAW, "OTHER"),
      V(8, WN_F_TYPE_RAW, "CONF"),
      V(8, WN_F_TITLE, "Editorial: Open Source and Empirical Software Engineering:"),
      V(8, WN_F_JOURNAL, "Empirical Software Engineering"), V(8, WN_F_AUTHOR, "Cocke"),
      VI(8, WN_F_AUTHOR, 1, "Harrison, Warren"), VI(8, WN_F_AUTHOR, 2, "Levenshtein"),
      VI(8, WN_F_AUTHOR, 3, "Morris"), V(8, WN_F_YEAR, "2001"),
      VT(8, WN_F_EXTRA, "T3", "Arrow"), V(9, WN_F_PUBLISHER, "kmptnv"),
      V(10, WN_F_ABSTRACT, "abstract1"), VT(10, WN_F_EXTRA, "N2", "abstract0"),
      VT(10, WN_F_EXTRA, "SN", "kmptns"), VT(10, WN_F_EXTRA, "ER", "kmpt"),
      VI(10, WN_F_KEYWORD, 1, "keyword1")}},
    {"formats/jabref/RisImporterTest3.ris", 1, 0, NULL,
     {V(0, WN_F_TYPE, "chapter"),
      V(0, WN_F_TITLE, "Toward a Robust Analysis of Dermoscopy Images Acquired under Different "
                       "Conditions"),
      V(0, WN_F_JOURNAL, "Dermoscopy Image Analysis"),
      VT(0, WN_F_EXTRA, "T3", "Digital Imaging and Computer Vision"),
      V(0, WN_F_ISBN, "9781482253269"), NONE(0, WN_F_ISSN), V(0, WN_F_PAGES, "1-22"),
      V(0, WN_F_END_PAGE, "22"), V(0, WN_F_DOI, "10.1201/b19107-2"),
      V(0, WN_F_PUBLISHER, "CRC Press"), V(0, WN_F_YEAR, "2015"),
      V(0, WN_F_AUTHOR, "Catarina Barata")}},
    {"formats/jabref/RisImporterTest6.ris", 1, 0, NULL,
     {VT(0, WN_F_PMCID, "AN", "PMC3654245"), VT(0, WN_F_PMID, "U1", "23690738"),
      V(0, WN_F_JOURNAL, "The Scientific World Journal"),
      V(0, WN_F_JOURNAL_ABBR, "ScientificWorldJournal"), V(0, WN_F_ISSN, "1537-744X"),
      V(0, WN_F_DOI, "10.1155/2013/219840"),
      V(0, WN_F_TITLE, "Chelation: Harnessing and Enhancing Heavy Metal "
                       "Detoxification\xE2\x80\x94" "A Review"),
      V(0, WN_F_YEAR, "2013"), NONE(0, WN_F_SOURCE_ID)}},
    {"formats/jabref/RisImporterTest8_date.ris", 1, 0, NULL,
     {V(0, WN_F_AUTHOR, "Valle-Delgado, J. J."), VI(0, WN_F_AUTHOR, 5, "Rutland, M. W."),
      V(0, WN_F_YEAR, "2005"), V(0, WN_F_DATE, "2005/07/15"),
      V(0, WN_F_JOURNAL, "The Journal of Chemical Physics"),
      V(0, WN_F_JOURNAL_ABBR, "J. Chem. Phys."), V(0, WN_F_START_PAGE, "034708"),
      V(0, WN_F_VOLUME, "123"), V(0, WN_F_ISSUE, "3"), V(0, WN_F_ISSN, "0021-9606"),
      V(0, WN_F_DOI, "10.1063/1.1954747")}},
    {"formats/jabref/RisImporterTestScopus.ris", 1, 0, NULL,
     {V(0, WN_F_TITLE, "A transversely isotropic composite with a statistical distribution of "
                       "spheroidal inclusions: A geometrical approach to overall properties"),
      V(0, WN_F_JOURNAL, "Journal of the Mechanics and Physics of Solids"),
      V(0, WN_F_DOI, "10.1016/j.jmps.2004.03.010"), V(0, WN_F_PAGES, "2309-2327"),
      V(0, WN_F_AUTHOR, "Federico, S."), VI(0, WN_F_AUTHOR, 2, "Herzog, W."),
      VI(0, WN_F_AUTHOR, 3, NULL), V(0, WN_F_PUBTYPE, "Article"),
      {0, WN_F_EXTRA, "N1", 1, "Export Date: 1 April 2016"}}},
    {"formats/jabref/RisImporterTestWithEmptyER.ris", 1, 0, NULL,
     {V(0, WN_F_AUTHOR, "Shi, Yu"), VI(0, WN_F_AUTHOR, 1, "Beck, Thomas L."),
      V(0, WN_F_TITLE, "Length scales and interfacial potentials in ion hydration"),
      V(0, WN_F_DOI, "10.1063/1.4814070"), V(0, WN_F_YEAR, "2013")}},
};

static const corpus_file baseline_files[] = {
    {"formats/citation-file-formatting/RIS/_baseline_cinahl.ris", 9, 0, NULL,
     {V(1, WN_F_AUTHOR, "Myhrvold, Nathan P."), VI(1, WN_F_AUTHOR, 6, "Sereno, Paul C."),
      V(1, WN_F_TITLE, "Diving dinosaurs? Caveats on the use of bone compactness and pFDA for "
                       "inferring lifestyle."),
      V(1, WN_F_JOURNAL, "PLoS ONE"), V(1, WN_F_ISSN, "1932-6203"), V(1, WN_F_YEAR, "2024"),
      V(1, WN_F_VOLUME, "19"), V(1, WN_F_ISSUE, "3"), V(1, WN_F_PAGES, "1-79"),
      VT(1, WN_F_DOI, "L3", "10.1371/journal.pone.0298957"),
      V(8, WN_F_AUTHOR, "WILSON, JOHN P."), V(8, WN_F_ISSN, "0078-8562")}},
    {"formats/citation-file-formatting/RIS/_baseline_embase.ris", 10, 0, NULL,
     {V(1, WN_F_JOURNAL, "Scientific reports"), V(1, WN_F_JOURNAL_ABBR, "Sci Rep"),
      VT(1, WN_F_PMID, "C5", "38906957"), V(1, WN_F_DOI, "10.1038/s41598-024-65283-y"),
      V(1, WN_F_AUTHOR, "Troiano, L.P."), V(1, WN_F_ISSN, "2045-2322"),
      V(1, WN_F_START_PAGE, "14316"), V(9, WN_F_JOURNAL, "Anatomical Record"),
      V(9, WN_F_JOURNAL_ABBR, "Anat. Rec."), V(9, WN_F_PMID, "38887924"),
      V(9, WN_F_DOI, "10.1002/ar.25520"), V(9, WN_F_AUTHOR, "Boisvert, C.")}},
    {"formats/citation-file-formatting/RIS/_baseline_googlescholar.ris", 10, 0, NULL,
     {V(1, WN_F_TITLE, "Ecological and evolutionary implications of dinosaur feeding behaviour"),
      V(1, WN_F_AUTHOR, "Barrett, Paul M"), V(1, WN_F_JOURNAL, "Trends in Ecology & Evolution"),
      V(1, WN_F_VOLUME, "21"), V(1, WN_F_ISSUE, "4"), V(1, WN_F_PAGES, "217-224"),
      V(1, WN_F_ISSN, "0169-5347"), V(1, WN_F_YEAR, "2006"), V(9, WN_F_ISSUE, "3654"),
      V(9, WN_F_PAGES, "1-63"), V(9, WN_F_ISSN, "0003-0082"),
      V(9, WN_F_AUTHOR, "Norell, Mark A")}},
    {"formats/citation-file-formatting/RIS/_baseline_rayyan.ris", 10, 0, NULL,
     {V(9, WN_F_SOURCE_ID, "rayyan-42924198"),
      V(9, WN_F_TITLE, "Description of a new specimen of Haplocanthosaurus from the Dry Mesa "
                       "Dinosaur Quarry"),
      VI(9, WN_F_ISSN, 0, "1932-8494"), VI(9, WN_F_ISSN, 1, "1932-8486"),
      V(9, WN_F_DOI, "10.1002/ar.25520"),
      V(9, WN_F_URL, "https://www.embase.com/search/results?subaction=viewrecord&id="
                     "L2030246463&from=export"),
      VT(9, WN_F_EXTRA, "U2", "L2030246463"), V(9, WN_F_AUTHOR, "Boisvert, C."),
      V(9, WN_F_JOURNAL, "Anat. Rec."), V(0, WN_F_SOURCE_ID, "rayyan-42924189")}},
    {"formats/citation-file-formatting/RIS/_baseline_scopus.ris", 10, 0, NULL,
     {V(0, WN_F_AUTHOR, "Wilson, L.N."),
      V(0, WN_F_TITLE, "Global latitudinal gradients and the evolution of body size in "
                       "dinosaurs and mammals"),
      V(0, WN_F_YEAR, "2024"), V(0, WN_F_JOURNAL, "Nature Communications"),
      V(0, WN_F_JOURNAL_ABBR, "Nat. Commun."), V(0, WN_F_DOI, "10.1038/s41467-024-46843-2"),
      V(0, WN_F_ISSN, "2041-1723"), VT(0, WN_F_PMID, "C2", "38580657"),
      VT(0, WN_F_EXTRA, "C7", "2864"), V(0, WN_F_PUBTYPE, "Article"),
      V(1, WN_F_PMID, "36971057"), V(1, WN_F_ISSN, "1932-8486"), V(1, WN_F_PAGES, "1084-1092"),
      NONE(9, WN_F_PMID), V(9, WN_F_ISSN, "0094-8373"), V(9, WN_F_JOURNAL, "Paleobiology")}},
    {"formats/citation-file-formatting/RIS/_baseline_webofscience.ris", 10, 0, NULL,
     {V(1, WN_F_AUTHOR, "Riggs, ES"), V(1, WN_F_TITLE, "Dinosaur footprints from Arizona"),
      V(1, WN_F_JOURNAL, "AMERICAN JOURNAL OF SCIENCE"), V(1, WN_F_YEAR, "1904"),
      V(1, WN_F_PAGES, "423-424"), V(1, WN_F_DOI, "10.2475/ajs.s4-17.102.423"),
      V(1, WN_F_SOURCE_ID, "WOS:000200210400001"),
      V(9, WN_F_TITLE, "The rise of feathered dinosaurs: Kulindadromeus zabaikalicus, the "
                       "oldest dinosaur with 'feather-like' structures"),
      V(9, WN_F_AUTHOR, "Cincotta, A"), V(9, WN_F_DATE, "FEB 1"), V(9, WN_F_YEAR, "2019")}},
    {"formats/colrev/jstor_ris.ris", 4, 4,
     "line 1: ignored 3 lines outside a record, starting 'Provider: JSTOR http://www.jstor.org' "
     "(a record runs from 'TY  - ' to 'ER  - ')",
     {V(0, WN_F_TITLE, "This is the title - charset UTF-8 used"),
      VT(0, WN_F_EXTRA, "C1", "Full publication date: July-August 2016"),
      V(0, WN_F_ISSN, "0015-5555"), V(1, WN_F_TITLE, "Primary Title"),
      V(1, WN_F_JOURNAL, "Secondary Title (journal title, if applicable)"),
      VI(1, WN_F_ISSN, 0, "2111-1112"), VI(1, WN_F_ISSN, 1, "2777-777X"),
      V(1, WN_F_DOI, "10.1111/something.2014.3.4.56"), V(1, WN_F_AUTHOR, "First-Author, Tim"),
      V(1, WN_F_PAGES, "80-87"), V(2, WN_F_TYPE, "chapter"),
      V(2, WN_F_JOURNAL, "Secondary Title"), VT(2, WN_F_EXTRA, "T3", "Tertiary Title"),
      V(2, WN_F_ISBN, "9777777777779"), {2, WN_F_EXTRA, "A2", 1, "Editor, Laureen"},
      V(3, WN_F_TITLE, "This title is of type RPRT"), V(3, WN_F_TYPE, "report")}},
    {"formats/colrev/psycinfo_ris.ris", 1, 1, NULL,
     {VT(0, WN_F_PMID, "PMID", "33355555"), V(0, WN_F_SOURCE_ID, "2020-55555-005"),
      VI(0, WN_F_ISSN, 0, "1999-7777"), VI(0, WN_F_ISSN, 1, "0222-6666"),
      V(0, WN_F_DOI, "10.1011/hea0004444"), VI(0, WN_F_AUTHOR, 4, "Author-Five, David B."),
      V(0, WN_F_JOURNAL, "Journal/Periodical name: full format"),
      V(0, WN_F_PUBLISHER, "Publisher"), VI(0, WN_F_KEYWORD, 7, "Keyword eight without asterisk"),
      NONE(0, WN_F_PUBTYPE)}},
};

static void run_all(const corpus_file *files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        run_file(&files[i]);
}

#define RUN(files) run_all(files, sizeof files / sizeof files[0])

static void test_rispy(void **state)
{
    (void)state;
    RUN(rispy_files);
}

static void test_asreview(void **state)
{
    (void)state;
    RUN(asreview_files);
}

static void test_other_exports(void **state)
{
    (void)state;
    RUN(other_files);
}

static void test_jabref(void **state)
{
    (void)state;
    RUN(jabref_files);
}

static void test_database_baselines(void **state)
{
    (void)state;
    RUN(baseline_files);
}

/* Malformed on purpose: no TY line at all. */
static void test_jabref_corrupted(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/jabref/RisImporterCorrupted.ris");
    t_parsed p;
    t_parse_file(&p, path, NULL);
    assert_int_equal(p.rc, WN_EPARSE);
    assert_int_equal(p.n, 0);
    assert_string_equal(p.err.msg,
                        "cannot parse 'input' line 2: tag line outside a record and no "
                        "'TY  - ' line in the file; a RIS record starts with 'TY  - <type>'");
    t_parsed_free(&p);
}

/* Eleven TY lines and one ER: each TY starts a record, with a warning for
 * every record that had no ER. */
static void test_jabref_missing_er_warnings(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/jabref/RisImporterTest1.ris");
    t_parsed p;
    t_parse_file_ok(&p, path, NULL, 11);
    size_t missing = 0;
    for (size_t i = 0; i < p.n_warnings; i++)
        missing += strstr(p.warnings[i], "has no 'ER  - ' line; it ends where the next") != NULL;
    assert_int_equal(missing, 10);
    assert_string_equal(p.warnings[1], "line 3: record started at line 2 has no 'ER  - ' line; "
                                       "it ends where the next 'TY  - ' begins");
    t_parsed_free(&p);
}

/* Files that look like RIS by name but are other formats: not read as RIS. */
static void test_not_ris(void **state)
{
    (void)state;
    const char *files[] = {"formats/rispy/example_wos.ris",
                           "formats/citation-file-formatting/RIS/_baseline_pubmed.ris",
                           "formats/metaknowledge/savedrecs.txt",
                           "formats/revtools/restoration_pubmed.nbib"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        T_NEED_CORPUS(path, files[i]);
        t_decoded_file in;
        t_decode_file(&in, path);
        if (wn_format_sniff(wn_format_find("ris"), in.d.text, in.d.len) != 0)
            fail_msg("%s sniffed as RIS", files[i]);
        t_decoded_file_free(&in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rispy),
        cmocka_unit_test(test_asreview),
        cmocka_unit_test(test_other_exports),
        cmocka_unit_test(test_jabref),
        cmocka_unit_test(test_database_baselines),
        cmocka_unit_test(test_jabref_corrupted),
        cmocka_unit_test(test_jabref_missing_er_warnings),
        cmocka_unit_test(test_not_ris),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
