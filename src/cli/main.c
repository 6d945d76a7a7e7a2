/* winnow: entry point. Finds the subcommand, the project, and runs it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

const cli_command *const cli_commands[] = {
    &cmd_init, &cmd_import, &cmd_fetch, &cmd_sources, &cmd_records, &cmd_show,
    &cmd_validate, &cmd_export, &cmd_dedup, &cmd_clusters, &cmd_rules, &cmd_filter, &cmd_formats, &cmd_demo, &cmd_reviewer, &cmd_assign,
    &cmd_screen, &cmd_decide, &cmd_sheet, &cmd_status, &cmd_conflicts, &cmd_resolve,
    &cmd_policy, &cmd_agreement, &cmd_fulltext,
    &cmd_prisma, &cmd_report, &cmd_log, &cmd_history, &cmd_audit, &cmd_bundle, &cmd_rerun, &cmd_help, NULL,
};

const cli_command *cli_find(const char *name)
{
    for (size_t i = 0; cli_commands[i]; i++)
        if (strcmp(cli_commands[i]->name, name) == 0)
            return cli_commands[i];
    return NULL;
}

static char *argv_as_json(int argc, char **argv)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < argc; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(argv[i]));
    char *s = a ? cJSON_PrintUnformatted(a) : NULL;
    cJSON_Delete(a);
    return s;
}

int main(int argc, char **argv)
{
    cli_ctx ctx = {NULL, NULL, "winnow"};
    int i = 1;
    /* Global options come before the command. */
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-p") || !strcmp(a, "--project")) {
            if (i + 1 >= argc)
                return cli_error(EXIT_USAGE, "%s needs a project file", a);
            ctx.project_path = argv[++i];
        } else if (!strncmp(a, "--project=", 10)) {
            ctx.project_path = a + 10;
        } else if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("winnow %s\n", wn_version());
            return EXIT_OK;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            char *help_argv[] = {"help", NULL};
            return cmd_help.run(&ctx, 1, help_argv);
        } else {
            return cli_error(EXIT_USAGE, "unknown option '%s' (see 'winnow help')", a);
        }
    }
    if (i >= argc) {
        char *help_argv[] = {"help", NULL};
        cmd_help.run(&ctx, 1, help_argv);
        return EXIT_USAGE;
    }
    const cli_command *c = cli_find(argv[i]);
    if (!c)
        return cli_error(EXIT_USAGE, "unknown command '%s' (see 'winnow help')", argv[i]);
    char *json = argv_as_json(argc, argv);
    ctx.argv_json = json ? json : "[]";
    /* "winnow CMD --help" is the same as "winnow help CMD". */
    for (int k = i + 1; k < argc; k++) {
        if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
            char *help_argv[] = {"help", argv[i], NULL};
            int rc = cmd_help.run(&ctx, 2, help_argv);
            free(json);
            return rc;
        }
    }
    int rc = c->run(&ctx, argc - i, argv + i);
    free(json);
    return rc;
}
