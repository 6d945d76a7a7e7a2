#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

static int print_row(void *ctx, const wn_source_info *s)
{
    (void)ctx;
    printf("%3lld  ", (long long)s->id);
    cli_cell(stdout, s->name, 16, 1);
    printf("  ");
    cli_cell(stdout, s->kind, 8, 1);
    printf("  ");
    cli_cell(stdout, s->format, 8, 1);
    printf("  ");
    cli_cell(stdout, s->filename, 28, 1);
    printf("  %.12s  %7lld  %8lld\n", s->sha256, (long long)s->records,
           (long long)s->warnings);
    return 0;
}

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static int add_json(void *ctx, const wn_source_info *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)s->id);
    add_str(o, "name", s->name);
    add_str(o, "kind", s->kind);
    add_str(o, "format", s->format);
    add_str(o, "file", s->filename);
    add_str(o, "sha256", s->sha256);
    add_str(o, "encoding", s->encoding);
    add_str(o, "searched_on", s->searched_on);
    add_str(o, "query", s->query);
    add_str(o, "imported_at", s->imported_at);
    cJSON_AddNumberToObject(o, "bytes", (double)s->bytes);
    cJSON_AddNumberToObject(o, "records", (double)s->records);
    cJSON_AddNumberToObject(o, "warnings", (double)s->warnings);
    cJSON_AddItemToArray(ctx, o);
    return 0;
}

static int count_row(void *ctx, const wn_source_info *s)
{
    long long *t = ctx;
    t[0] += s->records;
    t[1] += s->warnings;
    t[2]++;
    return 0;
}

int cli_print_sources(wn_project *p, int json)
{
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        int rc = wn_sources_each(p, add_json, arr);
        if (!rc) {
            char *s = cJSON_Print(arr);
            puts(s);
            cJSON_free(s);
        }
        cJSON_Delete(arr);
        return rc;
    }
    printf(" id  %-16s  %-8s  %-8s  %-28s  %-12s  %7s  %8s\n", "name", "kind", "format",
           "file", "sha256", "records", "warnings");
    long long totals[3] = {0, 0, 0};
    int rc = wn_sources_each(p, print_row, NULL);
    if (!rc)
        rc = wn_sources_each(p, count_row, totals);
    if (!rc)
        printf("%lld sources, %lld records, %lld warnings\n", totals[2], totals[0], totals[1]);
    return rc;
}

static int print_warning(void *ctx, const wn_warning_row *w)
{
    int json = *(int *)ctx;
    (void)json;
    if (w->record)
        printf("%s:%lld: [%s, record %lld] %s\n", w->filename, (long long)w->line,
               w->source_name, (long long)w->record, w->message);
    else
        printf("%s:%lld: [%s] %s\n", w->filename, (long long)w->line, w->source_name,
               w->message);
    return 0;
}

static int add_warning_json(void *ctx, const wn_warning_row *w)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "source_id", (double)w->source_id);
    cJSON_AddStringToObject(o, "source", w->source_name);
    cJSON_AddStringToObject(o, "file", w->filename);
    cJSON_AddNumberToObject(o, "line", (double)w->line);
    cJSON_AddNumberToObject(o, "record", (double)w->record);
    cJSON_AddStringToObject(o, "message", w->message);
    cJSON_AddItemToArray(ctx, o);
    return 0;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *json = NULL, *warnings = NULL, *source = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"json", 0, 0, &json},
                            {"warnings", 'w', 0, &warnings},
                            {"source", 's', 1, &source},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_sources, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    int rc = 0;
    int64_t sid = 0;
    if (source && (rc = wn_source_lookup(p, source, &sid)) != 0)
        return cli_finish(p, rc);
    if (warnings && json) {
        cJSON *arr = cJSON_CreateArray();
        rc = wn_warnings_each(p, sid, add_warning_json, arr);
        if (!rc) {
            char *s = cJSON_Print(arr);
            puts(s);
            cJSON_free(s);
        }
        cJSON_Delete(arr);
    } else if (warnings) {
        int j = 0;
        rc = wn_warnings_each(p, sid, print_warning, &j);
    } else {
        rc = cli_print_sources(p, json != NULL);
    }
    return cli_finish(p, rc);
}

const cli_command cmd_sources = {
    "sources",
    "list the imported sources (one line per import)",
    "sources [--warnings] [--source NAME|ID] [--json]",
    "Lists every import: its id, database name, kind, format, file, the first\n"
    "12 digits of the file's sha256, and how many records and warnings it gave.\n"
    "\n"
    "  --warnings       list the import warnings instead, as FILE:LINE: message\n"
    "  --source S       only the source with this id (or the first of this name)\n"
    "  --json           machine-readable output (every field, full sha256)\n",
    run,
};
