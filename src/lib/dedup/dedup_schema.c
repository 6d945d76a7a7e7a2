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
    "  FROM record r LEFT JOIN cluster_member m ON m.record_id = r.id;";
