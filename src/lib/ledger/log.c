/* `winnow log`: the audit entries, filtered by actor, stage and time. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "store/db.h"
#include "winnow/audit.h"

/* Global options that take a value (see src/cli/main.c). */
static int takes_value(const char *opt) { return !strcmp(opt, "-p") || !strcmp(opt, "--project"); }

void wn_audit_command_name(const char *command_json, char *out, size_t cap)
{
    if (!cap)
        return;
    out[0] = '\0';
    cJSON *argv = command_json ? cJSON_Parse(command_json) : NULL;
    if (!cJSON_IsArray(argv)) {
        snprintf(out, cap, "%s", command_json ? command_json : "");
        cJSON_Delete(argv);
        return;
    }
    int n = cJSON_GetArraySize(argv);
    for (int i = 1; i < n; i++) {
        const char *a = cJSON_GetStringValue(cJSON_GetArrayItem(argv, i));
        if (!a)
            break;
        if (a[0] == '-') {
            i += takes_value(a);
            continue;
        }
        snprintf(out, cap, "%s", a);
        break;
    }
    cJSON_Delete(argv);
}

/* Whether the command line gives option opt the value want ("--stage ta",
 * "--stage=ta"). */
static int has_option(const char *command_json, const char *opt, const char *want)
{
    cJSON *argv = cJSON_Parse(command_json);
    int found = 0, n = cJSON_IsArray(argv) ? cJSON_GetArraySize(argv) : 0;
    size_t olen = strlen(opt), wlen = strlen(want);
    for (int i = 1; i < n && !found; i++) {
        const char *a = cJSON_GetStringValue(cJSON_GetArrayItem(argv, i));
        const char *next = cJSON_GetStringValue(cJSON_GetArrayItem(argv, i + 1));
        if (!a || strncmp(a, opt, olen) != 0)
            continue;
        if (!a[olen] && next && !strcmp(next, want))
            found = 1;
        else if (a[olen] == '=' && !strncmp(a + olen + 1, want, wlen) && !a[olen + 1 + wlen])
            found = 1;
    }
    cJSON_Delete(argv);
    return found;
}

/* Whether text holds pre, word, post in a row ("(ta, alice)"). */
static int mentions(const char *text, const char *pre, const char *word, const char *post)
{
    size_t pl = strlen(pre), wl = strlen(word), tl = strlen(post);
    for (const char *t = text ? strstr(text, pre) : NULL; t; t = strstr(t + 1, pre))
        if (!strncmp(t + pl, word, wl) && !strncmp(t + pl + wl, post, tl))
            return 1;
    return 0;
}

/* An entry concerns stage S when it is the command S, when its command
 * line says --stage S, when it is a full-text command (ft), or when its
 * summary names the stage as the screening commands word them ("ta
 * resolution ...", "sheet '...' (ft, alice)"). */
static int concerns_stage(const wn_audit_row *a, const char *stage)
{
    char name[64];
    wn_audit_command_name(a->command, name, sizeof name);
    size_t sl = strlen(stage);
    return !strcmp(name, stage) || has_option(a->command, "--stage", stage) ||
           (!strcmp(stage, "ft") && !strcmp(name, "fulltext")) ||
           (!strncmp(a->summary, stage, sl) && (a->summary[sl] == ' ' || a->summary[sl] == ':')) ||
           mentions(a->summary, "(", stage, ", ");
}

/* An entry concerns reviewer R when R is its actor, when its command line
 * names R (--reviewer R, --by R), or when its summary does ("(ta, R)",
 * "resolution by R "). */
static int concerns_reviewer(const wn_audit_row *a, const char *who)
{
    return !strcmp(a->actor, who) || has_option(a->command, "--reviewer", who) ||
           has_option(a->command, "--by", who) || mentions(a->summary, ", ", who, ")") ||
           mentions(a->summary, "by ", who, " ");
}

/* The caller's filter and callback, passed through wn_audit_each. */
typedef struct log_walk {
    const wn_log_filter *f;
    int (*fn)(void *ctx, const wn_audit_row *a);
    void *ctx;
} log_walk;

static int filter_entry(void *ctx, const wn_audit_row *a)
{
    const log_walk *w = ctx;
    const wn_log_filter *f = w->f;
    /* Times are ISO 8601 UTC, so text order is time order. */
    if (f && ((f->since && strcmp(a->at, f->since) < 0) ||
              (f->stage && !concerns_stage(a, f->stage)) ||
              (f->actor && !concerns_reviewer(a, f->actor))))
        return 0;
    return w->fn(w->ctx, a);
}

int wn_log_each(wn_project *p, const wn_log_filter *f,
                int (*fn)(void *ctx, const wn_audit_row *a), void *ctx)
{
    log_walk w = {f, fn, ctx};
    return wn_audit_each(p, filter_entry, &w);
}
