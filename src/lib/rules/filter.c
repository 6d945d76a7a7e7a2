/* Applying a rule file to a project: one run replaces every automated
 * exclusion and highlight of the run before it, in one transaction with its
 * audit row; explaining a unit from the latest run; highlights for the
 * screening views. Human screening decisions live elsewhere and are never
 * read or written here. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "rules/rules_impl.h"
#include "store/db.h"
#include "winnow/units.h"

static int prepare(wn_project *p, const char *sql, sqlite3_stmt **s)
{
    if (sqlite3_prepare_v2(p->db, sql, -1, s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read the rule runs");
    return 0;
}

/* Names of the sources a unit's members came from (owned by the list). */
typedef struct source_names {
    char **v;
    size_t n, cap;
} source_names;

static void names_clear(source_names *sn)
{
    for (size_t i = 0; i < sn->n; i++)
        free(sn->v[i]);
    sn->n = 0;
}

static void names_free(source_names *sn)
{
    names_clear(sn);
    free(sn->v);
}

/* Replaces sn with the source names of unit_id; *stmt is prepared on first
 * use and kept for the next units (the caller finalizes it). */
static int names_load(wn_project *p, sqlite3_stmt **stmt, source_names *sn, int64_t unit_id)
{
    names_clear(sn);
    if (!*stmt &&
        prepare(p,
                "SELECT DISTINCT s.name FROM record r JOIN source s ON s.id = r.source_id"
                " WHERE r.id = ?1 OR r.id IN"
                " (SELECT record_id FROM cluster_member WHERE cluster_id = ?1)",
                stmt))
        return WN_EDB;
    sqlite3_stmt *s = *stmt;
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, unit_id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (sn->n == sn->cap) {
            size_t cap = sn->cap ? sn->cap * 2 : 4;
            char **grown = realloc(sn->v, cap * sizeof *grown);
            if (!grown)
                return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
            sn->v = grown;
            sn->cap = cap;
        }
        if (!(sn->v[sn->n] = wn_strdup((const char *)sqlite3_column_text(s, 0))))
            return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
        sn->n++;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : wn_db_fail(p, "cannot read the sources of units");
}

/* ---- a run ------------------------------------------------------------- */

/* Units are read from the project on the calling thread, a batch at a
 * time, evaluated on several threads, then counted and stored in unit
 * order, so a run's results do not depend on the number of threads. */
#define RUN_BATCH 1024

/* A unit read and waiting for evaluation (memory reused across batches). */
typedef struct pending {
    int64_t unit_id;
    wn_record *merged;
    source_names names;
} pending;

typedef struct run_state {
    wn_project *p;
    wn_rules *rules;
    wn_rules_batch *batch;
    wn_filter_result *res;
    sqlite3_stmt *names_stmt;
    pending units[RUN_BATCH];
    wn_rules_unit in[RUN_BATCH];
    size_t n_pending;
    int dry_run;
    int64_t run_id;
    sqlite3_stmt *ins_excl, *ins_match;
} run_state;

static int store_unit(run_state *st, size_t i)
{
    wn_project *p = st->p;
    int64_t unit_id = st->units[i].unit_id;
    long by = wn_rules_batch_excluded_by(st->batch, i);
    if (by >= 0) {
        wn_rule_info info = wn_rules_info(st->rules, (size_t)by);
        sqlite3_stmt *s = st->ins_excl;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, unit_id);
        sqlite3_bind_int64(s, 2, st->run_id);
        sqlite3_bind_text(s, 3, info.name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, info.reason, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, info.other ? "other" : "automation", -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE)
            return wn_db_fail(p, "cannot store the exclusions");
    }
    size_t n;
    const wn_rule_span *sp = wn_rules_batch_spans(st->batch, i, &n);
    for (size_t k = 0; k < n; k++) {
        sqlite3_stmt *s = st->ins_match;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, unit_id);
        sqlite3_bind_int64(s, 2, st->run_id);
        sqlite3_bind_text(s, 3, wn_rules_info(st->rules, sp[k].rule).name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, wn_field_name(sp[k].field), -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 5, (int64_t)sp[k].index);
        sqlite3_bind_int64(s, 6, (int64_t)sp[k].start);
        sqlite3_bind_int64(s, 7, (int64_t)sp[k].end);
        sqlite3_bind_int(s, 8, sp[k].negative);
        if (sqlite3_step(s) != SQLITE_DONE)
            return wn_db_fail(p, "cannot store the highlights");
    }
    return 0;
}

/* Evaluates the pending units, then counts and stores them in order. */
static int flush_units(run_state *st)
{
    size_t n = st->n_pending;
    st->n_pending = 0;
    for (size_t i = 0; i < n; i++)
        st->in[i] = (wn_rules_unit){st->units[i].merged,
                                    (const char *const *)st->units[i].names.v,
                                    st->units[i].names.n};
    if (wn_rules_batch_eval(st->batch, st->in, n, st->dry_run ? 0 : WN_RULES_SPANS))
        return wn_err_set(&st->p->err, WN_ENOMEM, "out of memory");
    wn_filter_result *res = st->res;
    for (size_t i = 0; i < n; i++) {
        res->units++;
        for (size_t k = 0; k < st->rules->n_rules; k++)
            res->counts[k].matched += wn_rules_batch_matched(st->batch, i, k);
        long by = wn_rules_batch_excluded_by(st->batch, i);
        if (by >= 0) {
            res->counts[by].excluded++;
            res->excluded++;
        } else {
            res->kept++;
        }
        int rc = st->dry_run ? 0 : store_unit(st, i);
        if (rc)
            return rc;
    }
    return 0;
}

/* Copies a unit (valid only during the call) to the pending batch. */
static int read_one(void *ctx, int64_t unit_id, const wn_record *merged, size_t members)
{
    (void)members;
    run_state *st = ctx;
    pending *u = &st->units[st->n_pending];
    if (!u->merged && !(u->merged = wn_record_new()))
        return wn_err_set(&st->p->err, WN_ENOMEM, "out of memory");
    if (wn_record_copy(u->merged, merged))
        return wn_err_set(&st->p->err, WN_ENOMEM, "out of memory");
    u->unit_id = unit_id;
    names_clear(&u->names);
    int rc = st->rules->use_sources ? names_load(st->p, &st->names_stmt, &u->names, unit_id)
                                    : 0;
    if (rc)
        return rc;
    return ++st->n_pending == RUN_BATCH ? flush_units(st) : 0;
}

static void run_state_free(run_state *st)
{
    for (size_t i = 0; i < RUN_BATCH; i++) {
        wn_record_free(st->units[i].merged);
        names_free(&st->units[i].names);
    }
    sqlite3_finalize(st->names_stmt);
    sqlite3_finalize(st->ins_excl);
    sqlite3_finalize(st->ins_match);
    wn_rules_batch_free(st->batch);
    free(st);
}

static char *inputs_json(const wn_rules *r)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < r->n_files; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddStringToObject(o, i ? "include" : "rules", r->files[i].path);
        cJSON_AddStringToObject(o, "sha256", r->files[i].sha256);
        cJSON_AddItemToArray(arr, o);
    }
    char *s = arr ? cJSON_PrintUnformatted(arr) : NULL;
    cJSON_Delete(arr);
    return s;
}

/* Deletes the previous run's results and records this run and its files. */
static int start_run(run_state *st)
{
    wn_project *p = st->p;
    sqlite3_stmt *s = NULL;
    int rc = prepare(p, "SELECT count(*) FROM rule_exclusion", &s);
    if (rc)
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW)
        st->res->replaced = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if ((rc = wn_db_exec(p, "DELETE FROM rule_exclusion; DELETE FROM rule_match;")))
        return rc;
    char at[32];
    wn_utc_now(at);
    const rl_file *main_file = &st->rules->files[0];
    if ((rc = prepare(p, "INSERT INTO rule_run (at, path, sha256, text) VALUES (?, ?, ?, ?)",
                      &s)))
        return rc;
    sqlite3_bind_text(s, 1, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, main_file->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, main_file->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, main_file->text, -1, SQLITE_STATIC);
    rc = sqlite3_step(s) == SQLITE_DONE ? 0 : wn_db_fail(p, "cannot store the rule run");
    sqlite3_finalize(s);
    if (rc)
        return rc;
    st->run_id = sqlite3_last_insert_rowid(p->db);
    st->res->run_id = st->run_id;
    if ((rc = prepare(p,
                      "INSERT INTO rule_file (run_id, ord, path, sha256, text)"
                      " VALUES (?, ?, ?, ?, ?)",
                      &s)))
        return rc;
    for (size_t i = 0; i < st->rules->n_files && !rc; i++) {
        const rl_file *f = &st->rules->files[i];
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, st->run_id);
        sqlite3_bind_int64(s, 2, (int64_t)i);
        sqlite3_bind_text(s, 3, f->path, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, f->sha256, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, f->text, -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = wn_db_fail(p, "cannot store the rule files");
    }
    sqlite3_finalize(s);
    if (!rc)
        rc = prepare(p,
                     "INSERT INTO rule_exclusion (unit_id, run_id, rule, reason, box)"
                     " VALUES (?, ?, ?, ?, ?)",
                     &st->ins_excl);
    if (!rc)
        rc = prepare(p,
                     "INSERT INTO rule_match (unit_id, run_id, rule, field, idx, start, end,"
                     " negative) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     &st->ins_match);
    return rc;
}

static int finish_run(run_state *st, const wn_actor *actor)
{
    char *inputs = inputs_json(st->rules);
    if (!inputs)
        return wn_err_set(&st->p->err, WN_ENOMEM, "out of memory");
    wn_buf summary = WN_BUF_INIT;
    int rc = wn_buf_printf(&summary,
                           "applied rules '%s' (sha256 %.12s): %lld of %lld units excluded, "
                           "%lld earlier automated exclusions replaced",
                           st->rules->files[0].path, st->rules->files[0].sha256,
                           (long long)st->res->excluded, (long long)st->res->units,
                           (long long)st->res->replaced);
    if (rc)
        rc = wn_err_set(&st->p->err, WN_ENOMEM, "out of memory");
    else
        rc = wn_audit_append(st->p, actor, inputs, summary.data);
    cJSON_free(inputs);
    wn_buf_free(&summary);
    return rc;
}

int wn_filter_run(wn_project *p, const char *path, int dry_run, const wn_actor *actor,
                  wn_filter_result *res, wn_rule_diags *diags)
{
    memset(res, 0, sizeof *res);
    int rc = wn_rules_load(path, &res->rules, diags);
    if (rc == WN_EPARSE)
        return wn_err_set(&p->err, rc, "rule file '%s' has errors", path);
    if (rc)
        return wn_err_set(&p->err, rc, "cannot read rule file '%s'", path);
    /* Large (a batch of units): on the heap. */
    run_state *st = calloc(1, sizeof *st);
    if (!st)
        return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    st->p = p;
    st->rules = res->rules;
    st->res = res;
    st->dry_run = dry_run;
    res->counts = calloc(res->rules->n_rules + 1, sizeof *res->counts);
    st->batch = wn_rules_batch_new(res->rules, 0);
    if (!res->counts || !st->batch) {
        run_state_free(st);
        return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    }
    if (!dry_run && (rc = wn_tx_begin(p)) != 0) {
        run_state_free(st);
        return rc;
    }
    if (!dry_run)
        rc = start_run(st);
    if (!rc)
        rc = wn_units_each(p, read_one, st);
    if (!rc && st->n_pending)
        rc = flush_units(st);
    for (size_t i = 0; i < res->rules->n_rules; i++)
        res->counts[i].limit_hits = wn_rules_batch_limit_hits(st->batch, i);
    if (!dry_run) {
        if (!rc)
            rc = finish_run(st, actor);
        if (!rc)
            rc = wn_tx_commit(p);
        if (rc) {
            wn_tx_rollback(p);
            res->run_id = 0;
        }
    }
    run_state_free(st);
    return rc;
}

void wn_filter_result_free(wn_filter_result *res)
{
    wn_rules_free(res->rules);
    free(res->counts);
    memset(res, 0, sizeof *res);
}

/* ---- explaining a unit ---------------------------------------------------- */

typedef struct stored_files {
    char **path, **text;
    size_t n;
} stored_files;

static int read_stored(void *ctx, const char *path, char **text, size_t *len, wn_err *err)
{
    stored_files *sf = ctx;
    for (size_t i = 0; i < sf->n; i++)
        if (!strcmp(sf->path[i], path)) {
            *len = strlen(sf->text[i]);
            *text = wn_strdup(sf->text[i]);
            return *text ? 0 : wn_err_set(err, WN_ENOMEM, "out of memory");
        }
    return wn_err_set(err, WN_ENOTFOUND, "'%s' was not stored with the run", path);
}

static void stored_free(stored_files *sf)
{
    for (size_t i = 0; i < sf->n; i++) {
        free(sf->path[i]);
        free(sf->text[i]);
    }
    free(sf->path);
    free(sf->text);
}

static int load_stored(wn_project *p, int64_t run_id, stored_files *sf)
{
    sqlite3_stmt *s;
    int rc = prepare(p, "SELECT path, text FROM rule_file WHERE run_id = ? ORDER BY ord", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, run_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        char **a = realloc(sf->path, (sf->n + 1) * sizeof *a);
        if (a)
            sf->path = a;
        char **b = a ? realloc(sf->text, (sf->n + 1) * sizeof *b) : NULL;
        if (b)
            sf->text = b;
        if (!a || !b)
            break;
        sf->path[sf->n] = wn_strdup((const char *)sqlite3_column_text(s, 0));
        sf->text[sf->n] = wn_strdup((const char *)sqlite3_column_text(s, 1));
        sf->n++;
        if (!sf->path[sf->n - 1] || !sf->text[sf->n - 1])
            break;
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW)
        return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    if (rc != SQLITE_DONE)
        return wn_db_fail(p, "cannot read the rule files of the run");
    if (sf->n == 0)
        return wn_err_set(&p->err, WN_ENOTFOUND, "the rule run %lld stored no files",
                          (long long)run_id);
    return 0;
}

static int latest_run(wn_project *p, wn_explain *x)
{
    sqlite3_stmt *s;
    int rc = prepare(p, "SELECT id, path, sha256 FROM rule_run ORDER BY id DESC LIMIT 1", &s);
    if (rc)
        return rc;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        x->run_id = sqlite3_column_int64(s, 0);
        x->path = wn_strdup((const char *)sqlite3_column_text(s, 1));
        x->sha256 = wn_strdup((const char *)sqlite3_column_text(s, 2));
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE)
        return wn_err_set(&p->err, WN_ENOTFOUND,
                          "no rule file has been applied yet (run 'winnow filter FILE')");
    if (rc != SQLITE_ROW)
        return wn_db_fail(p, "cannot read the rule runs");
    return x->path && x->sha256 ? 0 : wn_err_set(&p->err, WN_ENOMEM, "out of memory");
}

int wn_filter_explain(wn_project *p, int64_t id, wn_explain *x)
{
    memset(x, 0, sizeof *x);
    x->excluded_by = -1;
    stored_files sf = {0};
    source_names names = {0};
    sqlite3_stmt *names_stmt = NULL;
    wn_rules_eval *ev = NULL;
    int rc = wn_unit_of_record(p, id, &x->unit_id);
    if (!rc)
        rc = latest_run(p, x);
    if (!rc)
        rc = load_stored(p, x->run_id, &sf);
    if (!rc) {
        wn_rule_diags diags = {NULL, 0};
        rc = wn_rules_compile(sf.path[0], sf.text[0], strlen(sf.text[0]), read_stored, &sf,
                              &x->rules, &diags);
        if (rc)
            rc = wn_err_set(&p->err, rc, "the stored rule file '%s' no longer compiles%s%s",
                            sf.path[0], diags.n ? ": " : "",
                            diags.n ? diags.items[0].message : "");
        wn_rule_diags_free(&diags);
    }
    if (!rc && !(x->merged = wn_record_new()))
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    if (!rc)
        rc = wn_unit_load(p, x->unit_id, x->merged);
    if (!rc && x->rules->use_sources)
        rc = names_load(p, &names_stmt, &names, x->unit_id);
    if (!rc && !(ev = wn_rules_eval_new(x->rules)))
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    if (!rc && wn_rules_eval_unit(ev, x->merged, (const char *const *)names.v, names.n,
                                  WN_RULES_SPANS))
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    if (!rc) {
        size_t n, k = x->rules->n_rules;
        const wn_rule_span *sp = wn_rules_eval_spans(ev, &n);
        x->matched = calloc(k + 1, 1);
        x->spans = malloc((n + 1) * sizeof *x->spans);
        if (!x->matched || !x->spans) {
            rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
        } else {
            for (size_t i = 0; i < k; i++)
                x->matched[i] = (unsigned char)wn_rules_eval_matched(ev, i);
            if (n) /* sp is NULL when nothing matched */
                memcpy(x->spans, sp, n * sizeof *sp);
            x->n_spans = n;
            x->excluded_by = wn_rules_eval_excluded_by(ev);
        }
    }
    wn_rules_eval_free(ev);
    names_free(&names);
    sqlite3_finalize(names_stmt);
    stored_free(&sf);
    if (rc)
        wn_explain_free(x);
    return rc;
}

void wn_explain_free(wn_explain *x)
{
    free(x->path);
    free(x->sha256);
    wn_rules_free(x->rules);
    free(x->matched);
    free(x->spans);
    wn_record_free(x->merged);
    memset(x, 0, sizeof *x);
    x->excluded_by = -1;
}

/* ---- highlights ------------------------------------------------------------ */

int wn_rules_unit_highlights(wn_project *p, int64_t unit_id, wn_highlight **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s;
    int rc = prepare(p,
                     "SELECT rule, field, idx, start, end, negative FROM rule_match"
                     " WHERE unit_id = ? ORDER BY rowid",
                     &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, unit_id);
    size_t cap = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int f = wn_field_by_name((const char *)sqlite3_column_text(s, 1));
        if (f < 0)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            wn_highlight *grown = realloc(*out, cap * sizeof *grown);
            if (!grown)
                break;
            *out = grown;
        }
        wn_highlight *h = &(*out)[*n];
        h->rule = wn_strdup((const char *)sqlite3_column_text(s, 0));
        if (!h->rule)
            break;
        h->field = (wn_field)f;
        h->index = (size_t)sqlite3_column_int64(s, 2);
        h->start = (size_t)sqlite3_column_int64(s, 3);
        h->end = (size_t)sqlite3_column_int64(s, 4);
        h->negative = sqlite3_column_int(s, 5);
        (*n)++;
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE)
        return 0;
    wn_highlights_free(*out, *n);
    *out = NULL;
    *n = 0;
    if (rc == SQLITE_ROW)
        return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
    return wn_db_fail(p, "cannot read the highlights");
}

void wn_highlights_free(wn_highlight *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(h[i].rule);
    free(h);
}
