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
    "  box TEXT NOT NULL CHECK (box IN ('automation', 'other')));";
