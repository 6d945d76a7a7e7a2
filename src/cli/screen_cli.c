/* Helpers of the team-screening commands. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "screen_cli.h"

int screen_list_split(screen_list *l, const char *text, char sep)
{
    memset(l, 0, sizeof *l);
    if (!text)
        return 0;
    size_t len = strlen(text), cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += text[i] == sep;
    l->storage = wn_strdup(text);
    l->items = calloc(cap, sizeof *l->items);
    if (!l->storage || !l->items) {
        screen_list_free(l);
        return 0;
    }
    char *s = l->storage;
    for (;;) {
        char *end = strchr(s, sep);
        if (end)
            *end = '\0';
        while (*s == ' ' || *s == '\t')
            s++;
        size_t n = strlen(s);
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            s[--n] = '\0';
        if (*s)
            l->items[l->n++] = s;
        if (!end)
            break;
        s = end + 1;
    }
    return (int)l->n;
}

void screen_list_free(screen_list *l)
{
    free(l->storage);
    free(l->items);
    memset(l, 0, sizeof *l);
}

const char *screen_stage(const cli_command *c, const char *given, const char *fallback)
{
    if (!given)
        return fallback;
    if (strcmp(given, "ta") && strcmp(given, "ft")) {
        cli_usage(c, "unknown stage '%s' (ta or ft)", given);
        return NULL;
    }
    return given;
}

int screen_print_json(cJSON *v)
{
    char *s = cJSON_Print(v);
    if (s)
        puts(s);
    cJSON_free(s);
    cJSON_Delete(v);
    return 0;
}

void screen_json_number(cJSON *o, const char *key, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

int screen_id(const cli_command *c, const char *what, const char *s, long long *out)
{
    if (cli_int(c, what, s, out))
        return EXIT_USAGE;
    if (*out <= 0)
        return cli_usage(c, "%s must be above zero", what);
    return 0;
}

int screen_record_decision(cli_ctx *ctx, const cli_command *c, const char *kind, int argc,
                           char **argv)
{
    int resolution = !strcmp(kind, "resolution");
    const char *stage_opt = NULL, *who = NULL, *reason = NULL, *note = NULL, *pos[2];
    int n;
    const cli_opt opts[] = {{"stage", 0, 1, &stage_opt},
                            {resolution ? "by" : "reviewer", 0, 1, &who},
                            {"reason", 0, 1, &reason},
                            {"note", 0, 1, &note},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(c, argc, argv, opts, pos, 2, &n))
        return EXIT_USAGE;
    const char *stage = screen_stage(c, stage_opt, NULL);
    if (!stage_opt)
        return cli_usage(c, "say which stage: --stage ta or --stage ft");
    if (!stage)
        return EXIT_USAGE;
    if (!who)
        return cli_usage(c, resolution ? "say who resolves: --by HANDLE"
                                       : "say whose decision it is: --reviewer HANDLE");
    if (n != 2)
        return cli_usage(c, "give the unit id and the decision");
    long long id;
    if (screen_id(c, "the unit id", pos[0], &id))
        return EXIT_USAGE;
    if (resolution && !strcmp(pos[1], "maybe"))
        return cli_usage(c, "a resolution is include or exclude");
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_decision d = {stage, id, who, kind, pos[1], reason, note};
    wn_actor actor = cli_actor(ctx);
    actor.user = who;
    int rc = wn_decisions_add(p, &d, 1, &actor);
    if (!rc)
        printf("%s %s %lld: %s by %s%s\n", stage, resolution ? "resolved" : "recorded", id,
               pos[1], who, reason ? " (reason recorded)" : "");
    return cli_finish(p, rc);
}
