/* Evaluating a batch of units on several threads.
 *
 * The compiled rule set is read-only after compiling, so threads share it;
 * each thread has its own evaluator (scratch memory, match data, limit
 * counts). Threads take small chunks of units from a shared counter, so a
 * thread slowed by other work on the machine does not hold the batch up,
 * and each unit's results are stored at its own index: callers read them
 * in unit order, and they are the same whatever the number of threads. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/rules_impl.h"
#include "winnow/error.h"

/* Units a thread takes at a time: big enough to make the shared counter
 * cheap, small enough to even out the threads' shares. */
#define CHUNK 16
#define MAX_THREADS 8

typedef struct worker {
    wn_rules_batch *b;
    wn_rules_eval *ev;
    wn_rule_span *spans; /* spans of the units this worker evaluated */
    size_t n_spans, cap_spans;
    int rc;
    pthread_t thread;
} worker;

/* Where a unit's spans are: worker w's spans [off, off + n). */
typedef struct unit_spans {
    size_t w, off, n;
} unit_spans;

struct wn_rules_batch {
    const wn_rules *r;
    int threads;
    worker *w;
    const wn_rules_unit *units;
    size_t n;
    unsigned flags;
    atomic_size_t next; /* first unit not yet taken */
    size_t cap;         /* units the arrays below hold */
    unsigned char *matched; /* n_rules per unit */
    long *excluded_by;
    unit_spans *where;
};

static int default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

wn_rules_batch *wn_rules_batch_new(const wn_rules *r, int threads)
{
    wn_rules_batch *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->r = r;
    b->threads = threads < 1 ? default_threads() : threads > MAX_THREADS ? MAX_THREADS : threads;
    b->w = calloc((size_t)b->threads, sizeof *b->w);
    if (!b->w) {
        free(b);
        return NULL;
    }
    for (int k = 0; k < b->threads; k++) {
        b->w[k].b = b;
        if (!(b->w[k].ev = wn_rules_eval_new(r))) {
            wn_rules_batch_free(b);
            return NULL;
        }
    }
    return b;
}

void wn_rules_batch_free(wn_rules_batch *b)
{
    if (!b)
        return;
    for (int k = 0; k < b->threads; k++) {
        wn_rules_eval_free(b->w[k].ev);
        free(b->w[k].spans);
    }
    free(b->w);
    free(b->matched);
    free(b->excluded_by);
    free(b->where);
    free(b);
}

int wn_rules_batch_threads(const wn_rules_batch *b) { return b->threads; }

/* Copies the last unit's results of w's evaluator to unit i's place. */
static int keep_results(worker *w, size_t i)
{
    wn_rules_batch *b = w->b;
    size_t n_rules = b->r->n_rules;
    for (size_t k = 0; k < n_rules; k++)
        b->matched[i * n_rules + k] = (unsigned char)wn_rules_eval_matched(w->ev, k);
    b->excluded_by[i] = wn_rules_eval_excluded_by(w->ev);
    size_t n;
    const wn_rule_span *sp = wn_rules_eval_spans(w->ev, &n);
    if (w->n_spans + n > w->cap_spans) {
        size_t cap = (w->n_spans + n) * 2 + 64;
        wn_rule_span *grown = realloc(w->spans, cap * sizeof *grown);
        if (!grown)
            return WN_ENOMEM;
        w->spans = grown;
        w->cap_spans = cap;
    }
    if (n)
        memcpy(w->spans + w->n_spans, sp, n * sizeof *sp);
    b->where[i] = (unit_spans){(size_t)(w - b->w), w->n_spans, n};
    w->n_spans += n;
    return 0;
}

static void *work(void *arg)
{
    worker *w = arg;
    wn_rules_batch *b = w->b;
    while (!w->rc) {
        size_t from = atomic_fetch_add(&b->next, CHUNK);
        if (from >= b->n)
            break;
        size_t to = from + CHUNK < b->n ? from + CHUNK : b->n;
        for (size_t i = from; i < to && !w->rc; i++) {
            const wn_rules_unit *u = &b->units[i];
            w->rc = wn_rules_eval_unit(w->ev, u->merged, u->sources, u->n_sources, b->flags);
            if (!w->rc)
                w->rc = keep_results(w, i);
        }
    }
    return NULL;
}

static int reserve_units(wn_rules_batch *b, size_t n)
{
    if (n <= b->cap)
        return 0;
    size_t n_rules = b->r->n_rules ? b->r->n_rules : 1;
    unsigned char *m = realloc(b->matched, n * n_rules);
    if (m)
        b->matched = m;
    long *x = m ? realloc(b->excluded_by, n * sizeof *x) : NULL;
    if (x)
        b->excluded_by = x;
    unit_spans *u = x ? realloc(b->where, n * sizeof *u) : NULL;
    if (!u)
        return WN_ENOMEM;
    b->where = u;
    b->cap = n;
    return 0;
}

int wn_rules_batch_eval(wn_rules_batch *b, const wn_rules_unit *units, size_t n, unsigned flags)
{
    if (reserve_units(b, n))
        return WN_ENOMEM;
    b->units = units;
    b->n = n;
    b->flags = flags;
    atomic_store(&b->next, 0);
    /* No more threads than chunks; the calling thread is worker 0. */
    size_t chunks = (n + CHUNK - 1) / CHUNK;
    int helpers = b->threads - 1;
    if ((size_t)helpers >= chunks)
        helpers = chunks ? (int)chunks - 1 : 0;
    int started = 0;
    for (int k = 0; k < b->threads; k++) {
        b->w[k].n_spans = 0;
        b->w[k].rc = 0;
    }
    /* A thread that cannot start leaves its share to the others. */
    while (started < helpers &&
           pthread_create(&b->w[started + 1].thread, NULL, work, &b->w[started + 1]) == 0)
        started++;
    work(&b->w[0]);
    int rc = 0;
    for (int k = 0; k <= started; k++) {
        if (k)
            pthread_join(b->w[k].thread, NULL);
        if (b->w[k].rc && !rc)
            rc = b->w[k].rc;
    }
    return rc;
}

int wn_rules_batch_matched(const wn_rules_batch *b, size_t unit, size_t rule)
{
    return unit < b->n && rule < b->r->n_rules && b->matched[unit * b->r->n_rules + rule];
}

long wn_rules_batch_excluded_by(const wn_rules_batch *b, size_t unit)
{
    return unit < b->n ? b->excluded_by[unit] : -1;
}

const wn_rule_span *wn_rules_batch_spans(const wn_rules_batch *b, size_t unit, size_t *n)
{
    *n = 0;
    if (unit >= b->n)
        return NULL;
    const unit_spans *u = &b->where[unit];
    *n = u->n;
    return u->n ? b->w[u->w].spans + u->off : NULL;
}

uint64_t wn_rules_batch_limit_hits(const wn_rules_batch *b, size_t rule)
{
    uint64_t sum = 0;
    for (int k = 0; k < b->threads; k++)
        sum += wn_rules_eval_limit_hits(b->w[k].ev, rule);
    return sum;
}
