/* winnow — searching PubMed, OpenAlex and Crossref directly.
 *
 * A fetch runs the search, pages through every record the API returns and
 * stores them as one source of kind "database" together with what was asked
 * (query, parameters, base URL), when, what the API reported as its total,
 * and the SHA-256 of every response body.
 *
 * All or nothing: pages are staged in a side file beside the project
 * ("PROJECT.fetch-<key>", an sqlite file) as they arrive; only when the last
 * page is in are the source, its records and the fetch log written to the
 * project, in one transaction. A fetch that stops (network, Ctrl-C, an API
 * error) leaves the project unchanged and the side file in place; running
 * the same fetch again continues from the saved cursor or retstart. */
#ifndef WINNOW_FETCH_H
#define WINNOW_FETCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "winnow/project.h"

typedef enum wn_fetch_api {
    WN_API_PUBMED,
    WN_API_OPENALEX,
    WN_API_CROSSREF,
} wn_fetch_api;

/* "pubmed", "openalex", "crossref" and back; -1 when unknown. */
const char *wn_fetch_api_name(wn_fetch_api api);
int wn_fetch_api_find(const char *name);
/* The source name a fetch's records are filed under ("PubMed", ...). */
const char *wn_fetch_api_label(wn_fetch_api api);
/* Base URL used when none is given: the environment variable
 * WINNOW_PUBMED_URL / WINNOW_OPENALEX_URL / WINNOW_CROSSREF_URL if set, else
 * the public API. Never NULL. */
const char *wn_fetch_default_base(wn_fetch_api api);

typedef struct wn_fetch_progress {
    size_t records;  /* retrieved so far (staged pages included) */
    size_t total;    /* as reported by the API */
    size_t pages;
    double elapsed;  /* seconds since this run started */
    size_t resumed;  /* records that were already staged at the start */
} wn_fetch_progress;

typedef struct wn_fetch_opts {
    wn_fetch_api api;
    const char *base_url;   /* NULL: wn_fetch_default_base */
    const char *query;      /* PubMed term, OpenAlex search, Crossref query */
    const char *filter;     /* OpenAlex or Crossref filter; NULL: none */
    const char *mindate;    /* PubMed publication date range; NULL: none */
    const char *maxdate;
    const char *api_key;    /* sent, never stored */
    const char *email;      /* PubMed email, OpenAlex/Crossref mailto */
    size_t page_size;       /* 0: the API's usual (500, 200, 1000) */
    int dry_run;            /* only ask for the total; nothing is written */
    int force;              /* store even if the same responses are a source */
    int restart;            /* discard a staged fetch and start over */
    /* Network behaviour; 0 means the default given in brackets. */
    long connect_timeout_ms; /* [10000] */
    long timeout_ms;         /* [120000] each request, start to end */
    int max_tries;           /* [5] per request */
    long backoff_ms;         /* [1000] first wait, doubled each retry */
    long max_wait_ms;        /* [120000] longest wait; a longer Retry-After fails */
    long min_interval_ms;    /* [politeness: 334 or 100 for PubMed with a
                                key, 100 for OpenAlex, 200 for Crossref];
                                negative: none */
    /* Set to non-zero (e.g. from a signal handler) to stop at once. */
    volatile sig_atomic_t *cancel;
    void (*on_progress)(void *user, const wn_fetch_progress *pr);
    wn_warning_fn on_warning;
    void *user;
} wn_fetch_opts;

typedef struct wn_fetch_result {
    int64_t source_id;     /* 0 for a dry run */
    size_t total;          /* the API's reported count */
    size_t records;        /* records stored */
    size_t pages;          /* record pages */
    size_t requests;       /* HTTP requests of this run, retries included */
    size_t retries;
    size_t resumed_pages;  /* pages taken over from a staged fetch */
    size_t warnings;
    char sha256[65];       /* of the stored text (all record pages) */
    char staged[4096];     /* the side file, when one is left behind */
} wn_fetch_result;

/* Runs the fetch described by o into p (p may be NULL for a dry run).
 * Errors are on p (wn_project_errmsg) or, without p, in err; err may be NULL
 * when p is given. WN_EABORT when cancelled; WN_EIO for network failures
 * after all tries; WN_EINVAL when the API refused the query (its message is
 * shown); WN_EEXISTS when identical responses are already a source. */
int wn_fetch(wn_project *p, const wn_fetch_opts *o, const wn_actor *actor,
             wn_fetch_result *res, wn_err *err);

/* What a stored fetch asked and what came back, as logged in fetch_run and
 * fetch_page. Strings are valid during the callback only. */
typedef struct wn_fetch_run_info {
    int64_t source_id;
    const char *api, *base_url, *query;
    const char *params; /* JSON: every parameter but the key */
    size_t reported_total, records, requests, retries;
    const char *started_at, *finished_at;
} wn_fetch_run_info;

typedef struct wn_fetch_page_info {
    int64_t source_id;
    long seq;
    const char *kind; /* "search" or "records" */
    const char *url;  /* without the key */
    long http_status;
    const char *fetched_at;
    size_t bytes, records;
    const char *sha256;
} wn_fetch_page_info;

/* Calls on_run for each stored fetch (of source_id only, when not 0), in
 * source order, then on_page for each of its responses in order; either
 * callback may be NULL. A non-zero return from a callback stops and is
 * returned. WN_ENOTFOUND when source_id is given but is not a fetch. */
int wn_fetch_log(wn_project *p, int64_t source_id,
                 int (*on_run)(void *user, const wn_fetch_run_info *run),
                 int (*on_page)(void *user, const wn_fetch_page_info *page), void *user);

/* The side files of unfinished fetches of the project at project_path:
 * calls fn with each one's path and its stored options (strings valid
 * during the call only). */
int wn_fetch_pending(const char *project_path,
                     int (*fn)(void *user, const char *path, const wn_fetch_opts *o),
                     void *user, wn_err *err);

#endif
