/* Project tables of the tamper-evident ledger (migration 7).
 *
 * Every decision row is sealed by the audit entry of the transaction that
 * inserts it: its seal chains the previous seal with the row's fields, and
 * the entry records the chain's head (audit.seal); see ledger/ledger.h. The
 * seals, like the audit log, refuse updates and deletes, and decisions
 * themselves are appended, never changed, so `winnow audit verify` can tell
 * an edited, deleted, reordered or smuggled-in decision. */
#include "store/schema.h"

const char wn_schema_ledger[] =
    "ALTER TABLE audit ADD COLUMN seal TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE decision_seal ("
    "  decision_id INTEGER PRIMARY KEY,"
    "  hash TEXT NOT NULL);"
    "CREATE TRIGGER decision_no_update BEFORE UPDATE ON decision"
    "  BEGIN SELECT RAISE(ABORT, 'decisions are appended, never changed'); END;"
    "CREATE TRIGGER decision_no_delete BEFORE DELETE ON decision"
    "  BEGIN SELECT RAISE(ABORT, 'decisions are appended, never changed'); END;"
    "CREATE TRIGGER decision_seal_no_update BEFORE UPDATE ON decision_seal"
    "  BEGIN SELECT RAISE(ABORT, 'decision seals are append-only'); END;"
    "CREATE TRIGGER decision_seal_no_delete BEFORE DELETE ON decision_seal"
    "  BEGIN SELECT RAISE(ABORT, 'decision seals are append-only'); END;";
