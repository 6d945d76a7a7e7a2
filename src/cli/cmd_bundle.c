/* winnow bundle -o review.tar: the project and every file it was built
 * from, for an auditor. */
#include <stdio.h>

#include "cli.h"

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *output = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"output", 'o', 1, &output}, {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_bundle, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    if (!output)
        return cli_usage(&cmd_bundle, "say where to write the bundle (-o FILE.tar)");
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_bundle_summary s;
    int rc = wn_bundle_write(p, output, &s);
    if (!rc)
        printf("wrote '%s': the project and %zu input files, %lld bytes\n"
               "audit head %s\n"
               "check it with: winnow rerun --from %s\n",
               output, s.files, (long long)s.bytes, s.head, output);
    return cli_finish(p, rc);
}

const cli_command cmd_bundle = {
    "bundle",
    "pack the project and its input files for an auditor",
    "bundle -o FILE.tar",
    "Writes a tar archive holding a consistent copy of the project, every\n"
    "file its changing commands read (exports, query and rule files, filled\n"
    "sheets; each stored once, by SHA-256, checked against the hashes the\n"
    "audit log recorded) and a manifest (review/manifest.json) with the audit\n"
    "head and the paths each file was used under. Refused when the audit log\n"
    "does not verify, or when a recorded input is missing or has changed.\n"
    "Run it in the folder the review's commands ran in.\n"
    "\n"
    "  -o, --output FILE   the archive to write\n",
    run,
};
