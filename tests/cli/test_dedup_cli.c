/* winnow dedup, clusters and export --unique as a user runs them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "support.h"

#define RUN(out, err, ...) t_winnow(NULL, NULL, out, err, (const char *const[]){__VA_ARGS__, NULL})

static const char records[] =
    "TY  - JOUR\nID  - PM-1\nTI  - Eculizumab for atypical haemolytic uraemic syndrome in "
    "children: a multicentre cohort\nAU  - Licht, Christoph\nAU  - Muus, Petra\nPY  - 2019\n"
    "JO  - Pediatric Nephrology\nVL  - 34\nSP  - 1023\nEP  - 1031\nDO  - 10.1007/s00467-019-1\n"
    "ER  - \n\n"
    "TY  - JOUR\nID  - SC-7\nTI  - ECULIZUMAB FOR ATYPICAL HAEMOLYTIC URAEMIC SYNDROME IN "
    "CHILDREN: A MULTICENTRE COHORT.\nAU  - Licht C\nAU  - Muus P\nPY  - 2019\n"
    "JO  - Pediatr Nephrol\nVL  - 34\nSP  - 1023-31\nAB  - Only this copy has an abstract.\n"
    "ER  - \n\n"
    "TY  - JOUR\nID  - PM-2\nTI  - Erratum: Eculizumab for atypical haemolytic uraemic "
    "syndrome in children: a multicentre cohort\nAU  - Licht, Christoph\nPY  - 2019\n"
    "JO  - Pediatric Nephrology\nVL  - 34\nSP  - 2210\nER  - \n\n"
    "TY  - JOUR\nTI  - Dialysis access in adults: a registry study\nAU  - Okafor, A\n"
    "PY  - 2020\nJO  - Kidney International\nVL  - 97\nSP  - 200\nER  - \n\n";

static const char *project(void)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s", t_tmp_path("dedup-cli.winnow"));
    remove(path);
    const char *input = t_tmp_path("dedup-cli.ris");
    FILE *f = fopen(input, "wb");
    assert_non_null(f);
    fputs(records, f);
    fclose(f);
    assert_int_equal(RUN(NULL, NULL, "init", path), 0);
    assert_int_equal(RUN(NULL, NULL, "-p", path, "import", "--source", "PubMed", input), 0);
    return path;
}

static void test_dedup_summary_and_clusters_tsv(void **state)
{
    (void)state;
    const char *p = project();
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "-p", p, "dedup"), 0);
    assert_non_null(strstr(out, "duplicates removed        1"));
    assert_non_null(strstr(out, "PubMed"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", p, "clusters", "--tsv"), 0);
    assert_string_equal(out, "record_id\tcluster\nPM-1\t1\nSC-7\t1\nPM-2\t3\n4\t4\n");
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", p, "dedup", "--json"), 0);
    cJSON *j = cJSON_Parse(out);
    assert_non_null(j);
    assert_int_equal(cJSON_GetObjectItem(j, "records")->valueint, 4);
    assert_int_equal(cJSON_GetObjectItem(j, "duplicates_removed")->valueint, 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "sources")), 1);
    cJSON_Delete(j);
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", p, "dedup", "--explain", "2"), 0);
    assert_non_null(strstr(out, "cluster 1"));
    assert_non_null(strstr(out, "1 ~ 2  duplicate"));
    assert_non_null(strstr(out, "veto:erratum"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", p, "clusters"), 0);
    assert_non_null(strstr(out, "cluster 1 (2 records): 1, 2"));
    free(out);
    free(err);
}

static void test_decide_undo_and_export_unique(void **state)
{
    (void)state;
    const char *p = project();
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "-p", p, "dedup"), 0);
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", p, "export", "--unique", "--format", "ris"), 0);
    /* three units; the merged one has the abstract only the copy had */
    size_t n = 0;
    for (const char *s = out; (s = strstr(s, "ER  -")) != NULL; s++)
        n++;
    assert_int_equal(n, 3);
    assert_non_null(strstr(out, "Only this copy has an abstract."));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", p, "dedup", "undo-merge", "2"), 0);
    assert_non_null(strstr(out, "1 record taken out"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", p, "dedup"), 0);
    assert_non_null(strstr(out, "duplicates removed        0"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", p, "dedup", "decide", "1", "2", "same"), 0);
    assert_non_null(strstr(out, "now in cluster 1"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", p, "dedup", "review", "--json"), 0);
    cJSON *j = cJSON_Parse(out);
    assert_non_null(j);
    assert_true(cJSON_IsArray(j));
    cJSON_Delete(j);
    free(out);
    free(err);
    /* the review prompt reads answers from standard input (here none:
     * it stops at end of input) */
    assert_int_equal(RUN(&out, &err, "-p", p, "dedup", "review"), 0);
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", p, "dedup", "decide", "1", "2", "maybe"), 2);
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", p, "dedup", "decide", "1", "99", "same"), 1);
    assert_non_null(strstr(err, "no record 99"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", p, "dedup", "--explain", "x"), 2);
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", p, "clusters", "--tsv", "--json"), 2);
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dedup_summary_and_clusters_tsv),
        cmocka_unit_test(test_decide_undo_and_export_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
