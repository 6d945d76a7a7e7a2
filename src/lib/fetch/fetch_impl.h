/* Internal: what the fetch driver (fetch.c) asks of each API (apis.c). */
#ifndef WINNOW_FETCH_IMPL_H
#define WINNOW_FETCH_IMPL_H

#include <stddef.h>

#include "winnow/buf.h"
#include "winnow/fetch.h"

/* What one response said. */
typedef struct api_answer {
    size_t records;      /* on this page */
    size_t total;        /* reported total */
    int has_total;
    char *next;          /* owned: next cursor; NULL when the API gave none */
    char *webenv;        /* PubMed search: owned */
    char *query_key;
} api_answer;

void api_answer_clear(api_answer *a);

/* The request that gives the total (PubMed's esearch, which also opens the
 * history; a one-record page elsewhere), without the api key. */
int api_count_url(const wn_fetch_opts *o, const char *base, int dry_run, wn_buf *url);
/* The page of records after `next` (a cursor, or PubMed's retstart), without
 * the api key. webenv/query_key: PubMed's history from the search. */
int api_page_url(const wn_fetch_opts *o, const char *base, const char *next,
                 const char *webenv, const char *query_key, wn_buf *url);
/* Appends the api key parameter (when there is one). */
int api_add_key(const wn_fetch_opts *o, wn_buf *url);

/* Reads a count response into a (WN_EPARSE: damaged; WN_EINVAL: refused). */
int api_read_count(const wn_fetch_opts *o, const char *what, const char *body, size_t len,
                   api_answer *a, wn_err *err);
/* Reads a page of records into a, checking the format's reader takes it. */
int api_read_page(const wn_fetch_opts *o, const char *what, const char *body, size_t len,
                  api_answer *a, wn_err *err);

/* The format records of the API are read with ("pubmed-xml", ...). */
const char *api_format(wn_fetch_api api);
/* The API's page size: o->page_size or its usual, and its largest. */
size_t api_page_size(const wn_fetch_opts *o);
size_t api_max_page_size(wn_fetch_api api);

#endif
