/* Crossref REST API JSON: a work list {"message-type": "work-list",
 * "message": {"items": [...]}}, one work {"message-type": "work", "message":
 * {...}}, a bare work or array of works, or an object keyed by DOI whose
 * values are works (or arrays of works), as DOI lookup caches store them.
 *
 * Bibliographic members map to fields; the abstract is JATS XML, whose tags
 * are dropped here. Other members with plain values are kept as extras under
 * their own names; structured administrative ones (indexed, link,
 * reference, license ...) are not kept. */
#include <string.h>

#include "import/json_input.h"
#include "import/parser.h"

#define WHAT "a Crossref API response (\"message\" with a work or \"items\")"

typedef struct cr_reader {
    wn_parser *p;
    wn_buf tmp;
} cr_reader;

/* Crossref work types with a clear winnow type; the rest is left to the
 * normalizer's own table. */
static const struct {
    const char *code, *type;
} types[] = {
    {"journal-article", "article"}, {"book-chapter", "chapter"},
    {"proceedings-article", "conference"}, {"posted-content", "preprint"},
    {"book", "book"}, {"monograph", "book"}, {"edited-book", "book"},
    {"reference-book", "book"}, {"dissertation", "thesis"}, {"report", "report"},
    {"dataset", "dataset"}, {"standard", "standard"},
};

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* Every string or number of a value (one, or an array of them) into f: the
 * first into f, later ones into later_f (f again for lists). */
static int add_values(wn_record *rec, wn_field f, wn_field later_f, const char *tag,
                      const cJSON *j)
{
    char num[64];
    const char *t = wn_json_scalar(j, num);
    if (t)
        return wn_record_add_str(rec, f, tag, t);
    if (!cJSON_IsArray(j))
        return 0;
    int rc = 0, first = 1;
    const cJSON *it;
    cJSON_ArrayForEach(it, j) {
        t = wn_json_scalar(it, num);
        if (!t || !t[0])
            continue;
        rc = wn_record_add_str(rec, first ? f : later_f, tag, t);
        if (rc)
            return rc;
        first = 0;
    }
    return 0;
}

/* A Crossref contributor as "Family, Given[, Suffix]", or its name. */
static int name_text(const cJSON *a, wn_buf *out)
{
    char n1[64], n2[64], n3[64];
    const char *family = wn_json_scalar(member(a, "family"), n1);
    const char *given = wn_json_scalar(member(a, "given"), n2);
    const char *suffix = wn_json_scalar(member(a, "suffix"), n3);
    if (!family && !given) {
        const char *name = wn_json_scalar(member(a, "name"), n1);
        if (!name)
            name = wn_json_scalar(member(a, "literal"), n1);
        return name ? wn_buf_puts(out, name) : 0;
    }
    int rc = wn_buf_puts(out, family ? family : "");
    if (!rc && given)
        rc = wn_buf_printf(out, "%s%s", family ? ", " : "", given);
    if (!rc && suffix)
        rc = wn_buf_printf(out, ", %s", suffix);
    return rc;
}

static int add_names(cr_reader *r, wn_field f, const char *tag, const cJSON *list)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, list) {
        wn_buf_clear(&r->tmp);
        int rc = name_text(a, &r->tmp);
        if (!rc && r->tmp.len)
            rc = wn_record_add(r->p->rec, f, tag, r->tmp.data, r->tmp.len);
        if (rc)
            return rc;
    }
    return 0;
}

/* A date {"date-parts": [[2021, 8, 18]]} as year and "2021-08-18". Returns
 * 0 with *found unset when it has no year. */
static int add_date(cr_reader *r, const char *tag, const cJSON *date, int *found)
{
    const cJSON *parts = cJSON_GetArrayItem(member(date, "date-parts"), 0);
    char num[64];
    const char *year = wn_json_scalar(cJSON_GetArrayItem(parts, 0), num);
    if (!year || !year[0])
        return 0;
    *found = 1;
    int rc = wn_record_add_str(r->p->rec, WN_F_YEAR, tag, year);
    wn_buf_clear(&r->tmp);
    int k = 0;
    const cJSON *part;
    cJSON_ArrayForEach(part, parts) {
        const char *t = wn_json_scalar(part, num);
        if (rc || !t || k == 3)
            break;
        /* Months and days two digits wide, as ISO dates write them. */
        rc = wn_buf_printf(&r->tmp, "%s%s%s", k ? "-" : "", k && strlen(t) == 1 ? "0" : "", t);
        k++;
    }
    if (!rc && k > 1)
        rc = wn_record_add(r->p->rec, WN_F_DATE, tag, r->tmp.data, r->tmp.len);
    return rc;
}

/* Names of block elements, whose tags separate words. */
static int is_block_tag(const char *name, size_t n)
{
    static const char *const block[] = {"p", "title", "sec", "list", "list-item", "br", "break"};
    for (size_t i = 0; i < sizeof block / sizeof block[0]; i++)
        if (strlen(block[i]) == n && memcmp(block[i], name, n) == 0)
            return 1;
    return 0;
}

/* The text of a JATS abstract: tags dropped (block tags leave a space), and
 * a leading "Abstract" heading dropped. Entities are left to the
 * normalizer. */
static int strip_jats(const char *s, wn_buf *out)
{
    static const char *const headings[] = {"<jats:title>Abstract</jats:title>",
                                           "<title>Abstract</title>"};
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
        s++;
    for (size_t i = 0; i < sizeof headings / sizeof headings[0]; i++)
        if (strncmp(s, headings[i], strlen(headings[i])) == 0)
            s += strlen(headings[i]);
    int rc = 0;
    while (*s && !rc) {
        const char *lt = strchr(s, '<');
        const char *gt = lt ? strchr(lt, '>') : NULL;
        if (!lt || !gt)
            return wn_buf_puts(out, s);
        rc = wn_buf_append(out, s, (size_t)(lt - s));
        /* The element's local name: after "/" and any "jats:" prefix. */
        const char *name = lt + 1 + (lt[1] == '/');
        const char *colon = memchr(name, ':', (size_t)(gt - name));
        if (colon)
            name = colon + 1;
        size_t n = 0;
        while (name + n < gt && name[n] != ' ' && name[n] != '/' && name[n] != '\t')
            n++;
        if (!rc && is_block_tag(name, n))
            rc = wn_buf_putc(out, ' ');
        s = gt + 1;
    }
    return rc;
}

static const char *type_of(const char *code)
{
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(types[i].code, code) == 0)
            return types[i].type;
    return NULL;
}

/* Members read by read_work itself, or dropped as structured administrative
 * data when not plain values. */
static const char *const handled[] = {
    "DOI", "title", "subtitle", "author", "container-title", "short-container-title",
    "container-title-short", "issued", "published-print", "published-online", "published",
    "posted", "volume", "issue", "page", "ISSN", "ISBN", "type", "abstract", "publisher",
    "language", "URL", "subject", "editor", "translator", "chair",
};

static int is_handled(const char *key)
{
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
        if (strcmp(handled[i], key) == 0)
            return 1;
    return 0;
}

static int read_work(void *reader, const cJSON *w)
{
    cr_reader *r = reader;
    wn_record *rec = r->p->rec;
    int rc = add_values(rec, WN_F_DOI, WN_F_EXTRA, "DOI", member(w, "DOI"));
    if (!rc)
        rc = add_values(rec, WN_F_TITLE, WN_F_EXTRA, "title", member(w, "title"));
    if (!rc)
        rc = add_values(rec, WN_F_EXTRA, WN_F_EXTRA, "subtitle", member(w, "subtitle"));
    if (!rc)
        rc = add_names(r, WN_F_AUTHOR, "author", member(w, "author"));
    static const char *const editors[] = {"editor", "translator", "chair"};
    for (size_t i = 0; i < 3 && !rc; i++)
        rc = add_names(r, WN_F_EXTRA, editors[i], member(w, editors[i]));
    if (!rc)
        rc = add_values(rec, WN_F_JOURNAL, WN_F_EXTRA, "container-title",
                        member(w, "container-title"));
    if (!rc)
        rc = add_values(rec, WN_F_JOURNAL_ABBR, WN_F_EXTRA, "short-container-title",
                        member(w, "short-container-title"));
    if (!rc)
        rc = add_values(rec, WN_F_JOURNAL_ABBR, WN_F_EXTRA, "container-title-short",
                        member(w, "container-title-short"));
    /* The first date that has a year, in order of preference. */
    static const char *const dates[] = {"issued", "published-print", "published-online",
                                        "published", "posted"};
    int found = 0;
    for (size_t i = 0; i < sizeof dates / sizeof dates[0] && !rc && !found; i++)
        rc = add_date(r, dates[i], member(w, dates[i]), &found);
    if (!rc)
        rc = add_values(rec, WN_F_VOLUME, WN_F_EXTRA, "volume", member(w, "volume"));
    if (!rc)
        rc = add_values(rec, WN_F_ISSUE, WN_F_EXTRA, "issue", member(w, "issue"));
    if (!rc)
        rc = add_values(rec, WN_F_PAGES, WN_F_EXTRA, "page", member(w, "page"));
    if (!rc)
        rc = add_values(rec, WN_F_ISSN, WN_F_ISSN, "ISSN", member(w, "ISSN"));
    if (!rc)
        rc = add_values(rec, WN_F_ISBN, WN_F_ISBN, "ISBN", member(w, "ISBN"));
    const cJSON *type = member(w, "type");
    if (!rc && cJSON_IsString(type) && type->valuestring[0]) {
        rc = wn_record_add_str(rec, WN_F_TYPE_RAW, "type", type->valuestring);
        const char *t = type_of(type->valuestring);
        if (!rc && t)
            rc = wn_record_add_str(rec, WN_F_TYPE, NULL, t);
    }
    const cJSON *abstract = member(w, "abstract");
    if (!rc && cJSON_IsString(abstract)) {
        wn_buf_clear(&r->tmp);
        rc = strip_jats(abstract->valuestring, &r->tmp);
        if (!rc && r->tmp.len)
            rc = wn_record_add(rec, WN_F_ABSTRACT, "abstract", r->tmp.data, r->tmp.len);
    }
    if (!rc)
        rc = add_values(rec, WN_F_PUBLISHER, WN_F_EXTRA, "publisher", member(w, "publisher"));
    if (!rc)
        rc = add_values(rec, WN_F_LANGUAGE, WN_F_EXTRA, "language", member(w, "language"));
    if (!rc)
        rc = add_values(rec, WN_F_URL, WN_F_URL, "URL", member(w, "URL"));
    if (!rc)
        rc = add_values(rec, WN_F_KEYWORD, WN_F_KEYWORD, "subject", member(w, "subject"));
    const cJSON *m;
    cJSON_ArrayForEach(m, w) {
        if (rc)
            break;
        if (m->string && !is_handled(m->string))
            rc = add_values(rec, WN_F_EXTRA, WN_F_EXTRA, m->string, m);
    }
    return rc;
}

/* Reads one work (an object; anything else is skipped with a warning). */
static int take(cr_reader *r, const wn_json_doc *doc, const cJSON *w, size_t span)
{
    wn_parser *p = r->p;
    if (!cJSON_IsObject(w)) {
        return wn_parser_warn(p, span != WN_JSON_NO_SPAN ? doc->spans[span].line : 1,
                              "a work that is not an object was skipped");
    }
    return wn_json_emit(p, doc, w, span, read_work, r);
}

/* Every work of a list whose span is list_span. */
static int take_list(cr_reader *r, const wn_json_doc *doc, const cJSON *list, size_t list_span)
{
    size_t cursor = list_span;
    const cJSON *w;
    cJSON_ArrayForEach(w, list) {
        int rc = take(r, doc, w, wn_json_item_span(doc, list_span, w, &cursor));
        if (rc)
            return rc;
    }
    return 0;
}

static int parse(wn_parser *p)
{
    cr_reader r = {p, WN_BUF_INIT};
    r.tmp.limit = WN_RECORD_MAX;
    wn_json_doc doc;
    int rc = wn_json_load(p, WHAT, &doc);
    if (rc)
        return rc;
    const cJSON *root = doc.root;
    const cJSON *message = member(root, "message");
    if (cJSON_IsArray(root)) {
        rc = take_list(&r, &doc, root, 0);
    } else if (!cJSON_IsObject(root)) {
        rc = wn_parser_fail(p, 1, "expected %s", WHAT);
    } else if (cJSON_IsObject(message)) {
        size_t span = wn_json_child_span(&doc, 0, root, message);
        const cJSON *items = member(message, "items");
        if (cJSON_IsArray(items))
            rc = take_list(&r, &doc, items, wn_json_child_span(&doc, span, message, items));
        else
            rc = take(&r, &doc, message, span);
    } else if (member(root, "DOI")) {
        rc = take(&r, &doc, root, 0);
    } else {
        /* Keyed by DOI: each value a work or a list of works. */
        const cJSON *v;
        size_t cursor = 0;
        cJSON_ArrayForEach(v, root) {
            if (rc)
                break;
            if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
                continue;
            size_t span = wn_json_item_span(&doc, 0, v, &cursor);
            rc = cJSON_IsArray(v) ? take_list(&r, &doc, v, span) : take(&r, &doc, v, span);
        }
    }
    if (!rc && !p->records)
        rc = wn_parser_fail(p, 1, "no Crossref works found");
    wn_json_free(&doc);
    wn_buf_free(&r.tmp);
    return rc;
}

/* Whether the first member name of the object at text[i] looks like a DOI
 * and its value is an object or array. */
static int keyed_by_doi(const char *text, size_t len, size_t i)
{
    if (text[i] != '{')
        return 0;
    i += 1 + wn_json_skip_space(text + i + 1, len - i - 1);
    if (i + 4 >= len || memcmp(text + i, "\"10.", 4) != 0)
        return 0;
    const char *q = memchr(text + i + 1, '"', len - i - 1);
    if (!q)
        return 0;
    size_t k = (size_t)(q - text) + 1;
    k += wn_json_skip_space(text + k, len - k);
    if (k >= len || text[k] != ':')
        return 0;
    k++;
    k += wn_json_skip_space(text + k, len - k);
    return k < len && (text[k] == '{' || text[k] == '[');
}

static int sniff(const char *text, size_t len)
{
    size_t i = wn_json_skip_space(text, len);
    if (i == len)
        return 0;
    int crossref_keys = wn_json_has_key(text, len, "is-referenced-by-count") ||
                        (wn_json_has_key(text, len, "reference-count") &&
                         wn_json_has_key(text, len, "member"));
    if (text[i] == '{' || text[i] == '[') {
        if (wn_json_has_key(text, len, "message-type"))
            return 95;
        if (keyed_by_doi(text, len, i))
            return 85;
        return crossref_keys && wn_json_has_key(text, len, "DOI") ? 85 : 0;
    }
    return crossref_keys && wn_json_has_key(text, len, "DOI") ? 60 : 0;
}

const wn_format wn_format_crossref = {"crossref", "Crossref JSON", sniff, parse};
