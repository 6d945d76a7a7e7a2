/* What the team-screening commands share (reviewer, assign, decide, sheet,
 * status, conflicts, resolve, policy, agreement, fulltext). */
#ifndef WINNOW_SCREEN_CLI_H
#define WINNOW_SCREEN_CLI_H

#include <stddef.h>

#include "cli.h"

struct cJSON;

/* Splits "a,b,c" (blanks around items ignored) into items pointing into a
 * copy (owned: free(items[0] storage) via screen_list_free). Returns the
 * count, or 0 for an empty list. */
typedef struct screen_list {
    char *storage;
    const char **items;
    size_t n;
} screen_list;
int screen_list_split(screen_list *l, const char *text, char sep);
void screen_list_free(screen_list *l);

/* The stage option: NULL gives fallback; else "ta" or "ft" (prints a usage
 * error for anything else and returns NULL). */
const char *screen_stage(const cli_command *c, const char *given, const char *fallback);

/* Prints a JSON value (then deletes it); returns 0. */
int screen_print_json(struct cJSON *v);
/* Adds a number, or null when it is not finite. */
void screen_json_number(struct cJSON *o, const char *key, double v);

/* Parses a unit or report id; returns 0 or EXIT_USAGE. */
int screen_id(const cli_command *c, const char *what, const char *s, long long *out);

/* decide and resolve: "--stage S --reviewer|--by R ID DECISION [--reason R]
 * [--note N]" recorded as kind "vote" or "resolution". */
int screen_record_decision(cli_ctx *ctx, const cli_command *c, const char *kind, int argc,
                           char **argv);

#endif
