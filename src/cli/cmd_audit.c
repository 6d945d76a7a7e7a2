/* winnow audit verify: proves the audit log and the decisions unaltered. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

static int print_report(const wn_audit_report *r, int json, int intact)
{
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddBoolToObject(o, "intact", intact);
        cJSON_AddNumberToObject(o, "entries", (double)r->entries);
        cJSON_AddNumberToObject(o, "decisions", (double)r->decisions);
        cJSON_AddStringToObject(o, "head", r->head);
        cJSON *list = cJSON_AddArrayToObject(o, "problems");
        for (size_t i = 0; i < r->n_problems; i++)
            cJSON_AddItemToArray(list, cJSON_CreateString(r->problems[i]));
        char *s = cJSON_Print(o);
        puts(s);
        cJSON_free(s);
        cJSON_Delete(o);
        return 0;
    }
    if (intact) {
        printf("audit log intact: %lld entries, %lld decisions sealed\n",
               (long long)r->entries, (long long)r->decisions);
        printf("head %s\n", r->head);
        return 0;
    }
    printf("audit log ALTERED: %zu problem%s in %lld entries and %lld decisions\n",
           r->n_problems, r->n_problems == 1 ? "" : "s", (long long)r->entries,
           (long long)r->decisions);
    for (size_t i = 0; i < r->n_problems; i++)
        printf("  %s\n", r->problems[i]);
    return 0;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *json = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"json", 0, 0, &json}, {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_audit, argc, argv, opts, pos, 1, &n))
        return EXIT_USAGE;
    if (n != 1 || strcmp(pos[0], "verify") != 0)
        return cli_usage(&cmd_audit, n ? "unknown audit command '%s'" : "say what to do%s",
                         n ? pos[0] : " (verify)");
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_audit_report r;
    int rc = wn_audit_verify(p, &r);
    if (rc == 0 || rc == WN_EINVAL) {
        print_report(&r, json != NULL, rc == 0);
        if (rc)
            cli_error(EXIT_RUNTIME, "%s", wn_project_errmsg(p));
        wn_audit_report_free(&r);
        wn_project_close(p);
        return rc ? EXIT_RUNTIME : EXIT_OK;
    }
    wn_audit_report_free(&r);
    return cli_finish(p, rc);
}

const cli_command cmd_audit = {
    "audit",
    "prove the audit log and the decisions unaltered",
    "audit verify [--json]",
    "Recomputes the hash chain of the audit log (one entry per changing\n"
    "command: time, actor, version, command line, input and rule file hashes,\n"
    "summary) and the seals of every screening decision, and names each entry\n"
    "or decision that was edited, deleted, reordered or added outside winnow.\n"
    "Exit 0 when intact, 1 when anything was altered.\n"
    "\n"
    "The head hash it prints anchors the whole chain: keep it outside the\n"
    "project (a bundle's manifest records it).\n"
    "\n"
    "  --json   the result as JSON: intact, entries, decisions, head, problems\n",
    run,
};
