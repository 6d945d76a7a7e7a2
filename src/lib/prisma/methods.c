/* A methods paragraph with the review's own numbers filled in. Every number
 * comes from the same computation as the PRISMA flow, so the two agree. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prisma/prisma_impl.h"
#include "store/db.h"
#include "winnow/screening.h"

typedef struct sources_text {
    wn_buf *b;
    int rc;
    size_t n, with_query;
} sources_text;

static const char *kind_word(const char *kind)
{
    if (!strcmp(kind, "citation"))
        return "citation searching";
    return kind;
}

static int source_line(void *ctx, const wn_source_info *s)
{
    sources_text *t = ctx;
    if (!t->rc)
        t->rc = wn_buf_printf(t->b, "%s%s (%s%s%s, %lld record%s)", t->n ? "; " : "", s->name,
                              kind_word(s->kind), s->searched_on ? ", searched " : "",
                              s->searched_on ? s->searched_on : "", (long long)s->records,
                              s->records == 1 ? "" : "s");
    t->n++;
    t->with_query += s->query && *s->query;
    return t->rc;
}

/* A search string on one line of inline code: white space runs folded
 * (exports often end it with a line break), backquotes made quotes. */
static int put_query(wn_buf *b, const char *q)
{
    int rc = wn_buf_putc(b, '`'), space = 0;
    size_t start = b->len;
    for (; !rc && *q; q++) {
        if (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') {
            space = 1;
            continue;
        }
        if (space && b->len > start)
            rc = wn_buf_putc(b, ' ');
        space = 0;
        if (!rc)
            rc = wn_buf_putc(b, *q == '`' ? '\'' : *q);
    }
    return rc ? rc : wn_buf_putc(b, '`');
}

static int query_line(void *ctx, const wn_source_info *s)
{
    sources_text *t = ctx;
    if (!t->rc && s->query && *s->query) {
        t->rc = wn_buf_printf(t->b, "- %s: ", s->name);
        if (!t->rc)
            t->rc = put_query(t->b, s->query);
        if (!t->rc)
            t->rc = wn_buf_putc(t->b, '\n');
    }
    return t->rc;
}

static int put_reasons(wn_buf *b, const wn_prisma_list *l)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < l->len; i++)
        rc = wn_buf_printf(b, "%s%s, %lld", i ? "; " : " (", l->items[i].name,
                           (long long)l->items[i].n);
    if (!rc && l->len)
        rc = wn_buf_putc(b, ')');
    return rc;
}

/* Reviewers on a stage, reviewers per unit (min and max), resolutions. */
typedef struct team {
    int64_t reviewers, per_min, per_max, resolved;
} team;

static int read_team(wn_project *p, const char *stage, team *t)
{
    static const char sql[] =
        "SELECT (SELECT count(DISTINCT reviewer) FROM assignment WHERE stage = ?1),"
        " (SELECT coalesce(min(n), 0) FROM (SELECT count(*) AS n FROM assignment"
        "   WHERE stage = ?1 GROUP BY unit_id)),"
        " (SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM assignment"
        "   WHERE stage = ?1 GROUP BY unit_id)),"
        " (SELECT count(DISTINCT unit_id) FROM decision"
        "   WHERE stage = ?1 AND kind = 'resolution')";
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db, sql, -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read the screening team");
    sqlite3_bind_text(s, 1, stage, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s) == SQLITE_ROW ? 0 : wn_db_fail(p, "cannot read the screening team");
    if (!rc) {
        t->reviewers = sqlite3_column_int64(s, 0);
        t->per_min = sqlite3_column_int64(s, 1);
        t->per_max = sqlite3_column_int64(s, 2);
        t->resolved = sqlite3_column_int64(s, 3);
    }
    sqlite3_finalize(s);
    return rc;
}

/* Agreement between reviewers on units two or more of them screened. */
static int put_agreement(wn_buf *b, wn_project *p, const char *stage)
{
    wn_agreement a;
    memset(&a, 0, sizeof a);
    int rc = wn_agreement_get(p, stage, &a);
    const wn_agreement_part *m = &a.main;
    if (!rc && m->units && !isnan(m->percent)) {
        rc = wn_buf_printf(b, "; the reviewers agreed on %.1f%% of the %zu %s screened more"
                              " than once",
                           m->percent, m->units, m->units == 1 ? "unit" : "units");
        size_t shown = 0;
        for (size_t i = 0; !rc && i < m->n_pairs && shown < 6; i++) {
            const wn_pair_agreement *pa = &m->pairs[i];
            if (isnan(pa->kappa))
                continue;
            rc = wn_buf_printf(b, "%s%s and %s %.2f (95%% CI %.2f to %.2f, n = %zu)",
                               shown ? "; " : " (Cohen's kappa: ", pa->a, pa->b, pa->kappa,
                               pa->lo, pa->hi, pa->n);
            shown++;
        }
        if (!rc && shown)
            rc = wn_buf_putc(b, ')');
        if (!rc && !isnan(m->fleiss))
            rc = wn_buf_printf(b, ", Fleiss' kappa %.2f over %zu units", m->fleiss,
                               m->fleiss_units);
    }
    wn_agreement_free(&a);
    return rc;
}

static int put_team(wn_buf *b, wn_project *p, const char *stage, const char *what)
{
    team t = {0};
    int rc = read_team(p, stage, &t);
    if (rc || !t.reviewers)
        return rc;
    rc = wn_buf_printf(b, " by %lld reviewer%s, ", (long long)t.reviewers,
                       t.reviewers == 1 ? "" : "s");
    if (!rc && t.per_min == t.per_max)
        rc = wn_buf_printf(b, "%lld per %s", (long long)t.per_min, what);
    else if (!rc)
        rc = wn_buf_printf(b, "%lld to %lld per %s", (long long)t.per_min,
                           (long long)t.per_max, what);
    wn_policy pol;
    if (!rc && wn_policy_get(p, stage, &pol) == 0 && t.per_max > 1)
        rc = wn_buf_printf(b, ", combining their votes under the policy \"%s\"", pol.text);
    if (!rc && t.resolved)
        rc = wn_buf_printf(b, "; %lld disagreement%s settled by a resolution",
                           (long long)t.resolved, t.resolved == 1 ? " was" : "s were");
    if (!rc && t.per_max > 1)
        rc = put_agreement(b, p, stage);
    return rc;
}

static int put_rules(wn_buf *b, wn_project *p, const wn_prisma_arm *a)
{
    if (!a->automation && !a->removed_other)
        return 0;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT path, sha256 FROM rule_run ORDER BY id DESC LIMIT 1", -1, &s,
                           NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read rule runs");
    int rc = 0, step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        rc = wn_buf_printf(b,
                           "Eligibility criteria that the records' metadata can show were"
                           " applied as rules (`%s`, SHA-256 `%s`): ",
                           (const char *)sqlite3_column_text(s, 0),
                           (const char *)sqlite3_column_text(s, 1));
    else if (step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read rule runs");
    sqlite3_finalize(s);
    if (!rc)
        rc = wn_buf_printf(b, "%lld records were marked as ineligible by these automation tools",
                           (long long)a->automation);
    if (!rc)
        rc = put_reasons(b, &a->automation_reasons);
    if (!rc)
        rc = wn_buf_printf(b, " and %lld removed for other reasons", (long long)a->removed_other);
    if (!rc)
        rc = put_reasons(b, &a->other_reasons);
    if (!rc)
        rc = wn_buf_puts(b, ". ");
    return rc;
}

int wn_report_methods(wn_project *p, wn_buf *b)
{
    wn_prisma c;
    int rc = wn_prisma_compute(p, &c);
    if (rc) {
        wn_prisma_free(&c);
        return rc;
    }
    const wn_prisma_arm *d = &c.arm[WN_PRISMA_DBR], *o = &c.arm[WN_PRISMA_OTHER];
    int64_t duplicates = d->duplicates + o->duplicates;
    int64_t screened = d->screened + o->screened, excluded = d->excluded + o->excluded;
    int64_t sought = d->sought + o->sought, not_retrieved = d->not_retrieved + o->not_retrieved;
    int64_t assessed = d->assessed + o->assessed;
    int64_t reports_excluded = d->reports_excluded + o->reports_excluded;

    sources_text t = {b, 0, 0, 0};
    rc = wn_buf_puts(b, "**Information sources and searches.** We searched ");
    if (!rc)
        rc = wn_sources_each(p, source_line, &t);
    if (!rc)
        rc = t.rc;
    if (!rc && !t.n)
        rc = wn_buf_puts(b, "no sources yet");
    if (!rc)
        rc = wn_buf_printf(b,
                           ". The searches identified %lld records (databases %lld, registers"
                           " %lld, other methods %lld).",
                           (long long)c.records_total, (long long)c.databases,
                           (long long)c.registers, (long long)o->identified);
    if (!rc && t.with_query) {
        rc = wn_buf_puts(b, " The search strings were:\n\n");
        if (!rc)
            rc = wn_sources_each(p, query_line, &t);
        if (!rc)
            rc = t.rc;
    }
    if (!rc)
        rc = wn_buf_printf(b,
                           "%s\n**Selection process.** Records found more than once were merged"
                           " with winnow, keeping every source of each: %lld duplicate records"
                           " were removed, leaving %lld unique records. ",
                           t.with_query ? "" : "\n", (long long)duplicates,
                           (long long)c.units_total);
    if (!rc)
        rc = put_rules(b, p, d);
    if (!rc)
        rc = wn_buf_printf(b, "%lld records were screened on title and abstract",
                           (long long)screened);
    if (!rc)
        rc = put_team(b, p, "ta", "record");
    if (!rc)
        rc = wn_buf_printf(b, "; %lld were excluded. We sought %lld reports in full text, of which"
                              " %lld could not be retrieved; %lld were assessed for eligibility",
                           (long long)excluded, (long long)sought, (long long)not_retrieved,
                           (long long)assessed);
    if (!rc)
        rc = put_team(b, p, "ft", "report");
    if (!rc)
        rc = wn_buf_printf(b, ", and %lld were excluded", (long long)reports_excluded);
    wn_prisma_list reasons = {0};
    for (int k = 0; !rc && k < WN_PRISMA_ARMS; k++)
        for (size_t i = 0; !rc && i < c.arm[k].report_reasons.len; i++)
            rc = wn_prisma_list_add(&reasons, c.arm[k].report_reasons.items[i].name,
                                    c.arm[k].report_reasons.items[i].n);
    if (!rc)
        rc = put_reasons(b, &reasons);
    for (size_t i = 0; i < reasons.len; i++)
        free(reasons.items[i].name);
    free(reasons.items);
    if (!rc)
        rc = wn_buf_printf(b, ". The review includes %lld %s, reported in %lld %s.",
                           (long long)c.new_studies, c.new_studies == 1 ? "study" : "studies",
                           (long long)c.new_reports, c.new_reports == 1 ? "report" : "reports");
    if (!rc && c.has_previous)
        rc = wn_buf_printf(b,
                           " With the %lld studies (%lld reports) of the previous version, the"
                           " updated review includes %lld studies (%lld reports).",
                           (long long)c.previous_studies, (long long)c.previous_reports,
                           (long long)c.total_studies, (long long)c.total_reports);
    if (!rc && !c.complete) {
        int64_t ta, ft, wait;
        wn_prisma_undecided(&c, &ta, &ft, &wait);
        rc = wn_buf_printf(b,
                           " (Screening is not finished: %lld records and %lld reports await a"
                           " decision and %lld reports await retrieval.)",
                           (long long)ta, (long long)ft, (long long)wait);
    }
    if (!rc)
        rc = wn_buf_puts(b, "\n");
    wn_prisma_free(&c);
    return rc;
}
