/* The audit trail under attack: an audit entry or a decision edited,
 * deleted, reordered or smuggled in with sqlite directly (triggers dropped
 * first), and `winnow audit verify` must fail and name it. Also the log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "support.h"

#define RUN(out, err, ...) t_winnow(NULL, NULL, out, err, (const char *const[]){__VA_ARGS__, NULL})

static char base[4096];

static const char two_records[] =
    "TY  - JOUR\nTI  - Hospital social workers and mental health equity\nPY  - 2020\nER  - \n\n"
    "TY  - JOUR\nTI  - Stigma and help-seeking in primary care\nPY  - 2019\nER  - \n";

/* A project with an import and three decisions (audit entries 1..6,
 * decisions 1..3), closed so its file stands alone. */
static int make_base(void **state)
{
    (void)state;
    wn_project *p = t_project_with("audit.ris", "Scopus", two_records);
    wn_actor actor = {"[\"winnow\",\"decide\"]", "alice"};
    assert_int_equal(wn_reviewer_add(p, "alice", "Alice N.", NULL, &actor), 0);
    const char *words[] = {"include", "exclude", "include"};
    for (int i = 0; i < 3; i++) {
        wn_decision d = {"ta", 1 + (i % 2), "alice", NULL, words[i], NULL, NULL};
        if (wn_decision_add(p, &d, &actor))
            fail_msg("%s", wn_project_errmsg(p));
    }
    snprintf(base, sizeof base, "%s", wn_project_path(p));
    wn_project_close(p);
    return 0;
}

/* A copy of the base project to tamper with. */
static const char *copy_base(const char *name)
{
    size_t len;
    char *data = t_read_file(base, &len);
    const char *path = t_tmp_path(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    free(data);
    return path;
}

/* Runs SQL as someone with the file and the sqlite3 shell would: no winnow
 * functions, triggers dropped as needed. */
static void tamper(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("tampering failed: %s", msg ? msg : "?");
    sqlite3_close(db);
}

/* audit verify on a tampered copy: exit 1, and the output names the fault. */
static void expect_caught(const char *name, const char *sql, const char *named)
{
    const char *path = copy_base(name);
    tamper(path, sql);
    char *out = NULL, *err = NULL;
    int rc = RUN(&out, &err, "-p", path, "audit", "verify");
    if (rc != 1 || !strstr(out, named))
        fail_msg("%s: exit %d, expected 1 naming '%s'\nstdout: %s\nstderr: %s", name, rc, named,
                 out, err);
    assert_non_null(strstr(err, named));
    free(out);
    free(err);
}

static void test_intact_ledger_verifies(void **state)
{
    (void)state;
    const char *path = copy_base("intact.winnow");
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "-p", path, "audit", "verify", "--json"), 0);
    cJSON *o = cJSON_Parse(out);
    assert_non_null(o);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "intact")));
    assert_int_equal(cJSON_GetObjectItem(o, "decisions")->valueint, 3);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "problems")), 0);
    /* The head is the last entry's hash. */
    sqlite3 *db;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_prepare_v2(db, "SELECT hash, id FROM audit ORDER BY id DESC LIMIT 1", -1, &s, NULL);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal(cJSON_GetObjectItem(o, "head")->valuestring,
                        (const char *)sqlite3_column_text(s, 0));
    assert_int_equal(cJSON_GetObjectItem(o, "entries")->valueint, sqlite3_column_int(s, 1));
    sqlite3_finalize(s);
    sqlite3_close(db);
    cJSON_Delete(o);
    free(out);
    free(err);
}

static void test_triggers_refuse_plain_tampering(void **state)
{
    (void)state;
    const char *path = copy_base("refuse.winnow");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    const char *attempts[] = {
        "UPDATE audit SET summary = 'x' WHERE id = 2",
        "DELETE FROM audit WHERE id = 2",
        "UPDATE decision SET decision = 'include' WHERE id = 2",
        "DELETE FROM decision WHERE id = 2",
        "DELETE FROM decision_seal WHERE decision_id = 2",
        "UPDATE decision_seal SET hash = 'x' WHERE decision_id = 2",
    };
    for (size_t i = 0; i < sizeof attempts / sizeof attempts[0]; i++)
        if (sqlite3_exec(db, attempts[i], NULL, NULL, NULL) == SQLITE_OK)
            fail_msg("'%s' was allowed", attempts[i]);
    sqlite3_close(db);
}

static void test_audit_entry_edited(void **state)
{
    (void)state;
    expect_caught("edit.winnow",
                  "DROP TRIGGER audit_no_update;"
                  "UPDATE audit SET summary = 'imported nothing' WHERE id = 2",
                  "audit entry 2 was edited");
}

static void test_audit_entry_deleted(void **state)
{
    (void)state;
    expect_caught("delete.winnow", "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 3",
                  "audit entry 3 is missing");
}

static void test_audit_entries_reordered(void **state)
{
    (void)state;
    expect_caught("reorder.winnow",
                  "DROP TRIGGER audit_no_update;"
                  "UPDATE audit SET id = -1 WHERE id = 3;"
                  "UPDATE audit SET id = 3 WHERE id = 4;"
                  "UPDATE audit SET id = 4 WHERE id = -1",
                  "out of order");
}

static void test_decision_edited(void **state)
{
    (void)state;
    expect_caught("dedit.winnow",
                  "DROP TRIGGER decision_no_update;"
                  "UPDATE decision SET decision = 'include' WHERE id = 2",
                  "decision 2 was changed");
}

static void test_decisions_reordered(void **state)
{
    (void)state;
    /* Swap the first two decisions' votes (units 1 and 2). */
    expect_caught("dreorder.winnow",
                  "DROP TRIGGER decision_no_update;"
                  "UPDATE decision SET id = -1 WHERE id = 1;"
                  "UPDATE decision SET id = 1 WHERE id = 2;"
                  "UPDATE decision SET id = 2 WHERE id = -1",
                  "decision 1 was changed");
}

static void test_decision_deleted(void **state)
{
    (void)state;
    expect_caught("ddelete.winnow",
                  "DROP TRIGGER decision_no_delete; DELETE FROM decision WHERE id = 2",
                  "decision 2 was deleted");
    expect_caught("ddelete2.winnow",
                  "DROP TRIGGER decision_no_delete; DROP TRIGGER decision_seal_no_delete;"
                  "DELETE FROM decision WHERE id = 2; DELETE FROM decision_seal"
                  " WHERE decision_id = 2",
                  "decision 2 was deleted (with its seal)");
    /* The newest decision and its seal: the audit entry that recorded it. */
    expect_caught("ddelete3.winnow",
                  "DROP TRIGGER decision_no_delete; DROP TRIGGER decision_seal_no_delete;"
                  "DELETE FROM decision WHERE id = 3; DELETE FROM decision_seal"
                  " WHERE decision_id = 3",
                  "recorded decision 3, which is gone");
}

static void test_decision_smuggled_in(void **state)
{
    (void)state;
    expect_caught("dadd.winnow",
                  "INSERT INTO decision(stage, unit_id, reviewer, decision, at)"
                  " VALUES ('ta', 2, 'alice', 'include', '2026-01-01T00:00:00.000Z')",
                  "decision 4 has no seal");
}

static void test_log_filters(void **state)
{
    (void)state;
    const char *path = copy_base("log.winnow");
    char *out = NULL, *err = NULL;
    assert_int_equal(RUN(&out, &err, "-p", path, "log", "--json"), 0);
    cJSON *all = cJSON_Parse(out);
    assert_non_null(all);
    int n_all = cJSON_GetArraySize(all);
    int n_alice = 0;
    cJSON *e;
    cJSON_ArrayForEach(e, all)
    {
        n_alice += !strcmp(cJSON_GetObjectItem(e, "actor")->valuestring, "alice");
    }
    assert_true(n_alice >= 4 && n_alice < n_all);
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", path, "log", "--reviewer", "alice", "--json"), 0);
    cJSON *mine = cJSON_Parse(out);
    assert_int_equal(cJSON_GetArraySize(mine), n_alice);
    cJSON_Delete(mine);
    free(out);
    free(err);
    /* --since after the last entry: nothing */
    assert_int_equal(RUN(&out, &err, "-p", path, "log", "--since", "9999-01-01"), 0);
    assert_non_null(strstr(out, "0 entries"));
    free(out);
    free(err);
    assert_int_equal(RUN(&out, &err, "-p", path, "log", "--since", "yesterday"), 2);
    free(out);
    free(err);
    cJSON_Delete(all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intact_ledger_verifies),
        cmocka_unit_test(test_triggers_refuse_plain_tampering),
        cmocka_unit_test(test_audit_entry_edited),
        cmocka_unit_test(test_audit_entry_deleted),
        cmocka_unit_test(test_audit_entries_reordered),
        cmocka_unit_test(test_decision_edited),
        cmocka_unit_test(test_decisions_reordered),
        cmocka_unit_test(test_decision_deleted),
        cmocka_unit_test(test_decision_smuggled_in),
        cmocka_unit_test(test_log_filters),
    };
    return cmocka_run_group_tests(tests, make_base, NULL);
}
