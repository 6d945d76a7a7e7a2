/* winnow log: who did what, when. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

/* The command line of an entry for people: its argv after the program and
 * the global -p option, or the text itself ("init"). */
static void print_command(const char *command_json)
{
    cJSON *argv = cJSON_Parse(command_json);
    if (!cJSON_IsArray(argv)) {
        fputs(command_json, stdout);
        cJSON_Delete(argv);
        return;
    }
    int n = cJSON_GetArraySize(argv), first = 1;
    for (int i = 1; i < n; i++) {
        const char *a = cJSON_GetStringValue(cJSON_GetArrayItem(argv, i));
        if (!a)
            continue;
        if (!strcmp(a, "-p") || !strcmp(a, "--project")) {
            i++;
            continue;
        }
        if (!strncmp(a, "--project=", 10))
            continue;
        /* quote what a shell would split */
        int plain = *a && !strpbrk(a, " \t'\"$;&|<>()*?");
        printf(plain ? "%s%s" : "%s'%s'", first ? "" : " ", a);
        first = 0;
    }
    cJSON_Delete(argv);
}

static int print_entry(void *ctx, const wn_audit_row *a)
{
    (*(long long *)ctx)++;
    printf("%4lld  %.19s  ", (long long)a->id, a->at);
    cli_cell(stdout, a->actor, 10, 1);
    printf("  ");
    print_command(a->command);
    printf("\n      %s\n", a->summary);
    return 0;
}

static int add_entry(void *ctx, const wn_audit_row *a)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)a->id);
    cJSON_AddStringToObject(o, "at", a->at);
    cJSON_AddStringToObject(o, "actor", a->actor);
    cJSON_AddStringToObject(o, "version", a->version);
    char name[64];
    wn_audit_command_name(a->command, name, sizeof name);
    cJSON_AddStringToObject(o, "command", name);
    cJSON *argv = cJSON_Parse(a->command);
    if (cJSON_IsArray(argv))
        cJSON_AddItemToObject(o, "argv", argv);
    else
        cJSON_Delete(argv);
    cJSON *inputs = cJSON_Parse(a->inputs);
    cJSON_AddItemToObject(o, "inputs", inputs ? inputs : cJSON_CreateArray());
    cJSON_AddStringToObject(o, "summary", a->summary);
    cJSON_AddStringToObject(o, "hash", a->hash);
    cJSON_AddItemToArray(ctx, o);
    return 0;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *reviewer = NULL, *stage = NULL, *since = NULL, *json = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"reviewer", 0, 1, &reviewer},
                            {"stage", 0, 1, &stage},
                            {"since", 0, 1, &since},
                            {"json", 0, 0, &json},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_log, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    if (since && (strlen(since) < 4 || since[0] < '0' || since[0] > '9'))
        return cli_usage(&cmd_log, "--since needs a date or time such as 2023-11-02 or "
                         "2023-11-02T14:00");
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_log_filter f = {reviewer, stage, since};
    int rc;
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        rc = wn_log_each(p, &f, add_entry, arr);
        if (!rc) {
            char *s = cJSON_Print(arr);
            puts(s);
            cJSON_free(s);
        }
        cJSON_Delete(arr);
    } else {
        long long count = 0;
        rc = wn_log_each(p, &f, print_entry, &count);
        if (!rc)
            printf("%lld entr%s\n", count, count == 1 ? "y" : "ies");
    }
    return cli_finish(p, rc);
}

const cli_command cmd_log = {
    "log",
    "who did what, when: the audit log",
    "log [--reviewer R] [--stage S] [--since T] [--json]",
    "Lists the audit log, oldest first: one entry per changing command with\n"
    "its time, actor, command line and summary.\n"
    "\n"
    "  --reviewer R   only entries by R or about R's work (their sheets,\n"
    "                 decisions, resolutions)\n"
    "  --stage S      only entries of stage S (ta or ft: assignments, sheets,\n"
    "                 decisions, resolutions, full texts), or of the commands\n"
    "                 named S (import, dedup, filter ...)\n"
    "  --since T      only entries at or after T (2023-11-02, 2023-11-02T14:00)\n"
    "  --json         every field, with argv and input file hashes\n",
    run,
};
