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

/* Whether the command line names the stage ("--stage ta", "--stage=ta"). */
static int names_stage(const char *command_json, const char *stage)
{
    cJSON *argv = cJSON_Parse(command_json);
    int found = 0, n = cJSON_IsArray(argv) ? cJSON_GetArraySize(argv) : 0;
    size_t len = strlen(stage);
    for (int i = 1; i < n && !found; i++) {
        const char *a = cJSON_GetStringValue(cJSON_GetArrayItem(argv, i));
        const char *next = cJSON_GetStringValue(cJSON_GetArrayItem(argv, i + 1));
        if (!a)
            continue;
        if (!strcmp(a, "--stage") && next && !strcmp(next, stage))
            found = 1;
        else if (!strncmp(a, "--stage=", 8) && !strncmp(a + 8, stage, len) && !a[8 + len])
            found = 1;
    }
    cJSON_Delete(argv);
    return found;
}

int wn_log_each(wn_project *p, const wn_log_filter *f,
                int (*fn)(void *ctx, const wn_audit_row *a), void *ctx)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT id, at, actor, version, command, inputs, summary, hash"
                           " FROM audit WHERE (?1 IS NULL OR actor = ?1)"
                           " AND (?2 IS NULL OR at >= ?2) ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read the audit log");
    if (f && f->actor)
        sqlite3_bind_text(s, 1, f->actor, -1, SQLITE_STATIC);
    if (f && f->since)
        sqlite3_bind_text(s, 2, f->since, -1, SQLITE_STATIC);
    int rc = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        wn_audit_row a = {sqlite3_column_int64(s, 0),
                          (const char *)sqlite3_column_text(s, 1),
                          (const char *)sqlite3_column_text(s, 2),
                          (const char *)sqlite3_column_text(s, 3),
                          (const char *)sqlite3_column_text(s, 4),
                          (const char *)sqlite3_column_text(s, 5),
                          (const char *)sqlite3_column_text(s, 6),
                          (const char *)sqlite3_column_text(s, 7)};
        if (f && f->stage) {
            char name[64];
            wn_audit_command_name(a.command, name, sizeof name);
            if (strcmp(name, f->stage) != 0 && !names_stage(a.command, f->stage))
                continue;
        }
        if ((rc = fn(ctx, &a)))
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read the audit log");
    sqlite3_finalize(s);
    return rc;
}
