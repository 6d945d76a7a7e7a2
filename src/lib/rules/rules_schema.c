/* Project tables of the criteria rules (migration 4). */
#include "store/schema.h"

const char wn_schema_rules[] =
    /* One application of a rule file (dry runs are not stored). */
    "CREATE TABLE rule_run ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  path TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  text TEXT NOT NULL);"
    /* The units the latest run excluded; a new run replaces every row.
     * box: 'automation' (ineligible by automation tools) or 'other'
     * (removed for other reasons), as PRISMA 2020 splits them. */
    "CREATE TABLE rule_exclusion ("
    "  unit_id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES rule_run(id),"
    "  rule TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  box TEXT NOT NULL CHECK (box IN ('automation', 'other')));"
    /* Every file a run read (0: the rule file, then its includes), so the
     * run can be explained later without the files. */
    "CREATE TABLE rule_file ("
    "  run_id INTEGER NOT NULL REFERENCES rule_run(id),"
    "  ord INTEGER NOT NULL,"
    "  path TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  text TEXT NOT NULL,"
    "  PRIMARY KEY (run_id, ord)) WITHOUT ROWID;"
    /* Matched spans of the latest run, for highlighting in screening:
     * bytes [start, end) of the index-th value of field in the unit's
     * merged record. negative: an exclusion term. Replaced by each run. */
    "CREATE TABLE rule_match ("
    "  unit_id INTEGER NOT NULL,"
    "  run_id INTEGER NOT NULL REFERENCES rule_run(id),"
    "  rule TEXT NOT NULL,"
    "  field TEXT NOT NULL,"
    "  idx INTEGER NOT NULL,"
    "  start INTEGER NOT NULL,"
    "  end INTEGER NOT NULL,"
    "  negative INTEGER NOT NULL);"
    "CREATE INDEX rule_match_by_unit ON rule_match(unit_id);";
