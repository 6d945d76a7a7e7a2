#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int write_file(void *ctx, const char *data, size_t len)
{
    return fwrite(data, 1, len, ctx) == len ? 0 : WN_EIO;
}

static int export_one(void *ctx, const wn_record *rec, const wn_record_meta *m)
{
    (void)m;
    return wn_export_record(ctx, rec);
}

/* One merged record per cluster (lone records as they are). */
static int export_unit(void *ctx, int64_t unit_id, const wn_record *merged, size_t members)
{
    (void)unit_id;
    (void)members;
    return wn_export_record(ctx, merged);
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *format = NULL, *output = NULL, *source = NULL, *unique = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"format", 'f', 1, &format},
                            {"output", 'o', 1, &output},
                            {"source", 's', 1, &source},
                            {"unique", 0, 0, &unique},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_export, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    if (unique && source)
        return cli_usage(&cmd_export, "--unique exports every cluster; it takes no --source");
    if (!format)
        return cli_usage(&cmd_export, "say which format (--format ris|csv|csljson|bibtex)");
    int known = 0;
    for (const char *const *f = wn_export_formats(); *f; f++)
        known |= !strcmp(*f, format);
    if (!known)
        return cli_usage(&cmd_export, "unknown export format '%s' (ris, csv, csljson, bibtex)",
                         format);
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    int rc = 0;
    wn_record_filter f = {0, NULL, 0, 0};
    if (source && cli_source_filter(p, source, &f)) {
        wn_project_close(p);
        return EXIT_RUNTIME;
    }
    /* Write to a temporary file and rename, so a failed export never leaves
     * a half file under the name asked for. */
    char tmp[4096] = "";
    FILE *out = stdout;
    if (output && strcmp(output, "-") != 0) {
        snprintf(tmp, sizeof tmp, "%s.tmp-winnow", output);
        out = fopen(tmp, "wb");
        if (!out) {
            cli_error(EXIT_RUNTIME, "cannot write '%s': %s", output, strerror(errno));
            wn_project_close(p);
            return EXIT_RUNTIME;
        }
    }
    wn_export *x = NULL;
    wn_err err;
    rc = wn_export_open(&x, format, write_file, out, &err);
    if (rc) {
        cli_error(EXIT_RUNTIME, "%s", err.msg);
    } else {
        rc = unique ? wn_units_each(p, export_unit, x) : wn_records_each(p, &f, export_one, x);
        if (rc) {
            cli_error(EXIT_RUNTIME, "%s", wn_project_errmsg(p)[0] ? wn_project_errmsg(p)
                                                                  : "cannot write the export");
            wn_export_free(x);
        } else if ((rc = wn_export_close(x)) != 0) {
            cli_error(EXIT_RUNTIME, "cannot write the export");
        }
    }
    if (out != stdout) {
        if (fclose(out) != 0 && !rc)
            rc = cli_error(EXIT_RUNTIME, "cannot write '%s': %s", output, strerror(errno));
        if (rc)
            remove(tmp);
        else if (rename(tmp, output) != 0)
            rc = cli_error(EXIT_RUNTIME, "cannot write '%s': %s", output, strerror(errno));
    } else if (fflush(stdout) != 0 && !rc) {
        rc = cli_error(EXIT_RUNTIME, "cannot write the export: %s", strerror(errno));
    }
    wn_project_close(p);
    return rc ? EXIT_RUNTIME : EXIT_OK;
}

const cli_command cmd_export = {
    "export",
    "write records as RIS, CSV, CSL-JSON or BibTeX",
    "export --format ris|csv|csljson|bibtex [-o FILE] [--source NAME|ID | --unique]",
    "Writes the project's records (all, or one source's) in a format other tools\n"
    "read. Every field is written, including the fields winnow has no column for,\n"
    "so importing the export gives back the same records and fields.\n"
    "\n"
    "  --format F    ris, csv, csljson or bibtex\n"
    "  -o FILE       write to FILE (replaced only when the export succeeds);\n"
    "                default standard output\n"
    "  --source S    only records of source id S, or of every source named S\n"
    "  --unique      one record per cluster of duplicates (after `winnow dedup`):\n"
    "                its most complete member, with fields it lacks taken from\n"
    "                the others\n",
    run,
};
