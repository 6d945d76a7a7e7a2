/* winnow rules check FILE: reads a criteria rule file and reports every
 * problem with its line and column, or a summary of the rules. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

void cli_print_rule_diags(FILE *out, const wn_rule_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const wn_rule_diag *g = &d->items[i];
        if (!g->line) {
            fprintf(out, "%s: error: %s\n", g->file, g->message);
            continue;
        }
        fprintf(out, "%s:%zu:%zu: error: %s\n", g->file, g->line, g->column, g->message);
        fprintf(out, "%s\n", g->source_line);
        /* The caret sits under the column-th character; tabs are copied so
         * it lines up however the terminal shows them. */
        size_t col = 1;
        for (const char *p = g->source_line; *p && col < g->column; p++) {
            if (((unsigned char)*p & 0xC0) == 0x80)
                continue;
            fputc(*p == '\t' ? '\t' : ' ', out);
            col++;
        }
        fputs("^\n", out);
    }
}

static const char *action_name(wn_rule_action a)
{
    return a == WN_RULE_EXCLUDE ? "exclude" : a == WN_RULE_REQUIRE ? "require" : "flag";
}

static void print_json(const wn_rules *r)
{
    cJSON *o = cJSON_CreateObject(), *rules = cJSON_AddArrayToObject(o, "rules");
    cJSON *files = cJSON_AddArrayToObject(o, "files");
    for (size_t i = 0; i < wn_rules_count(r); i++) {
        wn_rule_info info = wn_rules_info(r, i);
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", info.name);
        cJSON_AddStringToObject(x, "action", action_name(info.action));
        cJSON_AddStringToObject(x, "reason", info.reason);
        if (info.action == WN_RULE_FLAG)
            cJSON_AddStringToObject(x, "polarity", info.negative ? "negative" : "positive");
        else
            cJSON_AddStringToObject(x, "box", info.other ? "other" : "automation");
        cJSON_AddStringToObject(x, "file", info.file);
        cJSON_AddNumberToObject(x, "line", (double)info.line);
        cJSON_AddItemToArray(rules, x);
    }
    for (size_t i = 0; i < wn_rules_file_count(r); i++) {
        const char *path, *sha;
        wn_rules_file(r, i, &path, &sha, NULL);
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "path", path);
        cJSON_AddStringToObject(x, "sha256", sha);
        cJSON_AddItemToArray(files, x);
    }
    char *s = cJSON_Print(o);
    puts(s);
    cJSON_free(s);
    cJSON_Delete(o);
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    const char *json = NULL, *pos[2];
    int n;
    const cli_opt opts[] = {{"json", 0, 0, &json}, {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_rules, argc, argv, opts, pos, 2, &n))
        return EXIT_USAGE;
    if (n != 2 || strcmp(pos[0], "check"))
        return cli_usage(&cmd_rules, "expected: rules check FILE");
    wn_rules *r;
    wn_rule_diags diags = {NULL, 0};
    int rc = wn_rules_load(pos[1], &r, &diags);
    if (rc) {
        cli_print_rule_diags(stderr, &diags);
        if (diags.n)
            fprintf(stderr, "%s: %zu problem%s\n", pos[1], diags.n, diags.n == 1 ? "" : "s");
        else
            cli_error(EXIT_RUNTIME, "cannot check '%s': %s", pos[1], wn_strerror(rc));
        wn_rule_diags_free(&diags);
        return EXIT_RUNTIME;
    }
    if (json) {
        print_json(r);
    } else {
        size_t count[3] = {0, 0, 0};
        for (size_t i = 0; i < wn_rules_count(r); i++)
            count[wn_rules_info(r, i).action]++;
        const char *sha;
        wn_rules_file(r, 0, NULL, &sha, NULL);
        printf("%s: ok, %zu rules (%zu exclude, %zu require, %zu flag), %zu file%s, "
               "sha256 %.12s\n",
               pos[1], wn_rules_count(r), count[WN_RULE_EXCLUDE], count[WN_RULE_REQUIRE],
               count[WN_RULE_FLAG], wn_rules_file_count(r),
               wn_rules_file_count(r) == 1 ? "" : "s", sha);
    }
    wn_rules_free(r);
    return EXIT_OK;
}

const cli_command cmd_rules = {
    "rules",
    "check a criteria rule file for errors",
    "rules check FILE [--json]",
    "Reads a rule file (and the files it includes) and reports every problem\n"
    "as FILE:LINE:COLUMN: message, followed by the line and a caret under the\n"
    "column; a regular expression PCRE2 rejects comes with PCRE2's reason.\n"
    "Exits 1 when there are problems. The language is in docs/RULES.md.\n"
    "\n"
    "  --json           list the rules and files read as JSON\n",
    run,
};
