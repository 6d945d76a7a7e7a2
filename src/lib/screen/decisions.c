/* Reviewers, appended decisions, and the outcome of each unit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "winnow/screening.h"

static int valid_stage(const char *s) { return s && (!strcmp(s, "ta") || !strcmp(s, "ft")); }

static int valid_decision(const char *d)
{
    return d && (!strcmp(d, "include") || !strcmp(d, "exclude") || !strcmp(d, "maybe"));
}

/* Runs one prepared write with its audit row in one transaction. */
static int write_with_audit(wn_project *p, sqlite3_stmt *s, const wn_actor *actor,
                            const char *summary)
{
    int rc = wn_tx_begin(p);
    if (rc)
        return rc;
    int step = sqlite3_step(s);
    if (step != SQLITE_DONE) {
        rc = (sqlite3_extended_errcode(p->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
                 ? wn_err_set(&p->err, WN_EEXISTS, "%s: already in '%s'", summary, p->path)
                 : wn_db_fail(p, "cannot write");
        sqlite3_reset(s);
        wn_tx_rollback(p);
        return rc;
    }
    sqlite3_reset(s);
    if ((rc = wn_audit_append(p, actor, NULL, summary)) || (rc = wn_tx_commit(p))) {
        wn_tx_rollback(p);
        return rc;
    }
    return 0;
}

int wn_reviewer_add(wn_project *p, const char *handle, const char *name, const char *email,
                    const wn_actor *actor)
{
    if (!handle || !*handle || !name)
        return wn_err_set(&p->err, WN_EINVAL, "a reviewer needs a handle and a name");
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db,
                           "INSERT INTO reviewer(handle, name, email, added_at)"
                           " VALUES (?, ?, ?, ?)",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot add a reviewer");
    char at[32];
    wn_utc_now(at);
    sqlite3_bind_text(s, 1, handle, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    wn_bind_text(s, 3, email, email ? strlen(email) : 0);
    sqlite3_bind_text(s, 4, at, -1, SQLITE_STATIC);
    char summary[256];
    snprintf(summary, sizeof summary, "reviewer '%s' added", handle);
    int rc = write_with_audit(p, s, actor, summary);
    sqlite3_finalize(s);
    return rc;
}

int wn_decision_add(wn_project *p, const wn_decision *d, const wn_actor *actor)
{
    const char *kind = d->kind ? d->kind : "vote";
    if (!valid_stage(d->stage))
        return wn_err_set(&p->err, WN_EINVAL, "unknown stage '%s' (ta or ft)",
                          d->stage ? d->stage : "");
    if (!valid_decision(d->decision))
        return wn_err_set(&p->err, WN_EINVAL,
                          "unknown decision '%s' (include, exclude or maybe)",
                          d->decision ? d->decision : "");
    if (strcmp(kind, "vote") && strcmp(kind, "resolution"))
        return wn_err_set(&p->err, WN_EINVAL, "unknown decision kind '%s'", kind);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db,
                           "INSERT INTO decision(stage, unit_id, reviewer, kind, decision,"
                           " reason, note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot record a decision");
    char at[32];
    wn_utc_now(at);
    sqlite3_bind_text(s, 1, d->stage, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, d->unit_id);
    sqlite3_bind_text(s, 3, d->reviewer, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, d->decision, -1, SQLITE_STATIC);
    wn_bind_text(s, 6, d->reason, d->reason ? strlen(d->reason) : 0);
    wn_bind_text(s, 7, d->note, d->note ? strlen(d->note) : 0);
    sqlite3_bind_text(s, 8, at, -1, SQLITE_STATIC);
    char summary[256];
    snprintf(summary, sizeof summary, "%s %s %s %lld: %s", d->stage, kind, d->reviewer,
             (long long)d->unit_id, d->decision);
    int rc = write_with_audit(p, s, actor, summary);
    sqlite3_finalize(s);
    return rc;
}

/* The votes of one unit as they are read, newest per reviewer only. */
typedef struct unit_votes {
    int64_t unit_id;
    int assigned;       /* reviewers assigned */
    int votes, include, exclude, maybe;
    int resolved;       /* a resolution exists; decision below */
    char resolution[8];
    char *reason;       /* reason of the deciding exclusion */
} unit_votes;

static wn_outcome outcome_of(const unit_votes *u)
{
    if (u->resolved)
        return !strcmp(u->resolution, "exclude") ? WN_OUTCOME_EXCLUDE : WN_OUTCOME_INCLUDE;
    int needed = u->assigned > 0 ? u->assigned : 1;
    if (u->votes < needed)
        return WN_OUTCOME_PENDING;
    /* Default policy: every vote must agree; "maybe" counts as include. */
    if (u->exclude == u->votes)
        return WN_OUTCOME_EXCLUDE;
    if (u->exclude == 0)
        return WN_OUTCOME_INCLUDE;
    return WN_OUTCOME_CONFLICT;
}

int wn_stage_outcomes_each(wn_project *p, const char *stage,
                           int (*fn)(void *ctx, const wn_unit_outcome *o), void *ctx)
{
    if (!valid_stage(stage))
        return wn_err_set(&p->err, WN_EINVAL, "unknown stage '%s' (ta or ft)",
                          stage ? stage : "");
    /* One row per unit and voter (newest vote), plus the newest resolution;
     * units with assignments but no votes appear with NULL voter. */
    static const char sql[] =
        "WITH units AS ("
        "  SELECT unit_id FROM assignment WHERE stage = ?1"
        "  UNION SELECT unit_id FROM decision WHERE stage = ?1),"
        " newest AS ("
        "  SELECT unit_id, reviewer, kind, decision, reason,"
        "   row_number() OVER (PARTITION BY unit_id, reviewer, kind ORDER BY id DESC) AS n"
        "  FROM decision WHERE stage = ?1)"
        " SELECT u.unit_id,"
        "  (SELECT count(*) FROM assignment a WHERE a.stage = ?1 AND a.unit_id = u.unit_id),"
        "  d.kind, d.decision, d.reason"
        " FROM units u LEFT JOIN newest d ON d.unit_id = u.unit_id AND d.n = 1"
        " ORDER BY u.unit_id, d.kind, d.reviewer";
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db, sql, -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read decisions");
    sqlite3_bind_text(s, 1, stage, -1, SQLITE_STATIC);
    unit_votes u = {0};
    int have = 0, rc = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW && !rc) {
        int64_t id = sqlite3_column_int64(s, 0);
        if (have && id != u.unit_id) {
            wn_unit_outcome o = {u.unit_id, outcome_of(&u), NULL};
            o.reason = o.outcome == WN_OUTCOME_EXCLUDE ? u.reason : NULL;
            rc = fn(ctx, &o);
            free(u.reason);
            memset(&u, 0, sizeof u);
            if (rc)
                break;
        }
        have = 1;
        u.unit_id = id;
        u.assigned = sqlite3_column_int(s, 1);
        const char *kind = (const char *)sqlite3_column_text(s, 2);
        const char *dec = (const char *)sqlite3_column_text(s, 3);
        const char *reason = (const char *)sqlite3_column_text(s, 4);
        if (!kind || !dec)
            continue;
        int is_exclusion = !strcmp(dec, "exclude");
        if (!strcmp(kind, "resolution")) {
            u.resolved = 1;
            snprintf(u.resolution, sizeof u.resolution, "%s", dec);
        } else {
            u.votes++;
            u.include += !strcmp(dec, "include");
            u.exclude += is_exclusion;
            u.maybe += !strcmp(dec, "maybe");
        }
        /* Rows come resolution first: its reason wins over the votes'. */
        if (is_exclusion && reason && !u.reason && !(u.resolved && strcmp(kind, "resolution")))
            u.reason = wn_strdup(reason);
    }
    if (!rc && step != SQLITE_DONE && step != SQLITE_ROW)
        rc = wn_db_fail(p, "cannot read decisions");
    if (!rc && have) {
        wn_unit_outcome o = {u.unit_id, outcome_of(&u), NULL};
        o.reason = o.outcome == WN_OUTCOME_EXCLUDE ? u.reason : NULL;
        rc = fn(ctx, &o);
    }
    free(u.reason);
    sqlite3_finalize(s);
    return rc;
}
