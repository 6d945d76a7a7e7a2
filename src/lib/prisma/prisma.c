/* The PRISMA 2020 counts: read from the ledger in one snapshot, checked.
 *
 * Large sets (rule exclusions, title/abstract outcomes) are read in unit
 * order and matched against sorted id arrays, so the cost is a few passes
 * over indexes rather than one lookup per row. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prisma/prisma_impl.h"
#include "store/db.h"
#include "winnow/screening.h"

/* ---- small helpers ------------------------------------------------- */

typedef struct ids {
    int64_t *v;
    size_t n, cap;
} ids;

static int ids_push(ids *a, int64_t x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        int64_t *v = realloc(a->v, cap * sizeof *v);
        if (!v)
            return WN_ENOMEM;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return 0;
}

/* Index of x in the ascending array, or -1. */
static ptrdiff_t ids_find(const ids *a, int64_t x)
{
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->v[mid] < x)
            lo = mid + 1;
        else if (a->v[mid] > x)
            hi = mid;
        else
            return (ptrdiff_t)mid;
    }
    return -1;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int wn_prisma_list_add(wn_prisma_list *l, const char *name, int64_t n)
{
    for (size_t i = 0; i < l->len; i++)
        if (!strcmp(l->items[i].name, name)) {
            l->items[i].n += n;
            return 0;
        }
    wn_prisma_item *items = realloc(l->items, (l->len + 1) * sizeof *items);
    if (!items)
        return WN_ENOMEM;
    l->items = items;
    if (!(items[l->len].name = wn_strdup(name)))
        return WN_ENOMEM;
    items[l->len++].n = n;
    return 0;
}

static void list_free(wn_prisma_list *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i].name);
    free(l->items);
    l->items = NULL;
    l->len = 0;
}

static int by_count_then_name(const void *a, const void *b)
{
    const wn_prisma_item *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void list_sort_by_count(wn_prisma_list *l)
{
    if (l->len > 1)
        qsort(l->items, l->len, sizeof *l->items, by_count_then_name);
}

/* Units (or reports) at fault for one invariant, named in its message. */
#define FAULT_SHOWN 10
typedef struct fault {
    const char *what; /* "rule exclusions of ids that are not units" */
    int64_t id[FAULT_SHOWN], other[FAULT_SHOWN];
    size_t n;
} fault;

static void fault_add(fault *f, int64_t id, int64_t other)
{
    if (f->n < FAULT_SHOWN) {
        f->id[f->n] = id;
        f->other[f->n] = other;
    }
    f->n++;
}

static int add_violation(wn_prisma *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int add_violation(wn_prisma *c, const char *fmt, ...)
{
    wn_buf b = WN_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    int rc = wn_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char **v = rc ? NULL : realloc(c->violations, (c->n_violations + 1) * sizeof *v);
    if (!v) {
        wn_buf_free(&b);
        return WN_ENOMEM;
    }
    c->violations = v;
    v[c->n_violations++] = wn_buf_detach(&b);
    return v[c->n_violations - 1] ? 0 : WN_ENOMEM;
}

/* "what: 5, 9 (unit 3), ... and 12 more"; label names the paired id. */
static int fault_report(wn_prisma *c, const fault *f, const char *label)
{
    if (!f->n)
        return 0;
    wn_buf b = WN_BUF_INIT;
    int rc = wn_buf_printf(&b, "%s: ", f->what);
    size_t shown = f->n < FAULT_SHOWN ? f->n : FAULT_SHOWN;
    for (size_t i = 0; !rc && i < shown; i++) {
        rc = wn_buf_printf(&b, "%s%lld", i ? ", " : "", (long long)f->id[i]);
        if (!rc && label)
            rc = wn_buf_printf(&b, " (%s %lld)", label, (long long)f->other[i]);
    }
    if (!rc && f->n > shown)
        rc = wn_buf_printf(&b, " and %zu more", f->n - shown);
    if (!rc)
        rc = add_violation(c, "%s", b.data);
    wn_buf_free(&b);
    return rc;
}

static int step_fail(wn_project *p, sqlite3_stmt *s, const char *doing)
{
    int rc = wn_db_fail(p, doing);
    sqlite3_finalize(s);
    return rc;
}

static int prepare(wn_project *p, const char *sql, sqlite3_stmt **s, const char *doing)
{
    if (sqlite3_prepare_v2(p->db, sql, -1, s, NULL) != SQLITE_OK)
        return wn_db_fail(p, doing);
    return 0;
}

/* One integer from constant SQL. */
static int query_i64(wn_project *p, const char *sql, int64_t *out)
{
    sqlite3_stmt *s;
    int rc = prepare(p, sql, &s, "cannot count");
    if (rc)
        return rc;
    if (sqlite3_step(s) != SQLITE_ROW)
        return step_fail(p, s, "cannot count");
    *out = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return 0;
}

/* ---- the computation ------------------------------------------------ */

typedef struct report_row {
    int64_t id, unit, study;
    int arm;
    int status;  /* 0 sought, 1 retrieved, 2 not_retrieved */
    int outcome; /* -1: no full-text outcome yet, else wn_outcome */
    char *reason;
} report_row;

typedef struct state {
    wn_project *p;
    wn_prisma *c;
    ids other_units;  /* units of the other-methods arm, ascending */
    ids nonhead;      /* records that are members but not heads of clusters */
    ids rule_units;   /* units excluded by rules, ascending */
    ids ta_included;  /* units included at title/abstract, ascending */
    int64_t max_record, min_record, n_records;
    int dense;        /* record ids run min..max without holes */
    report_row *reports;
    size_t n_reports;
    fault not_unit_rule, not_unit_ta, rule_and_included, orphan_report, ft_unknown,
        ft_unretrieved, head_in_other;
} state;

static int arm_of_unit(const state *st, int64_t unit)
{
    return st->other_units.n && ids_find(&st->other_units, unit) >= 0 ? WN_PRISMA_OTHER
                                                                      : WN_PRISMA_DBR;
}

static int is_record(state *st, int64_t id)
{
    if (id < st->min_record || id > st->max_record)
        return 0;
    if (st->dense)
        return 1;
    sqlite3_stmt *s;
    if (prepare(st->p, "SELECT 1 FROM record WHERE id = ?", &s, "cannot read records"))
        return 1;
    sqlite3_bind_int64(s, 1, id);
    int found = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    return found;
}

/* A unit is a record that is not a non-head member of a cluster. */
static int is_unit(state *st, int64_t id)
{
    return is_record(st, id) && ids_find(&st->nonhead, id) < 0;
}

static int is_dbr_kind(const char *kind)
{
    return !strcmp(kind, "database") || !strcmp(kind, "register");
}

/* Records identified, per source name within each kind. */
static int read_sources(state *st)
{
    wn_prisma *c = st->c;
    sqlite3_stmt *s;
    int rc = prepare(st->p,
                     "SELECT s.id, s.name, s.kind, s.records,"
                     " (SELECT count(*) FROM record r WHERE r.source_id = s.id)"
                     " FROM source s ORDER BY s.id",
                     &s, "cannot read sources");
    int step;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        const char *name = (const char *)sqlite3_column_text(s, 1);
        const char *kind = (const char *)sqlite3_column_text(s, 2);
        int64_t said = sqlite3_column_int64(s, 3), n = sqlite3_column_int64(s, 4);
        if (said != n)
            rc = add_violation(c, "source '%s' (id %lld) reports %lld records but holds %lld",
                               name, (long long)id, (long long)said, (long long)n);
        int64_t *slot = &c->other_kind;
        wn_prisma_list *list = &c->other_sources;
        if (!strcmp(kind, "database"))
            slot = &c->databases, list = &c->database_sources;
        else if (!strcmp(kind, "register"))
            slot = &c->registers, list = &c->register_sources;
        else if (!strcmp(kind, "website"))
            slot = &c->websites;
        else if (!strcmp(kind, "organisation"))
            slot = &c->organisations;
        else if (!strcmp(kind, "citation"))
            slot = &c->citations;
        *slot += n;
        c->arm[is_dbr_kind(kind) ? WN_PRISMA_DBR : WN_PRISMA_OTHER].identified += n;
        c->records_total += n;
        if (!rc)
            rc = wn_prisma_list_add(list, name, n);
    }
    if (!rc && step != SQLITE_DONE)
        return step_fail(st->p, s, "cannot read sources");
    sqlite3_finalize(s);
    return rc;
}

/* Record id range, cluster members, and the units of the other arm: those
 * with no record from a database or register. */
static int read_units(state *st)
{
    int rc;
    if ((rc = query_i64(st->p, "SELECT coalesce(max(id), 0) FROM record", &st->max_record)) ||
        (rc = query_i64(st->p, "SELECT coalesce(min(id), 1) FROM record", &st->min_record)))
        return rc;
    st->n_records = st->c->records_total;
    st->dense = st->max_record - st->min_record + 1 == st->n_records;

    sqlite3_stmt *s;
    if ((rc = prepare(st->p,
                      "SELECT record_id, cluster_id FROM cluster_member"
                      " WHERE record_id <> cluster_id ORDER BY record_id",
                      &s, "cannot read clusters")))
        return rc;
    int step;
    ids heads = {0};
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW)
        if (!(rc = ids_push(&st->nonhead, sqlite3_column_int64(s, 0))))
            rc = ids_push(&heads, sqlite3_column_int64(s, 1));
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(st->p, "cannot read clusters");
    sqlite3_finalize(s);
    /* A cluster's head must itself be a unit, not another cluster's member. */
    for (size_t i = 0; !rc && i < heads.n; i++)
        if (!is_unit(st, heads.v[i]))
            fault_add(&st->head_in_other, st->nonhead.v[i], heads.v[i]);
    free(heads.v);
    if (rc)
        return rc;
    st->c->units_total = st->n_records - (int64_t)st->nonhead.n;

    if (st->c->arm[WN_PRISMA_OTHER].identified == 0)
        return 0;
    /* Driven from the few non-database sources through record_by_source:
     * their lone records, and the clusters they joined that hold no
     * database or register record (the head's own source included). */
    if ((rc = prepare(st->p,
                      "SELECT r.id FROM source s CROSS JOIN record r ON r.source_id = s.id"
                      " WHERE s.kind NOT IN ('database', 'register')"
                      " AND NOT EXISTS (SELECT 1 FROM cluster_member m WHERE m.record_id = r.id)"
                      " AND NOT EXISTS (SELECT 1 FROM cluster_member m WHERE m.cluster_id = r.id)"
                      " UNION"
                      " SELECT m.cluster_id FROM source s CROSS JOIN record r ON r.source_id = s.id"
                      " CROSS JOIN cluster_member m ON m.record_id = r.id"
                      " WHERE s.kind NOT IN ('database', 'register')"
                      " AND (SELECT s3.kind FROM record r3 JOIN source s3 ON s3.id = r3.source_id"
                      "  WHERE r3.id = m.cluster_id) NOT IN ('database', 'register')"
                      " AND NOT EXISTS (SELECT 1 FROM cluster_member m2"
                      "  CROSS JOIN record r2 ON r2.id = m2.record_id"
                      "  CROSS JOIN source s2 ON s2.id = r2.source_id"
                      "  WHERE m2.cluster_id = m.cluster_id"
                      "  AND s2.kind IN ('database', 'register'))",
                      &s, "cannot read units")))
        return rc;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW)
        rc = ids_push(&st->other_units, sqlite3_column_int64(s, 0));
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(st->p, "cannot read units");
    sqlite3_finalize(s);
    if (st->other_units.n > 1)
        qsort(st->other_units.v, st->other_units.n, sizeof(int64_t), cmp_i64);
    return rc;
}

/* Rule exclusions, by arm, box and reason. */
static int read_rule_exclusions(state *st)
{
    sqlite3_stmt *s;
    int rc = prepare(st->p, "SELECT unit_id, box, reason FROM rule_exclusion ORDER BY unit_id",
                     &s, "cannot read rule exclusions");
    int step;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t unit = sqlite3_column_int64(s, 0);
        const char *box = (const char *)sqlite3_column_text(s, 1);
        const char *reason = (const char *)sqlite3_column_text(s, 2);
        if (!is_unit(st, unit)) {
            fault_add(&st->not_unit_rule, unit, 0);
            continue;
        }
        wn_prisma_arm *a = &st->c->arm[arm_of_unit(st, unit)];
        int automation = !strcmp(box, "automation");
        if (automation)
            a->automation++;
        else
            a->removed_other++;
        rc = wn_prisma_list_add(automation ? &a->automation_reasons : &a->other_reasons,
                                reason && *reason ? reason : "(no reason recorded)", 1);
        if (!rc)
            rc = ids_push(&st->rule_units, unit);
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(st->p, "cannot read rule exclusions");
    sqlite3_finalize(s);
    return rc;
}

static int on_ta_outcome(void *ctx, const wn_unit_outcome *o)
{
    state *st = ctx;
    if (!is_unit(st, o->unit_id)) {
        fault_add(&st->not_unit_ta, o->unit_id, 0);
        return 0;
    }
    if (ids_find(&st->rule_units, o->unit_id) >= 0) {
        /* Rules removed it before screening; a reviewer's include would put it
         * in two boxes at once. */
        if (o->outcome == WN_OUTCOME_INCLUDE)
            fault_add(&st->rule_and_included, o->unit_id, 0);
        return 0;
    }
    wn_prisma_arm *a = &st->c->arm[arm_of_unit(st, o->unit_id)];
    switch (o->outcome) {
    case WN_OUTCOME_INCLUDE:
        a->ta_included++;
        return ids_push(&st->ta_included, o->unit_id);
    case WN_OUTCOME_EXCLUDE:
        a->excluded++;
        return o->reason && *o->reason ? wn_prisma_list_add(&a->ta_reasons, o->reason, 1) : 0;
    case WN_OUTCOME_CONFLICT:
        a->ta_conflict++;
        return 0;
    default:
        a->ta_pending++;
        return 0;
    }
}

static int read_reports(state *st)
{
    sqlite3_stmt *s;
    int rc = prepare(st->p, "SELECT id, unit_id, study_id, status FROM report ORDER BY id", &s,
                     "cannot read reports");
    int step;
    size_t cap = 0;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
        if (st->n_reports == cap) {
            cap = cap ? cap * 2 : 64;
            report_row *r = realloc(st->reports, cap * sizeof *r);
            if (!r) {
                rc = WN_ENOMEM;
                break;
            }
            st->reports = r;
        }
        report_row *r = &st->reports[st->n_reports++];
        r->id = sqlite3_column_int64(s, 0);
        r->unit = sqlite3_column_int64(s, 1);
        r->study = sqlite3_column_int64(s, 2);
        const char *status = (const char *)sqlite3_column_text(s, 3);
        r->status = !strcmp(status, "retrieved") ? 1 : !strcmp(status, "not_retrieved") ? 2 : 0;
        r->outcome = -1;
        r->reason = NULL;
        r->arm = arm_of_unit(st, r->unit);
        if (ids_find(&st->ta_included, r->unit) < 0)
            fault_add(&st->orphan_report, r->id, r->unit);
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(st->p, "cannot read reports");
    sqlite3_finalize(s);
    return rc;
}

/* Full-text votes on reports no one retrieved (the screening stage leaves
 * such reports out of its outcomes, so the votes are read here). */
static int check_unretrieved_decisions(state *st)
{
    sqlite3_stmt *s;
    int rc = prepare(st->p,
                     "SELECT DISTINCT r.id, r.unit_id FROM report r"
                     " JOIN decision d ON d.stage = 'ft' AND d.unit_id = r.id"
                     " WHERE r.status <> 'retrieved' AND d.decision <> 'maybe'"
                     " ORDER BY r.id",
                     &s, "cannot read full-text decisions");
    int step;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW)
        fault_add(&st->ft_unretrieved, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1));
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(st->p, "cannot read full-text decisions");
    sqlite3_finalize(s);
    return rc;
}

static report_row *find_report(state *st, int64_t id)
{
    size_t lo = 0, hi = st->n_reports;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->reports[mid].id < id)
            lo = mid + 1;
        else if (st->reports[mid].id > id)
            hi = mid;
        else
            return &st->reports[mid];
    }
    return NULL;
}

static int on_ft_outcome(void *ctx, const wn_unit_outcome *o)
{
    state *st = ctx;
    report_row *r = find_report(st, o->unit_id);
    if (!r) {
        fault_add(&st->ft_unknown, o->unit_id, 0);
        return 0;
    }
    if (r->status != 1)
        return 0; /* found by check_unretrieved_decisions */
    r->outcome = (int)o->outcome;
    if (o->reason && !(r->reason = wn_strdup(o->reason)))
        return WN_ENOMEM;
    return 0;
}

/* Number of distinct values in v[0..n) (sorts v). */
static int64_t distinct(int64_t *v, size_t n)
{
    if (!n)
        return 0;
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_i64);
    int64_t d = 1;
    for (size_t i = 1; i < n; i++)
        d += v[i] != v[i - 1];
    return d;
}

static int tally_reports(state *st)
{
    wn_prisma *c = st->c;
    ids studies[WN_PRISMA_ARMS] = {{0}}, all_studies = {0}, units_with_report = {0};
    int rc = 0;
    for (size_t i = 0; !rc && i < st->n_reports; i++) {
        report_row *r = &st->reports[i];
        wn_prisma_arm *a = &c->arm[r->arm];
        a->sought++;
        rc = ids_push(&units_with_report, r->unit);
        if (r->status == 2) {
            a->not_retrieved++;
        } else if (r->status == 0) {
            a->awaiting_retrieval++;
        } else {
            a->assessed++;
            if (r->outcome == WN_OUTCOME_INCLUDE) {
                a->reports_included++;
                if (!rc)
                    rc = ids_push(&studies[r->arm], r->study);
                if (!rc)
                    rc = ids_push(&all_studies, r->study);
            } else if (r->outcome == WN_OUTCOME_EXCLUDE) {
                a->reports_excluded++;
                if (!rc)
                    rc = wn_prisma_list_add(&a->report_reasons,
                                            r->reason && *r->reason ? r->reason
                                                                    : "(no reason recorded)",
                                            1);
            } else if (r->outcome == WN_OUTCOME_CONFLICT) {
                a->ft_conflict++;
            } else {
                a->ft_pending++;
            }
        }
    }
    if (!rc) {
        /* Units included at title/abstract for which no report is sought yet. */
        if (units_with_report.n > 1)
            qsort(units_with_report.v, units_with_report.n, sizeof(int64_t), cmp_i64);
        for (size_t i = 0; i < st->ta_included.n; i++)
            if (ids_find(&units_with_report, st->ta_included.v[i]) < 0)
                c->arm[arm_of_unit(st, st->ta_included.v[i])].included_waiting++;
        for (int k = 0; k < WN_PRISMA_ARMS; k++) {
            c->arm[k].studies_included = distinct(studies[k].v, studies[k].n);
            c->new_reports += c->arm[k].reports_included;
        }
        c->new_studies = distinct(all_studies.v, all_studies.n);
    }
    for (int k = 0; k < WN_PRISMA_ARMS; k++)
        free(studies[k].v);
    free(all_studies.v);
    free(units_with_report.v);
    return rc;
}

static int read_previous(state *st)
{
    sqlite3_stmt *s;
    int rc = prepare(st->p, "SELECT studies, reports FROM prisma_previous WHERE id = 1", &s,
                     "cannot read the previous review's numbers");
    if (rc)
        return rc;
    int step = sqlite3_step(s);
    wn_prisma *c = st->c;
    if (step == SQLITE_ROW) {
        c->has_previous = 1;
        c->previous_studies = sqlite3_column_int64(s, 0);
        c->previous_reports = sqlite3_column_int64(s, 1);
    } else if (step != SQLITE_DONE) {
        return step_fail(st->p, s, "cannot read the previous review's numbers");
    }
    sqlite3_finalize(s);
    c->total_studies = c->previous_studies + c->new_studies;
    c->total_reports = c->previous_reports + c->new_reports;
    if (c->has_previous && c->previous_reports < c->previous_studies)
        return add_violation(c,
                             "the previous review has %lld studies but only %lld reports"
                             " (every study has at least one report)",
                             (long long)c->previous_studies, (long long)c->previous_reports);
    return 0;
}

/* The boxes that follow from the counts read, and the checks between them. */
static int derive_and_check(state *st)
{
    wn_prisma *c = st->c;
    int rc = 0;
    c->complete = 1;
    int64_t units_other = (int64_t)st->other_units.n;
    c->arm[WN_PRISMA_OTHER].units = units_other;
    c->arm[WN_PRISMA_DBR].units = c->units_total - units_other;
    static const char *const arm_name[] = {"databases and registers", "other methods"};
    for (int k = 0; !rc && k < WN_PRISMA_ARMS; k++) {
        wn_prisma_arm *a = &c->arm[k];
        a->duplicates = a->identified - a->units;
        a->screened = a->units - a->automation - a->removed_other;
        /* Screened units without any outcome yet (never assigned) wait too. */
        int64_t decided = a->excluded + a->ta_included + a->ta_pending + a->ta_conflict;
        if (decided > a->screened)
            rc = add_violation(c, "%s: %lld units have title/abstract outcomes but only %lld"
                                  " were screened",
                               arm_name[k], (long long)decided, (long long)a->screened);
        else
            a->ta_pending += a->screened - decided;
        if (!rc && a->duplicates < 0)
            rc = add_violation(c, "%s: %lld units from only %lld records", arm_name[k],
                               (long long)a->units, (long long)a->identified);
        if (!rc && a->assessed != a->sought - a->not_retrieved - a->awaiting_retrieval)
            rc = add_violation(c, "%s: reports assessed %lld != sought %lld - not retrieved %lld"
                                  " - awaiting retrieval %lld",
                               arm_name[k], (long long)a->assessed, (long long)a->sought,
                               (long long)a->not_retrieved, (long long)a->awaiting_retrieval);
        list_sort_by_count(&a->automation_reasons);
        list_sort_by_count(&a->other_reasons);
        list_sort_by_count(&a->ta_reasons);
        list_sort_by_count(&a->report_reasons);
        if (a->ta_pending || a->ta_conflict || a->awaiting_retrieval || a->ft_pending ||
            a->ft_conflict || a->included_waiting)
            c->complete = 0;
    }
    struct {
        const fault *f;
        const char *label;
    } faults[] = {
        {&st->head_in_other, "in cluster"},
        {&st->not_unit_rule, NULL},
        {&st->not_unit_ta, NULL},
        {&st->rule_and_included, NULL},
        {&st->orphan_report, "unit"},
        {&st->ft_unknown, NULL},
        {&st->ft_unretrieved, "unit"},
    };
    for (size_t i = 0; !rc && i < sizeof faults / sizeof faults[0]; i++)
        rc = fault_report(c, faults[i].f, faults[i].label);
    return rc;
}

static void state_free(state *st)
{
    free(st->other_units.v);
    free(st->nonhead.v);
    free(st->rule_units.v);
    free(st->ta_included.v);
    for (size_t i = 0; i < st->n_reports; i++)
        free(st->reports[i].reason);
    free(st->reports);
}

/* The whole computation, in the caller's read snapshot. */
static int compute(wn_project *p, wn_prisma *out)
{
    state st = {0};
    st.p = p;
    st.c = out;
    st.not_unit_rule.what = "rule exclusions name ids that are not units (records merged"
                            " into a cluster, or no record at all)";
    st.not_unit_ta.what = "title/abstract decisions name ids that are not units";
    st.rule_and_included.what = "units excluded by rules yet included at title/abstract";
    st.orphan_report.what = "reports whose unit was not included at title/abstract";
    st.ft_unknown.what = "full-text decisions name reports that do not exist";
    st.ft_unretrieved.what = "full-text decisions on reports that were not retrieved";
    st.head_in_other.what = "cluster members whose cluster id is not a unit";
    int rc;
    if (!(rc = read_sources(&st)) && !(rc = read_units(&st)) &&
        !(rc = read_rule_exclusions(&st)) &&
        !(rc = wn_stage_outcomes_each(p, "ta", on_ta_outcome, &st)) &&
        !(rc = read_reports(&st)) && !(rc = check_unretrieved_decisions(&st)) &&
        !(rc = wn_stage_outcomes_each(p, "ft", on_ft_outcome, &st)) &&
        !(rc = tally_reports(&st)) && !(rc = read_previous(&st)))
        rc = derive_and_check(&st);
    state_free(&st);
    return rc;
}

/* Where the ledger stands: its version and the highest decision and report
 * ids (both tables only grow between version bumps; see prisma_schema.c). */
typedef struct ledger_mark {
    int64_t version, last_decision, last_report;
} ledger_mark;

#define LEDGER_MARK_SQL                                                                   \
    "SELECT s.version AS version,"                                                        \
    " (SELECT coalesce(max(id), 0) FROM decision) AS last_decision,"                      \
    " (SELECT coalesce(max(id), 0) FROM report) AS last_report"                           \
    " FROM prisma_state s WHERE s.id = 1"

/* The ledger's mark, and the cached flow if it was computed at it. */
static int read_cache(wn_project *p, ledger_mark *mark, char **flow)
{
    *flow = NULL;
    sqlite3_stmt *s;
    int rc = prepare(p,
                     "WITH mark AS (" LEDGER_MARK_SQL ")"
                     " SELECT m.version, m.last_decision, m.last_report, c.flow FROM mark m"
                     " LEFT JOIN prisma_cache c ON c.id = 1 AND c.version = m.version"
                     "  AND c.last_decision = m.last_decision AND c.last_report = m.last_report",
                     &s, "cannot read the flow's cache");
    if (rc)
        return rc;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        mark->version = sqlite3_column_int64(s, 0);
        mark->last_decision = sqlite3_column_int64(s, 1);
        mark->last_report = sqlite3_column_int64(s, 2);
        const char *text = (const char *)sqlite3_column_text(s, 3);
        if (text && !(*flow = wn_strdup(text)))
            rc = WN_ENOMEM;
    } else {
        rc = wn_db_fail(p, "cannot read the flow's cache");
    }
    sqlite3_finalize(s);
    return rc;
}

/* Keeps the flow for the next run, unless the ledger moved on meanwhile.
 * Best effort: a busy project just means the next run computes again. */
static void write_cache(wn_project *p, const ledger_mark *mark, const wn_prisma *c)
{
    wn_buf json = WN_BUF_INIT;
    sqlite3_stmt *s;
    if (wn_prisma_write_json(c, &json) == 0 &&
        sqlite3_prepare_v2(p->db,
                           "INSERT OR REPLACE INTO prisma_cache"
                           "(id, version, last_decision, last_report, flow)"
                           " SELECT 1, ?1, ?2, ?3, ?4 FROM (" LEDGER_MARK_SQL ") m"
                           " WHERE m.version = ?1 AND m.last_decision = ?2"
                           " AND m.last_report = ?3",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, mark->version);
        sqlite3_bind_int64(s, 2, mark->last_decision);
        sqlite3_bind_int64(s, 3, mark->last_report);
        sqlite3_bind_text(s, 4, json.data, (int)json.len, SQLITE_STATIC);
        sqlite3_step(s);
        sqlite3_finalize(s);
    }
    wn_buf_free(&json);
}

static int compute_in_snapshot(wn_project *p, wn_prisma *out, int use_cache)
{
    /* One read snapshot: every count sees the same ledger. A caller's open
     * transaction is that snapshot already. */
    int own = sqlite3_get_autocommit(p->db);
    int rc = own ? wn_db_exec(p, "BEGIN") : 0;
    if (rc)
        return rc;
    ledger_mark mark = {-1, -1, -1};
    char *flow = NULL;
    int cached = 0;
    /* The kept flow is only a shortcut: if it cannot be read (a project whose
     * cache table predates its current columns), the flow is computed afresh. */
    int can_keep = use_cache && read_cache(p, &mark, &flow) == 0;
    if (can_keep && flow)
        cached = wn_prisma_read_json(flow, out) == 0;
    free(flow);
    if (!cached) {
        memset(out, 0, sizeof *out);
        rc = compute(p, out);
    }
    wn_stmts_reset(p);
    if (own)
        wn_db_exec(p, "COMMIT");
    if (!rc && !cached && can_keep && own)
        write_cache(p, &mark, out);
    return rc;
}

static int compute_flow(wn_project *p, wn_prisma *out, int use_cache)
{
    memset(out, 0, sizeof *out);
    int rc = compute_in_snapshot(p, out, use_cache);
    if (!rc && out->n_violations) {
        rc = wn_err_set(&p->err, WN_EINVAL, "the PRISMA flow of '%s' does not add up: %s%s",
                        p->path, out->violations[0],
                        out->n_violations > 1 ? " (and more; see the full list)" : "");
    }
    return rc;
}

int wn_prisma_compute(wn_project *p, wn_prisma *out) { return compute_flow(p, out, 1); }

int wn_prisma_recompute(wn_project *p, wn_prisma *out) { return compute_flow(p, out, 0); }

void wn_prisma_free(wn_prisma *c)
{
    if (!c)
        return;
    list_free(&c->database_sources);
    list_free(&c->register_sources);
    list_free(&c->other_sources);
    for (int k = 0; k < WN_PRISMA_ARMS; k++) {
        list_free(&c->arm[k].automation_reasons);
        list_free(&c->arm[k].other_reasons);
        list_free(&c->arm[k].ta_reasons);
        list_free(&c->arm[k].report_reasons);
    }
    for (size_t i = 0; i < c->n_violations; i++)
        free(c->violations[i]);
    free(c->violations);
    memset(c, 0, sizeof *c);
}

/* ---- previous review ------------------------------------------------ */

int wn_prisma_set_previous(wn_project *p, int64_t studies, int64_t reports,
                           const wn_actor *actor)
{
    if (studies >= 0 && (reports < studies))
        return wn_err_set(&p->err, WN_EINVAL,
                          "previous review: %lld reports for %lld studies (every study has"
                          " at least one report)",
                          (long long)reports, (long long)studies);
    int rc = wn_tx_begin(p);
    if (rc)
        return rc;
    sqlite3_stmt *s = NULL;
    char at[32], summary[128];
    wn_utc_now(at);
    if (studies < 0) {
        rc = prepare(p, "DELETE FROM prisma_previous", &s, "cannot clear the previous review");
        snprintf(summary, sizeof summary, "previous review numbers cleared");
    } else {
        rc = prepare(p,
                     "INSERT OR REPLACE INTO prisma_previous(id, studies, reports, set_at)"
                     " VALUES (1, ?, ?, ?)",
                     &s, "cannot store the previous review");
        if (!rc) {
            sqlite3_bind_int64(s, 1, studies);
            sqlite3_bind_int64(s, 2, reports);
            sqlite3_bind_text(s, 3, at, -1, SQLITE_STATIC);
        }
        snprintf(summary, sizeof summary, "previous review: %lld studies, %lld reports",
                 (long long)studies, (long long)reports);
    }
    if (!rc && sqlite3_step(s) != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot store the previous review");
    sqlite3_finalize(s);
    return wn_tx_finish(p, rc, actor, NULL, summary);
}
