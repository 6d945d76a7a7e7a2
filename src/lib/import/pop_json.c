/* Publish or Perish JSON (Google Scholar and the other sources it queries):
 * an array of result objects, or one on its own.
 *
 * Members: title, authors (an array of "W Guo" style names, or one string
 * of them joined by commas), year, source (the journal or book), publisher
 * (often the host site), article_url and fulltext_url, doi, issn, abstract
 * (Scholar's snippet), volume, issue, startpage, endpage (0 when unknown),
 * uid (the result's id), type; the ranking and citation metrics (rank, cites,
 * ecc, use, cites_url, related_url ...) and anything else are kept as
 * extras under their own names. */
#include <stdlib.h>
#include <string.h>

#include "import/json_input.h"
#include "import/parser.h"

#define WHAT "a Publish or Perish JSON array of results"

typedef struct pop_reader {
    wn_parser *p;
    wn_buf tmp;
} pop_reader;

enum how { PLAIN, AUTHORS, NONZERO };

static const struct {
    const char *key;
    wn_field field;
    enum how how;
} keys[] = {
    {"uid", WN_F_SOURCE_ID, PLAIN},   {"title", WN_F_TITLE, PLAIN},
    {"authors", WN_F_AUTHOR, AUTHORS}, {"year", WN_F_YEAR, PLAIN},
    {"source", WN_F_JOURNAL, PLAIN},   {"publisher", WN_F_PUBLISHER, PLAIN},
    {"article_url", WN_F_URL, PLAIN},  {"fulltext_url", WN_F_URL, PLAIN},
    {"doi", WN_F_DOI, PLAIN},          {"issn", WN_F_ISSN, PLAIN},
    {"abstract", WN_F_ABSTRACT, PLAIN}, {"type", WN_F_TYPE_RAW, PLAIN},
    {"volume", WN_F_VOLUME, NONZERO},  {"issue", WN_F_ISSUE, NONZERO},
    {"startpage", WN_F_START_PAGE, NONZERO}, {"endpage", WN_F_END_PAGE, NONZERO},
};

/* One author: "W Guo" as "Guo, W". Scholar ends a cut list with "...",
 * which is no author and is kept as an extra. */
static int add_author(pop_reader *r, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (!n)
        return 0;
    if ((n == 3 && memcmp(s, "...", 3) == 0) || (n == 3 && memcmp(s, "\xe2\x80\xa6", 3) == 0))
        return wn_record_add(r->p->rec, WN_F_EXTRA, "authors", s, n);
    wn_buf_clear(&r->p->scratch);
    int rc = wn_buf_append(&r->p->scratch, s, n);
    if (rc)
        return rc;
    wn_buf_clear(&r->tmp);
    rc = wn_json_name_inverted(r->p->scratch.data, &r->tmp);
    if (!rc && r->tmp.len)
        rc = wn_record_add(r->p->rec, WN_F_AUTHOR, "authors", r->tmp.data, r->tmp.len);
    return rc;
}

static int add_authors(pop_reader *r, const cJSON *j)
{
    int rc = 0;
    if (cJSON_IsString(j)) {
        /* One string: names joined by commas (no name has one of its own). */
        const char *s = j->valuestring;
        for (const char *comma; !rc && (comma = strchr(s, ',')); s = comma + 1)
            rc = add_author(r, s, (size_t)(comma - s));
        return rc ? rc : add_author(r, s, strlen(s));
    }
    const cJSON *a;
    cJSON_ArrayForEach(a, j) {
        if (cJSON_IsString(a))
            rc = add_author(r, a->valuestring, strlen(a->valuestring));
        if (rc)
            return rc;
    }
    return 0;
}

/* Any member as an extra: plain values as text, arrays of them one per
 * value, anything else as compact JSON. */
static int add_extra(pop_reader *r, const char *tag, const cJSON *j)
{
    char num[64];
    const char *t = wn_json_scalar(j, num);
    if (t)
        return wn_record_add_str(r->p->rec, WN_F_EXTRA, tag, t);
    if (cJSON_IsBool(j))
        return wn_record_add_str(r->p->rec, WN_F_EXTRA, tag, cJSON_IsTrue(j) ? "true" : "false");
    if (cJSON_IsNull(j))
        return 0;
    if (cJSON_IsArray(j)) {
        const cJSON *it;
        int plain = 1;
        cJSON_ArrayForEach(it, j) plain = plain && wn_json_scalar(it, num);
        if (plain) {
            cJSON_ArrayForEach(it, j) {
                int rc = wn_record_add_str(r->p->rec, WN_F_EXTRA, tag, wn_json_scalar(it, num));
                if (rc)
                    return rc;
            }
            return 0;
        }
    }
    char *text = cJSON_PrintUnformatted(j);
    if (!text)
        return WN_ENOMEM;
    int rc = wn_record_add_str(r->p->rec, WN_F_EXTRA, tag, text);
    free(text);
    return rc;
}

static int read_result(void *reader, const cJSON *obj)
{
    pop_reader *r = reader;
    const cJSON *m;
    char num[64];
    cJSON_ArrayForEach(m, obj) {
        const char *key = m->string ? m->string : "";
        size_t k = 0;
        while (k < sizeof keys / sizeof keys[0] && strcmp(keys[k].key, key) != 0)
            k++;
        int rc = 0;
        const char *t = wn_json_scalar(m, num);
        if (k == sizeof keys / sizeof keys[0])
            rc = add_extra(r, key, m);
        else if (keys[k].how == AUTHORS)
            rc = add_authors(r, m);
        else if (keys[k].how == NONZERO && t && strcmp(t, "0") == 0)
            rc = 0; /* Publish or Perish writes 0 for "not known" */
        else if (t)
            rc = wn_record_add_str(r->p->rec, keys[k].field, key, t);
        else
            rc = add_extra(r, key, m);
        if (rc)
            return rc;
    }
    return 0;
}

static int parse(wn_parser *p)
{
    pop_reader r = {p, WN_BUF_INIT};
    r.tmp.limit = WN_RECORD_MAX;
    int rc = wn_json_emit_items(p, WHAT, read_result, &r);
    if (!rc && !p->records)
        rc = wn_parser_fail(p, 1, "no Publish or Perish results found");
    wn_buf_free(&r.tmp);
    return rc;
}

/* Members only Publish or Perish writes (CSL-JSON and the API formats have
 * none of them). */
static int pop_keys(const char *text, size_t len)
{
    static const char *const own[] = {"article_url", "cites_url", "related_url",
                                      "fulltext_url", "ecc", "startpage", "endpage"};
    int n = 0;
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        n += wn_json_has_key(text, len, own[i]);
    return n;
}

static int sniff(const char *text, size_t len)
{
    size_t i = wn_json_skip_space(text, len);
    if (i == len)
        return 0;
    int n = pop_keys(text, len);
    if (text[i] == '[' || text[i] == '{')
        return n >= 2 && wn_json_has_key(text, len, "title") ? 90 : 0;
    return n >= 3 ? 60 : 0;
}

const wn_format wn_format_pop_json = {"pop-json", "Publish or Perish JSON", sniff, parse};
