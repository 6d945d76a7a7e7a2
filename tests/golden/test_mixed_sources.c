/* One article from three databases (fixtures/mixed: a Scopus CSV, a Web of
 * Science text file, a PubMed XML file) imported into one project: the
 * fields normalization makes uniform must come out the same. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define N_SOURCES 3

typedef struct collected {
    wn_record *rec[N_SOURCES];
    size_t n;
} collected;

static int keep(void *ctx, const wn_record *rec, const wn_record_meta *m)
{
    (void)m;
    collected *c = ctx;
    assert_true(c->n < N_SOURCES);
    c->rec[c->n] = wn_record_new();
    assert_int_equal(wn_record_copy(c->rec[c->n], rec), 0);
    c->n++;
    return 0;
}

/* Case-folded, without a trailing period (PubMed ends titles with one). */
static void folded(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (; *s && n + 1 < size; s++)
        out[n++] = (char)tolower((unsigned char)*s);
    while (n && out[n - 1] == '.')
        n--;
    out[n] = '\0';
}

static const char *surname(const char *author, char *out, size_t size)
{
    snprintf(out, size, "%.*s", (int)strcspn(author, ","), author);
    return out;
}

static void test_same_article_three_databases(void **state)
{
    (void)state;
    wn_project *p;
    wn_err err;
    assert_int_equal(wn_project_create(&p, t_tmp_path("mixed.winnow"), "mixed", &err), 0);
    const char *files[N_SOURCES] = {"scopus.csv", "wos.txt", "pubmed.xml"};
    const char *formats[N_SOURCES] = {"csv", "wos", "pubmed-xml"};
    for (int i = 0; i < N_SOURCES; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/fixtures/mixed/%s", WINNOW_SOURCE_DIR, files[i]);
        wn_import_opts o = {path, files[i], files[i], NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL,
                            NULL};
        wn_import_result res;
        if (wn_import_file(p, &o, NULL, &res))
            fail_msg("%s", wn_project_errmsg(p));
        assert_string_equal(res.format, formats[i]); /* detected from content */
        assert_int_equal(res.records, 1);
        assert_int_equal(res.warnings, 0);
    }
    collected c = {{NULL}, 0};
    assert_int_equal(wn_records_each(p, NULL, keep, &c), 0);
    assert_int_equal(c.n, N_SOURCES);

    /* Identical after normalization. */
    static const wn_field same[] = {WN_F_TYPE,       WN_F_YEAR,   WN_F_VOLUME, WN_F_ISSUE,
                                    WN_F_PAGES,      WN_F_START_PAGE, WN_F_END_PAGE,
                                    WN_F_DOI,        WN_F_PMID,   WN_F_LANGUAGE,
                                    WN_F_ABSTRACT};
    for (size_t f = 0; f < sizeof same / sizeof same[0]; f++) {
        const char *want = wn_record_first(c.rec[0], same[f]);
        assert_non_null(want);
        for (int i = 1; i < N_SOURCES; i++) {
            const char *got = wn_record_first(c.rec[i], same[f]);
            if (!got || strcmp(got, want) != 0)
                fail_msg("%s: %s has '%s', %s has '%s'", wn_field_name(same[f]), files[0], want,
                         files[i], got ? got : "(none)");
        }
    }
    /* Equal up to the case and trailing period each database writes. */
    static const wn_field folded_same[] = {WN_F_TITLE, WN_F_JOURNAL};
    for (size_t f = 0; f < 2; f++) {
        char want[512], got[512];
        folded(wn_record_first(c.rec[0], folded_same[f]), want, sizeof want);
        for (int i = 1; i < N_SOURCES; i++) {
            folded(wn_record_first(c.rec[i], folded_same[f]), got, sizeof got);
            if (strcmp(got, want) != 0)
                fail_msg("%s: '%s' vs '%s'", wn_field_name(folded_same[f]), want, got);
        }
    }
    /* The same authors in the same order, whatever the name form. */
    for (int i = 0; i < N_SOURCES; i++) {
        assert_int_equal(wn_record_count(c.rec[i], WN_F_AUTHOR), 2);
        char a[64], b[64];
        assert_string_equal(surname(wn_record_get(c.rec[i], WN_F_AUTHOR, 0), a, sizeof a), "Okafor");
        assert_string_equal(surname(wn_record_get(c.rec[i], WN_F_AUTHOR, 1), b, sizeof b),
                            "Lindqvist");
    }
    for (int i = 0; i < N_SOURCES; i++)
        wn_record_free(c.rec[i]);
    wn_project_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_article_three_databases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
