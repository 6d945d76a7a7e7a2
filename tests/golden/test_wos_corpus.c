/* Real Web of Science exports from ../shared/corpus, plain text and
 * tab-delimited: each is detected from its content, gives the record count
 * PROVENANCE.md states, keeps every cited reference, and sampled records
 * carry the values read off the files by eye. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* What a sampled record must hold (NULL: not checked). */
typedef struct expect {
    size_t index; /* 0-based */
    const char *title, *first_author, *doi, *journal, *year, *pages, *source_id;
    size_t authors, refs, keywords;
} expect;

static void check(const wn_record *r, const expect *e)
{
    const char *want[] = {e->title, e->first_author, e->doi, e->journal, e->year, e->pages,
                          e->source_id};
    const wn_field fields[] = {WN_F_TITLE, WN_F_AUTHOR, WN_F_DOI,      WN_F_JOURNAL,
                               WN_F_YEAR,  WN_F_PAGES,  WN_F_SOURCE_ID};
    t_expect_first_values(r, e->index + 1, fields, want, sizeof fields / sizeof fields[0]);
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), e->authors);
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "CR"), e->refs);
    assert_int_equal(wn_record_count(r, WN_F_KEYWORD), e->keywords);
}

/* Parses a file by detection; checks the count, the format, the samples and
 * that every origin starts at a record's first line. */
static void run(t_parsed *p, const char *path, const char *format, size_t records,
                const expect *samples, size_t n_samples)
{
    size_t len;
    char *text = t_read_file(path, &len);
    wn_detection det;
    wn_err err;
    wn_decoded d;
    assert_int_equal(wn_text_decode(path, text, len, &d, &err), 0);
    assert_int_equal(wn_format_detect(path, d.text, d.len, &det, &err), 0);
    assert_string_equal(wn_format_name(det.format), format);
    t_parse_file_ok(p, path, NULL, records);
    assert_int_equal(p->n_warnings, 0);
    for (size_t i = 0; i < n_samples; i++) {
        assert_true(samples[i].index < p->n);
        check(p->recs[samples[i].index], &samples[i]);
    }
    for (size_t i = 0; i < p->n; i++) {
        const wn_origin *o = wn_record_origin_c(p->recs[i]);
        assert_true(o->offset + o->length <= d.len);
        assert_int_equal(o->position, i + 1);
        if (strcmp(format, "wos") == 0)
            assert_memory_equal(d.text + o->offset, "PT ", 3);
    }
    wn_decoded_free(&d);
    free(text);
}

static size_t total_tagged(const t_parsed *p, wn_field f, const char *tag)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        n += t_count_tagged(p->recs[i], f, tag);
    return n;
}

static void test_metaknowledge_savedrecs(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/metaknowledge/savedrecs.txt");
    const expect s[] = {
        {0,
         "EXPERIMENTS IN PHENOMENOLOGICAL ELECTRODYNAMICS AND THE ELECTROMAGNETIC "
         "ENERGY-MOMENTUM TENSOR",
         "BREVIK, I", "10.1016/0370-1573(79)90074-7",
         "PHYSICS REPORTS-REVIEW SECTION OF PHYSICS LETTERS", "1979", "133-201",
         "WOS:A1979GV55600001", 1, 104, 0},
        {31, "INTERNAL PHOTON IMPULSE OF DIELECTRIC AND ON COUPLE APPLIED TO ANISOTROPIC CRYSTAL",
         "BEAUREGA.OC", NULL, NULL, "1974", "635-638", "WOS:A1974S801100007", 3, 7, 0},
    };
    t_parsed p;
    run(&p, path, "wos", 32, s, 2);
    const wn_record *r = p.recs[0];
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL_ABBR), "Phys. Rep.-Rev. Sec. Phys. Lett.");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "J9", 0), "PHYS REP");
    assert_string_equal(wn_record_first(r, WN_F_ISSN), "0370-1573");
    assert_string_equal(wn_record_first(r, WN_F_PUBTYPE), "Review");
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "article");
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "C1"), 2);
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "CR", 0),
                        "Abraham M., 1909, RC CIRC MAT PALERMO, V28, P1");
    /* The last record has no JI: its J9 is the abbreviation. */
    r = p.recs[31];
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL_ABBR), "CR ACAD SCI B PHYS");
    assert_string_equal(wn_record_first(r, WN_F_LANGUAGE), "French");
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 2), "ROOSEN, G");
    /* Every line of every CR list is kept, and every record has its AF names. */
    assert_int_equal(total_tagged(&p, WN_F_EXTRA, "CR"), 958);
    assert_int_equal(t_count_with(&p, WN_F_DOI), 17);
    assert_int_equal(t_count_with(&p, WN_F_ABSTRACT), 10);
    assert_int_equal(t_count_with(&p, WN_F_PMID), 3);
    assert_int_equal(total_tagged(&p, WN_F_AUTHOR, "AU"), 0);
    t_parsed_free(&p);
}

static void test_tethne_wos(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/tethne/wos.txt");
    const expect s[] = {
        {0,
         "Marine ecosystem health status assessment through integrative biomarker indices: a "
         "comparative study after the Prestige oil spill \"Mussel Watch\"",
         "Marigomez, Ionan", "10.1007/s10646-013-1042-4", "ECOTOXICOLOGY", "2013", "486-505",
         "WOS:000316281300006", 6, 43, 15},
        {9,
         "Testing MEDOCC and BOPA indices in shallow soft-bottom communities in the Spanish "
         "Mediterranean coastal waters",
         "Pinedo, S.", "10.1016/j.ecolind.2011.07.024", "ECOLOGICAL INDICATORS", "2012", "98-105",
         "WOS:000302891100011", 6, 89, 16},
    };
    t_parsed p;
    run(&p, path, "wos", 10, s, 2);
    const wn_record *r = p.recs[9];
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, 4), "Garcia Adiego, E.");
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "AU", 4), "Adiego, EG");
    /* A keyword wrapped onto the next line is one keyword. */
    assert_string_equal(t_tagged(r, WN_F_KEYWORD, "DE", 5), "Western Mediterranean");
    assert_int_equal(t_count_tagged(r, WN_F_KEYWORD, "ID"), 10);
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "C1"), 6);
    assert_string_equal(wn_record_first(r, WN_F_ISSN), "1470-160X");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL_ABBR), "Ecol. Indic.");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "AUG");
    assert_int_equal(total_tagged(&p, WN_F_EXTRA, "CR"), 556);
    assert_int_equal(t_count_with(&p, WN_F_DOI), 10);
    t_parsed_free(&p);
}

static void test_rispy_example_wos(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/rispy/example_wos.ris");
    const expect s[] = {
        {0,
         "Interactions stabilizing the structure of the core light-harvesting complex (LHl) of "
         "photosynthetic bacteria and its subunit (B820)",
         "Parkes-Loach, PS", "10.1021/bi049798f", "BIOCHEMISTRY", "2004", "7003-7016",
         "WOS:000221807500019", 4, 59, 10},
        {1, NULL, "Cao, WX", "10.1021/bi0497291", "BIOCHEMISTRY", "2004", "7017-7027",
         "WOS:000221807500020", 9, 86, 10},
    };
    t_parsed p;
    /* A .ris name, Web of Science content. */
    run(&p, path, "wos", 2, s, 2);
    assert_string_equal(wn_record_first(p.recs[0], WN_F_PMID), "15170338");
    assert_string_equal(wn_record_first(p.recs[1], WN_F_PMID), "15170339");
    assert_string_equal(wn_record_first(p.recs[0], WN_F_DATE), "JUN 8");
    assert_string_equal(t_tagged(p.recs[0], WN_F_KEYWORD, "ID", 9), "ANTENNA COMPLEX");
    t_parsed_free(&p);
}

static void test_synthesisr_ciw(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/synthesisr/WoS_ciw_example.ciw");
    const expect s[] = {
        {0,
         "Soil fauna diversity at different stages of reed restoration in a lakeshore wetland "
         "at Lake Taihu, China",
         "Li, Wei", "10.1080/20964129.2020.1722034", "ECOSYSTEM HEALTH AND SUSTAINABILITY", "2020",
         "1722034", "WOS:000514379300001", 10, 0, 0},
    };
    t_parsed p;
    run(&p, path, "wos", 5, s, 1);
    const wn_record *r = p.recs[0];
    /* No AF lines in this export: the AU names are the authors. */
    assert_string_equal(t_tagged(r, WN_F_AUTHOR, "AU", 9), "Pan, Xu");
    assert_int_equal(wn_record_count(r, WN_F_ISSN), 2);
    assert_string_equal(wn_record_get(r, WN_F_ISSN, 1), "2332-8878");
    assert_string_equal(wn_record_first(r, WN_F_DATE), "DEC 16 2020");
    assert_string_equal(wn_record_first(p.recs[3], WN_F_PMID), "31858815");
    assert_int_equal(t_count_with(&p, WN_F_PMID), 2);
    assert_int_equal(t_count_with(&p, WN_F_ABSTRACT), 5);
    t_parsed_free(&p);
}

static void test_jabref_isi(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/jabref/IsiImporterTestWOS.isi");
    const expect s[] = {
        {0, "Optical and photoelectric spectroscopy of photorefractive Sn2P2S6 crystals",
         "Gamernyk, RV", NULL, "JOURNAL OF PHYSICS-CONDENSED MATTER", "2006", "5323-5331",
         "ISI:000238592600006", 5, 17, 1},
        {1, "Optical waveguides in Sn2P2S6 by low fluence MeV He+ ion implantation", "Guarino, A",
         NULL, "OPTICS EXPRESS", "2006", "2344-2358", "ISI:000236202800037", 6, 15, 5},
    };
    t_parsed p;
    run(&p, path, "wos", 2, s, 2);
    assert_null(wn_record_first(p.recs[0], WN_F_DOI));
    assert_string_equal(t_tagged(p.recs[0], WN_F_EXTRA, "RP", 0),
                        "Gnatenko, YP, NAS Ukraine, Inst Phys, 46 Prospect Nauky, UA-03028 Kiev, "
                        "Ukraine.");
    const char *ab = wn_record_first(p.recs[1], WN_F_ABSTRACT);
    assert_non_null(ab);
    assert_non_null(strstr(ab, "He+ ion implantation. The effective indices"));
    assert_string_equal(wn_record_get(p.recs[1], WN_F_AUTHOR, 3), "Degl'Innocenti, R");
    t_parsed_free(&p);
}

static void test_scientopy_tab_delimited(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "formats/ScientoPy/wos_2026_04_02_4071.txt");
    const expect s[] = {
        {0,
         "Design and Implementation of a Wearable System Based on a Flexible Capacitive Sensor, "
         "Monitoring Knee Laxity",
         "Sheeja Prakash, Karthika", "10.1002/adsr.202300058", "ADVANCED SENSOR RESEARCH", "2023",
         "2300058", "WOS:001242600300012", 11, 0, 17},
        {5, NULL, "Dhemat, Kanika", "10.1109/iotdi61053.2024.00013", NULL, "2024", "97-109",
         "WOS:001261370500023", 5, 0, 5},
        {33, "ISPO 17th world congress Kobe, Hyogo, Japan 5-8 Oct 2019 Abstracts", NULL,
         "10.1177/0309364619883197", "PROSTHETICS AND ORTHOTICS INTERNATIONAL", "2019", "1-600",
         "WOS:000497156400001", 0, 0, 2},
        {70, NULL, "Leal, Jo Ann", "10.1093/ajhp/zxae392", "AMERICAN JOURNAL OF HEALTH-SYSTEM PHARMACY",
         "2025", "e482-e485", "WOS:001394833300001", 4, 0, 6},
    };
    t_parsed p;
    run(&p, path, "wos-tab", 71, s, 4);
    const wn_record *r = p.recs[0];
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "AU"), 11);
    assert_int_equal(t_count_tagged(r, WN_F_EXTRA, "C1"), 3);
    assert_string_equal(t_tagged(r, WN_F_EXTRA, "C1", 1),
                        "[Andersen, Erik; Roundy, Shad] Univ Utah, Dept Mech Engn, Salt Lake City, "
                        "UT 84112 USA");
    assert_string_equal(wn_record_first(r, WN_F_JOURNAL_ABBR), "Adv. Sensor Res.");
    assert_string_equal(wn_record_first(r, WN_F_URL), "http://dx.doi.org/10.1002/adsr.202300058");
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "article");
    /* A conference paper with two ISBNs. */
    r = p.recs[5];
    assert_string_equal(wn_record_first(r, WN_F_TYPE), "conference");
    assert_int_equal(wn_record_count(r, WN_F_ISBN), 2);
    assert_string_equal(wn_record_first(r, WN_F_PUBTYPE), "Proceedings Paper");
    assert_string_equal(wn_record_first(p.recs[7], WN_F_PMID), "38234303");
    assert_string_equal(wn_record_first(p.recs[7], WN_F_PAGES), "1285945");
    assert_string_equal(t_tagged(p.recs[33], WN_F_EXTRA, "AU", 0), "[Anonymous]");
    assert_int_equal(wn_record_count(p.recs[51], WN_F_ISSN), 2);
    /* Column counts from the file: PT codes, DOIs, PMIDs, abstracts, and the
     * names (full where given, none for "[Anonymous]", one group author). */
    size_t article = 0, conference = 0, book = 0, authors = 0;
    for (size_t i = 0; i < p.n; i++) {
        const char *t = wn_record_first(p.recs[i], WN_F_TYPE);
        article += t && !strcmp(t, "article");
        conference += t && !strcmp(t, "conference");
        book += t && !strcmp(t, "book");
        authors += wn_record_count(p.recs[i], WN_F_AUTHOR);
    }
    assert_int_equal(article, 41);
    assert_int_equal(conference, 22);
    assert_int_equal(book, 8);
    assert_int_equal(authors, 385);
    r = p.recs[68];
    assert_string_equal(wn_record_get(r, WN_F_AUTHOR, wn_record_count(r, WN_F_AUTHOR) - 1),
                        "HAPIN Investigators");
    assert_int_equal(t_count_with(&p, WN_F_DOI), 37);
    assert_int_equal(t_count_with(&p, WN_F_PMID), 16);
    assert_int_equal(t_count_with(&p, WN_F_ABSTRACT), 34);
    /* Each row is one line; the last ends the file (less its BOM, which
     * the decoder drops). */
    size_t len;
    char *text = t_read_file(path, &len);
    const wn_origin *o = wn_record_origin_c(p.recs[70]);
    assert_int_equal(o->line, 72);
    assert_int_equal(o->offset + o->length, len - 3);
    assert_memory_equal(text + 3 + o->offset, "J\tLeal, JA", 10);
    free(text);
    t_parsed_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metaknowledge_savedrecs),
        cmocka_unit_test(test_tethne_wos),
        cmocka_unit_test(test_rispy_example_wos),
        cmocka_unit_test(test_synthesisr_ciw),
        cmocka_unit_test(test_jabref_isi),
        cmocka_unit_test(test_scientopy_tab_delimited),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
