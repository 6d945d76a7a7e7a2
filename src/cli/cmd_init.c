#include <stdio.h>

#include "cli.h"

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *title = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"title", 't', 1, &title}, {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_init, argc, argv, opts, pos, 1, &n))
        return EXIT_USAGE;
    const char *path = n ? pos[0] : ctx->project_path;
    if (!path)
        return cli_usage(&cmd_init, "name the project file to create");
    wn_project *p;
    wn_err err;
    if (wn_project_create(&p, path, title ? title : "", &err))
        return cli_error(EXIT_RUNTIME, "%s", err.msg);
    wn_project_close(p);
    printf("created project '%s'%s%s%s\n", path, title ? " (\"" : "", title ? title : "",
           title ? "\")" : "");
    return EXIT_OK;
}

const cli_command cmd_init = {
    "init",
    "create a new project file",
    "init FILE.winnow [--title TEXT]",
    "Creates an empty project file (an sqlite database) that will hold the\n"
    "whole review: sources, records, decisions and the audit log. The file must\n"
    "not exist yet. Later commands find it by -p FILE, the WINNOW_PROJECT\n"
    "variable, or as the only *.winnow file in the working folder.\n"
    "\n"
    "  --title TEXT   the review's title, shown in reports\n",
    run,
};
