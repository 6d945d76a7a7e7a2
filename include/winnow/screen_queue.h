/* winnow — one reviewer's screening queue and the project's highlight terms.
 *
 * The queue is the list of units assigned to one reviewer at one stage, in
 * a chosen order, each with that reviewer's own newest vote. It never reads
 * another reviewer's decisions (screening is blinded). Decisions themselves
 * are written with wn_decision_add (screening.h). */
#ifndef WINNOW_SCREEN_QUEUE_H
#define WINNOW_SCREEN_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "winnow/project.h"

typedef enum wn_queue_order {
    WN_ORDER_ASSIGNED,     /* the order units were assigned (then unit id) */
    WN_ORDER_RANDOM,       /* shuffled, but the same for a reviewer and stage
                              on every run, so a restart resumes in place */
    WN_ORDER_OLDEST_FIRST, /* publication year ascending, unknown years last */
} wn_queue_order;

/* Parses "assigned", "random" or "oldest-first"; WN_EINVAL otherwise. */
int wn_queue_order_parse(const char *s, wn_queue_order *out);

typedef struct wn_queue_item {
    int64_t unit_id;     /* the stage's unit: a unit at ta, a report id at ft */
    int64_t record_unit; /* the unit whose merged record describes it */
    char *decision;      /* the reviewer's own newest vote, or NULL */
    char *reason;        /* its reason, or NULL */
    char *note;          /* its note, or NULL */
    char *retrieval;     /* ft: the report's status ("retrieved" ...); else NULL */
    char *location;      /* ft: the report's PDF path or URL, or NULL */
} wn_queue_item;

typedef struct wn_queue {
    wn_queue_item *items; /* owned; free with wn_queue_free */
    size_t n;
} wn_queue;

/* Loads the queue of reviewer at stage ("ta" or "ft"). q is overwritten
 * (it need not be initialised). WN_ENOTFOUND names an unknown reviewer;
 * an empty queue is not an error. */
int wn_queue_load(wn_project *p, const char *stage, const char *reviewer,
                  wn_queue_order order, wn_queue *q);
/* Re-reads the reviewer's own newest vote on one item (after a write). */
int wn_queue_refresh(wn_project *p, const char *stage, const char *reviewer,
                     wn_queue_item *it);
/* Number of items with a decision. */
size_t wn_queue_decided(const wn_queue *q);
/* Frees the items; the struct can be reloaded afterwards. NULL is fine. */
void wn_queue_free(wn_queue *q);

/* The exclusion reasons offered at a stage: the stage's list in its order,
 * then reasons this reviewer alone has typed there, in first-use order
 * (owned array of owned strings; free with wn_strings_free). */
int wn_queue_reasons(wn_project *p, const char *stage, const char *reviewer, char ***out,
                     size_t *n);
void wn_strings_free(char **v, size_t n);

/* ---- highlight terms ---------------------------------------------------
 * Words a team wants to see at a glance while screening: kind "include"
 * (shown in one colour) or "exclude" (in another). A term ending in '*'
 * matches any word starting with it; matching ignores ASCII case. */

/* Replaces the project's terms of kind with terms[0..n) in one transaction
 * with its audit row. Empty terms are dropped; duplicates kept once. */
int wn_highlight_terms_set(wn_project *p, const char *kind, const char *const *terms, size_t n,
                      const wn_actor *actor);
/* Calls fn for every term, by kind then term. A non-zero return stops. */
int wn_highlight_terms_each(wn_project *p,
                       int (*fn)(void *ctx, const char *kind, const char *term), void *ctx);

#endif
