/* Internal: the project handle, cached statements and transactions. */
#ifndef WINNOW_DB_H
#define WINNOW_DB_H

#include <sqlite3.h>

#include "winnow/buf.h"
#include "winnow/project.h"

/* Every statement the store runs, prepared once per handle. */
typedef enum wn_stmt_id {
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_META_GET,
    ST_META_SET,
    ST_AUDIT_LAST,
    ST_AUDIT_INSERT,
    ST_SOURCE_INSERT,
    ST_SOURCE_FINISH,
    ST_SOURCE_SEEN,
    ST_SOURCE_BY_NAME,
    ST_SOURCE_BY_ID,
    ST_TEXT_INSERT,
    ST_TEXT_GET,
    ST_RECORD_INSERT,
    ST_EXTRA_INSERT,
    ST_WARNING_INSERT,
    ST_RECORD_GET,
    ST_EXTRAS_GET,
    ST_COUNT
} wn_stmt_id;

struct wn_project {
    sqlite3 *db;
    char *path;
    wn_err err;
    sqlite3_stmt *stmt[ST_COUNT];
    wn_buf scratch;
    /* strings handed out by wn_record_load's meta, valid until next call */
    char *meta_source, *meta_file;
    /* decision seals computed in this transaction, not yet written (ledger/) */
    struct wn_ledger *ledger;
};

/* The decoded input is stored in slices of this size (source_text). */
#define WN_TEXT_CHUNK (1u << 20)

/* Current UTC time as ISO 8601 with milliseconds ("2026-11-25T14:10:03.123Z"). */
void wn_utc_now(char out[32]);

/* The cached statement, reset and unbound; NULL (with p->err set) on error. */
sqlite3_stmt *wn_stmt(wn_project *p, wn_stmt_id id);
/* Resets every cached statement (releasing the locks a finished read holds). */
void wn_stmts_reset(wn_project *p);
/* Sets p->err from sqlite's message, prefixed with what was being done. */
int wn_db_fail(wn_project *p, const char *doing);
/* Runs constant SQL without results. */
int wn_db_exec(wn_project *p, const char *sql);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
int wn_tx_begin(wn_project *p);
int wn_tx_commit(wn_project *p);
void wn_tx_rollback(wn_project *p);

/* Appends the audit row of a changing command (inside its transaction).
 * inputs_json may be NULL ("[]"). */
int wn_audit_append(wn_project *p, const wn_actor *actor, const char *inputs_json,
                    const char *summary);
/* Ends a changing command's transaction: when rc is 0, appends its audit row
 * and commits; after any failure (rc's, or the append's or commit's) rolls
 * back, so the project is as it was. Returns the first failure, or 0. */
int wn_tx_finish(wn_project *p, int rc, const wn_actor *actor, const char *inputs_json,
                 const char *summary);

/* Binds helpers: text may be NULL (binds NULL). */
int wn_bind_text(sqlite3_stmt *s, int idx, const char *text, size_t len);

#endif
