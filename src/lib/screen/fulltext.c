/* Full-text reports: sought, retrieved (with where the text is) or not
 * retrieved (with why), and linked into studies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/screen_impl.h"

typedef struct id_list {
    int64_t *v;
    size_t n, cap;
} id_list;

static int collect_included(void *ctx, const wn_unit_outcome *o)
{
    id_list *l = ctx;
    if (o->outcome != WN_OUTCOME_INCLUDE)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        int64_t *grown = realloc(l->v, cap * sizeof *grown);
        if (!grown)
            return WN_ENOMEM;
        l->v = grown;
        l->cap = cap;
    }
    l->v[l->n++] = o->unit_id;
    return 0;
}

int wn_screen_seek_reports(wn_project *p, const char *at, size_t *created)
{
    *created = 0;
    id_list inc = {0};
    int rc = wn_stage_outcomes_each(p, "ta", collect_included, &inc);
    if (rc == WN_ENOMEM)
        wn_err_set(&p->err, rc, "out of memory");
    sqlite3_stmt *ins = NULL, *study = NULL;
    if (rc || (rc = wn_screen_prepare(p,
                                      "INSERT INTO report(unit_id, study_id, status, updated_at)"
                                      " SELECT ?1, 0, 'sought', ?2 WHERE NOT EXISTS"
                                      " (SELECT 1 FROM report WHERE unit_id = ?1)",
                                      &ins, "cannot seek reports")) ||
        (rc = wn_screen_prepare(p, "UPDATE report SET study_id = id WHERE study_id = 0", &study,
                                "cannot seek reports")))
        goto done;
    for (size_t i = 0; i < inc.n && !rc; i++) {
        sqlite3_bind_int64(ins, 1, inc.v[i]);
        sqlite3_bind_text(ins, 2, at, -1, SQLITE_STATIC);
        if (!(rc = wn_screen_run(p, ins, "cannot seek reports")))
            *created += (size_t)sqlite3_changes(p->db);
    }
    /* A new report is its own study until linked to another. */
    if (!rc)
        rc = wn_screen_run(p, study, "cannot seek reports");
done:
    free(inc.v);
    sqlite3_finalize(ins);
    sqlite3_finalize(study);
    return rc;
}

int wn_reports_seek(wn_project *p, const wn_actor *actor, size_t *created)
{
    char at[32], summary[128];
    wn_utc_now(at);
    int rc = wn_screen_begin(p);
    if (rc)
        return rc;
    if ((rc = wn_screen_seek_reports(p, at, created))) {
        wn_tx_rollback(p);
        return rc;
    }
    snprintf(summary, sizeof summary, "%zu reports sought", *created);
    return wn_screen_commit(p, actor, summary);
}

int wn_reports_each(wn_project *p, const char *status,
                    int (*fn)(void *ctx, const wn_report_info *r), void *ctx)
{
    if (status && strcmp(status, "sought") && strcmp(status, "retrieved") &&
        strcmp(status, "not_retrieved"))
        return wn_err_set(&p->err, WN_EINVAL,
                          "unknown report status '%s' (sought, retrieved or not_retrieved)",
                          status);
    sqlite3_stmt *s;
    int rc = wn_screen_prepare(p,
                               "SELECT r.id, r.unit_id, r.study_id, r.status, r.reason,"
                               " r.location, r.updated_at, rec.title"
                               " FROM report r LEFT JOIN record rec ON rec.id = r.unit_id"
                               " WHERE ?1 IS NULL OR r.status = ?1 ORDER BY r.id",
                               &s, "cannot read reports");
    if (rc)
        return rc;
    wn_bind_text(s, 1, status, status ? strlen(status) : 0);
    int step;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
        wn_report_info r = {sqlite3_column_int64(s, 0),
                            sqlite3_column_int64(s, 1),
                            sqlite3_column_int64(s, 2),
                            (const char *)sqlite3_column_text(s, 3),
                            (const char *)sqlite3_column_text(s, 4),
                            (const char *)sqlite3_column_text(s, 5),
                            (const char *)sqlite3_column_text(s, 6),
                            (const char *)sqlite3_column_text(s, 7)};
        rc = fn(ctx, &r);
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read reports");
    sqlite3_finalize(s);
    return rc;
}

/* Runs one UPDATE of report id (bound as ?1, the time as ?2, text as ?3
 * and ?4) in its own transaction with its audit row. */
static int update_report(wn_project *p, int64_t id, const char *sql, const char *text,
                         int64_t number, const wn_actor *actor, const char *summary)
{
    sqlite3_stmt *s;
    int rc = wn_screen_prepare(p, sql, &s, "cannot update a report");
    if (rc)
        return rc;
    char at[32];
    wn_utc_now(at);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, at, -1, SQLITE_STATIC);
    wn_bind_text(s, 3, text, text ? strlen(text) : 0);
    sqlite3_bind_int64(s, 4, number);
    if (!(rc = wn_screen_begin(p))) {
        if (!(rc = wn_screen_run(p, s, "cannot update a report")) && sqlite3_changes(p->db) == 0)
            rc = wn_err_set(&p->err, WN_ENOTFOUND, "no report %lld in '%s'", (long long)id,
                            p->path);
        rc = wn_tx_finish(p, rc, actor, NULL, summary);
    }
    sqlite3_finalize(s);
    return rc;
}

int wn_report_retrieved(wn_project *p, int64_t id, const char *location,
                        const wn_actor *actor)
{
    char summary[512];
    snprintf(summary, sizeof summary, "report %lld retrieved%s%.400s", (long long)id,
             location ? ": " : "", location ? location : "");
    return update_report(p, id,
                         "UPDATE report SET status = 'retrieved', reason = NULL,"
                         " location = coalesce(?3, location), updated_at = ?2 WHERE id = ?1",
                         location, 0, actor, summary);
}

int wn_report_not_retrieved(wn_project *p, int64_t id, const char *reason,
                            const wn_actor *actor)
{
    if (!reason || !*reason)
        return wn_err_set(&p->err, WN_EINVAL, "report %lld: not retrieved needs a reason",
                          (long long)id);
    /* A report someone already assessed was evidently in hand. */
    sqlite3_stmt *s;
    int rc = wn_screen_prepare(p, "SELECT 1 FROM decision WHERE stage = 'ft' AND unit_id = ?",
                               &s, "cannot read decisions");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    int decided = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    if (decided)
        return wn_err_set(&p->err, WN_EINVAL,
                          "report %lld already has full-text decisions, so it was retrieved",
                          (long long)id);
    char summary[512];
    snprintf(summary, sizeof summary, "report %lld not retrieved: %.400s", (long long)id, reason);
    return update_report(p, id,
                         "UPDATE report SET status = 'not_retrieved', reason = ?3,"
                         " updated_at = ?2 WHERE id = ?1",
                         reason, 0, actor, summary);
}

int wn_report_link(wn_project *p, int64_t id, int64_t study_of, const wn_actor *actor)
{
    sqlite3_stmt *s;
    int rc = wn_screen_prepare(p, "SELECT study_id FROM report WHERE id = ?", &s,
                               "cannot read reports");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, study_of);
    int64_t study = 0;
    if (sqlite3_step(s) == SQLITE_ROW)
        study = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (!study)
        return wn_err_set(&p->err, WN_ENOTFOUND, "no report %lld in '%s'", (long long)study_of,
                          p->path);
    char summary[128];
    snprintf(summary, sizeof summary, "report %lld linked to study %lld", (long long)id,
             (long long)study);
    /* Reports that counted id's study as theirs follow it. */
    return update_report(p, id,
                         "UPDATE report SET study_id = ?4, updated_at = ?2"
                         " WHERE study_id = (SELECT study_id FROM report WHERE id = ?1)"
                         " OR id = ?1",
                         NULL, study, actor, summary);
}
