/* Internal: numbered schema migrations. */
#ifndef WINNOW_SCHEMA_H
#define WINNOW_SCHEMA_H
#include <stddef.h>
/* How many migrations exist (== WN_SCHEMA_VERSION). */
size_t wn_schema_migration_count(void);
/* The SQL that brings version-1 to version (1-based), or NULL. */
const char *wn_schema_migration(size_t version);

/* The migrations of each pipeline stage, defined beside its code. */
extern const char wn_schema_fetch[], wn_schema_dedup[], wn_schema_rules[],
    wn_schema_screen[], wn_schema_prisma[], wn_schema_ledger[];
#endif
