/* Evaluating a compiled rule set on one unit's merged record.
 *
 * A text field is scanned once per record, and only when a rule reads it.
 * Words whose first letters no query word shares are skipped at once; the
 * others are folded and looked up in the rule set's dictionary (exact
 * words, then each stem length in use). What remains is a short list of
 * hits per value, so a term costs a scan of the few words that hit, not of
 * the whole abstract. */
#include <stdlib.h>
#include <string.h>

#include "rules/rules_impl.h"
#include "winnow/error.h"
#include "winnow/normalize.h"

/* One value of the record, split into words on first use. */
typedef struct occ {
    const char *s;
    const char *tag;
    size_t len;
    size_t index; /* among its field's values (for WN_F_EXTRA: among extras) */
    int split;
    size_t h0, hn; /* hits [h0, h0 + hn), in word order */
    size_t present_off; /* bitset of the dictionary ids that occur, in e->bits */
    /* In e->index: for each word of that bitset, how many ids the words
     * before it hold; then the first hit of each id present, by rank. */
    size_t index_off;
} occ;

#define NO_HIT UINT32_MAX

typedef struct hit {
    uint32_t word;       /* position among the value's words */
    uint32_t id;         /* dictionary id */
    uint32_t start, end; /* bytes of the word in the value */
    uint32_t next;       /* the next hit of the same id in the value, or NO_HIT */
} hit;

/* The first and last hits of every match of any term of a NEAR operand. */
typedef struct pos_list {
    const hit *(*v)[2];
    size_t n, cap;
    int nomem;
} pos_list;

struct wn_rules_eval {
    const wn_rules *r;
    const wn_record *rec;
    const char *const *sources;
    size_t n_sources;
    occ *occs;
    size_t n_occs, cap_occs;
    size_t by_field[WN_F_COUNT + 1]; /* occs of field f: [by_field[f], by_field[f+1]) */
    wn_buf fold;
    hit *hits;
    size_t n_hits, cap_hits;
    uint64_t *bits;
    size_t n_bits, cap_bits, words_per_set;
    uint32_t *index;
    size_t n_index, cap_index;
    int year; /* -1 unknown yet, 0 none */
    int oa, preprint; /* -1 unknown yet */
    wn_buf scratch;
    rl_words tmp_words; /* scratch of folded() */
    wn_buf tmp_fold;
    pcre2_match_data *md;
    unsigned char *matched;
    uint64_t *limit_hits;
    long excluded_by;
    wn_rule_span *spans;
    size_t n_spans, cap_spans;
    pos_list near_a, near_b; /* scratch of NEAR */
    int collect;
    int nomem;
};

wn_rules_eval *wn_rules_eval_new(const wn_rules *r)
{
    wn_rules_eval *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->r = r;
    e->matched = calloc(r->n_rules + 1, 1);
    e->limit_hits = calloc(r->n_rules + 1, sizeof *e->limit_hits);
    e->md = pcre2_match_data_create(1, NULL);
    e->words_per_set = (r->n_dict + 63) / 64;
    if (!e->matched || !e->limit_hits || !e->md) {
        wn_rules_eval_free(e);
        return NULL;
    }
    e->excluded_by = -1;
    return e;
}

void wn_rules_eval_free(wn_rules_eval *e)
{
    if (!e)
        return;
    free(e->occs);
    wn_buf_free(&e->fold);
    free(e->hits);
    free(e->bits);
    free(e->index);
    wn_buf_free(&e->scratch);
    free(e->tmp_words.v);
    wn_buf_free(&e->tmp_fold);
    pcre2_match_data_free(e->md);
    free(e->matched);
    free(e->limit_hits);
    free(e->spans);
    free(e->near_a.v);
    free(e->near_b.v);
    free(e);
}

/* ---- per-record preparation ------------------------------------------------ */

static int prepare(wn_rules_eval *e, const wn_record *rec)
{
    size_t n = wn_record_size(rec);
    if (n > e->cap_occs) {
        occ *grown = realloc(e->occs, n * sizeof *grown);
        if (!grown)
            return WN_ENOMEM;
        e->occs = grown;
        e->cap_occs = n;
    }
    /* Values grouped by field, in record order within a field. */
    size_t count[WN_F_COUNT] = {0};
    for (size_t i = 0; i < n; i++)
        count[wn_record_at(rec, i).field]++;
    size_t at = 0;
    for (int f = 0; f < WN_F_COUNT; f++) {
        e->by_field[f] = at;
        at += count[f];
    }
    e->by_field[WN_F_COUNT] = at;
    size_t fill[WN_F_COUNT];
    memcpy(fill, e->by_field, sizeof fill);
    for (size_t i = 0; i < n; i++) {
        wn_field_value v = wn_record_at(rec, i);
        occ *o = &e->occs[fill[v.field]];
        o->s = v.value;
        o->tag = v.tag ? v.tag : "";
        o->len = v.len;
        o->index = fill[v.field] - e->by_field[v.field];
        o->split = 0;
        fill[v.field]++;
    }
    e->n_occs = n;
    e->rec = rec;
    wn_buf_clear(&e->fold);
    e->n_hits = 0;
    e->n_bits = 0;
    e->n_index = 0;
    e->year = -1;
    e->oa = -1;
    e->preprint = -1;
    return 0;
}

static int grow_hits(wn_rules_eval *e)
{
    size_t cap = e->cap_hits ? e->cap_hits * 2 : 64;
    hit *grown = realloc(e->hits, cap * sizeof *grown);
    if (!grown)
        return WN_ENOMEM;
    e->hits = grown;
    e->cap_hits = cap;
    return 0;
}

/* Inline: called for every word that hits, the growth kept out of line. */
static inline int add_hit(wn_rules_eval *e, size_t word, long id, size_t start, size_t end)
{
    if (e->n_hits == e->cap_hits && grow_hits(e))
        return WN_ENOMEM;
    e->hits[e->n_hits++] =
        (hit){(uint32_t)word, (uint32_t)id, (uint32_t)start, (uint32_t)end, NO_HIT};
    return 0;
}

/* Looks one folded word up: each stem length in use, then the exact word.
 * The hash (FNV-1a, as rl_hash) runs once over the word, stopping at the
 * stem lengths to look up, so a word costs one pass and a few probes. */
static int lookup_word(void *ctx, size_t index, size_t start, size_t end, const char *s,
                       size_t len)
{
    wn_rules_eval *e = ctx;
    const wn_rules *r = e->r;
    const unsigned char *u = (const unsigned char *)s;
    uint64_t h = 1469598103934665603ull;
    uint64_t lengths = r->prefix_lengths | (len >= 2 ? r->stem_lengths[rl_stem_key(s)] : 0);
    /* Stem lengths 1..63 shorter than or equal to the word. */
    lengths &= len < 63 ? (2ull << len) - 2 : ~1ull;
    size_t done = 0;
    for (; lengths; lengths &= lengths - 1) {
        size_t l = (size_t)__builtin_ctzll(lengths);
        for (; done < l; done++)
            h = (h ^ u[done]) * 1099511628211ull;
        long id = rl_table_find(r, &r->prefix, s, l, h);
        if (id >= 0 && add_hit(e, index, id, start, end))
            return WN_ENOMEM;
    }
    /* Stems of 64 bytes or more are rare: each length is tried. */
    for (; done < len; done++) {
        h = (h ^ u[done]) * 1099511628211ull;
        if (done + 1 >= 64 && r->long_prefixes) {
            long id = rl_table_find(r, &r->prefix, s, done + 1, h);
            if (id >= 0 && add_hit(e, index, id, start, end))
                return WN_ENOMEM;
        }
    }
    long id = rl_table_find(r, &r->exact, s, len, h);
    if (id >= 0 && add_hit(e, index, id, start, end))
        return WN_ENOMEM;
    return 0;
}

/* Makes room for need elements of size bytes in *v (capacity *cap). */
static int reserve(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t grown_cap = need * 2 + 64;
    void *grown = realloc(*v, grown_cap * size);
    if (!grown)
        return WN_ENOMEM;
    *v = grown;
    *cap = grown_cap;
    return 0;
}

/* The rank of id among the ids set in bits, before[w] counting those in
 * the words before word w. */
static uint32_t rank_of(const uint32_t *before, const uint64_t *bits, uint32_t id)
{
    uint64_t below = bits[id / 64] & ((1ull << (id % 64)) - 1);
    return before[id / 64] + (uint32_t)__builtin_popcountll(below);
}

static int split_occ(wn_rules_eval *e, occ *o)
{
    o->split = 1;
    o->h0 = e->n_hits;
    if (rl_scan_words(o->s, o->len, e->r->lead, &e->fold, lookup_word, e))
        return WN_ENOMEM;
    o->hn = e->n_hits - o->h0;
    /* The set of ids present, for a quick miss on terms not there. */
    size_t k = e->words_per_set;
    if (reserve((void **)&e->bits, &e->cap_bits, e->n_bits + k, sizeof *e->bits))
        return WN_ENOMEM;
    o->present_off = e->n_bits;
    uint64_t *bits = e->bits + e->n_bits;
    memset(bits, 0, k * sizeof *bits);
    for (size_t i = o->h0; i < e->n_hits; i++)
        bits[e->hits[i].id / 64] |= 1ull << (e->hits[i].id % 64);
    e->n_bits += k;
    /* Chain the hits of each id, so a term visits only its first word's
     * hits; an id's chain head is found by its rank among the ids present. */
    if (reserve((void **)&e->index, &e->cap_index, e->n_index + k + o->hn, sizeof *e->index))
        return WN_ENOMEM;
    o->index_off = e->n_index;
    uint32_t *before = e->index + e->n_index, *heads = before + k, distinct = 0;
    for (size_t w = 0; w < k; w++) {
        before[w] = distinct;
        distinct += (uint32_t)__builtin_popcountll(bits[w]);
    }
    for (uint32_t r = 0; r < distinct; r++)
        heads[r] = NO_HIT;
    for (size_t i = o->h0 + o->hn; i-- > o->h0;) {
        uint32_t r = rank_of(before, bits, e->hits[i].id);
        e->hits[i].next = heads[r];
        heads[r] = (uint32_t)i;
    }
    e->n_index += k + distinct;
    return 0;
}

static int has_id(const wn_rules_eval *e, const occ *o, uint32_t id)
{
    return (e->bits[o->present_off + id / 64] >> (id % 64)) & 1;
}

/* The first hit of id in o (in word order), or NO_HIT. */
static uint32_t first_hit(const wn_rules_eval *e, const occ *o, uint32_t id)
{
    if (!has_id(e, o, id))
        return NO_HIT;
    const uint32_t *before = e->index + o->index_off;
    return before[e->words_per_set + rank_of(before, e->bits + o->present_off, id)];
}

/* The hit of word position w with dictionary id, looking from hit i on
 * (hits are in word order); -1 if none. */
static long hit_at(const wn_rules_eval *e, const occ *o, size_t i, size_t w, uint32_t id)
{
    for (; i < o->h0 + o->hn && e->hits[i].word <= w; i++)
        if (e->hits[i].word == w && e->hits[i].id == id)
            return (long)i;
    return -1;
}

/* ---- spans -------------------------------------------------------------- */

static void add_span(wn_rules_eval *e, size_t rule, wn_field f, size_t index, size_t start,
                     size_t end)
{
    if (e->n_spans == e->cap_spans) {
        size_t cap = e->cap_spans ? e->cap_spans * 2 : 32;
        wn_rule_span *grown = realloc(e->spans, cap * sizeof *grown);
        if (!grown) {
            e->nomem = 1;
            return;
        }
        e->spans = grown;
        e->cap_spans = cap;
    }
    e->spans[e->n_spans++] = (wn_rule_span){rule, f, index, start, end, 0};
}

/* ---- text terms ----------------------------------------------------------- */

static const wn_field group_fields[][2] = {
    {WN_F_TITLE, WN_F_COUNT},    {WN_F_ABSTRACT, WN_F_COUNT},
    {WN_F_KEYWORD, WN_F_PUBTYPE}, {WN_F_AUTHOR, WN_F_COUNT},
    {WN_F_JOURNAL, WN_F_JOURNAL_ABBR},
};

/* Calls fn on each phrase match of term t in occurrence o: the hits of its
 * first and last words. Returns 1 when some match was found (fn may stop
 * early by returning 1). */
static int each_match(wn_rules_eval *e, const occ *o, const rl_term *t,
                      int (*fn)(void *ctx, const hit *first, const hit *last), void *ctx)
{
    for (size_t k = 1; k < t->n; k++)
        if (!has_id(e, o, t->words[k]))
            return 0;
    int found = 0;
    for (uint32_t i = first_hit(e, o, t->words[0]); i != NO_HIT; i = e->hits[i].next) {
        size_t w = e->hits[i].word;
        long last = (long)i;
        for (size_t k = 1; k < t->n && last >= 0; k++)
            last = hit_at(e, o, (size_t)last + 1, w + k, t->words[k]);
        if (last < 0)
            continue;
        found = 1;
        if (!fn || fn(ctx, &e->hits[i], &e->hits[last]))
            break;
    }
    return found;
}

typedef struct span_ctx {
    wn_rules_eval *e;
    size_t rule;
    wn_field field;
    const occ *o;
} span_ctx;

static int span_of_match(void *ctx, const hit *first, const hit *last)
{
    span_ctx *c = ctx;
    add_span(c->e, c->rule, c->field, c->o->index, first->start, last->end);
    return 0;
}

/* Calls fn on every occurrence of the fields of groups (one bit per row of
 * group_fields), splitting each into words the first time it is read. Stops
 * when fn returns nonzero, or when memory runs out (e->nomem set).
 * Inlined into each caller, so fn is a direct call on this hot path. */
static inline __attribute__((always_inline)) int each_occ(wn_rules_eval *e, unsigned groups,
                    int (*fn)(wn_rules_eval *e, wn_field f, occ *o, void *ctx), void *ctx)
{
    for (size_t g = 0; g < sizeof group_fields / sizeof group_fields[0]; g++) {
        if (!(groups & (1u << g)))
            continue;
        for (int j = 0; j < 2; j++) {
            wn_field f = group_fields[g][j];
            if (f == WN_F_COUNT)
                continue;
            for (size_t i = e->by_field[f]; i < e->by_field[f + 1]; i++) {
                occ *o = &e->occs[i];
                if (!o->split && split_occ(e, o)) {
                    e->nomem = 1;
                    return 1;
                }
                if (fn(e, f, o, ctx))
                    return 1;
            }
        }
    }
    return 0;
}

/* One text term being matched, and whether it matched anywhere. */
typedef struct text_walk {
    const rl_term *term;
    size_t rule;
    int any;
} text_walk;

static int match_term(wn_rules_eval *e, wn_field f, occ *o, void *ctx)
{
    text_walk *w = ctx;
    span_ctx c = {e, w->rule, f, o};
    if (!each_match(e, o, w->term, e->collect ? span_of_match : NULL, &c))
        return 0;
    w->any = 1;
    return !e->collect; /* without spans to collect, one match settles it */
}

static int eval_text(wn_rules_eval *e, const rl_node *n)
{
    text_walk w = {NULL, n->rule, 0};
    for (size_t t = 0; t < n->n_terms; t++) {
        w.term = &n->terms[t];
        each_occ(e, w.term->fields, match_term, &w);
        if (e->nomem)
            return 0;
        if (w.any && !e->collect)
            return 1;
    }
    return w.any;
}


static int collect_pos(void *ctx, const hit *first, const hit *last)
{
    pos_list *p = ctx;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        void *grown = realloc(p->v, cap * sizeof *p->v);
        if (!grown) {
            p->nomem = 1;
            return 1;
        }
        p->v = grown;
        p->cap = cap;
    }
    p->v[p->n][0] = first;
    p->v[p->n][1] = last;
    p->n++;
    return 0;
}

static void positions(wn_rules_eval *e, const rl_node *n, wn_field f, const occ *o,
                      pos_list *out)
{
    out->n = 0;
    for (size_t t = 0; t < n->n_terms; t++) {
        const rl_term *term = &n->terms[t];
        for (size_t g = 0; g < sizeof group_fields / sizeof group_fields[0]; g++)
            if ((term->fields & (1u << g)) &&
                (group_fields[g][0] == f || group_fields[g][1] == f))
                each_match(e, o, term, collect_pos, out);
    }
}

static unsigned node_fields(const rl_node *n)
{
    unsigned m = 0;
    for (size_t t = 0; t < n->n_terms; t++)
        m |= n->terms[t].fields;
    return m;
}

/* A NEAR node being matched, and whether its sides met anywhere. */
typedef struct near_walk {
    const rl_node *n;
    int any;
} near_walk;

static int match_near(wn_rules_eval *e, wn_field f, occ *o, void *ctx)
{
    near_walk *w = ctx;
    const rl_node *n = w->n;
    pos_list *pa = &e->near_a, *pb = &e->near_b;
    positions(e, n->kids[0], f, o, pa);
    if (!pa->n)
        return 0;
    positions(e, n->kids[1], f, o, pb);
    for (size_t x = 0; x < pa->n; x++)
        for (size_t y = 0; y < pb->n; y++) {
            size_t a0 = pa->v[x][0]->word, a1 = pa->v[x][1]->word;
            size_t b0 = pb->v[y][0]->word, b1 = pb->v[y][1]->word;
            size_t gap = a1 < b0 ? b0 - a1 - 1 : b1 < a0 ? a0 - b1 - 1 : 0;
            if (gap > (size_t)n->distance)
                continue;
            w->any = 1;
            if (!e->collect)
                return 1;
            span_ctx c = {e, n->rule, f, o};
            span_of_match(&c, pa->v[x][0], pa->v[x][1]);
            span_of_match(&c, pb->v[y][0], pb->v[y][1]);
        }
    return 0;
}

static int eval_near(wn_rules_eval *e, const rl_node *n)
{
    near_walk w = {n, 0};
    each_occ(e, node_fields(n->kids[0]) & node_fields(n->kids[1]), match_near, &w);
    if (e->near_a.nomem || e->near_b.nomem)
        e->nomem = 1;
    return w.any;
}

/* ---- field tests ------------------------------------------------------- */

/* Folded text of a value into e->scratch; NULL when out of memory. */
static const char *folded(wn_rules_eval *e, const char *s, size_t len)
{
    wn_buf_clear(&e->scratch);
    if (rl_fold_phrase_with(s, len, &e->scratch, &e->tmp_words, &e->tmp_fold)) {
        e->nomem = 1;
        return NULL;
    }
    return e->scratch.data;
}

static int selected(wn_rules_eval *e, const rl_select *sel, size_t i, wn_field f)
{
    if (f != WN_F_EXTRA)
        return (sel->fields >> f) & 1;
    if (!sel->extra_tag)
        return 0;
    const char *t = folded(e, e->occs[i].tag, strlen(e->occs[i].tag));
    return t && !strcmp(t, sel->extra_tag);
}

static int value_in(const char *v, char *const *values, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v, values[i]))
            return 1;
    return 0;
}

/* Whether some byte of s[0, len) is flagged in table. Eight bytes a step,
 * for long values such as abstracts where no match can start. */
static int has_byte_of(const unsigned char *table, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    for (; i + 8 <= len; i += 8)
        if (table[u[i]] | table[u[i + 1]] | table[u[i + 2]] | table[u[i + 3]] |
            table[u[i + 4]] | table[u[i + 5]] | table[u[i + 6]] | table[u[i + 7]])
            return 1;
    for (; i < len; i++)
        if (table[u[i]])
            return 1;
    return 0;
}

static int eval_regex(wn_rules_eval *e, const rl_node *n)
{
    int any = 0;
    for (int f = 0; f < WN_F_COUNT; f++) {
        if (f != WN_F_EXTRA && !((n->sel.fields >> f) & 1))
            continue;
        for (size_t i = e->by_field[f]; i < e->by_field[f + 1]; i++) {
            if (!selected(e, &n->sel, i, (wn_field)f))
                continue;
            const occ *o = &e->occs[i];
            if (n->start_bytes && !has_byte_of(n->start_bytes, o->s, o->len))
                continue; /* no match can start anywhere: PCRE2 would find none */
            size_t from = 0;
            for (int spans = 0; spans < 64 && from <= o->len; spans++) {
                /* Record values are valid UTF-8 (the readers make them so). */
                int rc = pcre2_match(n->re, (PCRE2_SPTR)o->s, o->len, from, PCRE2_NO_UTF_CHECK,
                                     e->md, e->r->mctx);
                if (rc < 0) {
                    if (rc != PCRE2_ERROR_NOMATCH && rc != PCRE2_ERROR_BADUTFOFFSET)
                        e->limit_hits[n->rule]++;
                    break;
                }
                any = 1;
                if (!e->collect)
                    return 1;
                PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->md);
                if (ov[1] > ov[0])
                    add_span(e, n->rule, (wn_field)f, o->index, ov[0], ov[1]);
                from = ov[1] > from ? ov[1] : from + 1;
                while (from < o->len && ((unsigned char)o->s[from] & 0xC0) == 0x80)
                    from++;
            }
        }
    }
    return any;
}

static int eval_is(wn_rules_eval *e, const rl_node *n)
{
    for (int f = 0; f < WN_F_COUNT; f++) {
        if (f != WN_F_EXTRA && !((n->sel.fields >> f) & 1))
            continue;
        for (size_t i = e->by_field[f]; i < e->by_field[f + 1]; i++) {
            if (!selected(e, &n->sel, i, (wn_field)f))
                continue;
            const char *v = folded(e, e->occs[i].s, e->occs[i].len);
            if (v && value_in(v, n->values, n->n_values)) {
                if (e->collect)
                    add_span(e, n->rule, (wn_field)f, e->occs[i].index, 0, e->occs[i].len);
                return 1;
            }
        }
    }
    return 0;
}

static int eval_has(wn_rules_eval *e, const rl_node *n)
{
    for (int f = 0; f < WN_F_COUNT; f++) {
        if (f != WN_F_EXTRA && !((n->sel.fields >> f) & 1))
            continue;
        for (size_t i = e->by_field[f]; i < e->by_field[f + 1]; i++)
            if (selected(e, &n->sel, i, (wn_field)f))
                return 1;
    }
    return 0;
}

static int year_of(wn_rules_eval *e)
{
    if (e->year < 0) {
        const char *y = wn_record_first(e->rec, WN_F_YEAR);
        const char *d = wn_record_first(e->rec, WN_F_DATE);
        e->year = y ? wn_year_in(y) : 0;
        if (!e->year && d)
            e->year = wn_year_in(d);
    }
    return e->year;
}

static int eval_source(wn_rules_eval *e, const rl_node *n)
{
    for (size_t i = 0; i < e->n_sources; i++) {
        const char *v = folded(e, e->sources[i], strlen(e->sources[i]));
        if (v && value_in(v, n->values, n->n_values))
            return 1;
    }
    return 0;
}

/* Extra tags that carry open-access status, folded, and values that say
 * "not open". */
static const char *const oa_tags[] = {"open access", "oa", "is oa", "oa status",
                                      "open access status", "openaccess", NULL};
static const char *const oa_closed[] = {"", "closed", "false", "no", "0", "none", "n",
                                        "not oa", "not open access", NULL};

static int in_list(const char *v, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(v, list[i]))
            return 1;
    return 0;
}

static int open_access(wn_rules_eval *e)
{
    if (e->oa >= 0)
        return e->oa;
    e->oa = 0;
    for (size_t i = e->by_field[WN_F_EXTRA]; i < e->by_field[WN_F_EXTRA + 1] && !e->oa; i++) {
        const occ *o = &e->occs[i];
        const char *t = folded(e, o->tag, strlen(o->tag));
        if (!t || !in_list(t, oa_tags))
            continue;
        const char *val = folded(e, o->s, o->len);
        if (val && !in_list(val, oa_closed))
            e->oa = 1;
    }
    return e->oa;
}

/* Preprint servers, folded, as journal names (a name also matches when
 * followed by more words: "bioRxiv : the preprint server for biology"). */
static const char *const preprint_servers[] = {
    "arxiv", "biorxiv", "medrxiv", "ssrn", "ssrn electronic journal", "research square",
    "preprints", "preprints org", "psyarxiv", "socarxiv", "osf preprints", "chemrxiv",
    "authorea", "edarxiv", "sportrxiv", "engrxiv", "techrxiv", "zenodo", NULL};
static const char *const preprint_doi_prefixes[] = {
    "10.1101/", "10.48550/", "10.2139/", "10.21203/", "10.20944/", "10.31234/",
    "10.31235/", "10.31219/", "10.26434/", "10.22541/", "10.36227/", NULL};

static int is_server(const char *journal)
{
    for (size_t i = 0; preprint_servers[i]; i++) {
        size_t n = strlen(preprint_servers[i]);
        if (!strncmp(journal, preprint_servers[i], n) && (!journal[n] || journal[n] == ' '))
            return 1;
    }
    return 0;
}

static int has_word(const char *folded_text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = folded_text; (p = strstr(p, word)) != NULL; p += n)
        if ((p == folded_text || p[-1] == ' ') && (!p[n] || p[n] == ' '))
            return 1;
    return 0;
}

static int preprint(wn_rules_eval *e)
{
    if (e->preprint >= 0)
        return e->preprint;
    int p = 0;
    static const wn_field typed[] = {WN_F_TYPE, WN_F_TYPE_RAW, WN_F_PUBTYPE};
    for (size_t k = 0; k < 3 && !p; k++)
        for (size_t i = e->by_field[typed[k]]; i < e->by_field[typed[k] + 1] && !p; i++) {
            const char *v = folded(e, e->occs[i].s, e->occs[i].len);
            p = v && has_word(v, "preprint");
        }
    for (size_t i = e->by_field[WN_F_JOURNAL]; i < e->by_field[WN_F_JOURNAL_ABBR + 1] && !p;
         i++) {
        const char *v = folded(e, e->occs[i].s, e->occs[i].len);
        p = v && is_server(v);
    }
    const char *doi = wn_record_first(e->rec, WN_F_DOI);
    for (size_t i = 0; doi && !p && preprint_doi_prefixes[i]; i++)
        p = !strncmp(doi, preprint_doi_prefixes[i], strlen(preprint_doi_prefixes[i]));
    e->preprint = p;
    return p;
}

static int peer_reviewed(wn_rules_eval *e)
{
    const char *type = wn_record_first(e->rec, WN_F_TYPE);
    return type && !strcmp(type, "article") && !preprint(e);
}

/* ---- conditions -------------------------------------------------------- */

static int eval(wn_rules_eval *e, const rl_node *n)
{
    switch (n->kind) {
    case RL_AND: {
        int all = 1;
        for (size_t i = 0; i < n->n_kids && (all || e->collect); i++)
            all &= eval(e, n->kids[i]);
        return all;
    }
    case RL_OR: {
        int any = 0;
        for (size_t i = 0; i < n->n_kids && (!any || e->collect); i++)
            any |= eval(e, n->kids[i]);
        return any;
    }
    case RL_NOT: {
        /* Terms under NOT are not what made a unit match: no spans. */
        int collect = e->collect;
        e->collect = 0;
        int v = !eval(e, n->kids[0]);
        e->collect = collect;
        return v;
    }
    case RL_TEXT: return eval_text(e, n);
    case RL_NEAR: return eval_near(e, n);
    case RL_REGEX: return eval_regex(e, n);
    case RL_IS: return eval_is(e, n);
    case RL_HAS: return eval_has(e, n);
    case RL_SOURCE: return eval_source(e, n);
    case RL_YEAR: {
        int y = year_of(e);
        return y && y >= n->year_lo && y <= n->year_hi;
    }
    case RL_OA: return open_access(e);
    case RL_PREPRINT: return preprint(e);
    case RL_PEER: return peer_reviewed(e);
    }
    return 0;
}

int wn_rules_eval_unit(wn_rules_eval *e, const wn_record *merged, const char *const *sources,
                       size_t n_sources, unsigned flags)
{
    if (prepare(e, merged))
        return WN_ENOMEM;
    e->sources = sources;
    e->n_sources = n_sources;
    e->excluded_by = -1;
    e->n_spans = 0;
    e->nomem = 0;
    const wn_rules *r = e->r;
    for (size_t i = 0; i < r->n_rules; i++) {
        const rl_rule *rule = &r->rules[i];
        size_t mark = e->n_spans;
        e->collect = (flags & WN_RULES_SPANS) != 0;
        int m = eval(e, rule->cond);
        e->matched[i] = (unsigned char)m;
        if (!m)
            e->n_spans = mark;
        for (size_t k = mark; k < e->n_spans; k++)
            e->spans[k].negative = rule->info.negative;
        if (e->excluded_by < 0 &&
            ((rule->info.action == WN_RULE_EXCLUDE && m) ||
             (rule->info.action == WN_RULE_REQUIRE && !m)))
            e->excluded_by = (long)i;
    }
    return e->nomem ? WN_ENOMEM : 0;
}

int wn_rules_eval_matched(const wn_rules_eval *e, size_t i)
{
    return i < e->r->n_rules && e->matched[i];
}

long wn_rules_eval_excluded_by(const wn_rules_eval *e) { return e->excluded_by; }

const wn_rule_span *wn_rules_eval_spans(const wn_rules_eval *e, size_t *n)
{
    *n = e->n_spans;
    return e->spans;
}

uint64_t wn_rules_eval_limit_hits(const wn_rules_eval *e, size_t i)
{
    return i < e->r->n_rules ? e->limit_hits[i] : 0;
}
