/* Reviewers, appended decisions and the checks they pass before writing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "screen/screen_impl.h"

int wn_screen_valid_stage(const char *s)
{
    return s && (!strcmp(s, "ta") || !strcmp(s, "ft"));
}

int wn_screen_bad_stage(wn_project *p, const char *stage)
{
    return wn_err_set(&p->err, WN_EINVAL, "unknown stage '%s' (ta or ft)", stage ? stage : "");
}

const char *wn_screen_decision_word(const char *s, size_t len)
{
    static const char *const words[] = {"include", "exclude", "maybe"};
    if (!s)
        return NULL;
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    for (size_t i = 0; i < 3; i++)
        if (strlen(words[i]) == len && !strncasecmp(words[i], s, len))
            return words[i];
    return NULL;
}

/* How long a writer waits for another to finish, as the store's busy
 * timeout does for everything else. */
#define SCREEN_WAIT_MS 10000

/* sqlite's own busy handler sleeps up to 100 ms at a time, so two
 * reviewers writing at once spend most of their time asleep; short naps
 * hand the lock over as soon as it is free. */
static int short_naps(void *arg, int count)
{
    (void)arg;
    if (count >= SCREEN_WAIT_MS * 4)
        return 0;
    struct timespec nap = {0, 250000L};
    nanosleep(&nap, NULL);
    return 1;
}

int wn_screen_begin(wn_project *p)
{
    sqlite3_busy_handler(p->db, short_naps, NULL);
    int rc = wn_tx_begin(p);
    sqlite3_busy_timeout(p->db, SCREEN_WAIT_MS);
    return rc;
}

int wn_screen_commit(wn_project *p, const wn_actor *actor, const char *summary)
{
    return wn_tx_finish(p, 0, actor, NULL, summary);
}

int wn_screen_prepare(wn_project *p, const char *sql, sqlite3_stmt **s, const char *doing)
{
    if (sqlite3_prepare_v2(p->db, sql, -1, s, NULL) != SQLITE_OK) {
        *s = NULL;
        return wn_db_fail(p, doing);
    }
    return 0;
}

int wn_screen_run(wn_project *p, sqlite3_stmt *s, const char *doing)
{
    int step = sqlite3_step(s);
    int rc = 0;
    if (step != SQLITE_DONE)
        rc = (sqlite3_extended_errcode(p->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
                 ? wn_err_set(&p->err, WN_EEXISTS, "%s: already in '%s'", doing, p->path)
                 : wn_db_fail(p, doing);
    sqlite3_reset(s);
    return rc;
}

int wn_reviewer_add(wn_project *p, const char *handle, const char *name, const char *email,
                    const wn_actor *actor)
{
    if (!handle || !*handle || !name)
        return wn_err_set(&p->err, WN_EINVAL, "a reviewer needs a handle and a name");
    for (const char *c = handle; *c; c++)
        if (*c == ',' || *c == '=' || *c == ' ' || *c == '\t' || *c == '\n')
            return wn_err_set(&p->err, WN_EINVAL,
                              "reviewer handle '%s' may not contain spaces, ',' or '='",
                              handle);
    sqlite3_stmt *s;
    int rc = wn_screen_prepare(p,
                               "INSERT INTO reviewer(handle, name, email, added_at)"
                               " VALUES (?, ?, ?, ?)",
                               &s, "cannot add a reviewer");
    if (rc)
        return rc;
    char at[32], summary[256];
    wn_utc_now(at);
    sqlite3_bind_text(s, 1, handle, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    wn_bind_text(s, 3, email, email ? strlen(email) : 0);
    sqlite3_bind_text(s, 4, at, -1, SQLITE_STATIC);
    snprintf(summary, sizeof summary, "reviewer '%s' added", handle);
    if (!(rc = wn_screen_begin(p))) {
        rc = wn_screen_run(p, s, summary);
        if (rc == WN_EEXISTS)
            wn_err_set(&p->err, WN_EEXISTS, "reviewer '%s' already exists", handle);
        rc = wn_tx_finish(p, rc, actor, NULL, summary);
    }
    sqlite3_finalize(s);
    return rc;
}

int wn_reviewers_each(wn_project *p, int (*fn)(void *ctx, const wn_reviewer_info *r),
                      void *ctx)
{
    sqlite3_stmt *s;
    int rc = wn_screen_prepare(
        p,
        "SELECT handle, name, email, added_at, left_at,"
        " (SELECT count(*) FROM assignment a WHERE a.reviewer = r.handle),"
        " (SELECT count(*) FROM (SELECT DISTINCT stage, unit_id FROM decision d"
        "   WHERE d.reviewer = r.handle AND d.kind = 'vote'))"
        " FROM reviewer r ORDER BY handle",
        &s, "cannot read reviewers");
    if (rc)
        return rc;
    int step;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
        wn_reviewer_info r = {
            (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
            (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3),
            (const char *)sqlite3_column_text(s, 4), sqlite3_column_int64(s, 5),
            sqlite3_column_int64(s, 6)};
        rc = fn(ctx, &r);
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read reviewers");
    sqlite3_finalize(s);
    return rc;
}

/* ---- checks ----------------------------------------------------------- */

int wn_screen_load_reasons(wn_project *p, const char *stage, char ***reasons, size_t *n)
{
    *reasons = NULL;
    *n = 0;
    sqlite3_stmt *s;
    int rc = wn_screen_prepare(p, "SELECT reason FROM exclusion_reason WHERE stage = ? ORDER BY ord",
                               &s, "cannot read exclusion reasons");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, stage, -1, SQLITE_STATIC);
    size_t cap = 0;
    int step;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            char **grown = realloc(*reasons, cap * sizeof *grown);
            if (!grown) {
                rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
                break;
            }
            *reasons = grown;
        }
        if (!((*reasons)[*n] = wn_strdup((const char *)sqlite3_column_text(s, 0))))
            rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
        else
            (*n)++;
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read exclusion reasons");
    sqlite3_finalize(s);
    if (rc) {
        wn_reasons_free(*reasons, *n);
        *reasons = NULL;
        *n = 0;
    }
    return rc;
}

void wn_reasons_free(char **reasons, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(reasons[i]);
    free(reasons);
}

void wn_checker_close(wn_checker *c)
{
    sqlite3_finalize(c->is_unit);
    sqlite3_finalize(c->is_assigned);
    sqlite3_finalize(c->reviewer);
    sqlite3_finalize(c->newest);
    sqlite3_finalize(c->insert);
    sqlite3_finalize(c->flush);
    sqlite3_finalize(c->assessed);
    sqlite3_finalize(c->clear);
    wn_reasons_free(c->reasons, c->n_reasons);
    memset(c, 0, sizeof *c);
}

/* The staging table lives in this connection's temporary database: no
 * other process sees it, and a rollback empties it with everything else. */
static int open_staging(wn_checker *c)
{
    wn_project *p = c->p;
    int rc = wn_db_exec(p, "CREATE TEMP TABLE IF NOT EXISTS screen_staged ("
                           " seq INTEGER PRIMARY KEY, stage TEXT, unit_id INTEGER,"
                           " reviewer TEXT, kind TEXT, decision TEXT, reason TEXT, note TEXT,"
                           " at TEXT)");
    if (rc ||
        (rc = wn_screen_prepare(p,
                                "INSERT INTO temp.screen_staged(stage, unit_id, reviewer, kind,"
                                " decision, reason, note, at)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                &c->insert, "cannot record a decision")) ||
        (rc = wn_screen_prepare(p,
                                "INSERT INTO decision(stage, unit_id, reviewer, kind, decision,"
                                " reason, note, at) SELECT stage, unit_id, reviewer, kind,"
                                " decision, reason, note, at FROM temp.screen_staged"
                                " ORDER BY seq",
                                &c->flush, "cannot record decisions")) ||
        (rc = wn_screen_prepare(p,
                                "UPDATE report SET status = 'retrieved', updated_at = ?1"
                                " WHERE status = 'sought'"
                                " AND id IN (SELECT unit_id FROM temp.screen_staged)",
                                &c->assessed, "cannot update reports")) ||
        (rc = wn_screen_prepare(p, "DELETE FROM temp.screen_staged", &c->clear,
                                "cannot record decisions")))
        return rc;
    return 0;
}

int wn_checker_open(wn_checker *c, wn_project *p, const char *stage)
{
    memset(c, 0, sizeof *c);
    c->p = p;
    if (!wn_screen_valid_stage(stage))
        return wn_screen_bad_stage(p, stage);
    snprintf(c->stage, sizeof c->stage, "%s", stage);
    /* A title/abstract unit is a record heading its cluster (or alone) that
     * the rules did not exclude; a full-text unit is a report. */
    const char *unit_sql =
        !strcmp(stage, "ta")
            ? "SELECT 'unit' FROM record r WHERE r.id = ?1"
              " AND NOT EXISTS (SELECT 1 FROM cluster_member m"
              "  WHERE m.record_id = r.id AND m.cluster_id <> r.id)"
              " AND NOT EXISTS (SELECT 1 FROM rule_exclusion e WHERE e.unit_id = r.id)"
            : "SELECT status FROM report WHERE id = ?1";
    int rc;
    if ((rc = wn_screen_prepare(p, unit_sql, &c->is_unit, "cannot read units")) ||
        (rc = wn_screen_prepare(p,
                                "SELECT 1 FROM assignment WHERE stage = ?1 AND unit_id = ?2"
                                " AND reviewer = ?3",
                                &c->is_assigned, "cannot read assignments")) ||
        (rc = wn_screen_prepare(p, "SELECT left_at FROM reviewer WHERE handle = ?1",
                                &c->reviewer, "cannot read reviewers")) ||
        (rc = wn_screen_prepare(p,
                                "SELECT decision, reason, note FROM decision"
                                " WHERE stage = ?1 AND unit_id = ?2 AND reviewer = ?3"
                                " AND kind = 'vote' ORDER BY id DESC LIMIT 1",
                                &c->newest, "cannot read decisions")) ||
        (rc = open_staging(c)) ||
        (rc = wn_screen_load_reasons(p, stage, &c->reasons, &c->n_reasons)))
        wn_checker_close(c);
    return rc;
}

/* 1 if s is a row of statement st (bound by the caller); fills col0. */
static int exists(sqlite3_stmt *st, char *col0, size_t size)
{
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found && col0) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        snprintf(col0, size, "%s", v ? v : "");
    }
    sqlite3_reset(st);
    return found;
}

int wn_checker_check(wn_checker *c, const wn_decision *d, const char **reason, char *why,
                     size_t why_size)
{
    const char *kind = d->kind ? d->kind : "vote";
    *reason = d->reason && *d->reason ? d->reason : NULL;
    if (strcmp(d->stage, c->stage)) {
        snprintf(why, why_size, "stage '%s' where '%s' was expected", d->stage, c->stage);
        return WN_EINVAL;
    }
    if (!wn_screen_decision_word(d->decision, d->decision ? strlen(d->decision) : 0)) {
        snprintf(why, why_size, "unknown decision '%s' (include, exclude or maybe)",
                 d->decision ? d->decision : "");
        return WN_EINVAL;
    }
    if (strcmp(kind, "vote") && strcmp(kind, "resolution")) {
        snprintf(why, why_size, "unknown decision kind '%s'", kind);
        return WN_EINVAL;
    }
    char found[32];
    sqlite3_bind_text(c->reviewer, 1, d->reviewer ? d->reviewer : "", -1, SQLITE_STATIC);
    if (!exists(c->reviewer, found, sizeof found)) {
        snprintf(why, why_size, "unknown reviewer '%s' (see 'winnow reviewer add')",
                 d->reviewer ? d->reviewer : "");
        return WN_ENOTFOUND;
    }
    sqlite3_bind_int64(c->is_unit, 1, d->unit_id);
    if (!exists(c->is_unit, found, sizeof found)) {
        snprintf(why, why_size, "%s %lld is not a unit of stage %s",
                 !strcmp(c->stage, "ft") ? "report" : "record", (long long)d->unit_id, c->stage);
        return WN_ENOTFOUND;
    }
    if (!strcmp(found, "not_retrieved")) {
        snprintf(why, why_size, "report %lld was not retrieved, so it cannot be assessed",
                 (long long)d->unit_id);
        return WN_EINVAL;
    }
    if (!strcmp(kind, "vote")) {
        sqlite3_bind_text(c->is_assigned, 1, c->stage, -1, SQLITE_STATIC);
        sqlite3_bind_int64(c->is_assigned, 2, d->unit_id);
        sqlite3_bind_text(c->is_assigned, 3, d->reviewer, -1, SQLITE_STATIC);
        if (!exists(c->is_assigned, NULL, 0)) {
            snprintf(why, why_size, "unit %lld is not assigned to '%s' at stage %s",
                     (long long)d->unit_id, d->reviewer, c->stage);
            return WN_EINVAL;
        }
    }
    int excluding = !strcasecmp(wn_screen_decision_word(d->decision, strlen(d->decision)),
                                "exclude");
    if (excluding && !*reason && !strcmp(c->stage, "ft")) {
        snprintf(why, why_size, "an exclusion at full text needs a reason");
        return WN_EINVAL;
    }
    if (*reason && excluding && c->n_reasons) {
        char *end;
        long num = strtol(*reason, &end, 10);
        if (!*end && num >= 1 && (size_t)num <= c->n_reasons) {
            *reason = c->reasons[num - 1];
            return 0;
        }
        for (size_t i = 0; i < c->n_reasons; i++)
            if (!strcasecmp(c->reasons[i], *reason)) {
                *reason = c->reasons[i];
                return 0;
            }
        snprintf(why, why_size, "reason '%s' is not in the stage's list (see 'winnow policy --stage %s')",
                 *reason, c->stage);
        return WN_EINVAL;
    }
    return 0;
}

static int same_text(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

int wn_checker_unchanged(wn_checker *c, int64_t unit, const char *reviewer,
                         const char *decision, const char *reason, const char *note)
{
    sqlite3_bind_text(c->newest, 1, c->stage, -1, SQLITE_STATIC);
    sqlite3_bind_int64(c->newest, 2, unit);
    sqlite3_bind_text(c->newest, 3, reviewer, -1, SQLITE_STATIC);
    int same = 0;
    if (sqlite3_step(c->newest) == SQLITE_ROW)
        same = same_text((const char *)sqlite3_column_text(c->newest, 0), decision) &&
               same_text((const char *)sqlite3_column_text(c->newest, 1), reason) &&
               same_text((const char *)sqlite3_column_text(c->newest, 2), note);
    sqlite3_reset(c->newest);
    return same;
}

int wn_checker_insert(wn_checker *c, const wn_decision *d, const char *reason, const char *at)
{
    sqlite3_stmt *s = c->insert;
    const char *word = wn_screen_decision_word(d->decision, strlen(d->decision));
    sqlite3_bind_text(s, 1, c->stage, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, d->unit_id);
    sqlite3_bind_text(s, 3, d->reviewer, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, d->kind ? d->kind : "vote", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, word, -1, SQLITE_STATIC);
    wn_bind_text(s, 6, reason, reason ? strlen(reason) : 0);
    wn_bind_text(s, 7, d->note && *d->note ? d->note : NULL, d->note ? strlen(d->note) : 0);
    sqlite3_bind_text(s, 8, at, -1, SQLITE_STATIC);
    return wn_screen_run(c->p, s, "cannot record a decision");
}

int wn_checker_flush(wn_checker *c, const char *at)
{
    int rc = wn_screen_run(c->p, c->flush, "cannot record decisions");
    if (!rc && !strcmp(c->stage, "ft")) {
        sqlite3_bind_text(c->assessed, 1, at, -1, SQLITE_STATIC);
        rc = wn_screen_run(c->p, c->assessed, "cannot update reports");
    }
    return rc ? rc : wn_screen_run(c->p, c->clear, "cannot record decisions");
}

/* "include -> " when the reviewer's vote replaces an earlier one, so the
 * audit log reads old -> new; "" otherwise (a first vote, a resolution). */
static int previous_vote(wn_checker *c, const wn_decision *d, char *out, size_t size)
{
    out[0] = '\0';
    if (d->kind && strcmp(d->kind, "vote"))
        return 0;
    sqlite3_bind_text(c->newest, 1, c->stage, -1, SQLITE_STATIC);
    sqlite3_bind_int64(c->newest, 2, d->unit_id);
    sqlite3_bind_text(c->newest, 3, d->reviewer, -1, SQLITE_STATIC);
    int rc = 0, step = sqlite3_step(c->newest);
    if (step == SQLITE_ROW)
        snprintf(out, size, "%s -> ", (const char *)sqlite3_column_text(c->newest, 0));
    else if (step != SQLITE_DONE)
        rc = wn_db_fail(c->p, "cannot read decisions");
    sqlite3_reset(c->newest);
    return rc;
}

int wn_decisions_add(wn_project *p, const wn_decision *ds, size_t n, const wn_actor *actor)
{
    if (!n)
        return 0;
    wn_checker c;
    int rc = wn_checker_open(&c, p, ds[0].stage);
    if (rc || (rc = wn_screen_begin(p))) {
        wn_checker_close(&c);
        return rc;
    }
    char at[32], why[384], was[48] = "";
    wn_utc_now(at);
    /* Checked inside the write transaction, so nothing can change between
     * the check and the write; the first failure rolls everything back. */
    for (size_t i = 0; i < n && !rc; i++) {
        const char *reason;
        if ((rc = wn_checker_check(&c, &ds[i], &reason, why, sizeof why)))
            wn_err_set(&p->err, rc, "%s", why);
        else if (n > 1 || !(rc = previous_vote(&c, &ds[i], was, sizeof was)))
            rc = wn_checker_insert(&c, &ds[i], reason, at);
    }
    if (!rc)
        rc = wn_checker_flush(&c, at);
    char summary[256];
    const char *kind = ds[0].kind ? ds[0].kind : "vote";
    if (n == 1)
        snprintf(summary, sizeof summary, "%s %s by %s on %lld: %s%s", ds[0].stage, kind,
                 ds[0].reviewer, (long long)ds[0].unit_id, was, ds[0].decision);
    else
        snprintf(summary, sizeof summary, "%s: %zu decisions recorded", ds[0].stage, n);
    rc = wn_tx_finish(p, rc, actor, NULL, summary);
    wn_checker_close(&c);
    return rc;
}

int wn_decision_add(wn_project *p, const wn_decision *d, const wn_actor *actor)
{
    const char *kind = d->kind ? d->kind : "vote";
    if (!wn_screen_valid_stage(d->stage))
        return wn_screen_bad_stage(p, d->stage);
    const char *word = wn_screen_decision_word(d->decision, d->decision ? strlen(d->decision) : 0);
    if (!word)
        return wn_err_set(&p->err, WN_EINVAL,
                          "unknown decision '%s' (include, exclude or maybe)",
                          d->decision ? d->decision : "");
    if (strcmp(kind, "vote") && strcmp(kind, "resolution"))
        return wn_err_set(&p->err, WN_EINVAL, "unknown decision kind '%s'", kind);
    wn_checker c = {0};
    c.p = p;
    snprintf(c.stage, sizeof c.stage, "%s", d->stage);
    int rc = open_staging(&c);
    if (rc) {
        wn_checker_close(&c);
        return rc;
    }
    char at[32], summary[256];
    wn_utc_now(at);
    snprintf(summary, sizeof summary, "%s %s by %s on %lld: %s", d->stage, kind, d->reviewer,
             (long long)d->unit_id, word);
    if (!(rc = wn_screen_begin(p))) {
        if (!(rc = wn_checker_insert(&c, d, d->reason, at)))
            rc = wn_checker_flush(&c, at);
        rc = wn_tx_finish(p, rc, actor, NULL, summary);
    }
    wn_checker_close(&c);
    return rc;
}
