/* winnow — screening decisions and the outcome of each unit at a stage.
 *
 * Stages are "ta" (title/abstract; units are unique records, see units.h)
 * and "ft" (full text; units are report ids). Decisions are appended, never
 * changed: the newest vote per (stage, unit, reviewer) counts, and a
 * resolution (kind "resolution") settles the unit whatever the votes say. */
#ifndef WINNOW_SCREENING_H
#define WINNOW_SCREENING_H

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

/* Adds a reviewer (handle unique; WN_EEXISTS if taken). */
int wn_reviewer_add(wn_project *p, const char *handle, const char *name, const char *email,
                    const wn_actor *actor);

/* Appends one decision in its own transaction with its audit row. */
int wn_decision_add(wn_project *p, const wn_decision *d, const wn_actor *actor);

typedef enum wn_outcome {
    WN_OUTCOME_PENDING,  /* awaiting a (second) vote */
    WN_OUTCOME_INCLUDE,
    WN_OUTCOME_EXCLUDE,
    WN_OUTCOME_CONFLICT, /* reviewers disagree and no one has resolved it */
} wn_outcome;

typedef struct wn_unit_outcome {
    int64_t unit_id;
    wn_outcome outcome;
    const char *reason; /* the exclusion reason that counts, or NULL */
} wn_unit_outcome;

/* Calls fn for every unit of the stage that is assigned or has a decision,
 * in unit order, with its outcome under the stage's consensus policy. */
int wn_stage_outcomes_each(wn_project *p, const char *stage,
                           int (*fn)(void *ctx, const wn_unit_outcome *o), void *ctx);

#endif
