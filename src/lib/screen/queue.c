/* One reviewer's screening queue, the reasons they use, and highlight terms.
 *
 * Every query here is filtered on the reviewer: the queue is blinded and
 * never reads another reviewer's votes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "winnow/screen_queue.h"

static int valid_stage(const char *s) { return s && (!strcmp(s, "ta") || !strcmp(s, "ft")); }

static int bad_stage(wn_project *p, const char *stage)
{
    return wn_err_set(&p->err, WN_EINVAL, "unknown stage '%s' (ta or ft)", stage ? stage : "");
}

int wn_queue_order_parse(const char *s, wn_queue_order *out)
{
    static const char *const names[] = {"assigned", "random", "oldest-first"};
    for (int i = 0; s && i < 3; i++)
        if (!strcmp(s, names[i])) {
            *out = (wn_queue_order)i;
            return 0;
        }
    return WN_EINVAL;
}

/* Owned copy of a text column, or NULL for SQL NULL. Sets *oom on failure. */
static char *column_dup(sqlite3_stmt *s, int col, int *oom)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    if (!t)
        return NULL;
    char *c = wn_strdup(t);
    if (!c)
        *oom = 1;
    return c;
}

static void item_clear_decision(wn_queue_item *it)
{
    free(it->decision);
    free(it->reason);
    free(it->note);
    it->decision = it->reason = it->note = NULL;
}

/* The reviewer's newest vote on (stage, unit): the same rule everywhere. */
#define NEWEST_VOTE                                                                      \
    "(SELECT max(x.id) FROM decision x WHERE x.stage = a.stage AND x.unit_id = a.unit_id" \
    " AND x.reviewer = a.reviewer AND x.kind = 'vote')"

static int reviewer_known(wn_project *p, const char *reviewer)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db, "SELECT 1 FROM reviewer WHERE handle = ?", -1, &s, NULL) !=
        SQLITE_OK)
        return wn_db_fail(p, "cannot read reviewers");
    sqlite3_bind_text(s, 1, reviewer, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    sqlite3_finalize(s);
    if (step == SQLITE_ROW)
        return 0;
    if (step == SQLITE_DONE)
        return wn_err_set(&p->err, WN_ENOTFOUND, "unknown reviewer '%s' in '%s'", reviewer,
                          p->path);
    return wn_db_fail(p, "cannot read reviewers");
}

/* Prepares sql with ?1 bound to stage and ?2 to reviewer (both borrowed
 * for the statement's life). */
static int prepare_for(wn_project *p, const char *sql, const char *stage, const char *reviewer,
                       const char *doing, sqlite3_stmt **s)
{
    if (sqlite3_prepare_v2(p->db, sql, -1, s, NULL) != SQLITE_OK)
        return wn_db_fail(p, doing);
    sqlite3_bind_text(*s, 1, stage, -1, SQLITE_STATIC);
    sqlite3_bind_text(*s, 2, reviewer, -1, SQLITE_STATIC);
    return 0;
}

/* A stable pseudo-random key per unit, seeded by reviewer and stage, so a
 * shuffled queue comes back in the same order after a restart. */
static uint64_t shuffle_key(uint64_t seed, int64_t unit_id)
{
    uint64_t z = seed ^ ((uint64_t)unit_id * 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static uint64_t seed_of(const char *stage, const char *reviewer)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    for (const char *s = reviewer; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    h = (h ^ '/') * 0x100000001b3u;
    for (const char *s = stage; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return h;
}

typedef struct keyed {
    uint64_t key;
    wn_queue_item item;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->item.unit_id > y->item.unit_id) - (x->item.unit_id < y->item.unit_id);
}

int wn_queue_load(wn_project *p, const char *stage, const char *reviewer,
                  wn_queue_order order, wn_queue *q)
{
    q->items = NULL;
    q->n = 0;
    if (!valid_stage(stage))
        return bad_stage(p, stage);
    int rc = reviewer_known(p, reviewer);
    if (rc)
        return rc;
    /* ?3 picks the order: 0 assignment, 2 year (unknown last); random is
     * applied below. At ft a unit is a report, described by its unit. */
    /* Years are grouped once for the whole project (only for that order):
     * a lookup per unit through the unit_member view would scan it each time. */
    static const char sql[] =
        "WITH years AS ("
        "  SELECT um.unit_id, min(rec.year) AS y"
        "  FROM unit_member um JOIN record rec ON rec.id = um.record_id"
        "  WHERE ?3 = 2 GROUP BY um.unit_id)"
        " SELECT a.unit_id, COALESCE(r.unit_id, a.unit_id), d.decision, d.reason, d.note,"
        "  r.status, r.location,"
        "  CASE WHEN ?3 = 2 THEN COALESCE(yr.y, 99999) ELSE 0 END AS y"
        " FROM assignment a"
        " LEFT JOIN decision d ON d.id = " NEWEST_VOTE
        " LEFT JOIN report r ON a.stage = 'ft' AND r.id = a.unit_id"
        " LEFT JOIN years yr ON yr.unit_id = COALESCE(r.unit_id, a.unit_id)"
        " WHERE a.stage = ?1 AND a.reviewer = ?2"
        " ORDER BY y, CASE WHEN ?3 = 0 THEN a.assigned_at END, a.unit_id";
    sqlite3_stmt *s;
    if ((rc = prepare_for(p, sql, stage, reviewer, "cannot read the screening queue", &s)))
        return rc;
    sqlite3_bind_int(s, 3, (int)order);
    keyed *rows = NULL;
    size_t n = 0, cap = 0;
    uint64_t seed = seed_of(stage, reviewer);
    int step, oom = 0;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            keyed *grown = realloc(rows, ncap * sizeof *rows);
            if (!grown) {
                oom = 1;
                break;
            }
            rows = grown;
            cap = ncap;
        }
        keyed *k = &rows[n++];
        memset(k, 0, sizeof *k);
        k->item.unit_id = sqlite3_column_int64(s, 0);
        k->item.record_unit = sqlite3_column_int64(s, 1);
        k->item.decision = column_dup(s, 2, &oom);
        k->item.reason = column_dup(s, 3, &oom);
        k->item.note = column_dup(s, 4, &oom);
        k->item.retrieval = column_dup(s, 5, &oom);
        k->item.location = column_dup(s, 6, &oom);
        k->key = order == WN_ORDER_RANDOM ? shuffle_key(seed, k->item.unit_id) : n;
    }
    sqlite3_finalize(s);
    if (!oom && step != SQLITE_DONE && step != SQLITE_ROW)
        rc = wn_db_fail(p, "cannot read the screening queue");
    else if (oom)
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory reading the screening queue");
    q->items = n ? malloc(n * sizeof *q->items) : NULL;
    if (!rc && n && !q->items)
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory reading the screening queue");
    if (!rc && order == WN_ORDER_RANDOM)
        qsort(rows, n, sizeof *rows, by_key);
    for (size_t i = 0; i < n; i++) {
        if (!rc) {
            q->items[i] = rows[i].item;
            continue;
        }
        item_clear_decision(&rows[i].item);
        free(rows[i].item.retrieval);
        free(rows[i].item.location);
    }
    free(rows);
    if (rc) {
        free(q->items);
        q->items = NULL;
        return rc;
    }
    q->n = n;
    return 0;
}

int wn_queue_refresh(wn_project *p, const char *stage, const char *reviewer,
                     wn_queue_item *it)
{
    static const char sql[] =
        "SELECT d.decision, d.reason, d.note FROM decision d"
        " WHERE d.stage = ?1 AND d.reviewer = ?2 AND d.unit_id = ?3 AND d.kind = 'vote'"
        " ORDER BY d.id DESC LIMIT 1";
    sqlite3_stmt *s;
    int rc = prepare_for(p, sql, stage, reviewer, "cannot read decisions", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 3, it->unit_id);
    item_clear_decision(it);
    int step = sqlite3_step(s), oom = 0;
    if (step == SQLITE_ROW) {
        it->decision = column_dup(s, 0, &oom);
        it->reason = column_dup(s, 1, &oom);
        it->note = column_dup(s, 2, &oom);
    } else if (step != SQLITE_DONE) {
        rc = wn_db_fail(p, "cannot read decisions");
    }
    sqlite3_finalize(s);
    if (oom) {
        item_clear_decision(it);
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory reading decisions");
    }
    return rc;
}

size_t wn_queue_decided(const wn_queue *q)
{
    size_t n = 0;
    for (size_t i = 0; i < q->n; i++)
        n += q->items[i].decision != NULL;
    return n;
}

void wn_queue_free(wn_queue *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n; i++) {
        item_clear_decision(&q->items[i]);
        free(q->items[i].retrieval);
        free(q->items[i].location);
    }
    free(q->items);
    q->items = NULL;
    q->n = 0;
}

void wn_strings_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* Appends an owned copy of s to *v; returns 0 or WN_ENOMEM. */
static int strings_push(char ***v, size_t *n, size_t *cap, const char *s)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        char **grown = realloc(*v, ncap * sizeof **v);
        if (!grown)
            return WN_ENOMEM;
        *v = grown;
        *cap = ncap;
    }
    if (!((*v)[*n] = wn_strdup(s)))
        return WN_ENOMEM;
    (*n)++;
    return 0;
}

int wn_queue_reasons(wn_project *p, const char *stage, const char *reviewer, char ***out,
                     size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!valid_stage(stage))
        return bad_stage(p, stage);
    /* The stage's list first, then reasons only this reviewer has typed. */
    static const char sql[] =
        "SELECT reason FROM ("
        "  SELECT reason, 0 AS k, ord AS o FROM exclusion_reason WHERE stage = ?1"
        "  UNION ALL"
        "  SELECT reason, 1, min(id) FROM decision"
        "  WHERE stage = ?1 AND reviewer = ?2 AND reason IS NOT NULL AND reason <> ''"
        "  GROUP BY reason)"
        " GROUP BY reason ORDER BY min(k * 4611686018427387904 + o)";
    sqlite3_stmt *s;
    int step, rc = prepare_for(p, sql, stage, reviewer, "cannot read reasons", &s);
    if (rc)
        return rc;
    size_t cap = 0;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW)
        rc = strings_push(out, n, &cap, (const char *)sqlite3_column_text(s, 0));
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read reasons");
    else if (rc)
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory reading reasons");
    sqlite3_finalize(s);
    if (rc) {
        wn_strings_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int wn_highlight_terms_set(wn_project *p, const char *kind, const char *const *terms, size_t n,
                      const wn_actor *actor)
{
    if (!kind || (strcmp(kind, "include") && strcmp(kind, "exclude")))
        return wn_err_set(&p->err, WN_EINVAL, "unknown highlight kind '%s' (include or exclude)",
                          kind ? kind : "");
    int rc = wn_tx_begin(p);
    if (rc)
        return rc;
    sqlite3_stmt *del = NULL, *ins = NULL;
    if (sqlite3_prepare_v2(p->db, "DELETE FROM highlight_term WHERE kind = ?", -1, &del, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(p->db,
                           "INSERT OR IGNORE INTO highlight_term(kind, term, added_at)"
                           " VALUES (?, ?, ?)",
                           -1, &ins, NULL) != SQLITE_OK) {
        rc = wn_db_fail(p, "cannot set highlight terms");
        goto done;
    }
    sqlite3_bind_text(del, 1, kind, -1, SQLITE_STATIC);
    if (sqlite3_step(del) != SQLITE_DONE) {
        rc = wn_db_fail(p, "cannot set highlight terms");
        goto done;
    }
    char at[32];
    wn_utc_now(at);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (!terms[i] || !*terms[i])
            continue;
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, terms[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, at, -1, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            rc = wn_db_fail(p, "cannot set highlight terms");
            goto done;
        }
        kept++;
    }
    char summary[128];
    snprintf(summary, sizeof summary, "%zu %s highlight terms set", kept, kind);
    rc = wn_audit_append(p, actor, NULL, summary);
done:
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    if (!rc)
        rc = wn_tx_commit(p);
    if (rc)
        wn_tx_rollback(p);
    return rc;
}

int wn_highlight_terms_each(wn_project *p,
                       int (*fn)(void *ctx, const char *kind, const char *term), void *ctx)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db, "SELECT kind, term FROM highlight_term ORDER BY kind, term", -1,
                           &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read highlight terms");
    int step, rc = 0;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW)
        rc = fn(ctx, (const char *)sqlite3_column_text(s, 0),
                (const char *)sqlite3_column_text(s, 1));
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read highlight terms");
    sqlite3_finalize(s);
    return rc;
}
