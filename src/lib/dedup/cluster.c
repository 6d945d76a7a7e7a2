/* Clusters from stored pair outcomes and people's decisions.
 *
 * Duplicate pairs join records transitively, strongest first, but two
 * groups are never joined when a vetoed pair, a version link or a
 * "different" decision lies between them, or when they carry different
 * DOIs. A person's "same" joins first and only their "different" stops it.
 * Everything is read back from the project, so a rerun after a decision
 * gives exactly what a full run would. */
#include <stdlib.h>
#include <string.h>

#include "dedup/dedup_impl.h"
#include "dedup/dedup_store.h"
#include "store/db.h"

typedef struct link {
    uint32_t a, b;
    double score;
    int human;
} link;

typedef struct links {
    link *v;
    size_t n, cap;
} links;

static int links_add(links *l, uint32_t a, uint32_t b, double score, int human)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        link *grown = realloc(l->v, cap * sizeof *grown);
        if (!grown)
            return WN_ENOMEM;
        l->v = grown;
        l->cap = cap;
    }
    l->v[l->n++] = (link){a, b, score, human};
    return 0;
}

/* Strongest first, then by record order: the same input always gives the
 * same clusters. */
static int by_strength(const void *x, const void *y)
{
    const link *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

typedef struct uf {
    uint32_t *parent, *size, *next, *tail, *first;
    int32_t *doi;        /* per root: a member with a DOI, or -1 */
    uint32_t *adj_start; /* cannot-link lists (CSR), both directions */
    uint32_t *adj;       /* neighbour << 1 | human */
} uf;

static uint32_t find(uf *u, uint32_t x)
{
    while (u->parent[x] != x) {
        u->parent[x] = u->parent[u->parent[x]];
        x = u->parent[x];
    }
    return x;
}

/* Non-zero when a cannot-link (only people's, when human_only) joins the
 * groups of roots ra and rb. */
static int blocked(uf *u, uint32_t ra, uint32_t rb, int human_only)
{
    uint32_t small = u->size[ra] <= u->size[rb] ? ra : rb, other = small == ra ? rb : ra;
    for (uint32_t m = u->first[small];; m = u->next[m]) {
        for (uint32_t k = u->adj_start[m]; k < u->adj_start[m + 1]; k++) {
            uint32_t w = u->adj[k];
            if ((!human_only || (w & 1)) && find(u, w >> 1) == other)
                return 1;
        }
        if (m == u->tail[small])
            break;
    }
    return 0;
}

static void join(uf *u, uint32_t ra, uint32_t rb)
{
    if (u->size[ra] < u->size[rb]) {
        uint32_t t = ra;
        ra = rb;
        rb = t;
    }
    u->parent[rb] = ra;
    u->size[ra] += u->size[rb];
    u->next[u->tail[ra]] = u->first[rb];
    u->tail[ra] = u->tail[rb];
    if (u->doi[ra] < 0)
        u->doi[ra] = u->doi[rb];
}

static uint32_t index_of(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id ? (uint32_t)lo : UINT32_MAX;
}

/* Reads (a, b, score) rows of sql into must or cannot lists. */
static int read_links(wn_project *p, const char *sql, const int64_t *ids, size_t n,
                      links *must, links *cannot, int human)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db, sql, -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read duplicate pairs");
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        uint32_t a = index_of(ids, n, sqlite3_column_int64(s, 0));
        uint32_t b = index_of(ids, n, sqlite3_column_int64(s, 1));
        int keep_apart = sqlite3_column_int(s, 2);
        double score = sqlite3_column_double(s, 3);
        if (a == UINT32_MAX || b == UINT32_MAX)
            continue;
        if (links_add(keep_apart ? cannot : must, a, b, score, human)) {
            sqlite3_finalize(s);
            return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
        }
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : wn_db_fail(p, "cannot read duplicate pairs");
}

static int write_members(wn_project *p, uf *u, const int64_t *ids, size_t n)
{
    if (wn_db_exec(p, "DELETE FROM cluster_member"))
        return WN_EDB;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db, "INSERT INTO cluster_member (record_id, cluster_id) VALUES (?, ?)",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot write clusters");
    int rc = 0;
    for (uint32_t i = 0; i < n && !rc; i++) {
        uint32_t r = find(u, i);
        if (u->size[r] < 2)
            continue;
        /* the smallest member id names the cluster: members are visited in
         * id order, so the first seen of a root is its smallest */
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, ids[i]);
        sqlite3_bind_int64(s, 2, ids[u->first[r]]);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = wn_db_fail(p, "cannot write clusters");
    }
    sqlite3_finalize(s);
    return rc;
}

/* Per-source counts: records, duplicates within the source, records
 * sharing a cluster with another source, clusters only this source has. */
static int source_counts(wn_project *p, uf *u, const int64_t *src, size_t n,
                         wn_dedup_summary *sum)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db, "SELECT id, name FROM source ORDER BY id", -1, &s, NULL) !=
        SQLITE_OK)
        return wn_db_fail(p, "cannot read sources");
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wn_dedup_source *grown = realloc(sum->sources, (sum->n_sources + 1) * sizeof *grown);
        if (!grown) {
            sqlite3_finalize(s);
            return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
        }
        sum->sources = grown;
        wn_dedup_source *d = &sum->sources[sum->n_sources++];
        memset(d, 0, sizeof *d);
        d->id = sqlite3_column_int64(s, 0);
        const char *name = (const char *)sqlite3_column_text(s, 1);
        size_t len = name ? strlen(name) : 0;
        if (len >= sizeof d->name)
            len = sizeof d->name - 1;
        memcpy(d->name, name ? name : "", len);
        d->name[len] = 0;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return wn_db_fail(p, "cannot read sources");
    for (uint32_t i = 0; i < n; i++) {
        if (find(u, i) != i)
            continue;
        /* one walk per cluster over its members */
        int mixed = 0;
        for (uint32_t m = u->first[i];; m = u->next[m]) {
            if (src[m] != src[u->first[i]])
                mixed = 1;
            if (m == u->tail[i])
                break;
        }
        for (uint32_t m = u->first[i];; m = u->next[m]) {
            for (size_t k = 0; k < sum->n_sources; k++) {
                wn_dedup_source *d = &sum->sources[k];
                if (d->id != src[m])
                    continue;
                d->records++;
                d->shared += mixed;
                if (!mixed && m == u->first[i])
                    d->only_here++;
                for (uint32_t e = u->first[i]; e != m; e = u->next[e])
                    if (src[e] == src[m] && e < m) {
                        d->within++;
                        break;
                    }
            }
            if (m == u->tail[i])
                break;
        }
    }
    return 0;
}

int dd_recluster(wn_project *p, wn_dedup_summary *sum)
{
    int64_t *ids = NULL, *src = NULL;
    char **dois = NULL;
    size_t n = 0, cap = 0;
    links must = {0}, cannot = {0}, same = {0}, apart = {0};
    uf u = {0};
    int rc = 0;
    sqlite3_stmt *s = NULL;
    dd_arena arena = {0};

    if (sqlite3_prepare_v2(p->db, "SELECT id, source_id, doi FROM record ORDER BY id", -1, &s,
                           NULL) != SQLITE_OK) {
        rc = wn_db_fail(p, "cannot read records");
        goto done;
    }
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            int64_t *gi = realloc(ids, cap * sizeof *gi), *gs;
            if (gi)
                ids = gi;
            gs = gi ? realloc(src, cap * sizeof *gs) : NULL;
            if (gs)
                src = gs;
            char **gd = gs ? realloc(dois, cap * sizeof *gd) : NULL;
            if (!gd) {
                rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
                goto done;
            }
            dois = gd;
        }
        ids[n] = sqlite3_column_int64(s, 0);
        src[n] = sqlite3_column_int64(s, 1);
        const char *d = (const char *)sqlite3_column_text(s, 2);
        dois[n] = NULL;
        if (d && *d && !(dois[n] = (char *)dd_arena_str(&arena, d, strlen(d)))) {
            rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
            goto done;
        }
        n++;
    }
    if (step != SQLITE_DONE) {
        rc = wn_db_fail(p, "cannot read records");
        goto done;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (n >= UINT32_MAX / 2) {
        rc = wn_err_set(&p->err, WN_EINVAL, "too many records to cluster");
        goto done;
    }

    if ((rc = read_links(p,
                         "SELECT a, b, verdict = 'different', 1.0 FROM dedup_decision d"
                         " WHERE id = (SELECT max(id) FROM dedup_decision e"
                         "             WHERE e.a = d.a AND e.b = d.b) ORDER BY a, b",
                         ids, n, &same, &apart, 1)) ||
        (rc = read_links(p,
                         "SELECT a, b, outcome != 'duplicate', score FROM dedup_pair"
                         " WHERE outcome != 'possible' OR rule LIKE 'veto:%'",
                         ids, n, &must, &cannot, 0)))
        goto done;

    u.parent = malloc(n * sizeof *u.parent + 1);
    u.size = malloc(n * sizeof *u.size + 1);
    u.next = malloc(n * sizeof *u.next + 1);
    u.tail = malloc(n * sizeof *u.tail + 1);
    u.first = malloc(n * sizeof *u.first + 1);
    u.doi = malloc(n * sizeof *u.doi + 1);
    u.adj_start = calloc(n + 2, sizeof *u.adj_start);
    u.adj = malloc((cannot.n + apart.n) * 2 * sizeof *u.adj + 1);
    if (!u.parent || !u.size || !u.next || !u.tail || !u.first || !u.doi || !u.adj_start ||
        !u.adj) {
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
        goto done;
    }
    for (uint32_t i = 0; i < n; i++) {
        u.parent[i] = u.first[i] = u.tail[i] = u.next[i] = i;
        u.size[i] = 1;
        u.doi[i] = dois[i] ? (int32_t)i : -1;
    }
    /* cannot-link lists: count, then fill */
    links *lists[2] = {&cannot, &apart};
    for (int l = 0; l < 2; l++)
        for (size_t k = 0; k < lists[l]->n; k++) {
            u.adj_start[lists[l]->v[k].a + 1]++;
            u.adj_start[lists[l]->v[k].b + 1]++;
        }
    for (size_t i = 1; i <= n; i++)
        u.adj_start[i] += u.adj_start[i - 1];
    uint32_t *fill = calloc(n + 1, sizeof *fill);
    if (!fill) {
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
        goto done;
    }
    for (int l = 0; l < 2; l++)
        for (size_t k = 0; k < lists[l]->n; k++) {
            link *e = &lists[l]->v[k];
            u.adj[u.adj_start[e->a] + fill[e->a]++] = e->b << 1 | (uint32_t)e->human;
            u.adj[u.adj_start[e->b] + fill[e->b]++] = e->a << 1 | (uint32_t)e->human;
        }
    free(fill);

    /* People first: their "same" joins unless their own "different" stands
     * between the groups. */
    for (size_t k = 0; k < same.n; k++) {
        uint32_t ra = find(&u, same.v[k].a), rb = find(&u, same.v[k].b);
        if (ra != rb && !blocked(&u, ra, rb, 1))
            join(&u, ra, rb);
    }
    if (must.n)
        qsort(must.v, must.n, sizeof *must.v, by_strength);
    for (size_t k = 0; k < must.n; k++) {
        uint32_t ra = find(&u, must.v[k].a), rb = find(&u, must.v[k].b);
        if (ra == rb)
            continue;
        if (u.doi[ra] >= 0 && u.doi[rb] >= 0 && strcmp(dois[u.doi[ra]], dois[u.doi[rb]]) != 0)
            continue;
        if (!blocked(&u, ra, rb, 0))
            join(&u, ra, rb);
    }
    /* Member lists in id order, so a cluster's first member is its
     * smallest record: rebuild them by one pass over the records. */
    {
        uint32_t *last = malloc(n * sizeof *last + 1);
        if (!last) {
            rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
            goto done;
        }
        for (uint32_t i = 0; i < n; i++)
            last[i] = UINT32_MAX;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t r = find(&u, i);
            if (last[r] == UINT32_MAX)
                u.first[r] = i;
            else
                u.next[last[r]] = i;
            last[r] = i;
            u.tail[r] = i;
            u.next[i] = i;
        }
        free(last);
    }
    if ((rc = write_members(p, &u, ids, n)) != 0)
        goto done;
    if (sum) {
        sum->records = (int64_t)n;
        sum->clusters = sum->multi = 0;
        for (uint32_t i = 0; i < n; i++)
            if (find(&u, i) == i) {
                sum->clusters++;
                sum->multi += u.size[i] > 1;
            }
        sum->removed = sum->records - sum->clusters;
        sum->decisions = (int64_t)(same.n + apart.n);
        rc = source_counts(p, &u, src, n, sum);
    }
done:
    if (s)
        sqlite3_finalize(s);
    free(ids);
    free(src);
    free(dois);
    dd_arena_free(&arena);
    free(must.v);
    free(cannot.v);
    free(same.v);
    free(apart.v);
    free(u.parent);
    free(u.size);
    free(u.next);
    free(u.tail);
    free(u.first);
    free(u.doi);
    free(u.adj_start);
    free(u.adj);
    return rc;
}
