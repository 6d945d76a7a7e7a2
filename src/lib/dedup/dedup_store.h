/* Internal: deduplication's reads and writes of the project. */
#ifndef WINNOW_DEDUP_STORE_H
#define WINNOW_DEDUP_STORE_H

#include "winnow/dedup.h"

/* Rebuilds cluster_member from dedup_pair and the newest decision of each
 * pair (inside the caller's transaction). sum (may be NULL) gets records,
 * clusters, removed, decisions and the per-source counts. */
int dd_recluster(wn_project *p, wn_dedup_summary *sum);

/* Number of pairs in the review queue (see wn_dedup_review_each). */
int dd_review_count(wn_project *p, int64_t *n);

#endif
