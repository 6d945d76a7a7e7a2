/* winnow conflicts: units whose votes disagree, or that await a vote. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "screen_cli.h"

typedef struct listing {
    cJSON *json;
    size_t conflicts, pending;
} listing;

/* Reviewers assigned to u who have not voted. */
static int waiting_for(const wn_unit_state *u, size_t i)
{
    for (size_t j = 0; j < u->n_votes; j++)
        if (!strcmp(u->votes[j].reviewer, u->assigned[i]))
            return 0;
    return 1;
}

static int on_unit(void *ctx, const wn_unit_state *u)
{
    listing *l = ctx;
    if (u->outcome != WN_OUTCOME_CONFLICT && u->outcome != WN_OUTCOME_PENDING)
        return 0;
    int conflict = u->outcome == WN_OUTCOME_CONFLICT;
    l->conflicts += conflict;
    l->pending += !conflict;
    if (l->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "unit", (double)u->unit_id);
        cJSON_AddStringToObject(o, "state", conflict ? "conflict" : "awaiting votes");
        cJSON_AddBoolToObject(o, "calibration", u->calibration);
        cJSON *votes = cJSON_AddArrayToObject(o, "votes");
        for (size_t i = 0; i < u->n_votes; i++) {
            cJSON *v = cJSON_CreateObject();
            cJSON_AddStringToObject(v, "reviewer", u->votes[i].reviewer);
            cJSON_AddStringToObject(v, "decision", u->votes[i].decision);
            if (u->votes[i].reason)
                cJSON_AddStringToObject(v, "reason", u->votes[i].reason);
            if (u->votes[i].note)
                cJSON_AddStringToObject(v, "note", u->votes[i].note);
            cJSON_AddItemToArray(votes, v);
        }
        cJSON *wait = cJSON_AddArrayToObject(o, "waiting_for");
        for (size_t i = 0; i < u->n_assigned; i++)
            if (waiting_for(u, i))
                cJSON_AddItemToArray(wait, cJSON_CreateString(u->assigned[i]));
        cJSON_AddItemToArray(l->json, o);
        return 0;
    }
    printf("%8lld  %-8s ", (long long)u->unit_id, conflict ? "conflict" : "waiting");
    for (size_t i = 0; i < u->n_votes; i++)
        printf(" %s:%s%s%s%s", u->votes[i].reviewer, u->votes[i].decision,
               u->votes[i].reason ? " (" : "", u->votes[i].reason ? u->votes[i].reason : "",
               u->votes[i].reason ? ")" : "");
    int first = 1;
    for (size_t i = 0; i < u->n_assigned; i++)
        if (waiting_for(u, i)) {
            printf("%s%s", first ? "  awaiting: " : ",", u->assigned[i]);
            first = 0;
        }
    printf("\n");
    return 0;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *stage_opt = NULL, *json = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"stage", 0, 1, &stage_opt}, {"json", 0, 0, &json}, {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_conflicts, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    const char *stage = screen_stage(&cmd_conflicts, stage_opt, "ta");
    if (!stage)
        return EXIT_USAGE;
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_policy pol;
    int rc = wn_policy_get(p, stage, &pol);
    listing l = {json ? cJSON_CreateArray() : NULL, 0, 0};
    if (!rc)
        rc = wn_stage_units_each(p, stage, on_unit, &l);
    if (!rc && json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "stage", stage);
        cJSON_AddStringToObject(o, "policy", pol.text);
        cJSON_AddNumberToObject(o, "conflicts", (double)l.conflicts);
        cJSON_AddNumberToObject(o, "awaiting_votes", (double)l.pending);
        cJSON_AddItemToObject(o, "units", l.json);
        l.json = NULL;
        screen_print_json(o);
    } else if (!rc) {
        printf("%s: %zu conflicts, %zu awaiting votes (policy: %s)\n", stage, l.conflicts,
               l.pending, pol.text);
    }
    cJSON_Delete(l.json);
    return cli_finish(p, rc);
}

const cli_command cmd_conflicts = {
    "conflicts",
    "units whose reviewers disagree, or that still await a vote",
    "conflicts [--stage ta|ft] [--json]",
    "Lists the units of the stage (default ta) whose votes disagree under the\n"
    "stage's policy, with every vote, and the units still awaiting a vote, with\n"
    "who has not voted. Settle a conflict with 'winnow resolve'.\n"
    "\n"
    "  --json   machine-readable output\n",
    run,
};
