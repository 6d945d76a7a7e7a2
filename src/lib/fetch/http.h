/* Internal: one polite HTTP GET client over libcurl, for the fetchers.
 *
 * Every request waits out the politeness interval since the previous one,
 * and is retried with doubling waits on timeouts, dropped connections, 429
 * and 5xx (a Retry-After from the server is honoured), and on a body the
 * caller's check refuses (a truncated page). Other statuses fail at once
 * with the API's own message. */
#ifndef WINNOW_FETCH_HTTP_H
#define WINNOW_FETCH_HTTP_H

#include <signal.h>
#include <stddef.h>

#include "winnow/buf.h"
#include "winnow/error.h"

typedef struct wn_http_opts {
    long connect_timeout_ms;
    long timeout_ms;
    int max_tries;
    long backoff_ms;
    long max_wait_ms;
    long min_interval_ms; /* 0: none */
    size_t max_body;
    const char *user_agent;
    volatile sig_atomic_t *cancel; /* may be NULL */
} wn_http_opts;

typedef struct wn_http wn_http;

/* Checks a 200 body; returns 0, or WN_EPARSE with a message in err when the
 * body is damaged (the request is then tried again). */
typedef int (*wn_http_check_fn)(void *ctx, const char *body, size_t len, wn_err *err);

/* Returns owned, or NULL when out of memory. Borrows o (must outlive h). */
wn_http *wn_http_new(const wn_http_opts *o);
void wn_http_free(wn_http *h);

/* GETs url into body (cleared first) and sets *status. what names the
 * request in messages ("PubMed page 2"); shown_url is url as it may be
 * printed (no api key). Returns 0, WN_EABORT when cancelled, WN_EINVAL when
 * the server refused the request, WN_EIO after the last try. */
int wn_http_get(wn_http *h, const char *url, const char *shown_url, const char *what,
                wn_http_check_fn check, void *ctx, wn_buf *body, long *status, wn_err *err);

/* Requests made and retries among them, since wn_http_new. */
size_t wn_http_requests(const wn_http *h);
size_t wn_http_retries(const wn_http *h);

/* Appends s percent-encoded for a query string (RFC 3986 unreserved kept). */
int wn_url_escape(wn_buf *b, const char *s);

/* Seconds since an arbitrary start (monotonic). */
double wn_monotonic(void);

#endif
