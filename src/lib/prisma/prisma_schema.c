/* Project tables of the PRISMA counts and audit checks (migration 6). */
#include "store/schema.h"

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
    "CREATE INDEX source_by_kind ON source(kind);";
