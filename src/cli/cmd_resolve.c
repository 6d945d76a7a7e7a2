/* winnow resolve: settle a unit whatever the votes say. */
#include "screen_cli.h"

static int run(cli_ctx *ctx, int argc, char **argv)
{
    return screen_record_decision(ctx, &cmd_resolve, "resolution", argc, argv);
}

const cli_command cmd_resolve = {
    "resolve",
    "settle a conflict (or any unit) by a deciding reviewer",
    "resolve --stage ta|ft ID include|exclude --by HANDLE [--reason R] [--note N]",
    "Records a resolution of unit ID by reviewer HANDLE; it decides the unit's\n"
    "outcome whatever the votes say (see 'winnow conflicts'). The votes stay.\n"
    "\n"
    "  --reason R   why excluded (required at ft; from the stage's list if set)\n"
    "  --note N     a free note\n",
    run,
};
