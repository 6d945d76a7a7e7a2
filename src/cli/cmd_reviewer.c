/* winnow reviewer add|list|leave */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "screen_cli.h"

static int print_reviewer(void *ctx, const wn_reviewer_info *r)
{
    cJSON *arr = ctx;
    if (arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "handle", r->handle);
        cJSON_AddStringToObject(o, "name", r->name);
        if (r->email)
            cJSON_AddStringToObject(o, "email", r->email);
        else
            cJSON_AddNullToObject(o, "email");
        cJSON_AddStringToObject(o, "added_at", r->added_at);
        if (r->left_at)
            cJSON_AddStringToObject(o, "left_at", r->left_at);
        else
            cJSON_AddNullToObject(o, "left_at");
        cJSON_AddNumberToObject(o, "assigned", (double)r->assigned);
        cJSON_AddNumberToObject(o, "decided", (double)r->decided);
        cJSON_AddItemToArray(arr, o);
        return 0;
    }
    cli_cell(stdout, r->handle, 12, 1);
    printf("  ");
    cli_cell(stdout, r->name, 24, 1);
    printf("  ");
    cli_cell(stdout, r->email, 28, 1);
    printf("  %8lld  %7lld  %s\n", (long long)r->assigned, (long long)r->decided,
           r->left_at ? "left" : "active");
    return 0;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage(&cmd_reviewer, "say add, list or leave");
    const char *sub = argv[1];
    const char *email = NULL, *to = NULL, *json = NULL, *pos[2];
    int n;
    const cli_opt opts[] = {{"email", 0, 1, &email},
                            {"to", 0, 1, &to},
                            {"json", 0, 0, &json},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_reviewer, argc - 1, argv + 1, opts, pos, 2, &n))
        return EXIT_USAGE;
    int add = !strcmp(sub, "add"), list = !strcmp(sub, "list"), leave = !strcmp(sub, "leave");
    if (!add && !list && !leave)
        return cli_usage(&cmd_reviewer, "unknown subcommand '%s' (add, list or leave)", sub);
    if ((add && n != 2) || (leave && n != 1) || (list && n != 0))
        return cli_usage(&cmd_reviewer, add ? "add needs a handle and a name"
                                            : leave ? "leave needs a handle"
                                                    : "list takes no arguments");
    if ((email && !add) || (to && !leave))
        return cli_usage(&cmd_reviewer, "%s does not apply to '%s'", email ? "--email" : "--to",
                         sub);
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_actor actor = cli_actor(ctx);
    int rc = 0;
    if (add) {
        if (!(rc = wn_reviewer_add(p, pos[0], pos[1], email, &actor)))
            printf("reviewer '%s' added (%s)\n", pos[0], pos[1]);
    } else if (list) {
        if (json) {
            cJSON *arr = cJSON_CreateArray();
            if (!(rc = wn_reviewers_each(p, print_reviewer, arr)))
                screen_print_json(arr);
            else
                cJSON_Delete(arr);
        } else {
            printf("%-12s  %-24s  %-28s  %8s  %7s  %s\n", "handle", "name", "email", "assigned",
                   "decided", "state");
            rc = wn_reviewers_each(p, print_reviewer, NULL);
        }
    } else {
        screen_list targets;
        screen_list_split(&targets, to, ',');
        if (to && !targets.n) {
            screen_list_free(&targets);
            wn_project_close(p);
            return cli_usage(&cmd_reviewer, "--to needs reviewer handles");
        }
        size_t moved = 0;
        rc = wn_reviewer_leave(p, pos[0], targets.items, targets.n, &actor, &moved);
        if (!rc)
            printf("reviewer '%s' left; %zu unfinished assignments handed over, their "
                   "decisions kept\n",
                   pos[0], moved);
        screen_list_free(&targets);
    }
    return cli_finish(p, rc);
}

const cli_command cmd_reviewer = {
    "reviewer",
    "add, list, or retire the reviewers of the team",
    "reviewer add HANDLE \"NAME\" [--email E] | list [--json] | leave HANDLE [--to A,B]",
    "Manages the review team.\n"
    "\n"
    "  add HANDLE NAME     a new reviewer (HANDLE: a short name without spaces)\n"
    "    --email E         their address\n"
    "  list                every reviewer with assignments and units decided\n"
    "    --json            machine-readable output\n"
    "  leave HANDLE        the reviewer leaves: their decisions stay, and each unit\n"
    "                      they had not decided goes to the least loaded other\n"
    "                      reviewer not already on it\n"
    "    --to A,B          hand work only to these reviewers\n",
    run,
};
