/* winnow sheet export|import: blinded CSV work packets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "screen_cli.h"

static int to_file(void *ctx, const char *data, size_t len)
{
    return fwrite(data, 1, len, ctx) == len ? 0 : WN_EIO;
}

static int run_export(cli_ctx *ctx, int argc, char **argv)
{
    const char *stage_opt = NULL, *reviewer = NULL, *output = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"stage", 0, 1, &stage_opt},
                            {"reviewer", 0, 1, &reviewer},
                            {"output", 'o', 1, &output},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_sheet, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    if (!stage_opt || !reviewer)
        return cli_usage(&cmd_sheet, "export needs --stage and --reviewer");
    const char *stage = screen_stage(&cmd_sheet, stage_opt, NULL);
    if (!stage)
        return EXIT_USAGE;
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    /* Written beside the target and renamed, so a failure leaves no half
     * sheet under the real name. */
    int to_stdout = !output || !strcmp(output, "-");
    char tmp[4096];
    FILE *f = stdout;
    if (!to_stdout) {
        snprintf(tmp, sizeof tmp, "%s.part", output);
        if (!(f = fopen(tmp, "wb"))) {
            wn_project_close(p);
            return cli_error(EXIT_RUNTIME, "cannot write '%s'", output);
        }
    }
    size_t rows = 0;
    int rc = wn_sheet_export(p, stage, reviewer, to_file, f, &rows);
    if (!to_stdout) {
        int closed = fclose(f);
        if (!rc && (closed || rename(tmp, output)))
            rc = WN_EIO;
        if (rc)
            remove(tmp);
        if (rc == WN_EIO) {
            wn_project_close(p);
            return cli_error(EXIT_RUNTIME, "cannot write '%s'", output);
        }
        if (!rc)
            fprintf(stderr, "wrote '%s': %zu units for %s at %s\n", output, rows, reviewer,
                    stage);
    }
    return cli_finish(p, rc);
}

static int run_import(cli_ctx *ctx, int argc, char **argv)
{
    const char *stage_opt = NULL, *reviewer = NULL, *json = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"stage", 0, 1, &stage_opt},
                            {"reviewer", 0, 1, &reviewer},
                            {"json", 0, 0, &json},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_sheet, argc, argv, opts, pos, 1, &n))
        return EXIT_USAGE;
    if (n != 1)
        return cli_usage(&cmd_sheet, "import needs the sheet file");
    const char *stage = screen_stage(&cmd_sheet, stage_opt, NULL);
    if (stage_opt && !stage)
        return EXIT_USAGE;
    FILE *f = fopen(pos[0], "rb");
    if (!f)
        return cli_error(EXIT_RUNTIME, "cannot read '%s'", pos[0]);
    wn_buf data = WN_BUF_INIT;
    char chunk[65536];
    size_t got;
    int rc = 0;
    while (!rc && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = wn_buf_append(&data, chunk, got);
    int failed = ferror(f) || rc;
    fclose(f);
    if (failed) {
        wn_buf_free(&data);
        return cli_error(EXIT_RUNTIME, "cannot read '%s'", pos[0]);
    }
    wn_project *p = cli_open_project(ctx);
    if (!p) {
        wn_buf_free(&data);
        return EXIT_RUNTIME;
    }
    wn_sheet_result res;
    wn_actor actor = cli_actor(ctx);
    rc = wn_sheet_import(p, pos[0], data.data ? data.data : "", data.len, stage, reviewer,
                         &actor, &res);
    wn_buf_free(&data);
    if (rc == WN_EPARSE && res.n_problems) {
        for (size_t i = 0; i < res.n_problems; i++)
            fprintf(stderr, "winnow: %s\n", res.problems[i]);
        fprintf(stderr, "winnow: %zu problem%s in '%s'; nothing was imported\n", res.n_problems,
                res.n_problems == 1 ? "" : "s", pos[0]);
        wn_sheet_result_free(&res);
        wn_project_close(p);
        return EXIT_RUNTIME;
    }
    if (!rc && json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", pos[0]);
        cJSON_AddStringToObject(o, "stage", res.stage);
        cJSON_AddStringToObject(o, "reviewer", res.reviewer);
        cJSON_AddNumberToObject(o, "rows", (double)res.rows);
        cJSON_AddNumberToObject(o, "recorded", (double)res.written);
        cJSON_AddNumberToObject(o, "unchanged", (double)res.unchanged);
        cJSON_AddNumberToObject(o, "blank", (double)res.blank);
        screen_print_json(o);
    } else if (!rc) {
        printf("%s: %s at %s: %zu rows, %zu decisions recorded, %zu unchanged, %zu without a "
               "decision\n",
               pos[0], res.reviewer, res.stage, res.rows, res.written, res.unchanged, res.blank);
    }
    wn_sheet_result_free(&res);
    return cli_finish(p, rc);
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage(&cmd_sheet, "say export or import");
    if (!strcmp(argv[1], "export"))
        return run_export(ctx, argc - 1, argv + 1);
    if (!strcmp(argv[1], "import"))
        return run_import(ctx, argc - 1, argv + 1);
    return cli_usage(&cmd_sheet, "unknown subcommand '%s' (export or import)", argv[1]);
}

const cli_command cmd_sheet = {
    "sheet",
    "export a reviewer's blinded sheet, or import a filled one",
    "sheet export --stage ta|ft --reviewer HANDLE -o FILE.csv | import FILE.csv [--json]",
    "A sheet is a CSV file that opens in any spreadsheet program: one row per\n"
    "unit assigned to the reviewer (id, title, authors, year, journal, abstract,\n"
    "and at ft the full text's location) with decision, reason and note columns.\n"
    "It never shows anyone else's decision. Its first row names the project,\n"
    "stage and reviewer.\n"
    "\n"
    "  export --stage S --reviewer R -o FILE   write the sheet (-o - or none: stdout)\n"
    "  import FILE                              record the filled decisions\n"
    "    --stage S, --reviewer R                refuse a sheet of another stage or\n"
    "                                           reviewer\n"
    "    --json                                 machine-readable summary\n"
    "\n"
    "Import accepts what spreadsheets save (byte order mark, CRLF, semicolons or\n"
    "tabs, quoted line breaks, reordered columns). It checks every row first and\n"
    "lists each problem with its row number; if there is any, nothing is\n"
    "recorded. Rows without a decision, and rows equal to the reviewer's newest\n"
    "decision, are left alone.\n",
    run,
};
