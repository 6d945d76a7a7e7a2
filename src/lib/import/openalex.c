/* OpenAlex API JSON: a /works response page {"meta": ..., "results": [work,
 * ...]}, an array of works, or one work object on its own.
 *
 * A work's bibliographic members map to fields: the W-number to the source
 * id, authorships to "Surname, Given" authors, the abstract rebuilt from its
 * inverted index, the primary location's source to journal, ISSN and
 * publisher. The rest of a work (concepts, topics, references, counts by
 * year ...) is OpenAlex's own analysis, not the record, and is not kept,
 * except open access status and the citation count as extras. */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include "import/json_input.h"
#include "import/parser.h"

#define WHAT "an OpenAlex response (a page with \"results\" or one work)"

typedef struct oa_reader {
    wn_parser *p;
    wn_buf tmp;
} oa_reader;

/* OpenAlex work types and the winnow type each is. */
static const struct {
    const char *code, *type;
} types[] = {
    {"article", "article"},     {"review", "article"},        {"editorial", "article"},
    {"letter", "article"},      {"erratum", "article"},       {"book-chapter", "chapter"},
    {"book", "book"},           {"preprint", "preprint"},     {"dissertation", "thesis"},
    {"dataset", "dataset"},     {"report", "report"},         {"standard", "standard"},
    {"other", "generic"},
};

static const char *type_of(const char *code)
{
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(types[i].code, code) == 0)
            return types[i].type;
    return "generic";
}

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* A string or number member into field f (nothing when null or absent). */
static int add_member(wn_record *rec, wn_field f, const cJSON *obj, const char *key)
{
    char num[64];
    const char *t = wn_json_scalar(member(obj, key), num);
    return t ? wn_record_add_str(rec, f, key, t) : 0;
}

/* The last path segment of a URL ("https://openalex.org/W12" gives "W12"). */
static const char *last_segment(const char *url)
{
    size_t n = strlen(url);
    while (n && url[n - 1] == '/')
        n--;
    size_t start = n;
    while (start && url[start - 1] != '/')
        start--;
    return url + start;
}

static int add_id_member(wn_record *rec, wn_field f, const cJSON *obj, const char *key)
{
    const cJSON *j = member(obj, key);
    if (!cJSON_IsString(j))
        return add_member(rec, f, obj, key);
    const char *seg = last_segment(j->valuestring);
    size_t n = strlen(seg);
    while (n && seg[n - 1] == '/')
        n--;
    return wn_record_add(rec, f, key, seg, n);
}

/* One word at one position of the abstract. */
typedef struct placed {
    double pos;
    size_t seq; /* reading order, to keep the sort stable */
    const char *word;
} placed;

static int by_position(const void *a, const void *b)
{
    const placed *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The abstract from {"word": [positions], ...}: each word at each of its
 * positions, joined by single spaces. Positions are sorted rather than used
 * as indexes, so a huge position cannot make a huge array. */
static int add_abstract(oa_reader *r, const cJSON *index)
{
    size_t n = 0, cap = 0;
    placed *v = NULL;
    int rc = 0;
    const cJSON *word;
    cJSON_ArrayForEach(word, index) {
        const cJSON *pos;
        if (!word->string || !cJSON_IsArray(word))
            continue;
        cJSON_ArrayForEach(pos, word) {
            if (!cJSON_IsNumber(pos) || !(pos->valuedouble >= 0))
                continue;
            if (n == cap) {
                size_t c = cap ? cap * 2 : 256;
                placed *nv = realloc(v, c * sizeof *nv);
                if (!nv) {
                    rc = WN_ENOMEM;
                    goto done;
                }
                v = nv;
                cap = c;
            }
            v[n].pos = pos->valuedouble;
            v[n].seq = n;
            v[n].word = word->string;
            n++;
        }
    }
    if (!n)
        goto done;
    qsort(v, n, sizeof *v, by_position);
    wn_buf_clear(&r->tmp);
    for (size_t i = 0; i < n && !rc; i++) {
        if (i)
            rc = wn_buf_putc(&r->tmp, ' ');
        if (!rc)
            rc = wn_buf_puts(&r->tmp, v[i].word);
    }
    if (!rc)
        rc = wn_record_add(r->p->rec, WN_F_ABSTRACT, "abstract_inverted_index",
                           r->tmp.data ? r->tmp.data : "", r->tmp.len);
done:
    free(v);
    return rc;
}

static int add_authors(oa_reader *r, const cJSON *authorships)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, authorships) {
        const cJSON *name = member(member(a, "author"), "display_name");
        if (!cJSON_IsString(name))
            name = member(a, "raw_author_name");
        if (!cJSON_IsString(name))
            continue;
        wn_buf_clear(&r->tmp);
        int rc = wn_json_name_inverted(name->valuestring, &r->tmp);
        if (!rc && r->tmp.len)
            rc = wn_record_add(r->p->rec, WN_F_AUTHOR, "authorships", r->tmp.data, r->tmp.len);
        if (rc)
            return rc;
    }
    return 0;
}

static int add_source(wn_record *rec, const cJSON *source)
{
    int rc = add_member(rec, WN_F_JOURNAL, source, "display_name");
    const cJSON *issn_l = member(source, "issn_l");
    if (!rc)
        rc = add_member(rec, WN_F_ISSN, source, "issn_l");
    const cJSON *issn;
    cJSON_ArrayForEach(issn, member(source, "issn")) {
        if (rc)
            break;
        if (!cJSON_IsString(issn))
            continue;
        /* The linking ISSN is usually one of the list too. */
        if (cJSON_IsString(issn_l) && strcmp(issn_l->valuestring, issn->valuestring) == 0)
            continue;
        rc = wn_record_add_str(rec, WN_F_ISSN, "issn", issn->valuestring);
    }
    if (!rc)
        rc = add_member(rec, WN_F_PUBLISHER, source, "host_organization_name");
    return rc;
}

static int read_work(void *reader, const cJSON *w)
{
    oa_reader *r = reader;
    wn_record *rec = r->p->rec;
    int rc = add_id_member(rec, WN_F_SOURCE_ID, w, "id");
    if (!rc)
        rc = cJSON_IsString(member(w, "title"))
                 ? add_member(rec, WN_F_TITLE, w, "title")
                 : add_member(rec, WN_F_TITLE, w, "display_name");
    if (!rc)
        rc = add_authors(r, member(w, "authorships"));
    if (!rc)
        rc = add_member(rec, WN_F_YEAR, w, "publication_year");
    if (!rc)
        rc = add_member(rec, WN_F_DATE, w, "publication_date");
    if (!rc)
        rc = add_source(rec, member(member(w, "primary_location"), "source"));
    const cJSON *biblio = member(w, "biblio");
    if (!rc)
        rc = add_member(rec, WN_F_VOLUME, biblio, "volume");
    if (!rc)
        rc = add_member(rec, WN_F_ISSUE, biblio, "issue");
    if (!rc)
        rc = add_member(rec, WN_F_START_PAGE, biblio, "first_page");
    if (!rc)
        rc = add_member(rec, WN_F_END_PAGE, biblio, "last_page");
    if (!rc)
        rc = add_member(rec, WN_F_DOI, w, "doi");
    const cJSON *ids = member(w, "ids");
    if (!rc)
        rc = add_id_member(rec, WN_F_PMID, ids, "pmid");
    if (!rc)
        rc = add_id_member(rec, WN_F_PMCID, ids, "pmcid");
    if (!rc)
        rc = add_member(rec, WN_F_LANGUAGE, w, "language");
    const cJSON *type = member(w, "type");
    if (!rc && cJSON_IsString(type) && type->valuestring[0]) {
        rc = wn_record_add_str(rec, WN_F_TYPE_RAW, "type", type->valuestring);
        if (!rc)
            rc = wn_record_add_str(rec, WN_F_TYPE, NULL, type_of(type->valuestring));
    }
    const cJSON *kw;
    cJSON_ArrayForEach(kw, member(w, "keywords")) {
        if (rc)
            break;
        rc = add_member(rec, WN_F_KEYWORD, kw, "display_name");
    }
    const cJSON *oa = member(w, "open_access");
    const cJSON *is_oa = member(oa, "is_oa");
    if (!rc && cJSON_IsBool(is_oa))
        rc = wn_record_add_str(rec, WN_F_EXTRA, "is_oa", cJSON_IsTrue(is_oa) ? "true" : "false");
    if (!rc)
        rc = add_member(rec, WN_F_URL, oa, "oa_url");
    if (!rc)
        rc = add_member(rec, WN_F_EXTRA, w, "cited_by_count");
    const cJSON *index = member(w, "abstract_inverted_index");
    if (!rc && cJSON_IsObject(index))
        rc = add_abstract(r, index);
    return rc;
}

static int is_work(const cJSON *j)
{
    const cJSON *id = member(j, "id");
    return cJSON_IsObject(j) && cJSON_IsString(id) && strstr(id->valuestring, "openalex.org/W");
}

static int parse(wn_parser *p)
{
    oa_reader r = {p, WN_BUF_INIT};
    r.tmp.limit = WN_RECORD_MAX;
    wn_json_doc doc;
    int rc = wn_json_load(p, WHAT, &doc);
    if (rc)
        return rc;
    const cJSON *root = doc.root, *list = NULL;
    size_t list_span = WN_JSON_NO_SPAN;
    if (cJSON_IsArray(root)) {
        list = root;
        list_span = 0;
    } else if (cJSON_IsObject(root) && cJSON_IsArray(member(root, "results"))) {
        list = member(root, "results");
        list_span = wn_json_child_span(&doc, 0, root, list);
    } else if (!is_work(root)) {
        rc = wn_parser_fail(p, 1, "expected %s", WHAT);
        goto done;
    }
    if (list)
        rc = wn_json_emit_list(p, &doc, list, list_span, "result", "", read_work, &r);
    else
        rc = wn_json_emit(p, &doc, root, 0, read_work, &r);
    if (!rc && !p->records)
        rc = wn_parser_fail(p, 1, "no OpenAlex works found");
done:
    wn_json_free(&doc);
    wn_buf_free(&r.tmp);
    return rc;
}

/* A page or work starts with a bracket and names OpenAlex works; a window
 * from inside a large page starts anywhere, so there the keys must show it
 * is JSON and not, say, a CSV export of OpenAlex data. */
static int sniff(const char *text, size_t len)
{
    size_t i = wn_json_skip_space(text, len);
    if (i == len || !memmem(text, len, "openalex.org/W", 14))
        return 0;
    int keys = wn_json_has_key(text, len, "publication_year") +
               wn_json_has_key(text, len, "authorships") +
               wn_json_has_key(text, len, "display_name");
    if (text[i] == '{' || text[i] == '[')
        return keys ? 95 : 40;
    return keys >= 2 ? 60 : 0;
}

const wn_format wn_format_openalex = {"openalex", "OpenAlex JSON", sniff, parse};
