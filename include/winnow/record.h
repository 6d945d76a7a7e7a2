/* winnow — the record model: one entry of one export, as a list of fields.
 *
 * A parser builds a record by adding (field, value) pairs in the order it reads
 * them; repeatable fields (authors, keywords ...) are simply added again.
 * Values it cannot place in a known field are kept as WN_F_EXTRA with the
 * format's own tag, so an export loses nothing. All text is UTF-8.
 *
 * A record owns its memory (an arena reused across records): pointers returned
 * by wn_record_get() stay valid until the next add, reset or free. */
#ifndef WINNOW_RECORD_H
#define WINNOW_RECORD_H

#include <stddef.h>

#include "winnow/buf.h"

/* Field ids double as project column names (see wn_field_name). The order is
 * the display order of `winnow show`. Never renumber: tests and the project
 * schema name them by name, but the enum order is used for arrays. */
typedef enum wn_field {
    WN_F_TYPE,         /* normalized kind: article, book, chapter, ... */
    WN_F_TYPE_RAW,     /* the format's own type code: JOUR, article, ... */
    WN_F_TITLE,
    WN_F_AUTHOR,       /* repeatable; "Surname, Given" (or a group name) */
    WN_F_YEAR,         /* four digits */
    WN_F_DATE,         /* publication date as given (2019/03/12, 2019 Mar) */
    WN_F_JOURNAL,      /* full journal / book / proceedings title */
    WN_F_JOURNAL_ABBR,
    WN_F_VOLUME,
    WN_F_ISSUE,
    WN_F_PAGES,        /* as given: "123-9", "e1234" */
    WN_F_START_PAGE,   /* derived from PAGES, or given separately */
    WN_F_END_PAGE,     /* expanded: "123-9" gives 129 */
    WN_F_DOI,          /* lower-cased, without resolver prefix */
    WN_F_PMID,
    WN_F_PMCID,
    WN_F_ISSN,         /* repeatable */
    WN_F_ISBN,         /* repeatable */
    WN_F_LANGUAGE,
    WN_F_KEYWORD,      /* repeatable */
    WN_F_PUBTYPE,      /* repeatable: publication types (PT, MeSH PT ...) */
    WN_F_URL,          /* repeatable */
    WN_F_PUBLISHER,
    WN_F_SOURCE_ID,    /* the input's own id: RIS ID, BibTeX key, AN, id column */
    WN_F_ABSTRACT,
    WN_F_EXTRA,        /* anything else; carries the format's tag */
    WN_F_COUNT
} wn_field;

/* Stable lower-case name ("title", "journal_abbr"); NULL for bad ids. */
const char *wn_field_name(wn_field f);
/* Field id by name, or -1. */
int wn_field_by_name(const char *name);
/* Non-zero for fields that may occur more than once per record. */
int wn_field_is_list(wn_field f);

typedef struct wn_record wn_record;

/* One field occurrence as seen by readers. */
typedef struct wn_field_value {
    wn_field field;
    const char *tag;   /* format's tag (may be "" when none); borrowed */
    const char *value; /* NUL-terminated; borrowed */
    size_t len;
} wn_field_value;

/* Where a record came from inside its input: 1-based line, byte offset and
 * length of its text in the (decoded) input, and its 1-based position. */
typedef struct wn_origin {
    size_t line;
    size_t offset;
    size_t length;
    size_t position;
} wn_origin;

/* Returns owned, or NULL when out of memory. */
wn_record *wn_record_new(void);
void wn_record_free(wn_record *r);
/* Forgets all fields and the origin, keeping memory for reuse. */
void wn_record_reset(wn_record *r);

/* Adds a copy of value[0..len) (trimmed of surrounding white space; an empty
 * value is not added and returns 0). tag may be NULL. Returns 0 or WN_ENOMEM
 * (also when a record would exceed WN_RECORD_MAX bytes). */
#define WN_RECORD_MAX (64u * 1024u * 1024u)
int wn_record_add(wn_record *r, wn_field f, const char *tag, const char *value,
                  size_t len);
int wn_record_add_str(wn_record *r, wn_field f, const char *tag,
                      const char *value);
/* Replaces every occurrence of f with one value (or removes f when value is
 * NULL or empty). */
int wn_record_set(wn_record *r, wn_field f, const char *value, size_t len);
/* Replaces the value of the i-th occurrence (insertion order), keeping its
 * place and tag; an empty value removes it. */
int wn_record_replace_at(wn_record *r, size_t i, const char *value, size_t len);
/* Moves the i-th occurrence to another field (and tag), in place. */
int wn_record_retag_at(wn_record *r, size_t i, wn_field f, const char *tag);
/* Removes the i-th occurrence. */
void wn_record_remove_at(wn_record *r, size_t i);
/* Removes every occurrence of f. */
void wn_record_remove(wn_record *r, wn_field f);

/* Number of field occurrences, and the i-th one in insertion order. */
size_t wn_record_size(const wn_record *r);
wn_field_value wn_record_at(const wn_record *r, size_t i);
/* How many occurrences of f, and the idx-th (NULL past the end). */
size_t wn_record_count(const wn_record *r, wn_field f);
const char *wn_record_get(const wn_record *r, wn_field f, size_t idx);
/* First value of f, or NULL. */
const char *wn_record_first(const wn_record *r, wn_field f);

wn_origin *wn_record_origin(wn_record *r);
const wn_origin *wn_record_origin_c(const wn_record *r);

/* Deep copy of src into dst (dst is reset first). */
int wn_record_copy(wn_record *dst, const wn_record *src);

#endif
