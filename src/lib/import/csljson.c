/* CSL-JSON: an array of CSL items (or one item on its own), as citeproc,
 * Zotero, citation-js and pandoc write them.
 *
 * Standard CSL variables map to fields (type to the type code, author to
 * "Family, Given", issued to year and date, container-title to journal ...);
 * every other variable is kept as an extra tagged with its name (names as
 * "Family, Given" one per value, dates as text, other structures as compact
 * JSON). An item whose "custom" object holds a "winnow" object was written
 * by winnow's export: the fields listed there (and the ones CSL cannot carry
 * exactly, see src/lib/export/csljson_out.c) come from it alone, so the
 * export reads back to the same fields.
 *
 * The whole input is parsed at once (json_input.c), which also tells where
 * each item sits in the text, for record origins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "import/csljson_impl.h"
#include "import/json_input.h"
#include "import/parser.h"

#define WHAT "a CSL-JSON array of items or one item object"

/* ---- values ------------------------------------------------------------ */

/* A string or number as text (numbers without a needless ".0"). */
static const char *scalar_text(const cJSON *j, char num[64])
{
    if (cJSON_IsBool(j))
        return cJSON_IsTrue(j) ? "true" : "false";
    return wn_json_scalar(j, num);
}

/* A CSL name as "Family, Given" (particles and suffix kept), or the
 * literal. */
static int name_text(const cJSON *name, wn_buf *out)
{
    char n1[64], n2[64], n3[64], n4[64], n5[64];
    const char *lit = scalar_text(cJSON_GetObjectItemCaseSensitive(name, "literal"), n1);
    if (lit)
        return wn_buf_puts(out, lit);
    const char *family = scalar_text(cJSON_GetObjectItemCaseSensitive(name, "family"), n2);
    const char *given = scalar_text(cJSON_GetObjectItemCaseSensitive(name, "given"), n3);
    const char *particle =
        scalar_text(cJSON_GetObjectItemCaseSensitive(name, "non-dropping-particle"), n4);
    const char *suffix = scalar_text(cJSON_GetObjectItemCaseSensitive(name, "suffix"), n5);
    int rc = 0;
    if (particle && family)
        rc = wn_buf_printf(out, "%s ", particle);
    if (!rc && family)
        rc = wn_buf_puts(out, family);
    if (!rc && given)
        rc = wn_buf_printf(out, "%s%s", family ? ", " : "", given);
    if (!rc && suffix)
        rc = wn_buf_printf(out, ", %s", suffix);
    return rc;
}

static int is_name_list(const cJSON *j)
{
    if (!cJSON_IsArray(j) || !cJSON_GetArraySize(j))
        return 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, j) {
        if (!cJSON_IsObject(it) || (!cJSON_GetObjectItemCaseSensitive(it, "family") &&
                                    !cJSON_GetObjectItemCaseSensitive(it, "given") &&
                                    !cJSON_GetObjectItemCaseSensitive(it, "literal")))
            return 0;
    }
    return 1;
}

/* A CSL date as text: "2020", "2020-02", "2020-02-29", a range joined by
 * "/", or its raw / literal form. Appends nothing when it has none. */
static int date_text(const cJSON *date, wn_buf *out)
{
    char num[64];
    const cJSON *parts = cJSON_GetObjectItemCaseSensitive(date, "date-parts");
    if (cJSON_IsArray(parts) && cJSON_GetArraySize(parts) > 0) {
        int rc = 0;
        size_t start = out->len;
        const cJSON *one;
        cJSON_ArrayForEach(one, parts) {
            if (!cJSON_IsArray(one) || !cJSON_GetArraySize(one))
                continue;
            if (out->len > start && (rc = wn_buf_putc(out, '/')))
                return rc;
            int k = 0;
            const cJSON *p;
            cJSON_ArrayForEach(p, one) {
                const char *t = scalar_text(p, num);
                if (!t || k == 3)
                    break;
                /* Months and days two digits wide, as ISO dates write them. */
                int pad = k > 0 && strlen(t) == 1;
                rc = wn_buf_printf(out, "%s%s%s", k ? "-" : "", pad ? "0" : "", t);
                if (rc)
                    return rc;
                k++;
            }
        }
        if (out->len > start)
            return 0;
    }
    const char *raw = scalar_text(cJSON_GetObjectItemCaseSensitive(date, "raw"), num);
    if (!raw)
        raw = scalar_text(cJSON_GetObjectItemCaseSensitive(date, "literal"), num);
    return raw ? wn_buf_puts(out, raw) : 0;
}

/* ---- items ------------------------------------------------------------- */

/* What a CSL variable becomes. */
enum how { PLAIN, AUTHORS, ISSUED, KEYWORDS, CUSTOM };

static const struct {
    const char *key;
    wn_field field;
    enum how how;
} vars[] = {
    {"type", WN_F_TYPE_RAW, PLAIN},
    {"title", WN_F_TITLE, PLAIN},
    {"author", WN_F_AUTHOR, AUTHORS},
    {"issued", WN_F_DATE, ISSUED},
    {"container-title", WN_F_JOURNAL, PLAIN},
    {"container-title-short", WN_F_JOURNAL_ABBR, PLAIN},
    {"journalAbbreviation", WN_F_JOURNAL_ABBR, PLAIN},
    {"volume", WN_F_VOLUME, PLAIN},
    {"issue", WN_F_ISSUE, PLAIN},
    {"page", WN_F_PAGES, PLAIN},
    {"page-first", WN_F_START_PAGE, PLAIN},
    {"DOI", WN_F_DOI, PLAIN},
    {"PMID", WN_F_PMID, PLAIN},
    {"PMCID", WN_F_PMCID, PLAIN},
    {"ISSN", WN_F_ISSN, PLAIN},
    {"ISBN", WN_F_ISBN, PLAIN},
    {"language", WN_F_LANGUAGE, PLAIN},
    {"keyword", WN_F_KEYWORD, KEYWORDS},
    {"abstract", WN_F_ABSTRACT, PLAIN},
    {"URL", WN_F_URL, PLAIN},
    {"publisher", WN_F_PUBLISHER, PLAIN},
    {"id", WN_F_SOURCE_ID, PLAIN},
    {"citation-key", WN_F_SOURCE_ID, PLAIN},
    {"custom", WN_F_EXTRA, CUSTOM},
};

int wn_csljson_custom_only(wn_field f)
{
    switch (f) {
    case WN_F_TYPE:
    case WN_F_TYPE_RAW:
    case WN_F_YEAR:
    case WN_F_DATE:
    case WN_F_START_PAGE:
    case WN_F_END_PAGE:
    case WN_F_KEYWORD:
    case WN_F_PUBTYPE:
    case WN_F_URL:
    case WN_F_ISSN:
    case WN_F_ISBN:
    case WN_F_SOURCE_ID:
    case WN_F_EXTRA:
        return 1;
    default:
        return 0;
    }
}

typedef struct csl_reader {
    wn_parser *p;
    wn_buf tmp;
} csl_reader;

/* Any value as an extra: scalars as text, names one per value, dates as
 * text, anything else as compact JSON. */
static int add_extra(csl_reader *c, const char *tag, const cJSON *j)
{
    wn_record *rec = c->p->rec;
    char num[64];
    const char *t = scalar_text(j, num);
    if (t)
        return wn_record_add_str(rec, WN_F_EXTRA, tag, t);
    if (cJSON_IsNull(j))
        return 0;
    if (is_name_list(j)) {
        const cJSON *it;
        cJSON_ArrayForEach(it, j) {
            wn_buf_clear(&c->tmp);
            int rc = name_text(it, &c->tmp);
            if (!rc)
                rc = wn_record_add(rec, WN_F_EXTRA, tag, c->tmp.data ? c->tmp.data : "",
                                   c->tmp.len);
            if (rc)
                return rc;
        }
        return 0;
    }
    if (cJSON_IsObject(j) && (cJSON_GetObjectItemCaseSensitive(j, "date-parts") ||
                              cJSON_GetObjectItemCaseSensitive(j, "raw") ||
                              cJSON_GetObjectItemCaseSensitive(j, "literal"))) {
        wn_buf_clear(&c->tmp);
        int rc = date_text(j, &c->tmp);
        if (!rc && c->tmp.len)
            return wn_record_add(rec, WN_F_EXTRA, tag, c->tmp.data, c->tmp.len);
        if (rc)
            return rc;
    }
    char *text = cJSON_PrintUnformatted(j);
    if (!text)
        return WN_ENOMEM;
    int rc = wn_record_add_str(rec, WN_F_EXTRA, tag, text);
    free(text);
    return rc;
}

/* A standard variable of an item. */
static int add_var(csl_reader *c, const cJSON *j, wn_field f, enum how how)
{
    wn_record *rec = c->p->rec;
    char num[64];
    const char *key = j->string;
    int rc = 0;
    switch (how) {
    case AUTHORS: {
        if (!is_name_list(j))
            return add_extra(c, key, j);
        const cJSON *it;
        cJSON_ArrayForEach(it, j) {
            wn_buf_clear(&c->tmp);
            rc = name_text(it, &c->tmp);
            if (!rc)
                rc = wn_record_add(rec, WN_F_AUTHOR, key, c->tmp.data ? c->tmp.data : "",
                                   c->tmp.len);
            if (rc)
                return rc;
        }
        return 0;
    }
    case ISSUED: {
        if (!cJSON_IsObject(j))
            return add_extra(c, key, j);
        /* The year first, so the normalizer does not have to guess it from a
         * range or a raw date. */
        const cJSON *parts = cJSON_GetObjectItemCaseSensitive(j, "date-parts");
        const cJSON *first = cJSON_GetArrayItem(cJSON_GetArrayItem(parts, 0), 0);
        const char *year = scalar_text(first, num);
        if (year && (rc = wn_record_add_str(rec, WN_F_YEAR, key, year)))
            return rc;
        wn_buf_clear(&c->tmp);
        if ((rc = date_text(j, &c->tmp)))
            return rc;
        /* A bare year says nothing a date would add. */
        if (c->tmp.len && (!year || strcmp(c->tmp.data, year) != 0))
            rc = wn_record_add(rec, WN_F_DATE, key, c->tmp.data, c->tmp.len);
        return rc;
    }
    case KEYWORDS: {
        const char *t = scalar_text(j, num);
        if (!t)
            return add_extra(c, key, j);
        /* CSL joins keywords with commas; the normalizer splits on ';'. */
        size_t len = strlen(t);
        for (size_t a = 0, k = 0; k <= len; k++) {
            if (k < len && t[k] != ',')
                continue;
            if ((rc = wn_record_add(rec, WN_F_KEYWORD, key, t + a, k - a)))
                return rc;
            a = k + 1;
        }
        return 0;
    }
    case PLAIN: {
        const char *t = scalar_text(j, num);
        if (t)
            return wn_record_add_str(rec, f, key, t);
        if (cJSON_IsArray(j)) {
            /* Some tools write ISSN, URL ... as arrays. */
            const cJSON *it;
            cJSON_ArrayForEach(it, j) {
                if (!scalar_text(it, num))
                    return add_extra(c, key, j);
            }
            cJSON_ArrayForEach(it, j) {
                if ((rc = wn_record_add_str(rec, f, key, scalar_text(it, num))))
                    return rc;
            }
            return 0;
        }
        return add_extra(c, key, j);
    }
    case CUSTOM:
        break;
    }
    return add_extra(c, key, j);
}

/* Fields from custom.winnow: strings, arrays of strings, and "extra" as
 * [tag, value] pairs. Anything else there is kept as an extra. */
static int add_own(csl_reader *c, const cJSON *own)
{
    wn_record *rec = c->p->rec;
    const cJSON *it;
    int rc = 0;
    cJSON_ArrayForEach(it, own) {
        int f = it->string ? wn_field_by_name(it->string) : -1;
        if (f == WN_F_EXTRA && cJSON_IsArray(it)) {
            const cJSON *pair;
            cJSON_ArrayForEach(pair, it) {
                const cJSON *tag = cJSON_GetArrayItem(pair, 0);
                const cJSON *val = cJSON_GetArrayItem(pair, 1);
                if (cJSON_IsString(tag) && cJSON_IsString(val))
                    rc = wn_record_add_str(rec, WN_F_EXTRA, tag->valuestring, val->valuestring);
                else
                    rc = add_extra(c, "winnow.extra", pair);
                if (rc)
                    return rc;
            }
            continue;
        }
        if (f < 0 || f == WN_F_EXTRA) {
            rc = add_extra(c, it->string ? it->string : "custom", it);
        } else if (cJSON_IsString(it)) {
            rc = wn_record_add_str(rec, (wn_field)f, it->string, it->valuestring);
        } else if (cJSON_IsArray(it)) {
            const cJSON *v;
            cJSON_ArrayForEach(v, it) {
                rc = cJSON_IsString(v)
                         ? wn_record_add_str(rec, (wn_field)f, it->string, v->valuestring)
                         : add_extra(c, it->string, v);
                if (rc)
                    break;
            }
        } else {
            rc = add_extra(c, it->string, it);
        }
        if (rc)
            return rc;
    }
    return 0;
}

static int read_item(void *reader, const cJSON *item)
{
    csl_reader *c = reader;
    const cJSON *custom = cJSON_GetObjectItemCaseSensitive(item, "custom");
    const cJSON *own = cJSON_GetObjectItemCaseSensitive(custom, "winnow");
    if (!cJSON_IsObject(own))
        own = NULL;
    const cJSON *j;
    int rc = 0;
    cJSON_ArrayForEach(j, item) {
        const char *key = j->string ? j->string : "";
        size_t k = 0;
        while (k < sizeof vars / sizeof vars[0] && strcmp(vars[k].key, key) != 0)
            k++;
        if (k == sizeof vars / sizeof vars[0]) {
            rc = add_extra(c, key, j);
        } else if (vars[k].how == CUSTOM) {
            /* Other tools' custom data is kept; winnow's is read below. */
            if (!own)
                rc = add_extra(c, key, j);
            else if (cJSON_GetArraySize(j) > 1) {
                const cJSON *other;
                cJSON_ArrayForEach(other, j) {
                    if (other != own && (rc = add_extra(c, other->string, other)))
                        break;
                }
            }
        } else {
            wn_field f = vars[k].field;
            int from_own = own && (wn_csljson_custom_only(f) ||
                                   cJSON_GetObjectItemCaseSensitive(own, wn_field_name(f)));
            if (!from_own)
                rc = add_var(c, j, f, vars[k].how);
        }
        if (rc)
            return rc;
    }
    return own ? add_own(c, own) : 0;
}

static int parse(wn_parser *p)
{
    csl_reader c = {p, WN_BUF_INIT};
    c.tmp.limit = WN_RECORD_MAX;
    int rc = wn_json_emit_items(p, WHAT, read_item, &c);
    wn_buf_free(&c.tmp);
    return rc;
}

/* ---- sniffing ---------------------------------------------------------- */

static const char *const basic_keys[] = {"title", "type", "author", "id"};
static const char *const csl_keys[] = {"container-title", "issued", "date-parts",
                                       "citation-key", "DOI", "page", "custom", "family"};

/* Marks which basic and CSL-only keys the string s[0..n) is. */
static void note_key(const char *s, size_t n, unsigned *basic, unsigned *csl)
{
    for (size_t k = 0; k < sizeof basic_keys / sizeof basic_keys[0]; k++)
        if (strlen(basic_keys[k]) == n && memcmp(basic_keys[k], s, n) == 0)
            *basic |= 1u << k;
    for (size_t k = 0; k < sizeof csl_keys / sizeof csl_keys[0]; k++)
        if (strlen(csl_keys[k]) == n && memcmp(csl_keys[k], s, n) == 0)
            *csl |= 1u << k;
}

static int bits(unsigned v)
{
    int n = 0;
    for (; v; v >>= 1)
        n += (int)(v & 1u);
    return n;
}

/* Walks the JSON structure from s and collects the keys of item objects:
 * the top object's own keys, or those of the objects in the top array.
 * With known_start unset the window starts somewhere inside an item, so
 * every key counts. */
static void collect_keys(const char *s, size_t len, int known_start, unsigned *basic,
                         unsigned *csl)
{
    size_t depth = 0, item_depth = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '"') {
            size_t start = ++i;
            while (i < len && s[i] != '"')
                i += s[i] == '\\' ? 2 : 1;
            if (i >= len)
                return;
            size_t k = i + 1;
            while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r'))
                k++;
            if (k < len && s[k] == ':' && (!known_start || depth == item_depth))
                note_key(s + start, i - start, basic, csl);
        } else if (c == '{' || c == '[') {
            if (known_start && depth == 0)
                item_depth = c == '[' ? 2 : 1;
            depth++;
        } else if ((c == '}' || c == ']') && depth) {
            depth--;
        }
    }
}

static int sniff(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        i++;
    if (i == len)
        return 0;
    int starts_json = text[i] == '[' || text[i] == '{';
    /* A window from inside a file starts at some line of an item. */
    if (!starts_json && text[i] != '"' && text[i] != '}' && text[i] != ']' && text[i] != ',')
        return 0;
    unsigned basic = 0, csl = 0;
    collect_keys(text + i, len - i, starts_json, &basic, &csl);
    int nbasic = bits(basic);
    if (starts_json) {
        if (nbasic >= 2)
            return csl ? 90 : 60;
        return nbasic ? 20 : 5;
    }
    return nbasic >= 2 && csl ? 40 : 0;
}

const wn_format wn_format_csljson = {"csljson", "CSL-JSON", sniff, parse};
