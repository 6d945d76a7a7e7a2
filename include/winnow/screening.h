/* winnow — team screening: reviewers, allocation, decisions, sheets,
 * consensus policies, conflicts, full-text reports and agreement.
 *
 * Stages are "ta" (title/abstract; units are unique records, see units.h,
 * that the criteria rules did not exclude) and "ft" (full text; units are
 * report ids). Decisions are appended, never changed: the newest vote per
 * (stage, unit, reviewer) counts, and a resolution (kind "resolution")
 * settles the unit whatever the votes say. Every changing function runs in
 * one transaction with its audit row. docs/SCREENING.md has the semantics. */
#ifndef WINNOW_SCREENING_H
#define WINNOW_SCREENING_H

#include <stddef.h>
#include <stdint.h>

#include "winnow/project.h"

typedef struct wn_decision {
    const char *stage;    /* "ta" or "ft" */
    int64_t unit_id;
    const char *reviewer; /* a reviewer's handle */
    const char *kind;     /* "vote" (NULL) or "resolution" */
    const char *decision; /* "include", "exclude" or "maybe" */
    const char *reason;   /* may be NULL */
    const char *note;     /* may be NULL */
} wn_decision;

/* ---- reviewers ------------------------------------------------------ */

/* Adds a reviewer (handle unique; WN_EEXISTS if taken). Borrows all. */
int wn_reviewer_add(wn_project *p, const char *handle, const char *name, const char *email,
                    const wn_actor *actor);

typedef struct wn_reviewer_info {
    const char *handle, *name, *email, *added_at;
    const char *left_at; /* NULL while active */
    int64_t assigned, decided; /* assignments and units voted on, both stages */
} wn_reviewer_info;

/* Calls fn for every reviewer by handle; strings valid during the call. */
int wn_reviewers_each(wn_project *p, int (*fn)(void *ctx, const wn_reviewer_info *r),
                      void *ctx);

/* Marks handle as gone. Their votes stay; each unit assigned to them that
 * they have not voted on goes to the least loaded of to[0..n_to) (NULL:
 * every other active reviewer) who is not already on it. *moved (may be
 * NULL) gets the number of assignments handed over. */
int wn_reviewer_leave(wn_project *p, const char *handle, const char *const *to, size_t n_to,
                      const wn_actor *actor, size_t *moved);

/* ---- allocation ------------------------------------------------------ */

/* Pure allocation of k distinct reviewers (of n_reviewers, weighted by
 * shares, NULL: equal) to each of n_units units, deterministic for seed:
 * out[u * k + j] is the j-th reviewer index of unit u (out holds
 * n_units * k entries; caller owns). Loads are exact largest-remainder
 * roundings of the shares; pairs spread as evenly as the loads allow.
 * WN_EINVAL if k is 0 or above n_reviewers or a share is not positive. */
int wn_allocate(size_t n_units, size_t n_reviewers, const double *shares, unsigned k,
                uint64_t seed, uint32_t *out, wn_err *err);

typedef struct wn_assign_opts {
    const char *stage;
    const char *const *reviewers; /* handles, n_reviewers of them */
    size_t n_reviewers;
    const double *shares; /* NULL: equal; else one per reviewer */
    unsigned per_unit;    /* k */
    uint64_t seed;
    size_t calibration;   /* units every listed reviewer screens */
    int only_new;         /* allocate only units without assignments */
} wn_assign_opts;

typedef struct wn_assign_result {
    size_t units;           /* units allocated by this run */
    size_t calibration;     /* of which calibration units */
    size_t assignments;     /* rows written */
    size_t reports_created; /* ft: reports sought for newly included units */
} wn_assign_result;

/* Allocates the stage's units (see wn_allocate). At "ft", first seeks a
 * report for every unit included at "ta" that has none. A stage that has
 * assignments is refused (WN_EEXISTS) unless only_new is set. */
int wn_assign(wn_project *p, const wn_assign_opts *o, const wn_actor *actor,
              wn_assign_result *res);

/* ---- decisions ------------------------------------------------------- */

/* Appends one decision in its own transaction with its audit row, checking
 * only the stage, kind and decision words (the terminal view's path). */
int wn_decision_add(wn_project *p, const wn_decision *d, const wn_actor *actor);

/* Appends ds[0..n) in one transaction with one audit row after checking
 * every one: known reviewer, a unit of the stage, a vote only on a unit
 * assigned to its reviewer, the reason where the stage requires one and
 * from the stage's list when it has one (a list number is replaced by its
 * text). Nothing is written if any fails (WN_EINVAL or WN_ENOTFOUND, the
 * message naming the first). */
int wn_decisions_add(wn_project *p, const wn_decision *ds, size_t n, const wn_actor *actor);

/* ---- consensus policy and reasons ------------------------------------ */

typedef enum wn_maybe_rule {
    WN_MAYBE_INCLUDE, /* maybe-counts-as-include (default) */
    WN_MAYBE_EXCLUDE, /* maybe-counts-as-exclude */
    WN_MAYBE_RESOLVE, /* maybe-needs-resolution */
} wn_maybe_rule;

typedef enum wn_combine_rule {
    WN_RULE_ALL_AGREE,   /* all-must-agree (default) */
    WN_RULE_ANY_INCLUDE, /* any-include-includes */
    WN_RULE_ALL_INCLUDE, /* all-must-include */
    WN_RULE_MAJORITY,    /* majority */
} wn_combine_rule;

typedef struct wn_policy {
    wn_maybe_rule maybe;
    wn_combine_rule rule;
    char text[128];   /* canonical: "maybe-counts-as-include; all-must-agree" */
    char set_at[32];  /* "" for the default */
} wn_policy;

/* Parses "term; term" (docs/SCREENING.md); terms not given keep defaults. */
int wn_policy_parse(const char *text, wn_policy *out, wn_err *err);
/* The policy in force at the stage (the default if none was set). */
int wn_policy_get(wn_project *p, const char *stage, wn_policy *out);
/* Records a new policy for the stage (kept with the older ones). */
int wn_policy_set(wn_project *p, const char *stage, const char *text, const wn_actor *actor);

typedef enum wn_outcome {
    WN_OUTCOME_PENDING,  /* awaiting a (second) vote */
    WN_OUTCOME_INCLUDE,
    WN_OUTCOME_EXCLUDE,
    WN_OUTCOME_CONFLICT, /* the votes disagree under the policy; needs a resolution */
} wn_outcome;

/* The outcome of a complete set of votes under a policy (pure). */
wn_outcome wn_policy_outcome(const wn_policy *pol, int include, int exclude, int maybe);
/* "pending", "include", "exclude" or "conflict". */
const char *wn_outcome_name(wn_outcome o);

/* Replaces the stage's exclusion reasons with reasons[0..n) (n == 0 clears). */
int wn_reasons_set(wn_project *p, const char *stage, const char *const *reasons, size_t n,
                   const wn_actor *actor);
/* The stage's reasons in order (owned: free each and the array). */
int wn_reasons_get(wn_project *p, const char *stage, char ***reasons, size_t *n);
/* Frees what wn_reasons_get returned. */
void wn_reasons_free(char **reasons, size_t n);

/* ---- outcomes -------------------------------------------------------- */

typedef struct wn_vote {
    const char *reviewer, *decision, *reason, *note, *at;
} wn_vote;

typedef struct wn_unit_state {
    int64_t unit_id;
    wn_outcome outcome;
    const char *reason;        /* the exclusion reason that counts, or NULL */
    int calibration;           /* a calibration unit */
    size_t n_assigned;         /* reviewers assigned */
    const char *const *assigned;
    size_t n_votes;            /* newest vote of each reviewer who voted */
    const wn_vote *votes;
    const wn_vote *resolution; /* newest resolution, or NULL */
} wn_unit_state;

/* Calls fn for every unit of the stage that is assigned or has a decision,
 * in unit order, with its votes and outcome under the stage's policy
 * (everything valid during the call). Reports marked not retrieved have no
 * full-text outcome and are left out at "ft". */
int wn_stage_units_each(wn_project *p, const char *stage,
                        int (*fn)(void *ctx, const wn_unit_state *u), void *ctx);

typedef struct wn_unit_outcome {
    int64_t unit_id;
    wn_outcome outcome;
    const char *reason; /* the exclusion reason that counts, or NULL */
} wn_unit_outcome;

/* wn_stage_units_each reduced to each unit's outcome. */
int wn_stage_outcomes_each(wn_project *p, const char *stage,
                           int (*fn)(void *ctx, const wn_unit_outcome *o), void *ctx);

/* ---- status ---------------------------------------------------------- */

typedef struct wn_reviewer_status {
    char *handle;
    size_t assigned, done, remaining, conflicts;
} wn_reviewer_status;

typedef struct wn_stage_status {
    size_t units, include, exclude, conflict, pending, calibration;
    size_t n_reviewers;
    wn_reviewer_status *reviewers; /* by handle */
} wn_stage_status;

int wn_stage_status_get(wn_project *p, const char *stage, wn_stage_status *out);
void wn_stage_status_free(wn_stage_status *s);

/* ---- sheets ---------------------------------------------------------- */

/* Writes the blinded sheet of reviewer at stage as CSV through write (a
 * non-zero return stops and is returned); *rows gets the unit count. */
int wn_sheet_export(wn_project *p, const char *stage, const char *reviewer,
                    int (*write)(void *ctx, const char *data, size_t len), void *ctx,
                    size_t *rows);

typedef struct wn_sheet_result {
    char stage[4];
    char reviewer[64];
    size_t rows;      /* unit rows read */
    size_t written;   /* decisions appended */
    size_t unchanged; /* rows equal to the reviewer's newest decision */
    size_t blank;     /* rows without a decision */
    char **problems;  /* "'name' row N: ..." (owned; wn_sheet_result_free) */
    size_t n_problems;
} wn_sheet_result;

/* Reads a filled sheet (data[0..len), name for messages), checks every row,
 * and appends all its decisions in one transaction, or nothing: on any
 * problem returns WN_EPARSE with every problem listed in res. A sheet of
 * another project is refused, and so is one of another stage or reviewer
 * than expect_stage / expect_reviewer when those are not NULL. */
int wn_sheet_import(wn_project *p, const char *name, const char *data, size_t len,
                    const char *expect_stage, const char *expect_reviewer,
                    const wn_actor *actor, wn_sheet_result *res);
void wn_sheet_result_free(wn_sheet_result *res);

/* ---- full text ------------------------------------------------------- */

typedef struct wn_report_info {
    int64_t id, unit_id, study_id;
    const char *status;   /* sought, retrieved, not_retrieved */
    const char *reason;   /* why not retrieved, or NULL */
    const char *location; /* path or URL of the full text, or NULL */
    const char *updated_at;
    const char *title;    /* of the unit's record */
} wn_report_info;

/* Reports (status NULL: all) in id order; strings valid during the call. */
int wn_reports_each(wn_project *p, const char *status,
                    int (*fn)(void *ctx, const wn_report_info *r), void *ctx);
/* Creates a sought report for every unit included at "ta" without one. */
int wn_reports_seek(wn_project *p, const wn_actor *actor, size_t *created);
/* Marks a report retrieved, with the path or URL of its full text. */
int wn_report_retrieved(wn_project *p, int64_t id, const char *location,
                        const wn_actor *actor);
/* Marks a report not retrieved, with the reason (required). */
int wn_report_not_retrieved(wn_project *p, int64_t id, const char *reason,
                            const wn_actor *actor);
/* Makes report id one of the reports of the study report study_of is in. */
int wn_report_link(wn_project *p, int64_t id, int64_t study_of, const wn_actor *actor);

/* ---- agreement ------------------------------------------------------- */

/* Cohen's kappa of a q x q table of counts (row: rater A, column: rater B);
 * po, pe, se (may be NULL) get observed and chance agreement and the
 * standard error sqrt(po(1-po) / (n(1-pe)^2)). NaN when undefined. */
double wn_kappa_cohen(const size_t *table, size_t q, double *po, double *pe, double *se);
/* Fleiss' kappa of n_items rows of q category counts, every row summing to
 * the same number of raters (NaN otherwise or when undefined). */
double wn_kappa_fleiss(const size_t *counts, size_t n_items, size_t q);
/* Prevalence- and bias-adjusted kappa for q categories: (q po - 1)/(q - 1). */
double wn_pabak(double po, size_t q);

typedef struct wn_pair_agreement {
    char *a, *b; /* reviewer handles */
    size_t n;    /* units both voted on */
    double po, kappa, se, lo, hi, pabak;
} wn_pair_agreement;

typedef struct wn_agreement_part {
    size_t units;      /* units with two or more votes */
    size_t agreed;     /* of which every vote agrees */
    double percent;    /* 100 * agreed / units (NaN if none) */
    size_t categories; /* q used for PABAK */
    size_t n_pairs;
    wn_pair_agreement *pairs;
    double fleiss;     /* NaN when no unit has three or more raters */
    size_t fleiss_units, fleiss_raters;
} wn_agreement_part;

typedef struct wn_agreement {
    wn_agreement_part main, calibration;
} wn_agreement;

int wn_agreement_get(wn_project *p, const char *stage, wn_agreement *out);
void wn_agreement_free(wn_agreement *a);

#endif
