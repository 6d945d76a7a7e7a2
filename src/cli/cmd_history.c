/* winnow history ID: one record's whole path, import to final decision. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

typedef struct outcome_find {
    int64_t unit;
    const char *stage;
    int found;
    char outcome[16], reason[200];
} outcome_find;

static int find_outcome(void *ctx, const wn_unit_outcome *o)
{
    outcome_find *f = ctx;
    if (o->unit_id != f->unit)
        return 0;
    f->found = 1;
    snprintf(f->outcome, sizeof f->outcome, "%s", wn_outcome_name(o->outcome));
    snprintf(f->reason, sizeof f->reason, "%s", o->reason ? o->reason : "");
    return 0;
}

/* The reports of one unit, for their full-text outcomes. */
typedef struct unit_reports {
    int64_t unit, ids[16];
    size_t n;
} unit_reports;

static int collect_report(void *ctx, const wn_report_info *r)
{
    unit_reports *u = ctx;
    if (r->unit_id == u->unit && u->n < sizeof u->ids / sizeof u->ids[0])
        u->ids[u->n++] = r->id;
    return 0;
}

typedef struct out_ctx {
    cJSON *steps; /* NULL: print */
    wn_project *p;
    int64_t record;
} out_ctx;

static void emit(out_ctx *o, const char *at, const char *stage, const char *text)
{
    if (o->steps) {
        cJSON *e = cJSON_CreateObject();
        if (at)
            cJSON_AddStringToObject(e, "at", at);
        else
            cJSON_AddNullToObject(e, "at");
        cJSON_AddStringToObject(e, "stage", stage);
        cJSON_AddStringToObject(e, "text", text);
        cJSON_AddItemToArray(o->steps, e);
        return;
    }
    printf("  %-19.19s  %-8s  %s\n", at ? at : "", stage, text);
}

/* Why the record joined its cluster: the merged pairs it is part of. */
static int print_pair(void *ctx, const wn_dedup_pair *pair)
{
    out_ctx *o = ctx;
    if ((pair->a != o->record && pair->b != o->record) || strcmp(pair->outcome, WN_PAIR_DUPLICATE))
        return 0;
    char line[600];
    snprintf(line, sizeof line, "same as record %lld by rule '%s' (%s)%s%s",
             (long long)(pair->a == o->record ? pair->b : pair->a), pair->rule,
             pair->evidence ? pair->evidence : "", pair->decision ? "; decided by a person: " : "",
             pair->decision ? pair->decision : "");
    emit(o, NULL, "dedup", line);
    return 0;
}

static int print_event(void *ctx, const wn_history_event *e)
{
    out_ctx *o = ctx;
    emit(o, e->at, e->stage, e->text);
    if (!strcmp(e->stage, "dedup")) {
        int64_t unit;
        return wn_dedup_explain(o->p, o->record, &unit, print_pair, o);
    }
    return 0;
}

/* The unit's outcome at a stage ("" when it has none). */
static int stage_outcome(wn_project *p, const char *stage, int64_t unit, out_ctx *o)
{
    outcome_find f = {unit, stage, 0, "", ""};
    int rc = wn_stage_outcomes_each(p, stage, find_outcome, &f);
    if (rc || !f.found)
        return rc;
    char line[300];
    if (!strcmp(stage, "ta"))
        snprintf(line, sizeof line, "title/abstract outcome: %s%s%s%s", f.outcome,
                 *f.reason ? " (" : "", f.reason, *f.reason ? ")" : "");
    else
        snprintf(line, sizeof line, "report %lld full-text outcome: %s%s%s%s", (long long)unit,
                 f.outcome, *f.reason ? " (" : "", f.reason, *f.reason ? ")" : "");
    emit(o, NULL, "outcome", line);
    return 0;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *json = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"json", 0, 0, &json}, {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_history, argc, argv, opts, pos, 1, &n))
        return EXIT_USAGE;
    if (n != 1)
        return cli_usage(&cmd_history, "say which record");
    long long id;
    if (cli_int(&cmd_history, "record id", pos[0], &id))
        return EXIT_USAGE;
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    out_ctx o = {json ? cJSON_CreateArray() : NULL, p, id};
    int64_t unit = 0;
    if (!json)
        printf("record %lld\n", id);
    int rc = wn_record_history(p, id, &unit, print_event, &o);
    if (!rc)
        rc = stage_outcome(p, "ta", unit, &o);
    unit_reports reports = {unit, {0}, 0};
    if (!rc)
        rc = wn_reports_each(p, NULL, collect_report, &reports);
    for (size_t i = 0; !rc && i < reports.n; i++)
        rc = stage_outcome(p, "ft", reports.ids[i], &o);
    if (!rc && json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddNumberToObject(root, "record", (double)id);
        cJSON_AddNumberToObject(root, "unit", (double)unit);
        cJSON_AddItemToObject(root, "steps", o.steps);
        o.steps = NULL;
        char *s = cJSON_Print(root);
        puts(s);
        cJSON_free(s);
        cJSON_Delete(root);
    }
    cJSON_Delete(o.steps);
    return cli_finish(p, rc);
}

const cli_command cmd_history = {
    "history",
    "one record's whole path, import to final decision",
    "history ID [--json]",
    "Shows everything the project knows about record ID, in pipeline order:\n"
    "the file and line it was imported from, the unit (duplicate cluster) it\n"
    "is in and with which records, the rule that excluded it or the criteria\n"
    "it passed, its assignments, every vote and resolution at title/abstract\n"
    "and full text, its full-text reports, and the outcome at each stage.\n"
    "\n"
    "  --json   the steps as JSON: record, unit, steps [{at, stage, text}]\n",
    run,
};
