/* The fetchers' HTTP client: libcurl easy handle, politeness interval,
 * bounded retries with backoff, Retry-After, timeouts, cancellation. */
#define _GNU_SOURCE /* strptime */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "fetch/http.h"
#include "winnow/text.h"

struct wn_http {
    const wn_http_opts *o;
    CURL *curl;
    double last_start; /* of the previous request; < 0 before the first */
    size_t requests, retries;
    /* per request */
    wn_buf *body;
    int too_big;
    long retry_after_ms; /* -1: none given */
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

double wn_monotonic(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cancelled(const wn_http *h) { return h->o->cancel && *h->o->cancel; }

/* Sleeps ms in short slices so a cancel is noticed; 1 when cancelled. */
static int nap(const wn_http *h, long ms)
{
    while (ms > 0 && !cancelled(h)) {
        long slice = ms < 50 ? ms : 50;
        struct timespec t = {slice / 1000, (slice % 1000) * 1000000L};
        nanosleep(&t, NULL);
        ms -= slice;
    }
    return cancelled(h);
}

wn_http *wn_http_new(const wn_http_opts *o)
{
    pthread_once(&curl_once, curl_init_once);
    wn_http *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->o = o;
    h->last_start = -1;
    if (!(h->curl = curl_easy_init())) {
        free(h);
        return NULL;
    }
    return h;
}

void wn_http_free(wn_http *h)
{
    if (!h)
        return;
    curl_easy_cleanup(h->curl);
    free(h);
}

size_t wn_http_requests(const wn_http *h) { return h->requests; }
size_t wn_http_retries(const wn_http *h) { return h->retries; }

int wn_url_escape(wn_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        int plain = isalnum(*c) || *c == '-' || *c == '.' || *c == '_' || *c == '~';
        int rc = plain ? wn_buf_putc(b, (char)*c)
                       : wn_buf_putc(b, '%') || wn_buf_putc(b, hex[*c >> 4]) ||
                             wn_buf_putc(b, hex[*c & 15]);
        if (rc)
            return WN_ENOMEM;
    }
    return 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
    wn_http *h = ctx;
    size_t len = size * n;
    if (h->body->len + len > h->o->max_body || wn_buf_append(h->body, data, len)) {
        h->too_big = 1;
        return 0; /* curl stops with a write error */
    }
    return len;
}

/* Retry-After as seconds or as an HTTP date. */
static long parse_retry_after(const char *v)
{
    while (*v == ' ')
        v++;
    if (isdigit((unsigned char)*v)) {
        long s = strtol(v, NULL, 10);
        return s < 0 ? 0 : s > 86400 ? 86400000L : s * 1000;
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm))
        return -1;
    time_t when = timegm(&tm), now = time(NULL);
    return when > now ? (long)(when - now) * 1000 : 0;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
    wn_http *h = ctx;
    size_t len = size * n;
    static const char name[] = "retry-after:";
    if (len > sizeof name && strncasecmp(data, name, sizeof name - 1) == 0) {
        char v[128];
        size_t vl = len - (sizeof name - 1);
        if (vl >= sizeof v)
            vl = sizeof v - 1;
        memcpy(v, data + sizeof name - 1, vl);
        v[vl] = 0;
        h->retry_after_ms = parse_retry_after(v);
    }
    return len;
}

static int on_xfer(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt, (void)dn, (void)ut, (void)un;
    return cancelled(ctx);
}

/* Copies s into out as one line: control characters become spaces, runs of
 * space fold, and it is cut at max bytes (never inside a character). */
static void one_line(const char *s, size_t len, char *out, size_t max)
{
    size_t o = 0, i = 0;
    for (; i < len && o + 1 < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            c = ' ';
        if (c == ' ' && (o == 0 || out[o - 1] == ' '))
            continue;
        out[o++] = (char)c;
    }
    if (i < len) { /* cut: drop a last character that did not fit whole */
        size_t k = o;
        while (k && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
            k--;
        unsigned char lead = k ? (unsigned char)out[k - 1] : 0;
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (k && o - (k - 1) < need)
            o = k - 1;
    }
    while (o && out[o - 1] == ' ')
        o--;
    out[o] = 0;
}

/* The message an API put in an error body: OpenAlex {"error", "message"},
 * Crossref {"message": [{"message"}]}, E-utilities {"error"} or
 * {"esearchresult": {"ERROR"}} or <ERROR>; else the body's start. */
static void api_message(const char *body, size_t len, char *out, size_t max)
{
    out[0] = 0;
    cJSON *j = len ? cJSON_ParseWithLength(body, len) : NULL;
    if (j) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "message");
        if (cJSON_IsArray(m))
            m = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(m, 0), "message");
        if (!cJSON_IsString(m))
            m = cJSON_GetObjectItemCaseSensitive(j, "error");
        if (!cJSON_IsString(m))
            m = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(j, "esearchresult"), "ERROR");
        if (cJSON_IsString(m))
            one_line(m->valuestring, strlen(m->valuestring), out, max);
        cJSON_Delete(j);
        if (out[0])
            return;
    }
    const char *e = len > 7 ? strstr(body, "<ERROR>") : NULL;
    if (e) {
        const char *end = strstr(e, "</ERROR>");
        if (end) {
            one_line(e + 7, (size_t)(end - e - 7), out, max);
            return;
        }
    }
    if (wn_utf8_valid(body, len))
        one_line(body, len, out, max);
    else
        snprintf(out, max, "(%zu bytes, not UTF-8 text)", len);
}

static int retryable_curl(CURLcode c)
{
    switch (c) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_BAD_CONTENT_ENCODING:
        return 1;
    default:
        return 0;
    }
}

static int setup(wn_http *h, const char *url, wn_buf *body)
{
    CURL *c = h->curl;
    const wn_http_opts *o = h->o;
    curl_easy_reset(c);
    h->body = body;
    h->too_big = 0;
    h->retry_after_ms = -1;
    wn_buf_clear(body);
    int bad = curl_easy_setopt(c, CURLOPT_URL, url) ||
              curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") ||
              curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L) ||
              curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L) ||
              curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") ||
              curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) ||
              curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms) ||
              curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms) ||
              curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "") ||
              curl_easy_setopt(c, CURLOPT_USERAGENT, o->user_agent) ||
              curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body) ||
              curl_easy_setopt(c, CURLOPT_WRITEDATA, h) ||
              curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header) ||
              curl_easy_setopt(c, CURLOPT_HEADERDATA, h) ||
              curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_xfer) ||
              curl_easy_setopt(c, CURLOPT_XFERINFODATA, h) ||
              curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    return bad ? WN_EINVAL : 0;
}

int wn_http_get(wn_http *h, const char *url, const char *shown_url, const char *what,
                wn_http_check_fn check, void *ctx, wn_buf *body, long *status, wn_err *err)
{
    const wn_http_opts *o = h->o;
    char why[WN_ERRMSG_MAX] = "";
    long wait = o->backoff_ms;
    *status = 0;
    for (int attempt = 1; attempt <= o->max_tries; attempt++) {
        if (attempt > 1)
            h->retries++;
        if (h->last_start >= 0) {
            double since = (wn_monotonic() - h->last_start) * 1000;
            if (since < (double)o->min_interval_ms && nap(h, o->min_interval_ms - (long)since))
                break;
        }
        if (cancelled(h) || setup(h, url, body))
            break;
        h->last_start = wn_monotonic();
        h->requests++;
        CURLcode cc = curl_easy_perform(h->curl);
        long code = 0;
        curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
        *status = code;
        long pause = wait;
        if (cc == CURLE_ABORTED_BY_CALLBACK || cancelled(h)) {
            break;
        } else if (h->too_big) {
            return wn_err_set(err, WN_EIO, "cannot fetch %s from '%s': the response is "
                              "larger than %zu MiB", what, shown_url, o->max_body >> 20);
        } else if (cc != CURLE_OK) {
            if (cc == CURLE_OPERATION_TIMEDOUT)
                snprintf(why, sizeof why, "timed out (no whole answer within %.1f s)",
                         (double)o->timeout_ms / 1000);
            else
                snprintf(why, sizeof why, "%s", curl_easy_strerror(cc));
            if (!retryable_curl(cc))
                return wn_err_set(err, WN_EIO, "cannot fetch %s from '%s': %s", what,
                                  shown_url, why);
        } else if (code == 429 || code >= 500) {
            char msg[200];
            api_message(body->data ? body->data : "", body->len, msg, sizeof msg);
            snprintf(why, sizeof why, "HTTP %ld%s%s", code, msg[0] ? ": " : "", msg);
            if (h->retry_after_ms >= 0) {
                if (h->retry_after_ms > o->max_wait_ms)
                    return wn_err_set(err, WN_EIO, "cannot fetch %s from '%s': %s, and the "
                                      "server asks to wait %ld s; try again later", what,
                                      shown_url, why, h->retry_after_ms / 1000);
                pause = h->retry_after_ms;
            }
        } else if (code != 200) {
            char msg[300];
            api_message(body->data ? body->data : "", body->len, msg, sizeof msg);
            return wn_err_set(err, code >= 400 && code < 500 ? WN_EINVAL : WN_EIO,
                              "%s refused by '%s': HTTP %ld%s%s", what, shown_url, code,
                              msg[0] ? ": " : "", msg);
        } else {
            wn_err cerr;
            wn_err_clear(&cerr);
            int rc = check ? check(ctx, body->data ? body->data : "", body->len, &cerr) : 0;
            if (rc == 0)
                return 0;
            if (rc != WN_EPARSE)
                return wn_err_set(err, rc, "%s", cerr.msg);
            snprintf(why, sizeof why, "%s", cerr.msg);
        }
        if (attempt < o->max_tries && nap(h, pause < o->max_wait_ms ? pause : o->max_wait_ms))
            break;
        wait = wait > o->max_wait_ms / 2 ? o->max_wait_ms : wait * 2;
    }
    if (cancelled(h))
        return wn_err_set(err, WN_EABORT, "interrupted while fetching %s", what);
    return wn_err_set(err, WN_EIO, "cannot fetch %s from '%s' after %d tries: %s", what,
                      shown_url, o->max_tries, why);
}
