/* Internal: what deduplication knows of a record, and how it scores pairs. */
#ifndef WINNOW_DEDUP_IMPL_H
#define WINNOW_DEDUP_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "winnow/buf.h"

#define DD_MAX_AUTHORS 8

/* A record reduced to its matching keys. Strings live in a dd_arena; an
 * absent value is "" (never NULL). */
typedef struct dd_rec {
    int64_t id;
    int64_t source_id;
    const char *t_full, *t_main, *t_bracket; /* title keys (match_keys.h) */
    const char *doi, *pmid;
    const char *journal, *journal_abbr;      /* folded */
    const char *issn;                        /* newline-separated, as stored */
    const char *surname;                     /* first author's surname key */
    char spage[16], epage[16], volume[16];   /* digits (wn_match_page) */
    uint32_t authors[DD_MAX_AUTHORS];        /* surname key hashes */
    uint16_t t_full_len, t_main_len, t_bracket_len;
    uint8_t n_authors;
    char initial;
    int16_t year;                            /* 0 when unknown */
    uint8_t kind, part, conference, preprint;
} dd_rec;

/* Bump allocator for the records' strings; freed all at once. */
typedef struct dd_arena {
    char **blocks;
    size_t n_blocks;
    char *at;
    size_t left;
} dd_arena;

const char *dd_arena_str(dd_arena *a, const char *s, size_t len);
void dd_arena_free(dd_arena *a);

/* The stored columns a record's keys come from (NULL when empty). */
typedef struct dd_row {
    int64_t id, source_id;
    int year;
    const char *title, *authors, *journal, *journal_abbr, *volume, *start_page,
        *end_page, *doi, *pmid, *issn, *pubtypes, *type;
} dd_row;

/* Reusable scratch buffers for dd_rec_make. */
typedef struct dd_scratch {
    wn_buf a, b;
    void *title_keys; /* wn_title_keys, allocated on first use */
} dd_scratch;
void dd_scratch_free(dd_scratch *s);

/* Fills r from row; strings go to arena. Returns 0 or WN_ENOMEM. */
int dd_rec_make(dd_rec *r, const dd_row *row, dd_arena *arena, dd_scratch *s);

enum dd_outcome { DD_DISTINCT = 0, DD_POSSIBLE, DD_DUPLICATE, DD_VERSION };

/* A pair's result: outcome, the rule or veto that decided it, the title
 * similarity, whether a veto fired, and field scores as text. */
typedef struct dd_verdict {
    int outcome;
    int vetoed;
    int alike; /* titles alike, or an identifier shared */
    const char *rule;
    double title;
    char evidence[200];
} dd_verdict;

void dd_score(const dd_rec *a, const dd_rec *b, dd_verdict *v);

/* Outcome names as stored (WN_PAIR_*). */
const char *dd_outcome_name(int outcome);

/* 64-bit FNV-1a of s[0..len) mixed with seed. */
uint64_t dd_hash(uint64_t seed, const char *s, size_t len);

#endif
