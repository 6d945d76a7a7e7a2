/* winnow policy: the consensus rule and exclusion reasons of a stage. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "screen_cli.h"

static int show(wn_project *p, const char *stage, cJSON *arr)
{
    wn_policy pol;
    char **reasons = NULL;
    size_t n = 0;
    int rc = wn_policy_get(p, stage, &pol);
    if (rc || (rc = wn_reasons_get(p, stage, &reasons, &n)))
        return rc;
    if (arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "stage", stage);
        cJSON_AddStringToObject(o, "policy", pol.text);
        if (*pol.set_at)
            cJSON_AddStringToObject(o, "set_at", pol.set_at);
        else
            cJSON_AddNullToObject(o, "set_at");
        cJSON_AddBoolToObject(o, "reason_required", !strcmp(stage, "ft"));
        cJSON *r = cJSON_AddArrayToObject(o, "reasons");
        for (size_t i = 0; i < n; i++)
            cJSON_AddItemToArray(r, cJSON_CreateString(reasons[i]));
        cJSON_AddItemToArray(arr, o);
    } else {
        printf("%s: %s%s%s%s\n", stage, pol.text, *pol.set_at ? " (set " : " (default)",
               pol.set_at, *pol.set_at ? ")" : "");
        printf("  exclusion reasons (%s):%s\n",
               !strcmp(stage, "ft") ? "required" : "optional", n ? "" : " any text");
        for (size_t i = 0; i < n; i++)
            printf("  %2zu. %s\n", i + 1, reasons[i]);
    }
    wn_reasons_free(reasons, n);
    return 0;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *stage_opt = NULL, *reasons = NULL, *json = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"stage", 0, 1, &stage_opt},
                            {"reasons", 0, 1, &reasons},
                            {"json", 0, 0, &json},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_policy, argc, argv, opts, pos, 1, &n))
        return EXIT_USAGE;
    const char *stage = screen_stage(&cmd_policy, stage_opt, NULL);
    if (stage_opt && !stage)
        return EXIT_USAGE;
    if ((n || reasons) && !stage)
        return cli_usage(&cmd_policy, "say which stage the policy is for: --stage ta or ft");
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_actor actor = cli_actor(ctx);
    int rc = 0;
    if (n)
        rc = wn_policy_set(p, stage, pos[0], &actor);
    if (!rc && reasons) {
        screen_list l;
        screen_list_split(&l, reasons, ';');
        rc = wn_reasons_set(p, stage, l.items, l.n, &actor);
        screen_list_free(&l);
    }
    cJSON *arr = json ? cJSON_CreateArray() : NULL;
    if (!rc && stage)
        rc = show(p, stage, arr);
    else if (!rc && !(rc = show(p, "ta", arr)))
        rc = show(p, "ft", arr);
    if (arr && !rc)
        screen_print_json(arr);
    else
        cJSON_Delete(arr);
    return cli_finish(p, rc);
}

const cli_command cmd_policy = {
    "policy",
    "show or set a stage's consensus rule and exclusion reasons",
    "policy [--stage ta|ft] ['TERM; TERM'] [--reasons 'R1; R2; ...'] [--json]",
    "Without arguments, shows the policy in force at each stage. With a policy\n"
    "text, records it for the stage (every change is kept and audited):\n"
    "\n"
    "  maybe-counts-as-include   a maybe vote counts as include (default)\n"
    "  maybe-counts-as-exclude   a maybe vote counts as exclude\n"
    "  maybe-needs-resolution    a maybe leaves the unit in conflict unless the\n"
    "                            rule below decides without it\n"
    "  all-must-agree            agreed votes decide; any disagreement is a\n"
    "                            conflict (default)\n"
    "  any-include-includes      one include includes; all must exclude to exclude\n"
    "  all-must-include          all must include; one exclusion excludes\n"
    "  majority                  more than half decide; a tie is a conflict\n"
    "\n"
    "  --reasons 'R1; R2'   the stage's exclusion reasons (replaces the list;\n"
    "                       '' clears it). Decisions then give one of them, or\n"
    "                       its number. At ft an exclusion always needs a reason.\n"
    "  --json               machine-readable output\n",
    run,
};
