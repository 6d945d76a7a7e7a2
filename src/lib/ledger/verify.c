/* `winnow audit verify`: recomputes the audit chain and the decision seals
 * and names whatever no longer matches. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger.h"
#include "store/db.h"
#include "winnow/audit.h"
#include "winnow/text.h"

enum { MAX_PROBLEMS = 200 };

static const char *col(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    return t ? t : "";
}

static int add_line(wn_audit_report *r, const char *line)
{
    char **grown = realloc(r->problems, (r->n_problems + 1) * sizeof *grown);
    if (!grown)
        return WN_ENOMEM;
    r->problems = grown;
    if (!(r->problems[r->n_problems] = wn_strdup(line)))
        return WN_ENOMEM;
    r->n_problems++;
    return 0;
}

/* Adds one problem line; past MAX_PROBLEMS they are only counted. */
static int problem(wn_audit_report *r, size_t *dropped, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int problem(wn_audit_report *r, size_t *dropped, const char *fmt, ...)
{
    if (r->n_problems >= MAX_PROBLEMS) {
        (*dropped)++;
        return 0;
    }
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    return add_line(r, line);
}

/* One audit entry's seal: the decision chain's head it recorded. */
typedef struct recorded_head {
    int64_t entry, decision;
    char hash[65];
} recorded_head;

typedef struct verify {
    wn_project *p;
    wn_audit_report *r;
    size_t dropped;
    recorded_head *heads;
    size_t n_heads, cap_heads;
} verify;

static int keep_head(verify *v, int64_t entry, const char *seal)
{
    long long id;
    char hash[65];
    if (!*seal)
        return 0;
    if (sscanf(seal, "decision %lld %64s", &id, hash) != 2 || strlen(hash) != 64)
        return problem(v->r, &v->dropped, "audit entry %lld has a malformed seal '%.80s'",
                       (long long)entry, seal);
    if (v->n_heads == v->cap_heads) {
        size_t cap = v->cap_heads ? v->cap_heads * 2 : 64;
        recorded_head *grown = realloc(v->heads, cap * sizeof *grown);
        if (!grown)
            return WN_ENOMEM;
        v->heads = grown;
        v->cap_heads = cap;
    }
    recorded_head *h = &v->heads[v->n_heads++];
    h->entry = entry;
    h->decision = id;
    memcpy(h->hash, hash, sizeof hash);
    return 0;
}

/* Whether some entry other than `self` has this hash (the entry that should
 * precede `self` is elsewhere: the order was changed). */
static int64_t entry_with_hash(sqlite3 *db, const char *hash, int64_t self)
{
    sqlite3_stmt *s;
    int64_t id = 0;
    if (sqlite3_prepare_v2(db, "SELECT id FROM audit WHERE hash = ? AND id <> ? LIMIT 1", -1,
                           &s, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, self);
    if (sqlite3_step(s) == SQLITE_ROW)
        id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return id;
}

static int check_audit(verify *v)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(v->p->db,
                           "SELECT id, prev_hash, at, actor, version, command, inputs, summary,"
                           " seal, hash FROM audit ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(v->p, "cannot read the audit log");
    char prev[65] = "";
    int64_t prev_id = 0;
    int rc = 0, step;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        const char *fields[WN_AUDIT_HASHED];
        for (int i = 0; i < WN_AUDIT_HASHED; i++)
            fields[i] = col(s, 1 + i);
        const char *stored = col(s, 9);
        char want[65];
        wn_ledger_audit_hash(fields, want);
        v->r->entries++;
        if (id != prev_id + 1)
            rc = problem(v->r, &v->dropped,
                         id == prev_id + 2 ? "audit entry %lld is missing (deleted)"
                                           : "audit entries %lld to %lld are missing (deleted)",
                         (long long)prev_id + 1, (long long)id - 1);
        if (!rc && strcmp(want, stored) != 0)
            rc = problem(v->r, &v->dropped,
                         "audit entry %lld was edited: its contents no longer match its hash",
                         (long long)id);
        if (!rc && strcmp(fields[0], prev) != 0 && id == prev_id + 1) {
            int64_t before = entry_with_hash(v->p->db, fields[0], id);
            if (before)
                rc = problem(v->r, &v->dropped,
                             "audit entry %lld is out of order: it was written after entry %lld",
                             (long long)id, (long long)before);
            else
                rc = problem(v->r, &v->dropped,
                             "audit entry %lld does not follow entry %lld: the chain was cut "
                             "or rewritten before it",
                             (long long)id, (long long)prev_id);
        }
        if (!rc)
            rc = keep_head(v, id, fields[7]);
        snprintf(prev, sizeof prev, "%s", stored);
        snprintf(v->r->head, sizeof v->r->head, "%s", stored);
        prev_id = id;
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(v->p, "cannot read the audit log");
    sqlite3_finalize(s);
    return rc;
}

/* Walks the seals in order, recomputing each from the one before and the
 * decision's fields. */
static int check_decisions(verify *v, int64_t *last_id, char last_hash[65])
{
    sqlite3_stmt *s;
    *last_id = 0;
    last_hash[0] = '\0';
    if (sqlite3_prepare_v2(v->p->db,
                           "SELECT s.decision_id, s.hash, d.id, d.stage, d.unit_id, d.reviewer,"
                           " d.kind, d.decision, d.reason, d.note, d.at FROM decision_seal s"
                           " LEFT JOIN decision d ON d.id = s.decision_id"
                           " ORDER BY s.decision_id",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(v->p, "cannot read the decisions");
    int rc = 0, step, first = 1;
    char prev[65] = "";
    int64_t prev_id = 0;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        const char *stored = col(s, 1);
        if (sqlite3_column_type(s, 2) == SQLITE_NULL) {
            rc = problem(v->r, &v->dropped, "decision %lld was deleted (its seal remains)",
                         (long long)id);
        } else {
            char idtext[24];
            snprintf(idtext, sizeof idtext, "%lld", (long long)id);
            const char *parts[10] = {first ? NULL : prev, idtext};
            for (int i = 0; i < 8; i++)
                parts[2 + i] = (const char *)sqlite3_column_text(s, 3 + i);
            char want[65];
            wn_ledger_hash(parts, 10, want);
            v->r->decisions++;
            if (strcmp(want, stored) != 0) {
                if (!first && id != prev_id + 1)
                    rc = problem(v->r, &v->dropped,
                                 id == prev_id + 2
                                     ? "decision %lld was deleted (with its seal)"
                                     : "decisions %lld to %lld were deleted (with their seals)",
                                 (long long)prev_id + 1, (long long)id - 1);
                else
                    rc = problem(v->r, &v->dropped,
                                 "decision %lld was changed: it no longer matches its seal "
                                 "(edited, moved, or its seal rewritten)",
                                 (long long)id);
            }
        }
        snprintf(prev, sizeof prev, "%s", stored);
        prev_id = id;
        first = 0;
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(v->p, "cannot read the decisions");
    sqlite3_finalize(s);
    if (rc)
        return rc;
    *last_id = prev_id;
    snprintf(last_hash, 65, "%s", prev);

    /* Decisions added with the triggers dropped have no seal. */
    if (sqlite3_prepare_v2(v->p->db,
                           "SELECT d.id FROM decision d WHERE NOT EXISTS"
                           " (SELECT 1 FROM decision_seal s WHERE s.decision_id = d.id)"
                           " ORDER BY d.id",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(v->p, "cannot read the decisions");
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
        v->r->decisions++;
        rc = problem(v->r, &v->dropped,
                     "decision %lld has no seal: it was added outside winnow",
                     (long long)sqlite3_column_int64(s, 0));
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(v->p, "cannot read the decisions");
    sqlite3_finalize(s);
    return rc;
}

/* Each audit entry's recorded head must still be in the chain, and the
 * newest must be the chain's end. */
static int check_heads(verify *v, int64_t last_id, const char *last_hash)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(v->p->db, "SELECT hash FROM decision_seal WHERE decision_id = ?",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(v->p, "cannot read the decisions");
    int rc = 0;
    int64_t seen = 0;
    for (size_t i = 0; i < v->n_heads && !rc; i++) {
        const recorded_head *h = &v->heads[i];
        /* Entries without decisions repeat the head before them. */
        if (i && h->decision == v->heads[i - 1].decision &&
            !strcmp(h->hash, v->heads[i - 1].hash))
            continue;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, h->decision);
        int step = sqlite3_step(s);
        if (step == SQLITE_ROW) {
            if (strcmp(col(s, 0), h->hash) != 0)
                rc = problem(v->r, &v->dropped,
                             "audit entry %lld recorded another seal for decision %lld: the "
                             "decisions up to it were rewritten",
                             (long long)h->entry, (long long)h->decision);
        } else if (step == SQLITE_DONE) {
            rc = problem(v->r, &v->dropped,
                         "audit entry %lld recorded decision %lld, which is gone (deleted)",
                         (long long)h->entry, (long long)h->decision);
        } else {
            rc = wn_db_fail(v->p, "cannot read the decisions");
        }
        seen = h->decision;
    }
    sqlite3_finalize(s);
    if (!rc && last_id > seen)
        rc = problem(v->r, &v->dropped,
                     last_id == seen + 1
                         ? "decision %lld was added after the last audit entry (outside winnow)"
                         : "decisions %lld to %lld were added after the last audit entry "
                           "(outside winnow)",
                     (long long)seen + 1, (long long)last_id);
    (void)last_hash;
    return rc;
}

int wn_audit_verify(wn_project *p, wn_audit_report *out)
{
    memset(out, 0, sizeof *out);
    verify v = {p, out, 0, NULL, 0, 0};
    int64_t last_id;
    char last_hash[65];
    /* One read snapshot for both chains. */
    int rc = wn_db_exec(p, "BEGIN");
    if (rc)
        return rc;
    if (!(rc = check_audit(&v)) && !(rc = check_decisions(&v, &last_id, last_hash)))
        rc = check_heads(&v, last_id, last_hash);
    wn_db_exec(p, "COMMIT");
    free(v.heads);
    if (!rc && v.dropped) {
        char line[64];
        snprintf(line, sizeof line, "... and %zu more problems", v.dropped);
        rc = add_line(out, line);
    }
    if (rc == WN_ENOMEM)
        return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    if (rc)
        return rc;
    if (out->n_problems)
        return wn_err_set(&p->err, WN_EINVAL, "the ledger of '%s' was altered: %s", p->path,
                          out->problems[0]);
    return 0;
}

void wn_audit_report_free(wn_audit_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_problems; i++)
        free(r->problems[i]);
    free(r->problems);
    r->problems = NULL;
    r->n_problems = 0;
}
