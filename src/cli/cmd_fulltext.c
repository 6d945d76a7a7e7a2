/* winnow fulltext: reports sought, retrieved or not, and linked into studies. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "screen_cli.h"

static int print_report(void *ctx, const wn_report_info *r)
{
    cJSON *arr = ctx;
    if (arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)r->id);
        cJSON_AddNumberToObject(o, "unit", (double)r->unit_id);
        cJSON_AddNumberToObject(o, "study", (double)r->study_id);
        cJSON_AddStringToObject(o, "status", r->status);
        if (r->reason)
            cJSON_AddStringToObject(o, "reason", r->reason);
        if (r->location)
            cJSON_AddStringToObject(o, "location", r->location);
        if (r->title)
            cJSON_AddStringToObject(o, "title", r->title);
        cJSON_AddStringToObject(o, "updated_at", r->updated_at);
        cJSON_AddItemToArray(arr, o);
        return 0;
    }
    printf("%6lld  %6lld  %6lld  %-13s  ", (long long)r->id, (long long)r->unit_id,
           (long long)r->study_id, r->status);
    cli_cell(stdout, r->location ? r->location : r->reason ? r->reason : r->title, 50, 0);
    printf("\n");
    return 0;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage(&cmd_fulltext, "say list, seek, retrieved, not-retrieved or link");
    const char *sub = argv[1];
    const char *status = NULL, *path = NULL, *url = NULL, *reason = NULL, *study = NULL,
               *json = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"status", 0, 1, &status}, {"path", 0, 1, &path},
                            {"url", 0, 1, &url},       {"reason", 0, 1, &reason},
                            {"study", 0, 1, &study},   {"json", 0, 0, &json},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_fulltext, argc - 1, argv + 1, opts, pos, 1, &n))
        return EXIT_USAGE;
    int list = !strcmp(sub, "list"), seek = !strcmp(sub, "seek"),
        got = !strcmp(sub, "retrieved"), missing = !strcmp(sub, "not-retrieved"),
        link = !strcmp(sub, "link");
    if (!list && !seek && !got && !missing && !link)
        return cli_usage(&cmd_fulltext, "unknown subcommand '%s'", sub);
    long long id = 0, study_of = 0;
    if (got || missing || link) {
        if (n != 1)
            return cli_usage(&cmd_fulltext, "%s needs a report id", sub);
        if (screen_id(&cmd_fulltext, "the report id", pos[0], &id))
            return EXIT_USAGE;
    } else if (n) {
        return cli_usage(&cmd_fulltext, "unexpected argument '%s'", pos[0]);
    }
    if (got && !!path == !!url)
        return cli_usage(&cmd_fulltext, "retrieved needs --path FILE or --url URL");
    if (missing && !reason)
        return cli_usage(&cmd_fulltext, "not-retrieved needs --reason");
    if (link && (!study || screen_id(&cmd_fulltext, "--study", study, &study_of)))
        return study ? EXIT_USAGE : cli_usage(&cmd_fulltext, "link needs --study REPORT");
    if (status && !strcmp(status, "not-retrieved"))
        status = "not_retrieved";
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_actor actor = cli_actor(ctx);
    int rc = 0;
    if (list) {
        cJSON *arr = json ? cJSON_CreateArray() : NULL;
        if (!arr)
            printf("%6s  %6s  %6s  %-13s  %s\n", "report", "unit", "study", "status",
                   "full text / reason / title");
        rc = wn_reports_each(p, status, print_report, arr);
        if (arr && !rc)
            screen_print_json(arr);
        else
            cJSON_Delete(arr);
    } else if (seek) {
        size_t created = 0;
        if (!(rc = wn_reports_seek(p, &actor, &created)))
            printf("%zu new reports sought for units included at title/abstract\n", created);
    } else if (got) {
        if (!(rc = wn_report_retrieved(p, id, path ? path : url, &actor)))
            printf("report %lld retrieved: %s\n", id, path ? path : url);
    } else if (missing) {
        if (!(rc = wn_report_not_retrieved(p, id, reason, &actor)))
            printf("report %lld not retrieved: %s\n", id, reason);
    } else if (!(rc = wn_report_link(p, id, study_of, &actor))) {
        printf("report %lld is now a report of the study of report %lld\n", id, study_of);
    }
    return cli_finish(p, rc);
}

const cli_command cmd_fulltext = {
    "fulltext",
    "full-text reports: sought, retrieved, not retrieved, linked into studies",
    "fulltext list [--status S] [--json] | seek | retrieved ID --path FILE|--url URL\n"
    "                | not-retrieved ID --reason R | link ID --study REPORT",
    "A report is sought for each unit included at title/abstract (by 'winnow\n"
    "assign --stage ft', or 'fulltext seek'). Its full text is then retrieved or\n"
    "not; several reports can describe one study.\n"
    "\n"
    "  list                      every report: id, unit, study, status, location\n"
    "    --status S              only sought, retrieved or not_retrieved\n"
    "    --json                  machine-readable output\n"
    "  seek                      seek reports for newly included units\n"
    "  retrieved ID --path FILE  the full text is here (or --url URL)\n"
    "  not-retrieved ID --reason R\n"
    "                            could not be obtained, and why\n"
    "  link ID --study REPORT    report ID describes the same study as REPORT\n"
    "\n"
    "A full-text decision on a report still marked sought marks it retrieved.\n",
    run,
};
