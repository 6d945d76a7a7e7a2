#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char project_help[] =
    "Finding the project\n"
    "  Every command after 'init' works on one project file. winnow uses, in\n"
    "  this order: the file given with -p FILE (before the command), the\n"
    "  WINNOW_PROJECT environment variable, or the only *.winnow file in the\n"
    "  working folder.\n";

static const char exit_help[] =
    "Exit status\n"
    "  0 success, 1 the command failed (the project is unchanged), 2 the command\n"
    "  line was wrong.\n";

static int run(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    if (argc > 2)
        return cli_usage(&cmd_help, "name at most one command");
    if (argc == 2) {
        if (!strcmp(argv[1], "project")) {
            fputs(project_help, stdout);
            return EXIT_OK;
        }
        const cli_command *c = cli_find(argv[1]);
        if (!c)
            return cli_error(EXIT_USAGE, "no command '%s' (see 'winnow help')", argv[1]);
        printf("usage: winnow [-p FILE] %s\n\n%s", c->usage, c->help);
        return EXIT_OK;
    }
    printf("winnow %s: systematic review screening, from database exports to PRISMA "
           "counts\n\n"
           "usage: winnow [-p FILE] COMMAND [ARGS]\n\ncommands:\n",
           wn_version());
    for (size_t i = 0; cli_commands[i]; i++)
        printf("  %-9s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    printf("\n'winnow help COMMAND' (or 'winnow COMMAND --help') tells more.\n\n%s\n%s",
           project_help, exit_help);
    return EXIT_OK;
}

const cli_command cmd_help = {
    "help",
    "describe the commands",
    "help [COMMAND | project]",
    "Without a command, lists every command. With one, shows its usage and\n"
    "options. 'winnow help project' explains how the project file is found.\n",
    run,
};
