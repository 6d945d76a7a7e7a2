/* winnow status: progress per stage and reviewer. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "screen_cli.h"

static cJSON *stage_json(const char *stage, const wn_stage_status *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "stage", stage);
    cJSON_AddNumberToObject(o, "units", (double)s->units);
    cJSON_AddNumberToObject(o, "include", (double)s->include);
    cJSON_AddNumberToObject(o, "exclude", (double)s->exclude);
    cJSON_AddNumberToObject(o, "conflict", (double)s->conflict);
    cJSON_AddNumberToObject(o, "pending", (double)s->pending);
    cJSON_AddNumberToObject(o, "calibration", (double)s->calibration);
    cJSON *arr = cJSON_AddArrayToObject(o, "reviewers");
    for (size_t i = 0; i < s->n_reviewers; i++) {
        const wn_reviewer_status *r = &s->reviewers[i];
        cJSON *ro = cJSON_CreateObject();
        cJSON_AddStringToObject(ro, "reviewer", r->handle);
        cJSON_AddNumberToObject(ro, "assigned", (double)r->assigned);
        cJSON_AddNumberToObject(ro, "done", (double)r->done);
        cJSON_AddNumberToObject(ro, "remaining", (double)r->remaining);
        cJSON_AddNumberToObject(ro, "conflicts", (double)r->conflicts);
        cJSON_AddItemToArray(arr, ro);
    }
    return o;
}

static void stage_text(const char *stage, const wn_stage_status *s)
{
    printf("%s: %zu units: %zu included, %zu excluded, %zu conflicts, %zu pending", stage,
           s->units, s->include, s->exclude, s->conflict, s->pending);
    if (s->calibration)
        printf(" (%zu calibration)", s->calibration);
    printf("\n");
    if (!s->n_reviewers)
        return;
    printf("  %-12s  %8s  %8s  %9s  %9s\n", "reviewer", "assigned", "done", "remaining",
           "conflicts");
    for (size_t i = 0; i < s->n_reviewers; i++) {
        const wn_reviewer_status *r = &s->reviewers[i];
        printf("  ");
        cli_cell(stdout, r->handle, 12, 1);
        printf("  %8zu  %8zu  %9zu  %9zu\n", r->assigned, r->done, r->remaining, r->conflicts);
    }
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *stage_opt = NULL, *json = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"stage", 0, 1, &stage_opt}, {"json", 0, 0, &json}, {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_status, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    const char *stage = screen_stage(&cmd_status, stage_opt, NULL);
    if (stage_opt && !stage)
        return EXIT_USAGE;
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    static const char *const stages[] = {"ta", "ft"};
    cJSON *arr = json ? cJSON_CreateArray() : NULL;
    int rc = 0;
    for (int i = 0; i < 2 && !rc; i++) {
        if (stage && strcmp(stage, stages[i]))
            continue;
        wn_stage_status s;
        if ((rc = wn_stage_status_get(p, stages[i], &s)))
            break;
        if (arr)
            cJSON_AddItemToArray(arr, stage_json(stages[i], &s));
        else
            stage_text(stages[i], &s);
        wn_stage_status_free(&s);
    }
    if (arr && !rc)
        screen_print_json(arr);
    else
        cJSON_Delete(arr);
    return cli_finish(p, rc);
}

const cli_command cmd_status = {
    "status",
    "screening progress per stage and reviewer",
    "status [--stage ta|ft] [--json]",
    "For each stage: units, included, excluded, conflicts and pending units\n"
    "(under the stage's policy); for each reviewer: assigned, done, remaining,\n"
    "and conflicts they are part of.\n"
    "\n"
    "  --stage S   only this stage\n"
    "  --json      machine-readable output\n",
    run,
};
