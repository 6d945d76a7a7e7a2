/* Cost of sealing decisions: N decision rows inserted in one transaction
 * with its audit entry (which seals them), and (for comparison) with the
 * sealing switched off, then the time `audit verify` takes to recompute
 * the chains.
 *
 *   cc -O2 -Iinclude -Isrc/lib bench/ledger_bench.c BUILD/libwinnow.a \
 *      $(pkg-config --libs sqlite3 libxml-2.0 libcjson libpcre2-8 libcurl libcrypto) \
 *      -lpthread -o /tmp/ledger_bench && /tmp/ledger_bench 1000000 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/db.h"
#include "winnow/winnow.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void must(int ok, sqlite3 *db, const char *what)
{
    if (!ok) {
        fprintf(stderr, "%s: %s\n", what, db ? sqlite3_errmsg(db) : "failed");
        exit(1);
    }
}

/* Inserts n decisions in one transaction with its audit entry, as a batch
 * of decisions is written; returns seconds. */
static double insert(const char *path, long n, int sealed)
{
    wn_project *p;
    wn_err err;
    if (wn_project_open(&p, path, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    sqlite3 *db = p->db;
    if (!sealed)
        sqlite3_update_hook(db, NULL, NULL); /* nothing noted, nothing sealed */
    sqlite3_stmt *s;
    must(sqlite3_prepare_v2(db,
                            "INSERT INTO decision(stage, unit_id, reviewer, decision, reason,"
                            " at) VALUES ('ta', ?1, 'alice', ?2, ?3, '2026-01-01T00:00:00.000Z')",
                            -1, &s, NULL) == SQLITE_OK,
         db, "prepare");
    double t0 = now();
    must(wn_tx_begin(p) == 0, db, "begin");
    for (long i = 0; i < n; i++) {
        sqlite3_bind_int64(s, 1, i + 1);
        sqlite3_bind_text(s, 2, i % 3 ? "exclude" : "include", -1, SQLITE_STATIC);
        if (i % 3)
            sqlite3_bind_text(s, 3, "not about mental health", -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(s, 3);
        must(sqlite3_step(s) == SQLITE_DONE, db, "insert");
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    wn_actor actor = {"bench", "alice"};
    must(wn_audit_append(p, &actor, NULL, "decisions") == 0, db, "audit");
    must(wn_tx_commit(p) == 0, db, "commit");
    double t = now() - t0;
    wn_project_close(p);
    return t;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    double t[2] = {0, 0};
    char path[2][64];
    for (int sealed = 0; sealed < 2; sealed++) {
        snprintf(path[sealed], sizeof path[sealed], "/tmp/ledger_bench_%d_%ld.winnow", sealed,
                 (long)getpid());
        wn_project *p;
        wn_err err;
        if (wn_project_create(&p, path[sealed], "bench", &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        wn_actor actor = {"bench", "bench"};
        if (wn_reviewer_add(p, "alice", "Alice", NULL, &actor)) {
            fprintf(stderr, "%s\n", wn_project_errmsg(p));
            return 1;
        }
        wn_project_close(p);
        t[sealed] = insert(path[sealed], n, sealed);
    }
    printf("%ld decisions in one transaction: %.2f s unsealed, %.2f s sealed (+%.1f us each)\n",
           n, t[0], t[1], (t[1] - t[0]) / n * 1e6);
    wn_project *p;
    wn_err err;
    if (wn_project_open(&p, path[1], &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    wn_audit_report r;
    double t0 = now();
    int rc = wn_audit_verify(p, &r);
    printf("audit verify over %lld decisions: %.2f s (%s)\n", (long long)r.decisions,
           now() - t0, rc == 0 ? "intact" : r.n_problems ? r.problems[0] : "error");
    wn_audit_report_free(&r);
    wn_project_close(p);
    for (int i = 0; i < 2; i++) {
        char side[80];
        unlink(path[i]);
        snprintf(side, sizeof side, "%s-wal", path[i]);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path[i]);
        unlink(side);
    }
    return 0;
}
