/* Seals: the hash chains over the audit log and the decisions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "ledger/ledger.h"
#include "store/db.h"

static void hex(const unsigned char *md, unsigned n, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n && i < 32; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[64] = '\0';
}

/* Each part as its length, a colon and its bytes ("3:abc"), a NULL part as
 * "-": no two lists of parts give the same bytes, whatever they contain. */
void wn_ledger_hash(const char *const *parts, size_t n, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(ctx);
        memset(out, '0', 64);
        out[64] = '\0';
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (!parts[i]) {
            EVP_DigestUpdate(ctx, "-", 1);
            continue;
        }
        size_t part_len = strlen(parts[i]);
        char prefix[24];
        int k = snprintf(prefix, sizeof prefix, "%zu:", part_len);
        EVP_DigestUpdate(ctx, prefix, (size_t)k);
        EVP_DigestUpdate(ctx, parts[i], part_len);
    }
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    hex(md, len, out);
}

void wn_ledger_audit_hash(const char *const fields[WN_AUDIT_HASHED], char out[65])
{
    wn_ledger_hash(fields, WN_AUDIT_HASHED, out);
}

/* ---- decision seals ----------------------------------------------------- */

/* One connection's decisions inserted in its current transaction (heard
 * through sqlite's update hook), to be sealed by the transaction's audit
 * entry. Only ids are kept: the seals are
 * computed from the rows as they stand at that point, so a row whose
 * statement was undone is simply not found. */
struct wn_ledger {
    sqlite3_int64 *ids;
    size_t n, cap;
    int failed; /* out of memory while noting */
};

static void drop_pending(void *arg)
{
    struct wn_ledger *l = arg;
    l->n = 0;
    l->failed = 0;
}

/* A transaction that commits without an audit entry leaves its decisions
 * unsealed: the next transaction's entry must not seal them. */
static int drop_at_commit(void *arg)
{
    drop_pending(arg);
    return 0; /* let the commit go on */
}

/* Notes each row this connection inserts into decision. */
static void note_insert(void *arg, int op, const char *db, const char *table,
                        sqlite3_int64 rowid)
{
    struct wn_ledger *l = arg;
    (void)db;
    if (op != SQLITE_INSERT || strcmp(table, "decision") != 0 || l->failed)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        sqlite3_int64 *grown = realloc(l->ids, cap * sizeof *grown);
        if (!grown) {
            l->failed = 1; /* reported when the seals are written */
            return;
        }
        l->ids = grown;
        l->cap = cap;
    }
    l->ids[l->n++] = rowid;
}

struct wn_ledger *wn_ledger_new(sqlite3 *db)
{
    struct wn_ledger *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    sqlite3_update_hook(db, note_insert, l);
    sqlite3_rollback_hook(db, drop_pending, l);
    sqlite3_commit_hook(db, drop_at_commit, l);
    return l;
}

void wn_ledger_free(struct wn_ledger *l)
{
    if (!l)
        return;
    free(l->ids);
    free(l);
}

static int by_id(const void *a, const void *b)
{
    sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
    return (x > y) - (x < y);
}

/* Seals the noted decisions in id order, each chained onto the seal before
 * it, the way `audit verify` recomputes them. */
static int write_pending(wn_project *p, struct wn_ledger *l)
{
    if (!l)
        return 0;
    if (l->failed) {
        drop_pending(l);
        return wn_err_set(&p->err, WN_ENOMEM, "out of memory sealing the decisions");
    }
    if (!l->n)
        return 0;
    qsort(l->ids, l->n, sizeof *l->ids, by_id);
    sqlite3_stmt *head = NULL, *row = NULL, *ins = NULL;
    int rc = 0;
    char prev[65] = "";
    if (sqlite3_prepare_v2(p->db,
                           "SELECT hash FROM decision_seal ORDER BY decision_id DESC LIMIT 1",
                           -1, &head, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p->db,
                           "SELECT id, stage, unit_id, reviewer, kind, decision, reason, note, at"
                           " FROM decision WHERE id BETWEEN ? AND ? ORDER BY id",
                           -1, &row, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p->db, "INSERT INTO decision_seal(decision_id, hash) VALUES (?, ?)",
                           -1, &ins, NULL) != SQLITE_OK) {
        rc = wn_db_fail(p, "cannot seal the decisions");
        goto done;
    }
    int step = sqlite3_step(head);
    if (step == SQLITE_ROW)
        snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(head, 0));
    else if (step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read the decision seals");
    /* One pass over the id range, merged with the noted ids (sorted). */
    sqlite3_bind_int64(row, 1, l->ids[0]);
    sqlite3_bind_int64(row, 2, l->ids[l->n - 1]);
    size_t next = 0;
    while (!rc && next < l->n && (step = sqlite3_step(row)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(row, 0);
        while (next < l->n && l->ids[next] < id)
            next++; /* noted, but its statement was undone */
        if (next == l->n || l->ids[next] != id)
            continue; /* not this connection's: left unsealed */
        const char *parts[10];
        parts[0] = prev[0] ? prev : NULL;
        for (int k = 0; k < 9; k++)
            parts[1 + k] = (const char *)sqlite3_column_text(row, k);
        wn_ledger_hash(parts, 10, prev);
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, id);
        sqlite3_bind_text(ins, 2, prev, 64, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE)
            rc = wn_db_fail(p, "cannot seal the decisions");
    }
    if (!rc && step != SQLITE_ROW && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot seal the decisions");
done:
    sqlite3_finalize(head);
    sqlite3_finalize(row);
    sqlite3_finalize(ins);
    drop_pending(l);
    return rc;
}

int wn_ledger_seal_now(wn_project *p, char *out, size_t cap)
{
    out[0] = '\0';
    int rc = write_pending(p, p->ledger);
    if (rc)
        return rc;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT decision_id, hash FROM decision_seal"
                           " ORDER BY decision_id DESC LIMIT 1",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read the decision seals");
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        snprintf(out, cap, "decision %lld %s", (long long)sqlite3_column_int64(s, 0),
                 (const char *)sqlite3_column_text(s, 1));
    sqlite3_finalize(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
                                                 : wn_db_fail(p, "cannot read the decision seals");
}
