/* Project tables of the tamper-evident ledger (migration 7).
 *
 * Every decision row is sealed as it is inserted: a trigger hands the row to
 * wn_seal_decision() (registered on each connection by the store), and the
 * transaction's audit entry seals the rows, each chaining the previous seal
 * with the row's fields, into decision_seal and records the chain's head
 * (audit.seal). See ledger.h. The seals, like the audit log, refuse updates
 * and deletes, and decisions themselves are appended, never changed, so
 * `winnow audit verify` can tell an edited, deleted, reordered or
 * smuggled-in decision. A connection without winnow's functions (a plain
 * sqlite3 shell) cannot add decisions while the trigger stands. */
#include "store/schema.h"

const char wn_schema_ledger[] =
    "ALTER TABLE audit ADD COLUMN seal TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE decision_seal ("
    "  decision_id INTEGER PRIMARY KEY,"
    "  hash TEXT NOT NULL);"
    "CREATE TRIGGER decision_sealed AFTER INSERT ON decision"
    "  BEGIN SELECT wn_seal_decision(NEW.id); END;"
    "CREATE TRIGGER decision_no_update BEFORE UPDATE ON decision"
    "  BEGIN SELECT RAISE(ABORT, 'decisions are appended, never changed'); END;"
    "CREATE TRIGGER decision_no_delete BEFORE DELETE ON decision"
    "  BEGIN SELECT RAISE(ABORT, 'decisions are appended, never changed'); END;"
    "CREATE TRIGGER decision_seal_no_update BEFORE UPDATE ON decision_seal"
    "  BEGIN SELECT RAISE(ABORT, 'decision seals are append-only'); END;"
    "CREATE TRIGGER decision_seal_no_delete BEFORE DELETE ON decision_seal"
    "  BEGIN SELECT RAISE(ABORT, 'decision seals are append-only'); END;";
