#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#ifndef WINNOW_DATA_DIR
#define WINNOW_DATA_DIR "."
#endif

/* One line of fixtures/demo/sources.tsv:
 * file <TAB> source <TAB> kind <TAB> searched_on <TAB> query file */
typedef struct demo_source {
    char *field[5];
} demo_source;

static int split_tabs(char *line, char **fields, int max)
{
    int n = 0;
    for (char *s = line; n < max;) {
        fields[n++] = s;
        char *tab = strchr(s, '\t');
        if (!tab)
            break;
        *tab = '\0';
        s = tab + 1;
    }
    return n;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *dir = NULL, *data = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {
        {"dir", 'd', 1, &dir}, {"data", 0, 1, &data}, {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_demo, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    if (!dir)
        dir = "winnow-demo";
    if (!data)
        data = getenv("WINNOW_DATA_DIR") ? getenv("WINNOW_DATA_DIR") : WINNOW_DATA_DIR;
    char manifest[4096], project[4096];
    snprintf(manifest, sizeof manifest, "%s/fixtures/demo/sources.tsv", data);
    snprintf(project, sizeof project, "%s/demo.winnow", dir);
    char *list = cli_read_file(manifest);
    if (!list)
        return cli_error(EXIT_RUNTIME, "cannot read the demo data '%s' (set --data to the "
                         "winnow source folder)", manifest);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        free(list);
        return cli_error(EXIT_RUNTIME, "cannot create '%s': %s", dir, strerror(errno));
    }
    /* The demo always starts from a fresh project in its own folder. */
    char side[4200];
    unlink(project);
    snprintf(side, sizeof side, "%s-wal", project);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", project);
    unlink(side);
    wn_project *p;
    wn_err err;
    if (wn_project_create(&p, project, "winnow demo review (synthetic records)", &err)) {
        free(list);
        return cli_error(EXIT_RUNTIME, "%s", err.msg);
    }
    printf("demo project: %s\n", project);
    int rc = 0;
    wn_actor actor = cli_actor(ctx);
    /* Walk the manifest line by line (no strtok: keep empty fields). */
    for (char *line = list; line && *line && !rc;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (*line && *line != '#') {
            char *f[5] = {NULL, NULL, NULL, NULL, NULL};
            int k = split_tabs(line, f, 5);
            if (k < 2) {
                rc = cli_error(EXIT_RUNTIME, "%s: a line needs at least a file and a source",
                               manifest);
                break;
            }
            char file[4096], qpath[4096];
            snprintf(file, sizeof file, "%s/fixtures/demo/%s", data, f[0]);
            char *query = NULL;
            if (k >= 5 && *f[4]) {
                snprintf(qpath, sizeof qpath, "%s/queries/%s", data, f[4]);
                query = cli_read_file(qpath);
            }
            wn_import_opts o = {file, f[0], f[1], k >= 3 && *f[2] ? f[2] : NULL, NULL, NULL,
                                k >= 4 && *f[3] ? f[3] : NULL, query, 0, NULL, NULL};
            wn_import_result res;
            if (wn_import_file(p, &o, &actor, &res)) {
                rc = cli_error(EXIT_RUNTIME, "%s", wn_project_errmsg(p));
            } else {
                printf("imported %-28s as %-16s read %zu records, %zu warnings\n", f[0], f[1],
                       res.records, res.warnings);
            }
            free(query);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(list);
    if (!rc) {
        putchar('\n');
        if (cli_print_sources(p, 0))
            rc = cli_error(EXIT_RUNTIME, "%s", wn_project_errmsg(p));
    }
    wn_project_close(p);
    return rc ? EXIT_RUNTIME : EXIT_OK;
}

const cli_command cmd_demo = {
    "demo",
    "run the bundled demo review into a fresh project",
    "demo [--dir DIR] [--data SRCDIR]",
    "Creates DIR/demo.winnow (default DIR: winnow-demo), replacing an earlier\n"
    "demo project there, imports the bundled demo exports listed in\n"
    "fixtures/demo/sources.tsv (synthetic records in each database's own export\n"
    "format) and prints the sources table.\n"
    "\n"
    "  --dir DIR       where the demo project is written\n"
    "  --data SRCDIR   the winnow source folder holding fixtures/ and queries/\n"
    "                  (default: the folder winnow was built from, or\n"
    "                  $WINNOW_DATA_DIR)\n",
    run,
};
