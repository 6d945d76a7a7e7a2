/* winnow agreement: how far reviewers agree, pair by pair. */
#include <math.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "screen_cli.h"

static cJSON *part_json(const wn_agreement_part *a)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "units", (double)a->units);
    cJSON_AddNumberToObject(o, "agreed", (double)a->agreed);
    screen_json_number(o, "percent_agreement", a->percent);
    cJSON_AddNumberToObject(o, "categories", (double)a->categories);
    cJSON *pairs = cJSON_AddArrayToObject(o, "pairs");
    for (size_t i = 0; i < a->n_pairs; i++) {
        const wn_pair_agreement *pa = &a->pairs[i];
        cJSON *po = cJSON_CreateObject();
        cJSON_AddStringToObject(po, "a", pa->a);
        cJSON_AddStringToObject(po, "b", pa->b);
        cJSON_AddNumberToObject(po, "n", (double)pa->n);
        screen_json_number(po, "percent_agreement", 100 * pa->po);
        screen_json_number(po, "kappa", pa->kappa);
        screen_json_number(po, "se", pa->se);
        screen_json_number(po, "ci_low", pa->lo);
        screen_json_number(po, "ci_high", pa->hi);
        screen_json_number(po, "pabak", pa->pabak);
        cJSON_AddItemToArray(pairs, po);
    }
    cJSON *f = cJSON_AddObjectToObject(o, "fleiss");
    screen_json_number(f, "kappa", a->fleiss);
    cJSON_AddNumberToObject(f, "units", (double)a->fleiss_units);
    cJSON_AddNumberToObject(f, "raters", (double)a->fleiss_raters);
    return o;
}

static void print_number(double v)
{
    if (isfinite(v))
        printf("%6.3f", v);
    else
        printf("%*s", 6, "-");
}

static void part_text(const char *title, const wn_agreement_part *a)
{
    printf("%s: %zu units with two or more votes", title, a->units);
    if (!a->units) {
        printf("\n");
        return;
    }
    printf(", all votes agree on %zu (%.1f%%)\n", a->agreed, a->percent);
    if (a->n_pairs)
        printf("  %-12s %-12s %6s %6s %6s  %-17s %6s\n", "reviewer", "reviewer", "n", "agree",
               "kappa", "95% CI", "PABAK");
    for (size_t i = 0; i < a->n_pairs; i++) {
        const wn_pair_agreement *pa = &a->pairs[i];
        printf("  ");
        cli_cell(stdout, pa->a, 12, 1);
        printf(" ");
        cli_cell(stdout, pa->b, 12, 1);
        printf(" %6zu %5.1f%% ", pa->n, 100 * pa->po);
        print_number(pa->kappa);
        if (isfinite(pa->lo))
            printf("  [%6.3f, %6.3f] ", pa->lo, pa->hi);
        else
            printf("  %-17s ", "-");
        print_number(pa->pabak);
        printf("\n");
    }
    if (a->fleiss_units) {
        printf("  Fleiss' kappa over %zu units rated by %zu reviewers: ", a->fleiss_units,
               a->fleiss_raters);
        print_number(a->fleiss);
        printf("\n");
    }
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *stage_opt = NULL, *json = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"stage", 0, 1, &stage_opt}, {"json", 0, 0, &json}, {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_agreement, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    const char *stage = screen_stage(&cmd_agreement, stage_opt, "ta");
    if (!stage)
        return EXIT_USAGE;
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_agreement a;
    int rc = wn_agreement_get(p, stage, &a);
    if (!rc && json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "stage", stage);
        cJSON_AddItemToObject(o, "main", part_json(&a.main));
        cJSON_AddItemToObject(o, "calibration", part_json(&a.calibration));
        screen_print_json(o);
    } else if (!rc) {
        printf("agreement at %s (each reviewer's newest vote; categories: %zu)\n", stage,
               a.main.categories);
        if (a.calibration.units)
            part_text("calibration sample", &a.calibration);
        part_text(a.calibration.units ? "other units" : "all units", &a.main);
    }
    if (!rc)
        wn_agreement_free(&a);
    return cli_finish(p, rc);
}

const cli_command cmd_agreement = {
    "agreement",
    "inter-rater agreement: percent, Cohen's and Fleiss' kappa, PABAK",
    "agreement [--stage ta|ft] [--json]",
    "From each reviewer's newest vote (include, exclude, maybe): percent of units\n"
    "where all votes agree; for each pair of reviewers, the units both rated (n),\n"
    "their agreement, Cohen's kappa with a 95% confidence interval, and PABAK;\n"
    "Fleiss' kappa over units rated by three or more. The calibration sample is\n"
    "reported on its own.\n"
    "\n"
    "  --json   machine-readable output\n",
    run,
};
