#include <stdio.h>
#include <string.h>

#include "cli.h"

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *pos[1];
    int n;
    const cli_opt opts[] = {{NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_report, argc, argv, opts, pos, 1, &n))
        return EXIT_USAGE;
    if (n != 1 || strcmp(pos[0], "methods") != 0)
        return cli_usage(&cmd_report, "say which report: methods");
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_buf out = WN_BUF_INIT;
    int rc = wn_report_methods(p, &out);
    if (rc)
        cli_error(EXIT_RUNTIME, "%s", wn_project_errmsg(p));
    else
        fputs(out.data, stdout);
    wn_buf_free(&out);
    wn_project_close(p);
    return rc ? EXIT_RUNTIME : EXIT_OK;
}

const cli_command cmd_report = {
    "report",
    "write report text with the review's numbers filled in",
    "report methods",
    "report methods: a methods paragraph (Markdown) for the review's write-up,\n"
    "with every number taken from the project: sources with the dates searched\n"
    "and their search strings, records identified, duplicates removed, the rule\n"
    "file (path and SHA-256) and what it excluded, reviewers per record and the\n"
    "consensus policy, full-text counts and exclusion reasons, studies and\n"
    "reports included. The numbers are those of `winnow prisma`; if the flow\n"
    "does not add up, nothing is written and the fault is named.\n",
    run,
};
