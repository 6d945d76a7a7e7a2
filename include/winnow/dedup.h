/* winnow — deduplication: which records are the same publication, and why.
 *
 * A run compares records that share a blocking key (DOI, PMID, title keys,
 * first author with volume and page), scores each pair field by field and
 * gives it one outcome: duplicate (merged), possible (left for a person),
 * version (a preprint and its journal article: linked, not merged) or
 * distinct. Vetoes (different DOIs, PMIDs or first pages, years more than
 * one apart, an erratum, comment, retraction notice or protocol against the
 * article, a conference abstract against an article, Part I against Part
 * II) keep a pair apart, and clusters are built transitively from duplicate
 * pairs but never joined across a vetoed pair or a person's "different".
 *
 * Decisions people make ("same", "different") are kept by record id and
 * win over the scores on every later run, after new imports too. A cluster's
 * id is the smallest record id among its members (see units.h), so a search
 * update that adds records keeps the ids screening history hangs off.
 * Results are deterministic: the same records and decisions give the same
 * clusters. */
#ifndef WINNOW_DEDUP_H
#define WINNOW_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "winnow/project.h"

/* Outcomes of a pair, as stored. */
#define WN_PAIR_DUPLICATE "duplicate"
#define WN_PAIR_POSSIBLE "possible"
#define WN_PAIR_VERSION "version"
#define WN_PAIR_DISTINCT "distinct"

typedef struct wn_dedup_opts {
    int all_pairs; /* compare every pair, without blocking (a baseline for
                      small sets; refused above 50,000 records) */
} wn_dedup_opts;

typedef struct wn_dedup_source {
    int64_t id;
    char name[128];
    int64_t records;
    int64_t within;     /* records that duplicate an earlier record of the
                           same source */
    int64_t shared;     /* records whose cluster holds another source's */
    int64_t only_here;  /* clusters made only of this source's records */
} wn_dedup_source;

typedef struct wn_dedup_summary {
    int64_t run_id;
    int64_t records;
    int64_t clusters;        /* units after the run (lone records included) */
    int64_t multi;           /* clusters of two or more records */
    int64_t removed;         /* records - clusters */
    int64_t compared;        /* pairs scored */
    int64_t duplicate_pairs; /* pairs merged automatically */
    int64_t possible_pairs;  /* pairs scored "possible" */
    int64_t review;          /* of those, undecided and not already joined:
                                the pairs left for a person */
    int64_t version_links;   /* preprint/journal pairs linked */
    int64_t vetoed;          /* pairs kept apart by a veto */
    int64_t decisions;       /* people's decisions applied */
    double seconds;
    wn_dedup_source *sources; /* owned: wn_dedup_summary_free */
    size_t n_sources;
} wn_dedup_summary;

/* Scores every record and rewrites the clusters (one transaction, one audit
 * row). opts may be NULL. sum is filled (release with
 * wn_dedup_summary_free, also on failure). */
int wn_dedup_run(wn_project *p, const wn_dedup_opts *opts, const wn_actor *actor,
                 wn_dedup_summary *sum);
void wn_dedup_summary_free(wn_dedup_summary *sum);

/* Records a person's decision on two records ("same" or "different") and
 * rebuilds the clusters from the stored pairs and every decision (one
 * transaction, one audit row). WN_ENOTFOUND for an unknown record,
 * WN_EINVAL for a bad verdict or a record paired with itself. */
int wn_dedup_decide(wn_project *p, int64_t a, int64_t b, const char *verdict,
                    const wn_actor *actor);

/* Takes records out of their clusters: each listed record is decided
 * "different" from every other member of its cluster. With whole set, every
 * member of the listed records' clusters is separated from every other.
 * *split (may be NULL) gets the number of records moved out. */
int wn_dedup_undo_merge(wn_project *p, const int64_t *ids, size_t n, int whole,
                        const wn_actor *actor, int64_t *split);

/* One scored pair as stored, with the record ids in ascending order. */
typedef struct wn_dedup_pair {
    int64_t a, b;
    const char *outcome;  /* WN_PAIR_* */
    const char *rule;     /* rule or veto that decided ("doi", "veto:pages") */
    double score;         /* title similarity, 0..1 */
    const char *evidence; /* field scores, "title=0.97 authors=1.00 ..." */
    const char *decision; /* newest person's verdict, or NULL */
} wn_dedup_pair;

/* Calls fn for every stored pair involving record id or a member of its
 * cluster, duplicates first. *unit gets the record's cluster. */
int wn_dedup_explain(wn_project *p, int64_t id, int64_t *unit,
                     int (*fn)(void *ctx, const wn_dedup_pair *pair), void *ctx);

/* Calls fn for every "possible" pair no person has decided whose records
 * are in different clusters, in id order. */
int wn_dedup_review_each(wn_project *p, int (*fn)(void *ctx, const wn_dedup_pair *pair),
                         void *ctx);

/* Calls fn with every record's own identifier (the input's id, or the
 * record id when it had none) and its cluster, in record id order. */
int wn_clusters_each(wn_project *p,
                     int (*fn)(void *ctx, int64_t record_id, const char *source_ref,
                               int64_t cluster),
                     void *ctx);

#endif
