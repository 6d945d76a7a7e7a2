#include <stdio.h>

#include "cli.h"

static int run(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    const char *pos[1];
    int n;
    const cli_opt opts[] = {{NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_formats, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    printf("read (winnow import --format NAME; detected from content by default):\n");
    for (size_t i = 0; i < wn_format_count(); i++)
        printf("  %-16s %s\n", wn_format_name(wn_format_at(i)), wn_format_label(wn_format_at(i)));
    printf("\nwrite (winnow export --format NAME):\n");
    for (const char *const *f = wn_export_formats(); *f; f++)
        printf("  %s\n", *f);
    return EXIT_OK;
}

const cli_command cmd_formats = {
    "formats",
    "list the formats winnow reads and writes",
    "formats",
    "Lists the import formats (name and description) and the export formats.\n",
    run,
};
