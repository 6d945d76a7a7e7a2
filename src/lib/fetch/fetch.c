/* A fetch from start to end: ask for the count, page through the records
 * into the side file, then store everything in the project at once. */
#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fetch/fetch_impl.h"
#include "fetch/http.h"
#include "fetch/stage.h"
#include "store/db.h"

#define MAX_BODY ((size_t)256 << 20)
/* E-utilities hand out only the first 10,000 records of a PubMed search,
 * through esearch and through the history server alike. */
#define PUBMED_MAX_RECORDS 10000
#define STAGE_INFIX ".fetch-"

/* One fetch while it runs. */
typedef struct run {
    wn_fetch_opts o;       /* with the defaults filled in */
    char base[2048];       /* without trailing slashes */
    wn_http_opts http_opts;
    wn_http *http;
    wn_err *err;
    wn_buf url, shown, body;
    double t0;
    /* the state kept in the side file */
    wn_stage *stage;
    char started_at[32];
    size_t total, records, resumed, seq;
    int has_total, done;
    char *next;
    wn_fetch_result *res;
} run;

/* ---- options --------------------------------------------------------- */

static int check_opts(const wn_fetch_opts *o, wn_err *err)
{
    if ((unsigned)o->api > WN_API_CROSSREF)
        return wn_err_set(err, WN_EINVAL, "unknown API");
    const char *label = wn_fetch_api_label(o->api);
    if (!o->query || !*o->query)
        return wn_err_set(err, WN_EINVAL, "a %s fetch needs a query", label);
    if (o->api == WN_API_PUBMED && o->filter)
        return wn_err_set(err, WN_EINVAL, "PubMed takes no filter: put it in the query");
    if (o->api != WN_API_PUBMED && (o->mindate || o->maxdate))
        return wn_err_set(err, WN_EINVAL, "%s takes dates as a filter, not min/max dates",
                          label);
    if (o->api == WN_API_PUBMED && !o->mindate != !o->maxdate)
        return wn_err_set(err, WN_EINVAL, "PubMed needs both a minimum and a maximum date");
    if (o->page_size > api_max_page_size(o->api))
        return wn_err_set(err, WN_EINVAL, "%s returns at most %zu records a page", label,
                          api_max_page_size(o->api));
    return 0;
}

static long or_default(long v, long def) { return v ? v : def; }

static void fill_defaults(run *r, const wn_fetch_opts *o)
{
    r->o = *o;
    const char *base = o->base_url ? o->base_url : wn_fetch_default_base(o->api);
    size_t n = strlen(base);
    while (n && base[n - 1] == '/')
        n--;
    snprintf(r->base, sizeof r->base, "%.*s", (int)n, base);
    r->o.base_url = r->base;
    r->o.page_size = api_page_size(o);
    long polite = o->api == WN_API_PUBMED ? (o->api_key && *o->api_key ? 100 : 334)
                  : o->api == WN_API_OPENALEX ? 100
                                              : 200;
    wn_http_opts *h = &r->http_opts;
    h->connect_timeout_ms = or_default(o->connect_timeout_ms, 10000);
    h->timeout_ms = or_default(o->timeout_ms, 120000);
    h->max_tries = o->max_tries > 0 ? o->max_tries : 5;
    h->backoff_ms = or_default(o->backoff_ms, 1000);
    h->max_wait_ms = or_default(o->max_wait_ms, 120000);
    h->min_interval_ms = o->min_interval_ms < 0 ? 0 : or_default(o->min_interval_ms, polite);
    h->max_body = MAX_BODY;
    h->user_agent = "winnow/" WINNOW_VERSION " (systematic review screening)";
    h->cancel = o->cancel;
}

/* What identifies a fetch (and its side file): not the key or the email,
 * which change nothing in the answer. */
static cJSON *params_json(const wn_fetch_opts *o, int with_contact)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    cJSON_AddStringToObject(j, "api", wn_fetch_api_name(o->api));
    cJSON_AddStringToObject(j, "base_url", o->base_url);
    cJSON_AddStringToObject(j, "query", o->query);
    if (o->filter)
        cJSON_AddStringToObject(j, "filter", o->filter);
    if (o->mindate)
        cJSON_AddStringToObject(j, "mindate", o->mindate);
    if (o->maxdate)
        cJSON_AddStringToObject(j, "maxdate", o->maxdate);
    cJSON_AddNumberToObject(j, "page_size", (double)o->page_size);
    if (with_contact) {
        if (o->email)
            cJSON_AddStringToObject(j, "email", o->email);
        cJSON_AddBoolToObject(j, "api_key", o->api_key && *o->api_key);
    }
    return j;
}

static int stage_path(const char *project_path, const wn_fetch_opts *o, wn_buf *out,
                      wn_err *err)
{
    cJSON *j = params_json(o, 0);
    char *text = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!text)
        return wn_err_set(err, WN_ENOMEM, "out of memory");
    char hash[65];
    wn_sha256_hex(text, strlen(text), hash);
    free(text);
    wn_buf_clear(out);
    if (wn_buf_printf(out, "%s" STAGE_INFIX "%s-%.12s", project_path,
                      wn_fetch_api_name(o->api), hash))
        return wn_err_set(err, WN_ENOMEM, "out of memory");
    return 0;
}

/* ---- the side file's state ------------------------------------------- */

static int save_state(run *r, const wn_staged_page *pg)
{
    cJSON *j = params_json(&r->o, 1);
    if (!j)
        return wn_err_set(r->err, WN_ENOMEM, "out of memory");
    cJSON_AddStringToObject(j, "started_at", r->started_at);
    if (r->has_total)
        cJSON_AddNumberToObject(j, "total", (double)r->total);
    cJSON_AddNumberToObject(j, "records", (double)r->records);
    cJSON_AddNumberToObject(j, "seq", (double)r->seq);
    if (r->next)
        cJSON_AddStringToObject(j, "next", r->next);
    cJSON_AddBoolToObject(j, "done", r->done);
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!text)
        return wn_err_set(r->err, WN_ENOMEM, "out of memory");
    int rc = wn_stage_put(r->stage, pg, text, r->err);
    free(text);
    return rc;
}

static const char *str_at(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num_at(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static int load_state(run *r, const char *text)
{
    cJSON *j = cJSON_Parse(text);
    if (!j)
        return wn_err_set(r->err, WN_EPARSE, "the staged fetch's state is damaged; "
                                             "start over with --restart");
    const char *started = str_at(j, "started_at"), *next = str_at(j, "next");
    snprintf(r->started_at, sizeof r->started_at, "%s", started ? started : "");
    r->has_total = cJSON_GetObjectItemCaseSensitive(j, "total") != NULL;
    r->total = (size_t)num_at(j, "total");
    r->records = (size_t)num_at(j, "records");
    r->seq = (size_t)num_at(j, "seq");
    r->done = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "done"));
    r->next = next ? wn_strdup(next) : NULL;
    cJSON_Delete(j);
    return next && !r->next ? wn_err_set(r->err, WN_ENOMEM, "out of memory") : 0;
}

/* ---- requests ------------------------------------------------------- */

typedef struct page_check {
    const wn_fetch_opts *o;
    const char *what;
    int count; /* a count response, not a page of records */
    api_answer *a;
} page_check;

static int check_body(void *ctx, const char *body, size_t len, wn_err *err)
{
    page_check *c = ctx;
    return c->count ? api_read_count(c->o, c->what, body, len, c->a, err)
                    : api_read_page(c->o, c->what, body, len, c->a, err);
}

/* GETs r->url (r->shown is the same without the key) into r->body. */
static int get(run *r, const char *what, int count, api_answer *a, long *status)
{
    wn_buf_clear(&r->shown);
    if (wn_buf_append(&r->shown, r->url.data, r->url.len) ||
        api_add_key(&r->o, &r->url))
        return wn_err_set(r->err, WN_ENOMEM, "out of memory");
    page_check c = {&r->o, what, count, a};
    int rc = wn_http_get(r->http, r->url.data, r->shown.data, what, check_body, &c, &r->body,
                         status, r->err);
    r->res->requests = wn_http_requests(r->http);
    r->res->retries = wn_http_retries(r->http);
    return rc;
}

static int stage_page(run *r, const char *kind, long status, size_t records)
{
    wn_staged_page pg;
    memset(&pg, 0, sizeof pg);
    char now[32];
    wn_utc_now(now);
    pg.seq = (long)r->seq++;
    pg.kind = (char *)kind;
    pg.url = r->shown.data;
    pg.status = status;
    pg.fetched_at = now;
    wn_sha256_hex(r->body.data ? r->body.data : "", r->body.len, pg.sha256);
    pg.records = records;
    pg.body = r->body.data;
    pg.len = r->body.len;
    return save_state(r, &pg);
}

static void progress(run *r)
{
    r->res->total = r->total;
    if (!r->o.on_progress)
        return;
    wn_fetch_progress pr = {r->records, r->total, r->seq, wn_monotonic() - r->t0, r->resumed};
    r->o.on_progress(r->o.user, &pr);
}

/* Tells the caller of a fetch that stopped short of the reported total. */
static void warn_short(run *r, const char *what)
{
    if (!r->o.on_warning)
        return;
    char msg[200];
    snprintf(msg, sizeof msg, "%s gave %zu of the %zu records it reported, then no more; "
             "stopping there", wn_fetch_api_label(r->o.api), r->records, r->total);
    wn_warning w = {what, 0, 0, msg};
    r->o.on_warning(r->o.user, &w);
}

static int set_next(run *r, const char *next)
{
    free(r->next);
    r->next = next ? wn_strdup(next) : NULL;
    return next && !r->next ? wn_err_set(r->err, WN_ENOMEM, "out of memory") : 0;
}

static int fetch_pubmed(run *r)
{
    api_answer a;
    memset(&a, 0, sizeof a);
    long status;
    int rc;
    /* Each run searches again: a WebEnv from an earlier run may be gone. */
    if ((rc = api_count_url(&r->o, r->base, 0, &r->url)) ||
        (rc = get(r, "the PubMed search", 1, &a, &status)))
        goto done;
    if (a.total > PUBMED_MAX_RECORDS) {
        rc = wn_err_set(r->err, WN_EINVAL,
                        "PubMed finds %zu records for this search but hands out only the "
                        "first %d; split it into searches of at most %d (for instance by "
                        "--mindate/--maxdate)",
                        a.total, PUBMED_MAX_RECORDS, PUBMED_MAX_RECORDS);
        goto done;
    }
    if (!r->has_total) {
        r->total = a.total;
        r->has_total = 1;
        if ((rc = set_next(r, "0")) || (rc = stage_page(r, "search", status, 0)))
            goto done;
    } else if (a.total != r->total) {
        rc = wn_err_set(r->err, WN_EINVAL,
                        "the PubMed result changed since this fetch began (%zu records then, "
                        "%zu now); start over with --restart",
                        r->total, a.total);
        goto done;
    }
    progress(r);
    if (r->total && (!a.webenv || !a.query_key)) {
        rc = wn_err_set(r->err, WN_EIO, "PubMed's search gave no WebEnv/query_key to fetch "
                                        "the records with");
        goto done;
    }
    char *webenv = a.webenv, *query_key = a.query_key;
    a.webenv = a.query_key = NULL;
    while (!rc) {
        size_t retstart = r->next ? (size_t)strtoull(r->next, NULL, 10) : r->total;
        if (retstart >= r->total)
            break;
        char what[64], next[32];
        snprintf(what, sizeof what, "PubMed page %zu", r->seq);
        if ((rc = api_page_url(&r->o, r->base, r->next, webenv, query_key, &r->url)) ||
            (rc = get(r, what, 0, &a, &status)))
            break;
        snprintf(next, sizeof next, "%zu", retstart + r->o.page_size);
        r->records += a.records;
        if (a.records == 0)
            warn_short(r, what);
        if ((rc = set_next(r, a.records ? next : NULL)) ||
            (rc = stage_page(r, "records", status, a.records)))
            break;
        progress(r);
    }
    free(webenv);
    free(query_key);
done:
    api_answer_clear(&a);
    return rc;
}

static int fetch_cursor(run *r)
{
    api_answer a;
    memset(&a, 0, sizeof a);
    int rc = 0;
    if (!r->seq && (rc = set_next(r, "*")))
        return rc;
    const char *label = wn_fetch_api_label(r->o.api);
    while (r->next && !(r->has_total && r->records >= r->total)) {
        char what[64];
        long status;
        snprintf(what, sizeof what, "%s page %zu", label, r->seq + 1);
        if ((rc = api_page_url(&r->o, r->base, r->next, NULL, NULL, &r->url)) ||
            (rc = get(r, what, 0, &a, &status)))
            break;
        if (!r->has_total) {
            r->total = a.total;
            r->has_total = 1;
        }
        r->records += a.records;
        if ((rc = set_next(r, a.records ? a.next : NULL)) ||
            (rc = stage_page(r, "records", status, a.records)))
            break;
        progress(r);
        if (!r->next && r->records < r->total)
            warn_short(r, what);
    }
    api_answer_clear(&a);
    return rc;
}

/* ---- storing the finished fetch ------------------------------------- */

typedef struct commit {
    run *r;
    wn_staged_page *pages;
    size_t n_pages;
    size_t *text_of_page; /* index into the texts, or SIZE_MAX */
} commit;

static int prepare(wn_project *p, const char *sql, sqlite3_stmt **s, const char *doing)
{
    return sqlite3_prepare_v2(p->db, sql, -1, s, NULL) == SQLITE_OK ? 0 : wn_db_fail(p, doing);
}

static int write_log(void *user, wn_project *p, const wn_import_result *res,
                     const size_t *offsets)
{
    commit *c = user;
    run *r = c->r;
    cJSON *params = params_json(&r->o, 1);
    char *params_text = params ? cJSON_PrintUnformatted(params) : NULL;
    cJSON_Delete(params);
    if (!params_text)
        return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    char now[32];
    wn_utc_now(now);
    sqlite3_stmt *s = NULL;
    int rc = 0;
    if ((rc = prepare(p, "INSERT INTO fetch_run(source_id, api, base_url, query, params,"
                         " reported_total, records, started_at, finished_at, requests,"
                         " retries) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                      &s, "cannot record the fetch")))
        goto done;
    sqlite3_bind_int64(s, 1, res->source_id);
    sqlite3_bind_text(s, 2, wn_fetch_api_name(r->o.api), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->base, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->o.query, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, params_text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, (sqlite3_int64)r->total);
    sqlite3_bind_int64(s, 7, (sqlite3_int64)res->records);
    sqlite3_bind_text(s, 8, r->started_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 9, now, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 10, (sqlite3_int64)r->res->requests);
    sqlite3_bind_int64(s, 11, (sqlite3_int64)r->res->retries);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = wn_db_fail(p, "cannot record the fetch");
        goto done;
    }
    sqlite3_int64 run_id = sqlite3_last_insert_rowid(p->db);
    sqlite3_finalize(s);
    s = NULL;
    if ((rc = prepare(p, "INSERT INTO fetch_page(run_id, seq, kind, url, http_status,"
                         " fetched_at, bytes, sha256, records, text_offset)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                      &s, "cannot record the fetch's pages")))
        goto done;
    for (size_t i = 0; i < c->n_pages; i++) {
        const wn_staged_page *pg = &c->pages[i];
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, run_id);
        sqlite3_bind_int64(s, 2, pg->seq);
        sqlite3_bind_text(s, 3, pg->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, pg->url, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 5, pg->status);
        sqlite3_bind_text(s, 6, pg->fetched_at, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 7, (sqlite3_int64)pg->len);
        sqlite3_bind_text(s, 8, pg->sha256, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 9, (sqlite3_int64)pg->records);
        if (c->text_of_page[i] == SIZE_MAX)
            sqlite3_bind_null(s, 10);
        else
            sqlite3_bind_int64(s, 10, (sqlite3_int64)offsets[c->text_of_page[i]]);
        if (sqlite3_step(s) != SQLITE_DONE) {
            rc = wn_db_fail(p, "cannot record the fetch's pages");
            goto done;
        }
    }
done:
    sqlite3_finalize(s);
    free(params_text);
    return rc;
}

static int store(run *r, wn_project *p, const wn_actor *actor)
{
    commit c = {r, NULL, 0, NULL};
    wn_import_text *texts = NULL;
    char **names = NULL;
    size_t n_texts = 0;
    int rc = wn_stage_pages(r->stage, &c.pages, &c.n_pages, r->err);
    if (rc)
        return rc;
    c.text_of_page = calloc(c.n_pages + 1, sizeof *c.text_of_page);
    texts = calloc(c.n_pages + 1, sizeof *texts);
    names = calloc(c.n_pages + 1, sizeof *names);
    if (!c.text_of_page || !texts || !names) {
        rc = wn_err_set(r->err, WN_ENOMEM, "out of memory");
        goto done;
    }
    const char *label = wn_fetch_api_label(r->o.api);
    for (size_t i = 0; i < c.n_pages; i++) {
        const wn_staged_page *pg = &c.pages[i];
        c.text_of_page[i] = SIZE_MAX;
        if (pg->records == 0)
            continue; /* a search or an empty page: its hash is logged */
        wn_buf nb = WN_BUF_INIT;
        if (wn_buf_printf(&nb, "%s page %ld", label, pg->seq + (r->o.api != WN_API_PUBMED))) {
            rc = wn_err_set(r->err, WN_ENOMEM, "out of memory");
            goto done;
        }
        names[n_texts] = wn_buf_detach(&nb);
        texts[n_texts] = (wn_import_text){names[n_texts], pg->body, pg->len};
        c.text_of_page[i] = n_texts++;
    }
    char day[11];
    snprintf(day, sizeof day, "%.10s", r->started_at);
    /* Every empty result has the same (empty) text: never call it a duplicate. */
    wn_import_opts io = {NULL, r->base, label, "database", api_format(r->o.api), NULL, day,
                         r->o.query, r->o.force || n_texts == 0, r->o.on_warning, r->o.user,
                         NULL};
    char summary[700];
    snprintf(summary, sizeof summary,
             "fetched %zu records from %s '%.400s' (reported total %zu, %zu pages)", r->records,
             label, r->base, r->total, c.n_pages);
    wn_import_hook hook = {write_log, &c, summary, NULL};
    wn_import_result ir;
    rc = wn_import_texts(p, &io, texts, n_texts, &hook, actor, &ir);
    if (rc) {
        wn_err_set(r->err, rc, "%s", wn_project_errmsg(p));
        goto done;
    }
    r->res->source_id = ir.source_id;
    r->res->records = ir.records;
    r->res->warnings = ir.warnings;
    r->res->pages = n_texts;
    memcpy(r->res->sha256, ir.sha256, sizeof r->res->sha256);
done:
    for (size_t i = 0; names && i < n_texts; i++)
        free(names[i]);
    free(names);
    free(texts);
    free(c.text_of_page);
    wn_stage_pages_free(c.pages, c.n_pages);
    return rc;
}

/* ---- the entry points ------------------------------------------------ */

static int dry_run(run *r)
{
    api_answer a;
    memset(&a, 0, sizeof a);
    long status;
    char what[64];
    snprintf(what, sizeof what, "the %s count", wn_fetch_api_label(r->o.api));
    int rc = api_count_url(&r->o, r->base, 1, &r->url);
    if (!rc)
        rc = get(r, what, 1, &a, &status);
    if (!rc)
        r->res->total = a.total;
    api_answer_clear(&a);
    return rc;
}

int wn_fetch(wn_project *p, const wn_fetch_opts *o, const wn_actor *actor,
             wn_fetch_result *res, wn_err *err)
{
    wn_err local;
    if (p) {
        wn_err_clear(&p->err);
        err = &local;
    }
    wn_err_clear(err);
    memset(res, 0, sizeof *res);
    run r;
    memset(&r, 0, sizeof r);
    r.err = err;
    r.res = res;
    r.t0 = wn_monotonic();
    wn_buf stage_file = WN_BUF_INIT;
    int rc = check_opts(o, err);
    if (rc)
        goto done;
    if (!p && !o->dry_run) {
        rc = wn_err_set(err, WN_EINVAL, "a fetch needs a project");
        goto done;
    }
    fill_defaults(&r, o);
    if (!(r.http = wn_http_new(&r.http_opts))) {
        rc = wn_err_set(err, WN_ENOMEM, "cannot start the HTTP client");
        goto done;
    }
    if (o->dry_run) {
        rc = dry_run(&r);
        goto done;
    }
    if ((rc = stage_path(wn_project_path(p), &r.o, &stage_file, err)))
        goto done;
    if (o->restart)
        wn_stage_remove(stage_file.data);
    if ((rc = wn_stage_open(&r.stage, stage_file.data, 1, err)))
        goto done;
    char *state = NULL;
    if ((rc = wn_stage_state(r.stage, &state, err)))
        goto done;
    if (state) {
        rc = load_state(&r, state);
        free(state);
        if (rc)
            goto done;
        r.resumed = r.records;
        res->resumed_pages = r.seq;
    } else {
        wn_utc_now(r.started_at);
        if ((rc = save_state(&r, NULL)))
            goto done;
    }
    if (!r.done) {
        rc = o->api == WN_API_PUBMED ? fetch_pubmed(&r) : fetch_cursor(&r);
        if (!rc) {
            r.done = 1;
            rc = save_state(&r, NULL);
        }
    }
    if (!rc)
        rc = store(&r, p, actor);
    if (!rc || r.seq == 0) { /* done, or nothing worth keeping */
        wn_stage_close(r.stage);
        r.stage = NULL;
        wn_stage_remove(stage_file.data);
    } else {
        snprintf(res->staged, sizeof res->staged, "%s", stage_file.data);
    }
done:
    res->total = r.total ? r.total : res->total;
    wn_stage_close(r.stage);
    wn_http_free(r.http);
    free(r.next);
    wn_buf_free(&r.url);
    wn_buf_free(&r.shown);
    wn_buf_free(&r.body);
    wn_buf_free(&stage_file);
    if (p && rc)
        wn_err_set(&p->err, rc, "%s", local.msg);
    return rc;
}

/* ---- the stored log ---------------------------------------------------- */

static const char *text_at(sqlite3_stmt *s, int col)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    return t ? t : "";
}

static size_t size_at(sqlite3_stmt *s, int col)
{
    sqlite3_int64 v = sqlite3_column_int64(s, col);
    return v > 0 ? (size_t)v : 0;
}

static int log_pages(wn_project *p, sqlite3_stmt *pages, int64_t run_id, int64_t source_id,
                     int (*on_page)(void *, const wn_fetch_page_info *), void *user)
{
    sqlite3_reset(pages);
    sqlite3_bind_int64(pages, 1, run_id);
    int step = SQLITE_DONE, rc = 0;
    while (!rc && (step = sqlite3_step(pages)) == SQLITE_ROW) {
        wn_fetch_page_info pg = {source_id,
                                 (long)sqlite3_column_int64(pages, 0),
                                 text_at(pages, 1),
                                 text_at(pages, 2),
                                 (long)sqlite3_column_int64(pages, 3),
                                 text_at(pages, 4),
                                 size_at(pages, 5),
                                 size_at(pages, 6),
                                 text_at(pages, 7)};
        rc = on_page(user, &pg);
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read the fetch log");
    return rc;
}

int wn_fetch_log(wn_project *p, int64_t source_id,
                 int (*on_run)(void *user, const wn_fetch_run_info *run),
                 int (*on_page)(void *user, const wn_fetch_page_info *page), void *user)
{
    wn_err_clear(&p->err);
    sqlite3_stmt *runs = NULL, *pages = NULL;
    int rc = prepare(p, "SELECT id, source_id, api, base_url, query, params, reported_total,"
                        " records, requests, retries, started_at, finished_at FROM fetch_run"
                        " WHERE ?1 = 0 OR source_id = ?1 ORDER BY source_id",
                     &runs, "cannot read the fetch log");
    if (!rc)
        rc = prepare(p, "SELECT seq, kind, url, http_status, fetched_at, bytes, records,"
                        " sha256 FROM fetch_page WHERE run_id = ?1 ORDER BY seq",
                     &pages, "cannot read the fetch log");
    if (rc)
        goto done;
    sqlite3_bind_int64(runs, 1, source_id);
    int step = SQLITE_DONE, seen = 0;
    while (!rc && (step = sqlite3_step(runs)) == SQLITE_ROW) {
        seen++;
        int64_t sid = sqlite3_column_int64(runs, 1);
        wn_fetch_run_info ri = {sid,
                                text_at(runs, 2),
                                text_at(runs, 3),
                                text_at(runs, 4),
                                text_at(runs, 5),
                                size_at(runs, 6),
                                size_at(runs, 7),
                                size_at(runs, 8),
                                size_at(runs, 9),
                                text_at(runs, 10),
                                text_at(runs, 11)};
        if (on_run)
            rc = on_run(user, &ri);
        if (!rc && on_page)
            rc = log_pages(p, pages, sqlite3_column_int64(runs, 0), sid, on_page, user);
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read the fetch log");
    else if (!rc && source_id && !seen)
        rc = wn_err_set(&p->err, WN_ENOTFOUND, "source %lld is not a fetch",
                        (long long)source_id);
    else if (rc && !p->err.msg[0]) /* a callback's own code */
        wn_err_set(&p->err, rc, "listing the fetch log stopped");
done:
    sqlite3_finalize(runs);
    sqlite3_finalize(pages);
    return rc;
}

/* ---- unfinished fetches ------------------------------------------------ */

static int each_pending(const char *path, int (*fn)(void *, const char *, const wn_fetch_opts *),
                        void *user, wn_err *err)
{
    wn_stage *s;
    int rc = wn_stage_open(&s, path, 0, err);
    if (rc)
        return rc == WN_ENOTFOUND ? 0 : rc;
    char *state = NULL;
    if ((rc = wn_stage_state(s, &state, err)) || !state) {
        wn_stage_close(s);
        return rc;
    }
    cJSON *j = cJSON_Parse(state);
    free(state);
    wn_stage_close(s);
    const char *api = str_at(j, "api");
    if (!j || !api || wn_fetch_api_find(api) < 0) {
        cJSON_Delete(j);
        return wn_err_set(err, WN_EPARSE, "'%s' is not a winnow fetch in progress", path);
    }
    wn_fetch_opts o;
    memset(&o, 0, sizeof o);
    o.api = (wn_fetch_api)wn_fetch_api_find(api);
    o.base_url = str_at(j, "base_url");
    o.query = str_at(j, "query");
    o.filter = str_at(j, "filter");
    o.mindate = str_at(j, "mindate");
    o.maxdate = str_at(j, "maxdate");
    o.email = str_at(j, "email");
    o.page_size = (size_t)num_at(j, "page_size");
    rc = fn(user, path, &o);
    cJSON_Delete(j);
    return rc;
}

int wn_fetch_pending(const char *project_path,
                     int (*fn)(void *user, const char *path, const wn_fetch_opts *o),
                     void *user, wn_err *err)
{
    char *dir_copy = wn_strdup(project_path), *base_copy = wn_strdup(project_path);
    wn_buf prefix = WN_BUF_INIT, path = WN_BUF_INIT;
    DIR *d = NULL;
    int rc = 0;
    if (!dir_copy || !base_copy ||
        wn_buf_printf(&prefix, "%s" STAGE_INFIX, basename(base_copy))) {
        rc = wn_err_set(err, WN_ENOMEM, "out of memory");
        goto done;
    }
    const char *dir = dirname(dir_copy);
    if (!(d = opendir(dir))) {
        rc = wn_err_set(err, WN_EIO, "cannot list '%s'", dir);
        goto done;
    }
    struct dirent *e;
    while (!rc && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (strncmp(e->d_name, prefix.data, prefix.len) != 0 ||
            (n > 8 && strcmp(e->d_name + n - 8, "-journal") == 0))
            continue;
        wn_buf_clear(&path);
        if (wn_buf_printf(&path, "%s/%s", dir, e->d_name)) {
            rc = wn_err_set(err, WN_ENOMEM, "out of memory");
            break;
        }
        rc = each_pending(path.data, fn, user, err);
    }
done:
    if (d)
        closedir(d);
    free(dir_copy);
    free(base_copy);
    wn_buf_free(&prefix);
    wn_buf_free(&path);
    return rc;
}
