/* winnow fetch: run a search on PubMed, OpenAlex or Crossref into the
 * project as one source. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

typedef struct shown {
    int bar;         /* draw a progress bar (stderr is a terminal) */
    int quiet;
    int drawn;       /* a bar is on the line */
    size_t warnings;
    const char *label;
} shown;

static void format_eta(double s, char *out, size_t n)
{
    if (!(s >= 0) || s > 359999)
        snprintf(out, n, "--:--");
    else if (s >= 3600)
        snprintf(out, n, "%d:%02d:%02d", (int)s / 3600, (int)s / 60 % 60, (int)s % 60);
    else
        snprintf(out, n, "%d:%02d", (int)s / 60, (int)s % 60);
}

/* "PubMed [#####.....] 1200/5321  150 rec/s  ETA 0:27" on one line. */
static void draw_bar(void *user, const wn_fetch_progress *pr)
{
    shown *s = user;
    if (!s->bar)
        return;
    size_t got = pr->records - pr->resumed;
    double rate = pr->elapsed > 0 ? (double)got / pr->elapsed : 0;
    char eta[32];
    format_eta(rate > 0 && pr->total > pr->records ? (double)(pr->total - pr->records) / rate
                                                  : pr->total <= pr->records ? 0 : -1,
               eta, sizeof eta);
    char tail[96];
    snprintf(tail, sizeof tail, " %zu/%zu  %.0f rec/s  ETA %s", pr->records, pr->total, rate,
             eta);
    int width = cli_width() - (int)strlen(s->label) - (int)strlen(tail) - 4;
    if (width > 40)
        width = 40;
    fprintf(stderr, "\r%s [", s->label);
    if (width > 0) {
        int full = pr->total ? (int)((double)width * (double)pr->records / (double)pr->total)
                             : width;
        for (int i = 0; i < width; i++)
            fputc(i < full ? '#' : '.', stderr);
    }
    fprintf(stderr, "]%s\033[K", tail);
    fflush(stderr);
    s->drawn = 1;
}

static void end_bar(shown *s)
{
    if (s->drawn)
        fputc('\n', stderr);
    s->drawn = 0;
}

static void print_warning(void *user, const wn_warning *w)
{
    shown *s = user;
    if (s->quiet || s->warnings++ >= 5)
        return;
    end_bar(s);
    if (w->line)
        fprintf(stderr, "warning: %s line %zu: %s\n", w->file, w->line, w->message);
    else
        fprintf(stderr, "warning: %s: %s\n", w->file, w->message);
}

/* Seconds (decimals allowed) as milliseconds; 0 or a usage error. */
static int seconds_ms(const char *what, const char *v, long *ms)
{
    if (!v)
        return 0;
    char *end;
    double s = strtod(v, &end);
    if (*end || !(s > 0) || s > 86400)
        return cli_usage(&cmd_fetch, "%s takes a number of seconds, not '%s'", what, v);
    *ms = (long)ceil(s * 1000);
    return 0;
}

typedef struct pending {
    size_t n;
    char path[4096];
    wn_fetch_opts o;
    char *strings[7]; /* owned copies behind o */
} pending;

static char *keep(pending *pd, int i, const char *s)
{
    free(pd->strings[i]);
    pd->strings[i] = s ? strdup(s) : NULL;
    return pd->strings[i];
}

static int note_pending(void *user, const char *path, const wn_fetch_opts *o)
{
    pending *pd = user;
    if (pd->n++ == 0) {
        snprintf(pd->path, sizeof pd->path, "%s", path);
        pd->o = *o;
        pd->o.base_url = keep(pd, 0, o->base_url);
        pd->o.query = keep(pd, 1, o->query);
        pd->o.filter = keep(pd, 2, o->filter);
        pd->o.mindate = keep(pd, 3, o->mindate);
        pd->o.maxdate = keep(pd, 4, o->maxdate);
        pd->o.email = keep(pd, 5, o->email);
    }
    fprintf(stderr, "unfinished %s fetch for '%s'\n", wn_fetch_api_label(o->api), o->query);
    return 0;
}

/* The command line for the audit log, with the API key's value hidden
 * (owned; NULL when out of memory). */
static char *argv_without_key(const char *argv_json)
{
    cJSON *a = cJSON_Parse(argv_json);
    cJSON *item;
    int hide_next = 0;
    cJSON_ArrayForEach(item, a) {
        if (!cJSON_IsString(item))
            continue;
        const char *v = item->valuestring;
        if (hide_next || !strncmp(v, "--api-key=", 10))
            cJSON_SetValuestring(item, hide_next ? "(hidden)" : "--api-key=(hidden)");
        hide_next = !hide_next && !strcmp(v, "--api-key");
    }
    char *s = a ? cJSON_PrintUnformatted(a) : NULL;
    cJSON_Delete(a);
    return s;
}

static void print_json(const wn_fetch_opts *o, const wn_fetch_result *r)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "api", wn_fetch_api_name(o->api));
    cJSON_AddBoolToObject(j, "dry_run", o->dry_run);
    cJSON_AddNumberToObject(j, "total", (double)r->total);
    if (!o->dry_run) {
        cJSON_AddNumberToObject(j, "source_id", (double)r->source_id);
        cJSON_AddNumberToObject(j, "records", (double)r->records);
        cJSON_AddNumberToObject(j, "pages", (double)r->pages);
        cJSON_AddNumberToObject(j, "resumed_pages", (double)r->resumed_pages);
        cJSON_AddNumberToObject(j, "warnings", (double)r->warnings);
        cJSON_AddStringToObject(j, "sha256", r->sha256);
    }
    cJSON_AddNumberToObject(j, "requests", (double)r->requests);
    cJSON_AddNumberToObject(j, "retries", (double)r->retries);
    char *s = cJSON_Print(j);
    if (s)
        puts(s);
    free(s);
    cJSON_Delete(j);
}

/* ---- --log: what stored fetches asked and what came back ---------------- */

static int print_run(void *user, const wn_fetch_run_info *ri)
{
    ++*(size_t *)user;
    printf("source %lld: %s, %s to %s\n", (long long)ri->source_id,
           wn_fetch_api_label((wn_fetch_api)wn_fetch_api_find(ri->api)), ri->started_at,
           ri->finished_at);
    printf("  server  %s\n  query   %s\n  params  %s\n", ri->base_url, ri->query, ri->params);
    printf("  %zu records stored of %zu reported; %zu requests, %zu retries\n", ri->records,
           ri->reported_total, ri->requests, ri->retries);
    printf("  %4s  %-7s  %4s  %9s  %7s  %-64s  %s\n", "seq", "kind", "http", "bytes", "records",
           "sha256", "url");
    return 0;
}

static int print_page(void *user, const wn_fetch_page_info *pg)
{
    (void)user;
    printf("  %4ld  %-7s  %4ld  %9zu  %7zu  %-64s  %s\n", pg->seq, pg->kind, pg->http_status,
           pg->bytes, pg->records, pg->sha256, pg->url);
    return 0;
}

static int add_run_json(void *user, const wn_fetch_run_info *ri)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(user, o))
        return WN_ENOMEM;
    cJSON_AddNumberToObject(o, "source_id", (double)ri->source_id);
    cJSON_AddStringToObject(o, "api", ri->api);
    cJSON_AddStringToObject(o, "base_url", ri->base_url);
    cJSON_AddStringToObject(o, "query", ri->query);
    cJSON *params = cJSON_Parse(ri->params);
    if (params)
        cJSON_AddItemToObject(o, "params", params);
    else
        cJSON_AddStringToObject(o, "params", ri->params);
    cJSON_AddNumberToObject(o, "reported_total", (double)ri->reported_total);
    cJSON_AddNumberToObject(o, "records", (double)ri->records);
    cJSON_AddNumberToObject(o, "requests", (double)ri->requests);
    cJSON_AddNumberToObject(o, "retries", (double)ri->retries);
    cJSON_AddStringToObject(o, "started_at", ri->started_at);
    cJSON_AddStringToObject(o, "finished_at", ri->finished_at);
    return cJSON_AddArrayToObject(o, "pages") ? 0 : WN_ENOMEM;
}

static int add_page_json(void *user, const wn_fetch_page_info *pg)
{
    cJSON *runs = user;
    cJSON *pages = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(runs, cJSON_GetArraySize(runs) - 1), "pages");
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(pages, o))
        return WN_ENOMEM;
    cJSON_AddNumberToObject(o, "seq", (double)pg->seq);
    cJSON_AddStringToObject(o, "kind", pg->kind);
    cJSON_AddStringToObject(o, "url", pg->url);
    cJSON_AddNumberToObject(o, "http_status", (double)pg->http_status);
    cJSON_AddStringToObject(o, "fetched_at", pg->fetched_at);
    cJSON_AddNumberToObject(o, "bytes", (double)pg->bytes);
    cJSON_AddNumberToObject(o, "records", (double)pg->records);
    cJSON_AddStringToObject(o, "sha256", pg->sha256);
    return 0;
}

static int show_log(cli_ctx *ctx, const char *source, int json)
{
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    int64_t sid = 0;
    int rc = source ? wn_source_lookup(p, source, &sid) : 0;
    if (rc)
        return cli_finish(p, rc);
    if (!json) {
        size_t runs = 0;
        rc = wn_fetch_log(p, sid, print_run, print_page, &runs);
        if (!rc && !runs)
            printf("no fetches in this project\n");
        return cli_finish(p, rc);
    }
    cJSON *runs = cJSON_CreateArray();
    rc = runs ? wn_fetch_log(p, sid, add_run_json, add_page_json, runs) : WN_ENOMEM;
    char *text = rc ? NULL : cJSON_Print(runs);
    if (text)
        puts(text);
    else if (!rc)
        rc = WN_ENOMEM;
    free(text);
    cJSON_Delete(runs);
    return cli_finish(p, rc);
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *query = NULL, *search = NULL, *filter = NULL, *mindate = NULL, *maxdate = NULL;
    const char *api_key = NULL, *email = NULL, *mailto = NULL, *base = NULL, *dry = NULL;
    const char *resume = NULL, *restart = NULL, *force = NULL, *json = NULL, *quiet = NULL;
    const char *page_size = NULL, *timeout = NULL, *connect = NULL, *tries = NULL;
    const char *backoff = NULL, *log = NULL, *source = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {
        {"query", 0, 1, &query},        {"search", 0, 1, &search},
        {"filter", 0, 1, &filter},      {"mindate", 0, 1, &mindate},
        {"maxdate", 0, 1, &maxdate},    {"api-key", 0, 1, &api_key},
        {"email", 0, 1, &email},        {"mailto", 0, 1, &mailto},
        {"base-url", 0, 1, &base},      {"dry-run", 0, 0, &dry},
        {"resume", 0, 0, &resume},      {"restart", 0, 0, &restart},
        {"force", 0, 0, &force},        {"json", 0, 0, &json},
        {"quiet", 'q', 0, &quiet},      {"page-size", 0, 1, &page_size},
        {"timeout", 0, 1, &timeout},    {"connect-timeout", 0, 1, &connect},
        {"tries", 0, 1, &tries},        {"backoff", 0, 1, &backoff},
        {"log", 0, 0, &log},            {"source", 0, 1, &source},
        {NULL, 0, 0, NULL},
    };
    if (cli_parse(&cmd_fetch, argc, argv, opts, pos, 1, &n))
        return EXIT_USAGE;
    if (source && !log)
        return cli_usage(&cmd_fetch, "--source goes with --log");
    if (log) {
        for (const cli_opt *op = opts; op->name; op++)
            if (*op->value && op->value != &log && op->value != &source && op->value != &json)
                return cli_usage(&cmd_fetch, "--log takes only --source and --json, not --%s",
                                 op->name);
        if (n)
            return cli_usage(&cmd_fetch, "--log lists stored fetches; give no API");
        return show_log(ctx, source, json != NULL);
    }
    wn_fetch_opts o;
    memset(&o, 0, sizeof o);
    long long num;
    if ((timeout && seconds_ms("--timeout", timeout, &o.timeout_ms)) ||
        (connect && seconds_ms("--connect-timeout", connect, &o.connect_timeout_ms)) ||
        (backoff && seconds_ms("--backoff", backoff, &o.backoff_ms)))
        return EXIT_USAGE;
    if (tries) {
        if (cli_int(&cmd_fetch, "--tries", tries, &num))
            return EXIT_USAGE;
        o.max_tries = num > 100 ? 100 : (int)num;
    }
    if (page_size) {
        if (cli_int(&cmd_fetch, "--page-size", page_size, &num))
            return EXIT_USAGE;
        o.page_size = (size_t)num;
    }
    if (email && mailto)
        return cli_usage(&cmd_fetch, "give --email or --mailto, not both");
    pending pd;
    memset(&pd, 0, sizeof pd);
    wn_project *p = NULL;
    if (n == 0) {
        if (!resume)
            return cli_usage(&cmd_fetch, "name the API: pubmed, openalex or crossref");
        if (query || search || filter || mindate || maxdate || dry || restart || base)
            return cli_usage(&cmd_fetch, "--resume without an API takes up the unfinished "
                                         "fetch as it was; give no query");
        if (!(p = cli_open_project(ctx)))
            return EXIT_RUNTIME;
        wn_err err;
        if (wn_fetch_pending(wn_project_path(p), note_pending, &pd, &err))
            return cli_finish(p, cli_error(EXIT_RUNTIME, "%s", err.msg));
        if (pd.n != 1) {
            wn_project_close(p);
            for (int i = 0; i < 7; i++)
                free(pd.strings[i]);
            return pd.n ? cli_error(EXIT_RUNTIME, "%zu unfinished fetches: run the one to "
                                    "continue again with its API and query", pd.n)
                        : cli_error(EXIT_RUNTIME, "no unfinished fetch for this project");
        }
        wn_fetch_opts stored = pd.o;
        stored.timeout_ms = o.timeout_ms;
        stored.connect_timeout_ms = o.connect_timeout_ms;
        stored.backoff_ms = o.backoff_ms;
        stored.max_tries = o.max_tries;
        o = stored;
        if (email || mailto)
            o.email = email ? email : mailto;
    } else {
        int api = wn_fetch_api_find(pos[0]);
        if (api < 0)
            return cli_usage(&cmd_fetch, "unknown API '%s' (pubmed, openalex or crossref)",
                             pos[0]);
        o.api = (wn_fetch_api)api;
        if (o.api == WN_API_OPENALEX) {
            if (query && search)
                return cli_usage(&cmd_fetch, "give --search or --query, not both");
            o.query = search ? search : query;
            if (!o.query)
                return cli_usage(&cmd_fetch, "OpenAlex needs --search 'WORDS'");
        } else {
            if (search)
                return cli_usage(&cmd_fetch, "%s takes --query, not --search",
                                 wn_fetch_api_label(o.api));
            if (!(o.query = query))
                return cli_usage(&cmd_fetch, "%s needs --query 'QUERY'",
                                 wn_fetch_api_label(o.api));
        }
        if (o.api == WN_API_PUBMED && filter)
            return cli_usage(&cmd_fetch, "--filter is for OpenAlex and Crossref; PubMed "
                                         "limits go in the query");
        if (o.api != WN_API_PUBMED && (mindate || maxdate))
            return cli_usage(&cmd_fetch, "--mindate/--maxdate are for PubMed; use --filter");
        if (o.api == WN_API_PUBMED && (mindate || maxdate)) {
            /* E-utilities ignores a lone bound, so make the range whole. */
            mindate = mindate ? mindate : "1800";
            maxdate = maxdate ? maxdate : "3000";
        }
        o.filter = filter;
        o.mindate = mindate;
        o.maxdate = maxdate;
        o.base_url = base;
        o.email = email ? email : mailto;
        o.dry_run = dry != NULL;
        o.restart = restart != NULL;
    }
    o.api_key = api_key;
    o.force = force != NULL;
    shown sh = {isatty(2) && !quiet && !json && !o.dry_run, quiet != NULL, 0, 0,
                wn_fetch_api_label(o.api)};
    o.cancel = &interrupted;
    o.on_progress = draw_bar;
    o.on_warning = print_warning;
    o.user = &sh;
    if (!o.dry_run && !p && !(p = cli_open_project(ctx)))
        return EXIT_RUNTIME;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    wn_actor actor = cli_actor(ctx);
    char *command = argv_without_key(ctx->argv_json);
    actor.command = command ? command : "[\"fetch\"]";
    wn_fetch_result res;
    wn_err err;
    int rc = wn_fetch(p, &o, &actor, &res, &err);
    sigaction(SIGINT, &old, NULL);
    end_bar(&sh);
    if (rc) {
        cli_error(EXIT_RUNTIME, "%s", p ? wn_project_errmsg(p) : err.msg);
        if (res.staged[0] && rc == WN_EEXISTS)
            cli_error(EXIT_RUNTIME, "the project is unchanged; the pages received are kept "
                      "in '%s': run the same command with --force to store them as a new "
                      "source, or with --restart to search again", res.staged);
        else if (res.staged[0])
            cli_error(EXIT_RUNTIME, "the project is unchanged; the pages received are kept "
                      "in '%s': run the same command again (or 'winnow fetch --resume') to "
                      "continue", res.staged);
    } else if (json) {
        print_json(&o, &res);
    } else if (o.dry_run) {
        printf("%s reports %zu records for this search\n", wn_fetch_api_label(o.api),
               res.total);
    } else {
        printf("fetched %zu records (%s reports %zu), %zu warnings\n", res.records,
               wn_fetch_api_label(o.api), res.total, res.warnings);
        if (!quiet)
            printf("source %lld '%s': %zu pages (%zu resumed), %zu requests, %zu retries, "
                   "sha256 %.12s\n",
                   (long long)res.source_id, wn_fetch_api_label(o.api), res.pages,
                   res.resumed_pages, res.requests, res.retries, res.sha256);
    }
    if (p)
        wn_project_close(p);
    free(command);
    for (int i = 0; i < 7; i++)
        free(pd.strings[i]);
    return rc ? EXIT_RUNTIME : EXIT_OK;
}

const cli_command cmd_fetch = {
    "fetch",
    "search PubMed, OpenAlex or Crossref and store the records as one source",
    "fetch pubmed --query QUERY [--mindate YYYY --maxdate YYYY] [--api-key K] [--email E]\n"
    "       fetch openalex --search WORDS [--filter F] [--mailto E]\n"
    "       fetch crossref --query WORDS [--filter F] [--mailto E]\n"
    "       fetch API ... [--dry-run] [--base-url URL] [--restart] [--force] [--json]\n"
    "       fetch --resume\n"
    "       fetch --log [--source NAME|ID] [--json]",
    "Runs the search on the API and stores every record it returns as one\n"
    "source (kind database, named PubMed, OpenAlex or Crossref) with the\n"
    "exact query and parameters, the total the API reported, the date and\n"
    "time, the base URL and the SHA-256 of every response ('winnow fetch --log').\n"
    "\n"
    "PubMed: esearch with the history server, then efetch of PubMed XML in\n"
    "batches, at 3 requests a second (10 with --api-key). OpenAlex and\n"
    "Crossref: cursor paging; --mailto (or --email) joins their polite pool.\n"
    "\n"
    "All or nothing: pages are kept in a side file beside the project\n"
    "(PROJECT.fetch-API-KEY) until the last one is in, and only then written\n"
    "to the project in one transaction. If a fetch stops (network, Ctrl-C),\n"
    "the project is unchanged; running the same command again, or 'winnow\n"
    "fetch --resume', continues where it stopped. Timeouts, HTTP 429 and 5xx\n"
    "and damaged pages are retried with doubling waits (a Retry-After from\n"
    "the server is honoured); a query the API refuses fails at once with the\n"
    "API's message. A progress bar is drawn when stderr is a terminal.\n"
    "\n"
    "  --query TEXT         PubMed or Crossref query, as you would type it there\n"
    "  --search TEXT        OpenAlex full-text search\n"
    "  --filter F           OpenAlex or Crossref filter (publication_year:1990-2023)\n"
    "  --mindate, --maxdate PubMed publication date range (YYYY, YYYY/MM/DD)\n"
    "  --api-key K          NCBI or OpenAlex key (sent, never stored)\n"
    "  --email, --mailto E  contact address sent with each request\n"
    "  --dry-run            only print how many records the API reports\n"
    "  --base-url URL       another server (a mirror, proxy or test server); also\n"
    "                       WINNOW_PUBMED_URL, WINNOW_OPENALEX_URL, WINNOW_CROSSREF_URL\n"
    "  --page-size N        records a request (PubMed 500, OpenAlex 200, Crossref 1000)\n"
    "  --timeout S          seconds for one request, start to end (120)\n"
    "  --connect-timeout S  seconds to connect (10)\n"
    "  --tries N            tries per request (5); --backoff S first wait (1)\n"
    "  --resume             continue the unfinished fetch (the same as re-running)\n"
    "  --restart            discard an unfinished fetch of this search, start over\n"
    "  --force              store even if identical responses are already a source\n"
    "  --json               print the result as JSON\n"
    "  --log                show what stored fetches asked and what came back: the\n"
    "                       query, parameters, server, totals and, for every\n"
    "                       response, its URL, status, size and SHA-256\n"
    "  --source S           with --log: only this source (id or name)\n",
    run,
};
