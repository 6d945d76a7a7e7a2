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

/* ---- the log ---------------------------------------------------------- */

typedef struct wn_log_filter {
    const char *actor; /* a reviewer or user: entries they wrote or that name
                          them (--reviewer R, --by R, a sheet of R); NULL: all */
    const char *stage; /* "ta" or "ft" (commands given --stage S, full-text
                          commands, summaries naming the stage), or a command
                          name ("import", "dedup"); NULL: all */
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

/* ---- bundles ------------------------------------------------------------ */

typedef struct wn_bundle_summary {
    size_t files;  /* input, rule and sheet files bundled */
    int64_t bytes; /* size of the archive */
    char head[65]; /* the audit head the manifest records */
} wn_bundle_summary;

/* Writes a ustar archive to out_path for an auditor:
 *   review/manifest.json     what is inside, the audit head, each file's
 *                            hash and the paths the commands named it by
 *   review/project.winnow    a consistent copy of the project
 *   review/files/SHA256      each file a changing command read: the files
 *                            its command line names and its audit entry's
 *                            inputs, found relative to the working folder
 *                            and checked against the recorded hashes.
 * A recorded input that cannot be found, or no longer has its recorded
 * hash, fails with WN_ENOTFOUND naming it and the audit entry. */
int wn_bundle_write(wn_project *p, const char *out_path, wn_bundle_summary *s);

/* One member of a bundle read back. */
typedef struct wn_bundle_member {
    char *name;
    unsigned char *data;
    size_t len;
} wn_bundle_member;

typedef struct wn_bundle {
    wn_bundle_member *members;
    size_t n;
} wn_bundle;

/* Reads a bundle (any ustar archive of regular files) into memory; checks
 * every header's checksum. Free with wn_bundle_free (also on failure). */
int wn_bundle_read(const char *path, wn_bundle *b, wn_err *err);
/* The member called name, or NULL. */
const wn_bundle_member *wn_bundle_find(const wn_bundle *b, const char *name);
void wn_bundle_free(wn_bundle *b);

/* Gives a fresh project (rebuilding a bundled review) the id of the project
 * it rebuilds, so that the review's sheets, which name their project, apply
 * to it. One transaction with its audit row. */
int wn_rerun_adopt_id(wn_project *p, const char *project_id, const wn_actor *actor);

#endif
