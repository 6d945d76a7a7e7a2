/* Project tables of the PRISMA counts and audit checks (migration 6). */
#include "store/schema.h"

#define STALE(table, op)                                                          \
    "CREATE TRIGGER prisma_stale_" table "_" op " AFTER " op " ON " table         \
    " BEGIN UPDATE prisma_state SET version = version + 1 WHERE id = 1; END;"

const char wn_schema_prisma[] =
    /* The previous version of an updated review: its included studies and
     * their reports (one row at most; set by `winnow prisma previous`). */
    "CREATE TABLE prisma_previous ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  studies INTEGER NOT NULL CHECK (studies >= 0),"
    "  reports INTEGER NOT NULL CHECK (reports >= 0),"
    "  set_at TEXT NOT NULL);"
    /* The counts group rule exclusions by box and reason, and reports by
     * status, without reading every row's text. */
    "CREATE INDEX rule_exclusion_by_box ON rule_exclusion(box, reason);"
    "CREATE INDEX report_by_status ON report(status, unit_id);"
    /* Other-methods sources are found by kind. */
    "CREATE INDEX source_by_kind ON source(kind);"
    /* The last computed flow, valid while prisma_state.version and the
     * highest decision and report ids are those it was computed at. Every
     * change to a table the flow reads bumps the version or one of those ids,
     * whichever program makes it: records are only ever added by an import,
     * which also updates its source row; decisions and reports are added
     * with ever higher ids, which the cache compares instead of bumping the
     * version on each insert (a trigger that writes makes every single-row
     * insert keep a statement journal: 2.4 times the time of bare inserts). */
    "CREATE TABLE prisma_state ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  version INTEGER NOT NULL);"
    "INSERT INTO prisma_state VALUES (1, 0);"
    "CREATE TABLE prisma_cache ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  version INTEGER NOT NULL,"
    "  last_decision INTEGER NOT NULL,"
    "  last_report INTEGER NOT NULL,"
    "  flow TEXT NOT NULL);"
    STALE("source", "INSERT")
    STALE("source", "UPDATE")
    STALE("source", "DELETE")
    STALE("record", "UPDATE")
    STALE("record", "DELETE")
    STALE("cluster_member", "INSERT")
    STALE("cluster_member", "UPDATE")
    STALE("cluster_member", "DELETE")
    STALE("rule_exclusion", "INSERT")
    STALE("rule_exclusion", "UPDATE")
    STALE("rule_exclusion", "DELETE")
    STALE("assignment", "INSERT")
    STALE("assignment", "UPDATE")
    STALE("assignment", "DELETE")
    STALE("decision", "UPDATE")
    STALE("decision", "DELETE")
    STALE("report", "UPDATE")
    STALE("report", "DELETE")
    STALE("screen_policy", "INSERT")
    STALE("screen_policy", "UPDATE")
    STALE("screen_policy", "DELETE")
    STALE("prisma_previous", "INSERT")
    STALE("prisma_previous", "UPDATE")
    STALE("prisma_previous", "DELETE");
