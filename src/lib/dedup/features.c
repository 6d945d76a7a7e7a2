/* Records reduced to matching keys. */
#include <stdlib.h>
#include <string.h>

#include "dedup/dedup_impl.h"
#include "normalize/match_keys.h"
#include "winnow/error.h"

#define ARENA_BLOCK (1u << 20)

const char *dd_arena_str(dd_arena *a, const char *s, size_t len)
{
    if (!len)
        return "";
    if (len + 1 > a->left) {
        size_t size = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;
        char **grown = realloc(a->blocks, (a->n_blocks + 1) * sizeof *grown);
        if (!grown)
            return NULL;
        a->blocks = grown;
        if (!(a->at = malloc(size)))
            return NULL;
        a->blocks[a->n_blocks++] = a->at;
        a->left = size;
    }
    char *out = a->at;
    memcpy(out, s, len);
    out[len] = 0;
    a->at += len + 1;
    a->left -= len + 1;
    return out;
}

void dd_arena_free(dd_arena *a)
{
    for (size_t i = 0; i < a->n_blocks; i++)
        free(a->blocks[i]);
    free(a->blocks);
    memset(a, 0, sizeof *a);
}

void dd_scratch_free(dd_scratch *s)
{
    wn_buf_free(&s->a);
    wn_buf_free(&s->b);
    if (s->title_keys) {
        wn_title_keys_free(s->title_keys);
        free(s->title_keys);
    }
    memset(s, 0, sizeof *s);
}

uint64_t dd_hash(uint64_t seed, const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull ^ (seed * 0x9E3779B97F4A7C15ull);
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* Non-zero when the lower-case needle occurs in hay, ignoring case (only
 * the first 255 bytes of hay are looked at: names and type lists). */
static int contains_ci(const char *hay, const char *needle)
{
    char low[256];
    size_t n = 0;
    for (; hay[n] && n + 1 < sizeof low; n++)
        low[n] = (char)(hay[n] >= 'A' && hay[n] <= 'Z' ? hay[n] + 32 : hay[n]);
    low[n] = 0;
    return strstr(low, needle) != NULL;
}

/* DOI prefixes of preprint servers: bioRxiv and medRxiv, Research Square,
 * SSRN, arXiv, Preprints.org, JMIR Preprints. */
static int preprint_doi(const char *doi)
{
    static const char *const prefixes[] = {"10.1101/", "10.21203/", "10.2139/", "10.48550/",
                                           "10.20944/", "10.2196/preprints"};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (strncmp(doi, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    return 0;
}

static int preprint_venue(const char *journal)
{
    return contains_ci(journal, "rxiv") || contains_ci(journal, "research square") ||
           contains_ci(journal, "ssrn") || contains_ci(journal, "preprints");
}

static const char *keep(dd_arena *a, const char *s, size_t len, int *oom)
{
    const char *out = dd_arena_str(a, s, len);
    if (!out)
        *oom = 1;
    return out ? out : "";
}

static const char *keep_folded(dd_arena *a, wn_buf *tmp, const char *s, int *oom)
{
    wn_buf_clear(tmp);
    if (!s || !*s)
        return "";
    if (wn_match_fold(tmp, s, strlen(s))) {
        *oom = 1;
        return "";
    }
    return keep(a, tmp->data ? tmp->data : "", tmp->len, oom);
}

/* Surname keys of the authors (newline-separated, as stored). */
static int author_keys(dd_rec *r, const char *authors, dd_arena *arena, wn_buf *tmp, int *oom)
{
    const char *p = authors;
    while (*p && r->n_authors < DD_MAX_AUTHORS) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char initial;
        wn_buf_clear(tmp);
        if (wn_match_surname(tmp, p, n, &initial))
            return WN_ENOMEM;
        if (tmp->len) {
            if (!r->n_authors) {
                r->surname = keep(arena, tmp->data, tmp->len, oom);
                r->initial = initial;
            }
            r->authors[r->n_authors++] = (uint32_t)dd_hash(7, tmp->data, tmp->len);
        }
        p += n + (nl ? 1 : 0);
    }
    return 0;
}

int dd_rec_make(dd_rec *r, const dd_row *row, dd_arena *arena, dd_scratch *s)
{
    memset(r, 0, sizeof *r);
    r->id = row->id;
    r->source_id = row->source_id;
    r->year = (int16_t)(row->year > 0 && row->year < 3000 ? row->year : 0);
    r->t_full = r->t_main = r->t_bracket = r->doi = r->pmid = "";
    r->journal = r->journal_abbr = r->issn = r->surname = "";
    int oom = 0;
    if (!s->title_keys && !(s->title_keys = calloc(1, sizeof(wn_title_keys))))
        return WN_ENOMEM;
    wn_title_keys *k = s->title_keys;
    if (row->title && *row->title) {
        if (wn_title_keys_make(k, row->title, strlen(row->title)))
            return WN_ENOMEM;
        r->t_full = keep(arena, k->full.data, k->full.len, &oom);
        r->t_main = keep(arena, k->main.data, k->main.len, &oom);
        r->t_bracket = keep(arena, k->bracket.data, k->bracket.len, &oom);
        r->t_full_len = (uint16_t)(k->full.len > 65535 ? 65535 : k->full.len);
        r->t_main_len = (uint16_t)(k->main.len > 65535 ? 65535 : k->main.len);
        r->t_bracket_len = (uint16_t)(k->bracket.len > 65535 ? 65535 : k->bracket.len);
        r->kind = (uint8_t)k->kind;
        r->part = (uint8_t)(k->part > 255 ? 255 : k->part);
    }
    if (row->doi && *row->doi) {
        size_t n = strlen(row->doi);
        while (n && row->doi[n - 1] == '.')
            n--;
        r->doi = keep(arena, row->doi, n, &oom);
        r->preprint = (uint8_t)preprint_doi(r->doi);
    }
    if (row->pmid)
        r->pmid = keep(arena, row->pmid, strlen(row->pmid), &oom);
    if (row->issn)
        r->issn = keep(arena, row->issn, strlen(row->issn), &oom);
    r->journal = keep_folded(arena, &s->a, row->journal, &oom);
    r->journal_abbr = keep_folded(arena, &s->a, row->journal_abbr, &oom);
    if ((row->journal && preprint_venue(row->journal)) ||
        (row->type && !strcmp(row->type, "preprint")))
        r->preprint = 1;
    if (row->type && (!strcmp(row->type, "conference") || !strcmp(row->type, "abstract")))
        r->conference = 1;
    if (row->pubtypes) {
        if (contains_ci(row->pubtypes, "congress") || contains_ci(row->pubtypes, "conference") ||
            contains_ci(row->pubtypes, "meeting abstract"))
            r->conference = 1;
        if (r->kind == WN_KIND_ARTICLE) {
            if (contains_ci(row->pubtypes, "erratum") ||
                contains_ci(row->pubtypes, "published correction"))
                r->kind = WN_KIND_ERRATUM;
            else if (contains_ci(row->pubtypes, "retraction of publication") ||
                     contains_ci(row->pubtypes, "retraction notice"))
                r->kind = WN_KIND_RETRACTION;
        }
        if (contains_ci(row->pubtypes, "preprint"))
            r->preprint = 1;
    }
    if (row->start_page)
        wn_match_page(row->start_page, r->spage, sizeof r->spage);
    if (row->end_page)
        wn_match_page(row->end_page, r->epage, sizeof r->epage);
    if (row->volume)
        wn_match_page(row->volume, r->volume, sizeof r->volume);
    if (row->authors && author_keys(r, row->authors, arena, &s->b, &oom))
        return WN_ENOMEM;
    return oom ? WN_ENOMEM : 0;
}
