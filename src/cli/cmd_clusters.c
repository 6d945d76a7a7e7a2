#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

/* The input's own id with tabs and line breaks made spaces, so one record
 * stays one TSV row. */
static void put_id(int64_t record_id, const char *source_ref)
{
    if (!source_ref || !*source_ref) {
        printf("%lld", (long long)record_id);
        return;
    }
    for (const char *c = source_ref; *c; c++)
        putchar(*c == '\t' || *c == '\n' || *c == '\r' ? ' ' : *c);
}

static int tsv_row(void *ctx, int64_t record_id, const char *source_ref, int64_t cluster)
{
    (void)ctx;
    put_id(record_id, source_ref);
    printf("\t%lld\n", (long long)cluster);
    return 0;
}

static int json_row(void *ctx, int64_t record_id, const char *source_ref, int64_t cluster)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "record", (double)record_id);
    if (source_ref)
        cJSON_AddStringToObject(o, "source_id", source_ref);
    else
        cJSON_AddNullToObject(o, "source_id");
    cJSON_AddNumberToObject(o, "cluster", (double)cluster);
    cJSON_AddItemToArray(ctx, o);
    return 0;
}

/* People's view: clusters of two or more records, one line each. */
typedef struct listing {
    int64_t cluster;
    wn_buf line;
    size_t members;
} listing;

static void flush_listing(listing *l)
{
    if (l->members > 1)
        printf("cluster %lld (%zu records): %s\n", (long long)l->cluster, l->members,
               l->line.data);
    wn_buf_clear(&l->line);
    l->members = 0;
}

typedef struct member {
    int64_t cluster, record;
} member;

typedef struct members {
    member *v;
    size_t n, cap;
} members;

static int collect(void *ctx, int64_t record_id, const char *source_ref, int64_t cluster)
{
    (void)source_ref;
    members *m = ctx;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        member *grown = realloc(m->v, cap * sizeof *grown);
        if (!grown)
            return WN_ENOMEM;
        m->v = grown;
        m->cap = cap;
    }
    m->v[m->n++] = (member){cluster, record_id};
    return 0;
}

static int by_cluster(const void *x, const void *y)
{
    const member *a = x, *b = y;
    if (a->cluster != b->cluster)
        return a->cluster < b->cluster ? -1 : 1;
    return a->record < b->record ? -1 : a->record > b->record;
}

static int print_people(wn_project *p)
{
    members m = {0};
    int rc = wn_clusters_each(p, collect, &m);
    if (rc) {
        free(m.v);
        return rc;
    }
    qsort(m.v, m.n, sizeof *m.v, by_cluster);
    listing l = {0, WN_BUF_INIT, 0};
    size_t multi = 0;
    for (size_t i = 0; i < m.n; i++) {
        if (i == 0 || m.v[i].cluster != l.cluster) {
            if (l.members > 1)
                multi++;
            flush_listing(&l);
            l.cluster = m.v[i].cluster;
        }
        wn_buf_printf(&l.line, "%s%lld", l.members ? ", " : "", (long long)m.v[i].record);
        l.members++;
    }
    if (l.members > 1)
        multi++;
    flush_listing(&l);
    printf("%zu clusters of two or more records; %zu records in all\n", multi, m.n);
    wn_buf_free(&l.line);
    free(m.v);
    return 0;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *tsv = NULL, *json = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {{"tsv", 0, 0, &tsv}, {"json", 0, 0, &json}, {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_clusters, argc, argv, opts, pos, 0, &n))
        return EXIT_USAGE;
    if (tsv && json)
        return cli_usage(&cmd_clusters, "choose one of --tsv and --json");
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    int rc;
    if (tsv) {
        printf("record_id\tcluster\n");
        rc = wn_clusters_each(p, tsv_row, NULL);
    } else if (json) {
        cJSON *arr = cJSON_CreateArray();
        rc = wn_clusters_each(p, json_row, arr);
        if (!rc) {
            char *text = cJSON_Print(arr);
            puts(text);
            cJSON_free(text);
        }
        cJSON_Delete(arr);
    } else {
        rc = print_people(p);
    }
    if (!rc && fflush(stdout) != 0)
        rc = WN_EIO;
    return cli_finish(p, rc);
}

const cli_command cmd_clusters = {
    "clusters",
    "list which records are duplicates of which (cluster of every record)",
    "clusters [--tsv | --json]",
    "Lists the clusters deduplication made. By default, every cluster of two or\n"
    "more records with its record ids.\n"
    "\n"
    "  --tsv     every record as record_id<TAB>cluster with a header row, where\n"
    "            record_id is the input's own identifier (RIS ID, BibTeX key, CSV\n"
    "            id column; the winnow record id when the input had none) and\n"
    "            cluster is the cluster's id (the smallest winnow record id in it)\n"
    "  --json    every record with its winnow id, input id and cluster\n",
    run,
};
