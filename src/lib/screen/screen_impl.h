/* Internal: what the screening files share. */
#ifndef WINNOW_SCREEN_IMPL_H
#define WINNOW_SCREEN_IMPL_H

#include <stddef.h>

#include "store/db.h"
#include "winnow/screening.h"

int wn_screen_valid_stage(const char *s);
/* Sets p->err for an unknown stage and returns WN_EINVAL. */
int wn_screen_bad_stage(wn_project *p, const char *stage);
/* "include", "exclude" or "maybe" for a word in any case (surrounding
 * blanks ignored), else NULL. */
const char *wn_screen_decision_word(const char *s, size_t len);

/* Starts a write transaction, retrying while another process holds the
 * write lock beyond the busy timeout. */
int wn_screen_begin(wn_project *p);
/* Appends the audit row and commits; rolls back on failure. */
int wn_screen_commit(wn_project *p, const wn_actor *actor, const char *summary);

/* Prepares constant SQL; sets p->err (naming what was being done) on error. */
int wn_screen_prepare(wn_project *p, const char *sql, sqlite3_stmt **s, const char *doing);
/* Steps a statement expected to finish (SQLITE_DONE); resets it. */
int wn_screen_run(wn_project *p, sqlite3_stmt *s, const char *doing);

/* Checks decisions against the project before they are written. Checked
 * decisions are staged in a temporary table and written to `decision` by
 * one statement (wn_checker_flush): a statement per row would copy the
 * pages each row's triggers touch into sqlite's statement journal. */
typedef struct wn_checker {
    wn_project *p;
    char stage[4];
    sqlite3_stmt *is_unit, *is_assigned, *reviewer, *newest, *insert;
    sqlite3_stmt *flush, *assessed, *clear;
    char **reasons;
    size_t n_reasons;
} wn_checker;

int wn_checker_open(wn_checker *c, wn_project *p, const char *stage);
void wn_checker_close(wn_checker *c);
/* 0 if d may be written, with *reason set to the reason to store (a list
 * entry for a list number); otherwise WN_EINVAL or WN_ENOTFOUND with why
 * (no subject prefix) filled. */
int wn_checker_check(wn_checker *c, const wn_decision *d, const char **reason, char *why,
                     size_t why_size);
/* 1 if reviewer's newest vote on unit equals decision, reason and note. */
int wn_checker_unchanged(wn_checker *c, int64_t unit, const char *reviewer,
                         const char *decision, const char *reason, const char *note);
/* Stages d (with reason) at time at; the caller holds the transaction and
 * calls wn_checker_flush before committing. */
int wn_checker_insert(wn_checker *c, const wn_decision *d, const char *reason,
                      const char *at);
/* Appends the staged decisions in the order staged; at "ft" a report still
 * marked sought that got one becomes retrieved (whoever decided had it). */
int wn_checker_flush(wn_checker *c, const char *at);

/* Newest reason list of a stage into c (used by the checker and sheets). */
int wn_screen_load_reasons(wn_project *p, const char *stage, char ***reasons, size_t *n);

/* Creates a sought report (inside the caller's transaction) for every unit
 * included at "ta" that has none; *created gets how many. */
int wn_screen_seek_reports(wn_project *p, const char *at, size_t *created);

#endif
