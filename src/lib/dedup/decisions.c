/* People's decisions on pairs, and reading the evidence back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedup/dedup_store.h"
#include "store/db.h"
#include "winnow/units.h"

static int record_exists(wn_project *p, int64_t id)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db, "SELECT 1 FROM record WHERE id = ?", -1, &s, NULL) !=
        SQLITE_OK)
        return wn_db_fail(p, "cannot read records");
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return wn_err_set(&p->err, WN_ENOTFOUND, "no record %lld", (long long)id);
    return wn_db_fail(p, "cannot read records");
}

/* Appends one decision row (inside the caller's transaction). */
static int add_decision(wn_project *p, sqlite3_stmt *s, int64_t a, int64_t b,
                        const char *verdict, const char *at, const char *actor)
{
    if (a > b) {
        int64_t t = a;
        a = b;
        b = t;
    }
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, b);
    sqlite3_bind_text(s, 3, verdict, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, actor, -1, SQLITE_STATIC);
    return sqlite3_step(s) == SQLITE_DONE ? 0 : wn_db_fail(p, "cannot record the decision");
}

static const char *actor_name(const wn_actor *actor)
{
    if (actor && actor->user && *actor->user)
        return actor->user;
    const char *u = getenv("USER");
    return u && *u ? u : "unknown";
}

static int prepare_decision(wn_project *p, sqlite3_stmt **s)
{
    if (sqlite3_prepare_v2(p->db,
                           "INSERT INTO dedup_decision (a, b, verdict, at, actor)"
                           " VALUES (?, ?, ?, ?, ?)",
                           -1, s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot record the decision");
    return 0;
}

/* Reclusters, appends the audit row and commits; rolls back on failure. */
static int finish(wn_project *p, const wn_actor *actor, const char *summary, int rc)
{
    if (!rc)
        rc = dd_recluster(p, NULL);
    return wn_tx_finish(p, rc, actor, NULL, summary);
}

int wn_dedup_decide(wn_project *p, int64_t a, int64_t b, const char *verdict,
                    const wn_actor *actor)
{
    if (!verdict || (strcmp(verdict, "same") != 0 && strcmp(verdict, "different") != 0))
        return wn_err_set(&p->err, WN_EINVAL, "decision '%s' is neither 'same' nor 'different'",
                          verdict ? verdict : "");
    if (a == b)
        return wn_err_set(&p->err, WN_EINVAL, "record %lld cannot be decided against itself",
                          (long long)a);
    int rc = wn_tx_begin(p);
    if (rc)
        return rc;
    if ((rc = record_exists(p, a)) || (rc = record_exists(p, b))) {
        wn_tx_rollback(p);
        return rc;
    }
    char at[32];
    wn_utc_now(at);
    sqlite3_stmt *s;
    if ((rc = prepare_decision(p, &s)) == 0) {
        rc = add_decision(p, s, a, b, verdict, at, actor_name(actor));
        sqlite3_finalize(s);
    }
    char summary[128];
    snprintf(summary, sizeof summary, "records %lld and %lld: %s", (long long)a, (long long)b,
             verdict);
    return finish(p, actor, summary, rc);
}

/* Members of the cluster record id is in (just id when alone). */
static int members_of(wn_project *p, int64_t id, int64_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT record_id FROM cluster_member WHERE cluster_id ="
                           " (SELECT cluster_id FROM cluster_member WHERE record_id = ?1)"
                           " UNION SELECT ?1 ORDER BY 1",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read clusters");
    sqlite3_bind_int64(s, 1, id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            int64_t *grown = realloc(*out, cap * sizeof *grown);
            if (!grown) {
                sqlite3_finalize(s);
                free(*out);
                *out = NULL;
                return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
            }
            *out = grown;
        }
        (*out)[(*n)++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        return wn_db_fail(p, "cannot read clusters");
    }
    return 0;
}

int wn_dedup_undo_merge(wn_project *p, const int64_t *ids, size_t n, int whole,
                        const wn_actor *actor, int64_t *split)
{
    if (split)
        *split = 0;
    int rc = wn_tx_begin(p);
    if (rc)
        return rc;
    char at[32];
    wn_utc_now(at);
    sqlite3_stmt *s = NULL;
    int64_t moved = 0;
    rc = prepare_decision(p, &s);
    for (size_t i = 0; i < n && !rc; i++) {
        int64_t *m;
        size_t count;
        if ((rc = record_exists(p, ids[i])) || (rc = members_of(p, ids[i], &m, &count)))
            break;
        if (count < 2)
            rc = wn_err_set(&p->err, WN_EINVAL, "record %lld is not in a cluster",
                            (long long)ids[i]);
        for (size_t x = 0; x < count && !rc; x++) {
            if (!whole && m[x] != ids[i])
                continue;
            for (size_t y = 0; y < count && !rc; y++)
                if (m[y] != m[x] && (!whole || y > x))
                    rc = add_decision(p, s, m[x], m[y], "different", at, actor_name(actor));
            moved++;
        }
        free(m);
    }
    if (s)
        sqlite3_finalize(s);
    if (split && !rc)
        *split = moved;
    char summary[128];
    snprintf(summary, sizeof summary, "%lld records taken out of their clusters",
             (long long)moved);
    return finish(p, actor, summary, rc);
}

/* ---- reading pairs back ---------------------------------------------- */

#define PAIR_COLUMNS                                                                   \
    "p.a, p.b, p.outcome, p.rule, p.score, p.evidence,"                                \
    " (SELECT verdict FROM dedup_decision d WHERE d.a = p.a AND d.b = p.b"            \
    "  ORDER BY d.id DESC LIMIT 1)"

static int each_pair(wn_project *p, sqlite3_stmt *s,
                     int (*fn)(void *ctx, const wn_dedup_pair *pair), void *ctx)
{
    int rc = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        wn_dedup_pair pair = {
            sqlite3_column_int64(s, 0),
            sqlite3_column_int64(s, 1),
            (const char *)sqlite3_column_text(s, 2),
            (const char *)sqlite3_column_text(s, 3),
            sqlite3_column_double(s, 4),
            (const char *)sqlite3_column_text(s, 5),
            (const char *)sqlite3_column_text(s, 6),
        };
        if ((rc = fn(ctx, &pair)) != 0)
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read duplicate pairs");
    sqlite3_finalize(s);
    return rc;
}

int wn_dedup_explain(wn_project *p, int64_t id, int64_t *unit,
                     int (*fn)(void *ctx, const wn_dedup_pair *pair), void *ctx)
{
    int rc = record_exists(p, id);
    if (rc)
        return rc;
    if ((rc = wn_unit_of_record(p, id, unit)) != 0)
        return rc;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db,
                           "WITH m(id) AS (SELECT record_id FROM cluster_member"
                           "  WHERE cluster_id = ?1 UNION SELECT ?2)"
                           " SELECT " PAIR_COLUMNS " FROM dedup_pair p"
                           " WHERE p.a IN m OR p.b IN m"
                           " ORDER BY p.outcome != 'duplicate', p.outcome, p.a, p.b",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read duplicate pairs");
    sqlite3_bind_int64(s, 1, *unit);
    sqlite3_bind_int64(s, 2, id);
    return each_pair(p, s, fn, ctx);
}

#define REVIEW_WHERE                                                                   \
    " FROM dedup_pair p WHERE p.outcome = 'possible'"                                  \
    " AND NOT EXISTS (SELECT 1 FROM dedup_decision d WHERE d.a = p.a AND d.b = p.b)"  \
    " AND COALESCE((SELECT cluster_id FROM cluster_member WHERE record_id = p.a), p.a)" \
    " != COALESCE((SELECT cluster_id FROM cluster_member WHERE record_id = p.b), p.b)"

int wn_dedup_review_each(wn_project *p, int (*fn)(void *ctx, const wn_dedup_pair *pair),
                         void *ctx)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db, "SELECT " PAIR_COLUMNS REVIEW_WHERE " ORDER BY p.a, p.b",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read duplicate pairs");
    return each_pair(p, s, fn, ctx);
}

int dd_review_count(wn_project *p, int64_t *n)
{
    sqlite3_stmt *s;
    *n = 0;
    if (sqlite3_prepare_v2(p->db, "SELECT count(*)" REVIEW_WHERE, -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read duplicate pairs");
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : wn_db_fail(p, "cannot read duplicate pairs");
}

int wn_clusters_each(wn_project *p,
                     int (*fn)(void *ctx, int64_t record_id, const char *source_ref,
                               int64_t cluster),
                     void *ctx)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT r.id, r.source_ref, COALESCE(m.cluster_id, r.id)"
                           " FROM record r LEFT JOIN cluster_member m ON m.record_id = r.id"
                           " ORDER BY r.id",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read clusters");
    int rc = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if ((rc = fn(ctx, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
                     sqlite3_column_int64(s, 2))) != 0)
            break;
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read clusters");
    sqlite3_finalize(s);
    return rc;
}
