/* A deduplication run: keys for every record, candidate pairs by blocking,
 * one verdict per pair, then clusters (cluster.c).
 *
 * Blocking keeps the cost near-linear: two records are compared only when
 * they share a key, namely the DOI, the PMID, a title key (whole, without
 * subtitle, or the bracketed translation; with the first author, and again
 * with the year), the first or last 24 letters of the title with the
 * first author's surname and the year, or the last 24 with the surname and
 * the volume (so one typo, or a heading or citation added at one end,
 * still meets the other copy), the surname with volume and first
 * page (for titles a database mangled), or volume, first page and year
 * (for surnames written differently). A key shared by very many records (a title like "Editorial") pairs each
 * record only with its nearest neighbours in id order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dedup/dedup_impl.h"
#include "dedup/dedup_store.h"
#include "store/db.h"

/* How many following records of one key a record is paired with. */
#define BLOCK_WINDOW 48
/* Title windows: long enough to be specific, short enough that a typo in
 * a title of 48 letters or more leaves one of them whole; titles of 30 or
 * more letters get them. */
#define TITLE_WINDOW 24
#define ALL_PAIRS_MAX 20000

enum { KEY_TITLE = 1, KEY_TITLE_YEAR, KEY_TITLE_HEAD, KEY_TITLE_TAIL, KEY_DOI, KEY_PMID, KEY_SOURCE,
       KEY_PLACE, KEY_TAIL_VOLUME };

typedef struct bkey {
    uint64_t h;
    uint32_t i;
} bkey;

typedef struct keys {
    bkey *v;
    size_t n, cap;
} keys;

static int key_add(keys *k, int kind, const char *s, size_t len, uint32_t i)
{
    if (!len)
        return 0;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 65536;
        bkey *grown = realloc(k->v, cap * sizeof *grown);
        if (!grown)
            return WN_ENOMEM;
        k->v = grown;
        k->cap = cap;
    }
    k->v[k->n++] = (bkey){dd_hash((uint64_t)kind, s, len), i};
    return 0;
}

static int by_key(const void *x, const void *y)
{
    const bkey *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static int by_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* A title key twice: with the first author's surname, and with the year.
 * Different studies share titles ("Editorial", or a common design); a copy
 * keeps at least one of the two (its authors may be missing, its year one
 * off, rarely both). */
static int title_keys(keys *k, const dd_rec *r, const char *t, size_t len, uint32_t i,
                      wn_buf *tmp)
{
    wn_buf_clear(tmp);
    if (wn_buf_printf(tmp, "%.*s|%s", (int)len, t, r->surname))
        return WN_ENOMEM;
    int rc = key_add(k, KEY_TITLE, tmp->data, tmp->len, i);
    wn_buf_clear(tmp);
    if (!rc && wn_buf_printf(tmp, "%.*s|%d", (int)len, t, r->year))
        return WN_ENOMEM;
    return rc ? rc : key_add(k, KEY_TITLE_YEAR, tmp->data, tmp->len, i);
}

static int record_keys(keys *k, const dd_rec *r, uint32_t i, wn_buf *tmp)
{
    int rc = r->t_full_len ? title_keys(k, r, r->t_full, r->t_full_len, i, tmp) : 0;
    if (!rc && r->t_main_len >= 20)
        rc = title_keys(k, r, r->t_main, r->t_main_len, i, tmp);
    if (!rc && r->t_bracket_len >= 20)
        rc = title_keys(k, r, r->t_bracket, r->t_bracket_len, i, tmp);
    if (!rc && r->t_full_len >= TITLE_WINDOW + 6) {
        /* With the first author and the year: title openings and endings
         * alone are shared by too many different studies. */
        for (int end = 0; end < 2 && !rc; end++) {
            wn_buf_clear(tmp);
            const char *w = end ? r->t_full + r->t_full_len - TITLE_WINDOW : r->t_full;
            if (wn_buf_printf(tmp, "%s|%d|%.*s", r->surname, r->year, TITLE_WINDOW, w))
                return WN_ENOMEM;
            rc = key_add(k, end ? KEY_TITLE_TAIL : KEY_TITLE_HEAD, tmp->data, tmp->len, i);
        }
        /* The ending again with the volume in place of the year, so that a
         * copy with both a typo and its year one off still meets the other
         * (the surname alone would pair an author's every similar title). */
        if (!rc && *r->volume) {
            wn_buf_clear(tmp);
            if (wn_buf_printf(tmp, "%s|%s|%.*s", r->surname, r->volume, TITLE_WINDOW,
                              r->t_full + r->t_full_len - TITLE_WINDOW))
                return WN_ENOMEM;
            rc = key_add(k, KEY_TAIL_VOLUME, tmp->data, tmp->len, i);
        }
    }
    if (!rc)
        rc = key_add(k, KEY_DOI, r->doi, strlen(r->doi), i);
    if (!rc)
        rc = key_add(k, KEY_PMID, r->pmid, strlen(r->pmid), i);
    if (!rc && *r->surname && *r->volume && *r->spage) {
        wn_buf_clear(tmp);
        if (wn_buf_printf(tmp, "%s|%s|%s", r->surname, r->volume, r->spage))
            return WN_ENOMEM;
        rc = key_add(k, KEY_SOURCE, tmp->data, tmp->len, i);
    }
    /* Volume, first page and year without the author: a surname a database
     * wrote differently ("Il Cheong" for "Cheong") with a changed title. */
    if (!rc && *r->volume && *r->spage && r->year) {
        wn_buf_clear(tmp);
        if (wn_buf_printf(tmp, "%s|%s|%d", r->volume, r->spage, r->year))
            return WN_ENOMEM;
        rc = key_add(k, KEY_PLACE, tmp->data, tmp->len, i);
    }
    return rc;
}

/* Candidate pairs (i << 32 | j, i < j), sorted and unique. */
static int candidate_pairs(keys *k, uint64_t **out, size_t *n_out)
{
    qsort(k->v, k->n, sizeof *k->v, by_key);
    uint64_t *pairs = NULL;
    size_t n = 0, cap = 0;
    for (size_t s = 0; s < k->n;) {
        size_t e = s + 1;
        while (e < k->n && k->v[e].h == k->v[s].h)
            e++;
        for (size_t x = s; x < e; x++)
            for (size_t y = x + 1; y < e && y <= x + BLOCK_WINDOW; y++) {
                if (k->v[x].i == k->v[y].i)
                    continue;
                if (n == cap) {
                    cap = cap ? cap * 2 : 65536;
                    uint64_t *grown = realloc(pairs, cap * sizeof *grown);
                    if (!grown) {
                        free(pairs);
                        return WN_ENOMEM;
                    }
                    pairs = grown;
                }
                pairs[n++] = (uint64_t)k->v[x].i << 32 | k->v[y].i;
            }
        s = e;
    }
    if (n)
        qsort(pairs, n, sizeof *pairs, by_u64);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || pairs[i] != pairs[u - 1])
            pairs[u++] = pairs[i];
    *out = pairs;
    *n_out = u;
    return 0;
}

static const char *col(sqlite3_stmt *s, int c)
{
    const char *v = (const char *)sqlite3_column_text(s, c);
    return v && *v ? v : NULL;
}

static int load_records(wn_project *p, dd_rec **out, size_t *n_out, dd_arena *arena)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT id, source_id, year, title, authors, journal, journal_abbr,"
                           " volume, start_page, end_page, doi, pmid, issn, pubtypes, type"
                           " FROM record ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read records");
    dd_rec *recs = NULL;
    size_t n = 0, cap = 0;
    dd_scratch scratch = {0};
    int rc = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            dd_rec *grown = realloc(recs, cap * sizeof *grown);
            if (!grown) {
                rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
                break;
            }
            recs = grown;
        }
        dd_row row = {sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
                      sqlite3_column_int(s, 2),   col(s, 3),
                      col(s, 4),                  col(s, 5),
                      col(s, 6),                  col(s, 7),
                      col(s, 8),                  col(s, 9),
                      col(s, 10),                 col(s, 11),
                      col(s, 12),                 col(s, 13),
                      col(s, 14)};
        if (dd_rec_make(&recs[n], &row, arena, &scratch)) {
            rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read records");
    sqlite3_finalize(s);
    dd_scratch_free(&scratch);
    if (rc) {
        free(recs);
        return rc;
    }
    *out = recs;
    *n_out = n;
    return 0;
}

typedef struct pair_writer {
    sqlite3_stmt *insert;
    int64_t run_id;
    wn_buf rule;
} pair_writer;

static int store_pair(wn_project *p, pair_writer *w, const dd_rec *a, const dd_rec *b,
                      const dd_verdict *v)
{
    wn_buf_clear(&w->rule);
    if (wn_buf_printf(&w->rule, "%s%s", v->vetoed ? "veto:" : "", v->rule))
        return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    sqlite3_stmt *s = w->insert;
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, a->id);
    sqlite3_bind_int64(s, 2, b->id);
    sqlite3_bind_text(s, 3, dd_outcome_name(v->outcome), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, w->rule.data, (int)w->rule.len, SQLITE_STATIC);
    sqlite3_bind_double(s, 5, v->title);
    sqlite3_bind_text(s, 6, v->evidence, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, w->run_id);
    return sqlite3_step(s) == SQLITE_DONE ? 0 : wn_db_fail(p, "cannot store a duplicate pair");
}

static int score_pair(wn_project *p, pair_writer *w, const dd_rec *a, const dd_rec *b,
                      wn_dedup_summary *sum)
{
    dd_verdict v;
    dd_score(a, b, &v);
    sum->compared++;
    sum->vetoed += v.vetoed;
    switch (v.outcome) {
    case DD_DUPLICATE: sum->duplicate_pairs++; break;
    case DD_POSSIBLE: sum->possible_pairs++; break;
    case DD_VERSION: sum->version_links++; break;
    default:
        /* Vetoed pairs are kept (as what keeps clusters apart) when they
         * look alike; pairs that share only a blocking key are not. */
        if (!v.vetoed || !v.alike)
            return 0;
    }
    return store_pair(p, w, a, b, &v);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int score_all(wn_project *p, const wn_dedup_opts *opts, dd_rec *recs, size_t n,
                     pair_writer *w, wn_dedup_summary *sum)
{
    int rc = 0;
    if (opts && opts->all_pairs) {
        if (n > ALL_PAIRS_MAX)
            return wn_err_set(&p->err, WN_EINVAL,
                              "comparing all pairs is for sets of at most %d records",
                              ALL_PAIRS_MAX);
        for (size_t i = 0; i < n && !rc; i++)
            for (size_t j = i + 1; j < n && !rc; j++)
                rc = score_pair(p, w, &recs[i], &recs[j], sum);
        return rc;
    }
    keys k = {0};
    wn_buf tmp = WN_BUF_INIT;
    for (size_t i = 0; i < n && !rc; i++)
        if (record_keys(&k, &recs[i], (uint32_t)i, &tmp))
            rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    wn_buf_free(&tmp);
    uint64_t *pairs = NULL;
    size_t n_pairs = 0;
    if (!rc && candidate_pairs(&k, &pairs, &n_pairs))
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    free(k.v);
    for (size_t i = 0; i < n_pairs && !rc; i++)
        rc = score_pair(p, w, &recs[pairs[i] >> 32], &recs[pairs[i] & 0xFFFFFFFFu], sum);
    free(pairs);
    return rc;
}

int wn_dedup_run(wn_project *p, const wn_dedup_opts *opts, const wn_actor *actor,
                 wn_dedup_summary *sum)
{
    memset(sum, 0, sizeof *sum);
    double start = now_seconds();
    int rc = wn_tx_begin(p);
    if (rc)
        return rc;
    dd_arena arena = {0};
    dd_rec *recs = NULL;
    size_t n = 0;
    pair_writer w = {NULL, 0, WN_BUF_INIT};
    char at[32];
    wn_utc_now(at);
    sqlite3_stmt *s = NULL;
    /* Reading every record through the page cache copies each page once
     * more; a memory map lets the one full scan read them in place. */
    if ((rc = wn_db_exec(p, "PRAGMA mmap_size = 17179869184")) != 0 ||
        (rc = load_records(p, &recs, &n, &arena)) != 0)
        goto fail;
    if ((rc = wn_db_exec(p, "DELETE FROM dedup_pair")) != 0)
        goto fail;
    if (sqlite3_prepare_v2(p->db,
                           "INSERT INTO dedup_run (at, records, clusters, compared,"
                           " duplicate_pairs, possible_pairs, version_links, vetoed)"
                           " VALUES (?, ?, 0, 0, 0, 0, 0, 0)",
                           -1, &s, NULL) != SQLITE_OK) {
        rc = wn_db_fail(p, "cannot record the run");
        goto fail;
    }
    sqlite3_bind_text(s, 1, at, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (int64_t)n);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = wn_db_fail(p, "cannot record the run");
        goto fail;
    }
    sqlite3_finalize(s);
    s = NULL;
    w.run_id = sqlite3_last_insert_rowid(p->db);
    sum->run_id = w.run_id;
    if (sqlite3_prepare_v2(p->db,
                           "INSERT INTO dedup_pair (a, b, outcome, rule, score, evidence, run_id)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?)",
                           -1, &w.insert, NULL) != SQLITE_OK) {
        rc = wn_db_fail(p, "cannot store duplicate pairs");
        goto fail;
    }
    if ((rc = score_all(p, opts, recs, n, &w, sum)) != 0)
        goto fail;
    sqlite3_finalize(w.insert);
    w.insert = NULL;
    free(recs);
    recs = NULL;
    dd_arena_free(&arena);
    if ((rc = dd_recluster(p, sum)) != 0 || (rc = dd_review_count(p, &sum->review)) != 0)
        goto fail;
    if (sqlite3_prepare_v2(p->db,
                           "UPDATE dedup_run SET clusters = ?, compared = ?, duplicate_pairs = ?,"
                           " possible_pairs = ?, version_links = ?, vetoed = ? WHERE id = ?",
                           -1, &s, NULL) != SQLITE_OK) {
        rc = wn_db_fail(p, "cannot record the run");
        goto fail;
    }
    sqlite3_bind_int64(s, 1, sum->clusters);
    sqlite3_bind_int64(s, 2, sum->compared);
    sqlite3_bind_int64(s, 3, sum->duplicate_pairs);
    sqlite3_bind_int64(s, 4, sum->possible_pairs);
    sqlite3_bind_int64(s, 5, sum->version_links);
    sqlite3_bind_int64(s, 6, sum->vetoed);
    sqlite3_bind_int64(s, 7, sum->run_id);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = wn_db_fail(p, "cannot record the run");
        goto fail;
    }
    sqlite3_finalize(s);
    s = NULL;
    char summary[256];
    snprintf(summary, sizeof summary,
             "%lld records, %lld clusters, %lld duplicates removed, %lld pairs for review",
             (long long)sum->records, (long long)sum->clusters, (long long)sum->removed,
             (long long)sum->review);
    if ((rc = wn_audit_append(p, actor, NULL, summary)) != 0 || (rc = wn_tx_commit(p)) != 0)
        goto fail;
    wn_buf_free(&w.rule);
    sum->seconds = now_seconds() - start;
    return 0;
fail:
    if (s)
        sqlite3_finalize(s);
    if (w.insert)
        sqlite3_finalize(w.insert);
    wn_buf_free(&w.rule);
    free(recs);
    dd_arena_free(&arena);
    wn_tx_rollback(p);
    return rc;
}

void wn_dedup_summary_free(wn_dedup_summary *sum)
{
    free(sum->sources);
    sum->sources = NULL;
    sum->n_sources = 0;
}
