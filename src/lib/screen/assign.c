/* Allocation of units to reviewers, and handing work over when one leaves. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/screen_impl.h"

/* splitmix64: small, fast, and the same on every platform, so a seed means
 * the same allocation everywhere. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void shuffle(size_t *v, size_t n, uint64_t *state)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(next_random(state) % i);
        size_t t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* Loads: each reviewer's share of total slots, rounded by largest
 * remainders, no reviewer above cap (one slot per unit); what a capped
 * reviewer cannot take is shared among the others by their weights. */
static void share_loads(size_t total, size_t cap, size_t m, const double *w, size_t *load)
{
    char *capped = calloc(m, 1);
    double *frac = calloc(m, sizeof *frac);
    if (!capped || !frac) {
        free(capped);
        free(frac);
        for (size_t i = 0; i < m; i++)
            load[i] = 0;
        return;
    }
    for (;;) {
        size_t left = total;
        double weight = 0;
        for (size_t i = 0; i < m; i++) {
            if (capped[i])
                left -= cap;
            else
                weight += w ? w[i] : 1.0;
        }
        size_t given = 0;
        for (size_t i = 0; i < m; i++) {
            if (capped[i]) {
                load[i] = cap;
                continue;
            }
            double exact = (double)left * (w ? w[i] : 1.0) / weight;
            load[i] = (size_t)exact; /* truncation is floor: exact >= 0 */
            frac[i] = exact - (double)load[i];
            given += load[i];
        }
        while (given < left) {
            size_t best = m;
            for (size_t i = 0; i < m; i++)
                if (!capped[i] && (best == m || frac[i] > frac[best]))
                    best = i;
            load[best]++;
            frac[best] = -1;
            given++;
        }
        int over = 0;
        for (size_t i = 0; i < m; i++)
            if (!capped[i] && load[i] > cap)
                capped[i] = 1, over = 1;
        if (!over)
            break;
    }
    free(capped);
    free(frac);
}

int wn_allocate(size_t n_units, size_t n_reviewers, const double *shares, unsigned k,
                uint64_t seed, uint32_t *out, wn_err *err)
{
    if (k == 0 || k > n_reviewers)
        return wn_err_set(err, WN_EINVAL,
                          "cannot give each unit %u distinct reviewers out of %zu", k,
                          n_reviewers);
    for (size_t i = 0; shares && i < n_reviewers; i++)
        if (!(shares[i] > 0))
            return wn_err_set(err, WN_EINVAL, "every share must be above zero");
    if (!n_units)
        return 0;
    size_t m = n_reviewers;
    size_t *load = calloc(m, sizeof *load);      /* slots still to fill */
    size_t *pairs = calloc(m * m, sizeof *pairs); /* units shared so far */
    size_t *order = malloc(n_units * sizeof *order);
    uint64_t *tie = malloc(m * sizeof *tie);
    char *chosen = malloc(m);
    if (!load || !pairs || !order || !tie || !chosen) {
        free(load);
        free(pairs);
        free(order);
        free(tie);
        free(chosen);
        return wn_err_set(err, WN_ENOMEM, "out of memory");
    }
    share_loads(n_units * k, n_units, m, shares, load);
    uint64_t state = seed;
    for (size_t u = 0; u < n_units; u++)
        order[u] = u;
    shuffle(order, n_units, &state);
    for (size_t t = 0; t < n_units; t++) {
        size_t left = n_units - t, picked = 0;
        uint32_t *slot = out + order[t] * k;
        memset(chosen, 0, m);
        for (size_t i = 0; i < m; i++)
            tie[i] = next_random(&state);
        /* A reviewer with as many slots as units left must take this one;
         * choosing them first keeps every load exactly reachable. */
        for (size_t i = 0; i < m; i++)
            if (load[i] == left) {
                chosen[i] = 1;
                slot[picked++] = (uint32_t)i;
            }
        while (picked < k) {
            /* Fewest units shared with those already chosen (even pairs),
             * then most slots left (loads stay on course), then the seed. */
            size_t best = m, best_shared = 0;
            for (size_t i = 0; i < m; i++) {
                if (chosen[i] || !load[i])
                    continue;
                size_t shared = 0;
                for (size_t j = 0; j < picked; j++)
                    shared += pairs[i * m + slot[j]];
                if (best == m || shared < best_shared ||
                    (shared == best_shared &&
                     (load[i] > load[best] || (load[i] == load[best] && tie[i] < tie[best])))) {
                    best = i;
                    best_shared = shared;
                }
            }
            chosen[best] = 1;
            slot[picked++] = (uint32_t)best;
        }
        for (size_t j = 0; j < k; j++) {
            load[slot[j]]--;
            for (size_t l = 0; l < j; l++) {
                pairs[slot[j] * m + slot[l]]++;
                pairs[slot[l] * m + slot[j]]++;
            }
        }
    }
    free(load);
    free(pairs);
    free(order);
    free(tie);
    free(chosen);
    return 0;
}

/* ---- wn_assign ----------------------------------------------------------- */

/* Ids from a one-column query bound with nothing (owned array). */
static int read_ids(wn_project *p, const char *sql, int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *s;
    int rc = wn_screen_prepare(p, sql, &s, "cannot read units");
    if (rc)
        return rc;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            int64_t *grown = realloc(*ids, cap * sizeof *grown);
            if (!grown) {
                rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
                break;
            }
            *ids = grown;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(s, 0);
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read units");
    sqlite3_finalize(s);
    if (rc) {
        free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return rc;
}

static int count_of(wn_project *p, const char *sql, const char *bind, int64_t *n)
{
    sqlite3_stmt *s;
    int rc = wn_screen_prepare(p, sql, &s, "cannot read the project");
    if (rc)
        return rc;
    if (bind)
        sqlite3_bind_text(s, 1, bind, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    else
        rc = wn_db_fail(p, "cannot read the project");
    sqlite3_finalize(s);
    return rc;
}

/* Every listed reviewer exists, is active, and is listed once. */
static int check_reviewers(wn_project *p, const char *const *handles, size_t n)
{
    sqlite3_stmt *s;
    int rc = wn_screen_prepare(p, "SELECT left_at FROM reviewer WHERE handle = ?", &s,
                               "cannot read reviewers");
    for (size_t i = 0; i < n && !rc; i++) {
        for (size_t j = 0; j < i && !rc; j++)
            if (!strcmp(handles[i], handles[j]))
                rc = wn_err_set(&p->err, WN_EINVAL, "reviewer '%s' is listed twice",
                                handles[i]);
        if (rc)
            break;
        sqlite3_bind_text(s, 1, handles[i], -1, SQLITE_STATIC);
        int step = sqlite3_step(s);
        if (step != SQLITE_ROW)
            rc = wn_err_set(&p->err, WN_ENOTFOUND,
                            "unknown reviewer '%s' (see 'winnow reviewer add')", handles[i]);
        else if (sqlite3_column_type(s, 0) != SQLITE_NULL)
            rc = wn_err_set(&p->err, WN_EINVAL, "reviewer '%s' has left the review",
                            handles[i]);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    return rc;
}

/* Assignments are staged in a temporary table and written by one statement
 * (see wn_checker in screen_impl.h: a statement per row is several times
 * slower because of the triggers on assignment). */
static int insert_assignments(wn_project *p, const char *stage, const int64_t *units,
                              size_t n_units, const uint32_t *slots, unsigned k,
                              const char *const *handles, int calibration, const char *at)
{
    sqlite3_stmt *s;
    int rc = wn_db_exec(p, "CREATE TEMP TABLE IF NOT EXISTS screen_assign_staged ("
                           " stage TEXT, unit_id INTEGER, reviewer TEXT, calibration INTEGER,"
                           " assigned_at TEXT)");
    if (rc || (rc = wn_screen_prepare(p,
                                      "INSERT INTO temp.screen_assign_staged(stage, unit_id,"
                                      " reviewer, calibration, assigned_at)"
                                      " VALUES (?, ?, ?, ?, ?)",
                                      &s, "cannot write assignments")))
        return rc;
    for (size_t u = 0; u < n_units && !rc; u++)
        for (unsigned j = 0; j < k && !rc; j++) {
            sqlite3_bind_text(s, 1, stage, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 2, units[u]);
            sqlite3_bind_text(s, 3, handles[slots ? slots[u * k + j] : j], -1, SQLITE_STATIC);
            sqlite3_bind_int(s, 4, calibration);
            sqlite3_bind_text(s, 5, at, -1, SQLITE_STATIC);
            rc = wn_screen_run(p, s, "cannot write assignments");
        }
    sqlite3_finalize(s);
    if (!rc)
        rc = wn_db_exec(p, "INSERT INTO assignment(stage, unit_id, reviewer, calibration,"
                           " assigned_at) SELECT stage, unit_id, reviewer, calibration,"
                           " assigned_at FROM temp.screen_assign_staged"
                           " ORDER BY stage, unit_id, reviewer");
    if (!rc)
        rc = wn_db_exec(p, "DELETE FROM temp.screen_assign_staged");
    return rc;
}

/* Allocates units[] (shuffled in place for the calibration draw). */
static int allocate_units(wn_project *p, const wn_assign_opts *o, int64_t *units, size_t n,
                          const char *at, wn_assign_result *res)
{
    size_t n_cal = o->calibration < n ? o->calibration : n;
    int rc = 0;
    if (n_cal) {
        /* The calibration draw: a seeded partial shuffle, then id order. */
        uint64_t state = o->seed ^ 0xC0FFEEull;
        for (size_t i = 0; i < n_cal; i++) {
            size_t j = i + (size_t)(next_random(&state) % (n - i));
            int64_t t = units[i];
            units[i] = units[j];
            units[j] = t;
        }
        rc = insert_assignments(p, o->stage, units, n_cal, NULL, (unsigned)o->n_reviewers,
                                o->reviewers, 1, at);
        res->assignments += n_cal * o->n_reviewers;
    }
    size_t rest = n - n_cal;
    if (!rc && rest) {
        uint32_t *slots = malloc(rest * o->per_unit * sizeof *slots);
        if (!slots)
            return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
        rc = wn_allocate(rest, o->n_reviewers, o->shares, o->per_unit, o->seed, slots, &p->err);
        if (!rc)
            rc = insert_assignments(p, o->stage, units + n_cal, rest, slots, o->per_unit,
                                    o->reviewers, 0, at);
        res->assignments += rest * o->per_unit;
        free(slots);
    }
    res->units = n;
    res->calibration = n_cal;
    return rc;
}

static int by_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int wn_assign(wn_project *p, const wn_assign_opts *o, const wn_actor *actor,
              wn_assign_result *res)
{
    memset(res, 0, sizeof *res);
    if (!wn_screen_valid_stage(o->stage))
        return wn_screen_bad_stage(p, o->stage);
    if (!o->n_reviewers)
        return wn_err_set(&p->err, WN_EINVAL, "assign needs at least one reviewer");
    if (o->per_unit == 0 || o->per_unit > o->n_reviewers)
        return wn_err_set(&p->err, WN_EINVAL,
                          "cannot give each unit %u distinct reviewers out of %zu",
                          o->per_unit, o->n_reviewers);
    int rc = check_reviewers(p, o->reviewers, o->n_reviewers);
    if (rc || (rc = wn_screen_begin(p)))
        return rc;
    char at[32];
    wn_utc_now(at);
    int is_ft = !strcmp(o->stage, "ft");
    int64_t existing = 0, *units = NULL;
    size_t n = 0;
    if (is_ft)
        rc = wn_screen_seek_reports(p, at, &res->reports_created);
    if (!rc)
        rc = count_of(p, "SELECT count(*) FROM assignment WHERE stage = ?", o->stage, &existing);
    if (!rc && existing && !o->only_new)
        rc = wn_err_set(&p->err, WN_EEXISTS,
                        "stage %s already has %lld assignments in '%s' (use --only-new to "
                        "allocate only units added since)",
                        o->stage, (long long)existing, p->path);
    if (!rc)
        rc = read_ids(p,
                      is_ft ? "SELECT id FROM report WHERE status <> 'not_retrieved'"
                              " AND id NOT IN (SELECT unit_id FROM assignment WHERE stage = 'ft')"
                              " ORDER BY id"
                            : "SELECT DISTINCT unit_id FROM unit_member"
                              " WHERE unit_id NOT IN (SELECT unit_id FROM rule_exclusion)"
                              " AND unit_id NOT IN (SELECT unit_id FROM assignment"
                              "  WHERE stage = 'ta') ORDER BY unit_id",
                      &units, &n);
    if (!rc && n)
        rc = allocate_units(p, o, units, n, at, res);
    if (!rc) {
        if (n)
            qsort(units, n, sizeof *units, by_id);
        wn_buf summary = WN_BUF_INIT;
        summary.limit = 4096;
        wn_buf_printf(&summary, "%s: %zu units allocated to ", o->stage, n);
        for (size_t i = 0; i < o->n_reviewers; i++)
            wn_buf_printf(&summary, "%s%s", i ? "," : "", o->reviewers[i]);
        wn_buf_printf(&summary, " (%u per unit, seed %llu, %zu calibration%s",
                      o->per_unit, (unsigned long long)o->seed, res->calibration,
                      o->only_new ? ", only new" : "");
        for (size_t i = 0; o->shares && i < o->n_reviewers; i++)
            wn_buf_printf(&summary, "%s%s=%g", i ? "," : ", shares ", o->reviewers[i],
                          o->shares[i]);
        if (is_ft)
            wn_buf_printf(&summary, ", %zu reports sought", res->reports_created);
        wn_buf_puts(&summary, ")");
        rc = wn_screen_commit(p, actor, summary.data ? summary.data : "assign");
        wn_buf_free(&summary);
    } else {
        wn_tx_rollback(p);
    }
    free(units);
    if (rc)
        memset(res, 0, sizeof *res);
    return rc;
}

/* ---- a reviewer leaves ------------------------------------------------- */

typedef struct target {
    const char *handle;
    int64_t load[2]; /* assignments at ta, ft */
} target;

static int load_targets(wn_project *p, const char *leaver, const char *const *to, size_t n_to,
                        target **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s;
    int rc = wn_screen_prepare(
        p,
        "SELECT handle, left_at,"
        " (SELECT count(*) FROM assignment a WHERE a.reviewer = r.handle AND a.stage = 'ta'),"
        " (SELECT count(*) FROM assignment a WHERE a.reviewer = r.handle AND a.stage = 'ft')"
        " FROM reviewer r ORDER BY handle",
        &s, "cannot read reviewers");
    if (rc)
        return rc;
    /* Handles are kept in the statement's memory only while it runs, so
     * the chosen ones are looked up again from the caller's strings. */
    target *t = calloc(n_to ? n_to : 256, sizeof *t);
    if (!t) {
        sqlite3_finalize(s);
        return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    }
    size_t cap = n_to ? n_to : 256, found = 0;
    while (!rc && sqlite3_step(s) == SQLITE_ROW) {
        const char *h = (const char *)sqlite3_column_text(s, 0);
        int active = sqlite3_column_type(s, 1) == SQLITE_NULL;
        if (!strcmp(h, leaver))
            continue;
        const char *keep = NULL;
        if (n_to) {
            for (size_t i = 0; i < n_to; i++)
                if (!strcmp(to[i], h))
                    keep = to[i];
            if (keep && !active)
                rc = wn_err_set(&p->err, WN_EINVAL, "reviewer '%s' has left the review", h);
        } else if (active) {
            keep = wn_strdup(h);
            if (!keep)
                rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
        }
        if (!keep || rc)
            continue;
        if (found == cap) {
            target *grown = realloc(t, 2 * cap * sizeof *grown);
            if (!grown) {
                rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
                break;
            }
            t = grown;
            cap *= 2;
        }
        t[found].handle = keep;
        t[found].load[0] = sqlite3_column_int64(s, 2);
        t[found].load[1] = sqlite3_column_int64(s, 3);
        found++;
    }
    sqlite3_finalize(s);
    for (size_t i = 0; !rc && i < n_to; i++) {
        int ok = !strcmp(to[i], leaver) ? 0 : 1;
        int listed = 0;
        for (size_t j = 0; j < found; j++)
            listed |= t[j].handle == to[i];
        if (!ok)
            rc = wn_err_set(&p->err, WN_EINVAL, "'%s' cannot take over their own work", leaver);
        else if (!listed)
            rc = wn_err_set(&p->err, WN_ENOTFOUND,
                            "unknown reviewer '%s' (see 'winnow reviewer add')", to[i]);
    }
    if (rc) {
        if (!n_to)
            for (size_t i = 0; i < found; i++)
                free((char *)t[i].handle);
        free(t);
        return rc;
    }
    *out = t;
    *n = found;
    return 0;
}

int wn_reviewer_leave(wn_project *p, const char *handle, const char *const *to, size_t n_to,
                      const wn_actor *actor, size_t *moved)
{
    if (moved)
        *moved = 0;
    sqlite3_stmt *work = NULL, *on_unit = NULL, *del = NULL, *ins = NULL, *gone = NULL;
    target *t = NULL;
    size_t n_t = 0, n_moved = 0;
    int rc = check_reviewers(p, &handle, 1);
    if (rc || (rc = load_targets(p, handle, to, n_to, &t, &n_t)))
        return rc;
    if ((rc = wn_screen_prepare(
             p,
             "SELECT a.stage, a.unit_id, a.calibration FROM assignment a WHERE a.reviewer = ?1"
             " AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.stage = a.stage"
             "  AND d.unit_id = a.unit_id AND d.reviewer = ?1 AND d.kind = 'vote')"
             " ORDER BY a.stage DESC, a.unit_id",
             &work, "cannot read assignments")) ||
        (rc = wn_screen_prepare(p,
                                "SELECT 1 FROM assignment WHERE stage = ? AND unit_id = ?"
                                " AND reviewer = ?",
                                &on_unit, "cannot read assignments")) ||
        (rc = wn_screen_prepare(p,
                                "DELETE FROM assignment WHERE stage = ? AND unit_id = ?"
                                " AND reviewer = ?",
                                &del, "cannot move assignments")) ||
        (rc = wn_screen_prepare(p,
                                "INSERT INTO assignment(stage, unit_id, reviewer, calibration,"
                                " assigned_at) VALUES (?, ?, ?, ?, ?)",
                                &ins, "cannot move assignments")) ||
        (rc = wn_screen_prepare(p, "UPDATE reviewer SET left_at = ? WHERE handle = ?", &gone,
                                "cannot update the reviewer")) ||
        (rc = wn_screen_begin(p)))
        goto done;
    char at[32];
    wn_utc_now(at);
    sqlite3_bind_text(work, 1, handle, -1, SQLITE_STATIC);
    /* The work list is read whole first: the loop below changes the table. */
    int64_t(*items)[3] = NULL;
    size_t n_items = 0, cap = 0;
    while (!rc && sqlite3_step(work) == SQLITE_ROW) {
        if (n_items == cap) {
            cap = cap ? cap * 2 : 256;
            void *grown = realloc(items, cap * sizeof *items);
            if (!grown) {
                rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
                break;
            }
            items = grown;
        }
        items[n_items][0] = !strcmp((const char *)sqlite3_column_text(work, 0), "ft");
        items[n_items][1] = sqlite3_column_int64(work, 1);
        items[n_items][2] = sqlite3_column_int64(work, 2);
        n_items++;
    }
    sqlite3_reset(work);
    for (size_t i = 0; i < n_items && !rc; i++) {
        int ft = (int)items[i][0];
        const char *stage = ft ? "ft" : "ta";
        size_t best = n_t;
        for (size_t j = 0; j < n_t; j++) {
            sqlite3_bind_text(on_unit, 1, stage, -1, SQLITE_STATIC);
            sqlite3_bind_int64(on_unit, 2, items[i][1]);
            sqlite3_bind_text(on_unit, 3, t[j].handle, -1, SQLITE_STATIC);
            int busy = sqlite3_step(on_unit) == SQLITE_ROW;
            sqlite3_reset(on_unit);
            if (!busy && (best == n_t || t[j].load[ft] < t[best].load[ft]))
                best = j;
        }
        if (best == n_t) {
            rc = wn_err_set(&p->err, WN_EINVAL,
                            "no one can take over %s unit %lld from '%s': every other "
                            "reviewer named is already on it",
                            stage, (long long)items[i][1], handle);
            break;
        }
        t[best].load[ft]++;
        sqlite3_bind_text(del, 1, stage, -1, SQLITE_STATIC);
        sqlite3_bind_int64(del, 2, items[i][1]);
        sqlite3_bind_text(del, 3, handle, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 1, stage, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 2, items[i][1]);
        sqlite3_bind_text(ins, 3, t[best].handle, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 4, items[i][2]);
        sqlite3_bind_text(ins, 5, at, -1, SQLITE_STATIC);
        if (!(rc = wn_screen_run(p, del, "cannot move assignments")))
            rc = wn_screen_run(p, ins, "cannot move assignments");
        n_moved++;
    }
    free(items);
    if (!rc) {
        sqlite3_bind_text(gone, 1, at, -1, SQLITE_STATIC);
        sqlite3_bind_text(gone, 2, handle, -1, SQLITE_STATIC);
        rc = wn_screen_run(p, gone, "cannot update the reviewer");
    }
    if (rc) {
        wn_tx_rollback(p);
    } else {
        char summary[256];
        snprintf(summary, sizeof summary, "reviewer '%s' left; %zu unfinished assignments moved",
                 handle, n_moved);
        rc = wn_screen_commit(p, actor, summary);
    }
    if (!rc && moved)
        *moved = n_moved;
done:
    if (!n_to)
        for (size_t i = 0; i < n_t; i++)
            free((char *)t[i].handle);
    free(t);
    sqlite3_finalize(work);
    sqlite3_finalize(on_unit);
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    sqlite3_finalize(gone);
    return rc;
}
