/* A tiny HTTP/1.1 server on 127.0.0.1 for the fetch tests.
 *
 * It answers requests one connection at a time, in order, from a script of
 * steps: each request gets the next step's response (a fixture file under
 * fixtures/http/ or an inline body) and may be made to misbehave: answer
 * late, reset the connection mid-body, or send a cut body. Every request's
 * target is kept for assertions; requests past the script get a 500. */
#ifndef WINNOW_HTTP_FIXTURE_H
#define WINNOW_HTTP_FIXTURE_H

#include <stddef.h>

typedef struct t_http_step {
    int status;          /* 0: 200 */
    const char *file;    /* body: fixtures/http/FILE ... */
    const char *body;    /* ... or this text (file wins) */
    const char *headers; /* extra header lines, each ending in \r\n */
    int delay_ms;        /* wait this long before answering (until the client leaves) */
    int reset_after;     /* >0: announce the whole body, send this many bytes, then reset */
    int cut_to;          /* >0: send only this many bytes, with a matching Content-Length */
} t_http_step;

typedef struct t_http_server t_http_server;

/* Starts serving steps[0..n) (borrowed; must outlive the server) on an
 * ephemeral port; fails the test when it cannot. */
t_http_server *t_http_start(const t_http_step *steps, size_t n);
/* Serves steps[0..n) from now on, on the same port, and forgets the
 * requests so far (a server that comes back after an outage). */
void t_http_reset(t_http_server *s, const t_http_step *steps, size_t n);
/* "http://127.0.0.1:PORT" */
const char *t_http_base(const t_http_server *s);
/* Requests received so far, and the target ("/path?query") of request i. */
size_t t_http_count(t_http_server *s);
const char *t_http_target(t_http_server *s, size_t i);
/* Stops the server (waiting for its thread) and frees it. */
void t_http_stop(t_http_server *s);

#endif
