/* Project tables of the API fetchers (migration 2).
 *
 * A fetch is one source (kind database) plus one fetch_run row saying what
 * was asked of which server and what it answered, and one fetch_page row per
 * HTTP response that was used, with the SHA-256 of its body: the count
 * request, PubMed's esearch, and every page of records. The record pages'
 * bodies themselves are the source's text (source_text), in page order. */
#include "store/schema.h"

const char wn_schema_fetch[] =
    "CREATE TABLE fetch_run ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL UNIQUE REFERENCES source(id),"
    "  api TEXT NOT NULL,"            /* pubmed, openalex, crossref */
    "  base_url TEXT NOT NULL,"
    "  query TEXT NOT NULL,"
    "  params TEXT NOT NULL,"         /* JSON: every parameter but the key */
    "  reported_total INTEGER NOT NULL,"
    "  records INTEGER NOT NULL,"
    "  started_at TEXT NOT NULL,"     /* first request (of the first run) */
    "  finished_at TEXT NOT NULL,"
    "  requests INTEGER NOT NULL,"    /* of the run that finished */
    "  retries INTEGER NOT NULL);"
    "CREATE TABLE fetch_page ("
    "  run_id INTEGER NOT NULL REFERENCES fetch_run(id),"
    "  seq INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"           /* search or records */
    "  url TEXT NOT NULL,"            /* as requested, any api_key removed */
    "  http_status INTEGER NOT NULL,"
    "  fetched_at TEXT NOT NULL,"
    "  bytes INTEGER NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  records INTEGER NOT NULL,"
    "  text_offset INTEGER,"          /* where the body starts in source_text */
    "  PRIMARY KEY (run_id, seq)) WITHOUT ROWID;";
