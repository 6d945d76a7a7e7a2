/* winnow — the audit trail: proving the ledger complete and unaltered, and
 * reading who did what.
 *
 * Every changing command appends one audit entry in its own transaction: the
 * time, the actor, winnow's version, the command line, the hashes of its
 * input and rule files, a summary, and the head of the decision chain. Each
 * entry's hash covers the previous entry's hash and all of its own fields;
 * each decision row is sealed by a trigger the same way. wn_audit_verify
 * recomputes both chains and names every entry or decision that was edited,
 * deleted, reordered or added behind winnow's back.
 *
 * A hash chain kept inside the file proves nothing against someone who
 * rewrites the whole chain: keep the head that verify reports (a bundle's
 * manifest records it) somewhere else to anchor it. */
#ifndef WINNOW_AUDIT_H
#define WINNOW_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "winnow/project.h"

struct sqlite3;

/* What verification found. Problems are one line each, naming the audit
 * entry ("audit entry 12 ...") or decision ("decision 812 ...") at fault. */
typedef struct wn_audit_report {
    int64_t entries;   /* audit entries read */
    int64_t decisions; /* decisions read */
    char head[65];     /* hash of the last audit entry ("" when none) */
    char **problems;   /* owned */
    size_t n_problems;
} wn_audit_report;

/* Recomputes the audit chain and the decision seals into *out (zeroed
 * first; release with wn_audit_report_free even on failure). Returns 0 when
 * the ledger is intact, WN_EINVAL when problems were found (the handle's
 * message names the first), other WN_E* codes on database errors. */
int wn_audit_verify(wn_project *p, wn_audit_report *out);
void wn_audit_report_free(wn_audit_report *r);

/* Adds the SQL function winnow's triggers call (wn_seal_decision) to a
 * connection opened on a project file with sqlite directly, so that rows
 * can be inserted at all (tests arranging another stage's rows, tools).
 * Decisions inserted that way carry no seal: only a winnow command's audit
 * entry seals them, so `winnow audit verify` reports them. */
int wn_audit_sql_functions(struct sqlite3 *db);

/* ---- the log ---------------------------------------------------------- */

typedef struct wn_log_filter {
    const char *actor; /* NULL: everyone */
    const char *stage; /* "ta", "ft", or a command name ("import", "dedup");
                          NULL: all */
    const char *since; /* ISO 8601 prefix compared as text ("2023-11-02");
                          NULL: from the start */
} wn_log_filter;

/* Calls fn for each audit entry matching f, oldest first. The row is valid
 * only during the call; a non-zero return from fn stops and is returned. */
int wn_log_each(wn_project *p, const wn_log_filter *f,
                int (*fn)(void *ctx, const wn_audit_row *a), void *ctx);

/* The command name of an entry: argv[1] of its command line after the
 * global options ("import"), or the command text itself ("init"). Writes
 * at most cap bytes to out. */
void wn_audit_command_name(const char *command_json, char *out, size_t cap);

/* ---- one record's path -------------------------------------------------- */

/* One step of a record's path through the review. */
typedef struct wn_history_event {
    const char *at;    /* when, ISO 8601 (NULL when the step has no time) */
    const char *stage; /* import, dedup, rules, ta, fulltext, ft */
    const char *text;  /* one line for people */
} wn_history_event;

/* Calls fn with every step of record_id's path, in pipeline order: where it
 * was imported from (file and line), the unit it is in and with which
 * records, the rule that excluded it (or the criteria it passed), its
 * assignments, votes and resolutions at each stage, and its full-text
 * reports. *unit_id gets the record's unit. WN_ENOTFOUND for an unknown
 * record. Stages a project has not reached give no steps. */
int wn_record_history(wn_project *p, int64_t record_id, int64_t *unit_id,
                      int (*fn)(void *ctx, const wn_history_event *e), void *ctx);

#endif
