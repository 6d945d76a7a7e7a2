/* winnow — the PRISMA 2020 flow, computed from the project and checked.
 *
 * Every box is a count over the ledger: sources and records (import), units
 * (dedup: a cluster or a lone record), rule exclusions (rules), outcomes of
 * title/abstract screening on units and of full-text assessment on reports
 * (screening). Nothing is typed in except the previous review's numbers of an
 * updated review (wn_prisma_set_previous).
 *
 * Arms: a unit belongs to the databases-and-registers arm when any of its
 * records came from a source of kind "database" or "register"; otherwise
 * (only websites, organisations, citation searching or "other" sources) it
 * belongs to the other-methods arm. Records are counted in the arm of their
 * source's kind, so a record found by citation searching that duplicates a
 * database record counts as identified and as a duplicate in the other arm.
 *
 * wn_prisma_compute checks the arithmetic and the consistency of the ledger
 * every time (see "Invariants" in docs/PRISMA.md). Units or reports still
 * awaiting a decision are counted apart (pending, conflict), never in a box. */
#ifndef WINNOW_PRISMA_H
#define WINNOW_PRISMA_H

#include <stddef.h>
#include <stdint.h>

#include "winnow/buf.h"
#include "winnow/project.h"

/* A named count: one source's records, or one reason's exclusions. */
typedef struct wn_prisma_item {
    char *name; /* owned by the wn_prisma it belongs to */
    int64_t n;
} wn_prisma_item;

/* Items in a stable order (sources: first import; reasons: count desc, name). */
typedef struct wn_prisma_list {
    wn_prisma_item *items;
    size_t len;
} wn_prisma_list;

enum { WN_PRISMA_DBR = 0, WN_PRISMA_OTHER = 1, WN_PRISMA_ARMS = 2 };

/* The boxes of one arm, records then reports then studies. */
typedef struct wn_prisma_arm {
    /* identification */
    int64_t identified;        /* records from this arm's sources */
    int64_t units;             /* distinct units those records make */
    int64_t duplicates;        /* identified - units */
    int64_t automation;        /* units excluded by rules, box 'automation' */
    int64_t removed_other;     /* units excluded by rules, box 'other' */
    wn_prisma_list automation_reasons, other_reasons;
    /* screening (title/abstract, on units) */
    int64_t screened;          /* units - automation - removed_other */
    int64_t excluded;          /* screened units excluded by reviewers */
    int64_t ta_included;       /* screened units included */
    int64_t ta_pending;        /* screened units without a final outcome yet */
    int64_t ta_conflict;       /* screened units whose reviewers disagree */
    wn_prisma_list ta_reasons; /* reasons given for the excluded (if any) */
    /* full text (on reports) */
    int64_t sought;            /* reports sought for retrieval */
    int64_t not_retrieved;
    int64_t awaiting_retrieval;/* status still 'sought' */
    int64_t assessed;          /* retrieved reports */
    int64_t reports_excluded;  /* assessed and excluded */
    wn_prisma_list report_reasons; /* per reason; "(no reason recorded)" if none */
    int64_t ft_pending, ft_conflict; /* assessed reports without an outcome */
    int64_t included_waiting;  /* ta-included units with no report yet */
    /* included */
    int64_t reports_included;  /* reports of included studies */
    int64_t studies_included;  /* distinct study ids among them */
} wn_prisma_arm;

typedef struct wn_prisma {
    /* records identified, per source name within each kind */
    int64_t databases, registers, websites, organisations, citations, other_kind;
    wn_prisma_list database_sources, register_sources, other_sources;
    wn_prisma_arm arm[WN_PRISMA_ARMS];
    /* the two arms together */
    int64_t records_total, units_total;
    int64_t new_studies, new_reports; /* studies counted once across arms */
    /* updated reviews: the previous version's numbers, when set */
    int has_previous;
    int64_t previous_studies, previous_reports;
    int64_t total_studies, total_reports; /* previous + new */
    /* 1 when nothing is pending, in conflict or awaiting retrieval */
    int complete;
    /* Failed invariants, one line each naming the units/reports/records at
     * fault (owned). Empty when the flow is consistent. */
    char **violations;
    size_t n_violations;
} wn_prisma;

/* Computes the whole flow into *out (zeroed first; release with
 * wn_prisma_free even on failure). Returns 0; WN_EINVAL when an invariant
 * fails (out is filled, out->violations lists every failure, and the
 * handle's message names the first); other WN_E* codes on database errors.
 * Runs in one read snapshot. The result is kept in the project with the
 * ledger version it was computed at; while no table the flow reads has
 * changed (triggers bump the version on every change, by winnow or not),
 * the kept flow, checks included, is returned without recomputing. */
int wn_prisma_compute(wn_project *p, wn_prisma *out);
/* The same, always computed afresh from the ledger (nothing kept). */
int wn_prisma_recompute(wn_project *p, wn_prisma *out);
void wn_prisma_free(wn_prisma *c);

/* What keeps the flow from being complete: records undecided at
 * title/abstract (pending or in conflict), reports undecided at full text,
 * and reports not yet sought or retrieved for included records. */
void wn_prisma_undecided(const wn_prisma *c, int64_t *records, int64_t *reports,
                         int64_t *unretrieved);

/* Calls fn with every number of the flow under a stable key (the PRISMA2020
 * template's names where it has one, e.g. "records_screened", and
 * "database_specific_results:Scopus" for list entries), in a fixed order.
 * Used to compare two flows number by number. A non-zero return stops. */
int wn_prisma_each_number(const wn_prisma *c,
                          int (*fn)(void *ctx, const char *key, int64_t n), void *ctx);

/* Renderers: borrow c and append to out (the caller's buffer). Text shows
 * each box with its arithmetic. */
int wn_prisma_write_text(const wn_prisma *c, wn_buf *out);
int wn_prisma_write_json(const wn_prisma *c, wn_buf *out);
/* The PRISMA2020 R package / Shiny app input: the template's rows and
 * columns (data,node,box,description,boxtext,tooltips,url,n) in its order. */
int wn_prisma_write_csv(const wn_prisma *c, wn_buf *out);
/* A standalone SVG laid out like the PRISMA 2020 flow diagram template. */
int wn_prisma_write_svg(const wn_prisma *c, wn_buf *out);

/* Stores the numbers of the previous version of an updated review (one
 * transaction with its audit row). studies < 0 clears them. */
int wn_prisma_set_previous(wn_project *p, int64_t studies, int64_t reports,
                           const wn_actor *actor);

/* Appends to out a methods paragraph (Markdown) with the numbers filled in:
 * sources and dates searched, queries, deduplication, automation criteria
 * with the rule file's hash, reviewers per unit, policy and agreement, the
 * full-text counts. WN_EINVAL (nothing appended) when the flow fails its
 * checks. */
int wn_report_methods(wn_project *p, wn_buf *out);

#endif
