/* winnow decide: one reviewer's vote on one unit. */
#include "screen_cli.h"

static int run(cli_ctx *ctx, int argc, char **argv)
{
    return screen_record_decision(ctx, &cmd_decide, "vote", argc, argv);
}

const cli_command cmd_decide = {
    "decide",
    "record a reviewer's decision on a unit",
    "decide --stage ta|ft --reviewer HANDLE ID include|exclude|maybe [--reason R] [--note N]",
    "Appends the reviewer's vote on unit ID (a record at ta, a report at ft). The\n"
    "unit must be assigned to the reviewer. Earlier votes stay in the history;\n"
    "the newest counts.\n"
    "\n"
    "  --reason R   why excluded: required at ft; when the stage has a reasons\n"
    "               list (see 'winnow policy'), one of it, or its number\n"
    "  --note N     a free note\n",
    run,
};
