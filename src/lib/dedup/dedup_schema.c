/* Project tables of deduplication (migration 3).
 *
 * A unit is what rules and reviewers decide on: a cluster of duplicate
 * records, or a record no one has joined. Its id is the smallest record id
 * among its members, so it stays put when a search update adds records. */
#include "store/schema.h"

const char wn_schema_dedup[] =
    /* Records in a cluster of two or more; a record absent here is alone. */
    "CREATE TABLE cluster_member ("
    "  record_id INTEGER PRIMARY KEY REFERENCES record(id),"
    "  cluster_id INTEGER NOT NULL REFERENCES record(id));"
    "CREATE INDEX cluster_member_by_cluster ON cluster_member(cluster_id);"
    /* Every record with the unit it belongs to. */
    "CREATE VIEW unit_member AS"
    "  SELECT r.id AS record_id, COALESCE(m.cluster_id, r.id) AS unit_id"
    "  FROM record r LEFT JOIN cluster_member m ON m.record_id = r.id;"
    /* One run of `winnow dedup` and what it found. */
    "CREATE TABLE dedup_run ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  records INTEGER NOT NULL,"
    "  clusters INTEGER NOT NULL,"
    "  compared INTEGER NOT NULL,"
    "  duplicate_pairs INTEGER NOT NULL,"
    "  possible_pairs INTEGER NOT NULL,"
    "  version_links INTEGER NOT NULL,"
    "  vetoed INTEGER NOT NULL);"
    /* The evidence of the last run: every pair merged, queued, linked as
     * versions of one paper, or kept apart by a veto (a <  b). */
    "CREATE TABLE dedup_pair ("
    "  a INTEGER NOT NULL REFERENCES record(id),"
    "  b INTEGER NOT NULL REFERENCES record(id),"
    "  outcome TEXT NOT NULL CHECK (outcome IN"
    "    ('duplicate', 'possible', 'version', 'distinct')),"
    "  rule TEXT NOT NULL,"
    "  score REAL NOT NULL,"
    "  evidence TEXT NOT NULL,"
    "  run_id INTEGER NOT NULL REFERENCES dedup_run(id),"
    "  PRIMARY KEY (a, b)) WITHOUT ROWID;"
    "CREATE INDEX dedup_pair_by_b ON dedup_pair(b);"
    /* People's decisions on pairs, never updated: the newest per pair
     * counts, on every later run too. */
    "CREATE TABLE dedup_decision ("
    "  id INTEGER PRIMARY KEY,"
    "  a INTEGER NOT NULL REFERENCES record(id),"
    "  b INTEGER NOT NULL REFERENCES record(id),"
    "  verdict TEXT NOT NULL CHECK (verdict IN ('same', 'different')),"
    "  at TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  CHECK (a < b));"
    "CREATE INDEX dedup_decision_by_pair ON dedup_decision(a, b);"
    /* Preprints and their journal articles (and other versions of one
     * paper): separate records and units, one study. */
    "CREATE VIEW version_link AS"
    "  SELECT p.a AS record_a, p.b AS record_b, ua.unit_id AS unit_a, ub.unit_id AS unit_b"
    "  FROM dedup_pair p JOIN unit_member ua ON ua.record_id = p.a"
    "  JOIN unit_member ub ON ub.record_id = p.b WHERE p.outcome = 'version';";
