/* The state of each unit at a stage: who is assigned, each reviewer's newest
 * vote, the newest resolution, and the outcome under the stage's policy.
 * Also the per-stage and per-reviewer status built on it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/screen_impl.h"

/* One unit being gathered; strings owned until the unit is handed over. */
typedef struct unit_acc {
    wn_unit_state st;
    char **assigned;
    size_t assigned_cap;
    wn_vote *votes;
    size_t votes_cap;
    wn_vote resolution;
    int64_t resolution_id;
    int has_resolution;
} unit_acc;

static void vote_free(wn_vote *v)
{
    free((char *)v->reviewer);
    free((char *)v->decision);
    free((char *)v->reason);
    free((char *)v->note);
    free((char *)v->at);
    memset(v, 0, sizeof *v);
}

static void acc_clear(unit_acc *a)
{
    for (size_t i = 0; i < a->st.n_assigned; i++)
        free(a->assigned[i]);
    for (size_t i = 0; i < a->st.n_votes; i++)
        vote_free(&a->votes[i]);
    vote_free(&a->resolution);
    a->st.n_assigned = a->st.n_votes = 0;
    a->st.calibration = 0;
    a->has_resolution = 0;
    a->resolution_id = 0;
}

static void acc_free(unit_acc *a)
{
    acc_clear(a);
    free(a->assigned);
    free(a->votes);
}

static char *col_dup(sqlite3_stmt *s, int i)
{
    const char *v = (const char *)sqlite3_column_text(s, i);
    return v ? wn_strdup(v) : NULL;
}

/* Reads one decision row (unit, reviewer, kind, decision, reason, note, at,
 * id) into the unit: the newest row of each reviewer's votes wins (rows
 * come by reviewer, then id), and the newest resolution of anyone. */
static int acc_decision(unit_acc *a, sqlite3_stmt *s)
{
    const char *reviewer = (const char *)sqlite3_column_text(s, 1);
    const char *kind = (const char *)sqlite3_column_text(s, 2);
    int64_t id = sqlite3_column_int64(s, 7);
    wn_vote *v;
    if (!strcmp(kind, "resolution")) {
        if (a->has_resolution && id < a->resolution_id)
            return 0;
        v = &a->resolution;
        vote_free(v);
        a->has_resolution = 1;
        a->resolution_id = id;
    } else if (a->st.n_votes && !strcmp(a->votes[a->st.n_votes - 1].reviewer, reviewer)) {
        v = &a->votes[a->st.n_votes - 1];
        vote_free(v);
    } else {
        if (a->st.n_votes == a->votes_cap) {
            size_t cap = a->votes_cap ? a->votes_cap * 2 : 4;
            wn_vote *grown = realloc(a->votes, cap * sizeof *grown);
            if (!grown)
                return WN_ENOMEM;
            a->votes = grown;
            a->votes_cap = cap;
        }
        v = &a->votes[a->st.n_votes++];
        memset(v, 0, sizeof *v);
    }
    v->reviewer = col_dup(s, 1);
    v->decision = col_dup(s, 3);
    v->reason = col_dup(s, 4);
    v->note = col_dup(s, 5);
    v->at = col_dup(s, 6);
    return v->reviewer && v->decision && v->at ? 0 : WN_ENOMEM;
}

static int acc_assigned(unit_acc *a, sqlite3_stmt *s)
{
    if (a->st.n_assigned == a->assigned_cap) {
        size_t cap = a->assigned_cap ? a->assigned_cap * 2 : 4;
        char **grown = realloc(a->assigned, cap * sizeof *grown);
        if (!grown)
            return WN_ENOMEM;
        a->assigned = grown;
        a->assigned_cap = cap;
    }
    if (!(a->assigned[a->st.n_assigned] = col_dup(s, 1)))
        return WN_ENOMEM;
    a->st.n_assigned++;
    a->st.calibration |= sqlite3_column_int(s, 2);
    return 0;
}

static int has_voted(const unit_acc *a, const char *reviewer)
{
    for (size_t i = 0; i < a->st.n_votes; i++)
        if (!strcmp(a->votes[i].reviewer, reviewer))
            return 1;
    return 0;
}

static void acc_outcome(unit_acc *a, const wn_policy *pol)
{
    wn_unit_state *u = &a->st;
    u->assigned = (const char *const *)a->assigned;
    u->votes = a->votes;
    u->resolution = a->has_resolution ? &a->resolution : NULL;
    u->reason = NULL;
    if (a->has_resolution) {
        u->outcome = !strcmp(a->resolution.decision, "exclude") ? WN_OUTCOME_EXCLUDE
                                                                 : WN_OUTCOME_INCLUDE;
        if (u->outcome == WN_OUTCOME_EXCLUDE)
            u->reason = a->resolution.reason;
        return;
    }
    int waiting = u->n_votes == 0;
    for (size_t i = 0; i < u->n_assigned && !waiting; i++)
        waiting = !has_voted(a, a->assigned[i]);
    if (waiting) {
        u->outcome = WN_OUTCOME_PENDING;
        return;
    }
    int inc = 0, exc = 0, maybe = 0;
    for (size_t i = 0; i < u->n_votes; i++) {
        const char *d = a->votes[i].decision;
        inc += !strcmp(d, "include");
        exc += !strcmp(d, "exclude");
        maybe += !strcmp(d, "maybe");
    }
    u->outcome = wn_policy_outcome(pol, inc, exc, maybe);
    if (u->outcome != WN_OUTCOME_EXCLUDE)
        return;
    /* The first excluding vote's reason counts (a maybe's when maybe
     * counts as exclude and no exclusion gave one). */
    for (size_t i = 0; i < u->n_votes && !u->reason; i++)
        if (!strcmp(a->votes[i].decision, "exclude"))
            u->reason = a->votes[i].reason;
    for (size_t i = 0; i < u->n_votes && !u->reason; i++)
        u->reason = a->votes[i].reason;
}

int wn_stage_units_each(wn_project *p, const char *stage,
                        int (*fn)(void *ctx, const wn_unit_state *u), void *ctx)
{
    if (!wn_screen_valid_stage(stage))
        return wn_screen_bad_stage(p, stage);
    wn_policy pol;
    int rc = wn_policy_get(p, stage, &pol);
    if (rc)
        return rc;
    /* Two streams in unit order, merged here: assignments, and decisions
     * (by reviewer then id, so the newest of each reviewer comes last). */
    sqlite3_stmt *as = NULL, *ds = NULL;
    if ((rc = wn_screen_prepare(
             p,
             "SELECT unit_id, reviewer, calibration FROM assignment WHERE stage = ?1"
             " AND (?1 = 'ta' OR unit_id NOT IN"
             "  (SELECT id FROM report WHERE status = 'not_retrieved'))"
             " ORDER BY unit_id, reviewer",
             &as, "cannot read assignments")) ||
        (rc = wn_screen_prepare(
             p,
             "SELECT unit_id, reviewer, kind, decision, reason, note, at, id FROM decision"
             " WHERE stage = ?1 AND (?1 = 'ta' OR unit_id NOT IN"
             "  (SELECT id FROM report WHERE status = 'not_retrieved'))"
             " ORDER BY unit_id, reviewer, id",
             &ds, "cannot read decisions"))) {
        sqlite3_finalize(as);
        return rc;
    }
    sqlite3_bind_text(as, 1, stage, -1, SQLITE_STATIC);
    sqlite3_bind_text(ds, 1, stage, -1, SQLITE_STATIC);
    int a_step = sqlite3_step(as), d_step = sqlite3_step(ds);
    unit_acc acc = {0};
    while (!rc && (a_step == SQLITE_ROW || d_step == SQLITE_ROW)) {
        int64_t a_unit = a_step == SQLITE_ROW ? sqlite3_column_int64(as, 0) : INT64_MAX;
        int64_t d_unit = d_step == SQLITE_ROW ? sqlite3_column_int64(ds, 0) : INT64_MAX;
        int64_t unit = a_unit < d_unit ? a_unit : d_unit;
        acc_clear(&acc);
        acc.st.unit_id = unit;
        while (!rc && a_step == SQLITE_ROW && sqlite3_column_int64(as, 0) == unit) {
            rc = acc_assigned(&acc, as);
            a_step = sqlite3_step(as);
        }
        while (!rc && d_step == SQLITE_ROW && sqlite3_column_int64(ds, 0) == unit) {
            rc = acc_decision(&acc, ds);
            d_step = sqlite3_step(ds);
        }
        if (rc) {
            rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
            break;
        }
        acc_outcome(&acc, &pol);
        rc = fn(ctx, &acc.st);
    }
    if (!rc && ((a_step != SQLITE_DONE && a_step != SQLITE_ROW) ||
                (d_step != SQLITE_DONE && d_step != SQLITE_ROW)))
        rc = wn_db_fail(p, "cannot read decisions");
    acc_free(&acc);
    sqlite3_finalize(as);
    sqlite3_finalize(ds);
    return rc;
}

typedef struct outcome_ctx {
    int (*fn)(void *ctx, const wn_unit_outcome *o);
    void *ctx;
} outcome_ctx;

static int to_outcome(void *ctx, const wn_unit_state *u)
{
    outcome_ctx *oc = ctx;
    wn_unit_outcome o = {u->unit_id, u->outcome, u->reason};
    return oc->fn(oc->ctx, &o);
}

int wn_stage_outcomes_each(wn_project *p, const char *stage,
                           int (*fn)(void *ctx, const wn_unit_outcome *o), void *ctx)
{
    outcome_ctx oc = {fn, ctx};
    return wn_stage_units_each(p, stage, to_outcome, &oc);
}

/* ---- status ------------------------------------------------------------ */

static wn_reviewer_status *status_of(wn_stage_status *s, const char *handle)
{
    /* Few reviewers: a linear search beats a hash here. */
    for (size_t i = 0; i < s->n_reviewers; i++)
        if (!strcmp(s->reviewers[i].handle, handle))
            return &s->reviewers[i];
    wn_reviewer_status *grown =
        realloc(s->reviewers, (s->n_reviewers + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    s->reviewers = grown;
    wn_reviewer_status *r = &s->reviewers[s->n_reviewers];
    memset(r, 0, sizeof *r);
    if (!(r->handle = wn_strdup(handle)))
        return NULL;
    s->n_reviewers++;
    return r;
}

static int tally_unit(void *ctx, const wn_unit_state *u)
{
    wn_stage_status *s = ctx;
    s->units++;
    s->calibration += u->calibration != 0;
    switch (u->outcome) {
    case WN_OUTCOME_INCLUDE:
        s->include++;
        break;
    case WN_OUTCOME_EXCLUDE:
        s->exclude++;
        break;
    case WN_OUTCOME_CONFLICT:
        s->conflict++;
        break;
    default:
        s->pending++;
    }
    for (size_t i = 0; i < u->n_assigned; i++) {
        wn_reviewer_status *r = status_of(s, u->assigned[i]);
        if (!r)
            return WN_ENOMEM;
        r->assigned++;
        int voted = 0;
        for (size_t j = 0; j < u->n_votes && !voted; j++)
            voted = !strcmp(u->votes[j].reviewer, u->assigned[i]);
        r->done += voted;
        r->remaining += !voted;
    }
    if (u->outcome == WN_OUTCOME_CONFLICT)
        for (size_t j = 0; j < u->n_votes; j++) {
            wn_reviewer_status *r = status_of(s, u->votes[j].reviewer);
            if (!r)
                return WN_ENOMEM;
            r->conflicts++;
        }
    return 0;
}

static int by_handle(const void *a, const void *b)
{
    return strcmp(((const wn_reviewer_status *)a)->handle,
                  ((const wn_reviewer_status *)b)->handle);
}

int wn_stage_status_get(wn_project *p, const char *stage, wn_stage_status *out)
{
    memset(out, 0, sizeof *out);
    int rc = wn_stage_units_each(p, stage, tally_unit, out);
    if (rc == WN_ENOMEM)
        wn_err_set(&p->err, rc, "out of memory");
    if (rc) {
        wn_stage_status_free(out);
        return rc;
    }
    if (out->n_reviewers)
        qsort(out->reviewers, out->n_reviewers, sizeof *out->reviewers, by_handle);
    return 0;
}

void wn_stage_status_free(wn_stage_status *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_reviewers; i++)
        free(s->reviewers[i].handle);
    free(s->reviewers);
    memset(s, 0, sizeof *s);
}
