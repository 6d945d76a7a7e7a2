/* winnow filter FILE [--dry-run] [--json]: applies criteria rules to every
 * unit; winnow filter --explain ID: which rules matched a unit, and where. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

static const char *action_name(wn_rule_action a)
{
    return a == WN_RULE_EXCLUDE ? "exclude" : a == WN_RULE_REQUIRE ? "require" : "flag";
}

static void print_counts(const wn_filter_result *res, const char *path, int dry_run)
{
    size_t n = wn_rules_count(res->rules);
    printf("%-24s  %-7s  %9s  %9s  %s\n", "rule", "action", "matched", "excluded", "reason");
    for (size_t i = 0; i < n; i++) {
        wn_rule_info info = wn_rules_info(res->rules, i);
        cli_cell(stdout, info.name, 24, 1);
        printf("  %-7s  %9lld  ", action_name(info.action), (long long)res->counts[i].matched);
        if (info.action == WN_RULE_FLAG)
            printf("%9s  %s\n", "-", info.reason);
        else
            printf("%9lld  %s%s\n", (long long)res->counts[i].excluded, info.reason,
                   info.other ? " (other reasons)" : "");
    }
    printf("%lld units: %lld excluded, %lld kept", (long long)res->units,
           (long long)res->excluded, (long long)res->kept);
    if (dry_run)
        printf(" (dry run: project unchanged)\n");
    else
        printf(" (replaced %lld earlier automated exclusions)\n", (long long)res->replaced);
    for (size_t i = 0; i < n; i++)
        if (res->counts[i].limit_hits)
            fprintf(stderr,
                    "%s: rule '%s': a regex gave up at the match limit %llu times (counted "
                    "as no match)\n",
                    path, wn_rules_info(res->rules, i).name,
                    (unsigned long long)res->counts[i].limit_hits);
}

static void print_counts_json(const wn_filter_result *res, int dry_run)
{
    cJSON *o = cJSON_CreateObject();
    const char *path, *sha;
    wn_rules_file(res->rules, 0, &path, &sha, NULL);
    cJSON_AddStringToObject(o, "rules_file", path);
    cJSON_AddStringToObject(o, "sha256", sha);
    cJSON_AddBoolToObject(o, "dry_run", dry_run);
    if (!dry_run)
        cJSON_AddNumberToObject(o, "run", (double)res->run_id);
    cJSON *rules = cJSON_AddArrayToObject(o, "rules");
    for (size_t i = 0; i < wn_rules_count(res->rules); i++) {
        wn_rule_info info = wn_rules_info(res->rules, i);
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", info.name);
        cJSON_AddStringToObject(x, "action", action_name(info.action));
        cJSON_AddStringToObject(x, "reason", info.reason);
        if (info.action != WN_RULE_FLAG)
            cJSON_AddStringToObject(x, "box", info.other ? "other" : "automation");
        cJSON_AddNumberToObject(x, "matched", (double)res->counts[i].matched);
        cJSON_AddNumberToObject(x, "excluded", (double)res->counts[i].excluded);
        cJSON_AddNumberToObject(x, "regex_limit_hits", (double)res->counts[i].limit_hits);
        cJSON_AddItemToArray(rules, x);
    }
    cJSON_AddNumberToObject(o, "units", (double)res->units);
    cJSON_AddNumberToObject(o, "excluded", (double)res->excluded);
    cJSON_AddNumberToObject(o, "kept", (double)res->kept);
    cJSON_AddNumberToObject(o, "replaced", (double)res->replaced);
    char *s = cJSON_Print(o);
    puts(s);
    cJSON_free(s);
    cJSON_Delete(o);
}

/* The value a span points into, or NULL. */
static const char *span_value(const wn_record *rec, const wn_rule_span *sp)
{
    const char *v = wn_record_get(rec, sp->field, sp->index);
    return v && sp->end <= strlen(v) && sp->start <= sp->end ? v : NULL;
}

static void print_explain(const wn_explain *x)
{
    const char *title = wn_record_first(x->merged, WN_F_TITLE);
    printf("unit %lld: %s\n", (long long)x->unit_id, title ? title : "(no title)");
    printf("rules: %s (sha256 %.12s, run %lld)\n", x->path, x->sha256, (long long)x->run_id);
    if (x->excluded_by >= 0) {
        wn_rule_info info = wn_rules_info(x->rules, (size_t)x->excluded_by);
        printf("excluded by '%s': %s (%s)\n", info.name, info.reason,
               info.other ? "removed for other reasons" : "ineligible by automation");
    } else {
        printf("kept\n");
    }
    for (size_t i = 0; i < wn_rules_count(x->rules); i++) {
        wn_rule_info info = wn_rules_info(x->rules, i);
        printf("  %-7s ", action_name(info.action));
        cli_cell(stdout, info.name, 24, 1);
        printf("  %s\n", x->matched[i] ? "matched" : "-");
        for (size_t k = 0; k < x->n_spans; k++) {
            const wn_rule_span *sp = &x->spans[k];
            const char *v = sp->rule == i ? span_value(x->merged, sp) : NULL;
            if (v)
                printf("      %s[%zu] %zu-%zu: \"%.*s\"\n", wn_field_name(sp->field), sp->index,
                       sp->start, sp->end, (int)(sp->end - sp->start), v + sp->start);
        }
    }
}

static void print_explain_json(const wn_explain *x)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "unit", (double)x->unit_id);
    cJSON_AddNumberToObject(o, "run", (double)x->run_id);
    cJSON_AddStringToObject(o, "rules_file", x->path);
    cJSON_AddStringToObject(o, "sha256", x->sha256);
    if (x->excluded_by >= 0)
        cJSON_AddStringToObject(o, "excluded_by",
                                wn_rules_info(x->rules, (size_t)x->excluded_by).name);
    else
        cJSON_AddNullToObject(o, "excluded_by");
    cJSON *rules = cJSON_AddArrayToObject(o, "rules");
    for (size_t i = 0; i < wn_rules_count(x->rules); i++) {
        wn_rule_info info = wn_rules_info(x->rules, i);
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "name", info.name);
        cJSON_AddStringToObject(r, "action", action_name(info.action));
        cJSON_AddBoolToObject(r, "matched", x->matched[i]);
        cJSON *spans = cJSON_AddArrayToObject(r, "spans");
        for (size_t k = 0; k < x->n_spans; k++) {
            const wn_rule_span *sp = &x->spans[k];
            const char *v = sp->rule == i ? span_value(x->merged, sp) : NULL;
            if (!v)
                continue;
            cJSON *s = cJSON_CreateObject();
            cJSON_AddStringToObject(s, "field", wn_field_name(sp->field));
            cJSON_AddNumberToObject(s, "index", (double)sp->index);
            cJSON_AddNumberToObject(s, "start", (double)sp->start);
            cJSON_AddNumberToObject(s, "end", (double)sp->end);
            char *text = wn_strndup(v + sp->start, sp->end - sp->start);
            cJSON_AddStringToObject(s, "text", text ? text : "");
            free(text);
            cJSON_AddBoolToObject(s, "negative", sp->negative);
            cJSON_AddItemToArray(spans, s);
        }
        cJSON_AddItemToArray(rules, r);
    }
    char *s = cJSON_Print(o);
    puts(s);
    cJSON_free(s);
    cJSON_Delete(o);
}

static int explain(cli_ctx *ctx, const char *id_text, int json)
{
    long long id;
    if (cli_int(&cmd_filter, "ID", id_text, &id))
        return EXIT_USAGE;
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_explain x;
    int rc = wn_filter_explain(p, id, &x);
    if (!rc) {
        if (json)
            print_explain_json(&x);
        else
            print_explain(&x);
        wn_explain_free(&x);
    }
    return cli_finish(p, rc);
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *json = NULL, *dry = NULL, *explain_id = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"json", 0, 0, &json},
                            {"dry-run", 'n', 0, &dry},
                            {"explain", 0, 1, &explain_id},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_filter, argc, argv, opts, pos, 1, &n))
        return EXIT_USAGE;
    if (explain_id) {
        if (n || dry)
            return cli_usage(&cmd_filter, "--explain takes a unit or record id and no file");
        return explain(ctx, explain_id, json != NULL);
    }
    if (n != 1)
        return cli_usage(&cmd_filter, "expected the rule file");
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_actor actor = cli_actor(ctx);
    wn_filter_result res;
    wn_rule_diags diags = {NULL, 0};
    int rc = wn_filter_run(p, pos[0], dry != NULL, &actor, &res, &diags);
    if (rc == WN_EPARSE)
        cli_print_rule_diags(stderr, &diags);
    wn_rule_diags_free(&diags);
    if (!rc) {
        if (json)
            print_counts_json(&res, dry != NULL);
        else
            print_counts(&res, pos[0], dry != NULL);
    }
    wn_filter_result_free(&res);
    return cli_finish(p, rc);
}

const cli_command cmd_filter = {
    "filter",
    "apply criteria rules: automated exclusions and screening highlights",
    "filter FILE [--dry-run] [--json] | filter --explain ID [--json]",
    "Evaluates the rule file on every unit (a cluster of duplicates or a lone\n"
    "record) and prints, per rule, how many units it matched and how many it\n"
    "excluded first, then the total excluded and kept. In one transaction it\n"
    "replaces every earlier automated exclusion and highlight with this run's\n"
    "and records the file's sha256 (and its includes') in the audit log.\n"
    "Screeners' decisions are never changed. PRISMA counts the exclusions as\n"
    "ineligible by automation tools (or other reasons, for rules `as other`).\n"
    "\n"
    "  --dry-run, -n    count only; the project is not changed\n"
    "  --explain ID     which rules of the latest run match unit (or record) ID,\n"
    "                   with the matched text\n"
    "  --json           machine-readable output\n",
    run,
};
