/* Internal: the side file where a fetch keeps its pages until it is done.
 *
 * An sqlite file beside the project holding the fetch's state (one JSON
 * text: what was asked, the reported total, where to go on) and every page
 * received. A page and the state that follows from it are written in one
 * transaction, so after any interruption the file says exactly which pages
 * are in and where to continue. */
#ifndef WINNOW_FETCH_STAGE_H
#define WINNOW_FETCH_STAGE_H

#include <stddef.h>

#include "winnow/error.h"

typedef struct wn_stage wn_stage;

typedef struct wn_staged_page {
    long seq;
    char *kind;       /* "search" or "records" */
    char *url;        /* without api key */
    long status;
    char *fetched_at;
    char sha256[65];
    size_t records;
    char *body;
    size_t len;
} wn_staged_page;

/* Opens (create: or creates) the side file at path. WN_ENOTFOUND when it
 * does not exist and create is 0. */
int wn_stage_open(wn_stage **out, const char *path, int create, wn_err *err);
void wn_stage_close(wn_stage *s);
/* Deletes the side file at path (and its journal); missing is fine. */
void wn_stage_remove(const char *path);

/* The saved state (owned JSON text), or NULL in *state when none yet. */
int wn_stage_state(wn_stage *s, char **state, wn_err *err);
/* Saves the state, with the page if pg is not NULL, in one transaction. */
int wn_stage_put(wn_stage *s, const wn_staged_page *pg, const char *state, wn_err *err);
/* Every page in seq order (owned; free with wn_stage_pages_free). */
int wn_stage_pages(wn_stage *s, wn_staged_page **pages, size_t *n, wn_err *err);
void wn_stage_pages_free(wn_staged_page *pages, size_t n);

#endif
