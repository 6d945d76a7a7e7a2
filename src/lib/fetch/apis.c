/* The three APIs: how to ask each for a count and for a page, and how to
 * read what it answers.
 *
 * PubMed (E-utilities): esearch with usehistory=y gives the count and a
 * WebEnv/query_key; efetch then returns PubMed XML in batches by retstart.
 * OpenAlex: /works?search=...&cursor=* pages by meta.next_cursor.
 * Crossref: /works?query=...&cursor=* pages by message.next-cursor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fetch/fetch_impl.h"
#include "fetch/http.h"
#include "winnow/import.h"
#include "winnow/text.h"

static const struct {
    const char *name, *label, *env, *base, *format;
    size_t page, max_page;
} apis[] = {
    [WN_API_PUBMED] = {"pubmed", "PubMed", "WINNOW_PUBMED_URL",
                       "https://eutils.ncbi.nlm.nih.gov/entrez/eutils", "pubmed-xml", 500,
                       10000},
    [WN_API_OPENALEX] = {"openalex", "OpenAlex", "WINNOW_OPENALEX_URL",
                         "https://api.openalex.org", "openalex", 200, 200},
    [WN_API_CROSSREF] = {"crossref", "Crossref", "WINNOW_CROSSREF_URL",
                         "https://api.crossref.org", "crossref", 1000, 1000},
};
#define N_APIS (sizeof apis / sizeof apis[0])

const char *wn_fetch_api_name(wn_fetch_api api) { return apis[api].name; }
const char *wn_fetch_api_label(wn_fetch_api api) { return apis[api].label; }
const char *api_format(wn_fetch_api api) { return apis[api].format; }
size_t api_max_page_size(wn_fetch_api api) { return apis[api].max_page; }
size_t api_page_size(const wn_fetch_opts *o)
{
    return o->page_size ? o->page_size : apis[o->api].page;
}

int wn_fetch_api_find(const char *name)
{
    for (size_t i = 0; i < N_APIS; i++)
        if (strcmp(apis[i].name, name) == 0)
            return (int)i;
    return -1;
}

const char *wn_fetch_default_base(wn_fetch_api api)
{
    const char *env = getenv(apis[api].env);
    return env && *env ? env : apis[api].base;
}

void api_answer_clear(api_answer *a)
{
    free(a->next);
    free(a->webenv);
    free(a->query_key);
    memset(a, 0, sizeof *a);
}

/* "&name=value" with the value escaped (no '&' right after the '?');
 * nothing when value is NULL. */
static int param(wn_buf *url, const char *name, const char *value)
{
    if (!value)
        return 0;
    const char *sep = url->len && url->data[url->len - 1] == '?' ? "" : "&";
    return wn_buf_printf(url, "%s%s=", sep, name) || wn_url_escape(url, value) ? WN_ENOMEM
                                                                               : 0;
}

int api_add_key(const wn_fetch_opts *o, wn_buf *url)
{
    return o->api_key && *o->api_key ? param(url, "api_key", o->api_key) : 0;
}

/* Parameters every request of the API carries: who is asking. */
static int polite(const wn_fetch_opts *o, wn_buf *url)
{
    if (o->api == WN_API_PUBMED)
        return param(url, "tool", "winnow") || param(url, "email", o->email);
    return param(url, "mailto", o->email);
}

static int search_params(const wn_fetch_opts *o, wn_buf *url)
{
    switch (o->api) {
    case WN_API_PUBMED:
        return param(url, "term", o->query) ||
               (o->mindate && (param(url, "datetype", "pdat") ||
                               param(url, "mindate", o->mindate) ||
                               param(url, "maxdate", o->maxdate)));
    case WN_API_OPENALEX:
        return param(url, "search", o->query) || param(url, "filter", o->filter);
    case WN_API_CROSSREF:
        return param(url, "query", o->query) || param(url, "filter", o->filter);
    }
    return WN_EINVAL;
}

static int start(const char *base, const char *path, wn_buf *url)
{
    wn_buf_clear(url);
    return wn_buf_printf(url, "%s%s", base, path) ? WN_ENOMEM : 0;
}

int api_count_url(const wn_fetch_opts *o, const char *base, int dry_run, wn_buf *url)
{
    int bad;
    switch (o->api) {
    case WN_API_PUBMED:
        bad = start(base, "/esearch.fcgi?db=pubmed", url) || search_params(o, url) ||
              (!dry_run && param(url, "usehistory", "y")) || param(url, "retmax", "0") ||
              param(url, "retmode", "json");
        break;
    case WN_API_OPENALEX:
        bad = start(base, "/works?", url) || search_params(o, url) ||
              param(url, "per-page", "1") || param(url, "select", "id");
        break;
    default:
        bad = start(base, "/works?", url) || search_params(o, url) || param(url, "rows", "0");
        break;
    }
    return bad || polite(o, url) ? WN_ENOMEM : 0;
}

int api_page_url(const wn_fetch_opts *o, const char *base, const char *next,
                 const char *webenv, const char *query_key, wn_buf *url)
{
    char size[32];
    snprintf(size, sizeof size, "%zu", api_page_size(o));
    int bad;
    if (o->api == WN_API_PUBMED) {
        bad = start(base, "/efetch.fcgi?db=pubmed", url) || param(url, "query_key", query_key) ||
              param(url, "WebEnv", webenv) || param(url, "retstart", next) ||
              param(url, "retmax", size) || param(url, "retmode", "xml");
    } else {
        bad = start(base, "/works?", url) || search_params(o, url) ||
              param(url, o->api == WN_API_OPENALEX ? "per-page" : "rows", size) ||
              param(url, "cursor", next);
    }
    return bad || polite(o, url) ? WN_ENOMEM : 0;
}

/* ---- reading answers ----------------------------------------------- */

static const cJSON *at(const cJSON *j, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(j, key);
}

/* A count given as a number or as a string of digits. */
static int read_count(const cJSON *j, size_t *n)
{
    if (cJSON_IsNumber(j) && j->valuedouble >= 0) {
        *n = (size_t)j->valuedouble;
        return 1;
    }
    if (cJSON_IsString(j) && j->valuestring[0] &&
        strspn(j->valuestring, "0123456789") == strlen(j->valuestring)) {
        *n = (size_t)strtoull(j->valuestring, NULL, 10);
        return 1;
    }
    return 0;
}

static char *dup_string(const cJSON *j)
{
    return cJSON_IsString(j) && j->valuestring[0] ? wn_strdup(j->valuestring) : NULL;
}

static int damaged(wn_err *err, const char *what, const char *why)
{
    return wn_err_set(err, WN_EPARSE, "%s is damaged: %s", what, why);
}

static int read_json_page(const wn_fetch_opts *o, const char *what, const char *body,
                          size_t len, int keep, api_answer *a, wn_err *err);

static cJSON *load_json(const char *what, const char *body, size_t len, wn_err *err)
{
    cJSON *j = cJSON_ParseWithLength(body, len);
    if (!j)
        damaged(err, what, len ? "not complete JSON" : "empty");
    return j;
}

int api_read_count(const wn_fetch_opts *o, const char *what, const char *body, size_t len,
                   api_answer *a, wn_err *err)
{
    api_answer_clear(a);
    if (o->api != WN_API_PUBMED) /* a page whose records are not kept */
        return read_json_page(o, what, body, len, 0, a, err);
    cJSON *j = load_json(what, body, len, err);
    if (!j)
        return WN_EPARSE;
    int rc = 0;
    const cJSON *r = at(j, "esearchresult");
    const cJSON *e = at(r, "ERROR");
    if (cJSON_IsString(e)) {
        rc = wn_err_set(err, WN_EINVAL, "PubMed refused the search: %s", e->valuestring);
    } else if (!(a->has_total = read_count(at(r, "count"), &a->total))) {
        rc = damaged(err, what, "no esearchresult count");
    } else {
        a->webenv = dup_string(at(r, "webenv"));
        a->query_key = dup_string(at(r, "querykey"));
    }
    cJSON_Delete(j);
    return rc;
}

/* Runs the format's reader over a page without keeping anything, so a page
 * the final import would refuse is caught (and asked for again) now. */
static int reader_takes(const wn_fetch_opts *o, const char *what, const char *body,
                        size_t len, size_t *records, wn_err *err)
{
    if (!wn_utf8_valid(body, len))
        return damaged(err, what, "not valid UTF-8");
    wn_parse_opts po = {what, NULL, NULL, NULL};
    wn_parse_stats st = {0, 0};
    int rc = wn_parse(wn_format_find(api_format(o->api)), body, len, &po, &st, err);
    if (rc)
        return rc == WN_ENOMEM ? rc : WN_EPARSE;
    *records = st.records;
    return 0;
}

/* An OpenAlex or Crossref page: total, next cursor and, when its records
 * are to be kept, a check that the reader takes them. */
static int read_json_page(const wn_fetch_opts *o, const char *what, const char *body,
                          size_t len, int keep, api_answer *a, wn_err *err)
{
    cJSON *j = load_json(what, body, len, err);
    if (!j)
        return WN_EPARSE;
    int rc = 0;
    const cJSON *list, *meta;
    if (o->api == WN_API_OPENALEX) {
        meta = at(j, "meta");
        list = at(j, "results");
        a->has_total = read_count(at(meta, "count"), &a->total);
        a->next = dup_string(at(meta, "next_cursor"));
    } else {
        meta = at(j, "message");
        list = at(meta, "items");
        a->has_total = read_count(at(meta, "total-results"), &a->total);
        a->next = dup_string(at(meta, "next-cursor"));
    }
    if (!cJSON_IsArray(list) || !a->has_total)
        rc = damaged(err, what, o->api == WN_API_OPENALEX ? "no results or meta.count"
                                                          : "no message items or total");
    else if (keep && cJSON_GetArraySize(list) > 0)
        rc = reader_takes(o, what, body, len, &a->records, err);
    cJSON_Delete(j);
    return rc;
}

int api_read_page(const wn_fetch_opts *o, const char *what, const char *body, size_t len,
                  api_answer *a, wn_err *err)
{
    api_answer_clear(a);
    if (o->api != WN_API_PUBMED)
        return read_json_page(o, what, body, len, 1, a, err);
    const char *e = strstr(body, "<ERROR>");
    if (e) {
        const char *end = strstr(e, "</ERROR>");
        int n = end ? (int)(end - e - 7) : 0;
        return wn_err_set(err, WN_EINVAL, "%s refused by PubMed: %.*s", what,
                          n > 300 ? 300 : n, e + 7);
    }
    return reader_takes(o, what, body, len, &a->records, err);
}
