/* CSL-JSON export: a JSON array of CSL items, one item per line
 * ("[\n", items joined by ",\n", "\n]\n"), each printed by cJSON.
 *
 * The standard CSL variables carry what other tools read: id, type, title,
 * author, issued, container-title(-short), volume, issue, page, DOI, PMID,
 * PMCID, ISSN, ISBN, language, keyword, abstract, URL, publisher. Where CSL
 * cannot hold a field exactly (winnow's own and the source's type codes, the
 * date as written, page parts, keyword, URL, ISSN and ISBN lists, the
 * source's id, extras), the item's "custom" object holds a "winnow" object
 * keyed by winnow column name; the CSL-JSON reader takes those fields from
 * it, so an export reads back to the same fields. Single-valued fields are
 * strings there, repeatable ones arrays, and "extra" an array of
 * [tag, value] pairs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "export/export_impl.h"
#include "import/csljson_impl.h"
#include "winnow/normalize.h"

/* winnow's normalized types as CSL types. */
static const struct {
    const char *type;
    const char *csl;
} csl_types[] = {
    {"article", "article-journal"}, {"book", "book"},
    {"chapter", "chapter"},         {"conference", "paper-conference"},
    {"thesis", "thesis"},           {"report", "report"},
    {"web", "webpage"},             {"dataset", "dataset"},
    {"patent", "patent"},           {"magazine", "article-magazine"},
    {"newspaper", "article-newspaper"}, {"standard", "standard"},
    {"legal", "legal_case"},        {"preprint", "article"},
    {"abstract", "article-journal"}, {"unpublished", "manuscript"},
    {"generic", "document"},
};

/* CSL type names, to pass a CSL type code through unchanged. */
static const char *const csl_names[] = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
    NULL,
};

static const char *csl_type(const wn_record *rec)
{
    const char *raw = wn_record_first(rec, WN_F_TYPE_RAW);
    for (size_t i = 0; raw && csl_names[i]; i++)
        if (strcmp(raw, csl_names[i]) == 0)
            return csl_names[i];
    const char *t = wn_record_first(rec, WN_F_TYPE);
    if (!t && raw)
        t = wn_type_from_code(raw);
    for (size_t i = 0; t && i < sizeof csl_types / sizeof csl_types[0]; i++)
        if (strcmp(t, csl_types[i].type) == 0)
            return csl_types[i].csl;
    return "document";
}

/* A cJSON string of a field value, escaped for the import normalizer. */
static cJSON *value_string(wn_export *x, wn_field f, const char *v, size_t len)
{
    wn_buf_clear(&x->tmp);
    if (wn_x_put_value(&x->tmp, f, v, len))
        return NULL;
    return cJSON_CreateString(x->tmp.data ? x->tmp.data : "");
}

static int add_item(cJSON *to, const char *key, cJSON *item)
{
    if (!item)
        return WN_ENOMEM;
    if (key ? !cJSON_AddItemToObject(to, key, item) : !cJSON_AddItemToArray(to, item)) {
        cJSON_Delete(item);
        return WN_ENOMEM;
    }
    return 0;
}

/* All values of f joined by sep as one string (NULL key: none present). */
static int add_joined(wn_export *x, cJSON *item, const char *key, const wn_record *rec,
                      wn_field f, const char *sep)
{
    wn_buf_clear(&x->tmp2);
    size_t n = 0;
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field != f)
            continue;
        if ((n++ && wn_buf_puts(&x->tmp2, sep)) || wn_x_put_value(&x->tmp2, f, v.value, v.len))
            return WN_ENOMEM;
    }
    if (!n)
        return 0;
    return add_item(item, key, cJSON_CreateString(x->tmp2.data));
}

/* "Surname, Given" as {family, given} when that splits back exactly, else
 * {literal} (group names, odd punctuation). */
static int add_author(wn_export *x, cJSON *list, const char *v, size_t len)
{
    cJSON *name = cJSON_CreateObject();
    int rc = add_item(list, NULL, name);
    if (rc)
        return rc;
    const char *comma = memchr(v, ',', len);
    size_t fam = comma ? (size_t)(comma - v) : 0;
    int split = comma && fam > 0 && v[fam - 1] != ' ' && fam + 2 < len && v[fam + 1] == ' ' &&
                v[fam + 2] != ' ';
    if (!split)
        return add_item(name, "literal", value_string(x, WN_F_AUTHOR, v, len));
    rc = add_item(name, "family", value_string(x, WN_F_AUTHOR, v, fam));
    if (!rc)
        rc = add_item(name, "given", value_string(x, WN_F_AUTHOR, v + fam + 2, len - fam - 2));
    return rc;
}

static int month_number(const char *s)
{
    static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int m = 0; m < 12; m++)
        if (strncasecmp(s, months[m], 3) == 0)
            return m + 1;
    return 0;
}

/* issued: the year, and month and day when the date gives them after the
 * year ("2019-03-12", "2019/03", "2019 Mar 12"). */
static int add_issued(cJSON *item, const wn_record *rec)
{
    const char *date = wn_record_first(rec, WN_F_DATE);
    const char *year = wn_record_first(rec, WN_F_YEAR);
    int y = year ? wn_year_in(year) : 0;
    if (!y && date)
        y = wn_year_in(date);
    if (!y)
        return 0;
    int parts[3] = {y, 0, 0}, n = 1;
    char ys[8];
    snprintf(ys, sizeof ys, "%d", y);
    if (date && strncmp(date, ys, 4) == 0) {
        const char *s = date + 4;
        for (int k = 1; k < 3; k++) {
            if (*s != '-' && *s != '/' && *s != ' ')
                break;
            s++;
            int v = 0;
            const char *d = s;
            while (*s >= '0' && *s <= '9' && s - d < 2)
                v = v * 10 + (*s++ - '0');
            if (s == d && k == 1 && (v = month_number(s)) != 0)
                s += 3;
            if (!v || v > (k == 1 ? 12 : 31) || (*s >= '0' && *s <= '9'))
                break;
            parts[n++] = v;
        }
    }
    cJSON *issued = cJSON_CreateObject();
    int rc = add_item(item, "issued", issued);
    cJSON *outer = cJSON_CreateArray();
    if (!rc)
        rc = add_item(issued, "date-parts", outer);
    cJSON *inner = cJSON_CreateArray();
    if (!rc)
        rc = add_item(outer, NULL, inner);
    for (int k = 0; k < n && !rc; k++)
        rc = add_item(inner, NULL, cJSON_CreateNumber(parts[k]));
    return rc;
}

/* The item's custom.winnow object, made on first use. */
static int own_object(cJSON *item, cJSON **own)
{
    if (*own)
        return 0;
    cJSON *custom = cJSON_CreateObject();
    int rc = add_item(item, "custom", custom);
    if (rc)
        return rc;
    *own = cJSON_CreateObject();
    return add_item(custom, "winnow", *own);
}

/* custom.winnow: the fields CSL cannot carry exactly, and any field with
 * more values than its CSL variable holds. */
static int add_custom(wn_export *x, cJSON *item, const wn_record *rec)
{
    int rc = 0;
    cJSON *own = NULL;
    for (int f = 0; f < WN_F_EXTRA && !rc; f++) {
        size_t n = wn_record_count(rec, (wn_field)f);
        int list = wn_field_is_list((wn_field)f);
        if (!n || (!wn_csljson_custom_only((wn_field)f) && (n == 1 || f == WN_F_AUTHOR)))
            continue;
        if ((rc = own_object(item, &own)))
            break;
        const char *name = wn_field_name((wn_field)f);
        if (n == 1 && !list) {
            const char *v = wn_record_first(rec, (wn_field)f);
            rc = add_item(own, name, value_string(x, (wn_field)f, v, strlen(v)));
            continue;
        }
        cJSON *arr = cJSON_CreateArray();
        rc = add_item(own, name, arr);
        for (size_t i = 0; i < wn_record_size(rec) && !rc; i++) {
            wn_field_value v = wn_record_at(rec, i);
            if (v.field == (wn_field)f)
                rc = add_item(arr, NULL, value_string(x, v.field, v.value, v.len));
        }
    }
    /* Always there, even empty: it tells the reader the item is winnow's,
     * so the type and id CSL makes it carry are not taken for fields. */
    if (!rc)
        rc = own_object(item, &own);
    if (rc || !wn_record_count(rec, WN_F_EXTRA))
        return rc;
    cJSON *extras = cJSON_CreateArray();
    rc = add_item(own, "extra", extras);
    for (size_t i = 0; i < wn_record_size(rec) && !rc; i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field != WN_F_EXTRA)
            continue;
        cJSON *pair = cJSON_CreateArray();
        rc = add_item(extras, NULL, pair);
        if (!rc)
            rc = add_item(pair, NULL, cJSON_CreateString(v.tag));
        if (!rc)
            rc = add_item(pair, NULL, cJSON_CreateString(v.value));
    }
    return rc;
}

/* Standard variables holding one winnow field each. */
static const struct {
    const char *key;
    wn_field field;
} plain_vars[] = {
    {"container-title", WN_F_JOURNAL}, {"container-title-short", WN_F_JOURNAL_ABBR},
    {"volume", WN_F_VOLUME},           {"issue", WN_F_ISSUE},
    {"page", WN_F_PAGES},              {"DOI", WN_F_DOI},
    {"PMID", WN_F_PMID},               {"PMCID", WN_F_PMCID},
};

static int build_item(wn_export *x, cJSON *item, const wn_record *rec)
{
    int rc = 0;
    const char *id = wn_record_first(rec, WN_F_SOURCE_ID);
    char gen[32];
    if (!id) {
        snprintf(gen, sizeof gen, "item-%zu", x->records + 1);
        id = gen;
    }
    rc = add_item(item, "id", cJSON_CreateString(id));
    if (!rc)
        rc = add_item(item, "type", cJSON_CreateString(csl_type(rec)));
    const char *title = wn_record_first(rec, WN_F_TITLE);
    if (!rc && title)
        rc = add_item(item, "title", value_string(x, WN_F_TITLE, title, strlen(title)));
    if (!rc && wn_record_count(rec, WN_F_AUTHOR)) {
        cJSON *authors = cJSON_CreateArray();
        rc = add_item(item, "author", authors);
        for (size_t i = 0; i < wn_record_size(rec) && !rc; i++) {
            wn_field_value v = wn_record_at(rec, i);
            if (v.field == WN_F_AUTHOR)
                rc = add_author(x, authors, v.value, v.len);
        }
    }
    if (!rc)
        rc = add_issued(item, rec);
    for (size_t k = 0; k < sizeof plain_vars / sizeof plain_vars[0] && !rc; k++) {
        const char *v = wn_record_first(rec, plain_vars[k].field);
        if (v)
            rc = add_item(item, plain_vars[k].key,
                          value_string(x, plain_vars[k].field, v, strlen(v)));
    }
    if (!rc)
        rc = add_joined(x, item, "ISSN", rec, WN_F_ISSN, ", ");
    if (!rc)
        rc = add_joined(x, item, "ISBN", rec, WN_F_ISBN, ", ");
    const char *v = wn_record_first(rec, WN_F_LANGUAGE);
    if (!rc && v)
        rc = add_item(item, "language", value_string(x, WN_F_LANGUAGE, v, strlen(v)));
    if (!rc)
        rc = add_joined(x, item, "keyword", rec, WN_F_KEYWORD, ", ");
    v = wn_record_first(rec, WN_F_ABSTRACT);
    if (!rc && v)
        rc = add_item(item, "abstract", value_string(x, WN_F_ABSTRACT, v, strlen(v)));
    v = wn_record_first(rec, WN_F_URL);
    if (!rc && v)
        rc = add_item(item, "URL", value_string(x, WN_F_URL, v, strlen(v)));
    v = wn_record_first(rec, WN_F_PUBLISHER);
    if (!rc && v)
        rc = add_item(item, "publisher", value_string(x, WN_F_PUBLISHER, v, strlen(v)));
    if (!rc)
        rc = add_custom(x, item, rec);
    return rc;
}

static int csl_begin(wn_export *x) { return wn_buf_putc(&x->out, '['); }

static int csl_record(wn_export *x, const wn_record *rec)
{
    int rc = 0;
    char *text = NULL;
    cJSON *item = cJSON_CreateObject();
    if (!item)
        return WN_ENOMEM;
    rc = build_item(x, item, rec);
    if (rc)
        goto done;
    text = cJSON_PrintUnformatted(item);
    if (!text) {
        rc = WN_ENOMEM;
        goto done;
    }
    rc = wn_buf_puts(&x->out, x->records ? ",\n" : "\n");
    if (!rc)
        rc = wn_buf_puts(&x->out, text);
done:
    free(text);
    cJSON_Delete(item);
    return rc;
}

static int csl_end(wn_export *x) { return wn_buf_puts(&x->out, x->records ? "\n]\n" : "]\n"); }

const wn_exporter wn_exporter_csljson = {"csljson", csl_begin, csl_record, csl_end};
