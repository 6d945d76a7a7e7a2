#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define SHOWN_WARNINGS 5

typedef struct shown {
    size_t n;
    int quiet;
} shown;

static void print_warning(void *user, const wn_warning *w)
{
    shown *s = user;
    if (s->quiet || s->n++ >= SHOWN_WARNINGS)
        return;
    if (w->line)
        fprintf(stderr, "warning: %s line %zu: %s\n", w->file, w->line, w->message);
    else
        fprintf(stderr, "warning: %s: %s\n", w->file, w->message);
}

static int valid_date(const char *s)
{
    int y, m, d;
    char tail;
    return sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && strlen(s) == 10 &&
           m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *source = NULL, *kind = NULL, *format = NULL, *encoding = NULL;
    const char *searched = NULL, *query = NULL, *query_file = NULL, *force = NULL;
    const char *quiet = NULL, *map = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {
        {"source", 's', 1, &source},       {"kind", 0, 1, &kind},
        {"format", 'f', 1, &format},       {"encoding", 0, 1, &encoding},
        {"searched-on", 0, 1, &searched},  {"query", 0, 1, &query},
        {"query-file", 0, 1, &query_file}, {"force", 0, 0, &force},
        {"quiet", 'q', 0, &quiet},         {"map", 0, 1, &map},
        {NULL, 0, 0, NULL},
    };
    if (cli_parse(&cmd_import, argc, argv, opts, pos, 1, &n))
        return EXIT_USAGE;
    if (n != 1)
        return cli_usage(&cmd_import, "name one file to import");
    if (!source)
        return cli_usage(&cmd_import, "say which database the file came from (--source NAME)");
    static const char *const kinds[] = {"database", "register", "website", "organisation",
                                        "citation", "other", NULL};
    if (kind) {
        int ok = 0;
        for (int i = 0; kinds[i]; i++)
            ok |= !strcmp(kinds[i], kind);
        if (!ok)
            return cli_usage(&cmd_import, "--kind must be database, register, website, "
                             "organisation, citation or other, not '%s'", kind);
    }
    if (searched && !valid_date(searched))
        return cli_usage(&cmd_import, "--searched-on takes a date as YYYY-MM-DD, not '%s'",
                         searched);
    if (query && query_file)
        return cli_usage(&cmd_import, "give --query or --query-file, not both");
    if (format && !wn_format_find(format)) {
        char names[256];
        wn_format_names(names, sizeof names);
        return cli_usage(&cmd_import, "unknown format '%s' (%s)", format, names);
    }
    wn_err map_err;
    if (map && wn_csv_map_check(map, &map_err))
        return cli_usage(&cmd_import, "%s", map_err.msg);
    char *query_text = NULL;
    if (query_file) {
        query_text = cli_read_file(query_file);
        if (!query_text)
            return cli_error(EXIT_RUNTIME, "cannot read query file '%s'", query_file);
    }
    wn_project *p = cli_open_project(ctx);
    if (!p) {
        free(query_text);
        return EXIT_RUNTIME;
    }
    shown sh = {0, quiet != NULL};
    wn_import_opts o = {pos[0], NULL, source, kind, format, encoding, searched,
                        query_text ? query_text : query, force != NULL, print_warning, &sh,
                        map};
    wn_actor actor = cli_actor(ctx);
    wn_import_result res;
    int rc = wn_import_file(p, &o, &actor, &res);
    if (rc) {
        cli_error(EXIT_RUNTIME, "%s", wn_project_errmsg(p));
    } else {
        if (!quiet && sh.n > SHOWN_WARNINGS)
            fprintf(stderr, "... %zu more warnings: see 'winnow sources --warnings'\n",
                    sh.n - SHOWN_WARNINGS);
        printf("read %zu records, %zu warnings\n", res.records, res.warnings);
        if (!quiet)
        {
            printf("source %lld '%s': %s as %s (%s), sha256 %.12s\n", (long long)res.source_id,
                   source, pos[0], res.format, res.encoding, res.sha256);
            printf("  why: %s%s\n", res.why, map ? "; columns mapped by --map" : "");
        }
    }
    wn_project_close(p);
    free(query_text);
    return rc ? EXIT_RUNTIME : EXIT_OK;
}

const cli_command cmd_import = {
    "import",
    "read an export file into the project as one source",
    "import FILE --source NAME [--kind KIND] [--format FMT] [--encoding ENC]\n"
    "       [--searched-on YYYY-MM-DD] [--query TEXT | --query-file FILE] [--force]\n"
    "       [--map FIELD=COLUMN,...]",
    "Reads one export file and stores every record in it, with its raw text,\n"
    "file and line, as one source. The format is detected from the content;\n"
    "--format overrides ('winnow formats' lists the names). Text is read as\n"
    "UTF-8 (BOM and UTF-16 are detected); invalid UTF-8 falls back to\n"
    "Windows-1252 with a warning, or give --encoding (any iconv name, e.g.\n"
    "latin1, gb18030).\n"
    "\n"
    "Prints 'read N records, M warnings'; the warnings are kept with the source\n"
    "(winnow sources --warnings). A file that cannot be read whole is refused and\n"
    "the project is left unchanged. Importing the same file (same sha256) into\n"
    "the same source twice is refused unless --force.\n"
    "\n"
    "  --source NAME        database or register searched (Scopus, PubMed, ...)\n"
    "  --kind KIND          database (default), register, website, organisation,\n"
    "                       citation or other: the PRISMA arm it counts in\n"
    "  --searched-on DATE   the date the search was run\n"
    "  --query TEXT         the search string as run, kept for the report\n"
    "  --query-file FILE    the same, read from a file\n"
    "  --map F=COL,...      CSV: which header column holds each field, for an\n"
    "                       export no profile knows (title=Article Title,\n"
    "                       abstract=Abstract,authors=Creators,year=Date)\n"
    "  --quiet              print only the counts\n",
    run,
};
