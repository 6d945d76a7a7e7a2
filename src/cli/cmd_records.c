#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

typedef struct listing {
    int json_first;
    int json;
    int title_width;
} listing;

static int print_record(void *ctx, const wn_record *rec, const wn_record_meta *m)
{
    listing *l = ctx;
    if (l->json) {
        cJSON *o = cli_record_json(rec, m);
        char *s = cJSON_PrintUnformatted(o);
        printf("%s%s", l->json_first ? "" : ",\n", s);
        l->json_first = 0;
        cJSON_free(s);
        cJSON_Delete(o);
        return 0;
    }
    const char *year = wn_record_first(rec, WN_F_YEAR);
    const char *author = wn_record_first(rec, WN_F_AUTHOR);
    char surname[64] = "";
    if (author) {
        size_t k = strcspn(author, ",");
        snprintf(surname, sizeof surname, "%.*s", (int)(k < 60 ? k : 60), author);
    }
    printf("%6lld  ", (long long)m->id);
    cli_cell(stdout, m->source_name, 12, 1);
    printf("  %-4s  ", year ? year : "");
    cli_cell(stdout, surname, 16, 1);
    printf("  ");
    cli_cell(stdout, wn_record_first(rec, WN_F_TITLE), l->title_width, 0);
    putchar('\n');
    return 0;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *json = NULL, *source = NULL, *limit = NULL, *offset = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"json", 0, 0, &json},
                            {"source", 's', 1, &source},
                            {"limit", 'n', 1, &limit},
                            {"offset", 0, 1, &offset},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_records, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    long long lim = 0, off = 0;
    if ((limit && cli_int(&cmd_records, "--limit", limit, &lim)) ||
        (offset && cli_int(&cmd_records, "--offset", offset, &off)))
        return EXIT_USAGE;
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_record_filter f = {0, NULL, lim, off};
    int rc = 0;
    if (source && cli_source_filter(p, source, &f)) {
        wn_project_close(p);
        return EXIT_RUNTIME;
    }
    listing l = {1, json != NULL, cli_width() - 44};
    if (l.title_width < 20)
        l.title_width = 20;
    if (json)
        printf("[\n");
    else
        printf("%6s  %-12s  %-4s  %-16s  %s\n", "id", "source", "year", "first author",
               "title");
    rc = wn_records_each(p, &f, print_record, &l);
    if (json)
        printf("%s]\n", l.json_first ? "" : "\n");
    if (!rc && !json) {
        int64_t total;
        if (!(rc = wn_records_count(p, &f, &total)))
            printf("%lld records%s\n", (long long)total,
                   lim && total > lim + off ? " (use --limit/--offset to page)" : "");
    }
    return cli_finish(p, rc);
}

const cli_command cmd_records = {
    "records",
    "list records (all, or of one source)",
    "records [--source NAME|ID] [--limit N] [--offset N] [--json]",
    "Lists the records in the project, one line each: id, source, year, first\n"
    "author and title. 'winnow show ID' shows one in full.\n"
    "\n"
    "  --source S    only records of source id S, or of every source named S\n"
    "  --limit N     at most N records; --offset N skips the first N\n"
    "  --json        one JSON object per record with every field, in an array\n",
    run,
};
