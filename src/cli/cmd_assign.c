/* winnow assign: allocate the units of a stage to reviewers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "screen_cli.h"

/* Shares from "alice=40,bob=20": named reviewers get their number, the
 * others split what is left of 100 equally. */
static int parse_shares(const char *text, const screen_list *who, double *shares)
{
    screen_list items;
    screen_list_split(&items, text, ',');
    double named = 0;
    size_t n_named = 0;
    int rc = 0;
    for (size_t i = 0; i < who->n; i++)
        shares[i] = -1;
    for (size_t i = 0; i < items.n && !rc; i++) {
        const char *eq = strchr(items.items[i], '=');
        char *end = NULL;
        double v = eq ? strtod(eq + 1, &end) : 0;
        if (!eq || end == eq + 1 || *end || !(v > 0)) {
            rc = cli_usage(&cmd_assign, "share '%s' is not HANDLE=NUMBER", items.items[i]);
            break;
        }
        size_t k = who->n;
        for (size_t j = 0; j < who->n; j++)
            if (strlen(who->items[j]) == (size_t)(eq - items.items[i]) &&
                !strncmp(who->items[j], items.items[i], (size_t)(eq - items.items[i])))
                k = j;
        if (k == who->n)
            rc = cli_usage(&cmd_assign, "share '%s' names someone not in --reviewers",
                           items.items[i]);
        else if (shares[k] > 0)
            rc = cli_usage(&cmd_assign, "share '%s' is given twice", items.items[i]);
        else {
            shares[k] = v;
            named += v;
            n_named++;
        }
    }
    if (!rc && n_named < who->n) {
        if (named >= 100)
            rc = cli_usage(&cmd_assign, "the shares named take all 100%%: leave nothing for "
                                        "the others, or name everyone");
        for (size_t i = 0; !rc && i < who->n; i++)
            if (shares[i] < 0)
                shares[i] = (100 - named) / (double)(who->n - n_named);
    }
    screen_list_free(&items);
    return rc;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *stage_opt = NULL, *reviewers = NULL, *per = NULL, *seed = NULL, *share = NULL,
               *calibration = NULL, *only_new = NULL, *json = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"stage", 0, 1, &stage_opt},     {"reviewers", 0, 1, &reviewers},
                            {"per-record", 0, 1, &per},      {"per-report", 0, 1, &per},
                            {"seed", 0, 1, &seed},           {"share", 0, 1, &share},
                            {"calibration", 0, 1, &calibration},
                            {"only-new", 0, 0, &only_new},   {"json", 0, 0, &json},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_assign, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    if (!stage_opt)
        return cli_usage(&cmd_assign, "say which stage: --stage ta or --stage ft");
    const char *stage = screen_stage(&cmd_assign, stage_opt, NULL);
    if (!stage)
        return EXIT_USAGE;
    if (!reviewers)
        return cli_usage(&cmd_assign, "name the reviewers: --reviewers alice,bob");
    long long k = 1, seed_v = 1, cal = 0;
    if ((per && cli_int(&cmd_assign, "--per-record", per, &k)) ||
        (seed && cli_int(&cmd_assign, "--seed", seed, &seed_v)) ||
        (calibration && cli_int(&cmd_assign, "--calibration", calibration, &cal)))
        return EXIT_USAGE;
    if (!per)
        return cli_usage(&cmd_assign, "say how many reviewers per unit: --per-record K");
    screen_list who;
    screen_list_split(&who, reviewers, ',');
    if (!who.n) {
        screen_list_free(&who);
        return cli_usage(&cmd_assign, "--reviewers needs reviewer handles");
    }
    double *shares = share ? calloc(who.n, sizeof *shares) : NULL;
    if (share && (!shares || parse_shares(share, &who, shares))) {
        free(shares);
        screen_list_free(&who);
        return EXIT_USAGE;
    }
    wn_project *p = cli_open_project(ctx);
    if (!p) {
        free(shares);
        screen_list_free(&who);
        return EXIT_RUNTIME;
    }
    wn_assign_opts o = {stage,         who.items,          who.n, shares, (unsigned)k,
                        (uint64_t)seed_v, (size_t)cal,     only_new != NULL};
    wn_assign_result res;
    wn_actor actor = cli_actor(ctx);
    int rc = wn_assign(p, &o, &actor, &res);
    wn_stage_status st = {0};
    if (!rc)
        rc = wn_stage_status_get(p, stage, &st);
    if (!rc && json) {
        cJSON *out = cJSON_CreateObject();
        cJSON_AddStringToObject(out, "stage", stage);
        cJSON_AddNumberToObject(out, "units", (double)res.units);
        cJSON_AddNumberToObject(out, "calibration", (double)res.calibration);
        cJSON_AddNumberToObject(out, "assignments", (double)res.assignments);
        cJSON_AddNumberToObject(out, "reports_created", (double)res.reports_created);
        cJSON *loads = cJSON_AddObjectToObject(out, "assigned");
        for (size_t i = 0; i < st.n_reviewers; i++)
            cJSON_AddNumberToObject(loads, st.reviewers[i].handle,
                                    (double)st.reviewers[i].assigned);
        screen_print_json(out);
    } else if (!rc) {
        if (!strcmp(stage, "ft")) {
            printf("%zu new reports sought for units included at title/abstract\n",
                   res.reports_created);
            /* Undecided units get their report once settled (--only-new). */
            wn_stage_status ta;
            if (!wn_stage_status_get(p, "ta", &ta) && ta.conflict + ta.pending)
                printf("  %zu title/abstract units are still in conflict or awaiting votes; "
                       "assign again with --only-new once they are settled\n",
                       ta.conflict + ta.pending);
            wn_stage_status_free(&ta);
        }
        printf("%s: %zu units allocated (%lld per unit, seed %lld%s), %zu assignments\n", stage,
               res.units, k, seed_v, res.calibration ? ", calibration first" : "",
               res.assignments);
        if (res.calibration)
            printf("  %zu calibration units screened by every listed reviewer\n",
                   res.calibration);
        printf("  assigned at %s now:", stage);
        for (size_t i = 0; i < st.n_reviewers; i++)
            printf(" %s %zu%s", st.reviewers[i].handle, st.reviewers[i].assigned,
                   i + 1 < st.n_reviewers ? "," : "");
        printf("\n");
    }
    wn_stage_status_free(&st);
    free(shares);
    screen_list_free(&who);
    return cli_finish(p, rc);
}

const cli_command cmd_assign = {
    "assign",
    "allocate the units of a stage to reviewers",
    "assign --stage ta|ft --reviewers A,B,... --per-record K [--seed N] [--share A=40,...]\n"
    "              [--calibration N] [--only-new] [--json]",
    "Gives every unit of the stage K distinct reviewers. At ta the units are the\n"
    "unique records the criteria rules did not exclude; at ft they are reports,\n"
    "and a report is first sought for every unit included at ta that has none.\n"
    "\n"
    "  --reviewers A,B   who screens (reviewers added with 'winnow reviewer add')\n"
    "  --per-record K    reviewers per unit (also --per-report)\n"
    "  --seed N          the same seed gives the same allocation (default 1)\n"
    "  --share A=40,...  loads by share in percent; reviewers not named split\n"
    "                    the rest equally (default: equal loads)\n"
    "  --calibration N   N units (drawn by the seed) that every listed reviewer\n"
    "                    screens first; agreement reports them on their own\n"
    "  --only-new        allocate only units without assignments (after a search\n"
    "                    update), leaving existing assignments as they are\n"
    "  --json            machine-readable summary\n"
    "\n"
    "Loads are exact roundings of the shares; reviewer pairs overlap as evenly as\n"
    "the shares allow, so agreement can be estimated for every pair.\n",
    run,
};
