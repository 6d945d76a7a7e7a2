/* The project schema, as numbered migrations applied in order. A project's
 * PRAGMA user_version says how many have been applied. Each stage of the
 * pipeline keeps its tables beside its code (fetch/, dedup/, rules/,
 * screen/, prisma/); this file holds the core and the order. */
#include <stddef.h>

#include "store/schema.h"

/* 1: sources, records with their raw text, extras, warnings, audit log */
static const char schema_core[] =
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    /* One import batch: a database search's export or an API result. */
    "CREATE TABLE source ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  kind TEXT NOT NULL DEFAULT 'database',"
    "  format TEXT NOT NULL,"
    "  filename TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  bytes INTEGER NOT NULL,"
    "  encoding TEXT NOT NULL,"
    "  searched_on TEXT,"
    "  query TEXT,"
    "  imported_at TEXT NOT NULL,"
    "  records INTEGER NOT NULL DEFAULT 0,"
    "  warnings INTEGER NOT NULL DEFAULT 0);"
    /* The decoded input, kept whole in 1 MiB chunks: each record's raw text
     * is a slice of it, so nothing is stored twice. */
    /* (A rowid table: in a WITHOUT ROWID table every insert would read
     * the 1 MiB neighbours back to compare keys.) */
    "CREATE TABLE source_text ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES source(id),"
    "  seq INTEGER NOT NULL,"
    "  data BLOB NOT NULL,"
    "  UNIQUE (source_id, seq));"
    /* One record as read, normalized. List fields are joined by newlines. */
    "CREATE TABLE record ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES source(id),"
    "  position INTEGER NOT NULL,"
    "  line INTEGER NOT NULL,"
    "  byte_offset INTEGER NOT NULL,"
    "  byte_length INTEGER NOT NULL,"
    "  type TEXT, type_raw TEXT, title TEXT, authors TEXT, year INTEGER, date TEXT,"
    "  journal TEXT, journal_abbr TEXT, volume TEXT, issue TEXT, pages TEXT,"
    "  start_page TEXT, end_page TEXT, doi TEXT, pmid TEXT, pmcid TEXT, issn TEXT,"
    "  isbn TEXT, language TEXT, keywords TEXT, pubtypes TEXT, urls TEXT,"
    "  publisher TEXT, source_ref TEXT, abstract TEXT);"
    "CREATE INDEX record_by_source ON record(source_id, position);"
    /* Fields with no column, with the format's own tag, in reading order. */
    "CREATE TABLE record_extra ("
    "  record_id INTEGER NOT NULL REFERENCES record(id),"
    "  ord INTEGER NOT NULL,"
    "  tag TEXT NOT NULL,"
    "  value TEXT NOT NULL,"
    "  PRIMARY KEY (record_id, ord)) WITHOUT ROWID;"
    "CREATE TABLE import_warning ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES source(id),"
    "  line INTEGER NOT NULL,"
    "  record INTEGER NOT NULL,"
    "  message TEXT NOT NULL);"
    "CREATE INDEX import_warning_by_source ON import_warning(source_id);"
    /* Append-only, hash-chained log of every changing command. */
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  version TEXT NOT NULL,"
    "  command TEXT NOT NULL,"
    "  inputs TEXT NOT NULL,"
    "  summary TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

static const char *const migrations[] = {
    schema_core,      /* 1 */
    wn_schema_fetch,  /* 2: API searches and their responses */
    wn_schema_dedup,  /* 3: duplicate clusters */
    wn_schema_rules,  /* 4: rule runs and automated exclusions */
    wn_schema_screen, /* 5: reviewers, assignments, decisions, full texts */
    wn_schema_prisma, /* 6: PRISMA counts and audit support */
    wn_schema_ledger, /* 7: decision seals, audit entries' seal */
};

size_t wn_schema_migration_count(void) { return sizeof migrations / sizeof migrations[0]; }

const char *wn_schema_migration(size_t version)
{
    return version >= 1 && version <= wn_schema_migration_count() ? migrations[version - 1]
                                                                   : NULL;
}
