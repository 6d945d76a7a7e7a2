/* The winnow command: shared declarations of the thin CLI layer. */
#ifndef WINNOW_CLI_H
#define WINNOW_CLI_H

#include <stdio.h>

#include "winnow/winnow.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

typedef struct cli_ctx {
    const char *project_path; /* from -p, WINNOW_PROJECT, or the folder */
    const char *argv_json;    /* the whole command line, for the audit log */
    const char *prog;         /* "winnow" */
} cli_ctx;

/* One subcommand: its name, a one-line summary, its usage and help text,
 * and the function that runs it with argv[0] == name. */
typedef struct cli_command {
    const char *name;
    const char *summary;
    const char *usage;
    const char *help;
    int (*run)(cli_ctx *ctx, int argc, char **argv);
} cli_command;

extern const cli_command cmd_init, cmd_import, cmd_sources, cmd_records, cmd_show,
    cmd_export, cmd_formats, cmd_validate, cmd_help, cmd_demo;
extern const cli_command cmd_screen;
extern const cli_command cmd_rules, cmd_filter;
extern const cli_command cmd_prisma, cmd_report;
extern const cli_command cmd_log, cmd_history, cmd_audit, cmd_bundle, cmd_rerun;
extern const cli_command cmd_fetch;
extern const cli_command cmd_dedup, cmd_clusters;
extern const cli_command cmd_reviewer, cmd_assign, cmd_decide, cmd_sheet, cmd_status,
    cmd_conflicts, cmd_resolve, cmd_policy, cmd_agreement, cmd_fulltext;

/* All commands in the order `winnow help` lists them; NULL-terminated. */
extern const cli_command *const cli_commands[];
const cli_command *cli_find(const char *name);

/* Prints "winnow: MESSAGE" to stderr; returns code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints a usage error with the command's usage line; returns EXIT_USAGE. */
int cli_usage(const cli_command *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Opens the project named by ctx (see `winnow help project`); prints the
 * error and returns NULL on failure. */
wn_project *cli_open_project(cli_ctx *ctx);

/* An actor for the audit log from the context. */
wn_actor cli_actor(const cli_ctx *ctx);

/* Option parsing shared by the commands: long options only, "--name value"
 * or "--name=value", flags without value, and positional arguments. */
typedef struct cli_opt {
    const char *name;   /* without dashes */
    char shortname;     /* 0 for none */
    int takes_value;
    const char **value; /* set to the value (or "1" for flags) */
} cli_opt;

/* Parses argv[1..] against opts; positional arguments are collected into
 * pos (up to max_pos). Returns 0, or EXIT_USAGE after printing the error. */
int cli_parse(const cli_command *c, int argc, char **argv, const cli_opt *opts,
              const char **pos, int max_pos, int *n_pos);

/* Parses a positive integer argument; returns 0 or EXIT_USAGE. */
int cli_int(const cli_command *c, const char *what, const char *s, long long *out);

/* Writes a value for a table cell: at most width display columns (UTF-8
 * aware), padded with spaces when pad is set. */
void cli_cell(FILE *out, const char *s, int width, int pad);

/* Prints the sources table (or JSON array); returns 0 or a WN_E* code. */
int cli_print_sources(wn_project *p, int json);

/* A record with its origin as a JSON object (owned by the caller). */
struct cJSON;
struct cJSON *cli_record_json(const wn_record *rec, const wn_record_meta *m);

/* Reads a whole (small) text file; owned, or NULL if unreadable. */
char *cli_read_file(const char *path);

/* Fills f to select records of source S: a number is a source id, anything
 * else names every source so called. Returns 0, or prints the error and
 * returns EXIT_RUNTIME when there is no such source. */
int cli_source_filter(wn_project *p, const char *source, wn_record_filter *f);

/* Ends a command: prints the project's error when rc is non-zero, closes
 * the project, and returns the exit status. */
int cli_finish(wn_project *p, int rc);

/* Prints rule file problems as FILE:LINE:COLUMN: message, the line and a
 * caret under the column (cmd_rules.c). */
void cli_print_rule_diags(FILE *out, const wn_rule_diags *d);

/* Terminal width (COLUMNS or the tty), at least 60; 100 when not a tty. */
int cli_width(void);

#endif
