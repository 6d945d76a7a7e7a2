#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

#define SHOWN 20 /* warnings and broken records listed per file, unless --all */

/* Fields whose coverage is reported, in this order. */
static const wn_field coverage_fields[] = {
    WN_F_TITLE, WN_F_AUTHOR,  WN_F_YEAR, WN_F_JOURNAL, WN_F_ABSTRACT, WN_F_DOI,
    WN_F_PMID,  WN_F_KEYWORD, WN_F_PAGES, WN_F_VOLUME, WN_F_ISSN,     WN_F_LANGUAGE,
};
#define N_COVERAGE (sizeof coverage_fields / sizeof coverage_fields[0])

/* Pages are given as a range or as first/last page: either counts. */
static size_t with_field(const wn_validation *v, wn_field f)
{
    if (f == WN_F_PAGES && v->with[WN_F_START_PAGE] > v->with[f])
        return v->with[WN_F_START_PAGE];
    return v->with[f];
}

static void print_file(const char *name, const wn_validation *v, int all)
{
    printf("%s: %s (%s), %s, %.1f MB, sha256 %.12s\n", name, v->label, v->why, v->encoding,
           (double)v->bytes / 1e6, v->sha256);
    printf("  %zu records, %zu warnings, %zu look broken\n", v->records, v->warnings,
           v->suspects);
    if (!v->records)
        return;
    printf("  types:");
    for (size_t i = 0; i < v->n_types; i++)
        printf("%s %s %zu", i ? "," : "", v->types[i].type, v->types[i].n);
    printf("\n  with:");
    for (size_t i = 0; i < N_COVERAGE; i++) {
        size_t n = with_field(v, coverage_fields[i]);
        printf("%s %s %zu (%.0f%%)", i ? "," : "", wn_field_name(coverage_fields[i]), n,
               100.0 * (double)n / (double)v->records);
    }
    putchar('\n');
    size_t shown = all ? v->n_kept : (v->n_kept < SHOWN ? v->n_kept : SHOWN);
    if (v->warnings)
        printf("  warnings:\n");
    for (size_t i = 0; i < shown; i++) {
        const wn_kept_warning *w = &v->kept[i];
        printf("    %s:%zu: ", name, w->line);
        if (w->record)
            printf("[record %zu] ", w->record);
        printf("%s\n", w->message);
    }
    if (v->warnings > shown)
        printf("    ... %zu more (--all lists %s)\n", v->warnings - shown,
               v->warnings > v->n_kept ? "the first 1000" : "them");
    shown = all ? v->n_suspect : (v->n_suspect < SHOWN ? v->n_suspect : SHOWN);
    if (v->suspects)
        printf("  look broken:\n");
    for (size_t i = 0; i < shown; i++)
        printf("    %s:%zu: [record %zu] %s\n", name, v->suspect[i].line, v->suspect[i].position,
               v->suspect[i].reason);
    if (v->suspects > shown)
        printf("    ... %zu more (--all lists %s)\n", v->suspects - shown,
               v->suspects > v->n_suspect ? "the first 1000" : "them");
}

static cJSON *file_json(const char *name, const wn_validation *v, const char *error)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "file", name);
    if (error)
        cJSON_AddStringToObject(o, "error", error);
    if (!v->format[0])
        return o;
    cJSON_AddStringToObject(o, "format", v->format);
    cJSON_AddStringToObject(o, "why", v->why);
    cJSON_AddStringToObject(o, "encoding", v->encoding);
    cJSON_AddStringToObject(o, "sha256", v->sha256);
    cJSON_AddNumberToObject(o, "bytes", (double)v->bytes);
    cJSON_AddNumberToObject(o, "records", (double)v->records);
    cJSON *types = cJSON_AddObjectToObject(o, "types");
    for (size_t i = 0; i < v->n_types; i++)
        cJSON_AddNumberToObject(types, v->types[i].type, (double)v->types[i].n);
    cJSON *with = cJSON_AddObjectToObject(o, "with");
    for (size_t i = 0; i < N_COVERAGE; i++)
        cJSON_AddNumberToObject(with, wn_field_name(coverage_fields[i]),
                                (double)with_field(v, coverage_fields[i]));
    cJSON_AddNumberToObject(o, "warning_count", (double)v->warnings);
    cJSON *ws = cJSON_AddArrayToObject(o, "warnings");
    for (size_t i = 0; i < v->n_kept; i++) {
        cJSON *w = cJSON_CreateObject();
        cJSON_AddNumberToObject(w, "line", (double)v->kept[i].line);
        cJSON_AddNumberToObject(w, "record", (double)v->kept[i].record);
        cJSON_AddStringToObject(w, "message", v->kept[i].message);
        cJSON_AddItemToArray(ws, w);
    }
    cJSON_AddNumberToObject(o, "broken_count", (double)v->suspects);
    cJSON *bs = cJSON_AddArrayToObject(o, "broken");
    for (size_t i = 0; i < v->n_suspect; i++) {
        cJSON *b = cJSON_CreateObject();
        cJSON_AddNumberToObject(b, "line", (double)v->suspect[i].line);
        cJSON_AddNumberToObject(b, "record", (double)v->suspect[i].position);
        cJSON_AddStringToObject(b, "reason", v->suspect[i].reason);
        cJSON_AddItemToArray(bs, b);
    }
    return o;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    const char *format = NULL, *encoding = NULL, *expect = NULL, *json = NULL, *all = NULL;
    const char *map = NULL;
    const char *pos[256];
    int n;
    const cli_opt opts[] = {{"format", 'f', 1, &format}, {"encoding", 0, 1, &encoding},
                            {"expect", 0, 1, &expect},   {"json", 0, 0, &json},
                            {"all", 0, 0, &all},         {"map", 0, 1, &map},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_validate, argc, argv, opts, pos, 256, &n))
        return EXIT_USAGE;
    if (n == 0)
        return cli_usage(&cmd_validate, "name at least one file");
    long long expected = -1;
    if (expect && cli_int(&cmd_validate, "--expect", expect, &expected))
        return EXIT_USAGE;
    if (format && !wn_format_find(format)) {
        char names[256];
        wn_format_names(names, sizeof names);
        return cli_usage(&cmd_validate, "unknown format '%s' (%s)", format, names);
    }
    wn_err map_err;
    if (map && wn_csv_map_check(map, &map_err))
        return cli_usage(&cmd_validate, "%s", map_err.msg);
    int failed = 0;
    size_t total = 0;
    cJSON *root = json ? cJSON_CreateObject() : NULL;
    cJSON *files = root ? cJSON_AddArrayToObject(root, "files") : NULL;
    for (int i = 0; i < n; i++) {
        wn_validation v;
        wn_err err;
        wn_err_clear(&err);
        int rc = wn_validate_file(pos[i], pos[i], format, encoding, map, &v, &err);
        total += v.records;
        if (json) {
            cJSON_AddItemToArray(files, file_json(pos[i], &v, rc ? err.msg : NULL));
        } else {
            if (v.format[0])
                print_file(pos[i], &v, all != NULL);
            if (rc)
                cli_error(EXIT_RUNTIME, "%s", err.msg);
        }
        failed |= rc != 0;
        wn_validation_free(&v);
    }
    int reconciled = expected < 0 || (long long)total == expected;
    if (json) {
        cJSON_AddNumberToObject(root, "records", (double)total);
        if (expected >= 0) {
            cJSON_AddNumberToObject(root, "expected", (double)expected);
            cJSON_AddBoolToObject(root, "reconciled", reconciled);
        }
        char *s = cJSON_Print(root);
        puts(s);
        cJSON_free(s);
        cJSON_Delete(root);
    } else if (expected >= 0) {
        if (reconciled)
            printf("%zu records in %d file%s: matches the %lld expected\n", total, n,
                   n == 1 ? "" : "s", expected);
        else
            printf("%zu records in %d file%s, but %lld expected: %lld %s\n", total, n,
                   n == 1 ? "" : "s", expected, llabs((long long)total - expected),
                   (long long)total < expected ? "missing" : "too many");
    } else if (n > 1) {
        printf("%zu records in %d files\n", total, n);
    }
    return failed || !reconciled ? EXIT_RUNTIME : EXIT_OK;
}

const cli_command cmd_validate = {
    "validate",
    "check export files without importing them",
    "validate FILE... [--format F] [--encoding E] [--map F=COL,...] [--expect N] [--all]\n"
    "       [--json]",
    "Reads each file as 'winnow import' would, without touching a project, and\n"
    "tells: the format found and why, the encoding, how many records, records\n"
    "per type, how many have each field (title, authors, DOI, abstract ...),\n"
    "every warning with its line, and records that look broken (no title, an\n"
    "absurd year, two DOIs or another record's start inside a field: signs of\n"
    "records merged by a faulty export).\n"
    "\n"
    "  --expect N   the number of hits the database reported: says whether the\n"
    "               files' records add up to it, and exits 1 if they do not\n"
    "  --map F=COL,...  CSV: which header column holds each field (as for\n"
    "               'winnow import --map')\n"
    "  --all        list every warning and broken record (default: 20 each)\n"
    "  --json       machine-readable output\n"
    "\n"
    "Exit status 1 when a file cannot be read or the counts do not reconcile.\n",
    run,
};
