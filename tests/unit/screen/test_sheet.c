/* Sheets: blinded export, round trips (also as spreadsheets save them:
 * BOM, CRLF, semicolons, quoted line breaks, reordered columns), and every
 * import problem reported with its row while nothing is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "support.h"

static const char six[] =
    "TY  - JOUR\nTI  - Social work in primary care\nAU  - Okafor, A.\nPY  - 2021\n"
    "JO  - Social Work in Health Care\nAB  - We surveyed, and \"interviewed\".\nER  - \n\n"
    "TY  - JOUR\nTI  - =HYPERLINK(\"http://example.org\")\nPY  - 2020\nER  - \n\n"
    "TY  - JOUR\nTI  - Three\nER  - \n\nTY  - JOUR\nTI  - Four\nER  - \n\n"
    "TY  - JOUR\nTI  - Five\nER  - \n\nTY  - JOUR\nTI  - Six\nER  - \n";

static wn_actor actor = {"[\"test\"]", "lead"};

static int to_buf(void *ctx, const char *data, size_t len)
{
    return wn_buf_append(ctx, data, len);
}

/* Six records; alice and bob on units 1-4, carol and bob on 5-6. */
static wn_project *team_project(const char *name)
{
    wn_project *p = t_project_with(name, "Scopus", six);
    const char *who[] = {"alice", "bob", "carol"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(wn_reviewer_add(p, who[i], who[i], NULL, &actor), 0);
    t_sql(p, "INSERT INTO assignment(stage, unit_id, reviewer, assigned_at) VALUES"
             " ('ta', 1, 'alice', 'x'), ('ta', 2, 'alice', 'x'), ('ta', 3, 'alice', 'x'),"
             " ('ta', 4, 'alice', 'x'), ('ta', 5, 'carol', 'x'), ('ta', 6, 'carol', 'x'),"
             " ('ta', 1, 'bob', 'x'), ('ta', 2, 'bob', 'x'), ('ta', 3, 'bob', 'x'),"
             " ('ta', 4, 'bob', 'x'), ('ta', 5, 'bob', 'x'), ('ta', 6, 'bob', 'x')");
    return p;
}

static char *export_sheet(wn_project *p, const char *stage, const char *who, size_t *rows)
{
    wn_buf b = WN_BUF_INIT;
    if (wn_sheet_export(p, stage, who, to_buf, &b, rows))
        fail_msg("%s", wn_project_errmsg(p));
    return wn_buf_detach(&b);
}

/* Replaces every occurrence of from in s by to (owned result). */
static char *replaced(const char *s, const char *from, const char *to)
{
    wn_buf b = WN_BUF_INIT;
    size_t fl = strlen(from);
    for (const char *hit; (hit = strstr(s, from)); s = hit + fl) {
        wn_buf_append(&b, s, (size_t)(hit - s));
        wn_buf_puts(&b, to);
    }
    wn_buf_puts(&b, s);
    return wn_buf_detach(&b);
}

static int import_text(wn_project *p, const char *text, const char *stage, const char *who,
                       wn_sheet_result *res)
{
    return wn_sheet_import(p, "sheet.csv", text, strlen(text), stage, who, &actor, res);
}

static void test_export_is_blinded_and_round_trips(void **state)
{
    (void)state;
    wn_project *p = team_project("sheet-rt.ris");
    wn_decision bob = {"ta", 1, "bob", NULL, "exclude", "SECRET-REASON", "bob's note"};
    assert_int_equal(wn_decisions_add(p, &bob, 1, &actor), 0);
    size_t rows;
    char *sheet = export_sheet(p, "ta", "alice", &rows);
    assert_int_equal(rows, 4);
    assert_memory_equal(sheet, "\xEF\xBB\xBF\"winnow sheet\"", 17);
    char *id = wn_project_get_meta(p, "id");
    assert_non_null(strstr(sheet, id));
    assert_non_null(strstr(sheet, "\"stage\",\"ta\",\"reviewer\",\"alice\"\r\n"));
    assert_non_null(strstr(sheet, "\"id\",\"title\",\"authors\",\"year\",\"journal\",\"abstract\","
                                  "\"terms\",\"decision\",\"reason\",\"note\"\r\n"));
    /* Blinded: bob's vote is nowhere in alice's sheet. */
    assert_null(strstr(sheet, "SECRET"));
    assert_null(strstr(sheet, "exclude"));
    /* Quotes doubled; a formula-like title is defused. */
    assert_non_null(strstr(sheet, "\"We surveyed, and \"\"interviewed\"\".\",\"\""));
    assert_non_null(strstr(sheet, "\"'=HYPERLINK("));
    /* Fill every decision in, import, and export again: the same decisions. */
    char *filled = replaced(sheet, "\"\",\"\",\"\"\r\n", "\"include\",\"\",\"first pass\"\r\n");
    wn_sheet_result res;
    assert_int_equal(import_text(p, filled, NULL, NULL, &res), 0);
    assert_int_equal(res.rows, 4);
    assert_int_equal(res.written, 4);
    assert_string_equal(res.reviewer, "alice");
    wn_sheet_result_free(&res);
    char *again = export_sheet(p, "ta", "alice", &rows);
    assert_string_equal(again, filled);
    /* Importing the same sheet again changes nothing. */
    int64_t before = t_sql_int(p, "SELECT count(*) FROM decision");
    assert_int_equal(import_text(p, filled, "ta", "alice", &res), 0);
    assert_int_equal(res.written, 0);
    assert_int_equal(res.unchanged, 4);
    wn_sheet_result_free(&res);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM decision"), before);
    free(again);
    free(filled);
    free(sheet);
    free(id);
    wn_project_close(p);
}

static void test_spreadsheet_mangled_sheet(void **state)
{
    (void)state;
    wn_project *p = team_project("sheet-mangled.ris");
    char *id = wn_project_get_meta(p, "id");
    /* As a spreadsheet in a semicolon locale saves it: BOM, CRLF, columns
     * moved, unquoted cells, trailing empty cells, a blank row, capitals,
     * and a note with a line break, a separator and quotes in it. */
    wn_buf b = WN_BUF_INIT;
    wn_buf_printf(&b,
                  "\xEF\xBB\xBFwinnow sheet;1;project;%s;stage;ta;reviewer;alice;;\r\n"
                  "Decision;Note;ID;Reason;title;;\r\n"
                  "Include;\"line one\r\nline two; \"\"quoted\"\"\";1;;Social work;;\r\n"
                  ";;;;;;\r\n"
                  "EXCLUDE;;2;wrong population;x;;\r\n"
                  " maybe ;;3;;;;\r\n"
                  ";;4;;;;\r\n",
                  id);
    wn_sheet_result res;
    assert_int_equal(import_text(p, b.data, "ta", "alice", &res), 0);
    assert_int_equal(res.rows, 4);
    assert_int_equal(res.written, 3);
    assert_int_equal(res.blank, 1);
    wn_sheet_result_free(&res);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM decision WHERE unit_id = 1 AND"
                                  " decision = 'include' AND note = 'line one' || char(13, 10) ||"
                                  " 'line two; \"quoted\"'"),
                     1);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM decision WHERE unit_id = 2 AND"
                                  " decision = 'exclude' AND reason = 'wrong population'"),
                     1);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM decision WHERE unit_id = 3 AND"
                                  " decision = 'maybe'"),
                     1);
    /* Tabs, LF only, no BOM: read as well. */
    wn_buf_clear(&b);
    wn_buf_printf(&b,
                  "\"winnow sheet\"\t1\tproject\t%s\tstage\tta\treviewer\tcarol\n"
                  "id\tdecision\treason\tnote\n5\tinclude\t\t\n6\texclude\t\t\"a\tb\"\n",
                  id);
    assert_int_equal(import_text(p, b.data, NULL, NULL, &res), 0);
    assert_int_equal(res.written, 2);
    wn_sheet_result_free(&res);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM decision WHERE reviewer = 'carol'"), 2);
    /* Lone CR line ends (old Mac spreadsheets). */
    wn_buf_clear(&b);
    wn_buf_printf(&b, "winnow sheet,1,project,%s,stage,ta,reviewer,bob\r"
                      "id,decision\r5,include\r6,exclude\r", id);
    assert_int_equal(import_text(p, b.data, NULL, NULL, &res), 0);
    assert_int_equal(res.written, 2);
    wn_sheet_result_free(&res);
    wn_buf_free(&b);
    free(id);
    wn_project_close(p);
}

/* Fails unless res lists a problem on row containing part. */
static void assert_problem(const wn_sheet_result *res, size_t row, const char *part)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "row %zu: ", row);
    for (size_t i = 0; i < res->n_problems; i++)
        if (strstr(res->problems[i], prefix) && strstr(res->problems[i], part))
            return;
    for (size_t i = 0; i < res->n_problems; i++)
        print_message("problem: %s\n", res->problems[i]);
    fail_msg("no problem on row %zu mentioning '%s'", row, part);
}

static void test_every_import_error(void **state)
{
    (void)state;
    wn_project *p = team_project("sheet-errors.ris");
    const char *reasons[] = {"wrong population", "wrong design"};
    assert_int_equal(wn_reasons_set(p, "ta", reasons, 2, &actor), 0);
    char *id = wn_project_get_meta(p, "id");
    int64_t before = t_sql_int(p, "SELECT count(*) FROM decision");
    wn_buf b = WN_BUF_INIT;
    wn_buf_printf(&b,
                  "winnow sheet,1,project,%s,stage,ta,reviewer,alice\r\n" /* row 1 */
                  "id,decision,reason,note\r\n"                            /* row 2 */
                  "1,include,,\r\n"                                        /* 3: fine */
                  "999,include,,\r\n"                                      /* 4: unknown */
                  "5,include,,\r\n"                                        /* 5: not alice's */
                  "2,perhaps,,\r\n"                                        /* 6: word */
                  "3,exclude,off topic,\r\n"                               /* 7: not in list */
                  "1,exclude,2,\r\n"                                       /* 8: duplicate */
                  "4,,,a note\r\n"                                         /* 9: no decision */
                  "abc,include,,\r\n",                                     /* 10: bad id */
                  id);
    wn_sheet_result res;
    assert_int_equal(import_text(p, b.data, NULL, NULL, &res), WN_EPARSE);
    assert_int_equal(res.n_problems, 7);
    assert_problem(&res, 4, "record 999 is not a unit of stage ta");
    assert_problem(&res, 5, "unit 5 is not assigned to 'alice'");
    assert_problem(&res, 6, "unknown decision 'perhaps'");
    assert_problem(&res, 7, "reason 'off topic' is not in the stage's list");
    assert_problem(&res, 8, "unit 1 appears again (first on row 3)");
    assert_problem(&res, 9, "a reason or note but no decision");
    assert_problem(&res, 10, "id 'abc' is not a unit number");
    /* Problems come in row order; the handle's message names the first. */
    assert_non_null(strstr(res.problems[0], "row 4:"));
    assert_non_null(strstr(wn_project_errmsg(p), "'sheet.csv' row 4"));
    wn_sheet_result_free(&res);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM decision"), before);

    /* A list reason by number is stored as its text. */
    wn_buf_clear(&b);
    wn_buf_printf(&b, "winnow sheet,1,project,%s,stage,ta,reviewer,alice\nid,decision,reason\n"
                      "3,exclude,2\n4,exclude,WRONG POPULATION\n", id);
    assert_int_equal(import_text(p, b.data, NULL, NULL, &res), 0);
    wn_sheet_result_free(&res);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM decision WHERE reason IN"
                                  " ('wrong design', 'wrong population')"),
                     2);
    before = t_sql_int(p, "SELECT count(*) FROM decision");

    /* Another stage or reviewer than asked for; a stage with other units. */
    wn_buf_clear(&b);
    wn_buf_printf(&b, "winnow sheet,1,project,%s,stage,ft,reviewer,alice\nid,decision\n"
                      "1,include\n", id);
    assert_int_equal(import_text(p, b.data, "ta", NULL, &res), WN_EPARSE);
    assert_problem(&res, 1, "for stage ft, not ta");
    wn_sheet_result_free(&res);
    assert_int_equal(import_text(p, b.data, NULL, NULL, &res), WN_EPARSE);
    assert_problem(&res, 3, "report 1 is not a unit of stage ft");
    wn_sheet_result_free(&res);
    assert_int_equal(import_text(p, b.data, NULL, "bob", &res), WN_EPARSE);
    assert_problem(&res, 1, "alice's, not bob's");
    wn_sheet_result_free(&res);
    /* Another project's sheet. */
    wn_buf_clear(&b);
    wn_buf_puts(&b, "winnow sheet,1,project,0123456789abcdef,stage,ta,reviewer,alice\n"
                    "id,decision\n1,include\n");
    assert_int_equal(import_text(p, b.data, NULL, NULL, &res), WN_EPARSE);
    assert_problem(&res, 1, "belongs to another project");
    wn_sheet_result_free(&res);
    /* An unknown reviewer; no magic row; no decision column; no header. */
    wn_buf_clear(&b);
    wn_buf_printf(&b, "winnow sheet,1,project,%s,stage,ta,reviewer,zed\nid,decision\n1,include\n",
                  id);
    assert_int_equal(import_text(p, b.data, NULL, NULL, &res), WN_EPARSE);
    assert_problem(&res, 3, "unknown reviewer 'zed'");
    wn_sheet_result_free(&res);
    assert_int_equal(import_text(p, "id,decision\n1,include\n", NULL, NULL, &res), WN_EPARSE);
    assert_problem(&res, 1, "not a winnow sheet");
    wn_sheet_result_free(&res);
    wn_buf_clear(&b);
    wn_buf_printf(&b, "winnow sheet,1,project,%s,stage,ta,reviewer,alice\nid,verdict\n1,in\n", id);
    assert_int_equal(import_text(p, b.data, NULL, NULL, &res), WN_EPARSE);
    assert_problem(&res, 2, "needs an 'id' and a 'decision' column");
    wn_sheet_result_free(&res);
    wn_buf_clear(&b);
    wn_buf_printf(&b, "winnow sheet,1,project,%s,stage,ta,reviewer,alice\n", id);
    assert_int_equal(import_text(p, b.data, NULL, NULL, &res), WN_EPARSE);
    assert_problem(&res, 2, "header row is missing");
    wn_sheet_result_free(&res);
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM decision"), before);
    wn_buf_free(&b);
    free(id);
    wn_project_close(p);
}

static void test_full_text_sheet(void **state)
{
    (void)state;
    wn_project *p = team_project("sheet-ft.ris");
    /* Units 1 and 2 included at ta by both their reviewers. */
    wn_decision ds[] = {{"ta", 1, "alice", NULL, "include", NULL, NULL},
                        {"ta", 1, "bob", NULL, "include", NULL, NULL},
                        {"ta", 2, "alice", NULL, "include", NULL, NULL},
                        {"ta", 2, "bob", NULL, "maybe", NULL, NULL},
                        {"ta", 3, "alice", NULL, "exclude", NULL, NULL},
                        {"ta", 3, "bob", NULL, "exclude", NULL, NULL}};
    assert_int_equal(wn_decisions_add(p, ds, 6, &actor), 0);
    const char *who[] = {"carol"};
    wn_assign_opts o = {"ft", who, 1, NULL, 1, 1, 0, 0};
    wn_assign_result ar;
    assert_int_equal(wn_assign(p, &o, &actor, &ar), 0);
    assert_int_equal(ar.reports_created, 2);
    assert_int_equal(wn_report_retrieved(p, 1, "/pdfs/one.pdf", &actor), 0);
    size_t rows;
    char *sheet = export_sheet(p, "ft", "carol", &rows);
    assert_int_equal(rows, 2);
    assert_non_null(strstr(sheet, "\"id\",\"unit\",\"title\""));
    assert_non_null(strstr(sheet, "\"/pdfs/one.pdf\""));
    /* At full text an exclusion needs its reason. */
    char *filled = replaced(sheet, "\"\",\"\",\"\"\r\n", "\"exclude\",\"\",\"\"\r\n");
    wn_sheet_result res;
    assert_int_equal(import_text(p, filled, NULL, NULL, &res), WN_EPARSE);
    assert_int_equal(res.n_problems, 2);
    assert_problem(&res, 3, "needs a reason");
    assert_problem(&res, 4, "needs a reason");
    wn_sheet_result_free(&res);
    free(filled);
    filled = replaced(sheet, "\"\",\"\",\"\"\r\n", "\"exclude\",\"no outcome data\",\"\"\r\n");
    assert_int_equal(import_text(p, filled, "ft", "carol", &res), 0);
    assert_int_equal(res.written, 2);
    wn_sheet_result_free(&res);
    /* Assessed reports count as retrieved. */
    assert_int_equal(t_sql_int(p, "SELECT count(*) FROM report WHERE status = 'retrieved'"), 2);
    free(filled);
    free(sheet);
    wn_project_close(p);
}

static void test_rule_terms_marked(void **state)
{
    (void)state;
    wn_project *p = team_project("sheet-terms.ris");
    /* As the rules area records its matches: "primary care" in the title
     * speaks for unit 1, "surveyed" in its abstract against it. */
    t_sql(p, "INSERT INTO rule_run(id, at, path, sha256, text) VALUES (1, 'x', 'c.rules', 'h', '')");
    t_sql(p, "INSERT INTO rule_match(unit_id, run_id, rule, field, idx, start, end, negative)"
             " VALUES (1, 1, 'setting', 'title', 0, 15, 27, 0),"
             " (1, 1, 'design', 'abstract', 0, 3, 11, 1),"
             " (1, 1, 'again', 'title', 0, 15, 27, 0),"
             " (1, 1, 'broken', 'abstract', 0, 5, 900, 1)");
    size_t rows;
    char *sheet = export_sheet(p, "ta", "alice", &rows);
    assert_non_null(strstr(sheet, "\"Social work in [[primary care]]\""));
    assert_non_null(strstr(sheet, "\"We {{surveyed}}, and \"\"interviewed\"\".\""));
    assert_non_null(strstr(sheet, ",\"for: primary care; against: surveyed\",\"\",\"\",\"\"\r\n"));
    /* The markers never come back as data: import reads only its columns. */
    char *filled = replaced(sheet, "\"\",\"\",\"\"\r\n", "\"include\",\"\",\"\"\r\n");
    wn_sheet_result res;
    assert_int_equal(import_text(p, filled, NULL, NULL, &res), 0);
    assert_int_equal(res.written, 4);
    wn_sheet_result_free(&res);
    free(filled);
    free(sheet);
    wn_project_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_is_blinded_and_round_trips),
        cmocka_unit_test(test_spreadsheet_mangled_sheet),
        cmocka_unit_test(test_every_import_error),
        cmocka_unit_test(test_full_text_sheet),
        cmocka_unit_test(test_rule_terms_marked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
