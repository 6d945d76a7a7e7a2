/* winnow — units: what rules and reviewers decide on.
 *
 * After deduplication a unit is a cluster of duplicate records; before it (or
 * for a record no one joined) it is a single record. A unit's id is the
 * smallest record id among its members. Its merged record takes, field by
 * field, the most complete metadata its members have. */
#ifndef WINNOW_UNITS_H
#define WINNOW_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "winnow/project.h"
#include "winnow/record.h"

/* Number of units in the project. */
int wn_units_count(wn_project *p, int64_t *n);
/* The unit a record belongs to; WN_ENOTFOUND for an unknown record. */
int wn_unit_of_record(wn_project *p, int64_t record_id, int64_t *unit_id);
/* Member record ids of a unit, ascending (owned; free()). WN_ENOTFOUND if
 * unit_id is not a unit. */
int wn_unit_members(wn_project *p, int64_t unit_id, int64_t **ids, size_t *n);
/* The merged record of a unit (merged is reset first). */
int wn_unit_load(wn_project *p, int64_t unit_id, wn_record *merged);
/* Calls fn for every unit in id order with its merged record (valid during
 * the call) and member count. A non-zero return from fn stops and is
 * returned. */
int wn_units_each(wn_project *p,
                  int (*fn)(void *ctx, int64_t unit_id, const wn_record *merged,
                            size_t members),
                  void *ctx);

#endif
