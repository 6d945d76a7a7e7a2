/* winnow — criteria rule files: parsing, evaluation on units, and applying
 * them to a project (the language is described in docs/RULES.md).
 *
 * A compiled rule set (wn_rules) is immutable and owns everything it points
 * to. An evaluator (wn_rules_eval) holds the scratch memory of evaluating
 * one unit at a time; it is not thread-safe, use one per thread (or a
 * wn_rules_batch, which evaluates units on several threads). */
#ifndef WINNOW_RULES_H
#define WINNOW_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "winnow/project.h"
#include "winnow/record.h"

typedef struct wn_rules wn_rules;

typedef enum wn_rule_action {
    WN_RULE_EXCLUDE, /* exclude units for which the condition holds */
    WN_RULE_REQUIRE, /* include only if: exclude units for which it does not */
    WN_RULE_FLAG,    /* a screening hint; excludes nothing */
} wn_rule_action;

/* One rule as written (strings owned by the rule set). */
typedef struct wn_rule_info {
    const char *name;
    const char *reason; /* PRISMA label (exclude/require) or note (flag);
                           the name when the file gives none */
    wn_rule_action action;
    int other;          /* exclusions count as "removed for other reasons" */
    int negative;       /* its matched terms highlight as exclusion terms */
    const char *file;   /* the file it is written in */
    size_t line;
} wn_rule_info;

/* One problem found in a rule file: FILE:LINE:COLUMN: message, with the
 * text of that line (columns count characters, from 1). */
typedef struct wn_rule_diag {
    char *file;
    size_t line, column;
    char *message;
    char *source_line;
} wn_rule_diag;

typedef struct wn_rule_diags {
    wn_rule_diag *items;
    size_t n;
} wn_rule_diags;

void wn_rule_diags_free(wn_rule_diags *d);

/* Reads the file an `include` names (path already joined to the including
 * file's folder): sets *text to an owned buffer of *len bytes. Returns 0 or
 * a WN_E* code (with a message in err). */
typedef int (*wn_rules_read_fn)(void *ctx, const char *path, char **text, size_t *len,
                                wn_err *err);

/* Compiles text (the content of `path`, which names it in diagnostics and
 * anchors its includes). read == NULL reads includes from disk. On a bad
 * file returns WN_EPARSE with every problem found in diags (which the
 * caller frees) and *out NULL. */
int wn_rules_compile(const char *path, const char *text, size_t len, wn_rules_read_fn read,
                     void *read_ctx, wn_rules **out, wn_rule_diags *diags);
/* Reads and compiles the file at path (an unreadable file is one diag). */
int wn_rules_load(const char *path, wn_rules **out, wn_rule_diags *diags);
void wn_rules_free(wn_rules *r);

size_t wn_rules_count(const wn_rules *r);
wn_rule_info wn_rules_info(const wn_rules *r, size_t i);
/* The files read: 0 is the main file, then each include in reading order.
 * Borrowed strings. */
size_t wn_rules_file_count(const wn_rules *r);
void wn_rules_file(const wn_rules *r, size_t i, const char **path, const char **sha256,
                   const char **text);
/* Non-zero when some rule tests `source` (so units need their sources). */
int wn_rules_use_sources(const wn_rules *r);

/* ---- evaluation ------------------------------------------------------ */

/* A matched stretch of a field value: bytes [start, end) of the index-th
 * value of field (for WN_F_EXTRA, of the index-th value among all extras). */
typedef struct wn_rule_span {
    size_t rule;
    wn_field field;
    size_t index;
    size_t start, end;
    int negative; /* highlight as an exclusion term */
} wn_rule_span;

typedef struct wn_rules_eval wn_rules_eval;

/* Returns owned, or NULL when out of memory. r must outlive it. */
wn_rules_eval *wn_rules_eval_new(const wn_rules *r);
void wn_rules_eval_free(wn_rules_eval *e);

enum { WN_RULES_SPANS = 1 }; /* also collect the matched spans */

/* Evaluates every rule on one unit: its merged record and the names of the
 * sources its members came from. Returns 0 or WN_ENOMEM. */
int wn_rules_eval_unit(wn_rules_eval *e, const wn_record *merged, const char *const *sources,
                       size_t n_sources, unsigned flags);
/* Whether rule i's condition held for the last unit. */
int wn_rules_eval_matched(const wn_rules_eval *e, size_t i);
/* The first rule that excluded the last unit, or -1 when it is kept. */
long wn_rules_eval_excluded_by(const wn_rules_eval *e);
/* Spans of the last unit (with WN_RULES_SPANS), for rules whose condition
 * held; only terms that count towards a match (not those under NOT). */
const wn_rule_span *wn_rules_eval_spans(const wn_rules_eval *e, size_t *n);
/* How many regex matches rule i gave up at the match limit, over all units
 * evaluated so far (such a match counts as no match). */
uint64_t wn_rules_eval_limit_hits(const wn_rules_eval *e, size_t i);

/* ---- evaluating many units on several threads --------------------------- */

/* One unit to evaluate; everything borrowed for the call. */
typedef struct wn_rules_unit {
    const wn_record *merged;
    const char *const *sources;
    size_t n_sources;
} wn_rules_unit;

/* Evaluators for several threads sharing one rule set (which must outlive
 * it). Not thread-safe itself: one caller at a time. */
typedef struct wn_rules_batch wn_rules_batch;

/* threads < 1: one per online CPU (at most 8). Returns owned, or NULL when
 * out of memory. */
wn_rules_batch *wn_rules_batch_new(const wn_rules *r, int threads);
void wn_rules_batch_free(wn_rules_batch *b);
int wn_rules_batch_threads(const wn_rules_batch *b);
/* Evaluates units[0, n) on the batch's threads (the caller's included).
 * Until the next call, the getters below give unit i's results, the same
 * as wn_rules_eval_unit gives whatever the number of threads. Returns 0 or
 * WN_ENOMEM. */
int wn_rules_batch_eval(wn_rules_batch *b, const wn_rules_unit *units, size_t n,
                        unsigned flags);
int wn_rules_batch_matched(const wn_rules_batch *b, size_t unit, size_t rule);
long wn_rules_batch_excluded_by(const wn_rules_batch *b, size_t unit);
/* Borrowed until the next wn_rules_batch_eval; NULL when *n == 0. */
const wn_rule_span *wn_rules_batch_spans(const wn_rules_batch *b, size_t unit, size_t *n);
/* Regex matches of rule `rule` stopped at the match limit, over every unit
 * the batch has evaluated. */
uint64_t wn_rules_batch_limit_hits(const wn_rules_batch *b, size_t rule);

/* ---- applying to a project ------------------------------------------ */

typedef struct wn_filter_count {
    int64_t matched;    /* units whose condition held */
    int64_t excluded;   /* units this rule excluded first */
    uint64_t limit_hits;
} wn_filter_count;

typedef struct wn_filter_result {
    wn_rules *rules;         /* owned */
    wn_filter_count *counts; /* one per rule; owned */
    int64_t units, excluded, kept;
    int64_t replaced;        /* automated exclusions the run replaced */
    int64_t run_id;          /* 0 for a dry run */
} wn_filter_result;

/* Applies the rule file at path to every unit. Unless dry_run, in one
 * transaction with its audit row: replaces every earlier automated
 * exclusion and highlight with this run's, stores the run with the text of
 * its files. Human decisions are not touched. A bad rule file returns
 * WN_EPARSE with diags filled and the project unchanged. */
int wn_filter_run(wn_project *p, const char *path, int dry_run, const wn_actor *actor,
                  wn_filter_result *res, wn_rule_diags *diags);
void wn_filter_result_free(wn_filter_result *res);

/* Why a unit is (or is not) excluded, from the latest run's rule files. */
typedef struct wn_explain {
    int64_t unit_id;
    int64_t run_id;
    char *path, *sha256;  /* of the run's main file */
    wn_rules *rules;      /* owned */
    unsigned char *matched; /* one per rule */
    long excluded_by;     /* rule index or -1 */
    wn_rule_span *spans;  /* owned */
    size_t n_spans;
    wn_record *merged;    /* the unit's merged record (spans index into it) */
} wn_explain;

/* id may be a unit id or any member record id. WN_ENOTFOUND when there is
 * no such record or no rule file has been applied. */
int wn_filter_explain(wn_project *p, int64_t id, wn_explain *out);
void wn_explain_free(wn_explain *x);

/* Matched terms of the latest run for a unit, for highlighting in the
 * screening views: spans of flag rules (positive unless the rule says
 * `as negative`), of require rules (positive) and of exclude rules
 * (negative), with fields and offsets into the unit's merged record. */
typedef struct wn_highlight {
    char *rule;
    wn_field field;
    size_t index;
    size_t start, end;
    int negative;
} wn_highlight;

/* *out is owned (free with wn_highlights_free); none gives *n == 0. */
int wn_rules_unit_highlights(wn_project *p, int64_t unit_id, wn_highlight **out, size_t *n);
void wn_highlights_free(wn_highlight *h, size_t n);

#endif
