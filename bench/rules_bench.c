/* Times rule evaluation: bench/rules_bench [RULES] [--records N] [--threads N] [--ris FILE]
 *
 * Evaluates a rule file (default: queries/examples/benchmark.rules, 30
 * rules mixing field tests, text queries and regexes) on N units (default
 * 1,000,000), once without and once with span collection. The units come
 * from a pool of distinct records cycled over: 50,000 generated ones
 * (titles, 150-250 word abstracts, keywords, authors, journals, years,
 * types, open-access tags, a few accented words), or the records of a RIS
 * file such as gen_corpus.py writes. The pool is built before timing.
 * Units go through the library's wn_rules_batch, on one thread per CPU
 * unless --threads says otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>

#include "winnow/winnow.h"

#ifndef WINNOW_SOURCE_DIR
#define WINNOW_SOURCE_DIR "."
#endif

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double now(void) { return clock_s(CLOCK_MONOTONIC); }

static unsigned long long rng_state = 88172645463325252ull;

static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

/* Skewed towards the first words, as real vocabularies are. */
static const char *pick(const char *const *words, unsigned n)
{
    unsigned a = rnd(n), b = rnd(n);
    return words[a < b ? a : b];
}

static const char *const vocab[] = {
    "the", "of", "and", "in", "to", "a", "with", "for", "was", "were", "study", "patients",
    "health", "care", "social", "workers", "work", "hospital", "mental", "outcomes", "data",
    "results", "between", "among", "during", "clinical", "services", "support", "women",
    "children", "adolescents", "older", "adults", "community", "primary", "intervention",
    "randomised", "controlled", "trial", "cohort", "qualitative", "interviews", "survey",
    "nurses", "physicians", "practice", "policy", "burnout", "stress", "depression",
    "anxiety", "suicide", "prevention", "equity", "inequality", "disparities", "income",
    "rural", "urban", "access", "quality", "training", "education", "families", "caregivers",
    "discharge", "planning", "case", "management", "assessment", "screening", "risk",
    "factors", "associated", "significant", "increase", "decrease", "analysis", "model",
    "review", "systematic", "meta-analysis", "evidence", "implementation", "barriers",
    "facilitators", "experiences", "perceptions", "outcome", "measures", "follow-up",
    "months", "years", "baseline", "participants", "sample", "cross-sectional", "design",
    "methods", "conclusion", "background", "objective", "aim", "setting", "population",
    "protocol", "pilot", "feasibility", "emergency", "department", "oncology", "palliative",
    "dementia", "substance", "use", "alcohol", "homelessness", "housing", "migrants",
    "refugees", "violence", "trauma", "resilience", "wellbeing", "quality-of-life",
    "telehealth", "digital", "covid-19", "pandemic", "lockdown", "vaccination", "obesity",
    "diabetes", "cancer", "stroke", "pain", "disability", "employment", "unemployment",
    "poverty", "ethnicity", "gender", "age", "sex", "associations", "predictors",
    "émigré", "naïve", "Straße", "coöperation", "São", "Paulo", "Zürich", "Malmö"};
static const unsigned n_vocab = sizeof vocab / sizeof vocab[0];

static const char *const journals[] = {
    "Health and Social Work", "Social Work in Health Care", "BMJ Open", "PLoS ONE",
    "The Lancet", "Journal of Advanced Nursing", "medRxiv", "BMC Health Services Research",
    "Social Science & Medicine", "International Journal of Social Welfare",
    "Journal of Social Work", "British Journal of Social Work", "Qualitative Health Research",
    "Psychiatric Services", "Research Square", "Child Abuse & Neglect",
    "Journal of Interprofessional Care", "Health & Social Care in the Community",
    "Nordic Social Work Research", "Australian Social Work"};
static const char *const types[] = {"article", "article", "article", "article", "article",
                                    "article", "conference", "preprint", "book", "report"};
static const char *const langs[] = {"English", "English", "English", "English", "English",
                                    "English", "English", "German", "French", "Spanish"};
static const char *const oa[] = {"All Open Access; Gold Open Access",
                                 "All Open Access; Green Open Access",
                                 "All Open Access; Bronze Open Access", NULL, NULL};
static const char *const surnames[] = {"Smith", "García", "Müller", "Nguyen", "Kowalski",
                                       "O'Brien", "Svensson", "Rossi", "Kim", "Dubois"};

static void words(wn_buf *b, unsigned n, int capital)
{
    for (unsigned i = 0; i < n; i++) {
        const char *w = pick(vocab, n_vocab);
        if (i)
            wn_buf_putc(b, ' ');
        if (i == 0 && capital && w[0] >= 'a' && w[0] <= 'z') {
            wn_buf_putc(b, (char)(w[0] - 32));
            wn_buf_puts(b, w + 1);
        } else {
            wn_buf_puts(b, w);
        }
        if (i + 1 < n && rnd(12) == 0)
            wn_buf_putc(b, rnd(2) ? ',' : '.');
    }
}

static wn_record *generate(void)
{
    wn_record *r = wn_record_new();
    wn_buf b = WN_BUF_INIT;
    if (!r)
        return NULL;
    words(&b, 8 + rnd(8), 1);
    wn_record_add(r, WN_F_TITLE, "TI", b.data, b.len);
    wn_buf_clear(&b);
    if (rnd(20)) {
        words(&b, 150 + rnd(100), 1);
        wn_record_add(r, WN_F_ABSTRACT, "AB", b.data, b.len);
    }
    for (unsigned i = 0, n = 2 + rnd(5); i < n; i++) {
        wn_buf_clear(&b);
        wn_buf_printf(&b, "%s, %c.", surnames[rnd(10)], 'A' + rnd(26));
        wn_record_add(r, WN_F_AUTHOR, "AU", b.data, b.len);
    }
    for (unsigned i = 0, n = rnd(6); i < n; i++) {
        wn_buf_clear(&b);
        words(&b, 1 + rnd(2), 0);
        wn_record_add(r, WN_F_KEYWORD, "KW", b.data, b.len);
    }
    wn_buf_clear(&b);
    wn_buf_printf(&b, "%u", 1980 + rnd(46));
    wn_record_add(r, WN_F_YEAR, "PY", b.data, b.len);
    const char *j = journals[rnd(sizeof journals / sizeof journals[0])];
    wn_record_add_str(r, WN_F_JOURNAL, "JO", j);
    wn_record_add_str(r, WN_F_TYPE, NULL, types[rnd(10)]);
    wn_record_add_str(r, WN_F_LANGUAGE, "LA", langs[rnd(10)]);
    if (rnd(10)) {
        wn_buf_clear(&b);
        wn_buf_printf(&b, "10.%u/bench.%u", 1000 + rnd(9000), rnd(1000000));
        wn_record_add(r, WN_F_DOI, "DO", b.data, b.len);
    }
    const char *o = oa[rnd(5)];
    if (o)
        wn_record_add_str(r, WN_F_EXTRA, "Open Access", o);
    wn_buf_free(&b);
    return r;
}

typedef struct pool {
    wn_record **v;
    size_t n, cap;
} pool;

static int add_parsed(void *user, const wn_record *rec)
{
    pool *p = user;
    if (p->n == p->cap)
        return WN_EABORT;
    if (!(p->v[p->n] = wn_record_new()) || wn_record_copy(p->v[p->n], rec))
        return WN_ENOMEM;
    p->n++;
    return 0;
}

static int load_ris(const char *path, pool *p)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    wn_buf b = WN_BUF_INIT;
    char chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (wn_buf_append(&b, chunk, n))
            break;
    fclose(f);
    wn_parse_opts o = {path, add_parsed, NULL, p};
    wn_err err;
    int rc = wn_parse(wn_format_find("ris"), b.data, b.len, &o, NULL, &err);
    wn_buf_free(&b);
    if (rc && rc != WN_EABORT) {
        fprintf(stderr, "rules_bench: %s\n", err.msg);
        return -1;
    }
    return 0;
}

typedef struct totals {
    size_t excluded, spans;
    uint64_t limit_hits;
} totals;

/* Units handed to the library at a time (as `winnow filter` does). */
#define BATCH 4096

/* Evaluates units [0, n) in batches on the batch's threads (callgrind's
 * --toggle-collect=wn_rules_batch_eval counts just the evaluation). */
static void evaluate_all(wn_rules_batch *b, const pool *p, size_t n, unsigned flags,
                         totals *t)
{
    static const char *const sources[] = {"Scopus", "Web of Science"};
    static wn_rules_unit units[BATCH];
    memset(t, 0, sizeof *t);
    for (size_t from = 0; from < n; from += BATCH) {
        size_t k = n - from < BATCH ? n - from : BATCH;
        for (size_t i = 0; i < k; i++)
            units[i] = (wn_rules_unit){p->v[(from + i) % p->n], sources, 1 + ((from + i) & 1)};
        if (wn_rules_batch_eval(b, units, k, flags)) {
            fprintf(stderr, "rules_bench: out of memory\n");
            exit(1);
        }
        for (size_t i = 0; i < k; i++) {
            size_t spans;
            wn_rules_batch_spans(b, i, &spans);
            t->spans += spans;
            t->excluded += wn_rules_batch_excluded_by(b, i) >= 0;
        }
    }
}

/* Evaluates n units with a fresh batch of *threads threads (0: one per
 * CPU; set to the number used); returns wall seconds, *cpu the process
 * CPU seconds. */
static double run(const wn_rules *r, const pool *p, size_t n, int *threads, unsigned flags,
                  totals *t, double *cpu)
{
    wn_rules_batch *b = wn_rules_batch_new(r, *threads);
    if (!b)
        exit(1);
    *threads = wn_rules_batch_threads(b);
    double t0 = now(), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    evaluate_all(b, p, n, flags, t);
    *cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    double wall = now() - t0;
    for (size_t i = 0; i < wn_rules_count(r); i++)
        t->limit_hits += wn_rules_batch_limit_hits(b, i);
    wn_rules_batch_free(b);
    return wall;
}

int main(int argc, char **argv)
{
    const char *rules_path = WINNOW_SOURCE_DIR "/queries/examples/benchmark.rules";
    const char *ris = NULL;
    size_t n = 1000000;
    int threads = 0; /* one per CPU */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--records") && i + 1 < argc)
            n = (size_t)strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]) < 1 ? 1 : atoi(argv[i]);
        else if (!strcmp(argv[i], "--ris") && i + 1 < argc)
            ris = argv[++i];
        else if (argv[i][0] != '-')
            rules_path = argv[i];
        else {
            fprintf(stderr, "usage: rules_bench [RULES] [--records N] [--threads N] [--ris FILE]\n");
            return 2;
        }
    }
    double t0 = now();
    wn_rules *r;
    wn_rule_diags d = {NULL, 0};
    if (wn_rules_load(rules_path, &r, &d)) {
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "%s:%zu:%zu: %s\n", d.items[i].file, d.items[i].line,
                    d.items[i].column, d.items[i].message);
        return 1;
    }
    double compile = now() - t0;
    pool p = {NULL, 0, ris ? 200000 : 50000};
    p.v = calloc(p.cap, sizeof *p.v);
    if (ris ? load_ris(ris, &p) : 0)
        return 1;
    while (!ris && p.n < p.cap)
        p.v[p.n++] = generate();
    if (!p.n) {
        fprintf(stderr, "rules_bench: no records\n");
        return 1;
    }
    size_t bytes = 0;
    for (size_t i = 0; i < p.n; i++)
        for (size_t k = 0; k < wn_record_size(p.v[i]); k++)
            bytes += wn_record_at(p.v[i], k).len;
    printf("rules: %s (%zu rules, compiled in %.2f ms)\n", rules_path, wn_rules_count(r),
           compile * 1e3);
    printf("records: %zu distinct (%s, %.0f bytes of field text each), cycled to %zu units\n",
           p.n, ris ? ris : "generated", (double)bytes / (double)p.n, n);
    totals tot;
    double cpu, t = run(r, &p, n, &threads, 0, &tot, &cpu);
    printf("evaluate:            %.2f s wall, %.2f s CPU, %d thread%s, %.0f units/s  "
           "(%zu excluded)\n",
           t, cpu, threads, threads == 1 ? "" : "s", (double)n / t, tot.excluded);
    t = run(r, &p, n, &threads, WN_RULES_SPANS, &tot, &cpu);
    printf("evaluate with spans: %.2f s wall, %.2f s CPU, %d thread%s, %.0f units/s  "
           "(%zu spans)\n",
           t, cpu, threads, threads == 1 ? "" : "s", (double)n / t, tot.spans);
    if (tot.limit_hits)
        printf("%llu regex matches stopped at the match limit\n",
               (unsigned long long)tot.limit_hits);
    wn_rules_free(r);
    for (size_t i = 0; i < p.n; i++)
        wn_record_free(p.v[i]);
    free(p.v);
    return 0;
}
