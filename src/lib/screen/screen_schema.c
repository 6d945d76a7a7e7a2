/* Project tables of team screening (migration 5).
 *
 * Stages: 'ta' (title/abstract; units are unique records) and 'ft' (full
 * text; units are reports). Decisions are appended, never changed: the
 * newest row per (stage, unit, reviewer) counts. */
#include "store/schema.h"

const char wn_schema_screen[] =
    "CREATE TABLE reviewer ("
    "  handle TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  email TEXT,"
    "  added_at TEXT NOT NULL,"
    /* set when the reviewer leaves; their finished decisions stay */
    "  left_at TEXT);"
    "CREATE TABLE assignment ("
    "  stage TEXT NOT NULL CHECK (stage IN ('ta', 'ft')),"
    "  unit_id INTEGER NOT NULL,"
    "  reviewer TEXT NOT NULL REFERENCES reviewer(handle),"
    "  calibration INTEGER NOT NULL DEFAULT 0,"
    "  assigned_at TEXT NOT NULL,"
    "  PRIMARY KEY (stage, unit_id, reviewer)) WITHOUT ROWID;"
    "CREATE INDEX assignment_by_reviewer ON assignment(stage, reviewer);"
    /* kind 'vote' is a reviewer's decision; 'resolution' settles a conflict. */
    "CREATE TABLE decision ("
    "  id INTEGER PRIMARY KEY,"
    "  stage TEXT NOT NULL CHECK (stage IN ('ta', 'ft')),"
    "  unit_id INTEGER NOT NULL,"
    "  reviewer TEXT NOT NULL REFERENCES reviewer(handle),"
    "  kind TEXT NOT NULL DEFAULT 'vote' CHECK (kind IN ('vote', 'resolution')),"
    "  decision TEXT NOT NULL CHECK (decision IN ('include', 'exclude', 'maybe')),"
    "  reason TEXT,"
    "  note TEXT,"
    "  at TEXT NOT NULL);"
    "CREATE INDEX decision_by_unit ON decision(stage, unit_id, reviewer, id);"
    /* A full-text report: sought for a unit included at 'ta'. Reports of one
     * study share study_id (by default the report's own id). */
    "CREATE TABLE report ("
    "  id INTEGER PRIMARY KEY,"
    "  unit_id INTEGER NOT NULL,"
    "  study_id INTEGER NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'sought'"
    "    CHECK (status IN ('sought', 'retrieved', 'not_retrieved')),"
    "  reason TEXT,"
    "  location TEXT,"
    "  updated_at TEXT NOT NULL);"
    "CREATE INDEX report_by_unit ON report(unit_id);"
    /* The consensus policy of a stage: every change kept, the newest counts.
     * maybe: how a maybe vote counts; rule: how the votes combine. */
    "CREATE TABLE screen_policy ("
    "  id INTEGER PRIMARY KEY,"
    "  stage TEXT NOT NULL CHECK (stage IN ('ta', 'ft')),"
    "  text TEXT NOT NULL,"
    "  maybe TEXT NOT NULL CHECK (maybe IN ('include', 'exclude', 'resolve')),"
    "  rule TEXT NOT NULL"
    "    CHECK (rule IN ('all-must-agree', 'any-include-includes', 'all-must-include',"
    "                    'majority')),"
    "  set_at TEXT NOT NULL);"
    /* The exclusion reasons offered at a stage, in order (replaced whole). */
    "CREATE TABLE exclusion_reason ("
    "  stage TEXT NOT NULL CHECK (stage IN ('ta', 'ft')),"
    "  ord INTEGER NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  PRIMARY KEY (stage, ord)) WITHOUT ROWID;"
    /* Terms shown highlighted while screening ('*' at the end: prefix). */
    "CREATE TABLE highlight_term ("
    "  kind TEXT NOT NULL CHECK (kind IN ('include', 'exclude')),"
    "  term TEXT NOT NULL,"
    "  added_at TEXT NOT NULL,"
    "  PRIMARY KEY (kind, term)) WITHOUT ROWID;";
