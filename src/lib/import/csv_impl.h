/* Internal to the CSV reader: how a header names its columns. The database
 * profiles (csv_profiles.c) say which columns each export writes and where
 * they go; a user's --map says it for a file no profile knows. */
#ifndef WINNOW_CSV_IMPL_H
#define WINNOW_CSV_IMPL_H

#include <stddef.h>

#include "winnow/error.h"
#include "winnow/record.h"

/* How a cell's text becomes values. */
typedef enum csv_how {
    CSV_USUAL,           /* the field's usual reading (authors: any common list style) */
    CSV_SPLIT_PIPE,      /* values separated by "|" (OpenAlex) */
    CSV_SPLIT_SEMI,      /* values separated by ";" */
    CSV_WOS_TAG,         /* a Web of Science two-letter tag (wos_tags.c reads it) */
    CSV_EMBASE_SOURCE,   /* "Journal (2014) 3:3 (152-160)": kept, and fields derived */
    CSV_PUBMED_CITATION, /* "J Abbr. 2020 Feb;63(2):103640. doi: ...": the same */
} csv_how;

/* Where one column goes: a field (or -1 for an extra tagged with the
 * header) and how its cells are read. */
typedef struct csv_rule {
    int field;
    csv_how how;
    int wos_tag; /* tag index for CSV_WOS_TAG */
} csv_rule;

typedef struct csv_profile csv_profile;

/* The catch-all profile: winnow's own column names and common aliases. */
extern const csv_profile csv_generic_profile;

/* A cell of a header row. */
typedef struct csv_name {
    const char *s;
    size_t len;
} csv_name;

/* The database profile whose identifying columns the header has (the most
 * specific when several fit), or the generic one when none does. */
const csv_profile *csv_profile_for(const csv_name *cols, size_t n);
const char *csv_profile_label(const csv_profile *pr);
/* Non-zero for the generic profile. */
int csv_profile_is_generic(const csv_profile *pr);
/* Writes "Scopus export (header has EID, Source title)" or, for the
 * generic profile, "generic columns (title, year ...)". */
void csv_profile_describe(const csv_profile *pr, const csv_name *cols, size_t n, char *out,
                          size_t size);
/* Where a column named name goes under profile pr: its own rule, else
 * winnow's field names and the common aliases. Returns 1 with *rule set, 0
 * when the column is not one winnow knows (it is kept as an extra). */
int csv_profile_rule(const csv_profile *pr, const char *name, size_t len, csv_rule *rule);
/* Non-zero when some profile (or the generic names) knows the column. */
int csv_column_known(const char *name, size_t len);

/* The column a profile may repeat without naming the repeats (Scopus
 * writes "Funding Text 2", "Funding Text 3" ... under one "Funding Text 1"
 * header), and the column whose value must start with a prefix once the
 * row is aligned. NULL when the profile has none. */
const char *csv_profile_repeat(const csv_profile *pr, const char **anchor, const char **prefix);

/* ---- --map ------------------------------------------------------------ */

/* A user's mapping "title=Article Title,abstract=Abstract" parsed. */
typedef struct csv_map_entry {
    int field;
    char *header; /* owned, trimmed */
} csv_map_entry;

typedef struct csv_map {
    csv_map_entry *e;
    size_t n;
} csv_map;

/* Parses map text (NULL or "" gives an empty map). WN_EINVAL with a
 * message for a pair without '=', an unknown field or an empty column. */
int csv_map_parse(const char *text, csv_map *out, wn_err *err);
void csv_map_free(csv_map *m);
/* Index of the entry naming column name, or -1. */
int csv_map_find(const csv_map *m, const char *name, size_t len);

/* ---- cells whose text holds several fields ----------------------------- */

/* Adds the fields an Embase "Source" or a PubMed "Citation" cell carries,
 * each only when the record has none yet. */
int csv_add_embase_source(wn_record *rec, const char *s, size_t len);
int csv_add_pubmed_citation(wn_record *rec, const char *s, size_t len);

/* Compares a header cell with a name, ignoring case and surrounding
 * spaces. */
int csv_name_is(const char *name, size_t len, const char *want);

#endif
