#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

/* Descriptors of the forms, so usage errors show the right line. */
static const cli_command review_cmd = {
    "dedup review", "", "dedup review [--list] [--json]", "", NULL};
static const cli_command decide_cmd = {
    "dedup decide", "", "dedup decide A B same|different", "", NULL};
static const cli_command undo_cmd = {
    "dedup undo-merge", "", "dedup undo-merge [--cluster] RECORD...", "", NULL};

/* ---- the run and its summary ------------------------------------------ */

static void print_summary(const wn_dedup_summary *s)
{
    printf("records            %8lld\n", (long long)s->records);
    printf("clusters           %8lld  (%lld of two or more records)\n", (long long)s->clusters,
           (long long)s->multi);
    printf("duplicates removed %8lld\n", (long long)s->removed);
    printf("pairs for review   %8lld%s\n", (long long)s->review,
           s->review ? "  (winnow dedup review)" : "");
    printf("version links      %8lld  (preprint and journal article: one study)\n",
           (long long)s->version_links);
    printf("pairs compared     %8lld  (%lld merged, %lld kept apart by a veto)\n",
           (long long)s->compared, (long long)s->duplicate_pairs, (long long)s->vetoed);
    if (s->decisions)
        printf("your decisions     %8lld  applied\n", (long long)s->decisions);
    printf("\n%-20s %8s %8s %8s %9s\n", "source", "records", "within", "shared", "only here");
    for (size_t i = 0; i < s->n_sources; i++) {
        const wn_dedup_source *d = &s->sources[i];
        cli_cell(stdout, d->name, 20, 1);
        printf(" %8lld %8lld %8lld %9lld\n", (long long)d->records, (long long)d->within,
               (long long)d->shared, (long long)d->only_here);
    }
    printf("(within: copies of an earlier record of the same source; shared: records\n"
           " also found in another source; only here: clusters no other source has)\n");
}

static void print_summary_json(const wn_dedup_summary *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "run", (double)s->run_id);
    cJSON_AddNumberToObject(o, "records", (double)s->records);
    cJSON_AddNumberToObject(o, "clusters", (double)s->clusters);
    cJSON_AddNumberToObject(o, "multi_record_clusters", (double)s->multi);
    cJSON_AddNumberToObject(o, "duplicates_removed", (double)s->removed);
    cJSON_AddNumberToObject(o, "pairs_for_review", (double)s->review);
    cJSON_AddNumberToObject(o, "possible_pairs", (double)s->possible_pairs);
    cJSON_AddNumberToObject(o, "duplicate_pairs", (double)s->duplicate_pairs);
    cJSON_AddNumberToObject(o, "version_links", (double)s->version_links);
    cJSON_AddNumberToObject(o, "vetoed_pairs", (double)s->vetoed);
    cJSON_AddNumberToObject(o, "pairs_compared", (double)s->compared);
    cJSON_AddNumberToObject(o, "decisions_applied", (double)s->decisions);
    cJSON_AddNumberToObject(o, "seconds", s->seconds);
    cJSON *arr = cJSON_AddArrayToObject(o, "sources");
    for (size_t i = 0; i < s->n_sources; i++) {
        const wn_dedup_source *d = &s->sources[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "id", (double)d->id);
        cJSON_AddStringToObject(x, "name", d->name);
        cJSON_AddNumberToObject(x, "records", (double)d->records);
        cJSON_AddNumberToObject(x, "within_source_duplicates", (double)d->within);
        cJSON_AddNumberToObject(x, "shared_with_other_sources", (double)d->shared);
        cJSON_AddNumberToObject(x, "clusters_only_here", (double)d->only_here);
        cJSON_AddItemToArray(arr, x);
    }
    char *text = cJSON_Print(o);
    puts(text);
    cJSON_free(text);
    cJSON_Delete(o);
}

/* ---- explain ---------------------------------------------------------- */

static cJSON *pair_json(const wn_dedup_pair *pr)
{
    cJSON *x = cJSON_CreateObject();
    cJSON_AddNumberToObject(x, "a", (double)pr->a);
    cJSON_AddNumberToObject(x, "b", (double)pr->b);
    cJSON_AddStringToObject(x, "outcome", pr->outcome);
    cJSON_AddStringToObject(x, "rule", pr->rule);
    cJSON_AddNumberToObject(x, "title_similarity", pr->score);
    cJSON_AddStringToObject(x, "evidence", pr->evidence);
    if (pr->decision)
        cJSON_AddStringToObject(x, "decision", pr->decision);
    else
        cJSON_AddNullToObject(x, "decision");
    return x;
}

static int explain_row(void *ctx, const wn_dedup_pair *pr)
{
    if (ctx) {
        cJSON_AddItemToArray(ctx, pair_json(pr));
        return 0;
    }
    printf("  %lld ~ %lld  %-9s  %s%s%s\n      %s\n", (long long)pr->a, (long long)pr->b,
           pr->outcome, pr->rule, pr->decision ? "  decided: " : "",
           pr->decision ? pr->decision : "", pr->evidence);
    return 0;
}

/* One line naming a record: id, source, title. */
static void print_record_line(wn_project *p, int64_t id, wn_record *rec)
{
    wn_record_meta m;
    if (wn_record_load(p, id, rec, &m, NULL) != 0)
        return;
    const char *t = wn_record_first(rec, WN_F_TITLE);
    printf("  %lld  [%s] ", (long long)id, m.source_name ? m.source_name : "");
    cli_cell(stdout, t ? t : "(no title)", cli_width() - 24, 0);
    printf("\n");
}

static int explain(wn_project *p, int64_t id, int json)
{
    int64_t unit;
    cJSON *arr = json ? cJSON_CreateArray() : NULL;
    int64_t *members = NULL;
    size_t n = 0;
    wn_record *rec = wn_record_new();
    int rc = rec ? 0 : WN_ENOMEM;
    if (!rc && !json) {
        if (!(rc = wn_unit_of_record(p, id, &unit)) &&
            !(rc = wn_unit_members(p, unit, &members, &n))) {
            printf("record %lld is in cluster %lld (%zu record%s):\n", (long long)id,
                   (long long)unit, n, n == 1 ? "" : "s");
            for (size_t i = 0; i < n; i++)
                print_record_line(p, members[i], rec);
            printf("pairs scored (duplicates first):\n");
        }
    }
    if (!rc)
        rc = wn_dedup_explain(p, id, &unit, explain_row, arr);
    if (!rc && json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "record", (double)id);
        cJSON_AddNumberToObject(o, "cluster", (double)unit);
        cJSON_AddItemToObject(o, "pairs", arr);
        arr = NULL;
        char *text = cJSON_Print(o);
        puts(text);
        cJSON_free(text);
        cJSON_Delete(o);
    }
    cJSON_Delete(arr);
    free(members);
    wn_record_free(rec);
    return rc;
}

/* ---- review ----------------------------------------------------------- */

typedef struct pair_list {
    wn_dedup_pair *v;
    size_t n, cap;
} pair_list;

static int collect_pair(void *ctx, const wn_dedup_pair *pr)
{
    pair_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        wn_dedup_pair *grown = realloc(l->v, cap * sizeof *grown);
        if (!grown)
            return WN_ENOMEM;
        l->v = grown;
        l->cap = cap;
    }
    wn_dedup_pair *d = &l->v[l->n++];
    *d = *pr;
    d->outcome = wn_strdup(pr->outcome);
    d->rule = wn_strdup(pr->rule);
    d->evidence = wn_strdup(pr->evidence);
    d->decision = NULL;
    return d->outcome && d->rule && d->evidence ? 0 : WN_ENOMEM;
}

static void pair_list_free(pair_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free((char *)l->v[i].outcome);
        free((char *)l->v[i].rule);
        free((char *)l->v[i].evidence);
    }
    free(l->v);
}

/* All values of field f joined by "; ", in buf. */
static const char *joined(const wn_record *r, wn_field f, wn_buf *buf)
{
    wn_buf_clear(buf);
    for (size_t i = 0; i < wn_record_count(r, f); i++) {
        if (i == 4) {
            wn_buf_puts(buf, "; ...");
            break;
        }
        if (i)
            wn_buf_puts(buf, "; ");
        wn_buf_puts(buf, wn_record_get(r, f, i));
    }
    return buf->data ? buf->data : "";
}

static void side_by_side(wn_project *p, const wn_dedup_pair *pr, wn_record *ra, wn_record *rb)
{
    static const wn_field fields[] = {WN_F_TITLE,  WN_F_AUTHOR, WN_F_YEAR,  WN_F_JOURNAL,
                                      WN_F_VOLUME, WN_F_ISSUE,  WN_F_PAGES, WN_F_DOI,
                                      WN_F_PMID,   WN_F_TYPE,   WN_F_SOURCE_ID};
    wn_record_meta ma, mb;
    char src_a[64] = "", src_b[64] = "";
    if (wn_record_load(p, pr->a, ra, &ma, NULL) == 0)
        snprintf(src_a, sizeof src_a, "%s", ma.source_name ? ma.source_name : "");
    if (wn_record_load(p, pr->b, rb, &mb, NULL) == 0)
        snprintf(src_b, sizeof src_b, "%s", mb.source_name ? mb.source_name : "");
    int half = (cli_width() - 14) / 2;
    wn_buf ba = WN_BUF_INIT, bb = WN_BUF_INIT;
    char ida[32], idb[32];
    snprintf(ida, sizeof ida, "record %lld", (long long)pr->a);
    snprintf(idb, sizeof idb, "record %lld", (long long)pr->b);
    printf("%-12s  ", "");
    cli_cell(stdout, ida, half, 1);
    printf("  %s\n%-12s  ", idb, "source");
    cli_cell(stdout, src_a, half, 1);
    printf("  %s\n", src_b);
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const char *a = joined(ra, fields[i], &ba), *b = joined(rb, fields[i], &bb);
        if (!*a && !*b)
            continue;
        printf("%-12s%c ", wn_field_name(fields[i]), strcmp(a, b) ? '*' : ' ');
        cli_cell(stdout, a, half, 1);
        printf("  ");
        cli_cell(stdout, b, half, 0);
        printf("\n");
    }
    printf("%-12s  %s (%s)\n", "evidence", pr->evidence, pr->rule);
    wn_buf_free(&ba);
    wn_buf_free(&bb);
}

static int review(cli_ctx *ctx, int argc, char **argv)
{
    const char *list = NULL, *json = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"list", 0, 0, &list}, {"json", 0, 0, &json}, {NULL, 0, 0, NULL}};
    if (cli_parse(&review_cmd, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    pair_list l = {0};
    int rc = wn_dedup_review_each(p, collect_pair, &l);
    if (rc) {
        pair_list_free(&l);
        return cli_finish(p, rc);
    }
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < l.n; i++)
            cJSON_AddItemToArray(arr, pair_json(&l.v[i]));
        char *text = cJSON_Print(arr);
        puts(text);
        cJSON_free(text);
        cJSON_Delete(arr);
        pair_list_free(&l);
        return cli_finish(p, 0);
    }
    if (!l.n)
        printf("no pairs left to review\n");
    wn_record *ra = wn_record_new(), *rb = wn_record_new();
    wn_actor actor = cli_actor(ctx);
    size_t decided = 0;
    for (size_t i = 0; i < l.n && !rc; i++) {
        printf("\n[%zu of %zu]\n", i + 1, l.n);
        side_by_side(p, &l.v[i], ra, rb);
        if (list)
            continue;
        printf("same (s), different (d), skip (k), quit (q)? ");
        fflush(stdout);
        char line[64];
        if (!fgets(line, sizeof line, stdin) || line[0] == 'q') {
            printf("\n");
            break;
        }
        const char *verdict = line[0] == 's' ? "same" : line[0] == 'd' ? "different" : NULL;
        if (!verdict)
            continue;
        if (!(rc = wn_dedup_decide(p, l.v[i].a, l.v[i].b, verdict, &actor)))
            decided++;
    }
    if (!list && !rc && l.n)
        printf("%zu decision%s recorded\n", decided, decided == 1 ? "" : "s");
    wn_record_free(ra);
    wn_record_free(rb);
    pair_list_free(&l);
    return cli_finish(p, rc);
}

/* ---- decide, undo-merge ------------------------------------------------ */

static int decide(cli_ctx *ctx, int argc, char **argv)
{
    const char *pos[3];
    int n;
    const cli_opt opts[] = {{NULL, 0, 0, NULL}};
    if (cli_parse(&decide_cmd, argc, argv, opts, pos, 3, &n))
        return EXIT_USAGE;
    if (n != 3)
        return cli_usage(&decide_cmd, "give two record ids and 'same' or 'different'");
    long long a, b;
    if (cli_int(&decide_cmd, "record id", pos[0], &a) ||
        cli_int(&decide_cmd, "record id", pos[1], &b))
        return EXIT_USAGE;
    if (strcmp(pos[2], "same") != 0 && strcmp(pos[2], "different") != 0)
        return cli_usage(&decide_cmd, "decision '%s' is neither 'same' nor 'different'", pos[2]);
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_actor actor = cli_actor(ctx);
    int rc = wn_dedup_decide(p, a, b, pos[2], &actor);
    if (!rc) {
        int64_t ua = 0, ub = 0;
        wn_unit_of_record(p, a, &ua);
        wn_unit_of_record(p, b, &ub);
        printf("records %lld and %lld: %s; now in cluster%s %lld%s", a, b, pos[2],
               ua == ub ? "" : "s", (long long)ua, ua == ub ? "\n" : "");
        if (ua != ub)
            printf(" and %lld\n", (long long)ub);
    }
    return cli_finish(p, rc);
}

static int undo_merge(cli_ctx *ctx, int argc, char **argv)
{
    const char *whole = NULL, *pos[64];
    int n;
    const cli_opt opts[] = {{"cluster", 0, 0, &whole}, {NULL, 0, 0, NULL}};
    if (cli_parse(&undo_cmd, argc, argv, opts, pos, 64, &n))
        return EXIT_USAGE;
    if (n == 0)
        return cli_usage(&undo_cmd, "name the record(s) to take out of their cluster");
    int64_t ids[64];
    for (int i = 0; i < n; i++) {
        long long v;
        if (cli_int(&undo_cmd, "record id", pos[i], &v))
            return EXIT_USAGE;
        ids[i] = v;
    }
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_actor actor = cli_actor(ctx);
    int64_t split = 0;
    int rc = wn_dedup_undo_merge(p, ids, (size_t)n, whole != NULL, &actor, &split);
    if (!rc)
        printf("%lld record%s taken out of %s cluster%s; kept apart on later runs\n",
               (long long)split, split == 1 ? "" : "s", whole ? "the" : "its",
               n > 1 ? "s" : "");
    return cli_finish(p, rc);
}

/* ---- the command ------------------------------------------------------- */

static int run(cli_ctx *ctx, int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "review"))
        return review(ctx, argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "decide"))
        return decide(ctx, argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "undo-merge"))
        return undo_merge(ctx, argc - 1, argv + 1);
    const char *json = NULL, *explain_id = NULL, *all_pairs = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"json", 0, 0, &json},
                            {"explain", 0, 1, &explain_id},
                            {"all-pairs", 0, 0, &all_pairs},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_dedup, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    long long id = 0;
    if (explain_id && cli_int(&cmd_dedup, "record id", explain_id, &id))
        return EXIT_USAGE;
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    if (explain_id)
        return cli_finish(p, explain(p, id, json != NULL));
    wn_dedup_opts o = {all_pairs != NULL};
    wn_dedup_summary sum;
    wn_actor actor = cli_actor(ctx);
    int rc = wn_dedup_run(p, &o, &actor, &sum);
    if (!rc) {
        if (json)
            print_summary_json(&sum);
        else
            print_summary(&sum);
    }
    wn_dedup_summary_free(&sum);
    return cli_finish(p, rc);
}

const cli_command cmd_dedup = {
    "dedup",
    "find duplicate records, explain them, review the uncertain pairs",
    "dedup [--json] | dedup --explain RECORD | dedup review [--list] |\n"
    "       dedup decide A B same|different | dedup undo-merge [--cluster] RECORD...",
    "Clusters every record of the project with its duplicates and prints how many\n"
    "records, clusters and duplicates removed there are, how many pairs wait for\n"
    "a person, and how the sources overlap. Every cluster keeps all its records;\n"
    "screening sees one merged record per cluster. Run it again after an import:\n"
    "your decisions are kept and cluster ids stay put.\n"
    "\n"
    "  --json            the summary as JSON\n"
    "  --explain R       which records R was joined with, by which rule, and the\n"
    "                    field scores of every pair scored around it\n"
    "  --all-pairs       compare every pair instead of blocking (small sets only;\n"
    "                    a baseline for checking blocking misses nothing)\n"
    "\n"
    "  review            show each uncertain pair side by side and ask: same (s),\n"
    "                    different (d), skip (k) or quit (q); answers are read from\n"
    "                    standard input, so a script can pipe them in. --list only\n"
    "                    prints the pairs, --json prints them as JSON\n"
    "  decide A B same|different\n"
    "                    record a decision on records A and B; it wins over the\n"
    "                    scores on this and every later run\n"
    "  undo-merge R...   take records out of their clusters (each is decided\n"
    "                    different from the other members); with --cluster, split\n"
    "                    the whole cluster of each record\n",
    run,
};
