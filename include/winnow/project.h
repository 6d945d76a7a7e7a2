/* winnow — the project file: one sqlite database holding a whole review.
 *
 * Every command that changes the project runs in one transaction together
 * with its audit row, so a failure leaves the file exactly as it was. The
 * handle carries the last error message (wn_project_errmsg). */
#ifndef WINNOW_PROJECT_H
#define WINNOW_PROJECT_H

#include <stddef.h>
#include <stdint.h>

#include "winnow/error.h"
#include "winnow/import.h"
#include "winnow/record.h"

typedef struct wn_project wn_project;

/* The schema version this build writes; files with a higher one are refused. */
#define WN_SCHEMA_VERSION 7
/* PRAGMA application_id of winnow project files ("WNOW"). */
#define WN_APPLICATION_ID 0x574E4F57

/* Creates a new project file (fails with WN_EEXISTS if path exists). */
int wn_project_create(wn_project **out, const char *path, const char *title, wn_err *err);
/* Opens an existing project, migrating an older schema forward. */
int wn_project_open(wn_project **out, const char *path, wn_err *err);
void wn_project_close(wn_project *p);
const char *wn_project_errmsg(const wn_project *p);
const char *wn_project_path(const wn_project *p);
/* A project setting ("title", "created_at", "id"); owned copy or NULL. */
char *wn_project_get_meta(wn_project *p, const char *key);

/* What every changing command records in the audit log. */
typedef struct wn_actor {
    const char *command; /* argv joined as JSON by the caller, or a name */
    const char *user;    /* OS user or reviewer; NULL: taken from the env */
} wn_actor;

/* ---- sources and import -------------------------------------------- */

typedef struct wn_import_opts {
    const char *path;        /* file to read */
    const char *display_name;/* name shown in messages (default: path) */
    const char *source_name; /* "Scopus" (required) */
    const char *kind;        /* database, register, website, organisation,
                                citation, other (default database) */
    const char *format;      /* NULL: detect from content */
    const char *encoding;    /* NULL: detect; else an iconv name */
    const char *searched_on; /* YYYY-MM-DD or NULL */
    const char *query;       /* the search string, or NULL */
    int force;               /* import even if this file is in the source */
    wn_warning_fn on_warning;/* optional: hear warnings as they come, in
                                record order; wn_import_file calls it from
                                its writer thread */
    void *user;
    const char *map;         /* CSV: "title=Column,..." (wn_parse_mapped) or NULL */
} wn_import_opts;

typedef struct wn_import_result {
    int64_t source_id;
    size_t records;
    size_t warnings;
    char format[32];
    char encoding[32];
    char sha256[65];
    char why[256];           /* how the format was decided */
} wn_import_result;

int wn_import_file(wn_project *p, const wn_import_opts *o, const wn_actor *actor,
                   wn_import_result *res);

/* One text of a source read from memory, e.g. one page of an API's answer. */
typedef struct wn_import_text {
    const char *name; /* in messages ("PubMed page 2"); borrowed */
    const char *text; /* valid UTF-8; borrowed */
    size_t len;
} wn_import_text;

/* What a caller adds to an import from memory, inside its transaction. */
typedef struct wn_import_hook {
    /* Runs after the records are stored, before the audit row; offsets[i] is
     * where texts[i] starts in the source's stored text. Non-zero (with the
     * message on p) undoes the whole import. */
    int (*before_commit)(void *user, wn_project *p, const wn_import_result *res,
                         const size_t *offsets);
    void *user;
    const char *summary;     /* audit summary; NULL: a default one */
    const char *inputs_json; /* audit inputs; NULL: the name and hash */
} wn_import_hook;

/* Imports texts[0..n) as one source in one transaction: they are stored
 * joined (each ending in a line break) and each is parsed on its own with
 * o->format (required); o->display_name (required) is stored as the
 * source's file name; o->path and o->encoding are not used. Unlike a file,
 * a source from memory may hold no records (an empty search result). hook
 * may be NULL. Borrows everything. */
int wn_import_texts(wn_project *p, const wn_import_opts *o, const wn_import_text *texts,
                    size_t n, const wn_import_hook *hook, const wn_actor *actor,
                    wn_import_result *res);

typedef struct wn_source_info {
    int64_t id;
    char *name, *kind, *format, *filename, *sha256, *encoding;
    char *searched_on, *query, *imported_at;
    int64_t records, warnings, bytes;
} wn_source_info;

/* Calls fn for every source in import order. */
int wn_sources_each(wn_project *p, int (*fn)(void *ctx, const wn_source_info *s), void *ctx);

typedef struct wn_warning_row {
    int64_t source_id;
    const char *source_name;
    const char *filename;
    int64_t line, record;
    const char *message;
} wn_warning_row;

/* Warnings of one source (source_id > 0) or of all. */
int wn_warnings_each(wn_project *p, int64_t source_id,
                     int (*fn)(void *ctx, const wn_warning_row *w), void *ctx);

/* Source id by id number ("3") or name ("Scopus"); WN_ENOTFOUND if none. */
int wn_source_lookup(wn_project *p, const char *name_or_id, int64_t *id);

/* ---- records -------------------------------------------------------- */

typedef struct wn_record_meta {
    int64_t id;
    int64_t source_id;
    const char *source_name;
    const char *filename;
    int64_t position; /* 1-based in its file */
    int64_t line;
    int64_t offset, length; /* bytes in the decoded input */
} wn_record_meta;

typedef struct wn_record_filter {
    int64_t source_id; /* 0: all */
    const char *source_name; /* NULL: all; else every source of that name */
    int64_t limit;     /* 0: no limit */
    int64_t offset;
} wn_record_filter;

/* Calls fn with each record (rebuilt with every field, extras included) in
 * id order. The record and meta are valid only during the call. */
int wn_records_each(wn_project *p, const wn_record_filter *f,
                    int (*fn)(void *ctx, const wn_record *rec, const wn_record_meta *m),
                    void *ctx);
/* Number of records matching the filter. */
int wn_records_count(wn_project *p, const wn_record_filter *f, int64_t *n);
/* One record by id: fills rec (reset first) and meta (strings valid until the
 * next call on p). raw, if not NULL, gets the record's text as it stood in
 * its input (owned; free()). */
int wn_record_load(wn_project *p, int64_t id, wn_record *rec, wn_record_meta *meta,
                   char **raw);

/* ---- audit ---------------------------------------------------------- */

typedef struct wn_audit_row {
    int64_t id;
    const char *at, *actor, *version, *command, *inputs, *summary, *hash;
} wn_audit_row;

int wn_audit_each(wn_project *p, int (*fn)(void *ctx, const wn_audit_row *a), void *ctx);

#endif
