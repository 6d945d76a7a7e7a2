/* Agreement between reviewers: percent agreement, Cohen's kappa per pair
 * with its confidence interval, PABAK, and Fleiss' kappa, with the
 * calibration sample apart from the rest. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "screen/screen_impl.h"

/* Categories in table order. */
enum { CAT_INCLUDE, CAT_EXCLUDE, CAT_MAYBE, N_CAT };

double wn_kappa_cohen(const size_t *table, size_t q, double *po, double *pe, double *se)
{
    double n = 0, agree = 0, chance = 0;
    for (size_t i = 0; i < q; i++)
        for (size_t j = 0; j < q; j++)
            n += (double)table[i * q + j];
    for (size_t i = 0; i < q && n > 0; i++) {
        double row = 0, col = 0;
        for (size_t j = 0; j < q; j++) {
            row += (double)table[i * q + j];
            col += (double)table[j * q + i];
        }
        agree += (double)table[i * q + i];
        chance += (row / n) * (col / n);
    }
    double o = n > 0 ? agree / n : NAN;
    if (po)
        *po = o;
    if (pe)
        *pe = n > 0 ? chance : NAN;
    if (se)
        *se = n > 0 && chance < 1 ? sqrt(o * (1 - o) / (n * (1 - chance) * (1 - chance))) : NAN;
    if (!(n > 0) || chance >= 1)
        return NAN;
    return (o - chance) / (1 - chance);
}

double wn_kappa_fleiss(const size_t *counts, size_t n_items, size_t q)
{
    if (!n_items || !q)
        return NAN;
    size_t raters = 0;
    for (size_t j = 0; j < q; j++)
        raters += counts[j];
    if (raters < 2)
        return NAN;
    double *share = calloc(q, sizeof *share);
    if (!share)
        return NAN;
    double p_bar = 0;
    for (size_t i = 0; i < n_items; i++) {
        size_t row = 0;
        double sq = 0;
        for (size_t j = 0; j < q; j++) {
            size_t c = counts[i * q + j];
            row += c;
            sq += (double)c * (double)c;
            share[j] += (double)c;
        }
        if (row != raters) {
            free(share);
            return NAN;
        }
        p_bar += (sq - (double)raters) / ((double)raters * (double)(raters - 1));
    }
    p_bar /= (double)n_items;
    double p_e = 0;
    for (size_t j = 0; j < q; j++) {
        double pj = share[j] / ((double)n_items * (double)raters);
        p_e += pj * pj;
    }
    free(share);
    return p_e >= 1 ? NAN : (p_bar - p_e) / (1 - p_e);
}

double wn_pabak(double po, size_t q)
{
    return q < 2 ? NAN : ((double)q * po - 1) / (double)(q - 1);
}

/* ---- over a stage ---------------------------------------------------------- */

typedef struct part_acc {
    size_t units, agreed;
    size_t *tables;  /* m * m tables of N_CAT * N_CAT, [a][b] with a < b */
    size_t *fleiss;  /* rows of N_CAT counts plus the rater count */
    size_t n_fleiss, cap_fleiss;
} part_acc;

typedef struct agree_acc {
    char **handles;
    size_t m;
    part_acc part[2]; /* main, calibration */
    int maybe_used;
    int failed;
} agree_acc;

static int category(const char *d)
{
    return !strcmp(d, "include") ? CAT_INCLUDE : !strcmp(d, "exclude") ? CAT_EXCLUDE : CAT_MAYBE;
}

static size_t handle_index(const agree_acc *a, const char *h)
{
    for (size_t i = 0; i < a->m; i++)
        if (!strcmp(a->handles[i], h))
            return i;
    return a->m;
}

static int on_unit(void *ctx, const wn_unit_state *u)
{
    agree_acc *a = ctx;
    for (size_t i = 0; i < u->n_votes; i++)
        a->maybe_used |= category(u->votes[i].decision) == CAT_MAYBE;
    if (u->n_votes < 2)
        return 0;
    part_acc *p = &a->part[u->calibration ? 1 : 0];
    p->units++;
    int all_same = 1;
    size_t counts[N_CAT] = {0};
    for (size_t i = 0; i < u->n_votes; i++) {
        int ci = category(u->votes[i].decision);
        counts[ci]++;
        all_same &= ci == category(u->votes[0].decision);
        size_t x = handle_index(a, u->votes[i].reviewer);
        for (size_t j = i + 1; j < u->n_votes; j++) {
            int cj = category(u->votes[j].decision);
            size_t y = handle_index(a, u->votes[j].reviewer);
            if (x == a->m || y == a->m)
                continue;
            /* Tables are kept with the earlier handle as rater A. */
            size_t lo = x < y ? x : y, hi = x < y ? y : x;
            int ca = x < y ? ci : cj, cb = x < y ? cj : ci;
            p->tables[(lo * a->m + hi) * N_CAT * N_CAT + (size_t)ca * N_CAT + (size_t)cb]++;
        }
    }
    p->agreed += all_same;
    if (u->n_votes >= 3) {
        if (p->n_fleiss == p->cap_fleiss) {
            size_t cap = p->cap_fleiss ? p->cap_fleiss * 2 : 64;
            size_t *grown = realloc(p->fleiss, cap * (N_CAT + 1) * sizeof *grown);
            if (!grown) {
                a->failed = 1;
                return WN_ENOMEM;
            }
            p->fleiss = grown;
            p->cap_fleiss = cap;
        }
        size_t *row = p->fleiss + p->n_fleiss++ * (N_CAT + 1);
        memcpy(row, counts, sizeof counts);
        row[N_CAT] = u->n_votes;
    }
    return 0;
}

static int read_handles(wn_project *p, agree_acc *a)
{
    sqlite3_stmt *s;
    int rc = wn_screen_prepare(p, "SELECT handle FROM reviewer ORDER BY handle", &s,
                               "cannot read reviewers");
    size_t cap = 0;
    while (!rc && sqlite3_step(s) == SQLITE_ROW) {
        if (a->m == cap) {
            cap = cap ? cap * 2 : 16;
            char **grown = realloc(a->handles, cap * sizeof *grown);
            if (!grown) {
                rc = WN_ENOMEM;
                break;
            }
            a->handles = grown;
        }
        if (!(a->handles[a->m] = wn_strdup((const char *)sqlite3_column_text(s, 0))))
            rc = WN_ENOMEM;
        else
            a->m++;
    }
    sqlite3_finalize(s);
    return rc == WN_ENOMEM ? wn_err_set(&p->err, rc, "out of memory") : rc;
}

/* Turns one part's tallies into the reported figures. */
static int finish_part(const agree_acc *a, const part_acc *acc, size_t q, wn_agreement_part *out)
{
    out->units = acc->units;
    out->agreed = acc->agreed;
    out->percent = acc->units ? 100.0 * (double)acc->agreed / (double)acc->units : NAN;
    out->categories = q;
    out->fleiss = NAN;
    size_t m = a->m;
    for (size_t x = 0; x < m; x++)
        for (size_t y = x + 1; y < m; y++) {
            const size_t *t = acc->tables + (x * m + y) * N_CAT * N_CAT;
            size_t n = 0;
            for (size_t k = 0; k < N_CAT * N_CAT; k++)
                n += t[k];
            if (!n)
                continue;
            wn_pair_agreement *grown = realloc(out->pairs, (out->n_pairs + 1) * sizeof *grown);
            if (!grown)
                return WN_ENOMEM;
            out->pairs = grown;
            wn_pair_agreement *pa = &out->pairs[out->n_pairs++];
            memset(pa, 0, sizeof *pa);
            pa->a = wn_strdup(a->handles[x]);
            pa->b = wn_strdup(a->handles[y]);
            if (!pa->a || !pa->b)
                return WN_ENOMEM;
            pa->n = n;
            pa->kappa = wn_kappa_cohen(t, N_CAT, &pa->po, NULL, &pa->se);
            /* Normal-approximation interval, cut to kappa's own range:
             * near-perfect agreement on few units would otherwise run
             * past 1. */
            pa->lo = fmax(-1.0, pa->kappa - 1.96 * pa->se);
            pa->hi = fmin(1.0, pa->kappa + 1.96 * pa->se);
            pa->pabak = wn_pabak(pa->po, q);
        }
    /* Fleiss over the units with the most raters (three or more). */
    size_t raters = 0, n_items = 0;
    for (size_t i = 0; i < acc->n_fleiss; i++)
        if (acc->fleiss[i * (N_CAT + 1) + N_CAT] > raters)
            raters = acc->fleiss[i * (N_CAT + 1) + N_CAT];
    if (!raters)
        return 0;
    size_t *rows = malloc(acc->n_fleiss * N_CAT * sizeof *rows);
    if (!rows)
        return WN_ENOMEM;
    for (size_t i = 0; i < acc->n_fleiss; i++)
        if (acc->fleiss[i * (N_CAT + 1) + N_CAT] == raters)
            memcpy(rows + n_items++ * N_CAT, acc->fleiss + i * (N_CAT + 1),
                   N_CAT * sizeof *rows);
    out->fleiss = wn_kappa_fleiss(rows, n_items, N_CAT);
    out->fleiss_units = n_items;
    out->fleiss_raters = raters;
    free(rows);
    return 0;
}

int wn_agreement_get(wn_project *p, const char *stage, wn_agreement *out)
{
    memset(out, 0, sizeof *out);
    out->main.fleiss = out->calibration.fleiss = NAN;
    agree_acc a = {0};
    int rc = read_handles(p, &a);
    for (int i = 0; i < 2 && !rc; i++)
        if (a.m && !(a.part[i].tables = calloc(a.m * a.m * N_CAT * N_CAT, sizeof(size_t))))
            rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    if (!rc)
        rc = wn_stage_units_each(p, stage, on_unit, &a);
    if (rc == WN_ENOMEM && a.failed)
        wn_err_set(&p->err, rc, "out of memory");
    size_t q = a.maybe_used ? 3 : 2;
    if (!rc && ((rc = finish_part(&a, &a.part[0], q, &out->main)) ||
                (rc = finish_part(&a, &a.part[1], q, &out->calibration))))
        wn_err_set(&p->err, rc, "out of memory");
    for (int i = 0; i < 2; i++) {
        free(a.part[i].tables);
        free(a.part[i].fleiss);
    }
    for (size_t i = 0; i < a.m; i++)
        free(a.handles[i]);
    free(a.handles);
    if (rc)
        wn_agreement_free(out);
    return rc;
}

static void part_free(wn_agreement_part *p)
{
    for (size_t i = 0; i < p->n_pairs; i++) {
        free(p->pairs[i].a);
        free(p->pairs[i].b);
    }
    free(p->pairs);
    p->pairs = NULL;
    p->n_pairs = 0;
}

void wn_agreement_free(wn_agreement *a)
{
    if (!a)
        return;
    part_free(&a->main);
    part_free(&a->calibration);
}
