/* Internal: the hashes that make the ledger tamper-evident, shared by the
 * store (which writes them) and the verifier (which recomputes them).
 *
 * Two chains: the audit log (each entry's hash covers the previous entry's
 * hash and every field of its own) and the decisions (each decision row's
 * seal covers the previous seal and the row's fields). Each audit entry also
 * records the decision chain's head at the time, so cutting decisions off
 * the end shows too.
 *
 * Sealing costs the decision inserts nothing: the connection's update hook
 * notes each id inserted into decision (a trigger would make sqlite keep a
 * statement journal of 16 KiB pages for every insert, ~20-40 us a row), and
 * wn_ledger_seal_now(), called by every audit entry in the same transaction,
 * computes and writes those seals. A commit or rollback drops the notes. Decisions
 * written any other way (a plain sqlite3 shell, or a transaction without an
 * audit entry) stay unsealed, and `audit verify` reports them. */
#ifndef WINNOW_LEDGER_H
#define WINNOW_LEDGER_H

#include <stddef.h>

#include <sqlite3.h>

#include "winnow/project.h"

struct wn_ledger;

/* The seal keeper of a connection a project opens (hooks installed on db);
 * NULL when out of memory. Free with wn_ledger_free after closing db. */
struct wn_ledger *wn_ledger_new(sqlite3 *db);
void wn_ledger_free(struct wn_ledger *l);

/* SHA-256 (hex) of the parts, each length-prefixed ("3:abc"; NULL as "-",
 * so NULL and "" differ). */
void wn_ledger_hash(const char *const *parts, size_t n, char out[65]);

/* The audit entry's fields in hash order. */
enum { WN_AUDIT_HASHED = 8 };
/* Hash of an audit entry: prev, at, actor, version, command, inputs,
 * summary, seal (in that order). */
void wn_ledger_audit_hash(const char *const fields[WN_AUDIT_HASHED], char out[65]);

/* Writes the decision seals pending in this transaction, then gives the
 * seal a new audit entry records: the decision chain's head, "decision ID
 * HASH", or "" when there are no decisions. */
int wn_ledger_seal_now(wn_project *p, char *out, size_t cap);

#endif
