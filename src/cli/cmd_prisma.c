#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Writes data to path through a temporary file, so a failure never leaves a
 * half-written file under the name asked for ("-" is standard output). */
static int write_output(const char *path, const char *data, size_t len)
{
    if (!path || !strcmp(path, "-")) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            return cli_error(EXIT_RUNTIME, "cannot write the output: %s", strerror(errno));
        return EXIT_OK;
    }
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-winnow", path) >= sizeof tmp)
        return cli_error(EXIT_RUNTIME, "output path too long: '%s'", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return cli_error(EXIT_RUNTIME, "cannot write '%s': %s", path, strerror(errno));
    int ok = fwrite(data, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        return cli_error(EXIT_RUNTIME, "cannot write '%s': %s", path, strerror(e));
    }
    return EXIT_OK;
}

static int run_previous(cli_ctx *ctx, int argc, char **argv)
{
    const char *studies = NULL, *reports = NULL, *clear = NULL;
    const cli_opt opts[] = {{"studies", 0, 1, &studies},
                            {"reports", 0, 1, &reports},
                            {"clear", 0, 0, &clear},
                            {NULL, 0, 0, NULL}};
    int n;
    if (cli_parse(&cmd_prisma, argc, argv, opts, NULL, 0, &n))
        return EXIT_USAGE;
    long long s = -1, r = -1;
    if (clear) {
        if (studies || reports)
            return cli_usage(&cmd_prisma, "--clear takes no --studies or --reports");
    } else {
        if (!studies || !reports)
            return cli_usage(&cmd_prisma, "say both --studies N and --reports M (or --clear)");
        /* zero is a valid count here, so parse by hand */
        char *end;
        errno = 0;
        s = strtoll(studies, &end, 10);
        if (errno || *end || s < 0 || !*studies)
            return cli_usage(&cmd_prisma, "--studies needs a whole number, not '%s'", studies);
        r = strtoll(reports, &end, 10);
        if (errno || *end || r < 0 || !*reports)
            return cli_usage(&cmd_prisma, "--reports needs a whole number, not '%s'", reports);
    }
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_actor actor = cli_actor(ctx);
    int rc = wn_prisma_set_previous(p, s, r, &actor);
    if (rc)
        cli_error(EXIT_RUNTIME, "%s", wn_project_errmsg(p));
    else if (clear)
        printf("previous review numbers cleared\n");
    else
        printf("previous review: %lld studies, %lld reports\n", s, r);
    wn_project_close(p);
    return rc ? EXIT_RUNTIME : EXIT_OK;
}

static void warn_unfinished(const wn_prisma *c)
{
    int64_t ta, ft, wait;
    wn_prisma_undecided(c, &ta, &ft, &wait);
    fprintf(stderr,
            "winnow: screening is not finished: %lld records and %lld reports undecided,"
            " %lld reports not yet sought or retrieved (counted in no box)\n",
            (long long)ta, (long long)ft, (long long)wait);
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "previous"))
        return run_previous(ctx, argc - 1, argv + 1);
    const char *json = NULL, *csv = NULL, *svg = NULL, *output = NULL, *recompute = NULL;
    const cli_opt opts[] = {{"json", 0, 0, &json},
                            {"recompute", 0, 0, &recompute},
                            {"csv", 0, 0, &csv},
                            {"svg", 0, 0, &svg},
                            {"output", 'o', 1, &output},
                            {NULL, 0, 0, NULL}};
    int n;
    if (cli_parse(&cmd_prisma, argc, argv, opts, NULL, 0, &n))
        return EXIT_USAGE;
    if (!!json + !!csv + !!svg > 1)
        return cli_usage(&cmd_prisma, "choose one of --json, --csv and --svg");
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_prisma c;
    int rc = recompute ? wn_prisma_recompute(p, &c) : wn_prisma_compute(p, &c);
    int bad = rc == WN_EINVAL && c.n_violations;
    if (rc && !bad) {
        cli_error(EXIT_RUNTIME, "%s", wn_project_errmsg(p));
        wn_prisma_free(&c);
        wn_project_close(p);
        return EXIT_RUNTIME;
    }
    wn_buf out = WN_BUF_INIT;
    int status = EXIT_OK;
    if (bad && (csv || svg)) {
        /* never a diagram whose boxes do not add up */
        for (size_t i = 0; i < c.n_violations; i++)
            cli_error(EXIT_RUNTIME, "the flow does not add up: %s", c.violations[i]);
        cli_error(EXIT_RUNTIME, "nothing written");
        status = EXIT_RUNTIME;
    } else {
        rc = csv    ? wn_prisma_write_csv(&c, &out)
             : svg  ? wn_prisma_write_svg(&c, &out)
             : json ? wn_prisma_write_json(&c, &out)
                    : wn_prisma_write_text(&c, &out);
        if (rc)
            status = cli_error(EXIT_RUNTIME, "cannot render the flow: %s", wn_strerror(rc));
        else
            status = write_output(output, out.data ? out.data : "", out.len);
        if (bad) {
            for (size_t i = 0; i < c.n_violations; i++)
                cli_error(EXIT_RUNTIME, "the flow does not add up: %s", c.violations[i]);
            status = EXIT_RUNTIME;
        } else if (!c.complete) {
            warn_unfinished(&c);
        }
    }
    wn_buf_free(&out);
    wn_prisma_free(&c);
    wn_project_close(p);
    return status;
}

const cli_command cmd_prisma = {
    "prisma",
    "the PRISMA 2020 flow, computed from the project and checked",
    "prisma [--json | --csv | --svg] [-o FILE] [--recompute]\n"
    "       prisma previous --studies N --reports M | --clear",
    "Computes every box of the PRISMA 2020 flow diagram from the project:\n"
    "records identified per database and register (and via websites,\n"
    "organisations and citation searching), duplicates removed, records\n"
    "removed by rules, records screened and excluded, reports sought, not\n"
    "retrieved, assessed and excluded with reasons, studies and reports\n"
    "included. Every run checks that the boxes add up and that the ledger is\n"
    "consistent; a failure names the units or reports at fault and exits 1\n"
    "(and --csv/--svg then write nothing). Records or reports still awaiting a\n"
    "decision are counted in no box and reported on standard error.\n"
    "\n"
    "  (default)     the flow as text, box by box, with its arithmetic\n"
    "  --json        the same for machines\n"
    "  --csv         the PRISMA2020 R package / Shiny app input (PRISMA.csv)\n"
    "  --svg         the flow diagram as SVG, laid out like the 2020 template\n"
    "  -o FILE       write to FILE instead of standard output\n"
    "  --recompute   count from the ledger even if it has not changed since the\n"
    "                last count (whose result winnow keeps; see docs/PRISMA.md)\n"
    "\n"
    "prisma previous: for an updated review, stores the number of studies and\n"
    "reports the previous version included (audited); the flow then shows the\n"
    "previous-studies column and the totals. --clear removes them.\n",
    run,
};
