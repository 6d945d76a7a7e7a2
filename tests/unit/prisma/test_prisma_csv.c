/* The PRISMA.csv winnow writes against the PRISMA2020 package's template:
 * the same columns, rows, row keys and order and text, and n values the
 * package parses back to the computed counts ("Name, n; Name, n" lists,
 * padded so that an exclusion list never has a single entry). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prisma_fixture.h"

#define MAX_ROWS 64
#define COLS 8

typedef struct table {
    char *cell[MAX_ROWS][COLS];
    size_t rows;
} table;

/* RFC 4180: fields split by commas, quoted fields may hold commas and "". */
static void parse_csv(const char *text, table *t)
{
    memset(t, 0, sizeof *t);
    const char *s = text;
    while (*s && t->rows < MAX_ROWS) {
        size_t col = 0;
        for (;;) {
            wn_buf f = WN_BUF_INIT;
            wn_buf_puts(&f, "");
            if (*s == '"') {
                s++;
                while (*s && !(*s == '"' && s[1] != '"')) {
                    if (*s == '"')
                        s++;
                    wn_buf_putc(&f, *s++);
                }
                assert_int_equal(*s, '"');
                s++;
            } else {
                while (*s && *s != ',' && *s != '\n' && *s != '\r')
                    wn_buf_putc(&f, *s++);
            }
            assert_true(col < COLS);
            t->cell[t->rows][col++] = wn_buf_detach(&f);
            if (*s == ',') {
                s++;
                continue;
            }
            break;
        }
        assert_int_equal(col, COLS);
        t->rows++;
        if (*s == '\r')
            s++;
        if (*s == '\n')
            s++;
    }
}

static void table_free(table *t)
{
    for (size_t r = 0; r < t->rows; r++)
        for (size_t c = 0; c < COLS; c++)
            free(t->cell[r][c]);
}

static const char *n_of(const table *t, const char *key)
{
    for (size_t r = 1; r < t->rows; r++)
        if (!strcmp(t->cell[r][0], key))
            return t->cell[r][7];
    fail_msg("no row '%s'", key);
    return NULL;
}

/* A list as the package reads it: split on "; " (or ";"), the name up to
 * the first comma, the number after it. */
typedef struct parsed_list {
    char name[8][128];
    long long n[8];
    size_t len;
} parsed_list;

static void parse_list(const char *v, parsed_list *l)
{
    memset(l, 0, sizeof *l);
    const char *s = v;
    while (*s && l->len < 8) {
        const char *end = strchr(s, ';');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        const char *comma = memchr(s, ',', len);
        assert_non_null(comma); /* every entry carries its number */
        snprintf(l->name[l->len], sizeof l->name[0], "%.*s", (int)(comma - s), s);
        char *stop;
        l->n[l->len] = strtoll(comma + 1, &stop, 10);
        assert_true(stop == s + len); /* nothing after the number */
        l->len++;
        s += len;
        if (*s == ';')
            s++;
        if (*s == ' ')
            s++;
    }
}

static void expect_list(const char *v, const wn_prisma_list *want)
{
    parsed_list l;
    parse_list(v, &l);
    for (size_t i = 0; i < want->len; i++) {
        assert_string_equal(l.name[i], want->items[i].name);
        assert_int_equal(l.n[i], want->items[i].n);
    }
}

static void expect_number(const table *t, const char *key, int64_t n)
{
    char want[32];
    snprintf(want, sizeof want, "%lld", (long long)n);
    assert_string_equal(n_of(t, key), want);
}

static void write_csv(wn_project *p, wn_prisma *c, table *t)
{
    if (wn_prisma_compute(p, c))
        fail_msg("%s", wn_project_errmsg(p));
    wn_buf csv = WN_BUF_INIT;
    assert_int_equal(wn_prisma_write_csv(c, &csv), 0);
    parse_csv(csv.data, t);
    wn_buf_free(&csv);
}

static void test_same_shape_as_the_template(void **state)
{
    (void)state;
    T_NEED_CORPUS(path, "prisma/PRISMA2020/PRISMA.csv");
    char *text = t_read_file(path, NULL);
    table tpl;
    parse_csv(text, &tpl);
    free(text);

    wn_project *p = pf_build("csv_shape", 1);
    wn_prisma c;
    table ours;
    write_csv(p, &c, &ours);
    assert_int_equal(ours.rows, tpl.rows);
    for (size_t r = 0; r < tpl.rows; r++)
        for (size_t k = 0; k < (r == 0 ? COLS : COLS - 1); k++)
            if (strcmp(ours.cell[r][k], tpl.cell[r][k]))
                fail_msg("row %zu column %zu: '%s', template '%s'", r + 1, k + 1,
                         ours.cell[r][k], tpl.cell[r][k]);

    /* the template's list rows are lists in ours too */
    for (size_t r = 1; r < tpl.rows; r++)
        if (strchr(tpl.cell[r][7], ';') && strcmp(ours.cell[r][7], "0")) {
            parsed_list l;
            parse_list(ours.cell[r][7], &l);
            assert_true(l.len >= 1);
        }
    table_free(&tpl);

    const wn_prisma_arm *d = &c.arm[WN_PRISMA_DBR], *o = &c.arm[WN_PRISMA_OTHER];
    expect_number(&ours, "database_results", c.databases);
    expect_list(n_of(&ours, "database_specific_results"), &c.database_sources);
    expect_number(&ours, "register_results", c.registers);
    expect_list(n_of(&ours, "register_specific_results"), &c.register_sources);
    expect_number(&ours, "website_results", c.websites);
    expect_number(&ours, "citations_results", c.citations);
    expect_number(&ours, "duplicates", d->duplicates);
    expect_number(&ours, "excluded_automatic", d->automation);
    expect_number(&ours, "excluded_other", d->removed_other);
    expect_number(&ours, "records_screened", d->screened);
    expect_number(&ours, "records_excluded", d->excluded);
    expect_number(&ours, "dbr_sought_reports", d->sought);
    expect_number(&ours, "dbr_notretrieved_reports", d->not_retrieved);
    expect_number(&ours, "dbr_assessed", d->assessed);
    expect_list(n_of(&ours, "dbr_excluded"), &d->report_reasons);
    expect_number(&ours, "other_sought_reports", o->sought);
    expect_number(&ours, "other_assessed", o->assessed);
    expect_number(&ours, "new_studies", c.new_studies);
    expect_number(&ours, "new_reports", c.new_reports);
    /* a new review: the previous column is hidden */
    assert_string_equal(n_of(&ours, "previous_studies"), "NA");

    /* the other arm has one exclusion reason: padded to two entries */
    parsed_list l;
    parse_list(n_of(&ours, "other_excluded"), &l);
    assert_int_equal(o->report_reasons.len, 1);
    assert_int_equal(l.len, 2);
    assert_string_equal(l.name[0], o->report_reasons.items[0].name);
    assert_int_equal(l.n[0], o->report_reasons.items[0].n);
    assert_int_equal(l.n[1], 0);
    assert_int_equal(l.n[0] + l.n[1], o->reports_excluded);

    table_free(&ours);
    wn_prisma_free(&c);
    wn_project_close(p);
}

static void test_lists_read_back_as_written(void **state)
{
    (void)state;
    wn_project *p = pf_build("csv_lists", 0);
    /* the second thoughts on report 6 carry a reason with separators */
    pf_decide(p, "ft", 6, "alice", "exclude", "Design; cohort, not trial");
    wn_actor actor = {"[\"test\"]", "lead"};
    assert_int_equal(wn_prisma_set_previous(p, 3, 4, &actor), 0);
    wn_prisma c;
    table ours;
    write_csv(p, &c, &ours);
    parsed_list l;
    parse_list(n_of(&ours, "dbr_excluded"), &l);
    assert_int_equal(l.len, 2);
    int found = 0;
    for (size_t i = 0; i < l.len; i++)
        found |= !strcmp(l.name[i], "Design cohort not trial") && l.n[i] == 1;
    assert_true(found);
    /* no other-methods records: that arm is hidden */
    assert_string_equal(n_of(&ours, "website_results"), "NA");
    assert_string_equal(n_of(&ours, "organisation_results"), "NA");
    assert_string_equal(n_of(&ours, "citations_results"), "NA");
    /* an updated review shows its previous column and totals */
    expect_number(&ours, "previous_studies", 3);
    expect_number(&ours, "previous_reports", 4);
    expect_number(&ours, "total_studies", 3 + c.new_studies);
    expect_number(&ours, "total_reports", 4 + c.new_reports);
    table_free(&ours);
    wn_prisma_free(&c);

    /* no reports excluded at all: still two entries, both 0 */
    wn_prisma empty = {0};
    wn_buf csv = WN_BUF_INIT;
    assert_int_equal(wn_prisma_write_csv(&empty, &csv), 0);
    parse_csv(csv.data, &ours);
    parse_list(n_of(&ours, "dbr_excluded"), &l);
    assert_int_equal(l.len, 2);
    assert_int_equal(l.n[0] + l.n[1], 0);
    table_free(&ours);
    wn_buf_free(&csv);
    wn_project_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_shape_as_the_template),
        cmocka_unit_test(test_lists_read_back_as_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
