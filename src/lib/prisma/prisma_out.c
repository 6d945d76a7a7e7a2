/* The PRISMA flow as numbers by key, as text for people, and as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "prisma/prisma_impl.h"

int64_t wn_prisma_list_sum(const wn_prisma_list *l)
{
    int64_t n = 0;
    for (size_t i = 0; i < l->len; i++)
        n += l->items[i].n;
    return n;
}

int wn_prisma_has_other_arm(const wn_prisma *c)
{
    return c->arm[WN_PRISMA_OTHER].identified > 0;
}

void wn_prisma_undecided(const wn_prisma *c, int64_t *records, int64_t *reports,
                         int64_t *unretrieved)
{
    *records = *reports = *unretrieved = 0;
    for (int k = 0; k < WN_PRISMA_ARMS; k++) {
        *records += c->arm[k].ta_pending + c->arm[k].ta_conflict;
        *reports += c->arm[k].ft_pending + c->arm[k].ft_conflict;
        *unretrieved += c->arm[k].awaiting_retrieval + c->arm[k].included_waiting;
    }
}

/* ---- numbers by key -------------------------------------------------- */

typedef struct arm_key {
    const char *key[WN_PRISMA_ARMS]; /* the template's name where it has one */
    size_t offset;                   /* of the int64_t in wn_prisma_arm */
    size_t list;                     /* of a wn_prisma_list broken down under key, or 0 */
} arm_key;

#define ARM_N(f) offsetof(wn_prisma_arm, f)
#define ARM_L(f) (offsetof(wn_prisma_arm, f) + 1)
static const arm_key arm_keys[] = {
    {{"dbr_identified", "other_identified"}, ARM_N(identified), 0},
    {{"dbr_units", "other_units"}, ARM_N(units), 0},
    {{"duplicates", "other_duplicates"}, ARM_N(duplicates), 0},
    {{"excluded_automatic", "other_excluded_automatic"}, ARM_N(automation),
     ARM_L(automation_reasons)},
    {{"excluded_other", "other_excluded_other"}, ARM_N(removed_other), ARM_L(other_reasons)},
    {{"records_screened", "other_records_screened"}, ARM_N(screened), 0},
    {{"records_excluded", "other_records_excluded"}, ARM_N(excluded), ARM_L(ta_reasons)},
    {{"dbr_records_included", "other_records_included"}, ARM_N(ta_included), 0},
    {{"dbr_records_pending", "other_records_pending"}, ARM_N(ta_pending), 0},
    {{"dbr_records_conflict", "other_records_conflict"}, ARM_N(ta_conflict), 0},
    {{"dbr_included_awaiting_report", "other_included_awaiting_report"},
     ARM_N(included_waiting), 0},
    {{"dbr_sought_reports", "other_sought_reports"}, ARM_N(sought), 0},
    {{"dbr_notretrieved_reports", "other_notretrieved_reports"}, ARM_N(not_retrieved), 0},
    {{"dbr_awaiting_retrieval", "other_awaiting_retrieval"}, ARM_N(awaiting_retrieval), 0},
    {{"dbr_assessed", "other_assessed"}, ARM_N(assessed), 0},
    {{"dbr_excluded", "other_excluded"}, ARM_N(reports_excluded), ARM_L(report_reasons)},
    {{"dbr_reports_pending", "other_reports_pending"}, ARM_N(ft_pending), 0},
    {{"dbr_reports_conflict", "other_reports_conflict"}, ARM_N(ft_conflict), 0},
    {{"dbr_reports_included", "other_reports_included"}, ARM_N(reports_included), 0},
    {{"dbr_studies_included", "other_studies_included"}, ARM_N(studies_included), 0},
};

static int64_t arm_n(const wn_prisma_arm *a, const arm_key *k)
{
    return *(const int64_t *)((const char *)a + k->offset);
}

static const wn_prisma_list *arm_list(const wn_prisma_arm *a, const arm_key *k)
{
    return k->list ? (const wn_prisma_list *)((const char *)a + k->list - 1) : NULL;
}

static int each_item(const wn_prisma_list *l, const char *key,
                     int (*fn)(void *ctx, const char *key, int64_t n), void *ctx)
{
    int rc = 0;
    for (size_t i = 0; !rc && l && i < l->len; i++) {
        wn_buf b = WN_BUF_INIT;
        if ((rc = wn_buf_printf(&b, "%s:%s", key, l->items[i].name)))
            break;
        rc = fn(ctx, b.data, l->items[i].n);
        wn_buf_free(&b);
    }
    return rc;
}

int wn_prisma_each_number(const wn_prisma *c,
                          int (*fn)(void *ctx, const char *key, int64_t n), void *ctx)
{
    struct {
        const char *key;
        int64_t n;
        const wn_prisma_list *list;
    } top[] = {
        {"database_results", c->databases, &c->database_sources},
        {"register_results", c->registers, &c->register_sources},
        {"website_results", c->websites, NULL},
        {"organisation_results", c->organisations, NULL},
        {"citations_results", c->citations, NULL},
        {"other_source_results", c->other_kind, NULL},
        {"other_specific_results", wn_prisma_list_sum(&c->other_sources), &c->other_sources},
        {"records_total", c->records_total, NULL},
        {"units_total", c->units_total, NULL},
    };
    int rc = 0;
    for (size_t i = 0; !rc && i < sizeof top / sizeof top[0]; i++) {
        rc = fn(ctx, top[i].key, top[i].n);
        if (!rc && top[i].list) {
            /* database_results -> database_specific_results:NAME */
            const char *spec = !strcmp(top[i].key, "database_results")   ? "database_specific_results"
                               : !strcmp(top[i].key, "register_results") ? "register_specific_results"
                                                                         : top[i].key;
            rc = each_item(top[i].list, spec, fn, ctx);
        }
    }
    for (int k = 0; !rc && k < WN_PRISMA_ARMS; k++)
        for (size_t i = 0; !rc && i < sizeof arm_keys / sizeof arm_keys[0]; i++) {
            rc = fn(ctx, arm_keys[i].key[k], arm_n(&c->arm[k], &arm_keys[i]));
            if (!rc)
                rc = each_item(arm_list(&c->arm[k], &arm_keys[i]), arm_keys[i].key[k], fn, ctx);
        }
    struct {
        const char *key;
        int64_t n;
    } tail[] = {
        {"new_studies", c->new_studies},         {"new_reports", c->new_reports},
        {"previous_studies", c->previous_studies}, {"previous_reports", c->previous_reports},
        {"total_studies", c->total_studies},     {"total_reports", c->total_reports},
        {"complete", c->complete},               {"violations", (int64_t)c->n_violations},
    };
    for (size_t i = 0; !rc && i < sizeof tail / sizeof tail[0]; i++)
        rc = fn(ctx, tail[i].key, tail[i].n);
    return rc;
}

/* ---- text ------------------------------------------------------------ */

static const char *check_mark(int ok) { return ok ? "ok" : "DOES NOT ADD UP"; }

static int put_list(wn_buf *b, const char *indent, const wn_prisma_list *l)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < l->len; i++)
        rc = wn_buf_printf(b, "%s%s: %lld\n", indent, l->items[i].name,
                           (long long)l->items[i].n);
    return rc;
}

static int text_arm(const wn_prisma *c, int k, wn_buf *b)
{
    const wn_prisma_arm *a = &c->arm[k];
    int rc = 0;
    int64_t removed = a->duplicates + a->automation + a->removed_other;
    rc = wn_buf_printf(b,
                       "  Records removed before screening: %lld\n"
                       "    Duplicate records removed: %lld  (= %lld identified - %lld unique)\n"
                       "    Records marked as ineligible by automation tools: %lld\n",
                       (long long)removed, (long long)a->duplicates, (long long)a->identified,
                       (long long)a->units, (long long)a->automation);
    if (!rc)
        rc = put_list(b, "      ", &a->automation_reasons);
    if (!rc)
        rc = wn_buf_printf(b, "    Records removed for other reasons: %lld\n",
                           (long long)a->removed_other);
    if (!rc)
        rc = put_list(b, "      ", &a->other_reasons);
    int64_t screened = a->identified - a->duplicates - a->automation - a->removed_other;
    if (!rc)
        rc = wn_buf_printf(b,
                           "\nScreening\n"
                           "  Records screened: %lld  (= %lld - %lld - %lld - %lld: %s)\n"
                           "  Records excluded: %lld  (by reviewers: %lld; by automation tools:"
                           " 0 at screening, %lld before it)\n",
                           (long long)a->screened, (long long)a->identified,
                           (long long)a->duplicates, (long long)a->automation,
                           (long long)a->removed_other, check_mark(screened == a->screened),
                           (long long)a->excluded, (long long)a->excluded,
                           (long long)a->automation);
    if (!rc)
        rc = put_list(b, "    ", &a->ta_reasons);
    if (!rc && (a->ta_pending || a->ta_conflict))
        rc = wn_buf_printf(b,
                           "  NOT YET DECIDED: %lld records awaiting a decision, %lld in"
                           " conflict (counted in no box)\n",
                           (long long)a->ta_pending, (long long)a->ta_conflict);
    int64_t ta_left = a->screened - a->excluded - a->ta_pending - a->ta_conflict;
    if (!rc)
        rc = wn_buf_printf(b,
                           "  Records included at title/abstract: %lld  (= %lld - %lld - %lld"
                           " undecided: %s)\n",
                           (long long)a->ta_included, (long long)a->screened,
                           (long long)a->excluded,
                           (long long)(a->ta_pending + a->ta_conflict),
                           check_mark(ta_left == a->ta_included));
    if (!rc)
        rc = wn_buf_printf(b, "  Reports sought for retrieval: %lld  (for %lld of %lld included"
                              " records)\n",
                           (long long)a->sought, (long long)(a->ta_included - a->included_waiting),
                           (long long)a->ta_included);
    if (!rc && a->included_waiting)
        rc = wn_buf_printf(b, "  NOT YET SOUGHT: %lld included records have no report yet\n",
                           (long long)a->included_waiting);
    if (!rc)
        rc = wn_buf_printf(b, "  Reports not retrieved: %lld\n", (long long)a->not_retrieved);
    if (!rc && a->awaiting_retrieval)
        rc = wn_buf_printf(b, "  NOT YET RETRIEVED: %lld reports awaiting retrieval\n",
                           (long long)a->awaiting_retrieval);
    int64_t assessed = a->sought - a->not_retrieved - a->awaiting_retrieval;
    if (!rc)
        rc = wn_buf_printf(b,
                           "  Reports assessed for eligibility: %lld  (= %lld - %lld - %lld"
                           " awaiting: %s)\n"
                           "  Reports excluded: %lld\n",
                           (long long)a->assessed, (long long)a->sought,
                           (long long)a->not_retrieved, (long long)a->awaiting_retrieval,
                           check_mark(assessed == a->assessed), (long long)a->reports_excluded);
    if (!rc)
        rc = put_list(b, "    ", &a->report_reasons);
    if (!rc && (a->ft_pending || a->ft_conflict))
        rc = wn_buf_printf(b,
                           "  NOT YET DECIDED: %lld reports awaiting a decision, %lld in"
                           " conflict (counted in no box)\n",
                           (long long)a->ft_pending, (long long)a->ft_conflict);
    int64_t inc = a->assessed - a->reports_excluded - a->ft_pending - a->ft_conflict;
    if (!rc)
        rc = wn_buf_printf(b,
                           "  Reports of included studies: %lld  (= %lld - %lld - %lld"
                           " undecided: %s)\n"
                           "  Studies included: %lld\n",
                           (long long)a->reports_included, (long long)a->assessed,
                           (long long)a->reports_excluded,
                           (long long)(a->ft_pending + a->ft_conflict),
                           check_mark(inc == a->reports_included),
                           (long long)a->studies_included);
    return rc;
}

int wn_prisma_write_text(const wn_prisma *c, wn_buf *b)
{
    int rc = 0;
    if (c->has_previous)
        rc = wn_buf_printf(b,
                           "Previous studies\n"
                           "  Studies included in previous version of review: %lld\n"
                           "  Reports of studies included in previous version of review:"
                           " %lld\n\n",
                           (long long)c->previous_studies, (long long)c->previous_reports);
    if (!rc)
        rc = wn_buf_printf(b,
                           "Identification of new studies via databases and registers\n"
                           "  Records identified from databases: %lld\n",
                           (long long)c->databases);
    if (!rc)
        rc = put_list(b, "    ", &c->database_sources);
    if (!rc)
        rc = wn_buf_printf(b, "  Records identified from registers: %lld\n",
                           (long long)c->registers);
    if (!rc)
        rc = put_list(b, "    ", &c->register_sources);
    if (!rc)
        rc = text_arm(c, WN_PRISMA_DBR, b);
    if (!rc && wn_prisma_has_other_arm(c)) {
        rc = wn_buf_printf(b,
                           "\nIdentification of new studies via other methods\n"
                           "  Records identified from websites: %lld\n"
                           "  Records identified from organisations: %lld\n"
                           "  Records identified from citation searching: %lld\n",
                           (long long)c->websites, (long long)c->organisations,
                           (long long)c->citations);
        if (!rc && c->other_kind)
            rc = wn_buf_printf(b, "  Records identified from other sources: %lld\n",
                               (long long)c->other_kind);
        if (!rc && c->other_sources.len)
            rc = wn_buf_puts(b, "  Of these, by source:\n");
        if (!rc)
            rc = put_list(b, "    ", &c->other_sources);
        if (!rc)
            rc = text_arm(c, WN_PRISMA_OTHER, b);
    }
    if (!rc)
        rc = wn_buf_printf(b,
                           "\nIncluded\n"
                           "  New studies included in review: %lld\n"
                           "  Reports of new included studies: %lld\n",
                           (long long)c->new_studies, (long long)c->new_reports);
    if (!rc && c->has_previous)
        rc = wn_buf_printf(b,
                           "  Total studies included in review: %lld  (= %lld previous + %lld"
                           " new)\n"
                           "  Reports of total included studies: %lld  (= %lld previous + %lld"
                           " new)\n",
                           (long long)c->total_studies, (long long)c->previous_studies,
                           (long long)c->new_studies, (long long)c->total_reports,
                           (long long)c->previous_reports, (long long)c->new_reports);
    if (!rc)
        rc = wn_buf_printf(b, "\nChecks: %s\n",
                           c->n_violations ? "FAILED"
                           : c->complete   ? "every box adds up"
                                           : "every box adds up; screening is not finished");
    for (size_t i = 0; !rc && i < c->n_violations; i++)
        rc = wn_buf_printf(b, "  - %s\n", c->violations[i]);
    return rc;
}

/* ---- JSON ------------------------------------------------------------ */

/* One table per object says which member holds which number or list, so
 * the JSON written can be read back (the flow cache, prisma.c). */
typedef struct json_field {
    const char *name;
    size_t offset; /* of an int64_t */
} json_field;

typedef struct json_list {
    const char *name;
    size_t offset; /* of a wn_prisma_list */
} json_list;

#define ARM_F(name, member) {name, offsetof(wn_prisma_arm, member)}
static const json_field arm_fields[] = {
    ARM_F("identified", identified),
    ARM_F("units", units),
    ARM_F("duplicates", duplicates),
    ARM_F("automation", automation),
    ARM_F("removed_other", removed_other),
    ARM_F("screened", screened),
    ARM_F("excluded", excluded),
    ARM_F("excluded_by_reviewers", excluded),
    ARM_F("excluded_by_automation_before_screening", automation),
    ARM_F("ta_included", ta_included),
    ARM_F("ta_pending", ta_pending),
    ARM_F("ta_conflict", ta_conflict),
    ARM_F("included_awaiting_report", included_waiting),
    ARM_F("sought", sought),
    ARM_F("not_retrieved", not_retrieved),
    ARM_F("awaiting_retrieval", awaiting_retrieval),
    ARM_F("assessed", assessed),
    ARM_F("reports_excluded", reports_excluded),
    ARM_F("ft_pending", ft_pending),
    ARM_F("ft_conflict", ft_conflict),
    ARM_F("reports_included", reports_included),
    ARM_F("studies_included", studies_included),
};
static const json_list arm_lists[] = {
    {"automation_reasons", offsetof(wn_prisma_arm, automation_reasons)},
    {"other_reasons", offsetof(wn_prisma_arm, other_reasons)},
    {"ta_reasons", offsetof(wn_prisma_arm, ta_reasons)},
    {"report_reasons", offsetof(wn_prisma_arm, report_reasons)},
};
#define TOP_F(name, member) {name, offsetof(wn_prisma, member)}
static const json_field ident_fields[] = {
    TOP_F("databases", databases),         TOP_F("registers", registers),
    TOP_F("websites", websites),           TOP_F("organisations", organisations),
    TOP_F("citations", citations),         TOP_F("other", other_kind),
};
static const json_list ident_lists[] = {
    {"database_sources", offsetof(wn_prisma, database_sources)},
    {"register_sources", offsetof(wn_prisma, register_sources)},
    {"other_sources", offsetof(wn_prisma, other_sources)},
};
static const json_field top_fields[] = {
    TOP_F("records_total", records_total), TOP_F("units_total", units_total),
    TOP_F("new_studies", new_studies),     TOP_F("new_reports", new_reports),
    TOP_F("total_studies", total_studies), TOP_F("total_reports", total_reports),
};
static const char *const arm_names[WN_PRISMA_ARMS] = {"databases_and_registers",
                                                      "other_methods"};

static cJSON *list_json(const wn_prisma_list *l)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < l->len; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", l->items[i].name);
        cJSON_AddNumberToObject(o, "n", (double)l->items[i].n);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static void put_fields(cJSON *o, const void *base, const json_field *f, size_t n,
                       const json_list *l, size_t nl)
{
    for (size_t i = 0; i < n; i++)
        cJSON_AddNumberToObject(o, f[i].name,
                                (double)*(const int64_t *)((const char *)base + f[i].offset));
    for (size_t i = 0; i < nl; i++)
        cJSON_AddItemToObject(
            o, l[i].name, list_json((const wn_prisma_list *)((const char *)base + l[i].offset)));
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int wn_prisma_write_json(const wn_prisma *c, wn_buf *b)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return WN_ENOMEM;
    put_fields(cJSON_AddObjectToObject(o, "identified"), c, ident_fields, COUNT(ident_fields),
               ident_lists, COUNT(ident_lists));
    put_fields(o, c, top_fields, 2, NULL, 0); /* records_total, units_total */
    for (int k = 0; k < WN_PRISMA_ARMS; k++)
        put_fields(cJSON_AddObjectToObject(o, arm_names[k]), &c->arm[k], arm_fields,
                   COUNT(arm_fields), arm_lists, COUNT(arm_lists));
    if (c->has_previous) {
        cJSON *prev = cJSON_AddObjectToObject(o, "previous");
        cJSON_AddNumberToObject(prev, "studies", (double)c->previous_studies);
        cJSON_AddNumberToObject(prev, "reports", (double)c->previous_reports);
    } else {
        cJSON_AddNullToObject(o, "previous");
    }
    put_fields(o, c, top_fields + 2, COUNT(top_fields) - 2, NULL, 0);
    cJSON_AddBoolToObject(o, "complete", c->complete);
    cJSON *v = cJSON_AddArrayToObject(o, "violations");
    for (size_t i = 0; i < c->n_violations; i++)
        cJSON_AddItemToArray(v, cJSON_CreateString(c->violations[i]));
    char *s = cJSON_Print(o);
    cJSON_Delete(o);
    if (!s)
        return WN_ENOMEM;
    int rc = wn_buf_puts(b, s);
    if (!rc)
        rc = wn_buf_putc(b, '\n');
    cJSON_free(s);
    return rc;
}

/* ---- reading the JSON back ------------------------------------------- */

static int get_fields(const cJSON *o, void *base, const json_field *f, size_t n,
                      const json_list *l, size_t nl)
{
    if (!cJSON_IsObject(o))
        return WN_EPARSE;
    for (size_t i = 0; i < n; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, f[i].name);
        if (!cJSON_IsNumber(v))
            return WN_EPARSE;
        *(int64_t *)((char *)base + f[i].offset) = (int64_t)v->valuedouble;
    }
    for (size_t i = 0; i < nl; i++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, l[i].name), *item;
        if (!cJSON_IsArray(a))
            return WN_EPARSE;
        cJSON_ArrayForEach(item, a)
        {
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "name");
            const cJSON *num = cJSON_GetObjectItemCaseSensitive(item, "n");
            if (!cJSON_IsString(name) || !cJSON_IsNumber(num))
                return WN_EPARSE;
            int rc = wn_prisma_list_add((wn_prisma_list *)((char *)base + l[i].offset),
                                        name->valuestring, (int64_t)num->valuedouble);
            if (rc)
                return rc;
        }
    }
    return 0;
}

int wn_prisma_read_json(const char *text, wn_prisma *c)
{
    memset(c, 0, sizeof *c);
    cJSON *o = cJSON_Parse(text);
    if (!o)
        return WN_EPARSE;
    int rc = get_fields(cJSON_GetObjectItemCaseSensitive(o, "identified"), c, ident_fields,
                        COUNT(ident_fields), ident_lists, COUNT(ident_lists));
    if (!rc)
        rc = get_fields(o, c, top_fields, COUNT(top_fields), NULL, 0);
    for (int k = 0; !rc && k < WN_PRISMA_ARMS; k++)
        rc = get_fields(cJSON_GetObjectItemCaseSensitive(o, arm_names[k]), &c->arm[k],
                        arm_fields, COUNT(arm_fields), arm_lists, COUNT(arm_lists));
    const cJSON *prev = cJSON_GetObjectItemCaseSensitive(o, "previous");
    if (!rc && cJSON_IsObject(prev)) {
        static const json_field prev_fields[] = {TOP_F("studies", previous_studies),
                                                 TOP_F("reports", previous_reports)};
        c->has_previous = 1;
        rc = get_fields(prev, c, prev_fields, COUNT(prev_fields), NULL, 0);
    }
    c->complete = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "complete"));
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "violations"), *item;
    cJSON_ArrayForEach(item, v)
    {
        if (rc)
            break;
        char **grown = realloc(c->violations, (c->n_violations + 1) * sizeof *grown);
        if (!grown || !cJSON_IsString(item)) {
            rc = grown ? WN_EPARSE : WN_ENOMEM;
            if (grown)
                c->violations = grown;
            break;
        }
        c->violations = grown;
        if (!(c->violations[c->n_violations] = wn_strdup(item->valuestring))) {
            rc = WN_ENOMEM;
            break;
        }
        c->n_violations++;
    }
    cJSON_Delete(o);
    if (rc)
        wn_prisma_free(c);
    return rc;
}
